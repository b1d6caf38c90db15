#include "routing/isochrone.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/heap.h"

/* The graph searched: the turn graph, or its arcs turned round (weight: the turn penalty plus
 * the edge the arc now enters). */
struct search {
    const struct cr_turngraph *tg;
    uint32_t node_count, base;
    const uint32_t *first_out, *head, *weight;
    uint32_t *own_first, *own_head, *own_weight; /* the reversed graph, when built */
    uint32_t *dist, *pos, *touched;
    size_t touched_count;
    struct cr_heap heap;
    uint32_t limit_ds;
};

static enum cr_status
reverse_graph(struct search *s, struct cr_error *err)
{
    const struct cr_wgraph *g = &s->tg->g;
    uint32_t n = g->node_count, m = g->arc_count;

    s->own_first = calloc((size_t)n + 1, sizeof *s->own_first);
    s->own_head = malloc(((size_t)m + 1) * sizeof *s->own_head);
    s->own_weight = malloc(((size_t)m + 1) * sizeof *s->own_weight);
    if (!s->own_first || !s->own_head || !s->own_weight)
        return cr_error_set(err, CR_ENOMEM, "isochrone: out of memory (reversed graph)");
    for (uint32_t a = 0; a < m; a++)
        s->own_first[g->head[a] + 1]++;
    for (uint32_t x = 0; x < n; x++)
        s->own_first[x + 1] += s->own_first[x];
    for (uint32_t x = 0; x < n; x++) {
        for (uint32_t a = g->first_out[x]; a < g->first_out[x + 1]; a++) {
            uint32_t k = s->own_first[g->head[a]]++;
            uint64_t w = (uint64_t)s->tg->arc_penalty[a] + s->tg->edge_weight[x % s->base];
            s->own_head[k] = x;
            s->own_weight[k] = w >= CR_INF ? CR_INF - 1 : (uint32_t)w;
        }
    }
    for (uint32_t x = n; x > 0; x--) /* the fill moved every start one slot on */
        s->own_first[x] = s->own_first[x - 1];
    s->own_first[0] = 0;
    s->first_out = s->own_first;
    s->head = s->own_head;
    s->weight = s->own_weight;
    return CR_OK;
}

static void
search_fini(struct search *s)
{
    free(s->own_first);
    free(s->own_head);
    free(s->own_weight);
    free(s->dist);
    free(s->pos);
    free(s->touched);
    free(s->heap.h);
}

static enum cr_status
search_init(struct search *s, const struct cr_engine *e, int reverse, struct cr_error *err)
{
    memset(s, 0, sizeof *s);
    s->tg = e->tg;
    s->node_count = e->tg->g.node_count;
    s->base = e->tg->base_count;
    s->first_out = e->tg->g.first_out;
    s->head = e->tg->g.head;
    s->weight = e->tg->g.weight;
    s->dist = malloc(((size_t)s->node_count + 1) * sizeof *s->dist);
    s->pos = malloc(((size_t)s->node_count + 1) * sizeof *s->pos);
    s->touched = malloc(((size_t)s->node_count + 1) * sizeof *s->touched);
    s->heap.h = malloc(((size_t)s->node_count + 1) * sizeof *s->heap.h);
    if (!s->dist || !s->pos || !s->touched || !s->heap.h)
        return cr_error_set(err, CR_ENOMEM, "isochrone: out of memory (%u turn-graph nodes)",
                            s->node_count);
    for (uint32_t x = 0; x < s->node_count; x++)
        s->dist[x] = CR_INF;
    return reverse ? reverse_graph(s, err) : CR_OK;
}

/* Lowers the label of X to D. */
static void
reach(struct search *s, uint32_t x, uint64_t d)
{
    if (d >= s->dist[x])
        return;
    if (s->dist[x] == CR_INF) {
        s->touched[s->touched_count++] = x;
        s->dist[x] = (uint32_t)d;
        cr_heap_push(&s->heap, s->pos, 1, x, (uint32_t)d);
    } else if (s->pos[x] != CR_HEAP_SETTLED) {
        s->dist[x] = (uint32_t)d;
        cr_heap_decrease(&s->heap, s->pos, 1, x, (uint32_t)d);
    }
}

/* The arcs out of X, from label D (X itself keeps its own label). */
static void
relax(struct search *s, uint32_t x, uint64_t d)
{
    for (uint32_t a = s->first_out[x]; a < s->first_out[x + 1]; a++)
        if (d + s->weight[a] < CR_INF)
            reach(s, s->head[a], d + s->weight[a]);
}

static uint64_t
run(struct search *s)
{
    uint64_t settled = 0;

    while (s->heap.size > 0) {
        struct cr_heap_item it = cr_heap_pop(&s->heap, s->pos, 1);
        if (it.key > s->limit_ds)
            break; /* nothing popped later has a near end under the budget (isochrone.h) */
        settled++;
        relax(s, it.node, it.key);
    }
    return settled;
}

static enum cr_status
add_piece(struct cr_isochrone *iso, size_t *cap, struct cr_iso_piece p, struct cr_error *err)
{
    if (iso->count == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        struct cr_iso_piece *np = realloc(iso->pieces, nc * sizeof *np);
        if (!np)
            return cr_error_set(err, CR_ENOMEM, "isochrone: out of memory (%zu pieces)", nc);
        iso->pieces = np;
        *cap = nc;
    }
    iso->pieces[iso->count++] = p;
    return CR_OK;
}

