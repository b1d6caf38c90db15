/*
 * Contraction hierarchies, the build's ends: the input checked and loaded into the remaining
 * graph (no loops, the lightest of parallel arcs), the contraction (ch_contract.c), then the
 * ranks renumbered for cache locality and the arcs handed to a struct cr_ch.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "routing/ch_build.h"
#include "routing/tie.h"

/* Threads for the priorities: the CPUs online, at most CH_MAX_THREADS. */
static uint32_t
thread_count(void)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c < 1 ? 1 : c > CH_MAX_THREADS ? CH_MAX_THREADS : (uint32_t)c;
}

static void
builder_fini(struct builder *b)
{
    free(b->out);
    free(b->in);
    free(b->pool);
    free(b->pinfo);
    free(b->rank);
    free(b->level);
    free(b->prio);
    free(b->dirty);
    free(b->dirty_list);
    free(b->cand_round);
    free(b->q.h);
    free(b->q_pos);
    for (uint32_t t = 0; t < CH_MAX_THREADS; t++)
        cr_ch_witness_fini(&b->w[t]);
    free(b->mark);
    free(b->neighbours);
    free(b->up.head);
    free(b->up.weight);
    free(b->up.middle);
    free(b->up.arc);
    free(b->down.head);
    free(b->down.weight);
    free(b->down.middle);
    free(b->down.arc);
    free(b->up_first);
    free(b->down_first);
}

/* Permutes one side's arrays: new arc k is old arc perm[k]; heads and middles get new ranks.
 * One array at a time, so the peak is one extra array. */
static int
permute_side(struct side_out *s, const uint32_t *perm, const uint32_t *new_rank)
{
    uint32_t **arrs[4] = { &s->head, &s->weight, &s->middle, &s->arc };
    size_t len = s->len;
    for (int k = 0; k < 4; k++) {
        uint32_t *old = *arrs[k], *np = malloc((len ? len : 1) * sizeof *np);
        if (!np)
            return -1;
        for (size_t i = 0; i < len; i++) {
            uint32_t v = old[perm[i]];
            if (k == 0 || (k == 2 && v != CR_INF))
                v = new_rank[v];
            np[i] = v;
        }
        free(old);
        *arrs[k] = np;
    }
    s->cap = len ? len : 1;
    return 0;
}

/* The new CSR order of one side (arcs of each node sorted by new head rank) into PERM, and the
 * new first array into FIRST_NEW. */
static void
side_order(const struct side_out *s, const uint32_t *first, const uint32_t *new_order,
           const uint32_t *new_rank, uint32_t n, uint32_t *perm, uint32_t *first_new)
{
    uint32_t k = 0;
    first_new[0] = 0;
    for (uint32_t p = 0; p < n; p++) {
        uint32_t x = new_order[p], begin = k;
        for (uint32_t i = first[x]; i < first[x + 1]; i++) {
            uint32_t h = new_rank[s->head[i]], j = k++;
            while (j > begin && new_rank[s->head[perm[j - 1]]] > h) { /* insertion sort */
                perm[j] = perm[j - 1];
                j--;
            }
            perm[j] = i;
        }
        first_new[p + 1] = k;
    }
}

/*
 * Renumbers ranks for cache locality (RoutingKit's optimize_order_for_cache): from every node no
 * arc leads to, in rank order, the not yet numbered part of its upward search space, taken by
 * rank, gets the highest free numbers in ascending order. Every arc still leads to a higher
 * number, and one search's nodes sit close together.
 */
