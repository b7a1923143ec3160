/* test_features.c: fills in the test driver's feature slots (see test_priv.h)
 * and holds the helpers the feature files share */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "alloc.h"
#include "buf.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
testExtFree(void *opaque)
{
    TestExt *e = opaque;

    if (!e)
        return;
    testSnapListFree(e->snaps);
    testJobsFree(e->jobs);
    testChrSessionsFree(e->chr);
    for (size_t i = 0; i < e->ndiskSizes; i++)
        free(e->diskSizeNames[i]);
    free(e->diskSizeNames);
    free(e->diskSizes);
    free(e);
}

/* D's feature state, created on first use. */
TestExt *
testExt(TestDomain *d)
{
    TestExt *e = d->ext;

    if (!e) {
        ALLOC(e);
        d->ext = e;
        d->extFree = testExtFree;
    }
    return e;
}

/* Get calls read one definition: not both. */
int
testCheckGetAffect(unsigned int flags)
{
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        reportError(VIR_ERR_INVALID_ARG,
                    "flags 'live' and 'config' are mutually exclusive");
        return -1;
    }
    return 0;
}

/* OPERATION_INVALID naming D and its state. */
int
testStateError(const TestDomain *d, const char *what)
{
    reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is %s: cannot %s",
                d->def->name, testStateName(d->state), what);
    return -1;
}

/* Disk by target or path, INVALID_ARG when absent. */
int
testDiskIndex(const DomainDef *def, const char *disk)
{
    int idx = disk ? domainFindDisk(def, disk) : -1;

    if (idx < 0)
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no disk '%s'",
                    def->name, disk ? disk : "");
    return idx;
}

/* Interface by ifname or MAC, INVALID_ARG when absent. */
int
testNetIndex(const DomainDef *def, const char *dev)
{
    int idx = dev ? domainFindNet(def, dev) : -1;

    if (idx < 0)
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no interface '%s'",
                    def->name, dev ? dev : "");
    return idx;
}

/* Simulated disk capacity: 10 GiB unless BlockResize changed it. */
unsigned long long
testDiskCapacity(TestDomain *d, const DiskDef *disk)
{
    TestExt *e = d->ext;

    for (size_t i = 0; e && i < e->ndiskSizes; i++) {
        if (strcmp(e->diskSizeNames[i], disk->dst) == 0)
            return e->diskSizes[i];
    }
    return disk->device == DISK_DEVICE_CDROM ? 700ULL << 20 : 10ULL << 30;
}

/* Remember a resized capacity. */
void
testDiskSetCapacity(TestDomain *d, const DiskDef *disk,
                    unsigned long long bytes)
{
    TestExt *e = testExt(d);
    size_t i;

    for (i = 0; i < e->ndiskSizes; i++) {
        if (strcmp(e->diskSizeNames[i], disk->dst) == 0) {
            e->diskSizes[i] = bytes;
            return;
        }
    }
    allocResize(&e->diskSizes, i, i + 1, sizeof(*e->diskSizes));
    allocResize(&e->diskSizeNames, i, i + 1, sizeof(*e->diskSizeNames));
    e->diskSizes[i] = bytes;
    e->diskSizeNames[i] = allocStrdup(disk->dst);
    e->ndiskSizes++;
}

/* Tunable event with a copy of PARAMS. */
void
testEventTunable(virConnectPtr conn, TestDomain *d,
                 virTypedParameterPtr params, int nparams)
{
    DomainEvent *ev;

    if (nparams <= 0)
        return;
    ev = testEventNew(conn, d, VIR_DOMAIN_EVENT_ID_TUNABLE);
    ev->params = typedParamsCopy(params, nparams);
    ev->nparams = nparams;
    domainEventQueue(ev);
}

/* cpumap bits -> "0-2,5". */
char *
testCpumapFormat(const unsigned char *cpumap, int maplen, int ncpus)
{
    Buf b = { 0 };
    int n = maplen * 8 < ncpus ? maplen * 8 : ncpus;
    int i = 0;

    while (i < n) {
        int start;

        if (!VIR_CPU_USABLE(cpumap, maplen, 0, i)) {
            i++;
            continue;
        }
        start = i;
        while (i + 1 < n && VIR_CPU_USABLE(cpumap, maplen, 0, i + 1))
            i++;
        if (b.len)
            bufAdd(&b, ",");
        if (start == i)
            bufPrintf(&b, "%d", i);
        else
            bufPrintf(&b, "%d-%d", start, i);
        i++;
    }
    if (!b.len) {
        reportError(VIR_ERR_INVALID_ARG,
                    "cpumap selects none of the host's %d cpus", ncpus);
        return NULL;
    }
    return bufTake(&b);
}

/* Walk "a-b,c" calling back each value; -1 on syntax errors. */
static int
testCpusetWalk(const char *set, int limit, unsigned char *map, int maplen)
{
    const char *p = set;

    if (!*p)
        return -1;
    while (*p) {
        char *end;
        long a, b;

        if (*p < '0' || *p > '9')
            return -1;
        a = b = strtol(p, &end, 10);
        p = end;
        if (*p == '-') {
            p++;
            if (*p < '0' || *p > '9')
                return -1;
            b = strtol(p, &end, 10);
            p = end;
        }
        if (a > b || b >= limit)
            return -1;
        for (long i = a; map && i <= b && i < maplen * 8; i++)
            VIR_USE_CPU(map, i);
        if (*p == ',' && p[1])
            p++;
        else if (*p)
            return -1;
    }
    return 0;
}

/* Cpuset string -> bits. */
int
testCpumapParse(const char *set, int ncpus, unsigned char *cpumap, int maplen)
{
    memset(cpumap, 0, maplen);
    if (!set) {
        for (int i = 0; i < ncpus && i < maplen * 8; i++)
            VIR_USE_CPU(cpumap, i);
        return 0;
    }
    if (testCpusetWalk(set, ncpus, cpumap, maplen) < 0) {
        reportError(VIR_ERR_INTERNAL_ERROR, "malformed cpuset '%s'", set);
        return -1;
    }
    return 0;
}

/* Check a set string against LIMIT. */
int
testCpusetCheck(const char *set, int limit, const char *what)
{
    if (testCpusetWalk(set, limit, NULL, 0) < 0) {
        reportError(VIR_ERR_INVALID_ARG,
                    "invalid %s '%s': expected a list of ranges of numbers "
                    "below %d", what, set, limit);
        return -1;
    }
    return 0;
}

/* Assign every slot the feature files implement. */
void
testFeaturesFill(Driver *drv)
{
    testParamsFill(drv);
    testStatsFill(drv);
    testThreadsFill(drv);
    testDevicesFill(drv);
    testSnapshotFill(drv);
    testBlockJobFill(drv);
    testGuestFill(drv);
    testStreamsFill(drv);
}
