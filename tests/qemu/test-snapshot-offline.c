/* test-snapshot-offline.c: snapshots of shut-off domains (internal with
 * qemu-img, external disk-only overlays), a disk-only snapshot and HALT on
 * a running one (deleted while it runs), and the errors: raw disks,
 * reverting to an external snapshot, quiesce without an agent, undefine
 * with snapshots */
#include "qemu-test.h"


#define QUICK_MS 10000
#define EVENT_MS 60000

static virConnectPtr conn;
static char *root;
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

static virDomainPtr
defineWith(const char *name, const char *path, const char *fmt)
{
    char *extra;
    char *xml;
    virDomainPtr dom;

    extra = qtDiskXML(path, fmt, "vda");
    xml = qtXML(name, "", extra);
    free(extra);
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "define %s: %s", name, qtErrMsg());
    if (!dom)
        exit(tapDone());
    return dom;
}

static virDomainSnapshotPtr
snap(virDomainPtr dom, const char *name, unsigned int flags)
{
    char xml[256];

    snprintf(xml, sizeof(xml), "<domainsnapshot><name>%s</name>"
             "</domainsnapshot>", name);
    return virDomainSnapshotCreateXML(dom, xml, flags);
}

static void
testInternalOffline(virDomainPtr dom)
{
    virDomainSnapshotPtr o1 = snap(dom, "o1", 0), nm;
    char *xml;

    TAP_OK(o1 != NULL, "internal snapshot of a shut-off domain: %s",
           qtErrMsg());
    xml = o1 ? virDomainSnapshotGetXMLDesc(o1, 0) : NULL;
    TAP_OK(xml && strstr(xml, "<state>shutoff</state>") &&
           strstr(xml, "<memory snapshot='no'/>") &&
           strstr(xml, "<disk name='vda' snapshot='internal'/>"),
           "o1: shutoff, no memory, internal disk");
    free(xml);
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE), 1,
            "listed as inactive");
    TAP_OK(snap(dom, "o1", 0) == NULL &&
           qtErrCode() == VIR_ERR_OPERATION_INVALID, "duplicate o1 refused");
    TAP_INT(qtSh("qemu-img snapshot -l '%s' | grep -q ' o1 '", disk), 0,
            "qemu-img lists o1");
    TAP_INT(qtSh("qemu-io -f qcow2 -c 'write -P 0x55 0 64k' '%s' >/dev/null",
               disk), 0, "disk changed after o1");
    TAP_INT(virDomainRevertToSnapshot(o1, 0), 0, "revert to o1: %s",
            qtErrMsg());
    TAP_INT(virDomainIsActive(dom), 0, "still shut off");
    TAP_INT(qtSh("qemu-io -f qcow2 -c 'read -P 0 0 64k' '%s' | "
               "grep -q 'read 65536'", disk), 0,
            "the disk's content is back to o1's (zeros)");
    nm = snap(dom, "nm", VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA);
    TAP_OK(nm != NULL, "snapshot without metadata: %s", qtErrMsg());
    TAP_INT(qtSh("qemu-img snapshot -l '%s' | grep -q ' nm '", disk), 0,
            "... taken on the disk");
    TAP_INT(virDomainSnapshotNum(dom, 0), 1, "... but not listed");
    TAP_INT(qtSh("qemu-img snapshot -d nm '%s'", disk), 0, "(removed)");
    virDomainSnapshotFree(nm);
    virDomainSnapshotFree(o1);
}

