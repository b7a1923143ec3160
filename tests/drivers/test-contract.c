/* test-contract.c: every public entry point keeps the error contract */
#include "contract.h"
#include "error.h"
#include "../tap.h"

#include <string.h>

long long scratch[4096];

void
contractRelease(const char *type, void *p)
{
    if (!p)
        return;
    if (strcmp(type, "char *") == 0 || strcmp(type, "unsigned char *") == 0)
        free(p);
    else if (strncmp(type, "vir", 3) == 0 && strcmp(type, "virErrorPtr") &&
             strcmp(type, "virTypedParameterPtr"))
        objectUnref(p);
}

static int
invalidCode(ObjectKind kind)
{
    static const int codes[OBJ_LAST] = {
        [OBJ_CONNECT] = VIR_ERR_INVALID_CONN,
        [OBJ_DOMAIN] = VIR_ERR_INVALID_DOMAIN,
        [OBJ_DOMAIN_SNAPSHOT] = VIR_ERR_INVALID_DOMAIN_SNAPSHOT,
        [OBJ_DOMAIN_CHECKPOINT] = VIR_ERR_INVALID_DOMAIN_CHECKPOINT,
        [OBJ_STREAM] = VIR_ERR_INVALID_STREAM,
        [OBJ_NETWORK] = VIR_ERR_INVALID_NETWORK,
        [OBJ_NETWORK_PORT] = VIR_ERR_INVALID_NETWORK_PORT,
        [OBJ_INTERFACE] = VIR_ERR_INVALID_INTERFACE,
        [OBJ_STORAGE_POOL] = VIR_ERR_INVALID_STORAGE_POOL,
        [OBJ_STORAGE_VOL] = VIR_ERR_INVALID_STORAGE_VOL,
        [OBJ_NODE_DEVICE] = VIR_ERR_INVALID_NODE_DEVICE,
        [OBJ_SECRET] = VIR_ERR_INVALID_SECRET,
        [OBJ_NWFILTER] = VIR_ERR_INVALID_NWFILTER,
        [OBJ_NWFILTER_BINDING] = VIR_ERR_INVALID_NWFILTER_BINDING,
    };
    return codes[kind];
}

/* Leave a stale error behind so that a call which forgets to reset (or to
 * report) shows up. */
static void
plantError(void)
{
    errorReport(VIR_FROM_NONE, VIR_ERR_RESOURCE_BUSY, "test", "stale error");
}

static void
checkCase(const ContractCase *c, virConnectPtr conn, virDomainPtr dom)
{
    void *obj = c->kind == OBJ_CONNECT ? (void *)conn :
                c->kind == OBJ_DOMAIN ? (void *)dom : NULL;
    int want;
    long long rv;
    int failed;

    switch (c->mode) {
    case CONTRACT_INVALID:
        obj = NULL;
        want = invalidCode(c->kind);
        break;
    case CONTRACT_NULL:
    case CONTRACT_FLAGS:
        if (!obj)
            return;
        want = VIR_ERR_INVALID_ARG;
        break;
    case CONTRACT_SCRATCH:
    default:
        /* implemented calls need real arguments: tested elsewhere */
        if (!obj || c->slot < 0 ||
            *(void **)((char *)conn->driver + c->slot) != NULL)
            return;
        want = VIR_ERR_NO_SUPPORT;
        break;
    }
    plantError();
    failed = c->call(obj, &rv);
    TAP_OK(failed, "%s (case %d) returns its error value", c->name, c->mode);
    TAP_INT(virGetLastErrorCode(), want, "%s (case %d) error code", c->name,
            c->mode);
    if (c->mode == CONTRACT_SCRATCH)
        TAP_OK(strstr(virGetLastErrorMessage(), c->name) != NULL,
               "%s: message names the function", c->name);
}

/* Calls that succeed must leave no error behind. */
static void
checkResetOnSuccess(virConnectPtr conn, virDomainPtr dom)
{
    unsigned long ver;
    virDomainInfo info;
    char *s;

    plantError();
    TAP_OK(virConnectGetType(conn) != NULL && !virGetLastError(),
           "virConnectGetType resets the last error");
    plantError();
    TAP_OK(virConnectGetLibVersion(conn, &ver) == 0 && !virGetLastError(),
           "virConnectGetLibVersion resets the last error");
    plantError();
    TAP_OK(virDomainGetInfo(dom, &info) == 0 && !virGetLastError(),
           "virDomainGetInfo resets the last error");
    plantError();
    s = virDomainGetXMLDesc(dom, 0);
    TAP_OK(s && !virGetLastError(), "virDomainGetXMLDesc resets the error");
    free(s);
    plantError();
    TAP_OK(virDomainGetName(dom) && !virGetLastError(),
           "virDomainGetName resets the last error");
    plantError();
    TAP_OK(virDomainRef(dom) == 0 && !virGetLastError(),
           "virDomainRef resets the last error");
    virDomainFree(dom);
}

