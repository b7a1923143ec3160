/* test-domainapi.c: domain model API: defaults, flags, copy, devices */
#include "conf/domain.h"
#include "error.h"
#include "uuid.h"
#include "../tap.h"
#include "conftest.h"

#include <libvirt/libvirt.h>

static const char *dataDir;

static char *
readData(const char *name)
{
    char *path = NULL, *buf;

    if (asprintf(&path, "%s/%s", dataDir, name) < 0)
        return NULL;
    buf = confTestReadFile(path);
    free(path);
    return buf;
}

static DomainDef *
parseData(const char *name, unsigned int flags)
{
    char *xml = readData(name);
    DomainDef *def = xml ? domainDefParse(xml, flags) : NULL;

    free(xml);
    return def;
}

static const char minimal[] =
    "<domain type='qemu'>\n"
    "  <name>mini</name>\n"
    "  <memory unit='MiB'>64</memory>\n"
    "  <os><type>hvm</type></os>\n"
    "  <devices>\n"
    "    <interface type='user'/>\n"
    "    <interface type='network'><source network='default'/></interface>\n"
    "    <disk type='file' device='disk'><source file='/a.img'/>"
    "<target dev='sdc'/></disk>\n"
    "  </devices>\n"
    "</domain>\n";

static void
testDefaults(void)
{
    DomainDef *def = domainDefParse(minimal, 0);
    char mac0[18], mac1[18];
    const DeviceAddress *addr;

    if (!TAP_OK(def, "minimal domain parses"))
        return;
    TAP_OK(!uuidIsNull(def->uuid), "uuid generated");
    TAP_INT(def->curMemory, 65536, "currentMemory defaults to memory");
    TAP_INT(def->vcpus, 1, "one vcpu by default");
    TAP_INT(def->curVcpus, 1, "current vcpus default to the maximum");
    TAP_INT(def->nnets, 2, "two interfaces");
    domainMacFormat(def->nets[0]->mac, mac0);
    domainMacFormat(def->nets[1]->mac, mac1);
    TAP_OK(strncmp(mac0, "52:54:00:", 9) == 0, "MAC %s has 52:54:00", mac0);
    TAP_OK(strncmp(mac1, "52:54:00:", 9) == 0, "MAC %s has 52:54:00", mac1);
    TAP_OK(strcmp(mac0, mac1) != 0, "generated MACs differ");
    TAP_INT(def->disks[0]->bus, DISK_BUS_SCSI, "sdc defaults to scsi");
    addr = &def->disks[0]->info.addr;
    TAP_INT(addr->type, ADDR_DRIVE, "scsi disk gets a drive address");
    TAP_INT(addr->unit, 2, "sdc is unit 2");
    TAP_INT(def->ncontrollers, 1, "implicit scsi controller added");
    TAP_STR(def->controllers[0]->type, "scsi", "controller is scsi");
    TAP_INT(def->onReboot, LIFECYCLE_RESTART, "on_reboot defaults to restart");
    domainDefFree(def);
}

static void
testUnits(void)
{
    static const struct {
        const char *mem;
        unsigned long long kib;
    } cases[] = {
        { "<memory unit='b'>1025</memory>", 2 },
        { "<memory unit='bytes'>1024</memory>", 1 },
        { "<memory unit='KB'>1024</memory>", 1000 },
        { "<memory unit='GB'>1</memory>", 976563 },
        { "<memory unit='G'>2</memory>", 2097152 },
        { "<memory unit='TiB'>1</memory>", 1073741824ULL },
        { "<memory>300</memory>", 300 },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *xml = NULL;
        DomainDef *def;

        if (asprintf(&xml, "<domain type='test'><name>u</name>%s<os><type>"
                     "hvm</type></os></domain>", cases[i].mem) < 0)
            continue;
        def = domainDefParse(xml, 0);
        TAP_OK(def, "%s parses", cases[i].mem);
        if (def)
            TAP_INT(def->memory, cases[i].kib, "%s in KiB", cases[i].mem);
        domainDefFree(def);
        free(xml);
    }
}

