/* qmp.c: a QMP client: one I/O thread per monitor, id-matched replies */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qmp.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* One command waiting for its reply. It lives on the waiter's stack, or in
 * a QmpBatch. */
typedef struct QmpPending QmpPending;
struct QmpPending {
    long long id;
    const char *name;           /* borrowed from the command */
    json_object *reply;         /* set by the I/O thread */
    bool done;
    int errCode;                /* set when the monitor died meanwhile */
    char *errMsg;
    QmpPending *next;
};

struct Qmp {
    int fd;
    pthread_mutex_t lock;       /* everything below except fd and tok */
    pthread_cond_t cond;        /* replies, greeting, death, users leaving */
    pthread_mutex_t writeLock;  /* keeps commands whole on the wire */
    pthread_t thread;
    bool threadStarted;
    json_tokener *tok;          /* I/O thread only */

    QmpEventFunc cb;
    void *opaque;
    int timeoutMs;

    json_object *greeting;
    long long nextId;
    QmpPending *pending;
    int users;                  /* threads inside qmpCommandRun */

    bool dead;
    int deadCode;               /* what waiters get when it died */
    char *deadReason;
    bool closing;               /* qmpClose was called */
    bool freeOnExit;            /* ... from the event callback */
};

#define QMP_READ_SIZE 4096
#define QMP_MAX_DEPTH 128
#define QMP_JSON_FLAGS \
    (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static long long
qmpNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void
qmpDeadline(struct timespec *ts, long long deadlineMs)
{
    ts->tv_sec = deadlineMs / 1000;
    ts->tv_nsec = (deadlineMs % 1000) * 1000000;
}

/* The command name of CMD (borrowed), "?" when it has none. */
const char *
qmpCommandName(json_object *cmd)
{
    json_object *name;

    if (cmd && json_object_object_get_ex(cmd, "execute", &name) &&
        json_object_is_type(name, json_type_string))
        return json_object_get_string(name);
    return "?";
}

/* Mark MON dead with CODE/REASON (the first cause wins), fail every waiter
 * and shut the socket so the I/O thread ends. Called with the lock held. */
static void
qmpMarkDeadLocked(Qmp *mon, int code, const char *reason)
{
    QmpPending *p;

    if (!mon->dead) {
        mon->dead = true;
        mon->deadCode = code;
        mon->deadReason = allocStrdup(reason);
        logDebug("qmp", "mon=%p dead: %s", (void *)mon, reason);
        shutdown(mon->fd, SHUT_RDWR);
    }
    for (p = mon->pending; p; p = p->next) {
        if (p->done)
            continue;
        p->done = true;
        p->errCode = mon->deadCode;
        if (mon->deadCode == VIR_ERR_INTERNAL_ERROR)
            p->errMsg = allocPrintf("QEMU monitor failed while running '%s': "
                                    "%s", p->name, mon->deadReason);
        else
            p->errMsg = allocPrintf("QEMU monitor closed while running '%s': "
                                    "%s", p->name, mon->deadReason);
    }
    pthread_cond_broadcast(&mon->cond);
}

/* Hand one event to the callback (outside the lock). */
static void
qmpEmitEvent(Qmp *mon, json_object *raw)
{
    QmpEvent ev;

    if (qmpEventParse(raw, &ev) < 0) {
        logDebug("qmp", "mon=%p dropping malformed event", (void *)mon);
        errorReset();
        return;
    }
    if (mon->cb)
        mon->cb(mon, &ev, mon->opaque);
}

/* Route one message from QEMU: greeting, event, or a reply to a waiter.
 * Takes ownership of MSG. json-c reference counts are not atomic, so MSG is
 * handed over whole, never shared between threads. */
static int
qmpDispatch(Qmp *mon, json_object *msg)
{
    json_object *id;
    QmpPending *p;

    if (!json_object_is_type(msg, json_type_object)) {
        json_object_put(msg);
        return -1;
    }
    if (json_object_object_get_ex(msg, "event", NULL)) {
        qmpEmitEvent(mon, msg);
        json_object_put(msg);
        return 0;
    }
    pthread_mutex_lock(&mon->lock);
    if (json_object_object_get_ex(msg, "QMP", NULL)) {
        if (!mon->greeting) {
            mon->greeting = msg;
            msg = NULL;
        }
        pthread_cond_broadcast(&mon->cond);
    } else if (json_object_object_get_ex(msg, "id", &id) &&
               json_object_is_type(id, json_type_int)) {
        long long want = json_object_get_int64(id);

        for (p = mon->pending; p; p = p->next) {
            if (p->id == want && !p->done)
                break;
        }
        if (p) {
            p->reply = msg;
            msg = NULL;
            p->done = true;
            pthread_cond_broadcast(&mon->cond);
        } else {
            logDebug("qmp", "mon=%p no one waits for reply id %lld (timed "
                     "out?), dropped", (void *)mon, want);
        }
    } else {
        logDebug("qmp", "mon=%p message with no known id, dropped",
                 (void *)mon);
    }
    pthread_mutex_unlock(&mon->lock);
    json_object_put(msg);
    return 0;
}

/* Parse LEN bytes from the socket into messages and dispatch them.
 * Returns -1 on malformed JSON. */
static int
qmpFeed(Qmp *mon, const char *buf, size_t len)
{
    while (len > 0) {
        json_object *msg = json_tokener_parse_ex(mon->tok, buf, (int)len);
        enum json_tokener_error jerr = json_tokener_get_error(mon->tok);
        size_t used;
        int rc;

        if (jerr == json_tokener_continue)
            return 0;
        if (jerr != json_tokener_success) {
            logDebug("qmp", "mon=%p bad JSON: %s", (void *)mon,
                     json_tokener_error_desc(jerr));
            return -1;
        }
        used = json_tokener_get_parse_end(mon->tok);
        json_tokener_reset(mon->tok);
        logDebug("qmp", "mon=%p recv: %s", (void *)mon,
                 json_object_to_json_string_ext(msg, QMP_JSON_FLAGS));
        rc = msg ? qmpDispatch(mon, msg) : -1;
        if (rc < 0)
            return -1;
        if (used == 0 || used > len)
            return -1;
        buf += used;
        len -= used;
        pthread_mutex_lock(&mon->lock);
        rc = mon->closing;
        pthread_mutex_unlock(&mon->lock);
        if (rc)
            return 0;
    }
    return 0;
}

static void
qmpFree(Qmp *mon)
{
    if (mon->fd >= 0)
        close(mon->fd);
    if (mon->tok)
        json_tokener_free(mon->tok);
    json_object_put(mon->greeting);
    free(mon->deadReason);
    pthread_mutex_destroy(&mon->lock);
    pthread_cond_destroy(&mon->cond);
    pthread_mutex_destroy(&mon->writeLock);
    free(mon);
}

/* Deliver the synthetic EOF event carrying REASON. */
static void
qmpEmitEof(Qmp *mon, const char *reason)
{
    json_object *raw = json_object_new_object();
    json_object *data = json_object_new_object();
    json_object *stamp = json_object_new_object();
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    json_object_object_add(stamp, "seconds", json_object_new_int64(ts.tv_sec));
    json_object_object_add(stamp, "microseconds",
                           json_object_new_int64(ts.tv_nsec / 1000));
    json_object_object_add(data, "reason", json_object_new_string(reason));
    json_object_object_add(raw, "event", json_object_new_string(QMP_EVENT_EOF));
    json_object_object_add(raw, "data", data);
    json_object_object_add(raw, "timestamp", stamp);
    qmpEmitEvent(mon, raw);
    json_object_put(raw);
}

static void *
qmpThread(void *opaque)
{
    Qmp *mon = opaque;
    char buf[QMP_READ_SIZE];
    int code = VIR_ERR_OPERATION_FAILED;
    char *reason = NULL;
    bool closing;
    bool freeIt;

    for (;;) {
        ssize_t n = recv(mon->fd, buf, sizeof(buf), 0);

        if (n < 0 && errno == EINTR)
            continue;
        pthread_mutex_lock(&mon->lock);
        closing = mon->closing;
        pthread_mutex_unlock(&mon->lock);
        if (closing) {
            reason = allocStrdup("the monitor was closed");
            break;
        }
        if (n == 0) {
            reason = allocStrdup("QEMU closed the connection");
            break;
        }
        if (n < 0) {
            reason = allocPrintf("read error: %s", strerror(errno));
            break;
        }
        if (qmpFeed(mon, buf, n) < 0) {
            code = VIR_ERR_INTERNAL_ERROR;
            reason = allocStrdup("QEMU sent malformed JSON");
            break;
        }
    }

    pthread_mutex_lock(&mon->lock);
    qmpMarkDeadLocked(mon, code, reason);
    closing = mon->closing;
    pthread_mutex_unlock(&mon->lock);
    if (!closing)
        qmpEmitEof(mon, mon->deadReason);
    free(reason);

    /* qmpClose from the callback leaves the freeing to us */
    pthread_mutex_lock(&mon->lock);
    freeIt = mon->freeOnExit;
    while (freeIt && mon->users > 0)
        pthread_cond_wait(&mon->cond, &mon->lock);
    pthread_mutex_unlock(&mon->lock);
    if (freeIt)
        qmpFree(mon);
    return NULL;
}

/* Wait until QEMU's greeting arrived, the monitor died or DEADLINEMS. */
static int
qmpWaitGreeting(Qmp *mon, long long deadlineMs, int timeoutMs)
{
    struct timespec ts;
    int ret = -1;

    qmpDeadline(&ts, deadlineMs);
    pthread_mutex_lock(&mon->lock);
    while (!mon->greeting && !mon->dead) {
        if (pthread_cond_timedwait(&mon->cond, &mon->lock, &ts) == ETIMEDOUT)
            break;
    }
    if (mon->greeting)
        ret = 0;
    else if (mon->dead)
        reportError(VIR_ERR_OPERATION_FAILED,
                    "QEMU monitor closed before its greeting: %s",
                    mon->deadReason);
    else
        reportError(VIR_ERR_OPERATION_TIMEOUT,
                    "QEMU monitor sent no greeting within %d ms", timeoutMs);
    pthread_mutex_unlock(&mon->lock);
    return ret;
}

static Qmp *
qmpOpenFdDeadline(int fd, long long deadlineMs, int timeoutMs,
                  QmpEventFunc cb, void *opaque)
{
    Qmp *mon;
    pthread_condattr_t attr;
    json_object *caps = NULL;
    long long left;
    int rc;

    ALLOC(mon);
    mon->fd = fd;
    mon->cb = cb;
    mon->opaque = opaque;
    mon->timeoutMs = QMP_TIMEOUT_DEFAULT_MS;
    mon->nextId = 1;
    pthread_mutex_init(&mon->lock, NULL);
    pthread_mutex_init(&mon->writeLock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&mon->cond, &attr);
    pthread_condattr_destroy(&attr);
    mon->tok = json_tokener_new_ex(QMP_MAX_DEPTH);

    if ((rc = pthread_create(&mon->thread, NULL, qmpThread, mon)) != 0) {
        reportSystemError(rc, "cannot start the QEMU monitor thread");
        qmpFree(mon);
        return NULL;
    }
    mon->threadStarted = true;

    if (qmpWaitGreeting(mon, deadlineMs, timeoutMs) < 0)
        goto error;
    caps = qmpCommandNew("qmp_capabilities", NULL);
    left = deadlineMs - qmpNowMs();
    if (qmpCommandRun(mon, caps, NULL, left > 0 ? (int)left : 1) < 0)
        goto error;
    json_object_put(caps);
    return mon;

 error:
    json_object_put(caps);
    qmpClose(mon);
    return NULL;
}

/* Open a monitor on connected socket FD (owned on every path); NULL and
 * an error on failure. */
Qmp *
qmpOpenFd(int fd, int timeoutMs, QmpEventFunc cb, void *opaque)
{
    if (timeoutMs <= 0)
        timeoutMs = QMP_TIMEOUT_DEFAULT_MS;
    return qmpOpenFdDeadline(fd, qmpNowMs() + timeoutMs, timeoutMs,
                             cb, opaque);
}

/* Connect to PATH (retrying until TIMEOUTMS), then as qmpOpenFd. */
Qmp *
qmpOpen(const char *path, int timeoutMs, QmpEventFunc cb, void *opaque)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    long long deadline;
    int fd = -1;
    int err = 0;

    if (timeoutMs <= 0)
        timeoutMs = QMP_TIMEOUT_DEFAULT_MS;
    deadline = qmpNowMs() + timeoutMs;
    if (strlen(path) >= sizeof(addr.sun_path)) {
        reportError(VIR_ERR_INVALID_ARG,
                    "QEMU monitor socket path '%s' is too long", path);
        return NULL;
    }
    strcpy(addr.sun_path, path);

    for (;;) {
        if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
            reportSystemError(errno, "cannot create a unix socket");
            return NULL;
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
            break;
        err = errno;
        close(fd);
        fd = -1;
        /* QEMU may not have created or started listening on it yet */
        if (err != ENOENT && err != ECONNREFUSED && err != EAGAIN &&
            err != EINTR) {
            reportSystemError(err, "cannot connect to QEMU monitor '%s'",
                              path);
            return NULL;
        }
        if (qmpNowMs() >= deadline) {
            reportError(VIR_ERR_OPERATION_TIMEOUT,
                        "cannot connect to QEMU monitor '%s' within %d ms: %s",
                        path, timeoutMs, strerror(err));
            return NULL;
        }
        usleep(10 * 1000);
    }
    logDebug("qmp", "connected to %s", path);
    return qmpOpenFdDeadline(fd, deadline, timeoutMs, cb, opaque);
}

