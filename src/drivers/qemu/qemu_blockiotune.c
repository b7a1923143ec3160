/* qemu_blockiotune.c: the QEMU driver's block I/O throttling
 * (virDomainSetBlockIoTune / GetBlockIoTune): live through QEMU's
 * block_set_io_throttle and query-block, persistent in the disk's <iotune>,
 * applied at start */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_block.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "typedparam.h"
#include "conf/iotune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IOTUNE_AFFECT (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

/* QEMU's names of the throttles, index for index with iotuneNames. */
static const char *const ioQemu[IOTUNE_N] = {
    "bps", "bps_rd", "bps_wr", "iops", "iops_rd", "iops_wr",
    "bps_max", "bps_rd_max", "bps_wr_max",
    "iops_max", "iops_rd_max", "iops_wr_max",
    "iops_size",
    "bps_max_length", "bps_rd_max_length", "bps_wr_max_length",
    "iops_max_length", "iops_rd_max_length", "iops_wr_max_length",
};

/* The throttles QEMU reports in a query-block ENTRY. A device without a
 * group of its own is in a group QEMU names after the device: that is no
 * group_name. */
static void
ioFromQemu(json_object *entry, IotuneValues *out)
{
    json_object *ins = json_object_object_get(entry, "inserted"), *v;
    json_object *qdev = json_object_object_get(entry, "qdev");
    json_object *dev = json_object_object_get(entry, "device");
    const char *group;

    memset(out, 0, sizeof(*out));
    if (!ins)
        return;
    for (int i = 0; i < IOTUNE_N; i++) {
        if ((v = json_object_object_get(ins, ioQemu[i])))
            out->v[i] = (unsigned long long)json_object_get_int64(v);
    }
    if (!(v = json_object_object_get(ins, "group")) ||
        !*(group = json_object_get_string(v)) ||
        (qdev && strcmp(group, json_object_get_string(qdev)) == 0) ||
        (dev && strcmp(group, json_object_get_string(dev)) == 0))
        return;
    out->group = allocStrdup(group);
}

/* block_set_io_throttle for the device QDEV with VALS. */
static json_object *
ioCommand(const char *qdev, const IotuneValues *vals)
{
    json_object *cmd = qmpCommandNew("block_set_io_throttle",
                                     "s:id", qdev, NULL);
    json_object *args = json_object_object_get(cmd, "arguments");

    for (int i = 0; i < IOTUNE_N; i++) {
        /* the six base values are mandatory, the others optional */
        if (i < 6 || vals->v[i])
            json_object_object_add(args, ioQemu[i],
                                   json_object_new_int64((int64_t)vals->v[i]));
    }
    if (vals->group)
        json_object_object_add(args, "group",
                               json_object_new_string(vals->group));
    return cmd;
}

/* Which definitions FLAGS address on D: *LIVE and/or *CONFIG. */
static int
ioAffected(QemuDom *d, unsigned int flags, bool *live, bool *config)
{
    bool active = qemuDomIsActive(d);

    *live = flags & VIR_DOMAIN_AFFECT_LIVE;
    *config = flags & VIR_DOMAIN_AFFECT_CONFIG;
    if (!*live && !*config) {
        *live = active;
        *config = !active;
    }
    if (*live && !active) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not running",
                    d->def->name);
        return -1;
    }
    if (*config && !d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID, "transient domain '%s' has no "
                    "persistent configuration", d->def->name);
        return -1;
    }
    return 0;
}

/* The tunable event of a live change of disk DST to VALS. */
static void
ioEvent(QemuDom *d, const char *dst, const IotuneValues *vals)
{
    DomainEvent *ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_TUNABLE);
    int max = 0;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    if (!ev)
        return;
    typedParamsAddString(&ev->params, &ev->nparams, &max,
                         VIR_DOMAIN_TUNABLE_BLKDEV_DISK, dst);
    for (int i = 0; i < IOTUNE_N; i++) {
        snprintf(name, sizeof(name), "blkdeviotune.%s", iotuneNames[i]);
        typedParamsAddULLong(&ev->params, &ev->nparams, &max, name,
                             vals->v[i]);
    }
    if (vals->group)
        typedParamsAddString(&ev->params, &ev->nparams, &max,
                             VIR_DOMAIN_TUNABLE_BLKDEV_GROUP_NAME,
                             vals->group);
    domainEventQueue(ev);
}

/* The live part of a set: merge PARAMS over QEMU's values, apply. */
static int
ioSetLive(QemuDom *d, const char *disk, const virTypedParameter *params,
          int nparams)
{
    QemuBlockDisk bd = { 0 };
    json_object *entry = NULL, *q;
    IotuneValues vals = { { 0 }, NULL };
    char *qdev = NULL;
    int ret = -1;

    if (qemuBlockDiskLookup(d, d->def, disk, &bd) < 0 ||
        qemuBlockQueryDevice(d, bd.alias, &entry) < 0 ||
        !qemuBlockEntryNode(entry, bd.dst))
        goto cleanup;
    q = json_object_object_get(entry, "qdev");
    qdev = allocStrdup(json_object_get_string(q));
    ioFromQemu(entry, &vals);
    if (iotuneApply(&vals, params, nparams) < 0 ||
        qemuBlockMonRun(d, ioCommand(qdev, &vals), NULL, 0) < 0)
        goto cleanup;
    /* the live XML shows what QEMU now applies */
    if (bd.idx < (int)d->def->ndisks &&
        strcmp(d->def->disks[bd.idx]->dst, bd.dst) == 0)
        iotuneToConf(&d->def->disks[bd.idx]->iotune, &vals);
    ioEvent(d, bd.dst, &vals);
    ret = 0;
 cleanup:
    iotuneValuesClear(&vals);
    json_object_put(entry);
    free(qdev);
    qemuBlockDiskClear(&bd);
    return ret;
}

