/*
 * The latest departure (routing/tdsearch.h): a reverse time-dependent Dijkstra, the mirror of
 * the forward search of tdsearch.c.
 *
 * The forward search charges entering an edge at s (after the turn's penalty) c(s), and lets the
 * vehicle wait for a later minute boundary: f(t) = min over s in {t + pen} and the minute
 * boundaries after it of s + c(s). c is constant within a minute of absolute time, so the latest
 * t with f(t) <= L is found by scanning the minutes back from L: in the first minute [m, m + 600)
 * (deciseconds) whose cost C is finite and with m + C <= L, the latest s is min(L - C, its last
 * decisecond), and nothing later works (a later s could only wait for a later boundary, which
 * would itself have been found). That function of L is non-decreasing, which makes the
 * backward Dijkstra on "latest time at a node" exact, as the forward one is on earliest
 * arrivals. Labels are keys K0 - L (deciseconds), K0 the deadline plus the targets' offset.
 */
#include "routing/tdsearch.h"

#include <stdlib.h>
#include <string.h>

#include "core/heap.h"
#include "routing/route.h"
#include "routing/route_ends.h"
#include "routing/tdsearch_state.h"

#define NONE INT64_MIN

struct back {
    const struct cr_engine *e;
    uint32_t n;                         /* states (routing/tdsearch_state.h) */
    struct cr_td_states st;             /* the states beyond the nodes (via-way restrictions) */
    uint32_t *first_in, *in_arc, *tail; /* arcs by head, and each arc's tail */
    uint32_t *key, *pos, *seen;
    struct cr_heap heap;
    struct cr_heap_item *items;
};

static void
back_fini(struct back *b)
{
    free(b->first_in);
    free(b->in_arc);
    free(b->tail);
    free(b->key);
    free(b->pos);
    free(b->seen);
    free(b->items);
    cr_td_states_fini(&b->st);
}

static int
back_init(struct back *b, const struct cr_engine *e)
{
    const struct cr_wgraph *g = &e->tg->g;
    size_t n = g->node_count, m = g->arc_count, ns;

    memset(b, 0, sizeof *b);
    if (cr_td_states_init(&b->st, e))
        return -1;
    ns = n + b->st.extra;
    b->e = e;
    b->n = (uint32_t)ns;
    b->first_in = calloc(n + 2, sizeof *b->first_in);
    b->in_arc = malloc((m + 1) * sizeof *b->in_arc);
    b->tail = malloc((m + 1) * sizeof *b->tail);
    b->key = malloc((ns + 1) * sizeof *b->key);
    b->pos = malloc((ns + 1) * sizeof *b->pos);
    b->seen = calloc(ns + 1, sizeof *b->seen);
    b->items = malloc((ns + 1) * sizeof *b->items);
    if (!b->first_in || !b->in_arc || !b->tail || !b->key || !b->pos || !b->seen || !b->items) {
        back_fini(b);
        return -1;
    }
    for (uint32_t x = 0; x < n; x++)
        for (uint32_t a = g->first_out[x]; a < g->first_out[x + 1]; a++) {
            b->tail[a] = x;
            b->first_in[g->head[a] + 2]++;
        }
    for (size_t x = 2; x < n + 2; x++)
        b->first_in[x] += b->first_in[x - 1];
    for (uint32_t a = 0; a < m; a++) /* first_in[h + 1] is h's next free slot */
        b->in_arc[b->first_in[g->head[a] + 1]++] = a;
    b->heap.h = b->items;
    return 0;
}

static int64_t
floor_div(int64_t a, int64_t d)
{
    return a >= 0 ? a / d : -((-a + d - 1) / d);
}

/* The latest time T (absolute deciseconds) at the junction before turn-graph node Y's edge,
 * coming from network edge IN (CR_NO_EDGE: the start) under the via-way GROUP, with the turn
 * penalty PEN, such that the vehicle is at the edge's end (or after PART of it) by L; NONE when
 * no such time within the waits looked for. */
