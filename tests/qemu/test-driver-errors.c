/* test-driver-errors.c: the QEMU driver's errors name their cause: a second
 * opener, unmappable XML, a missing disk image or QEMU binary, unusable
 * KVM, QEMU failing during start, a port in use, wrong states and flags */
#include "qemu-test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static virConnectPtr conn;
static char *root;

/* Define XML (taken) and try to start it: the start must fail with CODE and
 * a message containing NEEDLE; the domain stays shut off and defined. */
static void
startFails(const char *what, char *xml, int code, const char *needle)
{
    virDomainPtr dom = virDomainDefineXML(conn, xml);
    int state = -1, reason = -1;
    char path[600];

    free(xml);
    TAP_OK(dom != NULL, "%s: define succeeds: %s", what,
           dom ? "ok" : qtErrMsg());
    if (!dom)
        return;
    TAP_INT(virDomainCreate(dom), -1, "%s: start fails", what);
    TAP_INT(qtErrCode(), code, "%s: error code", what);
    TAP_OK(strstr(qtErrMsg(), needle) != NULL, "%s: message names '%s': %s",
           what, needle, qtErrMsg());
    TAP_INT(virDomainGetState(dom, &state, &reason, 0), 0, "%s: state",
            what);
    TAP_INT(state, VIR_DOMAIN_SHUTOFF, "%s: still shut off", what);
    snprintf(path, sizeof(path), "%s/run/%s.xml", root, virDomainGetName(dom));
    TAP_OK(access(path, F_OK) != 0, "%s: no live status left behind", what);
    TAP_INT(virDomainUndefine(dom), 0, "%s: undefine", what);
    virDomainFree(dom);
}

static void
testSecondOpener(const char *uri)
{
    virConnectPtr second = virConnectOpen(uri);
    char pid[32];

    snprintf(pid, sizeof(pid), "%ld", (long)getpid());
    TAP_OK(second == NULL, "a second connection to the same root fails");
    TAP_OK(strstr(qtErrMsg(), pid) != NULL, "... naming the holder's pid: %s",
           qtErrMsg());
    if (second)
        virConnectClose(second);
}

