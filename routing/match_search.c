/* Bounded one-to-many searches for map matching's transitions (routing/match_search.h). */
#include "routing/match_search.h"

#include <stdlib.h>
#include <string.h>

#include "core/heap.h"
#include "routing/route_ends.h"

#define MAX_TARGETS (CR_MATCH_SEARCH_PLACES * MAX_ENDPOINTS)
#define CR_MATCH_SEARCH_PLACES 8

struct target {
    uint32_t node, j;
    uint32_t after;  /* weight of the target's edge after the point */
    int64_t rest_fx; /* its distance after the point (fixed point) */
};

struct cr_match_search {
    const struct cr_engine *e;
    const struct cr_engine_sums *sums;
    uint32_t n, now;
    uint32_t *stamp, *tstamp, *w, *pos;
    int64_t *d;
    struct cr_heap_item *items;
    struct target t[MAX_TARGETS];
    size_t tn;
};

struct cr_match_search *
cr_match_search_create(const struct cr_engine *e, struct cr_error *err)
{
    struct cr_match_search *s = calloc(1, sizeof *s);
    uint32_t n = e->tg->g.node_count;

    if (!s)
        goto oom;
    s->e = e;
    s->n = n;
    if (!(s->sums = cr_engine_sums_get(e, err))) {
        free(s);
        return NULL;
    }
    s->stamp = calloc((size_t)n + 1, sizeof *s->stamp);
    s->tstamp = calloc((size_t)n + 1, sizeof *s->tstamp);
    s->w = malloc(((size_t)n + 1) * sizeof *s->w);
    s->pos = malloc(((size_t)n + 1) * sizeof *s->pos);
    s->d = malloc(((size_t)n + 1) * sizeof *s->d);
    s->items = malloc(((size_t)n + 1) * sizeof *s->items);
    if (!s->stamp || !s->tstamp || !s->w || !s->pos || !s->d || !s->items)
        goto oom;
    return s;
oom:
    cr_match_search_destroy(s);
    cr_error_set(err, CR_ENOMEM, "%s: out of memory for map matching", e->profile.name);
    return NULL;
}

void
cr_match_search_destroy(struct cr_match_search *s)
{
    if (!s)
        return;
    free(s->stamp);
    free(s->tstamp);
    free(s->w);
    free(s->pos);
    free(s->d);
    free(s->items);
    free(s);
}

static void
next_stamp(struct cr_match_search *s)
{
    if (++s->now == 0) {
        memset(s->stamp, 0, (size_t)s->n * sizeof *s->stamp);
        memset(s->tstamp, 0, (size_t)s->n * sizeof *s->tstamp);
        s->now = 1;
    }
}

/* Every node on which a route to one of the places B ends, with what to take off there. */
static void
collect_targets(struct cr_match_search *s, const struct cr_place *b, size_t nb)
{
    const struct cr_engine *e = s->e;
    struct cr_ends t;

    s->tn = 0;
    for (size_t j = 0; j < nb; j++) {
        cr_target_ends(e, &b[j], &t);
        for (size_t k = 0; k < t.n && s->tn < MAX_TARGETS; k++) {
            const struct cr_place_candidate *c = &b[j].cand[t.cand[k]];
            int64_t part[4], whole[4];
            uint32_t edge = e->tg->edge_of[c->node[t.dir[k]]];
            cr_engine_piece_fix(e, edge, 0.0, cr_place_position(&b[j], t.cand[k], t.dir[k]), 0,
                                part);
            cr_engine_piece_fix(e, edge, 0.0, 1.0, 0, whole);
            s->t[s->tn++] = (struct target){ t.ep[k].node, (uint32_t)j, c->after[t.dir[k]],
                                             whole[0] - part[0] };
        }
    }
}

