/* domain_device.c: single devices for attach, detach, update and lookups */
#include "domain_priv.h"
#include "device.h"
#include "alloc.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#define ERROR_DOMAIN VIR_FROM_DOMAIN

#define DOMAIN_PARSE_FLAGS (VIR_DOMAIN_DEFINE_VALIDATE | DOMAIN_PARSE_LIVE)

DomainDevice *
domainDeviceParse(const char *xml, const DomainDef *def, unsigned int flags)
{
    XNode *root;
    DomainDevice *dev;
    int rc;

    if (!(root = xtreeParse(xml, VIR_FROM_DOMAIN)))
        return NULL;
    ALLOC(dev);
    if ((rc = deviceParseAny(root, flags & DOMAIN_PARSE_FLAGS, dev)) > 0)
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported device "
                    "element <%s>", root->name);
    if (rc != 0 || deviceDefaults(def, dev) < 0) {
        domainDeviceFree(dev);
        dev = NULL;
    }
    xtreeFree(root);
    return dev;
}

char *
domainDeviceFormat(const DomainDevice *dev, unsigned int flags)
{
    Buf b = { 0 };

    deviceFormatAny(&b, dev, flags);
    return bufTake(&b);
}

void
domainDeviceFree(DomainDevice *dev)
{
    if (!dev)
        return;
    deviceDataFree(dev);
    free(dev);
}

/* The array in DEF holding devices of KIND (chr: of CHR's kind) as a
 * generic pointer array, its length in *N; NULL for the memballoon. */
static void ***
domainDeviceList(DomainDef *def, DeviceKind kind, const ChrDef *chr,
                 size_t **n)
{
#define LIST(list, cnt) do { *n = &def->cnt; \
        return (void ***)&def->list; } while (0)
    switch (kind) {
    case DEVICE_DISK: LIST(disks, ndisks);
    case DEVICE_CONTROLLER: LIST(controllers, ncontrollers);
    case DEVICE_NET: LIST(nets, nnets);
    case DEVICE_CHR:
        if (chr->kind == CHR_SERIAL)
            LIST(serials, nserials);
        if (chr->kind == CHR_PARALLEL)
            LIST(parallels, nparallels);
        if (chr->kind == CHR_CONSOLE)
            LIST(consoles, nconsoles);
        LIST(channels, nchannels);
    case DEVICE_GRAPHICS: LIST(graphics, ngraphics);
    case DEVICE_VIDEO: LIST(videos, nvideos);
    case DEVICE_INPUT: LIST(inputs, ninputs);
    case DEVICE_SOUND: LIST(sounds, nsounds);
    case DEVICE_WATCHDOG: LIST(watchdogs, nwatchdogs);
    case DEVICE_RNG: LIST(rngs, nrngs);
    case DEVICE_TPM: LIST(tpms, ntpms);
    case DEVICE_HOSTDEV: LIST(hostdevs, nhostdevs);
    default: return NULL;
    }
#undef LIST
}

/* The common info of DEV, NULL for graphics. */
static const DeviceInfo *
domainDeviceInfo(const DomainDevice *dev)
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

/* True when CAND (same kind as DEV) is the device DEV describes. */
static bool
domainDeviceMatches(const DomainDevice *dev, const DomainDevice *cand)
{
    const DeviceInfo *info = domainDeviceInfo(dev);
    const DeviceInfo *cinfo = domainDeviceInfo(cand);
    unsigned int flags = VIR_DOMAIN_XML_INACTIVE;
    char *a, *b;
    bool same;

    if (info && info->alias)
        return cinfo && cinfo->alias && strcmp(info->alias, cinfo->alias) == 0;
    if (!info || info->addr.type == ADDR_NONE)
        flags |= DEVICE_FORMAT_NOINFO;
    a = domainDeviceFormat(dev, flags);
    b = domainDeviceFormat(cand, flags);
    same = strcmp(a, b) == 0;
    free(a);
    free(b);
    return same;
}

static int
domainDeviceSearch(const DomainDef *def, const DomainDevice *dev)
{
    size_t *n = NULL;
    void ***list;
    size_t i;

    switch (dev->kind) {
    case DEVICE_DISK:
        return domainFindDisk(def, dev->data.disk->dst);
    case DEVICE_MEMBALLOON:
        return def->memballoon ? 0 : -1;
    case DEVICE_NET:
        if (dev->data.net->macSet && !dev->data.net->info.alias) {
            char mac[18];

            domainMacFormat(dev->data.net->mac, mac);
            return domainFindNet(def, mac);
        }
        break;
    default:
        break;
    }
    list = domainDeviceList((DomainDef *)def, dev->kind, dev->data.chr, &n);
    for (i = 0; list && i < *n; i++) {
        DomainDevice cand = { .kind = dev->kind };

        cand.data.ptr = (*list)[i];
        if (domainDeviceMatches(dev, &cand))
            return (int)i;
    }
    return -1;
}

