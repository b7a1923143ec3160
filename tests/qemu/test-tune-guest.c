/* test-tune-guest.c: the tune family on a real 2-vCPU guest: vCPU threads
 * and their affinity read back from the kernel, emulator and IOThread
 * pinning, IOThread add/delete, cgroup tunables read back from the cgroup
 * files, perf events, CPU statistics, and the errors */
#include "qemu-test.h"

#include <sched.h>
#include <sys/sysmacros.h>

#define NAME "tune-a"

static virConnectPtr conn;
static char *root;
static pid_t qpid;

static pid_t
threadByComm(const char *comm)
{
    return qtThreadByComm(qpid, comm);
}

static unsigned int
affinity(pid_t tid)
{
    return qtAffinity(tid);
}

/* Content of cgroup file FILE of controller CTRL of the QEMU (first line),
 * "" when it cannot be read. */
static char cgLastDir[600];

static char *
cgFile(const char *ctrl, const char *file)
{
    static char out[512];
    char path[700], dir[400], pid[32];

    out[0] = '\0';
    cgLastDir[0] = '\0';
    snprintf(pid, sizeof(pid), "%ld", (long)qpid);
    if (!qtCgroupOf(pid, ctrl, dir, sizeof(dir)))
        return out;
    snprintf(path, sizeof(path), "/sys/fs/cgroup/%s%s/%s", ctrl, dir, file);
    snprintf(cgLastDir, sizeof(cgLastDir), "/sys/fs/cgroup/%s%s", ctrl, dir);
    return qtReadLine(path, out, sizeof(out));
}

/* True when the QEMU's cgroup of CTRL has FILE. */
static bool
hasV1(const char *ctrl, const char *file)
{
    char path[700];

    cgFile(ctrl, file);
    snprintf(path, sizeof(path), "%s/%s", cgLastDir, file);
    return access(path, F_OK) == 0;
}

static char *
guestXML(void)
{
    char *xml = NULL;

    if (asprintf(&xml,
                 "<domain type='qemu'>\n"
                 "  <name>" NAME "</name>\n"
                 "  <memory unit='MiB'>256</memory>\n"
                 "  <vcpu>2</vcpu>\n"
                 "  <iothreads>1</iothreads>\n"
                 "  <cputune><shares>512</shares>"
                 "<vcpupin vcpu='0' cpuset='1'/></cputune>\n"
                 "  <memtune><hard_limit unit='MiB'>2048</hard_limit>"
                 "</memtune>\n"
                 "  <numatune><memory mode='strict' nodeset='0'/></numatune>\n"
                 "  <os>\n"
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n"
                 "    <kernel>%s/vmlinuz</kernel>\n"
                 "    <initrd>%s/initrd.img</initrd>\n"
                 "    <cmdline>console=ttyS0 panic=-1</cmdline>\n"
                 "  </os>\n"
                 "  <features><acpi/></features>\n"
                 "  <devices>\n"
                 "    <interface type='user'><model type='virtio'/>"
                 "</interface>\n"
                 "    <serial type='pty'><target port='0'/></serial>\n"
                 "  </devices>\n"
                 "</domain>\n", qtGuest, qtGuest) < 0)
        abort();
    return xml;
}

/* ---- the checks ---- */

static void
testPlacement(void)
{
    char want[64];

    snprintf(want, sizeof(want), "/vireo/" NAME ".%ld", (long)qpid);
    TAP_OK(strlen(cgFile("cpu", "cpu.shares")) > 0,
           "QEMU has a cpu cgroup of its own");
    TAP_STR(cgFile("cpu", "cpu.shares"), "512",
            "<cputune><shares> applied at start (cpu.shares)");
    TAP_STR(cgFile("memory", "memory.limit_in_bytes"), "2147483648",
            "<memtune><hard_limit> applied at start");
    TAP_STR(cgFile("cpuset", "cpuset.mems"), "0",
            "<numatune> nodeset applied at start (cpuset.mems)");
}

