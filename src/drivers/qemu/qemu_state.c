/* qemu_state.c: the QEMU driver's files under its root: lock, definitions,
 * live status, autostart marks, domain ids; every write is atomic */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "log.h"
#include "xtree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const qemuStateDirs[] = {
    "config", "run", "save", "snapshot", "log", "autostart", NULL
};

/* mkdir -p for an absolute PATH. 0 or -1 with an error set. */
static int
qemuStateMkdirs(const char *path)
{
    char *copy = allocStrdup(path);
    int ret = -1;

    for (char *p = copy + 1; ; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char save = *p;

        *p = '\0';
        if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
            reportSystemError(errno, "cannot create directory '%s'", copy);
            goto cleanup;
        }
        *p = save;
        if (!save)
            break;
    }
    ret = 0;
 cleanup:
    free(copy);
    return ret;
}

/* The whole content of PATH (caller frees), or NULL with errno set. */
static char *
qemuStateReadFile(const char *path)
{
    FILE *f = fopen(path, "re");
    Buf b = { 0 };
    char chunk[4096];
    size_t n;

    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        bufAddN(&b, chunk, n);
    fclose(f);
    return bufTake(&b);
}

int
qemuStateLockRoot(const char *root, int *lockfd)
{
    char *path = NULL;
    char *dir = NULL;
    char pidbuf[32];
    int fd = -1;
    int ret = -1;

    if (qemuStateMkdirs(root) < 0)
        return -1;
    for (size_t i = 0; qemuStateDirs[i]; i++) {
        dir = allocPrintf("%s/%s", root, qemuStateDirs[i]);
        if (qemuStateMkdirs(dir) < 0)
            goto cleanup;
        FREE(dir);
    }
    path = allocPrintf("%s/root.lock", root);
    if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        reportSystemError(errno, "cannot open lock file '%s'", path);
        goto cleanup;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        char *holder = qemuStateReadFile(path);
        long pid = holder ? strtol(holder, NULL, 10) : 0;

        free(holder);
        if (errno == EWOULDBLOCK || errno == EAGAIN || pid > 0)
            reportError(VIR_ERR_OPERATION_FAILED,
                        "QEMU root '%s' is in use by process %ld", root, pid);
        else
            reportSystemError(errno, "cannot lock '%s'", path);
        goto cleanup;
    }
    snprintf(pidbuf, sizeof(pidbuf), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) < 0 ||
        pwrite(fd, pidbuf, strlen(pidbuf), 0) != (ssize_t)strlen(pidbuf)) {
        reportSystemError(errno, "cannot write lock file '%s'", path);
        goto cleanup;
    }
    *lockfd = fd;
    fd = -1;
    ret = 0;
 cleanup:
    if (fd >= 0)
        close(fd);
    free(path);
    free(dir);
    return ret;
}

/* Replace PATH by a file holding DATA (temporary file, rename); DURABLE
 * also waits until both are on the disk. 0 or -1 with an error set. */
