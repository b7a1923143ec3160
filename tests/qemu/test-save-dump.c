/* test-save-dump.c: core dumps of the real test guest through the QEMU
 * driver: ELF and kdump files, LIVE, RESET, CRASH, errors, job stats */
#include "qemu-test.h"

#define BOOT_MS 60000
#define QUICK_MS 20000
#define NAME "dm"

static virConnectPtr conn;
static char *root;

static char *
rootPath(const char *name)
{
    char *p = NULL;

    if (asprintf(&p, "%s/%s", root, name) < 0)
        abort();
    return p;
}

/* The first LEN bytes of PATH into BUF; its size, -1 if unreadable. */
static long long
fileHead(const char *path, char *buf, size_t len)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    size_t n = 0;

    memset(buf, 0, len);
    if (!f)
        return -1;
    n = fread(buf, 1, len, f);
    fclose(f);
    if (n != len || stat(path, &st) < 0)
        return -1;
    return (long long)st.st_size;
}

static int
state(virDomainPtr dom, int *reason)
{
    int st = -1;

    if (virDomainGetState(dom, &st, reason, 0) < 0)
        return -1;
    return st;
}

static void
testElf(virDomainPtr dom)
{
    char *path = rootPath("core.elf");
    char head[8];
    long long size;
    int reason = -1;

    qtEventsClear();
    TAP_INT(virDomainCoreDump(dom, path, VIR_DUMP_MEMORY_ONLY), 0,
            "core dump (memory only): %s", qtErrMsg());
    size = fileHead(path, head, sizeof(head));
    TAP_OK(memcmp(head, "\177ELF", 4) == 0, "the file starts with the ELF "
           "magic");
    TAP_OK(size >= 256LL << 20, "... and holds the guest's memory (%lld "
           "bytes)", size);
    TAP_OK(qtLifecycle(NAME, VIR_DOMAIN_EVENT_SUSPENDED,
                       VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, QUICK_MS) &&
           qtLifecycle(NAME, VIR_DOMAIN_EVENT_RESUMED,
                       VIR_DOMAIN_EVENT_RESUMED_UNPAUSED, QUICK_MS),
           "paused for the dump, then resumed");
    TAP_INT(state(dom, &reason), VIR_DOMAIN_RUNNING, "running again");
    unlink(path);

    /* without MEMORY_ONLY: the same ELF memory dump (see qemu_dump.c) */
    TAP_INT(virDomainCoreDump(dom, path, 0), 0, "core dump: %s",
            qtErrMsg());
    size = fileHead(path, head, sizeof(head));
    TAP_OK(memcmp(head, "\177ELF", 4) == 0 && size >= 256LL << 20,
           "an ELF core too (%lld bytes)", size);
    unlink(path);

    TAP_INT(virDomainCoreDumpWithFormat(dom, path,
                                        VIR_DOMAIN_CORE_DUMP_FORMAT_RAW,
                                        VIR_DUMP_LIVE | VIR_DUMP_MEMORY_ONLY |
                                        VIR_DUMP_BYPASS_CACHE), 0,
            "live dump bypassing the cache: %s", qtErrMsg());
    size = fileHead(path, head, sizeof(head));
    TAP_OK(memcmp(head, "\177ELF", 4) == 0, "ELF file (%lld bytes)", size);
    TAP_INT(state(dom, NULL), VIR_DOMAIN_RUNNING, "running after it");
    unlink(path);
    free(path);
}

/* The job of the last dump, read after it ended. */
static void
testJobStats(virDomainPtr dom)
{
    virTypedParameterPtr params = NULL;
    int n = 0, type = -1, op = -1;
    unsigned long long total = 0;

    TAP_INT(virDomainGetJobStats(dom, &type, &params, &n,
                                 VIR_DOMAIN_JOB_STATS_COMPLETED), 0,
            "completed job stats: %s", qtErrMsg());
    virTypedParamsGetInt(params, n, VIR_DOMAIN_JOB_OPERATION, &op);
    virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_MEMORY_TOTAL, &total);
    TAP_INT(type, VIR_DOMAIN_JOB_COMPLETED, "... completed");
    TAP_INT(op, VIR_DOMAIN_JOB_OPERATION_DUMP, "... a dump");
    TAP_OK(total >= 256ULL << 20, "... of %llu bytes", total);
    virTypedParamsFree(params, n);
}

