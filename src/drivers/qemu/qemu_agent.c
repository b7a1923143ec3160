/* qemu_agent.c: a client for the QEMU guest agent (qemu-ga), reached over
 * the unix socket QEMU serves for the org.qemu.guest_agent.0 port: one
 * connection per command, resynced with guest-sync-delimited first */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_guest.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* One exchange with the agent. */
typedef struct {
    int fd;
    const char *dom;            /* domain name, for messages */
    long long deadline;         /* CLOCK_MONOTONIC ms */
    char *buf;                  /* bytes read, not consumed yet */
    size_t len, cap;
} AgentConn;

static long long
agentNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const ChrDef *
qemuAgentChannel(const DomainDef *def)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        const ChrDef *c = def->channels[i];

        if (c->targetName && strcmp(c->targetName, QEMU_AGENT_PORT) == 0)
            return c;
    }
    return NULL;
}

/* The wait in ms for TIMEOUT, a VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_* value
 * or seconds. NOWAIT still leaves a moment for an agent that is there. */
static int
agentTimeoutMs(int timeout)
{
    if (timeout == VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT)
        return QEMU_AGENT_DEFAULT_MS;
    if (timeout == VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK ||
        timeout > QEMU_AGENT_MAX_MS / 1000)
        return QEMU_AGENT_MAX_MS;
    if (timeout <= 0)
        return 500;
    return timeout * 1000;
}

static void
agentUnresponsive(const AgentConn *c, const char *why)
{
    reportError(VIR_ERR_AGENT_UNRESPONSIVE, "guest agent is not responding: "
                "%s (domain '%s')", why, c->dom);
}

/* Wait until FD is ready for EVENTS or the deadline passes. 0 or -1. */
static int
agentPoll(AgentConn *c, short events)
{
    for (;;) {
        struct pollfd p = { .fd = c->fd, .events = events };
        long long left = c->deadline - agentNowMs();
        int r;

        if (left < 0)
            left = 0;
        r = poll(&p, 1, (int)left);
        if (r > 0)
            return 0;
        if (r == 0) {
            agentUnresponsive(c, "no reply in time");
            return -1;
        }
        if (errno != EINTR) {
            reportSystemError(errno, "cannot wait for the guest agent of "
                              "domain '%s'", c->dom);
            return -1;
        }
    }
}

