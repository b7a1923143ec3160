/* qemu_process.c: the QEMU process of a domain: spawn, wait for its
 * monitor, watch for its exit (pidfd), kill, reconnect, detach */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"
#include "qemu_block.h"
#include "qemu_net.h"
#include "qemu_events.h"
#include "qmp_commands.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- small helpers ---- */

static int
qemuPidfdOpen(pid_t pid)
{
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int
qemuPidfdSignal(int pidfd, int sig)
{
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* Field 22 of /proc/PID/stat (start time in clock ticks), 0 if unknown. */
static unsigned long long
qemuProcStart(pid_t pid)
{
    char path[64], buf[1024];
    unsigned long long start = 0;
    FILE *f;
    char *p;

    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    if (!(f = fopen(path, "re")))
        return 0;
    if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')'))) {
        /* after "pid (comm)" come state (3) ... starttime (22) */
        for (int field = 3; p && field < 22; field++)
            p = strchr(p + 1, ' ');
        if (p)
            start = strtoull(p + 1, NULL, 10);
    }
    fclose(f);
    return start;
}

/* True while PID runs and is the process that started at START (0: not
 * checked). Used where pidfds are missing (old kernels, valgrind); reaps
 * PID when it is our zombie. */
static bool
qemuPidAlive(pid_t pid, unsigned long long start)
{
    char path[64], buf[512];
    bool alive = true;
    FILE *f;
    char *p;

    if (pid <= 0 || waitpid(pid, NULL, WNOHANG) == pid ||
        (kill(pid, 0) < 0 && errno == ESRCH))
        return false;
    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    if (!(f = fopen(path, "re")))
        return false;
    if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) &&
        (p[2] == 'Z' || p[2] == 'X'))
        alive = false;
    fclose(f);
    return alive && (!start || qemuProcStart(pid) == start);
}

/* True while the QEMU behind PIDFD (or PID when PIDFD is -1) runs. */
static bool
qemuProcessAlive(int pidfd, pid_t pid, unsigned long long start)
{
    struct pollfd p = { .fd = pidfd, .events = POLLIN };

    if (pidfd >= 0)
        return poll(&p, 1, 0) == 0;
    return qemuPidAlive(pid, start);
}

/* Send SIG to D's QEMU, through its pidfd when there is one. */
static int
qemuProcessSignal(QemuDom *d, int sig)
{
    if (d->pidfd >= 0)
        return qemuPidfdSignal(d->pidfd, sig);
    if (!qemuPidAlive(d->pid, d->procStart)) {
        errno = ESRCH;
        return -1;
    }
    return kill(d->pid, sig);
}

unsigned long long
qemuProcessCpuTime(const QemuDom *d)
{
    char path[64], buf[1024];
    unsigned long long ut = 0, st = 0;
    long hz = sysconf(_SC_CLK_TCK);
    FILE *f;
    char *p;

    if (d->pid <= 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)d->pid);
    if (!(f = fopen(path, "re")))
        return 0;
    if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')'))) {
        /* utime and stime are fields 14 and 15: stop on the space
         * before field 14 */
        for (int field = 3; p && field <= 14; field++)
            p = strchr(p + 1, ' ');
        if (p)
            sscanf(p + 1, "%llu %llu", &ut, &st);
    }
    fclose(f);
    if (hz <= 0)
        hz = 100;
    return (ut + st) * (1000000000ULL / (unsigned long long)hz);
}

void
qemuProcessSubreaper(bool on)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static int users;

    pthread_mutex_lock(&lock);
    users += on ? 1 : -1;
    if ((on && users == 1) || (!on && users == 0))
        prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0);
    pthread_mutex_unlock(&lock);
}

static long long
qemuNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool
qemuProcessWaitFor(QemuDom *d, bool (*cond)(const QemuDom *d), int ms)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!cond(d))
        if (pthread_cond_timedwait(&d->drv->cond, &d->drv->lock,
                                   &until) != 0)
            return cond(d);
    return true;
}

Qmp *
qemuProcessMonAcquire(QemuDom *d)
{
    if (qemuDomCheckActive(d) < 0)
        return NULL;
    if (!d->mon) {
        reportError(VIR_ERR_OPERATION_FAILED, "the QEMU monitor of domain "
                    "'%s' is not available", d->def->name);
        return NULL;
    }
    d->monUsers++;
    return d->mon;
}

void
qemuProcessMonRelease(QemuDom *d)
{
    d->monUsers--;
    pthread_cond_broadcast(&d->drv->cond);
}

static bool
qemuNoMonUsers(const QemuDom *d)
{
    return d->monUsers == 0;
}

/* Take D's monitor away from it and close it (lock held on entry and
 * exit, released while closing so that a running event callback can end). */
static void
qemuProcessMonClose(QemuDom *d)
{
    Qmp *mon = d->mon;

    if (!mon)
        return;
    d->mon = NULL;
    while (!qemuNoMonUsers(d))
        pthread_cond_wait(&d->drv->cond, &d->drv->lock);
    pthread_mutex_unlock(&d->drv->lock);
    qmpClose(mon);
    pthread_mutex_lock(&d->drv->lock);
}

