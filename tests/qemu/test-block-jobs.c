/* test-block-jobs.c: the QEMU driver's block jobs with the real test guest
 * under TCG: pull flattens a qcow2 chain, a copy pivots the disk onto a new
 * image holding the guest's data, commits (inactive and active layer), job
 * info, speed, events, and the error paths */
#include "qemu-test.h"


#define BOOT_MS 60000
#define EVENT_MS 60000
#define QUICK_MS 10000

static virConnectPtr conn;
static char *root;

/* ---- block job events ---- */

static char lastJobDisk[64];

static void
onBlockJob2(virConnectPtr c, virDomainPtr dom, const char *disk, int type,
            int status, void *opaque)
{
    pthread_mutex_lock(&qtEvLock);
    snprintf(lastJobDisk, sizeof(lastJobDisk), "%s", disk);
    pthread_mutex_unlock(&qtEvLock);
    qtEventAdd(VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, dom, type, status);
}

static void
onBlockJob(virConnectPtr c, virDomainPtr dom, const char *path, int type,
           int status, void *opaque)
{
    qtEventAdd(VIR_DOMAIN_EVENT_ID_BLOCK_JOB, dom, type, status);
}

static bool
jobEvent(int type, int status)
{
    return qtEventWait("blk", VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, type, status,
                       EVENT_MS);
}

/* ---- host helpers ---- */

/* The standard output of the shell command CMD (caller frees). */
static char *
shOut(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    char *buf = calloc(1, 65536);
    size_t n = 0;

    if (!f || !buf)
        abort();
    n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    pclose(f);
    return buf;
}

static bool
xmlHas(virDomainPtr dom, const char *needle)
{
    char *xml = virDomainGetXMLDesc(dom, 0);
    bool has = xml && strstr(xml, needle);

    free(xml);
    return has;
}

/* The source file of disk DST in DOM's live XML contains NEEDLE. */
static bool
diskSourceIs(virDomainPtr dom, const char *dst, const char *needle)
{
    char *xml = virDomainGetXMLDesc(dom, 0);
    char target[64];
    char *t, *disk, *src;
    bool ok = false;

    snprintf(target, sizeof(target), "<target dev='%s'", dst);
    if (xml && (t = strstr(xml, target))) {
        *t = '\0';
        disk = strrchr(xml, '<');
        while (disk > xml && strncmp(disk, "<disk", 5) != 0)
            disk--;
        src = strstr(disk, "<source file='");
        ok = src && strstr(src, needle) && strstr(src, needle) < t;
    }
    free(xml);
    return ok;
}

/* The chain of disk DST in DOM's live XML as "a.qcow2>b.qcow2>|": the
 * base names of its source and <backingStore> files, '|' for the empty
 * element that ends a complete chain; waits up to MS for WANT. */
static bool
diskChainIs(virDomainPtr dom, const char *dst, const char *want, int ms)
{
    long long until = qtNowMs() + ms;
    char got[512] = "";

    do {
        char *xml = virDomainGetXMLDesc(dom, 0);
        char target[64], *t, *disk, *p;

        got[0] = '\0';
        snprintf(target, sizeof(target), "<target dev='%s'", dst);
        if (xml && (t = strstr(xml, target))) {
            *t = '\0';
            disk = strrchr(xml, '<');
            while (disk > xml && strncmp(disk, "<disk", 5) != 0)
                disk--;
            for (p = disk; (p = strpbrk(p, "f<")); p++) {
                if (strncmp(p, "file='", 6) == 0) {
                    char *end = strchr(p + 6, '\'');
                    char *slash;

                    *end = '\0';
                    slash = strrchr(p + 6, '/');
                    snprintf(got + strlen(got), sizeof(got) - strlen(got),
                             "%s>", slash ? slash + 1 : p + 6);
                    p = end;
                } else if (strncmp(p, "<backingStore/>", 15) == 0) {
                    snprintf(got + strlen(got), sizeof(got) - strlen(got),
                             "|");
                }
            }
        }
        free(xml);
        if (strcmp(got, want) == 0)
            return true;
        usleep(50 * 1000);
    } while (qtNowMs() < until);
    printf("# chain of %s: %s\n", dst, got);
    return false;
}

