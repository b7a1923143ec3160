/* test-net-guest.c: bridge interfaces of the real test guest in a private
 * network namespace: the tap vireo makes (enslaved, up, host MAC, named in
 * the live XML), its counters moving with the guest's pings and matching
 * interface stats, tc shaping from <bandwidth> (outbound through an ifb),
 * the bandwidth API and update-device read back from the kernel,
 * hotplug/unplug of a bridge NIC and the taps gone after detach and
 * destroy */
#include "hotplug-test.h"

#include <sched.h>
#include <sys/mount.h>

#define NAME "netg"
#define BRIDGE "vireobr0"
#define NIC0 "52:54:00:77:00:01"
#define NIC1 "52:54:00:77:00:02"

static virConnectPtr conn;
static char *root;

static long long
sysStat(const char *tap, const char *name)
{
    return atoll(qtShLine("cat /sys/class/net/%s/statistics/%s", tap, name));
}

/* The ifb device that shapes what the guest sends through TAP. */
static const char *
ifbOf(const char *tap)
{
    static char ifb[32];

    snprintf(ifb, sizeof(ifb), "vireo-ifb%s",
             qtShLine("cat /sys/class/net/%s/ifindex", tap));
    return ifb;
}

static bool
tapExists(const char *tap)
{
    char path[128];

    snprintf(path, sizeof(path), "/sys/class/net/%s", tap);
    return access(path, F_OK) == 0;
}

/* Set P to the unsigned int parameter NAME = VALUE. */
static void
uintParam(virTypedParameterPtr p, const char *name, unsigned int value)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->field, sizeof(p->field), "%s", name);
    p->type = VIR_TYPED_PARAM_UINT;
    p->value.ui = value;
}

/* Interface parameter FIELD of DEV read with FLAGS, -1 when the call
 * fails. */
static long long
bwGetFlags(virDomainPtr dom, const char *dev, const char *field,
           unsigned int flags)
{
    virTypedParameter p[8];
    int n = 8;

    memset(p, 0, sizeof(p));
    if (virDomainGetInterfaceParameters(dom, dev, p, &n, flags) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(p[i].field, field) == 0)
            return p[i].value.ui;
    return -1;
}

/* Interface parameter FIELD of DEV (live), -1 when the call fails. */
static long long
bwGet(virDomainPtr dom, const char *dev, const char *field)
{
    return bwGetFlags(dom, dev, field, VIR_DOMAIN_AFFECT_LIVE);
}

static void
testTap(virDomainPtr dom)
{
    TAP_OK(htXMLHas(dom, 0, "<target dev='vnet0'/>"),
           "the live XML names the tap vnet0");
    TAP_OK(!htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "vnet0"),
           "the persistent XML does not");
    TAP_OK(tapExists("vnet0"), "tap vnet0 exists");
    TAP_STR(qtShLine("basename $(readlink /sys/class/net/vnet0/master)"),
            BRIDGE, "it is a port of " BRIDGE);
    TAP_STR(qtShLine("cat /sys/class/net/vnet0/address"), "fe:54:00:77:00:01",
            "its host MAC is the guest's with fe: first");
    TAP_STR(qtShLine("cat /sys/class/net/vnet0/tun_flags"), "0x5002",
            "it is a tap with vnet headers and no packet info");
    TAP_INT(atoi(qtShLine("echo $(( $(cat /sys/class/net/vnet0/flags) & 1 "
                         "))")), 1, "it is up");
}

/* The interface group of the bulk stats names the tap and counts what
 * interface stats counted (TXPKTS, guest side) or more. */
