/* cmd_guest.c: talking to the guest: send-key, screenshot, inject-nmi,
 * domtime, domfsfreeze, domfsthaw, domfstrim, domfsinfo, domifaddr,
 * set-user-password, domhostname */
#include "vireo.h"
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input-event-codes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const char *const keycodeSets[] = {
    [VIR_KEYCODE_SET_LINUX] = "linux",
    [VIR_KEYCODE_SET_XT] = "xt",
    [VIR_KEYCODE_SET_ATSET1] = "atset1",
    [VIR_KEYCODE_SET_ATSET2] = "atset2",
    [VIR_KEYCODE_SET_ATSET3] = "atset3",
    [VIR_KEYCODE_SET_OSX] = "os_x",
    [VIR_KEYCODE_SET_XT_KBD] = "xt_kbd",
    [VIR_KEYCODE_SET_WIN32] = "win32",
    [VIR_KEYCODE_SET_USB] = "usb",
    [VIR_KEYCODE_SET_QNUM] = "qnum",        /* also known as rfb */
};

#define KEYCODE_SETS ((int)(sizeof(keycodeSets) / sizeof(*keycodeSets)))

#define K(name) { #name, name }

/* Linux key names send-key knows, values from the kernel's header. */
static const struct {
    const char *name;
    unsigned int code;
} linuxKeys[] = {
    K(KEY_ESC), K(KEY_1), K(KEY_2), K(KEY_3), K(KEY_4), K(KEY_5), K(KEY_6),
    K(KEY_7), K(KEY_8), K(KEY_9), K(KEY_0), K(KEY_MINUS), K(KEY_EQUAL),
    K(KEY_BACKSPACE), K(KEY_TAB), K(KEY_Q), K(KEY_W), K(KEY_E), K(KEY_R),
    K(KEY_T), K(KEY_Y), K(KEY_U), K(KEY_I), K(KEY_O), K(KEY_P),
    K(KEY_LEFTBRACE), K(KEY_RIGHTBRACE), K(KEY_ENTER), K(KEY_LEFTCTRL),
    K(KEY_A), K(KEY_S), K(KEY_D), K(KEY_F), K(KEY_G), K(KEY_H), K(KEY_J),
    K(KEY_K), K(KEY_L), K(KEY_SEMICOLON), K(KEY_APOSTROPHE), K(KEY_GRAVE),
    K(KEY_LEFTSHIFT), K(KEY_BACKSLASH), K(KEY_Z), K(KEY_X), K(KEY_C),
    K(KEY_V), K(KEY_B), K(KEY_N), K(KEY_M), K(KEY_COMMA), K(KEY_DOT),
    K(KEY_SLASH), K(KEY_RIGHTSHIFT), K(KEY_KPASTERISK), K(KEY_LEFTALT),
    K(KEY_SPACE), K(KEY_CAPSLOCK), K(KEY_F1), K(KEY_F2), K(KEY_F3),
    K(KEY_F4), K(KEY_F5), K(KEY_F6), K(KEY_F7), K(KEY_F8), K(KEY_F9),
    K(KEY_F10), K(KEY_NUMLOCK), K(KEY_SCROLLLOCK), K(KEY_KP7), K(KEY_KP8),
    K(KEY_KP9), K(KEY_KPMINUS), K(KEY_KP4), K(KEY_KP5), K(KEY_KP6),
    K(KEY_KPPLUS), K(KEY_KP1), K(KEY_KP2), K(KEY_KP3), K(KEY_KP0),
    K(KEY_KPDOT), K(KEY_F11), K(KEY_F12), K(KEY_KPENTER), K(KEY_RIGHTCTRL),
    K(KEY_KPSLASH), K(KEY_SYSRQ), K(KEY_RIGHTALT), K(KEY_HOME), K(KEY_UP),
    K(KEY_PAGEUP), K(KEY_LEFT), K(KEY_RIGHT), K(KEY_END), K(KEY_DOWN),
    K(KEY_PAGEDOWN), K(KEY_INSERT), K(KEY_DELETE), K(KEY_MUTE),
    K(KEY_VOLUMEDOWN), K(KEY_VOLUMEUP), K(KEY_POWER), K(KEY_PAUSE),
    K(KEY_LEFTMETA), K(KEY_RIGHTMETA), K(KEY_COMPOSE), K(KEY_SLEEP),
    K(KEY_WAKEUP),
};

