/* qemu_driver.c: the QEMU driver (qemu:///embed?root=DIR): opening and
 * closing a root, domain records, lookups, lists and host queries */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"
#include "qemu_net.h"
#include "qemu_tune.h"
#include "conf/domain_list.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "log.h"
#include "uuid.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* ---- domain records ---- */

void
qemuDomRef(QemuDom *d)
{
    d->refs++;
}

void
qemuDomUnref(QemuDom *d)
{
    if (!d || --d->refs > 0)
        return;
    domainDefFree(d->def);
    domainDefFree(d->newDef);
    qemuJobDataFree(d->jobData);
    for (size_t i = 0; i < d->nheldEvents; i++)
        domainEventFree(d->heldEvents[i]);
    free(d->heldEvents);
    free(d);
}

QemuDom *
qemuDomAdd(QemuDriver *drv, DomainDef *def, bool persistent)
{
    QemuDom *d = allocZero(sizeof(*d));

    d->refs = 1;
    d->drv = drv;
    d->def = def;
    d->def->id = -1;
    d->persistent = persistent;
    d->state = VIR_DOMAIN_SHUTOFF;
    d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    d->pidfd = -1;
    d->kickfd = -1;
    allocGrow(&drv->doms, &drv->capdoms, drv->ndoms, sizeof(*drv->doms));
    drv->doms[drv->ndoms++] = d;
    return d;
}

void
qemuDomRemove(QemuDriver *drv, QemuDom *d)
{
    for (size_t i = 0; i < drv->ndoms; i++) {
        if (drv->doms[i] != d)
            continue;
        memmove(drv->doms + i, drv->doms + i + 1,
                (drv->ndoms - i - 1) * sizeof(*drv->doms));
        drv->ndoms--;
        d->removed = true;
        qemuDomUnref(d);
        return;
    }
}

QemuDom *
qemuDomFindByName(QemuDriver *drv, const char *name)
{
    for (size_t i = 0; i < drv->ndoms; i++)
        if (strcmp(drv->doms[i]->def->name, name) == 0)
            return drv->doms[i];
    return NULL;
}

QemuDom *
qemuDomFindByUUID(QemuDriver *drv, const unsigned char *uuid)
{
    for (size_t i = 0; i < drv->ndoms; i++)
        if (memcmp(drv->doms[i]->def->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return drv->doms[i];
    return NULL;
}

QemuDom *
qemuDomGet(virDomainPtr dom)
{
    QemuDriver *drv = dom->conn->privateData;
    QemuDom *d;

    pthread_mutex_lock(&drv->lock);
    if (!(d = qemuDomFindByUUID(drv, dom->uuid))) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        pthread_mutex_unlock(&drv->lock);
        uuidFormat(dom->uuid, uuidstr);
        reportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                    uuidstr, dom->name);
        return NULL;
    }
    qemuDomRef(d);
    return d;
}

void
qemuDomRelease(QemuDom *d)
{
    QemuDriver *drv = d->drv;

    qemuDomUnref(d);
    pthread_mutex_unlock(&drv->lock);
}

/* Absolute deadline MS milliseconds from now (CLOCK_REALTIME, for
 * pthread_cond_timedwait). */
static struct timespec
qemuDeadline(int ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

int
qemuDomBeginJob(QemuDom *d)
{
    struct timespec until = qemuDeadline(QEMU_JOB_WAIT_MS);

    while (d->job) {
        if (pthread_cond_timedwait(&d->drv->cond, &d->drv->lock,
                                   &until) != 0) {
            reportError(VIR_ERR_OPERATION_TIMEOUT,
                        "timed out waiting for another operation on domain "
                        "'%s'", d->def->name);
            return -1;
        }
    }
    if (d->removed) {
        reportError(VIR_ERR_NO_DOMAIN, "domain '%s' no longer exists",
                    d->def->name);
        return -1;
    }
    d->job = true;
    return 0;
}

void
qemuDomEndJob(QemuDom *d)
{
    d->job = false;
    pthread_cond_broadcast(&d->drv->cond);
}

bool
qemuDomIsActive(const QemuDom *d)
{
    return d->pid > 0;
}

int
qemuDomCheckActive(const QemuDom *d)
{
    if (qemuDomIsActive(d))
        return 0;
    reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not running",
                d->def->name);
    return -1;
}

