/* test_blockjob.c: test driver block jobs (pull, copy, commit) that advance
 * with time. Progress is computed when asked for; a timer on the
 * registered event loop (when there is one) finishes a job on time, so its
 * completion event arrives without anybody asking. */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "alloc.h"
#include "error.h"
#include "eventloop.h"
#include "uuid.h"
#include "xtree.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char *disk;                 /* target dev */
    int type;                   /* VIR_DOMAIN_BLOCK_JOB_TYPE_* */
    unsigned long long end;     /* bytes to process */
    unsigned long long done;    /* processed up to 'last' */
    struct timespec last;
    unsigned long long rate;    /* bytes/s; 0: the whole disk in 2 s */
    bool ready;                 /* mirror phase reached (copy, active) */
    char *dest;                 /* copy destination / commit base path */
    int domID;                  /* the run the job belongs to */
    int timer;                  /* event loop timer, -1 when none */
} TestBlockJob;

struct _TestJobs {
    TestBlockJob **jobs;
    size_t n;
    bool hasCompleted;          /* last finished domain job, for stats */
    int completedOp;
    unsigned long long completedMs, completedBytes;
};

/* What a timer needs to find its job again. */
typedef struct {
    virConnectPtr conn;         /* holds a reference */
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *disk;
} TestJobTimer;

static void
testBlockJobFree(TestBlockJob *j)
{
    if (!j)
        return;
    if (j->timer >= 0)
        eventRemoveTimeout(j->timer);
    free(j->disk);
    free(j->dest);
    free(j);
}

/* Free D's job state (TestExt teardown). */
void
testJobsFree(TestJobs *jobs)
{
    if (!jobs)
        return;
    for (size_t i = 0; i < jobs->n; i++)
        testBlockJobFree(jobs->jobs[i]);
    free(jobs->jobs);
    free(jobs);
}

static TestJobs *
testJobs(TestDomain *d)
{
    TestExt *e = testExt(d);

    if (!e->jobs)
        ALLOC(e->jobs);
    return e->jobs;
}

static void
testBlockJobRemove(TestDomain *d, TestBlockJob *j)
{
    TestJobs *jobs = testJobs(d);
    size_t i;

    for (i = 0; i < jobs->n && jobs->jobs[i] != j; i++)
        ;
    if (i == jobs->n)
        return;
    memmove(&jobs->jobs[i], &jobs->jobs[i + 1],
            (jobs->n - i - 1) * sizeof(*jobs->jobs));
    jobs->n--;
    testBlockJobFree(j);
}

/* The job on disk DST, dropping jobs of an earlier run of D. */
static TestBlockJob *
testBlockJobFind(TestDomain *d, const char *dst)
{
    TestJobs *jobs = testJobs(d);

    for (size_t i = 0; i < jobs->n; i++) {
        TestBlockJob *j = jobs->jobs[i];

        if (j->domID != d->def->id || domainFindDisk(d->def, j->disk) < 0) {
            testBlockJobRemove(d, j);
            i--;
            continue;
        }
        if (strcmp(j->disk, dst) == 0)
            return j;
    }
    return NULL;
}

/* Whether disk DST of D is busy (reports OPERATION_INVALID then). */
bool
testBlockJobBusy(TestDomain *d, const char *dst)
{
    if (!testBlockJobFind(d, dst))
        return false;
    reportError(VIR_ERR_OPERATION_INVALID, "block job already running on "
                "disk '%s'", dst);
    return true;
}

static double
testElapsed(const struct timespec *since)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) + (now.tv_nsec - since->tv_nsec) / 1e9;
}

static unsigned long long
testJobRate(const TestBlockJob *j)
{
    return j->rate ? j->rate : (j->end / 2 ? j->end / 2 : 1);
}

/* Bring J's progress up to now. */
static void
testJobAdvance(TestBlockJob *j)
{
    double add = testElapsed(&j->last) * testJobRate(j);

    if (add >= (double)(j->end - j->done))
        j->done = j->end;
    else
        j->done += (unsigned long long)add;
    clock_gettime(CLOCK_MONOTONIC, &j->last);
}

static void
testJobEvent(virConnectPtr conn, TestDomain *d, const TestBlockJob *j,
             int status)
{
    int idx = domainFindDisk(d->def, j->disk);
    const char *path = idx >= 0 && d->def->disks[idx]->srcPath
                       ? d->def->disks[idx]->srcPath : j->disk;
    DomainEvent *ev = testEventNew(conn, d, VIR_DOMAIN_EVENT_ID_BLOCK_JOB);

    ev->s1 = allocStrdup(path);
    ev->i1 = j->type;
    ev->i2 = status;
    domainEventQueue(ev);
    ev = testEventNew(conn, d, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2);
    ev->s1 = allocStrdup(j->disk);
    ev->i1 = j->type;
    ev->i2 = status;
    domainEventQueue(ev);
}