/* KEY as a key code: a number (decimal or 0x hex), or for the linux set
 * a KEY_* name. -1 if it is neither. */
static long
guestKeycode(const char *key, int set)
{
    char *end;
    long code;

    if (set == VIR_KEYCODE_SET_LINUX) {
        for (size_t i = 0; i < sizeof(linuxKeys) / sizeof(*linuxKeys); i++) {
            if (strcasecmp(key, linuxKeys[i].name) == 0)
                return (long)linuxKeys[i].code;
        }
    }
    errno = 0;
    code = strtol(key, &end, 0);
    if (!*key || *end || errno || code < 0 || code > 0xffff)
        return -1;
    return code;
}

static int
guestSendKey(Ctx *ctx)
{
    const char *setName = cmdtabString(ctx, "codeset");
    unsigned int codes[CMD_MAX_MULTI];
    int set = VIR_KEYCODE_SET_LINUX, hold = 0;

    if (setName) {
        for (set = 0; set < KEYCODE_SETS; set++) {
            if (keycodeSets[set] && strcmp(setName, keycodeSets[set]) == 0)
                break;
        }
        if (strcmp(setName, "rfb") == 0) {
            set = VIR_KEYCODE_SET_RFB;
        } else if (set == KEYCODE_SETS) {
            errorsUsage(ctx->cmd, "unknown codeset '%s'", setName);
            return EXIT_USAGE;
        }
    }
    cmdtabInt(ctx, "holdtime", &hold);
    for (size_t i = 0; i < ctx->nmulti; i++) {
        long code = guestKeycode(ctx->multi[i], set);

        if (code < 0) {
            errorsUsage(ctx->cmd, "invalid keycode '%s' for codeset '%s'",
                        ctx->multi[i], keycodeSets[set]);
            return EXIT_USAGE;
        }
        codes[i] = (unsigned int)code;
    }
    if (virDomainSendKey(ctx->dom, (unsigned int)set, (unsigned int)hold,
                         codes, (int)ctx->nmulti, 0) < 0)
        return argsFail();
    outputDone(ctx, "%zu key%s sent to domain '%s'", ctx->nmulti,
               ctx->nmulti == 1 ? "" : "s", virDomainGetName(ctx->dom));
    return EXIT_OK;
}

static int
guestStreamSink(virStreamPtr st, const char *data, size_t nbytes,
                void *opaque)
{
    int fd = *(int *)opaque;
    size_t total = nbytes;

    (void)st;
    while (nbytes > 0) {
        ssize_t w = write(fd, data, nbytes);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        data += w;
        nbytes -= (size_t)w;
    }
    return (int)total;
}

/* virsh's default file name: DOMAIN-DATE.EXT, EXT from the format. */
static char *
guestScreenshotName(const Ctx *ctx, ImageFormat f)
{
    const char *ext = f == IMAGE_PNG ? "png" : f == IMAGE_PPM ? "ppm" : "img";
    time_t now = time(NULL);
    struct tm tm;
    char date[64];
    char *name;

    localtime_r(&now, &tm);
    strftime(date, sizeof(date), "%Y-%m-%d-%H:%M:%S", &tm);
    if (asprintf(&name, "%s-%s.%s", virDomainGetName(ctx->dom), date,
                 ext) < 0)
        abort();
    return name;
}

/* Receive ST into a new file PATH; -1 after printing the error (the file
 * is removed). */
