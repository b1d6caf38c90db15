/*
 * Contraction hierarchies, point-to-point queries. Dijkstra upward from both ends over the search
 * graph (each rank's up then down arcs, head and weight side by side), with stall-on-demand: the
 * whole backward search, then the whole forward one, meeting at the first node it settles with a
 * strictly least (weight, second) total (ch_search.h, routing/tie.h). That is exactly one cell of
 * the many-to-many search (ch_m2m.c), so routes and tables choose the same path among equally light
 * ones; the searches are not pruned by the best meeting (upward search spaces are small: the
 * pruning saved little). A node's arc range is prefetched when it is first queued, and the arcs of
 * a side's next node when it comes to the heap's top (together about a fifth to a third faster on
 * the synthetic 1M-node network: the loads wait less on memory). Per-node state is reset through a
 * list of the nodes touched. Shortcuts unpack through their middle node with an explicit stack.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "routing/ch_search.h"

struct cr_ch_query *
cr_ch_query_create(const struct cr_ch *ch)
{
    struct cr_ch_query *q = calloc(1, sizeof *q);
    size_t n = ch->a.node_count ? ch->a.node_count : 1;
    if (!q)
        return NULL;
    q->ch = ch;
    q->dist = malloc(2 * n * sizeof *q->dist);
    q->second = malloc(2 * n * sizeof *q->second);
    q->parent = malloc(2 * n * sizeof *q->parent);
    q->pos = malloc(2 * n * sizeof *q->pos);
    q->touched = malloc(n * sizeof *q->touched);
    q->bucket = calloc(n, sizeof *q->bucket);
    q->heap[FWD].h = malloc(n * sizeof *q->heap[FWD].h);
    q->heap[BWD].h = malloc(n * sizeof *q->heap[BWD].h);
    if (!q->dist || !q->second || !q->parent || !q->pos || !q->touched || !q->bucket ||
        !q->heap[FWD].h || !q->heap[BWD].h) {
        cr_ch_query_destroy(q);
        return NULL;
    }
    for (size_t i = 0; i < 2 * n; i++)
        q->dist[i] = CR_INF;
    q->best = CR_INF;
    return q;
}

void
cr_ch_query_destroy(struct cr_ch_query *q)
{
    if (!q)
        return;
    free(q->dist);
    free(q->second);
    free(q->parent);
    free(q->pos);
    free(q->touched);
    free(q->bucket);
    free(q->heap[FWD].h);
    free(q->heap[BWD].h);
    free(q->ends[0]);
    free(q->ends[1]);
    free(q->stack);
    free(q);
}

uint32_t
cr_ch_query_run(struct cr_ch_query *q, const struct cr_endpoint *sources, size_t ns,
                const struct cr_endpoint *targets, size_t nt)
{
    uint64_t best = CR_TIE_NONE;
    uint32_t meet = CR_INF;

    query_reset(q);
    q->best = CR_INF;
    q->meet = CR_INF;
    if (cr_endpoints_keep(&q->ends[FWD], &q->cap[FWD], sources, ns) ||
        cr_endpoints_keep(&q->ends[BWD], &q->cap[BWD], targets, nt)) {
        q->count[FWD] = q->count[BWD] = 0;
        return CR_INF;
    }
    q->count[FWD] = ns;
    q->count[BWD] = nt;
    if (ns == 0 || nt == 0)
        return CR_INF;
    /* the whole backward upward search, then the whole forward one meeting it at each node it
     * settles: the search of one cell of a many-to-many table (ch_m2m.c), so that a route and a
     * table cell take the same path among equally light ones */
    seed(q, BWD, targets, nt);
    while (q->heap[BWD].size > 0) {
        uint64_t none = CR_INF;
        uint32_t dx, m, x = settle(q, BWD, &dx, &none, &m);
        if (x != UINT32_MAX)
            q->bucket[x] = 1;
    }
    seed(q, FWD, sources, ns);
    while (q->heap[FWD].size > 0) {
        uint64_t none = CR_INF;
        uint32_t dx, m, x = settle(q, FWD, &dx, &none, &m);
        uint64_t w;
        if (x == UINT32_MAX || !q->bucket[x] || (w = (uint64_t)dx + q->dist[2 * x + BWD]) >= CR_INF)
            continue;
        /* the least (weight, second) total (routing/tie.h) */
        w = cr_tie_key((uint32_t)w, cr_tie_add(q->second[2 * x + FWD], q->second[2 * x + BWD]));
        if (w < best) {
            best = w;
            meet = x;
        }
    }
    q->best = best == CR_TIE_NONE ? CR_INF : cr_tie_weight(best);
    q->meet = meet;
    return q->best;
}

/* The CH arc behind search-graph arc J relaxed by side D: its owner rank (the last whose block
 * begins at or before J) and its index in the up (FWD) or down (BWD) arrays. */
static struct charc
search_arc(const struct cr_ch *ch, int d, uint32_t j)
{
    uint32_t lo = 0, hi = ch->a.node_count;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ch->snode[mid].begin <= j)
            lo = mid;
        else
            hi = mid;
    }
    return (struct charc){
        .dir = (uint32_t)d,
        .owner = lo,
        .index = d == FWD ? ch->a.up_first[lo] + (j - ch->snode[lo].begin)
                          : ch->a.down_first[lo] + (j - ch->snode[lo].split),
    };
}

