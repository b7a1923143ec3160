/* typedparam.c: typed parameter arrays: add, look up, validate, copy, print */
#define ERROR_DOMAIN VIR_FROM_NONE

#include "typedparam.h"
#include "alloc.h"
#include "error.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const typedParamTypeNames[] = {
    [VIR_TYPED_PARAM_INT] = "int",
    [VIR_TYPED_PARAM_UINT] = "uint",
    [VIR_TYPED_PARAM_LLONG] = "llong",
    [VIR_TYPED_PARAM_ULLONG] = "ullong",
    [VIR_TYPED_PARAM_DOUBLE] = "double",
    [VIR_TYPED_PARAM_BOOLEAN] = "boolean",
    [VIR_TYPED_PARAM_STRING] = "string",
};

#define TYPED_PARAM_NTYPES \
    ((int)(sizeof(typedParamTypeNames) / sizeof(typedParamTypeNames[0])))

/* Name of TYPE for messages; "unknown" outside the enum. */
const char *
typedParamTypeName(int type)
{
    if (type <= 0 || type >= TYPED_PARAM_NTYPES)
        return "unknown";
    return typedParamTypeNames[type];
}

/* Linear search by name; names that cannot fit in a field never match. */
virTypedParameterPtr
typedParamsGet(virTypedParameterPtr params, int nparams, const char *name)
{
    int i;

    if (!params || !name || strlen(name) >= VIR_TYPED_PARAM_FIELD_LENGTH)
        return NULL;
    for (i = 0; i < nparams; i++) {
        /* bounded: a field from outside may lack its terminator */
        if (strncmp(params[i].field, name, VIR_TYPED_PARAM_FIELD_LENGTH) == 0)
            return &params[i];
    }
    return NULL;
}

/* Find NAME and check it has TYPE; *FOUND is set when 1 is returned. */
static int
typedParamsGetTyped(virTypedParameterPtr params, int nparams,
                    const char *name, int type, virTypedParameterPtr *found)
{
    virTypedParameterPtr p = typedParamsGet(params, nparams, name);

    if (!p)
        return 0;
    if (p->type != type) {
        reportError(VIR_ERR_INVALID_ARG,
                    "parameter '%s' has type '%s', requested as '%s'",
                    name, typedParamTypeName(p->type),
                    typedParamTypeName(type));
        return -1;
    }
    *found = p;
    return 1;
}

/* Look up an int parameter; see typedparam.h. */
int
typedParamsGetInt(virTypedParameterPtr params, int nparams,
                  const char *name, int *value)
{
    virTypedParameterPtr p = NULL;
    int rc = typedParamsGetTyped(params, nparams, name,
                                 VIR_TYPED_PARAM_INT, &p);

    if (rc == 1 && value)
        *value = p->value.i;
    return rc;
}

/* Look up an unsigned int parameter; see typedparam.h. */
int
typedParamsGetUInt(virTypedParameterPtr params, int nparams,
                   const char *name, unsigned int *value)
{
    virTypedParameterPtr p = NULL;
    int rc = typedParamsGetTyped(params, nparams, name,
                                 VIR_TYPED_PARAM_UINT, &p);

    if (rc == 1 && value)
        *value = p->value.ui;
    return rc;
}

/* Look up a long long parameter; see typedparam.h. */
int
typedParamsGetLLong(virTypedParameterPtr params, int nparams,
                    const char *name, long long *value)
{
    virTypedParameterPtr p = NULL;
    int rc = typedParamsGetTyped(params, nparams, name,
                                 VIR_TYPED_PARAM_LLONG, &p);

    if (rc == 1 && value)
        *value = p->value.l;
    return rc;
}

/* Look up an unsigned long long parameter; see typedparam.h. */
int
typedParamsGetULLong(virTypedParameterPtr params, int nparams,
                     const char *name, unsigned long long *value)
{
    virTypedParameterPtr p = NULL;
    int rc = typedParamsGetTyped(params, nparams, name,
                                 VIR_TYPED_PARAM_ULLONG, &p);

    if (rc == 1 && value)
        *value = p->value.ul;
    return rc;
}

