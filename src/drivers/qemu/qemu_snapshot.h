/* qemu_snapshot.h: the QEMU driver's snapshot family, shared by its files:
 * the metadata tree (qemu_snapshot_meta.c), disk and QEMU helpers
 * (qemu_snapshot_disk.c), creation (qemu_snapshot_create.c), revert and
 * deletion (qemu_snapshot_revert.c), queries (qemu_snapshot.c) */
#pragma once

#include "qemu_priv.h"

/* The <state> of a snapshot: the virDomainState values, plus one for
 * disk-only snapshots of a running domain. */
enum {
    SNAP_STATE_RUNNING = VIR_DOMAIN_RUNNING,
    SNAP_STATE_PAUSED = VIR_DOMAIN_PAUSED,
    SNAP_STATE_SHUTOFF = VIR_DOMAIN_SHUTOFF,
    SNAP_STATE_DISK_SNAPSHOT = 8,
};

/* What a snapshot does with one disk (<disk snapshot='...'>). */
typedef enum {
    SNAP_DISK_DEFAULT = 0,      /* not said (parsing only) */
    SNAP_DISK_NO,
    SNAP_DISK_INTERNAL,
    SNAP_DISK_EXTERNAL,
} QemuSnapDiskKind;

typedef struct {
    char *name;                 /* target dev (vda), or a path when parsed */
    QemuSnapDiskKind kind;
    char *file;                 /* external: the overlay */
    char *driverType;           /* external: the overlay's format */
} QemuSnapDisk;

/* One snapshot's metadata. */
typedef struct {
    char *name;
    char *description;
    char *parent;               /* NULL for a root */
    long long creationTime;
    int state;                  /* SNAP_STATE_* or a virDomainState */
    bool memory;                /* internal VM state saved with the disks */
    char *memoryFile;           /* external: the save image of the memory */
    QemuSnapDisk *disks;
    size_t ndisks;
    DomainDef *def;             /* the domain (live one when it ran) */
    DomainDef *inactiveDef;     /* its persistent config when it ran */
} QemuSnap;

/* Every snapshot of one domain, as stored under ROOT/snapshot/NAME. */
typedef struct {
    QemuSnap **snaps;           /* by creation time */
    size_t n;
    char *current;              /* name of the current snapshot, or NULL */
} QemuSnapTree;

/* ---- qemu_snapshot_meta.c ---- */

void qemuSnapFree(QemuSnap *s);
void qemuSnapTreeFree(QemuSnapTree *t);
/* Read the snapshots of domain DOMNAME from disk (an empty tree when there
 * are none). NULL with an error (unreadable or corrupt metadata). */
QemuSnapTree *qemuSnapTreeLoad(QemuDriver *drv, const char *domName);
/* The snapshot NAME of T, or NULL (no error). */
QemuSnap *qemuSnapFind(const QemuSnapTree *t, const char *name);
/* NAME of domain DOMNAME or VIR_ERR_NO_DOMAIN_SNAPSHOT. */
QemuSnap *qemuSnapGet(const QemuSnapTree *t, const char *domName,
                      const char *name);
/* True when S has no child in T. */
bool qemuSnapIsLeaf(const QemuSnapTree *t, const QemuSnap *s);
/* True when S is external (overlays, a memory file or both). */
bool qemuSnapIsExternal(const QemuSnap *s);
/* Write S's metadata file (atomically). 0 or -1. */
int qemuSnapSave(QemuDriver *drv, const char *domName, const QemuSnap *s);
/* Remove S's metadata file. 0 or -1. */
int qemuSnapUnlink(QemuDriver *drv, const char *domName, const char *name);
/* Record NAME (NULL: none) as the current snapshot, in T and on disk. */
int qemuSnapSetCurrent(QemuDriver *drv, const char *domName,
                       QemuSnapTree *t, const char *name);
/* Add S (taken) to T. */
void qemuSnapTreeAdd(QemuSnapTree *t, QemuSnap *s);
/* Take S out of T (not freed). */
void qemuSnapTreeRemove(QemuSnapTree *t, QemuSnap *s);
/* Remove every metadata file of DOMNAME and its directory. 0 or -1. */
int qemuSnapRemoveAll(QemuDriver *drv, const char *domName);
/* How many snapshots DOMNAME has (0 on errors). */
int qemuSnapCount(QemuDriver *drv, const char *domName);

/* <domainsnapshot> of S (caller frees). STORAGE adds what only the
 * metadata file keeps (the inactive definition). */
char *qemuSnapFormat(const QemuSnap *s, bool secure, bool storage);
/* Parse a <domainsnapshot>. FULL (redefine, metadata files) also reads
 * state, parent, creation time and the domain definitions. */