static int
stateWrite(const char *path, const char *data, bool durable)
{
    char *tmp = allocPrintf("%s.tmp.%ld", path, (long)getpid());
    char *dircopy = allocStrdup(path);
    size_t len = strlen(data);
    size_t done = 0;
    int fd = -1;
    int ret = -1;

    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
        reportSystemError(errno, "cannot create '%s'", tmp);
        goto cleanup;
    }
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            reportSystemError(errno, "cannot write '%s'", tmp);
            goto cleanup;
        }
        done += (size_t)n;
    }
    if ((durable && fsync(fd) < 0) || close(fd) < 0) {
        fd = -1;
        reportSystemError(errno, "cannot write '%s'", tmp);
        goto cleanup;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        reportSystemError(errno, "cannot rename '%s' to '%s'", tmp, path);
        goto cleanup;
    }
    /* The rename itself must reach the disk too. */
    if (durable &&
        (fd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
        fsync(fd);
    ret = 0;
 cleanup:
    if (fd >= 0)
        close(fd);
    if (ret < 0)
        unlink(tmp);
    free(tmp);
    free(dircopy);
    return ret;
}

int
qemuStateWriteFile(const char *path, const char *data)
{
    return stateWrite(path, data, true);
}

char *
qemuStatePath(QemuDriver *drv, const char *dir, const char *name,
              const char *ext)
{
    return allocPrintf("%s/%s/%s%s", drv->root, dir, name, ext);
}

int
qemuStateSaveConfig(QemuDriver *drv, const DomainDef *def)
{
    char *path = qemuStatePath(drv, "config", def->name, ".xml");
    char *xml = domainDefFormat(def, VIR_DOMAIN_XML_INACTIVE |
                                VIR_DOMAIN_XML_SECURE);
    int ret = qemuStateWriteFile(path, xml);

    free(path);
    free(xml);
    return ret;
}

/* Remove PATH; a missing file is fine. 0 or -1 with an error set. */
static int
qemuStateUnlink(const char *path)
{
    if (unlink(path) < 0 && errno != ENOENT) {
        reportSystemError(errno, "cannot remove '%s'", path);
        return -1;
    }
    return 0;
}

int
qemuStateDeleteConfig(QemuDriver *drv, const char *name)
{
    char *path = qemuStatePath(drv, "config", name, ".xml");
    int ret = qemuStateUnlink(path);

    free(path);
    path = qemuStatePath(drv, "run", name, ".last");
    unlink(path);
    free(path);
    if (ret == 0)
        ret = qemuStateSetAutostart(drv, name, false);
    return ret;
}

int
qemuStateSetAutostart(QemuDriver *drv, const char *name, bool on)
{
    char *path = qemuStatePath(drv, "autostart", name, "");
    int ret = on ? qemuStateWriteFile(path, "") : qemuStateUnlink(path);

    free(path);
    return ret;
}

int
qemuStateSaveStatus(QemuDriver *drv, QemuDom *d)
{
    return qemuStateSaveStatusDef(drv, d, d->def);
}

int
qemuStateSaveStatusDef(QemuDriver *drv, QemuDom *d, const DomainDef *def)
{
    char *path = qemuStatePath(drv, "run", def->name, ".xml");
    char *xml = domainDefFormat(def, VIR_DOMAIN_XML_SECURE);
    Buf b = { 0 };
    int ret;

    bufPrintf(&b, "<domstatus state='%d' reason='%d' pid='%ld' "
              "procstart='%llu' updated='%d' shutdown='%d' "
              "guestshutdown='%d' destroying='%d'>\n",
              d->state, d->reason, (long)d->pid, d->procStart, d->updated,
              d->gotShutdown, d->shutdownGuest, d->destroying);
    bufAdd(&b, xml);
    bufAdd(&b, "</domstatus>\n");
    free(xml);
    xml = bufTake(&b);
    /* not synced: it describes QEMU processes, which a host crash ends;
     * a crash of ours leaves the page cache (and the file) intact. Its
     * fsyncs cost a start or restore milliseconds, more when the disk is
     * busy (a restore reading its image: tens) */
    ret = stateWrite(path, xml, false);
    free(xml);
    free(path);
    return ret;
}

int
qemuStateSaveLastState(QemuDriver *drv, const char *name, int reason)
{
    char *path = qemuStatePath(drv, "run", name, ".last");
    char buf[32];
    int ret;

    snprintf(buf, sizeof(buf), "%d\n", reason);
    ret = qemuStateWriteFile(path, buf);
    free(path);
    return ret;
}

void
qemuStateDeleteStatus(QemuDriver *drv, const char *name)
{
    char *path = qemuStatePath(drv, "run", name, ".xml");

    if (unlink(path) < 0 && errno != ENOENT)
        logDebug("qemu", "cannot remove '%s': %s", path, strerror(errno));
    free(path);
    path = qemuStatePath(drv, "run", name, ".pid");
    unlink(path);
    free(path);
    path = qemuStatePath(drv, "run", name, ".last");
    unlink(path);
    free(path);
}

int
qemuStateSaveNextId(QemuDriver *drv)
{
    char *path = allocPrintf("%s/domain-id", drv->root);
    char buf[32];
    int ret;

    snprintf(buf, sizeof(buf), "%d\n", drv->nextId);
    /* ids only need to be unique while QEMUs of ours live */
    ret = stateWrite(path, buf, false);
    free(path);
    return ret;
}

/* The definition stored in config/FILE, or NULL (logged, skipped). */
static DomainDef *
qemuStateLoadConfig(QemuDriver *drv, const char *file)
{
    char *path = allocPrintf("%s/config/%s", drv->root, file);
    char *xml = qemuStateReadFile(path);
    DomainDef *def = NULL;

    if (!xml || !(def = domainDefParse(xml, 0)))
        logDebug("qemu", "skipping unreadable definition '%s'", path);
    else if (strlen(def->name) + 4 != strlen(file) ||
             strncmp(def->name, file, strlen(def->name)) != 0) {
        logDebug("qemu", "skipping '%s': it defines '%s'", path, def->name);
        domainDefFree(def);
        def = NULL;
    }
    errorReset();
    free(xml);
    free(path);
    return def;
}

/* Read one integer attribute of NODE (0 when absent). */
static long long
qemuStateAttrInt(XNode *node, const char *name)
{
    const char *v = xtreeAttr(node, name);

    return v ? strtoll(v, NULL, 10) : 0;
}

/* Apply the live status in run/FILE to DRV: the running domain's record.
 * A broken file is logged and removed. */
static void
qemuStateLoadStatus(QemuDriver *drv, const char *file)
{
    char *path = allocPrintf("%s/run/%s", drv->root, file);
    char *xml = qemuStateReadFile(path);
    XNode *root = NULL;
    DomainDef *def = NULL;
    const char *start, *end;
    char *inner = NULL;
    QemuDom *d;

    if (!xml || !(root = xtreeParse(xml, VIR_FROM_QEMU)) ||
        strcmp(root->name, "domstatus") != 0 ||
        !(start = strstr(xml, "\n<domain")) ||
        !(end = strstr(start, "</domstatus>")))
        goto bad;
    inner = allocStrndup(start + 1, (size_t)(end - start - 1));
    if (!(def = domainDefParse(inner, DOMAIN_PARSE_LIVE)))
        goto bad;
    if ((d = qemuDomFindByName(drv, def->name))) {
        d->newDef = d->def;
        d->def = def;
    } else {
        d = qemuDomAdd(drv, def, false);
    }
    def = NULL;
    d->state = (int)qemuStateAttrInt(root, "state");
    d->reason = (int)qemuStateAttrInt(root, "reason");
    d->pid = (pid_t)qemuStateAttrInt(root, "pid");
    d->procStart = (unsigned long long)qemuStateAttrInt(root, "procstart");
    d->updated = qemuStateAttrInt(root, "updated") != 0;
    d->gotShutdown = qemuStateAttrInt(root, "shutdown") != 0;
    d->shutdownGuest = qemuStateAttrInt(root, "guestshutdown") != 0;
    d->destroying = qemuStateAttrInt(root, "destroying") != 0;
    if (d->def->id >= drv->nextId)
        drv->nextId = d->def->id + 1;
    goto cleanup;

 bad:
    logDebug("qemu", "removing unreadable live status '%s'", path);
    unlink(path);
 cleanup:
    errorReset();
    domainDefFree(def);
    xtreeFree(root);
    free(inner);
    free(xml);
    free(path);
}

/* True when NAME ends with SUFFIX and is more than it. */
static bool
qemuStateHasSuffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);

    return n > s && strcmp(name + n - s, suffix) == 0;
}

