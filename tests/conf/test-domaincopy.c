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

/* Each device of DEF copied alone formats like the original. */
static bool
devicesCopy(const DomainDef *def, const char *what)
{
    bool ok = true;
    size_t n = 0;
    DomainDevice devs[256];

#define ADD(arr, cnt, k) \
    for (size_t i = 0; i < def->cnt && n < 256; i++) { \
        devs[n].kind = k; \
        devs[n++].data.ptr = def->arr[i]; \
    }
    ADD(disks, ndisks, DEVICE_DISK);
    ADD(controllers, ncontrollers, DEVICE_CONTROLLER);
    ADD(nets, nnets, DEVICE_NET);
    ADD(serials, nserials, DEVICE_CHR);
    ADD(parallels, nparallels, DEVICE_CHR);
    ADD(consoles, nconsoles, DEVICE_CHR);
    ADD(channels, nchannels, DEVICE_CHR);
    ADD(inputs, ninputs, DEVICE_INPUT);
    ADD(tpms, ntpms, DEVICE_TPM);
    ADD(graphics, ngraphics, DEVICE_GRAPHICS);
    ADD(sounds, nsounds, DEVICE_SOUND);
    ADD(videos, nvideos, DEVICE_VIDEO);
    ADD(hostdevs, nhostdevs, DEVICE_HOSTDEV);
    ADD(watchdogs, nwatchdogs, DEVICE_WATCHDOG);
    ADD(rngs, nrngs, DEVICE_RNG);
#undef ADD
    if (def->memballoon && n < 256) {
        devs[n].kind = DEVICE_MEMBALLOON;
        devs[n++].data.memballoon = def->memballoon;
    }
    for (size_t i = 0; i < n && ok; i++) {
        DomainDevice *copy = domainDeviceCopy(&devs[i]);

        for (size_t j = 0; j < NFLAGS && ok; j++) {
            char *a = domainDeviceFormat(&devs[i], formatFlags[j]);
            char *b = domainDeviceFormat(copy, formatFlags[j]);

            if (strcmp(a, b) != 0 || copy->data.ptr == devs[i].data.ptr) {
                printf("# %s, device %zu (%s), flags %u:\n# want:\n%s"
                       "# got:\n%s", what, i,
                       domainDeviceKindNames[devs[i].kind], formatFlags[j],
                       a, b);
                ok = false;
            }
            free(a);
            free(b);
        }
        domainDeviceFree(copy);
    }
    return ok;
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
    ok = ok && devicesCopy(def, path);
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

/* Mutations of the original after copying never show in the copy. */
static void
testIndependent(const char *xml)
{
    DomainDef *def = domainDefParse(xml, DOMAIN_PARSE_LIVE);
    DomainDef *copy;
    char *before, *after;

    if (!TAP_OK(def, "full.xml parses"))
        return;
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
