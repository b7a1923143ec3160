/* qemu_snapshot_create.c: taking snapshots: internal ones (snapshot-save
 * on a running QEMU, qemu-img snapshot -c on a shut-off domain's disks),
 * external disk overlays (blockdev-snapshot-sync, or qemu-img create for a
 * shut-off domain; with the memory: qemu_snapshot_memory.c), and
 * redefining metadata */
#define ERROR_DOMAIN VIR_FROM_DOMAIN_SNAPSHOT

#include "qemu_snapshot.h"
#include "qemu_block.h"
#include "qemu_guest.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CREATE_FLAGS (VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | \
                      VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT | \
                      VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | \
                      VIR_DOMAIN_SNAPSHOT_CREATE_HALT | \
                      VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | \
                      VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT | \
                      VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | \
                      VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC | \
                      VIR_DOMAIN_SNAPSHOT_CREATE_LIVE | \
                      VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE)

int
qemuSnapMonitorRun(QemuDom *d, int (*fn)(Qmp *mon, void *opaque),
                   void *opaque)
{
    Qmp *mon = qemuProcessMonAcquire(d);
    int ret;

    if (!mon)
        return -1;
    pthread_mutex_unlock(&d->drv->lock);
    ret = fn(mon, opaque);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    return ret;
}

int
qemuSnapStopDomain(QemuDom *d)
{
    int ret;

    d->exitReason = VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT;
    d->exitDetail = VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT;
    ret = qemuProcessKill(d->drv, d, false);
    if (ret < 0)
        d->exitReason = d->exitDetail = 0;
    return ret;
}

/* Flag combinations that are wrong whatever the domain. */
static int
qemuSnapCheckCreateFlags(unsigned int flags)
{
    unsigned int redef = VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;

    if (qemuSnapCheckFlags(flags, CREATE_FLAGS, "virDomainSnapshotCreateXML")
        < 0)
        return -1;
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT) && !(flags & redef)) {
        reportError(VIR_ERR_INVALID_ARG, "flag 'current' requires "
                    "'redefine'");
        return -1;
    }
    if ((flags & redef) &&
        (flags & ~(redef | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT |
                   VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE))) {
        reportError(VIR_ERR_INVALID_ARG, "flag 'redefine' only combines with "
                    "'current' and 'validate'");
        return -1;
    }
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE) &&
        !(flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)) {
        reportError(VIR_ERR_INVALID_ARG, "flag 'quiesce' requires "
                    "'disk-only'");
        return -1;
    }
    return 0;
}

/* QUIESCE and LIVE against the state of D and snapshot S. */
static int
qemuSnapCheckState(const QemuDom *d, const QemuSnap *s, unsigned int flags)
{
    if ((flags & (VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE |
                  VIR_DOMAIN_SNAPSHOT_CREATE_LIVE)) &&
        qemuDomCheckActive(d) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE) && !s->memoryFile) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "live snapshot '%s' of "
                    "domain '%s' needs an external memory file (<memory "
                    "snapshot='external' file=...>)", s->name, d->def->name);
        return -1;
    }
    return 0;
}

/* Freeze (or thaw) the guest's file systems through its agent. */
static int
qemuSnapFreeze(QemuDom *d, bool freeze)
{
    json_object *cmd = qmpCommandNew(freeze ? "guest-fsfreeze-freeze"
                                            : "guest-fsfreeze-thaw", NULL);
    json_object *reply = NULL;
    int ret;

    if (!cmd)
        return -1;
    ret = qemuAgentRun(d, cmd, &reply, 0);
    json_object_put(reply);
    json_object_put(cmd);
    return ret;
}

/* The overlay name of an external snapshot NAME of image PATH: its
 * extension replaced by the snapshot's name, as libvirt does. */
static char *
qemuSnapOverlayName(const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');

    if (dot && (!slash || dot > slash + 1))
        return allocPrintf("%.*s.%s", (int)(dot - path), path, name);
    return allocPrintf("%s.%s", path, name);
}

/* The caller's entry for DISK in S, or NULL. */
static QemuSnapDisk *
qemuSnapDiskFind(QemuSnap *s, const DiskDef *disk)
{
    for (size_t i = 0; i < s->ndisks; i++) {
        const char *n = s->disks[i].name;

        if (strcmp(n, disk->dst) == 0 ||
            (disk->srcPath && strcmp(n, disk->srcPath) == 0))
            return &s->disks[i];
    }
    return NULL;
}

