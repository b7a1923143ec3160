/* qemu_block.c: the QEMU driver's block family: block stats, block info,
 * resize, peek, disk errors, and the helpers the family's other files
 * (qemu_blockiotune.c, qemu_blockjob.c) share */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_block.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "log.h"
#include "typedparam.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers shared by the family ---- */

int
qemuBlockCheckFlags(unsigned int flags, unsigned int allowed,
                    const char *func)
{
    if (!(flags & ~allowed))
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in %s",
                flags & ~allowed, func);
    return -1;
}

int
qemuBlockDiskLookup(const QemuDom *d, const DomainDef *def, const char *disk,
                    QemuBlockDisk *out)
{
    int idx = disk ? domainFindDisk(def, disk) : -1;
    const DiskDef *dd;

    memset(out, 0, sizeof(*out));
    if (idx < 0) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no disk '%s'",
                    d->def->name, disk ? disk : "");
        return -1;
    }
    dd = def->disks[idx];
    out->dst = allocStrdup(dd->dst);
    out->alias = dd->info.alias ? allocStrdup(dd->info.alias) : NULL;
    out->path = dd->hasSource && dd->srcPath ? allocStrdup(dd->srcPath)
                                             : NULL;
    out->format = allocStrdup(dd->driverType ? dd->driverType : "raw");
    out->type = dd->type;
    out->device = dd->device;
    out->idx = idx;
    return 0;
}

void
qemuBlockDiskClear(QemuBlockDisk *bd)
{
    free(bd->dst);
    free(bd->alias);
    free(bd->path);
    free(bd->format);
    memset(bd, 0, sizeof(*bd));
}

int
qemuBlockMonRun(QemuDom *d, json_object *cmd, json_object **reply,
                int timeoutMs)
{
    Qmp *mon;
    int ret;

    if (reply)
        *reply = NULL;
    if (!cmd)
        return -1;
    if (!(mon = qemuProcessMonAcquire(d))) {
        json_object_put(cmd);
        return -1;
    }
    pthread_mutex_unlock(&d->drv->lock);
    ret = qmpCommandRun(mon, cmd, reply, timeoutMs);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    json_object_put(cmd);
    return ret;
}

bool
qemuBlockQdevMatch(const char *qdev, const char *alias)
{
    static const char prefix[] = "/machine/peripheral/";
    size_t len;

    if (!qdev || !alias)
        return false;
    if (strcmp(qdev, alias) == 0)
        return true;
    if (strncmp(qdev, prefix, sizeof(prefix) - 1) != 0)
        return false;
    qdev += sizeof(prefix) - 1;
    len = strlen(alias);
    return strncmp(qdev, alias, len) == 0 &&
           (qdev[len] == '\0' || qdev[len] == '/');
}

int
qemuBlockQueryDevice(QemuDom *d, const char *alias, json_object **entry)
{
    json_object *reply = NULL, *list;
    int ret = -1;

    *entry = NULL;
    if (qemuBlockMonRun(d, qmpCommandNew("query-block", NULL), &reply,
                        QEMU_BLOCK_QUERY_MS) < 0)
        return -1;
    if (!(list = qmpReplyReturn(reply, "query-block", json_type_array)))
        goto cleanup;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        json_object *q = json_object_object_get(e, "qdev");

        if (q && qemuBlockQdevMatch(json_object_get_string(q), alias)) {
            *entry = json_object_get(e);
            ret = 0;
            goto cleanup;
        }
    }
    reportError(VIR_ERR_OPERATION_FAILED, "QEMU of domain '%s' has no block "
                "device '%s'", d->def->name, alias ? alias : "");
 cleanup:
    json_object_put(reply);
    return ret;
}

const char *
qemuBlockEntryNode(json_object *entry, const char *dst)
{
    json_object *ins = json_object_object_get(entry, "inserted");
    json_object *node = ins ? json_object_object_get(ins, "node-name") : NULL;

    if (!node) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' has no medium",
                    dst);
        return NULL;
    }
    return json_object_get_string(node);
}

size_t
qemuBlockEntryChain(json_object *entry, const char ***files,
                    const char ***formats)
{
    json_object *ins = json_object_object_get(entry, "inserted");
    json_object *img = ins ? json_object_object_get(ins, "image") : NULL;
    size_t n = 0;

    *files = *formats = NULL;
    for (; img; img = json_object_object_get(img, "backing-image")) {
        json_object *f = json_object_object_get(img, "filename");
        json_object *fmt = json_object_object_get(img, "format");

        allocResize(files, n, n + 1, sizeof(char *));
        allocResize(formats, n, n + 1, sizeof(char *));
        (*files)[n] = f ? json_object_get_string(f) : "";
        (*formats)[n] = fmt ? json_object_get_string(fmt) : "raw";
        n++;
    }
    return n;
}