/* ---- exit ---- */

/* Forget the QEMU process of D (lock held): state shut off with REASON,
 * files removed, the persistent definition back in place. */
static void
qemuProcessCleanup(QemuDriver *drv, QemuDom *d, int reason)
{
    char *sock = qemuStatePath(drv, "run", d->def->name, ".qmp");

    qemuConsoleClose(d);
    qemuProcessMonClose(d);
    if (d->pid > 0)
        waitpid(d->pid, NULL, WNOHANG);   /* ours only while we are parent */
    qemuTuneStop(d);
    qemuNetIfbSweep();
    if (d->pidfd >= 0)
        close(d->pidfd);
    d->pidfd = -1;
    d->pid = 0;
    d->procStart = 0;
    d->monPassthrough = false;
    unlink(sock);
    free(sock);
    qemuStateDeleteStatus(drv, d->def->name);
    if (d->newDef) {
        domainDefFree(d->def);
        d->def = d->newDef;
        d->newDef = NULL;
    }
    d->def->id = -1;
    if (d->persistent && qemuStateSaveLastState(drv, d->def->name,
                                                reason) < 0)
        errorReset();
    d->updated = false;
    d->destroying = d->gotShutdown = d->shutdownGuest = false;
    d->fakeReboot = d->pausedByUs = d->crashDestroy = false;
    d->watchdogPause = false;
    d->exitReason = d->exitDetail = 0;
    d->actions = 0;
    qemuDomSetState(d, VIR_DOMAIN_SHUTOFF, reason);
}

/* QEMU of D is gone: work out why, clean up, tell the callbacks (lock
 * held). A transient domain disappears. */
static void
qemuProcessHandleExit(QemuDriver *drv, QemuDom *d)
{
    int reason, detail;
    bool silent = d->startFailed;

    if (d->exitReason) {
        /* the caller that stopped QEMU said why (save, failed restore) */
        reason = d->exitReason;
        detail = d->exitDetail;
    } else if (d->destroying && !d->crashDestroy) {
        reason = VIR_DOMAIN_SHUTOFF_DESTROYED;
        detail = VIR_DOMAIN_EVENT_STOPPED_DESTROYED;
    } else if (d->crashDestroy) {
        reason = VIR_DOMAIN_SHUTOFF_CRASHED;
        detail = VIR_DOMAIN_EVENT_STOPPED_CRASHED;
    } else if (d->gotShutdown) {
        reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        detail = VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
    } else {
        reason = VIR_DOMAIN_SHUTOFF_CRASHED;
        detail = VIR_DOMAIN_EVENT_STOPPED_FAILED;
    }
    logDebug("qemu", "QEMU of domain '%s' (pid %ld) exited: reason %d",
             d->def->name, (long)d->pid, reason);
    if (silent) {
        /* the failed start reports the error; keep the previous reason */
        reason = d->reason == VIR_DOMAIN_PAUSED_STARTING_UP ?
            VIR_DOMAIN_SHUTOFF_FAILED : reason;
    }
    qemuProcessCleanup(drv, d, reason);
    if (!silent)
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_STOPPED, detail);
    if (!d->persistent && !d->starting && !d->removed)
        qemuDomRemove(drv, d);
}

/* ---- the watcher thread ---- */

typedef struct {
    QemuDriver *drv;
    QemuDom *d;                 /* holds a reference */
    int pidfd;                  /* -1: poll the pid instead */
    pid_t pid;
    unsigned long long procStart;
    unsigned int gen;           /* the start of D this watch is about */
    int kickfd;
} Watch;

/* Queue the events D held back until its chains were reread (lock held). */
static void
qemuProcessReleaseEvents(QemuDom *d)
{
    for (size_t i = 0; i < d->nheldEvents; i++)
        domainEventQueue(d->heldEvents[i]);
    d->nheldEvents = 0;
}

