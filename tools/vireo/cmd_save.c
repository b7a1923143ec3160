/* cmd_save.c: saving a domain's memory to a file and back (save, restore,
 * managedsave*, save-image-*), core dumps, and the domain job commands
 * (domjobinfo, domjobabort) that report and cancel them */
#include "vireo.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const OptFlag saveFlags[] = {
    { "bypass-cache", VIR_DOMAIN_SAVE_BYPASS_CACHE },
    { "running", VIR_DOMAIN_SAVE_RUNNING },
    { "paused", VIR_DOMAIN_SAVE_PAUSED },
    { "reset-nvram", VIR_DOMAIN_SAVE_RESET_NVRAM },
};

/* The flags of SAVEFLAGS CTX has; -1 after a usage error. */
static int
saveFlagsGet(const Ctx *ctx, unsigned int *flags)
{
    if (argsExclusive(ctx, "running", "paused") < 0)
        return -1;
    *flags = ARGS_FLAGS(ctx, saveFlags);
    return 0;
}

/* The text of the --xml file, or NULL if not given; *BAD is set after a
 * failure to read it (printed). */
static char *
saveReadXML(const Ctx *ctx, bool *bad)
{
    const char *file = cmdtabString(ctx, "xml");
    char *xml = NULL;

    *bad = false;
    if (file && !(xml = fileRead(file)))
        *bad = true;
    return xml;
}

