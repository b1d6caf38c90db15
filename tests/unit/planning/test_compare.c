/* corridor compare's library (planning/compare.h):
 * - on hand-made skims: per-pair statuses (lost, gained), per-zone means, demand weighting and
 *   vehicle-hours and vehicle-km worked out by hand;
 * - on two small networks written here (synthetic, drawn below), the second without one way:
 *   a network compared with itself changes nothing, and without the way the pair across it
 *   changes by the detour, as the routes on each network say;
 * - the demand CSV reader: columns and aliases, pairs adding up, errors.
 *
 *   E(0,2) ------------------ F(4,2)        "Detour" A-E-F-C
 *   |                             |
 *   A(0,0) ---- B(2,0) ---- C(4,0)          "Direct" A-B-C (removed in the scenario)
 *
 * One unit is 0.001 degrees (lon 106 + x/1000, lat 10 + y/1000). Zones: a small square around A,
 * around B and around C. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../testfile.h"

#include "core/geo.h"
#include "core/graph.h"
#include "corridor/routing.h"
#include "planning/compare.h"
#include "planning/skim.h"
#include "routing/session.h"

#include "../routing/testnet.h"

#define DIR CR_BINARY_DIR "/test_compare_files"

#define write_file(name, text) cr_test_write_file(DIR, (name), (text))

/* ---- hand-made skims ---------------------------------------------------------------------- */

/* A skim of N placed zones with durations T[i * n + j] (NAN: unreachable) and distances 10 x T. */
static void
make_skim(struct cr_skim *s, size_t n, const double *t)
{
    s->count = s->placed = n;
    s->points = calloc(n, sizeof *s->points);
    s->cells = calloc(n * n, sizeof *s->cells);
    assert_true(s->points && s->cells);
    for (size_t i = 0; i < n; i++)
        s->points[i].placed = 1;
    for (size_t c = 0; c < n * n; c++)
        s->cells[c] = isnan(t[c]) ? (struct cr_cell){ UINT64_MAX, NAN, NAN, NAN, NAN }
                                  : (struct cr_cell){ (uint64_t)t[c], 10 * t[c], t[c], 0, 0 };
}

static void
pairs_zones_demand_by_hand(void **state)
{
    /* 3 zones; before and after in seconds */
    const double before[9] = { 0, 100, 200, 100, 0, NAN, 300, 60, 0 };
    const double after[9] = { 0, 70, 260, 100, 0, 50, NAN, 60, 0 };
    const double trips[9] = { 5, 10, 30, 0, 0, 4, 2, 0, 0 };
    struct cr_skim b, a;
    struct cr_demand d = { 3, (double *)trips, 6, 51 };
    struct cr_compare c;
    struct cr_error err = { 0 };

    (void)state;
    make_skim(&b, 3, before);
    make_skim(&a, 3, after);
    assert_int_equal(cr_compare_skims(&b, &a, NULL, &c, &err), CR_OK);
    assert_int_equal(c.pairs, 6);
    assert_int_equal(c.pairs_ok, 4);     /* 0-1, 0-2, 1-0, 2-1 */
    assert_int_equal(c.pairs_lost, 1);   /* 2-0 */
    assert_int_equal(c.pairs_gained, 1); /* 1-2 */
    assert_int_equal(c.pairs_faster, 1);
    assert_int_equal(c.pairs_slower, 1);
    assert_true(c.zones[0].mean_change_s == (-30.0 + 60.0) / 2);
    assert_true(c.zones[1].mean_change_s == 0 && c.zones[1].pairs_gained == 1);
    assert_true(c.zones[2].mean_change_s == 0 && c.zones[2].pairs_lost == 1);
    assert_true(c.mean_change_s == 30.0 / 4 && c.min_change_s == -30 && c.max_change_s == 60);
    assert_false(c.with_demand);
    cr_compare_fini(&c);

    assert_int_equal(cr_compare_skims(&b, &a, &d, &c, &err), CR_OK);
    assert_true(c.with_demand);
    /* zone 0: (10 x -30 + 30 x 60) / 40; zone 1: no trips on its ok pair 1-0: no mean */
    assert_true(fabs(c.zones[0].mean_change_s - 1500.0 / 40) < 1e-9);
    assert_true(c.zones[0].weight == 40);
    assert_true(isnan(c.zones[1].mean_change_s));
    assert_true(isnan(c.zones[2].mean_change_s)); /* 2-1 carries no trips */
    assert_true(fabs(c.mean_change_s - 1500.0 / 40) < 1e-9);
    /* pairs ok on both with trips: 0-0 (5, 0 s), 0-1 (10), 0-2 (30); lost 2-0 (2), gained 1-2 (4)
     */
    assert_true(c.trips == 51 && c.trips_ok == 45 && c.trips_lost == 2 && c.trips_gained == 4);
    assert_true(fabs(c.vht_before_h - (10 * 100 + 30 * 200) / 3600.0) < 1e-9);
    assert_true(fabs(c.vht_after_h - (10 * 70 + 30 * 260) / 3600.0) < 1e-9);
    assert_true(fabs(c.vkt_before_km - (10 * 1000 + 30 * 2000) / 1000.0) < 1e-9);
    assert_true(fabs(c.vkt_after_km - (10 * 700 + 30 * 2600) / 1000.0) < 1e-9);
    cr_compare_fini(&c);

    b.count = 2; /* not the same zones */
    assert_int_equal(cr_compare_skims(&b, &a, NULL, &c, &err), CR_EINVAL);
    b.count = 3;
    cr_skim_fini(&b);
    cr_skim_fini(&a);
}