static void
testBulkStats(virDomainPtr dom, long long txPkts)
{
    virDomainPtr doms[] = { dom, NULL };
    virDomainStatsRecordPtr *recs = NULL;
    const char *name = NULL;
    unsigned long long pkts = 0;
    int n;

    n = virDomainListGetStats(doms, VIR_DOMAIN_STATS_INTERFACE, &recs, 0);
    TAP_INT(n, 1, "bulk interface stats: %s", qtErrMsg());
    if (n == 1) {
        virTypedParamsGetString(recs[0]->params, recs[0]->nparams,
                                "net.0.name", &name);
        virTypedParamsGetULLong(recs[0]->params, recs[0]->nparams,
                                "net.0.tx.pkts", &pkts);
    }
    TAP_STR(name ? name : "", "vnet0", "net.0.name is the tap");
    TAP_OK(pkts >= (unsigned long long)txPkts, "net.0.tx.pkts %llu >= %lld",
           pkts, txPkts);
    virDomainStatsRecordListFree(recs);
}

static void
testTraffic(virDomainPtr dom, QtConsole *con)
{
    virDomainInterfaceStatsStruct st;
    long long before, lo, hi;
    char ifb[32];

    before = sysStat("vnet0", "rx_packets");
    HT_SAYS(con, "ip link set eth0 up; ip addr add 192.168.77.2/24 dev eth0 "
            "2>/dev/null; ping -c 3 -W 2 192.168.77.1 >/dev/null && echo ok",
            "ok", HT_WAIT_MS, "the guest pings the bridge's address");
    TAP_OK(sysStat("vnet0", "rx_packets") >= before + 3,
           "the tap received the guest's packets (%lld -> %lld)", before,
           sysStat("vnet0", "rx_packets"));
    TAP_OK(sysStat("vnet0", "tx_packets") >= 3,
           "and sent the replies (%lld)", sysStat("vnet0", "tx_packets"));
    snprintf(ifb, sizeof(ifb), "%s", ifbOf("vnet0"));
    TAP_OK(sysStat(ifb, "tx_packets") >= 3,
           "the guest's packets went through the shaping ifb (%lld)",
           sysStat(ifb, "tx_packets"));

    memset(&st, 0, sizeof(st));
    lo = sysStat("vnet0", "rx_bytes");
    TAP_INT(virDomainInterfaceStats(dom, "vnet0", &st, sizeof(st)), 0,
            "interface stats by tap name: %s", qtErrMsg());
    hi = sysStat("vnet0", "rx_bytes");
    TAP_OK(st.tx_bytes >= lo && st.tx_bytes <= hi,
           "guest tx bytes are the tap's rx bytes (%lld in [%lld, %lld])",
           st.tx_bytes, lo, hi);
    TAP_OK(st.rx_packets >= 3 &&
           st.rx_packets <= sysStat("vnet0", "tx_packets"),
           "guest rx packets are the tap's tx packets (%lld)",
           st.rx_packets);
    TAP_INT(virDomainInterfaceStats(dom, NIC0, &st, sizeof(st)), 0,
            "interface stats by MAC: %s", qtErrMsg());
    TAP_INT(virDomainInterfaceStats(dom, "net0", &st, sizeof(st)), 0,
            "and by alias: %s", qtErrMsg());
    TAP_OK(st.tx_packets >= 3, "... %lld packets sent by the guest",
           st.tx_packets);
    testBulkStats(dom, st.tx_packets);
}