static int64_t
latest(const struct cr_engine *e, uint32_t in, uint32_t group, uint32_t y, int64_t l, uint32_t pen,
       const struct cr_cond_when *w0, uint32_t part)
{
    uint32_t full = e->tg->edge_weight[y % e->tg->base_count];
    struct cr_cond_when w = *w0;
    int64_t hi = l, stop = l - (int64_t)CR_TD_WAIT_MAX_S * 10 - 600;

    if (!e->cond || !cr_tdsearch_timed_entry(e, in, group, y))
        return l - pen - (part == UINT32_MAX ? full : part);
    for (int64_t m = floor_div(hi, 600) * 600; m >= stop; m -= 600) {
        w.t = floor_div(m, 10);
        uint64_t c = cr_tdsearch_entry_cost(e, in, group, y, &w, part);
        if (c != CR_INF) {
            int64_t s = l - (int64_t)c;
            if (s > hi)
                s = hi;
            if (s >= m)
                return s - pen;
        }
        hi = m - 1;
    }
    return NONE;
}

/* Labels K0 - T into the heap (NONE and T too early for a key: not reached). */
static void
back_reach(struct back *b, uint32_t run, uint32_t x, int64_t k0, int64_t t)
{
    if (t == NONE || k0 - t < 0 || k0 - t >= CR_INF)
        return;
    uint32_t key = (uint32_t)(k0 - t);
    if (b->seen[x] != run) {
        b->seen[x] = run;
        b->key[x] = key;
        cr_heap_push(&b->heap, b->pos, 1, x, key);
    } else if (b->pos[x] != CR_HEAP_SETTLED && key < b->key[x]) {
        b->key[x] = key;
        cr_heap_decrease(&b->heap, b->pos, 1, x, key);
    }
}

/* The states before arc A (from its tail, in each of the tail's states) that lead to state YS,
 * labelled with the latest time there that reaches YS by LY. */
static void
relax_into(struct back *b, uint32_t run, uint32_t a, uint32_t ys, int64_t ly, int64_t k0,
           const struct cr_cond_when *w)
{
    const struct cr_engine *e = b->e;
    const struct cr_turngraph *tg = e->tg;
    uint32_t x = b->tail[a], y = tg->g.head[a], pen = tg->arc_penalty ? tg->arc_penalty[a] : 0;
    uint32_t in = tg->edge_of[x % tg->base_count];
    uint32_t nx = b->st.first ? b->st.first[x + 1] - b->st.first[x] : 0;

    for (uint32_t k = 0; k <= nx; k++) { /* x itself, then its other states */
        uint32_t xs = k == 0 ? x : b->st.n + b->st.first[x] + k - 1;
        if (cr_td_next(&b->st, e, xs, y) != ys)
            continue;
        back_reach(b, run, xs, k0,
                   latest(e, in, cr_td_group(&b->st, xs), y, ly, pen, w, UINT32_MAX));
    }
}

/* The latest departure (absolute deciseconds) of one leg FROM -> TO arriving by ARRIVE
 * (absolute deciseconds); NONE when none. */
