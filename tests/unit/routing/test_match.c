/* Map matching (routing/match.h) on tests/maps/match.osm (drawn in match.txt), and synthetic
 * traces on the bundled Krems and Monaco extracts: a route between seeded random points, sampled
 * every 20 m with seeded Gaussian noise (sigma 5 m; synthetic, not a recorded GPS trace), must
 * match back onto that route for at least 95 % of its length. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/geo.h"
#include "core/graph.h"
#include "core/snap.h"
#include "importers/osm/osm_import.h"
#include "routing/match.h"
#include "routing/match_search.h"
#include "routing/profile.h"
#include "routing/route.h"

#include "testnet.h"

#define MAP CR_SOURCE_DIR "/tests/maps/match.osm"
#define U 10000 /* 0.001 degrees in e7 */

struct fixture {
    struct net n;
    struct cr_profile p;
    struct cr_engine e;
    struct cr_router *r;
};

static void
fixture_open(struct fixture *f, const char *path)
{
    struct cr_error err = { 0 };

    net_open(&f->n, path);
    if (cr_profile_load("car", NULL, &f->p, &err) ||
        cr_engine_init(&f->e, f->n.v, f->n.snap, &f->p, CR_METRIC_TIME, &err))
        fail_msg("%s", err.msg);
    f->r = cr_router_create(&f->e, &err);
    assert_non_null(f->r);
}

static void
fixture_close(struct fixture *f)
{
    cr_router_destroy(f->r);
    cr_engine_fini(&f->e);
    net_close(&f->n);
}

/* The trace of match.txt: 19 points along Main road, every fourth nudged towards the service
 * road; point FAR (if < 19) 2 units south. */
static size_t
drawn_trace(int32_t *lon, int32_t *lat, size_t far)
{
    size_t n = 0;
    for (int k = 1; k <= 19; k++, n++) {
        double y = k % 4 == 0 ? 0.12 : (k % 2 ? -0.02 : 0.03);
        if ((size_t)k - 1 == far)
            y = -2.0;
        lon[n] = 1060000000 + (int32_t)lround(k * 0.5 * U);
        lat[n] = 100000000 + (int32_t)lround(y * U);
    }
    return n;
}

static const char *
way_name(const struct fixture *f, const struct cr_snap *s)
{
    return cr_graph_string(f->n.v, f->n.v->ways[f->n.v->segment_way[s->segment]].name);
}

