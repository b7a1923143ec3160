/* qemu_tune.h: what the files of the tune family (qemu_tune.c,
 * qemu_cgroup.c, qemu_threads.c, qemu_perf.c) share */
#pragma once

#include "qemu_priv.h"

#include <stdbool.h>
#include <sys/types.h>

/* ---- qemu_cgroup.c ---- */

typedef enum {
    QEMU_CG_CPU = 0, QEMU_CG_CPUACCT, QEMU_CG_CPUSET, QEMU_CG_MEMORY,
    QEMU_CG_BLKIO, QEMU_CG_LAST
} QemuCgController;

/* What qemuCgroupReadULL returns for "max" (v2's unlimited). */
#define QEMU_CG_UNLIMITED (~0ULL)

typedef struct QemuCgroup QemuCgroup;

/* The v1 name of controller C ("cpu", "memory", ...). */
const char *qemuCgroupName(QemuCgController c);
/* The cgroup of controller C of running domain NAME whose QEMU is PID
 * (free with qemuCgroupFree), or NULL with VIR_ERR_OPERATION_UNSUPPORTED
 * when the host lacks C or QEMU is not in a cgroup of ours. */
QemuCgroup *qemuCgroupOpen(const char *name, pid_t pid, QemuCgController c);
void qemuCgroupFree(QemuCgroup *cg);
bool qemuCgroupIsV2(const QemuCgroup *cg);
const char *qemuCgroupDir(const QemuCgroup *cg);
/* True when the kernel offers FILE in CG. */
bool qemuCgroupHas(const QemuCgroup *cg, const char *file);
/* FILE's content (caller frees), or NULL with an error:
 * VIR_ERR_OPERATION_UNSUPPORTED naming a file the kernel lacks. */
char *qemuCgroupRead(const QemuCgroup *cg, const char *file);
/* FILE's first number ("max" reads as QEMU_CG_UNLIMITED). 0 or -1. */
int qemuCgroupReadULL(const QemuCgroup *cg, const char *file,
                      unsigned long long *value);
/* Write the formatted value to FILE: VIR_ERR_INVALID_ARG when the kernel
 * refuses the value, OPERATION_UNSUPPORTED for a missing file. 0 or -1. */
