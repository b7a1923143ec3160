/* eventloop.h: the registered event loop and our poll(2) default loop */
#pragma once

#include <stdbool.h>
#include <libvirt/libvirt.h>

/*
 * The registry. Whoever registers first owns the process: libvirt's rule is
 * that an event loop, once registered, is never replaced, so later attempts
 * with different functions are ignored (and logged).
 */

/* Record the six functions of a caller's event loop. A NULL slot makes the
 * matching operation fail with VIR_ERR_NO_SUPPORT. Ignored when another
 * implementation is already registered, or when all six are NULL. */
void eventRegisterImpl(virEventAddHandleFunc addHandle,
                       virEventUpdateHandleFunc updateHandle,
                       virEventRemoveHandleFunc removeHandle,
                       virEventAddTimeoutFunc addTimeout,
                       virEventUpdateTimeoutFunc updateTimeout,
                       virEventRemoveTimeoutFunc removeTimeout);

/* True once an event loop implementation has been registered. */
bool eventHasImpl(void);

/*
 * Watches and timers through whichever loop is registered. The callers
 * (library code) pass a valid fd >= 0 and a non-NULL callback. Ownership of
 * OPAQUE passes to the loop on success: it calls FF(OPAQUE) (if FF is set)
 * some time after the watch or timer is removed, never from inside the
 * removing call. On failure OPAQUE stays with the caller and FF is not called.
 */

/* Watch FD for EVENTS (VIR_EVENT_HANDLE_* bits; 0 = disabled for now).
 * Returns a watch id >= 0 (ours are positive; a caller's loop, e.g. python's
 * asyncio one, may hand out 0), or -1 with an error set (no loop registered:
 * VIR_ERR_NO_SUPPORT). */
int eventAddHandle(int fd, int events, virEventHandleCallback cb,
                   void *opaque, virFreeCallback ff);
/* Change the events WATCH waits for; 0 disables it. Reports an error (but
 * has no return value) when there is no loop or WATCH is unknown. */
void eventUpdateHandle(int watch, int events);
/* Unregister WATCH. Returns 0, or -1 with an error set. */
int eventRemoveHandle(int watch);

/* Call CB every MS milliseconds (0: on every loop iteration, negative:
 * disabled). Returns a timer id >= 0, or -1 with an error set. */
int eventAddTimeout(int ms, virEventTimeoutCallback cb, void *opaque,
                    virFreeCallback ff);
/* Change TIMER's period to MS (same meaning as above); the period restarts
 * from now. Reports an error when there is no loop or TIMER is unknown. */
void eventUpdateTimeout(int timer, int ms);
/* Unregister TIMER. Returns 0, or -1 with an error set. */
int eventRemoveTimeout(int timer);

/*
 * The default implementation, poll(2) based. Any thread may add, update or
 * remove; one thread at a time runs it (others calling eventDefaultRun wait
 * their turn).
 */

/* Set up the default loop (once; later calls do nothing) and register it
 * unless another implementation already is. Returns 0, or -1 with an error
 * set when the wakeup descriptor cannot be created. */
int eventDefaultRegister(void);
/* Run one iteration of the default loop: wait for the nearest timer or any
 * watched descriptor, then dispatch due timers and ready handles, then
 * release what was removed. Returns 0, or -1 with an error set (loop not set
 * up, called from inside one of its own callbacks, poll failure). */
int eventDefaultRun(void);
