/* qemu_snapshot_memory.c: external snapshots with the guest's memory: the
 * memory goes into a save image (QEMU's migration stream, restorable with
 * virDomainRestore), then the disks get their overlays */
#define ERROR_DOMAIN VIR_FROM_DOMAIN_SNAPSHOT

#include "qemu_snapshot.h"
#include "qemu_save.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* abort_job during the memory part: cancel the stream */
static int
qemuSnapMemAbort(Qmp *mon)
{
    return qmpMigrateCancel(mon);
}

/* The memory file of S must not exist yet, its overlays must exist
 * (REUSE) or not. */
static int
qemuSnapMemCheck(const QemuDom *d, const QemuSnap *s, bool reuse)
{
    if (d->state != VIR_DOMAIN_RUNNING && d->state != VIR_DOMAIN_PAUSED) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' must be running "
                    "or paused to save its memory in snapshot '%s'",
                    d->def->name, s->name);
        return -1;
    }
    if (access(s->memoryFile, F_OK) == 0) {
        reportError(VIR_ERR_OPERATION_INVALID, "memory file '%s' of snapshot "
                    "'%s' already exists", s->memoryFile, s->name);
        return -1;
    }
    return qemuSnapCheckOverlays(s, reuse);
}

/* The stream of a LIVE snapshot ended: QEMU paused the guest; record it
 * now if its STOP event was not handled yet. */
static void
qemuSnapMemStopped(QemuDom *d)
{
    if (!qemuDomIsActive(d))
        return;
    if (d->state == VIR_DOMAIN_RUNNING)
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SUSPENDED,
                              VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    qemuDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SNAPSHOT);
}

/* Write D's memory into the save image PATH (atomically) with header XML;
 * RUNNING: a restore resumes the guest. The guest is paused first unless
 * LIVE; *PAUSED tells whether it ran and is paused now (also on failure).
 * 0 or -1 (no file left). */
static int
qemuSnapMemSave(QemuDom *d, const char *path, const char *xml, bool live,
                bool *paused)
{
    bool wasRunning = d->state == VIR_DOMAIN_RUNNING;
    char *tmp = NULL;
    int fd, ret = -1;

    *paused = false;
    if ((fd = qemuSaveImageTempCreate(path, &tmp)) < 0)
        return -1;
    if (qemuSaveImageWriteHeader(fd, path, xml, wasRunning) < 0)
        goto cleanup;
    if (wasRunning && !live) {
        if (qemuSavePause(d, VIR_DOMAIN_PAUSED_SNAPSHOT) < 0)
            goto cleanup;
        *paused = true;
    }
    ret = qemuSaveMigrateToFd(d, fd, "snapshot");
    if (wasRunning && live && qemuDomIsActive(d) &&
        (ret == 0 || d->state == VIR_DOMAIN_PAUSED)) {
        qemuSnapMemStopped(d);
        *paused = true;
    }
    if (ret < 0 || qemuSaveImageSeal(fd, path) < 0) {
        ret = -1;
        goto cleanup;
    }
    ret = qemuSaveImageTempCommit(fd, tmp, path, false);
    fd = -1;
    FREE(tmp);      /* committed, or removed by the failed commit */
 cleanup:
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    free(tmp);
    return ret;
}

int
qemuSnapExternalMemory(QemuDom *d, QemuSnap *s, unsigned int flags)
{
    bool halt = flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT;
    bool paused = false;
    char *xml = NULL;
    int ret = -1;

    if (qemuSnapMemCheck(d, s, flags & VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT)
        < 0)
        return -1;
    s->memory = false;
    s->state = d->state;
    /* the definition the memory belongs with: the disks before overlays */
    if (!(xml = domainDefFormat(d->def, VIR_DOMAIN_XML_SECURE |
                                VIR_DOMAIN_XML_INACTIVE)))
        return -1;
    qemuJobActivate(d, VIR_DOMAIN_JOB_OPERATION_SNAPSHOT, qemuSnapMemAbort);
    if (qemuSnapMemSave(d, s->memoryFile, xml,
                        flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE, &paused) < 0)
        goto error;
    /* the guest is paused (or was already): the disks match the memory */
    if (qemuSnapHasExternalDisk(s) &&
        qemuSnapExternalTake(d, s, flags &
                             VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT) < 0) {
        unlink(s->memoryFile);
        goto error;
    }
    qemuJobFinish(d, VIR_DOMAIN_JOB_COMPLETED, NULL);
    if (paused && !halt)
        qemuSaveResume(d, VIR_DOMAIN_RUNNING_UNPAUSED);
    ret = 0;
    goto cleanup;

 error:
    {
        virErrorPtr err = errorSave();

        qemuJobFinish(d, err && err->code == VIR_ERR_OPERATION_ABORTED ?
                      VIR_DOMAIN_JOB_CANCELLED : VIR_DOMAIN_JOB_FAILED,
                      err ? err->message : NULL);
        if (paused)
            qemuSaveResume(d, VIR_DOMAIN_RUNNING_UNPAUSED);
        errorRestore(&err);
    }
 cleanup:
    free(xml);
    return ret;
}
