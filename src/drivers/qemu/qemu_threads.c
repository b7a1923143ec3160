/* qemu_threads.c: the threads of a QEMU: vCPU info and pinning, the
 * emulator threads, IOThreads (info, pin, add, delete, parameters), CPU
 * statistics. Live values come from the kernel (affinity, /proc) and QEMU
 * (query-cpus-fast, query-iothreads), never from the definition. */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_tune.h"
#include "conf/cpupin.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "typedparam.h"
#include "xtree.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#define AFFECT (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

int
qemuThreadsHostCpus(void)
{
    int n = get_nprocs_conf();

    return n > 0 ? n : 1;
}

/* ---- cpu sets and maps ---- */

int
qemuThreadsParseSet(const char *set, unsigned char *cpumap, int maplen,
                    const char *what)
{
    int ncpus = qemuThreadsHostCpus();
    const char *p = set;

    memset(cpumap, 0, maplen);
    if (!set) {
        for (int i = 0; i < ncpus && i < maplen * 8; i++)
            VIR_USE_CPU(cpumap, i);
        return 0;
    }
    while (*p) {
        bool neg = *p == '^';
        char *end;
        long a, b;

        p += neg;
        a = strtol(p, &end, 10);
        if (end == p || a < 0)
            goto bad;
        b = a;
        if (*end == '-') {
            p = end + 1;
            b = strtol(p, &end, 10);
            if (end == p || b < a)
                goto bad;
        }
        for (long i = a; i <= b && i < maplen * 8; i++) {
            if (neg)
                VIR_UNUSE_CPU(cpumap, i);
            else
                VIR_USE_CPU(cpumap, i);
        }
        p = end;
        if (*p == ',')
            p++;
        else if (*p)
            goto bad;
    }
    return 0;
 bad:
    reportError(VIR_ERR_INVALID_ARG, "malformed cpu set '%s' in %s", set,
                what);
    return -1;
}

/* "0-2,5" for CPUMAP (caller frees). */
static char *
thrFormatMap(const unsigned char *cpumap, int maplen)
{
    Buf b = { 0 };
    int n = maplen * 8;

    for (int i = 0; i < n; i++) {
        int j = i;

        if (!VIR_CPU_USABLE(cpumap, maplen, 0, i))
            continue;
        while (j + 1 < n && VIR_CPU_USABLE(cpumap, maplen, 0, j + 1))
            j++;
        bufPrintf(&b, "%s%d", b.len ? "," : "", i);
        if (j > i)
            bufPrintf(&b, "-%d", j);
        i = j;
    }
    return b.len ? bufTake(&b) : allocStrdup("");
}

/* Check a caller's CPUMAP: not empty, no CPU the host lacks. */
static int
thrCheckMap(const unsigned char *cpumap, int maplen)
{
    int ncpus = qemuThreadsHostCpus();
    bool any = false;

    if (maplen <= 0) {
        reportError(VIR_ERR_INVALID_ARG, "invalid cpumap length %d", maplen);
        return -1;
    }
    for (int i = 0; i < maplen * 8; i++) {
        if (!VIR_CPU_USABLE(cpumap, maplen, 0, i))
            continue;
        if (i >= ncpus) {
            reportError(VIR_ERR_INVALID_ARG, "cpu %d does not exist on this "
                        "host (it has %d)", i, ncpus);
            return -1;
        }
        any = true;
    }
    if (!any) {
        reportError(VIR_ERR_INVALID_ARG, "empty cpumap: pin to at least one "
                    "cpu");
        return -1;
    }
    return 0;
}

/* The affinity of thread TID into CPUMAP. 0 or -1. */
static int
thrGetAffinity(pid_t tid, unsigned char *cpumap, int maplen)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    if (sched_getaffinity(tid, sizeof(set), &set) < 0) {
        reportSystemError(errno, "cannot get the affinity of thread %ld",
                          (long)tid);
        return -1;
    }
    memset(cpumap, 0, maplen);
    for (int i = 0; i < maplen * 8 && i < CPU_SETSIZE; i++) {
        if (CPU_ISSET(i, &set))
            VIR_USE_CPU(cpumap, i);
    }
    return 0;
}

