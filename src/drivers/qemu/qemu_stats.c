/* qemu_stats.c: virConnectGetAllDomainStats and virDomainListGetStats for
 * the QEMU driver: every VIR_DOMAIN_STATS_* group, from QMP and /proc */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_guest.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "typedparam.h"

#include <dirent.h>
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

/* The QMP queries behind the groups, in the order they are sent. */
enum {
    STATS_Q_BALLOON, STATS_Q_CPUS, STATS_Q_BLOCK, STATS_Q_BLOCKSTATS,
    STATS_Q_IOTHREADS, STATS_Q_DIRTY, STATS_Q_LAST
};

static const char *const statsQueryNames[STATS_Q_LAST] = {
    "query-balloon", "query-cpus-fast", "query-block", "query-blockstats",
    "query-iothreads", "query-dirty-rate",
};

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
    QmpIothread *iot;
    int niot;
    json_object *dirty;                 /* query-dirty-rate */
} StatsData;

/* One domain's record in the making: its queries are in flight on its
 * monitor while the other domains' are too. */
typedef struct {
    QemuDom *d;                         /* a reference */
    Qmp *mon;                           /* acquired while QEMU answers */
    QmpBatch *batch;
    json_object *cmds[STATS_Q_LAST];
    int kinds[STATS_Q_LAST];            /* STATS_Q_* of each command */
    int ncmds;
    StatsData q;
} StatsWork;

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

/* ---- asking QEMU ---- */

static int
statsCpuCmp(const void *a, const void *b)
{
    const QmpCpu *x = a, *y = b;

    return (x->cpuIndex > y->cpuIndex) - (x->cpuIndex < y->cpuIndex);
}

/* The vCPU threads of D's QEMU found by the names QEMU gives them with
 * debug-threads=on ("CPU <index>/<accelerator>"), in index order, what
 * query-cpus-fast would say. -1 unless they are exactly the vCPUs the live
 * definition has (a hotplug under way, single-threaded TCG's one "ALL
 * CPUs/TCG" thread): QEMU is asked then. */
static int
statsVcpuThreads(const QemuDom *d, QmpCpu **cpus)
{
    unsigned int want = d->def->curVcpus ? d->def->curVcpus : d->def->vcpus;
    char path[64];
    struct dirent *e;
    QmpCpu *list;
    int n = 0;
    DIR *dir;

    snprintf(path, sizeof(path), "/proc/%ld/task", (long)d->pid);
    if (!(dir = opendir(path)))
        return -1;
    list = allocArray(want + 1, sizeof(*list));
    while ((e = readdir(dir))) {
        char comm[32] = "", accel;
        long long tid = strtoll(e->d_name, NULL, 10);
        int idx;
        FILE *f;

        if (tid <= 0)
            continue;
        snprintf(path, sizeof(path), "/proc/%ld/task/%lld/comm",
                 (long)d->pid, tid);
        if (!(f = fopen(path, "re")))
            continue;
        if (!fgets(comm, sizeof(comm), f))
            comm[0] = '\0';
        fclose(f);
        if (sscanf(comm, "CPU %d/%c", &idx, &accel) != 2 || idx < 0)
            continue;
        if ((unsigned int)n == want) {
            n = -1;
            break;
        }
        list[n].cpuIndex = idx;
        list[n++].threadId = tid;
    }
    closedir(dir);
    if (n < 0 || (unsigned int)n != want || n == 0) {
        free(list);
        return -1;
    }
    qsort(list, n, sizeof(*list), statsCpuCmp);
    *cpus = list;
    return n;
}

/* The queries GROUPS need for D (lock held), as a mask of 1 << STATS_Q_*.
 * A query whose answer is known is left out: no balloon device, no disk,
 * no I/O thread (the live definition follows hotplug), the vCPU threads
 * already in DATA, no dirty rate calculation. */
