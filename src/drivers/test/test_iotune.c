/* test_iotune.c: test driver block I/O throttling and interface bandwidth */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "alloc.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AFFECT_FLAGS (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)
#define IOTUNE_MAX 1000000000000000ULL      /* QEMU's ceiling */

/* The numeric fields, in the order get calls report them; group_name is
 * reported after size_iops_sec. The first 6 are DiskIotune's typed ones. */
static const char *const ioNames[] = {
    "total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
    "total_iops_sec", "read_iops_sec", "write_iops_sec",
    "total_bytes_sec_max", "read_bytes_sec_max", "write_bytes_sec_max",
    "total_iops_sec_max", "read_iops_sec_max", "write_iops_sec_max",
    "size_iops_sec",
    "total_bytes_sec_max_length", "read_bytes_sec_max_length",
    "write_bytes_sec_max_length", "total_iops_sec_max_length",
    "read_iops_sec_max_length", "write_iops_sec_max_length",
};
#define IO_N 19
#define IO_SIZE 12

typedef struct {
    unsigned long long v[IO_N];
    char *group;
} IoValues;

static XNode *
testIoExtraKid(const DiskIotune *io, const char *name, size_t *idx)
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
testIoRead(const DiskIotune *io, IoValues *out)
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
        if ((kid = testIoExtraKid(io, ioNames[i], NULL)) && kid->text)
            out->v[i] = strtoull(kid->text, NULL, 10);
    }
    if ((kid = testIoExtraKid(io, "group_name", NULL)) && kid->text)
        out->group = allocStrdup(kid->text);
}

/* Replace (or drop, when TEXT is NULL) the extra child NAME. */
static void
testIoSetKid(DiskIotune *io, const char *name, const char *text)
{
    size_t idx;
    XNode *kid = testIoExtraKid(io, name, &idx);

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
testIoWrite(DiskIotune *io, const IoValues *in)
{
    bool any = in->group != NULL;

    io->totalBytesSec = in->v[0];
    io->readBytesSec = in->v[1];
    io->writeBytesSec = in->v[2];
    io->totalIopsSec = in->v[3];
    io->readIopsSec = in->v[4];
    io->writeIopsSec = in->v[5];
    for (int i = 6; i < IO_N; i++) {
        char num[32];

        snprintf(num, sizeof(num), "%llu", in->v[i]);
        testIoSetKid(io, ioNames[i], in->v[i] ? num : NULL);
    }
    testIoSetKid(io, "group_name", in->group);
    for (int i = 0; i < IO_N; i++)
        any |= in->v[i] != 0;
    io->present = any || !xtreeExtraNoKids(&io->extra);
}

/* Apply PARAMS to VALS with QEMU's rules: setting a total clears the
 * read/write pair and the reverse; both at once is an error; a burst needs
 * its base and a burst length its burst. */
static int
testIoApply(IoValues *vals, const virTypedParameter *params, int nparams)
{
    for (int fam = 0; fam < 4; fam++) {
        int base = fam < 2 ? fam * 3 : 6 + (fam - 2) * 3;
        bool total = false, rw = false;

        for (int i = 0; i < nparams; i++) {
            total |= strcmp(params[i].field, ioNames[base]) == 0;
            rw |= strcmp(params[i].field, ioNames[base + 1]) == 0 ||
                  strcmp(params[i].field, ioNames[base + 2]) == 0;
        }
        if (total && !rw)
            vals->v[base + 1] = vals->v[base + 2] = 0;
        if (rw && !total)
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
            if (strcmp(params[i].field, ioNames[k]) == 0)
                vals->v[k] = params[i].value.ul;
        }
    }
    for (int k = 0; k < 12; k += 3) {
        if (vals->v[k] && (vals->v[k + 1] || vals->v[k + 2])) {
            reportError(VIR_ERR_INVALID_ARG, "total and read/write of %s "
                        "cannot be set at the same time", ioNames[k] + 6);
            return -1;
        }
    }
    for (int k = 6; k < 12; k++) {
        if (vals->v[k] && !vals->v[k - 6]) {
            reportError(VIR_ERR_INVALID_ARG, "cannot set %s when %s is not "
                        "set", ioNames[k], ioNames[k - 6]);
            return -1;
        }
        if (vals->v[k + 7] && !vals->v[k]) {
            reportError(VIR_ERR_INVALID_ARG, "cannot set %s when %s is not "
                        "set", ioNames[k + 7], ioNames[k]);
            return -1;
        }
    }
    return 0;
}