static int
thrSetAffinity(pid_t tid, const unsigned char *cpumap, int maplen)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    for (int i = 0; i < maplen * 8 && i < CPU_SETSIZE; i++) {
        if (VIR_CPU_USABLE(cpumap, maplen, 0, i))
            CPU_SET(i, &set);
    }
    if (sched_setaffinity(tid, sizeof(set), &set) < 0) {
        reportSystemError(errno, "cannot set the affinity of thread %ld",
                          (long)tid);
        return -1;
    }
    return 0;
}

/* CPU time (ns) and last CPU of thread TID of PID from /proc. */
static int
thrStat(pid_t pid, pid_t tid, unsigned long long *ns, int *cpu)
{
    char path[96], buf[1024], *p;
    unsigned long long ut = 0, st = 0;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%ld/task/%ld/stat", (long)pid,
             (long)tid);
    if (!(f = fopen(path, "re"))) {
        reportSystemError(errno, "cannot read '%s'", path);
        return -1;
    }
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* after the ")" ending the name: state is field 3, utime 14, stime
     * 15, processor 39 */
    if (!(p = strrchr(buf, ')')) ||
        sscanf(p + 2, "%*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu "
               "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
               "%*s %*s %*s %*s %*s %*s %d", &ut, &st, cpu) != 3) {
        reportError(VIR_ERR_INTERNAL_ERROR, "cannot parse '%s'", path);
        return -1;
    }
    *ns = (ut + st) * (1000000000ULL / sysconf(_SC_CLK_TCK));
    return 0;
}

/* ---- the threads, from QEMU ---- */

typedef struct {
    QmpCpu *cpus;
    int n;
} ThrCpus;

static int
thrQueryCpus(Qmp *mon, void *opaque)
{
    ThrCpus *c = opaque;

    return (c->n = qmpQueryCpusFast(mon, &c->cpus)) < 0 ? -1 : 0;
}

typedef struct {
    QmpIothread *threads;
    int n;
} ThrIothreads;

static int
thrQueryIothreads(Qmp *mon, void *opaque)
{
    ThrIothreads *t = opaque;

    return (t->n = qmpQueryIothreads(mon, &t->threads)) < 0 ? -1 : 0;
}

unsigned int
qemuThreadsIothreadId(const char *name)
{
    char *end;
    unsigned long id;

    if (!name || strncmp(name, "iothread", 8) != 0)
        return 0;
    id = strtoul(name + 8, &end, 10);
    return *end ? 0 : id;
}

/* The host thread of vCPU VCPU (0 when offline), or -1 with an error. */
static pid_t
thrVcpuTid(QemuDom *d, unsigned int vcpu)
{
    ThrCpus c = { 0 };
    pid_t tid = 0;

    if (qemuTuneMonitor(d, thrQueryCpus, &c) < 0)
        return -1;
    for (int i = 0; i < c.n; i++) {
        if (c.cpus[i].cpuIndex == (int)vcpu)
            tid = c.cpus[i].threadId;
    }
    qmpCpuListFree(c.cpus, c.n);
    return tid;
}

/* The host thread of IOThread ID, or -1 with VIR_ERR_INVALID_ARG. */
static pid_t
thrIothreadTid(QemuDom *d, unsigned int id)
{
    ThrIothreads t = { 0 };
    pid_t tid = 0;

    if (qemuTuneMonitor(d, thrQueryIothreads, &t) < 0)
        return -1;
    for (int i = 0; i < t.n; i++) {
        if (qemuThreadsIothreadId(t.threads[i].id) == id)
            tid = t.threads[i].threadId;
    }
    qmpIothreadListFree(t.threads, t.n);
    if (!tid) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no IOThread %u",
                    d->def->name, id);
        return -1;
    }
    return tid;
}

/* ---- pins in a definition ---- */

/* ---- applying the definition at start ---- */

int
qemuThreadsForOthers(pid_t pid, const long long *skip, size_t nskip,
                     int (*fn)(pid_t tid, void *opaque), void *opaque)
{
    char path[64];
    DIR *dir;
    struct dirent *e;
    int ret = 0;

    snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
    if (!(dir = opendir(path))) {
        reportSystemError(errno, "cannot list the threads of QEMU %ld",
                          (long)pid);
        return -1;
    }
    while (ret == 0 && (e = readdir(dir))) {
        long tid = strtol(e->d_name, NULL, 10);
        bool skipped = false;

        for (size_t i = 0; i < nskip; i++)
            skipped |= skip[i] == tid;
        if (tid > 0 && !skipped)
            ret = fn((pid_t)tid, opaque);
    }
    closedir(dir);
    return ret;
}

