/* qemu_snapshot_disk.c: what snapshots need from disks and QEMU: running
 * qemu-img, the node names of a running domain's disks, waiting for QMP
 * jobs, external snapshots through QMP */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_snapshot.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define QEMU_SNAP_JOB_MS (10 * 60 * 1000)   /* snapshot-save of big RAM */
#define QEMU_SNAP_IMG_MS (5 * 60 * 1000)    /* one qemu-img run */

/* Read OUTFD and ERRFD to their end into OUT and ERR (or give up after
 * QEMU_SNAP_IMG_MS). 0, or -1 on timeout. */
static int
qemuSnapImgDrain(int outfd, int errfd, Buf *out, Buf *err)
{
    struct pollfd p[2] = { { outfd, POLLIN, 0 }, { errfd, POLLIN, 0 } };
    int open = 2;
    int waited = 0;

    while (open > 0) {
        int r = poll(p, 2, 1000);

        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && (waited += 1000) >= QEMU_SNAP_IMG_MS)
            return -1;
        for (int i = 0; i < 2; i++) {
            char chunk[4096];
            ssize_t n;

            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            n = read(p[i].fd, chunk, sizeof(chunk));
            if (n > 0) {
                bufAddN(i == 0 ? out : err, chunk, (size_t)n);
            } else if (n == 0 || errno != EINTR) {
                p[i].fd = -1;
                open--;
            }
        }
    }
    return 0;
}

/* The command line of ARGV for messages (caller frees). */
static char *
qemuSnapImgLine(const char *const *argv)
{
    Buf b = { 0 };

    bufAdd(&b, "qemu-img");
    for (size_t i = 0; argv[i]; i++)
        bufPrintf(&b, " %s", argv[i]);
    return bufTake(&b);
}

/* Spawn qemu-img with its output on pipes. The pid, or -1 with an error. */
static pid_t
qemuSnapImgSpawn(const char *const *argv, int outp[2], int errp[2])
{
    posix_spawn_file_actions_t fa;
    size_t n = 0;
    char **args;
    pid_t pid = -1;
    int rc;

    while (argv[n])
        n++;
    args = allocArray(n + 2, sizeof(*args));
    args[0] = (char *)"qemu-img";
    for (size_t i = 0; i < n; i++)
        args[i + 1] = (char *)argv[i];
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, outp[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, errp[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
                                     O_RDONLY, 0);
    rc = posix_spawnp(&pid, "qemu-img", &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(args);
    if (rc != 0) {
        reportSystemError(rc, "cannot run qemu-img");
        return -1;
    }
    return pid;
}

int
qemuSnapImg(const char *const *argv, char **out)
{
    int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
    Buf o = { 0 }, e = { 0 };
    char *line = qemuSnapImgLine(argv);
    int status = 0, ret = -1;
    pid_t pid = -1;

    if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
        reportSystemError(errno, "cannot create a pipe for qemu-img");
        goto cleanup;
    }
    logDebug("qemu", "running %s", line);
    if ((pid = qemuSnapImgSpawn(argv, outp, errp)) < 0)
        goto cleanup;
    close(outp[1]);
    close(errp[1]);
    outp[1] = errp[1] = -1;
    if (qemuSnapImgDrain(outp[0], errp[0], &o, &e) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        reportError(VIR_ERR_OPERATION_TIMEOUT, "'%s' did not finish within "
                    "%d s", line, QEMU_SNAP_IMG_MS / 1000);
        goto cleanup;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *msg = bufTake(&e);
        size_t len = strlen(msg);

        while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
            msg[--len] = '\0';
        reportError(VIR_ERR_OPERATION_FAILED, "'%s' failed: %s", line,
                    *msg ? msg : "no message");
        free(msg);
        goto cleanup;
    }
    if (out)
        *out = bufTake(&o);
    ret = 0;
 cleanup:
    for (int i = 0; i < 2; i++) {
        if (outp[i] >= 0)
            close(outp[i]);
        if (errp[i] >= 0)
            close(errp[i]);
    }
    bufFree(&o);
    bufFree(&e);
    free(line);
    return ret;
}

int
qemuSnapImgHasTag(const char *path, const char *tag)
{
    const char *argv[] = { "info", "--output=json", "-U", path, NULL };
    json_object *info = NULL, *list;
    char *out = NULL;
    int ret = -1;

    if (qemuSnapImg(argv, &out) < 0)
        return -1;
    if (!(info = json_tokener_parse(out))) {
        reportError(VIR_ERR_INTERNAL_ERROR, "unreadable 'qemu-img info' "
                    "output for '%s'", path);
        goto cleanup;
    }
    ret = 0;
    if (!json_object_object_get_ex(info, "snapshots", &list) ||
        !json_object_is_type(list, json_type_array))
        goto cleanup;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *name;
        json_object *o = json_object_array_get_idx(list, i);

        if (json_object_object_get_ex(o, "name", &name) &&
            strcmp(json_object_get_string(name), tag) == 0)
            ret = 1;
    }
 cleanup:
    json_object_put(info);
    free(out);
    return ret;
}

