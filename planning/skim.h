/*
 * Zone-to-zone skims: travel times and distances between every pair of zones, as transport
 * models want them.
 *
 * Each zone is represented by one point: GEOS's point on surface of its polygon (a point
 * inside it, also for a C-shaped or multi-part zone, unlike the centroid), taken from the
 * working CRS to WGS84; then the session's table between all of them (cr_table_compute with
 * every measure), which snaps each to the nearest segment the profile may use within the
 * session's snap radius. A zone whose point lies farther than that from any usable way is not
 * placed: its row and column are marked, not an error. Each cell between placed zones equals the
 * route cr_route_compute finds between the same two representative points (distance, duration,
 * cost and CO2 of the path optimal for the session's metric).
 */
#ifndef CR_PLANNING_SKIM_H
#define CR_PLANNING_SKIM_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "routing/route.h"
#include "spatial/zones.h"

struct cr_skim_point {
    double x, y;            /* representative point in the zones' working CRS */
    int32_t lon_e7, lat_e7; /* the same in WGS84 */
    int placed;             /* snapped to a usable way within the snap radius */
    struct cr_place place;  /* when placed */
};

enum cr_skim_status { CR_SKIM_OK = 0, CR_SKIM_UNREACHABLE, CR_SKIM_NO_SEGMENT };

struct cr_skim {
    size_t count;                 /* zones */
    size_t placed;                /* zones placed on the network */
    struct cr_skim_point *points; /* [count], by zone index */
    struct cr_cell *cells;        /* [count * count]: from i to j at i * count + j */
};

/* The representative points of every zone of Z and the table between them with R (a router of
 * the session to use). Errors: out of memory, or a zone GEOS gives no point for.
 * caller frees: cr_skim_fini() */
enum cr_status cr_skim_run(const struct cr_zones *z, struct cr_router *r, struct cr_skim *out,
                           struct cr_error *err);
void cr_skim_fini(struct cr_skim *s);

/* The representative point of each zone of Z into POINTS[0 .. z->count - 1] (x, y, lon_e7,
 * lat_e7; not placed), KEEP[i] = 1 when WGS84 can say it. Errors: a zone GEOS gives no point for.
 * cr_skim_run and cr_skim_place_zones both start here. */
enum cr_status cr_skim_zone_points(const struct cr_zones *z, struct cr_skim_point *points,
                                   uint8_t *keep, struct cr_error *err);

/* The zones' points placed on E's network as cr_skim_run places them (each snapped with the
 * default place options, as the table does): POINTS[i].placed and .place, *PLACED the count.
 * Errors: out of memory, a zone GEOS gives no point for. */
enum cr_status cr_skim_place_zones(const struct cr_zones *z, const struct cr_engine *e,
                                   struct cr_skim_point *points, size_t *placed,
                                   struct cr_error *err);

/* What cell (i, j) holds: ok, unreachable, or no_segment (a zone not placed). */
enum cr_skim_status cr_skim_cell_status(const struct cr_skim *s, size_t i, size_t j);
const char *cr_skim_status_name(enum cr_skim_status st);

#endif