/* Close and free MON; waits for the I/O thread and running commands,
 * or leaves the freeing to the I/O thread when called from its callback. */
void
qmpClose(Qmp *mon)
{
    if (!mon)
        return;
    pthread_mutex_lock(&mon->lock);
    mon->closing = true;
    qmpMarkDeadLocked(mon, VIR_ERR_OPERATION_FAILED,
                      "the monitor was closed");
    if (mon->threadStarted && pthread_equal(pthread_self(), mon->thread)) {
        /* called from the event callback: the I/O thread frees MON */
        mon->freeOnExit = true;
        pthread_detach(mon->thread);
        pthread_mutex_unlock(&mon->lock);
        return;
    }
    pthread_mutex_unlock(&mon->lock);

    if (mon->threadStarted)
        pthread_join(mon->thread, NULL);
    pthread_mutex_lock(&mon->lock);
    while (mon->users > 0)
        pthread_cond_wait(&mon->cond, &mon->lock);
    pthread_mutex_unlock(&mon->lock);
    qmpFree(mon);
}

/* Set the default command timeout of MON (ignored unless > 0). */
void
qmpSetTimeout(Qmp *mon, int timeoutMs)
{
    if (timeoutMs <= 0)
        return;
    pthread_mutex_lock(&mon->lock);
    mon->timeoutMs = timeoutMs;
    pthread_mutex_unlock(&mon->lock);
}