/* The disk's chain after a finished pull or commit, or a pivot. */
static void
testJobApply(TestDomain *d, const TestBlockJob *j, bool pivot)
{
    int idx = domainFindDisk(d->def, j->disk);
    DiskDef *disk;

    if (idx < 0)
        return;
    disk = d->def->disks[idx];
    if (pivot && j->dest) {
        free(disk->srcPath);
        disk->srcPath = allocStrdup(j->dest);
    }
    if (j->type != VIR_DOMAIN_BLOCK_JOB_TYPE_COPY || pivot) {
        xtreeFree(disk->backingStore);
        disk->backingStore = NULL;
    }
}

/* Advance J; a one-phase job that reached the end finishes (events, chain
 * update, removal: J is gone then), a mirror announces READY once.
 * Returns true when J was finished and freed. */
static bool
testJobPoll(virConnectPtr conn, TestDomain *d, TestBlockJob *j)
{
    testJobAdvance(j);
    if (j->done < j->end)
        return false;
    if (j->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY ||
        j->type == VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT) {
        if (!j->ready) {
            j->ready = true;
            testJobEvent(conn, d, j, VIR_DOMAIN_BLOCK_JOB_READY);
        }
        return false;
    }
    testJobApply(d, j, false);
    testJobEvent(conn, d, j, VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    testBlockJobRemove(d, j);
    return true;
}

static void testJobArm(virConnectPtr conn, TestDomain *d, TestBlockJob *j);

static void
testJobTimerFree(void *opaque)
{
    TestJobTimer *t = opaque;

    objectUnref(t->conn);
    free(t->disk);
    free(t);
}

static void
testJobTimerFire(int timer, void *opaque)
{
    TestJobTimer *t = opaque;
    TestHost *h = testHostOf(t->conn);
    TestDomain *d;
    TestBlockJob *j = NULL;

    pthread_mutex_lock(&h->lock);
    if ((d = testHostFindUUID(h, t->uuid)) && d->ext)
        j = testBlockJobFind(d, t->disk);
    if (j && j->timer == timer) {
        j->timer = -1;          /* the job no longer owns this timer */
        if (!testJobPoll(t->conn, d, j))
            testJobArm(t->conn, d, j);
    }
    testHostUnlock(h);
    eventRemoveTimeout(timer);
}

/* (Re)arm J's timer for when it will reach its end. */
static void
testJobArm(virConnectPtr conn, TestDomain *d, TestBlockJob *j)
{
    TestJobTimer *t;
    unsigned long long left = j->end - j->done;
    int ms;

    if (j->timer >= 0) {
        eventRemoveTimeout(j->timer);
        j->timer = -1;
    }
    if (!eventHasImpl() || j->ready)
        return;
    ms = (int)(left * 1000 / testJobRate(j)) + 10;
    ALLOC(t);
    objectRef(conn);
    t->conn = conn;
    memcpy(t->uuid, d->def->uuid, VIR_UUID_BUFLEN);
    t->disk = allocStrdup(j->disk);
    if ((j->timer = eventAddTimeout(ms, testJobTimerFire, t,
                                    testJobTimerFree)) < 0) {
        errorReset();
        testJobTimerFree(t);
        j->timer = -1;
    }
}

/* Bandwidth argument -> bytes/s (MiB/s unless BYTES). */
static int
testBandwidth(unsigned long bandwidth, bool bytes, unsigned long long *out)
{
    if (!bytes && bandwidth > (ULLONG_MAX >> 20)) {
        reportError(VIR_ERR_OVERFLOW, "bandwidth must be less than %llu",
                    ULLONG_MAX >> 20);
        return -1;
    }
    *out = bytes ? bandwidth : (unsigned long long)bandwidth << 20;
    return 0;
}

/* Start a job of TYPE on DISK of DOM's domain, after the common checks. */
static int
testBlockJobStart(virDomainPtr dom, const char *disk, int type,
                  unsigned long long rate, const char *dest, bool needBacking)
{
    TestHost *h;
    TestDomain *d;
    TestBlockJob *j;
    TestJobs *jobs;
    DiskDef *def;
    int idx, ret = -1;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) < 0 ||
        (idx = testDiskIndex(d->def, disk)) < 0)
        goto cleanup;
    def = d->def->disks[idx];
    if (testBlockJobBusy(d, def->dst))
        goto cleanup;
    if (!def->hasSource || def->device == DISK_DEVICE_CDROM) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has "
                    "no writable medium for a block job", def->dst,
                    d->def->name);
        goto cleanup;
    }
    if (needBacking && !def->backingStore) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has "
                    "no backing image to commit into", def->dst,
                    d->def->name);
        goto cleanup;
    }
    ALLOC(j);
    j->disk = allocStrdup(def->dst);
    j->type = type;
    j->end = testDiskCapacity(d, def);
    j->rate = rate;
    j->dest = allocStrdup(dest);
    j->domID = d->def->id;
    j->timer = -1;
    clock_gettime(CLOCK_MONOTONIC, &j->last);
    jobs = testJobs(d);
    allocResize(&jobs->jobs, jobs->n, jobs->n + 1, sizeof(*jobs->jobs));
    jobs->jobs[jobs->n++] = j;
    testJobArm(dom->conn, d, j);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainBlockPull(virDomainPtr dom, const char *disk,
                    unsigned long bandwidth, unsigned int flags)
{
    unsigned long long rate;

    if (testCheckFlags(flags, VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES) < 0 ||
        testBandwidth(bandwidth, flags & VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES,
                      &rate) < 0)
        return -1;
    return testBlockJobStart(dom, disk, VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, rate,
                             NULL, false);
}

