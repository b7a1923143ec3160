/* test-eventloop.c: public virEvent* API, the default loop, custom loops */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../tap.h"
#include "error.h"
#include "eventloop.h"

static int quietCalls;

/* Keeps expected failures off stderr and counts that entryFail ran. */
static void
quietHandler(void *opaque, virErrorPtr err)
{
    quietCalls++;
}

static long long
nowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* The calling thread's last error code is WANT. */
#define TAP_ERR(want, ...) TAP_INT(errorLast()->code, (want), __VA_ARGS__)

/* ------------------------------------------------------------------------
 * Nothing registered, then a caller's loop (run in a child process: the
 * first registration is permanent).
 */

static struct {
    int addHandles, updateHandles, removeHandles;
    int addTimeouts, updateTimeouts, removeTimeouts;
    int fd, events, watch;
    int ms, timer;
    virEventHandleCallback hcb;
    virEventTimeoutCallback tcb;
    void *opaque;
    virFreeCallback ff;
    bool fail;
    int otherCalls;
} fake;

static int
fakeAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
              virFreeCallback ff)
{
    fake.addHandles++;
    fake.fd = fd;
    fake.events = events;
    fake.hcb = cb;
    fake.opaque = opaque;
    fake.ff = ff;
    return fake.fail ? -1 : 42;
}

static void
fakeUpdateHandle(int watch, int events)
{
    fake.updateHandles++;
    fake.watch = watch;
    fake.events = events;
}

static int
fakeRemoveHandle(int watch)
{
    fake.removeHandles++;
    fake.watch = watch;
    return fake.fail ? -1 : 0;
}

/* Like python's asyncio loop, hands out 0 as its first id. */
static int
fakeAddTimeout(int ms, virEventTimeoutCallback cb, void *opaque,
               virFreeCallback ff)
{
    fake.addTimeouts++;
    fake.ms = ms;
    fake.tcb = cb;
    fake.opaque = opaque;
    fake.ff = ff;
    return fake.fail ? -1 : 0;
}

static void
fakeUpdateTimeout(int timer, int ms)
{
    fake.updateTimeouts++;
    fake.timer = timer;
    fake.ms = ms;
}

static int
fakeRemoveTimeout(int timer)
{
    fake.removeTimeouts++;
    fake.timer = timer;
    return 0;
}

static int
otherAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
               virFreeCallback ff)
{
    fake.otherCalls++;
    return 7;
}

static void
noopHandle(int watch, int fd, int events, void *opaque)
{
}

static void
noopTimer(int timer, void *opaque)
{
}

static void
noopFree(void *opaque)
{
}

static void
testNoImpl(void)
{
    int data;

    TAP_OK(!eventHasImpl(), "no loop registered at start");
    TAP_INT(virEventAddHandle(0, VIR_EVENT_HANDLE_READABLE, noopHandle,
                              NULL, NULL), -1, "add handle without a loop");
    TAP_ERR(VIR_ERR_NO_SUPPORT, "add handle without a loop: NO_SUPPORT");
    TAP_INT(errorLast()->domain, VIR_FROM_EVENT, "error domain is EVENT");
    TAP_OK(errorLast()->message &&
           strstr(errorLast()->message, "virEventRegisterDefaultImpl"),
           "message tells what to call: %s", errorLast()->message);
    TAP_INT(virEventAddTimeout(10, noopTimer, NULL, NULL), -1,
            "add timeout without a loop");
    TAP_ERR(VIR_ERR_NO_SUPPORT, "add timeout without a loop: NO_SUPPORT");
    TAP_INT(virEventRemoveHandle(1), -1, "remove handle without a loop");
    TAP_ERR(VIR_ERR_NO_SUPPORT, "remove handle without a loop: NO_SUPPORT");
    TAP_INT(virEventRemoveTimeout(1), -1, "remove timeout without a loop");
    TAP_ERR(VIR_ERR_NO_SUPPORT, "remove timeout without a loop: NO_SUPPORT");
    virEventUpdateHandle(1, 0);
    TAP_ERR(VIR_ERR_NO_SUPPORT, "update handle without a loop: NO_SUPPORT");
    virEventUpdateTimeout(1, 0);
    TAP_ERR(VIR_ERR_NO_SUPPORT, "update timeout without a loop: NO_SUPPORT");
    TAP_INT(virEventRunDefaultImpl(), -1, "run before registering");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "run before registering: "
            "OPERATION_INVALID");

    quietCalls = 0;
    TAP_INT(virEventAddHandle(-1, VIR_EVENT_HANDLE_READABLE, noopHandle,
                              NULL, NULL), -1, "negative fd");
    TAP_ERR(VIR_ERR_INVALID_ARG, "negative fd: INVALID_ARG");
    TAP_INT(quietCalls, 1, "the error handler ran once");
    TAP_INT(virEventAddHandle(0, VIR_EVENT_HANDLE_READABLE, NULL,
                              &data, NULL), -1, "NULL handle callback");
    TAP_ERR(VIR_ERR_INVALID_ARG, "NULL handle callback: INVALID_ARG");
    TAP_INT(virEventAddTimeout(0, NULL, &data, NULL), -1,
            "NULL timeout callback");
    TAP_ERR(VIR_ERR_INVALID_ARG, "NULL timeout callback: INVALID_ARG");
    TAP_INT(virEventRemoveHandle(-3), -1, "negative watch");
    TAP_ERR(VIR_ERR_INVALID_ARG, "negative watch: INVALID_ARG");
    TAP_INT(virEventRemoveTimeout(-3), -1, "negative timer");
    TAP_ERR(VIR_ERR_INVALID_ARG, "negative timer: INVALID_ARG");
}

