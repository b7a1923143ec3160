/* qemu_command.c: domain definition -> QEMU command line; whatever the
 * definition asks for that cannot be mapped is refused, never dropped */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "uuid.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

typedef struct {
    char **argv;
    size_t n, cap;
    DomainDef *def;
    const QemuCommandCtx *ctx;
    bool build;                 /* false: only validate */
    bool q35;
    bool usbNeeded, usbAdded;
    bool vserialNeeded, vserialAdded;
    bool scsiAdded[8];
    int nvirtconsole;
} Cmd;

/* Report that WHAT (a phrase naming the XML part) cannot be mapped. */
static int
qemuUnsupported(const char *fmt, ...)
{
    va_list ap;
    char *what;

    va_start(ap, fmt);
    what = allocVPrintf(fmt, ap);
    va_end(ap);
    reportError(VIR_ERR_CONFIG_UNSUPPORTED,
                "%s is not supported by the QEMU driver", what);
    free(what);
    return -1;
}

static void
cmdAdd(Cmd *c, const char *arg)
{
    if (!c->build)
        return;
    allocGrow(&c->argv, &c->cap, c->n + 1, sizeof(*c->argv));
    c->argv[c->n++] = allocStrdup(arg);
    c->argv[c->n] = NULL;
}

static void __attribute__((format(printf, 3, 4)))
cmdOpt(Cmd *c, const char *opt, const char *fmt, ...)
{
    va_list ap;
    char *val;

    va_start(ap, fmt);
    val = allocVPrintf(fmt, ap);
    va_end(ap);
    cmdAdd(c, opt);
    cmdAdd(c, val);
    free(val);
}

/* -OPT with a JSON object argument; OBJ is released. */
static void
cmdJson(Cmd *c, const char *opt, json_object *obj)
{
    cmdAdd(c, opt);
    cmdAdd(c, json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
    json_object_put(obj);
}

/* Append S to B with QEMU's option escaping (',' doubled). */
static void
cmdEscape(Buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == ',')
            bufAdd(b, ",");
        bufAddN(b, s, 1);
    }
}

static json_object *
jsonObj(const char *driver, const char *id)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "driver", json_object_new_string(driver));
    if (id)
        json_object_object_add(o, "id", json_object_new_string(id));
    return o;
}

static void
jsonStr(json_object *o, const char *key, const char *val)
{
    json_object_object_add(o, key, json_object_new_string(val));
}

static void
jsonInt(json_object *o, const char *key, unsigned int val)
{
    json_object_object_add(o, key, json_object_new_int((int)val));
}

/* The value of attribute NAME in EXTRA, or NULL. */
static const char *
extraAttr(const XExtra *x, const char *name)
{
    for (size_t i = 0; i < x->nattrs; i++)
        if (strcmp(x->attrs[i].name, name) == 0)
            return x->attrs[i].value;
    return NULL;
}

/* True when S is in the NULL-terminated list LIST. */
static bool
inList(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* Refuse attributes and children of EXTRA not in ATTRS / KIDS; WHERE
 * names the element they belong to. */
static int
extraCheck(const XExtra *x, const char *where, const char *const *attrs,
           const char *const *kids)
{
    for (size_t i = 0; i < x->nattrs; i++)
        if (!inList(attrs, x->attrs[i].name))
            return qemuUnsupported("attribute '%s' of <%s>", x->attrs[i].name,
                                   where);
    for (size_t i = 0; i < x->nkids; i++)
        if (!inList(kids, x->kids[i]->name))
            return qemuUnsupported("element <%s> in <%s>", x->kids[i]->name,
                                   where);
    return 0;
}

/* Give DEVICE a default alias PREFIX+N when it has none. */
static const char *
cmdAlias(DeviceInfo *info, const char *prefix, size_t n)
{
    if (!info->alias)
        info->alias = allocPrintf("%s%zu", prefix, n);
    return info->alias;
}

/* Put a PCI address (bus 0 only) on device JSON O. */
static int
cmdPciAddr(Cmd *c, const DeviceInfo *info, json_object *o, const char *what)
{
    const DeviceAddress *a = &info->addr;

    if (a->type == ADDR_NONE)
        return 0;
    if (a->type != ADDR_PCI)
        return qemuUnsupported("address type '%s' on %s",
                               a->typeName ? a->typeName : "?", what);
    if (a->domain != 0 || a->bus != 0)
        return qemuUnsupported("PCI address %04x:%02x on %s (only bus 0 of "
                               "the root complex)", a->domain, a->bus, what);
    if (!o)
        return 0;
    jsonStr(o, "bus", c->q35 ? "pcie.0" : "pci.0");
    {
        char addr[32];

        snprintf(addr, sizeof(addr), "0x%x.0x%x", a->slot, a->function);
        jsonStr(o, "addr", addr);
    }
    if (a->multifunction == TRI_YES)
        json_object_object_add(o, "multifunction",
                               json_object_new_boolean(1));
    return 0;
}

/* Add a boot index to O when INFO has one. */
static void
cmdBootIndex(const DeviceInfo *info, json_object *o)
{
    if (info->bootOrder)
        json_object_object_add(o, "bootindex",
                               json_object_new_int((int)info->bootOrder));
}

/* ---- host checks ---- */

/* The KVM device to probe (tests point it elsewhere). */
static const char *
qemuKvmDevice(void)
{
    const char *dev = getenv("VIREO_QEMU_KVM_DEVICE");

    return dev && *dev ? dev : "/dev/kvm";
}

/* 0 when KVM can be used, else -1 with an error naming the cause. */
static int
qemuCheckKvm(void)
{
    const char *dev = qemuKvmDevice();
    int fd = open(dev, O_RDWR | O_CLOEXEC);
    int version;

    if (fd < 0) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "KVM requested but %s is not "
                    "usable: %s", dev, strerror(errno));
        return -1;
    }
    version = ioctl(fd, KVM_GET_API_VERSION, 0);
    close(fd);
    if (version != KVM_API_VERSION) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "KVM requested but %s is not "
                    "usable: API version %d", dev, version);
        return -1;
    }
    return 0;
}

