/* cmd_snapshot.c: the snapshot-* commands: create, list (table, names or
 * tree), info, dumpxml, current, revert, delete, parent */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One snapshot as snapshot-list shows it. */
typedef struct {
    virDomainSnapshotPtr snap;
    const char *name;           /* borrowed from snap */
    char *parent;               /* NULL for a root */
    char *state;
    char *description;
    long long created;          /* -1 if unknown */
    int current;
    bool printed;               /* tree: done with */
} SnapEntry;

/* The text of the first <TAG> element of snapshot XML ahead of the
 * embedded domain, entities not decoded but for the common five; NULL if
 * absent. Caller frees. */
static char *
snapshotTag(const char *xml, const char *tag)
{
    const char *domain = strstr(xml, "<domain ");
    char open[64], close[64];
    const char *start, *end;
    char *text, *out;

    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    if (!(start = strstr(xml, open)) || (domain && start > domain))
        return NULL;
    start += strlen(open);
    if (!(end = strstr(start, close)))
        return NULL;
    if (!(text = strndup(start, (size_t)(end - start))))
        abort();
    out = text;
    for (const char *p = text; *p; out++) {
        static const char *const ents[][2] = {
            { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" },
            { "&quot;", "\"" }, { "&apos;", "'" },
        };
        size_t e;

        for (e = 0; e < 5; e++) {
            if (strncmp(p, ents[e][0], strlen(ents[e][0])) == 0)
                break;
        }
        if (e < 5) {
            *out = ents[e][1][0];
            p += strlen(ents[e][0]);
        } else {
            *out = *p++;
        }
    }
    *out = '\0';
    return text;
}

/* The value of attribute ATTR of the first <TAG element ahead of the
 * embedded domain, or NULL. Caller frees. */
static char *
snapshotAttr(const char *xml, const char *tag, const char *attr)
{
    const char *domain = strstr(xml, "<domain ");
    char open[64], key[64];
    const char *start, *close, *a;
    char quote;
    char *value;

    snprintf(open, sizeof(open), "<%s ", tag);
    snprintf(key, sizeof(key), " %s=", attr);
    if (!(start = strstr(xml, open)) || (domain && start > domain))
        return NULL;
    close = strchr(start, '>');
    if (!(a = strstr(start, key)) || (close && a > close))
        return NULL;
    a += strlen(key);
    quote = *a++;
    if (!(close = strchr(a, quote)))
        return NULL;
    if (!(value = strndup(a, (size_t)(close - a))))
        abort();
    return value;
}

static void
snapshotEntryFree(SnapEntry *e)
{
    free(e->parent);
    free(e->state);
    free(e->description);
    if (e->snap)
        virDomainSnapshotFree(e->snap);
}

/* Fill E from SNAP (whose reference E takes). -1 after printing the
 * error. */
static int
snapshotEntryFill(SnapEntry *e, virDomainSnapshotPtr snap)
{
    virDomainSnapshotPtr parent;
    char *xml, *created;

    memset(e, 0, sizeof(*e));
    e->snap = snap;
    e->name = virDomainSnapshotGetName(snap);
    e->created = -1;
    if ((parent = virDomainSnapshotGetParent(snap, 0))) {
        if (!(e->parent = strdup(virDomainSnapshotGetName(parent))))
            abort();
        virDomainSnapshotFree(parent);
    } else if (virGetLastErrorCode() != VIR_ERR_NO_DOMAIN_SNAPSHOT) {
        errorsReport();
        return -1;
    }
    if ((e->current = virDomainSnapshotIsCurrent(snap, 0)) < 0 ||
        !(xml = virDomainSnapshotGetXMLDesc(snap, 0))) {
        errorsReport();
        return -1;
    }
    e->state = snapshotTag(xml, "state");
    e->description = snapshotTag(xml, "description");
    if ((created = snapshotTag(xml, "creationTime")))
        e->created = strtoll(created, NULL, 10);
    free(created);
    free(xml);
    return 0;
}

/* The snapshot named by the SNAPSHOT argument, or the current one with
 * --current or when REQUIRE is false and none is named. NULL after
 * printing the error (exit status in *STATUS). */
static virDomainSnapshotPtr
snapshotGet(const Ctx *ctx, bool require, int *status)
{
    const char *name = cmdtabString(ctx, "snapshotname");
    virDomainSnapshotPtr snap;

    *status = EXIT_FAIL;
    if (name && cmdtabBool(ctx, "current")) {
        errorsUsage(ctx->cmd, "a snapshot name cannot go with --current");
        *status = EXIT_USAGE;
        return NULL;
    }
    if (!name && require && !cmdtabBool(ctx, "current")) {
        errorsUsage(ctx->cmd, "missing argument SNAPSHOT (or --current)");
        *status = EXIT_USAGE;
        return NULL;
    }
    if (name)
        snap = virDomainSnapshotLookupByName(ctx->dom, name, 0);
    else
        snap = virDomainSnapshotCurrent(ctx->dom, 0);
    if (!snap)
        errorsReport();
    return snap;
}

/* Append S to BUF with XML's special characters escaped. */
static void
snapshotEscape(FILE *buf, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", buf); break;
        case '>': fputs("&gt;", buf); break;
        case '&': fputs("&amp;", buf); break;
        case '\'': fputs("&apos;", buf); break;
        case '"': fputs("&quot;", buf); break;
        default: fputc(*s, buf); break;
        }
    }
}

