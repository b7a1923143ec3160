/* test.c: the test driver's core: domain table, helpers, lookups, lists */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_priv.h"
#include "conf/domain_list.h"
#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "uuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the domain table ---- */

static DomainDef testDomainGoneDef = { .id = -1 };
TestDomain testDomainGone = { .def = &testDomainGoneDef,
                              .state = VIR_DOMAIN_SHUTOFF };

TestHost *
testHostNew(void)
{
    TestHost *h = allocZero(sizeof(*h));

    pthread_mutex_init(&h->lock, NULL);
    h->byName = hashNew(NULL);
    h->byUUID = uuidMapNew();
    h->byID = hashNew(NULL);
    h->nextID = 1;
    return h;
}

void
testHostFree(TestHost *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->ndoms; i++)
        if (h->doms[i] != &testDomainGone)
            testDomainFree(h->doms[i]);
    free(h->doms);
    hashFree(h->byName);
    uuidMapFree(h->byUUID);
    hashFree(h->byID);
    if (h->extFree)
        h->extFree(h->ext);
    free(h->hostname);
    free(h->path);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

TestDomain *
testDomainNew(DomainDef *def)
{
    TestDomain *d = allocZero(sizeof(*d));

    def->id = -1;
    d->def = def;
    d->persistent = true;
    d->state = VIR_DOMAIN_SHUTOFF;
    d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    return d;
}

void
testDomainFree(TestDomain *d)
{
    if (!d)
        return;
    domainDefFree(d->def);
    domainDefFree(d->newDef);
    free(d->managedSave);
    domainDefFree(d->startDef);
    if (d->extFree)
        d->extFree(d->ext);
    free(d);
}

static void
testIDKey(int id, char *buf, size_t len)
{
    snprintf(buf, len, "%d", id);
}

void
testHostAddDomain(TestHost *h, TestDomain *d)
{
    char idstr[16];

    allocGrow(&h->doms, &h->capdoms, h->ndoms, sizeof(*h->doms));
    d->slot = h->ndoms;
    h->doms[h->ndoms++] = d;
    hashSet(h->byName, d->def->name, d);
    uuidMapSet(h->byUUID, d->def->uuid, d);
    if (d->def->id > 0) {
        testIDKey(d->def->id, idstr, sizeof(idstr));
        hashSet(h->byID, idstr, d);
    }
}

/* Squeeze the gone slots out of H's table, keeping the order. */
static void
testHostCompact(TestHost *h)
{
    size_t n = 0;

    for (size_t i = 0; i < h->ndoms; i++) {
        if (h->doms[i] == &testDomainGone)
            continue;
        h->doms[i]->slot = n;
        h->doms[n++] = h->doms[i];
    }
    h->ndoms = n;
    h->ngone = 0;
}

void
testHostRemoveDomain(TestHost *h, TestDomain *d)
{
    char idstr[16];

    hashSteal(h->byName, d->def->name);
    uuidMapSteal(h->byUUID, d->def->uuid);
    if (d->def->id > 0) {
        testIDKey(d->def->id, idstr, sizeof(idstr));
        hashSteal(h->byID, idstr);
    }
    /* closing the gap at once would move the whole tail on every removal
     * (O(n), 40k instructions at 10,000 domains): leave a placeholder and
     * compact once half the slots are placeholders */
    h->doms[d->slot] = &testDomainGone;
    if (++h->ngone * 2 > h->ndoms)
        testHostCompact(h);
    testDomainFree(d);
}

void
testHostRename(TestHost *h, TestDomain *d, const char *old)
{
    hashSteal(h->byName, old);
    hashSet(h->byName, d->def->name, d);
}

TestDomain *
testHostFindName(TestHost *h, const char *name)
{
    return hashGet(h->byName, name);
}

TestDomain *
testHostFindUUID(TestHost *h, const unsigned char *uuid)
{
    return uuidMapGet(h->byUUID, uuid);
}

/* ---- helpers shared with the feature files ---- */

TestHost *
testHostOf(virConnectPtr conn)
{
    TestHost *h = __atomic_load_n((TestHost **)&conn->privateData,
                                  __ATOMIC_ACQUIRE);

    return h ? h : testHostDefaultOf(conn);
}

TestDomain *
testDomainAcquire(virDomainPtr dom, TestHost **host)
{
    TestHost *h = testHostOf(dom->conn);
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    TestDomain *d;

    pthread_mutex_lock(&h->lock);
    if (!(d = testHostFindUUID(h, dom->uuid))) {
        pthread_mutex_unlock(&h->lock);
        uuidFormat(dom->uuid, uuidstr);
        reportError(VIR_ERR_NO_DOMAIN,
                    "no domain with matching uuid '%s' (%s)", uuidstr,
                    dom->name);
        return NULL;
    }
    *host = h;
    return d;
}