/* Everything readable from FD (closed) into a new string. */
static char *
qemuBlockReadAll(int fd)
{
    Buf b = { 0 };
    char chunk[4096];
    ssize_t n;

    bufAdd(&b, "");
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        bufAddN(&b, chunk, (size_t)n);
    }
    close(fd);
    return bufTake(&b);
}

int
qemuBlockRunTool(const char *const *argv, char **output)
{
    int out[2] = { -1, -1 }, err[2] = { -1, -1 }, status = 0;
    char *stdoutText = NULL, *stderrText = NULL;
    pid_t pid;
    int ret = -1;

    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
        reportSystemError(errno, "cannot create a pipe for '%s'", argv[0]);
        goto cleanup;
    }
    if ((pid = fork()) < 0) {
        reportSystemError(errno, "cannot run '%s'", argv[0]);
        goto cleanup;
    }
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    out[1] = err[1] = -1;
    /* the tools used write little on stderr: reading stdout first cannot
     * block on a full stderr pipe */
    stdoutText = qemuBlockReadAll(out[0]);
    stderrText = qemuBlockReadAll(err[0]);
    out[0] = err[0] = -1;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        size_t len = strlen(stderrText);

        while (len && (stderrText[len - 1] == '\n'))
            stderrText[--len] = '\0';
        reportError(VIR_ERR_OPERATION_FAILED, "'%s %s' failed: %s", argv[0],
                    argv[1] ? argv[1] : "",
                    *stderrText ? stderrText : "no message");
        goto cleanup;
    }
    if (output) {
        *output = stdoutText;
        stdoutText = NULL;
    }
    ret = 0;
 cleanup:
    for (int i = 0; i < 2; i++) {
        if (out[i] >= 0)
            close(out[i]);
        if (err[i] >= 0)
            close(err[i]);
    }
    free(stdoutText);
    free(stderrText);
    return ret;
}

/* ---- block statistics ---- */

/* The counters of disk DISK ("" sums every disk) of active D. */
static int
qemuBlockStatsGather(QemuDom *d, const char *disk, QmpBlockStats *sum)
{
    QemuBlockDisk bd = { 0 };
    QmpBlockStats *stats = NULL;
    Qmp *mon;
    int n = 0, ret = -1;
    bool found = false;

    memset(sum, 0, sizeof(*sum));
    if (*disk && qemuBlockDiskLookup(d, d->def, disk, &bd) < 0)
        return -1;
    if (!(mon = qemuProcessMonAcquire(d)))
        goto cleanup;
    pthread_mutex_unlock(&d->drv->lock);
    n = qmpQueryBlockstats(mon, false, &stats);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    if (n < 0)
        goto cleanup;
    for (int i = 0; i < n; i++) {
        const QmpBlockStats *s = &stats[i];

        if (*disk && !qemuBlockQdevMatch(s->qdev, bd.alias))
            continue;
        found = true;
        sum->rdBytes += s->rdBytes;
        sum->wrBytes += s->wrBytes;
        sum->rdOperations += s->rdOperations;
        sum->wrOperations += s->wrOperations;
        sum->flushOperations += s->flushOperations;
        sum->rdTotalTimeNs += s->rdTotalTimeNs;
        sum->wrTotalTimeNs += s->wrTotalTimeNs;
        sum->flushTotalTimeNs += s->flushTotalTimeNs;
        sum->wrHighestOffset += s->wrHighestOffset;
    }
    if (*disk && !found) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has "
                    "no statistics (no medium)", bd.dst, d->def->name);
        goto cleanup;
    }
    ret = 0;
 cleanup:
    qmpBlockStatsListFree(stats, n > 0 ? n : 0);
    qemuBlockDiskClear(&bd);
    return ret;
}

/* Active D's record (lock held) or NULL with an error. */
static QemuDom *
qemuBlockGetActive(virDomainPtr dom)
{
    QemuDom *d = qemuDomGet(dom);

    if (d && qemuDomCheckActive(d) < 0) {
        qemuDomRelease(d);
        return NULL;
    }
    return d;
}

