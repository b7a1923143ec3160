/* domain-events.c: domain event callbacks and the queue drivers feed */
#define ERROR_DOMAIN VIR_FROM_EVENT

#include "domain-events.h"
#include "entry.h"
#include "eventloop.h"
#include "typedparam.h"
#include "alloc.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int id;                             /* callbackID handed out */
    int eventID;
    bool legacy;                        /* virConnectDomainEventRegister */
    bool hasDom;
    unsigned char uuid[VIR_UUID_BUFLEN];
    virConnectDomainEventGenericCallback cb;
    void *opaque;
    virFreeCallback freecb;
    bool deleted;
} Registration;

typedef struct _EventCallbacks EventCallbacks;
struct _EventCallbacks {
    int refs;                   /* the connection's and the timer's */
    pthread_mutex_t lock;
    Registration **regs;
    size_t nregs, capregs;
    int nextID;
    DomainEvent **queue;
    size_t nqueue, capqueue;
    int timer;                  /* from the event loop; ids may be 0 */
    int dispatching;            /* > 0 while callbacks run */
    virConnectPtr conn;         /* borrowed: cleared when it goes away */
};

static void eventsPurge(EventCallbacks *ev, Registration ***gone, size_t *ngone);
static void eventsFreeRegs(Registration **gone, size_t ngone);

