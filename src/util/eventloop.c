/* eventloop.c: the registered event loop and our poll(2) default loop */
#define ERROR_DOMAIN VIR_FROM_EVENT

#include "eventloop.h"
#include "alloc.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define EVENT_ALL_BITS \
    (VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_WRITABLE | \
     VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP)

/* ------------------------------------------------------------------------
 * The registry: the six functions of the implementation in use.
 */

typedef struct {
    bool set;
    virEventAddHandleFunc addHandle;
    virEventUpdateHandleFunc updateHandle;
    virEventRemoveHandleFunc removeHandle;
    virEventAddTimeoutFunc addTimeout;
    virEventUpdateTimeoutFunc updateTimeout;
    virEventRemoveTimeoutFunc removeTimeout;
} EventImpl;

static pthread_mutex_t eventImplLock = PTHREAD_MUTEX_INITIALIZER;
static EventImpl eventImpl;

/* Record a caller's loop unless one is already registered (see header). */
void
eventRegisterImpl(virEventAddHandleFunc addHandle,
                  virEventUpdateHandleFunc updateHandle,
                  virEventRemoveHandleFunc removeHandle,
                  virEventAddTimeoutFunc addTimeout,
                  virEventUpdateTimeoutFunc updateTimeout,
                  virEventRemoveTimeoutFunc removeTimeout)
{
    if (!addHandle && !updateHandle && !removeHandle &&
        !addTimeout && !updateTimeout && !removeTimeout) {
        logDebug("event", "ignoring registration of an empty event loop");
        return;
    }

    pthread_mutex_lock(&eventImplLock);
    if (!eventImpl.set) {
        eventImpl.set = true;
        eventImpl.addHandle = addHandle;
        eventImpl.updateHandle = updateHandle;
        eventImpl.removeHandle = removeHandle;
        eventImpl.addTimeout = addTimeout;
        eventImpl.updateTimeout = updateTimeout;
        eventImpl.removeTimeout = removeTimeout;
        logDebug("event", "event loop registered");
    } else if (eventImpl.addHandle != addHandle ||
               eventImpl.updateHandle != updateHandle ||
               eventImpl.removeHandle != removeHandle ||
               eventImpl.addTimeout != addTimeout ||
               eventImpl.updateTimeout != updateTimeout ||
               eventImpl.removeTimeout != removeTimeout) {
        /* Watches already handed to the first loop would be orphaned. */
        logDebug("event", "ignoring attempt to replace the registered "
                 "event loop");
    }
    pthread_mutex_unlock(&eventImplLock);
}

/* True once some loop is registered. */
bool
eventHasImpl(void)
{
    bool set;

    pthread_mutex_lock(&eventImplLock);
    set = eventImpl.set;
    pthread_mutex_unlock(&eventImplLock);
    return set;
}

/* Copy the registry into IMPL; report NO_SUPPORT and return -1 when nothing
 * is registered. */
static int
eventImplGet(EventImpl *impl)
{
    pthread_mutex_lock(&eventImplLock);
    *impl = eventImpl;
    pthread_mutex_unlock(&eventImplLock);
    if (!impl->set) {
        reportError(VIR_ERR_NO_SUPPORT,
                    "no event loop registered: call "
                    "virEventRegisterDefaultImpl or virEventRegisterImpl "
                    "first");
        return -1;
    }
    return 0;
}

/* Report NO_SUPPORT and return -1 unless HAVE (the slot WHAT needs is set). */
static int
eventImplSlot(bool have, const char *what)
{
    if (!have) {
        reportError(VIR_ERR_NO_SUPPORT,
                    "the registered event loop cannot %s", what);
        return -1;
    }
    return 0;
}

/* A caller's loop (Perl, Python) fails without setting our error. */
static void
eventImplFailed(const char *what)
{
    if (!errorIsSet())
        reportError(VIR_ERR_OPERATION_FAILED,
                    "the registered event loop failed to %s", what);
}

/* Add a watch through the registered loop; the loop owns OPAQUE on success.
 * Returns the watch id or -1 with an error set. */
int
eventAddHandle(int fd, int events, virEventHandleCallback cb,
               void *opaque, virFreeCallback ff)
{
    EventImpl impl;
    int watch;

    if (eventImplGet(&impl) < 0 ||
        eventImplSlot(impl.addHandle != NULL, "add a handle") < 0)
        return -1;
    if ((watch = impl.addHandle(fd, events, cb, opaque, ff)) < 0) {
        eventImplFailed("add a handle");
        return -1;
    }
    logDebug("event", "add handle fd=%d events=0x%x watch=%d",
             fd, events, watch);
    return watch;
}

