/* qemu_hotplug_live.c: devices plugged into and out of a running QEMU: the
 * argv fragment of a device (qemu_command.c) turned into QMP commands, the
 * choice of a free PCIe root port, unplug and its wait, removable media and
 * link state */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_hotplug.h"
#include "qemu_net.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What an attach added to QEMU so far, undone in reverse on failure. */
typedef enum {
    ADDED_BLOCKDEV, ADDED_NETDEV, ADDED_CHARDEV, ADDED_OBJECT, ADDED_DEVICE
} AddedKind;

typedef struct {
    AddedKind kind[16];
    char *id[16];
    size_t n;
} Added;

/* Unplugs in progress, so that DEVICE_UNPLUG_GUEST_ERROR can end the wait
 * of the detach that asked for it. Guarded by pendingLock. */
typedef struct {
    const QemuDom *d;
    const char *alias;
    bool rejected;
} Pending;

static pthread_mutex_t pendingLock = PTHREAD_MUTEX_INITIALIZER;
static Pending *pending[32];

/* The common info of DEV (NULL for graphics). */
static DeviceInfo *
liveInfo(DomainDevice *dev)
{
    switch (dev->kind) {
    case DEVICE_DISK: return &dev->data.disk->info;
    case DEVICE_CONTROLLER: return &dev->data.controller->info;
    case DEVICE_NET: return &dev->data.net->info;
    case DEVICE_CHR: return &dev->data.chr->info;
    case DEVICE_VIDEO: return &dev->data.video->info;
    case DEVICE_INPUT: return &dev->data.input->info;
    case DEVICE_SOUND: return &dev->data.sound->info;
    case DEVICE_MEMBALLOON: return &dev->data.memballoon->info;
    case DEVICE_WATCHDOG: return &dev->data.watchdog->info;
    case DEVICE_RNG: return &dev->data.rng->info;
    case DEVICE_TPM: return &dev->data.tpm->info;
    case DEVICE_HOSTDEV: return &dev->data.hostdev->info;
    default: return NULL;
    }
}

/* Kinds QEMU can plug and unplug while running (what qemu_command.c's
 * one-device builder maps). */
static int
liveKindCheck(const QemuDom *d, const DomainDevice *dev, const char *what)
{
    const ChrDef *chr = dev->data.chr;

    switch (dev->kind) {
    case DEVICE_DISK: case DEVICE_NET: case DEVICE_RNG:
        return 0;
    case DEVICE_CONTROLLER:
        if (strcmp(dev->data.controller->type, "scsi") == 0 ||
            strcmp(dev->data.controller->type, "virtio-serial") == 0)
            return 0;
        break;
    case DEVICE_CHR:
        if (chr->kind == CHR_CHANNEL ||
            (chr->kind == CHR_CONSOLE && chr->targetType &&
             strcmp(chr->targetType, "virtio") == 0))
            return 0;
        break;
    default:
        break;
    }
    reportError(VIR_ERR_OPERATION_UNSUPPORTED, "live %s of a <%s> is not "
                "supported by the QEMU driver (domain '%s')", what,
                dev->kind == DEVICE_CHR ? domainChrKindNames[chr->kind]
                                        : domainDeviceKindNames[dev->kind],
                d->def->name);
    return -1;
}

/* Refuse what would collide with the running definition DEF. */
static int
liveAttachCheck(const QemuDom *d, DomainDevice *dev)
{
    const DomainDef *def = d->def;
    DeviceInfo *info = liveInfo(dev);
    DomainDevice other;
    char mac[18];

    if (liveKindCheck(d, dev, "attach") < 0)
        return -1;
    if (dev->kind == DEVICE_DISK &&
        domainFindDisk(def, dev->data.disk->dst) >= 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already has a "
                    "disk with target '%s'", def->name, dev->data.disk->dst);
        return -1;
    }
    if (dev->kind == DEVICE_NET && dev->data.net->macSet) {
        domainMacFormat(dev->data.net->mac, mac);
        if (domainFindNet(def, mac) >= 0) {
            reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already has "
                        "an interface with MAC address %s", def->name, mac);
            return -1;
        }
    }
    if (info && info->alias && domainFindByAlias(def, info->alias,
                                                 &other) >= 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already has a "
                    "device with alias '%s'", def->name, info->alias);
        return -1;
    }
    return 0;
}

