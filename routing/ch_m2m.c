/*
 * Contraction hierarchies, many-to-many: backward upward searches from every target leave
 * (target, weight) entries in buckets at the nodes they settle; forward upward searches from
 * every source scan them (ch_search.h's searches), split over threads (the buckets are shared,
 * read-only, each thread has its own search scratch and rows).
 *
 * With sums (struct cr_ch_sums), each bucket entry also carries the sums of its backward path,
 * each settled forward node those of its path (a node's parent is settled before it), and each
 * cell keeps the node and entry of its best total: the row's sums are added up once it is done,
 * so the bucket scan itself stays as cheap as without.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "routing/ch_search.h"

#define M2M_MAX_THREADS 16
#define ROWS_PER_TAKE 8

struct bucket_entry {
    uint32_t node, target, dist, from; /* from: index of its sums in the entries' order */
    uint32_t second;                   /* the tie-break beside dist (routing/tie.h) */
};

struct bucket_item {
    uint32_t target, dist, second;
};

/* The buckets, shared by the forward searches. */
struct buckets {
    const struct cr_ch *ch;
    uint32_t *bucket_of;    /* [node_count] bucket + 1 of a rank, 0: none */
    uint32_t *bucket_first; /* [buckets + 2] */
    struct bucket_item *items;
    int64_t *item_sums; /* [k * items] with sums */
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

/* The sums at settled rank X of side D into AT[x * k]: its endpoint's (the first of E[0..n-1]
 * at X with X's distance) or its parent's plus the arc's. */
static void
sum_settled(const struct cr_ch_query *q, int d, uint32_t x, uint32_t dx, const struct cr_ch_sums *s,
            const struct cr_endpoint *e, const int64_t *e_sums, size_t n, int64_t *at)
{
    uint32_t p = q->parent[2 * x + d];
    int64_t *o = at + (size_t)x * s->k;
    if (p == NO_ARC) {
        const uint32_t *rank = q->ch->a.rank;
        for (size_t i = 0; i < n; i++)
            if (e[i].node < q->ch->a.node_count && rank[e[i].node] == x && e[i].weight == dx) {
                memcpy(o, e_sums + i * s->k, s->k * sizeof *o);
                return;
            }
        memset(o, 0, s->k * sizeof *o); /* not reached: every seeded rank has one */
        return;
    }
    {
        const int64_t *from = at + (size_t)s->owner[p] * s->k, *arc = s->arc + (size_t)p * s->k;
        for (size_t c = 0; c < s->k; c++)
            o[c] = from[c] + arc[c];
    }
}

/* The backward searches: every target's entries, sorted by bucket into B. */
static enum cr_status
fill_buckets(struct buckets *b, struct cr_ch_query *q, const struct cr_endpoint *dst,
             const uint32_t *dst_first, size_t nt, const struct cr_ch_sums *s)
{
    const struct cr_ch_arrays *a = &b->ch->a;
    struct bucket_entry *e = NULL;
    int64_t *e_sums = NULL, *at = NULL;
    size_t e_len = 0, e_cap = 0, s_cap = 0, buckets = 0;
    size_t k = s ? s->k : 0;

    if (s && !(at = malloc(((size_t)a->node_count + 1) * k * sizeof *at)))
        goto nomem;
    for (size_t j = 0; j < nt; j++) {
        const struct cr_endpoint *ends = dst + dst_first[j];
        size_t n = dst_first[j + 1] - dst_first[j];
        query_reset(q);
        seed(q, BWD, ends, n);
        while (q->heap[BWD].size > 0) {
            uint64_t none = CR_INF;
            uint32_t dx, meet, x = settle(q, BWD, &dx, &none, &meet);
            if (x == UINT32_MAX)
                continue;
            if (e_len == e_cap && cr_ch_grow((void **)&e, &e_cap, e_len + 1, sizeof *e))
                goto nomem;
            if (s) {
                if (e_len * k >= s_cap &&
                    cr_ch_grow((void **)&e_sums, &s_cap, (e_len + 1) * k, sizeof *e_sums))
                    goto nomem;
                sum_settled(q, BWD, x, dx, s, ends, s->dst + (size_t)dst_first[j] * k, n, at);
                memcpy(e_sums + e_len * k, at + (size_t)x * k, k * sizeof *e_sums);
            }
            e[e_len] = (struct bucket_entry){ x, (uint32_t)j, dx, (uint32_t)e_len,
                                              q->second[2 * x + BWD] };
            e_len++;
            if (b->bucket_of[x] == 0)
                b->bucket_of[x] = (uint32_t)++buckets;
        }
    }
    /* counting sort of the entries by bucket */
    b->bucket_first = calloc(buckets + 2, sizeof *b->bucket_first);
    b->items = malloc((e_len ? e_len : 1) * sizeof *b->items);
    if (s && !(b->item_sums = malloc((e_len * k + 1) * sizeof *b->item_sums)))
        goto nomem;
    if (!b->bucket_first || !b->items)
        goto nomem;
    for (size_t i = 0; i < e_len; i++)
        b->bucket_first[b->bucket_of[e[i].node] + 1]++;
    for (size_t i = 1; i <= buckets + 1; i++)
        b->bucket_first[i] += b->bucket_first[i - 1];
    for (size_t i = 0; i < e_len; i++) {
        uint32_t to = b->bucket_first[b->bucket_of[e[i].node]]++;
        b->items[to] = (struct bucket_item){ e[i].target, e[i].dist, e[i].second };
        if (s)
            memcpy(b->item_sums + (size_t)to * k, e_sums + (size_t)e[i].from * k,
                   k * sizeof *e_sums);
    }
    for (size_t i = buckets + 1; i > 0; i--) /* shift back: bucket_first[b] starts bucket b */
        b->bucket_first[i] = b->bucket_first[i - 1];
    b->bucket_first[0] = 0;
    free(e);
    free(e_sums);
    free(at);
    return CR_OK;
nomem:
    free(e);
    free(e_sums);
    free(at);
    return CR_ENOMEM;
}

/* One thread's forward searches: rows taken ROWS_PER_TAKE at a time from a shared counter. */
struct fwd_job {
    const struct buckets *b;
    const struct cr_endpoint *src;
    const uint32_t *src_first;
    size_t ns, nt;
    uint32_t *out;
    const struct cr_ch_sums *s;
    atomic_size_t *next_row;
    int ok; /* took rows until none was left (not out of memory) */
};

static void
forward_row(const struct fwd_job *j, struct cr_ch_query *q, size_t i, int64_t *at, uint32_t *meet,
            uint32_t *item, uint32_t *rsec)
{
    const struct buckets *b = j->b;
    const struct cr_ch_sums *s = j->s;
    const struct cr_endpoint *ends = j->src + j->src_first[i];
    size_t n = j->src_first[i + 1] - j->src_first[i], nt = j->nt;
    uint32_t *row = j->out + i * nt;

    query_reset(q);
    seed(q, FWD, ends, n);
    while (q->heap[FWD].size > 0) {
        uint64_t none = CR_INF;
        uint32_t dx, m, bk, x = settle(q, FWD, &dx, &none, &m), sx;
        if (x == UINT32_MAX)
            continue;
        sx = q->second[2 * x + FWD];
        if (s)
            sum_settled(q, FWD, x, dx, s, ends, s->src + (size_t)j->src_first[i] * s->k, n, at);
        if ((bk = b->bucket_of[x]) == 0)
            continue;
        for (uint32_t k = b->bucket_first[bk]; k < b->bucket_first[bk + 1]; k++) {
            uint64_t w = (uint64_t)dx + b->items[k].dist;
            uint32_t t = b->items[k].target, sw;
            if (w > row[t] || w >= CR_INF)
                continue;
            sw = cr_tie_add(sx, b->items[k].second);
            if (w < row[t] || sw < rsec[t]) { /* the least (weight, second): routing/tie.h */
                row[t] = (uint32_t)w;
                rsec[t] = sw;
                if (s) {
                    meet[t] = x;
                    item[t] = k;
                }
            }
        }
    }
    if (!s)
        return;
    for (size_t t = 0; t < nt; t++) {
        int64_t *o = s->out + (i * nt + t) * s->k;
        const int64_t *f, *g;
        if (row[t] == CR_INF)
            continue;
        f = at + (size_t)meet[t] * s->k;
        g = b->item_sums + (size_t)item[t] * s->k;
        for (size_t c = 0; c < s->k; c++)
            o[c] = f[c] + g[c];
    }
}

static void *
forward_rows(void *arg)
{
    struct fwd_job *j = arg;
    const struct cr_ch *ch = j->b->ch;
    struct cr_ch_query *q = cr_ch_query_create(ch);
    size_t k = j->s ? j->s->k : 0;
    int64_t *at = k ? malloc(((size_t)ch->a.node_count + 1) * k * sizeof *at) : NULL;
    uint32_t *meet = k ? malloc((j->nt + 1) * sizeof *meet) : NULL;
    uint32_t *item = k ? malloc((j->nt + 1) * sizeof *item) : NULL;
    uint32_t *rsec = malloc((j->nt + 1) * sizeof *rsec);

    if (!q || !rsec || (k && (!at || !meet || !item)))
        goto done;
    for (;;) {
        size_t first = atomic_fetch_add(j->next_row, ROWS_PER_TAKE);
        if (first >= j->ns)
            break;
        for (size_t i = first; i < j->ns && i < first + ROWS_PER_TAKE; i++)
            forward_row(j, q, i, at, meet, item, rsec);
    }
    j->ok = 1;
done:
    cr_ch_query_destroy(q);
    free(at);
    free(meet);
    free(item);
    free(rsec);
    return NULL;
}

static void
run_forward(struct fwd_job *jobs, unsigned threads)
{
    pthread_t tid[M2M_MAX_THREADS];
    int started[M2M_MAX_THREADS] = { 0 };

    for (unsigned t = 1; t < threads; t++)
        started[t] = pthread_create(&tid[t], NULL, forward_rows, &jobs[t]) == 0;
    forward_rows(&jobs[0]); /* a thread that did not start leaves its rows to the others */
    for (unsigned t = 1; t < threads; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
}

enum cr_status
cr_ch_many_to_many_sums(const struct cr_ch *ch, const struct cr_endpoint *src,
                        const uint32_t *src_first, size_t ns, const struct cr_endpoint *dst,
                        const uint32_t *dst_first, size_t nt, uint32_t *out,
                        const struct cr_ch_sums *sums, unsigned threads, struct cr_error *err)
{
    const struct cr_ch_arrays *a = &ch->a;
    struct cr_ch_query *q = NULL;
    struct buckets b = { ch, NULL, NULL, NULL, NULL };
    struct fwd_job jobs[M2M_MAX_THREADS];
    atomic_size_t next_row;
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
    threads = threads < 1 ? 1 : threads > M2M_MAX_THREADS ? M2M_MAX_THREADS : threads;

    q = cr_ch_query_create(ch);
    b.bucket_of = calloc(a->node_count ? a->node_count : 1, sizeof *b.bucket_of);
    if (!q || !b.bucket_of || fill_buckets(&b, q, dst, dst_first, nt, sums))
        goto nomem;
    atomic_init(&next_row, 0);
    for (unsigned t = 0; t < threads; t++)
        jobs[t] = (struct fwd_job){ &b, src, src_first, ns, nt, out, sums, &next_row, 0 };
    run_forward(jobs, threads);
    st = CR_ENOMEM; /* the rows of a job that failed went to one that did not, if any */
    for (unsigned t = 0; t < threads; t++)
        if (jobs[t].ok)
            st = CR_OK;
    if (st)
        goto nomem;
    goto done;
nomem:
    st = cr_error_set(err, CR_ENOMEM, "many-to-many: out of memory (%zu x %zu)", ns, nt);
done:
    cr_ch_query_destroy(q);
    free(b.items);
    free(b.item_sums);
    free(b.bucket_of);
    free(b.bucket_first);
    return st;
}

enum cr_status
cr_ch_many_to_many(const struct cr_ch *ch, const struct cr_endpoint *src, const uint32_t *src_first,
                   size_t ns, const struct cr_endpoint *dst, const uint32_t *dst_first, size_t nt,
                   uint32_t *out, struct cr_error *err)
{
    return cr_ch_many_to_many_sums(ch, src, src_first, ns, dst, dst_first, nt, out, NULL, 1, err);
}