static void
testBandwidth(virDomainPtr dom)
{
    const char *upd = "<interface type='bridge'><mac address='" NIC0 "'/>"
        "<source bridge='" BRIDGE "'/><model type='virtio'/><bandwidth>"
        "<inbound average='500' burst='64'/></bandwidth></interface>";
    const char *cls = "tc class show dev vnet0 | grep -o 'rate [^ ]* ceil "
        "[^ ]* burst [^ ]*'";
    virTypedParameter p[4];
    char ifb[32], want[64];

    TAP_STR(qtShLine("%s", cls), "rate 8Mbit ceil 8Mbit burst 32Kb",
            "<bandwidth> of the definition is on the tap at start");
    TAP_INT(bwGet(dom, "vnet0", VIR_DOMAIN_BANDWIDTH_IN_AVERAGE), 1000,
            "inbound average read back: 1000");
    TAP_INT(bwGet(dom, "vnet0", VIR_DOMAIN_BANDWIDTH_IN_BURST), 32,
            "inbound burst read back: 32");

    uintParam(&p[0], VIR_DOMAIN_BANDWIDTH_IN_AVERAGE, 2000);
    uintParam(&p[1], VIR_DOMAIN_BANDWIDTH_IN_PEAK, 4000);
    TAP_INT(virDomainSetInterfaceParameters(dom, "vnet0", p, 2,
            VIR_DOMAIN_AFFECT_LIVE), 0, "set inbound 2000/4000 live: %s",
            qtErrMsg());
    TAP_STR(qtShLine("%s", cls), "rate 16Mbit ceil 32Mbit burst 32Kb",
            "tc has the new class");
    TAP_INT(bwGet(dom, NIC0, VIR_DOMAIN_BANDWIDTH_IN_AVERAGE), 2000,
            "average read back: 2000");
    TAP_INT(bwGet(dom, NIC0, VIR_DOMAIN_BANDWIDTH_IN_PEAK), 4000,
            "peak read back: 4000");
    /* python3-libvirt's setInterfaceParameters reads with the caller's
     * flags first; LIVE|CONFIG reads the persistent definition */
    TAP_INT(bwGetFlags(dom, NIC0, VIR_DOMAIN_BANDWIDTH_IN_AVERAGE,
                       VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG),
            bwGetFlags(dom, NIC0, VIR_DOMAIN_BANDWIDTH_IN_AVERAGE,
                       VIR_DOMAIN_AFFECT_CONFIG),
            "a LIVE|CONFIG get reads the persistent average: %s",
            qtErrMsg());
    qtSh("tc qdisc del dev vnet0 root");
    TAP_INT(bwGet(dom, NIC0, VIR_DOMAIN_BANDWIDTH_IN_AVERAGE), 0,
            "shaping removed behind vireo's back reads back as 0");

    p[0].value.ui = 0;
    TAP_INT(virDomainSetInterfaceParameters(dom, "vnet0", p, 1,
            VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG), -1,
            "the live-only tap name is unknown to the persistent config");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG: %s",
            qtErrMsg());
    TAP_INT(virDomainSetInterfaceParameters(dom, NIC0, p, 1,
            VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG), 0,
            "average 0 (live and config) removes shaping: %s", qtErrMsg());
    TAP_STR(qtShLine("tc class show dev vnet0"), "", "no class left");
    TAP_OK(!htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "<bandwidth>"),
           "the persistent XML lost its <bandwidth>");

    TAP_INT(virDomainUpdateDeviceFlags(dom, upd, VIR_DOMAIN_AFFECT_LIVE), 0,
            "update-device with <bandwidth> live: %s", qtErrMsg());
    TAP_STR(qtShLine("%s", cls), "rate 4Mbit ceil 4Mbit burst 64Kb",
            "tc has the updated class");
    TAP_OK(htXMLHas(dom, 0, "<inbound average='500' burst='64'/>"),
           "the live XML has the new <bandwidth>");

    uintParam(&p[0], VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, 300);
    uintParam(&p[1], VIR_DOMAIN_BANDWIDTH_OUT_PEAK, 600);
    uintParam(&p[2], VIR_DOMAIN_BANDWIDTH_OUT_BURST, 20);
    TAP_INT(virDomainSetInterfaceParameters(dom, "vnet0", p, 3,
            VIR_DOMAIN_AFFECT_LIVE), 0, "set outbound 300/600/20 live: %s",
            qtErrMsg());
    snprintf(ifb, sizeof(ifb), "%s", ifbOf("vnet0"));
    TAP_STR(qtShLine("tc class show dev %s | grep -o 'rate [^ ]* ceil "
                    "[^ ]* burst [^ ]*'", ifb),
            "rate 2400Kbit ceil 4800Kbit burst 20Kb",
            "the tap's ifb %s has the HTB class", ifb);
    snprintf(want, sizeof(want), "Egress Redirect to device %s", ifb);
    TAP_STR(qtShLine("tc filter show dev vnet0 ingress | grep -o "
                    "'Egress Redirect to device [^)]*'"), want,
            "the tap's ingress goes to it");
    TAP_INT(bwGet(dom, "vnet0", VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE), 300,
            "outbound average read back: 300");
    TAP_INT(bwGet(dom, "vnet0", VIR_DOMAIN_BANDWIDTH_OUT_PEAK), 600,
            "outbound peak read back: 600");
    TAP_INT(bwGet(dom, "vnet0", VIR_DOMAIN_BANDWIDTH_OUT_BURST), 20,
            "outbound burst read back: 20");
    TAP_INT(bwGet(dom, "vnet0", VIR_DOMAIN_BANDWIDTH_IN_AVERAGE), 500,
            "the inbound shaping stays");
}