static const OptFlag createFlags[] = {
    { "redefine", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE },
    { "current", VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT },
    { "no-metadata", VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA },
    { "halt", VIR_DOMAIN_SNAPSHOT_CREATE_HALT },
    { "disk-only", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY },
    { "reuse-external", VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT },
    { "quiesce", VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE },
    { "atomic", VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC },
    { "live", VIR_DOMAIN_SNAPSHOT_CREATE_LIVE },
    { "validate", VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE },
};

/* Create a snapshot from XML; FROM names the file it came from, if any. */
static int
snapshotDoCreate(Ctx *ctx, const char *xml, const char *from)
{
    unsigned int flags = ARGS_FLAGS(ctx, createFlags);
    virDomainSnapshotPtr snap;

    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT) &&
        !(flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)) {
        errorsUsage(ctx->cmd, "--current needs --redefine");
        return EXIT_USAGE;
    }
    if (!(snap = virDomainSnapshotCreateXML(ctx->dom, xml, flags)))
        return argsFail();
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)
        outputDone(ctx, "Domain snapshot %s defined from '%s'",
                   virDomainSnapshotGetName(snap), from);
    else if (from)
        outputDone(ctx, "Domain snapshot %s created from '%s'",
                   virDomainSnapshotGetName(snap), from);
    else
        outputDone(ctx, "Domain snapshot %s created",
                   virDomainSnapshotGetName(snap));
    virDomainSnapshotFree(snap);
    return EXIT_OK;
}

static int
snapshotCreate(Ctx *ctx)
{
    const char *file = cmdtabString(ctx, "xmlfile");
    char *xml;
    int ret;

    if (!file) {
        if (cmdtabBool(ctx, "redefine")) {
            errorsUsage(ctx->cmd, "--redefine needs XMLFILE");
            return EXIT_USAGE;
        }
        return snapshotDoCreate(ctx, "<domainsnapshot/>", NULL);
    }
    if (!(xml = fileRead(file)))
        return EXIT_FAIL;
    ret = snapshotDoCreate(ctx, xml, file);
    free(xml);
    return ret;
}

/* The next field of virsh's spec syntax (KEY=VALUE or VALUE, split at
 * ',', ",," a literal comma) from *P into FIELD (LEN bytes); false at the
 * end or when it does not fit. */
static bool
snapshotSpecField(const char **p, char *field, size_t len)
{
    size_t n = 0;

    if (!**p)
        return false;
    for (; **p; (*p)++) {
        if (**p == ',' && (*p)[1] == ',') {
            (*p)++;
        } else if (**p == ',') {
            (*p)++;
            break;
        }
        if (n + 1 >= len)
            return false;
        field[n++] = **p;
    }
    field[n] = '\0';
    return true;
}

/* Add the element of spec SPEC (--memspec: [file=]PATH[,snapshot=TYPE];
 * --diskspec: DISK[,snapshot=TYPE][,driver=TYPE][,file=PATH]) to BUF.
 * 0, or -1 after a usage error. */