void
testHostUnlock(TestHost *host)
{
    pthread_mutex_unlock(&host->lock);
}

bool
testDomainIsActiveRec(const TestDomain *d)
{
    return d->def->id > 0;
}

const char *
testStateName(int state)
{
    static const char *const names[] = {
        [VIR_DOMAIN_NOSTATE] = "in no state",
        [VIR_DOMAIN_RUNNING] = "running",
        [VIR_DOMAIN_BLOCKED] = "blocked",
        [VIR_DOMAIN_PAUSED] = "paused",
        [VIR_DOMAIN_SHUTDOWN] = "being shut down",
        [VIR_DOMAIN_SHUTOFF] = "shut off",
        [VIR_DOMAIN_CRASHED] = "crashed",
        [VIR_DOMAIN_PMSUSPENDED] = "pmsuspended",
    };

    if (state < 0 || state >= (int)(sizeof(names) / sizeof(names[0])))
        return "in an unknown state";
    return names[state];
}

int
testDomainCheckActive(const TestDomain *d)
{
    if (testDomainIsActiveRec(d))
        return 0;
    reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not running",
                d->def->name);
    return -1;
}

int
testDomainCheckInactive(const TestDomain *d)
{
    if (!testDomainIsActiveRec(d))
        return 0;
    reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is already active",
                d->def->name);
    return -1;
}

int
testCheckFlags(unsigned int flags, unsigned int supported)
{
    if (!(flags & ~supported))
        return 0;
    reportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x)",
                flags & ~supported);
    return -1;
}

int
testDomainAffect(TestDomain *d, unsigned int flags, DomainDef **live,
                 DomainDef **config)
{
    bool active = testDomainIsActiveRec(d);
    bool wantLive = flags & VIR_DOMAIN_AFFECT_LIVE;
    bool wantConfig = flags & VIR_DOMAIN_AFFECT_CONFIG;

    if (!wantLive && !wantConfig) {
        wantLive = active;
        wantConfig = !active;
    }
    if (wantLive && !active) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not running",
                    d->def->name);
        return -1;
    }
    if (wantConfig && !d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "transient domain '%s' has no persistent config",
                    d->def->name);
        return -1;
    }
    if (live)
        *live = wantLive ? d->def : NULL;
    if (config) {
        *config = NULL;
        if (wantConfig) {
            /* a running persistent domain always has newDef */
            *config = active ? d->newDef : d->def;
        }
    }
    return 0;
}

static unsigned long long
testNowNs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static unsigned long long
testDomainCpuTimeExact(const TestDomain *d)
{
    unsigned long long t = d->cpuTimeBase;

    if (d->state == VIR_DOMAIN_RUNNING) {
        unsigned long long start = (unsigned long long)d->startedAt.tv_sec *
                                   1000000000ULL + d->startedAt.tv_nsec;
        t += testNowNs() - start;
    }
    return t;
}

/* Whole seconds only, so that output of short sessions (CLI golden files)
 * stays deterministic. */
unsigned long long
testDomainCpuTime(const TestDomain *d)
{
    unsigned long long t = testDomainCpuTimeExact(d);

    return t - t % 1000000000ULL;
}

void
testDomainSetState(TestDomain *d, int state, int reason)
{
    if (d->state == VIR_DOMAIN_RUNNING && state != VIR_DOMAIN_RUNNING)
        d->cpuTimeBase = testDomainCpuTimeExact(d);
    if (state == VIR_DOMAIN_RUNNING && d->state != VIR_DOMAIN_RUNNING)
        clock_gettime(CLOCK_MONOTONIC, &d->startedAt);
    d->state = state;
    d->reason = reason;
}

static char *
testConfigFormat(const DomainDef *def)
{
    return domainDefFormat(def, VIR_DOMAIN_XML_INACTIVE |
                                VIR_DOMAIN_XML_SECURE);
}

/* Keep a copy of D's config as it starts (IsUpdated compares with it). */
void
testDomainMarkConfig(TestDomain *d)
{
    /* a copy costs a tenth of formatting, and starts are frequent */
    domainDefFree(d->startDef);
    d->startDef = d->newDef ? domainDefCopy(d->newDef) : NULL;
    d->updated = false;
}

void
testDomainStartState(TestHost *h, TestDomain *d, int state, int reason)
{
    char idstr[16];

    if (d->persistent && !d->newDef) {
        DomainDef *live = domainDefCopy(d->def);

        /* a copy of a valid definition only fails on our bugs: then run on
         * the config itself */
        if (live) {
            d->newDef = d->def;
            d->def = live;
        }
    }
    d->def->id = h->nextID++;
    testIDKey(d->def->id, idstr, sizeof(idstr));
    hashSet(h->byID, idstr, d);
    d->cpuTimeBase = 0;
    testDomainMarkConfig(d);
    testDomainSetState(d, state, reason);
}

