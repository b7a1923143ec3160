/* qemu_tunables.c: scheduler, memory, blkio and NUMA parameters of QEMU
 * domains through their cgroups (v1 files, or their v2 equivalents). Live
 * values are always read back from the kernel's files. */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_tune.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "typedparam.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define AFFECT (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)
#define UNLIMITED_KIB ((unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED)

/* Hand LIST (N entries, freed here) to a get call's caller. */
static int
tunReturn(virTypedParameterPtr out, int *nout, virTypedParameterPtr list,
          int n)
{
    int ret = typedParamsFillOut(out, nout, list, n);

    typedParamsFree(list, n);
    return ret;
}

static QemuCgroup *
tunOpen(QemuDom *d, QemuCgController c)
{
    return qemuCgroupOpen(d->def->name, d->pid, c);
}

/* ---- scheduler ---- */

static const TypedParamSpec schedSpec[] = {
    { VIR_DOMAIN_SCHEDULER_CPU_SHARES, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA, VIR_TYPED_PARAM_LLONG, false },
    { VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, VIR_TYPED_PARAM_LLONG, false },
    { VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA, VIR_TYPED_PARAM_LLONG, false },
    { VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA, VIR_TYPED_PARAM_LLONG, false },
    { NULL, 0, false }
};
#define SCHED_NPARAMS (1 + 2 * QEMU_BW_LAST)

static char *
qemuDomainGetSchedulerType(virDomainPtr dom, int *nparams)
{
    QemuDom *d = qemuTuneBegin(dom, false, false);

    if (!d)
        return NULL;
    qemuTuneEnd(d, false);
    if (nparams)
        *nparams = SCHED_NPARAMS;
    return allocStrdup("posix");
}

/* The live cpu.shares (v2: cpu.weight) of D's cpu cgroup. */
static int
tunSharesRead(QemuDom *d, unsigned long long *shares)
{
    QemuCgroup *cg = tunOpen(d, QEMU_CG_CPU);
    int ret;

    if (!cg)
        return -1;
    ret = qemuCgroupReadULL(cg, qemuCgroupIsV2(cg) ? "cpu.weight"
                                                   : "cpu.shares", shares);
    qemuCgroupFree(cg);
    return ret;
}

static int
tunSharesWrite(const char *name, pid_t pid, unsigned long long shares)
{
    QemuCgroup *cg = qemuCgroupOpen(name, pid, QEMU_CG_CPU);
    int ret;

    if (!cg)
        return -1;
    ret = qemuCgroupWrite(cg, qemuCgroupIsV2(cg) ? "cpu.weight"
                                                 : "cpu.shares",
                          "%llu", shares);
    qemuCgroupFree(cg);
    return ret;
}

static int
qemuDomainGetSchedulerParametersFlags(virDomainPtr dom,
                                      virTypedParameterPtr params,
                                      int *nparams, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0, ret = -1;
    unsigned long long shares;

    if (qemuTuneCheckFlags(flags, AFFECT | VIR_TYPED_PARAM_STRING_OKAY,
                           __func__) < 0 ||
        !(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, qemuTuneGetAffect(flags), true, &live,
                       &config) < 0)
        goto cleanup;
    if (live && tunSharesRead(d, &shares) < 0)
        goto cleanup;
    if (!live)
        shares = config->cputune.shares;
    typedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_SCHEDULER_CPU_SHARES,
                         shares);
    for (int k = 0; k < QEMU_BW_LAST; k++) {
        unsigned long long period;
        long long quota;

        if (live) {
            if (qemuBandwidthGetLive(d->def->name, d->pid, live, k, &period,
                                     &quota) < 0)
                goto cleanup;
        } else {
            qemuBandwidthDef(&config->cputune, k, &period, &quota);
        }
        typedParamsAddULLong(&list, &n, &max, qemuBandwidthField(k, false),
                             period);
        typedParamsAddLLong(&list, &n, &max, qemuBandwidthField(k, true),
                            quota);
    }
    ret = tunReturn(params, nparams, list, n);
    list = NULL;
 cleanup:
    typedParamsFree(list, n);
    qemuTuneEnd(d, false);
    return ret;
}

static int
qemuDomainGetSchedulerParameters(virDomainPtr dom,
                                 virTypedParameterPtr params, int *nparams)
{
    return qemuDomainGetSchedulerParametersFlags(dom, params, nparams, 0);
}

