/* test-stream.c: virStream* public API over fd-backed streams (fdstream.c) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../tap.h"
#include "libvirt/object.h"
#include "libvirt/stream.h"
#include "libvirt/fdstream.h"

#define MIB (1024 * 1024)

static virConnectPtr conn;

/* Keep the default error handler from printing expected failures. */
static void
quietErrors(void *opaque, virErrorPtr err)
{
}

/* A deterministic byte pattern, so both ends can check what crossed. */
static unsigned char
patternByte(size_t i)
{
    return (unsigned char)((i * 131 + (i >> 11) * 7 + 3) & 0xff);
}

/* A checksum that notices reordering as well as corruption. */
typedef struct {
    uint64_t sum;
    size_t count;
} Checksum;

static void
checksumAdd(Checksum *c, const char *data, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        c->sum = c->sum * 1099511628211ULL ^ (unsigned char)data[i];
        c->count++;
    }
}

static Checksum
patternChecksum(size_t total)
{
    Checksum c = { 0, 0 };
    size_t i;

    for (i = 0; i < total; i++) {
        char b = patternByte(i);

        checksumAdd(&c, &b, 1);
    }
    return c;
}

/* A stream on CONN attached to one end of a socketpair; *PEER gets the
 * other end. */
static virStreamPtr
pairStream(unsigned int flags, int *peer)
{
    virStreamPtr st;
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        abort();
    if (!(st = virStreamNew(conn, flags)))
        abort();
    if (fdStreamOpen(st, sv[0]) < 0)
        abort();
    *peer = sv[1];
    return st;
}

static void
testRoundTrip(void)
{
    virStreamPtr st;
    char buf[64] = "";
    int peer;

    st = pairStream(0, &peer);
    TAP_INT(virStreamSend(st, "hello", 5), 5, "blocking send");
    TAP_INT(read(peer, buf, sizeof(buf)), 5, "peer reads what was sent");
    TAP_OK(memcmp(buf, "hello", 5) == 0, "peer gets the same bytes");
    TAP_INT(write(peer, "world!", 6), 6, "peer writes");
    memset(buf, 0, sizeof(buf));
    TAP_INT(virStreamRecv(st, buf, sizeof(buf)), 6, "blocking recv");
    TAP_STR(buf, "world!", "recv gets the peer's bytes");
    TAP_INT(write(peer, "xyz", 3), 3, "peer writes again");
    TAP_INT(virStreamRecvFlags(st, buf, 2, VIR_STREAM_RECV_STOP_AT_HOLE), 2,
            "recv with flags honours nbytes");
    TAP_INT(virStreamRecvFlags(st, buf, sizeof(buf), 0), 1,
            "recv with flags gets the rest");
    TAP_INT(virStreamRef(st), 0, "ref");
    TAP_INT(virStreamFree(st), 0, "free one of two references");
    TAP_INT(virStreamFinish(st), 0, "finish");
    TAP_INT(read(peer, buf, sizeof(buf)), 0, "peer sees end of file");
    TAP_INT(virStreamFree(st), 0, "free");
    close(peer);
}

