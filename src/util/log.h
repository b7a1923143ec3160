/* log.h: debug log, enabled by VIREO_DEBUG=1 (to stderr) or VIREO_LOG=FILE */
#pragma once

/* Write one debug line tagged CATEGORY when debug logging is on. */
void logDebug(const char *category, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
