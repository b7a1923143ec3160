/* test-features-snapshot.c: test driver snapshots: tree, XML, revert,
 * delete */
#include "test-features.h"

static int lastEvent = -1, lastDetail = -1;

static int
onLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
            void *opaque)
{
    (void)conn; (void)dom; (void)opaque;
    lastEvent = event;
    lastDetail = detail;
    return 0;
}

static virDomainSnapshotPtr
take(virDomainPtr dom, const char *name, unsigned int flags)
{
    char xml[256];

    snprintf(xml, sizeof(xml), "<domainsnapshot><name>%s</name>"
             "<description>snap %s</description></domainsnapshot>", name,
             name);
    return virDomainSnapshotCreateXML(dom, xml, flags);
}

static int
state(virDomainPtr dom)
{
    int st = -1, reason;

    virDomainGetState(dom, &st, &reason, 0);
    return st;
}

/* Tree used below: s1 -> s2 -> s3, s1 -> s4 (s4 current). */
static void
testTree(virDomainPtr dom)
{
    virDomainSnapshotPtr s1, s2, s3, s4, cur, par;
    virDomainSnapshotPtr *all = NULL;
    char *names[8];
    int n;

    TAP_INT(virDomainHasCurrentSnapshot(dom, 0), 0, "no current at first");
    TAP_OK(!virDomainSnapshotCurrent(dom, 0), "SnapshotCurrent fails");
    TAP_ERR(VIR_ERR_NO_DOMAIN_SNAPSHOT, "no current: NO_DOMAIN_SNAPSHOT");
    s1 = take(dom, "s1", 0);
    s2 = take(dom, "s2", 0);
    s3 = take(dom, "s3", 0);
    TAP_OK(s1 && s2 && s3, "three snapshots taken");
    TAP_INT(virDomainRevertToSnapshot(s1, 0), 0, "revert to s1");
    s4 = take(dom, "s4", 0);
    TAP_OK(s4 != NULL, "s4 taken after the revert");
    TAP_INT(virDomainSnapshotNum(dom, 0), 4, "four snapshots");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS), 1,
            "one root");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES), 2,
            "two leaves");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES), 2,
            "two inner");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE), 4,
            "all taken while running");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE), 0,
            "none inactive");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA), 0,
            "all have metadata");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL), 4,
            "all internal");
    n = virDomainSnapshotListNames(dom, names, 8,
                                   VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL);
    TAP_INT(n, 4, "four names");
    TAP_STR(n > 0 ? names[0] : NULL, "s1", "parents come first");
    for (int i = 0; i < n; i++)
        free(names[i]);
    TAP_INT(virDomainSnapshotListNames(dom, names, 1, 0), 1, "nameslen");
    free(names[0]);

    cur = virDomainSnapshotCurrent(dom, 0);
    TAP_STR(cur ? virDomainSnapshotGetName(cur) : NULL, "s4", "s4 is current");
    TAP_INT(virDomainSnapshotIsCurrent(s4, 0), 1, "IsCurrent s4");
    TAP_INT(virDomainSnapshotIsCurrent(s2, 0), 0, "s2 is not current");
    TAP_INT(virDomainSnapshotHasMetadata(s2, 0), 1, "has metadata");
    virDomainSnapshotFree(cur);
    par = virDomainSnapshotGetParent(s3, 0);
    TAP_STR(par ? virDomainSnapshotGetName(par) : NULL, "s2", "s3's parent");
    virDomainSnapshotFree(par);
    TAP_OK(!virDomainSnapshotGetParent(s1, 0), "a root has no parent");
    TAP_ERR(VIR_ERR_NO_DOMAIN_SNAPSHOT, "root parent: NO_DOMAIN_SNAPSHOT");

    TAP_INT(virDomainSnapshotNumChildren(s1, 0), 2, "s1 has two children");
    TAP_INT(virDomainSnapshotNumChildren(s1,
                VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS), 3, "three descendants");
    n = virDomainSnapshotListChildrenNames(s2, names, 8, 0);
    TAP_INT(n, 1, "s2 has one child");
    TAP_STR(n == 1 ? names[0] : NULL, "s3", "it is s3");
    if (n == 1)
        free(names[0]);
    n = virDomainSnapshotListAllChildren(s1, &all, 0);
    TAP_INT(n, 2, "ListAllChildren");
    for (int i = 0; i < n; i++)
        virDomainSnapshotFree(all[i]);
    free(all);
    TAP_INT(virDomainListAllSnapshots(dom, NULL, 0), 4, "count without list");
    n = virDomainListAllSnapshots(dom, &all, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES);
    TAP_INT(n, 2, "ListAllSnapshots leaves");
    TAP_OK(n == 2 && all[2] == NULL, "NULL-terminated");
    for (int i = 0; i < n; i++)
        virDomainSnapshotFree(all[i]);
    free(all);

    TAP_OK(!take(dom, "s1", 0), "a duplicate name fails");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "duplicate: OPERATION_INVALID");
    TAP_OK(!virDomainSnapshotLookupByName(dom, "nope", 0), "lookup missing");
    TAP_ERR(VIR_ERR_NO_DOMAIN_SNAPSHOT, "missing: NO_DOMAIN_SNAPSHOT");
    TAP_OK(!virDomainSnapshotCreateXML(dom, "<domain/>", 0), "wrong root");
    TAP_ERR(VIR_ERR_XML_ERROR, "wrong root: XML_ERROR");
    TAP_OK(!take(dom, "x", VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT),
           "current without redefine");
    TAP_ERR(VIR_ERR_INVALID_ARG, "current alone: INVALID_ARG");
    TAP_INT(virDomainSnapshotNum(dom, 1u << 20), -1, "unknown list flag");
    TAP_ERR(VIR_ERR_INVALID_ARG, "list flag: INVALID_ARG");
    virDomainSnapshotFree(s1);
    virDomainSnapshotFree(s2);
    virDomainSnapshotFree(s3);
    virDomainSnapshotFree(s4);
}