/* Name DEV the way the command line names its kind, with the first
 * number not taken in DEF (other kinds get their alias from the builder,
 * derived from an address that is unique already). */
static void
liveAliasAssign(const DomainDef *def, DomainDevice *dev)
{
    DeviceInfo *info = liveInfo(dev);
    const char *prefix = NULL;
    DomainDevice other;

    if (!info || info->alias)
        return;
    if (dev->kind == DEVICE_DISK && dev->data.disk->bus == DISK_BUS_VIRTIO)
        prefix = "virtio-disk";
    else if (dev->kind == DEVICE_NET)
        prefix = "net";
    else if (dev->kind == DEVICE_RNG)
        prefix = "rng";
    else if (dev->kind == DEVICE_CHR)
        prefix = dev->data.chr->kind == CHR_CONSOLE ? "console" : "channel";
    for (int i = 0; prefix && !info->alias; i++) {
        char *alias = allocPrintf("%s%d", prefix, i);

        if (domainFindByAlias(def, alias, &other) < 0)
            info->alias = alias;
        else
            free(alias);
    }
}

/* ---- QEMU option strings -> QMP ---- */

/* Split the QEMU option string S ("type,key=value,..."; ",," is a comma)
 * into *TYPE and the key/value pairs of a new json object. */
static json_object *
liveOptsParse(const char *s, char **type)
{
    json_object *o = json_object_new_object();
    char *buf = allocZero(strlen(s) + 1);
    char *key = NULL;
    size_t n = 0;
    bool first = true;

    *type = NULL;
    for (const char *p = s;; p++) {
        if (*p == ',' && p[1] == ',') {
            buf[n++] = *p++;
            continue;
        }
        if (*p == '=' && !key && !first) {
            buf[n] = '\0';
            key = allocStrdup(buf);
            n = 0;
            continue;
        }
        if (*p != ',' && *p != '\0') {
            buf[n++] = *p;
            continue;
        }
        buf[n] = '\0';
        if (first)
            *type = allocStrdup(buf);
        else if (key)
            json_object_object_add(o, key, json_object_new_string(buf));
        first = false;
        FREE(key);
        n = 0;
        if (!*p)
            break;
    }
    free(buf);
    return o;
}

static const char *
liveOpt(json_object *o, const char *key)
{
    json_object *v = json_object_object_get(o, key);

    return v ? json_object_get_string(v) : NULL;
}

static bool
liveOptOn(json_object *o, const char *key)
{
    const char *v = liveOpt(o, key);

    return v && strcmp(v, "on") == 0;
}

/* chardev-add for the -chardev string VAL; *PTY gets the pty opened. */
static int
liveChardevAdd(Qmp *mon, const char *val, char **id, char **pty)
{
    char *type = NULL;
    json_object *o = liveOptsParse(val, &type);
    json_object *data = json_object_new_object();
    json_object *backend = json_object_new_object();
    const char *path = liveOpt(o, "path");
    int ret = -1;

    *id = allocStrdup(liveOpt(o, "id"));
    if (strcmp(type, "file") == 0) {
        json_object_object_add(data, "out", json_object_new_string(path));
        json_object_object_add(data, "append", json_object_new_boolean(
            liveOptOn(o, "append")));
    } else if (strcmp(type, "socket") == 0) {
        json_object *addr = json_object_new_object();
        json_object *ad = json_object_new_object();

        json_object_object_add(ad, "path", json_object_new_string(path));
        json_object_object_add(addr, "type", json_object_new_string("unix"));
        json_object_object_add(addr, "data", ad);
        json_object_object_add(data, "addr", addr);
        json_object_object_add(data, "server", json_object_new_boolean(
            liveOptOn(o, "server")));
        if (liveOptOn(o, "server"))
            json_object_object_add(data, "wait", json_object_new_boolean(0));
    }
    json_object_object_add(backend, "type", json_object_new_string(type));
    json_object_object_add(backend, "data", data);
    ret = qmpChardevAdd(mon, *id, backend, pty);
    json_object_put(o);
    free(type);
    return ret;
}

