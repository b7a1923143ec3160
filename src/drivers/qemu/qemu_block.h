/* qemu_block.h: helpers shared by the block family's files (qemu_block.c,
 * qemu_blockiotune.c, qemu_blockjob.c) */
#pragma once

#include "qemu_priv.h"

#include <json-c/json.h>

/* Timeout of the queries that do not take the job (milliseconds). */
#define QEMU_BLOCK_QUERY_MS 5000

/* One disk of a definition, copied out so that it stays valid while the
 * driver lock is released. */
typedef struct {
    char *dst;          /* <target dev> */
    char *alias;        /* qdev id (live definitions only), may be NULL */
    char *path;         /* source file or device, NULL when none */
    char *format;       /* <driver type>, "raw" when absent */
    DiskType type;
    DiskDevice device;
    int idx;            /* index in the definition */
} QemuBlockDisk;

/* Report unknown FLAGS outside ALLOWED for FUNC. 0 or -1. */
int qemuBlockCheckFlags(unsigned int flags, unsigned int allowed,
                        const char *func);

/* Fill OUT with disk DISK (target or source path) of DEF, owned by D.
 * VIR_ERR_INVALID_ARG naming the disk when there is none. 0 or -1;
 * release with qemuBlockDiskClear. */
int qemuBlockDiskLookup(const QemuDom *d, const DomainDef *def,
                        const char *disk, QemuBlockDisk *out);
void qemuBlockDiskClear(QemuBlockDisk *bd);

/* Run CMD (stolen) on D's monitor with the driver lock released (held on
 * entry and exit; D active). *REPLY (may be NULL) gets the reply. TIMEOUTMS
 * 0 means the monitor's default. 0 or -1 with the monitor's error. */
int qemuBlockMonRun(QemuDom *d, json_object *cmd, json_object **reply,
                    int timeoutMs);

/* Whether QEMU's QDEV (an id or a QOM path such as
 * /machine/peripheral/ALIAS/virtio-backend) names the device ALIAS. */
bool qemuBlockQdevMatch(const char *qdev, const char *alias);

/* The query-block entry of the device with qdev id ALIAS on D's monitor
 * (lock held, released meanwhile): *ENTRY is owned by the caller
 * (json_object_put). VIR_ERR_OPERATION_FAILED when QEMU has no such
 * device. 0 or -1. */
int qemuBlockQueryDevice(QemuDom *d, const char *alias, json_object **entry);

/* The node name at the top of the device's tree in ENTRY (borrowed from
 * ENTRY), or NULL with VIR_ERR_OPERATION_INVALID when no medium is in. */
const char *qemuBlockEntryNode(json_object *entry, const char *dst);

/* The images of the disk's chain in the query-block ENTRY, top first:
 * *FILES and *FORMATS (strings borrowed from ENTRY, arrays owned by the
 * caller). Returns how many. */
size_t qemuBlockEntryChain(json_object *entry, const char ***files,
                           const char ***formats);

/* Index of PATH in the chain FILES of N (by name, else by the file it
 * is), or -1. */
int qemuBlockChainFind(const char **files, size_t n, const char *path);

/* Run the host tool ARGV (argv[0] looked up in PATH) and wait for it;
 * *OUTPUT (may be NULL) gets its standard output. A non-zero exit is
 * VIR_ERR_OPERATION_FAILED quoting its standard error. 0 or -1. */
int qemuBlockRunTool(const char *const *argv, char **output);

/* ---- backing chains (the live XML's <backingStore>) ---- */

/* query-block's list from MON (no lock held; caller owns it), NULL with
 * the monitor's error. */
json_object *qemuBlockChainQuery(Qmp *mon);
/* Set the <backingStore> chains and the index attribute of <source> of
 * LIVE's disks from query-block's list BLOCKS (borrowed). */
void qemuBlockChainApply(DomainDef *live, json_object *blocks);
/* The element <backingStore type=... [index=N]> for image PATH of FORMAT,
 * with <format> and <source> (INDEX 0: none), caller owns it. */
XNode *qemuBlockChainElement(const char *path, const char *format,
                             int index);
/* Make PATH (of FORMAT) DISK's image, its old image the top of its
 * <backingStore> chain (the persistent definition after a snapshot). */
void qemuBlockChainPush(DiskDef *disk, const char *path, const char *format);

/* Take image PATH out of DISK's chain: the image below it takes its
 * place (the <backingStore> element below, else BELOW of BELOWFMT when
 * PATH is DISK's image and no chain is recorded). */
void qemuBlockChainRemove(DiskDef *disk, const char *path,
                          const char *below, const char *belowFmt);

/* The nodes disk ALIAS was started with ("drive-ALIAS" and its
 * "-storage" node) stay in QEMU after a commit or pivot took them out of
 * the chain, holding their backing image busy: delete them (no lock
 * held; nothing happens while they are in use). */
void qemuBlockDropNodes(Qmp *mon, const char *alias);
/* DISK of a live definition switches to image PATH (a pivot): when PATH
 * is in its chain, the images above it leave the chain and PATH keeps
 * its number; else the chain waits for the next refresh. */
void qemuBlockChainPivot(DiskDef *disk, const char *path);

/* ---- qemu_blockiotune.c ---- */

/* Fill the I/O throttling slots. */
void qemuBlockIotuneFill(Driver *drv);

/* ---- qemu_blockjob.c ---- */

/* Fill the block job slots. */
void qemuBlockJobFill(Driver *drv);
