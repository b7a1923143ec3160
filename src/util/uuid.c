/* uuid.c: 16-byte UUIDs, random generation, parsing and formatting */
#include "uuid.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

void
uuidGenerate(unsigned char *uuid)
{
    ssize_t got = getrandom(uuid, UUID_LEN, 0);

    if (got != UUID_LEN) {
        /* getrandom cannot fail for 16 bytes on a booted system; be safe. */
        unsigned int seed = (unsigned int)time(NULL) ^ (unsigned int)clock();
        for (int i = 0; i < UUID_LEN; i++)
            uuid[i] = (unsigned char)rand_r(&seed);
    }
    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
}

static int
uuidHexVal(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int
uuidParse(const char *str, unsigned char *uuid)
{
    int n = 0;

    if (!str)
        return -1;
    while (*str == ' ')
        str++;
    while (*str && n < UUID_LEN) {
        int hi, lo;

        if (*str == '-') {
            str++;
            continue;
        }
        if ((hi = uuidHexVal(str[0])) < 0 || (lo = uuidHexVal(str[1])) < 0)
            return -1;
        uuid[n++] = (unsigned char)(hi << 4 | lo);
        str += 2;
    }
    while (*str == ' ')
        str++;
    return n == UUID_LEN && *str == '\0' ? 0 : -1;
}

void
uuidFormat(const unsigned char *uuid, char *out)
{
    static const char hex[] = "0123456789abcdef";

    /* by hand: snprintf with 16 conversions cost ~6000 instructions, and
     * drivers format a UUID on every lookup */
    for (int i = 0; i < UUID_LEN; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *out++ = '-';
        *out++ = hex[uuid[i] >> 4];
        *out++ = hex[uuid[i] & 0xf];
    }
    *out = '\0';
}

bool
uuidIsNull(const unsigned char *uuid)
{
    for (int i = 0; i < UUID_LEN; i++)
        if (uuid[i])
            return false;
    return true;
}