static void
testVcpus(virDomainPtr dom)
{
    virVcpuInfo info[4];
    unsigned char maps[4] = { 0 };
    unsigned long long t0;
    pid_t tid0 = threadByComm("CPU 0/TCG"), tid1 = threadByComm("CPU 1/TCG");
    int n, ncpus = sysconf(_SC_NPROCESSORS_CONF);
    long long until;

    TAP_OK(tid0 > 0 && tid1 > 0, "QEMU has two vCPU threads (%d, %d)",
           tid0, tid1);
    n = virDomainGetVcpus(dom, info, 4, maps, 1);
    TAP_INT(n, 2, "GetVcpus returns 2 vCPUs: %s", qtErrMsg());
    if (n != 2)
        return;
    TAP_INT(info[0].number, 0, "vcpu 0 numbered");
    TAP_INT(info[1].number, 1, "vcpu 1 numbered");
    TAP_OK(info[0].cpu >= 0 && info[0].cpu < ncpus, "vcpu 0 on host cpu %d",
           info[0].cpu);
    TAP_INT(maps[0], 0x2, "vcpu 0 pinned by <vcpupin> (read from GetVcpus)");
    TAP_INT(affinity(tid0), 0x2, "the kernel has vcpu 0's thread on cpu 1");
    t0 = info[0].cpuTime + info[1].cpuTime;
    until = qtNowMs() + 20000;
    while (qtNowMs() < until) {
        usleep(200 * 1000);
        if (virDomainGetVcpus(dom, info, 4, NULL, 0) == 2 &&
            info[0].cpuTime + info[1].cpuTime > t0)
            break;
    }
    TAP_OK(info[0].cpuTime + info[1].cpuTime > t0, "vcpu cpu time grows");

    /* pin vcpu 1 to host cpu 0 */
    maps[0] = 0x1;
    TAP_INT(virDomainPinVcpu(dom, 1, maps, 1), 0, "pin vcpu 1 to cpu 0: %s",
            qtErrMsg());
    TAP_INT(affinity(tid1), 0x1, "sched_getaffinity of vcpu 1's thread is "
            "{0}");
    memset(maps, 0, sizeof(maps));
    TAP_INT(virDomainGetVcpuPinInfo(dom, 2, maps, 1, VIR_DOMAIN_AFFECT_LIVE),
            2, "GetVcpuPinInfo live");
    TAP_INT(maps[1], 0x1, "... agrees for vcpu 1");
    TAP_INT(maps[0], 0x2, "... and vcpu 0");
    /* errors */
    maps[0] = 1u << ncpus;
    TAP_INT(virDomainPinVcpu(dom, 1, maps, 1), -1,
            "pin to cpu %d (the host has %d) fails", ncpus, ncpus);
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG: %s",
            qtErrMsg());
    maps[0] = 1;
    TAP_INT(virDomainPinVcpu(dom, 7, maps, 1), -1, "pin vcpu 7 fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG: %s",
            qtErrMsg());
    TAP_INT(virDomainGetMaxVcpus(dom), 2, "GetMaxVcpus");
}

static void
testEmulator(virDomainPtr dom)
{
    unsigned char map = 0x2;
    pid_t tid1 = threadByComm("CPU 1/TCG");

    TAP_INT(virDomainPinEmulator(dom, &map, 1, VIR_DOMAIN_AFFECT_LIVE), 0,
            "pin the emulator to cpu 1: %s", qtErrMsg());
    TAP_INT(affinity(qpid), 0x2, "the main QEMU thread is on {1}");
    TAP_INT(affinity(tid1), 0x1, "vcpu 1 stays on {0}");
    map = 0;
    TAP_INT(virDomainGetEmulatorPinInfo(dom, &map, 1, 0), 1,
            "GetEmulatorPinInfo");
    TAP_INT(map, 0x2, "... agrees");
}

