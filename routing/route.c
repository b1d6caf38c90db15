/*
 * Routers (one thread's search scratch over an engine), routes through places, and the weights
 * of many-to-many matrices; the session's tables are built on them (routing/table.c).
 */
#include "routing/route.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "routing/dijkstra.h"
#include "routing/route_ends.h"
#include "routing/route_straight.h"
#include "routing/tdsearch.h"

struct cr_router {
    const struct cr_engine *e;
    struct cr_dijkstra *dijkstra;
    struct cr_ch_query *chq;
    uint32_t *arcs;
    size_t arc_cap;
    struct cr_route cell; /* cr_router_cell's scratch: parts only */
    uint32_t cell_part_cap;
    int64_t *sum_at; /* cr_router_sum_scratch's */
    uint32_t *sum_seq;
    /* conditional restrictions (cr_router_set_depart) */
    struct cr_tdsearch *td; /* made on first use */
    int timed;              /* a departure is set */
    int64_t depart, now;    /* the departure; the current leg's, seconds */
    int32_t *ph_days;       /* public holidays */
    size_t ph_count;
    uint8_t last_cond; /* enum cr_route_conditional of the last search */
    int64_t td_delta;  /* last timed search: its weight minus the same path untimed */
    int straight;      /* continue_straight at via points (cr_router_set_straight) */
};

/* ---- routers ------------------------------------------------------------------------------ */

struct cr_router *
cr_router_create(const struct cr_engine *e, struct cr_error *err)
{
    struct cr_router *r = calloc(1, sizeof *r);

    if (!r)
        goto oom;
    r->e = e;
    r->dijkstra = cr_dijkstra_create(&e->tg->g);
    if (!r->dijkstra)
        goto oom;
    if (e->ch && !(r->chq = cr_ch_query_create(e->ch)))
        goto oom;
    return r;
oom:
    cr_router_destroy(r);
    cr_error_set(err, CR_ENOMEM, "%s: out of memory", e->profile.name);
    return NULL;
}

struct cr_dijkstra *
cr_router_dijkstra(struct cr_router *r)
{
    return r->dijkstra;
}

int
cr_router_sum_scratch(struct cr_router *r, int64_t **at, uint32_t **seq)
{
    size_t n = r->e->tg->g.node_count;
    if (!r->sum_at && !(r->sum_at = malloc((n * 4 + 1) * sizeof *r->sum_at)))
        return -1;
    if (!r->sum_seq && !(r->sum_seq = malloc((n + 1) * sizeof *r->sum_seq)))
        return -1;
    *at = r->sum_at;
    *seq = r->sum_seq;
    return 0;
}

const struct cr_engine *
cr_router_engine(const struct cr_router *r)
{
    return r->e;
}

void
cr_router_destroy(struct cr_router *r)
{
    if (!r)
        return;
    cr_dijkstra_destroy(r->dijkstra);
    cr_ch_query_destroy(r->chq);
    free(r->arcs);
    free(r->sum_at);
    free(r->sum_seq);
    cr_tdsearch_destroy(r->td);
    free(r->ph_days);
    cr_route_fini(&r->cell);
    free(r);
}

void
cr_source_ends(const struct cr_engine *e, const struct cr_place *p, struct cr_ends *s)
{
    const struct cr_wgraph *g = &e->tg->g;

    s->n = 0;
    s->offset = 0;
    for (uint32_t c = 0; c < p->count; c++) {
        for (int d = 0; d < 2; d++) {
            uint32_t x = p->cand[c].node[d];
            if (x == CR_INF)
                continue;
            for (uint32_t a = g->first_out[x]; a < g->first_out[x + 1] && s->n < MAX_ENDPOINTS;
                 a++) {
                uint64_t w = (uint64_t)p->cand[c].after[d] + g->weight[a];
                if (w >= CR_INF)
                    continue;
                s->ep[s->n] = (struct cr_endpoint){ g->head[a], (uint32_t)w };
                s->arc[s->n] = a;
                s->cand[s->n] = (uint8_t)c;
                s->dir[s->n] = (uint8_t)d;
                s->n++;
            }
        }
    }
}

void
cr_target_ends(const struct cr_engine *e, const struct cr_place *p, struct cr_ends *t)
{
    uint32_t off = 0, base = e->tg->base_count;

    t->n = 0;
    for (uint32_t c = 0; c < p->count; c++)
        for (int d = 0; d < 2; d++)
            if (p->cand[c].node[d] != CR_INF && p->cand[c].after[d] > off)
                off = p->cand[c].after[d];
    t->offset = off;
    for (uint32_t c = 0; c < p->count; c++) {
        for (int d = 0; d < 2; d++) {
            /* every node of the edge's chain: the edge reached in any state */
            for (uint32_t x = p->cand[c].node[d]; x != CR_INF;
                 x = e->tg->next_copy ? e->tg->next_copy[x] : CR_INF) {
                for (uint32_t k = 0; k < e->tg->layers && t->n < MAX_ENDPOINTS; k++) {
                    t->ep[t->n] = (struct cr_endpoint){ k * base + x, off - p->cand[c].after[d] };
                    t->cand[t->n] = (uint8_t)c;
                    t->dir[t->n] = (uint8_t)d;
                    t->n++;
                }
            }
        }
    }
}

