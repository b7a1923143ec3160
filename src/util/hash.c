/* hash.c: a string-keyed hash table (chained, grows as it fills) */
#include "hash.h"
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct _HashEntry HashEntry;
struct _HashEntry {
    void *value;
    HashEntry *next;
    char key[];                 /* in the entry: a lookup reads one block */
};

struct _Hash {
    HashEntry **buckets;
    size_t nbuckets;
    size_t count;
    HashFree freefn;
};

static size_t
hashIndex(const char *key, size_t nbuckets)
{
    uint64_t h = 1469598103934665603ULL;     /* FNV-1a */

    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211ULL;
    return (size_t)(h & (nbuckets - 1));
}

Hash *
hashNew(HashFree freefn)
{
    Hash *h = allocZero(sizeof(*h));

    h->nbuckets = 32;
    h->buckets = allocArray(h->nbuckets, sizeof(*h->buckets));
    h->freefn = freefn;
    return h;
}

void
hashFree(Hash *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nbuckets; i++) {
        HashEntry *e = h->buckets[i];
        while (e) {
            HashEntry *next = e->next;
            if (h->freefn)
                h->freefn(e->value);
            free(e);
            e = next;
        }
    }
    free(h->buckets);
    free(h);
}

static void
hashGrow(Hash *h)
{
    size_t n = h->nbuckets * 2;
    HashEntry **b = allocArray(n, sizeof(*b));

    for (size_t i = 0; i < h->nbuckets; i++) {
        HashEntry *e = h->buckets[i];
        while (e) {
            HashEntry *next = e->next;
            size_t idx = hashIndex(e->key, n);
            e->next = b[idx];
            b[idx] = e;
            e = next;
        }
    }
    free(h->buckets);
    h->buckets = b;
    h->nbuckets = n;
}

static HashEntry **
hashFind(const Hash *h, const char *key)
{
    HashEntry **pp = &h->buckets[hashIndex(key, h->nbuckets)];

    while (*pp && strcmp((*pp)->key, key) != 0)
        pp = &(*pp)->next;
    return pp;
}

void
hashSet(Hash *h, const char *key, void *value)
{
    HashEntry **pp = hashFind(h, key);
    HashEntry *e;
    size_t len;

    if (*pp) {
        if (h->freefn && (*pp)->value != value)
            h->freefn((*pp)->value);
        (*pp)->value = value;
        return;
    }
    len = strlen(key) + 1;
    e = allocZero(sizeof(*e) + len);
    memcpy(e->key, key, len);
    e->value = value;
    *pp = e;
    if (++h->count > h->nbuckets * 3 / 4)
        hashGrow(h);
}

void *
hashGet(const Hash *h, const char *key)
{
    HashEntry *e = *hashFind(h, key);

    return e ? e->value : NULL;
}

void *
hashSteal(Hash *h, const char *key)
{
    HashEntry **pp = hashFind(h, key);
    HashEntry *e = *pp;
    void *value;

    if (!e)
        return NULL;
    *pp = e->next;
    value = e->value;
    free(e);
    h->count--;
    return value;
}

bool
hashRemove(Hash *h, const char *key)
{
    HashEntry *e = *hashFind(h, key);
    void *value;

    if (!e)
        return false;
    value = hashSteal(h, key);
    if (h->freefn)
        h->freefn(value);
    return true;
}

size_t
hashSize(const Hash *h)
{
    return h->count;
}

int
hashForEach(const Hash *h, HashIter fn, void *opaque)
{
    for (size_t i = 0; i < h->nbuckets; i++) {
        for (HashEntry *e = h->buckets[i]; e; e = e->next) {
            int rc = fn(e->key, e->value, opaque);
            if (rc)
                return rc;
        }
    }
    return 0;
}
