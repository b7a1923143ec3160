/* device.c: device name tables, freeing, and the common <address>/<alias> */
#include "device.h"
#include "alloc.h"
#include "enumtab.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#define ERROR_DOMAIN VIR_FROM_DOMAIN

const char *const domainDiskTypeNames[] = {
    "file", "block", "dir", "network", "volume", "nvme", "vhostuser", NULL
};
const char *const domainDiskDeviceNames[] = {
    "disk", "cdrom", "floppy", "lun", NULL
};
const char *const domainDiskBusNames[] = {
    "none", "ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata",
    "sd", NULL
};
const char *const domainNetTypeNames[] = {
    "user", "ethernet", "vhostuser", "server", "client", "mcast", "network",
    "bridge", "internal", "direct", "hostdev", "udp", "vdpa", "null", "vds",
    NULL
};
const char *const domainChrKindNames[] = {
    "serial", "parallel", "console", "channel", NULL
};
const char *const domainChrTypeNames[] = {
    "null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp",
    "unix", "spicevmc", "spiceport", "nmdm", "qemu-vdagent", "dbus", NULL
};
const char *const domainGraphicsTypeNames[] = {
    "sdl", "vnc", "rdp", "desktop", "spice", "egl-headless", "dbus", NULL
};
const char *const domainLifecycleNames[] = {
    "destroy", "restart", "rename-restart", "preserve", "coredump-destroy",
    "coredump-restart", NULL
};
const char *const domainBootNames[] = {
    "fd", "cdrom", "hd", "network", NULL
};
const char *const domainDeviceKindNames[] = {
    "disk", "controller", "interface", "chr", "graphics", "video", "input",
    "sound", "memballoon", "watchdog", "rng", "tpm", "hostdev", NULL
};
const char *const deviceControllerTypeNames[] = {
    "ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci",
    "xenbus", "isa", NULL
};
const char *const deviceInputTypeNames[] = {
    "mouse", "tablet", "keyboard", "passthrough", "evdev", NULL
};
const char *const deviceInputBusNames[] = {
    "ps2", "usb", "xen", "parallels", "virtio", "none", NULL
};
const char *const deviceWatchdogActionNames[] = {
    "reset", "shutdown", "poweroff", "pause", "dump", "none", "inject-nmi",
    NULL
};
const char *const deviceRngBackendNames[] = {
    "random", "egd", "builtin", NULL
};
const char *const deviceTpmBackendNames[] = {
    "passthrough", "emulator", "external", NULL
};
const char *const deviceHostdevModeNames[] = {
    "subsystem", "capabilities", NULL
};
const char *const deviceVideoModelNames[] = {
    "vga", "cirrus", "vmvga", "xen", "vbox", "qxl", "parallels", "virtio",
    "gop", "none", "bochs", "ramfb", NULL
};
const char *const deviceSoundModelNames[] = {
    "sb16", "es1370", "pcspk", "ac97", "ich6", "ich9", "usb", "ich7", NULL
};
const char *const deviceMemballoonModelNames[] = {
    "virtio", "xen", "none", "virtio-transitional",
    "virtio-non-transitional", NULL
};

void
deviceInfoClear(DeviceInfo *info)
{
    free(info->alias);
    free(info->addr.typeName);
    xtreeExtraFree(&info->addr.extra);
    memset(info, 0, sizeof(*info));
}

void
deviceDiskFree(DiskDef *disk)
{
    if (!disk)
        return;
    free(disk->driverName);
    free(disk->driverType);
    xtreeExtraFree(&disk->driverExtra);
    free(disk->srcPath);
    xtreeExtraFree(&disk->srcExtra);
    xtreeFree(disk->backingStore);
    free(disk->dst);
    xtreeExtraFree(&disk->targetExtra);
    xtreeExtraFree(&disk->iotune.extra);
    free(disk->serial);
    deviceInfoClear(&disk->info);
    xtreeExtraFree(&disk->extra);
    free(disk);
}

void
deviceControllerFree(ControllerDef *ctrl)
{
    if (!ctrl)
        return;
    free(ctrl->type);
    free(ctrl->model);
    deviceInfoClear(&ctrl->info);
    xtreeExtraFree(&ctrl->extra);
    free(ctrl);
}

void
deviceNetFree(NetDef *net)
{
    if (!net)
        return;
    free(net->source);
    free(net->sourceMode);
    xtreeExtraFree(&net->srcExtra);
    free(net->model);
    free(net->ifname);
    free(net->linkState);
    deviceInfoClear(&net->info);
    xtreeExtraFree(&net->extra);
    free(net);
}

void
deviceChrFree(ChrDef *chr)
{
    if (!chr)
        return;
    free(chr->srcPath);
    free(chr->srcMode);
    xtreeExtraFree(&chr->srcExtra);
    free(chr->targetType);
    free(chr->targetName);
    xtreeExtraFree(&chr->targetExtra);
    deviceInfoClear(&chr->info);
    xtreeExtraFree(&chr->extra);
    free(chr);
}

