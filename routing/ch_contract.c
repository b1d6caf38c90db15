/*
 * Contraction hierarchies, the build's core: the remaining graph, witness searches, and the
 * contraction in rounds. ch_build.c loads the input and turns the result into the CH's arrays.
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
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "routing/ch_build.h"
#include "routing/tie.h"

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

/* Adds arc x->y or lowers its (weight, second). Returns -1 when out of memory. */
static int
add_or_reduce(struct builder *b, uint32_t x, uint32_t y, uint32_t weight, uint32_t second,
              uint32_t id, uint32_t hops)
{
    struct dlist *out = &b->out[x], *in = &b->in[y];
    struct darc a = { .node = y, .weight = weight, .id = id, .hops = hops, .second = second };
    for (uint32_t i = out->begin; i < out->begin + out->len; i++) {
        if (b->pool[i].node != y)
            continue;
        if (cr_tie_key(b->pool[i].weight, b->pool[i].second) <= cr_tie_key(weight, second))
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
 * (target == wnow) is resolved (reached with a (weight, second) no greater than its via's: a
 * witness; or settled greater: none), past the largest via weight of those still open, or past
 * SETTLED_LIMIT settled nodes. The heap is keyed by weight; a label of the same weight and a
 * smaller second replaces a queued node's (routing/tie.h). Afterwards a node's (dist, second) is
 * a path's (tentative or final) when its stamp is current. */
static void
witness_search(const struct builder *b, struct witness *wi, uint32_t s, uint32_t skip,
               uint32_t settled_limit, uint32_t open)
{
    struct wstate *ws = wi->ws;
    struct wtarget *wt = wi->wt;
    struct cr_heap *wh = &wi->wh;
    uint32_t *wpos = wi->wpos;
    const struct dlist *outs = b->out;
    const struct nw *pool = b->pool;
    const uint32_t wnow = wi->wnow;
    uint32_t settled = 0, bound = open_bound(wi, wnow);

    ws[s].stamp = wnow;
    ws[s].dist = 0;
    ws[s].second = 0;
    cr_heap_push(wh, wpos, 1, s, 0);

    while (wh->size > 0) {
        struct cr_heap_item top;
        const struct nw *p, *end;
        if (wh->h[0].key > bound)
            break;
        top = cr_heap_pop(wh, wpos, 1);
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
            uint32_t y = p->node, ns = cr_tie_add(ws[top.node].second, p->second);
            uint64_t nd = (uint64_t)top.key + p->weight;
            struct wstate *w = &ws[y];
            if (y == skip || nd > bound)
                continue;
            if (w->stamp != wnow) {
                w->stamp = wnow;
                w->dist = (uint32_t)nd;
                w->second = ns;
                cr_heap_push(wh, wpos, 1, y, (uint32_t)nd);
            } else if (nd < w->dist && wpos[y] != UINT32_MAX) {
                w->dist = (uint32_t)nd;
                w->second = ns;
                cr_heap_decrease(wh, wpos, 1, y, (uint32_t)nd);
            } else if (nd == w->dist && ns < w->second && wpos[y] != UINT32_MAX) {
                w->second = ns;
            } else {
                continue;
            }
            if (wt[y].target == wnow &&
                cr_tie_key((uint32_t)nd, ns) <= cr_tie_key(wt[y].via, wt[y].via_second)) {
                /* a witness */
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
            wi->wt[o->node].via_second = cr_tie_add(in.second, o->second);
            wi->t_node[wi->t_len++] = o->node;
            targets++;
        }
        if (targets == 0)
            continue;
        witness_search(b, wi, in.node, v, settled_limit, targets);
        for (uint32_t k = 0; k < out_len; k++) {
            struct darc o = pool_get(b, vo->begin + k);
            uint64_t via = (uint64_t)in.weight + o.weight;
            uint32_t via_second = cr_tie_add(in.second, o.second);
            const struct wstate *w = &wi->ws[o.node];
            if (o.node == in.node || via >= CR_INF)
                continue;
            if (w->stamp == wi->wnow &&
                cr_tie_key(w->dist, w->second) <= cr_tie_key((uint32_t)via, via_second))
                continue;
            (*added)++;
            {
                uint32_t hops = in.hops + o.hops;
                if (hops > HOPS_MAX)
                    hops = HOPS_MAX;
                *added_hops += hops;
                if (emit) {
                    if (cr_ch_grow((void **)&wi->sc, &wi->sc_cap, wi->sc_len + 1, sizeof *wi->sc))
                        return -1;
                    wi->sc[wi->sc_len++] = (struct shortcut){ .from = in.node,
                                                              .to = o.node,
                                                              .weight = (uint32_t)via,
                                                              .hops = hops,
                                                              .second = via_second,
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

int
cr_ch_side_push(struct side_out *s, struct darc a)
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
        if (cr_ch_side_push(&b->up, pool_get(b, vo->begin + i)))
            return -1;
    for (uint32_t i = 0; i < vi->len; i++)
        if (cr_ch_side_push(&b->down, pool_get(b, vi->begin + i)))
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
                if (add_or_reduce(b, w->sc[*k].from, w->sc[*k].to, w->sc[*k].weight,
                                  w->sc[*k].second, r, w->sc[*k].hops))
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
        job[t] = (struct prio_job){ .b = b,
                                    .w = &b->w[t],
                                    .list = list,
                                    .first = first,
                                    .len = len,
                                    .start = t,
                                    .step = threads };
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
int
cr_ch_contract_in_rounds(struct builder *b, int (*progress)(void *, double), void *progress_user)
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

void
cr_ch_witness_fini(struct witness *w)
{
    free(w->ws);
    free(w->wt);
    free(w->wh.h);
    free(w->wpos);
    free(w->t_node);
    free(w->sc);
    *w = (struct witness){ 0 };
}

int
cr_ch_witness_init(struct witness *w, size_t n)
{
    w->ws = calloc(n, sizeof *w->ws);
    w->wt = calloc(n, sizeof *w->wt);
    w->wh.h = malloc(n * sizeof *w->wh.h);
    w->wpos = malloc(n * sizeof *w->wpos);
    w->t_node = malloc(n * sizeof *w->t_node);
    if (w->ws && w->wt && w->wh.h && w->wpos && w->t_node)
        return 0;
    cr_ch_witness_fini(w);
    return -1;
}