/* Writing into a pipe whose reader is gone fails with EPIPE, not SIGPIPE. */
static void
testBrokenPipe(void)
{
    virStreamPtr st = virStreamNew(conn, 0);
    int fds[2];

    if (pipe(fds) < 0)
        abort();
    close(fds[0]);
    TAP_INT(fdStreamOpen(st, fds[1]), 0, "attach a pipe's write end");
    TAP_INT(virStreamSend(st, "x", 1), -1, "send into a broken pipe fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_SYSTEM_ERROR,
            "broken pipe is a system error");
    TAP_INT(virGetLastErrorDomain(), VIR_FROM_STREAMS,
            "error comes from the streams domain");
    TAP_INT(virStreamRecv(st, (char[4]){0}, 4), -1,
            "recv on a write-only stream fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "write-only stream refuses recv");
    virStreamFree(st);
}

static void
testNonBlocking(void)
{
    virStreamPtr st;
    char *big = calloc(1, 64 * 1024);
    char buf[16];
    int peer;
    int rc = 0;
    int i;

    st = pairStream(VIR_STREAM_NONBLOCK, &peer);
    TAP_INT(virStreamRecv(st, buf, sizeof(buf)), -2,
            "nonblocking recv with nothing to read returns -2");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OK, "-2 sets no error");
    for (i = 0; i < 1000 && rc >= 0; i++)
        rc = virStreamSend(st, big, 64 * 1024);
    TAP_INT(rc, -2, "nonblocking send into a full socket returns -2");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OK, "-2 on send sets no error");
    TAP_INT(virStreamSendAll(st, NULL, NULL), -1, "sendall needs a handler");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "null handler");
    TAP_INT(virStreamAbort(st), 0, "abort");
    virStreamFree(st);
    close(peer);

    st = pairStream(0, &peer);
    close(peer);
    TAP_INT(virStreamRecv(st, buf, sizeof(buf)), 0,
            "recv after the peer closed gives end of file");
    TAP_INT(virStreamFinish(st), 0, "finish after end of file");
    virStreamFree(st);
    free(big);
}

/* ---- SendAll / RecvAll through a helper thread on the peer end ---- */

typedef struct {
    int fd;
    size_t total;               /* bytes to write (writer) */
    Checksum got;               /* what was read (reader) */
} Peer;

static void *
peerReader(void *opaque)
{
    Peer *p = opaque;
    char buf[7000];
    ssize_t n;

    while ((n = read(p->fd, buf, sizeof(buf))) > 0)
        checksumAdd(&p->got, buf, n);
    return NULL;
}

static void *
peerWriter(void *opaque)
{
    Peer *p = opaque;
    char buf[5000];
    size_t off = 0;

    while (off < p->total) {
        size_t n = p->total - off < sizeof(buf) ? p->total - off : sizeof(buf);
        size_t i;
        ssize_t w;

        for (i = 0; i < n; i++)
            buf[i] = patternByte(off + i);
        if ((w = write(p->fd, buf, n)) < 0)
            break;
        off += w;
    }
    close(p->fd);
    return NULL;
}

typedef struct {
    size_t off;
    size_t total;
    int failAfter;              /* calls before returning -1 (-1: never) */
    int calls;
} Source;

static int
sourcePattern(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    Source *src = opaque;
    size_t n = src->total - src->off;
    size_t i;

    if (src->failAfter >= 0 && src->calls++ >= src->failAfter)
        return -1;
    /* odd sizes, to exercise the chunking */
    if (n > nbytes - 17)
        n = nbytes - 17;
    for (i = 0; i < n; i++)
        data[i] = patternByte(src->off + i);
    src->off += n;
    return n;
}

typedef struct {
    Checksum got;
    int failAfter;
    int calls;
} Sink;

static int
sinkChecksum(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    Sink *sink = opaque;

    if (sink->failAfter >= 0 && sink->calls++ >= sink->failAfter)
        return -1;
    /* take at most 3000 bytes per call: RecvAll must offer the rest again */
    if (nbytes > 3000)
        nbytes = 3000;
    checksumAdd(&sink->got, data, nbytes);
    return nbytes;
}

static void
testSendAll(void)
{
    Checksum want = patternChecksum(MIB);
    Source src = { .total = MIB, .failAfter = -1 };
    Peer p = { 0 };
    pthread_t thr;
    virStreamPtr st;

    st = pairStream(0, &p.fd);
    pthread_create(&thr, NULL, peerReader, &p);
    TAP_INT(virStreamSendAll(st, sourcePattern, &src), 0, "sendall 1 MiB");
    TAP_INT(virStreamFinish(st), 0, "finish after sendall");
    pthread_join(thr, NULL);
    TAP_INT(p.got.count, MIB, "peer got 1 MiB");
    TAP_OK(p.got.sum == want.sum, "peer's checksum matches");
    virStreamFree(st);
    close(p.fd);
}

