/* qemu_snapshot.c: the QEMU driver's snapshot family: lookups, listings,
 * the snapshot tree and XML (creation, revert and deletion are in
 * qemu_snapshot_create.c and qemu_snapshot_revert.c) */
#define ERROR_DOMAIN VIR_FROM_DOMAIN_SNAPSHOT

#include "qemu_snapshot.h"
#include "conf/domain_list.h"

#include "alloc.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

int
qemuSnapCheckFlags(unsigned int flags, unsigned int allowed,
                   const char *func)
{
    if (!(flags & ~allowed))
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in %s",
                flags & ~allowed, func);
    return -1;
}

/* The snapshot tree of DOM's domain, read without a job (metadata files
 * are replaced atomically). NULL with an error. */
static QemuSnapTree *
qemuSnapTreeOf(virDomainPtr dom, char **domName)
{
    QemuDom *d = qemuDomGet(dom);
    QemuSnapTree *t;

    if (!d)
        return NULL;
    t = qemuSnapTreeLoad(d->drv, d->def->name);
    if (t && domName)
        *domName = allocStrdup(d->def->name);
    qemuDomRelease(d);
    return t;
}

/* The tree of SNAP's domain and SNAP in it; NULL with an error. */
static QemuSnapTree *
qemuSnapTreeOfSnap(virDomainSnapshotPtr snap, QemuSnap **s)
{
    char *domName = NULL;
    QemuSnapTree *t = qemuSnapTreeOf(snap->domain, &domName);

    if (t && !(*s = qemuSnapGet(t, domName, snap->name))) {
        qemuSnapTreeFree(t);
        t = NULL;
    }
    free(domName);
    return t;
}

/* Whether S passes the VIR_DOMAIN_SNAPSHOT_LIST_* filters of FLAGS. */
static bool
qemuSnapMatch(const QemuSnapTree *t, const QemuSnap *s, unsigned int flags)
{
    SnapshotListInfo info = {
        .leaf = qemuSnapIsLeaf(t, s),
        .external = qemuSnapIsExternal(s),
        .hasMetadata = true,    /* every snapshot we know of has metadata */
        .diskOnly = s->state == SNAP_STATE_DISK_SNAPSHOT,
        .shutoff = s->state == SNAP_STATE_SHUTOFF,
    };

    return domainListSnapshotMatches(&info, flags);
}

/* Append the matching snapshots under PARENT (NULL: the roots) to OUT,
 * parents before children (so always in topological order). */
static void
qemuSnapCollect(const QemuSnapTree *t, const char *parent, bool recurse,
                unsigned int flags, QemuSnap ***out, size_t *n)
{
    for (size_t i = 0; i < t->n; i++) {
        QemuSnap *s = t->snaps[i];
        bool child = parent ? s->parent && strcmp(s->parent, parent) == 0
                            : !s->parent || !qemuSnapFind(t, s->parent);

        if (!child)
            continue;
        if (qemuSnapMatch(t, s, flags)) {
            allocResize(out, *n, *n + 1, sizeof(**out));
            (*out)[(*n)++] = s;
        }
        if (recurse)
            qemuSnapCollect(t, s->name, true, flags, out, n);
    }
}

/* The snapshots a listing selects: under FROM (children listings) or all
 * / the roots. Caller frees the array (not the records). */
static QemuSnap **
qemuSnapSelect(const QemuSnapTree *t, const QemuSnap *from,
               unsigned int flags, size_t *n)
{
    QemuSnap **out = NULL;
    bool recurse = from ? (flags & VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS)
                        : !(flags & VIR_DOMAIN_SNAPSHOT_LIST_ROOTS);

    *n = 0;
    qemuSnapCollect(t, from ? from->name : NULL, recurse, flags, &out, n);
    return out;
}

#define LIST_FILTERS (VIR_DOMAIN_SNAPSHOT_LIST_METADATA | \
                      VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | \
                      VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES | \
                      VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA | \
                      VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | \
                      VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE | \
                      VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY | \
                      VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | \
                      VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL | \
                      VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL)
#define DOM_LIST_FLAGS (LIST_FILTERS | VIR_DOMAIN_SNAPSHOT_LIST_ROOTS)
#define CHILD_LIST_FLAGS (LIST_FILTERS | VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS)

/* What a listing returns: a count, names, or objects. */
typedef struct {
    char **names;               /* names (NAMESLEN of them at most) */
    int nameslen;
    virDomainSnapshotPtr **objs;    /* objects (may be NULL: count only) */
    bool wantObjs;
} SnapOut;

static int
qemuSnapOutput(virDomainPtr dom, QemuSnap **list, size_t n, SnapOut *o)
{
    int i;

    if (o->names) {
        if (o->nameslen < 0) {
            reportError(VIR_ERR_INVALID_ARG, "negative nameslen %d",
                        o->nameslen);
            return -1;
        }
        for (i = 0; i < o->nameslen && (size_t)i < n; i++)
            o->names[i] = allocStrdup(list[i]->name);
        return i;
    }
    if (o->wantObjs && o->objs) {
        virDomainSnapshotPtr *out = allocArray(n + 1, sizeof(*out));

        for (size_t k = 0; k < n; k++)
            out[k] = snapshotNew(dom, list[k]->name);
        *o->objs = out;
    }
    return (int)n;
}

