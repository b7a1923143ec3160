/* qemu_tune.c: the QEMU driver's tune family: the helpers its files share,
 * the start/stop hooks (cgroups, pins, perf), CPU statistics, the vCPU
 * maximum, interface statistics and bandwidth; fills the family's slots */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_tune.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"
#include "typedparam.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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
qemuTuneEventULL(QemuDom *d, const char *name, unsigned long long v)
{
    DomainEvent *ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_TUNABLE);
    int max = 0;

    if (!ev)
        return;
    typedParamsAddULLong(&ev->params, &ev->nparams, &max, name, v);
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
}

int
qemuTuneStart(Qmp *mon, pid_t pid, const DomainDef *live)
{
    if (qemuTunablesApply(live, pid) < 0 ||
        qemuThreadsApplyPins(mon, pid, live) < 0 ||
        qemuPerfStart(live, pid) < 0)
        return -1;
    return 0;
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

/* ---- interfaces ---- */

/* The host tap devices QEMU PID holds open, in fd order (from the "iff:"
 * line the kernel shows for tun fds). Returns the count. */
static int
tuneTaps(pid_t pid, char taps[][32], int max)
{
    char path[64];
    struct dirent **ents = NULL;
    int n, found = 0;

    snprintf(path, sizeof(path), "/proc/%ld/fdinfo", (long)pid);
    if ((n = scandir(path, &ents, NULL, versionsort)) < 0)
        return 0;
    for (int i = 0; i < n; i++) {
        char file[320], line[128];
        FILE *f;

        snprintf(file, sizeof(file), "%s/%s", path, ents[i]->d_name);
        free(ents[i]);
        if (found >= max || !(f = fopen(file, "re")))
            continue;
        while (fgets(line, sizeof(line), f)) {
            if (strncmp(line, "iff:", 4) == 0 &&
                sscanf(line + 4, "%31s", taps[found]) == 1) {
                found++;
                break;
            }
        }
        fclose(f);
    }
    free(ents);
    return found;
}

/* The host device of interface DEVICE (target dev, MAC or alias) of
 * running D into IFNAME, or -1 with an error (user-mode NICs have none). */
static int
tuneIfname(QemuDom *d, const char *device, char ifname[32])
{
    const DomainDef *def = d->def;
    int idx = domainFindNet(def, device), k = 0, ntaps;
    char taps[16][32];

    for (size_t i = 0; idx < 0 && i < def->nnets; i++) {
        if (def->nets[i]->info.alias &&
            strcmp(def->nets[i]->info.alias, device) == 0)
            idx = i;
    }
    if (idx < 0) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no interface '%s'",
                    def->name, device);
        return -1;
    }
    if (def->nets[idx]->type == NET_TYPE_USER) {
        reportError(VIR_ERR_NO_SUPPORT, "interface '%s' of domain '%s' uses "
                    "user-mode networking inside QEMU: there is no host "
                    "device to read statistics from or shape", device,
                    def->name);
        return -1;
    }
    if (def->nets[idx]->ifname) {
        snprintf(ifname, 32, "%s", def->nets[idx]->ifname);
        return 0;
    }
    /* the k-th tap-backed NIC holds the k-th tun descriptor */
    for (int i = 0; i < idx; i++)
        k += def->nets[i]->type != NET_TYPE_USER;
    ntaps = tuneTaps(d->pid, taps, 16);
    if (k >= ntaps) {
        reportError(VIR_ERR_OPERATION_FAILED, "cannot find the host tap "
                    "device of interface '%s' of domain '%s'", device,
                    def->name);
        return -1;
    }
    snprintf(ifname, 32, "%s", taps[k]);
    return 0;
}

static long long
tuneNetStat(const char *ifname, const char *name)
{
    char path[128];
    long long v = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", ifname,
             name);
    if ((f = fopen(path, "re"))) {
        if (fscanf(f, "%lld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

static int
qemuDomainInterfaceStats(virDomainPtr dom, const char *device,
                         virDomainInterfaceStatsPtr stats, size_t size)
{
    QemuDom *d;
    char ifname[32];
    int ret = -1;

    if (size != sizeof(*stats)) {
        reportError(VIR_ERR_INVALID_ARG, "interface stats size %zu, expected "
                    "%zu", size, sizeof(*stats));
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, false, true)))
        return -1;
    if (tuneIfname(d, device, ifname) < 0)
        goto cleanup;
    if (tuneNetStat(ifname, "rx_bytes") < 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "host device '%s' of interface "
                    "'%s' has no statistics", ifname, device);
        goto cleanup;
    }
    /* the tap's transmit is the guest's receive */
    stats->rx_bytes = tuneNetStat(ifname, "tx_bytes");
    stats->rx_packets = tuneNetStat(ifname, "tx_packets");
    stats->rx_errs = tuneNetStat(ifname, "tx_errors");
    stats->rx_drop = tuneNetStat(ifname, "tx_dropped");
    stats->tx_bytes = tuneNetStat(ifname, "rx_bytes");
    stats->tx_packets = tuneNetStat(ifname, "rx_packets");
    stats->tx_errs = tuneNetStat(ifname, "rx_errors");
    stats->tx_drop = tuneNetStat(ifname, "rx_dropped");
    ret = 0;
 cleanup:
    qemuTuneEnd(d, false);
    return ret;
}

