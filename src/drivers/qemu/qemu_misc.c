/* qemu_misc.c: the QEMU driver's odds and ends: NMI, keys, screenshots,
 * memory peek, metadata, rename, security labels, channels, VNC clients,
 * raw monitor commands */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_guest.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "fdstream.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define AFFECT_FLAGS (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

/* DOM's record, locked, with a job begun and (ACTIVE) running; NULL with
 * an error. Finish with miscJobEnd. */
static QemuDom *
miscJobBegin(virDomainPtr dom, bool active)
{
    QemuDom *d = qemuDomGet(dom);

    if (!d)
        return NULL;
    if (qemuDomBeginJob(d) < 0) {
        qemuDomRelease(d);
        return NULL;
    }
    if (active && qemuDomCheckActive(d) < 0) {
        qemuDomEndJob(d);
        qemuDomRelease(d);
        return NULL;
    }
    return d;
}

static void
miscJobEnd(QemuDom *d)
{
    qemuDomEndJob(d);
    qemuDomRelease(d);
}

/* ---- NMI, keys, signals ---- */

static int
miscNmi(Qmp *mon, void *opaque)
{
    (void)opaque;
    return qmpInjectNmi(mon);
}

static int
qemuDomainInjectNMI(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0 ||
        !(d = miscJobBegin(dom, true)))
        return -1;
    ret = qemuGuestMonitor(d, miscNmi, NULL);
    miscJobEnd(d);
    return ret;
}

typedef struct {
    QmpKey keys[VIR_DOMAIN_SEND_KEY_MAX_KEYS];
    size_t n;
    int hold;
} MiscKeys;

static int
miscSendKey(Qmp *mon, void *opaque)
{
    MiscKeys *k = opaque;

    return qmpSendKey(mon, k->keys, k->n, k->hold);
}

static int
qemuDomainSendKey(virDomainPtr dom, unsigned int codeset,
                  unsigned int holdtime, unsigned int *keycodes,
                  int nkeycodes, unsigned int flags)
{
    MiscKeys k = { .n = 0, .hold = (int)holdtime };
    QemuDom *d;
    int ret;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0)
        return -1;
    if (codeset >= VIR_KEYCODE_SET_LAST) {
        reportError(VIR_ERR_INVALID_ARG, "unknown keycode set %u", codeset);
        return -1;
    }
    if (nkeycodes <= 0 || nkeycodes > VIR_DOMAIN_SEND_KEY_MAX_KEYS) {
        reportError(VIR_ERR_INVALID_ARG, "between 1 and %d keys can be "
                    "sent at once, not %d", VIR_DOMAIN_SEND_KEY_MAX_KEYS,
                    nkeycodes);
        return -1;
    }
    for (int i = 0; i < nkeycodes; i++) {
        if (qemuKeycodeTranslate(codeset, keycodes[i], &k.keys[i].qcode,
                                 &k.keys[i].number) < 0) {
            reportError(VIR_ERR_INVALID_ARG, "keycode %u of set %u has no "
                        "QEMU equivalent", keycodes[i], codeset);
            return -1;
        }
        k.n++;
    }
    if (!(d = miscJobBegin(dom, true)))
        return -1;
    ret = qemuGuestMonitor(d, miscSendKey, &k);
    miscJobEnd(d);
    return ret;
}

static int
qemuDomainSendProcessSignal(virDomainPtr dom, long long pid_value,
                            unsigned int signum, unsigned int flags)
{
    (void)dom;
    (void)pid_value;
    (void)signum;
    (void)flags;
    reportError(VIR_ERR_NO_SUPPORT, "sending a signal to a guest process "
                "is not possible with QEMU: the guest agent has no command "
                "for it");
    return -1;
}

/* ---- screenshot, memory peek: QEMU writes a file we read back ---- */

/* A fresh empty file under D's root for QEMU to write (caller unlinks
 * and frees), or NULL with an error. */
static char *
miscTempFile(QemuDom *d, const char *what)
{
    char *path = allocPrintf("%s/run/%s.%s-XXXXXX", d->drv->root,
                             d->def->name, what);
    int fd = mkstemp(path);

    if (fd < 0) {
        reportSystemError(errno, "cannot create a temporary file '%s'", path);
        free(path);
        return NULL;
    }
    close(fd);
    return path;
}

