/* test_save.c: save and restore images, managed save, core dumps */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_priv.h"
#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "typedparam.h"
#include "uuid.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A save image is a header followed by the domain's XML:
 *   bytes  0-15  magic "vireo-test-save\0"
 *         16-19  format version (1), little endian like every number here
 *         20-23  state to restore: VIR_DOMAIN_RUNNING or VIR_DOMAIN_PAUSED
 *         24-27  length of the XML in bytes
 *         28-31  FNV-1a hash of the XML
 *         32-    the XML (live definition, secure parts included)
 * The file is exactly 32 + length bytes long.
 */
#define SAVE_MAGIC "vireo-test-save"
#define SAVE_VERSION 1
#define SAVE_HEADER 32
#define SAVE_MAX (64u << 20)

static uint32_t
testHash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static void
testPut32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
testGet32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Write LEN bytes of DATA to PATH atomically: a temporary file in the same
 * directory, fsync, rename. On failure (SYSTEM_ERROR naming PATH) nothing
 * is left behind and an existing PATH is untouched. */
static int
testWriteAtomic(const char *path, const void *data, size_t len)
{
    char *tmp = allocPrintf("%s.XXXXXX", path);
    const char *p = data;
    int fd, err;

    if ((fd = mkstemp(tmp)) < 0) {
        reportSystemError(errno, "cannot create '%s'", path);
        free(tmp);
        return -1;
    }
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto error;
        p += n;
        len -= (size_t)n;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        fd = -1;
        goto error;
    }
    fd = -1;
    if (rename(tmp, path) < 0)
        goto error;
    free(tmp);
    return 0;

 error:
    err = errno ? errno : EIO;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    reportSystemError(err, "cannot write '%s'", path);
    return -1;
}

/* Write a save image of XML with STATE to PATH. */
static int
testImageWrite(const char *path, const char *xml, int state)
{
    size_t len = strlen(xml);
    unsigned char *buf = allocZero(SAVE_HEADER + len);
    int ret;

    memcpy(buf, SAVE_MAGIC, sizeof(SAVE_MAGIC));
    testPut32(buf + 16, SAVE_VERSION);
    testPut32(buf + 20, (uint32_t)state);
    testPut32(buf + 24, (uint32_t)len);
    testPut32(buf + 28, testHash(xml, len));
    memcpy(buf + SAVE_HEADER, xml, len);
    ret = testWriteAtomic(path, buf, SAVE_HEADER + len);
    free(buf);
    return ret;
}

static int
testImageBad(const char *path, const char *why)
{
    reportError(VIR_ERR_OPERATION_FAILED, "save image '%s' %s", path, why);
    return -1;
}

/* Read the save image PATH: its XML (caller frees) and state. */
static int
testImageRead(const char *path, char **xml, int *state)
{
    unsigned char *buf = NULL;
    struct stat st;
    uint32_t len;
    int fd, ret = -1;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
        reportSystemError(errno, "cannot open save image '%s'", path);
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > SAVE_MAX) {
        testImageBad(path, "is not a regular file of a sane size");
        goto cleanup;
    }
    buf = allocZero((size_t)st.st_size + 1);
    if (read(fd, buf, (size_t)st.st_size) != st.st_size) {
        reportSystemError(errno ? errno : EIO, "cannot read save image '%s'",
                          path);
        goto cleanup;
    }
    if (st.st_size < SAVE_HEADER) {
        testImageBad(path, "is truncated");
        goto cleanup;
    }
    if (memcmp(buf, SAVE_MAGIC, sizeof(SAVE_MAGIC)) != 0) {
        testImageBad(path, "is not a test driver save image (bad magic)");
        goto cleanup;
    }
    if (testGet32(buf + 16) != SAVE_VERSION) {
        reportError(VIR_ERR_OPERATION_FAILED,
                    "save image '%s' has unsupported version %u", path,
                    testGet32(buf + 16));
        goto cleanup;
    }
    len = testGet32(buf + 24);
    if ((uint64_t)st.st_size != SAVE_HEADER + (uint64_t)len) {
        testImageBad(path, "is truncated");
        goto cleanup;
    }
    if (testHash((char *)buf + SAVE_HEADER, len) != testGet32(buf + 28) ||
        (testGet32(buf + 20) != VIR_DOMAIN_RUNNING &&
         testGet32(buf + 20) != VIR_DOMAIN_PAUSED)) {
        testImageBad(path, "is corrupt");
        goto cleanup;
    }
    *state = (int)testGet32(buf + 20);
    *xml = allocStrndup((char *)buf + SAVE_HEADER, len);
    ret = 0;

 cleanup:
    if (fd >= 0)
        close(fd);
    free(buf);
    return ret;
}

