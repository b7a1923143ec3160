/* test_lifecycle.c: define, undefine, start, stop, pause: the state machine */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_priv.h"
#include "alloc.h"
#include "error.h"
#include "uuid.h"

#include <stdlib.h>
#include <string.h>

int
testHostCheckClash(TestHost *h, const DomainDef *def, TestDomain **found)
{
    TestDomain *byUUID = testHostFindUUID(h, def->uuid);
    TestDomain *byName = testHostFindName(h, def->name);
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    *found = NULL;
    if (byUUID && byUUID != byName) {
        uuidFormat(def->uuid, uuidstr);
        reportError(VIR_ERR_OPERATION_FAILED,
                    "domain '%s' is already defined with uuid %s",
                    byUUID->def->name, uuidstr);
        return -1;
    }
    if (byName && !byUUID) {
        uuidFormat(byName->def->uuid, uuidstr);
        reportError(VIR_ERR_OPERATION_FAILED,
                    "domain '%s' already exists with uuid %s",
                    def->name, uuidstr);
        return -1;
    }
    *found = byUUID;
    return 0;
}

int
testDomainCheckState(const TestDomain *d, int state)
{
    if (d->state == state)
        return 0;
    if (!testDomainIsActiveRec(d))
        return testDomainCheckActive(d);
    reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is %s", d->def->name,
                testStateName(d->state));
    return -1;
}

/* ---- define / undefine ---- */

/* Make DEF (owned, freed on failure) the persistent config of its domain,
 * adding one when needed; sets *DETAIL to the DEFINED event detail. */
static TestDomain *
testDefineLocked(TestHost *h, DomainDef *def, int *detail)
{
    TestDomain *d;

    if (testHostCheckClash(h, def, &d) < 0) {
        domainDefFree(def);
        return NULL;
    }
    def->id = -1;
    *detail = d && d->persistent ? VIR_DOMAIN_EVENT_DEFINED_UPDATED
                                 : VIR_DOMAIN_EVENT_DEFINED_ADDED;
    if (!d) {
        d = testDomainNew(def);
        testHostAddDomain(h, d);
    } else if (testDomainIsActiveRec(d)) {
        domainDefFree(d->newDef);
        d->newDef = def;
        d->persistent = true;
        d->updated = true;
    } else {
        domainDefFree(d->def);
        d->def = def;
    }
    return d;
}

static virDomainPtr
testDomainDefineXMLFlags(virConnectPtr conn, const char *xml,
                         unsigned int flags)
{
    TestHost *h = testHostOf(conn);
    virDomainPtr dom = NULL;
    DomainDef *def;
    TestDomain *d;
    int detail;

    if (testCheckFlags(flags, VIR_DOMAIN_DEFINE_VALIDATE) < 0)
        return NULL;
    if (!(def = domainDefParse(xml, flags & VIR_DOMAIN_DEFINE_VALIDATE)))
        return NULL;
    pthread_mutex_lock(&h->lock);
    if ((d = testDefineLocked(h, def, &detail))) {
        testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_DEFINED, detail);
        dom = testDomainObject(conn, d);
    }
    pthread_mutex_unlock(&h->lock);
    return dom;
}

static virDomainPtr
testDomainDefineXML(virConnectPtr conn, const char *xml)
{
    return testDomainDefineXMLFlags(conn, xml, 0);
}

#define UNDEFINE_FLAGS \
    (VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | \
     VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM | \
     VIR_DOMAIN_UNDEFINE_KEEP_NVRAM | \
     VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA | \
     VIR_DOMAIN_UNDEFINE_KEEP_TPM | VIR_DOMAIN_UNDEFINE_TPM)

/* Why D cannot be undefined with FLAGS (error reported), or 0. */
static int
testUndefineCheck(TestDomain *d, unsigned int flags)
{
    const DomainDef *config = d->newDef ? d->newDef : d->def;
    int nsnap;

    if (!d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "cannot undefine transient domain '%s'", d->def->name);
        return -1;
    }
    if (d->hasManagedSave && !(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "refusing to undefine domain '%s' with a managed save "
                    "image", d->def->name);
        return -1;
    }
    if (!testDomainIsActiveRec(d) && (nsnap = testSnapshotCount(d)) > 0 &&
        !(flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "cannot undefine inactive domain '%s' with %d snapshots",
                    d->def->name, nsnap);
        return -1;
    }
    if (config->os.hasNvram &&
        !(flags & (VIR_DOMAIN_UNDEFINE_NVRAM |
                   VIR_DOMAIN_UNDEFINE_KEEP_NVRAM))) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "cannot undefine domain '%s' with nvram", d->def->name);
        return -1;
    }
    return 0;
}