#define SCHED_MIN_PERIOD 1000ULL
#define SCHED_MAX_PERIOD 1000000ULL
#define SCHED_MIN_QUOTA 1000LL
#define SCHED_MAX_QUOTA 17592186044415LL

/* Range checks (reported before anything changes): a period of 0 and a
 * quota of 0 leave the value as it is, a negative quota lifts the
 * limit. */
static int
tunSchedCheck(const virTypedParameter *p)
{
    if (strcmp(p->field, VIR_DOMAIN_SCHEDULER_CPU_SHARES) == 0) {
        if (p->value.ul >= 2 && p->value.ul <= 262144)
            return 0;
        reportError(VIR_ERR_INVALID_ARG, "value of '%s' is out of range "
                    "[2, 262144]: %llu", p->field, p->value.ul);
        return -1;
    }
    if (p->type == VIR_TYPED_PARAM_ULLONG) {
        if (p->value.ul == 0 || (p->value.ul >= SCHED_MIN_PERIOD &&
                                 p->value.ul <= SCHED_MAX_PERIOD))
            return 0;
        reportError(VIR_ERR_INVALID_ARG, "value of '%s' is out of range "
                    "[%llu, %llu]: %llu", p->field, SCHED_MIN_PERIOD,
                    SCHED_MAX_PERIOD, p->value.ul);
        return -1;
    }
    if (p->value.l <= 0 || (p->value.l >= SCHED_MIN_QUOTA &&
                            p->value.l <= SCHED_MAX_QUOTA))
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "value of '%s' is out of range [%lld, "
                "%lld] (or -1 for no limit): %lld", p->field, SCHED_MIN_QUOTA,
                SCHED_MAX_QUOTA, p->value.l);
    return -1;
}

/* What a set call asks for: shares, and per kind a period and a quota
 * (0: leave as is; quota -1: no limit). */
typedef struct {
    unsigned long long shares;
    unsigned long long period[QEMU_BW_LAST];
    long long quota[QEMU_BW_LAST];
    bool threads;               /* a vcpu, emulator or iothread value */
    const char *name;
    pid_t pid;
    const DomainDef *live;
} SchedSet;

static void
tunSchedCollect(SchedSet *s, virTypedParameterPtr params, int nparams)
{
    typedParamsGetULLong(params, nparams, VIR_DOMAIN_SCHEDULER_CPU_SHARES,
                         &s->shares);
    for (int k = 0; k < QEMU_BW_LAST; k++) {
        typedParamsGetULLong(params, nparams, qemuBandwidthField(k, false),
                             &s->period[k]);
        typedParamsGetLLong(params, nparams, qemuBandwidthField(k, true),
                            &s->quota[k]);
        if (s->quota[k] < 0)
            s->quota[k] = -1;
        if (k != QEMU_BW_GLOBAL && (s->period[k] || s->quota[k]))
            s->threads = true;
    }
}

/* Give the threads their groups before their first per-thread value
 * (monitor, no lock). */
static int
tunSchedPlace(Qmp *mon, void *opaque)
{
    SchedSet *s = opaque;

    return qemuBandwidthPlace(mon, s->name, s->pid, s->live);
}

/* The live side of a set: the kernel's files of D's cgroups. */
static int
tunSchedLive(QemuDom *d, SchedSet *s)
{
    s->name = d->def->name;
    s->pid = d->pid;
    s->live = d->def;
    if (s->shares && tunSharesWrite(s->name, s->pid, s->shares) < 0)
        return -1;
    if (s->threads && !qemuBandwidthPlaced(s->name, s->pid) &&
        qemuTuneMonitor(d, tunSchedPlace, s) < 0)
        return -1;
    for (int k = 0; k < QEMU_BW_LAST; k++) {
        if (qemuBandwidthSetLive(d->def->name, d->pid, k, s->period[k],
                                 s->quota[k]) < 0)
            return -1;
    }
    return 0;
}

