/* test-save-restore.c: save, restore, save images, managed save and the
 * save job (progress, abort) of the QEMU driver with the real test guest:
 * a file written in the guest's RAM survives every save and restore */
#include "qemu-test.h"

#include <glob.h>
#include <pthread.h>
#include <sys/mman.h>

#define BOOT_MS 60000
#define QUICK_MS 20000
#define NAME "sv"
#define MARK "vireo-saved-$((6*7))"
#define MARK_OUT "vireo-saved-42"

static virConnectPtr conn;
static char *root;
static QtConsole con;

static char *
rootPath(const char *name)
{
    char *p = NULL;

    if (asprintf(&p, "%s/%s", root, name) < 0)
        abort();
    return p;
}

static bool
exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static long long
fileSize(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* Percentage of PATH's pages in the page cache (mincore), -1 on error. */
static int
cachedPercent(const char *path)
{
    long page = sysconf(_SC_PAGESIZE);
    long long size = fileSize(path), pages, in = 0;
    unsigned char *vec = NULL;
    void *map = MAP_FAILED;
    int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;

    if (fd < 0 || size <= 0)
        goto cleanup;
    pages = (size + page - 1) / page;
    map = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
    vec = malloc((size_t)pages);
    if (map == MAP_FAILED || !vec || mincore(map, (size_t)size, vec) < 0)
        goto cleanup;
    for (long long i = 0; i < pages; i++)
        in += vec[i] & 1;
    ret = (int)(in * 100 / pages);
 cleanup:
    if (map != MAP_FAILED)
        munmap(map, (size_t)size);
    free(vec);
    if (fd >= 0)
        close(fd);
    return ret;
}

/* Files named PATH.* (temporary files a save left behind). */
static int
leftovers(const char *path)
{
    char pat[600];
    glob_t g;
    int n;

    snprintf(pat, sizeof(pat), "%s.*", path);
    if (glob(pat, 0, NULL, &g) != 0)
        return 0;
    n = (int)g.gl_pathc;
    globfree(&g);
    return n;
}

static int
state(virDomainPtr dom, int *reason)
{
    int st = -1;

    if (virDomainGetState(dom, &st, reason, 0) < 0)
        return -1;
    return st;
}

/* Reopen the console of DOM (a restore makes a new pty) and run CMD;
 * true when EXPECT shows up. */
static bool
guestRun(virDomainPtr dom, const char *cmd, const char *expect)
{
    char line[300];

    qtConsoleClose(&con);
    if (qtConsoleOpen(&con, conn, dom, VIR_DOMAIN_CONSOLE_FORCE) < 0)
        return false;
    snprintf(line, sizeof(line), "%s\n", cmd);
    /* a restored guest may take a moment to take input again */
    for (int i = 0; i < 5; i++) {
        qtConsoleForget(&con);
        if (!qtConsoleSend(&con, line))
            return false;
        if (qtConsoleWait(&con, expect, QUICK_MS / 5))
            return true;
    }
    return false;
}

static bool
markerThere(virDomainPtr dom)
{
    return guestRun(dom, "cat /tmp/m", MARK_OUT);
}

static void
testBoot(virDomainPtr *domOut)
{
    char *xml = qtXML(NAME, "", "");
    virDomainPtr dom = virDomainDefineXML(conn, xml);

    free(xml);
    TAP_OK(dom != NULL, "define: %s", dom ? "ok" : qtErrMsg());
    if (!dom)
        exit(tapDone());
    TAP_INT(virDomainCreate(dom), 0, "start: %s", qtErrMsg());
    TAP_INT(qtConsoleOpen(&con, conn, dom, 0), 0, "console: %s", qtErrMsg());
    TAP_OK(qtConsoleWait(&con, QT_MARKER, BOOT_MS), "guest booted");
    TAP_OK(guestRun(dom, "echo " MARK " > /tmp/m; cat /tmp/m", MARK_OUT),
           "marker written into the guest's RAM (initramfs)");
    *domOut = dom;
}

static void
testJobStatsCompleted(virDomainPtr dom, int op)
{
    virTypedParameterPtr params = NULL;
    int n = 0, type = -1, v = -1;
    unsigned long long total = 0, processed = 0;

    TAP_INT(virDomainGetJobStats(dom, &type, &params, &n,
                                 VIR_DOMAIN_JOB_STATS_COMPLETED |
                                 VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED), 0,
            "completed job stats: %s", qtErrMsg());
    TAP_INT(type, VIR_DOMAIN_JOB_COMPLETED, "... type completed");
    virTypedParamsGetInt(params, n, VIR_DOMAIN_JOB_OPERATION, &v);
    TAP_INT(v, op, "... operation %d", op);
    virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_MEMORY_TOTAL, &total);
    virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_MEMORY_PROCESSED,
                            &processed);
    TAP_OK(total >= 256ULL << 20, "... memory_total %llu >= 256 MiB", total);
    TAP_OK(processed > 0, "... memory_processed %llu", processed);
    virTypedParamsFree(params, n);
    params = NULL;
    /* KEEP_COMPLETED kept it; without it, reading consumes it */
    TAP_INT(virDomainGetJobStats(dom, &type, &params, &n,
                                 VIR_DOMAIN_JOB_STATS_COMPLETED), 0,
            "completed job stats again");
    TAP_INT(type, VIR_DOMAIN_JOB_COMPLETED, "... still there (kept)");
    virTypedParamsFree(params, n);
    params = NULL;
    TAP_INT(virDomainGetJobStats(dom, &type, &params, &n,
                                 VIR_DOMAIN_JOB_STATS_COMPLETED), 0,
            "completed job stats a third time");
    TAP_INT(type, VIR_DOMAIN_JOB_NONE, "... gone once read without KEEP");
    virTypedParamsFree(params, n);
}

