/* test_streams.c: test driver streams: screenshots (a PPM image served
 * through a pipe) and consoles/channels. A console is a socketpair: the
 * caller's stream gets one end, a small thread serves the other like a
 * guest's terminal: it greets with one line, then echoes what it reads. */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "alloc.h"
#include "error.h"
#include "fdstream.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SHOT_W 64
#define SHOT_H 48

static int
testStreamCheck(virDomainPtr dom, virStreamPtr st)
{
    if (st->conn != dom->conn) {
        reportError(VIR_ERR_INVALID_ARG, "the stream belongs to another "
                    "connection");
        return -1;
    }
    return 0;
}

/* A PPM picture of the screen: a gradient tinted by NAME and STATE. */
static char *
testScreenImage(const char *name, int state, size_t *len)
{
    char header[32];
    int hl = snprintf(header, sizeof(header), "P6\n%d %d\n255\n", SHOT_W,
                      SHOT_H);
    unsigned char *img = allocZero(hl + SHOT_W * SHOT_H * 3);
    unsigned int tint = 0;

    for (const char *p = name; *p; p++)
        tint = tint * 31 + (unsigned char)*p;
    memcpy(img, header, hl);
    for (int y = 0; y < SHOT_H; y++) {
        for (int x = 0; x < SHOT_W; x++) {
            unsigned char *px = img + hl + (y * SHOT_W + x) * 3;

            px[0] = (unsigned char)(x * 4);
            px[1] = (unsigned char)(y * 5);
            px[2] = (unsigned char)(tint + state * 40);
        }
    }
    *len = hl + SHOT_W * SHOT_H * 3;
    return (char *)img;
}

static char *
testDomainScreenshot(virDomainPtr dom, virStreamPtr st, unsigned int screen,
                     unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    char *img = NULL;
    size_t len = 0;
    int fds[2] = { -1, -1 }, state;
    unsigned int screens = 1;

    if (testCheckFlags(flags, 0) < 0 || testStreamCheck(dom, st) < 0 ||
        !(d = testDomainAcquire(dom, &h)))
        return NULL;
    if (testDomainCheckActive(d) < 0)
        goto error;
    if (d->def->nvideos && d->def->videos[0]->heads > 1)
        screens = d->def->videos[0]->heads;
    if (screen >= screens) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no screen %u",
                    d->def->name, screen);
        goto error;
    }
    state = d->state;
    img = testScreenImage(d->def->name, state, &len);
    testHostUnlock(h);
    /* the whole picture fits in the pipe's buffer: write, then hand over */
    if (pipe(fds) < 0) {
        reportSystemError(errno, "cannot create a pipe for the screenshot");
        goto cleanup;
    }
    if (write(fds[1], img, len) != (ssize_t)len) {
        reportSystemError(errno, "cannot write the screenshot");
        goto cleanup;
    }
    close(fds[1]);
    fds[1] = -1;
    if (fdStreamOpen(st, fds[0]) < 0) {
        fds[0] = -1;
        goto cleanup;
    }
    free(img);
    return allocStrdup("image/x-portable-pixmap");

 error:
    testHostUnlock(h);
 cleanup:
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    free(img);
    return NULL;
}

/* ---- console and channel sessions ---- */

typedef struct {
    char *dev;                  /* device name the session is for */
    int fd;                     /* our end of the socketpair */
    pthread_t thread;
    int alive;                  /* atomic: the thread still serves */
    int run;                    /* the domain id it was opened under */
    char *banner;
} TestChrSession;

struct _TestChrSessions {
    TestChrSession **s;
    size_t n;
};

static void *
testChrServe(void *opaque)
{
    TestChrSession *s = opaque;
    char buf[512];
    ssize_t n;

    if (send(s->fd, s->banner, strlen(s->banner), MSG_NOSIGNAL) >= 0) {
        while ((n = recv(s->fd, buf, sizeof(buf), 0)) > 0) {
            if (send(s->fd, buf, n, MSG_NOSIGNAL) < 0)
                break;
        }
    }
    __atomic_store_n(&s->alive, 0, __ATOMIC_SEQ_CST);
    return NULL;
}

/* Disconnect and reap S. */
static void
testChrStop(TestChrSession *s)
{
    shutdown(s->fd, SHUT_RDWR);
    pthread_join(s->thread, NULL);
    close(s->fd);
    free(s->dev);
    free(s->banner);
    free(s);
}

/* End every session (the domain or its host goes away). */
void
testChrSessionsFree(TestChrSessions *ss)
{
    if (!ss)
        return;
    for (size_t i = 0; i < ss->n; i++)
        testChrStop(ss->s[i]);
    free(ss->s);
    free(ss);
}