static void
testRecvAll(void)
{
    Checksum want = patternChecksum(MIB);
    Sink sink = { .failAfter = -1 };
    Peer p = { .total = MIB };
    pthread_t thr;
    virStreamPtr st;

    st = pairStream(0, &p.fd);
    pthread_create(&thr, NULL, peerWriter, &p);
    TAP_INT(virStreamRecvAll(st, sinkChecksum, &sink), 0, "recvall 1 MiB");
    pthread_join(thr, NULL);
    TAP_INT(virStreamFinish(st), 0, "finish after recvall");
    TAP_INT(sink.got.count, MIB, "sink got 1 MiB");
    TAP_OK(sink.got.sum == want.sum, "sink's checksum matches");
    virStreamFree(st);
}

static void
testHandlerErrors(void)
{
    Source src = { .total = MIB, .failAfter = 2 };
    Sink sink = { .failAfter = 1 };
    char buf[4096];
    virStreamPtr st;
    int peer;

    st = pairStream(0, &peer);
    /* the peer never reads: keep the data small enough to fit */
    src.total = 100000;
    TAP_INT(virStreamSendAll(st, sourcePattern, &src), -1,
            "sendall fails when the handler does");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_FAILED,
            "handler failure reported");
    TAP_OK(virGetLastErrorMessage() &&
           strstr(virGetLastErrorMessage(), "handler"),
           "message names the handler");
    TAP_INT(virStreamSend(st, "x", 1), -1, "stream was aborted");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "send after a failed sendall is an invalid operation");
    {
        ssize_t got;

        while ((got = read(peer, buf, sizeof(buf))) > 0)
            ;
        TAP_INT(got, 0, "peer drained to end of file after the abort");
    }
    virStreamFree(st);
    close(peer);

    st = pairStream(0, &peer);
    memset(buf, 'a', sizeof(buf));
    TAP_INT(write(peer, buf, sizeof(buf)), sizeof(buf), "peer writes 4 KiB");
    TAP_INT(virStreamRecvAll(st, sinkChecksum, &sink), -1,
            "recvall fails when the handler does");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_FAILED,
            "sink failure reported");
    TAP_INT(virStreamRecv(st, buf, sizeof(buf)), -1, "recv after abort");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "recv after a failed recvall is an invalid operation");
    virStreamFree(st);
    close(peer);

    st = pairStream(VIR_STREAM_NONBLOCK, &peer);
    TAP_INT(virStreamRecvAll(st, sinkChecksum, &sink), -1,
            "recvall on a nonblocking stream fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "handler loops need a blocking stream");
    TAP_INT(virStreamSend(st, "ok", 2), 2,
            "the refused loop left the stream usable");
    virStreamFree(st);
    close(peer);
}

