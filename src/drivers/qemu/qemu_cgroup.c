/* qemu_cgroup.c: the per-domain cgroups of the QEMU driver: find the
 * hierarchies (v1 per controller, or the v2 unified one), create a cgroup
 * for each QEMU at start, remove it at stop, read and write its files */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_tune.h"

#include "alloc.h"
#include "error.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

/*
 * Placement. v1: under the manager's own cgroup of each controller, in
 * OWN/vireo/NAME.PID (so QEMU stays inside whatever limits the manager
 * lives under). v2: the "no internal processes" rule forbids children with
 * controllers under a cgroup holding processes, so /vireo.slice/NAME.PID
 * under the root, as systemd hosts do with machine.slice. The PID suffix
 * keeps domains of the same name from different roots apart. A running
 * domain's cgroup is found from /proc/PID/cgroup, and accepted only when it
 * is one of ours.
 */

static const char *const cgNames[QEMU_CG_LAST] = {
    "cpu", "cpuacct", "cpuset", "memory", "blkio",
};
/* the v2 controller providing the same */
static const char *const cgNamesV2[QEMU_CG_LAST] = {
    "cpu", "cpu", "cpuset", "memory", "io",
};

typedef struct {
    char *v1[QEMU_CG_LAST];     /* v1 mount point per controller */
    char *v2;                   /* the cgroup2 mount point */
    char *v2Controllers;        /* its root cgroup.controllers */
} CgMounts;

static CgMounts cgMounts;
static pthread_once_t cgOnce = PTHREAD_ONCE_INIT;

static char *
cgReadFile(const char *path)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;
    size_t len = 0;
    ssize_t n;
    char *ret;

    if (!f)
        return NULL;
    n = getdelim(&buf, &len, '\0', f);
    fclose(f);
    if (n < 0) {
        free(buf);
        return allocStrdup("");
    }
    ret = allocStrdup(buf);
    free(buf);
    return ret;
}

/* True when comma-separated LIST holds WORD. */
static bool
cgListHas(const char *list, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = list; p && *p; ) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (len == n && strncmp(p, word, n) == 0)
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

/* True when whitespace-separated LIST holds WORD. */
static bool
cgWordsHave(const char *list, const char *word)
{
    char *copy = allocStrdup(list ? list : ""), *save = NULL, *tok;
    bool found = false;

    for (tok = strtok_r(copy, " \n", &save); tok && !found;
         tok = strtok_r(NULL, " \n", &save))
        found = strcmp(tok, word) == 0;
    free(copy);
    return found;
}

static void
cgDetect(void)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    char *line = NULL;
    size_t len = 0;

    if (!f)
        return;
    while (getline(&line, &len, f) > 0) {
        char mnt[512], fstype[64], opts[512];
        char *sep = strstr(line, " - ");

        if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
            sscanf(sep + 3, "%63s %*s %511s", fstype, opts) != 2)
            continue;
        if (strcmp(fstype, "cgroup2") == 0 && !cgMounts.v2) {
            char *p = allocPrintf("%s/cgroup.controllers", mnt);

            cgMounts.v2 = allocStrdup(mnt);
            cgMounts.v2Controllers = cgReadFile(p);
            free(p);
        } else if (strcmp(fstype, "cgroup") == 0) {
            for (int c = 0; c < QEMU_CG_LAST; c++) {
                if (!cgMounts.v1[c] && cgListHas(opts, cgNames[c]))
                    cgMounts.v1[c] = allocStrdup(mnt);
            }
        }
    }
    free(line);
    fclose(f);
}

const char *
qemuCgroupName(QemuCgController c)
{
    return cgNames[c];
}

/* Mount point of controller C and whether it is v2; NULL when the host
 * has it nowhere. */
static const char *
cgMount(QemuCgController c, bool *v2)
{
    pthread_once(&cgOnce, cgDetect);
    *v2 = false;
    if (cgMounts.v1[c])
        return cgMounts.v1[c];
    if (cgMounts.v2 && cgWordsHave(cgMounts.v2Controllers, cgNamesV2[c])) {
        *v2 = true;
        return cgMounts.v2;
    }
    return NULL;
}

/* The cgroup path of PID ("self" or a number) for controller C in
 * /proc/PID/cgroup (caller frees), NULL when not listed. */
