/*
 * Contraction hierarchies (Geisberger et al. 2008), shaped like RoutingKit's.
 *
 * Build. The remaining graph lives in one pool of arc records (node and weight in one array for
 * the searches, input arc id / middle rank and hop count in a parallel one); every node owns an
 * out- and an in-list there (begin, length, capacity; a full list moves to the pool's end with
 * twice the room, and the pool is compacted when mostly holes). Parallel arcs keep the smaller
 * weight; loops are dropped. The priority of a node is
 *     LEVEL_WEIGHT * level + ED_WEIGHT * added / removed arcs + HOPS_WEIGHT * added / removed
 *     hops
 * (the edge difference as quotients, RoutingKit's form; the level is one more than the highest
 * level of a contracted neighbour), "added" counted by simulating the contraction with witness
 * searches limited to SIMULATE_SETTLED settled nodes. Nodes are contracted in rounds: every node
 * whose priority is below all its neighbours' (an independent set) goes, in priority order; then
 * each node next to a contracted one is re-simulated once (deferred neighbour updates; the same
 * order quality as updating after every contraction, a third fewer simulations). Simulating is
 * three quarters of the work and only reads the remaining graph, so the priorities are computed
 * on as many threads as CPUs (at most CH_MAX_THREADS, each with its own witness scratch); so are
 * the witness searches of a big node's contraction (every T-th in-arc per thread, the shortcuts
 * merged back in in-arc order), while the graph is changed on one thread. The hierarchy is the
 * same whatever the thread count. A shortcut
 * u->w via v is added unless a witness search from u (skipping v; it stops once every target is
 * resolved, past the largest open via weight, or past CONTRACT_SETTLED settled nodes) finds a
 * path no heavier. A node's remaining arcs at its contraction are exactly its CH arcs, so the CH
 * comes out by rank; the ranks are then renumbered for cache locality (RoutingKit's
 * optimize_order_for_cache), keeping every arc upward.
 *
 * Query. Bidirectional Dijkstra upward from both ends over a search graph built from the arrays
 * (each rank's up then down arcs, head and weight side by side), alternating sides, with
 * stall-on-demand, meeting checks on every relaxation, and each side stopping when its heap
 * minimum reaches the best meeting weight. A node's arc range is prefetched when it is first
 * queued, and the arcs of a side's next node when it comes to the heap's top (together about a
 * fifth to a third faster on the synthetic 1M-node network: the loads wait less on memory).
 * Per-node state is reset through a list of the nodes touched. Shortcuts unpack through their
 * middle node with an explicit stack.
 *
 * Many-to-many. Backward upward searches from every target leave (target, weight) entries in
 * buckets at the nodes they settle; forward upward searches from every source scan them.
 */
#include "routing/ch.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NO_ARC UINT32_MAX
#define HOPS_MAX (1u << 30)
/* Node order: priority = LEVEL_WEIGHT * level + ED_WEIGHT * added / removed arcs
 * + HOPS_WEIGHT * added / removed hops. The weights were picked on DIMACS NY/Rome graphs and
 * their turn graphs, then the limits on the synthetic 1M-node network's turn graph (640 070
 * nodes, car): a contracted-neighbours term (50 per neighbour) and 60-node simulations gave
 * 5 815 arcs relaxed and 840 nodes settled a query; without the term and with 200-node
 * simulations (fewer shortcuts wrongly counted as needed), 3 582 and 880, for about the same
 * build work (61-62 s of CPU). */
#define LEVEL_WEIGHT 300
#define ED_WEIGHT 1000
#define HOPS_WEIGHT 1000
#define SIMULATE_SETTLED 200  /* witness search limit while estimating a priority */
#define CONTRACT_SETTLED 1000 /* witness search limit when contracting */
#define CH_MAX_THREADS 8      /* priorities are simulated on up to this many threads */
#define PARALLEL_MIN 16       /* fewer priorities than this: on one thread */
#define PARALLEL_NODES 2048   /* smaller graphs: one thread */
#define PRIORITY_CHUNK 16384  /* priorities between two progress reports */
#define CONTRACT_CHUNK 64     /* contractions between two progress reports */
#define CONTRACT_PARALLEL_MIN 256 /* in-arcs x out-arcs from which a contraction uses threads */

struct heap_item {
    uint32_t key, node;
};

/* ---- 4-ary min-heaps over (key, node). A node's position lives at pos[node * stride]; the
 * functions are forced inline so each search gets a copy with its constant stride ---- */

#if defined(__GNUC__)
#define HOT_INLINE inline __attribute__((always_inline))
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define HOT_INLINE inline
#define PREFETCH(p) ((void)(p))
#endif

struct heap {
    struct heap_item *h;
    uint32_t size;
};

static HOT_INLINE void
heap_up(struct heap *hp, uint32_t *pos, size_t stride, uint32_t i, struct heap_item it)
{
    struct heap_item *h = hp->h;
    while (i > 0) {
        uint32_t p = (i - 1) / 4;
        if (h[p].key <= it.key)
            break;
        h[i] = h[p];
        pos[h[i].node * stride] = i;
        i = p;
    }
    h[i] = it;
    pos[it.node * stride] = i;
}

static HOT_INLINE void
heap_down(struct heap *hp, uint32_t *pos, size_t stride, uint32_t i, struct heap_item it)
{
    struct heap_item *h = hp->h;
    uint32_t size = hp->size;
    for (;;) {
        uint32_t c = 4 * i + 1, best;
        if (c + 3 < size) { /* all four children, without branches */
            uint32_t b01 = c + (h[c + 1].key < h[c].key);
            uint32_t b23 = c + 2 + (h[c + 3].key < h[c + 2].key);
            uint32_t take23 = h[b23].key < h[b01].key;
            best = b01 ^ ((b01 ^ b23) & (0u - take23));
        } else {
            if (c >= size)
                break;
            best = c;
            for (uint32_t k = c + 1; k < size; k++)
                if (h[k].key < h[best].key)
                    best = k;
        }
        if (h[best].key >= it.key)
            break;
        h[i] = h[best];
        pos[h[i].node * stride] = i;
        i = best;
    }
    h[i] = it;
    pos[it.node * stride] = i;
}

static HOT_INLINE void
heap_push(struct heap *hp, uint32_t *pos, size_t stride, uint32_t node, uint32_t key)
{
    heap_up(hp, pos, stride, hp->size++, (struct heap_item){ .key = key, .node = node });
}

/* Pops the minimum; its position becomes UINT32_MAX ("settled"). */
static HOT_INLINE struct heap_item
heap_pop(struct heap *hp, uint32_t *pos, size_t stride)
{
    struct heap_item top = hp->h[0];
    hp->size--;
    if (hp->size > 0)
        heap_down(hp, pos, stride, 0, hp->h[hp->size]);
    pos[top.node * stride] = UINT32_MAX;
    return top;
}

/* ------------------------------------------------------------------------------------------ */
/* The CH                                                                                      */

