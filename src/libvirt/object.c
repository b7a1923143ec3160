/* object.c: reference-counted public objects and their plain accessors */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "object.h"
#include "driver.h"
#include "entry.h"
#include "alloc.h"
#include "uuid.h"

#include <stdlib.h>
#include <string.h>

#define OBJECT_MAGIC 0x7e1e0000u
#define OBJECT_DEAD 0xdeadbeefu

/* Per kind: the error for an invalid object, its error domain, its name. */
static const struct {
    int code;
    int domain;
    const char *what;
} objectKinds[OBJ_LAST] = {
    [OBJ_CONNECT] = { VIR_ERR_INVALID_CONN, VIR_FROM_NONE, "connection" },
    [OBJ_DOMAIN] = { VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "domain" },
    [OBJ_DOMAIN_SNAPSHOT] = { VIR_ERR_INVALID_DOMAIN_SNAPSHOT,
                              VIR_FROM_DOMAIN_SNAPSHOT, "snapshot" },
    [OBJ_DOMAIN_CHECKPOINT] = { VIR_ERR_INVALID_DOMAIN_CHECKPOINT,
                                VIR_FROM_DOMAIN_CHECKPOINT, "checkpoint" },
    [OBJ_STREAM] = { VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "stream" },
    [OBJ_NETWORK] = { VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK, "network" },
    [OBJ_NETWORK_PORT] = { VIR_ERR_INVALID_NETWORK_PORT, VIR_FROM_NETWORK,
                           "network port" },
    [OBJ_INTERFACE] = { VIR_ERR_INVALID_INTERFACE, VIR_FROM_INTERFACE,
                        "interface" },
    [OBJ_STORAGE_POOL] = { VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE,
                           "storage pool" },
    [OBJ_STORAGE_VOL] = { VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE,
                          "storage volume" },
    [OBJ_NODE_DEVICE] = { VIR_ERR_INVALID_NODE_DEVICE, VIR_FROM_NODEDEV,
                          "node device" },
    [OBJ_SECRET] = { VIR_ERR_INVALID_SECRET, VIR_FROM_SECRET, "secret" },
    [OBJ_NWFILTER] = { VIR_ERR_INVALID_NWFILTER, VIR_FROM_NWFILTER,
                       "network filter" },
    [OBJ_NWFILTER_BINDING] = { VIR_ERR_INVALID_NWFILTER_BINDING,
                               VIR_FROM_NWFILTER, "network filter binding" },
};

static void
objectInit(Object *obj, ObjectKind kind, void (*dispose)(void *))
{
    obj->magic = OBJECT_MAGIC + kind;
    obj->refs = 1;
    obj->dispose = dispose;
}

bool
objectIsValid(const void *ptr, ObjectKind kind)
{
    const Object *obj = ptr;

    return obj && obj->magic == OBJECT_MAGIC + kind &&
           __atomic_load_n(&obj->refs, __ATOMIC_ACQUIRE) > 0;
}

int
objectCheck(const void *obj, ObjectKind kind, const char *func)
{
    if (objectIsValid(obj, kind))
        return 0;
    errorReport(objectKinds[kind].domain, objectKinds[kind].code, func,
                "%s: invalid %s pointer", func, objectKinds[kind].what);
    return -1;
}

virConnectPtr
objectConn(const void *obj, ObjectKind kind)
{
    if (!objectIsValid(obj, kind))
        return NULL;
    switch (kind) {
    case OBJ_CONNECT:
        return (virConnectPtr)obj;
    case OBJ_DOMAIN:
        return ((virDomainPtr)obj)->conn;
    case OBJ_DOMAIN_SNAPSHOT:
        return ((virDomainSnapshotPtr)obj)->domain->conn;
    case OBJ_DOMAIN_CHECKPOINT:
        return ((virDomainCheckpointPtr)obj)->domain->conn;
    case OBJ_STREAM:
        return ((virStreamPtr)obj)->conn;
    default:
        /* every stub object starts with Object then its connection */
        return ((struct _virNetwork *)obj)->conn;
    }
}

void
objectRef(void *ptr)
{
    Object *obj = ptr;

    __atomic_add_fetch(&obj->refs, 1, __ATOMIC_RELAXED);
}

int
objectUnref(void *ptr)
{
    Object *obj = ptr;
    int left;

    if (!obj)
        return 0;
    left = __atomic_sub_fetch(&obj->refs, 1, __ATOMIC_ACQ_REL);
    if (left == 0) {
        obj->magic = OBJECT_DEAD;
        if (obj->dispose)
            obj->dispose(obj);
        free(obj);
    }
    return left;
}

static void
connectDispose(void *ptr)
{
    virConnectPtr conn = ptr;

    if (conn->driver && conn->driver->close)
        conn->driver->close(conn);
    connectEventsFree(conn);
    if (conn->closeCb.freecb)
        conn->closeCb.freecb(conn->closeCb.opaque);
    errorClear(&conn->err);
    pthread_mutex_destroy(&conn->lock);
    free(conn->uri);
}

virConnectPtr
connectNew(const char *uri, unsigned int flags)
{
    virConnectPtr conn = allocZero(sizeof(*conn));

    objectInit(&conn->obj, OBJ_CONNECT, connectDispose);
    conn->uri = allocStrdup(uri);
    conn->flags = flags;
    pthread_mutex_init(&conn->lock, NULL);
    return conn;
}

void
connectStoreError(virConnectPtr conn, const virError *err,
                  virErrorFunc *handler, void **opaque)
{
    pthread_mutex_lock(&conn->lock);
    errorCopy(&conn->err, err);
    *handler = conn->handler;
    *opaque = conn->handlerData;
    pthread_mutex_unlock(&conn->lock);
}