static char *
cgPlacement(const char *pid, QemuCgController c, bool v2)
{
    char path[64], *line = NULL, *ret = NULL;
    size_t len = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
    if (!(f = fopen(path, "re")))
        return NULL;
    while (!ret && getline(&line, &len, f) > 0) {
        char *ctrls = strchr(line, ':'), *p;

        if (!ctrls || !(p = strchr(++ctrls, ':')))
            continue;
        *p++ = '\0';
        p[strcspn(p, "\n")] = '\0';
        if (v2 ? *ctrls == '\0' : cgListHas(ctrls, cgNames[c]))
            ret = allocStrdup(strcmp(p, "/") == 0 ? "" : p);
    }
    free(line);
    fclose(f);
    return ret;
}

static int
cgWrite(const char *dir, const char *file, const char *value)
{
    char *path = allocPrintf("%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    int ret = -1;

    if (fd >= 0 && write(fd, value, strlen(value)) == (ssize_t)strlen(value))
        ret = 0;
    if (ret < 0)
        logDebug("qemu", "cannot write '%s' to %s: %s", value, path,
                 strerror(errno));
    if (fd >= 0)
        close(fd);
    free(path);
    return ret;
}

/* A v1 cpuset cgroup takes no task before its cpus and mems are set:
 * copy them from the parent. */
static void
cgCpusetInit(const char *dir)
{
    static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };

    for (size_t i = 0; i < 2; i++) {
        char *own = allocPrintf("%s/%s", dir, files[i]);
        char *parent = allocPrintf("%s/../%s", dir, files[i]);
        char *cur = cgReadFile(own), *val = cgReadFile(parent);

        if (cur && val && strspn(cur, " \n") == strlen(cur))
            cgWrite(dir, files[i], val);
        free(own);
        free(parent);
        free(cur);
        free(val);
    }
}

static int
cgMkdir(const char *dir, QemuCgController c, bool v2)
{
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return -1;
    if (c == QEMU_CG_CPUSET && !v2)
        cgCpusetInit(dir);
    return 0;
}

/* The directory holding the domain cgroups of controller C (the parent of
 * NAME.PID), or NULL when C is not mounted. */
static char *
cgBase(QemuCgController c, bool *v2)
{
    const char *mnt = cgMount(c, v2);
    char *own, *ret;

    if (!mnt)
        return NULL;
    if (*v2)
        return allocPrintf("%s/vireo.slice", mnt);
    if (!(own = cgPlacement("self", c, false)))
        return NULL;
    ret = allocPrintf("%s%s/vireo", mnt, own);
    free(own);
    return ret;
}

/* A cgroup directory name for domain NAME: '/' and leading dots made
 * harmless. */
static char *
cgLeaf(const char *name, pid_t pid)
{
    char *leaf = allocPrintf("%s.%ld", name, (long)pid);

    for (char *p = leaf; *p; p++) {
        if (*p == '/' || *p == '\n')
            *p = '_';
    }
    if (leaf[0] == '.')
        leaf[0] = '_';
    return leaf;
}

/* rmdir DIR after its child groups (the per-thread ones); -1 with errno
 * of the last rmdir. */
static int
cgRemove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    while (d && (e = readdir(d))) {
        char *sub;

        if (e->d_type != DT_DIR || e->d_name[0] == '.')
            continue;
        sub = allocPrintf("%s/%s", dir, e->d_name);
        rmdir(sub);
        free(sub);
    }
    if (d)
        closedir(d);
    return rmdir(dir);
}

/* Remove empty leftovers NAME.PID of dead PIDs under BASE (a manager that
 * died before cleaning up). rmdir only ever removes empty cgroups. */
