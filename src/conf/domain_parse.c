/* domain_parse.c: the <domain> element (outside <devices>) to DomainDef */
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

const TopElement domainTopElements[] = {
    { "name", TOP_TYPED }, { "uuid", TOP_TYPED }, { "genid", TOP_TYPED },
    { "title", TOP_TYPED }, { "description", TOP_TYPED },
    { "metadata", TOP_TYPED }, { "maxMemory", TOP_TYPED },
    { "memory", TOP_TYPED }, { "currentMemory", TOP_TYPED },
    { "blkiotune", TOP_TYPED }, { "memtune", TOP_TYPED },
    { "memoryBacking", TOP_CARRIED }, { "vcpu", TOP_TYPED },
    { "vcpus", TOP_CARRIED }, { "iothreads", TOP_TYPED },
    { "iothreadids", TOP_CARRIED }, { "defaultiothread", TOP_CARRIED },
    { "cputune", TOP_TYPED }, { "numatune", TOP_TYPED },
    { "resource", TOP_CARRIED }, { "sysinfo", TOP_CARRIED },
    { "bootloader", TOP_CARRIED }, { "bootloader_args", TOP_CARRIED },
    { "os", TOP_TYPED }, { "idmap", TOP_CARRIED },
    { "features", TOP_TYPED }, { "cpu", TOP_TYPED }, { "clock", TOP_TYPED },
    { "on_poweroff", TOP_TYPED }, { "on_reboot", TOP_TYPED },
    { "on_crash", TOP_TYPED }, { "on_lockfailure", TOP_CARRIED },
    { "pm", TOP_TYPED }, { "perf", TOP_TYPED }, { "devices", TOP_TYPED },
    { "seclabel", TOP_CARRIED }, { "keywrap", TOP_CARRIED },
    { "launchSecurity", TOP_CARRIED }, { "throttlegroups", TOP_CARRIED },
    { NULL, 0 }
};

const char *const domainCarriedDevices[] = {
    "lease", "filesystem", "smartcard", "hub", "redirdev", "redirfilter",
    "panic", "shmem", "memory", "iommu", "vsock", "audio", "crypto",
    "nvram", NULL
};

const char *const domainVirtTypeNames[] = {
    "none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test",
    "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", NULL
};

static int
domainParseUuid(XNode *root, const char *name, unsigned char *uuid,
                bool *present)
{
    const char *text = xtreeChildText(root, name);

    if (!text)
        return 0;
    if (present)
        *present = true;
    if (!*text && present) {
        uuidGenerate(uuid);     /* an empty <genid/> asks for one */
        return 0;
    }
    if (uuidParse(text, uuid) < 0) {
        reportError(VIR_ERR_XML_DETAIL, "invalid value '%s' for <%s>: "
                    "expected a UUID", text, name);
        return -1;
    }
    return 0;
}

static void
domainParseMetadata(XNode *root, DomainDef *def)
{
    XNode *meta = xtreeChild(root, "metadata");
    size_t i;

    if (!meta)
        return;
    xtreeMarkUsed(meta);
    for (i = 0; i < meta->nkids; i++) {
        if (!meta->kids[i]->href)
            continue;
        allocResize(&def->metadata, def->nmetadata, def->nmetadata + 1,
                    sizeof(*def->metadata));
        def->metadata[def->nmetadata++] = xtreeCopy(meta->kids[i]);
    }
}

static int
domainParseGeneral(XNode *root, DomainDef *def, unsigned int flags)
{
    const char *type;

    if (!(type = xtreeAttr(root, "type"))) {
        reportError(VIR_ERR_XML_DETAIL, "missing attribute 'type' of <domain>");
        return -1;
    }
    if (xmlconfEnumStr(root, "type", domainVirtTypeNames, &def->virtType) < 0)
        return -1;
    if (flags & DOMAIN_PARSE_LIVE) {
        if (xmlconfInt(root, "id", &def->id) < 0)
            return -1;
    } else {
        xtreeAttr(root, "id");
    }
    def->name = xmlconfText(root, "name");
    if (domainParseUuid(root, "uuid", def->uuid, NULL) < 0 ||
        domainParseUuid(root, "genid", def->genid, &def->hasGenid) < 0)
        return -1;
    def->title = xmlconfText(root, "title");
    if (def->title && strchr(def->title, '\n')) {
        reportError(VIR_ERR_XML_DETAIL, "invalid <title>: it must not "
                    "contain a newline");
        return -1;
    }
    def->description = xmlconfText(root, "description");
    domainParseMetadata(root, def);
    return 0;
}