typedef struct {
    const unsigned char *cpumap;
    int maplen;
} ThrMap;

static int
thrPinOne(pid_t tid, void *opaque)
{
    const ThrMap *m = opaque;

    if (thrSetAffinity(tid, m->cpumap, m->maplen) == 0)
        return 0;
    if (errno != ESRCH)
        return -1;
    errorReset();               /* a worker thread that just ended */
    return 0;
}

/* Every thread of PID but the ones in SKIP (NSKIP) to CPUMAP. */
static int
thrPinOthers(pid_t pid, const long long *skip, size_t nskip,
             const unsigned char *cpumap, int maplen)
{
    ThrMap m = { cpumap, maplen };

    return qemuThreadsForOthers(pid, skip, nskip, thrPinOne, &m);
}

/* The vCPU and IOThread tids of the QEMU on MON (caller frees). */
static int
thrSpecialTids(Qmp *mon, long long **tids, size_t *n)
{
    QmpCpu *cpus = NULL;
    QmpIothread *its = NULL;
    int nc, ni;

    *tids = NULL;
    *n = 0;
    if ((nc = qmpQueryCpusFast(mon, &cpus)) < 0)
        return -1;
    if ((ni = qmpQueryIothreads(mon, &its)) < 0) {
        qmpCpuListFree(cpus, nc);
        return -1;
    }
    ALLOC_N(*tids, nc + ni + 1);
    for (int i = 0; i < nc; i++)
        (*tids)[(*n)++] = cpus[i].threadId;
    for (int i = 0; i < ni; i++)
        (*tids)[(*n)++] = its[i].threadId;
    qmpCpuListFree(cpus, nc);
    qmpIothreadListFree(its, ni);
    return 0;
}

int
qemuThreadsApplyPins(Qmp *mon, pid_t pid, const DomainDef *def)
{
    int maplen = VIR_CPU_MAPLEN(qemuThreadsHostCpus());
    unsigned char *map = allocZero(maplen);
    const CpuTune *ct = &def->cputune;
    long long *tids = NULL;
    size_t ntids = 0;
    QmpCpu *cpus = NULL;
    QmpIothread *its = NULL;
    int nc = 0, ni = 0, ret = -1;

    if (!def->cpuset && !ct->nvcpupin && !ct->emulatorpin &&
        !ct->niothreadpin) {
        free(map);
        return 0;
    }
    if ((nc = qmpQueryCpusFast(mon, &cpus)) < 0 ||
        (ni = qmpQueryIothreads(mon, &its)) < 0)
        goto cleanup;
    ALLOC_N(tids, nc + ni + 1);
    for (int i = 0; i < nc; i++)
        tids[ntids++] = cpus[i].threadId;
    for (int i = 0; i < ni; i++)
        tids[ntids++] = its[i].threadId;
    if (ct->emulatorpin || def->cpuset) {
        if (qemuThreadsParseSet(ct->emulatorpin ? ct->emulatorpin
                                : def->cpuset, map, maplen,
                                "<emulatorpin>") < 0 ||
            thrPinOthers(pid, tids, ntids, map, maplen) < 0)
            goto cleanup;
    }
    for (int i = 0; i < nc; i++) {
        const char *set = cpupinVcpuSet(def, cpus[i].cpuIndex);

        if (set && (qemuThreadsParseSet(set, map, maplen, "<vcpupin>") < 0 ||
                    thrSetAffinity(cpus[i].threadId, map, maplen) < 0))
            goto cleanup;
    }
    for (int i = 0; i < ni; i++) {
        CpuPin *p = cpupinFind(ct->iothreadpin, ct->niothreadpin,
                               qemuThreadsIothreadId(its[i].id));
        const char *set = p ? p->cpuset : def->cpuset;

        if (set && (qemuThreadsParseSet(set, map, maplen,
                                        "<iothreadpin>") < 0 ||
                    thrSetAffinity(its[i].threadId, map, maplen) < 0))
            goto cleanup;
    }
    ret = 0;
 cleanup:
    if (nc > 0)
        qmpCpuListFree(cpus, nc);
    if (ni > 0)
        qmpIothreadListFree(its, ni);
    free(tids);
    free(map);
    return ret;
}

