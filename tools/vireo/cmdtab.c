/* cmdtab.c: the table of commands, and what it drives: option parsing,
 * help, shell completion and the man page's command list */
#include "vireo.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const CmdOpt optDomain = {
    "domain", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "DOMAIN",
    "the domain, by id, uuid or name (tried in that order)",
};

static const CmdOpt optJSON = {
    "json", OPT_BOOL, 0, NULL,
    "print the result as one JSON document",
};

static const CmdOpt optsNone[] = {
    { NULL },
};

static const CmdOpt optsList[] = {
    { "all", OPT_BOOL, 0, NULL, "list active and inactive domains" },
    { "inactive", OPT_BOOL, 0, NULL, "list inactive domains only" },
    { "persistent", OPT_BOOL, 0, NULL, "list persistent domains" },
    { "transient", OPT_BOOL, 0, NULL, "list transient domains" },
    { "state-running", OPT_BOOL, 0, NULL, "list running domains" },
    { "state-paused", OPT_BOOL, 0, NULL, "list paused domains" },
    { "state-shutoff", OPT_BOOL, 0, NULL, "list shut off domains" },
    { "state-other", OPT_BOOL, 0, NULL,
      "list domains in any other state" },
    { "autostart", OPT_BOOL, 0, NULL, "list domains that autostart" },
    { "no-autostart", OPT_BOOL, 0, NULL,
      "list domains that do not autostart" },
    { "with-managed-save", OPT_BOOL, 0, NULL,
      "list domains with a managed save image" },
    { "without-managed-save", OPT_BOOL, 0, NULL,
      "list domains without a managed save image" },
    { "with-snapshot", OPT_BOOL, 0, NULL, "list domains with snapshots" },
    { "without-snapshot", OPT_BOOL, 0, NULL,
      "list domains without snapshots" },
    { "id", OPT_BOOL, 0, NULL, "print only the ids of active domains" },
    { "name", OPT_BOOL, 0, NULL, "print only the names" },
    { "uuid", OPT_BOOL, 0, NULL, "print only the uuids" },
    { "table", OPT_BOOL, 0, NULL, "print the table (the default)" },
    { NULL },
};

static const CmdOpt optsDefine[] = {
    { "file", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "FILE",
      "the domain XML file ('-' reads standard input)" },
    { "validate", OPT_BOOL, 0, NULL,
      "check the XML against the schema first" },
    { NULL },
};

static const CmdOpt optsUndefine[] = {
    { "managed-save", OPT_BOOL, 0, NULL,
      "also remove the managed save image" },
    { "snapshots-metadata", OPT_BOOL, 0, NULL,
      "also remove snapshot metadata" },
    { "checkpoints-metadata", OPT_BOOL, 0, NULL,
      "also remove checkpoint metadata" },
    { "nvram", OPT_BOOL, 0, NULL, "also remove the NVRAM file" },
    { "keep-nvram", OPT_BOOL, 0, NULL, "keep the NVRAM file" },
    { "tpm", OPT_BOOL, 0, NULL, "also remove the TPM state" },
    { "keep-tpm", OPT_BOOL, 0, NULL, "keep the TPM state" },
    { NULL },
};

static const CmdOpt optsCreate[] = {
    { "file", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "FILE",
      "the domain XML file ('-' reads standard input)" },
    { "paused", OPT_BOOL, 0, NULL, "leave the new domain paused" },
    { "console", OPT_BOOL, 0, NULL, "attach to the console once started" },
    { "autodestroy", OPT_BOOL, 0, NULL,
      "destroy the domain when this connection closes" },
    { "validate", OPT_BOOL, 0, NULL,
      "check the XML against the schema first" },
    { NULL },
};

static const CmdOpt optsStart[] = {
    { "paused", OPT_BOOL, 0, NULL, "leave the domain paused" },
    { "console", OPT_BOOL, 0, NULL, "attach to the console once started" },
    { "force-boot", OPT_BOOL, 0, NULL,
      "boot afresh, ignoring any managed save image" },
    { "autodestroy", OPT_BOOL, 0, NULL,
      "destroy the domain when this connection closes" },
    { "bypass-cache", OPT_BOOL, 0, NULL,
      "avoid the host's file cache when restoring" },
    { "reset-nvram", OPT_BOOL, 0, NULL, "start with a fresh NVRAM" },
    { NULL },
};

static const CmdOpt optsDestroy[] = {
    { "graceful", OPT_BOOL, 0, NULL,
      "only ask the hypervisor process to terminate, never kill it" },
    { "remove-logs", OPT_BOOL, 0, NULL, "also remove the domain's logs" },
    { NULL },
};

