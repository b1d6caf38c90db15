/* Turn restriction validity, per-vehicle directions and node access: importer and routes on
 * tests/maps/access_rules.osm (drawn in access_rules.txt), and the real District 3 ways that
 * carry motorcar=no / destination and oneway:motorcycle=no / oneway:moped=no. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/graph.h"
#include "core/snap.h"
#include "importers/osm/osm_import.h"
#include "routing/profile.h"
#include "routing/route.h"

#define MAP CR_SOURCE_DIR "/tests/maps/access_rules.osm"
#define D3 CR_SOURCE_DIR "/datasets/hcmc-district3-multi-tl-map.osm.pbf"
#define U 10000 /* 0.001 degrees in e7 */
#define UNIT_M 110.0
#define CAR_BIT (1u << CR_VEHICLE_CAR)
#define MOTO_BIT (1u << CR_VEHICLE_MOTORCYCLE)
#define HGV_BIT (1u << CR_VEHICLE_HGV)

struct net {
    struct cr_netbuild *b;
    const struct cr_graph_view *v;
    struct cr_snap_index *snap;
    struct cr_import_stats stats;
};

static void
net_open(struct net *n, const char *path)
{
    struct cr_import_options opt = { 0 };
    struct cr_error err = { 0 };

    opt.modes = 1u << CR_GROUP_ROAD;
    n->b = cr_osm_build(path, &opt, &n->stats, &err);
    if (!n->b)
        fail_msg("%s", err.msg);
    n->v = cr_netbuild_view(n->b);
    n->snap = cr_snap_index_create(n->v, &err);
    if (!n->snap)
        fail_msg("%s", err.msg);
}

static void
net_close(struct net *n)
{
    cr_snap_index_destroy(n->snap);
    cr_netbuild_destroy(n->b);
}

static uint32_t
way_of(const struct cr_graph_view *v, int64_t osm_id)
{
    for (uint32_t w = 0; w < v->way_count; w++)
        if (v->ways[w].osm_id == osm_id)
            return w;
    return UINT32_MAX;
}

static uint32_t
node_of(const struct cr_graph_view *v, int64_t osm_id)
{
    for (uint32_t n = 0; n < v->node_count; n++)
        if (v->osm_id[n] == osm_id && v->group[n] == CR_GROUP_ROAD)
            return n;
    return CR_NO_NODE;
}

/* Edges of way W's segments: how many run along the node order and how many against it. */
static void
way_edges(const struct cr_graph_view *v, uint32_t w, int *fwd, int *bwd)
{
    *fwd = *bwd = 0;
    for (uint32_t s = 0; s < v->segment_count; s++) {
        if (v->segment_way[s] != w)
            continue;
        *fwd += v->segment_edge[2 * s] != CR_NO_EDGE;
        *bwd += v->segment_edge[2 * s + 1] != CR_NO_EDGE;
    }
}

/* Route distance in metres between grid points of access_rules.osm, or -1 when none. */
static double
route(const struct net *n, const char *profile, double x0, double y0, double x1, double y1)
{
    struct cr_profile p;
    struct cr_engine e;
    struct cr_router *r;
    struct cr_route rt;
    struct cr_error err = { 0 };
    int32_t lon[2] = { 1060000000 + (int32_t)lround(x0 * U), 1060000000 + (int32_t)lround(x1 * U) };
    int32_t lat[2] = { 100000000 + (int32_t)lround(y0 * U), 100000000 + (int32_t)lround(y1 * U) };
    double d = -1;

    if (cr_profile_load(profile, NULL, &p, &err))
        fail_msg("%s", err.msg);
    if (cr_engine_init(&e, n->v, n->snap, &p, CR_METRIC_DISTANCE, &err))
        fail_msg("%s", err.msg);
    e.max_snap_m = 30;
    r = cr_router_create(&e, &err);
    assert_non_null(r);
    if (cr_router_route(r, lon, lat, 2, &rt, &err) == CR_OK) {
        d = rt.distance_m;
        cr_route_fini(&rt);
    }
    cr_router_destroy(r);
    cr_engine_fini(&e);
    return d;
}

/* D (metres) is about UNITS grid units. */
static void
want_units(const char *what, double d, double units)
{
    if (!(fabs(d - units * UNIT_M) < 0.1 * units * UNIT_M + 5))
        fail_msg("%s: %.1f m, want about %.0f m", what, d, units * UNIT_M);
}

static int
has_restriction(const struct cr_graph_view *v, int64_t rel, int64_t from, int64_t to)
{
    for (uint32_t i = 0; i < v->restriction_count; i++) {
        const struct cr_restriction *r = &v->restrictions[i];
        if (r->osm_id == rel && v->ways[r->from_way].osm_id == from &&
            v->ways[r->to_way].osm_id == to)
            return 1;
    }
    return 0;
}

