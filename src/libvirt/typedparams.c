/* typedparams.c: public virTypedParams* entry points over util/typedparam.c */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "entry.h"
#include "typedparam.h"

/*
 * virTypedParamsGet, virTypedParamsClear and virTypedParamsFree leave the
 * thread's last error alone, as libvirt's do: bindings free their parameter
 * arrays on the failure path of another call and only then read the error
 * (python3-libvirt does exactly this), so resetting it here would turn every
 * such failure into "unknown error". They report nothing either.
 */

/* Check the array arguments shared by the Add functions. */
static int
typedParamsCheckAdd(const char *func, virTypedParameterPtr *params,
                    int *nparams, int *maxparams, const char *name)
{
    if (!params) {
        entryBadArg(func, "params");
        return -1;
    }
    if (!nparams || *nparams < 0 || (!*params && *nparams > 0)) {
        entryBadArg(func, "nparams");
        return -1;
    }
    if (!maxparams || *maxparams < 0) {
        entryBadArg(func, "maxparams");
        return -1;
    }
    if (!name) {
        entryBadArg(func, "name");
        return -1;
    }
    return 0;
}

/* Check the arguments shared by the typed Get functions. */
static int
typedParamsCheckGet(const char *func, int nparams, const char *name)
{
    if (nparams < 0) {
        entryBadArg(func, "nparams");
        return -1;
    }
    if (!name) {
        entryBadArg(func, "name");
        return -1;
    }
    return 0;
}

/* Public: the entry called NAME or NULL; never reports an error. */
virTypedParameterPtr
virTypedParamsGet(virTypedParameterPtr params, int nparams, const char *name)
{
    return typedParamsGet(params, nparams, name);
}

/* Public: look up an int parameter; 1 found, 0 absent, -1 error. */
int
virTypedParamsGetInt(virTypedParameterPtr params, int nparams,
                     const char *name, int *value)
{
    int rc = -1;

    ENTRY_START();
    if (typedParamsCheckGet(__func__, nparams, name) < 0 ||
        (rc = typedParamsGetInt(params, nparams, name, value)) < 0)
        entryFail(NULL, __func__);
    return rc;
}

/* Public: look up an unsigned int parameter; 1 found, 0 absent, -1 error. */
int
virTypedParamsGetUInt(virTypedParameterPtr params, int nparams,
                      const char *name, unsigned int *value)
{
    int rc = -1;

    ENTRY_START();
    if (typedParamsCheckGet(__func__, nparams, name) < 0 ||
        (rc = typedParamsGetUInt(params, nparams, name, value)) < 0)
        entryFail(NULL, __func__);
    return rc;
}

/* Public: look up a long long parameter; 1 found, 0 absent, -1 error. */
int
virTypedParamsGetLLong(virTypedParameterPtr params, int nparams,
                       const char *name, long long *value)
{
    int rc = -1;

    ENTRY_START();
    if (typedParamsCheckGet(__func__, nparams, name) < 0 ||
        (rc = typedParamsGetLLong(params, nparams, name, value)) < 0)
        entryFail(NULL, __func__);
    return rc;
}

/* Public: look up an unsigned long long parameter; 1, 0 or -1. */
int
virTypedParamsGetULLong(virTypedParameterPtr params, int nparams,
                        const char *name, unsigned long long *value)
{
    int rc = -1;

    ENTRY_START();
    if (typedParamsCheckGet(__func__, nparams, name) < 0 ||
        (rc = typedParamsGetULLong(params, nparams, name, value)) < 0)
        entryFail(NULL, __func__);
    return rc;
}

/* Public: look up a double parameter; 1 found, 0 absent, -1 error. */
int
virTypedParamsGetDouble(virTypedParameterPtr params, int nparams,
                        const char *name, double *value)
{
    int rc = -1;

    ENTRY_START();
    if (typedParamsCheckGet(__func__, nparams, name) < 0 ||
        (rc = typedParamsGetDouble(params, nparams, name, value)) < 0)
        entryFail(NULL, __func__);
    return rc;
}

/* Public: look up a boolean parameter; 1 found, 0 absent, -1 error. */
int
virTypedParamsGetBoolean(virTypedParameterPtr params, int nparams,
                         const char *name, int *value)
{
    int rc = -1;

    ENTRY_START();
    if (typedParamsCheckGet(__func__, nparams, name) < 0 ||
        (rc = typedParamsGetBoolean(params, nparams, name, value)) < 0)
        entryFail(NULL, __func__);
    return rc;
}

