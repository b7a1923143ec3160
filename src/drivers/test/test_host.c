/* test_host.c: test:/// URIs (the default host, node files) and node calls */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_priv.h"
#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "xtree.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A node file (test:///ABS/PATH.xml) describes the initial host:
 *
 *   <node xmlns:test='http://vireo.dev/test/1'>
 *     <hostname>lab1</hostname>               optional
 *     <cpu>
 *       <nodes>2</nodes> <sockets>2</sockets> <cores>2</cores>
 *       <threads>2</threads> <mhz>1400</mhz> <model>i686</model>
 *       <active>16</active>                   optional: defaults to the
 *     </cpu>                                  product of the four above
 *     <memory>3145728</memory>                KiB
 *     <domain type='test'> ... </domain>      inline, or
 *     <domain file='guest.xml'/>              relative to the node file
 *   </node>
 *
 * Each domain may carry markers in the namespace http://vireo.dev/test/1
 * (any prefix), removed from its definition when loaded:
 *   <test:runstate reason='N'>STATE</test:runstate>
 *       STATE is running (the default), paused, pmsuspended, crashed or
 *       shutoff; the optional reason is the numeric reason code of that
 *       state (default: booted, user, unknown, panicked, unknown).
 *   <test:transient/>   the domain has no persistent config (it must be
 *                       active)
 *   <test:autostart/>   autostart is set
 */
#define TEST_NS "http://vireo.dev/test/1"

/* The definition of test:///default's only domain. */
static const char testDefaultDomain[] =
    "<domain type='test'>\n"
    "  <name>test</name>\n"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "  <memory unit='KiB'>8388608</memory>\n"
    "  <currentMemory unit='KiB'>2097152</currentMemory>\n"
    "  <vcpu placement='static'>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='i686'>hvm</type>\n"
    "    <boot dev='hd'/>\n"
    "  </os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/guest/diskimage1'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "    </disk>\n"
    "    <interface type='user'>\n"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "      <model type='virtio'/>\n"
    "    </interface>\n"
    "    <serial type='pty'>\n"
    "      <target port='0'/>\n"
    "    </serial>\n"
    "    <console type='pty'>\n"
    "      <target type='serial' port='0'/>\n"
    "    </console>\n"
    "    <memballoon model='virtio'/>\n"
    "  </devices>\n"
    "</domain>\n";

static void
testNodeDefaults(TestHost *h)
{
    memset(&h->node, 0, sizeof(h->node));
    snprintf(h->node.model, sizeof(h->node.model), "%s", "i686");
    h->node.memory = 3145728;
    h->node.mhz = 1400;
    h->node.nodes = 2;
    h->node.sockets = 2;
    h->node.cores = 2;
    h->node.threads = 2;
    h->node.cpus = 16;
    h->freeMemory = 2ULL * 1024 * 1024 * 1024;
    h->hostname = allocStrdup("vireo-test-host");
}

/* Markers read from a domain definition of a node file. */
typedef struct {
    int state;
    int reason;
    bool transient;
    bool autostart;
} TestMarkers;

static int
testStateParse(const char *s)
{
    static const struct { const char *name; int state; } tab[] = {
        { "running", VIR_DOMAIN_RUNNING },
        { "paused", VIR_DOMAIN_PAUSED },
        { "pmsuspended", VIR_DOMAIN_PMSUSPENDED },
        { "crashed", VIR_DOMAIN_CRASHED },
        { "shutoff", VIR_DOMAIN_SHUTOFF },
    };

    for (size_t i = 0; s && i < sizeof(tab) / sizeof(tab[0]); i++)
        if (strcmp(s, tab[i].name) == 0)
            return tab[i].state;
    return -1;
}

static int
testDefaultReason(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: return VIR_DOMAIN_RUNNING_BOOTED;
    case VIR_DOMAIN_PAUSED: return VIR_DOMAIN_PAUSED_USER;
    case VIR_DOMAIN_CRASHED: return VIR_DOMAIN_CRASHED_PANICKED;
    default: return 0;
    }
}

