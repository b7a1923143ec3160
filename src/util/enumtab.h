/* enumtab.h: enum <-> string conversion through NULL-terminated name tables */
#pragma once

/* Index of S in the NULL-terminated table NAMES, or -1 (also for NULL S). */
int enumtabParse(const char *const *names, const char *s);
/* Name for VALUE in NAMES, or NULL when out of range. */
const char *enumtabName(const char *const *names, int value);