void
deviceGraphicsFree(GraphicsDef *gr)
{
    if (!gr)
        return;
    free(gr->listen);
    free(gr->passwd);
    free(gr->keymap);
    xtreeExtraFree(&gr->extra);
    free(gr);
}

void
deviceVideoFree(VideoDef *video)
{
    if (!video)
        return;
    free(video->model);
    xtreeExtraFree(&video->modelExtra);
    deviceInfoClear(&video->info);
    xtreeExtraFree(&video->extra);
    free(video);
}

void
deviceInputFree(InputDef *input)
{
    if (!input)
        return;
    free(input->type);
    free(input->bus);
    deviceInfoClear(&input->info);
    xtreeExtraFree(&input->extra);
    free(input);
}

void
deviceSoundFree(SoundDef *sound)
{
    if (!sound)
        return;
    free(sound->model);
    deviceInfoClear(&sound->info);
    xtreeExtraFree(&sound->extra);
    free(sound);
}

void
deviceMemballoonFree(MemballoonDef *mb)
{
    if (!mb)
        return;
    free(mb->model);
    deviceInfoClear(&mb->info);
    xtreeExtraFree(&mb->extra);
    free(mb);
}

void
deviceWatchdogFree(WatchdogDef *wd)
{
    if (!wd)
        return;
    free(wd->model);
    free(wd->action);
    deviceInfoClear(&wd->info);
    xtreeExtraFree(&wd->extra);
    free(wd);
}

void
deviceRngFree(RngDef *rng)
{
    if (!rng)
        return;
    free(rng->model);
    free(rng->backendModel);
    free(rng->backendPath);
    xtreeExtraFree(&rng->backendExtra);
    deviceInfoClear(&rng->info);
    xtreeExtraFree(&rng->extra);
    free(rng);
}

void
deviceTpmFree(TpmDef *tpm)
{
    if (!tpm)
        return;
    free(tpm->model);
    free(tpm->backendType);
    free(tpm->backendVersion);
    xtreeExtraFree(&tpm->backendExtra);
    deviceInfoClear(&tpm->info);
    xtreeExtraFree(&tpm->extra);
    free(tpm);
}

void
deviceHostdevFree(HostdevDef *hd)
{
    if (!hd)
        return;
    free(hd->mode);
    free(hd->type);
    deviceInfoClear(&hd->info);
    xtreeExtraFree(&hd->extra);
    free(hd);
}

void
deviceDataFree(DomainDevice *dev)
{
    if (!dev || !dev->data.ptr)
        return;
    switch (dev->kind) {
    case DEVICE_DISK: deviceDiskFree(dev->data.disk); break;
    case DEVICE_CONTROLLER: deviceControllerFree(dev->data.controller); break;
    case DEVICE_NET: deviceNetFree(dev->data.net); break;
    case DEVICE_CHR: deviceChrFree(dev->data.chr); break;
    case DEVICE_GRAPHICS: deviceGraphicsFree(dev->data.graphics); break;
    case DEVICE_VIDEO: deviceVideoFree(dev->data.video); break;
    case DEVICE_INPUT: deviceInputFree(dev->data.input); break;
    case DEVICE_SOUND: deviceSoundFree(dev->data.sound); break;
    case DEVICE_MEMBALLOON:
        deviceMemballoonFree(dev->data.memballoon);
        break;
    case DEVICE_WATCHDOG: deviceWatchdogFree(dev->data.watchdog); break;
    case DEVICE_RNG: deviceRngFree(dev->data.rng); break;
    case DEVICE_TPM: deviceTpmFree(dev->data.tpm); break;
    case DEVICE_HOSTDEV: deviceHostdevFree(dev->data.hostdev); break;
    case DEVICE_LAST: break;
    }
    dev->data.ptr = NULL;
}

static const char *const deviceAddressTypeNames[] = {
    "none", "pci", "drive", "virtio-serial", "ccid", "usb", NULL
};

static int
deviceAddressParse(XNode *node, DeviceAddress *addr)
{
    const char *type = xtreeAttr(node, "type");
    int t;

    if (!type) {
        reportError(VIR_ERR_XML_DETAIL,
                    "missing attribute 'type' of <address>");
        return -1;
    }
    if ((t = enumtabParse(deviceAddressTypeNames, type)) <= 0) {
        addr->type = ADDR_OTHER;
        addr->typeName = allocStrdup(type);
        xtreeTakeExtra(node, &addr->extra);
        return 0;
    }
    addr->type = t;
    if (xmlconfUInt(node, "bus", &addr->bus) < 0)
        return -1;
    switch (addr->type) {
    case ADDR_PCI:
        if (xmlconfUInt(node, "domain", &addr->domain) < 0 ||
            xmlconfUInt(node, "slot", &addr->slot) < 0 ||
            xmlconfUInt(node, "function", &addr->function) < 0 ||
            xmlconfTristate(node, "multifunction", &addr->multifunction) < 0)
            return -1;
        break;
    case ADDR_DRIVE:
        if (xmlconfUInt(node, "controller", &addr->controller) < 0 ||
            xmlconfUInt(node, "target", &addr->target) < 0 ||
            xmlconfUInt(node, "unit", &addr->unit) < 0)
            return -1;
        break;
    case ADDR_VIRTIO_SERIAL:
        if (xmlconfUInt(node, "controller", &addr->controller) < 0 ||
            xmlconfUInt(node, "port", &addr->port) < 0)
            return -1;
        break;
    case ADDR_CCID:
        if (xmlconfUInt(node, "controller", &addr->controller) < 0 ||
            xmlconfUInt(node, "slot", &addr->slot) < 0)
            return -1;
        break;
    default:
        break;
    }
    xtreeTakeExtra(node, &addr->extra);
    return 0;
}