static void
testSaveRestore(virDomainPtr dom, const char *img)
{
    int reason = -1;
    long long t0, tSave, tRestore, size;
    char *xml;

    qtEventsClear();
    t0 = qtNowMs();
    TAP_INT(virDomainSave(dom, img), 0, "save: %s", qtErrMsg());
    tSave = qtNowMs() - t0;
    TAP_INT(state(dom, &reason), VIR_DOMAIN_SHUTOFF, "saved domain shut off");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_SAVED, "... reason saved");
    TAP_OK(qtLifecycle(NAME, VIR_DOMAIN_EVENT_SUSPENDED,
                       VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, QUICK_MS),
           "SUSPENDED event as the save pauses the guest");
    TAP_OK(qtLifecycle(NAME, VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_SAVED, QUICK_MS),
           "STOPPED_SAVED event");
    size = fileSize(img);
    TAP_OK(size > 1 << 20, "save image written (%lld bytes)", size);
    TAP_OK(cachedPercent(img) >= 50, "a plain save leaves its image in the "
           "page cache (%d%%)", cachedPercent(img));
    TAP_INT(leftovers(img), 0, "no temporary file left");
    TAP_INT(virDomainIsActive(dom), 0, "not active");
    testJobStatsCompleted(dom, VIR_DOMAIN_JOB_OPERATION_SAVE);

    xml = virDomainSaveImageGetXMLDesc(conn, img, 0);
    TAP_OK(xml && strstr(xml, "<name>" NAME "</name>") &&
           strstr(xml, "/vmlinuz</kernel>"),
           "save image XML: %s", xml ? "has name and kernel" : qtErrMsg());
    free(xml);

    qtEventsClear();
    t0 = qtNowMs();
    TAP_INT(virDomainRestore(conn, img), 0, "restore: %s", qtErrMsg());
    tRestore = qtNowMs() - t0;
    TAP_INT(state(dom, &reason), VIR_DOMAIN_RUNNING, "restored: running");
    TAP_INT(reason, VIR_DOMAIN_RUNNING_RESTORED, "... reason restored");
    TAP_OK(qtLifecycle(NAME, VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_RESTORED, QUICK_MS),
           "STARTED_RESTORED event");
    TAP_INT(virDomainIsPersistent(dom), 1, "still persistent");
    TAP_OK(markerThere(dom), "the marker survived save + restore");
    printf("# 256 MiB guest: image %.1f MiB; save %lld ms (%.0f MiB/s), "
           "restore %lld ms (%.0f MiB/s)\n", size / 1048576.0, tSave,
           size / 1048576.0 / (tSave > 0 ? tSave / 1000.0 : 0.001), tRestore,
           size / 1048576.0 / (tRestore > 0 ? tRestore / 1000.0 : 0.001));
}

