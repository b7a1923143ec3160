/* qemu_save.c: the QEMU driver's save family: save and restore through
 * QEMU's migration stream in a file, save images, managed save (see
 * qemu_save.h; dumps in qemu_dump.c, job reporting in qemu_job.c) */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_save.h"

#include "alloc.h"
#include "error.h"
#include "log.h"
#include "typedparam.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAVE_FDNAME "vireo-save"
#define SAVE_POLL_MS 20
/* a save or restore whose stream does not move for this long fails */
#define SAVE_STALL_MS 60000
/* QEMU's bandwidth cap for the save stream: none (the file is local),
 * unless VIREO_QEMU_SAVE_BANDWIDTH gives one in bytes per second (a knob
 * for tests that need a slow save to watch or abort) */
#define SAVE_BANDWIDTH_ENV "VIREO_QEMU_SAVE_BANDWIDTH"
#define SAVE_BANDWIDTH_MAX (1ULL << 52)

#define SAVE_FLAGS \
    (VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING | \
     VIR_DOMAIN_SAVE_PAUSED)
#define RESTORE_FLAGS (SAVE_FLAGS | VIR_DOMAIN_SAVE_RESET_NVRAM)

/* ---- helpers shared with qemu_dump.c ---- */

int
qemuSaveMonRun(QemuDom *d, int (*fn)(Qmp *mon, void *opaque), void *opaque)
{
    Qmp *mon = qemuProcessMonAcquire(d);
    int ret;

    if (!mon)
        return -1;
    pthread_mutex_unlock(&d->drv->lock);
    ret = fn(mon, opaque);
    pthread_mutex_lock(&d->drv->lock);
    qemuProcessMonRelease(d);
    return ret;
}

static int
saveStop(Qmp *mon, void *opaque)
{
    return qmpStop(mon);
}

static int
saveCont(Qmp *mon, void *opaque)
{
    return qmpCont(mon);
}

int
qemuSavePause(QemuDom *d, int reason)
{
    int oldReason = d->reason;

    /* our state first: the STOP event then finds D paused already */
    qemuDomSetState(d, VIR_DOMAIN_PAUSED, reason);
    if (qemuSaveMonRun(d, saveStop, NULL) < 0) {
        if (qemuDomIsActive(d))
            qemuDomSetState(d, VIR_DOMAIN_RUNNING, oldReason);
        return -1;
    }
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SUSPENDED,
                          VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    if (qemuStateSaveStatus(d->drv, d) < 0)
        errorReset();
    return 0;
}

void
qemuSaveResume(QemuDom *d, int reason)
{
    virErrorPtr err = errorSave();

    if (!qemuDomIsActive(d))
        goto cleanup;
    qemuDomSetState(d, VIR_DOMAIN_RUNNING, reason);
    if (qemuSaveMonRun(d, saveCont, NULL) < 0) {
        logDebug("qemu", "cannot resume domain '%s': %s", d->def->name,
                 errorLast()->message ? errorLast()->message : "?");
        if (qemuDomIsActive(d))
            qemuDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN);
        goto cleanup;
    }
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_RESUMED,
                          VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    if (qemuStateSaveStatus(d->drv, d) < 0)
        logDebug("qemu", "cannot save the status of '%s'", d->def->name);
 cleanup:
    errorRestore(&err);
}

void
qemuSaveSleep(QemuDom *d, int ms)
{
    pthread_mutex_unlock(&d->drv->lock);
    usleep((useconds_t)ms * 1000);
    pthread_mutex_lock(&d->drv->lock);
}

char *
qemuSaveLogLine(QemuDom *d)
{
    char *path = qemuStatePath(d->drv, "log", d->def->name, ".log");
    char buf[2048];
    char *line = NULL, *p;
    ssize_t n = -1;
    off_t end;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    free(path);
    if (fd >= 0 && (end = lseek(fd, 0, SEEK_END)) >= 0)
        n = pread(fd, buf, sizeof(buf) - 1,
                  end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1
                                               : 0);
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return allocStrdup("no message from QEMU");
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    line = (p = strrchr(buf, '\n')) ? p + 1 : buf;
    /* -msg timestamp=on puts a time first */
    if (line[0] >= '0' && line[0] <= '9' && (p = strstr(line, "Z ")) &&
        p - line < 32)
        line = p + 2;
    if (strncmp(line, "qemu-system-", 12) == 0 && (p = strstr(line, ": ")))
        line = p + 2;
    return allocStrdup(line);
}

