/* test_params.c: test driver tunables: scheduler, memory, blkio, numa, perf */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "alloc.h"
#include "buf.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AFFECT_FLAGS (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

/* Common start of a get/set call: check FLAGS, lock, resolve the target
 * definition (for gets exactly one, in *def). */
static TestDomain *
testParamsBegin(virDomainPtr dom, unsigned int flags, bool get,
                TestHost **h, DomainDef **live, DomainDef **config)
{
    TestDomain *d;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0 ||
        (get && testCheckGetAffect(flags) < 0))
        return NULL;
    if (!(d = testDomainAcquire(dom, h)))
        return NULL;
    if (testDomainAffect(d, flags, live, config) < 0) {
        testHostUnlock(*h);
        return NULL;
    }
    return d;
}

/* Arguments of a set call: a sane count, then the spec. */
static int
testParamsCheck(virTypedParameterPtr params, int nparams,
                const TypedParamSpec *spec)
{
    if (nparams < 0 || (nparams > 0 && !params)) {
        reportError(VIR_ERR_INVALID_ARG, "invalid parameter array (%d)",
                    nparams);
        return -1;
    }
    return typedParamsValidate(params, nparams, spec);
}

/* Hand LIST (NLIST entries, freed here) to a get call's caller. */
static int
testParamsReturn(virTypedParameterPtr out, int *nout,
                 virTypedParameterPtr list, int nlist)
{
    int ret = typedParamsFillOut(out, nout, list, nlist);

    typedParamsFree(list, nlist);
    return ret;
}

/* ---- scheduler ---- */

static const TypedParamSpec schedSpec[] = {
    { VIR_DOMAIN_SCHEDULER_CPU_SHARES, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, VIR_TYPED_PARAM_LLONG, false },
    { VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA, VIR_TYPED_PARAM_LLONG, false },
    { VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA, VIR_TYPED_PARAM_LLONG, false },
    { VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA, VIR_TYPED_PARAM_LLONG, false },
    { NULL, 0, false }
};
#define SCHED_NPARAMS 9

static char *
testDomainGetSchedulerType(virDomainPtr dom, int *nparams)
{
    TestHost *h;

    if (!testDomainAcquire(dom, &h))
        return NULL;
    testHostUnlock(h);
    if (nparams)
        *nparams = SCHED_NPARAMS;
    return allocStrdup("posix");
}

/* Where each scheduler parameter lives in CpuTune. */
static void *
testSchedField(CpuTune *ct, const char *name)
{
    if (strcmp(name, VIR_DOMAIN_SCHEDULER_CPU_SHARES) == 0)
        return &ct->shares;
    if (strcmp(name, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD) == 0)
        return &ct->period;
    if (strcmp(name, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA) == 0)
        return &ct->quota;
    if (strcmp(name, VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD) == 0)
        return &ct->emulatorPeriod;
    if (strcmp(name, VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA) == 0)
        return &ct->emulatorQuota;
    if (strcmp(name, VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD) == 0)
        return &ct->globalPeriod;
    if (strcmp(name, VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA) == 0)
        return &ct->globalQuota;
    if (strcmp(name, VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD) == 0)
        return &ct->iothreadPeriod;
    return &ct->iothreadQuota;
}

/* The kernel's limits: shares 2..262144, periods 1 ms..1 s, quotas
 * 1 ms..2^44-1 us or negative (unlimited). */
static int
testSchedCheckValue(const virTypedParameter *p)
{
    if (strcmp(p->field, VIR_DOMAIN_SCHEDULER_CPU_SHARES) == 0) {
        if (p->value.ul < 2 || p->value.ul > 262144)
            goto range;
    } else if (p->type == VIR_TYPED_PARAM_ULLONG) {
        if (p->value.ul && (p->value.ul < 1000 || p->value.ul > 1000000))
            goto range;
    } else if (p->value.l >= 0 &&
               (p->value.l < 1000 || p->value.l > 17592186044415LL)) {
        goto range;
    }
    return 0;

 range:
    reportError(VIR_ERR_INVALID_ARG, "value of '%s' is out of range",
                p->field);
    return -1;
}

