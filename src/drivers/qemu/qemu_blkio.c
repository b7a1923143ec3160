/* qemu_blkio.c: blkio parameters of QEMU domains (weight, per-device
 * weight and throttles) through the blkio (v1) or io (v2) cgroup */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_tune.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "typedparam.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define AFFECT (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

static const TypedParamSpec blkioSpec[] = {
    { VIR_DOMAIN_BLKIO_WEIGHT, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, VIR_TYPED_PARAM_STRING, false },
    { VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS, VIR_TYPED_PARAM_STRING, false },
    { VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS, VIR_TYPED_PARAM_STRING, false },
    { VIR_DOMAIN_BLKIO_DEVICE_READ_BPS, VIR_TYPED_PARAM_STRING, false },
    { VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS, VIR_TYPED_PARAM_STRING, false },
    { NULL, 0, false }
};

/* The per-device parameters: index 0 weight, 1..4 throttles. */
#define NDEV 5
static const char *const devParams[NDEV] = {
    VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS,
    VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS, VIR_DOMAIN_BLKIO_DEVICE_READ_BPS,
    VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS,
};
static const char *const devFilesV1[NDEV] = {
    NULL, "blkio.throttle.read_iops_device",
    "blkio.throttle.write_iops_device", "blkio.throttle.read_bps_device",
    "blkio.throttle.write_bps_device",
};
static const char *const devKeysV2[NDEV] = {
    NULL, "riops", "wiops", "rbps", "wbps",
};

static unsigned long long
blkDevValue(const BlkioDevice *dev, int k)
{
    switch (k) {
    case 0: return dev->weight;
    case 1: return dev->readIopsSec;
    case 2: return dev->writeIopsSec;
    case 3: return dev->readBytesSec;
    default: return dev->writeBytesSec;
    }
}

static void
blkDevSet(BlkioDevice *dev, int k, unsigned long long v)
{
    switch (k) {
    case 0: dev->weight = v; break;
    case 1: dev->readIopsSec = v; break;
    case 2: dev->writeIopsSec = v; break;
    case 3: dev->readBytesSec = v; break;
    default: dev->writeBytesSec = v; break;
    }
}

/* The weight file the kernel offers (blkio.weight, or BFQ's), or NULL
 * with VIR_ERR_OPERATION_UNSUPPORTED. DEVICE: the per-device one. */
static const char *
blkWeightFile(const QemuCgroup *cg, bool device)
{
    static const char *const v1[] = { "blkio.weight", "blkio.bfq.weight",
                                      "blkio.weight_device",
                                      "blkio.bfq.weight_device" };
    static const char *const v2[] = { "io.weight", "io.bfq.weight",
                                      "io.weight", "io.bfq.weight" };
    const char *const *f = qemuCgroupIsV2(cg) ? v2 : v1;
    int base = device ? 2 : 0;

    if (qemuCgroupHas(cg, f[base]))
        return f[base];
    if (qemuCgroupHas(cg, f[base + 1]))
        return f[base + 1];
    reportError(VIR_ERR_OPERATION_UNSUPPORTED, "the host kernel has no "
                "block I/O %sweight control (neither '%s' nor '%s'; the CFQ "
                "or BFQ I/O scheduler is needed)", device ? "device " : "",
                f[base], f[base + 1]);
    return NULL;
}

/* "MAJ:MIN" of block device PATH into BUF. */
static int
blkDevNum(const char *path, char buf[32])
{
    struct stat st;

    if (stat(path, &st) < 0) {
        reportSystemError(errno, "cannot stat block device '%s'", path);
        return -1;
    }
    if (!S_ISBLK(st.st_mode)) {
        reportError(VIR_ERR_INVALID_ARG, "'%s' is not a block device", path);
        return -1;
    }
    snprintf(buf, 32, "%u:%u", major(st.st_rdev), minor(st.st_rdev));
    return 0;
}

