/* test-block-devices.c: the QEMU driver's block device calls with the real
 * test guest under TCG: stats grow with the guest's writes, block info,
 * live and offline resize (the guest sees the new size), peek, I/O
 * throttling live and persistent (applied at the next start), disk errors,
 * and the error paths */
#include "qemu-test.h"


#define BOOT_MS 60000
#define QUICK_MS 10000

static virConnectPtr conn;
static char *root;

static char *
shOut(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    char *buf = calloc(1, 65536);
    size_t n;

    if (!f || !buf)
        abort();
    n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    pclose(f);
    return buf;
}

static void
makeImages(void)
{
    int rc = 0;

    rc |= qtSh("qemu-img create -q -f raw %s/raw.img 16M", root);
    rc |= qtSh("printf vireo-peek-data | dd of=%s/raw.img bs=1 seek=4096 "
             "conv=notrunc 2>/dev/null", root);
    rc |= qtSh("qemu-img create -q -f qcow2 %s/data.qcow2 32M", root);
    TAP_INT(rc, 0, "images created");
}

static char *
domainXML(void)
{
    char disks[2048];

    snprintf(disks, sizeof(disks),
             "    <disk type='file' device='disk'><driver name='qemu' "
             "type='raw'/><source file='%s/raw.img'/><target dev='vda' "
             "bus='virtio'/></disk>\n"
             "    <disk type='file' device='disk'><driver name='qemu' "
             "type='qcow2'/><source file='%s/data.qcow2'/><target dev='vdb' "
             "bus='virtio'/></disk>\n", root, root);
    return qtXML("blkdev", "", disks);
}

/* Ask the guest for FILE's content until it reads WANT. */
static bool
guestReads(QtConsole *con, const char *file, const char *want)
{
    char cmd[256], needle[128];
    long long until = qtNowMs() + QUICK_MS;

    snprintf(needle, sizeof(needle), "VAL=%s=", want);
    while (qtNowMs() < until) {
        qtConsoleForget(con);
        snprintf(cmd, sizeof(cmd), "echo VAL=$(cat %s)=\n", file);
        qtConsoleSend(con, cmd);
        if (qtConsoleWait(con, needle, 1000))
            return true;
    }
    return false;
}

static void
testStats(virDomainPtr dom, QtConsole *con)
{
    virDomainBlockStatsStruct before, after, all;
    virTypedParameterPtr params;
    int n = 0;
    long long wr = -1;

    TAP_INT(virDomainBlockStats(dom, "vdb", &before, sizeof(before)), 0,
            "block stats of vdb: %s", qtErrMsg());
    qtConsoleForget(con);
    qtConsoleSend(con, "echo vireo-block | dd of=/dev/vdb bs=512 seek=100 "
                  "conv=fsync 2>/dev/null; echo DD-$?-done\n");
    TAP_OK(qtConsoleWait(con, "DD-0-done", QUICK_MS), "guest wrote to vdb");
    TAP_INT(virDomainBlockStats(dom, "vdb", &after, sizeof(after)), 0,
            "block stats again");
    TAP_OK(after.wr_bytes >= before.wr_bytes + 512,
           "wr_bytes grew by the write (%lld -> %lld)", before.wr_bytes,
           after.wr_bytes);
    TAP_OK(after.wr_req > before.wr_req, "wr_req grew (%lld -> %lld)",
           before.wr_req, after.wr_req);
    TAP_OK(after.rd_req > 0, "rd_req counts the guest's probing (%lld)",
           after.rd_req);
    TAP_INT(after.errs, -1, "errs is unknown (-1)");
    TAP_INT(virDomainBlockStats(dom, "", &all, sizeof(all)), 0,
            "stats summed over every disk");
    TAP_OK(all.wr_bytes >= after.wr_bytes && all.rd_bytes >= after.rd_bytes,
           "... at least vdb's");

    TAP_INT(virDomainBlockStatsFlags(dom, "vdb", NULL, &n, 0), 0,
            "stats flags: count");
    TAP_INT(n, 8, "... 8 fields");
    params = calloc((size_t)n, sizeof(*params));
    TAP_INT(virDomainBlockStatsFlags(dom, "vdb", params, &n, 0), 0,
            "stats flags: values");
    TAP_STR(params[0].field, VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES,
            "first field wr_bytes");
    TAP_INT(virTypedParamsGetLLong(params, n,
                                   VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, &wr),
            1, "wr_bytes is there");
    TAP_OK(wr >= after.wr_bytes, "... at least %lld (%lld)", after.wr_bytes,
           wr);
    TAP_OK(virTypedParamsGet(params, n,
                             VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES) &&
           virTypedParamsGet(params, n, VIR_DOMAIN_BLOCK_STATS_READ_REQ),
           "flush_total_times and rd_operations are there");
    virTypedParamsFree(params, n);
}

