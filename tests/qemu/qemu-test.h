/* qemu-test.h: helpers for the QEMU driver's real-guest tests (public API
 * only): the test guest, temporary roots, domain XML, events, console */
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"

#define QT_MARKER "VIREO-GUEST-READY"

static char qtGuest[512];
static const char *qtMachine = "q35";     /* machine type of qtXML */

static inline long long
qtNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Build (or reuse) the test guest under BUILD_DIR/guest. Returns false,
 * with a reason in WHY, when the guest tests must be skipped. */
static inline bool
qtSetup(char *why, size_t len)
{
    char cmd[1200];

    if (system("command -v qemu-system-x86_64 >/dev/null 2>&1") != 0) {
        snprintf(why, len, "qemu-system-x86_64 is not installed");
        return false;
    }
    snprintf(qtGuest, sizeof(qtGuest), "%s/guest", QT_BUILD_DIR);
    snprintf(cmd, sizeof(cmd), "%s/guest/build.sh %s >%s/guest-build.log 2>&1",
             QT_SOURCE_DIR, qtGuest, QT_BUILD_DIR);
    if (system(cmd) != 0) {
        /* the guest is required when QEMU is there: fail, do not skip */
        TAP_OK(false, "guest/build.sh %s (see %s/guest-build.log)", qtGuest,
               QT_BUILD_DIR);
        snprintf(why, len, "the test guest could not be built");
        return false;
    }
    return true;
}

static char qtRootPath[64];

/* Kill the QEMUs whose pidfiles are under ROOT/run and remove ROOT: a
 * failed test leaves nothing behind. */
static inline void
qtRemoveRoot(const char *root)
{
    char cmd[600];

    if (!root || !*root)
        return;
    snprintf(cmd, sizeof(cmd), "for f in '%s'/run/*.pid; do [ -f \"$f\" ] && "
             "kill -9 $(cat \"$f\") 2>/dev/null; done; rm -rf '%s'", root,
             root);
    if (system(cmd) != 0)
        printf("# could not clean up %s\n", root);
}

static inline void
qtAtExit(void)
{
    qtRemoveRoot(qtRootPath);
}

/* A fresh empty root directory (short: it holds unix sockets), cleaned
 * up at exit. */
static inline char *
qtRoot(void)
{
    char *dir = strdup("/tmp/vqt-XXXXXX");

    if (!dir || !mkdtemp(dir))
        abort();
    snprintf(qtRootPath, sizeof(qtRootPath), "%s", dir);
    atexit(qtAtExit);
    return dir;
}

static inline char *
qtURI(const char *root)
{
    char *uri = NULL;

    if (asprintf(&uri, "qemu:///embed?root=%s", root) < 0)
        abort();
    return uri;
}


/* The domain XML of a test guest NAME with EXTRA inside <devices> and
 * LIFECYCLE before it (both may be ""). Caller frees. */
static inline char *
qtXML(const char *name, const char *lifecycle, const char *extra)
{
    char *xml = NULL;

    if (asprintf(&xml,
                 "<domain type='qemu'>\n"
                 "  <name>%s</name>\n"
                 "  <memory unit='MiB'>256</memory>\n"
                 "  <vcpu>1</vcpu>\n"
                 "  <os>\n"
                 "    <type arch='x86_64' machine='%s'>hvm</type>\n"
                 "    <kernel>%s/vmlinuz</kernel>\n"
                 "    <initrd>%s/initrd.img</initrd>\n"
                 "    <cmdline>console=ttyS0 panic=-1</cmdline>\n"
                 "  </os>\n"
                 "  <features><acpi/></features>\n"
                 "%s"
                 "  <devices>\n"
                 "    <serial type='pty'><target port='0'/></serial>\n"
                 "    <console type='pty'><target type='serial' port='0'/>"
                 "</console>\n"
                 "%s"
                 "  </devices>\n"
                 "</domain>\n", name, qtMachine, qtGuest, qtGuest, lifecycle,
                 extra) < 0)
        abort();
    return xml;
}

/* Open URI, retrying for a while: a connection closed just before may
 * still be referenced by queued events, and it holds the root until they
 * are delivered. */
