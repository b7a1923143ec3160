/* hash.h: a string-keyed hash table (chained, grows as it fills) */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct _Hash Hash;
typedef void (*HashFree)(void *value);
typedef int (*HashIter)(const char *key, void *value, void *opaque);

/* New empty table; FREEFN (may be NULL) releases values on remove/free. */
Hash *hashNew(HashFree freefn);
/* Free the table and, through its free function, its values. NULL is fine. */
void hashFree(Hash *h);
/* Add or replace KEY (copied); the table owns VALUE. */
void hashSet(Hash *h, const char *key, void *value);
/* Borrowed value for KEY, or NULL. */
void *hashGet(const Hash *h, const char *key);
/* Remove KEY, freeing its value; returns true if it was there. */
bool hashRemove(Hash *h, const char *key);
/* Remove KEY and hand its value back without freeing it. */
void *hashSteal(Hash *h, const char *key);
size_t hashSize(const Hash *h);
/* Call FN for every entry in unspecified order; stops early and returns
 * FN's value when FN returns non-zero. FN must not change the table. */
int hashForEach(const Hash *h, HashIter fn, void *opaque);