enum {
    OWN_RANK,
    OWN_UP_FIRST,
    OWN_UP_HEAD,
    OWN_UP_WEIGHT,
    OWN_UP_MIDDLE,
    OWN_UP_ARC,
    OWN_DOWN_FIRST,
    OWN_DOWN_HEAD,
    OWN_DOWN_WEIGHT,
    OWN_DOWN_MIDDLE,
    OWN_DOWN_ARC,
    OWN_COUNT
};

/* The search graph: each rank's up arcs then its down arcs, heads and weights side by side, so
 * a settled node's relaxed and stall-checked arcs share cache lines. Built from the arrays. */
struct sarc {
    uint32_t head, weight;
};

struct snode {
    uint32_t begin, split; /* up arcs [begin, split), down arcs [split, next begin) */
};

struct cr_ch {
    struct cr_ch_arrays a;
    struct snode *snode;      /* [node_count + 1] */
    struct sarc *sarc;        /* [up_count + down_count] */
    uint32_t *own[OWN_COUNT]; /* what this CH allocated (NULL for borrowed arrays) */
};

static int
make_search_graph(struct cr_ch *ch)
{
    const struct cr_ch_arrays *a = &ch->a;
    size_t m = (size_t)a->up_count + a->down_count, k = 0;
    ch->snode = malloc(((size_t)a->node_count + 1) * sizeof *ch->snode);
    ch->sarc = malloc((m ? m : 1) * sizeof *ch->sarc);
    if (!ch->snode || !ch->sarc || m > UINT32_MAX)
        return -1;
    for (uint32_t x = 0; x < a->node_count; x++) {
        ch->snode[x].begin = (uint32_t)k;
        for (uint32_t i = a->up_first[x]; i < a->up_first[x + 1]; i++)
            ch->sarc[k++] = (struct sarc){ .head = a->up_head[i], .weight = a->up_weight[i] };
        ch->snode[x].split = (uint32_t)k;
        for (uint32_t i = a->down_first[x]; i < a->down_first[x + 1]; i++)
            ch->sarc[k++] = (struct sarc){ .head = a->down_head[i], .weight = a->down_weight[i] };
    }
    ch->snode[a->node_count].begin = ch->snode[a->node_count].split = (uint32_t)k;
    return 0;
}

void
cr_ch_destroy(struct cr_ch *ch)
{
    if (!ch)
        return;
    for (int i = 0; i < OWN_COUNT; i++)
        free(ch->own[i]);
    free(ch->snode);
    free(ch->sarc);
    free(ch);
}

void
cr_ch_arrays(const struct cr_ch *ch, struct cr_ch_arrays *out)
{
    *out = ch->a;
}

/* ------------------------------------------------------------------------------------------ */
/* Build: the remaining graph                                                                  */

/* An arc of the remaining graph as seen from one end. A shortcut has hops >= 2 and id = rank of
 * its middle node; an input arc has hops == 1 and id = its input arc id. */
struct darc {
    uint32_t node, weight, id, hops;
};

/* The pool stores a darc in two parallel arrays, the searches' half apart. */
struct nw {
    uint32_t node, weight;
};

struct idhops {
    uint32_t id, hops;
};

struct dlist {
    uint32_t begin, len, cap;
};

/* Witness search state per node. */
struct wstate {
    uint32_t stamp, dist;
};

/* Witness search targets per node, apart from the hot state. */
struct wtarget {
    uint32_t target; /* == wnow while an unresolved target of the search */
    uint32_t via;    /* a target's weight through the node being contracted */
};

/* One witness search's scratch; each thread has its own. */
struct witness {
    struct wstate *ws;
    struct wtarget *wt;
    uint32_t *wpos; /* heap positions */
    struct heap wh;
    uint32_t wnow;
    uint32_t *t_node; /* the current search's targets */
    uint32_t t_len;
    struct shortcut *sc; /* the shortcuts a contraction needs, found by this thread */
    size_t sc_len, sc_cap;
};

/* A growing output side (up or down) of the CH, heads still as node ids. */
struct side_out {
    uint32_t *head, *weight, *middle, *arc;
    size_t len, cap;
};

struct shortcut {
    uint32_t from, to, weight, hops;
    uint32_t in_index; /* which in-arc of the contracted node it starts with */
};

struct builder {
    uint32_t n;
    struct dlist *out, *in;               /* per node: its out- and in-list in the pool */
    struct nw *pool;                      /* what searches read: node and weight */
    struct idhops *pinfo;                 /* beside it, what only contraction reads */
    size_t pool_len, pool_cap, pool_live; /* live = sum of list capacities */

    uint32_t *rank;  /* CR_INF until contracted */
    uint32_t *level; /* for the priority */
    uint32_t *prio; /* rounds: current priority */
    uint8_t *dirty; /* rounds: priority to recompute after this round */
    uint32_t *dirty_list, dirty_len;
    uint32_t *cand_round; /* rounds: the round a node is a candidate in */

    /* reorder_for_cache's queue */
    struct heap q;
    uint32_t *q_pos;

    /* witness searches: one per thread (w[0] also contracts) */
    struct witness w[CH_MAX_THREADS];
    uint32_t threads;
    uint32_t sc_threads; /* the threads that found the current contraction's shortcuts */

    /* scratch */
    uint32_t *mark; /* neighbour marks, by stamp */
    uint32_t mark_now;
    uint32_t *neighbours;

    struct side_out up, down;
    uint32_t *up_first, *down_first;
};

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 16;
    void *np;
    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    np = realloc(*p, c * elem);
    if (!np)
        return -1;
    *p = np;
    *cap = c;
    return 0;
}

/* Moves every list to a fresh pool sized for the live lists plus room to grow. */
static int
pool_compact(struct builder *b, size_t extra)
{
    size_t cap = 2 * b->pool_live + extra + 1024, len = 0;
    struct nw *np = malloc(cap * sizeof *np);
    struct idhops *ni = malloc(cap * sizeof *ni);
    if (!np || !ni || cap > UINT32_MAX) {
        free(np);
        free(ni);
        return -1;
    }
    for (uint32_t x = 0; x < b->n; x++) {
        struct dlist *l[2] = { &b->out[x], &b->in[x] };
        for (int k = 0; k < 2; k++) {
            if (l[k]->cap == 0)
                continue;
            memcpy(np + len, b->pool + l[k]->begin, l[k]->len * sizeof *np);
            memcpy(ni + len, b->pinfo + l[k]->begin, l[k]->len * sizeof *ni);
            l[k]->begin = (uint32_t)len;
            len += l[k]->cap;
        }
    }
    free(b->pool);
    free(b->pinfo);
    b->pool = np;
    b->pinfo = ni;
    b->pool_len = len;
    b->pool_cap = cap;
    return 0;
}

