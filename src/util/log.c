/* log.c: debug log, enabled by VIREO_DEBUG=1 (to stderr) or VIREO_LOG=FILE */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_once_t logOnce = PTHREAD_ONCE_INIT;
static FILE *logFile;

static void
logInit(void)
{
    const char *path = getenv("VIREO_LOG");
    const char *dbg = getenv("VIREO_DEBUG");

    if (path && *path)
        logFile = fopen(path, "ae");
    else if (dbg && *dbg && *dbg != '0')
        logFile = stderr;
}

void
logDebug(const char *category, const char *fmt, ...)
{
    struct timespec ts;
    va_list ap;

    pthread_once(&logOnce, logInit);
    if (!logFile)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    flockfile(logFile);
    fprintf(logFile, "%lld.%06ld %d %s: ", (long long)ts.tv_sec,
            ts.tv_nsec / 1000, (int)getpid(), category);
    va_start(ap, fmt);
    vfprintf(logFile, fmt, ap);
    va_end(ap);
    fputc('\n', logFile);
    fflush(logFile);
    funlockfile(logFile);
}
