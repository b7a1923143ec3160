/* test-hotplug-vcpumem.c: vCPU hotplug and the memory balloon of the QEMU
 * driver with the real test guest under TCG: a vCPU plugged in (the guest
 * onlines it and counts 2) and out again, the counts read back live and
 * persistent, the balloon shrinking the guest (info after BALLOON_CHANGE,
 * the guest's MemTotal), balloon statistics after a stats period, maximum
 * memory, and the error paths */
#include "hotplug-test.h"

#define NAME "hpmem"

static virConnectPtr conn;
static char *root;

static char *
domainXML(void)
{
    char *xml = NULL;

    if (asprintf(&xml,
                 "<domain type='qemu'>\n"
                 "  <name>" NAME "</name>\n"
                 "  <memory unit='MiB'>256</memory>\n"
                 "  <vcpu current='1'>3</vcpu>\n"
                 "  <os>\n"
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n"
                 "    <kernel>%s/vmlinuz</kernel>\n"
                 "    <initrd>%s/initrd-agent.img</initrd>\n"
                 "    <cmdline>console=ttyS0 panic=-1</cmdline>\n"
                 "  </os>\n"
                 "  <features><acpi/></features>\n"
                 "  <devices>\n"
                 "    <serial type='pty'><target port='0'/></serial>\n"
                 "    <console type='pty'><target type='serial' port='0'/>"
                 "</console>\n"
                 "    <channel type='unix'><source mode='bind'/>"
                 "<target type='virtio' name='org.qemu.guest_agent.0'/>"
                 "</channel>\n"
                 "    <memballoon model='virtio'/>\n"
                 "  </devices>\n"
                 "</domain>\n", qtGuest, qtGuest) < 0)
        abort();
    return xml;
}

/* The guest agent's view: vCPUs offlined and onlined inside the guest
 * (all 3 plugged). */
static void
testGuestVcpus(virDomainPtr dom, QtConsole *con)
{
    long long until = qtNowMs() + HT_WAIT_MS;
    int n;

    while ((n = virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_GUEST)) != 3 &&
           qtNowMs() < until)
        usleep(500 * 1000);
    TAP_INT(n, 3, "the agent counts 3 online vCPUs: %s", qtErrMsg());
    TAP_INT(virDomainSetVcpusFlags(dom, 1, VIR_DOMAIN_AFFECT_LIVE |
                                   VIR_DOMAIN_VCPU_GUEST), 0,
            "the agent offlines one: %s", qtErrMsg());
    HT_SAYS(con, "cat /sys/devices/system/cpu/online", "0", HT_WAIT_MS,
            "the guest has only cpu0 online");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_GUEST), 1,
            "the agent counts 1");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), 3,
            "... while 3 stay plugged");
    TAP_INT(virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_VCPU_GUEST), 0,
            "the agent onlines one again: %s", qtErrMsg());
    HT_SAYS(con, "cat /sys/devices/system/cpu/online", "0-1", HT_WAIT_MS,
            "the guest has cpu0-1 online");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_GUEST), 2,
            "the agent counts 2");
    TAP_INT(virDomainSetVcpusFlags(dom, 4, VIR_DOMAIN_VCPU_GUEST), -1,
            "4 online vCPUs in a guest that has 3");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());
    TAP_INT(virDomainSetVcpusFlags(dom, 1, VIR_DOMAIN_AFFECT_CONFIG |
                                   VIR_DOMAIN_VCPU_GUEST), -1,
            "guest and config together");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());
}

