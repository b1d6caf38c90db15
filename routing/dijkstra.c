/*
 * Plain Dijkstra over a struct cr_wgraph: a 4-ary heap with decrease-key through a position
 * array, per-node state reset by bumping a timestamp (RoutingKit's TimestampFlags), several
 * sources and targets with initial weights. Weights are < CR_INF; a sum reaching CR_INF counts
 * as unreachable.
 */
#include "routing/dijkstra.h"

#include <stdlib.h>
#include <string.h>

#define NO_ARC UINT32_MAX

struct node_state {
    uint32_t stamp;  /* reached in the run with this timestamp */
    uint32_t dist;   /* tentative, final once settled */
    uint32_t parent; /* arc into the node, NO_ARC at a source */
    uint32_t pos;    /* index in the heap while queued */
};

struct heap_item {
    uint32_t key, node;
};

struct cr_dijkstra {
    struct cr_wgraph g; /* arrays borrowed */
    struct node_state *st;
    uint32_t *target_stamp, *target_weight; /* smallest initial weight of a target node */
    struct heap_item *heap;
    uint32_t heap_size;
    uint32_t now;
    /* the last run */
    struct cr_endpoint *sources, *targets; /* copies, for cr_dijkstra_path's indices */
    size_t ns, nt, sources_cap, targets_cap;
    uint32_t best, best_node;
};

/* ---- 4-ary min-heap over (key, node); st[node].pos tracks positions ---- */

static void
heap_sift_up(struct cr_dijkstra *d, uint32_t i, struct heap_item it)
{
    while (i > 0) {
        uint32_t p = (i - 1) / 4;
        if (d->heap[p].key <= it.key)
            break;
        d->heap[i] = d->heap[p];
        d->st[d->heap[i].node].pos = i;
        i = p;
    }
    d->heap[i] = it;
    d->st[it.node].pos = i;
}

static void
heap_sift_down(struct cr_dijkstra *d, uint32_t i, struct heap_item it)
{
    for (;;) {
        uint32_t c = 4 * i + 1, best, end;
        if (c >= d->heap_size)
            break;
        best = c;
        end = c + 4 < d->heap_size ? c + 4 : d->heap_size;
        for (uint32_t k = c + 1; k < end; k++)
            if (d->heap[k].key < d->heap[best].key)
                best = k;
        if (d->heap[best].key >= it.key)
            break;
        d->heap[i] = d->heap[best];
        d->st[d->heap[i].node].pos = i;
        i = best;
    }
    d->heap[i] = it;
    d->st[it.node].pos = i;
}

static struct heap_item
heap_pop(struct cr_dijkstra *d)
{
    struct heap_item top = d->heap[0];
    d->heap_size--;
    if (d->heap_size > 0)
        heap_sift_down(d, 0, d->heap[d->heap_size]);
    return top;
}

/* Reaches NODE with DIST: queues it or lowers its key. Returns 1 when the distance improved. */
static int
reach(struct cr_dijkstra *d, uint32_t node, uint32_t dist, uint32_t parent)
{
    struct node_state *s = &d->st[node];
    if (s->stamp != d->now) {
        s->stamp = d->now;
        s->dist = dist;
        s->parent = parent;
        heap_sift_up(d, d->heap_size++, (struct heap_item){ .key = dist, .node = node });
        return 1;
    }
    if (dist >= s->dist || s->pos == UINT32_MAX)
        return 0;
    s->dist = dist;
    s->parent = parent;
    heap_sift_up(d, s->pos, (struct heap_item){ .key = dist, .node = node });
    return 1;
}

struct cr_dijkstra *
cr_dijkstra_create(const struct cr_wgraph *g)
{
    struct cr_dijkstra *d = calloc(1, sizeof *d);
    size_t n = g->node_count ? g->node_count : 1;
    if (!d)
        return NULL;
    d->g = *g;
    d->st = calloc(n, sizeof *d->st);
    d->target_stamp = calloc(n, sizeof *d->target_stamp);
    d->target_weight = calloc(n, sizeof *d->target_weight);
    d->heap = malloc(n * sizeof *d->heap);
    if (!d->st || !d->target_stamp || !d->target_weight || !d->heap) {
        cr_dijkstra_destroy(d);
        return NULL;
    }
    d->best = CR_INF;
    d->best_node = CR_INF;
    return d;
}

void
cr_dijkstra_destroy(struct cr_dijkstra *d)
{
    if (!d)
        return;
    free(d->st);
    free(d->target_stamp);
    free(d->target_weight);
    free(d->heap);
    free(d->sources);
    free(d->targets);
    free(d);
}