int
domainDeviceFind(const DomainDef *def, const DomainDevice *dev)
{
    int idx = domainDeviceSearch(def, dev);

    if (idx < 0) {
        const char *kind = dev->kind == DEVICE_CHR ?
            domainChrKindNames[dev->data.chr->kind] :
            domainDeviceKindNames[dev->kind];

        reportError(VIR_ERR_DEVICE_MISSING, "no matching <%s> device in "
                    "domain '%s'", kind, def->name ? def->name : "");
    }
    return idx;
}

DomainDevice *
domainDeviceDetach(DomainDef *def, const DomainDevice *dev, int idx)
{
    DomainDevice *ret;
    size_t *n = NULL;
    void ***list;

    ALLOC(ret);
    ret->kind = dev->kind;
    if (dev->kind == DEVICE_MEMBALLOON) {
        ret->data.memballoon = def->memballoon;
        def->memballoon = NULL;
        return ret;
    }
    list = domainDeviceList(def, dev->kind, dev->data.chr, &n);
    if (!list || idx < 0 || (size_t)idx >= *n) {
        free(ret);
        return NULL;
    }
    ret->data.ptr = (*list)[idx];
    memmove(*list + idx, *list + idx + 1,
            (*n - (size_t)idx - 1) * sizeof(void *));
    (*n)--;
    return ret;
}

int
domainDeviceAttach(DomainDef *def, DomainDevice *dev)
{
    if (deviceDefaults(def, dev) < 0)
        return -1;
    if (dev->kind == DEVICE_DISK && domainDeviceSearch(def, dev) >= 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "<disk> target '%s' already "
                    "exists in domain '%s'", dev->data.disk->dst, def->name);
        return -1;
    }
    if (dev->kind == DEVICE_MEMBALLOON && def->memballoon) {
        reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already has a "
                    "<memballoon>", def->name);
        return -1;
    }
    domainDefaultsAppend(def, dev);
    free(dev);
    domainDefaultsImplicit(def);
    return 0;
}

int
domainDeviceForEach(const DomainDef *def, DomainDeviceFn fn, void *opaque)
{
    DomainDevice dev;
    size_t i;
    int rc;

#define EACH(list, n, k) \
    for (i = 0; i < def->n; i++) { \
        dev.kind = k; \
        dev.data.ptr = def->list[i]; \
        if ((rc = fn(&dev, i, opaque)) != 0) \
            return rc; \
    }
    EACH(disks, ndisks, DEVICE_DISK);
    EACH(controllers, ncontrollers, DEVICE_CONTROLLER);
    EACH(nets, nnets, DEVICE_NET);
    EACH(serials, nserials, DEVICE_CHR);
    EACH(parallels, nparallels, DEVICE_CHR);
    EACH(consoles, nconsoles, DEVICE_CHR);
    EACH(channels, nchannels, DEVICE_CHR);
    EACH(inputs, ninputs, DEVICE_INPUT);
    EACH(tpms, ntpms, DEVICE_TPM);
    EACH(graphics, ngraphics, DEVICE_GRAPHICS);
    EACH(sounds, nsounds, DEVICE_SOUND);
    EACH(videos, nvideos, DEVICE_VIDEO);
    EACH(hostdevs, nhostdevs, DEVICE_HOSTDEV);
    EACH(watchdogs, nwatchdogs, DEVICE_WATCHDOG);
#undef EACH
    if (def->memballoon) {
        dev.kind = DEVICE_MEMBALLOON;
        dev.data.memballoon = def->memballoon;
        if ((rc = fn(&dev, 0, opaque)) != 0)
            return rc;
    }
    for (i = 0; i < def->nrngs; i++) {
        dev.kind = DEVICE_RNG;
        dev.data.rng = def->rngs[i];
        if ((rc = fn(&dev, i, opaque)) != 0)
            return rc;
    }
    return 0;
}

typedef struct {
    const char *alias;
    DomainDevice *out;
    int idx;
} AliasSearch;

static int
domainAliasMatch(DomainDevice *dev, size_t idx, void *opaque)
{
    AliasSearch *s = opaque;
    const DeviceInfo *info = domainDeviceInfo(dev);

    if (!info || !info->alias || strcmp(info->alias, s->alias) != 0)
        return 0;
    *s->out = *dev;
    s->idx = (int)idx;
    return 1;
}

int
domainFindByAlias(const DomainDef *def, const char *alias,
                  DomainDevice *out)
{
    AliasSearch s = { alias, out, -1 };

    if (alias)
        domainDeviceForEach(def, domainAliasMatch, &s);
    return s.idx;
}
