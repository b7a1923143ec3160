/* test_priv.h: the test driver's simulated host, shared by its source files */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "driver.h"
#include "domain-events.h"
#include "conf/domain.h"
#include "hash.h"

/* One simulated domain. All fields are guarded by its host's lock. */
typedef struct _TestDomain TestDomain;
struct _TestDomain {
    DomainDef *def;             /* live definition (or the only one) */
    DomainDef *newDef;          /* persistent config while running, when it
                                   differs from def; NULL otherwise */
    bool persistent;
    bool autostart;
    bool updated;               /* config changed while running */
    int state;                  /* virDomainState */
    int reason;                 /* its reason enum */
    unsigned long long cpuTimeBase;   /* ns accumulated before startedAt */
    struct timespec startedAt;  /* when it last started running */
    bool hasManagedSave;
    char *managedSave;          /* managed save image contents */

    /* State owned by the feature files (snapshots, block jobs, tunables,
     * stats, guest-agent simulation...): created lazily by them, freed with
     * extFree when the domain goes away. */
    void *ext;
    void (*extFree)(void *ext);
};

/* The whole simulated host of one connection. */
typedef struct _TestHost TestHost;
struct _TestHost {
    pthread_mutex_t lock;
    TestDomain **doms;          /* in definition order */
    size_t ndoms, capdoms;
    Hash *byName;               /* name -> TestDomain (borrowed) */
    Hash *byUUID;               /* uuid string -> TestDomain (borrowed) */
    int nextID;
    virNodeInfo node;
    unsigned long long freeMemory;  /* bytes */
    char *hostname;
    void *ext;                  /* host-wide state of the feature files */
    void (*extFree)(void *ext);
};

/* The host behind a connection of this driver. */
TestHost *testHostOf(virConnectPtr conn);

/* Lock DOM's host and return DOM's record, or report VIR_ERR_NO_DOMAIN,
 * unlock and return NULL. On success the caller unlocks with
 * testHostUnlock(*host). */
TestDomain *testDomainAcquire(virDomainPtr dom, TestHost **host);
void testHostUnlock(TestHost *host);

/* True when D is running, paused, pmsuspended (has an id). */
bool testDomainIsActiveRec(const TestDomain *d);

/* Report VIR_ERR_OPERATION_INVALID "domain 'NAME' is not running" and
 * return -1 when D is inactive, else 0. */
int testDomainCheckActive(const TestDomain *d);

/* The definition a change with AFFECT_LIVE / AFFECT_CONFIG / CURRENT flags
 * applies to: resolves CURRENT, checks LIVE on an inactive domain and CONFIG
 * on a transient one (OPERATION_INVALID), and sets *live / *config (either
 * may be NULL when not wanted). Returns 0 or -1. */
int testDomainAffect(TestDomain *d, unsigned int flags, DomainDef **live,
                     DomainDef **config);

/* The running time of D in nanoseconds (grows while it runs). */
unsigned long long testDomainCpuTime(const TestDomain *d);

/* Queue a lifecycle event about D for CONN's callbacks. */
void testEventLifecycle(virConnectPtr conn, TestDomain *d, int event,
                        int detail);
/* A new event of EVENTID about D, to fill in and hand to domainEventQueue. */
DomainEvent *testEventNew(virConnectPtr conn, TestDomain *d, int eventID);

/* A domain object for D to hand to the caller. */
virDomainPtr testDomainObject(virConnectPtr conn, const TestDomain *d);

/* Each source file of the driver fills in the vtable slots it implements;
 * testDriverRegister (test.c) calls them all. */
void testCoreFill(Driver *drv);      /* test.c: host, lifecycle, XML, save */
void testFeaturesFill(Driver *drv);  /* test_*.c: the rest */
