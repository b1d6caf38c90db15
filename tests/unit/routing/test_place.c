/* Where a point snaps (cr_engine_place, cr_engine_place_opts): the nearest segment, never another
 * level or a street merely near; small components; radius, bearing and approach. On
 * tests/maps/snap_rules.osm (drawn in snap_rules.txt) and on every junction of two bundled
 * extracts. */
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
#include "routing/turngraph.h"

#define RULES CR_SOURCE_DIR "/tests/maps/snap_rules.osm"
#define U 10000 /* 0.001 degrees in e7 */

struct net {
    struct cr_netbuild *b;
    const struct cr_graph_view *v;
    struct cr_snap_index *snap;
    struct cr_engine e;
    struct cr_router *r;
};

static void
net_open(struct net *n, const char *path, const char *profile)
{
    struct cr_error err = { 0 };
    struct cr_profile p;

    n->b = cr_osm_build(path, NULL, NULL, &err);
    if (!n->b)
        fail_msg("%s", err.msg);
    n->v = cr_netbuild_view(n->b);
    n->snap = cr_snap_index_create(n->v, &err);
    if (!n->snap || cr_profile_load(profile, NULL, &p, &err) ||
        cr_engine_init(&n->e, n->v, n->snap, &p, CR_METRIC_TIME, &err) ||
        !(n->r = cr_router_create(&n->e, &err)))
        fail_msg("%s: %s", path, err.msg);
}

static void
net_close(struct net *n)
{
    cr_router_destroy(n->r);
    cr_engine_fini(&n->e);
    cr_snap_index_destroy(n->snap);
    cr_netbuild_destroy(n->b);
}

static int32_t
lon_of(double x)
{
    return 1060000000 + (int32_t)lround(x * U);
}

static int32_t
lat_of(double y)
{
    return 100000000 + (int32_t)lround(y * U);
}

static const char *
way_name(const struct net *n, uint32_t segment)
{
    return cr_graph_string(n->v, n->v->ways[n->v->segment_way[segment]].name);
}

/* The route between grid points with options for each end (NULL: defaults); its distance, or
 * -1 when a point does not snap or no route exists. */
static double
route_opts(struct net *n, double x0, double y0, const struct cr_place_opts *o0, double x1,
           double y1, const struct cr_place_opts *o1, struct cr_route *keep)
{
    struct cr_place places[2];
    struct cr_route rt;
    struct cr_error err = { 0 };
    double d;

    if (cr_engine_place_opts(&n->e, lon_of(x0), lat_of(y0), o0, &places[0], &err) ||
        cr_engine_place_opts(&n->e, lon_of(x1), lat_of(y1), o1, &places[1], &err) ||
        cr_router_route_places(n->r, places, 2, &rt, &err))
        return -1;
    d = rt.distance_m;
    if (keep)
        *keep = rt;
    else
        cr_route_fini(&rt);
    return d;
}

/* Map 1: a point on a junction under an overpass snaps onto the junction's streets at 0 m. */
static void
junction_under_bridge(void **state)
{
    struct cr_error err = { 0 };
    struct cr_place p;
    struct cr_route rt;
    struct net n;
    double d;

    (void)state;
    net_open(&n, RULES, "car");
    assert_int_equal(cr_engine_place(&n.e, lon_of(2), lat_of(0), &p, &err), CR_OK);
    assert_true(p.snap.distance_m < 0.01);
    assert_true(p.count >= 2); /* the streets of b: each may start the route */
    for (uint32_t i = 0; i < p.count; i++) {
        const char *name = way_name(&n, p.cand[i].snap.segment);
        if (strcmp(name, "Ground street") && strcmp(name, "Cross street"))
            fail_msg("candidate %u on \"%s\", want the streets of the junction", i, name);
        assert_true(p.cand[i].snap.distance_m < 0.01);
    }
    /* to a point on the overpass: round by a ramp, not along the bridge from b */
    d = route_opts(&n, 2, 0, NULL, 2.5, 0.5, NULL, &rt);
    if (!(d > 300))
        fail_msg("b to the overpass: %.1f m, want the way round by a ramp (over 300 m)", d);
    assert_string_not_equal(way_name(&n, rt.places[0].snap.segment), "Overpass");
    cr_route_fini(&rt);
    /* along the street from b: the street itself */
    d = route_opts(&n, 2, 0, NULL, 4, 0, NULL, NULL);
    if (fabs(d - 2 * 109.6) > 3)
        fail_msg("b to c: %.1f m, want about 219 m", d);
    net_close(&n);
}