/* Public: look up a string parameter (borrowed); 1, 0 or -1. */
int
virTypedParamsGetString(virTypedParameterPtr params, int nparams,
                        const char *name, const char **value)
{
    int rc = -1;

    ENTRY_START();
    if (typedParamsCheckGet(__func__, nparams, name) < 0 ||
        (rc = typedParamsGetString(params, nparams, name, value)) < 0)
        entryFail(NULL, __func__);
    return rc;
}

/* Public: append an int parameter, growing the array; 0 or -1. */
int
virTypedParamsAddInt(virTypedParameterPtr *params, int *nparams,
                     int *maxparams, const char *name, int value)
{
    ENTRY_START();
    if (typedParamsCheckAdd(__func__, params, nparams, maxparams, name) < 0 ||
        typedParamsAddInt(params, nparams, maxparams, name, value) < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Public: append an unsigned int parameter, growing the array; 0 or -1. */
int
virTypedParamsAddUInt(virTypedParameterPtr *params, int *nparams,
                      int *maxparams, const char *name, unsigned int value)
{
    ENTRY_START();
    if (typedParamsCheckAdd(__func__, params, nparams, maxparams, name) < 0 ||
        typedParamsAddUInt(params, nparams, maxparams, name, value) < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Public: append a long long parameter, growing the array; 0 or -1. */
int
virTypedParamsAddLLong(virTypedParameterPtr *params, int *nparams,
                       int *maxparams, const char *name, long long value)
{
    ENTRY_START();
    if (typedParamsCheckAdd(__func__, params, nparams, maxparams, name) < 0 ||
        typedParamsAddLLong(params, nparams, maxparams, name, value) < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Public: append an unsigned long long parameter; 0 or -1. */
int
virTypedParamsAddULLong(virTypedParameterPtr *params, int *nparams,
                        int *maxparams, const char *name,
                        unsigned long long value)
{
    ENTRY_START();
    if (typedParamsCheckAdd(__func__, params, nparams, maxparams, name) < 0 ||
        typedParamsAddULLong(params, nparams, maxparams, name, value) < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Public: append a double parameter, growing the array; 0 or -1. */
int
virTypedParamsAddDouble(virTypedParameterPtr *params, int *nparams,
                        int *maxparams, const char *name, double value)
{
    ENTRY_START();
    if (typedParamsCheckAdd(__func__, params, nparams, maxparams, name) < 0 ||
        typedParamsAddDouble(params, nparams, maxparams, name, value) < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Public: append a boolean parameter, growing the array; 0 or -1. */
int
virTypedParamsAddBoolean(virTypedParameterPtr *params, int *nparams,
                         int *maxparams, const char *name, int value)
{
    ENTRY_START();
    if (typedParamsCheckAdd(__func__, params, nparams, maxparams, name) < 0 ||
        typedParamsAddBoolean(params, nparams, maxparams, name, value) < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Public: append a copy of a string parameter; 0 or -1. */
int
virTypedParamsAddString(virTypedParameterPtr *params, int *nparams,
                        int *maxparams, const char *name, const char *value)
{
    ENTRY_START();
    if (typedParamsCheckAdd(__func__, params, nparams, maxparams, name) < 0 ||
        typedParamsAddString(params, nparams, maxparams, name, value) < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Public: append one string entry NAME per element of VALUES; 0 or -1. */
int
virTypedParamsAddStringList(virTypedParameterPtr *params, int *nparams,
                            int *maxparams, const char *name,
                            const char **values)
{
    ENTRY_START();
    if (typedParamsCheckAdd(__func__, params, nparams, maxparams, name) < 0 ||
        typedParamsAddStringList(params, nparams, maxparams,
                                 name, values) < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Public: append a parameter of TYPE parsed from VALUE; 0 or -1. */
int
virTypedParamsAddFromString(virTypedParameterPtr *params, int *nparams,
                            int *maxparams, const char *name, int type,
                            const char *value)
{
    ENTRY_START();
    if (typedParamsCheckAdd(__func__, params, nparams, maxparams, name) < 0 ||
        typedParamsAddFromString(params, nparams, maxparams,
                                 name, type, value) < 0) {
        entryFail(NULL, __func__);
        return -1;
    }
    return 0;
}

/* Public: free the strings in PARAMS and zero them; accepts NULL. */
void
virTypedParamsClear(virTypedParameterPtr params, int nparams)
{
    typedParamsClear(params, nparams);
}

/* Public: free the strings and the array; accepts NULL. */
void
virTypedParamsFree(virTypedParameterPtr params, int nparams)
{
    typedParamsFree(params, nparams);
}
