/* domain_format.c: DomainDef to the <domain> element */
#include "domain_priv.h"
#include "device.h"
#include "alloc.h"
#include "uuid.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

typedef void (*TopFormatter)(Buf *b, const DomainDef *def, unsigned int flags);

static void
domainFormatKiB(Buf *b, const char *name, unsigned long long kib)
{
    bufLine(b, "<%s unit='KiB'>%llu</%s>\n", name, kib, name);
}

static void
domainFormatName(Buf *b, const DomainDef *def, unsigned int flags)
{
    xmlconfTextElem(b, "name", def->name);
}

static void
domainFormatUuid(Buf *b, const DomainDef *def, unsigned int flags)
{
    char uuid[UUID_STRLEN];

    uuidFormat(def->uuid, uuid);
    bufLine(b, "<uuid>%s</uuid>\n", uuid);
}

static void
domainFormatGenid(Buf *b, const DomainDef *def, unsigned int flags)
{
    char uuid[UUID_STRLEN];

    if (!def->hasGenid)
        return;
    uuidFormat(def->genid, uuid);
    bufLine(b, "<genid>%s</genid>\n", uuid);
}

static void
domainFormatTitle(Buf *b, const DomainDef *def, unsigned int flags)
{
    xmlconfTextElem(b, "title", def->title);
}

static void
domainFormatDescription(Buf *b, const DomainDef *def, unsigned int flags)
{
    xmlconfTextElem(b, "description", def->description);
}

static void
domainFormatMetadata(Buf *b, const DomainDef *def, unsigned int flags)
{
    size_t i;

    if (def->nmetadata == 0)
        return;
    bufLine(b, "<metadata>\n");
    bufIndent(b, 2);
    for (i = 0; i < def->nmetadata; i++)
        xtreeFormat(b, def->metadata[i], NULL);
    bufIndent(b, -2);
    bufLine(b, "</metadata>\n");
}

static void
domainFormatMaxMemory(Buf *b, const DomainDef *def, unsigned int flags)
{
    if (def->maxMemory == 0)
        return;
    bufLine(b, "<maxMemory slots='%u' unit='KiB'>%llu</maxMemory>\n",
            def->memorySlots, def->maxMemory);
}

static void
domainFormatMemory(Buf *b, const DomainDef *def, unsigned int flags)
{
    bufLine(b, "<memory unit='KiB'");
    xtreeFormatAttrs(b, def->memoryExtra.attrs, def->memoryExtra.nattrs);
    bufPrintf(b, ">%llu</memory>\n", def->memory);
}

static void
domainFormatCurMemory(Buf *b, const DomainDef *def, unsigned int flags)
{
    domainFormatKiB(b, "currentMemory", def->curMemory);
}

static void
domainFormatBlkio(Buf *b, const DomainDef *def, unsigned int flags)
{
    const BlkioTune *bt = &def->blkiotune;
    size_t i;

    if (!bt->present)
        return;
    bufLine(b, "<blkiotune>\n");
    bufIndent(b, 2);
    if (bt->weight)
        bufLine(b, "<weight>%u</weight>\n", bt->weight);
    for (i = 0; i < bt->ndevices; i++) {
        const BlkioDevice *d = &bt->devices[i];

        bufLine(b, "<device>\n");
        bufIndent(b, 2);
        xmlconfTextElem(b, "path", d->path);
        if (d->weight)
            bufLine(b, "<weight>%u</weight>\n", d->weight);
        if (d->readBytesSec)
            bufLine(b, "<read_bytes_sec>%llu</read_bytes_sec>\n",
                    d->readBytesSec);
        if (d->writeBytesSec)
            bufLine(b, "<write_bytes_sec>%llu</write_bytes_sec>\n",
                    d->writeBytesSec);
        if (d->readIopsSec)
            bufLine(b, "<read_iops_sec>%llu</read_iops_sec>\n",
                    d->readIopsSec);
        if (d->writeIopsSec)
            bufLine(b, "<write_iops_sec>%llu</write_iops_sec>\n",
                    d->writeIopsSec);
        bufIndent(b, -2);
        bufLine(b, "</device>\n");
    }
    bufIndent(b, -2);
    bufLine(b, "</blkiotune>\n");
}