static void
testFinishAbort(void)
{
    virStreamPtr st;
    char buf[8];
    int peer;

    st = pairStream(0, &peer);
    TAP_INT(virStreamFinish(st), 0, "finish");
    TAP_INT(virStreamSend(st, "x", 1), -1, "send after finish fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "send after finish is an invalid operation");
    TAP_INT(virStreamRecv(st, buf, 1), -1, "recv after finish fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "recv after finish is an invalid operation");
    TAP_INT(virStreamFinish(st), -1, "second finish fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "second finish is an invalid operation");
    TAP_INT(virStreamAbort(st), 0, "abort after finish is harmless");
    virStreamFree(st);
    close(peer);

    st = pairStream(0, &peer);
    TAP_INT(virStreamAbort(st), 0, "abort");
    TAP_INT(read(peer, buf, sizeof(buf)), 0, "peer sees the stream closed");
    TAP_INT(virStreamSend(st, "x", 1), -1, "send after abort fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "send after abort is an invalid operation");
    TAP_INT(virStreamFinish(st), -1, "finish after abort fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "finish after abort is an invalid operation");
    virStreamFree(st);
    close(peer);

    /* dropping an unfinished stream aborts it (and leaks nothing) */
    st = pairStream(0, &peer);
    TAP_INT(virStreamSend(st, "abc", 3), 3, "send on a stream never finished");
    TAP_INT(virStreamFree(st), 0, "free an unfinished stream");
    TAP_INT(read(peer, buf, sizeof(buf)), 3, "peer gets the data");
    TAP_INT(read(peer, buf, sizeof(buf)), 0, "then end of file");
    close(peer);
}

static void
testInvalid(void)
{
    virStreamPtr st;
    char buf[8];
    int peer;

    TAP_INT(virStreamSend(NULL, "x", 1), -1, "send on NULL stream");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_STREAM,
            "NULL stream is an invalid stream");
    TAP_INT(virStreamRecv(NULL, buf, 1), -1, "recv on NULL stream");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_STREAM, "recv: code");
    TAP_INT(virStreamFinish(NULL), -1, "finish on NULL stream");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_STREAM, "finish: code");
    TAP_INT(virStreamAbort(NULL), -1, "abort on NULL stream");
    TAP_INT(virStreamFree(NULL), -1, "free on NULL stream");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_STREAM, "free: code");
    TAP_INT(virStreamEventRemoveCallback(NULL), -1, "remove cb on NULL");
    TAP_OK(virStreamNew(NULL, 0) == NULL, "new on NULL connection");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_CONN,
            "NULL connection is an invalid connection");
    TAP_OK(virStreamNew(conn, 0x80) == NULL, "new with unknown flags");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG,
            "unknown new flags are an invalid argument");

    st = pairStream(0, &peer);
    TAP_INT(virStreamSend(st, NULL, 1), -1, "send NULL data");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG,
            "NULL data is an invalid argument");
    TAP_INT(virStreamRecv(st, NULL, 1), -1, "recv into NULL");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "recv NULL: code");
    TAP_INT(virStreamRecvFlags(st, buf, 1, 0x40), -1, "unknown recv flags");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG,
            "unknown recv flags are an invalid argument");
    TAP_INT(virStreamRecvAll(st, NULL, NULL), -1, "recvall NULL handler");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "recvall: code");
    TAP_INT(virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE, NULL,
                                      NULL, NULL), -1, "add NULL callback");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG, "add NULL cb: code");
    TAP_INT(streamAttach(st, NULL, NULL), -1, "attach twice fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "attach twice is an invalid operation");
    TAP_INT(virStreamEventRemoveCallback(st), -1,
            "remove without a callback fails");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "no callback: invalid operation");
    TAP_INT(virStreamEventUpdateCallback(st, VIR_STREAM_EVENT_READABLE), -1,
            "update without a callback fails");
    virStreamFree(st);
    close(peer);

    /* a stream nothing was attached to */
    st = virStreamNew(conn, 0);
    TAP_INT(virStreamSend(st, "x", 1), -1, "send on an unattached stream");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "unattached stream is not open");
    TAP_OK(virGetLastErrorMessage() &&
           strstr(virGetLastErrorMessage(), "stream is not open"),
           "message says the stream is not open");
    TAP_INT(virStreamRecv(st, buf, 1), -1, "recv on an unattached stream");
    TAP_INT(virStreamFinish(st), -1, "finish on an unattached stream");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "finish: not open");
    TAP_INT(virStreamAbort(st), 0, "abort on an unattached stream is a no-op");
    TAP_INT(fdStreamOpen(st, -1), -1, "attach a negative fd");
    TAP_INT(fdStreamOpenFile(st, "/nonexistent/vireo-stream", O_RDONLY), -1,
            "attach a missing file");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_SYSTEM_ERROR,
            "missing file is a system error");
    TAP_INT(virStreamFree(st), 0, "free an unattached stream");
}

