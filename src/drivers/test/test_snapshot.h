/* test_snapshot.h: the test driver's snapshot records, shared by
 * test_snapshot.c and test_snaprevert.c */
#pragma once

#include "test_features.h"

/* Snapshot states of the <state> element: the virDomainState values, plus
 * one for disk-only snapshots. */
enum {
    SNAP_STATE_RUNNING = VIR_DOMAIN_RUNNING,
    SNAP_STATE_PAUSED = VIR_DOMAIN_PAUSED,
    SNAP_STATE_SHUTOFF = VIR_DOMAIN_SHUTOFF,
    SNAP_STATE_DISK_SNAPSHOT = 8,
};

/* One snapshot of a domain. */
typedef struct {
    char *name;
    char *description;
    char *parent;               /* parent's name, NULL for a root */
    long long creationTime;     /* seconds since the epoch */
    int state;                  /* SNAP_STATE_* or a virDomainState */
    bool memory;                /* guest memory captured (active) */
    bool diskOnly;              /* external disk-only snapshot */
    DomainDef *def;             /* the domain (live one if it ran) */
    DomainDef *inactiveDef;     /* its persistent config, when it ran */
} TestSnap;

struct _TestSnapList {
    TestSnap **snaps;           /* in creation order */
    size_t n;
    char *current;              /* name of the current snapshot or NULL */
};

void testSnapFree(TestSnap *s);
/* D's snapshot list, created on first use. */
TestSnapList *testSnapList(TestDomain *d);
/* D's snapshot NAME, or NULL (no error). */
TestSnap *testSnapFind(TestDomain *d, const char *name);
/* Lock and find SNAP's record and domain, or report and return NULL. */
TestSnap *testSnapAcquire(virDomainSnapshotPtr snap, TestHost **h,
                          TestDomain **d);
/* <domainsnapshot> XML of S; caller frees. */
char *testSnapFormat(const TestSnap *s, unsigned int xmlFlags);
/* Fill in the create/revert/delete slots (test_snaprevert.c). */
void testSnapRevertFill(Driver *drv);