static int
qemuDomainBlockStats(virDomainPtr dom, const char *disk,
                     virDomainBlockStatsPtr stats, size_t size)
{
    virDomainBlockStatsStruct st;
    QmpBlockStats s;
    QemuDom *d;
    int ret;

    if (!(d = qemuBlockGetActive(dom)))
        return -1;
    ret = qemuBlockStatsGather(d, disk, &s);
    qemuDomRelease(d);
    if (ret < 0)
        return -1;
    st.rd_req = s.rdOperations;
    st.rd_bytes = s.rdBytes;
    st.wr_req = s.wrOperations;
    st.wr_bytes = s.wrBytes;
    st.errs = -1;       /* QEMU does not count them */
    memset(stats, 0, size);
    memcpy(stats, &st, size < sizeof(st) ? size : sizeof(st));
    return 0;
}

static int
qemuDomainBlockStatsFlags(virDomainPtr dom, const char *disk,
                          virTypedParameterPtr params, int *nparams,
                          unsigned int flags)
{
    virTypedParameterPtr all = NULL;
    int n = 0, max = 0, ret;
    QmpBlockStats s;
    QemuDom *d;

    if (qemuBlockCheckFlags(flags, VIR_TYPED_PARAM_STRING_OKAY,
                            __func__) < 0 ||
        !(d = qemuBlockGetActive(dom)))
        return -1;
    ret = qemuBlockStatsGather(d, disk, &s);
    qemuDomRelease(d);
    if (ret < 0)
        return -1;
    typedParamsAddLLong(&all, &n, &max, VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES,
                        s.wrBytes);
    typedParamsAddLLong(&all, &n, &max, VIR_DOMAIN_BLOCK_STATS_WRITE_REQ,
                        s.wrOperations);
    typedParamsAddLLong(&all, &n, &max, VIR_DOMAIN_BLOCK_STATS_READ_BYTES,
                        s.rdBytes);
    typedParamsAddLLong(&all, &n, &max, VIR_DOMAIN_BLOCK_STATS_READ_REQ,
                        s.rdOperations);
    typedParamsAddLLong(&all, &n, &max, VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ,
                        s.flushOperations);
    typedParamsAddLLong(&all, &n, &max,
                        VIR_DOMAIN_BLOCK_STATS_WRITE_TOTAL_TIMES,
                        s.wrTotalTimeNs);
    typedParamsAddLLong(&all, &n, &max,
                        VIR_DOMAIN_BLOCK_STATS_READ_TOTAL_TIMES,
                        s.rdTotalTimeNs);
    typedParamsAddLLong(&all, &n, &max,
                        VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES,
                        s.flushTotalTimeNs);
    ret = typedParamsFillOut(params, nparams, all, n);
    typedParamsFree(all, n);
    return ret;
}

/* ---- block info ---- */

/* Size and allocated bytes of the file or block device PATH. */
static int
qemuBlockStatPath(const char *path, unsigned long long *size,
                  unsigned long long *allocated)
{
    struct stat sb;
    int fd;
    off_t end;

    if (stat(path, &sb) < 0) {
        reportSystemError(errno, "cannot stat disk image '%s'", path);
        return -1;
    }
    *size = (unsigned long long)sb.st_size;
    *allocated = (unsigned long long)sb.st_blocks * 512;
    if (!S_ISBLK(sb.st_mode))
        return 0;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        reportSystemError(errno, "cannot open disk '%s'", path);
        return -1;
    }
    end = lseek(fd, 0, SEEK_END);
    close(fd);
    *size = *allocated = end > 0 ? (unsigned long long)end : 0;
    return 0;
}

/* The virtual size of the image PATH in FORMAT as qemu-img reads it. */
static int
qemuBlockImageSize(const char *path, const char *format,
                   unsigned long long *capacity)
{
    const char *argv[] = { "qemu-img", "info", "-U", "--output=json", "-f",
                           format, path, NULL };
    char *out = NULL;
    json_object *info = NULL, *v;
    int ret = -1;

    if (qemuBlockRunTool(argv, &out) < 0)
        return -1;
    if (!(info = json_tokener_parse(out)) ||
        !(v = json_object_object_get(info, "virtual-size"))) {
        reportError(VIR_ERR_INTERNAL_ERROR, "qemu-img info of '%s' gave no "
                    "virtual size", path);
        goto cleanup;
    }
    *capacity = (unsigned long long)json_object_get_int64(v);
    ret = 0;
 cleanup:
    json_object_put(info);
    free(out);
    return ret;
}