/* Change a watch's events through the registered loop; errors are reported
 * but not returned. */
void
eventUpdateHandle(int watch, int events)
{
    EventImpl impl;

    if (eventImplGet(&impl) < 0 ||
        eventImplSlot(impl.updateHandle != NULL, "update a handle") < 0)
        return;
    logDebug("event", "update handle watch=%d events=0x%x", watch, events);
    impl.updateHandle(watch, events);
}

/* Remove a watch through the registered loop; its free callback runs later.
 * Returns 0 or -1 with an error set. */
int
eventRemoveHandle(int watch)
{
    EventImpl impl;

    if (eventImplGet(&impl) < 0 ||
        eventImplSlot(impl.removeHandle != NULL, "remove a handle") < 0)
        return -1;
    logDebug("event", "remove handle watch=%d", watch);
    if (impl.removeHandle(watch) < 0) {
        eventImplFailed("remove a handle");
        return -1;
    }
    return 0;
}

/* Add a timer through the registered loop; the loop owns OPAQUE on success.
 * Returns the timer id or -1 with an error set. */
int
eventAddTimeout(int ms, virEventTimeoutCallback cb, void *opaque,
                virFreeCallback ff)
{
    EventImpl impl;
    int timer;

    if (eventImplGet(&impl) < 0 ||
        eventImplSlot(impl.addTimeout != NULL, "add a timeout") < 0)
        return -1;
    if ((timer = impl.addTimeout(ms, cb, opaque, ff)) < 0) {
        eventImplFailed("add a timeout");
        return -1;
    }
    logDebug("event", "add timeout ms=%d timer=%d", ms, timer);
    return timer;
}

/* Change a timer's period through the registered loop; errors are reported
 * but not returned. */
void
eventUpdateTimeout(int timer, int ms)
{
    EventImpl impl;

    if (eventImplGet(&impl) < 0 ||
        eventImplSlot(impl.updateTimeout != NULL, "update a timeout") < 0)
        return;
    logDebug("event", "update timeout timer=%d ms=%d", timer, ms);
    impl.updateTimeout(timer, ms);
}

/* Remove a timer through the registered loop; its free callback runs later.
 * Returns 0 or -1 with an error set. */
int
eventRemoveTimeout(int timer)
{
    EventImpl impl;

    if (eventImplGet(&impl) < 0 ||
        eventImplSlot(impl.removeTimeout != NULL, "remove a timeout") < 0)
        return -1;
    logDebug("event", "remove timeout timer=%d", timer);
    if (impl.removeTimeout(timer) < 0) {
        eventImplFailed("remove a timeout");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * The default loop.
 *
 * Entries are only appended while an iteration runs and only dropped at its
 * end, by the running thread, so an index taken when building the poll set
 * stays valid through dispatch even though the arrays may be reallocated.
 * Removal just marks an entry; its free callback runs after the iteration,
 * with no lock held.
 */

typedef struct {
    int watch;
    int fd;
    int events;                 /* VIR_EVENT_HANDLE_* wanted, 0: disabled */
    bool deleted;
    virEventHandleCallback cb;
    void *opaque;
    virFreeCallback ff;
} EventHandle;

typedef struct {
    int timer;
    int period;                 /* ms, negative: disabled */
    long long due;              /* monotonic microseconds of next firing */
    bool deleted;
    virEventTimeoutCallback cb;
    void *opaque;
    virFreeCallback ff;
} EventTimer;

typedef struct {
    virFreeCallback ff;
    void *opaque;
} EventRelease;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t idle;        /* broadcast when an iteration ends */
    bool ready;                 /* wakeFd exists */
    bool running;
    pthread_t runner;
    int wakeFd;
    EventHandle *handles;
    size_t nhandles;
    size_t handlesCap;
    EventTimer *timers;
    size_t ntimers;
    size_t timersCap;
    int lastWatch;
    int lastTimer;
} eventLoop = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .idle = PTHREAD_COND_INITIALIZER,
    .wakeFd = -1,
};

static long long
eventNowUs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Called with the lock held after any change: a thread blocked in poll()
 * must rebuild its set. The running thread itself rebuilds anyway. */
