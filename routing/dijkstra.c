/*
 * Plain Dijkstra over a struct cr_wgraph: per-node state reset by bumping a timestamp
 * (RoutingKit's TimestampFlags), several sources and targets with initial weights, stopping once
 * the smallest queued key passes the best target weight. Weights are < CR_INF; a sum reaching
 * CR_INF counts as unreachable.
 *
 * The queue is Dial's bucket queue when the graph's largest arc weight is small (below
 * DIAL_MAX_BUCKETS; road turn graphs by time: a few thousand deciseconds): a circular array of
 * bucket lists indexed by key modulo a power of two above that weight, every queued key lying
 * within one turn of the smallest, with a bitmap of the non-empty buckets; the lists are
 * intrusive and doubly linked, so decrease-key is an unlink and a link and a run allocates
 * nothing. Otherwise (and for sources whose initial weights spread wider than the array) a 4-ary
 * heap with decrease-key through a position array. Both settle nodes in key order.
 *
 * Ties: each node's label is (dist, second) (routing/tie.h: the path's weight and its weight in
 * the tie metric, the graph's second array; a source starts with its node_second), compared
 * lexicographically; the queues are keyed by
 * dist alone, and a label of the same dist with a smaller second replaces the node's parent
 * without moving it. As every arc weighs at least 1 (the turn graph's), a node taken out has its
 * least label whatever the order among equal keys, so both queues find the same path: the one of
 * least second among those of least weight (the CH's too: ch_search.h). The search runs on until
 * the smallest key is above the best target's (not at it), so that a target reached at the same
 * weight with a smaller second is still seen.
 */
#include "routing/dijkstra.h"

#include <stdlib.h>
#include <string.h>

#include "core/heap.h"
#include "routing/tie.h"

#define NO_ARC UINT32_MAX
#define NIL UINT32_MAX            /* end of a bucket list; heap position of a node not queued */
#define AT_HEAD UINT32_MAX        /* prev of a bucket's first node */
#define SETTLED (UINT32_MAX - 1u) /* prev (bucket queue) of a settled node */
#define DIAL_MAX_BUCKETS (1u << 20)

struct node_state {
    uint32_t stamp;  /* reached in the run with this timestamp */
    uint32_t dist;   /* tentative (the queue key), final once settled */
    uint32_t parent; /* arc into the node, NO_ARC at a source */
    uint32_t next;   /* bucket queue: next in the bucket; heap: position, NIL once settled */
    uint32_t prev;   /* bucket queue: previous in the bucket, AT_HEAD, or SETTLED */
    uint32_t second; /* the tie-break beside dist (routing/tie.h) */
};

struct cr_dijkstra {
    struct cr_wgraph g; /* arrays borrowed */
    struct node_state *st;
    uint32_t *target_stamp, *target_weight; /* smallest initial weight of a target node */
    /* 4-ary heap */
    struct cr_heap heap;
    /* bucket queue: buckets == 0 when the weights are too large for one */
    uint32_t buckets, mask; /* a power of two above the largest arc weight, and it - 1 */
    uint32_t *bucket;       /* [buckets] first node, NIL when empty */
    uint64_t *bits;         /* [buckets / 64] non-empty buckets */
    uint32_t cursor;        /* key of the last node taken out */
    uint32_t queued;        /* nodes in the buckets */
    uint32_t now;
    /* the last run */
    struct cr_endpoint *sources, *targets; /* copies, for cr_dijkstra_path's indices */
    size_t ns, nt, sources_cap, targets_cap;
    uint32_t best, best_node;
    uint32_t *order; /* [node_count] the nodes settled by the last run, in order */
    uint32_t settled;
};

/* ---- the 4-ary heap of core/heap.h; st[node].next is the position, so the position array is
 * st's next words, a node_state apart ---- */

#define HEAP_STRIDE (sizeof(struct node_state) / sizeof(uint32_t))
_Static_assert(sizeof(struct node_state) % sizeof(uint32_t) == 0, "node_state is whole words");

static inline uint32_t
heap_pop(struct cr_dijkstra *d)
{
    return cr_heap_pop(&d->heap, &d->st[0].next, HEAP_STRIDE).node;
}

static inline void
heap_reach(struct cr_dijkstra *d, uint32_t node, uint32_t dist, uint32_t second, uint32_t parent)
{
    struct node_state *s = &d->st[node];
    if (s->stamp != d->now) {
        s->stamp = d->now;
        s->dist = dist;
        s->second = second;
        s->parent = parent;
        cr_heap_push(&d->heap, &d->st[0].next, HEAP_STRIDE, node, dist);
        return;
    }
    if (dist > s->dist || s->next == NIL || (dist == s->dist && second >= s->second))
        return;
    s->second = second;
    s->parent = parent;
    if (dist == s->dist) /* a tie broken by the second: the key stays */
        return;
    s->dist = dist;
    cr_heap_decrease(&d->heap, &d->st[0].next, HEAP_STRIDE, node, dist);
}

