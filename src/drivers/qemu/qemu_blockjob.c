/* qemu_blockjob.c: the QEMU driver's block jobs: pull (block-stream),
 * copy (drive-mirror), commit (block-commit, active or not), their
 * progress, speed, abort and pivot, and the events QEMU sends about them.
 *
 * QEMU is the record of which jobs run: the job on disk DST has the job id
 * "blockjob-DST" (QEMU_BLOCKJOB_PREFIX) and vanishes from query-block-jobs
 * once finished. What QEMU does not know is kept in the live definition, as
 * libvirt does, in a <mirror> child of the disk for a copy or an active
 * commit: job ('copy' / 'active-commit'), the image the disk switches to on
 * pivot (<source file|dev>, <format type>), and ready ('yes' once QEMU said
 * so, 'pivot' / 'abort' once we asked to finish). It survives a reconnect
 * with the status file. */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_block.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "log.h"
#include "typedparam.h"
#include "xtree.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QEMU_BLOCKJOB_PREFIX "blockjob-"
#define QEMU_BLOCKJOB_WAIT_MS 30000     /* a synchronous abort or pivot */

/* ---- the <mirror> element of a disk ---- */

static XNode *
mirrorFind(const DiskDef *disk, size_t *idx)
{
    for (size_t i = 0; i < disk->extra.nkids; i++) {
        if (strcmp(disk->extra.kids[i]->name, "mirror") == 0) {
            if (idx)
                *idx = i;
            return disk->extra.kids[i];
        }
    }
    return NULL;
}

/* An attribute of M without marking it used ("" when absent). */
static const char *
mirrorAttr(const XNode *m, const char *name)
{
    for (size_t i = 0; m && i < m->nattrs; i++) {
        if (strcmp(m->attrs[i].name, name) == 0)
            return m->attrs[i].value;
    }
    return "";
}

/* The path and format of M's <source> and <format> children. */
static void
mirrorTarget(const XNode *m, const char **path, const char **format,
             bool *block)
{
    *path = *format = NULL;
    *block = strcmp(mirrorAttr(m, "type"), "block") == 0;
    for (size_t i = 0; i < m->nkids; i++) {
        const XNode *k = m->kids[i];

        if (strcmp(k->name, "source") == 0)
            *path = *mirrorAttr(k, "file") ? mirrorAttr(k, "file")
                                           : mirrorAttr(k, "dev");
        else if (strcmp(k->name, "format") == 0)
            *format = mirrorAttr(k, "type");
    }
}

static void
mirrorAdd(DiskDef *disk, const char *job, const char *path,
          const char *format, bool block)
{
    XNode *m = xtreeNew("mirror");
    XNode *src = xtreeNew("source");
    XNode *fmt = xtreeNew("format");

    xtreeSetAttr(m, "type", block ? "block" : "file");
    xtreeSetAttr(m, "job", job);
    xtreeSetAttr(src, block ? "dev" : "file", path);
    xtreeSetAttr(fmt, "type", format);
    xtreeAppend(m, fmt);
    xtreeAppend(m, src);
    allocResize(&disk->extra.kids, disk->extra.nkids, disk->extra.nkids + 1,
                sizeof(XNode *));
    disk->extra.kids[disk->extra.nkids++] = m;
}

static void
mirrorRemove(DiskDef *disk)
{
    size_t idx;
    XNode *m = mirrorFind(disk, &idx);

    if (!m)
        return;
    xtreeFree(m);
    memmove(&disk->extra.kids[idx], &disk->extra.kids[idx + 1],
            (disk->extra.nkids - idx - 1) * sizeof(XNode *));
    disk->extra.nkids--;
}

/* ---- helpers ---- */

static char *
jobId(const char *dst)
{
    return allocPrintf(QEMU_BLOCKJOB_PREFIX "%s", dst);
}

/* The libvirt job type of QEMU's TYPE on DISK (its <mirror> tells an
 * active commit from another). */
static int
jobType(const char *type, const DiskDef *disk)
{
    if (strcmp(type, "stream") == 0)
        return VIR_DOMAIN_BLOCK_JOB_TYPE_PULL;
    if (strcmp(type, "mirror") == 0)
        return VIR_DOMAIN_BLOCK_JOB_TYPE_COPY;
    if (strcmp(type, "commit") == 0) {
        XNode *m = disk ? mirrorFind(disk, NULL) : NULL;

        return strcmp(mirrorAttr(m, "job"), "active-commit") == 0
               ? VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT
               : VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT;
    }
    if (strcmp(type, "backup") == 0)
        return VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP;
    return VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN;
}