/* Parse DXML, a replacement for the XML of a save image of the domain
 * described by ORIG: same name and uuid. Returns its secure formatting. */
static char *
testImageReplaceXML(const char *orig, const char *dxml)
{
    DomainDef *a = NULL, *b = NULL;
    char *ret = NULL;

    if (!(a = domainDefParse(orig, 0)) || !(b = domainDefParse(dxml, 0)))
        goto cleanup;
    if (strcmp(a->name, b->name) != 0 ||
        memcmp(a->uuid, b->uuid, sizeof(a->uuid)) != 0) {
        reportError(VIR_ERR_INVALID_ARG,
                    "replacement XML for domain '%s' describes another "
                    "domain ('%s')", a->name, b->name);
        goto cleanup;
    }
    ret = domainDefFormat(b, VIR_DOMAIN_XML_SECURE);

 cleanup:
    domainDefFree(a);
    domainDefFree(b);
    return ret;
}

/* XML stored in an image, shown with FLAGS (SECURE or not). */
static char *
testImageShowXML(const char *xml, unsigned int flags)
{
    DomainDef *def = domainDefParse(xml, 0);
    char *ret;

    if (!def)
        return NULL;
    ret = domainDefFormat(def, flags & VIR_DOMAIN_XML_SECURE);
    domainDefFree(def);
    return ret;
}

static int
testSecureAllowed(virConnectPtr conn, unsigned int flags)
{
    if ((flags & VIR_DOMAIN_XML_SECURE) && (conn->flags & VIR_CONNECT_RO)) {
        reportError(VIR_ERR_OPERATION_DENIED,
                    "secure XML needs a read-write connection");
        return -1;
    }
    return 0;
}

/* The state a saved domain restores to: FLAGS' choice, else SAVED. */
static int
testSaveStateFlag(unsigned int flags, int saved)
{
    if (flags & VIR_DOMAIN_SAVE_PAUSED)
        return VIR_DOMAIN_PAUSED;
    if (flags & VIR_DOMAIN_SAVE_RUNNING)
        return VIR_DOMAIN_RUNNING;
    return saved;
}

#define SAVE_FLAGS \
    (VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING | \
     VIR_DOMAIN_SAVE_PAUSED)

static int
testSaveCheckFlags(unsigned int flags, unsigned int supported)
{
    if (testCheckFlags(flags, supported) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED)) {
        reportError(VIR_ERR_INVALID_ARG,
                    "flags 'running' and 'paused' are mutually exclusive");
        return -1;
    }
    return 0;
}

/* Check that D can be saved (running or paused). */
static int
testSaveCheckState(const TestDomain *d)
{
    if (d->state == VIR_DOMAIN_RUNNING || d->state == VIR_DOMAIN_PAUSED)
        return 0;
    return testDomainCheckState(d, VIR_DOMAIN_RUNNING);
}

/* ---- save / restore ---- */

static int
testDomainSaveFlags(virDomainPtr dom, const char *to, const char *dxml,
                    unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    char *xml = NULL, *live;
    int ret = -1;

    if (testSaveCheckFlags(flags, SAVE_FLAGS) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testSaveCheckState(d) < 0)
        goto cleanup;
    live = domainDefFormat(d->def, VIR_DOMAIN_XML_SECURE);
    xml = dxml ? testImageReplaceXML(live, dxml) : live;
    if (dxml)
        free(live);
    if (!xml ||
        testImageWrite(to, xml, testSaveStateFlag(flags, d->state)) < 0)
        goto cleanup;
    testJobCompleted(d, VIR_DOMAIN_JOB_OPERATION_SAVE, 0, strlen(xml));
    testDomainStop(dom->conn, h, d, VIR_DOMAIN_SHUTOFF_SAVED,
                   VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    dom->id = -1;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    free(xml);
    return ret;
}

static int
testDomainSave(virDomainPtr dom, const char *to)
{
    return testDomainSaveFlags(dom, to, NULL, 0);
}

/* Run DEF (owned) restored in STATE on H, taking the place of D (the
 * inactive record of the same name and uuid, or NULL for a new transient
 * domain); emits the RESTORED events. */
static void
testRestoreLocked(virConnectPtr conn, TestHost *h, TestDomain *d,
                  DomainDef *def, int state)
{
    def->id = -1;
    if (d) {
        if (d->persistent) {
            d->newDef = d->def;
        } else {
            domainDefFree(d->def);
        }
        d->def = def;
    } else {
        d = testDomainNew(def);
        d->persistent = false;
        testHostAddDomain(h, d);
    }
    testDomainStartState(h, d, state,
                         state == VIR_DOMAIN_PAUSED ? VIR_DOMAIN_PAUSED_USER
                                                    : VIR_DOMAIN_RUNNING_RESTORED);
    testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_STARTED,
                       VIR_DOMAIN_EVENT_STARTED_RESTORED);
    if (state == VIR_DOMAIN_PAUSED)
        testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_SUSPENDED,
                           VIR_DOMAIN_EVENT_SUSPENDED_RESTORED);
}