/* How far along the edge of direction D (0: a->b, 1: b->a) candidate C lies, 0..1. */
static double
along(const struct cr_place_candidate *c, int d)
{
    return d == 0 ? c->snap.fraction : 1.0 - c->snap.fraction;
}

uint64_t
cr_direct_weight(const struct cr_place *a, const struct cr_place *b, struct cr_direct *how)
{
    uint64_t best = UINT64_MAX;

    for (uint32_t i = 0; i < a->count; i++)
        for (uint32_t j = 0; j < b->count; j++)
            for (int d = 0; d < 2; d++) {
                const struct cr_place_candidate *x = &a->cand[i], *y = &b->cand[j];
                /* ahead by position, not only by weight: two points a few decimetres apart
                 * have the same integer weight along the edge, and the one behind is not on
                 * the way (it was a route of -0.2 m) */
                if (x->node[d] == CR_INF || x->node[d] != y->node[d] ||
                    y->before[d] < x->before[d] || along(y, d) < along(x, d))
                    continue;
                if (y->before[d] - x->before[d] < best) {
                    best = y->before[d] - x->before[d];
                    *how = (struct cr_direct){ (uint8_t)i, (uint8_t)j, (uint8_t)d };
                }
            }
    return best;
}

enum cr_status
cr_router_set_depart(struct cr_router *r, int timed, int64_t depart, const int32_t *ph_days,
                     size_t ph_count, struct cr_error *err)
{
    int32_t *days = NULL;

    if (timed && r->e->metric != CR_METRIC_TIME && r->e->metric != CR_METRIC_DISTANCE)
        return cr_error_set(err, CR_EINVAL,
                            "a departure time needs the time or distance metric (not %s): "
                            "conditional bans are evaluated at the time the route reaches them",
                            cr_metric_name(r->e->metric));
    if (ph_count && !(days = malloc(ph_count * sizeof *days)))
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    if (ph_count)
        memcpy(days, ph_days, ph_count * sizeof *days);
    free(r->ph_days);
    r->ph_days = days;
    r->ph_count = ph_count;
    r->timed = timed;
    r->depart = r->now = depart;
    return CR_OK;
}

void
cr_router_set_straight(struct cr_router *r, int on)
{
    r->straight = on;
}

/* The conditions of the router's next search; 0 when none apply (CH or plain Dijkstra). */
static int
search_when(const struct cr_router *r, struct cr_cond_when *w, struct cr_cond_holidays *ph)
{
    ph->days = r->ph_days;
    ph->count = r->ph_count;
    *w = (struct cr_cond_when){ r->now, r->timed,
                                r->e->profile.conditional == CR_CONDITIONAL_ALWAYS, ph };
    return r->e->cond && cr_condset_active(r->e->cond, w);
}

int
cr_router_conditional(const struct cr_router *r)
{
    struct cr_cond_when w;
    struct cr_cond_holidays ph;
    return search_when(r, &w, &ph);
}

/* The search with conditional restrictions (routing/tdsearch.h). */
static uint32_t
search_conditional(struct cr_router *r, const struct cr_ends *s, const struct cr_ends *t,
                   const struct cr_cond_when *w)
{
    struct cr_td_source src[MAX_ENDPOINTS];
    const struct cr_wgraph *g = &r->e->tg->g;
    uint64_t static_w;
    uint32_t best;

    if (!r->td && !(r->td = cr_tdsearch_create(r->e)))
        return CR_INF; /* out of memory: reported as no route */
    for (size_t i = 0; i < s->n; i++)
        src[i] = (struct cr_td_source){ s->arc[i], s->ep[i].weight - g->weight[s->arc[i]] };
    best = cr_tdsearch_run(r->td, src, s->n, t->ep, t->n, w, &static_w);
    r->td_delta = best == CR_INF ? 0 : cr_tdsearch_delta(r->td); /* waits: in the duration */
    return best;
}

/* A route along one edge (both places on it, HOW): CR_INF when the conditions close its way
 * at the router's time, else DIRECT. */
static uint64_t
direct_open(struct cr_router *r, const struct cr_place *a, const struct cr_direct *how,
            uint64_t direct)
{
    struct cr_cond_when w;
    struct cr_cond_holidays ph;
    double kmh;
    if (direct == UINT64_MAX || !search_when(r, &w, &ph))
        return direct;
    uint32_t edge = r->e->tg->edge_of[a->cand[how->ca].node[how->dir]];
    uint32_t way = r->e->view->segment_way[r->e->view->edge_segment[edge] & ~CR_SEGMENT_REVERSED];
    return cr_condset_way_closed(r->e->cond, way, &w, &kmh) ? UINT64_MAX : direct;
}