/* Room for N more records at the pool's end. */
static int
pool_reserve(struct builder *b, size_t n)
{
    size_t cap;
    struct nw *np;
    struct idhops *ni;
    if (b->pool_len + n <= b->pool_cap)
        return 0;
    if (b->pool_live + n < b->pool_cap / 2) /* mostly holes: compact instead of growing */
        return pool_compact(b, n);
    cap = b->pool_cap * 2 + n;
    if (cap > UINT32_MAX)
        cap = UINT32_MAX;
    if (b->pool_len + n > cap)
        return -1;
    np = realloc(b->pool, cap * sizeof *np);
    if (!np)
        return -1;
    b->pool = np;
    ni = realloc(b->pinfo, cap * sizeof *ni);
    if (!ni)
        return -1;
    b->pinfo = ni;
    b->pool_cap = cap;
    return 0;
}

static inline struct darc
pool_get(const struct builder *b, uint32_t i)
{
    return (struct darc){ .node = b->pool[i].node,
                          .weight = b->pool[i].weight,
                          .id = b->pinfo[i].id,
                          .hops = b->pinfo[i].hops };
}

static inline void
pool_set(struct builder *b, uint32_t i, struct darc a)
{
    b->pool[i] = (struct nw){ .node = a.node, .weight = a.weight };
    b->pinfo[i] = (struct idhops){ .id = a.id, .hops = a.hops };
}

static int
list_push(struct builder *b, struct dlist *l, struct darc a)
{
    if (l->len == l->cap) {
        uint32_t cap = l->cap ? 2 * l->cap : 4;
        if (pool_reserve(b, cap))
            return -1;
        memcpy(b->pool + b->pool_len, b->pool + l->begin, l->len * sizeof *b->pool);
        memcpy(b->pinfo + b->pool_len, b->pinfo + l->begin, l->len * sizeof *b->pinfo);
        l->begin = (uint32_t)b->pool_len;
        b->pool_len += cap;
        b->pool_live += cap - l->cap;
        l->cap = cap;
    }
    pool_set(b, l->begin + l->len++, a);
    return 0;
}

static void
list_remove(struct builder *b, struct dlist *l, uint32_t node)
{
    for (uint32_t i = l->begin, end = l->begin + l->len; i < end; i++)
        if (b->pool[i].node == node) {
            pool_set(b, i, pool_get(b, end - 1));
            l->len--;
            return;
        }
}

static void
list_free(struct builder *b, struct dlist *l)
{
    b->pool_live -= l->cap;
    l->len = l->cap = 0;
}

/* Adds arc x->y or lowers its weight. Returns -1 when out of memory. */
static int
add_or_reduce(struct builder *b, uint32_t x, uint32_t y, uint32_t weight, uint32_t id,
              uint32_t hops)
{
    struct dlist *out = &b->out[x], *in = &b->in[y];
    struct darc a = { .node = y, .weight = weight, .id = id, .hops = hops };
    for (uint32_t i = out->begin; i < out->begin + out->len; i++) {
        if (b->pool[i].node != y)
            continue;
        if (b->pool[i].weight <= weight)
            return 0;
        pool_set(b, i, a);
        for (uint32_t k = in->begin; k < in->begin + in->len; k++)
            if (b->pool[k].node == x) {
                a.node = x;
                pool_set(b, k, a);
                break;
            }
        return 0;
    }
    if (list_push(b, out, a))
        return -1;
    a.node = x;
    return list_push(b, in, a);
}

/* ---- witness search ---- */

static void
witness_reset(const struct builder *b, struct witness *w)
{
    if (++w->wnow == 0) {
        for (uint32_t i = 0; i < b->n; i++)
            w->ws[i].stamp = w->wt[i].target = 0;
        w->wnow = 1;
    }
    w->wh.size = 0;
}

/* The search bound: the largest via weight of the open targets. */
static uint32_t
open_bound(const struct witness *wi, uint32_t wnow)
{
    uint32_t bound = 0;
    for (uint32_t i = 0; i < wi->t_len; i++) {
        const struct wtarget *w = &wi->wt[wi->t_node[i]];
        if (w->target == wnow && w->via > bound)
            bound = w->via;
    }
    return bound;
}

/* Dijkstra from S in the remaining graph without SKIP, until each of the OPEN targets
 * (target == wnow) is resolved (reached no heavier than its via weight: a witness; or settled
 * heavier: none), past the largest via weight of those still open, or past SETTLED_LIMIT settled
 * nodes. Afterwards a node's dist is a path weight (tentative or final) when its stamp is
 * current. */
static void
witness_search(const struct builder *b, struct witness *wi, uint32_t s, uint32_t skip,
               uint32_t settled_limit, uint32_t open)
{
    struct wstate *ws = wi->ws;
    struct wtarget *wt = wi->wt;
    struct heap *wh = &wi->wh;
    uint32_t *wpos = wi->wpos;
    const struct dlist *outs = b->out;
    const struct nw *pool = b->pool;
    const uint32_t wnow = wi->wnow;
    uint32_t settled = 0, bound = open_bound(wi, wnow);

    ws[s].stamp = wnow;
    ws[s].dist = 0;
    heap_push(wh, wpos, 1, s, 0);

    while (wh->size > 0) {
        struct heap_item top;
        const struct nw *p, *end;
        if (wh->h[0].key > bound)
            break;
        top = heap_pop(wh, wpos, 1);
        if (wt[top.node].target == wnow) { /* settled heavier than its via weight */
            wt[top.node].target = 0;
            if (--open == 0)
                break;
            if (wt[top.node].via == bound)
                bound = open_bound(wi, wnow);
        }
        if (++settled > settled_limit)
            break;
        p = pool + outs[top.node].begin;
        end = p + outs[top.node].len;
        for (; p < end; p++) {
            uint32_t y = p->node;
            uint64_t nd = (uint64_t)top.key + p->weight;
            struct wstate *w = &ws[y];
            if (y == skip || nd > bound)
                continue;
            if (w->stamp != wnow) {
                w->stamp = wnow;
                w->dist = (uint32_t)nd;
                heap_push(wh, wpos, 1, y, (uint32_t)nd);
            } else if (nd < w->dist && wpos[y] != UINT32_MAX) {
                w->dist = (uint32_t)nd;
                heap_up(wh, wpos, 1, wpos[y], (struct heap_item){ .key = (uint32_t)nd, .node = y });
            } else {
                continue;
            }
            if (wt[y].target == wnow && nd <= wt[y].via) { /* a witness */
                wt[y].target = 0;
                if (--open == 0)
                    return;
                if (wt[y].via == bound)
                    bound = open_bound(wi, wnow);
            }
        }
    }
}

/* Counts the shortcuts contracting V needs (and their hops): one per in-arc u->v and out-arc v->w
 * (u != w) without a witness, found by a search from each u: the in-arcs START, START + STEP, ...
 * With EMIT, also appends them to wi->sc. Returns -1 when out of memory. */
