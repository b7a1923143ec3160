/* qemu_snapshot_meta.c: snapshot metadata of the QEMU driver: the
 * <domainsnapshot> XML, one file per snapshot under ROOT/snapshot/DOMAIN/
 * (NAME.xml) plus the current mark (a file named "current") */
#define ERROR_DOMAIN VIR_FROM_DOMAIN_SNAPSHOT

#include "qemu_snapshot.h"

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "xtree.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const snapStateNames[] = {
    "nostate", "running", "blocked", "paused", "shutdown", "shutoff",
    "crashed", "pmsuspended", "disk-snapshot", NULL
};

static const char *const snapDiskKinds[] = {
    "", "no", "internal", "external", NULL
};

#define SNAP_CURRENT_FILE "current"

static void
qemuSnapDiskClear(QemuSnapDisk *disk)
{
    free(disk->name);
    free(disk->file);
    free(disk->driverType);
}

void
qemuSnapFree(QemuSnap *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->description);
    free(s->parent);
    free(s->memoryFile);
    for (size_t i = 0; i < s->ndisks; i++)
        qemuSnapDiskClear(&s->disks[i]);
    free(s->disks);
    domainDefFree(s->def);
    domainDefFree(s->inactiveDef);
    free(s);
}

void
qemuSnapTreeFree(QemuSnapTree *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        qemuSnapFree(t->snaps[i]);
    free(t->snaps);
    free(t->current);
    free(t);
}

QemuSnap *
qemuSnapFind(const QemuSnapTree *t, const char *name)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (strcmp(t->snaps[i]->name, name) == 0)
            return t->snaps[i];
    return NULL;
}

QemuSnap *
qemuSnapGet(const QemuSnapTree *t, const char *domName, const char *name)
{
    QemuSnap *s = qemuSnapFind(t, name);

    if (!s)
        reportError(VIR_ERR_NO_DOMAIN_SNAPSHOT, "domain '%s' has no snapshot "
                    "named '%s'", domName, name);
    return s;
}

bool
qemuSnapIsLeaf(const QemuSnapTree *t, const QemuSnap *s)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->snaps[i]->parent && strcmp(t->snaps[i]->parent, s->name) == 0)
            return false;
    return true;
}

bool
qemuSnapIsExternal(const QemuSnap *s)
{
    if (s->memoryFile)
        return true;
    for (size_t i = 0; i < s->ndisks; i++)
        if (s->disks[i].kind == SNAP_DISK_EXTERNAL)
            return true;
    return false;
}

void
qemuSnapTreeAdd(QemuSnapTree *t, QemuSnap *s)
{
    allocResize(&t->snaps, t->n, t->n + 1, sizeof(*t->snaps));
    t->snaps[t->n++] = s;
}

void
qemuSnapTreeRemove(QemuSnapTree *t, QemuSnap *s)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->snaps[i] != s)
            continue;
        memmove(t->snaps + i, t->snaps + i + 1,
                (t->n - i - 1) * sizeof(*t->snaps));
        t->n--;
        return;
    }
}

DomainDef *
qemuSnapDefCopy(const DomainDef *src, const QemuDom *d, bool live)
{
    char *xml = domainDefFormat(src, VIR_DOMAIN_XML_SECURE |
                                (live ? 0 : VIR_DOMAIN_XML_INACTIVE));
    DomainDef *def = xml ? domainDefParse(xml, live ? DOMAIN_PARSE_LIVE : 0)
                         : NULL;

    free(xml);
    if (!def)
        return NULL;
    free(def->name);
    def->name = allocStrdup(d->def->name);
    memcpy(def->uuid, d->def->uuid, sizeof(def->uuid));
    def->id = -1;
    return def;
}

/* ---- XML ---- */

/* Add TEXT indented by SPACES more, line by line. */
static void
qemuSnapIndent(Buf *b, const char *text, const char *spaces)
{
    const char *p = text;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

        bufAdd(b, spaces);
        bufAddN(b, p, len);
        p += len;
    }
}