const char *
cr_route_algorithm(const struct cr_route *r)
{
    if (r->conditional == CR_ROUTE_COND_TIMED)
        return "td-dijkstra";
    return r->used_ch ? "ch" : "dijkstra";
}

static uint64_t
search(struct cr_router *r, const struct cr_ends *s, const struct cr_ends *t)
{
    uint32_t w;
    struct cr_cond_when when;
    struct cr_cond_holidays ph;

    r->last_cond = CR_ROUTE_COND_NONE;
    if (s->n == 0 || t->n == 0)
        return UINT64_MAX;
    if (search_when(r, &when, &ph)) {
        r->last_cond = r->timed ? CR_ROUTE_COND_TIMED : CR_ROUTE_COND_FIXED;
        w = search_conditional(r, s, t, &when);
    } else if (r->chq)
        w = cr_ch_query_run(r->chq, s->ep, s->n, t->ep, t->n);
    else
        w = cr_dijkstra_run(r->dijkstra, s->ep, s->n, t->ep, t->n);
    if (w == CR_INF || w < t->offset)
        return UINT64_MAX;
    return (uint64_t)w - t->offset;
}

uint64_t
cr_router_weight(struct cr_router *r, const struct cr_place *from, const struct cr_place *to)
{
    struct cr_ends s, t;
    struct cr_direct how = { 0, 0, 0 };
    uint64_t direct = cr_direct_weight(from, to, &how), via;

    direct = direct_open(r, from, &how, direct);

    cr_source_ends(r->e, from, &s);
    cr_target_ends(r->e, to, &t);
    via = search(r, &s, &t);
    return direct < via ? direct : via;
}

/* ---- route assembly ----------------------------------------------------------------------- */

struct growing {
    struct cr_route *r;
    uint32_t point_cap, part_cap, edge_cap;
    int measures_only; /* tables: sum the measures, skip the geometry */
    int64_t fix[4];    /* the leg's measures in fixed point (route_ends.h, CR_FIX_UNIT) */
    uint32_t piece_cap;
};

static int
push_point(struct growing *gr, int32_t lon, int32_t lat)
{
    struct cr_route *r = gr->r;

    if (r->point_count && r->lon_e7[r->point_count - 1] == lon &&
        r->lat_e7[r->point_count - 1] == lat)
        return 0;
    if (r->point_count == gr->point_cap) {
        uint32_t cap = gr->point_cap ? gr->point_cap * 2 : 256;
        int32_t *a = realloc(r->lon_e7, cap * sizeof *a), *b;
        if (!a)
            return -1;
        r->lon_e7 = a;
        b = realloc(r->lat_e7, cap * sizeof *b);
        if (!b)
            return -1;
        r->lat_e7 = b;
        gr->point_cap = cap;
    }
    r->lon_e7[r->point_count] = lon;
    r->lat_e7[r->point_count] = lat;
    r->point_count++;
    return 0;
}

/* The polyline of edge E (in its direction) between fractions F0 and F1 of its length. */
static int
push_edge_geometry(struct growing *gr, const struct cr_graph_view *v, uint32_t e, double f0,
                   double f1)
{
    uint32_t seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
    int reversed = (v->edge_segment[e] & CR_SEGMENT_REVERSED) != 0;
    uint32_t first = v->segment_first_shape[seg], last = v->segment_first_shape[seg + 1];
    uint32_t n = last - first + 2;
    int32_t lon[2], lat[2];
    double total = 0.0, at = 0.0, d0, d1;

    lon[0] = v->lon_e7[v->segment_node[2 * seg]];
    lat[0] = v->lat_e7[v->segment_node[2 * seg]];
    lon[1] = v->lon_e7[v->segment_node[2 * seg + 1]];
    lat[1] = v->lat_e7[v->segment_node[2 * seg + 1]];
#define PT_LON(i) ((i) == 0 ? lon[0] : (i) == n - 1 ? lon[1] : v->shape_lon_e7[first + (i)-1])
#define PT_LAT(i) ((i) == 0 ? lat[0] : (i) == n - 1 ? lat[1] : v->shape_lat_e7[first + (i)-1])
#define DIR(i) (reversed ? n - 1 - (i) : (i))
    if (f0 <= 0.0 && f1 >= 1.0) { /* the whole edge, as most of a route is: no measuring */
        for (uint32_t i = 0; i < n; i++)
            if (push_point(gr, PT_LON(DIR(i)), PT_LAT(DIR(i))))
                return -1;
        return 0;
    }
    for (uint32_t i = 0; i + 1 < n; i++)
        total += cr_geo_distance_m(PT_LON(i), PT_LAT(i), PT_LON(i + 1), PT_LAT(i + 1));
    d0 = f0 * total;
    d1 = f1 * total;
    for (uint32_t i = 0; i + 1 < n; i++) {
        uint32_t p = DIR(i), q = DIR(i + 1);
        double len = cr_geo_distance_m(PT_LON(p), PT_LAT(p), PT_LON(q), PT_LAT(q));
        double next = at + len;
        if (next >= d0 && at <= d1) {
            double t0 = len > 0 ? (d0 - at) / len : 0.0, t1 = len > 0 ? (d1 - at) / len : 1.0;
            t0 = t0 < 0 ? 0 : t0;
            t1 = t1 > 1 ? 1 : t1;
            if (push_point(gr, (int32_t)lround(PT_LON(p) + t0 * (PT_LON(q) - PT_LON(p))),
                           (int32_t)lround(PT_LAT(p) + t0 * (PT_LAT(q) - PT_LAT(p)))) ||
                push_point(gr, (int32_t)lround(PT_LON(p) + t1 * (PT_LON(q) - PT_LON(p))),
                           (int32_t)lround(PT_LAT(p) + t1 * (PT_LAT(q) - PT_LAT(p)))))
                return -1;
        }
        at = next;
    }
#undef PT_LON
#undef PT_LAT
#undef DIR
    return 0;
}