static int
guestScreenshotSave(virStreamPtr st, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

    if (fd < 0) {
        errorsPrintf("cannot create '%s': %s", path, strerror(errno));
        virStreamAbort(st);
        return -1;
    }
    if (virStreamRecvAll(st, guestStreamSink, &fd) < 0) {
        if (virGetLastErrorCode() != VIR_ERR_OK)
            errorsReport();
        else
            errorsPrintf("cannot write '%s': %s", path, strerror(errno));
        goto error;
    }
    if (virStreamFinish(st) < 0) {
        errorsReport();
        goto error;
    }
    if (close(fd) < 0) {
        errorsPrintf("cannot write '%s': %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;

 error:
    close(fd);
    unlink(path);
    return -1;
}

/* Rewrite the image in PATH from format FROM to format TO; -1 after
 * printing the error (the file is removed). */
static int
guestScreenshotConvert(const char *path, ImageFormat from, ImageFormat to)
{
    unsigned char *in = NULL, *out = NULL;
    size_t inLen = 0, outLen = 0;
    const char *why = NULL;
    FILE *f = NULL;
    int ret = -1;

    if (!(f = fopen(path, "rb"))) {
        errorsPrintf("cannot read '%s': %s", path, strerror(errno));
        goto cleanup;
    }
    for (;;) {
        size_t n;

        in = realloc(in, inLen + 65536);
        if (!in)
            abort();
        if ((n = fread(in + inLen, 1, 65536, f)) == 0)
            break;
        inLen += n;
    }
    fclose(f);
    f = NULL;
    if ((from == IMAGE_PPM ? imagePpmToPng(in, inLen, &out, &outLen, &why)
                           : imagePngToPpm(in, inLen, &out, &outLen, &why)) < 0) {
        errorsPrintf("cannot convert the screenshot from %s to %s: %s",
                     imageFormatMime(from), imageFormatMime(to), why);
        goto cleanup;
    }
    if (!(f = fopen(path, "wb")) || fwrite(out, 1, outLen, f) != outLen ||
        fclose(f) != 0) {
        f = NULL;
        errorsPrintf("cannot write '%s': %s", path, strerror(errno));
        goto cleanup;
    }
    f = NULL;
    ret = 0;
 cleanup:
    if (f)
        fclose(f);
    if (ret < 0)
        unlink(path);
    free(in);
    free(out);
    return ret;
}

/* The format --format names into *F (IMAGE_OTHER: none given); -1 after
 * a usage error when it is neither png nor ppm. */
static int
guestScreenshotFormat(const Ctx *ctx, ImageFormat *f)
{
    const char *name = cmdtabString(ctx, "format");

    *f = IMAGE_OTHER;
    if (!name)
        return 0;
    if (strcasecmp(name, "png") == 0)
        *f = IMAGE_PNG;
    else if (strcasecmp(name, "ppm") == 0)
        *f = IMAGE_PPM;
    else
        return errorsUsage(ctx->cmd, "unknown image format '%s' (png or "
                           "ppm)", name);
    return 0;
}

static int
guestScreenshot(Ctx *ctx)
{
    const char *file = cmdtabString(ctx, "file");
    virStreamPtr st = NULL;
    char *mime = NULL, *path = NULL;
    ImageFormat got, want;
    int screen = 0, ret = EXIT_FAIL;

    cmdtabInt(ctx, "screen", &screen);
    if (guestScreenshotFormat(ctx, &want) < 0)
        return EXIT_USAGE;
    if (want == IMAGE_OTHER && file)
        want = imageFormatOfName(file);
    if (!(st = virStreamNew(ctx->conn, 0)))
        return argsFail();
    if (!(mime = virDomainScreenshot(ctx->dom, st, (unsigned int)screen, 0))) {
        errorsReport();
        goto cleanup;
    }
    got = imageFormatOfMime(mime);
    if (want == IMAGE_OTHER)
        want = got;
    if (want != got && got == IMAGE_OTHER) {
        virStreamAbort(st);
        errorsPrintf("cannot convert a screenshot of type %s to %s", mime,
                     imageFormatMime(want));
        goto cleanup;
    }
    if (!file)
        file = path = guestScreenshotName(ctx, want);
    if (guestScreenshotSave(st, file) < 0 ||
        (want != got && guestScreenshotConvert(file, got, want) < 0))
        goto cleanup;
    if (want != got) {
        free(mime);
        mime = strdup(imageFormatMime(want));
    }
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "file", json_object_new_string(file));
        json_object_object_add(obj, "mime_type", json_object_new_string(mime));
        outputJSON(obj);
    } else {
        printf("Screenshot saved to %s, with type of %s\n", file, mime);
    }
    ret = EXIT_OK;

 cleanup:
    virStreamFree(st);
    free(mime);
    free(path);
    return ret;
}

