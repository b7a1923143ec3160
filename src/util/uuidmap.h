/* uuidmap.h: a table from 16-byte binary UUIDs to pointers */
#pragma once

#include <stddef.h>

typedef struct _UuidMap UuidMap;

/* New empty table. */
UuidMap *uuidMapNew(void);
/* Free the table (not its values). NULL is fine. */
void uuidMapFree(UuidMap *m);
/* Add or replace UUID -> VALUE (VALUE must not be NULL; borrowed). */
void uuidMapSet(UuidMap *m, const unsigned char *uuid, void *value);
/* The value for UUID, or NULL. */
void *uuidMapGet(const UuidMap *m, const unsigned char *uuid);
/* Remove UUID; returns its value, or NULL when it was absent. */
void *uuidMapSteal(UuidMap *m, const unsigned char *uuid);
size_t uuidMapSize(const UuidMap *m);
