/* cmd_tune.c: resource tuning through typed parameters (schedinfo,
 * memtune, blkiotune, numatune, blkdeviotune, domiftune) and the memory
 * size (setmem, setmaxmem) */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>

/* How one tuning command reads and writes its parameters. DEV is the
 * disk or interface of the per-device ones, NULL otherwise. */
typedef struct {
    int (*get)(virDomainPtr dom, const char *dev, virTypedParameterPtr p,
               int *n, unsigned int flags);
    int (*set)(virDomainPtr dom, const char *dev, virTypedParameterPtr p,
               int n, unsigned int flags);
    /* the value as shown, or NULL for the plain one (caller frees) */
    char *(*show)(const virTypedParameter *p);
    /* the value in JSON, or NULL for the plain one */
    json_object *(*json)(const virTypedParameter *p, bool *handled);
    int width;                  /* of the name column */
} TuneOps;

/* One parameter to set: its field and its value as text. */
typedef struct {
    const char *field;
    char *value;
} TuneSet;

#define TUNE_MAX_SET 32

/* Fetch the parameters (the two-call dance); -1 after printing the
 * error. */
static int
tuneGet(const Ctx *ctx, const TuneOps *ops, const char *dev,
        unsigned int flags, virTypedParameterPtr *params, int *n)
{
    *n = 0;
    *params = NULL;
    if (ops->get(ctx->dom, dev, NULL, n, flags) < 0)
        goto error;
    if (!(*params = calloc((size_t)*n + 1, sizeof(**params))))
        abort();
    if (*n > 0 && ops->get(ctx->dom, dev, *params, n, flags) < 0)
        goto error;
    return 0;

 error:
    errorsReport();
    free(*params);
    *params = NULL;
    return -1;
}

static void
tunePrint(const Ctx *ctx, const TuneOps *ops, virTypedParameterPtr params,
          int n, const char *header, json_object *extra)
{
    json_object *obj = extra;

    if (!ctx->json) {
        if (header)
            printf("%s", header);
        for (int i = 0; i < n; i++) {
            char *v = ops->show ? ops->show(&params[i]) : NULL;

            if (!v)
                v = paramsValue(&params[i]);
            printf("%-*s: %s\n", ops->width, params[i].field, v);
            free(v);
        }
        return;
    }
    if (!obj)
        obj = json_object_new_object();
    for (int i = 0; i < n; i++) {
        bool handled = false;
        json_object *v = ops->json ? ops->json(&params[i], &handled) : NULL;
        char *key = paramsJSONKey(params[i].field);

        json_object_object_add(obj, key,
                               handled ? v : paramsValueJSON(&params[i]));
        free(key);
    }
    outputJSON(obj);
}

/* Set the NSET parameters SET (typed like the current ones), then show
 * the parameters, after HEADER in text or with the members of EXTRA
 * (which we take) in JSON. Without any to set, just show them. */
static int
tuneRun(Ctx *ctx, const TuneOps *ops, const char *dev, TuneSet *set,
        size_t nset, unsigned int flags, const char *header,
        json_object *extra)
{
    virTypedParameterPtr cur = NULL, params = NULL;
    int ncur = 0, n = 0, max = 0, ret = EXIT_FAIL;

    if (tuneGet(ctx, ops, dev, flags, &cur, &ncur) < 0)
        goto cleanup;
    for (size_t s = 0; s < nset; s++) {
        int i;

        for (i = 0; i < ncur; i++) {
            if (strcmp(cur[i].field, set[s].field) == 0)
                break;
        }
        if (i == ncur) {
            errorsPrintf("domain '%s' has no parameter '%s'",
                         virDomainGetName(ctx->dom), set[s].field);
            goto cleanup;
        }
        if (paramsAddString(ctx, &params, &n, &max, set[s].field,
                            cur[i].type, set[s].value) < 0) {
            ret = EXIT_USAGE;
            goto cleanup;
        }
    }
    if (nset > 0) {
        if (ops->set(ctx->dom, dev, params, n, flags) < 0) {
            errorsReport();
            goto cleanup;
        }
        virTypedParamsFree(cur, ncur);
        if (tuneGet(ctx, ops, dev, flags, &cur, &ncur) < 0) {
            cur = NULL;
            goto cleanup;
        }
    }
    tunePrint(ctx, ops, cur, ncur, header, extra);
    extra = NULL;
    ret = EXIT_OK;

 cleanup:
    json_object_put(extra);
    virTypedParamsFree(cur, ncur);
    virTypedParamsFree(params, n);
    for (size_t s = 0; s < nset; s++)
        free(set[s].value);
    return ret;
}