/* Look up a double parameter; see typedparam.h. */
int
typedParamsGetDouble(virTypedParameterPtr params, int nparams,
                     const char *name, double *value)
{
    virTypedParameterPtr p = NULL;
    int rc = typedParamsGetTyped(params, nparams, name,
                                 VIR_TYPED_PARAM_DOUBLE, &p);

    if (rc == 1 && value)
        *value = p->value.d;
    return rc;
}

/* Look up a boolean parameter (stored as 0/1); see typedparam.h. */
int
typedParamsGetBoolean(virTypedParameterPtr params, int nparams,
                      const char *name, int *value)
{
    virTypedParameterPtr p = NULL;
    int rc = typedParamsGetTyped(params, nparams, name,
                                 VIR_TYPED_PARAM_BOOLEAN, &p);

    if (rc == 1 && value)
        *value = !!p->value.b;
    return rc;
}

/* Look up a string parameter, borrowed from PARAMS; see typedparam.h. */
int
typedParamsGetString(virTypedParameterPtr params, int nparams,
                     const char *name, const char **value)
{
    virTypedParameterPtr p = NULL;
    int rc = typedParamsGetTyped(params, nparams, name,
                                 VIR_TYPED_PARAM_STRING, &p);

    if (rc == 1 && value)
        *value = p->value.s;
    return rc;
}

/* Make room for one more entry and name it; the caller sets the value and
 * then counts it in *NPARAMS. NULL after reporting a bad name. */
static virTypedParameterPtr
typedParamsAppend(virTypedParameterPtr *params, int *nparams, int *maxparams,
                  const char *name, int type)
{
    size_t cap = *params ? (size_t)*maxparams : 0;
    size_t n = *nparams;
    virTypedParameterPtr p;

    if (strlen(name) >= VIR_TYPED_PARAM_FIELD_LENGTH) {
        reportError(VIR_ERR_INVALID_ARG,
                    "parameter name '%s' is longer than %d characters",
                    name, VIR_TYPED_PARAM_FIELD_LENGTH - 1);
        return NULL;
    }
    if (n >= INT_MAX) {
        reportError(VIR_ERR_INVALID_ARG,
                    "cannot add parameter '%s': array is full", name);
        return NULL;
    }
    if (n >= cap) {
        /* the caller may hold more entries than *maxparams claims; never
         * shrink below what it has */
        size_t want = cap > 4 ? cap * 2 : 8;

        if (want <= n)
            want = n + 1;
        if (want > INT_MAX)
            want = INT_MAX;
        allocResize(params, n, want, sizeof(**params));
        *maxparams = want;
    }
    p = &(*params)[n];
    memset(p, 0, sizeof(*p));
    strcpy(p->field, name);
    p->type = type;
    return p;
}

/* Append an int parameter; see typedparam.h. */
int
typedParamsAddInt(virTypedParameterPtr *params, int *nparams,
                  int *maxparams, const char *name, int value)
{
    virTypedParameterPtr p;

    if (!(p = typedParamsAppend(params, nparams, maxparams, name,
                                VIR_TYPED_PARAM_INT)))
        return -1;
    p->value.i = value;
    (*nparams)++;
    return 0;
}

/* Append an unsigned int parameter; see typedparam.h. */
int
typedParamsAddUInt(virTypedParameterPtr *params, int *nparams,
                   int *maxparams, const char *name, unsigned int value)
{
    virTypedParameterPtr p;

    if (!(p = typedParamsAppend(params, nparams, maxparams, name,
                                VIR_TYPED_PARAM_UINT)))
        return -1;
    p->value.ui = value;
    (*nparams)++;
    return 0;
}

