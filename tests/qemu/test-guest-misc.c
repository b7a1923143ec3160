/* test-guest-misc.c: the QEMU driver's other guest calls against the basic
 * test guest under TCG: metadata, rename, a missing agent, screenshot,
 * keys, NMI, memory peek, monitor pass-through, channels, VNC clients,
 * security labels, and stats of two running guests */
#include "qemu-test.h"

#include <arpa/inet.h>
#include <libvirt/libvirt-qemu.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#define BOOT_MS 90000
#define QUICK_MS 20000
#define NS "http://vireo.example/meta"

static virConnectPtr conn;
static char *root;

static void
onMetadata(virConnectPtr c, virDomainPtr dom, int type, const char *nsuri,
           void *opaque)
{
    qtEventAdd(VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, dom, type, 0);
}

static bool
fileExists(const char *dir, const char *name)
{
    char path[600];

    snprintf(path, sizeof(path), "%s/%s/%s", root, dir, name);
    return access(path, F_OK) == 0;
}

static void
testMetadata(virDomainPtr dom, unsigned int flags)
{
    char *s;

    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "A title",
                                 NULL, NULL, flags), 0, "set title: %s",
            qtErrMsg());
    TAP_OK(qtEventWait(virDomainGetName(dom),
                       VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                       VIR_DOMAIN_METADATA_TITLE, -1, QUICK_MS),
           "METADATA_CHANGE event for the title");
    s = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, flags);
    TAP_STR(s ? s : "", "A title", "title read back");
    free(s);
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
                                 "<app id='7'>web</app>", "v", NS, flags), 0,
            "set element metadata: %s", qtErrMsg());
    s = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NS, flags);
    TAP_OK(s && strstr(s, "<app") && strstr(s, "id=") && strstr(s, "7") &&
           strstr(s, ">web</app>"), "element read back: %s", s ? s : "");
    free(s);
    TAP_OK(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, NULL,
                                flags) == NULL &&
           qtErrCode() == VIR_ERR_NO_DOMAIN_METADATA,
           "no description: NO_DOMAIN_METADATA");
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "a\nb",
                                 NULL, NULL, flags), -1, "title with newline");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
}

static virDomainPtr
testDefineRename(void)
{
    char extra[800], *xml, *cfg;
    virDomainPtr dom, old;

    snprintf(extra, sizeof(extra),
             "    <channel type='unix'><source mode='bind'/>"
             "<target type='virtio' name='org.qemu.guest_agent.0'/>"
             "</channel>\n"
             "    <channel type='unix'><source mode='bind'/>"
             "<target type='virtio' name='org.vireo.test'/></channel>\n"
             "    <graphics type='vnc' port='-1' autoport='yes'/>\n"
             "    <video><model type='vga'/></video>\n");
    xml = qtXML("gm0", "", extra);
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "define: %s", dom ? "ok" : qtErrMsg());
    if (!dom)
        exit(tapDone());
    testMetadata(dom, VIR_DOMAIN_AFFECT_CONFIG);
    TAP_INT(virDomainRename(dom, "gm", 0), 0, "rename gm0 -> gm: %s",
            qtErrMsg());
    TAP_OK(qtLifecycle("gm0", VIR_DOMAIN_EVENT_UNDEFINED,
                       VIR_DOMAIN_EVENT_UNDEFINED_RENAMED, QUICK_MS),
           "UNDEFINED_RENAMED event for the old name");
    TAP_OK(qtLifecycle("gm", VIR_DOMAIN_EVENT_DEFINED,
                       VIR_DOMAIN_EVENT_DEFINED_RENAMED, QUICK_MS),
           "DEFINED_RENAMED event for the new name");
    TAP_STR(virDomainGetName(dom), "gm", "the object follows the new name");
    TAP_OK(fileExists("config", "gm.xml") && !fileExists("config", "gm0.xml"),
           "config/gm.xml replaced config/gm0.xml");
    old = virDomainLookupByName(conn, "gm0");
    TAP_OK(old == NULL && qtErrCode() == VIR_ERR_NO_DOMAIN,
           "the old name is gone");
    if (old)
        virDomainFree(old);
    cfg = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, 0);
    TAP_STR(cfg ? cfg : "", "A title", "metadata kept across the rename");
    free(cfg);
    TAP_INT(virDomainRename(dom, "gm", 0), -1, "rename to its own name");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    return dom;
}

