/* qemu_events.c: what each QMP event does to a domain's state, and the
 * libvirt event it becomes */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"
#include "qemu_events.h"

#include "error.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

/* A boolean member of DATA (false when absent). */
static bool
eventBool(json_object *data, const char *key)
{
    json_object *v = data ? json_object_object_get(data, key) : NULL;

    return v && json_object_get_boolean(v);
}

/* A string member of DATA ("" when absent). */
static const char *
eventStr(json_object *data, const char *key)
{
    json_object *v = data ? json_object_object_get(data, key) : NULL;
    const char *s = v ? json_object_get_string(v) : NULL;

    return s ? s : "";
}

/* Record the new state of D on disk (the status file follows every
 * change); failures only reach the debug log. */
static void
eventSave(QemuDom *d)
{
    if (qemuStateSaveStatus(d->drv, d) < 0) {
        logDebug("qemu", "cannot save the status of '%s'", d->def->name);
        errorReset();
    }
}

static void
eventStop(QemuDom *d)
{
    int reason = VIR_DOMAIN_PAUSED_UNKNOWN;
    int detail = VIR_DOMAIN_EVENT_SUSPENDED_PAUSED;

    if (d->state != VIR_DOMAIN_RUNNING || d->gotShutdown)
        return;     /* a stop that is part of a shutdown or a crash */
    if (d->pausedByUs)
        reason = VIR_DOMAIN_PAUSED_USER;
    else if (d->watchdogPause) {
        reason = VIR_DOMAIN_PAUSED_WATCHDOG;
        detail = VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG;
    }
    d->pausedByUs = d->watchdogPause = false;
    qemuDomSetState(d, VIR_DOMAIN_PAUSED, reason);
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SUSPENDED, detail);
    eventSave(d);
}

static void
eventResume(QemuDom *d)
{
    if (d->state == VIR_DOMAIN_RUNNING)
        return;
    qemuDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_RESUMED,
                          VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    eventSave(d);
}

/* The guest (or the host) shut the machine down; QEMU stays (it runs with
 * -no-shutdown) until the watcher quits or restarts it. */
static void
eventShutdown(QemuDom *d, json_object *data)
{
    bool guest = eventBool(data, "guest");
    bool reset = strcmp(eventStr(data, "reason"), "guest-reset") == 0;
    LifecycleAction action = reset ? d->def->onReboot : d->def->onPoweroff;

    if (d->destroying || d->gotShutdown)
        return;     /* our own SIGTERM or quit */
    if (d->fakeReboot) {
        d->fakeReboot = false;
        qemuProcessKick(d, QEMU_ACTION_RESTART);
        return;
    }
    d->gotShutdown = true;
    d->shutdownGuest = guest;
    qemuDomSetState(d, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SHUTDOWN,
                          guest ? VIR_DOMAIN_EVENT_SHUTDOWN_GUEST
                                : VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
    eventSave(d);
    qemuProcessKick(d, action == LIFECYCLE_RESTART ? QEMU_ACTION_RESTART
                                                   : QEMU_ACTION_QUIT);
}

static void
eventPanic(QemuDom *d)
{
    qemuDomSetState(d, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED);
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_CRASHED,
                          VIR_DOMAIN_EVENT_CRASHED_PANICKED);
    eventSave(d);
    if (d->def->onCrash == LIFECYCLE_DESTROY) {
        d->crashDestroy = true;
        qemuProcessKick(d, QEMU_ACTION_DESTROY);
    } else if (d->def->onCrash == LIFECYCLE_RESTART) {
        qemuProcessKick(d, QEMU_ACTION_RESTART);
    }
}

static void
eventWatchdog(QemuDom *d, json_object *data)
{
    static const char *const actions[] = {
        "none", "pause", "reset", "poweroff", "shutdown", "debug",
        "inject-nmi", NULL
    };
    const char *action = eventStr(data, "action");
    DomainEvent *ev;
    int i;

    for (i = 0; actions[i] && strcmp(actions[i], action) != 0; i++)
        ;
    if (!actions[i])
        i = VIR_DOMAIN_EVENT_WATCHDOG_NONE;
    if (i == VIR_DOMAIN_EVENT_WATCHDOG_PAUSE)
        d->watchdogPause = true;
    if ((ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_WATCHDOG))) {
        ev->i1 = i;
        domainEventQueue(ev);
    }
}