static void
testVcpus(virDomainPtr dom, QtConsole *con)
{
    virDomainInfo info;

    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), 1,
            "1 vCPU at boot");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE |
                                   VIR_DOMAIN_VCPU_MAXIMUM), 3,
            "maximum 3");
    HT_SAYS(con, "grep -c ^processor /proc/cpuinfo", "1", HT_WAIT_MS,
            "the guest counts 1");
    TAP_INT(virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_AFFECT_LIVE), 0,
            "plug a second vCPU: %s", qtErrMsg());
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), 2,
            "the live count reads 2");
    TAP_INT(virDomainGetInfo(dom, &info), 0, "info");
    TAP_INT(info.nrVirtCpu, 2, "... 2 vCPUs");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), 1,
            "the persistent count stays 1");
    HT_SAYS(con, "echo 1 > /sys/devices/system/cpu/cpu1/online; "
            "grep -c ^processor /proc/cpuinfo", "2", HT_WAIT_MS,
            "the guest onlines it and counts 2");
    HT_SAYS(con, "cat /sys/devices/system/cpu/online", "0-1", 5000,
            "... online 0-1");

    TAP_INT(virDomainSetVcpu(dom, "2", 1, VIR_DOMAIN_AFFECT_LIVE), 0,
            "enable vCPU 2 alone: %s", qtErrMsg());
    TAP_INT(virDomainGetVcpusFlags(dom, 0), 3, "the live count reads 3");
    HT_SAYS(con, "echo 1 > /sys/devices/system/cpu/cpu2/online; "
            "cat /sys/devices/system/cpu/online", "0-2", HT_WAIT_MS,
            "the guest onlines it: 0-2");
    TAP_INT(virDomainSetVcpu(dom, "1-2", 1, VIR_DOMAIN_AFFECT_LIVE), 0,
            "enable vCPUs already there: %s", qtErrMsg());
    TAP_INT(virDomainSetVcpu(dom, "5", 1, VIR_DOMAIN_AFFECT_LIVE), -1,
            "enable vCPU 5 of 3");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());
    TAP_INT(virDomainSetVcpu(dom, "1-x", 1, VIR_DOMAIN_AFFECT_LIVE), -1,
            "a malformed vCPU list");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());
    TAP_INT(virDomainSetVcpu(dom, "2", 1, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "enable vCPU 2 persistently: %s", qtErrMsg());
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), 2,
            "the persistent count becomes 2 (vCPUs 0 and 2)");

    TAP_INT(virDomainSetVcpusFlags(dom, 4, VIR_DOMAIN_AFFECT_LIVE), -1,
            "4 vCPUs, above the maximum");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());
    TAP_INT(virDomainSetVcpusFlags(dom, 3, VIR_DOMAIN_AFFECT_LIVE |
                                   VIR_DOMAIN_VCPU_MAXIMUM), -1,
            "the maximum of a running domain");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... refused: %s",
            qtErrMsg());
    TAP_INT(virDomainSetVcpusFlags(dom, 0, VIR_DOMAIN_AFFECT_LIVE), -1,
            "0 vCPUs");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());

    testGuestVcpus(dom, con);

    /* TCG cannot plug again what was unplugged: unplug is refused */
    TAP_INT(virDomainSetVcpus(dom, 1), -1, "unplug under TCG");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_UNSUPPORTED, "... unsupported: "
            "%s", qtErrMsg());
    TAP_INT(virDomainSetVcpu(dom, "2", 0, VIR_DOMAIN_AFFECT_LIVE), -1,
            "disable vCPU 2 under TCG");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_UNSUPPORTED, "... unsupported: "
            "%s", qtErrMsg());
    TAP_INT(virDomainGetVcpusFlags(dom, 0), 3, "the live count stays 3");

    TAP_INT(virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "2 vCPUs in the persistent definition: %s", qtErrMsg());
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), 2,
            "... reads back 2");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), 3,
            "... the live count stays 3");
    TAP_INT(virDomainSetVcpusFlags(dom, 4, VIR_DOMAIN_AFFECT_CONFIG |
                                   VIR_DOMAIN_VCPU_MAXIMUM), 0,
            "persistent maximum 4: %s", qtErrMsg());
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG |
                                   VIR_DOMAIN_VCPU_MAXIMUM), 4,
            "... reads back 4");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE |
                                   VIR_DOMAIN_AFFECT_CONFIG), -1,
            "live and config together");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());
}

static unsigned long long
statOf(virDomainMemoryStatStruct *st, int n, int tag)
{
    for (int i = 0; i < n; i++)
        if (st[i].tag == tag)
            return st[i].val;
    return 0;
}