static void
testNoAgent(virDomainPtr dom)
{
    long long t0 = qtNowMs(), ms;
    char *host;

    TAP_INT(virDomainFSFreeze(dom, NULL, 0, 0), -1,
            "fs_freeze without an agent fails");
    ms = qtNowMs() - t0;
    TAP_INT(qtErrCode(), VIR_ERR_AGENT_UNRESPONSIVE,
            "... AGENT_UNRESPONSIVE (%s)", qtErrMsg());
    TAP_OK(ms < 6000, "... within 6 s (%lld ms)", ms);
    host = virDomainGetHostname(dom, 0);
    TAP_OK(!host && qtErrCode() == VIR_ERR_AGENT_UNRESPONSIVE,
           "get_hostname: AGENT_UNRESPONSIVE");
    free(host);
    TAP_INT(virDomainSendProcessSignal(dom, 1, VIR_DOMAIN_PROCESS_SIGNAL_TERM,
                                       0), -1, "send_process_signal fails");
    TAP_INT(qtErrCode(), VIR_ERR_NO_SUPPORT, "... NO_SUPPORT");
}


/* The autoport VNC display: QEMU was told to walk on from the probed port
 * (another manager may take it first), and the live XML has the port QEMU
 * really listens on: a client connecting there gets the RFB greeting. */
static void
testVncPort(virDomainPtr dom)
{
    char *xml = virDomainGetXMLDesc(dom, 0), greet[13] = "";
    const char *at = xml ? strstr(xml, "<graphics type='vnc' port='") : NULL;
    struct sockaddr_in sa = { .sin_family = AF_INET };
    struct pollfd p = { .events = POLLIN };
    int port = at ? atoi(at + strlen("<graphics type='vnc' port='")) : -1;

    TAP_OK(port >= 5900, "live XML VNC port %d", port);
    TAP_INT(qtSh("grep -q -- \"'-vnc' '[^']*,to=59635'\" %s/log/%s.log", root,
                 virDomainGetName(dom)), 0, "QEMU may walk past a port taken "
            "since the probe (-vnc ...,to=)");
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    p.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (p.fd >= 0 && connect(p.fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        poll(&p, 1, QUICK_MS) == 1 && read(p.fd, greet, 12) < 0)
        greet[0] = '\0';
    TAP_OK(strncmp(greet, "RFB 003.", 8) == 0, "VNC greeting on port %d: "
           "%.11s", port, greet);
    if (p.fd >= 0)
        close(p.fd);
    free(xml);
}
/* Width and height of the PPM QEMU's screendump writes without a format
 * (through the monitor pass-through), 0 0 when it fails. */
static void
ppmSize(virDomainPtr dom, unsigned int *w, unsigned int *h)
{
    char cmd[700], path[600], *r = NULL;
    FILE *f;

    *w = *h = 0;
    snprintf(path, sizeof(path), "%s/shot.ppm", root);
    snprintf(cmd, sizeof(cmd), "{\"execute\":\"screendump\",\"arguments\":"
             "{\"filename\":\"%s\"}}", path);
    if (virDomainQemuMonitorCommand(dom, cmd, &r, 0) < 0)
        return;
    free(r);
    if ((f = fopen(path, "rb"))) {
        if (fscanf(f, "P6 %u %u", w, h) != 2)
            *w = *h = 0;
        fclose(f);
    }
    unlink(path);
}

static unsigned int
be32(const unsigned char *p)
{
    return (unsigned int)p[0] << 24 | (unsigned int)p[1] << 16 |
        (unsigned int)p[2] << 8 | p[3];
}

static void
testScreenshot(virDomainPtr dom)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1a, '\n' };
    virStreamPtr st = virStreamNew(conn, 0);
    unsigned char buf[4096], head[64] = { 0 }, tail[12] = { 0 };
    size_t total = 0;
    unsigned int w, h;
    char *mime = virDomainScreenshot(dom, st, 0, 0);
    int n;

    TAP_OK(mime != NULL, "screenshot: %s", mime ? mime : qtErrMsg());
    TAP_STR(mime ? mime : "", "image/png", "PNG mime type, as libvirt 9.0 "
            "with QEMU 7.2");
    while (mime && (n = virStreamRecv(st, (char *)buf, sizeof(buf))) > 0) {
        if (total < sizeof(head))
            memcpy(head + total, buf, (size_t)n < sizeof(head) - total ?
                   (size_t)n : sizeof(head) - total);
        /* keep the last 12 bytes: the IEND chunk */
        if (n >= 12) {
            memcpy(tail, buf + n - 12, 12);
        } else {
            memmove(tail, tail + n, 12 - (size_t)n);
            memcpy(tail + 12 - n, buf, (size_t)n);
        }
        total += (size_t)n;
    }
    TAP_OK(memcmp(head, sig, 8) == 0, "the stream starts with the PNG "
           "signature");
    TAP_OK(be32(head + 8) == 13 && memcmp(head + 12, "IHDR", 4) == 0,
           "then an IHDR chunk");
    TAP_OK(head[24] == 8 && head[25] == 2, "8-bit RGB (depth %u, colour "
           "type %u)", head[24], head[25]);
    TAP_OK(memcmp(tail + 4, "IEND", 4) == 0, "it ends with IEND (%zu "
           "bytes)", total);
    ppmSize(dom, &w, &h);
    TAP_OK(w >= 640 && h >= 400, "QEMU's own PPM screendump is %ux%u", w, h);
    TAP_OK(be32(head + 16) == w && be32(head + 20) == h,
           "the PNG's IHDR says %ux%u too", be32(head + 16), be32(head + 20));
    if (mime)
        virStreamFinish(st);
    virStreamFree(st);
    free(mime);
    st = virStreamNew(conn, 0);
    TAP_OK(virDomainScreenshot(dom, st, 5, 0) == NULL &&
           qtErrCode() == VIR_ERR_INVALID_ARG, "screen 5: INVALID_ARG");
    virStreamFree(st);
}