/* ---- vCPUs ---- */

static int
qemuDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                   unsigned char *cpumaps, int maplen)
{
    QemuDom *d;
    ThrCpus c = { 0 };
    int ret = -1, n = 0;

    if (maxinfo < 1 || (cpumaps && maplen < 1)) {
        reportError(VIR_ERR_INVALID_ARG, "invalid vcpu array size %d or "
                    "cpumap length %d", maxinfo, maplen);
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, false, true)))
        return -1;
    if (qemuTuneMonitor(d, thrQueryCpus, &c) < 0)
        goto cleanup;
    if (cpumaps)
        memset(cpumaps, 0, (size_t)maxinfo * maplen);
    for (int i = 0; i < c.n && n < maxinfo; i++, n++) {
        int cpu = -1;
        unsigned long long ns = 0;

        if (thrStat(d->pid, c.cpus[i].threadId, &ns, &cpu) < 0)
            goto cleanup;
        info[n].number = c.cpus[i].cpuIndex;
        info[n].state = VIR_VCPU_RUNNING;
        info[n].cpuTime = ns;
        info[n].cpu = cpu;
        if (cpumaps && thrGetAffinity(c.cpus[i].threadId,
                                      VIR_GET_CPUMAP(cpumaps, maplen, n),
                                      maplen) < 0)
            goto cleanup;
    }
    ret = n;
 cleanup:
    qmpCpuListFree(c.cpus, c.n);
    qemuTuneEnd(d, false);
    return ret;
}

static int
qemuDomainGetVcpuPinInfo(virDomainPtr dom, int ncpumaps,
                         unsigned char *cpumaps, int maplen,
                         unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL, *def;
    ThrCpus c = { 0 };
    int ret = -1, n;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0)
        return -1;
    if (ncpumaps < 1 || maplen < 1) {
        reportError(VIR_ERR_INVALID_ARG, "invalid cpumap count %d or length "
                    "%d", ncpumaps, maplen);
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, flags, true, &live, &config) < 0 ||
        (live && qemuTuneMonitor(d, thrQueryCpus, &c) < 0))
        goto cleanup;
    def = live ? live : config;
    n = (int)def->vcpus < ncpumaps ? (int)def->vcpus : ncpumaps;
    memset(cpumaps, 0, (size_t)ncpumaps * maplen);
    for (int v = 0; v < n; v++) {
        unsigned char *map = VIR_GET_CPUMAP(cpumaps, maplen, v);
        pid_t tid = 0;

        for (int i = 0; i < c.n; i++) {
            if (c.cpus[i].cpuIndex == v)
                tid = c.cpus[i].threadId;
        }
        /* a running vCPU: what the kernel has; an offline one: the def */
        if (tid ? thrGetAffinity(tid, map, maplen) < 0
                : qemuThreadsParseSet(cpupinVcpuSet(def, v), map, maplen,
                                      "<vcpupin>") < 0)
            goto cleanup;
    }
    ret = n;
 cleanup:
    qmpCpuListFree(c.cpus, c.n);
    qemuTuneEnd(d, false);
    return ret;
}

