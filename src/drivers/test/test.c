/* test.c: the test driver: a simulated host kept in memory (test:///default) */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "driver.h"
#include "domain-events.h"
#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "hash.h"
#include "uuid.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;                     /* -1 when inactive */
    int state;                  /* virDomainState */
    int reason;
    unsigned long long maxMemory;   /* KiB */
    unsigned long long memory;      /* KiB */
    unsigned int vcpus;
    bool persistent;
    unsigned long long cpuTime;     /* ns */
} TestDomain;

typedef struct {
    pthread_mutex_t lock;
    TestDomain **doms;
    size_t ndoms, capdoms;
    Hash *byName;               /* name -> TestDomain (borrowed) */
    Hash *byUUID;               /* uuid string -> TestDomain (borrowed) */
    int nextID;
} TestHost;

static void
testDomainFree(TestDomain *d)
{
    if (!d)
        return;
    free(d->name);
    free(d);
}

static void
testHostAdd(TestHost *h, TestDomain *d)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    uuidFormat(d->uuid, uuidstr);
    allocGrow(&h->doms, &h->capdoms, h->ndoms, sizeof(*h->doms));
    h->doms[h->ndoms++] = d;
    hashSet(h->byName, d->name, d);
    hashSet(h->byUUID, uuidstr, d);
}

/* The fixed initial host of test:///default: one running domain 'test'. */
static TestHost *
testHostNewDefault(void)
{
    TestHost *h = allocZero(sizeof(*h));
    TestDomain *d = allocZero(sizeof(*d));

    pthread_mutex_init(&h->lock, NULL);
    h->byName = hashNew(NULL);
    h->byUUID = hashNew(NULL);
    d->name = allocStrdup("test");
    uuidParse("6695eb01-f6a4-8304-79aa-97f2502e193f", d->uuid);
    d->id = 1;
    d->state = VIR_DOMAIN_RUNNING;
    d->reason = VIR_DOMAIN_RUNNING_BOOTED;
    d->maxMemory = 8388608;
    d->memory = 2097152;
    d->vcpus = 2;
    d->persistent = true;
    testHostAdd(h, d);
    h->nextID = 2;
    return h;
}

static void
testHostFree(TestHost *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->ndoms; i++)
        testDomainFree(h->doms[i]);
    free(h->doms);
    hashFree(h->byName);
    hashFree(h->byUUID);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

static DriverOpenResult
testConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth,
                unsigned int flags)
{
    if (strncmp(uri, "test://", 7) != 0)
        return DRIVER_OPEN_DECLINED;
    if (strcmp(uri, "test:///default") != 0) {
        reportError(VIR_ERR_NO_SUPPORT,
                    "test driver URI '%s' is not supported yet: "
                    "use test:///default", uri);
        return DRIVER_OPEN_ERROR;
    }
    conn->privateData = testHostNewDefault();
    return DRIVER_OPEN_SUCCESS;
}

static void
testConnectClose(virConnectPtr conn)
{
    testHostFree(conn->privateData);
    conn->privateData = NULL;
}

static TestHost *
testHost(virConnectPtr conn)
{
    return conn->privateData;
}

/* Find DOM's record, locking the host; reports NO_DOMAIN and unlocks when
 * it is gone. The caller unlocks h->lock after use. */
static TestDomain *
testDomainLock(virDomainPtr dom, TestHost **hp)
{
    TestHost *h = testHost(dom->conn);
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    TestDomain *d;

    uuidFormat(dom->uuid, uuidstr);
    pthread_mutex_lock(&h->lock);
    if (!(d = hashGet(h->byUUID, uuidstr))) {
        pthread_mutex_unlock(&h->lock);
        reportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                    uuidstr, dom->name);
        return NULL;
    }
    *hp = h;
    return d;
}

static const char *
testConnectGetType(virConnectPtr conn)
{
    return "Test";
}

static int
testConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    *hvVer = 2;
    return 0;
}

static char *
testConnectGetHostname(virConnectPtr conn)
{
    return allocStrdup("vireo-test-host");
}

static int
testConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    return 32;
}

static int
testNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    memset(info, 0, sizeof(*info));
    strcpy(info->model, "i686");
    info->memory = 3145728;
    info->cpus = 16;
    info->mhz = 1400;
    info->nodes = 2;
    info->sockets = 2;
    info->cores = 2;
    info->threads = 2;
    return 0;
}

