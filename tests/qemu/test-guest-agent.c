/* test-guest-agent.c: the QEMU driver's guest agent calls against the
 * agent variant of the test guest under TCG: lifecycle event, host name,
 * time, a real ext2 file system frozen and thawed (the agent's own status
 * read back), trim, fs info, addresses, guest info, passwords, raw agent
 * commands, agent shutdown */
#include "qemu-test.h"

#include <libvirt/libvirt-qemu.h>

#define BOOT_MS 90000
#define QUICK_MS 20000

static virConnectPtr conn;
static char *root;
static int agentState;          /* last AGENT_LIFECYCLE state */

static int
onAgent(virConnectPtr c, virDomainPtr dom, int state, int reason,
        void *opaque)
{
    pthread_mutex_lock(&qtEvLock);
    agentState = state;
    pthread_mutex_unlock(&qtEvLock);
    qtEventAdd(VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE, dom, state, reason);
    return 0;
}

/* The agent XML: the agent initrd, an agent channel (path generated), a
 * virtio disk holding an ext2 file system. */
static char *
agentXML(const char *img)
{
    char extra[1024], *xml;
    size_t at;

    snprintf(extra, sizeof(extra),
             "    <disk type='file' device='disk'>\n"
             "      <driver name='qemu' type='raw'/>\n"
             "      <source file='%s'/>\n"
             "      <target dev='vda' bus='virtio'/>\n"
             "    </disk>\n"
             "    <channel type='unix'><source mode='bind'/>"
             "<target type='virtio' name='org.qemu.guest_agent.0'/>"
             "</channel>\n", img);
    xml = qtXML("ga", "", extra);
    for (at = 0; xml[at] && strncmp(xml + at, "/initrd.img", 11) != 0; at++)
        ;
    if (xml[at]) {
        char *n = NULL;

        /* initrd.img -> initrd-agent.img */
        if (asprintf(&n, "%.*s/initrd-agent.img%s", (int)at, xml,
                     xml + at + 11) < 0)
            abort();
        free(xml);
        xml = n;
    }
    return xml;
}

/* Run agent command CMD; true when the reply holds WANT. */
static bool
agentSays(virDomainPtr dom, const char *cmd, const char *want)
{
    char *r = virDomainQemuAgentCommand(dom, cmd, 10, 0);
    bool ok = r && strstr(r, want);

    if (!ok)
        printf("# %s -> %s\n", cmd, r ? r : qtErrMsg());
    free(r);
    return ok;
}

static bool
consoleRun(QtConsole *con, const char *cmd, const char *want)
{
    qtConsoleForget(con);
    return qtConsoleSend(con, cmd) && qtConsoleWait(con, want, QUICK_MS);
}

static virDomainPtr
testBoot(QtConsole *con)
{
    char img[600], cmd[800], *xml;
    virDomainPtr dom;
    long long t0 = qtNowMs();

    snprintf(img, sizeof(img), "%s/fs.img", root);
    snprintf(cmd, sizeof(cmd), "mke2fs -q -F %s 16M >/dev/null 2>&1", img);
    TAP_INT(system(cmd), 0, "mke2fs for the guest's file system");
    xml = agentXML(img);
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL && virDomainCreate(dom) == 0,
           "define and start the agent guest: %s", qtErrMsg());
    if (!dom)
        exit(tapDone());
    TAP_INT(qtConsoleOpen(con, conn, dom, 0), 0, "console");
    TAP_OK(qtConsoleWait(con, QT_MARKER, BOOT_MS), "guest marker");
    TAP_OK(qtEventWait("ga", VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE,
                       VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED,
                       VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL,
                       BOOT_MS), "AGENT_LIFECYCLE connected event");
    printf("# boot to agent connected: %lld ms\n", qtNowMs() - t0);
    TAP_OK(consoleRun(con, "mkdir -p /mnt && mount /dev/vda /mnt && echo mnt-$((1+1))\n",
                      "mnt-2"), "the guest mounts the ext2 disk on /mnt");
    return dom;
}

