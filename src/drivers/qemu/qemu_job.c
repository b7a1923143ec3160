/* qemu_job.c: the QEMU driver's domain jobs as clients see them: the
 * progress of a save, restore or core dump (get_job_info, get_job_stats),
 * the last completed job, and abort_job */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_save.h"

#include "alloc.h"
#include "error.h"
#include "log.h"
#include "typedparam.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One job's numbers. */
typedef struct {
    int type;                   /* VIR_DOMAIN_JOB_*; NONE: nothing here */
    int operation;              /* VIR_DOMAIN_JOB_OPERATION_* */
    long long startMs;          /* CLOCK_MONOTONIC */
    unsigned long long elapsedMs;   /* set when it ends */
    bool hasMem;
    unsigned long long memTotal, memProcessed, memRemaining;
    bool hasMigration;          /* the fields QEMU's migration adds */
    unsigned long long memConstant, memNormal, memNormalBytes, memBps;
    unsigned long long memDirtyRate, memIteration, memPageSize;
    unsigned long long downtime, setupTime;
    char *errmsg;
} JobStats;

struct QemuJobData {
    JobStats active;
    JobStats completed;
    QemuJobAbortFunc abort;
    bool abortRequested;
};

static long long
jobNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
jobStatsClear(JobStats *s)
{
    free(s->errmsg);
    memset(s, 0, sizeof(*s));
}

void
qemuJobDataFree(struct QemuJobData *jd)
{
    if (!jd)
        return;
    jobStatsClear(&jd->active);
    jobStatsClear(&jd->completed);
    free(jd);
}

static struct QemuJobData *
jobData(QemuDom *d)
{
    if (!d->jobData)
        d->jobData = allocZero(sizeof(*d->jobData));
    return d->jobData;
}

void
qemuJobActivate(QemuDom *d, int operation, QemuJobAbortFunc abort)
{
    struct QemuJobData *jd = jobData(d);

    jobStatsClear(&jd->active);
    jd->active.type = VIR_DOMAIN_JOB_UNBOUNDED;
    jd->active.operation = operation;
    jd->active.startMs = jobNowMs();
    jd->abort = abort;
    jd->abortRequested = false;
}

void
qemuJobUpdateMigration(QemuDom *d, const QmpMigrationInfo *mi)
{
    JobStats *s = &jobData(d)->active;

    if (s->type == VIR_DOMAIN_JOB_NONE || !mi->hasRam)
        return;
    s->hasMem = s->hasMigration = true;
    s->memTotal = (unsigned long long)mi->ramTotal;
    s->memProcessed = (unsigned long long)mi->ramTransferred;
    s->memRemaining = (unsigned long long)mi->ramRemaining;
    s->memConstant = mi->ramDuplicate > 0 ? (unsigned long long)
        mi->ramDuplicate : 0;
    s->memNormal = mi->ramNormal > 0 ? (unsigned long long)mi->ramNormal : 0;
    s->memNormalBytes = mi->ramNormalBytes > 0 ?
        (unsigned long long)mi->ramNormalBytes : 0;
    /* QEMU reports megabits per second */
    s->memBps = (unsigned long long)(mi->ramMbps * 1000000.0 / 8.0);
    s->memDirtyRate = mi->ramDirtyPagesRate > 0 ?
        (unsigned long long)mi->ramDirtyPagesRate : 0;
    s->memIteration = mi->ramDirtySyncCount > 0 ?
        (unsigned long long)mi->ramDirtySyncCount : 0;
    s->memPageSize = mi->ramPageSize > 0 ?
        (unsigned long long)mi->ramPageSize : 0;
    s->downtime = mi->downtime > 0 ? (unsigned long long)mi->downtime : 0;
    s->setupTime = mi->setupTime > 0 ? (unsigned long long)mi->setupTime : 0;
}