/* Capacity and highest written offset of running D's disk BD. */
static int
qemuBlockInfoLive(QemuDom *d, const QemuBlockDisk *bd,
                  unsigned long long *capacity, unsigned long long *highest)
{
    json_object *entry = NULL, *ins, *img, *v;
    QmpBlockStats s;
    int ret = -1;

    if (qemuBlockQueryDevice(d, bd->alias, &entry) < 0)
        return -1;
    ins = json_object_object_get(entry, "inserted");
    img = ins ? json_object_object_get(ins, "image") : NULL;
    if (!(v = img ? json_object_object_get(img, "virtual-size") : NULL)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "malformed reply to "
                    "'query-block': no virtual size of disk '%s'", bd->dst);
        goto cleanup;
    }
    *capacity = (unsigned long long)json_object_get_int64(v);
    if (qemuBlockStatsGather(d, bd->dst, &s) < 0)
        goto cleanup;
    *highest = (unsigned long long)s.wrHighestOffset;
    ret = 0;
 cleanup:
    json_object_put(entry);
    return ret;
}

static int
qemuDomainGetBlockInfo(virDomainPtr dom, const char *disk,
                       virDomainBlockInfoPtr info, unsigned int flags)
{
    unsigned long long size = 0, allocated = 0, capacity = 0, highest = 0;
    QemuBlockDisk bd = { 0 };
    QemuDom *d;
    bool raw, active;
    int ret = -1;

    if (qemuBlockCheckFlags(flags, 0, __func__) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    if (qemuBlockDiskLookup(d, d->def, disk, &bd) < 0)
        goto cleanup;
    if (!bd.path) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has "
                    "no medium", bd.dst, d->def->name);
        goto cleanup;
    }
    raw = strcmp(bd.format, "raw") == 0;
    active = qemuDomIsActive(d);
    if (active && qemuBlockInfoLive(d, &bd, &capacity, &highest) < 0)
        goto cleanup;
    if (qemuBlockStatPath(bd.path, &size, &allocated) < 0)
        goto cleanup;
    if (!active) {
        if (raw)
            capacity = size;
        else if (qemuBlockImageSize(bd.path, bd.format, &capacity) < 0)
            goto cleanup;
    }
    info->capacity = capacity;
    info->physical = size;
    /* a running qcow2 image grows at its end: QEMU's highest write is its
     * allocation, as libvirt reports it */
    info->allocation = active && !raw && highest ? highest : allocated;
    ret = 0;
 cleanup:
    qemuBlockDiskClear(&bd);
    qemuDomRelease(d);
    return ret;
}

/* ---- resize ---- */

/* Resize the image of shut-off D's disk BD with qemu-img. */
static int
qemuBlockResizeOffline(const QemuBlockDisk *bd, unsigned long long size)
{
    char num[32];
    const char *argv[] = { "qemu-img", "resize", "-f", bd->format, bd->path,
                           num, NULL };

    snprintf(num, sizeof(num), "%llu", size);
    return qemuBlockRunTool(argv, NULL);
}

static int
qemuBlockResizeLive(QemuDom *d, const QemuBlockDisk *bd,
                    unsigned long long size)
{
    json_object *entry = NULL;
    const char *node;
    int ret = -1;

    if (qemuBlockQueryDevice(d, bd->alias, &entry) < 0 ||
        !(node = qemuBlockEntryNode(entry, bd->dst)))
        goto cleanup;
    ret = qemuBlockMonRun(d, qmpCommandNew("block_resize",
                                           "s:node-name", node,
                                           "U:size", size, NULL),
                          NULL, 0);
 cleanup:
    json_object_put(entry);
    return ret;
}

static int
qemuDomainBlockResize(virDomainPtr dom, const char *disk,
                      unsigned long long size, unsigned int flags)
{
    QemuBlockDisk bd = { 0 };
    QemuDom *d;
    int ret = -1;

    if (qemuBlockCheckFlags(flags, VIR_DOMAIN_BLOCK_RESIZE_BYTES,
                            __func__) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    if (!(flags & VIR_DOMAIN_BLOCK_RESIZE_BYTES)) {
        if (size > ULLONG_MAX / 1024) {
            reportError(VIR_ERR_OVERFLOW, "size %llu KiB of disk '%s' is too "
                        "large", size, disk);
            goto release;
        }
        size *= 1024;
    }
    if (qemuDomBeginJob(d) < 0)
        goto release;
    if (qemuBlockDiskLookup(d, d->def, disk, &bd) < 0)
        goto cleanup;
    if (!bd.path || bd.device == DISK_DEVICE_CDROM) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' "
                    "cannot be resized: %s", bd.dst, d->def->name,
                    bd.path ? "it is a cdrom" : "it has no medium");
        goto cleanup;
    }
    /* qcow2 sizes are whole sectors */
    if (strcmp(bd.format, "qcow2") == 0 && size % 512)
        size += 512 - size % 512;
    if (qemuDomIsActive(d))
        ret = qemuBlockResizeLive(d, &bd, size);
    else
        ret = qemuBlockResizeOffline(&bd, size);
 cleanup:
    qemuBlockDiskClear(&bd);
    qemuDomEndJob(d);
 release:
    qemuDomRelease(d);
    return ret;
}