static uint32_t
terminal_at(const struct cr_graph_view *v, uint32_t node)
{
    for (uint32_t t = 0; t < v->terminal_count; t++)
        if (v->terminals[t].node == node)
            return t;
    return CR_INF;
}

/* The weight by METRIC (time: deciseconds, distance: decimetres) of edge E up to fraction F of
 * it: W split at llround(W * F), as a place splits its edge into before and after (place.c). */
static int64_t
weight_at(const struct cr_engine *en, uint32_t e, double f, enum cr_metric metric)
{
    int64_t w = cr_profile_edge_weight(&en->profile, en->view, e, metric), x;

    if (w >= CR_WEIGHT_INF || !(f > 0))
        return 0;
    if (f >= 1)
        return w;
    x = llround((double)w * f);
    return x > w ? w : x;
}

double
cr_engine_turn_s(const struct cr_engine *en, uint32_t prev, uint32_t edge)
{
    const struct cr_graph_view *v = en->view;
    double pen;

    if (prev == CR_INF)
        return 0;
    pen = cr_profile_node_penalty_s(&en->profile, v, v->head[prev]) +
          cr_profile_turn_penalty_s(&en->profile, v, prev, edge);
    return pen < 0 ? 0 : pen;
}

int64_t
cr_engine_turn_ds(const struct cr_engine *en, uint32_t prev, uint32_t edge)
{
    const struct cr_graph_view *v = en->view;
    uint32_t ds;

    if (prev == CR_INF)
        return 0;
    ds = cr_profile_penalty_weight(&en->profile, cr_engine_turn_s(en, prev, edge), CR_METRIC_TIME);
    if (ds >= CR_WEIGHT_INF - 1)
        return 0;
    /* the turn graph's rule (turngraph.c): a U-turn weighs at least one unit */
    if (ds == 0 && (v->edge_segment[prev] & ~CR_SEGMENT_REVERSED) ==
                       (v->edge_segment[edge] & ~CR_SEGMENT_REVERSED))
        ds = 1;
    return ds;
}

void
cr_engine_piece(const struct cr_engine *en, uint32_t e, double f0, double f1, uint32_t prev,
                struct cr_measures *out)
{
    struct cr_edge_cost c;
    uint8_t mode = (uint8_t)cr_graph_edge_mode(en->view, e);
    double frac = f1 - f0, penalty_s = cr_engine_turn_s(en, prev, e);

    cr_profile_edge_cost(&en->profile, en->view, e, &c);
    out->distance_m = (double)cr_engine_piece_dm(en, e, f0, f1, prev) / 10.0;
    out->duration_s = (double)cr_engine_piece_ds(en, e, f0, f1, prev) / 10.0;
    out->cost = c.cost * frac + penalty_s / 3600.0 * en->profile.cost_per_hour[mode];
    out->co2_kg = c.co2_kg * frac;
}

int64_t
cr_engine_piece_ds(const struct cr_engine *en, uint32_t e, double f0, double f1, uint32_t prev)
{
    return weight_at(en, e, f1, CR_METRIC_TIME) - weight_at(en, e, f0, CR_METRIC_TIME) +
           cr_engine_turn_ds(en, prev, e);
}

int64_t
cr_engine_piece_dm(const struct cr_engine *en, uint32_t e, double f0, double f1, uint32_t prev)
{
    const struct cr_graph_view *v = en->view;
    /* the turn graph's rule (turngraph.c): a U-turn weighs at least one unit, by distance too */
    int64_t turn = prev != CR_INF && (v->edge_segment[prev] & ~CR_SEGMENT_REVERSED) ==
                                         (v->edge_segment[e] & ~CR_SEGMENT_REVERSED);

    return weight_at(en, e, f1, CR_METRIC_DISTANCE) - weight_at(en, e, f0, CR_METRIC_DISTANCE) +
           turn;
}

