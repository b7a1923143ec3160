/* qemu_domain.c: the QEMU driver's domain calls: define, undefine, start,
 * stop, pause, reboot, state, XML, autostart, console */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"
#include "uuid.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Report unknown FLAGS outside ALLOWED for FUNC. 0 or -1. */
static int
qemuCheckFlags(unsigned int flags, unsigned int allowed, const char *func)
{
    if (!(flags & ~allowed))
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in %s",
                flags & ~allowed, func);
    return -1;
}

/* DOM's record, locked, with a job begun; NULL with an error. ACTIVE: the
 * domain must be running. Finish with qemuJobEnd. */
static QemuDom *
qemuJobBegin(virDomainPtr dom, bool active)
{
    QemuDom *d = qemuDomGet(dom);

    if (!d)
        return NULL;
    if (qemuDomBeginJob(d) < 0) {
        qemuDomRelease(d);
        return NULL;
    }
    if (active && qemuDomCheckActive(d) < 0) {
        qemuDomEndJob(d);
        qemuDomRelease(d);
        return NULL;
    }
    return d;
}

static void
qemuJobEnd(QemuDom *d)
{
    qemuDomEndJob(d);
    qemuDomRelease(d);
}

/* Run FN on D's monitor with the lock released (job held). 0 or -1. */
static int
qemuMonitorRun(QemuDom *d, int (*fn)(Qmp *mon))
{
    Qmp *mon = qemuProcessMonAcquire(d);
    int ret;

    if (!mon)
        return -1;
    pthread_mutex_unlock(&d->drv->lock);
    ret = fn(mon);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    return ret;
}

/* Parse XML for a define or a create and check it maps to QEMU. */
static DomainDef *
qemuParseNew(const char *xml, unsigned int parseFlags)
{
    DomainDef *def = domainDefParse(xml, parseFlags);

    if (!def)
        return NULL;
    if (!def->virtType || (strcmp(def->virtType, "qemu") != 0 &&
                           strcmp(def->virtType, "kvm") != 0)) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "domain type '%s' is not "
                    "supported by the QEMU driver: use 'qemu' or 'kvm'",
                    def->virtType ? def->virtType : "");
        domainDefFree(def);
        return NULL;
    }
    if (qemuCommandValidate(def) < 0) {
        domainDefFree(def);
        return NULL;
    }
    return def;
}

/* Check that DEF may take the place of (or sit beside) existing records:
 * the same name must mean the same uuid and vice versa. Lock held. */
static int
qemuCheckIdentity(QemuDriver *drv, const DomainDef *def, QemuDom **found)
{
    QemuDom *byName = qemuDomFindByName(drv, def->name);
    QemuDom *byUUID = qemuDomFindByUUID(drv, def->uuid);
    char uuid[VIR_UUID_STRING_BUFLEN];

    *found = byName;
    if (byName && byName != byUUID) {
        uuidFormat(byName->def->uuid, uuid);
        reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already exists "
                    "with uuid %s", def->name, uuid);
        return -1;
    }
    if (!byName && byUUID) {
        uuidFormat(def->uuid, uuid);
        reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already has uuid "
                    "%s", byUUID->def->name, uuid);
        return -1;
    }
    return 0;
}