static int
domainParseBlkioDevice(XNode *node, BlkioTune *bt)
{
    BlkioDevice *dev;

    allocResize(&bt->devices, bt->ndevices, bt->ndevices + 1,
                sizeof(*bt->devices));
    dev = &bt->devices[bt->ndevices++];
    xtreeMarkUsed(node);
    if (!(dev->path = xmlconfText(node, "path"))) {
        reportError(VIR_ERR_XML_DETAIL, "missing <path> in <blkiotune> "
                    "<device>");
        return -1;
    }
    if (xmlconfTextUInt(node, "weight", &dev->weight) < 0 ||
        xmlconfTextULL(node, "read_bytes_sec", &dev->readBytesSec) < 0 ||
        xmlconfTextULL(node, "write_bytes_sec", &dev->writeBytesSec) < 0 ||
        xmlconfTextULL(node, "read_iops_sec", &dev->readIopsSec) < 0 ||
        xmlconfTextULL(node, "write_iops_sec", &dev->writeIopsSec) < 0)
        return -1;
    return 0;
}

static int
domainParseTunes(XNode *root, DomainDef *def)
{
    XNode *node;
    size_t i;

    if ((node = xtreeChild(root, "memtune"))) {
        MemTune *mt = &def->memtune;

        mt->present = true;
        if (xmlconfTextScaled(node, "hard_limit", &mt->hardLimit) < 0 ||
            xmlconfTextScaled(node, "soft_limit", &mt->softLimit) < 0 ||
            xmlconfTextScaled(node, "swap_hard_limit",
                              &mt->swapHardLimit) < 0 ||
            xmlconfTextScaled(node, "min_guarantee", &mt->minGuarantee) < 0)
            return -1;
    }
    if (!(node = xtreeChild(root, "blkiotune")))
        return 0;
    def->blkiotune.present = true;
    if (xmlconfTextUInt(node, "weight", &def->blkiotune.weight) < 0)
        return -1;
    for (i = 0; i < node->nkids; i++) {
        if (strcmp(node->kids[i]->name, "device") == 0 &&
            domainParseBlkioDevice(node->kids[i], &def->blkiotune) < 0)
            return -1;
    }
    return 0;
}

static int
domainParseMemory(XNode *root, DomainDef *def)
{
    XNode *node;

    if (xmlconfTextScaled(root, "memory", &def->memory) < 0 ||
        xmlconfTextScaled(root, "currentMemory", &def->curMemory) < 0 ||
        xmlconfTextScaled(root, "maxMemory", &def->maxMemory) < 0)
        return -1;
    if ((node = xtreeChild(root, "memory")))
        xtreeTakeExtra(node, &def->memoryExtra);
    if ((node = xtreeChild(root, "maxMemory")) &&
        xmlconfUInt(node, "slots", &def->memorySlots) < 0)
        return -1;
    return domainParseTunes(root, def);
}

static int
domainParseVcpu(XNode *root, DomainDef *def)
{
    XNode *node = xtreeChild(root, "vcpu");

    if (xmlconfTextUInt(root, "iothreads", &def->iothreads) < 0)
        return -1;
    if (!node)
        return 0;
    if (xmlconfTextUInt(root, "vcpu", &def->vcpus) < 0)
        return -1;
    if (def->vcpus == 0) {
        reportError(VIR_ERR_XML_DETAIL, "invalid value '%s' for <vcpu>: "
                    "expected a number above 0", node->text ? node->text : "");
        return -1;
    }
    if (xmlconfUInt(node, "current", &def->curVcpus) < 0 ||
        xmlconfEnumStr(node, "placement", (const char *const[]){
                           "static", "auto", NULL }, &def->vcpuPlacement) < 0)
        return -1;
    def->cpuset = xmlconfStr(node, "cpuset");
    return 0;
}