/* Save with a new XML and the paused flag in the image; restore paused. */
static void
testPausedImage(virDomainPtr dom, const char *img)
{
    char *xml, *desc;
    int reason = -1;

    TAP_INT(virDomainSaveFlags(dom, img, NULL, 0), 0, "save again: %s",
            qtErrMsg());
    xml = virDomainSaveImageGetXMLDesc(conn, img, 0);
    desc = NULL;
    if (xml && strstr(xml, "<name>")) {
        char *at = strstr(xml, "<name>");

        if (asprintf(&desc, "%.*s<description>edited image</description>%s",
                     (int)(at - xml), xml, at) < 0)
            abort();
    }
    TAP_INT(virDomainSaveImageDefineXML(conn, img, desc ? desc : "",
                                        VIR_DOMAIN_SAVE_PAUSED), 0,
            "save image define XML (paused): %s", qtErrMsg());
    free(xml);
    free(desc);
    xml = virDomainSaveImageGetXMLDesc(conn, img, 0);
    TAP_OK(xml && strstr(xml, "edited image"), "the image has the new XML");
    free(xml);
    TAP_INT(virDomainSaveImageDefineXML(conn, img, "<domain type='qemu'>"
                                        "<name>other</name><memory>1024"
                                        "</memory><os><type>hvm</type></os>"
                                        "</domain>", 0), -1,
            "an XML of another domain is refused");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");

    qtEventsClear();
    TAP_INT(virDomainRestore(conn, img), 0, "restore: %s", qtErrMsg());
    TAP_INT(state(dom, &reason), VIR_DOMAIN_PAUSED,
            "restored paused, as the image says");
    TAP_OK(qtLifecycle(NAME, VIR_DOMAIN_EVENT_SUSPENDED,
                       VIR_DOMAIN_EVENT_SUSPENDED_RESTORED, QUICK_MS),
           "SUSPENDED_RESTORED event");
    xml = virDomainGetXMLDesc(dom, 0);
    TAP_OK(xml && strstr(xml, "edited image"), "live XML from the image");
    free(xml);
    TAP_INT(virDomainResume(dom), 0, "resume: %s", qtErrMsg());
    TAP_OK(markerThere(dom), "the marker is there after a paused restore");

    /* the typed-parameter calls; the flag beats the image */
    {
        virTypedParameterPtr params = NULL;
        int n = 0, max = 0;

        virTypedParamsAddString(&params, &n, &max, VIR_DOMAIN_SAVE_PARAM_FILE,
                                img);
        TAP_INT(virDomainSaveParams(dom, params, n, VIR_DOMAIN_SAVE_RUNNING |
                                    VIR_DOMAIN_SAVE_BYPASS_CACHE), 0,
                "save params (running, bypass cache): %s", qtErrMsg());
        TAP_OK(cachedPercent(img) <= 10, "... the image is not left in the "
               "page cache (%d%%)", cachedPercent(img));
        TAP_INT(virDomainRestoreParams(conn, params, n,
                                       VIR_DOMAIN_SAVE_PAUSED |
                                       VIR_DOMAIN_SAVE_BYPASS_CACHE), 0,
                "restore params with SAVE_PAUSED, bypass cache: %s",
                qtErrMsg());
        TAP_OK(cachedPercent(img) <= 10, "... the image is not left in the "
               "page cache (%d%%)", cachedPercent(img));
        virTypedParamsFree(params, n);
    }
    TAP_INT(state(dom, &reason), VIR_DOMAIN_PAUSED, "paused by the flag");
    TAP_INT(virDomainResume(dom), 0, "resume: %s", qtErrMsg());
    TAP_OK(markerThere(dom), "the marker is there");
}

/* Copy SRC to DST changing it: MODE 'm' breaks the magic, 't' truncates
 * the stream, 's' garbles the start of the stream (at 4 KiB: the XML of
 * the test guest is shorter than that). */