static const CmdOpt optsShutdown[] = {
    { "mode", OPT_STRING, 0, "MODES",
      "comma-separated methods: acpi, agent, initctl, signal, paravirt" },
    { "wait", OPT_BOOL, 0, NULL, "wait until the domain has shut off" },
    { "timeout", OPT_INT, 0, "SECONDS",
      "with --wait, give up after this many seconds" },
    { NULL },
};

static const CmdOpt optsReboot[] = {
    { "mode", OPT_STRING, 0, "MODES",
      "comma-separated methods: acpi, agent, initctl, signal, paravirt" },
    { NULL },
};

static const CmdOpt optsDomstate[] = {
    { "reason", OPT_BOOL, 0, NULL, "also print why it is in that state" },
    { NULL },
};

static const CmdOpt optsDumpxml[] = {
    { "inactive", OPT_BOOL, 0, NULL,
      "the persistent definition, not the live one" },
    { "security-info", OPT_BOOL, 0, NULL,
      "include sensitive data such as passwords" },
    { "update-cpu", OPT_BOOL, 0, NULL,
      "update the CPU model to match the host" },
    { "migratable", OPT_BOOL, 0, NULL,
      "the XML suitable for migration" },
    { NULL },
};

static const CmdOpt optsConsole[] = {
    { "devname", OPT_STRING, 0, "NAME",
      "the console or serial device alias (default: the first console)" },
    { "force", OPT_BOOL, 0, NULL, "take over another client's session" },
    { "safe", OPT_BOOL, 0, NULL,
      "only connect if the driver can guard the console" },
    { NULL },
};

static const CmdOpt optsAutostart[] = {
    { "disable", OPT_BOOL, 0, NULL, "turn autostart off" },
    { NULL },
};

static const CmdOpt optsHelp[] = {
    { "command", OPT_STRING, OPT_POSITIONAL, "COMMAND",
      "describe this command" },
    { NULL },
};

