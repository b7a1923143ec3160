/* test-testdriver-config.c: live and config changes, metadata, names */
#include "test-testdriver.h"

static void
memory(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom = virDomainLookupByName(conn, "test"), tr;
    virDomainInfo info;
    char *xml;

    TAP_INT(virDomainGetMaxMemory(dom), 8388608, "GetMaxMemory");
    TAP_INT(virDomainSetMemory(dom, 1048576), 0, "SetMemory (live)");
    virDomainGetInfo(dom, &info);
    TAP_INT(info.memory, 1048576, "GetInfo shows it");
    TAP_OK(tdXMLHas(dom, 0, "<currentMemory unit='KiB'>1048576"),
           "live XML shows it");
    TAP_OK(tdXMLHas(dom, VIR_DOMAIN_XML_INACTIVE,
                    "<currentMemory unit='KiB'>2097152"),
           "config XML does not");
    TAP_INT(virDomainIsUpdated(dom), 0, "a live change is no update");
    TAP_INT(virDomainSetMemory(dom, 8388609), -1, "above the maximum");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetMemory(dom, 0), -1, "zero");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetMemoryFlags(dom, 524288, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "SetMemoryFlags CONFIG on a running domain");
    TAP_OK(tdXMLHas(dom, VIR_DOMAIN_XML_INACTIVE,
                    "<currentMemory unit='KiB'>524288"), "config changed");
    TAP_OK(tdXMLHas(dom, 0, "<currentMemory unit='KiB'>1048576"),
           "live unchanged");
    TAP_INT(virDomainIsUpdated(dom), 1, "IsUpdated after a config change");
    TAP_INT(virDomainSetMaxMemory(dom, 4194304), -1,
            "SetMaxMemory on a running domain");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TAP_INT(virDomainSetMemoryFlags(dom, 262144, VIR_DOMAIN_AFFECT_CONFIG |
                                    VIR_DOMAIN_MEM_MAXIMUM), 0,
            "config maximum below current");
    TAP_OK(tdXMLHas(dom, VIR_DOMAIN_XML_INACTIVE,
                    "<memory unit='KiB'>262144</memory>\n"
                    "  <currentMemory unit='KiB'>262144"),
           "current memory clamped to the new maximum");
    TAP_INT(virDomainSetMemoryFlags(dom, 1, 1u << 20), -1, "unknown flag");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainDestroy(dom), 0, "stop");
    TAP_INT(virDomainGetMaxMemory(dom), 262144, "the config is live now");
    TAP_INT(virDomainSetMemory(dom, 1024), -1, "SetMemory (live) inactive");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TD_MSG("domain 'test' is not running", "message");
    TAP_INT(virDomainSetMaxMemory(dom, 4194304), 0, "SetMaxMemory inactive");
    TAP_INT(virDomainGetMaxMemory(dom), 4194304, "GetMaxMemory follows");

    xml = tdXML("tr", 3, NULL);
    tr = virDomainCreateXML(conn, xml, 0);
    free(xml);
    TAP_INT(virDomainSetMemoryFlags(tr, 1024, VIR_DOMAIN_AFFECT_CONFIG), -1,
            "CONFIG on a transient domain");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TAP_INT(virDomainSetMemoryFlags(tr, 1024, VIR_DOMAIN_AFFECT_CURRENT), 0,
            "CURRENT on a transient domain is live");
    virDomainFree(tr);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
