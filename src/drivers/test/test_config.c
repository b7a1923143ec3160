/* test_config.c: memory, vcpus, metadata, names: live and config changes */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_priv.h"
#include "alloc.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

#define AFFECT_FLAGS (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)
#define TEST_MAX_VCPUS 32

/* ---- memory ---- */

/* Check that CUR KiB fits under DEF's maximum. */
static int
testMemoryFits(const TestDomain *d, const DomainDef *def,
               unsigned long long cur)
{
    if (!def || cur <= def->memory)
        return 0;
    reportError(VIR_ERR_INVALID_ARG,
                "cannot set memory of domain '%s' to %llu KiB: the maximum "
                "is %llu KiB", d->def->name, cur, def->memory);
    return -1;
}

static void
testSetMaxMemory(DomainDef *def, unsigned long long memory)
{
    def->memory = memory;
    if (def->curMemory > memory)
        def->curMemory = memory;
}

static int
testDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory,
                         unsigned int flags)
{
    DomainDef *live, *config;
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS | VIR_DOMAIN_MEM_MAXIMUM) < 0)
        return -1;
    if (memory == 0) {
        reportError(VIR_ERR_INVALID_ARG, "memory size must be positive");
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags & AFFECT_FLAGS, &live, &config) < 0)
        goto cleanup;
    if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
        if (live) {
            reportError(VIR_ERR_OPERATION_INVALID,
                        "cannot change the maximum memory of running "
                        "domain '%s'", d->def->name);
            goto cleanup;
        }
        testSetMaxMemory(config, memory);
    } else {
        if (testMemoryFits(d, live, memory) < 0 ||
            testMemoryFits(d, config, memory) < 0)
            goto cleanup;
        if (live)
            live->curMemory = memory;
        if (config)
            config->curMemory = memory;
    }
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainSetMemory(virDomainPtr dom, unsigned long memory)
{
    return testDomainSetMemoryFlags(dom, memory, VIR_DOMAIN_AFFECT_LIVE);
}

static int
testDomainSetMaxMemory(virDomainPtr dom, unsigned long memory)
{
    return testDomainSetMemoryFlags(dom, memory, VIR_DOMAIN_MEM_MAXIMUM);
}

static unsigned long
testDomainGetMaxMemory(virDomainPtr dom)
{
    TestHost *h;
    TestDomain *d;
    unsigned long ret;

    if (!(d = testDomainAcquire(dom, &h)))
        return 0;
    ret = (unsigned long)d->def->memory;
    testHostUnlock(h);
    return ret;
}

/* ---- vcpus ---- */

static int
testVcpusCheck(const TestDomain *d, const DomainDef *def, unsigned int n,
               bool maximum)
{
    unsigned int max = maximum ? TEST_MAX_VCPUS : def->vcpus;

    if (n <= max)
        return 0;
    reportError(VIR_ERR_INVALID_ARG,
                "requested vcpus of domain '%s' exceed the %s: %u > %u",
                d->def->name, maximum ? "host's limit" : "domain's maximum",
                n, max);
    return -1;
}

static void
testVcpusSet(DomainDef *def, unsigned int n, bool maximum)
{
    if (!def)
        return;
    if (maximum) {
        def->vcpus = n;
        if (def->curVcpus > n)
            def->curVcpus = n;
    } else {
        def->curVcpus = n;
    }
}

#define VCPU_FLAGS \
    (AFFECT_FLAGS | VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST | \
     VIR_DOMAIN_VCPU_HOTPLUGGABLE)