static void
testSchedApply(CpuTune *ct, const virTypedParameter *params, int nparams)
{
    for (int i = 0; i < nparams; i++) {
        void *field = testSchedField(ct, params[i].field);

        if (params[i].type == VIR_TYPED_PARAM_ULLONG)
            *(unsigned long long *)field = params[i].value.ul;
        else
            *(long long *)field = params[i].value.l < 0 ? -1
                                                        : params[i].value.l;
        ct->present = true;
    }
}

static int
testDomainSetSchedulerParametersFlags(virDomainPtr dom,
                                      virTypedParameterPtr params,
                                      int nparams, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    virTypedParameterPtr ev = NULL;
    int nev = 0, maxev = 0;
    int ret = -1;

    if (testParamsCheck(params, nparams, schedSpec) < 0)
        return -1;
    if (!(d = testParamsBegin(dom, flags, false, &h, &live, &config)))
        return -1;
    for (int i = 0; i < nparams; i++) {
        if (testSchedCheckValue(&params[i]) < 0)
            goto cleanup;
    }
    if (config)
        testSchedApply(&config->cputune, params, nparams);
    if (live) {
        testSchedApply(&live->cputune, params, nparams);
        for (int i = 0; i < nparams; i++) {
            char name[VIR_TYPED_PARAM_FIELD_LENGTH + 8];
            virTypedParameter p = params[i];

            snprintf(name, sizeof(name), "cputune.%s", p.field);
            if (p.type == VIR_TYPED_PARAM_ULLONG)
                typedParamsAddULLong(&ev, &nev, &maxev, name, p.value.ul);
            else
                typedParamsAddLLong(&ev, &nev, &maxev, name, p.value.l);
        }
        testEventTunable(dom->conn, d, ev, nev);
    }
    ret = 0;

 cleanup:
    typedParamsFree(ev, nev);
    testHostUnlock(h);
    return ret;
}

static int
testDomainSetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int nparams)
{
    return testDomainSetSchedulerParametersFlags(dom, params, nparams,
                                                 VIR_DOMAIN_AFFECT_CURRENT);
}

static int
testDomainGetSchedulerParametersFlags(virDomainPtr dom,
                                      virTypedParameterPtr params,
                                      int *nparams, unsigned int flags)
{
    TestHost *h;
    DomainDef *live = NULL, *config = NULL;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0;
    const CpuTune *ct;

    if (!testParamsBegin(dom, flags, true, &h, &live, &config))
        return -1;
    ct = live ? &live->cputune : &config->cputune;
    /* unset values read back as the kernel's defaults */
    typedParamsAddULLong(&list, &n, &max, VIR_DOMAIN_SCHEDULER_CPU_SHARES,
                         ct->shares ? ct->shares : 1024);
#define PERIOD(name, v) \
    typedParamsAddULLong(&list, &n, &max, name, (v) ? (v) : 100000)
#define QUOTA(name, v) \
    typedParamsAddLLong(&list, &n, &max, name, (v) ? (v) : -1)
    PERIOD(VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, ct->period);
    QUOTA(VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, ct->quota);
    PERIOD(VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD, ct->emulatorPeriod);
    QUOTA(VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA, ct->emulatorQuota);
    PERIOD(VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD, ct->globalPeriod);
    QUOTA(VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA, ct->globalQuota);
    PERIOD(VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD, ct->iothreadPeriod);
    QUOTA(VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA, ct->iothreadQuota);
#undef PERIOD
#undef QUOTA
    testHostUnlock(h);
    return testParamsReturn(params, nparams, list, n);
}

static int
testDomainGetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int *nparams)
{
    return testDomainGetSchedulerParametersFlags(dom, params, nparams,
                                                 VIR_DOMAIN_AFFECT_CURRENT);
}