static char *
tuneStrdup(const char *s)
{
    char *copy = strdup(s);

    if (!copy)
        abort();
    return copy;
}

/* Queue option OPT's value, if given, as FIELD. */
static void
tuneAddOpt(const Ctx *ctx, TuneSet *set, size_t *nset, const char *opt,
           const char *field)
{
    const char *v = cmdtabString(ctx, opt);

    if (v && *nset < TUNE_MAX_SET) {
        set[*nset].field = field;
        set[*nset].value = tuneStrdup(v);
        (*nset)++;
    }
}

/* Queue option OPT, a scaled size in units of UNIT bytes, as FIELD;
 * UNLIMITED allows -1 and 'unlimited'. -1 after a usage error. */
static int
tuneAddScaled(const Ctx *ctx, TuneSet *set, size_t *nset, const char *opt,
              const char *field, unsigned long long unit, bool unlimited)
{
    const char *v = cmdtabString(ctx, opt);
    unsigned long long value;
    char buf[32];

    if (!v)
        return 0;
    if (unlimited && (strcmp(v, "-1") == 0 || strcmp(v, "unlimited") == 0))
        value = VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
    else if (argsScaled(ctx, opt, unit, &value) < 0)
        return -1;
    snprintf(buf, sizeof(buf), "%llu", value);
    set[*nset].field = field;
    set[*nset].value = tuneStrdup(buf);
    (*nset)++;
    return 0;
}

static void
tuneFreeSet(TuneSet *set, size_t nset)
{
    for (size_t s = 0; s < nset; s++)
        free(set[s].value);
}

/* ---- schedinfo ---- */

static int
tuneSchedGet(virDomainPtr dom, const char *dev, virTypedParameterPtr p,
             int *n, unsigned int flags)
{
    (void)dev;
    if (!p) {
        char *type = virDomainGetSchedulerType(dom, n);

        free(type);
        return type ? 0 : -1;
    }
    return virDomainGetSchedulerParametersFlags(dom, p, n, flags);
}

static int
tuneSchedSet(virDomainPtr dom, const char *dev, virTypedParameterPtr p,
             int n, unsigned int flags)
{
    (void)dev;
    return virDomainSetSchedulerParametersFlags(dom, p, n, flags);
}

static const TuneOps schedOps = {
    tuneSchedGet, tuneSchedSet, NULL, NULL, 15,
};

/* Split "a=1,b=2" into SET; -1 after a usage error. */
static int
tuneParseSet(const Ctx *ctx, const char *list, TuneSet *set, size_t *nset)
{
    char *copy = tuneStrdup(list);
    char *save = NULL;

    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');

        if (!eq || eq == tok || *nset == TUNE_MAX_SET) {
            errorsUsage(ctx->cmd, "--set wants NAME=VALUE, not '%s'", tok);
            free(copy);
            return -1;
        }
        *eq = '\0';
        /* the field name must outlive COPY: keep it in the value's
         * allocation, after the value */
        set[*nset].value = NULL;
        if (asprintf(&set[*nset].value, "%s%c%s", eq + 1, '\0', tok) < 0)
            abort();
        set[*nset].field = set[*nset].value + strlen(eq + 1) + 1;
        (*nset)++;
    }
    free(copy);
    return 0;
}

