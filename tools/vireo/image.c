/* image.c: screenshot formats for the CLI: binary PPM (P6, what older QEMUs
 * and the test driver send) to PNG and back, through libpng */
#include "image.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *
imageFormatMime(ImageFormat f)
{
    return f == IMAGE_PNG ? "image/png" :
           f == IMAGE_PPM ? "image/x-portable-pixmap" : NULL;
}

ImageFormat
imageFormatOfMime(const char *mime)
{
    if (strcmp(mime, "image/png") == 0)
        return IMAGE_PNG;
    if (strcmp(mime, "image/x-portable-pixmap") == 0)
        return IMAGE_PPM;
    return IMAGE_OTHER;
}

ImageFormat
imageFormatOfName(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (!dot || strchr(dot, '/'))
        return IMAGE_OTHER;
    if (strcasecmp(dot, ".png") == 0)
        return IMAGE_PNG;
    if (strcasecmp(dot, ".ppm") == 0)
        return IMAGE_PPM;
    return IMAGE_OTHER;
}

/* Skip whitespace and '#' comments of a PPM header at *P (before END). */
static void
imagePpmSkip(const unsigned char **p, const unsigned char *end)
{
    while (*p < end) {
        if (**p == '#') {
            while (*p < end && **p != '\n')
                (*p)++;
        } else if (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r') {
            (*p)++;
        } else {
            break;
        }
    }
}

/* The next decimal number of a PPM header, -1 when there is none. */
static long
imagePpmNumber(const unsigned char **p, const unsigned char *end)
{
    long v = 0;
    int digits = 0;

    imagePpmSkip(p, end);
    while (*p < end && **p >= '0' && **p <= '9' && digits < 9) {
        v = v * 10 + (**p - '0');
        (*p)++;
        digits++;
    }
    return digits ? v : -1;
}

int
imagePpmToPng(const unsigned char *ppm, size_t len, unsigned char **out,
              size_t *outLen, const char **why)
{
    static char message[80];
    const unsigned char *p = ppm + 2, *end = ppm + len;
    png_image img;
    png_alloc_size_t size = 0;
    long w, h, max;

    if (len < 2 || ppm[0] != 'P' || ppm[1] != '6') {
        *why = "not a binary PPM (P6) image";
        return -1;
    }
    w = imagePpmNumber(&p, end);
    h = imagePpmNumber(&p, end);
    max = imagePpmNumber(&p, end);
    if (w <= 0 || h <= 0 || max != 255 || p >= end) {
        *why = "unsupported PPM header (want 8-bit P6)";
        return -1;
    }
    p++;                        /* the single whitespace after maxval */
    if ((size_t)(end - p) < (size_t)w * (size_t)h * 3) {
        *why = "PPM image shorter than its header says";
        return -1;
    }
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_RGB;
    *out = NULL;
    if (png_image_write_to_memory(&img, NULL, &size, 0, p, 0, NULL) &&
        (*out = malloc(size)) &&
        png_image_write_to_memory(&img, *out, &size, 0, p, 0, NULL)) {
        *outLen = size;
        return 0;
    }
    snprintf(message, sizeof(message), "%s",
             img.message[0] ? img.message : "out of memory");
    *why = message;
    free(*out);
    *out = NULL;
    png_image_free(&img);
    return -1;
}

int
imagePngToPpm(const unsigned char *png, size_t len, unsigned char **out,
              size_t *outLen, const char **why)
{
    static char message[80];
    png_image img;
    size_t pixels;
    int hl;

    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, png, len)) {
        snprintf(message, sizeof(message), "%s", img.message);
        *why = message;
        return -1;
    }
    img.format = PNG_FORMAT_RGB;
    pixels = PNG_IMAGE_SIZE(img);
    if (!(*out = malloc(pixels + 64))) {
        png_image_free(&img);
        *why = "out of memory";
        return -1;
    }
    hl = snprintf((char *)*out, 64, "P6\n%u %u\n255\n", img.width,
                  img.height);
    if (!png_image_finish_read(&img, NULL, *out + hl, 0, NULL)) {
        snprintf(message, sizeof(message), "%s", img.message);
        *why = message;
        free(*out);
        *out = NULL;
        return -1;
    }
    *outLen = (size_t)hl + pixels;
    return 0;
}
