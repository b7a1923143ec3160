/* fdstream.c: StreamOps over a file descriptor, with event loop watches */
#define ERROR_DOMAIN VIR_FROM_STREAMS

#include "fdstream.h"
#include "stream.h"
#include "eventloop.h"
#include "error.h"
#include "alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd;                     /* -1 once finished or aborted */
    bool canRead;
    bool canWrite;
    bool isSocket;              /* send() with MSG_NOSIGNAL */
    bool isFifo;                /* writes may raise SIGPIPE */
    bool isTty;                 /* EIO on read means the other side hung up */
    int watch;                  /* event loop watch, -1 when none */
} FdStream;

/* What the event loop holds for a watch: freed by the loop after removal. */
typedef struct {
    virStreamPtr st;            /* holds a reference */
    virStreamEventCallback cb;
    void *opaque;
    virFreeCallback ff;
} FdStreamWatch;

static int
fdStreamToHandleEvents(int events)
{
    int ret = 0;

    if (events & VIR_STREAM_EVENT_READABLE)
        ret |= VIR_EVENT_HANDLE_READABLE;
    if (events & VIR_STREAM_EVENT_WRITABLE)
        ret |= VIR_EVENT_HANDLE_WRITABLE;
    if (events & VIR_STREAM_EVENT_ERROR)
        ret |= VIR_EVENT_HANDLE_ERROR;
    if (events & VIR_STREAM_EVENT_HANGUP)
        ret |= VIR_EVENT_HANDLE_HANGUP;
    return ret;
}

static int
fdStreamFromHandleEvents(int events)
{
    int ret = 0;

    if (events & VIR_EVENT_HANDLE_READABLE)
        ret |= VIR_STREAM_EVENT_READABLE;
    if (events & VIR_EVENT_HANDLE_WRITABLE)
        ret |= VIR_STREAM_EVENT_WRITABLE;
    if (events & VIR_EVENT_HANDLE_ERROR)
        ret |= VIR_STREAM_EVENT_ERROR;
    if (events & VIR_EVENT_HANDLE_HANGUP)
        ret |= VIR_STREAM_EVENT_HANGUP;
    return ret;
}

/* Block until FD is ready for EVENTS (POLLIN / POLLOUT) or in error; the
 * following read or write tells which. 0 or -1 with an error set. */
static int
fdStreamWait(int fd, short events)
{
    struct pollfd pfd = { .fd = fd, .events = events };

    while (poll(&pfd, 1, -1) < 0) {
        if (errno != EINTR) {
            reportSystemError(errno, "cannot wait for stream data");
            return -1;
        }
    }
    return 0;
}

/* write(2) that never lets SIGPIPE reach the process. Sets errno. */
static ssize_t
fdStreamWrite(FdStream *fs, const char *data, size_t nbytes)
{
    sigset_t pipeSet;
    sigset_t oldSet;
    sigset_t pending;
    bool wasPending;
    ssize_t n;
    int err;

    if (fs->isSocket)
        return send(fs->fd, data, nbytes, MSG_NOSIGNAL);
    if (!fs->isFifo)
        return write(fs->fd, data, nbytes);

    /* A pipe with no reader left raises SIGPIPE in the writing thread: keep
     * it blocked around the write and swallow the one we caused. */
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSet, &oldSet);
    sigpending(&pending);
    wasPending = sigismember(&pending, SIGPIPE);
    n = write(fs->fd, data, nbytes);
    err = errno;
    if (n < 0 && err == EPIPE && !wasPending) {
        struct timespec zero = { 0, 0 };

        while (sigtimedwait(&pipeSet, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &oldSet, NULL);
    errno = err;
    return n;
}

static int
fdStreamSend(virStreamPtr st, const char *data, size_t nbytes)
{
    FdStream *fs = st->privateData;
    ssize_t n;

    if (!fs->canWrite) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "stream is not open for writing");
        return -1;
    }
    for (;;) {
        if ((n = fdStreamWrite(fs, data, nbytes)) >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            reportSystemError(errno, "cannot write to stream");
            return -1;
        }
        if (st->flags & VIR_STREAM_NONBLOCK)
            return -2;
        if (fdStreamWait(fs->fd, POLLOUT) < 0)
            return -1;
    }
}

static int
fdStreamRecv(virStreamPtr st, char *data, size_t nbytes, unsigned int flags)
{
    FdStream *fs = st->privateData;
    ssize_t n;

    if (!fs->canRead) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "stream is not open for reading");
        return -1;
    }
    for (;;) {
        if ((n = read(fs->fd, data, nbytes)) >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno == EIO && fs->isTty)
            return 0;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            reportSystemError(errno, "cannot read from stream");
            return -1;
        }
        if (st->flags & VIR_STREAM_NONBLOCK)
            return -2;
        if (fdStreamWait(fs->fd, POLLIN) < 0)
            return -1;
    }
}

/* Drop the event watch if there is one; the loop frees its record later.
 * Returns 0 or -1 with an error set. */
static int
fdStreamUnwatch(FdStream *fs)
{
    int watch = fs->watch;

    if (watch < 0)
        return 0;
    fs->watch = -1;
    return eventRemoveHandle(watch);
}

