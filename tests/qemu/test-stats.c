/* test-stats.c: getAllDomainStats and domainListGetStats of the QEMU driver
 * on a real TCG guest with a qcow2 disk, a balloon, an I/O thread and a
 * plugged vCPU: every group's keys, values checked against the kernel and
 * QEMU (image size on disk, vCPU thread times), counters that grow with the
 * guest's writes, the dirty rate after a pass-through command, records of
 * an inactive domain and in the caller's order */
#include "qemu-test.h"

#include <libvirt/libvirt-qemu.h>
#include <sys/stat.h>

#define NAME "st1"
#define BOOT_MS 90000
#define QUICK_MS 20000
#define DISK_MIB 64

static virConnectPtr conn;
static char *root;
static char image[512];

static char *
domainXML(const char *name, bool disk)
{
    char *xml = NULL;
    char *dev = disk ? qtDiskXML(image, "qcow2", "vda") : NULL;

    if (asprintf(&xml,
                 "<domain type='qemu'>\n"
                 "  <name>%s</name>\n"
                 "  <memory unit='MiB'>256</memory>\n"
                 "  <vcpu current='1'>2</vcpu>\n"
                 "  <iothreads>1</iothreads>\n"
                 "  <os>\n"
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n"
                 "    <kernel>%s/vmlinuz</kernel>\n"
                 "    <initrd>%s/initrd.img</initrd>\n"
                 "    <cmdline>console=ttyS0 panic=-1</cmdline>\n"
                 "  </os>\n"
                 "  <features><acpi/></features>\n"
                 "  <devices>\n"
                 "%s"
                 "    <serial type='pty'><target port='0'/></serial>\n"
                 "    <console type='pty'><target type='serial' port='0'/>"
                 "</console>\n"
                 "    <memballoon model='virtio'/>\n"
                 "  </devices>\n"
                 "</domain>\n", name, qtGuest, qtGuest, dev ? dev : "") < 0)
        abort();
    free(dev);
    return xml;
}

/* The one record of DOM with every group, or NULL. */
static virDomainStatsRecordPtr *
statsOf(virDomainPtr dom)
{
    virDomainPtr list[2] = { dom, NULL };
    virDomainStatsRecordPtr *recs = NULL;

    if (virDomainListGetStats(list, 0, &recs, 0) != 1) {
        virDomainStatsRecordListFree(recs);
        return NULL;
    }
    return recs;
}

static unsigned long long
ull(virDomainStatsRecordPtr *recs, const char *key)
{
    unsigned long long v = 0;

    if (!recs || virTypedParamsGetULLong(recs[0]->params, recs[0]->nparams,
                                         key, &v) != 1) {
        printf("# no %s\n", key);
        return ~0ULL;
    }
    return v;
}

static long long
sll(virDomainStatsRecordPtr *recs, const char *key)
{
    long long v = -1;
    int i = -1;

    if (recs && virTypedParamsGetLLong(recs[0]->params, recs[0]->nparams,
                                       key, &v) == 1)
        return v;
    if (recs && virTypedParamsGetInt(recs[0]->params, recs[0]->nparams, key,
                                     &i) == 1)
        return i;
    if (recs && virTypedParamsGetUInt(recs[0]->params, recs[0]->nparams, key,
                                      (unsigned int *)&i) == 1)
        return (unsigned int)i;
    printf("# no %s\n", key);
    return -1;
}

static const char *
str(virDomainStatsRecordPtr *recs, const char *key)
{
    const char *v = NULL;

    if (recs)
        virTypedParamsGetString(recs[0]->params, recs[0]->nparams, key, &v);
    return v ? v : "";
}

