/* The tie rule (routing/tie.h): on seeded random graphs full of equal weights (arc weights 1 or
 * 2, seconds drawn from a wide range so that the least (weight, second) path is nearly always
 * unique), plain Dijkstra finds the least (weight, second) of a brute-force Bellman-Ford, and the
 * CH point-to-point query, the many-to-many (1 and 2 threads, the seconds summed along each
 * cell) and a CH rebuilt from its arrays (a stored one, seconds summed at load) all give the same
 * weight, the same second and, where the least pair is unique, the same arcs as Dijkstra. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "routing/ch.h"
#include "routing/dijkstra.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)((rng >> 11) % n);
}

struct tgraph {
    struct cr_wgraph g;
    uint32_t *first_out, *head, *weight, *second, *tail, *node_second;
};

/* A W x H grid, streets two-way (3 in 4) or one-way, weights 1 or 2 (ties everywhere), seconds
 * 1 .. SPREAD; with TURNS, its turn graph instead (a node per street arc, an arc per turn that
 * is not a U-turn, weighing the next street's weight and second): the shape corridor contracts. */
static void
tgraph_make(struct tgraph *t, uint32_t w, uint32_t h, uint32_t spread, int turns)
{
    uint32_t n = w * h, m = 0, cap = 4 * n;
    uint32_t *tl = malloc(cap * sizeof *tl), *hd = malloc(cap * sizeof *hd);
    uint32_t *wt = malloc(cap * sizeof *wt), *sc = malloc(cap * sizeof *sc);
    assert_true(tl && hd && wt && sc);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint32_t u = y * w + x, nb[2] = { x + 1 < w ? u + 1 : n, y + 1 < h ? u + w : n };
            for (int k = 0; k < 2; k++) {
                uint32_t kind = rnd(8);
                if (nb[k] == n)
                    continue;
                if (kind != 7) { /* u -> v */
                    tl[m] = u, hd[m] = nb[k], wt[m] = 1 + rnd(2), sc[m++] = 1 + rnd(spread);
                }
                if (kind != 6) { /* v -> u */
                    tl[m] = nb[k], hd[m] = u, wt[m] = 1 + rnd(2), sc[m++] = 1 + rnd(spread);
                }
            }
        }
    if (turns) { /* arcs become nodes; arcs are in no tail order yet: a per-tail list */
        uint32_t *out_first = calloc(n + 1, sizeof *out_first),
                 *by_tail = malloc(m * sizeof *by_tail);
        uint32_t tm = 0, *pos = calloc(n + 1, sizeof *pos);
        assert_true(out_first && by_tail && pos);
        for (uint32_t a = 0; a < m; a++)
            out_first[tl[a] + 1]++;
        for (uint32_t x = 0; x < n; x++)
            out_first[x + 1] += out_first[x];
        for (uint32_t a = 0; a < m; a++)
            by_tail[out_first[tl[a]] + pos[tl[a]]++] = a;
        t->first_out = calloc(m + 1, sizeof *t->first_out);
        t->head = malloc(4 * m * sizeof *t->head);
        t->weight = malloc(4 * m * sizeof *t->weight);
        t->second = malloc(4 * m * sizeof *t->second);
        t->tail = malloc(4 * m * sizeof *t->tail);
        for (uint32_t a = 0; a < m; a++) {
            for (uint32_t i = out_first[hd[a]]; i < out_first[hd[a] + 1]; i++) {
                uint32_t b = by_tail[i];
                if (hd[b] == tl[a])
                    continue;
                t->tail[tm] = a, t->head[tm] = b, t->weight[tm] = wt[b], t->second[tm++] = sc[b];
            }
            t->first_out[a + 1] = tm;
        }
        t->g = (struct cr_wgraph){ m, tm, t->first_out, t->head, t->weight, t->second, NULL };
        free(out_first);
        free(by_tail);
        free(pos);
    } else { /* sorted by tail */
        uint32_t *pos = calloc(n + 1, sizeof *pos);
        t->first_out = calloc(n + 1, sizeof *t->first_out);
        t->head = malloc(m * sizeof *t->head);
        t->weight = malloc(m * sizeof *t->weight);
        t->second = malloc(m * sizeof *t->second);
        t->tail = malloc(m * sizeof *t->tail);
        for (uint32_t a = 0; a < m; a++)
            t->first_out[tl[a] + 1]++;
        for (uint32_t x = 0; x < n; x++)
            t->first_out[x + 1] += t->first_out[x];
        memcpy(pos, t->first_out, (n + 1) * sizeof *pos);
        for (uint32_t a = 0; a < m; a++) {
            uint32_t i = pos[tl[a]]++;
            t->tail[i] = tl[a], t->head[i] = hd[a], t->weight[i] = wt[a], t->second[i] = sc[a];
        }
        t->g = (struct cr_wgraph){ n, m, t->first_out, t->head, t->weight, t->second, NULL };
        free(pos);
    }
    free(tl);
    free(hd);
    free(wt);
    free(sc);
    /* a source's own second (the turn graph's node_second) */
    t->node_second = malloc((t->g.node_count + 1) * sizeof *t->node_second);
    assert_non_null(t->node_second);
    for (uint32_t x = 0; x < t->g.node_count; x++)
        t->node_second[x] = rnd(spread);
    t->g.node_second = t->node_second;
}

