/* test-typedparam.c: virTypedParams* public API and util/typedparam helpers */
#include <limits.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../tap.h"
#include "error.h"
#include "typedparam.h"

/* The thread's last error code (VIR_ERR_OK when none). */
static int
lastCode(void)
{
    return errorLast()->code;
}

/* True when the last error message contains NEEDLE. */
static int
lastMessageHas(const char *needle)
{
    const char *msg = errorLast()->message;

    return msg && strstr(msg, needle) != NULL;
}

static void
testRoundTrip(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;
    int i = 0, b = 0;
    unsigned int ui = 0;
    long long l = 0;
    unsigned long long ul = 0;
    double d = 0;
    const char *s = NULL;

    TAP_INT(virTypedParamsAddInt(&params, &n, &max, "i", -42), 0, "add int");
    TAP_OK(params != NULL && max >= 1, "first add allocates from NULL/0/0");
    TAP_INT(virTypedParamsAddUInt(&params, &n, &max, "ui", UINT_MAX), 0,
            "add uint");
    TAP_INT(virTypedParamsAddLLong(&params, &n, &max, "l", LLONG_MIN), 0,
            "add llong");
    TAP_INT(virTypedParamsAddULLong(&params, &n, &max, "ul", ULLONG_MAX), 0,
            "add ullong");
    TAP_INT(virTypedParamsAddDouble(&params, &n, &max, "d", 2.5), 0,
            "add double");
    TAP_INT(virTypedParamsAddBoolean(&params, &n, &max, "b", 7), 0,
            "add boolean");
    TAP_INT(virTypedParamsAddString(&params, &n, &max, "s", "hello"), 0,
            "add string");
    TAP_INT(n, 7, "seven entries");
    TAP_OK(max >= n, "maxparams covers nparams");

    TAP_INT(virTypedParamsGetInt(params, n, "i", &i), 1, "get int");
    TAP_INT(i, -42, "int value");
    TAP_INT(virTypedParamsGetUInt(params, n, "ui", &ui), 1, "get uint");
    TAP_OK(ui == UINT_MAX, "uint value");
    TAP_INT(virTypedParamsGetLLong(params, n, "l", &l), 1, "get llong");
    TAP_OK(l == LLONG_MIN, "llong value");
    TAP_INT(virTypedParamsGetULLong(params, n, "ul", &ul), 1, "get ullong");
    TAP_OK(ul == ULLONG_MAX, "ullong value");
    TAP_INT(virTypedParamsGetDouble(params, n, "d", &d), 1, "get double");
    TAP_OK(d == 2.5, "double value");
    TAP_INT(virTypedParamsGetBoolean(params, n, "b", &b), 1, "get boolean");
    TAP_INT(b, 1, "boolean stored as 1");
    TAP_INT(virTypedParamsGetString(params, n, "s", &s), 1, "get string");
    TAP_STR(s, "hello", "string value");
    TAP_OK(s == params[6].value.s, "string is borrowed, not copied");
    TAP_INT(params[6].type, VIR_TYPED_PARAM_STRING, "string type set");
    TAP_STR(params[2].field, "l", "field name stored");

    TAP_INT(virTypedParamsGetInt(params, n, "i", NULL), 1,
            "NULL value checks presence");
    TAP_OK(virTypedParamsGet(params, n, "d") == &params[4],
           "virTypedParamsGet finds the entry");
    TAP_OK(virTypedParamsGet(params, n, "nope") == NULL,
           "virTypedParamsGet returns NULL when absent");
    TAP_OK(virTypedParamsGet(NULL, 0, "i") == NULL,
           "virTypedParamsGet accepts NULL params");
    TAP_OK(virTypedParamsGet(params, n, NULL) == NULL,
           "virTypedParamsGet accepts NULL name");

    i = 99;
    TAP_INT(virTypedParamsGetInt(params, n, "missing", &i), 0,
            "missing parameter returns 0");
    TAP_INT(i, 99, "missing parameter leaves value alone");
    TAP_INT(lastCode(), VIR_ERR_OK, "missing parameter sets no error");
    TAP_INT(virTypedParamsGetString(NULL, 0, "s", &s), 0,
            "get from NULL/0 returns 0");

    virTypedParamsFree(params, n);
}