/* ---- migration to and from a file ---- */

typedef struct {
    const char *fdname;
    int fd;
    const char *uri;
    unsigned long long bandwidth;   /* 0: leave alone */
    long long limitMs;          /* incoming: give up after this long */
    QmpMigrationInfo info;
} SaveMig;

/* MIGRATION events tell when the stream ends, sooner than a poll */
static int
saveMigEvents(Qmp *mon)
{
    static const QmpMigrationCapability events = { "events", true };

    return qmpMigrateSetCapabilities(mon, &events, 1);
}

static int
saveMigStart(Qmp *mon, void *opaque)
{
    SaveMig *m = opaque;
    json_object *params;

    if (m->bandwidth) {
        params = json_object_new_object();
        json_object_object_add(params, "max-bandwidth",
                               json_object_new_int64((int64_t)m->bandwidth));
        if (qmpMigrateSetParameters(mon, params) < 0)
            return -1;
    }
    if (saveMigEvents(mon) < 0 || qmpGetfd(mon, m->fdname, m->fd) < 0)
        return -1;
    if (qmpMigrate(mon, m->uri) < 0) {
        virErrorPtr err = errorSave();

        if (qmpClosefd(mon, m->fdname) < 0)
            errorReset();
        errorRestore(&err);
        return -1;
    }
    return 0;
}

void
qemuSaveMigrationEvent(QemuDom *d)
{
    d->migrationEvent = true;
    pthread_cond_broadcast(&d->drv->cond);
}

static bool
saveMigEventCame(const QemuDom *d)
{
    return d->migrationEvent || !qemuDomIsActive(d);
}

static int
saveMigQuery(Qmp *mon, void *opaque)
{
    SaveMig *m = opaque;

    qmpMigrationInfoClear(&m->info);
    memset(&m->info, 0, sizeof(m->info));
    return qmpQueryMigrate(mon, &m->info);
}

static int
saveMigCancel(Qmp *mon, void *opaque)
{
    return qmpMigrateCancel(mon);
}

/* abort_job on a save */
static int
saveAbort(Qmp *mon)
{
    return qmpMigrateCancel(mon);
}

static unsigned long long
saveBandwidth(void)
{
    const char *env = getenv(SAVE_BANDWIDTH_ENV);
    unsigned long long v;
    char *end;

    if (!env || !*env)
        return SAVE_BANDWIDTH_MAX;
    v = strtoull(env, &end, 10);
    return *end || v == 0 ? SAVE_BANDWIDTH_MAX : v;
}

/* How the migration status ST of D ends the wait: 0 completed, -1 failed
 * or cancelled (error set), 1 still going. */
static int
saveMigStatus(QemuDom *d, const SaveMig *m, const char *st, const char *what)
{
    if (strcmp(st, "completed") == 0)
        return 0;
    if (strcmp(st, "failed") == 0) {
        reportError(VIR_ERR_OPERATION_FAILED, "QEMU could not %s domain "
                    "'%s': %s", what, d->def->name, m->info.errorDesc ?
                    m->info.errorDesc : "migration failed");
        return -1;
    }
    if (strcmp(st, "cancelled") == 0) {
        reportError(VIR_ERR_OPERATION_ABORTED, "%s of domain '%s' was "
                    "aborted", what, d->def->name);
        return -1;
    }
    return 1;
}

/* Wait until the migration of D (outgoing, or INCOMING) ends, updating the
 * job. Lock held, released while waiting. 0 when it completed, -1 with an
 * error naming WHAT ("save", "restore") otherwise. */