char **
qemuSnapImgChain(const char *path, char ***formats)
{
    const char *argv[] = { "info", "--output=json", "--backing-chain", "-U",
                           path, NULL };
    json_object *list = NULL;
    char *out = NULL, **files = NULL;
    size_t n = 0;

    *formats = NULL;
    if (qemuSnapImg(argv, &out) < 0)
        return NULL;
    if (!(list = json_tokener_parse(out)) ||
        !json_object_is_type(list, json_type_array)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "unreadable 'qemu-img info "
                    "--backing-chain' output for '%s'", path);
        goto cleanup;
    }
    n = json_object_array_length(list);
    files = allocArray(n + 1, sizeof(*files));
    *formats = allocArray(n + 1, sizeof(**formats));
    for (size_t i = 0; i < n; i++) {
        json_object *img = json_object_array_get_idx(list, i);
        json_object *f = json_object_object_get(img, "filename");
        json_object *fmt = json_object_object_get(img, "format");

        files[i] = allocStrdup(f ? json_object_get_string(f) : "");
        (*formats)[i] = allocStrdup(fmt ? json_object_get_string(fmt)
                                        : "raw");
    }
 cleanup:
    json_object_put(list);
    free(out);
    return files;
}

bool
qemuSnapDiskWritable(const DiskDef *disk)
{
    return disk->device == DISK_DEVICE_DISK && !disk->readonly &&
           disk->hasSource && disk->srcPath;
}

int
qemuSnapCheckQcow2(const DomainDef *def, const char *what)
{
    size_t n = 0;

    for (size_t i = 0; i < def->ndisks; i++) {
        const DiskDef *disk = def->disks[i];
        const char *fmt = disk->driverType ? disk->driverType : "raw";

        if (!qemuSnapDiskWritable(disk))
            continue;
        if (strcmp(fmt, "qcow2") != 0) {
            reportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s of domain '%s' "
                        "needs qcow2 disks: disk '%s' is '%s'", what,
                        def->name, disk->dst, fmt);
            return -1;
        }
        n++;
    }
    if (n == 0) {
        reportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s of domain '%s' needs "
                    "a writable qcow2 disk: it has none", what, def->name);
        return -1;
    }
    return 0;
}

/* Whether QEMU's qdev name QDEV (an id or a QOM path) is device ALIAS. */
static bool
qemuSnapQdevIs(const char *qdev, const char *alias)
{
    size_t len = strlen(alias);
    const char *p;

    if (!qdev || !alias)
        return false;
    if (strcmp(qdev, alias) == 0)
        return true;
    for (p = strstr(qdev, alias); p; p = strstr(p + 1, alias)) {
        if (p > qdev && p[-1] == '/' && (p[len] == '/' || p[len] == '\0'))
            return true;
    }
    return false;
}

char **
qemuSnapNodeNames(Qmp *mon, const DomainDef *def)
{
    QmpBlockInfo *devs = NULL;
    int n = qmpQueryBlock(mon, &devs);
    char **names = allocArray(def->ndisks + 1, sizeof(*names));
    size_t k = 0;

    if (n < 0) {
        free(names);
        return NULL;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const DiskDef *disk = def->disks[i];
        int j;

        if (!qemuSnapDiskWritable(disk))
            continue;
        for (j = 0; j < n; j++)
            if (devs[j].inserted && devs[j].nodeName &&
                qemuSnapQdevIs(devs[j].qdev, disk->info.alias))
                break;
        if (j == n) {
            reportError(VIR_ERR_OPERATION_FAILED, "QEMU of domain '%s' has no "
                        "block node for disk '%s'", def->name, disk->dst);
            qmpStringListFree(names);
            names = NULL;
            break;
        }
        names[k++] = allocStrdup(devs[j].nodeName);
    }
    qmpBlockInfoListFree(devs, n);
    return names;
}