static void
tgraph_fini(struct tgraph *t)
{
    free(t->first_out);
    free(t->head);
    free(t->weight);
    free(t->second);
    free(t->tail);
    free(t->node_second);
}

static uint32_t path_a[1 << 14], path_b[1 << 14];

/* The (weight, second) of a path of COUNT arcs, checked to run from S to E. */
static uint64_t
path_key(const struct tgraph *t, const uint32_t *arcs, size_t count, uint32_t s, uint32_t e)
{
    uint64_t w = 0, sc = 0;
    uint32_t at = s;
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(t->tail[arcs[i]], at);
        at = t->head[arcs[i]];
        w += t->weight[arcs[i]];
        sc += t->second[arcs[i]];
    }
    assert_int_equal(at, e);
    return w << 32 | (sc + t->node_second[s]);
}

/* Bellman-Ford on (weight, second) pairs from S (starting with its node second): the least pair
 * to every node. */
static void
brute_force(const struct tgraph *t, uint32_t s, uint64_t *key)
{
    uint32_t n = t->g.node_count;
    for (uint32_t x = 0; x < n; x++)
        key[x] = UINT64_MAX;
    key[s] = t->node_second[s];
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t a = 0; a < t->g.arc_count; a++) {
            uint64_t k = key[t->tail[a]];
            if (k == UINT64_MAX)
                continue;
            k += (uint64_t)t->weight[a] << 32 | t->second[a];
            if (k < key[t->head[a]]) {
                key[t->head[a]] = k;
                changed = 1;
            }
        }
    }
}

/* Dijkstra against Bellman-Ford, then the CH against Dijkstra, on PAIRS random pairs. */
static void
pairs_agree(const struct tgraph *t, const struct cr_ch *ch, int pairs, int brute)
{
    struct cr_dijkstra *d = cr_dijkstra_create(&t->g);
    struct cr_ch_query *q = cr_ch_query_create(ch);
    uint32_t n = t->g.node_count, same = 0, routed = 0;
    uint64_t *key = malloc(n * sizeof *key);
    assert_true(d && q && key);
    for (int i = 0; i < pairs; i++) {
        struct cr_endpoint s = { rnd(n), 0 }, e = { rnd(n), 0 };
        uint32_t wd = cr_dijkstra_run(d, &s, 1, &e, 1), wc = cr_ch_query_run(q, &s, 1, &e, 1);
        size_t cd, cc;
        uint64_t kd, kc;
        assert_int_equal(wd, wc);
        if (wd == CR_INF)
            continue;
        routed++;
        cd = cr_dijkstra_path(d, path_a, 1 << 14, NULL, NULL);
        cc = cr_ch_query_path(q, path_b, 1 << 14, NULL, NULL);
        assert_true(cd <= 1 << 14 && cc <= 1 << 14);
        kd = path_key(t, path_a, cd, s.node, e.node);
        kc = path_key(t, path_b, cc, s.node, e.node);
        if (brute) {
            brute_force(t, s.node, key);
            if (kd != key[e.node])
                fail_msg("%u -> %u: Dijkstra (%u, %u), least (%u, %u)", s.node, e.node,
                         (uint32_t)(kd >> 32), (uint32_t)kd, (uint32_t)(key[e.node] >> 32),
                         (uint32_t)key[e.node]);
        }
        if (kc != kd)
            fail_msg("%u -> %u: CH (%u, %u), Dijkstra (%u, %u)", s.node, e.node,
                     (uint32_t)(kc >> 32), (uint32_t)kc, (uint32_t)(kd >> 32), (uint32_t)kd);
        same += cc == cd && !memcmp(path_a, path_b, cd * sizeof *path_a);
    }
    /* seconds up to 10^6: two different least paths of the same pair are rare */
    if (same + routed / 50 < routed)
        fail_msg("only %u of %u routed pairs take the same arcs", same, routed);
    assert_true(routed > (uint32_t)pairs / 2);
    free(key);
    cr_ch_query_destroy(q);
    cr_dijkstra_destroy(d);
}

static struct cr_ch *
build(const struct tgraph *t)
{
    struct cr_error err = { 0 };
    struct cr_ch *ch = cr_ch_build(&t->g, NULL, NULL, &err);
    if (!ch)
        fail_msg("cr_ch_build: %s", err.msg);
    assert_true(cr_ch_tie_rule(ch));
    return ch;
}

