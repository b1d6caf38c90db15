/*
 * Snapping: a hand-made network with answers worked out by hand, then Monaco against a brute
 * force scan of every piece of every segment.
 *
 *   lat                                    0.001 degree grid near Saigon (106.700, 10.780):
 *   10.782  n ====== c                     s0 a-b     straight
 *           |      /                       s1 b-k-c   one shape point k (106.703, 10.781)
 *   10.781  |     /  k                     s2 a-n-c   one shape point n (106.700, 10.782)
 *   10.7808 | x--y    \   (island, no LCC) s3 x-y     x (106.7005, 10.7808), y (106.7015, ...)
 *   10.780  a ====== b                     s4 r0-r1   rail, 10.779, lon 106.700 .. 106.702
 *   10.779  r0 ===== r1
 *       106.700  .701  .702 .703
 *
 * Nodes a b c r0 r1 are in their group's largest component; x and y are not.
 */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/geo.h"
#include "core/graph.h"
#include "core/snap.h"
#include "importers/osm/osm_import.h"

#define R CR_SEGMENT_REVERSED
#define N 7
#define M 10
#define S 5
#define K 2

#define LON0 1067000000
#define LAT0 107800000
#define U 10000 /* 0.001 degree in 1e-7 */

#define MONACO CR_SOURCE_DIR "/datasets/osrm-monaco.osm.pbf"