static void
eventWakeLocked(void)
{
    uint64_t one = 1;

    if (!eventLoop.running || pthread_equal(eventLoop.runner, pthread_self()))
        return;
    if (write(eventLoop.wakeFd, &one, sizeof(one)) < 0) {
        /* EAGAIN: the counter is saturated, a wakeup is pending anyway. */
    }
}

static int
eventNextId(int *last, const char *what)
{
    if (*last == INT_MAX) {
        reportError(VIR_ERR_INTERNAL_ERROR, "out of event %s ids", what);
        return -1;
    }
    return ++*last;
}

static EventHandle *
eventHandleFind(int watch)
{
    size_t i;

    for (i = 0; i < eventLoop.nhandles; i++) {
        if (eventLoop.handles[i].watch == watch &&
            !eventLoop.handles[i].deleted)
            return &eventLoop.handles[i];
    }
    reportError(VIR_ERR_INVALID_ARG, "no event handle with watch %d", watch);
    return NULL;
}

static EventTimer *
eventTimerFind(int timer)
{
    size_t i;

    for (i = 0; i < eventLoop.ntimers; i++) {
        if (eventLoop.timers[i].timer == timer &&
            !eventLoop.timers[i].deleted)
            return &eventLoop.timers[i];
    }
    reportError(VIR_ERR_INVALID_ARG, "no event timeout with id %d", timer);
    return NULL;
}

static int
eventDefaultAddHandle(int fd, int events, virEventHandleCallback cb,
                      void *opaque, virFreeCallback ff)
{
    EventHandle *h;
    int watch;

    pthread_mutex_lock(&eventLoop.lock);
    if ((watch = eventNextId(&eventLoop.lastWatch, "watch")) < 0)
        goto cleanup;
    allocGrow(&eventLoop.handles, &eventLoop.handlesCap, eventLoop.nhandles,
              sizeof(*eventLoop.handles));
    h = &eventLoop.handles[eventLoop.nhandles++];
    h->watch = watch;
    h->fd = fd;
    h->events = events & EVENT_ALL_BITS;
    h->deleted = false;
    h->cb = cb;
    h->opaque = opaque;
    h->ff = ff;
    eventWakeLocked();

 cleanup:
    pthread_mutex_unlock(&eventLoop.lock);
    return watch;
}

static void
eventDefaultUpdateHandle(int watch, int events)
{
    EventHandle *h;

    pthread_mutex_lock(&eventLoop.lock);
    if ((h = eventHandleFind(watch))) {
        h->events = events & EVENT_ALL_BITS;
        eventWakeLocked();
    }
    pthread_mutex_unlock(&eventLoop.lock);
}

static int
eventDefaultRemoveHandle(int watch)
{
    EventHandle *h;

    pthread_mutex_lock(&eventLoop.lock);
    if ((h = eventHandleFind(watch))) {
        h->deleted = true;
        eventWakeLocked();
    }
    pthread_mutex_unlock(&eventLoop.lock);
    return h ? 0 : -1;
}

static void
eventTimerArm(EventTimer *t, int ms)
{
    t->period = ms < 0 ? -1 : ms;
    t->due = ms < 0 ? 0 : eventNowUs() + ms * 1000LL;
}

static int
eventDefaultAddTimeout(int ms, virEventTimeoutCallback cb, void *opaque,
                       virFreeCallback ff)
{
    EventTimer *t;
    int timer;

    pthread_mutex_lock(&eventLoop.lock);
    if ((timer = eventNextId(&eventLoop.lastTimer, "timeout")) < 0)
        goto cleanup;
    allocGrow(&eventLoop.timers, &eventLoop.timersCap, eventLoop.ntimers,
              sizeof(*eventLoop.timers));
    t = &eventLoop.timers[eventLoop.ntimers++];
    t->timer = timer;
    eventTimerArm(t, ms);
    t->deleted = false;
    t->cb = cb;
    t->opaque = opaque;
    t->ff = ff;
    eventWakeLocked();

 cleanup:
    pthread_mutex_unlock(&eventLoop.lock);
    return timer;
}

static void
eventDefaultUpdateTimeout(int timer, int ms)
{
    EventTimer *t;

    pthread_mutex_lock(&eventLoop.lock);
    if ((t = eventTimerFind(timer))) {
        eventTimerArm(t, ms);
        eventWakeLocked();
    }
    pthread_mutex_unlock(&eventLoop.lock);
}

