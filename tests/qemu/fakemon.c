/* fakemon.c: a scripted QMP server for tests, running in its own thread */
#include "fakemon.h"

#include "alloc.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* How long the fake waits for the client before calling it a failure. */
#define FAKEMON_WAIT_MS 60000

typedef enum {
    STEP_EXPECT,
    STEP_EXPECT_FD,
    STEP_UNORDERED,
    STEP_REPLY,
    STEP_SEND,
    STEP_DELAY,
    STEP_HANGUP,
} StepKind;

typedef struct {
    StepKind kind;
    size_t n;
    char **cmds;        /* n expected commands */
    char **replies;     /* n replies (entries may be NULL) */
    char *text;
    int ms;
} Step;

struct FakeMon {
    int fd;             /* our end of the connection */
    int listenFd;
    char *path;
    pthread_t thread;
    bool started;

    Step *steps;
    size_t nsteps;
    size_t capSteps;

    char *buf;          /* bytes read, not parsed yet */
    size_t len;
    size_t cap;
    bool fdArrived;     /* a descriptor came since the last command */
    int lastFd;
    json_object *lastId;
    bool hungUp;

    int failures;
};

static pthread_mutex_t seenLock = PTHREAD_MUTEX_INITIALIZER;
static json_object *seen;

static void
fakeMonFail(FakeMon *fm, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fakeMonFail(FakeMon *fm, const char *fmt, ...)
{
    va_list ap;

    fm->failures++;
    printf("# fakemon: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static Step *
fakeMonAddStep(FakeMon *fm, StepKind kind)
{
    Step *s;

    allocGrow(&fm->steps, &fm->capSteps, fm->nsteps, sizeof(Step));
    s = &fm->steps[fm->nsteps++];
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    return s;
}

static FakeMon *
fakeMonAlloc(bool handshake)
{
    FakeMon *fm;

    ALLOC(fm);
    fm->fd = -1;
    fm->listenFd = -1;
    fm->lastFd = -1;
    if (handshake) {
        fakeMonSend(fm, FAKEMON_GREETING);
        fakeMonExpect(fm, "{\"execute\": \"qmp_capabilities\"}",
                      "{\"return\": {}}");
    }
    return fm;
}

FakeMon *
fakeMonNew(bool handshake, int *clientFd)
{
    FakeMon *fm = fakeMonAlloc(handshake);
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        abort();
    fm->fd = sv[0];
    *clientFd = sv[1];
    return fm;
}

FakeMon *
fakeMonNewUnix(const char *path, bool handshake)
{
    FakeMon *fm = fakeMonAlloc(handshake);

    fm->path = allocStrdup(path);
    return fm;
}

static void
fakeMonAddExpect(FakeMon *fm, StepKind kind, size_t n,
                 const char *const *cmds, const char *const *replies)
{
    Step *s = fakeMonAddStep(fm, kind);
    size_t i;

    s->n = n;
    ALLOC_N(s->cmds, n);
    ALLOC_N(s->replies, n);
    for (i = 0; i < n; i++) {
        s->cmds[i] = allocStrdup(cmds[i]);
        s->replies[i] = allocStrdup(replies ? replies[i] : NULL);
    }
}

void
fakeMonExpect(FakeMon *fm, const char *cmd, const char *reply)
{
    fakeMonAddExpect(fm, STEP_EXPECT, 1, &cmd, &reply);
}

void
fakeMonExpectFd(FakeMon *fm, const char *cmd, const char *reply)
{
    fakeMonAddExpect(fm, STEP_EXPECT_FD, 1, &cmd, &reply);
}

void
fakeMonExpectUnordered(FakeMon *fm, size_t n, const char *const *cmds,
                       const char *const *replies)
{
    fakeMonAddExpect(fm, STEP_UNORDERED, n, cmds, replies);
}

void
fakeMonReply(FakeMon *fm, const char *reply)
{
    fakeMonAddStep(fm, STEP_REPLY)->text = allocStrdup(reply);
}

void
fakeMonSend(FakeMon *fm, const char *text)
{
    fakeMonAddStep(fm, STEP_SEND)->text = allocStrdup(text);
}

void
fakeMonDelay(FakeMon *fm, int ms)
{
    fakeMonAddStep(fm, STEP_DELAY)->ms = ms;
}

void
fakeMonHangup(FakeMon *fm)
{
    fakeMonAddStep(fm, STEP_HANGUP);
}

static int
fakeMonWriteAll(FakeMon *fm, const char *text)
{
    size_t len = strlen(text);
    size_t done = 0;

    while (done < len) {
        ssize_t n = send(fm->fd, text + done, len - done, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fakeMonFail(fm, "write failed: %s", strerror(errno));
            return -1;
        }
        done += n;
    }
    return 0;
}

static int
fakeMonSendText(FakeMon *fm, const char *text)
{
    char *line = allocPrintf("%s\r\n", text);
    int ret = fakeMonWriteAll(fm, line);

    free(line);
    return ret;
}

/* Send REPLY with ID (may be NULL) added. */
static int
fakeMonSendReply(FakeMon *fm, const char *reply, json_object *id)
{
    json_object *obj = json_tokener_parse(reply);
    int ret;

    if (!obj) {
        fakeMonFail(fm, "bad reply in script: %s", reply);
        return -1;
    }
    if (id && json_object_is_type(obj, json_type_object))
        json_object_object_add(obj, "id", json_object_get(id));
    ret = fakeMonSendText(fm, json_object_to_json_string_ext(
                              obj, JSON_C_TO_STRING_PLAIN |
                              JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(obj);
    return ret;
}

/* Read more bytes (and any descriptor) from the client. Returns 1, 0 at
 * end of file, -1 on error or timeout. */
static int
fakeMonFill(FakeMon *fm)
{
    char chunk[4096];
    union {
        char buf[CMSG_SPACE(sizeof(int) * 4)];
        struct cmsghdr align;
    } control;
    struct iovec iov = { .iov_base = chunk, .iov_len = sizeof(chunk) };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.buf,
                          .msg_controllen = sizeof(control.buf) };
    struct pollfd pfd = { .fd = fm->fd, .events = POLLIN };
    struct cmsghdr *c;
    ssize_t n;
    int rc;

    do {
        rc = poll(&pfd, 1, FAKEMON_WAIT_MS);
    } while (rc < 0 && errno == EINTR);
    if (rc == 0) {
        fakeMonFail(fm, "timed out waiting for the client");
        return -1;
    }
    do {
        n = recvmsg(fm->fd, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            int fds[4];
            int i;

            memcpy(fds, CMSG_DATA(c), nfds * sizeof(int));
            for (i = 0; i < nfds; i++) {
                if (fm->lastFd >= 0)
                    close(fm->lastFd);
                fm->lastFd = fds[i];
                fm->fdArrived = true;
            }
        }
    }
    if (n == 0)
        return 0;
    while (fm->cap <= fm->len + n)
        allocGrow(&fm->buf, &fm->cap, fm->cap, 1);
    memcpy(fm->buf + fm->len, chunk, n);
    fm->len += n;
    return 1;
}

/* Read the next message from the client into *MSG. Returns 1, 0 at end of
 * file, -1 on error. */
static int
fakeMonRead(FakeMon *fm, json_object **msg)
{
    for (;;) {
        size_t skip = 0;
        json_tokener *tok;
        enum json_tokener_error jerr;
        json_object *obj;
        int rc;

        while (skip < fm->len && strchr(" \t\r\n", fm->buf[skip]))
            skip++;
        if (skip < fm->len) {
            tok = json_tokener_new();
            obj = json_tokener_parse_ex(tok, fm->buf + skip,
                                        (int)(fm->len - skip));
            jerr = json_tokener_get_error(tok);
            if (jerr == json_tokener_success) {
                skip += json_tokener_get_parse_end(tok);
                json_tokener_free(tok);
                memmove(fm->buf, fm->buf + skip, fm->len - skip);
                fm->len -= skip;
                *msg = obj;
                return 1;
            }
            json_tokener_free(tok);
            if (jerr != json_tokener_continue) {
                fakeMonFail(fm, "client sent bad JSON: %.*s",
                            (int)(fm->len - skip), fm->buf + skip);
                return -1;
            }
        }
        if ((rc = fakeMonFill(fm)) <= 0)
            return rc;
    }
}

/* Read one command: record it, remember its id, strip the id. */
static int
fakeMonReadCommand(FakeMon *fm, json_object **cmd)
{
    json_object *msg = NULL;
    json_object *id;
    int rc;

    if ((rc = fakeMonRead(fm, &msg)) <= 0) {
        if (rc == 0)
            fakeMonFail(fm, "client hung up while a command was expected");
        return -1;
    }
    json_object_put(fm->lastId);
    fm->lastId = NULL;
    if (json_object_object_get_ex(msg, "id", &id)) {
        fm->lastId = json_object_get(id);
        json_object_object_del(msg, "id");
    }
    pthread_mutex_lock(&seenLock);
    if (!seen)
        seen = json_object_new_array();
    json_object_array_add(seen, json_object_get(msg));
    pthread_mutex_unlock(&seenLock);
    *cmd = msg;
    return 0;
}

static bool
fakeMonMatches(json_object *got, const char *want, FakeMon *fm)
{
    json_object *w = json_tokener_parse(want);
    bool ok;

    if (!w) {
        fakeMonFail(fm, "bad expected command in script: %s", want);
        return false;
    }
    ok = json_object_equal(got, w);
    json_object_put(w);
    return ok;
}

static const char *
fakeMonStr(json_object *o)
{
    return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                          JSON_C_TO_STRING_NOSLASHESCAPE);
}

static int
fakeMonStepExpect(FakeMon *fm, Step *s)
{
    json_object *cmd = NULL;
    int ret = -1;

    fm->fdArrived = false;
    if (fakeMonReadCommand(fm, &cmd) < 0)
        return -1;
    if (!fakeMonMatches(cmd, s->cmds[0], fm)) {
        fakeMonFail(fm, "got command %s\n#   want %s", fakeMonStr(cmd),
                    s->cmds[0]);
        fakeMonSendReply(fm, "{\"error\": {\"class\": \"GenericError\", "
                         "\"desc\": \"fakemon: unexpected command\"}}",
                         fm->lastId);
        goto cleanup;
    }
    if (s->kind == STEP_EXPECT_FD && !fm->fdArrived) {
        fakeMonFail(fm, "no descriptor came with %s", s->cmds[0]);
        goto cleanup;
    }
    if (s->replies[0] && fakeMonSendReply(fm, s->replies[0], fm->lastId) < 0)
        goto cleanup;
    ret = 0;

 cleanup:
    json_object_put(cmd);
    return ret;
}

static int
fakeMonStepUnordered(FakeMon *fm, Step *s)
{
    json_object **ids;
    size_t *which;
    bool *used;
    size_t i;
    size_t j;
    int ret = -1;

    ALLOC_N(ids, s->n);
    ALLOC_N(which, s->n);
    ALLOC_N(used, s->n);
    for (i = 0; i < s->n; i++) {
        json_object *cmd = NULL;

        if (fakeMonReadCommand(fm, &cmd) < 0)
            goto cleanup;
        for (j = 0; j < s->n; j++) {
            if (!used[j] && fakeMonMatches(cmd, s->cmds[j], fm))
                break;
        }
        if (j == s->n) {
            fakeMonFail(fm, "unexpected command %s", fakeMonStr(cmd));
            json_object_put(cmd);
            goto cleanup;
        }
        json_object_put(cmd);
        used[j] = true;
        which[i] = j;
        ids[i] = json_object_get(fm->lastId);
    }
    for (i = s->n; i-- > 0;) {
        if (fakeMonSendReply(fm, s->replies[which[i]], ids[i]) < 0)
            goto cleanup;
    }
    ret = 0;

 cleanup:
    for (i = 0; i < s->n; i++)
        json_object_put(ids[i]);
    free(ids);
    free(which);
    free(used);
    return ret;
}

/* After the script: every further command is a failure; wait for EOF. */
static void
fakeMonDrain(FakeMon *fm)
{
    json_object *msg = NULL;
    int rc;

    while ((rc = fakeMonRead(fm, &msg)) > 0) {
        fakeMonFail(fm, "unexpected command after the script: %s",
                    fakeMonStr(msg));
        json_object_put(msg);
        msg = NULL;
    }
}

static int
fakeMonAccept(FakeMon *fm)
{
    struct pollfd pfd = { .fd = fm->listenFd, .events = POLLIN };

    if (poll(&pfd, 1, FAKEMON_WAIT_MS) <= 0) {
        fakeMonFail(fm, "no client connected to %s", fm->path);
        return -1;
    }
    if ((fm->fd = accept4(fm->listenFd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
        fakeMonFail(fm, "accept failed: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static void *
fakeMonThread(void *opaque)
{
    FakeMon *fm = opaque;
    size_t i;

    if (fm->listenFd >= 0 && fakeMonAccept(fm) < 0)
        return NULL;
    for (i = 0; i < fm->nsteps; i++) {
        Step *s = &fm->steps[i];
        int rc = 0;

        switch (s->kind) {
        case STEP_EXPECT:
        case STEP_EXPECT_FD:
            rc = fakeMonStepExpect(fm, s);
            break;
        case STEP_UNORDERED:
            rc = fakeMonStepUnordered(fm, s);
            break;
        case STEP_REPLY:
            rc = fakeMonSendReply(fm, s->text, fm->lastId);
            break;
        case STEP_SEND:
            rc = fakeMonSendText(fm, s->text);
            break;
        case STEP_DELAY:
            usleep(s->ms * 1000);
            break;
        case STEP_HANGUP:
            close(fm->fd);
            fm->fd = -1;
            fm->hungUp = true;
            return NULL;
        }
        if (rc < 0) {
            fakeMonFail(fm, "script stopped at step %zu", i);
            break;
        }
    }
    fakeMonDrain(fm);
    return NULL;
}

void
fakeMonStart(FakeMon *fm)
{
    if (fm->path) {
        struct sockaddr_un addr = { .sun_family = AF_UNIX };

        snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", fm->path);
        unlink(fm->path);
        fm->listenFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fm->listenFd < 0 ||
            bind(fm->listenFd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
            listen(fm->listenFd, 1) < 0)
            abort();
    }
    if (pthread_create(&fm->thread, NULL, fakeMonThread, fm) != 0)
        abort();
    fm->started = true;
}

int
fakeMonFinish(FakeMon *fm)
{
    if (fm->started) {
        pthread_join(fm->thread, NULL);
        fm->started = false;
    }
    if (fm->path)
        unlink(fm->path);
    return fm->failures;
}

int
fakeMonTakeFd(FakeMon *fm)
{
    int fd = fm->lastFd;

    fm->lastFd = -1;
    return fd;
}

void
fakeMonFree(FakeMon *fm)
{
    size_t i;
    size_t j;

    if (!fm)
        return;
    fakeMonFinish(fm);
    for (i = 0; i < fm->nsteps; i++) {
        for (j = 0; j < fm->steps[i].n; j++) {
            free(fm->steps[i].cmds[j]);
            free(fm->steps[i].replies[j]);
        }
        free(fm->steps[i].cmds);
        free(fm->steps[i].replies);
        free(fm->steps[i].text);
    }
    free(fm->steps);
    free(fm->buf);
    free(fm->path);
    json_object_put(fm->lastId);
    if (fm->fd >= 0)
        close(fm->fd);
    if (fm->listenFd >= 0)
        close(fm->listenFd);
    if (fm->lastFd >= 0)
        close(fm->lastFd);
    free(fm);
}

json_object *
fakeMonSeen(void)
{
    json_object *list;

    pthread_mutex_lock(&seenLock);
    if (!seen)
        seen = json_object_new_array();
    list = seen;
    pthread_mutex_unlock(&seenLock);
    return list;
}

void
fakeMonSeenFree(void)
{
    pthread_mutex_lock(&seenLock);
    json_object_put(seen);
    seen = NULL;
    pthread_mutex_unlock(&seenLock);
}
