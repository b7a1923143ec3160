/* qemu_priv.h: the QEMU driver's state, shared by its source files */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "driver.h"
#include "domain-events.h"
#include "conf/domain.h"
#include "qmp.h"

/* Timeouts (milliseconds) of the waits on QEMU. */
#define QEMU_START_TIMEOUT_MS 10000     /* QMP socket up and negotiated */
#define QEMU_JOB_WAIT_MS 30000          /* another job holding the domain */
#define QEMU_TERM_WAIT_MS 3000          /* SIGTERM before SIGKILL */
#define QEMU_KILL_WAIT_MS 5000          /* SIGKILL before giving up */
#define QEMU_GRACEFUL_WAIT_MS 10000     /* DESTROY_GRACEFUL */
#define QEMU_VNC_LAST_DISPLAY "59635"   /* port 65535: autoport's range end */

typedef struct QemuDriver QemuDriver;
typedef struct QemuDom QemuDom;
typedef struct QemuConsole QemuConsole;

/* What the watcher thread of a domain is asked to do (bit mask). */
enum {
    QEMU_ACTION_QUIT = 1 << 0,          /* quit QEMU: guest shut down */
    QEMU_ACTION_RESTART = 1 << 1,       /* system_reset + cont */
    QEMU_ACTION_STOP = 1 << 2,          /* leave the thread */
    QEMU_ACTION_DESTROY = 1 << 3,       /* kill QEMU (on_crash=destroy) */
    QEMU_ACTION_CHAIN = 1 << 4,         /* reread the disks' backing chains */
};

/* One domain. Guarded by its driver's lock unless said otherwise. */
struct QemuDom {
    int refs;
    QemuDriver *drv;
    DomainDef *def;             /* live definition while running, else the
                                   persistent one */
    DomainDef *newDef;          /* persistent definition while running */
    bool persistent;
    bool autostart;
    bool updated;               /* config changed while running */
    bool removed;               /* no longer in the driver's list */
    int state;                  /* virDomainState */
    int reason;

    /* the QEMU process, when active */
    pid_t pid;                  /* 0 when inactive */
    int pidfd;                  /* -1 when none (or no pidfd support) */
    unsigned int gen;           /* counts watchers started */
    unsigned long long procStart;   /* start time from /proc, identity */
    struct timespec startedAt;  /* CLOCK_MONOTONIC of the last start */
    Qmp *mon;                   /* NULL until negotiated / after exit */
    int monUsers;               /* threads inside a monitor command */
    bool monPassthrough;        /* this QEMU may have run commands the
                                   driver did not send: a pass-through
                                   monitor command, or we reconnected */

    bool job;                   /* a state-changing call is in progress */
    bool destroying;            /* we are killing QEMU */
    bool gotShutdown;           /* QEMU reported SHUTDOWN */
    bool shutdownGuest;         /* ... initiated by the guest */
    bool fakeReboot;            /* reboot requested: reset on SHUTDOWN */
    bool pausedByUs;            /* the next STOP comes from suspend */
    bool starting;              /* inside qemuProcessStart */
    bool startFailed;           /* start failed: exit is not an event */
    bool crashDestroy;          /* killed for on_crash=destroy */
    bool watchdogPause;         /* the next STOP comes from the watchdog */
    int actions;                /* QEMU_ACTION_* for the watcher */
    DomainEvent **heldEvents;   /* block-job ends, queued once the watcher
                                   has reread the chains they changed */
    size_t nheldEvents, capHeldEvents;
    int kickfd;                 /* eventfd waking the watcher, -1 none */
    pthread_t watcher;
    bool hasWatcher;

    QemuConsole *console;       /* the open console session, if any */
    int exitReason;             /* when nonzero, the next exit of QEMU is
                                   shut off with this reason ... */
    int exitDetail;             /* ... and this STOPPED event detail */
    struct QemuJobData *jobData;    /* qemu_job.c: domain job progress */
    bool migrationEvent;        /* QEMU sent MIGRATION since qemu_save.c
                                   last looked */

    /* guest agent (qemu_agent.c) */
    bool agentBusy;             /* a thread is talking to the agent */
    bool agentTimeoutSet;       /* agentTimeout was set by the user */
    int agentTimeout;           /* seconds, or VIR_DOMAIN_AGENT_RESPONSE_* */
};

