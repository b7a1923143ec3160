/* test-domaincopy.c: domainDefCopy and domainDeviceCopy on every XML file */
#include "conf/domain.h"
#include "conf/device.h"
#include "error.h"
#include "../tap.h"
#include "conftest.h"

#include <libvirt/libvirt.h>

/*
 * For each file named on the command line that parses (as config and as
 * live status): the copy formats exactly like the original under every
 * combination of SECURE and INACTIVE, and still does after the original
 * is mutated and freed; each device copied alone formats like its source.
 * Run under valgrind, a pointer the copy forgot to duplicate shows up as a
 * read of freed memory or a double free.
 */

#define NFLAGS 4
static const unsigned int formatFlags[NFLAGS] = {
    0, VIR_DOMAIN_XML_SECURE, VIR_DOMAIN_XML_INACTIVE,
    VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE,
};

/* Compare the formats of A and B under every flag; prints the first
 * difference. True when all agree. */
static bool
sameFormats(char *const *want, const DomainDef *b, const char *what)
{
    for (size_t i = 0; i < NFLAGS; i++) {
        char *got = domainDefFormat(b, formatFlags[i]);
        bool same = strcmp(got, want[i]) == 0;

        if (!same)
            printf("# %s, flags %u:\n# want:\n%s# got:\n%s", what,
                   formatFlags[i], want[i], got);
        free(got);
        if (!same)
            return false;
    }
    return true;
}

/* Overwrite what DEF's strings hold, so that a copy sharing any of them
 * would format differently even without valgrind. */
static void
scribble(DomainDef *def)
{
    if (def->name)
        def->name[0] = '#';
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->dst)
            def->disks[i]->dst[0] = '#';
        if (def->disks[i]->srcExtra.nattrs)
            def->disks[i]->srcExtra.attrs[0].value[0] = '#';
    }
    for (size_t i = 0; i < def->nunknown; i++)
        def->unknown[i]->name[0] = '#';
    for (size_t i = 0; i < def->nmetadata; i++)
        def->metadata[i]->name[0] = '#';
}

/* DEV copied alone formats like the original; OPAQUE names the file. */
static int
deviceCopies(DomainDevice *dev, size_t idx, void *opaque)
{
    DomainDevice *copy = domainDeviceCopy(dev);
    int bad = 0;

    for (size_t j = 0; j < NFLAGS && !bad; j++) {
        char *a = domainDeviceFormat(dev, formatFlags[j]);
        char *b = domainDeviceFormat(copy, formatFlags[j]);

        if (strcmp(a, b) != 0 || copy->data.ptr == dev->data.ptr) {
            printf("# %s, %s %zu, flags %u:\n# want:\n%s# got:\n%s",
                   (const char *)opaque, domainDeviceKindNames[dev->kind],
                   idx, formatFlags[j], a, b);
            bad = 1;
        }
        free(a);
        free(b);
    }
    domainDeviceFree(copy);
    return bad;
}

/* One file in one parse mode; returns 1 if it parsed (and was checked). */
static int
checkFile(const char *path, const char *xml, unsigned int parseFlags)
{
    DomainDef *def = domainDefParse(xml, parseFlags);
    DomainDef *copy;
    char *want[NFLAGS];
    bool ok;

    errorReset();
    if (!def)
        return 0;
    for (size_t i = 0; i < NFLAGS; i++)
        want[i] = domainDefFormat(def, formatFlags[i]);
    copy = domainDefCopy(def);
    ok = copy && copy != def && sameFormats(want, copy, "copy");
    ok = ok && domainDeviceForEach(def, deviceCopies, (void *)path) == 0;
    if (ok) {
        scribble(def);
        domainDefFree(def);
        def = NULL;
        ok = sameFormats(want, copy, "copy after the original was freed");
    }
    TAP_OK(ok, "%s (%s): copy formats the same, alone", path,
           parseFlags ? "live" : "config");
    for (size_t i = 0; i < NFLAGS; i++)
        free(want[i]);
    domainDefFree(def);
    domainDefFree(copy);
    return 1;
}

static int
countDevice(DomainDevice *dev, size_t idx, void *opaque)
{
    (*(size_t *)opaque)++;
    return 0;
}

/* Mutations of the original after copying never show in the copy. */
static void
testIndependent(const char *xml)
{
    DomainDef *def = domainDefParse(xml, DOMAIN_PARSE_LIVE);
    DomainDef *copy;
    char *before, *after;
    size_t total, seen = 0;

    if (!TAP_OK(def, "full.xml parses"))
        return;
    total = def->ndisks + def->ncontrollers + def->nnets + def->nserials +
            def->nparallels + def->nconsoles + def->nchannels +
            def->ninputs + def->ntpms + def->ngraphics + def->nsounds +
            def->nvideos + def->nhostdevs + def->nwatchdogs + def->nrngs +
            (def->memballoon != NULL);
    domainDeviceForEach(def, countDevice, &seen);
    TAP_OK(seen == total && total > 10, "the walk visits all %zu devices",
           total);
    copy = domainDefCopy(def);
    before = domainDefFormat(copy, VIR_DOMAIN_XML_SECURE);
    free(def->name);
    def->name = strdup("renamed");
    def->memory *= 2;
    def->ndisks--;
    deviceDiskFree(def->disks[def->ndisks]);
    if (def->ndisks)
        def->disks[0]->dst[0] = 'x';
    if (def->nnets)
        def->nets[0]->mac[5] ^= 0xff;
    after = domainDefFormat(copy, VIR_DOMAIN_XML_SECURE);
    TAP_STR(after, before, "edits of the original leave the copy alone");
    TAP_OK(strcmp(copy->name, "renamed") != 0 && copy->ndisks > def->ndisks,
           "copy keeps its own name and disks");
    free(before);
    free(after);
    domainDefFree(def);
    domainDefFree(copy);
}

int
main(int argc, char **argv)
{
    int parsed = 0;

    for (int i = 1; i < argc; i++) {
        char *xml = confTestReadFile(argv[i]);

        if (!TAP_OK(xml, "%s readable", argv[i]))
            continue;
        parsed += checkFile(argv[i], xml, 0);
        parsed += checkFile(argv[i], xml, DOMAIN_PARSE_LIVE);
        if (strstr(argv[i], "/full.xml"))
            testIndependent(xml);
        free(xml);
    }
    /* the data directory alone holds 8 valid domains (16 parses) */
    TAP_OK(parsed >= 16, "%d parses were checked", parsed);
    return tapDone();
}
