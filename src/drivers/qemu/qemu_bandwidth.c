/* qemu_bandwidth.c: CPU bandwidth (CFS period and quota) of QEMU domains:
 * the domain's cpu cgroup (global_*) and its per-thread child groups
 * vcpuN, emulator and iothreadN, with each thread of QEMU moved into its
 * own; values are read back from the kernel's files */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_tune.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Why only the cpu controller gets per-thread groups: pinning is done
 * with sched_setaffinity, and the cpuset cgroup only carries the domain's
 * <numatune> memory nodes. Moving a thread into a v1 cpuset group would
 * reset its affinity to the group's cpus and tie every later cpuset.mems
 * change to each child, for nothing the driver uses. cpuacct is read at
 * the domain level, where the kernel sums the children anyway. (When a
 * host mounts cpuset or cpuacct together with cpu, the children are
 * theirs too; pins are applied after the threads move.)
 */

/* the XML/API names of the fields of each kind */
static const char *const bwFields[QEMU_BW_LAST][2] = {
    [QEMU_BW_VCPU] = { VIR_DOMAIN_SCHEDULER_VCPU_PERIOD,
                       VIR_DOMAIN_SCHEDULER_VCPU_QUOTA },
    [QEMU_BW_EMULATOR] = { VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD,
                           VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA },
    [QEMU_BW_GLOBAL] = { VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD,
                         VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA },
    [QEMU_BW_IOTHREAD] = { VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD,
                           VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA },
};

const char *
qemuBandwidthField(QemuBwKind k, bool quota)
{
    return bwFields[k][quota];
}

unsigned long long *
qemuBandwidthPeriod(CpuTune *ct, QemuBwKind k)
{
    switch (k) {
    case QEMU_BW_VCPU: return &ct->period;
    case QEMU_BW_EMULATOR: return &ct->emulatorPeriod;
    case QEMU_BW_GLOBAL: return &ct->globalPeriod;
    default: return &ct->iothreadPeriod;
    }
}

long long *
qemuBandwidthQuota(CpuTune *ct, QemuBwKind k)
{
    switch (k) {
    case QEMU_BW_VCPU: return &ct->quota;
    case QEMU_BW_EMULATOR: return &ct->emulatorQuota;
    case QEMU_BW_GLOBAL: return &ct->globalQuota;
    default: return &ct->iothreadQuota;
    }
}

void
qemuBandwidthDef(const CpuTune *ct, QemuBwKind k, unsigned long long *period,
                 long long *quota)
{
    /* the accessors only hand out the addresses; nothing is written */
    *period = *qemuBandwidthPeriod((CpuTune *)ct, k);
    *quota = *qemuBandwidthQuota((CpuTune *)ct, k);
}

bool
qemuBandwidthThreadsWanted(const DomainDef *def)
{
    const CpuTune *ct = &def->cputune;

    return ct->period || ct->quota || ct->emulatorPeriod ||
        ct->emulatorQuota || ct->iothreadPeriod || ct->iothreadQuota;
}

/* ---- one group's files ---- */

int
qemuBandwidthRead(const QemuCgroup *cg, unsigned long long *period,
                  long long *quota)
{
    char *s;
    int ret = -1;

    if (!qemuCgroupIsV2(cg)) {
        if (qemuCgroupReadULL(cg, "cpu.cfs_period_us", period) < 0 ||
            !(s = qemuCgroupRead(cg, "cpu.cfs_quota_us")))
            return -1;
        *quota = strtoll(s, NULL, 10);
        free(s);
        return 0;
    }
    /* cpu.max: "QUOTA PERIOD", QUOTA "max" when unlimited */
    if (!(s = qemuCgroupRead(cg, "cpu.max")))
        return -1;
    {
        char q[32] = "";

        if (sscanf(s, "%31s %llu", q, period) == 2) {
            *quota = strcmp(q, "max") == 0 ? -1 : strtoll(q, NULL, 10);
            ret = 0;
        } else {
            reportError(VIR_ERR_INTERNAL_ERROR, "cannot parse cpu.max '%s' "
                        "in %s", s, qemuCgroupDir(cg));
        }
    }
    free(s);
    return ret;
}