/* The value for device NUM in FILE's "MAJ:MIN VALUE" lines (v1) or in
 * io.max's "MAJ:MIN key=value" (v2, KEY); 0 when absent or "max". */
static unsigned long long
blkLookup(const char *content, const char *num, const char *key)
{
    size_t n = strlen(num);

    for (const char *p = content; p && *p; p = strchr(p, '\n') ?
         strchr(p, '\n') + 1 : NULL) {
        const char *v;

        if (strncmp(p, num, n) != 0 || p[n] != ' ')
            continue;
        if (!key)
            return strtoull(p + n + 1, NULL, 10);
        v = strstr(p, key);
        if (v && v < (strchr(p, '\n') ? strchr(p, '\n') : v + 1) &&
            v[strlen(key)] == '=')
            return strtoull(v + strlen(key) + 1, NULL, 10);
    }
    return 0;
}

/* Write per-device value K of DEV (0 clears) to the kernel. */
static int
blkWriteDev(QemuCgroup *cg, int k, const char *num, unsigned long long v)
{
    const char *file;

    if (k == 0) {
        if (!(file = blkWeightFile(cg, true)))
            return -1;
        return qemuCgroupWrite(cg, file, "%s %llu", num, v);
    }
    if (qemuCgroupIsV2(cg)) {
        if (v)
            return qemuCgroupWrite(cg, "io.max", "%s %s=%llu", num,
                                   devKeysV2[k], v);
        return qemuCgroupWrite(cg, "io.max", "%s %s=max", num, devKeysV2[k]);
    }
    return qemuCgroupWrite(cg, devFilesV1[k], "%s %llu", num, v);
}

/* Read live value K of device PATH. */
static int
blkReadDev(QemuCgroup *cg, int k, const char *path, unsigned long long *v)
{
    const char *file = k == 0 ? blkWeightFile(cg, true) :
        qemuCgroupIsV2(cg) ? "io.max" : devFilesV1[k];
    char num[32], *s;

    if (!file || blkDevNum(path, num) < 0 || !(s = qemuCgroupRead(cg, file)))
        return -1;
    *v = blkLookup(s, num, qemuCgroupIsV2(cg) && k ? devKeysV2[k] : NULL);
    free(s);
    return 0;
}

/* Parse "path,value[,path,value...]" of parameter K into DEVS. */
static int
blkParseList(const char *s, int k, BlkioDevice **devs, size_t *n)
{
    char *copy = allocStrdup(s), *save = NULL, *path, *val, *end;
    int ret = -1;

    *devs = NULL;
    *n = 0;
    for (path = strtok_r(copy, ",", &save); path;
         path = strtok_r(NULL, ",", &save)) {
        unsigned long long v;

        if (!(val = strtok_r(NULL, ",", &save))) {
            reportError(VIR_ERR_INVALID_ARG, "'%s' of %s lacks a value",
                        path, devParams[k]);
            goto cleanup;
        }
        errno = 0;
        v = strtoull(val, &end, 10);
        if (errno || *end || end == val || (k == 0 && v > 1000)) {
            reportError(VIR_ERR_INVALID_ARG, "invalid value '%s' for '%s' "
                        "in %s", val, path, devParams[k]);
            goto cleanup;
        }
        allocResize(devs, *n, *n + 1, sizeof(**devs));
        (*devs)[*n].path = allocStrdup(path);
        blkDevSet(&(*devs)[(*n)++], k, v);
    }
    ret = 0;
 cleanup:
    if (ret < 0) {
        for (size_t i = 0; i < *n; i++)
            free((*devs)[i].path);
        free(*devs);
        *devs = NULL;
        *n = 0;
    }
    free(copy);
    return ret;
}