static int
saveMigWait(QemuDom *d, SaveMig *m, const char *what, bool incoming)
{
    long long lastMove = 0, lastBytes = -1, waited;
    bool cancelled = false;
    int rc;

    for (waited = 0; qemuDomIsActive(d); waited += SAVE_POLL_MS) {
        d->migrationEvent = false;
        if (qemuSaveMonRun(d, saveMigQuery, m) < 0)
            return -1;
        qemuJobUpdateMigration(d, &m->info);
        rc = saveMigStatus(d, m, m->info.status ? m->info.status : "none",
                           what);
        if (rc <= 0)
            return rc;
        if (!incoming && m->info.hasRam &&
            m->info.ramTransferred != lastBytes) {
            lastBytes = m->info.ramTransferred;
            lastMove = waited;
        }
        if ((incoming && waited > m->limitMs) ||
            (!incoming && waited - lastMove > SAVE_STALL_MS)) {
            reportError(VIR_ERR_OPERATION_TIMEOUT, "%s of domain '%s' made "
                        "no progress for %lld s (QEMU status '%s')", what,
                        d->def->name, (waited - lastMove) / 1000,
                        m->info.status ? m->info.status : "none");
            return -1;
        }
        /* an abort that came before the migration started */
        if (!incoming && !cancelled && qemuJobAbortRequested(d)) {
            cancelled = true;
            if (qemuSaveMonRun(d, saveMigCancel, NULL) < 0)
                errorReset();
        }
        /* a MIGRATION event cuts the wait short */
        qemuProcessWaitFor(d, saveMigEventCame, SAVE_POLL_MS);
    }
    reportError(VIR_ERR_OPERATION_FAILED, "QEMU of domain '%s' exited during "
                "the %s", d->def->name, what);
    return -1;
}

int
qemuSaveMigrateToFd(QemuDom *d, int fd, const char *what)
{
    SaveMig m = { .fdname = SAVE_FDNAME, .fd = fd, .uri = "fd:" SAVE_FDNAME,
                  .bandwidth = saveBandwidth() };
    int ret = 0;

    if (qemuSaveMonRun(d, saveMigStart, &m) < 0 ||
        saveMigWait(d, &m, what, false) < 0)
        ret = -1;
    qmpMigrationInfoClear(&m.info);
    return ret;
}

/* ---- save ---- */

/* The save of D failed with the error in place: job, file, guest. */
static void
saveFailed(QemuDom *d, int fd, const char *tmp, bool resume)
{
    virErrorPtr err = errorSave();

    qemuJobFinish(d, err && err->code == VIR_ERR_OPERATION_ABORTED ?
                  VIR_DOMAIN_JOB_CANCELLED : VIR_DOMAIN_JOB_FAILED,
                  err ? err->message : NULL);
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    if (resume)
        qemuSaveResume(d, VIR_DOMAIN_RUNNING_SAVE_CANCELED);
    errorRestore(&err);
}

/* Save running or paused D (job and lock held) into PATH: XML in our
 * header, then QEMU's migration stream; D then shuts off (saved). On
 * failure no file is left and D runs again if it ran. */
static int
saveToFile(QemuDom *d, const char *path, const char *xml, unsigned int flags)
{
    bool wasRunning = d->state == VIR_DOMAIN_RUNNING;
    bool running = (flags & VIR_DOMAIN_SAVE_RUNNING) ? true :
        (flags & VIR_DOMAIN_SAVE_PAUSED) ? false : wasRunning;
    SaveMig m = { .fdname = SAVE_FDNAME, .uri = "fd:" SAVE_FDNAME,
                  .bandwidth = saveBandwidth() };
    QemuSaveImageIO *io;
    bool paused = false;
    char *tmp = NULL;
    int rc, ret = -1;

    if ((m.fd = qemuSaveImageTempCreate(path, &tmp)) < 0)
        goto cleanup;
    qemuJobActivate(d, VIR_DOMAIN_JOB_OPERATION_SAVE, saveAbort);
    if (qemuSaveImageWriteHeader(m.fd, path, xml, running) < 0 ||
        (wasRunning && qemuSavePause(d, VIR_DOMAIN_PAUSED_SAVE) < 0))
        goto error;
    paused = wasRunning;
    /* the disk writes while QEMU still produces the stream */
    io = qemuSaveImageIOStart(m.fd, true, (unsigned long long)
                              lseek(m.fd, 0, SEEK_CUR), 0,
                              flags & VIR_DOMAIN_SAVE_BYPASS_CACHE);
    rc = qemuSaveMonRun(d, saveMigStart, &m) < 0 ||
        saveMigWait(d, &m, "save", false) < 0 ? -1 : 0;
    qemuSaveImageIOStop(io);
    if (rc < 0 || qemuSaveImageSeal(m.fd, path) < 0)
        goto error;
    ret = qemuSaveImageTempCommit(m.fd, tmp, path,
                                  flags & VIR_DOMAIN_SAVE_BYPASS_CACHE);
    m.fd = -1;
    if (ret < 0)
        goto error;
    qemuJobFinish(d, VIR_DOMAIN_JOB_COMPLETED, NULL);
    /* the state is in the file: QEMU goes, the domain is shut off (saved) */
    d->exitReason = VIR_DOMAIN_SHUTOFF_SAVED;
    d->exitDetail = VIR_DOMAIN_EVENT_STOPPED_SAVED;
    if ((ret = qemuProcessKill(d->drv, d, false)) < 0)
        d->exitReason = d->exitDetail = 0;
    goto cleanup;

 error:
    saveFailed(d, m.fd, tmp, paused);
    ret = -1;
 cleanup:
    qmpMigrationInfoClear(&m.info);
    free(tmp);
    return ret;
}