static void
makeImages(void)
{
    int rc = 0;

    rc |= qtSh("qemu-img create -q -f raw %s/scratch.img 8M", root);
    rc |= qtSh("qemu-img create -q -f qcow2 %s/pbase.qcow2 64M", root);
    rc |= qtSh("qemu-io -f qcow2 -c 'write -P 0x11 0 4M' %s/pbase.qcow2 "
             ">/dev/null", root);
    rc |= qtSh("qemu-img create -q -f qcow2 -F qcow2 -b %s/pbase.qcow2 "
             "%s/ptop.qcow2", root, root);
    rc |= qtSh("qemu-img create -q -f qcow2 %s/cbase.qcow2 32M", root);
    rc |= qtSh("qemu-img create -q -f qcow2 -F qcow2 -b %s/cbase.qcow2 "
             "%s/cmid.qcow2", root, root);
    rc |= qtSh("qemu-io -f qcow2 -c 'write -P 0x5a 1M 64k' %s/cmid.qcow2 "
             ">/dev/null", root);
    rc |= qtSh("qemu-img create -q -f qcow2 -F qcow2 -b %s/cmid.qcow2 "
             "%s/ctop.qcow2", root, root);
    TAP_INT(rc, 0, "images created with qemu-img and qemu-io");
}

static char *
domainXML(void)
{
    char disks[2048], *xml;

    snprintf(disks, sizeof(disks),
             "    <disk type='file' device='disk'><driver name='qemu' "
             "type='raw'/><source file='%s/scratch.img'/><target dev='vda' "
             "bus='virtio'/></disk>\n"
             "    <disk type='file' device='disk'><driver name='qemu' "
             "type='qcow2'/><source file='%s/ptop.qcow2'/><target dev='vdb' "
             "bus='virtio'/></disk>\n"
             "    <disk type='file' device='disk'><driver name='qemu' "
             "type='qcow2'/><source file='%s/ctop.qcow2'/><target dev='vdc' "
             "bus='virtio'/></disk>\n", root, root, root);
    xml = qtXML("blk", "", disks);
    return xml;
}

/* ---- the tests ---- */

static void
testPull(virDomainPtr dom)
{
    virDomainBlockJobInfo info;
    char *out, cmd[600];

    TAP_INT(virDomainBlockPull(dom, "vdb", 1,
                               VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES), 0,
            "block pull of vdb at 1 byte/s: %s", qtErrMsg());
    TAP_INT(virDomainGetBlockJobInfo(dom, "vdb", &info,
                                     VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES),
            1, "the pull is visible: %s", qtErrMsg());
    TAP_INT(info.type, VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, "... of type pull");
    TAP_INT(info.bandwidth, 1, "... at 1 byte/s");
    TAP_OK(info.end == 64ULL << 20, "... over the 64 MiB disk (%llu)",
           info.end);
    TAP_INT(virDomainBlockPull(dom, "vdb", 0, 0), -1,
            "a second job on vdb fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainBlockJobSetSpeed(dom, "vdb", 0, 0), 0,
            "speed set to unlimited: %s", qtErrMsg());
    /* BLOCK_JOB comes first: waiting for it leaves BLOCK_JOB_2 queued */
    TAP_OK(qtEventWait("blk", VIR_DOMAIN_EVENT_ID_BLOCK_JOB,
                       VIR_DOMAIN_BLOCK_JOB_TYPE_PULL,
                       VIR_DOMAIN_BLOCK_JOB_COMPLETED, EVENT_MS),
           "BLOCK_JOB pull completed event");
    TAP_OK(jobEvent(VIR_DOMAIN_BLOCK_JOB_TYPE_PULL,
                    VIR_DOMAIN_BLOCK_JOB_COMPLETED),
           "BLOCK_JOB_2 pull completed event");
    TAP_STR(lastJobDisk, "vdb", "... about vdb");
    TAP_INT(virDomainGetBlockJobInfo(dom, "vdb", &info, 0), 0,
            "no job on vdb once completed");
    snprintf(cmd, sizeof(cmd), "qemu-img info -U --output=json %s/ptop.qcow2",
             root);
    out = shOut(cmd);
    TAP_OK(strstr(out, "\"virtual-size\"") &&
           !strstr(out, "backing-filename"),
           "qemu-img info shows no backing file after the pull");
    free(out);
}