static void
testKeysNmiPeek(virDomainPtr dom)
{
    /* KEY_E KEY_C KEY_H KEY_O in Linux codes, then 'a' in every set */
    unsigned int echo[] = { 18, 46, 35, 24 };
    static const unsigned int aKey[VIR_KEYCODE_SET_LAST] = {
        30, 0x1e, 0x1e, 0x1c, 0x1c, 0x00, 0x1e, 0x04, 0x41, 0x1e,
    };
    unsigned int bad = 0x7777;
    unsigned char mem[64];
    bool allSets = true;

    for (int i = 0; i < 4; i++)
        if (virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 30, &echo[i], 1,
                             0) < 0)
            allSets = false;
    TAP_OK(allSets, "send_key e c h o (Linux codes): %s", qtErrMsg());
    for (unsigned int s = 0; s < VIR_KEYCODE_SET_LAST; s++) {
        unsigned int k = aKey[s];

        if (virDomainSendKey(dom, s, 0, &k, 1, 0) < 0) {
            printf("# set %u: %s\n", s, qtErrMsg());
            allSets = false;
        }
    }
    TAP_OK(allSets, "send_key 'a' in every keycode set");
    {
        unsigned int combo[] = { 29, 56, 59 };      /* ctrl-alt-f1 */

        TAP_INT(virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 0, combo, 3, 0),
                0, "send_key ctrl-alt-f1 together");
    }
    TAP_INT(virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 0, &bad, 1, 0), -1,
            "send_key with an unknown keycode fails");
    TAP_INT(qtErrCode(), VIR_ERR_INVALID_ARG, "... INVALID_ARG");
    TAP_INT(virDomainInjectNMI(dom, 0), 0, "inject_nmi: %s", qtErrMsg());
    memset(mem, 0xa5, sizeof(mem));
    TAP_INT(virDomainMemoryPeek(dom, 0, sizeof(mem), mem, VIR_MEMORY_PHYSICAL),
            0, "memory_peek 64 physical bytes at 0: %s", qtErrMsg());
    {
        unsigned char again[64];

        TAP_INT(virDomainMemoryPeek(dom, 0xf0000, sizeof(again), again,
                                    VIR_MEMORY_PHYSICAL), 0,
                "memory_peek of the BIOS area");
        TAP_OK(memcmp(again, mem, sizeof(again)) != 0 ||
               again[0] != 0xa5, "the bytes came from the guest");
    }
    TAP_INT(virDomainMemoryPeek(dom, 0x10, sizeof(mem), mem,
                                VIR_MEMORY_VIRTUAL), -1,
            "memory_peek of an unmapped virtual address fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_FAILED, "... OPERATION_FAILED");
    TAP_INT(virDomainMemoryPeek(dom, 0, sizeof(mem), mem, 0), -1,
            "memory_peek without VIRTUAL/PHYSICAL fails");
}

