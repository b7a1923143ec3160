/* test-testdriver-lifecycle.c: the test driver's state machine and events */
#include "test-testdriver.h"

#include <pthread.h>

/* ---- one table walks test:///default's domain through every state ---- */

static int opSuspend(virDomainPtr d) { return virDomainSuspend(d); }
static int opResume(virDomainPtr d) { return virDomainResume(d); }
static int opShutdown(virDomainPtr d) { return virDomainShutdown(d); }
static int opReboot(virDomainPtr d) { return virDomainReboot(d, 0); }
static int opReset(virDomainPtr d) { return virDomainReset(d, 0); }
static int opDestroy(virDomainPtr d) { return virDomainDestroy(d); }
static int opCreate(virDomainPtr d) { return virDomainCreate(d); }
static int
opDestroyGraceful(virDomainPtr d)
{
    return virDomainDestroyFlags(d, VIR_DOMAIN_DESTROY_GRACEFUL);
}
static int
opCreatePaused(virDomainPtr d)
{
    return virDomainCreateWithFlags(d, VIR_DOMAIN_START_PAUSED |
                                       VIR_DOMAIN_START_AUTODESTROY);
}
static int
opPMMem(virDomainPtr d)
{
    return virDomainPMSuspendForDuration(d, VIR_NODE_SUSPEND_TARGET_MEM, 0, 0);
}
static int
opPMDisk(virDomainPtr d)
{
    return virDomainPMSuspendForDuration(d, VIR_NODE_SUSPEND_TARGET_DISK, 0,
                                         0);
}
static int opWakeup(virDomainPtr d) { return virDomainPMWakeup(d, 0); }

typedef struct {
    const char *what;
    int (*op)(virDomainPtr dom);
    int err;                /* 0: succeeds; else the error code */
    int state, reason;      /* afterwards */
    int nev;
    int ev[2][2];           /* lifecycle events it emits */
} Step;

#define OK 0
#define BAD VIR_ERR_OPERATION_INVALID

static const Step steps[] = {
    { "suspend", opSuspend, OK, PAU, VIR_DOMAIN_PAUSED_USER,
      1, { { VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED } } },
    { "suspend paused", opSuspend, BAD, PAU, VIR_DOMAIN_PAUSED_USER, 0, { { 0 } } },
    { "shutdown paused", opShutdown, BAD, PAU, VIR_DOMAIN_PAUSED_USER, 0, { { 0 } } },
    { "reboot paused", opReboot, BAD, PAU, VIR_DOMAIN_PAUSED_USER, 0, { { 0 } } },
    { "pmsuspend paused", opPMMem, BAD, PAU, VIR_DOMAIN_PAUSED_USER, 0, { { 0 } } },
    { "create paused", opCreate, BAD, PAU, VIR_DOMAIN_PAUSED_USER, 0, { { 0 } } },
    { "resume", opResume, OK, RUN, VIR_DOMAIN_RUNNING_UNPAUSED,
      1, { { VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED } } },
    { "resume running", opResume, BAD, RUN, VIR_DOMAIN_RUNNING_UNPAUSED, 0, { { 0 } } },
    { "wakeup running", opWakeup, BAD, RUN, VIR_DOMAIN_RUNNING_UNPAUSED, 0, { { 0 } } },
    { "create running", opCreate, BAD, RUN, VIR_DOMAIN_RUNNING_UNPAUSED, 0, { { 0 } } },
    { "pmsuspend", opPMMem, OK, PMS, VIR_DOMAIN_PMSUSPENDED_UNKNOWN,
      1, { { VIR_DOMAIN_EVENT_PMSUSPENDED,
             VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY } } },
    { "suspend pmsuspended", opSuspend, BAD, PMS, 0, 0, { { 0 } } },
    { "resume pmsuspended", opResume, BAD, PMS, 0, 0, { { 0 } } },
    { "shutdown pmsuspended", opShutdown, BAD, PMS, 0, 0, { { 0 } } },
    { "wakeup", opWakeup, OK, RUN, VIR_DOMAIN_RUNNING_WAKEUP,
      1, { { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_WAKEUP } } },
    { "reboot", opReboot, OK, RUN, VIR_DOMAIN_RUNNING_BOOTED, 0, { { 0 } } },
    { "reset", opReset, OK, RUN, VIR_DOMAIN_RUNNING_BOOTED, 0, { { 0 } } },
    { "shutdown", opShutdown, OK, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
      2, { { VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED },
           { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN } } },
    { "shutdown shut off", opShutdown, BAD, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0, { { 0 } } },
    { "destroy shut off", opDestroy, BAD, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0, { { 0 } } },
    { "suspend shut off", opSuspend, BAD, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0, { { 0 } } },
    { "resume shut off", opResume, BAD, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0, { { 0 } } },
    { "reboot shut off", opReboot, BAD, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0, { { 0 } } },
    { "reset shut off", opReset, BAD, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0, { { 0 } } },
    { "pmsuspend shut off", opPMMem, BAD, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0, { { 0 } } },
    { "wakeup shut off", opWakeup, BAD, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0, { { 0 } } },
    { "create", opCreate, OK, RUN, VIR_DOMAIN_RUNNING_BOOTED,
      1, { { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED } } },
    { "destroy", opDestroy, OK, OFF, VIR_DOMAIN_SHUTOFF_DESTROYED,
      1, { { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED } } },
    { "create paused", opCreatePaused, OK, PAU, VIR_DOMAIN_PAUSED_USER,
      2, { { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED },
           { VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED } } },
    { "destroy graceful", opDestroyGraceful, OK, OFF,
      VIR_DOMAIN_SHUTOFF_DESTROYED,
      1, { { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED } } },
    { "create again", opCreate, OK, RUN, VIR_DOMAIN_RUNNING_BOOTED,
      1, { { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED } } },
    { "pmsuspend to disk", opPMDisk, OK, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
      2, { { VIR_DOMAIN_EVENT_PMSUSPENDED, VIR_DOMAIN_EVENT_PMSUSPENDED_DISK },
           { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN } } },
};

