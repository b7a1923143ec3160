/* domain_defaults.c: defaults filled in after parsing, and semantic checks */
#include "domain_priv.h"
#include "device.h"
#include "alloc.h"
#include "enumtab.h"
#include "error.h"
#include "uuid.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#define ERROR_DOMAIN VIR_FROM_DOMAIN

/* Append ITEM to the pointer array *LIST of *N entries. */
static void
domainDefaultsPush(void *listptr, size_t *n, void *item)
{
    void ***list = listptr;

    allocResize(list, *n, *n + 1, sizeof(void *));
    (*list)[(*n)++] = item;
}

static void
domainDefaultsAppendChr(DomainDef *def, ChrDef *chr)
{
    switch (chr->kind) {
    case CHR_SERIAL: domainDefaultsPush(&def->serials, &def->nserials, chr);
        break;
    case CHR_PARALLEL:
        domainDefaultsPush(&def->parallels, &def->nparallels, chr);
        break;
    case CHR_CONSOLE:
        domainDefaultsPush(&def->consoles, &def->nconsoles, chr);
        break;
    default:
        domainDefaultsPush(&def->channels, &def->nchannels, chr);
        break;
    }
}

void
domainDefaultsAppend(DomainDef *def, DomainDevice *dev)
{
    void *p = dev->data.ptr;

    switch (dev->kind) {
    case DEVICE_DISK: domainDefaultsPush(&def->disks, &def->ndisks, p); break;
    case DEVICE_CONTROLLER:
        domainDefaultsPush(&def->controllers, &def->ncontrollers, p); break;
    case DEVICE_NET: domainDefaultsPush(&def->nets, &def->nnets, p); break;
    case DEVICE_CHR: domainDefaultsAppendChr(def, p); break;
    case DEVICE_GRAPHICS:
        domainDefaultsPush(&def->graphics, &def->ngraphics, p); break;
    case DEVICE_VIDEO:
        domainDefaultsPush(&def->videos, &def->nvideos, p); break;
    case DEVICE_INPUT:
        domainDefaultsPush(&def->inputs, &def->ninputs, p); break;
    case DEVICE_SOUND:
        domainDefaultsPush(&def->sounds, &def->nsounds, p); break;
    case DEVICE_MEMBALLOON:
        deviceMemballoonFree(def->memballoon);
        def->memballoon = p;
        break;
    case DEVICE_WATCHDOG:
        domainDefaultsPush(&def->watchdogs, &def->nwatchdogs, p); break;
    case DEVICE_RNG: domainDefaultsPush(&def->rngs, &def->nrngs, p); break;
    case DEVICE_TPM: domainDefaultsPush(&def->tpms, &def->ntpms, p); break;
    case DEVICE_HOSTDEV:
        domainDefaultsPush(&def->hostdevs, &def->nhostdevs, p); break;
    case DEVICE_LAST: break;
    }
    dev->data.ptr = NULL;
}

static int
domainDefaultsDisk(DiskDef *disk)
{
    DeviceAddress *addr = &disk->info.addr;
    int idx;

    if (disk->bus == DISK_BUS_NONE && disk->device == DISK_DEVICE_FLOPPY)
        disk->bus = DISK_BUS_FDC;
    if (disk->bus == DISK_BUS_NONE) {
        reportError(VIR_ERR_XML_DETAIL, "cannot tell the bus of <disk> "
                    "target '%s': set <target bus>", disk->dst);
        return -1;
    }
    if (addr->type != ADDR_NONE || (idx = deviceDiskNameIndex(disk->dst)) < 0)
        return 0;
    switch (disk->bus) {
    case DISK_BUS_IDE:
        addr->controller = idx / 4;
        addr->bus = (idx % 4) / 2;
        addr->unit = idx % 2;
        break;
    case DISK_BUS_SATA:
        addr->controller = idx / 6;
        addr->unit = idx % 6;
        break;
    case DISK_BUS_SCSI:
        addr->controller = idx / 7;
        addr->unit = idx % 7;
        break;
    case DISK_BUS_FDC:
        addr->unit = idx;
        break;
    default:
        return 0;
    }
    addr->type = ADDR_DRIVE;
    return 0;
}

static void
domainDefaultsMac(const DomainDef *def, NetDef *net)
{
    unsigned char rnd[UUID_LEN];
    size_t i;
    bool clash;

    do {
        uuidGenerate(rnd);
        net->mac[0] = 0x52;
        net->mac[1] = 0x54;
        net->mac[2] = 0x00;
        memcpy(net->mac + 3, rnd, 3);
        clash = false;
        for (i = 0; def && i < def->nnets; i++) {
            if (def->nets[i] != net && def->nets[i]->macSet &&
                memcmp(def->nets[i]->mac, net->mac, DOMAIN_MAC_LEN) == 0)
                clash = true;
        }
    } while (clash);
    net->macSet = true;
}

static int
domainDefaultsControllerIndex(const DomainDef *def, const ControllerDef *c)
{
    int idx = 0;
    size_t i;
    bool taken = true;

    while (taken && def) {
        taken = false;
        for (i = 0; i < def->ncontrollers; i++) {
            if (def->controllers[i] != c &&
                strcmp(def->controllers[i]->type, c->type) == 0 &&
                def->controllers[i]->index == idx) {
                taken = true;
                idx++;
                break;
            }
        }
    }
    return idx;
}