static void
restrictions_checked(void **state)
{
    struct net n;

    (void)state;
    net_open(&n, MAP);
    assert_int_equal(n.v->restriction_count, 4);
    assert_int_equal(n.stats.restrictions, 4);
    assert_int_equal(n.stats.restrictions_invalid[CR_RESTRICTION_MEMBERS], 1);        /* 211 */
    assert_int_equal(n.stats.restrictions_invalid[CR_RESTRICTION_TO_OFF_VIA], 1);     /* 201 */
    assert_int_equal(n.stats.restrictions_invalid[CR_RESTRICTION_TO_THROUGH_VIA], 1); /* 202 */
    assert_int_equal(n.stats.restrictions_invalid[CR_RESTRICTION_FROM_OFF_VIA], 1);   /* 204 */
    assert_true(has_restriction(n.v, 212, 111, 114)); /* no_entry: each from way */
    assert_true(has_restriction(n.v, 212, 112, 114));
    assert_true(has_restriction(n.v, 213, 113, 112)); /* no_exit: each to way */
    assert_true(has_restriction(n.v, 213, 113, 111));
    assert_non_null(strstr(n.v->meta, "\"restrictions_invalid\":{\"members\":1,"
                                      "\"from_not_at_via\":1,\"to_not_at_via\":1,"
                                      "\"to_through_via\":1}"));
    /* s -> r straight on: neither the off-via only_ nor the on_red value applies */
    want_units("car s->r", route(&n, "car", 1, 0, 3, 1), 3);
    /* no_entry: s2 -> e2 not by the turn at j2 */
    if (!(route(&n, "car", 41, 0, 42, 1) > 3 * UNIT_M))
        fail_msg("car s2->e2 took the turn no_entry bans");
    want_units("car w2->e2", route(&n, "car", 40, 1, 42, 1), 2);
    want_units("car s2->w2 (211 ignored)", route(&n, "car", 41, 0, 40, 1), 2);
    if (!(route(&n, "car", 40, 1, 41, 2) > 3 * UNIT_M))
        fail_msg("car w2->n2 took the turn no_exit bans");
    net_close(&n);
}

static void
directions_per_vehicle(void **state)
{
    struct net n;
    int f, b;
    uint32_t w;

    (void)state;
    net_open(&n, MAP);
    /* 3: oneway=yes + oneway:motorcycle=no */
    w = way_of(n.v, 121);
    way_edges(n.v, w, &f, &b);
    assert_true(f == 1 && b == 1);
    assert_int_equal(n.v->ways[w].closed_bwd, CAR_BIT | HGV_BIT);
    assert_int_equal(n.v->ways[w].closed_fwd, 0);
    assert_false(n.v->ways[w].flags & CR_WAY_ONEWAY);
    want_units("car b->a (oneway)", route(&n, "car", 82, 0, 80, 0), 6);
    want_units("motorcycle b->a (oneway:motorcycle=no)", route(&n, "motorcycle", 82, 0, 80, 0), 2);
    want_units("car a->b", route(&n, "car", 80, 0, 82, 0), 2);
    /* 4: access:backward=no closes the backward direction for everyone: one edge */
    w = way_of(n.v, 131);
    way_edges(n.v, w, &f, &b);
    assert_true(f == 1 && b == 0);
    assert_true(n.v->ways[w].flags & CR_WAY_ONEWAY);
    assert_int_equal(n.v->ways[w].closed_bwd | n.v->ways[w].closed_fwd, 0);
    want_units("motorcycle b->a (access:backward=no)", route(&n, "motorcycle", 122, 0, 120, 0), 6);
    /* 5: oneway:motorcar=yes on a two-way street */
    w = way_of(n.v, 141);
    way_edges(n.v, w, &f, &b);
    assert_true(f == 1 && b == 1);
    assert_int_equal(n.v->ways[w].closed_bwd, CAR_BIT);
    want_units("car b->a (oneway:motorcar)", route(&n, "car", 162, 0, 160, 0), 6);
    want_units("truck b->a (follows the car)", route(&n, "truck", 162, 0, 160, 0), 6);
    want_units("motorcycle b->a", route(&n, "motorcycle", 162, 0, 160, 0), 2);
    net_close(&n);
}

