/* test-events.c: domain event callbacks delivered through the event loop */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"

typedef struct {
    int count;
    int event;
    int detail;
    char name[64];
    int freed;
    int deregisterID;       /* deregister this id from inside the callback */
    virConnectPtr conn;
} Seen;

static int
onLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
            void *opaque)
{
    Seen *s = opaque;

    s->count++;
    s->event = event;
    s->detail = detail;
    snprintf(s->name, sizeof(s->name), "%s", virDomainGetName(dom));
    if (s->deregisterID > 0) {
        virConnectDomainEventDeregisterAny(conn, s->deregisterID);
        s->deregisterID = 0;
    }
    return 0;
}

static void
onFree(void *opaque)
{
    ((Seen *)opaque)->freed++;
}

static void
quiet(void *opaque, virErrorPtr err)
{
}

/* Run the default loop until COND holds or about two seconds pass. */

static void
tick(int timer, void *opaque)
{
    virEventRemoveTimeout(timer);
}

static void
runFor(int rounds)
{
    for (int i = 0; i < rounds; i++) {
        virEventAddTimeout(5, tick, NULL, NULL);
        virEventRunDefaultImpl();
    }
}

static void
defaultLoop(void)
{
    Seen any = { 0 }, legacy = { 0 }, filtered = { 0 };
    virConnectPtr conn;
    virDomainPtr dom;
    int id, fid;

    TAP_INT(virEventRegisterDefaultImpl(), 0, "default loop registered");
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");
    id = virConnectDomainEventRegisterAny(conn, NULL,
                                          VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(onLifecycle),
                                          &any, onFree);
    TAP_OK(id > 0, "RegisterAny returns a callback id (%d)", id);
    fid = virConnectDomainEventRegisterAny(conn, dom,
                                           VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           VIR_DOMAIN_EVENT_CALLBACK(onLifecycle),
                                           &filtered, onFree);
    TAP_OK(fid > 0 && fid != id, "a second, domain-filtered registration");
    TAP_INT(virConnectDomainEventRegister(conn, onLifecycle, &legacy, onFree),
            0, "legacy Register works");
    TAP_INT(virConnectDomainEventRegister(conn, onLifecycle, &legacy, NULL),
            -1, "registering the same legacy callback twice fails");

    TAP_INT(virDomainSuspend(dom), 0, "suspend");
    TAP_INT(any.count, 0, "nothing delivered outside the loop");
    runFor(5);
    TAP_INT(any.count, 1, "RegisterAny callback ran once");
    TAP_INT(any.event, VIR_DOMAIN_EVENT_SUSPENDED, "event is SUSPENDED");
    TAP_INT(any.detail, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, "detail PAUSED");
    TAP_STR(any.name, "test", "callback got the domain");
    TAP_INT(legacy.count, 1, "legacy callback ran once");
    TAP_INT(filtered.count, 1, "domain-filtered callback ran once");

    /* the Any callback removes itself while being dispatched */
    any.deregisterID = id;
    TAP_INT(virDomainResume(dom), 0, "resume");
    runFor(5);
    TAP_INT(any.count, 2, "callback ran for RESUMED");
    TAP_INT(any.event, VIR_DOMAIN_EVENT_RESUMED, "event is RESUMED");
    TAP_INT(any.freed, 1, "its free callback ran after self-removal");
    TAP_INT(virDomainSuspend(dom), 0, "suspend again");
    runFor(5);
    TAP_INT(any.count, 2, "a removed callback no longer runs");
    TAP_INT(legacy.count, 3, "legacy still runs");

    TAP_INT(virConnectDomainEventDeregister(conn, onLifecycle), 0,
            "legacy Deregister");
    TAP_INT(legacy.freed, 1, "legacy free callback ran");
    TAP_INT(virConnectDomainEventDeregisterAny(conn, id), -1,
            "deregistering twice fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "with INVALID_ARG");
    TAP_INT(virDomainResume(dom), 0, "resume");
    TAP_INT(virDomainResume(dom), -1, "resuming a running domain fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "with OPERATION_INVALID");
    runFor(5);
    TAP_INT(filtered.count, 4, "filtered callback saw every event");
    virDomainFree(dom);
    virConnectClose(conn);
    TAP_INT(filtered.freed, 1, "closing the connection frees callbacks");
}

/* A caller's own loop (virEventRegisterImpl) gets the registrations. */
static int customAdds, customUpdates;
static virEventTimeoutCallback customCb;
static void *customOpaque;
static virFreeCallback customFree;
static int customTimeout = -1;

static int
customAddTimeout(int timeout, virEventTimeoutCallback cb, void *opaque,
                 virFreeCallback ff)
{
    customAdds++;
    customCb = cb;
    customOpaque = opaque;
    customFree = ff;
    customTimeout = timeout;
    return 7;
}

static void
customUpdateTimeout(int timer, int timeout)
{
    if (timer == 7) {
        customUpdates++;
        customTimeout = timeout;
    }
}

static int
customRemoveTimeout(int timer)
{
    if (timer == 7 && customFree)
        customFree(customOpaque);
    return timer == 7 ? 0 : -1;
}

static int
customAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                virFreeCallback ff)
{
    return -1;
}

static void
customUpdateHandle(int watch, int events)
{
}

static int
customRemoveHandle(int watch)
{
    return -1;
}

static void
customLoopChild(void)
{
    Seen seen = { 0 };
    virConnectPtr conn;
    virDomainPtr dom;
    int ok = 1;

    virEventRegisterImpl(customAddHandle, customUpdateHandle,
                         customRemoveHandle, customAddTimeout,
                         customUpdateTimeout, customRemoveTimeout);
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");
    ok &= virConnectDomainEventRegisterAny(conn, NULL, 0,
              VIR_DOMAIN_EVENT_CALLBACK(onLifecycle), &seen, NULL) > 0;
    ok &= customAdds == 1;              /* the connection's timer */
    ok &= virDomainSuspend(dom) == 0;
    ok &= customTimeout == 0;           /* armed to fire at once */
    if (customCb)
        customCb(7, customOpaque);      /* the caller's loop fires it */
    ok &= seen.count == 1 && seen.event == VIR_DOMAIN_EVENT_SUSPENDED;
    ok &= customTimeout == -1;          /* disarmed after delivery */
    virDomainFree(dom);
    virConnectClose(conn);
    _exit(ok ? 0 : 1);
}

static void
customLoop(void)
{
    pid_t pid = fork();
    int status = 0;

    if (pid == 0)
        customLoopChild();
    waitpid(pid, &status, 0);
    TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "a custom loop from virEventRegisterImpl carries domain events");
}

static void
noLoop(void)
{
    pid_t pid = fork();
    int status = 0;

    if (pid == 0) {
        virConnectPtr conn = virConnectOpen("test:///default");
        int rc = virConnectDomainEventRegisterAny(conn, NULL, 0,
                     VIR_DOMAIN_EVENT_CALLBACK(onLifecycle), NULL, NULL);
        int failed = !(rc == -1 && virGetLastErrorCode() != VIR_ERR_OK);

        virConnectClose(conn);
        _exit(failed);
    }
    waitpid(pid, &status, 0);
    TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "registering without any event loop fails with an error");
}

int
main(void)
{
    virSetErrorFunc(NULL, quiet);
    noLoop();
    customLoop();
    defaultLoop();
    return tapDone();
}
