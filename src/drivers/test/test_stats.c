/* test_stats.c: test driver statistics: block, interface, memory, cpu and
 * the bulk domain stats. Counters derive from the domain's running time, so
 * they grow while it runs and stand still while it is paused or off. */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "alloc.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A small per-device factor so that devices report different numbers. */
static unsigned long long
testNameFactor(const char *name)
{
    unsigned long long h = 5381;

    for (const char *p = name ? name : ""; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return h % 7 + 1;
}

/* Milliseconds D has run: the clock every counter is derived from. */
static unsigned long long
testRunMs(const TestDomain *d)
{
    return testDomainCpuTime(d) / 1000000ULL;
}

/* The simulated I/O counters of one disk. */
typedef struct {
    long long rdReq, rdBytes, rdTimes, wrReq, wrBytes, wrTimes;
    long long flReq, flTimes, errs;
} TestBlockCounters;

static void
testBlockCounters(const TestDomain *d, const DiskDef *disk,
                  TestBlockCounters *c)
{
    unsigned long long ms = testRunMs(d), f = testNameFactor(disk->dst);

    memset(c, 0, sizeof(*c));
    c->rdReq = ms * f + f;
    c->rdBytes = c->rdReq * 4096;
    c->rdTimes = c->rdReq * 25000;
    if (!disk->readonly && disk->device != DISK_DEVICE_CDROM) {
        c->wrReq = ms * f / 2 + 1;
        c->wrBytes = c->wrReq * 8192;
        c->wrTimes = c->wrReq * 40000;
        c->flReq = ms / 10 + 1;
        c->flTimes = c->flReq * 100000;
    }
}

/* Counters of DISK, or of all disks summed when DISK is "". */
static int
testBlockCountersFor(TestDomain *d, const char *disk, TestBlockCounters *c)
{
    TestBlockCounters one;
    int idx;

    if (testDomainCheckActive(d) < 0)
        return -1;
    if (*disk) {
        if ((idx = testDiskIndex(d->def, disk)) < 0)
            return -1;
        testBlockCounters(d, d->def->disks[idx], c);
        return 0;
    }
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < d->def->ndisks; i++) {
        testBlockCounters(d, d->def->disks[i], &one);
        c->rdReq += one.rdReq;
        c->rdBytes += one.rdBytes;
        c->rdTimes += one.rdTimes;
        c->wrReq += one.wrReq;
        c->wrBytes += one.wrBytes;
        c->wrTimes += one.wrTimes;
        c->flReq += one.flReq;
        c->flTimes += one.flTimes;
    }
    return 0;
}

static int
testDomainBlockStats(virDomainPtr dom, const char *disk,
                     virDomainBlockStatsPtr stats, size_t size)
{
    TestHost *h;
    TestDomain *d;
    TestBlockCounters c;
    virDomainBlockStatsStruct out;

    if (size > sizeof(out)) {
        reportError(VIR_ERR_INVALID_ARG, "stats size %zu is larger than "
                    "supported %zu", size, sizeof(out));
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testBlockCountersFor(d, disk, &c) < 0) {
        testHostUnlock(h);
        return -1;
    }
    testHostUnlock(h);
    out.rd_req = c.rdReq;
    out.rd_bytes = c.rdBytes;
    out.wr_req = c.wrReq;
    out.wr_bytes = c.wrBytes;
    out.errs = c.errs;
    memcpy(stats, &out, size);
    return 0;
}

