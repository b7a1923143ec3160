/* test_snaprevert.c: test driver snapshot creation, revert and deletion */
#define ERROR_DOMAIN VIR_FROM_DOMAIN_SNAPSHOT

#include "test_snapshot.h"
#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "xtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const snapStates[] = {
    "nostate", "running", "blocked", "paused", "shutdown", "shutoff",
    "crashed", "pmsuspended", "disk-snapshot", NULL
};

/* A copy of SRC for D: as a live definition (keeping D's id) or as
 * persistent config (live-only parts dropped). Name and uuid follow D, in
 * case it was renamed since. */
static DomainDef *
testSnapDefCopy(const DomainDef *src, const TestDomain *d, bool live)
{
    char *xml = domainDefFormat(src, VIR_DOMAIN_XML_SECURE |
                                (live ? 0 : VIR_DOMAIN_XML_INACTIVE));
    DomainDef *def = domainDefParse(xml, live ? DOMAIN_PARSE_LIVE : 0);

    free(xml);
    if (!def)
        return NULL;
    free(def->name);
    def->name = allocStrdup(d->def->name);
    memcpy(def->uuid, d->def->uuid, sizeof(def->uuid));
    def->id = live ? d->def->id : -1;
    return def;
}

/* The <domain> child of ROOT as a definition, NULL when absent. */
static int
testSnapParseDomain(XNode *root, DomainDef **out)
{
    XNode *node = xtreeChild(root, "domain");
    Buf b = { 0 };
    char *xml;

    *out = NULL;
    if (!node)
        return 0;
    xtreeFormat(&b, node, NULL);
    xml = bufTake(&b);
    *out = domainDefParse(xml, DOMAIN_PARSE_LIVE);
    free(xml);
    return *out ? 0 : -1;
}

/* What <domainsnapshot> says; REDEFINE reads the recorded fields too. */
static TestSnap *
testSnapParse(const char *xml, bool redefine)
{
    XNode *root = xtreeParse(xml, VIR_FROM_DOMAIN_SNAPSHOT);
    TestSnap *s = NULL;
    const char *text;
    XNode *node;

    if (!root)
        return NULL;
    if (strcmp(root->name, "domainsnapshot") != 0) {
        reportError(VIR_ERR_XML_ERROR, "expected <domainsnapshot>, got <%s>",
                    root->name);
        goto cleanup;
    }
    ALLOC(s);
    s->state = -1;
    s->creationTime = -1;
    if ((text = xtreeChildText(root, "name")))
        s->name = allocStrdup(text);
    if ((text = xtreeChildText(root, "description")))
        s->description = allocStrdup(text);
    if ((node = xtreeChild(root, "memory")) &&
        (text = xtreeAttr(node, "snapshot")))
        s->memory = strcmp(text, "no") != 0;
    if (s->name && (!*s->name || strchr(s->name, '/'))) {
        reportError(VIR_ERR_XML_DETAIL, "invalid snapshot name '%s'",
                    s->name);
        goto error;
    }
    if (!redefine)
        goto cleanup;
    if ((text = xtreeChildText(root, "state"))) {
        for (int i = 0; snapStates[i]; i++) {
            if (strcmp(snapStates[i], text) == 0)
                s->state = i;
        }
        if (s->state < 0) {
            reportError(VIR_ERR_XML_DETAIL, "unknown snapshot state '%s'",
                        text);
            goto error;
        }
    }
    if ((node = xtreeChild(root, "parent")) &&
        (text = xtreeChildText(node, "name")))
        s->parent = allocStrdup(text);
    if ((text = xtreeChildText(root, "creationTime")))
        s->creationTime = strtoll(text, NULL, 10);
    if (testSnapParseDomain(root, &s->def) < 0)
        goto error;
    goto cleanup;

 error:
    testSnapFree(s);
    s = NULL;
 cleanup:
    xtreeFree(root);
    return s;
}

/* A free name from the clock ("1700000000", then "1700000000-2"...). */
static char *
testSnapNewName(TestDomain *d, long long now)
{
    char *name = allocPrintf("%lld", now);

    for (int i = 2; testSnapFind(d, name); i++) {
        free(name);
        name = allocPrintf("%lld-%d", now, i);
    }
    return name;
}

static void
testSnapAdd(TestSnapList *l, TestSnap *s)
{
    allocResize(&l->snaps, l->n, l->n + 1, sizeof(*l->snaps));
    l->snaps[l->n++] = s;
}

static void
testSnapSetCurrent(TestSnapList *l, const char *name)
{
    free(l->current);
    l->current = allocStrdup(name);
}

