/* test-testdriver-node.c: host calls and test:///PATH.xml node files */
#include "test-testdriver.h"

#include <unistd.h>

static char dir[] = "/tmp/vireo-td-node-XXXXXX";

static char *
writeFile(const char *name, const char *text)
{
    char *p = NULL;
    FILE *fp;

    if (asprintf(&p, "%s/%s", dir, name) < 0)
        abort();
    fp = fopen(p, "w");
    fputs(text, fp);
    fclose(fp);
    return p;
}

static virConnectPtr
openFile(const char *p)
{
    char *uri = NULL;
    virConnectPtr conn;

    if (asprintf(&uri, "test://%s", p) < 0)
        abort();
    conn = virConnectOpen(uri);
    free(uri);
    return conn;
}

static void
defaultHost(void)
{
    virConnectPtr conn = tdOpen();
    virNodeInfo info;
    unsigned long long cells[4] = { 0 };
    unsigned char *map = NULL;
    unsigned int online = 0;
    virNodeCPUStats cpu[4];
    virNodeMemoryStats mem[4];
    unsigned long ver = 0;
    int n = 0;
    char *s;

    TAP_INT(virNodeGetInfo(conn, &info), 0, "NodeGetInfo");
    TAP_STR(info.model, "i686", "model");
    TAP_OK(info.cpus == 16 && info.nodes == 2 && info.sockets == 2 &&
           info.cores == 2 && info.threads == 2 && info.mhz == 1400,
           "topology");
    TAP_INT(info.memory, 3145728, "memory");
    TAP_INT(virNodeGetFreeMemory(conn), 2147483648ULL, "free memory");
    TAP_INT(virNodeGetCellsFreeMemory(conn, cells, 0, 4), 2, "two cells");
    TAP_INT(cells[0] + cells[1], 2147483648ULL, "cells add up");
    TAP_INT(virNodeGetCellsFreeMemory(conn, cells, 1, 4), 1, "from cell 1");
    TAP_INT(virNodeGetCellsFreeMemory(conn, cells, 5, 1), -1, "bad cell");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virNodeGetCPUMap(conn, &map, &online, 0), 16, "CPU map");
    TAP_OK(map && map[0] == 0xff && map[1] == 0xff, "all online");
    TAP_INT(online, 16, "16 online");
    free(map);
    TAP_INT(virNodeGetCPUMap(conn, NULL, NULL, 0), 16, "count only");
    TAP_INT(virNodeGetCPUMap(conn, NULL, NULL, 1), -1, "unknown flag");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");

    TAP_INT(virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &n,
                               0), 0, "CPU stats count");
    TAP_INT(n, 4, "4 fields");
    TAP_INT(virNodeGetCPUStats(conn, 1, cpu, &n, 0), 0, "CPU 1 stats");
    TAP_STR(cpu[0].field, VIR_NODE_CPU_STATS_KERNEL, "kernel first");
    TAP_INT(cpu[0].value, 2000000000ULL, "deterministic kernel time");
    TAP_INT(virNodeGetCPUStats(conn, 16, cpu, &n, 0), -1, "cpu 16");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    n = 3;
    TAP_INT(virNodeGetCPUStats(conn, 0, cpu, &n, 0), -1, "3 fields");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    n = 4;
    TAP_INT(virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, mem,
                                  &n, 0), 0, "memory stats");
    TAP_STR(mem[0].field, VIR_NODE_MEMORY_STATS_TOTAL, "total first");
    TAP_INT(mem[0].value, 3145728, "total");
    TAP_INT(mem[1].value, 2097152, "free");
    TAP_INT(virNodeGetMemoryStats(conn, 2, mem, &n, 0), -1, "cell 2");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");

    s = virConnectGetCapabilities(conn);
    TAP_OK(s && strstr(s, "<topology sockets='2' dies='1' cores='2' "
                          "threads='2'/>") && strstr(s, "<cells num='2'>") &&
           strstr(s, "<domain type='test'/>"), "capabilities");
    free(s);
    s = virConnectGetSysinfo(conn, 0);
    TAP_OK(s && strstr(s, "<sysinfo type='smbios'>"), "sysinfo");
    free(s);
    s = virConnectGetHostname(conn);
    TAP_STR(s, "vireo-test-host", "hostname");
    free(s);
    TAP_STR(virConnectGetType(conn), "Test", "type");
    TAP_INT(virConnectGetVersion(conn, &ver), 0, "version");
    TAP_INT(ver, 2, "version 2");
    TAP_INT(virConnectGetMaxVcpus(conn, NULL), 32, "max vcpus");
    TAP_OK(virConnectDomainXMLFromNative(conn, "qemu-argv", "x", 0) == NULL,
           "DomainXMLFromNative");
    TD_ERR(VIR_ERR_NO_SUPPORT, "NO_SUPPORT");
    virConnectClose(conn);
}

static const char guestFile[] =
    "<domain type='test' xmlns:test='http://vireo.dev/test/1'>\n"
    "  <name>fromfile</name>\n"
    "  <uuid>b1c0ffee-0000-4000-8000-000000000002</uuid>\n"
    "  <memory>262144</memory>\n"
    "  <os><type>hvm</type></os>\n"
    "  <test:runstate>shutoff</test:runstate>\n"
    "  <test:autostart/>\n"
    "</domain>\n";