typedef struct {
    const char *path;
    const char *device;
    const char *format;         /* screendump's; NULL: PPM */
    unsigned long long start, size;
    bool physical;
} MiscDump;

/* PNG, as libvirt asks of a QEMU whose screendump has 'format' (7.1 and
 * later); PPM from one that refuses it (older, or built without libpng). */
static int
miscScreendump(Qmp *mon, void *opaque)
{
    MiscDump *m = opaque;

    m->format = "png";
    if (qmpScreendump(mon, m->path, m->device, m->format) == 0)
        return 0;
    logDebug("qemu", "screendump as PNG failed (%s), asking for PPM",
             errorLast()->message ? errorLast()->message : "");
    errorReset();
    m->format = NULL;
    return qmpScreendump(mon, m->path, m->device, NULL);
}

static char *
qemuDomainScreenshot(virDomainPtr dom, virStreamPtr st, unsigned int screen,
                     unsigned int flags)
{
    MiscDump m = { NULL, NULL, NULL, 0, 0, false };
    char *path = NULL, *mime = NULL;
    QemuDom *d;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0 ||
        !(d = miscJobBegin(dom, true)))
        return NULL;
    if (d->def->nvideos == 0 || (d->def->videos[0]->model &&
                                 strcmp(d->def->videos[0]->model,
                                        "none") == 0)) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' has no video "
                    "device to take a screenshot of", d->def->name);
        goto cleanup;
    }
    if (screen >= d->def->nvideos) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no screen %u (it "
                    "has %zu)", d->def->name, screen, d->def->nvideos);
        goto cleanup;
    }
    if (screen > 0)
        m.device = d->def->videos[screen]->info.alias;
    if (!(path = miscTempFile(d, "screen")))
        goto cleanup;
    m.path = path;
    if (qemuGuestMonitor(d, miscScreendump, &m) < 0 ||
        fdStreamOpenFile(st, path, O_RDONLY) < 0)
        goto cleanup;
    mime = allocStrdup(m.format ? "image/png" : "image/x-portable-pixmap");
 cleanup:
    if (path)
        unlink(path);
    free(path);
    miscJobEnd(d);
    return mime;
}

static int
miscMemsave(Qmp *mon, void *opaque)
{
    MiscDump *m = opaque;

    if (m->physical)
        return qmpPmemsave(mon, m->start, m->size, m->path);
    return qmpMemsave(mon, m->start, m->size, m->path, -1);
}

/* Read SIZE bytes of PATH into BUF. 0 or -1. */
static int
miscReadAll(const char *path, void *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t got = 0;

    if (fd < 0) {
        reportSystemError(errno, "cannot open '%s'", path);
        return -1;
    }
    while (got < size) {
        ssize_t n = read(fd, (char *)buf + got, size - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0)
                reportSystemError(errno, "cannot read '%s'", path);
            else
                reportError(VIR_ERR_OPERATION_FAILED, "QEMU wrote %zu of "
                            "%zu bytes to '%s'", got, size, path);
            close(fd);
            return -1;
        }
        got += (size_t)n;
    }
    close(fd);
    return 0;
}

static int
qemuDomainMemoryPeek(virDomainPtr dom, unsigned long long start,
                     size_t size, void *buffer, unsigned int flags)
{
    MiscDump m = { NULL, NULL, NULL, start, size, false };
    unsigned int kind = flags & (VIR_MEMORY_VIRTUAL | VIR_MEMORY_PHYSICAL);
    char *path = NULL;
    QemuDom *d;
    int ret = -1;

    if (qemuGuestCheckFlags(flags, VIR_MEMORY_VIRTUAL | VIR_MEMORY_PHYSICAL,
                            __func__) < 0)
        return -1;
    if (kind != VIR_MEMORY_VIRTUAL && kind != VIR_MEMORY_PHYSICAL) {
        reportError(VIR_ERR_INVALID_ARG, "flags must be exactly one of "
                    "VIR_MEMORY_VIRTUAL and VIR_MEMORY_PHYSICAL");
        return -1;
    }
    m.physical = kind == VIR_MEMORY_PHYSICAL;
    if (!(d = miscJobBegin(dom, true)))
        return -1;
    if (!(path = miscTempFile(d, "peek")))
        goto cleanup;
    m.path = path;
    if (size > 0 && (qemuGuestMonitor(d, miscMemsave, &m) < 0 ||
                     miscReadAll(path, buffer, size) < 0))
        goto cleanup;
    ret = 0;
 cleanup:
    if (path)
        unlink(path);
    free(path);
    miscJobEnd(d);
    return ret;
}