static int
saveSave(Ctx *ctx)
{
    const char *file = cmdtabString(ctx, "file");
    unsigned int flags;
    Progress *p;
    char *xml;
    bool bad;
    int r;

    if (saveFlagsGet(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (!(xml = saveReadXML(ctx, &bad)) && bad)
        return EXIT_FAIL;
    p = progressStartJob(ctx, "Save", ctx->dom);
    if (xml || flags)
        r = virDomainSaveFlags(ctx->dom, file, xml, flags);
    else
        r = virDomainSave(ctx->dom, file);
    progressStop(p);
    free(xml);
    if (r < 0)
        return argsFail();
    outputDone(ctx, "Domain '%s' saved to %s", virDomainGetName(ctx->dom),
               file);
    return EXIT_OK;
}

static int
saveRestore(Ctx *ctx)
{
    const char *file = cmdtabString(ctx, "file");
    unsigned int flags;
    Progress *p;
    char *xml;
    bool bad;
    int r;

    if (saveFlagsGet(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (!(xml = saveReadXML(ctx, &bad)) && bad)
        return EXIT_FAIL;
    /* no domain to poll yet: the spinner */
    p = progressStart(ctx, "Restore");
    if (xml || flags)
        r = virDomainRestoreFlags(ctx->conn, file, xml, flags);
    else
        r = virDomainRestore(ctx->conn, file);
    progressStop(p);
    free(xml);
    if (r < 0)
        return argsFail();
    outputDone(ctx, "Domain restored from %s", file);
    return EXIT_OK;
}

static int
saveManagedSave(Ctx *ctx)
{
    unsigned int flags;
    Progress *p;
    int r;

    if (saveFlagsGet(ctx, &flags) < 0)
        return EXIT_USAGE;
    p = progressStartJob(ctx, "Managed save", ctx->dom);
    r = virDomainManagedSave(ctx->dom, flags);
    progressStop(p);
    if (r < 0)
        return argsFail();
    outputDone(ctx, "Domain '%s' state saved by libvirt",
               virDomainGetName(ctx->dom));
    return EXIT_OK;
}

static int
saveManagedSaveRemove(Ctx *ctx)
{
    const char *name = virDomainGetName(ctx->dom);
    int has = virDomainHasManagedSaveImage(ctx->dom, 0);

    if (has < 0)
        return argsFail();
    if (!has) {
        outputDone(ctx, "Domain '%s' has no managed save image; removal "
                   "skipped", name);
        return EXIT_OK;
    }
    if (virDomainManagedSaveRemove(ctx->dom, 0) < 0)
        return argsFail();
    outputDone(ctx, "Removed managed save image of domain '%s'", name);
    return EXIT_OK;
}

/* Print XML (which we free), or {"xml": ...} with --json; NULL: failed. */
static int
savePrintXML(const Ctx *ctx, char *xml)
{
    size_t len;

    if (!xml)
        return argsFail();
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "xml", json_object_new_string(xml));
        outputJSON(obj);
    } else {
        len = strlen(xml);
        fputs(xml, stdout);
        if (len == 0 || xml[len - 1] != '\n')
            putchar('\n');
    }
    free(xml);
    return EXIT_OK;
}

static unsigned int
saveXMLFlags(const Ctx *ctx)
{
    return cmdtabBool(ctx, "security-info") ? VIR_DOMAIN_XML_SECURE : 0;
}

static int
saveManagedSaveDumpxml(Ctx *ctx)
{
    return savePrintXML(ctx, virDomainManagedSaveGetXMLDesc(ctx->dom,
                                                            saveXMLFlags(ctx)));
}

static int
saveImageDumpxml(Ctx *ctx)
{
    return savePrintXML(ctx, virDomainSaveImageGetXMLDesc(ctx->conn,
        cmdtabString(ctx, "file"), saveXMLFlags(ctx)));
}

/* managedsave-define and save-image-define: replace the XML kept in a
 * save image. */
static int
saveDefine(Ctx *ctx, bool managed)
{
    const char *file = cmdtabString(ctx, "xml");
    unsigned int flags;
    char *xml;
    int r;

    if (saveFlagsGet(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (!(xml = fileRead(file)))
        return EXIT_FAIL;
    if (managed)
        r = virDomainManagedSaveDefineXML(ctx->dom, xml, flags);
    else
        r = virDomainSaveImageDefineXML(ctx->conn, cmdtabString(ctx, "file"),
                                        xml, flags);
    free(xml);
    if (r < 0)
        return argsFail();
    if (managed)
        outputDone(ctx, "Managed save image of domain '%s' updated",
                   virDomainGetName(ctx->dom));
    else
        outputDone(ctx, "State file %s updated", cmdtabString(ctx, "file"));
    return EXIT_OK;
}

static int
saveManagedSaveDefine(Ctx *ctx)
{
    return saveDefine(ctx, true);
}

static int
saveImageDefine(Ctx *ctx)
{
    return saveDefine(ctx, false);
}

static const char *const dumpFormats[] = {
    [VIR_DOMAIN_CORE_DUMP_FORMAT_RAW] = "raw",
    [VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB] = "kdump-zlib",
    [VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO] = "kdump-lzo",
    [VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY] = "kdump-snappy",
    [VIR_DOMAIN_CORE_DUMP_FORMAT_WIN_DMP] = "win-dmp",
};

static int
saveDump(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "live", VIR_DUMP_LIVE },
        { "crash", VIR_DUMP_CRASH },
        { "bypass-cache", VIR_DUMP_BYPASS_CACHE },
        { "reset", VIR_DUMP_RESET },
        { "memory-only", VIR_DUMP_MEMORY_ONLY },
    };
    const char *file = cmdtabString(ctx, "file");
    const char *format = cmdtabString(ctx, "format");
    unsigned int flags = ARGS_FLAGS(ctx, opts);
    Progress *p;
    int r, fmt = -1;

    if (argsExclusive(ctx, "live", "crash") < 0 ||
        argsExclusive(ctx, "reset", "crash") < 0)
        return EXIT_USAGE;
    if (format) {
        for (size_t i = 0; i < sizeof(dumpFormats) / sizeof(*dumpFormats);
             i++) {
            if (strcmp(format, dumpFormats[i]) == 0)
                fmt = (int)i;
        }
        if (fmt < 0) {
            errorsUsage(ctx->cmd, "unknown format '%s'", format);
            return EXIT_USAGE;
        }
        if (!(flags & VIR_DUMP_MEMORY_ONLY)) {
            errorsUsage(ctx->cmd, "--format needs --memory-only");
            return EXIT_USAGE;
        }
    }
    p = progressStartJob(ctx, "Dump", ctx->dom);
    if (fmt >= 0)
        r = virDomainCoreDumpWithFormat(ctx->dom, file, (unsigned int)fmt,
                                        flags);
    else
        r = virDomainCoreDump(ctx->dom, file, flags);
    progressStop(p);
    if (r < 0)
        return argsFail();
    outputDone(ctx, "Domain '%s' dumped to %s", virDomainGetName(ctx->dom),
               file);
    return EXIT_OK;
}

static const char *const jobTypes[] = {
    "None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled",
};

static const char *const jobOperations[] = {
    "Unknown", "Start", "Save", "Restore", "Incoming migration",
    "Outgoing migration", "Snapshot", "Snapshot revert", "Dump", "Backup",
    "Snapshot delete",
};

/* Labels of the job statistics domjobinfo shows, in its order; fields
 * not listed are shown under their own names. */
static const struct {
    const char *field;
    const char *label;
    const char *unit;
} jobLabels[] = {
    { VIR_DOMAIN_JOB_TIME_ELAPSED, "Time elapsed:", "ms" },
    { VIR_DOMAIN_JOB_TIME_REMAINING, "Time remaining:", "ms" },
    { VIR_DOMAIN_JOB_DATA_PROCESSED, "Data processed:", "bytes" },
    { VIR_DOMAIN_JOB_DATA_REMAINING, "Data remaining:", "bytes" },
    { VIR_DOMAIN_JOB_DATA_TOTAL, "Data total:", "bytes" },
    { VIR_DOMAIN_JOB_MEMORY_PROCESSED, "Memory processed:", "bytes" },
    { VIR_DOMAIN_JOB_MEMORY_REMAINING, "Memory remaining:", "bytes" },
    { VIR_DOMAIN_JOB_MEMORY_TOTAL, "Memory total:", "bytes" },
    { VIR_DOMAIN_JOB_MEMORY_BPS, "Memory bandwidth:", "bytes/s" },
    { VIR_DOMAIN_JOB_DISK_PROCESSED, "File processed:", "bytes" },
    { VIR_DOMAIN_JOB_DISK_REMAINING, "File remaining:", "bytes" },
    { VIR_DOMAIN_JOB_DISK_TOTAL, "File total:", "bytes" },
    { VIR_DOMAIN_JOB_DOWNTIME, "Total downtime:", "ms" },
    { VIR_DOMAIN_JOB_SETUP_TIME, "Setup time:", "ms" },
    { VIR_DOMAIN_JOB_ERRMSG, "Error message:", NULL },
};

/* NAME in JSON style: lowercase, spaces as underscores. Caller frees. */
static json_object *
saveJSONName(const char *name)
{
    char *s = strdup(name);
    json_object *obj;

    if (!s)
        abort();
    for (char *p = s; *p; p++)
        *p = *p == ' ' ? '_' : (char)tolower((unsigned char)*p);
    obj = json_object_new_string(s);
    free(s);
    return obj;
}

static const char *
saveEnumName(const char *const *names, size_t n, int value)
{
    return value >= 0 && (size_t)value < n ? names[value] : "unknown";
}

static void
saveJobHuman(int type, const virTypedParameter *params, int n)
{
    int op;

    outputField(17, "Job type:", "%s",
                saveEnumName(jobTypes, 6, type));
    if (virTypedParamsGetInt((virTypedParameterPtr)params, n,
                             VIR_DOMAIN_JOB_OPERATION, &op) == 1)
        outputField(17, "Operation:", "%s",
                    saveEnumName(jobOperations, 11, op));
    for (size_t l = 0; l < sizeof(jobLabels) / sizeof(*jobLabels); l++) {
        for (int i = 0; i < n; i++) {
            char *v;

            if (strcmp(params[i].field, jobLabels[l].field) != 0)
                continue;
            v = paramsValue(&params[i]);
            if (jobLabels[l].unit)
                outputField(17, jobLabels[l].label, "%s %s", v,
                            jobLabels[l].unit);
            else
                outputField(17, jobLabels[l].label, "%s", v);
            free(v);
        }
    }
}

static void
saveJobJSON(int type, const virTypedParameter *params, int n)
{
    json_object *obj = json_object_new_object();
    json_object *stats = paramsJSON(params, n);
    json_object *op = NULL;
    int opnum;

    json_object_object_add(obj, "type",
                           saveJSONName(saveEnumName(jobTypes, 6, type)));
    if (virTypedParamsGetInt((virTypedParameterPtr)params, n,
                             VIR_DOMAIN_JOB_OPERATION, &opnum) == 1)
        op = saveJSONName(saveEnumName(jobOperations, 11, opnum));
    json_object_object_add(obj, "operation", op);
    json_object_object_del(stats, VIR_DOMAIN_JOB_OPERATION);
    json_object_object_add(obj, "stats", stats);
    outputJSON(obj);
}

static int
saveJobinfo(Ctx *ctx)
{
    virTypedParameterPtr params = NULL;
    unsigned int flags = 0;
    int type, n = 0;

    if (cmdtabBool(ctx, "completed"))
        flags |= VIR_DOMAIN_JOB_STATS_COMPLETED;
    if (cmdtabBool(ctx, "keep-completed")) {
        if (!cmdtabBool(ctx, "completed")) {
            errorsUsage(ctx->cmd, "--keep-completed needs --completed");
            return EXIT_USAGE;
        }
        flags |= VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED;
    }
    if (virDomainGetJobStats(ctx->dom, &type, &params, &n, flags) < 0)
        return argsFail();
    if (ctx->json)
        saveJobJSON(type, params, n);
    else
        saveJobHuman(type, params, n);
    virTypedParamsFree(params, n);
    return EXIT_OK;
}

static int
saveJobabort(Ctx *ctx)
{
    if (virDomainAbortJob(ctx->dom) < 0)
        return argsFail();
    outputDone(ctx, "Job of domain '%s' aborted", virDomainGetName(ctx->dom));
    return EXIT_OK;
}

static const CmdOpt optsSave[] = {
    { "file", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "FILE",
      "where to save the domain's state" },
    { "bypass-cache", OPT_BOOL, 0, NULL, "avoid the host's file cache" },
    { "xml", OPT_STRING, 0, "FILE",
      "an alternative domain XML to keep in the image" },
    { "running", OPT_BOOL, 0, NULL, "restore it running" },
    { "paused", OPT_BOOL, 0, NULL, "restore it paused" },
    { "verbose", OPT_BOOL, 0, NULL,
      "show the progress even when standard error is no terminal" },
    { NULL },
};

static const CmdOpt optsRestore[] = {
    { "file", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "FILE",
      "the state file made by save" },
    { "bypass-cache", OPT_BOOL, 0, NULL, "avoid the host's file cache" },
    { "xml", OPT_STRING, 0, "FILE",
      "an alternative domain XML to restore with" },
    { "running", OPT_BOOL, 0, NULL, "start it running" },
    { "paused", OPT_BOOL, 0, NULL, "start it paused" },
    { "reset-nvram", OPT_BOOL, 0, NULL, "start with a fresh NVRAM" },
    { NULL },
};

static const CmdOpt optsManagedSave[] = {
    { "bypass-cache", OPT_BOOL, 0, NULL, "avoid the host's file cache" },
    { "running", OPT_BOOL, 0, NULL, "start it running next time" },
    { "paused", OPT_BOOL, 0, NULL, "start it paused next time" },
    { "verbose", OPT_BOOL, 0, NULL,
      "show the progress even when standard error is no terminal" },
    { NULL },
};

static const CmdOpt optsSecurity[] = {
    { "security-info", OPT_BOOL, 0, NULL,
      "include sensitive data such as passwords" },
    { NULL },
};

static const CmdOpt optsImageDumpxml[] = {
    { "file", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "FILE",
      "the state file" },
    { "security-info", OPT_BOOL, 0, NULL,
      "include sensitive data such as passwords" },
    { NULL },
};

static const CmdOpt optsManagedSaveDefine[] = {
    { "xml", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "XMLFILE",
      "the new domain XML" },
    { "running", OPT_BOOL, 0, NULL, "start it running next time" },
    { "paused", OPT_BOOL, 0, NULL, "start it paused next time" },
    { NULL },
};

static const CmdOpt optsImageDefine[] = {
    { "file", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "FILE",
      "the state file" },
    { "xml", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "XMLFILE",
      "the new domain XML" },
    { "running", OPT_BOOL, 0, NULL, "restore it running" },
    { "paused", OPT_BOOL, 0, NULL, "restore it paused" },
    { NULL },
};

static const CmdOpt optsDump[] = {
    { "file", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "FILE",
      "where to write the dump" },
    { "live", OPT_BOOL, 0, NULL, "dump without pausing the domain" },
    { "crash", OPT_BOOL, 0, NULL, "stop the domain after the dump" },
    { "reset", OPT_BOOL, 0, NULL, "reset the domain after the dump" },
    { "bypass-cache", OPT_BOOL, 0, NULL, "avoid the host's file cache" },
    { "memory-only", OPT_BOOL, 0, NULL, "dump the guest's memory only" },
    { "format", OPT_STRING, 0, "FORMAT",
      "with --memory-only: raw, kdump-zlib, kdump-lzo, kdump-snappy or "
      "win-dmp" },
    { "verbose", OPT_BOOL, 0, NULL,
      "show the progress even when standard error is no terminal" },
    { NULL },
};

static const CmdOpt optsJobinfo[] = {
    { "completed", OPT_BOOL, 0, NULL,
      "the statistics of the last completed job" },
    { "keep-completed", OPT_BOOL, 0, NULL,
      "with --completed, keep them for the next call" },
    { NULL },
};

const Cmd saveCommands[] = {
    { "save", G_SAVE, saveSave, optsSave, CMD_DOMAIN,
      "save a domain's state to a file",
      "Save the running domain's memory and device state to FILE and stop "
      "it; restore brings it back. On a terminal a progress bar follows "
      "the job." },
    { "restore", G_SAVE, saveRestore, optsRestore, 0,
      "restore a domain from a saved state file",
      "Start the domain saved in FILE from the saved state." },
    { "managedsave", G_SAVE, saveManagedSave, optsManagedSave, CMD_DOMAIN,
      "save a domain's state for its next start",
      "Save the running domain's state to a file the driver manages and "
      "stop it; the next start resumes from it." },
    { "managedsave-remove", G_SAVE, saveManagedSaveRemove, NULL, CMD_DOMAIN,
      "remove a domain's managed save image",
      "Remove the managed save image, so that the next start boots "
      "afresh." },
    { "managedsave-dumpxml", G_SAVE, saveManagedSaveDumpxml, optsSecurity,
      CMD_DOMAIN | CMD_QUERY,
      "print the XML of a managed save image",
      "Print the domain XML kept in the domain's managed save image." },
    { "managedsave-define", G_SAVE, saveManagedSaveDefine,
      optsManagedSaveDefine, CMD_DOMAIN,
      "replace the XML of a managed save image",
      "Replace the domain XML kept in the managed save image by XMLFILE; "
      "only changes the host side may see are allowed." },
    { "save-image-dumpxml", G_SAVE, saveImageDumpxml, optsImageDumpxml,
      CMD_QUERY,
      "print the XML of a saved state file",
      "Print the domain XML kept in a state file made by save." },
    { "save-image-define", G_SAVE, saveImageDefine, optsImageDefine, 0,
      "replace the XML of a saved state file",
      "Replace the domain XML kept in state file FILE by XMLFILE." },
    { "dump", G_SAVE, saveDump, optsDump, CMD_DOMAIN,
      "dump a domain's core to a file",
      "Write the domain's memory to FILE for analysis. On a terminal a "
      "progress bar follows the job." },
    { "domjobinfo", G_SAVE, saveJobinfo, optsJobinfo, CMD_DOMAIN | CMD_QUERY,
      "show the progress of a domain's job",
      "Print the type and statistics of the domain's current background "
      "job (save, dump, migration...), or of the last completed one." },
    { "domjobabort", G_SAVE, saveJobabort, NULL, CMD_DOMAIN,
      "abort a domain's job",
      "Cancel the domain's current background job." },
    { NULL },
};