static void
testExternalOffline(virDomainPtr dom)
{
    virDomainSnapshotPtr e1 = snap(dom, "e1",
                                   VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    virDomainSnapshotPtr p, e1b;
    char overlay[300], overlay2[300], *info, *xml;

    snprintf(overlay, sizeof(overlay), "%s/disk.e1", root);
    TAP_OK(e1 != NULL, "disk-only snapshot of a shut-off domain: %s",
           qtErrMsg());
    TAP_OK(access(overlay, F_OK) == 0, "overlay %s exists", overlay);
    {
        char cmd[400];

        snprintf(cmd, sizeof(cmd), "qemu-img info --output=json '%s'",
                 overlay);
        info = run(cmd);
    }
    TAP_OK(strstr(info, "\"backing-filename\": \"") &&
           strstr(info, disk) && strstr(info, "\"format\": \"qcow2\""),
           "overlay is qcow2 backed by the disk");
    free(info);
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, overlay), "the domain now uses the overlay");
    free(xml);
    xml = e1 ? virDomainSnapshotGetXMLDesc(e1, 0) : NULL;
    TAP_OK(xml && strstr(xml, "snapshot='external'") && strstr(xml, overlay),
           "the snapshot XML names the overlay");
    free(xml);
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL), 1,
            "one external snapshot");
    p = e1 ? virDomainSnapshotGetParent(e1, 0) : NULL;
    TAP_STR(p ? virDomainSnapshotGetName(p) : "none", "o1", "parent o1");
    virDomainSnapshotFree(p);
    TAP_INT(virDomainRevertToSnapshot(e1, 0), -1, "revert to e1 fails");
    TAP_INT(qtErrCode(), VIR_ERR_NO_SUPPORT, "... NO_SUPPORT (%s)",
            qtErrMsg());
    TAP_INT(qtSh("qemu-io -f qcow2 -c 'write -P 0xaa 1M 64k' '%s' >/dev/null",
               overlay), 0, "data written to the overlay");
    e1b = snap(dom, "e1b", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    TAP_OK(e1b != NULL, "a second disk-only snapshot e1b: %s", qtErrMsg());
    snprintf(overlay2, sizeof(overlay2), "%s/disk.e1b", root);
    TAP_INT(qtSh("qemu-io -f qcow2 -c 'write -P 0xbb 2M 64k' '%s' >/dev/null",
                 overlay2), 0, "data written to e1b's overlay");
    TAP_INT(virDomainSnapshotDelete(e1, 0), 0, "delete e1 (below e1b): %s",
            qtErrMsg());
    TAP_OK(access(overlay, F_OK) != 0, "e1's overlay gone");
    TAP_INT(qtSh("qemu-img info --output=json '%s' | grep -q "
                 "'\"backing-filename\": \"%s\"'", overlay2, disk), 0,
            "e1b's overlay now backs onto the disk");
    TAP_INT(qtSh("qemu-io -f qcow2 -c 'read -P 0xaa 1M 64k' '%s' | "
               "grep -q 'read 65536'", disk), 0,
            "e1's data was committed into the disk");
    TAP_INT(virDomainSnapshotDelete(e1b, 0), 0, "delete e1b: %s",
            qtErrMsg());
    TAP_OK(access(overlay2, F_OK) != 0, "e1b's overlay gone");
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && !strstr(xml, overlay) && !strstr(xml, overlay2) &&
           strstr(xml, disk), "the domain uses its disk again");
    free(xml);
    TAP_INT(qtSh("qemu-io -f qcow2 -c 'read -P 0xbb 2M 64k' '%s' | "
               "grep -q 'read 65536'", disk), 0,
            "e1b's data was committed into the disk");
    virDomainSnapshotFree(e1);
    virDomainSnapshotFree(e1b);
}