/* QEMU's greeting, borrowed from MON. */
json_object *
qmpGetGreeting(Qmp *mon)
{
    json_object *greeting;

    pthread_mutex_lock(&mon->lock);
    greeting = mon->greeting;
    pthread_mutex_unlock(&mon->lock);
    return greeting;
}

/* Whether the connection of MON is gone. */
bool
qmpIsDead(Qmp *mon)
{
    bool dead;

    pthread_mutex_lock(&mon->lock);
    dead = mon->dead;
    pthread_mutex_unlock(&mon->lock);
    return dead;
}

/* Read the value for a key of type T from AP into *VAL (NULL: skipped).
 * Returns -1 for an unknown type. */
static int
qmpArgValue(char t, va_list *ap, json_object **val)
{
    const char *s;
    long long ll;
    unsigned long long ull;
    int i;

    *val = NULL;
    switch (t) {
    case 's':
    case 'S':
        if ((s = va_arg(*ap, const char *)))
            *val = json_object_new_string(s);
        return 0;
    case 'i':
        *val = json_object_new_int(va_arg(*ap, int));
        return 0;
    case 'I':
        *val = json_object_new_int64(va_arg(*ap, long long));
        return 0;
    case 'n':
        if ((ll = va_arg(*ap, long long)) >= 0)
            *val = json_object_new_int64(ll);
        return 0;
    case 'U':
    case 'Z':
        ull = va_arg(*ap, unsigned long long);
        if (ull != 0 || t == 'U')
            *val = json_object_new_uint64(ull);
        return 0;
    case 'b':
    case 'B':
        i = va_arg(*ap, int);
        if (i >= 0 || t == 'b')
            *val = json_object_new_boolean(i != 0);
        return 0;
    case 'j':
    case 'J':
        *val = va_arg(*ap, json_object *);
        return 0;
    }
    return -1;
}

