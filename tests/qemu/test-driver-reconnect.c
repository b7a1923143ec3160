/* test-driver-reconnect.c: QEMU outlives the program that manages it: a
 * manager SIGKILLed in the middle of its work loses no definition and
 * leaves no domain unmanageable; a QEMU that died while nobody watched is
 * found shut off (crashed) */
#include "qemu-test.h"

#define QUICK_MS 10000

static char *root;
static char *uri;

/* The child: open the root, define and start domains, report, then hang
 * until killed. Writes "ID PID\n" of domain 'rc' to FD. */
static void
childManager(int fd)
{
    virConnectPtr conn = virConnectOpen(uri);
    virDomainPtr dom, tr;
    char *xml, line[64];

    if (!conn)
        _exit(2);
    xml = qtXML("rc", "", "");
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    if (!dom || virDomainCreate(dom) < 0)
        _exit(3);
    xml = qtXML("tr", "", "");
    tr = virDomainCreateXML(conn, xml, 0);
    free(xml);
    if (!tr)
        _exit(4);
    for (int i = 0; i < 5; i++) {
        char name[16];
        virDomainPtr k;

        snprintf(name, sizeof(name), "keep%d", i);
        xml = qtXML(name, "", "");
        k = virDomainDefineXML(conn, xml);
        free(xml);
        if (!k)
            _exit(5);
        virDomainFree(k);
    }
    snprintf(line, sizeof(line), "%d %ld\n", (int)virDomainGetID(dom),
             (long)getpid());
    if (write(fd, line, strlen(line)) < 0)
        _exit(6);
    /* keep defining while the parent kills us */
    for (int i = 0; ; i++) {
        char name[16];
        virDomainPtr k;

        snprintf(name, sizeof(name), "busy%d", i % 50);
        xml = qtXML(name, "", "");
        k = virDomainDefineXML(conn, xml);
        free(xml);
        if (k)
            virDomainFree(k);
    }
}

static void
testKilledManager(void)
{
    int fds[2];
    pid_t child;
    char line[64] = "";
    int id = -1, reason = -1;
    long cpid = 0;
    virConnectPtr conn, busy;
    virDomainPtr dom, tr;
    FILE *in;
    char pidtext[32];

    if (pipe(fds) < 0)
        abort();
    if ((child = fork()) == 0) {
        close(fds[0]);
        childManager(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    in = fdopen(fds[0], "r");
    TAP_OK(fgets(line, sizeof(line), in) != NULL, "the child manager started "
           "its domains");
    fclose(in);
    sscanf(line, "%d %ld", &id, &cpid);
    TAP_OK(id > 0, "domain id in the child: %d", id);

    busy = virConnectOpen(uri);
    snprintf(pidtext, sizeof(pidtext), "%ld", cpid);
    TAP_OK(busy == NULL && strstr(qtErrMsg(), pidtext),
           "the root is locked by the child (%s)", qtErrMsg());
    if (busy)
        virConnectClose(busy);

    usleep(200 * 1000);     /* in the middle of its defines */
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);

    conn = virConnectOpen(uri);
    TAP_OK(conn != NULL, "reopen after SIGKILL: %s", conn ? "ok" : qtErrMsg());
    if (!conn)
        exit(tapDone());
    qtEventsWatch(conn);
    dom = virDomainLookupByName(conn, "rc");
    TAP_OK(dom != NULL, "domain 'rc' is still known");
    if (!dom)
        exit(tapDone());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_RUNNING, &reason, 100),
           "'rc' is still running");
    TAP_INT((int)virDomainGetID(dom), id, "with the same id");
    for (int i = 0; i < 5; i++) {
        char name[16];
        virDomainPtr k;

        snprintf(name, sizeof(name), "keep%d", i);
        k = virDomainLookupByName(conn, name);
        TAP_OK(k != NULL, "definition '%s' survived", name);
        if (k)
            virDomainFree(k);
    }
    {
        virDomainPtr *all = NULL;
        int n = virConnectListAllDomains(conn, &all, 0);

        TAP_OK(n >= 7, "every domain came back (%d)", n);
        for (int i = 0; i < n; i++) {
            int st = -1;

            if (virDomainGetState(all[i], &st, NULL, 0) < 0)
                TAP_OK(false, "state of '%s'", virDomainGetName(all[i]));
            virDomainFree(all[i]);
        }
        free(all);
    }
    tr = virDomainLookupByName(conn, "tr");
    TAP_OK(tr != NULL, "transient 'tr' was found again");
    if (tr) {
        TAP_INT(virDomainIsPersistent(tr), 0, "... still transient");
        TAP_INT(virDomainIsActive(tr), 1, "... still running");
        TAP_INT(virDomainDestroy(tr), 0, "... and can be destroyed");
        virDomainFree(tr);
    }
    TAP_INT(virDomainSuspend(dom), 0, "the monitor works again (suspend): %s",
            qtErrMsg());
    TAP_OK(qtLifecycle("rc", VIR_DOMAIN_EVENT_SUSPENDED,
                       VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, QUICK_MS),
           "SUSPENDED event from the reconnected monitor");
    TAP_INT(virDomainResume(dom), 0, "resume");
    TAP_INT(virDomainDestroy(dom), 0, "destroy after reconnect: %s",
            qtErrMsg());
    TAP_OK(qtWaitState(dom, VIR_DOMAIN_SHUTOFF, &reason, 100), "shut off");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_DESTROYED, "reason destroyed");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
testDiedUnwatched(void)
{
    virConnectPtr conn = qtOpen(uri);
    virDomainPtr dom;
    pid_t pid;
    int state = -1, reason = -1;
    char path[600];

    TAP_OK(conn != NULL, "open: %s", conn ? "ok" : qtErrMsg());
    if (!conn)
        return;
    dom = virDomainLookupByName(conn, "rc");
    TAP_INT(dom ? virDomainCreate(dom) : -1, 0, "start 'rc': %s", qtErrMsg());
    virDomainFree(dom);
    TAP_INT(virConnectClose(conn), 0, "close, leaving QEMU running");
    pid = qtQemuPid(root, "rc");
    TAP_OK(pid > 0 && kill(pid, 0) == 0, "QEMU %ld outlives the connection",
           (long)pid);
    kill(pid, SIGKILL);
    usleep(100 * 1000);

    conn = qtOpen(uri);
    TAP_OK(conn != NULL, "reopen");
    if (!conn)
        return;
    dom = virDomainLookupByName(conn, "rc");
    TAP_INT(dom ? virDomainGetState(dom, &state, &reason, 0) : -1, 0,
            "state after reopen");
    TAP_INT(state, VIR_DOMAIN_SHUTOFF, "the dead QEMU's domain is shut off");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_CRASHED, "reason crashed");
    snprintf(path, sizeof(path), "%s/run/rc.xml", root);
    TAP_OK(access(path, F_OK) != 0, "its live status is gone");
    if (dom)
        virDomainFree(dom);
    virConnectClose(conn);
}

int
main(void)
{
    char why[200];

    if (!qtSetup(why, sizeof(why))) {
        tapSkip(why);
        return tapDone();
    }
    virSetErrorFunc(NULL, qtNoErrors);
    qtEventLoopStart();
    root = qtRoot();
    uri = qtURI(root);
    testKilledManager();
    testDiedUnwatched();
    qtRemoveRoot(root);
    free(root);
    free(uri);
    return tapDone();
}
