/* test_streams.c: placeholder */
#include "test_features.h"

void
testStreamsFill(Driver *drv)
{
    (void)drv;
}