/* The name of character device C of kind PREFIX at index IDX. */
static bool
testChrMatches(const ChrDef *c, const char *prefix, size_t idx,
               const char *name)
{
    char gen[32];

    snprintf(gen, sizeof(gen), "%s%zu", prefix, idx);
    return strcmp(name, gen) == 0 ||
           (c->info.alias && strcmp(c->info.alias, name) == 0) ||
           (c->targetName && strcmp(c->targetName, name) == 0);
}

/* Resolve the device a console/channel call means; *CANON gets its name. */
static int
testChrFind(const DomainDef *def, const char *name, bool channel,
            char **canon)
{
    struct { ChrDef **list; size_t n; const char *prefix; } kinds[] = {
        { def->consoles, def->nconsoles, "console" },
        { def->serials, def->nserials, "serial" },
        { def->parallels, def->nparallels, "parallel" },
        { def->channels, def->nchannels, "channel" },
    };
    size_t first = channel ? 3 : 0, last = channel ? 3 : 2;

    for (size_t k = first; k <= last; k++) {
        for (size_t i = 0; i < kinds[k].n; i++) {
            if (!name || testChrMatches(kinds[k].list[i], kinds[k].prefix, i,
                                        name)) {
                *canon = allocPrintf("%s%zu", kinds[k].prefix, i);
                return 0;
            }
        }
    }
    if (name)
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no %s '%s'",
                    def->name, channel ? "channel" : "character device",
                    name);
    else
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' has no %s",
                    def->name, channel ? "channel" : "console");
    return -1;
}

/* Attach ST to a new session on DEV of D; an open one blocks unless FORCE
 * (then it is disconnected). */
static int
testChrOpen(TestDomain *d, const char *dev, virStreamPtr st, bool force)
{
    TestExt *e = testExt(d);
    TestChrSession *s;
    size_t i;
    int fds[2];

    if (!e->chr)
        ALLOC(e->chr);
    for (i = 0; i < e->chr->n && strcmp(e->chr->s[i]->dev, dev) != 0; i++)
        ;
    if (i < e->chr->n) {
        if (__atomic_load_n(&e->chr->s[i]->alive, __ATOMIC_SEQ_CST) &&
            e->chr->s[i]->run == d->def->id && !force) {
            reportError(VIR_ERR_OPERATION_FAILED, "%s of domain '%s' is "
                        "already open in another session", dev, d->def->name);
            return -1;
        }
        testChrStop(e->chr->s[i]);
        e->chr->s[i] = e->chr->s[--e->chr->n];
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0) {
        reportSystemError(errno, "cannot create a socket pair for '%s'", dev);
        return -1;
    }
    ALLOC(s);
    s->dev = allocStrdup(dev);
    s->fd = fds[1];
    s->alive = 1;
    s->run = d->def->id;
    s->banner = allocPrintf("vireo test console: domain %s, %s\r\n",
                            d->def->name, dev);
    if (fdStreamOpen(st, fds[0]) < 0 ||
        (errno = pthread_create(&s->thread, NULL, testChrServe, s)) != 0) {
        if (!errorIsSet())
            reportSystemError(errno, "cannot start the %s service", dev);
        close(s->fd);
        free(s->dev);
        free(s->banner);
        free(s);
        return -1;
    }
    allocResize(&e->chr->s, e->chr->n, e->chr->n + 1, sizeof(*e->chr->s));
    e->chr->s[e->chr->n++] = s;
    return 0;
}

static int
testChrOpenCall(virDomainPtr dom, const char *name, virStreamPtr st,
                bool channel, bool force)
{
    TestHost *h;
    TestDomain *d;
    char *dev = NULL;
    int ret = -1;

    if (testStreamCheck(dom, st) < 0 || !(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) < 0 ||
        testChrFind(d->def, name, channel, &dev) < 0)
        goto cleanup;
    ret = testChrOpen(d, dev, st, force);

 cleanup:
    free(dev);
    testHostUnlock(h);
    return ret;
}

static int
testDomainOpenConsole(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                      unsigned int flags)
{
    if (testCheckFlags(flags, VIR_DOMAIN_CONSOLE_FORCE |
                       VIR_DOMAIN_CONSOLE_SAFE) < 0)
        return -1;
    return testChrOpenCall(dom, dev_name, st, false,
                           flags & VIR_DOMAIN_CONSOLE_FORCE);
}

static int
testDomainOpenChannel(virDomainPtr dom, const char *name, virStreamPtr st,
                      unsigned int flags)
{
    if (testCheckFlags(flags, VIR_DOMAIN_CHANNEL_FORCE) < 0)
        return -1;
    return testChrOpenCall(dom, name, st, true,
                           flags & VIR_DOMAIN_CHANNEL_FORCE);
}

/* Fill in this file's slots. */
void
testStreamsFill(Driver *drv)
{
    drv->domainScreenshot = testDomainScreenshot;
    drv->domainOpenConsole = testDomainOpenConsole;
    drv->domainOpenChannel = testDomainOpenChannel;
}