static int
testDomainRestoreFlags(virConnectPtr conn, const char *from, const char *dxml,
                       unsigned int flags)
{
    TestHost *h = testHostOf(conn);
    char *xml = NULL, *repl;
    DomainDef *def = NULL;
    TestDomain *d;
    int state, ret = -1;

    if (testSaveCheckFlags(flags, SAVE_FLAGS) < 0 ||
        testImageRead(from, &xml, &state) < 0)
        return -1;
    if (dxml) {
        if (!(repl = testImageReplaceXML(xml, dxml)))
            goto cleanup;
        free(xml);
        xml = repl;
    }
    if (!(def = domainDefParse(xml, 0)))
        goto cleanup;
    pthread_mutex_lock(&h->lock);
    if (testHostCheckClash(h, def, &d) < 0 ||
        (d && testDomainCheckInactive(d) < 0)) {
        pthread_mutex_unlock(&h->lock);
        goto cleanup;
    }
    testRestoreLocked(conn, h, d, def, testSaveStateFlag(flags, state));
    def = NULL;
    pthread_mutex_unlock(&h->lock);
    ret = 0;

 cleanup:
    domainDefFree(def);
    free(xml);
    return ret;
}

static int
testDomainRestore(virConnectPtr conn, const char *from)
{
    return testDomainRestoreFlags(conn, from, NULL, 0);
}

/* FILE and DXML of a SaveParams/RestoreParams call. */
static int
testSaveParams(virTypedParameterPtr params, int nparams, bool needFile,
               const char **file, const char **dxml)
{
    static const TypedParamSpec spec[] = {
        { VIR_DOMAIN_SAVE_PARAM_FILE, VIR_TYPED_PARAM_STRING, false },
        { VIR_DOMAIN_SAVE_PARAM_DXML, VIR_TYPED_PARAM_STRING, false },
        { NULL, 0, false },
    };

    *file = *dxml = NULL;
    if (typedParamsValidate(params, nparams, spec) < 0 ||
        typedParamsGetString(params, nparams, VIR_DOMAIN_SAVE_PARAM_FILE,
                             file) < 0 ||
        typedParamsGetString(params, nparams, VIR_DOMAIN_SAVE_PARAM_DXML,
                             dxml) < 0)
        return -1;
    if (needFile && !*file) {
        reportError(VIR_ERR_INVALID_ARG, "parameter '%s' is required",
                    VIR_DOMAIN_SAVE_PARAM_FILE);
        return -1;
    }
    return 0;
}

static int
testDomainSaveParams(virDomainPtr dom, virTypedParameterPtr params,
                     int nparams, unsigned int flags)
{
    const char *file, *dxml;

    /* without a file, libvirt saves to the managed save image */
    if (testSaveParams(params, nparams, false, &file, &dxml) < 0)
        return -1;
    if (!file) {
        if (dxml) {
            reportError(VIR_ERR_INVALID_ARG,
                        "parameter '%s' needs '%s'", VIR_DOMAIN_SAVE_PARAM_DXML,
                        VIR_DOMAIN_SAVE_PARAM_FILE);
            return -1;
        }
        return dom->conn->driver->domainManagedSave(dom, flags);
    }
    return testDomainSaveFlags(dom, file, dxml, flags);
}

static int
testDomainRestoreParams(virConnectPtr conn, virTypedParameterPtr params,
                        int nparams, unsigned int flags)
{
    const char *file, *dxml;

    if (testSaveParams(params, nparams, true, &file, &dxml) < 0)
        return -1;
    return testDomainRestoreFlags(conn, file, dxml, flags);
}

static char *
testDomainSaveImageGetXMLDesc(virConnectPtr conn, const char *file,
                              unsigned int flags)
{
    char *xml = NULL, *ret;
    int state;

    if (testCheckFlags(flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE) < 0 ||
        testSecureAllowed(conn, flags) < 0 ||
        testImageRead(file, &xml, &state) < 0)
        return NULL;
    ret = testImageShowXML(xml, flags);
    free(xml);
    return ret;
}