static void
qemuSnapFormatDisks(Buf *b, const QemuSnap *s)
{
    bufAdd(b, "  <disks>\n");
    for (size_t i = 0; i < s->ndisks; i++) {
        const QemuSnapDisk *disk = &s->disks[i];

        bufAdd(b, "    <disk name='");
        bufAddEscaped(b, disk->name);
        bufPrintf(b, "' snapshot='%s'", snapDiskKinds[disk->kind]);
        if (disk->kind != SNAP_DISK_EXTERNAL) {
            bufAdd(b, "/>\n");
            continue;
        }
        bufAdd(b, " type='file'>\n");
        if (disk->driverType)
            bufPrintf(b, "      <driver type='%s'/>\n", disk->driverType);
        bufAdd(b, "      <source file='");
        bufAddEscaped(b, disk->file ? disk->file : "");
        bufAdd(b, "'/>\n    </disk>\n");
    }
    bufAdd(b, "  </disks>\n");
}

/* Add DEF as an element (<domain>, or <inactiveDomain> with STORAGE). */
static void
qemuSnapFormatDef(Buf *b, const DomainDef *def, bool secure,
                  const char *element)
{
    char *xml = domainDefFormat(def, secure ? VIR_DOMAIN_XML_SECURE : 0);

    if (!xml) {
        errorReset();
        return;
    }
    if (strcmp(element, "domain") == 0) {
        qemuSnapIndent(b, xml, "  ");
    } else {
        bufPrintf(b, "  <%s>\n", element);
        qemuSnapIndent(b, xml, "    ");
        bufPrintf(b, "  </%s>\n", element);
    }
    free(xml);
}

char *
qemuSnapFormat(const QemuSnap *s, bool secure, bool storage)
{
    Buf b = { 0 };

    bufAdd(&b, "<domainsnapshot>\n  <name>");
    bufAddEscaped(&b, s->name);
    bufAdd(&b, "</name>\n");
    if (s->description) {
        bufAdd(&b, "  <description>");
        bufAddEscaped(&b, s->description);
        bufAdd(&b, "</description>\n");
    }
    bufPrintf(&b, "  <state>%s</state>\n", snapStateNames[s->state]);
    if (s->parent) {
        bufAdd(&b, "  <parent>\n    <name>");
        bufAddEscaped(&b, s->parent);
        bufAdd(&b, "</name>\n  </parent>\n");
    }
    bufPrintf(&b, "  <creationTime>%lld</creationTime>\n", s->creationTime);
    if (s->memoryFile) {
        bufAdd(&b, "  <memory snapshot='external' file='");
        bufAddEscaped(&b, s->memoryFile);
        bufAdd(&b, "'/>\n");
    } else {
        bufPrintf(&b, "  <memory snapshot='%s'/>\n",
                  s->memory ? "internal" : "no");
    }
    qemuSnapFormatDisks(&b, s);
    if (s->def)
        qemuSnapFormatDef(&b, s->def, secure || storage, "domain");
    if (storage && s->inactiveDef)
        qemuSnapFormatDef(&b, s->inactiveDef, true, "inactiveDomain");
    bufAdd(&b, "</domainsnapshot>\n");
    return bufTake(&b);
}

/* Index of TEXT in NAMES, or -1. */
static int
qemuSnapLookup(const char *const *names, const char *text)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], text) == 0)
            return i;
    return -1;
}