static int
guestInjectNMI(Ctx *ctx)
{
    if (virDomainInjectNMI(ctx->dom, 0) < 0)
        return argsFail();
    outputDone(ctx, "NMI injected into domain '%s'",
               virDomainGetName(ctx->dom));
    return EXIT_OK;
}

static int
guestTimeShow(const Ctx *ctx)
{
    long long secs;
    unsigned int nsecs;
    char buf[64];

    if (virDomainGetTime(ctx->dom, &secs, &nsecs, 0) < 0)
        return argsFail();
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "seconds", json_object_new_int64(secs));
        json_object_object_add(obj, "nseconds", json_object_new_int64(nsecs));
        return outputJSON(obj);
    }
    if (cmdtabBool(ctx, "pretty")) {
        time_t t = (time_t)secs;
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
        printf("Time: %s\n", buf);
    } else {
        printf("Time: %lld\n", secs);
    }
    return EXIT_OK;
}

static int
guestDomtime(Ctx *ctx)
{
    bool now = cmdtabBool(ctx, "now");
    bool sync = cmdtabBool(ctx, "sync");
    const char *time_ = cmdtabString(ctx, "time");
    long long secs = 0;
    unsigned int nsecs = 0;

    if (now + sync + (time_ != NULL) > 1) {
        errorsUsage(ctx->cmd, "give one of --now, --sync and --time");
        return EXIT_USAGE;
    }
    if (!now && !sync && !time_)
        return guestTimeShow(ctx);
    if (ctx->json || cmdtabBool(ctx, "pretty")) {
        errorsUsage(ctx->cmd, "--json and --pretty go with reading the "
                    "time only");
        return EXIT_USAGE;
    }
    if (now) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        secs = ts.tv_sec;
        nsecs = (unsigned int)ts.tv_nsec;
    } else if (time_) {
        char *end;

        errno = 0;
        secs = strtoll(time_, &end, 10);
        if (!*time_ || *end || errno) {
            errorsUsage(ctx->cmd, "--time wants seconds since the epoch, "
                        "not '%s'", time_);
            return EXIT_USAGE;
        }
    }
    if (virDomainSetTime(ctx->dom, secs, nsecs,
                         sync ? VIR_DOMAIN_TIME_SYNC : 0) < 0)
        return argsFail();
    outputDone(ctx, "Time of domain '%s' set", virDomainGetName(ctx->dom));
    return EXIT_OK;
}

/* domfsfreeze and domfsthaw. */
static int
guestFreezeThaw(Ctx *ctx, bool freeze)
{
    const char *mp = cmdtabString(ctx, "mountpoint");
    const char *mps[1] = { mp };
    int n;

    if (freeze)
        n = virDomainFSFreeze(ctx->dom, mp ? mps : NULL, mp ? 1 : 0, 0);
    else
        n = virDomainFSThaw(ctx->dom, mp ? mps : NULL, mp ? 1 : 0, 0);
    if (n < 0)
        return argsFail();
    outputDone(ctx, "%s %d filesystem(s)", freeze ? "Froze" : "Thawed", n);
    return EXIT_OK;
}

static int
guestFSFreeze(Ctx *ctx)
{
    return guestFreezeThaw(ctx, true);
}

static int
guestFSThaw(Ctx *ctx)
{
    return guestFreezeThaw(ctx, false);
}

static int
guestFSTrim(Ctx *ctx)
{
    unsigned long long minimum = 0;

    if (argsScaled(ctx, "minimum", 1, &minimum) < 0)
        return EXIT_USAGE;
    if (virDomainFSTrim(ctx->dom, cmdtabString(ctx, "mountpoint"), minimum,
                        0) < 0)
        return argsFail();
    outputDone(ctx, "File systems of domain '%s' trimmed",
               virDomainGetName(ctx->dom));
    return EXIT_OK;
}