static void
reach(struct cr_match_search *s, struct cr_heap *hp, uint32_t x, uint32_t w, int64_t d)
{
    if (s->stamp[x] != s->now) {
        s->stamp[x] = s->now;
        s->w[x] = w;
        s->d[x] = d;
        cr_heap_push(hp, s->pos, 1, x, w);
    } else if (s->pos[x] != CR_HEAP_SETTLED && w < s->w[x]) {
        s->w[x] = w;
        s->d[x] = d;
        cr_heap_decrease(hp, s->pos, 1, x, w);
    }
}

/* One search from place A to the targets; their cells of row W and DIST. */
static void
search_from(struct cr_match_search *s, const struct cr_place *a, int64_t bound_fx, uint64_t *w,
            double *dist)
{
    const struct cr_engine *e = s->e;
    const struct cr_wgraph *g = &e->tg->g;
    struct cr_heap hp = { s->items, 0 };
    struct cr_ends src;
    size_t left = 0;

    next_stamp(s);
    for (size_t k = 0; k < s->tn; k++)
        if (s->tstamp[s->t[k].node] != s->now) {
            s->tstamp[s->t[k].node] = s->now;
            left++;
        }
    cr_source_ends(e, a, &src);
    for (size_t k = 0; k < src.n; k++) {
        const struct cr_place_candidate *c = &a->cand[src.cand[k]];
        int64_t rest[4];
        cr_engine_piece_fix(e, e->tg->edge_of[c->node[src.dir[k]]],
                            cr_place_position(a, src.cand[k], src.dir[k]), 1.0, 0, rest);
        /* the bound applies where an edge starts: its whole length is paid on entering it */
        if (rest[0] <= bound_fx)
            reach(s, &hp, src.ep[k].node, src.ep[k].weight,
                  rest[0] + s->sums->tg[(size_t)src.arc[k] * 4]);
    }
    while (hp.size > 0 && left > 0) {
        struct cr_heap_item top = cr_heap_pop(&hp, s->pos, 1);
        uint32_t x = top.node;
        if (s->tstamp[x] == s->now) {
            s->tstamp[x] = 0;
            left--;
            for (size_t k = 0; k < s->tn; k++) {
                const struct target *t = &s->t[k];
                uint64_t total;
                if (t->node != x || s->w[x] < t->after)
                    continue;
                total = (uint64_t)s->w[x] - t->after;
                if (total < w[t->j]) {
                    w[t->j] = total;
                    dist[t->j] = (double)(s->d[x] - t->rest_fx) / CR_FIX_UNIT;
                }
            }
        }
        if (s->d[x] > bound_fx) /* the end of x's edge lies beyond the bound */
            continue;
        for (uint32_t arc = g->first_out[x]; arc < g->first_out[x + 1]; arc++) {
            uint64_t nw = (uint64_t)s->w[x] + g->weight[arc];
            if (nw < CR_INF)
                reach(s, &hp, g->head[arc], (uint32_t)nw, s->d[x] + s->sums->tg[(size_t)arc * 4]);
        }
    }
}

void
cr_match_search_run(struct cr_match_search *s, const struct cr_place *a, size_t na,
                    const struct cr_place *b, size_t nb, double bound_m, uint64_t *w,
                    double *dist_m)
{
    int64_t bound_fx = bound_m < 1e9 ? cr_fix(bound_m) : INT64_MAX / 2;

    collect_targets(s, b, nb);
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            struct cr_direct how;
            uint64_t direct = cr_direct_weight(&a[i], &b[j], &how);
            w[i * nb + j] = UINT64_MAX;
            dist_m[i * nb + j] = 0;
            if (direct != UINT64_MAX) {
                struct cr_measures m;
                cr_engine_piece(s->e, s->e->tg->edge_of[a[i].cand[how.ca].node[how.dir]],
                                cr_place_position(&a[i], how.ca, how.dir),
                                cr_place_position(&b[j], how.cb, how.dir), 0, &m);
                w[i * nb + j] = direct;
                dist_m[i * nb + j] = m.distance_m;
            }
        }
        search_from(s, &a[i], bound_fx, w + i * nb, dist_m + i * nb);
    }
}