/* One opened root: the state of a connection. */
struct QemuDriver {
    pthread_mutex_t lock;
    pthread_cond_t cond;        /* job ends, state changes, monitor users */
    char *root;
    int lockfd;                 /* holds flock on ROOT/root.lock */
    virConnectPtr conn;         /* borrowed: the connection events go to */
    QemuDom **doms;             /* in definition order */
    size_t ndoms, capdoms;
    int nextId;
    bool closing;
    bool subreaper;             /* we set PR_SET_CHILD_SUBREAPER */
    int nwatchers;              /* watcher threads still running */
};

/* ---- qemu_driver.c ---- */

/* Take a reference on D (driver lock held). */
void qemuDomRef(QemuDom *d);
/* Drop a reference (driver lock held); the last one frees D. */
void qemuDomUnref(QemuDom *d);
/* A new domain record holding DEF (taken), added to DRV (lock held). */
QemuDom *qemuDomAdd(QemuDriver *drv, DomainDef *def, bool persistent);
/* Remove D from DRV's list (lock held); drops the list's reference. */
void qemuDomRemove(QemuDriver *drv, QemuDom *d);
/* The record named NAME / with UUID, or NULL (lock held, borrowed). */
QemuDom *qemuDomFindByName(QemuDriver *drv, const char *name);
QemuDom *qemuDomFindByUUID(QemuDriver *drv, const unsigned char *uuid);

/* Find DOM's record with a reference taken, or report VIR_ERR_NO_DOMAIN
 * and return NULL. Release with qemuDomRelease. */
QemuDom *qemuDomGet(virDomainPtr dom);
void qemuDomRelease(QemuDom *d);

/* Begin a state-changing job on D (waits up to QEMU_JOB_WAIT_MS for the
 * one in progress: VIR_ERR_OPERATION_TIMEOUT). Lock held. 0 or -1. */
int qemuDomBeginJob(QemuDom *d);
void qemuDomEndJob(QemuDom *d);

/* True while D has a QEMU process. */
bool qemuDomIsActive(const QemuDom *d);
/* OPERATION_INVALID "domain 'X' is not running" unless D is active. */
int qemuDomCheckActive(const QemuDom *d);

/* Set D's state and reason (lock held). */
void qemuDomSetState(QemuDom *d, int state, int reason);
/* Queue a lifecycle event about D (lock held; nothing while closing). */
void qemuDomEventLifecycle(QemuDom *d, int event, int detail);
/* A new event of EVENTID about D, or NULL while closing (lock held). */
DomainEvent *qemuDomEventNew(QemuDom *d, int eventID);
/* A public domain object for D (lock held). */
virDomainPtr qemuDomObject(QemuDriver *drv, const QemuDom *d);

/* ---- qemu_state.c ---- */

/* Create ROOT and its subdirectories, take root.lock (error naming the
 * holder's pid when another process has it) into *LOCKFD. 0 or -1. */
int qemuStateLockRoot(const char *root, int *lockfd);
/* Write DATA to PATH atomically (temp file, fsync, rename, fsync dir). */
int qemuStateWriteFile(const char *path, const char *data);
/* PATH under DRV's root: ROOT/DIR/NAME.EXT (caller frees). */
char *qemuStatePath(QemuDriver *drv, const char *dir, const char *name,
                    const char *ext);
/* Save / delete the persistent definition of D. 0 or -1. */
int qemuStateSaveConfig(QemuDriver *drv, const DomainDef *def);
int qemuStateDeleteConfig(QemuDriver *drv, const char *name);
/* Save / delete the autostart mark of NAME. 0 or -1. */
int qemuStateSetAutostart(QemuDriver *drv, const char *name, bool on);
/* Save the live status of active domain D (run/NAME.xml); remove it. */
int qemuStateSaveStatus(QemuDriver *drv, QemuDom *d);
/* The same with DEF as the live definition (D's is not in place yet). */
int qemuStateSaveStatusDef(QemuDriver *drv, QemuDom *d,
                           const DomainDef *def);
void qemuStateDeleteStatus(QemuDriver *drv, const char *name);
/* Remember why NAME shut off (run/NAME.last, removed by the next
 * qemuStateDeleteStatus) so that the next opener reports it. 0 or -1. */
int qemuStateSaveLastState(QemuDriver *drv, const char *name, int reason);
/* Persist the next domain id. 0 or -1. */
int qemuStateSaveNextId(QemuDriver *drv);
/* Load every definition and live status under the root into DRV (lock
 * held): domains with a live status come back with pid, state and live
 * definition set (not yet reconnected). 0 or -1. */
int qemuStateLoadAll(QemuDriver *drv);

/* ---- qemu_command.c ---- */

