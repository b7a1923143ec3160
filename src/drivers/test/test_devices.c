/* test_devices.c: test driver device hotplug, media change, disk resize,
 * peeks and block info */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "alloc.h"
#include "error.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define MODIFY_FLAGS (VIR_DOMAIN_DEVICE_MODIFY_LIVE | \
                      VIR_DOMAIN_DEVICE_MODIFY_CONFIG)

/* The DeviceInfo of DEV (all kinds but graphics have one). */
static DeviceInfo *
testDeviceInfo(DomainDevice *dev)
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

/* Whether ALIAS is taken in DEF. */
static bool
testAliasUsed(const DomainDef *def, const char *alias)
{
    DomainDevice out;

    return domainFindByAlias(def, alias, &out) >= 0;
}

/* Give the live DEV an alias the way a hypervisor names devices
 * ("virtio-disk1", "net0", "rng0"...), unless the user gave one. */
static void
testAliasAssign(const DomainDef *live, DomainDevice *dev)
{
    DeviceInfo *info = testDeviceInfo(dev);
    const char *prefix = domainDeviceKindNames[dev->kind];
    char *alias = NULL;

    if (!info || info->alias)
        return;
    if (dev->kind == DEVICE_DISK)
        prefix = dev->data.disk->bus == DISK_BUS_VIRTIO ? "virtio-disk"
               : dev->data.disk->bus == DISK_BUS_SCSI ? "scsi-disk"
               : "disk";
    for (int i = 0; !alias; i++) {
        alias = allocPrintf("%s%d", prefix, i);
        if (testAliasUsed(live, alias))
            FREE(alias);
    }
    info->alias = alias;
}

/* Kinds a running guest can gain or lose. */
static int
testDeviceLiveCheck(const TestDomain *d, const DomainDevice *dev,
                    const char *what)
{
    switch (dev->kind) {
    case DEVICE_DISK: case DEVICE_CONTROLLER: case DEVICE_NET:
    case DEVICE_CHR: case DEVICE_INPUT: case DEVICE_WATCHDOG:
    case DEVICE_RNG: case DEVICE_HOSTDEV:
        return 0;
    default:
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "live %s of device '%s' "
                    "is not supported (domain '%s')", what,
                    domainDeviceKindNames[dev->kind], d->def->name);
        return -1;
    }
}

static void
testDeviceEvent(virConnectPtr conn, TestDomain *d, int id, const char *alias)
{
    DomainEvent *ev;

    if (!alias)
        return;
    ev = testEventNew(conn, d, id);
    ev->s1 = allocStrdup(alias);
    domainEventQueue(ev);
}

/* Parse XML against DEF and add it there. */
static int
testAttachOne(virConnectPtr conn, TestDomain *d, DomainDef *def,
              const char *xml, bool live)
{
    DomainDevice *dev = domainDeviceParse(xml, def, 0);
    char *alias = NULL;
    int ret = -1;

    if (!dev)
        return -1;
    if (live && testDeviceLiveCheck(d, dev, "attach") < 0)
        goto cleanup;
    if (live) {
        testAliasAssign(def, dev);
        alias = allocStrdup(testDeviceInfo(dev)->alias);
    }
    if (domainDeviceAttach(def, dev) < 0)
        goto cleanup;
    dev = NULL;
    if (live)
        testDeviceEvent(conn, d, VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, alias);
    ret = 0;

 cleanup:
    free(alias);
    domainDeviceFree(dev);
    return ret;
}

