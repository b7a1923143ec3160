/* test-features-blockjob.c: test driver block jobs progress with time */
#include "test-features.h"

static int jobEvents, lastType = -1, lastStatus = -1;
static char lastDisk[64];

static void
onJob(virConnectPtr conn, virDomainPtr dom, const char *disk, int type,
      int status, void *opaque)
{
    (void)conn; (void)dom; (void)opaque;
    jobEvents++;
    lastType = type;
    lastStatus = status;
    snprintf(lastDisk, sizeof(lastDisk), "%s", disk);
}

#define FAST 200000000000UL     /* bytes/s: 10 GiB in ~50 ms */

static void
testPull(virDomainPtr dom, virDomainPtr off)
{
    virDomainBlockJobInfo info;

    TAP_INT(virDomainBlockPull(dom, "vda", 1, 0), 0, "pull at 1 MiB/s");
    TAP_INT(virDomainGetBlockJobInfo(dom, "vda", &info, 0), 1, "job found");
    TAP_INT(info.type, VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, "a pull");
    TAP_INT(info.end, 10ULL << 30, "end is the disk size");
    TAP_OK(info.cur < info.end, "not done yet");
    TAP_INT(info.bandwidth, 1, "bandwidth in MiB/s");
    TAP_INT(virDomainGetBlockJobInfo(dom, "vda", &info,
                                     VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES),
            1, "info in bytes");
    TAP_INT(info.bandwidth, 1 << 20, "bandwidth in bytes/s");
    TAP_INT(virDomainBlockPull(dom, "vda", 0, 0), -1, "second job fails");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "busy: OPERATION_INVALID");
    TAP_OK(strstr(virGetLastErrorMessage(),
                  "block job already running on disk 'vda'") != NULL,
           "message names the disk");
    TAP_INT(virDomainBlockJobSetSpeed(dom, "vda", FAST,
                                      VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES),
            0, "speed up");
    jobEvents = 0;
    featRunLoop(300);
    TAP_INT(jobEvents, 2, "BLOCK_JOB and BLOCK_JOB_2 from the timer");
    TAP_INT(lastStatus, VIR_DOMAIN_BLOCK_JOB_COMPLETED, "completed");
    TAP_STR(lastDisk, "vda", "BLOCK_JOB_2 names the target");
    TAP_INT(virDomainGetBlockJobInfo(dom, "vda", &info, 0), 0, "job gone");

    TAP_INT(virDomainBlockPull(off, "vda", 0, 0), -1, "inactive domain");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");
    TAP_INT(virDomainBlockPull(dom, "vdq", 0, 0), -1, "unknown disk");
    TAP_ERR(VIR_ERR_INVALID_ARG, "unknown disk: INVALID_ARG");
    TAP_INT(virDomainBlockJobSetSpeed(dom, "vda", 1, 0), -1, "no job: speed");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "no job: OPERATION_INVALID");
    TAP_INT(virDomainBlockJobAbort(dom, "vda", 0), -1, "no job: abort");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "no job abort: OPERATION_INVALID");
    TAP_INT(virDomainBlockPull(dom, "vda", 0, 1u << 3), -1, "bad flag");
    TAP_ERR(VIR_ERR_INVALID_ARG, "bad flag: INVALID_ARG");

    TAP_INT(virDomainBlockRebase(dom, "vda", NULL, 1, 0), 0, "rebase = pull");
    jobEvents = 0;
    TAP_INT(virDomainBlockJobAbort(dom, "vda", 0), 0, "cancel it");
    featRunLoop(50);
    TAP_INT(lastStatus, VIR_DOMAIN_BLOCK_JOB_CANCELED, "canceled event");
    TAP_INT(jobEvents, 2, "both event kinds");
}

static void
testCopy(virDomainPtr dom)
{
    virDomainBlockJobInfo info;
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;
    const char *dest = "<disk type='file'><source file='/img/mirror.img'/>"
                       "<driver type='raw'/></disk>";

    TAP_INT(virDomainBlockCopy(dom, "vda", dest, NULL, 0, 0), 0, "copy");
    TAP_INT(virDomainBlockJobAbort(dom, "vda",
                                   VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT), -1,
            "pivot before ready fails");
    TAP_ERR(VIR_ERR_BLOCK_COPY_ACTIVE, "not ready: BLOCK_COPY_ACTIVE");
    TAP_INT(virDomainBlockJobAbort(dom, "vda", 0), 0, "cancel the copy");
    TAP_OK(!featXMLHas(dom, 0, "/img/mirror.img"), "source unchanged");

    virTypedParamsAddULLong(&params, &n, &max, "bandwidth", FAST);
    TAP_INT(virDomainBlockCopy(dom, "vda", dest, params, n, 0), 0,
            "fast copy");
    lastStatus = -1;
    featRunLoop(300);
    TAP_INT(lastStatus, VIR_DOMAIN_BLOCK_JOB_READY, "ready event");
    TAP_INT(lastType, VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, "of a copy");
    TAP_INT(virDomainGetBlockJobInfo(dom, "vda", &info, 0), 1,
            "a ready mirror stays");
    TAP_OK(info.cur == info.end, "cur reached end");
    TAP_INT(virDomainBlockJobAbort(dom, "vda",
                                   VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT), 0,
            "pivot");
    TAP_OK(featXMLHas(dom, 0, "<source file='/img/mirror.img'/>"),
           "the disk now uses the copy");
    featRunLoop(50);
    TAP_INT(lastStatus, VIR_DOMAIN_BLOCK_JOB_COMPLETED, "completed event");
    virTypedParamsFree(params, n);

    params = NULL; n = max = 0;
    virTypedParamsAddUInt(&params, &n, &max, "granularity", 1000);
    TAP_INT(virDomainBlockCopy(dom, "vda", dest, params, n, 0), -1,
            "bad granularity");
    TAP_ERR(VIR_ERR_INVALID_ARG, "granularity: INVALID_ARG");
    virTypedParamsFree(params, n);
    TAP_INT(virDomainBlockCopy(dom, "vda", "<disk/>", NULL, 0, 0), -1,
            "destination without source");
    TAP_ERR(VIR_ERR_XML_DETAIL, "no source: XML_DETAIL");
}

