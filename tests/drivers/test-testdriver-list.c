/* test-testdriver-list.c: lookups and ListAllDomains filters */
#include "test-testdriver.h"

/* The sorted, comma-joined names ListAllDomains gives for FLAGS. */
static void
listIs(virConnectPtr conn, unsigned int flags, const char *want)
{
    virDomainPtr *doms = NULL;
    char got[256] = "";
    int n = virConnectListAllDomains(conn, &doms, flags);

    /* names were created in alphabetical order of definition */
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(got, ",");
        strcat(got, virDomainGetName(doms[i]));
        virDomainFree(doms[i]);
    }
    free(doms);
    TAP_STR(got, want, "ListAllDomains(0x%x)", flags);
    TAP_INT(virConnectListAllDomains(conn, NULL, flags), n,
            "count only (0x%x)", flags);
}

static void
filters(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr a, p, s, t;
    char *xml = tdXML("t2-trans", 4, NULL);
    int ids[8];
    char *names[8];

    /* test (running), a1-off (autostart), p1-paused, s1-saved, t2-trans */
    a = tdDefine(conn, "a1-off", 1, NULL);
    virDomainSetAutostart(a, 1);
    p = tdDefine(conn, "p1-paused", 2, NULL);
    virDomainCreateWithFlags(p, VIR_DOMAIN_START_PAUSED);
    s = tdDefine(conn, "s1-saved", 3, NULL);
    virDomainCreate(s);
    virDomainManagedSave(s, 0);
    t = virDomainCreateXML(conn, xml, 0);
    free(xml);

    listIs(conn, 0, "test,a1-off,p1-paused,s1-saved,t2-trans");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, "test,p1-paused,t2-trans");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, "a1-off,s1-saved");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                 VIR_CONNECT_LIST_DOMAINS_INACTIVE,
           "test,a1-off,p1-paused,s1-saved,t2-trans");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
           "test,a1-off,p1-paused,s1-saved");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT, "t2-trans");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_RUNNING, "test,t2-trans");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED, "p1-paused");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_SHUTOFF, "a1-off,s1-saved");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_OTHER, "");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED |
                 VIR_CONNECT_LIST_DOMAINS_SHUTOFF,
           "a1-off,p1-paused,s1-saved");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, "s1-saved");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
           "test,a1-off,p1-paused,t2-trans");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, "a1-off");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
           "test,p1-paused,s1-saved,t2-trans");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, "");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
           "test,a1-off,p1-paused,s1-saved,t2-trans");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, "");
    listIs(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                 VIR_CONNECT_LIST_DOMAINS_PERSISTENT |
                 VIR_CONNECT_LIST_DOMAINS_RUNNING, "test");
    TAP_INT(virConnectListAllDomains(conn, NULL, 1u << 30), -1,
            "unknown flag");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");

    /* the old list calls */
    TAP_INT(virConnectNumOfDomains(conn), 3, "NumOfDomains");
    TAP_INT(virConnectNumOfDefinedDomains(conn), 2, "NumOfDefinedDomains");
    TAP_INT(virConnectListDomains(conn, ids, 8), 3, "ListDomains");
    TAP_OK(ids[0] == 1 && ids[1] == 2 && ids[2] == 4, "ids 1, 2, 4 (%d %d %d)",
           ids[0], ids[1], ids[2]);
    TAP_INT(virConnectListDomains(conn, ids, 1), 1, "ListDomains truncated");
    TAP_INT(virConnectListDefinedDomains(conn, names, 8), 2,
            "ListDefinedDomains");
    TAP_STR(names[0], "a1-off", "first inactive");
    TAP_STR(names[1], "s1-saved", "second inactive");
    free(names[0]);
    free(names[1]);
    virDomainFree(a);
    virDomainFree(p);
    virDomainFree(s);
    virDomainFree(t);
    virConnectClose(conn);
}

static void
lookups(void)
{
    virConnectPtr conn = tdOpen();
    unsigned char uuid[VIR_UUID_BUFLEN];
    virDomainPtr dom, d2;
    char buf[VIR_UUID_STRING_BUFLEN];

    dom = virDomainLookupByID(conn, 1);
    TAP_STR(dom ? virDomainGetName(dom) : NULL, "test", "LookupByID");
    virDomainGetUUID(dom, uuid);
    d2 = virDomainLookupByUUID(conn, uuid);
    TAP_STR(d2 ? virDomainGetName(d2) : NULL, "test", "LookupByUUID");
    virDomainFree(d2);
    d2 = virDomainLookupByUUIDString(conn,
                                     "6695eb01-f6a4-8304-79aa-97f2502e193f");
    TAP_OK(d2 && virDomainGetID(d2) == 1, "LookupByUUIDString");
    virDomainGetUUIDString(d2, buf);
    TAP_STR(buf, "6695eb01-f6a4-8304-79aa-97f2502e193f", "uuid string");
    virDomainFree(d2);
    TAP_OK(virDomainLookupByID(conn, 99) == NULL, "unknown id");
    TD_ERR(VIR_ERR_NO_DOMAIN, "NO_DOMAIN");
    TAP_OK(virDomainLookupByName(conn, "nope") == NULL, "unknown name");
    TD_ERR(VIR_ERR_NO_DOMAIN, "NO_DOMAIN");
    TD_MSG("'nope'", "message names it");
    TAP_OK(virDomainLookupByUUIDString(conn,
               "6695eb01-f6a4-8304-79aa-97f2502e1930") == NULL,
           "unknown uuid");
    TD_ERR(VIR_ERR_NO_DOMAIN, "NO_DOMAIN");
    TAP_OK(virDomainLookupByUUIDString(conn, "not-a-uuid") == NULL,
           "malformed uuid");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    virDomainDestroy(dom);
    TAP_OK(virDomainLookupByID(conn, 1) == NULL, "no id when stopped");
    TD_ERR(VIR_ERR_NO_DOMAIN, "NO_DOMAIN");

    /* many domains: every lookup finds its own */
    for (int i = 0; i < 300; i++) {
        char name[32];

        snprintf(name, sizeof(name), "bulk%d", i);
        virDomainFree(tdDefine(conn, name, 100 + i, NULL));
    }
    {
        int found = 0;

        for (int i = 0; i < 300; i++) {
            char name[32];

            snprintf(name, sizeof(name), "bulk%d", i);
            d2 = virDomainLookupByName(conn, name);
            if (d2 && strcmp(virDomainGetName(d2), name) == 0)
                found++;
            virDomainFree(d2);
        }
        TAP_INT(found, 300, "300 defined domains found by name");
    }
    TAP_INT(virConnectNumOfDefinedDomains(conn), 301, "301 inactive");
    virDomainFree(dom);
    virConnectClose(conn);
}