static int
qemuDomainSetSchedulerParametersFlags(virDomainPtr dom,
                                      virTypedParameterPtr params,
                                      int nparams, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    SchedSet s = { 0 };
    int ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        typedParamsValidate(params, nparams, schedSpec) < 0)
        return -1;
    for (int i = 0; i < nparams; i++) {
        if (tunSchedCheck(&params[i]) < 0)
            return -1;
    }
    tunSchedCollect(&s, params, nparams);
    if (!(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0)
        goto cleanup;
    if (live) {
        if (tunSchedLive(d, &s) < 0)
            goto cleanup;
        qemuTuneEventParams(d, "cputune.", params, nparams);
    }
    for (int i = 0; i < 2; i++) {
        DomainDef *def = i ? config : live;

        if (!def)
            continue;
        if (s.shares)
            def->cputune.shares = s.shares;
        for (int k = 0; k < QEMU_BW_LAST; k++) {
            if (s.period[k])
                *qemuBandwidthPeriod(&def->cputune, k) = s.period[k];
            if (s.quota[k])
                *qemuBandwidthQuota(&def->cputune, k) = s.quota[k];
        }
        def->cputune.present = true;
    }
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    qemuTuneEnd(d, true);
    return ret;
}

static int
qemuDomainSetSchedulerParameters(virDomainPtr dom,
                                 virTypedParameterPtr params, int nparams)
{
    return qemuDomainSetSchedulerParametersFlags(dom, params, nparams, 0);
}

/* ---- memory ---- */

static const TypedParamSpec memSpec[] = {
    { VIR_DOMAIN_MEMORY_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_MEMORY_SOFT_LIMIT, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG, false },
    { NULL, 0, false }
};

/* The cgroup file of memory parameter I (0 hard, 1 soft, 2 swap). */
static const char *
tunMemFile(const QemuCgroup *cg, int i)
{
    static const char *const v1[] = { "memory.limit_in_bytes",
                                      "memory.soft_limit_in_bytes",
                                      "memory.memsw.limit_in_bytes" };
    static const char *const v2[] = { "memory.max", "memory.high",
                                      "memory.swap.max" };

    return qemuCgroupIsV2(cg) ? v2[i] : v1[i];
}

/* Live limits in KiB (UNLIMITED_KIB when none); swap reads as unlimited
 * when the kernel does no swap accounting. */
static int
tunMemRead(QemuDom *d, unsigned long long kib[3])
{
    QemuCgroup *cg = tunOpen(d, QEMU_CG_MEMORY);
    int ret = -1;

    if (!cg)
        return -1;
    for (int i = 0; i < 3; i++) {
        unsigned long long b;

        kib[i] = UNLIMITED_KIB;
        if (i == 2 && !qemuCgroupHas(cg, tunMemFile(cg, i)))
            continue;
        if (qemuCgroupReadULL(cg, tunMemFile(cg, i), &b) < 0)
            goto cleanup;
        /* v1 shows "no limit" as the largest page multiple below 2^63 */
        if (b != QEMU_CG_UNLIMITED && b < (1ULL << 62))
            kib[i] = b >> 10;
    }
    /* v2's swap.max is swap alone; libvirt's swap_hard_limit is both */
    if (qemuCgroupIsV2(cg) && kib[2] != UNLIMITED_KIB &&
        kib[0] != UNLIMITED_KIB)
        kib[2] += kib[0];
    ret = 0;
 cleanup:
    qemuCgroupFree(cg);
    return ret;
}

static int
tunMemWriteOne(QemuCgroup *cg, int i, unsigned long long kib,
               unsigned long long hard)
{
    if (qemuCgroupIsV2(cg) && i == 2 && kib != UNLIMITED_KIB)
        kib = kib > hard ? kib - hard : 0;
    if (kib >= UNLIMITED_KIB)
        return qemuCgroupWrite(cg, tunMemFile(cg, i), "%s",
                               qemuCgroupIsV2(cg) ? "max" : "-1");
    return qemuCgroupWrite(cg, tunMemFile(cg, i), "%llu", kib << 10);
}

/* Write the limits in SET (KiB; a bit per index in MASK). v1 wants the
 * memory+swap limit above the memory limit at every step: when raising
 * the hard limit, the swap limit goes first. */