static unsigned long long
testNodeGetFreeMemory(virConnectPtr conn)
{
    return 2ULL * 1024 * 1024 * 1024;   /* bytes */
}

static char *
testConnectGetCapabilities(virConnectPtr conn)
{
    Buf b = { 0 };

    bufLine(&b, "<capabilities>\n");
    bufLine(&b, "  <host>\n");
    bufLine(&b, "    <cpu>\n      <arch>i686</arch>\n    </cpu>\n");
    bufLine(&b, "  </host>\n");
    bufLine(&b, "  <guest>\n");
    bufLine(&b, "    <os_type>hvm</os_type>\n");
    bufLine(&b, "    <arch name='i686'>\n");
    bufLine(&b, "      <wordsize>32</wordsize>\n");
    bufLine(&b, "      <domain type='test'/>\n");
    bufLine(&b, "    </arch>\n");
    bufLine(&b, "  </guest>\n");
    bufLine(&b, "</capabilities>\n");
    return bufTake(&b);
}

static virDomainPtr
testDomainObject(virConnectPtr conn, const TestDomain *d)
{
    return domainNew(conn, d->name, d->uuid, d->id);
}

static bool
testDomainMatches(const TestDomain *d, unsigned int flags)
{
    bool active = d->id > 0;

#define FILTER(set, want) \
    (!(flags & (set)) || ((flags & (set)) == (set)) || (want))
    return FILTER(VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                  VIR_CONNECT_LIST_DOMAINS_INACTIVE,
                  (flags & VIR_CONNECT_LIST_DOMAINS_ACTIVE) ? active : !active) &&
           FILTER(VIR_CONNECT_LIST_DOMAINS_PERSISTENT |
                  VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
                  (flags & VIR_CONNECT_LIST_DOMAINS_PERSISTENT) ?
                  d->persistent : !d->persistent) &&
           (!(flags & (VIR_CONNECT_LIST_DOMAINS_RUNNING |
                       VIR_CONNECT_LIST_DOMAINS_PAUSED |
                       VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
                       VIR_CONNECT_LIST_DOMAINS_OTHER)) ||
            ((flags & VIR_CONNECT_LIST_DOMAINS_RUNNING) &&
             d->state == VIR_DOMAIN_RUNNING) ||
            ((flags & VIR_CONNECT_LIST_DOMAINS_PAUSED) &&
             d->state == VIR_DOMAIN_PAUSED) ||
            ((flags & VIR_CONNECT_LIST_DOMAINS_SHUTOFF) &&
             d->state == VIR_DOMAIN_SHUTOFF) ||
            ((flags & VIR_CONNECT_LIST_DOMAINS_OTHER) &&
             d->state != VIR_DOMAIN_RUNNING && d->state != VIR_DOMAIN_PAUSED &&
             d->state != VIR_DOMAIN_SHUTOFF));
#undef FILTER
}

static int
testConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains,
                          unsigned int flags)
{
    TestHost *h = testHost(conn);
    virDomainPtr *list = NULL;
    size_t n = 0;

    pthread_mutex_lock(&h->lock);
    if (domains)
        list = allocArray(h->ndoms + 1, sizeof(*list));
    for (size_t i = 0; i < h->ndoms; i++) {
        if (!testDomainMatches(h->doms[i], flags))
            continue;
        if (list)
            list[n] = testDomainObject(conn, h->doms[i]);
        n++;
    }
    pthread_mutex_unlock(&h->lock);
    if (domains)
        *domains = list;
    return (int)n;
}

static int
testConnectNumOfDomains(virConnectPtr conn)
{
    return testConnectListAllDomains(conn, NULL,
                                     VIR_CONNECT_LIST_DOMAINS_ACTIVE);
}

static int
testConnectNumOfDefinedDomains(virConnectPtr conn)
{
    return testConnectListAllDomains(conn, NULL,
                                     VIR_CONNECT_LIST_DOMAINS_INACTIVE);
}

static int
testConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    TestHost *h = testHost(conn);
    int n = 0;

    pthread_mutex_lock(&h->lock);
    for (size_t i = 0; i < h->ndoms && n < maxids; i++)
        if (h->doms[i]->id > 0)
            ids[n++] = h->doms[i]->id;
    pthread_mutex_unlock(&h->lock);
    return n;
}