static int
snapshotSpec(const Ctx *ctx, FILE *buf, const char *spec, bool disk)
{
    const char *p = spec, *opt = disk ? "--diskspec" : "--memspec";
    char field[4096], file[4096] = "", mode[64] = "", drv[64] = "";
    char name[256] = "";
    bool first = true;

    while (snapshotSpecField(&p, field, sizeof(field))) {
        char *eq = strchr(field, '=');
        char *val = eq ? eq + 1 : field;
        char *to = NULL;
        size_t len = 0;

        if (eq)
            *eq = '\0';
        if (first && (disk || !eq)) {
            to = disk ? name : file;
            len = disk ? sizeof(name) : sizeof(file);
        } else if (eq && strcmp(field, "file") == 0) {
            to = file;
            len = sizeof(file);
        } else if (eq && strcmp(field, "snapshot") == 0) {
            to = mode;
            len = sizeof(mode);
        } else if (eq && disk && strcmp(field, "driver") == 0) {
            to = drv;
            len = sizeof(drv);
        }
        if (!to || strlen(val) >= len)
            return errorsUsage(ctx->cmd, "%s: unknown or too long field "
                               "'%s'", opt, field);
        strcpy(to, val);
        first = false;
    }
    if (disk && !*name)
        return errorsUsage(ctx->cmd, "--diskspec needs a disk name");
    if (!disk && !*file && strcmp(mode, "no") != 0)
        return errorsUsage(ctx->cmd, "--memspec needs a file");
    if (!disk) {
        fprintf(buf, "  <memory snapshot='%s'", *mode ? mode : "external");
        if (*file) {
            fputs(" file='", buf);
            snapshotEscape(buf, file);
            fputs("'", buf);
        }
        fputs("/>\n", buf);
        return 0;
    }
    fputs("  <disks>\n    <disk name='", buf);
    snapshotEscape(buf, name);
    fputs("'", buf);
    if (*mode) {
        fputs(" snapshot='", buf);
        snapshotEscape(buf, mode);
        fputs("'", buf);
    }
    if (!*file && !*drv) {
        fputs("/>\n  </disks>\n", buf);
        return 0;
    }
    fputs(">\n", buf);
    if (*drv) {
        fputs("      <driver type='", buf);
        snapshotEscape(buf, drv);
        fputs("'/>\n", buf);
    }
    if (*file) {
        fputs("      <source file='", buf);
        snapshotEscape(buf, file);
        fputs("'/>\n", buf);
    }
    fputs("    </disk>\n  </disks>\n", buf);
    return 0;
}

static int
snapshotCreateAs(Ctx *ctx)
{
    const char *name = cmdtabString(ctx, "name");
    const char *desc = cmdtabString(ctx, "description");
    const char *memspec = cmdtabString(ctx, "memspec");
    const char *diskspec = cmdtabString(ctx, "diskspec");
    char *xml = NULL;
    size_t len = 0;
    FILE *buf = open_memstream(&xml, &len);
    int ret = 0;

    if (!buf)
        abort();
    fputs("<domainsnapshot>\n", buf);
    if (name) {
        fputs("  <name>", buf);
        snapshotEscape(buf, name);
        fputs("</name>\n", buf);
    }
    if (desc) {
        fputs("  <description>", buf);
        snapshotEscape(buf, desc);
        fputs("</description>\n", buf);
    }
    if (memspec)
        ret = snapshotSpec(ctx, buf, memspec, false);
    if (ret == 0 && diskspec)
        ret = snapshotSpec(ctx, buf, diskspec, true);
    fputs("</domainsnapshot>\n", buf);
    fclose(buf);
    if (ret < 0)
        ret = EXIT_USAGE;
    else if (cmdtabBool(ctx, "print-xml"))
        fputs(xml, stdout);
    else
        ret = snapshotDoCreate(ctx, xml, NULL);
    free(xml);
    return ret;
}

static const OptFlag listFlags[] = {
    { "roots", VIR_DOMAIN_SNAPSHOT_LIST_ROOTS },
    { "leaves", VIR_DOMAIN_SNAPSHOT_LIST_LEAVES },
    { "no-leaves", VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES },
    { "metadata", VIR_DOMAIN_SNAPSHOT_LIST_METADATA },
    { "no-metadata", VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA },
    { "inactive", VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE },
    { "active", VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE },
    { "disk-only", VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY },
    { "internal", VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL },
    { "external", VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL },
    { "topological", VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL },
    { "descendants", VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS },
};

static int
snapshotEntryCompare(const void *a, const void *b)
{
    return strcmp(((const SnapEntry *)a)->name, ((const SnapEntry *)b)->name);
}

/* Check snapshot-list's option combinations; -1 after a usage error. */
static int
snapshotListCheck(const Ctx *ctx)
{
    bool tree = cmdtabBool(ctx, "tree");
    bool from = cmdtabString(ctx, "from") || cmdtabBool(ctx, "current");

    if (cmdtabString(ctx, "from") && cmdtabBool(ctx, "current"))
        return errorsUsage(ctx->cmd, "--from cannot go with --current");
    if (tree && (cmdtabBool(ctx, "parent") || cmdtabBool(ctx, "roots") ||
                 cmdtabBool(ctx, "name")))
        return errorsUsage(ctx->cmd, "--tree cannot go with --parent, "
                           "--roots or --name");
    if (from && cmdtabBool(ctx, "roots"))
        return errorsUsage(ctx->cmd, "--roots cannot go with --from or "
                           "--current");
    if (!from && cmdtabBool(ctx, "descendants"))
        return errorsUsage(ctx->cmd, "--descendants needs --from or "
                           "--current");
    return 0;
}