/* Build {"execute": NAME, "arguments": {...}} from typed key/value pairs
 * (see qmp.h); j/J values are stolen. NULL and an internal error on a bad
 * key or a missing required value. */
json_object *
qmpCommandNew(const char *name, ...)
{
    json_object *args = json_object_new_object();
    json_object *cmd = NULL;
    const char *key;
    bool bad = false;
    va_list ap;

    va_start(ap, name);
    while ((key = va_arg(ap, const char *))) {
        json_object *val = NULL;

        if (key[0] == '\0' || key[1] != ':' || key[2] == '\0' ||
            qmpArgValue(key[0], &ap, &val) < 0) {
            /* the value's type is unknown: nothing after it can be read */
            reportError(VIR_ERR_INTERNAL_ERROR,
                        "bad argument key '%s' for QEMU command '%s'",
                        key, name);
            bad = true;
            break;
        }
        if (!val && (key[0] == 's' || key[0] == 'j')) {
            if (!bad)
                reportError(VIR_ERR_INTERNAL_ERROR,
                            "missing value of '%s' for QEMU command '%s'",
                            key + 2, name);
            bad = true;
        }
        if (val)
            json_object_object_add(args, key + 2, val);
    }
    va_end(ap);
    if (bad) {
        json_object_put(args);
        return NULL;
    }
    cmd = json_object_new_object();
    json_object_object_add(cmd, "execute", json_object_new_string(name));
    if (json_object_object_length(args) > 0)
        json_object_object_add(cmd, "arguments", args);
    else
        json_object_put(args);
    return cmd;
}

