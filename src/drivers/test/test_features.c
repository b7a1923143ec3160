/* test_features.c: fills in the test driver's feature slots (see test_priv.h) */
#include "test_priv.h"

void
testFeaturesFill(Driver *drv)
{
    (void)drv;
}