static void
cgSweep(const char *base)
{
    DIR *dir = opendir(base);
    struct dirent *e;

    if (!dir)
        return;
    while ((e = readdir(dir))) {
        const char *dot = strrchr(e->d_name, '.');
        char *end, *path;
        long pid;

        if (e->d_type != DT_DIR || !dot || e->d_name[0] == '.')
            continue;
        pid = strtol(dot + 1, &end, 10);
        if (*end || pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        path = allocPrintf("%s/%s", base, e->d_name);
        cgRemove(path);
        free(path);
    }
    closedir(dir);
}

/* v2: let the children of DIR use the controllers we want. */
static void
cgEnableV2(const char *dir)
{
    for (int c = 0; c < QEMU_CG_LAST; c++) {
        char word[32];

        if (c == QEMU_CG_CPUACCT)
            continue;
        snprintf(word, sizeof(word), "+%s", cgNamesV2[c]);
        cgWrite(dir, "cgroup.subtree_control", word);
    }
}

/* Remove what dead QEMUs left of ours under the placements next to the
 * manager's (a QEMU killed without its stop hook leaves NAME.PID, and an
 * empty vireo directory should not outlive its last domain): every
 * PARENT/x/vireo and OWN's own. rmdir only removes empty cgroups, so live
 * domains are safe. */
static void
cgSweepAll(QemuCgController c)
{
    bool v2;
    char *base = cgBase(c, &v2), *own = NULL, *parent = NULL, *slash;
    DIR *dir;
    struct dirent *e;

    if (!base)
        return;
    cgSweep(base);
    rmdir(base);
    /* v1: BASE is MNT/OWN/vireo; the neighbours are MNT/dirname(OWN)/x */
    if (v2 || !(own = cgPlacement("self", c, false)) ||
        !(slash = strrchr(own, '/')) || slash == own)
        goto cleanup;
    *slash = '\0';
    parent = allocPrintf("%s%s", cgMounts.v1[c], own);
    if (!(dir = opendir(parent)))
        goto cleanup;
    while ((e = readdir(dir))) {
        char *sub;

        if (e->d_type != DT_DIR || e->d_name[0] == '.')
            continue;
        sub = allocPrintf("%s/%s/vireo", parent, e->d_name);
        cgSweep(sub);
        rmdir(sub);
        free(sub);
    }
    closedir(dir);
 cleanup:
    free(own);
    free(parent);
    free(base);
}

/* Put PID into a new cgroup of controller C; 0 or -1 (errno kept). */
static int
cgPlace(QemuCgController c, const char *name, pid_t pid)
{
    bool v2;
    char *base = cgBase(c, &v2), *leaf = NULL, *dir = NULL;
    char num[32];
    int ret = -1;

    if (!base) {
        errno = ENOENT;
        return -1;
    }
    if (v2)
        cgEnableV2(cgMounts.v2);
    leaf = cgLeaf(name, pid);
    dir = allocPrintf("%s/%s", base, leaf);
    /* another manager's sweep may remove an empty BASE in between */
    for (int i = 0; i < 3; i++) {
        if (cgMkdir(base, c, v2) < 0)
            goto cleanup;
        if (v2)
            cgEnableV2(base);
        if (cgMkdir(dir, c, v2) == 0)
            break;
        if (errno != ENOENT || i == 2)
            goto cleanup;
    }
    snprintf(num, sizeof(num), "%ld", (long)pid);
    ret = cgWrite(dir, "cgroup.procs", num);
 cleanup:
    free(base);
    free(leaf);
    free(dir);
    return ret;
}

void
qemuCgroupStart(const char *name, pid_t pid)
{
    bool placedV2 = false;

    for (int c = 0; c < QEMU_CG_LAST; c++) {
        bool v2;

        /* leftovers of dead QEMUs are swept when a domain stops, not here:
         * a start should cost only its own cgroup */
        if (!cgMount(c, &v2) || (v2 && placedV2))
            continue;
        if (cgPlace(c, name, pid) < 0) {
            logDebug("qemu", "domain '%s' runs outside a %s cgroup: %s",
                     name, cgNames[c], strerror(errno));
            continue;
        }
        placedV2 = v2;
    }
}

void
qemuCgroupStop(const char *name, pid_t pid)
{
    char *leaf = cgLeaf(name, pid);

    for (int c = 0; c < QEMU_CG_LAST; c++) {
        bool v2;
        char *base = cgBase(c, &v2), *dir;

        if (!base)
            continue;
        dir = allocPrintf("%s/%s", base, leaf);
        /* the exiting QEMU may take a moment to leave the cgroup */
        for (int i = 0; i < 50 && cgRemove(dir) < 0 && errno == EBUSY; i++)
            usleep(10000);
        free(dir);
        free(base);
        cgSweepAll(c);
    }
    free(leaf);
}

struct QemuCgroup {
    char *dir;
    bool v2;
    QemuCgController c;
};

/* True for the name of a per-thread child group: vcpuN, iothreadN,
 * emulator. */
static bool
cgThreadLeaf(const char *leaf)
{
    const char *digits = NULL;

    if (strcmp(leaf, "emulator") == 0)
        return true;
    if (strncmp(leaf, "vcpu", 4) == 0)
        digits = leaf + 4;
    else if (strncmp(leaf, "iothread", 8) == 0)
        digits = leaf + 8;
    return digits && *digits && strspn(digits, "0123456789") == strlen(digits);
}

QemuCgroup *
qemuCgroupOpen(const char *name, pid_t pid, QemuCgController c)
{
    bool v2;
    const char *mnt = cgMount(c, &v2);
    char num[32], *place = NULL, *want = NULL, *slash;
    QemuCgroup *cg = NULL;

    if (!mnt) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "the host has no '%s' "
                    "cgroup controller mounted", cgNames[c]);
        return NULL;
    }
    snprintf(num, sizeof(num), "%ld", (long)pid);
    want = cgLeaf(name, pid);
    place = cgPlacement(num, c, v2);
    slash = place ? strrchr(place, '/') : NULL;
    /* QEMU's main thread may sit in the domain's emulator group */
    if (slash && cgThreadLeaf(slash + 1)) {
        *slash = '\0';
        slash = strrchr(place, '/');
    }
    /* ours: .../vireo/NAME.PID (v1) or /vireo.slice/NAME.PID (v2) */
    if (!slash || strcmp(slash + 1, want) != 0 || slash - place < 6 ||
        (strncmp(slash - 6, "/vireo", 6) != 0 &&
         (slash - place < 12 || strncmp(slash - 12, "/vireo.slice", 12)))) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "domain '%s' has no %s "
                    "cgroup of its own (cgroups were not writable when it "
                    "started, see the debug log)", name, cgNames[c]);
        goto cleanup;
    }
    ALLOC(cg);
    cg->dir = allocPrintf("%s%s", mnt, place);
    cg->v2 = v2;
    cg->c = c;
 cleanup:
    free(place);
    free(want);
    return cg;
}