static int
testIoCheckParams(virTypedParameterPtr params, int nparams)
{
    TypedParamSpec spec[IO_N + 2];
    int i;

    for (i = 0; i < IO_N; i++)
        spec[i] = (TypedParamSpec){ ioNames[i], VIR_TYPED_PARAM_ULLONG, false };
    spec[i++] = (TypedParamSpec){ "group_name", VIR_TYPED_PARAM_STRING, false };
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
            reportError(VIR_ERR_INVALID_ARG, "value of '%s' is too big "
                        "(at most %llu)", params[i].field, IOTUNE_MAX);
            return -1;
        }
    }
    return 0;
}

/* The event QEMU's driver sends for a live change: disk + every value. */
static void
testIoEvent(virConnectPtr conn, TestDomain *d, const char *disk,
            const IoValues *vals)
{
    virTypedParameterPtr ev = NULL;
    int n = 0, max = 0;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];

    typedParamsAddString(&ev, &n, &max, VIR_DOMAIN_TUNABLE_BLKDEV_DISK, disk);
    for (int k = 0; k < IO_N; k++) {
        snprintf(name, sizeof(name), "blkdeviotune.%s", ioNames[k]);
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
             int nparams, IoValues *vals)
{
    int idx = testDiskIndex(def, disk);

    if (idx < 0)
        return -1;
    testIoRead(&def->disks[idx]->iotune, vals);
    if (testIoApply(vals, params, nparams) < 0)
        return -1;
    testIoWrite(&def->disks[idx]->iotune, vals);
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
    IoValues lv = { { 0 }, NULL }, cv = { { 0 }, NULL };
    int ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0 ||
        testIoCheckParams(params, nparams) < 0)
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
        testIoRead(&live->disks[idx]->iotune, &lv);
        if (testIoApply(&lv, params, nparams) < 0)
            goto cleanup;
    }
    if (config && testIoSetOne(config, disk, params, nparams, &cv) < 0)
        goto cleanup;
    if (live) {
        int idx = domainFindDisk(live, disk);
        testIoWrite(&live->disks[idx]->iotune, &lv);
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
    IoValues vals = { { 0 }, NULL };
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
    if ((idx = testDiskIndex(def, disk)) < 0)
        goto cleanup;
    testIoRead(&def->disks[idx]->iotune, &vals);
    for (int k = 0; k < IO_N; k++) {
        typedParamsAddULLong(&list, &n, &max, ioNames[k], vals.v[k]);
        if (k == IO_SIZE)
            typedParamsAddString(&list, &n, &max, "group_name",
                                 vals.group ? vals.group : "");
    }
    ret = typedParamsFillOut(params, nparams, list, n);

 cleanup:
    typedParamsFree(list, n);
    free(vals.group);
    testHostUnlock(h);
    return ret;
}

/* ---- interface bandwidth ---- */

static const TypedParamSpec bwSpec[] = {
    { VIR_DOMAIN_BANDWIDTH_IN_AVERAGE, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_IN_PEAK, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_IN_BURST, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_IN_FLOOR, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_OUT_PEAK, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_OUT_BURST, VIR_TYPED_PARAM_UINT, false },
    { NULL, 0, false }
};

static unsigned long long *
testBwField(NetDef *net, const char *name)
{
    NetRate *r = strncmp(name, "inbound.", 8) == 0 ? &net->inbound
                                                   : &net->outbound;
    const char *f = strchr(name, '.') + 1;

    if (strcmp(f, "average") == 0)
        return &r->average;
    if (strcmp(f, "peak") == 0)
        return &r->peak;
    if (strcmp(f, "burst") == 0)
        return &r->burst;
    return &r->floor;
}

/* An average of 0 removes the direction's limits altogether. */
static int
testBwApply(NetDef *net, const virTypedParameter *params, int nparams,
            bool dryRun)
{
    NetDef tmp = *net;

    for (int i = 0; i < nparams; i++)
        *testBwField(&tmp, params[i].field) = params[i].value.ui;
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
    if (typedParamsValidate(params, nparams, bwSpec) < 0)
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
    for (int i = 0; bwSpec[i].name; i++)
        typedParamsAddUInt(&list, &n, &max, bwSpec[i].name,
                           *testBwField(def->nets[idx], bwSpec[i].name));
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