QemuSnap *qemuSnapParse(const char *xml, bool full);
/* A copy of SRC made to fit D (name, uuid): LIVE keeps live-only parts. */
DomainDef *qemuSnapDefCopy(const DomainDef *src, const QemuDom *d, bool live);

/* ---- qemu_snapshot_disk.c ---- */

/* Run qemu-img with ARGV (without the program; NULL-terminated). *OUT (may
 * be NULL) gets its standard output. Failure: VIR_ERR_OPERATION_FAILED
 * quoting its standard error. 0 or -1. */
int qemuSnapImg(const char *const *argv, char **out);
/* True when image PATH holds internal snapshot TAG; -1 with an error. */
int qemuSnapImgHasTag(const char *path, const char *tag);
/* The images of PATH's backing chain, top first (NULL-terminated, free
 * with qmpStringListFree), and *FORMATS theirs; NULL with an error. */
char **qemuSnapImgChain(const char *path, char ***formats);
/* True when disk DISK takes part in snapshots (writable, has a file). */
bool qemuSnapDiskWritable(const DiskDef *disk);
/* Check that every writable disk of DEF is qcow2 (internal snapshots):
 * VIR_ERR_OPERATION_UNSUPPORTED naming the first that is not. */
int qemuSnapCheckQcow2(const DomainDef *def, const char *what);
/* The format node names of DEF's writable disks in QEMU (a NULL-terminated
 * list, free with qmpStringListFree), in DEF's disk order. No lock held. */
char **qemuSnapNodeNames(Qmp *mon, const DomainDef *def);
/* Wait for QMP job JOBID to conclude, dismiss it; its error becomes
 * VIR_ERR_OPERATION_FAILED naming WHAT. No lock held. 0 or -1. */
int qemuSnapJobWait(Qmp *mon, const char *jobId, const char *what);
/* The same; READY: return (0, job kept) once the job is ready to
 * complete (an active commit), and a job that concludes first fails. */
int qemuSnapJobWaitFor(Qmp *mon, const char *jobId, const char *what,
                       bool ready);
/* transaction of blockdev-snapshot-sync actions: NODES[i] gets overlay
 * FILES[i] (qcow2); REUSE: the files exist. No lock held. 0 or -1. */
int qemuSnapQmpExternal(Qmp *mon, char **nodes, char **files, size_t n,
                        bool reuse);

/* ---- qemu_snapshot_create.c ---- */

virDomainSnapshotPtr qemuSnapCreate(virDomainPtr dom, const char *xml,
                                    unsigned int flags);
/* The overlays of S must exist (REUSE) or must not: OPERATION_INVALID
 * naming the first that does not fit. 0 or -1. */
int qemuSnapCheckOverlays(const QemuSnap *s, bool reuse);
/* True when S makes an overlay for at least one disk. */
bool qemuSnapHasExternalDisk(const QemuSnap *s);
/* Make the overlays of S (checked) for D, running or not, and switch D's
 * definitions to them (live chains read back from QEMU). FLAGS: REUSE_EXT,
 * QUIESCE. Lock and job held. 0 or -1. */
int qemuSnapExternalTake(QemuDom *d, QemuSnap *s, unsigned int flags);
/* Stop D's QEMU for a snapshot (HALT, revert): lifecycle STOPPED with
 * detail FROM_SNAPSHOT. Lock and job held. 0 or -1. */
int qemuSnapStopDomain(QemuDom *d);
/* Run FN(mon, opaque) with the monitor of active D, lock released. */
int qemuSnapMonitorRun(QemuDom *d, int (*fn)(Qmp *mon, void *opaque),
                       void *opaque);

/* qemu-img snapshot OP ("-c", "-a", "-d") NAME on each internal disk of S
 * found in DEF. With ROLLBACK, a failure deletes what was created. */
int qemuSnapImgAll(const DomainDef *def, const QemuSnap *s, const char *op,
                   bool rollback);

/* ---- qemu_snapshot_memory.c ---- */

/* External snapshot S of running or paused D with its memory saved to
 * S->memoryFile, then its disks' overlays (FLAGS: LIVE, HALT, REUSE_EXT).
 * Lock and job held. On failure no file is left and the guest runs as
 * before. 0 or -1. */
int qemuSnapExternalMemory(QemuDom *d, QemuSnap *s, unsigned int flags);

/* ---- qemu_snapshot_revert.c ---- */

int qemuSnapRevert(virDomainSnapshotPtr snap, unsigned int flags);
int qemuSnapDelete(virDomainSnapshotPtr snap, unsigned int flags);

/* ---- qemu_snapshot.c ---- */

/* Report unknown FLAGS outside ALLOWED for FUNC. 0 or -1. */
int qemuSnapCheckFlags(unsigned int flags, unsigned int allowed,
                       const char *func);
