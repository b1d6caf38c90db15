/*
 * OSRM v1's /trip service (docs/server.md, "trip"): its options, what it refuses as OSRM does,
 * and its answer, on the trip of routing/trip.h. The request is parsed by server/osrm.c, which
 * hands trip's own options here; the server (server/server.c) calls cr_osrm_trip_answer.
 *
 *   /trip/v1/{profile}/{coordinates}?roundtrip=true|false&source=any|first
 *       &destination=any|last&steps=&annotations=&geometries=&overview=
 */
#ifndef CR_SERVER_OSRM_TRIP_H
#define CR_SERVER_OSRM_TRIP_H

#include <jansson.h>
#include <stddef.h>

#include "corridor/routing.h"
#include "server/osrm.h"

/* Trip's own option KEY=V (roundtrip, source, destination, steps) into REQ: 0, -1 with E filled
 * when V is bad, 1 when KEY is not one of them. */
int cr_osrm_trip_option(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                        struct cr_osrm_error *e);

/* What a trip request must be: at least two points, at most LIMITS->max_trip_size, and a
 * combination OSRM answers (roundtrip=false only with source=first and destination=last:
 * NotImplemented otherwise, as osrm-routed). 0, or -1 with E filled. */
int cr_osrm_trip_check(const struct cr_osrm_limits *limits, const struct cr_osrm_request *req,
                       struct cr_osrm_error *e);

/* OSRM's trip answer for REQ on SESSION through router RT: code "Ok", trips (one route in
 * /route's shape, legs in visiting order) and waypoints in the order given, each with
 * trips_index and waypoint_index. NULL with E filled: NoSegment, NoTrips, InternalError, or
 * TooBig when the table (computed row by row without a hierarchy) runs past DEADLINE (a
 * CLOCK_MONOTONIC time in seconds; 0: none). caller frees: json_decref() */
json_t *cr_osrm_trip_answer(const struct cr_osrm_request *req, const struct cr_session *session,
                            struct cr_router *rt, double deadline, struct cr_osrm_error *e);

#endif