/* Check save FLAGS (ALLOWED of them) for FUNC. 0 or -1. */
static int
saveCheckFlags(unsigned int flags, unsigned int allowed, const char *func)
{
    if (flags & ~allowed) {
        reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x in %s",
                    flags & ~allowed, func);
        return -1;
    }
    if ((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED)) {
        reportError(VIR_ERR_INVALID_ARG, "flags 'running' and 'paused' are "
                    "mutually exclusive in %s", func);
        return -1;
    }
    return 0;
}

/* DOM's record, locked, job begun, QEMU running; NULL with an error. */
static QemuDom *
saveJobBegin(virDomainPtr dom)
{
    QemuDom *d = qemuDomGet(dom);

    if (!d)
        return NULL;
    if (qemuDomBeginJob(d) < 0) {
        qemuDomRelease(d);
        return NULL;
    }
    if (qemuDomCheckActive(d) < 0) {
        qemuDomEndJob(d);
        qemuDomRelease(d);
        return NULL;
    }
    return d;
}

static void
saveJobEnd(QemuDom *d)
{
    qemuDomEndJob(d);
    qemuDomRelease(d);
}

/* Save DOM to PATH (NULL: its managed save image) with DXML (may be NULL)
 * as the XML to restore. */
static int
saveDomain(virDomainPtr dom, const char *path, const char *dxml,
           unsigned int flags, const char *func)
{
    char *live = NULL, *xml = NULL, *managed = NULL;
    QemuDom *d;
    int ret = -1;

    if (saveCheckFlags(flags, SAVE_FLAGS, func) < 0 ||
        !(d = saveJobBegin(dom)))
        return -1;
    if (d->state != VIR_DOMAIN_RUNNING && d->state != VIR_DOMAIN_PAUSED) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' cannot be saved "
                    "in its current state (%d): it must be running or "
                    "paused", d->def->name, d->state);
        goto cleanup;
    }
    if (!path && !d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID, "cannot do a managed save of "
                    "transient domain '%s'", d->def->name);
        goto cleanup;
    }
    if (!path)
        path = managed = qemuStatePath(d->drv, "save", d->def->name, ".save");
    live = domainDefFormat(d->def, VIR_DOMAIN_XML_SECURE |
                           VIR_DOMAIN_XML_INACTIVE);
    if (!(xml = dxml ? qemuSaveImageReplaceXML(live, dxml) : live))
        goto cleanup;
    if ((ret = saveToFile(d, path, xml, flags)) == 0)
        dom->id = -1;
 cleanup:
    if (xml != live)
        free(xml);
    free(live);
    free(managed);
    saveJobEnd(d);
    return ret;
}

static int
qemuDomainSaveFlags(virDomainPtr dom, const char *to, const char *dxml,
                    unsigned int flags)
{
    return saveDomain(dom, to, dxml, flags, __func__);
}

static int
qemuDomainSave(virDomainPtr dom, const char *to)
{
    return saveDomain(dom, to, NULL, 0, __func__);
}

static int
qemuDomainManagedSave(virDomainPtr dom, unsigned int flags)
{
    return saveDomain(dom, NULL, NULL, flags, __func__);
}

/* FILE and DXML of a SaveParams / RestoreParams call. */
static int
saveParams(virTypedParameterPtr params, int nparams, const char **file,
           const char **dxml)
{
    static const TypedParamSpec spec[] = {
        { VIR_DOMAIN_SAVE_PARAM_FILE, VIR_TYPED_PARAM_STRING, false },
        { VIR_DOMAIN_SAVE_PARAM_DXML, VIR_TYPED_PARAM_STRING, false },
        { NULL, 0, false },
    };

    *file = *dxml = NULL;
    if (typedParamsValidate(params, nparams, spec) < 0 ||
        typedParamsGetString(params, nparams, VIR_DOMAIN_SAVE_PARAM_FILE,
                             file) < 0 ||
        typedParamsGetString(params, nparams, VIR_DOMAIN_SAVE_PARAM_DXML,
                             dxml) < 0)
        return -1;
    return 0;
}