void
qemuDomSetState(QemuDom *d, int state, int reason)
{
    d->state = state;
    d->reason = reason;
    pthread_cond_broadcast(&d->drv->cond);
}

virDomainPtr
qemuDomObject(QemuDriver *drv, const QemuDom *d)
{
    return domainNew(drv->conn, d->def->name, d->def->uuid,
                     qemuDomIsActive(d) ? d->def->id : -1);
}

DomainEvent *
qemuDomEventNew(QemuDom *d, int eventID)
{
    virDomainPtr dom;
    DomainEvent *ev;

    if (d->drv->closing || !d->drv->conn)
        return NULL;
    dom = qemuDomObject(d->drv, d);
    ev = domainEventNew(dom, eventID);
    objectUnref(dom);
    return ev;
}

void
qemuDomEventLifecycle(QemuDom *d, int event, int detail)
{
    DomainEvent *ev = qemuDomEventNew(d, VIR_DOMAIN_EVENT_ID_LIFECYCLE);

    if (!ev)
        return;
    ev->i1 = event;
    ev->i2 = detail;
    logDebug("qemu", "domain '%s' lifecycle event %d/%d", d->def->name, event,
             detail);
    domainEventQueue(ev);
}

/* ---- opening a root ---- */

/* Decode %XX escapes of S (caller frees). */
static char *
qemuUriUnescape(const char *s, size_t len)
{
    char *out = allocZero(len + 1);
    size_t j = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len &&
            isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = { s[i + 1], s[i + 2], 0 };

            out[j++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    return out;
}

/* The default root for qemu:///system and qemu:///session. */
static char *
qemuDefaultRoot(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    const char *root = getenv("VIREO_ROOT");

    if (root && root[0] == '/')
        return allocStrdup(root);     /* as the vireo CLI does */
    if (geteuid() == 0)
        return allocStrdup("/var/lib/vireo");
    if (state && state[0] == '/')
        return allocPrintf("%s/vireo", state);
    return allocPrintf("%s/.local/state/vireo",
                       home && home[0] == '/' ? home : "/tmp");
}

/* The root directory URI names, or NULL with an error (declined URIs are
 * sorted out by the caller). */
static char *
qemuUriRoot(const char *uri)
{
    const char *rest = uri + strlen("qemu://");
    const char *q, *p;
    size_t len;
    char *root;

    if (strcmp(rest, "/system") == 0 || strcmp(rest, "/session") == 0)
        return qemuDefaultRoot();
    if (strncmp(rest, "/embed?", 7) != 0) {
        reportError(VIR_ERR_NO_CONNECT, "QEMU URI '%s' is not supported: use "
                    "qemu:///embed?root=DIR", uri);
        return NULL;
    }
    for (q = rest + 7; *q; q = p + (*p ? 1 : 0)) {
        p = q + strcspn(q, "&");
        if (strncmp(q, "root=", 5) == 0) {
            len = (size_t)(p - q - 5);
            root = qemuUriUnescape(q + 5, len);
            if (root[0] != '/') {
                reportError(VIR_ERR_INVALID_ARG, "root '%s' of URI '%s' is "
                            "not an absolute path", root, uri);
                free(root);
                return NULL;
            }
            while (strlen(root) > 1 && root[strlen(root) - 1] == '/')
                root[strlen(root) - 1] = '\0';
            return root;
        }
        if (!*p)
            break;
    }
    reportError(VIR_ERR_INVALID_ARG, "URI '%s' has no root=DIR parameter", uri);
    return NULL;
}

static void
qemuDriverFree(QemuDriver *drv)
{
    if (!drv)
        return;
    for (size_t i = 0; i < drv->ndoms; i++)
        qemuDomUnref(drv->doms[i]);
    free(drv->doms);
    if (drv->lockfd >= 0)
        close(drv->lockfd);
    pthread_mutex_destroy(&drv->lock);
    pthread_cond_destroy(&drv->cond);
    free(drv->root);
    free(drv);
}

/* Start the autostart domains that are not running (lock held); failures
 * are logged, as a host boot would. */
static void
qemuDriverAutostart(QemuDriver *drv)
{
    for (size_t i = 0; i < drv->ndoms; i++) {
        QemuDom *d = drv->doms[i];

        if (!d->autostart || qemuDomIsActive(d) || d->job)
            continue;
        qemuDomRef(d);
        d->job = true;
        if (qemuSaveStart(drv, d, 0) < 0) {
            logDebug("qemu", "autostart of '%s' failed: %s", d->def->name,
                     errorLast()->message ? errorLast()->message : "?");
            errorReset();
        }
        qemuDomEndJob(d);
        qemuDomUnref(d);
    }
}

/* Find the QEMUs that outlived their manager again (lock held). */
static void
qemuDriverReconnectAll(QemuDriver *drv)
{
    size_t n = drv->ndoms;
    QemuDom **all = allocArray(n + 1, sizeof(*all));

    for (size_t i = 0; i < n; i++) {
        all[i] = drv->doms[i];
        qemuDomRef(all[i]);
    }
    for (size_t i = 0; i < n; i++) {
        if (all[i]->pid > 0 && !all[i]->removed)
            qemuProcessReconnect(drv, all[i]);
        qemuDomUnref(all[i]);
    }
    free(all);
}

static DriverOpenResult
qemuConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth,
                unsigned int flags)
{
    QemuDriver *drv;
    char *root;

    if (strncmp(uri, "qemu://", 7) != 0)
        return DRIVER_OPEN_DECLINED;
    if (!(root = qemuUriRoot(uri)))
        return DRIVER_OPEN_ERROR;
    drv = allocZero(sizeof(*drv));
    drv->root = root;
    drv->lockfd = -1;
    drv->conn = conn;
    pthread_mutex_init(&drv->lock, NULL);
    pthread_cond_init(&drv->cond, NULL);
    if (qemuStateLockRoot(root, &drv->lockfd) < 0) {
        qemuDriverFree(drv);
        return DRIVER_OPEN_ERROR;
    }
    qemuProcessSubreaper(true);
    drv->subreaper = true;
    pthread_mutex_lock(&drv->lock);
    qemuStateLoadAll(drv);
    qemuDriverReconnectAll(drv);
    errorReset();
    qemuDriverAutostart(drv);
    pthread_mutex_unlock(&drv->lock);
    conn->privateData = drv;
    logDebug("qemu", "opened root '%s' with %zu domain(s)", root, drv->ndoms);
    return DRIVER_OPEN_SUCCESS;
}