/* Bandwidth argument -> bytes/s (MiB/s unless BYTES). */
static int
jobBandwidth(unsigned long bandwidth, bool bytes, unsigned long long *out)
{
    if (!bytes && bandwidth > (LLONG_MAX >> 20)) {
        reportError(VIR_ERR_OVERFLOW, "bandwidth must be less than %llu "
                    "MiB/s", (unsigned long long)LLONG_MAX >> 20);
        return -1;
    }
    *out = bytes ? bandwidth : (unsigned long long)bandwidth << 20;
    return 0;
}

/* QEMU's job on disk DST of D (lock held, released meanwhile): 1 and *JOB
 * filled (release with qmpBlockJobListFree(job, 1)), 0 when none, -1. */
static int
jobQuery(QemuDom *d, const char *dst, QmpBlockJob **job)
{
    QmpBlockJob *jobs = NULL;
    char *id = jobId(dst);
    Qmp *mon;
    int n, ret = 0;

    *job = NULL;
    if (!(mon = qemuProcessMonAcquire(d))) {
        free(id);
        return -1;
    }
    pthread_mutex_unlock(&d->drv->lock);
    n = qmpQueryBlockJobs(mon, &jobs);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    if (n < 0)
        ret = -1;
    for (int i = 0; i < n && ret == 0; i++) {
        if (strcmp(jobs[i].device, id) == 0) {
            *job = allocZero(sizeof(**job));
            **job = jobs[i];
            memset(&jobs[i], 0, sizeof(jobs[i]));
            ret = 1;
        }
    }
    qmpBlockJobListFree(jobs, n > 0 ? n : 0);
    free(id);
    return ret;
}

int
qemuBlockChainFind(const char **files, size_t n, const char *path)
{
    char *want = realpath(path, NULL);
    int ret = -1;

    for (size_t i = 0; i < n && ret < 0; i++) {
        char *have;

        if (strcmp(files[i], path) == 0) {
            ret = (int)i;
            break;
        }
        have = want ? realpath(files[i], NULL) : NULL;
        if (have && strcmp(have, want) == 0)
            ret = (int)i;
        free(have);
    }
    free(want);
    return ret;
}

/* D's disk BD in the live definition, if it is still there (the lock was
 * released meanwhile: a destroy does not wait for the job slot). */
static DiskDef *
jobDisk(QemuDom *d, const QemuBlockDisk *bd)
{
    if (!qemuDomIsActive(d) || bd->idx < 0 ||
        bd->idx >= (int)d->def->ndisks ||
        strcmp(d->def->disks[bd->idx]->dst, bd->dst) != 0)
        return NULL;
    return d->def->disks[bd->idx];
}

/* ---- starting a job ---- */

typedef struct {
    int type;                   /* VIR_DOMAIN_BLOCK_JOB_TYPE_* */
    unsigned long long speed;   /* bytes/s, 0 unlimited */
    const char *base;           /* pull, commit: base image (NULL: bottom) */
    const char *top;            /* commit: top image (NULL: active) */
    bool shallow;               /* commit: into top's backing; copy: top */
    bool active;                /* commit: ACTIVE flag given */
    /* copy */
    const char *dest;
    const char *destFormat;
    bool destBlock;
    bool reuse;
    bool syncWrites;
    unsigned long long granularity, bufSize;
} JobRequest;

static json_object *
jobCopyCommand(const char *id, const char *node, const JobRequest *r)
{
    return qmpCommandNew("drive-mirror",
                         "s:job-id", id,
                         "s:device", node,
                         "s:target", r->dest,
                         "s:format", r->destFormat,
                         "s:sync", r->shallow ? "top" : "full",
                         "s:mode", r->reuse ? "existing" : "absolute-paths",
                         "Z:speed", r->speed,
                         "Z:granularity", r->granularity,
                         "Z:buf-size", r->bufSize,
                         "S:copy-mode", r->syncWrites ? "write-blocking"
                                                      : NULL,
                         NULL);
}

/* The block-commit command for R on DISK (chain from ENTRY); for an active
 * commit *BASEPATH / *BASEFMT get the image the disk ends on. */
