/* qemu_hotplug.c: the QEMU driver's device calls: attach, detach and
 * update devices live (through qemu_hotplug_live.c) and in the persistent
 * definition; the QMP events of the family (device deleted, unplug refused,
 * balloon, tray) */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_hotplug.h"
#include "qemu_net.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

#define MODIFY_FLAGS \
    (VIR_DOMAIN_DEVICE_MODIFY_LIVE | VIR_DOMAIN_DEVICE_MODIFY_CONFIG)

/* ---- helpers shared by the family (qemu_hotplug.h) ---- */

int
qemuHotplugCheckFlags(unsigned int flags, unsigned int allowed,
                      const char *func)
{
    if (!(flags & ~allowed))
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in %s",
                flags & ~allowed, func);
    return -1;
}

QemuDom *
qemuHotplugJobBegin(virDomainPtr dom)
{
    QemuDom *d = qemuDomGet(dom);

    if (!d)
        return NULL;
    if (qemuDomBeginJob(d) < 0) {
        qemuDomRelease(d);
        return NULL;
    }
    return d;
}

void
qemuHotplugJobEnd(QemuDom *d)
{
    qemuDomEndJob(d);
    qemuDomRelease(d);
}

int
qemuHotplugAffect(QemuDom *d, unsigned int flags, bool *live, bool *config)
{
    bool active = qemuDomIsActive(d);

    *live = flags & VIR_DOMAIN_AFFECT_LIVE;
    *config = flags & VIR_DOMAIN_AFFECT_CONFIG;
    if (!*live && !*config) {
        *live = active;
        *config = !active;
    }
    if (*live && qemuDomCheckActive(d) < 0)
        return -1;
    if (*config && !d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID, "transient domain '%s' has no "
                    "persistent configuration", d->def->name);
        return -1;
    }
    return 0;
}

DomainDef *
qemuHotplugConfigCopy(QemuDom *d)
{
    return domainDefCopy(qemuDomIsActive(d) && d->newDef ? d->newDef
                                                          : d->def);
}

int
qemuHotplugConfigCommit(QemuDom *d, DomainDef **defp)
{
    DomainDef *def = *defp;

    *defp = NULL;
    if (!def)
        return 0;
    if (qemuCommandValidate(def) < 0 ||
        qemuStateSaveConfig(d->drv, def) < 0) {
        domainDefFree(def);
        return -1;
    }
    if (qemuDomIsActive(d)) {
        domainDefFree(d->newDef);
        d->newDef = def;
        d->updated = true;
        qemuHotplugStatusSave(d);
    } else {
        def->id = -1;
        domainDefFree(d->def);
        d->def = def;
    }
    return 0;
}

void
qemuHotplugStatusSave(QemuDom *d)
{
    if (qemuDomIsActive(d) && qemuStateSaveStatus(d->drv, d) < 0) {
        logDebug("qemu", "cannot save the status of '%s'", d->def->name);
        errorReset();
    }
}

void
qemuHotplugDeviceEvent(QemuDom *d, int eventID, const char *alias)
{
    DomainEvent *ev;

    if (!alias || !(ev = qemuDomEventNew(d, eventID)))
        return;
    ev->s1 = allocStrdup(alias);
    domainEventQueue(ev);
}

Qmp *
qemuHotplugMonBegin(QemuDom *d)
{
    Qmp *mon = qemuProcessMonAcquire(d);

    if (mon)
        pthread_mutex_unlock(&d->drv->lock);
    return mon;
}

void
qemuHotplugMonEnd(QemuDom *d)
{
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
}

/* ---- finding devices ---- */

/* The alias of device IDX of DEV's kind in DEF (borrowed, may be NULL). */
static const char *
hotplugAliasAt(const DomainDef *def, const DomainDevice *dev, int idx)
{
    const ChrDef *chr = dev->data.chr;

    switch (dev->kind) {
    case DEVICE_DISK: return def->disks[idx]->info.alias;
    case DEVICE_NET: return def->nets[idx]->info.alias;
    case DEVICE_CONTROLLER: return def->controllers[idx]->info.alias;
    case DEVICE_RNG: return def->rngs[idx]->info.alias;
    case DEVICE_WATCHDOG: return def->watchdogs[idx]->info.alias;
    case DEVICE_INPUT: return def->inputs[idx]->info.alias;
    case DEVICE_VIDEO: return def->videos[idx]->info.alias;
    case DEVICE_MEMBALLOON: return def->memballoon->info.alias;
    case DEVICE_CHR:
        if (chr->kind == CHR_CHANNEL)
            return def->channels[idx]->info.alias;
        if (chr->kind == CHR_CONSOLE)
            return def->consoles[idx]->info.alias;
        if (chr->kind == CHR_SERIAL)
            return def->serials[idx]->info.alias;
        return def->parallels[idx]->info.alias;
    default:
        return NULL;
    }
}

