/* main.c: vireo's entry point: global options, the connection, and
 * dispatching each command of the line through the command table */
#include "vireo.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The library would print every error itself; we print them our way. */
static void
mainQuietErrors(void *opaque, virErrorPtr err)
{
}

/* Append S to BUF percent-encoded, so that a path is safe in a URI query. */
static void
mainURIEscape(char *buf, size_t len, const char *s)
{
    size_t used = strlen(buf);

    for (; *s && used + 4 < len; s++) {
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                   "0123456789-._~/", *s))
            buf[used++] = *s;
        else
            used += snprintf(buf + used, len - used, "%%%02X",
                             (unsigned char)*s);
    }
    buf[used] = '\0';
}

/* The URI used when neither -c nor LIBVIRT_DEFAULT_URI is given: the
 * embedded QEMU driver with its state under $VIREO_ROOT if set, else
 * /var/lib/vireo for root, else $XDG_STATE_HOME/vireo (or
 * ~/.local/state/vireo). Caller frees. */
char *
mainDefaultURI(void)
{
    char buf[4096] = "qemu:///embed?root=";
    char dir[2048];
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    const char *root = getenv("VIREO_ROOT");
    char *uri;

    if (root && root[0] == '/') {
        snprintf(dir, sizeof(dir), "%s", root);
    } else if (geteuid() == 0) {
        snprintf(dir, sizeof(dir), "/var/lib/vireo");
    } else if (state && state[0] == '/') {
        snprintf(dir, sizeof(dir), "%s/vireo", state);
    } else {
        if (!home || home[0] != '/') {
            struct passwd *pw = getpwuid(geteuid());

            home = pw ? pw->pw_dir : "/";
        }
        snprintf(dir, sizeof(dir), "%s/.local/state/vireo", home);
    }
    mainURIEscape(buf, sizeof(buf), dir);
    if (!(uri = strdup(buf)))
        abort();
    return uri;
}

/* Open CTX's connection unless it is open. Returns 0, or -1 with the
 * library's error set (nothing printed). */
int
mainConnect(Ctx *ctx)
{
    const char *env = getenv("LIBVIRT_DEFAULT_URI");
    char *fallback = NULL;
    const char *uri = ctx->uri;

    if (ctx->conn)
        return 0;
    if (!uri && env && *env)
        uri = env;
    if (!uri) {
        uri = fallback = mainDefaultURI();
        ctx->defaultURI = true;
    }
    if (ctx->readonly)
        ctx->conn = virConnectOpenReadOnly(uri);
    else
        ctx->conn = virConnectOpen(uri);
    free(fallback);
    return ctx->conn ? 0 : -1;
}

/* Run one command: ARGV[0] is its name. Returns the exit status. */
static int
mainRun(Ctx *ctx, char **argv, size_t argc)
{
    const Cmd *cmd = cmdtabFind(argv[0]);
    int ret = EXIT_FAIL;

    if (!cmd) {
        errorsPrintf("unknown command '%s'", argv[0]);
        cmdtabUsage(stderr, NULL);
        fprintf(stderr, "Run 'vireo help' for the list of commands.\n");
        return EXIT_USAGE;
    }
    if (cmd->flags & CMD_HIDDEN) {
        ctx->cmd = cmd;
        ctx->nspecs = 0;
        ctx->words = argv + 1;
        ctx->nwords = argc - 1;
    } else if (cmdtabParse(ctx, cmd, argv + 1, argc - 1) < 0) {
        return EXIT_USAGE;
    }

    if (!(cmd->flags & CMD_NOCONNECT) && mainConnect(ctx) < 0) {
        errorsReport();
        if (ctx->defaultURI && virGetLastErrorCode() == VIR_ERR_NO_CONNECT)
            fprintf(stderr, "hint: the QEMU driver is not available; name "
                    "another URI with -c URI or LIBVIRT_DEFAULT_URI\n");
        return EXIT_FAIL;
    }
    if ((cmd->flags & CMD_DOMAIN) &&
        !(ctx->dom = lookupDomain(ctx->conn, cmdtabString(ctx, "domain"))))
        return EXIT_FAIL;
    ctx->json = cmdtabBool(ctx, "json");

    ret = cmd->handler(ctx);
    fflush(stdout);

    if (ctx->dom)
        virDomainFree(ctx->dom);
    ctx->dom = NULL;
    return ret;
}

static int
mainUsage(void)
{
    cmdtabUsage(stderr, NULL);
    fprintf(stderr, "Run 'vireo help' for the list of commands.\n");
    return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
    Ctx ctx = { 0 };
    int a = 1;
    int ret = EXIT_OK;

    virSetErrorFunc(NULL, mainQuietErrors);

    for (; a < argc && argv[a][0] == '-'; a++) {
        const char *arg = argv[a];

        if (strcmp(arg, "-c") == 0 || strcmp(arg, "--connect") == 0) {
            if (++a == argc) {
                errorsPrintf("option '%s' needs a URI", arg);
                return mainUsage();
            }
            ctx.uri = argv[a];
        } else if (strncmp(arg, "--connect=", 10) == 0) {
            ctx.uri = arg + 10;
        } else if (strcmp(arg, "-r") == 0 || strcmp(arg, "--readonly") == 0) {
            ctx.readonly = true;
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            ctx.quiet = true;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            return cmdtabHelp(&ctx);
        } else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--version") == 0) {
            printf("vireo %s\n", VIREO_VERSION);
            return EXIT_OK;
        } else if (strcmp(arg, "--") == 0) {
            a++;
            break;
        } else {
            errorsPrintf("unknown option '%s'", arg);
            return mainUsage();
        }
    }
    if (a == argc) {
        errorsPrintf("no command given");
        return mainUsage();
    }

    /* The stream callbacks of 'console' need an event loop, and it must be
     * in place before the connection opens. */
    if (virEventRegisterDefaultImpl() < 0) {
        errorsReport();
        return EXIT_FAIL;
    }

    /* A lone ';' separates commands run on one connection, in order; the
     * first failure stops the line. */
    while (a < argc && ret == EXIT_OK) {
        int end = a;

        while (end < argc && strcmp(argv[end], ";") != 0)
            end++;
        if (end > a)
            ret = mainRun(&ctx, argv + a, (size_t)(end - a));
        a = end + 1;
    }

    if (ctx.conn)
        virConnectClose(ctx.conn);
    return ret;
}
