/* xtree.h: an owned XML element tree built with libxml2 (parse, format) */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct {
    char *name;             /* qualified as written (prefix:local) */
    char *value;
    bool used;              /* set when a parser looked it up */
} XAttr;

typedef struct XNode XNode;
struct XNode {
    char *name;             /* local name */
    char *prefix;           /* namespace prefix, NULL when none */
    char *href;             /* namespace URI, NULL when none */
    XAttr *attrs;
    size_t nattrs;
    XNode **kids;
    size_t nkids;
    char *text;             /* content of a leaf element, NULL if none */
    int line;               /* source line, 0 when built in memory */
    bool used;              /* set when a parser consumed it */
};

/* Unused attributes and children of an element, carried for round-trip. */
typedef struct {
    XAttr *attrs;
    size_t nattrs;
    XNode **kids;
    size_t nkids;
} XExtra;

/* Parse the document XML into a tree; WHAT names it in errors ("domain").
 * Reports VIR_ERR_XML_ERROR with the line and libxml2's reason on malformed
 * input (errors are reported in ERRDOMAIN). Caller owns the result. */
XNode *xtreeParse(const char *xml, int errdomain);
/* New empty element named NAME (copied). */
XNode *xtreeNew(const char *name);
void xtreeFree(XNode *node);
/* Deep copy (NULL gives NULL); usage flags are copied too. */
XNode *xtreeCopy(const XNode *node);
/* Append CHILD to PARENT; takes ownership. */
void xtreeAppend(XNode *parent, XNode *child);
/* Set attribute NAME to VALUE (both copied), replacing an existing one. */
void xtreeSetAttr(XNode *node, const char *name, const char *value);

/* Format NODE at B's indent, one element per line, text escaped. PARENTHREF
 * is the namespace in scope (a declaration is written when it differs). */
void xtreeFormat(Buf *b, const XNode *node, const char *parenthref);
/* Append ' name="value"' for each attribute of EXTRA (escaped). */
void xtreeFormatAttrs(Buf *b, const XAttr *attrs, size_t nattrs);

/* First child element named NAME (no namespace), marked used; NULL if none. */
XNode *xtreeChild(XNode *node, const char *name);
/* The attribute NAME of NODE, marked used; NULL if absent. Borrowed. */
const char *xtreeAttr(XNode *node, const char *name);
/* Text content of the child NAME (marked used), NULL if absent. Borrowed. */
const char *xtreeChildText(XNode *node, const char *name);
/* Mark NODE and everything under it used. */
void xtreeMarkUsed(XNode *node);

/* Move the unused attributes and unused children of NODE into EXTRA.
 * Repeats of a consumed child (a second <alias>) are left behind, so they
 * are dropped rather than moved after the typed children. */
void xtreeTakeExtra(XNode *node, XExtra *extra);
/* First unused child of NODE (ignoring namespaced ones), or NULL. */
const XNode *xtreeFirstUnused(const XNode *node);
void xtreeExtraFree(XExtra *extra);
void xtreeExtraCopy(XExtra *to, const XExtra *from);
/* True when EXTRA holds no children (attributes may be present). */
bool xtreeExtraNoKids(const XExtra *extra);
/* Format EXTRA's children at B's indent. */
void xtreeFormatExtraKids(Buf *b, const XExtra *extra);
