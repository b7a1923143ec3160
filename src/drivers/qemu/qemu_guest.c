/* qemu_guest.c: the QEMU driver's calls answered by the guest agent (file
 * systems, time, passwords, host name, power management, addresses, guest
 * info, raw agent commands); fills the guest family's vtable slots */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_guest.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "typedparam.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
qemuGuestCheckFlags(unsigned int flags, unsigned int allowed,
                    const char *func)
{
    if (!(flags & ~allowed))
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in %s",
                flags & ~allowed, func);
    return -1;
}

int
qemuGuestMonitor(QemuDom *d, int (*fn)(Qmp *mon, void *opaque), void *opaque)
{
    Qmp *mon = qemuProcessMonAcquire(d);
    int ret;

    if (!mon)
        return -1;
    pthread_mutex_unlock(&d->drv->lock);
    ret = fn(mon, opaque);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    return ret;
}

/* Run agent command CMD (taken) on DOM's domain; *RET as qemuAgentRun.
 * The lock is taken and released here. 0 or -1. */
static int
guestAgent(virDomainPtr dom, json_object *cmd, json_object **ret,
           unsigned int flags)
{
    QemuDom *d;
    int rc = -1;

    if (ret)
        *ret = NULL;
    if (!cmd)
        return -1;
    if ((d = qemuDomGet(dom))) {
        rc = qemuAgentRun(d, cmd, ret, flags);
        qemuDomRelease(d);
    }
    json_object_put(cmd);
    return rc;
}

/* The int the agent returned, as a count, or -1 for another type. */
static int
guestCount(json_object *r, const char *cmd)
{
    if (!r || !json_object_is_type(r, json_type_int)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "malformed reply to guest agent "
                    "command '%s': not a number", cmd);
        return -1;
    }
    return (int)json_object_get_int64(r);
}

/* A string member of O, or NULL. */
static const char *
guestStr(json_object *o, const char *key)
{
    json_object *v = o ? json_object_object_get(o, key) : NULL;

    return v && json_object_is_type(v, json_type_string) ?
        json_object_get_string(v) : NULL;
}

static long long
guestInt(json_object *o, const char *key, long long dflt)
{
    json_object *v = o ? json_object_object_get(o, key) : NULL;

    return v && (json_object_is_type(v, json_type_int) ||
                 json_object_is_type(v, json_type_double)) ?
        json_object_get_int64(v) : dflt;
}

/* ---- file systems ---- */

static int
qemuDomainFSFreeze(virDomainPtr dom, const char **mountpoints,
                   unsigned int nmountpoints, unsigned int flags)
{
    json_object *cmd, *r = NULL, *list;
    int ret;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0)
        return -1;
    if (mountpoints && nmountpoints) {
        list = json_object_new_array();
        for (unsigned int i = 0; i < nmountpoints; i++)
            json_object_array_add(list,
                                  json_object_new_string(mountpoints[i]));
        cmd = qmpCommandNew("guest-fsfreeze-freeze-list", "j:mountpoints",
                            list, NULL);
    } else {
        cmd = qmpCommandNew("guest-fsfreeze-freeze", NULL);
    }
    if (guestAgent(dom, cmd, &r, 0) < 0)
        return -1;
    ret = guestCount(r, "guest-fsfreeze-freeze");
    json_object_put(r);
    return ret;
}

static int
qemuDomainFSThaw(virDomainPtr dom, const char **mountpoints,
                 unsigned int nmountpoints, unsigned int flags)
{
    json_object *r = NULL;
    int ret;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0)
        return -1;
    /* qemu-ga thaws everything it froze: a list cannot be honoured */
    if (mountpoints && nmountpoints) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "the guest agent thaws "
                    "all frozen file systems at once: no mount points "
                    "can be given");
        return -1;
    }
    if (guestAgent(dom, qmpCommandNew("guest-fsfreeze-thaw", NULL), &r,
                   0) < 0)
        return -1;
    ret = guestCount(r, "guest-fsfreeze-thaw");
    json_object_put(r);
    return ret;
}