/* Run the monitor commands the event handler asked for (no lock held). */
static void
qemuProcessRunActions(QemuDriver *drv, QemuDom *d, int actions)
{
    json_object *blocks = NULL;
    char **aliases = NULL;
    Qmp *mon;

    pthread_mutex_lock(&drv->lock);
    if (actions & QEMU_ACTION_DESTROY) {
        d->destroying = true;
        qemuProcessSignal(d, SIGKILL);
        pthread_mutex_unlock(&drv->lock);
        return;
    }
    mon = d->mon && d->pid > 0 ? d->mon : NULL;
    if (mon)
        d->monUsers++;
    if (mon && (actions & QEMU_ACTION_CHAIN)) {
        aliases = allocArray(d->def->ndisks + 1, sizeof(*aliases));
        for (size_t i = 0, n = 0; i < d->def->ndisks; i++)
            if (d->def->disks[i]->info.alias)
                aliases[n++] = allocStrdup(d->def->disks[i]->info.alias);
    }
    if (!mon)
        qemuProcessReleaseEvents(d);
    pthread_mutex_unlock(&drv->lock);
    if (!mon)
        return;
    if (actions & QEMU_ACTION_QUIT) {
        if (qmpQuit(mon) < 0)
            logDebug("qemu", "quit of domain '%s' failed", d->def->name);
    } else if (actions & QEMU_ACTION_RESTART) {
        if (qmpSystemReset(mon) < 0 || qmpCont(mon) < 0)
            logDebug("qemu", "restart of domain '%s' failed", d->def->name);
    }
    if ((actions & QEMU_ACTION_CHAIN) && !(actions & QEMU_ACTION_QUIT)) {
        for (size_t i = 0; aliases[i]; i++)
            qemuBlockDropNodes(mon, aliases[i]);
        blocks = qemuBlockChainQuery(mon);
    }
    qmpStringListFree(aliases);
    errorReset();
    pthread_mutex_lock(&drv->lock);
    if (blocks && d->pid > 0) {
        qemuBlockChainApply(d->def, blocks);
        if (qemuStateSaveStatus(drv, d) < 0)
            errorReset();
    }
    json_object_put(blocks);
    qemuProcessReleaseEvents(d);
    if (actions & QEMU_ACTION_RESTART) {
        d->gotShutdown = false;
        if (d->state != VIR_DOMAIN_RUNNING) {
            qemuDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
            qemuStateSaveStatus(drv, d);
            errorReset();
        }
    }
    qemuProcessMonRelease(d);
    pthread_mutex_unlock(&drv->lock);
}