char *
qemuCommandEmulator(const DomainDef *def)
{
    const char *arch = def->os.arch ? def->os.arch : "x86_64";
    const char *path = getenv("PATH");
    char *copy, *dir, *save = NULL, *found = NULL;

    if (def->emulator) {
        if (access(def->emulator, X_OK) < 0) {
            reportSystemError(errno, "QEMU binary '%s' of domain '%s' cannot "
                              "be executed", def->emulator, def->name);
            return NULL;
        }
        return allocStrdup(def->emulator);
    }
    if (strcmp(arch, "i686") == 0)
        arch = "i386";
    copy = allocStrdup(path && *path ? path : "/usr/bin:/bin");
    for (dir = strtok_r(copy, ":", &save); dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char *full = allocPrintf("%s/qemu-system-%s", dir, arch);

        if (access(full, X_OK) == 0)
            found = full;
        else
            free(full);
    }
    free(copy);
    if (!found)
        reportSystemError(ENOENT, "QEMU binary 'qemu-system-%s' for domain "
                          "'%s' was not found in PATH", arch, def->name);
    return found;
}

/* ---- the machine ---- */

static int
cmdFeatures(Cmd *c, bool *acpi)
{
    static const char *const known[] = { "acpi", "apic", "pae", NULL };
    XNode *f = c->def->features;

    *acpi = false;
    for (size_t i = 0; f && i < f->nkids; i++) {
        if (!inList(known, f->kids[i]->name))
            return qemuUnsupported("feature <%s>", f->kids[i]->name);
        if (strcmp(f->kids[i]->name, "acpi") == 0)
            *acpi = true;
    }
    return 0;
}

static int
cmdMachine(Cmd *c)
{
    DomainDef *def = c->def;
    const char *machine = def->os.machine ? def->os.machine : "q35";
    const char *accel;
    bool acpi;
    Buf b = { 0 };
    char *s;

    if (strcmp(def->virtType, "kvm") == 0) {
        if (c->build && qemuCheckKvm() < 0)
            return -1;
        accel = "kvm";
    } else if (strcmp(def->virtType, "qemu") == 0) {
        accel = "tcg";
    } else {
        return qemuUnsupported("domain type '%s'", def->virtType);
    }
    if (strcmp(def->os.type, "hvm") != 0)
        return qemuUnsupported("OS type '%s'", def->os.type);
    if (def->os.arch && strcmp(def->os.arch, "x86_64") != 0 &&
        strcmp(def->os.arch, "i686") != 0)
        return qemuUnsupported("architecture '%s'", def->os.arch);
    if (cmdFeatures(c, &acpi) < 0)
        return -1;
    c->q35 = strstr(machine, "q35") != NULL;
    bufPrintf(&b, "%s,accel=%s", machine, accel);
    if (!acpi)
        bufAdd(&b, ",acpi=off");
    s = bufTake(&b);
    cmdOpt(c, "-machine", "%s", s);
    free(s);
    return 0;
}

static int
cmdCpu(Cmd *c)
{
    static const char *const cpuKids[] = { "topology", NULL };
    DomainDef *def = c->def;
    const CpuDef *cpu = &def->cpu;
    Buf b = { 0 };
    unsigned int boot;
    char *s;

    if (qemuMemoryBootVcpus(def, &boot) < 0)
        return -1;
    bufPrintf(&b, "%u,maxcpus=%u", boot, def->vcpus);
    if (cpu->present) {
        XNode *topo = NULL;

        if (extraCheck(&cpu->extra, "cpu", NULL, cpuKids) < 0 ||
            extraCheck(&cpu->modelExtra, "model", NULL, NULL) < 0) {
            bufFree(&b);
            return -1;
        }
        for (size_t i = 0; i < cpu->extra.nkids; i++)
            topo = cpu->extra.kids[i];
        for (size_t i = 0; topo && i < topo->nattrs; i++)
            bufPrintf(&b, ",%s=%s", topo->attrs[i].name, topo->attrs[i].value);
        if (cpu->mode && (strcmp(cpu->mode, "host-passthrough") == 0 ||
                          strcmp(cpu->mode, "host-model") == 0)) {
            if (strcmp(def->virtType, "kvm") != 0) {
                bufFree(&b);
                return qemuUnsupported("<cpu mode='%s'> without KVM",
                                       cpu->mode);
            }
            cmdOpt(c, "-cpu", "host");
        } else if (cpu->mode && strcmp(cpu->mode, "maximum") == 0) {
            cmdOpt(c, "-cpu", "max");
        } else if (cpu->model) {
            cmdOpt(c, "-cpu", "%s", cpu->model);
        }
    }
    s = bufTake(&b);
    cmdOpt(c, "-smp", "%s", s);
    free(s);
    return 0;
}

static int
cmdMemory(Cmd *c)
{
    DomainDef *def = c->def;

    if (def->maxMemory)
        cmdOpt(c, "-m", "size=%lluk,slots=%u,maxmem=%lluk", def->memory,
               def->memorySlots ? def->memorySlots : 1, def->maxMemory);
    else
        cmdOpt(c, "-m", "size=%lluk", def->memory);
    if (def->memoryExtra.nattrs || def->memoryExtra.nkids)
        return extraCheck(&def->memoryExtra, "memory", (const char *[]){
                              "unit", NULL }, NULL);
    return 0;
}

static int
cmdOs(Cmd *c)
{
    static const char *const bootNames[] = { "a", "d", "c", "n" };
    const OsDef *os = &c->def->os;
    Buf b = { 0 };
    char *s;

    if (os->hasLoader || os->hasNvram)
        return qemuUnsupported("<loader>/<nvram> firmware");
    if (os->dtb)
        return qemuUnsupported("<dtb>");
    if (extraCheck(&os->extra, "os", NULL, NULL) < 0 ||
        extraCheck(&os->typeExtra, "type", NULL, NULL) < 0)
        return -1;
    if (os->kernel)
        cmdOpt(c, "-kernel", "%s", os->kernel);
    if (os->initrd)
        cmdOpt(c, "-initrd", "%s", os->initrd);
    if (os->cmdline)
        cmdOpt(c, "-append", "%s", os->cmdline);
    if (os->nboot)
        bufAdd(&b, "order=");
    for (size_t i = 0; i < os->nboot; i++)
        bufAdd(&b, bootNames[os->boot[i]]);
    if (os->bootmenu == TRI_YES)
        bufAdd(&b, os->nboot ? ",menu=on" : "menu=on");
    if (b.len) {
        s = bufTake(&b);
        cmdOpt(c, "-boot", "%s", s);
        free(s);
    }
    bufFree(&b);
    return 0;
}