/* ---- interface bandwidth (tc on the tap) ---- */

static const TypedParamSpec bandwidthSpec[] = {
    { VIR_DOMAIN_BANDWIDTH_IN_AVERAGE, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_IN_PEAK, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_IN_BURST, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_IN_FLOOR, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_OUT_PEAK, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_OUT_BURST, VIR_TYPED_PARAM_UINT, false },
    { NULL, 0, false }
};

/* Run tc with ARGV (NULL-terminated, argv[0] "tc"); IGNOREFAIL: a
 * failure is fine (deleting what is not there). 0 or -1. */
static int
tuneTc(const char *const *argv, bool ignoreFail)
{
    pid_t pid = fork();
    int status = 0;

    if (pid < 0) {
        reportSystemError(errno, "cannot fork tc");
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);

        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execvp("tc", (char *const *)argv);
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (ignoreFail || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        return 0;
    reportError(VIR_ERR_OPERATION_FAILED, "tc %s %s on '%s' failed (exit "
                "status %d)", argv[1], argv[2], argv[4],
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return -1;
}

/* Shape tap IFNAME: IN (host to guest: the tap's egress) with an HTB
 * class, OUT (guest to host: its ingress) with a policer; 0 average
 * removes. Rates in KiB/s, bursts in KiB, as in the XML. */
static int
tuneShape(const char *ifname, const NetRate *in, const NetRate *out)
{
    char rate[32], ceil[32], burst[32];

    tuneTc((const char *[]){ "tc", "qdisc", "del", "dev", ifname, "root",
                             NULL }, true);
    tuneTc((const char *[]){ "tc", "qdisc", "del", "dev", ifname, "ingress",
                             NULL }, true);
    if (in->average) {
        snprintf(rate, sizeof(rate), "%llukbps", in->average);
        snprintf(ceil, sizeof(ceil), "%llukbps",
                 in->peak ? in->peak : in->average);
        snprintf(burst, sizeof(burst), "%llukb", in->burst ? in->burst : 16);
        if (tuneTc((const char *[]){ "tc", "qdisc", "add", "dev", ifname,
                                     "root", "handle", "1:", "htb",
                                     "default", "1", NULL }, false) < 0 ||
            tuneTc((const char *[]){ "tc", "class", "add", "dev", ifname,
                                     "parent", "1:", "classid", "1:1", "htb",
                                     "rate", rate, "ceil", ceil, "burst",
                                     burst, NULL }, false) < 0)
            return -1;
    }
    if (out->average) {
        snprintf(rate, sizeof(rate), "%llukbps", out->average);
        snprintf(burst, sizeof(burst), "%llukb",
                 out->burst ? out->burst : out->average);
        if (tuneTc((const char *[]){ "tc", "qdisc", "add", "dev", ifname,
                                     "ingress", NULL }, false) < 0 ||
            tuneTc((const char *[]){ "tc", "filter", "add", "dev", ifname,
                                     "parent", "ffff:", "protocol", "all",
                                     "u32", "match", "u32", "0", "0",
                                     "police", "rate", rate, "burst", burst,
                                     "drop", "flowid", ":1", NULL },
                   false) < 0)
            return -1;
    }
    return 0;
}

static void
tuneRateSet(NetRate *in, NetRate *out, virTypedParameterPtr params,
            int nparams)
{
    static const char *const names[] = {
        VIR_DOMAIN_BANDWIDTH_IN_AVERAGE, VIR_DOMAIN_BANDWIDTH_IN_PEAK,
        VIR_DOMAIN_BANDWIDTH_IN_BURST, VIR_DOMAIN_BANDWIDTH_IN_FLOOR,
        VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, VIR_DOMAIN_BANDWIDTH_OUT_PEAK,
        VIR_DOMAIN_BANDWIDTH_OUT_BURST,
    };
    unsigned long long *fields[] = { &in->average, &in->peak, &in->burst,
                                     &in->floor, &out->average, &out->peak,
                                     &out->burst };

    for (int i = 0; i < 7; i++) {
        unsigned int v;

        if (typedParamsGetUInt(params, nparams, names[i], &v) == 1)
            *fields[i] = v;
    }
    in->present = in->average != 0;
    out->present = out->average != 0;
}

static NetDef *
tuneFindNet(DomainDef *def, const char *device)
{
    int idx = domainFindNet(def, device);

    for (size_t i = 0; idx < 0 && i < def->nnets; i++) {
        if (def->nets[i]->info.alias &&
            strcmp(def->nets[i]->info.alias, device) == 0)
            idx = i;
    }
    if (idx < 0) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no interface '%s'",
                    def->name, device);
        return NULL;
    }
    return def->nets[idx];
}