static void *
qemuProcessWatch(void *opaque)
{
    Watch *w = opaque;
    QemuDriver *drv = w->drv;
    QemuDom *d = w->d;
    bool done = false;

    while (!done) {
        struct pollfd pfd[2] = {
            { .fd = w->pidfd, .events = POLLIN },
            { .fd = w->kickfd, .events = POLLIN },
        };
        uint64_t v;
        int actions;

        bool exited;

        if (poll(pfd, 2, w->pidfd >= 0 ? -1 : 100) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pfd[1].revents & POLLIN) {
            if (read(w->kickfd, &v, sizeof(v)) < 0)
                logDebug("qemu", "kick read failed: %s", strerror(errno));
            pthread_mutex_lock(&drv->lock);
            actions = d->actions;
            d->actions = 0;
            pthread_mutex_unlock(&drv->lock);
            if (actions & QEMU_ACTION_STOP)
                break;
            if (actions)
                qemuProcessRunActions(drv, d, actions);
        }
        exited = w->pidfd >= 0 ?
            (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 :
            !qemuPidAlive(w->pid, w->procStart);
        if (exited) {
            pthread_mutex_lock(&drv->lock);
            if (d->gen == w->gen && d->pid > 0)
                qemuProcessHandleExit(drv, d);
            pthread_mutex_unlock(&drv->lock);
            done = true;
        }
    }
    pthread_mutex_lock(&drv->lock);
    qemuProcessReleaseEvents(d);
    if (d->kickfd == w->kickfd)
        d->kickfd = -1;
    close(w->kickfd);
    d->hasWatcher = false;
    qemuDomUnref(d);
    drv->nwatchers--;
    pthread_cond_broadcast(&drv->cond);
    pthread_mutex_unlock(&drv->lock);
    free(w);
    return NULL;
}

/* Start D's watcher thread (lock held). 0 or -1. */
static int
qemuProcessStartWatcher(QemuDriver *drv, QemuDom *d)
{
    Watch *w = allocZero(sizeof(*w));
    pthread_attr_t attr;
    pthread_t tid;
    int rc;

    w->drv = drv;
    w->d = d;
    w->pidfd = d->pidfd;
    w->pid = d->pid;
    w->procStart = d->procStart;
    w->gen = ++d->gen;
    if ((w->kickfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
        reportSystemError(errno, "cannot create an eventfd");
        free(w);
        return -1;
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    qemuDomRef(d);
    rc = pthread_create(&tid, &attr, qemuProcessWatch, w);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        qemuDomUnref(d);
        close(w->kickfd);
        free(w);
        reportSystemError(rc, "cannot start the watcher of domain '%s'",
                          d->def->name);
        return -1;
    }
    d->kickfd = w->kickfd;
    d->hasWatcher = true;
    d->watcher = tid;
    drv->nwatchers++;
    return 0;
}

void
qemuProcessKick(QemuDom *d, int actions)
{
    uint64_t one = 1;

    d->actions |= actions;
    if (d->kickfd >= 0 && write(d->kickfd, &one, sizeof(one)) < 0)
        logDebug("qemu", "kick failed: %s", strerror(errno));
}

/* ---- start ---- */

/* The lines of TEXT joined by "; ", leaving out QEMU's notes about where
 * its character devices went (caller frees). */
static char *
qemuProcessLogJoin(char *text)
{
    Buf b = { 0 };
    char *save = NULL;

    for (char *l = strtok_r(text, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        if (strncmp(l, "char device redirected", 22) == 0 || !*l)
            continue;
        char *z = strstr(l, "Z ");

        /* drop the timestamp -msg timestamp=on puts first */
        if (l[0] >= '0' && l[0] <= '9' && z && z - l < 32)
            l = z + 2;
        if (b.len)
            bufAdd(&b, "; ");
        bufAdd(&b, l);
    }
    return b.len ? bufTake(&b) : allocStrdup("(nothing on stderr)");
}

/* The last lines (at most 5) of the log written from OFFSET on. */
static char *
qemuProcessLogTail(const char *path, off_t offset)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char buf[8192];
    ssize_t n;
    char *p;
    int lines = 0;

    if (fd < 0)
        return allocStrdup("(no log)");
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size - offset > (off_t)sizeof(buf) - 1)
        offset = st.st_size - (off_t)sizeof(buf) + 1;
    n = pread(fd, buf, sizeof(buf) - 1, offset);
    close(fd);
    if (n <= 0)
        return allocStrdup("(nothing on stderr)");
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    for (p = buf + n; p > buf; p--)
        if (p[-1] == '\n' && ++lines == 5)
            break;
    return qemuProcessLogJoin(p);
}

/* Append a header and the shell-quoted argv to the log FD. */
static void
qemuProcessLogArgv(int fd, char **argv)
{
    Buf b = { 0 };
    char stamp[64];
    time_t now = time(NULL);
    struct tm tm;
    char *s;

    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    bufPrintf(&b, "%s: starting QEMU:", stamp);
    for (size_t i = 0; argv[i]; i++) {
        bufAdd(&b, " '");
        for (const char *c = argv[i]; *c; c++)
            bufAdd(&b, *c == '\'' ? "'\\''" : (char[]){ *c, 0 });
        bufAdd(&b, "'");
    }
    bufAdd(&b, "\n");
    s = bufTake(&b);
    if (write(fd, s, strlen(s)) < 0)
        logDebug("qemu", "cannot write the log: %s", strerror(errno));
    free(s);
}

/* Fork and exec ARGV with stderr and stdout to LOGFD, in its own session,
 * handing it the NKEEP descriptors KEEP (-1 entries skipped) under their
 * numbers. Returns the pid, or -1 with an error naming the cause. */
static pid_t
qemuProcessSpawn(char **argv, int logfd, const int *keep, size_t nkeep)
{
    int pipefd[2];
    int err = 0;
    pid_t pid;
    ssize_t n;

    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        reportSystemError(errno, "cannot create a pipe");
        return -1;
    }
    if ((pid = fork()) < 0) {
        reportSystemError(errno, "cannot fork QEMU");
        close(pipefd[0]);
        close(pipefd[1]);
        return -1;
    }
    if (pid == 0) {
        sigset_t all;
        int null = open("/dev/null", O_RDONLY);

        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        signal(SIGPIPE, SIG_DFL);
        setsid();
        if (null < 0 || dup2(null, 0) < 0 || dup2(logfd, 1) < 0 ||
            dup2(logfd, 2) < 0)
            err = errno;
        if (!err)
            syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
        for (size_t i = 0; !err && i < nkeep; i++)
            if (keep[i] >= 0 && fcntl(keep[i], F_SETFD, 0) < 0)
                err = errno;
        if (!err)
            execv(argv[0], argv);
        err = errno ? errno : EINVAL;
        if (write(pipefd[1], &err, sizeof(err)) < 0)
            _exit(126);
        _exit(127);
    }
    close(pipefd[1]);
    while ((n = read(pipefd[0], &err, sizeof(err))) < 0 && errno == EINTR)
        ;
    close(pipefd[0]);
    if (n == sizeof(err)) {
        waitpid(pid, NULL, 0);
        reportSystemError(err, "cannot execute QEMU binary '%s'", argv[0]);
        return -1;
    }
    return pid;
}

/* Connect to the monitor socket PATH of the QEMU behind PIDFD, giving up
 * when QEMU exits or MS pass. Returns the connected fd, -1 with an error
 * (-2 with none when QEMU exited). */
static int
qemuProcessConnectMonitor(const char *path, int pidfd, pid_t pid, int ms)
{
    long long until = qemuNowMs() + ms;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    for (;;) {
        if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
            reportSystemError(errno, "cannot create a socket");
            return -1;
        }
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
            return fd;
        close(fd);
        if (errno != ENOENT && errno != ECONNREFUSED) {
            reportSystemError(errno, "cannot connect to QEMU monitor '%s'",
                              path);
            return -1;
        }
        if (!qemuProcessAlive(pidfd, pid, 0))
            return -2;
        usleep(5000);
        if (qemuNowMs() > until) {
            reportError(VIR_ERR_OPERATION_TIMEOUT, "QEMU did not open its "
                        "monitor '%s' within %d ms", path, ms);
            return -1;
        }
    }
}

