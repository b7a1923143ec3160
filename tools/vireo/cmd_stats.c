/* cmd_stats.c: statistics: domblkstat, domifstat, dommemstat, domstats */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>

/* Block statistics: the API's field, virsh's name, the --human label. */
static const struct {
    const char *field;
    const char *name;
    const char *label;
} blkFields[] = {
    { VIR_DOMAIN_BLOCK_STATS_READ_REQ, "rd_req",
      "number of read operations:" },
    { VIR_DOMAIN_BLOCK_STATS_READ_BYTES, "rd_bytes",
      "number of bytes read:" },
    { VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, "wr_req",
      "number of write operations:" },
    { VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, "wr_bytes",
      "number of bytes written:" },
    { VIR_DOMAIN_BLOCK_STATS_ERRS, "errs", "error count:" },
    { VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ, "flush_operations",
      "number of flush operations:" },
    { VIR_DOMAIN_BLOCK_STATS_READ_TOTAL_TIMES, "rd_total_times",
      "total duration of reads (ns):" },
    { VIR_DOMAIN_BLOCK_STATS_WRITE_TOTAL_TIMES, "wr_total_times",
      "total duration of writes (ns):" },
    { VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES, "flush_total_times",
      "total duration of flushes (ns):" },
};

/* Print (or add to ARRAY) the statistics of disk DEV; -1 after printing
 * the error. */
static int
statsBlockOne(const Ctx *ctx, const char *dev, json_object *array)
{
    virTypedParameterPtr params = NULL;
    json_object *obj = NULL;
    int n = 0;

    if (virDomainBlockStatsFlags(ctx->dom, dev, NULL, &n, 0) < 0)
        goto error;
    if (!(params = calloc((size_t)n + 1, sizeof(*params))))
        abort();
    if (virDomainBlockStatsFlags(ctx->dom, dev, params, &n, 0) < 0)
        goto error;
    if (array) {
        obj = json_object_new_object();
        json_object_object_add(obj, "device", json_object_new_string(dev));
    } else if (cmdtabBool(ctx, "human")) {
        printf("Device: %s\n", dev);
    }
    for (size_t f = 0; f < sizeof(blkFields) / sizeof(*blkFields); f++) {
        for (int i = 0; i < n; i++) {
            char *v;

            if (strcmp(params[i].field, blkFields[f].field) != 0)
                continue;
            if (obj) {
                json_object_object_add(obj, blkFields[f].name,
                                       paramsValueJSON(&params[i]));
                continue;
            }
            v = paramsValue(&params[i]);
            if (cmdtabBool(ctx, "human"))
                printf(" %-31s %s\n", blkFields[f].label, v);
            else
                printf("%s %s %s\n", dev, blkFields[f].name, v);
            free(v);
        }
    }
    if (obj)
        json_object_array_add(array, obj);
    virTypedParamsFree(params, n);
    return 0;

 error:
    errorsReport();
    virTypedParamsFree(params, n);
    return -1;
}

static int
statsBlock(Ctx *ctx)
{
    const char *dev = cmdtabString(ctx, "device");
    json_object *array = ctx->json ? json_object_new_array() : NULL;
    char **disks = NULL;
    int n = 1, ret = EXIT_FAIL;

    if (!dev &&
        (n = domxmlList(ctx->dom, 0, "disk", "target", "dev", &disks)) < 0)
        goto cleanup;
    for (int i = 0; i < n; i++) {
        if (i > 0 && !array && cmdtabBool(ctx, "human"))
            putchar('\n');
        if (statsBlockOne(ctx, dev ? dev : disks[i], array) < 0)
            goto cleanup;
    }
    if (array) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "devices", array);
        array = NULL;
        outputJSON(obj);
    }
    ret = EXIT_OK;

 cleanup:
    json_object_put(array);
    domxmlFree(disks);
    return ret;
}

