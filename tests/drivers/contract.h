/* contract.h: the table of generated calls used by test-contract.c */
#pragma once

#include <stddef.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "object.h"
#include "driver.h"

typedef enum {
    CONTRACT_INVALID,   /* first argument NULL: invalid-object error */
    CONTRACT_NULL,      /* a required pointer argument NULL: INVALID_ARG */
    CONTRACT_FLAGS,     /* unknown flag bits: INVALID_ARG */
    CONTRACT_SCRATCH,   /* plausible arguments: NO_SUPPORT if no slot */
} ContractMode;

typedef struct {
    const char *name;
    ObjectKind kind;
    ContractMode mode;
    /* Make the call on OBJ; store the raw result in *RV; return 1 when the
     * call returned its error value. */
    int (*call)(void *obj, long long *rv);
    long slot;          /* offsetof(Driver, slot), or -1 for Free/Ref */
} ContractCase;

extern const ContractCase contractCases[];

/* Zeroed memory handed to calls as "some valid pointer". */
extern long long scratch[4096];

/* Release what a call returned on an unexpected success. */
void contractRelease(const char *type, void *p);