/* Commands whose arguments must not reach the log. */
static bool
qmpCommandIsSecret(json_object *cmd)
{
    const char *name = qmpCommandName(cmd);
    json_object *args;
    json_object *type;

    if (strcmp(name, "set_password") == 0)
        return true;
    if (strcmp(name, "object-add") == 0 &&
        json_object_object_get_ex(cmd, "arguments", &args) &&
        json_object_object_get_ex(args, "qom-type", &type) &&
        json_object_is_type(type, json_type_string) &&
        strcmp(json_object_get_string(type), "secret") == 0)
        return true;
    return false;
}

/* Write LEN bytes of BUF, FD riding along with the first byte if >= 0.
 * Returns the number of bytes written (LEN on success) and sets *ERR to the
 * errno (ETIMEDOUT when DEADLINEMS passed) otherwise. */
static size_t
qmpWrite(Qmp *mon, const char *buf, size_t len, int fd, long long deadlineMs,
         int *err)
{
    size_t done = 0;

    while (done < len) {
        struct iovec iov = { .iov_base = (char *)buf + done,
                             .iov_len = len - done };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
        union {
            char buf[CMSG_SPACE(sizeof(int))];
            struct cmsghdr align;
        } control;
        struct pollfd pfd = { .fd = mon->fd, .events = POLLOUT };
        ssize_t n;
        long long left;

        if (fd >= 0 && done == 0) {
            struct cmsghdr *c;

            memset(&control, 0, sizeof(control));
            msg.msg_control = control.buf;
            msg.msg_controllen = sizeof(control.buf);
            c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        n = sendmsg(mon->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            done += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            *err = errno;
            return done;
        }
        left = deadlineMs - qmpNowMs();
        if (left <= 0) {
            *err = ETIMEDOUT;
            return done;
        }
        if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
            *err = errno;
            return done;
        }
    }
    return done;
}

/* Turn the finished waiter P into the result of qmpCommandRun. */
static int
qmpCheckReply(QmpPending *p)
{
    json_object *err;
    json_object *desc;

    if (p->errMsg) {
        reportError(p->errCode, "%s", p->errMsg);
        return -1;
    }
    if (json_object_object_get_ex(p->reply, "error", &err)) {
        const char *d = "no description";

        if (json_object_object_get_ex(err, "desc", &desc) &&
            json_object_is_type(desc, json_type_string))
            d = json_object_get_string(desc);
        reportError(VIR_ERR_OPERATION_FAILED, "QEMU command '%s' failed: %s",
                    p->name, d);
        return -1;
    }
    if (!json_object_object_get_ex(p->reply, "return", NULL)) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "malformed reply to '%s': no 'return' or 'error'",
                    p->name);
        return -1;
    }
    return 0;
}

static void
qmpUnlinkPending(Qmp *mon, QmpPending *p)
{
    QmpPending **pp;

    for (pp = &mon->pending; *pp; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    }
}

/* Register the N waiters P as a whole; fails if MON cannot take commands
 * now. */
static int
qmpPendingAdd(Qmp *mon, QmpPending *p, int n)
{
    int ret = -1;

    pthread_mutex_lock(&mon->lock);
    if (mon->threadStarted && pthread_equal(pthread_self(), mon->thread)) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "QEMU command '%s' run from the monitor's event callback",
                    p->name);
    } else if (mon->dead) {
        reportError(VIR_ERR_OPERATION_FAILED, "QEMU monitor is closed: %s",
                    mon->deadReason);
    } else {
        for (int i = 0; i < n; i++) {
            p[i].id = mon->nextId++;
            p[i].next = mon->pending;
            mon->pending = &p[i];
            mon->users++;
        }
        ret = 0;
    }
    pthread_mutex_unlock(&mon->lock);
    return ret;
}

static void
qmpPendingTimeout(QmpPending *p, int timeoutMs)
{
    p->done = true;
    p->errCode = VIR_ERR_OPERATION_TIMEOUT;
    p->errMsg = allocPrintf("QEMU monitor command '%s' timed out after %d ms",
                            p->name, timeoutMs);
}