static void
testIothreads(virDomainPtr dom)
{
    virDomainIOThreadInfoPtr *info = NULL;
    unsigned char map = 0x1;
    pid_t tid;
    int n;

    n = virDomainGetIOThreadInfo(dom, &info, 0);
    TAP_INT(n, 1, "one IOThread from <iothreads>: %s", qtErrMsg());
    TAP_INT(n > 0 ? info[0]->iothread_id : 0, 1, "... with id 1");
    for (int i = 0; i < n; i++)
        virDomainIOThreadInfoFree(info[i]);
    free(info);
    TAP_INT(virDomainAddIOThread(dom, 5, VIR_DOMAIN_AFFECT_LIVE), 0,
            "add IOThread 5: %s", qtErrMsg());
    tid = threadByComm("IO iothread5");
    TAP_OK(tid > 0, "QEMU runs a thread for it (%d)", tid);
    TAP_INT(virDomainPinIOThread(dom, 5, &map, 1, VIR_DOMAIN_AFFECT_LIVE), 0,
            "pin IOThread 5 to cpu 0: %s", qtErrMsg());
    TAP_INT(affinity(tid), 0x1, "its thread is on {0}");
    n = virDomainGetIOThreadInfo(dom, &info, VIR_DOMAIN_AFFECT_LIVE);
    TAP_INT(n, 2, "two IOThreads now");
    for (int i = 0; i < n; i++)
        if (info[i]->iothread_id == 5)
            TAP_INT(info[i]->cpumap[0], 0x1, "IOThread 5 reported on {0}");
    for (int i = 0; i < n; i++)
        virDomainIOThreadInfoFree(info[i]);
    free(info);
    TAP_INT(virDomainAddIOThread(dom, 5, 0), -1, "adding it again fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainPinIOThread(dom, 9, &map, 1, 0), -1,
            "pin unknown IOThread 9 fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG: %s",
            qtErrMsg());
    TAP_INT(virDomainDelIOThread(dom, 5, VIR_DOMAIN_AFFECT_LIVE), 0,
            "delete IOThread 5: %s", qtErrMsg());
    for (long long until = qtNowMs() + 5000;
         threadByComm("IO iothread5") && qtNowMs() < until; )
        usleep(50 * 1000);
    TAP_OK(threadByComm("IO iothread5") == 0, "its thread is gone");
    n = virDomainGetIOThreadInfo(dom, &info, 0);
    TAP_INT(n, 1, "one IOThread left");
    for (int i = 0; i < n; i++)
        virDomainIOThreadInfoFree(info[i]);
    free(info);
    TAP_INT(virDomainDelIOThread(dom, 9, 0), -1, "delete unknown fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
}

static void
testScheduler(virDomainPtr dom)
{
    virTypedParameter p[12];
    int n = 0;
    char *type = virDomainGetSchedulerType(dom, &n);

    TAP_STR(type, "posix", "scheduler type");
    TAP_INT(n, 9, "nine scheduler parameters");
    free(type);
    memset(p, 0, sizeof(p));
    snprintf(p[0].field, sizeof(p[0].field), "%s",
             VIR_DOMAIN_SCHEDULER_CPU_SHARES);
    p[0].type = VIR_TYPED_PARAM_ULLONG;
    p[0].value.ul = 2048;
    snprintf(p[1].field, sizeof(p[1].field), "%s",
             VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA);
    p[1].type = VIR_TYPED_PARAM_LLONG;
    p[1].value.l = 50000;
    TAP_INT(virDomainSetSchedulerParametersFlags(dom, p, 2,
            VIR_DOMAIN_AFFECT_LIVE), 0, "set cpu_shares and global_quota: %s",
            qtErrMsg());
    TAP_STR(cgFile("cpu", "cpu.shares"), "2048", "cpu.shares reads 2048");
    TAP_STR(cgFile("cpu", "cpu.cfs_quota_us"), "50000",
            "cpu.cfs_quota_us reads 50000");
    n = 12;
    memset(p, 0, sizeof(p));
    TAP_INT(virDomainGetSchedulerParametersFlags(dom, p, &n, 0), 0,
            "get scheduler parameters");
    TAP_OK(n == 9 && p[0].value.ul == 2048 &&
           strcmp(p[6].field, VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA) == 0 &&
           p[6].value.l == 50000, "... they read back");
    snprintf(p[0].field, sizeof(p[0].field), "%s",
             VIR_DOMAIN_SCHEDULER_VCPU_QUOTA);
    p[0].type = VIR_TYPED_PARAM_LLONG;
    p[0].value.l = 10;
    TAP_INT(virDomainSetSchedulerParameters(dom, p, 1), -1,
            "vcpu_quota 10 is refused");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... as out of range: %s",
            qtErrMsg());
}

static void
testMemory(virDomainPtr dom)
{
    virTypedParameter p[3];
    int n = 3;

    memset(p, 0, sizeof(p));
    snprintf(p[0].field, sizeof(p[0].field), "%s",
             VIR_DOMAIN_MEMORY_HARD_LIMIT);
    p[0].type = VIR_TYPED_PARAM_ULLONG;
    p[0].value.ul = 1536 * 1024;
    TAP_INT(virDomainSetMemoryParameters(dom, p, 1, VIR_DOMAIN_AFFECT_LIVE), 0,
            "set hard_limit 1536 MiB: %s", qtErrMsg());
    TAP_STR(cgFile("memory", "memory.limit_in_bytes"), "1610612736",
            "memory.limit_in_bytes reads it back");
    memset(p, 0, sizeof(p));
    TAP_INT(virDomainGetMemoryParameters(dom, p, &n, 0), 0,
            "get memory parameters");
    TAP_OK(n == 3 && strcmp(p[0].field, "hard_limit") == 0 &&
           p[0].value.ul == 1536 * 1024, "hard_limit reads back");
    TAP_OK(n == 3 && p[1].value.ul == VIR_DOMAIN_MEMORY_PARAM_UNLIMITED,
           "soft_limit unlimited");
}

