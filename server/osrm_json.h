/*
 * OSRM v1's JSON answers for a route and its waypoints, built from routing/output's pieces (the
 * same coordinates, names and measures as `corridor route`). OSRM's own fields keep OSRM's shapes
 * (distance and duration in metres and seconds to 0.1, weight in the metric's unit, geometry as
 * polyline, polyline6 or GeoJSON); the measures OSRM has no field for are in a `corridor` object
 * (docs/server.md).
 */
#ifndef CR_SERVER_OSRM_JSON_H
#define CR_SERVER_OSRM_JSON_H

#include <jansson.h>

#include "core/graph.h"
#include "core/snap.h"
#include "routing/route.h"
#include "server/osrm.h"

/* overview=simplified: the Douglas-Peucker tolerance, in metres. */
#define CR_OSRM_SIMPLIFY_M 5.0

/* OSRM's waypoint object for a snapped point: hint (""), distance (to 1e-6 m), name (of the
 * segment's way) and location. */
/* N points LON, LAT (1e-7 degrees) as the request's geometries ask: GeoJSON LineString or
 * polyline (5 or 6 digits). */
json_t *cr_osrm_json_geometry(const struct cr_osrm_request *req, const int32_t *lon,
                              const int32_t *lat, size_t n);

json_t *cr_osrm_json_waypoint(const struct cr_graph_view *v, const struct cr_snap *snap);

/* OSRM's route answer for R found by engine E as REQ asks: code "Ok", one route (geometry per
 * overview and geometries, legs with summary, weight, duration, distance, annotations and a
 * `corridor` object, and corridor's profile, metric, measures and segments) and the waypoints
 * unless skip_waypoints. caller frees: json_decref() */
json_t *cr_osrm_json_route(const struct cr_osrm_request *req, const struct cr_engine *e,
                           const struct cr_route *r);

#endif
