/*
 * The OSRM v1 options of issue 15 that corridor's routing answers beyond the first services
 * (docs/server.md, "Every option"): alternatives=, exclude=, snapping=, hints (accepted and
 * ignored), generate_hints=false, annotations nodes and datasources, and /table's
 * fallback_speed, fallback_coordinate and scale_factor. The parse (cr_osrm_parse_extra) is pure
 * and unit-tested with the rest of server/osrm.c; the other functions shape an answer.
 */
#ifndef CR_SERVER_OSRM_EXTRA_H
#define CR_SERVER_OSRM_EXTRA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "routing/route.h"
#include "routing/table.h"
#include "server/osrm.h"

/* One query option KEY=V of these (POS: where the key starts in the URL): 0 when taken, -1 with
 * E filled when its value is bad, 1 when KEY is not one of them (for this service). */
int cr_osrm_parse_extra(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                        struct cr_osrm_error *e);

/* /route's waypoints=: the first and last coordinates must be among them (InvalidValue, as
 * osrm-routed). 0 or -1 with E filled. */
int cr_osrm_route_check_waypoints(const struct cr_osrm_request *req, struct cr_osrm_error *e);

/* Leg SRC appended to leg DST (OSRM leg objects of REQ's answer): distance, duration, weight and
 * the corridor amounts added, steps and annotations joined, the summary kept unless empty.
 * SILENT: the point between them is a via point that splits no leg (/route's waypoints=): DST's
 * arrive step is dropped and SRC's depart step joins the step before it when the route goes
 * straight on along the same road there, else becomes a new name, continue or turn with the
 * modifier of the turn there. */
void cr_osrm_merge_leg(const struct cr_osrm_request *req, json_t *dst, json_t *src, int silent);

/* /route with waypoints=: in every route of ANSWER, the legs joined so that each runs between
 * two listed coordinates (the others are via points). The waypoints array keeps every
 * coordinate, as osrm-routed's. Nothing without waypoints=. */
void cr_osrm_route_waypoints(const struct cr_osrm_request *req, json_t *answer);

/* /route with alternatives: OSRM's answer (as cr_osrm_json_route) with the alternatives found
 * for the two PLACES after the best route in "routes". NULL with OE filled on failure. */
json_t *cr_osrm_route_alternatives(const struct cr_osrm_request *req, struct cr_router *rt,
                                   const struct cr_place *places, struct cr_osrm_error *oe);

/* OSRM's nodes annotation of LEG of R: the OSM ids of the network nodes passed, from the tail
 * of the leg's first edge to the head of its last. */
json_t *cr_osrm_json_leg_nodes(const struct cr_route *r, const struct cr_route_leg *leg);

/* generate_hints=false: takes "hint" out of every waypoint object of the array KEY of O. */
void cr_osrm_strip_hints(json_t *o, const char *key);

/* /table's durations and distances in tenths (UINT64_MAX: null) as REQ asks: fallback_speed
 * estimates for the unreachable cells (their [row, column] pairs into *FALLBACK_CELLS, a new
 * array, when any), then scale_factor on the durations. DUR and DIST have T's ns * nt cells
 * (DIST may be NULL). */
void cr_osrm_table_values(const struct cr_osrm_request *req, const struct cr_table *t,
                          uint64_t *dur, uint64_t *dist, json_t **fallback_cells);

/* The /table answer's text from table T of engine E: durations and distances as REQ asks,
 * fallback cells, then the waypoints; NULL with OE set when out of memory. Caller frees. */
#define CR_OSRM_TABLE_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
char *cr_osrm_table_text(const struct cr_osrm_request *req, const struct cr_engine *e,
                         const struct cr_table *t, struct cr_osrm_error *oe);

#endif
