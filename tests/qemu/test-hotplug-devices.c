/* test-hotplug-devices.c: device hotplug of the QEMU driver with the real
 * test guest under TCG (q35, the driver's free PCIe root ports): a disk, a
 * NIC and a virtio-serial channel plugged in and out (the guest sees them
 * come and go, the live XML lists them with aliases, DEVICE_ADDED and
 * DEVICE_REMOVED arrive), persistent-only changes, cdrom media change and
 * eject (tray events), link state seen by the guest, and the error paths */
#include "hotplug-test.h"

#define NAME "hpdev"
#define NIC0 "52:54:00:12:34:01"
#define NIC1 "52:54:00:12:34:02"

static virConnectPtr conn;
static char *root;

static char *
domainXML(void)
{
    char devs[2048];

    snprintf(devs, sizeof(devs),
             "    <disk type='file' device='cdrom'><driver name='qemu' "
             "type='raw'/><source file='%s/cd1.img'/><target dev='sda' "
             "bus='sata'/><readonly/></disk>\n"
             "    <interface type='user'><mac address='" NIC0 "'/>"
             "<model type='virtio'/></interface>\n", root);
    return qtXML(NAME, "", devs);
}

static char *
diskXML(const char *file, const char *dev)
{
    char *xml = NULL;

    if (asprintf(&xml, "<disk type='file' device='disk'><driver name='qemu' "
                 "type='raw'/><source file='%s/%s'/><target dev='%s' "
                 "bus='virtio'/></disk>", root, file, dev) < 0)
        abort();
    return xml;
}

static void
testDisk(virDomainPtr dom, QtConsole *con)
{
    char *xml = diskXML("hot.img", "vdb");
    char *xml2 = diskXML("hot.img", "vdz");
    const char *alias;

    HT_SAYS(con, "ls /sys/block | grep -c vd", "0", HT_WAIT_MS,
            "the guest has no virtio disk at first");
    qtEventsClear();
    TAP_INT(virDomainAttachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_LIVE), 0,
            "attach a raw disk live: %s", qtErrMsg());
    alias = htEventAlias(NAME, VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, -1,
                         HT_WAIT_MS);
    TAP_STR(alias, "virtio-disk0", "DEVICE_ADDED names its alias");
    HT_SAYS(con, "ls /sys/block | grep vd", "vda", HT_WAIT_MS,
            "the guest sees the new disk");
    TAP_OK(htXMLHas(dom, 0, "<target dev='vdb' bus='virtio'/>"),
           "the live XML lists vdb");
    TAP_OK(htXMLHas(dom, 0, "<alias name='virtio-disk0'/>"),
           "... with its alias");
    TAP_OK(!htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "vdb"),
           "the persistent XML does not");

    TAP_INT(virDomainAttachDevice(dom, xml), -1, "attach vdb again");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_FAILED,
            "... a duplicate target: %s", qtErrMsg());

    qtEventsClear();
    TAP_INT(virDomainDetachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_LIVE), 0,
            "detach it live: %s", qtErrMsg());
    TAP_OK(!htXMLHas(dom, 0, "vdb"), "gone from the live XML on return");
    alias = htEventAlias(NAME, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, -1,
                         HT_WAIT_MS);
    TAP_STR(alias, "virtio-disk0", "DEVICE_REMOVED names it");
    HT_SAYS(con, "ls /sys/block | grep -c vd", "0", HT_WAIT_MS,
            "the guest no longer has it");

    /* the alias (and its backend names) are free again */
    TAP_INT(virDomainAttachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_LIVE), 0,
            "attach it again: %s", qtErrMsg());
    TAP_OK(htXMLHas(dom, 0, "<alias name='virtio-disk0'/>"),
           "... under the same alias");
    TAP_INT(virDomainDetachDeviceAlias(dom, "virtio-disk0",
                                       VIR_DOMAIN_AFFECT_LIVE), 0,
            "detach it by alias: %s", qtErrMsg());
    HT_SAYS(con, "ls /sys/block | grep -c vd", "0", HT_WAIT_MS,
            "the guest lost it again");

    TAP_INT(virDomainDetachDeviceFlags(dom, xml2, VIR_DOMAIN_AFFECT_LIVE), -1,
            "detach a disk the domain does not have");
    TAP_INT(qtErrCode(), VIR_ERR_DEVICE_MISSING, "... device missing: %s",
            qtErrMsg());
    TAP_INT(virDomainDetachDeviceAlias(dom, "nosuch0",
                                       VIR_DOMAIN_AFFECT_LIVE), -1,
            "detach an unknown alias");
    TAP_INT(qtErrCode(), VIR_ERR_DEVICE_MISSING, "... device missing: %s",
            qtErrMsg());
    free(xml);
    free(xml2);
}

