/* output.c: printing results: aligned tables, "key: value" lines, JSON */
#include "vireo.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct OutputTable {
    size_t ncols;
    size_t nrows;               /* the header included */
    char **cells;               /* nrows * ncols strings */
};

static char *
outputStrdup(const char *s)
{
    char *copy = strdup(s ? s : "");

    if (!copy)
        abort();
    return copy;
}

/* A table with NCOLS columns headed by HEADERS; free with outputTableFree. */
OutputTable *
outputTableNew(size_t ncols, const char *const *headers)
{
    OutputTable *t = calloc(1, sizeof(*t));

    if (!t)
        abort();
    t->ncols = ncols;
    outputTableAdd(t, headers);
    return t;
}

/* Append a row; CELLS (ncols strings) are copied. */
void
outputTableAdd(OutputTable *t, const char *const *cells)
{
    char **grown = realloc(t->cells,
                           (t->nrows + 1) * t->ncols * sizeof(*t->cells));

    if (!grown)
        abort();
    t->cells = grown;
    for (size_t c = 0; c < t->ncols; c++)
        t->cells[t->nrows * t->ncols + c] = outputStrdup(cells[c]);
    t->nrows++;
}

/* Print the table virsh-style on stdout: a space before each cell, three
 * spaces between columns, a line of dashes under the header and an empty
 * line at the end. */
void
outputTablePrint(const OutputTable *t)
{
    size_t width[16] = { 0 };
    size_t ncols = t->ncols < 16 ? t->ncols : 16;
    size_t dashes = 0;

    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < ncols; c++) {
            size_t len = strlen(t->cells[r * t->ncols + c]);

            if (len > width[c])
                width[c] = len;
        }
    }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];

            if (c + 1 < ncols)
                printf(" %-*s  ", (int)width[c], cell);
            else
                printf(" %s\n", cell);
        }
        if (r == 0) {
            for (size_t c = 0; c < ncols; c++)
                dashes += width[c] + 3;
            for (size_t d = 0; d < dashes; d++)
                putchar('-');
            putchar('\n');
        }
    }
    putchar('\n');
}

void
outputTableFree(OutputTable *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}

/* Print "KEY VALUE" with KEY (which carries its colon) padded to WIDTH. */
void
outputField(int width, const char *key, const char *fmt, ...)
{
    va_list ap;

    printf("%-*s ", width, key);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* Print OBJ as one indented JSON document on stdout, and release it. */
int
outputJSON(json_object *obj)
{
    printf("%s\n", json_object_to_json_string_ext(obj,
           JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
           JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(obj);
    return EXIT_OK;
}

/* Confirm a completed action on stdout, unless --quiet. */
void
outputDone(const Ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    if (ctx->quiet)
        return;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* BYTES in the largest binary unit that keeps it at least 1, with three
 * decimals: "10.000 GiB", "512 bytes". */
void
outputSize(char *buf, size_t len, unsigned long long bytes)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
                                         "EiB" };
    double v = (double)bytes;
    int u = -1;

    while (v >= 1024 && u < 5) {
        v /= 1024;
        u++;
    }
    if (u < 0)
        snprintf(buf, len, "%llu bytes", bytes);
    else
        snprintf(buf, len, "%.3f %s", v, units[u]);
}
