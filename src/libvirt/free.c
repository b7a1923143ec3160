/* free.c: freeing the lists and records that calls hand to the caller */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "driver.h"
#include "entry.h"
#include "typedparam.h"

#include <stdlib.h>

void
virDomainFSInfoFree(virDomainFSInfoPtr info)
{
    if (!info)
        return;
    free(info->mountpoint);
    free(info->name);
    free(info->fstype);
    for (size_t i = 0; i < info->ndevAlias; i++)
        free(info->devAlias[i]);
    free(info->devAlias);
    free(info);
}

void
virDomainIOThreadInfoFree(virDomainIOThreadInfoPtr info)
{
    if (!info)
        return;
    free(info->cpumap);
    free(info);
}

void
virDomainInterfaceFree(virDomainInterfacePtr iface)
{
    if (!iface)
        return;
    free(iface->name);
    free(iface->hwaddr);
    for (unsigned int i = 0; i < iface->naddrs; i++)
        free(iface->addrs[i].addr);
    free(iface->addrs);
    free(iface);
}

void
virNetworkDHCPLeaseFree(virNetworkDHCPLeasePtr lease)
{
    if (!lease)
        return;
    free(lease->iface);
    free(lease->mac);
    free(lease->iaid);
    free(lease->ipaddr);
    free(lease->hostname);
    free(lease->clientid);
    free(lease);
}

void
virDomainStatsRecordListFree(virDomainStatsRecordPtr *stats)
{
    if (!stats)
        return;
    for (virDomainStatsRecordPtr *p = stats; *p; p++) {
        objectUnref((*p)->dom);
        typedParamsFree((*p)->params, (*p)->nparams);
        free(*p);
    }
    free(stats);
}

int
virDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                      virDomainStatsRecordPtr **retStats, unsigned int flags)
{
    virConnectPtr conn = NULL;
    int ret;

    ENTRY_START();
    if (!doms || !doms[0]) {
        entryBadArg(__func__, "doms");
        goto error;
    }
    if (!retStats) {
        entryBadArg(__func__, "retStats");
        goto error;
    }
    for (virDomainPtr *d = doms; *d; d++) {
        if (objectCheck(*d, OBJ_DOMAIN, __func__) < 0)
            goto error;
        if ((*d)->conn != doms[0]->conn) {
            errorReport(ERROR_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                        "domains in the list belong to different connections");
            goto error;
        }
    }
    conn = doms[0]->conn;
    if (!conn->driver->domainListGetStats) {
        entryNoSupport(conn, __func__);
        goto error;
    }
    if ((ret = conn->driver->domainListGetStats(doms, stats, retStats,
                                                flags)) < 0)
        goto error;
    return ret;

 error:
    entryFail(conn, __func__);
    return -1;
}
