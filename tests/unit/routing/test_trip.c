/*
 * The trip solver (routing/trip.h) on SYNTHETIC seeded tables: Held-Karp equals brute force
 * over every order, for every roundtrip/source/destination combination, on random asymmetric
 * tables with and without missing cells; the heuristic is within a few per cent of exact at 12
 * points on road-like tables and never worse than nearest neighbour; orders start and end where
 * OSRM's do. The trip on a real network is tested by tests/cli/test_trip.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/snap.h"
#include "importers/osm/osm_import.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "routing/trip.h"

#define MAXN 12

/* xorshift: the same tables on every machine */
static uint64_t
next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Uniform random weights 1..1000 (asymmetric); with HOLES, about one cell in HOLES missing. */
static void
random_table(uint64_t *seed, size_t n, unsigned holes, uint64_t *w)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            w[i * n + j] = i == j                                  ? 0
                           : holes && next_rand(seed) % holes == 0 ? CR_TRIP_NONE
                                                                   : 1 + next_rand(seed) % 1000;
}

/* Road-like: points in a 10 km square, the straight distance stretched by 10 to 40 %, each
 * direction on its own (one-way streets), in deciseconds at 36 km/h. */
static void
road_table(uint64_t *seed, size_t n, uint64_t *w)
{
    double x[2000], y[2000];
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)(next_rand(seed) % 10000);
        y[i] = (double)(next_rand(seed) % 10000);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double d = (x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j]);
            double stretch = 1.1 + (double)(next_rand(seed) % 300) / 1000.0;
            w[i * n + j] = i == j ? 0 : (uint64_t)(__builtin_sqrt(d) * stretch) + 1;
        }
}

static int
allowed(const size_t *p, size_t n, const struct cr_trip_options *o)
{
    if (o->source_first && p[0] != 0)
        return 0;
    if (o->destination_last && p[n - 1] != n - 1)
        return 0;
    return 1;
}

/* The best weight over every order O allows (Heap's algorithm); CR_TRIP_NONE when none. */
static uint64_t
brute_force(const uint64_t *w, size_t n, const struct cr_trip_options *o)
{
    size_t p[MAXN], c[MAXN] = { 0 }, i = 1;
    uint64_t best = CR_TRIP_NONE;

    for (size_t k = 0; k < n; k++)
        p[k] = k;
    if (allowed(p, n, o))
        best = cr_trip_weight(w, n, p, o->roundtrip);
    while (i < n) {
        if (c[i] < i) {
            size_t a = i % 2 ? c[i] : 0, x = p[a];
            p[a] = p[i];
            p[i] = x;
            if (allowed(p, n, o)) {
                uint64_t v = cr_trip_weight(w, n, p, o->roundtrip);
                if (v < best)
                    best = v;
            }
            c[i]++;
            i = 1;
        } else {
            c[i++] = 0;
        }
    }
    return best;
}

/* ORDER is a permutation of 0..n-1 that starts and ends as O asks (and as OSRM rotates). */
static void
check_order(const size_t *order, size_t n, const struct cr_trip_options *o, const char *what)
{
    int seen[CR_TRIP_MAX_POINTS + 1] = { 0 };
    for (size_t k = 0; k < n; k++) {
        if (order[k] >= n || seen[order[k]]++)
            fail_msg("%s: order is not a permutation (at %zu: %zu)", what, k, order[k]);
    }
    if ((o->source_first || (o->roundtrip && !o->destination_last)) && order[0] != 0)
        fail_msg("%s: want the first point first, got %zu", what, order[0]);
    if (o->destination_last && order[n - 1] != n - 1)
        fail_msg("%s: want the last point last, got %zu", what, order[n - 1]);
}

static const struct cr_trip_options combos[] = {
    { 1, 0, 0, 0, 0, NULL, NULL }, { 1, 1, 0, 0, 0, NULL, NULL }, { 1, 0, 1, 0, 0, NULL, NULL },
    { 1, 1, 1, 0, 0, NULL, NULL }, { 0, 1, 1, 0, 0, NULL, NULL }, { 0, 1, 0, 0, 0, NULL, NULL },
    { 0, 0, 1, 0, 0, NULL, NULL }, { 0, 0, 0, 0, 0, NULL, NULL },
};
#define NCOMBOS (sizeof combos / sizeof combos[0])

static void
exact_equals_brute_force(void **state)
{
    uint64_t seed = 0x5eed1234abcdULL, w[MAXN * MAXN];
    size_t order[MAXN];
    (void)state;
    for (int round = 0; round < 60; round++) {
        size_t n = 1 + (size_t)round % 8;
        random_table(&seed, n, round % 3 == 2 ? 6 : 0, w);
        for (size_t c = 0; c < NCOMBOS; c++) {
            struct cr_trip_order out = { order, 0, 0 };
            struct cr_error err = { 0 };
            char what[96];
            uint64_t want = brute_force(w, n, &combos[c]);
            enum cr_status rc = cr_trip_solve(w, n, &combos[c], &out, &err);
            snprintf(what, sizeof what, "round %d n %zu combo %zu", round, n, c);
            if (want == CR_TRIP_NONE) {
                if (rc != CR_ENOTFOUND)
                    fail_msg("%s: no order exists, want CR_ENOTFOUND, got %d", what, rc);
                continue;
            }
            if (rc)
                fail_msg("%s: %s", what, err.msg);
            if (!out.exact || out.weight != want)
                fail_msg("%s: weight %llu (exact %d), brute force %llu", what,
                         (unsigned long long)out.weight, out.exact, (unsigned long long)want);
            if (cr_trip_weight(w, n, order, combos[c].roundtrip) != out.weight)
                fail_msg("%s: the order's weight is not the one reported", what);
            check_order(order, n, &combos[c], what);
        }
    }
}