/* Check what must exist before QEMU starts: disk images. 0 or -1. */
static int
qemuProcessCheckHost(const DomainDef *def)
{
    struct stat st;

    for (size_t i = 0; i < def->ndisks; i++) {
        const DiskDef *disk = def->disks[i];

        if (!disk->hasSource || !disk->srcPath)
            continue;
        if (stat(disk->srcPath, &st) < 0) {
            reportSystemError(errno, "cannot access disk image '%s' (%s) of "
                              "domain '%s'", disk->srcPath, disk->dst,
                              def->name);
            return -1;
        }
    }
    if (def->os.kernel && stat(def->os.kernel, &st) < 0) {
        reportSystemError(errno, "cannot access kernel '%s' of domain '%s'",
                          def->os.kernel, def->name);
        return -1;
    }
    if (def->os.initrd && stat(def->os.initrd, &st) < 0) {
        reportSystemError(errno, "cannot access initrd '%s' of domain '%s'",
                          def->os.initrd, def->name);
        return -1;
    }
    return 0;
}

/* True when TCP PORT on ADDR can be bound now. */
static bool
qemuPortFree(const char *addr, int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    bool ok;

    if (fd < 0)
        return true;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sa.sin_port = htons((uint16_t)port);
    if (!addr || inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
        sa.sin_addr.s_addr = htonl(INADDR_ANY);
    ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

/* Choose (autoport) or check the VNC port of DEF; *PORT gets it or -1. */
static int
qemuProcessVncPort(DomainDef *def, int *port)
{
    GraphicsDef *g = def->ngraphics ? def->graphics[0] : NULL;
    const char *listen;

    *port = -1;
    if (!g || g->type != GRAPHICS_VNC)
        return 0;
    listen = g->listen ? g->listen : "127.0.0.1";
    if (g->autoport == TRI_YES || g->port < 0) {
        for (int p = 5900; p < 65535 && *port < 0; p++)
            if (qemuPortFree(listen, p))
                *port = p;
        g->port = *port;
        return 0;
    }
    if (g->port < 5900) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "VNC port %d of domain '%s' "
                    "is below 5900", g->port, def->name);
        return -1;
    }
    if (!qemuPortFree(listen, g->port)) {
        reportError(VIR_ERR_OPERATION_FAILED, "VNC port %d on %s for domain "
                    "'%s' is already in use", g->port, listen, def->name);
        return -1;
    }
    *port = g->port;
    return 0;
}

/* Store the pty paths QEMU chose into the live definition of D. */
static int
qemuProcessFillPtys(Qmp *mon, DomainDef *def)
{
    QmpChardevInfo *devs = NULL;
    int n = qmpQueryChardev(mon, &devs);
    ChrDef **lists[] = { def->serials, def->consoles, def->channels };
    size_t counts[] = { def->nserials, def->nconsoles, def->nchannels };

    if (n < 0)
        return -1;
    for (size_t l = 0; l < 3; l++) {
        for (size_t i = 0; i < counts[l]; i++) {
            ChrDef *chr = lists[l][i];
            char label[80];

            if (chr->type != CHR_TYPE_PTY || !chr->info.alias)
                continue;
            snprintf(label, sizeof(label), "char%s", chr->info.alias);
            for (int j = 0; j < n; j++) {
                if (strcmp(devs[j].label, label) != 0 ||
                    strncmp(devs[j].filename, "pty:", 4) != 0)
                    continue;
                free(chr->srcPath);
                chr->srcPath = allocStrdup(devs[j].filename + 4);
            }
        }
    }
    qmpChardevInfoListFree(devs, n);
    return 0;
}

/* The port QEMU's VNC server got for an autoport display of LIVE (it may
 * have walked past the one probed); 0 or -1 with an error. */
static int
qemuProcessFillVncPort(Qmp *mon, DomainDef *live)
{
    GraphicsDef *g = live->ngraphics ? live->graphics[0] : NULL;
    QmpVncInfo info;
    char *end = NULL;
    long port;

    if (!g || g->type != GRAPHICS_VNC || g->autoport != TRI_YES)
        return 0;
    if (qmpQueryVnc(mon, &info) < 0)
        return -1;
    port = info.service ? strtol(info.service, &end, 10) : -1;
    if (port > 0 && port <= 65535 && end && !*end)
        g->port = (int)port;
    else
        logDebug("qemu", "domain '%s': VNC service '%s' is not a port",
                 live->name, info.service ? info.service : "");
    qmpVncInfoClear(&info);
    return 0;
}

/* The monitor work of a start: ptys, password, cont (no lock held). */
static int
qemuProcessStartMonitor(Qmp *mon, DomainDef *live, unsigned int flags)
{
    if (qemuProcessFillPtys(mon, live) < 0 ||
        qemuProcessFillVncPort(mon, live) < 0)
        return -1;
    if (live->ngraphics && live->graphics[0]->passwd &&
        qmpSetPassword(mon, "vnc", live->graphics[0]->passwd, NULL) < 0)
        return -1;
    if (qemuBlockStartSetup(mon, live) < 0 ||
        qemuBlockChainFill(mon, live) < 0)
        return -1;
    if (qemuMemoryStartSetup(mon, live) < 0)
        return -1;
    if (!(flags & (VIR_DOMAIN_START_PAUSED | QEMU_START_INCOMING)) &&
        qmpCont(mon) < 0)
        return -1;
    return 0;
}