/* Index of the device DEV describes in DEF, or -1 with
 * VIR_ERR_DEVICE_MISSING. A channel also matches by its target name (its
 * live source path is not in the caller's XML). */
static int
hotplugFind(const DomainDef *def, const DomainDevice *dev)
{
    const ChrDef *chr = dev->data.chr;
    int idx = domainDeviceFind(def, dev);

    if (idx >= 0 || dev->kind != DEVICE_CHR || chr->kind != CHR_CHANNEL ||
        !chr->targetName)
        return idx;
    for (size_t i = 0; i < def->nchannels; i++) {
        if (def->channels[i]->targetName &&
            strcmp(def->channels[i]->targetName, chr->targetName) == 0) {
            errorReset();
            return (int)i;
        }
    }
    return -1;
}

/* ---- attach ---- */

static int
qemuDomainAttachDeviceFlags(virDomainPtr dom, const char *xml,
                            unsigned int flags)
{
    QemuDom *d;
    DomainDef *cfg = NULL;
    DomainDevice *dev = NULL, *ldev = NULL;
    bool live, config;
    int ret = -1;

    if (qemuHotplugCheckFlags(flags, MODIFY_FLAGS, __func__) < 0 ||
        !(d = qemuHotplugJobBegin(dom)))
        return -1;
    if (qemuHotplugAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    /* one parse, so that both get the same generated MAC */
    if (config && !(cfg = qemuHotplugConfigCopy(d)))
        goto cleanup;
    if (!(dev = domainDeviceParse(xml, cfg ? cfg : d->def, 0)))
        goto cleanup;
    if (live && config && !(ldev = domainDeviceCopy(dev)))
        goto cleanup;
    if (live && !config) {
        ldev = dev;
        dev = NULL;
    }
    if (cfg) {
        if (domainDeviceAttach(cfg, dev) < 0)
            goto cleanup;
        dev = NULL;
        if (qemuCommandValidate(cfg) < 0)
            goto cleanup;
    }
    if (live) {
        if (qemuHotplugLiveAttach(d, ldev) < 0)
            goto cleanup;
        ldev = NULL;
    }
    if (qemuHotplugConfigCommit(d, &cfg) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    domainDeviceFree(dev);
    domainDeviceFree(ldev);
    domainDefFree(cfg);
    qemuHotplugJobEnd(d);
    return ret;
}

static int
qemuDomainAttachDevice(virDomainPtr dom, const char *xml)
{
    return qemuDomainAttachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_LIVE);
}

/* ---- detach ---- */

/* Remove the device DEV describes from the persistent copy CFG. */
static int
hotplugDetachConfig(DomainDef *cfg, const DomainDevice *dev)
{
    int idx = hotplugFind(cfg, dev);

    if (idx < 0)
        return -1;
    domainDeviceFree(domainDeviceDetach(cfg, dev, idx));
    return 0;
}

/* Unplug the live device DEV describes. */
static int
hotplugDetachLive(QemuDom *d, const DomainDevice *dev)
{
    int idx = hotplugFind(d->def, dev);
    const char *alias;
    char *copy;
    int ret;

    if (idx < 0)
        return -1;
    if (!(alias = hotplugAliasAt(d->def, dev, idx))) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "the device to detach from "
                    "domain '%s' has no alias to unplug it by", d->def->name);
        return -1;
    }
    copy = allocStrdup(alias);
    ret = qemuHotplugLiveDetach(d, copy);
    free(copy);
    return ret;
}

