/* test_guest.c: test driver guest-side calls, answered as if a guest agent
 * ran in every running domain: time, passwords, file systems, addresses,
 * guest info, keys, signals, NMI, control info, security labels */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_features.h"
#include "alloc.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The agent answers only while the guest runs. */
static int
testAgentCheck(const TestDomain *d)
{
    if (testDomainCheckActive(d) < 0)
        return -1;
    if (d->state != VIR_DOMAIN_RUNNING)
        return testStateError(d, "reach its guest agent");
    return 0;
}

/* Lock, find, check the agent is reachable. */
static TestDomain *
testAgentBegin(virDomainPtr dom, TestHost **h)
{
    TestDomain *d = testDomainAcquire(dom, h);

    if (d && testAgentCheck(d) < 0) {
        testHostUnlock(*h);
        return NULL;
    }
    /* a guest that restarted has thawed file systems */
    if (d && testExt(d)->frozenRun != d->def->id) {
        testExt(d)->frozen = 0;
        testExt(d)->frozenRun = d->def->id;
    }
    return d;
}

static long long
testNowNs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
testDomainGetTime(virDomainPtr dom, long long *seconds,
                  unsigned int *nseconds, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    long long t;

    if (testCheckFlags(flags, 0) < 0 || !(d = testAgentBegin(dom, &h)))
        return -1;
    t = testNowNs() + testExt(d)->timeOffsetNs;
    testHostUnlock(h);
    *seconds = t / 1000000000LL;
    *nseconds = t % 1000000000LL;
    return 0;
}

static int
testDomainSetTime(virDomainPtr dom, long long seconds, unsigned int nseconds,
                  unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, VIR_DOMAIN_TIME_SYNC) < 0)
        return -1;
    if (!(flags & VIR_DOMAIN_TIME_SYNC) &&
        (nseconds >= 1000000000U || seconds < 0 ||
         seconds > 9223372035LL)) {
        reportError(VIR_ERR_INVALID_ARG, "invalid time %lld.%09u", seconds,
                    nseconds);
        return -1;
    }
    if (!(d = testAgentBegin(dom, &h)))
        return -1;
    /* SYNC: the guest reads the (host) hardware clock again */
    testExt(d)->timeOffsetNs = (flags & VIR_DOMAIN_TIME_SYNC) ? 0 :
        seconds * 1000000000LL + nseconds - testNowNs();
    testHostUnlock(h);
    return 0;
}

static int
testDomainSetUserPassword(virDomainPtr dom, const char *user,
                          const char *password, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, VIR_DOMAIN_PASSWORD_ENCRYPTED) < 0)
        return -1;
    if (!*user) {
        reportError(VIR_ERR_INVALID_ARG, "empty user name");
        return -1;
    }
    if (!(d = testAgentBegin(dom, &h)))
        return -1;
    (void)password;
    testHostUnlock(h);
    return 0;
}

/* ---- file systems: one per non-cdrom disk, "/" on the first ---- */

static char *
testMountpoint(const DomainDef *def, size_t disk)
{
    size_t n = 0;

    for (size_t i = 0; i < disk; i++)
        n += def->disks[i]->device != DISK_DEVICE_CDROM;
    return n ? allocPrintf("/mnt/%s", def->disks[disk]->dst)
             : allocStrdup("/");
}

/* Number of guest file systems MOUNTPOINTS names (all when NULL); -1 with
 * INVALID_ARG for an unknown one. */
static int
testFsCount(const DomainDef *def, const char **mountpoints, unsigned int n)
{
    int all = 0;

    for (size_t i = 0; i < def->ndisks; i++)
        all += def->disks[i]->device != DISK_DEVICE_CDROM;
    for (unsigned int k = 0; mountpoints && k < n; k++) {
        bool found = false;

        for (size_t i = 0; i < def->ndisks && !found; i++) {
            char *mp;

            if (def->disks[i]->device == DISK_DEVICE_CDROM)
                continue;
            mp = testMountpoint(def, i);
            found = strcmp(mp, mountpoints[k]) == 0;
            free(mp);
        }
        if (!found) {
            reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no file system "
                        "mounted on '%s'", def->name, mountpoints[k]);
            return -1;
        }
    }
    return mountpoints && n ? (int)n : all;
}

