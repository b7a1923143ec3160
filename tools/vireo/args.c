/* args.c: option values beyond the parser's types: flag tables, the
 * --config/--live/--current triple, scaled sizes and CPU lists */
#include "vireo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The flags of the boolean options in TABLE that CTX has. */
unsigned int
argsFlags(const Ctx *ctx, const OptFlag *table, size_t n)
{
    unsigned int flags = 0;

    for (size_t i = 0; i < n; i++) {
        if (cmdtabBool(ctx, table[i].opt))
            flags |= table[i].flag;
    }
    return flags;
}

/* Turn --config, --live and --current into VIR_DOMAIN_AFFECT_* flags.
 * Returns 0, or -1 after a usage error (--current with another). */
int
argsAffect(const Ctx *ctx, unsigned int *flags)
{
    bool config = cmdtabBool(ctx, "config");
    bool live = cmdtabBool(ctx, "live");

    *flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (cmdtabBool(ctx, "current") && (config || live))
        return errorsUsage(ctx->cmd,
                           "--current cannot go with --config or --live");
    if (config)
        *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (live)
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return 0;
}

/* Parse S, a number with an optional unit suffix (b, KiB/K/k, MiB/M/m,
 * GiB/G/g, TiB/T/t, or the decimal KB, MB, GB, TB), into a count of
 * bytes divided by UNIT (the unit of a bare number, in bytes). Returns
 * -1 on a malformed value, an overflow or a value not a whole number of
 * UNIT. */
int
argsParseScaled(const char *s, unsigned long long unit,
                unsigned long long *value)
{
    static const struct {
        const char *suffix;
        unsigned long long scale;
    } units[] = {
        { "b", 1 }, { "B", 1 },
        { "k", 1ULL << 10 }, { "K", 1ULL << 10 }, { "KiB", 1ULL << 10 },
        { "m", 1ULL << 20 }, { "M", 1ULL << 20 }, { "MiB", 1ULL << 20 },
        { "g", 1ULL << 30 }, { "G", 1ULL << 30 }, { "GiB", 1ULL << 30 },
        { "t", 1ULL << 40 }, { "T", 1ULL << 40 }, { "TiB", 1ULL << 40 },
        { "KB", 1000ULL }, { "MB", 1000000ULL }, { "GB", 1000000000ULL },
        { "TB", 1000000000000ULL },
    };
    unsigned long long n, scale = unit;
    char *end;

    if (!*s || !strchr("0123456789", *s))
        return -1;
    errno = 0;
    n = strtoull(s, &end, 10);
    if (errno)
        return -1;
    if (*end) {
        size_t i;

        for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            if (strcmp(end, units[i].suffix) == 0)
                break;
        }
        if (i == sizeof(units) / sizeof(units[0]))
            return -1;
        scale = units[i].scale;
    }
    if (n != 0 && scale > ~0ULL / n)
        return -1;
    n *= scale;
    if (n % unit)
        return -1;
    *value = n / unit;
    return 0;
}

/* Option NAME as a scaled size (see argsParseScaled) in units of UNIT
 * bytes. Returns 1 if given, 0 if not, -1 after a usage error. */
int
argsScaled(const Ctx *ctx, const char *name, unsigned long long unit,
           unsigned long long *value)
{
    const char *s = cmdtabString(ctx, name);

    if (!s)
        return 0;
    if (argsParseScaled(s, unit, value) < 0)
        return errorsUsage(ctx->cmd, "option '--%s' wants a size, not '%s'",
                           name, s);
    return 1;
}

/* The number of host CPUs, for CPU maps; -1 after printing the error. */
int
argsMaxCPUs(const Ctx *ctx)
{
    virNodeInfo info;

    if (virNodeGetInfo(ctx->conn, &info) < 0) {
        errorsReport();
        return -1;
    }
    return (int)VIR_NODEINFO_MAXCPUS(info);
}

/* Parse LIST ("0-3,6,^2", or "r" for all) into a new CPU map of MAXCPUS
 * bits. Returns 0, or -1 after a usage error. */
int
argsCpumap(const Ctx *ctx, const char *list, int maxcpus,
           unsigned char **cpumap, int *maplen)
{
    const char *s = list;

    *maplen = VIR_CPU_MAPLEN(maxcpus);
    if (!(*cpumap = calloc(1, (size_t)*maplen)))
        abort();
    if (strcmp(list, "r") == 0) {
        for (int c = 0; c < maxcpus; c++)
            VIR_USE_CPU(*cpumap, c);
        return 0;
    }
    while (*s) {
        bool neg = *s == '^';
        unsigned long lo, hi;
        char *end;

        s += neg;
        if (!strchr("0123456789", *s))
            goto error;
        lo = hi = strtoul(s, &end, 10);
        if (*end == '-' && !neg) {
            if (!strchr("0123456789", end[1]))
                goto error;
            hi = strtoul(end + 1, &end, 10);
        }
        if (hi < lo || hi >= (unsigned long)maxcpus || (*end && *end != ','))
            goto error;
        for (unsigned long c = lo; c <= hi; c++) {
            if (neg)
                VIR_UNUSE_CPU(*cpumap, c);
            else
                VIR_USE_CPU(*cpumap, c);
        }
        s = end + (*end == ',');
    }
    return 0;

 error:
    free(*cpumap);
    *cpumap = NULL;
    return errorsUsage(ctx->cmd, "bad CPU list '%s' (the host has CPUs "
                       "0-%d)", list, maxcpus - 1);
}

/* CPUMAP as a list like "0-3,6", for the caller to free; "" if empty. */
char *
argsCpumapFormat(const unsigned char *cpumap, int maplen, int maxcpus)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    const char *sep = "";

    if (!fp)
        abort();
    if (maxcpus > maplen * 8)
        maxcpus = maplen * 8;
    for (int c = 0; c < maxcpus; c++) {
        int last = c;

        if (!VIR_CPU_USED(cpumap, c))
            continue;
        while (last + 1 < maxcpus && VIR_CPU_USED(cpumap, last + 1))
            last++;
        if (last == c)
            fprintf(fp, "%s%d", sep, c);
        else
            fprintf(fp, "%s%d-%d", sep, c, last);
        sep = ",";
        c = last;
    }
    fclose(fp);
    return out;
}

/* Check that at most one of A and B is given; -1 after a usage error. */
int
argsExclusive(const Ctx *ctx, const char *a, const char *b)
{
    if (cmdtabBool(ctx, a) && cmdtabBool(ctx, b))
        return errorsUsage(ctx->cmd, "--%s cannot go with --%s", a, b);
    return 0;
}

/* The number of the N options NAMES that are given. */
int
argsNeedOne(const Ctx *ctx, const char *const *names, size_t n)
{
    int count = 0;

    for (size_t i = 0; i < n; i++)
        count += cmdtabBool(ctx, names[i]);
    return count;
}

/* S as a JSON string, or null for NULL. */
json_object *
argsStringJSON(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

/* Print the library's error and return the failure status. */
int
argsFail(void)
{
    errorsReport();
    return EXIT_FAIL;
}