static int
testDomainBlockRebase(virDomainPtr dom, const char *disk, const char *base,
                      unsigned long bandwidth, unsigned int flags)
{
    unsigned long long rate;
    bool copy = flags & VIR_DOMAIN_BLOCK_REBASE_COPY;

    if (testCheckFlags(flags, VIR_DOMAIN_BLOCK_REBASE_SHALLOW |
                       VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT |
                       VIR_DOMAIN_BLOCK_REBASE_COPY_RAW |
                       VIR_DOMAIN_BLOCK_REBASE_COPY |
                       VIR_DOMAIN_BLOCK_REBASE_RELATIVE |
                       VIR_DOMAIN_BLOCK_REBASE_COPY_DEV |
                       VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES) < 0 ||
        testBandwidth(bandwidth, flags & VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES,
                      &rate) < 0)
        return -1;
    if (copy && !base) {
        reportError(VIR_ERR_INVALID_ARG, "a copy needs a destination (base)");
        return -1;
    }
    if (!copy && (flags & (VIR_DOMAIN_BLOCK_REBASE_COPY_RAW |
                           VIR_DOMAIN_BLOCK_REBASE_COPY_DEV |
                           VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT))) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'copy-raw', 'copy-dev' and "
                    "'reuse-ext' need 'copy'");
        return -1;
    }
    return testBlockJobStart(dom, disk, copy ? VIR_DOMAIN_BLOCK_JOB_TYPE_COPY
                                             : VIR_DOMAIN_BLOCK_JOB_TYPE_PULL,
                             rate, copy ? base : NULL, false);
}

/* The destination path of a BlockCopy <disk> element. */
static char *
testCopyDest(const char *destxml)
{
    XNode *root = xtreeParse(destxml, VIR_FROM_TEST);
    XNode *src;
    const char *path = NULL;
    char *ret = NULL;

    if (!root)
        return NULL;
    if (strcmp(root->name, "disk") == 0 && (src = xtreeChild(root, "source")))
        path = xtreeAttr(src, "file") ? xtreeAttr(src, "file")
                                      : xtreeAttr(src, "dev");
    if (path)
        ret = allocStrdup(path);
    else
        reportError(VIR_ERR_XML_DETAIL, "block copy destination needs "
                    "<disk><source file|dev=.../></disk>");
    xtreeFree(root);
    return ret;
}

static const TypedParamSpec copySpec[] = {
    { VIR_DOMAIN_BLOCK_COPY_BANDWIDTH, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_BLOCK_COPY_GRANULARITY, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BLOCK_COPY_BUF_SIZE, VIR_TYPED_PARAM_ULLONG, false },
    { NULL, 0, false }
};