static int
qemuDomainSaveParams(virDomainPtr dom, virTypedParameterPtr params,
                     int nparams, unsigned int flags)
{
    const char *file, *dxml;

    if (saveParams(params, nparams, &file, &dxml) < 0)
        return -1;
    /* without a file, the managed save image */
    if (!file && dxml) {
        reportError(VIR_ERR_INVALID_ARG, "parameter '%s' of a managed save "
                    "is not supported: it needs '%s'",
                    VIR_DOMAIN_SAVE_PARAM_DXML, VIR_DOMAIN_SAVE_PARAM_FILE);
        return -1;
    }
    return saveDomain(dom, file, dxml, flags, __func__);
}

/* ---- restore ---- */

/* The restore of D failed with the error in place: QEMU goes (shut off,
 * failed). QEMU exits by itself when it cannot load the stream, and the
 * error we saw then is about its monitor going away: its log says why. */
static void
restoreFailed(QemuDriver *drv, QemuDom *d, const char *path)
{
    virErrorPtr err = errorSave();
    char *line;

    if (qemuDomIsActive(d) && qemuProcessKill(drv, d, false) < 0) {
        d->exitReason = d->exitDetail = 0;
        errorReset();
    }
    line = qemuSaveLogLine(d);
    if (!strstr(line, "terminating on signal")) {
        errorRestore(&err);     /* only to drop it */
        errorReset();
        reportError(VIR_ERR_OPERATION_FAILED, "QEMU could not restore domain "
                    "'%s' from save image '%s': %s", d->def->name, path,
                    line);
        err = errorSave();
    }
    qemuJobFinish(d, VIR_DOMAIN_JOB_FAILED, err ? err->message : NULL);
    errorRestore(&err);
    free(line);
}

/* Wait for QEMU of D, loading the stream of image PATH since its start,
 * to finish; then run it unless PAUSED. Lock and job held. 0 or -1 (QEMU
 * gone). */
static int
restoreLoad(QemuDriver *drv, QemuDom *d, const char *path, long long limitMs,
            bool paused)
{
    SaveMig m = { .limitMs = limitMs };
    int ret = -1;

    d->exitReason = VIR_DOMAIN_SHUTOFF_FAILED;
    d->exitDetail = VIR_DOMAIN_EVENT_STOPPED_FAILED;
    if (saveMigWait(d, &m, "restore", true) < 0)
        goto error;
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_STARTED,
                          VIR_DOMAIN_EVENT_STARTED_RESTORED);
    if (paused) {
        qemuDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SUSPENDED,
                              VIR_DOMAIN_EVENT_SUSPENDED_RESTORED);
    } else {
        /* running first: the RESUME event then changes nothing */
        qemuDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_RESTORED);
        if (qemuSaveMonRun(d, saveCont, NULL) < 0)
            goto error;
    }
    d->exitReason = d->exitDetail = 0;
    qemuJobFinish(d, VIR_DOMAIN_JOB_COMPLETED, NULL);
    if (qemuStateSaveStatus(drv, d) < 0)
        errorReset();
    ret = 0;
    goto cleanup;

 error:
    restoreFailed(drv, d, path);
 cleanup:
    qmpMigrationInfoClear(&m.info);
    return ret;
}

/* Start inactive D (job and lock held) from the stream of image PATH (FD
 * positioned at it, DATALEN bytes) with DEF (taken) as its definition; D's
 * persistent definition stays. QEMU gets FD on its command line and loads
 * while we still talk to its monitor. PAUSED: leave it paused. 0 or -1. */
