/* test-qmp-real.c: the QMP client against a real qemu-system-x86_64 */
#include "qmp.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "error.h"
#include "../tap.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QEMU "qemu-system-x86_64"
#define WAIT_MS 30000

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int eofs;
    bool sawShutdown;
} Events;

static void
onEvent(Qmp *mon, const QmpEvent *ev, void *opaque)
{
    Events *e = opaque;

    pthread_mutex_lock(&e->lock);
    if (strcmp(ev->name, QMP_EVENT_EOF) == 0)
        e->eofs++;
    if (strcmp(ev->name, "SHUTDOWN") == 0)
        e->sawShutdown = true;
    pthread_cond_broadcast(&e->cond);
    pthread_mutex_unlock(&e->lock);
}

/* The absolute path of PROG found in $PATH, or NULL. */
static char *
findProgram(const char *prog)
{
    const char *path = getenv("PATH");
    char *copy = allocStrdup(path ? path : "/usr/bin:/bin");
    char *save = NULL;
    char *dir;
    char *found = NULL;

    for (dir = strtok_r(copy, ":", &save); dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char *full = allocPrintf("%s/%s", dir, prog);

        if (access(full, X_OK) == 0)
            found = full;
        else
            free(full);
    }
    free(copy);
    return found;
}

/* Wait up to WAIT_MS for PID to exit; kill it if it does not. */
static int
reap(pid_t pid)
{
    int status = 0;
    int i;

    for (i = 0; i < WAIT_MS / 10; i++) {
        pid_t r = waitpid(pid, &status, WNOHANG);

        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        usleep(10 * 1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

int
main(void)
{
    char dir[] = "/tmp/vireo-qmp-real-XXXXXX";
    char *qemu = findProgram(QEMU);
    char *sock = NULL;
    char *qmpArg = NULL;
    Events ev = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0,
                  false };
    Qmp *mon = NULL;
    pid_t pid;
    bool running = true;
    char *status = NULL;
    int major = 0;
    int minor = 0;
    int micro = 0;
    char *package = NULL;
    struct timespec ts;
    int pipefd[2];
    int fdset = -1;
    int qfd = -1;
    int rc;

    signal(SIGPIPE, SIG_IGN);
    if (!qemu) {
        tapSkip(QEMU " is not installed");
        return tapDone();
    }
    if (!mkdtemp(dir)) {
        TAP_OK(0, "mkdtemp: %s", strerror(errno));
        return tapDone();
    }
    sock = allocPrintf("%s/qmp.sock", dir);
    qmpArg = allocPrintf("unix:%s,server=on,wait=off", sock);

    if ((pid = fork()) == 0) {
        execl(qemu, QEMU, "-machine", "none", "-nodefaults",
              "-display", "none", "-S", "-qmp", qmpArg, (char *)NULL);
        _exit(127);
    }
    TAP_OK(pid > 0, "qemu started");

    mon = qmpOpen(sock, WAIT_MS, onEvent, &ev);
    if (!TAP_OK(mon != NULL, "qmpOpen connects and negotiates")) {
        printf("#   %s\n", errorLast()->message);
        kill(pid, SIGKILL);
        goto cleanup;
    }

    TAP_INT(qmpQueryStatus(mon, &running, &status), 0, "query-status");
    TAP_OK(!running, "not running under -S");
    TAP_STR(status, "prelaunch", "status prelaunch");
    FREE(status);

    TAP_INT(qmpQueryVersion(mon, &major, &minor, &micro, &package), 0,
            "query-version");
    TAP_OK(major >= 7, "QEMU %d.%d.%d (%s)", major, minor, micro,
           package ? package : "");
    free(package);

    if (pipe(pipefd) == 0) {
        TAP_INT(qmpGetfd(mon, "vireo-test", pipefd[1]), 0,
                "getfd: QEMU takes a descriptor");
        TAP_INT(qmpClosefd(mon, "vireo-test"), 0, "closefd");
        TAP_INT(qmpAddFd(mon, pipefd[1], -1, "vireo", &fdset, &qfd), 0,
                "add-fd");
        TAP_OK(fdset >= 0 && qfd >= 0, "add-fd gives set %d fd %d",
               fdset, qfd);
        TAP_INT(qmpRemoveFd(mon, fdset, -1), 0, "remove-fd");
        close(pipefd[0]);
        close(pipefd[1]);
    }
    TAP_INT(qmpStop(mon), 0, "stop in prelaunch");
    rc = qmpBlockResize(mon, "nosuchdrive", NULL, 1024);
    TAP_OK(rc == -1 && errorLast()->code == VIR_ERR_OPERATION_FAILED &&
           strstr(errorLast()->message, "QEMU command 'block_resize' failed"),
           "QEMU's own error is reported: %s", errorLast()->message);
    errorReset();

    TAP_INT(qmpCont(mon), 0, "cont");
    TAP_INT(qmpQueryStatus(mon, &running, &status), 0, "query-status again");
    TAP_OK(running, "running after cont");
    TAP_STR(status, "running", "status running");
    FREE(status);

    TAP_INT(qmpQuit(mon), 0, "quit");
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&ev.lock);
    while (ev.eofs == 0 &&
           pthread_cond_timedwait(&ev.cond, &ev.lock, &ts) == 0)
        ;
    pthread_mutex_unlock(&ev.lock);
    TAP_INT(ev.eofs, 1, "EOF notified after quit");
    TAP_OK(ev.sawShutdown, "SHUTDOWN event before it");
    TAP_OK(qmpIsDead(mon), "monitor dead");
    qmpClose(mon);
    TAP_INT(reap(pid), 0, "qemu exited cleanly");

 cleanup:
    unlink(sock);
    rmdir(dir);
    free(sock);
    free(qmpArg);
    free(qemu);
    return tapDone();
}