/* ---- the demand reader -------------------------------------------------------------------- */

static void
demand_file(void **state)
{
    const char *ids[] = { "A", "B", "C, the third" };
    struct cr_demand d;
    struct cr_error err = { 0 };

    (void)state;
    assert_int_equal(cr_demand_load(write_file("od.csv", "note,TO,From,Trips\n"
                                                         "x,B,A,10\n"
                                                         "y,\"C, the third\",A,2.5\n"
                                                         "\n"
                                                         "z,B,A,5\r\n"),
                                    ids, 3, &d, &err),
                     CR_OK);
    assert_int_equal(d.rows, 3);
    assert_true(d.total == 17.5 && d.trips[0 * 3 + 1] == 15 && d.trips[0 * 3 + 2] == 2.5);
    cr_demand_fini(&d);

    assert_int_equal(
        cr_demand_load(write_file("bad1.csv", "origin,destination\nA,B\n"), ids, 3, &d, &err),
        CR_EINVAL);
    assert_non_null(strstr(err.msg, "no trips column"));
    assert_int_equal(cr_demand_load(write_file("bad2.csv", "origin,destination,trips\nA,Q,1\n"),
                                    ids, 3, &d, &err),
                     CR_EINVAL);
    assert_non_null(strstr(err.msg, "line 2: no zone \"Q\""));
    assert_int_equal(
        cr_demand_load(write_file("bad3.csv", "o,d,trips\nA,B,-1\n"), ids, 3, &d, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "not a number >= 0"));
    assert_int_equal(cr_demand_load(write_file("bad4.csv", "o,d,trips\n"), ids, 3, &d, &err),
                     CR_EEMPTY);
    const char *twice[] = { "A", "A" };
    assert_int_equal(cr_demand_load(write_file("ok.csv", "o,d,trips\nA,A,1\n"), twice, 2, &d, &err),
                     CR_EINVAL);
    assert_non_null(strstr(err.msg, "two zones have the id \"A\""));
}

/* ---- two networks ------------------------------------------------------------------------- */

#define NODES                                                                                      \
    "  <node id=\"1\" version=\"1\" lat=\"10.0000000\" lon=\"106.0000000\"/>\n"                    \
    "  <node id=\"2\" version=\"1\" lat=\"10.0000000\" lon=\"106.0020000\"/>\n"                    \
    "  <node id=\"3\" version=\"1\" lat=\"10.0000000\" lon=\"106.0040000\"/>\n"                    \
    "  <node id=\"4\" version=\"1\" lat=\"10.0020000\" lon=\"106.0000000\"/>\n"                    \
    "  <node id=\"5\" version=\"1\" lat=\"10.0020000\" lon=\"106.0040000\"/>\n"
#define DETOUR                                                                                     \
    "  <way id=\"20\" version=\"1\"><nd ref=\"1\"/><nd ref=\"4\"/><nd ref=\"5\"/><nd ref=\"3\"/>"  \
    "<tag k=\"highway\" v=\"residential\"/><tag k=\"name\" v=\"Detour\"/></way>\n"
#define DIRECT                                                                                     \
    "  <way id=\"10\" version=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><nd ref=\"3\"/>"                 \
    "<tag k=\"highway\" v=\"residential\"/><tag k=\"name\" v=\"Direct\"/></way>\n"
#define OSM_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\">\n"

/* The zones: squares 0.0004 degrees wide around A, B and C, as GeoJSON under DIR. */
static const char *
zones_file(void)
{
    char text[2048];
    size_t n = 0;

    n += (size_t)snprintf(text, sizeof text, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < 3; i++) {
        double x0 = 106 + 0.002 * i - 0.0002, x1 = x0 + 0.0004, y0 = 9.9998, y1 = 10.0002;
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "%s{\"type\":\"Feature\",\"properties\":{\"name\":\"%c\"},"
                              "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.4f,%.4f],"
                              "[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f]]]}}",
                              i ? "," : "", "ABC"[i], x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
    }
    snprintf(text + n, sizeof text - n, "]}");
    return write_file("zones.geojson", text);
}

/* A network file of OSM text SRC under DIR/NAME, opened. */
static struct cr_graph *
network(const char *src, const char *name)
{
    char corr[600];
    struct cr_error err = { 0 };
    struct net n;
    struct cr_graph *g;

    net_open(&n, write_file(name, src));
    snprintf(corr, sizeof corr, "%s/%s.corr", DIR, name);
    if (cr_graph_write(n.v, corr, &err))
        fail_msg("%s", err.msg);
    net_close(&n);
    if (!(g = cr_graph_open(corr, &err)))
        fail_msg("%s", err.msg);
    return g;
}

