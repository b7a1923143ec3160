/* cmd_block.c: block devices and block jobs: blockjob, blockpull,
 * blockcommit, blockcopy (with --wait and a progress bar), blockresize,
 * domblkinfo */
#include "vireo.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const jobTypeNames[] = {
    [VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN] = "Unknown",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_PULL] = "Block Pull",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_COPY] = "Block Copy",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT] = "Block Commit",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT] = "Active Block Commit",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP] = "Backup",
};

static const char *const jobTypeJSON[] = {
    [VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN] = "unknown",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_PULL] = "pull",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_COPY] = "copy",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT] = "commit",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT] = "active_commit",
    [VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP] = "backup",
};

static const char *
blockJobName(const char *const *names, int type)
{
    if (type < 0 || type > VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP)
        type = VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN;
    return names[type];
}

static volatile sig_atomic_t blockInterrupted;

static void
blockOnSignal(int sig)
{
    (void)sig;
    blockInterrupted = 1;
}

/* How a wait for a block job ended. */
typedef enum {
    BLOCK_WAIT_DONE,            /* the job is gone: it completed */
    BLOCK_WAIT_READY,           /* a mirror reached its synchronized phase */
    BLOCK_WAIT_ABORTED,         /* timeout or Ctrl-C: we aborted it */
    BLOCK_WAIT_ERROR,           /* printed */
} BlockWait;

