/* qemu_dump.c: core dumps of a QEMU domain's memory (core_dump,
 * core_dump_format) through QEMU's dump-guest-memory
 *
 * Every dump is QEMU's memory-only dump (guest-physical memory and the
 * vCPU registers as ELF notes, or a kdump-compressed file), with or
 * without VIR_DUMP_MEMORY_ONLY: libvirt writes its migration format when
 * the flag is absent, which no debugger reads; an ELF core that crash(8)
 * and gdb open is what a dump is for. dump-guest-memory stops the vCPUs
 * while it copies memory even with VIR_DUMP_LIVE (QEMU does so itself; the
 * domain shows paused meanwhile); without LIVE we pause first, as libvirt
 * does. BYPASS_CACHE drops the file's pages from the page cache once on
 * disk (QEMU's writes are not O_DIRECT aligned). */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_save.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DUMP_FDNAME "vireo-dump"
#define DUMP_POLL_MS 20
#define DUMP_STALL_MS 60000

#define DUMP_FLAGS \
    (VIR_DUMP_CRASH | VIR_DUMP_LIVE | VIR_DUMP_BYPASS_CACHE | \
     VIR_DUMP_RESET | VIR_DUMP_MEMORY_ONLY)

/* QEMU's names of the VIR_DOMAIN_CORE_DUMP_FORMAT_* values. */
static const char *const dumpFormats[VIR_DOMAIN_CORE_DUMP_FORMAT_LAST] = {
    "elf", "kdump-zlib", "kdump-lzo", "kdump-snappy", "win-dmp",
};

/* What a dump needs on the monitor. */
typedef struct {
    const char *format;
    int fd;
    bool offered;               /* QEMU offers FORMAT */
    char *status;               /* of query-dump */
    unsigned long long completed, total;
} DumpRun;

static int
dumpCheckFlags(unsigned int format, unsigned int flags)
{
    static const unsigned int pairs[][2] = {
        { VIR_DUMP_CRASH, VIR_DUMP_LIVE },
        { VIR_DUMP_CRASH, VIR_DUMP_RESET },
        { VIR_DUMP_LIVE, VIR_DUMP_RESET },
    };
    static const char *const names[] = { "crash and live", "crash and reset",
                                         "live and reset" };

    if (flags & ~DUMP_FLAGS) {
        reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in core "
                    "dump", flags & ~DUMP_FLAGS);
        return -1;
    }
    for (size_t i = 0; i < 3; i++) {
        if ((flags & pairs[i][0]) && (flags & pairs[i][1])) {
            reportError(VIR_ERR_INVALID_ARG, "core dump flags %s are mutually "
                        "exclusive", names[i]);
            return -1;
        }
    }
    if (format >= VIR_DOMAIN_CORE_DUMP_FORMAT_LAST) {
        reportError(VIR_ERR_INVALID_ARG, "unknown core dump format %u", format);
        return -1;
    }
    if (format != VIR_DOMAIN_CORE_DUMP_FORMAT_RAW &&
        !(flags & VIR_DUMP_MEMORY_ONLY)) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "core dump format '%s' "
                    "is only available for a memory-only dump",
                    dumpFormats[format]);
        return -1;
    }
    return 0;
}

static int
dumpCapable(Qmp *mon, void *opaque)
{
    DumpRun *r = opaque;
    char **formats = NULL;

    if (qmpQueryDumpGuestMemoryCapability(mon, &formats) < 0)
        return -1;
    for (size_t i = 0; formats[i]; i++)
        if (strcmp(formats[i], r->format) == 0)
            r->offered = true;
    qmpStringListFree(formats);
    return 0;
}

static int
dumpStart(Qmp *mon, void *opaque)
{
    DumpRun *r = opaque;

    if (qmpGetfd(mon, DUMP_FDNAME, r->fd) < 0)
        return -1;
    if (qmpDumpGuestMemory(mon, false, "fd:" DUMP_FDNAME, r->format,
                           true) < 0) {
        virErrorPtr err = errorSave();

        if (qmpClosefd(mon, DUMP_FDNAME) < 0)
            errorReset();
        errorRestore(&err);
        return -1;
    }
    return 0;
}

static int
dumpQuery(Qmp *mon, void *opaque)
{
    DumpRun *r = opaque;

    FREE(r->status);
    return qmpQueryDump(mon, &r->status, &r->completed, &r->total);
}

static int
dumpReset(Qmp *mon, void *opaque)
{
    return qmpSystemReset(mon);
}

/* Run the dump of D into FD and wait for it (lock held, released while
 * waiting). 0 or -1. */