void
testDomainStop(virConnectPtr conn, TestHost *h, TestDomain *d, int reason,
               int event, int detail)
{
    char idstr[16];

    testEventLifecycle(conn, d, event, detail);
    if (!d->persistent) {
        testHostRemoveDomain(h, d);
        return;
    }
    testIDKey(d->def->id, idstr, sizeof(idstr));
    hashSteal(h->byID, idstr);
    if (d->newDef) {
        domainDefFree(d->def);
        d->def = d->newDef;
        d->newDef = NULL;
    }
    d->def->id = -1;
    d->updated = false;
    domainDefFree(d->startDef);
    d->startDef = NULL;
    testDomainSetState(d, VIR_DOMAIN_SHUTOFF, reason);
    d->cpuTimeBase = 0;
}

__attribute__((weak)) int
testSnapshotCount(TestDomain *d)
{
    (void)d;
    return 0;
}

/* ---- events and objects ---- */

virDomainPtr
testDomainObject(virConnectPtr conn, const TestDomain *d)
{
    return domainNew(conn, d->def->name, d->def->uuid, d->def->id);
}

DomainEvent *
testEventNew(virConnectPtr conn, TestDomain *d, int eventID)
{
    virDomainPtr dom = testDomainObject(conn, d);
    DomainEvent *ev = domainEventNew(dom, eventID);

    objectUnref(dom);
    return ev;
}

void
testEventLifecycle(virConnectPtr conn, TestDomain *d, int event, int detail)
{
    virDomainPtr dom = testDomainObject(conn, d);

    domainEventLifecycle(dom, event, detail);
    objectUnref(dom);
}

/* ---- lookups ---- */

static virDomainPtr
testDomainLookupByID(virConnectPtr conn, int id)
{
    TestHost *h = testHostOf(conn);
    virDomainPtr dom = NULL;
    char idstr[16];
    TestDomain *d;

    testIDKey(id, idstr, sizeof(idstr));
    pthread_mutex_lock(&h->lock);
    if ((d = hashGet(h->byID, idstr)))
        dom = testDomainObject(conn, d);
    pthread_mutex_unlock(&h->lock);
    if (!dom)
        reportError(VIR_ERR_NO_DOMAIN, "no domain with id %d", id);
    return dom;
}

static virDomainPtr
testDomainLookupByName(virConnectPtr conn, const char *name)
{
    TestHost *h = testHostOf(conn);
    virDomainPtr dom = NULL;
    TestDomain *d;

    pthread_mutex_lock(&h->lock);
    /* NAME is the domain's name (the table compared them): copying it
     * spares a cache miss on the definition's copy with many domains */
    if ((d = testHostFindName(h, name)))
        dom = domainNew(conn, name, d->def->uuid, d->def->id);
    pthread_mutex_unlock(&h->lock);
    if (!dom)
        reportError(VIR_ERR_NO_DOMAIN, "no domain with name '%s'", name);
    return dom;
}

static virDomainPtr
testDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    TestHost *h = testHostOf(conn);
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virDomainPtr dom = NULL;
    TestDomain *d;

    pthread_mutex_lock(&h->lock);
    if ((d = testHostFindUUID(h, uuid)))
        dom = testDomainObject(conn, d);
    pthread_mutex_unlock(&h->lock);
    if (!dom) {
        uuidFormat(uuid, uuidstr);
        reportError(VIR_ERR_NO_DOMAIN, "no domain with uuid '%s'", uuidstr);
    }
    return dom;
}

static virDomainPtr
testDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (uuidParse(uuidstr, uuid) < 0) {
        reportError(VIR_ERR_INVALID_ARG, "malformed uuid '%s'", uuidstr);
        return NULL;
    }
    return testDomainLookupByUUID(conn, uuid);
}

/* ---- listing ---- */

static bool
testDomainMatches(TestDomain *d, unsigned int flags)
{
    DomainListInfo info = {
        .active = testDomainIsActiveRec(d),
        .persistent = d->persistent,
        .autostart = d->autostart,
        .managedSave = d->hasManagedSave,
        .hasSnapshot = (flags & (VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT |
                                 VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)) &&
                       testSnapshotCount(d) > 0,
        .state = d->state,
    };

    return domainListMatches(&info, flags);
}

