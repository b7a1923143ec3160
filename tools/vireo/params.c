/* params.c: typed parameters as "name : value" lines and JSON objects,
 * and from option strings */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>

/* PARAM's value as text, for the caller to free. */
char *
paramsValue(const virTypedParameter *param)
{
    char *s = NULL;
    int rc = -1;

    switch (param->type) {
    case VIR_TYPED_PARAM_INT:
        rc = asprintf(&s, "%d", param->value.i);
        break;
    case VIR_TYPED_PARAM_UINT:
        rc = asprintf(&s, "%u", param->value.ui);
        break;
    case VIR_TYPED_PARAM_LLONG:
        rc = asprintf(&s, "%lld", param->value.l);
        break;
    case VIR_TYPED_PARAM_ULLONG:
        rc = asprintf(&s, "%llu", param->value.ul);
        break;
    case VIR_TYPED_PARAM_DOUBLE:
        rc = asprintf(&s, "%f", param->value.d);
        break;
    case VIR_TYPED_PARAM_BOOLEAN:
        rc = asprintf(&s, "%s", param->value.b ? "yes" : "no");
        break;
    case VIR_TYPED_PARAM_STRING:
        rc = asprintf(&s, "%s", param->value.s ? param->value.s : "");
        break;
    default:
        rc = asprintf(&s, "?");
        break;
    }
    if (rc < 0)
        abort();
    return s;
}

/* Print each parameter virsh-style: "name" padded to WIDTH, ": ", the
 * value. */
void
paramsPrint(const virTypedParameter *params, int n, int width)
{
    for (int i = 0; i < n; i++) {
        char *v = paramsValue(&params[i]);

        printf("%-*s: %s\n", width, params[i].field, v);
        free(v);
    }
}

/* FIELD as a JSON key: dots and dashes become underscores. Caller frees. */
char *
paramsJSONKey(const char *field)
{
    char *key = strdup(field);

    if (!key)
        abort();
    for (char *p = key; *p; p++) {
        if (*p == '.' || *p == '-')
            *p = '_';
    }
    return key;
}

/* PARAM's value as a JSON number, boolean or string. */
json_object *
paramsValueJSON(const virTypedParameter *param)
{
    switch (param->type) {
    case VIR_TYPED_PARAM_INT:
        return json_object_new_int64(param->value.i);
    case VIR_TYPED_PARAM_UINT:
        return json_object_new_int64(param->value.ui);
    case VIR_TYPED_PARAM_LLONG:
        return json_object_new_int64(param->value.l);
    case VIR_TYPED_PARAM_ULLONG:
        return json_object_new_uint64(param->value.ul);
    case VIR_TYPED_PARAM_DOUBLE:
        return json_object_new_double(param->value.d);
    case VIR_TYPED_PARAM_BOOLEAN:
        return json_object_new_boolean(param->value.b);
    case VIR_TYPED_PARAM_STRING:
        return json_object_new_string(param->value.s ? param->value.s : "");
    }
    return NULL;
}

/* The parameters as one JSON object, keys in snake_case. */
json_object *
paramsJSON(const virTypedParameter *params, int n)
{
    json_object *obj = json_object_new_object();

    for (int i = 0; i < n; i++) {
        char *key = paramsJSONKey(params[i].field);

        json_object_object_add(obj, key, paramsValueJSON(&params[i]));
        free(key);
    }
    return obj;
}

/* Append FIELD of TYPE parsed from VALUE to the list. A value that does
 * not parse as TYPE is a usage error: returns -1 after reporting it. */
int
paramsAddString(const Ctx *ctx, virTypedParameterPtr *params, int *n,
                int *max, const char *field, int type, const char *value)
{
    if (virTypedParamsAddFromString(params, n, max, field, type, value) < 0)
        return errorsUsage(ctx->cmd, "bad value '%s' for '%s'", value, field);
    return 0;
}
