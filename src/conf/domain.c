/* domain.c: the domain model's entry points: parse, format, free, lookups */
#include "domain_priv.h"
#include "device.h"
#include "alloc.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#define ERROR_DOMAIN VIR_FROM_DOMAIN

#define DOMAIN_PARSE_FLAGS (VIR_DOMAIN_DEFINE_VALIDATE | DOMAIN_PARSE_LIVE)

DomainDef *
domainDefParse(const char *xml, unsigned int flags)
{
    XNode *root = NULL;
    DomainDef *def = NULL;

    if (!(root = xtreeParse(xml, VIR_FROM_DOMAIN)))
        return NULL;
    ALLOC(def);
    def->id = -1;
    def->onReboot = LIFECYCLE_RESTART;
    if (domainParseTree(root, def, flags & DOMAIN_PARSE_FLAGS) < 0 ||
        domainDefaultsApply(def) < 0) {
        domainDefFree(def);
        def = NULL;
    }
    xtreeFree(root);
    return def;
}

char *
domainDefFormat(const DomainDef *def, unsigned int flags)
{
    Buf b = { 0 };

    domainFormatTree(&b, def, flags);
    return bufTake(&b);
}

int
domainDefPostParse(DomainDef *def)
{
    return domainDefaultsApply(def);
}

static void
domainNodesFree(XNode **nodes, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        xtreeFree(nodes[i]);
    free(nodes);
}

static void
domainPinsFree(CpuPin *pins, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(pins[i].cpuset);
    free(pins);
}

static void
domainTunesFree(DomainDef *def)
{
    size_t i;

    domainPinsFree(def->cputune.vcpupin, def->cputune.nvcpupin);
    domainPinsFree(def->cputune.iothreadpin, def->cputune.niothreadpin);
    free(def->cputune.emulatorpin);
    xtreeExtraFree(&def->cputune.extra);
    for (i = 0; i < def->blkiotune.ndevices; i++)
        free(def->blkiotune.devices[i].path);
    free(def->blkiotune.devices);
    free(def->numatune.mode);
    free(def->numatune.nodeset);
    free(def->numatune.placement);
    xtreeExtraFree(&def->numatune.extra);
}

static void
domainOsFree(OsDef *os)
{
    free(os->type);
    free(os->arch);
    free(os->machine);
    free(os->boot);
    xtreeExtraFree(&os->bootmenuExtra);
    free(os->kernel);
    free(os->initrd);
    free(os->cmdline);
    free(os->dtb);
    free(os->loader);
    free(os->loaderType);
    xtreeExtraFree(&os->loaderExtra);
    free(os->nvram);
    free(os->nvramTemplate);
    xtreeExtraFree(&os->nvramExtra);
    xtreeExtraFree(&os->typeExtra);
    xtreeExtraFree(&os->extra);
}

static void
domainCpuClockFree(DomainDef *def)
{
    free(def->cpu.mode);
    free(def->cpu.match);
    free(def->cpu.check);
    free(def->cpu.migratable);
    free(def->cpu.model);
    free(def->cpu.modelFallback);
    xtreeExtraFree(&def->cpu.modelExtra);
    xtreeExtraFree(&def->cpu.extra);
    free(def->clock.offset);
    xtreeExtraFree(&def->clock.extra);
    xtreeFree(def->features);
    xtreeFree(def->pm);
    xtreeFree(def->perf);
}

static void
domainDevicesFree(DomainDef *def)
{
    size_t i;

#define EACH(list, n, fn) \
    for (i = 0; i < def->n; i++) \
        fn(def->list[i]); \
    free(def->list)
    EACH(disks, ndisks, deviceDiskFree);
    EACH(controllers, ncontrollers, deviceControllerFree);
    EACH(nets, nnets, deviceNetFree);
    EACH(serials, nserials, deviceChrFree);
    EACH(parallels, nparallels, deviceChrFree);
    EACH(consoles, nconsoles, deviceChrFree);
    EACH(channels, nchannels, deviceChrFree);
    EACH(inputs, ninputs, deviceInputFree);
    EACH(tpms, ntpms, deviceTpmFree);
    EACH(graphics, ngraphics, deviceGraphicsFree);
    EACH(sounds, nsounds, deviceSoundFree);
    EACH(videos, nvideos, deviceVideoFree);
    EACH(hostdevs, nhostdevs, deviceHostdevFree);
    EACH(watchdogs, nwatchdogs, deviceWatchdogFree);
    EACH(rngs, nrngs, deviceRngFree);
#undef EACH
    deviceMemballoonFree(def->memballoon);
    free(def->emulator);
}

void
domainDefFree(DomainDef *def)
{
    if (!def)
        return;
    free(def->virtType);
    free(def->name);
    free(def->title);
    free(def->description);
    domainNodesFree(def->metadata, def->nmetadata);
    xtreeExtraFree(&def->memoryExtra);
    free(def->vcpuPlacement);
    free(def->cpuset);
    domainTunesFree(def);
    domainOsFree(&def->os);
    domainCpuClockFree(def);
    domainDevicesFree(def);
    domainNodesFree(def->carried, def->ncarried);
    domainNodesFree(def->unknown, def->nunknown);
    domainNodesFree(def->devUnknown, def->ndevUnknown);
    free(def);
}

void
domainMacFormat(const unsigned char *mac, char *out)
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

int
domainMacParse(const char *str, unsigned char *mac)
{
    size_t i;

    for (i = 0; i < DOMAIN_MAC_LEN; i++) {
        char *end = NULL;
        unsigned long v;

        if (!((str[0] >= '0' && str[0] <= '9') ||
              (str[0] >= 'a' && str[0] <= 'f') ||
              (str[0] >= 'A' && str[0] <= 'F')))
            return -1;
        v = strtoul(str, &end, 16);
        if (v > 0xff || end - str > 2)
            return -1;
        mac[i] = (unsigned char)v;
        if (i < DOMAIN_MAC_LEN - 1 && *end != ':')
            return -1;
        if (i == DOMAIN_MAC_LEN - 1 && *end != '\0')
            return -1;
        str = end + 1;
    }
    return 0;
}

int
domainFindDisk(const DomainDef *def, const char *dstOrPath)
{
    size_t i;

    if (!dstOrPath)
        return -1;
    for (i = 0; i < def->ndisks; i++) {
        if (strcmp(def->disks[i]->dst, dstOrPath) == 0)
            return (int)i;
    }
    for (i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->srcPath &&
            strcmp(def->disks[i]->srcPath, dstOrPath) == 0)
            return (int)i;
    }
    return -1;
}

int
domainFindNet(const DomainDef *def, const char *macOrIfname)
{
    unsigned char mac[DOMAIN_MAC_LEN];
    bool isMac;
    size_t i;

    if (!macOrIfname)
        return -1;
    isMac = domainMacParse(macOrIfname, mac) == 0;
    for (i = 0; i < def->nnets; i++) {
        const NetDef *net = def->nets[i];

        if (isMac && net->macSet &&
            memcmp(net->mac, mac, DOMAIN_MAC_LEN) == 0)
            return (int)i;
        if (!isMac && net->ifname && strcmp(net->ifname, macOrIfname) == 0)
            return (int)i;
    }
    return -1;
}