static double
blockNow(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Abort the job on DISK after a timeout or an interrupt. */
static BlockWait
blockWaitAbort(const Ctx *ctx, const char *disk)
{
    unsigned int flags = cmdtabBool(ctx, "async") ?
                         VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC : 0;

    if (virDomainBlockJobAbort(ctx->dom, disk, flags) < 0) {
        errorsReport();
        return BLOCK_WAIT_ERROR;
    }
    return BLOCK_WAIT_ABORTED;
}

/* Poll the job on DISK until it is gone, or with MIRROR until it is
 * ready, drawing a bar labelled LABEL when progress is wanted. --timeout
 * and Ctrl-C abort it. */
static BlockWait
blockWait(const Ctx *ctx, const char *disk, const char *label, bool mirror)
{
    struct sigaction sa = { .sa_handler = blockOnSignal }, old;
    bool bar = progressWanted(ctx);
    double start = blockNow();
    int timeout = 0, lastPct = -1;
    BlockWait ret;

    cmdtabInt(ctx, "timeout", &timeout);
    blockInterrupted = 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    for (;;) {
        virDomainBlockJobInfo info;
        struct timespec tick = { 0, 50 * 1000000L };
        int r = virDomainGetBlockJobInfo(ctx->dom, disk, &info, 0);

        if (r < 0) {
            errorsReport();
            ret = BLOCK_WAIT_ERROR;
            break;
        }
        if (r == 0 || (mirror && info.end > 0 && info.cur == info.end)) {
            if (bar)
                progressBar(label, 1, 1);
            ret = r == 0 ? BLOCK_WAIT_DONE : BLOCK_WAIT_READY;
            break;
        }
        /* redraw only when the percentage moves */
        if (bar && info.end &&
            (int)(info.cur * 100 / info.end) != lastPct) {
            lastPct = (int)(info.cur * 100 / info.end);
            progressBar(label, info.cur, info.end);
        }
        if (blockInterrupted ||
            (timeout > 0 && blockNow() - start >= timeout)) {
            ret = blockWaitAbort(ctx, disk);
            break;
        }
        nanosleep(&tick, NULL);
    }
    sigaction(SIGINT, &old, NULL);
    if (bar)
        progressBarDone();
    return ret;
}

/* Check the options that only make sense with --wait; -1 after a usage
 * error. WAIT tells whether we wait. */
static int
blockWaitOptions(const Ctx *ctx, bool wait)
{
    static const char *const needWait[] = { "verbose", "timeout", "async" };

    for (size_t i = 0; i < sizeof(needWait) / sizeof(*needWait); i++) {
        if (!wait && cmdtabString(ctx, needWait[i]))
            return errorsUsage(ctx->cmd, "--%s needs --wait", needWait[i]);
    }
    return 0;
}

/* After a wait ended in OUTCOME: the message for an aborted job. */
static int
blockWaitFailed(const Ctx *ctx, BlockWait outcome, const char *what,
                const char *disk)
{
    if (outcome == BLOCK_WAIT_ABORTED)
        errorsPrintf("%s of disk '%s' of domain '%s' aborted %s", what, disk,
                     virDomainGetName(ctx->dom),
                     blockInterrupted ? "by interrupt" : "after the timeout");
    return EXIT_FAIL;
}

/* The --bandwidth value as the API wants it: MiB/s, or bytes/s with
 * --bytes (*FLAGS gets BYTESFLAG then). */
static unsigned long
blockBandwidth(const Ctx *ctx, unsigned int *flags, unsigned int bytesFlag)
{
    unsigned long long bw = 0;

    cmdtabULL(ctx, "bandwidth", &bw);
    if (cmdtabBool(ctx, "bytes"))
        *flags |= bytesFlag;
    return (unsigned long)bw;
}

static int
blockJobInfoPrint(const Ctx *ctx, const char *disk)
{
    virDomainBlockJobInfo info;
    unsigned int flags = cmdtabBool(ctx, "bytes") ?
                         VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES : 0;
    int r = virDomainGetBlockJobInfo(ctx->dom, disk, &info, flags);
    json_object *obj;

    if (r < 0)
        return argsFail();
    if (ctx->json) {
        obj = json_object_new_object();
        json_object_object_add(obj, "disk", json_object_new_string(disk));
        json_object_object_add(obj, "active", json_object_new_boolean(r));
        json_object_object_add(obj, "type", r ? json_object_new_string(
            blockJobName(jobTypeJSON, info.type)) : NULL);
        json_object_object_add(obj, "cur",
                               r ? json_object_new_uint64(info.cur) : NULL);
        json_object_object_add(obj, "end",
                               r ? json_object_new_uint64(info.end) : NULL);
        json_object_object_add(obj, flags ? "bandwidth_bytes_per_sec"
                                          : "bandwidth_mib_per_sec",
                               r ? json_object_new_uint64(info.bandwidth)
                                 : NULL);
        return outputJSON(obj);
    }
    if (r == 0) {
        printf("No current block job for %s\n", disk);
        return EXIT_OK;
    }
    printf("%s: [%3d %%]\n", blockJobName(jobTypeNames, info.type),
           info.end ? (int)(info.cur * 100 / info.end) : 0);
    if (info.bandwidth)
        printf("    Bandwidth limit: %lu %s\n", info.bandwidth,
               flags ? "bytes/s" : "MiB/s");
    return EXIT_OK;
}

static int
blockJob(Ctx *ctx)
{
    const char *disk = cmdtabString(ctx, "path");
    bool abort = cmdtabBool(ctx, "abort") || cmdtabBool(ctx, "pivot") ||
                 cmdtabBool(ctx, "async");
    bool speed = cmdtabString(ctx, "bandwidth") != NULL;
    unsigned int flags = 0;

    if ((abort && (speed || cmdtabBool(ctx, "info"))) ||
        (speed && cmdtabBool(ctx, "info"))) {
        errorsUsage(ctx->cmd, "--abort, --info and --bandwidth exclude "
                    "each other");
        return EXIT_USAGE;
    }
    if (ctx->json && (abort || speed)) {
        errorsUsage(ctx->cmd, "--json goes with --info only");
        return EXIT_USAGE;
    }
    if (abort) {
        if (cmdtabBool(ctx, "pivot"))
            flags |= VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT;
        if (cmdtabBool(ctx, "async"))
            flags |= VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC;
        if (virDomainBlockJobAbort(ctx->dom, disk, flags) < 0)
            return argsFail();
        outputDone(ctx, "Block job on %s %s", disk,
                   cmdtabBool(ctx, "pivot") ? "pivoted" : "aborted");
        return EXIT_OK;
    }
    if (speed) {
        unsigned long bw = blockBandwidth(ctx, &flags,
            VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES);

        if (virDomainBlockJobSetSpeed(ctx->dom, disk, bw, flags) < 0)
            return argsFail();
        outputDone(ctx, "Bandwidth of the block job on %s set to %lu %s",
                   disk, bw, flags ? "bytes/s" : "MiB/s");
        return EXIT_OK;
    }
    return blockJobInfoPrint(ctx, disk);
}

static int
blockPull(Ctx *ctx)
{
    const char *disk = cmdtabString(ctx, "path");
    const char *base = cmdtabString(ctx, "base");
    bool wait = cmdtabBool(ctx, "wait");
    unsigned int flags = 0;
    unsigned long bw;
    BlockWait outcome;
    int r;

    if (blockWaitOptions(ctx, wait) < 0)
        return EXIT_USAGE;
    if (base || cmdtabBool(ctx, "keep-relative")) {
        bw = blockBandwidth(ctx, &flags,
                            VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES);
        if (cmdtabBool(ctx, "keep-relative"))
            flags |= VIR_DOMAIN_BLOCK_REBASE_RELATIVE;
        r = virDomainBlockRebase(ctx->dom, disk, base, bw, flags);
    } else {
        bw = blockBandwidth(ctx, &flags,
                            VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES);
        r = virDomainBlockPull(ctx->dom, disk, bw, flags);
    }
    if (r < 0)
        return argsFail();
    if (!wait) {
        outputDone(ctx, "Block Pull started");
        return EXIT_OK;
    }
    outcome = blockWait(ctx, disk, "Block Pull", false);
    if (outcome != BLOCK_WAIT_DONE)
        return blockWaitFailed(ctx, outcome, "pull", disk);
    outputDone(ctx, "Pull complete");
    return EXIT_OK;
}

/* For an active commit or a copy in its synchronized phase: pivot,
 * finish (abort, keeping the original) or leave it running. */
static int
blockMirrorEnd(Ctx *ctx, const char *disk, const char *pivotOpt,
               const char *finishOpt, const char *ready,
               const char *finished)
{
    unsigned int flags = 0;

    if (!cmdtabBool(ctx, pivotOpt) && !cmdtabBool(ctx, finishOpt)) {
        outputDone(ctx, "%s", ready);
        return EXIT_OK;
    }
    if (cmdtabBool(ctx, pivotOpt))
        flags |= VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT;
    if (virDomainBlockJobAbort(ctx->dom, disk, flags) < 0)
        return argsFail();
    outputDone(ctx, "%s", cmdtabBool(ctx, pivotOpt) ? "Successfully pivoted"
                                                    : finished);
    return EXIT_OK;
}

static int
blockCommit(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "shallow", VIR_DOMAIN_BLOCK_COMMIT_SHALLOW },
        { "delete", VIR_DOMAIN_BLOCK_COMMIT_DELETE },
        { "active", VIR_DOMAIN_BLOCK_COMMIT_ACTIVE },
        { "keep-relative", VIR_DOMAIN_BLOCK_COMMIT_RELATIVE },
    };
    const char *disk = cmdtabString(ctx, "path");
    bool active = cmdtabBool(ctx, "active");
    bool wait = cmdtabBool(ctx, "wait") || cmdtabBool(ctx, "pivot") ||
                cmdtabBool(ctx, "keep-overlay");
    unsigned int flags = ARGS_FLAGS(ctx, opts);
    unsigned long bw;
    BlockWait outcome;

    if (blockWaitOptions(ctx, wait) < 0 ||
        argsExclusive(ctx, "pivot", "keep-overlay") < 0)
        return EXIT_USAGE;
    if (!active && (cmdtabBool(ctx, "pivot") ||
                    cmdtabBool(ctx, "keep-overlay"))) {
        errorsUsage(ctx->cmd, "--pivot and --keep-overlay need --active");
        return EXIT_USAGE;
    }
    bw = blockBandwidth(ctx, &flags, VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES);
    if (virDomainBlockCommit(ctx->dom, disk, cmdtabString(ctx, "base"),
                             cmdtabString(ctx, "top"), bw, flags) < 0)
        return argsFail();
    if (!wait) {
        outputDone(ctx, "%s started",
                   active ? "Active Block Commit" : "Block Commit");
        return EXIT_OK;
    }
    outcome = blockWait(ctx, disk, active ? "Active Block Commit"
                                          : "Block Commit", active);
    if (outcome == BLOCK_WAIT_DONE && !active) {
        outputDone(ctx, "Commit complete");
        return EXIT_OK;
    }
    if (outcome != BLOCK_WAIT_READY)
        return blockWaitFailed(ctx, outcome, "commit", disk);
    return blockMirrorEnd(ctx, disk, "pivot", "keep-overlay",
                          "Now in synchronized phase",
                          "Commit complete, overlay image kept");
}

