/* entry.c: the failure path shared by all public entry points */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "entry.h"
#include "object.h"
#include "driver.h"

void
entryFail(virConnectPtr conn, const char *func)
{
    virErrorFunc handler = NULL;
    void *opaque = NULL;

    errorEnsure(func);
    if (conn && objectIsValid(conn, OBJ_CONNECT)) {
        connectStoreError(conn, errorLast(), &handler, &opaque);
        if (handler) {
            handler(opaque, errorLast());
            return;
        }
    }
    errorGetGlobalHandler(&opaque, &handler);
    errorCallHandler(handler, opaque, errorLast());
}

void
entryBadArg(const char *func, const char *argname)
{
    errorReport(ERROR_DOMAIN, VIR_ERR_INVALID_ARG, func,
                "%s: invalid argument '%s'", func, argname);
}

int
entryCheckFlags(const char *func, unsigned int flags, unsigned int allowed)
{
    if (flags & ~allowed) {
        errorReport(ERROR_DOMAIN, VIR_ERR_INVALID_ARG, func,
                    "%s: unsupported flags 0x%x", func, flags & ~allowed);
        return -1;
    }
    return 0;
}

int
entryCheckWritable(virConnectPtr conn, const char *func)
{
    if (conn->flags & VIR_CONNECT_RO) {
        errorReport(ERROR_DOMAIN, VIR_ERR_OPERATION_DENIED, func,
                    "%s: not allowed on a read-only connection", func);
        return -1;
    }
    return 0;
}

void
entryNoSupport(virConnectPtr conn, const char *func)
{
    if (conn && conn->driver)
        errorReport(ERROR_DOMAIN, VIR_ERR_NO_SUPPORT, func,
                    "%s is not supported by the %s driver", func,
                    conn->driver->name);
    else
        errorReport(ERROR_DOMAIN, VIR_ERR_NO_SUPPORT, func,
                    "%s is not supported by vireo", func);
}