void
qemuJobUpdateMemory(QemuDom *d, unsigned long long processed,
                    unsigned long long total)
{
    JobStats *s = &jobData(d)->active;

    if (s->type == VIR_DOMAIN_JOB_NONE)
        return;
    s->hasMem = true;
    s->memTotal = total;
    s->memProcessed = processed;
    s->memRemaining = total > processed ? total - processed : 0;
}

void
qemuJobFinish(QemuDom *d, int type, const char *errmsg)
{
    struct QemuJobData *jd = jobData(d);

    if (jd->active.type == VIR_DOMAIN_JOB_NONE)
        return;
    jobStatsClear(&jd->completed);
    jd->completed = jd->active;
    memset(&jd->active, 0, sizeof(jd->active));
    jd->completed.type = type;
    jd->completed.elapsedMs = (unsigned long long)
        (jobNowMs() - jd->completed.startMs);
    if (type == VIR_DOMAIN_JOB_COMPLETED && jd->completed.hasMem) {
        jd->completed.memProcessed = jd->completed.memTotal;
        jd->completed.memRemaining = 0;
    }
    if (errmsg)
        jd->completed.errmsg = allocStrdup(errmsg);
    jd->abort = NULL;
    jd->abortRequested = false;
}

bool
qemuJobAbortRequested(const QemuDom *d)
{
    return d->jobData && d->jobData->abortRequested;
}

/* ---- the public calls ---- */

/* Elapsed milliseconds of S (running or ended). */
static unsigned long long
jobElapsed(const JobStats *s)
{
    if (s->type == VIR_DOMAIN_JOB_UNBOUNDED)
        return (unsigned long long)(jobNowMs() - s->startMs);
    return s->elapsedMs;
}

static int
qemuDomainGetJobInfo(virDomainPtr dom, virDomainJobInfoPtr info)
{
    QemuDom *d = qemuDomGet(dom);
    const JobStats *s;

    if (!d)
        return -1;
    if (qemuDomCheckActive(d) < 0) {
        qemuDomRelease(d);
        return -1;
    }
    memset(info, 0, sizeof(*info));
    s = d->jobData ? &d->jobData->active : NULL;
    if (s && s->type != VIR_DOMAIN_JOB_NONE) {
        info->type = s->type;
        info->timeElapsed = jobElapsed(s);
        info->memTotal = info->dataTotal = s->memTotal;
        info->memProcessed = info->dataProcessed = s->memProcessed;
        info->memRemaining = info->dataRemaining = s->memRemaining;
    }
    qemuDomRelease(d);
    return 0;
}

/* The typed parameters of S into *LIST. */
static void
jobStatsParams(const JobStats *s, bool completed, virTypedParameterPtr *list,
               int *n, int *max)
{
    typedParamsAddInt(list, n, max, VIR_DOMAIN_JOB_OPERATION, s->operation);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_TIME_ELAPSED,
                         jobElapsed(s));
    if (completed)
        typedParamsAddBoolean(list, n, max, VIR_DOMAIN_JOB_SUCCESS,
                              s->type == VIR_DOMAIN_JOB_COMPLETED);
    if (s->errmsg)
        typedParamsAddString(list, n, max, VIR_DOMAIN_JOB_ERRMSG, s->errmsg);
    if (!s->hasMem)
        return;
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_DATA_TOTAL, s->memTotal);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_DATA_PROCESSED,
                         s->memProcessed);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_DATA_REMAINING,
                         s->memRemaining);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_TOTAL,
                         s->memTotal);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_PROCESSED,
                         s->memProcessed);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_REMAINING,
                         s->memRemaining);
    if (!s->hasMigration)
        return;
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_CONSTANT,
                         s->memConstant);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_NORMAL,
                         s->memNormal);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_NORMAL_BYTES,
                         s->memNormalBytes);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_BPS, s->memBps);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE,
                         s->memDirtyRate);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_ITERATION,
                         s->memIteration);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE,
                         s->memPageSize);
    typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_SETUP_TIME,
                         s->setupTime);
    if (completed)
        typedParamsAddULLong(list, n, max, VIR_DOMAIN_JOB_DOWNTIME,
                             s->downtime);
}