static void
qemuConnectClose(virConnectPtr conn)
{
    QemuDriver *drv = conn->privateData;

    qemuProcessDetachAll(drv);
    if (drv->subreaper)
        qemuProcessSubreaper(false);
    qemuDriverFree(drv);
    conn->privateData = NULL;
}

/* ---- host queries ---- */

static const char *
qemuConnectGetType(virConnectPtr conn)
{
    return "QEMU";
}

static int
qemuConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    static unsigned long cached;
    FILE *p;
    unsigned int major = 0, minor = 0, micro = 0;

    if (!cached && (p = popen("qemu-system-x86_64 --version 2>/dev/null",
                              "r"))) {
        if (fscanf(p, "QEMU emulator version %u.%u.%u", &major, &minor,
                   &micro) >= 2)
            cached = major * 1000000UL + minor * 1000UL + micro;
        pclose(p);
    }
    *hvVer = cached;
    return 0;
}

static char *
qemuConnectGetHostname(virConnectPtr conn)
{
    char name[256];

    if (gethostname(name, sizeof(name)) < 0) {
        reportSystemError(errno, "cannot get the host name");
        return NULL;
    }
    name[sizeof(name) - 1] = '\0';
    return allocStrdup(name);
}

static int
qemuConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    return 255;
}

static int
qemuNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    struct utsname u;
    long pages = sysconf(_SC_PHYS_PAGES);
    long psize = sysconf(_SC_PAGESIZE);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    FILE *f;
    char line[256];
    double mhz = 0;

    memset(info, 0, sizeof(*info));
    uname(&u);
    memcpy(info->model, u.machine,
           strnlen(u.machine, sizeof(info->model) - 1));
    info->memory = (unsigned long)((unsigned long long)pages * psize / 1024);
    info->cpus = (unsigned int)ncpu;
    if ((f = fopen("/proc/cpuinfo", "re"))) {
        while (fgets(line, sizeof(line), f) && mhz == 0)
            sscanf(line, "cpu MHz : %lf", &mhz);
        fclose(f);
    }
    info->mhz = (unsigned int)mhz;
    info->nodes = 1;
    info->sockets = 1;
    info->cores = (unsigned int)ncpu;
    info->threads = 1;
    return 0;
}