static void
testCustomImpl(void)
{
    int data;

    virEventRegisterImpl(fakeAddHandle, fakeUpdateHandle, fakeRemoveHandle,
                         fakeAddTimeout, fakeUpdateTimeout, fakeRemoveTimeout);
    TAP_OK(eventHasImpl(), "custom loop registered");

    TAP_INT(virEventAddHandle(5, VIR_EVENT_HANDLE_READABLE |
                              VIR_EVENT_HANDLE_WRITABLE, noopHandle, &data,
                              noopFree), 42,
            "add handle returns the custom loop's watch id");
    TAP_INT(errorLast()->code, VIR_ERR_OK, "no error after success");
    TAP_INT(fake.addHandles, 1, "custom addHandle called once");
    TAP_INT(fake.fd, 5, "custom addHandle got the fd");
    TAP_INT(fake.events, VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_WRITABLE,
            "custom addHandle got the events");
    TAP_OK(fake.hcb == noopHandle, "custom addHandle got the callback");
    TAP_OK(fake.opaque == &data, "custom addHandle got the opaque");
    TAP_OK(fake.ff == noopFree, "custom addHandle got the free callback");

    virEventUpdateHandle(42, VIR_EVENT_HANDLE_WRITABLE);
    TAP_INT(fake.updateHandles, 1, "custom updateHandle called");
    TAP_INT(fake.watch, 42, "custom updateHandle got the watch");
    TAP_INT(fake.events, VIR_EVENT_HANDLE_WRITABLE,
            "custom updateHandle got the events");
    TAP_INT(errorLast()->code, VIR_ERR_OK, "no error after update");

    TAP_INT(virEventRemoveHandle(42), 0, "remove handle via custom loop");
    TAP_INT(fake.removeHandles, 1, "custom removeHandle called");
    TAP_INT(fake.watch, 42, "custom removeHandle got the watch");

    TAP_INT(virEventAddTimeout(250, noopTimer, &data, noopFree), 0,
            "add timeout returns the custom loop's id (0 is valid)");
    TAP_INT(fake.addTimeouts, 1, "custom addTimeout called");
    TAP_INT(fake.ms, 250, "custom addTimeout got the period");
    TAP_OK(fake.tcb == noopTimer, "custom addTimeout got the callback");
    TAP_OK(fake.opaque == &data, "custom addTimeout got the opaque");
    TAP_OK(fake.ff == noopFree, "custom addTimeout got the free callback");
    virEventUpdateTimeout(0, -1);
    TAP_INT(fake.updateTimeouts, 1, "custom updateTimeout called");
    TAP_INT(fake.timer, 0, "custom updateTimeout got the timer");
    TAP_INT(fake.ms, -1, "custom updateTimeout got the period");
    TAP_INT(virEventRemoveTimeout(0), 0, "remove timeout via custom loop");
    TAP_INT(fake.removeTimeouts, 1, "custom removeTimeout called");

    fake.fail = true;
    TAP_INT(virEventAddHandle(5, VIR_EVENT_HANDLE_READABLE, noopHandle,
                              NULL, NULL), -1, "custom loop refuses a handle");
    TAP_ERR(VIR_ERR_OPERATION_FAILED, "refusal reported as OPERATION_FAILED");
    TAP_INT(virEventRemoveHandle(9), -1, "custom loop refuses a removal");
    TAP_ERR(VIR_ERR_OPERATION_FAILED, "refusal reported as OPERATION_FAILED");
    fake.fail = false;

    /* The first loop stays: neither another one nor ours replaces it. */
    virEventRegisterImpl(otherAddHandle, NULL, NULL, NULL, NULL, NULL);
    TAP_INT(virEventRegisterDefaultImpl(), 0,
            "registering the default loop after a custom one succeeds");
    TAP_INT(virEventAddHandle(6, VIR_EVENT_HANDLE_READABLE, noopHandle,
                              NULL, NULL), 42,
            "custom loop still receives registrations");
    TAP_INT(fake.addHandles, 3, "custom addHandle called again");
    TAP_INT(fake.otherCalls, 0, "the replacement loop was ignored");
}