static int
restoreStart(QemuDriver *drv, QemuDom *d, DomainDef *def, int fd,
             const char *path, unsigned long long dataLen, bool paused)
{
    DomainDef *persistentDef = d->def != def ? d->def : NULL;
    /* a local file loads at hundreds of MB/s: allow 10 s per GiB, and
     * a minute for a start on a busy host */
    long long limitMs = 60000 + (long long)(dataLen >> 30) * 10000;

    def->id = -1;
    d->def = def;
    qemuJobActivate(d, VIR_DOMAIN_JOB_OPERATION_RESTORE, NULL);
    if (qemuProcessStartIncoming(drv, d, fd, limitMs) < 0) {
        virErrorPtr err = errorSave();

        qemuJobFinish(d, VIR_DOMAIN_JOB_FAILED, err ? err->message : NULL);
        errorRestore(&err);
        if (persistentDef) {
            domainDefFree(d->def);
            d->def = persistentDef;
        }
        return -1;
    }
    if (persistentDef && d->persistent) {
        /* qemuProcessStart kept DEF as the persistent one */
        domainDefFree(d->newDef);
        d->newDef = persistentDef;
    } else {
        domainDefFree(persistentDef);
    }
    return restoreLoad(drv, d, path, limitMs, paused);
}

/* The record a restore of DEF runs in (lock held): the inactive domain of
 * the same name and uuid, or a new transient one (*ISNEW); referenced,
 * with the job taken. NULL with an error (DEF stays the caller's). */
static QemuDom *
restoreTarget(QemuDriver *drv, DomainDef *def, bool *isNew)
{
    QemuDom *d = qemuDomFindByName(drv, def->name);
    QemuDom *byUUID = qemuDomFindByUUID(drv, def->uuid);

    *isNew = false;
    if (d != byUUID) {
        reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' of the save image "
                    "clashes with domain '%s' by %s", def->name,
                    d ? d->def->name : byUUID->def->name, d ? "name" : "uuid");
        return NULL;
    }
    if (!d) {
        d = qemuDomAdd(drv, def, false);
        qemuDomRef(d);
        d->job = true;
        *isNew = true;
        return d;
    }
    qemuDomRef(d);
    if (qemuDomBeginJob(d) < 0) {
        qemuDomUnref(d);
        return NULL;
    }
    if (qemuDomIsActive(d)) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is already "
                    "running", d->def->name);
        qemuDomEndJob(d);
        qemuDomUnref(d);
        return NULL;
    }
    return d;
}

/* Restore from IMG (opened as FD) with DEF (taken). Lock not held. */
static int
restoreRun(QemuDriver *drv, DomainDef *def, int fd, const char *path,
           const QemuSaveImage *img, bool paused)
{
    QemuDom *d;
    bool isNew;
    int ret = -1;

    pthread_mutex_lock(&drv->lock);
    if (!(d = restoreTarget(drv, def, &isNew))) {
        domainDefFree(def);
        goto cleanup;
    }
    ret = restoreStart(drv, d, def, fd, path, img->dataLen, paused);
    if (ret < 0 && isNew && !d->removed)
        qemuDomRemove(drv, d);
    qemuDomEndJob(d);
    qemuDomUnref(d);
 cleanup:
    pthread_mutex_unlock(&drv->lock);
    return ret;
}

static int
restoreFile(virConnectPtr conn, const char *path, const char *dxml,
            unsigned int flags, const char *func)
{
    QemuSaveImage img;
    QemuSaveImageIO *io;
    DomainDef *def = NULL;
    char *xml = NULL;
    bool paused;
    int fd = -1, ret = -1;

    if (saveCheckFlags(flags, RESTORE_FLAGS, func) < 0 ||
        qemuSaveImageOpen(path, &img, &fd) < 0)
        return -1;
    /* the disk reads while QEMU starts */
    io = qemuSaveImageIOStart(fd, false, img.dataOffset, img.dataLen, false);
    xml = dxml ? qemuSaveImageReplaceXML(img.xml, dxml) : allocStrdup(img.xml);
    if (!xml || !(def = qemuSaveImageParse(xml)))
        goto cleanup;
    paused = (flags & VIR_DOMAIN_SAVE_PAUSED) ||
        (!img.running && !(flags & VIR_DOMAIN_SAVE_RUNNING));
    ret = restoreRun(conn->privateData, def, fd, path, &img, paused);
 cleanup:
    qemuSaveImageIOStop(io);
    if (ret == 0 && (flags & VIR_DOMAIN_SAVE_BYPASS_CACHE))
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    free(xml);
    qemuSaveImageClear(&img);
    return ret;
}

static int
qemuDomainRestoreFlags(virConnectPtr conn, const char *from, const char *dxml,
                       unsigned int flags)
{
    return restoreFile(conn, from, dxml, flags, __func__);
}