static unsigned long long
qemuNodeGetFreeMemory(virConnectPtr conn)
{
    return (unsigned long long)sysconf(_SC_AVPHYS_PAGES) *
        (unsigned long long)sysconf(_SC_PAGESIZE);
}

/* The host's CPUs for virNodeGetCPUMap: how many exist (configured, as the
 * pinning calls count them), which are online (sysfs). */
static int
qemuNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap,
                  unsigned int *online, unsigned int flags)
{
    int ncpus = qemuThreadsHostCpus();
    int maplen = VIR_CPU_MAPLEN(ncpus);
    unsigned char *map;
    char set[1024] = "";
    unsigned int n = 0;
    FILE *f;

    if (flags) {
        reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x", flags);
        return -1;
    }
    if ((f = fopen("/sys/devices/system/cpu/online", "re"))) {
        if (!fgets(set, sizeof(set), f))
            set[0] = '\0';
        fclose(f);
    }
    set[strcspn(set, "\n")] = '\0';
    map = allocZero(maplen);
    /* no sysfs: every configured CPU counts as online */
    if (qemuThreadsParseSet(set[0] ? set : NULL, map, maplen,
                            "the host's online cpus") < 0) {
        free(map);
        return -1;
    }
    for (int i = 0; i < ncpus; i++)
        n += VIR_CPU_USED(map, i) ? 1 : 0;
    if (online)
        *online = n;
    if (cpumap)
        *cpumap = map;
    else
        free(map);
    return ncpus;
}

static char *
qemuConnectGetCapabilities(virConnectPtr conn)
{
    Buf b = { 0 };
    struct utsname u;
    bool kvm = access("/dev/kvm", R_OK | W_OK) == 0;

    uname(&u);
    bufAdd(&b, "<capabilities>\n  <host>\n    <cpu>\n");
    bufPrintf(&b, "      <arch>%s</arch>\n", u.machine);
    bufAdd(&b, "    </cpu>\n  </host>\n  <guest>\n");
    bufAdd(&b, "    <os_type>hvm</os_type>\n    <arch name='x86_64'>\n");
    bufAdd(&b, "      <wordsize>64</wordsize>\n");
    bufAdd(&b, "      <emulator>/usr/bin/qemu-system-x86_64</emulator>\n");
    bufAdd(&b, "      <machine>q35</machine>\n      <machine>pc</machine>\n");
    bufAdd(&b, "      <domain type='qemu'/>\n");
    if (kvm)
        bufAdd(&b, "      <domain type='kvm'/>\n");
    bufAdd(&b, "    </arch>\n  </guest>\n</capabilities>\n");
    return bufTake(&b);
}

/* ---- lists and lookups ---- */

static bool
qemuDomMatches(const QemuDom *d, unsigned int flags)
{
    DomainListInfo info = {
        .active = qemuDomIsActive(d),
        .persistent = d->persistent,
        .autostart = d->autostart,
        .hasSnapshot = qemuSnapshotHas(d),
        .managedSave = qemuSaveHasManaged(d),
        .state = d->state,
    };

    return domainListMatches(&info, flags);
}

#define QEMU_LIST_FLAGS \
    (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE | \
     VIR_CONNECT_LIST_DOMAINS_PERSISTENT | \
     VIR_CONNECT_LIST_DOMAINS_TRANSIENT | VIR_CONNECT_LIST_DOMAINS_RUNNING | \
     VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_SHUTOFF | \
     VIR_CONNECT_LIST_DOMAINS_OTHER | VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | \
     VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE | \
     VIR_CONNECT_LIST_DOMAINS_AUTOSTART | \
     VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART | \
     VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | \
     VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT | \
     VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT | \
     VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)

