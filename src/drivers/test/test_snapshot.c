/* test_snapshot.c: test driver snapshots: the tree, its XML, creation,
 * lookups and listings (revert and delete are in test_snaprevert.c) */
#define ERROR_DOMAIN VIR_FROM_DOMAIN_SNAPSHOT

#include "test_snapshot.h"
#include "conf/domain_list.h"
#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "xtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const snapStateNames[] = {
    "nostate", "running", "blocked", "paused", "shutdown", "shutoff",
    "crashed", "pmsuspended", "disk-snapshot", NULL
};

void
testSnapFree(TestSnap *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->description);
    free(s->parent);
    domainDefFree(s->def);
    domainDefFree(s->inactiveDef);
    free(s);
}

/* Free the whole list (TestExt teardown). */
void
testSnapListFree(TestSnapList *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        testSnapFree(l->snaps[i]);
    free(l->snaps);
    free(l->current);
    free(l);
}

TestSnapList *
testSnapList(TestDomain *d)
{
    TestExt *e = testExt(d);

    if (!e->snaps)
        ALLOC(e->snaps);
    return e->snaps;
}

/* Overrides the core's weak default: how many snapshots D has. */
int
testSnapshotCount(TestDomain *d)
{
    TestExt *e = d->ext;

    return e && e->snaps ? (int)e->snaps->n : 0;
}

TestSnap *
testSnapFind(TestDomain *d, const char *name)
{
    TestExt *e = d->ext;

    for (size_t i = 0; e && e->snaps && i < e->snaps->n; i++) {
        if (strcmp(e->snaps->snaps[i]->name, name) == 0)
            return e->snaps->snaps[i];
    }
    return NULL;
}

/* Lock the host of SNAP's domain and find SNAP's record; reports
 * NO_DOMAIN / NO_DOMAIN_SNAPSHOT and unlocks on failure. */
TestSnap *
testSnapAcquire(virDomainSnapshotPtr snap, TestHost **h, TestDomain **dp)
{
    TestDomain *d = testDomainAcquire(snap->domain, h);
    TestSnap *s;

    if (!d)
        return NULL;
    if (!(s = testSnapFind(d, snap->name))) {
        reportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "domain '%s' has no snapshot "
                    "'%s'", d->def->name, snap->name);
        testHostUnlock(*h);
        return NULL;
    }
    *dp = d;
    return s;
}

/* Whether S is a child of PARENT (NULL: a root). */
static bool
testSnapChildOf(const TestSnap *s, const char *parent)
{
    if (!parent)
        return s->parent == NULL;
    return s->parent && strcmp(s->parent, parent) == 0;
}

static bool
testSnapIsLeaf(const TestSnapList *l, const TestSnap *s)
{
    for (size_t i = 0; i < l->n; i++) {
        if (testSnapChildOf(l->snaps[i], s->name))
            return false;
    }
    return true;
}

/* Whether S passes the LIST_* filter bits of FLAGS. */
static bool
testSnapMatch(const TestSnapList *l, const TestSnap *s, unsigned int flags)
{
    SnapshotListInfo info = {
        .leaf = testSnapIsLeaf(l, s),
        .external = s->diskOnly,
        .hasMetadata = true,    /* every snapshot kept here has metadata */
        .diskOnly = s->state == SNAP_STATE_DISK_SNAPSHOT,
        .shutoff = s->state == SNAP_STATE_SHUTOFF,
    };

    return domainListSnapshotMatches(&info, flags);
}

/* Append to OUT the snapshots under PARENT (NULL: roots) that match, in
 * creation order, parents before children when RECURSE. */