static void
domainFormatMemtune(Buf *b, const DomainDef *def, unsigned int flags)
{
    const MemTune *mt = &def->memtune;

    if (!mt->present)
        return;
    bufLine(b, "<memtune>\n");
    bufIndent(b, 2);
    if (mt->hardLimit)
        domainFormatKiB(b, "hard_limit", mt->hardLimit);
    if (mt->softLimit)
        domainFormatKiB(b, "soft_limit", mt->softLimit);
    if (mt->swapHardLimit)
        domainFormatKiB(b, "swap_hard_limit", mt->swapHardLimit);
    if (mt->minGuarantee)
        domainFormatKiB(b, "min_guarantee", mt->minGuarantee);
    bufIndent(b, -2);
    bufLine(b, "</memtune>\n");
}

static void
domainFormatVcpu(Buf *b, const DomainDef *def, unsigned int flags)
{
    bufLine(b, "<vcpu");
    xmlconfAttr(b, "placement", def->vcpuPlacement);
    xmlconfAttr(b, "cpuset", def->cpuset);
    if (def->curVcpus != def->vcpus)
        bufPrintf(b, " current='%u'", def->curVcpus);
    bufPrintf(b, ">%u</vcpu>\n", def->vcpus);
}

static void
domainFormatIothreads(Buf *b, const DomainDef *def, unsigned int flags)
{
    if (def->iothreads)
        bufLine(b, "<iothreads>%u</iothreads>\n", def->iothreads);
}

static void
domainFormatPins(Buf *b, const char *name, const char *idattr,
                 const CpuPin *pins, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        bufLine(b, "<%s %s='%u'", name, idattr, pins[i].vcpu);
        xmlconfAttr(b, "cpuset", pins[i].cpuset);
        bufAdd(b, "/>\n");
    }
}

static void
domainFormatCputune(Buf *b, const DomainDef *def, unsigned int flags)
{
    const CpuTune *ct = &def->cputune;

    if (!ct->present)
        return;
    bufLine(b, "<cputune>\n");
    bufIndent(b, 2);
    if (ct->shares)
        bufLine(b, "<shares>%llu</shares>\n", ct->shares);
    if (ct->period)
        bufLine(b, "<period>%llu</period>\n", ct->period);
    if (ct->quota)
        bufLine(b, "<quota>%lld</quota>\n", ct->quota);
    if (ct->globalPeriod)
        bufLine(b, "<global_period>%llu</global_period>\n", ct->globalPeriod);
    if (ct->globalQuota)
        bufLine(b, "<global_quota>%lld</global_quota>\n", ct->globalQuota);
    if (ct->emulatorPeriod)
        bufLine(b, "<emulator_period>%llu</emulator_period>\n",
                ct->emulatorPeriod);
    if (ct->emulatorQuota)
        bufLine(b, "<emulator_quota>%lld</emulator_quota>\n",
                ct->emulatorQuota);
    if (ct->iothreadPeriod)
        bufLine(b, "<iothread_period>%llu</iothread_period>\n",
                ct->iothreadPeriod);
    if (ct->iothreadQuota)
        bufLine(b, "<iothread_quota>%lld</iothread_quota>\n",
                ct->iothreadQuota);
    domainFormatPins(b, "vcpupin", "vcpu", ct->vcpupin, ct->nvcpupin);
    if (ct->emulatorpin) {
        bufLine(b, "<emulatorpin");
        xmlconfAttr(b, "cpuset", ct->emulatorpin);
        bufAdd(b, "/>\n");
    }
    domainFormatPins(b, "iothreadpin", "iothread", ct->iothreadpin,
                     ct->niothreadpin);
    xmlconfClose(b, "cputune", &ct->extra);
}

static void
domainFormatNumatune(Buf *b, const DomainDef *def, unsigned int flags)
{
    const NumaTune *nt = &def->numatune;

    if (!nt->present)
        return;
    bufLine(b, "<numatune>\n");
    bufIndent(b, 2);
    if (nt->mode || nt->nodeset || nt->placement) {
        bufLine(b, "<memory");
        xmlconfAttr(b, "mode", nt->mode);
        xmlconfAttr(b, "nodeset", nt->nodeset);
        xmlconfAttr(b, "placement", nt->placement);
        bufAdd(b, "/>\n");
    }
    xmlconfClose(b, "numatune", &nt->extra);
}

