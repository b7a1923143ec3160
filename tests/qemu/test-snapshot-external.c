/* test-snapshot-external.c: external snapshots of a running test guest:
 * with the memory in a file (paused, live, halt), the memory file restored,
 * the live and persistent XML's <backingStore> chains, and deleting them
 * while the guest runs (active commit and switch, a commit below a later
 * overlay) with the guest's writes ending up in the base image */
#include "qemu-test.h"


#define BOOT_MS 60000
#define QUICK_MS 10000
#define EVENT_MS 60000

static virConnectPtr conn;
static char *root;
static char disk[256];

/* ROOT/NAME into BUF. */
static const char *
path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", root, name);
    return buf;
}

static bool
exists(const char *name)
{
    char p[300];

    return access(path(p, sizeof(p), name), F_OK) == 0;
}

/* Type CMD in the guest and wait for EXPECT. */
static bool
guest(QtConsole *c, const char *cmd, const char *expect)
{
    qtConsoleForget(c);
    return qtConsoleSend(c, cmd) && qtConsoleWait(c, expect, QUICK_MS * 3);
}

/* The guest writes TEXT at sector SECTOR of its disk. */
static bool
guestWrite(QtConsole *c, const char *text, int sector)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "echo %s | dd of=/dev/vda bs=512 seek=%d "
             "conv=fsync 2>/dev/null; echo DD-$?-done\n", text, sector);
    return guest(c, cmd, "DD-0-done");
}

/* Whether image FILE (its chain) holds TEXT at sector SECTOR, read by
 * qemu-io while QEMU may have it open. */
static bool
imageHas(const char *file, const char *text, int sector)
{
    char pat[64];

    /* qemu-io shows '-' as '.' */
    snprintf(pat, sizeof(pat), "%s", text);
    for (char *p = pat; *p; p++)
        if (*p == '-')
            *p = '.';
    text = pat;
    return qtSh("qemu-io -r -U -f qcow2 -c 'read -v %d 16' '%s' 2>/dev/null | "
              "grep -q '%s'", sector * 512, file, text) == 0;
}

static virDomainSnapshotPtr
snapXML(virDomainPtr dom, const char *fmt, const char *a, const char *b,
        unsigned int flags)
{
    char xml[1024];

    snprintf(xml, sizeof(xml), fmt, a, b);
    return virDomainSnapshotCreateXML(dom, xml, flags);
}

