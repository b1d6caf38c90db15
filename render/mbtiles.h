/*
 * MBTiles 1.3 (SQLite) of map tiles (render/tile.h), for offline use: QGIS, GDAL and phone apps
 * open it. `metadata` holds name, format (png), bounds, center, minzoom, maxzoom, attribution,
 * type and version; `tiles` holds every tile of the zooms and box asked, rows in TMS order
 * (y flipped: tile_row = 2^z - 1 - y). Metatiles are drawn on THREADS threads (one renderer
 * each) and written by one connection in one transaction; the file is written beside PATH and
 * renamed over it (core/atomic.h), so a failure or a stop leaves PATH as it was.
 */
#ifndef CR_RENDER_MBTILES_H
#define CR_RENDER_MBTILES_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "render/tile.h"

struct cr_mbtiles_options {
    const char *path;        /* the .mbtiles file */
    const char *name;        /* metadata name (NULL: the file's stem) */
    const char *attribution; /* NULL: "© OpenStreetMap contributors" */
    unsigned min_zoom, max_zoom;
    const double *bbox; /* west, south, east, north; NULL: the data's extent */
    unsigned threads;   /* 0: 1 */
    unsigned scale;     /* 1 (256 px) or 2 (512 px); 0: 1 */
    int (*progress)(void *user, double done); /* non-zero stops with CR_ECANCELLED */
    void *progress_user;
};

struct cr_mbtiles_result {
    uint64_t tiles, metatiles, bytes;
    double bounds[4];
};

/* The tile count of zooms MIN..MAX over BBOX (for a progress bar or a check). */
uint64_t cr_mbtiles_count(const double bbox[4], unsigned min_zoom, unsigned max_zoom);

enum cr_status cr_mbtiles_write(const struct cr_tile_source *src,
                                const struct cr_mbtiles_options *o, struct cr_mbtiles_result *res,
                                struct cr_error *err);

#endif
