/* test-features-params.c: test driver tunables read back what was set */
#include "test-features.h"

static int tunableCount;
static char tunableFirst[VIR_TYPED_PARAM_FIELD_LENGTH];

static void
onTunable(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params,
          int nparams, void *opaque)
{
    (void)conn; (void)dom; (void)opaque;
    tunableCount++;
    if (nparams > 0)
        snprintf(tunableFirst, sizeof(tunableFirst), "%s", params[0].field);
}

/* Get one ullong/llong/uint/string named NAME from a get-parameters call. */
static virTypedParameterPtr
find(virTypedParameterPtr p, int n, const char *name)
{
    return virTypedParamsGet(p, n, name);
}

static void
testScheduler(virConnectPtr conn, virDomainPtr dom, virDomainPtr off)
{
    virTypedParameter p[16];
    virTypedParameterPtr set = NULL;
    int n = 0, max = 0, np = 0;
    char *type;

    type = virDomainGetSchedulerType(dom, &np);
    TAP_STR(type, "posix", "scheduler type is posix");
    TAP_INT(np, 9, "nine scheduler parameters");
    free(type);
    type = virDomainGetSchedulerType(dom, NULL);
    TAP_OK(type != NULL, "scheduler type without nparams");
    free(type);

    np = 0;
    TAP_INT(virDomainGetSchedulerParametersFlags(dom, NULL, &np, 0), 0,
            "query count");
    TAP_INT(np, 9, "count is 9");
    np = 16;
    TAP_INT(virDomainGetSchedulerParametersFlags(dom, p, &np, 0), 0,
            "defaults read");
    TAP_INT(find(p, np, "cpu_shares")->value.ul, 1024, "default shares");
    TAP_INT(find(p, np, "vcpu_quota")->value.l, -1, "default quota");

    virTypedParamsAddULLong(&set, &n, &max, "cpu_shares", 2048);
    virTypedParamsAddLLong(&set, &n, &max, "vcpu_quota", 5000);
    virTypedParamsAddULLong(&set, &n, &max, "emulator_period", 20000);
    tunableCount = 0;
    TAP_INT(virDomainSetSchedulerParametersFlags(dom, set, n,
                                                 VIR_DOMAIN_AFFECT_LIVE), 0,
            "set live scheduler params");
    np = 16;
    virDomainGetSchedulerParametersFlags(dom, p, &np, VIR_DOMAIN_AFFECT_LIVE);
    TAP_INT(find(p, np, "cpu_shares")->value.ul, 2048, "shares read back");
    TAP_INT(find(p, np, "vcpu_quota")->value.l, 5000, "quota read back");
    TAP_INT(find(p, np, "emulator_period")->value.ul, 20000, "period back");
    TAP_OK(featXMLHas(dom, 0, "<shares>2048</shares>"), "live XML shows it");
    TAP_OK(!featXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "<shares>2048"),
           "config XML does not");
    featRunLoop(50);
    TAP_INT(tunableCount, 1, "one tunable event");
    TAP_STR(tunableFirst, "cputune.cpu_shares", "event names cputune field");

    TAP_INT(virDomainSetSchedulerParametersFlags(dom, set, 1,
                                                 VIR_DOMAIN_AFFECT_CONFIG), 0,
            "set config shares of a running domain");
    TAP_OK(featXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "<shares>2048</shares>"),
           "config XML shows it now");
    TAP_INT(virDomainSetSchedulerParameters(off, set, 1), 0,
            "legacy set on inactive domain goes to config");
    np = 16;
    TAP_INT(virDomainGetSchedulerParameters(off, p, &np), 0, "legacy get");
    TAP_INT(find(p, np, "cpu_shares")->value.ul, 2048, "legacy read back");

    np = 16;
    TAP_INT(virDomainGetSchedulerParametersFlags(dom, p, &np,
                                                 VIR_DOMAIN_AFFECT_LIVE |
                                                 VIR_DOMAIN_AFFECT_CONFIG), -1,
            "get with live|config fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "live|config: INVALID_ARG");
    TAP_INT(virDomainSetSchedulerParametersFlags(off, set, 1,
                                                 VIR_DOMAIN_AFFECT_LIVE), -1,
            "live on an inactive domain fails");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");
    TAP_INT(virDomainSetSchedulerParametersFlags(dom, set, 1, 1u << 20), -1,
            "unknown flag fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown flag: INVALID_ARG");
    virTypedParamsFree(set, n);

    set = NULL; n = max = 0;
    virTypedParamsAddInt(&set, &n, &max, "cpu_shares", 10);
    TAP_INT(virDomainSetSchedulerParametersFlags(dom, set, n, 0), -1,
            "wrong type fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "wrong type: INVALID_ARG");
    virTypedParamsFree(set, n);
    set = NULL; n = max = 0;
    virTypedParamsAddULLong(&set, &n, &max, "nosuch", 10);
    TAP_INT(virDomainSetSchedulerParametersFlags(dom, set, n, 0), -1,
            "unknown field fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown field: INVALID_ARG");
    virTypedParamsFree(set, n);
    set = NULL; n = max = 0;
    virTypedParamsAddULLong(&set, &n, &max, "vcpu_period", 10);
    TAP_INT(virDomainSetSchedulerParametersFlags(dom, set, n, 0), -1,
            "period out of range fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "range: INVALID_ARG");
    virTypedParamsFree(set, n);
    (void)conn;
}

static void
testMemory(virDomainPtr dom)
{
    virTypedParameter p[8];
    virTypedParameterPtr set = NULL;
    int n = 0, max = 0, np = 0;

    TAP_INT(virDomainGetMemoryParameters(dom, NULL, &np, 0), 0, "mem count");
    TAP_INT(np, 4, "four memory parameters");
    np = 8;
    virDomainGetMemoryParameters(dom, p, &np, 0);
    TAP_OK(find(p, np, "hard_limit")->value.ul ==
           VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, "unset hard_limit is unlimited");
    virTypedParamsAddULLong(&set, &n, &max, "hard_limit", 1048576);
    virTypedParamsAddULLong(&set, &n, &max, "soft_limit", 524288);
    TAP_INT(virDomainSetMemoryParameters(dom, set, n, 0), 0, "set memtune");
    np = 8;
    virDomainGetMemoryParameters(dom, p, &np, 0);
    TAP_INT(find(p, np, "hard_limit")->value.ul, 1048576, "hard read back");
    TAP_INT(find(p, np, "soft_limit")->value.ul, 524288, "soft read back");
    TAP_OK(featXMLHas(dom, 0, "<hard_limit unit='KiB'>1048576</hard_limit>"),
           "XML has hard_limit");
    virTypedParamsFree(set, n);
    set = NULL; n = max = 0;
    virTypedParamsAddULLong(&set, &n, &max, "hard_limit",
                            VIR_DOMAIN_MEMORY_PARAM_UNLIMITED);
    TAP_INT(virDomainSetMemoryParameters(dom, set, n, 0), 0, "unlimited");
    np = 8;
    virDomainGetMemoryParameters(dom, p, &np, 0);
    TAP_OK(find(p, np, "hard_limit")->value.ul ==
           VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, "hard_limit unlimited again");
    virTypedParamsFree(set, n);
    set = NULL; n = max = 0;
    virTypedParamsAddULLong(&set, &n, &max, "hard_limit", 2000);
    virTypedParamsAddULLong(&set, &n, &max, "swap_hard_limit", 1000);
    TAP_INT(virDomainSetMemoryParameters(dom, set, n, 0), -1,
            "hard above swap fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "hard above swap: INVALID_ARG");
    virTypedParamsFree(set, n);
}

static void
testBlkio(virDomainPtr dom)
{
    virTypedParameter p[8];
    virTypedParameterPtr set = NULL;
    int n = 0, max = 0, np = 8;

    virTypedParamsAddUInt(&set, &n, &max, "weight", 500);
    virTypedParamsAddString(&set, &n, &max, "device_weight",
                            "/dev/sda,300,/dev/sdb,200");
    virTypedParamsAddString(&set, &n, &max, "device_read_iops_sec",
                            "/dev/sda,1000");
    TAP_INT(virDomainSetBlkioParameters(dom, set, n, 0), 0, "set blkio");
    TAP_INT(virDomainGetBlkioParameters(dom, p, &np, 0), 0, "get blkio");
    TAP_INT(np, 6, "six blkio parameters");
    TAP_INT(find(p, np, "weight")->value.ui, 500, "weight read back");
    TAP_STR(find(p, np, "device_weight")->value.s,
            "/dev/sda,300,/dev/sdb,200", "device weights read back");
    TAP_STR(find(p, np, "device_read_iops_sec")->value.s, "/dev/sda,1000",
            "read iops read back");
    TAP_OK(featXMLHas(dom, 0, "<path>/dev/sdb</path>"), "XML has device");
    virTypedParamsClear(p, np);
    virTypedParamsFree(set, n);

    set = NULL; n = max = 0;
    virTypedParamsAddString(&set, &n, &max, "device_weight", "/dev/sdb,0");
    TAP_INT(virDomainSetBlkioParameters(dom, set, n, 0), 0, "clear device");
    np = 8;
    virDomainGetBlkioParameters(dom, p, &np, 0);
    TAP_STR(find(p, np, "device_weight")->value.s, "/dev/sda,300",
            "cleared device is gone");
    virTypedParamsClear(p, np);
    virTypedParamsFree(set, n);

    set = NULL; n = max = 0;
    virTypedParamsAddString(&set, &n, &max, "device_weight", "sda,x");
    TAP_INT(virDomainSetBlkioParameters(dom, set, n, 0), -1, "bad list");
    TAP_ERR(VIR_ERR_INVALID_ARG, "bad list: INVALID_ARG");
    virTypedParamsFree(set, n);
    set = NULL; n = max = 0;
    virTypedParamsAddUInt(&set, &n, &max, "weight", 5);
    TAP_INT(virDomainSetBlkioParameters(dom, set, n, 0), -1, "bad weight");
    TAP_ERR(VIR_ERR_INVALID_ARG, "bad weight: INVALID_ARG");
    virTypedParamsFree(set, n);
}

static void
testNuma(virDomainPtr dom, virDomainPtr off)
{
    virTypedParameter p[4];
    virTypedParameterPtr set = NULL;
    int n = 0, max = 0, np = 4;

    virTypedParamsAddInt(&set, &n, &max, "numa_mode",
                         VIR_DOMAIN_NUMATUNE_MEM_INTERLEAVE);
    virTypedParamsAddString(&set, &n, &max, "numa_nodeset", "0-1");
    TAP_INT(virDomainSetNumaParameters(off, set, n, 0), 0, "set numa config");
    TAP_INT(virDomainGetNumaParameters(off, p, &np, 0), 0, "get numa");
    TAP_INT(find(p, np, "numa_mode")->value.i,
            VIR_DOMAIN_NUMATUNE_MEM_INTERLEAVE, "mode read back");
    TAP_STR(find(p, np, "numa_nodeset")->value.s, "0-1", "nodeset back");
    virTypedParamsClear(p, np);
    TAP_OK(featXMLHas(off, 0, "mode='interleave'"), "XML has the mode");
    TAP_INT(virDomainSetNumaParameters(dom, set, 1, VIR_DOMAIN_AFFECT_LIVE),
            -1, "changing the mode live fails");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "live mode: OPERATION_INVALID");
    virTypedParamsFree(set, n);
    set = NULL; n = max = 0;
    virTypedParamsAddString(&set, &n, &max, "numa_nodeset", "7");
    TAP_INT(virDomainSetNumaParameters(off, set, n, 0), -1, "no node 7");
    TAP_ERR(VIR_ERR_INVALID_ARG, "bad nodeset: INVALID_ARG");
    virTypedParamsFree(set, n);
    set = NULL; n = max = 0;
    virTypedParamsAddInt(&set, &n, &max, "numa_mode", 42);
    TAP_INT(virDomainSetNumaParameters(off, set, n, 0), -1, "mode 42");
    TAP_ERR(VIR_ERR_INVALID_ARG, "bad mode: INVALID_ARG");
    virTypedParamsFree(set, n);
}

static void
testIotune(virDomainPtr dom)
{
    virTypedParameter p[24];
    virTypedParameterPtr set = NULL;
    int n = 0, max = 0, np = 0;

    TAP_INT(virDomainGetBlockIoTune(dom, "vda", NULL, &np, 0), 0, "count");
    TAP_INT(np, 20, "twenty iotune parameters");
    virTypedParamsAddULLong(&set, &n, &max, "total_bytes_sec", 1000000);
    virTypedParamsAddULLong(&set, &n, &max, "total_bytes_sec_max", 2000000);
    virTypedParamsAddULLong(&set, &n, &max, "read_iops_sec", 300);
    virTypedParamsAddString(&set, &n, &max, "group_name", "grp");
    tunableCount = 0;
    TAP_INT(virDomainSetBlockIoTune(dom, "vda", set, n, 0), 0, "set iotune");
    np = 24;
    TAP_INT(virDomainGetBlockIoTune(dom, "vda", p, &np, 0), 0, "get iotune");
    TAP_INT(find(p, np, "total_bytes_sec")->value.ul, 1000000, "total back");
    TAP_INT(find(p, np, "total_bytes_sec_max")->value.ul, 2000000,
            "burst back");
    TAP_INT(find(p, np, "read_iops_sec")->value.ul, 300, "read iops back");
    TAP_STR(find(p, np, "group_name")->value.s, "grp", "group back");
    virTypedParamsClear(p, np);
    TAP_OK(featXMLHas(dom, 0, "<total_bytes_sec>1000000</total_bytes_sec>"),
           "XML has iotune");
    featRunLoop(50);
    TAP_INT(tunableCount, 1, "tunable event for iotune");
    TAP_STR(tunableFirst, "blkdeviotune.disk", "event starts with the disk");
    virTypedParamsFree(set, n);

    set = NULL; n = max = 0;
    virTypedParamsAddULLong(&set, &n, &max, "read_bytes_sec", 5000);
    TAP_INT(virDomainSetBlockIoTune(dom, "vda", set, n, 0), -1,
            "read with the burst of total left fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "burst without base: INVALID_ARG");
    virTypedParamsAddULLong(&set, &n, &max, "total_bytes_sec_max", 0);
    TAP_INT(virDomainSetBlockIoTune(dom, "vda", set, n, 0), 0,
            "read replaces total");
    np = 24;
    virDomainGetBlockIoTune(dom, "vda", p, &np, 0);
    TAP_INT(find(p, np, "total_bytes_sec")->value.ul, 0, "total cleared");
    TAP_INT(find(p, np, "read_bytes_sec")->value.ul, 5000, "read set");
    virTypedParamsClear(p, np);
    virTypedParamsAddULLong(&set, &n, &max, "total_bytes_sec", 5);
    TAP_INT(virDomainSetBlockIoTune(dom, "vda", set, n, 0), -1,
            "total with read fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "total+read: INVALID_ARG");
    TAP_INT(virDomainSetBlockIoTune(dom, "sdz", set, 1, 0), -1, "no disk");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown disk: INVALID_ARG");
    TAP_INT(virDomainGetBlockIoTune(dom, "sdz", NULL, &np, 0), -1,
            "get unknown disk");
    TAP_ERR(VIR_ERR_INVALID_ARG, "get unknown disk: INVALID_ARG");
    virTypedParamsFree(set, n);
    set = NULL; n = max = 0;
    virTypedParamsAddULLong(&set, &n, &max, "total_iops_sec",
                            2000000000000000ULL);
    TAP_INT(virDomainSetBlockIoTune(dom, "vda", set, n, 0), -1, "too big");
    TAP_ERR(VIR_ERR_INVALID_ARG, "too big: INVALID_ARG");
    virTypedParamsFree(set, n);
}

static void
testBandwidth(virDomainPtr dom, virDomainPtr off)
{
    virTypedParameter p[8];
    virTypedParameterPtr set = NULL;
    int n = 0, max = 0, np = 0;

    TAP_INT(virDomainGetInterfaceParameters(dom, "aa:bb:cc:dd:ee:ff", NULL,
                                            &np, 0), 0, "bandwidth count");
    TAP_INT(np, 7, "seven bandwidth parameters");
    virTypedParamsAddUInt(&set, &n, &max, "inbound.average", 1000);
    virTypedParamsAddUInt(&set, &n, &max, "inbound.peak", 2000);
    virTypedParamsAddUInt(&set, &n, &max, "outbound.average", 500);
    TAP_INT(virDomainSetInterfaceParameters(dom, "aa:bb:cc:dd:ee:ff", set, n,
                                            0), 0, "set bandwidth");
    np = 8;
    virDomainGetInterfaceParameters(dom, "aa:bb:cc:dd:ee:ff", p, &np, 0);
    TAP_INT(find(p, np, "inbound.average")->value.ui, 1000, "in avg back");
    TAP_INT(find(p, np, "inbound.peak")->value.ui, 2000, "in peak back");
    TAP_INT(find(p, np, "outbound.average")->value.ui, 500, "out avg back");
    TAP_OK(featXMLHas(dom, 0, "<inbound average='1000' peak='2000'/>"),
           "XML has bandwidth");
    virTypedParamsFree(set, n);

    set = NULL; n = max = 0;
    virTypedParamsAddUInt(&set, &n, &max, "inbound.floor", 10);
    virTypedParamsAddUInt(&set, &n, &max, "inbound.average", 10);
    TAP_INT(virDomainSetInterfaceParameters(off, "52:54:00:00:00:01", set, n,
                                            0), 0,
            "floor on a network interface");
    TAP_INT(virDomainSetInterfaceParameters(dom, "aa:bb:cc:dd:ee:ff", set, n,
                                            0), -1, "floor on user fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "floor on user: INVALID_ARG");
    TAP_INT(virDomainSetInterfaceParameters(dom, "vnet99", set, n, 0), -1,
            "unknown interface fails");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown interface: INVALID_ARG");
    virTypedParamsFree(set, n);
}

static void
testPerf(virDomainPtr dom)
{
    virTypedParameterPtr set = NULL, got = NULL;
    int n = 0, max = 0, ng = 0, on = 0;

    virTypedParamsAddBoolean(&set, &n, &max, "cmt", 1);
    virTypedParamsAddBoolean(&set, &n, &max, "cpu_cycles", 1);
    TAP_INT(virDomainSetPerfEvents(dom, set, n, 0), 0, "enable perf events");
    TAP_INT(virDomainGetPerfEvents(dom, &got, &ng, 0), 0, "get perf events");
    TAP_INT(ng, 22, "every perf event listed");
    virTypedParamsGetBoolean(got, ng, "cpu_cycles", &on);
    TAP_INT(on, 1, "cpu_cycles enabled");
    virTypedParamsGetBoolean(got, ng, "instructions", &on);
    TAP_INT(on, 0, "instructions disabled");
    TAP_OK(featXMLHas(dom, 0, "<event name='cmt' enabled='yes'/>"),
           "XML has the perf event");
    virTypedParamsFree(got, ng);
    virTypedParamsFree(set, n);
    set = NULL; n = max = 0;
    virTypedParamsAddBoolean(&set, &n, &max, "nosuch", 1);
    TAP_INT(virDomainSetPerfEvents(dom, set, n, 0), -1, "unknown event");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown event: INVALID_ARG");
    virTypedParamsFree(set, n);
}

int
main(void)
{
    virConnectPtr conn;
    virDomainPtr dom, off;
    int cb;

    virSetErrorFunc(NULL, featQuiet);
    virEventRegisterDefaultImpl();
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");
    off = featDefine(conn, "cfg");
    if (!TAP_OK(conn && dom && off, "connection and domains"))
        return tapDone();
    cb = virConnectDomainEventRegisterAny(conn, NULL,
                                          VIR_DOMAIN_EVENT_ID_TUNABLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(onTunable),
                                          NULL, NULL);
    testScheduler(conn, dom, off);
    testMemory(dom);
    testBlkio(dom);
    testNuma(dom, off);
    testIotune(dom);
    testBandwidth(dom, off);
    testPerf(dom);
    virConnectDomainEventDeregisterAny(conn, cb);
    virDomainFree(off);
    virDomainFree(dom);
    virConnectClose(conn);
    return tapDone();
}
