/* qemu_block.c: the QEMU driver's block family (see qemu_priv.h) */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"

void
qemuBlockFill(Driver *drv)
{
    (void)drv;
}