static void
testRunning(virDomainPtr dom)
{
    virDomainSnapshotPtr e2, h1;
    char overlay[300], *xml;
    int reason = -1;

    snprintf(overlay, sizeof(overlay), "%s/disk.e2", root);
    TAP_INT(virDomainCreate(dom), 0, "start: %s", qtErrMsg());
    TAP_OK(snap(dom, "q", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY |
                VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE) == NULL &&
           qtErrCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
           "quiesce without a guest agent fails: ARGUMENT_UNSUPPORTED");
    TAP_OK(snap(dom, "q", VIR_DOMAIN_SNAPSHOT_CREATE_LIVE) == NULL &&
           qtErrCode() == VIR_ERR_OPERATION_UNSUPPORTED,
           "live internal snapshot unsupported");
    e2 = snap(dom, "e2", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY |
              VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC);
    TAP_OK(e2 != NULL, "disk-only snapshot of the running domain: %s",
           qtErrMsg());
    TAP_OK(access(overlay, F_OK) == 0, "overlay %s exists", overlay);
    TAP_INT(qtSh("qemu-img info -U --output=json '%s' | grep -q '\"backing-"
               "filename\": \"%s\"'", overlay, disk), 0,
            "backed by the disk");
    xml = virDomainGetXMLDesc(dom, 0);
    TAP_OK(xml && strstr(xml, overlay), "the live domain uses the overlay");
    free(xml);
    TAP_INT(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY), 1,
            "listed as disk-only");
    TAP_INT(virDomainSnapshotDelete(e2, 0), 0, "delete it while running: %s",
            qtErrMsg());
    TAP_OK(access(overlay, F_OK) != 0, "its overlay is gone");
    xml = virDomainGetXMLDesc(dom, 0);
    TAP_OK(xml && !strstr(xml, overlay) && strstr(xml, disk),
           "the live domain uses the disk again");
    free(xml);
    qtEventsClear();
    h1 = snap(dom, "h1", VIR_DOMAIN_SNAPSHOT_CREATE_HALT);
    TAP_OK(h1 != NULL, "internal snapshot with halt: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_SHUTOFF, &reason, QUICK_MS),
           "shut off after it");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT, "reason from snapshot");
    TAP_OK(qtLifecycle("off", VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT, EVENT_MS),
           "STOPPED_FROM_SNAPSHOT event");
    TAP_INT(qtSh("qemu-img snapshot -l '%s' | grep -q ' h1 '", disk), 0,
            "h1 is in the disk");
    virDomainSnapshotFree(e2);
    virDomainSnapshotFree(h1);
}

static void
testErrors(virDomainPtr dom, virDomainPtr raw)
{
    virDomainPtr *doms = NULL;
    int n;

    TAP_OK(snap(raw, "r1", 0) == NULL &&
           qtErrCode() == VIR_ERR_OPERATION_UNSUPPORTED &&
           strstr(qtErrMsg(), "'vda'"),
           "internal snapshot of a raw disk: %s", qtErrMsg());
    TAP_OK(snap(dom, "x", 1u << 20) == NULL &&
           qtErrCode() == VIR_ERR_INVALID_ARG, "unknown flag refused");
    TAP_OK(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>a/b</name>"
                                      "</domainsnapshot>", 0) == NULL,
           "a name with a slash is refused");
    n = virConnectListAllDomains(conn, &doms,
                                 VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT);
    TAP_OK(n == 1 && strcmp(virDomainGetName(doms[0]), "off") == 0,
           "HAS_SNAPSHOT lists 'off' only");
    for (int i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    n = virConnectListAllDomains(conn, &doms,
                                 VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT);
    TAP_OK(n == 1 && strcmp(virDomainGetName(doms[0]), "rawdom") == 0,
           "NO_SNAPSHOT lists 'rawdom' only");
    for (int i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    TAP_INT(virDomainUndefine(dom), -1, "undefine with snapshots fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainUndefineFlags(dom,
                                   VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA), 0,
            "undefine with snapshots-metadata: %s", qtErrMsg());
    TAP_INT(qtSh("test -e '%s/snapshot/off'", root), 1, "metadata removed");
}

int
main(void)
{
    char why[256], raw[300];
    virDomainPtr dom, rawdom;
    long long t0 = qtNowMs();

    if (!qtSetup(why, sizeof(why))) {
        printf("1..0 # SKIP %s\n", why);
        return tapDone();
    }
    root = qtRoot();
    if (!(conn = qtConnect(root)))
        return tapDone();
    snprintf(disk, sizeof(disk), "%s/disk.qcow2", root);
    snprintf(raw, sizeof(raw), "%s/raw.img", root);
    TAP_INT(qtSh("qemu-img create -q -f qcow2 '%s' 64M && "
               "qemu-img create -q -f raw '%s' 16M", disk, raw), 0,
            "images created");
    dom = defineWith("off", disk, "qcow2");
    rawdom = defineWith("rawdom", raw, "raw");
    testInternalOffline(dom);
    testExternalOffline(dom);
    testRunning(dom);
    testErrors(dom, rawdom);
    if (virDomainIsActive(dom) == 1)
        virDomainDestroy(dom);
    virDomainFree(dom);
    virDomainFree(rawdom);
    virConnectClose(conn);
    printf("# whole program %lld ms\n", qtNowMs() - t0);
    return tapDone();
}