/* ---- peek ---- */

static int
qemuDomainBlockPeek(virDomainPtr dom, const char *disk,
                    unsigned long long offset, size_t size, void *buffer,
                    unsigned int flags)
{
    QemuBlockDisk bd = { 0 };
    QemuDom *d;
    size_t done = 0;
    int fd = -1, ret = -1;

    if (qemuBlockCheckFlags(flags, 0, __func__) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    if (qemuBlockDiskLookup(d, d->def, disk, &bd) < 0)
        goto cleanup;
    qemuDomRelease(d);
    d = NULL;
    if (!bd.path) {
        reportError(VIR_ERR_OPERATION_INVALID, "disk '%s' has no medium to "
                    "peek at", bd.dst);
        goto cleanup;
    }
    /* only a raw image holds the guest's bytes at the guest's offsets */
    if (strcmp(bd.format, "raw") != 0) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "peeking at disk '%s' "
                    "needs a raw image; its format is '%s'", bd.dst,
                    bd.format);
        goto cleanup;
    }
    if ((fd = open(bd.path, O_RDONLY | O_CLOEXEC)) < 0) {
        reportSystemError(errno, "cannot open disk image '%s'", bd.path);
        goto cleanup;
    }
    while (done < size) {
        ssize_t n = pread(fd, (char *)buffer + done, size - done,
                          (off_t)(offset + done));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            reportSystemError(errno, "cannot read disk image '%s'", bd.path);
            goto cleanup;
        }
        if (n == 0) {
            reportError(VIR_ERR_INVALID_ARG, "offset %llu and size %zu are "
                        "beyond the end of disk '%s'", offset, size, bd.dst);
            goto cleanup;
        }
        done += (size_t)n;
    }
    ret = 0;
 cleanup:
    if (fd >= 0)
        close(fd);
    qemuBlockDiskClear(&bd);
    if (d)
        qemuDomRelease(d);
    return ret;
}

/* ---- disk errors ---- */

static int
qemuDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                        unsigned int maxerrors, unsigned int flags)
{
    QmpBlockInfo *devs = NULL;
    QemuDom *d;
    Qmp *mon;
    int n = -1, ret = -1;

    if (qemuBlockCheckFlags(flags, 0, __func__) < 0 ||
        !(d = qemuBlockGetActive(dom)))
        return -1;
    if (!errors) {
        ret = (int)d->def->ndisks;
        goto cleanup;
    }
    if (!(mon = qemuProcessMonAcquire(d)))
        goto cleanup;
    pthread_mutex_unlock(&d->drv->lock);
    n = qmpQueryBlock(mon, &devs);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    if (n < 0)
        goto cleanup;
    ret = 0;
    for (size_t i = 0; i < d->def->ndisks && (unsigned int)ret < maxerrors;
         i++) {
        const DiskDef *dd = d->def->disks[i];

        for (int k = 0; k < n; k++) {
            const char *st = devs[k].ioStatus;

            if (!qemuBlockQdevMatch(devs[k].qdev, dd->info.alias) || !st ||
                strcmp(st, "ok") == 0)
                continue;
            errors[ret].disk = allocStrdup(dd->dst);
            errors[ret].error = strcmp(st, "nospace") == 0
                                ? VIR_DOMAIN_DISK_ERROR_NO_SPACE
                                : VIR_DOMAIN_DISK_ERROR_UNSPEC;
            ret++;
            break;
        }
    }
 cleanup:
    qmpBlockInfoListFree(devs, n > 0 ? n : 0);
    qemuDomRelease(d);
    return ret;
}

