/*
 * What routes and tables share inside routing/ (route.c, route_matrix.c): the search endpoints
 * of a place, the one-edge "direct" way between two places, the measures of a piece of edge,
 * and each engine's per-arc measures for tables.
 */
#ifndef CR_ROUTING_ROUTE_ENDS_H
#define CR_ROUTING_ROUTE_ENDS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "routing/dijkstra.h"
#include "routing/route.h"

/* Search endpoints of a place. Sources start on the edges that follow the place's edge, paying
 * the rest of that edge and the turn (ARC: the turn-graph arc); targets end on the place's edge,
 * paying it whole, so each target gets the constant C minus what lies after the point. */
#define MAX_ENDPOINTS (CR_PLACE_CANDIDATES * 2 * 16)

struct cr_ends {
    struct cr_endpoint ep[MAX_ENDPOINTS];
    uint32_t arc[MAX_ENDPOINTS];                     /* sources: the arc taken */
    uint8_t cand[MAX_ENDPOINTS], dir[MAX_ENDPOINTS]; /* which candidate and direction */
    size_t n;
    uint32_t offset; /* targets: C */
};

void cr_source_ends(const struct cr_engine *e, const struct cr_place *p, struct cr_ends *s);
void cr_target_ends(const struct cr_engine *e, const struct cr_place *p, struct cr_ends *t);

/* Along one edge from a place to another on the same edge, ahead of it. */
struct cr_direct {
    uint8_t ca, cb, dir;
};

/* The weight of that way (HOW: which candidates and direction), UINT64_MAX when none. */
uint64_t cr_direct_weight(const struct cr_place *a, const struct cr_place *b,
                          struct cr_direct *how);

/* What a route through the N places P does with them first: when every one lies nearest to one
 * and the same small component, each keeps only its nearest candidate (routing/route.c). */
void cr_places_keep_small_component(struct cr_place *p, size_t n);

/* How far along the edge of direction D (0: a->b, 1: b->a) candidate C of P lies, 0..1. */
double cr_place_position(const struct cr_place *p, int c, int d);

/* The measures of network edge E from fraction F0 to F1 of it, entered from edge PREV (its turn
 * and node penalty paid first; CR_INF: none): the one formula of every route's parts and every
 * table's cells. The duration and the distance are whole deciseconds and decimetres, the same
 * integers the time and distance metrics' searches add (cr_engine_piece_ds, _dm), so that by
 * those metrics a route's duration or distance is its weight. */
void cr_engine_piece(const struct cr_engine *en, uint32_t e, double f0, double f1, uint32_t prev,
                     struct cr_measures *out);

/* The duration of that piece in deciseconds: the turn from PREV (cr_engine_turn_ds) and the
 * edge's time weight W (cr_profile_edge_weight by time) between llround(W * F0) and
 * llround(W * F1), the split of a place's edge into before and after (place.c). By the time
 * metric these are the turn graph's own weights. */
int64_t cr_engine_piece_ds(const struct cr_engine *en, uint32_t e, double f0, double f1,
                           uint32_t prev);

/* Its distance in decimetres, the same way from the edge's distance weight; a U-turn from PREV
 * counts one decimetre, as the distance metric weighs it (turngraph.c). */
int64_t cr_engine_piece_dm(const struct cr_engine *en, uint32_t e, double f0, double f1,
                           uint32_t prev);

/* Measures in fixed point (1e-9 of their unit), so that a route's sum and a table's, added in
 * other orders (a table adds CH shortcuts summed beforehand), are the same number to the last
 * bit: a sum of decimetres or cents that lands on a rounding half (3153.05 m) rounds the same
 * way everywhere. Routes and tables convert each piece, then add integers. */
#define CR_FIX_UNIT 1e9

static inline int64_t
cr_fix(double x)
{
    return llround(x * CR_FIX_UNIT);
}

/* cr_engine_piece in fixed point, the edge part and the penalty part converted apart (a table
 * takes off the rest of the last edge without its penalty): OUT[4] in struct cr_measures's
 * order. */
void cr_engine_piece_fix(const struct cr_engine *en, uint32_t e, double f0, double f1,
                         uint32_t prev, int64_t *out);

/* The penalty (s, >= 0) of turning from network edge PREV into EDGE, as routes pay it (0 when
 * PREV is CR_INF). */
double cr_engine_turn_s(const struct cr_engine *en, uint32_t prev, uint32_t edge);

/* The same in whole deciseconds, as the turn graph weighs it by time: rounded, and at least 1
 * for a U-turn (turngraph.c). */
int64_t cr_engine_turn_ds(const struct cr_engine *en, uint32_t prev, uint32_t edge);

/* An engine's measures per arc, made once on first use (thread-safe) and kept with it. */
struct cr_engine_sums {
    const int64_t *tg;     /* [4 * turn-graph arcs]: each arc's measures in fixed point: the
                              turn and the whole edge it enters */
    const int64_t *ch;     /* [4 * CH search arcs] (cr_ch_arc_sums) when the engine has a CH */
    const uint32_t *owner; /* [CH search arcs] */
    const uint32_t *tail;  /* [turn-graph arcs] */
};

/* The engine's sums; NULL with ERR set when out of memory or the CH is inconsistent. */
const struct cr_engine_sums *cr_engine_sums_get(const struct cr_engine *e, struct cr_error *err);
void cr_engine_sums_free(struct cr_engine *e);

/* A one-leg route from A to B along a search's path: ARCS[0..COUNT-1] from source endpoint SI
 * of S (cr_source_ends of A) to target endpoint TI of T (cr_target_ends of B), WEIGHT its
 * metric weight; the same assembly (geometry, parts, measures) as cr_router_route. For
 * routing/alternatives.c. caller frees: cr_route_fini() */
enum cr_status cr_route_from_path(const struct cr_engine *en, const struct cr_place *a,
                                  const struct cr_place *b, const struct cr_ends *s,
                                  const struct cr_ends *t, const uint32_t *arcs, size_t count,
                                  size_t si, size_t ti, uint64_t weight, struct cr_route *out,
                                  struct cr_error *err);

/* The router's Dijkstra scratch. */
struct cr_dijkstra *cr_router_dijkstra(struct cr_router *r);

/* The router's scratch for a table's Dijkstra sums: *AT [4 * turn-graph nodes], *SEQ [nodes],
 * kept from call to call. -1: out of memory. */
int cr_router_sum_scratch(struct cr_router *r, int64_t **at, uint32_t **seq);

#endif
