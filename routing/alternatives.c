/* Alternative routes by the penalty method, filtered by the via-node criteria
 * (routing/alternatives.h). */
#include "routing/alternatives.h"

#include <stdlib.h>
#include <string.h>

#include "routing/dijkstra.h"
#include "routing/route_ends.h"

/* One path of the turn graph between the two places. */
struct path {
    uint32_t *arcs;  /* [count] */
    uint32_t *node;  /* [count + 1]: the source endpoint's node, then each arc's head */
    uint64_t *cum;   /* [count + 1]: real weight from node[0] up to node[k] (entering it) */
    size_t count;    /* arcs */
    size_t si, ti;   /* the endpoints used */
    uint64_t weight; /* the route's metric weight, real weights */
};

static void
path_free(struct path *p)
{
    free(p->arcs);
    free(p->node);
    free(p->cum);
    memset(p, 0, sizeof *p);
}

/* The path of D's last run into P with its real weights (G); -1 when out of memory. */
static int
path_take(const struct cr_dijkstra *d, const struct cr_wgraph *g, const struct cr_ends *s,
          const struct cr_ends *t, struct path *p)
{
    size_t n = cr_dijkstra_path(d, NULL, 0, &p->si, &p->ti);

    p->arcs = malloc((n + 1) * sizeof *p->arcs);
    p->node = malloc((n + 1) * sizeof *p->node);
    p->cum = malloc((n + 1) * sizeof *p->cum);
    if (!p->arcs || !p->node || !p->cum)
        return -1;
    p->count = cr_dijkstra_path(d, p->arcs, n, &p->si, &p->ti);
    /* endpoints sharing a node: the search paid the cheapest (as route.c assembles it) */
    for (size_t i = 0; i < s->n; i++)
        if (s->ep[i].node == s->ep[p->si].node && s->ep[i].weight < s->ep[p->si].weight)
            p->si = i;
    for (size_t i = 0; i < t->n; i++)
        if (t->ep[i].node == t->ep[p->ti].node && t->ep[i].weight < t->ep[p->ti].weight)
            p->ti = i;
    p->node[0] = s->ep[p->si].node;
    p->cum[0] = 0;
    for (size_t k = 0; k < p->count; k++) {
        p->node[k + 1] = g->head[p->arcs[k]];
        p->cum[k + 1] = p->cum[k] + g->weight[p->arcs[k]];
    }
    p->weight = (uint64_t)s->ep[p->si].weight + p->cum[p->count] + t->ep[p->ti].weight;
    p->weight = p->weight > t->offset ? p->weight - t->offset : 0;
    return 0;
}

/* Network edge of turn-graph node X, and its weight. */
static uint32_t
edge_of(const struct cr_turngraph *tg, uint32_t x)
{
    return tg->edge_of[x % tg->base_count];
}

static uint64_t
node_weight(const struct cr_turngraph *tg, uint32_t x)
{
    return tg->edge_weight[x % tg->base_count];
}

/* Marks P's edges (its target's own edge excepted) with BIT in USED. */
static void
mark(const struct cr_turngraph *tg, const struct path *p, uint8_t bit, uint8_t *used)
{
    for (size_t k = 0; k < p->count; k++)
        used[edge_of(tg, p->node[k])] |= bit;
}

/* Makes leaving every node of P (but its last) cost PENALTY times its edge's weight more. */
static void
penalize(const struct cr_turngraph *tg, const struct path *p, double penalty, uint32_t *w)
{
    const struct cr_wgraph *g = &tg->g;

    for (size_t k = 0; k < p->count; k++) {
        uint32_t x = p->node[k];
        uint64_t add = (uint64_t)(penalty * (double)node_weight(tg, x)) + 1;
        for (uint32_t a = g->first_out[x]; a < g->first_out[x + 1]; a++)
            w[a] = (uint64_t)w[a] + add < CR_INF / 4 ? (uint32_t)(w[a] + add) : CR_INF / 4;
    }
}

/* The weight of P's edges (its last excepted), and of those marked with BIT in USED. */
static uint64_t
inner_weight(const struct cr_turngraph *tg, const struct path *p, const uint8_t *used, uint8_t bit,
             uint64_t *shared)
{
    uint64_t all = 0;

    *shared = 0;
    for (size_t k = 0; k < p->count; k++) {
        uint64_t x = node_weight(tg, p->node[k]);
        all += x;
        if (used[edge_of(tg, p->node[k])] & bit)
            *shared += x;
    }
    return all;
}

/* The T-test: the piece of P around the middle of its detour from the best route (bit 1 of
 * USED), ALPHA * BEST on either side, is a shortest path. */
