/*
 * PNG output for plan maps: 8-bit RGB through libpng at zlib's fastest level. Cairo's own PNG
 * writer (libpng with its defaults) compresses harder and took about a third of the time of an
 * A3 300 dpi map; a map is mostly flat colour, so rows go unfiltered and the fast level costs
 * little in size.
 */
#ifndef CR_RENDER_PNG_H
#define CR_RENDER_PNG_H

#include <cairo.h>
#include <stddef.h>

#include "core/error.h"

/* Writes the RGB24 or ARGB32 image SURFACE to PATH, as is: PATH is the temporary file of the
 * caller's cr_atomic_open_path, which the caller commits or aborts. NAME is for messages. */
enum cr_status cr_png_write(cairo_surface_t *surface, const char *path, const char *name,
                            struct cr_error *err);

/* The same PNG in memory (map tiles): *DATA (caller frees: free()) of *LEN bytes. */
enum cr_status cr_png_encode(cairo_surface_t *surface, unsigned char **data, size_t *len,
                             const char *name, struct cr_error *err);

#endif