static void
testCopy(virDomainPtr dom)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;
    virDomainBlockJobInfo info;
    char dest[800], path[600];
    char buf[16] = "";
    FILE *f;

    snprintf(path, sizeof(path), "%s/copy.qcow2", root);
    snprintf(dest, sizeof(dest), "<disk type='file'><source file='%s'/>"
             "<driver type='qcow2'/></disk>", path);
    virTypedParamsAddUInt(&params, &n, &max, VIR_DOMAIN_BLOCK_COPY_GRANULARITY,
                          65536);
    virTypedParamsAddULLong(&params, &n, &max, VIR_DOMAIN_BLOCK_COPY_BUF_SIZE,
                            1 << 20);
    TAP_INT(virDomainBlockCopy(dom, "vdb", dest, params, n, 0), 0,
            "block copy of vdb to a new qcow2: %s", qtErrMsg());
    virTypedParamsFree(params, n);
    TAP_INT(virDomainBlockCopy(dom, "vdb", dest, NULL, 0, 0), -1,
            "a second job on vdb fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_OK(jobEvent(VIR_DOMAIN_BLOCK_JOB_TYPE_COPY,
                    VIR_DOMAIN_BLOCK_JOB_READY), "copy ready event");
    TAP_INT(virDomainGetBlockJobInfo(dom, "vdb", &info, 0), 1,
            "copy job info: %s", qtErrMsg());
    TAP_INT(info.type, VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, "... of type copy");
    TAP_OK(info.cur == info.end && info.end > 0, "... in sync (%llu/%llu)",
           info.cur, info.end);
    TAP_OK(xmlHas(dom, "<mirror"), "live XML shows the <mirror>");
    TAP_INT(virDomainBlockJobAbort(dom, "vdb",
                                   VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT), 0,
            "abort with pivot: %s", qtErrMsg());
    TAP_OK(diskSourceIs(dom, "vdb", "/copy.qcow2"),
           "live XML: vdb's source is the new image");
    TAP_OK(diskChainIs(dom, "vdb", "copy.qcow2>|", 0),
           "live XML: the full copy has no backing chain");
    TAP_OK(!xmlHas(dom, "<mirror"), "no <mirror> left");
    TAP_OK(jobEvent(VIR_DOMAIN_BLOCK_JOB_TYPE_COPY,
                    VIR_DOMAIN_BLOCK_JOB_COMPLETED), "copy completed event");
    TAP_INT(qtSh("qemu-img convert -U -f qcow2 -O raw %s %s/copy.raw", path,
               root), 0, "the new image converts to raw");
    snprintf(path, sizeof(path), "%s/copy.raw", root);
    if ((f = fopen(path, "rb"))) {
        if (fseek(f, 100 * 512, SEEK_SET) != 0 ||
            fread(buf, 1, 11, f) != 11)
            buf[0] = '\0';
        fclose(f);
    }
    TAP_STR(buf, "vireo-block", "the guest's data is in the new image at "
            "offset 100*512");
}

