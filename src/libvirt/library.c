/* library.c: library-wide calls: initialisation and versions */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "driver.h"
#include "entry.h"

#include <string.h>

int
virInitialize(void)
{
    ENTRY_START();
    driverInitAll();
    return 0;
}

int
virGetVersion(unsigned long *libVer, const char *type,
              unsigned long *typeVer)
{
    ENTRY_START();
    driverInitAll();
    if (!libVer) {
        entryBadArg(__func__, "libVer");
        entryFail(NULL, __func__);
        return -1;
    }
    *libVer = LIBVIR_VERSION_NUMBER;
    if (typeVer) {
        if (type && strcmp(type, "Test") != 0 && strcmp(type, "QEMU") != 0) {
            errorReport(ERROR_DOMAIN, VIR_ERR_NO_SUPPORT, __func__,
                        "hypervisor type '%s' is not supported", type);
            entryFail(NULL, __func__);
            return -1;
        }
        *typeVer = LIBVIR_VERSION_NUMBER;
    }
    return 0;
}
