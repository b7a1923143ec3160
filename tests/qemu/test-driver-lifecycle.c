/* test-driver-lifecycle.c: the QEMU driver through the public API with the
 * real test guest under TCG: every lifecycle transition and its events,
 * the console round trip, QEMU killed behind our back */
#include "qemu-test.h"

#define BOOT_MS 60000
#define QUICK_MS 10000

static virConnectPtr conn;
static char *root;

/* Wait for the guest's marker on console C (after a boot). */
static bool
waitMarker(QtConsole *c)
{
    return qtConsoleWait(c, QT_MARKER, BOOT_MS);
}

static void
testDefineStart(virDomainPtr *domOut, QtConsole *con)
{
    char *xml = qtXML("life", "", "");
    virDomainPtr dom = virDomainDefineXML(conn, xml);
    int reason = -1;
    long long t0, tRun, tMarker;
    char *live;

    free(xml);
    TAP_OK(dom != NULL, "define: %s", dom ? "ok" : qtErrMsg());
    if (!dom)
        exit(tapDone());
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_DEFINED,
                       VIR_DOMAIN_EVENT_DEFINED_ADDED, QUICK_MS),
           "DEFINED_ADDED event");
    TAP_INT(virDomainIsActive(dom), 0, "defined domain is inactive");
    TAP_INT(virDomainIsPersistent(dom), 1, "defined domain is persistent");
    TAP_INT(virDomainGetID(dom), (unsigned int)-1, "inactive domain has no id");

    t0 = qtNowMs();
    TAP_INT(virDomainCreate(dom), 0, "start: %s", qtErrMsg());
    tRun = qtNowMs() - t0;
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_RUNNING, &reason, 100),
           "running right after start");
    TAP_INT(reason, VIR_DOMAIN_RUNNING_BOOTED, "reason booted");
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_BOOTED, QUICK_MS),
           "STARTED_BOOTED event");
    TAP_OK((int)virDomainGetID(dom) > 0, "running domain has an id (%d)",
           (int)virDomainGetID(dom));
    TAP_INT(virDomainIsActive(dom), 1, "is active");
    live = virDomainGetXMLDesc(dom, 0);
    TAP_OK(live && strstr(live, "id='") &&
           strstr(live, "<source path='/dev/pts/"),
           "live XML has the id and the pty path");
    free(live);
    live = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    TAP_OK(live && !strstr(live, " id='") && !strstr(live, "/dev/pts/"),
           "inactive XML has neither");
    free(live);
    TAP_INT(virDomainCreate(dom), -1, "starting a running domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");

    TAP_INT(qtConsoleOpen(con, conn, dom, 0), 0, "open console: %s",
            qtErrMsg());
    TAP_OK(waitMarker(con), "guest marker on the console");
    tMarker = qtNowMs() - t0;
    printf("# start-to-RUNNING %lld ms, start-to-marker %lld ms\n", tRun,
           tMarker);
    *domOut = dom;
}

