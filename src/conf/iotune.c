/* iotune.c: a disk's block I/O throttles as virDomainSet/GetBlockIoTune see
 * them, on top of the conf model's <iotune>; shared by the drivers */
#define ERROR_DOMAIN VIR_FROM_DOMAIN

#include "iotune.h"
#include "alloc.h"
#include "error.h"
#include "typedparam.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const iotuneNames[IOTUNE_N] = {
    "total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
    "total_iops_sec", "read_iops_sec", "write_iops_sec",
    "total_bytes_sec_max", "read_bytes_sec_max", "write_bytes_sec_max",
    "total_iops_sec_max", "read_iops_sec_max", "write_iops_sec_max",
    "size_iops_sec",
    "total_bytes_sec_max_length", "read_bytes_sec_max_length",
    "write_bytes_sec_max_length", "total_iops_sec_max_length",
    "read_iops_sec_max_length", "write_iops_sec_max_length",
};

void
iotuneValuesClear(IotuneValues *vals)
{
    free(vals->group);
    memset(vals, 0, sizeof(*vals));
}

/* The <iotune> child NAME kept in IO's extra, and its index. */
static XNode *
iotuneExtraKid(const DiskIotune *io, const char *name, size_t *idx)
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

void
iotuneFromConf(const DiskIotune *io, IotuneValues *out)
{
    XNode *kid;

    memset(out, 0, sizeof(*out));
    out->v[0] = io->totalBytesSec;
    out->v[1] = io->readBytesSec;
    out->v[2] = io->writeBytesSec;
    out->v[3] = io->totalIopsSec;
    out->v[4] = io->readIopsSec;
    out->v[5] = io->writeIopsSec;
    for (int i = 6; i < IOTUNE_N; i++) {
        if ((kid = iotuneExtraKid(io, iotuneNames[i], NULL)) && kid->text)
            out->v[i] = strtoull(kid->text, NULL, 10);
    }
    if ((kid = iotuneExtraKid(io, "group_name", NULL)) && kid->text)
        out->group = allocStrdup(kid->text);
}

/* Replace (TEXT NULL: drop) the <iotune> child NAME. */
static void
iotuneSetKid(DiskIotune *io, const char *name, const char *text)
{
    size_t idx;
    XNode *kid = iotuneExtraKid(io, name, &idx);

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

void
iotuneToConf(DiskIotune *io, const IotuneValues *in)
{
    bool any = in->group != NULL;
    char num[32];

    io->totalBytesSec = in->v[0];
    io->readBytesSec = in->v[1];
    io->writeBytesSec = in->v[2];
    io->totalIopsSec = in->v[3];
    io->readIopsSec = in->v[4];
    io->writeIopsSec = in->v[5];
    for (int i = 6; i < IOTUNE_N; i++) {
        snprintf(num, sizeof(num), "%llu", in->v[i]);
        iotuneSetKid(io, iotuneNames[i], in->v[i] ? num : NULL);
    }
    iotuneSetKid(io, "group_name", in->group);
    for (int i = 0; i < IOTUNE_N; i++)
        any |= in->v[i] != 0;
    io->present = any || !xtreeExtraNoKids(&io->extra);
}

int
iotuneCheckParams(const virTypedParameter *params, int nparams)
{
    TypedParamSpec spec[IOTUNE_N + 2];
    int i;

    for (i = 0; i < IOTUNE_N; i++)
        spec[i] = (TypedParamSpec){ iotuneNames[i], VIR_TYPED_PARAM_ULLONG,
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

/* Setting a total clears its read/write pair and the reverse. */
static int
iotuneApplyPairs(IotuneValues *vals, const virTypedParameter *params,
                 int nparams)
{
    for (int base = 0; base < 12; base += 3) {
        bool total = false, rw = false;

        for (int i = 0; i < nparams; i++) {
            total |= strcmp(params[i].field, iotuneNames[base]) == 0;
            rw |= strcmp(params[i].field, iotuneNames[base + 1]) == 0 ||
                  strcmp(params[i].field, iotuneNames[base + 2]) == 0;
        }
        if (total && rw) {
            reportError(VIR_ERR_INVALID_ARG, "'%s' and '%s'/'%s' cannot be "
                        "set at the same time", iotuneNames[base],
                        iotuneNames[base + 1], iotuneNames[base + 2]);
            return -1;
        }
        if (total)
            vals->v[base + 1] = vals->v[base + 2] = 0;
        if (rw)
            vals->v[base] = 0;
    }
    return 0;
}

int
iotuneApply(IotuneValues *vals, const virTypedParameter *params, int nparams)
{
    if (iotuneApplyPairs(vals, params, nparams) < 0)
        return -1;
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING) {
            free(vals->group);
            vals->group = *params[i].value.s ? allocStrdup(params[i].value.s)
                                             : NULL;
            continue;
        }
        for (int k = 0; k < IOTUNE_N; k++) {
            if (strcmp(params[i].field, iotuneNames[k]) == 0)
                vals->v[k] = params[i].value.ul;
        }
    }
    for (int k = 6; k < 12; k++) {
        const char *need = NULL, *what = NULL;

        if (vals->v[k] && !vals->v[k - 6]) {
            what = iotuneNames[k];
            need = iotuneNames[k - 6];
        } else if (vals->v[k + 7] && !vals->v[k]) {
            what = iotuneNames[k + 7];
            need = iotuneNames[k];
        }
        if (what) {
            reportError(VIR_ERR_INVALID_ARG, "'%s' needs '%s' to be set",
                        what, need);
            return -1;
        }
    }
    return 0;
}

int
iotuneFillOut(const IotuneValues *vals, virTypedParameterPtr params,
              int *nparams)
{
    virTypedParameterPtr all = NULL;
    int n = 0, max = 0, ret;

    for (int i = 0; i < IOTUNE_N; i++) {
        typedParamsAddULLong(&all, &n, &max, iotuneNames[i], vals->v[i]);
        if (i == IOTUNE_GROUP_AFTER)
            typedParamsAddString(&all, &n, &max, "group_name",
                                 vals->group ? vals->group : "");
    }
    ret = typedParamsFillOut(params, nparams, all, n);
    typedParamsFree(all, n);
    return ret;
}