static void
testBasics(virDomainPtr dom)
{
    long long secs = 0, now;
    unsigned int nsecs = 0;
    char *host, *r;

    TAP_OK(agentSays(dom, "{\"execute\":\"guest-ping\"}", "\"return\""),
           "virDomainQemuAgentCommand guest-ping");
    r = virDomainQemuAgentCommand(dom, "{\"execute\":\"no-such-command\"}",
                                  -1, 0);
    TAP_OK(r == NULL && qtErrCode() == VIR_ERR_OPERATION_FAILED &&
           strstr(qtErrMsg(), "no-such-command"),
           "unknown agent command: OPERATION_FAILED naming it (%s)",
           qtErrMsg());
    free(r);
    r = virDomainQemuAgentCommand(dom, "not json", -1, 0);
    TAP_OK(r == NULL && qtErrCode() == VIR_ERR_INVALID_ARG,
           "malformed agent command: INVALID_ARG");
    free(r);
    host = virDomainGetHostname(dom, 0);
    TAP_STR(host ? host : qtErrMsg(), "vireo-guest", "get_hostname");
    free(host);
    TAP_INT(virDomainGetTime(dom, &secs, &nsecs, 0), 0, "get_time: %s",
            qtErrMsg());
    now = time(NULL);
    TAP_OK(secs > now - 120 && secs < now + 120,
           "guest time %lld is close to the host's %lld", secs, now);
    TAP_INT(virDomainSetTime(dom, 0, 0, VIR_DOMAIN_TIME_SYNC), 0,
            "set_time with TIME_SYNC: %s", qtErrMsg());
    TAP_INT(virDomainGetTime(dom, &secs, &nsecs, 0), 0, "get_time after sync");
    TAP_OK(secs > now - 120 && secs < now + 120,
           "the RTC (host time) is the guest's time (%lld)", secs - now);
    TAP_INT(virDomainSetTime(dom, now + 3600, 0, 0), 0, "set_time +1h: %s",
            qtErrMsg());
    TAP_INT(virDomainGetTime(dom, &secs, &nsecs, 0), 0, "get_time again");
    TAP_OK(secs > now + 3500 && secs < now + 3700,
           "the guest's clock moved an hour ahead (%lld)", secs - now);
    /* qemu-ga writes the time it sets to the RTC too: set it back */
    now = time(NULL);
    TAP_INT(virDomainSetTime(dom, now, 0, 0), 0, "set_time back to now");
    TAP_INT(virDomainGetTime(dom, &secs, &nsecs, 0), 0, "get_time again");
    TAP_OK(secs > now - 120 && secs < now + 120,
           "the guest's clock is back (%lld)", secs - now);
    TAP_INT(virDomainSetTime(dom, 1, 2000000000U, 0), -1,
            "set_time with 2e9 ns fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
}

/* The password hash of guest user USER read from its /etc/shadow through
 * the console (static, "" when it did not come). */
static const char *
shadowHash(QtConsole *con, const char *user)
{
    static char hash[256];
    char cmd[200];
    const char *p, *last = NULL;

    snprintf(cmd, sizeof(cmd), "awk -F: '$1 == \"%s\" { print \"H\" \"=\" "
             "$2 \"=E\" }' /etc/shadow\n", user);
    hash[0] = '\0';
    if (!consoleRun(con, cmd, "=E\r"))
        return hash;
    /* the reply, not the echoed command (which has no "H=" in a row) */
    for (p = strstr(con->buf, "H="); p; p = strstr(p + 2, "H="))
        last = p + 2;
    if (last)
        snprintf(hash, sizeof(hash), "%.*s", (int)strcspn(last, "="), last);
    return hash;
}

/* crypt(3) of PASSWORD with the salt of HASH, computed on the host. */
static const char *
hostCrypt(const char *password, const char *hash)
{
    const char *s = hash + 3;

    return qtShLine("openssl passwd -6 -salt '%.*s' '%s'",
                    (int)strcspn(s, "$"), s, password);
}

static void
testPassword(virDomainPtr dom, QtConsole *con)
{
    /* crypt(3) SHA-512 of "abc" with salt "saltsalt" */
    const char *known = "$6$saltsalt$mXmsbOzRhx9FdAbQCUHYMV8i33aUx8FUsjR813r/"
        "Te3OUwcAdbwkebLKfLOfUCihpvpN7Ji1TH3bltSG02PNE1";
    char hash[256];

    TAP_STR(shadowHash(con, "vireo"), "!", "user vireo has no password yet");
    TAP_INT(virDomainSetUserPassword(dom, "vireo", "s3cret-1", 0), 0,
            "set_user_password: %s", qtErrMsg());
    snprintf(hash, sizeof(hash), "%s", shadowHash(con, "vireo"));
    TAP_OK(strncmp(hash, "$6$", 3) == 0, "/etc/shadow holds a SHA-512 "
           "hash (%s)", hash);
    TAP_STR(hostCrypt("s3cret-1", hash), hash,
            "it is the hash of the password given (checked on the host)");
    TAP_INT(virDomainSetUserPassword(dom, "vireo", known,
                                     VIR_DOMAIN_PASSWORD_ENCRYPTED), 0,
            "set_user_password with an encrypted password: %s", qtErrMsg());
    TAP_STR(shadowHash(con, "vireo"), known, "/etc/shadow holds it as given");
    TAP_INT(virDomainSetUserPassword(dom, "nosuch", "x", 0), -1,
            "an unknown user fails");
    TAP_OK(qtErrCode() == VIR_ERR_OPERATION_FAILED &&
           strstr(qtErrMsg(), "guest-set-user-password"),
           "... OPERATION_FAILED passing on the agent's refusal (%s)",
           qtErrMsg());
}

static void
testFs(virDomainPtr dom, QtConsole *con)
{
    virDomainFSInfoPtr *info = NULL;
    bool found = false;
    int n;

    n = virDomainGetFSInfo(dom, &info, 0);
    TAP_OK(n >= 1, "get_fs_info: %d file systems", n);
    for (int i = 0; i < n; i++) {
        if (strcmp(info[i]->mountpoint, "/mnt") == 0 &&
            strcmp(info[i]->fstype, "ext2") == 0 && info[i]->ndevAlias == 1 &&
            strcmp(info[i]->devAlias[0], "vda") == 0)
            found = true;
        virDomainFSInfoFree(info[i]);
    }
    free(info);
    TAP_OK(found, "get_fs_info: /mnt is ext2 on disk vda");

    TAP_OK(agentSays(dom, "{\"execute\":\"guest-fsfreeze-status\"}",
                     "\"thawed\""), "agent: thawed before freezing");
    n = virDomainFSFreeze(dom, NULL, 0, 0);
    TAP_OK(n >= 1, "fs_freeze froze %d file system(s): %s", n, qtErrMsg());
    TAP_OK(agentSays(dom, "{\"execute\":\"guest-fsfreeze-status\"}",
                     "\"frozen\""), "agent: the file systems are frozen");
    TAP_OK(virDomainFSTrim(dom, NULL, 0, 0) < 0 &&
           qtErrCode() == VIR_ERR_OPERATION_FAILED,
           "fs_trim while frozen: the agent refuses (%s)", qtErrMsg());
    n = virDomainFSThaw(dom, NULL, 0, 0);
    TAP_OK(n >= 1, "fs_thaw thawed %d file system(s): %s", n, qtErrMsg());
    TAP_OK(agentSays(dom, "{\"execute\":\"guest-fsfreeze-status\"}",
                     "\"thawed\""), "agent: thawed again");
    TAP_OK(consoleRun(con, "echo data >/mnt/f && cat /mnt/f && echo w-$((2+2))\n",
                      "w-4"), "the file system takes writes after the thaw");
    {
        const char *mp[] = { "/mnt" };

        n = virDomainFSFreeze(dom, mp, 1, 0);
        TAP_INT(n, 1, "fs_freeze of /mnt only: %s", qtErrMsg());
        TAP_OK(virDomainFSThaw(dom, mp, 1, 0) < 0 &&
               qtErrCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
               "fs_thaw with mount points: ARGUMENT_UNSUPPORTED");
        TAP_INT(virDomainFSThaw(dom, NULL, 0, 0), 1, "fs_thaw");
    }
    TAP_INT(virDomainFSTrim(dom, NULL, 0, 0), 0, "fs_trim: %s", qtErrMsg());
    TAP_OK(virDomainFSTrim(dom, "/mnt", 0, 0) < 0 &&
           qtErrCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
           "fs_trim of one mount point: ARGUMENT_UNSUPPORTED");
}

static void
testInfo(virDomainPtr dom)
{
    virDomainInterfacePtr *ifs = NULL;
    virTypedParameterPtr params = NULL;
    const char *s = NULL;
    unsigned int count = 0;
    bool lo = false;
    int n = 0;

    n = virDomainInterfaceAddresses(dom, &ifs,
                                    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0);
    TAP_OK(n >= 1, "interface addresses from the agent: %d", n);
    for (int i = 0; i < n; i++) {
        for (unsigned int j = 0; j < ifs[i]->naddrs; j++)
            if (strcmp(ifs[i]->name, "lo") == 0 &&
                strcmp(ifs[i]->addrs[j].addr, "127.0.0.1") == 0 &&
                ifs[i]->addrs[j].prefix == 8)
                lo = true;
        virDomainInterfaceFree(ifs[i]);
    }
    free(ifs);
    TAP_OK(lo, "lo has 127.0.0.1/8");
    TAP_INT(virDomainInterfaceAddresses(dom, &ifs,
            VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0), -1,
            "LEASE source fails");
    TAP_INT(qtErrCode(), VIR_ERR_NO_SUPPORT, "... NO_SUPPORT");
    n = 0;
    TAP_INT(virDomainGetGuestInfo(dom, 0, &params, &n, 0), 0,
            "get_guest_info: %s", qtErrMsg());
    TAP_OK(virTypedParamsGetString(params, n, "hostname", &s) == 1 && s &&
           strcmp(s, "vireo-guest") == 0, "guest info hostname");
    TAP_OK(virTypedParamsGetString(params, n, "os.kernel-release", &s) == 1,
           "guest info os.kernel-release");
    TAP_OK(virTypedParamsGetUInt(params, n, "fs.count", &count) == 1 &&
           count >= 1, "guest info fs.count %u", count);
    TAP_OK(virTypedParamsGetUInt(params, n, "if.count", &count) == 1 &&
           count >= 1, "guest info if.count %u", count);
    virTypedParamsFree(params, n);
    TAP_INT(virDomainAgentSetResponseTimeout(dom, 2, 0), 0,
            "agent response timeout 2 s");
    TAP_OK(agentSays(dom, "{\"execute\":\"guest-ping\"}", "\"return\""),
           "the agent still answers");
    TAP_INT(virDomainAgentSetResponseTimeout(dom, -3, 0), -1,
            "timeout -3 fails");
    TAP_INT(virDomainAgentSetResponseTimeout(dom,
            VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT, 0), 0, "default timeout");
}

static void
testShutdown(virDomainPtr dom)
{
    int reason = -1;

    TAP_INT(virDomainShutdownFlags(dom, VIR_DOMAIN_SHUTDOWN_GUEST_AGENT), 0,
            "shutdown in agent mode: %s", qtErrMsg());
    TAP_OK(qtLifecycle("ga", VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, BOOT_MS),
           "the guest powered itself off (STOPPED_SHUTDOWN)");
    qtWaitState(dom, VIR_DOMAIN_SHUTOFF, &reason, 1000);
    TAP_INT(reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN, "shut off, reason shutdown");
    TAP_INT(virDomainFSFreeze(dom, NULL, 0, 0), -1, "fs_freeze when off");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
}

int
main(void)
{
    char why[200];
    char *uri;
    virDomainPtr dom;
    QtConsole con = { 0 };
    long long t0 = qtNowMs();

    if (!qtSetup(why, sizeof(why))) {
        tapSkip(why);
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
    qtEventsWatch(conn);
    virConnectDomainEventRegisterAny(conn, NULL,
        VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(onAgent),
        NULL, NULL);
    dom = testBoot(&con);
    testBasics(dom);
    testFs(dom, &con);
    testPassword(dom, &con);
    testInfo(dom);
    qtConsoleClose(&con);
    testShutdown(dom);
    (void)agentState;
    virDomainFree(dom);
    TAP_INT(virConnectClose(conn), 0, "close");
    qtRemoveRoot(root);
    free(root);
    free(uri);
    printf("# total %lld ms\n", qtNowMs() - t0);
    return tapDone();
}