/* The destination disk XML for blockcopy --dest: caller frees. */
static char *
blockCopyDestXML(const Ctx *ctx, const char *dest)
{
    bool dev = cmdtabBool(ctx, "blockdev");
    char *xml = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&xml, &len);

    if (!fp)
        abort();
    fprintf(fp, "<disk type='%s'>\n  <source %s='", dev ? "block" : "file",
            dev ? "dev" : "file");
    for (const char *s = dest; *s; s++) {
        if (*s == '\'')
            fputs("&apos;", fp);
        else if (*s == '&')
            fputs("&amp;", fp);
        else if (*s == '<')
            fputs("&lt;", fp);
        else
            fputc(*s, fp);
    }
    fputs("'/>\n", fp);
    if (cmdtabString(ctx, "format"))
        fprintf(fp, "  <driver type='%s'/>\n", cmdtabString(ctx, "format"));
    fputs("</disk>\n", fp);
    fclose(fp);
    return xml;
}

/* blockcopy's tuning parameters; -1 after a usage error. */
static int
blockCopyParams(const Ctx *ctx, virTypedParameterPtr *params, int *n)
{
    unsigned long long bw, v;
    int max = 0;

    *params = NULL;
    *n = 0;
    if (cmdtabULL(ctx, "bandwidth", &bw)) {
        if (!cmdtabBool(ctx, "bytes")) {
            if (bw > ~0ULL >> 20)
                return errorsUsage(ctx->cmd, "--bandwidth is too large");
            bw <<= 20;
        }
        virTypedParamsAddULLong(params, n, &max,
                                VIR_DOMAIN_BLOCK_COPY_BANDWIDTH, bw);
    }
    if (cmdtabULL(ctx, "granularity", &v)) {
        if (v > 0xffffffffULL)
            return errorsUsage(ctx->cmd, "--granularity is too large");
        virTypedParamsAddUInt(params, n, &max,
                              VIR_DOMAIN_BLOCK_COPY_GRANULARITY,
                              (unsigned int)v);
    }
    if (cmdtabULL(ctx, "buf-size", &v))
        virTypedParamsAddULLong(params, n, &max,
                                VIR_DOMAIN_BLOCK_COPY_BUF_SIZE, v);
    return 0;
}

