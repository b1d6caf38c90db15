/*
 * Map tiles: one Web Mercator (EPSG:3857) tile z/x/y of 256 pixels (512 with SCALE 2, "@2x"),
 * drawn by the plan map's own layers (render/map_internal.h) in the style of the printed maps:
 * zoning fills, water, roads by class with casings, rail, terminals and their labels, without
 * the page around them (no title block, legend, scale bar or grid). Coordinates go through PROJ
 * (EPSG:4326 -> EPSG:3857) as on every other map.
 *
 * Labels do not collide across tile edges: they are placed on the tile's metatile (CR_TILE_META
 * x CR_TILE_META tiles, fewer at zooms 0 and 1), never across its edge, with the same data in
 * the same order for every tile of it, so each tile draws the part of every label that touches
 * it and a label is whole on the tiles it spans.
 *
 * A tile source (the layers and a grid index of the network's segments, built once) is shared
 * read-only by every thread; a renderer (PROJ context, transformations, scratch) is one per
 * thread. docs/tiles.md describes it all.
 */
#ifndef CR_RENDER_TILE_H
#define CR_RENDER_TILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"

/* Borrowed by reference only, so that a user of tiles (server/) needs no Cairo headers. */
struct cr_style;         /* render/style.h */
struct cr_zones;         /* spatial/zones.h */
struct cr_zoneclass_map; /* render/zoneclass.h */

#define CR_TILE_MAX_ZOOM 22
#define CR_TILE_META 2 /* 2 x 2: a cold tile draws 4 tiles' area, not 16 (bench/README.md) */
#define CR_TILE_SIZE 256
#define CR_TILE_MERC_ORIGIN 20037508.342789244 /* half the equator's length on the sphere, m */
#define CR_TILE_MAX_LAT 85.0511287798066

/* ---- tile math (pure) ---- */

/* Whether z/x/y names a tile: z <= CR_TILE_MAX_ZOOM, x and y below 2^z. */
int cr_tile_valid(unsigned z, uint64_t x, uint64_t y);

/* The tile of zoom Z holding LON, LAT (latitudes past +-CR_TILE_MAX_LAT clamped). */
void cr_tile_of_lonlat(double lon, double lat, unsigned z, uint32_t *x, uint32_t *y);

/* The tile's bounds: west, south, east, north in degrees, or in EPSG:3857 metres. */
void cr_tile_bounds_lonlat(unsigned z, uint32_t x, uint32_t y, double b[4]);
void cr_tile_bounds_merc(unsigned z, uint32_t x, uint32_t y, double b[4]);

/* The range of tiles of zoom Z covering BBOX (west, south, east, north), inclusive. */
void cr_tile_range(const double bbox[4], unsigned z, uint32_t *x0, uint32_t *y0, uint32_t *x1,
                   uint32_t *y1);

/* ---- drawing ---- */

struct cr_tile_layers {
    const struct cr_graph_view *graph;        /* or NULL */
    const struct cr_zones *zones;             /* or NULL */
    const struct cr_zoneclass_map *class_map; /* or NULL */
    const struct cr_style *style;             /* required */
};

struct cr_tile_source;
struct cr_tile_renderer;

/* The layers L (borrowed: they must outlive the source) with their index and extent.
 * caller frees: cr_tile_source_destroy() */
struct cr_tile_source *cr_tile_source_create(const struct cr_tile_layers *l, struct cr_error *err);
void cr_tile_source_destroy(struct cr_tile_source *s);

/* The data's extent, west, south, east, north (degrees); 0 when there is no data. */
int cr_tile_source_extent(const struct cr_tile_source *s, double e[4]);

/* One per thread. caller frees: cr_tile_renderer_destroy() */
struct cr_tile_renderer *cr_tile_renderer_create(const struct cr_tile_source *s,
                                                 struct cr_error *err);
void cr_tile_renderer_destroy(struct cr_tile_renderer *r);

struct cr_tile_stats {
    size_t segments, labels; /* drawn on the metatile (labels: placed) */
    int empty;               /* outside the data: the background only */
};

/* The metatile of tile X, Y at zoom Z: its first tile MX0, MY0 and its side META (tiles). */
void cr_tile_metatile(unsigned z, uint32_t x, uint32_t y, uint32_t *mx0, uint32_t *my0,
                      uint32_t *meta);

/* Receives one tile's PNG (LEN bytes, borrowed for the call); non-zero stops the drawing. */
typedef int (*cr_tile_sink)(void *user, unsigned z, uint32_t x, uint32_t y,
                            const unsigned char *png, size_t len);

/* Draws the metatile holding tile z/x/y at SCALE (1 or 2) once and gives every tile of it to
 * SINK, row by row: what a server caches and `corridor tiles` writes, at a fraction of the cost
 * of drawing each tile alone. STATS (may be NULL) are the metatile's. */
enum cr_status cr_tile_render_metatile(struct cr_tile_renderer *r, unsigned z, uint32_t x,
                                       uint32_t y, unsigned scale, cr_tile_sink sink, void *user,
                                       struct cr_tile_stats *stats, struct cr_error *err);

/* Tile z/x/y at SCALE (1 or 2) as a PNG: *PNG (caller frees: free()) of *LEN bytes. A tile
 * outside the data is a valid PNG of the background colour. STATS may be NULL. (It draws the
 * whole metatile and keeps one tile of it.) */
enum cr_status cr_tile_render(struct cr_tile_renderer *r, unsigned z, uint32_t x, uint32_t y,
                              unsigned scale, unsigned char **png, size_t *len,
                              struct cr_tile_stats *stats, struct cr_error *err);

#endif