static void
testConsole(virDomainPtr dom, QtConsole *con)
{
    QtConsole other;

    qtConsoleForget(con);
    TAP_OK(qtConsoleSend(con, "echo vireo-$((6*7))\n"), "console write");
    TAP_OK(qtConsoleWait(con, "vireo-42", QUICK_MS), "console read back "
           "the command's output");
    TAP_INT(qtConsoleOpen(&other, conn, dom, 0), -1,
            "second console session without force fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_FAILED, "... OPERATION_FAILED");
    qtConsoleClose(&other);
    TAP_INT(qtConsoleOpen(&other, conn, dom, VIR_DOMAIN_CONSOLE_FORCE), 0,
            "forced console session: %s", qtErrMsg());
    {
        char buf[64];
        long long until = qtNowMs() + QUICK_MS;
        int n;

        while ((n = virStreamRecv(con->st, buf, sizeof(buf))) == -2 ||
               n > 0) {
            if (qtNowMs() > until)
                break;
            usleep(10000);
        }
        TAP_INT(n, 0, "the old session sees the end of its stream");
    }
    qtConsoleForget(&other);
    TAP_OK(qtConsoleSend(&other, "echo forced-$((40+2))\n") &&
           qtConsoleWait(&other, "forced-42", QUICK_MS),
           "the forced session works");
    qtConsoleClose(con);
    *con = other;
}

static void
testSuspendResume(virDomainPtr dom)
{
    int reason = -1;
    virDomainInfo info;

    TAP_INT(virDomainSuspend(dom), 0, "suspend: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_PAUSED, &reason, 100), "paused");
    TAP_INT(reason, VIR_DOMAIN_PAUSED_USER, "reason user");
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_SUSPENDED,
                       VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, QUICK_MS),
           "SUSPENDED_PAUSED event");
    TAP_INT(virDomainSuspend(dom), -1, "suspending a paused domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainGetInfo(dom, &info), 0, "get info");
    TAP_INT(info.state, VIR_DOMAIN_PAUSED, "info state paused");
    TAP_INT(info.maxMem, 262144, "info maxMem");
    TAP_INT(info.nrVirtCpu, 1, "info vcpus");
    TAP_OK(info.cpuTime > 0, "info cpu time %llu", info.cpuTime);
    TAP_INT(virDomainResume(dom), 0, "resume: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_RUNNING, &reason, 100), "running");
    TAP_INT(reason, VIR_DOMAIN_RUNNING_UNPAUSED, "reason unpaused");
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_RESUMED,
                       VIR_DOMAIN_EVENT_RESUMED_UNPAUSED, QUICK_MS),
           "RESUMED_UNPAUSED event");
    TAP_INT(virDomainResume(dom), -1, "resuming a running domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
}

static void
testResetReboot(virDomainPtr dom, QtConsole *con)
{
    qtConsoleForget(con);
    TAP_INT(virDomainReset(dom, 0), 0, "reset: %s", qtErrMsg());
    TAP_OK(qtEventWait("life", VIR_DOMAIN_EVENT_ID_REBOOT, -1, -1, QUICK_MS),
           "REBOOT event after reset");
    TAP_OK(waitMarker(con), "the guest boots again after reset");

    qtConsoleForget(con);
    TAP_INT(virDomainReboot(dom, 0), 0, "reboot: %s", qtErrMsg());
    TAP_OK(qtConsoleWait(con, "ACPI power button", QUICK_MS),
           "reboot presses the ACPI button");
    TAP_OK(qtEventWait("life", VIR_DOMAIN_EVENT_ID_REBOOT, -1, -1, QUICK_MS),
           "REBOOT event after reboot");
    TAP_OK(waitMarker(con), "the guest boots again after reboot");
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_RUNNING, NULL, 100),
           "running after reboot");
}

static void
testShutdown(virDomainPtr dom, QtConsole *con)
{
    int reason = -1;

    TAP_INT(virDomainShutdown(dom), 0, "shutdown: %s", qtErrMsg());
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_SHUTDOWN,
                       VIR_DOMAIN_EVENT_SHUTDOWN_GUEST, QUICK_MS),
           "SHUTDOWN_GUEST event");
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, QUICK_MS),
           "STOPPED_SHUTDOWN event");
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_SHUTOFF, &reason, 100), "shut off");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN, "reason shutdown");
    TAP_INT(virDomainIsActive(dom), 0, "inactive after shutdown");
    TAP_INT(virDomainShutdown(dom), -1, "shutdown of a shut off domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    qtConsoleClose(con);
}

static void
testDestroy(virDomainPtr dom)
{
    int reason = -1;

    TAP_INT(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), 0,
            "start paused: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_PAUSED, &reason, 100),
           "paused after START_PAUSED");
    TAP_INT(reason, VIR_DOMAIN_PAUSED_USER, "reason user");
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_SUSPENDED,
                       VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, QUICK_MS),
           "SUSPENDED event after START_PAUSED");
    TAP_INT(virDomainDestroy(dom), 0, "destroy: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_SHUTOFF, &reason, 100),
           "shut off right after destroy");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_DESTROYED, "reason destroyed");
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_DESTROYED, QUICK_MS),
           "STOPPED_DESTROYED event");
    TAP_INT(virDomainDestroy(dom), -1, "destroying a shut off domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");

    TAP_INT(virDomainCreate(dom), 0, "start again: %s", qtErrMsg());
    TAP_INT(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL), 0,
            "graceful destroy: %s", qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_SHUTOFF, &reason, 100),
           "shut off after graceful destroy");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_DESTROYED, "reason destroyed");
    TAP_INT(virDomainDestroyFlags(dom, 1u << 20), -1, "unknown destroy flag");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
}