static int
find_shortcuts(const struct builder *b, struct witness *wi, uint32_t v, uint32_t settled_limit,
               int emit, uint32_t start, uint32_t step, uint32_t *added, uint32_t *added_hops)
{
    const struct dlist *vo = &b->out[v], *vi = &b->in[v];
    uint32_t in_len = vi->len, out_len = vo->len;
    *added = *added_hops = 0;
    if (out_len == 0)
        return 0;
    for (uint32_t i = start; i < in_len; i += step) {
        struct darc in = pool_get(b, vi->begin + i);
        uint32_t targets = 0;
        witness_reset(b, wi);
        wi->t_len = 0;
        for (uint32_t k = 0; k < out_len; k++) {
            const struct nw *o = &b->pool[vo->begin + k];
            uint64_t via = (uint64_t)in.weight + o->weight;
            if (o->node == in.node || via >= CR_INF) /* a loop, or unreachable anyway */
                continue;
            wi->wt[o->node].target = wi->wnow; /* out-arcs lead to distinct nodes */
            wi->wt[o->node].via = (uint32_t)via;
            wi->t_node[wi->t_len++] = o->node;
            targets++;
        }
        if (targets == 0)
            continue;
        witness_search(b, wi, in.node, v, settled_limit, targets);
        for (uint32_t k = 0; k < out_len; k++) {
            struct darc o = pool_get(b, vo->begin + k);
            uint64_t via = (uint64_t)in.weight + o.weight;
            const struct wstate *w = &wi->ws[o.node];
            if (o.node == in.node || via >= CR_INF)
                continue;
            if (w->stamp == wi->wnow && w->dist <= via)
                continue;
            (*added)++;
            {
                uint32_t hops = in.hops + o.hops;
                if (hops > HOPS_MAX)
                    hops = HOPS_MAX;
                *added_hops += hops;
                if (emit) {
                    if (grow((void **)&wi->sc, &wi->sc_cap, wi->sc_len + 1, sizeof *wi->sc))
                        return -1;
                    wi->sc[wi->sc_len++] = (struct shortcut){ .from = in.node,
                                                              .to = o.node,
                                                              .weight = (uint32_t)via,
                                                              .hops = hops,
                                                              .in_index = i };
                }
            }
        }
    }
    return 0;
}

static uint32_t
priority(struct builder *b, struct witness *wi, uint32_t v)
{
    const struct dlist *vo = &b->out[v], *vi = &b->in[v];
    uint32_t added, added_hops, removed = 1, removed_hops = 1;
    uint64_t p;
    find_shortcuts(b, wi, v, SIMULATE_SETTLED, 0, 0, 1, &added, &added_hops);
    removed += vi->len + vo->len;
    for (uint32_t i = 0; i < vi->len; i++)
        removed_hops += b->pinfo[vi->begin + i].hops;
    for (uint32_t i = 0; i < vo->len; i++)
        removed_hops += b->pinfo[vo->begin + i].hops;
    p = 1 + LEVEL_WEIGHT * (uint64_t)b->level[v] + ED_WEIGHT * (uint64_t)added / removed +
        HOPS_WEIGHT * (uint64_t)added_hops / removed_hops;
    return p >= UINT32_MAX ? UINT32_MAX : (uint32_t)p;
}

static int
side_push(struct side_out *s, struct darc a)
{
    if (s->len == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        uint32_t *p[4] = { s->head, s->weight, s->middle, s->arc };
        for (int k = 0; k < 4; k++) {
            uint32_t *np = realloc(p[k], cap * sizeof *np);
            if (!np)
                return -1;
            p[k] = np;
            /* keep what succeeded so a later failure frees it */
            switch (k) {
            case 0:
                s->head = np;
                break;
            case 1:
                s->weight = np;
                break;
            case 2:
                s->middle = np;
                break;
            default:
                s->arc = np;
                break;
            }
        }
        s->cap = cap;
    }
    s->head[s->len] = a.node;
    s->weight[s->len] = a.weight;
    s->middle[s->len] = a.hops >= 2 ? a.id : CR_INF;
    s->arc[s->len] = a.hops >= 2 ? CR_INF : a.id;
    s->len++;
    return 0;
}

/* Runs FN on JOBS[0 .. threads - 1] (each SIZE bytes), job 0 on this thread, the others on
 * their own; a job whose thread cannot start runs here (with its own scratch all the same). */
static void
run_jobs(void *(*fn)(void *), void *jobs, size_t size, uint32_t threads)
{
    pthread_t tid[CH_MAX_THREADS];
    int started[CH_MAX_THREADS] = { 0 };
    char *job = jobs;

    for (uint32_t t = 1; t < threads; t++)
        started[t] = pthread_create(&tid[t], NULL, fn, job + t * size) == 0;
    fn(job);
    for (uint32_t t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            fn(job + t * size);
    }
}

/* ---- a contraction's witness searches on several threads when the node is big: each thread
 * takes every T-th in-arc into its own list; contract() merges them in in-arc order, so the
 * shortcuts and the hierarchy are those of one thread ---- */

struct sc_job {
    const struct builder *b;
    struct witness *w;
    uint32_t v, start, step;
    int rc;
};

static void *
sc_work(void *arg)
{
    struct sc_job *j = arg;
    uint32_t added, added_hops;
    j->w->sc_len = 0;
    j->rc = find_shortcuts(j->b, j->w, j->v, CONTRACT_SETTLED, 1, j->start, j->step, &added,
                           &added_hops);
    return NULL;
}

/* Finds the shortcuts contracting V needs into b->w[0 .. b->sc_threads - 1].sc. */
static int
shortcuts_of(struct builder *b, uint32_t v)
{
    struct sc_job job[CH_MAX_THREADS];
    int rc = 0;
    uint64_t pairs = (uint64_t)b->in[v].len * b->out[v].len;
    uint32_t t, threads = pairs >= CONTRACT_PARALLEL_MIN ? b->threads : 1;

    if (threads > b->in[v].len)
        threads = b->in[v].len ? b->in[v].len : 1;
    b->sc_threads = threads;
    for (t = 0; t < threads; t++)
        job[t] = (struct sc_job){ .b = b, .w = &b->w[t], .v = v, .start = t, .step = threads };
    run_jobs(sc_work, job, sizeof job[0], threads);
    for (t = 0; t < threads; t++)
        rc |= job[t].rc;
    return rc;
}

