/* edit.c: 'edit': the domain's XML through the user's editor and back,
 * without losing the edits when the result is rejected */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define EDIT_XML_FLAGS (VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE)

/* Run $VISUAL, $EDITOR or vi on PATH through the shell, so that an editor
 * given with arguments works. Returns 0, or -1 after printing the error. */
static int
editRunEditor(const char *path)
{
    const char *editor = getenv("VISUAL");
    char *cmd = NULL;
    size_t len = 0;
    FILE *fp;
    int status;

    if (!editor || !*editor)
        editor = getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";

    /* single-quote the path, each ' in it becoming '\'' */
    if (!(fp = open_memstream(&cmd, &len)))
        abort();
    fprintf(fp, "%s '", editor);
    for (const char *s = path; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", fp);
        else
            fputc(*s, fp);
    }
    fputc('\'', fp);
    fclose(fp);

    status = system(cmd);
    free(cmd);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        errorsPrintf("editor '%s' failed", editor);
        return -1;
    }
    return 0;
}

/* Whether file PATH differs from ORIG (an unreadable file may hold edits). */
static bool
editHasEdits(const char *path, const char *orig)
{
    FILE *fp = fopen(path, "r");
    bool differs = true;
    char *text = NULL;
    size_t len = 0;

    if (!fp)
        return true;
    if (getdelim(&text, &len, '\0', fp) >= 0 || feof(fp))
        differs = !text || strcmp(text, orig) != 0;
    free(text);
    fclose(fp);
    return differs;
}

/* On a terminal, ask whether to edit again; false elsewhere or on 'n'. */
static bool
editAskAgain(void)
{
    char line[32];

    if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
        return false;
    for (;;) {
        fputs("Edit again? [y/n]: ", stderr);
        if (!fgets(line, sizeof(line), stdin))
            return false;
        if (line[0] == 'y' || line[0] == 'Y')
            return true;
        if (line[0] == 'n' || line[0] == 'N')
            return false;
    }
}

int
editCommand(Ctx *ctx)
{
    const char *name = virDomainGetName(ctx->dom);
    char *orig = NULL;
    char *edited = NULL;
    char *now = NULL;
    char *path = NULL;
    virDomainPtr dom = NULL;
    bool keep = false;          /* the file may hold edits: leave it */
    int ret = EXIT_FAIL;

    if (!(orig = virDomainGetXMLDesc(ctx->dom, EDIT_XML_FLAGS))) {
        errorsReport();
        return EXIT_FAIL;
    }
    if (!(path = fileWriteTemp(orig)))
        goto cleanup;

    for (;;) {
        keep = true;
        if (editRunEditor(path) < 0)
            goto cleanup;
        free(edited);
        if (!(edited = fileRead(path)))
            goto cleanup;
        if (strcmp(edited, orig) == 0) {
            outputDone(ctx, "Domain '%s' XML configuration not changed.",
                       name);
            keep = false;
            ret = EXIT_OK;
            goto cleanup;
        }

        /* someone else may have redefined it meanwhile: do not undo that */
        free(now);
        if (!(now = virDomainGetXMLDesc(ctx->dom, EDIT_XML_FLAGS))) {
            errorsReport();
            goto cleanup;
        }
        if (strcmp(now, orig) != 0) {
            errorsPrintf("domain '%s' was changed by someone else while "
                         "being edited", name);
            goto cleanup;
        }

        if ((dom = virDomainDefineXML(ctx->conn, edited)))
            break;
        errorsReport();
        if (!editAskAgain())
            goto cleanup;
    }
    outputDone(ctx, "Domain '%s' XML configuration edited.",
               virDomainGetName(dom));
    keep = false;
    ret = EXIT_OK;

 cleanup:
    if (path && keep && editHasEdits(path, orig))
        fprintf(stderr, "The definition of domain '%s' is unchanged; your "
                "edits are kept in %s\n", name, path);
    else if (path)
        unlink(path);
    free(path);
    if (dom)
        virDomainFree(dom);
    free(now);
    free(edited);
    free(orig);
    return ret;
}