static json_object *
jobCommitCommand(QemuDom *d, const char *id, const char *node,
                 const QemuBlockDisk *bd, json_object *entry,
                 const JobRequest *r, const char **basePath,
                 const char **baseFmt)
{
    const char **files, **formats;
    size_t n = qemuBlockEntryChain(entry, &files, &formats);
    int top = r->top ? qemuBlockChainFind(files, n, r->top) : 0;
    int base = r->base ? qemuBlockChainFind(files, n, r->base) : (int)n - 1;
    json_object *cmd = NULL;

    if (top < 0 || base < 0) {
        reportError(VIR_ERR_INVALID_ARG, "image '%s' is not in the backing "
                    "chain of disk '%s' of domain '%s'",
                    top < 0 ? r->top : r->base, bd->dst, d->def->name);
        goto cleanup;
    }
    if (r->shallow)
        base = top + 1;
    if (base <= top || base >= (int)n) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has "
                    "no backing image below '%s' to commit into", bd->dst,
                    d->def->name, files[top]);
        goto cleanup;
    }
    if (top == 0 && !r->active) {
        reportError(VIR_ERR_INVALID_ARG, "committing the active layer of "
                    "disk '%s' needs flag 'active'", bd->dst);
        goto cleanup;
    }
    if (top != 0 && r->active) {
        reportError(VIR_ERR_INVALID_ARG, "flag 'active' given but '%s' is "
                    "not the active layer of disk '%s'", files[top],
                    bd->dst);
        goto cleanup;
    }
    *basePath = files[base];
    *baseFmt = formats[base];
    cmd = qmpCommandNew("block-commit",
                        "s:job-id", id,
                        "s:device", node,
                        "S:top", top ? files[top] : NULL,
                        "s:base", files[base],
                        "Z:speed", r->speed,
                        NULL);
 cleanup:
    free(files);
    free(formats);
    return cmd;
}

/* Checks before a job on BD of D: a medium, no job yet. */
static int
jobCheckDisk(QemuDom *d, const QemuBlockDisk *bd)
{
    QmpBlockJob *job = NULL;
    int rc;

    if (!bd->path || bd->device == DISK_DEVICE_CDROM) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has "
                    "no writable image for a block job", bd->dst,
                    d->def->name);
        return -1;
    }
    if ((rc = jobQuery(d, bd->dst, &job)) < 0)
        return -1;
    qmpBlockJobListFree(job, job ? 1 : 0);
    if (rc > 0 || (jobDisk(d, bd) && mirrorFind(jobDisk(d, bd), NULL))) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' "
                    "already has a block job", bd->dst, d->def->name);
        return -1;
    }
    return 0;
}

/* Start the job R on DISK of running D (job and lock held). */
static int
jobStartLocked(QemuDom *d, const char *disk, const JobRequest *r)
{
    QemuBlockDisk bd = { 0 };
    json_object *entry = NULL, *cmd;
    const char *node, *basePath = NULL, *baseFmt = NULL;
    DiskDef *dd;
    char *id = NULL;
    int ret = -1;

    if (qemuBlockDiskLookup(d, d->def, disk, &bd) < 0 ||
        jobCheckDisk(d, &bd) < 0 ||
        qemuBlockQueryDevice(d, bd.alias, &entry) < 0 ||
        !(node = qemuBlockEntryNode(entry, bd.dst)))
        goto cleanup;
    id = jobId(bd.dst);
    if (r->type == VIR_DOMAIN_BLOCK_JOB_TYPE_PULL)
        cmd = qmpCommandNew("block-stream", "s:job-id", id, "s:device", node,
                            "S:base", r->base, "Z:speed", r->speed, NULL);
    else if (r->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY)
        cmd = jobCopyCommand(id, node, r);
    else if (!(cmd = jobCommitCommand(d, id, node, &bd, entry, r, &basePath,
                                      &baseFmt)))
        goto cleanup;
    /* in place before QEMU answers: its READY event may come first */
    dd = d->def->disks[bd.idx];
    if (r->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY)
        mirrorAdd(dd, "copy", r->dest, r->destFormat, r->destBlock);
    else if (basePath && r->active)
        mirrorAdd(dd, "active-commit", basePath, baseFmt,
                  bd.type == DISK_TYPE_BLOCK);
    if (qemuBlockMonRun(d, cmd, NULL, 0) < 0) {
        if ((dd = jobDisk(d, &bd)))
            mirrorRemove(dd);
        goto cleanup;
    }
    if (qemuStateSaveStatus(d->drv, d) < 0)
        errorReset();
    ret = 0;
 cleanup:
    free(id);
    json_object_put(entry);
    qemuBlockDiskClear(&bd);
    return ret;
}

static int
jobStart(virDomainPtr dom, const char *disk, const JobRequest *r)
{
    QemuDom *d = qemuDomGet(dom);
    int ret = -1;

    if (!d)
        return -1;
    if (qemuDomBeginJob(d) < 0)
        goto release;
    if (qemuDomCheckActive(d) == 0)
        ret = jobStartLocked(d, disk, r);
    qemuDomEndJob(d);
 release:
    qemuDomRelease(d);
    return ret;
}

static int
qemuDomainBlockPull(virDomainPtr dom, const char *disk,
                    unsigned long bandwidth, unsigned int flags)
{
    JobRequest r = { .type = VIR_DOMAIN_BLOCK_JOB_TYPE_PULL };

    if (qemuBlockCheckFlags(flags, VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES,
                            __func__) < 0 ||
        jobBandwidth(bandwidth, flags & VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES,
                     &r.speed) < 0)
        return -1;
    return jobStart(dom, disk, &r);
}