/* Fill OUT, S's choice for DISK of DEF (EXTERNAL: the default mode). */
static int
qemuSnapAlignOne(QemuSnap *s, const DiskDef *disk, bool external,
                 QemuSnapDisk *out)
{
    QemuSnapDisk *given = qemuSnapDiskFind(s, disk);

    out->name = allocStrdup(disk->dst);
    out->kind = given ? given->kind : SNAP_DISK_DEFAULT;
    if (!qemuSnapDiskWritable(disk))
        out->kind = SNAP_DISK_NO;
    if (out->kind == SNAP_DISK_DEFAULT)
        out->kind = external ? SNAP_DISK_EXTERNAL : SNAP_DISK_INTERNAL;
    if (out->kind == SNAP_DISK_NO)
        return 0;
    if ((out->kind == SNAP_DISK_EXTERNAL) != external) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' of snapshot '%s': "
                    "internal and external disk snapshots cannot be mixed",
                    disk->dst, s->name);
        return -1;
    }
    if (!external)
        return 0;
    out->driverType = allocStrdup(given && given->driverType ?
                                  given->driverType : "qcow2");
    if (strcmp(out->driverType, "qcow2") != 0) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "external snapshot of disk "
                    "'%s' must be qcow2, not '%s'", disk->dst,
                    out->driverType);
        return -1;
    }
    out->file = given && given->file ? allocStrdup(given->file)
                                     : qemuSnapOverlayName(disk->srcPath,
                                                           s->name);
    return 0;
}

/* Replace S's disk list by one entry per disk of DEF, in DEF's order. */
static int
qemuSnapAlignDisks(QemuSnap *s, const DomainDef *def, bool external)
{
    QemuSnapDisk *disks = allocArray(def->ndisks + 1, sizeof(*disks));
    size_t n = 0;
    int ret = 0;

    for (size_t i = 0; i < s->ndisks && ret == 0; i++) {
        if (domainFindDisk(def, s->disks[i].name) < 0) {
            reportError(VIR_ERR_INVALID_ARG, "snapshot '%s' names disk '%s' "
                        "that domain '%s' does not have", s->name,
                        s->disks[i].name, def->name);
            ret = -1;
        }
    }
    for (size_t i = 0; i < def->ndisks && ret == 0; i++)
        ret = qemuSnapAlignOne(s, def->disks[i], external, &disks[n++]);
    for (size_t i = 0; i < s->ndisks; i++) {
        free(s->disks[i].name);
        free(s->disks[i].file);
        free(s->disks[i].driverType);
    }
    free(s->disks);
    s->disks = disks;
    s->ndisks = n;
    return ret;
}

/* ---- internal snapshots ---- */

typedef struct {
    const DomainDef *def;
    const char *tag;
    bool stop;                  /* pause the vCPUs first */
} SnapSaveCtx;

static int
qemuSnapSaveMon(Qmp *mon, void *opaque)
{
    SnapSaveCtx *c = opaque;
    char **nodes = NULL;
    int ret = -1;

    if (c->stop && qmpStop(mon) < 0)
        return -1;
    if (!(nodes = qemuSnapNodeNames(mon, c->def)) || !nodes[0])
        goto cleanup;
    if (qmpSnapshotSave(mon, "vireo-snapshot-save", c->tag, nodes[0],
                        (const char *const *)nodes) < 0)
        goto cleanup;
    ret = qemuSnapJobWait(mon, "vireo-snapshot-save", "snapshot-save");
 cleanup:
    qmpStringListFree(nodes);
    return ret;
}

static int
qemuSnapContMon(Qmp *mon, void *opaque)
{
    (void)opaque;
    return qmpCont(mon);
}

/* Resume D after a snapshot paused it (lock and job held). */
static int
qemuSnapResume(QemuDom *d, int reason, int detail)
{
    int ret = qemuSnapMonitorRun(d, qemuSnapContMon, NULL);

    if (ret == 0 && qemuDomIsActive(d) && d->state == VIR_DOMAIN_PAUSED) {
        qemuDomSetState(d, VIR_DOMAIN_RUNNING, reason);
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_RESUMED, detail);
        if (qemuStateSaveStatus(d->drv, d) < 0)
            errorReset();
    }
    return ret;
}