static void
testHotplug(virDomainPtr dom, QtConsole *con)
{
    const char *nic = "<interface type='bridge'><mac address='" NIC1 "'/>"
        "<source bridge='" BRIDGE "'/><target dev='vtest1'/>"
        "<model type='virtio'/><bandwidth><outbound average='100'/>"
        "</bandwidth></interface>";
    const char *alias;
    char ifb[32];

    qtEventsClear();
    TAP_INT(virDomainAttachDeviceFlags(dom, nic, VIR_DOMAIN_AFFECT_LIVE), 0,
            "attach a bridge NIC live: %s", qtErrMsg());
    TAP_OK(tapExists("vtest1"), "its tap vtest1 (the target dev) exists");
    TAP_STR(qtShLine("basename $(readlink /sys/class/net/vtest1/master)"),
            BRIDGE, "on the bridge");
    TAP_OK(htXMLHas(dom, 0, "<target dev='vtest1'/>"),
           "the live XML names it");
    snprintf(ifb, sizeof(ifb), "%s", ifbOf("vtest1"));
    TAP_STR(qtShLine("tc class show dev %s | grep -o 'rate [^ ]*'", ifb),
            "rate 800Kbit", "its <bandwidth> is applied (ifb %s)", ifb);
    alias = htEventAlias(NAME, VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, -1,
                         HT_WAIT_MS);
    TAP_STR(alias, "net1", "DEVICE_ADDED names net1");
    HT_SAYS(con, "ls /sys/class/net | grep eth | tr '\\n' ' '",
            "eth0 eth1", HT_WAIT_MS, "the guest sees eth1");
    HT_SAYS(con, "cat /sys/class/net/eth1/address", NIC1, HT_WAIT_MS,
            "with its MAC");

    qtEventsClear();
    TAP_INT(virDomainDetachDevice(dom, nic), 0, "detach it: %s",
            qtErrMsg());
    alias = htEventAlias(NAME, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, -1,
                         HT_WAIT_MS);
    TAP_STR(alias, "net1", "DEVICE_REMOVED names net1");
    for (int i = 0; i < 100 && tapExists("vtest1"); i++)
        usleep(50 * 1000);
    TAP_OK(!tapExists("vtest1"), "its tap is gone");
    TAP_OK(!tapExists(ifb), "and its ifb");
    TAP_OK(tapExists("vnet0"), "the other one stays");
}

static void
testErrors(void)
{
    char *xml = qtXML("netbad", "", "    <interface type='network'>"
                      "<source network='default'/></interface>\n");
    virDomainPtr bad = virDomainCreateXML(conn, xml, 0);

    TAP_OK(bad == NULL, "an <interface type='network'> does not start");
    TAP_INT(qtErrCode(), VIR_ERR_CONFIG_UNSUPPORTED,
            "... CONFIG_UNSUPPORTED: %s", qtErrMsg());
    if (bad)
        virDomainFree(bad);
    free(xml);
    xml = qtXML("netbad", "", "    <interface type='bridge'>"
                "<source bridge='nosuchbr'/></interface>\n");
    bad = virDomainCreateXML(conn, xml, 0);
    TAP_OK(bad == NULL, "a missing bridge does not start");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_FAILED,
            "... OPERATION_FAILED naming it: %s", qtErrMsg());
    if (bad)
        virDomainFree(bad);
    free(xml);
}

/* A new connection to the root (as after a restart of the program) finds
 * the tap by the name the live status kept. Returns the domain on it. */