static inline virConnectPtr
qtOpen(const char *uri)
{
    long long until = qtNowMs() + 5000;
    virConnectPtr conn;

    while (!(conn = virConnectOpen(uri)) && qtNowMs() < until)
        usleep(20 * 1000);
    return conn;
}

/* ---- events ---- */

typedef struct {
    int id;                     /* VIR_DOMAIN_EVENT_ID_* */
    int event, detail;
    char name[64];
} QtEvent;

static pthread_mutex_t qtEvLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qtEvCond = PTHREAD_COND_INITIALIZER;
static QtEvent qtEvents[256];
static int qtNEvents;
static volatile bool qtLoopRun = true;

static inline void
qtEventAdd(int id, virDomainPtr dom, int event, int detail)
{
    pthread_mutex_lock(&qtEvLock);
    if (qtNEvents < 256) {
        QtEvent *e = &qtEvents[qtNEvents++];

        e->id = id;
        e->event = event;
        e->detail = detail;
        snprintf(e->name, sizeof(e->name), "%s", virDomainGetName(dom));
    }
    pthread_cond_broadcast(&qtEvCond);
    pthread_mutex_unlock(&qtEvLock);
}

static inline int
qtOnLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
              void *opaque)
{
    qtEventAdd(VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom, event, detail);
    return 0;
}

static inline void
qtOnReboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    qtEventAdd(VIR_DOMAIN_EVENT_ID_REBOOT, dom, 0, 0);
}

static inline void *
qtLoop(void *opaque)
{
    while (qtLoopRun)
        virEventRunDefaultImpl();
    return NULL;
}

/* Register the default event loop and run it on a thread. */
static inline void
qtEventLoopStart(void)
{
    pthread_t t;

    virEventRegisterDefaultImpl();
    pthread_create(&t, NULL, qtLoop, NULL);
    pthread_detach(t);
}

/* Register the lifecycle and reboot callbacks on CONN. */
static inline void
qtEventsWatch(virConnectPtr conn)
{
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                     VIR_DOMAIN_EVENT_CALLBACK(qtOnLifecycle),
                                     NULL, NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                     VIR_DOMAIN_EVENT_CALLBACK(qtOnReboot),
                                     NULL, NULL);
}

static inline void
qtEventsClear(void)
{
    pthread_mutex_lock(&qtEvLock);
    qtNEvents = 0;
    pthread_mutex_unlock(&qtEvLock);
}

/* Wait up to MS for an event ID (EVENT, DETAIL; -1 matches any) about
 * NAME; it is consumed with everything before it. */
static inline bool
qtEventWait(const char *name, int id, int event, int detail, int ms)
{
    long long until = qtNowMs() + ms;
    bool found = false;

    pthread_mutex_lock(&qtEvLock);
    while (!found) {
        for (int i = 0; i < qtNEvents && !found; i++) {
            QtEvent *e = &qtEvents[i];

            if (e->id == id && strcmp(e->name, name) == 0 &&
                (event < 0 || e->event == event) &&
                (detail < 0 || e->detail == detail)) {
                found = true;
                memmove(qtEvents, qtEvents + i + 1,
                        (size_t)(qtNEvents - i - 1) * sizeof(*qtEvents));
                qtNEvents -= i + 1;
            }
        }
        if (found || qtNowMs() > until)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&qtEvCond, &qtEvLock, &ts);
    }
    pthread_mutex_unlock(&qtEvLock);
    return found;
}

static inline bool
qtLifecycle(const char *name, int event, int detail, int ms)
{
    return qtEventWait(name, VIR_DOMAIN_EVENT_ID_LIFECYCLE, event, detail, ms);
}

/* ---- host commands ---- */

/* Exit status of the shell command built from FMT, -1 if it died. */
static inline int __attribute__((format(printf, 1, 2)))
qtSh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The first line of the output of the shell command built from FMT,
 * without its newline ("" when none). Static: copy it before the next
 * call. */
