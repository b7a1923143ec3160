/* device_parse.c: one device element (<disk>, <interface>, ...) to a struct */
#include "device.h"
#include "alloc.h"
#include "enumtab.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#define ERROR_DOMAIN VIR_FROM_DOMAIN

static int
deviceRequire(XNode *node, const char *attr, const char **out)
{
    if (!(*out = xtreeAttr(node, attr))) {
        reportError(VIR_ERR_XML_DETAIL, "missing attribute '%s' of <%s>",
                    attr, node->name);
        return -1;
    }
    return 0;
}

/* A required attribute validated against NAMES, copied into *OUT. */
static int
deviceRequireEnumStr(XNode *node, const char *attr,
                     const char *const *names, char **out)
{
    const char *val;

    if (deviceRequire(node, attr, &val) < 0)
        return -1;
    return xmlconfEnumStr(node, attr, names, out) < 0 ? -1 : 0;
}

static int
deviceParseDiskSource(XNode *node, DiskDef *disk)
{
    static const char *const pathAttr[DISK_TYPE_LAST] = {
        [DISK_TYPE_FILE] = "file", [DISK_TYPE_BLOCK] = "dev",
        [DISK_TYPE_DIR] = "dir",
    };
    XNode *src = xtreeChild(node, "source");

    if (!src)
        return 0;
    disk->hasSource = true;
    if (pathAttr[disk->type])
        disk->srcPath = xmlconfStr(src, pathAttr[disk->type]);
    xtreeTakeExtra(src, &disk->srcExtra);
    return 0;
}

static int
deviceParseDiskTarget(XNode *node, DiskDef *disk)
{
    XNode *tgt = xtreeChild(node, "target");
    int v;

    if (!tgt || !xtreeAttr(tgt, "dev")) {
        reportError(VIR_ERR_XML_DETAIL, "missing <target dev=...> in <disk>");
        return -1;
    }
    disk->dst = xmlconfStr(tgt, "dev");
    if (!*disk->dst) {
        reportError(VIR_ERR_XML_DETAIL, "empty <target dev> in <disk>");
        return -1;
    }
    disk->bus = deviceDiskBusFromName(disk->dst);
    if (xmlconfEnum(tgt, "bus", domainDiskBusNames, &v) < 0)
        return -1;
    if (xtreeAttr(tgt, "bus"))
        disk->bus = v;
    xtreeTakeExtra(tgt, &disk->targetExtra);
    return 0;
}

static int
deviceParseIotune(XNode *node, DiskIotune *io)
{
    XNode *tune = xtreeChild(node, "iotune");

    if (!tune)
        return 0;
    io->present = true;
    if (xmlconfTextULL(tune, "total_bytes_sec", &io->totalBytesSec) < 0 ||
        xmlconfTextULL(tune, "read_bytes_sec", &io->readBytesSec) < 0 ||
        xmlconfTextULL(tune, "write_bytes_sec", &io->writeBytesSec) < 0 ||
        xmlconfTextULL(tune, "total_iops_sec", &io->totalIopsSec) < 0 ||
        xmlconfTextULL(tune, "read_iops_sec", &io->readIopsSec) < 0 ||
        xmlconfTextULL(tune, "write_iops_sec", &io->writeIopsSec) < 0)
        return -1;
    if ((io->totalBytesSec && (io->readBytesSec || io->writeBytesSec)) ||
        (io->totalIopsSec && (io->readIopsSec || io->writeIopsSec))) {
        reportError(VIR_ERR_XML_DETAIL, "total and read/write limits in "
                    "<iotune> cannot be set at the same time");
        return -1;
    }
    xtreeTakeExtra(tune, &io->extra);
    return 0;
}

