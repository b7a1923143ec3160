/* test-snapshot-internal.c: internal snapshots with memory of a running
 * test guest (qcow2 disk): the tree and its queries, revert restoring the
 * guest's files, revert paused, from shut off, across a reconnect, and
 * deleting (metadata only, with children) */
#include "qemu-test.h"

#define BOOT_MS 60000
#define QUICK_MS 10000
#define EVENT_MS 60000

static virConnectPtr conn;
static char *root;
static char *uri;
static char disk[256];

/* The output of shell command CMD (caller frees). */
static char *
run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    char *out = calloc(1, 65536);
    size_t n = 0, r;

    if (!p || !out)
        abort();
    while ((r = fread(out + n, 1, 65535 - n, p)) > 0)
        n += r;
    pclose(p);
    return out;
}

/* The internal snapshot tags of the disk image (qemu-img snapshot -l). */
static char *
imageSnapshots(void)
{
    char cmd[512];

    snprintf(cmd, sizeof(cmd), "qemu-img snapshot -U -l '%s' 2>&1", disk);
    return run(cmd);
}

/* Whether the tag list LIST holds TAG as a word. */
static bool
hasTag(const char *list, const char *tag)
{
    char pat[64];

    snprintf(pat, sizeof(pat), " %s ", tag);
    return strstr(list, pat) != NULL;
}

/* Type CMD in the guest and wait for EXPECT. */
static bool
guest(QtConsole *c, const char *cmd, const char *expect)
{
    qtConsoleForget(c);
    return qtConsoleSend(c, cmd) && qtConsoleWait(c, expect, QUICK_MS * 3);
}

static virDomainPtr
setup(QtConsole *con)
{
    snprintf(disk, sizeof(disk), "%s/disk.qcow2", root);
    return qtBootQcow2(conn, "snap", disk, con, BOOT_MS);
}

static void
testCreate(virDomainPtr dom, QtConsole *con)
{
    virDomainSnapshotPtr s1, s2, dup;
    int reason = -1;
    char *tags;
    long long t0;

    TAP_OK(guest(con, "echo before > /tmp/f; echo W1-$((1+1))\n", "W1-2"),
           "guest wrote /tmp/f");
    qtEventsClear();
    t0 = qtNowMs();
    s1 = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>s1</name>"
                                    "<description>first</description>"
                                    "</domainsnapshot>", 0);
    TAP_OK(s1 != NULL, "snapshot s1 of the running guest: %s", qtErrMsg());
    printf("# snapshot with 256 MiB of memory: %lld ms\n", qtNowMs() - t0);
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_RUNNING, &reason, QUICK_MS),
           "running again after the snapshot");
    TAP_OK(qtLifecycle("snap", VIR_DOMAIN_EVENT_SUSPENDED, -1, EVENT_MS) &&
           qtLifecycle("snap", VIR_DOMAIN_EVENT_RESUMED, -1, EVENT_MS),
           "paused and resumed around the snapshot");
    tags = imageSnapshots();
    TAP_OK(hasTag(tags, "s1"), "the image holds s1");
    free(tags);
    TAP_OK(guest(con, "echo after > /tmp/f2; echo W2-$((2+2))\n", "W2-4"),
           "guest wrote /tmp/f2");
    s2 = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>s2</name>"
                                    "</domainsnapshot>", 0);
    TAP_OK(s2 != NULL, "snapshot s2: %s", qtErrMsg());
    dup = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>s1</name>"
                                     "</domainsnapshot>", 0);
    TAP_OK(dup == NULL && qtErrCode() == VIR_ERR_OPERATION_INVALID,
           "a second s1 is refused (%s)", qtErrMsg());
    TAP_INT(virDomainSnapshotCreateXML(dom, "<domainsnapshot/>",
                                       VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT)
            == NULL ? qtErrCode() : 0, VIR_ERR_INVALID_ARG,
            "CURRENT without REDEFINE: INVALID_ARG");
    virDomainSnapshotFree(s1);
    virDomainSnapshotFree(s2);
}