static int
testDomainBlockStatsFlags(virDomainPtr dom, const char *disk,
                          virTypedParameterPtr params, int *nparams,
                          unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    TestBlockCounters c;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0, ret;

    if (testCheckFlags(flags, VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testBlockCountersFor(d, disk, &c) < 0) {
        testHostUnlock(h);
        return -1;
    }
    testHostUnlock(h);
#define ADD(name, v) typedParamsAddLLong(&list, &n, &max, name, v)
    ADD(VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, c.wrBytes);
    ADD(VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, c.wrReq);
    ADD(VIR_DOMAIN_BLOCK_STATS_READ_BYTES, c.rdBytes);
    ADD(VIR_DOMAIN_BLOCK_STATS_READ_REQ, c.rdReq);
    ADD(VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ, c.flReq);
    ADD(VIR_DOMAIN_BLOCK_STATS_WRITE_TOTAL_TIMES, c.wrTimes);
    ADD(VIR_DOMAIN_BLOCK_STATS_READ_TOTAL_TIMES, c.rdTimes);
    ADD(VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES, c.flTimes);
    ADD(VIR_DOMAIN_BLOCK_STATS_ERRS, c.errs);
#undef ADD
    ret = typedParamsFillOut(params, nparams, list, n);
    typedParamsFree(list, n);
    return ret;
}

static void
testNetCounters(const TestDomain *d, const NetDef *net,
                virDomainInterfaceStatsPtr s)
{
    char mac[18];
    unsigned long long ms = testRunMs(d), f;

    domainMacFormat(net->mac, mac);
    f = testNameFactor(mac);
    memset(s, 0, sizeof(*s));
    s->rx_packets = ms * f + 3;
    s->rx_bytes = s->rx_packets * 1200;
    s->tx_packets = ms * f / 3 + 2;
    s->tx_bytes = s->tx_packets * 600;
    s->rx_drop = s->rx_packets / 10000;
}

static int
testDomainInterfaceStats(virDomainPtr dom, const char *device,
                         virDomainInterfaceStatsPtr stats, size_t size)
{
    TestHost *h;
    TestDomain *d;
    virDomainInterfaceStatsStruct out;
    int idx, ret = -1;

    if (size > sizeof(out)) {
        reportError(VIR_ERR_INVALID_ARG, "stats size %zu is larger than "
                    "supported %zu", size, sizeof(out));
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) < 0 ||
        (idx = testNetIndex(d->def, device)) < 0)
        goto cleanup;
    testNetCounters(d, d->def->nets[idx], &out);
    memcpy(stats, &out, size);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* Balloon figures; guest-side ones only with a stats period, as QEMU. */
static int
testMemoryFigures(const TestDomain *d, virDomainMemoryStatStruct *st, int max)
{
    const DomainDef *def = d->def;
    unsigned long long ms = testRunMs(d), cur = def->curMemory;
    int n = 0;

#define PUT(t, v) do { if (n < max) { st[n].tag = (t); st[n].val = (v); } \
                       n++; } while (0)
    if (def->memballoon && def->memballoon->statsPeriod > 0) {
        PUT(VIR_DOMAIN_MEMORY_STAT_SWAP_IN, 0);
        PUT(VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, 0);
        PUT(VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, ms / 100);
        PUT(VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, ms * 3);
        PUT(VIR_DOMAIN_MEMORY_STAT_UNUSED, cur / 2);
        PUT(VIR_DOMAIN_MEMORY_STAT_AVAILABLE, cur * 15 / 16);
        PUT(VIR_DOMAIN_MEMORY_STAT_USABLE, cur * 5 / 8);
        PUT(VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, (unsigned long long)time(NULL));
        PUT(VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, cur / 8);
    }
    PUT(VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, cur);
    PUT(VIR_DOMAIN_MEMORY_STAT_RSS, cur / 2 + ms % 1024);
#undef PUT
    return n < max ? n : max;
}

static int
testDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                      unsigned int nr_stats, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) < 0)
        goto cleanup;
    ret = testMemoryFigures(d, stats,
                            nr_stats > VIR_DOMAIN_MEMORY_STAT_NR
                            ? VIR_DOMAIN_MEMORY_STAT_NR : (int)nr_stats);

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainSetMemoryStatsPeriod(virDomainPtr dom, int period,
                               unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    int ret = -1;

    if (testCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE |
                       VIR_DOMAIN_AFFECT_CONFIG) < 0)
        return -1;
    if (period < 0) {
        reportError(VIR_ERR_INVALID_ARG, "invalid statistics period %d",
                    period);
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    if ((live && (!live->memballoon || !live->memballoon->model ||
                  strcmp(live->memballoon->model, "virtio") != 0)) ||
        (config && (!config->memballoon || !config->memballoon->model ||
                    strcmp(config->memballoon->model, "virtio") != 0))) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' has no virtio "
                    "memory balloon to collect statistics", d->def->name);
        goto cleanup;
    }
    if (live)
        live->memballoon->statsPeriod = period;
    if (config)
        config->memballoon->statsPeriod = period;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* Total: cpu_time, user_time, system_time. */
