/* stream.c: public virStream* entry points over an attached StreamOps */
#define ERROR_DOMAIN VIR_FROM_STREAMS

#include "stream.h"
#include "entry.h"
#include "alloc.h"

#include <limits.h>
#include <stdlib.h>

/* Chunk size of the SendAll / RecvAll loops. */
#define STREAM_CHUNK (64 * 1024)

#define STREAM_EVENT_ALL (VIR_STREAM_EVENT_READABLE | \
                          VIR_STREAM_EVENT_WRITABLE | \
                          VIR_STREAM_EVENT_ERROR | \
                          VIR_STREAM_EVENT_HANGUP)

typedef enum {
    STREAM_OPEN,                /* usable once ops are attached */
    STREAM_FINISHED,
    STREAM_ABORTED,
} StreamState;

/* virStreamNew allocates this; the public object comes first, so the
 * generic object code can free it as a plain struct _virStream. */
typedef struct {
    struct _virStream st;
    StreamState state;          /* guarded by st.lock */
} StreamImpl;

static StreamImpl *
streamImpl(virStreamPtr st)
{
    return (StreamImpl *)st;
}

/* With the lock held: report and return -1 unless ST has ops attached and is
 * neither finished nor aborted. */
static int
streamCheckOpenLocked(virStreamPtr st)
{
    if (!st->ops) {
        reportError(VIR_ERR_OPERATION_INVALID, "stream is not open");
        return -1;
    }
    switch (streamImpl(st)->state) {
    case STREAM_OPEN:
        return 0;
    case STREAM_FINISHED:
        reportError(VIR_ERR_OPERATION_INVALID, "stream is already finished");
        return -1;
    case STREAM_ABORTED:
        reportError(VIR_ERR_OPERATION_INVALID, "stream was aborted");
        return -1;
    }
    return -1;
}

/* Validate ST for a public call named FUNC; on failure dispatch the error
 * (with no connection: the pointer is not trusted). */
static int
streamEntryCheck(virStreamPtr st, const char *func)
{
    if (objectCheck(st, OBJ_STREAM, func) < 0) {
        entryFail(NULL, func);
        return -1;
    }
    return 0;
}

static void
streamDispose(void *obj)
{
    virStreamPtr st = obj;
    StreamImpl *impl = streamImpl(st);

    /* Dropping a stream in the middle of a transfer cancels it. */
    if (st->ops && impl->state == STREAM_OPEN) {
        st->ops->abort(st);
        impl->state = STREAM_ABORTED;
    }
    if (st->ops && st->ops->close)
        st->ops->close(st);
    st->ops = NULL;
    st->privateData = NULL;
    pthread_mutex_destroy(&st->lock);
    objectUnref(st->conn);
}

/* Attach OPS and PRIV to ST (see stream.h). */
int
streamAttach(virStreamPtr st, const StreamOps *ops, void *priv)
{
    int ret = -1;

    if (objectCheck(st, OBJ_STREAM, __func__) < 0)
        return -1;
    pthread_mutex_lock(&st->lock);
    if (st->ops) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "stream is already in use by another operation");
        goto cleanup;
    }
    st->ops = ops;
    st->privateData = priv;
    streamImpl(st)->state = STREAM_OPEN;
    ret = 0;

 cleanup:
    pthread_mutex_unlock(&st->lock);
    return ret;
}

/* Send through the ops with the lock taken; the caller validated ST. */
static int
streamSend(virStreamPtr st, const char *data, size_t nbytes)
{
    int ret = -1;

    if (nbytes > INT_MAX)
        nbytes = INT_MAX;
    pthread_mutex_lock(&st->lock);
    if (streamCheckOpenLocked(st) < 0)
        goto cleanup;
    ret = st->ops->send(st, data, nbytes);

 cleanup:
    pthread_mutex_unlock(&st->lock);
    return ret;
}

/* Receive through the ops with the lock taken; the caller validated ST. */
static int
streamRecv(virStreamPtr st, char *data, size_t nbytes, unsigned int flags)
{
    int ret = -1;

    if (nbytes > INT_MAX)
        nbytes = INT_MAX;
    pthread_mutex_lock(&st->lock);
    if (streamCheckOpenLocked(st) < 0)
        goto cleanup;
    ret = st->ops->recv(st, data, nbytes, flags);

 cleanup:
    pthread_mutex_unlock(&st->lock);
    return ret;
}

/* Cancel the transfer if it is still open; leaves the thread's error as it
 * is. Returns nothing: aborting cannot fail. */
static void
streamAbort(virStreamPtr st)
{
    pthread_mutex_lock(&st->lock);
    if (st->ops && streamImpl(st)->state == STREAM_OPEN) {
        st->ops->abort(st);
        streamImpl(st)->state = STREAM_ABORTED;
    }
    pthread_mutex_unlock(&st->lock);
}