static virDomainPtr
qemuDomainDefineXMLFlags(virConnectPtr conn, const char *xml,
                         unsigned int flags)
{
    QemuDriver *drv = conn->privateData;
    DomainDef *def;
    QemuDom *d;
    virDomainPtr dom = NULL;
    bool added;

    if (qemuCheckFlags(flags, VIR_DOMAIN_DEFINE_VALIDATE, __func__) < 0 ||
        !(def = qemuParseNew(xml, flags & VIR_DOMAIN_DEFINE_VALIDATE)))
        return NULL;
    pthread_mutex_lock(&drv->lock);
    if (qemuCheckIdentity(drv, def, &d) < 0 ||
        qemuStateSaveConfig(drv, def) < 0) {
        domainDefFree(def);
        goto cleanup;
    }
    added = !d || !d->persistent;
    if (!d) {
        d = qemuDomAdd(drv, def, true);
    } else if (qemuDomIsActive(d)) {
        domainDefFree(d->newDef);
        d->newDef = def;
        d->persistent = true;
        d->updated = true;
        qemuStateSaveStatus(drv, d);
        errorReset();
    } else {
        def->id = -1;
        domainDefFree(d->def);
        d->def = def;
        d->persistent = true;
    }
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_DEFINED,
                          added ? VIR_DOMAIN_EVENT_DEFINED_ADDED
                                : VIR_DOMAIN_EVENT_DEFINED_UPDATED);
    dom = qemuDomObject(drv, d);
 cleanup:
    pthread_mutex_unlock(&drv->lock);
    return dom;
}

static virDomainPtr
qemuDomainDefineXML(virConnectPtr conn, const char *xml)
{
    return qemuDomainDefineXMLFlags(conn, xml, 0);
}

#define QEMU_UNDEFINE_FLAGS \
    (VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | \
     VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM | \
     VIR_DOMAIN_UNDEFINE_KEEP_NVRAM | \
     VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA | VIR_DOMAIN_UNDEFINE_TPM | \
     VIR_DOMAIN_UNDEFINE_KEEP_TPM)

static int
qemuDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;

    if (qemuCheckFlags(flags, QEMU_UNDEFINE_FLAGS, __func__) < 0 ||
        !(d = qemuJobBegin(dom, false)))
        return -1;
    if (!d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID, "cannot undefine transient "
                    "domain '%s'", d->def->name);
        qemuJobEnd(d);
        return -1;
    }
    if (qemuSaveUndefine(d, flags) < 0 ||
        qemuSnapshotUndefine(d, flags) < 0 ||
        qemuStateDeleteConfig(d->drv, d->def->name) < 0) {
        qemuJobEnd(d);
        return -1;
    }
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_UNDEFINED,
                          VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    d->persistent = false;
    d->autostart = false;
    if (qemuDomIsActive(d)) {
        domainDefFree(d->newDef);
        d->newDef = NULL;
        d->updated = false;
        qemuStateSaveStatus(d->drv, d);
        errorReset();
    } else {
        qemuDomRemove(d->drv, d);
    }
    qemuJobEnd(d);
    return 0;
}

static int
qemuDomainUndefine(virDomainPtr dom)
{
    return qemuDomainUndefineFlags(dom, 0);
}

#define QEMU_START_FLAGS \
    (VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_BYPASS_CACHE | \
     VIR_DOMAIN_START_FORCE_BOOT | VIR_DOMAIN_START_VALIDATE | \
     VIR_DOMAIN_START_RESET_NVRAM)

static int
qemuDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret = -1;

    if (qemuCheckFlags(flags, QEMU_START_FLAGS, __func__) < 0 ||
        !(d = qemuJobBegin(dom, false)))
        return -1;
    if (qemuDomIsActive(d)) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is already "
                    "running", d->def->name);
        goto cleanup;
    }
    ret = qemuSaveStart(d->drv, d, flags);
    if (ret == 0)
        dom->id = d->def->id;
 cleanup:
    qemuJobEnd(d);
    return ret;
}

static int
qemuDomainCreate(virDomainPtr dom)
{
    return qemuDomainCreateWithFlags(dom, 0);
}