/* Every key of every group a running guest like this one has. */
static void
testKeys(virDomainStatsRecordPtr *r)
{
    static const char *const keys[] = {
        "state.state", "state.reason", "cpu.time", "cpu.user", "cpu.system",
        "balloon.current", "balloon.maximum", "balloon.rss", "vcpu.current",
        "vcpu.maximum", "vcpu.0.state", "vcpu.0.time", "vcpu.0.wait",
        "net.count", "block.count", "block.0.name", "block.0.path",
        "block.0.rd.reqs", "block.0.rd.bytes", "block.0.rd.times",
        "block.0.wr.reqs", "block.0.wr.bytes", "block.0.wr.times",
        "block.0.fl.reqs", "block.0.fl.times", "block.0.allocation",
        "block.0.capacity", "block.0.physical", "iothread.count",
        "iothread.1.poll-max-ns", "iothread.1.poll-grow",
        "iothread.1.poll-shrink", "memory.bandwidth.monitor.count",
        "dirtyrate.calc_status", "dirtyrate.calc_start_time",
        "dirtyrate.calc_period", NULL
    };
    int missing = 0;

    TAP_OK(r != NULL, "stats of the running guest: %s", qtErrMsg());
    if (!r)
        return;
    for (int k = 0; keys[k]; k++) {
        if (virTypedParamsGet(r[0]->params, r[0]->nparams, keys[k]))
            continue;
        printf("# missing %s\n", keys[k]);
        missing++;
    }
    TAP_INT(missing, 0, "every group's keys (%d in all)", r[0]->nparams);
    TAP_INT(sll(r, "state.state"), VIR_DOMAIN_RUNNING, "state running");
    TAP_OK(ull(r, "cpu.time") == ull(r, "cpu.user") + ull(r, "cpu.system"),
           "cpu.time is user + system");
    TAP_INT(sll(r, "vcpu.current"), 1, "vcpu.current 1");
    TAP_INT(sll(r, "vcpu.maximum"), 2, "vcpu.maximum 2");
    TAP_OK(virTypedParamsGet(r[0]->params, r[0]->nparams, "vcpu.1.time") ==
           NULL, "no vcpu.1 before the plug");
    TAP_OK(ull(r, "balloon.current") == 256 * 1024,
            "balloon.current is QEMU's balloon size (KiB)");
    TAP_INT(sll(r, "block.count"), 1, "block.count 1");
    TAP_STR(str(r, "block.0.name"), "vda", "block.0.name vda");
    TAP_STR(str(r, "block.0.path"), image, "block.0.path the image");
    TAP_OK(ull(r, "block.0.capacity") == DISK_MIB * 1024ULL * 1024,
           "block.0.capacity is the image's virtual size (%llu)",
           ull(r, "block.0.capacity"));
    TAP_INT(sll(r, "iothread.count"), 1, "iothread.count 1");
    TAP_INT(sll(r, "dirtyrate.calc_status"), VIR_DOMAIN_DIRTYRATE_UNSTARTED,
            "no dirty rate calculation yet");
    TAP_INT(sll(r, "dirtyrate.calc_start_time"), 0, "... start time 0");
    TAP_INT(sll(r, "dirtyrate.calc_period"), 0, "... period 0");
}

/* The image's allocated size as the kernel counts it. */
static unsigned long long
imageBlocks(void)
{
    struct stat st;

    return stat(image, &st) == 0 ? (unsigned long long)st.st_blocks * 512
                                 : 0;
}

