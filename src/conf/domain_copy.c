/* domain_copy.c: deep copies of definitions and devices, field by field */
#include "domain_priv.h"
#include "device.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * Every copy below first copies its struct by value (so numbers, enums,
 * flags and embedded arrays come along without being named), then replaces
 * each owned pointer by a copy of what it points to. A pointer left out
 * here stays shared with the original: the copy tests free the original
 * before formatting the copy, so valgrind reports it.
 */

/* A new block holding the SIZE bytes at SRC. */
static void *
copyBytes(const void *src, size_t size)
{
    void *ret = allocZero(size);

    memcpy(ret, src, size);
    return ret;
}

/* A copy of the N elements of SIZE bytes at SRC (NULL when empty). */
static void *
copyArray(const void *src, size_t n, size_t size)
{
    return n ? copyBytes(src, n * size) : NULL;
}

/* Replace the array LIST of N pointers by a new array of FN's copies. */
#define COPY_LIST(list, n, fn) \
    do { \
        __typeof__(list) from_ = (list); \
        size_t i_; \
        (list) = copyArray(from_, (n), sizeof(*from_)); \
        for (i_ = 0; i_ < (n); i_++) \
            (list)[i_] = fn(from_[i_]); \
    } while (0)

static void
copyStr(char **s)
{
    *s = allocStrdup(*s);
}

static void
copyExtra(XExtra *extra)
{
    XExtra from = *extra;

    xtreeExtraCopy(extra, &from);
}

static void
copyNode(XNode **node)
{
    *node = xtreeCopy(*node);
}

static void
copyInfo(DeviceInfo *info)
{
    copyStr(&info->alias);
    copyStr(&info->addr.typeName);
    copyExtra(&info->addr.extra);
}

static void *
copyDisk(const void *src)
{
    DiskDef *disk = copyBytes(src, sizeof(*disk));

    copyStr(&disk->driverName);
    copyStr(&disk->driverType);
    copyExtra(&disk->driverExtra);
    copyStr(&disk->srcPath);
    copyExtra(&disk->srcExtra);
    copyNode(&disk->backingStore);
    copyStr(&disk->dst);
    copyExtra(&disk->targetExtra);
    copyExtra(&disk->iotune.extra);
    copyStr(&disk->serial);
    copyInfo(&disk->info);
    copyExtra(&disk->extra);
    return disk;
}

static void *
copyController(const void *src)
{
    ControllerDef *ctrl = copyBytes(src, sizeof(*ctrl));

    copyStr(&ctrl->type);
    copyStr(&ctrl->model);
    copyInfo(&ctrl->info);
    copyExtra(&ctrl->extra);
    return ctrl;
}

static void *
copyNet(const void *src)
{
    NetDef *net = copyBytes(src, sizeof(*net));

    copyStr(&net->source);
    copyStr(&net->sourceMode);
    copyExtra(&net->srcExtra);
    copyStr(&net->model);
    copyStr(&net->ifname);
    copyStr(&net->linkState);
    copyInfo(&net->info);
    copyExtra(&net->extra);
    return net;
}

static void *
copyChr(const void *src)
{
    ChrDef *chr = copyBytes(src, sizeof(*chr));

    copyStr(&chr->srcPath);
    copyStr(&chr->srcMode);
    copyExtra(&chr->srcExtra);
    copyStr(&chr->targetType);
    copyStr(&chr->targetName);
    copyExtra(&chr->targetExtra);
    copyInfo(&chr->info);
    copyExtra(&chr->extra);
    return chr;
}

static void *
copyGraphics(const void *src)
{
    GraphicsDef *gr = copyBytes(src, sizeof(*gr));

    copyStr(&gr->listen);
    copyStr(&gr->passwd);
    copyStr(&gr->keymap);
    copyExtra(&gr->extra);
    return gr;
}

static void *
copyVideo(const void *src)
{
    VideoDef *video = copyBytes(src, sizeof(*video));

    copyStr(&video->model);
    copyExtra(&video->modelExtra);
    copyInfo(&video->info);
    copyExtra(&video->extra);
    return video;
}