/* Snapshots that must fail leave the guest running and no file. */
static void
testErrors(virDomainPtr dom)
{
    char mem[300];
    virDomainSnapshotPtr s;
    int st = -1;

    TAP_INT(qtSh("touch '%s'", path(mem, sizeof(mem), "taken.mem")), 0,
            "a file in the way");
    s = snapXML(dom, "<domainsnapshot><name>bad1</name><memory "
                "snapshot='external' file='%s'/>%s</domainsnapshot>", mem, "",
                0);
    TAP_OK(s == NULL && qtErrCode() == VIR_ERR_OPERATION_INVALID &&
           strstr(qtErrMsg(), mem), "an existing memory file is refused: %s",
           qtErrMsg());
    s = snapXML(dom, "<domainsnapshot><name>bad2</name><memory "
                "snapshot='external' file='%s'/>%s</domainsnapshot>",
                "/nonexistent-vireo-dir/m.mem", "", 0);
    TAP_OK(s == NULL && qtErrCode() == VIR_ERR_SYSTEM_ERROR &&
           strstr(qtErrMsg(), "/nonexistent-vireo-dir/m.mem"),
           "a memory file in a missing directory: SYSTEM_ERROR (%s)",
           qtErrMsg());
    s = snapXML(dom, "<domainsnapshot><name>bad3</name><memory "
                "snapshot='external' file='%s'/>%s</domainsnapshot>",
                "relative.mem", "", 0);
    TAP_OK(s == NULL && qtErrCode() == VIR_ERR_XML_DETAIL,
           "a relative memory file name is refused (%s)", qtErrMsg());
    s = snapXML(dom, "<domainsnapshot><name>bad4</name><memory "
                "snapshot='external' file='%s/m4.mem'/>%s</domainsnapshot>",
                root, "", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    TAP_OK(s == NULL && qtErrCode() == VIR_ERR_CONFIG_UNSUPPORTED,
           "memory with disk-only is refused (%s)", qtErrMsg());
    s = snapXML(dom, "<domainsnapshot><name>bad5</name><memory "
                "snapshot='external' file='%s/m5.mem'/>%s</domainsnapshot>",
                root, "", VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT);
    TAP_OK(s == NULL && qtErrCode() == VIR_ERR_OPERATION_INVALID &&
           strstr(qtErrMsg(), "disk.bad5"),
           "reusing an overlay that does not exist is refused (%s)",
           qtErrMsg());
    TAP_OK(!exists("disk.bad1") && !exists("disk.bad2") &&
           !exists("m5.mem") &&
           !exists("disk.bad4") && !exists("m4.mem") &&
           qtSh("ls '%s' | grep -q 'taken.mem.'", root) != 0,
           "no overlay or temporary file left behind");
    TAP_INT(virDomainGetState(dom, &st, NULL, 0), 0, "state");
    TAP_INT(st, VIR_DOMAIN_RUNNING, "the guest still runs");
    TAP_INT(virDomainSnapshotNum(dom, 0), 0, "no snapshot recorded");
}

/* s1: memory and disk, the guest paused around it. */
static void
testMemory(virDomainPtr dom, QtConsole *con)
{
    char mem[300], ov[300], meta[300];
    virDomainSnapshotPtr s1;
    char *xml;
    int st = -1, reason = -1;
    long long t0;

    path(mem, sizeof(mem), "s1.mem");
    path(ov, sizeof(ov), "disk.s1");
    TAP_OK(guest(con, "echo before > /tmp/f; echo W1-$((1+1))\n", "W1-2"),
           "guest wrote /tmp/f");
    TAP_OK(guestWrite(con, "vireo-A", 100), "guest wrote A to its disk");
    qtEventsClear();
    t0 = qtNowMs();
    s1 = snapXML(dom, "<domainsnapshot><name>s1</name><memory "
                 "snapshot='external' file='%s'/><disks><disk name='vda' "
                 "snapshot='external'/></disks>%s</domainsnapshot>", mem, "",
                 0);
    TAP_OK(s1 != NULL, "external snapshot s1 with memory: %s", qtErrMsg());
    printf("# external snapshot with 256 MiB of memory: %lld ms\n",
           qtNowMs() - t0);
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_RUNNING, &reason, QUICK_MS),
           "the guest runs again");
    TAP_OK(qtLifecycle("ext", VIR_DOMAIN_EVENT_SUSPENDED, -1, EVENT_MS) &&
           qtLifecycle("ext", VIR_DOMAIN_EVENT_RESUMED, -1, EVENT_MS),
           "paused and resumed around it");
    TAP_OK(exists("s1.mem") && exists("disk.s1"),
           "memory file and overlay exist");
    TAP_INT(qtSh("qemu-img info -U --output=json '%s' | grep -q "
               "'\"backing-filename\": \"%s\"'", ov, disk), 0,
            "the overlay is backed by the disk");
    snprintf(meta, sizeof(meta), "%s/snapshot/ext/s1.xml", root);
    TAP_OK(access(meta, F_OK) == 0, "metadata under the root");
    xml = s1 ? virDomainSnapshotGetXMLDesc(s1, 0) : NULL;
    TAP_OK(xml && strstr(xml, "<state>running</state>"), "state running");
    {
        char want[400];

        snprintf(want, sizeof(want), "<memory snapshot='external' "
                 "file='%s'/>", mem);
        TAP_OK(xml && strstr(xml, want), "the XML names the memory file");
    }
    TAP_OK(xml && strstr(xml, "snapshot='external' type='file'"),
           "the disk is external");
    free(xml);
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL), 1,
            "listed as external");
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE), 1,
            "listed as active (memory)");
    xml = virDomainSaveImageGetXMLDesc(conn, mem, 0);
    TAP_OK(xml && strstr(xml, disk) && !strstr(xml, "disk.s1"),
           "the memory file is a save image naming the disk");
    TAP_OK(xml && !strstr(xml, "index="),
           "... without the live XML's image numbers");
    free(xml);
    TAP_INT(virDomainGetState(dom, &st, NULL, 0), 0, "state");
    TAP_INT(st, VIR_DOMAIN_RUNNING, "running");
    TAP_OK(guest(con, "echo after > /tmp/f2; echo W2-$((2+2))\n", "W2-4"),
           "guest wrote /tmp/f2");
    TAP_OK(guestWrite(con, "vireo-B", 200), "guest wrote B to its disk");
    TAP_OK(imageHas(disk, "vireo-A", 100) && !imageHas(disk, "vireo-B", 200),
           "the base image has A but not B");
    TAP_OK(imageHas(ov, "vireo-B", 200), "the overlay has B");
    virDomainSnapshotFree(s1);
}