static void
testMonitor(virDomainPtr dom)
{
    char *r = NULL;

    TAP_INT(virDomainQemuMonitorCommand(dom, "{\"execute\":\"query-status\"}",
                                        &r, 0), 0, "QMP pass-through: %s",
            qtErrMsg());
    TAP_OK(r && strstr(r, "\"running\"") && !strstr(r, "\"id\""),
           "query-status says running: %s", r ? r : "");
    free(r);
    r = NULL;
    TAP_INT(virDomainQemuMonitorCommand(dom, "info status", &r,
                                        VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP),
            0, "HMP pass-through");
    TAP_OK(r && strstr(r, "running"), "info status: %s", r ? r : "");
    free(r);
    r = NULL;
    TAP_INT(virDomainQemuMonitorCommand(dom, "{\"execute\":\"nope\"}", &r, 0),
            -1, "unknown QMP command fails");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_FAILED, "... OPERATION_FAILED");
    free(r);
}

static void
testChannel(virDomainPtr dom, QtConsole *con)
{
    virStreamPtr st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    char buf[256];
    size_t len = 0;
    long long until;
    int n;

    TAP_INT(virDomainOpenChannel(dom, "org.vireo.test", st, 0), 0,
            "open_channel org.vireo.test: %s", qtErrMsg());
    qtConsoleForget(con);
    qtConsoleSend(con, "echo from-guest-$((3*3)) "
                  ">/dev/virtio-ports/org.vireo.test\n");
    until = qtNowMs() + QUICK_MS;
    buf[0] = '\0';
    while (qtNowMs() < until && !strstr(buf, "from-guest-9")) {
        n = virStreamRecv(st, buf + len, sizeof(buf) - 1 - len);
        if (n > 0) {
            len += (size_t)n;
            buf[len] = '\0';
        } else if (n == -2) {
            usleep(20000);
        } else {
            break;
        }
    }
    TAP_OK(strstr(buf, "from-guest-9") != NULL, "the guest's line came "
           "through the channel");
    virStreamAbort(st);
    virStreamFree(st);
    st = virStreamNew(conn, 0);
    TAP_INT(virDomainOpenChannel(dom, "org.qemu.guest_agent.0", st, 0), -1,
            "the agent channel is busy");
    TAP_INT(virDomainOpenChannel(dom, "nope", st, 0), -1, "unknown channel");
    virStreamFree(st);
}

static void
testGraphicsLabels(virDomainPtr dom)
{
    virSecurityLabel label;
    virSecurityLabelPtr labels = NULL;
    virSecurityModel model;
    virDomainControlInfo ci;
    char greet[13] = "";
    int fd, n;

    fd = virDomainOpenGraphicsFD(dom, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);
    TAP_OK(fd >= 0, "open_graphics_fd: %s", fd >= 0 ? "ok" : qtErrMsg());
    if (fd >= 0) {
        struct pollfd p = { .fd = fd, .events = POLLIN };

        if (poll(&p, 1, QUICK_MS) == 1)
            n = (int)read(fd, greet, 12);
        TAP_OK(strncmp(greet, "RFB 003.", 8) == 0, "VNC greeting on the fd: "
               "%.11s", greet);
        close(fd);
    }
    TAP_INT(virDomainOpenGraphicsFD(dom, 3, 0), -1, "graphics 3 fails");
    testVncPort(dom);
    TAP_INT(virDomainGetSecurityLabel(dom, &label), 0, "get_security_label");
    TAP_OK(label.label[0] == '\0' && label.enforcing == 0, "empty label");
    n = virDomainGetSecurityLabelList(dom, &labels);
    TAP_INT(n, 1, "one label in the list");
    free(labels);
    TAP_INT(virNodeGetSecurityModel(conn, &model), 0, "node security model");
    TAP_STR(model.model, "none", "model none");
    TAP_INT(virDomainGetControlInfo(dom, &ci, 0), 0, "control info");
    TAP_INT(ci.state, VIR_DOMAIN_CONTROL_OK, "control state ok");
}