/* Take one marker element out of DEF's unknown elements into M. */
static int
testMarkerRead(const char *file, const DomainDef *def, XNode *n,
               TestMarkers *m)
{
    const char *reason;
    char *end;

    if (strcmp(n->name, "runstate") == 0) {
        if ((m->state = testStateParse(n->text)) < 0) {
            reportError(VIR_ERR_XML_ERROR,
                        "invalid runstate '%s' of domain '%s' in '%s'",
                        n->text ? n->text : "", def->name, file);
            return -1;
        }
        m->reason = testDefaultReason(m->state);
        if ((reason = xtreeAttr(n, "reason"))) {
            m->reason = (int)strtol(reason, &end, 10);
            if (*end || end == reason || m->reason < 0) {
                reportError(VIR_ERR_XML_ERROR,
                            "invalid runstate reason '%s' of domain '%s' "
                            "in '%s'", reason, def->name, file);
                return -1;
            }
        }
    } else if (strcmp(n->name, "transient") == 0) {
        m->transient = true;
    } else if (strcmp(n->name, "autostart") == 0) {
        m->autostart = true;
    } else {
        reportError(VIR_ERR_XML_ERROR,
                    "unknown test driver element '%s' in domain '%s' in '%s'",
                    n->name, def->name, file);
        return -1;
    }
    return 0;
}

static int
testMarkersTake(const char *file, DomainDef *def, TestMarkers *m)
{
    size_t i = 0;

    m->state = VIR_DOMAIN_RUNNING;
    m->reason = VIR_DOMAIN_RUNNING_BOOTED;
    while (i < def->nunknown) {
        XNode *n = def->unknown[i];

        if (!n->href || strcmp(n->href, TEST_NS) != 0) {
            i++;
            continue;
        }
        if (testMarkerRead(file, def, n, m) < 0)
            return -1;
        xtreeFree(n);
        memmove(&def->unknown[i], &def->unknown[i + 1],
                (def->nunknown - i - 1) * sizeof(*def->unknown));
        def->nunknown--;
    }
    return 0;
}

/* Add DEF (taken) to H in the state the markers M say; cannot fail. */
static void
testHostPlace(TestHost *h, DomainDef *def, const TestMarkers *m)
{
    TestDomain *d = testDomainNew(def);

    d->persistent = !m->transient;
    d->autostart = m->autostart;
    testHostAddDomain(h, d);
    if (m->state != VIR_DOMAIN_SHUTOFF)
        testDomainStartState(h, d, m->state, m->reason);
    else
        d->reason = m->reason;
}

/* Check DEF and the markers M against H, then place it there. DEF is taken
 * (freed on failure); FILE names the source in messages. */
static int
testHostAddDef(TestHost *h, DomainDef *def, const TestMarkers *m,
               const char *file)
{
    if (testHostFindName(h, def->name) || testHostFindUUID(h, def->uuid)) {
        reportError(VIR_ERR_OPERATION_FAILED,
                    "domain '%s' in '%s' clashes with another domain",
                    def->name, file);
        goto error;
    }
    if (m->transient && (m->state == VIR_DOMAIN_SHUTOFF)) {
        reportError(VIR_ERR_XML_ERROR,
                    "transient domain '%s' in '%s' must be active",
                    def->name, file);
        goto error;
    }
    testHostPlace(h, def, m);
    return 0;

 error:
    domainDefFree(def);
    return -1;
}

/* Add the domain described by XML (from FILE, for messages) to H. */
static int
testHostLoadDomain(TestHost *h, const char *xml, const char *file)
{
    DomainDef *def;
    TestMarkers m = { 0 };

    if (!(def = domainDefParse(xml, 0))) {
        virErrorPtr err = errorSave();

        reportError(err ? err->code : VIR_ERR_XML_ERROR,
                    "invalid domain in '%s': %s", file,
                    err && err->message ? err->message : "parse failed");
        virFreeError(err);
        return -1;
    }
    if (testMarkersTake(file, def, &m) < 0) {
        domainDefFree(def);
        return -1;
    }
    return testHostAddDef(h, def, &m, file);
}