/* The arc between ranks FROM and TO stored at their middle M: TO == M means a down arc at M
 * with head FROM, FROM == M an up arc at M with head TO. The lightest on a tie. */
static int
find_at_middle(const struct cr_ch_arrays *a, uint32_t m, uint32_t other, int dir, struct charc *out)
{
    const uint32_t *first = dir == FWD ? a->up_first : a->down_first;
    const uint32_t *head = dir == FWD ? a->up_head : a->down_head;
    const uint32_t *weight = dir == FWD ? a->up_weight : a->down_weight;
    uint32_t found = NO_ARC;
    for (uint32_t i = first[m]; i < first[m + 1]; i++)
        if (head[i] == other && (found == NO_ARC || weight[i] < weight[found]))
            found = i;
    if (found == NO_ARC)
        return -1;
    *out = (struct charc){ .dir = (uint32_t)dir, .owner = m, .index = found };
    return 0;
}

static int
push_arc(struct cr_ch_query *q, size_t *len, struct charc c)
{
    if (*len == q->stack_cap) {
        size_t cap = q->stack_cap ? 2 * q->stack_cap : 64;
        struct charc *p = realloc(q->stack, cap * sizeof *p);
        if (!p)
            return -1;
        q->stack = p;
        q->stack_cap = cap;
    }
    q->stack[(*len)++] = c;
    return 0;
}

/* Unpacks the CH arcs on the stack (last pushed first) into input arcs, appended to
 * arcs[*count..]. Returns -1 on bad data or no memory. */
static int
unpack(struct cr_ch_query *q, size_t len, uint32_t *arcs, size_t cap, size_t *count)
{
    const struct cr_ch_arrays *a = &q->ch->a;
    size_t limit = 64 * ((size_t)a->node_count + 1);
    while (len > 0) {
        struct charc c = q->stack[--len];
        const uint32_t *middle = c.dir == FWD ? a->up_middle : a->down_middle;
        const uint32_t *head = c.dir == FWD ? a->up_head : a->down_head;
        const uint32_t *arc = c.dir == FWD ? a->up_arc : a->down_arc;
        uint32_t m = middle[c.index], from, to;
        struct charc first, second;
        if (m == CR_INF) {
            if (*count < cap)
                arcs[*count] = arc[c.index];
            if (++*count > limit)
                return -1;
            continue;
        }
        from = c.dir == FWD ? c.owner : head[c.index];
        to = c.dir == FWD ? head[c.index] : c.owner;
        if (find_at_middle(a, m, from, BWD, &first) || find_at_middle(a, m, to, FWD, &second) ||
            push_arc(q, &len, second) || push_arc(q, &len, first))
            return -1;
    }
    return 0;
}

/* The endpoint rank a side's parents lead to from X. */
static uint32_t
chain_root(const struct cr_ch_query *q, int d, uint32_t x)
{
    while (q->parent[2 * x + d] != NO_ARC)
        x = search_arc(q->ch, d, q->parent[2 * x + d]).owner;
    return x;
}

static size_t
endpoint_index(const struct cr_ch_query *q, int d, uint32_t root)
{
    const struct cr_ch_arrays *a = &q->ch->a;
    for (size_t i = 0; i < q->count[d]; i++) {
        const struct cr_endpoint *e = &q->ends[d][i];
        if (e->node < a->node_count && a->rank[e->node] == root &&
            e->weight == q->dist[2 * root + d])
            return i;
    }
    return SIZE_MAX;
}

size_t
cr_ch_query_path(struct cr_ch_query *q, uint32_t *arcs, size_t cap, size_t *source_index,
                 size_t *target_index)
{
    size_t count = 0, len = 0;
    uint32_t x;

    if (source_index)
        *source_index = SIZE_MAX;
    if (target_index)
        *target_index = SIZE_MAX;
    if (q->best >= CR_INF)
        return 0;
    if (source_index)
        *source_index = endpoint_index(q, FWD, chain_root(q, FWD, q->meet));
    if (target_index)
        *target_index = endpoint_index(q, BWD, chain_root(q, BWD, q->meet));

    /* the target half: pushed from the target up, so the arc at the meeting node pops first */
    {
        size_t n_b = 0, i;
        for (x = q->meet; q->parent[2 * x + BWD] != NO_ARC;
             x = search_arc(q->ch, BWD, q->parent[2 * x + BWD]).owner)
            n_b++;
        for (i = 0; i < n_b; i++)
            if (push_arc(q, &len, (struct charc){ 0 }))
                return 0;
        i = n_b;
        for (x = q->meet; q->parent[2 * x + BWD] != NO_ARC;) {
            struct charc c = search_arc(q->ch, BWD, q->parent[2 * x + BWD]);
            q->stack[--i] = c;
            x = c.owner;
        }
    }
    /* the source half: from the meeting node down to the source, so the source's arc pops
     * first */
    for (x = q->meet; q->parent[2 * x + FWD] != NO_ARC;) {
        struct charc c = search_arc(q->ch, FWD, q->parent[2 * x + FWD]);
        if (push_arc(q, &len, c))
            return 0;
        x = c.owner;
    }
    if (unpack(q, len, arcs, cap, &count))
        return 0;
    return count;
}
