/*
 * The time-dependent Dijkstra: conditional bans and speeds (routing/conditional.h) evaluated at
 * the time the route reaches each way and turn, on the engine's turn graph, time metric only.
 *
 * Labels are arrival times in deciseconds after the departure. At a junction the vehicle may
 * wait (a closed way or a banned turn ahead opens later; a lower conditional speed ends): the
 * arrival at the end of an edge entered at t is min over t' >= t (t itself and every minute
 * boundary after it, conditions change only there) of t' + its travel time at t'. That makes
 * every arrival function non-decreasing in t (FIFO), so the earliest arrival at each node is
 * all a label needs and the search is exact. Waiting is looked for up to CR_TD_WAIT_MAX_S.
 * docs/routing.md, "Conditional restrictions and --depart".
 */
#ifndef CR_ROUTING_TDSEARCH_H
#define CR_ROUTING_TDSEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "routing/conditional.h"
#include "routing/wgraph.h"

#define CR_TD_WAIT_MAX_S (7 * 86400) /* the longest wait at a junction looked for */

struct cr_engine;
struct cr_tdsearch;

/* caller frees: cr_tdsearch_destroy() */
struct cr_tdsearch *cr_tdsearch_create(const struct cr_engine *e);
void cr_tdsearch_destroy(struct cr_tdsearch *td);

/* A start: the arc leaving the start edge's node, with the weight (deciseconds) of the rest of
 * the start edge before it. */
struct cr_td_source {
    uint32_t arc;
    uint32_t before;
};

/* Earliest arrival (deciseconds after W's departure) at any target, each target's weight added
 * as cr_dijkstra_run adds it; CR_INF when none. *STATIC_W gets the same path's weight without
 * conditions (no waits, the untimed speeds). W->t is the departure (when W->timed). */
uint32_t cr_tdsearch_run(struct cr_tdsearch *td, const struct cr_td_source *sources, size_t ns,
                         const struct cr_endpoint *targets, size_t nt, const struct cr_cond_when *w,
                         uint64_t *static_w);

/* After a run that found a path: its arcs after the first (as cr_dijkstra_path: from the head
 * of the source's arc), the source and target used. Returns the count, writes at most CAP. */
size_t cr_tdsearch_path(const struct cr_tdsearch *td, uint32_t *arcs, size_t cap,
                        size_t *source_index, size_t *target_index);

#endif
