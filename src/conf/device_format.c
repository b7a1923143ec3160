/* device_format.c: one device struct to its XML element */
#include "device.h"
#include "alloc.h"
#include "enumtab.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

/* Start collecting the children of an element opened on B. */
static void
deviceKidsInit(Buf *kids, const Buf *b)
{
    memset(kids, 0, sizeof(*kids));
    kids->indent = b->indent + 2;
}

/* End the open tag NAME on B: self-closed when KIDS is empty, otherwise
 * with KIDS and the closing tag. Frees KIDS. */
static void
deviceFinish(Buf *b, const char *name, Buf *kids)
{
    if (kids->len == 0) {
        bufAdd(b, "/>\n");
    } else {
        bufAdd(b, ">\n");
        bufAddN(b, kids->data, kids->len);
        bufLine(b, "</%s>\n", name);
    }
    bufFree(kids);
}

/* Extra children, then <boot>/<alias>/<address>, then the closing. */
static void
deviceFinishCommon(Buf *b, const char *name, Buf *kids, const XExtra *extra,
                   const DeviceInfo *info, unsigned int flags)
{
    xtreeFormatExtraKids(kids, extra);
    if (info)
        deviceInfoFormat(kids, info, flags);
    deviceFinish(b, name, kids);
}

static void
deviceFormatIotune(Buf *b, const DiskIotune *io)
{
    static const char *const names[] = {
        "total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
        "total_iops_sec", "read_iops_sec", "write_iops_sec",
    };
    const unsigned long long vals[] = {
        io->totalBytesSec, io->readBytesSec, io->writeBytesSec,
        io->totalIopsSec, io->readIopsSec, io->writeIopsSec,
    };
    size_t i;

    if (!io->present)
        return;
    bufLine(b, "<iotune>\n");
    bufIndent(b, 2);
    for (i = 0; i < 6; i++) {
        if (vals[i])
            bufLine(b, "<%s>%llu</%s>\n", names[i], vals[i], names[i]);
    }
    xmlconfClose(b, "iotune", &io->extra);
}

/* The index attributes numbering a running disk's images (on <source>
 * and each <backingStore>) belong to the live XML only. */
static void
deviceDropIndexTree(XNode *node)
{
    for (size_t i = 0; i < node->nattrs; i++) {
        if (strcmp(node->attrs[i].name, "index") != 0)
            continue;
        free(node->attrs[i].name);
        free(node->attrs[i].value);
        memmove(&node->attrs[i], &node->attrs[i + 1],
                (node->nattrs - i - 1) * sizeof(*node->attrs));
        node->nattrs--;
        break;
    }
    for (size_t i = 0; i < node->nkids; i++)
        if (strcmp(node->kids[i]->name, "backingStore") == 0)
            deviceDropIndexTree(node->kids[i]);
}

static void
deviceFormatDiskSource(Buf *b, const DiskDef *disk, bool inactive)
{
    static const char *const pathAttr[DISK_TYPE_LAST] = {
        [DISK_TYPE_FILE] = "file", [DISK_TYPE_BLOCK] = "dev",
        [DISK_TYPE_DIR] = "dir",
    };
    XExtra extra = disk->srcExtra;
    XAttr *kept = NULL;

    if (!disk->hasSource)
        return;
    bufLine(b, "<source");
    if (pathAttr[disk->type])
        xmlconfAttr(b, pathAttr[disk->type], disk->srcPath);
    if (inactive && extra.nattrs) {
        /* the same attributes (borrowed) but the index */
        kept = allocArray(extra.nattrs, sizeof(*kept));
        extra.attrs = kept;
        extra.nattrs = 0;
        for (size_t i = 0; i < disk->srcExtra.nattrs; i++)
            if (strcmp(disk->srcExtra.attrs[i].name, "index") != 0)
                kept[extra.nattrs++] = disk->srcExtra.attrs[i];
    }
    xmlconfEnd(b, "source", &extra);
    free(kept);
}

static void
deviceFormatBackingStore(Buf *b, const XNode *chain, bool inactive)
{
    XNode *copy;

    if (!inactive) {
        xtreeFormat(b, chain, NULL);
        return;
    }
    copy = xtreeCopy(chain);
    deviceDropIndexTree(copy);
    xtreeFormat(b, copy, NULL);
    xtreeFree(copy);
}

