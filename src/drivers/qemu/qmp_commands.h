/* qmp_commands.h: one C function per QMP command the QEMU driver uses */
#pragma once

#include "qmp.h"

/*
 * Every wrapper runs one QMP command with the monitor's timeout (see
 * qmpSetTimeout) and returns 0 (or a count) on success, -1 with an error set
 * on failure: the errors of qmpCommandRun, plus VIR_ERR_INTERNAL_ERROR
 * "malformed reply to 'X': ..." when the reply lacks a field the wrapper
 * reads. Wrappers translate only; they keep no state and make no choices.
 * String arguments are borrowed; NULL means "leave the optional argument
 * out" where the comment says optional. json_object arguments are stolen
 * on every path. Output strings and arrays belong to the caller, freed with
 * free() or the matching *Free function.
 *
 * Events the driver reacts to (QmpEvent.name; fields of QmpEvent.data):
 *   STOP, RESUME, POWERDOWN, SUSPEND, WAKEUP   no data
 *   SHUTDOWN            guest (bool), reason (str: "guest-shutdown",
 *                       "host-qmp-quit", "host-signal", ...)
 *   RESET               guest (bool), reason (str)
 *   GUEST_PANICKED      action (str: pause/poweroff/run), info (object)
 *   RTC_CHANGE          offset (int, seconds), qom-path (str)
 *   WATCHDOG            action (str: reset/shutdown/poweroff/pause/...)
 *   BLOCK_JOB_COMPLETED type, device (job id), len, offset, speed, error?
 *   BLOCK_JOB_CANCELLED type, device, len, offset, speed
 *   BLOCK_JOB_ERROR     device, operation (read/write), action
 *   BLOCK_JOB_READY     type, device, len, offset, speed
 *   JOB_STATUS_CHANGE   id (str), status (str: created/running/ready/
 *                       pending/concluded/null/...)
 *   DEVICE_DELETED      device? (qdev id), path (QOM path)
 *   BALLOON_CHANGE      actual (int, bytes)
 *   DEVICE_TRAY_MOVED   device, id (qdev id), tray-open (bool)
 *   MIGRATION           status (str, as in query-migrate)
 *   DUMP_COMPLETED      result (object: status, completed, total), error?
 *   VSERPORT_CHANGE     id (str), open (bool)
 *   QMP_EVENT_EOF       reason (str): synthetic, the connection is gone
 */

/* A NULL-terminated array of strings; frees each and the array. */
void qmpStringListFree(char **list);

/* --- run state ------------------------------------------------------- */

/* query-status: *RUNNING and *STATUS ("running", "paused", "prelaunch",
 * "shutdown", ...; caller frees; STATUS may be NULL). */
int qmpQueryStatus(Qmp *mon, bool *running, char **status);
int qmpCont(Qmp *mon);
int qmpStop(Qmp *mon);
int qmpSystemPowerdown(Qmp *mon);
int qmpSystemReset(Qmp *mon);
int qmpSystemWakeup(Qmp *mon);
/* quit: also succeeds when QEMU hangs up before replying. */
int qmpQuit(Qmp *mon);
int qmpInjectNmi(Qmp *mon);

/* query-version: QEMU's version numbers; PACKAGE (may be NULL) gets the
 * distribution's package string (caller frees). */
int qmpQueryVersion(Qmp *mon, int *major, int *minor, int *micro,
                    char **package);

/* --- vCPUs ------------------------------------------------------------- */

typedef struct {
    int cpuIndex;
    long long threadId;         /* host thread id of the vCPU */
    char *qomPath;
} QmpCpu;

/* query-cpus-fast: sets *CPUS (free with qmpCpuListFree) and returns the
 * count. */
int qmpQueryCpusFast(Qmp *mon, QmpCpu **cpus);
/* The same from REPLY (borrowed), the whole reply to a query-cpus-fast sent
 * with qmpBatchSend. Each *Reply function below does this for its command:
 * same results, and malformed replies are reported alike. */
