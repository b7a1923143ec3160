/* cpupin.c: the <cputune> pin lists of a definition (vcpupin, iothreadpin) */
#include "cpupin.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

CpuPin *
cpupinFind(CpuPin *pins, size_t npins, unsigned int id)
{
    for (size_t i = 0; i < npins; i++) {
        if (pins[i].vcpu == id)
            return &pins[i];
    }
    return NULL;
}

void
cpupinSet(CpuPin **pins, size_t *npins, unsigned int id, const char *set)
{
    CpuPin *p = cpupinFind(*pins, *npins, id);

    if (!p) {
        allocResize(pins, *npins, *npins + 1, sizeof(**pins));
        p = &(*pins)[(*npins)++];
        p->vcpu = id;
    }
    free(p->cpuset);
    p->cpuset = allocStrdup(set);
}

void
cpupinRemove(CpuPin *pins, size_t *npins, unsigned int id)
{
    CpuPin *p = cpupinFind(pins, *npins, id);

    if (!p)
        return;
    free(p->cpuset);
    memmove(p, p + 1, (*npins - (size_t)(p - pins) - 1) * sizeof(*p));
    (*npins)--;
}

const char *
cpupinVcpuSet(const DomainDef *def, unsigned int id)
{
    CpuPin *p = cpupinFind(def->cputune.vcpupin, def->cputune.nvcpupin, id);

    return p ? p->cpuset : def->cpuset;
}