/* Read the whole file PATH; NULL with VIR_ERR_NO_CONNECT naming it. */
static char *
testReadFile(const char *path)
{
    FILE *fp = fopen(path, "r");
    Buf b = { 0 };
    char chunk[4096];
    size_t n;

    if (!fp) {
        reportError(VIR_ERR_NO_CONNECT, "cannot read test driver file '%s': %s",
                    path, strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        bufAddN(&b, chunk, n);
    if (ferror(fp)) {
        reportError(VIR_ERR_NO_CONNECT, "cannot read test driver file '%s': %s",
                    path, strerror(errno));
        fclose(fp);
        bufFree(&b);
        return NULL;
    }
    fclose(fp);
    return bufTake(&b);
}

static int
testNodeNumber(XNode *parent, const char *name, unsigned int *out,
               const char *file)
{
    const char *text = xtreeChildText(parent, name);
    char *end;
    unsigned long v;

    if (!text)
        return 0;
    errno = 0;
    v = strtoul(text, &end, 10);
    if (errno || *end || end == text || v == 0 || v > 0xffffffffUL) {
        reportError(VIR_ERR_XML_ERROR, "invalid <%s> '%s' in '%s'", name,
                    text, file);
        return -1;
    }
    *out = (unsigned int)v;
    return 0;
}

static int
testNodeLoadHost(TestHost *h, XNode *root, const char *file)
{
    XNode *cpu = xtreeChild(root, "cpu");
    const char *text;
    unsigned int mem = 0, active = 0;

    if (cpu) {
        if (testNodeNumber(cpu, "nodes", &h->node.nodes, file) < 0 ||
            testNodeNumber(cpu, "sockets", &h->node.sockets, file) < 0 ||
            testNodeNumber(cpu, "cores", &h->node.cores, file) < 0 ||
            testNodeNumber(cpu, "threads", &h->node.threads, file) < 0 ||
            testNodeNumber(cpu, "mhz", &h->node.mhz, file) < 0 ||
            testNodeNumber(cpu, "active", &active, file) < 0)
            return -1;
        if ((text = xtreeChildText(cpu, "model")))
            snprintf(h->node.model, sizeof(h->node.model), "%s", text);
        h->node.cpus = active ? active : h->node.nodes * h->node.sockets *
                                         h->node.cores * h->node.threads;
    }
    if (testNodeNumber(root, "memory", &mem, file) < 0)
        return -1;
    if (mem)
        h->node.memory = mem;
    if ((text = xtreeChildText(root, "hostname"))) {
        free(h->hostname);
        h->hostname = allocStrdup(text);
    }
    return 0;
}

/* The XML of one <domain> element of a node file: its file= reference
 * (relative to the node file's directory) or the element itself. */
static char *
testNodeDomainXML(XNode *n, const char *file, char **where)
{
    const char *ref = xtreeAttr(n, "file");
    Buf b = { 0 };
    const char *slash;
    char *path, *xml;

    if (!ref) {
        xtreeFormat(&b, n, NULL);
        *where = allocStrdup(file);
        return bufTake(&b);
    }
    slash = strrchr(file, '/');
    if (ref[0] == '/' || !slash)
        path = allocStrdup(ref);
    else
        path = allocPrintf("%.*s/%s", (int)(slash - file), file, ref);
    xml = testReadFile(path);
    *where = path;
    return xml;
}

static unsigned long long
testHostUsedMemory(TestHost *h)
{
    unsigned long long used = 0;

    for (size_t i = 0; i < h->ndoms; i++)
        if (testDomainIsActiveRec(h->doms[i]))
            used += h->doms[i]->def->curMemory;
    return used;
}

/* A host loaded from the node file PATH; NULL with an error naming it. */
static TestHost *
testHostNewFile(const char *path)
{
    TestHost *h = testHostNew();
    char *text = NULL;
    XNode *root = NULL;

    testNodeDefaults(h);
    h->path = allocStrdup(path);
    if (!(text = testReadFile(path)))
        goto error;
    if (!(root = xtreeParse(text, VIR_FROM_TEST))) {
        virErrorPtr err = errorSave();

        reportError(VIR_ERR_XML_ERROR, "invalid test driver file '%s': %s",
                    path, err && err->message ? err->message : "parse failed");
        virFreeError(err);
        goto error;
    }
    if (strcmp(root->name, "node") != 0) {
        reportError(VIR_ERR_XML_ERROR,
                    "invalid test driver file '%s': root element is <%s>, "
                    "not <node>", path, root->name);
        goto error;
    }
    if (testNodeLoadHost(h, root, path) < 0)
        goto error;
    for (size_t i = 0; i < root->nkids; i++) {
        char *where = NULL, *xml;
        int rc;

        if (strcmp(root->kids[i]->name, "domain") != 0)
            continue;
        xml = testNodeDomainXML(root->kids[i], path, &where);
        rc = xml ? testHostLoadDomain(h, xml, where) : -1;
        free(xml);
        free(where);
        if (rc < 0)
            goto error;
    }
    h->freeMemory = h->node.memory * 1024ULL;
    if (testHostUsedMemory(h) * 1024ULL < h->freeMemory)
        h->freeMemory -= testHostUsedMemory(h) * 1024ULL;
    else
        h->freeMemory = 0;
    free(text);
    xtreeFree(root);
    return h;

 error:
    free(text);
    xtreeFree(root);
    testHostFree(h);
    return NULL;
}

/* testDefaultDomain parsed once per process: every connection to
 * test:///default starts from a copy, which costs a few percent of a
 * parse. Never freed; NULL only if the constant above is broken. */
static DomainDef *testDefaultDef;
static pthread_once_t testDefaultOnce = PTHREAD_ONCE_INIT;

static void
testDefaultParse(void)
{
    testDefaultDef = domainDefParse(testDefaultDomain, 0);
    errorReset();
}

/* The fixed initial host of test:///default: one running domain 'test'.
 * testDefaultDef must be parsed; never fails. */
static TestHost *
testHostNewDefault(void)
{
    TestMarkers m = { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED,
                      false, false };
    TestHost *h = testHostNew();

    testNodeDefaults(h);
    testHostPlace(h, domainDefCopy(testDefaultDef), &m);
    return h;
}

/* The host of a test:///default connection, made on its first use: a
 * connection opened and closed without a call builds none. Threads racing
 * on the first call each build one; the first stored wins. */
TestHost *
testHostDefaultOf(virConnectPtr conn)
{
    TestHost *h = testHostNewDefault();
    TestHost *none = NULL;

    if (!__atomic_compare_exchange_n((TestHost **)&conn->privateData, &none,
                                     h, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        testHostFree(h);
        h = none;
    }
    return h;
}

static DriverOpenResult
testConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth,
                unsigned int flags)
{
    const char *path;
    TestHost *h;

    if (strncmp(uri, "test://", 7) != 0)
        return DRIVER_OPEN_DECLINED;
    path = uri + 7;
    if (strcmp(path, "/default") == 0) {
        pthread_once(&testDefaultOnce, testDefaultParse);
        if (!testDefaultDef) {
            reportError(VIR_ERR_INTERNAL_ERROR, "the domain of "
                        "test:///default does not parse");
            return DRIVER_OPEN_ERROR;
        }
        /* the host is made by testHostDefaultOf when first used */
        conn->privateData = NULL;
        return DRIVER_OPEN_SUCCESS;
    } else if (path[0] == '/' && path[1]) {
        h = testHostNewFile(path);
    } else {
        reportError(VIR_ERR_NO_CONNECT,
                    "test driver URI '%s' needs a path: use test:///default "
                    "or test:///ABSOLUTE/PATH.xml", uri);
        return DRIVER_OPEN_ERROR;
    }
    if (!h)
        return DRIVER_OPEN_ERROR;
    conn->privateData = h;
    return DRIVER_OPEN_SUCCESS;
}

static void
testConnectClose(virConnectPtr conn)
{
    testHostFree(conn->privateData);
    conn->privateData = NULL;
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
    TestHost *h = testHostOf(conn);

    return allocStrdup(h->hostname);
}

static int
testConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    return 32;
}

static int
testNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    TestHost *h = testHostOf(conn);

    pthread_mutex_lock(&h->lock);
    *info = h->node;
    pthread_mutex_unlock(&h->lock);
    return 0;
}