/* The SendAll / RecvAll loops need an open, blocking stream. */
static int
streamCheckLoop(virStreamPtr st)
{
    int ret;

    if (st->flags & VIR_STREAM_NONBLOCK) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "a handler loop cannot run on a non-blocking stream");
        return -1;
    }
    pthread_mutex_lock(&st->lock);
    ret = streamCheckOpenLocked(st);
    pthread_mutex_unlock(&st->lock);
    return ret;
}

/* A user handler failed: keep the error it may have left, else say so. */
static void
streamHandlerFailed(const char *which)
{
    if (!errorIsSet())
        reportError(VIR_ERR_OPERATION_FAILED,
                    "stream %s handler reported a failure", which);
}

/* Common end of the SendAll / RecvAll loops. BUF is only allocated once
 * the transfer has begun: a failure after that point aborts the stream,
 * keeping the error that caused it. */
static void
streamLoopEnd(virStreamPtr st, char *buf, int ret, const char *func)
{
    virErrorPtr saved;

    if (ret < 0 && buf) {
        saved = errorSave();
        streamAbort(st);
        errorRestore(&saved);
    }
    free(buf);
    if (ret < 0)
        entryFail(st->conn, func);
}

/* ---- public API ---- */

/* New stream on CONN, not yet attached to any transfer. */
virStreamPtr
virStreamNew(virConnectPtr conn, unsigned int flags)
{
    StreamImpl *impl = NULL;

    ENTRY_START();
    if (objectCheck(conn, OBJ_CONNECT, __func__) < 0) {
        entryFail(NULL, __func__);
        return NULL;
    }
    if (entryCheckFlags(__func__, flags, VIR_STREAM_NONBLOCK) < 0) {
        entryFail(conn, __func__);
        return NULL;
    }
    ALLOC(impl);
    streamInit(&impl->st, conn, flags, streamDispose);
    impl->state = STREAM_OPEN;
    return &impl->st;
}

/* Write up to NBYTES; returns the bytes written, -2 (would block) or -1. */
int
virStreamSend(virStreamPtr stream, const char *data, size_t nbytes)
{
    int ret;

    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    if (!data) {
        entryBadArg(__func__, "data");
        goto error;
    }
    if ((ret = streamSend(stream, data, nbytes)) == -1)
        goto error;
    return ret;

 error:
    entryFail(stream->conn, __func__);
    return -1;
}

/* Read up to NBYTES; returns the bytes read, 0 at end of stream, -2 (would
 * block) or -1. */
int
virStreamRecv(virStreamPtr stream, char *data, size_t nbytes)
{
    int ret;

    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    if (!data) {
        entryBadArg(__func__, "data");
        goto error;
    }
    if ((ret = streamRecv(stream, data, nbytes, 0)) == -1)
        goto error;
    return ret;

 error:
    entryFail(stream->conn, __func__);
    return -1;
}

/* virStreamRecv with flags. Our streams carry no holes, so
 * VIR_STREAM_RECV_STOP_AT_HOLE never stops anything. */
int
virStreamRecvFlags(virStreamPtr stream, char *data, size_t nbytes,
                   unsigned int flags)
{
    int ret;

    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    if (!data) {
        entryBadArg(__func__, "data");
        goto error;
    }
    if (entryCheckFlags(__func__, flags, VIR_STREAM_RECV_STOP_AT_HOLE) < 0)
        goto error;
    if ((ret = streamRecv(stream, data, nbytes, flags)) == -1)
        goto error;
    return ret;

 error:
    entryFail(stream->conn, __func__);
    return -1;
}

/* Send everything HANDLER produces until it returns 0. On any failure the
 * stream is aborted. The caller still finishes the stream on success. */
int
virStreamSendAll(virStreamPtr stream, virStreamSourceFunc handler,
                 void *opaque)
{
    char *buf = NULL;
    int ret = -1;

    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    if (!handler) {
        entryBadArg(__func__, "handler");
        goto cleanup;
    }
    if (streamCheckLoop(stream) < 0)
        goto cleanup;

    buf = allocZero(STREAM_CHUNK);
    for (;;) {
        int got = handler(stream, buf, STREAM_CHUNK, opaque);
        int off = 0;

        if (got < 0 || got > STREAM_CHUNK) {
            if (got > STREAM_CHUNK)
                reportError(VIR_ERR_OPERATION_FAILED,
                            "stream source handler returned %d bytes for a "
                            "%d byte buffer", got, STREAM_CHUNK);
            streamHandlerFailed("source");
            goto cleanup;
        }
        if (got == 0)
            break;
        while (off < got) {
            int sent = streamSend(stream, buf + off, got - off);

            if (sent < 0)
                goto cleanup;
            off += sent;
        }
    }
    ret = 0;

 cleanup:
    streamLoopEnd(stream, buf, ret, __func__);
    return ret;
}