/* The destination XML from --dest or --xml; NULL after an error
 * (*STATUS says which). */
static char *
blockCopyDest(const Ctx *ctx, int *status)
{
    const char *dest = cmdtabString(ctx, "dest");
    const char *file = cmdtabString(ctx, "xml");
    char *xml;

    *status = EXIT_USAGE;
    if (!dest == !file) {
        errorsUsage(ctx->cmd, "give one of --dest and --xml");
        return NULL;
    }
    if (file && (cmdtabBool(ctx, "blockdev") || cmdtabString(ctx, "format"))) {
        errorsUsage(ctx->cmd, "--blockdev and --format go with --dest");
        return NULL;
    }
    *status = EXIT_FAIL;
    if (file)
        return fileRead(file);
    xml = blockCopyDestXML(ctx, dest);
    return xml;
}

static int
blockCopy(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "shallow", VIR_DOMAIN_BLOCK_COPY_SHALLOW },
        { "reuse-external", VIR_DOMAIN_BLOCK_COPY_REUSE_EXT },
        { "transient-job", VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB },
        { "synchronous-writes", VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES },
    };
    const char *disk = cmdtabString(ctx, "path");
    bool wait = cmdtabBool(ctx, "wait") || cmdtabBool(ctx, "pivot") ||
                cmdtabBool(ctx, "finish");
    virTypedParameterPtr params = NULL;
    int n = 0, status;
    BlockWait outcome;
    char *xml;

    if (blockWaitOptions(ctx, wait) < 0 ||
        argsExclusive(ctx, "pivot", "finish") < 0 ||
        blockCopyParams(ctx, &params, &n) < 0) {
        virTypedParamsFree(params, n);
        return EXIT_USAGE;
    }
    if (!(xml = blockCopyDest(ctx, &status))) {
        virTypedParamsFree(params, n);
        return status;
    }
    if (cmdtabBool(ctx, "print-xml")) {
        fputs(xml, stdout);
        status = EXIT_OK;
        goto cleanup;
    }
    status = EXIT_FAIL;
    if (virDomainBlockCopy(ctx->dom, disk, xml, params, n,
                           ARGS_FLAGS(ctx, opts)) < 0) {
        errorsReport();
        goto cleanup;
    }
    if (!wait) {
        outputDone(ctx, "Block Copy started");
        status = EXIT_OK;
        goto cleanup;
    }
    outcome = blockWait(ctx, disk, "Block Copy", true);
    if (outcome != BLOCK_WAIT_READY)
        status = blockWaitFailed(ctx, outcome, "copy", disk);
    else
        status = blockMirrorEnd(ctx, disk, "pivot", "finish",
                                "Now in mirroring phase",
                                "Successfully copied");

 cleanup:
    free(xml);
    virTypedParamsFree(params, n);
    return status;
}

