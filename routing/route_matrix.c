/*
 * Many-to-many matrices over a router: the weights (CH buckets, or one Dijkstra per source) and,
 * for tables, every measure of each cell carried with the search instead of unpacking a path per
 * cell: each turn-graph arc's measures (the turn and the whole edge it enters, as routes add
 * them), summed once per engine along every CH shortcut; a cell is then its source endpoint's
 * (the rest of the first edge and the first arc), the arcs of its path, and its target endpoint's
 * (minus what lies after the point on the last edge).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "routing/route_ends.h"

#define K 4 /* measures: struct cr_measures's int64_ts */
_Static_assert(sizeof(struct cr_measures) == K * sizeof(double), "cr_measures is 4 doubles");

struct cr_sums_cache {
    struct cr_engine_sums s;
    int64_t *tg, *ch;
    uint32_t *owner, *tail;
};

static pthread_mutex_t sums_lock = PTHREAD_MUTEX_INITIALIZER;

void
cr_engine_sums_free(struct cr_engine *e)
{
    struct cr_sums_cache *c = e->sums;
    if (!c)
        return;
    free(c->tg);
    free(c->ch);
    free(c->owner);
    free(c->tail);
    free(c);
    e->sums = NULL;
}

static struct cr_sums_cache *
sums_make(const struct cr_engine *e, struct cr_error *err)
{
    const struct cr_turngraph *tg = e->tg;
    const struct cr_wgraph *g = &tg->g;
    struct cr_sums_cache *c = calloc(1, sizeof *c);
    size_t sarcs = e->ch ? cr_ch_search_arc_count(e->ch) : 0;

    if (!c || !(c->tg = malloc(((size_t)g->arc_count * K + 1) * sizeof *c->tg)) ||
        !(c->tail = malloc(((size_t)g->arc_count + 1) * sizeof *c->tail)) ||
        (e->ch && (!(c->ch = malloc((sarcs * K + 1) * sizeof *c->ch)) ||
                   !(c->owner = malloc((sarcs + 1) * sizeof *c->owner)))))
        goto nomem;
    for (uint32_t x = 0; x < g->node_count; x++) {
        uint32_t prev = tg->edge_of[x % tg->base_count];
        for (uint32_t a = g->first_out[x]; a < g->first_out[x + 1]; a++) {
            uint32_t edge = tg->edge_of[g->head[a] % tg->base_count];
            c->tail[a] = x;
            cr_engine_piece_fix(e, edge, 0.0, 1.0, prev, c->tg + (size_t)a * K);
        }
    }
    if (e->ch && cr_ch_arc_sums(e->ch, c->tg, g->arc_count, K, c->ch, c->owner)) {
        cr_error_set(err, CR_EINVAL, "%s: hierarchy does not unpack (a shortcut's half is missing)",
                     e->profile.name);
        goto fail;
    }
    c->s = (struct cr_engine_sums){ c->tg, c->ch, c->owner, c->tail };
    return c;
nomem:
    cr_error_set(err, CR_ENOMEM, "%s: out of memory for the table's arc measures", e->profile.name);
fail:
    if (c) {
        free(c->tg);
        free(c->ch);
        free(c->owner);
        free(c->tail);
        free(c);
    }
    return NULL;
}

const struct cr_engine_sums *
cr_engine_sums_get(const struct cr_engine *e, struct cr_error *err)
{
    struct cr_sums_cache *c;

    pthread_mutex_lock(&sums_lock);
    if (!(c = e->sums) && (c = sums_make(e, err)))
        ((struct cr_engine *)e)->sums = c; /* made once, then read-only: the engine's cache */
    pthread_mutex_unlock(&sums_lock);
    return c ? &c->s : NULL;
}

/* ---- endpoint measures -------------------------------------------------------------------- */

static void
add4(int64_t *o, const int64_t *a, const int64_t *b)
{
    for (int c = 0; c < K; c++)
        o[c] = a[c] + b[c];
}