static void
grid_ties(void **state)
{
    struct tgraph t;
    struct cr_ch *ch;
    (void)state;
    rng = 15;
    tgraph_make(&t, 12, 12, 1000000, 0);
    ch = build(&t);
    pairs_agree(&t, ch, 300, 1);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
    tgraph_make(&t, 40, 40, 1000000, 0);
    ch = build(&t);
    pairs_agree(&t, ch, 800, 0);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

static void
turn_graph_ties(void **state)
{
    struct tgraph t;
    struct cr_ch *ch;
    (void)state;
    rng = 16;
    tgraph_make(&t, 8, 8, 1000000, 1);
    ch = build(&t);
    pairs_agree(&t, ch, 300, 1);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
    tgraph_make(&t, 25, 25, 1000000, 1);
    ch = build(&t);
    pairs_agree(&t, ch, 800, 0);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

/* Many-to-many with the seconds summed along each cell (cr_ch_arc_sums over the input's
 * seconds), on 1 and 2 threads: each cell's weight and second are Dijkstra's. */
static void
many_to_many_ties(void **state)
{
    enum { NS = 25, NT = 25 };
    struct tgraph t;
    struct cr_ch *ch;
    struct cr_dijkstra *d;
    struct cr_endpoint src[NS], dst[NT];
    uint32_t sf[NS + 1], df[NT + 1], out[NS * NT];
    int64_t *in, *arc, zero[NS + NT] = { 0 }, sums[NS * NT];
    uint32_t *owner;
    size_t sarcs;
    struct cr_error err = { 0 };
    (void)state;
    rng = 17;
    tgraph_make(&t, 30, 30, 1000000, 0);
    ch = build(&t);
    d = cr_dijkstra_create(&t.g);
    sarcs = cr_ch_search_arc_count(ch);
    in = malloc(t.g.arc_count * sizeof *in);
    arc = malloc((sarcs + 1) * sizeof *arc);
    owner = malloc((sarcs + 1) * sizeof *owner);
    assert_true(d && in && arc && owner);
    for (uint32_t a = 0; a < t.g.arc_count; a++)
        in[a] = t.second[a];
    assert_int_equal(cr_ch_arc_sums(ch, in, t.g.arc_count, 1, arc, owner), 0);
    for (int i = 0; i <= NS; i++)
        sf[i] = (uint32_t)i;
    for (int j = 0; j <= NT; j++)
        df[j] = (uint32_t)j;
    for (int i = 0; i < NS; i++)
        src[i] = (struct cr_endpoint){ rnd(t.g.node_count), 0 };
    for (int j = 0; j < NT; j++)
        dst[j] = (struct cr_endpoint){ rnd(t.g.node_count), 0 };
    for (unsigned threads = 1; threads <= 2; threads++) {
        struct cr_ch_sums s = { 1, arc, owner, zero, zero, sums };
        assert_int_equal(
            cr_ch_many_to_many_sums(ch, src, sf, NS, dst, df, NT, out, &s, threads, &err), CR_OK);
        for (int i = 0; i < NS; i++)
            for (int j = 0; j < NT; j++) {
                uint32_t want = cr_dijkstra_run(d, &src[i], 1, &dst[j], 1);
                size_t c;
                uint64_t k;
                assert_int_equal(out[i * NT + j], want);
                if (want == CR_INF)
                    continue;
                c = cr_dijkstra_path(d, path_a, 1 << 14, NULL, NULL);
                k = path_key(&t, path_a, c, src[i].node, dst[j].node);
                if ((uint64_t)sums[i * NT + j] + t.node_second[src[i].node] != (k & 0xffffffffu))
                    fail_msg("[%d][%d] on %u threads: second %lld, Dijkstra's %u", i, j, threads,
                             (long long)sums[i * NT + j], (uint32_t)k);
            }
    }
    free(in);
    free(arc);
    free(owner);
    cr_dijkstra_destroy(d);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

/* A CH over borrowed arrays (what a network file holds) has no seconds and no tie flag until
 * told: cr_ch_set_second sums them from the graph, and it answers as the built one. */
static void
from_arrays_ties(void **state)
{
    struct tgraph t;
    struct cr_ch *ch, *copy;
    struct cr_ch_arrays a;
    struct cr_error err = { 0 };
    (void)state;
    rng = 18;
    tgraph_make(&t, 20, 20, 1000000, 1);
    ch = build(&t);
    cr_ch_arrays(ch, &a);
    copy = cr_ch_from_arrays(&a, "test", &err);
    assert_non_null(copy);
    assert_false(cr_ch_tie_rule(copy));
    assert_int_equal(cr_ch_set_second(copy, &t.g), 0);
    cr_ch_set_tie_rule(copy, 1);
    pairs_agree(&t, copy, 500, 0);
    {
        struct cr_wgraph small = t.g;
        small.arc_count = 3; /* arc ids out of range */
        assert_int_equal(cr_ch_set_second(copy, &small), -1);
    }
    cr_ch_destroy(copy);
    cr_ch_destroy(ch);
    tgraph_fini(&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grid_ties),
        cmocka_unit_test(turn_graph_ties),
        cmocka_unit_test(many_to_many_ties),
        cmocka_unit_test(from_arrays_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