static void
testCommit(virDomainPtr dom)
{
    virDomainBlockJobInfo info;

    TAP_INT(virDomainBlockCommit(dom, "vda", NULL, NULL, 0,
                                 VIR_DOMAIN_BLOCK_COMMIT_ACTIVE), -1,
            "commit without backing image");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "no backing: OPERATION_INVALID");
    TAP_INT(virDomainAttachDeviceFlags(dom,
            "<disk type='file' device='disk'><driver type='qcow2'/>"
            "<source file='/img/top.qcow2'/><backingStore type='file'>"
            "<format type='raw'/><source file='/img/base.raw'/>"
            "</backingStore><target dev='vdc' bus='virtio'/></disk>",
            VIR_DOMAIN_AFFECT_LIVE), 0, "attach a disk with a backing chain");
    TAP_INT(virDomainBlockCommit(dom, "vdc", NULL, NULL, 0, 0), -1,
            "active layer without ACTIVE");
    TAP_ERR(VIR_ERR_INVALID_ARG, "needs active: INVALID_ARG");
    TAP_INT(virDomainBlockCommit(dom, "vdc", "/img/base.raw", NULL, FAST,
                                 VIR_DOMAIN_BLOCK_COMMIT_ACTIVE |
                                 VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES), 0,
            "active commit");
    TAP_INT(virDomainGetBlockJobInfo(dom, "vdc", &info, 0), 1, "commit job");
    TAP_INT(info.type, VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT, "active type");
    featRunLoop(300);
    TAP_INT(lastStatus, VIR_DOMAIN_BLOCK_JOB_READY, "ready to pivot");
    TAP_INT(virDomainBlockJobAbort(dom, "vdc",
                                   VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT), 0,
            "pivot to the base");
    TAP_OK(featXMLHas(dom, 0, "<source file='/img/base.raw'/>") &&
           !featXMLHas(dom, 0, "<backingStore"), "chain collapsed");
}

static void
testDomainJobs(virDomainPtr dom, virDomainPtr off)
{
    virDomainJobInfo info;
    virTypedParameterPtr params = NULL;
    int type = -1, n = 0;

    TAP_INT(virDomainGetJobInfo(dom, &info), 0, "job info");
    TAP_INT(info.type, VIR_DOMAIN_JOB_NONE, "no job running");
    TAP_INT(virDomainGetJobStats(dom, &type, &params, &n, 0), 0, "job stats");
    TAP_INT(type, VIR_DOMAIN_JOB_NONE, "no job in stats");
    virTypedParamsFree(params, n);
    TAP_INT(virDomainGetJobStats(off, &type, &params, &n,
                                 VIR_DOMAIN_JOB_STATS_COMPLETED), 0,
            "completed stats of an inactive domain");
    virTypedParamsFree(params, n);
    TAP_INT(virDomainGetJobInfo(off, &info), -1, "inactive job info");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");
    TAP_INT(virDomainAbortJob(dom), -1, "nothing to abort");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "abort: OPERATION_INVALID");
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
                                          VIR_DOMAIN_EVENT_ID_BLOCK_JOB,
                                          VIR_DOMAIN_EVENT_CALLBACK(onJob),
                                          NULL, NULL);
    c2 = virConnectDomainEventRegisterAny(conn, dom,
                                          VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
                                          VIR_DOMAIN_EVENT_CALLBACK(onJob),
                                          NULL, NULL);
    testPull(dom, off);
    testCopy(dom);
    testCommit(dom);
    testDomainJobs(dom, off);
    virConnectDomainEventDeregisterAny(conn, c1);
    virConnectDomainEventDeregisterAny(conn, c2);
    virDomainFree(off);
    virDomainFree(dom);
    virConnectClose(conn);
    featRunLoop(20);
    return tapDone();
}