/* The source format of DISK in DOM's live definition ("raw" if unknown). */
static char *
jobDiskFormat(virDomainPtr dom, const char *disk)
{
    QemuDom *d = qemuDomGet(dom);
    char *fmt = NULL;
    int idx;

    if (!d)
        return NULL;
    if ((idx = domainFindDisk(d->def, disk)) >= 0 &&
        d->def->disks[idx]->driverType)
        fmt = allocStrdup(d->def->disks[idx]->driverType);
    qemuDomRelease(d);
    return fmt ? fmt : allocStrdup("raw");
}

static int
qemuDomainBlockRebase(virDomainPtr dom, const char *disk, const char *base,
                      unsigned long bandwidth, unsigned int flags)
{
    JobRequest r = { .type = VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, .base = base };
    bool copy = flags & VIR_DOMAIN_BLOCK_REBASE_COPY;
    char *fmt = NULL;
    int ret;

    if (qemuBlockCheckFlags(flags, VIR_DOMAIN_BLOCK_REBASE_SHALLOW |
                            VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT |
                            VIR_DOMAIN_BLOCK_REBASE_COPY_RAW |
                            VIR_DOMAIN_BLOCK_REBASE_COPY |
                            VIR_DOMAIN_BLOCK_REBASE_COPY_DEV |
                            VIR_DOMAIN_BLOCK_REBASE_RELATIVE |
                            VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES,
                            __func__) < 0 ||
        jobBandwidth(bandwidth, flags & VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES,
                     &r.speed) < 0)
        return -1;
    if (flags & VIR_DOMAIN_BLOCK_REBASE_RELATIVE) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "block rebase of disk '%s' "
                    "cannot keep a relative backing name (flag 'relative')",
                    disk);
        return -1;
    }
    if (!copy) {
        if (flags & (VIR_DOMAIN_BLOCK_REBASE_COPY_RAW |
                     VIR_DOMAIN_BLOCK_REBASE_COPY_DEV |
                     VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT |
                     VIR_DOMAIN_BLOCK_REBASE_SHALLOW)) {
            reportError(VIR_ERR_INVALID_ARG, "flags 'shallow', 'reuse-ext', "
                        "'copy-raw' and 'copy-dev' need flag 'copy'");
            return -1;
        }
        return jobStart(dom, disk, &r);
    }
    if (!base) {
        reportError(VIR_ERR_INVALID_ARG, "a block copy of disk '%s' needs a "
                    "destination (base)", disk);
        return -1;
    }
    if (!(flags & VIR_DOMAIN_BLOCK_REBASE_COPY_RAW) &&
        !(fmt = jobDiskFormat(dom, disk)))
        return -1;
    r.type = VIR_DOMAIN_BLOCK_JOB_TYPE_COPY;
    r.base = NULL;
    r.dest = base;
    r.destFormat = fmt ? fmt : "raw";
    r.destBlock = flags & VIR_DOMAIN_BLOCK_REBASE_COPY_DEV;
    r.shallow = flags & VIR_DOMAIN_BLOCK_REBASE_SHALLOW;
    r.reuse = flags & VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT;
    ret = jobStart(dom, disk, &r);
    free(fmt);
    return ret;
}

static const TypedParamSpec copySpec[] = {
    { VIR_DOMAIN_BLOCK_COPY_BANDWIDTH, VIR_TYPED_PARAM_ULLONG, false },
    { VIR_DOMAIN_BLOCK_COPY_GRANULARITY, VIR_TYPED_PARAM_UINT, false },
    { VIR_DOMAIN_BLOCK_COPY_BUF_SIZE, VIR_TYPED_PARAM_ULLONG, false },
    { NULL, 0, false }
};

/* The typed parameters of a block copy into R. */
static int
jobCopyParams(virTypedParameterPtr params, int nparams, JobRequest *r)
{
    unsigned int gran = 0;

    if (nparams < 0 || (nparams && !params)) {
        reportError(VIR_ERR_INVALID_ARG, "invalid parameter array (%d)",
                    nparams);
        return -1;
    }
    if (typedParamsValidate(params, nparams, copySpec) < 0 ||
        typedParamsGetULLong(params, nparams, VIR_DOMAIN_BLOCK_COPY_BANDWIDTH,
                             &r->speed) < 0 ||
        typedParamsGetUInt(params, nparams, VIR_DOMAIN_BLOCK_COPY_GRANULARITY,
                           &gran) < 0 ||
        typedParamsGetULLong(params, nparams, VIR_DOMAIN_BLOCK_COPY_BUF_SIZE,
                             &r->bufSize) < 0)
        return -1;
    if (r->speed > LLONG_MAX) {
        reportError(VIR_ERR_OVERFLOW, "bandwidth %llu is too large",
                    r->speed);
        return -1;
    }
    if (gran && (gran < 512 || gran > (64u << 20) || (gran & (gran - 1)))) {
        reportError(VIR_ERR_INVALID_ARG, "granularity %u must be a power of "
                    "two between 512 and 64 MiB", gran);
        return -1;
    }
    r->granularity = gran;
    return 0;
}