/* The live and persistent XML show the chain. */
static void
testChainXML(virDomainPtr dom)
{
    char want[1200], ov[300];
    char *xml = virDomainGetXMLDesc(dom, 0);

    path(ov, sizeof(ov), "disk.s1");
    snprintf(want, sizeof(want), "<source file='%s' index='2'/>\n"
             "      <backingStore type='file' index='1'>\n"
             "        <format type='qcow2'/>\n"
             "        <source file='%s'/>\n"
             "        <backingStore/>\n"
             "      </backingStore>\n", ov, disk);
    TAP_OK(xml && strstr(xml, want), "live XML: overlay over the disk");
    if (!xml || !strstr(xml, want))
        printf("# %s\n", xml ? xml : qtErrMsg());
    free(xml);
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    snprintf(want, sizeof(want), "<source file='%s'/>\n"
             "      <backingStore type='file'>\n"
             "        <format type='qcow2'/>\n"
             "        <source file='%s'/>\n"
             "      </backingStore>\n", ov, disk);
    TAP_OK(xml && strstr(xml, want), "persistent XML: overlay over the disk");
    if (!xml || !strstr(xml, want))
        printf("# %s\n", xml ? xml : qtErrMsg());
    free(xml);
}

/* The memory file restores the guest as it was at s1; then a fresh boot
 * on the persistent definition (the overlay) again. */
static void
testRestore(virDomainPtr *dom, QtConsole *con)
{
    char mem[300], ov[300];
    char *xml;

    path(mem, sizeof(mem), "s1.mem");
    path(ov, sizeof(ov), "disk.s1");
    qtConsoleClose(con);
    TAP_INT(virDomainDestroy(*dom), 0, "destroy: %s", qtErrMsg());
    TAP_INT(virDomainRestore(conn, mem), 0, "restore the memory file: %s",
            qtErrMsg());
    TAP_INT(qtConsoleOpen(con, conn, *dom, 0), 0, "console");
    TAP_OK(guest(con, "cat /tmp/f; test -e /tmp/f2 && echo HAS-$((1+1)) || "
                 "echo NO-$((1+2)); echo R-$((2+5))\n", "R-7"),
           "guest answers after the restore");
    TAP_OK(strstr(con->buf, "before") && strstr(con->buf, "NO-3"),
           "/tmp/f from before s1 is there, /tmp/f2 from after is not");
    qtConsoleClose(con);
    TAP_INT(virDomainDestroy(*dom), 0, "destroy");
    xml = virDomainGetXMLDesc(*dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, ov), "the definition still uses the overlay");
    free(xml);
    TAP_INT(virDomainCreate(*dom), 0, "boot again: %s", qtErrMsg());
    TAP_INT(qtConsoleOpen(con, conn, *dom, 0), 0, "console");
    TAP_OK(qtConsoleWait(con, QT_MARKER, BOOT_MS), "guest booted");
    TAP_OK(guest(con, "dd if=/dev/vda bs=512 skip=200 count=1 2>/dev/null | "
                 "head -c 7; echo; echo R-$((3+3))\n", "R-6") &&
           strstr(con->buf, "vireo-B"),
           "the guest reads B through the overlay");
}