static inline const char * __attribute__((format(printf, 1, 2)))
qtShLine(const char *fmt, ...)
{
    static char out[1024];
    char cmd[2048];
    va_list ap;
    FILE *p;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    out[0] = '\0';
    if ((p = popen(cmd, "r"))) {
        if (!fgets(out, sizeof(out), p))
            out[0] = '\0';
        pclose(p);
    }
    out[strcspn(out, "\n")] = '\0';
    return out;
}

/* The <disk> element of a virtio disk DEV on image PATH of FORMAT
 * (caller frees). */
static inline char *
qtDiskXML(const char *path, const char *format, const char *dev)
{
    char *xml = NULL;

    if (asprintf(&xml,
                 "    <disk type='file' device='disk'>\n"
                 "      <driver name='qemu' type='%s'/>\n"
                 "      <source file='%s'/>\n"
                 "      <target dev='%s' bus='virtio'/>\n"
                 "    </disk>\n", format, path, dev) < 0)
        abort();
    return xml;
}

/* ---- state ---- */

/* Wait up to MS for DOM to reach STATE; *REASON gets the last reason. */
static inline bool
qtWaitState(virDomainPtr dom, int state, int *reason, int ms)
{
    long long until = qtNowMs() + ms;
    int st = -1, rs = -1;

    do {
        if (virDomainGetState(dom, &st, &rs, 0) == 0 && st == state)
            break;
        usleep(20 * 1000);
    } while (qtNowMs() < until);
    if (reason)
        *reason = rs;
    return st == state;
}

/* The error code of the last failed call. */
static inline int
qtErrCode(void)
{
    virErrorPtr e = virGetLastError();

    return e ? e->code : 0;
}

static inline const char *
qtErrMsg(void)
{
    virErrorPtr e = virGetLastError();

    return e && e->message ? e->message : "";
}

/* ---- console ---- */

typedef struct {
    virStreamPtr st;
    char buf[65536];
    size_t len;
} QtConsole;

static inline void
qtNoErrors(void *opaque, virErrorPtr err)
{
}

/* Read from the console until NEEDLE shows up after position FROM on a
 * line of its own making (any occurrence) or MS pass. */