/* ---- metadata ---- */

/* The definitions FLAGS (AFFECT_*) name on D: *LIVE and/or *CONFIG (NULL
 * when not affected). 0 or -1 with an error. */
static int
miscAffect(QemuDom *d, unsigned int flags, DomainDef **live,
           DomainDef **config)
{
    bool active = qemuDomIsActive(d);

    *live = *config = NULL;
    if (!(flags & AFFECT_FLAGS))
        flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if (flags & VIR_DOMAIN_AFFECT_LIVE) {
        if (!active) {
            reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not "
                        "running", d->def->name);
            return -1;
        }
        *live = d->def;
    }
    if (flags & VIR_DOMAIN_AFFECT_CONFIG) {
        if (!d->persistent) {
            reportError(VIR_ERR_OPERATION_INVALID, "transient domain '%s' "
                        "has no persistent configuration", d->def->name);
            return -1;
        }
        *config = active ? d->newDef : d->def;
        if (!*config) {
            reportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' has lost its "
                        "persistent definition", d->def->name);
            return -1;
        }
    }
    return 0;
}

static int
qemuDomainSetMetadata(virDomainPtr dom, int type, const char *metadata,
                      const char *key, const char *uri, unsigned int flags)
{
    DomainDef *live, *config;
    DomainEvent *ev;
    QemuDom *d;
    int ret = -1;

    if (qemuGuestCheckFlags(flags, AFFECT_FLAGS, __func__) < 0 ||
        domainMetadataCheckArgs(type, metadata, key, uri, true) < 0 ||
        !(d = miscJobBegin(dom, false)))
        return -1;
    /* the first change validates the XML: the second cannot fail then */
    if (miscAffect(d, flags, &live, &config) < 0 ||
        domainMetadataApply(config, type, metadata, key, uri) < 0 ||
        domainMetadataApply(live, type, metadata, key, uri) < 0)
        goto cleanup;
    if (config && qemuStateSaveConfig(d->drv, config) < 0)
        goto cleanup;
    if (live && qemuStateSaveStatus(d->drv, d) < 0)
        goto cleanup;
    if ((ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_METADATA_CHANGE))) {
        ev->i1 = type;
        ev->s1 = uri ? allocStrdup(uri) : NULL;
        domainEventQueue(ev);
    }
    ret = 0;
 cleanup:
    miscJobEnd(d);
    return ret;
}

static char *
qemuDomainGetMetadata(virDomainPtr dom, int type, const char *uri,
                      unsigned int flags)
{
    DomainDef *live, *config, *def;
    const char *text;
    QemuDom *d;
    char *ret = NULL;

    if (qemuGuestCheckFlags(flags, AFFECT_FLAGS, __func__) < 0 ||
        domainMetadataCheckArgs(type, NULL, NULL, uri, false) < 0)
        return NULL;
    if ((flags & AFFECT_FLAGS) == AFFECT_FLAGS) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'live' and 'config' are "
                    "mutually exclusive");
        return NULL;
    }
    if (!(d = qemuDomGet(dom)))
        return NULL;
    if (miscAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    def = live ? live : config;
    if (type == VIR_DOMAIN_METADATA_ELEMENT) {
        ret = domainMetadataGet(def, uri);
        goto cleanup;
    }
    text = type == VIR_DOMAIN_METADATA_TITLE ? def->title : def->description;
    if (!text)
        reportError(VIR_ERR_NO_DOMAIN_METADATA, "domain '%s' has no %s",
                    d->def->name, type == VIR_DOMAIN_METADATA_TITLE ?
                    "title" : "description");
    else
        ret = allocStrdup(text);
 cleanup:
    qemuDomRelease(d);
    return ret;
}