static void
testConfig(virDomainPtr dom, QtConsole *con)
{
    char *xml = diskXML("cfg.img", "vdc");

    TAP_INT(virDomainAttachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "attach a disk to the persistent definition only: %s",
            qtErrMsg());
    TAP_OK(htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "cfg.img"),
           "the persistent XML has it");
    TAP_OK(!htXMLHas(dom, 0, "cfg.img"), "the live XML does not");
    HT_SAYS(con, "ls /sys/block | grep -c vd", "0", 5000,
            "nor does the guest");
    TAP_INT(virDomainIsUpdated(dom), 1, "the domain reports an update");
    TAP_INT(virDomainAttachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_CONFIG),
            -1, "the same target again in the persistent definition");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_FAILED, "... refused: %s",
            qtErrMsg());
    TAP_INT(virDomainDetachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_LIVE |
                                       VIR_DOMAIN_AFFECT_CONFIG), -1,
            "detach live+config of a disk the guest does not have");
    TAP_INT(qtErrCode(), VIR_ERR_DEVICE_MISSING, "... missing: %s",
            qtErrMsg());
    TAP_OK(htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "cfg.img"),
           "... and the persistent definition kept it");
    TAP_INT(virDomainDetachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "detach it from the persistent definition: %s", qtErrMsg());
    TAP_OK(!htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "cfg.img"),
           "gone from the persistent XML");
    free(xml);
}

static void
testNic(virDomainPtr dom, QtConsole *con)
{
    const char *nic = "<interface type='user'><mac address='" NIC1 "'/>"
        "<model type='virtio'/></interface>";
    const char *down = "<interface type='user'><mac address='" NIC0 "'/>"
        "<model type='virtio'/><link state='down'/></interface>";
    const char *up = "<interface type='user'><mac address='" NIC0 "'/>"
        "<model type='virtio'/><link state='up'/></interface>";
    const char *bw = "<interface type='user'><mac address='" NIC0 "'/>"
        "<model type='virtio'/><bandwidth><inbound average='1000'/>"
        "</bandwidth></interface>";
    const char *carrier = "ip link set eth0 up; sleep 1; "
        "cat /sys/class/net/eth0/address /sys/class/net/eth0/carrier";
    const char *alias;

    HT_SAYS(con, "ls /sys/class/net | grep -c eth", "1",
            HT_WAIT_MS,
            "the guest has one NIC");
    qtEventsClear();
    TAP_INT(virDomainAttachDeviceFlags(dom, nic, VIR_DOMAIN_AFFECT_CURRENT),
            0, "attach a user-mode NIC (current = live): %s", qtErrMsg());
    alias = htEventAlias(NAME, VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, -1,
                         HT_WAIT_MS);
    TAP_STR(alias, "net1", "DEVICE_ADDED names net1");
    HT_SAYS(con, "ls /sys/class/net | grep eth | tr '\\n' ' '",
            "eth0 eth1", HT_WAIT_MS,
            "the guest sees eth1");
    TAP_OK(htXMLHas(dom, 0, NIC1), "the live XML lists its MAC");
    TAP_OK(!htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, NIC1),
           "the persistent XML does not");

    HT_SAYS(con, carrier, NIC0 " 1", HT_WAIT_MS,
            "eth0 has carrier");
    TAP_INT(virDomainUpdateDeviceFlags(dom, down, VIR_DOMAIN_AFFECT_LIVE), 0,
            "link of eth0 down: %s", qtErrMsg());
    HT_SAYS(con, carrier, NIC0 " 0", HT_WAIT_MS,
            "the guest sees carrier 0");
    TAP_OK(htXMLHas(dom, 0, "<link state='down'/>"), "the live XML says so");
    TAP_INT(virDomainUpdateDeviceFlags(dom, up, VIR_DOMAIN_AFFECT_LIVE), 0,
            "link up again: %s", qtErrMsg());
    HT_SAYS(con, carrier, NIC0 " 1", HT_WAIT_MS,
            "the guest sees carrier 1");
    TAP_INT(virDomainUpdateDeviceFlags(dom, bw, VIR_DOMAIN_AFFECT_LIVE), -1,
            "interface bandwidth");
    TAP_INT(qtErrCode(), VIR_ERR_NO_SUPPORT, "... not supported: %s",
            qtErrMsg());

    qtEventsClear();
    TAP_INT(virDomainDetachDevice(dom, nic), 0, "detach the NIC: %s",
            qtErrMsg());
    alias = htEventAlias(NAME, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, -1,
                         HT_WAIT_MS);
    TAP_STR(alias, "net1", "DEVICE_REMOVED names net1");
    HT_SAYS(con, "ls /sys/class/net | grep -c eth", "1",
            HT_WAIT_MS,
            "the guest is back to one NIC");
    TAP_OK(!htXMLHas(dom, 0, NIC1), "gone from the live XML");
}