/* Append a <vcpupin>/<iothreadpin> with id attribute IDATTR. */
static int
domainParsePin(XNode *node, const char *idattr, CpuPin **pins, size_t *n)
{
    CpuPin *pin;

    allocResize(pins, *n, *n + 1, sizeof(**pins));
    pin = &(*pins)[(*n)++];
    node->used = true;
    if (xmlconfUInt(node, idattr, &pin->vcpu) <= 0 ||
        !(pin->cpuset = xmlconfStr(node, "cpuset"))) {
        if (!errorIsSet())
            reportError(VIR_ERR_XML_DETAIL, "<%s> needs attributes '%s' and "
                        "'cpuset'", node->name, idattr);
        return -1;
    }
    return 0;
}

static int
domainParseCputuneTimes(XNode *node, CpuTune *ct)
{
    if (xmlconfTextULL(node, "shares", &ct->shares) < 0 ||
        xmlconfTextULL(node, "period", &ct->period) < 0 ||
        xmlconfTextLL(node, "quota", &ct->quota) < 0 ||
        xmlconfTextULL(node, "global_period", &ct->globalPeriod) < 0 ||
        xmlconfTextLL(node, "global_quota", &ct->globalQuota) < 0 ||
        xmlconfTextULL(node, "emulator_period", &ct->emulatorPeriod) < 0 ||
        xmlconfTextLL(node, "emulator_quota", &ct->emulatorQuota) < 0 ||
        xmlconfTextULL(node, "iothread_period", &ct->iothreadPeriod) < 0 ||
        xmlconfTextLL(node, "iothread_quota", &ct->iothreadQuota) < 0)
        return -1;
    return 0;
}

static int
domainParseCputune(XNode *root, DomainDef *def)
{
    XNode *node = xtreeChild(root, "cputune");
    CpuTune *ct = &def->cputune;
    XNode *kid;
    size_t i;

    if (!node)
        return 0;
    ct->present = true;
    if (domainParseCputuneTimes(node, ct) < 0)
        return -1;
    for (i = 0; i < node->nkids; i++) {
        kid = node->kids[i];
        if (kid->prefix)
            continue;
        if (strcmp(kid->name, "vcpupin") == 0 &&
            domainParsePin(kid, "vcpu", &ct->vcpupin, &ct->nvcpupin) < 0)
            return -1;
        if (strcmp(kid->name, "iothreadpin") == 0 &&
            domainParsePin(kid, "iothread", &ct->iothreadpin,
                           &ct->niothreadpin) < 0)
            return -1;
    }
    if ((kid = xtreeChild(node, "emulatorpin")))
        ct->emulatorpin = xmlconfStr(kid, "cpuset");
    xtreeTakeExtra(node, &ct->extra);
    return 0;
}

static int
domainParseNumatune(XNode *root, DomainDef *def)
{
    XNode *node = xtreeChild(root, "numatune");
    XNode *mem;
    NumaTune *nt = &def->numatune;

    if (!node)
        return 0;
    nt->present = true;
    if ((mem = xtreeChild(node, "memory"))) {
        if (xmlconfEnumStr(mem, "mode", (const char *const[]){
                "strict", "preferred", "interleave", "restrictive", NULL },
                &nt->mode) < 0 ||
            xmlconfEnumStr(mem, "placement", (const char *const[]){
                "static", "auto", NULL }, &nt->placement) < 0)
            return -1;
        nt->nodeset = xmlconfStr(mem, "nodeset");
    }
    xtreeTakeExtra(node, &nt->extra);
    return 0;
}