/* Internal snapshot S (with memory) of running D. */
static int
qemuSnapInternalLive(QemuDom *d, QemuSnap *s, bool halt)
{
    SnapSaveCtx c = { .def = d->def, .tag = s->name };
    bool running;
    int ret;

    if (d->state != VIR_DOMAIN_RUNNING && d->state != VIR_DOMAIN_PAUSED) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' must be running "
                    "or paused for an internal snapshot", d->def->name);
        return -1;
    }
    if (qemuSnapCheckQcow2(d->def, "internal snapshot") < 0)
        return -1;
    s->state = d->state;
    s->memory = true;
    running = d->state == VIR_DOMAIN_RUNNING;
    /* snapshot-save pauses running vCPUs and resumes them itself, which
     * spares two monitor round trips; HALT keeps them paused for good */
    c.stop = running && halt;
    if (running) {
        /* paused by us: the STOP event that follows is not news */
        qemuDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SNAPSHOT);
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SUSPENDED,
                              VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
    ret = qemuSnapMonitorRun(d, qemuSnapSaveMon, &c);
    /* QEMU's RESUME event usually set the state already */
    if (running && !(halt && ret == 0) && qemuDomIsActive(d) &&
        d->state == VIR_DOMAIN_PAUSED) {
        virErrorPtr err = ret < 0 ? errorSave() : NULL;
        int r = qemuSnapResume(d, VIR_DOMAIN_RUNNING_UNPAUSED,
                               VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);

        if (err)
            errorRestore(&err);
        else if (r < 0)
            ret = -1;
    }
    return ret;
}

int
qemuSnapImgAll(const DomainDef *def, const QemuSnap *s, const char *op,
               bool rollback)
{
    size_t i, done = 0;
    int ret = 0;

    for (i = 0; i < s->ndisks && ret == 0; i++) {
        int k = domainFindDisk(def, s->disks[i].name);
        const char *argv[] = { "snapshot", op, s->name, NULL, NULL };

        if (s->disks[i].kind != SNAP_DISK_INTERNAL || k < 0 ||
            !qemuSnapDiskWritable(def->disks[k]))
            continue;
        argv[3] = def->disks[k]->srcPath;
        if ((ret = qemuSnapImg(argv, NULL)) == 0)
            done = i + 1;
    }
    for (i = 0; ret < 0 && rollback && i < done; i++) {
        int k = domainFindDisk(def, s->disks[i].name);
        const char *argv[] = { "snapshot", "-d", s->name, NULL, NULL };
        virErrorPtr err = errorSave();

        if (s->disks[i].kind == SNAP_DISK_INTERNAL && k >= 0) {
            argv[3] = def->disks[k]->srcPath;
            qemuSnapImg(argv, NULL);
        }
        errorRestore(&err);
    }
    return ret;
}

/* Internal snapshot S of shut-off D: qemu-img on each disk. */
static int
qemuSnapInternalOffline(QemuDom *d, QemuSnap *s)
{
    s->state = SNAP_STATE_SHUTOFF;
    s->memory = false;
    if (qemuSnapCheckQcow2(d->def, "internal snapshot") < 0)
        return -1;
    for (size_t i = 0; i < s->ndisks; i++) {
        int k = domainFindDisk(d->def, s->disks[i].name);
        int has;

        if (s->disks[i].kind != SNAP_DISK_INTERNAL || k < 0)
            continue;
        if ((has = qemuSnapImgHasTag(d->def->disks[k]->srcPath,
                                     s->name)) < 0)
            return -1;
        if (has) {
            reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' "
                        "already has an internal snapshot '%s'",
                        s->disks[i].name, d->def->name, s->name);
            return -1;
        }
    }
    return qemuSnapImgAll(d->def, s, "-c", true);
}

/* ---- external snapshots ---- */

/* Make the disks of DEF use the overlays of S. CHAIN: the old image
 * becomes the <backingStore> of the new one (as libvirt records a
 * snapshot of a running domain in its persistent definition). */
