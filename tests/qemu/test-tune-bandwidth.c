/* test-tune-bandwidth.c: per-thread CPU bandwidth of a real 2-vCPU guest:
 * vcpuN/emulator/iothreadN cpu cgroups, each thread in its group's tasks,
 * period and quota read back from the kernel's files and the API, config
 * values applied at the next start, range errors, IOThread add/delete,
 * reconnect, removal at stop; and virDomainSetVcpu on the persistent
 * definition, honoured by the next start */
#include "qemu-test.h"

#define NAME "bw-a"

static virConnectPtr conn;
static char *root, *uri;
static pid_t qpid;
static char cgDir[512];        /* the domain's cpu cgroup */

/* ---- the kernel's side ---- */

/* Find the domain's cpu cgroup (v1, under the test's own). */
static bool
findCgroup(void)
{
    char own[400] = "";

    qtCgroupOf("self", "cpu", own, sizeof(own));
    snprintf(cgDir, sizeof(cgDir), "/sys/fs/cgroup/cpu%s/vireo/%s.%ld", own,
             NAME, (long)qpid);
    return access(cgDir, F_OK) == 0;
}

/* First line of GROUP/FILE of the domain's cpu cgroup ("" for the domain
 * group itself); "" when unreadable. */
static const char *
cgRead(const char *group, const char *file)
{
    static char out[256];
    char path[800];

    snprintf(path, sizeof(path), "%s/%s%s%s", cgDir, group, *group ? "/" : "",
             file);
    return qtReadLine(path, out, sizeof(out));
}

static bool
groupExists(const char *group)
{
    char path[800];

    snprintf(path, sizeof(path), "%s/%s", cgDir, group);
    return access(path, F_OK) == 0;
}

/* True when thread TID is listed in GROUP's tasks. */
static bool
inTasks(const char *group, pid_t tid)
{
    char path[800], line[32];
    bool found = false;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s/tasks", cgDir, group);
    if (!(f = fopen(path, "r")))
        return false;
    while (!found && fgets(line, sizeof(line), f))
        found = atol(line) == tid;
    fclose(f);
    return found;
}

/* ---- API helpers ---- */

static int
setSched(virDomainPtr dom, unsigned int flags, const char *field,
         long long value)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0, ret;

    if (strstr(field, "quota"))
        virTypedParamsAddLLong(&p, &n, &max, field, value);
    else
        virTypedParamsAddULLong(&p, &n, &max, field,
                                (unsigned long long)value);
    ret = virDomainSetSchedulerParametersFlags(dom, p, n, flags);
    virTypedParamsFree(p, n);
    return ret;
}

/* FIELD from GetSchedulerParametersFlags(FLAGS); LLONG_MIN on failure. */
static long long
getSched(virDomainPtr dom, unsigned int flags, const char *field)
{
    virTypedParameter p[16];
    int n = 16;

    memset(p, 0, sizeof(p));
    if (virDomainGetSchedulerParametersFlags(dom, p, &n, flags) < 0)
        return -99;
    for (int i = 0; i < n; i++) {
        if (strcmp(p[i].field, field) == 0)
            return p[i].type == VIR_TYPED_PARAM_LLONG ? p[i].value.l
                                                      : (long long)p[i].value.ul;
    }
    return -98;
}

static char *
guestXML(const char *name, const char *cputune)
{
    char *xml = NULL;

    if (asprintf(&xml,
                 "<domain type='qemu'>\n"
                 "  <name>%s</name>\n"
                 "  <memory unit='MiB'>256</memory>\n"
                 "  <vcpu>2</vcpu>\n"
                 "  <iothreads>1</iothreads>\n"
                 "%s"
                 "  <os>\n"
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n"
                 "    <kernel>%s/vmlinuz</kernel>\n"
                 "    <initrd>%s/initrd.img</initrd>\n"
                 "    <cmdline>console=ttyS0 panic=-1</cmdline>\n"
                 "  </os>\n"
                 "  <features><acpi/></features>\n"
                 "  <devices>\n"
                 "    <serial type='pty'><target port='0'/></serial>\n"
                 "  </devices>\n"
                 "</domain>\n", name, cputune, qtGuest, qtGuest) < 0)
        abort();
    return xml;
}