/* s2 (live memory) and s3 (disk only) on top of s1, then deleting s1 (a
 * commit below two overlays), s3 (active commit) and s2 (active commit)
 * while the guest runs. */
static void
testDelete(virDomainPtr dom, QtConsole *con)
{
    char mem2[300], ov1[300], ov2[300], ov3[300], want[1200];
    virDomainSnapshotPtr s1, s2, s3;
    char *xml;
    int st = -1;

    path(mem2, sizeof(mem2), "s2.mem");
    path(ov1, sizeof(ov1), "disk.s1");
    path(ov2, sizeof(ov2), "disk.s2");
    path(ov3, sizeof(ov3), "disk.s3");
    TAP_OK(guestWrite(con, "vireo-C", 300), "guest wrote C");
    qtEventsClear();
    s2 = snapXML(dom, "<domainsnapshot><name>s2</name><memory file='%s'/>"
                 "%s</domainsnapshot>", mem2, "",
                 VIR_DOMAIN_SNAPSHOT_CREATE_LIVE);
    TAP_OK(s2 != NULL, "live external snapshot s2: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_RUNNING, NULL, QUICK_MS),
           "running after it");
    TAP_OK(exists("s2.mem") && exists("disk.s2"), "s2's files exist");
    TAP_OK(guestWrite(con, "vireo-D", 400), "guest wrote D");
    s3 = snapXML(dom, "<domainsnapshot><name>s3</name>%s%s"
                 "</domainsnapshot>", "", "",
                 VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    TAP_OK(s3 != NULL, "disk-only snapshot s3: %s", qtErrMsg());
    TAP_OK(guestWrite(con, "vireo-E", 500), "guest wrote E");
    xml = virDomainGetXMLDesc(dom, 0);
    snprintf(want, sizeof(want), "<source file='%s' index='4'/>\n"
             "      <backingStore type='file' index='3'>\n"
             "        <format type='qcow2'/>\n"
             "        <source file='%s'/>\n"
             "        <backingStore type='file' index='1'>\n"
             "          <format type='qcow2'/>\n"
             "          <source file='%s'/>\n"
             "          <backingStore type='file' index='2'>\n", ov3, ov2,
             ov1);
    /* numbered as libvirt does: top down at start, then new images */
    TAP_OK(xml && strstr(xml, want) && strstr(xml, disk),
           "live XML: s3 over s2 over s1 over the disk");
    if (!xml || !strstr(xml, want))
        printf("# %s\n", xml ? xml : qtErrMsg());
    free(xml);

    s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    TAP_INT(virDomainSnapshotDelete(s2, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN),
            -1, "deleting s2 with its children is refused");
    TAP_INT(qtErrCode(), VIR_ERR_CONFIG_UNSUPPORTED, "... CONFIG_UNSUPPORTED "
            "(%s)", qtErrMsg());
    TAP_INT(virDomainSnapshotDelete(s1, 0), 0, "delete s1 (below s2): %s",
            qtErrMsg());
    TAP_OK(!exists("disk.s1") && !exists("s1.mem"),
           "s1's overlay and memory file are gone");
    TAP_OK(imageHas(disk, "vireo-B", 200) && imageHas(disk, "vireo-C", 300) &&
           !imageHas(disk, "vireo-D", 400),
           "B and C are in the base image now, D is not");
    TAP_INT(qtSh("qemu-img info -U --output=json '%s' | grep -q "
               "'\"backing-filename\": \"%s\"'", ov2, disk), 0,
            "s2's overlay is backed by the disk now");
    TAP_INT(virDomainSnapshotNum(dom, 0), 2, "two snapshots left");

    TAP_INT(virDomainSnapshotDelete(s3, 0), 0, "delete s3 (current): %s",
            qtErrMsg());
    TAP_OK(!exists("disk.s3"), "s3's overlay is gone");
    TAP_OK(imageHas(ov2, "vireo-E", 500), "E is in s2's overlay");
    xml = virDomainGetXMLDesc(dom, 0);
    TAP_OK(xml && strstr(xml, ov2) && !strstr(xml, ov3),
           "the guest runs on s2's overlay");
    free(xml);
    TAP_INT(virDomainSnapshotDelete(s2, 0), 0, "delete s2 (current): %s",
            qtErrMsg());
    TAP_OK(!exists("disk.s2") && !exists("s2.mem"),
           "s2's overlay and memory file are gone");
    TAP_OK(imageHas(disk, "vireo-D", 400) && imageHas(disk, "vireo-E", 500),
           "D and E are in the base image");
    TAP_INT(virDomainGetState(dom, &st, NULL, 0), 0, "state");
    TAP_INT(st, VIR_DOMAIN_RUNNING, "the guest still runs");
    xml = virDomainGetXMLDesc(dom, 0);
    snprintf(want, sizeof(want), "<source file='%s' index='2'/>\n"
             "      <backingStore/>\n", disk);
    TAP_OK(xml && strstr(xml, want), "live XML: the disk alone again");
    if (!xml || !strstr(xml, want))
        printf("# %s\n", xml ? xml : qtErrMsg());
    free(xml);
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, disk) && !strstr(xml, "backingStore"),
           "persistent XML: the disk alone again");
    free(xml);
    TAP_INT(virDomainSnapshotNum(dom, 0), 0, "no snapshot left");
    TAP_OK(guestWrite(con, "vireo-F", 600) && imageHas(disk, "vireo-F", 600),
           "the guest writes to the base image");
    virDomainSnapshotFree(s1);
    virDomainSnapshotFree(s2);
    virDomainSnapshotFree(s3);
}

