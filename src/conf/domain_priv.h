/* domain_priv.h: internals shared by domain parse, format and defaults */
#pragma once

#include "domain.h"

/* How a known top-level child of <domain> is handled. */
typedef enum {
    TOP_TYPED = 0,      /* parsed into typed fields */
    TOP_CARRIED,        /* known, kept as written in def->carried */
} TopKind;

typedef struct {
    const char *name;
    TopKind kind;
} TopElement;

/* Every known child of <domain>, in the order they are formatted. */
extern const TopElement domainTopElements[];
/* Known <devices> children that are kept as written. */
extern const char *const domainCarriedDevices[];
/* Accepted values of <domain type>. */
extern const char *const domainVirtTypeNames[];

/* Fill DEF from the <domain> element ROOT; FLAGS as for domainDefParse. */
int domainParseTree(XNode *root, DomainDef *def, unsigned int flags);
/* Write DEF as a <domain> element. */
void domainFormatTree(Buf *b, const DomainDef *def, unsigned int flags);
/* Apply defaults and checks; 0 or -1 with an error. */
int domainDefaultsApply(DomainDef *def);
/* Append DEV's device to the matching list of DEF, taking ownership. */
void domainDefaultsAppend(DomainDef *def, DomainDevice *dev);
/* Add the controllers that disk drive addresses refer to. */
void domainDefaultsImplicit(DomainDef *def);
