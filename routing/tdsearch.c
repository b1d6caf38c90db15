/*
 * The time-dependent Dijkstra (routing/tdsearch.h).
 */
#include "routing/tdsearch.h"

#include <stdlib.h>
#include <string.h>

#include "core/heap.h"
#include "routing/route.h"
#include "routing/route_ends.h"
#include "routing/tdsearch_state.h"

#define NO_ARC UINT32_MAX

struct cr_tdsearch {
    const struct cr_engine *e;
    uint32_t n;             /* states (routing/tdsearch_state.h): nodes and the others */
    struct cr_td_states st; /* the states beyond the nodes (via-way restrictions) */
    uint32_t *pnode;        /* [n] the state before (with parent: the arc taken) */
    uint32_t *dist, *base_w, *parent, *from, *stamp, *pos, *target;
    uint32_t *clock, *base_t; /* not the time metric: the arrival and its untimed time (ds) */
    int64_t delta;            /* the last path found: its arrival minus its untimed time */
    int nowait;               /* run_clocked: no waiting (its first pass) */
    uint32_t run;
    struct cr_heap heap;
    struct cr_heap_item *items;
    uint32_t found, found_target;
};

struct cr_tdsearch *
cr_tdsearch_create(const struct cr_engine *e)
{
    struct cr_tdsearch *td = calloc(1, sizeof *td);
    uint32_t n;
    if (!td)
        return NULL;
    if (cr_td_states_init(&td->st, e)) {
        free(td);
        return NULL;
    }
    n = td->st.n + td->st.extra;
    td->e = e;
    td->n = n;
    td->pnode = malloc(((size_t)n + 1) * sizeof *td->pnode);
    if (e->metric != CR_METRIC_TIME) { /* the clock beside the weight (tdsearch_clock.c) */
        td->clock = malloc(((size_t)n + 1) * sizeof *td->clock);
        td->base_t = malloc(((size_t)n + 1) * sizeof *td->base_t);
        if (!td->clock || !td->base_t) {
            cr_tdsearch_destroy(td);
            return NULL;
        }
    }
    td->dist = malloc(((size_t)n + 1) * sizeof *td->dist);
    td->base_w = malloc(((size_t)n + 1) * sizeof *td->base_w);
    td->parent = malloc(((size_t)n + 1) * sizeof *td->parent);
    td->from = malloc(((size_t)n + 1) * sizeof *td->from);
    td->stamp = calloc((size_t)n + 1, sizeof *td->stamp);
    td->pos = malloc(((size_t)n + 1) * sizeof *td->pos);
    td->target = calloc((size_t)n + 1, sizeof *td->target);
    td->items = malloc(((size_t)n + 1) * sizeof *td->items);
    if (!td->dist || !td->base_w || !td->parent || !td->from || !td->stamp || !td->pos ||
        !td->target || !td->items || !td->pnode) {
        cr_tdsearch_destroy(td);
        return NULL;
    }
    td->heap.h = td->items;
    return td;
}

void
cr_tdsearch_destroy(struct cr_tdsearch *td)
{
    if (!td)
        return;
    free(td->pnode);
    free(td->clock);
    free(td->base_t);
    cr_td_states_fini(&td->st);
    free(td->dist);
    free(td->base_w);
    free(td->parent);
    free(td->from);
    free(td->stamp);
    free(td->pos);
    free(td->target);
    free(td->items);
    free(td);
}