static void
domainFormatOsFirmware(Buf *b, const OsDef *o)
{
    if (o->hasLoader) {
        bufLine(b, "<loader");
        xmlconfAttrTri(b, "readonly", o->loaderReadonly);
        xmlconfAttrTri(b, "secure", o->loaderSecure);
        xmlconfAttr(b, "type", o->loaderType);
        if (o->loader && o->loaderExtra.nkids == 0) {
            xtreeFormatAttrs(b, o->loaderExtra.attrs, o->loaderExtra.nattrs);
            bufAdd(b, ">");
            bufAddEscaped(b, o->loader);
            bufAdd(b, "</loader>\n");
        } else {
            xmlconfEnd(b, "loader", &o->loaderExtra);
        }
    }
    if (o->hasNvram) {
        bufLine(b, "<nvram");
        xmlconfAttr(b, "template", o->nvramTemplate);
        if (o->nvram && o->nvramExtra.nkids == 0) {
            xtreeFormatAttrs(b, o->nvramExtra.attrs, o->nvramExtra.nattrs);
            bufAdd(b, ">");
            bufAddEscaped(b, o->nvram);
            bufAdd(b, "</nvram>\n");
        } else {
            xmlconfEnd(b, "nvram", &o->nvramExtra);
        }
    }
}

static void
domainFormatOs(Buf *b, const DomainDef *def, unsigned int flags)
{
    const OsDef *o = &def->os;
    size_t i;

    bufLine(b, "<os>\n");
    bufIndent(b, 2);
    bufLine(b, "<type");
    xmlconfAttr(b, "arch", o->arch);
    xmlconfAttr(b, "machine", o->machine);
    xtreeFormatAttrs(b, o->typeExtra.attrs, o->typeExtra.nattrs);
    bufAdd(b, ">");
    bufAddEscaped(b, o->type ? o->type : "");
    bufAdd(b, "</type>\n");
    domainFormatOsFirmware(b, o);
    xmlconfTextElem(b, "kernel", o->kernel);
    xmlconfTextElem(b, "initrd", o->initrd);
    xmlconfTextElem(b, "cmdline", o->cmdline);
    xmlconfTextElem(b, "dtb", o->dtb);
    for (i = 0; i < o->nboot; i++)
        bufLine(b, "<boot dev='%s'/>\n", domainBootNames[o->boot[i]]);
    if (o->bootmenu != TRI_ABSENT || o->bootmenuExtra.nattrs) {
        bufLine(b, "<bootmenu");
        xmlconfAttrTri(b, "enable", o->bootmenu);
        xmlconfEnd(b, "bootmenu", &o->bootmenuExtra);
    }
    xmlconfClose(b, "os", &o->extra);
}

static void
domainFormatCarriedNode(Buf *b, const XNode *node)
{
    if (node)
        xtreeFormat(b, node, NULL);
}

static void
domainFormatFeatures(Buf *b, const DomainDef *def, unsigned int flags)
{
    domainFormatCarriedNode(b, def->features);
}

static void
domainFormatCpu(Buf *b, const DomainDef *def, unsigned int flags)
{
    const CpuDef *cpu = &def->cpu;

    if (!cpu->present)
        return;
    bufLine(b, "<cpu");
    xmlconfAttr(b, "mode", cpu->mode);
    xmlconfAttr(b, "match", cpu->match);
    xmlconfAttr(b, "check", cpu->check);
    xmlconfAttr(b, "migratable", cpu->migratable);
    xtreeFormatAttrs(b, cpu->extra.attrs, cpu->extra.nattrs);
    if (!cpu->model && cpu->extra.nkids == 0) {
        bufAdd(b, "/>\n");
        return;
    }
    bufAdd(b, ">\n");
    bufIndent(b, 2);
    if (cpu->model) {
        bufLine(b, "<model");
        xmlconfAttr(b, "fallback", cpu->modelFallback);
        xtreeFormatAttrs(b, cpu->modelExtra.attrs, cpu->modelExtra.nattrs);
        bufAdd(b, ">");
        bufAddEscaped(b, cpu->model);
        bufAdd(b, "</model>\n");
    }
    xmlconfClose(b, "cpu", &cpu->extra);
}

static void
domainFormatClock(Buf *b, const DomainDef *def, unsigned int flags)
{
    if (!def->clock.present)
        return;
    bufLine(b, "<clock");
    xmlconfAttr(b, "offset", def->clock.offset);
    xmlconfEnd(b, "clock", &def->clock.extra);
}

static void
domainFormatOnPoweroff(Buf *b, const DomainDef *def, unsigned int flags)
{
    xmlconfTextElem(b, "on_poweroff", domainLifecycleNames[def->onPoweroff]);
}

static void
domainFormatOnReboot(Buf *b, const DomainDef *def, unsigned int flags)
{
    xmlconfTextElem(b, "on_reboot", domainLifecycleNames[def->onReboot]);
}

static void
domainFormatOnCrash(Buf *b, const DomainDef *def, unsigned int flags)
{
    xmlconfTextElem(b, "on_crash", domainLifecycleNames[def->onCrash]);
}

static void
domainFormatPm(Buf *b, const DomainDef *def, unsigned int flags)
{
    domainFormatCarriedNode(b, def->pm);
}