static int
contract(struct builder *b, uint32_t v, uint32_t r)
{
    struct dlist *vo = &b->out[v], *vi = &b->in[v];
    uint32_t nn = 0, level_next = b->level[v] + 1, in_len = vi->len;

    b->rank[v] = r;
    for (uint32_t i = 0; i < vo->len; i++)
        if (side_push(&b->up, pool_get(b, vo->begin + i)))
            return -1;
    for (uint32_t i = 0; i < vi->len; i++)
        if (side_push(&b->down, pool_get(b, vi->begin + i)))
            return -1;
    if (b->up.len >= UINT32_MAX || b->down.len >= UINT32_MAX)
        return -1;
    b->up_first[r + 1] = (uint32_t)b->up.len;
    b->down_first[r + 1] = (uint32_t)b->down.len;

    if (shortcuts_of(b, v))
        return -1;

    /* neighbours, each once */
    if (++b->mark_now == 0) {
        memset(b->mark, 0, b->n * sizeof *b->mark);
        b->mark_now = 1;
    }
    for (uint32_t i = 0; i < vo->len; i++) {
        uint32_t w = b->pool[vo->begin + i].node;
        list_remove(b, &b->in[w], v);
        if (b->mark[w] != b->mark_now) {
            b->mark[w] = b->mark_now;
            b->neighbours[nn++] = w;
        }
    }
    for (uint32_t i = 0; i < vi->len; i++) {
        uint32_t u = b->pool[vi->begin + i].node;
        list_remove(b, &b->out[u], v);
        if (b->mark[u] != b->mark_now) {
            b->mark[u] = b->mark_now;
            b->neighbours[nn++] = u;
        }
    }
    list_free(b, vo);
    list_free(b, vi);

    /* in the order one thread would have found them: by in-arc, in-arc i from thread i % T */
    {
        size_t at[CH_MAX_THREADS] = { 0 };
        uint32_t threads = b->sc_threads;
        for (uint32_t i = 0; i < in_len; i++) {
            struct witness *w = &b->w[i % threads];
            size_t *k = &at[i % threads];
            for (; *k < w->sc_len && w->sc[*k].in_index == i; (*k)++)
                if (add_or_reduce(b, w->sc[*k].from, w->sc[*k].to, w->sc[*k].weight, r,
                                  w->sc[*k].hops))
                    return -1;
        }
    }

    for (uint32_t i = 0; i < nn; i++) {
        uint32_t x = b->neighbours[i];
        if (b->level[x] < level_next)
            b->level[x] = level_next;
        if (!b->dirty[x]) { /* its priority is recomputed after this round */
            b->dirty[x] = 1;
            b->dirty_list[b->dirty_len++] = x;
        }
    }
    return 0;
}

