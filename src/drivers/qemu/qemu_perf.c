/* qemu_perf.c: perf event counters on QEMU processes (perf_event_open on
 * every thread, inherited by new ones), enabled per domain; the <perf>
 * element of the definition applies them at start */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_tune.h"

#include "alloc.h"
#include "error.h"
#include "log.h"
#include "typedparam.h"
#include "xtree.h"

#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define AFFECT (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

typedef struct {
    const char *name;
    int type;                   /* PERF_TYPE_*, -1: needs resctrl */
    unsigned long long config;
} PerfEvent;

static const PerfEvent perfEvents[] = {
    { VIR_PERF_PARAM_CMT, -1, 0 },
    { VIR_PERF_PARAM_MBMT, -1, 0 },
    { VIR_PERF_PARAM_MBML, -1, 0 },
    { VIR_PERF_PARAM_CPU_CYCLES, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_CPU_CYCLES },
    { VIR_PERF_PARAM_INSTRUCTIONS, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_INSTRUCTIONS },
    { VIR_PERF_PARAM_CACHE_REFERENCES, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_CACHE_REFERENCES },
    { VIR_PERF_PARAM_CACHE_MISSES, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_CACHE_MISSES },
    { VIR_PERF_PARAM_BRANCH_INSTRUCTIONS, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
    { VIR_PERF_PARAM_BRANCH_MISSES, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_BRANCH_MISSES },
    { VIR_PERF_PARAM_BUS_CYCLES, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_BUS_CYCLES },
    { VIR_PERF_PARAM_STALLED_CYCLES_FRONTEND, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
    { VIR_PERF_PARAM_STALLED_CYCLES_BACKEND, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
    { VIR_PERF_PARAM_REF_CPU_CYCLES, PERF_TYPE_HARDWARE,
      PERF_COUNT_HW_REF_CPU_CYCLES },
    { VIR_PERF_PARAM_CPU_CLOCK, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
    { VIR_PERF_PARAM_TASK_CLOCK, PERF_TYPE_SOFTWARE,
      PERF_COUNT_SW_TASK_CLOCK },
    { VIR_PERF_PARAM_PAGE_FAULTS, PERF_TYPE_SOFTWARE,
      PERF_COUNT_SW_PAGE_FAULTS },
    { VIR_PERF_PARAM_CONTEXT_SWITCHES, PERF_TYPE_SOFTWARE,
      PERF_COUNT_SW_CONTEXT_SWITCHES },
    { VIR_PERF_PARAM_CPU_MIGRATIONS, PERF_TYPE_SOFTWARE,
      PERF_COUNT_SW_CPU_MIGRATIONS },
    { VIR_PERF_PARAM_PAGE_FAULTS_MIN, PERF_TYPE_SOFTWARE,
      PERF_COUNT_SW_PAGE_FAULTS_MIN },
    { VIR_PERF_PARAM_PAGE_FAULTS_MAJ, PERF_TYPE_SOFTWARE,
      PERF_COUNT_SW_PAGE_FAULTS_MAJ },
    { VIR_PERF_PARAM_ALIGNMENT_FAULTS, PERF_TYPE_SOFTWARE,
      PERF_COUNT_SW_ALIGNMENT_FAULTS },
    { VIR_PERF_PARAM_EMULATION_FAULTS, PERF_TYPE_SOFTWARE,
      PERF_COUNT_SW_EMULATION_FAULTS },
};
#define NEVENTS (sizeof(perfEvents) / sizeof(perfEvents[0]))

/* The counters of one QEMU: one fd per thread per enabled event. Keyed by
 * pid: they belong to the process, whichever connection sees it. */
typedef struct {
    pid_t pid;
    int *fds[NEVENTS];
    size_t nfds[NEVENTS];
    bool on[NEVENTS];
} PerfProc;

static pthread_mutex_t perfLock = PTHREAD_MUTEX_INITIALIZER;
static PerfProc **perfProcs;
static size_t nperfProcs;

static PerfProc *
perfFind(pid_t pid, bool create)
{
    PerfProc *p;

    for (size_t i = 0; i < nperfProcs; i++) {
        if (perfProcs[i]->pid == pid)
            return perfProcs[i];
    }
    if (!create)
        return NULL;
    ALLOC(p);
    p->pid = pid;
    allocResize(&perfProcs, nperfProcs, nperfProcs + 1, sizeof(*perfProcs));
    perfProcs[nperfProcs++] = p;
    return p;
}

static void
perfClose(PerfProc *p, size_t e)
{
    for (size_t i = 0; i < p->nfds[e]; i++)
        close(p->fds[e][i]);
    free(p->fds[e]);
    p->fds[e] = NULL;
    p->nfds[e] = 0;
    p->on[e] = false;
}

static int
perfIndex(const char *name)
{
    for (size_t i = 0; i < NEVENTS; i++) {
        if (strcmp(perfEvents[i].name, name) == 0)
            return i;
    }
    return -1;
}

static int
perfOpenOne(const PerfEvent *ev, pid_t tid)
{
    struct perf_event_attr attr;

    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = ev->type;
    attr.config = ev->config;
    attr.inherit = 1;
    return syscall(SYS_perf_event_open, &attr, tid, -1, -1,
                   PERF_FLAG_FD_CLOEXEC);
}

/* Open event E on every thread of P's process. 0 or -1 (nothing kept). */
static int
perfEnable(PerfProc *p, size_t e)
{
    const PerfEvent *ev = &perfEvents[e];
    char path[64];
    DIR *dir;
    struct dirent *de;
    int err = 0;

    if (ev->type < 0) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "perf event '%s' needs "
                    "Intel RDT through resctrl, which the QEMU driver does "
                    "not use", ev->name);
        return -1;
    }
    snprintf(path, sizeof(path), "/proc/%ld/task", (long)p->pid);
    if (!(dir = opendir(path))) {
        reportSystemError(errno, "cannot list the threads of QEMU %ld",
                          (long)p->pid);
        return -1;
    }
    while (!err && (de = readdir(dir))) {
        long tid = strtol(de->d_name, NULL, 10);
        int fd;

        if (tid <= 0)
            continue;
        if ((fd = perfOpenOne(ev, tid)) < 0) {
            if (errno != ESRCH)
                err = errno;
            continue;
        }
        allocResize(&p->fds[e], p->nfds[e], p->nfds[e] + 1, sizeof(int));
        p->fds[e][p->nfds[e]++] = fd;
    }
    closedir(dir);
    if (err || !p->nfds[e]) {
        perfClose(p, e);
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "perf event '%s' cannot "
                    "be counted on this host: perf_event_open: %s", ev->name,
                    strerror(err ? err : ESRCH));
        return -1;
    }
    p->on[e] = true;
    return 0;
}

/* Enable (or disable) event E on QEMU PID. */
static int
perfSet(pid_t pid, size_t e, bool on)
{
    PerfProc *p;
    int ret = 0;

    pthread_mutex_lock(&perfLock);
    p = perfFind(pid, on);
    if (on && !p->on[e])
        ret = perfEnable(p, e);
    else if (!on && p)
        perfClose(p, e);
    pthread_mutex_unlock(&perfLock);
    return ret;
}

static bool
perfIsOn(pid_t pid, size_t e)
{
    PerfProc *p;
    bool on;

    pthread_mutex_lock(&perfLock);
    p = perfFind(pid, false);
    on = p && p->on[e];
    pthread_mutex_unlock(&perfLock);
    return on;
}

void
qemuPerfStop(QemuDom *d)
{
    pthread_mutex_lock(&perfLock);
    for (size_t i = 0; i < nperfProcs; i++) {
        PerfProc *p = perfProcs[i];

        if (p->pid != d->pid)
            continue;
        for (size_t e = 0; e < NEVENTS; e++)
            perfClose(p, e);
        free(p);
        perfProcs[i] = perfProcs[--nperfProcs];
        break;
    }
    if (!nperfProcs) {
        free(perfProcs);
        perfProcs = NULL;
    }
    pthread_mutex_unlock(&perfLock);
}

int
qemuPerfStats(QemuDom *d, virTypedParameterPtr *params, int *nparams,
              int *maxparams)
{
    PerfProc *p;

    pthread_mutex_lock(&perfLock);
    p = d->pid > 0 ? perfFind(d->pid, false) : NULL;
    for (size_t e = 0; p && e < NEVENTS; e++) {
        unsigned long long sum = 0, v;
        char name[VIR_TYPED_PARAM_FIELD_LENGTH];

        if (!p->on[e])
            continue;
        for (size_t i = 0; i < p->nfds[e]; i++) {
            if (read(p->fds[e][i], &v, sizeof(v)) == sizeof(v))
                sum += v;
        }
        snprintf(name, sizeof(name), "perf.%s", perfEvents[e].name);
        typedParamsAddULLong(params, nparams, maxparams, name, sum);
    }
    pthread_mutex_unlock(&perfLock);
    return 0;
}

/* ---- <perf> in a definition ---- */

/* Whether DEF's <perf> enables event NAME. */
static bool
perfDefOn(const DomainDef *def, const char *name)
{
    for (size_t i = 0; def->perf && i < def->perf->nkids; i++) {
        XNode *k = def->perf->kids[i];
        const char *n = xtreeAttr(k, "name"), *en = xtreeAttr(k, "enabled");

        if (n && strcmp(n, name) == 0)
            return en && strcmp(en, "yes") == 0;
    }
    return false;
}

static void
perfDefSet(DomainDef *def, const char *name, bool on)
{
    XNode *k = NULL;

    if (!def->perf)
        def->perf = xtreeNew("perf");
    for (size_t i = 0; i < def->perf->nkids && !k; i++) {
        const char *n = xtreeAttr(def->perf->kids[i], "name");

        if (n && strcmp(n, name) == 0)
            k = def->perf->kids[i];
    }
    if (!k) {
        k = xtreeNew("event");
        xtreeSetAttr(k, "name", name);
        xtreeAppend(def->perf, k);
    }
    xtreeSetAttr(k, "enabled", on ? "yes" : "no");
}

int
qemuPerfValidate(const DomainDef *def)
{
    for (size_t i = 0; def->perf && i < def->perf->nkids; i++) {
        const char *n = xtreeAttr(def->perf->kids[i], "name");

        if (!n || perfIndex(n) < 0) {
            reportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown perf event '%s'",
                        n ? n : "");
            return -1;
        }
    }
    return 0;
}