static int
ioSetConfig(QemuDom *d, const char *disk, const virTypedParameter *params,
            int nparams)
{
    DomainDef *def = d->newDef ? d->newDef : d->def;
    DomainDef *copy = NULL;
    IotuneValues vals = { { 0 }, NULL };
    int idx = domainFindDisk(def, disk), ret = -1;

    if (idx < 0) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no disk '%s' in "
                    "its persistent configuration", d->def->name, disk);
        return -1;
    }
    /* change a copy so that a failure to save leaves nothing behind */
    if (!(copy = domainDefCopy(def)))
        return -1;
    iotuneFromConf(&copy->disks[idx]->iotune, &vals);
    if (iotuneApply(&vals, params, nparams) < 0)
        goto cleanup;
    iotuneToConf(&copy->disks[idx]->iotune, &vals);
    if (qemuStateSaveConfig(d->drv, copy) < 0)
        goto cleanup;
    if (d->newDef)
        d->newDef = copy;
    else
        d->def = copy;
    copy = def;
    ret = 0;
 cleanup:
    iotuneValuesClear(&vals);
    domainDefFree(copy);
    return ret;
}

static int
qemuDomainSetBlockIoTune(virDomainPtr dom, const char *disk,
                         virTypedParameterPtr params, int nparams,
                         unsigned int flags)
{
    QemuDom *d;
    bool live, config;
    int ret = -1;

    if (qemuBlockCheckFlags(flags, IOTUNE_AFFECT, __func__) < 0 ||
        iotuneCheckParams(params, nparams) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    if (qemuDomBeginJob(d) < 0)
        goto release;
    if (ioAffected(d, flags, &live, &config) < 0)
        goto cleanup;
    if (live && ioSetLive(d, disk, params, nparams) < 0)
        goto cleanup;
    if (live && qemuStateSaveStatus(d->drv, d) < 0)
        errorReset();
    if (config && ioSetConfig(d, disk, params, nparams) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    qemuDomEndJob(d);
 release:
    qemuDomRelease(d);
    return ret;
}

static int
qemuDomainGetBlockIoTune(virDomainPtr dom, const char *disk,
                         virTypedParameterPtr params, int *nparams,
                         unsigned int flags)
{
    QemuBlockDisk bd = { 0 };
    IotuneValues vals = { { 0 }, NULL };
    json_object *entry = NULL;
    const DomainDef *def;
    QemuDom *d;
    bool live, config;
    int ret = -1;

    if (qemuBlockCheckFlags(flags, IOTUNE_AFFECT | VIR_TYPED_PARAM_STRING_OKAY,
                            __func__) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    if (ioAffected(d, flags & IOTUNE_AFFECT, &live, &config) < 0)
        goto cleanup;
    if (live && config) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'live' and 'config' are "
                    "mutually exclusive in %s", __func__);
        goto cleanup;
    }
    def = live || !d->newDef ? d->def : d->newDef;
    /* an unknown disk fails the count call too: bindings allocate the
     * array after it and may not expect the second call to fail */
    if (qemuBlockDiskLookup(d, def, disk, &bd) < 0)
        goto cleanup;
    if (*nparams == 0) {
        /* only the count is asked for */
        ret = iotuneFillOut(&vals, params, nparams);
        goto cleanup;
    }
    if (live) {
        if (qemuBlockQueryDevice(d, bd.alias, &entry) < 0 ||
            !qemuBlockEntryNode(entry, bd.dst))
            goto cleanup;
        ioFromQemu(entry, &vals);
    } else {
        iotuneFromConf(&def->disks[bd.idx]->iotune, &vals);
    }
    ret = iotuneFillOut(&vals, params, nparams);
 cleanup:
    iotuneValuesClear(&vals);
    json_object_put(entry);
    qemuBlockDiskClear(&bd);
    qemuDomRelease(d);
    return ret;
}

int
qemuBlockStartSetup(Qmp *mon, const DomainDef *live)
{
    QmpBlockInfo *devs = NULL;
    int n = 0, ret = -1;

    for (size_t i = 0; i < live->ndisks; i++) {
        const DiskDef *dd = live->disks[i];
        IotuneValues vals;
        const char *qdev = NULL;
        json_object *cmd;
        int rc;

        if (!dd->iotune.present || !dd->hasSource)
            continue;
        if (!devs && (n = qmpQueryBlock(mon, &devs)) < 0)
            goto cleanup;
        for (int k = 0; k < n && !qdev; k++) {
            if (qemuBlockQdevMatch(devs[k].qdev, dd->info.alias))
                qdev = devs[k].qdev;
        }
        if (!qdev) {
            reportError(VIR_ERR_OPERATION_FAILED, "QEMU has no block device "
                        "for disk '%s'", dd->dst);
            goto cleanup;
        }
        iotuneFromConf(&dd->iotune, &vals);
        cmd = ioCommand(qdev, &vals);
        rc = qmpCommandRun(mon, cmd, NULL, 0);
        json_object_put(cmd);
        iotuneValuesClear(&vals);
        if (rc < 0)
            goto cleanup;
    }
    ret = 0;
 cleanup:
    qmpBlockInfoListFree(devs, n > 0 ? n : 0);
    return ret;
}

void
qemuBlockIotuneFill(Driver *drv)
{
    drv->domainSetBlockIoTune = qemuDomainSetBlockIoTune;
    drv->domainGetBlockIoTune = qemuDomainGetBlockIoTune;
}