static void
qemuSnapUseOverlays(DomainDef *def, const QemuSnap *s, bool chain)
{
    for (size_t i = 0; def && i < s->ndisks; i++) {
        int k = domainFindDisk(def, s->disks[i].name);
        DiskDef *disk;

        if (s->disks[i].kind != SNAP_DISK_EXTERNAL || k < 0)
            continue;
        disk = def->disks[k];
        if (chain || (disk->backingStore && disk->backingStore->nkids)) {
            qemuBlockChainPush(disk, s->disks[i].file,
                               s->disks[i].driverType);
            continue;
        }
        free(disk->srcPath);
        disk->srcPath = allocStrdup(s->disks[i].file);
        free(disk->driverType);
        disk->driverType = allocStrdup(s->disks[i].driverType);
    }
}

bool
qemuSnapHasExternalDisk(const QemuSnap *s)
{
    for (size_t i = 0; i < s->ndisks; i++)
        if (s->disks[i].kind == SNAP_DISK_EXTERNAL)
            return true;
    return false;
}

int
qemuSnapCheckOverlays(const QemuSnap *s, bool reuse)
{
    for (size_t i = 0; i < s->ndisks; i++) {
        const QemuSnapDisk *disk = &s->disks[i];
        bool exists;

        if (disk->kind != SNAP_DISK_EXTERNAL)
            continue;
        exists = access(disk->file, F_OK) == 0;
        if (exists != reuse) {
            reportError(VIR_ERR_OPERATION_INVALID, "external snapshot file "
                        "'%s' of disk '%s' %s", disk->file, disk->name,
                        reuse ? "does not exist" : "already exists");
            return -1;
        }
    }
    return 0;
}

/* Create the overlays of S for shut-off D (unless REUSE). */
static int
qemuSnapCreateOverlays(const QemuDom *d, const QemuSnap *s, bool reuse)
{
    size_t i;
    int ret = 0;

    for (i = 0; i < s->ndisks && ret == 0 && !reuse; i++) {
        const QemuSnapDisk *disk = &s->disks[i];
        int k = domainFindDisk(d->def, disk->name);
        const DiskDef *base = k >= 0 ? d->def->disks[k] : NULL;
        const char *argv[] = { "create", "-q", "-f", "qcow2", "-b", NULL,
                               "-F", NULL, NULL, NULL };

        if (disk->kind != SNAP_DISK_EXTERNAL || !base)
            continue;
        argv[5] = base->srcPath;
        argv[7] = base->driverType ? base->driverType : "raw";
        argv[8] = disk->file;
        ret = qemuSnapImg(argv, NULL);
    }
    while (ret < 0 && i-- > 0) {
        if (s->disks[i].kind == SNAP_DISK_EXTERNAL)
            unlink(s->disks[i].file);
    }
    return ret;
}

typedef struct {
    const DomainDef *def;
    const QemuSnap *s;
    bool reuse;
} SnapExtCtx;

static int
qemuSnapExternalMon(Qmp *mon, void *opaque)
{
    SnapExtCtx *c = opaque;
    char **nodes = qemuSnapNodeNames(mon, c->def);
    char **sel, **files;
    size_t n = 0, k = 0;
    int ret = -1;

    if (!nodes)
        return -1;
    sel = allocArray(c->s->ndisks + 1, sizeof(*sel));
    files = allocArray(c->s->ndisks + 1, sizeof(*files));
    for (size_t i = 0; i < c->def->ndisks && i < c->s->ndisks; i++) {
        if (!qemuSnapDiskWritable(c->def->disks[i]))
            continue;
        if (c->s->disks[i].kind == SNAP_DISK_EXTERNAL) {
            sel[n] = nodes[k];
            files[n++] = c->s->disks[i].file;
        }
        k++;
    }
    if (n == 0)
        reportError(VIR_ERR_OPERATION_INVALID, "snapshot '%s' selects no "
                    "disk of domain '%s'", c->s->name, c->def->name);
    else
        ret = qemuSnapQmpExternal(mon, sel, files, n, c->reuse);
    free(sel);
    free(files);
    qmpStringListFree(nodes);
    return ret;
}

/* The overlays of S for running D, the guest's file systems frozen
 * around it with QUIESCE. */
