/* fuzz-domainxml.c: libFuzzer harness for the domain XML parser; built
 * without -fsanitize=fuzzer (FUZZ_REPLAY) it replays corpus files as a test */
#include "conf/domain.h"
#include "error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

/* Parse DATA as a domain and as a lone device; whatever parses must format,
 * parse again, and format the same (format(parse(x)) is stable), and so
 * must its copy. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *xml = malloc(size + 1);
    DomainDef *def, *again, *copy;
    DomainDevice *dev;
    char *out, *out2;

    memcpy(xml, data, size);
    xml[size] = '\0';
    def = domainDefParse(xml, size % 2 ? DOMAIN_PARSE_LIVE : 0);
    if (def) {
        out = domainDefFormat(def, VIR_DOMAIN_XML_SECURE);
        again = domainDefParse(out, DOMAIN_PARSE_LIVE);
        if (!again) {
            fprintf(stderr, "formatted XML does not parse: %s\n%s\n",
                    errorLast()->message, out);
            abort();
        }
        out2 = domainDefFormat(again, VIR_DOMAIN_XML_SECURE);
        if (strcmp(out, out2) != 0) {
            fprintf(stderr, "unstable format:\n%s\n---\n%s\n", out, out2);
            abort();
        }
        free(out2);
        copy = domainDefCopy(def);
        out2 = domainDefFormat(copy, VIR_DOMAIN_XML_SECURE);
        if (strcmp(out, out2) != 0) {
            fprintf(stderr, "copy formats differently:\n%s\n---\n%s\n",
                    out, out2);
            abort();
        }
        free(out2);
        domainDefFree(copy);
        free(out);
        out = domainDefFormat(def, VIR_DOMAIN_XML_INACTIVE);
        free(out);
        domainDefFree(again);
        domainDefFree(def);
    }
    dev = domainDeviceParse(xml, NULL, DOMAIN_PARSE_LIVE);
    if (dev) {
        out = domainDeviceFormat(dev, VIR_DOMAIN_XML_SECURE);
        free(out);
        domainDeviceFree(dev);
    }
    errorReset();
    free(xml);
    return 0;
}

#ifdef FUZZ_REPLAY
/* Replay every file named on the command line once; TAP output. */
int
main(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        uint8_t *buf;
        long len;

        if (!f) {
            printf("not ok %d - cannot open %s\n", i, argv[i]);
            continue;
        }
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = malloc((size_t)len + 1);
        if (fread(buf, 1, (size_t)len, f) == (size_t)len)
            LLVMFuzzerTestOneInput(buf, (size_t)len);
        fclose(f);
        free(buf);
        printf("ok %d - replayed %s\n", i, argv[i]);
    }
    printf("1..%d\n", argc - 1);
    return 0;
}
#endif
