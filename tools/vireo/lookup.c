/* lookup.c: finding the domain a command line names by id, uuid or name */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>

static bool
lookupIsID(const char *s)
{
    return *s && strlen(s) <= 9 && strspn(s, "0123456789") == strlen(s);
}

/* True for the 36-character dashed form and the 32 bare hex digits. */
static bool
lookupIsUUID(const char *s)
{
    size_t hex = 0;

    for (; *s; s++) {
        if (strchr("0123456789abcdefABCDEF", *s))
            hex++;
        else if (*s != '-')
            return false;
    }
    return hex == VIR_UUID_BUFLEN * 2;
}

/* Find the domain ARG names, trying it as an id, then as a uuid, then as a
 * name, as virsh does. Returns a new reference, or NULL after printing the
 * error: the library's, or our own when ARG was tried several ways. */
virDomainPtr
lookupDomain(virConnectPtr conn, const char *arg)
{
    virDomainPtr dom = NULL;
    const char *tried = NULL;

    if (lookupIsID(arg)) {
        if ((dom = virDomainLookupByID(conn, atoi(arg))))
            return dom;
        if (virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
            goto error;
        tried = "id";
    }
    if (lookupIsUUID(arg)) {
        if ((dom = virDomainLookupByUUIDString(conn, arg)))
            return dom;
        /* a malformed uuid can still be a name */
        if (virGetLastErrorCode() != VIR_ERR_NO_DOMAIN &&
            virGetLastErrorCode() != VIR_ERR_INVALID_ARG)
            goto error;
        tried = tried ? "id, uuid" : "uuid";
    }
    if ((dom = virDomainLookupByName(conn, arg)))
        return dom;
    if (tried && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN) {
        errorsPrintf("no domain with %s or name '%s'", tried, arg);
        return NULL;
    }

 error:
    errorsReport();
    return NULL;
}