/* The destination of a block copy: <disk type='file|block'><source
 * file|dev='...'/><driver type='...'/></disk>. Strings into *PATH and
 * *FORMAT (caller frees). */
static int
jobCopyDest(const char *destxml, JobRequest *r, char **path, char **format)
{
    XNode *root = xtreeParse(destxml, VIR_FROM_QEMU);
    XNode *src, *drv;
    const char *p = NULL, *type;
    int ret = -1;

    if (!root)
        return -1;
    type = xtreeAttr(root, "type");
    if (strcmp(root->name, "disk") == 0 && (src = xtreeChild(root, "source")))
        p = xtreeAttr(src, "file") ? xtreeAttr(src, "file")
                                   : xtreeAttr(src, "dev");
    if (!p) {
        reportError(VIR_ERR_XML_DETAIL, "block copy destination needs "
                    "<disk><source file|dev=.../></disk>");
        goto cleanup;
    }
    if (type && strcmp(type, "file") != 0 && strcmp(type, "block") != 0) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "block copy destination of "
                    "type '%s' is not supported: use 'file' or 'block'",
                    type);
        goto cleanup;
    }
    drv = xtreeChild(root, "driver");
    *path = allocStrdup(p);
    *format = allocStrdup(drv && xtreeAttr(drv, "type")
                          ? xtreeAttr(drv, "type") : "raw");
    r->destBlock = type && strcmp(type, "block") == 0;
    ret = 0;
 cleanup:
    xtreeFree(root);
    return ret;
}

static int
qemuDomainBlockCopy(virDomainPtr dom, const char *disk, const char *destxml,
                    virTypedParameterPtr params, int nparams,
                    unsigned int flags)
{
    JobRequest r = { .type = VIR_DOMAIN_BLOCK_JOB_TYPE_COPY };
    char *path = NULL, *format = NULL;
    int ret = -1;

    if (qemuBlockCheckFlags(flags, VIR_DOMAIN_BLOCK_COPY_SHALLOW |
                            VIR_DOMAIN_BLOCK_COPY_REUSE_EXT |
                            VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB |
                            VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES,
                            __func__) < 0 ||
        jobCopyParams(params, nparams, &r) < 0 ||
        jobCopyDest(destxml, &r, &path, &format) < 0)
        goto cleanup;
    r.dest = path;
    r.destFormat = format;
    r.shallow = flags & VIR_DOMAIN_BLOCK_COPY_SHALLOW;
    r.reuse = flags & VIR_DOMAIN_BLOCK_COPY_REUSE_EXT;
    r.syncWrites = flags & VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES;
    ret = jobStart(dom, disk, &r);
 cleanup:
    free(path);
    free(format);
    return ret;
}

static int
qemuDomainBlockCommit(virDomainPtr dom, const char *disk, const char *base,
                      const char *top, unsigned long bandwidth,
                      unsigned int flags)
{
    JobRequest r = { .type = VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT, .base = base,
                     .top = top };

    if (qemuBlockCheckFlags(flags, VIR_DOMAIN_BLOCK_COMMIT_SHALLOW |
                            VIR_DOMAIN_BLOCK_COMMIT_DELETE |
                            VIR_DOMAIN_BLOCK_COMMIT_ACTIVE |
                            VIR_DOMAIN_BLOCK_COMMIT_RELATIVE |
                            VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES,
                            __func__) < 0 ||
        jobBandwidth(bandwidth,
                     flags & VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES,
                     &r.speed) < 0)
        return -1;
    if (flags & (VIR_DOMAIN_BLOCK_COMMIT_DELETE |
                 VIR_DOMAIN_BLOCK_COMMIT_RELATIVE)) {
        /* QEMU keeps the chain's names absolute and the images in place */
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "block commit of disk '%s' "
                    "cannot delete the committed images or keep relative "
                    "backing names (flags 'delete' and 'relative')", disk);
        return -1;
    }
    if (base && (flags & VIR_DOMAIN_BLOCK_COMMIT_SHALLOW)) {
        reportError(VIR_ERR_INVALID_ARG, "a base and flag 'shallow' exclude "
                    "each other");
        return -1;
    }
    r.shallow = flags & VIR_DOMAIN_BLOCK_COMMIT_SHALLOW;
    r.active = flags & VIR_DOMAIN_BLOCK_COMMIT_ACTIVE;
    if (r.active)
        r.type = VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT;
    return jobStart(dom, disk, &r);
}