/* object-add for the -object string VAL. */
static int
liveObjectAdd(Qmp *mon, const char *val, char **id)
{
    char *type = NULL;
    json_object *o = liveOptsParse(val, &type);
    int ret;

    *id = allocStrdup(liveOpt(o, "id"));
    json_object_object_del(o, "id");
    ret = qmpObjectAdd(mon, type, *id, o);
    free(type);
    return ret;
}

/* Whether device JSON O is a PCI device QEMU would put on the root bus. */
static bool
liveNeedsPort(json_object *o)
{
    const char *drv = liveOpt(o, "driver");
    size_t len = drv ? strlen(drv) : 0;

    if (!drv || json_object_object_get(o, "bus"))
        return false;
    return (len > 4 && strcmp(drv + len - 4, "-pci") == 0) ||
        strcmp(drv, "e1000") == 0 || strcmp(drv, "e1000e") == 0 ||
        strcmp(drv, "rtl8139") == 0;
}

/* The id of a free hot-plug root port (caller frees). */
static char *
livePortFree(Qmp *mon)
{
    json_object *cmd = qmpCommandNew("query-pci", NULL);
    json_object *reply = NULL, *ret;
    char *port = NULL;
    size_t plen = strlen(QEMU_HOTPLUG_PORT_PREFIX);

    if (qmpCommandRun(mon, cmd, &reply, 0) < 0 ||
        !(ret = qmpReplyReturn(reply, "query-pci", json_type_array)))
        goto cleanup;
    for (size_t b = 0; !port && b < json_object_array_length(ret); b++) {
        json_object *devs = json_object_object_get(
            json_object_array_get_idx(ret, b), "devices");

        for (size_t i = 0; !port && i < json_object_array_length(devs); i++) {
            json_object *dev = json_object_array_get_idx(devs, i);
            const char *id = liveOpt(dev, "qdev_id");
            json_object *br = json_object_object_get(dev, "pci_bridge");
            json_object *kids = br ? json_object_object_get(br, "devices")
                                   : NULL;

            if (id && strncmp(id, QEMU_HOTPLUG_PORT_PREFIX, plen) == 0 &&
                (!kids || json_object_array_length(kids) == 0))
                port = allocStrdup(id);
        }
    }
    if (!port)
        reportError(VIR_ERR_OPERATION_FAILED, "no free PCIe root port for a "
                    "hot-plugged device: all %d are in use",
                    QEMU_HOTPLUG_PORTS);
 cleanup:
    json_object_put(cmd);
    json_object_put(reply);
    return port;
}

/* Remove what ADDED lists, newest first; keeps the error in place. */
static void
liveUndo(Qmp *mon, Added *added)
{
    virErrorPtr err = errorSave();

    while (added->n > 0) {
        size_t i = --added->n;
        const char *id = added->id[i];

        switch (added->kind[i]) {
        case ADDED_BLOCKDEV: qmpBlockdevDel(mon, id); break;
        case ADDED_NETDEV: qmpNetdevDel(mon, id); break;
        case ADDED_CHARDEV: qmpChardevRemove(mon, id); break;
        case ADDED_OBJECT: qmpObjectDel(mon, id); break;
        case ADDED_DEVICE: qmpDeviceDel(mon, id); break;
        }
        free(added->id[i]);
    }
    errorRestore(&err);
}

/* Remove backends left by a device QEMU deleted after its detach had
 * returned (their names derive from the alias, which is free again). */
