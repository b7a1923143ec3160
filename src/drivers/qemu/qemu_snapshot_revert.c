/* qemu_snapshot_revert.c: reverting to a snapshot (snapshot-load on a
 * running QEMU, qemu-img snapshot -a on a shut-off domain's disks) and
 * deleting snapshots (data and metadata; an external one's overlays are
 * merged into their base images: block-commit in a running QEMU,
 * qemu-img commit for a shut-off domain) */
#define ERROR_DOMAIN VIR_FROM_DOMAIN_SNAPSHOT

#include "qemu_snapshot.h"
#include "qemu_block.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Lock SNAP's domain, begin a job and load its tree; *S gets the snapshot.
 * NULL with an error; finish with qemuSnapEnd. */
static QemuDom *
qemuSnapBegin(virDomainSnapshotPtr snap, QemuSnapTree **t, QemuSnap **s)
{
    QemuDom *d = qemuDomGet(snap->domain);

    if (!d)
        return NULL;
    if (qemuDomBeginJob(d) < 0) {
        qemuDomRelease(d);
        return NULL;
    }
    if (!(*t = qemuSnapTreeLoad(d->drv, d->def->name)) ||
        !(*s = qemuSnapGet(*t, d->def->name, snap->name))) {
        qemuSnapTreeFree(*t);
        *t = NULL;
        qemuDomEndJob(d);
        qemuDomRelease(d);
        return NULL;
    }
    return d;
}

static void
qemuSnapEnd(QemuDom *d, QemuSnapTree *t)
{
    qemuSnapTreeFree(t);
    qemuDomEndJob(d);
    qemuDomRelease(d);
}

/* The persistent config of D becomes S's (lock held). */
static int
qemuSnapRestoreConfig(QemuDom *d, const QemuSnap *s)
{
    DomainDef *cfg;

    if (!d->persistent)
        return 0;
    if (!(cfg = qemuSnapDefCopy(s->inactiveDef ? s->inactiveDef : s->def, d,
                                false)))
        return -1;
    if (qemuStateSaveConfig(d->drv, cfg) < 0) {
        domainDefFree(cfg);
        return -1;
    }
    if (qemuDomIsActive(d)) {
        domainDefFree(d->newDef);
        d->newDef = cfg;
    } else {
        domainDefFree(d->def);
        d->def = cfg;
    }
    return 0;
}

typedef struct {
    const DomainDef *def;
    const char *tag;
    bool stop;
    bool cont;
} SnapLoadCtx;

