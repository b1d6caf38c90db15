/* PNG output through libpng, at zlib's fastest level with rows unfiltered. */
#include "render/png.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct png_failure {
    char msg[160];
};

static void
on_png_error(png_structp png, png_const_charp msg)
{
    struct png_failure *f = png_get_error_ptr(png);

    snprintf(f->msg, sizeof f->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void
on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* SURFACE as PNG into F when F is not NULL, else into the file at PATH. */
static enum cr_status
png_out(cairo_surface_t *surface, FILE *to, const char *path, const char *name,
        struct cr_error *err)
{
    int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    const unsigned char *pixels;
    unsigned char *volatile row = NULL;
    FILE *volatile f = NULL;
    struct png_failure failure = { "" };
    png_structp png = NULL;
    png_infop info = NULL;
    enum cr_status st = CR_OK;

    cairo_surface_flush(surface);
    pixels = cairo_image_surface_get_data(surface);
    row = malloc(3 * (size_t)(w > 0 ? w : 1));
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &failure, on_png_error, on_png_warning);
    if (png)
        info = png_create_info_struct(png);
    if (!pixels || !row || !png || !info) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    f = to ? to : fopen(path, "wb");
    if (!f) {
        st = cr_error_set(err, CR_EIO, "%s: cannot write: %s", name, strerror(errno));
        goto done;
    }
    if (setjmp(png_jmpbuf(png))) {
        st = cr_error_set(err, CR_EIO, "%s: cannot write the PNG: %s", name,
                          failure.msg[0] ? failure.msg : strerror(errno));
        goto done;
    }
    png_init_io(png, f);
    /* a map is mostly flat colour: the fastest level and no row filter cost little in size and
     * take a fraction of the time of libpng's defaults (which Cairo's writer uses) */
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)(pixels + (size_t)y * stride);
        unsigned char *d = row;
        for (int x = 0; x < w; x++) { /* the page is opaque: RGB24 or ARGB32 with alpha 255 */
            *d++ = (unsigned char)(src[x] >> 16);
            *d++ = (unsigned char)(src[x] >> 8);
            *d++ = (unsigned char)src[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    if (to ? fflush(f) : fclose(f)) {
        f = NULL;
        st = cr_error_set(err, CR_EIO, "%s: cannot write: %s", name, strerror(errno));
        goto done;
    }
    f = NULL;
done:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    if (f && !to)
        fclose(f);
    free(row);
    return st;
}

enum cr_status
cr_png_write(cairo_surface_t *surface, const char *path, const char *name, struct cr_error *err)
{
    return png_out(surface, NULL, path, name, err);
}

enum cr_status
cr_png_encode(cairo_surface_t *surface, unsigned char **data, size_t *len, const char *name,
              struct cr_error *err)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    enum cr_status st;

    *data = NULL;
    *len = 0;
    if (!f)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
    st = png_out(surface, f, NULL, name, err);
    if (fclose(f) && !st)
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
    if (st) {
        free(buf);
        return st;
    }
    *data = (unsigned char *)buf;
    *len = size;
    return CR_OK;
}