static int
blockResize(Ctx *ctx)
{
    const char *disk = cmdtabString(ctx, "path");
    const char *size = cmdtabString(ctx, "size");
    bool bare = strspn(size, "0123456789") == strlen(size);
    unsigned long long bytes;

    /* a bare number is KiB; pass bytes so that suffixes keep precision */
    if (argsParseScaled(size, 1, &bytes) < 0 ||
        (bare && bytes > ~0ULL / 1024)) {
        errorsUsage(ctx->cmd, "SIZE wants a size, not '%s'", size);
        return EXIT_USAGE;
    }
    if (bare)
        bytes *= 1024;
    if (virDomainBlockResize(ctx->dom, disk, bytes,
                             VIR_DOMAIN_BLOCK_RESIZE_BYTES) < 0)
        return argsFail();
    outputDone(ctx, "Block device '%s' is resized", disk);
    return EXIT_OK;
}

static void
blockInfoHuman(const Ctx *ctx, const virDomainBlockInfo *info)
{
    const unsigned long long v[] = {
        info->capacity, info->allocation, info->physical,
    };
    const char *const labels[] = { "Capacity:", "Allocation:", "Physical:" };

    for (int i = 0; i < 3; i++) {
        char size[64];

        if (cmdtabBool(ctx, "human"))
            outputSize(size, sizeof(size), v[i]);
        else
            snprintf(size, sizeof(size), "%llu", v[i]);
        outputField(15, labels[i], "%s", size);
    }
}

static json_object *
blockInfoJSON(const char *disk, const virDomainBlockInfo *info)
{
    json_object *obj = json_object_new_object();

    json_object_object_add(obj, "device", json_object_new_string(disk));
    json_object_object_add(obj, "capacity",
                           json_object_new_uint64(info->capacity));
    json_object_object_add(obj, "allocation",
                           json_object_new_uint64(info->allocation));
    json_object_object_add(obj, "physical",
                           json_object_new_uint64(info->physical));
    return obj;
}