int qmpQueryCpusFastReply(json_object *reply, QmpCpu **cpus);
void qmpCpuListFree(QmpCpu *cpus, int n);

typedef struct {
    char *type;                 /* CPU model type to device_add */
    int vcpusCount;
    char *qomPath;              /* NULL when the slot is empty */
    /* topology properties, -1 when absent */
    int nodeId;
    int socketId;
    int dieId;
    int coreId;
    int threadId;
} QmpHotpluggableCpu;

/* query-hotpluggable-cpus: sets *CPUS (free with
 * qmpHotpluggableCpuListFree) and returns the count. */
int qmpQueryHotpluggableCpus(Qmp *mon, QmpHotpluggableCpu **cpus);
void qmpHotpluggableCpuListFree(QmpHotpluggableCpu *cpus, int n);

typedef struct {
    char *id;
    long long threadId;
    long long pollMaxNs;
    long long pollGrow;
    long long pollShrink;
} QmpIothread;

/* query-iothreads: sets *THREADS (free with qmpIothreadListFree) and
 * returns the count. */
int qmpQueryIothreads(Qmp *mon, QmpIothread **threads);
int qmpQueryIothreadsReply(json_object *reply, QmpIothread **threads);
void qmpIothreadListFree(QmpIothread *threads, int n);

/* --- memory ------------------------------------------------------------ */

/* balloon: set the balloon target to BYTES. */
int qmpBalloon(Qmp *mon, unsigned long long bytes);
/* query-balloon: the guest's current memory size in bytes. */
int qmpQueryBalloon(Qmp *mon, unsigned long long *actual);
int qmpQueryBalloonReply(json_object *reply, unsigned long long *actual);
/* memsave: SIZE bytes of virtual memory at ADDR, as seen by vCPU
 * CPUINDEX (-1: QEMU's default), into FILENAME (on QEMU's side). */
int qmpMemsave(Qmp *mon, unsigned long long addr, unsigned long long size,
               const char *filename, int cpuIndex);
/* pmemsave: SIZE bytes of guest-physical memory at ADDR into FILENAME. */
int qmpPmemsave(Qmp *mon, unsigned long long addr, unsigned long long size,
                const char *filename);

/* --- dump -------------------------------------------------------------- */

/* dump-guest-memory: PROTOCOL is "fd:NAME" or "file:PATH"; FORMAT
 * (optional) "elf", "kdump-zlib", ...; DETACH returns at once (progress in
 * query-dump, then a DUMP_COMPLETED event). */
int qmpDumpGuestMemory(Qmp *mon, bool paging, const char *protocol,
                       const char *format, bool detach);
/* query-dump: STATUS ("none", "active", "completed", "failed"; caller frees)
 * and bytes COMPLETED of TOTAL. */
int qmpQueryDump(Qmp *mon, char **status, unsigned long long *completed,
                 unsigned long long *total);
/* query-dump-guest-memory-capability: the supported formats, a
 * NULL-terminated list (free with qmpStringListFree). */
int qmpQueryDumpGuestMemoryCapability(Qmp *mon, char ***formats);

/* --- file descriptors -------------------------------------------------- */

/* getfd: pass FD (borrowed) to QEMU under FDNAME. */
int qmpGetfd(Qmp *mon, const char *fdname, int fd);
/* closefd: close QEMU's descriptor FDNAME. */
int qmpClosefd(Qmp *mon, const char *fdname);
/* add-fd: pass FD (borrowed) into fd set FDSETID (-1: a new set), with an
 * optional OPAQUE note. *FDSETOUT and *FDOUT (may be NULL) get the set and
 * QEMU's descriptor number. */
int qmpAddFd(Qmp *mon, int fd, int fdsetId, const char *opaque,
             int *fdsetOut, int *fdOut);
/* remove-fd: remove FD (-1: all of them) from fd set FDSETID. */
int qmpRemoveFd(Qmp *mon, int fdsetId, int fd);

/* --- devices ----------------------------------------------------------- */

