/* console.c: the terminal joined to a domain's console through a virStream,
 * driven by libvirt's default event loop; Ctrl+] detaches */
#include "vireo.h"

#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define CONSOLE_ESCAPE 0x1d     /* Ctrl+] */
#define CONSOLE_BUF 4096
#define CONSOLE_DRAIN_MS 500    /* after end of input, wait this long for
                                   the guest to go quiet */

typedef struct {
    virStreamPtr st;
    int stdinWatch;
    int drainTimer;             /* running once input has ended */
    bool quit;
    bool failed;                /* an error was printed */
    char out[CONSOLE_BUF];      /* typed, not yet taken by the stream */
    size_t outlen;
} Console;

static void
consoleStop(Console *c, bool failed)
{
    c->quit = true;
    c->failed = c->failed || failed;
}

/* Write all of BUF to standard output; false if that failed. */
static bool
consoleWriteAll(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Ask for the events we can act on now: the stream's output always, its
 * room for input while we hold some; stdin while there is room for it. */
static void
consoleUpdate(Console *c)
{
    int events = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR |
                 VIR_STREAM_EVENT_HANGUP;

    if (c->outlen > 0)
        events |= VIR_STREAM_EVENT_WRITABLE;
    virStreamEventUpdateCallback(c->st, events);
    if (c->stdinWatch >= 0)
        virEventUpdateHandle(c->stdinWatch,
                             c->outlen < CONSOLE_BUF ?
                             VIR_EVENT_HANDLE_READABLE : 0);
}

static void
consoleStreamEvent(virStreamPtr st, int events, void *opaque)
{
    Console *c = opaque;
    char buf[CONSOLE_BUF];
    int n;

    if (events & VIR_STREAM_EVENT_READABLE) {
        while ((n = virStreamRecv(st, buf, sizeof(buf))) > 0) {
            if (!consoleWriteAll(buf, (size_t)n)) {
                consoleStop(c, false);
                return;
            }
            if (c->drainTimer >= 0)
                virEventUpdateTimeout(c->drainTimer, CONSOLE_DRAIN_MS);
        }
        if (n == 0) {               /* the console closed */
            consoleStop(c, false);
            return;
        }
        if (n == -1) {
            errorsReport();
            consoleStop(c, true);
            return;
        }
    }
    if ((events & VIR_STREAM_EVENT_WRITABLE) && c->outlen > 0) {
        n = virStreamSend(st, c->out, c->outlen);
        if (n == -1) {
            errorsReport();
            consoleStop(c, true);
            return;
        }
        if (n > 0) {
            memmove(c->out, c->out + n, c->outlen - (size_t)n);
            c->outlen -= (size_t)n;
        }
    }
    if (events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP)) {
        consoleStop(c, false);
        return;
    }
    consoleUpdate(c);
}

static void
consoleDrained(int timer, void *opaque)
{
    consoleStop(opaque, false);
}

/* Input ended (a script piped into us): stop reading it, let what was typed
 * reach the guest, and leave once the console has been quiet a moment, so
 * that `echo cmd | vireo console dom` shows the command's output. */
static void
consoleInputEnded(Console *c)
{
    virEventRemoveHandle(c->stdinWatch);
    c->stdinWatch = -1;
    if ((c->drainTimer = virEventAddTimeout(CONSOLE_DRAIN_MS, consoleDrained,
                                            c, NULL)) < 0)
        consoleStop(c, false);
    else
        consoleUpdate(c);
}

static void
consoleStdinEvent(int watch, int fd, int events, void *opaque)
{
    Console *c = opaque;
    ssize_t n;
    char *esc;

    if (c->outlen == CONSOLE_BUF)
        return;
    n = read(fd, c->out + c->outlen, CONSOLE_BUF - c->outlen);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {                   /* end of input */
        consoleInputEnded(c);
        return;
    }
    if ((esc = memchr(c->out + c->outlen, CONSOLE_ESCAPE, (size_t)n))) {
        /* what came before the escape still goes to the guest */
        c->outlen = (size_t)(esc - c->out);
        if (c->outlen > 0)
            virStreamSend(c->st, c->out, c->outlen);
        consoleStop(c, false);
        return;
    }
    c->outlen += (size_t)n;
    consoleUpdate(c);
}

/* Join the terminal to DOM's console DEVNAME (NULL: the first one) until
 * Ctrl+], end of input or the console closing. FLAGS are
 * virDomainOpenConsole's. Returns an exit status; errors are printed. */
int
consoleAttach(virDomainPtr dom, const char *devname, unsigned int flags)
{
    Console c = { .stdinWatch = -1, .drainTimer = -1 };
    struct termios saved;
    bool raw = false;
    bool callback = false;
    int ret = EXIT_FAIL;

    if (!(c.st = virStreamNew(virDomainGetConnect(dom), VIR_STREAM_NONBLOCK)) ||
        virDomainOpenConsole(dom, devname, c.st, flags) < 0) {
        errorsReport();
        goto cleanup;
    }
    if (virStreamEventAddCallback(c.st, VIR_STREAM_EVENT_READABLE |
                                  VIR_STREAM_EVENT_ERROR |
                                  VIR_STREAM_EVENT_HANGUP,
                                  consoleStreamEvent, &c, NULL) < 0) {
        errorsReport();
        goto cleanup;
    }
    callback = true;
    if ((c.stdinWatch = virEventAddHandle(STDIN_FILENO,
                                          VIR_EVENT_HANDLE_READABLE,
                                          consoleStdinEvent, &c, NULL)) < 0) {
        errorsReport();
        goto cleanup;
    }

    fprintf(stderr, "Connected to domain '%s'\n"
            "Escape character is ^] (Ctrl + ])\n", virDomainGetName(dom));
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
        struct termios t = saved;

        cfmakeraw(&t);
        raw = tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == 0;
    }

    while (!c.quit) {
        if (virEventRunDefaultImpl() < 0) {
            errorsReport();
            c.failed = true;
            break;
        }
    }
    ret = c.failed ? EXIT_FAIL : EXIT_OK;

 cleanup:
    if (raw) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    if (c.stdinWatch >= 0)
        virEventRemoveHandle(c.stdinWatch);
    if (c.drainTimer >= 0)
        virEventRemoveTimeout(c.drainTimer);
    if (callback)
        virStreamEventRemoveCallback(c.st);
    if (c.st) {
        if (ret == EXIT_OK)
            virStreamFinish(c.st);
        else
            virStreamAbort(c.st);
        virStreamFree(c.st);
    }
    return ret;
}

int
consoleCommand(Ctx *ctx)
{
    unsigned int flags = 0;

    if (cmdtabBool(ctx, "force"))
        flags |= VIR_DOMAIN_CONSOLE_FORCE;
    if (cmdtabBool(ctx, "safe"))
        flags |= VIR_DOMAIN_CONSOLE_SAFE;
    return consoleAttach(ctx->dom, cmdtabString(ctx, "devname"), flags);
}