static int
qemuSnapLoadMon(Qmp *mon, void *opaque)
{
    SnapLoadCtx *c = opaque;
    char **nodes = NULL;
    int ret = -1;

    if (c->stop && qmpStop(mon) < 0)
        return -1;
    if (!(nodes = qemuSnapNodeNames(mon, c->def)) || !nodes[0])
        goto cleanup;
    if (qmpSnapshotLoad(mon, "vireo-snapshot-load", c->tag, nodes[0],
                        (const char *const *)nodes) < 0 ||
        qemuSnapJobWait(mon, "vireo-snapshot-load", "snapshot-load") < 0)
        goto cleanup;
    if (c->cont && qmpCont(mon) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    qmpStringListFree(nodes);
    return ret;
}

/* Start shut-off D paused for a revert (no events: the caller tells). */
static int
qemuSnapStart(QemuDom *d)
{
    return qemuProcessStart(d->drv, d, VIR_DOMAIN_START_PAUSED |
                            QEMU_START_SNAPSHOT);
}

/* D's final state after a revert, and its events. STARTED: D was shut
 * off before; WASRUNNING: it ran (and a SUSPENDED event went out). */
static void
qemuSnapRevertState(QemuDom *d, bool paused, bool started, bool wasRunning)
{
    if (started)
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_STARTED,
                              VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
    if (paused) {
        qemuDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
        if (started)
            qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SUSPENDED,
                                  VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    } else {
        qemuDomSetState(d, VIR_DOMAIN_RUNNING,
                        VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
        if (!started)
            qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_RESUMED,
                                  VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT);
    }
    (void)wasRunning;
    if (qemuStateSaveStatus(d->drv, d) < 0)
        errorReset();
}

/* Revert D to S, which holds the guest's memory. */
static int
qemuSnapRevertMemory(QemuDom *d, const QemuSnap *s, bool paused)
{
    SnapLoadCtx c = { .tag = s->name, .cont = !paused };
    bool started = false;
    bool wasRunning = d->state == VIR_DOMAIN_RUNNING;

    if (qemuSnapRestoreConfig(d, s) < 0)
        return -1;
    if (!qemuDomIsActive(d)) {
        if (qemuSnapStart(d) < 0)
            return -1;
        started = true;
    } else if (wasRunning) {
        c.stop = true;
        qemuDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SUSPENDED,
                              VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    }
    c.def = d->def;
    if (qemuSnapMonitorRun(d, qemuSnapLoadMon, &c) < 0) {
        if (started && qemuDomIsActive(d)) {
            virErrorPtr err = errorSave();

            d->exitReason = VIR_DOMAIN_SHUTOFF_FAILED;
            d->exitDetail = VIR_DOMAIN_EVENT_STOPPED_FAILED;
            qemuProcessKill(d->drv, d, false);
            errorRestore(&err);
        }
        return -1;
    }
    if (qemuDomIsActive(d))
        qemuSnapRevertState(d, paused, started, wasRunning);
    return 0;
}

static int
qemuSnapContMon(Qmp *mon, void *opaque)
{
    (void)opaque;
    return qmpCont(mon);
}

/* Revert D to S, a snapshot of its disks only (D ends shut off unless
 * START asks for it running or PAUSED). */
static int
qemuSnapRevertDisks(QemuDom *d, const QemuSnap *s, bool start, bool paused)
{
    if (!d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID, "transient domain '%s' cannot "
                    "revert to snapshot '%s' of its shut-off disks",
                    d->def->name, s->name);
        return -1;
    }
    if (qemuDomIsActive(d) && qemuSnapStopDomain(d) < 0)
        return -1;
    d->exitReason = d->exitDetail = 0;
    if (qemuSnapRestoreConfig(d, s) < 0 ||
        qemuSnapImgAll(d->def, s, "-a", false) < 0)
        return -1;
    if (!start)
        return 0;
    if (qemuSnapStart(d) < 0)
        return -1;
    if (!paused && qemuSnapMonitorRun(d, qemuSnapContMon, NULL) < 0)
        return -1;
    qemuSnapRevertState(d, paused, true, false);
    return 0;
}

#define REVERT_FLAGS (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | \
                      VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED | \
                      VIR_DOMAIN_SNAPSHOT_REVERT_FORCE | \
                      VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM)

int
qemuSnapRevert(virDomainSnapshotPtr snap, unsigned int flags)
{
    bool wantRun = flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING;
    bool wantPause = flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;
    QemuSnapTree *t = NULL;
    QemuSnap *s = NULL;
    QemuDom *d;
    int ret;

    if (qemuSnapCheckFlags(flags, REVERT_FLAGS,
                           "virDomainRevertToSnapshot") < 0)
        return -1;
    if (wantRun && wantPause) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'running' and 'paused' are "
                    "mutually exclusive");
        return -1;
    }
    if (!(d = qemuSnapBegin(snap, &t, &s)))
        return -1;
    if (qemuSnapIsExternal(s)) {
        reportError(VIR_ERR_NO_SUPPORT, "reverting domain '%s' to external "
                    "snapshot '%s' is not supported (libvirt 9.0's QEMU "
                    "driver cannot either)", d->def->name, s->name);
        qemuSnapEnd(d, t);
        return -1;
    }
    if (s->memory)
        ret = qemuSnapRevertMemory(d, s, wantPause ||
                                   (!wantRun &&
                                    s->state == SNAP_STATE_PAUSED));
    else
        ret = qemuSnapRevertDisks(d, s, wantRun || wantPause, wantPause);
    if (ret == 0)
        ret = qemuSnapSetCurrent(d->drv, d->def->name, t, s->name);
    qemuSnapEnd(d, t);
    return ret;
}

/* ---- delete ---- */

typedef struct {
    const DomainDef *def;
    const char *tag;
} SnapDelCtx;