static bool
hasKey(virDomainStatsRecordPtr r, const char *key)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->params[i].field, key) == 0)
            return true;
    printf("# %s: no %s\n", virDomainGetName(r->dom), key);
    return false;
}

static void
testStats(virDomainPtr dom)
{
    static const char *const keys[] = {
        "state.state", "state.reason", "cpu.time", "cpu.user", "cpu.system",
        "balloon.current", "balloon.maximum", "balloon.rss", "vcpu.current",
        "vcpu.maximum", "vcpu.0.state", "vcpu.0.time", "vcpu.0.wait",
        "net.count", "block.count", "iothread.count",
        "memory.bandwidth.monitor.count", "dirtyrate.calc_status", NULL
    };
    virDomainStatsRecordPtr *recs = NULL;
    virDomainPtr two, list[2] = { dom, NULL };
    char *xml = qtXML("gm2", "", "");
    int n, seen = 0;
    bool all = true;

    two = virDomainCreateXML(conn, xml, 0);
    free(xml);
    TAP_OK(two != NULL, "a second running guest: %s", qtErrMsg());
    n = virConnectGetAllDomainStats(conn, 0, &recs,
                                    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
    TAP_INT(n, 2, "getAllDomainStats: both running guests: %s", qtErrMsg());
    for (int i = 0; i < n; i++) {
        const char *name = virDomainGetName(recs[i]->dom);

        if (strcmp(name, "gm") == 0 || strcmp(name, "gm2") == 0)
            seen++;
        for (int k = 0; keys[k]; k++)
            all &= hasKey(recs[i], keys[k]);
        {
            unsigned long long t = 0;

            virTypedParamsGetULLong(recs[i]->params, recs[i]->nparams,
                                    "cpu.time", &t);
            all &= t > 0;
        }
    }
    TAP_INT(seen, 2, "records for gm and gm2");
    TAP_OK(all, "every group's keys are there");
    virDomainStatsRecordListFree(recs);
    recs = NULL;
    n = virDomainListGetStats(list, VIR_DOMAIN_STATS_STATE, &recs, 0);
    TAP_INT(n, 1, "domainListGetStats of one domain");
    if (n == 1) {
        int st = -1;

        virTypedParamsGetInt(recs[0]->params, recs[0]->nparams,
                             "state.state", &st);
        TAP_INT(st, VIR_DOMAIN_RUNNING, "its state.state is running");
        TAP_INT(recs[0]->nparams, 2, "only the state group");
    }
    virDomainStatsRecordListFree(recs);
    if (two) {
        virDomainDestroy(two);
        virDomainFree(two);
    }
}

int
main(void)
{
    char why[200];
    char *uri, *s;
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
        VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
        VIR_DOMAIN_EVENT_CALLBACK(onMetadata), NULL, NULL);
    dom = testDefineRename();
    TAP_INT(virDomainCreate(dom), 0, "start: %s", qtErrMsg());
    TAP_INT(virDomainRename(dom, "gm3", 0), -1, "rename while running");
    TAP_INT(qtErrCode(), VIR_ERR_OPERATION_INVALID, "... OPERATION_INVALID");
    TAP_INT(qtConsoleOpen(&con, conn, dom, 0), 0, "console");
    TAP_OK(qtConsoleWait(&con, QT_MARKER, BOOT_MS), "guest marker");
    testMetadata(dom, VIR_DOMAIN_AFFECT_LIVE);
    s = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NS,
                             VIR_DOMAIN_AFFECT_CONFIG);
    TAP_OK(s != NULL, "config metadata still there while running");
    free(s);
    testNoAgent(dom);
    testScreenshot(dom);
    testKeysNmiPeek(dom);
    testMonitor(dom);
    testChannel(dom, &con);
    testGraphicsLabels(dom);
    testStats(dom);
    qtConsoleClose(&con);
    TAP_INT(virDomainDestroy(dom), 0, "destroy");
    /* queued events hold the connection: let them be delivered */
    TAP_OK(qtLifecycle("gm", VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_DESTROYED, QUICK_MS),
           "STOPPED_DESTROYED event");
    virDomainFree(dom);
    TAP_INT(virConnectClose(conn), 0, "close");
    qtRemoveRoot(root);
    free(root);
    free(uri);
    printf("# total %lld ms\n", qtNowMs() - t0);
    return tapDone();
}