/* Hand everything received to HANDLER until end of stream. On any failure
 * the stream is aborted. The caller still finishes the stream on success. */
int
virStreamRecvAll(virStreamPtr stream, virStreamSinkFunc handler,
                 void *opaque)
{
    char *buf = NULL;
    int ret = -1;

    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    if (!handler) {
        entryBadArg(__func__, "handler");
        goto cleanup;
    }
    if (streamCheckLoop(stream) < 0)
        goto cleanup;

    buf = allocZero(STREAM_CHUNK);
    for (;;) {
        int got = streamRecv(stream, buf, STREAM_CHUNK, 0);
        int off = 0;

        if (got < 0)
            goto cleanup;
        if (got == 0)
            break;
        /* The handler may take the data in several bites. */
        while (off < got) {
            int done = handler(stream, buf + off, got - off, opaque);

            if (done < 0 || done > got - off) {
                if (done > got - off)
                    reportError(VIR_ERR_OPERATION_FAILED,
                                "stream sink handler consumed %d bytes of %d",
                                done, got - off);
                streamHandlerFailed("sink");
                goto cleanup;
            }
            off += done;
        }
    }
    ret = 0;

 cleanup:
    streamLoopEnd(stream, buf, ret, __func__);
    return ret;
}

/* End the transfer normally. 0 or -1; the stream is closed either way. */
int
virStreamFinish(virStreamPtr stream)
{
    int ret;

    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    pthread_mutex_lock(&stream->lock);
    if ((ret = streamCheckOpenLocked(stream)) == 0) {
        ret = stream->ops->finish(stream);
        streamImpl(stream)->state = ret < 0 ? STREAM_ABORTED : STREAM_FINISHED;
    }
    pthread_mutex_unlock(&stream->lock);
    if (ret < 0) {
        entryFail(stream->conn, __func__);
        return -1;
    }
    return 0;
}

/* Cancel the transfer. Like libvirt, a stream nothing was attached to, or
 * one already finished or aborted, is left alone and 0 returned, so cleanup
 * paths may always call it. */
int
virStreamAbort(virStreamPtr stream)
{
    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    streamAbort(stream);
    return 0;
}

/* Drop the caller's reference; the last one aborts an unfinished transfer.
 * A registered event callback holds a reference of its own until it is
 * removed or the stream finished or aborted. */
int
virStreamFree(virStreamPtr stream)
{
    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    objectUnref(stream);
    return 0;
}

/* Call CB from the event loop when the stream is ready for EVENTS. FF frees
 * OPAQUE once the callback is removed (never when this call fails). */
int
virStreamEventAddCallback(virStreamPtr stream, int events,
                          virStreamEventCallback cb, void *opaque,
                          virFreeCallback ff)
{
    int ret = -1;

    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    if (!cb) {
        entryBadArg(__func__, "cb");
        goto error;
    }
    if (events & ~STREAM_EVENT_ALL) {
        entryBadArg(__func__, "events");
        goto error;
    }
    pthread_mutex_lock(&stream->lock);
    if (streamCheckOpenLocked(stream) == 0)
        ret = stream->ops->eventAdd(stream, events, cb, opaque, ff);
    pthread_mutex_unlock(&stream->lock);
    if (ret < 0)
        goto error;
    return 0;

 error:
    entryFail(stream->conn, __func__);
    return -1;
}

/* Change the events the callback waits for (0 pauses it). 0 or -1. */
int
virStreamEventUpdateCallback(virStreamPtr stream, int events)
{
    int ret = -1;

    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    if (events & ~STREAM_EVENT_ALL) {
        entryBadArg(__func__, "events");
        goto error;
    }
    pthread_mutex_lock(&stream->lock);
    if (streamCheckOpenLocked(stream) == 0)
        ret = stream->ops->eventUpdate(stream, events);
    pthread_mutex_unlock(&stream->lock);
    if (ret < 0)
        goto error;
    return 0;

 error:
    entryFail(stream->conn, __func__);
    return -1;
}

/* Remove the event callback. Finishing or aborting the stream already
 * removed it. 0 or -1. */
int
virStreamEventRemoveCallback(virStreamPtr stream)
{
    int ret = -1;

    ENTRY_START();
    if (streamEntryCheck(stream, __func__) < 0)
        return -1;
    pthread_mutex_lock(&stream->lock);
    if (!stream->ops)
        reportError(VIR_ERR_OPERATION_INVALID, "stream is not open");
    else
        ret = stream->ops->eventRemove(stream);
    pthread_mutex_unlock(&stream->lock);
    if (ret < 0) {
        entryFail(stream->conn, __func__);
        return -1;
    }
    return 0;
}