static int
qemuSnapParseDisk(XNode *node, QemuSnapDisk *disk)
{
    const char *name = xtreeAttr(node, "name");
    const char *kind = xtreeAttr(node, "snapshot");
    XNode *src = xtreeChild(node, "source");
    XNode *drv = xtreeChild(node, "driver");
    const char *type = xtreeAttr(node, "type");
    int k = kind ? qemuSnapLookup(snapDiskKinds, kind) : SNAP_DISK_DEFAULT;

    if (!name || !*name) {
        reportError(VIR_ERR_XML_ERROR, "snapshot <disk> without a name");
        return -1;
    }
    if (k <= 0 && kind) {
        reportError(VIR_ERR_XML_ERROR, "unknown snapshot mode '%s' of disk "
                    "'%s'", kind, name);
        return -1;
    }
    if (type && strcmp(type, "file") != 0) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "snapshot disk '%s' of type "
                    "'%s' is not supported: only files", name, type);
        return -1;
    }
    disk->name = allocStrdup(name);
    disk->kind = (QemuSnapDiskKind)k;
    if (src && xtreeAttr(src, "file"))
        disk->file = allocStrdup(xtreeAttr(src, "file"));
    if (drv && xtreeAttr(drv, "type"))
        disk->driverType = allocStrdup(xtreeAttr(drv, "type"));
    if (disk->kind == SNAP_DISK_DEFAULT && disk->file)
        disk->kind = SNAP_DISK_EXTERNAL;
    return 0;
}

/* The element NAME of ROOT (or ROOT's child <domain> inside it) as a
 * definition; *OUT stays NULL when absent. */
static int
qemuSnapParseDef(XNode *root, const char *name, DomainDef **out)
{
    XNode *node = xtreeChild(root, name);
    Buf b = { 0 };
    char *xml;

    if (node && strcmp(name, "domain") != 0)
        node = xtreeChild(node, "domain");
    if (!node)
        return 0;
    xtreeFormat(&b, node, NULL);
    xml = bufTake(&b);
    *out = domainDefParse(xml, DOMAIN_PARSE_LIVE);
    free(xml);
    return *out ? 0 : -1;
}

static int
qemuSnapParseMemory(XNode *root, QemuSnap *s)
{
    XNode *node = xtreeChild(root, "memory");
    const char *mode = node ? xtreeAttr(node, "snapshot") : NULL;
    const char *file = node ? xtreeAttr(node, "file") : NULL;

    if (!mode && file && *file)
        mode = "external";
    if (!mode || strcmp(mode, "no") == 0)
        return 0;
    if (strcmp(mode, "internal") == 0) {
        s->memory = true;
        return 0;
    }
    if (strcmp(mode, "external") != 0) {
        reportError(VIR_ERR_CONFIG_UNSUPPORTED, "memory snapshot mode '%s' "
                    "is not supported: use 'internal', 'external' or 'no'",
                    mode);
        return -1;
    }
    if (!file || file[0] != '/') {
        reportError(VIR_ERR_XML_DETAIL, "external memory snapshot needs an "
                    "absolute file name, not '%s'", file ? file : "");
        return -1;
    }
    s->memoryFile = allocStrdup(file);
    return 0;
}

/* The fields only a redefinition or a metadata file gives. */
static int
qemuSnapParseFull(XNode *root, QemuSnap *s)
{
    const char *text;
    XNode *node;

    if ((text = xtreeChildText(root, "state")) &&
        (s->state = qemuSnapLookup(snapStateNames, text)) < 0) {
        reportError(VIR_ERR_XML_ERROR, "unknown snapshot state '%s'", text);
        return -1;
    }
    if ((node = xtreeChild(root, "parent")) &&
        (text = xtreeChildText(node, "name")))
        s->parent = allocStrdup(text);
    if ((text = xtreeChildText(root, "creationTime")))
        s->creationTime = strtoll(text, NULL, 10);
    if (qemuSnapParseDef(root, "domain", &s->def) < 0 ||
        qemuSnapParseDef(root, "inactiveDomain", &s->inactiveDef) < 0)
        return -1;
    return 0;
}

