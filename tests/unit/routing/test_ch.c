/* Contraction hierarchies against plain Dijkstra: hand-drawn graphs with known answers, seeded
 * random road-like graphs, many-to-many, the arrays round trip, and DIMACS rome99. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "routing/ch.h"
#include "routing/dijkstra.h"

#ifndef CR_SOURCE_DIR
#define CR_SOURCE_DIR "."
#endif
#define ROME99 CR_SOURCE_DIR "/../shared/datasets/graphs/rome99.gr"
#ifndef ROME99_SHARED
#define ROME99_SHARED "/work/shared/datasets/graphs/rome99.gr"
#endif

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t
rnd(uint32_t n) /* uniform enough in [0, n) */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)((rng >> 11) % n);
}

/* ---- a graph from an arc list, sorted by tail; input arc ids are positions after sorting ---- */

struct tgraph {
    struct cr_wgraph g;
    uint32_t *first_out, *head, *weight, *tail;
};

struct arc {
    uint32_t tail, head, weight;
};

static void
tgraph_init(struct tgraph *t, uint32_t n, const struct arc *arcs, uint32_t m)
{
    uint32_t *pos = calloc(n + 1, sizeof *pos);
    t->first_out = calloc(n + 1, sizeof *t->first_out);
    t->head = malloc((m ? m : 1) * sizeof *t->head);
    t->weight = malloc((m ? m : 1) * sizeof *t->weight);
    t->tail = malloc((m ? m : 1) * sizeof *t->tail);
    assert_non_null(pos);
    assert_non_null(t->first_out);
    assert_non_null(t->head);
    assert_non_null(t->weight);
    assert_non_null(t->tail);
    for (uint32_t i = 0; i < m; i++)
        t->first_out[arcs[i].tail + 1]++;
    for (uint32_t x = 0; x < n; x++)
        t->first_out[x + 1] += t->first_out[x];
    memcpy(pos, t->first_out, (n + 1) * sizeof *pos);
    for (uint32_t i = 0; i < m; i++) { /* stable: arcs of one tail keep their order */
        uint32_t a = pos[arcs[i].tail]++;
        t->head[a] = arcs[i].head;
        t->weight[a] = arcs[i].weight;
        t->tail[a] = arcs[i].tail;
    }
    free(pos);
    t->g = (struct cr_wgraph){ .node_count = n,
                               .arc_count = m,
                               .first_out = t->first_out,
                               .head = t->head,
                               .weight = t->weight };
}

static void
tgraph_fini(struct tgraph *t)
{
    free(t->first_out);
    free(t->head);
    free(t->weight);
    free(t->tail);
}

/* Grid-like: W x H crossings, most streets two-way, some one-way, some missing, a few long
 * "highway" arcs, some parallel arcs and loops, weights 0..999. */
static void
tgraph_random(struct tgraph *t, uint32_t w, uint32_t h)
{
    uint32_t n = w * h, m = 0, cap = 8 * n + 64;
    struct arc *arcs = malloc(cap * sizeof *arcs);
    assert_non_null(arcs);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint32_t u = y * w + x;
            uint32_t nb[2] = { x + 1 < w ? u + 1 : UINT32_MAX, y + 1 < h ? u + w : UINT32_MAX };
            for (int k = 0; k < 2; k++) {
                uint32_t v = nb[k], wt = rnd(10) == 0 ? 0 : 1 + rnd(999), kind = rnd(10);
                if (v == UINT32_MAX || kind == 0) /* missing street */
                    continue;
                if (kind <= 7) { /* two-way, maybe a little different each way */
                    arcs[m++] = (struct arc){ u, v, wt };
                    arcs[m++] = (struct arc){ v, u, wt + rnd(3) };
                } else if (kind == 8) {
                    arcs[m++] = (struct arc){ u, v, wt };
                } else {
                    arcs[m++] = (struct arc){ v, u, wt };
                }
            }
        }
    for (uint32_t i = 0; i < n / 50; i++) { /* highways: long and relatively cheap */
        uint32_t u = rnd(n), v = rnd(n);
        arcs[m++] = (struct arc){ u, v, 2000 + rnd(5000) };
    }
    for (uint32_t i = 0; i < n / 100; i++) { /* parallel arcs and loops */
        struct arc a = arcs[rnd(m)];
        a.weight = rnd(2000);
        arcs[m++] = a;
        arcs[m++] = (struct arc){ a.tail, a.tail, rnd(10) };
    }
    assert_true(m <= cap);
    tgraph_init(t, n, arcs, m);
    free(arcs);
}