/* Find JOBID in QEMU's jobs: *STATUS its status, *ERR its error (caller
 * frees both). 0, or -1 with an error (also when the job vanished). */
static int
qemuSnapJobPoll(Qmp *mon, const char *jobId, char **status, char **err)
{
    QmpJob *jobs = NULL;
    int n = qmpQueryJobs(mon, &jobs);
    int ret = -1;

    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        if (strcmp(jobs[i].id, jobId) != 0)
            continue;
        *status = allocStrdup(jobs[i].status);
        *err = allocStrdup(jobs[i].error);
        ret = 0;
    }
    if (ret < 0)
        reportError(VIR_ERR_OPERATION_FAILED, "QEMU job '%s' disappeared",
                    jobId);
    qmpJobListFree(jobs, n);
    return ret;
}

int
qemuSnapJobWaitFor(Qmp *mon, const char *jobId, const char *what,
                   bool ready)
{
    char *status = NULL, *err = NULL;
    int waited = 0;

    for (;;) {
        FREE(status);
        FREE(err);
        if (qemuSnapJobPoll(mon, jobId, &status, &err) < 0)
            return -1;
        if (strcmp(status, "concluded") == 0 || strcmp(status, "null") == 0)
            break;
        if (ready && strcmp(status, "ready") == 0) {
            free(status);
            free(err);
            return 0;
        }
        if (waited >= QEMU_SNAP_JOB_MS) {
            qmpJobCancel(mon, jobId);
            errorReset();
            reportError(VIR_ERR_OPERATION_TIMEOUT, "%s did not finish within "
                        "%d s", what, QEMU_SNAP_JOB_MS / 1000);
            free(status);
            free(err);
            return -1;
        }
        usleep(waited < 1000 ? 10 * 1000 : 50 * 1000);
        waited += waited < 1000 ? 10 : 50;
    }
    free(status);
    if (qmpJobDismiss(mon, jobId) < 0)
        errorReset();
    if (err) {
        reportError(VIR_ERR_OPERATION_FAILED, "%s failed: %s", what, err);
        free(err);
        return -1;
    }
    if (ready) {
        reportError(VIR_ERR_OPERATION_FAILED, "%s ended before it was ready "
                    "to switch", what);
        return -1;
    }
    return 0;
}

int
qemuSnapJobWait(Qmp *mon, const char *jobId, const char *what)
{
    return qemuSnapJobWaitFor(mon, jobId, what, false);
}

int
qemuSnapQmpExternal(Qmp *mon, char **nodes, char **files, size_t n,
                    bool reuse)
{
    json_object *actions = json_object_new_array();
    json_object *cmd;
    struct timespec now;
    int ret;

    clock_gettime(CLOCK_REALTIME, &now);
    for (size_t i = 0; i < n; i++) {
        json_object *data = json_object_new_object();
        json_object *act = json_object_new_object();
        /* a fresh node name for each overlay (QEMU wants one with
         * node-name; 31 characters at most) */
        char *node = allocPrintf("snap%ld%03ld-%zu",
                                 (long)(now.tv_sec % 1000000),
                                 now.tv_nsec / 1000000, i);

        json_object_object_add(data, "node-name",
                               json_object_new_string(nodes[i]));
        json_object_object_add(data, "snapshot-node-name",
                               json_object_new_string(node));
        free(node);
        json_object_object_add(data, "snapshot-file",
                               json_object_new_string(files[i]));
        json_object_object_add(data, "format",
                               json_object_new_string("qcow2"));
        json_object_object_add(data, "mode", json_object_new_string(
                                   reuse ? "existing" : "absolute-paths"));
        json_object_object_add(act, "type", json_object_new_string(
                                   "blockdev-snapshot-sync"));
        json_object_object_add(act, "data", data);
        json_object_array_add(actions, act);
    }
    if (!(cmd = qmpCommandNew("transaction", "j:actions", actions, NULL)))
        return -1;
    ret = qmpCommandRun(mon, cmd, NULL, 0);
    json_object_put(cmd);
    return ret;
}
