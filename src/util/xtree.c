/* xtree.c: an owned XML element tree built with libxml2 (parse, format) */
#include "xtree.h"
#include "alloc.h"
#include "error.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#define ERROR_DOMAIN VIR_FROM_XML

/* The first error libxml2 raised while parsing one document. */
typedef struct {
    char *msg;
    int line;
} XCapture;

/* Structured handler installed on one parser context: thread-safe because
 * the capture lives in that context, never in a global. */
static void
xtreeCatch(void *data, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = data;
    XCapture *cap = ctxt ? ctxt->_private : NULL;
    size_t len;

    if (!cap || cap->msg || !err || err->level < XML_ERR_ERROR)
        return;
    cap->msg = allocStrdup(err->message ? err->message : "unknown error");
    len = strlen(cap->msg);
    while (len > 0 && isspace((unsigned char)cap->msg[len - 1]))
        cap->msg[--len] = '\0';
    cap->line = err->line;
}

XNode *
xtreeNew(const char *name)
{
    XNode *node;

    ALLOC(node);
    node->name = allocStrdup(name);
    return node;
}

static bool
xtreeBlank(const char *s)
{
    for (; *s; s++) {
        if (!isspace((unsigned char)*s))
            return false;
    }
    return true;
}

static void
xtreeAddAttr(XNode *node, const char *name, const char *value)
{
    allocResize(&node->attrs, node->nattrs, node->nattrs + 1,
                sizeof(*node->attrs));
    node->attrs[node->nattrs].name = allocStrdup(name);
    node->attrs[node->nattrs].value = allocStrdup(value ? value : "");
    node->nattrs++;
}

/* A namespace URI as written: libxml2 keeps each escaped '&' of a
 * namespace declaration as the reference "&#38;" (a bare '&' cannot occur
 * there), so every such reference stands for one '&'. */
static char *
xtreeHrefDup(const char *href)
{
    char *out = allocStrdup(href), *w = out;

    for (const char *r = href; *r; ) {
        if (strncmp(r, "&#38;", 5) == 0) {
            *w++ = '&';
            r += 5;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return out;
}

static XNode *
xtreeFromXml(xmlNodePtr xn)
{
    XNode *node = xtreeNew((const char *)xn->name);
    xmlAttrPtr attr;
    xmlNodePtr cur;
    Buf text = { 0 };
    bool haskids = false;

    node->line = (int)xmlGetLineNo(xn);
    if (xn->ns && xn->ns->href) {
        node->href = xtreeHrefDup((const char *)xn->ns->href);
        if (xn->ns->prefix)
            node->prefix = allocStrdup((const char *)xn->ns->prefix);
    }
    for (attr = xn->properties; attr; attr = attr->next) {
        xmlChar *val = xmlNodeListGetString(xn->doc, attr->children, 1);
        char *name = NULL;

        if (attr->ns && attr->ns->prefix)
            name = allocPrintf("%s:%s", attr->ns->prefix, attr->name);
        xtreeAddAttr(node, name ? name : (const char *)attr->name,
                     (const char *)val);
        free(name);
        xmlFree(val);
    }
    for (cur = xn->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE) {
            xtreeAppend(node, xtreeFromXml(cur));
            haskids = true;
        } else if ((cur->type == XML_TEXT_NODE ||
                    cur->type == XML_CDATA_SECTION_NODE) && cur->content) {
            bufAdd(&text, (const char *)cur->content);
        }
    }
    if (!haskids && text.len > 0 && !xtreeBlank(text.data))
        node->text = bufTake(&text);
    bufFree(&text);
    return node;
}

static pthread_once_t xtreeOnce = PTHREAD_ONCE_INIT;

static void
xtreeInit(void)
{
    xmlInitParser();
}

XNode *
xtreeParse(const char *xml, int errdomain)
{
    xmlParserCtxtPtr ctxt = NULL;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    XCapture cap = { NULL, 0 };
    XNode *ret = NULL;

    if (!xml) {
        errorReport(errdomain, VIR_ERR_XML_ERROR, __func__,
                    "malformed XML: no document given");
        return NULL;
    }
    pthread_once(&xtreeOnce, xtreeInit);
    ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        errorReport(errdomain, VIR_ERR_NO_MEMORY, __func__,
                    "cannot create an XML parser");
        return NULL;
    }
    ctxt->_private = &cap;
    ctxt->sax->serror = xtreeCatch;
    doc = xmlCtxtReadMemory(ctxt, xml, (int)strlen(xml), "domain.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOWARNING);
    if (!doc || !ctxt->wellFormed || cap.msg) {
        errorReport(errdomain, VIR_ERR_XML_ERROR, __func__,
                    "malformed XML at line %d: %s", cap.line,
                    cap.msg ? cap.msg : "document could not be parsed");
        goto cleanup;
    }
    if (!(root = xmlDocGetRootElement(doc))) {
        errorReport(errdomain, VIR_ERR_XML_ERROR, __func__,
                    "malformed XML: no root element");
        goto cleanup;
    }
    ret = xtreeFromXml(root);

 cleanup:
    free(cap.msg);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return ret;
}

static void
xtreeAttrsFree(XAttr *attrs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(attrs[i].name);
        free(attrs[i].value);
    }
    free(attrs);
}

