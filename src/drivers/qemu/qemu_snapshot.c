/* qemu_snapshot.c: the QEMU driver's snapshot family (see qemu_priv.h) */
#define ERROR_DOMAIN VIR_FROM_QEMU

#include "qemu_priv.h"

void
qemuSnapshotFill(Driver *drv)
{
    (void)drv;
}
