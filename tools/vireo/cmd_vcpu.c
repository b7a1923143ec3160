/* cmd_vcpu.c: virtual CPUs and I/O threads: setvcpus, setvcpu, vcpuinfo,
 * vcpupin, emulatorpin, iothreadinfo, iothreadpin, iothreadadd,
 * iothreaddel */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>

static int
vcpuSetvcpus(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "maximum", VIR_DOMAIN_VCPU_MAXIMUM },
        { "guest", VIR_DOMAIN_VCPU_GUEST },
        { "hotpluggable", VIR_DOMAIN_VCPU_HOTPLUGGABLE },
    };
    unsigned int flags;
    int count;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    cmdtabInt(ctx, "count", &count);
    flags |= ARGS_FLAGS(ctx, opts);
    if (virDomainSetVcpusFlags(ctx->dom, (unsigned int)count, flags) < 0)
        return argsFail();
    outputDone(ctx, "%s vCPUs of domain '%s' set to %d",
               (flags & VIR_DOMAIN_VCPU_MAXIMUM) ? "Maximum" : "Number of",
               virDomainGetName(ctx->dom), count);
    return EXIT_OK;
}

static int
vcpuSetvcpu(Ctx *ctx)
{
    const char *list = cmdtabString(ctx, "vcpulist");
    bool enable = cmdtabBool(ctx, "enable");
    unsigned int flags;

    if (enable == cmdtabBool(ctx, "disable")) {
        errorsUsage(ctx->cmd, "give exactly one of --enable and --disable");
        return EXIT_USAGE;
    }
    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (virDomainSetVcpu(ctx->dom, list, enable ? 1 : 0, flags) < 0)
        return argsFail();
    outputDone(ctx, "vCPUs %s of domain '%s' %s", list,
               virDomainGetName(ctx->dom), enable ? "enabled" : "disabled");
    return EXIT_OK;
}

static const char *const vcpuStates[] = { "offline", "running", "blocked" };

static const char *
vcpuStateName(int state)
{
    return state >= 0 && state < 3 ? vcpuStates[state] : "unknown";
}

/* The affinity of CPUMAP as vcpuinfo shows it: 'y'/'-' per host CPU, or
 * with --pretty a list. Caller frees. */
static char *
vcpuAffinity(const Ctx *ctx, const unsigned char *cpumap, int maplen,
             int maxcpus)
{
    char *s;

    if (cmdtabBool(ctx, "pretty") || ctx->json)
        return argsCpumapFormat(cpumap, maplen, maxcpus);
    if (!(s = calloc(1, (size_t)maxcpus + 1)))
        abort();
    for (int c = 0; c < maxcpus; c++)
        s[c] = VIR_CPU_USABLE(cpumap, maplen, 0, c) ? 'y' : '-';
    return s;
}

static int
vcpuInfo(Ctx *ctx)
{
    virDomainInfo dinfo;
    virVcpuInfoPtr info = NULL;
    unsigned char *maps = NULL;
    json_object *array = NULL;
    int maxcpus, maplen, n, ret = EXIT_FAIL;

    if ((maxcpus = argsMaxCPUs(ctx)) < 0)
        return EXIT_FAIL;
    if (virDomainGetInfo(ctx->dom, &dinfo) < 0)
        return argsFail();
    maplen = VIR_CPU_MAPLEN(maxcpus);
    if (!(info = calloc(dinfo.nrVirtCpu + 1, sizeof(*info))) ||
        !(maps = calloc(dinfo.nrVirtCpu + 1, (size_t)maplen)))
        abort();
    if ((n = virDomainGetVcpus(ctx->dom, info, (int)dinfo.nrVirtCpu, maps,
                               maplen)) < 0) {
        errorsReport();
        goto cleanup;
    }
    if (ctx->json)
        array = json_object_new_array();
    for (int i = 0; i < n; i++) {
        char *aff = vcpuAffinity(ctx, maps + i * maplen, maplen, maxcpus);

        if (array) {
            json_object *o = json_object_new_object();

            json_object_object_add(o, "vcpu",
                                   json_object_new_int64(info[i].number));
            json_object_object_add(o, "cpu", json_object_new_int(info[i].cpu));
            json_object_object_add(o, "state", json_object_new_string(
                vcpuStateName(info[i].state)));
            json_object_object_add(o, "cpu_time_ns",
                                   json_object_new_uint64(info[i].cpuTime));
            json_object_object_add(o, "affinity",
                                   json_object_new_string(aff));
            json_object_array_add(array, o);
        } else {
            outputField(15, "VCPU:", "%u", info[i].number);
            outputField(15, "CPU:", "%d", info[i].cpu);
            outputField(15, "State:", "%s", vcpuStateName(info[i].state));
            outputField(15, "CPU time:", "%.1fs", info[i].cpuTime / 1e9);
            outputField(15, "CPU Affinity:", "%s", aff);
            putchar('\n');
        }
        free(aff);
    }
    if (array) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "vcpus", array);
        outputJSON(obj);
    }
    ret = EXIT_OK;

 cleanup:
    free(info);
    free(maps);
    return ret;
}