void
cr_engine_piece_fix(const struct cr_engine *en, uint32_t e, double f0, double f1, uint32_t prev,
                    int64_t *out)
{
    struct cr_measures m;
    uint8_t mode = (uint8_t)cr_graph_edge_mode(en->view, e);
    double penalty_s = cr_engine_turn_s(en, prev, e);

    cr_engine_piece(en, e, f0, f1, CR_INF, &m);
    /* whole decimetres and deciseconds: exact in fixed point */
    out[0] = cr_engine_piece_dm(en, e, f0, f1, prev) * (int64_t)(CR_FIX_UNIT / 10);
    out[1] = cr_engine_piece_ds(en, e, f0, f1, prev) * (int64_t)(CR_FIX_UNIT / 10);
    out[2] = cr_fix(m.cost) + cr_fix(penalty_s / 3600.0 * en->profile.cost_per_hour[mode]);
    out[3] = cr_fix(m.co2_kg);
}

/* Appends the piece of edge E just added (its points end the route's geometry) with measures M. */
static int
push_route_piece(struct growing *gr, uint32_t e, uint32_t first_point,
                 const struct cr_route_leg *leg, const struct cr_measures *m)
{
    struct cr_route *r = gr->r;

    if (r->piece_count == gr->piece_cap) {
        uint32_t cap = gr->piece_cap ? gr->piece_cap * 2 : 64;
        struct cr_route_piece *p = realloc(r->pieces, cap * sizeof *p);
        if (!p)
            return -1;
        r->pieces = p;
        gr->piece_cap = cap;
    }
    r->pieces[r->piece_count++] =
        (struct cr_route_piece){ e, (uint32_t)(leg - r->legs), first_point,
                                 r->point_count ? r->point_count - 1 : 0, *m };
    return 0;
}

/* Appends network edge E to the route's edges (unless LEG ends on it already). */
static int
push_edge(struct growing *gr, uint32_t e, struct cr_route_leg *leg)
{
    struct cr_route *r = gr->r;

    if (leg->edge_count && r->edges[r->edge_count - 1] == e)
        return 0;
    if (r->edge_count == gr->edge_cap) {
        uint32_t cap = gr->edge_cap ? gr->edge_cap * 2 : 64;
        uint32_t *a = realloc(r->edges, cap * sizeof *a);
        if (!a)
            return -1;
        r->edges = a;
        gr->edge_cap = cap;
    }
    if (!leg->edge_count)
        leg->first_edge = r->edge_count;
    r->edges[r->edge_count++] = e;
    leg->edge_count++;
    return 0;
}

/* Adds edge E from fraction F0 to F1, entered from edge PREV (CR_INF: none). */
static int
add_piece(struct growing *gr, const struct cr_engine *en, uint32_t e, double f0, double f1,
          uint32_t prev, struct cr_route_leg *leg)
{
    const struct cr_graph_view *v = en->view;
    struct cr_route *r = gr->r;
    struct cr_measures m;
    uint8_t mode = (uint8_t)cr_graph_edge_mode(v, e);
    uint32_t terminal = CR_INF, way = v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED];
    struct cr_route_part *part;
    double dist, dur, cost, co2;

    cr_engine_piece(en, e, f0, f1, prev, &m);
    dist = m.distance_m;
    dur = m.duration_s;
    cost = m.cost;
    co2 = m.co2_kg;
    if (mode == CR_MODE_TRANSFER) {
        uint32_t tail_group_terminal = v->group[v->head[e]] == CR_GROUP_TERMINAL;
        terminal = terminal_at(v, tail_group_terminal ? v->head[e] : CR_INF);
        if (terminal == CR_INF) { /* the edge leaving the terminal: its tail is the terminal */
            for (uint32_t t = 0; t < v->terminal_count; t++) {
                uint32_t tn = v->terminals[t].node;
                for (uint32_t x = v->first_out[tn]; x < v->first_out[tn + 1]; x++)
                    if (x == e)
                        terminal = t;
            }
        }
    }
    part = r->part_count ? &r->parts[r->part_count - 1] : NULL;
    if (!part || r->part_count <= leg->first_part || part->mode != mode ||
        (mode == CR_MODE_TRANSFER && part->terminal != terminal)) {
        if (r->part_count == gr->part_cap) {
            uint32_t cap = gr->part_cap ? gr->part_cap * 2 : 16;
            struct cr_route_part *p = realloc(r->parts, cap * sizeof *p);
            if (!p)
                return -1;
            r->parts = p;
            gr->part_cap = cap;
        }
        part = &r->parts[r->part_count++];
        memset(part, 0, sizeof *part);
        part->mode = mode;
        part->terminal = terminal;
        part->first_point = r->point_count ? r->point_count - 1 : 0;
        part->name = v->ways[way].name;
        leg->part_count++;
    }
    if (!gr->measures_only) {
        uint32_t first = r->point_count ? r->point_count - 1 : 0;
        if (push_edge_geometry(gr, v, e, f0, f1) || push_route_piece(gr, e, first, leg, &m) ||
            push_edge(gr, e, leg))
            return -1;
    }
    part->distance_m += dist;
    part->duration_s += dur;
    part->cost += cost;
    part->co2_kg += co2;
    part->last_point = r->point_count ? r->point_count - 1 : 0;
    if (!part->name && v->ways[way].name)
        part->name = v->ways[way].name;
    {
        int64_t fx[4];
        cr_engine_piece_fix(en, e, f0, f1, prev, fx);
        for (int k = 0; k < 4; k++)
            gr->fix[k] += fx[k];
    }
    leg->distance_m = (double)gr->fix[0] / CR_FIX_UNIT;
    leg->duration_s = (double)gr->fix[1] / CR_FIX_UNIT;
    leg->cost = (double)gr->fix[2] / CR_FIX_UNIT;
    leg->co2_kg = (double)gr->fix[3] / CR_FIX_UNIT;
    return 0;
}