/* The snapshots snapshot-list asks for, sorted by name unless
 * --topological. Returns the count, or -1 after printing the error. */
static int
snapshotListGet(Ctx *ctx, SnapEntry **entries)
{
    unsigned int flags = ARGS_FLAGS(ctx, listFlags);
    virDomainSnapshotPtr *snaps = NULL;
    virDomainSnapshotPtr from = NULL;
    const char *fromName = cmdtabString(ctx, "from");
    int n, i;

    *entries = NULL;
    if (fromName)
        from = virDomainSnapshotLookupByName(ctx->dom, fromName, 0);
    else if (cmdtabBool(ctx, "current"))
        from = virDomainSnapshotCurrent(ctx->dom, 0);
    if ((fromName || cmdtabBool(ctx, "current")) && !from) {
        errorsReport();
        return -1;
    }
    if (from && cmdtabBool(ctx, "tree"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS;
    if (from)
        n = virDomainSnapshotListAllChildren(from, &snaps, flags);
    else
        n = virDomainListAllSnapshots(ctx->dom, &snaps, flags);
    if (n < 0) {
        errorsReport();
        goto cleanup;
    }
    if (from && cmdtabBool(ctx, "tree")) {
        /* the tree grows from the snapshot itself */
        if (!(snaps = realloc(snaps, (size_t)(n + 1) * sizeof(*snaps))))
            abort();
        snaps[n++] = from;
        from = NULL;
    }
    if (!(*entries = calloc((size_t)n + 1, sizeof(**entries))))
        abort();
    for (i = 0; i < n; i++) {
        if (snapshotEntryFill(&(*entries)[i], snaps[i]) < 0)
            break;
    }
    for (int j = i + 1; j < n; j++)
        virDomainSnapshotFree(snaps[j]);
    if (i < n) {
        for (int j = 0; j <= i; j++)
            snapshotEntryFree(&(*entries)[j]);
        free(*entries);
        *entries = NULL;
        n = -1;
        goto cleanup;
    }
    if (!cmdtabBool(ctx, "topological"))
        qsort(*entries, (size_t)n, sizeof(**entries), snapshotEntryCompare);

 cleanup:
    free(snaps);
    if (from)
        virDomainSnapshotFree(from);
    return n;
}

static bool
snapshotIsIn(const SnapEntry *entries, int n, const char *name)
{
    for (int i = 0; name && i < n; i++) {
        if (strcmp(entries[i].name, name) == 0)
            return true;
    }
    return false;
}

/* Print the children of PARENT (NULL: the roots) under INDENT. */
static void
snapshotTreeChildren(SnapEntry *entries, int n, const char *parent,
                     const char *indent)
{
    int last = -1, count = 0;

    for (int i = 0; i < n; i++) {
        bool root = !entries[i].parent ||
                    !snapshotIsIn(entries, n, entries[i].parent);

        if (parent ? (!root && strcmp(entries[i].parent, parent) == 0)
                   : root) {
            last = i;
            count++;
        }
    }
    if (parent && count)
        printf("%s|\n", indent);
    for (int i = 0; i <= last; i++) {
        bool root = !entries[i].parent ||
                    !snapshotIsIn(entries, n, entries[i].parent);
        char *sub;

        if (entries[i].printed ||
            !(parent ? (!root && strcmp(entries[i].parent, parent) == 0)
                     : root))
            continue;
        entries[i].printed = true;
        if (parent) {
            printf("%s+- %s\n", indent, entries[i].name);
            if (asprintf(&sub, "%s%s", indent, i == last ? "    " : "|   ")
                < 0)
                abort();
        } else {
            printf("%s\n", entries[i].name);
            if (!(sub = strdup("  ")))
                abort();
        }
        snapshotTreeChildren(entries, n, entries[i].name, sub);
        free(sub);
    }
}

static void
snapshotTime(long long created, char *buf, size_t len)
{
    time_t t = (time_t)created;
    struct tm tm;

    if (created < 0 || !localtime_r(&t, &tm) ||
        strftime(buf, len, "%Y-%m-%d %H:%M:%S %z", &tm) == 0)
        snprintf(buf, len, "-");
}

static void
snapshotListTable(const Ctx *ctx, const SnapEntry *entries, int n)
{
    static const char *const headers[] = {
        "Name", "Creation Time", "State", "Parent",
    };
    bool parent = cmdtabBool(ctx, "parent");
    OutputTable *t = outputTableNew(parent ? 4 : 3, headers);

    for (int i = 0; i < n; i++) {
        char created[64];
        const char *row[4];

        snapshotTime(entries[i].created, created, sizeof(created));
        row[0] = entries[i].name;
        row[1] = created;
        row[2] = entries[i].state ? entries[i].state : "-";
        row[3] = entries[i].parent ? entries[i].parent : "-";
        outputTableAdd(t, row);
    }
    outputTablePrint(t);
    outputTableFree(t);
}

static json_object *
snapshotEntryJSON(const SnapEntry *e)
{
    json_object *obj = json_object_new_object();

    json_object_object_add(obj, "name", json_object_new_string(e->name));
    json_object_object_add(obj, "parent", argsStringJSON(e->parent));
    json_object_object_add(obj, "creation_time",
        e->created < 0 ? NULL : json_object_new_int64(e->created));
    json_object_object_add(obj, "state", argsStringJSON(e->state));
    json_object_object_add(obj, "description",
                           argsStringJSON(e->description));
    json_object_object_add(obj, "current",
                           json_object_new_boolean(e->current > 0));
    return obj;
}

static int
snapshotList(Ctx *ctx)
{
    SnapEntry *entries;
    int n;

    if (snapshotListCheck(ctx) < 0)
        return EXIT_USAGE;
    if ((n = snapshotListGet(ctx, &entries)) < 0)
        return EXIT_FAIL;
    if (ctx->json) {
        json_object *obj = json_object_new_object();
        json_object *array = json_object_new_array();

        for (int i = 0; i < n; i++)
            json_object_array_add(array, snapshotEntryJSON(&entries[i]));
        json_object_object_add(obj, "snapshots", array);
        outputJSON(obj);
    } else if (cmdtabBool(ctx, "tree")) {
        snapshotTreeChildren(entries, n, NULL, "");
    } else if (cmdtabBool(ctx, "name")) {
        for (int i = 0; i < n; i++)
            printf("%s\n", entries[i].name);
    } else {
        snapshotListTable(ctx, entries, n);
    }
    for (int i = 0; i < n; i++)
        snapshotEntryFree(&entries[i]);
    free(entries);
    return EXIT_OK;
}

/* "internal" or "external", from the memory and disk elements. */
static char *
snapshotLocation(const char *xml)
{
    char *loc = snapshotAttr(xml, "memory", "snapshot");

    if (!loc || strcmp(loc, "no") == 0) {
        free(loc);
        loc = snapshotAttr(xml, "disk", "snapshot");
    }
    if (!loc || (strcmp(loc, "internal") != 0 &&
                 strcmp(loc, "external") != 0)) {
        free(loc);
        loc = NULL;
    }
    return loc;
}

/* Children and descendants counts and the metadata flag of SNAP;
 * -1 after printing the error. */
static int
snapshotCounts(virDomainSnapshotPtr snap, int *children, int *desc,
               int *meta)
{
    if ((*children = virDomainSnapshotNumChildren(snap, 0)) < 0 ||
        (*desc = virDomainSnapshotNumChildren(snap,
            VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS)) < 0 ||
        (*meta = virDomainSnapshotHasMetadata(snap, 0)) < 0) {
        errorsReport();
        return -1;
    }
    return 0;
}

static void
snapshotInfoPrint(const Ctx *ctx, const SnapEntry *e, const char *loc,
                  int children, int desc, int meta)
{
    const char *dom = virDomainGetName(ctx->dom);
    json_object *obj;

    if (!ctx->json) {
        outputField(15, "Name:", "%s", e->name);
        outputField(15, "Domain:", "%s", dom);
        outputField(15, "Current:", "%s", e->current ? "yes" : "no");
        outputField(15, "State:", "%s", e->state ? e->state : "-");
        outputField(15, "Location:", "%s", loc ? loc : "-");
        outputField(15, "Parent:", "%s", e->parent ? e->parent : "-");
        outputField(15, "Children:", "%d", children);
        outputField(15, "Descendants:", "%d", desc);
        outputField(15, "Metadata:", "%s", meta ? "yes" : "no");
        return;
    }
    obj = snapshotEntryJSON(e);
    json_object_object_add(obj, "domain", json_object_new_string(dom));
    json_object_object_add(obj, "location", argsStringJSON(loc));
    json_object_object_add(obj, "children", json_object_new_int(children));
    json_object_object_add(obj, "descendants", json_object_new_int(desc));
    json_object_object_add(obj, "metadata", json_object_new_boolean(meta));
    outputJSON(obj);
}

static int
snapshotInfo(Ctx *ctx)
{
    virDomainSnapshotPtr snap;
    SnapEntry e;
    char *xml = NULL, *loc = NULL;
    int status, children, desc, meta;

    if (!(snap = snapshotGet(ctx, false, &status)))
        return status;
    status = EXIT_FAIL;
    if (snapshotEntryFill(&e, snap) < 0 ||
        snapshotCounts(snap, &children, &desc, &meta) < 0)
        goto cleanup;
    if (!(xml = virDomainSnapshotGetXMLDesc(snap, 0))) {
        errorsReport();
        goto cleanup;
    }
    loc = snapshotLocation(xml);
    snapshotInfoPrint(ctx, &e, loc, children, desc, meta);
    status = EXIT_OK;

 cleanup:
    free(loc);
    free(xml);
    snapshotEntryFree(&e);
    return status;
}

static int
snapshotPrintXML(const Ctx *ctx, virDomainSnapshotPtr snap)
{
    unsigned int flags = cmdtabBool(ctx, "security-info") ?
                         VIR_DOMAIN_SNAPSHOT_XML_SECURE : 0;
    char *xml = virDomainSnapshotGetXMLDesc(snap, flags);

    if (!xml)
        return argsFail();
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "name", json_object_new_string(
            virDomainSnapshotGetName(snap)));
        json_object_object_add(obj, "xml", json_object_new_string(xml));
        outputJSON(obj);
    } else {
        fputs(xml, stdout);
        if (!*xml || xml[strlen(xml) - 1] != '\n')
            putchar('\n');
    }
    free(xml);
    return EXIT_OK;
}

