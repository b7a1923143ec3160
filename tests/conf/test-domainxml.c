/* test-domainxml.c: domain XML model: round trips, failures, devices, flags */
#include "conf/domain.h"
#include "error.h"
#include "../tap.h"
#include "conftest.h"

#include <dirent.h>
#include <libvirt/libvirt.h>

static const char *dataDir;

static char *
readFile(const char *dir, const char *name)
{
    char *path = NULL, *buf;

    if (asprintf(&path, "%s/%s", dir, name) < 0)
        return NULL;
    buf = confTestReadFile(path);
    free(path);
    return buf;
}

static void
writeFile(const char *dir, const char *name, const char *text)
{
    char *path = NULL;
    FILE *f;

    if (asprintf(&path, "%s/%s", dir, name) < 0)
        return;
    if ((f = fopen(path, "w"))) {
        fputs(text, f);
        fclose(f);
    }
    free(path);
}

static int
compareNames(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the data files ending in SUFFIX (caller frees). */
static char **
listData(size_t *n)
{
    DIR *d = opendir(dataDir);
    struct dirent *ent;
    char **names = NULL;

    *n = 0;
    while (d && (ent = readdir(d))) {
        size_t len = strlen(ent->d_name);

        if (len < 5 || strcmp(ent->d_name + len - 4, ".xml") != 0 ||
            (len > 8 && strcmp(ent->d_name + len - 8, ".out.xml") == 0))
            continue;
        names = realloc(names, (*n + 1) * sizeof(*names));
        names[(*n)++] = strdup(ent->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, *n, sizeof(*names), compareNames);
    return names;
}

static const char *
errorMessage(void)
{
    virErrorPtr err = errorLast();

    return err && err->message ? err->message : "(no error)";
}

static void
testRoundTrip(const char *name)
{
    char *in = readFile(dataDir, name);
    char outName[256];
    char *want, *got = NULL, *again = NULL;
    unsigned int flags = strstr(in, "<!-- flags: live -->") ?
        DOMAIN_PARSE_LIVE : 0;
    DomainDef *def, *def2 = NULL;

    snprintf(outName, sizeof(outName), "%.*s.out.xml",
             (int)(strlen(name) - 4), name);
    def = domainDefParse(in, flags);
    if (!TAP_OK(def, "%s parses (%s)", name, def ? "" : errorMessage()))
        goto cleanup;
    got = domainDefFormat(def, flags ? 0 : VIR_DOMAIN_XML_INACTIVE);
    if (getenv("VIREO_TEST_REGENERATE"))
        writeFile(dataDir, outName, got);
    want = readFile(dataDir, outName);
    TAP_STR(got, want, "%s formats as %s", name, outName);
    def2 = domainDefParse(want ? want : "", flags);
    TAP_OK(def2, "%s parses again", outName);
    if (def2) {
        again = domainDefFormat(def2, flags ? 0 : VIR_DOMAIN_XML_INACTIVE);
        TAP_STR(again, want, "%s is stable", outName);
    }
    free(want);

 cleanup:
    domainDefFree(def);
    domainDefFree(def2);
    free(in);
    free(got);
    free(again);
}

static const struct {
    const char *name;
    int code;
} errorCodes[] = {
    { "VIR_ERR_XML_ERROR", VIR_ERR_XML_ERROR },
    { "VIR_ERR_XML_DETAIL", VIR_ERR_XML_DETAIL },
    { "VIR_ERR_CONFIG_UNSUPPORTED", VIR_ERR_CONFIG_UNSUPPORTED },
    { "VIR_ERR_XML_INVALID_SCHEMA", VIR_ERR_XML_INVALID_SCHEMA },
};

/* fail-*.xml start with <!-- expect: CODE TEXT [flags=validate] -->. */
static void
testFailure(const char *name)
{
    char *in = readFile(dataDir, name);
    char code[64] = "", text[256] = "";
    const char *p = strstr(in, "expect: ");
    unsigned int flags = strstr(in, "flags=validate") ?
        VIR_DOMAIN_DEFINE_VALIDATE : 0;
    DomainDef *def;
    int want = -1;
    size_t i;
    const char *end;

    if (p && sscanf(p, "expect: %63s", code) == 1) {
        p += strlen("expect: ") + strlen(code) + 1;
        end = strstr(p, flags ? " flags=" : " -->");
        snprintf(text, sizeof(text), "%.*s", end ? (int)(end - p) : 0, p);
    }
    for (i = 0; i < sizeof(errorCodes) / sizeof(errorCodes[0]); i++) {
        if (strcmp(errorCodes[i].name, code) == 0)
            want = errorCodes[i].code;
    }
    TAP_OK(want >= 0, "%s names an expected error (%s)", name, code);
    errorReset();
    def = domainDefParse(in, flags);
    TAP_OK(!def, "%s is rejected", name);
    TAP_INT(errorLast()->code, want, "%s error code", name);
    TAP_INT(errorLast()->domain, VIR_FROM_DOMAIN, "%s error domain", name);
    TAP_OK(strstr(errorMessage(), text), "%s message '%s' mentions '%s'",
           name, errorMessage(), text);
    domainDefFree(def);
    free(in);
}

int
main(int argc, char **argv)
{
    char **names;
    size_t n, i;

    dataDir = argc > 1 ? argv[1] : "tests/conf/data";
    names = listData(&n);
    TAP_OK(n > 10, "found %zu data files in %s", n, dataDir);
    for (i = 0; i < n; i++) {
        if (strncmp(names[i], "fail-", 5) == 0)
            testFailure(names[i]);
        else
            testRoundTrip(names[i]);
        free(names[i]);
    }
    free(names);
    return tapDone();
}