static int
qemuDomainPinVcpuFlags(virDomainPtr dom, unsigned int vcpu,
                       unsigned char *cpumap, int maplen, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    char *set = NULL, name[VIR_TYPED_PARAM_FIELD_LENGTH];
    pid_t tid;
    int ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        thrCheckMap(cpumap, maplen) < 0 ||
        !(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0)
        goto cleanup;
    if ((live && vcpu >= live->vcpus) || (config && vcpu >= config->vcpus)) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no vcpu %u",
                    d->def->name, vcpu);
        goto cleanup;
    }
    set = thrFormatMap(cpumap, maplen);
    if (live) {
        if ((tid = thrVcpuTid(d, vcpu)) < 0)
            goto cleanup;
        if (!tid) {
            reportError(VIR_ERR_OPERATION_INVALID, "vcpu %u of domain '%s' "
                        "is offline", vcpu, d->def->name);
            goto cleanup;
        }
        if (thrSetAffinity(tid, cpumap, maplen) < 0)
            goto cleanup;
        cpupinSet(&live->cputune.vcpupin, &live->cputune.nvcpupin, vcpu, set);
        live->cputune.present = true;
        snprintf(name, sizeof(name), VIR_DOMAIN_TUNABLE_CPU_VCPUPIN, vcpu);
        qemuTuneEventString(d, name, set);
    }
    if (config) {
        cpupinSet(&config->cputune.vcpupin, &config->cputune.nvcpupin, vcpu,
                  set);
        config->cputune.present = true;
    }
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    free(set);
    qemuTuneEnd(d, true);
    return ret;
}

static int
qemuDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                  int maplen)
{
    return qemuDomainPinVcpuFlags(dom, vcpu, cpumap, maplen,
                                  VIR_DOMAIN_AFFECT_LIVE);
}

/* ---- emulator threads ---- */

static int
qemuDomainGetEmulatorPinInfo(virDomainPtr dom, unsigned char *cpumap,
                             int maplen, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    int ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0)
        return -1;
    if (maplen < 1) {
        reportError(VIR_ERR_INVALID_ARG, "invalid cpumap length %d", maplen);
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, flags, true, &live, &config) < 0)
        goto cleanup;
    if (live ? thrGetAffinity(d->pid, cpumap, maplen) < 0
             : qemuThreadsParseSet(config->cputune.emulatorpin ?
                                   config->cputune.emulatorpin :
                                   config->cpuset, cpumap, maplen,
                                   "<emulatorpin>") < 0)
        goto cleanup;
    ret = 1;
 cleanup:
    qemuTuneEnd(d, false);
    return ret;
}

typedef struct {
    pid_t pid;
    const unsigned char *cpumap;
    int maplen;
} ThrPinOthers;

/* Monitor step of a live emulator pin: every thread but vCPUs and
 * IOThreads (lock not held). */
static int
thrPinEmulator(Qmp *mon, void *opaque)
{
    ThrPinOthers *o = opaque;
    long long *tids = NULL;
    size_t n = 0;
    int ret;

    if (thrSpecialTids(mon, &tids, &n) < 0)
        return -1;
    ret = thrPinOthers(o->pid, tids, n, o->cpumap, o->maplen);
    free(tids);
    return ret;
}

static int
qemuDomainPinEmulator(virDomainPtr dom, unsigned char *cpumap, int maplen,
                      unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    ThrPinOthers o = { 0, cpumap, maplen };
    char *set = NULL;
    int ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        thrCheckMap(cpumap, maplen) < 0 ||
        !(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0)
        goto cleanup;
    set = thrFormatMap(cpumap, maplen);
    if (live) {
        o.pid = d->pid;
        if (qemuTuneMonitor(d, thrPinEmulator, &o) < 0)
            goto cleanup;
        free(live->cputune.emulatorpin);
        live->cputune.emulatorpin = allocStrdup(set);
        live->cputune.present = true;
        qemuTuneEventString(d, VIR_DOMAIN_TUNABLE_CPU_EMULATORPIN, set);
    }
    if (config) {
        free(config->cputune.emulatorpin);
        config->cputune.emulatorpin = allocStrdup(set);
        config->cputune.present = true;
    }
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    free(set);
    qemuTuneEnd(d, true);
    return ret;
}

/* ---- IOThreads ---- */

/* <iothreadids> carried in DEF, or NULL (ids are then 1..iothreads). */
static XNode *
thrIdsNode(const DomainDef *def)
{
    for (size_t i = 0; i < def->ncarried; i++) {
        if (strcmp(def->carried[i]->name, "iothreadids") == 0)
            return def->carried[i];
    }
    return NULL;
}