static const char nodeFile[] =
    "<node xmlns:test='http://vireo.dev/test/1'>\n"
    "  <hostname>lab1</hostname>\n"
    "  <cpu><nodes>1</nodes><sockets>1</sockets><cores>4</cores>"
    "<threads>2</threads><mhz>2600</mhz><model>x86_64</model></cpu>\n"
    "  <memory>8388608</memory>\n"
    "  <domain type='test'>\n"
    "    <name>inline</name>\n"
    "    <uuid>b1c0ffee-0000-4000-8000-000000000001</uuid>\n"
    "    <memory>1048576</memory>\n"
    "    <os><type>hvm</type></os>\n"
    "    <test:runstate>paused</test:runstate>\n"
    "  </domain>\n"
    "  <domain file='guest.xml'/>\n"
    "  <domain type='test'>\n"
    "    <name>wreck</name>\n"
    "    <uuid>b1c0ffee-0000-4000-8000-000000000003</uuid>\n"
    "    <memory>524288</memory>\n"
    "    <os><type>hvm</type></os>\n"
    "    <test:runstate reason='1'>crashed</test:runstate>\n"
    "    <test:transient/>\n"
    "  </domain>\n"
    "</node>\n";

static void
nodeFiles(void)
{
    char *guest = writeFile("guest.xml", guestFile);
    char *node = writeFile("node.xml", nodeFile);
    char *bad, *msg;
    virConnectPtr conn = openFile(node);
    virDomainPtr dom;
    virNodeInfo info;
    int autostart = 0;

    TAP_OK(conn != NULL, "open a node file");
    virNodeGetInfo(conn, &info);
    TAP_OK(info.cpus == 8 && info.cores == 4 && info.mhz == 2600 &&
           info.memory == 8388608 && strcmp(info.model, "x86_64") == 0,
           "host from the file");
    msg = virConnectGetHostname(conn);
    TAP_STR(msg, "lab1", "hostname from the file");
    free(msg);
    TAP_INT(virNodeGetFreeMemory(conn), (8388608ULL - 1048576 - 524288) * 1024,
            "free memory accounts for active domains");
    dom = virDomainLookupByName(conn, "inline");
    tdState(dom, PAU, VIR_DOMAIN_PAUSED_USER, "inline domain paused");
    TAP_INT(virDomainGetID(dom), 1, "first id");
    TAP_OK(!tdXMLHas(dom, 0, "runstate"), "marker removed from the XML");
    virDomainFree(dom);
    dom = virDomainLookupByName(conn, "fromfile");
    tdState(dom, OFF, 0, "file= domain shut off");
    virDomainGetAutostart(dom, &autostart);
    TAP_INT(autostart, 1, "autostart marker");
    TAP_INT(virDomainIsPersistent(dom), 1, "persistent");
    virDomainFree(dom);
    dom = virDomainLookupByName(conn, "wreck");
    tdState(dom, VIR_DOMAIN_CRASHED, 1, "crashed with its reason");
    TAP_INT(virDomainIsPersistent(dom), 0, "transient marker");
    TAP_INT(virDomainGetID(dom), 2, "second id");
    TAP_INT(virDomainDestroy(dom), 0, "destroy the crashed domain");
    virDomainFree(dom);
    virConnectClose(conn);

    /* errors name the file */
    TAP_OK(openFile("/nonexistent/node.xml") == NULL, "missing file");
    TD_ERR(VIR_ERR_NO_CONNECT, "NO_CONNECT");
    TD_MSG("/nonexistent/node.xml", "message names the file");
    bad = writeFile("bad.xml", "<node><cpu>");
    TAP_OK(openFile(bad) == NULL, "malformed file");
    TD_ERR(VIR_ERR_XML_ERROR, "XML_ERROR");
    TD_MSG(bad, "message names the file");
    free(bad);
    bad = writeFile("root.xml", "<domain/>");
    TAP_OK(openFile(bad) == NULL, "wrong root element");
    TD_ERR(VIR_ERR_XML_ERROR, "XML_ERROR");
    TD_MSG("not <node>", "message says why");
    free(bad);
    bad = writeFile("state.xml",
                    "<node xmlns:t='http://vireo.dev/test/1'>"
                    "<domain type='test'><name>x</name><memory>1024</memory>"
                    "<os><type>hvm</type></os><t:runstate>dancing"
                    "</t:runstate></domain></node>");
    TAP_OK(openFile(bad) == NULL, "unknown runstate");
    TD_ERR(VIR_ERR_XML_ERROR, "XML_ERROR");
    TD_MSG("dancing", "message names the value");
    free(bad);
    bad = writeFile("ref.xml", "<node><domain file='missing.xml'/></node>");
    TAP_OK(openFile(bad) == NULL, "missing domain file");
    TD_ERR(VIR_ERR_NO_CONNECT, "NO_CONNECT");
    TD_MSG("missing.xml", "message names the domain file");
    free(bad);
    bad = writeFile("dup.xml", "<node><domain file='guest.xml'/>"
                               "<domain file='guest.xml'/></node>");
    TAP_OK(openFile(bad) == NULL, "the same domain twice");
    TD_ERR(VIR_ERR_OPERATION_FAILED, "OPERATION_FAILED");
    free(bad);
    TAP_OK(virConnectOpen("test://") == NULL, "a test URI without a path");
    TD_ERR(VIR_ERR_NO_CONNECT, "NO_CONNECT");

    unlink(guest);
    unlink(node);
    free(guest);
    free(node);
    {
        const char *names[] = { "bad.xml", "root.xml", "state.xml",
                                "ref.xml", "dup.xml" };

        for (size_t i = 0; i < 5; i++) {
            char *p = NULL;

            if (asprintf(&p, "%s/%s", dir, names[i]) >= 0)
                unlink(p);
            free(p);
        }
    }
}

int
main(void)
{
    if (!mkdtemp(dir))
        return 1;
    tdInit();
    defaultHost();
    nodeFiles();
    rmdir(dir);
    return tapDone();
}