static uint32_t
node_hash(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

/* (priority, hash) of U before that of V */
static int
goes_before(const struct builder *b, uint32_t u, uint32_t v)
{
    if (b->prio[u] != b->prio[v])
        return b->prio[u] < b->prio[v];
    return node_hash(u) < node_hash(v) || (node_hash(u) == node_hash(v) && u < v);
}

static int
cmp_by_prio(const void *x, const void *y)
{
    const uint64_t *a = x, *b = y;
    return *a < *b ? -1 : *a > *b;
}

/* V has no remaining neighbour going before it. */
static int
is_local_minimum(const struct builder *b, uint32_t v)
{
    const struct dlist *vo = &b->out[v], *vi = &b->in[v];
    for (uint32_t k = vo->begin; k < vo->begin + vo->len; k++)
        if (goes_before(b, b->pool[k].node, v))
            return 0;
    for (uint32_t k = vi->begin; k < vi->begin + vi->len; k++)
        if (goes_before(b, b->pool[k].node, v))
            return 0;
    return 1;
}

/* ---- priorities on several threads: a priority only reads the remaining graph and writes
 * prio[x], so the nodes of a list are split between threads, each with its own witness search
 * scratch. The result does not depend on the thread count. ---- */

struct prio_job {
    struct builder *b;
    struct witness *w;
    const uint32_t *list; /* NULL: the nodes first .. first + len - 1 */
    uint32_t first, len, start, step;
};

static void *
prio_work(void *arg)
{
    const struct prio_job *j = arg;
    for (uint32_t i = j->start; i < j->len; i += j->step) {
        uint32_t x = j->list ? j->list[i] : j->first + i;
        j->b->prio[x] = priority(j->b, j->w, x);
    }
    return NULL;
}

static void
compute_priorities(struct builder *b, const uint32_t *list, uint32_t first, uint32_t len)
{
    struct prio_job job[CH_MAX_THREADS];
    uint32_t t, threads = len >= PARALLEL_MIN ? b->threads : 1;

    for (t = 0; t < threads; t++)
        job[t] = (struct prio_job){
            .b = b, .w = &b->w[t], .list = list, .first = first, .len = len, .start = t, .step = threads
        };
    run_jobs(prio_work, job, sizeof job[0], threads);
}

/* Adds X to the next round's candidates once. */
static void
add_candidate(struct builder *b, uint32_t x, uint32_t round, uint32_t *cand, uint32_t *len)
{
    if (b->cand_round[x] != round) {
        b->cand_round[x] = round;
        cand[(*len)++] = x;
    }
}

/*
 * Contraction in rounds (an independent set at a time, as OSRM does in parallel): a round
 * contracts every node whose (priority, hash) is below all its neighbours', in priority order,
 * then recomputes once the priority of each node next to a contracted one (deferred neighbour
 * updates: a node is re-simulated once per round, not once per contracted neighbour). Only those
 * and their neighbours can have become local minima, so only they are examined next round.
 * Returns 0, 1 when cancelled, -1 when out of memory.
 */
static int
contract_in_rounds(struct builder *b, int (*progress)(void *, double), void *progress_user)
{
    uint32_t n = b->n, left = n, r = 0, percent = 0, cand_len = n, round = 1;
    uint32_t *cand = malloc((n ? n : 1) * sizeof *cand);
    uint64_t *pick = malloc((n ? n : 1) * sizeof *pick);
    int rc = -1;

    if (!cand || !pick)
        goto done;
    for (uint32_t x = 0; x < n; x++) {
        b->rank[x] = CR_INF;
        cand[x] = x;
    }
    for (uint32_t x = 0; x < n; x += PRIORITY_CHUNK) {
        compute_priorities(b, NULL, x, n - x < PRIORITY_CHUNK ? n - x : PRIORITY_CHUNK);
        if (progress && progress(progress_user, 0.0)) {
            rc = 1;
            goto done;
        }
    }
    while (left > 0) {
        uint32_t picked = 0;
        for (uint32_t i = 0; i < cand_len; i++)
            if (is_local_minimum(b, cand[i]))
                pick[picked++] = (uint64_t)b->prio[cand[i]] << 32 | cand[i];
        if (picked == 0) /* cannot happen: the smallest remaining node is a candidate */
            goto done;
        qsort(pick, picked, sizeof *pick, cmp_by_prio);
        b->dirty_len = 0;
        for (uint32_t i = 0; i < picked; i++, r++) {
            if (contract(b, (uint32_t)pick[i], r))
                goto done;
            if ((uint64_t)(r + 1) * 100 / n != percent || (r + 1) % CONTRACT_CHUNK == 0) {
                percent = (uint32_t)((uint64_t)(r + 1) * 100 / n);
                if (progress && progress(progress_user, (double)(r + 1) / n)) {
                    rc = 1;
                    goto done;
                }
            }
        }
        left -= picked;
        round++;
        cand_len = 0;
        for (uint32_t i = 0; i < b->dirty_len; i += PRIORITY_CHUNK) {
            uint32_t len = b->dirty_len - i < PRIORITY_CHUNK ? b->dirty_len - i : PRIORITY_CHUNK;
            compute_priorities(b, b->dirty_list + i, 0, len);
            if (progress && progress(progress_user, (double)r / n)) {
                rc = 1;
                goto done;
            }
        }
        for (uint32_t i = 0; i < b->dirty_len; i++) {
            uint32_t x = b->dirty_list[i];
            const struct dlist *xo = &b->out[x], *xi = &b->in[x];
            b->dirty[x] = 0;
            add_candidate(b, x, round, cand, &cand_len);
            for (uint32_t k = xo->begin; k < xo->begin + xo->len; k++)
                add_candidate(b, b->pool[k].node, round, cand, &cand_len);
            for (uint32_t k = xi->begin; k < xi->begin + xi->len; k++)
                add_candidate(b, b->pool[k].node, round, cand, &cand_len);
        }
    }
    rc = 0;
done:
    free(cand);
    free(pick);
    return rc;
}

static void
witness_fini(struct witness *w)
{
    free(w->ws);
    free(w->wt);
    free(w->wh.h);
    free(w->wpos);
    free(w->t_node);
    free(w->sc);
    *w = (struct witness){ 0 };
}

static int
witness_init(struct witness *w, size_t n)
{
    w->ws = calloc(n, sizeof *w->ws);
    w->wt = calloc(n, sizeof *w->wt);
    w->wh.h = malloc(n * sizeof *w->wh.h);
    w->wpos = malloc(n * sizeof *w->wpos);
    w->t_node = malloc(n * sizeof *w->t_node);
    if (w->ws && w->wt && w->wh.h && w->wpos && w->t_node)
        return 0;
    witness_fini(w);
    return -1;
}

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
        witness_fini(&b->w[t]);
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
        heap_push(&b->q, b->q_pos, 1, r, r);
        while (b->q.size > 0) {
            uint32_t x = heap_pop(&b->q, b->q_pos, 1).node;
            new_order[--end] = x;
            for (uint32_t i = b->up_first[x]; i < b->up_first[x + 1]; i++)
                if (flag[b->up.head[i]] != 2) {
                    flag[b->up.head[i]] = 2;
                    heap_push(&b->q, b->q_pos, 1, b->up.head[i], b->up.head[i]);
                }
            for (uint32_t i = b->down_first[x]; i < b->down_first[x + 1]; i++)
                if (flag[b->down.head[i]] != 2) {
                    flag[b->down.head[i]] = 2;
                    heap_push(&b->q, b->q_pos, 1, b->down.head[i], b->down.head[i]);
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
            if (slot_owner[y] == x) { /* a parallel arc: keep the lighter */
                uint32_t i = l->begin + slot[y];
                if (in->weight[a] < b->pool[i].weight) {
                    b->pool[i].weight = in->weight[a];
                    b->pinfo[i].id = a;
                }
                continue;
            }
            slot_owner[y] = x;
            slot[y] = l->len;
            pool_set(b, l->begin + l->len++,
                     (struct darc){ .node = y, .weight = in->weight[a], .id = a, .hops = 1 });
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
        witness_init(&b.w[0], nn))
        goto fail;
    /* more threads only for graphs worth it, and as many as memory allows */
    b.threads = 1;
    for (uint32_t t = 1, want = n >= PARALLEL_NODES ? thread_count() : 1; t < want; t++) {
        if (witness_init(&b.w[t], nn))
            break;
        b.threads++;
    }
    if (load_input(&b, in))
        goto fail;

    switch (contract_in_rounds(&b, progress, progress_user)) {
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
        witness_fini(&b.w[t]);
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

    ch = calloc(1, sizeof *ch);
    if (!ch)
        goto fail;
    /* empty arrays still get a pointer so the view is uniform */
    if (side_push(&b.up, (struct darc){ 0 }) || side_push(&b.down, (struct darc){ 0 }))
        goto fail;
    b.up.len--;
    b.down.len--;
    ch->a = (struct cr_ch_arrays){
        .node_count = n,
        .up_count = (uint32_t)b.up.len,
        .down_count = (uint32_t)b.down.len,
        .rank = b.rank,
        .up_first = b.up_first,
        .up_head = b.up.head,
        .up_weight = b.up.weight,
        .up_middle = b.up.middle,
        .up_arc = b.up.arc,
        .down_first = b.down_first,
        .down_head = b.down.head,
        .down_weight = b.down.weight,
        .down_middle = b.down.middle,
        .down_arc = b.down.arc,
    };
    ch->own[OWN_RANK] = b.rank;
    ch->own[OWN_UP_FIRST] = b.up_first;
    ch->own[OWN_UP_HEAD] = b.up.head;
    ch->own[OWN_UP_WEIGHT] = b.up.weight;
    ch->own[OWN_UP_MIDDLE] = b.up.middle;
    ch->own[OWN_UP_ARC] = b.up.arc;
    ch->own[OWN_DOWN_FIRST] = b.down_first;
    ch->own[OWN_DOWN_HEAD] = b.down.head;
    ch->own[OWN_DOWN_WEIGHT] = b.down.weight;
    ch->own[OWN_DOWN_MIDDLE] = b.down.middle;
    ch->own[OWN_DOWN_ARC] = b.down.arc;
    b.rank = b.up_first = b.down_first = NULL;
    b.up = b.down = (struct side_out){ 0 };
    builder_fini(&b);
    if (make_search_graph(ch)) {
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

/* ------------------------------------------------------------------------------------------ */
/* A CH over borrowed arrays                                                                   */

static enum cr_status
check_side(const struct cr_ch_arrays *a, const char *name, const char *what, uint32_t count,
           const uint32_t *first, const uint32_t *head, const uint32_t *weight,
           const uint32_t *middle, const uint32_t *arc, struct cr_error *err)
{
    uint32_t n = a->node_count;
    if (!first || (count && (!head || !weight || !middle || !arc)))
        return cr_error_set(err, CR_EFORMAT, "%s: %s arrays missing", name, what);
    if (first[0] != 0 || first[n] != count)
        return cr_error_set(err, CR_EFORMAT, "%s: %s_first runs from %u to %u, want 0 to %u", name,
                            what, first[0], first[n], count);
    for (uint32_t x = 0; x < n; x++)
        if (first[x] > first[x + 1])
            return cr_error_set(err, CR_EFORMAT, "%s: %s_first decreases at rank %u", name, what,
                                x);
    for (uint32_t x = 0; x < n; x++) {
        for (uint32_t i = first[x]; i < first[x + 1]; i++) {
            if (head[i] >= n || head[i] <= x)
                return cr_error_set(err, CR_EFORMAT, "%s: %s arc %u: head rank %u not in (%u, %u)",
                                    name, what, i, head[i], x, n);
            if (weight[i] >= CR_INF)
                return cr_error_set(err, CR_EFORMAT, "%s: %s arc %u: weight %u, want < %u", name,
                                    what, i, weight[i], CR_INF);
            if (middle[i] != CR_INF && middle[i] >= x)
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: %s arc %u: middle rank %u not below its rank %u", name,
                                    what, i, middle[i], x);
            if (middle[i] == CR_INF && arc[i] == CR_INF)
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: %s arc %u: neither a shortcut nor an input arc", name,
                                    what, i);
        }
    }
    return CR_OK;
}

struct cr_ch *
cr_ch_from_arrays(const struct cr_ch_arrays *a, const char *name, struct cr_error *err)
{
    struct cr_ch *ch;
    uint8_t *seen;
    uint32_t n = a->node_count;

    if (!name)
        name = "contraction hierarchy";
    if (n == UINT32_MAX) {
        cr_error_set(err, CR_EFORMAT, "%s: %u nodes, at most %u", name, n, UINT32_MAX - 1);
        return NULL;
    }
    if (!a->rank && n) {
        cr_error_set(err, CR_EFORMAT, "%s: rank array missing", name);
        return NULL;
    }
    if (check_side(a, name, "up", a->up_count, a->up_first, a->up_head, a->up_weight, a->up_middle,
                   a->up_arc, err) ||
        check_side(a, name, "down", a->down_count, a->down_first, a->down_head, a->down_weight,
                   a->down_middle, a->down_arc, err))
        return NULL;
    seen = calloc(n ? n : 1, 1);
    if (!seen) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
        return NULL;
    }
    for (uint32_t x = 0; x < n; x++) {
        if (a->rank[x] >= n || seen[a->rank[x]]) {
            cr_error_set(err, CR_EFORMAT, "%s: node %u: rank %u %s", name, x, a->rank[x],
                         a->rank[x] >= n ? "out of range" : "given twice");
            free(seen);
            return NULL;
        }
        seen[a->rank[x]] = 1;
    }
    free(seen);
    ch = calloc(1, sizeof *ch);
    if (!ch) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
        return NULL;
    }
    ch->a = *a;
    if (make_search_graph(ch)) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
        cr_ch_destroy(ch);
        return NULL;
    }
    return ch;
}