void
qemuCgroupFree(QemuCgroup *cg)
{
    if (!cg)
        return;
    free(cg->dir);
    free(cg);
}

bool
qemuCgroupIsV2(const QemuCgroup *cg)
{
    return cg->v2;
}

const char *
qemuCgroupDir(const QemuCgroup *cg)
{
    return cg->dir;
}

bool
qemuCgroupHas(const QemuCgroup *cg, const char *file)
{
    char *path = allocPrintf("%s/%s", cg->dir, file);
    bool ret = access(path, F_OK) == 0;

    free(path);
    return ret;
}

static int
cgMissing(const QemuCgroup *cg, const char *file)
{
    reportError(VIR_ERR_OPERATION_UNSUPPORTED, "the host kernel has no "
                "cgroup file '%s' (in %s)", file, cg->dir);
    return -1;
}

char *
qemuCgroupRead(const QemuCgroup *cg, const char *file)
{
    char *path = allocPrintf("%s/%s", cg->dir, file);
    char *ret = cgReadFile(path);

    if (!ret) {
        if (errno == ENOENT)
            cgMissing(cg, file);
        else
            reportSystemError(errno, "cannot read cgroup file '%s'", path);
    }
    free(path);
    return ret;
}

int
qemuCgroupReadULL(const QemuCgroup *cg, const char *file,
                  unsigned long long *value)
{
    char *s = qemuCgroupRead(cg, file), *end;
    int ret = -1;

    if (!s)
        return -1;
    errno = 0;
    if (strncmp(s, "max", 3) == 0) {
        *value = QEMU_CG_UNLIMITED;
        ret = 0;
    } else {
        *value = strtoull(s, &end, 10);
        if (!errno && end != s)
            ret = 0;
        else
            reportError(VIR_ERR_INTERNAL_ERROR, "cannot parse '%s' of "
                        "cgroup file '%s/%s'", s, cg->dir, file);
    }
    free(s);
    return ret;
}