static int
cmdClock(Cmd *c)
{
    const ClockDef *clock = &c->def->clock;
    const char *offset = clock->offset ? clock->offset : "utc";
    bool slew = false;

    if (strcmp(offset, "utc") != 0 && strcmp(offset, "localtime") != 0)
        return qemuUnsupported("<clock offset='%s'>", offset);
    if (extraCheck(&clock->extra, "clock", NULL,
                   (const char *[]){ "timer", NULL }) < 0)
        return -1;
    for (size_t i = 0; i < clock->extra.nkids; i++) {
        XNode *t = clock->extra.kids[i];
        const char *name = xtreeAttr(t, "name");
        const char *present = xtreeAttr(t, "present");
        const char *policy = xtreeAttr(t, "tickpolicy");

        if (!name)
            continue;
        if (strcmp(name, "rtc") == 0 && policy &&
            strcmp(policy, "catchup") == 0)
            slew = true;
        else if (strcmp(name, "hpet") == 0 && present &&
                 strcmp(present, "no") == 0)
            cmdAdd(c, "-no-hpet");
        else if (strcmp(name, "pit") != 0 && strcmp(name, "hpet") != 0 &&
                 strcmp(name, "rtc") != 0)
            return qemuUnsupported("<timer name='%s'>", name);
    }
    cmdOpt(c, "-rtc", "base=%s%s", offset, slew ? ",driftfix=slew" : "");
    return 0;
}

/* Lifecycle actions: -no-shutdown always (we decide what a guest power
 * off means); -no-reboot when a guest reboot must stop the domain. */
static int
cmdLifecycle(Cmd *c)
{
    const DomainDef *def = c->def;

    if (def->onPoweroff != LIFECYCLE_DESTROY &&
        def->onPoweroff != LIFECYCLE_RESTART)
        return qemuUnsupported("<on_poweroff>%s</on_poweroff>",
                               domainLifecycleNames[def->onPoweroff]);
    if (def->onReboot != LIFECYCLE_DESTROY &&
        def->onReboot != LIFECYCLE_RESTART)
        return qemuUnsupported("<on_reboot>%s</on_reboot>",
                               domainLifecycleNames[def->onReboot]);
    if (def->onCrash != LIFECYCLE_DESTROY &&
        def->onCrash != LIFECYCLE_RESTART &&
        def->onCrash != LIFECYCLE_PRESERVE)
        return qemuUnsupported("<on_crash>%s</on_crash>",
                               domainLifecycleNames[def->onCrash]);
    cmdAdd(c, "-no-shutdown");
    if (def->onReboot == LIFECYCLE_DESTROY)
        cmdAdd(c, "-no-reboot");
    cmdOpt(c, "-action", "panic=pause");
    return 0;
}

/* Parts of the definition nothing maps yet. */
static int
cmdRefuseUnmapped(Cmd *c)
{
    const DomainDef *def = c->def;

    /* <iothreadids> maps with the IOThreads, <vcpus> in cmdCpu */
    for (size_t i = 0; i < def->ncarried; i++)
        if (strcmp(def->carried[i]->name, "iothreadids") != 0 &&
            strcmp(def->carried[i]->name, "vcpus") != 0)
            return qemuUnsupported("element <%s>", def->carried[i]->name);
    if (def->nunknown)
        return qemuUnsupported("element <%s>", def->unknown[0]->name);
    if (def->ndevUnknown)
        return qemuUnsupported("device <%s>", def->devUnknown[0]->name);
    if (qemuTuneValidate(def) < 0)   /* tunables, pins, perf */
        return -1;
    if (def->nparallels)
        return qemuUnsupported("<parallel>");
    if (def->nsounds)
        return qemuUnsupported("<sound>");
    if (def->ntpms)
        return qemuUnsupported("<tpm>");
    if (def->nhostdevs)
        return qemuUnsupported("<hostdev>");
    if (def->pm) {
        for (size_t i = 0; i < def->pm->nkids; i++) {
            const char *en = xtreeAttr(def->pm->kids[i], "enabled");
            const char *n = def->pm->kids[i]->name;
            int s = strcmp(n, "suspend-to-mem") == 0 ? 3 :
                strcmp(n, "suspend-to-disk") == 0 ? 4 : 0;

            if (!s)
                return qemuUnsupported("<pm><%s>", n);
            if (en && strcmp(en, "no") == 0)
                cmdOpt(c, "-global", "%s.disable_s%d=1",
                       c->q35 ? "ICH9-LPC" : "PIIX4_PM", s);
        }
    }
    return 0;
}

/* ---- disks and controllers ---- */

static int
cmdController(Cmd *c, ControllerDef *ctl, size_t idx)
{
    const char *type = ctl->type;
    const char *model = ctl->model;
    json_object *o = NULL;
    char id[64];

    if (extraCheck(&ctl->extra, "controller", (const char *[]){ "ports",
                   "vectors", NULL }, NULL) < 0)
        return -1;
    if (strcmp(type, "pci") == 0) {
        if (model && strcmp(model, "pcie-root") != 0 &&
            strcmp(model, "pci-root") != 0)
            return qemuUnsupported("<controller type='pci' model='%s'>",
                                   model);
        return 0;
    }
    if ((strcmp(type, "sata") == 0 || strcmp(type, "ide") == 0) &&
        ctl->index == 0)
        return 0;       /* built into the machine */
    if (strcmp(type, "usb") == 0) {
        if (model && strcmp(model, "none") == 0)
            return 0;
        if (ctl->index != 0)
            return qemuUnsupported("a second USB controller");
        if (model && strcmp(model, "qemu-xhci") != 0 &&
            strcmp(model, "nec-xhci") != 0 && strcmp(model, "ich9-ehci1") != 0)
            return qemuUnsupported("USB controller model '%s'", model);
        o = jsonObj(model ? model : "qemu-xhci", "usb");
        c->usbAdded = true;
    } else if (strcmp(type, "scsi") == 0) {
        if (model && strcmp(model, "virtio-scsi") != 0)
            return qemuUnsupported("SCSI controller model '%s'", model);
        if (ctl->index < 0 || ctl->index >= 8)
            return qemuUnsupported("SCSI controller index %d", ctl->index);
        snprintf(id, sizeof(id), "scsi%d", ctl->index);
        o = jsonObj("virtio-scsi-pci", id);
        c->scsiAdded[ctl->index] = true;
    } else if (strcmp(type, "virtio-serial") == 0) {
        if (ctl->index != 0)
            return qemuUnsupported("a second virtio-serial controller");
        o = jsonObj("virtio-serial-pci", "virtio-serial0");
        c->vserialAdded = true;
    } else {
        return qemuUnsupported("<controller type='%s'>", type);
    }
    if (!ctl->info.alias)
        ctl->info.alias = allocStrdup(json_object_get_string(
            json_object_object_get(o, "id")));
    if (cmdPciAddr(c, &ctl->info, o, "a controller") < 0) {
        json_object_put(o);
        return -1;
    }
    (void)idx;
    cmdJson(c, "-device", o);
    return 0;
}