/* Everything the argv needs besides the definition. */
typedef struct {
    const char *monitorPath;
    const char *pidfilePath;
    const char *runDir;         /* for generated socket paths */
    int vncPort;                /* chosen VNC port, -1 when none */
    bool incoming;              /* -incoming (restore) */
    int incomingFd;             /* > 0: -incoming fd:N, QEMU inherits N;
                                 * else -incoming defer */
    /* per interface index (NULL or short: none): the tap descriptor QEMU
     * gets, a number it inherits or a name passed with getfd */
    char *const *netFds;
    size_t nnetFds;
} QemuCommandCtx;

/* The emulator binary for DEF (caller frees), or NULL with an error set
 * (VIR_ERR_SYSTEM_ERROR naming a missing binary). */
char *qemuCommandEmulator(const DomainDef *def);
/* The argv (NULL-terminated, free with qemuCommandFree) for DEF; NULL with
 * VIR_ERR_CONFIG_UNSUPPORTED naming the first part of DEF that cannot be
 * mapped, or the error of a failed host check (KVM, paths). DEF is the live
 * definition: generated paths are stored into it. */
char **qemuCommandBuild(DomainDef *def, const char *emulator,
                        const QemuCommandCtx *ctx);
void qemuCommandFree(char **argv);
/* Check that DEF can be mapped without building anything. 0 or -1. */
int qemuCommandValidate(const DomainDef *def);

/* ---- qemu_process.c ---- */

/* Start D's QEMU (job held, lock held on entry and exit, released while
 * waiting). FLAGS: VIR_DOMAIN_START_PAUSED, QEMU_START_INCOMING. 0 or -1. */
int qemuProcessStart(QemuDriver *drv, QemuDom *d, unsigned int flags);
/* qemuProcessStart flag: QEMU waits for a migration stream (-incoming
 * defer); D is left paused with no lifecycle event (the caller sets the
 * state and reports the start once the stream is in). */
#define QEMU_START_INCOMING (1U << 31)
/* qemuProcessStart with QEMU_START_INCOMING, QEMU loading the stream from
 * FD (at its position) as soon as it runs, with MIGRATION events on; its
 * monitor may answer only once the stream is in: LOADMS more are allowed
 * for the start. 0 or -1 (QEMU gone: a bad stream fails the start). */
int qemuProcessStartIncoming(QemuDriver *drv, QemuDom *d, int fd,
                             long long loadMs);
/* Kill D's QEMU and wait until the watcher saw it exit (lock held).
 * GRACEFUL: SIGTERM only. 0 or -1. */
int qemuProcessKill(QemuDriver *drv, QemuDom *d, bool graceful);
/* Reattach to D found running in run/ (lock held): pidfd, monitor,
 * watcher; a dead QEMU turns D shut off (crashed). 0 or -1 (D was
 * cleaned up as shut off). */
int qemuProcessReconnect(QemuDriver *drv, QemuDom *d);
/* Detach from every QEMU without stopping them (connection close): stop
 * the watchers, close monitors and consoles. Called without the lock. */
void qemuProcessDetachAll(QemuDriver *drv);
/* Ask D's watcher thread to run ACTIONS (QEMU_ACTION_*; lock held). */
void qemuProcessKick(QemuDom *d, int actions);
/* Take a monitor reference on active D (lock held), or report
 * OPERATION_INVALID. Release with qemuProcessMonRelease. */
Qmp *qemuProcessMonAcquire(QemuDom *d);
void qemuProcessMonRelease(QemuDom *d);
/* Wait (lock held) until COND(d) or MS pass; false on timeout. */
bool qemuProcessWaitFor(QemuDom *d, bool (*cond)(const QemuDom *d), int ms);
/* Nanoseconds of CPU time QEMU used (0 when unknown). */
unsigned long long qemuProcessCpuTime(const QemuDom *d);
/* Set the subreaper bit while at least one connection is open. */
void qemuProcessSubreaper(bool on);

/* ---- qemu_console.c ---- */

/* Join ST to D's console DEVNAME (NULL: the first). Lock held. */
int qemuConsoleOpen(QemuDom *d, const char *devname, virStreamPtr st,
                    unsigned int flags);
/* End D's console session (QEMU gone, domain going away). Lock held. */
void qemuConsoleClose(QemuDom *d);

/* ---- qemu_domain.c ---- */

/* Fill the domain slots of the vtable. */
void qemuDomainFill(Driver *drv);

/* ---- the feature families: each fills the vtable slots it implements ---- */