static void
liveDropStale(Qmp *mon, char **argv)
{
    size_t n = 0;

    while (argv[n])
        n++;
    for (size_t i = n; i >= 2; i -= 2) {
        const char *opt = argv[i - 2];
        char *type = NULL, *id = NULL;
        json_object *o;

        if (strcmp(opt, "-blockdev") == 0 || strcmp(opt, "-netdev") == 0) {
            o = json_tokener_parse(argv[i - 1]);
            id = allocStrdup(liveOpt(o, opt[1] == 'b' ? "node-name" : "id"));
        } else if (strcmp(opt, "-device") != 0) {
            o = liveOptsParse(argv[i - 1], &type);
            id = allocStrdup(liveOpt(o, "id"));
        } else {
            continue;
        }
        json_object_put(o);
        free(type);
        if (!id)
            continue;
        if ((opt[1] == 'b' && qmpBlockdevDel(mon, id) == 0) ||
            (opt[1] == 'n' && qmpNetdevDel(mon, id) == 0) ||
            (opt[1] == 'c' && qmpChardevRemove(mon, id) == 0) ||
            (opt[1] == 'o' && qmpObjectDel(mon, id) == 0))
            logDebug("qemu", "removed stale backend '%s'", id);
        errorReset();
        free(id);
    }
}

/* Run one option/value pair of a device's argv fragment. */
static int
liveRunPair(Qmp *mon, const char *opt, const char *val, const char *port,
            DomainDevice *dev, Added *added)
{
    AddedKind kind;
    char *id = NULL, *pty = NULL;
    json_object *o = NULL;
    int rc;

    if (strcmp(opt, "-chardev") == 0) {
        kind = ADDED_CHARDEV;
        rc = liveChardevAdd(mon, val, &id, &pty);
        if (rc == 0 && pty && dev->kind == DEVICE_CHR) {
            free(dev->data.chr->srcPath);
            dev->data.chr->srcPath = pty;
            pty = NULL;
        }
    } else if (strcmp(opt, "-object") == 0) {
        kind = ADDED_OBJECT;
        rc = liveObjectAdd(mon, val, &id);
    } else {
        if (!(o = json_tokener_parse(val))) {
            reportError(VIR_ERR_INTERNAL_ERROR, "bad %s value '%s'", opt, val);
            return -1;
        }
        kind = strcmp(opt, "-blockdev") == 0 ? ADDED_BLOCKDEV :
            strcmp(opt, "-netdev") == 0 ? ADDED_NETDEV : ADDED_DEVICE;
        id = allocStrdup(liveOpt(o, kind == ADDED_BLOCKDEV ? "node-name"
                                                           : "id"));
        if (kind == ADDED_DEVICE && port && liveNeedsPort(o))
            json_object_object_add(o, "bus", json_object_new_string(port));
        rc = kind == ADDED_BLOCKDEV ? qmpBlockdevAdd(mon, o) :
            kind == ADDED_NETDEV ? qmpNetdevAdd(mon, o) : qmpDeviceAdd(mon, o);
    }
    free(pty);
    if (rc < 0 || !id || added->n >= 16) {
        free(id);
        return rc < 0 ? -1 : 0;
    }
    added->kind[added->n] = kind;
    added->id[added->n++] = id;
    return 0;
}

/* Whether the argv fragment has a device that needs a root port. */
static bool
liveArgvNeedsPort(char **argv, bool q35)
{
    bool need = false;

    for (size_t i = 0; q35 && argv[i] && argv[i + 1]; i += 2) {
        json_object *o;

        if (strcmp(argv[i], "-device") != 0)
            continue;
        o = json_tokener_parse(argv[i + 1]);
        need = need || (o && liveNeedsPort(o));
        json_object_put(o);
    }
    return need;
}

/* Run the argv fragment ARGV of DEV through MON (no lock held). ONLY, when
 * not NULL, limits it to that option. */
