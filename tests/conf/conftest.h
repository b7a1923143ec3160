/* conftest.h: helpers shared by the domain model tests */
#pragma once

#include <stdio.h>
#include <stdlib.h>

/* The whole file PATH as a string (caller frees), NULL if it cannot be
 * read whole. */
static inline char *
confTestReadFile(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long len;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = calloc(1, (size_t)len + 1);
    if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}
