/* netrate.h: an interface's bandwidth as typed parameters, for every driver */
#pragma once

#include <libvirt/libvirt.h>

#include "domain.h"
#include "typedparam.h"

#define NET_RATE_NFIELDS 7

/* The bandwidth parameters (all UINT), NULL-terminated, in the order of
 * netRateFields. */
extern const TypedParamSpec netRateSpec[NET_RATE_NFIELDS + 1];

/* Point F at the rates of IN and OUT in netRateSpec's order. */
void netRateFields(NetRate *in, NetRate *out,
                   unsigned long long *f[NET_RATE_NFIELDS]);

/* The rate of NET that parameter NAME (one of netRateSpec's) sets. */
unsigned long long *netRateField(NetDef *net, const char *name);