static int
snapshotDumpxml(Ctx *ctx)
{
    virDomainSnapshotPtr snap;
    int status;

    if (!(snap = snapshotGet(ctx, true, &status)))
        return status;
    status = snapshotPrintXML(ctx, snap);
    virDomainSnapshotFree(snap);
    return status;
}

/* Make the snapshot NAME the current one, by redefining it as such. */
static int
snapshotSetCurrent(Ctx *ctx, const char *name)
{
    virDomainSnapshotPtr snap, again = NULL;
    char *xml = NULL;
    int ret = EXIT_FAIL;

    if (!(snap = virDomainSnapshotLookupByName(ctx->dom, name, 0)))
        return argsFail();
    if (!(xml = virDomainSnapshotGetXMLDesc(snap,
                                            VIR_DOMAIN_SNAPSHOT_XML_SECURE)) ||
        !(again = virDomainSnapshotCreateXML(ctx->dom, xml,
            VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
            VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT))) {
        errorsReport();
        goto cleanup;
    }
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "name", json_object_new_string(name));
        outputJSON(obj);
    } else {
        outputDone(ctx, "Snapshot %s set as current", name);
    }
    ret = EXIT_OK;

 cleanup:
    free(xml);
    if (again)
        virDomainSnapshotFree(again);
    virDomainSnapshotFree(snap);
    return ret;
}