/* One listing of DOM's snapshots (FROM: children of that snapshot). */
static int
qemuSnapList(virDomainPtr dom, const char *from, unsigned int flags,
             SnapOut *o)
{
    char *domName = NULL;
    QemuSnapTree *t = qemuSnapTreeOf(dom, &domName);
    QemuSnap *s = NULL, **list;
    size_t n;
    int ret = -1;

    if (!t)
        return -1;
    if (!from || (s = qemuSnapGet(t, domName, from))) {
        list = qemuSnapSelect(t, s, flags, &n);
        ret = qemuSnapOutput(dom, list, n, o);
        free(list);
    }
    qemuSnapTreeFree(t);
    free(domName);
    return ret;
}

static int
qemuDomainSnapshotNum(virDomainPtr dom, unsigned int flags)
{
    SnapOut o = { 0 };

    if (qemuSnapCheckFlags(flags, DOM_LIST_FLAGS, __func__) < 0)
        return -1;
    return qemuSnapList(dom, NULL, flags, &o);
}

static int
qemuDomainSnapshotListNames(virDomainPtr dom, char **names, int nameslen,
                            unsigned int flags)
{
    SnapOut o = { .names = names, .nameslen = nameslen };

    if (qemuSnapCheckFlags(flags, DOM_LIST_FLAGS, __func__) < 0)
        return -1;
    return qemuSnapList(dom, NULL, flags, &o);
}

static int
qemuDomainListAllSnapshots(virDomainPtr dom, virDomainSnapshotPtr **snaps,
                           unsigned int flags)
{
    SnapOut o = { .objs = snaps, .wantObjs = true };

    if (qemuSnapCheckFlags(flags, DOM_LIST_FLAGS, __func__) < 0)
        return -1;
    return qemuSnapList(dom, NULL, flags, &o);
}

static int
qemuDomainSnapshotNumChildren(virDomainSnapshotPtr snap, unsigned int flags)
{
    SnapOut o = { 0 };

    if (qemuSnapCheckFlags(flags, CHILD_LIST_FLAGS, __func__) < 0)
        return -1;
    return qemuSnapList(snap->domain, snap->name, flags, &o);
}

static int
qemuDomainSnapshotListChildrenNames(virDomainSnapshotPtr snap, char **names,
                                    int nameslen, unsigned int flags)
{
    SnapOut o = { .names = names, .nameslen = nameslen };

    if (qemuSnapCheckFlags(flags, CHILD_LIST_FLAGS, __func__) < 0)
        return -1;
    return qemuSnapList(snap->domain, snap->name, flags, &o);
}

static int
qemuDomainSnapshotListAllChildren(virDomainSnapshotPtr snap,
                                  virDomainSnapshotPtr **snaps,
                                  unsigned int flags)
{
    SnapOut o = { .objs = snaps, .wantObjs = true };

    if (qemuSnapCheckFlags(flags, CHILD_LIST_FLAGS, __func__) < 0)
        return -1;
    return qemuSnapList(snap->domain, snap->name, flags, &o);
}

static virDomainSnapshotPtr
qemuDomainSnapshotLookupByName(virDomainPtr dom, const char *name,
                               unsigned int flags)
{
    char *domName = NULL;
    QemuSnapTree *t;
    virDomainSnapshotPtr ret = NULL;

    if (qemuSnapCheckFlags(flags, 0, __func__) < 0 ||
        !(t = qemuSnapTreeOf(dom, &domName)))
        return NULL;
    if (qemuSnapGet(t, domName, name))
        ret = snapshotNew(dom, name);
    qemuSnapTreeFree(t);
    free(domName);
    return ret;
}

static int
qemuDomainHasCurrentSnapshot(virDomainPtr dom, unsigned int flags)
{
    QemuSnapTree *t;
    int ret;

    if (qemuSnapCheckFlags(flags, 0, __func__) < 0 ||
        !(t = qemuSnapTreeOf(dom, NULL)))
        return -1;
    ret = t->current != NULL;
    qemuSnapTreeFree(t);
    return ret;
}

static virDomainSnapshotPtr
qemuDomainSnapshotCurrent(virDomainPtr dom, unsigned int flags)
{
    char *domName = NULL;
    QemuSnapTree *t;
    virDomainSnapshotPtr ret = NULL;

    if (qemuSnapCheckFlags(flags, 0, __func__) < 0 ||
        !(t = qemuSnapTreeOf(dom, &domName)))
        return NULL;
    if (t->current)
        ret = snapshotNew(dom, t->current);
    else
        reportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "domain '%s' has no current "
                    "snapshot", domName);
    qemuSnapTreeFree(t);
    free(domName);
    return ret;
}