/* The QEMU cache options for <driver cache=...>. */
static int
cmdDiskCache(const char *cache, json_object *file)
{
    bool direct = false, noflush = false;
    json_object *co;

    if (!cache)
        return 0;
    if (strcmp(cache, "none") == 0 || strcmp(cache, "directsync") == 0)
        direct = true;
    else if (strcmp(cache, "unsafe") == 0)
        noflush = true;
    else if (strcmp(cache, "writeback") != 0 &&
             strcmp(cache, "writethrough") != 0 &&
             strcmp(cache, "default") != 0)
        return qemuUnsupported("disk cache mode '%s'", cache);
    co = json_object_new_object();
    json_object_object_add(co, "direct", json_object_new_boolean(direct));
    json_object_object_add(co, "no-flush", json_object_new_boolean(noflush));
    json_object_object_add(file, "cache", co);
    return 0;
}

/* The -blockdev pair (protocol + format node) for DISK; NODE gets the
 * format node's name. */
static int
cmdDiskBackend(Cmd *c, DiskDef *disk, const char *node)
{
    static const char *const fmts[] = { "raw", "qcow2", "qed", "vmdk", "vdi",
                                        "vpc", "vhdx", NULL };
    static const char *const drvAttrs[] = { "name", "type", "cache", "io",
                                            "discard", NULL };
    const char *fmt = disk->driverType ? disk->driverType : "raw";
    bool ro = disk->readonly || disk->device == DISK_DEVICE_CDROM;
    json_object *file, *fo;
    char *fileNode;
    const char *io = extraAttr(&disk->driverExtra, "io");
    const char *discard = extraAttr(&disk->driverExtra, "discard");

    if (disk->driverName && strcmp(disk->driverName, "qemu") != 0)
        return qemuUnsupported("disk driver '%s'", disk->driverName);
    if (!inList(fmts, fmt))
        return qemuUnsupported("disk format '%s'", fmt);
    if (extraCheck(&disk->driverExtra, "driver", drvAttrs, NULL) < 0 ||
        extraCheck(&disk->srcExtra, "source",
                   (const char *[]){ "index", NULL }, NULL) < 0)
        return -1;
    if (disk->type != DISK_TYPE_FILE && disk->type != DISK_TYPE_BLOCK)
        return qemuUnsupported("<disk type='%s'>",
                               domainDiskTypeNames[disk->type]);
    fileNode = allocPrintf("%s-storage", node);
    file = json_object_new_object();
    jsonStr(file, "driver", disk->type == DISK_TYPE_BLOCK ? "host_device"
                                                          : "file");
    jsonStr(file, "filename", disk->srcPath);
    jsonStr(file, "node-name", fileNode);
    json_object_object_add(file, "read-only", json_object_new_boolean(ro));
    if (io)
        jsonStr(file, "aio", io);
    if (discard)
        jsonStr(file, "discard", discard);
    if (cmdDiskCache(extraAttr(&disk->driverExtra, "cache"), file) < 0) {
        json_object_put(file);
        free(fileNode);
        return -1;
    }
    fo = json_object_new_object();
    jsonStr(fo, "driver", fmt);
    jsonStr(fo, "file", fileNode);
    jsonStr(fo, "node-name", node);
    json_object_object_add(fo, "read-only", json_object_new_boolean(ro));
    if (discard)
        jsonStr(fo, "discard", discard);
    cmdJson(c, "-blockdev", file);
    cmdJson(c, "-blockdev", fo);
    free(fileNode);
    return 0;
}

/* The frontend device of DISK on its bus. */
static json_object *
cmdDiskDevice(Cmd *c, DiskDef *disk, const char *node)
{
    bool cd = disk->device == DISK_DEVICE_CDROM;
    const DeviceAddress *a = &disk->info.addr;
    json_object *o = NULL;
    char bus[32];

    switch (disk->bus) {
    case DISK_BUS_VIRTIO:
        if (cd)
            break;
        o = jsonObj("virtio-blk-pci", disk->info.alias);
        if (cmdPciAddr(c, &disk->info, o, "a virtio disk") < 0) {
            json_object_put(o);
            return NULL;
        }
        break;
    case DISK_BUS_SATA:
    case DISK_BUS_IDE:
        o = jsonObj(cd ? "ide-cd" : "ide-hd", disk->info.alias);
        if (c->q35)
            snprintf(bus, sizeof(bus), "ide.%u", a->unit + a->bus * 2);
        else
            snprintf(bus, sizeof(bus), "ide.%u", a->bus);
        jsonStr(o, "bus", bus);
        if (!c->q35)
            jsonInt(o, "unit", a->unit);
        break;
    case DISK_BUS_SCSI:
        if (a->controller >= 8 || !c->scsiAdded[a->controller]) {
            reportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' needs "
                        "<controller type='scsi' index='%u' "
                        "model='virtio-scsi'>",
                        disk->dst, a->controller);
            return NULL;
        }
        o = jsonObj(cd ? "scsi-cd" : "scsi-hd", disk->info.alias);
        snprintf(bus, sizeof(bus), "scsi%u.0", a->controller);
        jsonStr(o, "bus", bus);
        jsonInt(o, "scsi-id", a->target);
        jsonInt(o, "lun", a->unit);
        break;
    default:
        break;
    }
    if (!o) {
        qemuUnsupported("disk bus '%s' for a %s",
                        domainDiskBusNames[disk->bus],
                        domainDiskDeviceNames[disk->device]);
        return NULL;
    }
    if (node)
        jsonStr(o, "drive", node);
    if (disk->serial)
        jsonStr(o, "serial", disk->serial);
    cmdBootIndex(&disk->info, o);
    return o;
}

static int
cmdDisk(Cmd *c, DiskDef *disk, size_t idx)
{
    char *node = NULL;
    json_object *o;
    int ret = -1;

    if (disk->device != DISK_DEVICE_DISK && disk->device != DISK_DEVICE_CDROM)
        return qemuUnsupported("<disk device='%s'>",
                               domainDiskDeviceNames[disk->device]);
    /* <backingStore> is informational: QEMU opens the chain the image's
     * own header names (the one the live XML then shows) */
    if (disk->shareable || disk->transient)
        return qemuUnsupported("<shareable/> or <transient/> on disk '%s'",
                               disk->dst);
    if (extraCheck(&disk->extra, "disk", NULL, NULL) < 0 ||
        extraCheck(&disk->targetExtra, "target", (const char *[]){ "tray",
                   "removable", "rotation_rate", NULL }, NULL) < 0)
        return -1;
    if (!disk->info.alias) {
        if (disk->bus == DISK_BUS_VIRTIO)
            disk->info.alias = allocPrintf("virtio-disk%zu", idx);
        else
            disk->info.alias = allocPrintf("%s%u-%u-%u",
                                           domainDiskBusNames[disk->bus],
                                           disk->info.addr.controller,
                                           disk->info.addr.bus,
                                           disk->info.addr.unit);
    }
    if (disk->hasSource && disk->srcPath) {
        node = allocPrintf("drive-%s", disk->info.alias);
        if (cmdDiskBackend(c, disk, node) < 0)
            goto cleanup;
    } else if (disk->device != DISK_DEVICE_CDROM) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' has no source",
                    disk->dst);
        goto cleanup;
    }
    if (!(o = cmdDiskDevice(c, disk, node)))
        goto cleanup;
    cmdJson(c, "-device", o);
    ret = 0;
 cleanup:
    free(node);
    return ret;
}

