/* driver.h: the driver vtable and the registry of drivers */
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt-lxc.h>

#include "object.h"
#include "driver-slots.h"

/* What a driver's open says about a URI. */
typedef enum {
    DRIVER_OPEN_DECLINED = 0,   /* not ours: try the next driver */
    DRIVER_OPEN_SUCCESS = 1,
    DRIVER_OPEN_ERROR = -1,     /* ours, but failed (error reported) */
} DriverOpenResult;

struct _Driver {
    const char *name;           /* "test", "QEMU": used in messages */
    /* Claim and open URI for CONN (conn->flags has VIR_CONNECT_RO); set
     * conn->privateData. AUTH may be NULL. */
    DriverOpenResult (*open)(virConnectPtr conn, const char *uri,
                             virConnectAuthPtr auth, unsigned int flags);
    /* Release conn->privateData; called once, on the last reference. */
    void (*close)(virConnectPtr conn);
    /* Stats for a list of domains of this connection (virDomainListGetStats). */
    int (*domainListGetStats)(virDomainPtr *doms, unsigned int stats,
                              virDomainStatsRecordPtr **retStats,
                              unsigned int flags);
    DRIVER_SLOTS
};

/* A stats record for DOM (its reference is taken over) holding a copy of
 * the N entries of PARAMS in the same allocation (the strings of string
 * entries are taken over too); virDomainStatsRecordListFree frees it.
 * Records may also be built by hand, with separately allocated params. */
virDomainStatsRecordPtr statsRecordNew(virDomainPtr dom,
                                       const virTypedParameter *params,
                                       int n);

/* Add DRIVER to the registry (drivers are tried in registration order). */
void driverRegister(const Driver *driver);
/* Register the built-in drivers once (thread-safe). */
void driverInitAll(void);
/* The registered drivers, NULL-terminated; borrowed. */
const Driver *const *driverList(void);