/* Append a long long parameter; see typedparam.h. */
int
typedParamsAddLLong(virTypedParameterPtr *params, int *nparams,
                    int *maxparams, const char *name, long long value)
{
    virTypedParameterPtr p;

    if (!(p = typedParamsAppend(params, nparams, maxparams, name,
                                VIR_TYPED_PARAM_LLONG)))
        return -1;
    p->value.l = value;
    (*nparams)++;
    return 0;
}

/* Append an unsigned long long parameter; see typedparam.h. */
int
typedParamsAddULLong(virTypedParameterPtr *params, int *nparams,
                     int *maxparams, const char *name,
                     unsigned long long value)
{
    virTypedParameterPtr p;

    if (!(p = typedParamsAppend(params, nparams, maxparams, name,
                                VIR_TYPED_PARAM_ULLONG)))
        return -1;
    p->value.ul = value;
    (*nparams)++;
    return 0;
}

/* Append a double parameter; see typedparam.h. */
int
typedParamsAddDouble(virTypedParameterPtr *params, int *nparams,
                     int *maxparams, const char *name, double value)
{
    virTypedParameterPtr p;

    if (!(p = typedParamsAppend(params, nparams, maxparams, name,
                                VIR_TYPED_PARAM_DOUBLE)))
        return -1;
    p->value.d = value;
    (*nparams)++;
    return 0;
}

/* Append a boolean parameter (any nonzero VALUE is stored as 1). */
int
typedParamsAddBoolean(virTypedParameterPtr *params, int *nparams,
                      int *maxparams, const char *name, int value)
{
    virTypedParameterPtr p;

    if (!(p = typedParamsAppend(params, nparams, maxparams, name,
                                VIR_TYPED_PARAM_BOOLEAN)))
        return -1;
    p->value.b = !!value;
    (*nparams)++;
    return 0;
}

/* Append a copy of the string VALUE; see typedparam.h. */
int
typedParamsAddString(virTypedParameterPtr *params, int *nparams,
                     int *maxparams, const char *name, const char *value)
{
    virTypedParameterPtr p;

    if (!value) {
        reportError(VIR_ERR_INVALID_ARG,
                    "parameter '%s' has no string value", name);
        return -1;
    }
    if (!(p = typedParamsAppend(params, nparams, maxparams, name,
                                VIR_TYPED_PARAM_STRING)))
        return -1;
    p->value.s = allocStrdup(value);
    (*nparams)++;
    return 0;
}

/* Append one string entry per element of VALUES; see typedparam.h. */
int
typedParamsAddStringList(virTypedParameterPtr *params, int *nparams,
                         int *maxparams, const char *name,
                         const char **values)
{
    size_t i;

    for (i = 0; values && values[i]; i++) {
        if (typedParamsAddString(params, nparams, maxparams,
                                 name, values[i]) < 0)
            return -1;
    }
    return 0;
}

/* Parse a whole decimal integer in [MIN, MAX]. Returns 0 or -1 (nothing
 * reported). */