static virDomainPtr
qemuDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    QemuDriver *drv = conn->privateData;
    virDomainPtr dom = NULL;
    DomainDef *def;
    QemuDom *d;

    if (qemuCheckFlags(flags, QEMU_START_FLAGS, __func__) < 0 ||
        !(def = qemuParseNew(xml, flags & VIR_DOMAIN_START_VALIDATE ?
                             VIR_DOMAIN_DEFINE_VALIDATE : 0)))
        return NULL;
    pthread_mutex_lock(&drv->lock);
    if (qemuCheckIdentity(drv, def, &d) < 0) {
        domainDefFree(def);
        goto cleanup;
    }
    if (d) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' already exists",
                    def->name);
        domainDefFree(def);
        goto cleanup;
    }
    d = qemuDomAdd(drv, def, false);
    qemuDomRef(d);
    d->job = true;
    if (qemuProcessStart(drv, d, flags) < 0)
        qemuDomRemove(drv, d);
    else
        dom = qemuDomObject(drv, d);
    qemuDomEndJob(d);
    qemuDomUnref(d);
 cleanup:
    pthread_mutex_unlock(&drv->lock);
    return dom;
}

static int
qemuDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret;

    if (qemuCheckFlags(flags, VIR_DOMAIN_DESTROY_GRACEFUL |
                       VIR_DOMAIN_DESTROY_REMOVE_LOGS, __func__) < 0 ||
        !(d = qemuDomGet(dom)))
        return -1;
    /* no job: destroy must work even while a job waits on a stuck QEMU
     * (its monitor commands fail once QEMU is gone) */
    if (qemuDomCheckActive(d) < 0) {
        qemuDomRelease(d);
        return -1;
    }
    ret = qemuProcessKill(d->drv, d, flags & VIR_DOMAIN_DESTROY_GRACEFUL);
    if (ret == 0 && (flags & VIR_DOMAIN_DESTROY_REMOVE_LOGS)) {
        char *log = qemuStatePath(d->drv, "log", d->def->name, ".log");

        unlink(log);
        free(log);
    }
    if (ret == 0)
        dom->id = -1;
    qemuDomRelease(d);
    return ret;
}

static int
qemuDomainDestroy(virDomainPtr dom)
{
    return qemuDomainDestroyFlags(dom, 0);
}

/* Only the ACPI power button is available (no agent, no initctl). */
static int
qemuCheckPowerMode(unsigned int flags, unsigned int acpi, const char *func)
{
    if (flags == 0 || flags == acpi)
        return 0;
    reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "only the ACPI power button "
                "method is supported by %s (flags 0x%x)", func, flags);
    return -1;
}

static int
qemuDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret;

    if (flags == VIR_DOMAIN_SHUTDOWN_GUEST_AGENT) {
        /* not 'active': the agent checks its configuration first */
        if (!(d = qemuJobBegin(dom, false)))
            return -1;
        d->fakeReboot = false;
        ret = qemuAgentShutdown(d, false);
        qemuJobEnd(d);
        return ret;
    }
    if (qemuCheckPowerMode(flags, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN,
                           __func__) < 0 ||
        !(d = qemuJobBegin(dom, true)))
        return -1;
    d->fakeReboot = false;
    ret = qemuMonitorRun(d, qmpSystemPowerdown);
    qemuJobEnd(d);
    return ret;
}

static int
qemuDomainShutdown(virDomainPtr dom)
{
    return qemuDomainShutdownFlags(dom, 0);
}

static int
qemuDomainReboot(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret;

    if (flags == VIR_DOMAIN_REBOOT_GUEST_AGENT) {
        /* not 'active': the agent checks its configuration first */
        if (!(d = qemuJobBegin(dom, false)))
            return -1;
        ret = qemuAgentShutdown(d, true);
        qemuJobEnd(d);
        return ret;
    }
    if (qemuCheckPowerMode(flags, VIR_DOMAIN_REBOOT_ACPI_POWER_BTN,
                           __func__) < 0 ||
        !(d = qemuJobBegin(dom, true)))
        return -1;
    /* the guest powers off; the SHUTDOWN event then resets it */
    d->fakeReboot = true;
    if ((ret = qemuMonitorRun(d, qmpSystemPowerdown)) < 0)
        d->fakeReboot = false;
    qemuJobEnd(d);
    return ret;
}

static int
qemuDomainReset(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret;

    if (qemuCheckFlags(flags, 0, __func__) < 0 ||
        !(d = qemuJobBegin(dom, true)))
        return -1;
    ret = qemuMonitorRun(d, qmpSystemReset);
    qemuJobEnd(d);
    return ret;
}

