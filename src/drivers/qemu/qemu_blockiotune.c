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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IOTUNE_AFFECT (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)
#define IOTUNE_MAX 1000000000000000ULL      /* QEMU's ceiling */
#define IO_N 19

/* The numeric throttles: libvirt's name (also the <iotune> child) and
 * QEMU's, in the order the get call reports them (group_name comes after
 * size_iops_sec). The first six are DiskIotune's typed fields. */
static const struct {
    const char *name;
    const char *qemu;
} ioFields[IO_N] = {
    { "total_bytes_sec", "bps" },
    { "read_bytes_sec", "bps_rd" },
    { "write_bytes_sec", "bps_wr" },
    { "total_iops_sec", "iops" },
    { "read_iops_sec", "iops_rd" },
    { "write_iops_sec", "iops_wr" },
    { "total_bytes_sec_max", "bps_max" },
    { "read_bytes_sec_max", "bps_rd_max" },
    { "write_bytes_sec_max", "bps_wr_max" },
    { "total_iops_sec_max", "iops_max" },
    { "read_iops_sec_max", "iops_rd_max" },
    { "write_iops_sec_max", "iops_wr_max" },
    { "size_iops_sec", "iops_size" },
    { "total_bytes_sec_max_length", "bps_max_length" },
    { "read_bytes_sec_max_length", "bps_rd_max_length" },
    { "write_bytes_sec_max_length", "bps_wr_max_length" },
    { "total_iops_sec_max_length", "iops_max_length" },
    { "read_iops_sec_max_length", "iops_rd_max_length" },
    { "write_iops_sec_max_length", "iops_wr_max_length" },
};
#define IO_GROUP_AFTER 12       /* index of size_iops_sec */

typedef struct {
    unsigned long long v[IO_N];
    char *group;                /* NULL when none */
} IoValues;

static void
ioValuesClear(IoValues *io)
{
    free(io->group);
    memset(io, 0, sizeof(*io));
}

/* The <iotune> child NAME kept in IO's extra, and its index. */
static XNode *
ioExtraKid(const DiskIotune *io, const char *name, size_t *idx)
{
    for (size_t i = 0; i < io->extra.nkids; i++) {
        if (strcmp(io->extra.kids[i]->name, name) == 0) {
            if (idx)
                *idx = i;
            return io->extra.kids[i];
        }
    }
    return NULL;
}

static void
ioFromConf(const DiskIotune *io, IoValues *out)
{
    XNode *kid;

    memset(out, 0, sizeof(*out));
    out->v[0] = io->totalBytesSec;
    out->v[1] = io->readBytesSec;
    out->v[2] = io->writeBytesSec;
    out->v[3] = io->totalIopsSec;
    out->v[4] = io->readIopsSec;
    out->v[5] = io->writeIopsSec;
    for (int i = 6; i < IO_N; i++) {
        if ((kid = ioExtraKid(io, ioFields[i].name, NULL)) && kid->text)
            out->v[i] = strtoull(kid->text, NULL, 10);
    }
    if ((kid = ioExtraKid(io, "group_name", NULL)) && kid->text)
        out->group = allocStrdup(kid->text);
}

/* Replace (TEXT NULL: drop) the <iotune> child NAME. */
static void
ioSetKid(DiskIotune *io, const char *name, const char *text)
{
    size_t idx;
    XNode *kid = ioExtraKid(io, name, &idx);

    if (!text) {
        if (kid) {
            xtreeFree(kid);
            memmove(&io->extra.kids[idx], &io->extra.kids[idx + 1],
                    (io->extra.nkids - idx - 1) * sizeof(XNode *));
            io->extra.nkids--;
        }
        return;
    }
    if (!kid) {
        kid = xtreeNew(name);
        allocResize(&io->extra.kids, io->extra.nkids, io->extra.nkids + 1,
                    sizeof(XNode *));
        io->extra.kids[io->extra.nkids++] = kid;
    }
    free(kid->text);
    kid->text = allocStrdup(text);
}

static void
ioToConf(DiskIotune *io, const IoValues *in)
{
    bool any = in->group != NULL;
    char num[32];

    io->totalBytesSec = in->v[0];
    io->readBytesSec = in->v[1];
    io->writeBytesSec = in->v[2];
    io->totalIopsSec = in->v[3];
    io->readIopsSec = in->v[4];
    io->writeIopsSec = in->v[5];
    for (int i = 6; i < IO_N; i++) {
        snprintf(num, sizeof(num), "%llu", in->v[i]);
        ioSetKid(io, ioFields[i].name, in->v[i] ? num : NULL);
    }
    ioSetKid(io, "group_name", in->group);
    for (int i = 0; i < IO_N; i++)
        any |= in->v[i] != 0;
    io->present = any || !xtreeExtraNoKids(&io->extra);
}