static int
locally_optimal(struct cr_router *r, const struct path *p, const uint8_t *used, double alpha,
                uint64_t best)
{
    const struct cr_turngraph *tg = cr_router_engine(r)->tg;
    size_t run_a = 0, run_b = 0, a = 0, mid, u, x;
    uint64_t run_w = 0, t, m;
    struct cr_endpoint from, to;
    uint32_t d;

    for (size_t k = 0; k < p->count; k++) { /* the heaviest run of edges off the best route */
        if (used[edge_of(tg, p->node[k])] & 1) {
            a = k + 1;
            continue;
        }
        if (p->cum[k] - p->cum[a] + node_weight(tg, p->node[a]) > run_w) {
            run_w = p->cum[k] - p->cum[a] + node_weight(tg, p->node[a]);
            run_a = a;
            run_b = k;
        }
    }
    if (run_w == 0)
        return 0; /* the best route again */
    m = (p->cum[run_a] + p->cum[run_b]) / 2;
    for (mid = run_a; mid < run_b && p->cum[mid] < m; mid++)
        ;
    t = (uint64_t)(alpha * (double)best);
    for (u = 0; u < mid && p->cum[u] + t < p->cum[mid]; u++)
        ;
    for (x = p->count; x > mid && p->cum[x] > p->cum[mid] + t; x--)
        ;
    if (u == x)
        return 1;
    from = (struct cr_endpoint){ p->node[u], 0 };
    to = (struct cr_endpoint){ p->node[x], 0 };
    d = cr_dijkstra_run(cr_router_dijkstra(r), &from, 1, &to, 1);
    return d != CR_INF && (uint64_t)d >= p->cum[x] - p->cum[u];
}

/* Whether candidate P passes stretch and sharing against the KEPT paths (bits 1 << i in USED). */
static int
acceptable(const struct cr_turngraph *tg, const struct path *p, const struct path *kept,
           size_t nkept, const uint8_t *used, const struct cr_alt_options *o)
{
    if ((double)p->weight > o->max_stretch * (double)kept[0].weight || p->weight == 0)
        return 0;
    for (size_t i = 0; i < nkept; i++) {
        uint64_t shared, other_shared,
            mine = inner_weight(tg, p, used, (uint8_t)(1u << i), &shared);
        uint64_t theirs = inner_weight(tg, &kept[i], used, 0, &other_shared);
        uint64_t lighter = mine < theirs ? mine : theirs;
        if (lighter == 0 || (double)shared > o->max_sharing * (double)lighter)
            return 0;
    }
    return 1;
}

/* Search state of one call. */
struct alt_run {
    struct cr_ends s, t;
    struct cr_wgraph pg; /* the turn graph with the penalised weights W */
    uint32_t *w;
    uint8_t *used; /* [network edges] bit i: used by kept path i */
    struct cr_dijkstra *d;
    struct path kept[CR_ALT_MAX + 1];
    size_t nkept;
};

static void
alt_run_free(struct alt_run *x)
{
    for (size_t i = 0; i < x->nkept; i++)
        path_free(&x->kept[i]);
    cr_dijkstra_destroy(x->d);
    free(x->w);
    free(x->used);
    free(x);
}

/* Sorts OUT[1 .. n-1] by weight (a handful: insertion). */
static void
sort_alternatives(struct cr_route *out, size_t n)
{
    for (size_t i = 2; i < n; i++)
        for (size_t j = i; j > 1 && out[j].weight < out[j - 1].weight; j--) {
            struct cr_route tmp = out[j];
            out[j] = out[j - 1];
            out[j - 1] = tmp;
        }
}

static unsigned
rounds_of(const struct cr_alt_options *o, size_t want)
{
    return o->max_rounds ? o->max_rounds : 4 * (unsigned)want + 2;
}

/* A Dijkstra over X's penalised graph. Its bucket queue is sized by the largest arc weight when
 * it is made, so it is made as if one arc already weighed what ROUNDS + 1 penalties can make
 * of the heaviest. */
static struct cr_dijkstra *
penalised_dijkstra(struct alt_run *x, double penalty, unsigned rounds)
{
    uint32_t maxw = 0, keep;
    uint64_t bound;
    struct cr_dijkstra *d;

    if (x->pg.arc_count == 0)
        return cr_dijkstra_create(&x->pg);
    for (uint32_t a = 0; a < x->pg.arc_count; a++)
        maxw = x->w[a] > maxw ? x->w[a] : maxw;
    bound = maxw + (uint64_t)(rounds + 1) * ((uint64_t)(penalty * maxw) + 1);
    keep = x->w[0];
    x->w[0] = bound < CR_INF / 4 ? (uint32_t)bound : CR_INF / 4;
    d = cr_dijkstra_create(&x->pg);
    x->w[0] = keep;
    return d;
}