static int
qemuSnapDeleteMon(Qmp *mon, void *opaque)
{
    SnapDelCtx *c = opaque;
    char **nodes = qemuSnapNodeNames(mon, c->def);
    char **qcow2;
    size_t n = 0, k = 0;
    int ret = 0;

    if (!nodes)
        return -1;
    qcow2 = allocArray(c->def->ndisks + 1, sizeof(*qcow2));
    for (size_t i = 0; i < c->def->ndisks; i++) {
        const DiskDef *disk = c->def->disks[i];

        if (!qemuSnapDiskWritable(disk))
            continue;
        if (disk->driverType && strcmp(disk->driverType, "qcow2") == 0)
            qcow2[n++] = nodes[k];
        k++;
    }
    if (n > 0 &&
        (qmpSnapshotDelete(mon, "vireo-snapshot-delete", c->tag,
                           (const char *const *)qcow2) < 0 ||
         qemuSnapJobWait(mon, "vireo-snapshot-delete",
                         "snapshot-delete") < 0))
        ret = -1;
    free(qcow2);
    qmpStringListFree(nodes);
    return ret;
}

/* Delete internal snapshot S from D's disks. */
static int
qemuSnapDiscardInternal(QemuDom *d, const QemuSnap *s)
{
    SnapDelCtx c = { .def = d->def, .tag = s->name };

    if (qemuDomIsActive(d))
        return qemuSnapMonitorRun(d, qemuSnapDeleteMon, &c);
    for (size_t i = 0; i < s->ndisks; i++) {
        int k = domainFindDisk(d->def, s->disks[i].name);
        const char *argv[] = { "snapshot", "-d", s->name, NULL, NULL };
        int has;

        if (s->disks[i].kind != SNAP_DISK_INTERNAL || k < 0 ||
            !qemuSnapDiskWritable(d->def->disks[k]))
            continue;
        argv[3] = d->def->disks[k]->srcPath;
        if ((has = qemuSnapImgHasTag(argv[3], s->name)) < 0 ||
            (has && qemuSnapImg(argv, NULL) < 0))
            return -1;
    }
    return 0;
}

/* The image a snapshot's overlay sits on: disk DST in S's definition. */
static const DiskDef *
qemuSnapBaseDisk(const QemuSnap *s, const char *dst)
{
    int k = s->def ? domainFindDisk(s->def, dst) : -1;

    return k >= 0 && s->def->disks[k]->srcPath ? s->def->disks[k] : NULL;
}

/* Overlay SD of S is merged into BASE: the other snapshots' definitions
 * no longer name it (written back to disk). */
static int
qemuSnapForgetOverlay(QemuDom *d, QemuSnapTree *t, const QemuSnap *s,
                      const QemuSnapDisk *sd, const DiskDef *base)
{
    for (size_t i = 0; i < t->n; i++) {
        QemuSnap *o = t->snaps[i];
        DomainDef *defs[2] = { o->def, o->inactiveDef };
        bool changed = false;

        if (o == s)
            continue;
        for (int j = 0; j < 2; j++) {
            int k = defs[j] ? domainFindDisk(defs[j], sd->name) : -1;
            DiskDef *disk = k >= 0 ? defs[j]->disks[k] : NULL;

            if (!disk || !disk->srcPath)
                continue;
            qemuBlockChainRemove(disk, sd->file, base->srcPath,
                                 base->driverType);
            changed = true;
        }
        if (changed && qemuSnapSave(d->drv, d->def->name, o) < 0)
            return -1;
    }
    return 0;
}

/* Overlay SD of S merged into BASE: D's definitions follow, the overlay
 * (and a memory file) go. */
static int
qemuSnapMerged(QemuDom *d, QemuSnapTree *t, const QemuSnap *s,
               const QemuSnapDisk *sd, const DiskDef *base)
{
    DomainDef *defs[2] = { d->def, d->newDef };

    for (int j = 0; j < 2; j++) {
        int k = defs[j] ? domainFindDisk(defs[j], sd->name) : -1;

        if (k >= 0)
            qemuBlockChainRemove(defs[j]->disks[k], sd->file, base->srcPath,
                                 base->driverType);
    }
    if (qemuDomIsActive(d)) {
        if (qemuBlockChainRefresh(d) < 0)
            errorReset();
        if (qemuStateSaveStatus(d->drv, d) < 0)
            errorReset();
    }
    if (d->persistent &&
        qemuStateSaveConfig(d->drv, d->newDef ? d->newDef : d->def) < 0)
        return -1;
    if (unlink(sd->file) < 0)
        logDebug("qemu", "cannot remove overlay '%s'", sd->file);
    return qemuSnapForgetOverlay(d, t, s, sd, base);
}

