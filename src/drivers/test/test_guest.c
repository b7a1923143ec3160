/* test_guest.c: placeholder */
#include "test_features.h"

void
testGuestFill(Driver *drv)
{
    (void)drv;
}
