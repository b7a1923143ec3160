/* domain-events.h: domain event callbacks and the queue drivers feed */
#pragma once

#include "object.h"

/* One domain event. Which fields mean what depends on eventID (see
 * domain-events.c, domainEventCall); unused fields stay zero/NULL. */
typedef struct {
    int eventID;                /* VIR_DOMAIN_EVENT_ID_* */
    virDomainPtr dom;           /* holds a reference */
    int i1, i2, i3;
    long long l1;
    unsigned long long u1, u2;
    char *s1, *s2, *s3;
    virTypedParameterPtr params;
    int nparams;
    /* graphics events only */
    virDomainEventGraphicsAddress local, remote;
    virDomainEventGraphicsSubject subject;
} DomainEvent;

/* New event of EVENTID about DOM (a reference is taken). */
DomainEvent *domainEventNew(virDomainPtr dom, int eventID);
/* Free EV and everything it holds (strings, params, the domain reference). */
void domainEventFree(DomainEvent *ev);
/* Queue EV for delivery from the event loop to the callbacks registered on
 * DOM's connection. Takes ownership of EV. Safe from any thread. */
void domainEventQueue(DomainEvent *ev);

/* Shorthands for the common ones (a reference on DOM is taken). */
void domainEventLifecycle(virDomainPtr dom, int event, int detail);
void domainEventSimple(virDomainPtr dom, int eventID);