/* device_add: PROPS holds "driver", "id" and the device's properties
 * (stolen). */
int qmpDeviceAdd(Qmp *mon, json_object *props);
/* device_del: start unplugging device ID; DEVICE_DELETED follows. */
int qmpDeviceDel(Qmp *mon, const char *id);
/* netdev_add: PROPS holds "type", "id" and the backend's options (stolen). */
int qmpNetdevAdd(Qmp *mon, json_object *props);
int qmpNetdevDel(Qmp *mon, const char *id);
/* chardev-add: BACKEND is the ChardevBackend object (stolen), e.g.
 * {"type": "pty", "data": {}}. *PTY (may be NULL) gets the pty path QEMU
 * opened, NULL if none (caller frees). */
int qmpChardevAdd(Qmp *mon, const char *id, json_object *backend,
                  char **pty);
int qmpChardevRemove(Qmp *mon, const char *id);
/* set_link: set the link of NIC or netdev NAME up or down. */
int qmpSetLink(Qmp *mon, const char *name, bool up);
/* object-add: an object of QOM TYPE named ID with the properties in PROPS
 * (stolen, may be NULL). */
int qmpObjectAdd(Qmp *mon, const char *type, const char *id,
                 json_object *props);
int qmpObjectDel(Qmp *mon, const char *id);
/* qom-get: property PROPERTY of object PATH; *VALUE gets it, any json type
 * (caller owns it). */
int qmpQomGet(Qmp *mon, const char *path, const char *property,
              json_object **value);
/* qom-set: VALUE is stolen. */
int qmpQomSet(Qmp *mon, const char *path, const char *property,
              json_object *value);

/* --- display and input ------------------------------------------------- */

/* screendump: FILENAME on QEMU's side; DEVICE and FORMAT ("ppm", "png")
 * optional. */
int qmpScreendump(Qmp *mon, const char *filename, const char *device,
                  const char *format);

typedef struct {
    const char *qcode;          /* "ctrl", "a", ... or NULL: use number */
    int number;                 /* a raw key number */
} QmpKey;

/* send-key: press NKEYS keys together, HOLDTIMEMS ms (0: QEMU's default). */
int qmpSendKey(Qmp *mon, const QmpKey *keys, size_t nkeys, int holdTimeMs);
/* set_password: PROTOCOL "vnc" or "spice"; CONNECTED optional ("keep",
 * "fail", "disconnect"). The password never reaches the log. */
int qmpSetPassword(Qmp *mon, const char *protocol, const char *password,
                   const char *connected);
/* expire_password: TIME is "now", "never", "+SECONDS" or "SECONDS". */
int qmpExpirePassword(Qmp *mon, const char *protocol, const char *time);

typedef struct {
    bool enabled;
    char *host;                 /* all NULL when absent */
    char *service;
    char *family;
    char *auth;
} QmpVncInfo;

/* query-vnc: fills INFO (release with qmpVncInfoClear). */
int qmpQueryVnc(Qmp *mon, QmpVncInfo *info);
void qmpVncInfoClear(QmpVncInfo *info);

typedef struct {
    char *label;
    char *filename;             /* "pty:/dev/pts/3", "unix:...", ... */
    bool frontendOpen;
} QmpChardevInfo;

/* query-chardev: sets *DEVS (free with qmpChardevInfoListFree) and
 * returns the count. */
int qmpQueryChardev(Qmp *mon, QmpChardevInfo **devs);
void qmpChardevInfoListFree(QmpChardevInfo *devs, int n);

/* human-monitor-command: run HMP COMMANDLINE; *OUTPUT gets its text (caller
 * frees). */
int qmpHumanMonitorCommand(Qmp *mon, const char *commandLine, char **output);

/* --- block devices ----------------------------------------------------- */