static void
testUnsupported(void)
{
    static const struct {
        const char *extra;
        const char *needle;
    } cases[] = {
        { "    <sound model='ich9'/>\n", "sound" },
        { "    <interface type='direct'><source dev='eth0'/></interface>\n",
          "direct" },
        { "    <disk type='file'><driver name='qemu' type='raw' "
          "cache='none' foo='1'/><source file='/x'/>"
          "<target dev='vda' bus='virtio'/></disk>\n", "foo" },
        { "    <graphics type='spice'/>\n", "spice" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *xml = qtXML("unsup", "", cases[i].extra);
        virDomainPtr dom = virDomainDefineXML(conn, xml);

        free(xml);
        TAP_OK(dom == NULL, "unmappable XML (%s) is refused", cases[i].needle);
        TAP_INT(qtErrCode(), VIR_ERR_CONFIG_UNSUPPORTED,
                "... CONFIG_UNSUPPORTED");
        TAP_OK(strstr(qtErrMsg(), cases[i].needle) != NULL,
               "... naming it: %s", qtErrMsg());
        if (dom)
            virDomainFree(dom);
    }
}

static void
testStartErrors(void)
{
    char disk[600], extra[1200], bad[600];
    int fd;

    snprintf(disk, sizeof(disk), "%s/no-such-image.qcow2", root);
    snprintf(extra, sizeof(extra), "    <disk type='file' device='disk'>"
             "<driver name='qemu' type='qcow2'/><source file='%s'/>"
             "<target dev='vda' bus='virtio'/></disk>\n", disk);
    startFails("missing disk image", qtXML("nodisk", "", extra),
               VIR_ERR_SYSTEM_ERROR, disk);

    startFails("missing QEMU binary",
               qtXML("nobin", "", "    <emulator>/nonexistent/qemu-system"
                     "</emulator>\n"),
               VIR_ERR_SYSTEM_ERROR, "/nonexistent/qemu-system");

    /* QEMU itself refuses: an image that is not the format declared */
    snprintf(bad, sizeof(bad), "%s/garbage.qcow2", root);
    fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    TAP_OK(fd >= 0 && write(fd, "not a qcow2 image\n", 18) == 18,
           "write a bogus image");
    if (fd >= 0)
        close(fd);
    snprintf(extra, sizeof(extra), "    <disk type='file' device='disk'>"
             "<driver name='qemu' type='qcow2'/><source file='%s'/>"
             "<target dev='vda' bus='virtio'/></disk>\n", bad);
    startFails("QEMU exits during start", qtXML("badimg", "", extra),
               VIR_ERR_OPERATION_FAILED, "qcow2");
}

static void
testKvm(void)
{
    char *xml = qtXML("kvm", "", "");
    char *p = strstr(xml, "type='qemu'");

    memcpy(p, "type='kvm' ", 11);
    setenv("VIREO_QEMU_KVM_DEVICE", "/nonexistent/kvm", 1);
    startFails("KVM unusable", xml, VIR_ERR_CONFIG_UNSUPPORTED,
               "KVM requested but /nonexistent/kvm is not usable");
    unsetenv("VIREO_QEMU_KVM_DEVICE");
}

static void
testPortInUse(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    char extra[200];
    int port = 0;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int p = 5990; p < 6100 && !port; p++) {
        sa.sin_port = htons((uint16_t)p);
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
            listen(fd, 1) == 0)
            port = p;
    }
    TAP_OK(port > 0, "hold TCP port %d", port);
    snprintf(extra, sizeof(extra), "    <graphics type='vnc' port='%d' "
             "autoport='no' listen='127.0.0.1'/>\n", port);
    snprintf(extra + strlen(extra), 20, "%s", "");
    {
        char needle[32];

        snprintf(needle, sizeof(needle), "port %d", port);
        startFails("VNC port in use", qtXML("port", "", extra),
                   VIR_ERR_OPERATION_FAILED, needle);
    }
    close(fd);
}

static void
testStates(void)
{
    char *xml = qtXML("idle", "", "");
    virDomainPtr dom = virDomainDefineXML(conn, xml);

    free(xml);
    TAP_OK(dom != NULL, "define idle domain");
    if (!dom)
        return;
    TAP_INT(virDomainSuspend(dom), -1, "suspend of a shut off domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_OK(strstr(qtErrMsg(), "'idle' is not running") != NULL,
           "... naming it: %s", qtErrMsg());
    TAP_INT(virDomainReset(dom, 0), -1, "reset of a shut off domain fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(virDomainCreateWithFlags(dom, 1u << 20), -1, "unknown start flag");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainShutdownFlags(dom, VIR_DOMAIN_SHUTDOWN_GUEST_AGENT), -1,
            "agent shutdown is not available");
    TAP_INT(qtErrCode(), VIR_ERR_ARGUMENT_UNSUPPORTED,
            "... ARGUMENT_UNSUPPORTED");
    {
        virStreamPtr st = virStreamNew(conn, 0);

        TAP_INT(virDomainOpenConsole(dom, NULL, st, 0), -1,
                "console of a shut off domain fails");
        TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID,
                "... OPERATION_INVALID");
        virStreamFree(st);
    }
    TAP_INT(virDomainUndefine(dom), 0, "undefine idle domain");
    virDomainFree(dom);
}

int
main(void)
{
    char why[200];
    char *uri;

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
    testSecondOpener(uri);
    testUnsupported();
    testStartErrors();
    testKvm();
    testPortInUse();
    testStates();
    TAP_INT(virConnectClose(conn), 0, "close");
    qtRemoveRoot(root);
    free(root);
    free(uri);
    return tapDone();
}