static int
qemuSnapExternalLive(QemuDom *d, QemuSnap *s, bool reuse, bool quiesce)
{
    SnapExtCtx c = { .def = d->def, .s = s, .reuse = reuse };
    int ret;

    if (quiesce && qemuSnapFreeze(d, true) < 0)
        return -1;
    ret = qemuSnapMonitorRun(d, qemuSnapExternalMon, &c);
    if (quiesce && qemuDomIsActive(d)) {
        virErrorPtr err = ret < 0 ? errorSave() : NULL;

        if (qemuSnapFreeze(d, false) < 0 && !err)
            ret = -1;
        if (err)
            errorRestore(&err);
    }
    return ret;
}

int
qemuSnapExternalTake(QemuDom *d, QemuSnap *s, unsigned int flags)
{
    bool active = qemuDomIsActive(d);
    bool reuse = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT;

    if (active ? qemuSnapExternalLive(d, s, reuse, flags &
                                      VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE) < 0
               : qemuSnapCreateOverlays(d, s, reuse) < 0)
        return -1;
    if (active) {
        qemuSnapUseOverlays(d->newDef, s, true);
        qemuSnapUseOverlays(d->def, s, true);
        /* the live chains as QEMU opened them */
        if (qemuBlockChainRefresh(d) < 0)
            errorReset();
    } else {
        qemuSnapUseOverlays(d->def, s, false);
    }
    if (d->persistent &&
        qemuStateSaveConfig(d->drv, d->newDef ? d->newDef : d->def) < 0)
        return -1;
    if (active && qemuStateSaveStatus(d->drv, d) < 0)
        errorReset();
    return 0;
}

/* External disk-only snapshot S of D (running or not). */
static int
qemuSnapExternal(QemuDom *d, QemuSnap *s, unsigned int flags)
{
    bool active = qemuDomIsActive(d);

    s->memory = false;
    s->state = active ? SNAP_STATE_DISK_SNAPSHOT : SNAP_STATE_SHUTOFF;
    if (qemuSnapCheckOverlays(s, flags & VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT)
        < 0)
        return -1;
    return qemuSnapExternalTake(d, s, flags);
}

/* ---- the entry point ---- */

/* A free name from the clock, as libvirt names unnamed snapshots. */
static char *
qemuSnapNewName(const QemuSnapTree *t, long long now)
{
    char *name = allocPrintf("%lld", now);

    for (int i = 2; qemuSnapFind(t, name); i++) {
        free(name);
        name = allocPrintf("%lld-%d", now, i);
    }
    return name;
}

/* REDEFINE: record the caller's metadata S (taken on success). */
static int
qemuSnapRedefine(QemuDom *d, QemuSnapTree *t, QemuSnap *s, bool current)
{
    QemuSnap *old;

    if (!s->name) {
        reportError(VIR_ERR_INVALID_ARG, "a redefined snapshot needs a name");
        return -1;
    }
    if (s->parent && (strcmp(s->parent, s->name) == 0 ||
                      !qemuSnapFind(t, s->parent))) {
        reportError(VIR_ERR_INVALID_ARG, "parent '%s' of snapshot '%s' does "
                    "not exist", s->parent, s->name);
        return -1;
    }
    if (!s->def && !(s->def = qemuSnapDefCopy(d->newDef ? d->newDef : d->def,
                                              d, false)))
        return -1;
    if (s->state < 0)
        s->state = SNAP_STATE_SHUTOFF;
    s->memory = !s->memoryFile &&
                (s->memory || s->state == SNAP_STATE_RUNNING ||
                 s->state == SNAP_STATE_PAUSED);
    if (s->creationTime < 0)
        s->creationTime = time(NULL);
    if (qemuSnapSave(d->drv, d->def->name, s) < 0)
        return -1;
    if ((old = qemuSnapFind(t, s->name))) {
        qemuSnapTreeRemove(t, old);
        qemuSnapFree(old);
    }
    qemuSnapTreeAdd(t, s);
    if (current)
        return qemuSnapSetCurrent(d->drv, d->def->name, t, s->name);
    return 0;
}

