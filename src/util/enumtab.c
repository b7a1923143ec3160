/* enumtab.c: enum <-> string conversion through NULL-terminated name tables */
#include "enumtab.h"

#include <string.h>

int
enumtabParse(const char *const *names, const char *s)
{
    int i;

    if (!s)
        return -1;
    for (i = 0; names[i]; i++) {
        if (strcmp(names[i], s) == 0)
            return i;
    }
    return -1;
}

const char *
enumtabName(const char *const *names, int value)
{
    int i;

    if (value < 0)
        return NULL;
    for (i = 0; names[i]; i++) {
        if (i == value)
            return names[i];
    }
    return NULL;
}