/* Map 2: two points 10 m apart on one street: the route is that stretch of street. */
static void
short_trip(void **state)
{
    struct net n;
    double d;

    (void)state;
    net_open(&n, RULES, "car");
    d = route_opts(&n, 11, 0, NULL, 11.091, 0, NULL, NULL);
    if (fabs(d - 10.0) > 0.5)
        fail_msg("a 10 m trip: %.2f m", d);
    d = route_opts(&n, 11.091, 0, NULL, 11, 0, NULL, NULL); /* and back, the street is two-way */
    if (fabs(d - 10.0) > 0.5)
        fail_msg("a 10 m trip back: %.2f m", d);
    net_close(&n);
}

/* Map 3: every component small, so the nearest road; with a smaller threshold, the big one. */
static void
tiny_components(void **state)
{
    struct cr_error err = { 0 };
    struct cr_place p;
    struct net n;

    (void)state;
    net_open(&n, RULES, "car");
    assert_int_equal(cr_engine_place(&n.e, lon_of(20.5), lat_of(0.1), &p, &err), CR_OK);
    assert_string_equal(way_name(&n, p.snap.segment), "Piece A");
    assert_true(p.snap.distance_m < 12);
    assert_int_equal(cr_engine_place(&n.e, lon_of(20.5), lat_of(-1.9), &p, &err), CR_OK);
    assert_string_equal(way_name(&n, p.snap.segment), "Piece C");
    n.e.small_component = 2; /* now Piece B (two directions) is big, Piece A (one) small */
    assert_int_equal(cr_engine_place(&n.e, lon_of(20.5), lat_of(0.1), &p, &err), CR_OK);
    assert_string_equal(way_name(&n, p.snap.segment), "Piece B");
    /* ... unless the point snaps anywhere (OSRM's snapping=any) */
    struct cr_place_opts any = CR_PLACE_OPTS_DEFAULT;
    any.snap_any = 1;
    assert_int_equal(cr_engine_place_opts(&n.e, lon_of(20.5), lat_of(0.1), &any, &p, &err), CR_OK);
    assert_string_equal(way_name(&n, p.snap.segment), "Piece A");
    assert_int_equal(p.small_comp, CR_INF);
    /* ... and only within the radius */
    n.e.max_snap_m = 100;
    assert_int_equal(cr_engine_place(&n.e, lon_of(20.5), lat_of(0.1), &p, &err), CR_OK);
    assert_string_equal(way_name(&n, p.snap.segment), "Piece A");
    net_close(&n);
}