/* Take the snapshot S of D for real (name set, fields parsed). */
static int
qemuSnapTake(QemuDom *d, QemuSnapTree *t, QemuSnap *s, unsigned int flags)
{
    bool active = qemuDomIsActive(d);
    bool external = (flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) ||
                    qemuSnapIsExternal(s);

    if (qemuSnapFind(t, s->name)) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' already has a "
                    "snapshot named '%s'", d->def->name, s->name);
        return -1;
    }
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) &&
        (s->memory || s->memoryFile)) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk-only snapshot '%s' "
                    "cannot save the memory", s->name);
        return -1;
    }
    if (external && s->memory) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "snapshot '%s' cannot keep "
                    "the memory internally with external disk overlays",
                    s->name);
        return -1;
    }
    if (s->memoryFile && !active) {
        reportError(VIR_ERR_OPERATION_INVALID, "snapshot '%s' cannot save "
                    "the memory of domain '%s': it is not running", s->name,
                    d->def->name);
        return -1;
    }
    if (external && active && !(flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)
        && !s->memoryFile) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "external snapshot '%s' of "
                    "running domain '%s' needs the disk-only flag or an "
                    "external memory file", s->name, d->def->name);
        return -1;
    }
    if (qemuSnapCheckState(d, s, flags) < 0 ||
        qemuSnapAlignDisks(s, d->def, external) < 0)
        return -1;
    s->creationTime = time(NULL);
    s->parent = allocStrdup(t->current);
    if (!(s->def = domainDefCopy(d->def)) ||
        (active && d->newDef && !(s->inactiveDef = domainDefCopy(d->newDef))))
        return -1;
    if (s->memoryFile)
        return qemuSnapExternalMemory(d, s, flags);
    if (external)
        return qemuSnapExternal(d, s, flags);
    if (active)
        return qemuSnapInternalLive(d, s,
                                    flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT);
    return qemuSnapInternalOffline(d, s);
}

/* Record new snapshot S (taken) of D in T as the current one. */
static int
qemuSnapRecord(QemuDom *d, QemuSnapTree *t, QemuSnap *s)
{
    if (qemuSnapSave(d->drv, d->def->name, s) < 0) {
        qemuSnapFree(s);
        return -1;
    }
    qemuSnapTreeAdd(t, s);
    return qemuSnapSetCurrent(d->drv, d->def->name, t, s->name);
}

static virDomainSnapshotPtr
qemuSnapCreateLocked(virDomainPtr dom, QemuDom *d, QemuSnap *s,
                     unsigned int flags)
{
    QemuSnapTree *t = qemuSnapTreeLoad(d->drv, d->def->name);
    virDomainSnapshotPtr ret = NULL;

    if (!t)
        goto cleanup;
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE) {
        if (qemuSnapRedefine(d, t, s, flags &
                             VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT) == 0)
            ret = snapshotNew(dom, s->name);
        else
            qemuSnapFree(s);
        goto cleanup;
    }
    if (!s->name)
        s->name = qemuSnapNewName(t, time(NULL));
    if (qemuSnapTake(d, t, s, flags) < 0) {
        qemuSnapFree(s);
        goto cleanup;
    }
    ret = snapshotNew(dom, s->name);
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA)
        qemuSnapFree(s);
    else if (qemuSnapRecord(d, t, s) < 0) {
        objectUnref(ret);
        ret = NULL;
        goto cleanup;
    }
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) && qemuDomIsActive(d) &&
        qemuSnapStopDomain(d) < 0) {
        objectUnref(ret);
        ret = NULL;
    }
 cleanup:
    qemuSnapTreeFree(t);
    return ret;
}

virDomainSnapshotPtr
qemuSnapCreate(virDomainPtr dom, const char *xml, unsigned int flags)
{
    bool redefine = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    virDomainSnapshotPtr ret = NULL;
    QemuSnap *s;
    QemuDom *d;

    if (qemuSnapCheckCreateFlags(flags) < 0 ||
        !(s = qemuSnapParse(xml, redefine)))
        return NULL;
    if (!(d = qemuDomGet(dom))) {
        qemuSnapFree(s);
        return NULL;
    }
    if (qemuDomBeginJob(d) < 0) {
        qemuSnapFree(s);
        qemuDomRelease(d);
        return NULL;
    }
    ret = qemuSnapCreateLocked(dom, d, s, flags);
    qemuDomEndJob(d);
    qemuDomRelease(d);
    return ret;
}
