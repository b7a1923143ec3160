/* qemu_tune.c: the QEMU driver's tune family: the helpers its files share,
 * the start/stop hooks (cgroups, pins, perf), CPU statistics, the vCPU
 * maximum; fills the family's slots */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_tune.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"
#include "typedparam.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- shared helpers ---- */

int
qemuTuneCheckFlags(unsigned int flags, unsigned int allowed, const char *func)
{
    if (!(flags & ~allowed))
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in %s",
                flags & ~allowed, func);
    return -1;
}

QemuDom *
qemuTuneBegin(virDomainPtr dom, bool job, bool active)
{
    QemuDom *d = qemuDomGet(dom);

    if (!d)
        return NULL;
    if (job && qemuDomBeginJob(d) < 0) {
        qemuDomRelease(d);
        return NULL;
    }
    if (active && qemuDomCheckActive(d) < 0) {
        qemuTuneEnd(d, job);
        return NULL;
    }
    return d;
}

void
qemuTuneEnd(QemuDom *d, bool job)
{
    if (job)
        qemuDomEndJob(d);
    qemuDomRelease(d);
}

int
qemuTuneAffect(QemuDom *d, unsigned int flags, bool get, DomainDef **live,
               DomainDef **config)
{
    bool active = qemuDomIsActive(d);

    *live = *config = NULL;
    if (flags == VIR_DOMAIN_AFFECT_CURRENT)
        flags = active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if (get && (flags & VIR_DOMAIN_AFFECT_LIVE) &&
        (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'live' and 'config' are "
                    "mutually exclusive here");
        return -1;
    }
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && !active) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not running",
                    d->def->name);
        return -1;
    }
    if ((flags & VIR_DOMAIN_AFFECT_CONFIG) && !d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID, "transient domain '%s' has "
                    "no persistent configuration", d->def->name);
        return -1;
    }
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        *live = d->def;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        *config = active ? d->newDef : d->def;
    return 0;
}

unsigned int
qemuTuneGetAffect(unsigned int flags)
{
    unsigned int affect = VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;

    return (flags & affect) == affect ? VIR_DOMAIN_AFFECT_CONFIG
                                      : flags & affect;
}

int
qemuTuneSave(QemuDom *d, DomainDef *config, bool live)
{
    if (config && qemuStateSaveConfig(d->drv, config) < 0)
        return -1;
    if (live && qemuStateSaveStatus(d->drv, d) < 0)
        return -1;
    return 0;
}

void
qemuTuneEventString(QemuDom *d, const char *name, const char *value)
{
    DomainEvent *ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_TUNABLE);
    int max = 0;

    if (!ev)
        return;
    typedParamsAddString(&ev->params, &ev->nparams, &max, name, value);
    domainEventQueue(ev);
}

void
qemuTuneEventParams(QemuDom *d, const char *prefix,
                    const virTypedParameter *params, int n)
{
    DomainEvent *ev;
    int max = 0;

    if (n <= 0 || !(ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_TUNABLE)))
        return;
    for (int i = 0; i < n; i++) {
        char name[VIR_TYPED_PARAM_FIELD_LENGTH + 16];
        const virTypedParameter *p = &params[i];

        snprintf(name, sizeof(name), "%s%s", prefix, p->field);
        if (p->type == VIR_TYPED_PARAM_LLONG)
            typedParamsAddLLong(&ev->params, &ev->nparams, &max, name,
                                p->value.l);
        else
            typedParamsAddULLong(&ev->params, &ev->nparams, &max, name,
                                 p->value.ul);
    }
    domainEventQueue(ev);
}

int
qemuTuneMonitor(QemuDom *d, int (*fn)(Qmp *mon, void *opaque), void *opaque)
{
    Qmp *mon = qemuProcessMonAcquire(d);
    int ret;

    if (!mon)
        return -1;
    pthread_mutex_unlock(&d->drv->lock);
    ret = fn(mon, opaque);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    return ret;
}

/* ---- start and stop ---- */

int
qemuTuneValidate(const DomainDef *def)
{
    if (qemuTunablesValidate(def) < 0 || qemuPerfValidate(def) < 0)
        return -1;
    return 0;
}

