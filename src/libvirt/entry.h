/* entry.h: what every public entry point uses: reset, validate, fail */
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "error.h"

/* The first thing each public function does. */
#define ENTRY_START() errorReset()

/* Called by a public entry point on its failure path: makes sure an error is
 * set (naming FUNC if the callee forgot), stores a copy on CONN (may be NULL)
 * for virConnGetLastError, and runs the connection's or global error
 * handler. */
void entryFail(virConnectPtr conn, const char *func);

/* Report VIR_ERR_INVALID_ARG for a bad argument ARGNAME of FUNC. */
void entryBadArg(const char *func, const char *argname);

/* Report unknown bits in FLAGS (those outside ALLOWED) as VIR_ERR_INVALID_ARG.
 * Returns 0 when FLAGS is fine, -1 after reporting. */
int entryCheckFlags(const char *func, unsigned int flags, unsigned int allowed);

/* Report VIR_ERR_OPERATION_DENIED when CONN is read-only. Returns 0 or -1. */
int entryCheckWritable(virConnectPtr conn, const char *func);

/* Report VIR_ERR_NO_SUPPORT for FUNC on CONN's driver (CONN may be NULL). */
void entryNoSupport(virConnectPtr conn, const char *func);