struct side {
    struct cr_graph *g;
    struct cr_session *s;
    struct cr_router *r;
    struct cr_skim skim;
};

static void
side_open(struct side *x, struct cr_graph *g, const struct cr_zones *z)
{
    struct cr_error err = { 0 };

    x->g = g;
    if (!(x->s = cr_session_open(g, NULL, &err)) || !(x->r = cr_session_router_create(x->s, &err)))
        fail_msg("%s", err.msg);
    if (cr_skim_run(z, x->r, &x->skim, &err))
        fail_msg("%s", err.msg);
}

static void
side_close(struct side *x)
{
    cr_skim_fini(&x->skim);
    cr_router_destroy(x->r);
    cr_session_close(x->s);
    cr_graph_close(x->g);
}

/* The route's duration from zone I's point to zone J's on X. */
static double
route_s(struct side *x, size_t i, size_t j)
{
    int32_t lon[2] = { x->skim.points[i].lon_e7, x->skim.points[j].lon_e7 };
    int32_t lat[2] = { x->skim.points[i].lat_e7, x->skim.points[j].lat_e7 };
    struct cr_route *route = NULL;
    struct cr_error err = { 0 };
    double t;

    if (cr_route_compute(x->r, lon, lat, 2, NULL, &route, &err))
        fail_msg("%s", err.msg);
    t = cr_route_duration_s(route);
    cr_route_destroy(route);
    return t;
}

static void
one_way_removed(void **state)
{
    struct cr_zones_options zo = { .path = zones_file(), .name_field = "name" };
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };
    struct side base, same, scen;
    struct cr_compare c;
    char id[16];

    (void)state;
    if (cr_zones_load(&zo, &z, &err))
        fail_msg("%s", err.msg);
    cr_compare_zone_id(z, 2, id, sizeof id);
    assert_string_equal(id, "C");
    side_open(&base, network(OSM_HEAD NODES DIRECT DETOUR "</osm>\n", "base.osm"), z);
    side_open(&same, network(OSM_HEAD NODES DIRECT DETOUR "</osm>\n", "same.osm"), z);
    side_open(&scen, network(OSM_HEAD NODES DETOUR "</osm>\n", "scenario.osm"), z);

    /* with itself: every pair ok, no change */
    assert_int_equal(cr_compare_skims(&base.skim, &same.skim, NULL, &c, &err), CR_OK);
    assert_int_equal(c.pairs, 6);
    assert_int_equal(c.pairs_ok, 6);
    assert_int_equal(c.pairs_faster + c.pairs_slower + c.zones_moved, 0);
    assert_true(c.mean_change_s == 0 && c.min_change_s == 0 && c.max_change_s == 0);
    for (size_t i = 0; i < 3; i++)
        assert_true(c.zones[i].mean_change_s == 0 && c.zones[i].snap_moved_m == 0);
    cr_compare_fini(&c);

    /* without Direct: A to C goes round, B's zone snaps to the detour */
    assert_int_equal(cr_compare_skims(&base.skim, &scen.skim, NULL, &c, &err), CR_OK);
    const struct cr_cell *b = &base.skim.cells[0 * 3 + 2], *a = &scen.skim.cells[0 * 3 + 2];
    double direct = cr_geo_distance_m(1060000000, 100000000, 1060040000, 100000000);
    double round = 2 * cr_geo_distance_m(1060000000, 100000000, 1060000000, 100020000) +
                   cr_geo_distance_m(1060000000, 100020000, 1060040000, 100020000);
    assert_true(fabs(b->distance_m - direct) < 1.0);
    assert_true(fabs(a->distance_m - round) < 1.0);
    assert_true(fabs(b->duration_s - route_s(&base, 0, 2)) < 0.05);
    assert_true(fabs(a->duration_s - route_s(&scen, 0, 2)) < 0.05);
    assert_true(a->duration_s > b->duration_s * 1.5);
    /* A-C and C-A slower; only pairs with B (snapped elsewhere: its point is as near to three
     * detour segments) may be faster */
    assert_true(scen.skim.cells[2 * 3 + 0].duration_s > base.skim.cells[2 * 3 + 0].duration_s);
    assert_true(c.pairs_slower >= 2 && c.pairs_faster <= 4);
    assert_int_equal(c.zones_moved, 1);
    assert_true(c.zones[1].snap_moved_m > 200);
    assert_true(c.zones[0].snap_moved_m < CR_COMPARE_MOVED_M);
    assert_true(c.zones[0].mean_change_s > 0);
    cr_compare_fini(&c);

    side_close(&base);
    side_close(&same);
    side_close(&scen);
    cr_zones_destroy(z);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pairs_zones_demand_by_hand),
        cmocka_unit_test(demand_file),
        cmocka_unit_test(one_way_removed),
    };
    (void)next_rand; /* testnet.h's, not needed here */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