int
deviceInfoParse(XNode *node, DeviceInfo *info, unsigned int flags)
{
    XNode *kid;

    if ((kid = xtreeChild(node, "alias"))) {
        const char *name = xtreeAttr(kid, "name");

        if (name && ((flags & DOMAIN_PARSE_LIVE) ||
                     strncmp(name, "ua-", 3) == 0))
            info->alias = allocStrdup(name);
    }
    if ((kid = xtreeChild(node, "boot"))) {
        if (xmlconfUInt(kid, "order", &info->bootOrder) < 0)
            return -1;
        if (info->bootOrder == 0) {
            reportError(VIR_ERR_XML_DETAIL,
                        "invalid value for attribute 'order' of <boot> in "
                        "<%s>: expected a number above 0", node->name);
            return -1;
        }
    }
    if ((kid = xtreeChild(node, "address")) &&
        deviceAddressParse(kid, &info->addr) < 0)
        return -1;
    return 0;
}

static void
deviceAddressFormat(Buf *b, const DeviceAddress *addr)
{
    if (addr->type == ADDR_NONE)
        return;
    bufLine(b, "<address");
    xmlconfAttr(b, "type", addr->type == ADDR_OTHER ?
                addr->typeName : deviceAddressTypeNames[addr->type]);
    switch (addr->type) {
    case ADDR_PCI:
        bufPrintf(b, " domain='0x%04x' bus='0x%02x' slot='0x%02x'"
                  " function='0x%x'", addr->domain, addr->bus, addr->slot,
                  addr->function);
        xmlconfAttrTri(b, "multifunction", addr->multifunction);
        break;
    case ADDR_DRIVE:
        bufPrintf(b, " controller='%u' bus='%u' target='%u' unit='%u'",
                  addr->controller, addr->bus, addr->target, addr->unit);
        break;
    case ADDR_VIRTIO_SERIAL:
        bufPrintf(b, " controller='%u' bus='%u' port='%u'",
                  addr->controller, addr->bus, addr->port);
        break;
    case ADDR_CCID:
        bufPrintf(b, " controller='%u' slot='%u'", addr->controller,
                  addr->slot);
        break;
    case ADDR_USB:
        bufPrintf(b, " bus='%u'", addr->bus);
        break;
    default:
        break;
    }
    xmlconfEnd(b, "address", &addr->extra);
}

void
deviceInfoFormat(Buf *b, const DeviceInfo *info, unsigned int flags)
{
    if (info->bootOrder)
        bufLine(b, "<boot order='%u'/>\n", info->bootOrder);
    if (flags & DEVICE_FORMAT_NOINFO)
        return;
    if (info->alias && (!(flags & VIR_DOMAIN_XML_INACTIVE) ||
                        strncmp(info->alias, "ua-", 3) == 0)) {
        bufLine(b, "<alias");
        xmlconfAttr(b, "name", info->alias);
        bufAdd(b, "/>\n");
    }
    deviceAddressFormat(b, &info->addr);
}

int
deviceDiskNameIndex(const char *name)
{
    static const char *const prefixes[] = {
        "fd", "hd", "vd", "sd", "xvd", "ubd", NULL
    };
    const char *p = NULL;
    long idx = 0;
    size_t i;

    if (!name)
        return -1;
    for (i = 0; prefixes[i]; i++) {
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0) {
            p = name + strlen(prefixes[i]);
            break;
        }
    }
    if (!p || !*p)
        return -1;
    for (; *p; p++) {
        if (*p < 'a' || *p > 'z' || idx > 100000)
            return -1;
        idx = idx * 26 + (*p - 'a' + 1);
    }
    return (int)(idx - 1);
}

DiskBus
deviceDiskBusFromName(const char *name)
{
    if (!name)
        return DISK_BUS_NONE;
    if (strncmp(name, "hd", 2) == 0)
        return DISK_BUS_IDE;
    if (strncmp(name, "sd", 2) == 0)
        return DISK_BUS_SCSI;
    if (strncmp(name, "vd", 2) == 0)
        return DISK_BUS_VIRTIO;
    if (strncmp(name, "xvd", 3) == 0)
        return DISK_BUS_XEN;
    if (strncmp(name, "fd", 2) == 0)
        return DISK_BUS_FDC;
    if (strncmp(name, "ubd", 3) == 0)
        return DISK_BUS_UML;
    return DISK_BUS_NONE;
}