void
qemuBlockFill(Driver *drv)
{
    drv->domainBlockStats = qemuDomainBlockStats;
    drv->domainBlockStatsFlags = qemuDomainBlockStatsFlags;
    drv->domainGetBlockInfo = qemuDomainGetBlockInfo;
    drv->domainBlockResize = qemuDomainBlockResize;
    drv->domainBlockPeek = qemuDomainBlockPeek;
    drv->domainGetDiskErrors = qemuDomainGetDiskErrors;
    qemuBlockIotuneFill(drv);
    qemuBlockJobFill(drv);
}

/* ---- backing chains: the <backingStore> of the live XML ----
 * QEMU opens a qcow2 image's backing chain itself, so the chain is read
 * back from query-block (inserted.image and its nested backing-image).
 * Each image gets a number (the index attribute of <source> and of each
 * <backingStore>), unique in the domain and kept while the image stays in
 * a chain; a new image gets the next free one, as libvirt numbers them. */

/* The value of attribute NAME in the list ATTRS, or NULL. */
static const char *
chainAttr(const XAttr *attrs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(attrs[i].name, name) == 0)
            return attrs[i].value;
    return NULL;
}

/* The path an element <source> of NODE (a <backingStore>) names. */
static const char *
chainNodePath(XNode *node)
{
    for (size_t i = 0; node && i < node->nkids; i++) {
        XNode *k = node->kids[i];

        if (strcmp(k->name, "source") == 0)
            return chainAttr(k->attrs, k->nattrs, "file") ?
                   chainAttr(k->attrs, k->nattrs, "file") :
                   chainAttr(k->attrs, k->nattrs, "dev");
    }
    return NULL;
}

/* The nested <backingStore> of NODE, or NULL. */
static XNode *
chainNext(XNode *node)
{
    for (size_t i = 0; node && i < node->nkids; i++)
        if (strcmp(node->kids[i]->name, "backingStore") == 0)
            return node->kids[i];
    return NULL;
}

/* The index DISK's chain gave PATH (top included), or 0. */
static int
chainOldIndex(const DiskDef *disk, const char *path)
{
    const char *v;
    XNode *n;

    if (disk->srcPath && strcmp(disk->srcPath, path) == 0 &&
        (v = chainAttr(disk->srcExtra.attrs, disk->srcExtra.nattrs,
                       "index")))
        return atoi(v);
    for (n = disk->backingStore; n; n = chainNext(n)) {
        const char *p = chainNodePath(n);

        if (p && strcmp(p, path) == 0 &&
            (v = chainAttr(n->attrs, n->nattrs, "index")))
            return atoi(v);
    }
    return 0;
}

/* The highest index used in DEF. */
static int
chainMaxIndex(const DomainDef *def)
{
    int max = 0;

    for (size_t i = 0; i < def->ndisks; i++) {
        const DiskDef *disk = def->disks[i];
        const char *v = chainAttr(disk->srcExtra.attrs, disk->srcExtra.nattrs,
                                  "index");
        XNode *n;

        if (v && atoi(v) > max)
            max = atoi(v);
        for (n = disk->backingStore; n; n = chainNext(n))
            if ((v = chainAttr(n->attrs, n->nattrs, "index")) && atoi(v) > max)
                max = atoi(v);
    }
    return max;
}

/* Set attribute NAME of the carried attributes X to VALUE. */
static void
chainExtraSet(XExtra *x, const char *name, const char *value)
{
    for (size_t i = 0; i < x->nattrs; i++) {
        if (strcmp(x->attrs[i].name, name) == 0) {
            free(x->attrs[i].value);
            x->attrs[i].value = allocStrdup(value);
            return;
        }
    }
    allocResize(&x->attrs, x->nattrs, x->nattrs + 1, sizeof(*x->attrs));
    x->attrs[x->nattrs].name = allocStrdup(name);
    x->attrs[x->nattrs].value = allocStrdup(value);
    x->attrs[x->nattrs].used = true;
    x->nattrs++;
}

/* Remove attribute NAME from the carried attributes X. */
static void
chainExtraDel(XExtra *x, const char *name)
{
    for (size_t i = 0; i < x->nattrs; i++) {
        if (strcmp(x->attrs[i].name, name) != 0)
            continue;
        free(x->attrs[i].name);
        free(x->attrs[i].value);
        memmove(&x->attrs[i], &x->attrs[i + 1],
                (x->nattrs - i - 1) * sizeof(*x->attrs));
        x->nattrs--;
        return;
    }
}