/* domblkinfo --all: a table of every disk. */
static int
blockInfoAll(Ctx *ctx)
{
    static const char *const headers[] = {
        "Target", "Capacity", "Allocation", "Physical",
    };
    json_object *array = json_object_new_array();
    OutputTable *t = outputTableNew(4, headers);
    char **disks;
    int n, ret = EXIT_FAIL;

    if ((n = domxmlList(ctx->dom, 0, "disk", "target", "dev", &disks)) < 0)
        goto cleanup;
    for (int i = 0; i < n; i++) {
        virDomainBlockInfo info;
        char cells[3][64];
        const char *row[4] = { disks[i], cells[0], cells[1], cells[2] };

        if (virDomainGetBlockInfo(ctx->dom, disks[i], &info, 0) < 0) {
            errorsReport();
            goto cleanup;
        }
        json_object_array_add(array, blockInfoJSON(disks[i], &info));
        for (int c = 0; c < 3; c++) {
            unsigned long long x = c == 0 ? info.capacity :
                                   c == 1 ? info.allocation : info.physical;

            if (cmdtabBool(ctx, "human"))
                outputSize(cells[c], sizeof(cells[c]), x);
            else
                snprintf(cells[c], sizeof(cells[c]), "%llu", x);
        }
        outputTableAdd(t, row);
    }
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "disks", array);
        array = NULL;
        outputJSON(obj);
    } else {
        outputTablePrint(t);
    }
    ret = EXIT_OK;

 cleanup:
    json_object_put(array);
    outputTableFree(t);
    domxmlFree(disks);
    return ret;
}

static int
blockInfo(Ctx *ctx)
{
    const char *disk = cmdtabString(ctx, "device");
    virDomainBlockInfo info;

    if (cmdtabBool(ctx, "all") == (disk != NULL)) {
        errorsUsage(ctx->cmd, "give DEVICE or --all");
        return EXIT_USAGE;
    }
    if (!disk)
        return blockInfoAll(ctx);
    if (virDomainGetBlockInfo(ctx->dom, disk, &info, 0) < 0)
        return argsFail();
    if (ctx->json)
        return outputJSON(blockInfoJSON(disk, &info));
    blockInfoHuman(ctx, &info);
    return EXIT_OK;
}

#define OPT_PATH \
    { "path", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "DISK", \
      "the disk, by target (vda) or source path" }

#define OPTS_WAIT \
    { "wait", OPT_BOOL, 0, NULL, "wait until the job ends" }, \
    { "verbose", OPT_BOOL, 0, NULL, \
      "with --wait, show the progress even when standard error is no " \
      "terminal" }, \
    { "timeout", OPT_INT, 0, "SECONDS", \
      "with --wait, abort the job after this many seconds" }, \
    { "async", OPT_BOOL, 0, NULL, \
      "with --timeout, do not wait for the abort to finish" }

#define OPTS_BANDWIDTH \
    { "bandwidth", OPT_ULL, 0, "SPEED", \
      "limit the job's speed, in MiB/s (bytes/s with --bytes)" }, \
    { "bytes", OPT_BOOL, 0, NULL, "--bandwidth is in bytes/s" }

static const CmdOpt optsBlockjob[] = {
    OPT_PATH,
    { "info", OPT_BOOL, 0, NULL, "show the job's progress (the default)" },
    { "abort", OPT_BOOL, 0, NULL, "cancel the job" },
    { "async", OPT_BOOL, 0, NULL, "abort without waiting for the end" },
    { "pivot", OPT_BOOL, 0, NULL,
      "end a copy or active commit by switching to the new image" },
    OPTS_BANDWIDTH,
    { NULL },
};

static const CmdOpt optsBlockpull[] = {
    OPT_PATH,
    { "base", OPT_STRING, 0, "PATH",
      "pull only the images above this backing file" },
    OPTS_BANDWIDTH,
    OPTS_WAIT,
    { "keep-relative", OPT_BOOL, 0, NULL,
      "keep the backing chain's relative names" },
    { NULL },
};

static const CmdOpt optsBlockcommit[] = {
    OPT_PATH,
    { "base", OPT_STRING, 0, "PATH", "commit into this backing file" },
    { "top", OPT_STRING, 0, "PATH", "commit from this image down" },
    { "shallow", OPT_BOOL, 0, NULL, "commit the top image only" },
    { "active", OPT_BOOL, 0, NULL, "commit the active (top) layer" },
    { "delete", OPT_BOOL, 0, NULL, "delete the committed images" },
    OPTS_BANDWIDTH,
    OPTS_WAIT,
    { "pivot", OPT_BOOL, 0, NULL,
      "with --active, switch to the base once synchronized" },
    { "keep-overlay", OPT_BOOL, 0, NULL,
      "with --active, end the job keeping the top image" },
    { "keep-relative", OPT_BOOL, 0, NULL,
      "keep the backing chain's relative names" },
    { NULL },
};

