/* test-features-guest.c: test driver guest-agent calls, screenshots and
 * consoles */
#include "test-features.h"

#include <time.h>

static void
testTime(virDomainPtr dom, virDomainPtr off)
{
    long long s = 0;
    unsigned int ns = 0;
    long long now = time(NULL);

    TAP_INT(virDomainGetTime(dom, &s, &ns, 0), 0, "get guest time");
    TAP_OK(s >= now - 2 && s <= now + 2 && ns < 1000000000U,
           "guest clock follows the host");
    TAP_INT(virDomainSetTime(dom, now + 3600, 0, 0), 0, "set guest time");
    virDomainGetTime(dom, &s, &ns, 0);
    TAP_OK(s >= now + 3598 && s <= now + 3602, "an hour ahead now");
    TAP_INT(virDomainSetTime(dom, 0, 0, VIR_DOMAIN_TIME_SYNC), 0, "sync");
    virDomainGetTime(dom, &s, &ns, 0);
    TAP_OK(s >= now - 2 && s <= now + 2, "back on host time");
    TAP_INT(virDomainSetTime(dom, now, 2000000000U, 0), -1, "bad nseconds");
    TAP_ERR(VIR_ERR_INVALID_ARG, "nseconds: INVALID_ARG");
    virDomainSuspend(dom);
    TAP_INT(virDomainGetTime(dom, &s, &ns, 0), -1, "paused guest: no agent");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "paused: OPERATION_INVALID");
    TAP_OK(strstr(virGetLastErrorMessage(), "'test' is paused") != NULL,
           "message names the domain and its state");
    virDomainResume(dom);
    TAP_INT(virDomainGetTime(off, &s, &ns, 0), -1, "inactive: no agent");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");
    TAP_INT(virDomainSetUserPassword(dom, "root", "secret", 0), 0,
            "set a password");
    TAP_INT(virDomainSetUserPassword(dom, "", "secret", 0), -1, "no user");
    TAP_ERR(VIR_ERR_INVALID_ARG, "empty user: INVALID_ARG");
}

static void
testFs(virDomainPtr dom)
{
    const char *bad[] = { "/nope" };
    virDomainFSInfoPtr *info = NULL;
    int n;

    TAP_INT(virDomainFSFreeze(dom, NULL, 0, 0), 1, "freeze all (one fs)");
    TAP_INT(virDomainFSFreeze(dom, NULL, 0, 0), -1, "freeze twice");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "frozen: OPERATION_INVALID");
    TAP_INT(virDomainFSTrim(dom, NULL, 0, 0), -1, "trim while frozen");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "trim frozen: OPERATION_INVALID");
    TAP_INT(virDomainFSThaw(dom, NULL, 0, 0), 1, "thaw one");
    TAP_INT(virDomainFSThaw(dom, NULL, 0, 0), 0, "thaw again: nothing");
    TAP_INT(virDomainFSFreeze(dom, bad, 1, 0), -1, "unknown mount point");
    TAP_ERR(VIR_ERR_INVALID_ARG, "mount point: INVALID_ARG");
    TAP_INT(virDomainFSTrim(dom, "/", 0, 0), -1, "trim one mount point");
    TAP_ERR(VIR_ERR_ARGUMENT_UNSUPPORTED, "trim /: ARGUMENT_UNSUPPORTED");
    TAP_INT(virDomainFSTrim(dom, NULL, 0, 0), 0, "trim all");
    n = virDomainGetFSInfo(dom, &info, 0);
    TAP_INT(n, 1, "one file system");
    TAP_OK(n == 1 && strcmp(info[0]->mountpoint, "/") == 0 &&
           info[0]->ndevAlias == 1 && strcmp(info[0]->devAlias[0], "vda") == 0,
           "/ on vda");
    for (int i = 0; i < n; i++)
        virDomainFSInfoFree(info[i]);
    free(info);
}