const Cmd cmdtabCoreCommands[] = {
    { "list", G_MON, queryList, optsList, CMD_QUERY,
      "list domains",
      "Print a table of domains: id, name and state. Without options only "
      "active domains are listed. The filters combine: each group "
      "(active/inactive, persistent/transient, state, autostart, managed "
      "save, snapshot) narrows the list." },
    { "dominfo", G_MON, queryDominfo, optsNone, CMD_DOMAIN | CMD_QUERY,
      "show basic information about a domain",
      "Print the domain's id, name, uuid, OS type, state, vCPUs, CPU time, "
      "memory, persistence, autostart and managed save status. Values the "
      "driver cannot report are left out (null in JSON)." },
    { "domstate", G_MON, queryDomstate, optsDomstate,
      CMD_DOMAIN | CMD_QUERY,
      "show the state of a domain",
      "Print the domain's state and, with --reason, the reason for it, "
      "for example 'paused (user)'." },
    { "domid", G_MON, queryDomid, optsNone, CMD_DOMAIN | CMD_QUERY,
      "print a domain's id",
      "Print the domain's numeric id, or '-' when it is not running." },
    { "domname", G_MON, queryDomname, optsNone, CMD_DOMAIN | CMD_QUERY,
      "print a domain's name",
      "Print the domain's name." },
    { "domuuid", G_MON, queryDomuuid, optsNone, CMD_DOMAIN | CMD_QUERY,
      "print a domain's uuid",
      "Print the domain's uuid." },
    { "dumpxml", G_MON, queryDumpxml, optsDumpxml, CMD_DOMAIN | CMD_QUERY,
      "print a domain's XML description",
      "Print the domain's XML: the live description of a running domain, "
      "or with --inactive the definition it boots from next time." },
    { "define", G_LIFE, lifecycleDefine, optsDefine, 0,
      "define a persistent domain from an XML file",
      "Create or replace a persistent domain definition from FILE without "
      "starting it." },
    { "undefine", G_LIFE, lifecycleUndefine, optsUndefine, CMD_DOMAIN,
      "remove a domain's persistent definition",
      "Remove the domain's persistent definition. A running domain keeps "
      "running and becomes transient." },
    { "create", G_LIFE, lifecycleCreate, optsCreate, 0,
      "start a transient domain from an XML file",
      "Start a new domain from FILE without defining it; it disappears "
      "once it stops." },
    { "start", G_LIFE, lifecycleStart, optsStart, CMD_DOMAIN,
      "start a defined domain",
      "Boot an inactive persistent domain, or restore it from its managed "
      "save image if it has one." },
    { "destroy", G_LIFE, lifecycleDestroy, optsDestroy, CMD_DOMAIN,
      "stop a domain immediately",
      "Stop the domain at once, like pulling the power plug; the guest "
      "gets no chance to shut down." },
    { "shutdown", G_LIFE, lifecycleShutdown, optsShutdown, CMD_DOMAIN,
      "ask a domain to shut down",
      "Ask the guest to shut down and return; with --wait, return once it "
      "has shut off." },
    { "reboot", G_LIFE, lifecycleReboot, optsReboot, CMD_DOMAIN,
      "ask a domain to reboot",
      "Ask the guest to reboot." },
    { "reset", G_LIFE, lifecycleReset, optsNone, CMD_DOMAIN,
      "reset a domain",
      "Reset the domain at once, like pressing the reset button; the guest "
      "gets no chance to shut down." },
    { "suspend", G_LIFE, lifecycleSuspend, optsNone, CMD_DOMAIN,
      "pause a domain",
      "Pause the domain's virtual CPUs; it keeps its memory." },
    { "resume", G_LIFE, lifecycleResume, optsNone, CMD_DOMAIN,
      "resume a paused domain",
      "Let a paused domain run again." },
    { "edit", G_LIFE, editCommand, optsNone, CMD_DOMAIN,
      "edit a domain's XML definition",
      "Open the domain's persistent XML in $VISUAL or $EDITOR (default vi) "
      "and define the result. When the new XML is rejected the error is "
      "shown and, on a terminal, you may edit again; otherwise the old "
      "definition stays and the edited file is kept." },
    { "console", G_LIFE, consoleCommand, optsConsole, CMD_DOMAIN,
      "attach to a domain's console",
      "Connect the terminal to the domain's text console. Ctrl+] "
      "detaches. When input is piped in, it is sent to the guest and the "
      "command ends once the console has been quiet for half a second." },
    { "autostart", G_LIFE, lifecycleAutostart, optsAutostart, CMD_DOMAIN,
      "start a domain when the host starts",
      "Mark the domain to be started automatically, or with --disable "
      "stop doing so." },
    { "version", G_HOST, hostVersion, optsNone, CMD_QUERY,
      "show library and hypervisor versions",
      "Print the version of the libvirt API this tool was built against, "
      "of the library in use, and the driver's type and version." },
    { "uri", G_HOST, hostURI, optsNone, CMD_QUERY,
      "print the connection URI",
      "Print the canonical URI of the connection." },
    { "hostname", G_HOST, hostHostname, optsNone, CMD_QUERY,
      "print the host's name",
      "Print the hypervisor host's name." },
    { "nodeinfo", G_HOST, hostNodeinfo, optsNone, CMD_QUERY,
      "show the host's CPUs and memory",
      "Print the host's CPU model, count, frequency and topology, and its "
      "memory size." },
    { "capabilities", G_HOST, hostCapabilities, optsNone, CMD_QUERY,
      "print the host's capabilities XML",
      "Print the capabilities XML: the host and the guest types it can "
      "run." },
    { "help", G_OTHER, cmdtabHelp, optsHelp, CMD_NOCONNECT,
      "list commands, or describe one",
      "Without an argument, list the commands; with one, describe it and "
      "its options." },
    { "_complete", G_OTHER, cmdtabComplete, optsNone,
      CMD_HIDDEN | CMD_NOCONNECT, NULL, NULL },
    { "_man", G_OTHER, cmdtabMan, optsNone, CMD_HIDDEN | CMD_NOCONNECT,
      NULL, NULL },
    { NULL },
};

static const char *const groups[] = {
    G_LIFE, G_MON, G_SAVE, G_SNAP, G_BLOCK, G_STATS, G_TUNE, G_GUEST,
    G_HOST, G_OTHER,
};

/* Every command table, in the order help and the man page list them
 * within a group. */
static const Cmd *const tables[] = {
    cmdtabCoreCommands, saveCommands, snapshotCommands, blockCommands,
    statsCommands, tuneCommands, vcpuCommands, guestCommands,
    deviceCommands,
};

/* The command after CMD over all tables (CMD NULL: the first one), or NULL
 * after the last. */
