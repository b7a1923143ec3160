/* qemu_tune.c: the QEMU driver's tune family (see qemu_priv.h) */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"

void
qemuTuneFill(Driver *drv)
{
    (void)drv;
}