static int
testDomainAttachDeviceFlags(virDomainPtr dom, const char *xml,
                            unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    int ret = -1;

    if (testCheckFlags(flags, MODIFY_FLAGS) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    /* config first: a failure there leaves the running guest alone */
    if (config && testAttachOne(dom->conn, d, config, xml, false) < 0)
        goto cleanup;
    if (live && testAttachOne(dom->conn, d, live, xml, true) < 0)
        goto cleanup;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainAttachDevice(virDomainPtr dom, const char *xml)
{
    return testDomainAttachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_LIVE);
}

/* Remove device IDX (of DEV's kind) from DEF; emits DEVICE_REMOVED when
 * LIVE. A disk busy with a block job stays. */
static int
testDetachAt(virConnectPtr conn, TestDomain *d, DomainDef *def,
             const DomainDevice *dev, int idx, bool live)
{
    DomainDevice *gone;
    DeviceInfo *info;

    if (live && testDeviceLiveCheck(d, dev, "detach") < 0)
        return -1;
    if (live && dev->kind == DEVICE_DISK &&
        testBlockJobBusy(d, def->disks[idx]->dst))
        return -1;
    gone = domainDeviceDetach(def, dev, idx);
    if (live && gone) {
        testAliasAssign(def, gone);
        info = testDeviceInfo(gone);
        testDeviceEvent(conn, d, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                        info ? info->alias : NULL);
    }
    domainDeviceFree(gone);
    return 0;
}

static int
testDetachOne(virConnectPtr conn, TestDomain *d, DomainDef *def,
              const char *xml, bool live)
{
    DomainDevice *dev = domainDeviceParse(xml, def, 0);
    int idx, ret = -1;

    if (!dev)
        return -1;
    if ((idx = domainDeviceFind(def, dev)) < 0)
        goto cleanup;
    ret = testDetachAt(conn, d, def, dev, idx, live);

 cleanup:
    domainDeviceFree(dev);
    return ret;
}

static int
testDomainDetachDeviceFlags(virDomainPtr dom, const char *xml,
                            unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    DomainDevice *probe = NULL;
    int ret = -1;

    if (testCheckFlags(flags, MODIFY_FLAGS) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    /* find it in both before removing it from either */
    if (live && config) {
        if (!(probe = domainDeviceParse(xml, config, 0)) ||
            domainDeviceFind(config, probe) < 0)
            goto cleanup;
    }
    if (live && testDetachOne(dom->conn, d, live, xml, true) < 0)
        goto cleanup;
    if (config && testDetachOne(dom->conn, d, config, xml, false) < 0)
        goto cleanup;
    ret = 0;

 cleanup:
    domainDeviceFree(probe);
    testHostUnlock(h);
    return ret;
}

static int
testDomainDetachDevice(virDomainPtr dom, const char *xml)
{
    return testDomainDetachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_LIVE);
}

static int
testDetachAliasOne(virConnectPtr conn, TestDomain *d, DomainDef *def,
                   const char *alias, bool live)
{
    DomainDevice found;
    int idx;

    if (domainFindByAlias(def, alias, &found) < 0 ||
        (idx = domainDeviceFind(def, &found)) < 0) {
        errorReset();
        reportError(VIR_ERR_DEVICE_MISSING, "domain '%s' has no device with "
                    "alias '%s'", d->def->name, alias);
        return -1;
    }
    return testDetachAt(conn, d, def, &found, idx, live);
}

static int
testDomainDetachDeviceAlias(virDomainPtr dom, const char *alias,
                            unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    DomainDevice found;
    int ret = -1;

    if (testCheckFlags(flags, MODIFY_FLAGS) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    if (live && config && domainFindByAlias(config, alias, &found) < 0) {
        reportError(VIR_ERR_DEVICE_MISSING, "domain '%s' has no device with "
                    "alias '%s' in its persistent config", d->def->name,
                    alias);
        goto cleanup;
    }
    if ((live && testDetachAliasOne(dom->conn, d, live, alias, true) < 0) ||
        (config && testDetachAliasOne(dom->conn, d, config, alias, false) < 0))
        goto cleanup;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* ---- update: removable media and interface link/bandwidth ---- */

static int
testUpdateDisk(TestDomain *d, DomainDef *def, DiskDef *nd)
{
    int idx = domainFindDisk(def, nd->dst);
    DiskDef *od;
    char *tmp;

    if (idx < 0) {
        reportError(VIR_ERR_DEVICE_MISSING, "domain '%s' has no disk '%s'",
                    d->def->name, nd->dst);
        return -1;
    }
    od = def->disks[idx];
    if (od->device != DISK_DEVICE_CDROM && od->device != DISK_DEVICE_FLOPPY) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "disk '%s' of domain '%s' "
                    "has no removable media to change", od->dst, d->def->name);
        return -1;
    }
    if (od->device != nd->device || od->bus != nd->bus) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "cannot change the device "
                    "type or bus of disk '%s'", od->dst);
        return -1;
    }
    tmp = od->srcPath;
    od->srcPath = nd->srcPath;
    nd->srcPath = tmp;
    od->hasSource = nd->hasSource;
    od->type = nd->type;
    return 0;
}

