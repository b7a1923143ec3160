/* cpupin.h: the <cputune> pin lists of a definition (vcpupin, iothreadpin) */
#pragma once

#include "domain.h"

/* The pin of ID in PINS (NPINS long), or NULL. Borrowed. */
CpuPin *cpupinFind(CpuPin *pins, size_t npins, unsigned int id);
/* Pin ID to the cpuset string SET (copied), adding or replacing its entry. */
void cpupinSet(CpuPin **pins, size_t *npins, unsigned int id, const char *set);
/* Drop the pin of ID, if any. */
void cpupinRemove(CpuPin *pins, size_t *npins, unsigned int id);
/* The CPUs vCPU ID of DEF may use: its pin, else <vcpu cpuset>, else NULL
 * (all host CPUs). Borrowed. */
const char *cpupinVcpuSet(const DomainDef *def, unsigned int id);