/* ---- rename ---- */

/* Move ROOT/DIR/OLDEXT to ROOT/DIR/NEWEXT when it exists. 0 or -1. */
static int
miscMove(QemuDriver *drv, const char *dir, const char *from, const char *to,
         const char *ext)
{
    char *a = qemuStatePath(drv, dir, from, ext);
    char *b = qemuStatePath(drv, dir, to, ext);
    int ret = 0;

    if (rename(a, b) < 0 && errno != ENOENT) {
        reportSystemError(errno, "cannot rename '%s' to '%s'", a, b);
        ret = -1;
    }
    free(a);
    free(b);
    return ret;
}

static int
miscRenameCheck(QemuDom *d, const char *name)
{
    const char *why = NULL;

    if (qemuDomIsActive(d))
        why = "it is running";
    else if (!d->persistent)
        why = "it is transient";
    else if (strcmp(d->def->name, name) == 0)
        why = "that is its name already";
    if (why) {
        reportError(VIR_ERR_OPERATION_INVALID, "cannot rename domain '%s': "
                    "%s", d->def->name, why);
        return -1;
    }
    if (!*name || strchr(name, '/')) {
        reportError(VIR_ERR_INVALID_ARG, "invalid domain name '%s'", name);
        return -1;
    }
    if (qemuDomFindByName(d->drv, name)) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain with name '%s' "
                    "already exists", name);
        return -1;
    }
    return 0;
}

static int
qemuDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags)
{
    QemuDriver *drv;
    DomainDef *def = NULL;
    QemuDom *d;
    char *old = NULL;
    int ret = -1;

    if (qemuGuestCheckFlags(flags, 0, __func__) < 0 ||
        !(d = miscJobBegin(dom, false)))
        return -1;
    drv = d->drv;
    if (miscRenameCheck(d, new_name) < 0 || !(def = domainDefCopy(d->def)))
        goto cleanup;
    free(def->name);
    def->name = allocStrdup(new_name);
    /* the new file first: a crash leaves two copies, never none */
    if (qemuStateSaveConfig(drv, def) < 0 ||
        miscMove(drv, "snapshot", d->def->name, new_name, "") < 0 ||
        miscMove(drv, "save", d->def->name, new_name, ".save") < 0 ||
        (d->autostart && qemuStateSetAutostart(drv, new_name, true) < 0))
        goto cleanup;
    if (qemuStateDeleteConfig(drv, d->def->name) < 0)
        errorReset();   /* the old name is gone from memory all the same */
    miscMove(drv, "log", d->def->name, new_name, ".log");
    errorReset();
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_UNDEFINED,
                          VIR_DOMAIN_EVENT_UNDEFINED_RENAMED);
    old = d->def->name;
    d->def->name = allocStrdup(new_name);
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_DEFINED,
                          VIR_DOMAIN_EVENT_DEFINED_RENAMED);
    domainSetName(dom, new_name);
    ret = 0;
 cleanup:
    free(old);
    domainDefFree(def);
    miscJobEnd(d);
    return ret;
}

/* ---- security labels: vireo runs QEMU without a security driver ---- */

static int
qemuDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    QemuDom *d = qemuDomGet(dom);

    if (!d)
        return -1;
    memset(seclabel, 0, sizeof(*seclabel));
    qemuDomRelease(d);
    return 0;
}

static int
qemuDomainGetSecurityLabelList(virDomainPtr dom,
                               virSecurityLabelPtr *seclabels)
{
    QemuDom *d = qemuDomGet(dom);
    int ret = 0;

    if (!d)
        return -1;
    *seclabels = NULL;
    /* one (empty) label from the "none" model while running */
    if (qemuDomIsActive(d)) {
        *seclabels = allocArray(1, sizeof(**seclabels));
        ret = 1;
    }
    qemuDomRelease(d);
    return ret;
}

static int
qemuNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    (void)conn;
    memset(secmodel, 0, sizeof(*secmodel));
    snprintf(secmodel->model, sizeof(secmodel->model), "none");
    snprintf(secmodel->doi, sizeof(secmodel->doi), "0");
    return 0;
}

/* ---- channels ---- */

/* The channel of DEF called NAME (alias or target name; NULL: the
 * first), or NULL. */