static int
qemuDomainSuspend(virDomainPtr dom)
{
    QemuDom *d;
    int ret = -1;

    if (!(d = qemuJobBegin(dom, true)))
        return -1;
    if (d->state == VIR_DOMAIN_PAUSED) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is already "
                    "paused", d->def->name);
        goto cleanup;
    }
    if (d->state != VIR_DOMAIN_RUNNING) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not running",
                    d->def->name);
        goto cleanup;
    }
    d->pausedByUs = true;
    if ((ret = qemuMonitorRun(d, qmpStop)) < 0) {
        d->pausedByUs = false;
        goto cleanup;
    }
    /* QEMU sends STOP before its reply; should it not, settle it here */
    if (d->state == VIR_DOMAIN_RUNNING) {
        d->pausedByUs = false;
        qemuDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SUSPENDED,
                              VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
        qemuStateSaveStatus(d->drv, d);
        errorReset();
    }
 cleanup:
    qemuJobEnd(d);
    return ret;
}

static int
qemuDomainResume(virDomainPtr dom)
{
    QemuDom *d;
    int ret = -1;

    if (!(d = qemuJobBegin(dom, true)))
        return -1;
    if (d->state != VIR_DOMAIN_PAUSED) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not paused",
                    d->def->name);
        goto cleanup;
    }
    if ((ret = qemuMonitorRun(d, qmpCont)) < 0)
        goto cleanup;
    if (d->state == VIR_DOMAIN_PAUSED) {
        qemuDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_RESUMED,
                              VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
        qemuStateSaveStatus(d->drv, d);
        errorReset();
    }
 cleanup:
    qemuJobEnd(d);
    return ret;
}

/* ---- queries: never wait for a job ---- */

static int
qemuDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    QemuDom *d = qemuDomGet(dom);

    if (!d)
        return -1;
    memset(info, 0, sizeof(*info));
    info->state = (unsigned char)d->state;
    info->maxMem = d->def->memory;
    info->memory = d->def->curMemory;
    info->nrVirtCpu = (unsigned short)d->def->curVcpus;
    info->cpuTime = qemuProcessCpuTime(d);
    qemuDomRelease(d);
    return 0;
}

static int
qemuDomainGetState(virDomainPtr dom, int *state, int *reason,
                   unsigned int flags)
{
    QemuDom *d = qemuDomGet(dom);

    if (!d)
        return -1;
    *state = d->state;
    if (reason)
        *reason = d->reason;
    qemuDomRelease(d);
    return 0;
}

static int
qemuDomainGetControlInfo(virDomainPtr dom, virDomainControlInfoPtr info,
                         unsigned int flags)
{
    QemuDom *d;

    if (qemuCheckFlags(flags, 0, __func__) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    memset(info, 0, sizeof(*info));
    info->state = d->job ? VIR_DOMAIN_CONTROL_JOB : VIR_DOMAIN_CONTROL_OK;
    qemuDomRelease(d);
    return 0;
}

static char *
qemuDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d = qemuDomGet(dom);
    const DomainDef *def;
    char *xml;

    if (!d)
        return NULL;
    def = (flags & VIR_DOMAIN_XML_INACTIVE) && d->newDef ? d->newDef : d->def;
    xml = domainDefFormat(def, flags & (VIR_DOMAIN_XML_SECURE |
                                        VIR_DOMAIN_XML_INACTIVE));
    qemuDomRelease(d);
    return xml;
}

static char *
qemuDomainGetOSType(virDomainPtr dom)
{
    QemuDom *d = qemuDomGet(dom);
    char *type;

    if (!d)
        return NULL;
    type = allocStrdup(d->def->os.type);
    qemuDomRelease(d);
    return type;
}

static unsigned long
qemuDomainGetMaxMemory(virDomainPtr dom)
{
    QemuDom *d = qemuDomGet(dom);
    unsigned long mem;

    if (!d)
        return 0;
    mem = (unsigned long)d->def->memory;
    qemuDomRelease(d);
    return mem;
}