/* ---- watching and finishing a job ---- */

static int
qemuDomainGetBlockJobInfo(virDomainPtr dom, const char *disk,
                          virDomainBlockJobInfoPtr info, unsigned int flags)
{
    QemuBlockDisk bd = { 0 };
    QmpBlockJob *job = NULL;
    QemuDom *d;
    int ret = -1;

    /* no job leaves INFO zeroed: some bindings read it regardless */
    memset(info, 0, sizeof(*info));
    if (qemuBlockCheckFlags(flags, VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES,
                            __func__) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    if (qemuDomCheckActive(d) < 0 ||
        qemuBlockDiskLookup(d, d->def, disk, &bd) < 0 ||
        (ret = jobQuery(d, bd.dst, &job)) <= 0)
        goto cleanup;
    info->type = jobType(job->type, jobDisk(d, &bd));
    if (flags & VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES)
        info->bandwidth = (unsigned long)job->speed;
    else
        info->bandwidth = (unsigned long)(job->speed >> 20);
    info->cur = (unsigned long long)job->offset;
    info->end = (unsigned long long)job->len;
 cleanup:
    qmpBlockJobListFree(job, job ? 1 : 0);
    qemuBlockDiskClear(&bd);
    qemuDomRelease(d);
    return ret;
}

/* Run a command that names the job of disk DST (job and lock held). */
static int
jobControl(QemuDom *d, const char *cmdName, const char *dst,
           unsigned long long speed)
{
    char *id = jobId(dst);
    json_object *cmd;
    int ret;

    if (strcmp(cmdName, "block-job-set-speed") == 0)
        cmd = qmpCommandNew(cmdName, "s:device", id, "U:speed", speed, NULL);
    else
        cmd = qmpCommandNew(cmdName, "s:device", id, NULL);
    ret = qemuBlockMonRun(d, cmd, NULL, 0);
    free(id);
    return ret;
}

/* Begin a call on the job of DISK of DOM: the domain job taken, BD
 * filled, *JOB QEMU's job. NULL (released) with OPERATION_INVALID when
 * the disk has no job. */
static QemuDom *
jobAcquire(virDomainPtr dom, const char *disk, QemuBlockDisk *bd,
           QmpBlockJob **job)
{
    QemuDom *d = qemuDomGet(dom);
    int rc;

    memset(bd, 0, sizeof(*bd));
    *job = NULL;
    if (!d)
        return NULL;
    if (qemuDomBeginJob(d) < 0) {
        qemuDomRelease(d);
        return NULL;
    }
    if (qemuDomCheckActive(d) < 0 ||
        qemuBlockDiskLookup(d, d->def, disk, bd) < 0 ||
        (rc = jobQuery(d, bd->dst, job)) < 0)
        goto error;
    if (rc == 0) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has "
                    "no block job", bd->dst, d->def->name);
        goto error;
    }
    return d;
 error:
    qemuBlockDiskClear(bd);
    qemuDomEndJob(d);
    qemuDomRelease(d);
    return NULL;
}

static void
jobRelease(QemuDom *d, QemuBlockDisk *bd, QmpBlockJob *job)
{
    qmpBlockJobListFree(job, job ? 1 : 0);
    qemuBlockDiskClear(bd);
    qemuDomEndJob(d);
    qemuDomRelease(d);
}

static int
qemuDomainBlockJobSetSpeed(virDomainPtr dom, const char *disk,
                           unsigned long bandwidth, unsigned int flags)
{
    QemuBlockDisk bd;
    QmpBlockJob *job;
    unsigned long long speed;
    QemuDom *d;
    int ret;

    if (qemuBlockCheckFlags(flags, VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES,
                            __func__) < 0 ||
        jobBandwidth(bandwidth,
                     flags & VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES,
                     &speed) < 0 ||
        !(d = jobAcquire(dom, disk, &bd, &job)))
        return -1;
    ret = jobControl(d, "block-job-set-speed", bd.dst, speed);
    jobRelease(d, &bd, job);
    return ret;
}

/* Wait (lock held, released meanwhile) until QEMU no longer has the job of
 * disk DST. OPERATION_TIMEOUT after QEMU_BLOCKJOB_WAIT_MS. */
static int
jobWaitGone(QemuDom *d, const char *dst)
{
    QmpBlockJob *job = NULL;
    int rc;

    for (int waited = 0; waited < QEMU_BLOCKJOB_WAIT_MS; waited += 50) {
        if ((rc = jobQuery(d, dst, &job)) <= 0)
            return rc;
        qmpBlockJobListFree(job, 1);
        job = NULL;
        pthread_mutex_unlock(&d->drv->lock);
        usleep(50 * 1000);
        pthread_mutex_lock(&d->drv->lock);
        if (!qemuDomIsActive(d))
            return qemuDomCheckActive(d);
    }
    reportError(VIR_ERR_OPERATION_TIMEOUT, "block job on disk '%s' of domain "
                "'%s' did not finish within %d s", dst, d->def->name,
                QEMU_BLOCKJOB_WAIT_MS / 1000);
    return -1;
}