/* The throttles QEMU reports in a query-block ENTRY. A device without a
 * group of its own is in a group QEMU names after the device: that is no
 * group_name. */
static void
ioFromQemu(json_object *entry, IoValues *out)
{
    json_object *ins = json_object_object_get(entry, "inserted"), *v;
    json_object *qdev = json_object_object_get(entry, "qdev");
    json_object *dev = json_object_object_get(entry, "device");
    const char *group;

    memset(out, 0, sizeof(*out));
    if (!ins)
        return;
    for (int i = 0; i < IO_N; i++) {
        if ((v = json_object_object_get(ins, ioFields[i].qemu)))
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
ioCommand(const char *qdev, const IoValues *vals)
{
    json_object *cmd = qmpCommandNew("block_set_io_throttle",
                                     "s:id", qdev, NULL);
    json_object *args = json_object_object_get(cmd, "arguments");

    for (int i = 0; i < IO_N; i++) {
        /* the six base values are mandatory, the others optional */
        if (i < 6 || vals->v[i])
            json_object_object_add(args, ioFields[i].qemu,
                                   json_object_new_int64((int64_t)vals->v[i]));
    }
    if (vals->group)
        json_object_object_add(args, "group",
                               json_object_new_string(vals->group));
    return cmd;
}

/* Apply PARAMS over VALS: setting a total clears its read/write pair and
 * the reverse; both in one call is an error, as is a burst without its
 * base or a burst length without its burst. */
static int
ioApply(IoValues *vals, const virTypedParameter *params, int nparams)
{
    for (int base = 0; base < 12; base += 3) {
        bool total = false, rw = false;

        for (int i = 0; i < nparams; i++) {
            total |= strcmp(params[i].field, ioFields[base].name) == 0;
            rw |= strcmp(params[i].field, ioFields[base + 1].name) == 0 ||
                  strcmp(params[i].field, ioFields[base + 2].name) == 0;
        }
        if (total && rw) {
            reportError(VIR_ERR_INVALID_ARG, "'%s' and '%s'/'%s' cannot be "
                        "set at the same time", ioFields[base].name,
                        ioFields[base + 1].name, ioFields[base + 2].name);
            return -1;
        }
        if (total)
            vals->v[base + 1] = vals->v[base + 2] = 0;
        if (rw)
            vals->v[base] = 0;
    }
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING) {
            free(vals->group);
            vals->group = *params[i].value.s ? allocStrdup(params[i].value.s)
                                             : NULL;
            continue;
        }
        for (int k = 0; k < IO_N; k++) {
            if (strcmp(params[i].field, ioFields[k].name) == 0)
                vals->v[k] = params[i].value.ul;
        }
    }
    for (int k = 6; k < 12; k++) {
        const char *need = NULL, *what = NULL;

        if (vals->v[k] && !vals->v[k - 6]) {
            what = ioFields[k].name;
            need = ioFields[k - 6].name;
        } else if (vals->v[k + 7] && !vals->v[k]) {
            what = ioFields[k + 7].name;
            need = ioFields[k].name;
        }
        if (what) {
            reportError(VIR_ERR_INVALID_ARG, "'%s' needs '%s' to be set",
                        what, need);
            return -1;
        }
    }
    return 0;
}