/* REDEFINE: record (or replace) metadata the caller gives us. */
static int
testSnapRedefine(TestDomain *d, TestSnap *s, bool current)
{
    TestSnapList *l = testSnapList(d);
    TestSnap *old;

    if (!s->name) {
        reportError(VIR_ERR_INVALID_ARG, "a redefined snapshot needs a name");
        return -1;
    }
    if (s->parent && (strcmp(s->parent, s->name) == 0 ||
                      !testSnapFind(d, s->parent))) {
        reportError(VIR_ERR_INVALID_ARG, "parent '%s' of snapshot '%s' does "
                    "not exist", s->parent, s->name);
        return -1;
    }
    if (!s->def && !(s->def = testSnapDefCopy(d->def, d, false)))
        return -1;
    if (s->state < 0)
        s->state = SNAP_STATE_SHUTOFF;
    s->memory = s->state == SNAP_STATE_RUNNING ||
                s->state == SNAP_STATE_PAUSED;
    s->diskOnly = s->state == SNAP_STATE_DISK_SNAPSHOT;
    if (s->creationTime < 0)
        s->creationTime = time(NULL);
    if ((old = testSnapFind(d, s->name))) {
        for (size_t i = 0; i < l->n; i++) {
            if (l->snaps[i] == old)
                l->snaps[i] = s;
        }
        testSnapFree(old);
    } else {
        testSnapAdd(l, s);
    }
    if (current)
        testSnapSetCurrent(l, s->name);
    return 0;
}

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

/* Flag combinations that make no sense whatever the domain. */
static int
testSnapCheckCreateFlags(unsigned int flags)
{
    unsigned int redef = VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;

    if (testCheckFlags(flags, CREATE_FLAGS) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT) && !(flags & redef)) {
        reportError(VIR_ERR_INVALID_ARG, "flag 'current' requires 'redefine'");
        return -1;
    }
    if ((flags & redef) &&
        (flags & ~(redef | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT |
                   VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE))) {
        reportError(VIR_ERR_INVALID_ARG, "flag 'redefine' only combines with "
                    "'current' and 'validate'");
        return -1;
    }
    if ((flags & (VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE |
                  VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT)) &&
        !(flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'quiesce' and 'reuse-ext' "
                    "require 'disk-only'");
        return -1;
    }
    return 0;
}

/* Checks that depend on D's state. */
static int
testSnapCheckState(const TestDomain *d, unsigned int flags)
{
    bool active = testDomainIsActiveRec(d);

    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE) && !active)
        return testStateError(d, "take a live snapshot");
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE) && !active)
        return testStateError(d, "quiesce its file systems");
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) && active && !d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID, "transient domain '%s' cannot "
                    "be halted by a snapshot", d->def->name);
        return -1;
    }
    return 0;
}

/* Take a new snapshot S of D (fields parsed from the caller's XML). */
static int
testSnapTake(TestDomain *d, TestSnap *s, unsigned int flags)
{
    TestSnapList *l = testSnapList(d);
    long long now = time(NULL);
    bool active = testDomainIsActiveRec(d);

    if (!s->name) {
        s->name = testSnapNewName(d, now);
    } else if (testSnapFind(d, s->name)) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' already has a "
                    "snapshot '%s'", d->def->name, s->name);
        return -1;
    }
    if (!(s->def = domainDefCopy(d->def)))
        return -1;
    if (active && d->newDef && !(s->inactiveDef = domainDefCopy(d->newDef)))
        return -1;
    s->creationTime = now;
    s->diskOnly = flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
    s->state = s->diskOnly ? SNAP_STATE_DISK_SNAPSHOT : d->state;
    s->memory = active && !s->diskOnly;
    if (l->current)
        s->parent = allocStrdup(l->current);
    return 0;
}

static virDomainSnapshotPtr
testDomainSnapshotCreateXML(virDomainPtr dom, const char *xmlDesc,
                            unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap *s = NULL;
    virDomainSnapshotPtr ret = NULL;
    bool redefine = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;

    if (testSnapCheckCreateFlags(flags) < 0 ||
        !(d = testDomainAcquire(dom, &h)))
        return NULL;
    if (testSnapCheckState(d, flags) < 0 ||
        !(s = testSnapParse(xmlDesc, redefine)))
        goto cleanup;
    if (redefine) {
        if (testSnapRedefine(d, s, flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT) < 0)
            goto cleanup;
        ret = snapshotNew(dom, s->name);
        s = NULL;
        goto cleanup;
    }
    if (testSnapTake(d, s, flags) < 0)
        goto cleanup;
    ret = snapshotNew(dom, s->name);
    if (!(flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA)) {
        testSnapAdd(testSnapList(d), s);
        testSnapSetCurrent(testSnapList(d), s->name);
        s = NULL;
    }
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) && testDomainIsActiveRec(d))
        testDomainStop(dom->conn, h, d, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT,
                       VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);

 cleanup:
    testSnapFree(s);
    testHostUnlock(h);
    return ret;
}

/* ---- revert ---- */

/* Put the persistent config of D back to S's. */
static int
testSnapRestoreConfig(TestDomain *d, const TestSnap *s, bool active)
{
    DomainDef *cfg;

    if (!d->persistent)
        return 0;
    if (!(cfg = testSnapDefCopy(s->inactiveDef ? s->inactiveDef : s->def, d,
                                false)))
        return -1;
    if (active) {
        domainDefFree(d->newDef);
        d->newDef = cfg;
    } else {
        domainDefFree(d->def);
        d->def = cfg;
    }
    return 0;
}

