/* stream.h: what a stream implementation supplies, and how drivers attach it */
#pragma once

#include <stddef.h>
#include <libvirt/libvirt.h>

#include "object.h"

/*
 * The operations behind a stream. A driver fills a static table and attaches
 * it (with its private data) to a stream the caller made with virStreamNew.
 * The public entry points have already validated the arguments and checked
 * that the stream is open (attached, neither finished nor aborted); every
 * operation but close runs with st->lock held. Each operation that fails
 * reports exactly one error. st->flags tells whether VIR_STREAM_NONBLOCK is
 * set; st->privateData is the data given to streamAttach.
 */
struct _StreamOps {
    const char *name;           /* for messages and the debug log */
    /* Write up to NBYTES (at most INT_MAX) from DATA. Returns the bytes
     * written (> 0 unless NBYTES is 0), -2 when a non-blocking stream would
     * block (no error set), or -1 with an error set. */
    int (*send)(virStreamPtr st, const char *data, size_t nbytes);
    /* Read up to NBYTES into DATA. Returns the bytes read, 0 at end of
     * stream, -2 when a non-blocking stream would block (no error set), or
     * -1 with an error set. FLAGS: VIR_STREAM_RECV_* (already checked). */
    int (*recv)(virStreamPtr st, char *data, size_t nbytes,
                unsigned int flags);
    /* End the transfer normally: flush, drop any event watch, release the
     * underlying resource. Returns 0 or -1 with an error set; the stream is
     * closed either way. */
    int (*finish)(virStreamPtr st);
    /* End the transfer abnormally: drop any event watch and release the
     * underlying resource. Must succeed and leave the thread's error alone. */
    void (*abort)(virStreamPtr st);
    /* Watch for EVENTS (VIR_STREAM_EVENT_* bits) and call CB(st, events,
     * OPAQUE) from the event loop. The watch keeps a reference on ST until it
     * is removed. FF(OPAQUE) runs once the watch is gone (never from inside
     * the removing call); on failure OPAQUE stays with the caller and FF is
     * not called. Returns 0 or -1 with an error set (one callback at most). */
    int (*eventAdd)(virStreamPtr st, int events, virStreamEventCallback cb,
                    void *opaque, virFreeCallback ff);
    /* Change the events watched (0 disables the callback). 0 or -1. */
    int (*eventUpdate)(virStreamPtr st, int events);
    /* Remove the callback. 0, or -1 with an error set (none registered). */
    int (*eventRemove)(virStreamPtr st);
    /* Free st->privateData. Called once, when the stream object goes away,
     * after finish or abort has run; no lock held. May be NULL. */
    void (*close)(virStreamPtr st);
};

/* Attach OPS with its private data PRIV to ST, a stream made by
 * virStreamNew (drivers should make sure it belongs to their connection).
 * On success the stream owns PRIV (released through OPS->close); on failure
 * PRIV stays with the caller. Returns 0, or -1 with an error set: an invalid
 * ST (VIR_ERR_INVALID_STREAM) or one already attached
 * (VIR_ERR_OPERATION_INVALID). */
int streamAttach(virStreamPtr st, const StreamOps *ops, void *priv);
