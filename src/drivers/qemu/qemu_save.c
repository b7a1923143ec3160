/* qemu_save.c: the QEMU driver's save family (see qemu_priv.h) */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"

void
qemuSaveFill(Driver *drv)
{
    (void)drv;
}