static int
qemuDomainFSTrim(virDomainPtr dom, const char *mountPoint,
                 unsigned long long minimum, unsigned int flags)
{
    json_object *r = NULL;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0)
        return -1;
    if (mountPoint) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "the guest agent trims "
                    "every file system: no mount point can be given");
        return -1;
    }
    if (guestAgent(dom, qmpCommandNew("guest-fstrim", "Z:minimum", minimum,
                                      NULL), &r, 0) < 0)
        return -1;
    json_object_put(r);
    return 0;
}

/* The target of DEF's disk that the guest's disk entry DISK names: by PCI
 * address, else by the guest's device name. NULL when none matches. */
static const char *
guestDiskTarget(const DomainDef *def, json_object *disk)
{
    json_object *pci = json_object_object_get(disk, "pci-controller");
    const char *dev = guestStr(disk, "dev");

    for (size_t i = 0; pci && i < def->ndisks; i++) {
        const DeviceAddress *a = &def->disks[i]->info.addr;

        if (a->type == ADDR_PCI &&
            guestInt(pci, "domain", -1) == a->domain &&
            guestInt(pci, "bus", -1) == a->bus &&
            guestInt(pci, "slot", -1) == a->slot &&
            guestInt(pci, "function", -1) == a->function)
            return def->disks[i]->dst;
    }
    if (dev && strncmp(dev, "/dev/", 5) == 0) {
        for (size_t i = 0; i < def->ndisks; i++)
            if (strcmp(def->disks[i]->dst, dev + 5) == 0)
                return def->disks[i]->dst;
    }
    return NULL;
}

/* One virDomainFSInfo from the agent's entry FS. */
static virDomainFSInfoPtr
guestFsInfo(const DomainDef *def, json_object *fs)
{
    json_object *disks = json_object_object_get(fs, "disk");
    size_t n = disks && json_object_is_type(disks, json_type_array) ?
        json_object_array_length(disks) : 0;
    virDomainFSInfoPtr info;

    ALLOC(info);
    info->mountpoint = allocStrdup(guestStr(fs, "mountpoint"));
    info->name = allocStrdup(guestStr(fs, "name"));
    info->fstype = allocStrdup(guestStr(fs, "type"));
    if (n)
        ALLOC_N(info->devAlias, n);
    for (size_t i = 0; i < n; i++) {
        const char *t = guestDiskTarget(def,
                                        json_object_array_get_idx(disks, i));

        if (t)
            info->devAlias[info->ndevAlias++] = allocStrdup(t);
    }
    return info;
}

static int
qemuDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info,
                    unsigned int flags)
{
    json_object *cmd = NULL, *r = NULL;
    virDomainFSInfoPtr *list;
    QemuDom *d;
    size_t n;
    int ret = -1;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0 ||
        !(cmd = qmpCommandNew("guest-get-fsinfo", NULL)) ||
        !(d = qemuDomGet(dom))) {
        json_object_put(cmd);
        return -1;
    }
    if (qemuAgentRun(d, cmd, &r, 0) < 0)
        goto cleanup;
    if (!json_object_is_type(r, json_type_array)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "malformed reply to guest agent "
                    "command 'guest-get-fsinfo': not an array");
        goto cleanup;
    }
    n = json_object_array_length(r);
    ALLOC_N(list, n + 1);
    for (size_t i = 0; i < n; i++)
        list[i] = guestFsInfo(d->def, json_object_array_get_idx(r, i));
    *info = list;
    ret = (int)n;
 cleanup:
    qemuDomRelease(d);
    json_object_put(cmd);
    json_object_put(r);
    return ret;
}

/* ---- time, password, host name ---- */

