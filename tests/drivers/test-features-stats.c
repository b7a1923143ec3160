/* test-features-stats.c: test driver statistics, pinning and IOThreads */
#include "test-features.h"

static void
testBlockAndNet(virDomainPtr dom, virDomainPtr off)
{
    virDomainBlockStatsStruct b1, b2, ball;
    virDomainInterfaceStatsStruct i1;
    virTypedParameter p[16];
    int np = 0;

    TAP_INT(virDomainBlockStats(dom, "vda", &b1, sizeof(b1)), 0, "blockstats");
    TAP_OK(b1.rd_req > 0 && b1.rd_bytes == b1.rd_req * 4096,
           "read counters are consistent");
    TAP_INT(virDomainBlockStats(dom, "/guest/diskimage1", &b2, sizeof(b2)), 0,
            "blockstats by path");
    TAP_INT(b2.rd_req, b1.rd_req, "same disk, same numbers");
    TAP_INT(virDomainBlockStats(dom, "", &ball, sizeof(ball)), 0,
            "blockstats summed over disks");
    TAP_INT(ball.rd_req, b1.rd_req, "one disk: the sum is that disk");
    TAP_INT(virDomainBlockStats(dom, "vdz", &b1, sizeof(b1)), -1, "no vdz");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown disk: INVALID_ARG");
    TAP_INT(virDomainBlockStats(off, "vda", &b1, sizeof(b1)), -1,
            "inactive domain has no stats");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");
    TAP_INT(virDomainBlockStats(dom, "vda", &b1, sizeof(b1) + 8), -1,
            "oversized struct fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "size: INVALID_ARG");

    TAP_INT(virDomainBlockStatsFlags(dom, "vda", NULL, &np, 0), 0, "count");
    TAP_INT(np, 9, "nine block stats fields");
    np = 16;
    TAP_INT(virDomainBlockStatsFlags(dom, "vda", p, &np, 0), 0, "fields");
    TAP_OK(virTypedParamsGet(p, np, "rd_operations") &&
           virTypedParamsGet(p, np, "flush_total_times") &&
           virTypedParamsGet(p, np, "errs"), "documented field names");
    TAP_INT(virTypedParamsGet(p, np, "rd_operations")->value.l,
            b2.rd_req, "rd_operations matches rd_req");

    TAP_INT(virDomainInterfaceStats(dom, "aa:bb:cc:dd:ee:ff", &i1,
                                    sizeof(i1)), 0, "interface stats by MAC");
    TAP_OK(i1.rx_packets > 0 && i1.rx_bytes > i1.rx_packets,
           "interface counters filled");
    TAP_INT(virDomainInterfaceStats(dom, "eth9", &i1, sizeof(i1)), -1,
            "unknown interface fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown interface: INVALID_ARG");
}

/* Counters grow while running and stand still while paused. */
static void
testMonotonic(virDomainPtr dom)
{
    virDomainBlockStatsStruct a, b, c;

    virDomainBlockStats(dom, "vda", &a, sizeof(a));
    usleep(1100000);
    virDomainBlockStats(dom, "vda", &b, sizeof(b));
    TAP_OK(b.rd_req > a.rd_req, "counters grow while running");
    virDomainSuspend(dom);
    virDomainBlockStats(dom, "vda", &b, sizeof(b));
    usleep(1100000);
    virDomainBlockStats(dom, "vda", &c, sizeof(c));
    TAP_INT(c.rd_req, b.rd_req, "counters stand still while paused");
    virDomainResume(dom);
}

static void
testMemoryAndCpu(virDomainPtr dom, virDomainPtr off)
{
    virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
    virTypedParameter p[64];
    int n;

    n = virDomainMemoryStats(dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
    TAP_INT(n, 2, "balloon and rss without a stats period");
    TAP_INT(st[0].tag, VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, "actual first");
    TAP_INT(st[0].val, 2097152, "actual is the current memory");
    TAP_INT(virDomainSetMemoryStatsPeriod(dom, 5, VIR_DOMAIN_AFFECT_LIVE), 0,
            "set stats period");
    TAP_OK(featXMLHas(dom, 0, "period='5'"), "XML shows the period");
    n = virDomainMemoryStats(dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
    TAP_INT(n, 11, "guest statistics with a period");
    TAP_INT(virDomainMemoryStats(dom, st, 3, 0), 3, "nr_stats limits");
    TAP_INT(virDomainSetMemoryStatsPeriod(dom, -1, 0), -1, "negative period");
    TAP_ERR(VIR_ERR_INVALID_ARG, "negative period: INVALID_ARG");
    TAP_INT(virDomainMemoryStats(off, st, 2, 0), -1, "inactive memstats");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive memstats: OPERATION_INVALID");

    TAP_INT(virDomainGetCPUStats(dom, NULL, 0, -1, 1, 0), 3,
            "three total cpu stats");
    TAP_INT(virDomainGetCPUStats(dom, p, 3, -1, 1, 0), 3, "total filled");
    TAP_STR(p[0].field, "cpu_time", "cpu_time first");
    TAP_INT(virDomainGetCPUStats(dom, NULL, 0, 0, 0, 0), 16,
            "per-cpu query gives the host cpus");
    TAP_INT(virDomainGetCPUStats(dom, NULL, 0, 0, 1, 0), 2,
            "two per-cpu fields");
    TAP_INT(virDomainGetCPUStats(dom, p, 2, 0, 4, 0), 2, "four cpus filled");
    TAP_STR(p[6].field, "cpu_time", "layout: cpu 3 starts at 6");
    TAP_STR(p[7].field, "vcpu_time", "vcpu_time second");
    TAP_INT(virDomainGetCPUStats(dom, p, 2, 99, 1, 0), -1, "start 99");
    TAP_ERR(VIR_ERR_INVALID_ARG, "start_cpu: INVALID_ARG");
    TAP_INT(virDomainGetCPUStats(dom, p, 2, -1, 2, 0), -1, "total x2");
    TAP_ERR(VIR_ERR_INVALID_ARG, "total with ncpus 2: INVALID_ARG");
    TAP_INT(virDomainGetCPUStats(off, NULL, 0, -1, 1, 0), -1, "inactive");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive cpu stats");
}

static void
testVcpusAndPins(virDomainPtr dom, virDomainPtr off)
{
    virVcpuInfo info[4];
    unsigned char maps[8] = { 0 }, map[2] = { 0x0a, 0 }, empty[2] = { 0 };

    TAP_INT(virDomainGetVcpus(dom, info, 4, maps, 2), 2, "two vcpus");
    TAP_INT(info[1].state, VIR_VCPU_RUNNING, "vcpu running");
    TAP_INT(maps[0], 0xff, "unpinned vcpu may use every cpu");
    TAP_INT(virDomainGetVcpus(dom, info, 4, NULL, 0), 2, "without maps");
    TAP_INT(virDomainGetVcpus(off, info, 4, NULL, 0), -1, "inactive vcpus");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive vcpus: OPERATION_INVALID");

    TAP_INT(virDomainPinVcpu(dom, 0, map, 2), 0, "pin vcpu 0 to cpus 1,3");
    TAP_INT(virDomainGetVcpuPinInfo(dom, 2, maps, 2, 0), 2, "pin info");
    TAP_INT(maps[0], 0x0a, "pin read back");
    TAP_INT(maps[2], 0xff, "vcpu 1 unpinned");
    TAP_OK(featXMLHas(dom, 0, "<vcpupin vcpu='0' cpuset='1,3'/>"),
           "XML has the pin");
    TAP_INT(virDomainPinVcpu(dom, 7, map, 2), -1, "vcpu 7 fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "vcpu range: INVALID_ARG");
    TAP_INT(virDomainPinVcpu(dom, 0, empty, 2), -1, "empty map fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "empty map: INVALID_ARG");
    TAP_INT(virDomainPinVcpuFlags(off, 3, map, 1, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "pin in config");
    TAP_INT(virDomainGetVcpuPinInfo(off, 4, maps, 1, VIR_DOMAIN_AFFECT_CONFIG),
            4, "config pin info for 4 vcpus");
    TAP_INT(maps[3], 0x0a, "config pin read back");
    TAP_INT(virDomainPinVcpuFlags(off, 0, map, 1, VIR_DOMAIN_AFFECT_LIVE), -1,
            "live pin of inactive domain");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "live pin: OPERATION_INVALID");

    map[0] = 0x04;
    TAP_INT(virDomainPinEmulator(dom, map, 1, 0), 0, "pin emulator");
    TAP_INT(virDomainGetEmulatorPinInfo(dom, maps, 2, 0), 1, "emulator info");
    TAP_INT(maps[0], 0x04, "emulator pin back");
    TAP_OK(featXMLHas(dom, 0, "<emulatorpin cpuset='2'/>"), "XML emulatorpin");
}

static void
testIOThreads(virDomainPtr off)
{
    virDomainIOThreadInfoPtr *info = NULL;
    virTypedParameterPtr set = NULL;
    unsigned char map[1] = { 0x01 };
    int n, np = 0, max = 0;

    n = virDomainGetIOThreadInfo(off, &info, 0);
    TAP_INT(n, 2, "two iothreads");
    TAP_INT(n > 1 ? info[1]->iothread_id : 0, 2, "ids 1..n");
    for (int i = 0; i < n; i++)
        virDomainIOThreadInfoFree(info[i]);
    free(info);
    TAP_INT(virDomainAddIOThread(off, 5, 0), 0, "add iothread 5");
    TAP_INT(virDomainAddIOThread(off, 5, 0), -1, "add 5 again");
    TAP_ERR(VIR_ERR_INVALID_ARG, "duplicate: INVALID_ARG");
    TAP_INT(virDomainAddIOThread(off, 0, 0), -1, "id 0 fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "id 0: INVALID_ARG");
    TAP_INT(virDomainDelIOThread(off, 1, 0), 0, "delete iothread 1");
    TAP_INT(virDomainDelIOThread(off, 9, 0), -1, "delete missing");
    TAP_ERR(VIR_ERR_INVALID_ARG, "missing: INVALID_ARG");
    TAP_INT(virDomainPinIOThread(off, 5, map, 1, 0), 0, "pin iothread 5");
    TAP_INT(virDomainPinIOThread(off, 8, map, 1, 0), -1, "pin missing");
    TAP_ERR(VIR_ERR_INVALID_ARG, "pin missing: INVALID_ARG");
    n = virDomainGetIOThreadInfo(off, &info, 0);
    TAP_INT(n, 2, "two iothreads again");
    TAP_INT(n > 1 ? info[1]->iothread_id : 0, 5, "ids are 2 and 5");
    TAP_INT(n > 1 ? info[1]->cpumap[0] : 0, 1, "iothread 5 pinned to cpu 0");
    for (int i = 0; i < n; i++)
        virDomainIOThreadInfoFree(info[i]);
    free(info);
    TAP_OK(featXMLHas(off, 0, "<iothread id='5'"), "XML lists iothread 5");
    TAP_OK(featXMLHas(off, 0, "<iothreads>2</iothreads>"), "count in XML");
    TAP_OK(featXMLHas(off, 0, "<iothreadpin iothread='5' cpuset='0'/>"),
           "XML iothreadpin");
    virTypedParamsAddInt(&set, &np, &max, "thread_pool_max", 8);
    TAP_INT(virDomainSetIOThreadParams(off, 5, set, np, 0), 0,
            "set iothread params");
    TAP_OK(featXMLHas(off, 0, "thread_pool_max=\"8\"") ||
           featXMLHas(off, 0, "thread_pool_max='8'"), "pool size in XML");
    TAP_INT(virDomainSetIOThreadParams(off, 2, set, np, 1u << 9), -1,
            "unknown flag");
    TAP_ERR(VIR_ERR_INVALID_ARG, "iothread flag: INVALID_ARG");
    virTypedParamsFree(set, np);
}

static virTypedParameterPtr
recField(virDomainStatsRecordPtr rec, const char *name)
{
    return virTypedParamsGet(rec->params, rec->nparams, name);
}

static void
testBulk(virConnectPtr conn, virDomainPtr dom)
{
    virDomainStatsRecordPtr *recs = NULL;
    virDomainPtr list[2] = { dom, NULL };
    int n;

    n = virConnectGetAllDomainStats(conn, 0, &recs, 0);
    TAP_INT(n, 2, "stats for both domains");
    if (n == 2) {
        virDomainStatsRecordPtr r = recs[0], o = recs[1];

        TAP_INT(recField(r, "state.state")->value.i, VIR_DOMAIN_RUNNING,
                "state.state");
        TAP_OK(recField(r, "cpu.time") && recField(r, "balloon.current") &&
               recField(r, "vcpu.0.state") && recField(r, "net.0.rx.bytes") &&
               recField(r, "block.0.rd.reqs") &&
               recField(r, "block.0.capacity") &&
               recField(r, "perf.cpu_cycles") && recField(r, "iothread.count"),
               "every group of a running domain");
        TAP_STR(recField(r, "block.0.name")->value.s, "vda", "block name");
        TAP_INT(recField(r, "net.count")->value.ui, 1, "net.count");
        TAP_INT(recField(o, "state.state")->value.i, VIR_DOMAIN_SHUTOFF,
                "inactive one is shut off");
        TAP_OK(!recField(o, "cpu.time") && recField(o, "block.count"),
               "inactive: config figures only");
        TAP_INT(recs[2] == NULL, 1, "list is NULL-terminated");
    }
    virDomainStatsRecordListFree(recs);

    n = virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &recs,
                                    VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF);
    TAP_INT(n, 1, "shut-off filter");
    TAP_STR(n == 1 ? virDomainGetName(recs[0]->dom) : NULL, "cfg",
            "the shut-off domain");
    TAP_INT(n == 1 ? recs[0]->nparams : 0, 2, "state group only");
    virDomainStatsRecordListFree(recs);
    n = virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &recs,
                                    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
    TAP_INT(n, 1, "active filter");
    virDomainStatsRecordListFree(recs);
    TAP_INT(virConnectGetAllDomainStats(conn, 1u << 20, &recs,
            VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS), -1,
            "enforced unknown group fails");
    TAP_ERR(VIR_ERR_ARGUMENT_UNSUPPORTED, "unknown group: ARGUMENT_UNSUPPORTED");

    n = virDomainListGetStats(list, VIR_DOMAIN_STATS_BLOCK, &recs, 0);
    TAP_INT(n, 1, "list stats for one domain");
    TAP_OK(n == 1 && recField(recs[0], "block.0.rd.bytes") &&
           !recField(recs[0], "state.state"), "only the block group");
    virDomainStatsRecordListFree(recs);
    TAP_INT(virDomainListGetStats(list, 0, &recs,
                                  VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE), -1,
            "filters do not apply to a list");
    TAP_ERR(VIR_ERR_INVALID_ARG, "list filter: INVALID_ARG");
}

int
main(void)
{
    virConnectPtr conn;
    virDomainPtr dom, off;
    virTypedParameterPtr perf = NULL;
    int np = 0, max = 0;

    virSetErrorFunc(NULL, featQuiet);
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");
    off = featDefine(conn, "cfg");
    if (!TAP_OK(conn && dom && off, "connection and domains"))
        return tapDone();
    virTypedParamsAddBoolean(&perf, &np, &max, "cpu_cycles", 1);
    virDomainSetPerfEvents(dom, perf, np, 0);
    virTypedParamsFree(perf, np);
    virDomainAddIOThread(dom, 1, 0);
    testBlockAndNet(dom, off);
    testMonotonic(dom);
    testMemoryAndCpu(dom, off);
    testVcpusAndPins(dom, off);
    testIOThreads(off);
    testBulk(conn, dom);
    virDomainFree(off);
    virDomainFree(dom);
    virConnectClose(conn);
    return tapDone();
}