static unsigned int
statsQueries(const QemuDom *d, unsigned int groups, const StatsData *data)
{
    const DomainDef *def = d->def;
    const MemballoonDef *mb = def->memballoon;
    unsigned int q = 0;

    if ((groups & VIR_DOMAIN_STATS_BALLOON) && mb && mb->model &&
        strcmp(mb->model, "virtio") == 0)
        q |= 1u << STATS_Q_BALLOON;
    if ((groups & VIR_DOMAIN_STATS_VCPU) && !data->ncpus)
        q |= 1u << STATS_Q_CPUS;
    if ((groups & VIR_DOMAIN_STATS_BLOCK) && def->ndisks > 0)
        q |= 1u << STATS_Q_BLOCK | 1u << STATS_Q_BLOCKSTATS;
    if ((groups & VIR_DOMAIN_STATS_IOTHREAD) && def->iothreads > 0)
        q |= 1u << STATS_Q_IOTHREADS;
    if ((groups & VIR_DOMAIN_STATS_DIRTYRATE) && !data->dirty)
        q |= 1u << STATS_Q_DIRTY;
    return q;
}

/* Send W's queries to its QEMU without waiting (lock held). A domain QEMU
 * cannot be asked about gets a record from what is known. */
static void
statsAsk(StatsWork *w, unsigned int groups, unsigned int flags)
{
    QemuDom *d = w->d;
    unsigned int want;

    if (!qemuDomIsActive(d))
        return;
    if ((groups & VIR_DOMAIN_STATS_VCPU) &&
        (w->q.ncpus = statsVcpuThreads(d, &w->q.cpus)) < 0)
        w->q.ncpus = 0;
    /* the driver never starts a dirty rate calculation: unless a client
     * could have, there is none, as query-dirty-rate would say */
    if ((groups & VIR_DOMAIN_STATS_DIRTYRATE) && !d->monPassthrough)
        w->q.dirty = json_tokener_parse("{\"status\": \"unstarted\", "
                                        "\"start-time\": 0, "
                                        "\"calc-time\": 0}");
    if (!d->mon ||
        ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT) && d->job) ||
        !(want = statsQueries(d, groups, &w->q)))
        return;
    for (int k = 0; k < STATS_Q_LAST; k++) {
        if (!(want & (1u << k)))
            continue;
        w->kinds[w->ncmds] = k;
        w->cmds[w->ncmds++] = qmpCommandNew(statsQueryNames[k], NULL);
    }
    if (!(w->mon = qemuProcessMonAcquire(d)))
        return;
    if (!(w->batch = qmpBatchSend(w->mon, w->cmds, w->ncmds, 0))) {
        qemuProcessMonRelease(d);
        w->mon = NULL;
    }
}