typedef struct {
    char *device;               /* legacy drive name, may be "" */
    char *qdev;                 /* qdev id or QOM path; NULL if absent */
    bool removable;
    bool locked;
    bool hasTray;
    bool trayOpen;
    char *ioStatus;             /* NULL if absent */
    bool inserted;              /* a medium is present; then: */
    char *file;
    char *nodeName;             /* NULL if absent */
    char *drv;
    bool readOnly;
    long long virtualSize;      /* of the inserted image, bytes; 0 when */
    long long actualSize;       /* QEMU did not tell */
} QmpBlockInfo;

/* query-block: sets *DEVS (free with qmpBlockInfoListFree); returns the
 * count. */
int qmpQueryBlock(Qmp *mon, QmpBlockInfo **devs);
int qmpQueryBlockReply(json_object *reply, QmpBlockInfo **devs);
void qmpBlockInfoListFree(QmpBlockInfo *devs, int n);

typedef struct {
    char *device;               /* NULL if absent */
    char *qdev;
    char *nodeName;
    long long rdBytes;
    long long wrBytes;
    long long rdOperations;
    long long wrOperations;
    long long flushOperations;
    long long rdTotalTimeNs;
    long long wrTotalTimeNs;
    long long flushTotalTimeNs;
    long long wrHighestOffset;
} QmpBlockStats;

/* query-blockstats: QUERYNODES asks for node statistics instead of
 * devices'. Sets *STATS (free with qmpBlockStatsListFree); returns the
 * count. */
int qmpQueryBlockstats(Qmp *mon, bool queryNodes, QmpBlockStats **stats);
int qmpQueryBlockstatsReply(json_object *reply, QmpBlockStats **stats);
void qmpBlockStatsListFree(QmpBlockStats *stats, int n);

/* query-named-block-nodes (flat): the raw array (caller owns it). */
int qmpQueryNamedBlockNodes(Qmp *mon, json_object **nodes);

/* block_resize: DEVICE or NODENAME (the other NULL) to SIZE bytes. */
int qmpBlockResize(Qmp *mon, const char *device, const char *nodeName,
                   unsigned long long size);
/* blockdev-add: PROPS holds "driver", "node-name", ... (stolen). */
int qmpBlockdevAdd(Qmp *mon, json_object *props);
int qmpBlockdevDel(Qmp *mon, const char *nodeName);
/* blockdev-change-medium on the device with qdev ID: open FILENAME with
 * FORMAT (optional) in its place. */
int qmpBlockdevChangeMedium(Qmp *mon, const char *id, const char *filename,
                            const char *format);
int qmpBlockdevOpenTray(Qmp *mon, const char *id, bool force);
int qmpBlockdevCloseTray(Qmp *mon, const char *id);
int qmpBlockdevRemoveMedium(Qmp *mon, const char *id);
int qmpBlockdevInsertMedium(Qmp *mon, const char *id, const char *nodeName);

/* --- block jobs -------------------------------------------------------- */

typedef struct {
    char *type;                 /* "stream", "commit", "mirror", ... */
    char *device;               /* the job id */
    long long len;
    long long offset;
    long long speed;
    bool busy;
    bool paused;
    bool ready;
    char *status;               /* "running", "ready", "concluded", ... */
    char *ioStatus;
    char *error;                /* NULL unless the job failed */
} QmpBlockJob;

/* query-block-jobs: sets *JOBS (free with qmpBlockJobListFree); returns
 * the count. */
int qmpQueryBlockJobs(Qmp *mon, QmpBlockJob **jobs);
void qmpBlockJobListFree(QmpBlockJob *jobs, int n);

/* block-stream: pull data into DEVICE (node or device) from its backing
 * chain down to BASENODE (optional: all of it). JOBID, BACKINGFILE
 * optional; SPEED in bytes/s, 0 for unlimited. */
int qmpBlockStream(Qmp *mon, const char *jobId, const char *device,
                   const char *baseNode, const char *backingFile,
                   unsigned long long speed);
/* block-commit: merge TOPNODE (optional: the active layer) of DEVICE into
 * BASENODE (optional: the bottom of the chain). */