static unsigned long long
testNodeGetFreeMemory(virConnectPtr conn)
{
    TestHost *h = testHostOf(conn);

    return h->freeMemory;
}

static int
testNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                           int startCell, int maxCells)
{
    TestHost *h = testHostOf(conn);
    int cells = (int)h->node.nodes;
    int n = 0;

    if (startCell < 0 || startCell >= cells) {
        reportError(VIR_ERR_INVALID_ARG,
                    "start cell %d out of range (0-%d)", startCell, cells - 1);
        return -1;
    }
    if (maxCells <= 0) {
        reportError(VIR_ERR_INVALID_ARG, "maxCells %d must be positive",
                    maxCells);
        return -1;
    }
    for (int i = startCell; i < cells && n < maxCells; i++)
        freeMems[n++] = h->freeMemory / (unsigned long long)cells;
    return n;
}

static int
testNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap,
                  unsigned int *online, unsigned int flags)
{
    TestHost *h = testHostOf(conn);
    int cpus = (int)h->node.cpus;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (cpumap) {
        *cpumap = allocZero((size_t)(cpus + 7) / 8);
        for (int i = 0; i < cpus; i++)
            (*cpumap)[i / 8] |= (unsigned char)(1u << (i % 8));
    }
    if (online)
        *online = (unsigned int)cpus;
    return cpus;
}