static const ChrDef *
miscChannelFind(const DomainDef *def, const char *name)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        const ChrDef *c = def->channels[i];

        if (!name || (c->info.alias && strcmp(c->info.alias, name) == 0) ||
            (c->targetName && strcmp(c->targetName, name) == 0))
            return c;
    }
    return NULL;
}

/* A connected stream socket to PATH, or -1 with an error. */
static int
miscConnect(const char *path, const char *what)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "socket path '%s' is too long",
                    path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        reportSystemError(errno, "cannot connect to %s at '%s'", what, path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int
qemuDomainOpenChannel(virDomainPtr dom, const char *name, virStreamPtr st,
                      unsigned int flags)
{
    const ChrDef *ch;
    QemuDom *d;
    char *path = NULL;
    int fd, ret = -1;

    if (qemuGuestCheckFlags(flags, VIR_DOMAIN_CHANNEL_FORCE, __func__) < 0 ||
        !(d = qemuDomGet(dom)))
        return -1;
    if (qemuDomCheckActive(d) < 0)
        goto cleanup;
    if (!(ch = miscChannelFind(d->def, name))) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no channel '%s'",
                    d->def->name, name ? name : "");
        goto cleanup;
    }
    if (ch == qemuAgentChannel(d->def)) {
        reportError(VIR_ERR_OPERATION_FAILED, "channel '%s' of domain '%s' "
                    "is in use by the guest agent client", QEMU_AGENT_PORT,
                    d->def->name);
        goto cleanup;
    }
    if (ch->type != CHR_TYPE_UNIX || !ch->srcPath ||
        (ch->srcMode && strcmp(ch->srcMode, "bind") != 0)) {
        reportError(VIR_ERR_OPERATION_INVALID, "channel '%s' of domain '%s' "
                    "is not a unix socket QEMU listens on", name ? name : "",
                    d->def->name);
        goto cleanup;
    }
    path = allocStrdup(ch->srcPath);
    qemuDomRelease(d);
    d = NULL;
    if ((fd = miscConnect(path, "the channel")) >= 0)
        ret = fdStreamOpen(st, fd);
 cleanup:
    free(path);
    if (d)
        qemuDomRelease(d);
    return ret;
}

/* ---- VNC clients ---- */

/* add_client: hand QEMU's fd FDNAME (from getfd) to display PROTOCOL. */
static int
miscQmpAddClient(Qmp *mon, const char *protocol, const char *fdname,
                 bool skipauth)
{
    json_object *cmd = qmpCommandNew("add_client", "s:protocol", protocol,
                                     "s:fdname", fdname, "b:skipauth",
                                     (int)skipauth, NULL);
    int ret;

    if (!cmd)
        return -1;
    ret = qmpCommandRun(mon, cmd, NULL, 0);
    json_object_put(cmd);
    return ret;
}

typedef struct {
    int fd;
    bool skipauth;
} MiscClient;

static int
miscAddClient(Qmp *mon, void *opaque)
{
    MiscClient *c = opaque;

    if (qmpGetfd(mon, "vireo-graphics", c->fd) < 0)
        return -1;
    if (miscQmpAddClient(mon, "vnc", "vireo-graphics", c->skipauth) < 0) {
        virErrorPtr err = errorSave();

        qmpClosefd(mon, "vireo-graphics");
        errorRestore(&err);
        return -1;
    }
    return 0;
}

/* Give QEMU FD (borrowed) as a client of D's graphics IDX. Lock held. */
static int
miscGraphicsAttach(QemuDom *d, unsigned int idx, int fd, unsigned int flags)
{
    MiscClient c = { fd, (flags & VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH) != 0 };

    if (qemuDomCheckActive(d) < 0)
        return -1;
    if (idx >= d->def->ngraphics) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no graphics device "
                    "%u", d->def->name, idx);
        return -1;
    }
    if (d->def->graphics[idx]->type != GRAPHICS_VNC) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "graphics device %u of "
                    "domain '%s' is not VNC", idx, d->def->name);
        return -1;
    }
    return qemuGuestMonitor(d, miscAddClient, &c);
}

