/* qmp.h: a QMP (QEMU Machine Protocol) client over a connected unix socket */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

typedef struct Qmp Qmp;

/* Timeout used by qmpCommandRun when the caller passes 0 or less, and by
 * every wrapper in qmp_commands.h unless qmpSetTimeout changed it. */
#define QMP_TIMEOUT_DEFAULT_MS 30000

/* Name of the synthetic event delivered once when the connection to QEMU is
 * lost (end of file, socket error, or a protocol violation). Its data holds
 * "reason" (a string). QEMU itself has no event of that name. */
#define QMP_EVENT_EOF "EOF"

/* The common fields of one event. Everything is borrowed from RAW. */
typedef struct {
    const char *name;           /* "STOP", "SHUTDOWN", ... or QMP_EVENT_EOF */
    json_object *data;          /* the event's "data" object; NULL if absent */
    long long seconds;          /* timestamp; -1 when QEMU sent none */
    long long microseconds;
    json_object *raw;           /* the whole event message */
} QmpEvent;

/* Event callback. It runs on the monitor's own I/O thread, one event at a
 * time in the order QEMU sent them, with no monitor lock held. While it runs
 * no reply can be read, so it must not run commands on this monitor (that
 * fails at once with VIR_ERR_INTERNAL_ERROR); hand the work to another
 * thread instead. It may call qmpClose on MON (the monitor is then freed
 * after the callback returns). Everything in EVENT is valid only during the
 * call; json-c reference counts are not atomic, so to keep an event past the
 * call or pass it to another thread, take a json_object_deep_copy rather
 * than a json_object_get. No callback runs once qmpClose has returned. */
typedef void (*QmpEventFunc)(Qmp *mon, const QmpEvent *event, void *opaque);

/* Connect to the QMP unix socket at PATH, retrying until the socket accepts
 * or TIMEOUTMS passes, then read the greeting and negotiate capabilities.
 * CB (may be NULL) gets the events, with OPAQUE. Returns the monitor, or NULL
 * with an error set (VIR_ERR_OPERATION_TIMEOUT when QEMU did not answer in
 * time, VIR_ERR_SYSTEM_ERROR for socket errors). */
Qmp *qmpOpen(const char *path, int timeoutMs, QmpEventFunc cb, void *opaque);

/* Like qmpOpen on an already connected stream socket FD. Takes ownership of
 * FD on every path (it is closed on failure). */
Qmp *qmpOpenFd(int fd, int timeoutMs, QmpEventFunc cb, void *opaque);

/* Disconnect and free MON (NULL is fine). Commands in progress on other
 * threads fail with "QEMU monitor is closed"; qmpClose waits for them to
 * return. No EOF event is delivered for a close we asked for. MON must not be
 * used after this returns. */
void qmpClose(Qmp *mon);

/* Change the timeout (milliseconds, > 0) used when qmpCommandRun is given 0,
 * which is what the wrappers in qmp_commands.h do. */
void qmpSetTimeout(Qmp *mon, int timeoutMs);

/* The greeting QEMU sent ({"QMP": {"version": ..., "capabilities": ...}}),
 * borrowed, valid until qmpClose. */
json_object *qmpGetGreeting(Qmp *mon);

/* True once the connection is gone (EOF, socket error, bad JSON). */
bool qmpIsDead(Qmp *mon);

/* Build a command: {"execute": NAME, "arguments": {...}}. The variable
 * arguments are pairs of a typed key and a value, ended by NULL. The key is
 * "T:name" where T says the C type of the value that follows:
 *   s  const char *            (must not be NULL)
 *   S  const char *            skipped when NULL
 *   i  int
 *   I  long long
 *   n  long long               skipped when negative
 *   U  unsigned long long
 *   Z  unsigned long long      skipped when zero
 *   b  bool (passed as int)
 *   B  int                     skipped when negative, else a bool
 *   j  json_object *           stolen (must not be NULL)
 *   J  json_object *           stolen, skipped when NULL
 * "arguments" is left out when no argument remains. Objects passed with j/J
 * are stolen on every path. Returns the command (caller owns it) or NULL
 * with VIR_ERR_INTERNAL_ERROR for a malformed key or a NULL required value. */
json_object *qmpCommandNew(const char *name, ...)
    __attribute__((sentinel));