/* The counters follow the guest's writes; sizes match the image file. */
static void
testLive(virDomainPtr dom, QtConsole *con, virDomainStatsRecordPtr *before)
{
    virDomainStatsRecordPtr *after;

    TAP_OK(ull(before, "block.0.physical") == imageBlocks(),
           "block.0.physical is the image's size on disk (%llu)",
           imageBlocks());
    qtConsoleForget(con);
    qtConsoleSend(con, "dd if=/dev/urandom of=/dev/vda bs=64k count=8 "
                  "seek=300 conv=fsync 2>/dev/null; echo DD-$?-done\n");
    TAP_OK(qtConsoleWait(con, "DD-0-done", QUICK_MS),
           "the guest wrote 512 KiB at 18.75 MiB");
    after = statsOf(dom);
    TAP_OK(ull(after, "block.0.wr.bytes") >=
           ull(before, "block.0.wr.bytes") + 512 * 1024,
           "block.0.wr.bytes grew by the write (%llu -> %llu)",
           ull(before, "block.0.wr.bytes"), ull(after, "block.0.wr.bytes"));
    TAP_OK(ull(after, "block.0.wr.reqs") > ull(before, "block.0.wr.reqs"),
           "block.0.wr.reqs grew");
    TAP_OK(ull(after, "block.0.fl.reqs") > ull(before, "block.0.fl.reqs"),
           "block.0.fl.reqs grew (conv=fsync)");
    TAP_OK(ull(after, "block.0.allocation") >= 300 * 64 * 1024 + 512 * 1024,
           "block.0.allocation reaches the write's end (%llu)",
           ull(after, "block.0.allocation"));
    TAP_OK(ull(after, "block.0.physical") == imageBlocks() &&
           imageBlocks() > ull(before, "block.0.physical"),
           "block.0.physical grew with the image (%llu -> %llu)",
           ull(before, "block.0.physical"), ull(after, "block.0.physical"));
    TAP_OK(ull(after, "cpu.time") > ull(before, "cpu.time"),
           "cpu.time grew");
    virDomainStatsRecordListFree(after);
}

/* vcpu.N.time lies between two readings of virDomainGetVcpus, which asks
 * QEMU for the vCPU threads: the stats read the same threads. */
static bool
vcpuTimesMatch(virDomainPtr dom, int nvcpus)
{
    virVcpuInfo a[4], b[4];
    virDomainStatsRecordPtr *r;
    bool ok = true;

    if (virDomainGetVcpus(dom, a, 4, NULL, 0) != nvcpus)
        return false;
    r = statsOf(dom);
    if (virDomainGetVcpus(dom, b, 4, NULL, 0) != nvcpus)
        ok = false;
    for (int i = 0; ok && i < nvcpus; i++) {
        char key[64];
        unsigned long long t;

        snprintf(key, sizeof(key), "vcpu.%d.time", a[i].number);
        t = ull(r, key);
        printf("# vcpu %d: %llu <= %llu <= %llu\n", a[i].number,
               a[i].cpuTime, t, b[i].cpuTime);
        ok = a[i].cpuTime <= t && t <= b[i].cpuTime;
    }
    virDomainStatsRecordListFree(r);
    return ok;
}

static void
testVcpus(virDomainPtr dom)
{
    virDomainStatsRecordPtr *r;

    TAP_OK(vcpuTimesMatch(dom, 1), "vcpu.0.time is vCPU 0's thread's time");
    TAP_INT(virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_AFFECT_LIVE), 0,
            "plug a second vCPU: %s", qtErrMsg());
    r = statsOf(dom);
    TAP_INT(sll(r, "vcpu.current"), 2, "vcpu.current 2");
    TAP_OK(virTypedParamsGet(r ? r[0]->params : NULL, r ? r[0]->nparams : 0,
                             "vcpu.1.wait") != NULL, "vcpu.1 keys");
    virDomainStatsRecordListFree(r);
    TAP_OK(vcpuTimesMatch(dom, 2), "vcpu.N.time of both vCPUs' threads");
}

/* A calculation started behind the driver's back shows. */
static void
testDirtyRate(virDomainPtr dom)
{
    virDomainStatsRecordPtr *r;
    char *out = NULL;
    long long st;

    TAP_INT(virDomainQemuMonitorCommand(dom, "{\"execute\": "
                                        "\"calc-dirty-rate\", \"arguments\": "
                                        "{\"calc-time\": 1}}", &out, 0), 0,
            "calc-dirty-rate through the pass-through: %s", qtErrMsg());
    free(out);
    r = statsOf(dom);
    st = sll(r, "dirtyrate.calc_status");
    TAP_OK(st == VIR_DOMAIN_DIRTYRATE_MEASURING ||
           st == VIR_DOMAIN_DIRTYRATE_MEASURED,
           "dirtyrate.calc_status measuring or measured (%lld)", st);
    TAP_INT(sll(r, "dirtyrate.calc_period"), 1, "dirtyrate.calc_period 1");
    TAP_OK(sll(r, "dirtyrate.calc_start_time") > 0,
           "dirtyrate.calc_start_time set");
    virDomainStatsRecordListFree(r);
}