/* Print a two-column affinity table (or JSON array under KEY). */
static void
vcpuAffinityTable(const Ctx *ctx, const char *head, const char *key,
                  const char *idKey, const int *ids,
                  const unsigned char *maps, int n, int maplen, int maxcpus)
{
    const char *headers[] = { head, "CPU Affinity" };
    OutputTable *t = ctx->json ? NULL : outputTableNew(2, headers);
    json_object *array = ctx->json ? json_object_new_array() : NULL;

    for (int i = 0; i < n; i++) {
        char *aff = argsCpumapFormat(maps + i * maplen, maplen, maxcpus);
        char id[16];
        const char *row[2] = { id, aff };

        snprintf(id, sizeof(id), "%d", ids[i]);
        if (array) {
            json_object *o = json_object_new_object();

            json_object_object_add(o, idKey, json_object_new_int(ids[i]));
            json_object_object_add(o, "affinity",
                                   json_object_new_string(aff));
            json_object_array_add(array, o);
        } else {
            outputTableAdd(t, row);
        }
        free(aff);
    }
    if (array) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, key, array);
        outputJSON(obj);
    } else {
        outputTablePrint(t);
        outputTableFree(t);
    }
}

static int
vcpuPinQuery(Ctx *ctx, unsigned int flags, int maxcpus)
{
    int maplen = VIR_CPU_MAPLEN(maxcpus);
    unsigned char *maps = NULL;
    int *ids = NULL;
    int n, ret = EXIT_FAIL;

    if ((n = virDomainGetVcpusFlags(ctx->dom,
                                    flags | VIR_DOMAIN_VCPU_MAXIMUM)) < 0)
        return argsFail();
    if (!(maps = calloc((size_t)n + 1, (size_t)maplen)) ||
        !(ids = calloc((size_t)n + 1, sizeof(*ids))))
        abort();
    if ((n = virDomainGetVcpuPinInfo(ctx->dom, n, maps, maplen, flags)) < 0) {
        errorsReport();
        goto cleanup;
    }
    for (int i = 0; i < n; i++)
        ids[i] = i;
    vcpuAffinityTable(ctx, "VCPU", "vcpus", "vcpu", ids, maps, n, maplen,
                      maxcpus);
    ret = EXIT_OK;

 cleanup:
    free(maps);
    free(ids);
    return ret;
}

static int
vcpuPin(Ctx *ctx)
{
    const char *list = cmdtabString(ctx, "cpulist");
    unsigned char *map = NULL;
    unsigned int flags;
    int maxcpus, maplen, vcpu = -1;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    cmdtabInt(ctx, "vcpu", &vcpu);
    if (list && vcpu < 0) {
        errorsUsage(ctx->cmd, "CPULIST needs VCPU");
        return EXIT_USAGE;
    }
    if ((maxcpus = argsMaxCPUs(ctx)) < 0)
        return EXIT_FAIL;
    if (!list) {
        if (vcpu >= 0) {
            errorsUsage(ctx->cmd, "VCPU needs CPULIST");
            return EXIT_USAGE;
        }
        return vcpuPinQuery(ctx, flags, maxcpus);
    }
    if (argsCpumap(ctx, list, maxcpus, &map, &maplen) < 0)
        return EXIT_USAGE;
    if (virDomainPinVcpuFlags(ctx->dom, (unsigned int)vcpu, map, maplen,
                              flags) < 0) {
        free(map);
        return argsFail();
    }
    free(map);
    return vcpuPinQuery(ctx, flags, maxcpus);
}