static void
guestFSInfoAdd(const Ctx *ctx, virDomainFSInfoPtr fs, OutputTable *t,
               json_object *array)
{
    char *targets = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&targets, &len);
    json_object *list = json_object_new_array();
    const char *row[4];

    if (!fp)
        abort();
    for (size_t d = 0; d < fs->ndevAlias; d++) {
        fprintf(fp, "%s%s", d ? "," : "", fs->devAlias[d]);
        json_object_array_add(list, json_object_new_string(fs->devAlias[d]));
    }
    fclose(fp);
    if (ctx->json) {
        json_object *o = json_object_new_object();

        json_object_object_add(o, "mountpoint",
                               argsStringJSON(fs->mountpoint));
        json_object_object_add(o, "name", argsStringJSON(fs->name));
        json_object_object_add(o, "type", argsStringJSON(fs->fstype));
        json_object_object_add(o, "targets", list);
        json_object_array_add(array, o);
    } else {
        json_object_put(list);
        row[0] = fs->mountpoint;
        row[1] = fs->name;
        row[2] = fs->fstype;
        row[3] = targets;
        outputTableAdd(t, row);
    }
    free(targets);
}

static int
guestFSInfo(Ctx *ctx)
{
    static const char *const headers[] = {
        "Mountpoint", "Name", "Type", "Target",
    };
    virDomainFSInfoPtr *info = NULL;
    OutputTable *t = NULL;
    json_object *array = NULL;
    int n;

    if ((n = virDomainGetFSInfo(ctx->dom, &info, 0)) < 0)
        return argsFail();
    if (ctx->json)
        array = json_object_new_array();
    else
        t = outputTableNew(4, headers);
    for (int i = 0; i < n; i++) {
        guestFSInfoAdd(ctx, info[i], t, array);
        virDomainFSInfoFree(info[i]);
    }
    free(info);
    if (array) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "filesystems", array);
        outputJSON(obj);
    } else {
        outputTablePrint(t);
        outputTableFree(t);
    }
    return EXIT_OK;
}

static const char *
guestAddrType(int type)
{
    return type == VIR_IP_ADDR_TYPE_IPV4 ? "ipv4" :
           type == VIR_IP_ADDR_TYPE_IPV6 ? "ipv6" : "unknown";
}

static void
guestIfaddrAdd(const Ctx *ctx, virDomainInterfacePtr iface, OutputTable *t,
               json_object *array)
{
    json_object *addrs = NULL, *o;

    if (ctx->json) {
        o = json_object_new_object();
        addrs = json_object_new_array();
        json_object_object_add(o, "name", argsStringJSON(iface->name));
        json_object_object_add(o, "hwaddr", argsStringJSON(iface->hwaddr));
        json_object_object_add(o, "addrs", addrs);
        json_object_array_add(array, o);
    }
    for (unsigned int a = 0; a < iface->naddrs; a++) {
        virDomainIPAddressPtr ip = &iface->addrs[a];
        bool full = a == 0 || cmdtabBool(ctx, "full");
        char addr[256];
        const char *row[4];

        if (addrs) {
            o = json_object_new_object();
            json_object_object_add(o, "type", json_object_new_string(
                guestAddrType(ip->type)));
            json_object_object_add(o, "addr", argsStringJSON(ip->addr));
            json_object_object_add(o, "prefix",
                                   json_object_new_int(ip->prefix));
            json_object_array_add(addrs, o);
            continue;
        }
        snprintf(addr, sizeof(addr), "%s/%u", ip->addr ? ip->addr : "",
                 ip->prefix);
        row[0] = full ? iface->name : "-";
        row[1] = full && iface->hwaddr ? iface->hwaddr : "-";
        row[2] = guestAddrType(ip->type);
        row[3] = addr;
        outputTableAdd(t, row);
    }
    if (!addrs && iface->naddrs == 0) {
        const char *row[4] = {
            iface->name, iface->hwaddr ? iface->hwaddr : "-", "N/A", "N/A",
        };

        outputTableAdd(t, row);
    }
}

