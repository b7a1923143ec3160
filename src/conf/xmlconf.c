/* xmlconf.c: typed reading of XNode attributes and text, and formatting */
#include "xmlconf.h"
#include "alloc.h"
#include "enumtab.h"
#include "error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ERROR_DOMAIN VIR_FROM_DOMAIN

static int
xmlconfParseULL(const char *s, unsigned long long *out)
{
    char *end = NULL;

    if (!s || !*s || *s == '-' || *s == ' ')
        return -1;
    errno = 0;
    *out = strtoull(s, &end, 0);
    if (errno || !end || *end)
        return -1;
    return 0;
}

static int
xmlconfParseLL(const char *s, long long *out)
{
    char *end = NULL;

    if (!s || !*s || *s == ' ')
        return -1;
    errno = 0;
    *out = strtoll(s, &end, 10);
    if (errno || !end || *end)
        return -1;
    return 0;
}

static void
xmlconfBadAttr(XNode *node, const char *attr, const char *val,
               const char *why)
{
    reportError(VIR_ERR_XML_DETAIL,
                "invalid value '%s' for attribute '%s' of <%s>: %s",
                val, attr, node->name, why);
}

int
xmlconfULL(XNode *node, const char *attr, unsigned long long *out)
{
    const char *val = xtreeAttr(node, attr);

    if (!val)
        return 0;
    if (xmlconfParseULL(val, out) < 0) {
        xmlconfBadAttr(node, attr, val, "expected a number");
        return -1;
    }
    return 1;
}

int
xmlconfUInt(XNode *node, const char *attr, unsigned int *out)
{
    const char *val = xtreeAttr(node, attr);
    unsigned long long v;

    if (!val)
        return 0;
    if (xmlconfParseULL(val, &v) < 0 || v > 0xffffffffULL) {
        xmlconfBadAttr(node, attr, val, "expected a number");
        return -1;
    }
    *out = (unsigned int)v;
    return 1;
}

int
xmlconfInt(XNode *node, const char *attr, int *out)
{
    const char *val = xtreeAttr(node, attr);
    long long v;

    if (!val)
        return 0;
    if (xmlconfParseLL(val, &v) < 0 || v < -2147483647LL - 1 ||
        v > 2147483647LL) {
        xmlconfBadAttr(node, attr, val, "expected a number");
        return -1;
    }
    *out = (int)v;
    return 1;
}

int
xmlconfTristate(XNode *node, const char *attr, Tristate *out)
{
    const char *val = xtreeAttr(node, attr);

    if (!val)
        return 0;
    if (strcmp(val, "yes") == 0 || strcmp(val, "on") == 0) {
        *out = TRI_YES;
    } else if (strcmp(val, "no") == 0 || strcmp(val, "off") == 0) {
        *out = TRI_NO;
    } else {
        xmlconfBadAttr(node, attr, val, "expected 'yes' or 'no'");
        return -1;
    }
    return 1;
}

int
xmlconfEnum(XNode *node, const char *attr, const char *const *names,
            int *out)
{
    const char *val = xtreeAttr(node, attr);
    int v;

    if (!val)
        return 0;
    if ((v = enumtabParse(names, val)) < 0) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED,
                    "unsupported value '%s' for attribute '%s' of <%s>",
                    val, attr, node->name);
        return -1;
    }
    *out = v;
    return 1;
}

int
xmlconfEnumStr(XNode *node, const char *attr, const char *const *names,
               char **out)
{
    int v;
    int rc = xmlconfEnum(node, attr, names, &v);

    if (rc == 1)
        *out = allocStrdup(names[v]);
    return rc;
}

char *
xmlconfStr(XNode *node, const char *attr)
{
    return allocStrdup(xtreeAttr(node, attr));
}

char *
xmlconfText(XNode *node, const char *name)
{
    return allocStrdup(xtreeChildText(node, name));
}

static void
xmlconfBadText(const char *name, const char *val, const char *why)
{
    reportError(VIR_ERR_XML_DETAIL, "invalid value '%s' for <%s>: %s",
                val, name, why);
}

int
xmlconfTextULL(XNode *node, const char *name, unsigned long long *out)
{
    const char *val = xtreeChildText(node, name);

    if (!val)
        return 0;
    if (xmlconfParseULL(val, out) < 0) {
        xmlconfBadText(name, val, "expected a number");
        return -1;
    }
    return 1;
}