static int
vcpuEmulatorpin(Ctx *ctx)
{
    const char *list = cmdtabString(ctx, "cpulist");
    unsigned char *map = NULL;
    unsigned int flags;
    int maxcpus, maplen;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if ((maxcpus = argsMaxCPUs(ctx)) < 0)
        return EXIT_FAIL;
    if (list) {
        if (argsCpumap(ctx, list, maxcpus, &map, &maplen) < 0)
            return EXIT_USAGE;
        if (virDomainPinEmulator(ctx->dom, map, maplen, flags) < 0) {
            free(map);
            return argsFail();
        }
        free(map);
    }
    maplen = VIR_CPU_MAPLEN(maxcpus);
    if (!(map = calloc(1, (size_t)maplen)))
        abort();
    if (virDomainGetEmulatorPinInfo(ctx->dom, map, maplen, flags) < 0) {
        free(map);
        return argsFail();
    }
    if (ctx->json) {
        json_object *obj = json_object_new_object();
        char *aff = argsCpumapFormat(map, maplen, maxcpus);

        json_object_object_add(obj, "affinity", json_object_new_string(aff));
        free(aff);
        outputJSON(obj);
    } else {
        char *aff = argsCpumapFormat(map, maplen, maxcpus);

        printf(" emulator: CPU Affinity\n"
               "----------------------------------\n"
               "        *: %s\n\n", aff);
        free(aff);
    }
    free(map);
    return EXIT_OK;
}

static int
vcpuIOThreadInfo(Ctx *ctx)
{
    virDomainIOThreadInfoPtr *info = NULL;
    unsigned char *maps = NULL;
    int *ids = NULL;
    unsigned int flags;
    int maxcpus, maplen, n;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if ((maxcpus = argsMaxCPUs(ctx)) < 0)
        return EXIT_FAIL;
    if ((n = virDomainGetIOThreadInfo(ctx->dom, &info, flags)) < 0)
        return argsFail();
    maplen = VIR_CPU_MAPLEN(maxcpus);
    if (!(maps = calloc((size_t)n + 1, (size_t)maplen)) ||
        !(ids = calloc((size_t)n + 1, sizeof(*ids))))
        abort();
    for (int i = 0; i < n; i++) {
        ids[i] = (int)info[i]->iothread_id;
        memcpy(maps + i * maplen, info[i]->cpumap,
               (size_t)(info[i]->cpumaplen < maplen ? info[i]->cpumaplen
                                                    : maplen));
        virDomainIOThreadInfoFree(info[i]);
    }
    free(info);
    vcpuAffinityTable(ctx, "IOThread ID", "iothreads", "id", ids, maps, n,
                      maplen, maxcpus);
    free(maps);
    free(ids);
    return EXIT_OK;
}

static int
vcpuIOThreadPin(Ctx *ctx)
{
    unsigned char *map = NULL;
    unsigned int flags;
    int maxcpus, maplen, id;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    cmdtabInt(ctx, "iothread", &id);
    if ((maxcpus = argsMaxCPUs(ctx)) < 0)
        return EXIT_FAIL;
    if (argsCpumap(ctx, cmdtabString(ctx, "cpulist"), maxcpus, &map,
                   &maplen) < 0)
        return EXIT_USAGE;
    if (virDomainPinIOThread(ctx->dom, (unsigned int)id, map, maplen,
                             flags) < 0) {
        free(map);
        return argsFail();
    }
    free(map);
    outputDone(ctx, "IOThread %d of domain '%s' pinned to %s", id,
               virDomainGetName(ctx->dom), cmdtabString(ctx, "cpulist"));
    return EXIT_OK;
}

static int
vcpuIOThreadAddDel(Ctx *ctx, bool add)
{
    unsigned int flags;
    int id, r;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    cmdtabInt(ctx, "id", &id);
    if (add)
        r = virDomainAddIOThread(ctx->dom, (unsigned int)id, flags);
    else
        r = virDomainDelIOThread(ctx->dom, (unsigned int)id, flags);
    if (r < 0)
        return argsFail();
    outputDone(ctx, "IOThread %d %s domain '%s'", id,
               add ? "added to" : "removed from", virDomainGetName(ctx->dom));
    return EXIT_OK;
}

static int
vcpuIOThreadAdd(Ctx *ctx)
{
    return vcpuIOThreadAddDel(ctx, true);
}

static int
vcpuIOThreadDel(Ctx *ctx)
{
    return vcpuIOThreadAddDel(ctx, false);
}

