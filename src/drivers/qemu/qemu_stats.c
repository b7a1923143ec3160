/* qemu_stats.c: virConnectGetAllDomainStats and virDomainListGetStats for
 * the QEMU driver: every VIR_DOMAIN_STATS_* group, from QMP and /proc */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_guest.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "typedparam.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALL_GROUPS (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | \
                    VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU | \
                    VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK | \
                    VIR_DOMAIN_STATS_PERF | VIR_DOMAIN_STATS_IOTHREAD | \
                    VIR_DOMAIN_STATS_MEMORY | VIR_DOMAIN_STATS_DIRTYRATE | \
                    VIR_DOMAIN_STATS_VM)

#define STATE_FILTERS (VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING | \
                       VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED | \
                       VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF | \
                       VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER)

#define COMMON_FLAGS (VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT | \
                      VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING | \
                      VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)

/* What QEMU told us about one domain, gathered without the lock. */
typedef struct {
    bool haveBalloon;
    unsigned long long balloon;         /* bytes */
    QmpCpu *cpus;
    int ncpus;
    QmpBlockInfo *blk;
    int nblk;
    QmpBlockStats *bst;
    int nbst;
    json_object *nodes;                 /* query-named-block-nodes */
    QmpIothread *iot;
    int niot;
    json_object *dirty;                 /* query-dirty-rate */
} StatsData;

typedef struct {
    virTypedParameterPtr list;
    int n, max;
} StatList;

static void
statsDataClear(StatsData *s)
{
    qmpCpuListFree(s->cpus, s->ncpus);
    qmpBlockInfoListFree(s->blk, s->nblk);
    qmpBlockStatsListFree(s->bst, s->nbst);
    json_object_put(s->nodes);
    qmpIothreadListFree(s->iot, s->niot);
    json_object_put(s->dirty);
    memset(s, 0, sizeof(*s));
}

static void
statULL(StatList *s, unsigned long long v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

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
statUInt(StatList *s, unsigned int v, const char *name)
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

/* ---- gathering (no lock held) ---- */

static void
statsGather(Qmp *mon, unsigned int groups, StatsData *s)
{
    json_object *cmd;

    if (groups & VIR_DOMAIN_STATS_BALLOON)
        s->haveBalloon = qmpQueryBalloon(mon, &s->balloon) == 0;
    if ((groups & VIR_DOMAIN_STATS_VCPU) &&
        (s->ncpus = qmpQueryCpusFast(mon, &s->cpus)) < 0)
        s->ncpus = 0;
    if (groups & VIR_DOMAIN_STATS_BLOCK) {
        if ((s->nblk = qmpQueryBlock(mon, &s->blk)) < 0)
            s->nblk = 0;
        if ((s->nbst = qmpQueryBlockstats(mon, false, &s->bst)) < 0)
            s->nbst = 0;
        if (qmpQueryNamedBlockNodes(mon, &s->nodes) < 0)
            s->nodes = NULL;
    }
    if ((groups & VIR_DOMAIN_STATS_IOTHREAD) &&
        (s->niot = qmpQueryIothreads(mon, &s->iot)) < 0)
        s->niot = 0;
    if ((groups & VIR_DOMAIN_STATS_DIRTYRATE) &&
        (cmd = qmpCommandNew("query-dirty-rate", NULL))) {
        json_object *reply = NULL;

        if (qmpCommandRun(mon, cmd, &reply, 0) == 0)
            s->dirty = json_object_get(qmpReplyReturn(reply,
                                                      "query-dirty-rate",
                                                      json_type_object));
        json_object_put(reply);
        json_object_put(cmd);
    }
    /* a group QEMU could not answer is left out, not an error */
    errorReset();
}

/* ---- /proc ---- */

/* utime and stime (ns) of /proc/PID[/task/TID]/stat. 0 or -1. */
static int
statsProcTimes(pid_t pid, long long tid, unsigned long long *user,
               unsigned long long *sys)
{
    char path[96], buf[1024], *p;
    unsigned long long ut, st;
    long tick = sysconf(_SC_CLK_TCK);
    FILE *f;
    bool ok;

    if (tid > 0)
        snprintf(path, sizeof(path), "/proc/%ld/task/%lld/stat", (long)pid,
                 tid);
    else
        snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    if (!(f = fopen(path, "r")))
        return -1;
    ok = fgets(buf, sizeof(buf), f) != NULL;
    fclose(f);
    /* the command name may hold spaces: fields start after its ')' */
    if (!ok || !(p = strrchr(buf, ')')) ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &ut, &st) != 2 || tick <= 0)
        return -1;
    *user = ut * (1000000000ULL / (unsigned long long)tick);
    *sys = st * (1000000000ULL / (unsigned long long)tick);
    return 0;
}