static void
testXMLAndRedefine(virDomainPtr dom)
{
    virDomainSnapshotPtr s, r, gen;
    char *xml;

    s = virDomainSnapshotLookupByName(dom, "s2", 0);
    xml = s ? virDomainSnapshotGetXMLDesc(s, 0) : NULL;
    TAP_OK(xml && strstr(xml, "<name>s2</name>") &&
           strstr(xml, "<description>snap s2</description>") &&
           strstr(xml, "<state>running</state>") &&
           strstr(xml, "<parent>\n    <name>s1</name>") &&
           strstr(xml, "<creationTime>") &&
           strstr(xml, "<memory snapshot='internal'/>") &&
           strstr(xml, "<domain type='test'"), "snapshot XML");
    free(xml);
    virDomainSnapshotFree(s);

    r = virDomainSnapshotCreateXML(dom,
        "<domainsnapshot><name>old</name><state>shutoff</state>"
        "<creationTime>1000</creationTime><parent><name>s1</name></parent>"
        "</domainsnapshot>", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE);
    TAP_OK(r != NULL, "redefine a snapshot");
    xml = r ? virDomainSnapshotGetXMLDesc(r, 0) : NULL;
    TAP_OK(xml && strstr(xml, "<creationTime>1000</creationTime>") &&
           strstr(xml, "<state>shutoff</state>"), "redefined fields kept");
    free(xml);
    TAP_INT(virDomainSnapshotIsCurrent(r, 0), 0, "redefine keeps current");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE), 1,
            "one inactive snapshot now");
    virDomainSnapshotFree(r);
    TAP_OK(!virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>o2</name>"
           "<parent><name>ghost</name></parent></domainsnapshot>",
           VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE), "redefine with bad parent");
    TAP_ERR(VIR_ERR_INVALID_ARG, "bad parent: INVALID_ARG");

    gen = virDomainSnapshotCreateXML(dom, "<domainsnapshot/>",
                                     VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA);
    TAP_OK(gen && strspn(virDomainSnapshotGetName(gen), "0123456789") > 5,
           "a generated name is the creation time");
    TAP_OK(gen && !virDomainSnapshotLookupByName(dom,
                                                  virDomainSnapshotGetName(gen),
                                                  0),
           "NO_METADATA keeps nothing");
    virDomainSnapshotFree(gen);
}