/* Put CMD on the wire with P's id (and FD); a failure is recorded in P. */
static void
qmpSend(Qmp *mon, QmpPending *p, json_object *cmd, int fd,
        long long deadline, int timeoutMs)
{
    const char *json = json_object_to_json_string_ext(cmd, QMP_JSON_FLAGS);
    size_t len = strlen(json);
    char *wire;
    size_t sent;
    int err = 0;

    /* splice the id in before the closing brace of the command object */
    wire = allocPrintf("%.*s,\"id\":%lld}\r\n", (int)len - 1, json, p->id);
    len = strlen(wire);
    if (qmpCommandIsSecret(cmd))
        logDebug("qmp", "mon=%p send: {\"execute\":\"%s\",...} id=%lld%s",
                 (void *)mon, p->name, p->id, fd >= 0 ? " with fd" : "");
    else
        logDebug("qmp", "mon=%p send%s: %.*s", (void *)mon,
                 fd >= 0 ? " with fd" : "", (int)len - 2, wire);

    pthread_mutex_lock(&mon->writeLock);
    sent = qmpWrite(mon, wire, len, fd, deadline, &err);
    pthread_mutex_unlock(&mon->writeLock);
    free(wire);
    if (sent == len)
        return;

    pthread_mutex_lock(&mon->lock);
    if (sent > 0 || err != ETIMEDOUT) {
        /* a torn command leaves the stream unusable */
        char *why = err == ETIMEDOUT ? allocStrdup("write timed out")
            : allocPrintf("write error: %s", strerror(err));

        qmpMarkDeadLocked(mon, VIR_ERR_OPERATION_FAILED, why);
        free(why);
    }
    if (!p->done)
        qmpPendingTimeout(p, timeoutMs);
    pthread_mutex_unlock(&mon->lock);
}

/* Wait for P's reply until DEADLINE, then unregister P. */
static void
qmpWaitReply(Qmp *mon, QmpPending *p, long long deadline, int timeoutMs)
{
    struct timespec ts;

    qmpDeadline(&ts, deadline);
    pthread_mutex_lock(&mon->lock);
    while (!p->done) {
        if (pthread_cond_timedwait(&mon->cond, &mon->lock, &ts) == ETIMEDOUT &&
            !p->done)
            qmpPendingTimeout(p, timeoutMs);
    }
    qmpUnlinkPending(mon, p);
    mon->users--;
    pthread_cond_broadcast(&mon->cond);
    pthread_mutex_unlock(&mon->lock);
}

/* TIMEOUTMS, or MON's default when it is 0 or less. */
static int
qmpTimeout(Qmp *mon, int timeoutMs)
{
    if (timeoutMs <= 0) {
        pthread_mutex_lock(&mon->lock);
        timeoutMs = mon->timeoutMs;
        pthread_mutex_unlock(&mon->lock);
    }
    return timeoutMs;
}

/* Send CMD (borrowed) with FD (borrowed, -1 for none) and wait for its
 * reply; *REPLY (optional) gets the whole reply. 0, or -1 with an error. */
int
qmpCommandRunWithFd(Qmp *mon, json_object *cmd, int fd,
                    json_object **reply, int timeoutMs)
{
    QmpPending p = { 0 };
    long long deadline;
    int ret = -1;

    if (reply)
        *reply = NULL;
    if (!json_object_is_type(cmd, json_type_object) ||
        !json_object_object_get_ex(cmd, "execute", NULL)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "no QEMU command to run");
        return -1;
    }
    p.name = qmpCommandName(cmd);
    timeoutMs = qmpTimeout(mon, timeoutMs);
    if (qmpPendingAdd(mon, &p, 1) < 0)
        return -1;

    deadline = qmpNowMs() + timeoutMs;
    qmpSend(mon, &p, cmd, fd, deadline, timeoutMs);
    qmpWaitReply(mon, &p, deadline, timeoutMs);
    if (qmpCheckReply(&p) < 0)
        goto cleanup;
    if (reply) {
        *reply = p.reply;
        p.reply = NULL;
    }
    ret = 0;

 cleanup:
    json_object_put(p.reply);
    free(p.errMsg);
    return ret;
}

/* qmpCommandRunWithFd without a descriptor. */
int
qmpCommandRun(Qmp *mon, json_object *cmd, json_object **reply,
              int timeoutMs)
{
    return qmpCommandRunWithFd(mon, cmd, -1, reply, timeoutMs);
}