/* An inactive domain's record, records in the caller's order, filters. */
static void
testLists(virDomainPtr dom)
{
    char *xml = domainXML("st2", false);
    virDomainPtr off = virDomainDefineXML(conn, xml);
    virDomainPtr list[3] = { off, dom, NULL };
    virDomainStatsRecordPtr *recs = NULL;
    int n, st = -1;

    free(xml);
    TAP_OK(off != NULL, "define an inactive st2: %s", qtErrMsg());
    n = virDomainListGetStats(list, VIR_DOMAIN_STATS_STATE |
                              VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_BLOCK,
                              &recs, 0);
    TAP_INT(n, 2, "domainListGetStats of two");
    if (n == 2) {
        TAP_STR(virDomainGetName(recs[0]->dom), "st2", "st2 first");
        TAP_STR(virDomainGetName(recs[1]->dom), NAME, NAME " second");
        virTypedParamsGetInt(recs[0]->params, recs[0]->nparams,
                             "state.state", &st);
        TAP_INT(st, VIR_DOMAIN_SHUTOFF, "st2 is shut off");
        TAP_OK(!virTypedParamsGet(recs[0]->params, recs[0]->nparams,
                                  "vcpu.0.time") &&
               virTypedParamsGet(recs[0]->params, recs[0]->nparams,
                                 "vcpu.maximum") &&
               virTypedParamsGet(recs[0]->params, recs[0]->nparams,
                                 "block.count"),
               "st2: definition keys, no live ones");
        TAP_OK(virTypedParamsGet(recs[1]->params, recs[1]->nparams,
                                 "block.0.wr.reqs") &&
               !virTypedParamsGet(recs[1]->params, recs[1]->nparams,
                                  "cpu.time"),
               NAME ": the groups asked for, no others");
    }
    virDomainStatsRecordListFree(recs);
    recs = NULL;
    n = virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &recs,
                                    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
    TAP_INT(n, 1, "getAllDomainStats of the active ones");
    if (n == 1)
        TAP_STR(virDomainGetName(recs[0]->dom), NAME, "... " NAME);
    virDomainStatsRecordListFree(recs);
    recs = NULL;
    n = virConnectGetAllDomainStats(conn, 0, &recs, 0);
    TAP_INT(n, 2, "getAllDomainStats of all");
    virDomainStatsRecordListFree(recs);
    if (off) {
        virDomainUndefine(off);
        virDomainFree(off);
    }
}

int
main(void)
{
    char why[200];
    char *xml;
    virDomainPtr dom;
    virDomainStatsRecordPtr *r;
    QtConsole con = { 0 };

    if (!qtSetup(why, sizeof(why))) {
        tapSkip(why);
        return tapDone();
    }
    root = qtRoot();
    if (!(conn = qtConnect(root)))
        return tapDone();
    snprintf(image, sizeof(image), "%s/disk.qcow2", root);
    TAP_INT(qtSh("qemu-img create -q -f qcow2 %s %dM", image, DISK_MIB), 0,
            "qcow2 image created");
    xml = domainXML(NAME, true);
    dom = virDomainCreateXML(conn, xml, 0);
    free(xml);
    TAP_OK(dom != NULL, "start " NAME ": %s", qtErrMsg());
    if (!dom)
        goto cleanup;
    TAP_INT(qtConsoleOpen(&con, conn, dom, 0), 0, "console");
    TAP_OK(qtConsoleWait(&con, QT_MARKER, BOOT_MS), "guest marker");
    r = statsOf(dom);
    testKeys(r);
    testLive(dom, &con, r);
    virDomainStatsRecordListFree(r);
    testVcpus(dom);
    testDirtyRate(dom);
    testLists(dom);
    qtConsoleClose(&con);
    TAP_INT(virDomainDestroy(dom), 0, "destroy");
    virDomainFree(dom);

 cleanup:
    TAP_OK(virConnectClose(conn) >= 0, "close");
    qtRemoveRoot(root);
    return tapDone();
}