/* The places' own partial edges as pieces, and the search seeded from their ends. */
static enum cr_status
seed(struct search *s, const struct cr_engine *e, const struct cr_place *places, size_t n,
     int reverse, struct cr_isochrone *iso, size_t *cap, struct cr_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct cr_place *p = &places[i];
        for (uint32_t c = 0; c < p->count; c++) {
            for (int d = 0; d < 2; d++) {
                const struct cr_place_candidate *pc = &p->cand[c];
                uint32_t x = pc->node[d];
                double along = d == 0 ? pc->snap.fraction : 1.0 - pc->snap.fraction;
                struct cr_iso_piece piece;
                if (x == CR_INF)
                    continue;
                piece.edge = e->tg->edge_of[x % s->base];
                if (!reverse) /* from the place to the edge's end */
                    piece =
                        (struct cr_iso_piece){ piece.edge, along, 1.0, 0.0, pc->after[d] / 10.0 };
                else /* from the edge's start to the place */
                    piece =
                        (struct cr_iso_piece){ piece.edge, 0.0, along, pc->before[d] / 10.0, 0.0 };
                if (add_piece(iso, cap, piece, err))
                    return err ? err->code : CR_ENOMEM;
                if (!reverse) {
                    relax(s, x, pc->after[d]);
                    continue;
                }
                /* reversed: the place is reached on its edge in any state (every copy, every
                 * layer), as route.c accepts a route's last edge */
                for (uint32_t y = x; y != CR_INF;
                     y = e->tg->next_copy ? e->tg->next_copy[y] : CR_INF)
                    for (uint32_t k = 0; k < e->tg->layers; k++)
                        relax(s, k * s->base + y, pc->before[d]);
            }
        }
    }
    return CR_OK;
}

enum cr_status
cr_isochrone_compute(const struct cr_engine *e, const struct cr_place *places, size_t n,
                     double limit_s, int reverse, struct cr_isochrone *out, struct cr_error *err)
{
    struct search s;
    size_t cap = 0;
    enum cr_status st;

    memset(out, 0, sizeof *out);
    if (e->metric != CR_METRIC_TIME)
        return cr_error_set(err, CR_EINVAL, "isochrone: the metric must be time, not %s",
                            cr_metric_name(e->metric));
    if (!(limit_s > 0) || limit_s > 86400.0 * 7)
        return cr_error_set(err, CR_EINVAL, "isochrone: budget %g s not in (0, 604800]", limit_s);
    if (n == 0)
        return cr_error_set(err, CR_EINVAL, "isochrone: no place to start from");
    out->limit_s = limit_s;
    out->reverse = reverse;
    out->origin_count = (uint32_t)n;
    if ((st = search_init(&s, e, reverse, err)))
        goto done;
    s.limit_ds = (uint32_t)ceil(limit_s * 10.0);
    if ((st = seed(&s, e, places, n, reverse, out, &cap, err)))
        goto done;
    out->settled = run(&s);
    for (size_t i = 0; i < s.touched_count; i++) {
        uint32_t x = s.touched[i], w = e->tg->edge_weight[x % s.base];
        double t_far = s.dist[x] / 10.0, t_near = (s.dist[x] - w) / 10.0;
        struct cr_iso_piece p = { e->tg->edge_of[x % s.base], 0.0, 1.0, t_near, t_far };
        if (t_near >= limit_s)
            continue;
        if (reverse) {
            p.t_from_s = t_far;
            p.t_to_s = t_near;
        }
        if ((st = add_piece(out, &cap, p, err)))
            goto done;
    }
done:
    search_fini(&s);
    if (st)
        cr_isochrone_fini(out);
    return st;
}

void
cr_isochrone_fini(struct cr_isochrone *iso)
{
    if (!iso)
        return;
    free(iso->pieces);
    iso->pieces = NULL;
    iso->count = 0;
}

int
cr_iso_piece_window(const struct cr_iso_piece *p, double lo_s, double hi_s, double *a, double *b)
{
    double dt = p->t_to_s - p->t_from_s, len = p->to - p->from, u0, u1;

    if (len <= 0)
        return 0;
    if (fabs(dt) < 1e-12) { /* a stretch taking no time: all or nothing */
        if (p->t_from_s < lo_s || p->t_from_s > hi_s)
            return 0;
        *a = p->from;
        *b = p->to;
        return 1;
    }
    /* t(u) = t_from + u * dt for u in [0, 1] over the piece */
    u0 = (lo_s - p->t_from_s) / dt;
    u1 = (hi_s - p->t_from_s) / dt;
    if (u0 > u1) {
        double t = u0;
        u0 = u1;
        u1 = t;
    }
    if (u0 < 0)
        u0 = 0;
    if (u1 > 1)
        u1 = 1;
    if (!(u1 > u0))
        return 0;
    *a = p->from + u0 * len;
    *b = p->from + u1 * len;
    return 1;
}

double
cr_isochrone_time_at(const struct cr_isochrone *iso, uint32_t edge, double f)
{
    double best = INFINITY;

    for (size_t i = 0; i < iso->count; i++) {
        const struct cr_iso_piece *p = &iso->pieces[i];
        double t;
        if (p->edge != edge || f < p->from - 1e-12 || f > p->to + 1e-12)
            continue;
        t = p->to > p->from
                ? p->t_from_s + (f - p->from) / (p->to - p->from) * (p->t_to_s - p->t_from_s)
                : p->t_from_s;
        if (t < best)
            best = t;
    }
    return best;
}