/* NAMES of LIST (N of them) joined by spaces, into BUF. */
static const char *
joinNames(virDomainSnapshotPtr *list, int n, char *buf, size_t len)
{
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? " " : "",
                 virDomainSnapshotGetName(list[i]));
        virDomainSnapshotFree(list[i]);
    }
    free(list);
    return buf;
}

/* The names ListAllSnapshots gives with FLAGS. */
static const char *
listAll(virDomainPtr dom, unsigned int flags, char *buf, size_t len)
{
    virDomainSnapshotPtr *list = NULL;
    int n = virDomainListAllSnapshots(dom, &list, flags);

    if (n < 0)
        return "error";
    return joinNames(list, n, buf, len);
}

static void
testTree(virDomainPtr dom)
{
    virDomainSnapshotPtr s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    virDomainSnapshotPtr s2 = virDomainSnapshotLookupByName(dom, "s2", 0);
    virDomainSnapshotPtr p, cur, *kids = NULL;
    char buf[256], *names[4] = { 0 }, *xml;
    int n;

    TAP_OK(s1 && s2, "lookup by name");
    TAP_INT(virDomainSnapshotNum(dom, 0), 2, "two snapshots");
    n = virDomainSnapshotListNames(dom, names, 4, 0);
    TAP_OK(n == 2 && strcmp(names[0], "s1") == 0 &&
           strcmp(names[1], "s2") == 0, "names s1 s2");
    for (int i = 0; i < n; i++)
        free(names[i]);
    TAP_STR(listAll(dom, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS, buf, sizeof(buf)),
            "s1", "roots");
    TAP_STR(listAll(dom, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES, buf, sizeof(buf)),
            "s2", "leaves");
    TAP_STR(listAll(dom, VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES, buf,
                    sizeof(buf)), "s1", "no leaves");
    TAP_STR(listAll(dom, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL |
                    VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                    VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL, buf, sizeof(buf)),
            "s1 s2", "active internal, topological");
    TAP_STR(listAll(dom, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE |
                    VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY, buf, sizeof(buf)),
            "", "no inactive or disk-only ones");
    TAP_STR(listAll(dom, VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL, buf, sizeof(buf)),
            "", "no external ones");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA),
            0, "none without metadata");
    p = virDomainSnapshotGetParent(s2, 0);
    TAP_STR(p ? virDomainSnapshotGetName(p) : "none", "s1", "parent of s2");
    virDomainSnapshotFree(p);
    TAP_OK(virDomainSnapshotGetParent(s1, 0) == NULL &&
           qtErrCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT, "s1 has no parent");
    TAP_INT(virDomainSnapshotNumChildren(s1, 0), 1, "s1 has one child");
    n = virDomainSnapshotListAllChildren(s1, &kids,
                                         VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS);
    TAP_STR(n < 0 ? "error" : joinNames(kids, n, buf, sizeof(buf)), "s2",
            "descendants of s1");
    TAP_INT(virDomainHasCurrentSnapshot(dom, 0), 1, "has a current one");
    cur = virDomainSnapshotCurrent(dom, 0);
    TAP_STR(cur ? virDomainSnapshotGetName(cur) : "none", "s2", "current");
    virDomainSnapshotFree(cur);
    TAP_INT(virDomainSnapshotIsCurrent(s2, 0), 1, "s2 is current");
    TAP_INT(virDomainSnapshotIsCurrent(s1, 0), 0, "s1 is not");
    TAP_INT(virDomainSnapshotHasMetadata(s1, 0), 1, "s1 has metadata");
    xml = virDomainSnapshotGetXMLDesc(s2, 0);
    TAP_OK(xml && strstr(xml, "<name>s2</name>") &&
           strstr(xml, "<state>running</state>") &&
           strstr(xml, "<parent>\n    <name>s1</name>") &&
           strstr(xml, "<creationTime>") &&
           strstr(xml, "<memory snapshot='internal'/>") &&
           strstr(xml, "<disk name='vda' snapshot='internal'/>") &&
           strstr(xml, "<domain type='qemu'"), "snapshot XML");
    free(xml);
    xml = virDomainSnapshotGetXMLDesc(s1, 0);
    TAP_OK(xml && strstr(xml, "<description>first</description>"),
           "s1 keeps its description");
    free(xml);
    TAP_OK(virDomainSnapshotLookupByName(dom, "nope", 0) == NULL &&
           qtErrCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT,
           "unknown name: NO_DOMAIN_SNAPSHOT");
    virDomainSnapshotFree(s1);
    virDomainSnapshotFree(s2);
}