/* qemu_save.c: save/restore, managed save, core dump, domain jobs. */
void qemuSaveFill(Driver *drv);
/* qemu_snapshot.c: internal and external snapshots. */
void qemuSnapshotFill(Driver *drv);
/* True when D has snapshot metadata (lock held). */
bool qemuSnapshotHas(const QemuDom *d);
/* Undefining D (lock held): with VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
 * remove its snapshot metadata, else refuse (OPERATION_INVALID) while a
 * shut-off D has some. 0 or -1. */
int qemuSnapshotUndefine(QemuDom *d, unsigned int flags);
/* qemuProcessStart flag (snapshot revert): start paused with no lifecycle
 * event; the caller loads the snapshot, sets the state and reports. */
#define QEMU_START_SNAPSHOT (1U << 30)
/* qemu_block.c: block stats/info/resize/peek/iotune, block jobs. */
void qemuBlockFill(Driver *drv);
/* qemu_hotplug.c: attach/detach/update device, vCPUs, balloon memory. */
void qemuHotplugFill(Driver *drv);
/* qemu_tune.c: vCPU/emulator/iothread info and pinning, cgroups tunables,
 * perf events, interface stats and bandwidth. */
void qemuTuneFill(Driver *drv);
/* qemu_guest.c: guest agent calls and everything else (NMI, keys,
 * screenshot, memory peek, metadata, rename, stats for all domains...). */
void qemuGuestFill(Driver *drv);

/* ---- qemu_agent.c (guest family) ---- */

/* A VSERPORT_CHANGE event of D (lock held): the agent's AGENT_LIFECYCLE. */
void qemuAgentEvent(QemuDom *d, json_object *data);
/* Ask D's guest agent to power the guest off (REBOOT: restart it); lock
 * held, released while waiting. 0, or -1 with an error
 * (VIR_ERR_AGENT_UNRESPONSIVE when the agent does not answer). */
int qemuAgentShutdown(QemuDom *d, bool reboot);

/* ---- hotplug (qemu_hotplug.c, with qemu_command.c and qemu_events.c) ---- */

/* The free PCIe root ports qemu_command.c adds to q35 machines for
 * hot-plugged devices: ids QEMU_HOTPLUG_PORT_PREFIX1 .. N. */
#define QEMU_HOTPLUG_PORTS 8
#define QEMU_HOTPLUG_PORT_PREFIX "hotplug-port"

/* The argv fragment adding DEV (alias already set) to running DEF: pairs
 * of an option ("-blockdev", "-netdev", "-chardev", "-object", "-device")
 * and its value, in the order QEMU needs them (free with qemuCommandFree).
 * NULL with VIR_ERR_CONFIG_UNSUPPORTED for a device that cannot be
 * hot-plugged or mapped. Generated paths are stored into DEV. */
char **qemuCommandBuildDevice(DomainDef *def, DomainDevice *dev,
                              const QemuCommandCtx *ctx);

/* QMP events of the hotplug family (lock held, on the monitor thread; no
 * monitor commands): DEVICE_DELETED, DEVICE_UNPLUG_GUEST_ERROR,
 * BALLOON_CHANGE, DEVICE_TRAY_MOVED. DATA is the event's data (may be
 * NULL). */
void qemuHotplugDeviceDeleted(QemuDom *d, json_object *data);
void qemuHotplugUnplugError(QemuDom *d, json_object *data);
void qemuHotplugBalloonChange(QemuDom *d, json_object *data);
void qemuHotplugTrayMoved(QemuDom *d, json_object *data);
/* Shrink the balloon of LIVE to its <currentMemory> through MON before
 * the guest runs (qemu_memory.c; no lock held). 0 or -1 with an error. */
int qemuMemoryStartSetup(Qmp *mon, const DomainDef *live);
/* The vCPUs QEMU boots for DEF (-smp N): with a <vcpus> element, the
 * leading ones that are not hotpluggable, and def->curVcpus becomes the
 * count of enabled ones; else def->curVcpus. 0 or -1 with an error
 * (VIR_ERR_XML_ERROR, CONFIG_UNSUPPORTED) for a <vcpus> that does not
 * map. */
int qemuMemoryBootVcpus(DomainDef *def, unsigned int *boot);
/* Plug the enabled hotpluggable vCPUs of LIVE's <vcpus> through MON
 * before the guest runs (no lock held). 0 or -1 with an error. */
int qemuMemoryStartVcpus(Qmp *mon, const DomainDef *live);

/* ---- save family (qemu_save.c, qemu_dump.c, qemu_job.c) ---- */