static void
stateTable(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    unsigned int lastID = virDomainGetID(dom);

    TAP_INT(lastID, 1, "the default domain has id 1");
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_BOOTED, "initially");
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        const Step *s = &steps[i];
        int rc = s->op(dom);

        if (s->err == OK) {
            TAP_INT(rc, 0, "%s succeeds", s->what);
        } else {
            TAP_INT(rc, -1, "%s fails", s->what);
            TD_ERR(s->err, "%s: error code", s->what);
            TD_MSG("domain 'test' is", "%s: message names the domain",
                   s->what);
        }
        if (s->state == OFF)
            TAP_INT(virDomainIsActive(dom), 0, "%s: inactive", s->what);
        tdState(dom, s->state, s->reason, s->what);
        tdEventsAre(s->what, s->ev, s->nev);
        if (s->state != OFF && s->err == OK) {
            unsigned int id = virDomainGetID(dom);

            TAP_OK(id >= lastID && id != (unsigned int)-1,
                   "%s: id %u kept or newly assigned", s->what, id);
            lastID = id;
        }
        if (s->state == OFF)
            TAP_INT(virDomainGetID(dom), (unsigned int)-1,
                    "%s: id cleared", s->what);
    }
    TAP_INT(tdEv.reboots, 2, "reboot and reset emitted reboot events");
    TAP_INT(tdEv.pmsuspend, 1, "one pmsuspend event");
    TAP_INT(tdEv.pmsuspendDisk, 1, "one pmsuspend-disk event");
    TAP_INT(tdEv.pmwakeup, 1, "one pmwakeup event");
    TAP_OK(lastID >= 4, "ids increase with each start (%u)", lastID);
    virDomainFree(dom);
    virConnectClose(conn);
}

/* ---- unknown flags and arguments ---- */