#define NBULK 300

/* Whether the listing of CONN is exactly "test" then the bulk domains whose
 * ALIVE entry is set, in the order they were defined. */
static bool
listIsAlive(virConnectPtr conn, const bool *alive)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    int k = 1;
    bool same = n > 0 && strcmp(virDomainGetName(doms[0]), "test") == 0;

    for (int i = 0; i < NBULK && same; i++) {
        char name[32];

        if (!alive[i])
            continue;
        snprintf(name, sizeof(name), "bulk%d", i);
        same = k < n && strcmp(virDomainGetName(doms[k++]), name) == 0;
    }
    same = same && k == n;
    for (int i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    return same;
}

/* How many bulk domains the uuid lookup finds as themselves (alive) or
 * reports as NO_DOMAIN (undefined): NBULK when all answer right. */
static int
uuidAnswers(virConnectPtr conn, const bool *alive)
{
    int right = 0;

    for (int i = 0; i < NBULK; i++) {
        char uuid[VIR_UUID_STRING_BUFLEN], name[32];
        virDomainPtr d;

        snprintf(uuid, sizeof(uuid), "a1c0ffee-0000-4000-8000-%012d",
                 200 + i);
        snprintf(name, sizeof(name), "bulk%d", i);
        d = virDomainLookupByUUIDString(conn, uuid);
        if (alive[i] ? d && strcmp(virDomainGetName(d), name) == 0
                     : !d && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
            right++;
        if (d)
            virDomainFree(d);
    }
    return right;
}

/* Undefining domains in a scattered order keeps the others' listing order
 * and lookups right (the table leaves placeholders and compacts). */
static void
removals(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr doms[NBULK], again;
    bool alive[NBULK];
    virDomainInfo info;
    int undefined = 0;

    for (int i = 0; i < NBULK; i++) {
        char name[32];

        snprintf(name, sizeof(name), "bulk%d", i);
        doms[i] = tdDefine(conn, name, 200 + i, NULL);
        alive[i] = doms[i] != NULL;
    }
    TAP_OK(listIsAlive(conn, alive), "%d domains listed in order", NBULK);
    /* every third from the middle on, then every other from the start:
     * enough to compact the table at least once */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = pass ? 0 : NBULK / 2; i < NBULK; i += pass ? 2 : 3) {
            if (!alive[i])
                continue;
            if (virDomainUndefine(doms[i]) == 0)
                undefined++;
            alive[i] = false;
        }
        TAP_OK(listIsAlive(conn, alive), "pass %d: the rest listed in order",
               pass);
        TAP_INT(uuidAnswers(conn, alive), NBULK,
                "pass %d: uuid lookups find the rest, not the undefined",
                pass);
    }
    TAP_INT(undefined, NBULK / 2 + 25, "undefined %d", NBULK / 2 + 25);
    TAP_INT(virConnectNumOfDefinedDomains(conn), NBULK - undefined,
            "the rest still defined");
    TAP_INT(virDomainGetInfo(doms[0], &info), -1,
            "an undefined domain's object answers no more");
    TD_ERR(VIR_ERR_NO_DOMAIN, "NO_DOMAIN");
    TAP_INT(virDomainGetInfo(doms[1], &info), 0, "a kept one does");
    /* a name defined again comes last */
    again = tdDefine(conn, "bulk0", 200, NULL);
    TAP_INT(virDomainGetInfo(doms[0], &info), 0,
            "the old object finds the domain defined again (same uuid)");
    {
        virDomainPtr *list = NULL;
        int n = virConnectListAllDomains(conn, &list, 0);

        TAP_STR(n > 0 ? virDomainGetName(list[n - 1]) : NULL, "bulk0",
                "defined again: listed last");
        for (int i = 0; i < n; i++)
            virDomainFree(list[i]);
        free(list);
    }
    virDomainFree(again);
    for (int i = 0; i < NBULK; i++)
        if (doms[i])
            virDomainFree(doms[i]);
    virConnectClose(conn);
}

int
main(void)
{
    tdInit();
    filters();
    lookups();
    removals();
    return tapDone();
}
