/* image.h: screenshot formats for the CLI (PPM <-> PNG) */
#pragma once

#include <stddef.h>

typedef enum { IMAGE_OTHER = 0, IMAGE_PPM, IMAGE_PNG } ImageFormat;

/* The MIME type of F (NULL for IMAGE_OTHER). */
const char *imageFormatMime(ImageFormat f);
/* The format of MIME type MIME, IMAGE_OTHER when not PPM or PNG. */
ImageFormat imageFormatOfMime(const char *mime);
/* The format a file NAME's extension (.png, .ppm, any case) asks for. */
ImageFormat imageFormatOfName(const char *name);
/* Convert a binary PPM (8-bit P6) of LEN bytes to PNG: *OUT (caller
 * frees) and *OUTLEN. 0, or -1 with *WHY saying why (static text). */
int imagePpmToPng(const unsigned char *ppm, size_t len, unsigned char **out,
                  size_t *outLen, const char **why);
/* Convert a PNG of LEN bytes to a binary PPM, as imagePpmToPng. */
int imagePngToPpm(const unsigned char *png, size_t len, unsigned char **out,
                  size_t *outLen, const char **why);