#define LIST_ALL_FLAGS \
    (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE | \
     VIR_CONNECT_LIST_DOMAINS_PERSISTENT | \
     VIR_CONNECT_LIST_DOMAINS_TRANSIENT | \
     VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED | \
     VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER | \
     VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | \
     VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE | \
     VIR_CONNECT_LIST_DOMAINS_AUTOSTART | \
     VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART | \
     VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | \
     VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT | \
     VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT | \
     VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)

static int
testConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains,
                          unsigned int flags)
{
    TestHost *h = testHostOf(conn);
    virDomainPtr *list = NULL;
    size_t n = 0;

    if (testCheckFlags(flags, LIST_ALL_FLAGS) < 0)
        return -1;
    /* checkpoints are not simulated: no domain has one */
    pthread_mutex_lock(&h->lock);
    if (domains)
        list = allocArray(h->ndoms + 1, sizeof(*list));
    for (size_t i = 0; i < h->ndoms; i++) {
        if (h->doms[i] == &testDomainGone ||
            !testDomainMatches(h->doms[i], flags))
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

/* ---- per-domain queries ---- */

static int
testDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    TestHost *h;
    TestDomain *d;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    memset(info, 0, sizeof(*info));
    info->state = (unsigned char)d->state;
    info->maxMem = d->def->memory;
    info->memory = d->def->curMemory;
    info->nrVirtCpu = (unsigned short)d->def->curVcpus;
    info->cpuTime = testDomainCpuTime(d);
    testHostUnlock(h);
    return 0;
}

static int
testDomainGetState(virDomainPtr dom, int *state, int *reason,
                   unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    *state = d->state;
    if (reason)
        *reason = d->reason;
    testHostUnlock(h);
    return 0;
}

static char *
testDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    char *xml;
    unsigned int fmt = flags & (VIR_DOMAIN_XML_SECURE |
                                VIR_DOMAIN_XML_INACTIVE);

    if (testCheckFlags(flags, VIR_DOMAIN_XML_SECURE |
                       VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_UPDATE_CPU |
                       VIR_DOMAIN_XML_MIGRATABLE) < 0)
        return NULL;
    if ((flags & VIR_DOMAIN_XML_SECURE) &&
        (dom->conn->flags & VIR_CONNECT_RO)) {
        reportError(VIR_ERR_OPERATION_DENIED,
                    "secure XML needs a read-write connection");
        return NULL;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return NULL;
    if ((flags & VIR_DOMAIN_XML_INACTIVE) && d->newDef)
        xml = domainDefFormat(d->newDef, fmt);
    else
        xml = domainDefFormat(d->def, fmt);
    testHostUnlock(h);
    return xml;
}

static int
testDomainIsActive(virDomainPtr dom)
{
    TestHost *h;
    TestDomain *d;
    int ret;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    ret = testDomainIsActiveRec(d);
    testHostUnlock(h);
    return ret;
}

static int
testDomainIsPersistent(virDomainPtr dom)
{
    TestHost *h;
    TestDomain *d;
    int ret;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    ret = d->persistent;
    testHostUnlock(h);
    return ret;
}

static int
testDomainIsUpdated(virDomainPtr dom)
{
    TestHost *h;
    TestDomain *d;
    int ret;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    ret = d->updated;
    if (!ret && d->newDef && d->startDef) {
        /* changes to the config while running show in its formatting */
        char *now = testConfigFormat(d->newDef);
        char *then = testConfigFormat(d->startDef);

        ret = strcmp(now, then) != 0;
        free(now);
        free(then);
    }
    testHostUnlock(h);
    return ret;
}

/* ---- registration ---- */

void
testCoreFill(Driver *drv)
{
    drv->name = "Test";
    drv->connectListAllDomains = testConnectListAllDomains;
    drv->domainLookupByID = testDomainLookupByID;
    drv->domainLookupByName = testDomainLookupByName;
    drv->domainLookupByUUID = testDomainLookupByUUID;
    drv->domainLookupByUUIDString = testDomainLookupByUUIDString;
    drv->domainGetInfo = testDomainGetInfo;
    drv->domainGetState = testDomainGetState;
    drv->domainGetXMLDesc = testDomainGetXMLDesc;
    drv->domainIsActive = testDomainIsActive;
    drv->domainIsPersistent = testDomainIsPersistent;
    drv->domainIsUpdated = testDomainIsUpdated;
    testHostFill(drv);
    testLifecycleFill(drv);
    testSaveFill(drv);
    testConfigFill(drv);
}

void testDriverRegister(void);

/* Register the test driver (called once by driverInitAll). */
void
testDriverRegister(void)
{
    static Driver drv;

    testCoreFill(&drv);
    testFeaturesFill(&drv);
    driverRegister(&drv);
}