static virDomainSnapshotPtr
qemuDomainSnapshotGetParent(virDomainSnapshotPtr snap, unsigned int flags)
{
    QemuSnapTree *t;
    QemuSnap *s = NULL;
    virDomainSnapshotPtr ret = NULL;

    if (qemuSnapCheckFlags(flags, 0, __func__) < 0 ||
        !(t = qemuSnapTreeOfSnap(snap, &s)))
        return NULL;
    if (s->parent)
        ret = snapshotNew(snap->domain, s->parent);
    else
        reportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "snapshot '%s' of domain '%s' "
                    "has no parent", s->name, snap->domain->name);
    qemuSnapTreeFree(t);
    return ret;
}

static int
qemuDomainSnapshotIsCurrent(virDomainSnapshotPtr snap, unsigned int flags)
{
    QemuSnapTree *t;
    QemuSnap *s = NULL;
    int ret;

    if (qemuSnapCheckFlags(flags, 0, __func__) < 0 ||
        !(t = qemuSnapTreeOfSnap(snap, &s)))
        return -1;
    ret = t->current && strcmp(t->current, s->name) == 0;
    qemuSnapTreeFree(t);
    return ret;
}

static int
qemuDomainSnapshotHasMetadata(virDomainSnapshotPtr snap, unsigned int flags)
{
    QemuSnapTree *t;
    QemuSnap *s = NULL;

    if (qemuSnapCheckFlags(flags, 0, __func__) < 0 ||
        !(t = qemuSnapTreeOfSnap(snap, &s)))
        return -1;
    qemuSnapTreeFree(t);
    return 1;
}

static char *
qemuDomainSnapshotGetXMLDesc(virDomainSnapshotPtr snap, unsigned int flags)
{
    QemuSnapTree *t;
    QemuSnap *s = NULL;
    char *ret;

    if (qemuSnapCheckFlags(flags, VIR_DOMAIN_SNAPSHOT_XML_SECURE,
                           __func__) < 0 ||
        !(t = qemuSnapTreeOfSnap(snap, &s)))
        return NULL;
    ret = qemuSnapFormat(s, flags & VIR_DOMAIN_SNAPSHOT_XML_SECURE, false);
    qemuSnapTreeFree(t);
    return ret;
}

static virDomainSnapshotPtr
qemuDomainSnapshotCreateXML(virDomainPtr dom, const char *xml,
                            unsigned int flags)
{
    return qemuSnapCreate(dom, xml, flags);
}

static int
qemuDomainRevertToSnapshot(virDomainSnapshotPtr snap, unsigned int flags)
{
    return qemuSnapRevert(snap, flags);
}

static int
qemuDomainSnapshotDelete(virDomainSnapshotPtr snap, unsigned int flags)
{
    return qemuSnapDelete(snap, flags);
}

/* ---- hooks for the rest of the driver ---- */

bool
qemuSnapshotHas(const QemuDom *d)
{
    return qemuSnapCount(d->drv, d->def->name) > 0;
}

int
qemuSnapshotUndefine(QemuDom *d, unsigned int flags)
{
    int n = qemuSnapCount(d->drv, d->def->name);

    if (n == 0)
        return 0;
    if (!(flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
        if (qemuDomIsActive(d))
            return 0;   /* the metadata goes with the last undefine */
        reportError(VIR_ERR_OPERATION_INVALID, "cannot undefine domain '%s' "
                    "with %d snapshot(s): use the snapshots-metadata flag",
                    d->def->name, n);
        return -1;
    }
    return qemuSnapRemoveAll(d->drv, d->def->name);
}

void
qemuSnapshotFill(Driver *drv)
{
    drv->domainSnapshotCreateXML = qemuDomainSnapshotCreateXML;
    drv->domainSnapshotGetXMLDesc = qemuDomainSnapshotGetXMLDesc;
    drv->domainSnapshotNum = qemuDomainSnapshotNum;
    drv->domainSnapshotListNames = qemuDomainSnapshotListNames;
    drv->domainListAllSnapshots = qemuDomainListAllSnapshots;
    drv->domainSnapshotNumChildren = qemuDomainSnapshotNumChildren;
    drv->domainSnapshotListChildrenNames =
        qemuDomainSnapshotListChildrenNames;
    drv->domainSnapshotListAllChildren = qemuDomainSnapshotListAllChildren;
    drv->domainSnapshotLookupByName = qemuDomainSnapshotLookupByName;
    drv->domainHasCurrentSnapshot = qemuDomainHasCurrentSnapshot;
    drv->domainSnapshotCurrent = qemuDomainSnapshotCurrent;
    drv->domainSnapshotGetParent = qemuDomainSnapshotGetParent;
    drv->domainSnapshotIsCurrent = qemuDomainSnapshotIsCurrent;
    drv->domainSnapshotHasMetadata = qemuDomainSnapshotHasMetadata;
    drv->domainRevertToSnapshot = qemuDomainRevertToSnapshot;
    drv->domainSnapshotDelete = qemuDomainSnapshotDelete;
}