static int
qemuDomainGetTime(virDomainPtr dom, long long *seconds,
                  unsigned int *nseconds, unsigned int flags)
{
    json_object *r = NULL;
    long long ns;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0 ||
        guestAgent(dom, qmpCommandNew("guest-get-time", NULL), &r, 0) < 0)
        return -1;
    if (!json_object_is_type(r, json_type_int)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "malformed reply to guest agent "
                    "command 'guest-get-time': not a number");
        json_object_put(r);
        return -1;
    }
    ns = json_object_get_int64(r);
    json_object_put(r);
    *seconds = ns / 1000000000LL;
    *nseconds = (unsigned int)(ns % 1000000000LL);
    return 0;
}

static int
qemuDomainSetTime(virDomainPtr dom, long long seconds, unsigned int nseconds,
                  unsigned int flags)
{
    json_object *cmd;

    if (qemuGuestCheckFlags(flags, VIR_DOMAIN_TIME_SYNC, __func__) < 0)
        return -1;
    if (flags & VIR_DOMAIN_TIME_SYNC) {
        /* no time: the guest reads its (host-set) hardware clock */
        cmd = qmpCommandNew("guest-set-time", NULL);
    } else {
        if (nseconds >= 1000000000U || seconds < 0 ||
            seconds > 9223372035LL) {
            reportError(VIR_ERR_INVALID_ARG, "invalid time %lld.%09u",
                        seconds, nseconds);
            return -1;
        }
        cmd = qmpCommandNew("guest-set-time", "I:time",
                            seconds * 1000000000LL + nseconds, NULL);
    }
    return guestAgent(dom, cmd, NULL, 0);
}

/* S in base64 (caller frees). */
static char *
guestBase64(const char *s)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t len = strlen(s), o = 0;
    char *out = allocArray((len + 2) / 3 * 4 + 1, 1);

    for (size_t i = 0; i < len; i += 3) {
        unsigned int v = (unsigned char)s[i] << 16;

        if (i + 1 < len)
            v |= (unsigned char)s[i + 1] << 8;
        if (i + 2 < len)
            v |= (unsigned char)s[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < len ? tab[v >> 6 & 63] : '=';
        out[o++] = i + 2 < len ? tab[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

static int
qemuDomainSetUserPassword(virDomainPtr dom, const char *user,
                          const char *password, unsigned int flags)
{
    char *b64;
    json_object *cmd;

    if (qemuGuestCheckFlags(flags, VIR_DOMAIN_PASSWORD_ENCRYPTED,
                            __func__) < 0)
        return -1;
    if (!*user) {
        reportError(VIR_ERR_INVALID_ARG, "empty user name");
        return -1;
    }
    b64 = guestBase64(password);
    cmd = qmpCommandNew("guest-set-user-password", "s:username", user,
                        "s:password", b64, "b:crypted",
                        (flags & VIR_DOMAIN_PASSWORD_ENCRYPTED) != 0, NULL);
    free(b64);
    return guestAgent(dom, cmd, NULL, 0);
}

static char *
qemuDomainGetHostname(virDomainPtr dom, unsigned int flags)
{
    json_object *r = NULL;
    const char *name;
    char *ret = NULL;

    if (qemuGuestCheckFlags(flags, VIR_DOMAIN_GET_HOSTNAME_AGENT |
                            VIR_DOMAIN_GET_HOSTNAME_LEASE, __func__) < 0)
        return NULL;
    if (flags & VIR_DOMAIN_GET_HOSTNAME_LEASE) {
        reportError(VIR_ERR_NO_SUPPORT, "host names from DHCP leases need a "
                    "network driver, which the embedded QEMU driver does "
                    "not have: use the guest agent");
        return NULL;
    }
    if (guestAgent(dom, qmpCommandNew("guest-get-host-name", NULL), &r,
                   0) < 0)
        return NULL;
    if (!(name = guestStr(r, "host-name")))
        reportError(VIR_ERR_INTERNAL_ERROR, "malformed reply to guest agent "
                    "command 'guest-get-host-name': no 'host-name'");
    else
        ret = allocStrdup(name);
    json_object_put(r);
    return ret;
}

/* ---- power management ---- */

static int
qemuDomainPMSuspendForDuration(virDomainPtr dom, unsigned int target,
                               unsigned long long duration,
                               unsigned int flags)
{
    static const char *const cmds[] = {
        [VIR_NODE_SUSPEND_TARGET_MEM] = "guest-suspend-ram",
        [VIR_NODE_SUSPEND_TARGET_DISK] = "guest-suspend-disk",
        [VIR_NODE_SUSPEND_TARGET_HYBRID] = "guest-suspend-hybrid",
    };

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0)
        return -1;
    if (target >= VIR_NODE_SUSPEND_TARGET_LAST) {
        reportError(VIR_ERR_INVALID_ARG, "unknown suspend target %u", target);
        return -1;
    }
    if (duration) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "the guest agent cannot "
                    "wake the guest after a duration: use 0");
        return -1;
    }
    return guestAgent(dom, qmpCommandNew(cmds[target], NULL), NULL,
                      QEMU_AGENT_NO_REPLY);
}