static int
reorder_for_cache(struct builder *b)
{
    uint32_t n = b->n, end = n;
    uint32_t *new_order = b->neighbours, *new_rank = b->mark, *flag = b->level;
    uint32_t *perm = NULL, *first_new = NULL;
    size_t most = b->up.len > b->down.len ? b->up.len : b->down.len;

    for (uint32_t x = 0; x < n; x++)
        flag[x] = 1; /* 1: bottom (no arc leads here), 2: numbered */
    for (size_t i = 0; i < b->up.len; i++)
        flag[b->up.head[i]] = 0;
    for (size_t i = 0; i < b->down.len; i++)
        flag[b->down.head[i]] = 0;
    b->q.size = 0;
    for (uint32_t r = 0; r < n; r++) {
        uint32_t seg_end = end;
        if (flag[r] != 1)
            continue;
        flag[r] = 2;
        cr_heap_push(&b->q, b->q_pos, 1, r, r);
        while (b->q.size > 0) {
            uint32_t x = cr_heap_pop(&b->q, b->q_pos, 1).node;
            new_order[--end] = x;
            for (uint32_t i = b->up_first[x]; i < b->up_first[x + 1]; i++)
                if (flag[b->up.head[i]] != 2) {
                    flag[b->up.head[i]] = 2;
                    cr_heap_push(&b->q, b->q_pos, 1, b->up.head[i], b->up.head[i]);
                }
            for (uint32_t i = b->down_first[x]; i < b->down_first[x + 1]; i++)
                if (flag[b->down.head[i]] != 2) {
                    flag[b->down.head[i]] = 2;
                    cr_heap_push(&b->q, b->q_pos, 1, b->down.head[i], b->down.head[i]);
                }
        }
        for (uint32_t i = end, j = seg_end; i + 1 < j; i++, j--) {
            uint32_t t = new_order[i];
            new_order[i] = new_order[j - 1];
            new_order[j - 1] = t;
        }
    }
    if (end != 0)
        return -1; /* a bug: some node was never reached */
    for (uint32_t p = 0; p < n; p++)
        new_rank[new_order[p]] = p;

    perm = malloc((most ? most : 1) * sizeof *perm);
    first_new = malloc(((size_t)n + 1) * sizeof *first_new);
    if (!perm || !first_new)
        goto fail;
    side_order(&b->up, b->up_first, new_order, new_rank, n, perm, first_new);
    if (permute_side(&b->up, perm, new_rank))
        goto fail;
    memcpy(b->up_first, first_new, ((size_t)n + 1) * sizeof *first_new);
    side_order(&b->down, b->down_first, new_order, new_rank, n, perm, first_new);
    if (permute_side(&b->down, perm, new_rank))
        goto fail;
    memcpy(b->down_first, first_new, ((size_t)n + 1) * sizeof *first_new);
    for (uint32_t x = 0; x < n; x++)
        b->rank[x] = new_rank[b->rank[x]];
    free(perm);
    free(first_new);
    return 0;
fail:
    free(perm);
    free(first_new);
    return -1;
}

static enum cr_status
check_input(const struct cr_wgraph *in, struct cr_error *err)
{
    if (in->node_count == UINT32_MAX)
        return cr_error_set(err, CR_EINVAL, "graph: %u nodes, at most %u", in->node_count,
                            UINT32_MAX - 1);
    if (!in->first_out || (in->arc_count && (!in->head || !in->weight)))
        return cr_error_set(err, CR_EINVAL, "graph: missing arrays");
    if (in->first_out[0] != 0 || in->first_out[in->node_count] != in->arc_count)
        return cr_error_set(err, CR_EINVAL,
                            "graph: first_out runs from %u to %u, want 0 to arc_count %u",
                            in->first_out[0], in->first_out[in->node_count], in->arc_count);
    for (uint32_t x = 0; x < in->node_count; x++)
        if (in->first_out[x] > in->first_out[x + 1])
            return cr_error_set(err, CR_EINVAL, "graph: first_out decreases at node %u", x);
    for (uint32_t a = 0; a < in->arc_count; a++) {
        if (in->head[a] >= in->node_count)
            return cr_error_set(err, CR_EINVAL, "graph: arc %u: head %u out of range (%u nodes)", a,
                                in->head[a], in->node_count);
        if (in->weight[a] >= CR_INF)
            return cr_error_set(err, CR_EINVAL, "graph: arc %u: weight %u, want < %u", a,
                                in->weight[a], CR_INF);
    }
    return CR_OK;
}

