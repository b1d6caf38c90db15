/*
 * The time-dependent Dijkstra: conditional bans and speeds (routing/conditional.h) evaluated at
 * the time the route reaches each way and turn, on the engine's turn graph; restrictions via a
 * way through the states of routing/tdsearch_state.h.
 *
 * Labels are arrival times in deciseconds after the departure. At a junction the vehicle may
 * wait (a closed way or a banned turn ahead opens later; a lower conditional speed ends): the
 * arrival at the end of an edge entered at t is min over t' >= t (t itself and every minute
 * boundary after it, conditions change only there) of t' + its travel time at t'. That makes
 * every arrival function non-decreasing in t (FIFO), so the earliest arrival at each node is
 * all a label needs and the search is exact. Waiting is looked for up to CR_TD_WAIT_MAX_S.
 *
 * By another metric (distance) labels are the metric's weight and each carries the clock of its
 * path, against which the conditions are checked; the vehicle waits only when no route is open
 * all the way (a second pass). Not exact as the time search is (docs/routing.md, "Distance").
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

/* Earliest arrival (deciseconds after W's departure; by another metric the least weight) at
 * any target, each target's weight added as cr_dijkstra_run adds it; CR_INF when none. *STATIC_W
 * gets the same path's weight without conditions (no waits, the untimed speeds). W->t is the
 * departure (when W->timed). */
uint32_t cr_tdsearch_run(struct cr_tdsearch *td, const struct cr_td_source *sources, size_t ns,
                         const struct cr_endpoint *targets, size_t nt, const struct cr_cond_when *w,
                         uint64_t *static_w);

/* The last run's path: its arrival (deciseconds after the departure) minus the same path's
 * time without conditions (the waits and the conditional speeds), whatever the metric. */
int64_t cr_tdsearch_delta(const struct cr_tdsearch *td);

/* After a run that found a path: its arcs after the first (as cr_dijkstra_path: from the head
 * of the source's arc), the source and target used. Returns the count, writes at most CAP. */
size_t cr_tdsearch_path(const struct cr_tdsearch *td, uint32_t *arcs, size_t cap,
                        size_t *source_index, size_t *target_index);

/* The weight (deciseconds) of entering turn-graph node Y's edge at W (seconds: the whole minute
 * holds the same), the turn from network edge IN (CR_NO_EDGE at a start) included, and the turn
 * off a via way under GROUP (routing/tdsearch_state.h; CR_COND_NO_GROUP: none); CR_INF when
 * closed or banned. PART: only that much of the edge's untimed weight (a start), else
 * UINT32_MAX. What both searches charge for an edge. */
uint64_t cr_tdsearch_cost_at(const struct cr_engine *e, uint32_t in, uint32_t group, uint32_t y,
                             const struct cr_cond_when *w);
uint64_t cr_tdsearch_entry_cost(const struct cr_engine *e, uint32_t in, uint32_t group, uint32_t y,
                                const struct cr_cond_when *w, uint32_t part);
/* Whether that cost may change with time or differ from the untimed weight (a condition on the
 * turn, the way, or the via-way GROUP the route is under); else it is the edge's weight. */
int cr_tdsearch_timed_entry(const struct cr_engine *e, uint32_t in, uint32_t group, uint32_t y);

/* ---- the latest departure (routing/tdsearch_back.c) ---------------------------------------- */

struct cr_place;

/* The latest departure from PLACES[0] (seconds, naive local time) such that the route through
 * PLACES[1 .. N-2] reaches PLACES[N-1] by ARRIVE (seconds), each leg leaving when the one
 * before arrives, with the bans, turn restrictions and speeds of E's conditions (holidays PH,
 * may be NULL) at the time each way is reached: a reverse time-dependent Dijkstra per leg, from
 * the last, whose labels are the latest time one can be at a node and still arrive in time.
 * Waiting is allowed as in the forward search, so the forward search from the answer arrives
 * by ARRIVE (FIFO), and no departure later than it does. CR_ENOTFOUND when no departure (within
 * the waits looked for) arrives in time; CR_ENOMEM. */
enum cr_status cr_tdsearch_latest_depart(const struct cr_engine *e, const struct cr_place *places,
                                         size_t n, int64_t arrive,
                                         const struct cr_cond_holidays *ph, int64_t *depart,
                                         struct cr_error *err);

struct cr_router;
struct cr_route;
struct cr_place_opts;

/* Sets R's departure (cr_router_set_depart) to the latest from PLACES[0] that reaches
 * PLACES[N-1] by ARRIVE (cr_tdsearch_latest_depart), with the public holidays PH_DAYS: its next
 * route through the same places arrives by ARRIVE. Time metric only (CR_EINVAL). */
enum cr_status cr_router_arrive_by(struct cr_router *r, const struct cr_place *places, size_t n,
                                   int64_t arrive, const int32_t *ph_days, size_t ph_count,
                                   struct cr_error *err);

/* cr_route_compute (corridor/routing.h) arriving by ARRIVE: the route leaves at the latest
 * departure, and says so (route->depart, route->arrive_by). caller frees: cr_route_destroy() */
enum cr_status cr_route_compute_arrive(struct cr_router *r, const int32_t *lon_e7,
                                       const int32_t *lat_e7, size_t n,
                                       const struct cr_place_opts *opts, int64_t arrive,
                                       const int32_t *ph_days, size_t ph_count,
                                       struct cr_route **out, struct cr_error *err);

#endif