static int
liveRunArgv(Qmp *mon, char **argv, bool q35, DomainDevice *dev,
            const char *only)
{
    Added added = { .n = 0 };
    char *port = NULL;
    int ret = -1;

    if (!only && liveArgvNeedsPort(argv, q35) && !(port = livePortFree(mon)))
        return -1;
    liveDropStale(mon, argv);
    for (size_t i = 0; argv[i] && argv[i + 1]; i += 2) {
        if (only && strcmp(argv[i], only) != 0)
            continue;
        if (liveRunPair(mon, argv[i], argv[i + 1], port, dev, &added) < 0) {
            liveUndo(mon, &added);
            goto cleanup;
        }
    }
    ret = 0;
    for (size_t i = 0; i < added.n; i++)
        free(added.id[i]);
 cleanup:
    free(port);
    return ret;
}

static bool
liveQ35(const DomainDef *def)
{
    return !def->os.machine || strstr(def->os.machine, "q35");
}

/* The argv fragment for DEV on D's live definition (lock held); NETFD:
 * the getfd name of the tap of an interface, or NULL. */
static char **
liveBuild(QemuDom *d, DomainDevice *dev, const char *netFd)
{
    char *runDir = allocPrintf("%s/run", d->drv->root);
    size_t n = d->def->nnets + 1;
    char **fds = allocArray(n, sizeof(char *));
    QemuCommandCtx ctx = { .runDir = runDir, .vncPort = -1, .netFds = fds,
                           .nnetFds = n };
    char **argv;

    /* the builder numbers the new interface after the existing ones */
    fds[n - 1] = netFd ? allocStrdup(netFd) : NULL;
    argv = qemuCommandBuildDevice(d->def, dev, &ctx);
    free(fds[n - 1]);
    free(fds);
    free(runDir);
    return argv;
}

/* Hand the tap TAPFD to QEMU as FDNAME and run ARGV; on failure QEMU
 * drops the descriptor again. */
static int
liveRunWithTap(Qmp *mon, char **argv, bool q35, DomainDevice *dev,
               int tapFd, const char *fdName)
{
    virErrorPtr err;

    if (tapFd < 0)
        return liveRunArgv(mon, argv, q35, dev, NULL);
    if (qmpGetfd(mon, fdName, tapFd) < 0)
        return -1;
    if (liveRunArgv(mon, argv, q35, dev, NULL) == 0)
        return 0;
    /* netdev_add took it unless it failed first */
    err = errorSave();
    qmpClosefd(mon, fdName);
    errorRestore(&err);
    return -1;
}

/* Whether running DEF has the virtio-serial bus the argv adds for its
 * virtio ports (or for an explicit controller). */
static bool
liveHasVirtioSerial(const DomainDef *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++)
        if (strcmp(def->controllers[i]->type, "virtio-serial") == 0)
            return true;
    for (size_t i = 0; i < def->nconsoles; i++)
        if (def->consoles[i]->targetType &&
            strcmp(def->consoles[i]->targetType, "virtio") == 0)
            return true;
    return def->nchannels > 0;
}

/* Plug the virtio-serial controller a first virtio port needs. */
static int
liveAddVirtioSerial(QemuDom *d)
{
    DomainDevice *ctl = domainDeviceParse("<controller type='virtio-serial' "
                                          "index='0'/>", d->def, 0);

    if (!ctl)
        return -1;
    if (qemuHotplugLiveAttach(d, ctl) < 0) {
        domainDeviceFree(ctl);
        return -1;
    }
    return 0;
}