void
deviceFormatDisk(Buf *b, const DiskDef *disk, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<disk type='%s' device='%s'",
            domainDiskTypeNames[disk->type],
            domainDiskDeviceNames[disk->device]);
    xtreeFormatAttrs(b, disk->extra.attrs, disk->extra.nattrs);
    deviceKidsInit(&kids, b);
    if (disk->driverName || disk->driverType || disk->driverExtra.nattrs ||
        disk->driverExtra.nkids) {
        bufLine(&kids, "<driver");
        xmlconfAttr(&kids, "name", disk->driverName);
        xmlconfAttr(&kids, "type", disk->driverType);
        xmlconfEnd(&kids, "driver", &disk->driverExtra);
    }
    deviceFormatDiskSource(&kids, disk, flags & VIR_DOMAIN_XML_INACTIVE);
    if (disk->backingStore)
        deviceFormatBackingStore(&kids, disk->backingStore,
                                 flags & VIR_DOMAIN_XML_INACTIVE);
    bufLine(&kids, "<target");
    xmlconfAttr(&kids, "dev", disk->dst);
    if (disk->bus != DISK_BUS_NONE)
        xmlconfAttr(&kids, "bus", domainDiskBusNames[disk->bus]);
    xmlconfEnd(&kids, "target", &disk->targetExtra);
    deviceFormatIotune(&kids, &disk->iotune);
    if (disk->readonly)
        bufLine(&kids, "<readonly/>\n");
    if (disk->shareable)
        bufLine(&kids, "<shareable/>\n");
    if (disk->transient)
        bufLine(&kids, "<transient/>\n");
    xmlconfTextElem(&kids, "serial", disk->serial);
    deviceFinishCommon(b, "disk", &kids, &disk->extra, &disk->info, flags);
}

void
deviceFormatController(Buf *b, const ControllerDef *ctrl, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<controller type='%s'", ctrl->type);
    if (ctrl->index >= 0)
        bufPrintf(b, " index='%d'", ctrl->index);
    xmlconfAttr(b, "model", ctrl->model);
    xtreeFormatAttrs(b, ctrl->extra.attrs, ctrl->extra.nattrs);
    deviceKidsInit(&kids, b);
    deviceFinishCommon(b, "controller", &kids, &ctrl->extra, &ctrl->info,
                       flags);
}

static void
deviceFormatRate(Buf *b, const char *name, const NetRate *rate)
{
    if (!rate->present)
        return;
    bufLine(b, "<%s", name);
    if (rate->average)
        bufPrintf(b, " average='%llu'", rate->average);
    if (rate->peak)
        bufPrintf(b, " peak='%llu'", rate->peak);
    if (rate->burst)
        bufPrintf(b, " burst='%llu'", rate->burst);
    if (rate->floor)
        bufPrintf(b, " floor='%llu'", rate->floor);
    bufAdd(b, "/>\n");
}

static void
deviceFormatNetSource(Buf *b, const NetDef *net)
{
    const char *attr = NULL;

    if (net->type == NET_TYPE_NETWORK)
        attr = "network";
    else if (net->type == NET_TYPE_BRIDGE)
        attr = "bridge";
    else if (net->type == NET_TYPE_DIRECT)
        attr = "dev";
    if (!net->source && !net->sourceMode && !net->srcExtra.nattrs &&
        !net->srcExtra.nkids)
        return;
    bufLine(b, "<source");
    if (attr)
        xmlconfAttr(b, attr, net->source);
    xmlconfAttr(b, "mode", net->sourceMode);
    xmlconfEnd(b, "source", &net->srcExtra);
}

static bool
deviceNetIfnameIsAuto(const char *name)
{
    return strncmp(name, "vnet", 4) == 0 ||
        strncmp(name, "macvtap", 7) == 0 ||
        strncmp(name, "macvlan", 7) == 0 || strncmp(name, "vif", 3) == 0;
}

void
deviceFormatNet(Buf *b, const NetDef *net, unsigned int flags)
{
    Buf kids;
    char mac[18];

    bufLine(b, "<interface type='%s'", domainNetTypeNames[net->type]);
    xtreeFormatAttrs(b, net->extra.attrs, net->extra.nattrs);
    deviceKidsInit(&kids, b);
    if (net->macSet) {
        domainMacFormat(net->mac, mac);
        bufLine(&kids, "<mac address='%s'/>\n", mac);
    }
    deviceFormatNetSource(&kids, net);
    if (net->ifname && (!(flags & VIR_DOMAIN_XML_INACTIVE) ||
                        !deviceNetIfnameIsAuto(net->ifname))) {
        bufLine(&kids, "<target");
        xmlconfAttr(&kids, "dev", net->ifname);
        bufAdd(&kids, "/>\n");
    }
    if (net->model) {
        bufLine(&kids, "<model");
        xmlconfAttr(&kids, "type", net->model);
        bufAdd(&kids, "/>\n");
    }
    if (net->inbound.present || net->outbound.present) {
        bufLine(&kids, "<bandwidth>\n");
        bufIndent(&kids, 2);
        deviceFormatRate(&kids, "inbound", &net->inbound);
        deviceFormatRate(&kids, "outbound", &net->outbound);
        bufIndent(&kids, -2);
        bufLine(&kids, "</bandwidth>\n");
    }
    if (net->linkState)
        bufLine(&kids, "<link state='%s'/>\n", net->linkState);
    deviceFinishCommon(b, "interface", &kids, &net->extra, &net->info, flags);
}

