/* buf.c: a growable string buffer */
#include "buf.h"
#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
bufReserve(Buf *b, size_t more)
{
    size_t want = b->len + more + 1;
    size_t cap = b->cap ? b->cap : 64;

    if (want <= b->cap)
        return;
    while (cap < want)
        cap *= 2;
    allocResize(&b->data, b->cap, cap, 1);
    b->cap = cap;
}

void
bufAddN(Buf *b, const char *s, size_t len)
{
    bufReserve(b, len);
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void
bufAdd(Buf *b, const char *s)
{
    bufAddN(b, s, strlen(s));
}

void
bufVPrintf(Buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    int n;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    bufReserve(b, n);
    vsnprintf(b->data + b->len, n + 1, fmt, ap);
    b->len += n;
}

void
bufPrintf(Buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    bufVPrintf(b, fmt, ap);
    va_end(ap);
}

void
bufLine(Buf *b, const char *fmt, ...)
{
    va_list ap;

    bufReserve(b, b->indent);
    memset(b->data + b->len, ' ', b->indent);
    b->len += b->indent;
    b->data[b->len] = '\0';
    va_start(ap, fmt);
    bufVPrintf(b, fmt, ap);
    va_end(ap);
}

void
bufAddEscaped(Buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': bufAdd(b, "&amp;"); break;
        case '<': bufAdd(b, "&lt;"); break;
        case '>': bufAdd(b, "&gt;"); break;
        case '\'': bufAdd(b, "&apos;"); break;
        case '"': bufAdd(b, "&quot;"); break;
        default: bufAddN(b, s, 1);
        }
    }
}

void
bufIndent(Buf *b, int delta)
{
    b->indent += delta;
    if (b->indent < 0)
        b->indent = 0;
}

char *
bufTake(Buf *b)
{
    char *s = b->data ? b->data : allocStrdup("");

    memset(b, 0, sizeof(*b));
    return s;
}

void
bufFree(Buf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}
