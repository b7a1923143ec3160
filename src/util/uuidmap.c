/* uuidmap.c: UUID -> pointer table with the keys stored in the slots, so a
 * lookup neither formats the UUID nor follows a pointer to compare it */
#include "uuidmap.h"
#include "alloc.h"
#include "uuid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Open addressing with linear probing, at most half full; removal shifts the
 * following run back so that no tombstones are needed. */
typedef struct {
    unsigned char uuid[UUID_LEN];
    void *value;                /* NULL: empty slot */
} UuidMapSlot;

struct _UuidMap {
    UuidMapSlot *slots;
    size_t mask;                /* number of slots - 1 (a power of two) */
    unsigned int shift;         /* 64 - log2(number of slots) */
    size_t count;
};

#define UUID_MAP_MIN_BITS 5

static size_t
uuidMapHome(const UuidMap *m, const unsigned char *uuid)
{
    uint64_t a, b;

    /* the bytes of random UUIDs are already random, but user-chosen ones
     * may differ in a few bytes only: mix all of them */
    memcpy(&a, uuid, sizeof(a));
    memcpy(&b, uuid + sizeof(a), sizeof(b));
    a ^= b * 0xff51afd7ed558ccdULL;
    a ^= a >> 29;
    return (size_t)((a * 0x9e3779b97f4a7c15ULL) >> m->shift);
}

static void
uuidMapAlloc(UuidMap *m, unsigned int bits)
{
    m->slots = allocArray((size_t)1 << bits, sizeof(*m->slots));
    m->mask = ((size_t)1 << bits) - 1;
    m->shift = 64 - bits;
}

UuidMap *
uuidMapNew(void)
{
    UuidMap *m = allocZero(sizeof(*m));

    uuidMapAlloc(m, UUID_MAP_MIN_BITS);
    return m;
}

void
uuidMapFree(UuidMap *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

/* The slot holding UUID, or the empty slot where it would go. */
static UuidMapSlot *
uuidMapFind(const UuidMap *m, const unsigned char *uuid)
{
    size_t i = uuidMapHome(m, uuid);

    while (m->slots[i].value &&
           memcmp(m->slots[i].uuid, uuid, UUID_LEN) != 0)
        i = (i + 1) & m->mask;
    return &m->slots[i];
}

static void
uuidMapGrow(UuidMap *m)
{
    UuidMapSlot *old = m->slots;
    size_t n = m->mask + 1;

    uuidMapAlloc(m, 64 - m->shift + 1);
    for (size_t i = 0; i < n; i++)
        if (old[i].value)
            *uuidMapFind(m, old[i].uuid) = old[i];
    free(old);
}

void
uuidMapSet(UuidMap *m, const unsigned char *uuid, void *value)
{
    UuidMapSlot *s = uuidMapFind(m, uuid);

    if (!s->value) {
        if ((m->count + 1) * 2 > m->mask + 1) {
            uuidMapGrow(m);
            s = uuidMapFind(m, uuid);
        }
        memcpy(s->uuid, uuid, UUID_LEN);
        m->count++;
    }
    s->value = value;
}

void *
uuidMapGet(const UuidMap *m, const unsigned char *uuid)
{
    return uuidMapFind(m, uuid)->value;
}

void *
uuidMapSteal(UuidMap *m, const unsigned char *uuid)
{
    UuidMapSlot *s = uuidMapFind(m, uuid);
    size_t hole = (size_t)(s - m->slots);
    void *value = s->value;

    if (!value)
        return NULL;
    /* close the gap: move back each later entry of the run whose home is
     * not between the hole and its slot (cyclically) */
    for (size_t i = (hole + 1) & m->mask; m->slots[i].value;
         i = (i + 1) & m->mask) {
        size_t home = uuidMapHome(m, m->slots[i].uuid);

        if (((i - home) & m->mask) >= ((i - hole) & m->mask)) {
            m->slots[hole] = m->slots[i];
            hole = i;
        }
    }
    m->slots[hole].value = NULL;
    m->count--;
    return value;
}

size_t
uuidMapSize(const UuidMap *m)
{
    return m->count;
}