/* ---- memory ---- */

static const TypedParamSpec memSpec[] = {
    { VIR_DOMAIN_MEMORY_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_MEMORY_SOFT_LIMIT, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_MEMORY_MIN_GUARANTEE, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG, false },
    { NULL, 0, false }
};

static unsigned long long *
testMemField(MemTune *mt, const char *name)
{
    if (strcmp(name, VIR_DOMAIN_MEMORY_HARD_LIMIT) == 0)
        return &mt->hardLimit;
    if (strcmp(name, VIR_DOMAIN_MEMORY_SOFT_LIMIT) == 0)
        return &mt->softLimit;
    if (strcmp(name, VIR_DOMAIN_MEMORY_MIN_GUARANTEE) == 0)
        return &mt->minGuarantee;
    return &mt->swapHardLimit;
}

/* Apply to a copy first: the hard limit may not exceed the swap limit. */
static int
testMemApply(MemTune *mt, const virTypedParameter *params, int nparams)
{
    MemTune tmp = *mt;

    for (int i = 0; i < nparams; i++) {
        unsigned long long v = params[i].value.ul;

        if (v > VIR_DOMAIN_MEMORY_PARAM_UNLIMITED) {
            reportError(VIR_ERR_INVALID_ARG,
                        "value of '%s' is out of range", params[i].field);
            return -1;
        }
        *testMemField(&tmp, params[i].field) =
            v == VIR_DOMAIN_MEMORY_PARAM_UNLIMITED ? 0 : v;
    }
    if (tmp.hardLimit && tmp.swapHardLimit &&
        tmp.hardLimit > tmp.swapHardLimit) {
        reportError(VIR_ERR_INVALID_ARG, "memory hard_limit must be lower "
                    "than or equal to swap_hard_limit");
        return -1;
    }
    tmp.present = tmp.hardLimit || tmp.softLimit || tmp.swapHardLimit ||
                  tmp.minGuarantee;
    *mt = tmp;
    return 0;
}

static int
testDomainSetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                              int nparams, unsigned int flags)
{
    TestHost *h;
    DomainDef *live = NULL, *config = NULL;
    MemTune check;
    int ret = -1;

    if (testParamsCheck(params, nparams, memSpec) < 0)
        return -1;
    if (!testParamsBegin(dom, flags, false, &h, &live, &config))
        return -1;
    check = live ? live->memtune : config->memtune;
    if (testMemApply(&check, params, nparams) < 0 ||
        (live && testMemApply(&live->memtune, params, nparams) < 0) ||
        (config && testMemApply(&config->memtune, params, nparams) < 0))
        goto cleanup;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params,
                              int *nparams, unsigned int flags)
{
    TestHost *h;
    DomainDef *live = NULL, *config = NULL;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0;
    MemTune *mt;

    if (!testParamsBegin(dom, flags, true, &h, &live, &config))
        return -1;
    mt = live ? &live->memtune : &config->memtune;
    for (int i = 0; memSpec[i].name; i++) {
        unsigned long long v = *testMemField(mt, memSpec[i].name);

        typedParamsAddULLong(&list, &n, &max, memSpec[i].name,
                             v ? v : VIR_DOMAIN_MEMORY_PARAM_UNLIMITED);
    }
    testHostUnlock(h);
    return testParamsReturn(params, nparams, list, n);
}

/* ---- blkio ---- */

static const char *const blkioDevNames[] = {
    VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS,
    VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS, VIR_DOMAIN_BLKIO_DEVICE_READ_BPS,
    VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS, NULL
};

static const TypedParamSpec blkioSpec[] = {
    { VIR_DOMAIN_BLKIO_WEIGHT, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, VIR_TYPED_PARAM_STRING, false },
    { VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS, VIR_TYPED_PARAM_STRING, false },
    { VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS, VIR_TYPED_PARAM_STRING, false },
    { VIR_DOMAIN_BLKIO_DEVICE_READ_BPS, VIR_TYPED_PARAM_STRING, false },
    { VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS, VIR_TYPED_PARAM_STRING, false },
    { NULL, 0, false }
};

