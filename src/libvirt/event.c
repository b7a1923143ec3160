/* event.c: public virEvent* entry points, thin wrappers over eventloop.c */
#define ERROR_DOMAIN VIR_FROM_EVENT

#include "entry.h"
#include "eventloop.h"

/* Register a caller's event loop; the first registration stays for the life
 * of the process. */
void
virEventRegisterImpl(virEventAddHandleFunc addHandle,
                     virEventUpdateHandleFunc updateHandle,
                     virEventRemoveHandleFunc removeHandle,
                     virEventAddTimeoutFunc addTimeout,
                     virEventUpdateTimeoutFunc updateTimeout,
                     virEventRemoveTimeoutFunc removeTimeout)
{
    ENTRY_START();
    eventRegisterImpl(addHandle, updateHandle, removeHandle,
                      addTimeout, updateTimeout, removeTimeout);
}

/* Set up our poll(2) loop and register it (unless a loop already is).
 * Safe to call more than once. Returns 0 or -1. */
int
virEventRegisterDefaultImpl(void)
{
    ENTRY_START();
    if (eventDefaultRegister() < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Run one iteration of the default loop. Returns 0 or -1. */
int
virEventRunDefaultImpl(void)
{
    ENTRY_START();
    if (eventDefaultRun() < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Watch FD through the registered loop. Returns the watch id or -1. */
int
virEventAddHandle(int fd, int events, virEventHandleCallback cb,
                  void *opaque, virFreeCallback ff)
{
    int watch;

    ENTRY_START();
    if (fd < 0) {
        entryBadArg(__func__, "fd");
        goto error;
    }
    if (!cb) {
        entryBadArg(__func__, "cb");
        goto error;
    }
    if ((watch = eventAddHandle(fd, events, cb, opaque, ff)) < 0)
        goto error;
    return watch;

 error:
    entryFail(NULL, __func__);
    return -1;
}

/* Change the events a watch waits for (0 disables it). */
void
virEventUpdateHandle(int watch, int events)
{
    ENTRY_START();
    if (watch < 0) {
        entryBadArg(__func__, "watch");
        goto error;
    }
    eventUpdateHandle(watch, events);
    if (errorIsSet())
        goto error;
    return;

 error:
    entryFail(NULL, __func__);
}

/* Unregister a watch; its free callback runs later. Returns 0 or -1. */
int
virEventRemoveHandle(int watch)
{
    ENTRY_START();
    if (watch < 0) {
        entryBadArg(__func__, "watch");
        goto error;
    }
    if (eventRemoveHandle(watch) < 0)
        goto error;
    return 0;

 error:
    entryFail(NULL, __func__);
    return -1;
}

/* Add a timer firing every TIMEOUT ms (0: each iteration, -1: disabled).
 * Returns the timer id or -1. */
int
virEventAddTimeout(int timeout, virEventTimeoutCallback cb, void *opaque,
                   virFreeCallback ff)
{
    int timer;

    ENTRY_START();
    if (!cb) {
        entryBadArg(__func__, "cb");
        goto error;
    }
    if ((timer = eventAddTimeout(timeout, cb, opaque, ff)) < 0)
        goto error;
    return timer;

 error:
    entryFail(NULL, __func__);
    return -1;
}

/* Change a timer's period (same meaning as for virEventAddTimeout). */
void
virEventUpdateTimeout(int timer, int timeout)
{
    ENTRY_START();
    if (timer < 0) {
        entryBadArg(__func__, "timer");
        goto error;
    }
    eventUpdateTimeout(timer, timeout);
    if (errorIsSet())
        goto error;
    return;

 error:
    entryFail(NULL, __func__);
}

/* Unregister a timer; its free callback runs later. Returns 0 or -1. */
int
virEventRemoveTimeout(int timer)
{
    ENTRY_START();
    if (timer < 0) {
        entryBadArg(__func__, "timer");
        goto error;
    }
    if (eventRemoveTimeout(timer) < 0)
        goto error;
    return 0;

 error:
    entryFail(NULL, __func__);
    return -1;
}
