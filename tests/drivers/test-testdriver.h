/* test-testdriver.h: shared helpers of the test driver core's TAP tests */
#pragma once

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"

/* Short names of the states for tables. */
#define RUN VIR_DOMAIN_RUNNING
#define PAU VIR_DOMAIN_PAUSED
#define OFF VIR_DOMAIN_SHUTOFF
#define PMS VIR_DOMAIN_PMSUSPENDED

/* Events seen by the callbacks tdOpen registers. */
typedef struct {
    int ev[64][2];          /* lifecycle event, detail */
    char name[64][64];      /* domain of each lifecycle event */
    int n;
    int reboots;
    int pmsuspend, pmsuspendDisk, pmwakeup;
    int metadata, metadataType;
    char metadataURI[256];
} TdEvents;

static TdEvents tdEv;

static __attribute__((unused)) void
tdQuiet(void *opaque, virErrorPtr err)
{
}

static __attribute__((unused)) int
tdOnLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
              void *opaque)
{
    if (tdEv.n < 64) {
        tdEv.ev[tdEv.n][0] = event;
        tdEv.ev[tdEv.n][1] = detail;
        snprintf(tdEv.name[tdEv.n], sizeof(tdEv.name[0]), "%s",
                 virDomainGetName(dom));
    }
    tdEv.n++;
    return 0;
}

static __attribute__((unused)) void
tdOnReboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    tdEv.reboots++;
}

static __attribute__((unused)) void
tdOnPM(virConnectPtr conn, virDomainPtr dom, int reason, void *opaque)
{
    (*(int *)opaque)++;
}

static __attribute__((unused)) void
tdOnMetadata(virConnectPtr conn, virDomainPtr dom, int type,
             const char *nsuri, void *opaque)
{
    tdEv.metadata++;
    tdEv.metadataType = type;
    snprintf(tdEv.metadataURI, sizeof(tdEv.metadataURI), "%s",
             nsuri ? nsuri : "");
}

/* Once per program: the default event loop and a quiet error handler. */
static __attribute__((unused)) void
tdInit(void)
{
    virEventRegisterDefaultImpl();
    virSetErrorFunc(NULL, tdQuiet);
}

static __attribute__((unused)) void
tdTick(int timer, void *opaque)
{
    virEventRemoveTimeout(timer);
}

/* Let the event loop deliver what was queued. */
static __attribute__((unused)) void
tdDrain(void)
{
    for (int i = 0; i < 4; i++) {
        virEventAddTimeout(2, tdTick, NULL, NULL);
        virEventRunDefaultImpl();
    }
}

static __attribute__((unused)) void
tdReset(void)
{
    tdDrain();
    memset(&tdEv, 0, sizeof(tdEv));
}

/* Open URI with every event callback of interest registered. */
static __attribute__((unused)) virConnectPtr
tdOpenURI(const char *uri)
{
    virConnectPtr conn = virConnectOpen(uri);

    if (!conn)
        return NULL;
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK(tdOnLifecycle), NULL, NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
        VIR_DOMAIN_EVENT_CALLBACK(tdOnReboot), NULL, NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_PMSUSPEND,
        VIR_DOMAIN_EVENT_CALLBACK(tdOnPM), &tdEv.pmsuspend, NULL);
    virConnectDomainEventRegisterAny(conn, NULL,
        VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK,
        VIR_DOMAIN_EVENT_CALLBACK(tdOnPM), &tdEv.pmsuspendDisk, NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_PMWAKEUP,
        VIR_DOMAIN_EVENT_CALLBACK(tdOnPM), &tdEv.pmwakeup, NULL);
    virConnectDomainEventRegisterAny(conn, NULL,
        VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
        VIR_DOMAIN_EVENT_CALLBACK(tdOnMetadata), NULL, NULL);
    tdReset();
    return conn;
}

static __attribute__((unused)) virConnectPtr
tdOpen(void)
{
    return tdOpenURI("test:///default");
}