static int
testUpdateNet(TestDomain *d, DomainDef *def, NetDef *nn)
{
    char mac[18];
    int idx;
    NetDef *on;
    char *tmp;

    domainMacFormat(nn->mac, mac);
    if ((idx = domainFindNet(def, mac)) < 0) {
        reportError(VIR_ERR_DEVICE_MISSING, "domain '%s' has no interface "
                    "'%s'", d->def->name, mac);
        return -1;
    }
    on = def->nets[idx];
    if (on->type != nn->type ||
        (on->model && nn->model && strcmp(on->model, nn->model) != 0)) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "cannot change the type "
                    "or model of interface '%s'", mac);
        return -1;
    }
    tmp = on->linkState;
    on->linkState = nn->linkState;
    nn->linkState = tmp;
    on->inbound = nn->inbound;
    on->outbound = nn->outbound;
    return 0;
}

static int
testUpdateOne(TestDomain *d, DomainDef *def, const char *xml)
{
    DomainDevice *dev = domainDeviceParse(xml, def, 0);
    int ret = -1;

    if (!dev)
        return -1;
    if (dev->kind == DEVICE_DISK)
        ret = testUpdateDisk(d, def, dev->data.disk);
    else if (dev->kind == DEVICE_NET)
        ret = testUpdateNet(d, def, dev->data.net);
    else
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "updating device '%s' is "
                    "not supported", domainDeviceKindNames[dev->kind]);
    domainDeviceFree(dev);
    return ret;
}

static int
testDomainUpdateDeviceFlags(virDomainPtr dom, const char *xml,
                            unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DomainDef *live = NULL, *config = NULL;
    int ret = -1;

    if (testCheckFlags(flags, MODIFY_FLAGS | VIR_DOMAIN_DEVICE_MODIFY_FORCE) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags & MODIFY_FLAGS, &live, &config) < 0 ||
        (config && testUpdateOne(d, config, xml) < 0) ||
        (live && testUpdateOne(d, live, xml) < 0))
        goto cleanup;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* ---- block resize, peeks, info, errors ---- */

static int
testDomainBlockResize(virDomainPtr dom, const char *disk,
                      unsigned long long size, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DiskDef *def;
    int idx, ret = -1;

    if (testCheckFlags(flags, VIR_DOMAIN_BLOCK_RESIZE_BYTES) < 0)
        return -1;
    if (!(flags & VIR_DOMAIN_BLOCK_RESIZE_BYTES)) {
        if (size > ULLONG_MAX / 1024) {
            reportError(VIR_ERR_OVERFLOW, "size %llu KiB is too large", size);
            return -1;
        }
        size *= 1024;
    }
    if (size == 0) {
        reportError(VIR_ERR_INVALID_ARG, "a disk cannot be resized to 0");
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) < 0 ||
        (idx = testDiskIndex(d->def, disk)) < 0)
        goto cleanup;
    def = d->def->disks[idx];
    if (def->readonly || def->device == DISK_DEVICE_CDROM || !def->hasSource) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' is "
                    "read-only or has no medium", def->dst, d->def->name);
        goto cleanup;
    }
    testDiskSetCapacity(d, def, size);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* Deterministic content: depends on the position and a seed. */
static void
testPattern(unsigned char *buf, unsigned long long off, size_t size,
            const char *seed)
{
    unsigned int s = 0;

    for (const char *p = seed; *p; p++)
        s = s * 31 + (unsigned char)*p;
    for (size_t i = 0; i < size; i++) {
        unsigned long long pos = off + i;

        buf[i] = (unsigned char)(pos ^ (pos >> 8) ^ (pos >> 16) ^ s);
    }
}

/* Read the disk's own image when it is a readable file on this host.
 * Returns 1 when done, 0 when there is no such file, -1 after an error. */
static int
testDiskFileRead(const DiskDef *disk, unsigned long long offset, size_t size,
                 void *buffer)
{
    int fd;
    ssize_t got;

    if (!disk->srcPath || (fd = open(disk->srcPath, O_RDONLY | O_CLOEXEC)) < 0)
        return 0;
    got = pread(fd, buffer, size, (off_t)offset);
    close(fd);
    if (got < 0) {
        reportSystemError(errno, "cannot read disk '%s' (%s)", disk->dst,
                          disk->srcPath);
        return -1;
    }
    if ((size_t)got < size) {
        reportError(VIR_ERR_INVALID_ARG, "offset %llu + size %zu is beyond "
                    "the end of disk '%s' (%s)", offset, size, disk->dst,
                    disk->srcPath);
        return -1;
    }
    return 1;
}

