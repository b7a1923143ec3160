/* typedparam.h: typed parameter arrays: add, look up, validate, copy, print */
#pragma once

#include <stdbool.h>
#include <libvirt/libvirt.h>

/* One entry of the table a driver passes to typedParamsValidate; the table
 * ends with an entry whose NAME is NULL. */
typedef struct {
    const char *name;   /* a VIR_DOMAIN_* / VIR_NODE_* parameter name */
    int type;           /* VIR_TYPED_PARAM_* */
    bool multiple;      /* may appear more than once (string lists) */
} TypedParamSpec;

/* The name of a VIR_TYPED_PARAM_* value ("int", "ullong", ...), "unknown" for
 * anything else. Static string. */
const char *typedParamTypeName(int type);

/* The first entry called NAME in PARAMS, or NULL (no error is reported).
 * PARAMS may be NULL when NPARAMS is 0. */
virTypedParameterPtr typedParamsGet(virTypedParameterPtr params, int nparams,
                                    const char *name);

/* Look up NAME and store its value in *VALUE (VALUE may be NULL to test
 * presence and type). Strings are borrowed from PARAMS. Return 1 when found,
 * 0 when absent, -1 with VIR_ERR_INVALID_ARG when it has another type. */
int typedParamsGetInt(virTypedParameterPtr params, int nparams,
                      const char *name, int *value);
int typedParamsGetUInt(virTypedParameterPtr params, int nparams,
                       const char *name, unsigned int *value);
int typedParamsGetLLong(virTypedParameterPtr params, int nparams,
                        const char *name, long long *value);
int typedParamsGetULLong(virTypedParameterPtr params, int nparams,
                         const char *name, unsigned long long *value);
int typedParamsGetDouble(virTypedParameterPtr params, int nparams,
                         const char *name, double *value);
int typedParamsGetBoolean(virTypedParameterPtr params, int nparams,
                          const char *name, int *value);
int typedParamsGetString(virTypedParameterPtr params, int nparams,
                         const char *name, const char **value);

/* Append a parameter NAME to the array *PARAMS holding *NPARAMS entries in
 * room for *MAXPARAMS; the array grows (and *MAXPARAMS with it) as needed,
 * starting from NULL/0/0. A name already present is accepted, as libvirt
 * does (bindings pass lists that way); callers that must refuse duplicates
 * run typedParamsValidate. Strings are copied. Return 0, or -1 with
 * VIR_ERR_INVALID_ARG when NAME is longer than VIR_TYPED_PARAM_FIELD_LENGTH-1
 * (nothing is added then). */
int typedParamsAddInt(virTypedParameterPtr *params, int *nparams,
                      int *maxparams, const char *name, int value);
int typedParamsAddUInt(virTypedParameterPtr *params, int *nparams,
                       int *maxparams, const char *name, unsigned int value);
int typedParamsAddLLong(virTypedParameterPtr *params, int *nparams,
                        int *maxparams, const char *name, long long value);
int typedParamsAddULLong(virTypedParameterPtr *params, int *nparams,
                         int *maxparams, const char *name,
                         unsigned long long value);
int typedParamsAddDouble(virTypedParameterPtr *params, int *nparams,
                         int *maxparams, const char *name, double value);
int typedParamsAddBoolean(virTypedParameterPtr *params, int *nparams,
                          int *maxparams, const char *name, int value);
/* VALUE must not be NULL. */
int typedParamsAddString(virTypedParameterPtr *params, int *nparams,
                         int *maxparams, const char *name, const char *value);

/* Add one string entry called NAME per element of the NULL-terminated VALUES
 * (none when VALUES is NULL). Return 0, or -1 after reporting; entries added
 * before the failure stay. */
int typedParamsAddStringList(virTypedParameterPtr *params, int *nparams,
                             int *maxparams, const char *name,
                             const char **values);

/* Add NAME of TYPE with its value parsed from the text VALUE: decimal
 * integers (no sign for unsigned types), a double, "true"/"false"/"1"/"0"
 * (any case) for booleans, or the string itself. Return 0, or -1 with
 * VIR_ERR_INVALID_ARG for a bad number, an unknown TYPE or a long NAME. */
int typedParamsAddFromString(virTypedParameterPtr *params, int *nparams,
                             int *maxparams, const char *name, int type,
                             const char *value);

/* Free the strings held by the first NPARAMS entries and zero them; the
 * array itself stays. Accepts NULL. */
void typedParamsClear(virTypedParameterPtr params, int nparams);
/* typedParamsClear, then free the array. Accepts NULL. */
void typedParamsFree(virTypedParameterPtr params, int nparams);

/* Check PARAMS against SPEC (ended by a NULL name): each entry must be named
 * in SPEC, have its type, and appear once unless SPEC marks it multiple;
 * names must be terminated and strings non-NULL. Return 0, or -1 with
 * VIR_ERR_INVALID_ARG naming the first offending parameter. */
int typedParamsValidate(const virTypedParameter *params, int nparams,
                        const TypedParamSpec *spec);

/* Fill a caller-sized output array the way libvirt's get-parameter calls do:
 * when *NDST is 0 only set it to NSRC (how many there are); otherwise deep-copy
 * the first min(*NDST, NSRC) entries of SRC into DST (whose old content is
 * overwritten, not freed) and set *NDST to that count. Copied strings belong
 * to the caller. Return 0, or -1 with VIR_ERR_INVALID_ARG when *NDST < 0 or
 * DST is NULL with *NDST > 0. */
int typedParamsFillOut(virTypedParameterPtr dst, int *ndst,
                       const virTypedParameter *src, int nsrc);

/* A deep copy of the NSRC entries of SRC (caller frees it with
 * typedParamsFree), or NULL when NSRC <= 0. Never fails. */
virTypedParameterPtr typedParamsCopy(const virTypedParameter *src, int nsrc);

/* The value of P as text: integers in decimal, doubles as "%f", booleans as
 * "yes"/"no", strings as they are. Caller frees the result. Return NULL with
 * VIR_ERR_INTERNAL_ERROR when P has an unknown type. */
char *typedParamsToString(const virTypedParameter *p);