DiskDef *
deviceParseDisk(XNode *node, unsigned int flags)
{
    DiskDef *disk;
    XNode *kid;
    int v = DISK_TYPE_FILE;

    ALLOC(disk);
    if (xmlconfEnum(node, "type", domainDiskTypeNames, &v) < 0)
        goto error;
    disk->type = v;
    v = DISK_DEVICE_DISK;
    if (xmlconfEnum(node, "device", domainDiskDeviceNames, &v) < 0)
        goto error;
    disk->device = v;
    if ((kid = xtreeChild(node, "driver"))) {
        disk->driverName = xmlconfStr(kid, "name");
        disk->driverType = xmlconfStr(kid, "type");
        xtreeTakeExtra(kid, &disk->driverExtra);
    }
    if (deviceParseDiskSource(node, disk) < 0 ||
        deviceParseDiskTarget(node, disk) < 0 ||
        deviceParseIotune(node, &disk->iotune) < 0)
        goto error;
    if ((kid = xtreeChild(node, "backingStore"))) {
        xtreeMarkUsed(kid);
        disk->backingStore = xtreeCopy(kid);
    }
    disk->readonly = xtreeChild(node, "readonly") != NULL;
    disk->shareable = xtreeChild(node, "shareable") != NULL;
    disk->transient = xtreeChild(node, "transient") != NULL;
    disk->serial = xmlconfText(node, "serial");
    if (deviceInfoParse(node, &disk->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &disk->extra);
    return disk;

 error:
    deviceDiskFree(disk);
    return NULL;
}

ControllerDef *
deviceParseController(XNode *node, unsigned int flags)
{
    ControllerDef *ctrl;

    ALLOC(ctrl);
    ctrl->index = -1;
    if (deviceRequireEnumStr(node, "type", deviceControllerTypeNames,
                             &ctrl->type) < 0 ||
        xmlconfInt(node, "index", &ctrl->index) < 0)
        goto error;
    if (xtreeAttr(node, "index") && ctrl->index < 0) {
        reportError(VIR_ERR_XML_DETAIL, "invalid value for attribute "
                    "'index' of <controller>: must not be negative");
        goto error;
    }
    ctrl->model = xmlconfStr(node, "model");
    if (deviceInfoParse(node, &ctrl->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &ctrl->extra);
    return ctrl;

 error:
    deviceControllerFree(ctrl);
    return NULL;
}

static int
deviceParseMac(XNode *node, NetDef *net)
{
    XNode *kid = xtreeChild(node, "mac");
    const char *addr;

    if (!kid)
        return 0;
    if (deviceRequire(kid, "address", &addr) < 0)
        return -1;
    if (domainMacParse(addr, net->mac) < 0) {
        reportError(VIR_ERR_XML_DETAIL, "invalid value '%s' for attribute "
                    "'address' of <mac>: expected aa:bb:cc:dd:ee:ff", addr);
        return -1;
    }
    if (net->mac[0] & 1) {
        reportError(VIR_ERR_XML_DETAIL, "invalid value '%s' for attribute "
                    "'address' of <mac>: expected a unicast address", addr);
        return -1;
    }
    net->macSet = true;
    return 0;
}

static void
deviceParseNetSource(XNode *node, NetDef *net)
{
    XNode *src = xtreeChild(node, "source");

    if (!src)
        return;
    switch (net->type) {
    case NET_TYPE_NETWORK:
        net->source = xmlconfStr(src, "network");
        break;
    case NET_TYPE_BRIDGE:
        net->source = xmlconfStr(src, "bridge");
        break;
    case NET_TYPE_DIRECT:
        net->source = xmlconfStr(src, "dev");
        net->sourceMode = xmlconfStr(src, "mode");
        break;
    default:
        break;
    }
    xtreeTakeExtra(src, &net->srcExtra);
}

static int
deviceParseRate(XNode *bw, const char *name, NetRate *rate)
{
    XNode *kid = xtreeChild(bw, name);

    if (!kid)
        return 0;
    rate->present = true;
    if (xmlconfULL(kid, "average", &rate->average) < 0 ||
        xmlconfULL(kid, "peak", &rate->peak) < 0 ||
        xmlconfULL(kid, "burst", &rate->burst) < 0 ||
        xmlconfULL(kid, "floor", &rate->floor) < 0)
        return -1;
    return 0;
}

static void
deviceParseNetTarget(XNode *node, NetDef *net, unsigned int flags)
{
    static const char *const autoPrefixes[] = {
        "vnet", "macvtap", "macvlan", "vif", NULL
    };
    XNode *kid = xtreeChild(node, "target");
    const char *dev = xtreeAttr(kid, "dev");
    size_t i;

    if (!dev)
        return;
    if (!(flags & DOMAIN_PARSE_LIVE)) {
        for (i = 0; autoPrefixes[i]; i++) {
            if (strncmp(dev, autoPrefixes[i], strlen(autoPrefixes[i])) == 0)
                return;
        }
    }
    net->ifname = allocStrdup(dev);
}

NetDef *
deviceParseNet(XNode *node, unsigned int flags)
{
    NetDef *net;
    XNode *kid;
    const char *type;
    int v;

    ALLOC(net);
    if (deviceRequire(node, "type", &type) < 0 ||
        xmlconfEnum(node, "type", domainNetTypeNames, &v) < 0)
        goto error;
    net->type = v;
    if (deviceParseMac(node, net) < 0)
        goto error;
    deviceParseNetSource(node, net);
    net->model = xmlconfStr(xtreeChild(node, "model"), "type");
    deviceParseNetTarget(node, net, flags);
    if ((kid = xtreeChild(node, "link"))) {
        if (xmlconfEnumStr(kid, "state", (const char *const[]){
                               "up", "down", NULL }, &net->linkState) < 0)
            goto error;
    }
    if ((kid = xtreeChild(node, "bandwidth")) &&
        (deviceParseRate(kid, "inbound", &net->inbound) < 0 ||
         deviceParseRate(kid, "outbound", &net->outbound) < 0))
        goto error;
    if (deviceInfoParse(node, &net->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &net->extra);
    return net;

 error:
    deviceNetFree(net);
    return NULL;
}

static void
deviceParseChrSource(XNode *node, ChrDef *chr, unsigned int flags)
{
    XNode *src = xtreeChild(node, "source");

    if (!src)
        return;
    switch (chr->type) {
    case CHR_TYPE_PTY:
        if (flags & DOMAIN_PARSE_LIVE)
            chr->srcPath = xmlconfStr(src, "path");
        else
            xtreeAttr(src, "path");
        break;
    case CHR_TYPE_DEV:
    case CHR_TYPE_FILE:
    case CHR_TYPE_PIPE:
    case CHR_TYPE_UNIX:
        chr->srcPath = xmlconfStr(src, "path");
        break;
    default:
        break;
    }
    chr->srcMode = xmlconfStr(src, "mode");
    xtreeTakeExtra(src, &chr->srcExtra);
}

ChrDef *
deviceParseChr(XNode *node, ChrKind kind, unsigned int flags)
{
    ChrDef *chr;
    XNode *tgt;
    int v = CHR_TYPE_PTY;

    ALLOC(chr);
    chr->kind = kind;
    chr->targetPort = -1;
    if (xmlconfEnum(node, "type", domainChrTypeNames, &v) < 0)
        goto error;
    chr->type = v;
    xtreeAttr(node, "tty");     /* derived from the pty path */
    deviceParseChrSource(node, chr, flags);
    if ((tgt = xtreeChild(node, "target"))) {
        chr->targetType = xmlconfStr(tgt, "type");
        chr->targetName = xmlconfStr(tgt, "name");
        if (xmlconfInt(tgt, "port", &chr->targetPort) < 0)
            goto error;
        if (!(flags & DOMAIN_PARSE_LIVE))
            xtreeAttr(tgt, "state");    /* agent connection state */
        xtreeTakeExtra(tgt, &chr->targetExtra);
    }
    if (kind == CHR_CHANNEL && (!chr->targetType ||
                                strcmp(chr->targetType, "virtio") == 0) &&
        !chr->targetName && !tgt) {
        reportError(VIR_ERR_XML_DETAIL, "missing <target> in <channel>");
        goto error;
    }
    if (deviceInfoParse(node, &chr->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &chr->extra);
    return chr;

 error:
    deviceChrFree(chr);
    return NULL;
}

GraphicsDef *
deviceParseGraphics(XNode *node, unsigned int flags)
{
    GraphicsDef *gr;
    const char *type;
    int v;

    ALLOC(gr);
    gr->port = -1;
    gr->tlsPort = -1;
    if (deviceRequire(node, "type", &type) < 0 ||
        xmlconfEnum(node, "type", domainGraphicsTypeNames, &v) < 0)
        goto error;
    gr->type = v;
    if (xmlconfInt(node, "port", &gr->port) < 0 ||
        xmlconfInt(node, "tlsPort", &gr->tlsPort) < 0 ||
        xmlconfTristate(node, "autoport", &gr->autoport) < 0)
        goto error;
    if ((gr->type == GRAPHICS_VNC || gr->type == GRAPHICS_SPICE) &&
        gr->autoport == TRI_ABSENT && gr->port == -1)
        gr->autoport = TRI_YES;
    if (gr->autoport == TRI_YES && !(flags & DOMAIN_PARSE_LIVE)) {
        gr->port = -1;
        gr->tlsPort = -1;
    }
    gr->listen = xmlconfStr(node, "listen");
    gr->passwd = xmlconfStr(node, "passwd");
    gr->keymap = xmlconfStr(node, "keymap");
    xtreeTakeExtra(node, &gr->extra);
    return gr;

 error:
    deviceGraphicsFree(gr);
    return NULL;
}

VideoDef *
deviceParseVideo(XNode *node, unsigned int flags)
{
    VideoDef *video;
    XNode *model;

    ALLOC(video);
    if ((model = xtreeChild(node, "model"))) {
        if (deviceRequireEnumStr(model, "type", deviceVideoModelNames,
                                 &video->model) < 0 ||
            xmlconfUInt(model, "vram", &video->vram) < 0 ||
            xmlconfUInt(model, "heads", &video->heads) < 0 ||
            xmlconfTristate(model, "primary", &video->primary) < 0)
            goto error;
        xtreeTakeExtra(model, &video->modelExtra);
    }
    if (deviceInfoParse(node, &video->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &video->extra);
    return video;

 error:
    deviceVideoFree(video);
    return NULL;
}

InputDef *
deviceParseInput(XNode *node, unsigned int flags)
{
    InputDef *input;

    ALLOC(input);
    if (deviceRequireEnumStr(node, "type", deviceInputTypeNames,
                             &input->type) < 0 ||
        xmlconfEnumStr(node, "bus", deviceInputBusNames, &input->bus) < 0 ||
        deviceInfoParse(node, &input->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &input->extra);
    return input;

 error:
    deviceInputFree(input);
    return NULL;
}

SoundDef *
deviceParseSound(XNode *node, unsigned int flags)
{
    SoundDef *sound;

    ALLOC(sound);
    if (deviceRequireEnumStr(node, "model", deviceSoundModelNames,
                             &sound->model) < 0 ||
        deviceInfoParse(node, &sound->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &sound->extra);
    return sound;

 error:
    deviceSoundFree(sound);
    return NULL;
}

MemballoonDef *
deviceParseMemballoon(XNode *node, unsigned int flags)
{
    MemballoonDef *mb;
    XNode *stats;

    ALLOC(mb);
    mb->statsPeriod = -1;
    if (deviceRequireEnumStr(node, "model", deviceMemballoonModelNames,
                             &mb->model) < 0)
        goto error;
    if ((stats = xtreeChild(node, "stats")) &&
        xmlconfInt(stats, "period", &mb->statsPeriod) < 0)
        goto error;
    if (deviceInfoParse(node, &mb->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &mb->extra);
    return mb;

 error:
    deviceMemballoonFree(mb);
    return NULL;
}

WatchdogDef *
deviceParseWatchdog(XNode *node, unsigned int flags)
{
    static const char *const models[] = {
        "i6300esb", "ib700", "diag288", "itco", NULL
    };
    WatchdogDef *wd;

    ALLOC(wd);
    if (deviceRequireEnumStr(node, "model", models, &wd->model) < 0 ||
        xmlconfEnumStr(node, "action", deviceWatchdogActionNames,
                       &wd->action) < 0 ||
        deviceInfoParse(node, &wd->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &wd->extra);
    return wd;

 error:
    deviceWatchdogFree(wd);
    return NULL;
}

RngDef *
deviceParseRng(XNode *node, unsigned int flags)
{
    RngDef *rng;
    XNode *be;

    ALLOC(rng);
    if (deviceRequireEnumStr(node, "model", (const char *const[]){
            "virtio", "virtio-transitional", "virtio-non-transitional",
            NULL }, &rng->model) < 0)
        goto error;
    if (!(be = xtreeChild(node, "backend"))) {
        reportError(VIR_ERR_XML_DETAIL, "missing <backend> in <rng>");
        goto error;
    }
    if (deviceRequireEnumStr(be, "model", deviceRngBackendNames,
                             &rng->backendModel) < 0)
        goto error;
    rng->backendPath = allocStrdup(be->text);
    xtreeTakeExtra(be, &rng->backendExtra);
    if (deviceInfoParse(node, &rng->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &rng->extra);
    return rng;

 error:
    deviceRngFree(rng);
    return NULL;
}

TpmDef *
deviceParseTpm(XNode *node, unsigned int flags)
{
    TpmDef *tpm;
    XNode *be;

    ALLOC(tpm);
    tpm->model = xmlconfStr(node, "model");
    if (!(be = xtreeChild(node, "backend"))) {
        reportError(VIR_ERR_XML_DETAIL, "missing <backend> in <tpm>");
        goto error;
    }
    if (deviceRequireEnumStr(be, "type", deviceTpmBackendNames,
                             &tpm->backendType) < 0)
        goto error;
    tpm->backendVersion = xmlconfStr(be, "version");
    xtreeTakeExtra(be, &tpm->backendExtra);
    if (deviceInfoParse(node, &tpm->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &tpm->extra);
    return tpm;

 error:
    deviceTpmFree(tpm);
    return NULL;
}

HostdevDef *
deviceParseHostdev(XNode *node, unsigned int flags)
{
    HostdevDef *hd;

    ALLOC(hd);
    if (xmlconfEnumStr(node, "mode", deviceHostdevModeNames, &hd->mode) < 0)
        goto error;
    if (!hd->mode)
        hd->mode = allocStrdup("subsystem");
    hd->type = xmlconfStr(node, "type");
    if (!hd->type) {
        reportError(VIR_ERR_XML_DETAIL, "missing attribute 'type' of "
                    "<hostdev>");
        goto error;
    }
    if (xmlconfTristate(node, "managed", &hd->managed) < 0 ||
        deviceInfoParse(node, &hd->info, flags) < 0)
        goto error;
    xtreeTakeExtra(node, &hd->extra);
    return hd;

 error:
    deviceHostdevFree(hd);
    return NULL;
}

int
deviceParseAny(XNode *node, unsigned int flags, DomainDevice *dev)
{
    const char *n = node->name;
    int chr;

    if (node->prefix)
        return 1;
    if (strcmp(n, "interface") == 0) {
        dev->kind = DEVICE_NET;
        dev->data.net = deviceParseNet(node, flags);
    } else if ((chr = enumtabParse(domainChrKindNames, n)) >= 0) {
        dev->kind = DEVICE_CHR;
        dev->data.chr = deviceParseChr(node, chr, flags);
    } else {
        switch (enumtabParse(domainDeviceKindNames, n)) {
        case DEVICE_DISK:
            dev->data.disk = deviceParseDisk(node, flags); break;
        case DEVICE_CONTROLLER:
            dev->data.controller = deviceParseController(node, flags); break;
        case DEVICE_GRAPHICS:
            dev->data.graphics = deviceParseGraphics(node, flags); break;
        case DEVICE_VIDEO:
            dev->data.video = deviceParseVideo(node, flags); break;
        case DEVICE_INPUT:
            dev->data.input = deviceParseInput(node, flags); break;
        case DEVICE_SOUND:
            dev->data.sound = deviceParseSound(node, flags); break;
        case DEVICE_MEMBALLOON:
            dev->data.memballoon = deviceParseMemballoon(node, flags); break;
        case DEVICE_WATCHDOG:
            dev->data.watchdog = deviceParseWatchdog(node, flags); break;
        case DEVICE_RNG:
            dev->data.rng = deviceParseRng(node, flags); break;
        case DEVICE_TPM:
            dev->data.tpm = deviceParseTpm(node, flags); break;
        case DEVICE_HOSTDEV:
            dev->data.hostdev = deviceParseHostdev(node, flags); break;
        default:
            return 1;
        }
        dev->kind = enumtabParse(domainDeviceKindNames, n);
    }
    node->used = true;
    return dev->data.ptr ? 0 : -1;
}