/* At each source endpoint: the rest of the place's edge, then the arc. */
static void
source_sums(const struct cr_engine *en, const struct cr_engine_sums *sm, const struct cr_place *p,
            const struct cr_ends *s, int64_t *out)
{
    for (size_t i = 0; i < s->n; i++) {
        int64_t rest[K];
        uint32_t edge = en->tg->edge_of[p->cand[s->cand[i]].node[s->dir[i]]];
        cr_engine_piece_fix(en, edge, cr_place_position(p, s->cand[i], s->dir[i]), 1.0, CR_INF,
                            rest);
        add4(out + i * K, rest, sm->tg + (size_t)s->arc[i] * K);
    }
}

/* At each target endpoint: the part of the edge after the point, taken off (the arcs into the
 * target paid the whole edge). */
static void
target_sums(const struct cr_engine *en, const struct cr_place *p, const struct cr_ends *t,
            int64_t *out)
{
    for (size_t i = 0; i < t->n; i++) {
        int64_t part[K], whole[K];
        uint32_t edge = en->tg->edge_of[p->cand[t->cand[i]].node[t->dir[i]]];
        cr_engine_piece_fix(en, edge, 0.0, cr_place_position(p, t->cand[i], t->dir[i]), CR_INF,
                            part);
        cr_engine_piece_fix(en, edge, 0.0, 1.0, CR_INF, whole);
        for (int c = 0; c < K; c++)
            out[i * K + c] = part[c] - whole[c];
    }
}

/* A cell along one edge: its piece, as routes measure it. */
static void
direct_sums(const struct cr_engine *en, const struct cr_place *a, const struct cr_place *b,
            const struct cr_direct *how, int64_t *out)
{
    cr_engine_piece_fix(en, en->tg->edge_of[a->cand[how->ca].node[how->dir]],
                        cr_place_position(a, how->ca, how->dir),
                        cr_place_position(b, how->cb, how->dir), CR_INF, out);
}

/* A target's candidate node, for finding the cells that may run along one edge. */
struct node_target {
    uint32_t node, j;
};

static int
node_target_cmp(const void *pa, const void *pb)
{
    const struct node_target *a = pa, *b = pb;
    return a->node != b->node ? (a->node < b->node ? -1 : 1) : (a->j > b->j) - (a->j < b->j);
}

/* The targets' endpoints (TENDS[nt]) and, with sums, their measures into *TSUMS by TFIRST. */
struct targets {
    struct cr_ends *ends;
    struct node_target *by_node; /* every candidate node of every target, sorted */
    size_t by_node_n;
    size_t *mark;    /* [nt] row + 1 when the row's source shares a candidate node with target j */
    uint32_t *first; /* [nt + 1] */
    int64_t *sums;   /* [K * endpoints] with measures */
};

static void
targets_fini(struct targets *t)
{
    free(t->ends);
    free(t->by_node);
    free(t->mark);
    free(t->first);
    free(t->sums);
}

static int
targets_init(struct targets *t, const struct cr_engine *en, const struct cr_place *targets,
             size_t nt, int with_sums)
{
    size_t k = 0;

    memset(t, 0, sizeof *t);
    t->ends = malloc((nt ? nt : 1) * sizeof *t->ends);
    t->first = malloc((nt + 1) * sizeof *t->first);
    t->by_node = malloc((nt * CR_PLACE_CANDIDATES * 2 + 1) * sizeof *t->by_node);
    t->mark = calloc(nt + 1, sizeof *t->mark);
    if (!t->ends || !t->first || !t->by_node || !t->mark)
        return -1;
    t->by_node_n = 0;
    for (size_t j = 0; j < nt; j++)
        for (uint32_t c = 0; c < targets[j].count; c++)
            for (int d = 0; d < 2; d++)
                if (targets[j].cand[c].node[d] != CR_INF)
                    t->by_node[t->by_node_n++] =
                        (struct node_target){ targets[j].cand[c].node[d], (uint32_t)j };
    qsort(t->by_node, t->by_node_n, sizeof *t->by_node, node_target_cmp);
    for (size_t j = 0; j < nt; j++) {
        cr_target_ends(en, &targets[j], &t->ends[j]);
        t->first[j] = (uint32_t)k;
        k += t->ends[j].n;
    }
    t->first[nt] = (uint32_t)k;
    if (!with_sums)
        return 0;
    if (!(t->sums = malloc((k * K + 1) * sizeof *t->sums)))
        return -1;
    for (size_t j = 0; j < nt; j++)
        target_sums(en, &targets[j], &t->ends[j], t->sums + (size_t)t->first[j] * K);
    return 0;
}

