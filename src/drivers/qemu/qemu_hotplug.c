/* qemu_hotplug.c: the QEMU driver's hotplug family (see qemu_priv.h) */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"

void
qemuHotplugFill(Driver *drv)
{
    (void)drv;
}