static int
tunMemWrite(const char *name, pid_t pid, const unsigned long long set[3],
            int mask)
{
    QemuCgroup *cg = qemuCgroupOpen(name, pid, QEMU_CG_MEMORY);
    unsigned long long cur = 0;
    int order[3] = { 0, 1, 2 }, ret = -1;

    if (!cg)
        return -1;
    if ((mask & 4) && !qemuCgroupHas(cg, tunMemFile(cg, 2))) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "the host kernel does no "
                    "swap accounting (no '%s')", tunMemFile(cg, 2));
        goto cleanup;
    }
    if ((mask & 1) && qemuCgroupReadULL(cg, tunMemFile(cg, 0), &cur) < 0)
        goto cleanup;
    if ((mask & 5) == 5 && (set[0] << 10) > cur) {
        order[0] = 2;
        order[2] = 0;
    }
    for (int k = 0; k < 3; k++) {
        int i = order[k];

        if ((mask & (1 << i)) &&
            tunMemWriteOne(cg, i, set[i], mask & 1 ? set[0] : cur >> 10) < 0)
            goto cleanup;
    }
    ret = 0;
 cleanup:
    qemuCgroupFree(cg);
    return ret;
}

static unsigned long long *
tunMemField(MemTune *mt, int i)
{
    return i == 0 ? &mt->hardLimit : i == 1 ? &mt->softLimit
                                            : &mt->swapHardLimit;
}

static const char *const memNames[] = {
    VIR_DOMAIN_MEMORY_HARD_LIMIT, VIR_DOMAIN_MEMORY_SOFT_LIMIT,
    VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT,
};

static int
qemuDomainGetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                              int *nparams, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    virTypedParameterPtr list = NULL;
    unsigned long long kib[3];
    int n = 0, max = 0, ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT | VIR_TYPED_PARAM_STRING_OKAY,
                           __func__) < 0 ||
        !(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, qemuTuneGetAffect(flags), true, &live,
                       &config) < 0)
        goto cleanup;
    if (live && tunMemRead(d, kib) < 0)
        goto cleanup;
    for (int i = 0; i < 3; i++) {
        if (config) {
            kib[i] = *tunMemField(&config->memtune, i);
            if (!kib[i])
                kib[i] = UNLIMITED_KIB;
        }
        typedParamsAddULLong(&list, &n, &max, memNames[i], kib[i]);
    }
    ret = tunReturn(params, nparams, list, n);
    list = NULL;
 cleanup:
    typedParamsFree(list, n);
    qemuTuneEnd(d, false);
    return ret;
}

static int
qemuDomainSetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                              int nparams, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    unsigned long long set[3] = { 0 };
    int mask = 0, ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        typedParamsValidate(params, nparams, memSpec) < 0)
        return -1;
    for (int i = 0; i < 3; i++) {
        if (typedParamsGetULLong(params, nparams, memNames[i], &set[i]) == 1)
            mask |= 1 << i;
        if (set[i] > UNLIMITED_KIB)
            set[i] = UNLIMITED_KIB;
    }
    if ((mask & 5) == 5 && set[2] < set[0]) {
        reportError(VIR_ERR_INVALID_ARG, "swap_hard_limit (%llu KiB) must "
                    "not be below hard_limit (%llu KiB)", set[2], set[0]);
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0 ||
        (live && tunMemWrite(d->def->name, d->pid, set, mask) < 0))
        goto cleanup;
    for (int k = 0; k < 2; k++) {
        DomainDef *def = k ? config : live;

        for (int i = 0; def && i < 3; i++) {
            if (mask & (1 << i))
                *tunMemField(&def->memtune, i) =
                    set[i] >= UNLIMITED_KIB ? 0 : set[i];
        }
        if (def)
            def->memtune.present = true;
    }
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    qemuTuneEnd(d, true);
    return ret;
}

/* ---- NUMA ---- */

static const TypedParamSpec numaSpec[] = {
    { VIR_DOMAIN_NUMA_NODESET, VIR_TYPED_PARAM_STRING, false },
    { VIR_DOMAIN_NUMA_MODE, VIR_TYPED_PARAM_INT, false },
    { NULL, 0, false }
};

static const char *const numaModes[] = {
    "strict", "preferred", "interleave", "restrictive", NULL
};

static int
tunNumaMode(const char *mode)
{
    for (int i = 0; numaModes[i]; i++) {
        if (mode && strcmp(mode, numaModes[i]) == 0)
            return i;
    }
    return 0;
}