/* The IOThread ids of DEF (caller frees); returns the count. */
static int
thrDefIds(const DomainDef *def, unsigned int **ids)
{
    XNode *node = thrIdsNode(def);
    int n = 0;

    ALLOC_N(*ids, (node ? node->nkids : def->iothreads) + 1);
    if (!node) {
        for (unsigned int i = 1; i <= def->iothreads; i++)
            (*ids)[n++] = i;
        return n;
    }
    for (size_t i = 0; i < node->nkids; i++) {
        const char *id = xtreeAttr(node->kids[i], "id");

        if (id && strcmp(node->kids[i]->name, "iothread") == 0)
            (*ids)[n++] = strtoul(id, NULL, 10);
    }
    return n;
}

int
qemuThreadsIothreadIds(const DomainDef *def, unsigned int **ids)
{
    return thrDefIds(def, ids);
}

static bool
thrDefHasId(const DomainDef *def, unsigned int id)
{
    unsigned int *ids;
    int n = thrDefIds(def, &ids);
    bool found = false;

    for (int i = 0; i < n; i++)
        found |= ids[i] == id;
    free(ids);
    return found;
}

/* Add or remove IOThread ID in DEF (<iothreadids> made explicit unless
 * the ids stay 1..N). */
static void
thrDefChange(DomainDef *def, unsigned int id, bool add)
{
    XNode *node = thrIdsNode(def);
    char num[16];

    if (!node && add && id == def->iothreads + 1) {
        def->iothreads++;
        return;
    }
    if (!node) {
        node = xtreeNew("iothreadids");
        for (unsigned int i = 1; i <= def->iothreads; i++) {
            XNode *kid = xtreeNew("iothread");

            snprintf(num, sizeof(num), "%u", i);
            xtreeSetAttr(kid, "id", num);
            xtreeAppend(node, kid);
        }
        allocResize(&def->carried, def->ncarried, def->ncarried + 1,
                    sizeof(*def->carried));
        def->carried[def->ncarried++] = node;
    }
    if (add) {
        XNode *kid = xtreeNew("iothread");

        snprintf(num, sizeof(num), "%u", id);
        xtreeSetAttr(kid, "id", num);
        xtreeAppend(node, kid);
        def->iothreads++;
        return;
    }
    for (size_t i = 0; i < node->nkids; i++) {
        const char *kid = xtreeAttr(node->kids[i], "id");

        if (kid && strtoul(kid, NULL, 10) == id) {
            xtreeFree(node->kids[i]);
            memmove(&node->kids[i], &node->kids[i + 1],
                    (node->nkids - i - 1) * sizeof(XNode *));
            node->nkids--;
            def->iothreads--;
            break;
        }
    }
    cpupinRemove(def->cputune.iothreadpin, &def->cputune.niothreadpin, id);
}

static virDomainIOThreadInfoPtr
thrInfoNew(unsigned int id, int maplen)
{
    virDomainIOThreadInfoPtr info;

    ALLOC(info);
    info->iothread_id = id;
    info->cpumaplen = maplen;
    info->cpumap = allocZero(maplen);
    return info;
}

/* Live IOThreads: ids from QEMU, affinity from the kernel. */
static int
thrLiveInfo(QemuDom *d, virDomainIOThreadInfoPtr **info, int maplen)
{
    ThrIothreads t = { 0 };
    virDomainIOThreadInfoPtr *list;
    int n = 0;

    if (qemuTuneMonitor(d, thrQueryIothreads, &t) < 0)
        return -1;
    ALLOC_N(list, t.n + 1);
    for (int i = 0; i < t.n; i++) {
        unsigned int id = qemuThreadsIothreadId(t.threads[i].id);

        if (!id)
            continue;
        list[n] = thrInfoNew(id, maplen);
        if (thrGetAffinity(t.threads[i].threadId, list[n++]->cpumap,
                           maplen) < 0) {
            for (int j = 0; j < n; j++)
                virDomainIOThreadInfoFree(list[j]);
            free(list);
            qmpIothreadListFree(t.threads, t.n);
            return -1;
        }
    }
    qmpIothreadListFree(t.threads, t.n);
    *info = list;
    return n;
}