/* ---- network ---- */

/* The -netdev backend ND of bridge interface NET (index IDX): the tap
 * vireo made (its descriptor in the context), or qemu-bridge-helper's. */
static int
cmdNetBridge(Cmd *c, NetDef *net, size_t idx, json_object *nd)
{
    const char *fd = idx < c->ctx->nnetFds ? c->ctx->netFds[idx] : NULL;
    char *sys;
    bool ok;

    if (fd) {
        jsonStr(nd, "type", "tap");
        jsonStr(nd, "fd", fd);
        return 0;
    }
    sys = allocPrintf("/sys/class/net/%s/bridge",
                      net->source ? net->source : "");
    ok = net->source && (!c->build || access(sys, F_OK) == 0);
    free(sys);
    if (!ok) {
        reportError(VIR_ERR_OPERATION_FAILED, "bridge '%s' of interface "
                    "%zu does not exist on this host",
                    net->source ? net->source : "", idx);
        return -1;
    }
    if (c->build && (net->inbound.present || net->outbound.present)) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "<bandwidth> of interface "
                    "%zu needs a tap made by vireo, which only root can do "
                    "(qemu-bridge-helper makes this one)", idx);
        return -1;
    }
    jsonStr(nd, "type", "bridge");
    jsonStr(nd, "br", net->source);
    return 0;
}

static int
cmdNet(Cmd *c, NetDef *net, size_t idx)
{
    static const char *const models[] = { "virtio", "e1000", "e1000e",
                                          "rtl8139", NULL };
    const char *model = net->model ? net->model : "virtio";
    char mac[18], hostnet[32];
    json_object *nd, *o;

    if (!inList(models, model))
        return qemuUnsupported("interface model '%s'", model);
    if ((net->inbound.present || net->outbound.present) &&
        net->type != NET_TYPE_BRIDGE)
        return qemuUnsupported("<bandwidth> on an <interface type='%s'> "
                               "(it needs a host tap)",
                               domainNetTypeNames[net->type]);
    if (extraCheck(&net->extra, "interface", NULL, NULL) < 0 ||
        extraCheck(&net->srcExtra, "source", NULL, NULL) < 0)
        return -1;
    cmdAlias(&net->info, "net", idx);
    snprintf(hostnet, sizeof(hostnet), "host%s", net->info.alias);
    nd = json_object_new_object();
    jsonStr(nd, "id", hostnet);
    switch (net->type) {
    case NET_TYPE_USER:
        jsonStr(nd, "type", "user");
        break;
    case NET_TYPE_BRIDGE:
        if (cmdNetBridge(c, net, idx, nd) < 0) {
            json_object_put(nd);
            return -1;
        }
        break;
    case NET_TYPE_NETWORK:
        json_object_put(nd);
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "<interface type='network'> "
                    "is not supported by the QEMU driver: vireo has no "
                    "virtual network driver, use <interface type='bridge'>");
        return -1;
    default:
        json_object_put(nd);
        return qemuUnsupported("<interface type='%s'>",
                               domainNetTypeNames[net->type]);
    }
    cmdJson(c, "-netdev", nd);
    o = jsonObj(strcmp(model, "virtio") == 0 ? "virtio-net-pci" : model,
                net->info.alias);
    jsonStr(o, "netdev", hostnet);
    domainMacFormat(net->mac, mac);
    jsonStr(o, "mac", mac);
    if (net->linkState && strcmp(net->linkState, "down") == 0)
        json_object_object_add(o, "link_down", json_object_new_boolean(1));
    cmdBootIndex(&net->info, o);
    if (cmdPciAddr(c, &net->info, o, "an interface") < 0) {
        json_object_put(o);
        return -1;
    }
    cmdJson(c, "-device", o);
    return 0;
}

/* ---- character devices ---- */

/* The -chardev backend for CHR with id ID. */
static int
cmdChardev(Cmd *c, ChrDef *chr, const char *id)
{
    Buf b = { 0 };
    char *s;
    const char *mode = chr->srcMode;

    if (extraCheck(&chr->srcExtra, "source", (const char *[]){ "append",
                   NULL }, NULL) < 0 ||
        extraCheck(&chr->extra, domainChrKindNames[chr->kind], NULL, NULL) < 0)
        return -1;
    switch (chr->type) {
    case CHR_TYPE_PTY:
        bufPrintf(&b, "pty,id=%s", id);
        break;
    case CHR_TYPE_NULL:
        bufPrintf(&b, "null,id=%s", id);
        break;
    case CHR_TYPE_FILE: {
        const char *append = extraAttr(&chr->srcExtra, "append");

        bufPrintf(&b, "file,id=%s,path=", id);
        cmdEscape(&b, chr->srcPath ? chr->srcPath : "");
        if (append)
            bufPrintf(&b, ",append=%s", strcmp(append, "on") == 0 ? "on"
                                                                  : "off");
        break;
    }
    case CHR_TYPE_UNIX:
        if (!chr->srcPath) {
            chr->srcPath = allocPrintf("%s/%s-%s.sock", c->ctx->runDir,
                                       c->def->name, id);
            if (!mode)
                chr->srcMode = allocStrdup(mode = "bind");
        }
        bufPrintf(&b, "socket,id=%s,path=", id);
        cmdEscape(&b, chr->srcPath);
        if (!mode || strcmp(mode, "bind") == 0)
            bufAdd(&b, ",server=on,wait=off");
        break;
    default:
        bufFree(&b);
        return qemuUnsupported("<%s type='%s'>", domainChrKindNames[chr->kind],
                               domainChrTypeNames[chr->type]);
    }
    s = bufTake(&b);
    cmdOpt(c, "-chardev", "%s", s);
    free(s);
    return 0;
}

