/* iotune.h: a disk's block I/O throttles as virDomainSet/GetBlockIoTune see
 * them, on top of the conf model's <iotune>; shared by the drivers */
#pragma once

#include <libvirt/libvirt.h>

#include "domain.h"

/* The numeric throttles, in the order the get call reports them; their
 * names are both the typed-parameter names and the <iotune> children. The
 * first six are DiskIotune's typed fields. group_name is reported after
 * size_iops_sec (index IOTUNE_GROUP_AFTER). */
#define IOTUNE_N 19
#define IOTUNE_GROUP_AFTER 12
#define IOTUNE_MAX 1000000000000000ULL      /* QEMU's ceiling */
extern const char *const iotuneNames[IOTUNE_N];

typedef struct {
    unsigned long long v[IOTUNE_N];
    char *group;                /* NULL when none */
} IotuneValues;

/* Free VALS' group name and zero it. */
void iotuneValuesClear(IotuneValues *vals);
/* Read the throttles of IO into OUT (overwritten; clear it after use). */
void iotuneFromConf(const DiskIotune *io, IotuneValues *out);
/* Store IN into IO (other <iotune> children are kept). */
void iotuneToConf(DiskIotune *io, const IotuneValues *in);
/* Check a set call's PARAMS: known names and types, values in range.
 * VIR_ERR_INVALID_ARG naming the parameter. 0 or -1. */
int iotuneCheckParams(const virTypedParameter *params, int nparams);
/* Apply checked PARAMS to VALS with QEMU's rules: setting a total clears
 * its read/write pair and the reverse, both at once is an error; a burst
 * needs its base and a burst length its burst. 0 or -1 (INVALID_ARG). */
int iotuneApply(IotuneValues *vals, const virTypedParameter *params,
                int nparams);
/* VALS as a get call's output (the *NPARAMS == 0 convention). group_name
 * is a string returned even without VIR_TYPED_PARAM_STRING_OKAY: the
 * bindings learn the names a set call accepts from a get call. */
int iotuneFillOut(const IotuneValues *vals, virTypedParameterPtr params,
                  int *nparams);