static int
testDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, UNDEFINE_FLAGS) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_UNDEFINE_NVRAM) &&
        (flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM)) {
        reportError(VIR_ERR_INVALID_ARG,
                    "cannot both keep and delete the nvram of domain '%s'",
                    dom->name);
        return -1;
    }
    if ((flags & VIR_DOMAIN_UNDEFINE_TPM) &&
        (flags & VIR_DOMAIN_UNDEFINE_KEEP_TPM)) {
        reportError(VIR_ERR_INVALID_ARG,
                    "cannot both keep and delete the TPM state of domain "
                    "'%s'", dom->name);
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testUndefineCheck(d, flags) < 0) {
        testHostUnlock(h);
        return -1;
    }
    d->hasManagedSave = false;
    FREE(d->managedSave);
    testEventLifecycle(dom->conn, d, VIR_DOMAIN_EVENT_UNDEFINED,
                       VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (testDomainIsActiveRec(d)) {
        /* it runs on as a transient domain */
        domainDefFree(d->newDef);
        d->newDef = NULL;
        d->persistent = false;
        d->autostart = false;
        d->updated = false;
    } else {
        testHostRemoveDomain(h, d);
    }
    testHostUnlock(h);
    return 0;
}

static int
testDomainUndefine(virDomainPtr dom)
{
    return testDomainUndefineFlags(dom, 0);
}

/* ---- start ---- */

/* Boot the inactive D (paused when PAUSED), emitting its events. */
static void
testBootLocked(virConnectPtr conn, TestHost *h, TestDomain *d, bool paused)
{
    testDomainStartState(h, d, paused ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING,
                         paused ? VIR_DOMAIN_PAUSED_USER
                                : VIR_DOMAIN_RUNNING_BOOTED);
    testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (paused)
        testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_SUSPENDED,
                           VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
}

#define START_FLAGS \
    (VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY | \
     VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_FORCE_BOOT)

static int
testDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    bool paused = flags & VIR_DOMAIN_START_PAUSED;
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    /* AUTODESTROY needs nothing: the host dies with its connection */
    if (testCheckFlags(flags, START_FLAGS) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckInactive(d) < 0)
        goto cleanup;
    if (d->hasManagedSave && (flags & VIR_DOMAIN_START_FORCE_BOOT)) {
        d->hasManagedSave = false;
        FREE(d->managedSave);
    }
    if (d->hasManagedSave) {
        if (testManagedSaveStart(dom->conn, h, d, paused) < 0)
            goto cleanup;
    } else {
        testBootLocked(dom->conn, h, d, paused);
    }
    dom->id = d->def->id;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainCreate(virDomainPtr dom)
{
    return testDomainCreateWithFlags(dom, 0);
}

static virDomainPtr
testDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    TestHost *h = testHostOf(conn);
    virDomainPtr dom = NULL;
    DomainDef *def;
    TestDomain *d;

    if (testCheckFlags(flags, START_FLAGS | VIR_DOMAIN_START_VALIDATE) < 0)
        return NULL;
    if (!(def = domainDefParse(xml, (flags & VIR_DOMAIN_START_VALIDATE) ?
                                    VIR_DOMAIN_DEFINE_VALIDATE : 0)))
        return NULL;
    def->id = -1;
    pthread_mutex_lock(&h->lock);
    if (testHostCheckClash(h, def, &d) < 0 ||
        (d && testDomainCheckInactive(d) < 0)) {
        domainDefFree(def);
        goto cleanup;
    }
    if (d) {
        /* a defined domain runs this definition; its config stays */
        d->newDef = d->def;
        d->def = def;
    } else {
        d = testDomainNew(def);
        d->persistent = false;
        testHostAddDomain(h, d);
    }
    testBootLocked(conn, h, d, flags & VIR_DOMAIN_START_PAUSED);
    dom = testDomainObject(conn, d);

 cleanup:
    pthread_mutex_unlock(&h->lock);
    return dom;
}

/* ---- stop ---- */

static int
testDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, VIR_DOMAIN_DESTROY_GRACEFUL) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) < 0) {
        testHostUnlock(h);
        return -1;
    }
    testDomainStop(dom->conn, h, d, VIR_DOMAIN_SHUTOFF_DESTROYED,
                   VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    dom->id = -1;
    testHostUnlock(h);
    return 0;
}

