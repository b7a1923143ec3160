/* test-image.c: the CLI's screenshot conversions (tools/vireo/image.c):
 * PPM to PNG and back gives the same pixels, the PNG's header is right,
 * bad input is refused with a reason, formats come from names and types */
#include "../../tools/vireo/image.h"
#include "../tap.h"

#include <stdlib.h>
#include <string.h>

static unsigned int
be32(const unsigned char *p)
{
    return (unsigned int)p[0] << 24 | (unsigned int)p[1] << 16 |
        (unsigned int)p[2] << 8 | p[3];
}

int
main(void)
{
    unsigned char ppm[64 + 7 * 5 * 3], *png = NULL, *back = NULL;
    size_t hl, len, pngLen = 0, backLen = 0;
    const char *why = NULL;

    /* a 7x5 picture with a comment in its header, every byte different */
    hl = (size_t)snprintf((char *)ppm, 64, "P6\n# test\n7 5\n255\n");
    for (size_t i = 0; i < 7 * 5 * 3; i++)
        ppm[hl + i] = (unsigned char)(i * 7 + 3);
    len = hl + 7 * 5 * 3;

    TAP_INT(imagePpmToPng(ppm, len, &png, &pngLen, &why), 0,
            "PPM to PNG: %s", why ? why : "");
    TAP_OK(png && pngLen > 33 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0,
           "PNG signature");
    TAP_OK(png && memcmp(png + 12, "IHDR", 4) == 0 && be32(png + 16) == 7 &&
           be32(png + 20) == 5, "IHDR says 7x5");
    TAP_OK(png && png[24] == 8 && png[25] == 2, "8-bit RGB");
    TAP_INT(imagePngToPpm(png, pngLen, &back, &backLen, &why), 0,
            "PNG back to PPM: %s", why ? why : "");
    TAP_OK(back && backLen == 11 + 7 * 5 * 3 &&
           memcmp(back, "P6\n7 5\n255\n", 11) == 0, "PPM header 7x5");
    TAP_OK(back && memcmp(back + backLen - 7 * 5 * 3, ppm + hl,
                          7 * 5 * 3) == 0, "the same pixels");
    free(back);
    back = NULL;

    why = NULL;
    TAP_INT(imagePpmToPng((const unsigned char *)"P3\n1 1\n255\n0 0 0", 15,
                          &back, &backLen, &why), -1, "ASCII PPM refused");
    TAP_OK(why && strstr(why, "P6"), "... saying why (%s)", why ? why : "");
    why = NULL;
    TAP_INT(imagePpmToPng(ppm, len - 1, &back, &backLen, &why), -1,
            "short PPM refused (%s)", why ? why : "");
    why = NULL;
    TAP_INT(imagePngToPpm(ppm, len, &back, &backLen, &why), -1,
            "a PPM is not a PNG (%s)", why ? why : "");
    TAP_INT(imageFormatOfName("/x/shot.PNG"), IMAGE_PNG, ".PNG is PNG");
    TAP_INT(imageFormatOfName("shot.ppm"), IMAGE_PPM, ".ppm is PPM");
    TAP_INT(imageFormatOfName("a.png/shot"), IMAGE_OTHER, "no extension");
    TAP_INT(imageFormatOfMime("image/png"), IMAGE_PNG, "image/png");
    TAP_STR(imageFormatMime(IMAGE_PPM), "image/x-portable-pixmap",
            "the PPM type");
    free(png);
    return tapDone();
}