static int
guestIfaddr(Ctx *ctx)
{
    static const char *const headers[] = {
        "Name", "MAC address", "Protocol", "Address",
    };
    static const char *const sources[] = { "lease", "agent", "arp" };
    const char *src = cmdtabString(ctx, "source");
    const char *only = cmdtabString(ctx, "interface");
    virDomainInterfacePtr *ifaces = NULL;
    OutputTable *t = NULL;
    json_object *array = NULL;
    int source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, n;

    if (src) {
        for (source = 0; source < 3; source++) {
            if (strcmp(src, sources[source]) == 0)
                break;
        }
        if (source == 3) {
            errorsUsage(ctx->cmd, "unknown source '%s'", src);
            return EXIT_USAGE;
        }
    }
    if ((n = virDomainInterfaceAddresses(ctx->dom, &ifaces,
                                         (unsigned int)source, 0)) < 0)
        return argsFail();
    if (ctx->json)
        array = json_object_new_array();
    else
        t = outputTableNew(4, headers);
    for (int i = 0; i < n; i++) {
        if (!only || (ifaces[i]->name && strcmp(only, ifaces[i]->name) == 0))
            guestIfaddrAdd(ctx, ifaces[i], t, array);
        virDomainInterfaceFree(ifaces[i]);
    }
    free(ifaces);
    if (array) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "interfaces", array);
        outputJSON(obj);
    } else {
        outputTablePrint(t);
        outputTableFree(t);
    }
    return EXIT_OK;
}

static int
guestSetUserPassword(Ctx *ctx)
{
    const char *user = cmdtabString(ctx, "user");
    unsigned int flags = cmdtabBool(ctx, "encrypted") ?
                         VIR_DOMAIN_PASSWORD_ENCRYPTED : 0;

    if (virDomainSetUserPassword(ctx->dom, user,
                                 cmdtabString(ctx, "password"), flags) < 0)
        return argsFail();
    outputDone(ctx, "Password of user '%s' of domain '%s' set", user,
               virDomainGetName(ctx->dom));
    return EXIT_OK;
}

static int
guestHostname(Ctx *ctx)
{
    const char *src = cmdtabString(ctx, "source");
    unsigned int flags = 0;
    char *name;

    if (src && strcmp(src, "agent") == 0) {
        flags = VIR_DOMAIN_GET_HOSTNAME_AGENT;
    } else if (src && strcmp(src, "lease") == 0) {
        flags = VIR_DOMAIN_GET_HOSTNAME_LEASE;
    } else if (src) {
        errorsUsage(ctx->cmd, "unknown source '%s'", src);
        return EXIT_USAGE;
    }
    if (!(name = virDomainGetHostname(ctx->dom, flags)))
        return argsFail();
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "hostname", json_object_new_string(name));
        outputJSON(obj);
    } else {
        printf("%s\n", name);
    }
    free(name);
    return EXIT_OK;
}

static const CmdOpt optsSendKey[] = {
    { "keycode", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL | OPT_MULTI,
      "KEY", "key codes (numbers), or for linux KEY_* names; up to 16, "
      "pressed together" },
    { "codeset", OPT_STRING, 0, "CODESET",
      "linux (the default), xt, atset1, atset2, atset3, os_x, xt_kbd, "
      "win32, usb, rfb or qnum" },
    { "holdtime", OPT_INT, 0, "MS", "how long to hold the keys" },
    { NULL },
};

static const CmdOpt optsScreenshot[] = {
    { "file", OPT_STRING, OPT_POSITIONAL, "FILE",
      "where to write the image (default: DOMAIN-DATE.EXT here)" },
    { "screen", OPT_INT, 0, "N", "the screen to capture (default 0)" },
    { "format", OPT_STRING, 0, "FMT",
      "png or ppm (default: from FILE's extension, else as the driver "
      "sends it), converting when needed" },
    { NULL },
};

static const CmdOpt optsDomtime[] = {
    { "now", OPT_BOOL, 0, NULL, "set the guest's clock to the host's" },
    { "sync", OPT_BOOL, 0, NULL,
      "have the guest resynchronize its clock from its hardware clock" },
    { "time", OPT_STRING, 0, "SECONDS",
      "set the guest's clock to seconds since the epoch" },
    { "pretty", OPT_BOOL, 0, NULL, "print the time as a UTC date" },
    { NULL },
};