static void
testWrongType(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;
    int i = 0;
    unsigned int ui = 0;
    long long l = 0;
    unsigned long long ul = 0;
    double d = 0;
    const char *s = NULL;

    virTypedParamsAddInt(&params, &n, &max, "count", 3);
    virTypedParamsAddString(&params, &n, &max, "path", "/x");

    TAP_INT(virTypedParamsGetString(params, n, "count", &s), -1,
            "string get of an int fails");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "wrong type is INVALID_ARG");
    TAP_INT(errorLast()->domain, VIR_FROM_NONE, "error domain is NONE");
    TAP_OK(lastMessageHas("'count'"), "message names the parameter");
    TAP_OK(lastMessageHas("'int'") && lastMessageHas("'string'"),
           "message names both types");
    TAP_INT(virTypedParamsGetInt(params, n, "path", &i), -1,
            "int get of a string fails");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "int get: INVALID_ARG");
    TAP_INT(virTypedParamsGetUInt(params, n, "count", &ui), -1,
            "uint get of an int fails");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "uint get: INVALID_ARG");
    TAP_INT(virTypedParamsGetLLong(params, n, "count", &l), -1,
            "llong get of an int fails");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "llong get: INVALID_ARG");
    TAP_INT(virTypedParamsGetULLong(params, n, "count", &ul), -1,
            "ullong get of an int fails");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "ullong get: INVALID_ARG");
    TAP_INT(virTypedParamsGetDouble(params, n, "count", &d), -1,
            "double get of an int fails");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "double get: INVALID_ARG");
    TAP_INT(virTypedParamsGetBoolean(params, n, "count", &i), -1,
            "boolean get of an int fails");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "boolean get: INVALID_ARG");

    TAP_INT(virTypedParamsGetInt(params, n, "count", &i), 1,
            "a good get after a failure");
    TAP_INT(lastCode(), VIR_ERR_OK, "a public get resets the last error");

    TAP_INT(virTypedParamsGetInt(params, -1, "count", &i), -1,
            "negative nparams is refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "negative nparams: INVALID_ARG");
    TAP_INT(virTypedParamsGetInt(params, n, NULL, &i), -1,
            "NULL name is refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "NULL name: INVALID_ARG");

    /* bindings free their arrays after a failed call, then read the error */
    virTypedParamsClear(NULL, 0);
    virTypedParamsFree(NULL, 0);
    TAP_OK(virTypedParamsGet(params, n, "nope") == NULL, "get absent");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG,
            "Get/Clear/Free keep the last error");

    virTypedParamsFree(params, n);
}

static void
testGrowth(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;
    char name[32];
    int i, v = 0, ok = 1;

    for (i = 0; i < 1000; i++) {
        snprintf(name, sizeof(name), "p%d", i);
        if (virTypedParamsAddInt(&params, &n, &max, name, i * 3) < 0 ||
            max < n)
            ok = 0;
    }
    TAP_OK(ok, "1000 adds succeed, maxparams always >= nparams");
    TAP_INT(n, 1000, "1000 entries");
    for (i = 0; i < 1000 && ok; i++) {
        snprintf(name, sizeof(name), "p%d", i);
        if (virTypedParamsGetInt(params, n, name, &v) != 1 || v != i * 3)
            ok = 0;
    }
    TAP_OK(ok, "every grown entry keeps its value");
    virTypedParamsFree(params, n);
}