static int64_t
leg_latest(struct back *b, uint32_t run, const struct cr_place *from, const struct cr_place *to,
           int64_t arrive, const struct cr_cond_when *w)
{
    const struct cr_engine *e = b->e;
    const struct cr_turngraph *tg = e->tg;
    const struct cr_wgraph *g = &tg->g;
    struct cr_ends *s = malloc(sizeof *s), *t = malloc(sizeof *t);
    struct cr_direct how;
    int64_t best = NONE, k0;
    uint64_t direct = cr_direct_weight(from, to, &how);

    if (!s || !t) {
        free(s);
        free(t);
        return NONE;
    }
    cr_source_ends(e, from, s);
    cr_target_ends(e, to, t);
    k0 = arrive + t->offset;
    if (direct != UINT64_MAX) { /* along one edge: open at the departure (as route.c checks) */
        uint32_t edge = tg->edge_of[from->cand[how.ca].node[how.dir]];
        uint32_t way = e->view->segment_way[e->view->edge_segment[edge] & ~CR_SEGMENT_REVERSED];
        struct cr_cond_when wd = *w;
        double kmh;
        wd.t = floor_div(arrive - (int64_t)direct, 10);
        if (!e->cond || !cr_condset_way_closed(e->cond, way, &wd, &kmh))
            best = arrive - (int64_t)direct;
    }
    b->heap.size = 0;
    for (size_t i = 0; i < t->n; i++) { /* the target's node in any state */
        uint32_t y = t->ep[i].node;
        back_reach(b, run, y, k0, k0 - t->ep[i].weight);
        for (uint32_t k = b->st.first ? b->st.first[y] : 0; b->st.first && k < b->st.first[y + 1];
             k++)
            back_reach(b, run, b->st.n + k, k0, k0 - t->ep[i].weight);
    }
    while (b->heap.size) {
        struct cr_heap_item it = cr_heap_pop(&b->heap, b->pos, 1);
        uint32_t ys = it.node, y = cr_td_real(&b->st, ys);
        int64_t ly = k0 - it.key;
        if (best != NONE && ly <= best)
            break;                          /* every departure through here is no later than ly */
        for (size_t i = 0; i < s->n; i++) { /* a start: the first arc, the rest of its edge */
            uint32_t a = s->arc[i], x = b->tail[a];
            if (g->head[a] != y || cr_td_next(&b->st, e, x, y) != ys)
                continue;
            int64_t t1 = latest(e, tg->edge_of[x % tg->base_count], CR_COND_NO_GROUP, y, ly,
                                tg->arc_penalty ? tg->arc_penalty[a] : 0, w, UINT32_MAX);
            int64_t t0 = t1 == NONE ? NONE
                                    : latest(e, CR_NO_EDGE, CR_COND_NO_GROUP, x, t1, 0, w,
                                             s->ep[i].weight - g->weight[a]);
            if (t0 != NONE && t0 > best)
                best = t0;
        }
        for (uint32_t k = b->first_in[y]; k < b->first_in[y + 1]; k++)
            relax_into(b, run, b->in_arc[k], ys, ly, k0, w);
    }
    free(s);
    free(t);
    return best;
}

enum cr_status
cr_tdsearch_latest_depart(const struct cr_engine *e, const struct cr_place *places, size_t n,
                          int64_t arrive, const struct cr_cond_holidays *ph, int64_t *depart,
                          struct cr_error *err)
{
    struct back b;
    struct cr_cond_when w = { 0, 1, 0, ph };
    int64_t by = arrive;
    struct cr_place *p;

    if (n < 2)
        return cr_error_set(err, CR_EINVAL, "a route needs at least two points");
    if (!(p = malloc(n * sizeof *p)) || back_init(&b, e)) {
        free(p);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", e->profile.name);
    }
    memcpy(p, places, n * sizeof *p);
    cr_places_keep_small_component(p, n); /* as the route through them will */
    for (size_t k = n - 1; k > 0; k--) {  /* the last leg first: it must arrive by ARRIVE */
        int64_t t = leg_latest(&b, (uint32_t)(n - k), &p[k - 1], &p[k], by * 10, &w);
        if (t == NONE) {
            back_fini(&b);
            free(p);
            return cr_error_set(err, CR_ENOTFOUND,
                                "no departure reaches point %zu by the arrival time (leg %zu)",
                                n - 1, k);
        }
        by = floor_div(t, 10); /* whole seconds, no later: the leg before must arrive by it */
    }
    back_fini(&b);
    free(p);
    *depart = by;
    return CR_OK;
}

enum cr_status
cr_router_arrive_by(struct cr_router *r, const struct cr_place *places, size_t n, int64_t arrive,
                    const int32_t *ph_days, size_t ph_count, struct cr_error *err)
{
    struct cr_cond_holidays ph = { ph_days, ph_count };
    int64_t depart;
    enum cr_status st;

    if (cr_router_engine(r)->metric != CR_METRIC_TIME)
        return cr_error_set(err, CR_EINVAL,
                            "an arrival time needs the time metric (not %s): the latest "
                            "departure is searched by time",
                            cr_metric_name(cr_router_engine(r)->metric));
    if ((st = cr_tdsearch_latest_depart(cr_router_engine(r), places, n, arrive, &ph, &depart, err)))
        return st;
    return cr_router_set_depart(r, 1, depart, ph_days, ph_count, err);
}
