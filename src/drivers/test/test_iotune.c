/* test_iotune.c: test driver block I/O throttling and interface bandwidth */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "alloc.h"
#include "error.h"
#include "conf/iotune.h"
#include "conf/netrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AFFECT_FLAGS (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)


/* The event QEMU's driver sends for a live change: disk + every value. */
static void
testIoEvent(virConnectPtr conn, TestDomain *d, const char *disk,
            const IotuneValues *vals)
{
    virTypedParameterPtr ev = NULL;
    int n = 0, max = 0;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    typedParamsAddString(&ev, &n, &max, VIR_DOMAIN_TUNABLE_BLKDEV_DISK, disk);
    for (int k = 0; k < IOTUNE_N; k++) {
        snprintf(name, sizeof(name), "blkdeviotune.%s", iotuneNames[k]);
        typedParamsAddULLong(&ev, &n, &max, name, vals->v[k]);
    }
    if (vals->group)
        typedParamsAddString(&ev, &n, &max,
                             VIR_DOMAIN_TUNABLE_BLKDEV_GROUP_NAME, vals->group);
    testEventTunable(conn, d, ev, n);
    typedParamsFree(ev, n);
}

/* Apply to one definition's disk; on success the new values are in *VALS. */
static int
testIoSetOne(DomainDef *def, const char *disk, virTypedParameterPtr params,
             int nparams, IotuneValues *vals)
{
    int idx = testDiskIndex(def, disk);

    if (idx < 0)
        return -1;
    iotuneFromConf(&def->disks[idx]->iotune, vals);
    if (iotuneApply(vals, params, nparams) < 0)
        return -1;
    iotuneToConf(&def->disks[idx]->iotune, vals);
    return 0;
}

static int
testDomainSetBlockIoTune(virDomainPtr dom, const char *disk,
                         virTypedParameterPtr params, int nparams,
                         unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    IotuneValues lv = { { 0 }, NULL }, cv = { { 0 }, NULL };
    int ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0 ||
        iotuneCheckParams(params, nparams) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    /* check both before changing either */
    if (live) {
        int idx = testDiskIndex(live, disk);
        if (idx < 0)
            goto cleanup;
        iotuneFromConf(&live->disks[idx]->iotune, &lv);
        if (iotuneApply(&lv, params, nparams) < 0)
            goto cleanup;
    }
    if (config && testIoSetOne(config, disk, params, nparams, &cv) < 0)
        goto cleanup;
    if (live) {
        int idx = domainFindDisk(live, disk);
        iotuneToConf(&live->disks[idx]->iotune, &lv);
        testIoEvent(dom->conn, d, live->disks[idx]->dst, &lv);
    }
    ret = 0;

 cleanup:
    free(lv.group);
    free(cv.group);
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetBlockIoTune(virDomainPtr dom, const char *disk,
                         virTypedParameterPtr params, int *nparams,
                         unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL, *def;
    IotuneValues vals = { { 0 }, NULL };
    int idx, ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0 ||
        testCheckGetAffect(flags) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    def = live ? live : config;
    if ((idx = testDiskIndex(def, disk)) < 0)
        goto cleanup;
    iotuneFromConf(&def->disks[idx]->iotune, &vals);
    ret = iotuneFillOut(&vals, params, nparams);

 cleanup:
    iotuneValuesClear(&vals);
    testHostUnlock(h);
    return ret;
}

/* ---- interface bandwidth ---- */

/* An average of 0 removes the direction's limits altogether. */
static int
testBwApply(NetDef *net, const virTypedParameter *params, int nparams,
            bool dryRun)
{
    NetDef tmp = *net;

    for (int i = 0; i < nparams; i++)
        *netRateField(&tmp, params[i].field) = params[i].value.ui;
    if (tmp.inbound.floor && tmp.type != NET_TYPE_NETWORK) {
        reportError(VIR_ERR_INVALID_ARG, "inbound.floor is only supported "
                    "for interfaces of type network");
        return -1;
    }
    if (dryRun)
        return 0;
    if (!tmp.inbound.average)
        memset(&tmp.inbound, 0, sizeof(tmp.inbound));
    if (!tmp.outbound.average)
        memset(&tmp.outbound, 0, sizeof(tmp.outbound));
    tmp.inbound.present = tmp.inbound.average != 0;
    tmp.outbound.present = tmp.outbound.average != 0;
    net->inbound = tmp.inbound;
    net->outbound = tmp.outbound;
    return 0;
}

static int
testDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int nparams,
                                 unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    int li = -1, ci = -1, ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0)
        return -1;
    if (nparams < 0 || (nparams > 0 && !params)) {
        reportError(VIR_ERR_INVALID_ARG, "invalid parameter array (%d)",
                    nparams);
        return -1;
    }
    if (typedParamsValidate(params, nparams, netRateSpec) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0 ||
        (live && (li = testNetIndex(live, device)) < 0) ||
        (config && (ci = testNetIndex(config, device)) < 0) ||
        (live && testBwApply(live->nets[li], params, nparams, true) < 0) ||
        (config && testBwApply(config->nets[ci], params, nparams, true) < 0))
        goto cleanup;
    if (live)
        testBwApply(live->nets[li], params, nparams, false);
    if (config)
        testBwApply(config->nets[ci], params, nparams, false);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int *nparams,
                                 unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL, *def;
    virTypedParameterPtr list = NULL;
    int n = 0, max = 0, idx, ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0 ||
        testCheckGetAffect(flags) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    def = live ? live : config;
    if ((idx = testNetIndex(def, device)) < 0)
        goto cleanup;
    for (int i = 0; netRateSpec[i].name; i++)
        typedParamsAddUInt(&list, &n, &max, netRateSpec[i].name,
                           *netRateField(def->nets[idx], netRateSpec[i].name));
    ret = typedParamsFillOut(params, nparams, list, n);

 cleanup:
    typedParamsFree(list, n);
    testHostUnlock(h);
    return ret;
}

/* Fill in this file's slots (called from testParamsFill). */
void
testIotuneFill(Driver *drv)
{
    drv->domainGetBlockIoTune = testDomainGetBlockIoTune;
    drv->domainSetBlockIoTune = testDomainSetBlockIoTune;
    drv->domainGetInterfaceParameters = testDomainGetInterfaceParameters;
    drv->domainSetInterfaceParameters = testDomainSetInterfaceParameters;
}