/* ---- Dial's bucket queue: node x with key k is in bucket k & mask; every queued key lies in
 * [cursor, cursor + buckets) ---- */

static inline uint32_t
lowest_bit(uint64_t x) /* x > 0 */
{
#if defined(__GNUC__)
    return (uint32_t)__builtin_ctzll(x);
#else
    uint32_t b = 0;
    while (!(x & 1)) {
        b++;
        x >>= 1;
    }
    return b;
#endif
}

static inline void
bucket_link(struct cr_dijkstra *d, uint32_t node, uint32_t key)
{
    struct node_state *s = &d->st[node];
    uint32_t b = key & d->mask, first = d->bucket[b];
    s->next = first;
    s->prev = AT_HEAD;
    if (first != NIL)
        d->st[first].prev = node;
    else
        d->bits[b >> 6] |= (uint64_t)1 << (b & 63);
    d->bucket[b] = node;
    d->queued++;
}

static inline void
bucket_unlink(struct cr_dijkstra *d, uint32_t node)
{
    struct node_state *s = &d->st[node];
    if (s->prev == AT_HEAD) {
        uint32_t b = s->dist & d->mask;
        d->bucket[b] = s->next;
        if (s->next == NIL)
            d->bits[b >> 6] &= ~((uint64_t)1 << (b & 63));
    } else {
        d->st[s->prev].next = s->next;
    }
    if (s->next != NIL)
        d->st[s->next].prev = s->prev;
    d->queued--;
}

/* The first non-empty bucket at or after the cursor's (d->queued > 0), circularly. */
static inline uint32_t
bucket_next(const struct cr_dijkstra *d)
{
    uint32_t b = d->cursor & d->mask, w = b >> 6, words = d->buckets >> 6;
    uint64_t bits = d->bits[w] & (~(uint64_t)0 << (b & 63));
    while (!bits) {
        w = w + 1 == words ? 0 : w + 1;
        bits = d->bits[w];
    }
    return (w << 6) | lowest_bit(bits);
}

/* Takes out a node of the smallest key (d->queued > 0) and marks it settled. */
static inline uint32_t
bucket_pop(struct cr_dijkstra *d)
{
    uint32_t b = bucket_next(d), x = d->bucket[b];
    struct node_state *s = &d->st[x];
    d->bucket[b] = s->next;
    if (s->next == NIL)
        d->bits[b >> 6] &= ~((uint64_t)1 << (b & 63));
    else
        d->st[s->next].prev = AT_HEAD;
    d->queued--;
    s->prev = SETTLED;
    d->cursor = s->dist;
    return x;
}

/* Empties the buckets after a run that stopped early. */
static void
bucket_clear(struct cr_dijkstra *d)
{
    while (d->queued > 0) {
        uint32_t b = bucket_next(d);
        for (uint32_t x = d->bucket[b]; x != NIL; x = d->st[x].next)
            d->queued--;
        d->bucket[b] = NIL;
        d->bits[b >> 6] &= ~((uint64_t)1 << (b & 63));
    }
}

static inline void
bucket_reach(struct cr_dijkstra *d, uint32_t node, uint32_t dist, uint32_t second, uint32_t parent)
{
    struct node_state *s = &d->st[node];
    if (s->stamp != d->now) {
        s->stamp = d->now;
    } else {
        if (dist > s->dist || s->prev == SETTLED || (dist == s->dist && second >= s->second))
            return;
        if (dist == s->dist) { /* a tie broken by the second: the bucket stays */
            s->second = second;
            s->parent = parent;
            return;
        }
        bucket_unlink(d, node);
    }
    s->dist = dist;
    s->second = second;
    s->parent = parent;
    bucket_link(d, node, dist);
}

