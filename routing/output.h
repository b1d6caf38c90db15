/*
 * Route writers (corridor/output.h) on an engine, and the pieces they are built from, which the
 * server's OSRM answers share (server/osrm_json.c): the same coordinates, names and measures.
 *
 * Every json_t returned is a new reference (caller: json_decref); jansson's own allocation
 * failures are not reported one by one (a NULL member is dropped), as elsewhere in corridor.
 */
#ifndef CR_ROUTING_OUTPUT_H
#define CR_ROUTING_OUTPUT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/graph.h"
#include "corridor/output.h"
#include "routing/route.h"

/* How corridor dumps route JSON and GeoJSON: indented, keys in order, reals with 10 digits. */
#define CR_OUTPUT_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* [lon, lat] in degrees. */
json_t *cr_output_lonlat(int32_t lon_e7, int32_t lat_e7);

/* [[lon, lat], ...] of the N points. */
json_t *cr_output_coords(const int32_t *lon_e7, const int32_t *lat_e7, size_t n);

/* TEXT as a JSON string; "" when it is not valid UTF-8 (names come from OSM as tagged). */
json_t *cr_output_string(const char *text);

/* A string of the network (a name) at OFFSET in its strings, as cr_output_string. */
json_t *cr_output_name(const struct cr_graph_view *v, uint32_t offset);

/* A run of one mode: mode, the four measures (routing/measure.h) in the engine's currency and,
 * for a transfer, terminal (its name) and terminal_location. */
json_t *cr_output_part(const struct cr_engine *e, const struct cr_route_part *p);

/* R's "depart" and "arrive" (and "arrive_by" when asked) into O, naive local times, when it
 * was searched at a time (a timed search, or cr_route_compute_arrive); else nothing. */
void cr_output_times(json_t *o, const struct cr_route *r);

/* corridor's route JSON and GeoJSON (corridor/output.h). */
json_t *cr_output_route_json(const struct cr_engine *e, const struct cr_route *r);
json_t *cr_output_route_geojson(const struct cr_engine *e, const struct cr_route *r);

/* GPX 1.1 text; *LEN its length. NULL when out of memory. caller frees: free() */
char *cr_output_route_gpx(const struct cr_engine *e, const struct cr_route *r, size_t *len);

/* The whole text in format F, as cr_output_route. caller frees: free() */
char *cr_output_route_text(const struct cr_engine *e, const struct cr_route *r,
                           enum cr_route_format f, size_t *len, struct cr_error *err);

/* TEXT with XML's five special characters (& < > " ') escaped, to F. */
void cr_output_xml_text(FILE *f, const char *text);

#endif