/* Merge value K of DEV into BT's device list. */
static void
blkMerge(BlkioTune *bt, const BlkioDevice *dev, int k)
{
    BlkioDevice *t = NULL;

    for (size_t i = 0; i < bt->ndevices && !t; i++) {
        if (strcmp(bt->devices[i].path, dev->path) == 0)
            t = &bt->devices[i];
    }
    if (!t) {
        allocResize(&bt->devices, bt->ndevices, bt->ndevices + 1,
                    sizeof(*bt->devices));
        t = &bt->devices[bt->ndevices++];
        t->path = allocStrdup(dev->path);
    }
    blkDevSet(t, k, blkDevValue(dev, k));
    bt->present = true;
}

/* ---- get ---- */

/* "path,value,..." of parameter K: values from the kernel for LIVE. */
static char *
blkFormatList(QemuCgroup *cg, const BlkioTune *bt, int k)
{
    Buf b = { 0 };

    for (size_t i = 0; i < bt->ndevices; i++) {
        unsigned long long v = blkDevValue(&bt->devices[i], k);

        if (cg && blkReadDev(cg, k, bt->devices[i].path, &v) < 0) {
            errorReset();       /* a device gone since: its last value */
            v = blkDevValue(&bt->devices[i], k);
        }
        if (v)
            bufPrintf(&b, "%s%s,%llu", b.len ? "," : "",
                      bt->devices[i].path, v);
    }
    return b.len ? bufTake(&b) : allocStrdup("");
}

static int
qemuDomainGetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                             int *nparams, unsigned int flags)
{
    QemuDom *d;
    DomainDef *live = NULL, *config = NULL, *def;
    QemuCgroup *cg = NULL;
    virTypedParameterPtr list = NULL;
    unsigned long long weight = 0;
    const char *file;
    int n = 0, max = 0, ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT | VIR_TYPED_PARAM_STRING_OKAY,
                           __func__) < 0 ||
        !(d = qemuTuneBegin(dom, false, false)))
        return -1;
    if (qemuTuneAffect(d, qemuTuneGetAffect(flags), true, &live,
                       &config) < 0)
        goto cleanup;
    def = live ? live : config;
    weight = def->blkiotune.weight;
    if (live) {
        if (!(cg = qemuCgroupOpen(d->def->name, d->pid, QEMU_CG_BLKIO)))
            goto cleanup;
        /* a kernel without weight control reports 0 rather than failing
         * the whole call: the throttles still work */
        if ((file = blkWeightFile(cg, false))) {
            char *s = qemuCgroupRead(cg, file), *p;

            if (!s)
                goto cleanup;
            p = strncmp(s, "default ", 8) == 0 ? s + 8 : s;
            weight = strtoull(p, NULL, 10);
            free(s);
        } else {
            weight = 0;
        }
        errorReset();
    }
    typedParamsAddUInt(&list, &n, &max, VIR_DOMAIN_BLKIO_WEIGHT, weight);
    for (int k = 0; k < NDEV; k++) {
        char *s = blkFormatList(k == 0 && cg && !blkWeightFile(cg, true) ?
                                NULL : cg, &def->blkiotune, k);

        errorReset();
        typedParamsAddString(&list, &n, &max, devParams[k], s);
        free(s);
    }
    ret = typedParamsFillOut(params, nparams, list, n);
 cleanup:
    typedParamsFree(list, n);
    qemuCgroupFree(cg);
    qemuTuneEnd(d, false);
    return ret;
}

/* ---- set ---- */

/* Apply the live part: weight (0: leave) and the per-device lists. */
static int
blkApply(const char *name, pid_t pid, unsigned int weight,
         BlkioDevice *const devs[NDEV], const size_t ndevs[NDEV])
{
    QemuCgroup *cg = qemuCgroupOpen(name, pid, QEMU_CG_BLKIO);
    const char *file;
    int ret = -1;

    if (!cg)
        return -1;
    if (weight) {
        if (!(file = blkWeightFile(cg, false)) ||
            qemuCgroupWrite(cg, file, qemuCgroupIsV2(cg) ? "default %u" : "%u",
                            weight) < 0)
            goto cleanup;
    }
    for (int k = 0; k < NDEV; k++) {
        for (size_t i = 0; i < ndevs[k]; i++) {
            char num[32];

            if (blkDevNum(devs[k][i].path, num) < 0 ||
                blkWriteDev(cg, k, num, blkDevValue(&devs[k][i], k)) < 0)
                goto cleanup;
        }
    }
    ret = 0;
 cleanup:
    qemuCgroupFree(cg);
    return ret;
}

