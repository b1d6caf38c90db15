/*
 * A route as text: corridor's route JSON, GeoJSON (a FeatureCollection QGIS opens) and GPX, as
 * `corridor route` writes them (docs/routing.md, "Output").
 *
 *   json      status, profile, metric, distance_m, duration_s, cost, co2_kg, currency, weight,
 *             algorithm, waypoints (location, snapped, snap_distance_m), geometry (a GeoJSON
 *             LineString), legs (the four measures and their segments) and segments: one per
 *             run of one mode or transfer at a terminal (mode, the four measures, terminal and
 *             terminal_location for a transfer, from_point and to_point into the geometry)
 *   geojson   a FeatureCollection: the route's line with profile, metric and the measures
 *             (kind "route"), one line per segment (kind "segment", the segment's keys above)
 *             and one point per snapped waypoint (kind "waypoint", index)
 *   gpx       GPX 1.1: one track named after the profile, with the route's length and time
 *
 * Coordinates are degrees with the network's 1e-7 precision; measures are rounded as every
 * corridor command rounds them (0.1 m, 0.1 s, the currency's minor unit, 1 g), cost in the
 * profile's currency. JSON and GeoJSON end with a newline.
 */
#ifndef CORRIDOR_OUTPUT_H
#define CORRIDOR_OUTPUT_H

#include <stddef.h>

#include "corridor/error.h"
#include "corridor/export.h"

struct cr_route;
struct cr_session;

enum cr_route_format { CR_ROUTE_JSON = 0, CR_ROUTE_GEOJSON, CR_ROUTE_GPX };

/* "json", "geojson" or "gpx" into *OUT; 0, or -1 for any other name. */
CR_API int cr_route_format_parse(const char *name, enum cr_route_format *out);

/* Route R (found by session S's router) in format F; *LEN (when LEN is non-NULL) is its length.
 * NULL with ERR set when out of memory. caller frees: free() */
CR_API char *cr_output_route(const struct cr_session *s, const struct cr_route *r,
                             enum cr_route_format f, size_t *len, struct cr_error *err);

/* The JSON `corridor route` writes when no route was found: status "unreachable" (ROUTE_ERR
 * says "no route") or "no_segment" (a point is far from any usable way), and message (ROUTE_ERR's
 * text). NULL when out of memory. caller frees: free() */
CR_API char *cr_output_route_failure(const struct cr_error *route_err, size_t *len);

#endif
