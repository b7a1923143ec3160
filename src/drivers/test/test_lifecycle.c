/* test_lifecycle.c: define, undefine, start, stop, pause: the state machine */
#define ERROR_DOMAIN VIR_FROM_TEST

#include "test_priv.h"
#include "alloc.h"
#include "error.h"

#include <string.h>

/* Move DOM between running and paused, emitting the lifecycle event. */
static int
testDomainSetPaused(virDomainPtr dom, bool pause)
{
    TestHost *h;
    TestDomain *d;
    int from = pause ? VIR_DOMAIN_RUNNING : VIR_DOMAIN_PAUSED;

    if (!(d = testDomainAcquire(dom, &h)))
        return -1;
    if (d->state != from) {
        reportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is %s",
                    d->def->name,
                    pause ? (d->state == VIR_DOMAIN_PAUSED ? "already paused"
                                                          : "not running")
                          : "not paused");
        testHostUnlock(h);
        return -1;
    }
    testDomainSetState(d, pause ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING,
                       pause ? VIR_DOMAIN_PAUSED_USER
                             : VIR_DOMAIN_RUNNING_UNPAUSED);
    testEventLifecycle(dom->conn, d,
                       pause ? VIR_DOMAIN_EVENT_SUSPENDED
                             : VIR_DOMAIN_EVENT_RESUMED,
                       pause ? VIR_DOMAIN_EVENT_SUSPENDED_PAUSED
                             : VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    testHostUnlock(h);
    return 0;
}

static int
testDomainSuspend(virDomainPtr dom)
{
    return testDomainSetPaused(dom, true);
}

static int
testDomainResume(virDomainPtr dom)
{
    return testDomainSetPaused(dom, false);
}

/* Slots of the state machine (called by testCoreFill). */
void
testLifecycleFill(Driver *drv)
{
    drv->domainSuspend = testDomainSuspend;
    drv->domainResume = testDomainResume;
}