static void
testAddresses(virDomainPtr dom)
{
    virDomainInterfacePtr *ifs = NULL;
    int n;

    n = virDomainInterfaceAddresses(dom, &ifs,
                                    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0);
    TAP_INT(n, 2, "agent sees lo and eth0");
    TAP_OK(n == 2 && strcmp(ifs[1]->hwaddr, "aa:bb:cc:dd:ee:ff") == 0 &&
           ifs[1]->naddrs == 2 && ifs[1]->addrs[0].prefix == 24,
           "eth0 has the MAC, IPv4 and IPv6");
    for (int i = 0; i < n; i++)
        virDomainInterfaceFree(ifs[i]);
    free(ifs);
    n = virDomainInterfaceAddresses(dom, &ifs,
                                    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0);
    TAP_INT(n, 0, "no DHCP lease for a user-mode interface");
    free(ifs);
    n = virDomainInterfaceAddresses(dom, &ifs,
                                    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP, 0);
    TAP_INT(n, 1, "ARP sees the interface");
    for (int i = 0; i < n; i++)
        virDomainInterfaceFree(ifs[i]);
    free(ifs);
    TAP_INT(virDomainInterfaceAddresses(dom, &ifs, 7, 0), -1, "source 7");
    TAP_ERR(VIR_ERR_INVALID_ARG, "source: INVALID_ARG");
}

static void
testMisc(virDomainPtr dom, virDomainPtr off)
{
    virTypedParameterPtr p = NULL;
    int n = 0;
    const char *s = NULL;
    unsigned int keys[2] = { 29, 56 };
    virDomainControlInfo ci;
    virSecurityLabel label;
    virSecurityLabelPtr labels = NULL;

    TAP_INT(virDomainGetGuestInfo(dom, 0, &p, &n, 0), 0, "guest info");
    virTypedParamsGetString(p, n, "hostname", &s);
    TAP_STR(s, "test", "hostname");
    s = NULL;
    virTypedParamsGetString(p, n, "os.id", &s);
    TAP_STR(s, "debian", "os.id");
    TAP_OK(virTypedParamsGet(p, n, "fs.0.mountpoint") &&
           virTypedParamsGet(p, n, "user.0.name"), "fs and users");
    virTypedParamsFree(p, n);
    TAP_INT(virDomainGetGuestInfo(dom, 1u << 10, &p, &n, 0), -1, "bad type");
    TAP_ERR(VIR_ERR_INVALID_ARG, "types: INVALID_ARG");

    TAP_INT(virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 50, keys, 2, 0), 0,
            "send ctrl-alt");
    TAP_INT(virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 50, keys, 0, 0), -1,
            "no keys");
    TAP_ERR(VIR_ERR_INVALID_ARG, "no keys: INVALID_ARG");
    TAP_INT(virDomainSendKey(off, VIR_KEYCODE_SET_LINUX, 50, keys, 2, 0), -1,
            "keys to an inactive domain");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "keys: OPERATION_INVALID");
    TAP_INT(virDomainSendProcessSignal(dom, 1, VIR_DOMAIN_PROCESS_SIGNAL_TERM,
                                       0), 0, "signal init");
    TAP_INT(virDomainSendProcessSignal(dom, 99, 15, 0), -1, "no pid 99");
    TAP_ERR(VIR_ERR_INVALID_ARG, "pid: INVALID_ARG");
    TAP_INT(virDomainInjectNMI(dom, 0), 0, "NMI");
    TAP_INT(virDomainInjectNMI(off, 0), -1, "NMI to an inactive domain");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "NMI: OPERATION_INVALID");
    TAP_INT(virDomainGetControlInfo(dom, &ci, 0), 0, "control info");
    TAP_INT(ci.state, VIR_DOMAIN_CONTROL_OK, "control OK");
    TAP_INT(virDomainGetSecurityLabel(dom, &label), 0, "security label");
    TAP_STR(label.label, "", "no label without a security driver");
    TAP_INT(virDomainGetSecurityLabelList(dom, &labels), 1, "label list");
    free(labels);
}

/* Read up to LEN bytes, or everything until EOF when ALL. */
static int
readStream(virStreamPtr st, char *buf, int len, int all)
{
    int got = 0, r;

    while (got < len && (r = virStreamRecv(st, buf + got, len - got)) > 0) {
        got += r;
        if (!all && memchr(buf, '\n', got))
            break;
    }
    return got;
}

