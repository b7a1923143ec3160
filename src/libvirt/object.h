/* object.h: the reference-counted public objects (connection, domain, ...) */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

typedef enum {
    OBJ_CONNECT,
    OBJ_DOMAIN,
    OBJ_DOMAIN_SNAPSHOT,
    OBJ_DOMAIN_CHECKPOINT,
    OBJ_STREAM,
    OBJ_NETWORK,
    OBJ_NETWORK_PORT,
    OBJ_INTERFACE,
    OBJ_STORAGE_POOL,
    OBJ_STORAGE_VOL,
    OBJ_NODE_DEVICE,
    OBJ_SECRET,
    OBJ_NWFILTER,
    OBJ_NWFILTER_BINDING,
    OBJ_LAST
} ObjectKind;

/* First member of every public object. */
typedef struct {
    unsigned int magic;         /* OBJECT_MAGIC + kind while alive */
    int refs;                   /* atomic */
    void (*dispose)(void *obj); /* frees the kind-specific parts */
} Object;

typedef struct _Driver Driver;
typedef struct _StreamOps StreamOps;

typedef struct _CloseCallback CloseCallback;
struct _CloseCallback {
    virConnectCloseFunc cb;
    void *opaque;
    virFreeCallback freecb;
};

struct _virConnect {
    Object obj;
    unsigned int flags;             /* VIR_CONNECT_RO ... */
    char *uri;                      /* canonical URI */
    const Driver *driver;
    void *privateData;              /* the driver's */
    pthread_mutex_t lock;           /* guards err, handler, close callback */
    virError err;                   /* last error seen on this connection */
    virErrorFunc handler;
    void *handlerData;
    CloseCallback closeCb;
    struct _EventCallbacks *events; /* registered event callbacks */
};

struct _virDomain {
    Object obj;
    virConnectPtr conn;             /* holds a reference */
    char *name;                     /* inlineName, or a heap copy once
                                       domainSetName renamed it */
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;                         /* -1 when not running */
    char inlineName[];              /* one allocation per object */
};

struct _virDomainSnapshot {
    Object obj;
    virDomainPtr domain;            /* holds a reference */
    char *name;
};

struct _virDomainCheckpoint {
    Object obj;
    virDomainPtr domain;
    char *name;
};

struct _virStream {
    Object obj;
    virConnectPtr conn;
    unsigned int flags;             /* VIR_STREAM_NONBLOCK */
    pthread_mutex_t lock;
    const StreamOps *ops;           /* NULL until a driver attaches it */
    void *privateData;              /* the ops' */
};

/* Objects vireo does not implement yet: they only need to exist as types. */
#define OBJECT_STUB(tag) struct tag { Object obj; virConnectPtr conn; }
OBJECT_STUB(_virNetwork);
OBJECT_STUB(_virNetworkPort);
OBJECT_STUB(_virInterface);
OBJECT_STUB(_virStoragePool);
OBJECT_STUB(_virStorageVol);
OBJECT_STUB(_virNodeDevice);
OBJECT_STUB(_virSecret);
OBJECT_STUB(_virNWFilter);
OBJECT_STUB(_virNWFilterBinding);

/* True when OBJ is a live object of KIND. Reports nothing. */
bool objectIsValid(const void *obj, ObjectKind kind);
/* Like objectIsValid, but reports the libvirt error for an invalid object of
 * that kind (VIR_ERR_INVALID_DOMAIN...) naming FUNC. Returns 0 or -1. */
int objectCheck(const void *obj, ObjectKind kind, const char *func);
/* The connection an object belongs to (NULL for an invalid one). */
virConnectPtr objectConn(const void *obj, ObjectKind kind);
/* Take / drop a reference; the last unref disposes the object.
 * objectUnref returns the references left. */
void objectRef(void *obj);
int objectUnref(void *obj);

/* New connection with one reference (no driver yet). */
virConnectPtr connectNew(const char *uri, unsigned int flags);
/* Copy ERR into CONN's last error; hand back its handler. */
void connectStoreError(virConnectPtr conn, const virError *err,
                       virErrorFunc *handler, void **opaque);

/* New domain object for a driver to return (one reference; holds one on
 * CONN). ID is -1 for an inactive domain. */
virDomainPtr domainNew(virConnectPtr conn, const char *name,
                       const unsigned char *uuid, int id);
/* Rename the object DOM (after its driver renamed the domain). */
void domainSetName(virDomainPtr dom, const char *name);
/* New snapshot object (holds a reference on DOM). */
virDomainSnapshotPtr snapshotNew(virDomainPtr dom, const char *name);
/* New checkpoint object (holds a reference on DOM). */
virDomainCheckpointPtr checkpointNew(virDomainPtr dom, const char *name);

/* Initialise the object part of a stream (one reference, holds CONN). */
void streamInit(virStreamPtr st, virConnectPtr conn, unsigned int flags,
                void (*dispose)(void *));

/* Free the event callbacks registered on CONN (domain-events.c). */
void connectEventsFree(virConnectPtr conn);
