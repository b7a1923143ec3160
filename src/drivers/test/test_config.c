/* test_config.c: memory, vcpus, metadata, names: live and config changes */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_priv.h"

/* Slots of configuration changes (called by testCoreFill). */
void
testConfigFill(Driver *drv)
{
    (void)drv;
}