static int
qemuDomainRestore(virConnectPtr conn, const char *from)
{
    return restoreFile(conn, from, NULL, 0, __func__);
}

static int
qemuDomainRestoreParams(virConnectPtr conn, virTypedParameterPtr params,
                        int nparams, unsigned int flags)
{
    const char *file, *dxml;

    if (saveParams(params, nparams, &file, &dxml) < 0)
        return -1;
    if (!file) {
        reportError(VIR_ERR_INVALID_ARG, "parameter '%s' is required",
                    VIR_DOMAIN_SAVE_PARAM_FILE);
        return -1;
    }
    return restoreFile(conn, file, dxml, flags, __func__);
}

/* ---- save image XML ---- */

static int
saveSecureAllowed(virConnectPtr conn, unsigned int flags)
{
    if ((flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE) &&
        (conn->flags & VIR_CONNECT_RO)) {
        reportError(VIR_ERR_OPERATION_DENIED, "the secure XML of a save "
                    "image needs a read-write connection");
        return -1;
    }
    return 0;
}

/* The XML of image PATH for a client. */
static char *
saveImageXML(virConnectPtr conn, const char *path, unsigned int flags,
             const char *func)
{
    QemuSaveImage img;
    char *ret;

    if (saveCheckFlags(flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE, func) < 0 ||
        saveSecureAllowed(conn, flags) < 0 ||
        qemuSaveImageOpen(path, &img, NULL) < 0)
        return NULL;
    ret = qemuSaveImageShowXML(img.xml, flags);
    qemuSaveImageClear(&img);
    return ret;
}

/* Replace the XML of image PATH by DXML; FLAGS may change the state it
 * restores to. */
static int
saveImageDefine(const char *path, const char *dxml, unsigned int flags,
                const char *func)
{
    QemuSaveImage img;
    char *xml;
    int ret = -1;

    if (saveCheckFlags(flags, VIR_DOMAIN_SAVE_RUNNING |
                       VIR_DOMAIN_SAVE_PAUSED, func) < 0 ||
        qemuSaveImageOpen(path, &img, NULL) < 0)
        return -1;
    if ((xml = qemuSaveImageReplaceXML(img.xml, dxml)))
        ret = qemuSaveImageRewrite(path, &img, xml,
                                   (flags & VIR_DOMAIN_SAVE_RUNNING) ? true :
                                   (flags & VIR_DOMAIN_SAVE_PAUSED) ? false :
                                   img.running);
    free(xml);
    qemuSaveImageClear(&img);
    return ret;
}

static char *
qemuDomainSaveImageGetXMLDesc(virConnectPtr conn, const char *file,
                              unsigned int flags)
{
    return saveImageXML(conn, file, flags, __func__);
}

static int
qemuDomainSaveImageDefineXML(virConnectPtr conn, const char *file,
                             const char *dxml, unsigned int flags)
{
    return saveImageDefine(file, dxml, flags, __func__);
}

/* ---- managed save ---- */

/* ROOT/save/NAME.save of D (caller frees). */
static char *
managedPath(const QemuDom *d)
{
    return qemuStatePath(d->drv, "save", d->def->name, ".save");
}

bool
qemuSaveHasManaged(const QemuDom *d)
{
    char *path = managedPath(d);
    bool ret = access(path, F_OK) == 0;

    free(path);
    return ret;
}

/* Remove D's managed save image; none is fine. 0 or -1. */
static int
managedRemove(const QemuDom *d)
{
    char *path = managedPath(d);
    int ret = 0;

    if (unlink(path) < 0 && errno != ENOENT) {
        reportSystemError(errno, "cannot remove the managed save image '%s' "
                          "of domain '%s'", path, d->def->name);
        ret = -1;
    }
    free(path);
    return ret;
}