static void
testRevert(virDomainPtr dom)
{
    virDomainSnapshotPtr s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    virDomainSnapshotPtr old = virDomainSnapshotLookupByName(dom, "old", 0);
    virDomainSnapshotPtr p;

    virDomainSetMemoryFlags(dom, 1048576, VIR_DOMAIN_AFFECT_LIVE);
    TAP_INT(virDomainRevertToSnapshot(s1, VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED),
            0, "revert to s1, paused");
    TAP_INT(state(dom), VIR_DOMAIN_PAUSED, "domain is paused");
    TAP_OK(featXMLHas(dom, 0, "<currentMemory unit='KiB'>2097152"),
           "memory restored from the snapshot");
    featRunLoop(50);
    TAP_INT(lastEvent, VIR_DOMAIN_EVENT_SUSPENDED, "suspended event");
    TAP_INT(lastDetail, VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT,
            "from snapshot");
    TAP_INT(virDomainRevertToSnapshot(old, 0), 0, "revert to inactive one");
    TAP_INT(state(dom), VIR_DOMAIN_SHUTOFF, "domain is shut off");
    featRunLoop(50);
    TAP_INT(lastDetail, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT,
            "stopped from snapshot");
    TAP_INT(virDomainRevertToSnapshot(s1, 0), 0, "revert to running s1");
    TAP_INT(state(dom), VIR_DOMAIN_RUNNING, "running again");
    featRunLoop(50);
    TAP_INT(lastEvent, VIR_DOMAIN_EVENT_STARTED, "started event");
    TAP_INT(virDomainRevertToSnapshot(s1, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                      VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED), -1,
            "running|paused fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "running|paused: INVALID_ARG");

    p = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>halted</name>"
                                   "</domainsnapshot>",
                                   VIR_DOMAIN_SNAPSHOT_CREATE_HALT);
    TAP_OK(p != NULL, "snapshot with halt");
    TAP_INT(state(dom), VIR_DOMAIN_SHUTOFF, "halt stopped the domain");
    TAP_OK(!virDomainSnapshotCreateXML(dom, "<domainsnapshot/>",
                                       VIR_DOMAIN_SNAPSHOT_CREATE_LIVE),
           "live snapshot of an inactive domain");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "live: OPERATION_INVALID");
    virDomainSnapshotFree(p);
    p = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>disk</name>"
                                   "</domainsnapshot>",
                                   VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    TAP_OK(p && virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY)
           == 1, "disk-only snapshot listed as such");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL), 1,
            "and as external");
    TAP_INT(virDomainRevertToSnapshot(p, 0), -1, "revert to disk-only");
    TAP_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "disk-only: CONFIG_UNSUPPORTED");
    virDomainSnapshotFree(p);
    virDomainSnapshotFree(s1);
    virDomainSnapshotFree(old);
}

static void
testDelete(virDomainPtr dom)
{
    virDomainSnapshotPtr s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    virDomainSnapshotPtr s2 = virDomainSnapshotLookupByName(dom, "s2", 0);
    virDomainSnapshotPtr s3 = virDomainSnapshotLookupByName(dom, "s3", 0);
    int before = virDomainSnapshotNum(dom, 0);

    TAP_INT(virDomainSnapshotDelete(s2, 0), 0, "delete s2");
    TAP_INT(virDomainSnapshotNum(dom, 0), before - 1, "one fewer");
    TAP_OK(!virDomainSnapshotGetXMLDesc(s2, 0), "deleted snapshot is gone");
    TAP_ERR(VIR_ERR_NO_DOMAIN_SNAPSHOT, "gone: NO_DOMAIN_SNAPSHOT");
    TAP_INT(virDomainSnapshotNumChildren(s1, 0), 4,
            "s3 moved up to s1 (with s4, old, halted)");
    TAP_INT(virDomainSnapshotDelete(s1, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                    VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY),
            -1, "children|children-only fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "exclusive delete flags: INVALID_ARG");
    TAP_INT(virDomainUndefine(dom), -1, "undefine with snapshots fails");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "snapshots: OPERATION_INVALID");
    TAP_INT(virDomainSnapshotDelete(s1,
                                    VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY),
            0, "delete s1's children");
    TAP_INT(virDomainSnapshotNum(dom, 0), 1, "only s1 is left");
    TAP_INT(virDomainSnapshotIsCurrent(s1, 0), 1, "s1 took the current mark");
    TAP_INT(virDomainSnapshotDelete(s3, 0), -1, "s3 went with them");
    TAP_INT(virDomainSnapshotDelete(s1, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN),
            0, "delete s1 and children");
    TAP_INT(virDomainSnapshotNum(dom, 0), 0, "no snapshots left");
    TAP_INT(virDomainHasCurrentSnapshot(dom, 0), 0, "no current left");
    virDomainSnapshotFree(s1);
    virDomainSnapshotFree(s2);
    virDomainSnapshotFree(s3);
}

int
main(void)
{
    virConnectPtr conn;
    virDomainPtr dom;
    int cb;

    virSetErrorFunc(NULL, featQuiet);
    virEventRegisterDefaultImpl();
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");
    if (!TAP_OK(conn && dom, "connection and domain"))
        return tapDone();
    cb = virConnectDomainEventRegisterAny(conn, dom,
                                          VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(onLifecycle),
                                          NULL, NULL);
    testTree(dom);
    testXMLAndRedefine(dom);
    testRevert(dom);
    testDelete(dom);
    virConnectDomainEventDeregisterAny(conn, cb);
    virDomainFree(dom);
    virConnectClose(conn);
    return tapDone();
}