/* Check that exactly the lifecycle events in WANT (NWANT event/detail
 * pairs) were delivered since the last reset, then reset. */
static __attribute__((unused)) void
tdEventsAre(const char *what, const int (*want)[2], int nwant)
{
    bool same;

    tdDrain();
    same = tdEv.n == nwant;
    for (int i = 0; same && i < nwant; i++)
        same = tdEv.ev[i][0] == want[i][0] && tdEv.ev[i][1] == want[i][1];
    if (!TAP_OK(same, "%s: events", what)) {
        printf("#   got");
        for (int i = 0; i < tdEv.n && i < 64; i++)
            printf(" %d/%d", tdEv.ev[i][0], tdEv.ev[i][1]);
        printf(", want");
        for (int i = 0; i < nwant; i++)
            printf(" %d/%d", want[i][0], want[i][1]);
        printf("\n");
    }
    tdEv.n = 0;
}

#define TD_EVENTS(what, ...) do { \
        static const int tdWant_[][2] = { __VA_ARGS__ }; \
        tdEventsAre(what, tdWant_, \
                    (int)(sizeof(tdWant_) / sizeof(tdWant_[0]))); \
    } while (0)
#define TD_NO_EVENTS(what) tdEventsAre(what, NULL, 0)

/* The last call failed with CODE. */
#define TD_ERR(code, ...) do { \
        if (!TAP_OK(virGetLastErrorCode() == (code), __VA_ARGS__)) \
            printf("#   error %d (%s), want %s\n", virGetLastErrorCode(), \
                   virGetLastErrorMessage(), #code); \
    } while (0)

/* The last error's message contains TEXT. */
#define TD_MSG(text, ...) do { \
        const char *tdM_ = virGetLastErrorMessage(); \
        if (!TAP_OK(tdM_ && strstr(tdM_, (text)), __VA_ARGS__)) \
            printf("#   message '%s' lacks '%s'\n", tdM_ ? tdM_ : "", \
                   (text)); \
    } while (0)

/* DOM's state and reason are STATE/REASON. */
static __attribute__((unused)) void
tdState(virDomainPtr dom, int state, int reason, const char *what)
{
    int s = -1, r = -1;

    virDomainGetState(dom, &s, &r, 0);
    if (!TAP_OK(s == state && r == reason, "%s: state", what))
        printf("#   got %d/%d, want %d/%d\n", s, r, state, reason);
}

/* A small domain definition named NAME with uuid ending in N, and EXTRA
 * inserted before </domain>. Caller frees. */
static __attribute__((unused)) char *
tdXML(const char *name, int n, const char *extra)
{
    char *xml = NULL;

    if (asprintf(&xml,
                 "<domain type='test'>\n"
                 "  <name>%s</name>\n"
                 "  <uuid>a1c0ffee-0000-4000-8000-%012d</uuid>\n"
                 "  <memory unit='KiB'>1048576</memory>\n"
                 "  <currentMemory unit='KiB'>524288</currentMemory>\n"
                 "  <vcpu>2</vcpu>\n"
                 "%s"
                 "%s"
                 "</domain>\n", name, n,
                 extra && strstr(extra, "<os>") ? ""
                     : "  <os><type arch='i686'>hvm</type></os>\n",
                 extra ? extra : "") < 0)
        return NULL;
    return xml;
}

static __attribute__((unused)) virDomainPtr
tdDefine(virConnectPtr conn, const char *name, int n, const char *extra)
{
    char *xml = tdXML(name, n, extra);
    virDomainPtr dom = virDomainDefineXML(conn, xml);

    free(xml);
    return dom;
}

/* True when the XML of DOM (with FLAGS) contains TEXT. */
static __attribute__((unused)) bool
tdXMLHas(virDomainPtr dom, unsigned int flags, const char *text)
{
    char *xml = virDomainGetXMLDesc(dom, flags);
    bool ret = xml && strstr(xml, text);

    free(xml);
    return ret;
}