static int
testConnectListDefinedDomains(virConnectPtr conn, char **const names,
                              int maxnames)
{
    TestHost *h = testHost(conn);
    int n = 0;

    pthread_mutex_lock(&h->lock);
    for (size_t i = 0; i < h->ndoms && n < maxnames; i++)
        if (h->doms[i]->id < 0)
            names[n++] = allocStrdup(h->doms[i]->name);
    pthread_mutex_unlock(&h->lock);
    return n;
}

static virDomainPtr
testDomainLookupByID(virConnectPtr conn, int id)
{
    TestHost *h = testHost(conn);
    virDomainPtr dom = NULL;

    pthread_mutex_lock(&h->lock);
    for (size_t i = 0; i < h->ndoms && !dom; i++)
        if (id > 0 && h->doms[i]->id == id)
            dom = testDomainObject(conn, h->doms[i]);
    pthread_mutex_unlock(&h->lock);
    if (!dom)
        reportError(VIR_ERR_NO_DOMAIN, "no domain with id %d", id);
    return dom;
}

static virDomainPtr
testDomainLookupByName(virConnectPtr conn, const char *name)
{
    TestHost *h = testHost(conn);
    virDomainPtr dom = NULL;
    TestDomain *d;

    pthread_mutex_lock(&h->lock);
    if ((d = hashGet(h->byName, name)))
        dom = testDomainObject(conn, d);
    pthread_mutex_unlock(&h->lock);
    if (!dom)
        reportError(VIR_ERR_NO_DOMAIN, "no domain with name '%s'", name);
    return dom;
}

static virDomainPtr
testDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    TestHost *h = testHost(conn);
    unsigned char uuid[VIR_UUID_BUFLEN];
    char canon[VIR_UUID_STRING_BUFLEN];
    virDomainPtr dom = NULL;
    TestDomain *d;

    if (uuidParse(uuidstr, uuid) < 0) {
        reportError(VIR_ERR_INVALID_ARG, "malformed uuid '%s'", uuidstr);
        return NULL;
    }
    uuidFormat(uuid, canon);
    pthread_mutex_lock(&h->lock);
    if ((d = hashGet(h->byUUID, canon)))
        dom = testDomainObject(conn, d);
    pthread_mutex_unlock(&h->lock);
    if (!dom)
        reportError(VIR_ERR_NO_DOMAIN, "no domain with uuid '%s'", canon);
    return dom;
}

static virDomainPtr
testDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    uuidFormat(uuid, uuidstr);
    return testDomainLookupByUUIDString(conn, uuidstr);
}

static int
testDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    TestHost *h;
    TestDomain *d;

    if (!(d = testDomainLock(dom, &h)))
        return -1;
    info->state = (unsigned char)d->state;
    info->maxMem = d->maxMemory;
    info->memory = d->memory;
    info->nrVirtCpu = (unsigned short)d->vcpus;
    info->cpuTime = d->cpuTime;
    pthread_mutex_unlock(&h->lock);
    return 0;
}

static int
testDomainGetState(virDomainPtr dom, int *state, int *reason,
                   unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (!(d = testDomainLock(dom, &h)))
        return -1;
    *state = d->state;
    if (reason)
        *reason = d->reason;
    pthread_mutex_unlock(&h->lock);
    return 0;
}

static char *
testDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    Buf b = { 0 };
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (!(d = testDomainLock(dom, &h)))
        return NULL;
    uuidFormat(d->uuid, uuidstr);
    if (d->id > 0 && !(flags & VIR_DOMAIN_XML_INACTIVE))
        bufPrintf(&b, "<domain type='test' id='%d'>\n", d->id);
    else
        bufAdd(&b, "<domain type='test'>\n");
    bufAdd(&b, "  <name>");
    bufAddEscaped(&b, d->name);
    bufAdd(&b, "</name>\n");
    bufPrintf(&b, "  <uuid>%s</uuid>\n", uuidstr);
    bufPrintf(&b, "  <memory unit='KiB'>%llu</memory>\n", d->maxMemory);
    bufPrintf(&b, "  <currentMemory unit='KiB'>%llu</currentMemory>\n",
              d->memory);
    bufPrintf(&b, "  <vcpu placement='static'>%u</vcpu>\n", d->vcpus);
    bufAdd(&b, "  <os>\n    <type arch='i686'>hvm</type>\n  </os>\n");
    bufAdd(&b, "</domain>\n");
    pthread_mutex_unlock(&h->lock);
    return bufTake(&b);
}