static void
domainFormatPerf(Buf *b, const DomainDef *def, unsigned int flags)
{
    domainFormatCarriedNode(b, def->perf);
}

/* The device lists in the order they appear inside <devices>. */
static void
domainFormatDeviceLists(Buf *b, const DomainDef *def, unsigned int flags)
{
    size_t i;

#define EACH(list, n, fn) \
    for (i = 0; i < def->n; i++) \
        fn(b, def->list[i], flags)
    EACH(disks, ndisks, deviceFormatDisk);
    EACH(controllers, ncontrollers, deviceFormatController);
    EACH(nets, nnets, deviceFormatNet);
    EACH(serials, nserials, deviceFormatChr);
    EACH(parallels, nparallels, deviceFormatChr);
    EACH(consoles, nconsoles, deviceFormatChr);
    EACH(channels, nchannels, deviceFormatChr);
    EACH(inputs, ninputs, deviceFormatInput);
    EACH(tpms, ntpms, deviceFormatTpm);
    EACH(graphics, ngraphics, deviceFormatGraphics);
    EACH(sounds, nsounds, deviceFormatSound);
    EACH(videos, nvideos, deviceFormatVideo);
    EACH(hostdevs, nhostdevs, deviceFormatHostdev);
    EACH(watchdogs, nwatchdogs, deviceFormatWatchdog);
    if (def->memballoon)
        deviceFormatMemballoon(b, def->memballoon, flags);
    EACH(rngs, nrngs, deviceFormatRng);
#undef EACH
    for (i = 0; i < def->ndevUnknown; i++)
        domainFormatCarriedNode(b, def->devUnknown[i]);
}

static void
domainFormatDevices(Buf *b, const DomainDef *def, unsigned int flags)
{
    bufLine(b, "<devices>\n");
    bufIndent(b, 2);
    xmlconfTextElem(b, "emulator", def->emulator);
    domainFormatDeviceLists(b, def, flags);
    bufIndent(b, -2);
    bufLine(b, "</devices>\n");
}

static const struct {
    const char *name;
    TopFormatter fn;
} domainFormatters[] = {
    { "name", domainFormatName }, { "uuid", domainFormatUuid },
    { "genid", domainFormatGenid }, { "title", domainFormatTitle },
    { "description", domainFormatDescription },
    { "metadata", domainFormatMetadata },
    { "maxMemory", domainFormatMaxMemory }, { "memory", domainFormatMemory },
    { "currentMemory", domainFormatCurMemory },
    { "blkiotune", domainFormatBlkio }, { "memtune", domainFormatMemtune },
    { "vcpu", domainFormatVcpu }, { "iothreads", domainFormatIothreads },
    { "cputune", domainFormatCputune }, { "numatune", domainFormatNumatune },
    { "os", domainFormatOs }, { "features", domainFormatFeatures },
    { "cpu", domainFormatCpu }, { "clock", domainFormatClock },
    { "on_poweroff", domainFormatOnPoweroff },
    { "on_reboot", domainFormatOnReboot }, { "on_crash", domainFormatOnCrash },
    { "pm", domainFormatPm }, { "perf", domainFormatPerf },
    { "devices", domainFormatDevices },
};

static void
domainFormatElement(Buf *b, const DomainDef *def, const TopElement *top,
                    unsigned int flags)
{
    size_t i;

    if (top->kind == TOP_CARRIED) {
        for (i = 0; i < def->ncarried; i++) {
            if (strcmp(def->carried[i]->name, top->name) == 0)
                xtreeFormat(b, def->carried[i], NULL);
        }
        return;
    }
    for (i = 0; i < sizeof(domainFormatters) / sizeof(domainFormatters[0]);
         i++) {
        if (strcmp(domainFormatters[i].name, top->name) == 0) {
            domainFormatters[i].fn(b, def, flags);
            return;
        }
    }
}

void
domainFormatTree(Buf *b, const DomainDef *def, unsigned int flags)
{
    size_t i;

    bufLine(b, "<domain type='%s'", def->virtType ? def->virtType : "none");
    if (def->id >= 0 && !(flags & VIR_DOMAIN_XML_INACTIVE))
        bufPrintf(b, " id='%d'", def->id);
    bufAdd(b, ">\n");
    bufIndent(b, 2);
    for (i = 0; domainTopElements[i].name; i++)
        domainFormatElement(b, def, &domainTopElements[i], flags);
    for (i = 0; i < def->nunknown; i++)
        xtreeFormat(b, def->unknown[i], NULL);
    bufIndent(b, -2);
    bufLine(b, "</domain>\n");
}