int
qemuHotplugLiveAttach(QemuDom *d, DomainDevice *dev)
{
    char **argv = NULL;
    char *alias = NULL, *fdName = NULL;
    bool q35 = liveQ35(d->def);
    Qmp *mon;
    int rc, tapFd = -1, ret = -1;

    if (liveAttachCheck(d, dev) < 0)
        return -1;
    if (dev->kind == DEVICE_CHR && !liveHasVirtioSerial(d->def) &&
        liveAddVirtioSerial(d) < 0)
        return -1;
    liveAliasAssign(d->def, dev);
    alias = allocStrdup(liveInfo(dev)->alias);
    if (dev->kind == DEVICE_NET &&
        qemuNetTapCreate(d->def->name, dev->data.net, &tapFd) < 0)
        goto cleanup;
    if (tapFd >= 0)
        fdName = allocPrintf("fd-%s", alias);
    if (!(argv = liveBuild(d, dev, fdName)) ||
        !(mon = qemuHotplugMonBegin(d)))
        goto cleanup;
    rc = liveRunWithTap(mon, argv, q35, dev, tapFd, fdName);
    qemuHotplugMonEnd(d);
    if (rc < 0 || qemuDomCheckActive(d) < 0)
        goto cleanup;
    if (domainDeviceAttach(d->def, dev) < 0)
        goto cleanup;
    qemuHotplugDeviceEvent(d, VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, alias);
    qemuHotplugStatusSave(d);
    ret = 0;
 cleanup:
    /* QEMU holds the tap now, or nobody does and the kernel removes it */
    if (tapFd >= 0)
        close(tapFd);
    free(fdName);
    free(alias);
    qemuCommandFree(argv);
    return ret;
}

/* ---- unplug ---- */

static void
livePendingSet(Pending *p, bool add)
{
    pthread_mutex_lock(&pendingLock);
    for (size_t i = 0; i < sizeof(pending) / sizeof(*pending); i++) {
        if (add && !pending[i]) {
            pending[i] = p;
            break;
        }
        if (!add && pending[i] == p)
            pending[i] = NULL;
    }
    pthread_mutex_unlock(&pendingLock);
}

/* The guest refused to let ALIAS of D go: end the detach waiting for it. */
void
qemuHotplugLiveRejected(const QemuDom *d, const char *alias)
{
    pthread_mutex_lock(&pendingLock);
    for (size_t i = 0; i < sizeof(pending) / sizeof(*pending); i++)
        if (pending[i] && pending[i]->d == d &&
            strcmp(pending[i]->alias, alias) == 0)
            pending[i]->rejected = true;
    pthread_mutex_unlock(&pendingLock);
    pthread_cond_broadcast(&d->drv->cond);
}

/* Wait (lock held) until ALIAS left D's live definition (the event
 * handler removes it), the guest refused, QEMU went away or MS passed.
 * True when the device is gone. */
static bool
liveWaitGone(QemuDom *d, Pending *p, int ms)
{
    long long left = ms;
    DomainDevice other;

    while (qemuDomIsActive(d) &&
           domainFindByAlias(d->def, p->alias, &other) >= 0) {
        struct timespec ts;
        bool rejected;

        pthread_mutex_lock(&pendingLock);
        rejected = p->rejected;
        pthread_mutex_unlock(&pendingLock);
        if (rejected || left <= 0)
            return false;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&d->drv->cond, &d->drv->lock, &ts);
        left -= 100;
    }
    return true;
}

/* Remove the backends of DEV, which QEMU no longer uses (errors only
 * logged: the device is gone either way). */
static void
liveDropBackends(Qmp *mon, const DomainDevice *dev, const char *alias)
{
    char id[160];
    int rc = 0;

    if (dev->kind == DEVICE_DISK && dev->data.disk->hasSource) {
        snprintf(id, sizeof(id), "drive-%s", alias);
        qmpBlockdevDel(mon, id);
        snprintf(id, sizeof(id), "drive-%s-storage", alias);
        rc = qmpBlockdevDel(mon, id);
    } else if (dev->kind == DEVICE_NET) {
        snprintf(id, sizeof(id), "host%s", alias);
        rc = qmpNetdevDel(mon, id);
    } else if (dev->kind == DEVICE_CHR) {
        snprintf(id, sizeof(id), "char%s", alias);
        rc = qmpChardevRemove(mon, id);
    } else if (dev->kind == DEVICE_RNG) {
        snprintf(id, sizeof(id), "obj%s", alias);
        rc = qmpObjectDel(mon, id);
    }
    if (rc < 0)
        logDebug("qemu", "backend of '%s' not removed: %s", alias,
                 errorLast()->message ? errorLast()->message : "");
    errorReset();
}