QemuSnap *
qemuSnapParse(const char *xml, bool full)
{
    XNode *root = xtreeParse(xml, VIR_FROM_DOMAIN_SNAPSHOT);
    XNode *disks;
    QemuSnap *s = NULL;
    const char *text;

    if (!root)
        return NULL;
    if (strcmp(root->name, "domainsnapshot") != 0) {
        reportError(VIR_ERR_XML_ERROR, "expected <domainsnapshot>, got <%s>",
                    root->name);
        goto cleanup;
    }
    ALLOC(s);
    s->state = -1;
    s->creationTime = -1;
    if ((text = xtreeChildText(root, "name")))
        s->name = allocStrdup(text);
    if ((text = xtreeChildText(root, "description")))
        s->description = allocStrdup(text);
    if (s->name && (!*s->name || strchr(s->name, '/') || s->name[0] == '.')) {
        reportError(VIR_ERR_XML_DETAIL, "invalid snapshot name '%s'",
                    s->name);
        goto error;
    }
    if (qemuSnapParseMemory(root, s) < 0)
        goto error;
    for (size_t i = 0; (disks = xtreeChild(root, "disks")) &&
         i < disks->nkids; i++) {
        if (strcmp(disks->kids[i]->name, "disk") != 0)
            continue;
        allocResize(&s->disks, s->ndisks, s->ndisks + 1, sizeof(*s->disks));
        if (qemuSnapParseDisk(disks->kids[i], &s->disks[s->ndisks++]) < 0)
            goto error;
    }
    if (full && qemuSnapParseFull(root, s) < 0)
        goto error;
    goto cleanup;

 error:
    qemuSnapFree(s);
    s = NULL;
 cleanup:
    xtreeFree(root);
    return s;
}

/* ---- files ---- */

static char *
qemuSnapDir(QemuDriver *drv, const char *domName)
{
    return allocPrintf("%s/snapshot/%s", drv->root, domName);
}

static char *
qemuSnapFile(QemuDriver *drv, const char *domName, const char *file)
{
    return allocPrintf("%s/snapshot/%s/%s", drv->root, domName, file);
}

/* The whole content of PATH (caller frees), NULL with an error; *MISSING
 * (may be NULL) tells an absent file apart (no error then). */