double
cr_place_position(const struct cr_place *p, int c, int d)
{
    return along(&p->cand[c], d);
}

/* The arcs of the last search's path into r->arcs (see cr_dijkstra_path). */
static size_t
leg_path(struct cr_router *r, size_t *si, size_t *ti)
{
    if (r->last_cond != CR_ROUTE_COND_NONE)
        return cr_tdsearch_path(r->td, r->arcs, r->arc_cap, si, ti);
    if (r->chq)
        return cr_ch_query_path(r->chq, r->arcs, r->arc_cap, si, ti);
    return cr_dijkstra_path(r->dijkstra, r->arcs, r->arc_cap, si, ti);
}

/* The leg along a search's path (ARCS[0..COUNT-1] from source endpoint SI of S to target TI
 * of T) into GR and LEG; -1 when out of memory. A and B: the candidates used become their snap. */
static int
assemble_path(const struct cr_engine *en, struct cr_place *a, struct cr_place *b,
              const struct cr_ends *s, const struct cr_ends *t, const uint32_t *arcs, size_t count,
              size_t si, size_t ti, struct growing *gr, struct cr_route_leg *leg)
{
    const struct cr_turngraph *tg = en->tg;
    uint32_t base = tg->base_count;

    /* several endpoints may share a node (both directions of a place lead to the same next
     * edge); the search used the cheapest of them */
    for (size_t i = 0; i < s->n; i++)
        if (s->ep[i].node == s->ep[si].node && s->ep[i].weight < s->ep[si].weight)
            si = i;
    for (size_t i = 0; i < t->n; i++)
        if (t->ep[i].node == t->ep[ti].node && t->ep[i].weight < t->ep[ti].weight)
            ti = i;
    {
        /* edges: the source place's edge, the first arc's head, then each arc's head */
        int ca = s->cand[si], da = s->dir[si], cb = t->cand[ti], db = t->dir[ti];
        uint32_t prev_edge = tg->edge_of[a->cand[ca].node[da]];
        uint32_t node = s->ep[si].node % base;
        size_t total = count + 1;
        a->snap = a->cand[ca].snap;
        b->snap = b->cand[cb].snap;
        if (add_piece(gr, en, prev_edge, cr_place_position(a, ca, da), 1.0, CR_INF, leg))
            return -1;
        for (size_t i = 0; i < total; i++) {
            uint32_t edge = tg->edge_of[node];
            double end = i + 1 == total ? cr_place_position(b, cb, db) : 1.0;
            if (add_piece(gr, en, edge, 0.0, end, prev_edge, leg))
                return -1;
            prev_edge = edge;
            if (i < count)
                node = tg->g.head[arcs[i]] % base;
        }
    }
    return 0;
}

/* The route of one leg into OUT (appending geometry and parts). A and B are not const: the
 * candidate used becomes their snap. */
static enum cr_status
route_leg(struct cr_router *r, struct cr_place *a, struct cr_place *b, struct growing *gr,
          struct cr_route_leg *leg, struct cr_error *err)
{
    const struct cr_engine *en = r->e;
    const struct cr_turngraph *tg = en->tg;
    struct cr_ends s, t;
    struct cr_direct how = { 0, 0, 0 };
    uint64_t direct = cr_direct_weight(a, b, &how), via;
    size_t si = 0, ti = 0, count;

    direct = direct_open(r, a, &how, direct);