static int
statsIfOne(const Ctx *ctx, const char *dev, json_object *array)
{
    virDomainInterfaceStatsStruct st;
    const char *const names[] = {
        "rx_bytes", "rx_packets", "rx_errs", "rx_drop",
        "tx_bytes", "tx_packets", "tx_errs", "tx_drop",
    };
    long long v[8];
    json_object *obj = NULL;

    if (virDomainInterfaceStats(ctx->dom, dev, &st, sizeof(st)) < 0) {
        errorsReport();
        return -1;
    }
    v[0] = st.rx_bytes; v[1] = st.rx_packets; v[2] = st.rx_errs;
    v[3] = st.rx_drop; v[4] = st.tx_bytes; v[5] = st.tx_packets;
    v[6] = st.tx_errs; v[7] = st.tx_drop;
    if (array) {
        obj = json_object_new_object();
        json_object_object_add(obj, "interface", json_object_new_string(dev));
    }
    for (int i = 0; i < 8; i++) {
        /* -1: the driver does not count it */
        if (obj)
            json_object_object_add(obj, names[i], v[i] < 0 ? NULL :
                                   json_object_new_int64(v[i]));
        else if (v[i] >= 0)
            printf("%s %s %lld\n", dev, names[i], v[i]);
    }
    if (obj)
        json_object_array_add(array, obj);
    return 0;
}

static int
statsIf(Ctx *ctx)
{
    const char *dev = cmdtabString(ctx, "interface");
    json_object *array = ctx->json ? json_object_new_array() : NULL;
    char **ifs = NULL;
    int n = 1, ret = EXIT_FAIL;

    /* without a name, every interface by MAC address: every one has one */
    if (!dev &&
        (n = domxmlList(ctx->dom, 0, "interface", "mac", "address",
                        &ifs)) < 0)
        goto cleanup;
    for (int i = 0; i < n; i++) {
        if (statsIfOne(ctx, dev ? dev : ifs[i], array) < 0)
            goto cleanup;
    }
    if (array) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "interfaces", array);
        array = NULL;
        outputJSON(obj);
    }
    ret = EXIT_OK;

 cleanup:
    json_object_put(array);
    domxmlFree(ifs);
    return ret;
}

static const char *const memStatNames[] = {
    [VIR_DOMAIN_MEMORY_STAT_SWAP_IN] = "swap_in",
    [VIR_DOMAIN_MEMORY_STAT_SWAP_OUT] = "swap_out",
    [VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT] = "major_fault",
    [VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT] = "minor_fault",
    [VIR_DOMAIN_MEMORY_STAT_UNUSED] = "unused",
    [VIR_DOMAIN_MEMORY_STAT_AVAILABLE] = "available",
    [VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON] = "actual",
    [VIR_DOMAIN_MEMORY_STAT_RSS] = "rss",
    [VIR_DOMAIN_MEMORY_STAT_USABLE] = "usable",
    [VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE] = "last_update",
    [VIR_DOMAIN_MEMORY_STAT_DISK_CACHES] = "disk_caches",
    [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC] = "hugetlb_pgalloc",
    [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL] = "hugetlb_pgfail",
};

static int
statsMem(Ctx *ctx)
{
    virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
    json_object *obj;
    unsigned int flags;
    int period, n;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (cmdtabInt(ctx, "period", &period)) {
        if (virDomainSetMemoryStatsPeriod(ctx->dom, period, flags) < 0)
            return argsFail();
        outputDone(ctx, "Memory statistics period of domain '%s' set to "
                   "%d s", virDomainGetName(ctx->dom), period);
        return EXIT_OK;
    }
    if (flags != VIR_DOMAIN_AFFECT_CURRENT) {
        errorsUsage(ctx->cmd, "--config and --live go with --period");
        return EXIT_USAGE;
    }
    if ((n = virDomainMemoryStats(ctx->dom, st, VIR_DOMAIN_MEMORY_STAT_NR,
                                  0)) < 0)
        return argsFail();
    obj = json_object_new_object();
    for (int i = 0; i < n; i++) {
        const char *name = st[i].tag < VIR_DOMAIN_MEMORY_STAT_NR ?
                           memStatNames[st[i].tag] : NULL;

        if (!name)
            continue;
        if (ctx->json)
            json_object_object_add(obj, name,
                                   json_object_new_uint64(st[i].val));
        else
            printf("%s %llu\n", name, st[i].val);
    }
    if (ctx->json)
        return outputJSON(obj);
    json_object_put(obj);
    return EXIT_OK;
}