/* Make the running D's live definition S's and its state RUNNING/PAUSED,
 * with the events a hypervisor sends. */
static int
testSnapRestoreLive(virConnectPtr conn, TestDomain *d, const TestSnap *s,
                    bool paused)
{
    DomainDef *live = testSnapDefCopy(s->def, d, true);

    if (!live)
        return -1;
    domainDefFree(d->def);
    d->def = live;
    if (paused && d->state != VIR_DOMAIN_PAUSED) {
        testDomainSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
        testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_SUSPENDED,
                           VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    } else if (!paused && d->state != VIR_DOMAIN_RUNNING) {
        testDomainSetState(d, VIR_DOMAIN_RUNNING,
                           VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
        testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_RESUMED,
                           VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT);
    }
    return 0;
}

static int
testSnapRevert(virConnectPtr conn, TestHost *h, TestDomain *d,
               const TestSnap *s, unsigned int flags)
{
    bool wantActive = s->memory || (flags & (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                             VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED));
    bool paused = (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) ||
                  (!(flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) &&
                   s->state == SNAP_STATE_PAUSED);
    bool active = testDomainIsActiveRec(d);

    if (!wantActive && !d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID, "transient domain '%s' must run "
                    "or pause to revert to inactive snapshot '%s'",
                    d->def->name, s->name);
        return -1;
    }
    if (active && !wantActive) {
        testDomainStop(conn, h, d, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT,
                       VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        active = false;
    }
    if (testSnapRestoreConfig(d, s, active) < 0)
        return -1;
    if (!wantActive)
        return 0;
    if (active)
        return testSnapRestoreLive(conn, d, s, paused);
    testDomainStartState(h, d, VIR_DOMAIN_RUNNING,
                         VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
    return testSnapRestoreLive(conn, d, s, paused);
}

static int
testDomainRevertToSnapshot(virDomainSnapshotPtr snap, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap *s;
    int ret = -1;

    if (testCheckFlags(flags, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                       VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED |
                       VIR_DOMAIN_SNAPSHOT_REVERT_FORCE |
                       VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) &&
        (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'running' and 'paused' are "
                    "mutually exclusive");
        return -1;
    }
    if (!(s = testSnapAcquire(snap, &h, &d)))
        return -1;
    if (s->diskOnly) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "reverting to external "
                    "disk-only snapshot '%s' is not supported", s->name);
        goto cleanup;
    }
    if (testSnapRevert(snap->domain->conn, h, d, s, flags) < 0)
        goto cleanup;
    testSnapSetCurrent(testSnapList(d), s->name);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* ---- delete ---- */

/* Remove S (not its children) from L; children move up to S's parent and
 * the current mark moves to the parent too. */
static void
testSnapUnlink(TestSnapList *l, TestSnap *s)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        TestSnap *c = l->snaps[i];

        if (c->parent && strcmp(c->parent, s->name) == 0) {
            free(c->parent);
            c->parent = allocStrdup(s->parent);
        }
    }
    if (l->current && strcmp(l->current, s->name) == 0) {
        free(l->current);
        l->current = allocStrdup(s->parent);
    }
    for (i = 0; i < l->n && l->snaps[i] != s; i++)
        ;
    memmove(&l->snaps[i], &l->snaps[i + 1],
            (l->n - i - 1) * sizeof(*l->snaps));
    l->n--;
    testSnapFree(s);
}

/* Remove every descendant of NAME. */
static void
testSnapUnlinkChildren(TestSnapList *l, const char *name)
{
    size_t i = 0;

    while (i < l->n) {
        TestSnap *c = l->snaps[i];

        if (c->parent && strcmp(c->parent, name) == 0) {
            testSnapUnlinkChildren(l, c->name);
            testSnapUnlink(l, c);
            i = 0;
        } else {
            i++;
        }
    }
}

static int
testDomainSnapshotDelete(virDomainSnapshotPtr snap, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestSnap *s;
    TestSnapList *l;

    if (testCheckFlags(flags, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                       VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY |
                       VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN) &&
        (flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'children' and "
                    "'children-only' are mutually exclusive");
        return -1;
    }
    if (!(s = testSnapAcquire(snap, &h, &d)))
        return -1;
    l = testSnapList(d);
    if (flags & (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                 VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        /* a deleted current descendant hands the mark to S */
        char *cur = l->current ? allocStrdup(l->current) : NULL;

        testSnapUnlinkChildren(l, s->name);
        if (cur && !testSnapFind(d, cur))
            testSnapSetCurrent(l, s->name);
        free(cur);
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY))
        testSnapUnlink(l, s);
    testHostUnlock(h);
    return 0;
}

/* Fill in this file's slots (called from testSnapshotFill). */
void
testSnapRevertFill(Driver *drv)
{
    drv->domainSnapshotCreateXML = testDomainSnapshotCreateXML;
    drv->domainRevertToSnapshot = testDomainRevertToSnapshot;
    drv->domainSnapshotDelete = testDomainSnapshotDelete;
}