static int
guestWakeup(Qmp *mon, void *opaque)
{
    (void)opaque;
    return qmpSystemWakeup(mon);
}

static int
qemuDomainPMWakeup(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret = -1;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    if (qemuDomBeginJob(d) < 0)
        goto cleanup;
    if (qemuDomCheckActive(d) == 0) {
        if (d->state != VIR_DOMAIN_PMSUSPENDED)
            reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not "
                        "suspended by power management", d->def->name);
        else
            ret = qemuGuestMonitor(d, guestWakeup, NULL);
    }
    qemuDomEndJob(d);
 cleanup:
    qemuDomRelease(d);
    return ret;
}

/* ---- raw agent commands, timeout ---- */

static char *
qemuDomainQemuAgentCommand(virDomainPtr dom, const char *cmd, int timeout,
                           unsigned int flags)
{
    QemuDom *d;
    char *reply = NULL;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0 || !(d = qemuDomGet(dom)))
        return NULL;
    qemuAgentRunText(d, cmd, timeout, &reply);
    qemuDomRelease(d);
    return reply;
}

static int
qemuDomainAgentSetResponseTimeout(virDomainPtr dom, int timeout,
                                  unsigned int flags)
{
    QemuDom *d;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0)
        return -1;
    if (timeout < VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK) {
        reportError(VIR_ERR_INVALID_ARG, "invalid agent response timeout %d",
                    timeout);
        return -1;
    }
    if (!(d = qemuDomGet(dom)))
        return -1;
    d->agentTimeout = timeout;
    d->agentTimeoutSet = true;
    qemuDomRelease(d);
    return 0;
}

void
qemuGuestFill(Driver *drv)
{
    drv->domainFSFreeze = qemuDomainFSFreeze;
    drv->domainFSThaw = qemuDomainFSThaw;
    drv->domainFSTrim = qemuDomainFSTrim;
    drv->domainGetFSInfo = qemuDomainGetFSInfo;
    drv->domainGetTime = qemuDomainGetTime;
    drv->domainSetTime = qemuDomainSetTime;
    drv->domainSetUserPassword = qemuDomainSetUserPassword;
    drv->domainGetHostname = qemuDomainGetHostname;
    drv->domainPMSuspendForDuration = qemuDomainPMSuspendForDuration;
    drv->domainPMWakeup = qemuDomainPMWakeup;
    drv->domainQemuAgentCommand = qemuDomainQemuAgentCommand;
    drv->domainAgentSetResponseTimeout = qemuDomainAgentSetResponseTimeout;
    qemuGuestInfoFill(drv);
    qemuMiscFill(drv);
    qemuStatsFill(drv);
}