/* The host's NUMA nodes ("0" or "0-1"), caller frees. */
static char *
tunHostNodes(void)
{
    FILE *f = fopen("/sys/devices/system/node/online", "re");
    char buf[256] = "0";

    if (f) {
        if (!fgets(buf, sizeof(buf), f))
            snprintf(buf, sizeof(buf), "0");
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
    return allocStrdup(buf);
}

/* Check NODESET names host nodes only: it must be a subset of them. */
static int
tunNumaCheck(const char *nodeset)
{
    unsigned char want[16], have[16];
    char *host = tunHostNodes();
    int ret = -1;

    if (qemuThreadsParseSet(nodeset, want, sizeof(want), "numa_nodeset") < 0 ||
        qemuThreadsParseSet(host, have, sizeof(have), "the host's nodes") < 0)
        goto cleanup;
    for (size_t i = 0; i < sizeof(want); i++) {
        if (want[i] & ~have[i]) {
            reportError(VIR_ERR_INVALID_ARG, "numa_nodeset '%s' names nodes "
                        "the host does not have (it has %s)", nodeset, host);
            goto cleanup;
        }
    }
    if (!nodeset[strspn(nodeset, " ")]) {
        reportError(VIR_ERR_INVALID_ARG, "empty numa_nodeset");
        goto cleanup;
    }
    ret = 0;
 cleanup:
    free(host);
    return ret;
}

static char *
tunMemsRead(QemuDom *d)
{
    QemuCgroup *cg = tunOpen(d, QEMU_CG_CPUSET);
    char *s;

    if (!cg)
        return NULL;
    s = qemuCgroupRead(cg, qemuCgroupIsV2(cg) ? "cpuset.mems.effective"
                                             : "cpuset.mems");
    if (s)
        s[strcspn(s, "\n")] = '\0';
    qemuCgroupFree(cg);
    return s;
}

static int
tunMemsWrite(const char *name, pid_t pid, const char *nodeset)
{
    QemuCgroup *cg = qemuCgroupOpen(name, pid, QEMU_CG_CPUSET);
    int ret;

    if (!cg)
        return -1;
    ret = qemuCgroupWrite(cg, "cpuset.mems", "%s", nodeset);
    qemuCgroupFree(cg);
    return ret;
}

static int
qemuDomainGetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                            int *nparams, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL, *def;
    virTypedParameterPtr list = NULL;
    char *nodes = NULL;
    int n = 0, max = 0, ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT | VIR_TYPED_PARAM_STRING_OKAY,
                           __func__) < 0 ||
        !(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, qemuTuneGetAffect(flags), true, &live,
                       &config) < 0)
        goto cleanup;
    def = live ? live : config;
    if (live && !(nodes = tunMemsRead(d)))
        goto cleanup;
    typedParamsAddInt(&list, &n, &max, VIR_DOMAIN_NUMA_MODE,
                      tunNumaMode(def->numatune.mode));
    typedParamsAddString(&list, &n, &max, VIR_DOMAIN_NUMA_NODESET,
                         nodes ? nodes : def->numatune.nodeset ?
                         def->numatune.nodeset : "");
    ret = tunReturn(params, nparams, list, n);
    list = NULL;
 cleanup:
    free(nodes);
    typedParamsFree(list, n);
    qemuTuneEnd(d, false);
    return ret;
}

static int
qemuDomainSetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                            int nparams, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    const char *nodeset = NULL;
    int mode = -1, ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        typedParamsValidate(params, nparams, numaSpec) < 0 ||
        typedParamsGetString(params, nparams, VIR_DOMAIN_NUMA_NODESET,
                             &nodeset) < 0 ||
        typedParamsGetInt(params, nparams, VIR_DOMAIN_NUMA_MODE, &mode) < 0 ||
        (nodeset && tunNumaCheck(nodeset) < 0))
        return -1;
    if (mode != -1 && (mode < 0 || mode > 3)) {
        reportError(VIR_ERR_INVALID_ARG, "unknown numa_mode %d", mode);
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0)
        goto cleanup;
    if (live && mode != -1 && mode != tunNumaMode(live->numatune.mode)) {
        reportError(VIR_ERR_OPERATION_INVALID, "the NUMA mode of running "
                    "domain '%s' cannot change", d->def->name);
        goto cleanup;
    }
    if (live && nodeset && tunMemsWrite(d->def->name, d->pid, nodeset) < 0)
        goto cleanup;
    for (int k = 0; k < 2; k++) {
        DomainDef *def = k ? config : live;

        if (!def)
            continue;
        if (nodeset) {
            free(def->numatune.nodeset);
            def->numatune.nodeset = allocStrdup(nodeset);
        }
        if (mode != -1) {
            free(def->numatune.mode);
            def->numatune.mode = allocStrdup(numaModes[mode]);
        }
        def->numatune.present = true;
    }
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    qemuTuneEnd(d, true);
    return ret;
}