static void
testRevert(virDomainPtr dom, QtConsole *con)
{
    virDomainSnapshotPtr s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    virDomainSnapshotPtr s2 = virDomainSnapshotLookupByName(dom, "s2", 0);
    int reason = -1;

    qtEventsClear();
    TAP_INT(virDomainRevertToSnapshot(s1, 0), 0, "revert to s1: %s",
            qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_RUNNING, &reason, QUICK_MS),
           "running after the revert");
    TAP_INT(reason, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT, "reason from snapshot");
    TAP_OK(qtLifecycle("snap", VIR_DOMAIN_EVENT_RESUMED,
                       VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT, EVENT_MS),
           "RESUMED_FROM_SNAPSHOT event");
    TAP_OK(guest(con, "\necho R1-$(cat /tmp/f)-$(ls /tmp/f2 2>/dev/null | "
                 "wc -l)\n", "R1-before-0"),
           "the guest is back before /tmp/f2 was written");
    TAP_INT(virDomainSnapshotIsCurrent(s1, 0), 1, "s1 is current now");

    TAP_INT(virDomainRevertToSnapshot(s2, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                      VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED), -1,
            "running and paused together fail");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainRevertToSnapshot(s2, VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED),
            0, "revert to s2 paused: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_PAUSED, &reason, QUICK_MS),
           "paused after the revert");
    TAP_INT(reason, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT, "reason from snapshot");
    TAP_INT(virDomainResume(dom), 0, "resume: %s", qtErrMsg());
    TAP_OK(guest(con, "\necho R2-$(cat /tmp/f2)\n", "R2-after"),
           "/tmp/f2 is back with s2");
    virDomainSnapshotFree(s1);
    virDomainSnapshotFree(s2);
}

/* Close the connection and open the root again: the tree survives. */
static virDomainPtr
testReconnect(virDomainPtr dom)
{
    virDomainSnapshotPtr cur, s2, p;

    virDomainFree(dom);
    virConnectClose(conn);
    conn = qtOpen(uri);
    TAP_OK(conn != NULL, "reopen the root: %s", qtErrMsg());
    if (!conn)
        exit(tapDone());
    qtEventsWatch(conn);
    dom = virDomainLookupByName(conn, "snap");
    TAP_INT(virDomainIsActive(dom), 1, "still running");
    TAP_INT(virDomainSnapshotNum(dom, 0), 2, "two snapshots after reconnect");
    cur = virDomainSnapshotCurrent(dom, 0);
    TAP_STR(cur ? virDomainSnapshotGetName(cur) : "none", "s2",
            "current s2 after reconnect");
    s2 = virDomainSnapshotLookupByName(dom, "s2", 0);
    p = s2 ? virDomainSnapshotGetParent(s2, 0) : NULL;
    TAP_STR(p ? virDomainSnapshotGetName(p) : "none", "s1", "parent kept");
    virDomainSnapshotFree(cur);
    virDomainSnapshotFree(s2);
    virDomainSnapshotFree(p);
    return dom;
}

