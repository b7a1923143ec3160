/* netrate.c: an interface's bandwidth as typed parameters, for every driver */
#include <string.h>

#include "netrate.h"

const TypedParamSpec netRateSpec[NET_RATE_NFIELDS + 1] = {
    { VIR_DOMAIN_BANDWIDTH_IN_AVERAGE, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_IN_PEAK, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_IN_BURST, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_IN_FLOOR, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_OUT_PEAK, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BANDWIDTH_OUT_BURST, VIR_TYPED_PARAM_UINT, false },
    { NULL, 0, false }
};

void
netRateFields(NetRate *in, NetRate *out,
              unsigned long long *f[NET_RATE_NFIELDS])
{
    f[0] = &in->average;
    f[1] = &in->peak;
    f[2] = &in->burst;
    f[3] = &in->floor;
    f[4] = &out->average;
    f[5] = &out->peak;
    f[6] = &out->burst;
}

unsigned long long *
netRateField(NetDef *net, const char *name)
{
    unsigned long long *f[NET_RATE_NFIELDS];
    int i = 0;

    netRateFields(&net->inbound, &net->outbound, f);
    while (i < NET_RATE_NFIELDS - 1 && strcmp(netRateSpec[i].name, name))
        i++;
    return f[i];
}