static int
snapshotCurrent(Ctx *ctx)
{
    const char *name = cmdtabString(ctx, "snapshotname");
    virDomainSnapshotPtr snap;
    int ret;

    if (name) {
        if (cmdtabBool(ctx, "name") || cmdtabBool(ctx, "security-info")) {
            errorsUsage(ctx->cmd, "SNAPSHOT cannot go with --name or "
                        "--security-info");
            return EXIT_USAGE;
        }
        return snapshotSetCurrent(ctx, name);
    }
    if (!(snap = virDomainSnapshotCurrent(ctx->dom, 0)))
        return argsFail();
    if (cmdtabBool(ctx, "name")) {
        if (ctx->json) {
            json_object *obj = json_object_new_object();

            json_object_object_add(obj, "name", json_object_new_string(
                virDomainSnapshotGetName(snap)));
            outputJSON(obj);
        } else {
            printf("%s\n", virDomainSnapshotGetName(snap));
        }
        ret = EXIT_OK;
    } else {
        ret = snapshotPrintXML(ctx, snap);
    }
    virDomainSnapshotFree(snap);
    return ret;
}

static int
snapshotRevert(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "running", VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING },
        { "paused", VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED },
        { "force", VIR_DOMAIN_SNAPSHOT_REVERT_FORCE },
        { "reset-nvram", VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM },
    };
    virDomainSnapshotPtr snap;
    int status;

    if (argsExclusive(ctx, "running", "paused") < 0)
        return EXIT_USAGE;
    if (!(snap = snapshotGet(ctx, true, &status)))
        return status;
    if (virDomainRevertToSnapshot(snap, ARGS_FLAGS(ctx, opts)) < 0) {
        status = argsFail();
    } else {
        outputDone(ctx, "Domain '%s' reverted to snapshot %s",
                   virDomainGetName(ctx->dom), virDomainSnapshotGetName(snap));
        status = EXIT_OK;
    }
    virDomainSnapshotFree(snap);
    return status;
}

