/* error.h: the per-thread last error and how code reports one */
#pragma once

#include <stdbool.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* Set the calling thread's last error: DOMAIN is a VIR_FROM_* value, CODE a
 * VIR_ERR_* value, FUNC the reporting function (for the debug log). */
void errorReport(int domain, int code, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Like errorReport with VIR_ERR_SYSTEM_ERROR; appends ": strerror(ERRNUM)". */
void errorReportSystem(int domain, int errnum, const char *func,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Each .c file defines ERROR_DOMAIN once at the top, then uses these. */
#define reportError(code, ...) \
    errorReport(ERROR_DOMAIN, (code), __func__, __VA_ARGS__)
#define reportSystemError(errnum, ...) \
    errorReportSystem(ERROR_DOMAIN, (errnum), __func__, __VA_ARGS__)

/* The thread's error object (code VIR_ERR_OK when none is set); borrowed. */
virErrorPtr errorLast(void);
/* True when the thread has an error set. */
bool errorIsSet(void);
/* Clear the thread's last error. */
void errorReset(void);
/* Take the thread's error out (caller owns it, NULL if none) and clear it. */
virErrorPtr errorSave(void);
/* Put back an error taken by errorSave; takes ownership; *ERR is set NULL.
 * Does nothing if *ERR is NULL. */
void errorRestore(virErrorPtr *err);
/* Deep-copy FROM into TO (TO's old strings are freed). */
void errorCopy(virErrorPtr to, const virError *from);
/* Free the strings inside ERR and zero it. */
void errorClear(virErrorPtr err);
/* If FUNC failed without setting an error, set an internal error naming it. */
void errorEnsure(const char *func);

/* The global handler set by virSetErrorFunc. */
void errorSetGlobalHandler(void *opaque, virErrorFunc handler);
void errorGetGlobalHandler(void **opaque, virErrorFunc *handler);
/* Hand ERR to HANDLER, or print it on stderr when HANDLER is NULL. */
void errorCallHandler(virErrorFunc handler, void *opaque, virErrorPtr err);
/* Print ERR on stderr the way the default handler does. */
void errorPrint(const virError *err);
