/* test_features.h: state and helpers shared by the test driver's feature files */
#pragma once

#include "test_priv.h"
#include "typedparam.h"

typedef struct _TestSnapList TestSnapList;   /* test_snapshot.c */
typedef struct _TestJobs TestJobs;           /* test_blockjob.c */
typedef struct _TestChrSessions TestChrSessions;   /* test_streams.c */

/* What the feature files keep per domain (TestDomain.ext). */
typedef struct {
    TestSnapList *snaps;        /* snapshots, NULL until the first one */
    TestJobs *jobs;             /* block jobs and the last completed job */
    unsigned int frozen;        /* mount points frozen by FSFreeze */
    int frozenRun;              /* domain id when they were frozen */
    long long timeOffsetNs;     /* guest clock minus host clock */
    TestChrSessions *chr;       /* open console/channel streams */
    unsigned long long *diskSizes;  /* BlockResize results, by disk dst */
    char **diskSizeNames;
    size_t ndiskSizes;
} TestExt;

/* D's feature state, created on first use (D's extFree is set then). */
TestExt *testExt(TestDomain *d);

/* For get calls: reject AFFECT_LIVE together with AFFECT_CONFIG. */
int testCheckGetAffect(unsigned int flags);

/* Report OPERATION_INVALID "domain 'N' is <state>" (the caller decided the
 * state makes no sense for the call) and return -1. */
int testStateError(const TestDomain *d, const char *what);

/* Index in DEF of the disk named DISK (target or source path), or -1 with
 * VIR_ERR_INVALID_ARG "domain 'N' has no disk 'DISK'". */
int testDiskIndex(const DomainDef *def, const char *disk);
/* Index in DEF of the interface DEV (ifname or MAC), or -1 with
 * VIR_ERR_INVALID_ARG. */
int testNetIndex(const DomainDef *def, const char *dev);

/* The size in bytes the simulated disk DISK of D has (capacity). */
unsigned long long testDiskCapacity(TestDomain *d, const DiskDef *disk);
/* Record a new capacity for DISK (BlockResize). */
void testDiskSetCapacity(TestDomain *d, const DiskDef *disk,
                         unsigned long long bytes);

/* Queue a tunable event for D carrying PARAMS (copied). */
void testEventTunable(virConnectPtr conn, TestDomain *d,
                      virTypedParameterPtr params, int nparams);

/* A cpuset string ("0-2,5") for the bits of CPUMAP (MAPLEN bytes) limited
 * to the host's NCPUS; caller frees. NULL with INVALID_ARG when empty. */
char *testCpumapFormat(const unsigned char *cpumap, int maplen, int ncpus);
/* Set the bits of cpuset string SET (NULL = all NCPUS) in CPUMAP of MAPLEN
 * bytes (cleared first). Returns 0 or -1 with VIR_ERR_INTERNAL_ERROR for a
 * malformed set (they were validated when stored). */
int testCpumapParse(const char *set, int ncpus, unsigned char *cpumap,
                    int maplen);
/* Validate a node/cpu set string (digits, ranges, commas; values below
 * LIMIT). 0, or -1 with VIR_ERR_INVALID_ARG naming WHAT. */
int testCpusetCheck(const char *set, int limit, const char *what);

/* Family helpers called from other feature files. */
void testSnapListFree(TestSnapList *s);
void testJobsFree(TestJobs *j);
/* Stop D's block jobs on a disk being removed / on shutdown. */
void testBlockJobsCancelAll(TestDomain *d);

/* The fill functions of each family (test_features.c calls them). */
void testParamsFill(Driver *drv);
void testStatsFill(Driver *drv);
void testThreadsFill(Driver *drv);
void testDevicesFill(Driver *drv);
void testSnapshotFill(Driver *drv);
void testBlockJobFill(Driver *drv);
void testGuestFill(Driver *drv);
void testStreamsFill(Driver *drv);

/* test_params.c: whether perf event NAME is enabled in DEF. */
bool testPerfEnabled(const DomainDef *def, const char *name);
/* test_iotune.c: block I/O tuning and interface bandwidth slots. */
void testIotuneFill(Driver *drv);
/* test_threads.c: the iothread group of the bulk stats (host locked). */
void testIOThreadStats(TestDomain *d, virTypedParameterPtr *list, int *n,
                       int *max);
/* test_blockjob.c: true (with OPERATION_INVALID reported) when disk DST of
 * D has a block job running. */
bool testBlockJobBusy(TestDomain *d, const char *dst);
/* test_streams.c: end D's console/channel sessions and free them. */
void testChrSessionsFree(TestChrSessions *s);