static int
snapshotDelete(Ctx *ctx)
{
    static const OptFlag opts[] = {
        { "children", VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN },
        { "children-only", VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY },
        { "metadata", VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY },
    };
    virDomainSnapshotPtr snap;
    int status;

    if (argsExclusive(ctx, "children", "children-only") < 0)
        return EXIT_USAGE;
    if (!(snap = snapshotGet(ctx, true, &status)))
        return status;
    if (virDomainSnapshotDelete(snap, ARGS_FLAGS(ctx, opts)) < 0) {
        status = argsFail();
    } else {
        outputDone(ctx, "Domain snapshot %s %sdeleted",
                   virDomainSnapshotGetName(snap),
                   cmdtabBool(ctx, "children-only") ? "children " : "");
        status = EXIT_OK;
    }
    virDomainSnapshotFree(snap);
    return status;
}

static int
snapshotParent(Ctx *ctx)
{
    virDomainSnapshotPtr snap, parent;
    int status;

    if (!(snap = snapshotGet(ctx, true, &status)))
        return status;
    if (!(parent = virDomainSnapshotGetParent(snap, 0))) {
        errorsReport();
        virDomainSnapshotFree(snap);
        return EXIT_FAIL;
    }
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "name", json_object_new_string(
            virDomainSnapshotGetName(snap)));
        json_object_object_add(obj, "parent", json_object_new_string(
            virDomainSnapshotGetName(parent)));
        outputJSON(obj);
    } else {
        printf("%s\n", virDomainSnapshotGetName(parent));
    }
    virDomainSnapshotFree(parent);
    virDomainSnapshotFree(snap);
    return EXIT_OK;
}

#define OPT_SNAPSHOT \
    { "snapshotname", OPT_STRING, OPT_POSITIONAL, "SNAPSHOT", \
      "the snapshot's name" }, \
    { "current", OPT_BOOL, 0, NULL, "the current snapshot" }

#define OPTS_CREATE_COMMON \
    { "no-metadata", OPT_BOOL, 0, NULL, \
      "take the snapshot but keep no metadata of it" }, \
    { "halt", OPT_BOOL, 0, NULL, "stop the domain afterwards" }, \
    { "disk-only", OPT_BOOL, 0, NULL, "snapshot the disks only" }, \
    { "reuse-external", OPT_BOOL, 0, NULL, \
      "reuse existing external files" }, \
    { "quiesce", OPT_BOOL, 0, NULL, \
      "freeze the guest's file systems first (guest agent)" }, \
    { "atomic", OPT_BOOL, 0, NULL, "all disks or none" }, \
    { "live", OPT_BOOL, 0, NULL, "take it while the domain runs" }, \
    { "validate", OPT_BOOL, 0, NULL, "check the XML against the schema" }

static const CmdOpt optsCreate[] = {
    { "xmlfile", OPT_STRING, OPT_POSITIONAL, "XMLFILE",
      "the snapshot XML (default: a name made by the driver)" },
    { "redefine", OPT_BOOL, 0, NULL,
      "recreate the metadata of a snapshot from its XML" },
    { "current", OPT_BOOL, 0, NULL,
      "with --redefine, make it the current snapshot" },
    OPTS_CREATE_COMMON,
    { NULL },
};

static const CmdOpt optsCreateAs[] = {
    { "name", OPT_STRING, OPT_POSITIONAL, "NAME",
      "the snapshot's name (default: made by the driver)" },
    { "description", OPT_STRING, OPT_POSITIONAL, "TEXT",
      "a description" },
    { "print-xml", OPT_BOOL, 0, NULL,
      "print the snapshot XML instead of creating it" },
    { "memspec", OPT_STRING, 0, "SPEC",
      "[file=]PATH[,snapshot=external|no]: save the memory to PATH (an "
      "external snapshot)" },
    { "diskspec", OPT_STRING, 0, "SPEC",
      "DISK[,snapshot=external|internal|no][,driver=TYPE][,file=PATH]: "
      "how to snapshot one disk" },
    OPTS_CREATE_COMMON,
    { NULL },
};

static const CmdOpt optsList[] = {
    { "parent", OPT_BOOL, 0, NULL, "add a column with each parent" },
    { "roots", OPT_BOOL, 0, NULL, "list snapshots without a parent" },
    { "leaves", OPT_BOOL, 0, NULL, "list snapshots without children" },
    { "no-leaves", OPT_BOOL, 0, NULL, "list snapshots with children" },
    { "metadata", OPT_BOOL, 0, NULL, "list snapshots with metadata" },
    { "no-metadata", OPT_BOOL, 0, NULL,
      "list snapshots without metadata" },
    { "inactive", OPT_BOOL, 0, NULL,
      "list snapshots of the domain shut off" },
    { "active", OPT_BOOL, 0, NULL,
      "list snapshots of the domain running or paused" },
    { "disk-only", OPT_BOOL, 0, NULL, "list disk-only snapshots" },
    { "internal", OPT_BOOL, 0, NULL, "list internal snapshots" },
    { "external", OPT_BOOL, 0, NULL, "list external snapshots" },
    { "tree", OPT_BOOL, 0, NULL, "draw the snapshots as a tree" },
    { "from", OPT_STRING, 0, "SNAPSHOT",
      "list the children of this snapshot" },
    { "current", OPT_BOOL, 0, NULL,
      "list the children of the current snapshot" },
    { "descendants", OPT_BOOL, 0, NULL,
      "with --from or --current, all descendants, not only children" },
    { "topological", OPT_BOOL, 0, NULL,
      "parents before children, instead of by name" },
    { "name", OPT_BOOL, 0, NULL, "print only the names" },
    { NULL },
};