/* Map 4: approach (curb, opposite), bearing and radius. */
static void
approach_bearing_radius(void **state)
{
    struct cr_place_opts curb = CR_PLACE_OPTS_DEFAULT, opposite = CR_PLACE_OPTS_DEFAULT;
    struct cr_place_opts west = CR_PLACE_OPTS_DEFAULT, east = CR_PLACE_OPTS_DEFAULT;
    struct cr_place_opts near = CR_PLACE_OPTS_DEFAULT, far = CR_PLACE_OPTS_DEFAULT;
    struct cr_error err = { 0 };
    struct cr_place p;
    struct net n;
    double plain, d;

    (void)state;
    net_open(&n, RULES, "car");
    curb.approach = CR_APPROACH_CURB;
    opposite.approach = CR_APPROACH_OPPOSITE;
    west.bearing_deg = 270;
    west.bearing_range_deg = 10;
    east.bearing_deg = 90;
    east.bearing_range_deg = 10;
    plain = route_opts(&n, 30.5, 0, NULL, 33, 0.05, NULL, NULL);
    if (fabs(plain - 2.5 * 109.6) > 3)
        fail_msg("s to e: %.1f m, want about 274 m", plain);
    /* e is north of an eastbound car: curb (right-hand traffic) means arriving westbound */
    d = route_opts(&n, 30.5, 0, NULL, 33, 0.05, &curb, NULL);
    if (fabs(d - 4.5 * 109.6) > 5)
        fail_msg("s to e, curb: %.1f m, want about 493 m (on to k and back)", d);
    d = route_opts(&n, 30.5, 0, NULL, 33, 0.05, &opposite, NULL);
    assert_true(fabs(d - plain) < 0.5);
    /* starting westbound, away from e */
    d = route_opts(&n, 30.5, 0, &west, 33, 0.05, NULL, NULL);
    if (fabs(d - 3.5 * 109.6) > 5)
        fail_msg("s (bearing 270) to e: %.1f m, want about 384 m", d);
    d = route_opts(&n, 30.5, 0, &east, 33, 0.05, NULL, NULL);
    assert_true(fabs(d - plain) < 0.5);
    /* a bearing no segment has: nothing to snap to */
    west.bearing_deg = 0;
    assert_int_equal(cr_engine_place_opts(&n.e, lon_of(30.5), lat_of(0), &west, &p, &err),
                     CR_ENOTFOUND);
    /* radius: 55 m from the street */
    near.radius_m = 10;
    far.radius_m = 100;
    assert_int_equal(cr_engine_place_opts(&n.e, lon_of(32), lat_of(0.5), &near, &p, &err),
                     CR_ENOTFOUND);
    assert_non_null(strstr(err.msg, "within 10 m"));
    assert_int_equal(cr_engine_place_opts(&n.e, lon_of(32), lat_of(0.5), &far, &p, &err), CR_OK);
    assert_true(fabs(p.snap.distance_m - 55.3) < 1);
    far.radius_m = INFINITY;
    n.e.max_snap_m = 10;
    assert_int_equal(cr_engine_place_opts(&n.e, lon_of(32), lat_of(0.5), &far, &p, &err), CR_OK);
    far.radius_m = -1;
    assert_int_equal(cr_engine_place_opts(&n.e, lon_of(32), lat_of(0.5), &far, &p, &err),
                     CR_EINVAL);
    net_close(&n);
}

/* The per-point lists of the CLI and the server. */
static void
parse_lists(void **state)
{
    struct cr_place_opts o[3] = { CR_PLACE_OPTS_DEFAULT, CR_PLACE_OPTS_DEFAULT,
                                  CR_PLACE_OPTS_DEFAULT };
    struct cr_error err = { 0 };

    (void)state;
    assert_int_equal(cr_place_opts_parse("radiuses", "50", 3, o, &err), CR_OK);
    assert_true(o[0].radius_m == 50 && o[2].radius_m == 50);
    assert_int_equal(cr_place_opts_parse("radiuses", ";unlimited;7.5", 3, o, &err), CR_OK);
    assert_true(o[0].radius_m == 50 && isinf(o[1].radius_m) && o[2].radius_m == 7.5);
    assert_int_equal(cr_place_opts_parse("bearings", "90,10;;360,180", 3, o, &err), CR_OK);
    assert_int_equal(o[0].bearing_deg, 90);
    assert_int_equal(o[1].bearing_deg, -1);
    assert_int_equal(o[2].bearing_deg, 0);
    assert_int_equal(cr_place_opts_parse("approaches", "curb;opposite;unrestricted", 3, o, &err),
                     CR_OK);
    assert_int_equal(o[0].approach, CR_APPROACH_CURB);
    assert_int_equal(o[1].approach, CR_APPROACH_OPPOSITE);
    assert_int_equal(cr_place_opts_parse("radiuses", "1;2", 3, o, &err), CR_EINVAL);
    assert_int_equal(cr_place_opts_parse("radiuses", "-1", 3, o, &err), CR_EINVAL);
    assert_int_equal(cr_place_opts_parse("bearings", "90", 3, o, &err), CR_EINVAL);
    assert_int_equal(cr_place_opts_parse("bearings", "90,181", 3, o, &err), CR_EINVAL);
    assert_int_equal(cr_place_opts_parse("approaches", "kerb", 3, o, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "kerb"));
}

/* Whether graph node U is where segment S starts or ends (by position: two OSM nodes may share
 * a coordinate). */
static int
touches(const struct cr_graph_view *v, uint32_t s, uint32_t u)
{
    for (int k = 0; k < 2; k++) {
        uint32_t x = v->segment_node[2 * s + k];
        if (v->lon_e7[x] == v->lon_e7[u] && v->lat_e7[x] == v->lat_e7[u])
            return 1;
    }
    return 0;
}