static int
tuneSchedinfo(Ctx *ctx)
{
    TuneSet set[TUNE_MAX_SET];
    size_t nset = 0;
    unsigned int flags;
    json_object *extra = NULL;
    char *type, *header = NULL;
    int ret;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (cmdtabString(ctx, "set") &&
        tuneParseSet(ctx, cmdtabString(ctx, "set"), set, &nset) < 0) {
        tuneFreeSet(set, nset);
        return EXIT_USAGE;
    }
    if (!(type = virDomainGetSchedulerType(ctx->dom, NULL))) {
        tuneFreeSet(set, nset);
        return argsFail();
    }
    if (ctx->json) {
        extra = json_object_new_object();
        json_object_object_add(extra, "scheduler",
                               json_object_new_string(type));
    } else if (asprintf(&header, "%-15s: %s\n", "Scheduler", type) < 0) {
        abort();
    }
    free(type);
    ret = tuneRun(ctx, &schedOps, NULL, set, nset, flags, header, extra);
    free(header);
    return ret;
}

/* ---- memtune ---- */

static int
tuneMemGet(virDomainPtr dom, const char *dev, virTypedParameterPtr p,
           int *n, unsigned int flags)
{
    (void)dev;
    return virDomainGetMemoryParameters(dom, p, n, flags);
}

static int
tuneMemSet(virDomainPtr dom, const char *dev, virTypedParameterPtr p, int n,
           unsigned int flags)
{
    (void)dev;
    return virDomainSetMemoryParameters(dom, p, n, flags);
}