/* A virtio-serial port (its controller plugged first: the domain has
 * none) and an rng device. */
static void
testChannelRng(virDomainPtr dom, QtConsole *con)
{
    const char *chan = "<channel type='pty'><target type='virtio' "
        "name='org.vireo.hot.0'/></channel>";
    const char *rng = "<rng model='virtio'><backend model='random'>"
        "/dev/urandom</backend></rng>";
    const char *ports = "cat /sys/class/virtio-ports/*/name 2>/dev/null | "
        "grep -c org.vireo.hot.0";
    const char *rngs = "grep -c virtio_rng "
        "/sys/devices/virtual/misc/hw_random/rng_available";

    TAP_INT(virDomainAttachDeviceFlags(dom, chan, VIR_DOMAIN_AFFECT_LIVE), 0,
            "attach a virtio-serial channel: %s", qtErrMsg());
    HT_SAYS(con, ports, "1", HT_WAIT_MS, "the guest sees its port");
    TAP_OK(htXMLHas(dom, 0, "<source path='/dev/pts/"),
           "the live XML has its pty");
    TAP_OK(htXMLHas(dom, 0, "<alias name='virtio-serial0'/>"),
           "... and the controller plugged for it");
    TAP_INT(virDomainDetachDeviceFlags(dom, chan, VIR_DOMAIN_AFFECT_LIVE), 0,
            "detach it (matched by its target name): %s", qtErrMsg());
    HT_SAYS(con, ports, "0", HT_WAIT_MS, "the guest lost the port");
    TAP_OK(!htXMLHas(dom, 0, "org.vireo.hot.0"), "gone from the live XML");

    HT_SAYS(con, rngs, "0", HT_WAIT_MS, "no virtio rng at first");
    TAP_INT(virDomainAttachDeviceFlags(dom, rng, VIR_DOMAIN_AFFECT_LIVE), 0,
            "attach a virtio rng: %s", qtErrMsg());
    HT_SAYS(con, rngs, "1", HT_WAIT_MS, "the guest's hw_random has it");
    TAP_INT(virDomainDetachDeviceAlias(dom, "rng0", VIR_DOMAIN_AFFECT_LIVE),
            0, "detach rng0: %s", qtErrMsg());
    HT_SAYS(con, rngs, "0", HT_WAIT_MS, "the guest lost it");
}