static void
testMaxParams(void)
{
    virTypedParameterPtr params = calloc(4, sizeof(*params));
    virTypedParameterPtr before = params;
    int n = 0, max = 4;
    int i, rc = 0;

    for (i = 0; i < 4; i++)
        rc |= virTypedParamsAddInt(&params, &n, &max, "x", i);
    TAP_INT(rc, 0, "four adds into a caller array of four");
    TAP_OK(params == before, "no reallocation while there is room");
    TAP_INT(max, 4, "maxparams unchanged while there is room");
    TAP_INT(virTypedParamsAddString(&params, &n, &max, "y", "z"), 0,
            "fifth add");
    TAP_OK(max >= 5, "maxparams grows past the caller's size");
    TAP_INT(params[0].value.i, 0, "old entries survive the growth");
    TAP_INT(params[3].value.i, 3, "last old entry survives the growth");
    TAP_STR(params[4].value.s, "z", "new entry after growth");
    virTypedParamsFree(params, n);

    /* a caller that under-reports its capacity still keeps its entries */
    params = calloc(3, sizeof(*params));
    n = 0;
    max = 3;
    virTypedParamsAddInt(&params, &n, &max, "a", 1);
    virTypedParamsAddInt(&params, &n, &max, "b", 2);
    max = 0;
    TAP_INT(virTypedParamsAddInt(&params, &n, &max, "c", 3), 0,
            "add with maxparams below nparams");
    TAP_OK(max >= 3 && params[0].value.i == 1 && params[1].value.i == 2 &&
           params[2].value.i == 3, "entries kept when maxparams was low");
    virTypedParamsFree(params, n);
}