static bool
start(virDomainPtr dom, const char *what)
{
    long long t0 = qtNowMs();
    int rc = virDomainCreate(dom);

    TAP_INT(rc, 0, "start %s (%lld ms): %s", what, qtNowMs() - t0,
            qtErrMsg());
    qpid = rc == 0 ? qtQemuPid(root, NAME) : 0;
    return rc == 0 && qpid > 0 && findCgroup();
}

/* ---- tunable events ---- */

static long long evVcpuQuota = 0;
static int evCount;

static void
onTunable(virConnectPtr c, virDomainPtr dom, virTypedParameterPtr params,
          int nparams, void *opaque)
{
    (void)c;
    (void)dom;
    (void)opaque;
    pthread_mutex_lock(&qtEvLock);
    for (int i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, "cputune.vcpu_quota") == 0 &&
            params[i].type == VIR_TYPED_PARAM_LLONG)
            evVcpuQuota = params[i].value.l;
    }
    evCount++;
    pthread_cond_broadcast(&qtEvCond);
    pthread_mutex_unlock(&qtEvLock);
}

static long long
waitVcpuQuotaEvent(long long want)
{
    long long until = qtNowMs() + 5000, got;

    for (;;) {
        pthread_mutex_lock(&qtEvLock);
        got = evVcpuQuota;
        pthread_mutex_unlock(&qtEvLock);
        if (got == want || qtNowMs() > until)
            return got;
        usleep(20 * 1000);
    }
}

/* ---- the checks ---- */

/* A domain without per-thread values: no child groups until one is set,
 * then every thread in its own. */