static void
deviceFormatChrSource(Buf *b, const ChrDef *chr, unsigned int flags)
{
    const char *path = chr->srcPath;

    if (chr->type == CHR_TYPE_PTY && (flags & VIR_DOMAIN_XML_INACTIVE))
        path = NULL;
    if (!path && !chr->srcMode && !chr->srcExtra.nattrs &&
        !chr->srcExtra.nkids)
        return;
    bufLine(b, "<source");
    xmlconfAttr(b, "mode", chr->srcMode);
    xmlconfAttr(b, "path", path);
    xmlconfEnd(b, "source", &chr->srcExtra);
}

void
deviceFormatChr(Buf *b, const ChrDef *chr, unsigned int flags)
{
    const char *name = domainChrKindNames[chr->kind];
    Buf kids;

    bufLine(b, "<%s type='%s'", name, domainChrTypeNames[chr->type]);
    if (chr->type == CHR_TYPE_PTY && chr->srcPath &&
        !(flags & VIR_DOMAIN_XML_INACTIVE))
        xmlconfAttr(b, "tty", chr->srcPath);
    xtreeFormatAttrs(b, chr->extra.attrs, chr->extra.nattrs);
    deviceKidsInit(&kids, b);
    deviceFormatChrSource(&kids, chr, flags);
    if (chr->targetType || chr->targetName || chr->targetPort >= 0 ||
        chr->targetExtra.nattrs || chr->targetExtra.nkids) {
        bufLine(&kids, "<target");
        xmlconfAttr(&kids, "type", chr->targetType);
        xmlconfAttr(&kids, "name", chr->targetName);
        if (chr->targetPort >= 0)
            bufPrintf(&kids, " port='%d'", chr->targetPort);
        xmlconfEnd(&kids, "target", &chr->targetExtra);
    }
    deviceFinishCommon(b, name, &kids, &chr->extra, &chr->info, flags);
}

void
deviceFormatGraphics(Buf *b, const GraphicsDef *gr, unsigned int flags)
{
    bool inactive = flags & VIR_DOMAIN_XML_INACTIVE;
    bool autoport = gr->autoport == TRI_YES;

    bufLine(b, "<graphics type='%s'", domainGraphicsTypeNames[gr->type]);
    if (gr->port != -1 || autoport)
        bufPrintf(b, " port='%d'", autoport && inactive ? -1 : gr->port);
    if (gr->tlsPort != -1 && !(autoport && inactive))
        bufPrintf(b, " tlsPort='%d'", gr->tlsPort);
    xmlconfAttrTri(b, "autoport", gr->autoport);
    xmlconfAttr(b, "listen", gr->listen);
    if (flags & VIR_DOMAIN_XML_SECURE)
        xmlconfAttr(b, "passwd", gr->passwd);
    xmlconfAttr(b, "keymap", gr->keymap);
    xmlconfEnd(b, "graphics", &gr->extra);
}

void
deviceFormatVideo(Buf *b, const VideoDef *video, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<video");
    xtreeFormatAttrs(b, video->extra.attrs, video->extra.nattrs);
    deviceKidsInit(&kids, b);
    if (video->model) {
        bufLine(&kids, "<model type='%s'", video->model);
        if (video->vram)
            bufPrintf(&kids, " vram='%u'", video->vram);
        if (video->heads)
            bufPrintf(&kids, " heads='%u'", video->heads);
        xmlconfAttrTri(&kids, "primary", video->primary);
        xmlconfEnd(&kids, "model", &video->modelExtra);
    }
    deviceFinishCommon(b, "video", &kids, &video->extra, &video->info, flags);
}

void
deviceFormatInput(Buf *b, const InputDef *input, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<input type='%s'", input->type);
    xmlconfAttr(b, "bus", input->bus);
    xtreeFormatAttrs(b, input->extra.attrs, input->extra.nattrs);
    deviceKidsInit(&kids, b);
    deviceFinishCommon(b, "input", &kids, &input->extra, &input->info, flags);
}