static uint32_t
arc_tail(const struct cr_wgraph *g, uint32_t a)
{
    uint32_t lo = 0, hi = g->node_count;
    while (hi - lo > 1) { /* the last node whose first arc is <= a */
        uint32_t mid = lo + (hi - lo) / 2;
        if (g->first_out[mid] <= a)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static uint32_t
way_of_edge(const struct cr_graph_view *v, uint32_t e)
{
    return v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED];
}

uint64_t
cr_tdsearch_cost_at(const struct cr_engine *e, uint32_t in, uint32_t group, uint32_t y,
                    const struct cr_cond_when *w)
{
    const struct cr_graph_view *v = e->view;
    const struct cr_turngraph *tg = e->tg;
    uint32_t out = tg->edge_of[y % tg->base_count], way = way_of_edge(v, out);
    double kmh;

    if (in != CR_NO_EDGE && cr_condset_via_has(e->cond, v->head[in]) &&
        cr_condset_turn_banned(e->cond, way_of_edge(v, in), v->head[in], way, w))
        return CR_INF;
    if (group != CR_COND_NO_GROUP && way != e->cond->vturns[group].via &&
        cr_condset_via_way_banned(e->cond, group, way, w))
        return CR_INF; /* off the via way, into a way the group bans now */
    if (cr_condset_way_closed(e->cond, way, w, &kmh))
        return CR_INF;
    if (kmh > 0 && e->metric == CR_METRIC_TIME) {
        double s = cr_profile_edge_time_maxspeed_s(&e->profile, v, out, kmh);
        uint64_t ds = (uint64_t)(s * 10 + 0.5);
        return ds < 1 ? 1 : ds;
    }
    return tg->edge_weight[y % tg->base_count];
}

int
cr_tdsearch_timed_entry(const struct cr_engine *e, uint32_t in, uint32_t group, uint32_t y)
{
    const struct cr_graph_view *v = e->view;
    uint32_t way = way_of_edge(v, e->tg->edge_of[y % e->tg->base_count]);
    return (in != CR_NO_EDGE && cr_condset_via_has(e->cond, v->head[in])) ||
           cr_condset_way_has(e->cond, way) ||
           (group != CR_COND_NO_GROUP && way != e->cond->vturns[group].via);
}

/* C (the weight of a whole edge whose untimed weight is FULL) for the part PART of it
 * (UINT32_MAX: the whole edge). */
static uint64_t
part_of(uint64_t c, uint32_t full, uint32_t part)
{
    if (part == UINT32_MAX || c == CR_INF || full == 0)
        return c;
    return (c * part + full / 2) / full;
}

uint64_t
cr_tdsearch_entry_cost(const struct cr_engine *e, uint32_t in, uint32_t group, uint32_t y,
                       const struct cr_cond_when *w, uint32_t part)
{
    return part_of(cr_tdsearch_cost_at(e, in, group, y, w),
                   e->tg->edge_weight[y % e->tg->base_count], part);
}

/* The arrival at the end of Y's edge when the vehicle is at the junction at T (deciseconds
 * after the departure), coming from network edge IN under GROUP (tdsearch_state.h), waiting
 * allowed (tdsearch.h); PART: only the part of the edge left (a start), else UINT32_MAX. */
static uint64_t
arrive(const struct cr_tdsearch *td, uint32_t in, uint32_t group, uint32_t y, uint64_t t,
       uint32_t penalty, const struct cr_cond_when *w0, uint32_t part)
{
    const struct cr_engine *e = td->e;
    struct cr_cond_when w = *w0;
    uint64_t best, c;

    uint32_t full = e->tg->edge_weight[y % e->tg->base_count];
    if (!cr_tdsearch_timed_entry(e, in, group, y))
        return t + penalty + (part == UINT32_MAX ? full : part);
    w.t = w0->t + (int64_t)((t + penalty) / 10);
    c = cr_tdsearch_entry_cost(e, in, group, y, &w, part);
    best = c == CR_INF ? UINT64_MAX : t + penalty + c;
    if (!w0->timed)
        return best; /* nothing changes with time */
    /* later starts on the minute grid of absolute time: conditions change only there */
    int64_t abs_ds = w0->t * 10 + (int64_t)(t + penalty);
    uint64_t tau = t + penalty + (uint64_t)(600 - abs_ds % 600);
    for (; tau < best && tau <= t + penalty + CR_TD_WAIT_MAX_S * 10ull; tau += 600) {
        w.t = w0->t + (int64_t)(tau / 10);
        c = cr_tdsearch_entry_cost(e, in, group, y, &w, part);
        if (c != CR_INF && tau + c < best)
            best = tau + c;
    }
    return best;
}

static void
reach(struct cr_tdsearch *td, uint32_t y, uint64_t at, uint64_t base, uint32_t parent,
      uint32_t pnode, uint32_t from)
{
    if (at >= CR_INF)
        return;
    if (td->stamp[y] != td->run) {
        td->stamp[y] = td->run;
        td->dist[y] = (uint32_t)at;
        td->base_w[y] = base < CR_INF ? (uint32_t)base : CR_INF - 1;
        td->parent[y] = parent;
        td->pnode[y] = pnode;
        td->from[y] = from;
        cr_heap_push(&td->heap, td->pos, 1, y, (uint32_t)at);
    } else if (td->pos[y] != CR_HEAP_SETTLED && at < td->dist[y]) {
        td->dist[y] = (uint32_t)at;
        td->base_w[y] = base < CR_INF ? (uint32_t)base : CR_INF - 1;
        td->parent[y] = parent;
        td->pnode[y] = pnode;
        td->from[y] = from;
        cr_heap_decrease(&td->heap, td->pos, 1, y, (uint32_t)at);
    }
}

/* ---- another metric: the weight, and the clock beside it ---------------------------------- */

/* The clock (deciseconds after the departure) at the end of Y's edge entered from IN under
 * GROUP when at the junction at C, waiting allowed as by time; *STATIC_DS gets the same
 * without conditions. PART: only that much (in the metric's unit) of the edge, else
 * UINT32_MAX. UINT64_MAX when closed for longer than the waits looked for. */
static uint64_t
clock_at_end(const struct cr_tdsearch *td, uint32_t in, uint32_t group, uint32_t y, uint64_t c,
             const struct cr_cond_when *w0, uint32_t part, uint64_t *static_ds)
{
    const struct cr_engine *e = td->e;
    const struct cr_graph_view *v = e->view;
    uint32_t out = e->tg->edge_of[y % e->tg->base_count];
    uint32_t full = e->tg->edge_weight[y % e->tg->base_count];
    double f0 = part == UINT32_MAX || full == 0 ? 0 : 1.0 - (double)part / full;
    int64_t ds = cr_engine_piece_ds(e, out, f0, 1, in);
    struct cr_cond_when w = *w0;
    uint64_t best = UINT64_MAX;
    double kmh;

    *static_ds = ds > 0 ? (uint64_t)ds : 0;
    if (!cr_tdsearch_timed_entry(e, in, group, y))
        return c + *static_ds;
    int64_t abs_ds = w0->t * 10 + (int64_t)c;
    uint64_t until = td->nowait ? c : c + CR_TD_WAIT_MAX_S * 10ull;
    for (uint64_t tau = c; tau < best && tau <= until;
         tau = tau == c ? c + (uint64_t)(600 - abs_ds % 600) : tau + 600) {
        w.t = w0->t + (int64_t)(tau / 10);
        if (cr_tdsearch_cost_at(e, in, group, y, &w) == CR_INF) {
            if (!w0->timed)
                break; /* nothing changes with time */
            continue;
        }
        int64_t t = ds;
        if (!cr_condset_way_closed(e->cond, way_of_edge(v, out), &w, &kmh) && kmh > 0)
            t += (int64_t)((cr_profile_edge_time_maxspeed_s(&e->profile, v, out, kmh) -
                            cr_profile_edge_time_s(&e->profile, v, out)) *
                               (1 - f0) * 10 +
                           0.5);
        if (tau + (uint64_t)(t > 0 ? t : 0) < best)
            best = tau + (uint64_t)(t > 0 ? t : 0);
        if (!w0->timed)
            break;
    }
    return best;
}

static void
reach_clocked(struct cr_tdsearch *td, uint32_t y, uint64_t at, uint64_t clock, uint64_t base,
              uint64_t base_t, uint32_t parent, uint32_t pnode, uint32_t from)
{
    if (at >= CR_INF || clock >= CR_INF)
        return;
    int fresh = td->stamp[y] != td->run;
    if (!fresh && (td->pos[y] == CR_HEAP_SETTLED || at > td->dist[y] ||
                   (at == td->dist[y] && clock >= td->clock[y])))
        return; /* equal weights: the earlier clock */
    td->clock[y] = (uint32_t)clock;
    td->base_t[y] = base_t < CR_INF ? (uint32_t)base_t : CR_INF - 1;
    reach(td, y, at, base, parent, pnode, from);
    if (!fresh && at == td->dist[y]) { /* reach() keeps an equal weight: the rest by hand */
        td->parent[y] = parent;
        td->pnode[y] = pnode;
        td->from[y] = from;
        td->base_w[y] = base < CR_INF ? (uint32_t)base : CR_INF - 1;
    }
}

/* A new search of TD towards the NT TARGETS: the stamps of the last one forgotten (cleared when
 * the run counter wraps), the targets marked, nothing found yet. */
static void
begin_run(struct cr_tdsearch *td, const struct cr_endpoint *targets, size_t nt, uint64_t *static_w)
{
    if (++td->run == 0) { /* the stamps wrapped: clear them */
        memset(td->stamp, 0, ((size_t)td->n + 1) * sizeof *td->stamp);
        memset(td->target, 0, ((size_t)td->n + 1) * sizeof *td->target);
        td->run = 1;
    }
    td->heap.size = 0;
    td->found = CR_INF;
    td->delta = 0;
    *static_w = UINT64_MAX;
    for (size_t i = 0; i < nt; i++) /* target[x]: run in the high bits would not fit: a list */
        td->target[targets[i].node] = td->run;
}

/* cr_tdsearch_run by another metric (tdsearch.h): Dijkstra on the metric's weight, each label
 * with the clock of its path, against which the conditions are checked; waiting only when
 * NOWAIT is 0. */
static uint32_t
run_clocked_pass(struct cr_tdsearch *td, const struct cr_td_source *sources, size_t ns,
                 const struct cr_endpoint *targets, size_t nt, const struct cr_cond_when *w,
                 uint64_t *static_w)
{
    const struct cr_turngraph *tg = td->e->tg;
    const struct cr_wgraph *g = &tg->g;
    uint64_t best = UINT64_MAX, s0, s1;

    begin_run(td, targets, nt, static_w);
    for (size_t i = 0; i < ns; i++) {
        uint32_t a = sources[i].arc, x = arc_tail(g, a), y = g->head[a];
        uint64_t c =
            clock_at_end(td, CR_NO_EDGE, CR_COND_NO_GROUP, x, 0, w, sources[i].before, &s0);
        if (c != UINT64_MAX)
            c = clock_at_end(td, tg->edge_of[x % tg->base_count], CR_COND_NO_GROUP, y, c, w,
                             UINT32_MAX, &s1);
        if (c == UINT64_MAX)
            continue;
        uint64_t wt = (uint64_t)sources[i].before + g->weight[a];
        reach_clocked(td, cr_td_next(&td->st, td->e, x, y), wt, c, wt, s0 + s1, NO_ARC, CR_INF,
                      (uint32_t)i);
    }
    while (td->heap.size) {
        struct cr_heap_item it = cr_heap_pop(&td->heap, td->pos, 1);
        uint32_t x = it.node, xr = cr_td_real(&td->st, x), grp = cr_td_group(&td->st, x);
        uint32_t in = tg->edge_of[xr % tg->base_count];
        if (it.key >= best)
            break;
        if (td->target[xr] == td->run)
            for (size_t i = 0; i < nt; i++)
                if (targets[i].node == xr && (uint64_t)it.key + targets[i].weight < best) {
                    best = (uint64_t)it.key + targets[i].weight;
                    td->found = x;
                    td->found_target = (uint32_t)i;
                    *static_w = (uint64_t)td->base_w[x] + targets[i].weight;
                    td->delta = (int64_t)td->clock[x] - (int64_t)td->base_t[x];
                }
        for (uint32_t a = g->first_out[xr]; a < g->first_out[xr + 1]; a++) {
            uint32_t y = g->head[a];
            uint64_t c = clock_at_end(td, in, grp, y, td->clock[x], w, UINT32_MAX, &s1);
            if (c == UINT64_MAX)
                continue;
            reach_clocked(td, cr_td_next(&td->st, td->e, x, y), (uint64_t)it.key + g->weight[a], c,
                          (uint64_t)td->base_w[x] + g->weight[a], (uint64_t)td->base_t[x] + s1, a,
                          x, td->from[x]);
        }
    }
    return best < CR_INF ? (uint32_t)best : CR_INF;
}

/* By another metric waiting costs nothing, so a search that may wait would wait for any ban to
 * end rather than go round it: the vehicle waits only when no way is open all the way. */
static uint32_t
run_clocked(struct cr_tdsearch *td, const struct cr_td_source *sources, size_t ns,
            const struct cr_endpoint *targets, size_t nt, const struct cr_cond_when *w,
            uint64_t *static_w)
{
    td->nowait = 1;
    uint32_t best = run_clocked_pass(td, sources, ns, targets, nt, w, static_w);
    td->nowait = 0;
    if (best == CR_INF && w->timed)
        best = run_clocked_pass(td, sources, ns, targets, nt, w, static_w);
    return best;
}

uint32_t
cr_tdsearch_run(struct cr_tdsearch *td, const struct cr_td_source *sources, size_t ns,
                const struct cr_endpoint *targets, size_t nt, const struct cr_cond_when *w,
                uint64_t *static_w)
{
    const struct cr_turngraph *tg = td->e->tg;
    const struct cr_wgraph *g = &tg->g;
    uint64_t best = UINT64_MAX;

    if (td->e->metric != CR_METRIC_TIME)
        return run_clocked(td, sources, ns, targets, nt, w, static_w);
    begin_run(td, targets, nt, static_w);
    for (size_t i = 0; i < ns; i++) { /* the rest of the start edge, then the first arc */
        uint32_t a = sources[i].arc, x = arc_tail(g, a), y = g->head[a];
        uint32_t pen = tg->arc_penalty ? tg->arc_penalty[a] : 0;
        uint64_t at = arrive(td, CR_NO_EDGE, CR_COND_NO_GROUP, x, 0, 0, w, sources[i].before);
        if (at < CR_INF)
            at = arrive(td, tg->edge_of[x % tg->base_count], CR_COND_NO_GROUP, y, at, pen, w,
                        UINT32_MAX);
        reach(td, cr_td_next(&td->st, td->e, x, y), at, (uint64_t)sources[i].before + g->weight[a],
              NO_ARC, CR_INF, (uint32_t)i);
    }
    while (td->heap.size) {
        struct cr_heap_item it = cr_heap_pop(&td->heap, td->pos, 1);
        uint32_t x = it.node, xr = cr_td_real(&td->st, x), grp = cr_td_group(&td->st, x);
        uint32_t in = tg->edge_of[xr % tg->base_count];
        if (it.key >= best)
            break;
        if (td->target[xr] == td->run)
            for (size_t i = 0; i < nt; i++)
                if (targets[i].node == xr && (uint64_t)it.key + targets[i].weight < best) {
                    best = (uint64_t)it.key + targets[i].weight;
                    td->found = x;
                    td->found_target = (uint32_t)i;
                    *static_w = (uint64_t)td->base_w[x] + targets[i].weight;
                }
        for (uint32_t a = g->first_out[xr]; a < g->first_out[xr + 1]; a++) {
            uint32_t y = g->head[a], pen = tg->arc_penalty ? tg->arc_penalty[a] : 0;
            uint64_t at = arrive(td, in, grp, y, it.key, pen, w, UINT32_MAX);
            reach(td, cr_td_next(&td->st, td->e, x, y), at, (uint64_t)td->base_w[x] + g->weight[a],
                  a, x, td->from[x]);
        }
    }
    td->delta = best < CR_INF ? (int64_t)best - (int64_t)*static_w : 0;
    return best < CR_INF ? (uint32_t)best : CR_INF;
}

int64_t
cr_tdsearch_delta(const struct cr_tdsearch *td)
{
    return td->delta;
}

size_t
cr_tdsearch_path(const struct cr_tdsearch *td, uint32_t *arcs, size_t cap, size_t *source_index,
                 size_t *target_index)
{
    size_t count = 0;

    if (td->found == CR_INF)
        return 0;
    for (uint32_t x = td->found; td->parent[x] != NO_ARC; x = td->pnode[x])
        count++;
    size_t k = count;
    for (uint32_t x = td->found; td->parent[x] != NO_ARC; x = td->pnode[x]) {
        k--;
        if (k < cap)
            arcs[k] = td->parent[x];
    }
    if (source_index)
        *source_index = td->from[td->found];
    if (target_index)
        *target_index = td->found_target;
    return count;
}