static void
testLive(virDomainPtr dom)
{
    pid_t v0 = qtThreadByComm(qpid, "CPU 0/TCG");
    pid_t v1 = qtThreadByComm(qpid, "CPU 1/TCG");
    pid_t io1 = qtThreadByComm(qpid, "IO iothread1");

    TAP_OK(v0 > 0 && v1 > 0 && io1 > 0, "vCPU and IOThread threads (%d, %d, "
           "%d)", v0, v1, io1);
    TAP_OK(!groupExists("emulator") && !groupExists("vcpu0"),
           "no per-thread groups before a per-thread value is set");
    TAP_INT(getSched(dom, 0, "vcpu_quota"), 0, "vcpu_quota reads 0 (unset)");

    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "vcpu_quota", 50000), 0,
            "set vcpu_quota 50000 live: %s", qtErrMsg());
    TAP_INT(waitVcpuQuotaEvent(50000), 50000,
            "a tunable event carries cputune.vcpu_quota (LLONG)");
    TAP_STR(cgRead("vcpu0", "cpu.cfs_quota_us"), "50000",
            "vcpu0/cpu.cfs_quota_us reads 50000");
    TAP_STR(cgRead("vcpu1", "cpu.cfs_quota_us"), "50000",
            "vcpu1/cpu.cfs_quota_us reads 50000");
    TAP_OK(inTasks("vcpu0", v0), "vCPU 0's thread is in vcpu0/tasks");
    TAP_OK(inTasks("vcpu1", v1), "vCPU 1's thread is in vcpu1/tasks");
    TAP_OK(!inTasks("vcpu0", v1), "... and not in vcpu0's");
    TAP_OK(inTasks("iothread1", io1), "IOThread 1 is in iothread1/tasks");
    TAP_OK(inTasks("emulator", qpid), "QEMU's main thread is in "
           "emulator/tasks");
    TAP_STR(cgRead("", "tasks"), "", "the domain group itself holds no "
            "thread");
    TAP_STR(cgRead("emulator", "cpu.cfs_quota_us"), "-1",
            "the emulator group is unlimited");

    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "vcpu_period", 200000), 0,
            "set vcpu_period 200000: %s", qtErrMsg());
    TAP_STR(cgRead("vcpu1", "cpu.cfs_period_us"), "200000",
            "vcpu1/cpu.cfs_period_us reads 200000");
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "emulator_period", 50000),
            0, "set emulator_period: %s", qtErrMsg());
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "emulator_quota", 20000),
            0, "set emulator_quota: %s", qtErrMsg());
    TAP_STR(cgRead("emulator", "cpu.cfs_period_us"), "50000",
            "emulator/cpu.cfs_period_us reads 50000");
    TAP_STR(cgRead("emulator", "cpu.cfs_quota_us"), "20000",
            "emulator/cpu.cfs_quota_us reads 20000");
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "iothread_quota", 30000),
            0, "set iothread_quota: %s", qtErrMsg());
    TAP_STR(cgRead("iothread1", "cpu.cfs_quota_us"), "30000",
            "iothread1/cpu.cfs_quota_us reads 30000");
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "global_period", 400000), 0,
            "set global_period: %s", qtErrMsg());
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "global_quota", 800000), 0,
            "set global_quota: %s", qtErrMsg());
    TAP_STR(cgRead("", "cpu.cfs_period_us"), "400000",
            "the domain group's cpu.cfs_period_us reads 400000");
    TAP_STR(cgRead("", "cpu.cfs_quota_us"), "800000",
            "the domain group's cpu.cfs_quota_us reads 800000");

    /* the API reads the kernel: change a file behind its back */
    {
        char path[800];
        FILE *f;

        snprintf(path, sizeof(path), "%s/vcpu0/cpu.cfs_quota_us", cgDir);
        if ((f = fopen(path, "w"))) {
            fputs("60000", f);
            fclose(f);
        }
    }
    TAP_INT(getSched(dom, VIR_DOMAIN_AFFECT_LIVE, "vcpu_quota"), 60000,
            "GetSchedulerParameters reads vcpu_quota from the kernel");
    TAP_INT(getSched(dom, 0, "vcpu_period"), 200000, "... vcpu_period");
    TAP_INT(getSched(dom, 0, "emulator_quota"), 20000, "... emulator_quota");
    TAP_INT(getSched(dom, 0, "emulator_period"), 50000,
            "... emulator_period");
    TAP_INT(getSched(dom, 0, "iothread_quota"), 30000, "... iothread_quota");
    TAP_INT(getSched(dom, 0, "iothread_period"), 100000,
            "... iothread_period (the kernel's default)");
    TAP_INT(getSched(dom, 0, "global_quota"), 800000, "... global_quota");
    TAP_INT(getSched(dom, 0, "global_period"), 400000, "... global_period");
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "vcpu_quota", -1), 0,
            "vcpu_quota -1 lifts the limit: %s", qtErrMsg());
    TAP_STR(cgRead("vcpu0", "cpu.cfs_quota_us"), "-1",
            "vcpu0/cpu.cfs_quota_us reads -1");
}

static void
testRanges(virDomainPtr dom)
{
    static const struct {
        const char *field;
        long long value;
    } bad[] = {
        { "vcpu_period", 999 }, { "vcpu_period", 1000001 },
        { "emulator_period", 10 }, { "iothread_period", 2000000 },
        { "global_period", 500 }, { "vcpu_quota", 999 },
        { "emulator_quota", 17592186044416LL }, { "iothread_quota", 1 },
        { "global_quota", 50 },
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, bad[i].field,
                         bad[i].value), -1, "%s %lld is refused",
                bad[i].field, bad[i].value);
        TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
        TAP_OK(strstr(qtErrMsg(), bad[i].field) != NULL,
               "... naming the field: %s", qtErrMsg());
    }
    TAP_STR(cgRead("vcpu1", "cpu.cfs_period_us"), "200000",
            "nothing changed in the kernel");
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "vcpu_period", 1000), 0,
            "the bounds are accepted: vcpu_period 1000: %s", qtErrMsg());
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_LIVE, "vcpu_period", 1000000), 0,
            "... vcpu_period 1000000: %s", qtErrMsg());
    TAP_STR(cgRead("vcpu0", "cpu.cfs_period_us"), "1000000",
            "vcpu0/cpu.cfs_period_us reads 1000000");
}