/* The input without loops and with the lightest of parallel arcs, as out- and in-lists. */
static int
load_input(struct builder *b, const struct cr_wgraph *in)
{
    uint32_t n = in->node_count;
    uint32_t *slot = b->mark;             /* head -> its index in the current out-list, */
    uint32_t *slot_owner = b->neighbours; /* valid when its owner is the current node */
    uint32_t *in_deg;
    size_t total = 0, len = 0;

    for (uint32_t x = 0; x < n; x++)
        slot_owner[x] = UINT32_MAX;
    /* first pass: out-lists, deduplicated, placed at their final spot */
    b->pool_cap = 2 * (size_t)in->arc_count + 1024;
    if (b->pool_cap > UINT32_MAX)
        return -1;
    b->pool = malloc(b->pool_cap * sizeof *b->pool);
    b->pinfo = malloc(b->pool_cap * sizeof *b->pinfo);
    in_deg = calloc(n ? n : 1, sizeof *in_deg);
    if (!b->pool || !b->pinfo || !in_deg) {
        free(in_deg);
        return -1;
    }
    for (uint32_t x = 0; x < n; x++) {
        struct dlist *l = &b->out[x];
        l->begin = (uint32_t)len;
        l->len = 0;
        for (uint32_t a = in->first_out[x]; a < in->first_out[x + 1]; a++) {
            uint32_t y = in->head[a];
            if (y == x)
                continue;
            if (slot_owner[y] == x) { /* a parallel arc: keep the lighter (weight, second) */
                uint32_t i = l->begin + slot[y];
                if (cr_tie_key(in->weight[a], cr_tie_second(in->second, a)) <
                    cr_tie_key(b->pool[i].weight, b->pool[i].second)) {
                    b->pool[i].weight = in->weight[a];
                    b->pool[i].second = cr_tie_second(in->second, a);
                    b->pinfo[i].id = a;
                }
                continue;
            }
            slot_owner[y] = x;
            slot[y] = l->len;
            pool_set(b, l->begin + l->len++,
                     (struct darc){ .node = y,
                                    .weight = in->weight[a],
                                    .id = a,
                                    .hops = 1,
                                    .second = cr_tie_second(in->second, a) });
            in_deg[y]++;
        }
        l->cap = l->len;
        len += l->len;
    }
    total = 2 * len;
    /* in-lists after the out-lists */
    for (uint32_t x = 0; x < n; x++) {
        struct dlist *l = &b->in[x];
        l->begin = (uint32_t)len;
        l->len = 0;
        l->cap = in_deg[x];
        len += in_deg[x];
    }
    for (uint32_t x = 0; x < n; x++) {
        const struct dlist *o = &b->out[x];
        for (uint32_t i = 0; i < o->len; i++) {
            struct darc a = pool_get(b, o->begin + i);
            struct dlist *l = &b->in[a.node];
            a.node = x;
            pool_set(b, l->begin + l->len++, a);
        }
    }
    free(in_deg);
    b->pool_len = len;
    b->pool_live = total;
    for (uint32_t x = 0; x < n; x++)
        slot[x] = 0;
    return 0;
}

/* Hands the builder's output arrays to a new CH (the builder keeps the rest). NULL: out of
 * memory, the builder unchanged but for room at the sides' ends. */
static struct cr_ch *
take_arrays(struct builder *b)
{
    struct cr_ch *ch = calloc(1, sizeof *ch);
    if (!ch)
        return NULL;
    /* empty arrays still get a pointer so the view is uniform */
    if (cr_ch_side_push(&b->up, (struct darc){ 0 }) ||
        cr_ch_side_push(&b->down, (struct darc){ 0 })) {
        free(ch);
        return NULL;
    }
    b->up.len--;
    b->down.len--;
    ch->a = (struct cr_ch_arrays){
        .node_count = b->n,
        .up_count = (uint32_t)b->up.len,
        .down_count = (uint32_t)b->down.len,
        .rank = b->rank,
        .up_first = b->up_first,
        .up_head = b->up.head,
        .up_weight = b->up.weight,
        .up_middle = b->up.middle,
        .up_arc = b->up.arc,
        .down_first = b->down_first,
        .down_head = b->down.head,
        .down_weight = b->down.weight,
        .down_middle = b->down.middle,
        .down_arc = b->down.arc,
    };
    ch->own[OWN_RANK] = b->rank;
    ch->own[OWN_UP_FIRST] = b->up_first;
    ch->own[OWN_UP_HEAD] = b->up.head;
    ch->own[OWN_UP_WEIGHT] = b->up.weight;
    ch->own[OWN_UP_MIDDLE] = b->up.middle;
    ch->own[OWN_UP_ARC] = b->up.arc;
    ch->own[OWN_DOWN_FIRST] = b->down_first;
    ch->own[OWN_DOWN_HEAD] = b->down.head;
    ch->own[OWN_DOWN_WEIGHT] = b->down.weight;
    ch->own[OWN_DOWN_MIDDLE] = b->down.middle;
    ch->own[OWN_DOWN_ARC] = b->down.arc;
    b->rank = b->up_first = b->down_first = NULL;
    b->up = b->down = (struct side_out){ 0 };
    return ch;
}