/* Run and wait time (ns) of thread TID of PID from schedstat. 0 or -1. */
static int
statsSchedstat(pid_t pid, long long tid, unsigned long long *run,
               unsigned long long *wait)
{
    char path[96];
    FILE *f;
    int n;

    snprintf(path, sizeof(path), "/proc/%ld/task/%lld/schedstat", (long)pid,
             tid);
    if (!(f = fopen(path, "r")))
        return -1;
    n = fscanf(f, "%llu %llu", run, wait);
    fclose(f);
    return n == 2 ? 0 : -1;
}

/* The VmRSS of PID in KiB, 0 when unknown. */
static unsigned long long
statsRss(pid_t pid)
{
    char path[64], line[256];
    unsigned long long kb = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
    if (!(f = fopen(path, "r")))
        return 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %llu", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* Counters of host interface IFNAME from /proc/net/dev (rx bytes, pkts,
 * errs, drop, tx bytes, pkts, errs, drop). 0 or -1. */
static int
statsNetDev(const char *ifname, unsigned long long c[8])
{
    FILE *f = fopen("/proc/net/dev", "r");
    char line[512];
    int ret = -1;

    if (!f)
        return -1;
    while (ret < 0 && fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':'), *name = line;

        if (!colon)
            continue;
        *colon = '\0';
        while (*name == ' ')
            name++;
        if (strcmp(name, ifname) != 0)
            continue;
        /* the host's rx is the guest's tx and vice versa */
        if (sscanf(colon + 1, "%llu %llu %llu %llu %*u %*u %*u %*u "
                   "%llu %llu %llu %llu", &c[4], &c[5], &c[6], &c[7],
                   &c[0], &c[1], &c[2], &c[3]) == 8)
            ret = 0;
    }
    fclose(f);
    return ret;
}

/* ---- formatting (lock held) ---- */

static void
statsCpu(const QemuDom *d, StatList *s)
{
    unsigned long long user, sys;

    statULL(s, qemuProcessCpuTime(d), "cpu.time");
    if (statsProcTimes(d->pid, 0, &user, &sys) == 0) {
        statULL(s, user, "cpu.user");
        statULL(s, sys, "cpu.system");
    }
}

static void
statsBalloon(const QemuDom *d, const StatsData *q, StatList *s)
{
    bool active = qemuDomIsActive(d);

    statULL(s, active && q->haveBalloon ? q->balloon / 1024
                                        : d->def->curMemory,
            "balloon.current");
    statULL(s, d->def->memory, "balloon.maximum");
    if (active)
        statULL(s, statsRss(d->pid), "balloon.rss");
}

static void
statsVcpu(const QemuDom *d, const StatsData *q, StatList *s)
{
    const DomainDef *def = d->def;
    unsigned int cur = def->curVcpus ? def->curVcpus : def->vcpus;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    statUInt(s, cur, "vcpu.current");
    statUInt(s, def->vcpus, "vcpu.maximum");
    for (int i = 0; i < q->ncpus; i++) {
        unsigned long long user, sys, run, wait = 0;
        int idx = q->cpus[i].cpuIndex;

        snprintf(name, sizeof(name), "vcpu.%d.state", idx);
        typedParamsAddInt(&s->list, &s->n, &s->max, name, VIR_VCPU_RUNNING);
        if (statsProcTimes(d->pid, q->cpus[i].threadId, &user, &sys) == 0)
            statULL(s, user + sys, "vcpu.%d.time", idx);
        if (statsSchedstat(d->pid, q->cpus[i].threadId, &run, &wait) == 0)
            statULL(s, wait, "vcpu.%d.wait", idx);
    }
}