/* ------------------------------------------------------------------------------------------ */
/* Queries                                                                                     */

enum { FWD = 0, BWD = 1 };

/* One CH arc: from owner rank with index into up (dir FWD) or down (dir BWD) arrays. */
struct charc {
    uint32_t dir, owner, index;
};

/*
 * Per-node state, side by side for both searches (index 2 * rank + side) so the stall and
 * meeting checks read one small array: dist is CR_INF when not reached, and the nodes a search
 * touched are reset afterwards (a list, not a timestamp: no stamp word to read per arc).
 */
struct cr_ch_query {
    const struct cr_ch *ch;
    uint32_t *dist;   /* [2n] */
    uint32_t *parent; /* [2n] FWD: up arc into the node; BWD: down arc; NO_ARC at an endpoint */
    uint32_t *pos;    /* [2n] heap position, UINT32_MAX once settled */
    uint32_t *touched;
    uint32_t touched_len;
    struct heap heap[2];
    uint32_t best, meet;
    struct cr_endpoint *ends[2]; /* copies of the last run's sources and targets */
    size_t count[2], cap[2];
    struct charc *stack;
    size_t stack_cap;
};

struct cr_ch_query *
cr_ch_query_create(const struct cr_ch *ch)
{
    struct cr_ch_query *q = calloc(1, sizeof *q);
    size_t n = ch->a.node_count ? ch->a.node_count : 1;
    if (!q)
        return NULL;
    q->ch = ch;
    q->dist = malloc(2 * n * sizeof *q->dist);
    q->parent = malloc(2 * n * sizeof *q->parent);
    q->pos = malloc(2 * n * sizeof *q->pos);
    q->touched = malloc(n * sizeof *q->touched);
    q->heap[FWD].h = malloc(n * sizeof *q->heap[FWD].h);
    q->heap[BWD].h = malloc(n * sizeof *q->heap[BWD].h);
    if (!q->dist || !q->parent || !q->pos || !q->touched || !q->heap[FWD].h || !q->heap[BWD].h) {
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
    free(q->parent);
    free(q->pos);
    free(q->touched);
    free(q->heap[FWD].h);
    free(q->heap[BWD].h);
    free(q->ends[0]);
    free(q->ends[1]);
    free(q->stack);
    free(q);
}

static void
query_reset(struct cr_ch_query *q)
{
    for (uint32_t i = 0; i < q->touched_len; i++) {
        uint32_t x = q->touched[i];
        q->dist[2 * x] = q->dist[2 * x + 1] = CR_INF;
    }
    q->touched_len = 0;
    q->heap[FWD].size = q->heap[BWD].size = 0;
}

/* Queues rank X on side D with DIST, or lowers its key. */
static HOT_INLINE void
reach(struct cr_ch_query *q, int d, uint32_t x, uint32_t dist, uint32_t parent)
{
    uint32_t *dx = &q->dist[2 * x + d];
    if (dist >= *dx)
        return;
    if (*dx == CR_INF) {
        if (q->dist[2 * x + !d] == CR_INF)
            q->touched[q->touched_len++] = x;
        *dx = dist;
        q->parent[2 * x + d] = parent;
        PREFETCH(&q->ch->snode[x]); /* read when x is settled, likely a cache miss otherwise */
        heap_push(&q->heap[d], q->pos + d, 2, x, dist);
    } else {
        *dx = dist;
        q->parent[2 * x + d] = parent;
        heap_up(&q->heap[d], q->pos + d, 2, q->pos[2 * x + d],
                (struct heap_item){ .key = dist, .node = x });
    }
}

/* Seeds side D with the endpoints (skipping bad ones). */
static void
seed(struct cr_ch_query *q, int d, const struct cr_endpoint *e, size_t n)
{
    const struct cr_ch_arrays *a = &q->ch->a;
    for (size_t i = 0; i < n; i++)
        if (e[i].node < a->node_count && e[i].weight < CR_INF)
            reach(q, d, a->rank[e[i].node], e[i].weight, NO_ARC);
}

/* Settles the minimum of side D: returns its rank, or UINT32_MAX when stalled (a higher node
 * reaches it shorter, so its arcs need not be relaxed). On return *dist holds its distance. */
static HOT_INLINE uint32_t
settle(struct cr_ch_query *q, int d, uint32_t *dist, uint64_t *best, uint32_t *meet)
{
    const struct cr_ch *ch = q->ch;
    struct heap_item top = heap_pop(&q->heap[d], q->pos + d, 2);
    uint32_t x = top.node, dx = top.key;
    if (q->heap[d].size) /* the arcs of this side's next node (its range is in cache by now) */
        PREFETCH(&ch->sarc[ch->snode[q->heap[d].h[0].node].begin]);
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
        reach(q, d, y, (uint32_t)nd, i);
        other = (uint64_t)q->dist[2 * y + !d] + nd; /* met the other side */
        if (other < *best) {
            *best = other;
            *meet = y;
        }
    }
    return x;
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

uint32_t
cr_ch_query_run(struct cr_ch_query *q, const struct cr_endpoint *sources, size_t ns,
                const struct cr_endpoint *targets, size_t nt)
{
    uint64_t best = CR_INF;
    uint32_t meet = CR_INF;

    query_reset(q);
    q->best = CR_INF;
    q->meet = CR_INF;
    if (keep_copy(&q->ends[FWD], &q->cap[FWD], sources, ns) ||
        keep_copy(&q->ends[BWD], &q->cap[BWD], targets, nt)) {
        q->count[FWD] = q->count[BWD] = 0;
        return CR_INF;
    }
    q->count[FWD] = ns;
    q->count[BWD] = nt;
    if (ns == 0 || nt == 0)
        return CR_INF;
    seed(q, FWD, sources, ns);
    seed(q, BWD, targets, nt);
    for (uint32_t i = 0; i < q->touched_len; i++) { /* a node both source and target */
        uint32_t x = q->touched[i];
        if ((uint64_t)q->dist[2 * x] + q->dist[2 * x + 1] < best) {
            best = (uint64_t)q->dist[2 * x] + q->dist[2 * x + 1];
            meet = x;
        }
    }
    for (;;) {
        /* strictly alternating (a predictable branch); a side is done when its smallest key
         * cannot beat the best meeting */
        int fwd = q->heap[FWD].size && q->heap[FWD].h[0].key < best;
        int bwd = q->heap[BWD].size && q->heap[BWD].h[0].key < best;
        uint32_t dx;
        if (!fwd && !bwd)
            break;
        if (fwd)
            settle(q, FWD, &dx, &best, &meet);
        if (bwd && q->heap[BWD].h[0].key < best)
            settle(q, BWD, &dx, &best, &meet);
    }
    q->best = (uint32_t)best;
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

/* ------------------------------------------------------------------------------------------ */
/* Many-to-many                                                                                */

struct bucket_entry {
    uint32_t node, target, dist;
};

struct bucket_item {
    uint32_t target, dist;
};

static enum cr_status
check_endpoints(const struct cr_ch_arrays *a, const struct cr_endpoint *e, const uint32_t *first,
                size_t count, const char *what, struct cr_error *err)
{
    if (count && !first)
        return cr_error_set(err, CR_EINVAL, "many-to-many: %s_first missing", what);
    for (size_t i = 0; i < count; i++) {
        if (first[i] > first[i + 1])
            return cr_error_set(err, CR_EINVAL, "many-to-many: %s_first decreases at %zu", what, i);
        for (uint32_t k = first[i]; k < first[i + 1]; k++)
            if (e[k].node >= a->node_count)
                return cr_error_set(err, CR_EINVAL,
                                    "many-to-many: %s %zu: node %u out of range (%u nodes)", what,
                                    i, e[k].node, a->node_count);
    }
    return CR_OK;
}

enum cr_status
cr_ch_many_to_many(const struct cr_ch *ch, const struct cr_endpoint *src, const uint32_t *src_first,
                   size_t ns, const struct cr_endpoint *dst, const uint32_t *dst_first, size_t nt,
                   uint32_t *out, struct cr_error *err)
{
    const struct cr_ch_arrays *a = &ch->a;
    struct cr_ch_query *q = NULL;
    struct bucket_entry *e = NULL;
    struct bucket_item *items = NULL;
    uint32_t *bucket_of = NULL, *bucket_first = NULL;
    size_t e_len = 0, e_cap = 0, buckets = 0;
    enum cr_status st;

    if ((st = check_endpoints(a, src, src_first, ns, "source", err)) ||
        (st = check_endpoints(a, dst, dst_first, nt, "target", err)))
        return st;
    if (ns && nt && ns > SIZE_MAX / sizeof *out / nt)
        return cr_error_set(err, CR_EINVAL, "many-to-many: %zu x %zu too large", ns, nt);
    for (size_t i = 0; i < ns * nt; i++)
        out[i] = CR_INF;
    if (ns == 0 || nt == 0)
        return CR_OK;
    if (nt > UINT32_MAX)
        return cr_error_set(err, CR_EINVAL, "many-to-many: %zu targets, at most %u", nt,
                            UINT32_MAX);

    q = cr_ch_query_create(ch);
    bucket_of = calloc(a->node_count ? a->node_count : 1, sizeof *bucket_of);
    if (!q || !bucket_of)
        goto nomem;

    /* backward searches fill the buckets */
    for (size_t j = 0; j < nt; j++) {
        query_reset(q);
        seed(q, BWD, dst + dst_first[j], dst_first[j + 1] - dst_first[j]);
        while (q->heap[BWD].size > 0) {
            uint64_t none = CR_INF;
            uint32_t dx, meet, x = settle(q, BWD, &dx, &none, &meet);
            if (x == UINT32_MAX)
                continue;
            if (e_len == e_cap && grow((void **)&e, &e_cap, e_len + 1, sizeof *e))
                goto nomem;
            e[e_len++] = (struct bucket_entry){ .node = x, .target = (uint32_t)j, .dist = dx };
            if (bucket_of[x] == 0)
                bucket_of[x] = (uint32_t)++buckets;
        }
    }
    /* counting sort of the entries by bucket */
    bucket_first = calloc(buckets + 2, sizeof *bucket_first);
    items = malloc((e_len ? e_len : 1) * sizeof *items);
    if (!bucket_first || !items)
        goto nomem;
    for (size_t i = 0; i < e_len; i++)
        bucket_first[bucket_of[e[i].node] + 1]++;
    for (size_t b = 1; b <= buckets + 1; b++)
        bucket_first[b] += bucket_first[b - 1];
    for (size_t i = 0; i < e_len; i++)
        items[bucket_first[bucket_of[e[i].node]]++] =
            (struct bucket_item){ .target = e[i].target, .dist = e[i].dist };
    for (size_t b = buckets + 1; b > 0; b--) /* shift back: bucket_first[b] starts bucket b */
        bucket_first[b] = bucket_first[b - 1];
    bucket_first[0] = 0;
    free(e);
    e = NULL;

    /* forward searches scan them */
    for (size_t i = 0; i < ns; i++) {
        uint32_t *row = out + i * nt;
        query_reset(q);
        seed(q, FWD, src + src_first[i], src_first[i + 1] - src_first[i]);
        while (q->heap[FWD].size > 0) {
            uint64_t none = CR_INF;
            uint32_t dx, meet, b, x = settle(q, FWD, &dx, &none, &meet);
            if (x == UINT32_MAX || (b = bucket_of[x]) == 0)
                continue;
            for (uint32_t k = bucket_first[b]; k < bucket_first[b + 1]; k++) {
                uint64_t w = (uint64_t)dx + items[k].dist;
                if (w < row[items[k].target])
                    row[items[k].target] = (uint32_t)w;
            }
        }
    }
    st = CR_OK;
    goto done;
nomem:
    st = cr_error_set(err, CR_ENOMEM, "many-to-many: out of memory (%zu x %zu)", ns, nt);
done:
    cr_ch_query_destroy(q);
    free(e);
    free(items);
    free(bucket_of);
    free(bucket_first);
    return st;
}