static void
testIothreads(virDomainPtr dom)
{
    pid_t tid;

    TAP_INT(virDomainAddIOThread(dom, 3, VIR_DOMAIN_AFFECT_LIVE), 0,
            "add IOThread 3: %s", qtErrMsg());
    tid = qtThreadByComm(qpid, "IO iothread3");
    TAP_OK(tid > 0 && inTasks("iothread3", tid),
           "its thread (%d) is in iothread3/tasks", tid);
    TAP_STR(cgRead("iothread3", "cpu.cfs_quota_us"), "30000",
            "iothread3 got the domain's iothread_quota");
    TAP_INT(virDomainDelIOThread(dom, 3, VIR_DOMAIN_AFFECT_LIVE), 0,
            "delete IOThread 3: %s", qtErrMsg());
    TAP_OK(!groupExists("iothread3"), "its group is removed");
}

static void
testConfig(virDomainPtr dom)
{
    char *xml;

    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_CONFIG, "vcpu_quota", 40000), 0,
            "set vcpu_quota 40000 in the config only: %s", qtErrMsg());
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_CONFIG, "emulator_period",
                     300000), 0, "set emulator_period 300000 in the config: "
            "%s", qtErrMsg());
    TAP_STR(cgRead("vcpu0", "cpu.cfs_quota_us"), "-1",
            "the running vcpu0 group is untouched");
    TAP_INT(getSched(dom, VIR_DOMAIN_AFFECT_CONFIG, "vcpu_quota"), 40000,
            "the config reads 40000");
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, "<quota>40000</quota>") &&
           strstr(xml, "<emulator_period>300000</emulator_period>"),
           "the persistent XML has <quota> and <emulator_period>");
    free(xml);
    xml = virDomainGetXMLDesc(dom, 0);
    TAP_OK(xml && strstr(xml, "<period>1000000</period>") &&
           strstr(xml, "<iothread_quota>30000</iothread_quota>"),
           "the live XML has the live values");
    free(xml);
    TAP_INT(setSched(dom, VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_AFFECT_LIVE,
                     "iothread_period", 250000), 0, "set iothread_period "
            "live and config: %s", qtErrMsg());
    TAP_STR(cgRead("iothread1", "cpu.cfs_period_us"), "250000",
            "... in the kernel");
    TAP_INT(getSched(dom, VIR_DOMAIN_AFFECT_CONFIG, "iothread_period"),
            250000, "... and the config");
}

/* Reopen the root: the driver finds QEMU again, the groups stay right. */
static virDomainPtr
testReconnect(virDomainPtr dom)
{
    char path[800];
    pid_t v1 = qtThreadByComm(qpid, "CPU 1/TCG");
    FILE *f;

    virDomainFree(dom);
    virConnectClose(conn);
    /* while no manager runs, vCPU 1 strays back into the domain group */
    snprintf(path, sizeof(path), "%s/tasks", cgDir);
    if ((f = fopen(path, "w"))) {
        fprintf(f, "%ld", (long)v1);
        fclose(f);
    }
    TAP_OK(!inTasks("vcpu1", v1), "vCPU 1 moved out of vcpu1 behind the "
           "driver's back");
    conn = qtOpen(uri);
    TAP_OK(conn != NULL, "reopen the root: %s", qtErrMsg());
    if (!conn)
        return NULL;
    dom = virDomainLookupByName(conn, NAME);
    TAP_INT(virDomainIsActive(dom), 1, "the guest still runs");
    TAP_INT(getSched(dom, 0, "iothread_period"), 250000,
            "iothread_period reads back after the reconnect");
    TAP_OK(inTasks("vcpu1", v1), "the reconnect put vCPU 1 back in "
           "vcpu1/tasks");
    return dom;
}

/* Stop removes the groups; the next start applies the config's values. */
static void
testRestart(virDomainPtr dom)
{
    char dir[512];

    snprintf(dir, sizeof(dir), "%s", cgDir);
    TAP_INT(virDomainDestroy(dom), 0, "destroy");
    TAP_OK(access(dir, F_OK) != 0, "the cgroup and its children are gone");
    if (!start(dom, "with per-thread <cputune>"))
        return;
    TAP_STR(cgRead("vcpu0", "cpu.cfs_quota_us"), "40000",
            "<quota> applied at start to vcpu0");
    TAP_STR(cgRead("vcpu1", "cpu.cfs_quota_us"), "40000",
            "... and vcpu1");
    TAP_STR(cgRead("emulator", "cpu.cfs_period_us"), "300000",
            "<emulator_period> applied at start");
    TAP_STR(cgRead("iothread1", "cpu.cfs_period_us"), "250000",
            "<iothread_period> applied at start");
    TAP_OK(inTasks("vcpu0", qtThreadByComm(qpid, "CPU 0/TCG")),
           "vCPU 0's thread placed at start");
    TAP_OK(inTasks("emulator", qpid), "the main thread placed at start");
}