void
deviceFormatSound(Buf *b, const SoundDef *sound, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<sound model='%s'", sound->model);
    xtreeFormatAttrs(b, sound->extra.attrs, sound->extra.nattrs);
    deviceKidsInit(&kids, b);
    deviceFinishCommon(b, "sound", &kids, &sound->extra, &sound->info, flags);
}

void
deviceFormatMemballoon(Buf *b, const MemballoonDef *mb, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<memballoon model='%s'", mb->model);
    xtreeFormatAttrs(b, mb->extra.attrs, mb->extra.nattrs);
    deviceKidsInit(&kids, b);
    if (mb->statsPeriod >= 0)
        bufLine(&kids, "<stats period='%d'/>\n", mb->statsPeriod);
    deviceFinishCommon(b, "memballoon", &kids, &mb->extra, &mb->info, flags);
}

void
deviceFormatWatchdog(Buf *b, const WatchdogDef *wd, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<watchdog model='%s'", wd->model);
    xmlconfAttr(b, "action", wd->action);
    xtreeFormatAttrs(b, wd->extra.attrs, wd->extra.nattrs);
    deviceKidsInit(&kids, b);
    deviceFinishCommon(b, "watchdog", &kids, &wd->extra, &wd->info, flags);
}

void
deviceFormatRng(Buf *b, const RngDef *rng, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<rng model='%s'", rng->model);
    xtreeFormatAttrs(b, rng->extra.attrs, rng->extra.nattrs);
    deviceKidsInit(&kids, b);
    bufLine(&kids, "<backend model='%s'", rng->backendModel);
    if (rng->backendPath && rng->backendExtra.nkids == 0) {
        xtreeFormatAttrs(&kids, rng->backendExtra.attrs,
                         rng->backendExtra.nattrs);
        bufAdd(&kids, ">");
        bufAddEscaped(&kids, rng->backendPath);
        bufAdd(&kids, "</backend>\n");
    } else {
        xmlconfEnd(&kids, "backend", &rng->backendExtra);
    }
    deviceFinishCommon(b, "rng", &kids, &rng->extra, &rng->info, flags);
}

void
deviceFormatTpm(Buf *b, const TpmDef *tpm, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<tpm");
    xmlconfAttr(b, "model", tpm->model);
    xtreeFormatAttrs(b, tpm->extra.attrs, tpm->extra.nattrs);
    deviceKidsInit(&kids, b);
    bufLine(&kids, "<backend type='%s'", tpm->backendType);
    xmlconfAttr(&kids, "version", tpm->backendVersion);
    xmlconfEnd(&kids, "backend", &tpm->backendExtra);
    deviceFinishCommon(b, "tpm", &kids, &tpm->extra, &tpm->info, flags);
}

void
deviceFormatHostdev(Buf *b, const HostdevDef *hd, unsigned int flags)
{
    Buf kids;

    bufLine(b, "<hostdev mode='%s'", hd->mode);
    xmlconfAttr(b, "type", hd->type);
    xmlconfAttrTri(b, "managed", hd->managed);
    xtreeFormatAttrs(b, hd->extra.attrs, hd->extra.nattrs);
    deviceKidsInit(&kids, b);
    deviceFinishCommon(b, "hostdev", &kids, &hd->extra, &hd->info, flags);
}

void
deviceFormatAny(Buf *b, const DomainDevice *dev, unsigned int flags)
{
    switch (dev->kind) {
    case DEVICE_DISK: deviceFormatDisk(b, dev->data.disk, flags); break;
    case DEVICE_CONTROLLER:
        deviceFormatController(b, dev->data.controller, flags); break;
    case DEVICE_NET: deviceFormatNet(b, dev->data.net, flags); break;
    case DEVICE_CHR: deviceFormatChr(b, dev->data.chr, flags); break;
    case DEVICE_GRAPHICS:
        deviceFormatGraphics(b, dev->data.graphics, flags); break;
    case DEVICE_VIDEO: deviceFormatVideo(b, dev->data.video, flags); break;
    case DEVICE_INPUT: deviceFormatInput(b, dev->data.input, flags); break;
    case DEVICE_SOUND: deviceFormatSound(b, dev->data.sound, flags); break;
    case DEVICE_MEMBALLOON:
        deviceFormatMemballoon(b, dev->data.memballoon, flags); break;
    case DEVICE_WATCHDOG:
        deviceFormatWatchdog(b, dev->data.watchdog, flags); break;
    case DEVICE_RNG: deviceFormatRng(b, dev->data.rng, flags); break;
    case DEVICE_TPM: deviceFormatTpm(b, dev->data.tpm, flags); break;
    case DEVICE_HOSTDEV:
        deviceFormatHostdev(b, dev->data.hostdev, flags); break;
    case DEVICE_LAST: break;
    }
}