XNode *
qemuBlockChainElement(const char *path, const char *format, int index)
{
    XNode *bs = xtreeNew("backingStore");
    XNode *fmt = xtreeNew("format");
    XNode *src = xtreeNew("source");
    struct stat st;
    bool block = stat(path, &st) == 0 && S_ISBLK(st.st_mode);

    xtreeSetAttr(bs, "type", block ? "block" : "file");
    if (index > 0) {
        char num[16];

        snprintf(num, sizeof(num), "%d", index);
        xtreeSetAttr(bs, "index", num);
    }
    xtreeSetAttr(fmt, "type", format ? format : "raw");
    xtreeSetAttr(src, block ? "dev" : "file", path);
    xtreeAppend(bs, fmt);
    xtreeAppend(bs, src);
    return bs;
}

/* Give DISK (NEXT: the highest index in use) the chain below IMG, a
 * query-block image (top first). */
static void
chainApplyDisk(DiskDef *disk, json_object *img, int *next)
{
    XNode *top = NULL, *tail = NULL;
    json_object *b;
    char num[16];
    int idx;

    idx = chainOldIndex(disk, disk->srcPath);
    snprintf(num, sizeof(num), "%d", idx > 0 ? idx : ++*next);
    for (b = json_object_object_get(img, "backing-image"); b;
         b = json_object_object_get(b, "backing-image")) {
        json_object *f = json_object_object_get(b, "filename");
        json_object *fmt = json_object_object_get(b, "format");
        const char *path = f ? json_object_get_string(f) : "";
        XNode *el;

        idx = chainOldIndex(disk, path);
        el = qemuBlockChainElement(path, fmt ? json_object_get_string(fmt)
                                             : NULL, idx > 0 ? idx : ++*next);
        if (tail)
            xtreeAppend(tail, el);
        else
            top = el;
        tail = el;
    }
    /* an empty element ends a chain QEMU opened completely */
    if (tail)
        xtreeAppend(tail, xtreeNew("backingStore"));
    else
        top = xtreeNew("backingStore");
    xtreeFree(disk->backingStore);
    disk->backingStore = top;
    chainExtraSet(&disk->srcExtra, "index", num);
}

void
qemuBlockChainApply(DomainDef *live, json_object *blocks)
{
    int next = chainMaxIndex(live);

    for (size_t i = 0; i < live->ndisks; i++) {
        DiskDef *disk = live->disks[i];

        if (!disk->hasSource || !disk->srcPath || !disk->info.alias)
            continue;
        for (size_t k = 0; k < json_object_array_length(blocks); k++) {
            json_object *e = json_object_array_get_idx(blocks, k);
            json_object *q = json_object_object_get(e, "qdev");
            json_object *ins = json_object_object_get(e, "inserted");
            json_object *img = ins ? json_object_object_get(ins, "image")
                                   : NULL;

            if (img && q &&
                qemuBlockQdevMatch(json_object_get_string(q),
                                   disk->info.alias)) {
                chainApplyDisk(disk, img, &next);
                break;
            }
        }
    }
}

json_object *
qemuBlockChainQuery(Qmp *mon)
{
    json_object *cmd = qmpCommandNew("query-block", NULL);
    json_object *reply = NULL, *list, *ret = NULL;
    int rc = qmpCommandRun(mon, cmd, &reply, QEMU_BLOCK_QUERY_MS);

    json_object_put(cmd);
    if (rc < 0)
        return NULL;
    if ((list = qmpReplyReturn(reply, "query-block", json_type_array)))
        ret = json_object_get(list);
    json_object_put(reply);
    return ret;
}

int
qemuBlockChainFill(Qmp *mon, DomainDef *live)
{
    json_object *blocks = qemuBlockChainQuery(mon);

    if (!blocks)
        return -1;
    qemuBlockChainApply(live, blocks);
    json_object_put(blocks);
    return 0;
}

int
qemuBlockChainRefresh(QemuDom *d)
{
    json_object *blocks = NULL;
    Qmp *mon = qemuProcessMonAcquire(d);

    if (!mon)
        return -1;
    pthread_mutex_unlock(&d->drv->lock);
    blocks = qemuBlockChainQuery(mon);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    if (!blocks)
        return -1;
    if (qemuDomIsActive(d))
        qemuBlockChainApply(d->def, blocks);
    json_object_put(blocks);
    return 0;
}