vcpus(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainInfo info;

    TAP_INT(virDomainGetMaxVcpus(dom), 2, "GetMaxVcpus");
    TAP_INT(virDomainGetVcpusFlags(dom, 0), 2, "GetVcpusFlags current");
    TAP_INT(virDomainSetVcpus(dom, 1), 0, "SetVcpus 1");
    virDomainGetInfo(dom, &info);
    TAP_INT(info.nrVirtCpu, 1, "GetInfo shows it");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), 1, "live 1");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), 2,
            "config 2");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_GUEST), 1,
            "guest view");
    TAP_OK(tdXMLHas(dom, 0, "current='1'>2</vcpu>"), "live XML");
    TAP_INT(virDomainSetVcpus(dom, 3), -1, "above the maximum");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetVcpus(dom, 0), -1, "zero");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetVcpusFlags(dom, 4, VIR_DOMAIN_AFFECT_LIVE |
                                   VIR_DOMAIN_VCPU_MAXIMUM), -1,
            "live maximum");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TAP_INT(virDomainSetVcpusFlags(dom, 4, VIR_DOMAIN_AFFECT_CONFIG |
                                   VIR_DOMAIN_VCPU_MAXIMUM), 0,
            "config maximum 4");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG |
                                   VIR_DOMAIN_VCPU_MAXIMUM), 4, "read back");
    TAP_INT(virDomainGetMaxVcpus(dom), 2, "live maximum unchanged");
    TAP_INT(virDomainSetVcpusFlags(dom, 3, VIR_DOMAIN_AFFECT_CONFIG), 0,
            "config current 3");
    TAP_OK(tdXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "current='3'>4</vcpu>"),
           "config XML");
    TAP_INT(virDomainSetVcpusFlags(dom, 33, VIR_DOMAIN_AFFECT_CONFIG |
                                   VIR_DOMAIN_VCPU_MAXIMUM), -1,
            "above the host limit");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetVcpusFlags(dom, 1, VIR_DOMAIN_VCPU_GUEST |
                                   VIR_DOMAIN_AFFECT_CONFIG), -1,
            "guest with config");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE |
                                   VIR_DOMAIN_AFFECT_CONFIG), -1,
            "get live and config");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetVcpusFlags(dom, 1, 1u << 20), -1, "unknown flag");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    virDomainDestroy(dom);
    TAP_INT(virDomainGetMaxVcpus(dom), -1, "GetMaxVcpus inactive");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TAP_INT(virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_MAXIMUM), 4,
            "after stop the config applies");
    TAP_INT(virDomainSetVcpus(dom, 1), -1, "SetVcpus (live) inactive");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
metadata(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    const char *ns = "http://example.org/app/1";
    char *s;

    TAP_OK(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, 0) ==
           NULL, "no title at first");
    TD_ERR(VIR_ERR_NO_DOMAIN_METADATA, "NO_DOMAIN_METADATA");
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "Web",
                                 NULL, NULL, 0), 0, "set a title");
    tdDrain();
    TAP_INT(tdEv.metadata, 1, "metadata-change event");
    TAP_INT(tdEv.metadataType, VIR_DOMAIN_METADATA_TITLE, "of type title");
    s = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, 0);
    TAP_STR(s, "Web", "title read back");
    free(s);
    TAP_OK(tdXMLHas(dom, 0, "<title>Web</title>"), "title in the XML");
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION,
                                 "front end", NULL, NULL,
                                 VIR_DOMAIN_AFFECT_CONFIG), 0,
            "description in the config only");
    TAP_OK(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, NULL,
                                VIR_DOMAIN_AFFECT_LIVE) == NULL,
           "not live");
    s = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, NULL,
                             VIR_DOMAIN_AFFECT_CONFIG);
    TAP_STR(s, "front end", "in the config");
    free(s);
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
                                 "<app><port>80</port></app>", "my", ns,
                                 VIR_DOMAIN_AFFECT_LIVE |
                                 VIR_DOMAIN_AFFECT_CONFIG), 0,
            "namespaced element");
    tdDrain();
    TAP_STR(tdEv.metadataURI, ns, "event carries the namespace");
    s = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, ns, 0);
    TAP_OK(s && strstr(s, "port>80</"), "element read back");
    free(s);
    TAP_OK(tdXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "<my:app"),
           "element in the config XML");
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL,
                                 ns, 0), 0, "remove the element");
    TAP_OK(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, ns, 0) ==
           NULL, "gone");
    TD_ERR(VIR_ERR_NO_DOMAIN_METADATA, "NO_DOMAIN_METADATA");
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "", NULL,
                                 NULL, 0), 0, "empty title removes it");
    TAP_OK(!tdXMLHas(dom, 0, "<title>"), "no title");

    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<a/>",
                                 NULL, ns, 0), -1, "element without key");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<a/>",
                                 "k", NULL, 0), -1, "element without uri");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "x", NULL,
                                 ns, 0), -1, "title with a uri");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "a\nb",
                                 NULL, NULL, 0), -1, "title with a newline");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetMetadata(dom, 7, "x", NULL, NULL, 0), -1,
            "unknown type");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<a>",
                                 "k", ns, 0), -1, "malformed element");
    TAP_OK(virGetLastErrorCode() != VIR_ERR_OK, "with an error set");
    TAP_OK(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL,
                                VIR_DOMAIN_AFFECT_LIVE |
                                VIR_DOMAIN_AFFECT_CONFIG) == NULL,
           "get live and config");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