static int
cmdSerial(Cmd *c, ChrDef *chr, size_t idx)
{
    char id[32];
    json_object *o;

    if (chr->targetType && strcmp(chr->targetType, "isa-serial") != 0 &&
        strcmp(chr->targetType, "serial") != 0)
        return qemuUnsupported("serial target type '%s'", chr->targetType);
    if (extraCheck(&chr->targetExtra, "target", NULL, (const char *[]){
                   "model", NULL }) < 0)
        return -1;
    cmdAlias(&chr->info, "serial", idx);
    snprintf(id, sizeof(id), "char%s", chr->info.alias);
    if (cmdChardev(c, chr, id) < 0)
        return -1;
    o = jsonObj("isa-serial", chr->info.alias);
    jsonStr(o, "chardev", id);
    json_object_object_add(o, "index", json_object_new_int(
        chr->targetPort >= 0 ? chr->targetPort : (int)idx));
    cmdJson(c, "-device", o);
    return 0;
}

/* A virtio-serial port (channel or virtio console). */
static int
cmdVirtioPort(Cmd *c, ChrDef *chr, const char *driver, const char *prefix,
              size_t idx)
{
    char id[48];
    json_object *o;

    c->vserialNeeded = true;
    cmdAlias(&chr->info, prefix, idx);
    snprintf(id, sizeof(id), "char%s", chr->info.alias);
    if (cmdChardev(c, chr, id) < 0)
        return -1;
    o = jsonObj(driver, chr->info.alias);
    jsonStr(o, "bus", "virtio-serial0.0");
    jsonStr(o, "chardev", id);
    if (chr->targetName)
        jsonStr(o, "name", chr->targetName);
    cmdJson(c, "-device", o);
    return 0;
}

static int
cmdConsole(Cmd *c, ChrDef *chr, size_t idx)
{
    const char *tt = chr->targetType ? chr->targetType : "serial";

    if (strcmp(tt, "serial") == 0) {
        /* the console of a serial port is that port itself */
        for (size_t i = 0; i < c->def->nserials; i++)
            if (c->def->serials[i]->targetPort == chr->targetPort ||
                (chr->targetPort <= 0 && i == 0)) {
                ChrDef *s = c->def->serials[i];

                if (!chr->info.alias && s->info.alias)
                    chr->info.alias = allocStrdup(s->info.alias);
                if (s->srcPath && chr->type == s->type) {
                    free(chr->srcPath);
                    chr->srcPath = allocStrdup(s->srcPath);
                }
                return 0;
            }
        if (c->def->nserials == 0 && idx == 0)
            return cmdSerial(c, chr, 0);
        return qemuUnsupported("a serial <console> with no matching "
                               "<serial>");
    }
    if (strcmp(tt, "virtio") == 0)
        return cmdVirtioPort(c, chr, "virtconsole", "console",
                             (size_t)c->nvirtconsole++);
    return qemuUnsupported("console target type '%s'", tt);
}

static int
cmdChannel(Cmd *c, ChrDef *chr, size_t idx)
{
    if (chr->targetType && strcmp(chr->targetType, "virtio") != 0)
        return qemuUnsupported("channel target type '%s'", chr->targetType);
    if (extraCheck(&chr->targetExtra, "target", (const char *[]){ "state",
                   NULL }, NULL) < 0)
        return -1;
    return cmdVirtioPort(c, chr, "virtserialport", "channel", idx);
}

/* ---- other devices ---- */

static int
cmdGraphics(Cmd *c, GraphicsDef *g)
{
    Buf b = { 0 };
    const char *listen = g->listen;
    char *s;

    if (g->type != GRAPHICS_VNC)
        return qemuUnsupported("<graphics type='%s'>",
                               domainGraphicsTypeNames[g->type]);
    if (c->def->ngraphics > 1)
        return qemuUnsupported("more than one <graphics>");
    if (extraCheck(&g->extra, "graphics", (const char *[]){ "passwdValidTo",
                   "connected", "sharePolicy", NULL },
                   (const char *[]){ "listen", NULL }) < 0)
        return -1;
    for (size_t i = 0; i < g->extra.nkids && !listen; i++)
        listen = xtreeAttr(g->extra.kids[i], "address");
    if (!listen)
        listen = "127.0.0.1";
    bufAdd(&b, strchr(listen, ':') ? "[" : "");
    bufAdd(&b, listen);
    bufAdd(&b, strchr(listen, ':') ? "]" : "");
    bufPrintf(&b, ":%d", c->ctx->vncPort >= 5900 ? c->ctx->vncPort - 5900 : 0);
    /* autoport: the port probed may be taken by the time QEMU binds (other
     * managers start guests too), so QEMU walks on to the next free one;
     * the start reads the port it got back with query-vnc */
    if (g->autoport == TRI_YES)
        bufAdd(&b, ",to=" QEMU_VNC_LAST_DISPLAY);
    if (g->passwd)
        bufAdd(&b, ",password=on");
    s = bufTake(&b);
    cmdOpt(c, "-vnc", "%s", s);
    free(s);
    if (g->keymap)
        cmdOpt(c, "-k", "%s", g->keymap);
    return 0;
}

static int
cmdVideo(Cmd *c, VideoDef *v, size_t idx)
{
    const char *model = v->model ? v->model : "vga";
    const char *drv;
    json_object *o;

    if (strcmp(model, "none") == 0)
        return 0;
    if (strcmp(model, "vga") == 0)
        drv = "VGA";
    else if (strcmp(model, "cirrus") == 0)
        drv = "cirrus-vga";
    else if (strcmp(model, "qxl") == 0)
        drv = idx ? "qxl" : "qxl-vga";
    else if (strcmp(model, "virtio") == 0)
        drv = idx ? "virtio-gpu-pci" : "virtio-vga";
    else if (strcmp(model, "bochs") == 0)
        drv = "bochs-display";
    else if (strcmp(model, "ramfb") == 0)
        drv = "ramfb";
    else
        return qemuUnsupported("video model '%s'", model);
    if (extraCheck(&v->extra, "video", NULL, NULL) < 0 ||
        extraCheck(&v->modelExtra, "model", (const char *[]){ "type", NULL },
                   NULL) < 0)
        return -1;
    o = jsonObj(drv, cmdAlias(&v->info, "video", idx));
    if (v->vram && (strcmp(drv, "VGA") == 0 || strcmp(drv, "cirrus-vga") == 0))
        json_object_object_add(o, "vgamem_mb",
                               json_object_new_int((int)(v->vram / 1024)));
    if (v->heads > 1 && strncmp(drv, "virtio", 6) == 0)
        json_object_object_add(o, "max_outputs",
                               json_object_new_int((int)v->heads));
    if (cmdPciAddr(c, &v->info, o, "a video device") < 0) {
        json_object_put(o);
        return -1;
    }
    cmdJson(c, "-device", o);
    return 0;
}