static int
testDomainFSFreeze(virDomainPtr dom, const char **mountpoints,
                   unsigned int nmountpoints, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, 0) < 0 || !(d = testAgentBegin(dom, &h)))
        return -1;
    if (testExt(d)->frozen) {
        reportError(VIR_ERR_OPERATION_INVALID, "file systems of domain '%s' "
                    "are already frozen", d->def->name);
        goto cleanup;
    }
    if ((ret = testFsCount(d->def, mountpoints, nmountpoints)) >= 0)
        testExt(d)->frozen = ret;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainFSThaw(virDomainPtr dom, const char **mountpoints,
                 unsigned int nmountpoints, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret;

    if (testCheckFlags(flags, 0) < 0 || !(d = testAgentBegin(dom, &h)))
        return -1;
    /* thawing unfrozen file systems is fine and thaws nothing */
    if ((ret = testFsCount(d->def, mountpoints, nmountpoints)) >= 0) {
        ret = testExt(d)->frozen;
        testExt(d)->frozen = 0;
    }
    testHostUnlock(h);
    return ret;
}

static int
testDomainFSTrim(virDomainPtr dom, const char *mountPoint,
                 unsigned long long minimum, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (mountPoint) {
        reportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "trimming one mount point "
                    "('%s') is not supported: pass NULL", mountPoint);
        return -1;
    }
    (void)minimum;
    if (!(d = testAgentBegin(dom, &h)))
        return -1;
    if (testExt(d)->frozen)
        reportError(VIR_ERR_OPERATION_INVALID, "file systems of domain '%s' "
                    "are frozen", d->def->name);
    else
        ret = 0;
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetFSInfo(virDomainPtr dom, virDomainFSInfoPtr **info,
                    unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    virDomainFSInfoPtr *list;
    size_t n = 0;

    if (testCheckFlags(flags, 0) < 0 || !(d = testAgentBegin(dom, &h)))
        return -1;
    ALLOC_N(list, d->def->ndisks + 1);
    for (size_t i = 0; i < d->def->ndisks; i++) {
        const DiskDef *disk = d->def->disks[i];
        virDomainFSInfoPtr fs;

        if (disk->device == DISK_DEVICE_CDROM)
            continue;
        ALLOC(fs);
        fs->mountpoint = testMountpoint(d->def, i);
        fs->name = allocPrintf("%s1", disk->dst);
        fs->fstype = allocStrdup("ext4");
        fs->ndevAlias = 1;
        ALLOC_N(fs->devAlias, 1);
        fs->devAlias[0] = allocStrdup(disk->dst);
        list[n++] = fs;
    }
    testHostUnlock(h);
    *info = list;
    return n;
}

/* ---- interface addresses ---- */

static void
testAddAddr(virDomainInterfacePtr ifc, int type, const char *addr, int prefix)
{
    allocResize(&ifc->addrs, ifc->naddrs, ifc->naddrs + 1,
                sizeof(*ifc->addrs));
    ifc->addrs[ifc->naddrs].type = type;
    ifc->addrs[ifc->naddrs].addr = allocStrdup(addr);
    ifc->addrs[ifc->naddrs].prefix = prefix;
    ifc->naddrs++;
}

/* One interface as SOURCE sees it; NULL when SOURCE cannot see it. */
static virDomainInterfacePtr
testIfaceFor(const NetDef *net, size_t idx, unsigned int source)
{
    virDomainInterfacePtr ifc;
    char mac[18], ip[64];

    if (source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE &&
        net->type != NET_TYPE_NETWORK)
        return NULL;
    domainMacFormat(net->mac, mac);
    ALLOC(ifc);
    if (source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT)
        ifc->name = allocPrintf("eth%zu", idx);
    else
        ifc->name = net->ifname ? allocStrdup(net->ifname)
                                : allocPrintf("vnet%zu", idx);
    ifc->hwaddr = allocStrdup(mac);
    snprintf(ip, sizeof(ip), "192.168.122.%zu", 10 + idx);
    testAddAddr(ifc, VIR_IP_ADDR_TYPE_IPV4, ip, 24);
    if (source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT) {
        snprintf(ip, sizeof(ip), "fe80::5054:ff:fe%02x:%02x%02x",
                 net->mac[3], net->mac[4], net->mac[5]);
        testAddAddr(ifc, VIR_IP_ADDR_TYPE_IPV6, ip, 64);
    }
    return ifc;
}