/* Wait for W's answers and decode them (no lock held). */
static void
statsCollect(StatsWork *w)
{
    json_object *replies[STATS_Q_LAST] = { NULL };
    StatsData *s = &w->q;

    if (w->batch)
        qmpBatchWait(w->batch, replies);
    w->batch = NULL;
    for (int i = 0; i < w->ncmds; i++) {
        json_object *r = replies[i];

        if (!r)
            continue;
        switch (w->kinds[i]) {
        case STATS_Q_BALLOON:
            s->haveBalloon = qmpQueryBalloonReply(r, &s->balloon) == 0;
            break;
        case STATS_Q_CPUS:
            s->ncpus = qmpQueryCpusFastReply(r, &s->cpus);
            break;
        case STATS_Q_BLOCK:
            s->nblk = qmpQueryBlockReply(r, &s->blk);
            break;
        case STATS_Q_BLOCKSTATS:
            s->nbst = qmpQueryBlockstatsReply(r, &s->bst);
            break;
        case STATS_Q_IOTHREADS:
            s->niot = qmpQueryIothreadsReply(r, &s->iot);
            break;
        case STATS_Q_DIRTY:
            s->dirty = json_object_get(qmpReplyReturn(r, "query-dirty-rate",
                                                      json_type_object));
            break;
        }
        json_object_put(r);
    }
    for (int i = 0; i < w->ncmds; i++)
        json_object_put(w->cmds[i]);
    w->ncmds = 0;
    s->ncpus = s->ncpus < 0 ? 0 : s->ncpus;
    s->nblk = s->nblk < 0 ? 0 : s->nblk;
    s->nbst = s->nbst < 0 ? 0 : s->nbst;
    s->niot = s->niot < 0 ? 0 : s->niot;
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

    if (statsProcTimes(d->pid, 0, &user, &sys) < 0) {
        statULL(s, qemuProcessCpuTime(d), "cpu.time");
        return;
    }
    statULL(s, user + sys, "cpu.time");
    statULL(s, user, "cpu.user");
    statULL(s, sys, "cpu.system");
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

static void
statsBlockOne(const DiskDef *disk, size_t i, const StatsData *q,
              StatList *s)
{
    const QmpBlockStats *b = NULL;
    const QmpBlockInfo *bi = NULL;
    unsigned long long virt, actual;
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
    virt = bi ? (unsigned long long)bi->virtualSize : 0;
    actual = bi ? (unsigned long long)bi->actualSize : 0;
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

/* The records of the N domains DOMS (each referenced; the references are
 * dropped), in that order. Lock held, released while QEMU answers. */
static virDomainStatsRecordPtr *
statsRecords(QemuDriver *drv, QemuDom **doms, size_t n, unsigned int groups,
             unsigned int flags)
{
    virDomainStatsRecordPtr *recs = allocArray(n + 1, sizeof(*recs));
    StatsWork *work = allocArray(n > 0 ? n : 1, sizeof(*work));

    /* every QEMU gets its questions first, then all answer at once */
    for (size_t i = 0; i < n; i++) {
        work[i].d = doms[i];
        statsAsk(&work[i], groups, flags);
    }
    errorReset();
    pthread_mutex_unlock(&drv->lock);
    for (size_t i = 0; i < n; i++)
        statsCollect(&work[i]);
    pthread_mutex_lock(&drv->lock);
    for (size_t i = 0; i < n; i++) {
        StatList s = { NULL, 0, 0 };
        QemuDom *d = work[i].d;

        if (work[i].mon)
            qemuProcessMonRelease(d);
        statsFormat(d, groups, &work[i].q, &s);
        statsDataClear(&work[i].q);
        ALLOC(recs[i]);
        recs[i]->dom = qemuDomObject(drv, d);
        recs[i]->params = s.list;
        recs[i]->nparams = s.n;
        qemuDomUnref(d);
    }
    free(work);
    return recs;
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

static int
qemuConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                             virDomainStatsRecordPtr **retStats,
                             unsigned int flags)
{
    QemuDriver *drv = conn->privateData;
    QemuDom **doms;
    size_t n = 0;
    unsigned int groups;

    if (qemuGuestCheckFlags(flags, COMMON_FLAGS | 0xff, __func__) < 0 ||
        statsGroups(stats, flags, &groups) < 0)
        return -1;
    pthread_mutex_lock(&drv->lock);
    /* a snapshot of the list: the lock is dropped while QEMU answers */
    doms = allocArray(drv->ndoms + 1, sizeof(*doms));
    for (size_t i = 0; i < drv->ndoms; i++) {
        if (drv->doms[i]->removed || !statsMatch(drv->doms[i], flags))
            continue;
        doms[n] = drv->doms[i];
        qemuDomRef(doms[n++]);
    }
    *retStats = statsRecords(drv, doms, n, groups, flags);
    pthread_mutex_unlock(&drv->lock);
    free(doms);
    return (int)n;
}

static int
qemuDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                       virDomainStatsRecordPtr **retStats,
                       unsigned int flags)
{
    QemuDriver *drv = doms[0]->conn->privateData;
    QemuDom **list;
    size_t n = 0, max = 0;
    unsigned int groups;

    if (qemuGuestCheckFlags(flags, COMMON_FLAGS, __func__) < 0 ||
        statsGroups(stats, flags, &groups) < 0)
        return -1;
    while (doms[max])
        max++;
    list = allocArray(max + 1, sizeof(*list));
    pthread_mutex_lock(&drv->lock);
    for (size_t i = 0; i < max; i++) {
        QemuDom *d = qemuDomFindByUUID(drv, doms[i]->uuid);

        /* a domain that vanished meanwhile is skipped */
        if (!d)
            continue;
        list[n] = d;
        qemuDomRef(list[n++]);
    }
    *retStats = statsRecords(drv, list, n, groups, flags);
    pthread_mutex_unlock(&drv->lock);
    free(list);
    return (int)n;
}

void
qemuStatsFill(Driver *drv)
{
    drv->connectGetAllDomainStats = qemuConnectGetAllDomainStats;
    drv->domainListGetStats = qemuDomainListGetStats;
}