static int
qemuDomainGetIOThreadInfo(virDomainPtr dom, virDomainIOThreadInfoPtr **info,
                          unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    int maplen = VIR_CPU_MAPLEN(qemuThreadsHostCpus());
    unsigned int *ids = NULL;
    int ret = -1, n;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        !(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, flags, true, &live, &config) < 0)
        goto cleanup;
    if (live) {
        ret = thrLiveInfo(d, info, maplen);
        goto cleanup;
    }
    n = thrDefIds(config, &ids);
    ALLOC_N(*info, n + 1);
    for (int i = 0; i < n; i++) {
        CpuPin *p = cpupinFind(config->cputune.iothreadpin,
                               config->cputune.niothreadpin, ids[i]);

        (*info)[i] = thrInfoNew(ids[i], maplen);
        qemuThreadsParseSet(p ? p->cpuset : config->cpuset,
                            (*info)[i]->cpumap, maplen, "<iothreadpin>");
    }
    errorReset();
    ret = n;
 cleanup:
    free(ids);
    qemuTuneEnd(d, false);
    return ret;
}

static int
qemuDomainPinIOThread(virDomainPtr dom, unsigned int iothread_id,
                      unsigned char *cpumap, int maplen, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    char *set = NULL, name[VIR_TYPED_PARAM_FIELD_LENGTH];
    pid_t tid;
    int ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        thrCheckMap(cpumap, maplen) < 0 ||
        !(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0)
        goto cleanup;
    if (config && !thrDefHasId(config, iothread_id)) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no IOThread %u",
                    d->def->name, iothread_id);
        goto cleanup;
    }
    set = thrFormatMap(cpumap, maplen);
    if (live) {
        if ((tid = thrIothreadTid(d, iothread_id)) < 0 ||
            thrSetAffinity(tid, cpumap, maplen) < 0)
            goto cleanup;
        cpupinSet(&live->cputune.iothreadpin, &live->cputune.niothreadpin,
                  iothread_id, set);
        live->cputune.present = true;
        snprintf(name, sizeof(name), VIR_DOMAIN_TUNABLE_CPU_IOTHREADSPIN,
                 iothread_id);
        qemuTuneEventString(d, name, set);
    }
    if (config) {
        cpupinSet(&config->cputune.iothreadpin,
                  &config->cputune.niothreadpin, iothread_id, set);
        config->cputune.present = true;
    }
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    free(set);
    qemuTuneEnd(d, true);
    return ret;
}

typedef struct {
    char id[32];
    bool add;
    const DomainDef *def;       /* the live one */
    pid_t pid;
} ThrObject;

static int
thrObjectChange(Qmp *mon, void *opaque)
{
    ThrObject *o = opaque;

    if ((o->add ? qmpObjectAdd(mon, "iothread", o->id, NULL)
                : qmpObjectDel(mon, o->id)) < 0)
        return -1;
    /* a new thread joins the per-thread cpu groups, a gone one leaves */
    qemuTuneThreadsChanged(mon, o->pid, o->def);
    return 0;
}

/* True when a disk of DEF runs on IOThread ID. */
static bool
thrIothreadUsed(const DomainDef *def, unsigned int id)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const XExtra *x = &def->disks[i]->driverExtra;

        for (size_t j = 0; j < x->nattrs; j++) {
            if (strcmp(x->attrs[j].name, "iothread") == 0 &&
                strtoul(x->attrs[j].value, NULL, 10) == id)
                return true;
        }
    }
    return false;
}

static int
thrChange(virDomainPtr dom, unsigned int id, unsigned int flags, bool add)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    ThrObject o = { .add = add };
    int ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0)
        return -1;
    if (id == 0 || id > 100000) {
        reportError(VIR_ERR_INVALID_ARG, "invalid IOThread id %u", id);
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0)
        goto cleanup;
    for (int i = 0; i < 2; i++) {
        DomainDef *def = i ? config : live;

        if (!def)
            continue;
        if (thrDefHasId(def, id) == add) {
            reportError(VIR_ERR_INVALID_ARG, add ? "domain '%s' already has "
                        "IOThread %u" : "domain '%s' has no IOThread %u",
                        d->def->name, id);
            goto cleanup;
        }
        if (!add && thrIothreadUsed(def, id)) {
            reportError(VIR_ERR_OPERATION_INVALID, "IOThread %u of domain "
                        "'%s' is in use by a disk", id, d->def->name);
            goto cleanup;
        }
    }
    snprintf(o.id, sizeof(o.id), "iothread%u", id);
    o.def = d->def;
    o.pid = d->pid;
    if (live) {
        if (qemuTuneMonitor(d, thrObjectChange, &o) < 0)
            goto cleanup;
        thrDefChange(live, id, add);
    }
    if (config)
        thrDefChange(config, id, add);
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    qemuTuneEnd(d, true);
    return ret;
}

