/* hotplug-test.h: what the hotplug family's real-guest tests share: device
 * and balloon event recording, asking the guest's shell for a value */
#pragma once

#include "qemu-test.h"


#define HT_BOOT_MS 90000
#define HT_WAIT_MS 60000

/* The alias (or figure) carried by the last event of each kind. */
static char htAlias[VIR_DOMAIN_EVENT_ID_LAST][128];

static inline void
htRecord(int id, virDomainPtr dom, const char *alias, int detail)
{
    pthread_mutex_lock(&qtEvLock);
    snprintf(htAlias[id], sizeof(htAlias[id]), "%s", alias ? alias : "");
    pthread_mutex_unlock(&qtEvLock);
    qtEventAdd(id, dom, detail, 0);
}

static inline void
htOnAdded(virConnectPtr conn, virDomainPtr dom, const char *alias,
          void *opaque)
{
    htRecord(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, dom, alias, 0);
}

static inline void
htOnRemoved(virConnectPtr conn, virDomainPtr dom, const char *alias,
            void *opaque)
{
    htRecord(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, dom, alias, 0);
}

static inline void
htOnTray(virConnectPtr conn, virDomainPtr dom, const char *alias, int reason,
         void *opaque)
{
    htRecord(VIR_DOMAIN_EVENT_ID_TRAY_CHANGE, dom, alias, reason);
}

static inline void
htOnBalloon(virConnectPtr conn, virDomainPtr dom, unsigned long long actual,
            void *opaque)
{
    char kib[32];

    snprintf(kib, sizeof(kib), "%llu", actual);
    htRecord(VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, dom, kib, 0);
}

static inline void
htEventsWatch(virConnectPtr conn)
{
    virConnectDomainEventRegisterAny(conn, NULL,
        VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
        VIR_DOMAIN_EVENT_CALLBACK(htOnAdded), NULL, NULL);
    virConnectDomainEventRegisterAny(conn, NULL,
        VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
        VIR_DOMAIN_EVENT_CALLBACK(htOnRemoved), NULL, NULL);
    virConnectDomainEventRegisterAny(conn, NULL,
        VIR_DOMAIN_EVENT_ID_TRAY_CHANGE,
        VIR_DOMAIN_EVENT_CALLBACK(htOnTray), NULL, NULL);
    virConnectDomainEventRegisterAny(conn, NULL,
        VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE,
        VIR_DOMAIN_EVENT_CALLBACK(htOnBalloon), NULL, NULL);
}

/* Wait for event ID about NAME (DETAIL -1: any) and return its alias (a
 * static copy, "" when it did not come). */
static inline const char *
htEventAlias(const char *name, int id, int detail, int ms)
{
    static char alias[128];

    alias[0] = '\0';
    if (qtEventWait(name, id, detail, -1, ms)) {
        pthread_mutex_lock(&qtEvLock);
        snprintf(alias, sizeof(alias), "%s", htAlias[id]);
        pthread_mutex_unlock(&qtEvLock);
    }
    return alias;
}

/* Ask the guest's shell for the output of CMD (one line wanted; newlines
 * become spaces) until it is WANT or MS pass. The reply is framed so that
 * the echo of the command line itself never matches. */
static inline bool
htGuestSays(QtConsole *con, const char *cmd, const char *want, int ms)
{
    char line[1024], needle[256];
    long long until = qtNowMs() + ms;

    snprintf(needle, sizeof(needle), "V=%s=E", want);
    snprintf(line, sizeof(line), "echo \"$( (%s) 2>&1 | tr '\\n' ' ' | "
             "sed 's/ *$//')\" | sed 's/^/V=/;s/$/=E/'\n", cmd);
    do {
        qtConsoleForget(con);
        if (!qtConsoleSend(con, line))
            return false;
        if (qtConsoleWait(con, needle, 1500))
            return true;
    } while (qtNowMs() < until);
    return false;
}

/* The last reply the guest gave to htGuestSays (for diagnostics). */
static inline const char *
htGuestLast(QtConsole *con)
{
    static char out[256];
    const char *p = strstr(con->buf, "V=");
    const char *v = NULL;

    /* the last V= that is not the echoed command's */
    while (p) {
        if (p[2] != '/' )
            v = p;
        p = strstr(p + 2, "V=");
    }
    snprintf(out, sizeof(out), "%s", v ? v : "(nothing)");
    out[strcspn(out, "\r\n")] = '\0';
    return out;
}

/* Whether DOM's XML (FLAGS) contains NEEDLE. */
static inline bool
htXMLHas(virDomainPtr dom, unsigned int flags, const char *needle)
{
    char *xml = virDomainGetXMLDesc(dom, flags);
    bool has = xml && strstr(xml, needle);

    free(xml);
    return has;
}

/* TAP: the guest answers CMD with WANT within MS (its last answer shown
 * otherwise). */
#define HT_SAYS(con, cmd, want, ms, msg) do { \
        bool says_ = htGuestSays((con), (cmd), (want), (ms)); \
        TAP_OK(says_, msg " (%s)", says_ ? (want) : htGuestLast(con)); \
    } while (0)