static void
testKdump(virDomainPtr dom)
{
    static const struct {
        unsigned int format;
        const char *name;
    } fmts[] = {
        { VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB, "kdump-zlib" },
        { VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO, "kdump-lzo" },
        { VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY, "kdump-snappy" },
    };
    char *path = rootPath("core.kdump");
    char head[8];
    int done = 0;

    for (size_t i = 0; i < 3; i++) {
        long long size;
        int rc = virDomainCoreDumpWithFormat(dom, path, fmts[i].format,
                                             VIR_DUMP_MEMORY_ONLY);

        if (rc < 0 && qtErrCode() == VIR_ERR_OPERATION_UNSUPPORTED) {
            TAP_OK(strstr(qtErrMsg(), fmts[i].name) != NULL,
                   "%s not offered by this QEMU, the error names it: %s",
                   fmts[i].name, qtErrMsg());
            continue;
        }
        TAP_INT(rc, 0, "%s dump: %s", fmts[i].name, qtErrMsg());
        size = fileHead(path, head, sizeof(head));
        /* QEMU writes kdump in makedumpfile's flattened form (for
         * pipes); "makedumpfile -R" turns it into a plain "KDUMP" file */
        TAP_OK(memcmp(head, "makedump", 8) == 0 ||
               memcmp(head, "KDUMP   ", 8) == 0, "... a kdump-compressed "
               "file (%lld bytes, '%.8s')", size, head);
        unlink(path);
        done++;
    }
    TAP_OK(done > 0, "QEMU offered %d kdump format(s)", done);
    TAP_INT(virDomainCoreDumpWithFormat(dom, path,
                                        VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB,
                                        0), -1,
            "kdump without MEMORY_ONLY fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_UNSUPPORTED,
            "... OPERATION_UNSUPPORTED");
    TAP_INT(virDomainCoreDumpWithFormat(dom, path, 99, VIR_DUMP_MEMORY_ONLY),
            -1, "unknown format fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainCoreDump(dom, path, VIR_DUMP_CRASH | VIR_DUMP_LIVE), -1,
            "crash and live together fail");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainCoreDump(dom, "/nonexistent-dir/core", 0), -1,
            "dump to a missing directory fails");
    TAP_INT(qtErrCode(), VIR_ERR_SYSTEM_ERROR, "... SYSTEM_ERROR");
    TAP_INT(state(dom, NULL), VIR_DOMAIN_RUNNING, "... the guest runs on");
    TAP_OK(access(path, F_OK) != 0, "no file from the failed calls");
    free(path);
}

static void
testReset(virDomainPtr dom, QtConsole *con)
{
    char *path = rootPath("core.reset");

    qtEventsClear();
    qtConsoleForget(con);
    TAP_INT(virDomainCoreDump(dom, path, VIR_DUMP_RESET), 0,
            "dump with RESET: %s", qtErrMsg());
    TAP_OK(qtEventWait(NAME, VIR_DOMAIN_EVENT_ID_REBOOT, -1, -1, QUICK_MS),
           "REBOOT event");
    TAP_OK(qtConsoleWait(con, QT_MARKER, BOOT_MS), "the guest boots again");
    TAP_INT(state(dom, NULL), VIR_DOMAIN_RUNNING, "running");
    unlink(path);
    free(path);
}

static void
testCrash(virDomainPtr dom)
{
    char *path = rootPath("core.crash");
    char head[8];
    int reason = -1;

    qtEventsClear();
    TAP_INT(virDomainCoreDump(dom, path, VIR_DUMP_CRASH), 0,
            "dump with CRASH: %s", qtErrMsg());
    TAP_OK(fileHead(path, head, sizeof(head)) > 0 &&
           memcmp(head, "\177ELF", 4) == 0, "ELF core written");
    TAP_INT(state(dom, &reason), VIR_DOMAIN_SHUTOFF, "shut off");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_CRASHED, "... crashed");
    TAP_OK(qtLifecycle(NAME, VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_CRASHED, QUICK_MS),
           "STOPPED_CRASHED event");
    TAP_INT(virDomainCoreDump(dom, path, 0), -1, "no dump of a shut off "
            "domain");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    unlink(path);
    free(path);
}

int
main(void)
{
    char why[200];
    char *uri, *xml;
    virDomainPtr dom;
    QtConsole con = { 0 };
    long long t0 = qtNowMs();

    if (!qtSetup(why, sizeof(why))) {
        tapSkip(why);
        return tapDone();
    }
    virSetErrorFunc(NULL, qtNoErrors);
    qtEventLoopStart();
    root = qtRoot();
    uri = qtURI(root);
    conn = qtOpen(uri);
    TAP_OK(conn != NULL, "open %s: %s", uri, conn ? "ok" : qtErrMsg());
    if (!conn)
        return tapDone();
    qtEventsWatch(conn);
    xml = qtXML(NAME, "", "");
    /* persistent: the record outlives the crash */
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL && virDomainCreate(dom) == 0, "start: %s",
           qtErrMsg());
    if (!dom)
        return tapDone();
    TAP_INT(qtConsoleOpen(&con, conn, dom, 0), 0, "console: %s", qtErrMsg());
    TAP_OK(qtConsoleWait(&con, QT_MARKER, BOOT_MS), "guest booted");
    testElf(dom);
    testJobStats(dom);
    testKdump(dom);
    testReset(dom, &con);
    qtConsoleClose(&con);
    testCrash(dom);
    virDomainFree(dom);
    TAP_OK(virConnectClose(conn) >= 0, "close");
    printf("# whole program %lld ms\n", qtNowMs() - t0);
    qtRemoveRoot(root);
    free(root);
    free(uri);
    return tapDone();
}