/* Send CMD (borrowed; built by qmpCommandNew) and wait up to TIMEOUTMS
 * (0 or less: the monitor's timeout) for its reply. Safe to call from several
 * threads at once: each reply is matched to its command by an id added on
 * the wire. On success returns 0 and, if REPLY is not NULL, sets *REPLY to
 * the whole reply message (caller owns it; use qmpReplyReturn). On failure
 * returns -1, sets *REPLY to NULL and reports:
 *   VIR_ERR_OPERATION_TIMEOUT  no reply in time
 *   VIR_ERR_OPERATION_FAILED   QEMU answered with an error, or the monitor
 *                              is closed (the message names the cause)
 *   VIR_ERR_INTERNAL_ERROR     malformed JSON or reply, misuse */
int qmpCommandRun(Qmp *mon, json_object *cmd, json_object **reply,
                  int timeoutMs);

/* Like qmpCommandRun, also passing FD (borrowed; QEMU gets a duplicate) to
 * QEMU with SCM_RIGHTS along with the command, as getfd and add-fd need. */
int qmpCommandRunWithFd(Qmp *mon, json_object *cmd, int fd,
                        json_object **reply, int timeoutMs);

/* Commands sent in a row on one monitor, whose replies are collected
 * later: QEMU answers them in order, and several monitors (several QEMUs)
 * work on theirs at the same time. */
typedef struct QmpBatch QmpBatch;

/* Send the N commands CMDS (borrowed: they must stay alive until
 * qmpBatchWait returns) to MON one after the other without waiting for any
 * reply. TIMEOUTMS (0 or less: the monitor's timeout) counts from now for
 * all of them. Returns the batch, to be passed to qmpBatchWait exactly once,
 * or NULL with an error as qmpCommandRun reports it when MON takes no
 * command (closed, or called from its event callback). */
QmpBatch *qmpBatchSend(Qmp *mon, json_object *const *cmds, int n,
                       int timeoutMs);

/* Wait for every reply of B, then free B. REPLIES[i] gets the whole reply
 * to command i (caller owns it; use qmpReplyReturn), or NULL when it failed
 * the way qmpCommandRun fails. Returns 0 when every command succeeded, else
 * -1 with the error of the first one that failed. */
int qmpBatchWait(QmpBatch *b, json_object **replies);

/* The command name of CMD (borrowed), "?" when it has none. */
const char *qmpCommandName(json_object *cmd);

/* The "return" member of REPLY (borrowed) if it has json type TYPE, else
 * NULL with VIR_ERR_INTERNAL_ERROR "malformed reply to 'CMD': ...". */
json_object *qmpReplyReturn(json_object *reply, const char *cmd,
                            json_type type);

/* Getters of member FIELD of object OBJ, a (part of a) reply to command CMD.
 * Return 0 on success; -1 with VIR_ERR_INTERNAL_ERROR
 * "malformed reply to 'CMD': missing 'FIELD'" (or "'FIELD' is not a ...")
 * when it is absent or of the wrong type. Strings and json objects are
 * borrowed from OBJ. */
int qmpReplyGetString(json_object *obj, const char *cmd, const char *field,
                      const char **value);
int qmpReplyGetInt(json_object *obj, const char *cmd, const char *field,
                   long long *value);
int qmpReplyGetUint(json_object *obj, const char *cmd, const char *field,
                    unsigned long long *value);
int qmpReplyGetNumber(json_object *obj, const char *cmd, const char *field,
                      double *value);
int qmpReplyGetBool(json_object *obj, const char *cmd, const char *field,
                    bool *value);
int qmpReplyGetObject(json_object *obj, const char *cmd, const char *field,
                      json_object **value);
int qmpReplyGetArray(json_object *obj, const char *cmd, const char *field,
                     json_object **value);

/* Optional variants: an absent (or null) FIELD leaves *VALUE untouched and
 * returns 0; a FIELD of the wrong type is still an error. */
int qmpReplyGetOptString(json_object *obj, const char *cmd, const char *field,
                         const char **value);
int qmpReplyGetOptInt(json_object *obj, const char *cmd, const char *field,
                      long long *value);
int qmpReplyGetOptBool(json_object *obj, const char *cmd, const char *field,
                       bool *value);

/* Fill EV from the event message RAW (borrowed). Returns 0, or -1 with
 * VIR_ERR_INTERNAL_ERROR when RAW has no "event" name or a "data" that is not
 * an object. */
int qmpEventParse(json_object *raw, QmpEvent *ev);
