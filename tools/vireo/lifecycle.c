/* lifecycle.c: commands that change domains: define, undefine, create,
 * start, destroy, shutdown, reboot, reset, suspend, resume, autostart */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FLAGS(ctx, table) ARGS_FLAGS(ctx, table)

/* Turn --mode's comma-separated list into shutdown/reboot flags (the two
 * share their values). Returns -1 after a usage error. */
static int
lifecycleModeFlags(const Ctx *ctx, unsigned int *flags)
{
    static const OptFlag modes[] = {
        { "acpi", VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN },
        { "agent", VIR_DOMAIN_SHUTDOWN_GUEST_AGENT },
        { "initctl", VIR_DOMAIN_SHUTDOWN_INITCTL },
        { "signal", VIR_DOMAIN_SHUTDOWN_SIGNAL },
        { "paravirt", VIR_DOMAIN_SHUTDOWN_PARAVIRT },
    };
    const char *s = cmdtabString(ctx, "mode");

    *flags = 0;
    while (s && *s) {
        size_t len = strcspn(s, ",");
        size_t i;

        for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
            if (strlen(modes[i].opt) == len &&
                strncmp(modes[i].opt, s, len) == 0)
                break;
        }
        if (i == sizeof(modes) / sizeof(modes[0]))
            return errorsUsage(ctx->cmd, "unknown mode '%.*s'", (int)len, s);
        *flags |= modes[i].flag;
        s += len;
        s += *s == ',';
    }
    return 0;
}

int
lifecycleDefine(Ctx *ctx)
{
    const char *file = cmdtabString(ctx, "file");
    unsigned int flags = 0;
    virDomainPtr dom = NULL;
    char *xml;

    if (!(xml = fileRead(file)))
        return EXIT_FAIL;
    if (cmdtabBool(ctx, "validate"))
        flags |= VIR_DOMAIN_DEFINE_VALIDATE;
    dom = flags ? virDomainDefineXMLFlags(ctx->conn, xml, flags)
                : virDomainDefineXML(ctx->conn, xml);
    free(xml);
    if (!dom) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' defined from %s", virDomainGetName(dom),
               file);
    virDomainFree(dom);
    return EXIT_OK;
}

int
lifecycleUndefine(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "managed-save", VIR_DOMAIN_UNDEFINE_MANAGED_SAVE },
        { "snapshots-metadata", VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA },
        { "checkpoints-metadata", VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA },
        { "nvram", VIR_DOMAIN_UNDEFINE_NVRAM },
        { "keep-nvram", VIR_DOMAIN_UNDEFINE_KEEP_NVRAM },
        { "tpm", VIR_DOMAIN_UNDEFINE_TPM },
        { "keep-tpm", VIR_DOMAIN_UNDEFINE_KEEP_TPM },
    };
    unsigned int flags = FLAGS(ctx, opts);
    int r;

    r = flags ? virDomainUndefineFlags(ctx->dom, flags)
              : virDomainUndefine(ctx->dom);
    if (r < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' has been undefined",
               virDomainGetName(ctx->dom));
    return EXIT_OK;
}

int
lifecycleCreate(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "paused", VIR_DOMAIN_START_PAUSED },
        { "autodestroy", VIR_DOMAIN_START_AUTODESTROY },
        { "validate", VIR_DOMAIN_START_VALIDATE },
    };
    const char *file = cmdtabString(ctx, "file");
    virDomainPtr dom;
    Progress *p;
    char *xml;
    int ret = EXIT_OK;

    if (!(xml = fileRead(file)))
        return EXIT_FAIL;
    p = progressStart(ctx, "creating the domain");
    dom = virDomainCreateXML(ctx->conn, xml, FLAGS(ctx, opts));
    progressStop(p);
    free(xml);
    if (!dom) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' created from %s", virDomainGetName(dom),
               file);
    if (cmdtabBool(ctx, "console"))
        ret = consoleAttach(dom, NULL, 0);
    virDomainFree(dom);
    return ret;
}