static int
testDomainSetVcpusFlags(virDomainPtr dom, unsigned int nvcpus,
                        unsigned int flags)
{
    bool maximum = flags & VIR_DOMAIN_VCPU_MAXIMUM;
    DomainDef *live, *config;
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, VCPU_FLAGS) < 0)
        return -1;
    if (nvcpus == 0) {
        reportError(VIR_ERR_INVALID_ARG, "vcpu count must be positive");
        return -1;
    }
    if ((flags & VIR_DOMAIN_VCPU_GUEST) &&
        (maximum || (flags & VIR_DOMAIN_AFFECT_CONFIG))) {
        reportError(VIR_ERR_INVALID_ARG,
                    "flag 'guest' only applies to the live vcpu count");
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testDomainAffect(d, flags & AFFECT_FLAGS, &live, &config) < 0)
        goto cleanup;
    if (maximum && live) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "cannot change the maximum vcpus of running domain '%s'",
                    d->def->name);
        goto cleanup;
    }
    if ((live && testVcpusCheck(d, live, nvcpus, maximum) < 0) ||
        (config && testVcpusCheck(d, config, nvcpus, maximum) < 0))
        goto cleanup;
    testVcpusSet(live, nvcpus, maximum);
    testVcpusSet(config, nvcpus, maximum);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainSetVcpus(virDomainPtr dom, unsigned int nvcpus)
{
    return testDomainSetVcpusFlags(dom, nvcpus, VIR_DOMAIN_AFFECT_LIVE);
}

static int
testDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags)
{
    DomainDef *live, *config, *def;
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS | VIR_DOMAIN_VCPU_MAXIMUM |
                       VIR_DOMAIN_VCPU_GUEST) < 0)
        return -1;
    if ((flags & AFFECT_FLAGS) == AFFECT_FLAGS) {
        reportError(VIR_ERR_INVALID_ARG,
                    "flags 'live' and 'config' are mutually exclusive");
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (flags & VIR_DOMAIN_VCPU_GUEST)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (testDomainAffect(d, flags & AFFECT_FLAGS, &live, &config) < 0)
        goto cleanup;
    def = live ? live : config;
    ret = (int)((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? def->vcpus
                                                  : def->curVcpus);

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetMaxVcpus(virDomainPtr dom)
{
    return testDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE |
                                        VIR_DOMAIN_VCPU_MAXIMUM);
}

/* ---- metadata ---- */

static int
testDomainSetMetadata(virDomainPtr dom, int type, const char *metadata,
                      const char *key, const char *uri, unsigned int flags)
{
    DomainDef *live, *config;
    DomainEvent *ev;
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0 ||
        domainMetadataCheckArgs(type, metadata, key, uri, true) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    /* the first change validates the XML: the second cannot fail then */
    if (testDomainAffect(d, flags, &live, &config) < 0 ||
        domainMetadataApply(config, type, metadata, key, uri) < 0 ||
        domainMetadataApply(live, type, metadata, key, uri) < 0)
        goto cleanup;
    ev = testEventNew(dom->conn, d, VIR_DOMAIN_EVENT_ID_METADATA_CHANGE);
    ev->i1 = type;
    ev->s1 = allocStrdup(uri);
    domainEventQueue(ev);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static char *
testDomainGetMetadata(virDomainPtr dom, int type, const char *uri,
                      unsigned int flags)
{
    DomainDef *live, *config, *def;
    TestHost *h;
    TestDomain *d;
    const char *text;
    char *ret = NULL;

    if (testCheckFlags(flags, AFFECT_FLAGS) < 0 ||
        domainMetadataCheckArgs(type, NULL, NULL, uri, false) < 0)
        return NULL;
    if ((flags & AFFECT_FLAGS) == AFFECT_FLAGS) {
        reportError(VIR_ERR_INVALID_ARG,
                    "flags 'live' and 'config' are mutually exclusive");
        return NULL;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return NULL;
    if (testDomainAffect(d, flags, &live, &config) < 0)
        goto cleanup;
    def = live ? live : config;
    if (type == VIR_DOMAIN_METADATA_ELEMENT) {
        ret = domainMetadataGet(def, uri);
        goto cleanup;
    }
    text = type == VIR_DOMAIN_METADATA_TITLE ? def->title : def->description;
    if (!text)
        reportError(VIR_ERR_NO_DOMAIN_METADATA, "domain '%s' has no %s",
                    d->def->name,
                    type == VIR_DOMAIN_METADATA_TITLE ? "title"
                                                      : "description");
    ret = allocStrdup(text);

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* ---- names, autostart, guest facts ---- */

/* Why the inactive D cannot be renamed to NAME (error reported), or 0. */
static int
testRenameCheck(TestHost *h, const TestDomain *d, const char *name)
{
    const char *why = NULL;

    if (testDomainIsActiveRec(d))
        why = "it is active";
    else if (d->hasManagedSave)
        why = "it has a managed save image";
    else if (testSnapshotCount((TestDomain *)d) > 0)
        why = "it has snapshots";
    else if (strcmp(d->def->name, name) == 0)
        why = "that is its name already";
    if (why) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "cannot rename domain '%s': %s", d->def->name, why);
        return -1;
    }
    if (testHostFindName(h, name)) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "domain with name '%s' already exists", name);
        return -1;
    }
    return 0;
}