static void
testInfoResize(virDomainPtr dom, QtConsole *con)
{
    virDomainBlockInfo info;
    struct stat sb;
    char path[600];

    TAP_INT(virDomainGetBlockInfo(dom, "vda", &info, 0), 0, "block info vda");
    TAP_OK(info.capacity == 16ULL << 20 && info.physical == 16ULL << 20,
           "raw vda: capacity and physical 16 MiB (%llu, %llu)",
           info.capacity, info.physical);
    TAP_INT(virDomainGetBlockInfo(dom, "vdb", &info, 0), 0, "block info vdb");
    TAP_OK(info.capacity == 32ULL << 20, "qcow2 vdb: capacity 32 MiB (%llu)",
           info.capacity);
    snprintf(path, sizeof(path), "%s/data.qcow2", root);
    TAP_OK(stat(path, &sb) == 0 && info.physical == (unsigned long long)
           sb.st_size, "... physical is the file size (%llu)", info.physical);
    TAP_OK(info.allocation > 0 && info.allocation <= info.physical,
           "... allocation %llu", info.allocation);

    TAP_INT(virDomainBlockResize(dom, "vdb", 48ULL << 20,
                                 VIR_DOMAIN_BLOCK_RESIZE_BYTES), 0,
            "live resize of vdb to 48 MiB: %s", qtErrMsg());
    TAP_OK(guestReads(con, "/sys/block/vdb/size", "98304"),
           "the guest sees 98304 sectors on vdb");
    TAP_INT(virDomainGetBlockInfo(dom, "vdb", &info, 0), 0, "block info");
    TAP_OK(info.capacity == 48ULL << 20, "capacity 48 MiB (%llu)",
           info.capacity);
    TAP_INT(virDomainBlockResize(dom, "vda", 24576, 0), 0,
            "live resize of vda to 24576 KiB: %s", qtErrMsg());
    TAP_OK(guestReads(con, "/sys/block/vda/size", "49152"),
           "the guest sees 49152 sectors on vda");
    snprintf(path, sizeof(path), "%s/raw.img", root);
    TAP_OK(stat(path, &sb) == 0 && sb.st_size == 24 << 20,
           "the raw file grew to 24 MiB");
}