void
xtreeFree(XNode *node)
{
    size_t i;

    if (!node)
        return;
    free(node->name);
    free(node->prefix);
    free(node->href);
    xtreeAttrsFree(node->attrs, node->nattrs);
    for (i = 0; i < node->nkids; i++)
        xtreeFree(node->kids[i]);
    free(node->kids);
    free(node->text);
    free(node);
}

static XAttr *
xtreeAttrsCopy(const XAttr *attrs, size_t n)
{
    XAttr *ret = NULL;
    size_t i;

    if (n == 0)
        return NULL;
    ALLOC_N(ret, n);
    for (i = 0; i < n; i++) {
        ret[i].name = allocStrdup(attrs[i].name);
        ret[i].value = allocStrdup(attrs[i].value);
        ret[i].used = attrs[i].used;
    }
    return ret;
}

XNode *
xtreeCopy(const XNode *node)
{
    XNode *ret;
    size_t i;

    if (!node)
        return NULL;
    ret = xtreeNew(node->name);
    ret->prefix = allocStrdup(node->prefix);
    ret->href = allocStrdup(node->href);
    ret->attrs = xtreeAttrsCopy(node->attrs, node->nattrs);
    ret->nattrs = node->nattrs;
    for (i = 0; i < node->nkids; i++)
        xtreeAppend(ret, xtreeCopy(node->kids[i]));
    ret->text = allocStrdup(node->text);
    ret->line = node->line;
    ret->used = node->used;
    return ret;
}

void
xtreeAppend(XNode *parent, XNode *child)
{
    allocResize(&parent->kids, parent->nkids, parent->nkids + 1,
                sizeof(*parent->kids));
    parent->kids[parent->nkids++] = child;
}

void
xtreeSetAttr(XNode *node, const char *name, const char *value)
{
    size_t i;

    for (i = 0; i < node->nattrs; i++) {
        if (strcmp(node->attrs[i].name, name) == 0) {
            free(node->attrs[i].value);
            node->attrs[i].value = allocStrdup(value);
            return;
        }
    }
    xtreeAddAttr(node, name, value);
}

void
xtreeFormatAttrs(Buf *b, const XAttr *attrs, size_t nattrs)
{
    size_t i;

    for (i = 0; i < nattrs; i++) {
        bufPrintf(b, " %s='", attrs[i].name);
        bufAddEscaped(b, attrs[i].value);
        bufAdd(b, "'");
    }
}

void
xtreeFormat(Buf *b, const XNode *node, const char *parenthref)
{
    const char *pfx = node->prefix ? node->prefix : "";
    const char *colon = node->prefix ? ":" : "";
    size_t i;

    bufLine(b, "<%s%s%s", pfx, colon, node->name);
    if (node->href && (!parenthref || strcmp(parenthref, node->href) != 0)) {
        bufPrintf(b, " xmlns%s%s='", colon, pfx);
        bufAddEscaped(b, node->href);
        bufAdd(b, "'");
    }
    xtreeFormatAttrs(b, node->attrs, node->nattrs);
    if (node->nkids == 0 && !node->text) {
        bufAdd(b, "/>\n");
        return;
    }
    if (node->nkids == 0) {
        bufAdd(b, ">");
        bufAddEscaped(b, node->text);
        bufPrintf(b, "</%s%s%s>\n", pfx, colon, node->name);
        return;
    }
    bufAdd(b, ">\n");
    bufIndent(b, 2);
    for (i = 0; i < node->nkids; i++)
        xtreeFormat(b, node->kids[i], node->href);
    bufIndent(b, -2);
    bufLine(b, "</%s%s%s>\n", pfx, colon, node->name);
}

