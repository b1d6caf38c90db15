/*
 * Isochrone polygons: the network an isochrone search reached (routing/isochrone.h) within each
 * band's budget, buffered and unioned with GEOS into polygons that follow the network (not
 * convex hulls), with holes where it was not reached. The rule they keep and its resolution:
 * docs/isochrone.md.
 *
 * Geometry is built in a metre working CRS, the UTM zone of the places' mean (spatial/crs),
 * and handed back in WGS 84 longitude, latitude. Bands are nested by construction: band k is
 * band k-1 united with the buffer of what was reached between the two budgets.
 */
#ifndef CR_PLANNING_ISOCHRONE_H
#define CR_PLANNING_ISOCHRONE_H

#include <stddef.h>
#include <stdint.h>

#include <geos_c.h>
#include <jansson.h>

#include "core/error.h"
#include "corridor/routing.h"
#include "routing/isochrone.h"
#include "spatial/ctx.h"

#define CR_ISO_BUFFER_M 50.0 /* default buffer around every reached road, metres */
#define CR_ISO_MAX_BANDS 10
#define CR_ISO_MAX_MINUTES 1440.0
#define CR_ISO_QUADSEGS 4 /* segments per quarter circle of the buffer's round ends */

struct cr_iso_band {
    double minutes;
    GEOSGeometry *polygon; /* WGS 84 lon/lat, of the context given; may be empty */
    double reached_km;     /* road reached within the band (each segment once, both ways) */
};

struct cr_iso_result {
    struct cr_iso_band bands[CR_ISO_MAX_BANDS]; /* smallest first */
    size_t count;
    uint32_t origin_count;
    int reverse;
    int work_epsg;              /* the UTM zone's EPSG code */
    double buffer_m;            /* as used */
    double search_s, polygon_s; /* wall-clock seconds of each stage (benchmarks) */
};

/* "10,20,30" into OUT[0 .. *N-1], sorted increasing: each a number in (0, 1440] minutes, at
 * most CR_ISO_MAX_BANDS, none twice. CR_EINVAL naming the bad element. */
enum cr_status cr_iso_minutes_parse(const char *text, double *out, size_t *n, struct cr_error *err);

/* The polygons of ISO (searched on V) for N increasing budgets MINUTES (the last <= the search
 * budget), buffered by BUFFER_M (> 0), in C's GEOS context, working in the UTM zone of
 * (LON, LAT). caller frees: cr_iso_result_fini() */
enum cr_status cr_iso_polygons(struct cr_ctx *c, const struct cr_graph_view *v,
                               const struct cr_isochrone *iso, const double *minutes, size_t n,
                               double buffer_m, double lon, double lat, struct cr_iso_result *out,
                               struct cr_error *err);

/* The whole of it on session S: the N points (lon/lat e7) snapped as route starts, searched up
 * to the last of MINUTES, forward or REVERSE, and the polygons. Snapping errors name the point
 * ("LON,LAT: no way the car profile may use within 100 m"). caller frees: cr_iso_result_fini() */
enum cr_status cr_iso_run(struct cr_ctx *c, const struct cr_session *s, const int32_t *lon_e7,
                          const int32_t *lat_e7, size_t n, const double *minutes, size_t nm,
                          int reverse, double buffer_m, struct cr_iso_result *out,
                          struct cr_error *err);

void cr_iso_result_fini(struct cr_ctx *c, struct cr_iso_result *r);

/* The bands into PATH, GeoJSON (RFC 7946, ".geojson" or ".json") or GeoPackage (".gpkg"), whole
 * or not at all: one MultiPolygon feature per band, largest first (so smaller ones draw on top),
 * with fields minutes, origins, reached_km. */
enum cr_status cr_iso_write(struct cr_ctx *c, const struct cr_iso_result *r, const char *path,
                            struct cr_error *err);

/* BEFORE's bands, then AFTER's (the same origins on a scenario network), into one layer of PATH
 * as cr_iso_write does, with a fourth field "network" = "before" or "after"; AFTER NULL: exactly
 * cr_iso_write (no network field). */
enum cr_status cr_iso_write_compare(struct cr_ctx *c, const struct cr_iso_result *before,
                                    const struct cr_iso_result *after, const char *path,
                                    struct cr_error *err);

/* Band B's polygon as rings for a map: *LONLAT [2 * *POINTS] (lon, lat pairs), *RING_SIZE
 * [*RINGS] the points of each ring in turn (each polygon's outer ring, then its holes). An empty
 * band gives no rings. caller frees: free(*lonlat), free(*ring_size) */
enum cr_status cr_iso_band_rings(struct cr_ctx *c, const struct cr_iso_band *b, double **lonlat,
                                 size_t *points, size_t **ring_size, size_t *rings,
                                 struct cr_error *err);

/* Band B's polygon as a GeoJSON geometry (RFC 7946: outer rings counter-clockwise, holes
 * clockwise), or, with LINES, its outer rings as a LineString or MultiLineString (Mapbox's
 * polygons=false). NULL when out of memory. */
json_t *cr_iso_band_geojson(struct cr_ctx *c, const struct cr_iso_band *b, int lines);

#endif
