/* uuid.h: 16-byte UUIDs, random generation, parsing and formatting */
#pragma once

#include <stdbool.h>

#define UUID_LEN 16
#define UUID_STRLEN 37

/* Fill UUID with a random (version 4) UUID. */
void uuidGenerate(unsigned char *uuid);
/* Parse STR (36 chars with dashes, or 32 hex digits) into UUID.
 * Returns 0, or -1 on a malformed string (no error is reported). */
int uuidParse(const char *str, unsigned char *uuid);
/* Write the dashed lowercase form of UUID into OUT (UUID_STRLEN bytes). */
void uuidFormat(const unsigned char *uuid, char *out);
/* True when every byte is zero. */
bool uuidIsNull(const unsigned char *uuid);