/* Hand-written entry points: their invalid-argument paths. */
static void
checkManual(virConnectPtr conn)
{
    virConnectPtr bad;
    unsigned long ver;

    plantError();
    bad = virConnectOpen("nosuch:///x");
    TAP_OK(!bad, "unknown URI fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_NO_CONNECT, "unknown URI code");
    TAP_OK(strstr(virGetLastErrorMessage(), "nosuch:///x") != NULL,
           "unknown URI is named in the message");
    TAP_OK(!virConnectOpenAuth("test:///default", NULL, 1u << 30),
           "OpenAuth with unknown flags fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "unknown flags code");
    TAP_INT(virConnectClose(NULL), -1, "close(NULL) fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_CONN, "close(NULL) code");
    TAP_OK(!virConnectGetURI(NULL), "GetURI(NULL) fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_CONN, "GetURI(NULL) code");
    TAP_INT(virConnectGetLibVersion(conn, NULL), -1, "GetLibVersion(NULL)");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "GetLibVersion code");
    TAP_INT(virGetVersion(NULL, NULL, NULL), -1, "GetVersion(NULL) fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "GetVersion code");
    TAP_INT(virGetVersion(&ver, "Xen", &ver), -1, "GetVersion(Xen) fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_NO_SUPPORT, "GetVersion(Xen) code");
    TAP_OK(!virDomainGetName(NULL), "GetName(NULL) fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_DOMAIN, "GetName code");
    TAP_OK(virDomainGetID(NULL) == (unsigned int)-1, "GetID(NULL) fails");
    TAP_INT(virDomainGetUUID(NULL, NULL), -1, "GetUUID(NULL) fails");
    TAP_INT(virDomainGetUUIDString(NULL, NULL), -1, "GetUUIDString fails");
    TAP_OK(!virDomainGetConnect(NULL), "GetConnect(NULL) fails");
    TAP_OK(!virDomainSnapshotGetName(NULL), "SnapshotGetName(NULL) fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_DOMAIN_SNAPSHOT,
            "SnapshotGetName code");
    TAP_INT(virConnectDomainEventRegisterAny(conn, NULL, 9999, NULL, NULL,
                                             NULL), -1, "bad event id fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "bad event id code");
    TAP_INT(virConnectDomainEventDeregisterAny(conn, 12345), -1,
            "deregistering an unknown callback fails");
    TAP_INT(virConnectRegisterCloseCallback(conn, NULL, NULL, NULL), -1,
            "NULL close callback fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "close callback code");
    TAP_INT(virDomainListGetStats(NULL, 0, NULL, 0), -1,
            "ListGetStats(NULL) fails");
}

/* A read-only connection refuses changes before reaching the driver. */
static void
checkReadOnly(void)
{
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virDomainPtr dom = virDomainLookupByName(ro, "test");

    TAP_OK(ro && dom, "read-only connection opens and looks up");
    TAP_INT(virDomainSuspend(dom), -1, "suspend on read-only fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED,
            "suspend on read-only: OPERATION_DENIED");
    TAP_INT(virDomainIsActive(dom), 1, "reads still work");
    virDomainFree(dom);
    TAP_INT(virConnectClose(ro), 0, "close returns no references left");
}

static void
quiet(void *opaque, virErrorPtr err)
{
}

int
main(void)
{
    virConnectPtr conn;
    virDomainPtr dom;
    int n = 0;

    virSetErrorFunc(NULL, quiet);
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");
    if (!TAP_OK(conn && dom, "test:///default opens"))
        return tapDone();
    for (const ContractCase *c = contractCases; c->name; c++, n++)
        checkCase(c, conn, dom);
    TAP_OK(n > 400, "the table covers %d cases", n);
    checkResetOnSuccess(conn, dom);
    checkManual(conn);
    checkReadOnly();
    virDomainFree(dom);
    TAP_INT(virConnectClose(conn), 0, "close returns no references left");
    return tapDone();
}