static void
testSnapCollect(const TestSnapList *l, const char *parent, bool recurse,
                unsigned int flags, TestSnap ***out, size_t *n)
{
    for (size_t i = 0; i < l->n; i++) {
        TestSnap *s = l->snaps[i];

        if (!testSnapChildOf(s, parent))
            continue;
        if (testSnapMatch(l, s, flags)) {
            allocResize(out, *n, *n + 1, sizeof(**out));
            (*out)[(*n)++] = s;
        }
        if (recurse)
            testSnapCollect(l, s->name, true, flags, out, n);
    }
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

/* The matching snapshots of D: under FROM's name (children listing), or
 * all / the roots. Caller frees the array (not the records). */
static TestSnap **
testSnapSelect(TestDomain *d, const TestSnap *from, unsigned int flags,
               size_t *n)
{
    TestSnapList *l = testSnapList(d);
    TestSnap **out = NULL;
    bool recurse = from ? (flags & VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS)
                        : !(flags & VIR_DOMAIN_SNAPSHOT_LIST_ROOTS);

    *n = 0;
    testSnapCollect(l, from ? from->name : NULL, recurse, flags, &out, n);
    return out;
}

static int
testDomainSnapshotNum(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap **list;
    size_t n;

    if (testCheckFlags(flags, LIST_FILTERS | VIR_DOMAIN_SNAPSHOT_LIST_ROOTS) < 0 ||
        !(d = testDomainAcquire(dom, &h)))
        return -1;
    list = testSnapSelect(d, NULL, flags, &n);
    free(list);
    testHostUnlock(h);
    return n;
}

/* Copy up to LEN names of LIST into NAMES. */
static int
testSnapNames(TestSnap **list, size_t n, char **names, int len)
{
    int i;

    if (len < 0) {
        reportError(VIR_ERR_INVALID_ARG, "negative nameslen %d", len);
        return -1;
    }
    for (i = 0; i < len && (size_t)i < n; i++)
        names[i] = allocStrdup(list[i]->name);
    return i;
}

static int
testDomainSnapshotListNames(virDomainPtr dom, char **names, int nameslen,
                            unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap **list;
    size_t n;
    int ret;

    if (testCheckFlags(flags, LIST_FILTERS | VIR_DOMAIN_SNAPSHOT_LIST_ROOTS) < 0 ||
        !(d = testDomainAcquire(dom, &h)))
        return -1;
    list = testSnapSelect(d, NULL, flags, &n);
    ret = testSnapNames(list, n, names, nameslen);
    free(list);
    testHostUnlock(h);
    return ret;
}

/* Objects for LIST (NULL-terminated array in *SNAPS when SNAPS is set). */
static int
testSnapObjects(virDomainPtr dom, TestSnap **list, size_t n,
                virDomainSnapshotPtr **snaps)
{
    virDomainSnapshotPtr *out;

    if (!snaps)
        return n;
    ALLOC_N(out, n + 1);
    for (size_t i = 0; i < n; i++)
        out[i] = snapshotNew(dom, list[i]->name);
    *snaps = out;
    return n;
}

static int
testDomainListAllSnapshots(virDomainPtr dom, virDomainSnapshotPtr **snaps,
                           unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap **list;
    size_t n;
    int ret;

    if (testCheckFlags(flags, LIST_FILTERS | VIR_DOMAIN_SNAPSHOT_LIST_ROOTS) < 0 ||
        !(d = testDomainAcquire(dom, &h)))
        return -1;
    list = testSnapSelect(d, NULL, flags, &n);
    ret = testSnapObjects(dom, list, n, snaps);
    free(list);
    testHostUnlock(h);
    return ret;
}

static int
testDomainSnapshotNumChildren(virDomainSnapshotPtr snap, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap *s, **list;
    size_t n;

    if (testCheckFlags(flags, LIST_FILTERS |
                       VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS) < 0 ||
        !(s = testSnapAcquire(snap, &h, &d)))
        return -1;
    list = testSnapSelect(d, s, flags, &n);
    free(list);
    testHostUnlock(h);
    return n;
}

static int
testDomainSnapshotListChildrenNames(virDomainSnapshotPtr snap, char **names,
                                    int nameslen, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap *s, **list;
    size_t n;
    int ret;

    if (testCheckFlags(flags, LIST_FILTERS |
                       VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS) < 0 ||
        !(s = testSnapAcquire(snap, &h, &d)))
        return -1;
    list = testSnapSelect(d, s, flags, &n);
    ret = testSnapNames(list, n, names, nameslen);
    free(list);
    testHostUnlock(h);
    return ret;
}

static int
testDomainSnapshotListAllChildren(virDomainSnapshotPtr snap,
                                  virDomainSnapshotPtr **snaps,
                                  unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap *s, **list;
    size_t n;
    int ret;

    if (testCheckFlags(flags, LIST_FILTERS |
                       VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS) < 0 ||
        !(s = testSnapAcquire(snap, &h, &d)))
        return -1;
    list = testSnapSelect(d, s, flags, &n);
    ret = testSnapObjects(snap->domain, list, n, snaps);
    free(list);
    testHostUnlock(h);
    return ret;
}

static virDomainSnapshotPtr
testDomainSnapshotLookupByName(virDomainPtr dom, const char *name,
                               unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    virDomainSnapshotPtr ret = NULL;

    if (testCheckFlags(flags, 0) < 0 || !(d = testDomainAcquire(dom, &h)))
        return NULL;
    if (testSnapFind(d, name))
        ret = snapshotNew(dom, name);
    else
        reportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "domain '%s' has no snapshot "
                    "'%s'", d->def->name, name);
    testHostUnlock(h);
    return ret;
}