static void
testLiveFlags(void)
{
    DomainDef *def = parseData("live.xml", DOMAIN_PARSE_LIVE);
    DomainDef *cold = parseData("live.xml", 0);
    char *live, *inactive, *secure;

    if (!TAP_OK(def && cold, "live.xml parses live and not live"))
        goto cleanup;
    TAP_INT(def->id, 7, "live id kept");
    TAP_INT(cold->id, -1, "id ignored when not live");
    TAP_OK(!cold->disks[0]->info.alias, "alias ignored when not live");
    TAP_STR(cold->disks[1]->info.alias, "ua-cdrom", "user alias kept");
    TAP_OK(!cold->nets[0]->ifname, "vnet name ignored when not live");
    live = domainDefFormat(def, 0);
    inactive = domainDefFormat(def, VIR_DOMAIN_XML_INACTIVE);
    secure = domainDefFormat(def, VIR_DOMAIN_XML_SECURE);
    TAP_OK(strstr(live, "<domain type='qemu' id='7'>"), "live has id");
    TAP_OK(strstr(live, "<target dev='vnet0'/>"), "live has vnet0");
    TAP_OK(strstr(live, "<alias name='virtio-disk0'/>"), "live has alias");
    TAP_OK(strstr(live, "tty='/dev/pts/4'"), "live has the pty");
    TAP_OK(strstr(live, "port='5900'"), "live has the vnc port");
    TAP_OK(!strstr(live, "hunter2"), "password hidden without SECURE");
    TAP_OK(strstr(secure, "passwd='hunter2'"), "password shown with SECURE");
    TAP_OK(!strstr(inactive, "id='7'"), "inactive has no id");
    TAP_OK(!strstr(inactive, "vnet0"), "inactive has no vnet0");
    TAP_OK(!strstr(inactive, "virtio-disk0"), "inactive has no alias");
    TAP_OK(strstr(inactive, "ua-cdrom"), "inactive keeps user alias");
    TAP_OK(!strstr(inactive, "/dev/pts/4"), "inactive has no pty path");
    TAP_OK(strstr(inactive, "port='-1' autoport='yes'"),
           "inactive autoport vnc has port -1");
    TAP_OK(!strstr(inactive, "hunter2"), "inactive hides the password");
    free(live);
    free(inactive);
    free(secure);

 cleanup:
    domainDefFree(def);
    domainDefFree(cold);
}

static void
testCopy(void)
{
    static const char *const files[] = { "full.xml", "live.xml" };
    static const unsigned int flags[] = {
        0, VIR_DOMAIN_XML_INACTIVE, VIR_DOMAIN_XML_SECURE
    };
    size_t i, j;

    for (i = 0; i < 2; i++) {
        DomainDef *def = parseData(files[i], DOMAIN_PARSE_LIVE);
        DomainDef *copy = def ? domainDefCopy(def) : NULL;

        TAP_OK(copy, "%s copies", files[i]);
        for (j = 0; copy && j < 3; j++) {
            char *a = domainDefFormat(def, flags[j]);
            char *b = domainDefFormat(copy, flags[j]);

            TAP_STR(b, a, "%s copy formats the same (flags %u)", files[i],
                    flags[j]);
            free(a);
            free(b);
        }
        TAP_OK(!copy || copy->disks != def->disks, "copy is deep");
        domainDefFree(def);
        domainDefFree(copy);
    }
}

static void
testValidate(void)
{
    DomainDef *def = parseData("full.xml", VIR_DOMAIN_DEFINE_VALIDATE);

    TAP_OK(def, "full.xml passes VALIDATE (%s)",
           def ? "" : errorLast()->message);
    domainDefFree(def);
    errorReset();
    def = parseData("unknown-kept.xml", VIR_DOMAIN_DEFINE_VALIDATE);
    TAP_OK(!def, "unknown elements rejected with VALIDATE");
    TAP_INT(errorLast()->code, VIR_ERR_XML_INVALID_SCHEMA, "schema error");
    domainDefFree(def);
}