static void *
copyInput(const void *src)
{
    InputDef *input = copyBytes(src, sizeof(*input));

    copyStr(&input->type);
    copyStr(&input->bus);
    copyInfo(&input->info);
    copyExtra(&input->extra);
    return input;
}

static void *
copySound(const void *src)
{
    SoundDef *sound = copyBytes(src, sizeof(*sound));

    copyStr(&sound->model);
    copyInfo(&sound->info);
    copyExtra(&sound->extra);
    return sound;
}

static void *
copyMemballoon(const void *src)
{
    MemballoonDef *mb = copyBytes(src, sizeof(*mb));

    copyStr(&mb->model);
    copyInfo(&mb->info);
    copyExtra(&mb->extra);
    return mb;
}

static void *
copyWatchdog(const void *src)
{
    WatchdogDef *wd = copyBytes(src, sizeof(*wd));

    copyStr(&wd->model);
    copyStr(&wd->action);
    copyInfo(&wd->info);
    copyExtra(&wd->extra);
    return wd;
}

static void *
copyRng(const void *src)
{
    RngDef *rng = copyBytes(src, sizeof(*rng));

    copyStr(&rng->model);
    copyStr(&rng->backendModel);
    copyStr(&rng->backendPath);
    copyExtra(&rng->backendExtra);
    copyInfo(&rng->info);
    copyExtra(&rng->extra);
    return rng;
}

static void *
copyTpm(const void *src)
{
    TpmDef *tpm = copyBytes(src, sizeof(*tpm));

    copyStr(&tpm->model);
    copyStr(&tpm->backendType);
    copyStr(&tpm->backendVersion);
    copyExtra(&tpm->backendExtra);
    copyInfo(&tpm->info);
    copyExtra(&tpm->extra);
    return tpm;
}

static void *
copyHostdev(const void *src)
{
    HostdevDef *hd = copyBytes(src, sizeof(*hd));

    copyStr(&hd->mode);
    copyStr(&hd->type);
    copyInfo(&hd->info);
    copyExtra(&hd->extra);
    return hd;
}

typedef void *(*CopyFn)(const void *src);

/* The copier of each device kind. */
static const CopyFn copyDevice[DEVICE_LAST] = {
    [DEVICE_DISK] = copyDisk,
    [DEVICE_CONTROLLER] = copyController,
    [DEVICE_NET] = copyNet,
    [DEVICE_CHR] = copyChr,
    [DEVICE_GRAPHICS] = copyGraphics,
    [DEVICE_VIDEO] = copyVideo,
    [DEVICE_INPUT] = copyInput,
    [DEVICE_SOUND] = copySound,
    [DEVICE_MEMBALLOON] = copyMemballoon,
    [DEVICE_WATCHDOG] = copyWatchdog,
    [DEVICE_RNG] = copyRng,
    [DEVICE_TPM] = copyTpm,
    [DEVICE_HOSTDEV] = copyHostdev,
};

static CpuPin *
copyPins(const CpuPin *from, size_t n)
{
    CpuPin *pins = copyArray(from, n, sizeof(*pins));
    size_t i;

    for (i = 0; i < n; i++)
        copyStr(&pins[i].cpuset);
    return pins;
}

static void
copyTunes(DomainDef *def)
{
    size_t i;

    def->cputune.vcpupin = copyPins(def->cputune.vcpupin,
                                    def->cputune.nvcpupin);
    copyStr(&def->cputune.emulatorpin);
    def->cputune.iothreadpin = copyPins(def->cputune.iothreadpin,
                                        def->cputune.niothreadpin);
    copyExtra(&def->cputune.extra);
    def->blkiotune.devices = copyArray(def->blkiotune.devices,
                                       def->blkiotune.ndevices,
                                       sizeof(*def->blkiotune.devices));
    for (i = 0; i < def->blkiotune.ndevices; i++)
        copyStr(&def->blkiotune.devices[i].path);
    copyStr(&def->numatune.mode);
    copyStr(&def->numatune.nodeset);
    copyStr(&def->numatune.placement);
    copyExtra(&def->numatune.extra);
}

