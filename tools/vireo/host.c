/* host.c: commands about the connection and the host: version, uri,
 * hostname, nodeinfo, capabilities */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>

/* "MAJOR.MINOR.MICRO" from libvirt's packed version number. */
static void
hostVersionString(unsigned long v, char *buf, size_t len)
{
    snprintf(buf, len, "%lu.%lu.%lu", v / 1000000, v / 1000 % 1000,
             v % 1000);
}

static json_object *
hostVersionJSON(unsigned long v, bool known)
{
    char buf[64];

    if (!known)
        return NULL;
    hostVersionString(v, buf, sizeof(buf));
    return json_object_new_string(buf);
}

int
hostVersion(Ctx *ctx)
{
    unsigned long lib = 0, api = 0, hv = 0;
    const char *type;
    bool haveHV;
    char built[64], libs[64], apis[64], hvs[64];
    json_object *obj;

    if (!(type = virConnectGetType(ctx->conn)) ||
        virGetVersion(&lib, type, &api) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    /* a driver may not know its hypervisor's version: say so, no error */
    haveHV = virConnectGetVersion(ctx->conn, &hv) == 0;
    if (!haveHV && virGetLastErrorCode() != VIR_ERR_NO_SUPPORT) {
        errorsReport();
        return EXIT_FAIL;
    }
    hostVersionString(LIBVIR_VERSION_NUMBER, built, sizeof(built));
    hostVersionString(lib, libs, sizeof(libs));
    hostVersionString(api, apis, sizeof(apis));
    hostVersionString(hv, hvs, sizeof(hvs));

    if (!ctx->json) {
        printf("Compiled against library: libvirt %s\n", built);
        printf("Using library: libvirt %s\n", libs);
        printf("Using API: %s %s\n", type, apis);
        if (haveHV)
            printf("Running hypervisor: %s %s\n", type, hvs);
        return EXIT_OK;
    }
    obj = json_object_new_object();
    json_object_object_add(obj, "vireo", json_object_new_string(VIREO_VERSION));
    json_object_object_add(obj, "compiled_library",
                           json_object_new_string(built));
    json_object_object_add(obj, "library", json_object_new_string(libs));
    json_object_object_add(obj, "driver", json_object_new_string(type));
    json_object_object_add(obj, "api", json_object_new_string(apis));
    json_object_object_add(obj, "hypervisor", hostVersionJSON(hv, haveHV));
    return outputJSON(obj);
}

/* Print STR (which we free) alone, or as {"KEY": STR} with --json. */
static int
hostPrintString(Ctx *ctx, const char *key, char *str)
{
    json_object *obj;

    if (!str) {
        errorsReport();
        return EXIT_FAIL;
    }
    if (ctx->json) {
        obj = json_object_new_object();
        json_object_object_add(obj, key, json_object_new_string(str));
        outputJSON(obj);
    } else {
        fputs(str, stdout);
        if (!*str || str[strlen(str) - 1] != '\n')
            putchar('\n');
    }
    free(str);
    return EXIT_OK;
}

int
hostURI(Ctx *ctx)
{
    return hostPrintString(ctx, "uri", virConnectGetURI(ctx->conn));
}

int
hostHostname(Ctx *ctx)
{
    return hostPrintString(ctx, "hostname", virConnectGetHostname(ctx->conn));
}

int
hostCapabilities(Ctx *ctx)
{
    return hostPrintString(ctx, "xml", virConnectGetCapabilities(ctx->conn));
}

int
hostNodeinfo(Ctx *ctx)
{
    virNodeInfo info;
    json_object *obj;

    if (virNodeGetInfo(ctx->conn, &info) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    if (!ctx->json) {
        outputField(20, "CPU model:", "%s", info.model);
        outputField(20, "CPU(s):", "%u", info.cpus);
        outputField(20, "CPU frequency:", "%u MHz", info.mhz);
        outputField(20, "CPU socket(s):", "%u", info.sockets);
        outputField(20, "Core(s) per socket:", "%u", info.cores);
        outputField(20, "Thread(s) per core:", "%u", info.threads);
        outputField(20, "NUMA cell(s):", "%u", info.nodes);
        outputField(20, "Memory size:", "%lu KiB", info.memory);
        return EXIT_OK;
    }
    obj = json_object_new_object();
    json_object_object_add(obj, "cpu_model",
                           json_object_new_string(info.model));
    json_object_object_add(obj, "cpus", json_object_new_int64(info.cpus));
    json_object_object_add(obj, "cpu_mhz", json_object_new_int64(info.mhz));
    json_object_object_add(obj, "cpu_sockets",
                           json_object_new_int64(info.sockets));
    json_object_object_add(obj, "cores_per_socket",
                           json_object_new_int64(info.cores));
    json_object_object_add(obj, "threads_per_core",
                           json_object_new_int64(info.threads));
    json_object_object_add(obj, "numa_cells",
                           json_object_new_int64(info.nodes));
    json_object_object_add(obj, "memory_kib",
                           json_object_new_uint64(info.memory));
    return outputJSON(obj);
}