static void
testStats(virDomainPtr dom)
{
    virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
    long long until;
    int n;

    n = virDomainMemoryStats(dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
    TAP_OK(n >= 2, "memory stats without a period: %d", n);
    TAP_INT((int)statOf(st, n, VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON),
            262144, "actual balloon 256 MiB");
    TAP_OK(statOf(st, n, VIR_DOMAIN_MEMORY_STAT_RSS) > 1024,
           "rss of QEMU (%llu KiB)", statOf(st, n,
                                            VIR_DOMAIN_MEMORY_STAT_RSS));
    TAP_INT(virDomainSetMemoryStatsPeriod(dom, 1, VIR_DOMAIN_AFFECT_LIVE), 0,
            "stats period 1 s: %s", qtErrMsg());
    TAP_OK(htXMLHas(dom, 0, "<stats period='1'/>"),
           "the live XML has the period");
    until = qtNowMs() + HT_WAIT_MS;
    do {
        n = virDomainMemoryStats(dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
        if (statOf(st, n, VIR_DOMAIN_MEMORY_STAT_UNUSED))
            break;
        usleep(200 * 1000);
    } while (qtNowMs() < until);
    TAP_OK(statOf(st, n, VIR_DOMAIN_MEMORY_STAT_UNUSED) > 0,
           "the guest reports unused memory (%llu KiB)",
           statOf(st, n, VIR_DOMAIN_MEMORY_STAT_UNUSED));
    TAP_OK(statOf(st, n, VIR_DOMAIN_MEMORY_STAT_AVAILABLE) > 100000 &&
           statOf(st, n, VIR_DOMAIN_MEMORY_STAT_AVAILABLE) <= 262144,
           "... available memory (%llu KiB)",
           statOf(st, n, VIR_DOMAIN_MEMORY_STAT_AVAILABLE));
    TAP_OK(statOf(st, n, VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE) > 1600000000ULL,
           "... last update is a time");
    TAP_OK(statOf(st, n, VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT) > 0,
           "... minor faults");
    TAP_INT(virDomainMemoryStats(dom, st, 2, 0), 2, "only as many as asked");
    TAP_INT(virDomainSetMemoryStatsPeriod(dom, -1, 0), -1, "period -1");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());
}

/* MemTotal of the guest in KiB (0 when unreadable). */
static long
guestMemTotal(QtConsole *con)
{
    const char *p;

    qtConsoleForget(con);
    qtConsoleSend(con, "grep MemTotal /proc/meminfo | tr -s ' ' | "
                  "sed 's/^/MT=/'\n");
    if (!qtConsoleWait(con, " kB", 10000))
        return 0;
    p = strstr(con->buf, "MT=MemTotal: ");
    return p ? atol(p + 13) : 0;
}

static void
testBalloon(virDomainPtr dom, QtConsole *con)
{
    virDomainInfo info;
    long before, after = 0;
    long long until;

    before = guestMemTotal(con);
    TAP_OK(before > 150000, "the guest's MemTotal %ld KiB", before);
    qtEventsClear();
    TAP_INT(virDomainSetMemory(dom, 192 * 1024), 0, "balloon to 192 MiB: %s",
            qtErrMsg());
    TAP_OK(qtEventWait(NAME, VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, -1, -1,
                       HT_WAIT_MS), "BALLOON_CHANGE arrives");
    until = qtNowMs() + HT_WAIT_MS;
    do {
        virDomainGetInfo(dom, &info);
        if (info.memory == 192 * 1024)
            break;
        usleep(100 * 1000);
    } while (qtNowMs() < until);
    TAP_INT((int)info.memory, 192 * 1024, "info reports 192 MiB");
    TAP_INT((int)info.maxMem, 256 * 1024, "... of 256 MiB");
    until = qtNowMs() + HT_WAIT_MS;
    do {
        after = guestMemTotal(con);
    } while (after > before - 50000 && qtNowMs() < until);
    TAP_OK(after > 0 && after <= before - 60000,
           "the guest's MemTotal dropped by the balloon (%ld -> %ld KiB)",
           before, after);

    TAP_INT(virDomainSetMemory(dom, 512 * 1024), -1, "512 MiB, above max");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... invalid: %s", qtErrMsg());
    TAP_INT(virDomainSetMaxMemory(dom, 512 * 1024), -1,
            "maximum memory of a running domain");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... refused: %s",
            qtErrMsg());
    TAP_INT(virDomainSetMemoryFlags(dom, 200 * 1024,
                                    VIR_DOMAIN_AFFECT_CONFIG), 0,
            "persistent current memory 200 MiB: %s", qtErrMsg());
    TAP_OK(htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE,
                    "<currentMemory unit='KiB'>204800</currentMemory>"),
           "the persistent XML has it");
    TAP_INT(virDomainSetMemoryFlags(dom, 300 * 1024, VIR_DOMAIN_AFFECT_CONFIG
                                    | VIR_DOMAIN_MEM_MAXIMUM), 0,
            "persistent maximum 300 MiB: %s", qtErrMsg());
    TAP_OK(htXMLHas(dom, VIR_DOMAIN_XML_INACTIVE,
                    "<memory unit='KiB'>307200</memory>"),
           "the persistent XML has it");
    TAP_INT((int)virDomainGetMaxMemory(dom), 256 * 1024,
            "the live maximum stays 256 MiB");

    TAP_INT(virDomainSetMemoryFlags(dom, 256 * 1024, VIR_DOMAIN_AFFECT_LIVE),
            0, "deflate to 256 MiB: %s", qtErrMsg());
    until = qtNowMs() + HT_WAIT_MS;
    do {
        virDomainGetInfo(dom, &info);
        if (info.memory == 256 * 1024)
            break;
        usleep(100 * 1000);
    } while (qtNowMs() < until);
    TAP_INT((int)info.memory, 256 * 1024, "info reports 256 MiB again");
}

static void
testInactive(virDomainPtr dom)
{
    virDomainMemoryStatStruct st[4];

    TAP_INT(virDomainSetMaxMemory(dom, 320 * 1024), 0,
            "maximum memory of the stopped domain: %s", qtErrMsg());
    TAP_INT((int)virDomainGetMaxMemory(dom), 320 * 1024, "... reads back");
    TAP_INT(virDomainSetVcpus(dom, 2), -1, "live vCPUs of a stopped domain");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... not running: %s",
            qtErrMsg());
    TAP_INT(virDomainSetVcpusFlags(dom, 3, VIR_DOMAIN_AFFECT_CURRENT), 0,
            "current = config: 3 vCPUs: %s", qtErrMsg());
    TAP_INT(virDomainGetVcpusFlags(dom, 0), 3, "... reads back 3");
    TAP_INT(virDomainMemoryStats(dom, st, 4, 0), -1,
            "memory stats of a stopped domain");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... not running: %s",
            qtErrMsg());
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

    testVcpus(dom, &con);
    testStats(dom);
    testBalloon(dom, &con);

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