static int
cmdInput(Cmd *c, InputDef *in, size_t idx)
{
    const char *bus = in->bus ? in->bus : "ps2";
    const char *drv = NULL;

    if (extraCheck(&in->extra, "input", NULL, NULL) < 0)
        return -1;
    if (strcmp(bus, "ps2") == 0 && (strcmp(in->type, "mouse") == 0 ||
                                    strcmp(in->type, "keyboard") == 0))
        return 0;       /* the i8042 controller of the machine */
    if (strcmp(bus, "usb") == 0) {
        c->usbNeeded = true;
        drv = strcmp(in->type, "tablet") == 0 ? "usb-tablet" :
            strcmp(in->type, "mouse") == 0 ? "usb-mouse" :
            strcmp(in->type, "keyboard") == 0 ? "usb-kbd" : NULL;
    } else if (strcmp(bus, "virtio") == 0) {
        drv = strcmp(in->type, "tablet") == 0 ? "virtio-tablet-pci" :
            strcmp(in->type, "mouse") == 0 ? "virtio-mouse-pci" :
            strcmp(in->type, "keyboard") == 0 ? "virtio-keyboard-pci" : NULL;
    }
    if (!drv)
        return qemuUnsupported("<input type='%s' bus='%s'>", in->type, bus);
    cmdJson(c, "-device", jsonObj(drv, cmdAlias(&in->info, "input", idx)));
    return 0;
}

static int
cmdMemballoon(Cmd *c, MemballoonDef *mb)
{
    json_object *o;

    if (!mb || !mb->model || strcmp(mb->model, "none") == 0)
        return 0;
    if (strcmp(mb->model, "virtio") != 0)
        return qemuUnsupported("memballoon model '%s'", mb->model);
    if (extraCheck(&mb->extra, "memballoon", (const char *[]){ "autodeflate",
                   "freePageReporting", NULL }, NULL) < 0)
        return -1;
    o = jsonObj("virtio-balloon-pci", cmdAlias(&mb->info, "balloon", 0));
    if (cmdPciAddr(c, &mb->info, o, "the memballoon") < 0) {
        json_object_put(o);
        return -1;
    }
    if (mb->statsPeriod > 0)
        json_object_object_add(o, "guest-stats-polling-interval",
                               json_object_new_int(mb->statsPeriod));
    cmdJson(c, "-device", o);
    return 0;
}

static int
cmdWatchdog(Cmd *c, WatchdogDef *w, size_t idx)
{
    static const char *const actions[] = { "reset", "shutdown", "poweroff",
                                           "pause", "none", "inject-nmi",
                                           NULL };
    const char *action = w->action ? w->action : "reset";

    if (idx > 0)
        return qemuUnsupported("more than one <watchdog>");
    if (strcmp(w->model, "i6300esb") != 0 && strcmp(w->model, "ib700") != 0)
        return qemuUnsupported("watchdog model '%s'", w->model);
    if (strcmp(action, "destroy") == 0)
        action = "poweroff";
    if (!inList(actions, action))
        return qemuUnsupported("watchdog action '%s'", action);
    if (extraCheck(&w->extra, "watchdog", NULL, NULL) < 0)
        return -1;
    cmdJson(c, "-device", jsonObj(w->model, cmdAlias(&w->info, "watchdog",
                                                     idx)));
    cmdOpt(c, "-action", "watchdog=%s", action);
    return 0;
}

static int
cmdRng(Cmd *c, RngDef *rng, size_t idx)
{
    const char *be = rng->backendModel ? rng->backendModel : "random";
    char objid[32];
    json_object *o;

    if (!rng->model || strcmp(rng->model, "virtio") != 0)
        return qemuUnsupported("rng model '%s'",
                               rng->model ? rng->model : "");
    if (extraCheck(&rng->extra, "rng", NULL, NULL) < 0 ||
        extraCheck(&rng->backendExtra, "backend", NULL, NULL) < 0)
        return -1;
    cmdAlias(&rng->info, "rng", idx);
    snprintf(objid, sizeof(objid), "obj%s", rng->info.alias);
    if (strcmp(be, "random") == 0) {
        Buf b = { 0 };
        char *s;

        bufPrintf(&b, "rng-random,id=%s,filename=", objid);
        cmdEscape(&b, rng->backendPath ? rng->backendPath : "/dev/urandom");
        s = bufTake(&b);
        cmdOpt(c, "-object", "%s", s);
        free(s);
    } else if (strcmp(be, "builtin") == 0) {
        cmdOpt(c, "-object", "rng-builtin,id=%s", objid);
    } else {
        return qemuUnsupported("rng backend '%s'", be);
    }
    o = jsonObj("virtio-rng-pci", rng->info.alias);
    jsonStr(o, "rng", objid);
    cmdJson(c, "-device", o);
    return 0;
}

/* Free PCIe root ports on q35 (its root complex takes no hot-plugged
 * device); last, so that they do not move the other devices. They are not
 * in the definition: the hotplug code finds them by id. */
static void
cmdHotplugPorts(Cmd *c)
{
    char id[32];

    for (int i = 1; c->q35 && i <= QEMU_HOTPLUG_PORTS; i++) {
        json_object *o = jsonObj("pcie-root-port", NULL);

        snprintf(id, sizeof(id), "%s%d", QEMU_HOTPLUG_PORT_PREFIX, i);
        jsonStr(o, "id", id);
        jsonStr(o, "bus", "pcie.0");
        jsonInt(o, "chassis", (unsigned int)(100 + i));
        jsonInt(o, "port", (unsigned int)i);
        /* PCIe devices need no I/O ports: spare the 64 KiB I/O space */
        jsonInt(o, "io-reserve", 0);
        cmdJson(c, "-device", o);
    }
}

/* Whether DEF has virtio-serial ports (channels, virtio consoles). */
static bool
cmdVserialWanted(const DomainDef *def)
{
    if (def->nchannels > 0)
        return true;
    for (size_t i = 0; i < def->nconsoles; i++)
        if (def->consoles[i]->targetType &&
            strcmp(def->consoles[i]->targetType, "virtio") == 0)
            return true;
    return false;
}