static void
testMedia(virDomainPtr dom)
{
    char cd2[1024], eject[512], src[600];
    const char *alias;

    snprintf(cd2, sizeof(cd2), "<disk type='file' device='cdrom'><driver "
             "name='qemu' type='raw'/><source file='%s/cd2.img'/><target "
             "dev='sda' bus='sata'/><readonly/></disk>", root);
    snprintf(eject, sizeof(eject), "<disk type='file' device='cdrom'><target "
             "dev='sda' bus='sata'/><readonly/></disk>");
    snprintf(src, sizeof(src), "<source file='%s/cd2.img'/>", root);
    qtEventsClear();
    TAP_INT(virDomainUpdateDeviceFlags(dom, cd2, VIR_DOMAIN_AFFECT_LIVE), 0,
            "change the cdrom's medium: %s", qtErrMsg());
    TAP_OK(htXMLHas(dom, 0, src), "the live XML shows the new medium");
    TAP_OK(!htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "cd2.img"),
           "the persistent XML keeps the old one");
    alias = htEventAlias(NAME, VIR_DOMAIN_EVENT_ID_TRAY_CHANGE,
                         VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN, HT_WAIT_MS);
    TAP_STR(alias, "sata0-0-0", "TRAY_CHANGE open for the cdrom");
    alias = htEventAlias(NAME, VIR_DOMAIN_EVENT_ID_TRAY_CHANGE,
                         VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE, HT_WAIT_MS);
    TAP_STR(alias, "sata0-0-0", "... then close");

    TAP_INT(virDomainUpdateDeviceFlags(dom, eject, VIR_DOMAIN_AFFECT_LIVE |
                                       VIR_DOMAIN_AFFECT_CONFIG), 0,
            "eject it live and persistently: %s", qtErrMsg());
    TAP_OK(!htXMLHas(dom, 0, "cd2.img") && !htXMLHas(dom, 0, "cd1.img"),
           "the live cdrom is empty");
    TAP_OK(!htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "cd1.img"),
           "so is the persistent one");
    TAP_INT(virDomainUpdateDeviceFlags(dom, cd2, VIR_DOMAIN_AFFECT_LIVE), 0,
            "insert a medium into the empty drive: %s", qtErrMsg());
    TAP_OK(htXMLHas(dom, 0, src), "the live XML shows it");
}

/* Calls on the stopped domain: live is refused, config works. */
static void
testInactive(virDomainPtr dom)
{
    char *xml = diskXML("cfg.img", "vdc");

    TAP_INT(virDomainAttachDevice(dom, xml), -1, "attach live to a stopped "
            "domain");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... not running: %s",
            qtErrMsg());
    TAP_INT(virDomainAttachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_CURRENT),
            0, "attach with current = config: %s", qtErrMsg());
    TAP_OK(htXMLHas(dom, 0, "cfg.img"), "the definition has it");
    TAP_INT(virDomainDetachDeviceFlags(dom, xml, 0), 0, "detach it: %s",
            qtErrMsg());
    TAP_OK(!htXMLHas(dom, 0, "cfg.img"), "and it is gone");
    TAP_INT(virDomainAttachDeviceFlags(dom, xml, 1u << 7), -1,
            "an unknown flag");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());
    free(xml);
}

int
main(void)
{
    char why[200], *uri, *xml;
    virDomainPtr dom = NULL;
    QtConsole con = { 0 };
    long long t0 = qtNowMs();

    if (!qtSetup(why, sizeof(why))) {
        printf("1..0 # SKIP %s\n", why);
        return 0;
    }
    root = qtRoot();
    TAP_INT(qtSh("cd %s && qemu-img create -q -f raw hot.img 16M && "
                 "qemu-img create -q -f raw cfg.img 8M && "
                 "qemu-img create -q -f raw cd1.img 1M && "
                 "qemu-img create -q -f raw cd2.img 2M", root), 0,
            "images created");
    qtEventLoopStart();
    uri = qtURI(root);
    if (!(conn = qtOpen(uri))) {
        TAP_OK(false, "open %s: %s", uri, qtErrMsg());
        return tapDone();
    }
    htEventsWatch(conn);
    xml = domainXML();
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "define: %s", qtErrMsg());
    if (!dom)
        goto done;
    TAP_INT(virDomainCreate(dom), 0, "start: %s", qtErrMsg());
    TAP_INT(qtConsoleOpen(&con, conn, dom, 0), 0, "console: %s", qtErrMsg());
    if (!qtConsoleWait(&con, QT_MARKER, HT_BOOT_MS)) {
        TAP_OK(false, "guest booted");
        goto done;
    }
    printf("# booted after %lld ms\n", qtNowMs() - t0);

    testDisk(dom, &con);
    testConfig(dom, &con);
    testNic(dom, &con);
    testChannelRng(dom, &con);
    testMedia(dom);

    qtConsoleClose(&con);
    TAP_INT(virDomainDestroy(dom), 0, "destroy: %s", qtErrMsg());
    testInactive(dom);
    TAP_INT(virDomainUndefine(dom), 0, "undefine");
 done:
    qtConsoleClose(&con);
    if (dom) {
        virDomainDestroy(dom);
        virDomainFree(dom);
    }
    virConnectClose(conn);
    free(uri);
    printf("# whole run %lld ms\n", qtNowMs() - t0);
    return tapDone();
}