int
qemuBandwidthWrite(const QemuCgroup *cg, unsigned long long period,
                   long long quota)
{
    unsigned long long p = 0;
    long long q = 0;

    if (!period && !quota)
        return 0;
    if (!qemuCgroupIsV2(cg)) {
        if ((period && qemuCgroupWrite(cg, "cpu.cfs_period_us", "%llu",
                                       period) < 0) ||
            (quota && qemuCgroupWrite(cg, "cpu.cfs_quota_us", "%lld",
                                      quota < 0 ? -1 : quota) < 0))
            return -1;
        return 0;
    }
    if (qemuBandwidthRead(cg, &p, &q) < 0)
        return -1;
    if (period)
        p = period;
    if (quota)
        q = quota;
    if (q < 0)
        return qemuCgroupWrite(cg, "cpu.max", "max %llu", p);
    return qemuCgroupWrite(cg, "cpu.max", "%lld %llu", q, p);
}

/* ---- the per-thread groups ---- */

static const char *
bwPrefix(QemuBwKind k)
{
    return k == QEMU_BW_VCPU ? "vcpu" : k == QEMU_BW_IOTHREAD ? "iothread"
                                                             : "emulator";
}

/* The number N of a group named PREFIX N, -1 for other names. */
static long
bwGroupNumber(const char *name, const char *prefix)
{
    size_t len = strlen(prefix);
    char *end;
    long n;

    if (strncmp(name, prefix, len) != 0 || !name[len])
        return -1;
    n = strtol(name + len, &end, 10);
    return *end || n < 0 ? -1 : n;
}

static int
bwCmpLong(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return x < y ? -1 : x > y;
}

/* The numbers of the existing groups of kind K (vcpu or iothread) of
 * domain group CG, sorted (caller frees); the count, 0 when none. */
static size_t
bwGroups(const QemuCgroup *cg, QemuBwKind k, long **nums)
{
    DIR *dir = opendir(qemuCgroupDir(cg));
    struct dirent *e;
    size_t n = 0;

    *nums = NULL;
    while (dir && (e = readdir(dir))) {
        long num = bwGroupNumber(e->d_name, bwPrefix(k));

        if (e->d_type != DT_DIR || num < 0)
            continue;
        allocResize(nums, n, n + 1, sizeof(**nums));
        (*nums)[n++] = num;
    }
    if (dir)
        closedir(dir);
    if (n)
        qsort(*nums, n, sizeof(**nums), bwCmpLong);
    return n;
}

/* Group K number NUM (ignored for the emulator) of CG, made when CREATE
 * (and given DEF's values for K when new). */
static QemuCgroup *
bwChild(const QemuCgroup *cg, QemuBwKind k, long num, bool create,
        const DomainDef *def)
{
    char leaf[32];
    QemuCgroup *child;
    bool existed;

    if (k == QEMU_BW_EMULATOR)
        snprintf(leaf, sizeof(leaf), "emulator");
    else
        snprintf(leaf, sizeof(leaf), "%s%ld", bwPrefix(k), num);
    if (!create)
        return qemuCgroupChild(cg, leaf, false);
    child = qemuCgroupChild(cg, leaf, false);
    existed = child != NULL;
    if (!child && !(child = qemuCgroupChild(cg, leaf, true)))
        return NULL;
    if (!existed && def) {
        unsigned long long period;
        long long quota;

        qemuBandwidthDef(&def->cputune, k, &period, &quota);
        if (qemuBandwidthWrite(child, period, quota) < 0) {
            qemuCgroupFree(child);
            return NULL;
        }
    }
    return child;
}

/* Create the group and move TID into it. */
static int
bwPlaceOne(const QemuCgroup *cg, QemuBwKind k, long num, pid_t pid,
           pid_t tid, const DomainDef *def)
{
    QemuCgroup *child = bwChild(cg, k, num, true, def);
    int ret;

    if (!child)
        return -1;
    ret = qemuCgroupAddThread(child, pid, tid, false);
    qemuCgroupFree(child);
    return ret;
}

/* Remove the groups of kind K whose number is not in LIVE (N): vCPUs
 * unplugged, IOThreads deleted. rmdir only takes empty groups. */