/* ---- checks ---- */

/* ARCS[0..count) form a path from an endpoint of SRC to one of DST whose weight plus the two
 * endpoint weights is WANT. */
static void
check_path(const struct tgraph *t, const uint32_t *arcs, size_t count,
           const struct cr_endpoint *src, size_t ns, size_t si, const struct cr_endpoint *dst,
           size_t nt, size_t ti, uint32_t want)
{
    uint64_t sum;
    uint32_t at;
    if (si >= ns || ti >= nt)
        fail_msg("path: source index %zu of %zu, target index %zu of %zu", si, ns, ti, nt);
    sum = (uint64_t)src[si].weight + dst[ti].weight;
    at = src[si].node;
    for (size_t i = 0; i < count; i++) {
        if (arcs[i] >= t->g.arc_count)
            fail_msg("path arc %zu: id %u out of range", i, arcs[i]);
        if (t->tail[arcs[i]] != at)
            fail_msg("path arc %zu (id %u) starts at %u, want %u", i, arcs[i], t->tail[arcs[i]],
                     at);
        at = t->head[arcs[i]];
        sum += t->weight[arcs[i]];
    }
    if (at != dst[ti].node)
        fail_msg("path ends at %u, want target %u", at, dst[ti].node);
    if (sum != want)
        fail_msg("path weighs %llu with its endpoints, want %u", (unsigned long long)sum, want);
}

static uint32_t *path_buf;
static size_t path_cap;

/* Runs both searches and compares answers and paths. */
static void
compare(const struct tgraph *t, struct cr_dijkstra *d, struct cr_ch_query *q,
        const struct cr_endpoint *src, size_t ns, const struct cr_endpoint *dst, size_t nt)
{
    uint32_t want = cr_dijkstra_run(d, src, ns, dst, nt);
    uint32_t got = cr_ch_query_run(q, src, ns, dst, nt);
    size_t si, ti, count;
    if (got != want)
        fail_msg("%zu sources (first %u) to %zu targets (first %u): CH %u, Dijkstra %u", ns,
                 src[0].node, nt, dst[0].node, got, want);
    if (want == CR_INF) {
        assert_int_equal(cr_ch_query_path(q, path_buf, path_cap, &si, &ti), 0);
        return;
    }
    count = cr_dijkstra_path(d, path_buf, path_cap, &si, &ti);
    if (count > path_cap) {
        path_cap = 2 * count;
        path_buf = realloc(path_buf, path_cap * sizeof *path_buf);
        assert_non_null(path_buf);
        count = cr_dijkstra_path(d, path_buf, path_cap, &si, &ti);
    }
    check_path(t, path_buf, count, src, ns, si, dst, nt, ti, want);
    count = cr_ch_query_path(q, path_buf, path_cap, &si, &ti);
    if (count > path_cap) {
        path_cap = 2 * count;
        path_buf = realloc(path_buf, path_cap * sizeof *path_buf);
        assert_non_null(path_buf);
        count = cr_ch_query_path(q, path_buf, path_cap, &si, &ti);
    }
    check_path(t, path_buf, count, src, ns, si, dst, nt, ti, want);
}

static struct cr_ch *
build(const struct tgraph *t)
{
    struct cr_error err = { 0 };
    struct cr_ch *ch = cr_ch_build(&t->g, NULL, NULL, &err);
    if (!ch)
        fail_msg("cr_ch_build: %s", err.msg);
    return ch;
}