static int
testDomainSaveImageDefineXML(virConnectPtr conn, const char *file,
                             const char *dxml, unsigned int flags)
{
    char *xml = NULL, *repl = NULL;
    int state, ret = -1;

    if (testSaveCheckFlags(flags, VIR_DOMAIN_SAVE_RUNNING |
                           VIR_DOMAIN_SAVE_PAUSED) < 0 ||
        testImageRead(file, &xml, &state) < 0)
        return -1;
    if (!(repl = testImageReplaceXML(xml, dxml)) ||
        testImageWrite(file, repl, testSaveStateFlag(flags, state)) < 0)
        goto cleanup;
    ret = 0;

 cleanup:
    free(xml);
    free(repl);
    return ret;
}

/* ---- managed save ---- */

int
testManagedSaveStart(virConnectPtr conn, TestHost *h, TestDomain *d,
                     bool paused)
{
    DomainDef *def = domainDefParse(d->managedSave, 0);

    if (!def)
        return -1;
    d->hasManagedSave = false;
    FREE(d->managedSave);
    testRestoreLocked(conn, h, d, def,
                      paused ? VIR_DOMAIN_PAUSED : d->managedSaveState);
    return 0;
}

static int
testDomainManagedSave(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret = -1;

    if (testSaveCheckFlags(flags, SAVE_FLAGS) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (!d->persistent) {
        reportError(VIR_ERR_OPERATION_INVALID,
                    "cannot do managed save of transient domain '%s'",
                    d->def->name);
        goto cleanup;
    }
    if (testSaveCheckState(d) < 0)
        goto cleanup;
    free(d->managedSave);
    d->managedSave = domainDefFormat(d->def, VIR_DOMAIN_XML_SECURE);
    d->managedSaveState = testSaveStateFlag(flags, d->state);
    d->hasManagedSave = true;
    testDomainStop(dom->conn, h, d, VIR_DOMAIN_SHUTOFF_SAVED,
                   VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    dom->id = -1;
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    int ret;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    ret = d->hasManagedSave;
    testHostUnlock(h);
    return ret;
}

static int
testDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    d->hasManagedSave = false;
    FREE(d->managedSave);
    testHostUnlock(h);
    return 0;
}

static int
testManagedSaveCheck(const TestDomain *d)
{
    if (d->hasManagedSave)
        return 0;
    reportError(VIR_ERR_OPERATION_INVALID,
                "domain '%s' has no managed save image", d->def->name);
    return -1;
}

static char *
testDomainManagedSaveGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    char *ret = NULL;

    if (testCheckFlags(flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE) < 0 ||
        testSecureAllowed(dom->conn, flags) < 0)
        return NULL;
    if (!(d = testDomainAcquire(dom, &h)))
        return NULL;
    if (testManagedSaveCheck(d) == 0)
        ret = testImageShowXML(d->managedSave, flags);
    testHostUnlock(h);
    return ret;
}

static int
testDomainManagedSaveDefineXML(virDomainPtr dom, const char *dxml,
                               unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    char *repl;
    int ret = -1;

    if (testSaveCheckFlags(flags, VIR_DOMAIN_SAVE_RUNNING |
                           VIR_DOMAIN_SAVE_PAUSED) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testManagedSaveCheck(d) < 0 ||
        !(repl = testImageReplaceXML(d->managedSave, dxml)))
        goto cleanup;
    free(d->managedSave);
    d->managedSave = repl;
    d->managedSaveState = testSaveStateFlag(flags, d->managedSaveState);
    ret = 0;

 cleanup:
    testHostUnlock(h);
    return ret;
}

/* ---- core dumps ---- */

static const char *const testDumpFormats[VIR_DOMAIN_CORE_DUMP_FORMAT_LAST] = {
    "raw", "kdump-zlib", "kdump-lzo", "kdump-snappy", "win-dmp",
};

#define DUMP_FLAGS \
    (VIR_DUMP_CRASH | VIR_DUMP_LIVE | VIR_DUMP_BYPASS_CACHE | \
     VIR_DUMP_RESET | VIR_DUMP_MEMORY_ONLY)