static int
qemuDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int nparams,
                                 unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    NetDef *ln = NULL;
    NetRate in, out;
    char ifname[32];
    int ret = -1;

    if (qemuTuneCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE |
                           VIR_DOMAIN_AFFECT_CONFIG, __func__) < 0 ||
        typedParamsValidate(params, nparams, bandwidthSpec) < 0 ||
        !(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0 ||
        (live && !(ln = tuneFindNet(live, device))))
        goto cleanup;
    if (typedParamsGet(params, nparams, VIR_DOMAIN_BANDWIDTH_IN_FLOOR)) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "inbound.floor needs a "
                    "libvirt virtual network, which vireo does not have");
        goto cleanup;
    }
    if (ln) {
        in = ln->inbound;
        out = ln->outbound;
        tuneRateSet(&in, &out, params, nparams);
        if (tuneIfname(d, device, ifname) < 0 ||
            tuneShape(ifname, &in, &out) < 0)
            goto cleanup;
        ln->inbound = in;
        ln->outbound = out;
    }
    if (config) {
        /* the argv builder refuses <bandwidth>: do not store what the next
         * start would reject */
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "interface bandwidth of "
                    "domain '%s' can only be changed live: <bandwidth> is "
                    "not applied at start", d->def->name);
        goto cleanup;
    }
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    qemuTuneEnd(d, true);
    return ret;
}

static int
qemuDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int *nparams,
                                 unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    virTypedParameterPtr list = NULL;
    NetDef *net;
    int n = 0, max = 0, ret = -1;

    if (qemuTuneCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE |
                           VIR_DOMAIN_AFFECT_CONFIG |
                           VIR_TYPED_PARAM_STRING_OKAY, __func__) < 0 ||
        !(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, flags & ~VIR_TYPED_PARAM_STRING_OKAY, true, &live,
                       &config) < 0 ||
        !(net = tuneFindNet(live ? live : config, device)))
        goto cleanup;
    /* the shaping we installed (tc keeps no trace of KiB-based values) */
    typedParamsAddUInt(&list, &n, &max, VIR_DOMAIN_BANDWIDTH_IN_AVERAGE,
                       net->inbound.average);
    typedParamsAddUInt(&list, &n, &max, VIR_DOMAIN_BANDWIDTH_IN_PEAK,
                       net->inbound.peak);
    typedParamsAddUInt(&list, &n, &max, VIR_DOMAIN_BANDWIDTH_IN_BURST,
                       net->inbound.burst);
    typedParamsAddUInt(&list, &n, &max, VIR_DOMAIN_BANDWIDTH_IN_FLOOR,
                       net->inbound.floor);
    typedParamsAddUInt(&list, &n, &max, VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE,
                       net->outbound.average);
    typedParamsAddUInt(&list, &n, &max, VIR_DOMAIN_BANDWIDTH_OUT_PEAK,
                       net->outbound.peak);
    typedParamsAddUInt(&list, &n, &max, VIR_DOMAIN_BANDWIDTH_OUT_BURST,
                       net->outbound.burst);
    ret = typedParamsFillOut(params, nparams, list, n);
 cleanup:
    typedParamsFree(list, n);
    qemuTuneEnd(d, false);
    return ret;
}

void
qemuTuneFill(Driver *drv)
{
    drv->domainGetCPUStats = qemuDomainGetCPUStats;
    drv->domainGetMaxVcpus = qemuDomainGetMaxVcpus;
    drv->domainInterfaceStats = qemuDomainInterfaceStats;
    drv->domainGetInterfaceParameters = qemuDomainGetInterfaceParameters;
    drv->domainSetInterfaceParameters = qemuDomainSetInterfaceParameters;
    qemuThreadsFill(drv);
    qemuTunablesFill(drv);
    qemuPerfFill(drv);
}