int
lifecycleStart(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "paused", VIR_DOMAIN_START_PAUSED },
        { "autodestroy", VIR_DOMAIN_START_AUTODESTROY },
        { "bypass-cache", VIR_DOMAIN_START_BYPASS_CACHE },
        { "force-boot", VIR_DOMAIN_START_FORCE_BOOT },
        { "reset-nvram", VIR_DOMAIN_START_RESET_NVRAM },
    };
    const char *name = virDomainGetName(ctx->dom);
    unsigned int flags = FLAGS(ctx, opts);
    char what[300];
    Progress *p;
    int active, r;

    if ((active = virDomainIsActive(ctx->dom)) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    if (active) {
        errorsPrintf("domain '%s' is already active", name);
        return EXIT_FAIL;
    }
    snprintf(what, sizeof(what), "starting domain '%s'", name);
    p = progressStart(ctx, what);
    r = flags ? virDomainCreateWithFlags(ctx->dom, flags)
              : virDomainCreate(ctx->dom);
    progressStop(p);
    if (r < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' started", name);
    if (cmdtabBool(ctx, "console"))
        return consoleAttach(ctx->dom, NULL, 0);
    return EXIT_OK;
}

int
lifecycleDestroy(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "graceful", VIR_DOMAIN_DESTROY_GRACEFUL },
        { "remove-logs", VIR_DOMAIN_DESTROY_REMOVE_LOGS },
    };
    const char *name = virDomainGetName(ctx->dom);
    unsigned int flags = FLAGS(ctx, opts);
    char what[300];
    Progress *p;
    int r;

    snprintf(what, sizeof(what), "destroying domain '%s'", name);
    p = progressStart(ctx, what);
    r = flags ? virDomainDestroyFlags(ctx->dom, flags)
              : virDomainDestroy(ctx->dom);
    progressStop(p);
    if (r < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' destroyed", name);
    return EXIT_OK;
}

/* Poll CTX's domain until it is shut off (or gone, if it was transient),
 * for at most TIMEOUT seconds (0: no limit). */
static int
lifecycleWaitShutoff(Ctx *ctx, int timeout)
{
    const char *name = virDomainGetName(ctx->dom);
    time_t deadline = time(NULL) + timeout;
    char what[300];
    Progress *p;
    int state, reason;
    int ret = EXIT_FAIL;

    snprintf(what, sizeof(what), "waiting for domain '%s' to shut down",
             name);
    p = progressStart(ctx, what);
    for (;;) {
        if (virDomainGetState(ctx->dom, &state, &reason, 0) < 0) {
            if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
                break;
            errorsReport();
            goto cleanup;
        }
        if (state == VIR_DOMAIN_SHUTOFF)
            break;
        if (timeout > 0 && time(NULL) >= deadline) {
            progressStop(p);
            p = NULL;
            errorsPrintf("domain '%s' did not shut down within %d seconds",
                         name, timeout);
            goto cleanup;
        }
        usleep(200 * 1000);
    }
    ret = EXIT_OK;

 cleanup:
    progressStop(p);
    if (ret == EXIT_OK)
        outputDone(ctx, "Domain '%s' is shut off", name);
    return ret;
}

int
lifecycleShutdown(Ctx *ctx)
{
    unsigned int flags;
    int timeout = 0;
    int r;

    if (lifecycleModeFlags(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (cmdtabInt(ctx, "timeout", &timeout) && !cmdtabBool(ctx, "wait")) {
        errorsUsage(ctx->cmd, "--timeout needs --wait");
        return EXIT_USAGE;
    }
    r = flags ? virDomainShutdownFlags(ctx->dom, flags)
              : virDomainShutdown(ctx->dom);
    if (r < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' is being shutdown",
               virDomainGetName(ctx->dom));
    if (cmdtabBool(ctx, "wait"))
        return lifecycleWaitShutoff(ctx, timeout);
    return EXIT_OK;
}

int
lifecycleReboot(Ctx *ctx)
{
    unsigned int flags;
    const char *name = virDomainGetName(ctx->dom);
    char what[300];
    Progress *p;
    int r;

    if (lifecycleModeFlags(ctx, &flags) < 0)
        return EXIT_USAGE;
    snprintf(what, sizeof(what), "rebooting domain '%s'", name);
    p = progressStart(ctx, what);
    r = virDomainReboot(ctx->dom, flags);
    progressStop(p);
    if (r < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' is being rebooted", name);
    return EXIT_OK;
}

int
lifecycleReset(Ctx *ctx)
{
    if (virDomainReset(ctx->dom, 0) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' was reset", virDomainGetName(ctx->dom));
    return EXIT_OK;
}

int
lifecycleSuspend(Ctx *ctx)
{
    if (virDomainSuspend(ctx->dom) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' suspended", virDomainGetName(ctx->dom));
    return EXIT_OK;
}

int
lifecycleResume(Ctx *ctx)
{
    if (virDomainResume(ctx->dom) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' resumed", virDomainGetName(ctx->dom));
    return EXIT_OK;
}

int
lifecycleAutostart(Ctx *ctx)
{
    bool disable = cmdtabBool(ctx, "disable");

    if (virDomainSetAutostart(ctx->dom, !disable) < 0) {
        errorsReport();
        return EXIT_FAIL;
    }
    outputDone(ctx, "Domain '%s' %s as autostarted",
               virDomainGetName(ctx->dom), disable ? "unmarked" : "marked");
    return EXIT_OK;
}