/* ---- at start ---- */

int
qemuTunablesApply(const DomainDef *def, pid_t pid)
{
    const CpuTune *ct = &def->cputune;
    const MemTune *mt = &def->memtune;

    if (ct->shares && tunSharesWrite(def->name, pid, ct->shares) < 0)
        return -1;
    if ((ct->globalPeriod || ct->globalQuota) &&
        qemuBandwidthSetLive(def->name, pid, QEMU_BW_GLOBAL, ct->globalPeriod,
                             ct->globalQuota) < 0)
        return -1;
    if (mt->present && (mt->hardLimit || mt->softLimit || mt->swapHardLimit)) {
        unsigned long long set[3] = { mt->hardLimit, mt->softLimit,
                                      mt->swapHardLimit };
        int mask = (mt->hardLimit ? 1 : 0) | (mt->softLimit ? 2 : 0) |
            (mt->swapHardLimit ? 4 : 0);

        if (tunMemWrite(def->name, pid, set, mask) < 0)
            return -1;
    }
    if (def->numatune.present && def->numatune.nodeset &&
        tunMemsWrite(def->name, pid, def->numatune.nodeset) < 0)
        return -1;
    if (def->blkiotune.present && qemuBlkioApply(def, pid) < 0)
        return -1;
    return 0;
}

int
qemuTunablesValidate(const DomainDef *def)
{
    const CpuTune *ct = &def->cputune;
    const char *mode = def->numatune.mode;

    for (int k = 0; k < QEMU_BW_LAST; k++) {
        unsigned long long period;
        long long quota;

        qemuBandwidthDef(ct, k, &period, &quota);
        if ((period && (period < SCHED_MIN_PERIOD ||
                        period > SCHED_MAX_PERIOD)) ||
            (quota > 0 && (quota < SCHED_MIN_QUOTA ||
                           quota > SCHED_MAX_QUOTA))) {
            /* the vCPU ones are <period> and <quota> in the XML */
            reportError(VIR_ERR_CONFIG_UNSUPPORTED, "<cputune> <%s>/<%s> of "
                        "domain '%s' out of range: periods go from %llu to "
                        "%llu, quotas from %lld to %lld (or -1)",
                        k ? qemuBandwidthField(k, false) : "period",
                        k ? qemuBandwidthField(k, true) : "quota", def->name,
                        SCHED_MIN_PERIOD, SCHED_MAX_PERIOD, SCHED_MIN_QUOTA,
                        SCHED_MAX_QUOTA);
            return -1;
        }
    }

    if (ct->present && ct->extra.nkids) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "<cputune><%s> is not "
                    "supported by the QEMU driver", ct->extra.kids[0]->name);
        return -1;
    }
    if (def->memtune.minGuarantee) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "<min_guarantee> is not "
                    "supported by the QEMU driver");
        return -1;
    }
    if (def->numatune.present &&
        ((mode && strcmp(mode, "strict") != 0 &&
          strcmp(mode, "restrictive") != 0) ||
         def->numatune.extra.nkids ||
         (def->numatune.placement &&
          strcmp(def->numatune.placement, "static") != 0))) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "<numatune> is supported "
                    "with mode 'strict' or 'restrictive' and a static "
                    "nodeset only (applied through cpuset.mems)");
        return -1;
    }
    return 0;
}

void
qemuTunablesFill(Driver *drv)
{
    drv->domainGetSchedulerType = qemuDomainGetSchedulerType;
    drv->domainGetSchedulerParameters = qemuDomainGetSchedulerParameters;
    drv->domainGetSchedulerParametersFlags =
        qemuDomainGetSchedulerParametersFlags;
    drv->domainSetSchedulerParameters = qemuDomainSetSchedulerParameters;
    drv->domainSetSchedulerParametersFlags =
        qemuDomainSetSchedulerParametersFlags;
    drv->domainGetMemoryParameters = qemuDomainGetMemoryParameters;
    drv->domainSetMemoryParameters = qemuDomainSetMemoryParameters;
    drv->domainGetNumaParameters = qemuDomainGetNumaParameters;
    drv->domainSetNumaParameters = qemuDomainSetNumaParameters;
    qemuBlkioFill(drv);
}