static void
statsNet(const QemuDom *d, StatList *s)
{
    static const char *const keys[] = {
        "rx.bytes", "rx.pkts", "rx.errs", "rx.drop",
        "tx.bytes", "tx.pkts", "tx.errs", "tx.drop",
    };
    const DomainDef *def = d->def;

    statUInt(s, (unsigned int)def->nnets, "net.count");
    for (size_t i = 0; i < def->nnets; i++) {
        const NetDef *net = def->nets[i];
        unsigned long long c[8];
        char mac[18];

        domainMacFormat(net->mac, mac);
        statStr(s, net->ifname ? net->ifname : mac, "net.%zu.name", i);
        /* user-mode NICs have no host interface to count on */
        if (!qemuDomIsActive(d) || !net->ifname ||
            statsNetDev(net->ifname, c) < 0)
            continue;
        for (int k = 0; k < 8; k++)
            statULL(s, c[k], "net.%zu.%s", i, keys[k]);
    }
}

/* Whether QDEV (an id or a QOM path) is the device with ALIAS. */
static bool
statsQdevIs(const char *qdev, const char *alias)
{
    size_t n = strlen(alias);
    const char *p;

    if (!qdev || !alias)
        return false;
    if (strcmp(qdev, alias) == 0)
        return true;
    for (p = strstr(qdev, alias); p; p = strstr(p + 1, alias))
        if (p > qdev && p[-1] == '/' && (p[n] == '/' || p[n] == '\0'))
            return true;
    return false;
}

/* virtual-size and actual-size of node NODE, when QEMU told them. */
static void
statsNodeSizes(json_object *nodes, const char *node,
               unsigned long long *virt, unsigned long long *actual)
{
    size_t n = nodes && json_object_is_type(nodes, json_type_array) ?
        json_object_array_length(nodes) : 0;

    for (size_t i = 0; i < n && node; i++) {
        json_object *o = json_object_array_get_idx(nodes, i);
        json_object *name = json_object_object_get(o, "node-name");
        json_object *image = json_object_object_get(o, "image"), *v;

        if (!name || strcmp(json_object_get_string(name), node) != 0 ||
            !image)
            continue;
        if ((v = json_object_object_get(image, "virtual-size")))
            *virt = (unsigned long long)json_object_get_int64(v);
        if ((v = json_object_object_get(image, "actual-size")))
            *actual = (unsigned long long)json_object_get_int64(v);
        return;
    }
}

static void
statsBlockOne(const DiskDef *disk, size_t i, const StatsData *q,
              StatList *s)
{
    const QmpBlockStats *b = NULL;
    const QmpBlockInfo *bi = NULL;
    unsigned long long virt = 0, actual = 0;
    const char *alias = disk->info.alias;

    for (int k = 0; alias && k < q->nbst && !b; k++)
        if (statsQdevIs(q->bst[k].qdev, alias))
            b = &q->bst[k];
    for (int k = 0; alias && k < q->nblk && !bi; k++)
        if (statsQdevIs(q->blk[k].qdev, alias))
            bi = &q->blk[k];
    if (!b || (bi && !bi->inserted))
        return;
    statULL(s, (unsigned long long)b->rdOperations, "block.%zu.rd.reqs", i);
    statULL(s, (unsigned long long)b->rdBytes, "block.%zu.rd.bytes", i);
    statULL(s, (unsigned long long)b->rdTotalTimeNs, "block.%zu.rd.times", i);
    statULL(s, (unsigned long long)b->wrOperations, "block.%zu.wr.reqs", i);
    statULL(s, (unsigned long long)b->wrBytes, "block.%zu.wr.bytes", i);
    statULL(s, (unsigned long long)b->wrTotalTimeNs, "block.%zu.wr.times", i);
    statULL(s, (unsigned long long)b->flushOperations, "block.%zu.fl.reqs",
            i);
    statULL(s, (unsigned long long)b->flushTotalTimeNs,
            "block.%zu.fl.times", i);
    statsNodeSizes(q->nodes, bi && bi->nodeName ? bi->nodeName : b->nodeName,
                   &virt, &actual);
    statULL(s, (unsigned long long)(b->wrHighestOffset > 0 ?
                                    b->wrHighestOffset : 0),
            "block.%zu.allocation", i);
    statULL(s, virt, "block.%zu.capacity", i);
    statULL(s, actual ? actual : virt, "block.%zu.physical", i);
}