/* ---- event callbacks through the default event loop ---- */

typedef struct {
    int fired;
    int lastEvents;
    int freed;
    int got;                    /* bytes the callback drained */
} EventState;

static void
eventReadCb(virStreamPtr st, int events, void *opaque)
{
    EventState *es = opaque;
    char buf[256];
    int n;

    es->fired++;
    es->lastEvents = events;
    while ((n = virStreamRecv(st, buf, sizeof(buf))) > 0)
        es->got += n;
}

static void
eventFree(void *opaque)
{
    EventState *es = opaque;

    es->freed++;
}

/* A periodic timer keeps each loop iteration short; once *STOP is set it
 * removes itself (and the same iteration purges it). */
static void
tickCb(int timer, void *opaque)
{
    const int *stop = opaque;

    if (*stop)
        virEventRemoveTimeout(timer);
}

/* Run the loop until *COUNTER passes WANT or ITER iterations went by (the
 * tick timer keeps each one short). */
static void
runUntil(const int *counter, int want, int iter)
{
    while (iter-- > 0 && *counter < want)
        virEventRunDefaultImpl();
}

static void
testEvents(void)
{
    EventState es = { 0 };
    EventState es2 = { 0 };
    virStreamPtr st;
    int stopTick = 0;
    int peer;
    int i;

    TAP_INT(virEventRegisterDefaultImpl(), 0, "register the default loop");
    TAP_OK(virEventAddTimeout(20, tickCb, &stopTick, NULL) >= 0,
           "tick timer added");

    st = pairStream(VIR_STREAM_NONBLOCK, &peer);
    TAP_INT(virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE,
                                      eventReadCb, &es, eventFree), 0,
            "add a readable callback");
    TAP_INT(virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE,
                                      eventReadCb, &es2, eventFree), -1,
            "a second callback is refused");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "second callback: invalid operation");
    TAP_INT(es2.freed, 0, "refused callback's opaque is not freed");
    for (i = 0; i < 3; i++)
        virEventRunDefaultImpl();
    TAP_INT(es.fired, 0, "nothing to read: no callback");

    TAP_INT(write(peer, "ping", 4), 4, "peer writes");
    runUntil(&es.fired, 1, 50);
    TAP_INT(es.fired, 1, "callback fired once");
    TAP_INT(es.lastEvents, VIR_STREAM_EVENT_READABLE, "with READABLE");
    TAP_INT(es.got, 4, "callback read the data");

    TAP_INT(virStreamEventUpdateCallback(st, 0), 0, "disable the callback");
    TAP_INT(write(peer, "pong", 4), 4, "peer writes again");
    for (i = 0; i < 3; i++)
        virEventRunDefaultImpl();
    TAP_INT(es.fired, 1, "disabled callback does not fire");
    TAP_INT(virStreamEventUpdateCallback(st, VIR_STREAM_EVENT_READABLE), 0,
            "enable it again");
    runUntil(&es.fired, 2, 50);
    TAP_INT(es.fired, 2, "re-enabled callback fires");
    TAP_INT(es.got, 8, "and reads the pending data");
    TAP_INT(virStreamEventUpdateCallback(st, 0x100), -1,
            "update with unknown events");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_INVALID_ARG,
            "unknown events are an invalid argument");

    TAP_INT(virStreamEventRemoveCallback(st), 0, "remove the callback");
    TAP_INT(virStreamEventRemoveCallback(st), -1, "remove it twice fails");
    TAP_INT(write(peer, "late", 4), 4, "peer writes after removal");
    runUntil(&es.freed, 1, 50);
    TAP_INT(es.freed, 1, "free callback ran once");
    for (i = 0; i < 3; i++)
        virEventRunDefaultImpl();
    TAP_INT(es.fired, 2, "removed callback does not fire");
    TAP_INT(es.freed, 1, "free callback still ran once");

    /* a callback left registered is dropped by finish */
    memset(&es, 0, sizeof(es));
    TAP_INT(virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE,
                                      eventReadCb, &es, eventFree), 0,
            "add a callback again");
    TAP_INT(virStreamFinish(st), 0, "finish with a callback registered");
    TAP_INT(virStreamFree(st), 0, "free it");
    runUntil(&es.freed, 1, 50);
    TAP_INT(es.freed, 1, "finish released the callback");
    TAP_INT(es.fired, 0, "without calling it");
    close(peer);

    /* and by abort when the stream is dropped mid-transfer... */
    st = pairStream(VIR_STREAM_NONBLOCK, &peer);
    memset(&es, 0, sizeof(es));
    TAP_INT(virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE |
                                      VIR_STREAM_EVENT_HANGUP,
                                      eventReadCb, &es, NULL), 0,
            "callback without a free function");
    close(peer);
    runUntil(&es.fired, 1, 50);
    TAP_OK(es.fired >= 1, "peer hangup wakes the callback");
    TAP_INT(virStreamAbort(st), 0, "abort with a callback registered");
    virStreamFree(st);
    for (i = 0; i < 3; i++)
        virEventRunDefaultImpl();

    stopTick = 1;
    virEventRunDefaultImpl();
}