static int
testDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    char *old;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!*new_name) {
        reportError(VIR_ERR_INVALID_ARG, "new domain name is empty");
        return -1;
    }
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testRenameCheck(h, d, new_name) < 0) {
        testHostUnlock(h);
        return -1;
    }
    testEventLifecycle(dom->conn, d, VIR_DOMAIN_EVENT_UNDEFINED,
                       VIR_DOMAIN_EVENT_UNDEFINED_RENAMED);
    old = d->def->name;
    d->def->name = allocStrdup(new_name);
    testHostRename(h, d, old);
    free(old);
    testEventLifecycle(dom->conn, d, VIR_DOMAIN_EVENT_DEFINED,
                       VIR_DOMAIN_EVENT_DEFINED_RENAMED);
    /* the caller's object follows, as with libvirt */
    domainSetName(dom, new_name);
    testHostUnlock(h);
    return 0;
}

static int
testDomainSetAutostart(virDomainPtr dom, int autostart)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (!d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "cannot set autostart of transient domain '%s'",
                    d->def->name);
        goto cleanup;
    }
    d->autostart = autostart != 0;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    TestHost *h;
    TestDomain *d;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    *autostart = d->autostart;
    testHostUnlock(h);
    return 0;
}

/* A running guest answers with its domain's name as host name. */
static char *
testDomainGetHostname(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    char *ret = NULL;

    if (testCheckFlags(flags, VIR_DOMAIN_GET_HOSTNAME_LEASE |
                       VIR_DOMAIN_GET_HOSTNAME_AGENT) < 0)
        return NULL;
    if (!(d = testDomainAcquire(dom, &h)))
        return NULL;
    if (testDomainCheckState(d, VIR_DOMAIN_RUNNING) == 0)
        ret = allocStrdup(d->def->name);
    testHostUnlock(h);
    return ret;
}

static char *
testDomainGetOSType(virDomainPtr dom)
{
    TestHost *h;
    TestDomain *d;
    char *ret;

    if (!(d = testDomainAcquire(dom, &h)))
        return NULL;
    ret = allocStrdup(d->def->os.type ? d->def->os.type : "hvm");
    testHostUnlock(h);
    return ret;
}

/* Slots of configuration changes (called by testCoreFill). */
void
testConfigFill(Driver *drv)
{
    drv->domainSetMemory = testDomainSetMemory;
    drv->domainSetMemoryFlags = testDomainSetMemoryFlags;
    drv->domainSetMaxMemory = testDomainSetMaxMemory;
    drv->domainGetMaxMemory = testDomainGetMaxMemory;
    drv->domainSetVcpus = testDomainSetVcpus;
    drv->domainSetVcpusFlags = testDomainSetVcpusFlags;
    drv->domainGetVcpusFlags = testDomainGetVcpusFlags;
    drv->domainGetMaxVcpus = testDomainGetMaxVcpus;
    drv->domainSetMetadata = testDomainSetMetadata;
    drv->domainGetMetadata = testDomainGetMetadata;
    drv->domainRename = testDomainRename;
    drv->domainSetAutostart = testDomainSetAutostart;
    drv->domainGetAutostart = testDomainGetAutostart;
    drv->domainGetHostname = testDomainGetHostname;
    drv->domainGetOSType = testDomainGetOSType;
}