const Cmd *
cmdtabNext(const Cmd *cmd)
{
    size_t t = 0;

    if (!cmd)
        return tables[0];
    for (; t < sizeof(tables) / sizeof(tables[0]); t++) {
        const Cmd *end = tables[t];

        while (end->name)
            end++;
        if (cmd >= tables[t] && cmd < end)
            break;
    }
    if ((++cmd)->name)
        return cmd;
    for (t++; t < sizeof(tables) / sizeof(tables[0]); t++) {
        if (tables[t]->name)
            return tables[t];
    }
    return NULL;
}

const Cmd *
cmdtabFind(const char *name)
{
    for (const Cmd *c = cmdtabNext(NULL); c; c = cmdtabNext(c)) {
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

/* The options CMD accepts, implicit ones first: the domain argument of
 * CMD_DOMAIN commands, then the table's, then --json for queries. */
static size_t
cmdtabSpecs(const Cmd *cmd, const CmdOpt **specs)
{
    size_t n = 0;

    if (cmd->flags & CMD_DOMAIN)
        specs[n++] = &optDomain;
    for (const CmdOpt *o = cmd->opts; o && o->name; o++) {
        if (n < CMD_MAX_OPTS - 1)
            specs[n++] = o;
    }
    if (cmd->flags & CMD_QUERY)
        specs[n++] = &optJSON;
    return n;
}

/* Print NAME, with its dashes escaped for roff when ROFF. */
static void
cmdtabName(FILE *fp, const char *name, bool roff)
{
    for (; *name; name++) {
        if (*name == '-' && roff)
            fputs("\\-", fp);
        else
            fputc(*name, fp);
    }
}

static void
cmdtabSynopsis(FILE *fp, const Cmd *cmd, bool roff)
{
    const CmdOpt *specs[CMD_MAX_OPTS];
    size_t n = cmdtabSpecs(cmd, specs);
    const char *b = roff ? "\\fB" : "";
    const char *i = roff ? "\\fI" : "";
    const char *r = roff ? "\\fR" : "";
    const char *dash = roff ? "\\-\\-" : "--";

    fprintf(fp, "%s%s%s", b, cmd->name, r);
    /* options first and the positional arguments last, as people type */
    for (size_t k = 0; k < n; k++) {
        const CmdOpt *o = specs[k];

        if (o->flags & OPT_POSITIONAL)
            continue;
        fprintf(fp, " [%s%s", b, dash);
        cmdtabName(fp, o->name, roff);
        fputs(r, fp);
        if (o->type != OPT_BOOL)
            fprintf(fp, " %s%s%s", i, o->metavar, r);
        fputc(']', fp);
    }
    for (size_t k = 0; k < n; k++) {
        const CmdOpt *o = specs[k];

        if (!(o->flags & OPT_POSITIONAL))
            continue;
        if (o->flags & OPT_REQUIRED)
            fprintf(fp, " %s%s%s%s", i, o->metavar, r,
                    (o->flags & OPT_MULTI) ? "..." : "");
        else
            fprintf(fp, " [%s%s%s]%s", i, o->metavar, r,
                    (o->flags & OPT_MULTI) ? "..." : "");
    }
}

/* Print TEXT wrapped at 78 columns. The cursor is at column COL (0: start
 * of a line); lines after the first are indented by INDENT. */
static void
cmdtabWrap(FILE *fp, const char *text, int col, int indent)
{
    bool first = true;

    while (*text) {
        size_t len = strcspn(text, " ");

        if (!first && col + 1 + (int)len > 78) {
            fprintf(fp, "\n%*s", indent, "");
            col = indent;
            first = true;
        }
        if (first && col == 0)
            col = fprintf(fp, "%*s", indent, "");
        col += fprintf(fp, "%s%.*s", first ? "" : " ", (int)len, text);
        first = false;
        text += len;
        text += strspn(text, " ");
    }
    fputc('\n', fp);
}

/* Print "usage: vireo ..." for CMD, or the general usage if CMD is NULL. */
void
cmdtabUsage(FILE *fp, const Cmd *cmd)
{
    char *synopsis = NULL;
    size_t len = 0;
    FILE *mem;

    if (!cmd) {
        fprintf(fp, "usage: vireo [-c URI] [-r] [-q] COMMAND [ARGS...] "
                "[';' COMMAND [ARGS...]]...\n");
        return;
    }
    if (!(mem = open_memstream(&synopsis, &len)))
        abort();
    cmdtabSynopsis(mem, cmd, false);
    fclose(mem);
    cmdtabWrap(fp, synopsis, fprintf(fp, "usage: vireo "), 13);
    free(synopsis);
}

static int
cmdtabSpecIndex(const Ctx *ctx, const char *name, size_t len)
{
    for (size_t k = 0; k < ctx->nspecs; k++) {
        if (strlen(ctx->specs[k]->name) == len &&
            strncmp(ctx->specs[k]->name, name, len) == 0)
            return (int)k;
    }
    return -1;
}

static bool
cmdtabIsULL(const char *s)
{
    char *end;

    errno = 0;
    if (!*s || strspn(s, "0123456789") != strlen(s))
        return false;
    strtoull(s, &end, 10);
    return errno == 0;
}

static bool
cmdtabIsInt(const char *s)
{
    char *end;
    long v;

    if (!*s || strspn(s, "0123456789") != strlen(s))
        return false;
    v = strtol(s, &end, 10);
    return v >= 0 && v <= 0x7fffffff;
}

/* Take the option ARGV[*A] (and its value, from the next word if it is not
 * given with '='). Returns -1 after a usage error. */
static int
cmdtabParseOption(Ctx *ctx, char **argv, size_t argc, size_t *a)
{
    const Cmd *cmd = ctx->cmd;
    const char *arg = argv[*a];
    const char *eq;
    int k;

    if (arg[1] != '-')
        return errorsUsage(cmd, "unknown option '%s'", arg);
    eq = strchr(arg + 2, '=');
    k = cmdtabSpecIndex(ctx, arg + 2,
                        eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
    if (k < 0)
        return errorsUsage(cmd, "unknown option '%.*s'",
                           eq ? (int)(eq - arg) : (int)strlen(arg), arg);
    if (ctx->values[k])
        return errorsUsage(cmd, "option '--%s' given twice",
                           ctx->specs[k]->name);
    if (ctx->specs[k]->type == OPT_BOOL) {
        if (eq)
            return errorsUsage(cmd, "option '--%s' takes no value",
                               ctx->specs[k]->name);
        ctx->values[k] = "";
    } else if (eq) {
        ctx->values[k] = eq + 1;
    } else if (*a + 1 < argc) {
        ctx->values[k] = argv[++*a];
    } else {
        return errorsUsage(cmd, "option '--%s' needs a value",
                           ctx->specs[k]->name);
    }
    return 0;
}

/* Fill CTX's option values for CMD from its ARGC words ARGV (the command
 * name excluded). Reports a usage error and returns -1 on a bad line. */
int
cmdtabParse(Ctx *ctx, const Cmd *cmd, char **argv, size_t argc)
{
    bool dashdash = false;

    ctx->cmd = cmd;
    ctx->nspecs = cmdtabSpecs(cmd, ctx->specs);
    memset(ctx->values, 0, sizeof(ctx->values));
    ctx->nmulti = 0;

    for (size_t a = 0; a < argc; a++) {
        const char *arg = argv[a];
        int k;

        if (dashdash || arg[0] != '-' || strcmp(arg, "-") == 0) {
            for (k = 0; k < (int)ctx->nspecs; k++) {
                if ((ctx->specs[k]->flags & OPT_POSITIONAL) &&
                    (!ctx->values[k] ||
                     (ctx->specs[k]->flags & OPT_MULTI)))
                    break;
            }
            if (k == (int)ctx->nspecs)
                return errorsUsage(cmd, "unexpected argument '%s'", arg);
            if (ctx->specs[k]->flags & OPT_MULTI) {
                if (ctx->nmulti == CMD_MAX_MULTI)
                    return errorsUsage(cmd, "more than %d %s arguments",
                                       CMD_MAX_MULTI,
                                       ctx->specs[k]->metavar);
                ctx->multi[ctx->nmulti++] = arg;
            }
            if (!ctx->values[k])
                ctx->values[k] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            dashdash = true;
            continue;
        }
        if (cmdtabParseOption(ctx, argv, argc, &a) < 0)
            return -1;
    }

    for (size_t k = 0; k < ctx->nspecs; k++) {
        const CmdOpt *o = ctx->specs[k];

        if ((o->flags & OPT_REQUIRED) && !ctx->values[k]) {
            if (o->flags & OPT_POSITIONAL)
                return errorsUsage(cmd, "missing argument %s", o->metavar);
            return errorsUsage(cmd, "missing option '--%s'", o->name);
        }
        if (o->type == OPT_INT && ctx->values[k] &&
            !cmdtabIsInt(ctx->values[k]))
            return errorsUsage(cmd, "option '--%s' wants a number, not '%s'",
                               o->name, ctx->values[k]);
        if (o->type == OPT_ULL && ctx->values[k] &&
            !cmdtabIsULL(ctx->values[k]))
            return errorsUsage(cmd, "option '--%s' wants a number, not '%s'",
                               o->name, ctx->values[k]);
    }
    return 0;
}

static const char *
cmdtabValue(const Ctx *ctx, const char *name)
{
    int k = cmdtabSpecIndex(ctx, name, strlen(name));

    return k < 0 ? NULL : ctx->values[k];
}

bool
cmdtabBool(const Ctx *ctx, const char *name)
{
    return cmdtabValue(ctx, name) != NULL;
}

const char *
cmdtabString(const Ctx *ctx, const char *name)
{
    return cmdtabValue(ctx, name);
}

/* Store option NAME's value in VALUE; returns 1 if it was given, else 0.
 * Parsing has already checked that it is a number. */
int
cmdtabInt(const Ctx *ctx, const char *name, int *value)
{
    const char *s = cmdtabValue(ctx, name);

    if (!s)
        return 0;
    *value = (int)strtol(s, NULL, 10);
    return 1;
}

/* Like cmdtabInt, for OPT_ULL options. */
int
cmdtabULL(const Ctx *ctx, const char *name, unsigned long long *value)
{
    const char *s = cmdtabValue(ctx, name);

    if (!s)
        return 0;
    *value = strtoull(s, NULL, 10);
    return 1;
}

static void
cmdtabHelpCommand(const Cmd *cmd)
{
    const CmdOpt *specs[CMD_MAX_OPTS];
    size_t n = cmdtabSpecs(cmd, specs);
    char *synopsis = NULL;
    size_t len = 0;
    FILE *fp;

    if (!(fp = open_memstream(&synopsis, &len)))
        abort();
    cmdtabSynopsis(fp, cmd, false);
    fclose(fp);

    printf("NAME\n    %s - %s\n\nSYNOPSIS\n", cmd->name, cmd->summary);
    cmdtabWrap(stdout, synopsis, printf("    vireo "), 10);
    free(synopsis);
    printf("\nDESCRIPTION\n");
    cmdtabWrap(stdout, cmd->desc, 0, 4);
    if (n == 0)
        return;
    printf("\nOPTIONS\n");
    for (size_t k = 0; k < n; k++) {
        char left[64];

        if (specs[k]->flags & OPT_POSITIONAL)
            snprintf(left, sizeof(left), "%s", specs[k]->metavar);
        else if (specs[k]->type == OPT_BOOL)
            snprintf(left, sizeof(left), "--%s", specs[k]->name);
        else
            snprintf(left, sizeof(left), "--%s %s", specs[k]->name,
                     specs[k]->metavar);
        cmdtabWrap(stdout, specs[k]->help, printf("    %-24s ", left), 29);
    }
}

int
cmdtabHelp(Ctx *ctx)
{
    const char *name = cmdtabString(ctx, "command");
    const Cmd *cmd;

    if (name) {
        if (!(cmd = cmdtabFind(name)) || (cmd->flags & CMD_HIDDEN)) {
            errorsPrintf("unknown command '%s'", name);
            return EXIT_USAGE;
        }
        cmdtabHelpCommand(cmd);
        return EXIT_OK;
    }

    cmdtabUsage(stdout, NULL);
    printf("\nGlobal options:\n"
           "    -c, --connect URI   connect to URI (default: "
           "$LIBVIRT_DEFAULT_URI, or\n"
           "                        qemu:///embed under the user's state "
           "directory)\n"
           "    -r, --readonly      open the connection read-only\n"
           "    -q, --quiet         no progress or confirmation messages\n"
           "    -h, --help          this help\n"
           "    -v, --version       print vireo's version\n");
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        printf("\n%s:\n", groups[g]);
        for (const Cmd *c = cmdtabNext(NULL); c; c = cmdtabNext(c)) {
            if (strcmp(c->group, groups[g]) == 0 &&
                !(c->flags & CMD_HIDDEN))
                printf("    %-19s %s\n", c->name, c->summary);
        }
    }
    printf("\nRun 'vireo help COMMAND' for a command's options.\n");
    return EXIT_OK;
}

static bool
cmdtabWordUsed(const Ctx *ctx, size_t upto, const char *opt)
{
    size_t len = strlen(opt);

    for (size_t w = 1; w < upto; w++) {
        const char *s = ctx->words[w];

        if (strncmp(s, "--", 2) == 0 && strncmp(s + 2, opt, len) == 0 &&
            (s[2 + len] == '\0' || s[2 + len] == '='))
            return true;
    }
    return false;
}

/* Count the positional words among WORDS[1..UPTO), skipping the values of
 * options that take one. */
static size_t
cmdtabPositionals(const Ctx *ctx, size_t upto)
{
    size_t count = 0;

    for (size_t w = 1; w < upto; w++) {
        const char *s = ctx->words[w];
        int k;

        if (s[0] != '-' || strcmp(s, "-") == 0) {
            count++;
            continue;
        }
        if (strncmp(s, "--", 2) != 0 || strchr(s, '='))
            continue;
        k = cmdtabSpecIndex(ctx, s + 2, strlen(s + 2));
        if (k >= 0 && ctx->specs[k]->type != OPT_BOOL)
            w++;
    }
    return count;
}

static void
cmdtabCompleteDomains(Ctx *ctx)
{
    virDomainPtr *doms = NULL;
    int n;

    if (mainConnect(ctx) < 0)
        return;
    if ((n = virConnectListAllDomains(ctx->conn, &doms, 0)) < 0)
        return;
    for (int d = 0; d < n; d++) {
        printf("%s\n", virDomainGetName(doms[d]));
        virDomainFree(doms[d]);
    }
    free(doms);
}

static void
cmdtabCompleteCommands(void)
{
    for (const Cmd *c = cmdtabNext(NULL); c; c = cmdtabNext(c)) {
        if (!(c->flags & CMD_HIDDEN))
            printf("%s\n", c->name);
    }
}

/* Options whose values are one of a few words. */
static const struct {
    const char *cmd;
    const char *opt;
    const char *words;
} cmdtabChoices[] = {
    { "send-key", "codeset", "linux xt atset1 atset2 atset3 os_x xt_kbd "
      "win32 usb rfb qnum" },
    { "domifaddr", "source", "lease agent arp" },
    { "domhostname", "source", "agent lease" },
    { "dump", "format", "raw kdump-zlib kdump-lzo kdump-snappy win-dmp" },
    { "numatune", "mode", "strict preferred interleave restrictive" },
};

/* The domain the words being completed name: the first positional word
 * of a CMD_DOMAIN command, or its --domain value. NULL if none yet. */
static const char *
cmdtabCompleteDomainWord(const Ctx *ctx)
{
    if (!(ctx->cmd->flags & CMD_DOMAIN))
        return NULL;
    for (size_t w = 1; w + 1 < ctx->nwords; w++) {
        const char *s = ctx->words[w];
        int k;

        if (strcmp(s, "--domain") == 0)
            return ctx->words[w + 1];
        if (strncmp(s, "--domain=", 9) == 0)
            return s + 9;
        if (s[0] != '-')
            return s;
        if (strncmp(s, "--", 2) == 0 && !strchr(s, '=') &&
            (k = cmdtabSpecIndex(ctx, s + 2, strlen(s + 2))) >= 0 &&
            ctx->specs[k]->type != OPT_BOOL)
            w++;
    }
    return NULL;
}

/* The disks (DISK, DEVICE) or snapshots (SNAPSHOT) of the domain being
 * completed. */
static void
cmdtabCompleteOfDomain(Ctx *ctx, bool snapshots)
{
    const char *name = cmdtabCompleteDomainWord(ctx);
    virDomainSnapshotPtr *snaps = NULL;
    virDomainPtr dom;
    char **disks = NULL;
    int n;

    if (!name || mainConnect(ctx) < 0 ||
        !(dom = lookupDomain(ctx->conn, name)))
        return;
    if (snapshots) {
        n = virDomainListAllSnapshots(dom, &snaps, 0);
        for (int i = 0; i < n; i++) {
            printf("%s\n", virDomainSnapshotGetName(snaps[i]));
            virDomainSnapshotFree(snaps[i]);
        }
        free(snaps);
    } else {
        n = domxmlList(dom, 0, "disk", "target", "dev", &disks);
        for (int i = 0; i < n; i++)
            printf("%s\n", disks[i]);
        domxmlFree(disks);
    }
    virDomainFree(dom);
}

/* Candidates for the value of option O. */
static void
cmdtabCompleteValue(Ctx *ctx, const CmdOpt *o)
{
    const char *meta = o->metavar ? o->metavar : "";

    for (size_t i = 0; i < sizeof(cmdtabChoices) / sizeof(*cmdtabChoices);
         i++) {
        if (strcmp(cmdtabChoices[i].cmd, ctx->cmd->name) == 0 &&
            strcmp(cmdtabChoices[i].opt, o->name) == 0) {
            for (const char *w = cmdtabChoices[i].words; *w; ) {
                size_t len = strcspn(w, " ");

                printf("%.*s\n", (int)len, w);
                w += len;
                w += *w == ' ';
            }
            return;
        }
    }
    if (strcmp(o->name, "domain") == 0)
        cmdtabCompleteDomains(ctx);
    else if (strcmp(o->name, "command") == 0)
        cmdtabCompleteCommands();
    else if (strcmp(meta, "FILE") == 0 || strcmp(meta, "XMLFILE") == 0)
        printf("@file\n");
    else if (strcmp(meta, "DISK") == 0 || strcmp(meta, "DEVICE") == 0)
        cmdtabCompleteOfDomain(ctx, false);
    else if (strcmp(meta, "SNAPSHOT") == 0)
        cmdtabCompleteOfDomain(ctx, true);
}

/* The bash completion's helper: given the words typed so far, the last
 * being the one to complete (possibly empty), print the candidates one a
 * line. "@file" asks the shell to complete a file name. */
int
cmdtabComplete(Ctx *ctx)
{
    const Cmd *cmd;
    size_t last, pos;

    if (ctx->nwords > 0 && strcmp(ctx->words[0], "--") == 0) {
        ctx->words++;
        ctx->nwords--;
    }
    if (ctx->nwords <= 1) {
        cmdtabCompleteCommands();
        return EXIT_OK;
    }
    if (!(cmd = cmdtabFind(ctx->words[0])) || (cmd->flags & CMD_HIDDEN))
        return EXIT_OK;
    ctx->cmd = cmd;
    ctx->nspecs = cmdtabSpecs(cmd, ctx->specs);
    last = ctx->nwords - 1;

    /* the value of an option that takes one */
    if (last >= 2 && strncmp(ctx->words[last - 1], "--", 2) == 0) {
        const char *prev = ctx->words[last - 1] + 2;
        int k = cmdtabSpecIndex(ctx, prev, strlen(prev));

        if (k >= 0 && ctx->specs[k]->type != OPT_BOOL) {
            cmdtabCompleteValue(ctx, ctx->specs[k]);
            return EXIT_OK;
        }
    }

    pos = cmdtabPositionals(ctx, last);
    for (size_t k = 0; k < ctx->nspecs; k++) {
        const CmdOpt *o = ctx->specs[k];
        bool given = cmdtabWordUsed(ctx, last, o->name);

        /* a positional already given, or given by --name, is done with */
        if ((o->flags & OPT_POSITIONAL) && !given && pos > 0) {
            pos--;
            continue;
        }
        if (ctx->words[last][0] == '-') {
            if (!given)
                printf("--%s\n", o->name);
        } else if ((o->flags & OPT_POSITIONAL) && !given) {
            cmdtabCompleteValue(ctx, o);
            break;
        }
    }
    return EXIT_OK;
}

/* Print S for roff: escape backslashes and dashes, and keep a leading
 * period or quote from being read as a request. */
static void
cmdtabRoff(const char *s)
{
    if (*s == '.' || *s == '\'')
        printf("\\&");
    for (; *s; s++) {
        if (*s == '\\')
            printf("\\e");
        else if (*s == '-')
            printf("\\-");
        else
            putchar(*s);
    }
}

/* Print the man page's COMMANDS section, generated from the table; the
 * tests check that docs/vireo.1 carries exactly this text. */
int
cmdtabMan(Ctx *ctx)
{
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        printf(".SS %s\n", groups[g]);
        for (const Cmd *c = cmdtabNext(NULL); c; c = cmdtabNext(c)) {
            const CmdOpt *specs[CMD_MAX_OPTS];
            size_t n;

            if (strcmp(c->group, groups[g]) != 0 || (c->flags & CMD_HIDDEN))
                continue;
            n = cmdtabSpecs(c, specs);
            printf(".TP\n");
            cmdtabSynopsis(stdout, c, true);
            printf("\n");
            cmdtabRoff(c->desc);
            printf("\n");
            if (n > 0)
                printf(".RS\n");
            for (size_t k = 0; k < n; k++) {
                const CmdOpt *o = specs[k];

                printf(".TP\n");
                if (o->flags & OPT_POSITIONAL) {
                    printf("\\fI%s\\fR", o->metavar);
                } else {
                    printf("\\fB\\-\\-");
                    cmdtabName(stdout, o->name, true);
                    printf("\\fR");
                    if (o->type != OPT_BOOL)
                        printf(" \\fI%s\\fR", o->metavar);
                }
                printf("\n");
                cmdtabRoff(o->help);
                printf("\n");
            }
            if (n > 0)
                printf(".RE\n");
        }
    }
    return EXIT_OK;
}