static void
statsBlock(const QemuDom *d, const StatsData *q, StatList *s)
{
    const DomainDef *def = d->def;

    statUInt(s, (unsigned int)def->ndisks, "block.count");
    for (size_t i = 0; i < def->ndisks; i++) {
        const DiskDef *disk = def->disks[i];

        statStr(s, disk->dst, "block.%zu.name", i);
        if (disk->srcPath)
            statStr(s, disk->srcPath, "block.%zu.path", i);
        if (qemuDomIsActive(d))
            statsBlockOne(disk, i, q, s);
    }
}

static void
statsIothread(const StatsData *q, StatList *s)
{
    statUInt(s, (unsigned int)q->niot, "iothread.count");
    for (int i = 0; i < q->niot; i++) {
        const char *id = q->iot[i].id ? q->iot[i].id : "";
        const char *num = id + strcspn(id, "0123456789");
        unsigned int n = (unsigned int)strtoul(num, NULL, 10);

        statULL(s, (unsigned long long)q->iot[i].pollMaxNs,
                "iothread.%u.poll-max-ns", n);
        statULL(s, (unsigned long long)q->iot[i].pollGrow,
                "iothread.%u.poll-grow", n);
        statULL(s, (unsigned long long)q->iot[i].pollShrink,
                "iothread.%u.poll-shrink", n);
    }
}

static void
statsDirty(const StatsData *q, StatList *s)
{
    const char *st = NULL;
    json_object *v;
    int status = VIR_DOMAIN_DIRTYRATE_UNSTARTED;

    if (q->dirty && (v = json_object_object_get(q->dirty, "status")))
        st = json_object_get_string(v);
    if (st && strcmp(st, "measuring") == 0)
        status = VIR_DOMAIN_DIRTYRATE_MEASURING;
    else if (st && strcmp(st, "measured") == 0)
        status = VIR_DOMAIN_DIRTYRATE_MEASURED;
    typedParamsAddInt(&s->list, &s->n, &s->max, "dirtyrate.calc_status",
                      status);
    if (!q->dirty)
        return;
    if ((v = json_object_object_get(q->dirty, "start-time")))
        typedParamsAddLLong(&s->list, &s->n, &s->max,
                            "dirtyrate.calc_start_time",
                            json_object_get_int64(v));
    if ((v = json_object_object_get(q->dirty, "calc-time")))
        typedParamsAddInt(&s->list, &s->n, &s->max, "dirtyrate.calc_period",
                          json_object_get_int(v));
    if (status == VIR_DOMAIN_DIRTYRATE_MEASURED &&
        (v = json_object_object_get(q->dirty, "dirty-rate")))
        typedParamsAddLLong(&s->list, &s->n, &s->max,
                            "dirtyrate.megabytes_per_second",
                            json_object_get_int64(v));
}

static void
statsFormat(const QemuDom *d, unsigned int groups, const StatsData *q,
            StatList *s)
{
    bool active = qemuDomIsActive(d);

    if (groups & VIR_DOMAIN_STATS_STATE) {
        typedParamsAddInt(&s->list, &s->n, &s->max, "state.state", d->state);
        typedParamsAddInt(&s->list, &s->n, &s->max, "state.reason",
                          d->reason);
    }
    if ((groups & VIR_DOMAIN_STATS_CPU_TOTAL) && active)
        statsCpu(d, s);
    if (groups & VIR_DOMAIN_STATS_BALLOON)
        statsBalloon(d, q, s);
    if (groups & VIR_DOMAIN_STATS_VCPU)
        statsVcpu(d, q, s);
    if (groups & VIR_DOMAIN_STATS_INTERFACE)
        statsNet(d, s);
    if (groups & VIR_DOMAIN_STATS_BLOCK)
        statsBlock(d, q, s);
    /* PERF: no perf events are enabled by this driver: nothing to show */
    if ((groups & VIR_DOMAIN_STATS_IOTHREAD) && active)
        statsIothread(q, s);
    if ((groups & VIR_DOMAIN_STATS_MEMORY) && active)
        statUInt(s, 0, "memory.bandwidth.monitor.count");
    if ((groups & VIR_DOMAIN_STATS_DIRTYRATE) && active)
        statsDirty(q, s);
    /* VM: QEMU's query-stats is not used: no keys */
}