/* Generic boolean query on D. */
static int
qemuDomainFlag(virDomainPtr dom, int which)
{
    QemuDom *d = qemuDomGet(dom);
    int ret;

    if (!d)
        return -1;
    ret = which == 0 ? qemuDomIsActive(d) :
        which == 1 ? d->persistent :
        which == 2 ? d->updated : d->autostart;
    qemuDomRelease(d);
    return ret;
}

static int
qemuDomainIsActive(virDomainPtr dom)
{
    return qemuDomainFlag(dom, 0);
}

static int
qemuDomainIsPersistent(virDomainPtr dom)
{
    return qemuDomainFlag(dom, 1);
}

static int
qemuDomainIsUpdated(virDomainPtr dom)
{
    return qemuDomainFlag(dom, 2);
}

static int
qemuDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    int v = qemuDomainFlag(dom, 3);

    if (v < 0)
        return -1;
    *autostart = v;
    return 0;
}

static int
qemuDomainSetAutostart(virDomainPtr dom, int autostart)
{
    QemuDom *d = qemuDomGet(dom);
    int ret = -1;

    if (!d)
        return -1;
    if (!d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID, "cannot set autostart for "
                    "transient domain '%s'", d->def->name);
    } else if (qemuStateSetAutostart(d->drv, d->def->name,
                                     autostart != 0) == 0) {
        d->autostart = autostart != 0;
        ret = 0;
    }
    qemuDomRelease(d);
    return ret;
}

static int
qemuDomainOpenConsole(virDomainPtr dom, const char *devname,
                      virStreamPtr st, unsigned int flags)
{
    QemuDom *d;
    int ret;

    if (qemuCheckFlags(flags, VIR_DOMAIN_CONSOLE_FORCE |
                       VIR_DOMAIN_CONSOLE_SAFE, __func__) < 0 ||
        !(d = qemuDomGet(dom)))
        return -1;
    ret = qemuConsoleOpen(d, devname, st, flags);
    qemuDomRelease(d);
    return ret;
}

void
qemuDomainFill(Driver *drv)
{
    drv->domainDefineXML = qemuDomainDefineXML;
    drv->domainDefineXMLFlags = qemuDomainDefineXMLFlags;
    drv->domainUndefine = qemuDomainUndefine;
    drv->domainUndefineFlags = qemuDomainUndefineFlags;
    drv->domainCreate = qemuDomainCreate;
    drv->domainCreateWithFlags = qemuDomainCreateWithFlags;
    drv->domainCreateXML = qemuDomainCreateXML;
    drv->domainDestroy = qemuDomainDestroy;
    drv->domainDestroyFlags = qemuDomainDestroyFlags;
    drv->domainShutdown = qemuDomainShutdown;
    drv->domainShutdownFlags = qemuDomainShutdownFlags;
    drv->domainReboot = qemuDomainReboot;
    drv->domainReset = qemuDomainReset;
    drv->domainSuspend = qemuDomainSuspend;
    drv->domainResume = qemuDomainResume;
    drv->domainGetInfo = qemuDomainGetInfo;
    drv->domainGetState = qemuDomainGetState;
    drv->domainGetControlInfo = qemuDomainGetControlInfo;
    drv->domainGetXMLDesc = qemuDomainGetXMLDesc;
    drv->domainGetOSType = qemuDomainGetOSType;
    drv->domainGetMaxMemory = qemuDomainGetMaxMemory;
    drv->domainIsActive = qemuDomainIsActive;
    drv->domainIsPersistent = qemuDomainIsPersistent;
    drv->domainIsUpdated = qemuDomainIsUpdated;
    drv->domainGetAutostart = qemuDomainGetAutostart;
    drv->domainSetAutostart = qemuDomainSetAutostart;
    drv->domainOpenConsole = qemuDomainOpenConsole;
}