static void
blkFreeLists(BlkioDevice *devs[NDEV], size_t ndevs[NDEV])
{
    for (int k = 0; k < NDEV; k++) {
        for (size_t i = 0; i < ndevs[k]; i++)
            free(devs[k][i].path);
        free(devs[k]);
    }
}

static int
qemuDomainSetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params,
                             int nparams, unsigned int flags)
{
    QemuDom *d = NULL;
    DomainDef *live = NULL, *config = NULL;
    BlkioDevice *devs[NDEV] = { 0 };
    size_t ndevs[NDEV] = { 0 };
    unsigned int weight = 0;
    int ret = -1;

    if (qemuTuneCheckFlags(flags, AFFECT, __func__) < 0 ||
        typedParamsValidate(params, nparams, blkioSpec) < 0 ||
        typedParamsGetUInt(params, nparams, VIR_DOMAIN_BLKIO_WEIGHT,
                           &weight) < 0)
        return -1;
    if (typedParamsGet(params, nparams, VIR_DOMAIN_BLKIO_WEIGHT) &&
        (weight < 10 || weight > 1000)) {
        reportError(VIR_ERR_INVALID_ARG, "blkio weight %u is out of range "
                    "[10, 1000]", weight);
        return -1;
    }
    for (int k = 0; k < NDEV; k++) {
        const char *s = NULL;

        typedParamsGetString(params, nparams, devParams[k], &s);
        if (s && blkParseList(s, k, &devs[k], &ndevs[k]) < 0)
            goto cleanup;
    }
    if (!(d = qemuTuneBegin(dom, true, false)))
        goto cleanup;
    if (qemuTuneAffect(d, flags, false, &live, &config) < 0 ||
        (live && blkApply(d->def->name, d->pid, weight, devs, ndevs) < 0))
        goto cleanup;
    for (int j = 0; j < 2; j++) {
        DomainDef *def = j ? config : live;

        if (!def)
            continue;
        if (weight) {
            def->blkiotune.weight = weight;
            def->blkiotune.present = true;
        }
        for (int k = 0; k < NDEV; k++) {
            for (size_t i = 0; i < ndevs[k]; i++)
                blkMerge(&def->blkiotune, &devs[k][i], k);
        }
    }
    ret = qemuTuneSave(d, config, live != NULL);
 cleanup:
    blkFreeLists(devs, ndevs);
    if (d)
        qemuTuneEnd(d, true);
    return ret;
}

int
qemuBlkioApply(const DomainDef *def, pid_t pid)
{
    const BlkioTune *bt = &def->blkiotune;
    BlkioDevice *devs[NDEV] = { 0 };
    size_t ndevs[NDEV] = { 0 };
    int ret;

    /* one list per parameter, borrowing the definition's paths */
    for (int k = 0; k < NDEV; k++) {
        ALLOC_N(devs[k], bt->ndevices + 1);
        for (size_t i = 0; i < bt->ndevices; i++) {
            if (!blkDevValue(&bt->devices[i], k))
                continue;
            devs[k][ndevs[k]] = bt->devices[i];
            devs[k][ndevs[k]++].path = allocStrdup(bt->devices[i].path);
        }
    }
    ret = blkApply(def->name, pid, bt->weight, devs, ndevs);
    blkFreeLists(devs, ndevs);
    return ret;
}

void
qemuBlkioFill(Driver *drv)
{
    drv->domainGetBlkioParameters = qemuDomainGetBlkioParameters;
    drv->domainSetBlkioParameters = qemuDomainSetBlkioParameters;
}