static void
bwPrune(const QemuCgroup *cg, QemuBwKind k, const long *live, size_t n)
{
    long *nums = NULL;
    size_t count = bwGroups(cg, k, &nums);

    for (size_t i = 0; i < count; i++) {
        bool found = false;
        char *path;

        for (size_t j = 0; j < n && !found; j++)
            found = live[j] == nums[i];
        if (found)
            continue;
        path = allocPrintf("%s/%s%ld", qemuCgroupDir(cg), bwPrefix(k),
                           nums[i]);
        /* a thread just ended may take a moment to leave its group */
        for (int t = 0; t < 20 && rmdir(path) < 0 && errno == EBUSY; t++)
            usleep(10000);
        if (access(path, F_OK) == 0)
            logDebug("qemu", "cannot remove %s: %s", path, strerror(errno));
        free(path);
    }
    free(nums);
}

typedef struct {
    const QemuCgroup *cg;
    pid_t pid;
} BwMove;

static int
bwMoveOne(pid_t tid, void *opaque)
{
    const BwMove *m = opaque;

    return qemuCgroupAddThread(m->cg, m->pid, tid, false);
}

/* Every thread of PID not in SKIP (N) into the emulator group. */
static int
bwPlaceEmulator(const QemuCgroup *cg, pid_t pid, const long long *skip,
                size_t n, const DomainDef *def)
{
    QemuCgroup *emu = bwChild(cg, QEMU_BW_EMULATOR, 0, true, def);
    BwMove m = { emu, pid };
    int ret;

    if (!emu)
        return -1;
    ret = qemuThreadsForOthers(pid, skip, n, bwMoveOne, &m);
    qemuCgroupFree(emu);
    return ret;
}

int
qemuBandwidthPlace(Qmp *mon, const char *name, pid_t pid,
                   const DomainDef *def)
{
    QemuCgroup *cg = qemuCgroupOpen(name, pid, QEMU_CG_CPU);
    QmpCpu *cpus = NULL;
    QmpIothread *its = NULL;
    long long *tids = NULL;
    long *vnums = NULL, *inums = NULL;
    size_t nv = 0, ni = 0;
    int nc = -1, nio = -1, ret = -1;
    struct timespec t0, t1;

    if (!cg)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((nc = qmpQueryCpusFast(mon, &cpus)) < 0 ||
        (nio = qmpQueryIothreads(mon, &its)) < 0)
        goto cleanup;
    ALLOC_N(tids, nc + nio + 1);
    ALLOC_N(vnums, nc + 1);
    ALLOC_N(inums, nio + 1);
    for (int i = 0; i < nc; i++) {
        tids[nv + ni] = cpus[i].threadId;
        vnums[nv++] = cpus[i].cpuIndex;
        if (bwPlaceOne(cg, QEMU_BW_VCPU, cpus[i].cpuIndex, pid,
                       (pid_t)cpus[i].threadId, def) < 0)
            goto cleanup;
    }
    for (int i = 0; i < nio; i++) {
        long id = qemuThreadsIothreadId(its[i].id);

        if (id <= 0)
            continue;       /* not one of ours: stays with the emulator */
        tids[nv + ni] = its[i].threadId;
        inums[ni++] = id;
        if (bwPlaceOne(cg, QEMU_BW_IOTHREAD, id, pid, (pid_t)its[i].threadId,
                       def) < 0)
            goto cleanup;
    }
    if (bwPlaceEmulator(cg, pid, tids, nv + ni, def) < 0)
        goto cleanup;
    bwPrune(cg, QEMU_BW_VCPU, vnums, nv);
    bwPrune(cg, QEMU_BW_IOTHREAD, inums, ni);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    logDebug("qemu", "threads of domain '%s' placed in their cpu cgroups in "
             "%ld us", name, (long)((t1.tv_sec - t0.tv_sec) * 1000000 +
                                    (t1.tv_nsec - t0.tv_nsec) / 1000));
    ret = 0;
 cleanup:
    if (nc > 0)
        qmpCpuListFree(cpus, nc);
    if (nio > 0)
        qmpIothreadListFree(its, nio);
    free(tids);
    free(vnums);
    free(inums);
    qemuCgroupFree(cg);
    return ret;
}