XNode *
xtreeChild(XNode *node, const char *name)
{
    size_t i;

    if (!node)
        return NULL;
    for (i = 0; i < node->nkids; i++) {
        XNode *kid = node->kids[i];

        if (!kid->prefix && strcmp(kid->name, name) == 0) {
            kid->used = true;
            return kid;
        }
    }
    return NULL;
}

const char *
xtreeAttr(XNode *node, const char *name)
{
    size_t i;

    if (!node)
        return NULL;
    for (i = 0; i < node->nattrs; i++) {
        if (strcmp(node->attrs[i].name, name) == 0) {
            node->attrs[i].used = true;
            return node->attrs[i].value;
        }
    }
    return NULL;
}

const char *
xtreeChildText(XNode *node, const char *name)
{
    XNode *kid = xtreeChild(node, name);

    if (!kid)
        return NULL;
    return kid->text ? kid->text : "";
}

void
xtreeMarkUsed(XNode *node)
{
    size_t i;

    node->used = true;
    for (i = 0; i < node->nattrs; i++)
        node->attrs[i].used = true;
    for (i = 0; i < node->nkids; i++)
        xtreeMarkUsed(node->kids[i]);
}

/* True when a used sibling of KID in NODE has the same qualified name:
 * KID is a repeat of an element a parser consumed once. */
static bool
xtreeIsRepeat(const XNode *node, const XNode *kid)
{
    size_t i;

    for (i = 0; i < node->nkids; i++) {
        const XNode *o = node->kids[i];

        if (o != kid && o->used && strcmp(o->name, kid->name) == 0 &&
            ((!o->prefix && !kid->prefix) ||
             (o->prefix && kid->prefix && strcmp(o->prefix, kid->prefix) == 0)))
            return true;
    }
    return false;
}

void
xtreeTakeExtra(XNode *node, XExtra *extra)
{
    size_t i, keep = 0;
    bool *repeat = NULL;

    for (i = 0; i < node->nattrs; i++) {
        XAttr *a = &node->attrs[i];

        if (a->used) {
            node->attrs[keep++] = *a;
            continue;
        }
        allocResize(&extra->attrs, extra->nattrs, extra->nattrs + 1,
                    sizeof(*extra->attrs));
        extra->attrs[extra->nattrs++] = *a;
    }
    node->nattrs = keep;
    if (node->nkids == 0)
        return;
    /* decide on repeats before anything below is marked used */
    ALLOC_N(repeat, node->nkids);
    for (i = 0; i < node->nkids; i++)
        repeat[i] = !node->kids[i]->used && xtreeIsRepeat(node, node->kids[i]);
    keep = 0;
    for (i = 0; i < node->nkids; i++) {
        XNode *kid = node->kids[i];

        if (kid->used || repeat[i]) {
            node->kids[keep++] = kid;
            continue;
        }
        xtreeMarkUsed(kid);
        allocResize(&extra->kids, extra->nkids, extra->nkids + 1,
                    sizeof(*extra->kids));
        extra->kids[extra->nkids++] = kid;
    }
    node->nkids = keep;
    free(repeat);
}

const XNode *
xtreeFirstUnused(const XNode *node)
{
    size_t i;

    for (i = 0; i < node->nkids; i++) {
        if (!node->kids[i]->used && !node->kids[i]->prefix)
            return node->kids[i];
    }
    return NULL;
}

void
xtreeExtraFree(XExtra *extra)
{
    size_t i;

    if (!extra)
        return;
    xtreeAttrsFree(extra->attrs, extra->nattrs);
    for (i = 0; i < extra->nkids; i++)
        xtreeFree(extra->kids[i]);
    free(extra->kids);
    memset(extra, 0, sizeof(*extra));
}

void
xtreeExtraCopy(XExtra *to, const XExtra *from)
{
    size_t i;

    memset(to, 0, sizeof(*to));
    to->attrs = xtreeAttrsCopy(from->attrs, from->nattrs);
    to->nattrs = from->nattrs;
    if (from->nkids == 0)
        return;
    ALLOC_N(to->kids, from->nkids);
    for (i = 0; i < from->nkids; i++)
        to->kids[i] = xtreeCopy(from->kids[i]);
    to->nkids = from->nkids;
}

bool
xtreeExtraNoKids(const XExtra *extra)
{
    return extra->nkids == 0;
}

void
xtreeFormatExtraKids(Buf *b, const XExtra *extra)
{
    size_t i;

    for (i = 0; i < extra->nkids; i++)
        xtreeFormat(b, extra->kids[i], NULL);
}
