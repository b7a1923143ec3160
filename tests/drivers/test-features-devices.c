/* test-features-devices.c: test driver hotplug, media change, resize,
 * peeks, block info */
#include "test-features.h"

static int addedCount, removedCount;
static char lastAlias[64];

static void
onDevice(virConnectPtr conn, virDomainPtr dom, const char *alias, void *op)
{
    (void)conn; (void)dom;
    if (op)
        addedCount++;
    else
        removedCount++;
    snprintf(lastAlias, sizeof(lastAlias), "%s", alias);
}

static const char diskB[] =
    "<disk type='file' device='disk'><source file='/img/extra.img'/>"
    "<target dev='vdb' bus='virtio'/></disk>";
static const char cdrom[] =
    "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/>"
    "<readonly/></disk>";
static const char cdromIso[] =
    "<disk type='file' device='cdrom'><source file='/iso/install.iso'/>"
    "<target dev='hdc' bus='ide'/><readonly/></disk>";
static const char nicDown[] =
    "<interface type='user'><mac address='aa:bb:cc:dd:ee:ff'/>"
    "<model type='virtio'/><link state='down'/></interface>";

static void
testAttachDetach(virDomainPtr dom, virDomainPtr off)
{
    TAP_INT(virDomainAttachDeviceFlags(dom, diskB,
                                       VIR_DOMAIN_AFFECT_LIVE |
                                       VIR_DOMAIN_AFFECT_CONFIG), 0,
            "hot-plug a disk live and in config");
    TAP_OK(featXMLHas(dom, 0, "/img/extra.img"), "live XML has it");
    TAP_OK(featXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "/img/extra.img"),
           "config XML has it");
    TAP_OK(featXMLHas(dom, 0, "<alias name='virtio-disk0'/>"),
           "the live disk got an alias");
    featRunLoop(50);
    TAP_INT(addedCount, 1, "device-added event");
    TAP_STR(lastAlias, "virtio-disk0", "event carries the alias");
    TAP_INT(virDomainAttachDeviceFlags(dom, diskB, VIR_DOMAIN_AFFECT_LIVE), -1,
            "attaching vdb again fails");
    TAP_ERR(VIR_ERR_OPERATION_FAILED, "duplicate target: OPERATION_FAILED");
    TAP_INT(virDomainAttachDevice(dom, "<disk"), -1, "malformed XML fails");
    TAP_ERR(VIR_ERR_XML_ERROR, "malformed: XML_ERROR");
    TAP_INT(virDomainAttachDeviceFlags(dom, "<video><model type='vga'/>"
                                       "</video>", VIR_DOMAIN_AFFECT_LIVE), -1,
            "live video attach is refused");
    TAP_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "video: OPERATION_UNSUPPORTED");
    TAP_INT(virDomainAttachDeviceFlags(off, diskB, VIR_DOMAIN_AFFECT_LIVE), -1,
            "live attach to an inactive domain");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");
    TAP_INT(virDomainAttachDeviceFlags(dom, diskB, 1u << 12), -1, "bad flag");
    TAP_ERR(VIR_ERR_INVALID_ARG, "bad flag: INVALID_ARG");

    TAP_INT(virDomainDetachDeviceAlias(dom, "virtio-disk0",
                                       VIR_DOMAIN_AFFECT_LIVE), 0,
            "detach by alias");
    featRunLoop(50);
    TAP_INT(removedCount, 1, "device-removed event");
    TAP_OK(!featXMLHas(dom, 0, "/img/extra.img"), "gone from live XML");
    TAP_OK(featXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "/img/extra.img"),
           "still in config");
    TAP_INT(virDomainDetachDeviceAlias(dom, "virtio-disk0",
                                       VIR_DOMAIN_AFFECT_LIVE), -1,
            "second detach by alias fails");
    TAP_ERR(VIR_ERR_DEVICE_MISSING, "missing alias: DEVICE_MISSING");
    TAP_INT(virDomainDetachDeviceFlags(dom, diskB, VIR_DOMAIN_AFFECT_CONFIG),
            0, "detach from config");
    TAP_OK(!featXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "/img/extra.img"),
           "gone from config");
    TAP_INT(virDomainDetachDevice(dom, diskB), -1, "detach missing disk");
    TAP_ERR(VIR_ERR_DEVICE_MISSING, "missing disk: DEVICE_MISSING");

    TAP_INT(virDomainDetachDeviceFlags(off, "<disk type='file' device='disk'>"
                                       "<source file='/img/cfg-b.img'/>"
                                       "<target dev='vdb' bus='virtio'/></disk>",
                                       0), 0, "detach from inactive config");
    TAP_OK(!featXMLHas(off, 0, "cfg-b.img"), "inactive domain lost vdb");
    TAP_INT(virDomainAttachDevice(off, diskB), -1,
            "legacy attach is live only");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "legacy attach: OPERATION_INVALID");
}

