/*
 * Map matching's transitions (routing/match.h): from each candidate of one trace point, one
 * Dijkstra on the session's turn graph (its metric's weights, as routes are searched) that
 * carries each node's distance in metres, stops once every candidate of the next point is
 * settled, and never goes farther than a distance bound (the transition would be impossible
 * anyway): so a search stays in the neighbourhood of the two points whatever the network's size.
 */
#ifndef CR_ROUTING_MATCH_SEARCH_H
#define CR_ROUTING_MATCH_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "routing/route.h"

struct cr_match_search;

/* Scratch for searches on E's turn graph (plus E's per-arc measures, made on first use).
 * caller frees: cr_match_search_destroy() */
struct cr_match_search *cr_match_search_create(const struct cr_engine *e, struct cr_error *err);
void cr_match_search_destroy(struct cr_match_search *s);

/* From each of the NA places A (one candidate each) to each of the NB places B: W[i * NB + j]
 * the metric's weight (UINT64_MAX: not reached within BOUND_M metres) and DIST_M[i * NB + j]
 * the distance in metres of that path, as a route between the two places would measure it. */
void cr_match_search_run(struct cr_match_search *s, const struct cr_place *a, size_t na,
                         const struct cr_place *b, size_t nb, double bound_m, uint64_t *w,
                         double *dist_m);

#endif