static int
testDomainIsActive(virDomainPtr dom)
{
    TestHost *h;
    TestDomain *d;
    int ret;

    if (!(d = testDomainLock(dom, &h)))
        return -1;
    ret = d->id > 0;
    pthread_mutex_unlock(&h->lock);
    return ret;
}

static int
testDomainIsPersistent(virDomainPtr dom)
{
    TestHost *h;
    TestDomain *d;
    int ret;

    if (!(d = testDomainLock(dom, &h)))
        return -1;
    ret = d->persistent;
    pthread_mutex_unlock(&h->lock);
    return ret;
}

static int
testDomainIsUpdated(virDomainPtr dom)
{
    TestHost *h;
    TestDomain *d;

    if (!(d = testDomainLock(dom, &h)))
        return -1;
    pthread_mutex_unlock(&h->lock);
    return 0;
}

/* Move DOM between running and paused, emitting the lifecycle event. */
static int
testDomainSetPaused(virDomainPtr dom, bool pause)
{
    TestHost *h;
    TestDomain *d;
    int from = pause ? VIR_DOMAIN_RUNNING : VIR_DOMAIN_PAUSED;

    if (!(d = testDomainLock(dom, &h)))
        return -1;
    if (d->state != from) {
        pthread_mutex_unlock(&h->lock);
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is %s", d->name,
                    pause ? (d->state == VIR_DOMAIN_PAUSED ? "already paused"
                                                          : "not running")
                          : "not paused");
        return -1;
    }
    d->state = pause ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING;
    d->reason = pause ? VIR_DOMAIN_PAUSED_USER : VIR_DOMAIN_RUNNING_UNPAUSED;
    pthread_mutex_unlock(&h->lock);
    domainEventLifecycle(dom, pause ? VIR_DOMAIN_EVENT_SUSPENDED
                                    : VIR_DOMAIN_EVENT_RESUMED,
                         pause ? VIR_DOMAIN_EVENT_SUSPENDED_PAUSED
                               : VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    return 0;
}

static int
testDomainSuspend(virDomainPtr dom)
{
    return testDomainSetPaused(dom, true);
}

static int
testDomainResume(virDomainPtr dom)
{
    return testDomainSetPaused(dom, false);
}

static const Driver testDriver = {
    .name = "Test",
    .open = testConnectOpen,
    .close = testConnectClose,
    .connectGetType = testConnectGetType,
    .connectGetVersion = testConnectGetVersion,
    .connectGetHostname = testConnectGetHostname,
    .connectGetMaxVcpus = testConnectGetMaxVcpus,
    .connectGetCapabilities = testConnectGetCapabilities,
    .nodeGetInfo = testNodeGetInfo,
    .nodeGetFreeMemory = testNodeGetFreeMemory,
    .connectListAllDomains = testConnectListAllDomains,
    .connectNumOfDomains = testConnectNumOfDomains,
    .connectNumOfDefinedDomains = testConnectNumOfDefinedDomains,
    .connectListDomains = testConnectListDomains,
    .connectListDefinedDomains = testConnectListDefinedDomains,
    .domainLookupByID = testDomainLookupByID,
    .domainLookupByName = testDomainLookupByName,
    .domainLookupByUUID = testDomainLookupByUUID,
    .domainLookupByUUIDString = testDomainLookupByUUIDString,
    .domainGetInfo = testDomainGetInfo,
    .domainGetState = testDomainGetState,
    .domainGetXMLDesc = testDomainGetXMLDesc,
    .domainIsActive = testDomainIsActive,
    .domainIsPersistent = testDomainIsPersistent,
    .domainIsUpdated = testDomainIsUpdated,
    .domainSuspend = testDomainSuspend,
    .domainResume = testDomainResume,
};

void testDriverRegister(void);

void
testDriverRegister(void)
{
    driverRegister(&testDriver);
}