static int
testDomainHasCurrentSnapshot(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret;

    if (testCheckFlags(flags, 0) < 0 || !(d = testDomainAcquire(dom, &h)))
        return -1;
    ret = d->ext && ((TestExt *)d->ext)->snaps &&
          ((TestExt *)d->ext)->snaps->current;
    testHostUnlock(h);
    return ret;
}

static virDomainSnapshotPtr
testDomainSnapshotCurrent(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    virDomainSnapshotPtr ret = NULL;
    TestSnapList *l;

    if (testCheckFlags(flags, 0) < 0 || !(d = testDomainAcquire(dom, &h)))
        return NULL;
    l = testSnapList(d);
    if (l->current)
        ret = snapshotNew(dom, l->current);
    else
        reportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "domain '%s' has no current "
                    "snapshot", d->def->name);
    testHostUnlock(h);
    return ret;
}

static virDomainSnapshotPtr
testDomainSnapshotGetParent(virDomainSnapshotPtr snap, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap *s;
    virDomainSnapshotPtr ret = NULL;

    if (testCheckFlags(flags, 0) < 0 || !(s = testSnapAcquire(snap, &h, &d)))
        return NULL;
    if (s->parent)
        ret = snapshotNew(snap->domain, s->parent);
    else
        reportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "snapshot '%s' of domain '%s' "
                    "has no parent", s->name, d->def->name);
    testHostUnlock(h);
    return ret;
}

static int
testDomainSnapshotIsCurrent(virDomainSnapshotPtr snap, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap *s;
    int ret;

    if (testCheckFlags(flags, 0) < 0 || !(s = testSnapAcquire(snap, &h, &d)))
        return -1;
    ret = testSnapList(d)->current &&
          strcmp(testSnapList(d)->current, s->name) == 0;
    testHostUnlock(h);
    return ret;
}

static int
testDomainSnapshotHasMetadata(virDomainSnapshotPtr snap, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, 0) < 0 || !testSnapAcquire(snap, &h, &d))
        return -1;
    testHostUnlock(h);
    return 1;
}

/* ---- XML ---- */

/* Add TEXT indented by two more spaces, line by line. */
static void
testSnapIndent(Buf *b, const char *text)
{
    const char *p = text;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

        bufAdd(b, "  ");
        bufAddN(b, p, len);
        p += len;
    }
}