static int
fdStreamFinish(virStreamPtr st)
{
    FdStream *fs = st->privateData;
    int ret = fdStreamUnwatch(fs);
    int fd = fs->fd;

    fs->fd = -1;
    /* close() reports a write the kernel could not complete (NFS, quota);
     * on Linux the descriptor is gone even when it fails. */
    if (close(fd) < 0 && errno != EINTR && ret == 0) {
        reportSystemError(errno, "cannot close stream");
        ret = -1;
    }
    return ret;
}

static void
fdStreamAbort(virStreamPtr st)
{
    FdStream *fs = st->privateData;
    virErrorPtr saved = errorSave();

    fdStreamUnwatch(fs);
    if (fs->fd >= 0)
        close(fs->fd);
    fs->fd = -1;
    errorRestore(&saved);
}

/* Runs in the event loop, without the stream lock (the callback may use the
 * stream). The record cannot go away while the watch dispatches. */
static void
fdStreamEvent(int watch, int fd, int events, void *opaque)
{
    FdStreamWatch *w = opaque;

    w->cb(w->st, fdStreamFromHandleEvents(events), w->opaque);
}

/* Called by the event loop once the watch is removed. */
static void
fdStreamWatchFree(void *opaque)
{
    FdStreamWatch *w = opaque;

    if (w->ff)
        w->ff(w->opaque);
    objectUnref(w->st);
    free(w);
}

static int
fdStreamEventAdd(virStreamPtr st, int events, virStreamEventCallback cb,
                 void *opaque, virFreeCallback ff)
{
    FdStream *fs = st->privateData;
    FdStreamWatch *w = NULL;

    if (fs->watch >= 0) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "stream already has an event callback");
        return -1;
    }
    ALLOC(w);
    objectRef(st);
    w->st = st;
    w->cb = cb;
    w->opaque = opaque;
    w->ff = ff;
    fs->watch = eventAddHandle(fs->fd, fdStreamToHandleEvents(events),
                               fdStreamEvent, w, fdStreamWatchFree);
    if (fs->watch < 0) {
        /* The caller holds a reference too: this cannot free ST. */
        objectUnref(st);
        free(w);
        return -1;
    }
    return 0;
}

static int
fdStreamEventUpdate(virStreamPtr st, int events)
{
    FdStream *fs = st->privateData;

    if (fs->watch < 0) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "stream has no event callback");
        return -1;
    }
    /* The loop's update reports its failures but returns nothing; the
     * public entry point cleared the error before calling us. */
    eventUpdateHandle(fs->watch, fdStreamToHandleEvents(events));
    return errorIsSet() ? -1 : 0;
}

static int
fdStreamEventRemove(virStreamPtr st)
{
    FdStream *fs = st->privateData;

    if (fs->watch < 0) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "stream has no event callback");
        return -1;
    }
    return fdStreamUnwatch(fs);
}

static void
fdStreamClose(virStreamPtr st)
{
    FdStream *fs = st->privateData;

    if (fs->fd >= 0)
        close(fs->fd);
    free(fs);
}

static const StreamOps fdStreamOps = {
    .name = "fd",
    .send = fdStreamSend,
    .recv = fdStreamRecv,
    .finish = fdStreamFinish,
    .abort = fdStreamAbort,
    .eventAdd = fdStreamEventAdd,
    .eventUpdate = fdStreamEventUpdate,
    .eventRemove = fdStreamEventRemove,
    .close = fdStreamClose,
};

/* Attach ST to FD, which we own from here on (see fdstream.h). */
int
fdStreamOpen(virStreamPtr st, int fd)
{
    FdStream *fs = NULL;
    struct stat sb;
    int fl;

    if (fd < 0) {
        reportError(VIR_ERR_INTERNAL_ERROR,
                    "invalid file descriptor %d for a stream", fd);
        return -1;
    }
    if (fstat(fd, &sb) < 0 || (fl = fcntl(fd, F_GETFL)) < 0) {
        reportSystemError(errno, "cannot inspect stream descriptor %d", fd);
        goto error;
    }
    if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        reportSystemError(errno, "cannot make stream descriptor %d "
                          "non-blocking", fd);
        goto error;
    }
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        reportSystemError(errno, "cannot set close-on-exec on stream "
                          "descriptor %d", fd);
        goto error;
    }

    ALLOC(fs);
    fs->fd = fd;
    fs->canRead = (fl & O_ACCMODE) != O_WRONLY;
    fs->canWrite = (fl & O_ACCMODE) != O_RDONLY;
    fs->isSocket = S_ISSOCK(sb.st_mode);
    fs->isFifo = S_ISFIFO(sb.st_mode);
    fs->isTty = isatty(fd);
    fs->watch = -1;
    if (streamAttach(st, &fdStreamOps, fs) < 0)
        goto error;
    return 0;

 error:
    free(fs);
    close(fd);
    return -1;
}

/* Open PATH and attach ST to it (see fdstream.h). */
int
fdStreamOpenFile(virStreamPtr st, const char *path, int oflags)
{
    int fd;

    if ((fd = open(path, oflags | O_CLOEXEC | O_NOCTTY, 0600)) < 0) {
        reportSystemError(errno, "cannot open '%s'", path);
        return -1;
    }
    return fdStreamOpen(st, fd);
}