static int
testDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                             unsigned int source, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    virDomainInterfacePtr *list;
    size_t n = 0;
    bool agent = source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (source >= VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LAST) {
        reportError(VIR_ERR_INVALID_ARG, "unknown address source %u", source);
        return -1;
    }
    if (agent && (dom->conn->flags & VIR_CONNECT_RO)) {
        reportError(VIR_ERR_OPERATION_DENIED, "asking the guest agent needs "
                    "a read-write connection");
        return -1;
    }
    if (!(d = agent ? testAgentBegin(dom, &h) : testDomainAcquire(dom, &h)))
        return -1;
    if (!agent && testDomainCheckActive(d) < 0) {
        testHostUnlock(h);
        return -1;
    }
    ALLOC_N(list, d->def->nnets + 2);
    if (agent) {
        ALLOC(list[n]);
        list[n]->name = allocStrdup("lo");
        list[n]->hwaddr = allocStrdup("00:00:00:00:00:00");
        testAddAddr(list[n], VIR_IP_ADDR_TYPE_IPV4, "127.0.0.1", 8);
        n++;
    }
    for (size_t i = 0; i < d->def->nnets; i++) {
        if ((list[n] = testIfaceFor(d->def->nets[i], i, source)))
            n++;
    }
    testHostUnlock(h);
    *ifaces = list;
    return n;
}

/* ---- guest info ---- */

static void
testInfoFs(const DomainDef *def, virTypedParameterPtr *p, int *n, int *max)
{
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];
    unsigned int count = 0;

    for (size_t i = 0; i < def->ndisks; i++) {
        char *mp;

        if (def->disks[i]->device == DISK_DEVICE_CDROM)
            continue;
        mp = testMountpoint(def, i);
        snprintf(name, sizeof(name), "fs.%u.mountpoint", count);
        typedParamsAddString(p, n, max, name, mp);
        free(mp);
        snprintf(name, sizeof(name), "fs.%u.fstype", count);
        typedParamsAddString(p, n, max, name, "ext4");
        snprintf(name, sizeof(name), "fs.%u.disk.count", count);
        typedParamsAddUInt(p, n, max, name, 1);
        snprintf(name, sizeof(name), "fs.%u.disk.0.alias", count);
        typedParamsAddString(p, n, max, name, def->disks[i]->dst);
        count++;
    }
    typedParamsAddUInt(p, n, max, "fs.count", count);
}

static int
testDomainGetGuestInfo(virDomainPtr dom, unsigned int types,
                       virTypedParameterPtr *params, int *nparams,
                       unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    unsigned int all = 0x7f;

    if (testCheckFlags(flags, 0) < 0 || testCheckFlags(types, all) < 0 ||
        !(d = testAgentBegin(dom, &h)))
        return -1;
    if (!types)
        types = all;
    if (types & VIR_DOMAIN_GUEST_INFO_USERS) {
        typedParamsAddUInt(&p, &n, &max, "user.count", 1);
        typedParamsAddString(&p, &n, &max, "user.0.name", "root");
        typedParamsAddULLong(&p, &n, &max, "user.0.login-time",
                             (unsigned long long)time(NULL) * 1000);
    }
    if (types & VIR_DOMAIN_GUEST_INFO_OS) {
        typedParamsAddString(&p, &n, &max, "os.id", "debian");
        typedParamsAddString(&p, &n, &max, "os.name", "Debian GNU/Linux");
        typedParamsAddString(&p, &n, &max, "os.version-id", "12");
        typedParamsAddString(&p, &n, &max, "os.kernel-release",
                             "6.1.0-vireo-test");
        typedParamsAddString(&p, &n, &max, "os.machine", "x86_64");
    }
    if (types & VIR_DOMAIN_GUEST_INFO_TIMEZONE) {
        typedParamsAddString(&p, &n, &max, "timezone.name", "UTC");
        typedParamsAddInt(&p, &n, &max, "timezone.offset", 0);
    }
    if (types & VIR_DOMAIN_GUEST_INFO_HOSTNAME)
        typedParamsAddString(&p, &n, &max, "hostname", d->def->name);
    if (types & VIR_DOMAIN_GUEST_INFO_FILESYSTEM)
        testInfoFs(d->def, &p, &n, &max);
    if (types & VIR_DOMAIN_GUEST_INFO_DISKS) {
        char name[VIR_TYPED_PARAM_FIELD_LENGTH];

        typedParamsAddUInt(&p, &n, &max, "disk.count", d->def->ndisks);
        for (size_t i = 0; i < d->def->ndisks; i++) {
            snprintf(name, sizeof(name), "disk.%zu.name", i);
            typedParamsAddString(&p, &n, &max, name, d->def->disks[i]->dst);
        }
    }
    if (types & VIR_DOMAIN_GUEST_INFO_INTERFACES)
        typedParamsAddUInt(&p, &n, &max, "if.count", d->def->nnets);
    testHostUnlock(h);
    *params = p;
    *nparams = n;
    return 0;
}

