/* alloc.c: allocation wrappers that abort on out-of-memory */
#include "alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
allocDie(size_t size)
{
    fprintf(stderr, "vireo: out of memory allocating %zu bytes\n", size);
    abort();
}

/* Below this size allocZero uses malloc and memset: glibc's calloc skips
 * the per-thread cache and costs ~200 instructions per small block (a
 * domain object, a stats record), malloc from the cache a few dozen.
 * Larger blocks keep calloc, which gets fresh pages zeroed for free. */
#define ALLOC_SMALL 1024

void *
allocZero(size_t size)
{
    void *p;

    if (size && size <= ALLOC_SMALL) {
        if (!(p = malloc(size)))
            allocDie(size);
        /* hide where p came from, or the compiler turns this back into
         * calloc */
        __asm__("" : "+r"(p));
        return memset(p, 0, size);
    }
    if (!(p = calloc(1, size ? size : 1)))
        allocDie(size);
    return p;
}

void *
allocArray(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        allocDie(SIZE_MAX);
    p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        allocDie(n * size);
    return p;
}

void
allocResize(void *ptrptr, size_t oldn, size_t n, size_t size)
{
    void **pp = ptrptr;
    void *p;

    if (size && n > SIZE_MAX / size)
        allocDie(SIZE_MAX);
    p = realloc(*pp, n && size ? n * size : 1);
    if (!p)
        allocDie(n * size);
    if (n > oldn)
        memset((char *)p + oldn * size, 0, (n - oldn) * size);
    *pp = p;
}

void
allocGrow(void *ptrptr, size_t *cap, size_t count, size_t size)
{
    size_t want;

    if (count < *cap)
        return;
    want = *cap ? *cap * 2 : 8;
    allocResize(ptrptr, *cap, want, size);
    *cap = want;
}

char *
allocStrdup(const char *s)
{
    char *p;

    if (!s)
        return NULL;
    if (!(p = strdup(s)))
        allocDie(strlen(s) + 1);
    return p;
}

char *
allocStrndup(const char *s, size_t n)
{
    char *p;

    if (!s)
        return NULL;
    if (!(p = strndup(s, n)))
        allocDie(n + 1);
    return p;
}

char *
allocVPrintf(const char *fmt, va_list ap)
{
    char *p = NULL;

    if (vasprintf(&p, fmt, ap) < 0)
        allocDie(strlen(fmt));
    return p;
}

char *
allocPrintf(const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = allocVPrintf(fmt, ap);
    va_end(ap);
    return p;
}

void
allocClear(void *ptrptr)
{
    void **pp = ptrptr;

    free(*pp);
    *pp = NULL;
}