#define TEST_NODE_STATS 4

static int
testNodeGetCPUStats(virConnectPtr conn, int cpuNum,
                    virNodeCPUStatsPtr params, int *nparams,
                    unsigned int flags)
{
    TestHost *h = testHostOf(conn);
    static const char *const names[TEST_NODE_STATS] = {
        VIR_NODE_CPU_STATS_KERNEL, VIR_NODE_CPU_STATS_USER,
        VIR_NODE_CPU_STATS_IDLE, VIR_NODE_CPU_STATS_IOWAIT,
    };
    unsigned long long mult;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (cpuNum != VIR_NODE_CPU_STATS_ALL_CPUS &&
        (cpuNum < 0 || cpuNum >= (int)h->node.cpus)) {
        reportError(VIR_ERR_INVALID_ARG, "cpu %d out of range (0-%u)",
                    cpuNum, h->node.cpus - 1);
        return -1;
    }
    if (*nparams == 0) {
        *nparams = TEST_NODE_STATS;
        return 0;
    }
    if (*nparams != TEST_NODE_STATS || !params) {
        reportError(VIR_ERR_INVALID_ARG, "nparams must be %d",
                    TEST_NODE_STATS);
        return -1;
    }
    /* per cpu: 1s kernel, 2s user, 7s idle, 0.5s iowait, times the cpu's
     * number + 1; all cpus: the sum */
    mult = cpuNum == VIR_NODE_CPU_STATS_ALL_CPUS ?
           (unsigned long long)h->node.cpus * (h->node.cpus + 1) / 2 :
           (unsigned long long)cpuNum + 1;
    for (int i = 0; i < TEST_NODE_STATS; i++) {
        static const unsigned long long base[TEST_NODE_STATS] = {
            1000000000ULL, 2000000000ULL, 7000000000ULL, 500000000ULL,
        };

        memset(&params[i], 0, sizeof(params[i]));
        snprintf(params[i].field, sizeof(params[i].field), "%s", names[i]);
        params[i].value = base[i] * mult;
    }
    return 0;
}

static int
testNodeGetMemoryStats(virConnectPtr conn, int cellNum,
                       virNodeMemoryStatsPtr params, int *nparams,
                       unsigned int flags)
{
    TestHost *h = testHostOf(conn);
    static const char *const names[TEST_NODE_STATS] = {
        VIR_NODE_MEMORY_STATS_TOTAL, VIR_NODE_MEMORY_STATS_FREE,
        VIR_NODE_MEMORY_STATS_BUFFERS, VIR_NODE_MEMORY_STATS_CACHED,
    };
    unsigned long long values[TEST_NODE_STATS];
    unsigned long long div;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (cellNum != VIR_NODE_MEMORY_STATS_ALL_CELLS &&
        (cellNum < 0 || cellNum >= (int)h->node.nodes)) {
        reportError(VIR_ERR_INVALID_ARG, "cell %d out of range (0-%u)",
                    cellNum, h->node.nodes - 1);
        return -1;
    }
    if (*nparams == 0) {
        *nparams = TEST_NODE_STATS;
        return 0;
    }
    if (*nparams != TEST_NODE_STATS || !params) {
        reportError(VIR_ERR_INVALID_ARG, "nparams must be %d",
                    TEST_NODE_STATS);
        return -1;
    }
    div = cellNum == VIR_NODE_MEMORY_STATS_ALL_CELLS ? 1 : h->node.nodes;
    values[0] = h->node.memory / div;
    values[1] = h->freeMemory / 1024 / div;
    values[2] = values[0] / 64;
    values[3] = values[0] / 16;
    for (int i = 0; i < TEST_NODE_STATS; i++) {
        memset(&params[i], 0, sizeof(params[i]));
        snprintf(params[i].field, sizeof(params[i].field), "%s", names[i]);
        params[i].value = values[i];
    }
    return 0;
}