/* A block device of the host, for the throttles: NULL if none. */
static const char *
hostBlockDevice(void)
{
    static char path[300];
    DIR *dir = opendir("/sys/block");
    struct dirent *e;
    struct stat st;
    const char *ret = NULL;

    while (dir && !ret && (e = readdir(dir))) {
        snprintf(path, sizeof(path), "/dev/%s", e->d_name);
        if (e->d_name[0] != '.' && strncmp(e->d_name, "loop", 4) != 0 &&
            stat(path, &st) == 0 && S_ISBLK(st.st_mode))
            ret = path;
    }
    if (dir)
        closedir(dir);
    return ret;
}

static void
testBlkio(virDomainPtr dom)
{
    virTypedParameter p[6];
    const char *dev = hostBlockDevice();
    char want[400], *val;
    struct stat st;
    int n = 6;

    memset(p, 0, sizeof(p));
    snprintf(p[0].field, sizeof(p[0].field), "%s", VIR_DOMAIN_BLKIO_WEIGHT);
    p[0].type = VIR_TYPED_PARAM_UINT;
    p[0].value.ui = 300;
    if (hasV1("blkio", "blkio.weight") || hasV1("blkio", "blkio.bfq.weight")) {
        TAP_INT(virDomainSetBlkioParameters(dom, p, 1, 0), 0,
                "set blkio weight: %s", qtErrMsg());
        TAP_OK(strstr(cgFile("blkio", "blkio.weight"), "300") ||
               strstr(cgFile("blkio", "blkio.bfq.weight"), "300"),
               "the weight file reads 300");
    } else {
        TAP_INT(virDomainSetBlkioParameters(dom, p, 1, 0), -1,
                "blkio weight fails: the kernel has no weight file");
        TAP_INT(qtErrCode(), VIR_ERR_OPERATION_UNSUPPORTED,
                "... OPERATION_UNSUPPORTED naming it: %s", qtErrMsg());
        tapSkip("blkio weight: the host kernel has neither blkio.weight nor "
                "blkio.bfq.weight");
    }
    if (!dev || !hasV1("blkio", "blkio.throttle.read_bps_device")) {
        tapSkip("blkio throttles: no host block device or throttle file");
        return;
    }
    stat(dev, &st);
    memset(p, 0, sizeof(p));
    snprintf(p[0].field, sizeof(p[0].field), "%s",
             VIR_DOMAIN_BLKIO_DEVICE_READ_BPS);
    p[0].type = VIR_TYPED_PARAM_STRING;
    snprintf(want, sizeof(want), "%s,1048576", dev);
    p[0].value.s = want;
    TAP_INT(virDomainSetBlkioParameters(dom, p, 1, VIR_DOMAIN_AFFECT_LIVE), 0,
            "throttle reads of %s: %s", dev, qtErrMsg());
    snprintf(want, sizeof(want), "%u:%u 1048576", major(st.st_rdev),
             minor(st.st_rdev));
    TAP_STR(cgFile("blkio", "blkio.throttle.read_bps_device"), want,
            "blkio.throttle.read_bps_device reads it back");
    memset(p, 0, sizeof(p));
    TAP_INT(virDomainGetBlkioParameters(dom, p, &n, 0), 0, "get blkio");
    val = NULL;
    for (int i = 0; i < n; i++)
        if (strcmp(p[i].field, VIR_DOMAIN_BLKIO_DEVICE_READ_BPS) == 0)
            val = p[i].value.s;
    snprintf(want, sizeof(want), "%s,1048576", dev);
    TAP_STR(val, want, "device_read_bytes_sec reads back");
    virTypedParamsClear(p, n);
}

