/* list-domains.c: a small libvirt client: open a URI and print its domains */
#include <stdio.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static const char *
stateName(int state)
{
    static const char *names[] = {
        "no state", "running", "blocked", "paused", "shutting down",
        "shut off", "crashed", "pmsuspended",
    };

    return state >= 0 && state < (int)(sizeof(names) / sizeof(names[0]))
           ? names[state] : "unknown";
}

static void
quiet(void *opaque, virErrorPtr err)
{
    /* errors are printed by the caller below */
}

int
main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    virConnectPtr conn;
    virDomainPtr *doms = NULL;
    unsigned long ver = 0;
    int n;

    virSetErrorFunc(NULL, quiet);
    if (!(conn = virConnectOpenReadOnly(uri))) {
        fprintf(stderr, "cannot open %s: %s\n", uri, virGetLastErrorMessage());
        return EXIT_FAILURE;
    }
    virConnectGetLibVersion(conn, &ver);
    printf("connected to %s (%s driver, libvirt API %lu.%lu.%lu)\n", uri,
           virConnectGetType(conn), ver / 1000000, ver / 1000 % 1000,
           ver % 1000);
    if ((n = virConnectListAllDomains(conn, &doms, 0)) < 0) {
        fprintf(stderr, "cannot list domains: %s\n", virGetLastErrorMessage());
        virConnectClose(conn);
        return EXIT_FAILURE;
    }
    printf(" %-4s %-20s %-10s %8s %s\n", "Id", "Name", "State", "Memory",
           "vCPUs");
    for (int i = 0; i < n; i++) {
        virDomainInfo info;
        int id = (int)virDomainGetID(doms[i]);

        char idstr[16] = "-";

        if (id > 0)
            snprintf(idstr, sizeof(idstr), "%d", id);
        if (virDomainGetInfo(doms[i], &info) == 0)
            printf(" %-4s %-20s %-10s %5lu MiB %u\n",
                   idstr, virDomainGetName(doms[i]),
                   stateName(info.state), info.memory / 1024,
                   info.nrVirtCpu);
        virDomainFree(doms[i]);
    }
    free(doms);
    virConnectClose(conn);
    return EXIT_SUCCESS;
}