static void
eventsUnref(void *opaque)
{
    EventCallbacks *ev = opaque;

    if (__atomic_sub_fetch(&ev->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    for (size_t i = 0; i < ev->nregs; i++) {
        if (ev->regs[i]->freecb)
            ev->regs[i]->freecb(ev->regs[i]->opaque);
        free(ev->regs[i]);
    }
    for (size_t i = 0; i < ev->nqueue; i++)
        domainEventFree(ev->queue[i]);
    free(ev->regs);
    free(ev->queue);
    pthread_mutex_destroy(&ev->lock);
    free(ev);
}

void
connectEventsFree(virConnectPtr conn)
{
    EventCallbacks *ev = conn->events;
    Registration **gone = NULL;
    size_t ngone = 0;

    if (!ev)
        return;
    pthread_mutex_lock(&ev->lock);
    ev->conn = NULL;
    /* the callbacks' free functions run now, not when the timer goes */
    for (size_t i = 0; i < ev->nregs; i++)
        ev->regs[i]->deleted = true;
    if (!ev->dispatching)
        eventsPurge(ev, &gone, &ngone);
    pthread_mutex_unlock(&ev->lock);
    eventsFreeRegs(gone, ngone);
    if (ev->timer >= 0)
        eventRemoveTimeout(ev->timer);  /* drops the timer's reference */
    conn->events = NULL;
    eventsUnref(ev);
}

DomainEvent *
domainEventNew(virDomainPtr dom, int eventID)
{
    DomainEvent *ev = allocZero(sizeof(*ev));

    ev->eventID = eventID;
    objectRef(dom);
    ev->dom = dom;
    return ev;
}

void
domainEventFree(DomainEvent *ev)
{
    if (!ev)
        return;
    objectUnref(ev->dom);
    free(ev->s1);
    free(ev->s2);
    free(ev->s3);
    typedParamsFree(ev->params, ev->nparams);
    free((char *)ev->local.node);
    free((char *)ev->local.service);
    free((char *)ev->remote.node);
    free((char *)ev->remote.service);
    free(ev);
}

/* Call one registration's callback with EV's fields, by event type. */
static void
domainEventCall(virConnectPtr conn, Registration *r, DomainEvent *e)
{
    virDomainPtr d = e->dom;
    void *o = r->opaque;

#define CALL(type, ...) ((type)(void (*)(void))r->cb)(conn, d, __VA_ARGS__, o)
    switch (e->eventID) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        CALL(virConnectDomainEventCallback, e->i1, e->i2);
        break;
    case VIR_DOMAIN_EVENT_ID_RTC_CHANGE:
        CALL(virConnectDomainEventRTCChangeCallback, e->l1);
        break;
    case VIR_DOMAIN_EVENT_ID_WATCHDOG:
        CALL(virConnectDomainEventWatchdogCallback, e->i1);
        break;
    case VIR_DOMAIN_EVENT_ID_IO_ERROR:
        CALL(virConnectDomainEventIOErrorCallback, e->s1, e->s2, e->i1);
        break;
    case VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON:
        CALL(virConnectDomainEventIOErrorReasonCallback, e->s1, e->s2, e->i1,
             e->s3);
        break;
    case VIR_DOMAIN_EVENT_ID_GRAPHICS:
        CALL(virConnectDomainEventGraphicsCallback, e->i1, &e->local,
             &e->remote, e->s1, &e->subject);
        break;
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB:
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2:
        CALL(virConnectDomainEventBlockJobCallback, e->s1, e->i1, e->i2);
        break;
    case VIR_DOMAIN_EVENT_ID_DISK_CHANGE:
        CALL(virConnectDomainEventDiskChangeCallback, e->s1, e->s2, e->s3,
             e->i1);
        break;
    case VIR_DOMAIN_EVENT_ID_TRAY_CHANGE:
        CALL(virConnectDomainEventTrayChangeCallback, e->s1, e->i1);
        break;
    case VIR_DOMAIN_EVENT_ID_PMWAKEUP:
    case VIR_DOMAIN_EVENT_ID_PMSUSPEND:
    case VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK:
    case VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION:
        CALL(virConnectDomainEventPMWakeupCallback, e->i1);
        break;
    case VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE:
        CALL(virConnectDomainEventBalloonChangeCallback, e->u1);
        break;
    case VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED:
    case VIR_DOMAIN_EVENT_ID_DEVICE_ADDED:
    case VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED:
        CALL(virConnectDomainEventDeviceRemovedCallback, e->s1);
        break;
    case VIR_DOMAIN_EVENT_ID_TUNABLE:
    case VIR_DOMAIN_EVENT_ID_JOB_COMPLETED:
        CALL(virConnectDomainEventTunableCallback, e->params, e->nparams);
        break;
    case VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE:
        CALL(virConnectDomainEventAgentLifecycleCallback, e->i1, e->i2);
        break;
    case VIR_DOMAIN_EVENT_ID_METADATA_CHANGE:
        CALL(virConnectDomainEventMetadataChangeCallback, e->i1, e->s1);
        break;
    case VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD:
        CALL(virConnectDomainEventBlockThresholdCallback, e->s1, e->s2, e->u1,
             e->u2);
        break;
    case VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE:
        CALL(virConnectDomainEventMemoryFailureCallback, e->i1, e->i2,
             (unsigned int)e->i3);
        break;
    case VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE:
        CALL(virConnectDomainEventMemoryDeviceSizeChangeCallback, e->s1, e->u1);
        break;
    default:    /* REBOOT, CONTROL_ERROR: no payload */
        r->cb(conn, d, o);
        break;
    }
#undef CALL
}

static bool
eventsMatch(const Registration *r, const DomainEvent *e)
{
    if (r->deleted || r->eventID != e->eventID)
        return false;
    return !r->hasDom || memcmp(r->uuid, e->dom->uuid, VIR_UUID_BUFLEN) == 0;
}

/* Drop deleted registrations; their free callbacks run after unlocking. */
static void
eventsPurge(EventCallbacks *ev, Registration ***gone, size_t *ngone)
{
    size_t keep = 0, cap = 0;

    for (size_t i = 0; i < ev->nregs; i++) {
        if (ev->regs[i]->deleted) {
            allocGrow(gone, &cap, *ngone, sizeof(**gone));
            (*gone)[(*ngone)++] = ev->regs[i];
        } else {
            ev->regs[keep++] = ev->regs[i];
        }
    }
    ev->nregs = keep;
}

static void
eventsFreeRegs(Registration **gone, size_t ngone)
{
    for (size_t i = 0; i < ngone; i++) {
        if (gone[i]->freecb)
            gone[i]->freecb(gone[i]->opaque);
        free(gone[i]);
    }
    free(gone);
}

/* The event loop's timer: deliver everything queued. */
static void
eventsFlush(int timer, void *opaque)
{
    EventCallbacks *ev = opaque;
    DomainEvent **queue;
    size_t nqueue;
    Registration **gone = NULL;
    size_t ngone = 0;

    pthread_mutex_lock(&ev->lock);
    queue = ev->queue;
    nqueue = ev->nqueue;
    ev->queue = NULL;
    ev->nqueue = ev->capqueue = 0;
    eventUpdateTimeout(timer, -1);
    ev->dispatching++;
    for (size_t q = 0; q < nqueue; q++) {
        for (size_t i = 0; i < ev->nregs && ev->conn; i++) {
            Registration *r = ev->regs[i];
            virConnectPtr conn = ev->conn;

            if (!eventsMatch(r, queue[q]))
                continue;
            pthread_mutex_unlock(&ev->lock);
            domainEventCall(conn, r, queue[q]);
            pthread_mutex_lock(&ev->lock);
        }
    }
    if (--ev->dispatching == 0)
        eventsPurge(ev, &gone, &ngone);
    pthread_mutex_unlock(&ev->lock);
    for (size_t q = 0; q < nqueue; q++)
        domainEventFree(queue[q]);
    free(queue);
    eventsFreeRegs(gone, ngone);
}

void
domainEventQueue(DomainEvent *e)
{
    EventCallbacks *ev = e->dom->conn->events;
    bool wanted = false;

    if (!ev) {
        domainEventFree(e);
        return;
    }
    pthread_mutex_lock(&ev->lock);
    for (size_t i = 0; i < ev->nregs && !wanted; i++)
        wanted = eventsMatch(ev->regs[i], e);
    if (wanted) {
        allocGrow(&ev->queue, &ev->capqueue, ev->nqueue, sizeof(*ev->queue));
        ev->queue[ev->nqueue++] = e;
        eventUpdateTimeout(ev->timer, 0);
        e = NULL;
    }
    pthread_mutex_unlock(&ev->lock);
    domainEventFree(e);
}

void
domainEventLifecycle(virDomainPtr dom, int event, int detail)
{
    DomainEvent *e = domainEventNew(dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE);

    e->i1 = event;
    e->i2 = detail;
    logDebug("event", "domain '%s' lifecycle %d/%d", dom->name, event, detail);
    domainEventQueue(e);
}

void
domainEventSimple(virDomainPtr dom, int eventID)
{
    domainEventQueue(domainEventNew(dom, eventID));
}

/* The connection's callback table, created with its timer on first use. */
static EventCallbacks *
eventsGet(virConnectPtr conn)
{
    EventCallbacks *ev;

    pthread_mutex_lock(&conn->lock);
    if (!(ev = conn->events)) {
        if (!eventHasImpl()) {
            pthread_mutex_unlock(&conn->lock);
            reportError(VIR_ERR_OPERATION_INVALID,
                        "no event loop is registered: call "
                        "virEventRegisterDefaultImpl or virEventRegisterImpl "
                        "before registering event callbacks");
            return NULL;
        }
        ev = allocZero(sizeof(*ev));
        ev->refs = 2;
        ev->nextID = 1;
        ev->conn = conn;
        pthread_mutex_init(&ev->lock, NULL);
        if ((ev->timer = eventAddTimeout(-1, eventsFlush, ev,
                                         eventsUnref)) < 0) {
            ev->refs = 1;
            eventsUnref(ev);
            pthread_mutex_unlock(&conn->lock);
            return NULL;
        }
        conn->events = ev;
    }
    pthread_mutex_unlock(&conn->lock);
    return ev;
}

static int
eventsAdd(virConnectPtr conn, virDomainPtr dom, int eventID, bool legacy,
          virConnectDomainEventGenericCallback cb, void *opaque,
          virFreeCallback freecb)
{
    EventCallbacks *ev;
    Registration *r;
    int id;

    if (!(ev = eventsGet(conn)))
        return -1;
    pthread_mutex_lock(&ev->lock);
    for (size_t i = 0; i < ev->nregs; i++) {
        r = ev->regs[i];
        if (!r->deleted && r->cb == cb && r->eventID == eventID &&
            r->legacy == legacy && (legacy || (!dom && !r->hasDom))) {
            pthread_mutex_unlock(&ev->lock);
            reportError(VIR_ERR_INVALID_ARG,
                        "this callback is already registered for event %d",
                        eventID);
            return -1;
        }
    }
    r = allocZero(sizeof(*r));
    r->id = id = ev->nextID++;
    r->eventID = eventID;
    r->legacy = legacy;
    if (dom) {
        r->hasDom = true;
        memcpy(r->uuid, dom->uuid, VIR_UUID_BUFLEN);
    }
    r->cb = cb;
    r->opaque = opaque;
    r->freecb = freecb;
    allocGrow(&ev->regs, &ev->capregs, ev->nregs, sizeof(*ev->regs));
    ev->regs[ev->nregs++] = r;
    pthread_mutex_unlock(&ev->lock);
    return id;
}

/* Remove the registration with ID (or, for ID 0, the legacy one with CB). */
static int
eventsRemove(virConnectPtr conn, int id,
             virConnectDomainEventGenericCallback cb)
{
    EventCallbacks *ev = conn->events;
    Registration **gone = NULL;
    size_t ngone = 0;
    bool found = false;

    if (ev) {
        pthread_mutex_lock(&ev->lock);
        for (size_t i = 0; i < ev->nregs; i++) {
            Registration *r = ev->regs[i];
            if (!r->deleted && (id ? r->id == id : (r->legacy && r->cb == cb))) {
                r->deleted = found = true;
                break;
            }
        }
        if (!ev->dispatching)
            eventsPurge(ev, &gone, &ngone);
        pthread_mutex_unlock(&ev->lock);
        eventsFreeRegs(gone, ngone);
    }
    if (!found) {
        if (id)
            reportError(VIR_ERR_INVALID_ARG,
                        "no domain event callback with id %d", id);
        else
            reportError(VIR_ERR_INVALID_ARG,
                        "this domain event callback is not registered");
        return -1;
    }
    return 0;
}

/* The checks every legacy call and DeregisterAny start with: a valid
 * connection and, when NEEDCB, a callback. Reports and returns -1. */
static int
eventsEntryCheck(virConnectPtr conn, bool needcb, const void *cb,
                 const char *func)
{
    if (objectCheck(conn, OBJ_CONNECT, func) < 0)
        return -1;
    if (needcb && !cb) {
        entryBadArg(func, "cb");
        return -1;
    }
    return 0;
}

/* The failure exit of those calls. */
static int
eventsEntryFail(virConnectPtr conn, const char *func)
{
    entryFail(objectIsValid(conn, OBJ_CONNECT) ? conn : NULL, func);
    return -1;
}

int
virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom,
                                 int eventID,
                                 virConnectDomainEventGenericCallback cb,
                                 void *opaque, virFreeCallback freecb)
{
    int ret = -1;

    ENTRY_START();
    if (eventsEntryCheck(conn, true, cb, __func__) < 0)
        goto cleanup;
    if (dom && (objectCheck(dom, OBJ_DOMAIN, __func__) < 0))
        goto cleanup;
    if (dom && dom->conn != conn) {
        entryBadArg(__func__, "dom");
        goto cleanup;
    }
    if (eventID < 0 || eventID >= VIR_DOMAIN_EVENT_ID_LAST) {
        errorReport(ERROR_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                    "unknown domain event id %d", eventID);
        goto cleanup;
    }
    ret = eventsAdd(conn, dom, eventID, false, cb, opaque, freecb);

 cleanup:
    return ret < 0 ? eventsEntryFail(conn, __func__) : ret;
}