static char *
qemuSnapReadFile(const char *path, bool *missing)
{
    FILE *f = fopen(path, "re");
    Buf b = { 0 };
    char chunk[4096];
    size_t n;

    if (missing)
        *missing = !f && errno == ENOENT;
    if (!f) {
        if (!missing || !*missing)
            reportSystemError(errno, "cannot read '%s'", path);
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        bufAddN(&b, chunk, n);
    fclose(f);
    return bufTake(&b);
}

static int
qemuSnapCompare(const void *a, const void *b)
{
    const QemuSnap *x = *(QemuSnap *const *)a;
    const QemuSnap *y = *(QemuSnap *const *)b;

    if (x->creationTime != y->creationTime)
        return x->creationTime < y->creationTime ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Load one metadata file ENTRY (NAME.xml) into T. */
static int
qemuSnapLoadOne(QemuDriver *drv, const char *domName, const char *entry,
                QemuSnapTree *t)
{
    char *path = qemuSnapFile(drv, domName, entry);
    char *xml = qemuSnapReadFile(path, NULL);
    QemuSnap *s = xml ? qemuSnapParse(xml, true) : NULL;
    int ret = -1;

    if (s && (!s->name || s->state < 0)) {
        reportError(VIR_ERR_INTERNAL_ERROR, "snapshot metadata '%s' lacks a "
                    "name or a state", path);
        qemuSnapFree(s);
    } else if (s) {
        if (s->creationTime < 0)
            s->creationTime = 0;
        qemuSnapTreeAdd(t, s);
        ret = 0;
    }
    free(path);
    free(xml);
    return ret;
}

QemuSnapTree *
qemuSnapTreeLoad(QemuDriver *drv, const char *domName)
{
    QemuSnapTree *t = allocZero(sizeof(*t));
    char *dir = qemuSnapDir(drv, domName);
    char *cur = qemuSnapFile(drv, domName, SNAP_CURRENT_FILE);
    DIR *dh = opendir(dir);
    struct dirent *e;
    bool missing;

    while (dh && (e = readdir(dh))) {
        size_t len = strlen(e->d_name);

        if (e->d_name[0] == '.' || len < 5 ||
            strcmp(e->d_name + len - 4, ".xml") != 0)
            continue;
        if (qemuSnapLoadOne(drv, domName, e->d_name, t) < 0) {
            qemuSnapTreeFree(t);
            t = NULL;
            break;
        }
    }
    if (dh)
        closedir(dh);
    if (t) {
        qsort(t->snaps, t->n, sizeof(*t->snaps), qemuSnapCompare);
        t->current = qemuSnapReadFile(cur, &missing);
        if (t->current && !qemuSnapFind(t, t->current))
            FREE(t->current);
        errorReset();
    }
    free(dir);
    free(cur);
    return t;
}

static int
qemuSnapMkdir(QemuDriver *drv, const char *domName)
{
    char *dir = qemuSnapDir(drv, domName);
    int ret = 0;

    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        reportSystemError(errno, "cannot create '%s'", dir);
        ret = -1;
    }
    free(dir);
    return ret;
}

int
qemuSnapSave(QemuDriver *drv, const char *domName, const QemuSnap *s)
{
    char *file = allocPrintf("%s.xml", s->name);
    char *path = qemuSnapFile(drv, domName, file);
    char *xml = qemuSnapFormat(s, true, true);
    int ret = -1;

    if (qemuSnapMkdir(drv, domName) == 0)
        ret = qemuStateWriteFile(path, xml);
    free(file);
    free(path);
    free(xml);
    return ret;
}

/* Remove PATH; a missing file is fine. */
static int
qemuSnapRemoveFile(const char *path)
{
    if (unlink(path) < 0 && errno != ENOENT) {
        reportSystemError(errno, "cannot remove '%s'", path);
        return -1;
    }
    return 0;
}

int
qemuSnapUnlink(QemuDriver *drv, const char *domName, const char *name)
{
    char *file = allocPrintf("%s.xml", name);
    char *path = qemuSnapFile(drv, domName, file);
    int ret = qemuSnapRemoveFile(path);

    free(file);
    free(path);
    return ret;
}

int
qemuSnapSetCurrent(QemuDriver *drv, const char *domName, QemuSnapTree *t,
                   const char *name)
{
    char *path = qemuSnapFile(drv, domName, SNAP_CURRENT_FILE);
    int ret;

    if (!name)
        ret = qemuSnapRemoveFile(path);
    else if ((ret = qemuSnapMkdir(drv, domName)) == 0)
        ret = qemuStateWriteFile(path, name);
    if (ret == 0 && t) {
        char *copy = allocStrdup(name);

        free(t->current);
        t->current = copy;
    }
    free(path);
    return ret;
}

int
qemuSnapRemoveAll(QemuDriver *drv, const char *domName)
{
    char *dir = qemuSnapDir(drv, domName);
    DIR *dh = opendir(dir);
    struct dirent *e;
    int ret = 0;

    while (dh && (e = readdir(dh))) {
        char *path;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        path = qemuSnapFile(drv, domName, e->d_name);
        if (qemuSnapRemoveFile(path) < 0)
            ret = -1;
        free(path);
    }
    if (dh)
        closedir(dh);
    if (ret == 0 && rmdir(dir) < 0 && errno != ENOENT) {
        reportSystemError(errno, "cannot remove '%s'", dir);
        ret = -1;
    }
    free(dir);
    return ret;
}

int
qemuSnapCount(QemuDriver *drv, const char *domName)
{
    char *dir = qemuSnapDir(drv, domName);
    DIR *dh = opendir(dir);
    struct dirent *e;
    int n = 0;

    while (dh && (e = readdir(dh))) {
        size_t len = strlen(e->d_name);

        if (e->d_name[0] != '.' && len >= 5 &&
            strcmp(e->d_name + len - 4, ".xml") == 0)
            n++;
    }
    if (dh)
        closedir(dh);
    free(dir);
    return n;
}
