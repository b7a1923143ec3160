/* test-driver-actions.c: what a guest power off or reboot does with
 * <on_poweroff>restart</on_poweroff> and <on_reboot>destroy</on_reboot>,
 * and autostart when a root is opened (two guests boot side by side) */
#include "qemu-test.h"

#define BOOT_MS 60000
#define QUICK_MS 15000

static char *root;
static char *uri;

static virDomainPtr
startGuest(virConnectPtr conn, const char *name, const char *lifecycle,
           QtConsole *con)
{
    char *xml = qtXML(name, lifecycle, "");
    virDomainPtr dom = virDomainDefineXML(conn, xml);

    free(xml);
    TAP_OK(dom != NULL, "%s: define: %s", name, dom ? "ok" : qtErrMsg());
    if (!dom)
        exit(tapDone());
    TAP_INT(virDomainCreate(dom), 0, "%s: start: %s", name, qtErrMsg());
    TAP_INT(qtConsoleOpen(con, conn, dom, 0), 0, "%s: console", name);
    return dom;
}

static void
testActions(virConnectPtr conn)
{
    QtConsole cp, cr;
    virDomainPtr pw = startGuest(conn, "pwrestart",
                                 "  <on_poweroff>restart</on_poweroff>\n",
                                 &cp);
    virDomainPtr rb = startGuest(conn, "rbdestroy",
                                 "  <on_reboot>destroy</on_reboot>\n", &cr);
    int reason = -1;

    TAP_OK(qtConsoleWait(&cp, QT_MARKER, BOOT_MS), "pwrestart: booted");
    TAP_OK(qtConsoleWait(&cr, QT_MARKER, BOOT_MS), "rbdestroy: booted");

    /* a guest reboot with on_reboot=destroy stops the domain */
    qtConsoleForget(&cr);
    TAP_OK(qtConsoleSend(&cr, "reboot -f\n"), "rbdestroy: reboot -f typed");
    TAP_OK(qtLifecycle("rbdestroy", VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, QUICK_MS),
           "rbdestroy: STOPPED_SHUTDOWN event after the guest rebooted");
    TAP_OK(qtWaitState(rb, VIR_DOMAIN_SHUTOFF, &reason, 100),
           "rbdestroy: shut off");
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN, "rbdestroy: reason shutdown");

    /* a guest power off with on_poweroff=restart boots it again */
    qtConsoleForget(&cp);
    TAP_INT(virDomainShutdown(pw), 0, "pwrestart: shutdown");
    TAP_OK(qtLifecycle("pwrestart", VIR_DOMAIN_EVENT_SHUTDOWN, -1, QUICK_MS),
           "pwrestart: SHUTDOWN event");
    TAP_OK(qtConsoleWait(&cp, QT_MARKER, BOOT_MS),
           "pwrestart: the guest boots again");
    TAP_OK(qtWaitState(pw, VIR_DOMAIN_RUNNING, NULL, 100),
           "pwrestart: running");
    TAP_INT(virDomainIsActive(pw), 1, "pwrestart: still active");
    qtConsoleClose(&cp);
    qtConsoleClose(&cr);
    TAP_INT(virDomainSetAutostart(rb, 1), 0, "rbdestroy: autostart on");
    TAP_INT(virDomainDestroy(pw), 0, "pwrestart: destroy");
    virDomainFree(pw);
    virDomainFree(rb);
}

static void
testAutostart(void)
{
    virConnectPtr conn = qtOpen(uri);
    virDomainPtr rb, pw;
    int autostart = -1;

    TAP_OK(conn != NULL, "reopen: %s", conn ? "ok" : qtErrMsg());
    if (!conn)
        return;
    rb = virDomainLookupByName(conn, "rbdestroy");
    pw = virDomainLookupByName(conn, "pwrestart");
    TAP_OK(rb && pw, "both domains are defined");
    if (!rb || !pw)
        return;
    TAP_INT(virDomainGetAutostart(rb, &autostart), 0, "get autostart");
    TAP_INT(autostart, 1, "autostart is remembered");
    TAP_INT(virDomainIsActive(rb), 1, "the autostart domain was started on "
            "open");
    TAP_INT(virDomainIsActive(pw), 0, "the other one was not");
    TAP_INT(virDomainDestroy(rb), 0, "destroy the autostarted domain");
    virDomainFree(rb);
    virDomainFree(pw);
    virConnectClose(conn);
}

int
main(void)
{
    char why[200];
    virConnectPtr conn;

    if (!qtSetup(why, sizeof(why))) {
        tapSkip(why);
        return tapDone();
    }
    virSetErrorFunc(NULL, qtNoErrors);
    qtEventLoopStart();
    root = qtRoot();
    uri = qtURI(root);
    conn = virConnectOpen(uri);
    TAP_OK(conn != NULL, "open: %s", conn ? "ok" : qtErrMsg());
    if (!conn)
        return tapDone();
    qtEventsWatch(conn);
    testActions(conn);
    virConnectClose(conn);
    testAutostart();
    qtRemoveRoot(root);
    free(root);
    free(uri);
    return tapDone();
}
