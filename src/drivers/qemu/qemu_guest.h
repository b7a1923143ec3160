/* qemu_guest.h: what the guest family's files (qemu_agent.c,
 * qemu_guest.c, qemu_guestinfo.c, qemu_misc.c, qemu_keycodes.c,
 * qemu_stats.c) share */
#pragma once

#include "qemu_priv.h"

#include <json-c/json.h>

/* The well-known name of the guest agent's virtio-serial port. */
#define QEMU_AGENT_PORT "org.qemu.guest_agent.0"
/* The default wait for the agent (VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT)
 * and the longest wait we ever do (BLOCK is capped: no call hangs). */
#define QEMU_AGENT_DEFAULT_MS 5000
#define QEMU_AGENT_MAX_MS 600000

/* qemuAgentRun flags */
enum {
    QEMU_AGENT_NO_REPLY = 1 << 0,   /* the command never answers on success
                                       (guest-shutdown, guest-suspend-*) */
};

/* The <channel> of DEF that carries the agent, or NULL. */
const ChrDef *qemuAgentChannel(const DomainDef *def);

/* Run the agent command CMD (borrowed) on D: checks that D runs and has a
 * connected agent, serializes with other agent calls on D, resyncs, sends,
 * waits up to D's agent timeout. Lock held on entry and exit (released
 * while waiting). *RET (may be NULL) gets the reply's "return" member
 * (caller owns it). 0, or -1 with an error: OPERATION_INVALID (not
 * running), ARGUMENT_UNSUPPORTED (no agent channel), AGENT_UNRESPONSIVE
 * (not connected, no answer in time), OPERATION_FAILED (the agent's own
 * error, its message included). */
int qemuAgentRun(QemuDom *d, json_object *cmd, json_object **ret,
                 unsigned int flags);

/* The same for a command given as JSON text, waiting TIMEOUT seconds
 * (VIR_DOMAIN_QEMU_AGENT_COMMAND_* semantics); *REPLY gets the whole
 * reply as JSON text (caller frees). Lock held. */
int qemuAgentRunText(QemuDom *d, const char *cmd, int timeout,
                     char **reply);

/* ---- qemu_guest.c ---- */

/* Report unknown FLAGS outside ALLOWED for FUNC. 0 or -1. */
int qemuGuestCheckFlags(unsigned int flags, unsigned int allowed,
                        const char *func);
/* Run FN(MON, OPAQUE) on active D's monitor with the lock released (lock
 * held on entry and exit). 0 (or FN's result), or -1 with an error. */
int qemuGuestMonitor(QemuDom *d, int (*fn)(Qmp *mon, void *opaque),
                     void *opaque);

/* ---- qemu_keycodes.c ---- */

/* Translate KEYCODE of virKeycodeSet SET to QEMU's QKeyCode name (*QCODE,
 * static, may be NULL) or its QNUM number (*NUMBER). -1 when the key has
 * no translation (no error reported). */
int qemuKeycodeTranslate(unsigned int set, unsigned int keycode,
                         const char **qcode, int *number);

/* Fill the vtable slots of each file of the family. */
void qemuGuestInfoFill(Driver *drv);
void qemuMiscFill(Driver *drv);
void qemuStatsFill(Driver *drv);