    memset(gr->fix, 0, sizeof gr->fix);
    cr_source_ends(en, a, &s);
    cr_target_ends(en, b, &t);
    via = search(r, &s, &t);
    leg->first_point = gr->r->point_count ? gr->r->point_count - 1 : 0;
    leg->first_part = gr->r->part_count;
    if (direct == UINT64_MAX && via == UINT64_MAX)
        return cr_error_set(err, CR_ENOTFOUND,
                            "no route from %.6f,%.6f to %.6f,%.6f for the %s profile",
                            cr_e7_to_deg(a->lon_e7), cr_e7_to_deg(a->lat_e7),
                            cr_e7_to_deg(b->lon_e7), cr_e7_to_deg(b->lat_e7), en->profile.name);
    if (direct <= via) {
        leg->weight = direct;
        a->snap = a->cand[how.ca].snap;
        b->snap = b->cand[how.cb].snap;
        if (add_piece(gr, en, tg->edge_of[a->cand[how.ca].node[how.dir]],
                      cr_place_position(a, how.ca, how.dir), cr_place_position(b, how.cb, how.dir),
                      CR_INF, leg))
            goto oom;
        leg->last_point = gr->r->point_count ? gr->r->point_count - 1 : 0;
        return CR_OK;
    }
    leg->weight = via;
    count = leg_path(r, &si, &ti);
    if (count > r->arc_cap) {
        uint32_t *arcs = realloc(r->arcs, count * sizeof *arcs);
        if (!arcs)
            goto oom;
        r->arcs = arcs;
        r->arc_cap = count;
        count = leg_path(r, &si, &ti);
    }
    if (assemble_path(en, a, b, &s, &t, r->arcs, count, si, ti, gr, leg))
        goto oom;
    if (r->last_cond == CR_ROUTE_COND_TIMED) /* waits and conditional speeds: in the leg */
        leg->duration_s += (double)r->td_delta / 10.0;
    leg->last_point = gr->r->point_count ? gr->r->point_count - 1 : 0;
    return CR_OK;
oom:
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", en->profile.name);
}

void
cr_route_fini(struct cr_route *r)
{
    free(r->lon_e7);
    free(r->lat_e7);
    free(r->legs);
    free(r->parts);
    free(r->pieces);
    free(r->edges);
    free(r->places);
    memset(r, 0, sizeof *r);
}

/* As OSRM: when every point lies nearest to one and the same small component (a route inside
 * a gated compound), the route stays there instead of starting and ending in a big one. */
void
cr_places_keep_small_component(struct cr_place *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].small_comp == CR_INF || p[i].small_comp != p[0].small_comp)
            return;
    for (size_t i = 0; i < n; i++) {
        p[i].cand[0] = p[i].nearest;
        p[i].count = 1;
        p[i].snap = p[i].nearest.snap;
        p[i].small_comp = CR_INF;
    }
}

/* With continue_straight, untimed, through via points: *STATES for OUT's places (NULL when
 * the constraint leaves no route: then the legs may turn back, as without it); caller frees. */
static enum cr_status
straight_states(struct cr_router *r, const struct cr_route *out, uint32_t **states,
                struct cr_error *err)
{
    enum cr_status st;

    *states = NULL;
    if (!r->straight || r->timed || out->place_count < 3)
        return CR_OK;
    if (!(*states = malloc(out->place_count * sizeof **states)))
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    st = cr_route_straight_states(r, out->places, out->place_count, *states, err);
    if (st) {
        free(*states);
        *states = NULL;
    }
    if (st == CR_ENOTFOUND) {
        if (err)
            *err = (struct cr_error){ 0 };
        return CR_OK;
    }
    return st;
}

static enum cr_status
route_through(struct cr_router *r, struct cr_route *out, struct cr_error *err)
{
    struct growing gr = { out, 0, 0, 0, 0, { 0 }, 0 };
    uint32_t *straight;
    enum cr_status st;

    cr_places_keep_small_component(out->places, out->place_count);
    out->used_ch = r->chq != NULL;
    out->view = r->e->view;
    out->metric = (uint8_t)r->e->metric;
    out->depart = r->depart;
    if ((st = straight_states(r, out, &straight, err)))
        return st;
    for (size_t i = 0; i + 1 < out->place_count; i++) {
        struct cr_route_leg *leg = &out->legs[i];
        struct cr_place a, b;
        cr_place_restrict(&out->places[i], straight ? straight[i] : CR_STRAIGHT_ANY, &a);
        cr_place_restrict(&out->places[i + 1], straight ? straight[i + 1] : CR_STRAIGHT_ANY, &b);
        r->now = r->depart + (int64_t)(out->duration_s + 0.5); /* this leg's departure */
        st = route_leg(r, &a, &b, &gr, leg, err);
        r->now = r->depart;
        out->places[i].snap = a.snap;
        out->places[i + 1].snap = b.snap;
        if (st) {
            free(straight);
            return st;
        }
        if (r->last_cond > out->conditional)
            out->conditional = r->last_cond;
        if (r->last_cond != CR_ROUTE_COND_NONE)
            out->used_ch = 0;
        out->leg_count++;
        out->distance_m += leg->distance_m;
        out->duration_s += leg->duration_s;
        out->cost += leg->cost;
        out->co2_kg += leg->co2_kg;
        out->weight += leg->weight;
    }
    free(straight);
    return CR_OK;
}