static void
testDiskDevice(DomainDef *def)
{
    const char *xml =
        "<disk type='file' device='disk'>\n"
        "  <driver name='qemu' type='qcow2'/>\n"
        "  <source file='/var/lib/extra.qcow2'/>\n"
        "  <target dev='vdz'/>\n"
        "</disk>\n";
    DomainDevice *dev = domainDeviceParse(xml, def, 0);
    DomainDevice *dup, *copy, *gone;
    char *a, *b;
    size_t before = def->ndisks;
    int idx;

    if (!TAP_OK(dev, "single <disk> parses"))
        return;
    TAP_INT(dev->kind, DEVICE_DISK, "kind is disk");
    TAP_INT(dev->data.disk->bus, DISK_BUS_VIRTIO, "vdz is virtio");
    copy = domainDeviceCopy(dev);
    a = domainDeviceFormat(dev, 0);
    b = copy ? domainDeviceFormat(copy, 0) : NULL;
    TAP_STR(b, a, "device copy formats the same");
    TAP_OK(strstr(a, "<source file='/var/lib/extra.qcow2'/>"),
           "device format has the source");
    free(a);
    free(b);
    domainDeviceFree(copy);
    TAP_INT(domainDeviceAttach(def, dev), 0, "disk attached");
    TAP_INT(def->ndisks, before + 1, "one more disk");
    TAP_INT(domainFindDisk(def, "vdz"), (long long)before, "found by target");
    TAP_INT(domainFindDisk(def, "/var/lib/extra.qcow2"), (long long)before,
            "found by path");
    dup = domainDeviceParse(xml, def, 0);
    TAP_INT(domainDeviceAttach(def, dup), -1, "same target refused");
    TAP_INT(errorLast()->code, VIR_ERR_OPERATION_FAILED, "operation failed");
    idx = domainDeviceFind(def, dup);
    TAP_INT(idx, (long long)before, "detach lookup by target");
    gone = domainDeviceDetach(def, dup, idx);
    TAP_OK(gone && strcmp(gone->data.disk->dst, "vdz") == 0,
           "detached the disk");
    TAP_INT(def->ndisks, before, "disk count back");
    TAP_INT(domainDeviceFind(def, dup), -1, "no longer found");
    TAP_INT(errorLast()->code, VIR_ERR_DEVICE_MISSING, "device missing");
    domainDeviceFree(gone);
    domainDeviceFree(dup);
}

static void
testNetDevice(DomainDef *def)
{
    DomainDevice *dev = domainDeviceParse(
        "<interface type='bridge'><source bridge='br1'/>"
        "<model type='virtio'/></interface>", def, 0);
    DomainDevice *gone;
    char mac[18];
    int idx;

    if (!TAP_OK(dev, "single <interface> parses"))
        return;
    TAP_OK(dev->data.net->macSet, "MAC generated for attach");
    domainMacFormat(dev->data.net->mac, mac);
    TAP_OK(strncmp(mac, "52:54:00:", 9) == 0, "MAC %s has the prefix", mac);
    TAP_INT(domainDeviceAttach(def, dev), 0, "interface attached");
    idx = domainFindNet(def, mac);
    TAP_OK(idx >= 0, "interface found by MAC");
    TAP_INT(domainFindNet(def, "web01-eth0"), 0, "interface found by dev");
    dev = domainDeviceParse("<interface type='bridge'><mac address='"
                            "00:00:00:00:00:00'/></interface>", def, 0);
    memcpy(dev->data.net->mac, def->nets[idx]->mac, DOMAIN_MAC_LEN);
    TAP_INT(domainDeviceFind(def, dev), idx, "detach lookup by MAC");
    gone = domainDeviceDetach(def, dev, idx);
    TAP_STR(gone ? gone->data.net->source : NULL, "br1", "detached br1");
    domainDeviceFree(gone);
    domainDeviceFree(dev);
}