int
qemuCgroupWrite(const QemuCgroup *cg, const char *file, const char *fmt, ...)
{
    char *path = allocPrintf("%s/%s", cg->dir, file);
    char *value;
    va_list ap;
    int fd, ret = -1;

    va_start(ap, fmt);
    value = allocVPrintf(fmt, ap);
    va_end(ap);
    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
        if (errno == ENOENT)
            cgMissing(cg, file);
        else
            reportSystemError(errno, "cannot open cgroup file '%s'", path);
        goto cleanup;
    }
    if (write(fd, value, strlen(value)) != (ssize_t)strlen(value)) {
        if (errno == EINVAL || errno == ERANGE)
            reportError(VIR_ERR_INVALID_ARG, "the kernel refused '%s' for "
                        "cgroup file '%s': %s", value, path, strerror(errno));
        else
            reportSystemError(errno, "cannot write '%s' to cgroup file '%s'",
                              value, path);
        goto cleanup;
    }
    ret = 0;
 cleanup:
    if (fd >= 0)
        close(fd);
    free(path);
    free(value);
    return ret;
}

QemuCgroup *
qemuCgroupChild(const QemuCgroup *cg, const char *leaf, bool create)
{
    char *dir = allocPrintf("%s/%s", cg->dir, leaf);
    QemuCgroup *child;
    bool cpuset;

    if (!create && access(dir, F_OK) < 0) {
        free(dir);
        return NULL;
    }
    if (create && mkdir(dir, 0755) < 0 && errno != EEXIST) {
        reportSystemError(errno, "cannot create cgroup '%s'", dir);
        free(dir);
        return NULL;
    }
    ALLOC(child);
    child->dir = dir;
    child->v2 = cg->v2;
    child->c = cg->c;
    if (!create)
        return child;
    /* v1: a cpuset co-mounted with the controller needs cpus and mems
     * before it takes a thread; v2: threads of one process may only be
     * spread over "threaded" groups, and the parent hands them the cpu
     * controller once they are */
    pthread_once(&cgOnce, cgDetect);
    cpuset = !cg->v2 && cgMounts.v1[QEMU_CG_CPUSET] && cgMounts.v1[cg->c] &&
        strcmp(cgMounts.v1[QEMU_CG_CPUSET], cgMounts.v1[cg->c]) == 0;
    if (cpuset)
        cgCpusetInit(dir);
    if (cg->v2 && (qemuCgroupWrite(child, "cgroup.type", "threaded") < 0 ||
                   qemuCgroupWrite(cg, "cgroup.subtree_control", "+%s",
                                   cgNamesV2[cg->c]) < 0)) {
        qemuCgroupFree(child);
        return NULL;
    }
    return child;
}

/* True when thread TID of PID already sits in CG: a move costs the
 * kernel an RCU grace period (about a millisecond) even when it changes
 * nothing. */
static bool
cgHoldsThread(const QemuCgroup *cg, pid_t pid, pid_t tid)
{
    char id[64], *place;
    bool v2;
    const char *mnt = cgMount(cg->c, &v2);
    bool ret;

    snprintf(id, sizeof(id), "%ld/task/%ld", (long)pid, (long)tid);
    if (!mnt || !(place = cgPlacement(id, cg->c, v2)))
        return false;
    ret = strncmp(cg->dir, mnt, strlen(mnt)) == 0 &&
        strcmp(cg->dir + strlen(mnt), place) == 0;
    free(place);
    return ret;
}

int
qemuCgroupAddThread(const QemuCgroup *cg, pid_t pid, pid_t tid, bool all)
{
    const char *file = all && !cg->v2 ? "cgroup.procs" :
        cg->v2 ? "cgroup.threads" : "tasks";
    char *path;
    char num[32];
    int fd, ret = 0;

    if (!all && cgHoldsThread(cg, pid, tid))
        return 0;
    path = allocPrintf("%s/%s", cg->dir, file);
    snprintf(num, sizeof(num), "%ld", (long)tid);
    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 ||
        write(fd, num, strlen(num)) != (ssize_t)strlen(num)) {
        /* a thread that ended meanwhile needs no group */
        if (errno != ESRCH) {
            reportSystemError(errno, "cannot move thread %ld into cgroup "
                              "'%s'", (long)tid, cg->dir);
            ret = -1;
        }
    }
    if (fd >= 0)
        close(fd);
    free(path);
    return ret;
}