/* One block-commit of a running QEMU: overlay TOP (NULL: the active
 * image, which then switches to BASE) into BASE, on device node NODE. */
typedef struct {
    const char *node;
    const char *top;
    const char *base;
    const char *dst;
    char *alias;
} SnapCommit;

static int
qemuSnapCommitMon(Qmp *mon, void *opaque)
{
    SnapCommit *c = opaque;
    char *id = allocPrintf("vireo-snapdel-%s", c->dst);
    char *what = allocPrintf("merging the overlay of disk '%s'", c->dst);
    json_object *cmd = qmpCommandNew("block-commit",
                                     "s:job-id", id,
                                     "s:device", c->node,
                                     "S:top", c->top,
                                     "s:base", c->base,
                                     "b:auto-dismiss", false,
                                     NULL);
    int ret = -1;

    if (!cmd || qmpCommandRun(mon, cmd, NULL, 0) < 0)
        goto cleanup;
    if (c->top) {
        ret = qemuSnapJobWaitFor(mon, id, what, false);
        goto cleanup;
    }
    /* an active commit mirrors the writes until told to switch */
    if (qemuSnapJobWaitFor(mon, id, what, true) < 0 ||
        qmpBlockJobComplete(mon, id) < 0) {
        virErrorPtr err = errorSave();

        if (qmpJobCancel(mon, id) == 0)
            qemuSnapJobWaitFor(mon, id, what, false);
        errorRestore(&err);
        goto cleanup;
    }
    ret = qemuSnapJobWaitFor(mon, id, what, false);
 cleanup:
    if (ret == 0)
        qemuBlockDropNodes(mon, c->alias);
    json_object_put(cmd);
    free(id);
    free(what);
    return ret;
}

/* Merge overlay SD of S on running D into the image below it, which must
 * be S's base: the overlay is the active image (active commit and switch)
 * or the one below it (a later snapshot's overlay stays on top). */
static int
qemuSnapMergeLive(QemuDom *d, QemuSnapTree *t, const QemuSnap *s,
                  const QemuSnapDisk *sd)
{
    const DiskDef *base = qemuSnapBaseDisk(s, sd->name);
    int k = domainFindDisk(d->def, sd->name);
    json_object *entry = NULL;
    const char **files = NULL, **formats = NULL;
    const char *node;
    SnapCommit c = { .dst = sd->name };
    size_t n;
    int idx, ret = -1;

    if (k < 0 || !base) {
        reportError(VIR_ERR_OPERATION_FAILED, "disk '%s' of snapshot '%s' "
                    "is not in domain '%s' or the snapshot's definition",
                    sd->name, s->name, d->def->name);
        return -1;
    }
    if (qemuBlockQueryDevice(d, d->def->disks[k]->info.alias, &entry) < 0 ||
        !(node = qemuBlockEntryNode(entry, sd->name)))
        goto cleanup;
    n = qemuBlockEntryChain(entry, &files, &formats);
    if ((idx = qemuBlockChainFind(files, n, sd->file)) < 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "overlay '%s' of snapshot '%s' "
                    "is not in the backing chain of disk '%s' of domain '%s'",
                    sd->file, s->name, sd->name, d->def->name);
        goto cleanup;
    }
    if ((size_t)idx + 1 >= n ||
        qemuBlockChainFind(files + idx + 1, 1, base->srcPath) != 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "the image below overlay '%s' "
                    "of disk '%s' is not '%s', the disk of snapshot '%s'",
                    sd->file, sd->name, base->srcPath, s->name);
        goto cleanup;
    }
    c.node = node;
    c.alias = allocStrdup(d->def->disks[k]->info.alias);
    c.top = idx > 0 ? files[idx] : NULL;
    c.base = files[idx + 1];
    if (qemuSnapMonitorRun(d, qemuSnapCommitMon, &c) < 0)
        goto cleanup;
    ret = qemuSnapMerged(d, t, s, sd, base);
 cleanup:
    free(c.alias);
    free(files);
    free(formats);
    json_object_put(entry);
    return ret;
}