static void
eventRtcChange(QemuDom *d, json_object *data)
{
    json_object *v = data ? json_object_object_get(data, "offset") : NULL;
    DomainEvent *ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_RTC_CHANGE);

    if (!ev)
        return;
    ev->l1 = v ? json_object_get_int64(v) : 0;
    domainEventQueue(ev);
}

static void
eventSimple(QemuDom *d, int eventID)
{
    DomainEvent *ev = qemuDomEventNew(d, eventID);

    if (ev)
        domainEventQueue(ev);
}

static void
eventPmSuspend(QemuDom *d, bool suspend)
{
    if (suspend) {
        qemuDomSetState(d, VIR_DOMAIN_PMSUSPENDED,
                        VIR_DOMAIN_PMSUSPENDED_UNKNOWN);
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_PMSUSPENDED,
                              VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY);
        eventSimple(d, VIR_DOMAIN_EVENT_ID_PMSUSPEND);
    } else {
        qemuDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_WAKEUP);
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_STARTED,
                              VIR_DOMAIN_EVENT_STARTED_WAKEUP);
        eventSimple(d, VIR_DOMAIN_EVENT_ID_PMWAKEUP);
    }
    eventSave(d);
}

void
qemuEventHandle(Qmp *mon, const QmpEvent *ev, void *opaque)
{
    QemuDom *d = opaque;
    QemuDriver *drv = d->drv;
    const char *name = ev->name;

    pthread_mutex_lock(&drv->lock);
    logDebug("qemu", "domain '%s': QMP event %s", d->def->name, name);
    if (d->starting || d->pid <= 0 || drv->closing) {
        pthread_mutex_unlock(&drv->lock);
        return;
    }
    if (strcmp(name, "STOP") == 0)
        eventStop(d);
    else if (strcmp(name, "RESUME") == 0)
        eventResume(d);
    else if (strcmp(name, "SHUTDOWN") == 0)
        eventShutdown(d, ev->data);
    else if (strcmp(name, "RESET") == 0)
        eventSimple(d, VIR_DOMAIN_EVENT_ID_REBOOT);
    else if (strcmp(name, "GUEST_PANICKED") == 0)
        eventPanic(d);
    else if (strcmp(name, "WATCHDOG") == 0)
        eventWatchdog(d, ev->data);
    else if (strcmp(name, "RTC_CHANGE") == 0)
        eventRtcChange(d, ev->data);
    else if (strcmp(name, "SUSPEND") == 0)
        eventPmSuspend(d, true);
    else if (strcmp(name, "WAKEUP") == 0)
        eventPmSuspend(d, false);
    else if (strcmp(name, "DEVICE_DELETED") == 0)
        qemuHotplugDeviceDeleted(d, ev->data);
    else if (strcmp(name, "DEVICE_UNPLUG_GUEST_ERROR") == 0)
        qemuHotplugUnplugError(d, ev->data);
    else if (strcmp(name, "BALLOON_CHANGE") == 0)
        qemuHotplugBalloonChange(d, ev->data);
    else if (strcmp(name, "DEVICE_TRAY_MOVED") == 0)
        qemuHotplugTrayMoved(d, ev->data);
    else if (strncmp(name, "BLOCK_JOB_", 10) == 0)
        qemuBlockJobEvent(d, name, ev->data);
    else if (strcmp(name, "VSERPORT_CHANGE") == 0)
        qemuAgentEvent(d, ev->data);
    else if (strcmp(name, "MIGRATION") == 0)
        qemuSaveMigrationEvent(d);
    /* POWERDOWN (the button was pressed) and EOF change nothing: the exit
     * itself is seen through the pidfd */
    pthread_mutex_unlock(&drv->lock);
}