/* The checks of a pivot of D's disk BD whose job is JOB. */
static int
jobPivotCheck(QemuDom *d, const QemuBlockDisk *bd, const QmpBlockJob *job,
              XNode *m)
{
    if (!m) {
        reportError(VIR_ERR_OPERATION_INVALID, "the block job on disk '%s' "
                    "of domain '%s' is not a copy or an active commit: "
                    "nothing to pivot to", bd->dst, d->def->name);
        return -1;
    }
    if (!job->ready) {
        reportError(VIR_ERR_BLOCK_COPY_ACTIVE, "the block job on disk '%s' "
                    "of domain '%s' is not ready for pivot yet", bd->dst,
                    d->def->name);
        return -1;
    }
    return 0;
}

static int
qemuDomainBlockJobAbort(virDomainPtr dom, const char *disk,
                        unsigned int flags)
{
    bool pivot = flags & VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT;
    QemuBlockDisk bd;
    QmpBlockJob *job;
    QemuDom *d;
    DiskDef *dd;
    XNode *m;
    int ret = -1;

    if (qemuBlockCheckFlags(flags, VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC |
                            VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT, __func__) < 0 ||
        !(d = jobAcquire(dom, disk, &bd, &job)))
        return -1;
    m = jobDisk(d, &bd) ? mirrorFind(jobDisk(d, &bd), NULL) : NULL;
    if (pivot && jobPivotCheck(d, &bd, job, m) < 0)
        goto cleanup;
    /* what we asked for tells the completion event what to do */
    if (m)
        xtreeSetAttr(m, "ready", pivot ? "pivot" : "abort");
    if (jobControl(d, pivot ? "block-job-complete" : "block-job-cancel",
                   bd.dst, 0) < 0) {
        if (jobDisk(d, &bd) && (m = mirrorFind(jobDisk(d, &bd), NULL)))
            xtreeSetAttr(m, "ready", job->ready ? "yes" : "no");
        goto cleanup;
    }
    if (qemuStateSaveStatus(d->drv, d) < 0)
        errorReset();
    if (flags & VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC) {
        ret = 0;
        goto cleanup;
    }
    if (jobWaitGone(d, bd.dst) < 0)
        goto cleanup;
    /* the caller sees the new chain at once, without the nodes left out */
    if (pivot && bd.alias && qemuDomIsActive(d)) {
        Qmp *mon = qemuProcessMonAcquire(d);

        if (mon) {
            pthread_mutex_unlock(&d->drv->lock);
            qemuBlockDropNodes(mon, bd.alias);
            pthread_mutex_lock(&d->drv->lock);
            qemuProcessMonRelease(d);
        }
    }
    if (qemuBlockChainRefresh(d) < 0)
        errorReset();
    /* the completion event was handled before QEMU's answer came */
    dd = jobDisk(d, &bd);
    if (pivot && (!dd || mirrorFind(dd, NULL) || !dd->srcPath ||
                  strcmp(dd->srcPath, bd.path) == 0)) {
        reportError(VIR_ERR_OPERATION_FAILED, "pivot of disk '%s' of domain "
                    "'%s' failed", bd.dst, d->def->name);
        goto cleanup;
    }
    ret = 0;
 cleanup:
    jobRelease(d, &bd, job);
    return ret;
}

/* ---- events ---- */

/* Switch DISK to the image of its <mirror> M; the persistent definition
 * follows when it still had the old image. */
static void
jobPivot(QemuDom *d, DiskDef *disk, const XNode *m)
{
    const char *path, *format;
    bool block;
    DomainDef *config = d->newDef;
    int idx;

    mirrorTarget(m, &path, &format, &block);
    if (!path)
        return;
    if (config && (idx = domainFindDisk(config, disk->dst)) >= 0 &&
        config->disks[idx]->srcPath && disk->srcPath &&
        strcmp(config->disks[idx]->srcPath, disk->srcPath) == 0) {
        DiskDef *cd = config->disks[idx];

        free(cd->srcPath);
        cd->srcPath = allocStrdup(path);
        free(cd->driverType);
        cd->driverType = format ? allocStrdup(format) : NULL;
        cd->type = block ? DISK_TYPE_BLOCK : DISK_TYPE_FILE;
        if (qemuStateSaveConfig(d->drv, config) < 0) {
            logDebug("qemu", "cannot save the pivot of '%s'", disk->dst);
            errorReset();
        }
    }
    qemuBlockChainPivot(disk, path);
    free(disk->srcPath);
    disk->srcPath = allocStrdup(path);
    free(disk->driverType);
    disk->driverType = format ? allocStrdup(format) : NULL;
    disk->type = block ? DISK_TYPE_BLOCK : DISK_TYPE_FILE;
}