/* Merge overlay SD of S on shut-off D into its base with qemu-img: the
 * overlay is the disk's image, or a later snapshot's overlay sits on it
 * (then rebased onto the base). */
static int
qemuSnapMergeOffline(QemuDom *d, QemuSnapTree *t, const QemuSnap *s,
                     const QemuSnapDisk *sd)
{
    const DiskDef *base = qemuSnapBaseDisk(s, sd->name);
    int k = domainFindDisk(d->def, sd->name);
    const char *commit[] = { "commit", "-q", sd->file, NULL };
    const char *rebase[] = { "rebase", "-u", "-b", NULL, "-F", NULL, NULL,
                             NULL };
    char **files = NULL, **formats = NULL;
    size_t n = 0;
    int idx = -1, ret = -1;

    if (k < 0 || !base || !d->def->disks[k]->srcPath) {
        reportError(VIR_ERR_OPERATION_FAILED, "disk '%s' of snapshot '%s' "
                    "is not in domain '%s' or the snapshot's definition",
                    sd->name, s->name, d->def->name);
        return -1;
    }
    if (!(files = qemuSnapImgChain(d->def->disks[k]->srcPath, &formats)))
        return -1;
    while (files[n])
        n++;
    idx = qemuBlockChainFind((const char **)files, n, sd->file);
    if (idx < 0 || (size_t)idx + 1 >= n ||
        qemuBlockChainFind((const char **)files + idx + 1, 1,
                           base->srcPath) != 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "overlay '%s' of snapshot '%s' "
                    "is not in the backing chain of disk '%s' of domain '%s' "
                    "right above '%s'", sd->file, s->name, sd->name,
                    d->def->name, base->srcPath);
        goto cleanup;
    }
    if (qemuSnapImg(commit, NULL) < 0)
        goto cleanup;
    if (idx > 0) {
        rebase[3] = files[idx + 1];
        rebase[5] = formats[idx + 1];
        rebase[6] = files[idx - 1];
        if (qemuSnapImg(rebase, NULL) < 0)
            goto cleanup;
    }
    ret = qemuSnapMerged(d, t, s, sd, base);
 cleanup:
    qmpStringListFree(files);
    qmpStringListFree(formats);
    return ret;
}

/* Delete external snapshot S of D: merge each overlay into its base. */
static int
qemuSnapDiscardExternal(QemuDom *d, QemuSnapTree *t, const QemuSnap *s)
{
    for (size_t i = 0; i < s->ndisks; i++) {
        const QemuSnapDisk *sd = &s->disks[i];

        if (sd->kind != SNAP_DISK_EXTERNAL)
            continue;
        if (qemuDomIsActive(d) ? qemuSnapMergeLive(d, t, s, sd) < 0
                               : qemuSnapMergeOffline(d, t, s, sd) < 0)
            return -1;
    }
    if (s->memoryFile && unlink(s->memoryFile) < 0)
        logDebug("qemu", "cannot remove memory file '%s'", s->memoryFile);
    return 0;
}

/* How many children S has in T. */
static size_t
qemuSnapChildren(const QemuSnapTree *t, const QemuSnap *s)
{
    size_t n = 0;

    for (size_t i = 0; i < t->n; i++)
        if (t->snaps[i]->parent && strcmp(t->snaps[i]->parent, s->name) == 0)
            n++;
    return n;
}

/* Whether a descendant of S in T is external. */
static bool
qemuSnapExternalBelow(const QemuSnapTree *t, const QemuSnap *s)
{
    for (size_t i = 0; i < t->n; i++) {
        const QemuSnap *c = t->snaps[i];

        if (!c->parent || strcmp(c->parent, s->name) != 0)
            continue;
        if (qemuSnapIsExternal(c) || qemuSnapExternalBelow(t, c))
            return true;
    }
    return false;
}