namesAndFacts(void)
{
    virConnectPtr conn = tdOpen(), ro;
    virDomainPtr dom = virDomainLookupByName(conn, "test"), old, rdom;
    int autostart = -1;
    char *s;

    s = virDomainGetHostname(dom, 0);
    TAP_STR(s, "test", "GetHostname of a running guest");
    free(s);
    TAP_OK(virDomainGetHostname(dom, 1u << 20) == NULL, "unknown flag");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    s = virDomainGetOSType(dom);
    TAP_STR(s, "hvm", "GetOSType");
    free(s);

    TAP_INT(virDomainGetAutostart(dom, &autostart), 0, "GetAutostart");
    TAP_INT(autostart, 0, "off");
    TAP_INT(virDomainSetAutostart(dom, 1), 0, "SetAutostart");
    virDomainGetAutostart(dom, &autostart);
    TAP_INT(autostart, 1, "on");
    TAP_INT(virConnectListAllDomains(conn, NULL,
                                     VIR_CONNECT_LIST_DOMAINS_AUTOSTART), 1,
            "LIST_AUTOSTART");

    TAP_INT(virDomainRename(dom, "web", 0), -1, "rename a running domain");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    virDomainDestroy(dom);
    TAP_OK(virDomainGetHostname(dom, 0) == NULL, "no hostname when off");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    tdReset();
    TAP_INT(virDomainRename(dom, "web", 0), 0, "rename");
    TD_EVENTS("rename", { VIR_DOMAIN_EVENT_UNDEFINED,
                          VIR_DOMAIN_EVENT_UNDEFINED_RENAMED },
                        { VIR_DOMAIN_EVENT_DEFINED,
                          VIR_DOMAIN_EVENT_DEFINED_RENAMED });
    TAP_STR(tdEv.name[1], "web", "DEFINED names the new name");
    TAP_STR(virDomainGetName(dom), "web", "the object follows");
    old = virDomainLookupByName(conn, "test");
    TAP_OK(old == NULL, "old name gone");
    TD_ERR(VIR_ERR_NO_DOMAIN, "NO_DOMAIN");
    rdom = virDomainLookupByName(conn, "web");
    TAP_OK(rdom != NULL, "new name found");
    TAP_OK(tdXMLHas(rdom, 0, "<name>web</name>"), "XML has the new name");
    virDomainFree(rdom);
    virDomainFree(tdDefine(conn, "other", 2, NULL));
    TAP_INT(virDomainRename(dom, "other", 0), -1, "rename onto another");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TAP_INT(virDomainRename(dom, "web", 0), -1, "rename to itself");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TAP_INT(virDomainRename(dom, "", 0), -1, "empty name");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainRename(dom, "x", 1), -1, "unknown flag");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainRename(dom, "web-renamed-again", 0), 0, "rename again");
    TAP_STR(virDomainGetName(dom), "web-renamed-again",
            "the object follows again");

    /* secure XML needs a read-write connection */
    ro = virConnectOpenReadOnly("test:///default");
    rdom = virDomainLookupByName(ro, "test");
    TAP_OK(virDomainGetXMLDesc(rdom, VIR_DOMAIN_XML_SECURE) == NULL,
           "secure XML on a read-only connection");
    TD_ERR(VIR_ERR_OPERATION_DENIED, "OPERATION_DENIED");
    TAP_OK(tdXMLHas(rdom, 0, "<name>test</name>"), "plain XML is fine");
    virDomainFree(rdom);
    virConnectClose(ro);
    virDomainFree(dom);
    virConnectClose(conn);
}

int
main(void)
{
    tdInit();
    memory();
    vcpus();
    metadata();
    namesAndFacts();
    return tapDone();
}