static int
qemuDomainDetachDeviceFlags(virDomainPtr dom, const char *xml,
                            unsigned int flags)
{
    QemuDom *d;
    DomainDef *cfg = NULL;
    DomainDevice *dev = NULL;
    bool live, config;
    int ret = -1;

    if (qemuHotplugCheckFlags(flags, MODIFY_FLAGS, __func__) < 0 ||
        !(d = qemuHotplugJobBegin(dom)))
        return -1;
    if (qemuHotplugAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    if (config && !(cfg = qemuHotplugConfigCopy(d)))
        goto cleanup;
    if (!(dev = domainDeviceParse(xml, cfg ? cfg : d->def, 0)))
        goto cleanup;
    /* the persistent copy first: not found there, nothing is unplugged */
    if (cfg && hotplugDetachConfig(cfg, dev) < 0)
        goto cleanup;
    if (live && hotplugDetachLive(d, dev) < 0)
        goto cleanup;
    if (qemuHotplugConfigCommit(d, &cfg) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    domainDeviceFree(dev);
    domainDefFree(cfg);
    qemuHotplugJobEnd(d);
    return ret;
}

static int
qemuDomainDetachDevice(virDomainPtr dom, const char *xml)
{
    return qemuDomainDetachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_LIVE);
}

static int
qemuDomainDetachDeviceAlias(virDomainPtr dom, const char *alias,
                            unsigned int flags)
{
    QemuDom *d;
    DomainDef *cfg = NULL;
    DomainDevice found;
    bool live, config;
    int ret = -1;

    if (qemuHotplugCheckFlags(flags, MODIFY_FLAGS, __func__) < 0 ||
        !(d = qemuHotplugJobBegin(dom)))
        return -1;
    if (qemuHotplugAffect(d, flags, &live, &config) < 0 ||
        (config && !(cfg = qemuHotplugConfigCopy(d))))
        goto cleanup;
    if (cfg && (domainFindByAlias(cfg, alias, &found) < 0 ||
                hotplugDetachConfig(cfg, &found) < 0)) {
        errorReset();
        reportError(VIR_ERR_DEVICE_MISSING, "domain '%s' has no device with "
                    "alias '%s' in its persistent configuration",
                    d->def->name, alias);
        goto cleanup;
    }
    if (live && qemuHotplugLiveDetach(d, alias) < 0)
        goto cleanup;
    if (qemuHotplugConfigCommit(d, &cfg) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    domainDefFree(cfg);
    qemuHotplugJobEnd(d);
    return ret;
}

/* ---- update: removable media, interface link ---- */

static bool
hotplugStrEq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Move the medium of disk ND into OD (a definition's disk). */
static void
hotplugDiskApply(DiskDef *od, DiskDef *nd)
{
    char *tmp = od->srcPath;

    od->srcPath = nd->srcPath;
    nd->srcPath = tmp;
    tmp = od->driverType;
    od->driverType = nd->driverType;
    nd->driverType = tmp;
    od->hasSource = nd->hasSource;
    od->type = nd->type;
    /* the old medium's number and backing chain go with it */
    {
        XExtra x = od->srcExtra;
        XNode *chain = od->backingStore;

        od->srcExtra = nd->srcExtra;
        nd->srcExtra = x;
        od->backingStore = nd->backingStore;
        nd->backingStore = chain;
    }
}

static int
hotplugUpdateDisk(QemuDom *d, DomainDef *def, DomainDevice *dev, bool live)
{
    DiskDef *nd = dev->data.disk, *od;
    int idx = domainFindDisk(def, nd->dst);

    if (idx < 0) {
        reportError(VIR_ERR_DEVICE_MISSING, "domain '%s' has no disk '%s'",
                    d->def->name, nd->dst);
        return -1;
    }
    od = def->disks[idx];
    if (od->device != DISK_DEVICE_CDROM && od->device != DISK_DEVICE_FLOPPY) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "disk '%s' of domain '%s' "
                    "has no removable medium to change", od->dst,
                    d->def->name);
        return -1;
    }
    if (od->device != nd->device || od->bus != nd->bus) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "cannot change the device "
                    "type or bus of disk '%s' of domain '%s'", od->dst,
                    d->def->name);
        return -1;
    }
    if (od->hasSource == nd->hasSource && hotplugStrEq(od->srcPath,
                                                       nd->srcPath))
        return 0;
    if (live) {
        if (qemuHotplugLiveMedia(d, od, dev) < 0 ||
            qemuDomCheckActive(d) < 0)
            return -1;
        /* the lock was dropped: find the disk again */
        if ((idx = domainFindDisk(d->def, nd->dst)) < 0)
            return 0;
        od = d->def->disks[idx];
    }
    hotplugDiskApply(od, nd);
    return 0;
}

static int
hotplugUpdateNet(QemuDom *d, DomainDef *def, NetDef *nn, bool live)
{
    char mac[18];
    int idx;
    NetDef *on;
    bool down;

    domainMacFormat(nn->mac, mac);
    if ((idx = domainFindNet(def, mac)) < 0) {
        reportError(VIR_ERR_DEVICE_MISSING, "domain '%s' has no interface "
                    "'%s'", d->def->name, mac);
        return -1;
    }
    on = def->nets[idx];
    if (on->type != nn->type || !hotplugStrEq(on->model, nn->model)) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "cannot change the type "
                    "or model of interface '%s' of domain '%s'", mac,
                    d->def->name);
        return -1;
    }
    if (qemuNetUpdateBandwidth(d, on, nn, live) < 0)
        return -1;
    down = nn->linkState && strcmp(nn->linkState, "down") == 0;
    if (down == (on->linkState && strcmp(on->linkState, "down") == 0))
        return 0;
    if (live) {
        if (qemuHotplugLiveLink(d, on, !down) < 0 ||
            qemuDomCheckActive(d) < 0 ||
            (idx = domainFindNet(d->def, mac)) < 0)
            return -1;
        on = d->def->nets[idx];
    }
    free(on->linkState);
    on->linkState = allocStrdup(down ? "down" : "up");
    return 0;
}