static int
keep_copy(struct cr_endpoint **dst, size_t *cap, const struct cr_endpoint *src, size_t n)
{
    if (n > *cap) {
        struct cr_endpoint *p = realloc(*dst, n * sizeof *p);
        if (!p)
            return -1;
        *dst = p;
        *cap = n;
    }
    if (n)
        memcpy(*dst, src, n * sizeof *src);
    return 0;
}

static void
next_timestamp(struct cr_dijkstra *d)
{
    if (++d->now == 0) { /* wrapped: forget every old stamp once */
        for (uint32_t i = 0; i < d->g.node_count; i++)
            d->st[i].stamp = d->target_stamp[i] = 0;
        d->now = 1;
    }
}

uint32_t
cr_dijkstra_run(struct cr_dijkstra *d, const struct cr_endpoint *sources, size_t ns,
                const struct cr_endpoint *targets, size_t nt)
{
    const uint32_t n = d->g.node_count;
    const uint32_t *first_out = d->g.first_out, *head = d->g.head, *weight = d->g.weight;
    uint64_t best = CR_INF;
    uint32_t best_node = CR_INF;

    next_timestamp(d);
    d->heap_size = 0;
    d->best = CR_INF;
    d->best_node = CR_INF;
    /* without the copies, the path's indices are unknown: report no path rather than guess */
    if (keep_copy(&d->sources, &d->sources_cap, sources, ns) ||
        keep_copy(&d->targets, &d->targets_cap, targets, nt)) {
        d->ns = d->nt = 0;
        return CR_INF;
    }
    d->ns = ns;
    d->nt = nt;

    for (size_t i = 0; i < nt; i++) {
        uint32_t t = targets[i].node;
        if (t >= n || targets[i].weight >= CR_INF)
            continue;
        if (d->target_stamp[t] != d->now || targets[i].weight < d->target_weight[t]) {
            d->target_stamp[t] = d->now;
            d->target_weight[t] = targets[i].weight;
        }
    }
    for (size_t i = 0; i < ns; i++)
        if (sources[i].node < n && sources[i].weight < CR_INF)
            reach(d, sources[i].node, sources[i].weight, NO_ARC);

    while (d->heap_size > 0) {
        struct heap_item top;
        if (d->heap[0].key >= best)
            break;
        top = heap_pop(d);
        d->st[top.node].pos = UINT32_MAX; /* settled */
        if (d->target_stamp[top.node] == d->now) {
            uint64_t cand = (uint64_t)top.key + d->target_weight[top.node];
            if (cand < best) {
                best = cand;
                best_node = top.node;
            }
        }
        for (uint32_t a = first_out[top.node]; a < first_out[top.node + 1]; a++) {
            uint64_t nd = (uint64_t)top.key + weight[a];
            if (nd < CR_INF)
                reach(d, head[a], (uint32_t)nd, a);
        }
    }
    if (nt == 0)
        return CR_INF;
    d->best = (uint32_t)best;
    d->best_node = best_node;
    return d->best;
}

uint32_t
cr_dijkstra_distance(const struct cr_dijkstra *d, uint32_t node)
{
    if (node >= d->g.node_count || d->st[node].stamp != d->now)
        return CR_INF;
    return d->st[node].dist;
}

/* The tail of arc A: the last node whose first_out is <= A. */
static uint32_t
arc_tail(const struct cr_wgraph *g, uint32_t a)
{
    uint32_t lo = 0, hi = g->node_count; /* first_out[lo] <= a < first_out[hi] */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (g->first_out[mid] <= a)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

size_t
cr_dijkstra_path(const struct cr_dijkstra *d, uint32_t *arcs, size_t cap, size_t *source_index,
                 size_t *target_index)
{
    size_t count = 0, i;
    uint32_t x;

    if (source_index)
        *source_index = SIZE_MAX;
    if (target_index)
        *target_index = SIZE_MAX;
    if (d->best >= CR_INF)
        return 0;
    for (x = d->best_node; d->st[x].parent != NO_ARC; x = arc_tail(&d->g, d->st[x].parent))
        count++;
    if (source_index)
        for (i = 0; i < d->ns; i++)
            if (d->sources[i].node == x && d->sources[i].weight == d->st[x].dist) {
                *source_index = i;
                break;
            }
    if (target_index)
        for (i = 0; i < d->nt; i++)
            if (d->targets[i].node == d->best_node &&
                d->targets[i].weight == d->target_weight[d->best_node]) {
                *target_index = i;
                break;
            }
    i = count;
    for (x = d->best_node; d->st[x].parent != NO_ARC; x = arc_tail(&d->g, d->st[x].parent)) {
        i--;
        if (i < cap)
            arcs[i] = d->st[x].parent;
    }
    return count;
}
