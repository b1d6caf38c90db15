/* OSRM v1's /trip (server/osrm_trip.h) on routing/trip.h. */
#include "server/osrm_trip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "routing/route.h"
#include "routing/session.h"
#include "routing/trip.h"
#include "server/osrm_json.h"

static int
bad_query(struct cr_osrm_error *e, size_t pos)
{
    return cr_osrm_error_set(e, "InvalidQuery", 400, "Query string malformed close to position %zu",
                             pos);
}

int
cr_osrm_trip_option(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                    struct cr_osrm_error *e)
{
    if (!strcmp(key, "roundtrip") || !strcmp(key, "steps")) {
        /* steps: every leg's steps, as /route writes them */
        int *out = key[0] == 'r' ? &req->trip_roundtrip : &req->steps;
        if (!strcmp(v, "true"))
            *out = 1;
        else if (!strcmp(v, "false"))
            *out = 0;
        else
            return bad_query(e, pos);
        return 0;
    }
    if (!strcmp(key, "source")) {
        if (strcmp(v, "any") && strcmp(v, "first"))
            return bad_query(e, pos);
        req->trip_source_first = !strcmp(v, "first");
        return 0;
    }
    if (!strcmp(key, "destination")) {
        if (strcmp(v, "any") && strcmp(v, "last"))
            return bad_query(e, pos);
        req->trip_destination_last = !strcmp(v, "last");
        return 0;
    }
    return 1;
}

int
cr_osrm_trip_check(const struct cr_osrm_limits *limits, const struct cr_osrm_request *req,
                   struct cr_osrm_error *e)
{
    if (req->count < 2)
        return cr_osrm_error_set(e, "InvalidOptions", 400,
                                 "Number of coordinates needs to be at least two.");
    if (limits->max_trip_size && req->count > limits->max_trip_size)
        return cr_osrm_error_set(e, "TooBig", 400,
                                 "Number of entries %zu is higher than current maximum (%zu)",
                                 req->count, limits->max_trip_size);
    if (!req->trip_roundtrip && !(req->trip_source_first && req->trip_destination_last))
        return cr_osrm_error_set(e, "NotImplemented", 400,
                                 "This request is not supported: roundtrip=false needs "
                                 "source=first and destination=last (as osrm-routed)");
    return 0;
}

/* The waypoints in the order given: OSRM's waypoint object with trips_index and waypoint_index
 * (where the trip visits it). */
static json_t *
waypoints(const struct cr_engine *eng, const struct cr_trip *t)
{
    json_t *a = json_array();
    for (size_t i = 0; i < t->n; i++) {
        json_t *w = cr_osrm_json_waypoint(eng->view, &t->route.places[t->position[i]].snap);
        json_object_set_new(w, "waypoint_index", json_integer((json_int_t)t->position[i]));
        json_object_set_new(w, "trips_index", json_integer(0));
        json_array_append_new(a, w);
    }
    return a;
}

/* The table's progress: stop once past the deadline (USER: a double, 0: none). */
static int
past_deadline(void *user, double done)
{
    struct timespec t;
    double deadline = *(const double *)user;
    (void)done;
    if (deadline <= 0)
        return 0;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9 > deadline;
}

json_t *
cr_osrm_trip_answer(const struct cr_osrm_request *req, const struct cr_session *session,
                    struct cr_router *rt, double deadline, struct cr_osrm_error *e)
{
    const struct cr_engine *eng = cr_session_engine(session);
    struct cr_osrm_request rq = *req; /* a shallow copy: /route's writer without waypoints */
    struct cr_trip_options o = CR_TRIP_OPTIONS_DEFAULT;
    struct cr_trip t;
    struct cr_error err = { 0 };
    json_t *route, *out = NULL, *trips;

    o.roundtrip = req->trip_roundtrip;
    o.source_first = req->trip_source_first;
    o.destination_last = req->trip_destination_last;
    o.progress = past_deadline;
    o.progress_user = &deadline;
    if (cr_trip_compute(rt, req->lon_e7, req->lat_e7, req->count, req->point_opts, &o, &t, &err)) {
        if (t.unsnapped != SIZE_MAX)
            cr_osrm_error_set(e, "NoSegment", 400,
                              "Could not find a matching segment for coordinate %zu", t.unsnapped);
        else if (err.code == CR_ENOTFOUND)
            cr_osrm_error_set(e, "NoTrips", 400, "No trip visiting all destinations possible.");
        else if (err.code == CR_ECANCELLED)
            cr_osrm_error_set(e, "TooBig", 400,
                              "trip stopped: its table took longer than the server's time limit; "
                              "ask for fewer coordinates");
        else
            cr_osrm_error_set(e, "InternalError", 500, "%s", err.msg);
        goto done;
    }
    rq.skip_waypoints = 1;
    if (!(route = cr_osrm_json_route(&rq, eng, &t.route))) {
        cr_osrm_error_set(e, "InternalError", 500, "out of memory");
        goto done;
    }
    out = json_object();
    trips = json_array();
    json_object_set_new(out, "code", json_string("Ok"));
    json_array_append(trips, json_array_get(json_object_get(route, "routes"), 0));
    json_decref(route);
    json_object_set_new(json_object_get(json_array_get(trips, 0), "corridor"), "trip_solver",
                        json_string(t.exact ? "exact" : "heuristic"));
    json_object_set_new(out, "trips", trips);
    if (!req->skip_waypoints)
        json_object_set_new(out, "waypoints", waypoints(eng, &t));
done:
    cr_trip_fini(&t);
    return out;
}