int
xmlconfTextLL(XNode *node, const char *name, long long *out)
{
    const char *val = xtreeChildText(node, name);

    if (!val)
        return 0;
    if (xmlconfParseLL(val, out) < 0) {
        xmlconfBadText(name, val, "expected a number");
        return -1;
    }
    return 1;
}

int
xmlconfTextUInt(XNode *node, const char *name, unsigned int *out)
{
    unsigned long long v = 0;
    int rc = xmlconfTextULL(node, name, &v);

    if (rc == 1 && v > 0xffffffffULL) {
        xmlconfBadText(name, xtreeChildText(node, name), "number too large");
        return -1;
    }
    if (rc == 1)
        *out = (unsigned int)v;
    return rc;
}

/* Bytes per unit, or 0 for an unknown unit. */
static unsigned long long
xmlconfUnitScale(const char *unit)
{
    static const struct {
        const char *name;
        unsigned long long scale;
    } units[] = {
        { "b", 1 }, { "bytes", 1 },
        { "KB", 1000ULL }, { "k", 1024ULL }, { "KiB", 1024ULL },
        { "MB", 1000000ULL }, { "M", 1ULL << 20 }, { "MiB", 1ULL << 20 },
        { "GB", 1000000000ULL }, { "G", 1ULL << 30 }, { "GiB", 1ULL << 30 },
        { "TB", 1000000000000ULL }, { "T", 1ULL << 40 },
        { "TiB", 1ULL << 40 },
        { "PB", 1000000000000000ULL }, { "P", 1ULL << 50 },
        { "PiB", 1ULL << 50 },
        { "EB", 1000000000000000000ULL }, { "E", 1ULL << 60 },
        { "EiB", 1ULL << 60 },
    };
    size_t i;

    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(units[i].name, unit) == 0)
            return units[i].scale;
    }
    /* single letters are accepted in either case */
    if (strlen(unit) == 1) {
        for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            if (strcasecmp(units[i].name, unit) == 0 &&
                strlen(units[i].name) == 1)
                return units[i].scale;
        }
    }
    return 0;
}

int
xmlconfTextScaled(XNode *node, const char *name, unsigned long long *kib)
{
    XNode *elem = xtreeChild(node, name);
    const char *unit;
    unsigned long long v = 0, scale = 1024;
    int rc;

    if (!elem)
        return 0;
    if ((rc = xmlconfTextULL(node, name, &v)) < 0)
        return -1;
    if (rc == 0 || !elem->text) {
        xmlconfBadText(name, "", "expected a number");
        return -1;
    }
    if ((unit = xtreeAttr(elem, "unit")) &&
        (scale = xmlconfUnitScale(unit)) == 0) {
        reportError(VIR_ERR_XML_DETAIL, "unknown unit '%s' for <%s>",
                    unit, name);
        return -1;
    }
    if (v > 0 && scale > ~0ULL / v) {
        reportError(VIR_ERR_XML_DETAIL, "value of <%s> is too large", name);
        return -1;
    }
    v *= scale;
    *kib = v / 1024 + (v % 1024 ? 1 : 0);
    return 1;
}

void
xmlconfAttr(Buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    bufPrintf(b, " %s='", name);
    bufAddEscaped(b, value);
    bufAdd(b, "'");
}

void
xmlconfAttrTri(Buf *b, const char *name, Tristate value)
{
    if (value != TRI_ABSENT)
        xmlconfAttr(b, name, value == TRI_YES ? "yes" : "no");
}

void
xmlconfTextElem(Buf *b, const char *name, const char *text)
{
    if (!text)
        return;
    if (!*text) {
        bufLine(b, "<%s/>\n", name);
        return;
    }
    bufLine(b, "<%s>", name);
    bufAddEscaped(b, text);
    bufPrintf(b, "</%s>\n", name);
}

void
xmlconfEnd(Buf *b, const char *name, const XExtra *extra)
{
    if (extra)
        xtreeFormatAttrs(b, extra->attrs, extra->nattrs);
    if (!extra || extra->nkids == 0) {
        bufAdd(b, "/>\n");
        return;
    }
    bufAdd(b, ">\n");
    bufIndent(b, 2);
    xtreeFormatExtraKids(b, extra);
    bufIndent(b, -2);
    bufLine(b, "</%s>\n", name);
}

void
xmlconfClose(Buf *b, const char *name, const XExtra *extra)
{
    if (extra)
        xtreeFormatExtraKids(b, extra);
    bufIndent(b, -2);
    bufLine(b, "</%s>\n", name);
}