/* Start inactive D (job and lock held): from its managed save image when
 * it has one (removed once restored; VIR_DOMAIN_START_FORCE_BOOT discards
 * it), else a normal boot with qemuProcessStart. 0 or -1. */
int qemuSaveStart(QemuDriver *drv, QemuDom *d, unsigned int flags);
/* True when D has a managed save image (lock held). */
bool qemuSaveHasManaged(const QemuDom *d);
/* QEMU of D reported a migration state change (lock held): wakes a save
 * or restore waiting for its end. */
void qemuSaveMigrationEvent(QemuDom *d);
/* Undefining D (lock held): remove its managed save image when FLAGS has
 * VIR_DOMAIN_UNDEFINE_MANAGED_SAVE, else refuse (OPERATION_INVALID) while
 * there is one. 0 or -1. */
int qemuSaveUndefine(QemuDom *d, unsigned int flags);
/* Free the domain job record of a domain (NULL is fine). */
void qemuJobDataFree(struct QemuJobData *jd);

/* ---- tune family (qemu_tune.c, qemu_cgroup.c, qemu_threads.c,
 * qemu_tunables.c, qemu_blkio.c, qemu_perf.c) ---- */

/* Refuse the parts of DEF's <cputune>, <memtune>, <numatune>, <perf> the
 * driver cannot apply. 0 or -1 with VIR_ERR_CONFIG_UNSUPPORTED. */
int qemuTuneValidate(const DomainDef *def);
/* At start, QEMU paused (-S) with its monitor MON up, lock not held, PID
 * already placed by qemuTunePlace: apply LIVE's tunables, pins and perf
 * events. 0 or -1 (the start fails). */
int qemuTuneStart(Qmp *mon, pid_t pid, const DomainDef *live);
/* Put the new QEMU PID of LIVE in its cgroups (before qemuTuneStart; done
 * while QEMU is still initialising, so it costs the start nothing). */
void qemuTunePlace(const DomainDef *live, pid_t pid);
/* D's QEMU is gone (lock held, d->pid still set): close its perf counters,
 * remove its cgroups. */
void qemuTuneStop(QemuDom *d);
/* A running QEMU found again (monitor MON, no lock held): put threads
 * started meanwhile into their per-thread cgroups. Never fails. */
void qemuTuneReconnect(Qmp *mon, pid_t pid, const DomainDef *live);
/* The IOThread ids of DEF (<iothreadids>, else 1..<iothreads>) into *IDS
 * (caller frees); returns the count. */
int qemuThreadsIothreadIds(const DomainDef *def, unsigned int **ids);
/* Append D's enabled perf counters as "perf.EVENT" (ULLONG) to the typed
 * parameter list *PARAMS (lock held). 0. */
int qemuPerfStats(QemuDom *d, virTypedParameterPtr *params, int *nparams,
                  int *maxparams);

/* ---- block family (qemu_block.c, qemu_blockiotune.c, qemu_blockjob.c) ----
 * How disks are named in QEMU (qemu_command.c): the frontend device's id is
 * the disk's alias (virtio-diskN, sata0-0-N, ...; query-block reports it as
 * /machine/peripheral/ALIAS[/virtio-backend]); its format node is
 * "drive-ALIAS", the protocol node under it "drive-ALIAS-storage"; QEMU
 * opens the backing chain of a qcow2 image itself (automatic node names).
 * After a block copy or active commit pivots, the device sits on another
 * node: look the current top node up with query-block (qdev ->
 * inserted.node-name) instead of assuming "drive-ALIAS". Block jobs started
 * by the block family have the job id "blockjob-DST" (DST: target dev). */

/* Apply the start-time settings of LIVE's disks (<iotune>) through MON
 * before the guest runs (no lock held). 0 or -1 with an error. */
int qemuBlockStartSetup(Qmp *mon, const DomainDef *live);
/* Read the backing chains of LIVE's disks from MON into their
 * <backingStore> (no lock held, at start). 0 or -1 with an error. */
int qemuBlockChainFill(Qmp *mon, DomainDef *live);
/* The same for active D (lock held, released meanwhile). 0 or -1. */
int qemuBlockChainRefresh(QemuDom *d);
/* The QMP events BLOCK_JOB_COMPLETED, _CANCELLED, _ERROR and _READY of D
 * (lock held, on the monitor thread, no monitor commands): jobs started by
 * qemu_blockjob.c update the live disk (<mirror>, pivot) and queue the
 * BLOCK_JOB and BLOCK_JOB_2 events; other jobs are ignored. */
void qemuBlockJobEvent(QemuDom *d, const char *name, json_object *data);