void
qemuTunePlace(const DomainDef *live, pid_t pid)
{
    qemuCgroupStart(live->name, pid);
    qemuBandwidthPlaceEarly(live, pid);
}

int
qemuTuneStart(Qmp *mon, pid_t pid, const DomainDef *live)
{
    /* the threads move before they are pinned: a cpuset mounted with
     * the cpu controller resets the affinity of a thread it takes */
    /* vCPUs enabled by <vcpus> beyond the booted ones are plugged first,
     * so that they are placed and pinned like the others */
    if (qemuMemoryStartVcpus(mon, live) < 0 ||
        qemuTunablesApply(live, pid) < 0 ||
        (qemuBandwidthThreadsWanted(live) &&
         qemuBandwidthPlace(mon, live->name, pid, live) < 0) ||
        qemuThreadsApplyPins(mon, pid, live) < 0 ||
        qemuPerfStart(live, pid) < 0)
        return -1;
    return 0;
}

void
qemuTuneReconnect(Qmp *mon, pid_t pid, const DomainDef *live)
{
    qemuBandwidthRefresh(mon, live->name, pid, live);
}

void
qemuTuneThreadsChanged(Qmp *mon, pid_t pid, const DomainDef *live)
{
    virErrorPtr saved = errorSave();

    /* placed first: a cpuset mounted with cpu resets a moved thread's
     * affinity */
    qemuBandwidthRefresh(mon, live->name, pid, live);
    if (qemuThreadsApplyPins(mon, pid, live) < 0) {
        logDebug("qemu", "new threads of domain '%s' are not pinned: %s",
                 live->name, errorLast()->message);
        errorReset();
    }
    errorRestore(&saved);
}

void
qemuTuneStop(QemuDom *d)
{
    if (d->pid <= 0)
        return;
    qemuPerfStop(d);
    qemuCgroupStop(d->def->name, d->pid);
}

/* ---- CPU statistics ---- */

/* Total, user and system CPU time (ns) of D's QEMU: the cpuacct cgroup,
 * else /proc/PID/stat. */
static int
tuneCpuTimes(QemuDom *d, unsigned long long t[3])
{
    QemuCgroup *cg = qemuCgroupOpen(d->def->name, d->pid, QEMU_CG_CPUACCT);
    unsigned long long tick = 1000000000ULL / sysconf(_SC_CLK_TCK);
    char *stat = NULL;
    int ret = -1;

    if (!cg) {
        errorReset();
        t[0] = qemuProcessCpuTime(d);
        t[1] = t[2] = 0;
        return 0;
    }
    if (qemuCgroupIsV2(cg)) {
        /* cpu.stat: usage_usec, user_usec, system_usec */
        unsigned long long v[3] = { 0 };
        const char *keys[3] = { "usage_usec ", "user_usec ", "system_usec " };

        if (!(stat = qemuCgroupRead(cg, "cpu.stat")))
            goto cleanup;
        for (int i = 0; i < 3; i++) {
            char *p = strstr(stat, keys[i]);

            v[i] = p ? strtoull(p + strlen(keys[i]), NULL, 10) : 0;
            t[i] = v[i] * 1000;
        }
        ret = 0;
        goto cleanup;
    }
    if (qemuCgroupReadULL(cg, "cpuacct.usage", &t[0]) < 0 ||
        !(stat = qemuCgroupRead(cg, "cpuacct.stat")))
        goto cleanup;
    t[1] = t[2] = 0;
    sscanf(stat, "user %llu system %llu", &t[1], &t[2]);
    t[1] *= tick;
    t[2] *= tick;
    ret = 0;
 cleanup:
    free(stat);
    qemuCgroupFree(cg);
    return ret;
}

/* Per-host-CPU times of D's QEMU (cpuacct.usage_percpu) into *PER (caller
 * frees); returns the count. */