static int
domainParseLifecycle(XNode *root, const char *name, bool crash,
                     LifecycleAction *out)
{
    const char *text = xtreeChildText(root, name);
    int v;

    if (!text)
        return 0;
    v = enumtabParse(domainLifecycleNames, text);
    if (v < 0 || (!crash && v >= LIFECYCLE_COREDUMP_DESTROY)) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED,
                    "unsupported value '%s' for <%s>", text, name);
        return -1;
    }
    *out = v;
    return 0;
}

static int
domainParseCpuClock(XNode *root, DomainDef *def)
{
    XNode *node;

    if ((node = xtreeChild(root, "cpu"))) {
        XNode *model = xtreeChild(node, "model");

        def->cpu.present = true;
        def->cpu.mode = xmlconfStr(node, "mode");
        def->cpu.match = xmlconfStr(node, "match");
        def->cpu.check = xmlconfStr(node, "check");
        def->cpu.migratable = xmlconfStr(node, "migratable");
        if (model) {
            def->cpu.model = allocStrdup(model->text ? model->text : "");
            def->cpu.modelFallback = xmlconfStr(model, "fallback");
            xtreeTakeExtra(model, &def->cpu.modelExtra);
        }
        xtreeTakeExtra(node, &def->cpu.extra);
    }
    if ((node = xtreeChild(root, "clock"))) {
        def->clock.present = true;
        def->clock.offset = xmlconfStr(node, "offset");
        xtreeTakeExtra(node, &def->clock.extra);
    }
    if ((node = xtreeChild(root, "features")))
        def->features = xtreeCopy(node);
    if ((node = xtreeChild(root, "pm")))
        def->pm = xtreeCopy(node);
    if ((node = xtreeChild(root, "perf")))
        def->perf = xtreeCopy(node);
    if (domainParseLifecycle(root, "on_poweroff", false,
                             &def->onPoweroff) < 0 ||
        domainParseLifecycle(root, "on_reboot", false, &def->onReboot) < 0 ||
        domainParseLifecycle(root, "on_crash", true, &def->onCrash) < 0)
        return -1;
    return 0;
}

static int
domainParseOsBoot(XNode *os, OsDef *o)
{
    size_t i;
    int v;

    for (i = 0; i < os->nkids; i++) {
        XNode *kid = os->kids[i];

        if (kid->prefix || strcmp(kid->name, "boot") != 0)
            continue;
        kid->used = true;
        if (xmlconfEnum(kid, "dev", domainBootNames, &v) <= 0) {
            if (!errorIsSet())
                reportError(VIR_ERR_XML_DETAIL, "missing attribute 'dev' of "
                            "<boot> in <os>");
            return -1;
        }
        allocResize(&o->boot, o->nboot, o->nboot + 1, sizeof(*o->boot));
        o->boot[o->nboot++] = v;
    }
    return 0;
}

static int
domainParseOsFirmware(XNode *os, OsDef *o)
{
    XNode *node;

    if ((node = xtreeChild(os, "loader"))) {
        o->hasLoader = true;
        o->loader = allocStrdup(node->text);
        if (xmlconfTristate(node, "readonly", &o->loaderReadonly) < 0 ||
            xmlconfTristate(node, "secure", &o->loaderSecure) < 0 ||
            xmlconfEnumStr(node, "type", (const char *const[]){
                "rom", "pflash", NULL }, &o->loaderType) < 0)
            return -1;
        xtreeTakeExtra(node, &o->loaderExtra);
    }
    if ((node = xtreeChild(os, "nvram"))) {
        o->hasNvram = true;
        o->nvram = allocStrdup(node->text);
        o->nvramTemplate = xmlconfStr(node, "template");
        xtreeTakeExtra(node, &o->nvramExtra);
    }
    return 0;
}