static int
testDumpCheck(unsigned int format, unsigned int flags)
{
    if (testCheckFlags(flags, DUMP_FLAGS) < 0)
        return -1;
    if ((flags & VIR_DUMP_CRASH) && (flags & VIR_DUMP_RESET)) {
        reportError(VIR_ERR_INVALID_ARG,
                    "flags 'crash' and 'reset' are mutually exclusive");
        return -1;
    }
    if (format >= VIR_DOMAIN_CORE_DUMP_FORMAT_LAST) {
        reportError(VIR_ERR_INVALID_ARG, "unknown core dump format %u", format);
        return -1;
    }
    if (format != VIR_DOMAIN_CORE_DUMP_FORMAT_RAW &&
        !(flags & VIR_DUMP_MEMORY_ONLY)) {
        reportError(VIR_ERR_INVALID_ARG,
                    "core dump format '%s' needs a memory-only dump",
                    testDumpFormats[format]);
        return -1;
    }
    return 0;
}

/* The deterministic contents of a dump of D. */
static char *
testDumpText(const TestDomain *d, unsigned int format, unsigned int flags)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    Buf b = { 0 };

    uuidFormat(d->def->uuid, uuidstr);
    bufAdd(&b, "vireo-test-core 1\n");
    bufPrintf(&b, "domain: %s\nuuid: %s\n", d->def->name, uuidstr);
    bufPrintf(&b, "format: %s\nmemory-only: %s\n", testDumpFormats[format],
              (flags & VIR_DUMP_MEMORY_ONLY) ? "yes" : "no");
    bufPrintf(&b, "memory-kib: %llu\nvcpus: %u\n", d->def->curMemory,
              d->def->curVcpus);
    return bufTake(&b);
}

/* After a dump with VIR_DUMP_CRASH: on_crash=preserve keeps the domain in
 * the crashed state, any other action stops it. */
static void
testDumpCrash(virConnectPtr conn, TestHost *h, TestDomain *d)
{
    if (d->def->onCrash == LIFECYCLE_PRESERVE) {
        testDomainSetState(d, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED);
        testEventLifecycle(conn, d, VIR_DOMAIN_EVENT_CRASHED,
                           VIR_DOMAIN_EVENT_CRASHED_PANICKED);
        return;
    }
    testDomainStop(conn, h, d, VIR_DOMAIN_SHUTOFF_CRASHED,
                   VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_CRASHED);
}

static int
testDomainCoreDumpWithFormat(virDomainPtr dom, const char *to,
                             unsigned int format, unsigned int flags)
{
    TestHost *h;
    TestDomain *d;
    char *text = NULL;
    int ret = -1;

    if (testDumpCheck(format, flags) < 0)
        return -1;
    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (testSaveCheckState(d) < 0)
        goto cleanup;
    text = testDumpText(d, format, flags);
    if (testWriteAtomic(to, text, strlen(text)) < 0)
        goto cleanup;
    testJobCompleted(d, VIR_DOMAIN_JOB_OPERATION_DUMP, 0, strlen(text));
    if (flags & VIR_DUMP_CRASH) {
        testDumpCrash(dom->conn, h, d);
        if (d->state != VIR_DOMAIN_CRASHED)
            dom->id = -1;
    } else if (flags & VIR_DUMP_RESET) {
        domainEventQueue(testEventNew(dom->conn, d,
                                      VIR_DOMAIN_EVENT_ID_REBOOT));
    }
    ret = 0;

 cleanup:
    testHostUnlock(h);
    free(text);
    return ret;
}

static int
testDomainCoreDump(virDomainPtr dom, const char *to, unsigned int flags)
{
    return testDomainCoreDumpWithFormat(dom, to,
                                        VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, flags);
}

/* Slots of saving and dumping (called by testCoreFill). */
void
testSaveFill(Driver *drv)
{
    drv->domainSave = testDomainSave;
    drv->domainSaveFlags = testDomainSaveFlags;
    drv->domainSaveParams = testDomainSaveParams;
    drv->domainRestore = testDomainRestore;
    drv->domainRestoreFlags = testDomainRestoreFlags;
    drv->domainRestoreParams = testDomainRestoreParams;
    drv->domainSaveImageGetXMLDesc = testDomainSaveImageGetXMLDesc;
    drv->domainSaveImageDefineXML = testDomainSaveImageDefineXML;
    drv->domainManagedSave = testDomainManagedSave;
    drv->domainHasManagedSaveImage = testDomainHasManagedSaveImage;
    drv->domainManagedSaveRemove = testDomainManagedSaveRemove;
    drv->domainManagedSaveGetXMLDesc = testDomainManagedSaveGetXMLDesc;
    drv->domainManagedSaveDefineXML = testDomainManagedSaveDefineXML;
    drv->domainCoreDump = testDomainCoreDump;
    drv->domainCoreDumpWithFormat = testDomainCoreDumpWithFormat;
}