static void
testUpdate(virDomainPtr dom, virDomainPtr off)
{
    TAP_INT(virDomainAttachDeviceFlags(dom, cdrom, VIR_DOMAIN_AFFECT_LIVE), 0,
            "attach an empty cdrom");
    TAP_INT(virDomainUpdateDeviceFlags(dom, cdromIso, VIR_DOMAIN_AFFECT_LIVE),
            0, "insert media");
    TAP_OK(featXMLHas(dom, 0, "/iso/install.iso"), "XML shows the media");
    TAP_INT(virDomainUpdateDeviceFlags(dom, cdrom, 0), 0, "eject media");
    TAP_OK(!featXMLHas(dom, 0, "/iso/install.iso"), "media gone");
    TAP_INT(virDomainUpdateDeviceFlags(dom, diskB, 0), -1,
            "update of an absent disk");
    TAP_ERR(VIR_ERR_DEVICE_MISSING, "absent: DEVICE_MISSING");
    TAP_INT(virDomainUpdateDeviceFlags(dom, "<disk type='file' device='disk'>"
                                       "<source file='/new.img'/>"
                                       "<target dev='vda' bus='virtio'/></disk>",
                                       0), -1, "a plain disk has no media");
    TAP_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "plain disk: OPERATION_UNSUPPORTED");
    TAP_INT(virDomainUpdateDeviceFlags(dom, nicDown, 0), 0, "link down");
    TAP_OK(featXMLHas(dom, 0, "<link state='down'/>"), "XML link down");
    TAP_INT(virDomainUpdateDeviceFlags(dom, "<video><model type='vga'/>"
                                       "</video>", 0), -1, "update video");
    TAP_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "video: OPERATION_UNSUPPORTED");
    TAP_INT(virDomainUpdateDeviceFlags(off, cdromIso,
                                       VIR_DOMAIN_AFFECT_CONFIG), 0,
            "media change in config");
    TAP_OK(featXMLHas(off, 0, "/iso/install.iso"), "config has the media");
}

static void
testBlockCalls(virDomainPtr dom, virDomainPtr off)
{
    virDomainBlockInfo info;
    unsigned char a[16], b[16];

    TAP_INT(virDomainGetBlockInfo(dom, "vda", &info, 0), 0, "block info");
    TAP_INT(info.capacity, 10ULL << 30, "capacity 10 GiB");
    TAP_OK(info.allocation <= info.capacity && info.physical > 0,
           "allocation within capacity");
    TAP_INT(virDomainBlockResize(dom, "vda", 20ULL << 20, 0), 0,
            "resize to 20 GiB (KiB units)");
    virDomainGetBlockInfo(dom, "vda", &info, 0);
    TAP_INT(info.capacity, 20ULL << 30, "capacity read back");
    TAP_INT(virDomainBlockResize(dom, "vda", 4096,
                                 VIR_DOMAIN_BLOCK_RESIZE_BYTES), 0,
            "resize in bytes");
    virDomainGetBlockInfo(dom, "vda", &info, 0);
    TAP_INT(info.capacity, 4096, "4096 bytes now");
    TAP_INT(virDomainBlockResize(dom, "hdc", 4096,
                                 VIR_DOMAIN_BLOCK_RESIZE_BYTES), -1,
            "resizing a cdrom fails");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "cdrom: OPERATION_INVALID");
    TAP_INT(virDomainBlockResize(off, "vda", 4096, 0), -1, "inactive resize");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");
    TAP_INT(virDomainBlockResize(dom, "vdq", 4096, 0), -1, "unknown disk");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown disk: INVALID_ARG");
    TAP_INT(virDomainGetBlockInfo(dom, "hdc", &info, 0), -1,
            "empty cdrom has no info");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "no medium: OPERATION_INVALID");

    TAP_INT(virDomainBlockPeek(dom, "vda", 100, 16, a, 0), 0, "block peek");
    TAP_INT(virDomainBlockPeek(dom, "vda", 100, 16, b, 0), 0, "peek again");
    TAP_OK(memcmp(a, b, 16) == 0, "same bytes on the same offset");
    virDomainBlockPeek(dom, "vda", 108, 8, b, 0);
    TAP_OK(memcmp(a + 8, b, 8) == 0, "content depends on the offset only");
    TAP_INT(virDomainBlockPeek(dom, "vda", 4090, 16, a, 0), -1, "past end");
    TAP_ERR(VIR_ERR_INVALID_ARG, "past end: INVALID_ARG");
    TAP_INT(virDomainBlockPeek(off, "vda", 0, 16, a, 0), 0,
            "inactive domains can be peeked");

    TAP_INT(virDomainMemoryPeek(dom, 0, 16, a, VIR_MEMORY_PHYSICAL), 0,
            "memory peek");
    TAP_INT(virDomainMemoryPeek(dom, 0, 16, a, 0), -1, "no mode fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "no mode: INVALID_ARG");
    TAP_INT(virDomainMemoryPeek(dom, 2097152ULL * 1024, 16, a,
                                VIR_MEMORY_VIRTUAL), -1, "beyond memory");
    TAP_ERR(VIR_ERR_INVALID_ARG, "beyond memory: INVALID_ARG");
    TAP_INT(virDomainMemoryPeek(off, 0, 16, a, VIR_MEMORY_VIRTUAL), -1,
            "inactive memory peek");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");

    TAP_INT(virDomainGetDiskErrors(dom, NULL, 0, 0), 0, "no disk errors");
    TAP_INT(virDomainGetDiskErrors(off, NULL, 0, 0), -1, "inactive errors");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");
}

int
main(void)
{
    virConnectPtr conn;
    virDomainPtr dom, off;
    int c1, c2;

    virSetErrorFunc(NULL, featQuiet);
    virEventRegisterDefaultImpl();
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");
    off = featDefine(conn, "cfg");
    if (!TAP_OK(conn && dom && off, "connection and domains"))
        return tapDone();
    c1 = virConnectDomainEventRegisterAny(conn, dom,
                                          VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                          VIR_DOMAIN_EVENT_CALLBACK(onDevice),
                                          conn, NULL);
    c2 = virConnectDomainEventRegisterAny(conn, dom,
                                          VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                          VIR_DOMAIN_EVENT_CALLBACK(onDevice),
                                          NULL, NULL);
    testAttachDetach(dom, off);
    testUpdate(dom, off);
    testBlockCalls(dom, off);
    virConnectDomainEventDeregisterAny(conn, c1);
    virConnectDomainEventDeregisterAny(conn, c2);
    virDomainFree(off);
    virDomainFree(dom);
    virConnectClose(conn);
    return tapDone();
}