static void
badFlags(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    struct { const char *what; int rc; } calls[] = {
        { "CreateWithFlags", virDomainCreateWithFlags(dom, 1u << 20) },
        { "DestroyFlags", virDomainDestroyFlags(dom, 1u << 20) },
        { "ShutdownFlags", virDomainShutdownFlags(dom, 1u << 20) },
        { "Reboot", virDomainReboot(dom, 1u << 20) },
        { "Reset", virDomainReset(dom, 1) },
        { "PMSuspend flags", virDomainPMSuspendForDuration(dom, 0, 0, 1) },
        { "PMSuspend target", virDomainPMSuspendForDuration(dom, 7, 0, 0) },
        { "PMWakeup", virDomainPMWakeup(dom, 1) },
        { "UndefineFlags", virDomainUndefineFlags(dom, 1u << 20) },
        { "Undefine nvram+keep",
          virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_NVRAM |
                                      VIR_DOMAIN_UNDEFINE_KEEP_NVRAM) },
        { "Undefine tpm+keep",
          virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_TPM |
                                      VIR_DOMAIN_UNDEFINE_KEEP_TPM) },
        { "GetXMLDesc", virDomainGetXMLDesc(dom, 1u << 20) ? 0 : -1 },
        { "DefineXMLFlags",
          virDomainDefineXMLFlags(conn, "<domain/>", 1u << 20) ? 0 : -1 },
        { "CreateXML", virDomainCreateXML(conn, "<domain/>", 1u << 20) ? 0
                                                                        : -1 },
    };

    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        /* each call's error is gone by now: check by calling again below */
        TAP_INT(calls[i].rc, -1, "%s with a bad flag or argument fails",
                calls[i].what);
    }
    TAP_INT(virDomainReset(dom, 1), -1, "Reset with flags");
    TD_ERR(VIR_ERR_INVALID_ARG, "unknown flag: INVALID_ARG");
    TD_MSG("0x1", "message names the flag");
    TAP_INT(virDomainPMSuspendForDuration(dom, 7, 0, 0), -1, "bad target");
    TD_ERR(VIR_ERR_INVALID_ARG, "bad target: INVALID_ARG");
    TAP_INT(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_NVRAM |
                                        VIR_DOMAIN_UNDEFINE_KEEP_NVRAM), -1,
            "nvram and keep-nvram");
    TD_ERR(VIR_ERR_INVALID_ARG, "conflicting undefine flags: INVALID_ARG");
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_BOOTED, "nothing changed");
    TD_NO_EVENTS("bad flags");
    virDomainFree(dom);
    virConnectClose(conn);
}

/* ---- define, redefine, undefine ---- */