static int
hotplugUpdate(QemuDom *d, DomainDef *def, const char *xml, bool live)
{
    DomainDevice *dev = domainDeviceParse(xml, def, 0);
    int ret = -1;

    if (!dev)
        return -1;
    if (dev->kind == DEVICE_DISK)
        ret = hotplugUpdateDisk(d, def, dev, live);
    else if (dev->kind == DEVICE_NET)
        ret = hotplugUpdateNet(d, def, dev->data.net, live);
    else
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "updating a <%s> is not "
                    "supported by the QEMU driver (domain '%s')",
                    domainDeviceKindNames[dev->kind], d->def->name);
    domainDeviceFree(dev);
    return ret;
}

static int
qemuDomainUpdateDeviceFlags(virDomainPtr dom, const char *xml,
                            unsigned int flags)
{
    QemuDom *d;
    DomainDef *cfg = NULL;
    bool live, config;
    int ret = -1;

    if (qemuHotplugCheckFlags(flags, MODIFY_FLAGS |
                              VIR_DOMAIN_DEVICE_MODIFY_FORCE, __func__) < 0 ||
        !(d = qemuHotplugJobBegin(dom)))
        return -1;
    if (qemuHotplugAffect(d, flags & MODIFY_FLAGS, &live, &config) < 0 ||
        (config && !(cfg = qemuHotplugConfigCopy(d))) ||
        (cfg && hotplugUpdate(d, cfg, xml, false) < 0) ||
        (live && hotplugUpdate(d, d->def, xml, true) < 0))
        goto cleanup;
    if (live)
        qemuHotplugStatusSave(d);
    if (qemuHotplugConfigCommit(d, &cfg) < 0)
        goto cleanup;
    ret = 0;
 cleanup:
    domainDefFree(cfg);
    qemuHotplugJobEnd(d);
    return ret;
}

/* ---- QMP events ---- */

static const char *
hotplugEventStr(json_object *data, const char *key)
{
    json_object *v = data ? json_object_object_get(data, key) : NULL;
    const char *s = v ? json_object_get_string(v) : NULL;

    return s && *s ? s : NULL;
}

void
qemuHotplugDeviceDeleted(QemuDom *d, json_object *data)
{
    const char *alias = hotplugEventStr(data, "device");
    DomainDevice found;
    int idx;

    if (alias && domainFindByAlias(d->def, alias, &found) >= 0 &&
        (idx = domainDeviceFind(d->def, &found)) >= 0) {
        domainDeviceFree(domainDeviceDetach(d->def, &found, idx));
        qemuHotplugDeviceEvent(d, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, alias);
        qemuHotplugStatusSave(d);
    }
    errorReset();
    /* detaches and vCPU unplugs wait for this */
    pthread_cond_broadcast(&d->drv->cond);
}

void
qemuHotplugUnplugError(QemuDom *d, json_object *data)
{
    const char *alias = hotplugEventStr(data, "device");

    if (!alias)
        return;
    qemuHotplugLiveRejected(d, alias);
    qemuHotplugDeviceEvent(d, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED,
                           alias);
}

void
qemuHotplugBalloonChange(QemuDom *d, json_object *data)
{
    json_object *v = data ? json_object_object_get(data, "actual") : NULL;
    DomainEvent *ev;

    if (!v)
        return;
    d->def->curMemory = (unsigned long long)json_object_get_int64(v) / 1024;
    if ((ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE))) {
        ev->u1 = d->def->curMemory;
        domainEventQueue(ev);
    }
    qemuHotplugStatusSave(d);
    pthread_cond_broadcast(&d->drv->cond);
}

void
qemuHotplugTrayMoved(QemuDom *d, json_object *data)
{
    const char *alias = hotplugEventStr(data, "id");
    json_object *open = data ? json_object_object_get(data, "tray-open")
                             : NULL;
    DomainEvent *ev;

    if (!alias || !(ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_TRAY_CHANGE)))
        return;
    ev->s1 = allocStrdup(alias);
    ev->i1 = open && json_object_get_boolean(open)
        ? VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN
        : VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE;
    domainEventQueue(ev);
}

void
qemuHotplugFill(Driver *drv)
{
    drv->domainAttachDevice = qemuDomainAttachDevice;
    drv->domainAttachDeviceFlags = qemuDomainAttachDeviceFlags;
    drv->domainDetachDevice = qemuDomainDetachDevice;
    drv->domainDetachDeviceFlags = qemuDomainDetachDeviceFlags;
    drv->domainDetachDeviceAlias = qemuDomainDetachDeviceAlias;
    drv->domainUpdateDeviceFlags = qemuDomainUpdateDeviceFlags;
    qemuMemoryFill(drv);
}