char *
testSnapFormat(const TestSnap *s, unsigned int xmlFlags)
{
    Buf b = { 0 };
    char *dom;

    bufAdd(&b, "<domainsnapshot>\n");
    bufAdd(&b, "  <name>");
    bufAddEscaped(&b, s->name);
    bufAdd(&b, "</name>\n");
    if (s->description) {
        bufAdd(&b, "  <description>");
        bufAddEscaped(&b, s->description);
        bufAdd(&b, "</description>\n");
    }
    bufPrintf(&b, "  <state>%s</state>\n", snapStateNames[s->state]);
    if (s->parent) {
        bufAdd(&b, "  <parent>\n    <name>");
        bufAddEscaped(&b, s->parent);
        bufAdd(&b, "</name>\n  </parent>\n");
    }
    bufPrintf(&b, "  <creationTime>%lld</creationTime>\n", s->creationTime);
    bufPrintf(&b, "  <memory snapshot='%s'/>\n", s->memory ? "internal"
                                                           : "no");
    bufAdd(&b, "  <disks>\n");
    for (size_t i = 0; i < s->def->ndisks; i++) {
        const DiskDef *disk = s->def->disks[i];

        bufAdd(&b, "    <disk name='");
        bufAddEscaped(&b, disk->dst);
        if (disk->device == DISK_DEVICE_CDROM || !disk->hasSource) {
            bufAdd(&b, "' snapshot='no'/>\n");
        } else if (s->diskOnly) {
            bufAdd(&b, "' snapshot='external' type='file'>\n"
                       "      <source file='");
            bufAddEscaped(&b, disk->srcPath ? disk->srcPath : "");
            bufPrintf(&b, ".%s'/>\n    </disk>\n", s->name);
        } else {
            bufAdd(&b, "' snapshot='internal'/>\n");
        }
    }
    bufAdd(&b, "  </disks>\n");
    dom = domainDefFormat(s->def, (xmlFlags & VIR_DOMAIN_SNAPSHOT_XML_SECURE)
                                  ? VIR_DOMAIN_XML_SECURE : 0);
    testSnapIndent(&b, dom);
    free(dom);
    bufAdd(&b, "</domainsnapshot>\n");
    return bufTake(&b);
}

static char *
testDomainSnapshotGetXMLDesc(virDomainSnapshotPtr snap, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap *s;
    char *ret;

    if (testCheckFlags(flags, VIR_DOMAIN_SNAPSHOT_XML_SECURE) < 0 ||
        !(s = testSnapAcquire(snap, &h, &d)))
        return NULL;
    ret = testSnapFormat(s, flags);
    testHostUnlock(h);
    return ret;
}

/* Fill in the snapshot slots (this file and test_snaprevert.c). */
void
testSnapshotFill(Driver *drv)
{
    drv->domainSnapshotNum = testDomainSnapshotNum;
    drv->domainSnapshotListNames = testDomainSnapshotListNames;
    drv->domainListAllSnapshots = testDomainListAllSnapshots;
    drv->domainSnapshotNumChildren = testDomainSnapshotNumChildren;
    drv->domainSnapshotListChildrenNames = testDomainSnapshotListChildrenNames;
    drv->domainSnapshotListAllChildren = testDomainSnapshotListAllChildren;
    drv->domainSnapshotLookupByName = testDomainSnapshotLookupByName;
    drv->domainHasCurrentSnapshot = testDomainHasCurrentSnapshot;
    drv->domainSnapshotCurrent = testDomainSnapshotCurrent;
    drv->domainSnapshotGetParent = testDomainSnapshotGetParent;
    drv->domainSnapshotIsCurrent = testDomainSnapshotIsCurrent;
    drv->domainSnapshotHasMetadata = testDomainSnapshotHasMetadata;
    drv->domainSnapshotGetXMLDesc = testDomainSnapshotGetXMLDesc;
    testSnapRevertFill(drv);
}
