/* buf.h: a growable string buffer */
#pragma once

#include <stddef.h>
#include <stdarg.h>

typedef struct {
    char *data;     /* always NUL-terminated once anything was added */
    size_t len;
    size_t cap;
    int indent;     /* spaces put before each bufAddLine */
} Buf;

/* Append LEN bytes of S. */
void bufAddN(Buf *b, const char *s, size_t len);
/* Append the string S. */
void bufAdd(Buf *b, const char *s);
/* Append printf-formatted text. */
void bufPrintf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bufVPrintf(Buf *b, const char *fmt, va_list ap);
/* Append the current indent, then printf-formatted text. */
void bufLine(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append S with XML escaping of & < > ' ". */
void bufAddEscaped(Buf *b, const char *s);
/* Adjust the indent by DELTA spaces. */
void bufIndent(Buf *b, int delta);
/* Return the content (caller owns it; "" for an empty buffer) and reset B. */
char *bufTake(Buf *b);
/* Free the content and reset B. */
void bufFree(Buf *b);
