/* test_threads.c: test driver vcpus, pinning and IOThreads (kept in the
 * definition's <cputune> and <iothreadids>) */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "conf/cpupin.h"
#include "alloc.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AFFECT_FLAGS (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

static int
testHostCpus(const TestHost *h)
{
    return h->node.cpus > 0 ? (int)h->node.cpus : 1;
}

static unsigned int
testCurVcpus(const DomainDef *def)
{
    return def->curVcpus ? def->curVcpus : def->vcpus;
}

static int
testDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                   unsigned char *cpumaps, int maplen)
{
    TestHost *h;
    TestDomain *d;
    int n, ret = -1;
    unsigned long long t;

    if (maxinfo < 0 || (cpumaps && maplen <= 0)) {
        reportError(VIR_ERR_INVALID_ARG, "invalid maxinfo %d / maplen %d",
                    maxinfo, maplen);
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) < 0)
        goto cleanup;
    n = testCurVcpus(d->def);
    if (n > maxinfo)
        n = maxinfo;
    t = testDomainCpuTime(d);
    for (int i = 0; i < n; i++) {
        info[i].number = i;
        info[i].state = d->state == VIR_DOMAIN_RUNNING ? VIR_VCPU_RUNNING
                                                       : VIR_VCPU_BLOCKED;
        info[i].cpuTime = t / testCurVcpus(d->def);
        info[i].cpu = i % testHostCpus(h);
        if (cpumaps &&
            testCpumapParse(cpupinVcpuSet(d->def, i), testHostCpus(h),
                            VIR_GET_CPUMAP(cpumaps, maplen, i), maplen) < 0)
            goto cleanup;
    }
    ret = n;

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* Resolve the definition a get-style call reads. */
static DomainDef *
testThreadsGetDef(TestDomain *d, unsigned int flags)
{
    DomainDef *live = NULL, *config = NULL;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0 ||
        testCheckGetAffect(flags) < 0 ||
        testDomainAffect(d, flags, &live, &config) < 0)
        return NULL;
    return live ? live : config;
}

