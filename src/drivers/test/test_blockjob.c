/* test_blockjob.c: placeholder */
#include "test_features.h"

void
testBlockJobFill(Driver *drv)
{
    (void)drv;
}

void
testJobsFree(TestJobs *j)
{
    (void)j;
}

bool
testBlockJobBusy(TestDomain *d, const char *dst)
{
    (void)d; (void)dst;
    return false;
}