/* The penalty rounds after the best path is kept: candidates into OUT[*COUNT ..]. */
static enum cr_status
search_rounds(struct cr_router *r, struct alt_run *x, const struct cr_place *a,
              const struct cr_place *b, const struct cr_alt_options *o, size_t want,
              struct cr_route *out, size_t *count, struct cr_error *err)
{
    const struct cr_engine *en = cr_router_engine(r);
    const struct cr_turngraph *tg = en->tg;
    unsigned rounds = rounds_of(o, want);
    enum cr_status st;

    for (unsigned round = 0; round < rounds && *count < 1 + want; round++) {
        struct path p = { 0 };
        if (cr_dijkstra_run(x->d, x->s.ep, x->s.n, x->t.ep, x->t.n) == CR_INF)
            break;
        if (path_take(x->d, &tg->g, &x->s, &x->t, &p)) {
            path_free(&p);
            return cr_error_set(err, CR_ENOMEM, "alternatives: out of memory");
        }
        penalize(tg, &p, o->penalty, x->w);
        if (!acceptable(tg, &p, x->kept, x->nkept, x->used, o) ||
            !locally_optimal(r, &p, x->used, o->local_alpha, x->kept[0].weight)) {
            path_free(&p);
            continue;
        }
        if ((st = cr_route_from_path(en, a, b, &x->s, &x->t, p.arcs, p.count, p.si, p.ti, p.weight,
                                     &out[*count], err))) {
            path_free(&p);
            return st;
        }
        out[*count].used_ch = 0;
        (*count)++;
        mark(tg, &p, (uint8_t)(1u << x->nkept), x->used);
        x->kept[x->nkept++] = p;
    }
    return CR_OK;
}

enum cr_status
cr_router_alternatives(struct cr_router *r, const struct cr_place *a, const struct cr_place *b,
                       const struct cr_alt_options *o, struct cr_route *out, size_t *count,
                       struct cr_error *err)
{
    const struct cr_engine *en = cr_router_engine(r);
    const struct cr_turngraph *tg = en->tg;
    struct cr_place ab[2] = { *a, *b };
    struct cr_direct how;
    size_t want = o->alternatives < CR_ALT_MAX ? o->alternatives : CR_ALT_MAX;
    struct alt_run *x;
    enum cr_status st;

    *count = 0;
    if ((st = cr_router_route_places(r, ab, 2, &out[0], err)))
        return st;
    *count = 1;
    if (want == 0 || cr_direct_weight(a, b, &how) <= out[0].weight)
        return CR_OK; /* along one edge: nothing to choose */
    if (!(x = calloc(1, sizeof *x)))
        goto oom;
    cr_source_ends(en, a, &x->s);
    cr_target_ends(en, b, &x->t);
    x->w = malloc(((size_t)tg->g.arc_count + 1) * sizeof *x->w);
    x->used = calloc((size_t)en->view->edge_count + 1, 1);
    if (!x->w || !x->used)
        goto oom_x;
    memcpy(x->w, tg->g.weight, (size_t)tg->g.arc_count * sizeof *x->w);
    x->pg = tg->g;
    x->pg.weight = x->w;
    if (!(x->d = penalised_dijkstra(x, o->penalty, rounds_of(o, want))))
        goto oom_x;
    /* the best path on the real weights, for sharing and the detours */
    if (cr_dijkstra_run(cr_router_dijkstra(r), x->s.ep, x->s.n, x->t.ep, x->t.n) == CR_INF) {
        alt_run_free(x);
        return CR_OK;
    }
    if (path_take(cr_router_dijkstra(r), &tg->g, &x->s, &x->t, &x->kept[0])) {
        x->nkept = 1;
        goto oom_x;
    }
    x->nkept = 1;
    mark(tg, &x->kept[0], 1, x->used);
    penalize(tg, &x->kept[0], o->penalty, x->w);
    st = search_rounds(r, x, a, b, o, want, out, count, err);
    alt_run_free(x);
    if (st)
        goto fail;
    sort_alternatives(out, *count);
    return CR_OK;
oom_x:
    alt_run_free(x);
oom:
    st = cr_error_set(err, CR_ENOMEM, "alternatives: out of memory");
fail:
    for (size_t i = 0; i < *count; i++)
        cr_route_fini(&out[i]);
    *count = 0;
    return st;
}