/* Call FN(DRV, FILE) for each FILE in ROOT/DIR ending with ".xml"; stale
 * temporary files of an interrupted write are removed. */
static void
qemuStateEachXml(QemuDriver *drv, const char *dir,
                 void (*fn)(QemuDriver *drv, const char *file))
{
    char *path = allocPrintf("%s/%s", drv->root, dir);
    DIR *dh = opendir(path);
    struct dirent *ent;

    while (dh && (ent = readdir(dh))) {
        if (strstr(ent->d_name, ".xml.tmp.")) {
            char *tmp = allocPrintf("%s/%s", path, ent->d_name);

            unlink(tmp);
            free(tmp);
        } else if (qemuStateHasSuffix(ent->d_name, ".xml")) {
            fn(drv, ent->d_name);
        }
    }
    if (dh)
        closedir(dh);
    free(path);
}

static void
qemuStateAddConfig(QemuDriver *drv, const char *file)
{
    DomainDef *def = qemuStateLoadConfig(drv, file);
    char *mark, *last;
    QemuDom *d;

    if (!def)
        return;
    if (qemuDomFindByName(drv, def->name) ||
        qemuDomFindByUUID(drv, def->uuid)) {
        logDebug("qemu", "skipping duplicate definition '%s'", file);
        domainDefFree(def);
        return;
    }
    d = qemuDomAdd(drv, def, true);
    mark = qemuStatePath(drv, "autostart", d->def->name, "");
    d->autostart = access(mark, F_OK) == 0;
    free(mark);
    /* why it stopped last time */
    mark = qemuStatePath(drv, "run", d->def->name, ".last");
    if ((last = qemuStateReadFile(mark))) {
        d->reason = atoi(last);
        if (d->reason < 0 || d->reason >= VIR_DOMAIN_SHUTOFF_LAST)
            d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
        free(last);
    }
    free(mark);
}

int
qemuStateLoadAll(QemuDriver *drv)
{
    char *path = allocPrintf("%s/domain-id", drv->root);
    char *idtext = qemuStateReadFile(path);

    drv->nextId = idtext ? atoi(idtext) : 1;
    if (drv->nextId < 1)
        drv->nextId = 1;
    free(idtext);
    free(path);
    qemuStateEachXml(drv, "config", qemuStateAddConfig);
    qemuStateEachXml(drv, "run", qemuStateLoadStatus);
    return 0;
}