static int
testDomainBlockPeek(virDomainPtr dom, const char *disk,
                    unsigned long long offset, size_t size, void *buffer,
                    unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    unsigned long long cap;
    int idx, ret = -1;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (size && !buffer) {
        reportError(VIR_ERR_INVALID_ARG, "buffer is NULL");
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if ((idx = testDiskIndex(d->def, disk)) < 0)
        goto cleanup;
    if ((ret = testDiskFileRead(d->def->disks[idx], offset, size,
                                buffer)) != 0) {
        ret = ret > 0 ? 0 : -1;
        goto cleanup;
    }
    ret = -1;
    cap = testDiskCapacity(d, d->def->disks[idx]);
    if (offset > cap || size > cap - offset) {
        reportError(VIR_ERR_INVALID_ARG, "offset %llu + size %zu is beyond "
                    "the end of disk '%s' (%llu bytes)", offset, size,
                    d->def->disks[idx]->dst, cap);
        goto cleanup;
    }
    testPattern(buffer, offset, size, d->def->disks[idx]->dst);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainMemoryPeek(virDomainPtr dom, unsigned long long start, size_t size,
                     void *buffer, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    unsigned long long mem;
    int ret = -1;

    if (testCheckFlags(flags, VIR_MEMORY_VIRTUAL | VIR_MEMORY_PHYSICAL) < 0)
        return -1;
    if (flags != VIR_MEMORY_VIRTUAL && flags != VIR_MEMORY_PHYSICAL) {
        reportError(VIR_ERR_INVALID_ARG, "exactly one of VIR_MEMORY_VIRTUAL "
                    "and VIR_MEMORY_PHYSICAL is required");
        return -1;
    }
    if (size && !buffer) {
        reportError(VIR_ERR_INVALID_ARG, "buffer is NULL");
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) < 0)
        goto cleanup;
    mem = d->def->curMemory * 1024;
    if (start > mem || size > mem - start) {
        reportError(VIR_ERR_INVALID_ARG, "address %llu + size %zu is beyond "
                    "the memory of domain '%s' (%llu bytes)", start, size,
                    d->def->name, mem);
        goto cleanup;
    }
    testPattern(buffer, start, size,
                flags == VIR_MEMORY_VIRTUAL ? "virtual" : "physical");
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetBlockInfo(virDomainPtr dom, const char *disk,
                       virDomainBlockInfoPtr info, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    DiskDef *def;
    int idx, ret = -1;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if ((idx = testDiskIndex(d->def, disk)) < 0)
        goto cleanup;
    def = d->def->disks[idx];
    if (!def->hasSource) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has "
                    "no medium", def->dst, d->def->name);
        goto cleanup;
    }
    info->capacity = testDiskCapacity(d, def);
    info->allocation = info->capacity / 4;
    info->physical = def->type == DISK_TYPE_BLOCK ? info->capacity
                                                  : info->allocation;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                        unsigned int maxerrors, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (maxerrors && !errors) {
        reportError(VIR_ERR_INVALID_ARG, "errors is NULL with maxerrors %u",
                    maxerrors);
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    /* the simulated disks never fail */
    if (testDomainCheckActive(d) == 0)
        ret = 0;
    testHostUnlock(h);
    return ret;
}

/* Fill in this file's slots. */
void
testDevicesFill(Driver *drv)
{
    drv->domainAttachDevice = testDomainAttachDevice;
    drv->domainAttachDeviceFlags = testDomainAttachDeviceFlags;
    drv->domainDetachDevice = testDomainDetachDevice;
    drv->domainDetachDeviceFlags = testDomainDetachDeviceFlags;
    drv->domainDetachDeviceAlias = testDomainDetachDeviceAlias;
    drv->domainUpdateDeviceFlags = testDomainUpdateDeviceFlags;
    drv->domainBlockResize = testDomainBlockResize;
    drv->domainBlockPeek = testDomainBlockPeek;
    drv->domainMemoryPeek = testDomainMemoryPeek;
    drv->domainGetBlockInfo = testDomainGetBlockInfo;
    drv->domainGetDiskErrors = testDomainGetDiskErrors;
}