/* ---- file-backed streams ---- */

static void
testFile(void)
{
    char path[] = "/tmp/vireo-stream-XXXXXX";
    size_t total = 300000;
    Sink sink = { .failAfter = -1 };
    Checksum want = patternChecksum(total);
    virStreamPtr st;
    char *data = malloc(total);
    char *back = calloc(1, total + 1);
    ssize_t n;
    size_t i;
    int fd;

    for (i = 0; i < total; i++)
        data[i] = patternByte(i);
    if ((fd = mkstemp(path)) < 0 || write(fd, data, total) != (ssize_t)total)
        abort();
    close(fd);

    st = virStreamNew(conn, 0);
    TAP_INT(fdStreamOpenFile(st, path, O_RDONLY), 0, "open a file to read");
    TAP_INT(virStreamRecvAll(st, sinkChecksum, &sink), 0, "recvall the file");
    TAP_INT(sink.got.count, total, "all of the file");
    TAP_OK(sink.got.sum == want.sum, "file content intact");
    TAP_INT(virStreamRecv(st, back, 10), 0, "then end of file");
    TAP_INT(virStreamSend(st, "x", 1), -1, "send on a read-only file");
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID,
            "read-only file refuses send");
    TAP_INT(virStreamFinish(st), 0, "finish the read");
    virStreamFree(st);

    st = virStreamNew(conn, 0);
    TAP_INT(fdStreamOpenFile(st, path, O_WRONLY | O_TRUNC), 0,
            "open the file to write");
    for (i = 0; i < total; i += n)
        if ((n = virStreamSend(st, data + i, total - i)) <= 0)
            break;
    TAP_INT(i, total, "sent the whole content");
    TAP_INT(virStreamFinish(st), 0, "finish the write");
    virStreamFree(st);
    fd = open(path, O_RDONLY);
    TAP_INT(read(fd, back, total + 1), total, "file has the right size");
    TAP_OK(memcmp(back, data, total) == 0, "file has the right content");
    close(fd);

    unlink(path);
    free(data);
    free(back);
}

int
main(void)
{
    virSetErrorFunc(NULL, quietErrors);
    if (!(conn = virConnectOpen("test:///default"))) {
        printf("Bail out! cannot open test:///default\n");
        return EXIT_FAILURE;
    }
    testRoundTrip();
    testBrokenPipe();
    testNonBlocking();
    testSendAll();
    testRecvAll();
    testHandlerErrors();
    testFinishAbort();
    testInvalid();
    testEvents();
    testFile();
    virConnectClose(conn);
    return tapDone();
}