struct QmpBatch {
    Qmp *mon;
    int n;
    QmpPending *p;
    long long deadline;
    int timeoutMs;
};

/* Send the N commands CMDS (borrowed, kept alive until qmpBatchWait) in a
 * row without waiting for replies; NULL with an error if MON refuses. */
QmpBatch *
qmpBatchSend(Qmp *mon, json_object *const *cmds, int n, int timeoutMs)
{
    QmpBatch *b;

    for (int i = 0; i < n; i++) {
        if (!json_object_is_type(cmds[i], json_type_object) ||
            !json_object_object_get_ex(cmds[i], "execute", NULL)) {
            reportError(VIR_ERR_INTERNAL_ERROR, "no QEMU command to run");
            return NULL;
        }
    }
    ALLOC(b);
    b->mon = mon;
    b->n = n;
    b->p = allocArray(n > 0 ? n : 1, sizeof(*b->p));
    for (int i = 0; i < n; i++)
        b->p[i].name = qmpCommandName(cmds[i]);
    b->timeoutMs = qmpTimeout(mon, timeoutMs);
    if (qmpPendingAdd(mon, b->p, n) < 0) {
        free(b->p);
        free(b);
        return NULL;
    }
    b->deadline = qmpNowMs() + b->timeoutMs;
    for (int i = 0; i < n; i++)
        qmpSend(mon, &b->p[i], cmds[i], -1, b->deadline, b->timeoutMs);
    return b;
}

/* Collect the replies of B into REPLIES (NULL for a failed command) and
 * free B; 0, or -1 with the error of the first failure. */
int
qmpBatchWait(QmpBatch *b, json_object **replies)
{
    int ret = 0;

    for (int i = 0; i < b->n; i++) {
        QmpPending *p = &b->p[i];
        virErrorPtr first = NULL;

        qmpWaitReply(b->mon, p, b->deadline, b->timeoutMs);
        /* only the first failure is reported */
        if (ret < 0)
            first = errorSave();
        if (qmpCheckReply(p) < 0) {
            ret = -1;
            json_object_put(p->reply);
            p->reply = NULL;
        }
        if (first)
            errorRestore(&first);
        replies[i] = p->reply;
        free(p->errMsg);
    }
    free(b->p);
    free(b);
    return ret;
}

static const char *
qmpTypeName(json_type type)
{
    switch (type) {
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    case json_type_string: return "a string";
    case json_type_int: return "an integer";
    case json_type_double: return "a number";
    case json_type_boolean: return "a boolean";
    case json_type_null: return "null";
    }
    return "?";
}

/* The "return" member of REPLY if of TYPE (borrowed), else NULL and an
 * internal error naming CMD. */
json_object *
qmpReplyReturn(json_object *reply, const char *cmd, json_type type)
{
    json_object *ret;

    if (!reply || !json_object_object_get_ex(reply, "return", &ret)) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "malformed reply to '%s': missing 'return'", cmd);
        return NULL;
    }
    if (!json_object_is_type(ret, type)) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "malformed reply to '%s': 'return' is not %s",
                    cmd, qmpTypeName(type));
        return NULL;
    }
    return ret;
}

/* Find FIELD of OBJ with json type TYPE (ints also accepted for numbers).
 * Returns 1 and sets *VAL when found, 0 when absent and OPTIONAL, else -1
 * with an error. */
static int
qmpReplyGet(json_object *obj, const char *cmd, const char *field,
            json_type type, bool optional, json_object **val)
{
    json_object *v = NULL;

    if (!json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, field, &v) ||
        (optional && json_object_is_type(v, json_type_null))) {
        if (optional)
            return 0;
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "malformed reply to '%s': missing '%s'", cmd, field);
        return -1;
    }
    if (!json_object_is_type(v, type) &&
        !(type == json_type_double && json_object_is_type(v, json_type_int))) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "malformed reply to '%s': '%s' is not %s",
                    cmd, field, qmpTypeName(type));
        return -1;
    }
    *val = v;
    return 1;
}

static int
qmpReplyGetStr(json_object *obj, const char *cmd, const char *field,
               bool optional, const char **value)
{
    json_object *v;
    int rc = qmpReplyGet(obj, cmd, field, json_type_string, optional, &v);

    if (rc > 0)
        *value = json_object_get_string(v);
    return rc < 0 ? -1 : 0;
}