typedef struct {
    DomainDef *live;
    char *emulator;
    char **argv;
    char *logPath;
    char *monPath;
    int logfd;
    off_t logStart;
    bool incoming;              /* QEMU_START_INCOMING */
    int incomingFd;             /* -1: -incoming defer */
    long long loadMs;           /* extra start time for the stream */
    int *tapFds;                /* per interface, -1: none */
    char **tapArgs;             /* the same as fd= values */
    size_t ntaps;
} StartCtx;

static void
qemuStartCtxClear(StartCtx *s)
{
    domainDefFree(s->live);
    free(s->emulator);
    qemuCommandFree(s->argv);
    free(s->logPath);
    free(s->monPath);
    if (s->logfd >= 0)
        close(s->logfd);
    /* QEMU has its copies: ours closing leaves the taps to it */
    qemuNetFdsClose(s->tapFds, s->ntaps);
    for (size_t i = 0; i < s->ntaps; i++)
        free(s->tapArgs[i]);
    free(s->tapArgs);
}

/* The taps of the bridge interfaces of S's live definition, their
 * descriptors into CTX. 0 or -1. */
static int
qemuProcessTaps(StartCtx *s, QemuCommandCtx *ctx)
{
    if (qemuNetPrepare(s->live, &s->tapFds) < 0)
        return -1;
    s->ntaps = s->live->nnets;
    s->tapArgs = allocArray(s->ntaps ? s->ntaps : 1, sizeof(char *));
    for (size_t i = 0; i < s->ntaps; i++)
        if (s->tapFds[i] >= 0)
            s->tapArgs[i] = allocPrintf("%d", s->tapFds[i]);
    ctx->netFds = s->tapArgs;
    ctx->nnetFds = s->ntaps;
    return 0;
}

/* Everything before the fork: the live definition, host checks, argv, log
 * (lock held). 0 or -1. */
static int
qemuProcessPrepare(QemuDriver *drv, QemuDom *d, StartCtx *s)
{
    char *runDir = allocPrintf("%s/run", drv->root);
    char *pidPath = qemuStatePath(drv, "run", d->def->name, ".pid");
    QemuCommandCtx ctx = { .runDir = runDir, .pidfilePath = pidPath };
    int ret = -1;

    s->monPath = qemuStatePath(drv, "run", d->def->name, ".qmp");
    s->logPath = qemuStatePath(drv, "log", d->def->name, ".log");
    ctx.monitorPath = s->monPath;
    ctx.incoming = s->incoming;
    ctx.incomingFd = s->incomingFd;
    if (strlen(s->monPath) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "monitor socket path '%s' is "
                    "too long for a unix socket: use a shorter root",
                    s->monPath);
        goto cleanup;
    }
    if (!(s->live = domainDefCopy(d->def)) ||
        !(s->emulator = qemuCommandEmulator(s->live)) ||
        qemuProcessCheckHost(s->live) < 0 ||
        qemuProcessVncPort(s->live, &ctx.vncPort) < 0 ||
        qemuProcessTaps(s, &ctx) < 0 ||
        !(s->argv = qemuCommandBuild(s->live, s->emulator, &ctx)))
        goto cleanup;
    if ((s->logfd = open(s->logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
                         0600)) < 0) {
        reportSystemError(errno, "cannot open log file '%s'", s->logPath);
        goto cleanup;
    }
    s->logStart = lseek(s->logfd, 0, SEEK_END);
    qemuProcessLogArgv(s->logfd, s->argv);
    s->logStart = lseek(s->logfd, 0, SEEK_END);
    unlink(s->monPath);
    unlink(pidPath);
    ret = 0;
 cleanup:
    free(runDir);
    free(pidPath);
    return ret;
}

/* QEMU failed to come up: replace the error by one quoting its stderr when
 * it exited, kill it otherwise (lock held). */
static void
qemuProcessStartFailed(QemuDriver *drv, QemuDom *d, StartCtx *s, bool exited)
{
    for (int i = 0; i < 30 && !exited; i++) {
        exited = !qemuProcessAlive(d->pidfd, d->pid, 0);
        if (!exited)
            usleep(10000);
    }
    if (exited) {
        char *tail = qemuProcessLogTail(s->logPath, s->logStart);

        errorReset();
        reportError(VIR_ERR_OPERATION_FAILED, "QEMU exited while starting "
                    "domain '%s': %s", d->def->name, tail);
        free(tail);
    }
    d->startFailed = true;
    d->destroying = true;
    if (!exited)
        qemuProcessSignal(d, SIGKILL);
    if (d->pid > 0)
        waitpid(d->pid, NULL, 0);
}