static int
agentSend(AgentConn *c, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n;

        if (agentPoll(c, POLLOUT) < 0)
            return -1;
        n = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n < 0) {
            reportSystemError(errno, "cannot write to the guest agent of "
                              "domain '%s'", c->dom);
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Read more bytes into C's buffer. 0 or -1. */
static int
agentFill(AgentConn *c)
{
    ssize_t n;

    if (agentPoll(c, POLLIN) < 0)
        return -1;
    if (c->cap < c->len + 4097) {
        allocResize(&c->buf, c->cap, c->len + 4097, 1);
        c->cap = c->len + 4097;
    }
    n = recv(c->fd, c->buf + c->len, 4096, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    if (n < 0) {
        reportSystemError(errno, "cannot read from the guest agent of "
                          "domain '%s'", c->dom);
        return -1;
    }
    if (n == 0) {
        agentUnresponsive(c, "the agent channel was closed");
        return -1;
    }
    c->len += (size_t)n;
    return 0;
}

/* Drop the first N bytes of C's buffer. */
static void
agentConsume(AgentConn *c, size_t n)
{
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

/* The next JSON object the agent sent (caller owns), skipping lines that
 * do not parse; NULL with an error on timeout. */
static json_object *
agentReadObject(AgentConn *c)
{
    for (;;) {
        char *nl = c->len ? memchr(c->buf, '\n', c->len) : NULL;

        if (nl) {
            size_t n = (size_t)(nl - c->buf);
            json_object *o;

            *nl = '\0';
            o = json_tokener_parse(c->buf);
            agentConsume(c, n + 1);
            if (o && json_object_is_type(o, json_type_object))
                return o;
            json_object_put(o);
            continue;
        }
        if (agentFill(c) < 0)
            return NULL;
    }
}

/* Resync with the agent: flush its parser with 0xff, send
 * guest-sync-delimited with a fresh id, skip everything up to the 0xff it
 * puts before the answer, then wait for our id. 0 or -1. */
static int
agentSync(AgentConn *c, int timeoutMs)
{
    static unsigned int counter;
    long long id = ((long long)time(NULL) << 20 ^ (long long)getpid() << 8) +
                   __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    long long saved = c->deadline;
    char msg[128];
    int ret = -1;

    id &= 0x7fffffffffffLL;
    snprintf(msg, sizeof(msg), "\xff{\"execute\":\"guest-sync-delimited\","
             "\"arguments\":{\"id\":%lld}}\n", id);
    if (timeoutMs > QEMU_AGENT_DEFAULT_MS)
        timeoutMs = QEMU_AGENT_DEFAULT_MS;
    c->deadline = agentNowMs() + timeoutMs;
    if (agentSend(c, msg, strlen(msg)) < 0)
        goto cleanup;
    for (;;) {
        char *ff = c->len ? memchr(c->buf, 0xff, c->len) : NULL;

        if (ff) {
            agentConsume(c, (size_t)(ff - c->buf) + 1);
            break;
        }
        c->len = 0;
        if (agentFill(c) < 0)
            goto cleanup;
    }
    for (;;) {
        json_object *o = agentReadObject(c);
        json_object *r;
        bool match;

        if (!o)
            goto cleanup;
        r = json_object_object_get(o, "return");
        match = r && json_object_is_type(r, json_type_int) &&
                json_object_get_int64(r) == id;
        json_object_put(o);
        if (match)
            break;
    }
    ret = 0;
 cleanup:
    c->deadline = saved;
    return ret;
}

/* Connect to the agent socket PATH. The fd, or -1 with an error. */
static int
agentConnect(AgentConn *c, const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "agent socket path '%s' is too "
                    "long", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        reportSystemError(errno, "cannot create a socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        reportError(VIR_ERR_AGENT_UNRESPONSIVE, "guest agent is not "
                    "responding: cannot connect to '%s' (domain '%s'): %s",
                    path, c->dom, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* The agent's error reply ERR to command NAME as OPERATION_FAILED. */
static void
agentReportError(const AgentConn *c, const char *name, json_object *err)
{
    json_object *desc = json_object_object_get(err, "desc");
    json_object *cls = json_object_object_get(err, "class");

    reportError(VIR_ERR_OPERATION_FAILED, "guest agent command '%s' failed "
                "in domain '%s': %s%s%s%s", name, c->dom,
                desc ? json_object_get_string(desc) : "unknown error",
                cls ? " (" : "", cls ? json_object_get_string(cls) : "",
                cls ? ")" : "");
}

/* The exchange itself (no lock held): connect, sync, send TEXT, read the
 * reply into *REPLY unless NOREPLY. 0 or -1. */
static int
agentExchange(AgentConn *c, const char *path, const char *text,
              int timeoutMs, bool noReply, json_object **reply)
{
    int ret = -1;

    *reply = NULL;
    c->deadline = agentNowMs() + timeoutMs;
    if ((c->fd = agentConnect(c, path)) < 0)
        return -1;
    if (agentSync(c, timeoutMs) < 0)
        goto cleanup;
    c->deadline = agentNowMs() + timeoutMs;
    if (agentSend(c, text, strlen(text)) < 0 || agentSend(c, "\n", 1) < 0)
        goto cleanup;
    if (noReply) {
        /* an error comes back at once; success never does */
        c->deadline = agentNowMs() + 500;
        *reply = agentReadObject(c);
        errorReset();
        ret = 0;
        goto cleanup;
    }
    if (!(*reply = agentReadObject(c)))
        goto cleanup;
    ret = 0;
 cleanup:
    close(c->fd);
    c->fd = -1;
    free(c->buf);
    c->buf = NULL;
    c->len = c->cap = 0;
    return ret;
}

static bool
agentIdle(const QemuDom *d)
{
    return !d->agentBusy || !qemuDomIsActive(d);
}

/* Whether the guest opened the agent's port (QEMU's view of the chardev's
 * front end). Lock held, released around the query. 1, 0 or -1. */
static int
agentConnected(QemuDom *d, const ChrDef *ch)
{
    Qmp *mon = qemuProcessMonAcquire(d);
    QmpChardevInfo *devs = NULL;
    char label[80];
    int n, ret = 0;

    if (!mon)
        return -1;
    snprintf(label, sizeof(label), "char%s", ch->info.alias ?
             ch->info.alias : "");
    pthread_mutex_unlock(&d->drv->lock);
    n = qmpQueryChardev(mon, &devs);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(devs[i].label, label) == 0)
            ret = devs[i].frontendOpen;
    qmpChardevInfoListFree(devs, n);
    return ret;
}

/* Check D can talk to its agent and take the agent slot. Lock held. The
 * socket path (caller frees), or NULL with an error. */
static char *
agentBegin(QemuDom *d, int timeoutMs)
{
    const ChrDef *ch;
    const char *name = d->def->name;
    int conn = 0;

    /* configuration first: it does not depend on the state */
    if (!(ch = qemuAgentChannel(d->def))) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "QEMU guest agent is not "
                    "configured in domain '%s': add a <channel> with target "
                    "name '%s'", name, QEMU_AGENT_PORT);
        return NULL;
    }
    if (qemuDomCheckActive(d) < 0)
        return NULL;
    if (d->state != VIR_DOMAIN_RUNNING) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not running: "
                    "its guest agent cannot answer", name);
        return NULL;
    }
    if (ch->type != CHR_TYPE_UNIX || !ch->srcPath) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "the guest agent channel "
                    "of domain '%s' is not a unix socket", name);
        return NULL;
    }
    if (!qemuProcessWaitFor(d, agentIdle, timeoutMs)) {
        reportError(VIR_ERR_AGENT_UNRESPONSIVE, "guest agent is not "
                    "responding: another agent command on domain '%s' did not "
                    "finish in time", name);
        return NULL;
    }
    if (qemuDomCheckActive(d) < 0)
        return NULL;
    d->agentBusy = true;
    /* the channel may have gone with a live definition change */
    if (!(ch = qemuAgentChannel(d->def)) || !ch->srcPath ||
        (conn = agentConnected(d, ch)) <= 0) {
        if (!ch || !ch->srcPath || conn == 0)
            reportError(VIR_ERR_AGENT_UNRESPONSIVE, "guest agent is not "
                        "responding: QEMU guest agent is not connected in "
                        "domain '%s'", name);
        d->agentBusy = false;
        pthread_cond_broadcast(&d->drv->cond);
        return NULL;
    }
    return allocStrdup(ch->srcPath);
}