/* Every device, in the order QEMU should see them. */
static int
cmdDevices(Cmd *c)
{
    DomainDef *def = c->def;
    size_t i;

#define EACH(list, n, fn) \
    for (i = 0; i < def->n; i++) \
        if (fn(c, def->list[i], i) < 0) \
            return -1;
    EACH(controllers, ncontrollers, cmdController);
    EACH(disks, ndisks, cmdDisk);
    EACH(nets, nnets, cmdNet);
    EACH(serials, nserials, cmdSerial);
    /* the ports' bus must exist before them on the command line */
    if (!c->vserialAdded && cmdVserialWanted(def)) {
        cmdJson(c, "-device", jsonObj("virtio-serial-pci", "virtio-serial0"));
        c->vserialAdded = true;
    }
    EACH(consoles, nconsoles, cmdConsole);
    EACH(channels, nchannels, cmdChannel);
    EACH(videos, nvideos, cmdVideo);
    EACH(inputs, ninputs, cmdInput);
    EACH(watchdogs, nwatchdogs, cmdWatchdog);
    EACH(rngs, nrngs, cmdRng);
#undef EACH
    for (i = 0; i < def->ngraphics; i++)
        if (cmdGraphics(c, def->graphics[i]) < 0)
            return -1;
    if (cmdMemballoon(c, def->memballoon) < 0)
        return -1;
    if (c->usbNeeded && !c->usbAdded)
        cmdJson(c, "-device", jsonObj("qemu-xhci", "usb"));
    if (c->vserialNeeded && !c->vserialAdded)
        cmdJson(c, "-device", jsonObj("virtio-serial-pci", "virtio-serial0"));
    cmdHotplugPorts(c);
    return 0;
}

static int
cmdBuild(Cmd *c, const char *emulator)
{
    DomainDef *def = c->def;
    char uuid[VIR_UUID_STRING_BUFLEN];

    cmdAdd(c, emulator);
    cmdOpt(c, "-name", "guest=%s,debug-threads=on", def->name);
    cmdAdd(c, "-S");
    cmdAdd(c, "-no-user-config");
    cmdAdd(c, "-nodefaults");
    if (c->ctx) {
        cmdOpt(c, "-chardev", "socket,id=charmonitor,path=%s,server=on,"
               "wait=off", c->ctx->monitorPath);
        cmdOpt(c, "-mon", "chardev=charmonitor,id=monitor,mode=control");
        cmdOpt(c, "-pidfile", "%s", c->ctx->pidfilePath);
        if (c->ctx->incoming && c->ctx->incomingFd > 0) {
            /* events from the start: no QMP command comes before the load */
            cmdOpt(c, "-global", "%s", "migration.x-events=on");
            cmdOpt(c, "-incoming", "fd:%d", c->ctx->incomingFd);
        } else if (c->ctx->incoming) {
            cmdOpt(c, "-incoming", "%s", "defer");
        }
    }
    cmdOpt(c, "-display", "none");
    uuidFormat(def->uuid, uuid);
    cmdOpt(c, "-uuid", "%s", uuid);
    if (cmdMachine(c) < 0 || cmdCpu(c) < 0 || cmdMemory(c) < 0 ||
        cmdOs(c) < 0 || cmdClock(c) < 0 || cmdLifecycle(c) < 0 ||
        cmdRefuseUnmapped(c) < 0)
        return -1;
    if (def->iothreads) {
        unsigned int *ids = NULL;
        int n = qemuThreadsIothreadIds(def, &ids);

        for (int i = 0; i < n; i++)
            cmdOpt(c, "-object", "iothread,id=iothread%u", ids[i]);
        free(ids);
    }
    if (def->hasGenid) {
        uuidFormat(def->genid, uuid);
        cmdOpt(c, "-device", "vmgenid,guid=%s,id=vmgenid0", uuid);
    }
    if (cmdDevices(c) < 0)
        return -1;
    cmdOpt(c, "-msg", "timestamp=on");
    return 0;
}

char **
qemuCommandBuild(DomainDef *def, const char *emulator,
                 const QemuCommandCtx *ctx)
{
    Cmd c = { .def = def, .ctx = ctx, .build = true };

    if (cmdBuild(&c, emulator) < 0) {
        qemuCommandFree(c.argv);
        return NULL;
    }
    return c.argv;
}

void
qemuCommandFree(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}

int
qemuCommandValidate(const DomainDef *def)
{
    DomainDef *copy = domainDefCopy(def);
    QemuCommandCtx ctx = { "/x", "/x", "/x", -1 };
    Cmd c = { .ctx = &ctx, .build = false };
    int ret;

    if (!copy)
        return -1;
    /* the same code decides, on a copy, without host checks */
    c.def = copy;
    ret = cmdBuild(&c, "qemu");
    domainDefFree(copy);
    return ret;
}

char **
qemuCommandBuildDevice(DomainDef *def, DomainDevice *dev,
                       const QemuCommandCtx *ctx)
{
    const char *machine = def->os.machine ? def->os.machine : "q35";
    Cmd c = { .def = def, .ctx = ctx, .build = true };
    ChrDef *chr = dev->data.chr;
    int rc;

    c.q35 = strstr(machine, "q35") != NULL;
    c.vserialAdded = true;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const ControllerDef *ctl = def->controllers[i];

        if (strcmp(ctl->type, "scsi") == 0 && ctl->index >= 0 &&
            ctl->index < 8)
            c.scsiAdded[ctl->index] = true;
    }
    switch (dev->kind) {
    case DEVICE_DISK:
        rc = cmdDisk(&c, dev->data.disk, def->ndisks);
        break;
    case DEVICE_NET:
        rc = cmdNet(&c, dev->data.net, def->nnets);
        break;
    case DEVICE_CHR:
        if (chr->kind == CHR_CHANNEL)
            rc = cmdChannel(&c, chr, def->nchannels);
        else if (chr->kind == CHR_CONSOLE && chr->targetType &&
                 strcmp(chr->targetType, "virtio") == 0)
            rc = cmdVirtioPort(&c, chr, "virtconsole", "console",
                               def->nconsoles);
        else
            rc = qemuUnsupported("hot-plugging a <%s> that is not a virtio "
                                 "port", domainChrKindNames[chr->kind]);
        break;
    case DEVICE_RNG:
        rc = cmdRng(&c, dev->data.rng, def->nrngs);
        break;
    case DEVICE_CONTROLLER:
        if (strcmp(dev->data.controller->type, "scsi") != 0 &&
            strcmp(dev->data.controller->type, "virtio-serial") != 0)
            rc = qemuUnsupported("hot-plugging a <controller type='%s'>",
                                 dev->data.controller->type);
        else
            rc = cmdController(&c, dev->data.controller, def->ncontrollers);
        break;
    default:
        rc = qemuUnsupported("hot-plugging a <%s>",
                             domainDeviceKindNames[dev->kind]);
        break;
    }
    if (rc < 0) {
        qemuCommandFree(c.argv);
        return NULL;
    }
    if (!c.argv)
        c.argv = allocZero(sizeof(char *));
    return c.argv;
}