static int
ioCheckParams(const virTypedParameter *params, int nparams)
{
    TypedParamSpec spec[IO_N + 2];
    int i;

    for (i = 0; i < IO_N; i++)
        spec[i] = (TypedParamSpec){ ioFields[i].name, VIR_TYPED_PARAM_ULLONG,
                                    false };
    spec[i++] = (TypedParamSpec){ "group_name", VIR_TYPED_PARAM_STRING,
                                  false };
    spec[i] = (TypedParamSpec){ NULL, 0, false };
    if (nparams < 0 || (nparams > 0 && !params)) {
        reportError(VIR_ERR_INVALID_ARG, "invalid parameter array (%d)",
                    nparams);
        return -1;
    }
    if (typedParamsValidate(params, nparams, spec) < 0)
        return -1;
    for (i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_ULLONG &&
            params[i].value.ul > IOTUNE_MAX) {
            reportError(VIR_ERR_INVALID_ARG, "value of '%s' is too big (at "
                        "most %llu)", params[i].field, IOTUNE_MAX);
            return -1;
        }
    }
    return 0;
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
ioEvent(QemuDom *d, const char *dst, const IoValues *vals)
{
    DomainEvent *ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_TUNABLE);
    int max = 0;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    if (!ev)
        return;
    typedParamsAddString(&ev->params, &ev->nparams, &max,
                         VIR_DOMAIN_TUNABLE_BLKDEV_DISK, dst);
    for (int i = 0; i < IO_N; i++) {
        snprintf(name, sizeof(name), "blkdeviotune.%s", ioFields[i].name);
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
    IoValues vals = { { 0 }, NULL };
    char *qdev = NULL;
    int ret = -1;

    if (qemuBlockDiskLookup(d, d->def, disk, &bd) < 0 ||
        qemuBlockQueryDevice(d, bd.alias, &entry) < 0 ||
        !qemuBlockEntryNode(entry, bd.dst))
        goto cleanup;
    q = json_object_object_get(entry, "qdev");
    qdev = allocStrdup(json_object_get_string(q));
    ioFromQemu(entry, &vals);
    if (ioApply(&vals, params, nparams) < 0 ||
        qemuBlockMonRun(d, ioCommand(qdev, &vals), NULL, 0) < 0)
        goto cleanup;
    /* the live XML shows what QEMU now applies */
    if (bd.idx < (int)d->def->ndisks &&
        strcmp(d->def->disks[bd.idx]->dst, bd.dst) == 0)
        ioToConf(&d->def->disks[bd.idx]->iotune, &vals);
    ioEvent(d, bd.dst, &vals);
    ret = 0;
 cleanup:
    ioValuesClear(&vals);
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
    IoValues vals = { { 0 }, NULL };
    int idx = domainFindDisk(def, disk), ret = -1;

    if (idx < 0) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no disk '%s' in "
                    "its persistent configuration", d->def->name, disk);
        return -1;
    }
    /* change a copy so that a failure to save leaves nothing behind */
    if (!(copy = domainDefCopy(def)))
        return -1;
    ioFromConf(&copy->disks[idx]->iotune, &vals);
    if (ioApply(&vals, params, nparams) < 0)
        goto cleanup;
    ioToConf(&copy->disks[idx]->iotune, &vals);
    if (qemuStateSaveConfig(d->drv, copy) < 0)
        goto cleanup;
    if (d->newDef)
        d->newDef = copy;
    else
        d->def = copy;
    copy = def;
    ret = 0;
 cleanup:
    ioValuesClear(&vals);
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
        ioCheckParams(params, nparams) < 0 || !(d = qemuDomGet(dom)))
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

/* VALS as get-call parameters. group_name is a string, returned even
 * without VIR_TYPED_PARAM_STRING_OKAY as libvirt does: the bindings learn
 * the names a set call accepts from a get call without that flag. */
static int
ioFillOut(const IoValues *vals, virTypedParameterPtr params, int *nparams)
{
    virTypedParameterPtr all = NULL;
    int n = 0, max = 0, ret;

    for (int i = 0; i < IO_N; i++) {
        typedParamsAddULLong(&all, &n, &max, ioFields[i].name, vals->v[i]);
        if (i == IO_GROUP_AFTER)
            typedParamsAddString(&all, &n, &max, "group_name",
                                 vals->group ? vals->group : "");
    }
    ret = typedParamsFillOut(params, nparams, all, n);
    typedParamsFree(all, n);
    return ret;
}

static int
qemuDomainGetBlockIoTune(virDomainPtr dom, const char *disk,
                         virTypedParameterPtr params, int *nparams,
                         unsigned int flags)
{
    QemuBlockDisk bd = { 0 };
    IoValues vals = { { 0 }, NULL };
    json_object *entry = NULL;
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
    if (*nparams == 0) {
        /* only the count is asked for */
        ret = ioFillOut(&vals, params, nparams);
        goto cleanup;
    }
    if (live) {
        if (qemuBlockDiskLookup(d, d->def, disk, &bd) < 0 ||
            qemuBlockQueryDevice(d, bd.alias, &entry) < 0 ||
            !qemuBlockEntryNode(entry, bd.dst))
            goto cleanup;
        ioFromQemu(entry, &vals);
    } else {
        if (qemuBlockDiskLookup(d, d->newDef ? d->newDef : d->def, disk,
                                &bd) < 0)
            goto cleanup;
        ioFromConf(&(d->newDef ? d->newDef : d->def)->disks[bd.idx]->iotune,
                   &vals);
    }
    ret = ioFillOut(&vals, params, nparams);
 cleanup:
    ioValuesClear(&vals);
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
        IoValues vals;
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
        ioFromConf(&dd->iotune, &vals);
        cmd = ioCommand(qdev, &vals);
        rc = qmpCommandRun(mon, cmd, NULL, 0);
        json_object_put(cmd);
        ioValuesClear(&vals);
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