static int
dumpRun(QemuDom *d, DumpRun *r)
{
    long long waited, lastMove = 0;
    unsigned long long last = 0;

    if (qemuSaveMonRun(d, dumpStart, r) < 0)
        return -1;
    for (waited = 0; qemuDomIsActive(d); waited += DUMP_POLL_MS) {
        if (qemuSaveMonRun(d, dumpQuery, r) < 0)
            return -1;
        qemuJobUpdateMemory(d, r->completed, r->total);
        if (strcmp(r->status, "completed") == 0)
            return 0;
        if (strcmp(r->status, "failed") == 0) {
            reportError(VIR_ERR_OPERATION_FAILED, "QEMU could not dump the "
                        "memory of domain '%s'", d->def->name);
            return -1;
        }
        if (r->completed != last) {
            last = r->completed;
            lastMove = waited;
        } else if (waited - lastMove > DUMP_STALL_MS) {
            reportError(VIR_ERR_OPERATION_TIMEOUT, "core dump of domain '%s' "
                        "made no progress for %d s", d->def->name,
                        DUMP_STALL_MS / 1000);
            return -1;
        }
        qemuSaveSleep(d, DUMP_POLL_MS);
    }
    reportError(VIR_ERR_OPERATION_FAILED, "QEMU of domain '%s' exited during "
                "the core dump", d->def->name);
    return -1;
}

/* Dump D (job and lock held) into TO in R->format. */
static int
dumpToFile(QemuDom *d, const char *to, DumpRun *r, unsigned int flags)
{
    bool pause = d->state == VIR_DOMAIN_RUNNING && !(flags & VIR_DUMP_LIVE);
    bool paused = false;
    char *tmp = NULL;
    int ret = -1;

    if (qemuSaveMonRun(d, dumpCapable, r) < 0)
        return -1;
    if (!r->offered) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "QEMU of domain '%s' "
                    "cannot write core dump format '%s'", d->def->name,
                    r->format);
        return -1;
    }
    if ((r->fd = qemuSaveImageTempCreate(to, &tmp)) < 0)
        return -1;
    qemuJobActivate(d, VIR_DOMAIN_JOB_OPERATION_DUMP, NULL);
    if (pause && qemuSavePause(d, VIR_DOMAIN_PAUSED_DUMP) < 0)
        goto error;
    paused = pause;
    if (dumpRun(d, r) < 0)
        goto error;
    ret = qemuSaveImageTempCommit(r->fd, tmp, to,
                                  flags & VIR_DUMP_BYPASS_CACHE);
    r->fd = -1;
    if (ret < 0)
        goto error;
    qemuJobFinish(d, VIR_DOMAIN_JOB_COMPLETED, NULL);
    goto cleanup;

 error:
    {
        virErrorPtr err = errorSave();

        qemuJobFinish(d, VIR_DOMAIN_JOB_FAILED, err ? err->message : NULL);
        if (r->fd >= 0) {
            close(r->fd);
            r->fd = -1;
            unlink(tmp);
        }
        if (paused)
            qemuSaveResume(d, VIR_DOMAIN_RUNNING_UNPAUSED);
        errorRestore(&err);
        paused = false;
    }
 cleanup:
    free(tmp);
    /* PAUSED tells the caller to resume */
    return ret < 0 ? -1 : paused ? 1 : 0;
}

/* What follows a dump of D that paused it (PAUSED) or not. 0 or -1. */
static int
dumpAfter(QemuDom *d, unsigned int flags, bool paused)
{
    if (flags & VIR_DUMP_CRASH) {
        /* the guest is gone as if it had crashed */
        d->exitReason = VIR_DOMAIN_SHUTOFF_CRASHED;
        d->exitDetail = VIR_DOMAIN_EVENT_STOPPED_CRASHED;
        if (qemuProcessKill(d->drv, d, false) == 0)
            return 0;
        d->exitReason = d->exitDetail = 0;
        return -1;
    }
    if ((flags & VIR_DUMP_RESET) && qemuSaveMonRun(d, dumpReset, NULL) < 0) {
        if (paused)
            qemuSaveResume(d, VIR_DOMAIN_RUNNING_UNPAUSED);
        return -1;
    }
    if (paused)
        qemuSaveResume(d, VIR_DOMAIN_RUNNING_UNPAUSED);
    return 0;
}

static int
qemuDomainCoreDumpWithFormat(virDomainPtr dom, const char *to,
                             unsigned int format, unsigned int flags)
{
    DumpRun r = { .fd = -1 };
    QemuDom *d;
    int ret = -1, rc;

    if (dumpCheckFlags(format, flags) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    r.format = dumpFormats[format];
    if (qemuDomBeginJob(d) < 0) {
        qemuDomRelease(d);
        return -1;
    }
    if (qemuDomCheckActive(d) < 0)
        goto cleanup;
    if (d->state != VIR_DOMAIN_RUNNING && d->state != VIR_DOMAIN_PAUSED &&
        d->state != VIR_DOMAIN_CRASHED) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' cannot be dumped "
                    "in its current state (%d)", d->def->name, d->state);
        goto cleanup;
    }
    if ((rc = dumpToFile(d, to, &r, flags)) < 0 ||
        dumpAfter(d, flags, rc == 1) < 0)
        goto cleanup;
    if (flags & VIR_DUMP_CRASH)
        dom->id = -1;
    ret = 0;
 cleanup:
    free(r.status);
    qemuDomEndJob(d);
    qemuDomRelease(d);
    return ret;
}

static int
qemuDomainCoreDump(virDomainPtr dom, const char *to, unsigned int flags)
{
    return qemuDomainCoreDumpWithFormat(dom, to,
                                        VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, flags);
}

void
qemuDumpFill(Driver *drv)
{
    drv->domainCoreDump = qemuDomainCoreDump;
    drv->domainCoreDumpWithFormat = qemuDomainCoreDumpWithFormat;
}