static int
eventDefaultRemoveTimeout(int timer)
{
    EventTimer *t;

    pthread_mutex_lock(&eventLoop.lock);
    if ((t = eventTimerFind(timer))) {
        t->deleted = true;
        eventWakeLocked();
    }
    pthread_mutex_unlock(&eventLoop.lock);
    return t ? 0 : -1;
}

/* Set up the default loop once and register it if nothing else is.
 * Returns 0 or -1 with an error set. */
int
eventDefaultRegister(void)
{
    int fd;

    pthread_mutex_lock(&eventLoop.lock);
    if (!eventLoop.ready) {
        if ((fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
            reportSystemError(errno, "cannot create the event loop wakeup "
                              "descriptor");
            pthread_mutex_unlock(&eventLoop.lock);
            return -1;
        }
        eventLoop.wakeFd = fd;
        eventLoop.ready = true;
    }
    pthread_mutex_unlock(&eventLoop.lock);

    eventRegisterImpl(eventDefaultAddHandle, eventDefaultUpdateHandle,
                      eventDefaultRemoveHandle, eventDefaultAddTimeout,
                      eventDefaultUpdateTimeout, eventDefaultRemoveTimeout);
    return 0;
}

static short
eventToPoll(int events)
{
    short pev = 0;

    if (events & VIR_EVENT_HANDLE_READABLE)
        pev |= POLLIN;
    if (events & VIR_EVENT_HANDLE_WRITABLE)
        pev |= POLLOUT;
    return pev;
}

static int
eventFromPoll(short revents)
{
    int events = 0;

    if (revents & POLLIN)
        events |= VIR_EVENT_HANDLE_READABLE;
    if (revents & POLLOUT)
        events |= VIR_EVENT_HANDLE_WRITABLE;
    if (revents & (POLLERR | POLLNVAL))
        events |= VIR_EVENT_HANDLE_ERROR;
    if (revents & POLLHUP)
        events |= VIR_EVENT_HANDLE_HANGUP;
    return events;
}

/* With the lock held: claim the loop for this thread, waiting while another
 * thread runs an iteration. */
static int
eventRunClaim(void)
{
    if (!eventLoop.ready) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "the default event loop is not registered: call "
                    "virEventRegisterDefaultImpl first");
        return -1;
    }
    while (eventLoop.running) {
        if (pthread_equal(eventLoop.runner, pthread_self())) {
            reportError(VIR_ERR_OPERATION_INVALID,
                        "cannot run the event loop from inside one of its "
                        "callbacks");
            return -1;
        }
        pthread_cond_wait(&eventLoop.idle, &eventLoop.lock);
    }
    eventLoop.running = true;
    eventLoop.runner = pthread_self();
    return 0;
}

/* With the lock held: fill FDS (slot 0 is the wakeup descriptor) and SLOTS
 * (index of the handle behind each fds[k]); return the poll timeout. */
static int
eventPollPrepare(struct pollfd *fds, size_t *slots, size_t *nfds)
{
    long long now = eventNowUs();
    long long wait = -1;
    size_t i;
    size_t n = 1;

    fds[0].fd = eventLoop.wakeFd;
    fds[0].events = POLLIN;
    fds[0].revents = 0;
    for (i = 0; i < eventLoop.nhandles; i++) {
        EventHandle *h = &eventLoop.handles[i];

        if (h->deleted || !h->events)
            continue;
        fds[n].fd = h->fd;
        fds[n].events = eventToPoll(h->events);
        fds[n].revents = 0;
        slots[n++] = i;
    }
    *nfds = n;

    for (i = 0; i < eventLoop.ntimers; i++) {
        EventTimer *t = &eventLoop.timers[i];
        long long left;

        if (t->deleted || t->period < 0)
            continue;
        left = t->due > now ? t->due - now : 0;
        if (wait < 0 || left < wait)
            wait = left;
    }
    if (wait < 0)
        return -1;
    /* Round up so poll() does not return just before the timer is due. */
    wait = (wait + 999) / 1000;
    return wait > INT_MAX ? INT_MAX : (int)wait;
}

/* With the lock held, dropped around each callback. Timers added by the
 * callbacks wait for the next iteration. */
static void
eventDispatchTimers(void)
{
    size_t count = eventLoop.ntimers;
    long long now = eventNowUs();
    size_t i;

    for (i = 0; i < count; i++) {
        EventTimer *t = &eventLoop.timers[i];
        virEventTimeoutCallback cb = t->cb;
        void *opaque = t->opaque;
        int timer = t->timer;

        if (t->deleted || t->period < 0 || t->due > now)
            continue;
        t->due = now + t->period * 1000LL;
        pthread_mutex_unlock(&eventLoop.lock);
        cb(timer, opaque);
        pthread_mutex_lock(&eventLoop.lock);
    }
}

