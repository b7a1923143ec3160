/* query.c: commands that read domains: list, dominfo, domstate, domid,
 * domname, domuuid, dumpxml */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>

/* list's filter options and the flags they stand for. */
static const struct {
    const char *opt;
    unsigned int flag;
} listFilters[] = {
    { "persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT },
    { "transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT },
    { "state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING },
    { "state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED },
    { "state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF },
    { "state-other", VIR_CONNECT_LIST_DOMAINS_OTHER },
    { "autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART },
    { "no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART },
    { "with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE },
    { "without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE },
    { "with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT },
    { "without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT },
};

#define LIST_STATES (VIR_CONNECT_LIST_DOMAINS_RUNNING | \
                     VIR_CONNECT_LIST_DOMAINS_PAUSED | \
                     VIR_CONNECT_LIST_DOMAINS_SHUTOFF | \
                     VIR_CONNECT_LIST_DOMAINS_OTHER)

static unsigned int
queryListFlags(const Ctx *ctx)
{
    unsigned int flags = 0;

    for (size_t i = 0; i < sizeof(listFilters) / sizeof(listFilters[0]); i++) {
        if (cmdtabBool(ctx, listFilters[i].opt))
            flags |= listFilters[i].flag;
    }
    if (cmdtabBool(ctx, "all"))
        flags |= VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                 VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    else if (cmdtabBool(ctx, "inactive"))
        flags |= VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    else if (!(flags & LIST_STATES))
        /* like virsh: only running ones unless asked otherwise; a state
         * filter speaks for itself (shut off implies inactive) */
        flags |= VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    return flags;
}

/* Active domains by id, then inactive ones by name. */
static int
queryListCompare(const void *a, const void *b)
{
    virDomainPtr da = *(virDomainPtr const *)a;
    virDomainPtr db = *(virDomainPtr const *)b;
    unsigned int ia = virDomainGetID(da);
    unsigned int ib = virDomainGetID(db);

    if (ia != ib)
        return ia < ib ? -1 : 1;    /* (unsigned)-1 sorts inactive last */
    return strcmp(virDomainGetName(da), virDomainGetName(db));
}

/* Add "autostart" (a boolean, or null when the driver cannot tell). */
static void
queryAddAutostart(json_object *obj, virDomainPtr dom)
{
    int autostart;

    if (virDomainGetAutostart(dom, &autostart) == 0)
        json_object_object_add(obj, "autostart",
                               json_object_new_boolean(autostart));
    else
        json_object_object_add(obj, "autostart", NULL);
}

static json_object *
queryIDJSON(virDomainPtr dom)
{
    unsigned int id = virDomainGetID(dom);

    return id == (unsigned int)-1 ? NULL : json_object_new_int64(id);
}

static json_object *
queryBoolJSON(int value)
{
    return value < 0 ? NULL : json_object_new_boolean(value);
}

static json_object *
queryListEntry(virDomainPtr dom, int state, int reason)
{
    json_object *obj = json_object_new_object();
    char uuid[VIR_UUID_STRING_BUFLEN] = "";

    virDomainGetUUIDString(dom, uuid);
    json_object_object_add(obj, "id", queryIDJSON(dom));
    json_object_object_add(obj, "name",
                           json_object_new_string(virDomainGetName(dom)));
    json_object_object_add(obj, "uuid", json_object_new_string(uuid));
    json_object_object_add(obj, "state",
                           json_object_new_string(stateJSONName(state)));
    json_object_object_add(obj, "reason",
                           json_object_new_string(stateReasonJSONName(state,
                                                                      reason)));
    json_object_object_add(obj, "persistent",
                           queryBoolJSON(virDomainIsPersistent(dom)));
    queryAddAutostart(obj, dom);
    return obj;
}

/* --id, --name, --uuid: one domain a line; with several, the fields in
 * that order separated by a space. */
static void
queryListBrief(const Ctx *ctx, virDomainPtr dom)
{
    bool id = cmdtabBool(ctx, "id");
    bool uuid = cmdtabBool(ctx, "uuid");
    bool name = cmdtabBool(ctx, "name");
    char uuidstr[VIR_UUID_STRING_BUFLEN] = "";
    const char *sep = "";

    if (id) {
        if (virDomainGetID(dom) == (unsigned int)-1)
            return;     /* inactive domains have no id to print */
        printf("%u", virDomainGetID(dom));
        sep = " ";
    }
    if (uuid) {
        virDomainGetUUIDString(dom, uuidstr);
        printf("%s%s", sep, uuidstr);
        sep = " ";
    }
    if (name)
        printf("%s%s", sep, virDomainGetName(dom));
    putchar('\n');
}

static void
queryListRow(OutputTable *table, virDomainPtr dom, int state)
{
    char id[16] = "-";
    const char *row[3];

    if (virDomainGetID(dom) != (unsigned int)-1)
        snprintf(id, sizeof(id), "%u", virDomainGetID(dom));
    row[0] = id;
    row[1] = virDomainGetName(dom);
    row[2] = stateName(state);
    outputTableAdd(table, row);
}

int
queryList(Ctx *ctx)
{
    static const char *const headers[] = { "Id", "Name", "State" };
    virDomainPtr *doms = NULL;
    OutputTable *table = NULL;
    json_object *array = NULL;
    bool brief = cmdtabBool(ctx, "id") || cmdtabBool(ctx, "uuid") ||
                 cmdtabBool(ctx, "name");
    int ret = EXIT_FAIL;
    int n;

    if (brief && cmdtabBool(ctx, "table")) {
        errorsUsage(ctx->cmd, "--table cannot go with --id, --name, --uuid");
        return EXIT_USAGE;
    }
    if ((n = virConnectListAllDomains(ctx->conn, &doms,
                                      queryListFlags(ctx))) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    qsort(doms, (size_t)n, sizeof(*doms), queryListCompare);

    if (ctx->json)
        array = json_object_new_array();
    else if (!brief)
        table = outputTableNew(3, headers);

    for (int i = 0; i < n; i++) {
        int state, reason;

        if (virDomainGetState(doms[i], &state, &reason, 0) < 0) {
            /* it may have gone since the list was taken */
            if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
                continue;
            errorsReport();
            goto cleanup;
        }
        if (array)
            json_object_array_add(array,
                                  queryListEntry(doms[i], state, reason));
        else if (brief)
            queryListBrief(ctx, doms[i]);
        else
            queryListRow(table, doms[i], state);
    }

    if (array) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "domains", array);
        array = NULL;
        outputJSON(obj);
    } else if (table) {
        outputTablePrint(table);
    }
    ret = EXIT_OK;

 cleanup:
    json_object_put(array);
    outputTableFree(table);
    for (int i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    return ret;
}

/* What dominfo shows beyond virDomainGetInfo; -1 fields were unavailable. */
typedef struct {
    char *osType;
    int persistent;
    int autostart;
    int managedSave;
    virSecurityModel secModel;
    bool haveSecModel;
} DomExtra;

/* Fetch the optional parts of dominfo. A driver without one of them is no
 * failure, any other error is. Returns 0 or -1 after printing the error. */
static int
queryDomExtra(Ctx *ctx, DomExtra *x)
{
    memset(x, 0, sizeof(*x));
    x->autostart = -1;
    x->managedSave = -1;

    if (!(x->osType = virDomainGetOSType(ctx->dom)) &&
        virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
        goto error;
    if ((x->persistent = virDomainIsPersistent(ctx->dom)) < 0 &&
        virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
        goto error;
    if (virDomainGetAutostart(ctx->dom, &x->autostart) < 0) {
        if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
            goto error;
        x->autostart = -1;
    }
    if ((x->managedSave = virDomainHasManagedSaveImage(ctx->dom, 0)) < 0 &&
        virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
        goto error;
    if (virNodeGetSecurityModel(ctx->conn, &x->secModel) == 0)
        x->haveSecModel = true;
    else if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
        goto error;
    return 0;

 error:
    errorsReport();
    free(x->osType);
    x->osType = NULL;
    return -1;
}

static const char *
queryYesNo(int value, const char *yes, const char *no)
{
    return value < 0 ? "unknown" : value ? yes : no;
}

static void
queryDominfoHuman(Ctx *ctx, const virDomainInfo *info, const DomExtra *x)
{
    unsigned int id = virDomainGetID(ctx->dom);
    char uuid[VIR_UUID_STRING_BUFLEN] = "";

    virDomainGetUUIDString(ctx->dom, uuid);
    if (id == (unsigned int)-1)
        outputField(15, "Id:", "-");
    else
        outputField(15, "Id:", "%u", id);
    outputField(15, "Name:", "%s", virDomainGetName(ctx->dom));
    outputField(15, "UUID:", "%s", uuid);
    if (x->osType)
        outputField(15, "OS Type:", "%s", x->osType);
    outputField(15, "State:", "%s", stateName(info->state));
    outputField(15, "CPU(s):", "%u", info->nrVirtCpu);
    if (id != (unsigned int)-1)
        outputField(15, "CPU time:", "%.1fs", info->cpuTime / 1e9);
    if (info->maxMem == (unsigned long)-1)
        outputField(15, "Max memory:", "no limit");
    else
        outputField(15, "Max memory:", "%lu KiB", info->maxMem);
    outputField(15, "Used memory:", "%lu KiB", info->memory);
    if (x->persistent >= 0)
        outputField(15, "Persistent:", "%s",
                    queryYesNo(x->persistent, "yes", "no"));
    if (x->autostart >= 0)
        outputField(15, "Autostart:", "%s",
                    queryYesNo(x->autostart, "enable", "disable"));
    if (x->managedSave >= 0)
        outputField(15, "Managed save:", "%s",
                    queryYesNo(x->managedSave, "yes", "no"));
    if (x->haveSecModel) {
        outputField(15, "Security model:", "%s",
                    x->secModel.model[0] ? x->secModel.model : "none");
        outputField(15, "Security DOI:", "%s", x->secModel.doi);
    }
}

static json_object *
queryStringJSON(const char *s)
{
    return s && *s ? json_object_new_string(s) : NULL;
}

static void
queryDominfoJSON(Ctx *ctx, const virDomainInfo *info, int reason,
                 const DomExtra *x)
{
    json_object *obj = json_object_new_object();
    char uuid[VIR_UUID_STRING_BUFLEN] = "";
    bool active = virDomainGetID(ctx->dom) != (unsigned int)-1;

    virDomainGetUUIDString(ctx->dom, uuid);
    json_object_object_add(obj, "id", queryIDJSON(ctx->dom));
    json_object_object_add(obj, "name",
                           json_object_new_string(virDomainGetName(ctx->dom)));
    json_object_object_add(obj, "uuid", json_object_new_string(uuid));
    json_object_object_add(obj, "os_type", queryStringJSON(x->osType));
    json_object_object_add(obj, "state",
                           json_object_new_string(stateJSONName(info->state)));
    json_object_object_add(obj, "reason",
        reason < 0 ? NULL
                   : json_object_new_string(stateReasonJSONName(info->state,
                                                                reason)));
    json_object_object_add(obj, "vcpus",
                           json_object_new_int64(info->nrVirtCpu));
    json_object_object_add(obj, "cpu_time_ns",
                           active ? json_object_new_uint64(info->cpuTime)
                                  : NULL);
    json_object_object_add(obj, "max_memory_kib",
        info->maxMem == (unsigned long)-1 ? NULL
                                          : json_object_new_uint64(
                                                info->maxMem));
    json_object_object_add(obj, "used_memory_kib",
                           json_object_new_uint64(info->memory));
    json_object_object_add(obj, "persistent", queryBoolJSON(x->persistent));
    json_object_object_add(obj, "autostart", queryBoolJSON(x->autostart));
    json_object_object_add(obj, "managed_save",
                           queryBoolJSON(x->managedSave));
    json_object_object_add(obj, "security_model",
        x->haveSecModel ? queryStringJSON(x->secModel.model) : NULL);
    json_object_object_add(obj, "security_doi",
        x->haveSecModel ? queryStringJSON(x->secModel.doi) : NULL);
    outputJSON(obj);
}

int
queryDominfo(Ctx *ctx)
{
    virDomainInfo info;
    DomExtra x;
    int state, reason = -1;

    if (virDomainGetInfo(ctx->dom, &info) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    if (virDomainGetState(ctx->dom, &state, &reason, 0) < 0)
        reason = -1;
    else
        info.state = (unsigned char)state;
    if (queryDomExtra(ctx, &x) < 0)
        return EXIT_FAIL;
    if (ctx->json)
        queryDominfoJSON(ctx, &info, reason, &x);
    else
        queryDominfoHuman(ctx, &info, &x);
    free(x.osType);
    return EXIT_OK;
}

int
queryDomstate(Ctx *ctx)
{
    int state, reason;
    json_object *obj;

    if (virDomainGetState(ctx->dom, &state, &reason, 0) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    if (!ctx->json) {
        if (cmdtabBool(ctx, "reason"))
            printf("%s (%s)\n", stateName(state),
                   stateReasonName(state, reason));
        else
            printf("%s\n", stateName(state));
        return EXIT_OK;
    }
    obj = json_object_new_object();
    json_object_object_add(obj, "name",
                           json_object_new_string(virDomainGetName(ctx->dom)));
    json_object_object_add(obj, "state",
                           json_object_new_string(stateJSONName(state)));
    json_object_object_add(obj, "reason",
                           json_object_new_string(stateReasonJSONName(state,
                                                                      reason)));
    return outputJSON(obj);
}

int
queryDomid(Ctx *ctx)
{
    unsigned int id = virDomainGetID(ctx->dom);
    json_object *obj;

    if (!ctx->json) {
        if (id == (unsigned int)-1)
            printf("-\n");
        else
            printf("%u\n", id);
        return EXIT_OK;
    }
    obj = json_object_new_object();
    json_object_object_add(obj, "id", queryIDJSON(ctx->dom));
    return outputJSON(obj);
}

int
queryDomname(Ctx *ctx)
{
    json_object *obj;

    if (!ctx->json) {
        printf("%s\n", virDomainGetName(ctx->dom));
        return EXIT_OK;
    }
    obj = json_object_new_object();
    json_object_object_add(obj, "name",
                           json_object_new_string(virDomainGetName(ctx->dom)));
    return outputJSON(obj);
}

int
queryDomuuid(Ctx *ctx)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    json_object *obj;

    if (virDomainGetUUIDString(ctx->dom, uuid) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    if (!ctx->json) {
        printf("%s\n", uuid);
        return EXIT_OK;
    }
    obj = json_object_new_object();
    json_object_object_add(obj, "uuid", json_object_new_string(uuid));
    return outputJSON(obj);
}

int
queryDumpxml(Ctx *ctx)
{
    unsigned int flags = 0;
    json_object *obj;
    char *xml;
    size_t len;

    if (cmdtabBool(ctx, "inactive"))
        flags |= VIR_DOMAIN_XML_INACTIVE;
    if (cmdtabBool(ctx, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (cmdtabBool(ctx, "update-cpu"))
        flags |= VIR_DOMAIN_XML_UPDATE_CPU;
    if (cmdtabBool(ctx, "migratable"))
        flags |= VIR_DOMAIN_XML_MIGRATABLE;

    if (!(xml = virDomainGetXMLDesc(ctx->dom, flags))) {
        errorsReport();
        return EXIT_FAIL;
    }
    if (ctx->json) {
        obj = json_object_new_object();
        json_object_object_add(obj, "name",
            json_object_new_string(virDomainGetName(ctx->dom)));
        json_object_object_add(obj, "xml", json_object_new_string(xml));
        outputJSON(obj);
    } else {
        len = strlen(xml);
        fputs(xml, stdout);
        if (len == 0 || xml[len - 1] != '\n')
            putchar('\n');
    }
    free(xml);
    return EXIT_OK;
}
