/*
 * Isochrone search: every part of the network reached within a time budget from one or many
 * places (or, reversed, every part from which one of them is reached within it), on the turn
 * graph of an engine (routing/route.h), so turn restrictions, penalties, one-way streets and
 * vehicle limits hold exactly as for a route.
 *
 * The search is plain Dijkstra on the turn graph (exact; no hierarchy needed), bounded by the
 * budget. Forward, a node's label is the time at the END of its edge (the turn graph's
 * convention: an arc pays the turn and the whole edge it enters); reversed, it runs on the turn
 * graph with every arc turned round and its weight the turn plus the edge it now enters, so a
 * label is the time from the START of the edge to the place. Either way the label minus the
 * edge's weight is the time at the edge's near end, and an edge is reached, in part or whole,
 * when that near time is under the budget. The places themselves start (end) part-way along
 * their edges: those partial edges are pieces of their own, and the search is seeded from
 * their ends, exactly as route.c seeds a route's first edge.
 *
 * Time along an edge is linear in its length (a segment has one speed), so the reached part of
 * a partially reached edge is the fraction (budget - near time) / edge time of it.
 */
#ifndef CR_ROUTING_ISOCHRONE_H
#define CR_ROUTING_ISOCHRONE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "routing/route.h"

/* A stretch of one directed network edge and the time at each of its ends. Fractions are along
 * the edge in its own direction (0 at its tail), by length; FROM < TO. The time is linear in
 * between. Forward, t_from_s <= t_to_s (time since leaving the nearest place); reversed,
 * t_from_s >= t_to_s (time still needed to reach the nearest place). */
struct cr_iso_piece {
    uint32_t edge;
    double from, to;
    double t_from_s, t_to_s;
};

struct cr_isochrone {
    struct cr_iso_piece *pieces; /* reached edges and the places' partial edges */
    size_t count;
    double limit_s;        /* the budget searched */
    int reverse;           /* 1: times TO the places */
    uint32_t origin_count; /* places given */
    uint64_t settled;      /* turn-graph nodes settled (for benchmarks) */
};

/* Searches from N places made by cr_engine_place_opts (their candidates all start), up to
 * LIMIT_S seconds (> 0), forward or REVERSE. E's metric must be time (CR_EINVAL otherwise).
 * caller frees: cr_isochrone_fini() */
enum cr_status cr_isochrone_compute(const struct cr_engine *e, const struct cr_place *places,
                                    size_t n, double limit_s, int reverse, struct cr_isochrone *out,
                                    struct cr_error *err);
void cr_isochrone_fini(struct cr_isochrone *iso);

/* The part of piece P whose time lies in [LO_S, HI_S], as fractions along its edge into *A <
 * *B; 0 when none (or only a single point). */
int cr_iso_piece_window(const struct cr_iso_piece *p, double lo_s, double hi_s, double *a,
                        double *b);

/* The least time at fraction F along network EDGE over every piece covering it; INFINITY when
 * no piece does (not reached within the budget, or never searched). Linear in the pieces. */
double cr_isochrone_time_at(const struct cr_isochrone *iso, uint32_t edge, double f);

#endif