static void
testCommit(virDomainPtr dom)
{
    virDomainBlockJobInfo info;
    char cmd[600], *out;

    TAP_OK(diskChainIs(dom, "vdc", "ctop.qcow2>cmid.qcow2>cbase.qcow2>|", 0),
           "live XML: vdc's backing chain");
    TAP_INT(virDomainBlockCommit(dom, "vdc", NULL, NULL, 0, 0), -1,
            "committing the active layer without flag 'active' fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    snprintf(cmd, sizeof(cmd), "%s/nosuch.qcow2", root);
    TAP_INT(virDomainBlockCommit(dom, "vdc", cmd, NULL, 0, 0), -1,
            "a base outside the chain fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");

    {
        char base[600], top[600];

        snprintf(base, sizeof(base), "%s/cbase.qcow2", root);
        snprintf(top, sizeof(top), "%s/cmid.qcow2", root);
        TAP_INT(virDomainBlockCommit(dom, "vdc", base, top, 0, 0), 0,
                "commit of the middle layer of vdc: %s", qtErrMsg());
    }
    TAP_OK(jobEvent(VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT,
                    VIR_DOMAIN_BLOCK_JOB_COMPLETED), "commit completed event");
    TAP_INT(qtSh("qemu-io -U -r -f qcow2 -c 'read -P 0x5a 1M 64k' "
               "%s/cbase.qcow2 | grep -q 'read 65536'", root), 0,
            "the middle layer's data is in the base image");
    snprintf(cmd, sizeof(cmd), "qemu-img info -U --output=json %s/ctop.qcow2",
             root);
    out = shOut(cmd);
    TAP_OK(strstr(out, "cbase.qcow2") && !strstr(out, "cmid.qcow2"),
           "the top image now backs onto the base directly");
    free(out);
    TAP_OK(diskChainIs(dom, "vdc", "ctop.qcow2>cbase.qcow2>|", EVENT_MS),
           "live XML: the middle image left the chain");

    TAP_INT(virDomainBlockCommit(dom, "vdc", NULL, NULL, 0,
                                 VIR_DOMAIN_BLOCK_COMMIT_ACTIVE), 0,
            "active commit of vdc: %s", qtErrMsg());
    TAP_OK(jobEvent(VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT,
                    VIR_DOMAIN_BLOCK_JOB_READY), "active commit ready event");
    TAP_INT(virDomainGetBlockJobInfo(dom, "vdc", &info, 0), 1,
            "active commit job info: %s", qtErrMsg());
    TAP_INT(info.type, VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT,
            "... of type active commit");
    TAP_INT(virDomainBlockJobAbort(dom, "vdc",
                                   VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT), 0,
            "pivot of the active commit: %s", qtErrMsg());
    TAP_OK(diskSourceIs(dom, "vdc", "/cbase.qcow2"),
           "live XML: vdc's source is the base image");
    TAP_OK(diskChainIs(dom, "vdc", "cbase.qcow2>|", 0),
           "live XML: the base image alone");
    {
        virDomainSnapshotPtr snap = virDomainSnapshotCreateXML(dom,
            "<domainsnapshot><name>after</name><disks>"
            "<disk name='vda' snapshot='no'/><disk name='vdb' snapshot='no'/>"
            "<disk name='vdc' snapshot='external'/></disks>"
            "</domainsnapshot>", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);

        /* the node vdc started on is gone, not holding cbase busy */
        TAP_OK(snap != NULL, "an external snapshot of vdc after the "
               "commit: %s", qtErrMsg());
        TAP_OK(diskChainIs(dom, "vdc", "cbase.after>cbase.qcow2>|", 0),
               "live XML: the new overlay over the base");
        TAP_INT(snap ? virDomainSnapshotDelete(snap, 0) : -1, 0,
                "and deleted again: %s", qtErrMsg());
        TAP_OK(diskChainIs(dom, "vdc", "cbase.qcow2>|", 0),
               "live XML: the base image alone again");
        virDomainSnapshotFree(snap);
    }
    TAP_OK(jobEvent(VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT,
                    VIR_DOMAIN_BLOCK_JOB_COMPLETED),
           "active commit completed event");
}

static void
testCancel(virDomainPtr dom)
{
    char dest[600];

    snprintf(dest, sizeof(dest), "%s/scratch-copy.img", root);
    TAP_INT(virDomainBlockRebase(dom, "vda", dest, 0,
                                 VIR_DOMAIN_BLOCK_REBASE_COPY |
                                 VIR_DOMAIN_BLOCK_REBASE_COPY_RAW), 0,
            "rebase with flag copy of vda: %s", qtErrMsg());
    TAP_OK(jobEvent(VIR_DOMAIN_BLOCK_JOB_TYPE_COPY,
                    VIR_DOMAIN_BLOCK_JOB_READY), "copy ready event");
    TAP_INT(virDomainBlockJobAbort(dom, "vda", 0), 0,
            "abort without pivot: %s", qtErrMsg());
    TAP_OK(jobEvent(VIR_DOMAIN_BLOCK_JOB_TYPE_COPY,
                    VIR_DOMAIN_BLOCK_JOB_CANCELED), "canceled event");
    TAP_OK(diskSourceIs(dom, "vda", "/scratch.img"),
           "vda stays on its image");
    TAP_INT(virDomainBlockJobAbort(dom, "vda", 0), -1,
            "aborting with no job fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
}

static void
testErrors(virDomainPtr dom)
{
    virDomainBlockJobInfo info;

    TAP_INT(virDomainBlockPull(dom, "vdz", 0, 0), -1, "pull of an unknown "
            "disk fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_OK(strstr(qtErrMsg(), "vdz") != NULL, "... naming it: %s",
           qtErrMsg());
    TAP_INT(virDomainGetBlockJobInfo(dom, "vdz", &info, 0), -1,
            "job info of an unknown disk fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainBlockJobSetSpeed(dom, "vdb", 1, 0), -1,
            "setting the speed of no job fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainBlockPull(dom, "vdb", 0, 0x1000), -1,
            "unknown flag fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainBlockCommit(dom, "vdc", NULL, NULL, 0,
                                 VIR_DOMAIN_BLOCK_COMMIT_ACTIVE |
                                 VIR_DOMAIN_BLOCK_COMMIT_DELETE), -1,
            "commit with flag 'delete' fails");
    TAP_INT(qtErrCode(), VIR_ERR_ARGUMENT_UNSUPPORTED,
            "... ARGUMENT_UNSUPPORTED");
}

static void
testInactive(virDomainPtr dom)
{
    virDomainBlockJobInfo info;

    TAP_INT(virDomainBlockPull(dom, "vdb", 0, 0), -1,
            "pull on a shut off domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainGetBlockJobInfo(dom, "vdb", &info, 0), -1,
            "job info on a shut off domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
}

int
main(void)
{
    char why[200], *uri, *xml;
    virDomainPtr dom = NULL;
    QtConsole con;
    long long t0 = qtNowMs();

    if (!qtSetup(why, sizeof(why))) {
        printf("1..0 # SKIP %s\n", why);
        return 0;
    }
    root = qtRoot();
    makeImages();
    qtEventLoopStart();
    uri = qtURI(root);
    if (!(conn = qtOpen(uri))) {
        TAP_OK(false, "open %s: %s", uri, qtErrMsg());
        return tapDone();
    }
    virConnectDomainEventRegisterAny(conn, NULL,
                                     VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
                                     VIR_DOMAIN_EVENT_CALLBACK(onBlockJob2),
                                     NULL, NULL);
    virConnectDomainEventRegisterAny(conn, NULL,
                                     VIR_DOMAIN_EVENT_ID_BLOCK_JOB,
                                     VIR_DOMAIN_EVENT_CALLBACK(onBlockJob),
                                     NULL, NULL);
    xml = domainXML();
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "define: %s", qtErrMsg());
    if (!dom)
        goto done;
    TAP_INT(virDomainCreate(dom), 0, "start: %s", qtErrMsg());
    TAP_INT(qtConsoleOpen(&con, conn, dom, 0), 0, "console: %s", qtErrMsg());
    TAP_OK(qtConsoleWait(&con, QT_MARKER, BOOT_MS), "guest booted");
    qtConsoleForget(&con);
    qtConsoleSend(&con, "echo vireo-block | dd of=/dev/vdb bs=512 seek=100 "
                  "conv=fsync 2>/dev/null; echo DD-$?-done\n");
    TAP_OK(qtConsoleWait(&con, "DD-0-done", QUICK_MS),
           "the guest wrote its pattern to /dev/vdb");

    testPull(dom);
    testCopy(dom);
    testCommit(dom);
    testCancel(dom);
    testErrors(dom);

    qtConsoleClose(&con);
    TAP_INT(virDomainDestroy(dom), 0, "destroy: %s", qtErrMsg());
    testInactive(dom);
    virDomainUndefine(dom);
 done:
    if (dom) {
        virDomainDestroy(dom);
        virDomainFree(dom);
    }
    virConnectClose(conn);
    free(uri);
    printf("# whole run %lld ms\n", qtNowMs() - t0);
    return tapDone();
}