int
virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    ENTRY_START();
    if (eventsEntryCheck(conn, false, NULL, __func__) < 0)
        return eventsEntryFail(conn, __func__);
    if (callbackID <= 0) {
        entryBadArg(__func__, "callbackID");
        return eventsEntryFail(conn, __func__);
    }
    if (eventsRemove(conn, callbackID, NULL) < 0)
        return eventsEntryFail(conn, __func__);
    return 0;
}

int
virConnectDomainEventRegister(virConnectPtr conn,
                              virConnectDomainEventCallback cb,
                              void *opaque, virFreeCallback freecb)
{
    ENTRY_START();
    if (eventsEntryCheck(conn, true, cb, __func__) < 0 ||
        eventsAdd(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE, true,
                  VIR_DOMAIN_EVENT_CALLBACK(cb), opaque, freecb) < 0)
        return eventsEntryFail(conn, __func__);
    return 0;
}

int
virConnectDomainEventDeregister(virConnectPtr conn,
                                virConnectDomainEventCallback cb)
{
    ENTRY_START();
    if (eventsEntryCheck(conn, true, cb, __func__) < 0 ||
        eventsRemove(conn, 0, VIR_DOMAIN_EVENT_CALLBACK(cb)) < 0)
        return eventsEntryFail(conn, __func__);
    return 0;
}