/* Queue or, with HOLD, keep on D until its chains are reread (lock held). */
static void
jobEventPush(QemuDom *d, DomainEvent *ev, bool hold)
{
    if (!hold) {
        domainEventQueue(ev);
        return;
    }
    allocGrow(&d->heldEvents, &d->capHeldEvents, d->nheldEvents,
              sizeof(*d->heldEvents));
    d->heldEvents[d->nheldEvents++] = ev;
}

/* The two block-job events of DISK; HOLD: a job ended, so the events wait
 * for the watcher to reread the chain, and a client reacting to them sees
 * the new chain in the live XML. */
static void
jobEventQueue(QemuDom *d, const DiskDef *disk, int type, int status,
              bool hold)
{
    DomainEvent *ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_BLOCK_JOB);

    if (ev) {
        ev->s1 = allocStrdup(disk->srcPath ? disk->srcPath : disk->dst);
        ev->i1 = type;
        ev->i2 = status;
        jobEventPush(d, ev, hold);
    }
    if ((ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2))) {
        ev->s1 = allocStrdup(disk->dst);
        ev->i1 = type;
        ev->i2 = status;
        jobEventPush(d, ev, hold);
    }
}

void
qemuBlockJobEvent(QemuDom *d, const char *name, json_object *data)
{
    json_object *v = data ? json_object_object_get(data, "device") : NULL;
    const char *id = v ? json_object_get_string(v) : NULL;
    const char *qtype, *ready;
    DiskDef *disk;
    XNode *m;
    int idx, type, status;

    if (!id || strncmp(id, QEMU_BLOCKJOB_PREFIX,
                       strlen(QEMU_BLOCKJOB_PREFIX)) != 0 ||
        (idx = domainFindDisk(d->def, id + strlen(QEMU_BLOCKJOB_PREFIX))) < 0)
        return;     /* not one of ours */
    disk = d->def->disks[idx];
    v = json_object_object_get(data, "type");
    qtype = v ? json_object_get_string(v) : "";
    type = jobType(qtype, disk);
    m = mirrorFind(disk, NULL);
    ready = mirrorAttr(m, "ready");
    if (strcmp(name, "BLOCK_JOB_READY") == 0) {
        if (m && strcmp(ready, "pivot") != 0 && strcmp(ready, "abort") != 0)
            xtreeSetAttr(m, "ready", "yes");
        status = VIR_DOMAIN_BLOCK_JOB_READY;
    } else if (strcmp(name, "BLOCK_JOB_COMPLETED") == 0) {
        if (json_object_object_get(data, "error"))
            status = VIR_DOMAIN_BLOCK_JOB_FAILED;
        else if (m && strcmp(ready, "abort") == 0)
            status = VIR_DOMAIN_BLOCK_JOB_CANCELED;   /* ended, no pivot */
        else
            status = VIR_DOMAIN_BLOCK_JOB_COMPLETED;
        if (status == VIR_DOMAIN_BLOCK_JOB_COMPLETED && m &&
            strcmp(ready, "pivot") == 0)
            jobPivot(d, disk, m);
        mirrorRemove(disk);
    } else if (strcmp(name, "BLOCK_JOB_CANCELLED") == 0) {
        status = VIR_DOMAIN_BLOCK_JOB_CANCELED;
        mirrorRemove(disk);
    } else {
        return;     /* BLOCK_JOB_ERROR: the job goes on or ends later */
    }
    logDebug("qemu", "domain '%s': block job on '%s' %s", d->def->name,
             disk->dst, name);
    /* the chain changed (pull, commit, pivot): read it back from QEMU */
    jobEventQueue(d, disk, type, status, status != VIR_DOMAIN_BLOCK_JOB_READY);
    qemuProcessKick(d, QEMU_ACTION_CHAIN);
    if (qemuStateSaveStatus(d->drv, d) < 0)
        errorReset();
    pthread_cond_broadcast(&d->drv->cond);
}

void
qemuBlockJobFill(Driver *drv)
{
    drv->domainBlockPull = qemuDomainBlockPull;
    drv->domainBlockRebase = qemuDomainBlockRebase;
    drv->domainBlockCopy = qemuDomainBlockCopy;
    drv->domainBlockCommit = qemuDomainBlockCommit;
    drv->domainGetBlockJobInfo = qemuDomainGetBlockJobInfo;
    drv->domainBlockJobSetSpeed = qemuDomainBlockJobSetSpeed;
    drv->domainBlockJobAbort = qemuDomainBlockJobAbort;
}