/* Read or write field KIND (index in blkioDevNames) of device DEV. */
static unsigned long long
testBlkioGet(const BlkioDevice *dev, int kind)
{
    switch (kind) {
    case 0: return dev->weight;
    case 1: return dev->readIopsSec;
    case 2: return dev->writeIopsSec;
    case 3: return dev->readBytesSec;
    default: return dev->writeBytesSec;
    }
}

static void
testBlkioSet(BlkioDevice *dev, int kind, unsigned long long v)
{
    switch (kind) {
    case 0: dev->weight = v; break;
    case 1: dev->readIopsSec = v; break;
    case 2: dev->writeIopsSec = v; break;
    case 3: dev->readBytesSec = v; break;
    default: dev->writeBytesSec = v; break;
    }
}

/* Merge "path,value[,path,value...]" for field KIND into BT. A value of 0
 * clears the field; devices left with nothing set are dropped. */
static int
testBlkioMerge(BlkioTune *bt, int kind, const char *list)
{
    char *copy = allocStrdup(list), *save = NULL, *path;
    int ret = -1;

    for (path = strtok_r(copy, ",", &save); path;
         path = strtok_r(NULL, ",", &save)) {
        char *val = strtok_r(NULL, ",", &save), *end;
        unsigned long long v;
        size_t i;

        if (!val || path[0] != '/' || val[0] < '0' || val[0] > '9' ||
            (v = strtoull(val, &end, 10), *end) ||
            (kind == 0 && v && (v < 100 || v > 1000))) {
            reportError(VIR_ERR_INVALID_ARG, "invalid %s list '%s': expected "
                        "'/path,value' pairs", blkioDevNames[kind], list);
            goto cleanup;
        }
        for (i = 0; i < bt->ndevices; i++) {
            if (strcmp(bt->devices[i].path, path) == 0)
                break;
        }
        if (i == bt->ndevices) {
            if (!v)
                continue;
            allocResize(&bt->devices, i, i + 1, sizeof(*bt->devices));
            bt->devices[i].path = allocStrdup(path);
            bt->ndevices++;
        }
        testBlkioSet(&bt->devices[i], kind, v);
    }
    ret = 0;

 cleanup:
    free(copy);
    return ret;
}

static void
testBlkioPrune(BlkioTune *bt)
{
    size_t i = 0;

    while (i < bt->ndevices) {
        BlkioDevice *dev = &bt->devices[i];
        bool used = false;

        for (int k = 0; k < 5; k++)
            used |= testBlkioGet(dev, k) != 0;
        if (used) {
            i++;
            continue;
        }
        free(dev->path);
        memmove(dev, dev + 1, (bt->ndevices - i - 1) * sizeof(*dev));
        bt->ndevices--;
    }
    bt->present = bt->weight || bt->ndevices;
}

static int
testBlkioApply(BlkioTune *bt, const virTypedParameter *params, int nparams)
{
    for (int i = 0; i < nparams; i++) {
        const virTypedParameter *p = &params[i];

        if (strcmp(p->field, VIR_DOMAIN_BLKIO_WEIGHT) == 0) {
            if (p->value.ui < 100 || p->value.ui > 1000) {
                reportError(VIR_ERR_INVALID_ARG, "blkio weight %u is out of "
                            "range [100, 1000]", p->value.ui);
                return -1;
            }
            bt->weight = p->value.ui;
            continue;
        }
        for (int k = 0; blkioDevNames[k]; k++) {
            if (strcmp(p->field, blkioDevNames[k]) == 0 &&
                testBlkioMerge(bt, k, p->value.s) < 0)
                return -1;
        }
    }
    testBlkioPrune(bt);
    return 0;
}