/* With the lock held, dropped around each callback. A handle changed or
 * removed by an earlier callback of this iteration sees that change. */
static void
eventDispatchHandles(const struct pollfd *fds, const size_t *slots,
                     size_t nfds)
{
    size_t k;

    for (k = 1; k < nfds; k++) {
        EventHandle *h = &eventLoop.handles[slots[k]];
        virEventHandleCallback cb = h->cb;
        void *opaque = h->opaque;
        int watch = h->watch;
        int fd = h->fd;
        int events;

        if (!fds[k].revents || h->deleted || !h->events)
            continue;
        events = eventFromPoll(fds[k].revents) &
            (h->events | VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP);
        if (!events)
            continue;
        pthread_mutex_unlock(&eventLoop.lock);
        cb(watch, fd, events, opaque);
        pthread_mutex_lock(&eventLoop.lock);
    }
}

static void
eventReleaseAdd(EventRelease **rel, size_t *nrel, size_t *cap,
                virFreeCallback ff, void *opaque)
{
    if (!ff)
        return;
    allocGrow(rel, cap, *nrel, sizeof(**rel));
    (*rel)[*nrel].ff = ff;
    (*rel)[*nrel].opaque = opaque;
    (*nrel)++;
}

/* With the lock held: drop removed entries, collecting their free callbacks
 * into *REL (caller frees) to be run once the lock is released. */
static void
eventPurge(EventRelease **rel, size_t *nrel)
{
    size_t cap = 0;
    size_t i;
    size_t n;

    for (i = 0, n = 0; i < eventLoop.nhandles; i++) {
        EventHandle *h = &eventLoop.handles[i];

        if (h->deleted)
            eventReleaseAdd(rel, nrel, &cap, h->ff, h->opaque);
        else
            eventLoop.handles[n++] = *h;
    }
    eventLoop.nhandles = n;

    for (i = 0, n = 0; i < eventLoop.ntimers; i++) {
        EventTimer *t = &eventLoop.timers[i];

        if (t->deleted)
            eventReleaseAdd(rel, nrel, &cap, t->ff, t->opaque);
        else
            eventLoop.timers[n++] = *t;
    }
    eventLoop.ntimers = n;
}

/* One iteration of the default loop: poll, timers, handles, then the free
 * callbacks of removed entries. Returns 0 or -1 with an error set. */
int
eventDefaultRun(void)
{
    struct pollfd *fds = NULL;
    size_t *slots = NULL;
    EventRelease *rel = NULL;
    size_t nrel = 0;
    size_t nfds = 0;
    size_t i;
    uint64_t drain;
    int timeout;
    int rc;
    int err;
    int ret = -1;

    pthread_mutex_lock(&eventLoop.lock);
    if (eventRunClaim() < 0) {
        pthread_mutex_unlock(&eventLoop.lock);
        return -1;
    }
    ALLOC_N(fds, eventLoop.nhandles + 1);
    ALLOC_N(slots, eventLoop.nhandles + 1);
    timeout = eventPollPrepare(fds, slots, &nfds);
    pthread_mutex_unlock(&eventLoop.lock);

    rc = poll(fds, nfds, timeout);
    err = errno;

    pthread_mutex_lock(&eventLoop.lock);
    if (rc < 0) {
        if (err != EINTR) {
            reportSystemError(err, "cannot poll the event loop descriptors");
            goto cleanup;
        }
        /* A signal: run the due timers, no descriptor is known ready. */
        for (i = 0; i < nfds; i++)
            fds[i].revents = 0;
    }
    if ((fds[0].revents & POLLIN) &&
        read(eventLoop.wakeFd, &drain, sizeof(drain)) < 0) {
        /* EAGAIN: another reader cannot exist, nothing to do. */
    }
    eventDispatchTimers();
    eventDispatchHandles(fds, slots, nfds);
    ret = 0;

 cleanup:
    eventPurge(&rel, &nrel);
    eventLoop.running = false;
    pthread_cond_broadcast(&eventLoop.idle);
    pthread_mutex_unlock(&eventLoop.lock);

    for (i = 0; i < nrel; i++)
        rel[i].ff(rel[i].opaque);
    free(rel);
    free(slots);
    free(fds);
    return ret;
}
