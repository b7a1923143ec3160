/* test_priv.h: the test driver's simulated host, shared by its source files */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "driver.h"
#include "domain-events.h"
#include "conf/domain.h"
#include "hash.h"
#include "uuidmap.h"

/* One simulated domain. All fields are guarded by its host's lock. */
typedef struct _TestDomain TestDomain;
struct _TestDomain {
    DomainDef *def;             /* live definition (or the only one) */
    DomainDef *newDef;          /* persistent config while a persistent
                                   domain runs (def is then its live copy);
                                   NULL when inactive or transient */
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

    /* appended by the core */
    int managedSaveState;       /* state saved in managedSave (running or
                                   paused) */
    DomainDef *startDef;        /* copy of newDef when the domain started:
                                   IsUpdated compares their formats */
    size_t slot;                /* its index in the host's doms */
};

/* The whole simulated host of one connection. */
typedef struct _TestHost TestHost;
struct _TestHost {
    pthread_mutex_t lock;
    TestDomain **doms;          /* in definition order; a removed domain
                                   leaves testDomainGone in its slot until
                                   the table is compacted: loops skip it
                                   (it is inactive, so loops that only look
                                   at active domains need not) */
    size_t ndoms, capdoms;      /* ndoms counts the gone slots too */
    Hash *byName;               /* name -> TestDomain (borrowed) */
    UuidMap *byUUID;            /* uuid -> TestDomain (borrowed) */
    int nextID;
    virNodeInfo node;
    unsigned long long freeMemory;  /* bytes */
    char *hostname;
    void *ext;                  /* host-wide state of the feature files */
    void (*extFree)(void *ext);

    /* appended by the core */
    Hash *byID;                 /* decimal id -> TestDomain (borrowed) */
    char *path;                 /* the node file loaded, NULL for default */
    size_t ngone;               /* slots of doms holding testDomainGone */
};

/* What a removed domain leaves in its slot of TestHost.doms. */
extern TestDomain testDomainGone;

/* The host behind a connection of this driver. */
TestHost *testHostOf(virConnectPtr conn);
/* The host of test:///default connection CONN, built on first use
 * (test_host.c; only testHostOf calls it). */
TestHost *testHostDefaultOf(virConnectPtr conn);

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

/* The running time of D in nanoseconds (grows while it runs, in whole
 * seconds so that short sessions give deterministic output). */
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
/* Core files (taken): test.c test_host.c test_lifecycle.c test_save.c
 * test_config.c */

/* ---- more core helpers (test.c, test_lifecycle.c) ---- */

/* Report VIR_ERR_INVALID_ARG naming the bits of FLAGS outside SUPPORTED and
 * return -1; 0 when FLAGS is fine. */
int testCheckFlags(unsigned int flags, unsigned int supported);

/* The name of a virDomainState value ("running", "shut off", ...). */
const char *testStateName(int state);

/* Report VIR_ERR_OPERATION_INVALID "domain 'NAME' is already active" and
 * return -1 when D is active, else 0. */
int testDomainCheckInactive(const TestDomain *d);

/* Change D's state and reason, keeping its CPU time accounting right. */
void testDomainSetState(TestDomain *d, int state, int reason);

/* Make the inactive D run with STATE/REASON: assigns the next id, makes the
 * live copy of a persistent definition. Emits no event. */
void testDomainStartState(TestHost *h, TestDomain *d, int state, int reason);
/* Remember the config D (re)starts with, for IsUpdated. */
void testDomainMarkConfig(TestDomain *d);

/* Stop the active D with shut-off REASON, emitting lifecycle EVENT/DETAIL
 * on CONN first. A transient D is removed and freed: the caller must not
 * use D afterwards. */
void testDomainStop(virConnectPtr conn, TestHost *h, TestDomain *d,
                    int reason, int event, int detail);

/* The number of snapshots of D. test.c holds a weak default returning 0;
 * the snapshot code (test_snapshot*.c) overrides it. */
int testSnapshotCount(TestDomain *d);

/* Each core source file fills in its slots (called by testCoreFill). */
void testHostFill(Driver *drv);       /* test_host.c: URIs, node, caps */
void testLifecycleFill(Driver *drv);  /* test_lifecycle.c: define..destroy */
void testSaveFill(Driver *drv);       /* test_save.c: save, restore, dump */
void testConfigFill(Driver *drv);     /* test_config.c: mem, vcpus, meta */

/* ---- the host's domain table (test.c) ---- */

/* A new empty host (no domains; node values to be filled by the caller). */
TestHost *testHostNew(void);
/* Free H, its domains and their extension state. NULL is fine. */
void testHostFree(TestHost *h);
/* A new inactive persistent record owning DEF (def->id is set to -1). */
TestDomain *testDomainNew(DomainDef *def);
/* Free D, its definitions and extension state. NULL is fine. */
void testDomainFree(TestDomain *d);
/* Add D to H's table (H owns it); its name and uuid must be free. */
void testHostAddDomain(TestHost *h, TestDomain *d);
/* Take D out of H's table and free it. */
void testHostRemoveDomain(TestHost *h, TestDomain *d);
/* Lookups in H (borrowed, NULL when absent; no error reported). */
TestDomain *testHostFindName(TestHost *h, const char *name);
TestDomain *testHostFindUUID(TestHost *h, const unsigned char *uuid);
/* Re-key D in the name hash after its definition's name changed from OLD. */
void testHostRename(TestHost *h, TestDomain *d, const char *old);

/* ---- more core helpers (test_lifecycle.c, test_save.c) ---- */

/* The record DEF's name and uuid belong to (*FOUND, NULL when neither is
 * in use). Reports VIR_ERR_OPERATION_FAILED and returns -1 when the name
 * and the uuid belong to different domains. */
int testHostCheckClash(TestHost *h, const DomainDef *def, TestDomain **found);

/* Report VIR_ERR_OPERATION_INVALID naming D's state and return -1 unless D
 * is in STATE; "is not running" for an inactive D. */
int testDomainCheckState(const TestDomain *d, int state);

/* Start the inactive D from its managed save image (test_save.c): runs or
 * pauses it (PAUSED, or the saved state), emits STARTED_RESTORED and drops
 * the image. Returns 0 or -1 with an error (D unchanged). */
int testManagedSaveStart(virConnectPtr conn, TestHost *h, TestDomain *d,
                         bool paused);

/* ---- appended by the feature files ---- */

/* Record that a domain job of D finished (OPERATION: a
 * virDomainJobOperation such as VIR_DOMAIN_JOB_OPERATION_SAVE; ELAPSEDMS;
 * BYTES processed), so that virDomainGetJobStats with
 * VIR_DOMAIN_JOB_STATS_COMPLETED reports it (test_blockjob.c). */
void testJobCompleted(TestDomain *d, int operation,
                      unsigned long long elapsedMs, unsigned long long bytes);