static bool
tuneUnlimited(const virTypedParameter *p)
{
    return p->type == VIR_TYPED_PARAM_ULLONG &&
           p->value.ul >= (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
}

static char *
tuneMemShow(const virTypedParameter *p)
{
    return tuneUnlimited(p) ? tuneStrdup("unlimited") : NULL;
}

static json_object *
tuneMemJSON(const virTypedParameter *p, bool *handled)
{
    *handled = tuneUnlimited(p);
    return NULL;
}

static const TuneOps memOps = {
    tuneMemGet, tuneMemSet, tuneMemShow, tuneMemJSON, 15,
};

static int
tuneMemtune(Ctx *ctx)
{
    static const char *const opts[][2] = {
        { "hard-limit", VIR_DOMAIN_MEMORY_HARD_LIMIT },
        { "soft-limit", VIR_DOMAIN_MEMORY_SOFT_LIMIT },
        { "swap-hard-limit", VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT },
        { "min-guarantee", VIR_DOMAIN_MEMORY_MIN_GUARANTEE },
    };
    TuneSet set[TUNE_MAX_SET];
    size_t nset = 0;
    unsigned int flags;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    for (size_t i = 0; i < sizeof(opts) / sizeof(*opts); i++) {
        if (tuneAddScaled(ctx, set, &nset, opts[i][0], opts[i][1], 1024,
                          true) < 0) {
            tuneFreeSet(set, nset);
            return EXIT_USAGE;
        }
    }
    return tuneRun(ctx, &memOps, NULL, set, nset, flags, NULL, NULL);
}

/* ---- blkiotune ---- */

static int
tuneBlkioGet(virDomainPtr dom, const char *dev, virTypedParameterPtr p,
             int *n, unsigned int flags)
{
    (void)dev;
    return virDomainGetBlkioParameters(dom, p, n, flags);
}

static int
tuneBlkioSet(virDomainPtr dom, const char *dev, virTypedParameterPtr p,
             int n, unsigned int flags)
{
    (void)dev;
    return virDomainSetBlkioParameters(dom, p, n, flags);
}

static const TuneOps blkioOps = {
    tuneBlkioGet, tuneBlkioSet, NULL, NULL, 22,
};

static int
tuneBlkiotune(Ctx *ctx)
{
    static const char *const opts[][2] = {
        { "weight", VIR_DOMAIN_BLKIO_WEIGHT },
        { "device-weights", VIR_DOMAIN_BLKIO_DEVICE_WEIGHT },
        { "device-read-iops-sec", VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS },
        { "device-write-iops-sec", VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS },
        { "device-read-bytes-sec", VIR_DOMAIN_BLKIO_DEVICE_READ_BPS },
        { "device-write-bytes-sec", VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS },
    };
    TuneSet set[TUNE_MAX_SET];
    size_t nset = 0;
    unsigned int flags;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    for (size_t i = 0; i < sizeof(opts) / sizeof(*opts); i++)
        tuneAddOpt(ctx, set, &nset, opts[i][0], opts[i][1]);
    return tuneRun(ctx, &blkioOps, NULL, set, nset, flags, NULL, NULL);
}

/* ---- numatune ---- */

static const char *const numaModes[] = {
    "strict", "preferred", "interleave", "restrictive",
};

#define NUMA_MODES ((int)(sizeof(numaModes) / sizeof(*numaModes)))

static int
tuneNumaGet(virDomainPtr dom, const char *dev, virTypedParameterPtr p,
            int *n, unsigned int flags)
{
    (void)dev;
    return virDomainGetNumaParameters(dom, p, n, flags);
}

static int
tuneNumaSet(virDomainPtr dom, const char *dev, virTypedParameterPtr p, int n,
            unsigned int flags)
{
    (void)dev;
    return virDomainSetNumaParameters(dom, p, n, flags);
}

static const char *
tuneNumaMode(const virTypedParameter *p)
{
    if (strcmp(p->field, VIR_DOMAIN_NUMA_MODE) != 0 ||
        p->type != VIR_TYPED_PARAM_INT || p->value.i < 0 ||
        p->value.i >= NUMA_MODES)
        return NULL;
    return numaModes[p->value.i];
}

static char *
tuneNumaShow(const virTypedParameter *p)
{
    const char *mode = tuneNumaMode(p);

    return mode ? tuneStrdup(mode) : NULL;
}

static json_object *
tuneNumaJSON(const virTypedParameter *p, bool *handled)
{
    const char *mode = tuneNumaMode(p);

    *handled = mode != NULL;
    return mode ? json_object_new_string(mode) : NULL;
}

static const TuneOps numaOps = {
    tuneNumaGet, tuneNumaSet, tuneNumaShow, tuneNumaJSON, 15,
};

static int
tuneNumatune(Ctx *ctx)
{
    const char *mode = cmdtabString(ctx, "mode");
    TuneSet set[TUNE_MAX_SET];
    size_t nset = 0;
    unsigned int flags;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (mode) {
        char num[16];
        int m = -1;

        for (int i = 0; i < NUMA_MODES; i++) {
            if (strcmp(mode, numaModes[i]) == 0)
                m = i;
        }
        if (m < 0) {
            errorsUsage(ctx->cmd, "unknown mode '%s'", mode);
            return EXIT_USAGE;
        }
        snprintf(num, sizeof(num), "%d", m);
        set[nset].field = VIR_DOMAIN_NUMA_MODE;
        set[nset++].value = tuneStrdup(num);
    }
    tuneAddOpt(ctx, set, &nset, "nodeset", VIR_DOMAIN_NUMA_NODESET);
    return tuneRun(ctx, &numaOps, NULL, set, nset, flags, NULL, NULL);
}

/* ---- blkdeviotune ---- */

static int
tuneIoGet(virDomainPtr dom, const char *dev, virTypedParameterPtr p, int *n,
          unsigned int flags)
{
    return virDomainGetBlockIoTune(dom, dev, p, n, flags);
}

static int
tuneIoSet(virDomainPtr dom, const char *dev, virTypedParameterPtr p, int n,
          unsigned int flags)
{
    return virDomainSetBlockIoTune(dom, dev, p, n, flags);
}

static const TuneOps ioOps = {
    tuneIoGet, tuneIoSet, NULL, NULL, 26,
};

/* blkdeviotune's options: byte rates take sizes, the rest numbers. */
static const struct {
    const char *opt;
    bool bytes;
} ioOpts[] = {
    { "total-bytes-sec", true }, { "read-bytes-sec", true },
    { "write-bytes-sec", true }, { "total-iops-sec", false },
    { "read-iops-sec", false }, { "write-iops-sec", false },
    { "total-bytes-sec-max", true }, { "read-bytes-sec-max", true },
    { "write-bytes-sec-max", true }, { "total-iops-sec-max", false },
    { "read-iops-sec-max", false }, { "write-iops-sec-max", false },
    { "size-iops-sec", false },
    { "total-bytes-sec-max-length", false },
    { "read-bytes-sec-max-length", false },
    { "write-bytes-sec-max-length", false },
    { "total-iops-sec-max-length", false },
    { "read-iops-sec-max-length", false },
    { "write-iops-sec-max-length", false },
};

static int
tuneBlkdeviotune(Ctx *ctx)
{
    const char *dev = cmdtabString(ctx, "device");
    TuneSet set[TUNE_MAX_SET];
    char fields[sizeof(ioOpts) / sizeof(*ioOpts)][64];
    size_t nset = 0;
    unsigned int flags;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    for (size_t i = 0; i < sizeof(ioOpts) / sizeof(*ioOpts); i++) {
        char *p;

        /* the field is the option with underscores */
        snprintf(fields[i], sizeof(fields[i]), "%s", ioOpts[i].opt);
        for (p = fields[i]; *p; p++)
            *p = *p == '-' ? '_' : *p;
        if (tuneAddScaled(ctx, set, &nset, ioOpts[i].opt, fields[i],
                          1, false) < 0) {
            tuneFreeSet(set, nset);
            return EXIT_USAGE;
        }
    }
    tuneAddOpt(ctx, set, &nset, "group-name",
               VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME);
    return tuneRun(ctx, &ioOps, dev, set, nset, flags, NULL, NULL);
}

/* ---- domiftune ---- */

static int
tuneIfGet(virDomainPtr dom, const char *dev, virTypedParameterPtr p, int *n,
          unsigned int flags)
{
    return virDomainGetInterfaceParameters(dom, dev, p, n, flags);
}

static int
tuneIfSet(virDomainPtr dom, const char *dev, virTypedParameterPtr p, int n,
          unsigned int flags)
{
    return virDomainSetInterfaceParameters(dom, dev, p, n, flags);
}

static const TuneOps ifOps = {
    tuneIfGet, tuneIfSet, NULL, NULL, 16,
};

/* Queue "average[,peak[,burst[,floor]]]" of option OPT for direction DIR
 * (inbound, outbound); -1 after a usage error. */
static int
tuneAddBandwidth(const Ctx *ctx, TuneSet *set, size_t *nset, const char *opt)
{
    static const char *const in[] = {
        VIR_DOMAIN_BANDWIDTH_IN_AVERAGE, VIR_DOMAIN_BANDWIDTH_IN_PEAK,
        VIR_DOMAIN_BANDWIDTH_IN_BURST, VIR_DOMAIN_BANDWIDTH_IN_FLOOR,
    };
    static const char *const out[] = {
        VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, VIR_DOMAIN_BANDWIDTH_OUT_PEAK,
        VIR_DOMAIN_BANDWIDTH_OUT_BURST,
    };
    const char *const *fields = strcmp(opt, "inbound") == 0 ? in : out;
    size_t nfields = strcmp(opt, "inbound") == 0 ? 4 : 3;
    const char *s = cmdtabString(ctx, opt);
    size_t k = 0;

    while (s && *s) {
        size_t len = strcspn(s, ",");

        if (k == nfields || len == 0 || strspn(s, "0123456789") != len)
            return errorsUsage(ctx->cmd, "--%s wants up to %zu numbers "
                               "separated by commas, not '%s'", opt, nfields,
                               cmdtabString(ctx, opt));
        set[*nset].field = fields[k++];
        if (!(set[*nset].value = strndup(s, len)))
            abort();
        (*nset)++;
        s += len;
        s += *s == ',';
    }
    return 0;
}

static int
tuneDomiftune(Ctx *ctx)
{
    TuneSet set[TUNE_MAX_SET];
    size_t nset = 0;
    unsigned int flags;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (tuneAddBandwidth(ctx, set, &nset, "inbound") < 0 ||
        tuneAddBandwidth(ctx, set, &nset, "outbound") < 0) {
        tuneFreeSet(set, nset);
        return EXIT_USAGE;
    }
    return tuneRun(ctx, &ifOps, cmdtabString(ctx, "interface"), set, nset,
                   flags, NULL, NULL);
}

/* ---- setmem, setmaxmem ---- */

static int
tuneSetMemory(Ctx *ctx, unsigned int extra)
{
    unsigned long long kib;
    unsigned int flags;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (argsScaled(ctx, "size", 1024, &kib) < 0)
        return EXIT_USAGE;
    if (kib > (unsigned long)-1) {
        errorsUsage(ctx->cmd, "SIZE is too large");
        return EXIT_USAGE;
    }
    if (virDomainSetMemoryFlags(ctx->dom, (unsigned long)kib,
                                flags | extra) < 0)
        return argsFail();
    outputDone(ctx, "%s memory of domain '%s' set to %llu KiB",
               extra ? "Maximum" : "Current", virDomainGetName(ctx->dom),
               kib);
    return EXIT_OK;
}

static int
tuneSetmem(Ctx *ctx)
{
    return tuneSetMemory(ctx, 0);
}

static int
tuneSetmaxmem(Ctx *ctx)
{
    return tuneSetMemory(ctx, VIR_DOMAIN_MEM_MAXIMUM);
}

static const CmdOpt optsSchedinfo[] = {
    { "set", OPT_STRING, 0, "NAME=VALUE[,...]",
      "set scheduler parameters (names as shown)" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsMemtune[] = {
    { "hard-limit", OPT_STRING, 0, "SIZE",
      "the most memory the domain may use (KiB or with a unit; -1: no "
      "limit)" },
    { "soft-limit", OPT_STRING, 0, "SIZE",
      "the memory it is held to when the host is short" },
    { "swap-hard-limit", OPT_STRING, 0, "SIZE",
      "the most memory plus swap it may use" },
    { "min-guarantee", OPT_STRING, 0, "SIZE",
      "the memory it is guaranteed" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsBlkiotune[] = {
    { "weight", OPT_STRING, 0, "WEIGHT", "the I/O weight, 100 to 1000" },
    { "device-weights", OPT_STRING, 0, "PATH,WEIGHT,...",
      "weights of single devices" },
    { "device-read-iops-sec", OPT_STRING, 0, "PATH,N,...",
      "read operations per second limits of single devices" },
    { "device-write-iops-sec", OPT_STRING, 0, "PATH,N,...",
      "write operations per second limits of single devices" },
    { "device-read-bytes-sec", OPT_STRING, 0, "PATH,N,...",
      "read bytes per second limits of single devices" },
    { "device-write-bytes-sec", OPT_STRING, 0, "PATH,N,...",
      "write bytes per second limits of single devices" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsNumatune[] = {
    { "mode", OPT_STRING, 0, "MODE",
      "strict, preferred, interleave or restrictive" },
    { "nodeset", OPT_STRING, 0, "NODES", "host NUMA nodes, like 0-1,3" },
    OPTS_AFFECT,
    { NULL },
};

#define IO_OPT(name, help) { name, OPT_STRING, 0, "N", help }

static const CmdOpt optsBlkdeviotune[] = {
    { "device", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "DEVICE",
      "the disk, by target (vda) or source path" },
    IO_OPT("total-bytes-sec", "total throughput limit, bytes/s (or a size)"),
    IO_OPT("read-bytes-sec", "read throughput limit"),
    IO_OPT("write-bytes-sec", "write throughput limit"),
    IO_OPT("total-iops-sec", "total operations per second limit"),
    IO_OPT("read-iops-sec", "read operations per second limit"),
    IO_OPT("write-iops-sec", "write operations per second limit"),
    IO_OPT("total-bytes-sec-max", "total throughput burst limit"),
    IO_OPT("read-bytes-sec-max", "read throughput burst limit"),
    IO_OPT("write-bytes-sec-max", "write throughput burst limit"),
    IO_OPT("total-iops-sec-max", "total operations burst limit"),
    IO_OPT("read-iops-sec-max", "read operations burst limit"),
    IO_OPT("write-iops-sec-max", "write operations burst limit"),
    IO_OPT("size-iops-sec", "the size of one counted operation"),
    IO_OPT("total-bytes-sec-max-length", "seconds a total burst may last"),
    IO_OPT("read-bytes-sec-max-length", "seconds a read burst may last"),
    IO_OPT("write-bytes-sec-max-length", "seconds a write burst may last"),
    IO_OPT("total-iops-sec-max-length",
           "seconds a total operations burst may last"),
    IO_OPT("read-iops-sec-max-length",
           "seconds a read operations burst may last"),
    IO_OPT("write-iops-sec-max-length",
           "seconds a write operations burst may last"),
    { "group-name", OPT_STRING, 0, "NAME",
      "share the limits with the disks of this group" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsDomiftune[] = {
    { "interface", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "INTERFACE",
      "the interface, by target device or MAC address" },
    { "inbound", OPT_STRING, 0, "AVERAGE[,PEAK[,BURST[,FLOOR]]]",
      "inbound limits: KiB/s, KiB/s, KiB, KiB/s" },
    { "outbound", OPT_STRING, 0, "AVERAGE[,PEAK[,BURST]]",
      "outbound limits: KiB/s, KiB/s, KiB" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsSetmem[] = {
    { "size", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "SIZE",
      "the new size: KiB, or a number with a unit (b, K, M, G, T)" },
    OPTS_AFFECT,
    { NULL },
};

const Cmd tuneCommands[] = {
    { "schedinfo", G_TUNE, tuneSchedinfo, optsSchedinfo,
      CMD_DOMAIN | CMD_QUERY,
      "show or set CPU scheduler parameters",
      "Print the scheduler and its parameters as 'name : value' lines; "
      "with --set, change some first (and print them all)." },
    { "memtune", G_TUNE, tuneMemtune, optsMemtune, CMD_DOMAIN | CMD_QUERY,
      "show or set memory limits",
      "Print the domain's memory limits in KiB ('unlimited', null in "
      "JSON, when there is none); the options change them first." },
    { "blkiotune", G_TUNE, tuneBlkiotune, optsBlkiotune,
      CMD_DOMAIN | CMD_QUERY,
      "show or set block I/O weights and limits",
      "Print the domain's block I/O parameters; the options change them "
      "first." },
    { "numatune", G_TUNE, tuneNumatune, optsNumatune,
      CMD_DOMAIN | CMD_QUERY,
      "show or set NUMA memory placement",
      "Print the domain's NUMA memory mode and node set; the options "
      "change them first." },
    { "blkdeviotune", G_TUNE, tuneBlkdeviotune, optsBlkdeviotune,
      CMD_DOMAIN | CMD_QUERY,
      "show or set a disk's I/O limits",
      "Print the I/O throttling of a disk (0: no limit); the options "
      "change it first." },
    { "domiftune", G_TUNE, tuneDomiftune, optsDomiftune,
      CMD_DOMAIN | CMD_QUERY,
      "show or set an interface's bandwidth limits",
      "Print the bandwidth limits of an interface (0: none); --inbound and "
      "--outbound change them first." },
    { "setmem", G_TUNE, tuneSetmem, optsSetmem, CMD_DOMAIN,
      "change a domain's memory size",
      "Change the memory the domain has (the balloon's target), up to its "
      "maximum." },
    { "setmaxmem", G_TUNE, tuneSetmaxmem, optsSetmem, CMD_DOMAIN,
      "change a domain's maximum memory",
      "Change the most memory the domain may have." },
    { NULL },
};