/* Heuristic against exact at 12 points: mean gap and worst gap, per combination. */
static void
heuristic_near_exact(void **state)
{
    uint64_t seed = 0xc0ffee17ULL, w[MAXN * MAXN];
    size_t order[MAXN], nn_order[MAXN];
    double sum_gap = 0, worst = 0;
    int cases = 0;
    (void)state;
    for (int round = 0; round < 40; round++) {
        road_table(&seed, MAXN, w);
        for (size_t c = 0; c < NCOMBOS; c++) {
            struct cr_trip_options o = combos[c], h = combos[c];
            struct cr_trip_order ex = { order, 0, 0 }, he = { order, 0, 0 };
            struct cr_trip_order nn = { nn_order, 0, 0 };
            struct cr_error err = { 0 };
            h.heuristic_only = 1;
            assert_int_equal(cr_trip_solve(w, MAXN, &o, &ex, &err), CR_OK);
            assert_true(ex.exact);
            assert_int_equal(cr_trip_solve(w, MAXN, &h, &he, &err), CR_OK);
            assert_false(he.exact);
            check_order(order, MAXN, &o, "heuristic");
            assert_int_equal(cr_trip_nearest_neighbour(w, MAXN, &o, &nn, &err), CR_OK);
            check_order(nn_order, MAXN, &o, "nearest neighbour");
            if (he.weight < ex.weight)
                fail_msg("round %d combo %zu: heuristic %llu below exact %llu", round, c,
                         (unsigned long long)he.weight, (unsigned long long)ex.weight);
            if (he.weight > nn.weight)
                fail_msg("round %d combo %zu: heuristic %llu worse than nearest neighbour %llu",
                         round, c, (unsigned long long)he.weight, (unsigned long long)nn.weight);
            double gap = (double)(he.weight - ex.weight) / (double)ex.weight;
            sum_gap += gap;
            worst = gap > worst ? gap : worst;
            cases++;
        }
    }
    print_message("heuristic vs exact at 12 points, %d cases: mean gap %.2f %%, worst %.2f %%\n",
                  cases, 100 * sum_gap / cases, 100 * worst);
    if (sum_gap / cases > 0.01 || worst > 0.05)
        fail_msg("heuristic too far from exact: mean %.2f %%, worst %.2f %%", 100 * sum_gap / cases,
                 100 * worst);
}

/* Beyond the exact limit: never worse than nearest neighbour, on road-like and random tables. */
static void
heuristic_beats_nearest_neighbour(void **state)
{
    static uint64_t w[300 * 300];
    static size_t order[300], nn_order[300];
    uint64_t seed = 0xfeedULL;
    static const size_t sizes[] = { 20, 50, 120, 300 };
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (size_t c = 0; c < NCOMBOS; c += 3) {
            size_t n = sizes[s];
            struct cr_trip_order he = { order, 0, 0 }, nn = { nn_order, 0, 0 };
            struct cr_error err = { 0 };
            if (s % 2)
                random_table(&seed, n, 0, w);
            else
                road_table(&seed, n, w);
            assert_int_equal(cr_trip_solve(w, n, &combos[c], &he, &err), CR_OK);
            assert_int_equal(cr_trip_nearest_neighbour(w, n, &combos[c], &nn, &err), CR_OK);
            assert_false(he.exact);
            check_order(order, n, &combos[c], "heuristic");
            if (he.weight > nn.weight)
                fail_msg("n %zu combo %zu: heuristic %llu worse than nearest neighbour %llu", n, c,
                         (unsigned long long)he.weight, (unsigned long long)nn.weight);
        }
}

/* A point nothing reaches: no trip, exact or not; a point that reaches nothing can still end a
 * path to any destination. */
static void
unreachable(void **state)
{
    uint64_t seed = 99, w[30 * 30];
    size_t order[30];
    struct cr_trip_options any = { 1, 0, 0, 0, 0, NULL, NULL },
                           open = { 0, 0, 0, 0, 0, NULL, NULL };
    (void)state;
    for (size_t n = 5; n <= 30; n += 25) {
        struct cr_trip_order out = { order, 0, 0 };
        struct cr_error err = { 0 };
        road_table(&seed, n, w);
        for (size_t i = 0; i < n; i++)
            if (i != 2)
                w[i * n + 2] = CR_TRIP_NONE;
        assert_int_equal(cr_trip_solve(w, n, &any, &out, &err), CR_ENOTFOUND);
        assert_non_null(strstr(err.msg, "no trip visits all"));
        road_table(&seed, n, w);
        for (size_t j = 0; j < n; j++)
            if (j != 3)
                w[3 * n + j] = CR_TRIP_NONE;
        assert_int_equal(cr_trip_solve(w, n, &any, &out, &err), CR_ENOTFOUND);
        assert_int_equal(cr_trip_solve(w, n, &open, &out, &err), CR_OK);
        assert_int_equal(order[n - 1], 3);
    }
}