static void
testPeek(virDomainPtr dom)
{
    char buf[16] = "";

    TAP_INT(virDomainBlockPeek(dom, "vda", 4096, 15, buf, 0), 0,
            "peek at vda: %s", qtErrMsg());
    TAP_STR(buf, "vireo-peek-data", "the file's bytes at offset 4096");
    TAP_INT(virDomainBlockPeek(dom, "vdb", 0, 8, buf, 0), -1,
            "peek at a qcow2 disk fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_UNSUPPORTED,
            "... OPERATION_UNSUPPORTED");
    TAP_OK(strstr(qtErrMsg(), "qcow2") != NULL, "... naming the format: %s",
           qtErrMsg());
    TAP_INT(virDomainBlockPeek(dom, "vda", 1ULL << 40, 8, buf, 0), -1,
            "peek beyond the end fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
}

static unsigned long long
ioValue(virDomainPtr dom, const char *field, unsigned int flags)
{
    virTypedParameterPtr params;
    int n = 0;
    unsigned long long v = (unsigned long long)-1;

    if (virDomainGetBlockIoTune(dom, "vdb", NULL, &n, flags) < 0 || n <= 0)
        return v;
    params = calloc((size_t)n, sizeof(*params));
    if (virDomainGetBlockIoTune(dom, "vdb", params, &n, flags) == 0 &&
        virTypedParamsGetULLong(params, n, field, &v) != 1)
        v = (unsigned long long)-1;
    virTypedParamsFree(params, n);
    return v;
}

static void
testIotune(virDomainPtr dom)
{
    virTypedParameterPtr p = NULL, got;
    int n = 0, max = 0, cnt = 0;
    const char *group = NULL;
    char *xml;

    virTypedParamsAddULLong(&p, &n, &max,
                            VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC, 10485760);
    virTypedParamsAddULLong(&p, &n, &max, VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC,
                            500);
    virTypedParamsAddULLong(&p, &n, &max,
                            VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC, 400);
    virTypedParamsAddULLong(&p, &n, &max,
                            VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX,
                            20971520);
    virTypedParamsAddULLong(&p, &n, &max,
                            VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH,
                            5);
    virTypedParamsAddString(&p, &n, &max, VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME,
                            "grp1");
    TAP_INT(virDomainSetBlockIoTune(dom, "vdb", p, n,
                                    VIR_DOMAIN_AFFECT_LIVE), 0,
            "set live iotune of vdb: %s", qtErrMsg());
    virTypedParamsFree(p, n);

    TAP_INT(virDomainGetBlockIoTune(dom, "vdb", NULL, &cnt,
                                    VIR_TYPED_PARAM_STRING_OKAY), 0,
            "iotune count");
    TAP_INT(cnt, 20, "... 20 fields");
    got = calloc((size_t)cnt, sizeof(*got));
    TAP_INT(virDomainGetBlockIoTune(dom, "vdb", got, &cnt,
                                    VIR_TYPED_PARAM_STRING_OKAY), 0,
            "get live iotune (from QEMU)");
    TAP_OK(virTypedParamsGetString(got, cnt, "group_name", &group) == 1 &&
           group && strcmp(group, "grp1") == 0, "group_name grp1");
    virTypedParamsFree(got, cnt);
    TAP_OK(ioValue(dom, "total_bytes_sec", 0) == 10485760,
           "total_bytes_sec reads back");
    TAP_OK(ioValue(dom, "read_iops_sec", 0) == 500, "read_iops_sec reads back");
    TAP_OK(ioValue(dom, "write_iops_sec", 0) == 400,
           "write_iops_sec reads back");
    TAP_OK(ioValue(dom, "total_bytes_sec_max", 0) == 20971520,
           "total_bytes_sec_max reads back");
    TAP_OK(ioValue(dom, "total_bytes_sec_max_length", 0) == 5,
           "total_bytes_sec_max_length reads back");
    TAP_OK(ioValue(dom, "read_bytes_sec", 0) == 0, "read_bytes_sec unset");
    xml = virDomainGetXMLDesc(dom, 0);
    TAP_OK(xml && strstr(xml, "<total_bytes_sec>10485760</total_bytes_sec>"),
           "live XML shows the <iotune>");
    free(xml);

    p = NULL;
    n = max = 0;
    virTypedParamsAddULLong(&p, &n, &max, "total_bytes_sec", 1);
    virTypedParamsAddULLong(&p, &n, &max, "read_bytes_sec", 1);
    TAP_INT(virDomainSetBlockIoTune(dom, "vdb", p, n, 0), -1,
            "total and read bytes at once fail");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    virTypedParamsFree(p, n);

    p = NULL;
    n = max = 0;
    virTypedParamsAddULLong(&p, &n, &max, "write_bytes_sec", 1048576);
    TAP_INT(virDomainSetBlockIoTune(dom, "vdb", p, n,
                                    VIR_DOMAIN_AFFECT_CONFIG), 0,
            "set persistent iotune: %s", qtErrMsg());
    virTypedParamsFree(p, n);
    TAP_OK(ioValue(dom, "write_bytes_sec", VIR_DOMAIN_AFFECT_CONFIG) ==
           1048576, "persistent write_bytes_sec reads back");
    TAP_OK(ioValue(dom, "write_bytes_sec", VIR_DOMAIN_AFFECT_LIVE) == 0,
           "... the live one is untouched");
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, "<write_bytes_sec>1048576</write_bytes_sec>"),
           "inactive XML shows it");
    free(xml);
}

