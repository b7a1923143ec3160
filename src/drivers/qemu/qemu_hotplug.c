/* qemu_hotplug.c: the QEMU driver's hotplug family (see qemu_priv.h) */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"

void
qemuHotplugDeviceDeleted(QemuDom *d, json_object *data)
{
    (void)d;
    (void)data;
}

void
qemuHotplugUnplugError(QemuDom *d, json_object *data)
{
    (void)d;
    (void)data;
}

void
qemuHotplugBalloonChange(QemuDom *d, json_object *data)
{
    (void)d;
    (void)data;
}

void
qemuHotplugTrayMoved(QemuDom *d, json_object *data)
{
    (void)d;
    (void)data;
}

void
qemuHotplugFill(Driver *drv)
{
    (void)drv;
}