static int
qmpReplyGetI(json_object *obj, const char *cmd, const char *field,
             bool optional, long long *value)
{
    json_object *v;
    int rc = qmpReplyGet(obj, cmd, field, json_type_int, optional, &v);

    if (rc > 0) {
        /* json-c keeps integers above INT64_MAX as unsigned */
        if (json_object_get_int64(v) == INT64_MAX &&
            json_object_get_uint64(v) > INT64_MAX) {
            reportError(VIR_ERR_INTERNAL_ERROR,
                        "malformed reply to '%s': '%s' is out of range",
                        cmd, field);
            return -1;
        }
        *value = json_object_get_int64(v);
    }
    return rc < 0 ? -1 : 0;
}

static int
qmpReplyGetB(json_object *obj, const char *cmd, const char *field,
             bool optional, bool *value)
{
    json_object *v;
    int rc = qmpReplyGet(obj, cmd, field, json_type_boolean, optional, &v);

    if (rc > 0)
        *value = json_object_get_boolean(v);
    return rc < 0 ? -1 : 0;
}

/* Reply getters: FIELD of OBJ into *VALUE (borrowed for strings and
 * objects); 0, or -1 with "malformed reply to 'CMD': ...". The Opt
 * variants accept an absent or null FIELD. */
int
qmpReplyGetString(json_object *obj, const char *cmd, const char *field,
                  const char **value)
{
    return qmpReplyGetStr(obj, cmd, field, false, value);
}

int
qmpReplyGetOptString(json_object *obj, const char *cmd, const char *field,
                     const char **value)
{
    return qmpReplyGetStr(obj, cmd, field, true, value);
}

int
qmpReplyGetInt(json_object *obj, const char *cmd, const char *field,
               long long *value)
{
    return qmpReplyGetI(obj, cmd, field, false, value);
}

int
qmpReplyGetOptInt(json_object *obj, const char *cmd, const char *field,
                  long long *value)
{
    return qmpReplyGetI(obj, cmd, field, true, value);
}

int
qmpReplyGetUint(json_object *obj, const char *cmd, const char *field,
                unsigned long long *value)
{
    json_object *v;

    if (qmpReplyGet(obj, cmd, field, json_type_int, false, &v) < 0)
        return -1;
    if (json_object_get_int64(v) < 0) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "malformed reply to '%s': '%s' is negative", cmd, field);
        return -1;
    }
    *value = json_object_get_uint64(v);
    return 0;
}

int
qmpReplyGetNumber(json_object *obj, const char *cmd, const char *field,
                  double *value)
{
    json_object *v;

    if (qmpReplyGet(obj, cmd, field, json_type_double, false, &v) < 0)
        return -1;
    *value = json_object_get_double(v);
    return 0;
}

int
qmpReplyGetBool(json_object *obj, const char *cmd, const char *field,
                bool *value)
{
    return qmpReplyGetB(obj, cmd, field, false, value);
}

int
qmpReplyGetOptBool(json_object *obj, const char *cmd, const char *field,
                   bool *value)
{
    return qmpReplyGetB(obj, cmd, field, true, value);
}

int
qmpReplyGetObject(json_object *obj, const char *cmd, const char *field,
                  json_object **value)
{
    return qmpReplyGet(obj, cmd, field, json_type_object, false, value) < 0
        ? -1 : 0;
}

int
qmpReplyGetArray(json_object *obj, const char *cmd, const char *field,
                 json_object **value)
{
    return qmpReplyGet(obj, cmd, field, json_type_array, false, value) < 0
        ? -1 : 0;
}

/* Fill EV with the common fields of event RAW (borrowed); 0, or -1 with an
 * internal error. */
int
qmpEventParse(json_object *raw, QmpEvent *ev)
{
    json_object *name;
    json_object *stamp;
    json_object *v;

    memset(ev, 0, sizeof(*ev));
    ev->raw = raw;
    ev->seconds = -1;
    if (!json_object_object_get_ex(raw, "event", &name) ||
        !json_object_is_type(name, json_type_string)) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "malformed QEMU event: missing 'event'");
        return -1;
    }
    ev->name = json_object_get_string(name);
    if (json_object_object_get_ex(raw, "data", &ev->data) &&
        !json_object_is_type(ev->data, json_type_object)) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "malformed QEMU event '%s': 'data' is not an object",
                    ev->name);
        return -1;
    }
    if (json_object_object_get_ex(raw, "timestamp", &stamp)) {
        if (json_object_object_get_ex(stamp, "seconds", &v))
            ev->seconds = json_object_get_int64(v);
        if (json_object_object_get_ex(stamp, "microseconds", &v))
            ev->microseconds = json_object_get_int64(v);
    }
    return 0;
}