static void
testNuma(virDomainPtr dom)
{
    virTypedParameter p[2];
    int n = 2;

    memset(p, 0, sizeof(p));
    snprintf(p[0].field, sizeof(p[0].field), "%s", VIR_DOMAIN_NUMA_NODESET);
    p[0].type = VIR_TYPED_PARAM_STRING;
    p[0].value.s = (char *)"0";
    TAP_INT(virDomainSetNumaParameters(dom, p, 1, VIR_DOMAIN_AFFECT_LIVE), 0,
            "set numa nodeset 0: %s", qtErrMsg());
    TAP_STR(cgFile("cpuset", "cpuset.mems"), "0", "cpuset.mems reads 0");
    memset(p, 0, sizeof(p));
    TAP_INT(virDomainGetNumaParameters(dom, p, &n, 0), 0, "get numa");
    TAP_OK(n == 2 && strcmp(p[1].value.s, "0") == 0, "nodeset reads back");
    virTypedParamsClear(p, n);
    memset(p, 0, sizeof(p));
    snprintf(p[0].field, sizeof(p[0].field), "%s", VIR_DOMAIN_NUMA_NODESET);
    p[0].type = VIR_TYPED_PARAM_STRING;
    p[0].value.s = (char *)"7";
    TAP_INT(virDomainSetNumaParameters(dom, p, 1, 0), -1,
            "a node the host lacks is refused");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG: %s",
            qtErrMsg());
}

/* Perf event fds this process holds (the embedded driver opens them). */
static int
perfFds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    while (dir && (e = readdir(dir))) {
        char path[300], link[300];
        ssize_t len;

        snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
        if ((len = readlink(path, link, sizeof(link) - 1)) > 0) {
            link[len] = '\0';
            n += strstr(link, "perf_event") != NULL;
        }
    }
    if (dir)
        closedir(dir);
    return n;
}

static void
testPerf(virDomainPtr dom)
{
    virTypedParameterPtr params = NULL;
    virTypedParameter p;
    int n = 0, on = -1, rc;

    memset(&p, 0, sizeof(p));
    snprintf(p.field, sizeof(p.field), "%s", VIR_PERF_PARAM_TASK_CLOCK);
    p.type = VIR_TYPED_PARAM_BOOLEAN;
    p.value.b = 1;
    rc = virDomainSetPerfEvents(dom, &p, 1, VIR_DOMAIN_AFFECT_LIVE);
    if (rc < 0) {
        TAP_INT(qtErrCode(), VIR_ERR_OPERATION_UNSUPPORTED,
                "perf denied: a clean OPERATION_UNSUPPORTED: %s", qtErrMsg());
        TAP_OK(strstr(qtErrMsg(), "task_clock") != NULL, "... naming it");
        tapSkip("perf_event_open is denied on this host");
    } else {
        TAP_OK(perfFds() > 0, "enabling task_clock opens perf counters");
        TAP_INT(virDomainGetPerfEvents(dom, &params, &n, 0), 0, "get perf");
        virTypedParamsGetBoolean(params, n, VIR_PERF_PARAM_TASK_CLOCK, &on);
        TAP_INT(on, 1, "task_clock reads enabled");
        virTypedParamsFree(params, n);
        p.value.b = 0;
        TAP_INT(virDomainSetPerfEvents(dom, &p, 1, 0), 0, "disable it");
        TAP_INT(perfFds(), 0, "... its counters are closed");
    }
    snprintf(p.field, sizeof(p.field), "%s", VIR_PERF_PARAM_CMT);
    p.value.b = 1;
    TAP_INT(virDomainSetPerfEvents(dom, &p, 1, 0), -1, "cmt fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_UNSUPPORTED,
            "... OPERATION_UNSUPPORTED: %s", qtErrMsg());
}

static void
testCpuStats(virDomainPtr dom)
{
    virTypedParameter p[3];
    unsigned long long t0;
    int ncpus = virDomainGetCPUStats(dom, NULL, 0, 0, 0, 0);

    TAP_INT(ncpus, sysconf(_SC_NPROCESSORS_CONF), "GetCPUStats host cpus");
    TAP_INT(virDomainGetCPUStats(dom, NULL, 0, -1, 1, 0), 3,
            "three total statistics");
    memset(p, 0, sizeof(p));
    TAP_INT(virDomainGetCPUStats(dom, p, 3, -1, 1, 0), 3, "total stats: %s",
            qtErrMsg());
    TAP_STR(p[0].field, VIR_DOMAIN_CPU_STATS_CPUTIME, "cpu_time first");
    t0 = p[0].value.ul;
    usleep(500 * 1000);
    TAP_INT(virDomainGetCPUStats(dom, p, 3, -1, 1, 0), 3, "again");
    TAP_OK(p[0].value.ul > t0, "cpu_time grows (%llu -> %llu)", t0,
           p[0].value.ul);
    memset(p, 0, sizeof(p));
    TAP_INT(virDomainGetCPUStats(dom, p, 1, 0, 2, 0), 1, "per-cpu stats: %s",
            qtErrMsg());
    TAP_OK(p[0].value.ul + p[1].value.ul > 0, "per-cpu times add up to %llu",
           p[0].value.ul + p[1].value.ul);
}