static bool
corruptCopy(const char *src, const char *dst, char mode)
{
    char cmd[1500];

    if (mode == 't')
        snprintf(cmd, sizeof(cmd), "head -c %lld '%s' > '%s'",
                 fileSize(src) / 2, src, dst);
    else if (mode == 'm')
        snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && printf XXXX | dd of='%s' "
                 "conv=notrunc bs=1 seek=0 status=none", src, dst, dst);
    else
        snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && printf garbage! | dd "
                 "of='%s' conv=notrunc bs=4096 seek=1 status=none", src, dst,
                 dst);
    return system(cmd) == 0;
}

static void
testCorrupt(const char *img)
{
    char *bad = rootPath("bad.save");

    TAP_OK(corruptCopy(img, bad, 'm'), "image with a broken magic");
    TAP_INT(virDomainRestore(conn, bad), -1, "restore of it fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_FAILED, "... OPERATION_FAILED");
    TAP_OK(strstr(qtErrMsg(), "bad magic") != NULL, "... saying: %s",
           qtErrMsg());
    TAP_OK(virDomainSaveImageGetXMLDesc(conn, bad, 0) == NULL,
           "its XML cannot be read either");
    TAP_OK(corruptCopy(img, bad, 't'), "truncated image");
    TAP_INT(virDomainRestore(conn, bad), -1, "restore of it fails");
    TAP_OK(strstr(qtErrMsg(), "truncated") != NULL, "... saying: %s",
           qtErrMsg());
    TAP_INT(virDomainRestore(conn, img), -1,
            "restore while the domain runs fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainRestore(conn, "/nonexistent/x.save"), -1,
            "restore of a missing file fails");
    TAP_INT(qtErrCode(), VIR_ERR_SYSTEM_ERROR, "... SYSTEM_ERROR");
    unlink(bad);
    free(bad);
}

/* A stream QEMU cannot load: the domain ends up shut off (failed). */
static void
testCorruptStream(virDomainPtr dom, const char *img)
{
    char *bad = rootPath("garbled.save");
    int reason = -1;

    TAP_OK(corruptCopy(img, bad, 's'), "image with a garbled stream");
    TAP_INT(virDomainRestore(conn, bad), -1, "restore of it fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_FAILED, "... OPERATION_FAILED: %s",
            qtErrMsg());
    TAP_INT(state(dom, &reason), VIR_DOMAIN_SHUTOFF, "... domain shut off");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_FAILED, "... reason failed");
    unlink(bad);
    free(bad);
}

static void
testBadPath(virDomainPtr dom)
{
    TAP_INT(virDomainSave(dom, "/nonexistent-dir/x.save"), -1,
            "save to a missing directory fails");
    TAP_INT(qtErrCode(), VIR_ERR_SYSTEM_ERROR, "... SYSTEM_ERROR");
    TAP_INT(state(dom, NULL), VIR_DOMAIN_RUNNING, "... the guest runs on");
    TAP_OK(!exists("/nonexistent-dir/x.save"), "... no file");
    TAP_INT(virDomainSaveFlags(dom, "/tmp/x", NULL, VIR_DOMAIN_SAVE_RUNNING |
                               VIR_DOMAIN_SAVE_PAUSED), -1,
            "running and paused together are refused");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainAbortJob(dom), -1, "abort with no job fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
}

typedef struct {
    virDomainPtr dom;
    const char *path;
    int ret;
    int code;
    volatile bool done;
} SaveThread;

static void *
saveThread(void *opaque)
{
    SaveThread *t = opaque;

    t->ret = virDomainSave(t->dom, t->path);
    t->code = t->ret < 0 ? qtErrCode() : 0;
    t->done = true;
    return NULL;
}