struct cr_dijkstra *
cr_dijkstra_create(const struct cr_wgraph *g)
{
    struct cr_dijkstra *d = calloc(1, sizeof *d);
    size_t n = g->node_count ? g->node_count : 1;
    uint32_t max_weight = 0;
    if (!d)
        return NULL;
    d->g = *g;
    d->st = calloc(n, sizeof *d->st);
    d->target_stamp = calloc(n, sizeof *d->target_stamp);
    d->target_weight = calloc(n, sizeof *d->target_weight);
    d->heap.h = malloc(n * sizeof *d->heap.h);
    d->order = malloc(n * sizeof *d->order);
    if (!d->st || !d->target_stamp || !d->target_weight || !d->heap.h || !d->order) {
        cr_dijkstra_destroy(d);
        return NULL;
    }
    for (uint32_t a = 0; a < g->arc_count; a++)
        if (g->weight[a] > max_weight)
            max_weight = g->weight[a];
    if (max_weight < DIAL_MAX_BUCKETS) {
        uint32_t b = 256;
        while (b <= max_weight)
            b *= 2;
        d->bucket = malloc(b * sizeof *d->bucket);
        d->bits = calloc(b / 64, sizeof *d->bits);
        if (d->bucket && d->bits) { /* else the heap does it all */
            d->buckets = b;
            d->mask = b - 1;
            memset(d->bucket, 0xff, b * sizeof *d->bucket); /* NIL */
        }
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
    free(d->heap.h);
    free(d->order);
    free(d->bucket);
    free(d->bits);
    free(d->sources);
    free(d->targets);
    free(d);
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

/* Offers settled node X as a target: *BEST is the least (weight, second) label so far. */
static inline void
at_target(const struct cr_dijkstra *d, uint32_t x, uint64_t *best, uint32_t *best_node)
{
    if (d->target_stamp[x] == d->now && (uint64_t)d->st[x].dist + d->target_weight[x] < CR_INF) {
        uint64_t cand = cr_tie_key(d->st[x].dist + d->target_weight[x], d->st[x].second);
        if (cand < *best) {
            *best = cand;
            *best_node = x;
        }
    }
}

uint32_t
cr_dijkstra_run(struct cr_dijkstra *d, const struct cr_endpoint *sources, size_t ns,
                const struct cr_endpoint *targets, size_t nt)
{
    const uint32_t n = d->g.node_count;
    const uint32_t *first_out = d->g.first_out, *head = d->g.head, *weight = d->g.weight;
    const uint32_t *second = d->g.second;
    uint64_t best = CR_TIE_NONE;
    uint32_t best_node = CR_INF, lo = CR_INF, hi = 0;
    int use_buckets;

    next_timestamp(d);
    d->heap.size = 0;
    d->best = CR_INF;
    d->best_node = CR_INF;
    d->settled = 0;
    /* without the copies, the path's indices are unknown: report no path rather than guess */
    if (cr_endpoints_keep(&d->sources, &d->sources_cap, sources, ns) ||
        cr_endpoints_keep(&d->targets, &d->targets_cap, targets, nt)) {
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
        if (sources[i].node < n && sources[i].weight < CR_INF) {
            lo = sources[i].weight < lo ? sources[i].weight : lo;
            hi = sources[i].weight > hi ? sources[i].weight : hi;
        }
    /* the buckets hold keys within one turn of the smallest: so must the sources' */
    use_buckets = d->buckets > 0 && (lo == CR_INF || hi - lo < d->buckets);

    if (use_buckets) {
        d->cursor = lo == CR_INF ? 0 : lo;
        for (size_t i = 0; i < ns; i++)
            if (sources[i].node < n && sources[i].weight < CR_INF)
                bucket_reach(d, sources[i].node, sources[i].weight,
                             cr_tie_second(d->g.node_second, sources[i].node), NO_ARC);
        while (d->queued > 0) {
            uint32_t x = bucket_pop(d), key = d->st[x].dist, sx = d->st[x].second;
            if (key > cr_tie_weight(best))
                break;
            d->order[d->settled++] = x;
            at_target(d, x, &best, &best_node);
            for (uint32_t a = first_out[x]; a < first_out[x + 1]; a++) {
                uint64_t nd = (uint64_t)key + weight[a];
                if (nd < CR_INF)
                    bucket_reach(d, head[a], (uint32_t)nd, cr_tie_add(sx, cr_tie_second(second, a)),
                                 a);
            }
        }
        bucket_clear(d);
    } else {
        for (size_t i = 0; i < ns; i++)
            if (sources[i].node < n && sources[i].weight < CR_INF)
                heap_reach(d, sources[i].node, sources[i].weight,
                           cr_tie_second(d->g.node_second, sources[i].node), NO_ARC);
        while (d->heap.size > 0) {
            uint32_t x, key = d->heap.h[0].key, sx;
            if (key > cr_tie_weight(best))
                break;
            x = heap_pop(d);
            sx = d->st[x].second;
            d->order[d->settled++] = x;
            at_target(d, x, &best, &best_node);
            for (uint32_t a = first_out[x]; a < first_out[x + 1]; a++) {
                uint64_t nd = (uint64_t)key + weight[a];
                if (nd < CR_INF)
                    heap_reach(d, head[a], (uint32_t)nd, cr_tie_add(sx, cr_tie_second(second, a)),
                               a);
            }
        }
    }
    if (nt == 0 || best == CR_TIE_NONE)
        return CR_INF;
    d->best = cr_tie_weight(best);
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

uint32_t
cr_dijkstra_second(const struct cr_dijkstra *d, uint32_t node)
{
    if (node >= d->g.node_count || d->st[node].stamp != d->now)
        return UINT32_MAX;
    return d->st[node].second;
}

const uint32_t *
cr_dijkstra_settled(const struct cr_dijkstra *d, size_t *count)
{
    *count = d->settled;
    return d->order;
}

uint32_t
cr_dijkstra_parent(const struct cr_dijkstra *d, uint32_t node)
{
    if (node >= d->g.node_count || d->st[node].stamp != d->now)
        return UINT32_MAX;
    return d->st[node].parent;
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