/* virDomainSetVcpu on the persistent definition, then a start. */
static void
testSetVcpu(virDomainPtr dom)
{
    unsigned char pin0 = 0x1;
    char *xml;

    TAP_INT(virDomainSetVcpu(dom, "1", 0, VIR_DOMAIN_AFFECT_LIVE), -1,
            "live vCPU unplug under TCG is refused");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_UNSUPPORTED,
            "... OPERATION_UNSUPPORTED: %s", qtErrMsg());
    TAP_INT(virDomainSetVcpu(dom, "1", 0, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "disable vCPU 1 in the config: %s", qtErrMsg());
    TAP_INT(virDomainSetVcpu(dom, "0", 0, VIR_DOMAIN_AFFECT_CONFIG), -1,
            "vCPU 0 cannot be disabled");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG: %s",
            qtErrMsg());
    TAP_INT(virDomainSetVcpu(dom, "5", 1, VIR_DOMAIN_AFFECT_CONFIG), -1,
            "vCPU 5 does not exist");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG: %s",
            qtErrMsg());
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, " current='1'>2</vcpu>") &&
           strstr(xml, "<vcpu id='0' enabled='yes' hotpluggable='no'/>") &&
           strstr(xml, "<vcpu id='1' enabled='no' hotpluggable='yes'/>"),
           "the persistent XML has <vcpus> and current='1'");
    if (xml && !strstr(xml, "<vcpu id='1' enabled='no'"))
        fprintf(stderr, "%s\n", xml);
    free(xml);
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), 1,
            "the config counts 1 vCPU");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), 2,
            "the running guest still has 2");
    TAP_INT(virDomainPinVcpuFlags(dom, 1, &pin0, 1,
                                  VIR_DOMAIN_AFFECT_CONFIG), 0,
            "pin vCPU 1 to host cpu 0 in the config: %s", qtErrMsg());
    TAP_INT(virDomainDestroy(dom), 0, "destroy");
    if (!start(dom, "with vCPU 1 disabled"))
        return;
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), 1,
            "the guest runs 1 vCPU");
    TAP_OK(qtThreadByComm(qpid, "CPU 0/TCG") > 0 &&
           qtThreadByComm(qpid, "CPU 1/TCG") == 0,
           "QEMU runs vCPU 0's thread only");
    TAP_OK(!groupExists("vcpu1"), "no vcpu1 group");

    /* enable it live (a hotplug): it joins its group with the quota */
    TAP_INT(virDomainSetVcpu(dom, "1", 1, VIR_DOMAIN_AFFECT_LIVE), 0,
            "enable vCPU 1 live: %s", qtErrMsg());
    TAP_OK(inTasks("vcpu1", qtThreadByComm(qpid, "CPU 1/TCG")),
           "the new vCPU's thread is in vcpu1/tasks");
    TAP_STR(cgRead("vcpu1", "cpu.cfs_quota_us"), "40000",
            "... with the vcpu quota");
    TAP_INT(qtAffinity(qtThreadByComm(qpid, "CPU 1/TCG")), 0x1,
            "... and its <vcpupin> (host cpu 0)");

    TAP_INT(virDomainSetVcpu(dom, "1", 1, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "enable vCPU 1 in the config: %s", qtErrMsg());
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, "<vcpu id='1' enabled='yes' "
                         "hotpluggable='yes'/>"),
           "the persistent XML enables vCPU 1 (hotpluggable)");
    free(xml);
    TAP_INT(virDomainDestroy(dom), 0, "destroy");
    if (!start(dom, "with vCPU 1 enabled again"))
        return;
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), 2,
            "the guest runs 2 vCPUs");
    TAP_OK(inTasks("vcpu1", qtThreadByComm(qpid, "CPU 1/TCG")),
           "vCPU 1 (plugged at start) runs, placed in vcpu1/tasks");
    xml = virDomainGetXMLDesc(dom, 0);
    TAP_OK(xml && strstr(xml, "<vcpu id='1' enabled='yes' "
                         "hotpluggable='yes'/>") && !strstr(xml, "current="),
           "the live XML agrees");
    free(xml);

    /* a count change keeps <vcpus> in line */
    TAP_INT(virDomainSetVcpusFlags(dom, 1, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "set the config's count to 1: %s", qtErrMsg());
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, "<vcpu id='1' enabled='no' "
                         "hotpluggable='yes'/>"), "... vCPU 1 disabled");
    free(xml);
    TAP_INT(virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "and back to 2: %s", qtErrMsg());
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, "<vcpu id='1' enabled='yes' "
                         "hotpluggable='yes'/>"), "... vCPU 1 enabled");
    free(xml);
}

