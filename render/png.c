/* PNG writer: signature, IHDR, IDAT (zlib, rows unfiltered), IEND. */
#include "render/png.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void
put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static int
chunk(FILE *f, const char *type, const unsigned char *data, size_t len)
{
    unsigned char head[8], crc[4];
    uLong c = crc32(0L, (const Bytef *)type, 4);

    put32(head, (uint32_t)len);
    memcpy(head + 4, type, 4);
    if (len)
        c = crc32(c, data, (uInt)len);
    put32(crc, (uint32_t)c);
    return fwrite(head, 1, 8, f) != 8 || (len && fwrite(data, 1, len, f) != len) ||
                   fwrite(crc, 1, 4, f) != 4
               ? -1
               : 0;
}

enum cr_status
cr_png_write(cairo_surface_t *surface, const char *path, const char *name, struct cr_error *err)
{
    static const unsigned char signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    const unsigned char *pixels;
    size_t row_len = 1 + 3 * (size_t)w, out_cap = 1 << 18;
    unsigned char *row = malloc(row_len), *out = malloc(out_cap), ihdr[13];
    z_stream z;
    FILE *f = NULL;
    enum cr_status st = CR_OK;
    int zinit = 0;

    cairo_surface_flush(surface);
    pixels = cairo_image_surface_get_data(surface);
    if (!row || !out || !pixels) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        st = cr_error_set(err, CR_ENOMEM, "%s: zlib: out of memory", name);
        goto done;
    }
    zinit = 1;
    f = fopen(path, "wb");
    if (!f) {
        st = cr_error_set(err, CR_EIO, "%s: cannot write: %s", name, strerror(errno));
        goto done;
    }
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bits per channel */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering, one filter byte per row */
    ihdr[12] = 0; /* not interlaced */
    if (fwrite(signature, 1, 8, f) != 8 || chunk(f, "IHDR", ihdr, 13))
        goto io;
    for (int y = 0; y <= h; y++) {
        int flush = y == h ? Z_FINISH : Z_NO_FLUSH;
        if (y < h) {
            const uint32_t *src = (const uint32_t *)(const void *)(pixels + (size_t)y * stride);
            unsigned char *d = row + 1;
            row[0] = 0; /* no filter: flat colour repeats every 3 bytes, which deflate finds */
            for (int x = 0; x < w; x++) {
                *d++ = (unsigned char)(src[x] >> 16);
                *d++ = (unsigned char)(src[x] >> 8);
                *d++ = (unsigned char)src[x];
            }
            z.next_in = row;
            z.avail_in = (uInt)row_len;
        } else {
            z.next_in = NULL;
            z.avail_in = 0;
        }
        do {
            z.next_out = out;
            z.avail_out = (uInt)out_cap;
            int zr = deflate(&z, flush);
            if (zr == Z_STREAM_ERROR) {
                st = cr_error_set(err, CR_EINTERNAL, "%s: zlib failed", name);
                goto done;
            }
            size_t have = out_cap - z.avail_out;
            if (have && chunk(f, "IDAT", out, have))
                goto io;
        } while (z.avail_out == 0);
    }
    if (chunk(f, "IEND", NULL, 0))
        goto io;
    if (fclose(f)) {
        f = NULL;
        goto io;
    }
    f = NULL;
    goto done;
io:
    st = cr_error_set(err, CR_EIO, "%s: cannot write: %s", name, strerror(errno));
done:
    if (f)
        fclose(f);
    if (zinit)
        deflateEnd(&z);
    free(row);
    free(out);
    return st;
}