int qemuCgroupWrite(const QemuCgroup *cg, const char *file,
                    const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The child group LEAF of CG (a per-thread group: "vcpu0", "emulator",
 * "iothread1"; free with qemuCgroupFree). Without CREATE: NULL and no
 * error when it does not exist. With CREATE: made when missing (v2: as a
 * threaded group), NULL with an error when that fails. */
QemuCgroup *qemuCgroupChild(const QemuCgroup *cg, const char *leaf,
                            bool create);
/* Move thread TID of process PID into CG unless it is there already (a
 * thread that ended meanwhile is no error). ALL (TID == PID): on v1 the
 * whole process, on v2 its main thread. 0 or -1 with
 * VIR_ERR_SYSTEM_ERROR. */
int qemuCgroupAddThread(const QemuCgroup *cg, pid_t pid, pid_t tid,
                        bool all);

/* ---- qemu_threads.c ---- */

/* Id N of an IOThread object named "iothreadN"; 0 for other names. */
unsigned int qemuThreadsIothreadId(const char *name);
/* FN(TID, OPAQUE) for each thread of QEMU PID not listed in SKIP
 * (NSKIP), until one fails. 0 or -1 (FN's error, or SYSTEM_ERROR when
 * the threads cannot be listed). */
int qemuThreadsForOthers(pid_t pid, const long long *skip, size_t nskip,
                         int (*fn)(pid_t tid, void *opaque), void *opaque);
/* Host CPUs (configured). */
int qemuThreadsHostCpus(void);
/* Parse cpuset string SET ("0-2,^1,5"; NULL: all host CPUs) into CPUMAP of
 * MAPLEN bytes (cleared first); bits beyond MAPLEN are dropped. 0, or -1
 * with VIR_ERR_INVALID_ARG naming WHAT. */
int qemuThreadsParseSet(const char *set, unsigned char *cpumap, int maplen,
                        const char *what);
/* Apply D's <cputune> pins (vcpupin, emulatorpin, iothreadpin; <vcpu
 * cpuset> as the default) to the threads of its QEMU (MON usable, driver
 * lock not held; DEF is the live definition). 0 or -1. */
int qemuThreadsApplyPins(Qmp *mon, pid_t pid, const DomainDef *def);

/* ---- qemu_tune.c ---- */

/* Report unknown FLAGS outside ALLOWED for FUNC. 0 or -1. */
int qemuTuneCheckFlags(unsigned int flags, unsigned int allowed,
                       const char *func);
/* DOM's record with the driver lock held (and a job begun when JOB; the
 * domain must be running when ACTIVE), or NULL with an error. Finish with
 * qemuTuneEnd(D, JOB). */
QemuDom *qemuTuneBegin(virDomainPtr dom, bool job, bool active);
void qemuTuneEnd(QemuDom *d, bool job);
/* The definitions VIR_DOMAIN_AFFECT_* FLAGS select (lock held): *LIVE (the
 * running one) and/or *CONFIG (the persistent one), NULL when not
 * selected. GET: exactly one must be selected. Errors: OPERATION_INVALID
 * for LIVE on an inactive or CONFIG on a transient domain, INVALID_ARG for
 * both on a get. 0 or -1. */
int qemuTuneAffect(QemuDom *d, unsigned int flags, bool get,
                   DomainDef **live, DomainDef **config);
/* The VIR_DOMAIN_AFFECT_* part of a typed-parameter get's FLAGS, with
 * both LIVE and CONFIG read as CONFIG, as libvirt does: python's setters
 * pass their own flags to the get that learns the parameter types. */
unsigned int qemuTuneGetAffect(unsigned int flags);
/* Save what changed: the persistent CONFIG (when not NULL) and the live
 * status (when LIVE). Lock held. 0 or -1. */
int qemuTuneSave(QemuDom *d, DomainDef *config, bool live);
/* Queue a tunable event about D with one string parameter. */
void qemuTuneEventString(QemuDom *d, const char *name, const char *value);
/* Queue one tunable event about D carrying PARAMS (N, ULLONG or LLONG),
 * each named PREFIX + its field ("cputune." "vcpu_quota"). */
void qemuTuneEventParams(QemuDom *d, const char *prefix,
                         const virTypedParameter *params, int n);
/* Run FN(MON, OPAQUE) on D's monitor with the lock released (lock held on
 * entry and exit; D active). 0 or -1. */
int qemuTuneMonitor(QemuDom *d, int (*fn)(Qmp *mon, void *opaque),
                    void *opaque);

/* After vCPU hotplug or an IOThread change of the QEMU on MON (no lock
 * held, LIVE its live definition): new threads join their per-thread cpu
 * cgroups and get LIVE's pins. Failures are logged; the thread's error
 * stays as it was. */
void qemuTuneThreadsChanged(Qmp *mon, pid_t pid, const DomainDef *live);

/* Apply DEF's <cputune> period/shares, <memtune>, <blkiotune>, <numatune>
 * to the cgroups of its QEMU PID. 0 or -1. */
int qemuTunablesApply(const DomainDef *def, pid_t pid);

/* Refuse what DEF's tunables ask and the driver cannot apply (per-thread
 * bandwidth, NUMA modes other than strict). 0 or -1 with
 * VIR_ERR_CONFIG_UNSUPPORTED. */
int qemuTunablesValidate(const DomainDef *def);
/* Fill the scheduler, memory and NUMA slots of the vtable. */
void qemuTunablesFill(Driver *drv);

/* ---- qemu_bandwidth.c ---- */

/* The groups a CFS period/quota pair applies to, in the order the
 * scheduler parameters list them. */
typedef enum {
    QEMU_BW_VCPU = 0, QEMU_BW_EMULATOR, QEMU_BW_GLOBAL, QEMU_BW_IOTHREAD,
    QEMU_BW_LAST
} QemuBwKind;

/* The scheduler parameter of K's period (or QUOTA): "vcpu_period", ... */
const char *qemuBandwidthField(QemuBwKind k, bool quota);
/* Where CT keeps K's period and quota (0: not set; quota <0: none). */
unsigned long long *qemuBandwidthPeriod(CpuTune *ct, QemuBwKind k);
long long *qemuBandwidthQuota(CpuTune *ct, QemuBwKind k);
void qemuBandwidthDef(const CpuTune *ct, QemuBwKind k,
                      unsigned long long *period, long long *quota);
/* True when DEF sets a vcpu, emulator or iothread period or quota. */
bool qemuBandwidthThreadsWanted(const DomainDef *def);
/* Period and quota (-1: none) of cpu cgroup CG from the kernel. 0 or -1. */
int qemuBandwidthRead(const QemuCgroup *cg, unsigned long long *period,
                      long long *quota);
/* Write PERIOD and QUOTA (0: leave as is, <0: no limit) to CG. 0 or -1
 * (VIR_ERR_INVALID_ARG when the kernel refuses a value). */
int qemuBandwidthWrite(const QemuCgroup *cg, unsigned long long period,
                       long long quota);
/* Give each vCPU and IOThread of the QEMU on MON (domain NAME, process
 * PID) a child group of the domain's cpu cgroup (vcpuN, iothreadN), move
 * the other threads into "emulator", remove the groups of threads gone;
 * a new group gets DEF's values for its kind. No lock held. 0 or -1. */
int qemuBandwidthPlace(Qmp *mon, const char *name, pid_t pid,
                       const DomainDef *def);
/* At start, while QEMU initialises (before qemuBandwidthPlace): when DEF
 * wants per-thread values, put QEMU into its emulator group, so that the
 * threads it starts are born there and only vCPUs and IOThreads move
 * later. Failures are logged (qemuBandwidthPlace reports them). */
void qemuBandwidthPlaceEarly(const DomainDef *def, pid_t pid);
/* True when the threads of domain NAME's QEMU PID have their groups. */
bool qemuBandwidthPlaced(const char *name, pid_t pid);
/* qemuBandwidthPlace when the threads were placed before or DEF wants
 * per-thread values: after vCPU hotplug, IOThread changes, reconnect.
 * A failure is logged (the change it follows stands). */
void qemuBandwidthRefresh(Qmp *mon, const char *name, pid_t pid,
                         const DomainDef *def);
/* Write PERIOD/QUOTA (0: leave) to every group of kind K of the running
 * domain (the domain group for QEMU_BW_GLOBAL). 0 or -1. */
int qemuBandwidthSetLive(const char *name, pid_t pid, QemuBwKind k,
                         unsigned long long period, long long quota);
/* K's live period and quota: the kernel's, from the first group of the
 * kind; DEF's value when there is no such group. 0 or -1. */
int qemuBandwidthGetLive(const char *name, pid_t pid, const DomainDef *def,
                         QemuBwKind k, unsigned long long *period,
                         long long *quota);

/* ---- qemu_blkio.c ---- */

/* Apply DEF's <blkiotune> to the blkio cgroup of QEMU PID. 0 or -1. */
int qemuBlkioApply(const DomainDef *def, pid_t pid);
void qemuBlkioFill(Driver *drv);

/* ---- qemu_cgroup.c: placement ---- */

/* Put QEMU PID of domain NAME in cgroups of its own, one per controller
 * the host has; a controller that cannot be used (read-only, no rights)
 * is logged and skipped: its tunables then fail with
 * VIR_ERR_OPERATION_UNSUPPORTED. Never fails. */
void qemuCgroupStart(const char *name, pid_t pid);
/* Remove the cgroups of domain NAME's QEMU PID (gone). */
void qemuCgroupStop(const char *name, pid_t pid);

/* ---- qemu_perf.c ---- */

/* Fill the perf slots of the vtable. */
void qemuPerfFill(Driver *drv);
/* Refuse unknown events in DEF's <perf>. 0 or -1 (CONFIG_UNSUPPORTED). */
int qemuPerfValidate(const DomainDef *def);
/* Enable the events DEF's <perf> enables on QEMU PID. 0 or -1. */
int qemuPerfStart(const DomainDef *def, pid_t pid);
/* Close D's perf counters (domain stopping). Lock held. */
void qemuPerfStop(QemuDom *d);
/* Fill the threads slots of the vtable. */
void qemuThreadsFill(Driver *drv);