static void
defineUndefine(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom, test, again;
    char *xml;

    dom = tdDefine(conn, "guest", 1, NULL);
    TAP_OK(dom != NULL, "define a new domain");
    TD_EVENTS("define", { VIR_DOMAIN_EVENT_DEFINED,
                          VIR_DOMAIN_EVENT_DEFINED_ADDED });
    tdState(dom, OFF, VIR_DOMAIN_SHUTOFF_UNKNOWN, "defined");
    TAP_INT(virDomainIsPersistent(dom), 1, "defined domain is persistent");
    TAP_INT(virDomainIsActive(dom), 0, "and inactive");
    TAP_INT(virDomainGetID(dom), (unsigned int)-1, "without an id");

    /* redefine with more memory: the config changes */
    xml = tdXML("guest", 1, NULL);
    xml = realloc(xml, strlen(xml) + 1);
    memcpy(strstr(xml, "524288"), "262144", 6);
    again = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(again != NULL, "redefine");
    TD_EVENTS("redefine", { VIR_DOMAIN_EVENT_DEFINED,
                            VIR_DOMAIN_EVENT_DEFINED_UPDATED });
    TAP_OK(tdXMLHas(dom, 0, "262144"), "redefinition replaced the config");
    virDomainFree(again);

    /* clashes and failures leave the old config */
    xml = tdXML("guest", 2, NULL);
    TAP_OK(virDomainDefineXML(conn, xml) == NULL, "same name, other uuid");
    TD_ERR(VIR_ERR_OPERATION_FAILED, "name clash: OPERATION_FAILED");
    TD_MSG("domain 'guest' already exists with uuid", "message");
    free(xml);
    xml = tdXML("other", 1, NULL);
    TAP_OK(virDomainDefineXML(conn, xml) == NULL, "same uuid, other name");
    TD_ERR(VIR_ERR_OPERATION_FAILED, "uuid clash: OPERATION_FAILED");
    TD_MSG("'guest'", "message names the owner of the uuid");
    free(xml);
    TAP_OK(virDomainDefineXML(conn, "<domain type='test'><name>guest") ==
           NULL, "malformed XML");
    TD_ERR(VIR_ERR_XML_ERROR, "malformed XML: XML_ERROR");
    xml = tdXML("guest", 1, "  <frobnicate/>\n");
    TAP_OK(virDomainDefineXMLFlags(conn, xml, VIR_DOMAIN_DEFINE_VALIDATE) ==
           NULL, "VALIDATE rejects an unknown element");
    TD_ERR(VIR_ERR_XML_INVALID_SCHEMA, "VALIDATE: XML_INVALID_SCHEMA");
    free(xml);
    TAP_OK(tdXMLHas(dom, 0, "262144"), "failed defines kept the config");
    TD_NO_EVENTS("failed defines");

    /* redefining a running domain: new config pending, IsUpdated */
    test = virDomainLookupByName(conn, "test");
    TAP_INT(virDomainIsUpdated(test), 0, "default domain not updated");
    xml = virDomainGetXMLDesc(test, VIR_DOMAIN_XML_INACTIVE);
    memcpy(strstr(xml, "2097152"), "1048576", 7);
    again = virDomainDefineXML(conn, xml);
    free(xml);
    TAP_OK(again != NULL, "redefine the running domain");
    virDomainFree(again);
    TD_EVENTS("redefine running", { VIR_DOMAIN_EVENT_DEFINED,
                                    VIR_DOMAIN_EVENT_DEFINED_UPDATED });
    TAP_INT(virDomainIsUpdated(test), 1, "now updated");
    TAP_OK(tdXMLHas(test, 0, "2097152"), "live XML unchanged");
    TAP_OK(tdXMLHas(test, VIR_DOMAIN_XML_INACTIVE, "1048576"),
           "inactive XML shows the new config");
    TAP_INT(virDomainDestroy(test), 0, "destroy");
    TAP_OK(tdXMLHas(test, 0, "1048576"), "after stop the config is live");
    TAP_INT(virDomainIsUpdated(test), 0, "no longer updated");
    TAP_INT(virDomainCreate(test), 0, "start again");
    tdReset();

    /* undefine a running domain: it goes on as transient */
    TAP_INT(virDomainUndefine(test), 0, "undefine running domain");
    TD_EVENTS("undefine running", { VIR_DOMAIN_EVENT_UNDEFINED,
                                    VIR_DOMAIN_EVENT_UNDEFINED_REMOVED });
    TAP_INT(virDomainIsPersistent(test), 0, "it is transient now");
    TAP_INT(virDomainIsActive(test), 1, "and still running");
    TAP_INT(virDomainUndefine(test), -1, "undefine transient");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "undefine transient: OP_INVALID");
    TAP_INT(virDomainSetAutostart(test, 1), -1, "autostart transient");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "autostart transient: OP_INVALID");
    TAP_INT(virDomainDestroy(test), 0, "destroy the transient domain");
    TD_EVENTS("destroy transient", { VIR_DOMAIN_EVENT_STOPPED,
                                     VIR_DOMAIN_EVENT_STOPPED_DESTROYED });
    again = virDomainLookupByName(conn, "test");
    TAP_OK(again == NULL, "it vanished");
    TD_ERR(VIR_ERR_NO_DOMAIN, "lookup: NO_DOMAIN");
    TAP_INT(virDomainGetInfo(test, &(virDomainInfo){ 0 }), -1,
            "calls on the stale object fail");
    TD_ERR(VIR_ERR_NO_DOMAIN, "stale object: NO_DOMAIN");
    virDomainFree(test);

    /* undefine an inactive domain */
    TAP_INT(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA),
            0, "undefine inactive");
    TD_EVENTS("undefine", { VIR_DOMAIN_EVENT_UNDEFINED,
                            VIR_DOMAIN_EVENT_UNDEFINED_REMOVED });
    TAP_INT(virDomainIsActive(dom), -1, "the domain is gone");
    TD_ERR(VIR_ERR_NO_DOMAIN, "gone: NO_DOMAIN");
    virDomainFree(dom);

    /* nvram needs a flag */
    dom = tdDefine(conn, "efi", 3,
                   "  <os><type arch='i686'>hvm</type>"
                   "<loader readonly='yes' type='pflash'>/l.fd</loader>"
                   "<nvram>/tmp/efi_VARS.fd</nvram></os>\n");
    if (!dom)
        dom = tdDefine(conn, "efi", 3, NULL);
    if (tdXMLHas(dom, 0, "<nvram")) {
        TAP_INT(virDomainUndefine(dom), -1, "undefine with nvram");
        TD_ERR(VIR_ERR_OPERATION_INVALID, "nvram: OP_INVALID");
        TAP_INT(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_KEEP_NVRAM), 0,
                "undefine keeping nvram");
    } else {
        tapSkip("conf model has no nvram");
        tapSkip("conf model has no nvram");
        TAP_INT(virDomainUndefine(dom), 0, "undefine");
    }
    virDomainFree(dom);
    virConnectClose(conn);
}

