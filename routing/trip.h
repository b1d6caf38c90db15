/*
 * The travelling salesman: the order in which to visit N points so that the trip through them
 * is shortest by the metric's weight, as OSRM's /trip service (docs/trip.md).
 *
 * Two layers. The solver (routing/trip_solve.c) works on any N x N table of integer weights,
 * row i column j the weight from i to j (asymmetric: one-way streets), CR_TRIP_NONE where there
 * is no route. The trip (routing/trip.c) snaps the points, asks the session's many-to-many
 * table (the contraction hierarchy's buckets when there is one), solves, and routes through the
 * points in the order found, so a trip's legs are the routes `corridor route` gives.
 *
 * Which trips (OSRM's roundtrip, source and destination):
 *   roundtrip          the cycle back to where it started; rotated to start at point 0, or,
 *                      with only destination_last, to end at point N-1 before going back;
 *                      with both fixed, the best path from point 0 to point N-1 and then back
 *   not roundtrip      a path: from point 0 when source_first, else from any point; to point
 *                      N-1 when destination_last, else to any point (OSRM itself answers only
 *                      the first-to-last path; the others are corridor's)
 * Exact (Held-Karp dynamic programming over subsets) up to CR_TRIP_EXACT_MAX points (a free
 * end counts one more); beyond, a deterministic heuristic: the better of farthest insertion
 * and nearest neighbour, each improved by 2-opt and Or-opt moves until neither helps.
 */
#ifndef CR_ROUTING_TRIP_H
#define CR_ROUTING_TRIP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "corridor/routing.h"
#include "routing/route.h"

#define CR_TRIP_NONE UINT64_MAX /* no route between two points */
/* Exact up to this many cities (points, plus one for a free end): about 5 ms and 6 MB at 16
 * (docs/trip.md has the measurements). */
#define CR_TRIP_EXACT_MAX 16
#define CR_TRIP_MAX_POINTS 10000 /* a ceiling for the heuristic's O(N^2) passes */

struct cr_trip_options {
    int roundtrip;        /* 1: back to the first point visited */
    int source_first;     /* 1: the trip starts at point 0 */
    int destination_last; /* 1: the trip ends at point N-1 (before going back, if roundtrip) */
    size_t exact_max;     /* exact up to this many cities; 0: CR_TRIP_EXACT_MAX; at most 20 */
    int heuristic_only;   /* tests: the heuristic even when exact is possible */
    /* cr_trip_compute: may be NULL; the table's progress (struct cr_table_options): the
     * fraction of its rows done when computed row by row; non-zero stops with CR_ECANCELLED. */
    int (*progress)(void *user, double done);
    void *progress_user;
};

#define CR_TRIP_OPTIONS_DEFAULT ((struct cr_trip_options){ 1, 0, 0, 0, 0, NULL, NULL })

/* What the solver found. */
struct cr_trip_order {
    size_t *order;   /* [n] point indices in visiting order (caller's array) */
    uint64_t weight; /* the trip's weight by the table, the return leg included if roundtrip */
    int exact;       /* 1: proven best (Held-Karp); 0: the heuristic's */
};

/* Orders the N points of table W (N x N, row by row) as O asks (NULL: the defaults) into
 * OUT->order (room for N). CR_ENOTFOUND ("no trip visits all N points: ...") when no order
 * avoids a CR_TRIP_NONE cell (the heuristic may miss an order in a table whose reachability is
 * not transitive, which a road network's always is); CR_EINVAL for N = 0 or above
 * CR_TRIP_MAX_POINTS, CR_ENOMEM. */
enum cr_status cr_trip_solve(const uint64_t *w, size_t n, const struct cr_trip_options *o,
                             struct cr_trip_order *out, struct cr_error *err);

/* The weight of visiting ORDER[0..n-1] by W (and back to ORDER[0] if ROUNDTRIP); CR_TRIP_NONE
 * when a step has no route. */
uint64_t cr_trip_weight(const uint64_t *w, size_t n, const size_t *order, int roundtrip);

/* The nearest-neighbour order as O asks (the yardstick the heuristic never does worse than):
 * from the start (point 0, or when free the start giving the best trip), always to the nearest
 * point not yet visited; a fixed last point last. Same errors as cr_trip_solve. */
enum cr_status cr_trip_nearest_neighbour(const uint64_t *w, size_t n,
                                         const struct cr_trip_options *o, struct cr_trip_order *out,
                                         struct cr_error *err);

/* ---- on a network ------------------------------------------------------------------------- */

struct cr_trip {
    size_t n;              /* points given */
    size_t *order;         /* [n] point indices in visiting order */
    size_t *position;      /* [n] where point i is visited: order[position[i]] == i */
    struct cr_route route; /* through the points in order (and back to the first if roundtrip):
                              n legs with roundtrip, else n - 1 */
    uint64_t weight;       /* by the table the order was chosen on */
    int exact, roundtrip, used_ch;
    size_t unsnapped; /* on CR_ENOTFOUND: the first point that did not snap, else SIZE_MAX */
};

/* The trip through the N points (lon/lat e7), each snapped with POPTS[i] (NULL: the defaults),
 * as O asks, on router R (its session's profile and metric). CR_ENOTFOUND when a point does not
 * snap (out->unsnapped names it) or when no trip visits them all (out->unsnapped SIZE_MAX);
 * CR_EINVAL for N < 2 or above CR_TRIP_MAX_POINTS; CR_ECANCELLED when O's progress stops it. caller
 * frees: cr_trip_fini() (also after a failure) */
enum cr_status cr_trip_compute(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7,
                               size_t n, const struct cr_place_opts *popts,
                               const struct cr_trip_options *o, struct cr_trip *out,
                               struct cr_error *err);
void cr_trip_fini(struct cr_trip *t);

/* corridor's trip JSON: the route JSON of routing/output.h (legs in visiting order) with a
 * "trip" member: roundtrip, source, destination, solver ("exact" or "heuristic"), order (the
 * points' ids in visiting order) and visits ({visit from 1, id, point: its row from 1,
 * location}). IDS[i] names point i (NULL, or a NULL entry: its number from 1). O as given to
 * cr_trip_compute. caller frees: json_decref() */
json_t *cr_trip_json(const struct cr_engine *e, const struct cr_trip *t,
                     const struct cr_trip_options *o, const char *const *ids);

/* The route's GeoJSON (routing/output.h) with the line's kind "trip" and each waypoint's visit
 * (from 1), id and point (its row from 1); a roundtrip's last waypoint is the first point again.
 * caller frees: json_decref() */
json_t *cr_trip_geojson(const struct cr_engine *e, const struct cr_trip *t, const char *const *ids);

#endif
