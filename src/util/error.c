/* error.c: the per-thread last error and how code reports one */
#include "error.h"
#include "alloc.h"
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_key_t errorKey;
static pthread_once_t errorOnce = PTHREAD_ONCE_INIT;
static pthread_mutex_t errorHandlerLock = PTHREAD_MUTEX_INITIALIZER;
static virErrorFunc errorHandler;
static void *errorHandlerData;

static void
errorThreadFree(void *data)
{
    virErrorPtr err = data;

    errorClear(err);
    free(err);
}

static void
errorKeyInit(void)
{
    pthread_key_create(&errorKey, errorThreadFree);
}

static virErrorPtr
errorThreadGet(void)
{
    virErrorPtr err;

    pthread_once(&errorOnce, errorKeyInit);
    if (!(err = pthread_getspecific(errorKey))) {
        err = allocZero(sizeof(*err));
        pthread_setspecific(errorKey, err);
    }
    return err;
}

void
errorClear(virErrorPtr err)
{
    if (!err)
        return;
    free(err->message);
    free(err->str1);
    free(err->str2);
    free(err->str3);
    memset(err, 0, sizeof(*err));
}

void
errorCopy(virErrorPtr to, const virError *from)
{
    errorClear(to);
    to->code = from->code;
    to->domain = from->domain;
    to->level = from->level;
    to->int1 = from->int1;
    to->int2 = from->int2;
    to->message = allocStrdup(from->message);
    to->str1 = allocStrdup(from->str1);
    to->str2 = allocStrdup(from->str2);
    to->str3 = allocStrdup(from->str3);
}

static void
errorSetMessage(int domain, int code, const char *func, char *msg)
{
    virErrorPtr err = errorThreadGet();

    errorClear(err);
    err->domain = domain;
    err->code = code;
    err->level = VIR_ERR_ERROR;
    err->message = msg;
    err->str1 = allocStrdup(msg);
    logDebug("error", "%s: code=%d domain=%d: %s", func, code, domain, msg);
}

void
errorReport(int domain, int code, const char *func, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    errorSetMessage(domain, code, func, allocVPrintf(fmt, ap));
    va_end(ap);
}

void
errorReportSystem(int domain, int errnum, const char *func,
                  const char *fmt, ...)
{
    va_list ap;
    char *head;
    char buf[256];
    const char *reason;

    va_start(ap, fmt);
    head = allocVPrintf(fmt, ap);
    va_end(ap);
    /* the GNU strerror_r: the message is what it returns, not always buf */
    reason = strerror_r(errnum, buf, sizeof(buf));
    errorSetMessage(domain, VIR_ERR_SYSTEM_ERROR, func,
                    allocPrintf("%s: %s", head, reason));
    errorThreadGet()->int1 = errnum;
    free(head);
}

virErrorPtr
errorLast(void)
{
    return errorThreadGet();
}

bool
errorIsSet(void)
{
    return errorThreadGet()->code != VIR_ERR_OK;
}

void
errorReset(void)
{
    virErrorPtr err;

    pthread_once(&errorOnce, errorKeyInit);
    /* Cheap when nothing was ever reported on this thread. */
    if ((err = pthread_getspecific(errorKey)) && err->code != VIR_ERR_OK)
        errorClear(err);
}

virErrorPtr
errorSave(void)
{
    virErrorPtr cur = errorThreadGet();
    virErrorPtr copy;

    if (cur->code == VIR_ERR_OK)
        return NULL;
    copy = allocZero(sizeof(*copy));
    *copy = *cur;
    memset(cur, 0, sizeof(*cur));
    return copy;
}

void
errorRestore(virErrorPtr *err)
{
    virErrorPtr cur;

    if (!*err)
        return;
    cur = errorThreadGet();
    errorClear(cur);
    *cur = **err;
    free(*err);
    *err = NULL;
}

void
errorEnsure(const char *func)
{
    if (!errorIsSet())
        errorReport(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, func,
                    "%s failed without reporting an error", func);
}

void
errorSetGlobalHandler(void *opaque, virErrorFunc handler)
{
    pthread_mutex_lock(&errorHandlerLock);
    errorHandler = handler;
    errorHandlerData = opaque;
    pthread_mutex_unlock(&errorHandlerLock);
}

void
errorGetGlobalHandler(void **opaque, virErrorFunc *handler)
{
    pthread_mutex_lock(&errorHandlerLock);
    *handler = errorHandler;
    *opaque = errorHandlerData;
    pthread_mutex_unlock(&errorHandlerLock);
}

void
errorPrint(const virError *err)
{
    if (!err || err->code == VIR_ERR_OK)
        return;
    fprintf(stderr, "vireo: error %d (domain %d): %s\n", err->code,
            err->domain, err->message ? err->message : "unknown error");
}

void
errorCallHandler(virErrorFunc handler, void *opaque, virErrorPtr err)
{
    if (handler)
        handler(opaque, err);
    else
        errorPrint(err);
}
