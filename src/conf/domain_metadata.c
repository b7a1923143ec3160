/* domain_metadata.c: <metadata> elements kept per namespace URI */
#include "domain_priv.h"
#include "alloc.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#define ERROR_DOMAIN VIR_FROM_DOMAIN

static int
domainMetadataIndex(const DomainDef *def, const char *uri)
{
    size_t i;

    for (i = 0; uri && i < def->nmetadata; i++) {
        if (strcmp(def->metadata[i]->href, uri) == 0)
            return (int)i;
    }
    return -1;
}

static void domainMetadataRename(XNode *node, const char *oldhref,
                                 const char *uri, const char *key);

char *
domainMetadataGet(const DomainDef *def, const char *uri)
{
    int idx = domainMetadataIndex(def, uri);
    Buf b = { 0 };
    XNode *bare;
    char *href;
    char *ret;
    size_t len;

    if (idx < 0) {
        reportError(VIR_ERR_NO_DOMAIN_METADATA, "no metadata for namespace "
                    "'%s' in domain '%s'", uri ? uri : "", def->name);
        return NULL;
    }
    /* handed back as the caller gave it: without our namespace prefix */
    bare = xtreeCopy(def->metadata[idx]);
    href = allocStrdup(bare->href);
    domainMetadataRename(bare, href, NULL, NULL);
    free(href);
    xtreeFormat(&b, bare, NULL);
    xtreeFree(bare);
    ret = bufTake(&b);
    len = strlen(ret);
    if (len > 0 && ret[len - 1] == '\n')
        ret[len - 1] = '\0';
    return ret;
}

bool
domainMetadataRemove(DomainDef *def, const char *uri)
{
    int idx;
    bool found = false;

    while ((idx = domainMetadataIndex(def, uri)) >= 0) {
        xtreeFree(def->metadata[idx]);
        memmove(def->metadata + idx, def->metadata + idx + 1,
                (def->nmetadata - (size_t)idx - 1) * sizeof(XNode *));
        def->nmetadata--;
        found = true;
    }
    return found;
}

/* Put NODE and its descendants sharing its old namespace into URI/KEY. */
static void
domainMetadataRename(XNode *node, const char *oldhref, const char *uri,
                     const char *key)
{
    size_t i;

    if ((!oldhref && node->href) ||
        (oldhref && (!node->href || strcmp(node->href, oldhref) != 0)))
        return;
    free(node->href);
    free(node->prefix);
    node->href = allocStrdup(uri);
    node->prefix = allocStrdup(key);
    for (i = 0; i < node->nkids; i++)
        domainMetadataRename(node->kids[i], oldhref, uri, key);
}

/* A namespace prefix must be an XML name without a colon. */
static bool
domainMetadataKeyValid(const char *key)
{
    const char *p;

    if (!key || !*key || strchr("0123456789-.", *key))
        return false;
    for (p = key; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || strchr("-_.", *p)))
            return false;
    }
    return true;
}

int
domainMetadataSet(DomainDef *def, const char *uri, const char *key,
                  const char *xml)
{
    XNode *node;
    char *oldhref;

    if (!uri) {
        reportError(VIR_ERR_INVALID_ARG, "metadata namespace URI is missing");
        return -1;
    }
    if (!xml) {
        domainMetadataRemove(def, uri);
        return 0;
    }
    if (!domainMetadataKeyValid(key)) {
        reportError(VIR_ERR_INVALID_ARG, "invalid metadata key '%s': "
                    "expected an XML name without ':'", key ? key : "");
        return -1;
    }
    if (!(node = xtreeParse(xml, VIR_FROM_DOMAIN)))
        return -1;
    oldhref = allocStrdup(node->href);
    domainMetadataRename(node, oldhref, uri, key);
    free(oldhref);
    domainMetadataRemove(def, uri);
    allocResize(&def->metadata, def->nmetadata, def->nmetadata + 1,
                sizeof(*def->metadata));
    def->metadata[def->nmetadata++] = node;
    return 0;
}

int
domainMetadataCheckArgs(int type, const char *metadata, const char *key,
                        const char *uri, bool set)
{
    if (type < 0 || type >= VIR_DOMAIN_METADATA_LAST) {
        reportError(VIR_ERR_INVALID_ARG, "unknown metadata type %d", type);
        return -1;
    }
    if (type == VIR_DOMAIN_METADATA_ELEMENT) {
        if (!uri || (set && metadata && !key)) {
            reportError(VIR_ERR_INVALID_ARG,
                        "element metadata needs a namespace uri%s",
                        set ? " and, to set it, a key" : "");
            return -1;
        }
        return 0;
    }
    if (uri || key) {
        reportError(VIR_ERR_INVALID_ARG,
                    "title and description metadata take no uri or key");
        return -1;
    }
    if (type == VIR_DOMAIN_METADATA_TITLE && metadata &&
        strchr(metadata, '\n')) {
        reportError(VIR_ERR_INVALID_ARG, "a title cannot contain newlines");
        return -1;
    }
    return 0;
}

int
domainMetadataApply(DomainDef *def, int type, const char *metadata,
                    const char *key, const char *uri)
{
    char **field;

    if (!def)
        return 0;
    if (type == VIR_DOMAIN_METADATA_ELEMENT) {
        if (!metadata) {
            domainMetadataRemove(def, uri);
            return 0;
        }
        return domainMetadataSet(def, uri, key, metadata);
    }
    field = type == VIR_DOMAIN_METADATA_TITLE ? &def->title
                                              : &def->description;
    free(*field);
    *field = metadata && *metadata ? allocStrdup(metadata) : NULL;
    return 0;
}