static int
testDomainBlockCopy(virDomainPtr dom, const char *disk, const char *destxml,
                    virTypedParameterPtr params, int nparams,
                    unsigned int flags)
{
    unsigned long long rate = 0;
    unsigned int gran = 0;
    char *dest;
    int ret;

    if (testCheckFlags(flags, VIR_DOMAIN_BLOCK_COPY_SHALLOW |
                       VIR_DOMAIN_BLOCK_COPY_REUSE_EXT |
                       VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB |
                       VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES) < 0)
        return -1;
    if (nparams < 0 || (nparams && !params) ||
        typedParamsValidate(params, nparams, copySpec) < 0 ||
        typedParamsGetULLong(params, nparams, VIR_DOMAIN_BLOCK_COPY_BANDWIDTH,
                             &rate) < 0 ||
        typedParamsGetUInt(params, nparams, VIR_DOMAIN_BLOCK_COPY_GRANULARITY,
                           &gran) < 0) {
        if (!errorIsSet())
            reportError(VIR_ERR_INVALID_ARG, "invalid parameter array");
        return -1;
    }
    if (gran && (gran < 512 || gran > (64 << 20) || (gran & (gran - 1)))) {
        reportError(VIR_ERR_INVALID_ARG, "granularity %u must be a power of "
                    "two between 512 and 64 MiB", gran);
        return -1;
    }
    if (!(dest = testCopyDest(destxml)))
        return -1;
    ret = testBlockJobStart(dom, disk, VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, rate,
                            dest, false);
    free(dest);
    return ret;
}

static int
testDomainBlockCommit(virDomainPtr dom, const char *disk, const char *base,
                      const char *top, unsigned long bandwidth,
                      unsigned int flags)
{
    unsigned long long rate;
    bool active = flags & VIR_DOMAIN_BLOCK_COMMIT_ACTIVE;

    if (testCheckFlags(flags, VIR_DOMAIN_BLOCK_COMMIT_SHALLOW |
                       VIR_DOMAIN_BLOCK_COMMIT_DELETE |
                       VIR_DOMAIN_BLOCK_COMMIT_ACTIVE |
                       VIR_DOMAIN_BLOCK_COMMIT_RELATIVE |
                       VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES) < 0 ||
        testBandwidth(bandwidth, flags & VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES,
                      &rate) < 0)
        return -1;
    /* without a named top the active layer is committed: that needs ACTIVE */
    if (!top && !active) {
        reportError(VIR_ERR_INVALID_ARG, "committing the active layer of "
                    "disk '%s' requires flag 'active'", disk);
        return -1;
    }
    return testBlockJobStart(dom, disk,
                             active ? VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT
                                    : VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT,
                             rate, base, true);
}

/* Lock and find the job on DISK; OPERATION_INVALID when there is none. */
static TestBlockJob *
testBlockJobAcquire(virDomainPtr dom, const char *disk, TestHost **h,
                    TestDomain **dp, bool quiet)
{
    TestDomain *d = testDomainAcquire(dom, h);
    TestBlockJob *j;
    int idx;

    if (!d)
        return NULL;
    *dp = d;
    if (testDomainCheckActive(d) < 0 ||
        (idx = testDiskIndex(d->def, disk)) < 0)
        goto error;
    if (!(j = testBlockJobFind(d, d->def->disks[idx]->dst)) && !quiet) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has "
                    "no block job", disk, d->def->name);
        goto error;
    }
    if (!j)
        testHostUnlock(*h);
    return j;

 error:
    testHostUnlock(*h);
    return NULL;
}

static int
testDomainGetBlockJobInfo(virDomainPtr dom, const char *disk,
                          virDomainBlockJobInfoPtr info, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestBlockJob *j;
    bool bytes = flags & VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES;

    if (testCheckFlags(flags, VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES) < 0)
        return -1;
    if (!(j = testBlockJobAcquire(dom, disk, &h, &d, true)))
        return errorIsSet() ? -1 : 0;
    memset(info, 0, sizeof(*info));
    info->type = j->type;
    info->bandwidth = bytes ? j->rate : j->rate >> 20;
    info->end = j->end;
    /* the query that sees the end also finishes a one-phase job */
    testJobPoll(dom->conn, d, j);
    info->cur = info->end;
    if ((j = testBlockJobFind(d, disk)) && j->type == info->type)
        info->cur = j->done;
    testHostUnlock(h);
    return 1;
}

static int
testDomainBlockJobSetSpeed(virDomainPtr dom, const char *disk,
                           unsigned long bandwidth, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestBlockJob *j;
    unsigned long long rate;

    if (testCheckFlags(flags, VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES) < 0 ||
        testBandwidth(bandwidth,
                      flags & VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES,
                      &rate) < 0)
        return -1;
    if (!(j = testBlockJobAcquire(dom, disk, &h, &d, false)))
        return -1;
    testJobAdvance(j);
    j->rate = rate;
    testJobArm(dom->conn, d, j);
    testHostUnlock(h);
    return 0;
}