/* Try PARAMS on an empty scratch tune so that errors leave no change. */
static int
testBlkioValidate(const virTypedParameter *params, int nparams)
{
    BlkioTune scratch = { 0 };
    int ret = testBlkioApply(&scratch, params, nparams);

    for (size_t i = 0; i < scratch.ndevices; i++)
        free(scratch.devices[i].path);
    free(scratch.devices);
    return ret;
}

static int
testDomainSetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                             int nparams, unsigned int flags)
{
    TestHost *h;
    DomainDef *live = NULL, *config = NULL;
    int ret = -1;

    if (testParamsCheck(params, nparams, blkioSpec) < 0)
        return -1;
    if (!testParamsBegin(dom, flags, false, &h, &live, &config))
        return -1;
    if (testBlkioValidate(params, nparams) < 0 ||
        (live && testBlkioApply(&live->blkiotune, params, nparams) < 0) ||
        (config && testBlkioApply(&config->blkiotune, params, nparams) < 0))
        goto cleanup;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                             int *nparams, unsigned int flags)
{
    TestHost *h;
    DomainDef *live = NULL, *config = NULL;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0;
    BlkioTune *bt;

    if (!testParamsBegin(dom, flags, true, &h, &live, &config))
        return -1;
    bt = live ? &live->blkiotune : &config->blkiotune;
    typedParamsAddUInt(&list, &n, &max, VIR_DOMAIN_BLKIO_WEIGHT,
                       bt->weight ? bt->weight : 1000);
    for (int k = 0; blkioDevNames[k]; k++) {
        Buf b = { 0 };
        char *s;

        for (size_t i = 0; i < bt->ndevices; i++) {
            unsigned long long v = testBlkioGet(&bt->devices[i], k);

            if (v)
                bufPrintf(&b, "%s%s,%llu", b.len ? "," : "",
                          bt->devices[i].path, v);
        }
        s = bufTake(&b);
        typedParamsAddString(&list, &n, &max, blkioDevNames[k], s);
        free(s);
    }
    testHostUnlock(h);
    return testParamsReturn(params, nparams, list, n);
}

/* ---- numa ---- */

static const TypedParamSpec numaSpec[] = {
    { VIR_DOMAIN_NUMA_MODE, VIR_TYPED_PARAM_INT, false },
    { VIR_DOMAIN_NUMA_NODESET, VIR_TYPED_PARAM_STRING, false },
    { NULL, 0, false }
};

static const char *const numaModes[] = {
    "strict", "preferred", "interleave", "restrictive", NULL
};

static int
testNumaMode(const NumaTune *nt)
{
    for (int i = 0; nt->mode && numaModes[i]; i++) {
        if (strcmp(nt->mode, numaModes[i]) == 0)
            return i;
    }
    return VIR_DOMAIN_NUMATUNE_MEM_STRICT;
}

static void
testNumaApply(NumaTune *nt, int mode, const char *nodeset)
{
    if (mode >= 0) {
        free(nt->mode);
        nt->mode = allocStrdup(numaModes[mode]);
    }
    if (nodeset) {
        free(nt->nodeset);
        nt->nodeset = allocStrdup(nodeset);
        free(nt->placement);
        nt->placement = allocStrdup("static");
    }
    nt->present = true;
}