/* The record of D (lock held; released while QEMU is asked). */
static virDomainStatsRecordPtr
statsRecord(QemuDriver *drv, QemuDom *d, unsigned int groups,
            unsigned int flags)
{
    StatsData q = { 0 };
    StatList s = { NULL, 0, 0 };
    virDomainStatsRecordPtr rec;
    Qmp *mon = NULL;

    qemuDomRef(d);
    if (qemuDomIsActive(d) && d->mon &&
        !((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT) && d->job))
        mon = qemuProcessMonAcquire(d);
    errorReset();
    if (mon) {
        pthread_mutex_unlock(&drv->lock);
        statsGather(mon, groups, &q);
        pthread_mutex_lock(&drv->lock);
        qemuProcessMonRelease(d);
    }
    statsFormat(d, groups, &q, &s);
    statsDataClear(&q);
    ALLOC(rec);
    rec->dom = qemuDomObject(drv, d);
    rec->params = s.list;
    rec->nparams = s.n;
    qemuDomUnref(d);
    return rec;
}

static int
statsGroups(unsigned int stats, unsigned int flags, unsigned int *groups)
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

/* Whether D passes the connection-wide filter FLAGS (lock held). */
static bool
statsMatch(const QemuDom *d, unsigned int flags)
{
    unsigned int states = flags & STATE_FILTERS;
    bool active = qemuDomIsActive(d);
    unsigned int mine;

    if (!(flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE) !=
        !(flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE) &&
        ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE) ? !active
                                                             : active))
        return false;
    if (!(flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT) !=
        !(flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT) &&
        ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT) ?
         !d->persistent : d->persistent))
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

static void
statsAppend(virDomainStatsRecordPtr **recs, size_t *n, size_t *cap,
            virDomainStatsRecordPtr rec)
{
    allocGrow(recs, cap, *n + 2, sizeof(**recs));
    (*recs)[(*n)++] = rec;
    (*recs)[*n] = NULL;
}

static int
qemuConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                             virDomainStatsRecordPtr **retStats,
                             unsigned int flags)
{
    QemuDriver *drv = conn->privateData;
    virDomainStatsRecordPtr *recs = NULL;
    QemuDom **doms;
    size_t nrecs = 0, cap = 0, ndoms;
    unsigned int groups;

    if (qemuGuestCheckFlags(flags, COMMON_FLAGS | 0xff, __func__) < 0 ||
        statsGroups(stats, flags, &groups) < 0)
        return -1;
    statsAppend(&recs, &nrecs, &cap, NULL);
    nrecs = 0;
    pthread_mutex_lock(&drv->lock);
    /* a snapshot of the list: the lock is dropped while QEMU answers */
    ndoms = drv->ndoms;
    doms = allocArray(ndoms + 1, sizeof(*doms));
    for (size_t i = 0; i < ndoms; i++) {
        doms[i] = drv->doms[i];
        qemuDomRef(doms[i]);
    }
    for (size_t i = 0; i < ndoms; i++) {
        if (!doms[i]->removed && statsMatch(doms[i], flags))
            statsAppend(&recs, &nrecs, &cap,
                        statsRecord(drv, doms[i], groups, flags));
        qemuDomUnref(doms[i]);
    }
    pthread_mutex_unlock(&drv->lock);
    free(doms);
    *retStats = recs;
    return (int)nrecs;
}

static int
qemuDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                       virDomainStatsRecordPtr **retStats,
                       unsigned int flags)
{
    virDomainStatsRecordPtr *recs = NULL;
    size_t nrecs = 0, cap = 0;
    unsigned int groups;

    if (qemuGuestCheckFlags(flags, COMMON_FLAGS, __func__) < 0 ||
        statsGroups(stats, flags, &groups) < 0)
        return -1;
    statsAppend(&recs, &nrecs, &cap, NULL);
    nrecs = 0;
    for (virDomainPtr *p = doms; *p; p++) {
        QemuDom *d = qemuDomGet(*p);

        if (!d) {
            /* a domain that vanished meanwhile is skipped */
            errorReset();
            continue;
        }
        statsAppend(&recs, &nrecs, &cap,
                    statsRecord(d->drv, d, groups, flags));
        qemuDomRelease(d);
    }
    *retStats = recs;
    return (int)nrecs;
}

void
qemuStatsFill(Driver *drv)
{
    drv->connectGetAllDomainStats = qemuConnectGetAllDomainStats;
    drv->domainListGetStats = qemuDomainListGetStats;
}