static void
testInterface(virDomainPtr dom)
{
    virDomainInterfaceStatsStruct st;
    virTypedParameter p[8];
    int n = 8;

    TAP_INT(virDomainInterfaceStats(dom, "net0", &st, sizeof(st)), -1,
            "interface stats of a user-mode NIC fail");
    TAP_INT(qtErrCode(), VIR_ERR_NO_SUPPORT, "... NO_SUPPORT saying why: %s",
            qtErrMsg());
    TAP_INT(virDomainInterfaceStats(dom, "nope", &st, sizeof(st)), -1,
            "unknown interface fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    memset(p, 0, sizeof(p));
    snprintf(p[0].field, sizeof(p[0].field), "%s",
             VIR_DOMAIN_BANDWIDTH_IN_AVERAGE);
    p[0].type = VIR_TYPED_PARAM_UINT;
    p[0].value.ui = 1000;
    TAP_INT(virDomainSetInterfaceParameters(dom, "net0", p, 1,
            VIR_DOMAIN_AFFECT_LIVE), -1, "bandwidth of a user-mode NIC fails");
    TAP_INT(qtErrCode(), VIR_ERR_NO_SUPPORT, "... NO_SUPPORT: %s",
            qtErrMsg());
    memset(p, 0, sizeof(p));
    TAP_INT(virDomainGetInterfaceParameters(dom, "net0", p, &n, 0), 0,
            "get interface parameters: %s", qtErrMsg());
    TAP_INT(n, 7, "... seven of them");
    TAP_OK(p[0].value.ui == 0, "no shaping");
    /* tap-backed interfaces: test-net-guest.c */
}

static void
testInactive(virDomainPtr dom)
{
    unsigned char map = 0x1, maps[2] = { 0 };
    char dir[700];
    char *xml;

    cgFile("cpu", "cpu.shares");
    snprintf(dir, sizeof(dir), "%s", cgLastDir);
    TAP_OK(strstr(dir, "/vireo/" NAME ".") != NULL, "QEMU's cgroup is %s",
           dir);
    TAP_INT(virDomainDestroy(dom), 0, "destroy");
    TAP_OK(access(dir, F_OK) != 0, "its cgroup is removed");
    TAP_INT(virDomainPinVcpu(dom, 0, &map, 1), -1, "live pin of a shut-off "
            "domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainPinVcpuFlags(dom, 1, &map, 1, VIR_DOMAIN_AFFECT_CONFIG),
            0, "config pin works: %s", qtErrMsg());
    TAP_INT(virDomainGetVcpuPinInfo(dom, 2, maps, 1, 0), 2, "pin info");
    TAP_INT(maps[1], 0x1, "config pin of vcpu 1 reads back");
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(xml && strstr(xml, "<vcpupin vcpu='1' cpuset='0'/>"),
           "and is in the persistent XML");
    free(xml);
    TAP_INT(virDomainAddIOThread(dom, 2, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "config IOThread add: %s", qtErrMsg());
}

int
main(void)
{
    char why[200], *uri, *xml;
    virDomainPtr dom;
    long long t0;

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
    xml = guestXML();
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "define a guest with tunables: %s", qtErrMsg());
    t0 = qtNowMs();
    if (dom && virDomainCreate(dom) == 0) {
        TAP_INT(virDomainIsActive(dom), 1, "start (%lld ms)",
                qtNowMs() - t0);
        qpid = qtQemuPid(root, NAME);
        testPlacement();
        testVcpus(dom);
        testEmulator(dom);
        testIothreads(dom);
        testScheduler(dom);
        testMemory(dom);
        testBlkio(dom);
        testNuma(dom);
        testPerf(dom);
        testCpuStats(dom);
        testInterface(dom);
        testInactive(dom);
    } else {
        TAP_OK(false, "start: %s", qtErrMsg());
    }
    if (dom) {
        virDomainDestroy(dom);
        virDomainUndefine(dom);
        virDomainFree(dom);
    }
    TAP_INT(virConnectClose(conn), 0, "close");
    qtRemoveRoot(root);
    free(root);
    free(uri);
    return tapDone();
}
