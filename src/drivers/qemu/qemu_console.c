/* qemu_console.c: a domain's console (a QEMU pty) joined to a virStream
 * through a socket pair and a relay thread, so that a forced open can cut
 * the previous session off */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"

#include "alloc.h"
#include "error.h"
#include "fdstream.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

struct QemuConsole {
    int pty;                    /* the pty QEMU serves */
    int sock;                   /* our end of the pair; the stream has the
                                   other */
    int stopfd;                 /* eventfd: leave the relay */
    pthread_t thread;
    atomic_bool finished;       /* the relay ended by itself */
};

/* Write all of BUF to FD; false on failure. */
static bool
consoleWriteAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };

            poll(&p, 1, 100);
            continue;
        }
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Copy bytes both ways until one side closes or we are told to stop. */
static void *
consoleRelay(void *opaque)
{
    QemuConsole *c = opaque;
    char buf[4096];

    for (;;) {
        struct pollfd p[3] = {
            { .fd = c->pty, .events = POLLIN },
            { .fd = c->sock, .events = POLLIN },
            { .fd = c->stopfd, .events = POLLIN },
        };
        ssize_t n;

        if (poll(p, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[2].revents)
            break;
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            n = read(c->pty, buf, sizeof(buf));
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0 || !consoleWriteAll(c->sock, buf, (size_t)n))
                break;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            n = read(c->sock, buf, sizeof(buf));
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0 || !consoleWriteAll(c->pty, buf, (size_t)n))
                break;
        }
    }
    /* the stream reader sees the end of the stream */
    shutdown(c->sock, SHUT_RDWR);
    atomic_store(&c->finished, true);
    return NULL;
}

void
qemuConsoleClose(QemuDom *d)
{
    QemuConsole *c = d->console;
    uint64_t one = 1;

    if (!c)
        return;
    d->console = NULL;
    if (write(c->stopfd, &one, sizeof(one)) < 0)
        logDebug("qemu", "console stop failed: %s", strerror(errno));
    pthread_join(c->thread, NULL);
    close(c->pty);
    close(c->sock);
    close(c->stopfd);
    free(c);
}

/* The character device DEVNAME (alias or index-free name; NULL: the first
 * serial or console) of DEF, or NULL with an error. */
static ChrDef *
consoleFind(DomainDef *def, const char *devname)
{
    ChrDef **lists[] = { def->consoles, def->serials, def->channels };
    size_t counts[] = { def->nconsoles, def->nserials, def->nchannels };

    for (size_t l = 0; l < 3; l++) {
        for (size_t i = 0; i < counts[l]; i++) {
            ChrDef *chr = lists[l][i];

            if (!devname && l < 2)
                return chr;
            if (devname && ((chr->info.alias &&
                             strcmp(chr->info.alias, devname) == 0) ||
                            (chr->targetName &&
                             strcmp(chr->targetName, devname) == 0)))
                return chr;
        }
    }
    if (devname)
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no character "
                    "device '%s'", def->name, devname);
    else
        reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' has no console",
                    def->name);
    return NULL;
}

/* Open the pty at PATH in raw mode. Returns the fd or -1 with an error. */
static int
consoleOpenPty(const char *path)
{
    struct termios t;
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0) {
        reportSystemError(errno, "cannot open console pty '%s'", path);
        return -1;
    }
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
    return fd;
}

int
qemuConsoleOpen(QemuDom *d, const char *devname, virStreamPtr st,
                unsigned int flags)
{
    QemuConsole *c = NULL;
    ChrDef *chr;
    int sv[2] = { -1, -1 };

    if (qemuDomCheckActive(d) < 0 || !(chr = consoleFind(d->def, devname)))
        return -1;
    if (chr->type != CHR_TYPE_PTY || !chr->srcPath) {
        reportError(VIR_ERR_OPERATION_FAILED, "character device '%s' of "
                    "domain '%s' is not a pty", chr->info.alias ?
                    chr->info.alias : "?", d->def->name);
        return -1;
    }
    if (d->console && !atomic_load(&d->console->finished) &&
        !(flags & VIR_DOMAIN_CONSOLE_FORCE)) {
        reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already has an "
                    "active console session (use force to take it over)",
                    d->def->name);
        return -1;
    }
    qemuConsoleClose(d);
    c = allocZero(sizeof(*c));
    c->sock = c->stopfd = -1;
    if ((c->pty = consoleOpenPty(chr->srcPath)) < 0)
        goto error;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
        (c->stopfd = eventfd(0, EFD_CLOEXEC)) < 0) {
        reportSystemError(errno, "cannot set up the console of domain '%s'",
                          d->def->name);
        goto error;
    }
    c->sock = sv[1];
    sv[1] = -1;
    if (fdStreamOpen(st, sv[0]) < 0) {
        sv[0] = -1;
        goto error;
    }
    sv[0] = -1;
    if (pthread_create(&c->thread, NULL, consoleRelay, c) != 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "cannot start the console "
                    "relay of domain '%s'", d->def->name);
        goto error;
    }
    d->console = c;
    return 0;

 error:
    if (sv[0] >= 0)
        close(sv[0]);
    if (sv[1] >= 0)
        close(sv[1]);
    if (c->pty >= 0)
        close(c->pty);
    if (c->sock >= 0)
        close(c->sock);
    if (c->stopfd >= 0)
        close(c->stopfd);
    free(c);
    return -1;
}