struct cr_ch *
cr_ch_build(const struct cr_wgraph *in, int (*progress)(void *, double), void *progress_user,
            struct cr_error *err)
{
    struct builder b = { 0 };
    struct cr_ch *ch = NULL;
    uint32_t n = in->node_count, nn = n ? n : 1;
    enum cr_status st = CR_ENOMEM;

    if (check_input(in, err))
        return NULL;
    b.n = n;
    b.out = calloc(nn, sizeof *b.out);
    b.in = calloc(nn, sizeof *b.in);
    b.rank = malloc(nn * sizeof *b.rank);
    b.level = calloc(nn, sizeof *b.level);
    b.prio = calloc(nn, sizeof *b.prio);
    b.dirty = calloc(nn, sizeof *b.dirty);
    b.dirty_list = malloc(nn * sizeof *b.dirty_list);
    b.cand_round = calloc(nn, sizeof *b.cand_round);
    b.mark = calloc(nn, sizeof *b.mark);
    b.neighbours = malloc(nn * sizeof *b.neighbours);
    b.up_first = calloc((size_t)n + 1, sizeof *b.up_first);
    b.down_first = calloc((size_t)n + 1, sizeof *b.down_first);
    if (!b.out || !b.in || !b.rank || !b.level || !b.prio || !b.dirty || !b.dirty_list ||
        !b.cand_round || !b.mark || !b.neighbours || !b.up_first || !b.down_first ||
        cr_ch_witness_init(&b.w[0], nn))
        goto fail;
    /* more threads only for graphs worth it, and as many as memory allows */
    b.threads = 1;
    for (uint32_t t = 1, want = n >= PARALLEL_NODES ? thread_count() : 1; t < want; t++) {
        if (cr_ch_witness_init(&b.w[t], nn))
            break;
        b.threads++;
    }
    if (load_input(&b, in))
        goto fail;

    switch (cr_ch_contract_in_rounds(&b, progress, progress_user)) {
    case 0:
        break;
    case 1:
        st = cr_error_set(err, CR_ECANCELLED, "contraction hierarchy: stopped by caller");
        goto fail_quiet;
    default:
        goto fail;
    }

    /* the remaining graph and the searches' scratch make room for the renumbering's */
    free(b.pool);
    free(b.pinfo);
    b.pool = NULL;
    b.pinfo = NULL;
    for (uint32_t t = 0; t < CH_MAX_THREADS; t++)
        cr_ch_witness_fini(&b.w[t]);
    b.q.h = malloc(nn * sizeof *b.q.h);
    b.q_pos = malloc(nn * sizeof *b.q_pos);
    if (!b.q.h || !b.q_pos)
        goto fail;

    /* heads to ranks */
    for (size_t i = 0; i < b.up.len; i++)
        b.up.head[i] = b.rank[b.up.head[i]];
    for (size_t i = 0; i < b.down.len; i++)
        b.down.head[i] = b.rank[b.down.head[i]];
    if (reorder_for_cache(&b))
        goto fail;

    ch = take_arrays(&b);
    if (!ch)
        goto fail;
    builder_fini(&b);
    ch->tie = 1;
    if (cr_ch_make_search_graph(ch) || cr_ch_set_second(ch, in)) {
        cr_ch_destroy(ch);
        cr_error_set(err, CR_ENOMEM, "contraction hierarchy: out of memory (%u nodes, %u arcs)", n,
                     in->arc_count);
        return NULL;
    }
    return ch;
fail:
    cr_error_set(err, st, "contraction hierarchy: out of memory (%u nodes, %u arcs)", n,
                 in->arc_count);
fail_quiet:
    free(ch);
    builder_fini(&b);
    return NULL;
}