/* Every junction (a road node where three or more segments meet) on a road the profile may use
 * and in its largest component snaps at 0 m onto a segment of that junction, every candidate on
 * one level; those under a bridge or over a tunnel are counted, so the test shows it met some. */
static void
every_junction(const char *path, const char *profile, unsigned min_levelled)
{
    struct cr_error err = { 0 };
    struct net n;
    uint32_t *degree;
    unsigned junctions = 0, levelled = 0;

    net_open(&n, path, profile);
    degree = calloc(n.v->node_count + 1, sizeof *degree);
    assert_non_null(degree);
    for (uint32_t s = 0; s < n.v->segment_count; s++) {
        degree[n.v->segment_node[2 * s]]++;
        degree[n.v->segment_node[2 * s + 1]]++;
    }
    for (uint32_t u = 0; u < n.v->node_count; u++) {
        struct cr_place p;
        int usable = 0, in_lcc = 0;
        struct cr_snap near[8];
        size_t k;
        if (degree[u] < 3 || n.v->group[u] != CR_GROUP_ROAD)
            continue;
        for (uint32_t e = n.v->first_out[u]; e < n.v->first_out[u + 1]; e++) {
            uint32_t x = n.e.tg->node_of_edge[e];
            uint32_t seg = n.v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
            if (x == CR_INF || !cr_engine_segment_usable(&n.e, seg))
                continue;
            usable = 1;
            in_lcc |= n.e.tg->in_lcc[x];
        }
        if (!usable || !in_lcc)
            continue;
        junctions++;
        if (cr_engine_place(&n.e, n.v->lon_e7[u], n.v->lat_e7[u], &p, &err))
            fail_msg("%s: junction %lld: %s", path, (long long)n.v->osm_id[u], err.msg);
        if (p.snap.distance_m > 0.01 || !touches(n.v, p.snap.segment, u))
            fail_msg("%s: junction %lld (%.7f,%.7f) snapped %.2f m away onto \"%s\"", path,
                     (long long)n.v->osm_id[u], n.v->lon_e7[u] / 1e7, n.v->lat_e7[u] / 1e7,
                     p.snap.distance_m, way_name(&n, p.snap.segment));
        for (uint32_t i = 1; i < p.count; i++) {
            const struct cr_way_attr *a = &n.v->ways[n.v->segment_way[p.cand[0].snap.segment]];
            const struct cr_way_attr *b = &n.v->ways[n.v->segment_way[p.cand[i].snap.segment]];
            if (a->layer != b->layer || (a->flags & (CR_WAY_BRIDGE | CR_WAY_TUNNEL)) !=
                                            (b->flags & (CR_WAY_BRIDGE | CR_WAY_TUNNEL)))
                fail_msg("%s: junction %lld: candidates on two levels", path,
                         (long long)n.v->osm_id[u]);
        }
        /* another level within a metre: a bridge over it or a tunnel under it */
        k = cr_snap_k_nearest(n.snap, n.v->lon_e7[u], n.v->lat_e7[u], 1.0, cr_engine_segment_usable,
                              &n.e, near, 8);
        for (size_t i = 0; i < k; i++)
            if (!touches(n.v, near[i].segment, u)) {
                levelled++;
                break;
            }
    }
    print_message("%s (%s): %u junctions snap at 0 m onto their own streets, %u with another "
                  "way within 1 m\n",
                  path, profile, junctions, levelled);
    assert_true(junctions > 100);
    assert_true(levelled >= min_levelled);
    free(degree);
    net_close(&n);
}

static void
junctions_monaco(void **state)
{
    (void)state;
    every_junction(CR_SOURCE_DIR "/datasets/osrm-monaco.osm.pbf", "car", 1);
}

static void
junctions_hcmc(void **state)
{
    (void)state;
    every_junction(CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm", "motorcycle", 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(junction_under_bridge), cmocka_unit_test(short_trip),
        cmocka_unit_test(tiny_components),       cmocka_unit_test(approach_bearing_radius),
        cmocka_unit_test(parse_lists),           cmocka_unit_test(junctions_monaco),
        cmocka_unit_test(junctions_hcmc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