/* HALT: the memory is saved and the domain ends shut off; deleting the
 * snapshot then merges with qemu-img. */
static void
testHalt(virDomainPtr dom, QtConsole *con)
{
    char mem[300];
    virDomainSnapshotPtr s4;
    int reason = -1;

    qtConsoleClose(con);
    qtEventsClear();
    s4 = snapXML(dom, "<domainsnapshot><name>s4</name><memory file='%s'/>"
                 "%s</domainsnapshot>", path(mem, sizeof(mem), "s4.mem"), "",
                 VIR_DOMAIN_SNAPSHOT_CREATE_HALT);
    TAP_OK(s4 != NULL, "snapshot s4 with halt: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_SHUTOFF, &reason, QUICK_MS),
           "shut off after it");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT, "reason from snapshot");
    TAP_OK(exists("s4.mem") && exists("disk.s4"), "s4's files exist");
    TAP_INT(virDomainSnapshotDelete(s4, 0), 0, "delete s4 shut off: %s",
            qtErrMsg());
    TAP_OK(!exists("disk.s4") && !exists("s4.mem"), "s4's files are gone");
    virDomainSnapshotFree(s4);
}

int
main(void)
{
    char why[256];
    QtConsole con;
    virDomainPtr dom;
    long long t0 = qtNowMs();

    if (!qtSetup(why, sizeof(why))) {
        printf("1..0 # SKIP %s\n", why);
        return tapDone();
    }
    root = qtRoot();
    if (!(conn = qtConnect(root)))
        return tapDone();
    snprintf(disk, sizeof(disk), "%s/disk.qcow2", root);
    dom = qtBootQcow2(conn, "ext", disk, &con, BOOT_MS);
    testErrors(dom);
    testMemory(dom, &con);
    testChainXML(dom);
    testRestore(&dom, &con);
    testDelete(dom, &con);
    testHalt(dom, &con);
    qtConsoleClose(&con);
    if (virDomainIsActive(dom) == 1)
        virDomainDestroy(dom);
    virDomainFree(dom);
    virConnectClose(conn);
    printf("# whole program %lld ms\n", qtNowMs() - t0);
    return tapDone();
}