static int
testDomainSetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                            int nparams, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    int mode = -1, nodes;
    const char *nodeset = NULL;
    int ret = -1;

    if (testParamsCheck(params, nparams, numaSpec) < 0 ||
        typedParamsGetInt(params, nparams, VIR_DOMAIN_NUMA_MODE, &mode) < 0 ||
        typedParamsGetString(params, nparams, VIR_DOMAIN_NUMA_NODESET,
                             &nodeset) < 0)
        return -1;
    if (typedParamsGet(params, nparams, VIR_DOMAIN_NUMA_MODE) &&
        (mode < 0 || mode > VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE)) {
        reportError(VIR_ERR_INVALID_ARG, "unknown numa_mode %d", mode);
        return -1;
    }
    if (!(d = testParamsBegin(dom, flags, false, &h, &live, &config)))
        return -1;
    nodes = h->node.nodes > 0 ? (int)h->node.nodes : 1;
    if (nodeset && testCpusetCheck(nodeset, nodes, "numa_nodeset") < 0)
        goto cleanup;
    if (live) {
        if (mode >= 0 && mode != testNumaMode(&live->numatune)) {
            reportError(VIR_ERR_OPERATION_INVALID, "cannot change numa_mode "
                        "of running domain '%s'", d->def->name);
            goto cleanup;
        }
        if (nodeset &&
            testNumaMode(&live->numatune) != VIR_DOMAIN_NUMATUNE_MEM_STRICT &&
            testNumaMode(&live->numatune) !=
            VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE) {
            reportError(VIR_ERR_OPERATION_INVALID, "changing numa_nodeset of "
                        "running domain '%s' needs mode strict or restrictive",
                        d->def->name);
            goto cleanup;
        }
        testNumaApply(&live->numatune, mode, nodeset);
    }
    if (config)
        testNumaApply(&config->numatune, mode, nodeset);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetNumaParameters(virDomainPtr dom, virTypedParameterPtr params,
                            int *nparams, unsigned int flags)
{
    TestHost *h;
    DomainDef *live = NULL, *config = NULL;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0;
    NumaTune *nt;

    if (!testParamsBegin(dom, flags, true, &h, &live, &config))
        return -1;
    nt = live ? &live->numatune : &config->numatune;
    typedParamsAddInt(&list, &n, &max, VIR_DOMAIN_NUMA_MODE, testNumaMode(nt));
    typedParamsAddString(&list, &n, &max, VIR_DOMAIN_NUMA_NODESET,
                         nt->nodeset ? nt->nodeset : "");
    testHostUnlock(h);
    return testParamsReturn(params, nparams, list, n);
}

/* ---- perf events: kept in the definition's <perf> element ---- */

static const char *const perfEvents[] = {
    VIR_PERF_PARAM_CMT, VIR_PERF_PARAM_MBMT, VIR_PERF_PARAM_MBML,
    VIR_PERF_PARAM_CPU_CYCLES, VIR_PERF_PARAM_INSTRUCTIONS,
    VIR_PERF_PARAM_CACHE_REFERENCES, VIR_PERF_PARAM_CACHE_MISSES,
    VIR_PERF_PARAM_BRANCH_INSTRUCTIONS, VIR_PERF_PARAM_BRANCH_MISSES,
    VIR_PERF_PARAM_BUS_CYCLES, VIR_PERF_PARAM_STALLED_CYCLES_FRONTEND,
    VIR_PERF_PARAM_STALLED_CYCLES_BACKEND, VIR_PERF_PARAM_REF_CPU_CYCLES,
    VIR_PERF_PARAM_CPU_CLOCK, VIR_PERF_PARAM_TASK_CLOCK,
    VIR_PERF_PARAM_PAGE_FAULTS, VIR_PERF_PARAM_CONTEXT_SWITCHES,
    VIR_PERF_PARAM_CPU_MIGRATIONS, VIR_PERF_PARAM_PAGE_FAULTS_MIN,
    VIR_PERF_PARAM_PAGE_FAULTS_MAJ, VIR_PERF_PARAM_ALIGNMENT_FAULTS,
    VIR_PERF_PARAM_EMULATION_FAULTS, NULL
};

/* The <event> child of <perf> for NAME, or NULL. */
static XNode *
testPerfNode(const DomainDef *def, const char *name)
{
    for (size_t i = 0; def->perf && i < def->perf->nkids; i++) {
        XNode *ev = def->perf->kids[i];

        for (size_t j = 0; j < ev->nattrs; j++) {
            if (strcmp(ev->attrs[j].name, "name") == 0 &&
                strcmp(ev->attrs[j].value, name) == 0)
                return ev;
        }
    }
    return NULL;
}

