/*
 * The result of a map matching (routing/match.h) as files: corridor's JSON (each matching's
 * route as `corridor route` writes it, with its confidence, and every trace point with where it
 * matched), and GeoPackage or GeoJSON through GDAL (the matched lines with their measures, and a
 * point per trace point at its matched location). docs/match.md, "corridor match".
 */
#ifndef CR_PLANNING_MATCH_WRITE_H
#define CR_PLANNING_MATCH_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "routing/match.h"
#include "routing/route.h"

/* The trace as given: [n] each, TIME_S may be NULL. */
struct cr_match_input {
    const int32_t *lon_e7, *lat_e7;
    const double *time_s;
    size_t n;
};

/* The JSON text; *LEN its length. NULL when out of memory. caller frees: free() */
char *cr_match_json_text(const struct cr_engine *e, const struct cr_match *m,
                         const struct cr_match_input *in, size_t *len);

/* PATH written whole or not at all by GDAL driver "GPKG" (layers matchings and points) or
 * "GeoJSON" (one layer, a property kind telling lines and points apart), in WGS 84. */
enum cr_status cr_match_write_vector(const char *path, const char *driver,
                                     const struct cr_engine *e, const struct cr_match *m,
                                     const struct cr_match_input *in, struct cr_error *err);

#endif