/* Destroyed, then back to s1: QEMU starts from the snapshot. */
static void
testRevertFromShutoff(virDomainPtr dom, QtConsole *con)
{
    virDomainSnapshotPtr s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    int reason = -1;

    qtConsoleClose(con);
    TAP_INT(virDomainDestroy(dom), 0, "destroy: %s", qtErrMsg());
    qtEventsClear();
    TAP_INT(virDomainRevertToSnapshot(s1, 0), 0, "revert shut-off domain to "
            "s1: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_RUNNING, &reason, QUICK_MS),
           "running after the revert");
    TAP_INT(reason, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT, "reason from snapshot");
    TAP_OK(qtLifecycle("snap", VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT, EVENT_MS),
           "STARTED_FROM_SNAPSHOT event");
    TAP_INT(qtConsoleOpen(con, conn, dom, 0), 0, "console: %s", qtErrMsg());
    TAP_OK(guest(con, "\necho R3-$(cat /tmp/f)-$(ls /tmp/f2 2>/dev/null | "
                 "wc -l)\n", "R3-before-0"),
           "the guest runs on from s1 without a boot");
    virDomainSnapshotFree(s1);
}

static void
testDelete(virDomainPtr dom)
{
    virDomainSnapshotPtr s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    virDomainSnapshotPtr s2 = virDomainSnapshotLookupByName(dom, "s2", 0);
    virDomainSnapshotPtr cur;
    char *xml = s2 ? virDomainSnapshotGetXMLDesc(s2, 0) : NULL;
    char *tags;

    TAP_INT(virDomainSnapshotDelete(s2,
                                    VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY),
            0, "delete s2's metadata: %s", qtErrMsg());
    TAP_INT(virDomainSnapshotNum(dom, 0), 1, "one snapshot left");
    tags = imageSnapshots();
    TAP_OK(hasTag(tags, "s2"), "the image still holds s2");
    free(tags);
    TAP_INT(virDomainSnapshotIsCurrent(s1, 0), 1, "s1 is current again");
    cur = virDomainSnapshotCreateXML(dom, xml ? xml : "",
                                     VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE);
    TAP_OK(cur != NULL, "redefine s2 from its XML: %s", qtErrMsg());
    virDomainSnapshotFree(cur);
    free(xml);
    TAP_INT(virDomainSnapshotNumChildren(s1, 0), 1, "s2 is s1's child again");
    TAP_INT(virDomainSnapshotDelete(s1, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN),
            0, "delete s1 and its children: %s", qtErrMsg());
    TAP_INT(virDomainSnapshotNum(dom, 0), 0, "no snapshot left");
    TAP_INT(virDomainHasCurrentSnapshot(dom, 0), 0, "no current one");
    tags = imageSnapshots();
    TAP_OK(!hasTag(tags, "s1") && !hasTag(tags, "s2"),
           "the image holds neither");
    free(tags);
    TAP_INT(virDomainSnapshotDelete(s1, 0), -1, "deleting it again fails");
    TAP_INT(qtErrCode(), VIR_ERR_NO_DOMAIN_SNAPSHOT, "... NO_DOMAIN_SNAPSHOT");
    virDomainSnapshotFree(s1);
    virDomainSnapshotFree(s2);
}

int
main(void)
{
    char why[256];
    QtConsole con = { 0 };
    virDomainPtr dom;
    long long t0 = qtNowMs();

    if (!qtSetup(why, sizeof(why))) {
        printf("1..0 # SKIP %s\n", why);
        return tapDone();
    }
    root = qtRoot();
    uri = qtURI(root);
    if (!(conn = qtConnect(root)))
        return tapDone();
    dom = setup(&con);
    testCreate(dom, &con);
    testTree(dom);
    testRevert(dom, &con);
    qtConsoleClose(&con);
    dom = testReconnect(dom);
    testRevertFromShutoff(dom, &con);
    testDelete(dom);
    qtConsoleClose(&con);
    if (virDomainIsActive(dom) == 1)
        virDomainDestroy(dom);
    virDomainFree(dom);
    virConnectClose(conn);
    printf("# whole program %lld ms\n", qtNowMs() - t0);
    free(uri);
    return tapDone();
}