static int
qemuDomainGetJobStats(virDomainPtr dom, int *type,
                      virTypedParameterPtr *params, int *nparams,
                      unsigned int flags)
{
    unsigned int allowed = VIR_DOMAIN_JOB_STATS_COMPLETED |
        VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED;
    bool completed = flags & VIR_DOMAIN_JOB_STATS_COMPLETED;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0;
    JobStats *s;
    QemuDom *d;

    if (flags & ~allowed) {
        reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in %s",
                    flags & ~allowed, __func__);
        return -1;
    }
    if (!(d = qemuDomGet(dom)))
        return -1;
    /* the last completed job outlives the QEMU that ran it */
    if (!completed && qemuDomCheckActive(d) < 0) {
        qemuDomRelease(d);
        return -1;
    }
    *type = VIR_DOMAIN_JOB_NONE;
    s = !d->jobData ? NULL : completed ? &d->jobData->completed
                                       : &d->jobData->active;
    if (s && s->type != VIR_DOMAIN_JOB_NONE) {
        *type = s->type;
        jobStatsParams(s, completed, &list, &n, &max);
        if (completed && !(flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED))
            jobStatsClear(s);
    }
    qemuDomRelease(d);
    *params = list;
    *nparams = n;
    return 0;
}

/* Ask QEMU to cancel D's active job (lock held; released meanwhile). */
static int
jobAbort(QemuDom *d, QemuJobAbortFunc fn)
{
    Qmp *mon = qemuProcessMonAcquire(d);
    int ret;

    if (!mon)
        return -1;
    d->jobData->abortRequested = true;
    pthread_mutex_unlock(&d->drv->lock);
    ret = fn(mon);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    return ret;
}

static int
qemuDomainAbortJobFlags(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret = -1;

    if (flags & ~VIR_DOMAIN_ABORT_JOB_POSTCOPY) {
        reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in %s",
                    flags & ~VIR_DOMAIN_ABORT_JOB_POSTCOPY, __func__);
        return -1;
    }
    /* no job slot: the job to abort holds it */
    if (!(d = qemuDomGet(dom)))
        return -1;
    if (qemuDomCheckActive(d) < 0)
        goto cleanup;
    if (!d->jobData || d->jobData->active.type == VIR_DOMAIN_JOB_NONE) {
        reportError(VIR_ERR_OPERATION_INVALID, "no job is active on domain "
                    "'%s'", d->def->name);
    } else if (flags & VIR_DOMAIN_ABORT_JOB_POSTCOPY) {
        reportError(VIR_ERR_OPERATION_INVALID, "the job on domain '%s' is "
                    "not a migration in post-copy mode", d->def->name);
    } else if (!d->jobData->abort) {
        reportError(VIR_ERR_OPERATION_INVALID, "the %s job on domain '%s' "
                    "cannot be aborted: QEMU offers no way to cancel it",
                    d->jobData->active.operation ==
                    VIR_DOMAIN_JOB_OPERATION_DUMP ? "core dump" : "current",
                    d->def->name);
    } else if (d->jobData->abortRequested) {
        ret = 0;        /* already on its way out */
    } else {
        ret = jobAbort(d, d->jobData->abort);
    }
 cleanup:
    qemuDomRelease(d);
    return ret;
}

static int
qemuDomainAbortJob(virDomainPtr dom)
{
    return qemuDomainAbortJobFlags(dom, 0);
}

void
qemuJobFill(Driver *drv)
{
    drv->domainGetJobInfo = qemuDomainGetJobInfo;
    drv->domainGetJobStats = qemuDomainGetJobStats;
    drv->domainAbortJob = qemuDomainAbortJob;
    drv->domainAbortJobFlags = qemuDomainAbortJobFlags;
}
