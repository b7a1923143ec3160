/* domxml.c: the few facts commands read from a domain's XML description:
 * its disks' and interfaces' names */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>

/* The value of attribute ATTR inside the tag that starts at TAG and ends
 * at the next '>', or NULL. Caller frees. */
static char *
domxmlAttr(const char *tag, const char *attr)
{
    const char *end = strchr(tag, '>');
    size_t alen = strlen(attr);
    const char *p = tag;

    while ((p = strstr(p, attr)) && (!end || p < end)) {
        if (p[-1] == ' ' && p[alen] == '=' &&
            (p[alen + 1] == '\'' || p[alen + 1] == '"')) {
            char quote = p[alen + 1];
            const char *v = p + alen + 2;
            const char *q = strchr(v, quote);
            char *s;

            if (!q)
                return NULL;
            if (!(s = strndup(v, (size_t)(q - v))))
                abort();
            return s;
        }
        p += alen;
    }
    return NULL;
}

/* For every <ELEMENT> of the domain's devices, the ATTR of its first
 * <CHILD> element (e.g. disk / target / dev). Returns the count and a
 * NULL-terminated array for domxmlFree, or -1 after printing the error. */
int
domxmlList(virDomainPtr dom, unsigned int flags, const char *element,
           const char *child, const char *attr, char ***names)
{
    char *xml = virDomainGetXMLDesc(dom, flags);
    char open[64], close[64], sub[64];
    const char *p;
    int n = 0;

    *names = NULL;
    if (!xml) {
        errorsReport();
        return -1;
    }
    snprintf(open, sizeof(open), "<%s ", element);
    snprintf(close, sizeof(close), "</%s>", element);
    snprintf(sub, sizeof(sub), "<%s ", child);
    if (!(*names = calloc(1, sizeof(char *))))
        abort();
    for (p = xml; (p = strstr(p, open)); ) {
        const char *end = strstr(p, close);
        const char *c = strstr(p, sub);
        char *value;

        if (!end)
            break;
        if (c && c < end && (value = domxmlAttr(c, attr))) {
            if (!(*names = realloc(*names, (size_t)(n + 2) * sizeof(char *))))
                abort();
            (*names)[n++] = value;
            (*names)[n] = NULL;
        }
        p = end;
    }
    free(xml);
    return n;
}

void
domxmlFree(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}