/* Spawn QEMU and connect its monitor. Lock held on entry and exit. */
static int
qemuProcessLaunch(QemuDriver *drv, QemuDom *d, StartCtx *s,
                  unsigned int flags, Qmp **monOut)
{
    long long t0 = qemuNowMs();
    int startMs = QEMU_START_TIMEOUT_MS + (int)s->loadMs;
    Qmp *mon = NULL;
    int *keep = allocArray(s->ntaps + 1, sizeof(int));
    int fd;
    pid_t pid;

    /* the taps and the stream QEMU inherits */
    for (size_t i = 0; i < s->ntaps; i++)
        keep[i] = s->tapFds[i];
    keep[s->ntaps] = s->incomingFd;
    pid = qemuProcessSpawn(s->argv, s->logfd, keep, s->ntaps + 1);
    free(keep);
    if (pid < 0)
        return -1;
    d->pid = pid;
    d->pidfd = qemuPidfdOpen(pid);
    d->procStart = qemuProcStart(pid);
    /* from now on a manager killed mid-start leaves a QEMU the next opener
     * finds (paused, or running if cont got through) */
    if (qemuStateSaveStatusDef(drv, d, s->live) < 0)
        errorReset();
    pthread_mutex_unlock(&drv->lock);
    qemuTunePlace(s->live, pid);
    fd = qemuProcessConnectMonitor(s->monPath, d->pidfd, pid, startMs);
    if (fd >= 0)
        mon = qmpOpenFd(fd, startMs, qemuEventHandle, d);
    /* QEMU loading a stream answers the start's commands after the load */
    if (mon && s->loadMs)
        qmpSetTimeout(mon, QMP_TIMEOUT_DEFAULT_MS + (int)s->loadMs);
    if (mon && (qemuTuneStart(mon, pid, s->live) < 0 ||
                qemuProcessStartMonitor(mon, s->live, flags) < 0)) {
        qmpClose(mon);
        mon = NULL;
    }
    if (mon && s->loadMs)
        qmpSetTimeout(mon, QMP_TIMEOUT_DEFAULT_MS);
    pthread_mutex_lock(&drv->lock);
    if (!mon) {
        qemuProcessStartFailed(drv, d, s, fd == -2);
        return -1;
    }
    logDebug("qemu", "domain '%s' started in %lld ms (pid %ld)",
             d->def->name, qemuNowMs() - t0, (long)pid);
    *monOut = mon;
    return 0;
}

static int
qemuProcessStartFd(QemuDriver *drv, QemuDom *d, unsigned int flags,
                   int incomingFd, long long loadMs)
{
    StartCtx s = { .logfd = -1, .incoming = flags & QEMU_START_INCOMING,
                   .incomingFd = incomingFd, .loadMs = loadMs };
    Qmp *mon = NULL;
    bool paused = flags & (VIR_DOMAIN_START_PAUSED | QEMU_START_INCOMING);
    int ret = -1;

    if (qemuProcessPrepare(drv, d, &s) < 0)
        goto cleanup;
    s.live->id = drv->nextId++;
    qemuStateSaveNextId(drv);
    d->starting = true;
    d->startFailed = false;
    qemuDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP);
    if (qemuProcessLaunch(drv, d, &s, flags, &mon) < 0) {
        virErrorPtr err = errorSave();

        d->starting = false;
        qemuProcessCleanup(drv, d, VIR_DOMAIN_SHUTOFF_FAILED);
        d->startFailed = false;
        errorRestore(&err);
        goto cleanup;
    }
    /* the live definition takes over; the persistent one waits */
    if (d->persistent)
        d->newDef = d->def;
    else
        domainDefFree(d->def);
    d->def = s.live;
    s.live = NULL;
    d->mon = mon;
    d->starting = false;
    clock_gettime(CLOCK_MONOTONIC, &d->startedAt);
    qemuDomSetState(d, paused ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING,
                    paused ? VIR_DOMAIN_PAUSED_USER :
                    VIR_DOMAIN_RUNNING_BOOTED);
    if (qemuProcessStartWatcher(drv, d) < 0 ||
        qemuStateSaveStatus(drv, d) < 0) {
        logDebug("qemu", "domain '%s' runs without full bookkeeping",
                 d->def->name);
        errorReset();
    }
    if (s.incoming) {
        ret = 0;        /* the restore reports the start */
        goto cleanup;
    }
    if (flags & QEMU_START_SNAPSHOT) {
        ret = 0;        /* the snapshot revert reports the start */
        goto cleanup;
    }
    qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_STARTED,
                          VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (paused)
        qemuDomEventLifecycle(d, VIR_DOMAIN_EVENT_SUSPENDED,
                              VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    ret = 0;
 cleanup:
    qemuStartCtxClear(&s);
    return ret;
}

int
qemuProcessStart(QemuDriver *drv, QemuDom *d, unsigned int flags)
{
    return qemuProcessStartFd(drv, d, flags, -1, 0);
}

int
qemuProcessStartIncoming(QemuDriver *drv, QemuDom *d, int fd,
                         long long loadMs)
{
    return qemuProcessStartFd(drv, d, QEMU_START_INCOMING, fd, loadMs);
}

/* ---- stop ---- */