static const CmdOpt optsSnapshot[] = {
    OPT_SNAPSHOT,
    { NULL },
};

static const CmdOpt optsDumpxml[] = {
    OPT_SNAPSHOT,
    { "security-info", OPT_BOOL, 0, NULL,
      "include sensitive data such as passwords" },
    { NULL },
};

static const CmdOpt optsCurrent[] = {
    { "snapshotname", OPT_STRING, OPT_POSITIONAL, "SNAPSHOT",
      "make this snapshot the current one" },
    { "name", OPT_BOOL, 0, NULL, "print only the name" },
    { "security-info", OPT_BOOL, 0, NULL,
      "include sensitive data such as passwords" },
    { NULL },
};

static const CmdOpt optsRevert[] = {
    OPT_SNAPSHOT,
    { "running", OPT_BOOL, 0, NULL, "leave the domain running" },
    { "paused", OPT_BOOL, 0, NULL, "leave the domain paused" },
    { "force", OPT_BOOL, 0, NULL, "revert even where it is risky" },
    { "reset-nvram", OPT_BOOL, 0, NULL, "start with a fresh NVRAM" },
    { NULL },
};

static const CmdOpt optsDelete[] = {
    OPT_SNAPSHOT,
    { "children", OPT_BOOL, 0, NULL, "also delete its descendants" },
    { "children-only", OPT_BOOL, 0, NULL,
      "delete its descendants but not the snapshot" },
    { "metadata", OPT_BOOL, 0, NULL,
      "delete only the metadata, not the snapshot data" },
    { NULL },
};

const Cmd snapshotCommands[] = {
    { "snapshot-create", G_SNAP, snapshotCreate, optsCreate, CMD_DOMAIN,
      "create a snapshot from XML",
      "Take a snapshot of the domain described by XMLFILE, or with "
      "--redefine recreate the metadata of one from its XML (as "
      "snapshot-dumpxml printed it)." },
    { "snapshot-create-as", G_SNAP, snapshotCreateAs, optsCreateAs,
      CMD_DOMAIN,
      "create a snapshot from a name and description",
      "Take a snapshot of the domain, named NAME with description TEXT." },
    { "snapshot-list", G_SNAP, snapshotList, optsList,
      CMD_DOMAIN | CMD_QUERY,
      "list a domain's snapshots",
      "Print a table of the domain's snapshots: name, creation time and "
      "the domain's state when it was taken; or the names only, or a tree "
      "of parents and children. The filters combine." },
    { "snapshot-info", G_SNAP, snapshotInfo, optsSnapshot,
      CMD_DOMAIN | CMD_QUERY,
      "show information about a snapshot",
      "Print the snapshot's name, domain, whether it is current, its "
      "state, location, parent, children and descendant counts; the "
      "current snapshot when none is named." },
    { "snapshot-dumpxml", G_SNAP, snapshotDumpxml, optsDumpxml,
      CMD_DOMAIN | CMD_QUERY,
      "print a snapshot's XML",
      "Print the XML description of the snapshot." },
    { "snapshot-current", G_SNAP, snapshotCurrent, optsCurrent,
      CMD_DOMAIN | CMD_QUERY,
      "show or set the current snapshot",
      "Print the XML (or with --name the name) of the current snapshot; "
      "with SNAPSHOT, make that one current." },
    { "snapshot-revert", G_SNAP, snapshotRevert, optsRevert, CMD_DOMAIN,
      "revert a domain to a snapshot",
      "Bring the domain back to the state of the snapshot, which becomes "
      "the current one." },
    { "snapshot-delete", G_SNAP, snapshotDelete, optsDelete, CMD_DOMAIN,
      "delete a snapshot",
      "Delete the snapshot; its children move to its parent, unless they "
      "are deleted too." },
    { "snapshot-parent", G_SNAP, snapshotParent, optsSnapshot,
      CMD_DOMAIN | CMD_QUERY,
      "print the name of a snapshot's parent",
      "Print the name of the snapshot's parent; an error for a root." },
    { NULL },
};