int
qemuHotplugLiveDetach(QemuDom *d, const char *alias)
{
    DomainDevice found, *copy = NULL;
    Pending p = { .d = d };
    Qmp *mon;
    int rc, ret = -1;

    if (domainFindByAlias(d->def, alias, &found) < 0) {
        reportError(VIR_ERR_DEVICE_MISSING, "domain '%s' has no device with "
                    "alias '%s'", d->def->name, alias);
        return -1;
    }
    if (liveKindCheck(d, &found, "detach") < 0 ||
        !(copy = domainDeviceCopy(&found)))
        return -1;
    p.alias = liveInfo(copy)->alias;
    livePendingSet(&p, true);
    if (!(mon = qemuHotplugMonBegin(d)))
        goto cleanup;
    rc = qmpDeviceDel(mon, p.alias);
    qemuHotplugMonEnd(d);
    if (rc < 0)
        goto cleanup;
    if (!liveWaitGone(d, &p, QEMU_HOTPLUG_UNPLUG_WAIT_MS)) {
        if (p.rejected) {
            reportError(VIR_ERR_OPERATION_FAILED, "the guest of domain '%s' "
                        "refused to release device '%s'", d->def->name,
                        p.alias);
            goto cleanup;
        }
        /* as libvirt: success, the removal completes when the guest lets
         * the device go (DEVICE_REMOVED then) */
        logDebug("qemu", "domain '%s': unplug of '%s' still pending",
                 d->def->name, p.alias);
        ret = 0;
        goto cleanup;
    }
    if (qemuDomIsActive(d) && (mon = qemuHotplugMonBegin(d))) {
        liveDropBackends(mon, copy, p.alias);
        qemuHotplugMonEnd(d);
    }
    /* the netdev took the tap with it: its ifb goes too */
    if (copy->kind == DEVICE_NET)
        qemuNetIfbSweep();
    errorReset();
    ret = 0;
 cleanup:
    livePendingSet(&p, false);
    domainDeviceFree(copy);
    return ret;
}

/* ---- removable media, link state ---- */

/* Put the image of NEWDEV's disk in the open, empty tray of ALIAS. */
static int
liveMediaInsert(Qmp *mon, char **argv, DomainDevice *newDev,
                const char *alias)
{
    char node[160];

    if (liveRunArgv(mon, argv, false, newDev, "-blockdev") < 0)
        return -1;
    snprintf(node, sizeof(node), "drive-%s", alias);
    return qmpBlockdevInsertMedium(mon, alias, node);
}

int
qemuHotplugLiveMedia(QemuDom *d, DiskDef *old, DomainDevice *newDev)
{
    DiskDef *nd = newDev->data.disk;
    char *alias = allocStrdup(old->info.alias);
    char **argv = NULL;
    DomainDevice oldDev = { .kind = DEVICE_DISK };
    Qmp *mon;
    int rc = -1;

    free(nd->info.alias);
    nd->info.alias = allocStrdup(alias);
    if (nd->hasSource && nd->srcPath && !(argv = liveBuild(d, newDev, NULL)))
        goto cleanup;
    oldDev.data.disk = old;
    if (!(mon = qemuHotplugMonBegin(d)))
        goto cleanup;
    /* forced: the host changes the medium, whatever the guest's lock */
    rc = qmpBlockdevOpenTray(mon, alias, true);
    if (rc == 0)
        rc = qmpBlockdevRemoveMedium(mon, alias);
    if (rc == 0) {
        liveDropBackends(mon, &oldDev, alias);
        if (argv)
            rc = liveMediaInsert(mon, argv, newDev, alias);
    }
    if (rc == 0 && argv)
        rc = qmpBlockdevCloseTray(mon, alias);
    qemuHotplugMonEnd(d);
 cleanup:
    free(alias);
    qemuCommandFree(argv);
    return rc;
}

int
qemuHotplugLiveLink(QemuDom *d, NetDef *net, bool up)
{
    Qmp *mon;
    int rc;

    if (!(mon = qemuHotplugMonBegin(d)))
        return -1;
    rc = qmpSetLink(mon, net->info.alias, up);
    qemuHotplugMonEnd(d);
    return rc;
}