static void
copyOs(OsDef *os)
{
    copyStr(&os->type);
    copyStr(&os->arch);
    copyStr(&os->machine);
    os->boot = copyArray(os->boot, os->nboot, sizeof(*os->boot));
    copyExtra(&os->bootmenuExtra);
    copyStr(&os->kernel);
    copyStr(&os->initrd);
    copyStr(&os->cmdline);
    copyStr(&os->dtb);
    copyStr(&os->loader);
    copyStr(&os->loaderType);
    copyExtra(&os->loaderExtra);
    copyStr(&os->nvram);
    copyStr(&os->nvramTemplate);
    copyExtra(&os->nvramExtra);
    copyExtra(&os->typeExtra);
    copyExtra(&os->extra);
}

static void
copyCpuClock(DomainDef *def)
{
    copyStr(&def->cpu.mode);
    copyStr(&def->cpu.match);
    copyStr(&def->cpu.check);
    copyStr(&def->cpu.migratable);
    copyStr(&def->cpu.model);
    copyStr(&def->cpu.modelFallback);
    copyExtra(&def->cpu.modelExtra);
    copyExtra(&def->cpu.extra);
    copyStr(&def->clock.offset);
    copyExtra(&def->clock.extra);
    copyNode(&def->features);
    copyNode(&def->pm);
    copyNode(&def->perf);
}

static void
copyAllDevices(DomainDef *def)
{
    copyStr(&def->emulator);
    COPY_LIST(def->disks, def->ndisks, copyDisk);
    COPY_LIST(def->controllers, def->ncontrollers, copyController);
    COPY_LIST(def->nets, def->nnets, copyNet);
    COPY_LIST(def->serials, def->nserials, copyChr);
    COPY_LIST(def->parallels, def->nparallels, copyChr);
    COPY_LIST(def->consoles, def->nconsoles, copyChr);
    COPY_LIST(def->channels, def->nchannels, copyChr);
    COPY_LIST(def->inputs, def->ninputs, copyInput);
    COPY_LIST(def->tpms, def->ntpms, copyTpm);
    COPY_LIST(def->graphics, def->ngraphics, copyGraphics);
    COPY_LIST(def->sounds, def->nsounds, copySound);
    COPY_LIST(def->videos, def->nvideos, copyVideo);
    COPY_LIST(def->hostdevs, def->nhostdevs, copyHostdev);
    COPY_LIST(def->watchdogs, def->nwatchdogs, copyWatchdog);
    if (def->memballoon)
        def->memballoon = copyMemballoon(def->memballoon);
    COPY_LIST(def->rngs, def->nrngs, copyRng);
}

DomainDef *
domainDefCopy(const DomainDef *src)
{
    DomainDef *def = copyBytes(src, sizeof(*def));

    copyStr(&def->virtType);
    copyStr(&def->name);
    copyStr(&def->title);
    copyStr(&def->description);
    COPY_LIST(def->metadata, def->nmetadata, xtreeCopy);
    copyExtra(&def->memoryExtra);
    copyStr(&def->vcpuPlacement);
    copyStr(&def->cpuset);
    copyTunes(def);
    copyOs(&def->os);
    copyCpuClock(def);
    copyAllDevices(def);
    COPY_LIST(def->carried, def->ncarried, xtreeCopy);
    COPY_LIST(def->unknown, def->nunknown, xtreeCopy);
    COPY_LIST(def->devUnknown, def->ndevUnknown, xtreeCopy);
    return def;
}

DomainDevice *
domainDeviceCopy(const DomainDevice *src)
{
    DomainDevice *dev = copyBytes(src, sizeof(*dev));

    if (src->data.ptr && src->kind < DEVICE_LAST)
        dev->data.ptr = copyDevice[src->kind](src->data.ptr);
    return dev;
}