static const OptFlag domstatsGroups[] = {
    { "state", VIR_DOMAIN_STATS_STATE },
    { "cpu-total", VIR_DOMAIN_STATS_CPU_TOTAL },
    { "balloon", VIR_DOMAIN_STATS_BALLOON },
    { "vcpu", VIR_DOMAIN_STATS_VCPU },
    { "interface", VIR_DOMAIN_STATS_INTERFACE },
    { "block", VIR_DOMAIN_STATS_BLOCK },
    { "perf", VIR_DOMAIN_STATS_PERF },
    { "iothread", VIR_DOMAIN_STATS_IOTHREAD },
    { "memory", VIR_DOMAIN_STATS_MEMORY },
    { "dirtyrate", VIR_DOMAIN_STATS_DIRTYRATE },
    { "vm", VIR_DOMAIN_STATS_VM },
};

static const OptFlag domstatsFlags[] = {
    { "list-active", VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE },
    { "list-inactive", VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE },
    { "list-persistent", VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT },
    { "list-transient", VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT },
    { "list-running", VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING },
    { "list-paused", VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED },
    { "list-shutoff", VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF },
    { "list-other", VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER },
    { "backing", VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING },
    { "enforce", VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS },
    { "nowait", VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT },
};

static void
statsDomstatsPrint(const Ctx *ctx, virDomainStatsRecordPtr *records, int n)
{
    json_object *array = NULL;

    if (ctx->json)
        array = json_object_new_array();
    for (int r = 0; r < n; r++) {
        virDomainStatsRecordPtr rec = records[r];

        if (array) {
            json_object *obj = json_object_new_object();

            json_object_object_add(obj, "name", json_object_new_string(
                virDomainGetName(rec->dom)));
            json_object_object_add(obj, "stats",
                                   paramsJSON(rec->params, rec->nparams));
            json_object_array_add(array, obj);
            continue;
        }
        printf("Domain: '%s'\n", virDomainGetName(rec->dom));
        for (int i = 0; i < rec->nparams; i++) {
            char *v = paramsValue(&rec->params[i]);

            printf("  %s=%s\n", rec->params[i].field, v);
            free(v);
        }
        putchar('\n');
    }
    if (array) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "domains", array);
        outputJSON(obj);
    }
}

static int
statsDomstats(Ctx *ctx)
{
    const char *name = cmdtabString(ctx, "domain");
    unsigned int groups = ARGS_FLAGS(ctx, domstatsGroups);
    unsigned int flags = ARGS_FLAGS(ctx, domstatsFlags);
    virDomainStatsRecordPtr *records = NULL;
    virDomainPtr doms[2] = { NULL, NULL };
    int n;

    if (name) {
        if (flags & ~(VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
                      VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS |
                      VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT)) {
            errorsUsage(ctx->cmd, "the --list-* filters cannot go with "
                        "DOMAIN");
            return EXIT_USAGE;
        }
        if (!(doms[0] = lookupDomain(ctx->conn, name)))
            return EXIT_FAIL;
        n = virDomainListGetStats(doms, groups, &records, flags);
        if (n < 0)
            errorsReport();
        /* after the report: freeing resets the error */
        virDomainFree(doms[0]);
        if (n < 0)
            return EXIT_FAIL;
    } else if ((n = virConnectGetAllDomainStats(ctx->conn, groups, &records,
                                                flags)) < 0) {
        return argsFail();
    }
    statsDomstatsPrint(ctx, records, n);
    virDomainStatsRecordListFree(records);
    return EXIT_OK;
}

static const CmdOpt optsDomblkstat[] = {
    { "device", OPT_STRING, OPT_POSITIONAL, "DEVICE",
      "the disk, by target (vda) or source path (default: every disk)" },
    { "human", OPT_BOOL, 0, NULL, "described fields, one a line" },
    { NULL },
};

