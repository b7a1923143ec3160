/* connect.c: opening and closing connections, the driver registry */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "driver.h"
#include "entry.h"
#include "alloc.h"
#include "log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DRIVER_MAX 8

static const Driver *drivers[DRIVER_MAX + 1];
static int ndrivers;
static pthread_once_t driverOnce = PTHREAD_ONCE_INIT;

void
driverRegister(const Driver *driver)
{
    if (ndrivers < DRIVER_MAX)
        drivers[ndrivers++] = driver;
}

/* Each built-in driver's registration function. */
void testDriverRegister(void);
void qemuDriverRegister(void);

static void
driverInitOnce(void)
{
    testDriverRegister();
    qemuDriverRegister();
}

void
driverInitAll(void)
{
    pthread_once(&driverOnce, driverInitOnce);
}

const Driver *const *
driverList(void)
{
    driverInitAll();
    return drivers;
}

static int
authDefaultCallback(virConnectCredentialPtr cred, unsigned int ncred,
                    void *cbdata)
{
    /* vireo's local drivers never ask; refuse anything interactive. */
    return ncred == 0 ? 0 : -1;
}

static int authDefaultTypes[] = {
    VIR_CRED_AUTHNAME, VIR_CRED_ECHOPROMPT, VIR_CRED_REALM,
    VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_EXTERNAL,
};

static virConnectAuth authDefault = {
    authDefaultTypes,
    sizeof(authDefaultTypes) / sizeof(authDefaultTypes[0]),
    authDefaultCallback,
    NULL,
};

virConnectAuthPtr virConnectAuthPtrDefault = &authDefault;

/* The URI used when the caller gives none. */
static const char *
connectDefaultURI(void)
{
    const char *env = getenv("LIBVIRT_DEFAULT_URI");

    if (env && *env)
        return env;
    return geteuid() == 0 ? "qemu:///system" : "qemu:///session";
}

static virConnectPtr
connectOpenInternal(const char *name, virConnectAuthPtr auth,
                    unsigned int flags, const char *func)
{
    const Driver *const *drv;
    virConnectPtr conn = NULL;

    ENTRY_START();
    driverInitAll();
    if (entryCheckFlags(func, flags,
                        VIR_CONNECT_RO | VIR_CONNECT_NO_ALIASES) < 0)
        goto error;
    if (!name || !*name)
        name = connectDefaultURI();
    conn = connectNew(name, flags);
    for (drv = driverList(); *drv; drv++) {
        DriverOpenResult rc = (*drv)->open(conn, name, auth, flags);

        if (rc == DRIVER_OPEN_DECLINED)
            continue;
        if (rc == DRIVER_OPEN_ERROR)
            goto error;
        conn->driver = *drv;
        logDebug("connect", "opened '%s' with the %s driver", name,
                 (*drv)->name);
        return conn;
    }
    reportError(VIR_ERR_NO_CONNECT,
                "no connection driver available for URI '%s'", name);

 error:
    entryFail(NULL, func);
    objectUnref(conn);
    return NULL;
}

virConnectPtr
virConnectOpen(const char *name)
{
    return connectOpenInternal(name, NULL, 0, __func__);
}

virConnectPtr
virConnectOpenReadOnly(const char *name)
{
    return connectOpenInternal(name, NULL, VIR_CONNECT_RO, __func__);
}

virConnectPtr
virConnectOpenAuth(const char *name, virConnectAuthPtr auth,
                   unsigned int flags)
{
    return connectOpenInternal(name, auth, flags, __func__);
}

/* Validate CONN for FUNC; on failure dispatch the error and return ERRVAL. */
#define CONN_CHECK(conn, errval) do { \
        ENTRY_START(); \
        if (objectCheck((conn), OBJ_CONNECT, __func__) < 0) { \
            entryFail(NULL, __func__); \
            return errval; \
        } \
    } while (0)

int
virConnectClose(virConnectPtr conn)
{
    CONN_CHECK(conn, -1);
    return objectUnref(conn);
}

char *
virConnectGetURI(virConnectPtr conn)
{
    CONN_CHECK(conn, NULL);
    return allocStrdup(conn->uri);
}

int
virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    CONN_CHECK(conn, -1);
    if (!libVer) {
        entryBadArg(__func__, "libVer");
        entryFail(conn, __func__);
        return -1;
    }
    *libVer = LIBVIR_VERSION_NUMBER;
    return 0;
}

int
virConnectIsAlive(virConnectPtr conn)
{
    CONN_CHECK(conn, -1);
    return 1;   /* local drivers: alive for as long as the object is */
}

int
virConnectIsSecure(virConnectPtr conn)
{
    CONN_CHECK(conn, -1);
    return 1;   /* in-process: nothing crosses a network */
}

int
virConnectIsEncrypted(virConnectPtr conn)
{
    CONN_CHECK(conn, -1);
    return 0;
}

int
virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count)
{
    CONN_CHECK(conn, -1);
    /* An in-process connection cannot lose its peer: nothing to probe. */
    logDebug("connect", "keepalive %d/%u ignored for a local connection",
             interval, count);
    return 0;
}

int
virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb,
                                void *opaque, virFreeCallback freecb)
{
    int ret = -1;

    CONN_CHECK(conn, -1);
    if (!cb) {
        entryBadArg(__func__, "cb");
        goto cleanup;
    }
    pthread_mutex_lock(&conn->lock);
    if (conn->closeCb.cb) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "a close callback is already registered");
    } else {
        conn->closeCb.cb = cb;
        conn->closeCb.opaque = opaque;
        conn->closeCb.freecb = freecb;
        ret = 0;
    }
    pthread_mutex_unlock(&conn->lock);

 cleanup:
    if (ret < 0)
        entryFail(conn, __func__);
    return ret;
}

int
virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb)
{
    CloseCallback old = { 0 };
    int ret = -1;

    CONN_CHECK(conn, -1);
    pthread_mutex_lock(&conn->lock);
    if (!cb || conn->closeCb.cb != cb) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "this close callback is not registered");
    } else {
        old = conn->closeCb;
        memset(&conn->closeCb, 0, sizeof(conn->closeCb));
        ret = 0;
    }
    pthread_mutex_unlock(&conn->lock);
    if (ret < 0)
        entryFail(conn, __func__);
    else if (old.freecb)
        old.freecb(old.opaque);
    return ret;
}