/* Whether perf event NAME is enabled in DEF. Used by the stats too. */
bool
testPerfEnabled(const DomainDef *def, const char *name)
{
    XNode *ev = testPerfNode(def, name);

    for (size_t j = 0; ev && j < ev->nattrs; j++) {
        if (strcmp(ev->attrs[j].name, "enabled") == 0)
            return strcmp(ev->attrs[j].value, "yes") == 0;
    }
    return false;
}

static void
testPerfApply(DomainDef *def, const virTypedParameter *params, int nparams)
{
    for (int i = 0; i < nparams; i++) {
        XNode *ev = testPerfNode(def, params[i].field);

        if (!def->perf)
            def->perf = xtreeNew("perf");
        if (!ev) {
            ev = xtreeNew("event");
            xtreeSetAttr(ev, "name", params[i].field);
            xtreeAppend(def->perf, ev);
        }
        xtreeSetAttr(ev, "enabled", params[i].value.b ? "yes" : "no");
    }
}

static int
testDomainSetPerfEvents(virDomainPtr dom, virTypedParameterPtr params,
                        int nparams, unsigned int flags)
{
    TypedParamSpec spec[sizeof(perfEvents) / sizeof(perfEvents[0])];
    TestHost *h;
    DomainDef *live = NULL, *config = NULL;
    size_t i;

    for (i = 0; perfEvents[i]; i++)
        spec[i] = (TypedParamSpec){ perfEvents[i], VIR_TYPED_PARAM_BOOLEAN,
                                    false };
    spec[i] = (TypedParamSpec){ NULL, 0, false };
    if (testParamsCheck(params, nparams, spec) < 0)
        return -1;
    if (!testParamsBegin(dom, flags, false, &h, &live, &config))
        return -1;
    if (live)
        testPerfApply(live, params, nparams);
    if (config)
        testPerfApply(config, params, nparams);
    testHostUnlock(h);
    return 0;
}

static int
testDomainGetPerfEvents(virDomainPtr dom, virTypedParameterPtr *params,
                        int *nparams, unsigned int flags)
{
    TestHost *h;
    DomainDef *live = NULL, *config = NULL;
    DomainDef *def;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0;

    if (!testParamsBegin(dom, flags, true, &h, &live, &config))
        return -1;
    def = live ? live : config;
    for (int i = 0; perfEvents[i]; i++)
        typedParamsAddBoolean(&list, &n, &max, perfEvents[i],
                              testPerfEnabled(def, perfEvents[i]));
    testHostUnlock(h);
    *params = list;
    *nparams = n;
    return 0;
}

/* Fill in the tunable slots of this file and of test_iotune.c. */
void
testParamsFill(Driver *drv)
{
    drv->domainGetSchedulerType = testDomainGetSchedulerType;
    drv->domainGetSchedulerParameters = testDomainGetSchedulerParameters;
    drv->domainGetSchedulerParametersFlags =
        testDomainGetSchedulerParametersFlags;
    drv->domainSetSchedulerParameters = testDomainSetSchedulerParameters;
    drv->domainSetSchedulerParametersFlags =
        testDomainSetSchedulerParametersFlags;
    drv->domainGetMemoryParameters = testDomainGetMemoryParameters;
    drv->domainSetMemoryParameters = testDomainSetMemoryParameters;
    drv->domainGetBlkioParameters = testDomainGetBlkioParameters;
    drv->domainSetBlkioParameters = testDomainSetBlkioParameters;
    drv->domainGetNumaParameters = testDomainGetNumaParameters;
    drv->domainSetNumaParameters = testDomainSetNumaParameters;
    drv->domainGetPerfEvents = testDomainGetPerfEvents;
    drv->domainSetPerfEvents = testDomainSetPerfEvents;
    testIotuneFill(drv);
}
