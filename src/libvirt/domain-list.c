/* domain-list.c: the old listing calls, answered from the driver's
 * connectListAllDomains so that no driver implements them twice */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "driver.h"
#include "entry.h"
#include "alloc.h"

#include <stdlib.h>

/* The domains of CONN matching FLAGS (a NULL-terminated list the caller
 * frees with domainListFree), or NULL after reporting. *N is their count. */
static virDomainPtr *
domainListGet(virConnectPtr conn, unsigned int flags, int *n,
              const char *func)
{
    virDomainPtr *doms = NULL;

    if (objectCheck(conn, OBJ_CONNECT, func) < 0)
        return NULL;
    if (!conn->driver->connectListAllDomains) {
        entryNoSupport(conn, func);
        return NULL;
    }
    if ((*n = conn->driver->connectListAllDomains(conn, &doms, flags)) < 0)
        return NULL;
    return doms;
}

static void
domainListFree(virDomainPtr *doms)
{
    for (virDomainPtr *d = doms; d && *d; d++)
        objectUnref(*d);
    free(doms);
}

static int
domainListCount(virConnectPtr conn, unsigned int flags, const char *func)
{
    virDomainPtr *doms;
    int n = -1;

    ENTRY_START();
    if (!(doms = domainListGet(conn, flags, &n, func))) {
        entryFail(objectIsValid(conn, OBJ_CONNECT) ? conn : NULL, func);
        return -1;
    }
    domainListFree(doms);
    return n;
}

int
virConnectNumOfDomains(virConnectPtr conn)
{
    return domainListCount(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, __func__);
}

int
virConnectNumOfDefinedDomains(virConnectPtr conn)
{
    return domainListCount(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, __func__);
}

int
virConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    virDomainPtr *doms;
    int n = 0, filled = 0;

    ENTRY_START();
    if (maxids < 0 || (maxids > 0 && !ids)) {
        entryBadArg(__func__, maxids < 0 ? "maxids" : "ids");
        goto error;
    }
    if (!(doms = domainListGet(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, &n,
                               __func__)))
        goto error;
    for (int i = 0; i < n && filled < maxids; i++)
        ids[filled++] = doms[i]->id;
    domainListFree(doms);
    return filled;

 error:
    entryFail(objectIsValid(conn, OBJ_CONNECT) ? conn : NULL, __func__);
    return -1;
}

int
virConnectListDefinedDomains(virConnectPtr conn, char **const names,
                             int maxnames)
{
    virDomainPtr *doms;
    int n = 0, filled = 0;

    ENTRY_START();
    if (maxnames < 0 || (maxnames > 0 && !names)) {
        entryBadArg(__func__, maxnames < 0 ? "maxnames" : "names");
        goto error;
    }
    if (!(doms = domainListGet(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, &n,
                               __func__)))
        goto error;
    for (int i = 0; i < n && filled < maxnames; i++)
        names[filled++] = allocStrdup(doms[i]->name);
    domainListFree(doms);
    return filled;

 error:
    entryFail(objectIsValid(conn, OBJ_CONNECT) ? conn : NULL, __func__);
    return -1;
}