static char *
testConnectGetCapabilities(virConnectPtr conn)
{
    TestHost *h = testHostOf(conn);
    unsigned int cpusPerCell = h->node.cpus / h->node.nodes;
    Buf b = { 0 };

    bufAdd(&b, "<capabilities>\n  <host>\n    <cpu>\n");
    bufAdd(&b, "      <arch>i686</arch>\n");
    bufPrintf(&b, "      <model>%s</model>\n", h->node.model);
    bufPrintf(&b, "      <topology sockets='%u' dies='1' cores='%u' "
              "threads='%u'/>\n", h->node.sockets, h->node.cores,
              h->node.threads);
    bufAdd(&b, "    </cpu>\n    <topology>\n");
    bufPrintf(&b, "      <cells num='%u'>\n", h->node.nodes);
    for (unsigned int c = 0; c < h->node.nodes; c++) {
        bufPrintf(&b, "        <cell id='%u'>\n", c);
        bufPrintf(&b, "          <memory unit='KiB'>%lu</memory>\n",
                  h->node.memory / h->node.nodes);
        bufPrintf(&b, "          <cpus num='%u'>\n", cpusPerCell);
        for (unsigned int i = 0; i < cpusPerCell; i++)
            bufPrintf(&b, "            <cpu id='%u'/>\n",
                      c * cpusPerCell + i);
        bufAdd(&b, "          </cpus>\n        </cell>\n");
    }
    bufAdd(&b, "      </cells>\n    </topology>\n  </host>\n");
    bufAdd(&b, "  <guest>\n    <os_type>hvm</os_type>\n");
    bufAdd(&b, "    <arch name='i686'>\n      <wordsize>32</wordsize>\n");
    bufAdd(&b, "      <domain type='test'/>\n    </arch>\n  </guest>\n");
    bufAdd(&b, "</capabilities>\n");
    return bufTake(&b);
}

static char *
testConnectGetSysinfo(virConnectPtr conn, unsigned int flags)
{
    Buf b = { 0 };

    if (testCheckFlags(flags, 0) < 0)
        return NULL;
    bufAdd(&b, "<sysinfo type='smbios'>\n  <bios>\n");
    bufAdd(&b, "    <entry name='vendor'>vireo</entry>\n");
    bufAdd(&b, "    <entry name='version'>1.0</entry>\n  </bios>\n");
    bufAdd(&b, "  <system>\n    <entry name='manufacturer'>vireo</entry>\n");
    bufAdd(&b, "    <entry name='product'>test host</entry>\n");
    bufAdd(&b, "  </system>\n</sysinfo>\n");
    return bufTake(&b);
}

/* Slots of the connection and node (called by testCoreFill). */
void
testHostFill(Driver *drv)
{
    drv->open = testConnectOpen;
    drv->close = testConnectClose;
    drv->connectGetType = testConnectGetType;
    drv->connectGetVersion = testConnectGetVersion;
    drv->connectGetHostname = testConnectGetHostname;
    drv->connectGetMaxVcpus = testConnectGetMaxVcpus;
    drv->connectGetCapabilities = testConnectGetCapabilities;
    drv->connectGetSysinfo = testConnectGetSysinfo;
    drv->nodeGetInfo = testNodeGetInfo;
    drv->nodeGetFreeMemory = testNodeGetFreeMemory;
    drv->nodeGetCellsFreeMemory = testNodeGetCellsFreeMemory;
    drv->nodeGetCPUMap = testNodeGetCPUMap;
    drv->nodeGetCPUStats = testNodeGetCPUStats;
    drv->nodeGetMemoryStats = testNodeGetMemoryStats;
}
