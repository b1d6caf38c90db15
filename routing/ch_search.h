/*
 * The CH's upward searches, shared by point-to-point queries (ch_query.c) and many-to-many
 * (ch_m2m.c): per-thread query state, seeding, and settling a node with stall-on-demand. Inline:
 * this is the hot path of every query.
 */
#ifndef CR_ROUTING_CH_SEARCH_H
#define CR_ROUTING_CH_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/heap.h"
#include "routing/ch_internal.h"
#include "routing/tie.h"

enum { FWD = 0, BWD = 1 };

/* One CH arc: from owner rank with index into up (dir FWD) or down (dir BWD) arrays. */
struct charc {
    uint32_t dir, owner, index;
};

/*
 * Per-node state, side by side for both searches (index 2 * rank + side) so the stall and
 * meeting checks read one small array: dist is CR_INF when not reached, and the nodes a search
 * touched are reset afterwards (a list, not a timestamp: no stamp word to read per arc).
 *
 * Ties (routing/tie.h): each node's label is (dist, second); the heaps are keyed by dist, a label
 * of the same dist and a smaller second replaces the parent in place, and as every arc weighs at
 * least 1 a settled node has its least label. Stalling compares dists only (a node is stalled
 * only when a strictly lighter path reaches it, so never one on the least (dist, second) path).
 */
struct cr_ch_query {
    const struct cr_ch *ch;
    uint32_t *dist;   /* [2n] */
    uint32_t *second; /* [2n] the tie-break beside dist */
    uint32_t *parent; /* [2n] FWD: up arc into the node; BWD: down arc; NO_ARC at an endpoint */
    uint32_t *pos;    /* [2n] heap position, UINT32_MAX once settled */
    uint32_t *touched;
    uint32_t touched_len;
    uint8_t *bucket; /* [n] point-to-point: 1 where the backward search settled (not stalled) */
    struct cr_heap heap[2];
    uint32_t best, meet;
    struct cr_endpoint *ends[2]; /* copies of the last run's sources and targets */
    size_t count[2], cap[2];
    struct charc *stack;
    size_t stack_cap;
};

static inline void
query_reset(struct cr_ch_query *q)
{
    for (uint32_t i = 0; i < q->touched_len; i++) {
        uint32_t x = q->touched[i];
        q->dist[2 * x] = q->dist[2 * x + 1] = CR_INF;
        q->bucket[x] = 0;
    }
    q->touched_len = 0;
    q->heap[FWD].size = q->heap[BWD].size = 0;
}

/* Queues rank X on side D with (DIST, SECOND), or lowers its label. */
static CR_HOT_INLINE void
reach(struct cr_ch_query *q, int d, uint32_t x, uint32_t dist, uint32_t second, uint32_t parent)
{
    uint32_t *dx = &q->dist[2 * x + d];
    if (dist > *dx)
        return;
    if (*dx == CR_INF) {
        if (q->dist[2 * x + !d] == CR_INF)
            q->touched[q->touched_len++] = x;
        *dx = dist;
        q->second[2 * x + d] = second;
        q->parent[2 * x + d] = parent;
        CR_PREFETCH(&q->ch->snode[x]); /* read when x is settled, likely a cache miss otherwise */
        cr_heap_push(&q->heap[d], q->pos + d, 2, x, dist);
    } else if (dist < *dx) {
        *dx = dist;
        q->second[2 * x + d] = second;
        q->parent[2 * x + d] = parent;
        cr_heap_decrease(&q->heap[d], q->pos + d, 2, x, dist);
    } else if (second < q->second[2 * x + d] && q->pos[2 * x + d] != UINT32_MAX) {
        q->second[2 * x + d] = second; /* a tie broken by the second: the key stays */
        q->parent[2 * x + d] = parent;
    }
}

/* Seeds side D with the endpoints (skipping bad ones); a source with its node's second, as
 * Dijkstra starts it (routing/dijkstra.c). */
static inline void
seed(struct cr_ch_query *q, int d, const struct cr_endpoint *e, size_t n)
{
    const struct cr_ch_arrays *a = &q->ch->a;
    const uint32_t *ns = d == FWD ? q->ch->node_second : NULL;
    for (size_t i = 0; i < n; i++)
        if (e[i].node < a->node_count && e[i].weight < CR_INF)
            reach(q, d, a->rank[e[i].node], e[i].weight, cr_tie_second(ns, e[i].node), NO_ARC);
}

/* Settles the minimum of side D: returns its rank, or UINT32_MAX when stalled (a higher node
 * reaches it shorter, so its arcs need not be relaxed). On return *dist holds its distance. */
static CR_HOT_INLINE uint32_t
settle(struct cr_ch_query *q, int d, uint32_t *dist, uint64_t *best, uint32_t *meet)
{
    const struct cr_ch *ch = q->ch;
    struct cr_heap_item top = cr_heap_pop(&q->heap[d], q->pos + d, 2);
    uint32_t x = top.node, dx = top.key, sx = q->second[2 * x + d];
    if (q->heap[d].size) /* the arcs of this side's next node (its range is in cache by now) */
        CR_PREFETCH(&ch->sarc[ch->snode[q->heap[d].h[0].node].begin]);
    uint32_t begin = ch->snode[x].begin, split = ch->snode[x].split, end = ch->snode[x + 1].begin;
    /* FWD relaxes the up arcs and is stalled through the down arcs (arcs into x from above);
     * BWD the other way round */
    uint32_t rb = d == FWD ? begin : split, re = d == FWD ? split : end;
    uint32_t sb = d == FWD ? split : begin, se = d == FWD ? end : split;
    const struct sarc *arc = ch->sarc;

    *dist = dx;
    for (uint32_t i = sb; i < se; i++) {
        if ((uint64_t)q->dist[2 * arc[i].head + d] + arc[i].weight < dx) {
            return UINT32_MAX;
        }
    }
    for (uint32_t i = rb; i < re; i++) {
        uint64_t nd = (uint64_t)dx + arc[i].weight, other;
        uint32_t y = arc[i].head;
        if (nd >= *best) /* no better path through here */
            continue;
        reach(q, d, y, (uint32_t)nd, cr_tie_add(sx, arc[i].second), i);
        other = (uint64_t)q->dist[2 * y + !d] + nd; /* met the other side */
        if (other < *best) {
            *best = other;
            *meet = y;
        }
    }
    return x;
}

#endif
