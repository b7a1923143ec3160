/* free.c: the lists and records that calls hand to the caller: building
 * stats records, freeing all of them */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "driver.h"
#include "entry.h"
#include "typedparam.h"
#include "alloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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

/* A stats record made by statsRecordNew: its parameters follow it. */
typedef struct {
    virDomainStatsRecord rec;
    virTypedParameter params[];
} StatsRecordBlock;

/* How the free tells the two kinds apart: a record built by hand has its
 * params from malloc, 16-byte aligned, so never at this offset from it. */
_Static_assert(offsetof(StatsRecordBlock, params) % 16 != 0,
               "inline stats params must not look like a malloc'd block");

virDomainStatsRecordPtr
statsRecordNew(virDomainPtr dom, const virTypedParameter *params, int n)
{
    StatsRecordBlock *b = allocZero(sizeof(*b) +
                                    (size_t)n * sizeof(b->params[0]));

    /* bulk stats make one per domain: one allocation, sized exactly */
    b->rec.dom = dom;
    b->rec.params = b->params;
    b->rec.nparams = n;
    if (n)
        memcpy(b->params, params, (size_t)n * sizeof(b->params[0]));
    return &b->rec;
}

void
virDomainStatsRecordListFree(virDomainStatsRecordPtr *stats)
{
    if (!stats)
        return;
    for (virDomainStatsRecordPtr *p = stats; *p; p++) {
        objectUnref((*p)->dom);
        typedParamsClear((*p)->params, (*p)->nparams);
        if ((*p)->params != ((StatsRecordBlock *)*p)->params)
            free((*p)->params);
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