static int
typedParamParseSigned(const char *text, long long min, long long max,
                      long long *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Parse a whole unsigned decimal no larger than MAX; a minus sign (which
 * strtoull would silently wrap) is refused. Returns 0 or -1. */
static int
typedParamParseUnsigned(const char *text, unsigned long long max,
                        unsigned long long *out)
{
    char *end = NULL;
    unsigned long long v;

    if (strchr(text, '-'))
        return -1;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno || end == text || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Parse a whole double (overflow refused). Returns 0 or -1. */
static int
typedParamParseDouble(const char *text, double *out)
{
    char *end = NULL;
    double v;

    errno = 0;
    v = strtod(text, &end);
    if (errno == ERANGE || end == text || *end)
        return -1;
    *out = v;
    return 0;
}

/* Parse "true"/"false" (any case) or "1"/"0". Returns 0 or -1. */
static int
typedParamParseBoolean(const char *text, char *out)
{
    if (strcasecmp(text, "true") == 0 || strcmp(text, "1") == 0)
        *out = 1;
    else if (strcasecmp(text, "false") == 0 || strcmp(text, "0") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

/* Set P's value (P->type already set) from TEXT. -1 when TEXT does not
 * parse; the caller reports. */
static int
typedParamParseValue(virTypedParameterPtr p, const char *text)
{
    long long l;
    unsigned long long ul;

    switch (p->type) {
    case VIR_TYPED_PARAM_INT:
        if (typedParamParseSigned(text, INT_MIN, INT_MAX, &l) < 0)
            return -1;
        p->value.i = l;
        return 0;
    case VIR_TYPED_PARAM_UINT:
        if (typedParamParseUnsigned(text, UINT_MAX, &ul) < 0)
            return -1;
        p->value.ui = ul;
        return 0;
    case VIR_TYPED_PARAM_LLONG:
        return typedParamParseSigned(text, LLONG_MIN, LLONG_MAX,
                                     &p->value.l);
    case VIR_TYPED_PARAM_ULLONG:
        return typedParamParseUnsigned(text, ULLONG_MAX, &p->value.ul);
    case VIR_TYPED_PARAM_DOUBLE:
        return typedParamParseDouble(text, &p->value.d);
    case VIR_TYPED_PARAM_BOOLEAN:
        return typedParamParseBoolean(text, &p->value.b);
    case VIR_TYPED_PARAM_STRING:
        p->value.s = allocStrdup(text);
        return 0;
    }
    return -1;
}

/* Append NAME of TYPE parsed from VALUE; see typedparam.h. */
int
typedParamsAddFromString(virTypedParameterPtr *params, int *nparams,
                         int *maxparams, const char *name, int type,
                         const char *value)
{
    virTypedParameterPtr p;

    if (type <= 0 || type >= TYPED_PARAM_NTYPES) {
        reportError(VIR_ERR_INVALID_ARG,
                    "parameter '%s' has unknown type %d", name, type);
        return -1;
    }
    if (!value) {
        reportError(VIR_ERR_INVALID_ARG, "parameter '%s' has no value", name);
        return -1;
    }
    if (!(p = typedParamsAppend(params, nparams, maxparams, name, type)))
        return -1;
    if (typedParamParseValue(p, value) < 0) {
        reportError(VIR_ERR_INVALID_ARG,
                    "parameter '%s': '%s' is not a valid %s value",
                    name, value, typedParamTypeName(type));
        /* the slot was never counted; leave it blank */
        memset(p, 0, sizeof(*p));
        return -1;
    }
    (*nparams)++;
    return 0;
}

/* Free strings and zero the first NPARAMS entries; see typedparam.h. */
void
typedParamsClear(virTypedParameterPtr params, int nparams)
{
    int i;

    if (!params)
        return;
    for (i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            free(params[i].value.s);
        memset(&params[i], 0, sizeof(params[i]));
    }
}

/* Clear the entries and free the array; see typedparam.h. */
void
typedParamsFree(virTypedParameterPtr params, int nparams)
{
    typedParamsClear(params, nparams);
    free(params);
}

/* The entry of SPEC called NAME, or NULL. */
static const TypedParamSpec *
typedParamSpecFind(const TypedParamSpec *spec, const char *name)
{
    for (; spec && spec->name; spec++) {
        if (strcmp(spec->name, name) == 0)
            return spec;
    }
    return NULL;
}

/* Check entry I of PARAMS against SPEC and the entries before it. */
static int
typedParamValidateOne(const virTypedParameter *params, int i,
                      const TypedParamSpec *spec)
{
    const virTypedParameter *p = &params[i];
    const TypedParamSpec *s;
    int j;

    if (!memchr(p->field, '\0', sizeof(p->field))) {
        reportError(VIR_ERR_INVALID_ARG,
                    "parameter name '%.*s' is not terminated",
                    VIR_TYPED_PARAM_FIELD_LENGTH, p->field);
        return -1;
    }
    if (!(s = typedParamSpecFind(spec, p->field))) {
        reportError(VIR_ERR_INVALID_ARG,
                    "parameter '%s' is not supported", p->field);
        return -1;
    }
    if (p->type != s->type) {
        reportError(VIR_ERR_INVALID_ARG,
                    "parameter '%s' has type '%s', expected '%s'",
                    p->field, typedParamTypeName(p->type),
                    typedParamTypeName(s->type));
        return -1;
    }
    if (p->type == VIR_TYPED_PARAM_STRING && !p->value.s) {
        reportError(VIR_ERR_INVALID_ARG,
                    "parameter '%s' has no string value", p->field);
        return -1;
    }
    for (j = 0; j < i && !s->multiple; j++) {
        if (strcmp(params[j].field, p->field) == 0) {
            reportError(VIR_ERR_INVALID_ARG,
                        "parameter '%s' is set more than once", p->field);
            return -1;
        }
    }
    return 0;
}

/* Check PARAMS against SPEC; see typedparam.h. */
int
typedParamsValidate(const virTypedParameter *params, int nparams,
                    const TypedParamSpec *spec)
{
    int i;

    if (nparams < 0 || (nparams > 0 && !params)) {
        reportError(VIR_ERR_INVALID_ARG,
                    "invalid parameter array (%d entries)", nparams);
        return -1;
    }
    for (i = 0; i < nparams; i++) {
        if (typedParamValidateOne(params, i, spec) < 0)
            return -1;
    }
    return 0;
}

/* Deep-copy one entry into uninitialised DST. */
static void
typedParamCopyOne(virTypedParameterPtr dst, const virTypedParameter *src)
{
    *dst = *src;
    if (src->type == VIR_TYPED_PARAM_STRING)
        dst->value.s = allocStrdup(src->value.s);
}

/* Fill a caller-sized output array; see typedparam.h. */
int
typedParamsFillOut(virTypedParameterPtr dst, int *ndst,
                   const virTypedParameter *src, int nsrc)
{
    int i;
    int n;

    if (*ndst < 0 || (*ndst > 0 && !dst)) {
        reportError(VIR_ERR_INVALID_ARG,
                    "invalid output parameter array (%d entries)", *ndst);
        return -1;
    }
    if (nsrc < 0 || !src)
        nsrc = 0;
    if (*ndst == 0) {
        *ndst = nsrc;
        return 0;
    }
    n = *ndst < nsrc ? *ndst : nsrc;
    for (i = 0; i < n; i++)
        typedParamCopyOne(&dst[i], &src[i]);
    *ndst = n;
    return 0;
}

/* Deep copy of an array; see typedparam.h. */
virTypedParameterPtr
typedParamsCopy(const virTypedParameter *src, int nsrc)
{
    virTypedParameterPtr dst;
    int i;

    if (!src || nsrc <= 0)
        return NULL;
    ALLOC_N(dst, nsrc);
    for (i = 0; i < nsrc; i++)
        typedParamCopyOne(&dst[i], &src[i]);
    return dst;
}

/* The value of P as text; see typedparam.h. */
char *
typedParamsToString(const virTypedParameter *p)
{
    switch (p->type) {
    case VIR_TYPED_PARAM_INT:
        return allocPrintf("%d", p->value.i);
    case VIR_TYPED_PARAM_UINT:
        return allocPrintf("%u", p->value.ui);
    case VIR_TYPED_PARAM_LLONG:
        return allocPrintf("%lld", p->value.l);
    case VIR_TYPED_PARAM_ULLONG:
        return allocPrintf("%llu", p->value.ul);
    case VIR_TYPED_PARAM_DOUBLE:
        return allocPrintf("%f", p->value.d);
    case VIR_TYPED_PARAM_BOOLEAN:
        return allocStrdup(p->value.b ? "yes" : "no");
    case VIR_TYPED_PARAM_STRING:
        return allocStrdup(p->value.s ? p->value.s : "");
    }
    reportError(VIR_ERR_INTERNAL_ERROR,
                "parameter '%.*s' has unknown type %d",
                VIR_TYPED_PARAM_FIELD_LENGTH, p->field, p->type);
    return NULL;
}