int qmpBlockCommit(Qmp *mon, const char *jobId, const char *device,
                   const char *topNode, const char *baseNode,
                   const char *backingFile, unsigned long long speed);
/* blockdev-mirror: copy DEVICE to the node TARGET; SYNC "full", "top" or
 * "none". */
int qmpBlockdevMirror(Qmp *mon, const char *jobId, const char *device,
                      const char *target, const char *sync,
                      unsigned long long speed);
/* drive-mirror: copy DEVICE to the file TARGET in FORMAT (optional); MODE
 * (optional) "existing" or "absolute-paths". */
int qmpDriveMirror(Qmp *mon, const char *jobId, const char *device,
                   const char *target, const char *format, const char *sync,
                   const char *mode, unsigned long long speed);
int qmpBlockJobCancel(Qmp *mon, const char *device, bool force);
int qmpBlockJobComplete(Qmp *mon, const char *device);
int qmpBlockJobSetSpeed(Qmp *mon, const char *device,
                        unsigned long long speed);

/* --- generic jobs and snapshots ---------------------------------------- */

typedef struct {
    char *id;
    char *type;                 /* "snapshot-save", "commit", ... */
    char *status;
    long long currentProgress;
    long long totalProgress;
    char *error;                /* NULL unless it failed */
} QmpJob;

/* query-jobs: sets *JOBS (free with qmpJobListFree); returns the count. */
int qmpQueryJobs(Qmp *mon, QmpJob **jobs);
void qmpJobListFree(QmpJob *jobs, int n);
int qmpJobDismiss(Qmp *mon, const char *id);
int qmpJobCancel(Qmp *mon, const char *id);

/* snapshot-save / -load / -delete (jobs; watch JOB_STATUS_CHANGE): TAG is
 * the internal snapshot name, VMSTATE the node holding the VM state,
 * DEVICES a NULL-terminated list of node names. */
int qmpSnapshotSave(Qmp *mon, const char *jobId, const char *tag,
                    const char *vmstate, const char *const *devices);
int qmpSnapshotLoad(Qmp *mon, const char *jobId, const char *tag,
                    const char *vmstate, const char *const *devices);
int qmpSnapshotDelete(Qmp *mon, const char *jobId, const char *tag,
                      const char *const *devices);

/* --- migration --------------------------------------------------------- */

/* migrate: start migrating to URI ("fd:NAME", "tcp:HOST:PORT", "exec:..").
 */
int qmpMigrate(Qmp *mon, const char *uri);
/* migrate-incoming: listen on URI (QEMU started with -incoming defer). */
int qmpMigrateIncoming(Qmp *mon, const char *uri);
int qmpMigrateCancel(Qmp *mon);

typedef struct {
    char *status;               /* NULL when QEMU sent none (no migration) */
    char *errorDesc;
    long long totalTime;        /* ms; -1 when absent, as all below */
    long long expectedDowntime;
    long long downtime;
    long long setupTime;
    bool hasRam;                /* the ram fields below are valid */
    long long ramTransferred;
    long long ramRemaining;
    long long ramTotal;
    long long ramDuplicate;
    long long ramNormal;
    long long ramNormalBytes;
    long long ramDirtyPagesRate;
    long long ramDirtySyncCount;
    long long ramPageSize;
    double ramMbps;
} QmpMigrationInfo;

/* query-migrate: fills INFO (release with qmpMigrationInfoClear). */
int qmpQueryMigrate(Qmp *mon, QmpMigrationInfo *info);
void qmpMigrationInfoClear(QmpMigrationInfo *info);

typedef struct {
    const char *capability;     /* "xbzrle", "postcopy-ram", ... */
    bool state;
} QmpMigrationCapability;

int qmpMigrateSetCapabilities(Qmp *mon, const QmpMigrationCapability *caps,
                              size_t ncaps);
/* migrate-set-parameters: PARAMS (stolen) holds the parameters to set. */
int qmpMigrateSetParameters(Qmp *mon, json_object *params);