static int
testDomainDestroy(virDomainPtr dom)
{
    return testDomainDestroyFlags(dom, 0);
}

/* The guest restarts in place: same id, config changes made while it ran
 * take effect, CPU time starts again. */
static void
testRestartLocked(virConnectPtr conn, TestDomain *d)
{
    if (d->newDef) {
        DomainDef *fresh = domainDefCopy(d->newDef);

        if (fresh) {
            fresh->id = d->def->id;
            domainDefFree(d->def);
            d->def = fresh;
            testDomainMarkConfig(d);
        }
    }
    d->cpuTimeBase = 0;
    testDomainSetState(d, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    testDomainSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_BOOTED);
}

/* The guest powered itself off: apply ACTION (on_poweroff or on_reboot).
 * D may be freed on return (a stopped transient domain). Returns whether
 * D still runs. */
static bool
testPoweroffLocked(virConnectPtr conn, TestHost *h, TestDomain *d,
                   LifecycleAction action)
{
    testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_SHUTDOWN,
                       VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED);
    switch (action) {
    case LIFECYCLE_RESTART:
    case LIFECYCLE_RESTART_RENAME:
    case LIFECYCLE_COREDUMP_RESTART:
        testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_STOPPED,
                           VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
        testRestartLocked(conn, d);
        return true;
    default:
        testDomainStop(conn, h, d, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
                       VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
        return false;
    }
}

#define SHUTDOWN_FLAGS \
    (VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VIR_DOMAIN_SHUTDOWN_GUEST_AGENT | \
     VIR_DOMAIN_SHUTDOWN_INITCTL | VIR_DOMAIN_SHUTDOWN_SIGNAL | \
     VIR_DOMAIN_SHUTDOWN_PARAVIRT)

static int
testDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, SHUTDOWN_FLAGS) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckState(d, VIR_DOMAIN_RUNNING) < 0) {
        testHostUnlock(h);
        return -1;
    }
    if (!testPoweroffLocked(dom->conn, h, d, d->def->onPoweroff))
        dom->id = -1;
    testHostUnlock(h);
    return 0;
}

static int
testDomainShutdown(virDomainPtr dom)
{
    return testDomainShutdownFlags(dom, 0);
}

static void
testEventReboot(virConnectPtr conn, TestDomain *d)
{
    domainEventQueue(testEventNew(conn, d, VIR_DOMAIN_EVENT_ID_REBOOT));
}

static int
testDomainReboot(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    LifecycleAction action;

    /* the reboot flags have the values of the shutdown ones */
    if (testCheckFlags(flags, SHUTDOWN_FLAGS) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckState(d, VIR_DOMAIN_RUNNING) < 0) {
        testHostUnlock(h);
        return -1;
    }
    action = d->def->onReboot;
    if (action == LIFECYCLE_RESTART || action == LIFECYCLE_RESTART_RENAME ||
        action == LIFECYCLE_COREDUMP_RESTART) {
        testEventReboot(dom->conn, d);
        testDomainSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    } else if (!testPoweroffLocked(dom->conn, h, d, action)) {
        dom->id = -1;
    }
    testHostUnlock(h);
    return 0;
}

static int
testDomainReset(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) < 0) {
        testHostUnlock(h);
        return -1;
    }
    testEventReboot(dom->conn, d);
    testHostUnlock(h);
    return 0;
}

/* ---- pause, power management ---- */

/* Move DOM between running and paused, emitting the lifecycle event. */
static int
testDomainSetPaused(virDomainPtr dom, bool pause)
{
    TestHost *h;
    TestDomain *d;
    int from = pause ? VIR_DOMAIN_RUNNING : VIR_DOMAIN_PAUSED;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (d->state != from) {
        if (!testDomainIsActiveRec(d))
            testDomainCheckActive(d);
        else if (pause && d->state == VIR_DOMAIN_PAUSED)
            reportError(VIR_ERR_OPERATION_INVALID,
                        "domain '%s' is already paused", d->def->name);
        else if (!pause && d->state == VIR_DOMAIN_RUNNING)
            reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not paused",
                        d->def->name);
        else
            testDomainCheckState(d, from);
        testHostUnlock(h);
        return -1;
    }
    testDomainSetState(d, pause ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING,
                       pause ? VIR_DOMAIN_PAUSED_USER
                             : VIR_DOMAIN_RUNNING_UNPAUSED);
    testEventLifecycle(dom->conn, d,
                       pause ? VIR_DOMAIN_EVENT_SUSPENDED
                             : VIR_DOMAIN_EVENT_RESUMED,
                       pause ? VIR_DOMAIN_EVENT_SUSPENDED_PAUSED
                             : VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    testHostUnlock(h);
    return 0;
}