/* ---- transient domains ---- */

static void
createXML(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom, def, test;
    char *xml = tdXML("trans", 5, NULL);
    char *testxml;

    dom = virDomainCreateXML(conn, xml, 0);
    TAP_OK(dom != NULL, "CreateXML starts a transient domain");
    TD_EVENTS("CreateXML", { VIR_DOMAIN_EVENT_STARTED,
                             VIR_DOMAIN_EVENT_STARTED_BOOTED });
    TAP_INT(virDomainGetID(dom), 2, "it got the next id");
    TAP_INT(virDomainIsPersistent(dom), 0, "transient");
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_BOOTED, "CreateXML");
    TAP_OK(virDomainCreateXML(conn, xml, 0) == NULL, "CreateXML twice");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "already active: OP_INVALID");
    TAP_INT(virDomainShutdown(dom), 0, "shut it down");
    TD_EVENTS("shutdown transient",
              { VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED },
              { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN });
    TAP_INT(virDomainIsActive(dom), -1, "a stopped transient domain vanishes");
    virDomainFree(dom);

    dom = virDomainCreateXML(conn, xml, VIR_DOMAIN_START_PAUSED);
    TAP_OK(dom != NULL, "CreateXML paused");
    tdState(dom, PAU, VIR_DOMAIN_PAUSED_USER, "CreateXML paused");
    TAP_INT(virDomainGetID(dom), 3, "ids keep increasing");
    TAP_OK(virDomainLookupByID(conn, 2) == NULL, "old id is gone");
    TD_ERR(VIR_ERR_NO_DOMAIN, "old id: NO_DOMAIN");
    virDomainDestroy(dom);
    virDomainFree(dom);
    tdReset();

    /* a defined domain started from other XML keeps its config */
    def = tdDefine(conn, "trans", 5, NULL);
    free(xml);
    xml = tdXML("trans", 5, "  <on_poweroff>restart</on_poweroff>\n");
    dom = virDomainCreateXML(conn, xml, 0);
    TAP_OK(dom != NULL, "CreateXML of a defined domain");
    TAP_INT(virDomainIsPersistent(def), 1, "still persistent");
    TAP_OK(tdXMLHas(def, 0, "<on_poweroff>restart"), "runs the given XML");
    TAP_OK(!tdXMLHas(def, VIR_DOMAIN_XML_INACTIVE, "<on_poweroff>restart"),
           "config unchanged");
    tdReset();

    /* on_poweroff=restart: shutdown reboots the guest */
    TAP_INT(virDomainShutdown(def), 0, "shutdown with on_poweroff=restart");
    TD_EVENTS("restart on poweroff",
              { VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED },
              { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN },
              { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED });
    tdState(def, RUN, VIR_DOMAIN_RUNNING_BOOTED, "restarted");
    TAP_OK(!tdXMLHas(def, 0, "<on_poweroff>restart"),
           "the restart picked up the config");
    virDomainDestroy(def);
    virDomainFree(dom);
    virDomainFree(def);
    free(xml);

    /* on_reboot=destroy: reboot stops the guest */
    def = tdDefine(conn, "norb", 6, "  <on_reboot>destroy</on_reboot>\n");
    virDomainCreate(def);
    tdReset();
    TAP_INT(virDomainReboot(def, 0), 0, "reboot with on_reboot=destroy");
    TD_EVENTS("reboot destroys",
              { VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED },
              { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN });
    tdState(def, OFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, "stopped by reboot");
    TAP_INT(tdEv.reboots, 0, "no reboot event");
    virDomainFree(def);

    /* <pm> can forbid suspend to memory */
    def = tdDefine(conn, "nopm", 7,
                   "  <pm><suspend-to-mem enabled='no'/></pm>\n");
    virDomainCreate(def);
    TAP_INT(virDomainPMSuspendForDuration(def, VIR_NODE_SUSPEND_TARGET_MEM, 0,
                                          0), -1, "pm disabled");
    TD_ERR(VIR_ERR_OPERATION_UNSUPPORTED, "pm disabled: OP_UNSUPPORTED");
    virDomainFree(def);

    /* clashes of CreateXML */
    test = virDomainLookupByName(conn, "test");
    testxml = virDomainGetXMLDesc(test, 0);
    TAP_OK(virDomainCreateXML(conn, testxml, 0) == NULL,
           "CreateXML of a running domain");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "running: OP_INVALID");
    TD_MSG("domain 'test' is already active", "message");
    free(testxml);
    xml = tdXML("test", 9, NULL);
    TAP_OK(virDomainCreateXML(conn, xml, 0) == NULL, "name clash");
    TD_ERR(VIR_ERR_OPERATION_FAILED, "name clash: OPERATION_FAILED");
    free(xml);
    virDomainFree(test);
    virConnectClose(conn);
}

