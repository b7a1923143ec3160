/* file.c: reading XML files and keeping text in temporary files */
#include "vireo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read all of FP; NULL on a read error (errno set). */
static char *
fileSlurp(FILE *fp)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    size_t n;

    if (!buf)
        abort();
    while ((n = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            if (!(buf = realloc(buf, cap)))
                abort();
        }
    }
    if (ferror(fp)) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* The whole of file PATH ('-' is standard input) as a string the caller
 * frees; NULL after printing the error. */
char *
fileRead(const char *path)
{
    FILE *fp = NULL;
    char *text = NULL;

    if (strcmp(path, "-") == 0) {
        if (!(text = fileSlurp(stdin)))
            errorsPrintf("cannot read standard input: %s", strerror(errno));
        return text;
    }
    if (!(fp = fopen(path, "r"))) {
        errorsPrintf("cannot open '%s': %s", path, strerror(errno));
        goto cleanup;
    }
    if (!(text = fileSlurp(fp)))
        errorsPrintf("cannot read '%s': %s", path, strerror(errno));

 cleanup:
    if (fp)
        fclose(fp);
    return text;
}

/* Write CONTENT to a new file in $TMPDIR (or /tmp), readable only by us.
 * Returns its path for the caller to free (and unlink), or NULL after
 * printing the error. */
char *
fileWriteTemp(const char *content)
{
    const char *dir = getenv("TMPDIR");
    char *path = NULL;
    size_t len = strlen(content);
    int fd = -1;

    if (!dir || !*dir)
        dir = "/tmp";
    if (asprintf(&path, "%s/vireo-XXXXXX.xml", dir) < 0)
        abort();
    if ((fd = mkstemps(path, 4)) < 0) {
        errorsPrintf("cannot create a file in '%s': %s", dir,
                     strerror(errno));
        goto error;
    }
    if (write(fd, content, len) != (ssize_t)len || fsync(fd) < 0) {
        errorsPrintf("cannot write '%s': %s", path, strerror(errno));
        unlink(path);
        goto error;
    }
    close(fd);
    return path;

 error:
    if (fd >= 0)
        close(fd);
    free(path);
    return NULL;
}