static virDomainPtr
testReconnect(virDomainPtr dom, const char *uri)
{
    virDomainInterfaceStatsStruct st;

    virDomainFree(dom);
    virConnectClose(conn);
    if (!(conn = qtOpen(uri)) ||
        !(dom = virDomainLookupByName(conn, NAME))) {
        TAP_OK(false, "reopen and look up: %s", qtErrMsg());
        return NULL;
    }
    TAP_OK(htXMLHas(dom, 0, "<target dev='vnet0'/>"),
           "after reopening, the live XML still names vnet0");
    memset(&st, 0, sizeof(st));
    TAP_INT(virDomainInterfaceStats(dom, "vnet0", &st, sizeof(st)), 0,
            "interface stats: %s", qtErrMsg());
    TAP_OK(st.tx_packets >= 3, "... the guest's packets (%lld)",
           st.tx_packets);
    TAP_INT(bwGet(dom, "vnet0", VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE), 300,
            "outbound shaping read back: 300");
    return dom;
}

/* A network namespace of our own, and a mount namespace in which sysfs's
 * network directories show it (sysfs shows the namespace of whoever
 * mounted it); the cgroup mounts under /sys stay. 0 or -1. */
static int
privateNet(void)
{
    char dir[] = "/tmp/vnet-sys-XXXXXX";

    if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        !mkdtemp(dir) ||
        mount("sysfs", dir, "sysfs", 0, NULL) < 0)
        return -1;
    if (qtSh("mount --bind %s/class/net /sys/class/net && "
             "mount --bind %s/devices/virtual/net /sys/devices/virtual/net "
             "&& umount -l %s && rmdir %s", dir, dir, dir, dir) != 0)
        return -1;
    return 0;
}

int
main(void)
{
    char why[200], *uri, *xml;
    virDomainPtr dom = NULL;
    QtConsole con = { 0 };
    long long t0 = qtNowMs();

    /* nothing below touches the host's network */
    if (geteuid() != 0 || privateNet() < 0) {
        printf("1..0 # SKIP needs root for a private network namespace\n");
        return 0;
    }
    if (!qtSetup(why, sizeof(why))) {
        printf("1..0 # SKIP %s\n", why);
        return 0;
    }
    TAP_INT(qtSh("ip link set lo up && ip link add " BRIDGE " type bridge && "
                 "ip addr add 192.168.77.1/24 dev " BRIDGE " && "
                 "ip link set " BRIDGE " up"), 0, "bridge " BRIDGE " made");
    root = qtRoot();
    qtEventLoopStart();
    uri = qtURI(root);
    if (!(conn = qtOpen(uri))) {
        TAP_OK(false, "open %s: %s", uri, qtErrMsg());
        return tapDone();
    }
    htEventsWatch(conn);
    xml = qtXML(NAME, "", "    <interface type='bridge'><mac address='" NIC0
                "'/><source bridge='" BRIDGE "'/><model type='virtio'/>"
                "<bandwidth><inbound average='1000' burst='32'/></bandwidth>"
                "</interface>\n");
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "define: %s", qtErrMsg());
    if (!dom)
        goto done;
    TAP_INT(virDomainCreate(dom), 0, "start: %s", qtErrMsg());
    TAP_INT(qtConsoleOpen(&con, conn, dom, 0), 0, "console: %s", qtErrMsg());
    testTap(dom);
    testBandwidth(dom);
    if (!qtConsoleWait(&con, QT_MARKER, HT_BOOT_MS)) {
        TAP_OK(false, "guest booted");
        goto done;
    }
    printf("# booted after %lld ms\n", qtNowMs() - t0);
    testTraffic(dom, &con);
    testHotplug(dom, &con);
    testErrors();

    qtConsoleClose(&con);
    dom = testReconnect(dom, uri);
    if (!dom)
        goto done;
    TAP_INT(virDomainDestroy(dom), 0, "destroy: %s", qtErrMsg());
    TAP_OK(!tapExists("vnet0"), "the tap is gone with QEMU");
    TAP_STR(qtShLine("ls /sys/class/net | grep -c vireo-ifb"), "0",
            "and no ifb is left");
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