/* Marks (t->mark[j] = ROW + 1) the targets that share a candidate node with source P: only
 * those cells may run along one edge. */
static void
mark_row(const struct targets *t, const struct cr_place *p, size_t row)
{
    for (uint32_t c = 0; c < p->count; c++)
        for (int d = 0; d < 2; d++) {
            uint32_t x = p->cand[c].node[d];
            size_t lo = 0, hi = t->by_node_n;
            if (x == CR_INF)
                continue;
            while (lo < hi) { /* the first entry of node >= x */
                size_t mid = lo + (hi - lo) / 2;
                if (t->by_node[mid].node < x)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (; lo < t->by_node_n && t->by_node[lo].node == x; lo++)
                t->mark[t->by_node[lo].j] = row + 1;
        }
}

/* The cell (I, J) once the search's weight X (with the targets' offset, CR_INF: none) is known:
 * the direct way along one edge when it is as light (as routes take it). */
static void
finish_cell(const struct cr_engine *en, const struct cr_place *a, const struct cr_place *b,
            int shared, uint64_t via, uint64_t *out, int64_t *meas)
{
    struct cr_direct how = { 0, 0, 0 };
    uint64_t direct = shared ? cr_direct_weight(a, b, &how) : UINT64_MAX;
    *out = direct < via ? direct : via;
    if (meas && direct != UINT64_MAX && direct <= via)
        direct_sums(en, a, b, &how, meas);
}

static enum cr_status
ch_matrix(struct cr_router *r, const struct cr_engine_sums *sm, const struct cr_place *sources,
          size_t ns, const struct cr_place *targets, size_t nt, const struct targets *tg,
          uint64_t *out, int64_t *meas, unsigned threads, struct cr_error *err)
{
    const struct cr_engine *en = cr_router_engine(r);
    struct cr_endpoint *src = malloc((ns * MAX_ENDPOINTS + 1) * sizeof *src);
    struct cr_endpoint *dst = malloc(((size_t)tg->first[nt] + 1) * sizeof *dst);
    int64_t *ssum = meas ? malloc((ns * MAX_ENDPOINTS * K + 1) * sizeof *ssum) : NULL;
    uint32_t *src_first = malloc((ns + 1) * sizeof *src_first);
    uint32_t *w = malloc((ns * nt + 1) * sizeof *w);
    struct cr_ends s;
    size_t k = 0;
    enum cr_status st;

    if (!src || !dst || !src_first || !w || (meas && !ssum)) {
        st = cr_error_set(err, CR_ENOMEM, "out of memory for a %zu x %zu matrix", ns, nt);
        goto done;
    }
    for (size_t i = 0; i < ns; i++) {
        src_first[i] = (uint32_t)k;
        cr_source_ends(en, &sources[i], &s);
        memcpy(src + k, s.ep, s.n * sizeof *src);
        if (meas)
            source_sums(en, sm, &sources[i], &s, ssum + k * K);
        k += s.n;
    }
    src_first[ns] = (uint32_t)k;
    for (size_t j = 0; j < nt; j++)
        memcpy(dst + tg->first[j], tg->ends[j].ep, tg->ends[j].n * sizeof *dst);
    {
        struct cr_ch_sums sums = { K,    sm ? sm->ch : NULL, sm ? sm->owner : NULL,
                                   ssum, tg->sums,           meas };
        if ((st = cr_ch_many_to_many_sums(en->ch, src, src_first, ns, dst, tg->first, nt, w,
                                          meas ? &sums : NULL, threads, err)))
            goto done;
    }
    for (size_t i = 0; i < ns; i++) {
        mark_row(tg, &sources[i], i);
        for (size_t j = 0; j < nt; j++) {
            uint32_t x = w[i * nt + j];
            uint64_t via =
                x == CR_INF || x < tg->ends[j].offset ? UINT64_MAX : x - tg->ends[j].offset;
            finish_cell(en, &sources[i], &targets[j], tg->mark[j] == i + 1, via, &out[i * nt + j],
                        meas ? meas + (i * nt + j) * K : NULL);
        }
    }
done:
    free(src);
    free(dst);
    free(ssum);
    free(src_first);
    free(w);
    return st;
}

/* The measures of every node the last Dijkstra run settled, into AT[node * K]; SEQ[node] its
 * place in the settling order. */
static void
dijkstra_sums(const struct cr_dijkstra *d, const struct cr_engine_sums *sm, const struct cr_ends *s,
              const int64_t *ssum, int64_t *at, uint32_t *seq)
{
    size_t count;
    const uint32_t *order = cr_dijkstra_settled(d, &count);

    for (size_t i = 0; i < count; i++) {
        uint32_t x = order[i], p = cr_dijkstra_parent(d, x);
        seq[x] = (uint32_t)i;
        if (p != UINT32_MAX) {
            add4(at + (size_t)x * K, at + (size_t)sm->tail[p] * K, sm->tg + (size_t)p * K);
            continue;
        }
        for (size_t e = 0; e < s->n; e++) /* the first source endpoint with its distance */
            if (s->ep[e].node == x && s->ep[e].weight == cr_dijkstra_distance(d, x)) {
                memcpy(at + (size_t)x * K, ssum + e * K, K * sizeof *at);
                break;
            }
    }
}

/* One Dijkstra per source, every target read off it. Ties as a route's search breaks them: the
 * least (weight, second) (routing/tie.h), then the target node settled first, then its first
 * endpoint. */
static enum cr_status
dijkstra_matrix(struct cr_router *r, const struct cr_engine_sums *sm,
                const struct cr_place *sources, size_t ns, const struct cr_place *targets,
                size_t nt, const struct targets *tg, uint64_t *out, int64_t *meas,
                struct cr_error *err)
{
    const struct cr_engine *en = cr_router_engine(r);
    struct cr_dijkstra *d = cr_router_dijkstra(r);
    int64_t *at = NULL, ssum[MAX_ENDPOINTS * K];
    uint32_t *seq = NULL;
    struct cr_ends s;

    if (meas && cr_router_sum_scratch(r, &at, &seq))
        return cr_error_set(err, CR_ENOMEM, "out of memory for a %zu x %zu matrix", ns, nt);
    for (size_t i = 0; i < ns; i++) {
        cr_source_ends(en, &sources[i], &s);
        mark_row(tg, &sources[i], i);
        if (s.n) {
            cr_dijkstra_run(d, s.ep, s.n, NULL, 0);
            if (meas) {
                source_sums(en, sm, &sources[i], &s, ssum);
                dijkstra_sums(d, sm, &s, ssum, at, seq);
            }
        }
        for (size_t j = 0; j < nt; j++) {
            const struct cr_ends *t = &tg->ends[j];
            uint64_t best = UINT64_MAX;
            uint32_t best_second = UINT32_MAX;
            size_t at_k = SIZE_MAX;
            for (size_t k = 0; s.n && k < t->n; k++) {
                uint32_t dist = cr_dijkstra_distance(d, t->ep[k].node), sec;
                uint64_t total;
                if (dist == CR_INF)
                    continue;
                total = (uint64_t)dist + t->ep[k].weight;
                sec = cr_dijkstra_second(d, t->ep[k].node);
                if (total < best || (total == best && sec < best_second) ||
                    (meas && total == best && sec == best_second &&
                     seq[t->ep[k].node] < seq[t->ep[at_k].node])) {
                    best = total;
                    best_second = sec;
                    at_k = k;
                }
            }
            if (best != UINT64_MAX && meas)
                add4(meas + (i * nt + j) * K, at + (size_t)t->ep[at_k].node * K,
                     tg->sums + ((size_t)tg->first[j] + at_k) * K);
            finish_cell(en, &sources[i], &targets[j], tg->mark[j] == i + 1,
                        best == UINT64_MAX || best < t->offset ? UINT64_MAX : best - t->offset,
                        &out[i * nt + j], meas ? meas + (i * nt + j) * K : NULL);
        }
    }
    return CR_OK;
}

/* As a route does (route.c, keep_small_component): a cell whose two points both lie nearest to
 * one and the same small component stays in it, from and to the nearest segments there. */
static enum cr_status
small_component_cells(struct cr_router *r, const struct cr_place *sources, size_t ns,
                      const struct cr_place *targets, size_t nt, uint64_t *out, double *measures,
                      struct cr_error *err)
{
    for (size_t i = 0; i < ns; i++) {
        if (sources[i].small_comp == CR_INF)
            continue;
        for (size_t j = 0; j < nt; j++) {
            struct cr_place p[2] = { sources[i], targets[j] };
            enum cr_status st;
            if (targets[j].small_comp != sources[i].small_comp)
                continue;
            for (int k = 0; k < 2; k++) {
                p[k].cand[0] = p[k].nearest;
                p[k].count = 1;
                p[k].snap = p[k].nearest.snap;
                p[k].small_comp = CR_INF;
            }
            if ((st = cr_router_matrix_measures(r, &p[0], 1, &p[1], 1, &out[i * nt + j],
                                                measures ? measures + (i * nt + j) * K : NULL, 1,
                                                err)))
                return st;
        }
    }
    return CR_OK;
}

/* The matrix with conditional restrictions: one cr_router_cell per cell (the route's search,
 * time-dependent when a departure is set: every cell leaves at it). */
static enum cr_status
conditional_matrix(struct cr_router *r, const struct cr_place *sources, size_t ns,
                   const struct cr_place *targets, size_t nt, uint64_t *out, double *measures,
                   struct cr_error *err)
{
    for (size_t i = 0; i < ns; i++)
        for (size_t j = 0; j < nt; j++) {
            struct cr_cell c;
            enum cr_status st = cr_router_cell(r, &sources[i], &targets[j], &c, err);
            if (st)
                return st;
            out[i * nt + j] = c.weight;
            if (measures && c.weight != UINT64_MAX) {
                double *m = measures + (i * nt + j) * K;
                m[0] = c.distance_m;
                m[1] = c.duration_s;
                m[2] = c.cost;
                m[3] = c.co2_kg;
            }
        }
    return CR_OK;
}

enum cr_status
cr_router_matrix_measures(struct cr_router *r, const struct cr_place *sources, size_t ns,
                          const struct cr_place *targets, size_t nt, uint64_t *out,
                          double *measures, unsigned threads, struct cr_error *err)
{
    const struct cr_engine *en = cr_router_engine(r);
    const struct cr_engine_sums *sm = NULL;
    struct targets tg;
    enum cr_status st;

    if (ns && nt > SIZE_MAX / K / sizeof(int64_t) / ns)
        return cr_error_set(err, CR_EINVAL, "a matrix of %zu x %zu is too large", ns, nt);
    if (cr_router_conditional(r)) /* conditional restrictions: each cell's own search */
        return conditional_matrix(r, sources, ns, targets, nt, out, measures, err);
    if (measures && !(sm = cr_engine_sums_get(en, err)))
        return err ? err->code : CR_ENOMEM;
    if (targets_init(&tg, en, targets, nt, measures != NULL)) {
        targets_fini(&tg);
        return cr_error_set(err, CR_ENOMEM, "out of memory for a %zu x %zu matrix", ns, nt);
    }
    /* the sums in fixed point where the doubles go (malloc'd: the storage takes the type last
     * stored), then each reachable cell's turned into doubles in place */
    if (en->ch)
        st =
            ch_matrix(r, sm, sources, ns, targets, nt, &tg, out, (int64_t *)measures, threads, err);
    else
        st = dijkstra_matrix(r, sm, sources, ns, targets, nt, &tg, out, (int64_t *)measures, err);
    targets_fini(&tg);
    for (size_t c = 0; measures && st == CR_OK && c < ns * nt; c++)
        if (out[c] != UINT64_MAX)
            for (size_t k = 0; k < K; k++) {
                int64_t v = ((int64_t *)measures)[c * K + k];
                measures[c * K + k] = (double)v / CR_FIX_UNIT;
            }
    return st ? st : small_component_cells(r, sources, ns, targets, nt, out, measures, err);
}

enum cr_status
cr_router_matrix(struct cr_router *r, const struct cr_place *sources, size_t ns,
                 const struct cr_place *targets, size_t nt, uint64_t *out, struct cr_error *err)
{
    return cr_router_matrix_measures(r, sources, ns, targets, nt, out, NULL, 1, err);
}