static int
testDomainBlockJobAbort(virDomainPtr dom, const char *disk,
                        unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestBlockJob *j;
    bool pivot = flags & VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT;

    if (testCheckFlags(flags, VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC |
                       VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT) < 0)
        return -1;
    if (!(j = testBlockJobAcquire(dom, disk, &h, &d, false)))
        return -1;
    if (testJobPoll(dom->conn, d, j)) {
        /* it had just finished: nothing left to abort */
        reportError(VIR_ERR_OPERATION_INVALID, "block job on disk '%s' has "
                    "already completed", disk);
        testHostUnlock(h);
        return -1;
    }
    if (pivot && (j->type == VIR_DOMAIN_BLOCK_JOB_TYPE_PULL ||
                  j->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT)) {
        reportError(VIR_ERR_OPERATION_INVALID, "pivot of disk '%s' needs a "
                    "copy or active commit job", disk);
        testHostUnlock(h);
        return -1;
    }
    if (pivot && !j->ready) {
        reportError(VIR_ERR_BLOCK_COPY_ACTIVE, "block job on disk '%s' is not "
                    "ready for pivot yet", disk);
        testHostUnlock(h);
        return -1;
    }
    if (pivot)
        testJobApply(d, j, true);
    testJobEvent(dom->conn, d, j, pivot ? VIR_DOMAIN_BLOCK_JOB_COMPLETED
                                        : VIR_DOMAIN_BLOCK_JOB_CANCELED);
    testBlockJobRemove(d, j);
    testHostUnlock(h);
    return 0;
}

/* ---- domain jobs: the core's jobs finish at once ---- */

/* Record a finished domain job of D (see test_priv.h). */
void
testJobCompleted(TestDomain *d, int operation, unsigned long long elapsedMs,
                 unsigned long long bytes)
{
    TestJobs *jobs = testJobs(d);

    jobs->hasCompleted = true;
    jobs->completedOp = operation;
    jobs->completedMs = elapsedMs;
    jobs->completedBytes = bytes;
}

static int
testDomainGetJobInfo(virDomainPtr dom, virDomainJobInfoPtr info)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) == 0) {
        memset(info, 0, sizeof(*info));
        info->type = VIR_DOMAIN_JOB_NONE;
        ret = 0;
    }
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetJobStats(virDomainPtr dom, int *type,
                      virTypedParameterPtr *params, int *nparams,
                      unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestJobs *jobs;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0;
    bool completed = flags & VIR_DOMAIN_JOB_STATS_COMPLETED;

    if (testCheckFlags(flags, VIR_DOMAIN_JOB_STATS_COMPLETED |
                       VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED) < 0 ||
        !(d = testDomainAcquire(dom, &h)))
        return -1;
    if (!completed && testDomainCheckActive(d) < 0) {
        testHostUnlock(h);
        return -1;
    }
    jobs = testJobs(d);
    *type = VIR_DOMAIN_JOB_NONE;
    if (completed && jobs->hasCompleted) {
        *type = VIR_DOMAIN_JOB_COMPLETED;
        typedParamsAddInt(&list, &n, &max, VIR_DOMAIN_JOB_OPERATION,
                          jobs->completedOp);
        typedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_JOB_TIME_ELAPSED,
                             jobs->completedMs);
        typedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_JOB_DATA_TOTAL,
                             jobs->completedBytes);
        typedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_JOB_DATA_PROCESSED,
                             jobs->completedBytes);
        typedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_JOB_DATA_REMAINING,
                             0);
        if (!(flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED))
            jobs->hasCompleted = false;
    }
    testHostUnlock(h);
    *params = list;
    *nparams = n;
    return 0;
}

static int
testDomainAbortJobFlags(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, VIR_DOMAIN_ABORT_JOB_POSTCOPY) < 0 ||
        !(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) == 0)
        reportError(VIR_ERR_OPERATION_INVALID, "no job is active on domain "
                    "'%s'", d->def->name);
    testHostUnlock(h);
    return -1;
}

static int
testDomainAbortJob(virDomainPtr dom)
{
    return testDomainAbortJobFlags(dom, 0);
}

/* Fill in this file's slots. */
void
testBlockJobFill(Driver *drv)
{
    drv->domainBlockPull = testDomainBlockPull;
    drv->domainBlockRebase = testDomainBlockRebase;
    drv->domainBlockCopy = testDomainBlockCopy;
    drv->domainBlockCommit = testDomainBlockCommit;
    drv->domainGetBlockJobInfo = testDomainGetBlockJobInfo;
    drv->domainBlockJobSetSpeed = testDomainBlockJobSetSpeed;
    drv->domainBlockJobAbort = testDomainBlockJobAbort;
    drv->domainGetJobInfo = testDomainGetJobInfo;
    drv->domainGetJobStats = testDomainGetJobStats;
    drv->domainAbortJob = testDomainAbortJob;
    drv->domainAbortJobFlags = testDomainAbortJobFlags;
}