/* ---- input, signals, NMI, control, security ---- */

static int
testDomainSendKey(virDomainPtr dom, unsigned int codeset,
                  unsigned int holdtime, unsigned int *keycodes,
                  int nkeycodes, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (codeset >= VIR_KEYCODE_SET_LAST || nkeycodes <= 0 ||
        nkeycodes > VIR_DOMAIN_SEND_KEY_MAX_KEYS) {
        reportError(VIR_ERR_INVALID_ARG, "invalid codeset %u or number of "
                    "keys %d (1 to %d)", codeset, nkeycodes,
                    VIR_DOMAIN_SEND_KEY_MAX_KEYS);
        return -1;
    }
    for (int i = 0; i < nkeycodes; i++) {
        if (keycodes[i] > 0xffff) {
            reportError(VIR_ERR_INVALID_ARG, "invalid keycode %u",
                        keycodes[i]);
            return -1;
        }
    }
    (void)holdtime;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) == 0)
        ret = 0;
    testHostUnlock(h);
    return ret;
}

static int
testDomainSendProcessSignal(virDomainPtr dom, long long pid_value,
                            unsigned int signum, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (signum >= VIR_DOMAIN_PROCESS_SIGNAL_LAST || pid_value < 1) {
        reportError(VIR_ERR_INVALID_ARG, "invalid signal %u or process %lld",
                    signum, pid_value);
        return -1;
    }
    if (!(d = testAgentBegin(dom, &h)))
        return -1;
    /* the guest runs one process, init (pid 1) */
    if (pid_value != 1) {
        reportError(VIR_ERR_INVALID_ARG, "domain '%s' has no process %lld",
                    d->def->name, pid_value);
        testHostUnlock(h);
        return -1;
    }
    testHostUnlock(h);
    return 0;
}

static int
testDomainInjectNMI(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, 0) < 0 || !(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) == 0)
        ret = 0;
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetControlInfo(virDomainPtr dom, virDomainControlInfoPtr info,
                         unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, 0) < 0 || !(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainCheckActive(d) == 0) {
        memset(info, 0, sizeof(*info));
        info->state = VIR_DOMAIN_CONTROL_OK;
        ret = 0;
    }
    testHostUnlock(h);
    return ret;
}

/* No security driver: an empty label, not enforcing (model "none"). */
static int
testDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    TestHost *h;

    if (!testDomainAcquire(dom, &h))
        return -1;
    testHostUnlock(h);
    memset(seclabel, 0, sizeof(*seclabel));
    return 0;
}

static int
testDomainGetSecurityLabelList(virDomainPtr dom, virSecurityLabelPtr *seclabels)
{
    TestHost *h;

    if (!testDomainAcquire(dom, &h))
        return -1;
    testHostUnlock(h);
    ALLOC_N(*seclabels, 1);
    return 1;
}

/* Fill in this file's slots. */
void
testGuestFill(Driver *drv)
{
    drv->domainGetTime = testDomainGetTime;
    drv->domainSetTime = testDomainSetTime;
    drv->domainSetUserPassword = testDomainSetUserPassword;
    drv->domainFSFreeze = testDomainFSFreeze;
    drv->domainFSThaw = testDomainFSThaw;
    drv->domainFSTrim = testDomainFSTrim;
    drv->domainGetFSInfo = testDomainGetFSInfo;
    drv->domainInterfaceAddresses = testDomainInterfaceAddresses;
    drv->domainGetGuestInfo = testDomainGetGuestInfo;
    drv->domainSendKey = testDomainSendKey;
    drv->domainSendProcessSignal = testDomainSendProcessSignal;
    drv->domainInjectNMI = testDomainInjectNMI;
    drv->domainGetControlInfo = testDomainGetControlInfo;
    drv->domainGetSecurityLabel = testDomainGetSecurityLabel;
    drv->domainGetSecurityLabelList = testDomainGetSecurityLabelList;
}