static const CmdOpt optsBlockcopy[] = {
    OPT_PATH,
    { "dest", OPT_STRING, 0, "FILE", "copy to this file" },
    { "xml", OPT_STRING, 0, "FILE",
      "copy to the disk this XML file describes" },
    { "format", OPT_STRING, 0, "FORMAT",
      "with --dest, the destination's format (raw, qcow2...)" },
    { "blockdev", OPT_BOOL, 0, NULL, "with --dest, it is a block device" },
    { "shallow", OPT_BOOL, 0, NULL, "copy the top image only" },
    { "reuse-external", OPT_BOOL, 0, NULL, "reuse an existing destination" },
    OPTS_BANDWIDTH,
    { "granularity", OPT_ULL, 0, "BYTES", "the dirty bitmap's granularity" },
    { "buf-size", OPT_ULL, 0, "BYTES", "the copy buffer's size" },
    OPTS_WAIT,
    { "pivot", OPT_BOOL, 0, NULL, "switch to the copy once it is in sync" },
    { "finish", OPT_BOOL, 0, NULL,
      "end the job once in sync, keeping the original" },
    { "transient-job", OPT_BOOL, 0, NULL,
      "the job need not survive a restart" },
    { "synchronous-writes", OPT_BOOL, 0, NULL,
      "the guest's writes reach both images before they complete" },
    { "print-xml", OPT_BOOL, 0, NULL,
      "print the destination XML instead of copying" },
    { NULL },
};

static const CmdOpt optsBlockresize[] = {
    OPT_PATH,
    { "size", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "SIZE",
      "the new size: KiB, or a number with a unit (b, K, M, G, T)" },
    { NULL },
};

static const CmdOpt optsDomblkinfo[] = {
    { "device", OPT_STRING, OPT_POSITIONAL, "DEVICE",
      "the disk, by target (vda) or source path" },
    { "all", OPT_BOOL, 0, NULL, "all disks, as a table" },
    { "human", OPT_BOOL, 0, NULL, "sizes with units" },
    { NULL },
};

const Cmd blockCommands[] = {
    { "blockjob", G_BLOCK, blockJob, optsBlockjob, CMD_DOMAIN | CMD_QUERY,
      "show, throttle or end a block job",
      "Show the progress of the block job on DISK (--json with --info "
      "only), set its speed with --bandwidth, or cancel it with --abort; "
      "--pivot ends a copy or an active commit by switching to the new "
      "image." },
    { "blockpull", G_BLOCK, blockPull, optsBlockpull, CMD_DOMAIN,
      "fill a disk from its backing chain",
      "Copy the data of the disk's backing images into it, so that it no "
      "longer needs them. With --wait a progress bar follows the job on a "
      "terminal." },
    { "blockcommit", G_BLOCK, blockCommit, optsBlockcommit, CMD_DOMAIN,
      "merge a disk's images into a backing file",
      "Write the data of the top images of the disk's chain into a "
      "backing image. With --wait a progress bar follows the job on a "
      "terminal; an active commit then stays synchronized until --pivot "
      "or --keep-overlay (or blockjob) ends it." },
    { "blockcopy", G_BLOCK, blockCopy, optsBlockcopy, CMD_DOMAIN,
      "copy a disk to a new image while it runs",
      "Mirror the disk to a new image. With --wait a progress bar follows "
      "the job on a terminal until the copy is in sync; --pivot then "
      "switches the domain to the copy, --finish ends the job." },
    { "blockresize", G_BLOCK, blockResize, optsBlockresize, CMD_DOMAIN,
      "resize a disk",
      "Change the size of the running domain's disk." },
    { "domblkinfo", G_BLOCK, blockInfo, optsDomblkinfo,
      CMD_DOMAIN | CMD_QUERY,
      "show a disk's sizes",
      "Print the capacity, allocation and physical size of a disk in "
      "bytes, or with --all a table of every disk." },
    { NULL },
};