static void
testErrors(virDomainPtr dom)
{
    virDomainBlockStatsStruct st;
    virDomainBlockInfo info;
    virDomainDiskError errs[4];

    TAP_INT(virDomainGetDiskErrors(dom, NULL, 0, 0), 2,
            "disk errors: room for 2");
    TAP_INT(virDomainGetDiskErrors(dom, errs, 4, 0), 0, "no disk errors");
    TAP_INT(virDomainBlockStats(dom, "vdz", &st, sizeof(st)), -1,
            "stats of an unknown disk fail");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_OK(strstr(qtErrMsg(), "vdz") != NULL, "... naming it: %s",
           qtErrMsg());
    TAP_INT(virDomainGetBlockInfo(dom, "vdz", &info, 0), -1,
            "info of an unknown disk fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainBlockResize(dom, "vdz", 1, 0), -1,
            "resize of an unknown disk fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
}

static void
testInactive(virDomainPtr dom)
{
    virDomainBlockStatsStruct st;
    virDomainBlockInfo info;
    char buf[16] = "", cmd[600], *out;

    TAP_INT(virDomainBlockStats(dom, "vdb", &st, sizeof(st)), -1,
            "stats of a shut off domain fail");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainGetDiskErrors(dom, NULL, 0, 0), -1,
            "disk errors of a shut off domain fail");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainGetBlockInfo(dom, "vdb", &info, 0), 0,
            "block info of a shut off domain: %s", qtErrMsg());
    TAP_OK(info.capacity == 48ULL << 20, "... capacity from the image "
           "(%llu)", info.capacity);
    TAP_INT(virDomainBlockResize(dom, "vdb", 64ULL << 20,
                                 VIR_DOMAIN_BLOCK_RESIZE_BYTES), 0,
            "offline resize to 64 MiB: %s", qtErrMsg());
    snprintf(cmd, sizeof(cmd), "qemu-img info --output=json %s/data.qcow2",
             root);
    out = shOut(cmd);
    TAP_OK(strstr(out, "\"virtual-size\": 67108864") != NULL,
           "qemu-img reads the new size");
    free(out);
    TAP_INT(virDomainBlockPeek(dom, "vda", 4096, 15, buf, 0), 0,
            "peek of a shut off domain's disk");
    TAP_STR(buf, "vireo-peek-data", "... reads the bytes");
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
    xml = domainXML();
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "define: %s", qtErrMsg());
    if (!dom)
        goto done;
    TAP_INT(virDomainCreate(dom), 0, "start: %s", qtErrMsg());
    TAP_INT(qtConsoleOpen(&con, conn, dom, 0), 0, "console: %s", qtErrMsg());
    TAP_OK(qtConsoleWait(&con, QT_MARKER, BOOT_MS), "guest booted");

    testStats(dom, &con);
    testInfoResize(dom, &con);
    testPeek(dom);
    testIotune(dom);
    testErrors(dom);

    qtConsoleClose(&con);
    TAP_INT(virDomainDestroy(dom), 0, "destroy: %s", qtErrMsg());
    testInactive(dom);

    /* the persistent <iotune> is applied when QEMU starts */
    TAP_INT(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), 0,
            "start paused: %s", qtErrMsg());
    TAP_OK(ioValue(dom, "write_bytes_sec", VIR_DOMAIN_AFFECT_LIVE) ==
           1048576, "QEMU applies the persistent write_bytes_sec at start");
    TAP_INT(virDomainDestroy(dom), 0, "destroy");
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