static void
parallel_roads_keep_main(void **state)
{
    struct fixture f;
    int32_t lon[32], lat[32];
    size_t n = drawn_trace(lon, lat, SIZE_MAX);
    struct cr_match m;
    struct cr_error err = { 0 };

    (void)state;
    fixture_open(&f, MAP);
    if (cr_match_run(f.r, lon, lat, NULL, NULL, n, NULL, &m, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(m.matching_count, 1);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(m.points[i].matching, 0);
        assert_int_equal(m.points[i].waypoint, i);
        if (strcmp(way_name(&f, &m.points[i].snap), "Main road"))
            fail_msg("point %zu matched %s", i, way_name(&f, &m.points[i].snap));
    }
    /* the nudged points had a nearer candidate on the service road */
    assert_true(m.points[3].alternatives >= 1);
    /* 0.5 .. 9.5 units along Main road: 9 units */
    assert_true(fabs(m.matchings[0].route.distance_m - 9 * 109.7) < 10);
    assert_int_equal(m.matchings[0].route.leg_count, n - 1);
    assert_true(m.matchings[0].confidence > 0.9 && m.matchings[0].confidence <= 1.0);
    cr_match_fini(&m);
    fixture_close(&f);
}

static void
far_point_dropped(void **state)
{
    struct fixture f;
    int32_t lon[32], lat[32];
    size_t n = drawn_trace(lon, lat, 9);
    struct cr_match m;
    struct cr_error err = { 0 };

    (void)state;
    fixture_open(&f, MAP);
    if (cr_match_run(f.r, lon, lat, NULL, NULL, n, NULL, &m, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(m.matching_count, 1);
    assert_int_equal(m.points[9].matching, -1);
    assert_int_equal(m.points[10].matching, 0);
    assert_int_equal(m.points[10].waypoint, 9);
    assert_int_equal(m.matchings[0].route.leg_count, n - 2);
    cr_match_fini(&m);
    fixture_close(&f);
}

/* Bearings and approaches restrict a point's candidates as they restrict a route's ends: the
 * trace runs east along Main road. Eastward bearings change nothing; a northward one at point 3
 * leaves it no candidate (no road runs north there), so it is dropped; westward bearings at
 * every point leave only loops round the service road between matched points; approach curb at
 * point 9, north of Main road, allows only westbound travel there (right-hand traffic), so the
 * matched route goes round the loop to pass it that way. */
static void
bearings_and_approaches(void **state)
{
    struct fixture f;
    int32_t lon[32], lat[32];
    size_t n = drawn_trace(lon, lat, SIZE_MAX);
    struct cr_place_opts po[32];
    struct cr_match_options o = CR_MATCH_OPTIONS_DEFAULT;
    struct cr_match m;
    struct cr_error err = { 0 };

    (void)state;
    fixture_open(&f, MAP);
    o.place = po;
    for (size_t i = 0; i < n; i++) {
        po[i] = CR_PLACE_OPTS_DEFAULT;
        po[i].bearing_deg = 90;
        po[i].bearing_range_deg = 20;
    }
    if (cr_match_run(f.r, lon, lat, NULL, NULL, n, &o, &m, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(m.matching_count, 1);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(m.points[i].matching, 0);
    cr_match_fini(&m);

    po[3].bearing_deg = 0;
    if (cr_match_run(f.r, lon, lat, NULL, NULL, n, &o, &m, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(m.matching_count, 1);
    assert_int_equal(m.points[3].matching, -1);
    assert_int_equal(m.points[4].matching, 0);
    assert_int_equal(m.matchings[0].route.leg_count, n - 2);
    cr_match_fini(&m);

    for (size_t i = 0; i < n; i++)
        po[i].bearing_deg = 270;
    /* only loops round the service road stay possible: kilometres for a 1 km trace */
    if (cr_match_run(f.r, lon, lat, NULL, NULL, n, &o, &m, &err))
        fail_msg("%s", err.msg);
    for (size_t k = 0; k < m.matching_count; k++)
        assert_true(m.matchings[k].route.distance_m > 2000);
    for (size_t i = 0; i < n; i += 2) /* a matched point and the next are never both kept */
        assert_true(i + 1 >= n || m.points[i].matching < 0 || m.points[i + 1].matching < 0);
    cr_match_fini(&m);

    for (size_t i = 0; i < n; i++)
        po[i] = CR_PLACE_OPTS_DEFAULT;
    po[9].approach = CR_APPROACH_CURB;
    assert_true(lat[9] > 100000000); /* north of Main road */
    if (cr_match_run(f.r, lon, lat, NULL, NULL, n, &o, &m, &err))
        fail_msg("%s", err.msg);
    /* every point matched on Main road, and the route goes round the loop to pass point 9
     * westbound: about 3.2 km instead of 1 km */
    assert_int_equal(m.matching_count, 1);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(m.points[i].matching, 0);
    assert_true(m.matchings[0].route.distance_m > 2 * 9 * 109.7);
    cr_match_fini(&m);
    fixture_close(&f);
}

static void
gap_splits(void **state)
{
    struct fixture f;
    int32_t lon[32], lat[32];
    double t[32];
    size_t n = drawn_trace(lon, lat, SIZE_MAX);
    struct cr_match m;
    struct cr_match_options o = CR_MATCH_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };

    (void)state;
    for (size_t i = 0; i < n; i++)
        t[i] = 1000.0 + 10.0 * (double)i + (i >= 10 ? 120.0 : 0.0);
    fixture_open(&f, MAP);
    if (cr_match_run(f.r, lon, lat, t, NULL, n, &o, &m, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(m.matching_count, 2);
    assert_int_equal(m.points[9].matching, 0);
    assert_int_equal(m.points[10].matching, 1);
    assert_int_equal(m.points[10].waypoint, 0);
    cr_match_fini(&m);
    o.gap_s = 0; /* gaps=ignore */
    if (cr_match_run(f.r, lon, lat, t, NULL, n, &o, &m, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(m.matching_count, 1);
    cr_match_fini(&m);
    /* tidy: points 55 m and 10 s apart stay; 20 s after the last, a point 5 m on is dropped */
    o.tidy = 1;
    lon[1] = lon[0] + 450;
    if (cr_match_run(f.r, lon, lat, t, NULL, n, &o, &m, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(m.points[1].matching, -1);
    assert_int_equal(m.points[2].matching, 0);
    cr_match_fini(&m);
    /* times going backwards: an error naming the point */
    t[5] = 0;
    assert_int_equal(cr_match_run(f.r, lon, lat, t, NULL, n, &o, &m, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "point 6"));
    cr_match_fini(&m);
    fixture_close(&f);
}

static void
nothing_matches(void **state)
{
    struct fixture f;
    int32_t lon[2] = { 1060000000, 1060010000 }, lat[2] = { 99000000, 99000000 };
    struct cr_match m;
    struct cr_error err = { 0 };

    (void)state;
    fixture_open(&f, MAP);
    assert_int_equal(cr_match_run(f.r, lon, lat, NULL, NULL, 2, NULL, &m, &err), CR_ENOTFOUND);
    cr_match_fini(&m);
    fixture_close(&f);
}

/* ---- synthetic traces on real extracts ---------------------------------------------------- */

static double
gauss(void)
{
    double u = (next_rand() + 1.0) / 4294967297.0, v = (next_rand() + 1.0) / 4294967297.0;
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* Samples of polyline (LON, LAT)[N] every STEP metres into OUT (at most CAP); returns count. */
static size_t
sample_line(const int32_t *lon, const int32_t *lat, size_t n, double step, int32_t *olon,
            int32_t *olat, size_t cap)
{
    size_t k = 0;
    double next = 0, at = 0;

    for (size_t i = 0; i + 1 < n && k < cap; i++) {
        double len = cr_geo_distance_m(lon[i], lat[i], lon[i + 1], lat[i + 1]);
        while (next <= at + len && k < cap) {
            double f = len > 0 ? (next - at) / len : 0;
            olon[k] = (int32_t)lround(lon[i] + f * (lon[i + 1] - lon[i]));
            olat[k] = (int32_t)lround(lat[i] + f * (lat[i + 1] - lat[i]));
            k++;
            next += step;
        }
        at += len;
    }
    return k;
}

/* Distance in metres from point P to polyline (LON, LAT)[N]. */
static double
to_line(int32_t plon, int32_t plat, const int32_t *lon, const int32_t *lat, size_t n)
{
    double mx, my, best = INFINITY;

    cr_geo_scale(cr_e7_to_deg(plat), &mx, &my);
    mx /= CR_E7;
    my /= CR_E7;
    for (size_t i = 0; i + 1 < n; i++) {
        double ax = (lon[i] - plon) * mx, ay = (lat[i] - plat) * my;
        double dx = (lon[i + 1] - lon[i]) * mx, dy = (lat[i + 1] - lat[i]) * my;
        double l2 = dx * dx + dy * dy, t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0, x, y;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        x = ax + t * dx;
        y = ay + t * dy;
        if (x * x + y * y < best)
            best = x * x + y * y;
    }
    return sqrt(best);
}

/* Of route TRUTH's length, the share lying on (within 1 m of) the matched geometries. */
static double
share_matched(const struct cr_route *truth, const struct cr_match *m)
{
    static int32_t slon[20000], slat[20000];
    size_t ns = sample_line(truth->lon_e7, truth->lat_e7, truth->point_count, 2.0, slon, slat,
                            20000),
           on = 0;

    for (size_t i = 0; i < ns; i++)
        for (size_t j = 0; j < m->matching_count; j++)
            if (to_line(slon[i], slat[i], m->matchings[j].route.lon_e7,
                        m->matchings[j].route.lat_e7, m->matchings[j].route.point_count) < 1.0) {
                on++;
                break;
            }
    return ns ? (double)on / (double)ns : 0;
}

static void
synthetic_traces_on(const char *file, int routes)
{
    struct fixture f;
    char path[512];
    static int32_t lon[4000], lat[4000];
    static double t[4000];
    int done = 0, tries = 0;

    snprintf(path, sizeof path, "%s/datasets/%s", CR_SOURCE_DIR, file);
    fixture_open(&f, path);
    while (done < routes && tries++ < 200) {
        const struct cr_graph_view *v = f.n.v;
        uint32_t a = next_rand() % v->node_count, b = next_rand() % v->node_count;
        int32_t elon[2] = { v->lon_e7[a], v->lon_e7[b] }, elat[2] = { v->lat_e7[a], v->lat_e7[b] };
        struct cr_route truth;
        struct cr_match m;
        struct cr_error err = { 0 };
        size_t n;
        double share;
        if (cr_router_route(f.r, elon, elat, 2, &truth, &err))
            continue;
        if (truth.distance_m < 1500 || truth.distance_m > 6000) {
            cr_route_fini(&truth);
            continue;
        }
        n = sample_line(truth.lon_e7, truth.lat_e7, truth.point_count, 20.0, lon, lat, 4000);
        for (size_t i = 0; i < n; i++) {
            double mx, my;
            cr_geo_scale(cr_e7_to_deg(lat[i]), &mx, &my);
            lon[i] += (int32_t)lround(5.0 * gauss() / mx * CR_E7);
            lat[i] += (int32_t)lround(5.0 * gauss() / my * CR_E7);
            t[i] = 2.0 * (double)i; /* 10 m/s */
        }
        if (cr_match_run(f.r, lon, lat, t, NULL, n, NULL, &m, &err))
            fail_msg("%s: %s", file, err.msg);
        share = share_matched(&truth, &m);
        print_message("%s: route of %.0f m, %zu points, %zu matching(s), %.1f %% matched, "
                      "confidence %.2f\n",
                      file, truth.distance_m, n, m.matching_count, 100 * share,
                      m.matchings[0].confidence);
        if (share < 0.95)
            fail_msg("%s: only %.1f %% of a %.0f m route matched back", file, 100 * share,
                     truth.distance_m);
        cr_match_fini(&m);
        cr_route_fini(&truth);
        done++;
    }
    assert_int_equal(done, routes);
    fixture_close(&f);
}

static void
synthetic_krems(void **state)
{
    (void)state;
    synthetic_traces_on("graphhopper-krems.osm.pbf", 4);
}

static void
synthetic_monaco(void **state)
{
    (void)state;
    synthetic_traces_on("osrm-monaco.osm.pbf", 4);
}

/* The bounded searches of the transitions, unbounded, equal the router's many-to-many (weights
 * and, but where two paths tie on weight, distances) between places of one candidate each, on
 * 1200 seeded pairs of Monaco. */
static void
search_equals_matrix(void **state)
{
    struct fixture f;
    char path[512];
    struct cr_error err = { 0 };
    struct cr_match_search *ms;
    struct cr_place a[4], b[4];
    int checked = 0, same = 0;

    (void)state;
    snprintf(path, sizeof path, "%s/datasets/osrm-monaco.osm.pbf", CR_SOURCE_DIR);
    fixture_open(&f, path);
    ms = cr_match_search_create(&f.e, &err);
    assert_non_null(ms);
    for (int round = 0; round < 75; round++) {
        uint64_t w1[16], w2[16];
        double d1[16], d2[64];
        for (int k = 0; k < 8; k++) {
            struct cr_place *p = k < 4 ? &a[k] : &b[k - 4];
            uint32_t node = next_rand() % f.n.v->node_count;
            /* near the first point of each pair: short hops, as a trace's */
            if (k > 0)
                node = (node % 50) + (uint32_t)(round * 37) % (f.n.v->node_count - 50);
            if (cr_engine_place(&f.e, f.n.v->lon_e7[node] + 30, f.n.v->lat_e7[node] + 20, p, &err))
                fail_msg("%s", err.msg);
            p->count = 1;
            p->small_comp = CR_INF;
        }
        cr_match_search_run(ms, a, 4, b, 4, 1e12, w1, d1);
        if (cr_router_matrix_measures(f.r, a, 4, b, 4, w2, d2, 1, &err))
            fail_msg("%s", err.msg);
        for (int c = 0; c < 16; c++) {
            if (w1[c] != w2[c])
                fail_msg("round %d cell %d: search %llu, matrix %llu", round, c,
                         (unsigned long long)w1[c], (unsigned long long)w2[c]);
            /* two paths of one weight may differ in length: ties are broken otherwise */
            if (w1[c] != UINT64_MAX && fabs(d1[c] - d2[c * 4]) > 0.01 * d2[c * 4] + 0.01)
                fail_msg("round %d cell %d: search %.3f m, matrix %.3f m", round, c, d1[c],
                         d2[c * 4]);
            checked += w1[c] != UINT64_MAX;
            same += w1[c] != UINT64_MAX && fabs(d1[c] - d2[c * 4]) <= 0.01;
        }
    }
    print_message("%d cells reached, %d of the same length\n", checked, same);
    assert_true(checked > 200 && same >= checked * 95 / 100);
    cr_match_search_destroy(ms);
    fixture_close(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parallel_roads_keep_main), cmocka_unit_test(far_point_dropped),
        cmocka_unit_test(bearings_and_approaches),  cmocka_unit_test(gap_splits),
        cmocka_unit_test(nothing_matches),          cmocka_unit_test(synthetic_krems),
        cmocka_unit_test(synthetic_monaco),         cmocka_unit_test(search_equals_matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