static int
qemuDomainAddIOThread(virDomainPtr dom, unsigned int iothread_id,
                      unsigned int flags)
{
    return thrChange(dom, iothread_id, flags, true);
}

static int
qemuDomainDelIOThread(virDomainPtr dom, unsigned int iothread_id,
                      unsigned int flags)
{
    return thrChange(dom, iothread_id, flags, false);
}

static const TypedParamSpec iothreadSpec[] = {
    { VIR_DOMAIN_IOTHREAD_POLL_MAX_NS, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_IOTHREAD_POLL_GROW, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_IOTHREAD_POLL_SHRINK, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_IOTHREAD_THREAD_POOL_MIN, VIR_TYPED_PARAM_INT, false },
    { VIR_DOMAIN_IOTHREAD_THREAD_POOL_MAX, VIR_TYPED_PARAM_INT, false },
    { NULL, 0, false }
};

typedef struct {
    char path[64];
    virTypedParameterPtr params;
    int nparams;
} ThrSetParams;

static int
thrQomSet(Qmp *mon, void *opaque)
{
    ThrSetParams *s = opaque;

    for (int i = 0; i < s->nparams; i++) {
        const virTypedParameter *p = &s->params[i];
        const char *prop =
            strcmp(p->field, VIR_DOMAIN_IOTHREAD_POLL_MAX_NS) == 0 ?
            "poll-max-ns" :
            strcmp(p->field, VIR_DOMAIN_IOTHREAD_POLL_GROW) == 0 ?
            "poll-grow" :
            strcmp(p->field, VIR_DOMAIN_IOTHREAD_POLL_SHRINK) == 0 ?
            "poll-shrink" :
            strcmp(p->field, VIR_DOMAIN_IOTHREAD_THREAD_POOL_MIN) == 0 ?
            "thread-pool-min" : "thread-pool-max";
        long long v = p->type == VIR_TYPED_PARAM_ULLONG ? (long long)p->value.ul
            : p->type == VIR_TYPED_PARAM_UINT ? (long long)p->value.ui
            : p->value.i;

        if (qmpQomSet(mon, s->path, prop, json_object_new_int64(v)) < 0)
            return -1;
    }
    return 0;
}

static int
qemuDomainSetIOThreadParams(virDomainPtr dom, unsigned int iothread_id,
                            virTypedParameterPtr params, int nparams,
                            unsigned int flags)
{
    QemuDom *d;
    ThrSetParams s = { .params = params, .nparams = nparams };
    int ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        typedParamsValidate(params, nparams, iothreadSpec) < 0)
        return -1;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "IOThread parameters can "
                    "only be changed on the running domain");
        return -1;
    }
    if (!(d = qemuTuneBegin(dom, true, true)))
        return -1;
    if (thrIothreadTid(d, iothread_id) < 0)
        goto cleanup;
    snprintf(s.path, sizeof(s.path), "/objects/iothread%u", iothread_id);
    ret = qemuTuneMonitor(d, thrQomSet, &s);
 cleanup:
    qemuTuneEnd(d, true);
    return ret;
}

void
qemuThreadsFill(Driver *drv)
{
    drv->domainGetVcpus = qemuDomainGetVcpus;
    drv->domainGetVcpuPinInfo = qemuDomainGetVcpuPinInfo;
    drv->domainPinVcpu = qemuDomainPinVcpu;
    drv->domainPinVcpuFlags = qemuDomainPinVcpuFlags;
    drv->domainGetEmulatorPinInfo = qemuDomainGetEmulatorPinInfo;
    drv->domainPinEmulator = qemuDomainPinEmulator;
    drv->domainGetIOThreadInfo = qemuDomainGetIOThreadInfo;
    drv->domainPinIOThread = qemuDomainPinIOThread;
    drv->domainAddIOThread = qemuDomainAddIOThread;
    drv->domainDelIOThread = qemuDomainDelIOThread;
    drv->domainSetIOThreadParams = qemuDomainSetIOThreadParams;
}