static void
small_and_bad(void **state)
{
    uint64_t w[4] = { 0, 7, 5, 0 };
    size_t order[2];
    struct cr_trip_order out = { order, 0, 0 };
    struct cr_trip_options o = CR_TRIP_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    (void)state;
    assert_int_equal(cr_trip_solve(w, 1, NULL, &out, &err), CR_OK);
    assert_int_equal(order[0], 0);
    assert_int_equal(out.weight, 0);
    assert_int_equal(cr_trip_solve(w, 2, NULL, &out, &err), CR_OK);
    assert_int_equal(out.weight, 12);
    assert_int_equal(order[0], 0);
    o.roundtrip = 0;
    o.source_first = 0;
    assert_int_equal(cr_trip_solve(w, 2, &o, &out, &err), CR_OK); /* any to any: 1 -> 0 */
    assert_int_equal(out.weight, 5);
    assert_int_equal(order[0], 1);
    assert_int_equal(cr_trip_solve(w, 0, NULL, &out, &err), CR_EINVAL);
    o.exact_max = 21;
    assert_int_equal(cr_trip_solve(w, 2, &o, &out, &err), CR_EINVAL);
    w[1] = (uint64_t)1 << 40;
    assert_int_equal(cr_trip_solve(w, 2, NULL, &out, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "too large"));
}

static int
stop_at_once(void *user, double done)
{
    (void)user;
    (void)done;
    return 1;
}

/* On the bundled Monaco extract (Dijkstra, no hierarchy in memory): the trip's order, positions
 * and route agree; a point at sea is named; a progress callback stops it. */
static void
on_monaco(void **state)
{
    static const int32_t lon[] = { 74200000, 74250000, 74160000, 74300000, 74180000, 74600000 };
    static const int32_t lat[] = {
        437350000, 437400000, 437310000, 437450000, 437330000, 437300000
    };
    struct cr_netbuild *b = NULL;
    const struct cr_graph_view *v = NULL;
    struct cr_snap_index *snap = NULL;
    struct cr_profile p;
    struct cr_engine e;
    struct cr_router *r = NULL;
    struct cr_error err = { 0 };
    struct cr_trip t;
    struct cr_trip_options o = CR_TRIP_OPTIONS_DEFAULT;
    (void)state;
    if (!(b = cr_osm_build(CR_SOURCE_DIR "/datasets/osrm-monaco.osm.pbf", NULL, NULL, &err)) ||
        !(v = cr_netbuild_view(b)) || !(snap = cr_snap_index_create(v, &err)))
        fail_msg("%s", err.msg);
    if (cr_profile_load("car", NULL, &p, &err) ||
        cr_engine_init(&e, v, snap, &p, CR_METRIC_TIME, &err) || !(r = cr_router_create(&e, &err)))
        fail_msg("%s", err.msg);
    assert_int_equal(cr_trip_compute(r, lon, lat, 5, NULL, &o, &t, &err), CR_OK);
    assert_int_equal(t.order[0], 0);
    assert_true(t.exact);
    assert_int_equal(t.route.leg_count, 5);
    assert_int_equal(t.route.place_count, 6);
    for (size_t k = 0; k < 5; k++)
        assert_int_equal(t.position[t.order[k]], k);
    assert_int_equal(t.route.weight, t.weight); /* the route's weight is the table's */
    cr_trip_fini(&t);
    o.roundtrip = 0;
    o.source_first = o.destination_last = 1;
    assert_int_equal(cr_trip_compute(r, lon, lat, 5, NULL, &o, &t, &err), CR_OK);
    assert_int_equal(t.order[4], 4);
    assert_int_equal(t.route.leg_count, 4);
    cr_trip_fini(&t);
    assert_int_equal(cr_trip_compute(r, lon, lat, 6, NULL, &o, &t, &err), CR_ENOTFOUND);
    assert_int_equal(t.unsnapped, 5);
    cr_trip_fini(&t);
    o.progress = stop_at_once;
    assert_int_equal(cr_trip_compute(r, lon, lat, 5, NULL, &o, &t, &err), CR_ECANCELLED);
    cr_trip_fini(&t);
    assert_int_equal(cr_trip_compute(r, lon, lat, 1, NULL, &o, &t, &err), CR_EINVAL);
    cr_trip_fini(&t);
    cr_router_destroy(r);
    cr_engine_fini(&e);
    cr_snap_index_destroy(snap);
    cr_netbuild_destroy(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_equals_brute_force),
        cmocka_unit_test(heuristic_near_exact),
        cmocka_unit_test(heuristic_beats_nearest_neighbour),
        cmocka_unit_test(unreachable),
        cmocka_unit_test(small_and_bad),
        cmocka_unit_test(on_monaco),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