/* cmocka before 1.1.6 has no assert_double_equal */
#define assert_near(got, want, eps)                                                                \
    do {                                                                                           \
        double got_ = (got), want_ = (want);                                                       \
        if (!(fabs(got_ - want_) <= (eps)))                                                        \
            fail_msg("%s is %.12g, want %.12g", #got, got_, want_);                                \
    } while (0)

struct fixture {
    int32_t lon_e7[N], lat_e7[N];
    int64_t osm_id[N];
    uint8_t group[N], barrier[N], node_flags[N];
    uint32_t first_out[N + 1], head[M], edge_segment[M];
    uint32_t segment_way[S], segment_length_cm[S], segment_node[2 * S], segment_edge[2 * S];
    uint32_t segment_first_shape[S + 1];
    int32_t shape_lon_e7[K], shape_lat_e7[K];
    struct cr_way_attr ways[3];
    struct cr_graph_view view;
};

static struct fixture fx;

static void
fixture_init(struct fixture *x)
{
    /*                                   a     b          c          x           y  */
    static const int32_t lon[N] = { LON0,         LON0 + 2 * U,     LON0 + 2 * U,
                                    LON0 + U / 2, LON0 + 3 * U / 2, LON0,
                                    LON0 + 2 * U }; /* r0 r1 */
    static const int32_t lat[N] = {
        LAT0, LAT0, LAT0 + 2 * U, LAT0 + 8 * U / 10, LAT0 + 8 * U / 10, LAT0 - U, LAT0 - U
    };
    static const uint8_t group[N] = { CR_GROUP_ROAD, CR_GROUP_ROAD, CR_GROUP_ROAD, CR_GROUP_ROAD,
                                      CR_GROUP_ROAD, CR_GROUP_RAIL, CR_GROUP_RAIL };
    static const uint8_t flags[N] = { CR_NODE_LCC, CR_NODE_LCC, CR_NODE_LCC, 0,
                                      0,           CR_NODE_LCC, CR_NODE_LCC };
    static const uint32_t first_out[N + 1] = { 0, 2, 4, 6, 7, 8, 9, 10 };
    static const uint32_t head[M] = { 1, 2, 0, 2, 1, 0, 4, 3, 6, 5 };
    static const uint32_t edge_segment[M] = { 0, 2, 0 | R, 1, 1 | R, 2 | R, 3, 3 | R, 4, 4 | R };
    static const uint32_t segment_way[S] = { 0, 0, 0, 1, 2 };
    static const uint32_t segment_node[2 * S] = { 0, 1, 1, 2, 0, 2, 3, 4, 5, 6 };
    static const uint32_t segment_edge[2 * S] = { 0, 2, 3, 4, 1, 5, 6, 7, 8, 9 };
    static const uint32_t first_shape[S + 1] = { 0, 0, 1, 2, 2, 2 };
    static const int32_t shape_lon[K] = { LON0 + 3 * U, LON0 };
    static const int32_t shape_lat[K] = { LAT0 + U, LAT0 + 2 * U };

    memset(x, 0, sizeof *x);
    memcpy(x->lon_e7, lon, sizeof lon);
    memcpy(x->lat_e7, lat, sizeof lat);
    memcpy(x->group, group, sizeof group);
    memcpy(x->node_flags, flags, sizeof flags);
    memcpy(x->first_out, first_out, sizeof first_out);
    memcpy(x->head, head, sizeof head);
    memcpy(x->edge_segment, edge_segment, sizeof edge_segment);
    memcpy(x->segment_way, segment_way, sizeof segment_way);
    memcpy(x->segment_node, segment_node, sizeof segment_node);
    memcpy(x->segment_edge, segment_edge, sizeof segment_edge);
    memcpy(x->segment_first_shape, first_shape, sizeof first_shape);
    memcpy(x->shape_lon_e7, shape_lon, sizeof shape_lon);
    memcpy(x->shape_lat_e7, shape_lat, sizeof shape_lat);
    for (int i = 0; i < N; i++)
        x->osm_id[i] = 100 + i;
    x->ways[0] = (struct cr_way_attr){ .osm_id = 1, .mode = CR_MODE_ROAD };
    x->ways[1] =
        (struct cr_way_attr){ .osm_id = 2, .mode = CR_MODE_ROAD, .klass = CR_ROAD_SERVICE };
    x->ways[2] = (struct cr_way_attr){ .osm_id = 3, .mode = CR_MODE_RAIL };
    x->view = (struct cr_graph_view){
        .node_count = N,
        .edge_count = M,
        .segment_count = S,
        .way_count = 3,
        .shape_count = K,
        .strings_size = 1,
        .lon_e7 = x->lon_e7,
        .lat_e7 = x->lat_e7,
        .osm_id = x->osm_id,
        .group = x->group,
        .barrier = x->barrier,
        .node_flags = x->node_flags,
        .first_out = x->first_out,
        .head = x->head,
        .edge_segment = x->edge_segment,
        .segment_way = x->segment_way,
        .segment_length_cm = x->segment_length_cm,
        .segment_node = x->segment_node,
        .segment_edge = x->segment_edge,
        .segment_first_shape = x->segment_first_shape,
        .shape_lon_e7 = x->shape_lon_e7,
        .shape_lat_e7 = x->shape_lat_e7,
        .ways = x->ways,
        .strings = "",
        .meta = "{}",
    };
}

/* Metres per 1e-7 degree at the query's latitude, as the snapper measures. */
static void
scale_e7(int32_t lat_e7, double *kx, double *ky)
{
    cr_geo_scale(cr_e7_to_deg(lat_e7), kx, ky);
    *kx /= CR_E7;
    *ky /= CR_E7;
}

static double
dist(int32_t lon1, int32_t lat1, int32_t lon2, int32_t lat2)
{
    return cr_geo_distance_m(lon1, lat1, lon2, lat2);
}

static struct cr_snap_index *
fixture_index(void)
{
    struct cr_error err = { 0 };
    struct cr_snap_index *ix;

    fixture_init(&fx);
    if (cr_graph_validate(&fx.view, "fixture", &err))
        fail_msg("%s", err.msg);
    ix = cr_snap_index_create(&fx.view, &err);
    if (!ix)
        fail_msg("%s", err.msg);
    return ix;
}

static struct cr_snap
snap_ok(const struct cr_snap_index *ix, int32_t lon, int32_t lat, double max_m, int prefer_lcc,
        cr_snap_filter filter, void *user)
{
    struct cr_snap s;
    struct cr_error err = { 0 };

    if (cr_snap_nearest(ix, lon, lat, max_m, prefer_lcc, filter, user, &s, &err))
        fail_msg("snap %d,%d: %s", lon, lat, err.msg);
    return s;
}

/* On s0 halfway, 0.0002 degree north of it: straight down, at a's and b's latitude. */
static void
straight_piece(void **state)
{
    struct cr_snap_index *ix = fixture_index();
    double kx, ky;
    struct cr_snap s;
    (void)state;

    scale_e7(LAT0 + U / 5, &kx, &ky);
    s = snap_ok(ix, LON0 + U, LAT0 + U / 5, 500.0, 0, NULL, NULL);
    assert_int_equal(s.segment, 0);
    assert_int_equal(s.piece, 0);
    assert_int_equal(s.lon_e7, LON0 + U);
    assert_int_equal(s.lat_e7, LAT0);
    assert_near(s.distance_m, 2000 * ky, 1e-9);
    assert_near(s.fraction, 0.5, 1e-9);
    assert_near(s.offset_m, dist(LON0, LAT0, LON0 + U, LAT0), 1e-6);
    cr_snap_index_destroy(ix);
}

/* On s1's first piece b-k, halfway: distance 0, fraction by length over both pieces. */
static void
on_a_diagonal(void **state)
{
    struct cr_snap_index *ix = fixture_index();
    double bk = dist(LON0 + 2 * U, LAT0, LON0 + 3 * U, LAT0 + U);
    double kc = dist(LON0 + 3 * U, LAT0 + U, LON0 + 2 * U, LAT0 + 2 * U);
    struct cr_snap s;
    (void)state;

    s = snap_ok(ix, LON0 + 5 * U / 2, LAT0 + U / 2, 500.0, 1, NULL, NULL);
    assert_int_equal(s.segment, 1);
    assert_int_equal(s.piece, 0);
    assert_int_equal(s.lon_e7, LON0 + 5 * U / 2);
    assert_int_equal(s.lat_e7, LAT0 + U / 2);
    assert_near(s.distance_m, 0.0, 1e-9);
    assert_near(s.offset_m, bk / 2, 1e-6);
    assert_near(s.fraction, bk / 2 / (bk + kc), 1e-9);
    cr_snap_index_destroy(ix);
}

/* 0.0005 degree east of shape point k: both pieces of s1 end nearest at k; piece 0 (the lower)
 * wins, and the snapped point is k exactly. Northwest of shape point n: n itself. */
static void
shape_points(void **state)
{
    struct cr_snap_index *ix = fixture_index();
    double kx, ky, bk = dist(LON0 + 2 * U, LAT0, LON0 + 3 * U, LAT0 + U);
    double kc = dist(LON0 + 3 * U, LAT0 + U, LON0 + 2 * U, LAT0 + 2 * U);
    double an = dist(LON0, LAT0, LON0, LAT0 + 2 * U),
           nc = dist(LON0, LAT0 + 2 * U, LON0 + 2 * U, LAT0 + 2 * U);
    struct cr_snap s;
    (void)state;

    scale_e7(LAT0 + U, &kx, &ky);
    s = snap_ok(ix, LON0 + 7 * U / 2, LAT0 + U, 500.0, 0, NULL, NULL);
    assert_int_equal(s.segment, 1);
    assert_int_equal(s.piece, 0);
    assert_int_equal(s.lon_e7, LON0 + 3 * U);
    assert_int_equal(s.lat_e7, LAT0 + U);
    assert_near(s.distance_m, 5000 * kx, 1e-9);
    assert_near(s.offset_m, bk, 1e-6);
    assert_near(s.fraction, bk / (bk + kc), 1e-9);

    scale_e7(LAT0 + 5 * U / 2, &kx, &ky);
    s = snap_ok(ix, LON0 - U / 2, LAT0 + 5 * U / 2, 500.0, 0, NULL, NULL);
    assert_int_equal(s.segment, 2);
    assert_int_equal(s.piece, 0);
    assert_int_equal(s.lon_e7, LON0);
    assert_int_equal(s.lat_e7, LAT0 + 2 * U);
    assert_near(s.distance_m, hypot(5000 * kx, 5000 * ky), 1e-9);
    assert_near(s.offset_m, an, 1e-6);
    assert_near(s.fraction, an / (an + nc), 1e-9);
    cr_snap_index_destroy(ix);
}

/* Southwest of a, 0.0005 degree each way: s0 and s2 meet at a, and rail r0 lies as far south as
 * a lies north, all three equally near; the lowest id wins. */
static void
ties_go_to_the_lowest_segment(void **state)
{
    struct cr_snap_index *ix = fixture_index();
    struct cr_snap s, k[5];
    (void)state;

    s = snap_ok(ix, LON0 - U / 2, LAT0 - U / 2, 500.0, 0, NULL, NULL);
    assert_int_equal(s.segment, 0);
    assert_int_equal(s.lon_e7, LON0);
    assert_int_equal(s.lat_e7, LAT0);
    assert_near(s.fraction, 0.0, 0.0);
    assert_near(s.offset_m, 0.0, 0.0);
    assert_int_equal(cr_snap_k_nearest(ix, LON0 - U / 2, LAT0 - U / 2, 500.0, NULL, NULL, k, 5), 5);
    assert_int_equal(k[0].segment, 0);
    assert_int_equal(k[1].segment, 2);
    assert_int_equal(k[2].segment, 4);
    assert_true(k[0].distance_m == k[1].distance_m && k[1].distance_m == k[2].distance_m);
    assert_int_equal(k[1].lat_e7, LAT0);
    assert_int_equal(k[2].lon_e7, LON0);
    assert_int_equal(k[2].lat_e7, LAT0 - U);
    assert_true(k[3].distance_m > k[2].distance_m && k[4].distance_m >= k[3].distance_m);
    cr_snap_index_destroy(ix);
}

/* 0.0001 degree south of the island x-y, 0.0007 north of s0: the island is nearest; with
 * prefer_lcc s0 wins, unless s0 is beyond the limit. */
static void
prefer_largest_component(void **state)
{
    struct cr_snap_index *ix = fixture_index();
    int32_t lon = LON0 + U, lat = LAT0 + 7 * U / 10;
    double kx, ky;
    struct cr_snap s;
    (void)state;

    scale_e7(lat, &kx, &ky);
    s = snap_ok(ix, lon, lat, 500.0, 0, NULL, NULL);
    assert_int_equal(s.segment, 3);
    assert_near(s.distance_m, 1000 * ky, 1e-9);
    assert_near(s.fraction, 0.5, 1e-9);

    s = snap_ok(ix, lon, lat, 500.0, 1, NULL, NULL);
    assert_int_equal(s.segment, 0);
    assert_int_equal(s.lon_e7, lon);
    assert_int_equal(s.lat_e7, LAT0);
    assert_near(s.distance_m, 7000 * ky, 1e-9);

    s = snap_ok(ix, lon, lat, 50.0, 1, NULL, NULL); /* s0 is 77 m away */
    assert_int_equal(s.segment, 3);
    cr_snap_index_destroy(ix);
}

static int
only_mode(void *user, uint32_t segment)
{
    return fx.ways[fx.segment_way[segment]].mode == *(const uint8_t *)user;
}

static int
not_segment_0(void *user, uint32_t segment)
{
    (void)user;
    return segment != 0;
}

/* The filter's refusals are passed over: the next nearest comes back. */
static void
filter_excludes(void **state)
{
    struct cr_snap_index *ix = fixture_index();
    uint8_t rail = CR_MODE_RAIL, road = CR_MODE_ROAD;
    int32_t lon = LON0 + U, lat = LAT0 + U / 5;
    double kx, ky;
    struct cr_snap s, k[5];
    (void)state;

    scale_e7(lat, &kx, &ky);
    s = snap_ok(ix, lon, lat, 500.0, 0, not_segment_0, NULL);
    assert_int_equal(s.segment, 3);
    assert_near(s.distance_m, 6000 * ky, 1e-9);
    s = snap_ok(ix, lon, lat, 500.0, 1, not_segment_0, NULL); /* s2 at 0.001 lon beats rail */
    assert_int_equal(s.segment, 2);
    assert_near(s.distance_m, U * kx, 1e-9);
    s = snap_ok(ix, lon, lat, 500.0, 1, only_mode, &rail);
    assert_int_equal(s.segment, 4);
    assert_near(s.distance_m, 12000 * ky, 1e-9);
    assert_int_equal(cr_snap_k_nearest(ix, lon, lat, 500.0, only_mode, &road, k, 5), 4);
    assert_int_equal(k[0].segment, 0);
    assert_int_equal(k[1].segment, 3);
    assert_int_equal(k[2].segment, 2); /* 109.3 m */
    assert_int_equal(k[3].segment, 1); /* b, 111 m */
    cr_snap_index_destroy(ix);
}

/* Each segment once, nearest first; K and the limit cut the list. */
static void
k_nearest(void **state)
{
    struct cr_snap_index *ix = fixture_index();
    int32_t lon = LON0 + U, lat = LAT0 + U / 5;
    static const uint32_t want[S] = { 0, 3, 2, 1, 4 };
    struct cr_snap k[8];
    (void)state;

    assert_int_equal(cr_snap_k_nearest(ix, lon, lat, INFINITY, NULL, NULL, k, 8), 5);
    for (int i = 0; i < S; i++)
        assert_int_equal(k[i].segment, want[i]);
    assert_int_equal(cr_snap_k_nearest(ix, lon, lat, 500.0, NULL, NULL, k, 3), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(k[i].segment, want[i]);
    assert_int_equal(cr_snap_k_nearest(ix, lon, lat, 100.0, NULL, NULL, k, 8), 2);
    /* beside k, both pieces of s1 are near: s1 appears once */
    assert_int_equal(cr_snap_k_nearest(ix, LON0 + 29 * U / 10, LAT0 + U, 500.0, NULL, NULL, k, 8),
                     5);
    assert_int_equal(k[0].segment, 1);
    for (int i = 1; i < 5; i++)
        assert_int_not_equal(k[i].segment, 1);
    assert_int_equal(cr_snap_k_nearest(ix, lon, lat, 500.0, NULL, NULL, k, 0), 0);
    cr_snap_index_destroy(ix);
}

static void
nothing_near(void **state)
{
    struct cr_snap_index *ix = fixture_index();
    struct cr_error err = { 0 };
    struct cr_snap s, k[2];
    struct cr_graph_view empty = { .strings = "", .meta = "{}" };
    (void)state;

    assert_int_equal(cr_snap_nearest(ix, 1067500000, LAT0, 500.0, 1, NULL, NULL, &s, &err),
                     CR_ENOTFOUND);
    assert_int_equal(err.code, CR_ENOTFOUND);
    assert_string_equal(err.msg, "no road within 500 m of 106.750000,10.780000");
    assert_int_equal(cr_snap_k_nearest(ix, 1067500000, LAT0, 500.0, NULL, NULL, k, 2), 0);
    assert_int_equal(cr_snap_nearest(ix, LON0, 910000000, 500.0, 1, NULL, NULL, &s, &err),
                     CR_EINVAL);
    assert_int_equal(cr_snap_nearest(ix, LON0, LAT0, NAN, 1, NULL, NULL, &s, &err), CR_EINVAL);
    assert_int_equal(cr_snap_nearest(ix, LON0, LAT0, -1.0, 1, NULL, NULL, &s, &err), CR_EINVAL);
    /* exactly on a node with a zero limit: found */
    s = snap_ok(ix, LON0 + 2 * U, LAT0 + 2 * U, 0.0, 0, NULL, NULL);
    assert_int_equal(s.segment, 1);
    assert_near(s.fraction, 1.0, 0.0);
    cr_snap_index_destroy(ix);

    ix = cr_snap_index_create(&empty, &err);
    assert_non_null(ix);
    assert_int_equal(cr_snap_nearest(ix, LON0, LAT0, INFINITY, 0, NULL, NULL, &s, &err),
                     CR_ENOTFOUND);
    assert_string_equal(err.msg, "no road near 106.700000,10.780000");
    cr_snap_index_destroy(ix);
    cr_snap_index_destroy(NULL);
}

/* ---- Monaco against brute force ------------------------------------------------------------- */

static char dir[64], net_path[128];
static struct cr_graph *monaco;

static int
monaco_setup(void **state)
{
    struct cr_error err = { 0 };
    (void)state;

    snprintf(dir, sizeof dir, "/tmp/cr_test_snap_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(net_path, sizeof net_path, "%s/monaco.corridor", dir);
    if (cr_osm_import(MONACO, net_path, NULL, NULL, &err) ||
        !(monaco = cr_graph_open(net_path, &err))) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int
monaco_teardown(void **state)
{
    (void)state;
    cr_graph_close(monaco);
    unlink(net_path);
    rmdir(dir);
    return 0;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t
next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* Each segment's nearest distance from the query, by scanning all its pieces. */
static void
brute_force(const struct cr_graph_view *v, int32_t qlon, int32_t qlat, double *seg_m)
{
    double kx, ky;

    scale_e7(qlat, &kx, &ky);
    for (uint32_t s = 0; s < v->segment_count; s++) {
        uint32_t f = v->segment_first_shape[s], n = v->segment_first_shape[s + 1] - f;
        double best = INFINITY;
        for (uint32_t p = 0; p <= n; p++) {
            uint32_t na = v->segment_node[2 * s], nb = v->segment_node[2 * s + 1];
            int32_t alon = p == 0 ? v->lon_e7[na] : v->shape_lon_e7[f + p - 1];
            int32_t alat = p == 0 ? v->lat_e7[na] : v->shape_lat_e7[f + p - 1];
            int32_t blon = p == n ? v->lon_e7[nb] : v->shape_lon_e7[f + p];
            int32_t blat = p == n ? v->lat_e7[nb] : v->shape_lat_e7[f + p];
            double ax = ((double)alon - qlon) * kx, ay = ((double)alat - qlat) * ky;
            double bx = ((double)blon - qlon) * kx, by = ((double)blat - qlat) * ky;
            double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
            double t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            double d = hypot(ax + t * dx, ay + t * dy);
            best = d < best ? d : best;
        }
        seg_m[s] = best;
    }
}

static int
lcc(const struct cr_graph_view *v, uint32_t s)
{
    return (v->node_flags[v->segment_node[2 * s]] & v->node_flags[v->segment_node[2 * s + 1]] &
            CR_NODE_LCC) != 0;
}

/* A filter: road segments open a->b whose id is not a multiple of 3. */
static int
picky(void *user, uint32_t s)
{
    const struct cr_graph_view *v = user;
    return v->ways[v->segment_way[s]].mode == CR_MODE_ROAD &&
           v->segment_edge[2 * s] != CR_NO_EDGE && s % 3 != 0;
}

/* The nearest segment of the brute force scan among the usable (and LCC if lcc_only). */
static uint32_t
brute_best(const struct cr_graph_view *v, const double *seg_m, double max_m, int lcc_only,
           int use_filter)
{
    uint32_t best = CR_NO_NODE;
    for (uint32_t s = 0; s < v->segment_count; s++) {
        if (seg_m[s] > max_m || (lcc_only && !lcc(v, s)) || (use_filter && !picky((void *)v, s)))
            continue;
        if (best == CR_NO_NODE || seg_m[s] < seg_m[best])
            best = s;
    }
    return best;
}

/* The snap matches the brute force's distance, and its segment unless another ties. */
static void
check_snap(const struct cr_graph_view *v, const double *seg_m, uint32_t want,
           const struct cr_snap *s, int32_t lon, int32_t lat, const char *what)
{
    double kx, ky;

    if (fabs(s->distance_m - seg_m[want]) > 1e-6)
        fail_msg("%s %d,%d: distance %.9f, brute force %.9f (segment %u, want %u)", what, lon, lat,
                 s->distance_m, seg_m[want], s->segment, want);
    if (s->segment != want && fabs(seg_m[s->segment] - seg_m[want]) > 1e-6)
        fail_msg("%s %d,%d: segment %u, want %u", what, lon, lat, s->segment, want);
    scale_e7(lat, &kx, &ky);
    if (fabs(hypot((s->lon_e7 - lon) * kx, (s->lat_e7 - lat) * ky) - s->distance_m) > 0.02)
        fail_msg("%s %d,%d: snapped point is not distance_m away", what, lon, lat);
    if (!(s->fraction >= 0 && s->fraction <= 1) || s->offset_m < 0 ||
        s->offset_m > v->segment_length_cm[s->segment] / 100.0 + 0.01)
        fail_msg("%s %d,%d: fraction %g offset %g out of range", what, lon, lat, s->fraction,
                 s->offset_m);
}

/* The snap within MAX_M is WANT, or CR_ENOTFOUND when WANT is CR_NO_NODE. */
static void
expect(const struct cr_snap_index *ix, const struct cr_graph_view *v, const double *seg_m,
       int32_t lon, int32_t lat, double max_m, int prefer_lcc, cr_snap_filter filter, uint32_t want,
       const char *what)
{
    struct cr_error err = { 0 };
    struct cr_snap s;
    enum cr_status rc =
        cr_snap_nearest(ix, lon, lat, max_m, prefer_lcc, filter, (void *)v, &s, &err);

    if (want == CR_NO_NODE ? rc != CR_ENOTFOUND : rc != CR_OK)
        fail_msg("%s %d,%d: status %d (%s), brute force found %s", what, lon, lat, rc, err.msg,
                 want == CR_NO_NODE ? "none" : "one");
    if (rc != CR_OK)
        return;
    check_snap(v, seg_m, want, &s, lon, lat, what);
    if (filter && !filter((void *)v, s.segment))
        fail_msg("%s %d,%d: segment %u refused by the filter", what, lon, lat, s.segment);
}

static int
by_distance(const void *a, const void *b, const double *seg_m)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (seg_m[x] != seg_m[y])
        return seg_m[x] < seg_m[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

static const double *sort_seg_m;

static int
by_distance_qsort(const void *a, const void *b)
{
    return by_distance(a, b, sort_seg_m);
}

/* POINTS seeded random points in the box: nearest (no limit), prefer_lcc and a filter within
 * 1000 m, nearest within 30 m, and (every 4th) the 5 nearest within 300 m, each against the
 * brute force. Counts the points where prefer_lcc chose differently and those within 30 m. */
static void
against_brute_force(const struct cr_graph_view *v, int points, const int32_t box[4],
                    int *lcc_differs, int *within_30)
{
    struct cr_error err = { 0 };
    struct cr_snap_index *ix = cr_snap_index_create(v, &err);
    double *seg_m = malloc(v->segment_count * sizeof *seg_m);
    uint32_t *order = malloc(v->segment_count * sizeof *order);

    if (!ix)
        fail_msg("%s", err.msg);
    assert_non_null(seg_m);
    assert_non_null(order);
    *lcc_differs = *within_30 = 0;
    for (int q = 0; q < points; q++) {
        int32_t lon = box[0] + (int32_t)(next_random() % (uint32_t)(box[2] - box[0] + 1));
        int32_t lat = box[1] + (int32_t)(next_random() % (uint32_t)(box[3] - box[1] + 1));
        struct cr_snap s, k[5];
        uint32_t want;

        brute_force(v, lon, lat, seg_m);

        want = brute_best(v, seg_m, INFINITY, 0, 0);
        s = snap_ok(ix, lon, lat, INFINITY, 0, NULL, NULL);
        check_snap(v, seg_m, want, &s, lon, lat, "nearest");

        want = brute_best(v, seg_m, 1000.0, 1, 0);
        *lcc_differs += want != CR_NO_NODE && seg_m[want] > seg_m[s.segment] + 1e-6;
        *within_30 += brute_best(v, seg_m, 30.0, 0, 0) != CR_NO_NODE;
        if (want == CR_NO_NODE)
            want = brute_best(v, seg_m, 1000.0, 0, 0);
        expect(ix, v, seg_m, lon, lat, 1000.0, 1, NULL, want, "prefer_lcc");
        expect(ix, v, seg_m, lon, lat, 1000.0, 0, picky, brute_best(v, seg_m, 1000.0, 0, 1),
               "filter");
        expect(ix, v, seg_m, lon, lat, 30.0, 0, NULL, brute_best(v, seg_m, 30.0, 0, 0), "30 m");

        if (q % 4 == 0) { /* the 5 nearest within 300 m */
            size_t n = 0, got = cr_snap_k_nearest(ix, lon, lat, 300.0, NULL, NULL, k, 5);
            for (uint32_t i = 0; i < v->segment_count; i++)
                if (seg_m[i] <= 300.0)
                    order[n++] = i;
            sort_seg_m = seg_m;
            qsort(order, n, sizeof *order, by_distance_qsort);
            assert_int_equal(got, n < 5 ? n : 5);
            for (size_t i = 0; i < got; i++) {
                check_snap(v, seg_m, order[i], &k[i], lon, lat, "k nearest");
                for (size_t j = 0; j < i; j++)
                    assert_int_not_equal(k[i].segment, k[j].segment);
            }
        }
    }
    free(order);
    free(seg_m);
    cr_snap_index_destroy(ix);
}

static void
monaco_against_brute_force(void **state)
{
    const struct cr_graph_view *v = cr_graph_view(monaco);
    int32_t box[4] = { INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN };
    int lcc_differs, within_30;
    (void)state;

    assert_true(v->segment_count > 1000);
    for (uint32_t n = 0; n < v->node_count; n++) {
        box[0] = v->lon_e7[n] < box[0] ? v->lon_e7[n] : box[0];
        box[1] = v->lat_e7[n] < box[1] ? v->lat_e7[n] : box[1];
        box[2] = v->lon_e7[n] > box[2] ? v->lon_e7[n] : box[2];
        box[3] = v->lat_e7[n] > box[3] ? v->lat_e7[n] : box[3];
    }
    against_brute_force(v, 2000, box, &lcc_differs, &within_30);
    if (lcc_differs < 5 || within_30 < 200 || within_30 > 1900) /* the cases were all met */
        fail_msg("%d points where prefer_lcc matters, %d within 30 m", lcc_differs, within_30);
}

/* A dense town of 5000 segments (about 12500 pieces) in 2 km and a ferry line 600 km east: the
 * lon range is so wide that the town falls in one or two of the first sort byte's 256 buckets,
 * which then take the in-place sort. Random LCC flags and shape points. */
static void
skewed_against_brute_force(void **state)
{
    enum { TOWN = 5000, SEGS = TOWN + 1, NODES = 2 * SEGS, SHAPES = 3 * TOWN };
    struct cr_graph_view v = { 0 };
    int32_t *lon = malloc(NODES * sizeof *lon), *lat = malloc(NODES * sizeof *lat);
    int32_t *slon = malloc(SHAPES * sizeof *slon), *slat = malloc(SHAPES * sizeof *slat);
    uint8_t *flags = calloc(NODES, 1);
    uint32_t *snode = malloc(2 * SEGS * sizeof *snode), *sedge = malloc(2 * SEGS * sizeof *sedge);
    uint32_t *first = malloc((SEGS + 1) * sizeof *first), *way = calloc(SEGS, sizeof *way);
    uint32_t *len = malloc(SEGS * sizeof *len);
    struct cr_way_attr ways[1] = { { .mode = CR_MODE_ROAD } };
    int32_t box[4] = { 74000000, 437000000, 74200000, 437200000 }; /* the town */
    int lcc_differs, within_30;
    uint32_t k = 0;
    (void)state;

    assert_true(lon && lat && slon && slat && flags && snode && sedge && first && way && len);
    for (uint32_t s = 0; s < SEGS; s++) {
        uint32_t a = 2 * s, b = 2 * s + 1, shapes = s < TOWN ? next_random() % 4 : 0;
        if (s < TOWN) {
            lon[a] = box[0] + (int32_t)(next_random() % 200001);
            lat[a] = box[1] + (int32_t)(next_random() % 200001);
            lon[b] = lon[a] + (int32_t)(next_random() % 4001) - 2000;
            lat[b] = lat[a] + (int32_t)(next_random() % 4001) - 2000;
        } else { /* the ferry */
            lon[a] = 150000000, lat[a] = 430000000, lon[b] = 160000000, lat[b] = 431000000;
        }
        flags[a] = next_random() % 3 ? CR_NODE_LCC : 0;
        flags[b] = next_random() % 3 ? CR_NODE_LCC : 0;
        snode[2 * s] = a;
        snode[2 * s + 1] = b;
        sedge[2 * s] = s % 2 ? CR_NO_EDGE : 2 * s; /* for the filter only */
        sedge[2 * s + 1] = 2 * s + 1;
        first[s] = k;
        double m = 0;
        int32_t plon = lon[a], plat = lat[a];
        for (uint32_t i = 0; i < shapes && k < SHAPES; i++, k++) {
            slon[k] = lon[a] + (int32_t)(next_random() % 6001) - 3000;
            slat[k] = lat[a] + (int32_t)(next_random() % 6001) - 3000;
            m += cr_geo_distance_m(plon, plat, slon[k], slat[k]);
            plon = slon[k];
            plat = slat[k];
        }
        m += cr_geo_distance_m(plon, plat, lon[b], lat[b]);
        len[s] = (uint32_t)llround(m * 100);
    }
    first[SEGS] = k;
    v = (struct cr_graph_view){ .node_count = NODES,
                                .segment_count = SEGS,
                                .shape_count = k,
                                .way_count = 1,
                                .lon_e7 = lon,
                                .lat_e7 = lat,
                                .node_flags = flags,
                                .segment_way = way,
                                .segment_length_cm = len,
                                .segment_node = snode,
                                .segment_edge = sedge,
                                .segment_first_shape = first,
                                .shape_lon_e7 = slon,
                                .shape_lat_e7 = slat,
                                .ways = ways };
    against_brute_force(&v, 300, box, &lcc_differs, &within_30);
    if (lcc_differs < 5 || within_30 < 100)
        fail_msg("%d points where prefer_lcc matters, %d within 30 m", lcc_differs, within_30);
    free(lon);
    free(lat);
    free(slon);
    free(slat);
    free(flags);
    free(snode);
    free(sedge);
    free(first);
    free(way);
    free(len);
}

/* One index, four threads, the same answers as one thread. */
struct worker {
    const struct cr_snap_index *ix;
    int32_t lon[256], lat[256];
    struct cr_snap got[256];
};

static void *
work(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 256; i++)
        if (cr_snap_nearest(w->ix, w->lon[i], w->lat[i], 2000.0, 1, NULL, NULL, &w->got[i], NULL))
            w->got[i].segment = UINT32_MAX;
    return NULL;
}

static void
monaco_threads(void **state)
{
    const struct cr_graph_view *v = cr_graph_view(monaco);
    struct cr_snap_index *ix = cr_snap_index_create(v, NULL);
    static struct worker w[4];
    pthread_t t[4];
    (void)state;

    assert_non_null(ix);
    for (int j = 0; j < 4; j++) {
        w[j].ix = ix;
        for (int i = 0; i < 256; i++) {
            uint32_t n = next_random() % v->node_count;
            w[j].lon[i] = v->lon_e7[n] + (int32_t)(next_random() % 4001) - 2000;
            w[j].lat[i] = v->lat_e7[n] + (int32_t)(next_random() % 4001) - 2000;
        }
        assert_int_equal(pthread_create(&t[j], NULL, work, &w[j]), 0);
    }
    for (int j = 0; j < 4; j++)
        assert_int_equal(pthread_join(t[j], NULL), 0);
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 256; i++) {
            struct cr_snap s = snap_ok(ix, w[j].lon[i], w[j].lat[i], 2000.0, 1, NULL, NULL);
            assert_memory_equal(&s, &w[j].got[i], sizeof s);
        }
    cr_snap_index_destroy(ix);
}

int
main(void)
{
    const struct CMUnitTest hand[] = {
        cmocka_unit_test(straight_piece),
        cmocka_unit_test(on_a_diagonal),
        cmocka_unit_test(shape_points),
        cmocka_unit_test(ties_go_to_the_lowest_segment),
        cmocka_unit_test(prefer_largest_component),
        cmocka_unit_test(filter_excludes),
        cmocka_unit_test(k_nearest),
        cmocka_unit_test(nothing_near),
        cmocka_unit_test(skewed_against_brute_force),
    };
    const struct CMUnitTest real[] = {
        cmocka_unit_test(monaco_against_brute_force),
        cmocka_unit_test(monaco_threads),
    };
    int failed = cmocka_run_group_tests_name("snap", hand, NULL, NULL);
    return failed + cmocka_run_group_tests_name("snap_monaco", real, monaco_setup, monaco_teardown);
}