static int
testCpuTotal(const TestDomain *d, virTypedParameterPtr params, int nparams)
{
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0, ret;
    unsigned long long t = testDomainCpuTime(d);

    typedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_CPU_STATS_CPUTIME, t);
    typedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_CPU_STATS_USERTIME,
                         t / 10 * 7);
    typedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_CPU_STATS_SYSTEMTIME,
                         t / 10 * 2);
    if (nparams == 0) {
        ret = n;
    } else {
        int want = nparams < n ? nparams : n;

        ret = typedParamsFillOut(params, &want, list, n) < 0 ? -1 : want;
    }
    typedParamsFree(list, n);
    return ret;
}

/* Per host cpu: cpu_time and vcpu_time, the time split over the cpus. */
static int
testCpuPer(const TestDomain *d, int hostCpus, virTypedParameterPtr params,
           int nparams, int start, unsigned int ncpus)
{
    unsigned long long t = testDomainCpuTime(d);
    int per = nparams < 2 ? nparams : 2;

    if (start >= hostCpus) {
        reportError(VIR_ERR_INVALID_ARG, "start_cpu %d larger than maximum "
                    "of %d", start, hostCpus - 1);
        return -1;
    }
    for (unsigned int i = 0; i < ncpus && start + (int)i < hostCpus; i++) {
        virTypedParameterPtr p = &params[i * nparams];
        unsigned long long share = t / hostCpus + (start + i) * 1000;
        virTypedParameter vals[2] = { { .type = VIR_TYPED_PARAM_ULLONG },
                                      { .type = VIR_TYPED_PARAM_ULLONG } };

        snprintf(vals[0].field, sizeof(vals[0].field), "%s",
                 VIR_DOMAIN_CPU_STATS_CPUTIME);
        vals[0].value.ul = share;
        snprintf(vals[1].field, sizeof(vals[1].field), "%s",
                 VIR_DOMAIN_CPU_STATS_VCPUTIME);
        vals[1].value.ul = share / 10 * 9;
        memcpy(p, vals, per * sizeof(*p));
    }
    return per;
}

