/* test_save.c: save and restore images, managed save, core dumps */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_priv.h"

/* Slots of saving and dumping (called by testCoreFill). */
void
testSaveFill(Driver *drv)
{
    (void)drv;
}