static enum cr_status
route_alloc(struct cr_route *out, size_t n, struct cr_error *err)
{
    memset(out, 0, sizeof *out);
    if (n < 2)
        return cr_error_set(err, CR_EINVAL, "a route needs at least two points");
    out->places = calloc(n, sizeof *out->places);
    out->legs = calloc(n - 1, sizeof *out->legs);
    if (!out->places || !out->legs) {
        cr_route_fini(out);
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    }
    out->place_count = (uint32_t)n;
    return CR_OK;
}

enum cr_status
cr_route_from_path(const struct cr_engine *en, const struct cr_place *a, const struct cr_place *b,
                   const struct cr_ends *s, const struct cr_ends *t, const uint32_t *arcs,
                   size_t count, size_t si, size_t ti, uint64_t weight, struct cr_route *out,
                   struct cr_error *err)
{
    struct growing gr = { out, 0, 0, 0, 0, { 0 }, 0 };
    struct cr_route_leg *leg;
    enum cr_status st;

    if ((st = route_alloc(out, 2, err)))
        return st;
    out->places[0] = *a;
    out->places[1] = *b;
    out->view = en->view;
    out->metric = (uint8_t)en->metric;
    leg = &out->legs[0];
    if (assemble_path(en, &out->places[0], &out->places[1], s, t, arcs, count, si, ti, &gr, leg)) {
        cr_route_fini(out);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", en->profile.name);
    }
    leg->last_point = out->point_count ? out->point_count - 1 : 0;
    leg->weight = weight;
    out->leg_count = 1;
    out->distance_m = leg->distance_m;
    out->duration_s = leg->duration_s;
    out->cost = leg->cost;
    out->co2_kg = leg->co2_kg;
    out->weight = weight;
    return CR_OK;
}

enum cr_status
cr_router_route(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7, size_t n,
                struct cr_route *out, struct cr_error *err)
{
    enum cr_status st;

    if ((st = route_alloc(out, n, err)))
        return st;
    for (size_t i = 0; i < n; i++)
        if ((st = cr_engine_place(r->e, lon_e7[i], lat_e7[i], &out->places[i], err)))
            goto fail;
    if ((st = route_through(r, out, err)))
        goto fail;
    return CR_OK;
fail:
    cr_route_fini(out);
    return st;
}

enum cr_status
cr_router_route_places(struct cr_router *r, const struct cr_place *places, size_t n,
                       struct cr_route *out, struct cr_error *err)
{
    enum cr_status st;

    if ((st = route_alloc(out, n, err)))
        return st;
    memcpy(out->places, places, n * sizeof *places);
    if ((st = route_through(r, out, err)))
        cr_route_fini(out);
    return st;
}

double
cr_metric_value(enum cr_metric m, uint64_t weight)
{
    switch (m) {
    case CR_METRIC_TIME:
        return (double)weight / 10.0; /* deciseconds */
    case CR_METRIC_DISTANCE:
        return (double)weight / 10.0; /* decimetres */
    case CR_METRIC_COST:
        return (double)weight; /* currency units */
    case CR_METRIC_CO2:
        return (double)weight / 1000.0; /* grams */
    default:
        return (double)weight;
    }
}

enum cr_status
cr_router_cell(struct cr_router *r, const struct cr_place *from, const struct cr_place *to,
               struct cr_cell *c, struct cr_error *err)
{
    struct growing gr = { &r->cell, 0, r->cell_part_cap, 0, 1, { 0 }, 0 };
    struct cr_place a = *from, b = *to;
    struct cr_route_leg leg;
    enum cr_status st;

    *c = (struct cr_cell){ UINT64_MAX, NAN, NAN, NAN, NAN };
    memset(&leg, 0, sizeof leg);
    r->cell.part_count = 0;
    st = route_leg(r, &a, &b, &gr, &leg, err);
    r->cell_part_cap = gr.part_cap;
    if (st == CR_ENOTFOUND)
        return CR_OK;
    if (st)
        return st;
    *c = (struct cr_cell){ leg.weight, leg.distance_m, leg.duration_s, leg.cost, leg.co2_kg };
    return CR_OK;
}

enum cr_status
cr_router_cells(struct cr_router *r, const struct cr_place *sources, size_t ns,
                const struct cr_place *targets, size_t nt, struct cr_cell *out,
                struct cr_error *err)
{
    uint64_t *w = malloc((ns * nt + 1) * sizeof *w);
    enum cr_status st;

    if (!w)
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    /* the weights first, with buckets: an unreachable cell then costs no search of its own */
    if ((st = cr_router_matrix(r, sources, ns, targets, nt, w, err)))
        goto done;
    for (size_t i = 0; i < ns; i++) {
        for (size_t j = 0; j < nt; j++) {
            struct cr_cell *c = &out[i * nt + j];
            *c = (struct cr_cell){ UINT64_MAX, NAN, NAN, NAN, NAN };
            if (w[i * nt + j] != UINT64_MAX &&
                (st = cr_router_cell(r, &sources[i], &targets[j], c, err)))
                goto done;
        }
    }
done:
    free(w);
    return st;
}