/* N random pairs, a quarter of them with several weighted endpoints each side. */
static void
random_pairs(const struct tgraph *t, const struct cr_ch *ch, int pairs)
{
    struct cr_dijkstra *d = cr_dijkstra_create(&t->g);
    struct cr_ch_query *q = cr_ch_query_create(ch);
    uint32_t n = t->g.node_count;
    assert_non_null(d);
    assert_non_null(q);
    for (int i = 0; i < pairs; i++) {
        struct cr_endpoint src[3], dst[3];
        size_t ns = 1, nt = 1;
        if (i % 4 == 3) {
            ns = 1 + rnd(3);
            nt = 1 + rnd(3);
        }
        for (size_t k = 0; k < ns; k++)
            src[k] = (struct cr_endpoint){ rnd(n), i % 4 == 3 ? rnd(500) : 0 };
        for (size_t k = 0; k < nt; k++)
            dst[k] = (struct cr_endpoint){ rnd(n), i % 4 == 3 ? rnd(500) : 0 };
        compare(t, d, q, src, ns, dst, nt);
    }
    cr_ch_query_destroy(q);
    cr_dijkstra_destroy(d);
}

/* ---- (a) hand-drawn graphs ---- */

struct hand_case {
    uint32_t s, t, want;
};

static void
hand_graph(const struct arc *arcs, uint32_t m, uint32_t n, const struct hand_case *cases, size_t nc)
{
    struct tgraph t;
    struct cr_ch *ch;
    struct cr_dijkstra *d;
    struct cr_ch_query *q;
    tgraph_init(&t, n, arcs, m);
    ch = build(&t);
    d = cr_dijkstra_create(&t.g);
    q = cr_ch_query_create(ch);
    assert_non_null(d);
    assert_non_null(q);
    for (size_t i = 0; i < nc; i++) {
        struct cr_endpoint s = { cases[i].s, 0 }, e = { cases[i].t, 0 };
        uint32_t got = cr_ch_query_run(q, &s, 1, &e, 1);
        if (got != cases[i].want)
            fail_msg("%u -> %u: CH %u, want %u", cases[i].s, cases[i].t, got, cases[i].want);
        compare(&t, d, q, &s, 1, &e, 1);
    }
    for (uint32_t s = 0; s < n; s++) /* and every pair against Dijkstra */
        for (uint32_t e = 0; e < n; e++)
            compare(&t, d, q, &(struct cr_endpoint){ s, 0 }, 1, &(struct cr_endpoint){ e, 0 }, 1);
    cr_ch_query_destroy(q);
    cr_dijkstra_destroy(d);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

/*  0 -1-> 1 -2-> 2 -3-> 3 -4-> 4      one way */
static void
line(void **state)
{
    static const struct arc arcs[] = { { 0, 1, 1 }, { 1, 2, 2 }, { 2, 3, 3 }, { 3, 4, 4 } };
    static const struct hand_case cases[] = {
        { 0, 4, 10 }, { 1, 3, 5 }, { 2, 2, 0 }, { 4, 0, CR_INF }, { 3, 1, CR_INF },
    };
    (void)state;
    hand_graph(arcs, 4, 5, cases, sizeof cases / sizeof cases[0]);
}

/*  0 -> 1 -> 2 -> 3 -> 4 -> 5 -> 0   one-way ring, weight 10 each, plus a chord 0 -> 3 of 25 */
static void
cycle(void **state)
{
    static const struct arc arcs[] = { { 0, 1, 10 }, { 1, 2, 10 }, { 2, 3, 10 }, { 3, 4, 10 },
                                       { 4, 5, 10 }, { 5, 0, 10 }, { 0, 3, 25 } };
    static const struct hand_case cases[] = {
        { 0, 3, 25 }, { 1, 0, 50 }, { 5, 4, 45 }, { 4, 2, 40 }, { 0, 5, 45 },
    };
    (void)state;
    hand_graph(arcs, 7, 6, cases, sizeof cases / sizeof cases[0]);
}

/*      1
 *   5/2  \1        0->1 twice (5 and 2), 0->2 (1), 1->3 (1), 2->3 twice (4 and 3)
 *  0      3
 *   1\   /4,3
 *      2
 */
static void
diamond_parallel(void **state)
{
    static const struct arc arcs[] = { { 0, 1, 5 }, { 0, 1, 2 }, { 0, 2, 1 },
                                       { 1, 3, 1 }, { 2, 3, 4 }, { 2, 3, 3 } };
    static const struct hand_case cases[] = {
        { 0, 3, 3 },
        { 0, 1, 2 },
        { 2, 3, 3 },
        { 3, 0, CR_INF },
    };
    struct tgraph t;
    struct cr_ch *ch;
    struct cr_ch_query *q;
    uint32_t path[8];
    size_t si, ti;
    (void)state;
    hand_graph(arcs, 6, 4, cases, sizeof cases / sizeof cases[0]);
    /* the route 0 -> 3 takes the lighter parallel arc: ids are 1 (0->1, 2) then 3 (1->3) */
    tgraph_init(&t, 4, arcs, 6);
    ch = build(&t);
    q = cr_ch_query_create(ch);
    assert_int_equal(
        cr_ch_query_run(q, &(struct cr_endpoint){ 0, 0 }, 1, &(struct cr_endpoint){ 3, 0 }, 1), 3);
    assert_int_equal(cr_ch_query_path(q, path, 8, &si, &ti), 2);
    assert_int_equal(path[0], 1);
    assert_int_equal(path[1], 3);
    assert_int_equal(si, 0);
    assert_int_equal(ti, 0);
    /* a buffer too small gets the count and the first arcs */
    assert_int_equal(cr_ch_query_path(q, path, 1, NULL, NULL), 2);
    assert_int_equal(path[0], 1);
    cr_ch_query_destroy(q);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

/*  0 <-> 1     2 <-> 3     two islands */
static void
disconnected_pair(void **state)
{
    static const struct arc arcs[] = { { 0, 1, 7 }, { 1, 0, 7 }, { 2, 3, 9 }, { 3, 2, 9 } };
    static const struct hand_case cases[] = {
        { 0, 1, 7 },
        { 3, 2, 9 },
        { 0, 2, CR_INF },
        { 3, 1, CR_INF },
    };
    (void)state;
    hand_graph(arcs, 4, 4, cases, sizeof cases / sizeof cases[0]);
}

/*  0 -0-> 1 -0-> 2 -0-> 0   a ring of zero weights, then 2 -5-> 3 -0-> 4, and a loop at 3 */
static void
zero_weights(void **state)
{
    static const struct arc arcs[] = { { 0, 1, 0 }, { 1, 2, 0 }, { 2, 0, 0 },
                                       { 2, 3, 5 }, { 3, 4, 0 }, { 3, 3, 0 } };
    static const struct hand_case cases[] = {
        { 1, 0, 0 },
        { 0, 4, 5 },
        { 4, 0, CR_INF },
        { 3, 4, 0 },
    };
    (void)state;
    hand_graph(arcs, 6, 5, cases, sizeof cases / sizeof cases[0]);
}

/* Several weighted endpoints: the answer picks the cheapest combination. */
static void
weighted_endpoints(void **state)
{
    /*  0 -10-> 1 -10-> 2 -10-> 3 */
    static const struct arc arcs[] = { { 0, 1, 10 }, { 1, 2, 10 }, { 2, 3, 10 } };
    struct tgraph t;
    struct cr_ch *ch;
    struct cr_ch_query *q;
    struct cr_dijkstra *d;
    struct cr_endpoint src[] = { { 0, 0 }, { 1, 15 }, { 1, 4 } };
    struct cr_endpoint dst[] = { { 3, 1 }, { 2, 30 }, { 7, 0 } }; /* node 7: out of range */
    uint32_t path[8];
    size_t si, ti;
    (void)state;
    tgraph_init(&t, 4, arcs, 3);
    ch = build(&t);
    q = cr_ch_query_create(ch);
    d = cr_dijkstra_create(&t.g);
    /* 1 (weight 4) -> 3 (weight 1): 4 + 20 + 1 */
    assert_int_equal(cr_ch_query_run(q, src, 3, dst, 3), 25);
    assert_int_equal(cr_dijkstra_run(d, src, 3, dst, 3), 25);
    assert_int_equal(cr_ch_query_path(q, path, 8, &si, &ti), 2);
    assert_int_equal(si, 2);
    assert_int_equal(ti, 0);
    assert_int_equal(cr_dijkstra_path(d, path, 8, &si, &ti), 2);
    assert_int_equal(si, 2);
    assert_int_equal(ti, 0);
    /* a node both source and target */
    assert_int_equal(
        cr_ch_query_run(q, &(struct cr_endpoint){ 2, 3 }, 1, &(struct cr_endpoint){ 2, 4 }, 1), 7);
    assert_int_equal(cr_ch_query_path(q, path, 8, &si, &ti), 0);
    assert_int_equal(si, 0);
    assert_int_equal(ti, 0);
    /* nothing to search */
    assert_int_equal(cr_ch_query_run(q, src, 0, dst, 3), CR_INF);
    assert_int_equal(cr_dijkstra_run(d, src, 3, dst, 0), CR_INF);
    assert_int_equal(cr_dijkstra_distance(d, 3), 20 + 4);
    cr_dijkstra_destroy(d);
    cr_ch_query_destroy(q);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

static int
count_progress(void *user, double done)
{
    double *last = user;
    if (done < last[0] || done > 1.0)
        last[2] = 1; /* went backwards or past the end */
    last[0] = done;
    last[1]++;
    return 0;
}

static int
stop_at_half(void *user, double done)
{
    (void)user;
    return done >= 0.5;
}

static void
progress_and_errors(void **state)
{
    struct tgraph t;
    struct cr_error err = { 0 };
    double seen[3] = { 0, 0, 0 };
    struct cr_ch *ch;
    (void)state;
    rng = 7;
    tgraph_random(&t, 20, 20);
    ch = cr_ch_build(&t.g, count_progress, seen, &err);
    assert_non_null(ch);
    cr_ch_destroy(ch);
    assert_true(seen[0] == 1.0);
    assert_true(seen[1] >= 100); /* every percent at least, and more often on slow parts */
    assert_true(seen[2] == 0);
    assert_null(cr_ch_build(&t.g, stop_at_half, NULL, &err));
    assert_int_equal(err.code, CR_ECANCELLED);
    t.head[5] = 400;
    assert_null(cr_ch_build(&t.g, NULL, NULL, &err));
    assert_int_equal(err.code, CR_EINVAL);
    assert_non_null(strstr(err.msg, "arc 5"));
    t.head[5] = 0;
    t.weight[7] = CR_INF;
    assert_null(cr_ch_build(&t.g, NULL, NULL, &err));
    assert_int_equal(err.code, CR_EINVAL);
    tgraph_fini(&t);
    /* an empty graph */
    tgraph_init(&t, 0, NULL, 0);
    ch = cr_ch_build(&t.g, NULL, NULL, &err);
    assert_non_null(ch);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

/* ---- (b) random graphs ---- */

static void
random_grid_1000_pairs(void **state)
{
    struct tgraph t;
    struct cr_ch *ch;
    (void)state;
    rng = 42;
    tgraph_random(&t, 50, 40);
    ch = build(&t);
    random_pairs(&t, ch, 1000);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

/* Big enough (3600 nodes) for the build's priorities to run on several threads. */
static void
random_grid_threads(void **state)
{
    struct tgraph t;
    struct cr_ch *ch;
    (void)state;
    rng = 4343;
    tgraph_random(&t, 60, 60);
    ch = build(&t);
    random_pairs(&t, ch, 500);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

static void
random_small_graphs(void **state)
{
    (void)state;
    rng = 1234;
    for (int g = 0; g < 30; g++) {
        struct tgraph t;
        struct cr_ch *ch;
        tgraph_random(&t, 2 + rnd(8), 2 + rnd(8));
        ch = build(&t);
        random_pairs(&t, ch, 100);
        cr_ch_destroy(ch);
        tgraph_fini(&t);
    }
}

/* Dijkstra's two queues: weights too large for its bucket queue (so its heap runs), and on a
 * graph where the buckets serve, sources whose initial weights spread wider than them (the heap
 * again for those runs); both against the CH. */
static void
random_large_weights(void **state)
{
    struct tgraph t;
    struct cr_ch *ch;
    struct cr_dijkstra *d;
    struct cr_ch_query *q;
    (void)state;
    rng = 4242;
    tgraph_random(&t, 30, 30);
    for (uint32_t a = 0; a < t.g.arc_count; a++)
        t.weight[a] = t.weight[a] * 4099 + rnd(4099); /* up to about 4.1 million */
    ch = build(&t);
    random_pairs(&t, ch, 300);
    cr_ch_destroy(ch);
    tgraph_fini(&t);

    tgraph_random(&t, 30, 30);
    ch = build(&t);
    d = cr_dijkstra_create(&t.g);
    q = cr_ch_query_create(ch);
    assert_non_null(d);
    assert_non_null(q);
    for (int i = 0; i < 300; i++) {
        struct cr_endpoint src[2], dst[2];
        for (int k = 0; k < 2; k++) {
            src[k] = (struct cr_endpoint){ rnd(900), rnd(2) ? rnd(3000000) : rnd(50) };
            dst[k] = (struct cr_endpoint){ rnd(900), rnd(3000000) };
        }
        compare(&t, d, q, src, 2, dst, 2);
    }
    cr_ch_query_destroy(q);
    cr_dijkstra_destroy(d);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

/* The shape corridor contracts: the turn graph of a random grid (a node per arc, an arc per
 * turn into the next arc, U-turns left out, weighing the next arc). */
static void
random_turn_graph(void **state)
{
    struct tgraph road, turn;
    struct cr_ch *ch;
    struct arc *arcs;
    uint32_t m = 0, cap = 0;
    (void)state;
    rng = 77;
    tgraph_random(&road, 30, 30);
    for (uint32_t a = 0; a < road.g.arc_count; a++) {
        uint32_t v = road.head[a];
        cap += road.first_out[v + 1] - road.first_out[v];
    }
    arcs = malloc((cap ? cap : 1) * sizeof *arcs);
    assert_non_null(arcs);
    for (uint32_t a = 0; a < road.g.arc_count; a++) {
        uint32_t v = road.head[a];
        for (uint32_t b = road.first_out[v]; b < road.first_out[v + 1]; b++)
            if (road.head[b] != road.tail[a])
                arcs[m++] = (struct arc){ a, b, road.weight[b] };
    }
    tgraph_init(&turn, road.g.arc_count, arcs, m);
    free(arcs);
    ch = build(&turn);
    random_pairs(&turn, ch, 500);
    cr_ch_destroy(ch);
    tgraph_fini(&turn);
    tgraph_fini(&road);
}

/* ---- (c) many-to-many ---- */

static void
many_to_many_30x30(void **state)
{
    enum { NS = 30, NT = 30 };
    struct tgraph t;
    struct cr_ch *ch;
    struct cr_dijkstra *d;
    struct cr_endpoint src[2 * NS], dst[2 * NT];
    uint32_t src_first[NS + 1], dst_first[NT + 1], out[NS * NT];
    struct cr_error err = { 0 };
    uint32_t n, k = 0;
    (void)state;
    rng = 99;
    tgraph_random(&t, 40, 40);
    n = t.g.node_count;
    ch = build(&t);
    d = cr_dijkstra_create(&t.g);
    for (int i = 0; i < NS; i++) {
        src_first[i] = k;
        for (uint32_t c = i % 3 == 0 ? 2 : 1; c > 0; c--)
            src[k++] = (struct cr_endpoint){ rnd(n), i % 3 == 0 ? rnd(300) : 0 };
    }
    src_first[NS] = k;
    k = 0;
    for (int j = 0; j < NT; j++) {
        dst_first[j] = k;
        for (uint32_t c = j % 4 == 0 ? 2 : 1; c > 0; c--)
            dst[k++] = (struct cr_endpoint){ rnd(n), j % 4 == 0 ? rnd(300) : 0 };
    }
    dst_first[NT] = k;
    dst[0].node = src[0].node; /* one pair meets at once */
    assert_int_equal(cr_ch_many_to_many(ch, src, src_first, NS, dst, dst_first, NT, out, &err),
                     CR_OK);
    for (int i = 0; i < NS; i++)
        for (int j = 0; j < NT; j++) {
            uint32_t want = cr_dijkstra_run(d, src + src_first[i], src_first[i + 1] - src_first[i],
                                            dst + dst_first[j], dst_first[j + 1] - dst_first[j]);
            if (out[i * NT + j] != want)
                fail_msg("many-to-many [%d][%d]: %u, Dijkstra %u", i, j, out[i * NT + j], want);
        }
    /* a node out of range is refused */
    dst[3].node = n;
    assert_int_equal(cr_ch_many_to_many(ch, src, src_first, NS, dst, dst_first, NT, out, &err),
                     CR_EINVAL);
    assert_non_null(strstr(err.msg, "out of range"));
    cr_dijkstra_destroy(d);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

/* ---- (d) arrays round trip ---- */

static uint32_t *
dup_array(const uint32_t *a, size_t n)
{
    uint32_t *p = malloc((n ? n : 1) * sizeof *p);
    assert_non_null(p);
    if (n)
        memcpy(p, a, n * sizeof *p);
    return p;
}

static void
arrays_round_trip(void **state)
{
    struct tgraph t;
    struct cr_ch *ch, *copy;
    struct cr_ch_arrays a, b;
    struct cr_error err = { 0 };
    struct cr_ch_query *q1, *q2;
    uint32_t *owned[11], n, *path1, *path2;
    (void)state;
    rng = 5;
    tgraph_random(&t, 30, 30);
    ch = build(&t);
    cr_ch_arrays(ch, &a);
    n = a.node_count;
    assert_int_equal(n, t.g.node_count);
    b = a;
    b.rank = owned[0] = dup_array(a.rank, n);
    b.up_first = owned[1] = dup_array(a.up_first, n + 1);
    b.up_head = owned[2] = dup_array(a.up_head, a.up_count);
    b.up_weight = owned[3] = dup_array(a.up_weight, a.up_count);
    b.up_middle = owned[4] = dup_array(a.up_middle, a.up_count);
    b.up_arc = owned[5] = dup_array(a.up_arc, a.up_count);
    b.down_first = owned[6] = dup_array(a.down_first, n + 1);
    b.down_head = owned[7] = dup_array(a.down_head, a.down_count);
    b.down_weight = owned[8] = dup_array(a.down_weight, a.down_count);
    b.down_middle = owned[9] = dup_array(a.down_middle, a.down_count);
    b.down_arc = owned[10] = dup_array(a.down_arc, a.down_count);
    copy = cr_ch_from_arrays(&b, "copy", &err);
    if (!copy)
        fail_msg("cr_ch_from_arrays: %s", err.msg);
    q1 = cr_ch_query_create(ch);
    q2 = cr_ch_query_create(copy);
    path1 = malloc(4 * n * sizeof *path1);
    path2 = malloc(4 * n * sizeof *path2);
    for (int i = 0; i < 300; i++) {
        struct cr_endpoint s = { rnd(n), 0 }, e = { rnd(n), 0 };
        uint32_t w1 = cr_ch_query_run(q1, &s, 1, &e, 1), w2 = cr_ch_query_run(q2, &s, 1, &e, 1);
        size_t c1, c2;
        assert_int_equal(w1, w2);
        c1 = cr_ch_query_path(q1, path1, 4 * n, NULL, NULL);
        c2 = cr_ch_query_path(q2, path2, 4 * n, NULL, NULL);
        assert_int_equal(c1, c2);
        assert_memory_equal(path1, path2, c1 * sizeof *path1);
    }
    free(path1);
    free(path2);
    cr_ch_query_destroy(q1);
    cr_ch_query_destroy(q2);
    cr_ch_destroy(copy);

    /* every kind of bad id is refused, naming the source */
    {
        struct {
            uint32_t *at, bad;
            const char *want;
        } cases[] = {
            { &owned[0][3], n, "rank" },
            { &owned[0][3], 0, "given twice" },
            { &owned[2][0], n, "head rank" },
            { &owned[2][0], 0, "head rank" },
            { &owned[7][1], n + 5, "head rank" },
            { &owned[1][n], a.up_count + 1, "up_first" },
            { &owned[6][1], a.down_count + 1, "down_first" },
            { &owned[3][2], CR_INF, "weight" },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            uint32_t keep = *cases[i].at;
            if (i == 1)
                cases[i].bad = owned[0][4]; /* the rank of another node */
            *cases[i].at = cases[i].bad;
            err = (struct cr_error){ 0 };
            assert_null(cr_ch_from_arrays(&b, "mapped.corr", &err));
            if (err.code != CR_EFORMAT || !strstr(err.msg, "mapped.corr") ||
                !strstr(err.msg, cases[i].want))
                fail_msg("case %zu: %s (%s), want \"%s\"", i, err.msg, cr_status_name(err.code),
                         cases[i].want);
            *cases[i].at = keep;
        }
        /* a middle that is not below its arc's owner */
        for (uint32_t x = 0; x < n; x++)
            if (b.up_first[x] < b.up_first[x + 1]) {
                uint32_t i = b.up_first[x], keep = owned[4][i];
                owned[4][i] = x;
                assert_null(cr_ch_from_arrays(&b, "mapped.corr", &err));
                assert_non_null(strstr(err.msg, "middle"));
                owned[4][i] = keep;
                break;
            }
        copy = cr_ch_from_arrays(&b, "mapped.corr", &err);
        assert_non_null(copy);
        cr_ch_destroy(copy);
    }
    for (int i = 0; i < 11; i++)
        free(owned[i]);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

/* ---- (e) rome99 ---- */

static int
read_dimacs(const char *path, struct tgraph *t)
{
    FILE *f = fopen(path, "r");
    char line[256];
    uint32_t n = 0, m = 0, k = 0;
    struct arc *arcs = NULL;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        unsigned u, v, w;
        if (line[0] == 'p' && sscanf(line, "p sp %u %u", &u, &v) == 2) {
            n = u;
            m = v;
            arcs = malloc((m ? m : 1) * sizeof *arcs);
            assert_non_null(arcs);
        } else if (line[0] == 'a' && sscanf(line, "a %u %u %u", &u, &v, &w) == 3) {
            assert_non_null(arcs);
            assert_true(k < m && u >= 1 && u <= n && v >= 1 && v <= n);
            arcs[k++] = (struct arc){ u - 1, v - 1, w };
        }
    }
    fclose(f);
    assert_int_equal(k, m);
    tgraph_init(t, n, arcs, m);
    free(arcs);
    return 0;
}

static void
rome99_1000_pairs(void **state)
{
    struct tgraph t;
    struct cr_ch *ch;
    (void)state;
    if (read_dimacs(ROME99, &t) && read_dimacs(ROME99_SHARED, &t)) {
        print_message("skipped: ../shared/datasets/graphs/rome99.gr not found\n");
        skip();
    }
    assert_int_equal(t.g.node_count, 3353);
    rng = 2024;
    ch = build(&t);
    random_pairs(&t, ch, 1000);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

static int
teardown(void **state)
{
    (void)state;
    free(path_buf);
    path_buf = NULL;
    path_cap = 0;
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(line),
        cmocka_unit_test(cycle),
        cmocka_unit_test(diamond_parallel),
        cmocka_unit_test(disconnected_pair),
        cmocka_unit_test(zero_weights),
        cmocka_unit_test(weighted_endpoints),
        cmocka_unit_test(progress_and_errors),
        cmocka_unit_test(random_grid_1000_pairs),
        cmocka_unit_test(random_grid_threads),
        cmocka_unit_test(random_small_graphs),
        cmocka_unit_test(random_turn_graph),
        cmocka_unit_test(random_large_weights),
        cmocka_unit_test(many_to_many_30x30),
        cmocka_unit_test(arrays_round_trip),
        cmocka_unit_test(rome99_1000_pairs),
    };
    path_cap = 1024;
    path_buf = malloc(path_cap * sizeof *path_buf);
    return cmocka_run_group_tests(tests, NULL, teardown);
}