void
qemuBlockChainPush(DiskDef *disk, const char *path, const char *format)
{
    const char *idx = chainAttr(disk->srcExtra.attrs, disk->srcExtra.nattrs,
                                "index");
    XNode *old = qemuBlockChainElement(disk->srcPath, disk->driverType,
                                       idx ? atoi(idx) : 0);

    /* the number stays with the image */
    chainExtraDel(&disk->srcExtra, "index");

    if (disk->backingStore && disk->backingStore->nkids)
        xtreeAppend(old, disk->backingStore);
    else
        xtreeFree(disk->backingStore);
    disk->backingStore = old;
    free(disk->srcPath);
    disk->srcPath = allocStrdup(path);
    free(disk->driverType);
    disk->driverType = allocStrdup(format);
}

/* The format and <source> path of chain element NODE. */
static const char *
chainNodeFormat(XNode *node)
{
    for (size_t i = 0; node && i < node->nkids; i++) {
        XNode *k = node->kids[i];

        if (strcmp(k->name, "format") == 0)
            return chainAttr(k->attrs, k->nattrs, "type");
    }
    return NULL;
}

/* Take child element KID out of PARENT (not freed). */
static void
chainUnlink(XNode *parent, XNode *kid)
{
    for (size_t i = 0; i < parent->nkids; i++) {
        if (parent->kids[i] != kid)
            continue;
        memmove(&parent->kids[i], &parent->kids[i + 1],
                (parent->nkids - i - 1) * sizeof(XNode *));
        parent->nkids--;
        return;
    }
}

void
qemuBlockChainRemove(DiskDef *disk, const char *path, const char *below,
                     const char *belowFmt)
{
    XNode *first = disk->backingStore, *prev = NULL, *n, *rest;

    if (disk->srcPath && strcmp(disk->srcPath, path) == 0) {
        const char *p = chainNodePath(first);

        if (!p) {
            chainExtraDel(&disk->srcExtra, "index");
            free(disk->srcPath);
            disk->srcPath = allocStrdup(below);
            free(disk->driverType);
            disk->driverType = allocStrdup(belowFmt);
            return;
        }
        const char *idx = chainAttr(first->attrs, first->nattrs, "index");

        free(disk->srcPath);
        disk->srcPath = allocStrdup(p);
        free(disk->driverType);
        disk->driverType = allocStrdup(chainNodeFormat(first));
        if (idx)
            chainExtraSet(&disk->srcExtra, "index", idx);
        else
            chainExtraDel(&disk->srcExtra, "index");
        if ((rest = chainNext(first)))
            chainUnlink(first, rest);
        xtreeFree(first);
        disk->backingStore = rest;
        return;
    }
    for (n = first; n; prev = n, n = chainNext(n)) {
        const char *p = chainNodePath(n);

        if (!p || strcmp(p, path) != 0)
            continue;
        rest = chainNext(n);
        if (rest)
            chainUnlink(n, rest);
        if (prev) {
            chainUnlink(prev, n);
            if (rest)
                xtreeAppend(prev, rest);
        } else {
            disk->backingStore = rest;
        }
        xtreeFree(n);
        return;
    }
}

void
qemuBlockChainPivot(DiskDef *disk, const char *path)
{
    XNode *n, *rest;

    for (n = disk->backingStore; n; n = chainNext(n)) {
        const char *p = chainNodePath(n);
        const char *idx = chainAttr(n->attrs, n->nattrs, "index");

        if (!p || strcmp(p, path) != 0)
            continue;
        if (idx)
            chainExtraSet(&disk->srcExtra, "index", idx);
        else
            chainExtraDel(&disk->srcExtra, "index");
        if ((rest = chainNext(n)))
            chainUnlink(n, rest);
        xtreeFree(disk->backingStore);
        disk->backingStore = rest;
        return;
    }
    /* a new image (a copy): its number and chain come with the refresh */
    chainExtraDel(&disk->srcExtra, "index");
}

void
qemuBlockDropNodes(Qmp *mon, const char *alias)
{
    char *fmt = allocPrintf("drive-%s", alias);
    char *file = allocPrintf("drive-%s-storage", alias);
    json_object *cmd = qmpCommandNew("blockdev-del", "s:node-name", fmt,
                                     NULL);

    /* QEMU refuses while the node is in a chain: nothing to do then */
    if (qmpCommandRun(mon, cmd, NULL, QEMU_BLOCK_QUERY_MS) == 0) {
        json_object_put(cmd);
        cmd = qmpCommandNew("blockdev-del", "s:node-name", file, NULL);
        if (qmpCommandRun(mon, cmd, NULL, QEMU_BLOCK_QUERY_MS) < 0)
            logDebug("qemu", "cannot delete node '%s'", file);
    }
    errorReset();
    json_object_put(cmd);
    free(fmt);
    free(file);
}