static int
testDomainGetCPUStats(virDomainPtr dom, virTypedParameterPtr params,
                      unsigned int nparams, int start_cpu, unsigned int ncpus,
                      unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int hostCpus, ret = -1;

    if (testCheckFlags(flags, VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    if (start_cpu < -1 || (start_cpu == -1 && ncpus != 1) ||
        (nparams && !params) || (!nparams && params) ||
        (params && !ncpus) || nparams > 1024 || ncpus > 4096) {
        reportError(VIR_ERR_INVALID_ARG, "invalid combination of params "
                    "(%u), start_cpu (%d) and ncpus (%u)", nparams,
                    start_cpu, ncpus);
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    hostCpus = h->node.cpus > 0 ? (int)h->node.cpus : 1;
    if (testDomainCheckActive(d) < 0)
        goto cleanup;
    if (start_cpu == -1)
        ret = testCpuTotal(d, params, nparams);
    else if (nparams == 0 && ncpus == 0)
        ret = hostCpus;
    else if (nparams == 0)
        ret = 2;
    else
        ret = testCpuPer(d, hostCpus, params, nparams, start_cpu, ncpus);

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* ---- bulk stats ---- */

#define ALL_GROUPS (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | \
                    VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU | \
                    VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK | \
                    VIR_DOMAIN_STATS_PERF | VIR_DOMAIN_STATS_IOTHREAD | \
                    VIR_DOMAIN_STATS_MEMORY | VIR_DOMAIN_STATS_DIRTYRATE | \
                    VIR_DOMAIN_STATS_VM)

typedef struct {
    virTypedParameterPtr list;
    int n, max;
} StatList;

static void
statULL(StatList *s, unsigned long long v, const char *fmt, ...)
{
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    typedParamsAddULLong(&s->list, &s->n, &s->max, name, v);
}

static void
statUInt(StatList *s, const char *name, unsigned int v)
{
    typedParamsAddUInt(&s->list, &s->n, &s->max, name, v);
}

static void
statStr(StatList *s, const char *value, const char *fmt, size_t i)
{
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    snprintf(name, sizeof(name), fmt, i);
    typedParamsAddString(&s->list, &s->n, &s->max, name, value);
}

static void
testStatsBalloon(TestDomain *d, StatList *s)
{
    static const char *const names[] = {
        [VIR_DOMAIN_MEMORY_STAT_SWAP_IN] = "swap_in",
        [VIR_DOMAIN_MEMORY_STAT_SWAP_OUT] = "swap_out",
        [VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT] = "major_fault",
        [VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT] = "minor_fault",
        [VIR_DOMAIN_MEMORY_STAT_UNUSED] = "unused",
        [VIR_DOMAIN_MEMORY_STAT_AVAILABLE] = "available",
        [VIR_DOMAIN_MEMORY_STAT_RSS] = "rss",
        [VIR_DOMAIN_MEMORY_STAT_USABLE] = "usable",
        [VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE] = "last-update",
        [VIR_DOMAIN_MEMORY_STAT_DISK_CACHES] = "disk_caches",
    };
    virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
    int n;

    statULL(s, d->def->curMemory, "balloon.current");
    statULL(s, d->def->memory, "balloon.maximum");
    if (!testDomainIsActiveRec(d))
        return;
    n = testMemoryFigures(d, st, VIR_DOMAIN_MEMORY_STAT_NR);
    for (int i = 0; i < n; i++) {
        if (st[i].tag < (int)(sizeof(names) / sizeof(names[0])) &&
            names[st[i].tag])
            statULL(s, st[i].val, "balloon.%s", names[st[i].tag]);
    }
}

static void
testStatsVcpu(TestDomain *d, StatList *s)
{
    const DomainDef *def = d->def;
    unsigned int cur = def->curVcpus ? def->curVcpus : def->vcpus;
    unsigned long long t = testDomainCpuTime(d);
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    statUInt(s, "vcpu.current", cur);
    statUInt(s, "vcpu.maximum", def->vcpus);
    if (!testDomainIsActiveRec(d))
        return;
    for (unsigned int i = 0; i < cur; i++) {
        snprintf(name, sizeof(name), "vcpu.%u.state", i);
        typedParamsAddInt(&s->list, &s->n, &s->max, name,
                          VIR_VCPU_RUNNING);
        statULL(s, t / cur, "vcpu.%u.time", i);
        statULL(s, t / cur / 50, "vcpu.%u.wait", i);
    }
}

static void
testStatsNet(TestDomain *d, StatList *s)
{
    const DomainDef *def = d->def;
    virDomainInterfaceStatsStruct c;

    statUInt(s, "net.count", def->nnets);
    for (size_t i = 0; i < def->nnets; i++) {
        const NetDef *net = def->nets[i];
        char mac[18];

        domainMacFormat(net->mac, mac);
        statStr(s, net->ifname ? net->ifname : mac, "net.%zu.name", i);
        if (!testDomainIsActiveRec(d))
            continue;
        testNetCounters(d, net, &c);
        statULL(s, c.rx_bytes, "net.%zu.rx.bytes", i);
        statULL(s, c.rx_packets, "net.%zu.rx.pkts", i);
        statULL(s, c.rx_errs, "net.%zu.rx.errs", i);
        statULL(s, c.rx_drop, "net.%zu.rx.drop", i);
        statULL(s, c.tx_bytes, "net.%zu.tx.bytes", i);
        statULL(s, c.tx_packets, "net.%zu.tx.pkts", i);
        statULL(s, c.tx_errs, "net.%zu.tx.errs", i);
        statULL(s, c.tx_drop, "net.%zu.tx.drop", i);
    }
}

static void
testStatsBlock(TestDomain *d, StatList *s)
{
    const DomainDef *def = d->def;
    TestBlockCounters c;

    statUInt(s, "block.count", def->ndisks);
    for (size_t i = 0; i < def->ndisks; i++) {
        DiskDef *disk = def->disks[i];
        unsigned long long cap = testDiskCapacity(d, disk);

        statStr(s, disk->dst, "block.%zu.name", i);
        if (disk->srcPath)
            statStr(s, disk->srcPath, "block.%zu.path", i);
        if (!testDomainIsActiveRec(d))
            continue;
        testBlockCounters(d, disk, &c);
        statULL(s, c.rdReq, "block.%zu.rd.reqs", i);
        statULL(s, c.rdBytes, "block.%zu.rd.bytes", i);
        statULL(s, c.rdTimes, "block.%zu.rd.times", i);
        statULL(s, c.wrReq, "block.%zu.wr.reqs", i);
        statULL(s, c.wrBytes, "block.%zu.wr.bytes", i);
        statULL(s, c.wrTimes, "block.%zu.wr.times", i);
        statULL(s, c.flReq, "block.%zu.fl.reqs", i);
        statULL(s, c.flTimes, "block.%zu.fl.times", i);
        statULL(s, cap / 4, "block.%zu.allocation", i);
        statULL(s, cap, "block.%zu.capacity", i);
        /* as virDomainGetBlockInfo reports it */
        statULL(s, disk->type == DISK_TYPE_BLOCK ? cap : cap / 4,
                "block.%zu.physical", i);
    }
}

static void
testStatsPerf(TestDomain *d, StatList *s)
{
    static const char *const events[] = {
        "cmt", "mbmt", "mbml", "cpu_cycles", "instructions",
        "cache_references", "cache_misses", "branch_instructions",
        "branch_misses", "bus_cycles", "stalled_cycles_frontend",
        "stalled_cycles_backend", "ref_cpu_cycles", "cpu_clock",
        "task_clock", "page_faults", "context_switches", "cpu_migrations",
        "page_faults_min", "page_faults_maj", "alignment_faults",
        "emulation_faults", NULL
    };

    if (!testDomainIsActiveRec(d))
        return;
    for (int i = 0; events[i]; i++) {
        if (testPerfEnabled(d->def, events[i]))
            statULL(s, testRunMs(d) * (i + 1) * 1000, "perf.%s", events[i]);
    }
}

static void
testStatsOne(TestDomain *d, unsigned int groups, StatList *s)
{
    bool active = testDomainIsActiveRec(d);

    if (groups & VIR_DOMAIN_STATS_STATE) {
        typedParamsAddInt(&s->list, &s->n, &s->max, "state.state", d->state);
        typedParamsAddInt(&s->list, &s->n, &s->max, "state.reason",
                          d->reason);
    }
    if ((groups & VIR_DOMAIN_STATS_CPU_TOTAL) && active) {
        unsigned long long t = testDomainCpuTime(d);

        statULL(s, t, "cpu.time");
        statULL(s, t / 10 * 7, "cpu.user");
        statULL(s, t / 10 * 2, "cpu.system");
    }
    if (groups & VIR_DOMAIN_STATS_BALLOON)
        testStatsBalloon(d, s);
    if (groups & VIR_DOMAIN_STATS_VCPU)
        testStatsVcpu(d, s);
    if (groups & VIR_DOMAIN_STATS_INTERFACE)
        testStatsNet(d, s);
    if (groups & VIR_DOMAIN_STATS_BLOCK)
        testStatsBlock(d, s);
    if (groups & VIR_DOMAIN_STATS_PERF)
        testStatsPerf(d, s);
    if ((groups & VIR_DOMAIN_STATS_IOTHREAD) && active)
        testIOThreadStats(d, &s->list, &s->n, &s->max);
    if ((groups & VIR_DOMAIN_STATS_MEMORY) && active)
        statUInt(s, "memory.bandwidth.monitor.count", 0);
    if ((groups & VIR_DOMAIN_STATS_DIRTYRATE) && active)
        typedParamsAddInt(&s->list, &s->n, &s->max, "dirtyrate.calc_status",
                          VIR_DOMAIN_DIRTYRATE_UNSTARTED);
}

/* Groups asked for; unknown ones are an error only with ENFORCE_STATS. */
static int
testStatsGroups(unsigned int stats, unsigned int flags, unsigned int *groups)
{
    if (!stats) {
        *groups = ALL_GROUPS;
        return 0;
    }
    if ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) &&
        (stats & ~ALL_GROUPS)) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "unsupported statistics "
                    "groups (0x%x)", stats & ~ALL_GROUPS);
        return -1;
    }
    *groups = stats & ALL_GROUPS;
    return 0;
}