/* A slowed save: progress in the job info, then abort. */
static void
testAbort(virDomainPtr dom)
{
    SaveThread t = { .dom = dom, .path = NULL };
    virDomainJobInfo info = { 0 };
    virTypedParameterPtr params = NULL;
    int n = 0, type = -1, reason = -1, op = -1;
    unsigned long long total = 0;
    bool seen = false;
    long long until;
    char *img = rootPath("slow.save");
    pthread_t tid;

    /* QEMU's stream capped at 4 MB/s: seconds for this guest's pages */
    setenv("VIREO_QEMU_SAVE_BANDWIDTH", "4000000", 1);
    t.path = img;
    pthread_create(&tid, NULL, saveThread, &t);
    until = qtNowMs() + QUICK_MS;
    while (!t.done && !seen && qtNowMs() < until) {
        if (virDomainGetJobInfo(dom, &info) == 0 &&
            info.type == VIR_DOMAIN_JOB_UNBOUNDED && info.dataProcessed > 0)
            seen = true;
        else
            usleep(20 * 1000);
    }
    TAP_OK(seen, "job info during the save: unbounded, %llu of %llu bytes "
           "after %llu ms", info.dataProcessed, info.dataTotal,
           info.timeElapsed);
    TAP_OK(info.dataTotal >= 256ULL << 20 &&
           info.memRemaining > 0, "... total %llu, remaining %llu",
           info.dataTotal, info.memRemaining);
    TAP_INT(virDomainGetJobStats(dom, &type, &params, &n, 0), 0,
            "job stats during the save");
    virTypedParamsGetInt(params, n, VIR_DOMAIN_JOB_OPERATION, &op);
    virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_MEMORY_TOTAL, &total);
    TAP_OK(type == VIR_DOMAIN_JOB_UNBOUNDED &&
           op == VIR_DOMAIN_JOB_OPERATION_SAVE && total >= 256ULL << 20,
           "... unbounded save, memory_total %llu", total);
    virTypedParamsFree(params, n);
    TAP_INT(state(dom, &reason), VIR_DOMAIN_PAUSED, "paused while saving");
    TAP_INT(reason, VIR_DOMAIN_PAUSED_SAVE, "... reason save");
    TAP_INT(virDomainAbortJob(dom), 0, "abort job: %s", qtErrMsg());
    pthread_join(tid, NULL);
    unsetenv("VIREO_QEMU_SAVE_BANDWIDTH");
    TAP_INT(t.ret, -1, "the aborted save fails");
    TAP_INT(t.code, VIR_ERR_OPERATION_ABORTED, "... OPERATION_ABORTED");
    TAP_INT(state(dom, &reason), VIR_DOMAIN_RUNNING, "the guest runs again");
    TAP_INT(reason, VIR_DOMAIN_RUNNING_SAVE_CANCELED, "... save canceled");
    TAP_OK(!exists(img) && leftovers(img) == 0, "no file left behind");
    params = NULL;
    n = 0;
    TAP_INT(virDomainGetJobStats(dom, &type, &params, &n,
                                 VIR_DOMAIN_JOB_STATS_COMPLETED), 0,
            "completed job stats");
    TAP_INT(type, VIR_DOMAIN_JOB_CANCELLED, "... cancelled");
    virTypedParamsFree(params, n);
    TAP_OK(markerThere(dom), "the marker is still there");
    free(img);
}

static int
countManaged(unsigned int flags)
{
    virDomainPtr *list = NULL;
    int n = virConnectListAllDomains(conn, &list, flags);

    for (int i = 0; i < n; i++)
        virDomainFree(list[i]);
    free(list);
    return n;
}

/* Close and reopen the connection: the image is a file, it stays. */
static virDomainPtr
reconnect(virDomainPtr dom)
{
    char *uri = qtURI(root);

    qtConsoleClose(&con);
    virDomainFree(dom);
    virConnectClose(conn);
    conn = qtOpen(uri);
    free(uri);
    TAP_OK(conn != NULL, "reopened the root: %s", qtErrMsg());
    if (!conn)
        exit(tapDone());
    qtEventsWatch(conn);
    dom = virDomainLookupByName(conn, NAME);
    TAP_OK(dom != NULL, "domain found again");
    if (!dom)
        exit(tapDone());
    return dom;
}