static int
tunePerCpu(QemuDom *d, unsigned long long **per)
{
    QemuCgroup *cg = qemuCgroupOpen(d->def->name, d->pid, QEMU_CG_CPUACCT);
    char *s = NULL, *p, *end;
    int n = 0, ncpus = qemuThreadsHostCpus();

    if (!cg)
        return -1;
    if (qemuCgroupIsV2(cg)) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "per-cpu statistics need "
                    "the cgroup v1 cpuacct controller (cgroup v2 has none)");
        qemuCgroupFree(cg);
        return -1;
    }
    if (!(s = qemuCgroupRead(cg, "cpuacct.usage_percpu"))) {
        qemuCgroupFree(cg);
        return -1;
    }
    ALLOC_N(*per, ncpus);
    for (p = s; n < ncpus; p = end, n++) {
        (*per)[n] = strtoull(p, &end, 10);
        if (end == p)
            break;
    }
    free(s);
    qemuCgroupFree(cg);
    return n;
}

static int
qemuDomainGetCPUStats(virDomainPtr dom, virTypedParameterPtr params,
                      unsigned int nparams, int start_cpu, unsigned int ncpus,
                      unsigned int flags)
{
    QemuDom *d;
    unsigned long long t[3], *per = NULL;
    int ret = -1, hostCpus = qemuThreadsHostCpus(), n;

    if (qemuTuneCheckFlags(flags, VIR_TYPED_PARAM_STRING_OKAY, __func__) < 0)
        return -1;
    if (start_cpu < -1 || (start_cpu == -1 && ncpus != 1) ||
        (!params && nparams) || (params && (!nparams || !ncpus))) {
        reportError(VIR_ERR_INVALID_ARG, "invalid cpu stats arguments "
                    "(start_cpu %d, ncpus %u, nparams %u)", start_cpu, ncpus,
                    nparams);
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, false, true)))
        return -1;
    if (start_cpu == -1) {
        if (!params) {
            ret = 3;
        } else if (tuneCpuTimes(d, t) == 0) {
            const char *names[3] = { VIR_DOMAIN_CPU_STATS_CPUTIME,
                                     VIR_DOMAIN_CPU_STATS_USERTIME,
                                     VIR_DOMAIN_CPU_STATS_SYSTEMTIME };

            n = nparams < 3 ? nparams : 3;
            memset(params, 0, sizeof(*params) * nparams);
            for (int i = 0; i < n; i++) {
                snprintf(params[i].field, VIR_TYPED_PARAM_FIELD_LENGTH, "%s",
                         names[i]);
                params[i].type = VIR_TYPED_PARAM_ULLONG;
                params[i].value.ul = t[i];
            }
            ret = n;
        }
        goto cleanup;
    }
    if (!params) {
        ret = ncpus == 0 ? hostCpus : 1;
        goto cleanup;
    }
    if (start_cpu >= hostCpus) {
        reportError(VIR_ERR_INVALID_ARG, "start_cpu %d is beyond the host's "
                    "%d cpus", start_cpu, hostCpus);
        goto cleanup;
    }
    if ((n = tunePerCpu(d, &per)) < 0)
        goto cleanup;
    memset(params, 0, sizeof(*params) * nparams * ncpus);
    for (unsigned int i = 0; i < ncpus && start_cpu + (int)i < n; i++) {
        virTypedParameterPtr p = &params[i * nparams];

        snprintf(p->field, VIR_TYPED_PARAM_FIELD_LENGTH, "%s",
                 VIR_DOMAIN_CPU_STATS_CPUTIME);
        p->type = VIR_TYPED_PARAM_ULLONG;
        p->value.ul = per[start_cpu + i];
    }
    ret = 1;
 cleanup:
    free(per);
    qemuTuneEnd(d, false);
    return ret;
}

static int
qemuDomainGetMaxVcpus(virDomainPtr dom)
{
    QemuDom *d = qemuTuneBegin(dom, false, false);
    int ret;

    if (!d)
        return -1;
    ret = d->def->vcpus;
    qemuTuneEnd(d, false);
    return ret;
}

void
qemuTuneFill(Driver *drv)
{
    drv->domainGetCPUStats = qemuDomainGetCPUStats;
    drv->domainGetMaxVcpus = qemuDomainGetMaxVcpus;
    qemuThreadsFill(drv);
    qemuTunablesFill(drv);
    qemuPerfFill(drv);
}
