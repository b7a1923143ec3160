/* errors.c: how the CLI reports failures: "error: ..." on stderr */
#include "vireo.h"

#include <stdarg.h>

/* Print the calling thread's last libvirt error. */
void
errorsReport(void)
{
    const char *msg = virGetLastErrorMessage();

    fprintf(stderr, "error: %s\n", msg && *msg ? msg : "unknown error");
}

/* Print an error of the CLI's own making. */
void
errorsPrintf(const char *fmt, ...)
{
    va_list ap;

    fputs("error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Report a command line we reject, with CMD's usage line; returns -1 so
 * that parsers can 'return errorsUsage(...)'. */
int
errorsUsage(const Cmd *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "error: %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cmdtabUsage(stderr, cmd);
    return -1;
}
