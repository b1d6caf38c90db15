/*
 * Alternative routes between two places (OSRM's alternatives=true|N), by the penalty method on
 * Dijkstra: after each route found, the edges it uses cost (1 + penalty) times more and the
 * search runs again; a path found that way is kept as an alternative only when it passes the
 * three criteria of the via-node method (Abraham et al., "Alternative routes in road networks",
 * as OSRM applies them), measured with the real weights:
 *
 * - bounded stretch: its weight is at most max_stretch times the best route's;
 * - limited sharing: with the best route and with every alternative kept before, it shares
 *   edges weighing at most max_sharing of the lighter of the two;
 * - local optimality (the "T-test"): the piece of it around the middle of its detour (the
 *   longest run of edges the best route does not use), local_alpha times the best route's
 *   weight on either side, is itself a shortest path (checked with a Dijkstra on the real
 *   weights), so an alternative never makes a needless loop or zig-zag.
 *
 * The first route is the best one exactly as cr_router_route_places finds it (the hierarchy
 * when the engine has one); the others are assembled as every route is (routing/route.h), so
 * their measures follow the same rules. Alternatives are searched for two places only (OSRM
 * too answers one route when there are via points) and never for a route along one edge.
 * docs/routing.md ("Alternative routes") documents the criteria and their limits.
 */
#ifndef CR_ROUTING_ALTERNATIVES_H
#define CR_ROUTING_ALTERNATIVES_H

#include <stddef.h>

#include "core/error.h"
#include "routing/route.h"

#define CR_ALT_MAX 5 /* alternatives asked for beyond this are not searched for */

struct cr_alt_options {
    unsigned alternatives; /* how many besides the best (0..CR_ALT_MAX) */
    double max_sharing;    /* OSRM's VIAPATH_GAMMA: 0.75 */
    double max_stretch;    /* 1 + OSRM's VIAPATH_EPSILON: 1.15; corridor's default 1.25 */
    double local_alpha;    /* OSRM's VIAPATH_ALPHA: 0.10 */
    double penalty;        /* the weight added to a used edge per route using it: 0.5 = +50% */
    unsigned max_rounds;   /* searches at most (0: 4 per alternative asked + 2) */
};

#define CR_ALT_OPTIONS_DEFAULT ((struct cr_alt_options){ 1, 0.75, 1.25, 0.10, 0.5, 0 })

/*
 * Routes from A to B into OUT[0 .. *COUNT-1] (OUT has room for 1 + o->alternatives): OUT[0] the
 * best, then up to o->alternatives alternatives by increasing weight. Fewer (even none) when no
 * path passes the criteria. CR_ENOTFOUND when B cannot be reached; CR_ENOMEM. caller frees:
 * cr_route_fini() on each.
 */
enum cr_status cr_router_alternatives(struct cr_router *r, const struct cr_place *a,
                                      const struct cr_place *b, const struct cr_alt_options *o,
                                      struct cr_route *out, size_t *count, struct cr_error *err);

#endif