static const CmdOpt optsDomifstat[] = {
    { "interface", OPT_STRING, OPT_POSITIONAL, "INTERFACE",
      "the interface, by target device or MAC address (default: every "
      "interface, by MAC address)" },
    { NULL },
};

static const CmdOpt optsDommemstat[] = {
    { "period", OPT_INT, 0, "SECONDS",
      "set how often the balloon driver updates the statistics (0: never)" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsDomstats[] = {
    { "domain", OPT_STRING, OPT_POSITIONAL, "DOMAIN",
      "only this domain (default: all, as the --list filters say)" },
    { "state", OPT_BOOL, 0, NULL, "the state group" },
    { "cpu-total", OPT_BOOL, 0, NULL, "the cpu group: CPU time" },
    { "balloon", OPT_BOOL, 0, NULL, "the balloon group: memory" },
    { "vcpu", OPT_BOOL, 0, NULL, "the vcpu group" },
    { "interface", OPT_BOOL, 0, NULL, "the net group" },
    { "block", OPT_BOOL, 0, NULL, "the block group" },
    { "perf", OPT_BOOL, 0, NULL, "the perf group" },
    { "iothread", OPT_BOOL, 0, NULL, "the iothread group" },
    { "memory", OPT_BOOL, 0, NULL, "the memory bandwidth group" },
    { "dirtyrate", OPT_BOOL, 0, NULL, "the dirtyrate group" },
    { "vm", OPT_BOOL, 0, NULL, "the hypervisor's own statistics" },
    { "list-active", OPT_BOOL, 0, NULL, "only active domains" },
    { "list-inactive", OPT_BOOL, 0, NULL, "only inactive domains" },
    { "list-persistent", OPT_BOOL, 0, NULL, "only persistent domains" },
    { "list-transient", OPT_BOOL, 0, NULL, "only transient domains" },
    { "list-running", OPT_BOOL, 0, NULL, "only running domains" },
    { "list-paused", OPT_BOOL, 0, NULL, "only paused domains" },
    { "list-shutoff", OPT_BOOL, 0, NULL, "only shut off domains" },
    { "list-other", OPT_BOOL, 0, NULL, "only domains in other states" },
    { "backing", OPT_BOOL, 0, NULL, "include the disks' backing chains" },
    { "enforce", OPT_BOOL, 0, NULL,
      "fail if a requested group is not supported" },
    { "nowait", OPT_BOOL, 0, NULL,
      "skip what would wait for a busy domain" },
    { NULL },
};

const Cmd statsCommands[] = {
    { "domblkstat", G_STATS, statsBlock, optsDomblkstat,
      CMD_DOMAIN | CMD_QUERY,
      "show a domain's disk I/O statistics",
      "Print the I/O counters of a disk, or of every disk, as 'DEVICE "
      "FIELD VALUE' lines (rd_req, rd_bytes, wr_req, wr_bytes, errs, "
      "flush_operations, rd_total_times, wr_total_times, "
      "flush_total_times)." },
    { "domifstat", G_STATS, statsIf, optsDomifstat, CMD_DOMAIN | CMD_QUERY,
      "show a domain's network statistics",
      "Print the traffic counters of an interface, or of every interface, "
      "as 'INTERFACE FIELD VALUE' lines." },
    { "dommemstat", G_STATS, statsMem, optsDommemstat,
      CMD_DOMAIN | CMD_QUERY,
      "show a domain's memory statistics",
      "Print the balloon driver's memory statistics as 'NAME VALUE' lines "
      "(sizes in KiB), or with --period set how often they are "
      "refreshed." },
    { "domstats", G_STATS, statsDomstats, optsDomstats, CMD_QUERY,
      "show statistics of domains",
      "Print the statistics of one or all domains as 'key=value' lines "
      "under a \"Domain: 'NAME'\" line each. Without group options every "
      "group the driver supports is shown." },
    { NULL },
};