/* The deletions of external snapshots libvirt 9.0 refuses, refused. */
static int
qemuSnapDeleteCheck(const QemuDom *d, const QemuSnapTree *t,
                    const QemuSnap *s, unsigned int flags)
{
    bool children = flags & (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                             VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY);

    if (children && (qemuSnapExternalBelow(t, s) ||
                     (qemuSnapIsExternal(s) &&
                      (flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN)))) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "deleting snapshot '%s' of "
                    "domain '%s' with its children is not supported when "
                    "external snapshots are among them", s->name,
                    d->def->name);
        return -1;
    }
    if (!children && qemuSnapIsExternal(s) && qemuSnapChildren(t, s) > 1) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "deleting external snapshot "
                    "'%s' of domain '%s' with more than one child snapshot "
                    "is not supported", s->name, d->def->name);
        return -1;
    }
    return 0;
}

/* Forget S's metadata: its children move up to its parent, and so does
 * the current mark. S is freed. */
static int
qemuSnapForget(QemuDom *d, QemuSnapTree *t, QemuSnap *s)
{
    for (size_t i = 0; i < t->n; i++) {
        QemuSnap *c = t->snaps[i];

        if (!c->parent || strcmp(c->parent, s->name) != 0)
            continue;
        free(c->parent);
        c->parent = allocStrdup(s->parent);
        if (qemuSnapSave(d->drv, d->def->name, c) < 0)
            return -1;
    }
    if (t->current && strcmp(t->current, s->name) == 0 &&
        qemuSnapSetCurrent(d->drv, d->def->name, t, s->parent) < 0)
        return -1;
    if (qemuSnapUnlink(d->drv, d->def->name, s->name) < 0)
        return -1;
    qemuSnapTreeRemove(t, s);
    qemuSnapFree(s);
    return 0;
}

/* Delete S (its data unless METAONLY, then its metadata). */
static int
qemuSnapDeleteOne(QemuDom *d, QemuSnapTree *t, QemuSnap *s, bool metaOnly)
{
    if (!metaOnly) {
        if (qemuSnapIsExternal(s) ? qemuSnapDiscardExternal(d, t, s) < 0
                                  : qemuSnapDiscardInternal(d, s) < 0)
            return -1;
    }
    return qemuSnapForget(d, t, s);
}

/* Delete every descendant of S, deepest first. */
static int
qemuSnapDeleteChildren(QemuDom *d, QemuSnapTree *t, const char *name,
                       bool metaOnly)
{
    size_t i = 0;

    while (i < t->n) {
        QemuSnap *c = t->snaps[i];

        if (!c->parent || strcmp(c->parent, name) != 0) {
            i++;
            continue;
        }
        if (qemuSnapDeleteChildren(d, t, c->name, metaOnly) < 0 ||
            qemuSnapDeleteOne(d, t, c, metaOnly) < 0)
            return -1;
        i = 0;
    }
    return 0;
}

#define DELETE_FLAGS (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN | \
                      VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY | \
                      VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)

int
qemuSnapDelete(virDomainSnapshotPtr snap, unsigned int flags)
{
    bool metaOnly = flags & VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY;
    QemuSnapTree *t = NULL;
    QemuSnap *s = NULL;
    QemuDom *d;
    int ret = 0;

    if (qemuSnapCheckFlags(flags, DELETE_FLAGS, "virDomainSnapshotDelete") < 0)
        return -1;
    if ((flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN) &&
        (flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'children' and "
                    "'children-only' are mutually exclusive");
        return -1;
    }
    if (!(d = qemuSnapBegin(snap, &t, &s)))
        return -1;
    if (!metaOnly && qemuSnapDeleteCheck(d, t, s, flags) < 0) {
        qemuSnapEnd(d, t);
        return -1;
    }
    if (flags & (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                 VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        char *cur = allocStrdup(t->current);

        ret = qemuSnapDeleteChildren(d, t, s->name, metaOnly);
        /* the current one was a descendant: the mark is back on S */
        if (ret == 0 && cur && !qemuSnapFind(t, cur))
            ret = qemuSnapSetCurrent(d->drv, d->def->name, t, s->name);
        free(cur);
    }
    if (ret == 0 && !(flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY))
        ret = qemuSnapDeleteOne(d, t, s, metaOnly);
    qemuSnapEnd(d, t);
    return ret;
}