int
qemuSaveUndefine(QemuDom *d, unsigned int flags)
{
    if (!qemuSaveHasManaged(d))
        return 0;
    if (flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
        return managedRemove(d);
    reportError(VIR_ERR_OPERATION_INVALID, "refusing to undefine domain '%s' "
                "while it has a managed save image (use the managed save "
                "flag to remove it)", d->def->name);
    return -1;
}

int
qemuSaveStart(QemuDriver *drv, QemuDom *d, unsigned int flags)
{
    char *path = managedPath(d);
    QemuSaveImage img = { 0 };
    QemuSaveImageIO *io = NULL;
    DomainDef *def;
    int fd = -1, ret = -1;

    if (access(path, F_OK) != 0 || (flags & VIR_DOMAIN_START_FORCE_BOOT)) {
        if (managedRemove(d) == 0)
            ret = qemuProcessStart(drv, d, flags);
        goto cleanup;
    }
    if (qemuSaveImageOpen(path, &img, &fd) < 0)
        goto cleanup;
    io = qemuSaveImageIOStart(fd, false, img.dataOffset, img.dataLen, false);
    if (!(def = qemuSaveImageParse(img.xml)))
        goto cleanup;
    ret = restoreStart(drv, d, def, fd, path, img.dataLen,
                       (flags & VIR_DOMAIN_START_PAUSED) || !img.running);
    qemuSaveImageIOStop(io);
    io = NULL;
    if (ret == 0) {
        if (flags & VIR_DOMAIN_START_BYPASS_CACHE)
            posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        /* the guest runs on: the image is spent */
        if (managedRemove(d) < 0) {
            logDebug("qemu", "%s", errorLast()->message);
            errorReset();
        }
    }
 cleanup:
    qemuSaveImageIOStop(io);
    if (fd >= 0)
        close(fd);
    qemuSaveImageClear(&img);
    free(path);
    return ret;
}

/* DOM's record (locked) with a managed save image; NULL with an error. */
static QemuDom *
managedGet(virDomainPtr dom)
{
    QemuDom *d = qemuDomGet(dom);

    if (!d || qemuSaveHasManaged(d))
        return d;
    reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' has no managed save "
                "image", d->def->name);
    qemuDomRelease(d);
    return NULL;
}

static int
qemuDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret;

    if (saveCheckFlags(flags, 0, __func__) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    ret = qemuSaveHasManaged(d) ? 1 : 0;
    qemuDomRelease(d);
    return ret;
}

static int
qemuDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    int ret = -1;

    if (saveCheckFlags(flags, 0, __func__) < 0 || !(d = qemuDomGet(dom)))
        return -1;
    if (qemuDomBeginJob(d) == 0) {
        ret = managedRemove(d);
        qemuDomEndJob(d);
    }
    qemuDomRelease(d);
    return ret;
}

static char *
qemuDomainManagedSaveGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    QemuDom *d;
    char *path, *ret;

    if (saveCheckFlags(flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE,
                       __func__) < 0 ||
        saveSecureAllowed(dom->conn, flags) < 0 || !(d = managedGet(dom)))
        return NULL;
    path = managedPath(d);
    ret = saveImageXML(dom->conn, path, flags, __func__);
    free(path);
    qemuDomRelease(d);
    return ret;
}

static int
qemuDomainManagedSaveDefineXML(virDomainPtr dom, const char *dxml,
                               unsigned int flags)
{
    QemuDom *d;
    char *path;
    int ret = -1;

    if (!(d = managedGet(dom)))
        return -1;
    if (qemuDomBeginJob(d) == 0) {
        path = managedPath(d);
        ret = saveImageDefine(path, dxml, flags, __func__);
        free(path);
        qemuDomEndJob(d);
    }
    qemuDomRelease(d);
    return ret;
}

void
qemuSaveFill(Driver *drv)
{
    drv->domainSave = qemuDomainSave;
    drv->domainSaveFlags = qemuDomainSaveFlags;
    drv->domainSaveParams = qemuDomainSaveParams;
    drv->domainRestore = qemuDomainRestore;
    drv->domainRestoreFlags = qemuDomainRestoreFlags;
    drv->domainRestoreParams = qemuDomainRestoreParams;
    drv->domainSaveImageGetXMLDesc = qemuDomainSaveImageGetXMLDesc;
    drv->domainSaveImageDefineXML = qemuDomainSaveImageDefineXML;
    drv->domainManagedSave = qemuDomainManagedSave;
    drv->domainHasManagedSaveImage = qemuDomainHasManagedSaveImage;
    drv->domainManagedSaveRemove = qemuDomainManagedSaveRemove;
    drv->domainManagedSaveGetXMLDesc = qemuDomainManagedSaveGetXMLDesc;
    drv->domainManagedSaveDefineXML = qemuDomainManagedSaveDefineXML;
    qemuDumpFill(drv);
    qemuJobFill(drv);
}