static int
domainParseOs(XNode *root, DomainDef *def)
{
    XNode *os = xtreeChild(root, "os");
    XNode *node;
    OsDef *o = &def->os;

    if (!os)
        return 0;
    if ((node = xtreeChild(os, "type"))) {
        o->type = allocStrdup(node->text ? node->text : "");
        o->arch = xmlconfStr(node, "arch");
        o->machine = xmlconfStr(node, "machine");
        xtreeTakeExtra(node, &o->typeExtra);
    }
    if (domainParseOsBoot(os, o) < 0 || domainParseOsFirmware(os, o) < 0)
        return -1;
    if ((node = xtreeChild(os, "bootmenu"))) {
        if (xmlconfTristate(node, "enable", &o->bootmenu) < 0)
            return -1;
        xtreeTakeExtra(node, &o->bootmenuExtra);
    }
    o->kernel = xmlconfText(os, "kernel");
    o->initrd = xmlconfText(os, "initrd");
    o->cmdline = xmlconfText(os, "cmdline");
    o->dtb = xmlconfText(os, "dtb");
    xtreeTakeExtra(os, &o->extra);
    return 0;
}

/* Unknown elements: kept, or rejected under VIR_DOMAIN_DEFINE_VALIDATE. */
static int
domainParseUnknown(XNode *node, const char *where, unsigned int flags,
                   XNode ***list, size_t *n)
{
    if ((flags & VIR_DOMAIN_DEFINE_VALIDATE) && !node->prefix) {
        reportError(VIR_ERR_XML_INVALID_SCHEMA, "unknown element <%s> in "
                    "<%s> (line %d)", node->name, where, node->line);
        return -1;
    }
    xtreeMarkUsed(node);
    allocResize(list, *n, *n + 1, sizeof(**list));
    (*list)[(*n)++] = xtreeCopy(node);
    return 0;
}

static int
domainParseDevices(XNode *root, DomainDef *def, unsigned int flags)
{
    XNode *devs = xtreeChild(root, "devices");
    size_t i;

    if (!devs)
        return 0;
    def->emulator = xmlconfText(devs, "emulator");
    for (i = 0; i < devs->nkids; i++) {
        XNode *kid = devs->kids[i];
        DomainDevice dev = { 0 };
        bool known;
        int rc;

        if (kid->used)
            continue;
        if ((rc = deviceParseAny(kid, flags, &dev)) < 0)
            return -1;
        if (rc == 0) {
            domainDefaultsAppend(def, &dev);
            continue;
        }
        known = !kid->prefix &&
            enumtabParse(domainCarriedDevices, kid->name) >= 0;
        if (domainParseUnknown(kid, "devices", known ? 0 : flags,
                               &def->devUnknown, &def->ndevUnknown) < 0)
            return -1;
    }
    return 0;
}

static int
domainParseRest(XNode *root, DomainDef *def, unsigned int flags)
{
    size_t i, j;

    for (i = 0; i < root->nkids; i++) {
        XNode *kid = root->kids[i];
        bool known = false;

        if (kid->used)
            continue;
        for (j = 0; domainTopElements[j].name && !kid->prefix; j++) {
            if (strcmp(domainTopElements[j].name, kid->name) == 0) {
                known = domainTopElements[j].kind == TOP_CARRIED;
                break;
            }
        }
        if (known) {
            xtreeMarkUsed(kid);
            allocResize(&def->carried, def->ncarried, def->ncarried + 1,
                        sizeof(*def->carried));
            def->carried[def->ncarried++] = xtreeCopy(kid);
        } else if (domainParseUnknown(kid, "domain", flags, &def->unknown,
                                      &def->nunknown) < 0) {
            return -1;
        }
    }
    return 0;
}

int
domainParseTree(XNode *root, DomainDef *def, unsigned int flags)
{
    if (root->prefix || strcmp(root->name, "domain") != 0) {
        reportError(VIR_ERR_XML_ERROR, "expected root element <domain>, "
                    "got <%s>", root->name);
        return -1;
    }
    if (domainParseGeneral(root, def, flags) < 0 ||
        domainParseMemory(root, def) < 0 ||
        domainParseVcpu(root, def) < 0 ||
        domainParseCputune(root, def) < 0 ||
        domainParseNumatune(root, def) < 0 ||
        domainParseOs(root, def) < 0 ||
        domainParseCpuClock(root, def) < 0 ||
        domainParseDevices(root, def, flags) < 0 ||
        domainParseRest(root, def, flags) < 0)
        return -1;
    return 0;
}