void
qemuBandwidthPlaceEarly(const DomainDef *def, pid_t pid)
{
    QemuCgroup *cg, *emu = NULL;

    if (!qemuBandwidthThreadsWanted(def))
        return;
    if (!(cg = qemuCgroupOpen(def->name, pid, QEMU_CG_CPU)) ||
        !(emu = bwChild(cg, QEMU_BW_EMULATOR, 0, true, def)) ||
        qemuCgroupAddThread(emu, pid, pid, true) < 0) {
        logDebug("qemu", "QEMU of domain '%s' starts outside its emulator "
                 "cgroup: %s", def->name, errorLast()->message);
        errorReset();
    }
    qemuCgroupFree(emu);
    qemuCgroupFree(cg);
}

bool
qemuBandwidthPlaced(const char *name, pid_t pid)
{
    QemuCgroup *cg = qemuCgroupOpen(name, pid, QEMU_CG_CPU);
    QemuCgroup *emu = cg ? bwChild(cg, QEMU_BW_EMULATOR, 0, false,
                                   NULL) : NULL;
    bool placed = emu != NULL;

    if (!cg)
        errorReset();
    qemuCgroupFree(emu);
    qemuCgroupFree(cg);
    return placed;
}

void
qemuBandwidthRefresh(Qmp *mon, const char *name, pid_t pid,
                     const DomainDef *def)
{
    /* the caller's own error (a failed hotplug) stays as it was */
    virErrorPtr saved = errorSave();

    if ((qemuBandwidthThreadsWanted(def) || qemuBandwidthPlaced(name, pid)) &&
        qemuBandwidthPlace(mon, name, pid, def) < 0) {
        logDebug("qemu", "the threads of domain '%s' may sit in the wrong "
                 "cpu cgroups: %s", name, errorLast()->message);
        errorReset();
    }
    errorRestore(&saved);
}

/* ---- live values of a kind ---- */

int
qemuBandwidthSetLive(const char *name, pid_t pid, QemuBwKind k,
                     unsigned long long period, long long quota)
{
    QemuCgroup *cg;
    long *nums = NULL;
    size_t n;
    int ret = -1;

    if (!period && !quota)
        return 0;
    if (!(cg = qemuCgroupOpen(name, pid, QEMU_CG_CPU)))
        return -1;
    if (k == QEMU_BW_GLOBAL) {
        ret = qemuBandwidthWrite(cg, period, quota);
        goto cleanup;
    }
    if (k == QEMU_BW_EMULATOR) {
        ALLOC_N(nums, 1);
        n = 1;
    } else {
        n = bwGroups(cg, k, &nums);
    }
    for (size_t i = 0; i < n; i++) {
        QemuCgroup *child = bwChild(cg, k, nums[i], false, NULL);
        int rc;

        if (!child) {
            reportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' has no %s "
                        "cgroup", name, bwPrefix(k));
            goto cleanup;
        }
        rc = qemuBandwidthWrite(child, period, quota);
        qemuCgroupFree(child);
        if (rc < 0)
            goto cleanup;
    }
    ret = 0;
 cleanup:
    free(nums);
    qemuCgroupFree(cg);
    return ret;
}

int
qemuBandwidthGetLive(const char *name, pid_t pid, const DomainDef *def,
                     QemuBwKind k, unsigned long long *period,
                     long long *quota)
{
    QemuCgroup *cg = qemuCgroupOpen(name, pid, QEMU_CG_CPU);
    QemuCgroup *child = NULL;
    long *nums = NULL;
    int ret = -1;

    if (!cg)
        return -1;
    if (k == QEMU_BW_GLOBAL) {
        ret = qemuBandwidthRead(cg, period, quota);
        goto cleanup;
    }
    /* the first group of the kind speaks for all (they are set together);
     * with none (no such threads, or no per-thread limit ever set) the
     * live definition's value, 0 unless set */
    if (k == QEMU_BW_EMULATOR || bwGroups(cg, k, &nums) > 0)
        child = bwChild(cg, k, nums ? nums[0] : 0, false, NULL);
    if (child) {
        ret = qemuBandwidthRead(child, period, quota);
    } else {
        qemuBandwidthDef(&def->cputune, k, period, quota);
        ret = 0;
    }
 cleanup:
    free(nums);
    qemuCgroupFree(child);
    qemuCgroupFree(cg);
    return ret;
}