int
qemuPerfStart(const DomainDef *def, pid_t pid)
{
    for (size_t e = 0; e < NEVENTS; e++) {
        if (perfDefOn(def, perfEvents[e].name) && perfSet(pid, e, true) < 0)
            return -1;
    }
    return 0;
}

/* ---- the calls ---- */

static int
qemuDomainGetPerfEvents(virDomainPtr dom, virTypedParameterPtr *params,
                        int *nparams, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    int max = 0, ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT | VIR_TYPED_PARAM_STRING_OKAY,
                           __func__) < 0 ||
        !(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, qemuTuneGetAffect(flags), true, &live,
                       &config) < 0)
        goto cleanup;
    *params = NULL;
    *nparams = 0;
    for (size_t e = 0; e < NEVENTS; e++) {
        bool on = live ? perfIsOn(d->pid, e)
                       : perfDefOn(config, perfEvents[e].name);

        typedParamsAddBoolean(params, nparams, &max, perfEvents[e].name, on);
    }
    ret = 0;
 cleanup:
    qemuTuneEnd(d, false);
    return ret;
}

static int
qemuDomainSetPerfEvents(virDomainPtr dom, virTypedParameterPtr params,
                        int nparams, unsigned int flags)
{
    TypedParamSpec spec[NEVENTS + 1];
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL;
    int ret = -1;

    for (size_t e = 0; e < NEVENTS; e++)
        spec[e] = (TypedParamSpec){ perfEvents[e].name,
                                    VIR_TYPED_PARAM_BOOLEAN, false };
    spec[NEVENTS] = (TypedParamSpec){ NULL, 0, false };
    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        typedParamsValidate(params, nparams, spec) < 0 ||
        !(d = qemuTuneBegin(dom, true, false)))
        return -1;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0)
        goto cleanup;
    for (int i = 0; i < nparams; i++) {
        int e = perfIndex(params[i].field);
        bool on = params[i].value.b;

        if (live && perfSet(d->pid, e, on) < 0)
            goto cleanup;
        if (live)
            perfDefSet(live, params[i].field, on);
        if (config)
            perfDefSet(config, params[i].field, on);
    }
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    qemuTuneEnd(d, true);
    return ret;
}

void
qemuPerfFill(Driver *drv)
{
    drv->domainGetPerfEvents = qemuDomainGetPerfEvents;
    drv->domainSetPerfEvents = qemuDomainSetPerfEvents;
}
