/* xmlconf.h: typed reading of XNode attributes and text, and formatting */
#pragma once

#include <stdbool.h>

#include "buf.h"
#include "xtree.h"

/* A yes/no attribute that may be absent. */
typedef enum {
    TRI_ABSENT = 0,
    TRI_YES,
    TRI_NO,
} Tristate;

/* Readers of attribute ATTR of NODE. Each returns 0 when absent (OUT left
 * alone), 1 when read, -1 with VIR_ERR_XML_DETAIL when malformed. */
int xmlconfUInt(XNode *node, const char *attr, unsigned int *out);
int xmlconfInt(XNode *node, const char *attr, int *out);
int xmlconfULL(XNode *node, const char *attr, unsigned long long *out);
/* yes/no (also on/off). */
int xmlconfTristate(XNode *node, const char *attr, Tristate *out);
/* Index in the NULL-terminated NAMES; unknown values give
 * VIR_ERR_CONFIG_UNSUPPORTED. */
int xmlconfEnum(XNode *node, const char *attr, const char *const *names,
                int *out);
/* Like xmlconfEnum but keeps the string (copied into *OUT). */
int xmlconfEnumStr(XNode *node, const char *attr, const char *const *names,
                   char **out);
/* Copy of attribute ATTR, NULL when absent. */
char *xmlconfStr(XNode *node, const char *attr);
/* Copy of the text of child element NAME ("" when empty), NULL if absent. */
char *xmlconfText(XNode *node, const char *name);
/* Numbers in the text of child NAME. Same returns as the attribute readers. */
int xmlconfTextULL(XNode *node, const char *name, unsigned long long *out);
int xmlconfTextLL(XNode *node, const char *name, long long *out);
int xmlconfTextUInt(XNode *node, const char *name, unsigned int *out);
/* A size in the text of child NAME scaled by its unit attribute (default
 * KiB) into KiB, rounded up. */
int xmlconfTextScaled(XNode *node, const char *name,
                      unsigned long long *kib);

/* Formatting: ' name='value'' (escaped), nothing when VALUE is NULL. */
void xmlconfAttr(Buf *b, const char *name, const char *value);
void xmlconfAttrTri(Buf *b, const char *name, Tristate value);
/* A whole line <name>text</name>, nothing when TEXT is NULL. */
void xmlconfTextElem(Buf *b, const char *name, const char *text);
/* Finish an open tag: extra attributes, then "/>" or the extra children
 * and the closing tag. */
void xmlconfEnd(Buf *b, const char *name, const XExtra *extra);
/* Close an element with children: extra children, then </name>, after
 * bufIndent(-2). The caller wrote ">\n" and indented by 2. */
void xmlconfClose(Buf *b, const char *name, const XExtra *extra);