static void
domainDispose(void *ptr)
{
    virDomainPtr dom = ptr;

    objectUnref(dom->conn);
    if (dom->name != dom->inlineName)
        free(dom->name);
}

virDomainPtr
domainNew(virConnectPtr conn, const char *name, const unsigned char *uuid,
          int id)
{
    size_t len = strlen(name) + 1;
    virDomainPtr dom = allocZero(sizeof(*dom) + len);

    /* lists and bulk stats make one per domain: a single allocation */
    objectInit(&dom->obj, OBJ_DOMAIN, domainDispose);
    objectRef(conn);
    dom->conn = conn;
    dom->name = memcpy(dom->inlineName, name, len);
    memcpy(dom->uuid, uuid, VIR_UUID_BUFLEN);
    dom->id = id;
    return dom;
}

void
domainSetName(virDomainPtr dom, const char *name)
{
    char *copy = allocStrdup(name);

    if (dom->name != dom->inlineName)
        free(dom->name);
    dom->name = copy;
}

static void
snapshotDispose(void *ptr)
{
    virDomainSnapshotPtr snap = ptr;

    objectUnref(snap->domain);
    free(snap->name);
}

virDomainSnapshotPtr
snapshotNew(virDomainPtr dom, const char *name)
{
    virDomainSnapshotPtr snap = allocZero(sizeof(*snap));

    objectInit(&snap->obj, OBJ_DOMAIN_SNAPSHOT, snapshotDispose);
    objectRef(dom);
    snap->domain = dom;
    snap->name = allocStrdup(name);
    return snap;
}

static void
checkpointDispose(void *ptr)
{
    virDomainCheckpointPtr cp = ptr;

    objectUnref(cp->domain);
    free(cp->name);
}

virDomainCheckpointPtr
checkpointNew(virDomainPtr dom, const char *name)
{
    virDomainCheckpointPtr cp = allocZero(sizeof(*cp));

    objectInit(&cp->obj, OBJ_DOMAIN_CHECKPOINT, checkpointDispose);
    objectRef(dom);
    cp->domain = dom;
    cp->name = allocStrdup(name);
    return cp;
}

void
streamInit(virStreamPtr st, virConnectPtr conn, unsigned int flags,
           void (*dispose)(void *))
{
    objectInit(&st->obj, OBJ_STREAM, dispose);
    objectRef(conn);
    st->conn = conn;
    st->flags = flags;
    pthread_mutex_init(&st->lock, NULL);
}

/* ---- public accessors: they read the object, never the driver ---- */

/* Validate OBJ of KIND for FUNC; on failure dispatch the error. */
#define ACCESSOR_CHECK(obj, kind, errval) do { \
        ENTRY_START(); \
        if (objectCheck((obj), (kind), __func__) < 0) { \
            entryFail(NULL, __func__); \
            return errval; \
        } \
    } while (0)

const char *
virDomainGetName(virDomainPtr domain)
{
    ACCESSOR_CHECK(domain, OBJ_DOMAIN, NULL);
    return domain->name;
}

int
virDomainGetUUID(virDomainPtr domain, unsigned char *uuid)
{
    ACCESSOR_CHECK(domain, OBJ_DOMAIN, -1);
    if (!uuid) {
        entryBadArg(__func__, "uuid");
        entryFail(domain->conn, __func__);
        return -1;
    }
    memcpy(uuid, domain->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int
virDomainGetUUIDString(virDomainPtr domain, char *buf)
{
    ACCESSOR_CHECK(domain, OBJ_DOMAIN, -1);
    if (!buf) {
        entryBadArg(__func__, "buf");
        entryFail(domain->conn, __func__);
        return -1;
    }
    uuidFormat(domain->uuid, buf);
    return 0;
}

unsigned int
virDomainGetID(virDomainPtr domain)
{
    ACCESSOR_CHECK(domain, OBJ_DOMAIN, (unsigned int)-1);
    return (unsigned int)domain->id;
}

virConnectPtr
virDomainGetConnect(virDomainPtr dom)
{
    ACCESSOR_CHECK(dom, OBJ_DOMAIN, NULL);
    return dom->conn;
}

const char *
virDomainSnapshotGetName(virDomainSnapshotPtr snapshot)
{
    ACCESSOR_CHECK(snapshot, OBJ_DOMAIN_SNAPSHOT, NULL);
    return snapshot->name;
}

virDomainPtr
virDomainSnapshotGetDomain(virDomainSnapshotPtr snapshot)
{
    ACCESSOR_CHECK(snapshot, OBJ_DOMAIN_SNAPSHOT, NULL);
    return snapshot->domain;
}

virConnectPtr
virDomainSnapshotGetConnect(virDomainSnapshotPtr snapshot)
{
    ACCESSOR_CHECK(snapshot, OBJ_DOMAIN_SNAPSHOT, NULL);
    return snapshot->domain->conn;
}

const char *
virDomainCheckpointGetName(virDomainCheckpointPtr checkpoint)
{
    ACCESSOR_CHECK(checkpoint, OBJ_DOMAIN_CHECKPOINT, NULL);
    return checkpoint->name;
}

virDomainPtr
virDomainCheckpointGetDomain(virDomainCheckpointPtr checkpoint)
{
    ACCESSOR_CHECK(checkpoint, OBJ_DOMAIN_CHECKPOINT, NULL);
    return checkpoint->domain;
}

virConnectPtr
virDomainCheckpointGetConnect(virDomainCheckpointPtr checkpoint)
{
    ACCESSOR_CHECK(checkpoint, OBJ_DOMAIN_CHECKPOINT, NULL);
    return checkpoint->domain->conn;
}