/* Whether D passes the connection-wide filter FLAGS. */
static bool
testStatsMatch(const TestDomain *d, unsigned int flags)
{
    unsigned int states = flags & (VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING |
                                   VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED |
                                   VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF |
                                   VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER);
    bool active = testDomainIsActiveRec(d);
    unsigned int mine;

    if ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE) &&
        (flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE)) {
        /* both: no filter */
    } else if (((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE) && !active) ||
               ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE) && active)) {
        return false;
    }
    if (!((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT) &&
          (flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT)) &&
        (((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT) &&
          !d->persistent) ||
         ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT) &&
          d->persistent)))
        return false;
    if (!states)
        return true;
    mine = d->state == VIR_DOMAIN_RUNNING ?
           VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING :
           d->state == VIR_DOMAIN_PAUSED ?
           VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED :
           d->state == VIR_DOMAIN_SHUTOFF ?
           VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF :
           VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER;
    return (states & mine) != 0;
}

/* Append D's record to RECS; SCRATCH is reused from record to record (its
 * entries move into the record). */
static void
testStatsAppend(virConnectPtr conn, TestDomain *d, unsigned int groups,
                StatList *scratch, virDomainStatsRecordPtr **recs,
                size_t *nrecs, size_t *cap)
{
    scratch->n = 0;
    testStatsOne(d, groups, scratch);
    allocGrow(recs, cap, *nrecs + 1, sizeof(**recs));
    (*recs)[(*nrecs)++] = statsRecordNew(testDomainObject(conn, d),
                                         scratch->list, scratch->n);
    (*recs)[*nrecs] = NULL;
}

