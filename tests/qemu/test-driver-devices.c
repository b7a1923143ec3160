/* test-driver-devices.c: every device the QEMU driver maps is accepted by
 * the real QEMU (domains started paused, so no boot is needed), and what
 * QEMU chose comes back in the live XML */
#include "qemu-test.h"

static virConnectPtr conn;
static char *root;

/* Run qemu-img create -f FMT PATH 16M. */
static bool
makeImage(const char *fmt, const char *path)
{
    char cmd[700];

    snprintf(cmd, sizeof(cmd), "qemu-img create -q -f %s '%s' 16M", fmt,
             path);
    return system(cmd) == 0;
}

/* Define DEVICES into a domain NAME on MACHINE, start it paused, check
 * each string of EXPECT is in the live XML, then destroy and undefine. */
static void
bootPaused(const char *name, const char *machine, const char *devices,
           const char *const *expect)
{
    char *xml;
    virDomainPtr dom;
    char *live;
    int reason = -1;

    qtMachine = machine;
    xml = qtXML(name, "", devices);
    qtMachine = "q35";
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "%s: define: %s", name, dom ? "ok" : qtErrMsg());
    if (!dom)
        return;
    TAP_INT(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), 0,
            "%s: QEMU accepts the devices: %s", name, qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_PAUSED, &reason, 100),
           "%s: paused", name);
    live = virDomainGetXMLDesc(dom, 0);
    for (size_t i = 0; expect[i]; i++)
        TAP_OK(live && strstr(live, expect[i]), "%s: live XML has %s", name,
               expect[i]);
    if (live && getenv("QT_VERBOSE"))
        printf("%s", live);
    free(live);
    TAP_INT(virDomainResume(dom), 0, "%s: resume", name);
    TAP_INT(virDomainDestroy(dom), 0, "%s: destroy", name);
    TAP_INT(virDomainUndefine(dom), 0, "%s: undefine", name);
    virDomainFree(dom);
}

static void
testQ35(void)
{
    char qcow[600], raw[600], serialLog[600], devices[6000];
    static const char *const expect[] = {
        "<alias name='virtio-disk0'/>", "<alias name='net0'/>",
        "<alias name='channel0'/>", "<source path='/dev/pts/",
        "<alias name='balloon0'/>", "<alias name='rng0'/>",
        "<alias name='watchdog0'/>", "<alias name='video0'/>",
        "port='59", NULL
    };
    struct stat st;

    snprintf(qcow, sizeof(qcow), "%s/disk.qcow2", root);
    snprintf(raw, sizeof(raw), "%s/disk.raw", root);
    snprintf(serialLog, sizeof(serialLog), "%s/serial1.log", root);
    TAP_OK(makeImage("qcow2", qcow) && makeImage("raw", raw),
           "qemu-img creates the images");
    snprintf(devices, sizeof(devices),
        "    <disk type='file' device='disk'>"
        "<driver name='qemu' type='qcow2' cache='none'/>"
        "<source file='%s'/><target dev='vda' bus='virtio'/>"
        "<boot order='1'/></disk>\n"
        "    <disk type='file' device='disk'><driver name='qemu' type='raw'/>"
        "<source file='%s'/><target dev='sdb' bus='scsi'/></disk>\n"
        "    <disk type='file' device='cdrom'><target dev='sda' bus='sata'/>"
        "<readonly/></disk>\n"
        "    <controller type='scsi' index='0' model='virtio-scsi'/>\n"
        "    <controller type='usb' index='0' model='qemu-xhci'/>\n"
        "    <controller type='virtio-serial' index='0'/>\n"
        "    <interface type='user'><mac address='52:54:00:12:34:56'/>"
        "<model type='virtio'/></interface>\n"
        "    <interface type='user'><model type='e1000e'/></interface>\n"
        "    <serial type='file'><source path='%s'/><target port='1'/>"
        "</serial>\n"
        "    <channel type='unix'><target type='virtio' "
        "name='org.qemu.guest_agent.0'/></channel>\n"
        "    <channel type='pty'><target type='virtio' name='org.vireo.t'/>"
        "</channel>\n"
        "    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>\n"
        "    <video><model type='virtio' heads='1'/></video>\n"
        "    <input type='tablet' bus='usb'/>\n"
        "    <input type='keyboard' bus='virtio'/>\n"
        "    <input type='mouse' bus='ps2'/>\n"
        "    <memballoon model='virtio'/>\n"
        "    <watchdog model='i6300esb' action='poweroff'/>\n"
        "    <rng model='virtio'><backend model='random'>/dev/urandom"
        "</backend></rng>\n", qcow, raw, serialLog);
    bootPaused("q35dev", "q35", devices, expect);
    TAP_OK(stat(serialLog, &st) == 0, "the file serial port was created");
}

static void
testPc(void)
{
    char raw[600], devices[2000];
    static const char *const expect[] = {
        "<alias name='ide0-0-0'/>", "<alias name='ide0-1-0'/>",
        "<alias name='net0'/>", NULL
    };

    snprintf(raw, sizeof(raw), "%s/disk.raw", root);
    snprintf(devices, sizeof(devices),
        "    <disk type='file' device='disk'><driver name='qemu' type='raw'/>"
        "<source file='%s'/><target dev='hda' bus='ide'/></disk>\n"
        "    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/>"
        "<readonly/></disk>\n"
        "    <interface type='user'><model type='rtl8139'/></interface>\n"
        "    <video><model type='cirrus' vram='16384'/></video>\n"
        "    <rng model='virtio'><backend model='builtin'/></rng>\n",
        raw);
    bootPaused("pcdev", "pc", devices, expect);
}

int
main(void)
{
    char why[200];
    char *uri;

    if (!qtSetup(why, sizeof(why))) {
        tapSkip(why);
        return tapDone();
    }
    virSetErrorFunc(NULL, qtNoErrors);
    root = qtRoot();
    uri = qtURI(root);
    conn = virConnectOpen(uri);
    TAP_OK(conn != NULL, "open %s: %s", uri, conn ? "ok" : qtErrMsg());
    if (!conn)
        return tapDone();
    testQ35();
    testPc();
    TAP_INT(virConnectClose(conn), 0, "close");
    qtRemoveRoot(root);
    free(root);
    free(uri);
    return tapDone();
}