/* Runs in a child; writes its TAP counters to FD and exits. */
static void
runChild(int fd)
{
    int counts[2];

    testNoImpl();
    testCustomImpl();
    counts[0] = tapCount;
    counts[1] = tapFailed;
    if (write(fd, counts, sizeof(counts)) != sizeof(counts))
        exit(2);
    close(fd);
    exit(0);
}

static void
testInChild(void)
{
    int counts[2] = { 0, 0 };
    int pfd[2];
    int status = 0;
    pid_t pid;

    if (pipe(pfd) < 0) {
        TAP_OK(0, "pipe: %s", strerror(errno));
        return;
    }
    fflush(stdout);
    if ((pid = fork()) == 0) {
        close(pfd[0]);
        runChild(pfd[1]);
    }
    close(pfd[1]);
    if (read(pfd[0], counts, sizeof(counts)) != sizeof(counts))
        counts[0] = counts[1] = 0;
    close(pfd[0]);
    waitpid(pid, &status, 0);
    tapCount += counts[0];
    tapFailed += counts[1];
    TAP_OK(counts[0] > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "child process ran its %d checks and exited cleanly", counts[0]);
}

/* ------------------------------------------------------------------------
 * The default loop.
 */

typedef struct {
    int calls;
    int watch, fd, events;
    bool drain;             /* read one byte per call */
    bool removeSelf;        /* remove own watch on first call */
    int removeRc;
    int freesSeenInCb;      /* frees counted inside the removing call */
    int frees;
    void *freedOpaque;
    int reenter;            /* rc of virEventRunDefaultImpl from inside */
    int reenterCode;
} HandleRec;

static void
handleCb(int watch, int fd, int events, void *opaque)
{
    HandleRec *r = opaque;
    char c;

    r->calls++;
    r->watch = watch;
    r->fd = fd;
    r->events = events;
    if (r->drain && read(fd, &c, 1) < 0)
        r->drain = false;
    if (r->removeSelf && r->calls == 1) {
        r->removeRc = virEventRemoveHandle(watch);
        r->freesSeenInCb = r->frees;
    }
    if (r->reenter == 1) {
        r->reenter = virEventRunDefaultImpl();
        r->reenterCode = errorLast()->code;
    }
}

/* Also proves the loop lock is free: adding and removing here would
 * deadlock otherwise. */
static void
handleFree(void *opaque)
{
    HandleRec *r = opaque;
    int t;

    r->frees++;
    r->freedOpaque = opaque;
    if ((t = virEventAddTimeout(-1, noopTimer, NULL, NULL)) > 0)
        virEventRemoveTimeout(t);
}

typedef struct {
    int calls;
    int timer;
    long long firstMs, secondMs;
    int disableAfter;       /* update self to -1 after this many calls */
    int removeOther;        /* timer id to remove on first call */
    int removeRc;
    int frees;
    void *freedOpaque;
} TimerRec;

static void
timerCb(int timer, void *opaque)
{
    TimerRec *r = opaque;

    r->calls++;
    r->timer = timer;
    if (r->calls == 1)
        r->firstMs = nowMs();
    else if (r->calls == 2)
        r->secondMs = nowMs();
    if (r->disableAfter && r->calls == r->disableAfter)
        virEventUpdateTimeout(timer, -1);
    if (r->removeOther && r->calls == 1)
        r->removeRc = virEventRemoveTimeout(r->removeOther);
}