static void
agentEnd(QemuDom *d)
{
    d->agentBusy = false;
    pthread_cond_broadcast(&d->drv->cond);
}

static int
agentDomTimeoutMs(const QemuDom *d)
{
    return agentTimeoutMs(d->agentTimeoutSet ? d->agentTimeout
                          : VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT);
}

/* Run TEXT (command NAME) on D with TIMEOUTMS; *REPLY the whole reply,
 * an error reply already reported. Lock held. */
static int
agentRunFull(QemuDom *d, const char *name, const char *text, int timeoutMs,
             bool noReply, json_object **reply)
{
    AgentConn c = { .fd = -1 };
    char *path, *dom;
    json_object *err;
    int ret;

    *reply = NULL;
    if (!(path = agentBegin(d, timeoutMs)))
        return -1;
    dom = allocStrdup(d->def->name);
    c.dom = dom;
    logDebug("qemu", "domain '%s': agent <- %s", dom, text);
    pthread_mutex_unlock(&d->drv->lock);
    ret = agentExchange(&c, path, text, timeoutMs, noReply, reply);
    pthread_mutex_lock(&d->drv->lock);
    agentEnd(d);
    if (ret == 0 && *reply) {
        logDebug("qemu", "domain '%s': agent -> %s", dom,
                 json_object_to_json_string_ext(*reply,
                                                JSON_C_TO_STRING_PLAIN));
        if ((err = json_object_object_get(*reply, "error"))) {
            agentReportError(&c, name, err);
            json_object_put(*reply);
            *reply = NULL;
            ret = -1;
        }
    }
    free(path);
    free(dom);
    return ret;
}