static int
qemuConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains,
                          unsigned int flags)
{
    QemuDriver *drv = conn->privateData;
    virDomainPtr *list = NULL;
    size_t n = 0;

    if (flags & ~QEMU_LIST_FLAGS) {
        reportError(VIR_ERR_INVALID_ARG, "unsupported flags 0x%x",
                    flags & ~QEMU_LIST_FLAGS);
        return -1;
    }
    pthread_mutex_lock(&drv->lock);
    if (domains)
        list = allocArray(drv->ndoms + 1, sizeof(*list));
    for (size_t i = 0; i < drv->ndoms; i++) {
        if (!qemuDomMatches(drv->doms[i], flags))
            continue;
        if (list)
            list[n] = qemuDomObject(drv, drv->doms[i]);
        n++;
    }
    pthread_mutex_unlock(&drv->lock);
    if (domains)
        *domains = list;
    return (int)n;
}

static virDomainPtr
qemuDomainLookupByID(virConnectPtr conn, int id)
{
    QemuDriver *drv = conn->privateData;
    virDomainPtr dom = NULL;

    pthread_mutex_lock(&drv->lock);
    for (size_t i = 0; i < drv->ndoms && !dom; i++)
        if (qemuDomIsActive(drv->doms[i]) && drv->doms[i]->def->id == id)
            dom = qemuDomObject(drv, drv->doms[i]);
    pthread_mutex_unlock(&drv->lock);
    if (!dom)
        reportError(VIR_ERR_NO_DOMAIN, "no domain with id %d", id);
    return dom;
}

static virDomainPtr
qemuDomainLookupByName(virConnectPtr conn, const char *name)
{
    QemuDriver *drv = conn->privateData;
    virDomainPtr dom = NULL;
    QemuDom *d;

    pthread_mutex_lock(&drv->lock);
    if ((d = qemuDomFindByName(drv, name)))
        dom = qemuDomObject(drv, d);
    pthread_mutex_unlock(&drv->lock);
    if (!dom)
        reportError(VIR_ERR_NO_DOMAIN, "no domain with name '%s'", name);
    return dom;
}

static virDomainPtr
qemuDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    QemuDriver *drv = conn->privateData;
    virDomainPtr dom = NULL;
    QemuDom *d;

    pthread_mutex_lock(&drv->lock);
    if ((d = qemuDomFindByUUID(drv, uuid)))
        dom = qemuDomObject(drv, d);
    pthread_mutex_unlock(&drv->lock);
    if (!dom) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        uuidFormat(uuid, uuidstr);
        reportError(VIR_ERR_NO_DOMAIN, "no domain with uuid '%s'", uuidstr);
    }
    return dom;
}

static virDomainPtr
qemuDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (uuidParse(uuidstr, uuid) < 0) {
        reportError(VIR_ERR_INVALID_ARG, "malformed uuid '%s'", uuidstr);
        return NULL;
    }
    return qemuDomainLookupByUUID(conn, uuid);
}

static Driver qemuDriver = {
    .name = "QEMU",
    .open = qemuConnectOpen,
    .close = qemuConnectClose,
    .connectGetType = qemuConnectGetType,
    .connectGetVersion = qemuConnectGetVersion,
    .connectGetHostname = qemuConnectGetHostname,
    .connectGetMaxVcpus = qemuConnectGetMaxVcpus,
    .connectGetCapabilities = qemuConnectGetCapabilities,
    .nodeGetInfo = qemuNodeGetInfo,
    .nodeGetFreeMemory = qemuNodeGetFreeMemory,
    .nodeGetCPUMap = qemuNodeGetCPUMap,
    .connectListAllDomains = qemuConnectListAllDomains,
    .domainLookupByID = qemuDomainLookupByID,
    .domainLookupByName = qemuDomainLookupByName,
    .domainLookupByUUID = qemuDomainLookupByUUID,
    .domainLookupByUUIDString = qemuDomainLookupByUUIDString,
};

void qemuDriverRegister(void);

/* Register the QEMU driver (called once from driverInitOnce). */
void
qemuDriverRegister(void)
{
    qemuDomainFill(&qemuDriver);
    /* the feature families, one file (or a few) each */
    qemuSaveFill(&qemuDriver);
    qemuSnapshotFill(&qemuDriver);
    qemuBlockFill(&qemuDriver);
    qemuHotplugFill(&qemuDriver);
    qemuTuneFill(&qemuDriver);
    qemuNetFill(&qemuDriver);
    qemuGuestFill(&qemuDriver);
    driverRegister(&qemuDriver);
}