static void
testManaged(virDomainPtr *domp)
{
    char *path = rootPath("save/" NAME ".save");
    virDomainPtr dom = *domp;
    char *xml;
    int reason = -1;

    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 0, "no managed image yet");
    TAP_INT(virDomainManagedSave(dom, 0), 0, "managed save: %s", qtErrMsg());
    TAP_INT(state(dom, &reason), VIR_DOMAIN_SHUTOFF, "shut off");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_SAVED, "... saved");
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 1, "has a managed image");
    TAP_OK(exists(path), "ROOT/save/" NAME ".save exists");
    *domp = dom = reconnect(dom);
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 1, "... still there after "
            "reconnecting");
    TAP_INT(countManaged(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE), 1,
            "listed with LIST_MANAGEDSAVE");
    TAP_INT(countManaged(VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE), 0,
            "not with LIST_NO_MANAGEDSAVE");
    xml = virDomainManagedSaveGetXMLDesc(dom, 0);
    TAP_OK(xml && strstr(xml, "<name>" NAME "</name>"), "managed save XML");
    free(xml);
    TAP_INT(virDomainUndefine(dom), -1, "undefine refused while it has one");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");

    qtEventsClear();
    TAP_INT(virDomainCreate(dom), 0, "start restores it: %s", qtErrMsg());
    TAP_INT(state(dom, &reason), VIR_DOMAIN_RUNNING, "running");
    TAP_INT(reason, VIR_DOMAIN_RUNNING_RESTORED, "... restored");
    TAP_OK(qtLifecycle(NAME, VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_RESTORED, QUICK_MS),
           "STARTED_RESTORED event");
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 0, "image spent");
    TAP_OK(markerThere(dom), "the marker survived managed save + start");

    TAP_INT(virDomainManagedSave(dom, 0), 0, "managed save again: %s",
            qtErrMsg());
    TAP_INT(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_FORCE_BOOT), 0,
            "start with FORCE_BOOT: %s", qtErrMsg());
    TAP_INT(state(dom, &reason), VIR_DOMAIN_RUNNING, "running");
    TAP_INT(reason, VIR_DOMAIN_RUNNING_BOOTED, "... booted afresh");
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 0, "image discarded");
    qtConsoleClose(&con);
    TAP_INT(qtConsoleOpen(&con, conn, dom, 0), 0, "console");
    TAP_OK(qtConsoleWait(&con, QT_MARKER, BOOT_MS), "the guest booted");
    TAP_OK(guestRun(dom, "cat /tmp/m || echo no-$((1+1))-marker",
                    "no-2-marker"), "and has no marker");

    TAP_INT(virDomainManagedSave(dom, 0), 0, "managed save a third time");
    TAP_INT(virDomainManagedSaveRemove(dom, 0), 0, "managed save remove");
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 0, "image gone");
    TAP_INT(virDomainManagedSaveRemove(dom, 0), 0, "removing none is fine");
    free(path);
}

/* Restore without a definition: a transient domain; undefine with the
 * managed save flag. */
static void
testTransient(virDomainPtr dom, const char *img)
{
    virDomainPtr t;

    TAP_INT(virDomainCreate(dom), 0, "boot: %s", qtErrMsg());
    TAP_INT(virDomainManagedSave(dom, 0), 0, "managed save: %s", qtErrMsg());
    TAP_INT(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE), 0,
            "undefine with UNDEFINE_MANAGED_SAVE: %s", qtErrMsg());
    TAP_INT(countManaged(0), 0, "domain gone");
    TAP_INT(virDomainRestore(conn, img), 0, "restore without a definition: "
            "%s", qtErrMsg());
    t = virDomainLookupByName(conn, NAME);
    TAP_OK(t && virDomainIsPersistent(t) == 0 && virDomainIsActive(t) == 1,
           "a running transient domain");
    qtEventsClear();
    TAP_INT(virDomainDestroy(t), 0, "destroy it");
    TAP_OK(qtLifecycle(NAME, VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_DESTROYED, QUICK_MS),
           "STOPPED_DESTROYED event");
    TAP_INT(countManaged(0), 0, "and it is gone");
    if (t)
        virDomainFree(t);
}

int
main(void)
{
    char why[200];
    char *uri, *img, *img2;
    virDomainPtr dom = NULL;
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
    img = rootPath("a.save");
    img2 = rootPath("b.save");
    testBoot(&dom);
    testBadPath(dom);
    testSaveRestore(dom, img);
    testPausedImage(dom, img2);
    testCorrupt(img);
    testAbort(dom);
    testManaged(&dom);
    TAP_INT(virDomainIsActive(dom), 0, "shut off with no image");
    testCorruptStream(dom, img);
    testTransient(dom, img);
    qtConsoleClose(&con);
    virDomainFree(dom);
    TAP_OK(virConnectClose(conn) >= 0, "close");
    printf("# whole program %lld ms\n", qtNowMs() - t0);
    qtRemoveRoot(root);
    free(img);
    free(img2);
    free(root);
    free(uri);
    return tapDone();
}