/* Lowest target port not used by another device of CHR's kind. */
static int
domainDefaultsChrPort(const DomainDef *def, const ChrDef *chr)
{
    ChrDef *const *list = NULL;
    size_t n = 0, i;
    int port = 0;
    bool taken = true;

    if (def && chr->kind == CHR_SERIAL) {
        list = def->serials;
        n = def->nserials;
    } else if (def && chr->kind == CHR_PARALLEL) {
        list = def->parallels;
        n = def->nparallels;
    }
    while (taken) {
        taken = false;
        for (i = 0; i < n; i++) {
            if (list[i] != chr && list[i]->targetPort == port) {
                taken = true;
                port++;
                break;
            }
        }
    }
    return port;
}

static void
domainDefaultsChr(const DomainDef *def, ChrDef *chr)
{
    if (chr->kind == CHR_CONSOLE && !chr->targetType)
        chr->targetType = allocStrdup("serial");
    if (chr->targetPort >= 0)
        return;
    if (chr->kind == CHR_SERIAL || chr->kind == CHR_PARALLEL)
        chr->targetPort = domainDefaultsChrPort(def, chr);
    else if (chr->kind == CHR_CONSOLE)
        chr->targetPort = 0;
}

int
deviceDefaults(const DomainDef *def, DomainDevice *dev)
{
    switch (dev->kind) {
    case DEVICE_DISK:
        return domainDefaultsDisk(dev->data.disk);
    case DEVICE_NET:
        if (!dev->data.net->macSet)
            domainDefaultsMac(def, dev->data.net);
        return 0;
    case DEVICE_CONTROLLER:
        if (dev->data.controller->index < 0)
            dev->data.controller->index =
                domainDefaultsControllerIndex(def, dev->data.controller);
        return 0;
    case DEVICE_CHR:
        domainDefaultsChr(def, dev->data.chr);
        return 0;
    default:
        return 0;
    }
}

void
domainDefaultsImplicit(DomainDef *def)
{
    size_t i, j;

    for (i = 0; i < def->ndisks; i++) {
        const DiskDef *disk = def->disks[i];
        const char *type = domainDiskBusNames[disk->bus];
        ControllerDef *ctrl;
        bool found = false;

        if (disk->info.addr.type != ADDR_DRIVE ||
            enumtabParse(deviceControllerTypeNames, type) < 0)
            continue;
        for (j = 0; j < def->ncontrollers && !found; j++) {
            found = strcmp(def->controllers[j]->type, type) == 0 &&
                def->controllers[j]->index ==
                (int)disk->info.addr.controller;
        }
        if (found)
            continue;
        ALLOC(ctrl);
        ctrl->type = allocStrdup(type);
        ctrl->index = (int)disk->info.addr.controller;
        domainDefaultsPush(&def->controllers, &def->ncontrollers, ctrl);
    }
}

static int
domainDefaultsOne(DomainDevice *dev, size_t idx, void *opaque)
{
    return deviceDefaults(opaque, dev);
}

static int
domainDefaultsDevices(DomainDef *def)
{
    size_t i, j;

    if (domainDeviceForEach(def, domainDefaultsOne, def) < 0)
        return -1;
    for (i = 0; i < def->ndisks; i++) {
        for (j = 0; j < i; j++) {
            if (strcmp(def->disks[i]->dst, def->disks[j]->dst) == 0) {
                reportError(VIR_ERR_XML_DETAIL, "duplicate <disk> target "
                            "'%s'", def->disks[i]->dst);
                return -1;
            }
        }
    }
    domainDefaultsImplicit(def);
    return 0;
}

static int
domainDefaultsMemory(DomainDef *def)
{
    if (def->memory == 0) {
        reportError(VIR_ERR_XML_DETAIL, "missing or zero <memory> in "
                    "<domain>: it must be greater than 0");
        return -1;
    }
    if (def->curMemory == 0)
        def->curMemory = def->memory;
    if (def->curMemory > def->memory) {
        reportError(VIR_ERR_XML_DETAIL, "<currentMemory> (%llu KiB) must not "
                    "exceed <memory> (%llu KiB)", def->curMemory,
                    def->memory);
        return -1;
    }
    if (def->maxMemory && def->maxMemory < def->memory) {
        reportError(VIR_ERR_XML_DETAIL, "<maxMemory> (%llu KiB) must not be "
                    "less than <memory> (%llu KiB)", def->maxMemory,
                    def->memory);
        return -1;
    }
    return 0;
}

static int
domainDefaultsGeneral(DomainDef *def)
{
    if (!def->name || !*def->name) {
        reportError(VIR_ERR_XML_DETAIL, "missing <name> in <domain>");
        return -1;
    }
    if (strchr(def->name, '/')) {
        reportError(VIR_ERR_XML_DETAIL, "invalid <name> '%s': it must not "
                    "contain '/'", def->name);
        return -1;
    }
    if (!def->os.type || !*def->os.type) {
        reportError(VIR_ERR_XML_DETAIL, "missing <type> in <os>");
        return -1;
    }
    if (uuidIsNull(def->uuid))
        uuidGenerate(def->uuid);
    if (def->vcpus == 0)
        def->vcpus = 1;
    if (def->curVcpus == 0)
        def->curVcpus = def->vcpus;
    if (def->curVcpus > def->vcpus) {
        reportError(VIR_ERR_XML_DETAIL, "<vcpu current='%u'> must not exceed "
                    "the maximum %u", def->curVcpus, def->vcpus);
        return -1;
    }
    if (!def->vcpuPlacement)
        def->vcpuPlacement = allocStrdup("static");
    return 0;
}

int
domainDefaultsApply(DomainDef *def)
{
    if (domainDefaultsGeneral(def) < 0 || domainDefaultsMemory(def) < 0 ||
        domainDefaultsDevices(def) < 0)
        return -1;
    return 0;
}