static void
testOtherDevices(DomainDef *def)
{
    DomainDevice *dev, *found;
    DomainDevice byAlias = { 0 };
    int idx;

    dev = domainDeviceParse("<controller type='usb' model='qemu-xhci'/>",
                            def, 0);
    TAP_OK(dev && dev->data.controller->index == 1,
           "second usb controller gets index 1");
    domainDeviceFree(dev);
    dev = domainDeviceParse("<watchdog model='i6300esb' action='reset'/>",
                            def, 0);
    idx = dev ? domainDeviceFind(def, dev) : -1;
    TAP_INT(idx, 0, "watchdog found by content");
    domainDeviceFree(dev);
    dev = domainDeviceParse("<teleporter/>", def, 0);
    TAP_OK(!dev, "unknown device refused");
    TAP_INT(errorLast()->code, VIR_ERR_CONFIG_UNSUPPORTED, "unsupported");
    dev = domainDeviceParse("<disk type='file'>", def, 0);
    TAP_OK(!dev, "malformed device refused");
    TAP_INT(errorLast()->code, VIR_ERR_XML_ERROR, "xml error");
    dev = domainDeviceParse("<rng model='virtio'><backend model='random'>"
                            "/dev/random</backend><alias name='ua-rng9'/>"
                            "</rng>", def, 0);
    TAP_INT(domainDeviceAttach(def, dev), 0, "rng attached");
    TAP_OK(domainFindByAlias(def, "ua-rng9", &byAlias) >= 0 &&
           byAlias.kind == DEVICE_RNG, "found by alias");
    dev = domainDeviceParse("<rng model='virtio'><backend model='random'/>"
                            "<alias name='ua-rng9'/></rng>", def, 0);
    idx = domainDeviceFind(def, dev);
    found = domainDeviceDetach(def, dev, idx);
    TAP_OK(found && found->data.rng == byAlias.data.rng,
           "detach by alias takes the right rng");
    domainDeviceFree(found);
    domainDeviceFree(dev);
}

static void
testDevices(void)
{
    DomainDef *def = parseData("full.xml", 0);

    if (!TAP_OK(def, "full.xml parses for device tests"))
        return;
    testDiskDevice(def);
    testNetDevice(def);
    testOtherDevices(def);
    domainDefFree(def);
}

static void
testMetadata(void)
{
    DomainDef *def = parseData("full.xml", 0);
    char *got, *xml;

    if (!TAP_OK(def, "full.xml parses for metadata"))
        return;
    got = domainMetadataGet(def, "http://app1.example.org/app1/");
    TAP_STR(got, "<foo>fizz</foo>",
            "get app1 metadata: as given, without our prefix");
    free(got);
    TAP_INT(domainMetadataSet(def, "http://new.example.org/", "nw",
                              "<info><owner>bob</owner></info>"), 0,
            "set new metadata");
    got = domainMetadataGet(def, "http://new.example.org/");
    TAP_STR(got, "<info>\n  <owner>bob</owner>\n</info>",
            "new metadata reads back as set");
    free(got);
    xml = domainDefFormat(def, 0);
    TAP_OK(xml && strstr(xml, "<nw:owner>bob</nw:owner>"),
           "the domain XML uses the key as prefix");
    free(xml);
    TAP_INT(domainMetadataSet(def, "http://app1.example.org/app1/", "app1",
                              "<foo>buzz</foo>"), 0, "replace app1");
    xml = domainDefFormat(def, 0);
    TAP_OK(strstr(xml, "buzz") && !strstr(xml, "fizz"), "app1 replaced");
    TAP_OK(strstr(xml, "xmlns:nw='http://new.example.org/'"),
           "new namespace formatted");
    free(xml);
    TAP_OK(domainMetadataRemove(def, "http://app2.example.org/app2/"),
           "remove app2");
    TAP_OK(!domainMetadataGet(def, "http://app2.example.org/app2/"),
           "app2 gone");
    TAP_INT(errorLast()->code, VIR_ERR_NO_DOMAIN_METADATA, "no metadata");
    TAP_INT(domainMetadataSet(def, "http://x/", "x", "<a>"), -1,
            "malformed metadata refused");
    TAP_INT(errorLast()->code, VIR_ERR_XML_ERROR, "malformed is XML error");
    TAP_INT(domainMetadataSet(def, "http://new.example.org/", NULL, NULL), 0,
            "NULL xml removes");
    TAP_INT(def->nmetadata, 1, "one metadata element left");
    domainDefFree(def);
}

int
main(int argc, char **argv)
{
    dataDir = argc > 1 ? argv[1] : "tests/conf/data";
    testDefaults();
    testUnits();
    testLiveFlags();
    testCopy();
    testValidate();
    testDevices();
    testMetadata();
    return tapDone();
}