/* A <vcpus> QEMU cannot boot, a <cputune> period or quota out of range,
 * are refused when defined. */
static void
testBadDefinitions(void)
{
    static const char *const bad[] = {
        "<cputune><period>10</period></cputune>\n",
        "<cputune><emulator_quota>999</emulator_quota></cputune>\n",
        "<vcpus><vcpu id='0' enabled='no' hotpluggable='yes'/>"
        "<vcpu id='1' enabled='yes' hotpluggable='no'/></vcpus>\n",
        "<vcpus><vcpu id='0' enabled='yes' hotpluggable='no'/>"
        "<vcpu id='1' enabled='no' hotpluggable='no'/></vcpus>\n",
        "<vcpus><vcpu id='0' enabled='yes'/><vcpu id='7' enabled='yes'/>"
        "</vcpus>\n",
    };
    static const int codes[] = {
        VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_CONFIG_UNSUPPORTED,
        VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_CONFIG_UNSUPPORTED,
        VIR_ERR_XML_ERROR,
    };

    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        char *xml = guestXML("bw-bad", bad[i]);
        virDomainPtr dom;

        dom = virDomainDefineXML(conn, xml);
        TAP_OK(dom == NULL, "bad definition %zu is refused", i);
        TAP_INT(qtErrCode(), codes[i], "... %s", qtErrMsg());
        if (dom) {
            virDomainUndefine(dom);
            virDomainFree(dom);
        }
        free(xml);
    }
}

int
main(void)
{
    char why[200], *xml;
    virDomainPtr dom;

    if (!qtSetup(why, sizeof(why))) {
        tapSkip(why);
        return tapDone();
    }
    if (access("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", F_OK) != 0) {
        tapSkip("the host has no cgroup v1 cpu controller with CFS "
                "bandwidth at /sys/fs/cgroup/cpu");
        return tapDone();
    }
    virSetErrorFunc(NULL, qtNoErrors);
    qtEventLoopStart();
    root = qtRoot();
    uri = qtURI(root);
    conn = qtOpen(uri);
    TAP_OK(conn != NULL, "open %s: %s", uri, conn ? "ok" : qtErrMsg());
    if (!conn)
        return tapDone();
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_TUNABLE,
                                     VIR_DOMAIN_EVENT_CALLBACK(onTunable),
                                     NULL, NULL);
    testBadDefinitions();
    xml = guestXML(NAME, "");
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "define a 2-vCPU guest: %s", qtErrMsg());
    if (dom && start(dom, "without per-thread values")) {
        testLive(dom);
        testRanges(dom);
        testIothreads(dom);
        testConfig(dom);
        dom = testReconnect(dom);
        if (dom) {
            testRestart(dom);
            testSetVcpu(dom);
        }
    }
    if (dom) {
        virDomainDestroy(dom);
        virDomainUndefine(dom);
        virDomainFree(dom);
    }
    if (conn)
        TAP_INT(virConnectClose(conn), 0, "close");
    qtRemoveRoot(root);
    free(root);
    free(uri);
    return tapDone();
}