#define COMMON_STATS_FLAGS (VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT | \
                            VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING | \
                            VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)

static int
testConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                             virDomainStatsRecordPtr **retStats,
                             unsigned int flags)
{
    TestHost *h = testHostOf(conn);
    virDomainStatsRecordPtr *recs = NULL;
    size_t nrecs = 0, cap = 0;
    StatList scratch = { NULL, 0, 0 };
    unsigned int groups;

    if (testCheckFlags(flags, COMMON_STATS_FLAGS | 0xff) < 0 ||
        testStatsGroups(stats, flags, &groups) < 0)
        return -1;
    allocGrow(&recs, &cap, 0, sizeof(*recs));
    recs[0] = NULL;
    pthread_mutex_lock(&h->lock);
    for (size_t i = 0; i < h->ndoms; i++) {
        if (h->doms[i] != &testDomainGone &&
            testStatsMatch(h->doms[i], flags))
            testStatsAppend(conn, h->doms[i], groups, &scratch, &recs,
                            &nrecs, &cap);
    }
    testHostUnlock(h);
    free(scratch.list);
    *retStats = recs;
    return nrecs;
}

static int
testDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                       virDomainStatsRecordPtr **retStats, unsigned int flags)
{
    virDomainStatsRecordPtr *recs = NULL;
    size_t nrecs = 0, cap = 0;
    StatList scratch = { NULL, 0, 0 };
    unsigned int groups;

    if (testCheckFlags(flags, COMMON_STATS_FLAGS) < 0 ||
        testStatsGroups(stats, flags, &groups) < 0)
        return -1;
    allocGrow(&recs, &cap, 0, sizeof(*recs));
    recs[0] = NULL;
    for (virDomainPtr *p = doms; *p; p++) {
        TestHost *h;
        TestDomain *d = testDomainAcquire(*p, &h);

        if (!d) {
            /* a domain that vanished meanwhile is skipped */
            errorReset();
            continue;
        }
        testStatsAppend((*p)->conn, d, groups, &scratch, &recs, &nrecs,
                        &cap);
        testHostUnlock(h);
    }
    free(scratch.list);
    *retStats = recs;
    return nrecs;
}

/* Fill in this file's slots. */
void
testStatsFill(Driver *drv)
{
    drv->domainBlockStats = testDomainBlockStats;
    drv->domainBlockStatsFlags = testDomainBlockStatsFlags;
    drv->domainInterfaceStats = testDomainInterfaceStats;
    drv->domainMemoryStats = testDomainMemoryStats;
    drv->domainSetMemoryStatsPeriod = testDomainSetMemoryStatsPeriod;
    drv->domainGetCPUStats = testDomainGetCPUStats;
    drv->connectGetAllDomainStats = testConnectGetAllDomainStats;
    drv->domainListGetStats = testDomainListGetStats;
}