/* ---- one host per connection ---- */

static void
freshHosts(void)
{
    virConnectPtr a = tdOpen(), b = virConnectOpen("test:///default");
    virDomainPtr da = virDomainLookupByName(a, "test");
    virDomainPtr db = virDomainLookupByName(b, "test");

    TAP_INT(virDomainSuspend(da), 0, "suspend in the first connection");
    tdState(db, RUN, VIR_DOMAIN_RUNNING_BOOTED,
            "the second connection has its own host");
    virDomainFree(da);
    virDomainFree(db);
    virConnectClose(a);
    virConnectClose(b);
}

/* Each connection starts from a copy of one parsed definition: what a
 * connection does to its 'test' never shows in the next one. */
static void
freshAfterChanges(void)
{
    virConnectPtr a = virConnectOpen("test:///default"), c;
    virDomainPtr d = virDomainLookupByName(a, "test");
    char *before = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE);
    char *after;

    TAP_INT(virDomainSetMetadata(d, VIR_DOMAIN_METADATA_DESCRIPTION,
                                 "edited", NULL, NULL,
                                 VIR_DOMAIN_AFFECT_CONFIG |
                                 VIR_DOMAIN_AFFECT_LIVE), 0,
            "description set in the first connection");
    TAP_INT(virDomainDestroy(d), 0, "destroyed");
    TAP_INT(virDomainUndefine(d), 0, "undefined");
    virDomainFree(d);
    virConnectClose(a);
    c = virConnectOpen("test:///default");
    d = virDomainLookupByName(c, "test");
    TAP_OK(d, "the next connection has 'test' again");
    TAP_INT(d ? virDomainGetID(d) : 0, 1, "with id 1");
    TAP_INT(d ? virDomainIsActive(d) : 0, 1, "running");
    TAP_INT(d ? virDomainIsPersistent(d) : 0, 1, "persistent");
    TAP_INT(d ? virDomainIsUpdated(d) : -1, 0, "its config not updated");
    after = d ? virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE) : NULL;
    TAP_STR(after, before, "its config as the first connection found it");
    free(before);
    free(after);
    if (d)
        virDomainFree(d);
    virConnectClose(c);
}

#define FIRST_USERS 4

static pthread_barrier_t firstBarrier;

static void *
firstUse(void *opaque)
{
    virConnectPtr conn = opaque;

    pthread_barrier_wait(&firstBarrier);
    return virDomainLookupByName(conn, "test");
}

/* A connection's host is made on its first call: threads making their
 * first calls at once all get the one host. */
static void
firstUseShared(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    pthread_t th[FIRST_USERS];
    virDomainPtr doms[FIRST_USERS];
    virDomainInfo info;
    int same = 0;

    pthread_barrier_init(&firstBarrier, NULL, FIRST_USERS);
    for (int i = 0; i < FIRST_USERS; i++)
        pthread_create(&th[i], NULL, firstUse, conn);
    for (int i = 0; i < FIRST_USERS; i++)
        pthread_join(th[i], (void **)&doms[i]);
    pthread_barrier_destroy(&firstBarrier);
    TAP_INT(doms[0] ? virDomainSuspend(doms[0]) : -1, 0,
            "suspended through the first thread's handle");
    for (int i = 0; i < FIRST_USERS; i++) {
        if (doms[i] && virDomainGetInfo(doms[i], &info) == 0 &&
            info.state == VIR_DOMAIN_PAUSED)
            same++;
        if (doms[i])
            virDomainFree(doms[i]);
    }
    TAP_INT(same, FIRST_USERS, "every thread's handle sees it paused");
    virConnectClose(conn);
}

int
main(void)
{
    tdInit();
    stateTable();
    badFlags();
    defineUndefine();
    createXML();
    freshHosts();
    freshAfterChanges();
    firstUseShared();
    return tapDone();
}