static inline bool
qtConsoleWait(QtConsole *c, const char *needle, int ms)
{
    long long until = qtNowMs() + ms;

    for (;;) {
        int n;

        c->buf[c->len] = '\0';
        if (strstr(c->buf, needle))
            return true;
        if (qtNowMs() > until)
            return false;
        if (c->len >= sizeof(c->buf) - 1) {
            /* keep the tail only */
            memmove(c->buf, c->buf + c->len / 2, c->len - c->len / 2);
            c->len -= c->len / 2;
        }
        n = virStreamRecv(c->st, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
        if (n == -2)
            usleep(20 * 1000);
        else if (n <= 0)
            return false;
        else
            c->len += (size_t)n;
    }
}

static inline void
qtConsoleForget(QtConsole *c)
{
    c->len = 0;
    c->buf[0] = '\0';
}

static inline bool
qtConsoleSend(QtConsole *c, const char *text)
{
    size_t len = strlen(text);

    return virStreamSend(c->st, text, len) == (int)len;
}

static inline int
qtConsoleOpen(QtConsole *c, virConnectPtr conn, virDomainPtr dom,
              unsigned int flags)
{
    memset(c, 0, sizeof(*c));
    c->st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    /* on failure the stream is kept (qtConsoleClose frees it) so that the
     * caller can still read the error */
    return virDomainOpenConsole(dom, NULL, c->st, flags);
}

static inline void
qtConsoleClose(QtConsole *c)
{
    if (!c->st)
        return;
    virStreamAbort(c->st);
    virStreamFree(c->st);
    c->st = NULL;
}

/* ---- common openings ---- */

/* Open ROOT's qemu:///embed with the event loop running, errors kept
 * quiet and lifecycle events recorded; NULL (reported) on failure. */
static inline virConnectPtr
qtConnect(const char *root)
{
    char *uri = qtURI(root);
    virConnectPtr conn;

    qtEventLoopStart();
    virSetErrorFunc(NULL, qtNoErrors);
    conn = qtOpen(uri);
    TAP_OK(conn != NULL, "open %s: %s", uri, qtErrMsg());
    free(uri);
    if (conn)
        qtEventsWatch(conn);
    return conn;
}

/* Define domain NAME with a new 64 MiB qcow2 image DISK as vda, start it
 * and wait MS for the guest on console CON. Exits when it cannot be
 * defined. */
static inline virDomainPtr
qtBootQcow2(virConnectPtr conn, const char *name, const char *disk,
            QtConsole *con, int ms)
{
    char *extra = qtDiskXML(disk, "qcow2", "vda");
    char *xml = qtXML(name, "", extra);
    virDomainPtr dom;

    free(extra);
    TAP_INT(qtSh("qemu-img create -q -f qcow2 '%s' 64M", disk), 0,
            "qcow2 disk created");
    dom = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(dom != NULL, "define: %s", qtErrMsg());
    if (!dom)
        exit(tapDone());
    TAP_INT(virDomainCreate(dom), 0, "start: %s", qtErrMsg());
    TAP_INT(qtConsoleOpen(con, conn, dom, 0), 0, "console: %s", qtErrMsg());
    TAP_OK(qtConsoleWait(con, QT_MARKER, ms), "guest booted");
    return dom;
}

/* Read the pid of domain NAME's QEMU from ROOT/run/NAME.pid (0 if none). */
static inline pid_t
qtQemuPid(const char *root, const char *name)
{
    char path[512];
    FILE *f;
    long pid = 0;

    snprintf(path, sizeof(path), "%s/run/%s.pid", root, name);
    if ((f = fopen(path, "r"))) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return (pid_t)pid;
}

/* The thread of process PID whose comm is COMM ("CPU 1/TCG"), 0 if
 * none. */
static inline pid_t
qtThreadByComm(pid_t pid, const char *comm)
{
    char path[300], buf[64];
    DIR *dir;
    struct dirent *e;
    pid_t found = 0;

    snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
    if (!(dir = opendir(path)))
        return 0;
    while (!found && (e = readdir(dir))) {
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%ld/task/%s/comm", (long)pid,
                 e->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        if (fgets(buf, sizeof(buf), f)) {
            buf[strcspn(buf, "\n")] = '\0';
            if (strcmp(buf, comm) == 0)
                found = atoi(e->d_name);
        }
        fclose(f);
    }
    closedir(dir);
    return found;
}

/* The first line of file PATH into OUT (LEN bytes), "" when it cannot be
 * read. Returns OUT. */
static inline char *
qtReadLine(const char *path, char *out, size_t len)
{
    FILE *f = fopen(path, "r");

    out[0] = '\0';
    if (f) {
        if (fgets(out, (int)len, f))
            out[strcspn(out, "\n")] = '\0';
        fclose(f);
    }
    return out;
}

/* The v1 cgroup of process PID ("self" or a number) for controller CTRL,
 * as /proc/PID/cgroup lists it ("" for the root), into OUT (LEN bytes).
 * False when it is not listed. */
static inline bool
qtCgroupOf(const char *pid, const char *ctrl, char *out, size_t len)
{
    char path[64], line[512];
    bool found = false;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
    if (!(f = fopen(path, "r")))
        return false;
    while (!found && fgets(line, sizeof(line), f)) {
        char *c = strchr(line, ':'), *p;

        if (!c || !(p = strchr(c + 1, ':')))
            continue;
        *p = '\0';
        if (strcmp(c + 1, ctrl) == 0) {
            p[1 + strcspn(p + 1, "\n")] = '\0';
            snprintf(out, len, "%s", strcmp(p + 1, "/") ? p + 1 : "");
            found = true;
        }
    }
    fclose(f);
    return found;
}

/* The affinity of thread TID as a bit mask of the first 32 CPUs (0 when
 * it cannot be read). */
static inline unsigned int
qtAffinity(pid_t tid)
{
    cpu_set_t set;
    unsigned int mask = 0;

    if (tid <= 0 || sched_getaffinity(tid, sizeof(set), &set) < 0)
        return 0;
    for (int i = 0; i < 32; i++)
        if (CPU_ISSET(i, &set))
            mask |= 1u << i;
    return mask;
}