static int
qemuDomainOpenGraphics(virDomainPtr dom, unsigned int idx, int fd,
                       unsigned int flags)
{
    QemuDom *d;
    int ret;

    if (qemuGuestCheckFlags(flags, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH,
                            __func__) < 0 ||
        !(d = miscJobBegin(dom, false)))
        return -1;
    ret = miscGraphicsAttach(d, idx, fd, flags);
    miscJobEnd(d);
    return ret;
}

static int
qemuDomainOpenGraphicsFD(virDomainPtr dom, unsigned int idx,
                         unsigned int flags)
{
    int pair[2];
    QemuDom *d;
    int ret;

    if (qemuGuestCheckFlags(flags, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH,
                            __func__) < 0)
        return -1;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
        reportSystemError(errno, "cannot create a socket pair");
        return -1;
    }
    if (!(d = miscJobBegin(dom, false))) {
        close(pair[0]);
        close(pair[1]);
        return -1;
    }
    ret = miscGraphicsAttach(d, idx, pair[1], flags);
    miscJobEnd(d);
    close(pair[1]);
    if (ret < 0) {
        close(pair[0]);
        return -1;
    }
    return pair[0];
}

/* ---- raw monitor commands ---- */

typedef struct {
    const char *text;
    bool hmp;
    char *result;
} MiscRaw;

static int
miscRaw(Qmp *mon, void *opaque)
{
    MiscRaw *r = opaque;
    json_object *cmd, *reply = NULL;
    int ret;

    if (r->hmp)
        return qmpHumanMonitorCommand(mon, r->text, &r->result);
    cmd = json_tokener_parse(r->text);
    if (!cmd || !json_object_is_type(cmd, json_type_object) ||
        !json_object_object_get(cmd, "execute")) {
        reportError(VIR_ERR_INVALID_ARG, "monitor command is not a JSON "
                    "object with 'execute': %s", r->text);
        json_object_put(cmd);
        return -1;
    }
    ret = qmpCommandRun(mon, cmd, &reply, 0);
    if (ret == 0) {
        /* the id we added to match the reply is ours, not the caller's */
        json_object_object_del(reply, "id");
        r->result = allocStrdup(json_object_to_json_string_ext(
                                    reply, JSON_C_TO_STRING_PLAIN));
    }
    json_object_put(reply);
    json_object_put(cmd);
    return ret;
}

static int
qemuDomainQemuMonitorCommand(virDomainPtr dom, const char *cmd,
                             char **result, unsigned int flags)
{
    MiscRaw r = { cmd, (flags & VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) != 0,
                  NULL };
    QemuDom *d;
    int ret;

    if (qemuGuestCheckFlags(flags, VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP,
                            __func__) < 0 ||
        !(d = miscJobBegin(dom, true)))
        return -1;
    logDebug("qemu", "domain '%s': pass-through monitor command %s",
             d->def->name, cmd);
    d->monPassthrough = true;
    ret = qemuGuestMonitor(d, miscRaw, &r);
    miscJobEnd(d);
    if (ret < 0) {
        free(r.result);
        return -1;
    }
    *result = r.result;
    return 0;
}

void
qemuMiscFill(Driver *drv)
{
    drv->domainInjectNMI = qemuDomainInjectNMI;
    drv->domainSendKey = qemuDomainSendKey;
    drv->domainSendProcessSignal = qemuDomainSendProcessSignal;
    drv->domainScreenshot = qemuDomainScreenshot;
    drv->domainMemoryPeek = qemuDomainMemoryPeek;
    drv->domainSetMetadata = qemuDomainSetMetadata;
    drv->domainGetMetadata = qemuDomainGetMetadata;
    drv->domainRename = qemuDomainRename;
    drv->domainGetSecurityLabel = qemuDomainGetSecurityLabel;
    drv->domainGetSecurityLabelList = qemuDomainGetSecurityLabelList;
    drv->nodeGetSecurityModel = qemuNodeGetSecurityModel;
    drv->domainOpenChannel = qemuDomainOpenChannel;
    drv->domainOpenGraphics = qemuDomainOpenGraphics;
    drv->domainOpenGraphicsFD = qemuDomainOpenGraphicsFD;
    drv->domainQemuMonitorCommand = qemuDomainQemuMonitorCommand;
}