static void
testScreenshot(virConnectPtr conn, virDomainPtr dom, virDomainPtr off)
{
    virStreamPtr st = virStreamNew(conn, 0);
    char *mime = virDomainScreenshot(dom, st, 0, 0);
    static char buf[16384];
    int n;

    TAP_STR(mime, "image/x-portable-pixmap", "screenshot is a PPM");
    n = mime ? readStream(st, buf, sizeof(buf), 1) : 0;
    TAP_INT(n, 13 + 64 * 48 * 3, "the whole image arrives");
    TAP_OK(n > 13 && memcmp(buf, "P6\n64 48\n255\n", 13) == 0, "PPM header");
    TAP_INT(virStreamFinish(st), 0, "stream finishes");
    virStreamFree(st);
    free(mime);
    st = virStreamNew(conn, 0);
    TAP_OK(!virDomainScreenshot(dom, st, 1, 0), "screen 1 does not exist");
    TAP_ERR(VIR_ERR_INVALID_ARG, "screen: INVALID_ARG");
    TAP_OK(!virDomainScreenshot(off, st, 0, 0), "inactive screenshot");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OPERATION_INVALID");
    virStreamFree(st);
}

static void
testConsole(virConnectPtr conn, virDomainPtr dom)
{
    virStreamPtr a = virStreamNew(conn, 0), b = virStreamNew(conn, 0);
    virStreamPtr c = virStreamNew(conn, 0);
    char buf[256] = { 0 };
    int n;

    TAP_INT(virDomainOpenConsole(dom, NULL, a, 0), 0, "open the console");
    n = readStream(a, buf, sizeof(buf) - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    TAP_OK(strstr(buf, "vireo test console: domain test, console0"),
           "greeting line");
    TAP_INT(virStreamSend(a, "hello\n", 6), 6, "type a line");
    memset(buf, 0, sizeof(buf));
    n = readStream(a, buf, sizeof(buf) - 1, 0);
    TAP_STR(buf, "hello\n", "the console echoes it");
    TAP_INT(virDomainOpenConsole(dom, "console0", b, 0), -1,
            "second open without force");
    TAP_ERR(VIR_ERR_OPERATION_FAILED, "busy: OPERATION_FAILED");
    TAP_INT(virDomainOpenConsole(dom, "serial0", b, VIR_DOMAIN_CONSOLE_FORCE),
            0, "the serial port is another device");
    TAP_INT(virDomainOpenConsole(dom, "console0", c,
                                 VIR_DOMAIN_CONSOLE_FORCE), 0,
            "force takes the console over");
    TAP_INT(readStream(a, buf, sizeof(buf), 1), 0,
            "the first session sees the end");
    virStreamFinish(a);
    virStreamFree(a);
    a = virStreamNew(conn, 0);
    TAP_INT(virDomainOpenConsole(dom, "serial7", a, 0), -1, "no serial7");
    TAP_ERR(VIR_ERR_INVALID_ARG, "serial7: INVALID_ARG");
    TAP_INT(virDomainOpenChannel(dom, NULL, a, 0), -1, "no channel yet");
    TAP_ERR(VIR_ERR_OPERATION_INVALID, "no channel: OPERATION_INVALID");
    virDomainAttachDeviceFlags(dom, "<channel type='unix'><target "
                               "type='virtio' name='org.example.0'/>"
                               "</channel>", VIR_DOMAIN_AFFECT_LIVE);
    TAP_INT(virDomainOpenChannel(dom, "org.example.0", a, 0), 0,
            "open the channel by name");
    n = readStream(a, buf, sizeof(buf) - 1, 0);
    TAP_OK(n > 0, "channel greets too");
    virStreamAbort(a);
    virStreamAbort(b);
    virStreamAbort(c);
    virStreamFree(a);
    virStreamFree(b);
    virStreamFree(c);
}

int
main(void)
{
    virConnectPtr conn;
    virDomainPtr dom, off;

    virSetErrorFunc(NULL, featQuiet);
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");
    off = featDefine(conn, "cfg");
    if (!TAP_OK(conn && dom && off, "connection and domains"))
        return tapDone();
    testTime(dom, off);
    testFs(dom);
    testAddresses(dom);
    testMisc(dom, off);
    testScreenshot(conn, dom, off);
    testConsole(conn, dom);
    virDomainFree(off);
    virDomainFree(dom);
    virConnectClose(conn);
    return tapDone();
}