static int
testDomainSuspend(virDomainPtr dom)
{
    return testDomainSetPaused(dom, true);
}

static int
testDomainResume(virDomainPtr dom)
{
    return testDomainSetPaused(dom, false);
}

/* True when DEF's <pm> disables ELEMENT (suspend-to-mem/-disk). */
static bool
testPMDisabled(const DomainDef *def, const char *element)
{
    const char *enabled;
    XNode *n;

    if (!def->pm || !(n = xtreeChild(def->pm, element)))
        return false;
    enabled = xtreeAttr(n, "enabled");
    return enabled && strcmp(enabled, "no") == 0;
}

static void
testEventPM(virConnectPtr conn, TestDomain *d, int eventID)
{
    domainEventQueue(testEventNew(conn, d, eventID));
}

static int
testDomainPMSuspendForDuration(virDomainPtr dom, unsigned int target,
                               unsigned long long duration,
                               unsigned int flags)
{
    const char *element = target == VIR_NODE_SUSPEND_TARGET_DISK ?
                          "suspend-to-disk" : "suspend-to-mem";
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (target >= VIR_NODE_SUSPEND_TARGET_LAST) {
        reportError(VIR_ERR_INVALID_ARG, "unknown suspend target %u", target);
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckState(d, VIR_DOMAIN_RUNNING) < 0)
        goto cleanup;
    if (testPMDisabled(d->def, element)) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED,
                    "domain '%s' has %s disabled", d->def->name, element);
        goto cleanup;
    }
    if (target == VIR_NODE_SUSPEND_TARGET_DISK) {
        /* the guest writes its memory to disk and powers off */
        testEventPM(dom->conn, d, VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK);
        testEventLifecycle(dom->conn, d, VIR_DOMAIN_EVENT_PMSUSPENDED,
                           VIR_DOMAIN_EVENT_PMSUSPENDED_DISK);
        testDomainStop(dom->conn, h, d, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
                       VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
        dom->id = -1;
    } else {
        testDomainSetState(d, VIR_DOMAIN_PMSUSPENDED,
                           VIR_DOMAIN_PMSUSPENDED_UNKNOWN);
        testEventPM(dom->conn, d, VIR_DOMAIN_EVENT_ID_PMSUSPEND);
        testEventLifecycle(dom->conn, d, VIR_DOMAIN_EVENT_PMSUSPENDED,
                           VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY);
    }
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainPMWakeup(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckState(d, VIR_DOMAIN_PMSUSPENDED) < 0) {
        testHostUnlock(h);
        return -1;
    }
    testDomainSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_WAKEUP);
    testEventPM(dom->conn, d, VIR_DOMAIN_EVENT_ID_PMWAKEUP);
    testEventLifecycle(dom->conn, d, VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_WAKEUP);
    testHostUnlock(h);
    return 0;
}

/* Slots of the state machine (called by testCoreFill). */
void
testLifecycleFill(Driver *drv)
{
    drv->domainDefineXML = testDomainDefineXML;
    drv->domainDefineXMLFlags = testDomainDefineXMLFlags;
    drv->domainUndefine = testDomainUndefine;
    drv->domainUndefineFlags = testDomainUndefineFlags;
    drv->domainCreate = testDomainCreate;
    drv->domainCreateWithFlags = testDomainCreateWithFlags;
    drv->domainCreateXML = testDomainCreateXML;
    drv->domainDestroy = testDomainDestroy;
    drv->domainDestroyFlags = testDomainDestroyFlags;
    drv->domainShutdown = testDomainShutdown;
    drv->domainShutdownFlags = testDomainShutdownFlags;
    drv->domainReboot = testDomainReboot;
    drv->domainReset = testDomainReset;
    drv->domainSuspend = testDomainSuspend;
    drv->domainResume = testDomainResume;
    drv->domainPMSuspendForDuration = testDomainPMSuspendForDuration;
    drv->domainPMWakeup = testDomainPMWakeup;
}
