/*
 * Map matching: a GPS trace onto the network as the profile drives it, with a hidden Markov model
 * in the manner of Newson and Krumm (2009), as OSRM's /match does (docs/match.md).
 *
 * Each trace point's candidates are the nearest usable segments within 3 sigma of it (sigma: the
 * point's GPS accuracy, 5 m by default as OSRM's), at most CR_MATCH_CANDIDATES, restricted by the
 * point's bearing, approach and snapping when given (cr_match_options.place). Emission: a
 * Gaussian in the great-circle distance from the point to the candidate. Transition: an
 * exponential in |route distance - great-circle distance| between consecutive points, scale beta;
 * the route distance is the length of the path optimal for the session's metric between the two
 * candidates, found by a bounded Dijkstra on the session's turn graph from each candidate
 * (routing/match_search.h: it stops when the next point's candidates are settled and goes no
 * farther than the bound), and a transition whose difference exceeds max_delta_m (or, with
 * times, whose route would need more than max_speed) is impossible. Viterbi in log space picks
 * the most likely sequence.
 *
 * Breaks: where no candidate of a point can be reached from any of the previous point's (or the
 * times differ by more than gap_s), the trace is split into sub-matchings; a point with no
 * candidate is dropped (its match is none) and the chain goes on over it. A sub-matching of one
 * point is dropped too. Each sub-matching is assembled as a route through its matched points
 * (cr_router_route_places: the same legs, geometry and measures as `corridor route`).
 */
#ifndef CR_ROUTING_MATCH_H
#define CR_ROUTING_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/snap.h"
#include "routing/route.h"

#define CR_MATCH_CANDIDATES 8 /* per point */
#define CR_MATCH_SEARCH 64    /* looked at when a bearing or small components rule some out */
#define CR_MATCH_SIGMA_M 5.0  /* GPS accuracy, one standard deviation (OSRM's default) */
#define CR_MATCH_RADIUS_K 3.0 /* candidates within this many sigma (OSRM 5.x) */
#define CR_MATCH_BETA_M 5.0   /* transition scale */
#define CR_MATCH_MAX_DELTA_M 2000.0
#define CR_MATCH_GAP_S 60.0  /* gaps=split threshold */
#define CR_MATCH_TIDY_M 15.0 /* tidy: points closer than this to the last kept one ... */
#define CR_MATCH_TIDY_S 5.0  /* ... or sooner than this after it are dropped */
#define CR_MATCH_MAX_SPEED                                                                         \
    55.6 /* m/s (200 km/h): with times, faster transitions are impossible                          \
          */

struct cr_match_options {
    double sigma_m; /* default accuracy when a point has none (NAN in SIGMA_M) */
    double beta_m;
    double max_delta_m;
    double gap_s;      /* split where times differ by more; 0: never (gaps=ignore) */
    int tidy;          /* drop points too close together first (OSRM's tidy) */
    double max_speed;  /* m/s, only with times; 0: no limit */
    unsigned max_cand; /* 1 .. CR_MATCH_CANDIDATES */
    /* [N] per point, or NULL: its bearing and approach restrict its candidates as they restrict
     * a route's ends (routing/route.h), and unless snap_any a candidate in a small component
     * is left out when one in a big component is within the radius (OSRM's snapping); the
     * radius is not read here (SIGMA_M is the accuracy) */
    const struct cr_place_opts *place;
};

#define CR_MATCH_OPTIONS_DEFAULT                                                                   \
    ((struct cr_match_options){ CR_MATCH_SIGMA_M, CR_MATCH_BETA_M, CR_MATCH_MAX_DELTA_M,           \
                                CR_MATCH_GAP_S, 0, CR_MATCH_MAX_SPEED, CR_MATCH_CANDIDATES,        \
                                NULL })

/* One trace point's outcome. */
struct cr_match_point {
    int32_t matching;      /* the sub-matching it belongs to, -1: not matched (dropped) */
    uint32_t waypoint;     /* its index among the matching's matched points */
    uint32_t alternatives; /* other candidates that were still possible at this point */
    struct cr_snap snap;   /* where it matched (location, segment, distance from the point) */
};

struct cr_matching {
    struct cr_route route; /* one leg per pair of consecutive matched points */
    double confidence;     /* 0..1, docs/match.md */
    uint32_t first, last;  /* the trace points it spans (indices into the input) */
};

struct cr_match {
    struct cr_match_point *points; /* [point_count], one per input point */
    size_t point_count;
    struct cr_matching *matchings;
    size_t matching_count;
};

/* Matches the N points (lon/lat e7) of a trace. TIME_S: [N] seconds, non-decreasing, or NULL;
 * SIGMA_M: [N] each point's accuracy (NAN: O's), or NULL; O NULL: the defaults. CR_ENOTFOUND
 * ("no two points of the trace match ...") when no sub-matching of two points is found,
 * CR_EINVAL for bad times or options. caller frees: cr_match_fini() (also after an error) */
enum cr_status cr_match_run(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7,
                            const double *time_s, const double *sigma_m, size_t n,
                            const struct cr_match_options *o, struct cr_match *out,
                            struct cr_error *err);
void cr_match_fini(struct cr_match *m);

/* What the default search radius of a point with accuracy SIGMA_M is (CR_MATCH_RADIUS_K). */
double cr_match_radius_m(double sigma_m);

#endif