static void
testAddErrors(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;
    int v = 0;
    char longName[VIR_TYPED_PARAM_FIELD_LENGTH + 1];

    TAP_INT(virTypedParamsAddInt(&params, &n, &max, "dup", 1), 0, "add dup");
    TAP_INT(virTypedParamsAddInt(&params, &n, &max, "dup", 2), 0,
            "adding an existing name is allowed, as in libvirt");
    TAP_INT(n, 2, "both entries kept");
    TAP_INT(virTypedParamsGetInt(params, n, "dup", &v), 1, "get dup");
    TAP_INT(v, 1, "get returns the first entry");

    memset(longName, 'a', VIR_TYPED_PARAM_FIELD_LENGTH);
    longName[VIR_TYPED_PARAM_FIELD_LENGTH] = '\0';
    TAP_INT(virTypedParamsAddInt(&params, &n, &max, longName, 1), -1,
            "name of FIELD_LENGTH chars is refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "long name: INVALID_ARG");
    TAP_INT(n, 2, "long name adds nothing");
    TAP_INT(virTypedParamsAddString(&params, &n, &max, longName, "x"), -1,
            "long string name is refused");
    TAP_INT(n, 2, "long string name adds nothing");
    longName[VIR_TYPED_PARAM_FIELD_LENGTH - 1] = '\0';
    TAP_INT(virTypedParamsAddInt(&params, &n, &max, longName, 5), 0,
            "name of FIELD_LENGTH-1 chars fits");
    TAP_INT(virTypedParamsGetInt(params, n, longName, &v), 1,
            "longest name found again");
    TAP_INT(v, 5, "longest name keeps its value");

    TAP_INT(virTypedParamsAddString(&params, &n, &max, "s", NULL), -1,
            "NULL string value is refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "NULL string: INVALID_ARG");
    TAP_INT(virTypedParamsAddInt(NULL, &n, &max, "x", 1), -1,
            "NULL params pointer is refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "NULL params: INVALID_ARG");
    TAP_INT(virTypedParamsAddInt(&params, NULL, &max, "x", 1), -1,
            "NULL nparams is refused");
    TAP_INT(virTypedParamsAddInt(&params, &n, NULL, "x", 1), -1,
            "NULL maxparams is refused");
    TAP_INT(virTypedParamsAddInt(&params, &n, &max, NULL, 1), -1,
            "NULL name is refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "NULL name: INVALID_ARG");
    TAP_INT(n, 3, "failed adds leave nparams alone");

    virTypedParamsFree(params, n);
}

static void
testStringList(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;
    const char *disks[] = { "vda", "vdb", "sda", NULL };
    const char *empty[] = { NULL };
    int i, ok = 1;

    TAP_INT(virTypedParamsAddStringList(&params, &n, &max, "disk", disks), 0,
            "add string list");
    TAP_INT(n, 3, "one entry per string");
    for (i = 0; i < n; i++) {
        if (strcmp(params[i].field, "disk") != 0 ||
            params[i].type != VIR_TYPED_PARAM_STRING ||
            strcmp(params[i].value.s, disks[i]) != 0 ||
            params[i].value.s == disks[i])
            ok = 0;
    }
    TAP_OK(ok, "same name, string type, copied values in order");
    TAP_INT(virTypedParamsAddStringList(&params, &n, &max, "disk", NULL), 0,
            "NULL list is a no-op");
    TAP_INT(virTypedParamsAddStringList(&params, &n, &max, "disk", empty), 0,
            "empty list is a no-op");
    TAP_INT(n, 3, "no entries from empty lists");
    virTypedParamsFree(params, n);
}

/* Add NAME=TEXT as TYPE through the public call; returns its result. */
static int
fromString(virTypedParameterPtr *params, int *n, int *max, int type,
           const char *text)
{
    return virTypedParamsAddFromString(params, n, max, "v", type, text);
}

static void
testFromString(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_INT, "-17"), 0, "int");
    TAP_OK(p[0].type == VIR_TYPED_PARAM_INT && p[0].value.i == -17,
           "int parsed");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_UINT, "4294967295"), 0,
            "uint");
    TAP_OK(p[1].value.ui == UINT_MAX, "uint parsed");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_LLONG,
                       "-9223372036854775808"), 0, "llong");
    TAP_OK(p[2].value.l == LLONG_MIN, "llong parsed");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_ULLONG,
                       "18446744073709551615"), 0, "ullong");
    TAP_OK(p[3].value.ul == ULLONG_MAX, "ullong parsed");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_DOUBLE, "0.25"), 0,
            "double");
    TAP_OK(p[4].value.d == 0.25, "double parsed");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_BOOLEAN, "TRUE"), 0,
            "boolean TRUE");
    TAP_INT(p[5].value.b, 1, "TRUE parsed");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_BOOLEAN, "0"), 0,
            "boolean 0");
    TAP_INT(p[6].value.b, 0, "0 parsed");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_BOOLEAN, "false"), 0,
            "boolean false");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_BOOLEAN, "1"), 0,
            "boolean 1");
    TAP_INT(p[8].value.b, 1, "1 parsed");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_STRING, "12 x"), 0,
            "string");
    TAP_STR(p[9].value.s, "12 x", "string kept as is");
    TAP_INT(n, 10, "ten good entries");

    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_INT, "abc"), -1,
            "int 'abc' refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "bad int: INVALID_ARG");
    TAP_OK(lastMessageHas("'v'") && lastMessageHas("'abc'"),
           "message names parameter and text");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_INT, "12x"), -1,
            "int with trailing junk refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_INT, ""), -1,
            "empty int refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_INT, "2147483648"), -1,
            "int overflow refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_UINT, "-1"), -1,
            "negative uint refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "negative uint: INVALID_ARG");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_UINT, "4294967296"), -1,
            "uint overflow refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_LLONG,
                       "9223372036854775808"), -1, "llong overflow refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_ULLONG, "-5"), -1,
            "negative ullong refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_ULLONG,
                       "18446744073709551616"), -1, "ullong overflow refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_DOUBLE, "1.5x"), -1,
            "double with junk refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_DOUBLE, "1e999"), -1,
            "double overflow refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_BOOLEAN, "maybe"), -1,
            "boolean 'maybe' refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "bad boolean: INVALID_ARG");
    TAP_INT(fromString(&p, &n, &max, 99, "1"), -1, "unknown type refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "unknown type: INVALID_ARG");
    TAP_INT(fromString(&p, &n, &max, 0, "1"), -1, "type 0 refused");
    TAP_INT(fromString(&p, &n, &max, VIR_TYPED_PARAM_INT, NULL), -1,
            "NULL text refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "NULL text: INVALID_ARG");
    TAP_INT(n, 10, "failed parses add nothing");

    virTypedParamsFree(p, n);
}

static void
testClear(void)
{
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;

    virResetLastError();
    virTypedParamsClear(NULL, 5);
    virTypedParamsFree(NULL, 5);
    TAP_INT(virGetLastErrorCode(), VIR_ERR_OK,
            "Clear/Free accept NULL without an error");

    virTypedParamsAddString(&params, &n, &max, "a", "x");
    virTypedParamsAddInt(&params, &n, &max, "b", 1);
    virTypedParamsClear(params, n);
    TAP_OK(params[0].value.s == NULL && params[0].type == 0 &&
           params[0].field[0] == '\0' && params[1].value.i == 0,
           "Clear frees strings and zeroes entries");
    virTypedParamsClear(params, n);
    TAP_OK(params[0].value.s == NULL && params[0].field[0] == '\0' &&
           params[1].type == 0, "Clear twice is safe and leaves zeroes");
    virTypedParamsFree(params, n);
}

static const TypedParamSpec testSpec[] = {
    { "hard_limit", VIR_TYPED_PARAM_ULLONG, false },
    { "weight", VIR_TYPED_PARAM_UINT, false },
    { "disk", VIR_TYPED_PARAM_STRING, true },
    { NULL, 0, false },
};

static void
testValidate(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    virTypedParameter bad;

    TAP_INT(typedParamsValidate(NULL, 0, testSpec), 0, "empty array is fine");
    typedParamsAddULLong(&p, &n, &max, "hard_limit", 1024);
    typedParamsAddUInt(&p, &n, &max, "weight", 100);
    typedParamsAddString(&p, &n, &max, "disk", "vda");
    typedParamsAddString(&p, &n, &max, "disk", "vdb");
    TAP_INT(typedParamsValidate(p, n, testSpec), 0,
            "known names, right types, list repeated");

    typedParamsAddInt(&p, &n, &max, "shares", 1);
    TAP_INT(typedParamsValidate(p, n, testSpec), -1, "unknown name refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "unknown name: INVALID_ARG");
    TAP_OK(lastMessageHas("parameter 'shares' is not supported"),
           "unknown name message");
    typedParamsFree(p, n);

    p = NULL;
    n = max = 0;
    typedParamsAddInt(&p, &n, &max, "weight", 100);
    TAP_INT(typedParamsValidate(p, n, testSpec), -1, "wrong type refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "wrong type: INVALID_ARG");
    TAP_OK(lastMessageHas("'weight'") && lastMessageHas("'int'") &&
           lastMessageHas("'uint'"), "wrong type message names both types");
    typedParamsFree(p, n);

    p = NULL;
    n = max = 0;
    typedParamsAddUInt(&p, &n, &max, "weight", 1);
    typedParamsAddULLong(&p, &n, &max, "hard_limit", 1);
    typedParamsAddUInt(&p, &n, &max, "weight", 2);
    TAP_INT(typedParamsValidate(p, n, testSpec), -1, "duplicate refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "duplicate: INVALID_ARG");
    TAP_OK(lastMessageHas("'weight'"), "duplicate message names it");
    typedParamsFree(p, n);

    memset(&bad, 'x', sizeof(bad));
    bad.type = VIR_TYPED_PARAM_UINT;
    TAP_INT(typedParamsValidate(&bad, 1, testSpec), -1,
            "unterminated name refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "unterminated: INVALID_ARG");
    memset(&bad, 0, sizeof(bad));
    strcpy(bad.field, "disk");
    bad.type = VIR_TYPED_PARAM_STRING;
    TAP_INT(typedParamsValidate(&bad, 1, testSpec), -1,
            "NULL string value refused");
    TAP_INT(typedParamsValidate(NULL, 2, testSpec), -1,
            "NULL array with entries refused");
}

static void
testFillOut(void)
{
    virTypedParameterPtr src = NULL;
    int nsrc = 0, max = 0;
    virTypedParameter dst[4];
    int ndst;

    typedParamsAddULLong(&src, &nsrc, &max, "a", 1);
    typedParamsAddString(&src, &nsrc, &max, "b", "bee");
    typedParamsAddInt(&src, &nsrc, &max, "c", 3);

    ndst = 0;
    TAP_INT(typedParamsFillOut(NULL, &ndst, src, nsrc), 0, "count query");
    TAP_INT(ndst, 3, "count query reports how many");

    memset(dst, 0xff, sizeof(dst));
    ndst = 2;
    TAP_INT(typedParamsFillOut(dst, &ndst, src, nsrc), 0, "truncated fill");
    TAP_INT(ndst, 2, "truncated fill reports 2");
    TAP_STR(dst[0].field, "a", "first entry copied");
    TAP_OK(dst[0].value.ul == 1, "first value copied");
    TAP_STR(dst[1].value.s, "bee", "string copied");
    TAP_OK(dst[1].value.s != src[1].value.s, "string is a deep copy");
    typedParamsClear(dst, ndst);

    ndst = 4;
    TAP_INT(typedParamsFillOut(dst, &ndst, src, nsrc), 0, "roomy fill");
    TAP_INT(ndst, 3, "roomy fill reports the real count");
    TAP_INT(dst[2].value.i, 3, "last entry copied");
    typedParamsClear(dst, ndst);

    ndst = -1;
    TAP_INT(typedParamsFillOut(dst, &ndst, src, nsrc), -1,
            "negative size refused");
    TAP_INT(lastCode(), VIR_ERR_INVALID_ARG, "negative size: INVALID_ARG");
    ndst = 2;
    TAP_INT(typedParamsFillOut(NULL, &ndst, src, nsrc), -1,
            "NULL array with size refused");
    ndst = 0;
    TAP_INT(typedParamsFillOut(NULL, &ndst, NULL, 0), 0, "empty source");
    TAP_INT(ndst, 0, "empty source counts 0");

    typedParamsFree(src, nsrc);
}

static void
testCopyAndText(void)
{
    virTypedParameterPtr src = NULL, copy;
    int n = 0, max = 0;
    char *text;
    const char *want[] = {
        "-5", "7", "-8000000000", "18446744073709551615", "1.500000", "yes",
        "no", "hi there",
    };
    int i, ok = 1;

    typedParamsAddInt(&src, &n, &max, "i", -5);
    typedParamsAddUInt(&src, &n, &max, "u", 7);
    typedParamsAddLLong(&src, &n, &max, "l", -8000000000LL);
    typedParamsAddULLong(&src, &n, &max, "ul", ULLONG_MAX);
    typedParamsAddDouble(&src, &n, &max, "d", 1.5);
    typedParamsAddBoolean(&src, &n, &max, "t", 1);
    typedParamsAddBoolean(&src, &n, &max, "f", 0);
    typedParamsAddString(&src, &n, &max, "s", "hi there");

    copy = typedParamsCopy(src, n);
    TAP_OK(copy && copy != src, "copy is a new array");
    TAP_OK(copy && memcmp(copy, src, 7 * sizeof(*src)) == 0,
           "non-string entries copied exactly");
    TAP_OK(copy && copy[7].value.s != src[7].value.s &&
           strcmp(copy[7].value.s, "hi there") == 0, "string deep-copied");
    typedParamsFree(src, n);
    TAP_STR(copy ? copy[7].value.s : NULL, "hi there",
            "copy survives freeing the source");
    TAP_OK(typedParamsCopy(NULL, 0) == NULL, "copy of nothing is NULL");

    for (i = 0; i < n; i++) {
        text = typedParamsToString(&copy[i]);
        if (!text || strcmp(text, want[i]) != 0) {
            printf("# %s: got '%s', want '%s'\n", copy[i].field,
                   text ? text : "(null)", want[i]);
            ok = 0;
        }
        free(text);
    }
    TAP_OK(ok, "every type prints as text");
    copy[0].type = 42;
    TAP_OK(typedParamsToString(&copy[0]) == NULL, "unknown type: no text");
    TAP_INT(lastCode(), VIR_ERR_INTERNAL_ERROR, "unknown type: INTERNAL");
    copy[0].type = VIR_TYPED_PARAM_INT;
    typedParamsFree(copy, n);

    TAP_STR(typedParamTypeName(VIR_TYPED_PARAM_ULLONG), "ullong",
            "type name ullong");
    TAP_STR(typedParamTypeName(VIR_TYPED_PARAM_BOOLEAN), "boolean",
            "type name boolean");
    TAP_STR(typedParamTypeName(0), "unknown", "type name of 0");
    TAP_STR(typedParamTypeName(8), "unknown", "type name past the end");
}

int
main(void)
{
    testRoundTrip();
    testWrongType();
    testGrowth();
    testMaxParams();
    testAddErrors();
    testStringList();
    testFromString();
    testClear();
    testValidate();
    testFillOut();
    testCopyAndText();
    errorReset();
    return tapDone();
}
