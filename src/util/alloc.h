/* alloc.h: allocation wrappers that abort on out-of-memory */
#pragma once

#include <stddef.h>
#include <stdarg.h>

/* Zeroed memory for SIZE bytes; never returns NULL. */
void *allocZero(size_t size);
/* Zeroed array of N elements of SIZE bytes (overflow checked). */
void *allocArray(size_t n, size_t size);
/* Resize *PTR to N elements of SIZE bytes; new bytes past OLDN are zeroed. */
void allocResize(void *ptrptr, size_t oldn, size_t n, size_t size);
/* Grow the array at *PTRPTR holding *COUNT elements to make room for one more;
 * *CAP is its capacity. Doubles as needed. */
void allocGrow(void *ptrptr, size_t *cap, size_t count, size_t size);
/* strdup that returns NULL only for a NULL argument. */
char *allocStrdup(const char *s);
char *allocStrndup(const char *s, size_t n);
/* printf into a new string. */
char *allocPrintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *allocVPrintf(const char *fmt, va_list ap);
/* Free *PTRPTR and set it to NULL. */
void allocClear(void *ptrptr);

#define ALLOC(ptr) ((ptr) = allocZero(sizeof(*(ptr))))
#define ALLOC_N(ptr, n) ((ptr) = allocArray((n), sizeof(*(ptr))))
#define FREE(ptr) allocClear(&(ptr))