int
qemuAgentRun(QemuDom *d, json_object *cmd, json_object **ret,
             unsigned int flags)
{
    const char *name = qmpCommandName(cmd);
    json_object *reply = NULL, *r;
    int rc;

    if (ret)
        *ret = NULL;
    rc = agentRunFull(d, name, json_object_to_json_string_ext(
                          cmd, JSON_C_TO_STRING_PLAIN),
                      agentDomTimeoutMs(d), flags & QEMU_AGENT_NO_REPLY,
                      &reply);
    if (rc < 0 || (flags & QEMU_AGENT_NO_REPLY)) {
        json_object_put(reply);
        return rc;
    }
    if (!(r = json_object_object_get(reply, "return"))) {
        reportError(VIR_ERR_INTERNAL_ERROR, "malformed reply to guest agent "
                    "command '%s': no 'return'", name);
        json_object_put(reply);
        return -1;
    }
    if (ret)
        *ret = json_object_get(r);
    json_object_put(reply);
    return 0;
}

int
qemuAgentRunText(QemuDom *d, const char *cmd, int timeout, char **reply)
{
    json_object *obj = json_tokener_parse(cmd), *r = NULL;
    json_object *exec;
    int ms, ret = -1;

    *reply = NULL;
    if (!obj || !json_object_is_type(obj, json_type_object) ||
        !(exec = json_object_object_get(obj, "execute")) ||
        !json_object_is_type(exec, json_type_string)) {
        reportError(VIR_ERR_INVALID_ARG, "guest agent command is not a JSON "
                    "object with a string 'execute': %s", cmd);
        goto cleanup;
    }
    if (timeout < VIR_DOMAIN_QEMU_AGENT_COMMAND_MIN) {
        reportError(VIR_ERR_INVALID_ARG, "invalid agent timeout %d", timeout);
        goto cleanup;
    }
    ms = timeout == VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT ?
        agentDomTimeoutMs(d) : agentTimeoutMs(timeout);
    if (agentRunFull(d, json_object_get_string(exec),
                     json_object_to_json_string_ext(obj,
                                                    JSON_C_TO_STRING_PLAIN),
                     ms, false, &r) < 0)
        goto cleanup;
    *reply = allocStrdup(json_object_to_json_string_ext(
                             r, JSON_C_TO_STRING_PLAIN));
    ret = 0;
 cleanup:
    json_object_put(obj);
    json_object_put(r);
    return ret;
}

int
qemuAgentShutdown(QemuDom *d, bool reboot)
{
    json_object *cmd = qmpCommandNew("guest-shutdown", "s:mode",
                                     reboot ? "reboot" : "powerdown", NULL);
    int ret;

    if (!cmd)
        return -1;
    ret = qemuAgentRun(d, cmd, NULL, QEMU_AGENT_NO_REPLY);
    json_object_put(cmd);
    return ret;
}

void
qemuAgentEvent(QemuDom *d, json_object *data)
{
    json_object *id = data ? json_object_object_get(data, "id") : NULL;
    json_object *open = data ? json_object_object_get(data, "open") : NULL;
    const ChrDef *ch = qemuAgentChannel(d->def);
    DomainEvent *ev;

    if (!ch || !id || !ch->info.alias ||
        strcmp(json_object_get_string(id), ch->info.alias) != 0)
        return;
    if (!(ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE)))
        return;
    ev->i1 = open && json_object_get_boolean(open) ?
        VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED :
        VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED;
    ev->i2 = VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL;
    domainEventQueue(ev);
}