static bool
qemuIsInactive(const QemuDom *d)
{
    return d->pid <= 0;
}

int
qemuProcessKill(QemuDriver *drv, QemuDom *d, bool graceful)
{
    d->destroying = true;
    if (qemuProcessSignal(d, SIGTERM) < 0)
        logDebug("qemu", "SIGTERM to '%s' failed: %s", d->def->name,
                 strerror(errno));
    if (qemuProcessWaitFor(d, qemuIsInactive,
                           graceful ? QEMU_GRACEFUL_WAIT_MS
                                    : QEMU_TERM_WAIT_MS))
        return 0;
    if (graceful) {
        d->destroying = false;
        reportError(VIR_ERR_OPERATION_FAILED, "domain '%s' did not stop "
                    "within %d s of SIGTERM", d->def->name,
                    QEMU_GRACEFUL_WAIT_MS / 1000);
        return -1;
    }
    qemuProcessSignal(d, SIGKILL);
    if (qemuProcessWaitFor(d, qemuIsInactive, QEMU_KILL_WAIT_MS))
        return 0;
    reportError(VIR_ERR_OPERATION_FAILED, "QEMU of domain '%s' (pid %ld) did "
                "not exit after SIGKILL", d->def->name, (long)d->pid);
    return -1;
}

/* ---- reconnect and detach ---- */

/* Bring D's state in line with what QEMU says now (no lock held). */
static void
qemuProcessResync(QemuDriver *drv, QemuDom *d, Qmp *mon)
{
    char *status = NULL;
    bool running = false;

    if (qmpQueryStatus(mon, &running, &status) < 0) {
        errorReset();
        return;
    }
    pthread_mutex_lock(&drv->lock);
    if (running && d->state != VIR_DOMAIN_RUNNING)
        qemuDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    else if (!running && strcmp(status, "shutdown") == 0) {
        /* the guest powered off while nobody watched */
        d->gotShutdown = true;
        qemuDomSetState(d, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
        d->actions |= d->def->onPoweroff == LIFECYCLE_RESTART ?
            QEMU_ACTION_RESTART : QEMU_ACTION_QUIT;
    } else if (!running && strcmp(status, "guest-panicked") == 0) {
        qemuDomSetState(d, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED);
    } else if (!running && d->state == VIR_DOMAIN_RUNNING) {
        qemuDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN);
    }
    pthread_mutex_unlock(&drv->lock);
    free(status);
}

int
qemuProcessReconnect(QemuDriver *drv, QemuDom *d)
{
    char *monPath = qemuStatePath(drv, "run", d->def->name, ".qmp");
    Qmp *mon = NULL;
    int pending;

    bool gone;

    d->pidfd = qemuPidfdOpen(d->pid);
    /* gone, exited (a zombie), or a recycled pid: QEMU is no more */
    gone = (d->pidfd < 0 && errno != ENOSYS) ||
        !qemuProcessAlive(d->pidfd, d->pid, 0) ||
        (d->procStart && qemuProcStart(d->pid) != d->procStart);
    if (gone) {
        logDebug("qemu", "QEMU of domain '%s' (pid %ld) is gone",
                 d->def->name, (long)d->pid);
        if (d->pidfd >= 0)
            close(d->pidfd);
        d->pidfd = -1;
        qemuProcessHandleExit(drv, d);
        free(monPath);
        return -1;
    }
    pthread_mutex_unlock(&drv->lock);
    mon = qmpOpen(monPath, QEMU_START_TIMEOUT_MS / 2, qemuEventHandle, d);
    if (mon) {
        qemuProcessResync(drv, d, mon);
        qemuTuneReconnect(mon, d->pid, d->def);
    } else
        errorReset();
    pthread_mutex_lock(&drv->lock);
    d->mon = mon;
    /* what an earlier manager did to it is not known */
    d->monPassthrough = true;
    clock_gettime(CLOCK_MONOTONIC, &d->startedAt);
    pending = d->actions;
    if (qemuProcessStartWatcher(drv, d) < 0)
        errorReset();
    if (pending)
        qemuProcessKick(d, 0);
    qemuStateSaveStatus(drv, d);
    errorReset();
    free(monPath);
    return 0;
}

void
qemuProcessDetachAll(QemuDriver *drv)
{
    pthread_mutex_lock(&drv->lock);
    drv->closing = true;
    for (size_t i = 0; i < drv->ndoms; i++) {
        qemuConsoleClose(drv->doms[i]);
        if (drv->doms[i]->hasWatcher)
            qemuProcessKick(drv->doms[i], QEMU_ACTION_STOP);
    }
    while (drv->nwatchers > 0)
        pthread_cond_wait(&drv->cond, &drv->lock);
    for (size_t i = 0; i < drv->ndoms; i++) {
        QemuDom *d = drv->doms[i];

        qemuProcessMonClose(d);
        if (d->pidfd >= 0)
            close(d->pidfd);
        d->pidfd = -1;
    }
    pthread_mutex_unlock(&drv->lock);
}
