/* errors.c: the public virterror calls over the per-thread last error */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "entry.h"
#include "object.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

/* Note: these calls read or change the last error themselves, so they do not
 * reset it on entry the way other public calls do. */

virErrorPtr
virGetLastError(void)
{
    virErrorPtr err = errorLast();

    return err->code == VIR_ERR_OK ? NULL : err;
}

int
virGetLastErrorCode(void)
{
    return errorLast()->code;
}

int
virGetLastErrorDomain(void)
{
    return errorLast()->domain;
}

const char *
virGetLastErrorMessage(void)
{
    virErrorPtr err = errorLast();

    if (err->code == VIR_ERR_OK)
        return "no error";
    return err->message ? err->message : "unknown error";
}

void
virResetLastError(void)
{
    errorReset();
}

int
virCopyLastError(virErrorPtr to)
{
    virErrorPtr err = errorLast();

    if (!to)
        return -1;
    errorCopy(to, err);
    return err->code;
}

virErrorPtr
virSaveLastError(void)
{
    virErrorPtr copy = allocZero(sizeof(*copy));

    errorCopy(copy, errorLast());
    return copy;
}

void
virResetError(virErrorPtr err)
{
    errorClear(err);
}

void
virFreeError(virErrorPtr err)
{
    errorClear(err);
    free(err);
}

void
virSetErrorFunc(void *userData, virErrorFunc handler)
{
    errorSetGlobalHandler(userData, handler);
}

void
virDefaultErrorFunc(virErrorPtr err)
{
    errorPrint(err);
}

void
virConnSetErrorFunc(virConnectPtr conn, void *userData, virErrorFunc handler)
{
    if (!objectIsValid(conn, OBJ_CONNECT))
        return;
    pthread_mutex_lock(&conn->lock);
    conn->handler = handler;
    conn->handlerData = userData;
    pthread_mutex_unlock(&conn->lock);
}

virErrorPtr
virConnGetLastError(virConnectPtr conn)
{
    if (!objectIsValid(conn, OBJ_CONNECT))
        return NULL;
    return conn->err.code == VIR_ERR_OK ? NULL : &conn->err;
}

int
virConnCopyLastError(virConnectPtr conn, virErrorPtr to)
{
    int code;

    if (!objectIsValid(conn, OBJ_CONNECT) || !to)
        return -1;
    pthread_mutex_lock(&conn->lock);
    errorCopy(to, &conn->err);
    code = conn->err.code;
    pthread_mutex_unlock(&conn->lock);
    return code;
}

void
virConnResetLastError(virConnectPtr conn)
{
    if (!objectIsValid(conn, OBJ_CONNECT))
        return;
    pthread_mutex_lock(&conn->lock);
    errorClear(&conn->err);
    pthread_mutex_unlock(&conn->lock);
}