static int
testDomainGetVcpuPinInfo(virDomainPtr dom, int ncpumaps,
                         unsigned char *cpumaps, int maplen,
                         unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *def;
    int n, ret = -1;

    if (ncpumaps <= 0 || maplen <= 0) {
        reportError(VIR_ERR_INVALID_ARG, "ncpumaps (%d) and maplen (%d) "
                    "must be positive", ncpumaps, maplen);
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (!(def = testThreadsGetDef(d, flags)))
        goto cleanup;
    n = def->vcpus < (unsigned int)ncpumaps ? (int)def->vcpus : ncpumaps;
    for (int i = 0; i < n; i++) {
        if (testCpumapParse(cpupinVcpuSet(def, i), testHostCpus(h),
                            VIR_GET_CPUMAP(cpumaps, maplen, i), maplen) < 0)
            goto cleanup;
    }
    ret = n;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetEmulatorPinInfo(virDomainPtr dom, unsigned char *cpumap,
                             int maplen, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *def;
    int ret = -1;

    if (maplen <= 0) {
        reportError(VIR_ERR_INVALID_ARG, "maplen %d must be positive",
                    maplen);
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (!(def = testThreadsGetDef(d, flags)))
        goto cleanup;
    if (testCpumapParse(def->cputune.emulatorpin ? def->cputune.emulatorpin
                                                 : def->cpuset,
                        testHostCpus(h), cpumap, maplen) < 0)
        goto cleanup;
    ret = 1;

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* Shared by the pin calls: lock, resolve defs, turn CPUMAP into a set. */
static TestDomain *
testPinBegin(virDomainPtr dom, unsigned char *cpumap, int maplen,
             unsigned int flags, TestHost **h, DomainDef **live,
             DomainDef **config, char **set)
{
    TestDomain *d;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0)
        return NULL;
    if (maplen <= 0) {
        reportError(VIR_ERR_INVALID_ARG, "maplen %d must be positive",
                    maplen);
        return NULL;
    }
    if (!(d = testDomainAcquire(dom, h)))
        return NULL;
    if (testDomainAffect(d, flags, live, config) < 0 ||
        !(*set = testCpumapFormat(cpumap, maplen, testHostCpus(*h)))) {
        testHostUnlock(*h);
        return NULL;
    }
    return d;
}

static void
testPinEvent(virConnectPtr conn, TestDomain *d, const char *name,
             const char *set)
{
    virTypedParameterPtr ev = NULL;
    int n = 0, max = 0;

    typedParamsAddString(&ev, &n, &max, name, set);
    testEventTunable(conn, d, ev, n);
    typedParamsFree(ev, n);
}

static int
testDomainPinVcpuFlags(virDomainPtr dom, unsigned int vcpu,
                       unsigned char *cpumap, int maplen, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    char *set = NULL, name[VIR_TYPED_PARAM_FIELD_LENGTH];
    int ret = -1;

    if (!(d = testPinBegin(dom, cpumap, maplen, flags, &h, &live, &config,
                           &set)))
        return -1;
    if ((live && vcpu >= testCurVcpus(live)) ||
        (config && vcpu >= config->vcpus)) {
        reportError(VIR_ERR_INVALID_ARG, "vcpu %u is out of range of domain "
                    "'%s'", vcpu, d->def->name);
        goto cleanup;
    }
    if (config) {
        cpupinSet(&config->cputune.vcpupin, &config->cputune.nvcpupin,
                   vcpu, set);
        config->cputune.present = true;
    }
    if (live) {
        cpupinSet(&live->cputune.vcpupin, &live->cputune.nvcpupin, vcpu,
                   set);
        live->cputune.present = true;
        snprintf(name, sizeof(name), VIR_DOMAIN_TUNABLE_CPU_VCPUPIN, vcpu);
        testPinEvent(dom->conn, d, name, set);
    }
    ret = 0;

 cleanup:
    free(set);
    testHostUnlock(h);
    return ret;
}

static int
testDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                  int maplen)
{
    return testDomainPinVcpuFlags(dom, vcpu, cpumap, maplen,
                                  VIR_DOMAIN_AFFECT_LIVE);
}

static int
testDomainPinEmulator(virDomainPtr dom, unsigned char *cpumap, int maplen,
                      unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    char *set = NULL;

    if (!(d = testPinBegin(dom, cpumap, maplen, flags, &h, &live, &config,
                           &set)))
        return -1;
    if (config) {
        free(config->cputune.emulatorpin);
        config->cputune.emulatorpin = allocStrdup(set);
        config->cputune.present = true;
    }
    if (live) {
        free(live->cputune.emulatorpin);
        live->cputune.emulatorpin = allocStrdup(set);
        live->cputune.present = true;
        testPinEvent(dom->conn, d, VIR_DOMAIN_TUNABLE_CPU_EMULATORPIN, set);
    }
    free(set);
    testHostUnlock(h);
    return 0;
}

/* ---- IOThreads: ids in <iothreadids> (1..<iothreads> when absent) ---- */

static XNode *
testIOThreadIdsNode(const DomainDef *def)
{
    for (size_t i = 0; i < def->ncarried; i++) {
        if (strcmp(def->carried[i]->name, "iothreadids") == 0)
            return def->carried[i];
    }
    return NULL;
}

static unsigned int
testIOThreadNodeId(XNode *kid)
{
    for (size_t j = 0; j < kid->nattrs; j++) {
        if (strcmp(kid->attrs[j].name, "id") == 0)
            return strtoul(kid->attrs[j].value, NULL, 10);
    }
    return 0;
}

/* The <iothreadids> node, made explicit from the count when absent. */
static XNode *
testIOThreadIdsMake(DomainDef *def)
{
    XNode *ids = testIOThreadIdsNode(def);
    char num[16];

    if (ids)
        return ids;
    ids = xtreeNew("iothreadids");
    for (unsigned int i = 1; i <= def->iothreads; i++) {
        XNode *kid = xtreeNew("iothread");

        snprintf(num, sizeof(num), "%u", i);
        xtreeSetAttr(kid, "id", num);
        xtreeAppend(ids, kid);
    }
    allocResize(&def->carried, def->ncarried, def->ncarried + 1,
                sizeof(*def->carried));
    def->carried[def->ncarried++] = ids;
    return ids;
}

/* The <iothread> node of ID in DEF (made explicit), or NULL. */
static XNode *
testIOThreadFind(DomainDef *def, unsigned int id, size_t *idx)
{
    XNode *ids;

    if (!id || (!testIOThreadIdsNode(def) && id > def->iothreads))
        return NULL;
    ids = testIOThreadIdsMake(def);
    for (size_t i = 0; i < ids->nkids; i++) {
        if (testIOThreadNodeId(ids->kids[i]) == id) {
            if (idx)
                *idx = i;
            return ids->kids[i];
        }
    }
    return NULL;
}

static int
testIOThreadMissing(const DomainDef *def, unsigned int id)
{
    reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no IOThread %u",
                def->name, id);
    return -1;
}

static int
testDomainGetIOThreadInfo(virDomainPtr dom, virDomainIOThreadInfoPtr **info,
                          unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *def;
    XNode *ids;
    virDomainIOThreadInfoPtr *list = NULL;
    int ret = -1, maplen;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (!(def = testThreadsGetDef(d, flags)))
        goto cleanup;
    maplen = VIR_CPU_MAPLEN(testHostCpus(h));
    ids = def->iothreads ? testIOThreadIdsMake(def) : NULL;
    ALLOC_N(list, (ids ? ids->nkids : 0) + 1);
    for (size_t i = 0; ids && i < ids->nkids; i++) {
        unsigned int id = testIOThreadNodeId(ids->kids[i]);
        CpuPin *pin = cpupinFind(def->cputune.iothreadpin,
                                  def->cputune.niothreadpin, id);

        ALLOC(list[i]);
        list[i]->iothread_id = id;
        list[i]->cpumaplen = maplen;
        list[i]->cpumap = allocZero(maplen);
        testCpumapParse(pin ? pin->cpuset : def->cpuset, testHostCpus(h),
                        list[i]->cpumap, maplen);
    }
    ret = ids ? ids->nkids : 0;
    *info = list;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainPinIOThread(virDomainPtr dom, unsigned int iothread_id,
                      unsigned char *cpumap, int maplen, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    char *set = NULL, name[VIR_TYPED_PARAM_FIELD_LENGTH];
    int ret = -1;

    if (!(d = testPinBegin(dom, cpumap, maplen, flags, &h, &live, &config,
                           &set)))
        return -1;
    if ((live && !testIOThreadFind(live, iothread_id, NULL)) ||
        (config && !testIOThreadFind(config, iothread_id, NULL))) {
        testIOThreadMissing(d->def, iothread_id);
        goto cleanup;
    }
    if (config) {
        cpupinSet(&config->cputune.iothreadpin,
                   &config->cputune.niothreadpin, iothread_id, set);
        config->cputune.present = true;
    }
    if (live) {
        cpupinSet(&live->cputune.iothreadpin, &live->cputune.niothreadpin,
                   iothread_id, set);
        live->cputune.present = true;
        snprintf(name, sizeof(name), VIR_DOMAIN_TUNABLE_CPU_IOTHREADSPIN,
                 iothread_id);
        testPinEvent(dom->conn, d, name, set);
    }
    ret = 0;

 cleanup:
    free(set);
    testHostUnlock(h);
    return ret;
}

static void
testIOThreadAdd(DomainDef *def, unsigned int id)
{
    XNode *ids = testIOThreadIdsMake(def), *kid = xtreeNew("iothread");
    char num[16];

    snprintf(num, sizeof(num), "%u", id);
    xtreeSetAttr(kid, "id", num);
    xtreeAppend(ids, kid);
    def->iothreads++;
}

static void
testIOThreadDel(DomainDef *def, unsigned int id)
{
    XNode *ids = testIOThreadIdsMake(def);
    size_t idx;

    if (!testIOThreadFind(def, id, &idx))
        return;
    xtreeFree(ids->kids[idx]);
    memmove(&ids->kids[idx], &ids->kids[idx + 1],
            (ids->nkids - idx - 1) * sizeof(XNode *));
    ids->nkids--;
    def->iothreads--;
    cpupinRemove(def->cputune.iothreadpin, &def->cputune.niothreadpin, id);
}

static int
testIOThreadChange(virDomainPtr dom, unsigned int id, unsigned int flags,
                   bool add)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    int ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0)
        return -1;
    if (id == 0) {
        reportError(VIR_ERR_INVALID_ARG, "invalid iothread_id 0");
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    for (int k = 0; k < 2; k++) {
        DomainDef *def = k ? config : live;
        bool has = def && testIOThreadFind(def, id, NULL);

        if (def && add && has) {
            reportError(VIR_ERR_INVALID_ARG, "domain '%s' already has an "
                        "IOThread %u", d->def->name, id);
            goto cleanup;
        }
        if (def && !add && !has) {
            testIOThreadMissing(d->def, id);
            goto cleanup;
        }
    }
    for (int k = 0; k < 2; k++) {
        DomainDef *def = k ? config : live;

        if (def && add)
            testIOThreadAdd(def, id);
        else if (def)
            testIOThreadDel(def, id);
    }
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainAddIOThread(virDomainPtr dom, unsigned int iothread_id,
                      unsigned int flags)
{
    return testIOThreadChange(dom, iothread_id, flags, true);
}

static int
testDomainDelIOThread(virDomainPtr dom, unsigned int iothread_id,
                      unsigned int flags)
{
    return testIOThreadChange(dom, iothread_id, flags, false);
}

static const TypedParamSpec iothreadSpec[] = {
    { VIR_DOMAIN_IOTHREAD_POLL_MAX_NS, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_IOTHREAD_POLL_GROW, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_IOTHREAD_POLL_SHRINK, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_IOTHREAD_THREAD_POOL_MIN, VIR_TYPED_PARAM_INT, false },
    { VIR_DOMAIN_IOTHREAD_THREAD_POOL_MAX, VIR_TYPED_PARAM_INT, false },
    { NULL, 0, false }
};

/* Poll settings live in a <poll> child, pool sizes as attributes. */
static void
testIOThreadSetParam(XNode *node, const virTypedParameter *p)
{
    char *val = typedParamsToString(p);
    XNode *poll;

    if (strncmp(p->field, "poll_", 5) != 0) {
        xtreeSetAttr(node, p->field, val);
    } else {
        if (!(poll = xtreeChild(node, "poll"))) {
            poll = xtreeNew("poll");
            xtreeAppend(node, poll);
        }
        xtreeSetAttr(poll, strcmp(p->field, "poll_max_ns") == 0 ? "max"
                           : p->field + 5, val);
    }
    free(val);
}

static int
testDomainSetIOThreadParams(virDomainPtr dom, unsigned int iothread_id,
                            virTypedParameterPtr params, int nparams,
                            unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    XNode *node;
    int lo = -1, hi = -1, ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0)
        return -1;
    if (nparams < 0 || (nparams && !params) ||
        typedParamsValidate(params, nparams, iothreadSpec) < 0 ||
        typedParamsGetInt(params, nparams, "thread_pool_min", &lo) < 0 ||
        typedParamsGetInt(params, nparams, "thread_pool_max", &hi) < 0)
        goto badarg;
    if ((lo != -1 && lo < 0) || (hi != -1 && hi < 1) ||
        (lo >= 0 && hi >= 1 && lo > hi)) {
        reportError(VIR_ERR_INVALID_ARG, "thread_pool_min (%d) must be "
                    "non-negative and at most thread_pool_max (%d)", lo, hi);
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    if ((live && !testIOThreadFind(live, iothread_id, NULL)) ||
        (config && !testIOThreadFind(config, iothread_id, NULL))) {
        testIOThreadMissing(d->def, iothread_id);
        goto cleanup;
    }
    for (int k = 0; k < 2; k++) {
        DomainDef *def = k ? config : live;

        if (!def)
            continue;
        node = testIOThreadFind(def, iothread_id, NULL);
        for (int i = 0; i < nparams; i++)
            testIOThreadSetParam(node, &params[i]);
    }
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;

 badarg:
    if (!errorIsSet())
        reportError(VIR_ERR_INVALID_ARG, "invalid parameter array (%d)",
                    nparams);
    return -1;
}

/* The iothread group of the bulk stats for D (host locked). */
void
testIOThreadStats(TestDomain *d, virTypedParameterPtr *list, int *n,
                  int *max)
{
    XNode *ids = d->def->iothreads ? testIOThreadIdsMake(d->def) : NULL;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    typedParamsAddUInt(list, n, max, "iothread.count", ids ? ids->nkids : 0);
    for (size_t i = 0; ids && i < ids->nkids; i++) {
        XNode *poll = NULL;
        unsigned int id = testIOThreadNodeId(ids->kids[i]);
        unsigned long long vmax = 32768;
        unsigned int grow = 0, shrink = 0;

        for (size_t k = 0; k < ids->kids[i]->nkids; k++) {
            if (strcmp(ids->kids[i]->kids[k]->name, "poll") == 0)
                poll = ids->kids[i]->kids[k];
        }
        for (size_t a = 0; poll && a < poll->nattrs; a++) {
            unsigned long long v = strtoull(poll->attrs[a].value, NULL, 10);

            if (strcmp(poll->attrs[a].name, "max") == 0)
                vmax = v;
            else if (strcmp(poll->attrs[a].name, "grow") == 0)
                grow = v;
            else if (strcmp(poll->attrs[a].name, "shrink") == 0)
                shrink = v;
        }
        snprintf(name, sizeof(name), "iothread.%u.poll-max-ns", id);
        typedParamsAddULLong(list, n, max, name, vmax);
        snprintf(name, sizeof(name), "iothread.%u.poll-grow", id);
        typedParamsAddUInt(list, n, max, name, grow);
        snprintf(name, sizeof(name), "iothread.%u.poll-shrink", id);
        typedParamsAddUInt(list, n, max, name, shrink);
    }
}

/* Fill in this file's slots. */
void
testThreadsFill(Driver *drv)
{
    drv->domainGetVcpus = testDomainGetVcpus;
    drv->domainGetVcpuPinInfo = testDomainGetVcpuPinInfo;
    drv->domainGetEmulatorPinInfo = testDomainGetEmulatorPinInfo;
    drv->domainPinVcpu = testDomainPinVcpu;
    drv->domainPinVcpuFlags = testDomainPinVcpuFlags;
    drv->domainPinEmulator = testDomainPinEmulator;
    drv->domainGetIOThreadInfo = testDomainGetIOThreadInfo;
    drv->domainPinIOThread = testDomainPinIOThread;
    drv->domainAddIOThread = testDomainAddIOThread;
    drv->domainDelIOThread = testDomainDelIOThread;
    drv->domainSetIOThreadParams = testDomainSetIOThreadParams;
}