static const CmdOpt optsMountpoint[] = {
    { "mountpoint", OPT_STRING, 0, "PATH",
      "only this file system (default: all)" },
    { NULL },
};

static const CmdOpt optsFSTrim[] = {
    { "minimum", OPT_STRING, 0, "BYTES",
      "skip free ranges smaller than this" },
    { "mountpoint", OPT_STRING, 0, "PATH",
      "only this file system (default: all)" },
    { NULL },
};

static const CmdOpt optsIfaddr[] = {
    { "interface", OPT_STRING, OPT_POSITIONAL, "INTERFACE",
      "only this interface (the guest's name for it)" },
    { "full", OPT_BOOL, 0, NULL,
      "repeat name and MAC address on every line" },
    { "source", OPT_STRING, 0, "SOURCE",
      "lease (DHCP leases, the default), agent or arp" },
    { NULL },
};

static const CmdOpt optsSetUserPassword[] = {
    { "user", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "USER",
      "the guest user" },
    { "password", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "PASSWORD",
      "the new password" },
    { "encrypted", OPT_BOOL, 0, NULL, "PASSWORD is already encrypted" },
    { NULL },
};

static const CmdOpt optsHostname[] = {
    { "source", OPT_STRING, 0, "SOURCE",
      "agent or lease (default: the driver's choice)" },
    { NULL },
};

const Cmd guestCommands[] = {
    { "send-key", G_GUEST, guestSendKey, optsSendKey, CMD_DOMAIN,
      "send keystrokes to a domain",
      "Press the keys together, as one combination, on the guest's "
      "keyboard." },
    { "screenshot", G_GUEST, guestScreenshot, optsScreenshot,
      CMD_DOMAIN | CMD_QUERY,
      "save an image of a domain's screen",
      "Save the guest's screen to FILE and print its name and MIME "
      "type." },
    { "inject-nmi", G_GUEST, guestInjectNMI, NULL, CMD_DOMAIN,
      "send a non-maskable interrupt to a domain",
      "Inject an NMI into the guest." },
    { "domtime", G_GUEST, guestDomtime, optsDomtime, CMD_DOMAIN | CMD_QUERY,
      "show or set a domain's clock",
      "Print the guest's time in seconds since the epoch (guest agent); "
      "--now, --sync or --time set it instead." },
    { "domfsfreeze", G_GUEST, guestFSFreeze, optsMountpoint, CMD_DOMAIN,
      "freeze a domain's file systems",
      "Ask the guest agent to flush and freeze the file systems, for a "
      "consistent backup." },
    { "domfsthaw", G_GUEST, guestFSThaw, optsMountpoint, CMD_DOMAIN,
      "thaw a domain's file systems",
      "Ask the guest agent to thaw frozen file systems." },
    { "domfstrim", G_GUEST, guestFSTrim, optsFSTrim, CMD_DOMAIN,
      "discard unused blocks of a domain's file systems",
      "Ask the guest agent to trim the file systems." },
    { "domfsinfo", G_GUEST, guestFSInfo, NULL, CMD_DOMAIN | CMD_QUERY,
      "list a domain's mounted file systems",
      "Print the guest's mounted file systems: mount point, device, type "
      "and the domain's disks they live on." },
    { "domifaddr", G_GUEST, guestIfaddr, optsIfaddr, CMD_DOMAIN | CMD_QUERY,
      "show a domain's IP addresses",
      "Print the addresses of the guest's interfaces, from DHCP leases, "
      "the guest agent or the host's ARP table." },
    { "set-user-password", G_GUEST, guestSetUserPassword,
      optsSetUserPassword, CMD_DOMAIN,
      "set a guest user's password",
      "Change the password of a user in the guest (guest agent)." },
    { "domhostname", G_GUEST, guestHostname, optsHostname,
      CMD_DOMAIN | CMD_QUERY,
      "print a domain's host name",
      "Print the guest's host name." },
    { NULL },
};