static void
node_access(void **state)
{
    struct net n;
    uint32_t k, k2;

    (void)state;
    net_open(&n, MAP);
    k = node_of(n.v, 55);
    k2 = node_of(n.v, 65);
    assert_int_not_equal(k, CR_NO_NODE); /* plain nodes, made graph nodes by their access */
    assert_int_not_equal(k2, CR_NO_NODE);
    assert_int_equal(n.v->barrier[k], CR_BARRIER_NONE);
    assert_int_equal(n.v->node_closed[k], CAR_BIT | MOTO_BIT | HGV_BIT);
    assert_int_equal(n.v->node_closed[k2], CAR_BIT | HGV_BIT);
    want_units("car a->b through access=no", route(&n, "car", 200, 0, 202, 0), 6);
    want_units("motorcycle a->b through access=no", route(&n, "motorcycle", 200, 0, 202, 0), 6);
    want_units("car a->b through motorcar=no", route(&n, "car", 240, 0, 242, 0), 6);
    want_units("motorcycle a->b through motorcar=no", route(&n, "motorcycle", 240, 0, 242, 0), 2);
    net_close(&n);
}

/* The written file keeps node.closed and the way records' closed bits. */
static void
written_and_read_back(void **state)
{
    struct net n;
    struct cr_error err = { 0 };
    char path[] = CR_BINARY_DIR "/access_rules.corr";
    struct cr_graph *g;
    const struct cr_graph_view *v;

    (void)state;
    net_open(&n, MAP);
    if (cr_graph_write(n.v, path, &err))
        fail_msg("%s", err.msg);
    g = cr_graph_open(path, &err);
    if (!g)
        fail_msg("%s", err.msg);
    v = cr_graph_view(g);
    assert_non_null(v->node_closed);
    assert_memory_equal(v->node_closed, n.v->node_closed, v->node_count);
    assert_int_equal(v->ways[way_of(v, 121)].closed_bwd, CAR_BIT | HGV_BIT);
    cr_graph_close(g);
    remove(path);
    net_close(&n);
}

/* The real District 3 ways (hcmc-district3-multi-tl-map.osm.pbf): motorcar=no on 18 alleys,
 * motorcar=destination on 30, oneway:motorcycle=no + oneway:moped=no on Nguyễn Văn Mai. */
static void
district3_real_ways(void **state)
{
    static const int64_t moto_both[] = { 35113111, 1178023591 };
    struct net n;
    struct cr_profile car, moto;
    struct cr_error err = { 0 };
    int no = 0, dest = 0;

    (void)state;
    net_open(&n, D3);
    if (cr_profile_load("car", NULL, &car, &err) ||
        cr_profile_load("motorcycle", NULL, &moto, &err))
        fail_msg("%s", err.msg);
    for (uint32_t w = 0; w < n.v->way_count; w++) {
        const struct cr_way_attr *a = &n.v->ways[w];
        no += a->access[CR_VEHICLE_CAR] == CR_ACCESS_NO &&
              a->access[CR_VEHICLE_MOTORCYCLE] != CR_ACCESS_NO;
        dest += a->access[CR_VEHICLE_CAR] == CR_ACCESS_DESTINATION;
    }
    /* the tagged ones, and a few more closed to cars through motor_vehicle=* or access=* */
    assert_true(no >= 18);
    assert_true(dest >= 30);
    /* a motorcar=no alley: no car edge, motorcycle edges */
    for (uint32_t s = 0; s < n.v->segment_count; s++) {
        if (n.v->segment_way[s] != way_of(n.v, 35114077))
            continue;
        for (int d = 0; d < 2; d++) {
            uint32_t e = n.v->segment_edge[2 * s + d];
            assert_int_not_equal(e, CR_NO_EDGE);
            assert_false(cr_profile_edge_allowed(&car, n.v, e));
            assert_true(cr_profile_edge_allowed(&moto, n.v, e));
        }
    }
    for (size_t i = 0; i < sizeof moto_both / sizeof moto_both[0]; i++) {
        uint32_t w = way_of(n.v, moto_both[i]);
        int segs = 0;
        assert_int_not_equal(w, UINT32_MAX);
        assert_int_equal(n.v->ways[w].closed_bwd, CAR_BIT | HGV_BIT);
        for (uint32_t s = 0; s < n.v->segment_count; s++) {
            uint32_t fwd = n.v->segment_edge[2 * s], bwd = n.v->segment_edge[2 * s + 1];
            if (n.v->segment_way[s] != w)
                continue;
            segs++;
            assert_true(fwd != CR_NO_EDGE && bwd != CR_NO_EDGE);
            assert_true(cr_profile_edge_allowed(&car, n.v, fwd));
            assert_false(cr_profile_edge_allowed(&car, n.v, bwd));
            assert_true(cr_profile_edge_allowed(&moto, n.v, fwd));
            assert_true(cr_profile_edge_allowed(&moto, n.v, bwd));
        }
        assert_true(segs > 0);
    }
    net_close(&n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(restrictions_checked), cmocka_unit_test(directions_per_vehicle),
        cmocka_unit_test(node_access),          cmocka_unit_test(written_and_read_back),
        cmocka_unit_test(district3_real_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