static void
timerFree(void *opaque)
{
    TimerRec *r = opaque;

    r->frees++;
    r->freedOpaque = opaque;
}

static void
runN(int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (virEventRunDefaultImpl() < 0)
            TAP_OK(0, "virEventRunDefaultImpl failed: %s",
                   errorLast()->message);
    }
}

/* Iterate with a 0 ms ticker so no iteration blocks. */
static void
runTicking(int n)
{
    int ticker = virEventAddTimeout(0, noopTimer, NULL, NULL);

    runN(n);
    virEventRemoveTimeout(ticker);
}

/* Iterate until *COUNTER reaches WANT; a 20 ms guard timer bounds each
 * iteration, MAXMS bounds the whole. */
static void
runUntil(const int *counter, int want, int maxMs)
{
    int guard = virEventAddTimeout(20, noopTimer, NULL, NULL);
    long long end = nowMs() + maxMs;

    while (*counter < want && nowMs() < end)
        runN(1);
    virEventRemoveTimeout(guard);
}

static void
testHandles(void)
{
    HandleRec r = { 0 };
    HandleRec hup = { 0 };
    int p[2];
    int q[2];
    int w;

    if (pipe(p) < 0 || pipe(q) < 0) {
        TAP_OK(0, "pipe: %s", strerror(errno));
        return;
    }
    w = virEventAddHandle(p[0], VIR_EVENT_HANDLE_READABLE, handleCb, &r,
                          handleFree);
    TAP_OK(w > 0, "add handle returns a positive watch (%d)", w);
    runTicking(2);
    TAP_INT(r.calls, 0, "no callback while the pipe is empty");

    TAP_INT(write(p[1], "xy", 2), 2, "write two bytes");
    runN(1);
    TAP_INT(r.calls, 1, "readable pipe fires the handle");
    TAP_INT(r.events, VIR_EVENT_HANDLE_READABLE, "events is READABLE");
    TAP_INT(r.watch, w, "callback gets its watch");
    TAP_INT(r.fd, p[0], "callback gets its fd");

    virEventUpdateHandle(w, 0);
    TAP_INT(errorLast()->code, VIR_ERR_OK, "update to 0 succeeds");
    runTicking(3);
    TAP_INT(r.calls, 1, "events 0 disables the handle");
    virEventUpdateHandle(w, VIR_EVENT_HANDLE_READABLE);
    runN(1);
    TAP_INT(r.calls, 2, "re-enabled handle fires again");

    r.removeSelf = true;
    r.calls = 0;
    runN(1);
    TAP_INT(r.calls, 1, "handle fired once more");
    TAP_INT(r.removeRc, 0, "removing itself from its callback succeeds");
    TAP_INT(r.freesSeenInCb, 0, "free callback not run inside the removal");
    TAP_INT(r.frees, 1, "free callback ran after the iteration");
    TAP_OK(r.freedOpaque == &r, "free callback got the opaque");
    runTicking(3);
    TAP_INT(r.calls, 1, "removed handle does not fire (data still pending)");
    TAP_INT(r.frees, 1, "free callback ran exactly once");
    TAP_INT(virEventRemoveHandle(w), -1, "removing it again fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "removing it again: INVALID_ARG");
    virEventUpdateHandle(w, VIR_EVENT_HANDLE_READABLE);
    TAP_ERR(VIR_ERR_INVALID_ARG, "updating a removed watch: INVALID_ARG");

    /* Removal from outside any callback: free callback on the next round. */
    memset(&r, 0, sizeof(r));
    w = virEventAddHandle(p[0], 0, handleCb, &r, handleFree);
    TAP_INT(virEventRemoveHandle(w), 0, "remove an idle handle");
    TAP_INT(r.frees, 0, "free callback deferred to the loop");
    runTicking(1);
    TAP_INT(r.frees, 1, "free callback ran on the next iteration");

    /* Running the loop from inside a callback is refused. */
    memset(&r, 0, sizeof(r));
    r.reenter = 1;
    w = virEventAddHandle(p[0], VIR_EVENT_HANDLE_READABLE, handleCb, &r,
                          NULL);
    runN(1);
    TAP_INT(r.reenter, -1, "nested virEventRunDefaultImpl fails");
    TAP_INT(r.reenterCode, VIR_ERR_OPERATION_INVALID,
            "nested run: OPERATION_INVALID");
    virEventRemoveHandle(w);

    /* Hangup is delivered even though only READABLE was asked for. */
    hup.removeSelf = true;
    w = virEventAddHandle(q[0], VIR_EVENT_HANDLE_READABLE, handleCb, &hup,
                          handleFree);
    close(q[1]);
    runUntil(&hup.calls, 1, 2000);
    TAP_INT(hup.calls, 1, "closed write end fires the handle");
    TAP_OK(hup.events & VIR_EVENT_HANDLE_HANGUP, "events has HANGUP (0x%x)",
           hup.events);
    TAP_INT(hup.frees, 1, "hung-up handle removed and freed");

    runTicking(1);
    close(p[0]);
    close(p[1]);
    close(q[0]);
}

static void
testTimeouts(void)
{
    TimerRec zero = { 0 };
    TimerRec per = { 0 };
    TimerRec off = { 0 };
    TimerRec x = { 0 };
    TimerRec y = { 0 };
    long long start;
    int t;
    int tx;
    int ty;

    t = virEventAddTimeout(0, timerCb, &zero, timerFree);
    TAP_OK(t > 0, "add timeout returns a positive id (%d)", t);
    runN(5);
    TAP_INT(zero.calls, 5, "timeout 0 fires on every iteration");
    TAP_INT(zero.timer, t, "callback gets its timer id");

    /* Disabling itself from inside its callback. */
    zero.disableAfter = 6;
    runN(1);
    TAP_INT(zero.calls, 6, "fired once more");
    runTicking(3);
    TAP_INT(zero.calls, 6, "updated to -1 from its callback: stopped");
    virEventUpdateTimeout(t, 0);
    runN(2);
    TAP_INT(zero.calls, 8, "re-enabled with 0: fires again");
    TAP_INT(virEventRemoveTimeout(t), 0, "remove timeout");
    TAP_INT(zero.frees, 0, "free callback deferred");
    runTicking(2);
    TAP_INT(zero.calls, 8, "removed timeout does not fire");
    TAP_INT(zero.frees, 1, "free callback ran exactly once");
    TAP_OK(zero.freedOpaque == &zero, "free callback got the opaque");

    t = virEventAddTimeout(-1, timerCb, &off, timerFree);
    runTicking(3);
    TAP_INT(off.calls, 0, "timeout -1 never fires");
    virEventRemoveTimeout(t);

    /* Periodic: never early, and not absurdly late (5x). */
    start = nowMs();
    t = virEventAddTimeout(100, timerCb, &per, timerFree);
    runUntil(&per.calls, 2, 3000);
    TAP_INT(per.calls, 2, "100 ms timeout fired twice");
    TAP_OK(per.firstMs - start >= 100, "not early: first after %lld ms",
           per.firstMs - start);
    TAP_OK(per.firstMs - start <= 500, "not late: first after %lld ms",
           per.firstMs - start);
    /* The period restarts from the clock reading taken just before the
     * first callback ran, so allow 1 ms for that and for rounding. */
    TAP_OK(per.secondMs - per.firstMs >= 99,
           "periodic: second %lld ms after the first",
           per.secondMs - per.firstMs);
    virEventRemoveTimeout(t);

    /* One timer removes another due later in the same iteration. */
    tx = virEventAddTimeout(-1, timerCb, &x, timerFree);
    ty = virEventAddTimeout(0, timerCb, &y, timerFree);
    x.removeOther = ty;
    virEventUpdateTimeout(tx, 0);
    runN(1);
    TAP_INT(x.calls, 1, "remover fired");
    TAP_INT(x.removeRc, 0, "removing another timer from a callback works");
    TAP_INT(y.calls, 0, "removed timer never fires");
    TAP_INT(y.frees, 1, "removed timer freed after the iteration");
    virEventRemoveTimeout(tx);
    runTicking(1);
    TAP_INT(x.frees, 1, "remover freed");
    TAP_INT(virEventRemoveTimeout(ty), -1, "removing a freed timer fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown timer: INVALID_ARG");
}

typedef struct {
    HandleRec rec;
    TimerRec trec;
    int pfd[2];
    int watch;
    int timer;
} ThreadCtx;

static void *
addLater(void *opaque)
{
    ThreadCtx *c = opaque;

    usleep(150 * 1000);
    if (write(c->pfd[1], "z", 1) != 1)
        return NULL;
    c->watch = virEventAddHandle(c->pfd[0], VIR_EVENT_HANDLE_READABLE,
                                 handleCb, &c->rec, handleFree);
    return NULL;
}

static void *
enableLater(void *opaque)
{
    ThreadCtx *c = opaque;

    usleep(150 * 1000);
    virEventUpdateTimeout(c->timer, 0);
    return NULL;
}

/* The loop blocks in poll(); another thread's change must wake it well
 * before the 10 s watchdog timer would. */
static void
testThreads(void)
{
    ThreadCtx c = { 0 };
    TimerRec dog = { 0 };
    pthread_t th;
    long long start;
    int wd;

    if (pipe(c.pfd) < 0) {
        TAP_OK(0, "pipe: %s", strerror(errno));
        return;
    }
    c.rec.drain = true;
    runTicking(1);
    wd = virEventAddTimeout(10000, timerCb, &dog, NULL);
    start = nowMs();
    pthread_create(&th, NULL, addLater, &c);
    while (c.rec.calls == 0 && dog.calls == 0)
        runN(1);
    pthread_join(th, NULL);
    TAP_INT(c.rec.calls, 1, "handle added by another thread fired");
    TAP_INT(dog.calls, 0, "woken by the registration, not the watchdog");
    TAP_OK(nowMs() - start < 5000, "woke after %lld ms", nowMs() - start);
    virEventRemoveHandle(c.watch);

    c.timer = virEventAddTimeout(-1, timerCb, &c.trec, timerFree);
    start = nowMs();
    pthread_create(&th, NULL, enableLater, &c);
    while (c.trec.calls == 0 && dog.calls == 0)
        runN(1);
    pthread_join(th, NULL);
    TAP_INT(c.trec.calls, 1, "timer enabled by another thread fired");
    TAP_INT(dog.calls, 0, "woken by the update, not the watchdog");
    TAP_OK(nowMs() - start < 5000, "woke after %lld ms", nowMs() - start);
    virEventRemoveTimeout(c.timer);
    virEventRemoveTimeout(wd);
    runTicking(1);
    TAP_INT(c.rec.frees, 1, "handle from the other thread freed once");
    TAP_INT(c.trec.frees, 1, "timer from the other thread freed once");
    close(c.pfd[0]);
    close(c.pfd[1]);
}

static void
testUniqueIds(void)
{
    enum { N = 40 };
    int ids[4 * N];
    int n = 0;
    bool unique = true;
    bool positive = true;
    int i;
    int j;

    for (i = 0; i < N; i++) {
        ids[n++] = virEventAddHandle(0, 0, noopHandle, NULL, NULL);
        ids[n++] = virEventAddTimeout(-1, noopTimer, NULL, NULL);
    }
    for (i = 0; i < n; i += 2) {
        virEventRemoveHandle(ids[i]);
        virEventRemoveTimeout(ids[i + 1]);
    }
    runTicking(1);
    for (i = 0; i < N; i++) {
        ids[n++] = virEventAddHandle(0, 0, noopHandle, NULL, NULL);
        ids[n++] = virEventAddTimeout(-1, noopTimer, NULL, NULL);
    }
    /* Handle and timer ids are separate spaces: compare within each. */
    for (i = 0; i < n; i++) {
        positive &= ids[i] > 0;
        for (j = i + 2; j < n; j += 2)
            unique &= ids[i] != ids[j];
    }
    TAP_OK(positive, "all %d ids are positive", n);
    TAP_OK(unique, "no id handed out twice, even after removal");
    for (i = 2 * N; i < n; i += 2) {
        virEventRemoveHandle(ids[i]);
        virEventRemoveTimeout(ids[i + 1]);
    }
    runTicking(1);
}

int
main(void)
{
    alarm(120);     /* a deadlock fails the test instead of hanging it */
    errorSetGlobalHandler(NULL, quietHandler);

    testInChild();

    TAP_INT(virEventRegisterDefaultImpl(), 0, "register the default loop");
    TAP_INT(virEventRegisterDefaultImpl(), 0, "registering twice is fine");
    TAP_OK(eventHasImpl(), "a loop is registered");

    testHandles();
    testTimeouts();
    testThreads();
    testUniqueIds();
    return tapDone();
}