static void
testCrash(virDomainPtr dom)
{
    int reason = -1;
    pid_t pid;

    TAP_INT(virDomainCreate(dom), 0, "start for the crash: %s", qtErrMsg());
    pid = qtQemuPid(root, "life");
    TAP_OK(pid > 0, "QEMU pid %ld from the pidfile", (long)pid);
    qtEventsClear();
    if (pid > 0)
        kill(pid, SIGKILL);
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_FAILED, QUICK_MS),
           "STOPPED_FAILED event after kill -9");
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_SHUTOFF, &reason, 100),
           "shut off after kill -9");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_CRASHED, "reason crashed");
    TAP_INT(virDomainCreate(dom), 0, "a crashed domain starts again: %s",
            qtErrMsg());
    TAP_INT(virDomainDestroy(dom), 0, "and is destroyed");
}

static void
testTransient(void)
{
    char *xml = qtXML("temp", "", "");
    virDomainPtr dom = virDomainCreateXML(conn, xml, 0);
    virDomainPtr again;

    free(xml);
    TAP_OK(dom != NULL, "createXML: %s", dom ? "ok" : qtErrMsg());
    if (!dom)
        return;
    TAP_OK(qtLifecycle("temp", VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_BOOTED, QUICK_MS),
           "transient STARTED event");
    TAP_INT(virDomainIsPersistent(dom), 0, "transient is not persistent");
    TAP_INT(virDomainSetAutostart(dom, 1), -1, "no autostart for transient");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainDestroy(dom), 0, "destroy the transient domain");
    again = virDomainLookupByName(conn, "temp");
    TAP_OK(again == NULL && qtErrCode() == VIR_ERR_NO_DOMAIN,
           "the transient domain is gone after destroy");
    if (again)
        virDomainFree(again);
    virDomainFree(dom);
}

static void
testUndefine(virDomainPtr dom)
{
    virDomainPtr again;
    char path[600];

    TAP_INT(virDomainSetAutostart(dom, 1), 0, "autostart on");
    snprintf(path, sizeof(path), "%s/config/life.xml", root);
    TAP_OK(access(path, F_OK) == 0, "config/life.xml exists");
    TAP_INT(virDomainUndefine(dom), 0, "undefine: %s", qtErrMsg());
    TAP_OK(qtLifecycle("life", VIR_DOMAIN_EVENT_UNDEFINED,
                       VIR_DOMAIN_EVENT_UNDEFINED_REMOVED, QUICK_MS),
           "UNDEFINED_REMOVED event");
    TAP_OK(access(path, F_OK) != 0, "config/life.xml is gone");
    again = virDomainLookupByName(conn, "life");
    TAP_OK(again == NULL && qtErrCode() == VIR_ERR_NO_DOMAIN,
           "undefined domain is gone");
    if (again)
        virDomainFree(again);
}

int
main(void)
{
    char why[200];
    char *uri;
    virDomainPtr dom = NULL;
    QtConsole con = { 0 };

    if (!qtSetup(why, sizeof(why))) {
        tapSkip(why);
        return tapDone();
    }
    virSetErrorFunc(NULL, qtNoErrors);
    qtEventLoopStart();
    root = qtRoot();
    uri = qtURI(root);
    conn = virConnectOpen(uri);
    TAP_OK(conn != NULL, "open %s: %s", uri, conn ? "ok" : qtErrMsg());
    if (!conn)
        return tapDone();
    qtEventsWatch(conn);
    testDefineStart(&dom, &con);
    testConsole(dom, &con);
    testSuspendResume(dom);
    testResetReboot(dom, &con);
    testShutdown(dom, &con);
    testDestroy(dom);
    testCrash(dom);
    testTransient();
    testUndefine(dom);
    virDomainFree(dom);
    TAP_INT(virConnectClose(conn), 0, "close");
    qtRemoveRoot(root);
    free(root);
    free(uri);
    return tapDone();
}
