/* qemu_hotplug.h: what the hotplug family's files (qemu_hotplug.c,
 * qemu_hotplug_live.c, qemu_memory.c) share */
#pragma once

#include "qemu_priv.h"

/* How long a live detach waits for QEMU's DEVICE_DELETED before it returns
 * with the removal still pending (the guest finishes it later; the device
 * then leaves the live XML and DEVICE_REMOVED is emitted), as libvirt. */
#define QEMU_HOTPLUG_UNPLUG_WAIT_MS 10000

/* ---- qemu_hotplug.c ---- */

/* VIR_ERR_INVALID_ARG naming the bits of FLAGS outside ALLOWED. 0 or -1. */
int qemuHotplugCheckFlags(unsigned int flags, unsigned int allowed,
                          const char *func);
/* DOM's record, locked, with a job begun; NULL with an error. End with
 * qemuHotplugJobEnd (ends the job, unlocks). */
QemuDom *qemuHotplugJobBegin(virDomainPtr dom);
void qemuHotplugJobEnd(QemuDom *d);
/* Which definitions VIR_DOMAIN_AFFECT_* FLAGS touch for D (CURRENT: the
 * live one when running, else the persistent one). OPERATION_INVALID for
 * LIVE on an inactive domain or CONFIG on a transient one. 0 or -1. */
int qemuHotplugAffect(QemuDom *d, unsigned int flags, bool *live,
                      bool *config);
/* A copy of D's persistent definition to edit (NULL with an error). */
DomainDef *qemuHotplugConfigCopy(QemuDom *d);
/* Check that *DEF (taken on every path, *DEF set NULL; NULL: nothing to
 * do) maps to QEMU, save it as D's persistent definition and put it in
 * place. 0 or -1. */
int qemuHotplugConfigCommit(QemuDom *d, DomainDef **def);
/* Save D's live status after a live change; a failure only reaches the
 * debug log (the change happened). */
void qemuHotplugStatusSave(QemuDom *d);
/* Queue a device event EVENTID (DEVICE_ADDED, ...) about ALIAS. */
void qemuHotplugDeviceEvent(QemuDom *d, int eventID, const char *alias);
/* Run monitor commands: drop the lock (job held) and get the monitor;
 * NULL with an error (lock held again then). End with qemuHotplugMonEnd,
 * which takes the lock again. */
Qmp *qemuHotplugMonBegin(QemuDom *d);
void qemuHotplugMonEnd(QemuDom *d);

/* ---- qemu_hotplug_live.c (job and lock held on entry and exit) ---- */

/* Plug DEV (taken on success; alias set here) into running D. */
int qemuHotplugLiveAttach(QemuDom *d, DomainDevice *dev);
/* Unplug the live device named ALIAS (VIR_ERR_DEVICE_MISSING when none)
 * and wait for the guest to let it go (see QEMU_HOTPLUG_UNPLUG_WAIT_MS). */
int qemuHotplugLiveDetach(QemuDom *d, const char *alias);
/* The guest refused to release ALIAS of D (DEVICE_UNPLUG_GUEST_ERROR):
 * the detach waiting for it fails. Lock held. */
void qemuHotplugLiveRejected(const QemuDom *d, const char *alias);
/* Change the medium of removable live disk OLD to that of NEWDEV's disk
 * (no source: eject); the tray is opened by force. OLD itself is not
 * changed. */
int qemuHotplugLiveMedia(QemuDom *d, DiskDef *old, DomainDevice *newDev);
/* Set the link of live interface NET up or down. */
int qemuHotplugLiveLink(QemuDom *d, NetDef *net, bool up);

/* ---- qemu_memory.c ---- */

/* Fill the vCPU and memory slots of the vtable. */
void qemuMemoryFill(Driver *drv);