static const CmdOpt optsSetvcpus[] = {
    { "count", OPT_INT, OPT_REQUIRED | OPT_POSITIONAL, "COUNT",
      "the number of virtual CPUs" },
    { "maximum", OPT_BOOL, 0, NULL,
      "set the maximum (with --config) instead" },
    { "guest", OPT_BOOL, 0, NULL,
      "change the CPUs the guest uses (guest agent)" },
    { "hotpluggable", OPT_BOOL, 0, NULL,
      "make added CPUs hot-pluggable" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsSetvcpu[] = {
    { "vcpulist", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "VCPULIST",
      "virtual CPUs like 1-3,^2" },
    { "enable", OPT_BOOL, 0, NULL, "enable them" },
    { "disable", OPT_BOOL, 0, NULL, "disable them" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsVcpuinfo[] = {
    { "pretty", OPT_BOOL, 0, NULL,
      "show the affinity as a CPU list, not one character per CPU" },
    { NULL },
};

static const CmdOpt optsVcpupin[] = {
    { "vcpu", OPT_INT, OPT_POSITIONAL, "VCPU", "the virtual CPU to pin" },
    { "cpulist", OPT_STRING, OPT_POSITIONAL, "CPULIST",
      "host CPUs like 0-3,6,^2, or r for all" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsEmulatorpin[] = {
    { "cpulist", OPT_STRING, OPT_POSITIONAL, "CPULIST",
      "host CPUs like 0-3,6,^2, or r for all" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsAffectOnly[] = {
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsIOThreadPin[] = {
    { "iothread", OPT_INT, OPT_REQUIRED | OPT_POSITIONAL, "IOTHREAD",
      "the I/O thread's id" },
    { "cpulist", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "CPULIST",
      "host CPUs like 0-3,6,^2, or r for all" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsIOThreadId[] = {
    { "id", OPT_INT, OPT_REQUIRED | OPT_POSITIONAL, "ID",
      "the I/O thread's id" },
    OPTS_AFFECT,
    { NULL },
};

const Cmd vcpuCommands[] = {
    { "setvcpus", G_TUNE, vcpuSetvcpus, optsSetvcpus, CMD_DOMAIN,
      "change the number of virtual CPUs",
      "Change how many virtual CPUs the domain has, or with --maximum "
      "how many it may have." },
    { "setvcpu", G_TUNE, vcpuSetvcpu, optsSetvcpu, CMD_DOMAIN,
      "enable or disable individual virtual CPUs",
      "Plug or unplug the listed virtual CPUs of a running domain, or with "
      "--config mark them enabled or disabled at the next start (vCPU 0 "
      "stays enabled)." },
    { "vcpuinfo", G_TUNE, vcpuInfo, optsVcpuinfo, CMD_DOMAIN | CMD_QUERY,
      "show a running domain's virtual CPUs",
      "Print each virtual CPU's host CPU, state, CPU time and affinity "
      "('y' for each host CPU it may use)." },
    { "vcpupin", G_TUNE, vcpuPin, optsVcpupin, CMD_DOMAIN | CMD_QUERY,
      "show or set virtual CPU affinity",
      "Print the host CPUs each virtual CPU may run on; with VCPU and "
      "CPULIST, pin that one first." },
    { "emulatorpin", G_TUNE, vcpuEmulatorpin, optsEmulatorpin,
      CMD_DOMAIN | CMD_QUERY,
      "show or set the emulator threads' affinity",
      "Print the host CPUs the hypervisor's own threads may run on; with "
      "CPULIST, pin them first." },
    { "iothreadinfo", G_TUNE, vcpuIOThreadInfo, optsAffectOnly,
      CMD_DOMAIN | CMD_QUERY,
      "list a domain's I/O threads",
      "Print each I/O thread's id and host CPU affinity." },
    { "iothreadpin", G_TUNE, vcpuIOThreadPin, optsIOThreadPin, CMD_DOMAIN,
      "pin an I/O thread to host CPUs",
      "Let the I/O thread run only on the host CPUs of CPULIST." },
    { "iothreadadd", G_TUNE, vcpuIOThreadAdd, optsIOThreadId, CMD_DOMAIN,
      "add an I/O thread",
      "Add an I/O thread with the given id." },
    { "iothreaddel", G_TUNE, vcpuIOThreadDel, optsIOThreadId, CMD_DOMAIN,
      "remove an I/O thread",
      "Remove the I/O thread with the given id." },
    { NULL },
};
