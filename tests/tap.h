/* tap.h: a tiny TAP producer for vireo's C tests (one "ok"/"not ok" per check) */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

static int tapCount;
static int tapFailed;

/* Record one check: COND true passes. Prints the location on failure. */
#define TAP_OK(cond, ...) \
    tapResult(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* Integers compared with a message showing both values. */
#define TAP_INT(got, want, ...) do { \
        long long tapGot_ = (long long)(got), tapWant_ = (long long)(want); \
        if (!TAP_OK(tapGot_ == tapWant_, __VA_ARGS__)) \
            printf("#   got %lld, want %lld\n", tapGot_, tapWant_); \
    } while (0)
/* Strings compared (NULL-safe). */
#define TAP_STR(got, want, ...) do { \
        const char *tapGs_ = (got), *tapWs_ = (want); \
        if (!TAP_OK(tapGs_ && tapWs_ ? strcmp(tapGs_, tapWs_) == 0 \
                                     : tapGs_ == tapWs_, __VA_ARGS__)) \
            printf("#   got '%s', want '%s'\n", tapGs_ ? tapGs_ : "(null)", \
                   tapWs_ ? tapWs_ : "(null)"); \
    } while (0)

static inline int __attribute__((format(printf, 4, 5)))
tapResult(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    tapCount++;
    printf("%s %d - ", ok ? "ok" : "not ok", tapCount);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!ok) {
        tapFailed++;
        printf("#   at %s:%d\n", file, line);
    }
    fflush(stdout);
    return ok;
}

static inline void
tapSkip(const char *why)
{
    tapCount++;
    printf("ok %d # SKIP %s\n", tapCount, why);
}

/* Print the plan and return the process exit status. */
static inline int
tapDone(void)
{
    printf("1..%d\n", tapCount);
    return tapFailed ? EXIT_FAILURE : EXIT_SUCCESS;
}
