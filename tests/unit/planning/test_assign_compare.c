/* planning/assign_compare on tests/maps/assign.osm (synthetic, drawn in assign.txt; the zones and
 * network as tests/unit/planning/test_assign_osm.c makes them), demand hand-made:
 * - a network compared with itself changes nothing: every row "same", d_flow_pce 0, equal totals;
 * - the join through res_base_edge, on a copy of the problem whose base edge map is rewritten as a
 *   scenario's would be: a new edge (before 0), a base edge split into two pieces (summed length
 *   and time, length-weighted volume), a closed edge (after 0);
 * - a bypass (a trunk from a to c, drawn for the test: cr_scenario_build) attracts flow: its new
 *   edges carry the trips, the roads it relieves lose volume, VHT falls;
 * - CSV and GeoPackage written with their columns; classes that differ are refused.
 * The Krems bypass end to end is tests/cli/test_compare_assign.sh. */
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

#include "core/graph.h"
#include "importers/scenario/scenario.h"
#include "planning/assign_compare.h"
#include "planning/assign_osm.h"
#include "routing/profile.h"

#include "../routing/testnet.h"

#define DIR CR_BINARY_DIR "/test_assign_compare_files"
#define MAP CR_SOURCE_DIR "/tests/maps/assign.osm"
#define PROFILES CR_SOURCE_DIR "/profiles"

static struct cr_zones *
zones(void)
{
    static const double at[2][2] = { { 1, 0.1 }, { 3, 4.1 } };
    struct cr_zones_options zo = { .path = DIR "/zones.geojson", .name_field = "name" };
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };
    FILE *f;

    mkdir(DIR, 0777);
    assert_non_null(f = fopen(zo.path, "w"));
    fprintf(f, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < 2; i++) {
        double x0 = 106 + at[i][0] / 1000 - 0.0001, x1 = x0 + 0.0002;
        double y0 = 10 + at[i][1] / 1000 - 0.0001, y1 = y0 + 0.0002;
        fprintf(f,
                "%s{\"type\":\"Feature\",\"properties\":{\"name\":\"%c\"},\"geometry\":{\"type\":"
                "\"Polygon\",\"coordinates\":[[[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f],"
                "[%.5f,%.5f]]]}}",
                i ? "," : "", "SN"[i], x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
    }
    fprintf(f, "]}");
    assert_int_equal(fclose(f), 0);
    if (cr_zones_load(&zo, &z, &err))
        fail_msg("%s", err.msg);
    return z;
}

static struct cr_graph *
network(void)
{
    struct cr_error err = { 0 };
    struct net n;
    struct cr_graph *g;

    mkdir(DIR, 0777);
    net_open(&n, MAP);
    if (cr_graph_write(n.v, DIR "/assign.corr", &err))
        fail_msg("%s", err.msg);
    net_close(&n);
    if (!(g = cr_graph_open(DIR "/assign.corr", &err)))
        fail_msg("%s", err.msg);
    return g;
}

struct fixture {
    struct cr_graph *g;
    struct cr_zones *z;
    struct cr_profile prof;
    struct cr_assign_osm a;
    struct cr_assign_result r;
};

/* The scenario of the test's base network with a trunk from a(0,0) to c(4,4) (synthetic). */
static struct cr_graph *
bypass_network(void)
{
    static const char add[] =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
        "{\"name\":\"Test bypass\",\"highway\":\"trunk\",\"maxspeed\":100,\"lanes\":4},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[106.0,10.0],[106.004,10.004]]}}"
        "]}";
    struct cr_scenario_options o = { .base = DIR "/assign.corr",
                                     .output = DIR "/bypass.corr",
                                     .add = DIR "/bypass.geojson",
                                     .name = "test bypass" };
    struct cr_scenario_stats stats;
    struct cr_error err = { 0 };
    struct cr_graph *g;
    FILE *f;

    assert_non_null(f = fopen(o.add, "w"));
    fputs(add, f);
    assert_int_equal(fclose(f), 0);
    if (cr_scenario_build(&o, &stats, &err))
        fail_msg("%s", err.msg);
    if (!(g = cr_graph_open(o.output, &err)))
        fail_msg("%s", err.msg);
    return g;
}

static void
solve(struct fixture *f)
{
    struct cr_assign_options o = CR_ASSIGN_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    uint32_t z = 2;

    if (cr_assign_class_parse("car", PROFILES, &f->prof, &err) ||
        cr_assign_osm_build(f->g, f->z, &f->prof, 1, NULL, &f->a, &err))
        fail_msg("%s", err.msg);
    f->a.problem.classes[0].demand[0 * z + 1] = 900;
    f->a.problem.classes[0].demand[1 * z + 0] = 400;
    o.gap = 1e-6;
    if (cr_assign_run(&f->a.problem, &o, &f->r, &err))
        fail_msg("%s", err.msg);
}

static void
fixture_open(struct fixture *f)
{
    f->g = network();
    f->z = zones();
    solve(f);
}

static void
fixture_close(struct fixture *f)
{
    cr_assign_result_fini(&f->r, f->a.problem.class_count);
    cr_assign_osm_fini(&f->a);
    cr_zones_destroy(f->z);
    cr_graph_close(f->g);
}

static void
with_itself(void **state)
{
    struct fixture f;
    struct cr_assign_compare c;
    struct cr_error err = { 0 };
    double busiest = 0;
    (void)state;

    fixture_open(&f);
    assert_int_equal(cr_assign_compare(&f.a, &f.r, &f.a, &f.r, &c, &err), CR_OK);
    assert_int_equal(c.count, f.a.problem.res.count);
    assert_int_equal(c.same, c.count);
    assert_int_equal(c.added + c.closed + c.split, 0);
    for (size_t i = 0; i < c.count; i++) {
        assert_int_equal(c.rows[i].status, CR_CHANGE_SAME);
        assert_true(c.rows[i].d_flow_pce == 0);
        busiest = fmax(busiest, c.rows[i].after.volume_pce);
    }
    assert_true(busiest > 0);
    assert_true(c.before.vkt_total > 0 && c.before.vkt_total == c.after.vkt_total);
    assert_true(c.before.vht_total > 0 && c.before.vht_total == c.after.vht_total);
    /* VHT is the total travel time of the flows (TSTT) */
    assert_true(fabs(c.before.vht_total * 3600 - f.r.tstt) < 1e-6 * f.r.tstt);
    remove(DIR "/same.csv");
    assert_int_equal(cr_assign_compare_write(&f.a, &f.a, &c, DIR "/same.csv", &err), CR_OK);
    assert_int_equal(cr_assign_compare_write(&f.a, &f.a, &c, DIR "/same.txt", &err), CR_EINVAL);
    cr_assign_compare_fini(&c);
    fixture_close(&f);
}

/* The busiest resource, and two others (all carrying flow where possible). */
static void
pick(const struct fixture *f, uint32_t out[3])
{
    uint32_t n = f->a.problem.res.count, best = 0;

    for (uint32_t r = 1; r < n; r++)
        if (f->r.volume[r] > f->r.volume[best])
            best = r;
    out[0] = best;
    out[1] = (best + 1) % n;
    out[2] = (best + 2) % n;
}

static void
join_by_base_edge(void **state)
{
    struct fixture f;
    struct cr_assign_osm after;
    struct cr_assign_compare c;
    struct cr_error err = { 0 };
    uint32_t n, *base, r3[3];
    const struct cr_assign_compare_row *split = NULL, *added = NULL, *closed = NULL;
    (void)state;

    fixture_open(&f);
    n = f.a.problem.res.count;
    pick(&f, r3);
    /* after: r3[0] a new road, r3[2] a second piece of r3[1]'s base edge (so r3[2]'s own base edge
     * is closed) */
    after = f.a;
    assert_non_null(base = malloc(n * sizeof *base));
    memcpy(base, f.a.res_base_edge, n * sizeof *base);
    base[r3[0]] = CR_ASSIGN_OSM_NO_BASE;
    base[r3[2]] = base[r3[1]];
    after.res_base_edge = base;
    assert_int_equal(cr_assign_compare(&f.a, &f.r, &after, &f.r, &c, &err), CR_OK);
    assert_int_equal(c.count, n + 1); /* r3[0] before (closed) and after (new) */
    assert_int_equal(c.added, 1);
    assert_int_equal(c.closed, 2);
    assert_int_equal(c.split, 1);
    for (size_t i = 0; i < c.count; i++) {
        const struct cr_assign_compare_row *w = &c.rows[i];
        if (w->status == CR_CHANGE_NEW)
            added = w;
        else if (w->status == CR_CHANGE_SAME && w->after.pieces == 2)
            split = w;
        else if (w->status == CR_CHANGE_CLOSED && w->base_edge == f.a.res_base_edge[r3[0]])
            closed = w;
    }
    assert_non_null(added);
    assert_non_null(split);
    assert_non_null(closed);
    /* new: before 0, after its own volume */
    assert_true(added->before.volume_pce == 0);
    assert_true(fabs(added->after.volume_pce - f.r.volume[r3[0]]) < 1e-9);
    assert_true(fabs(added->d_flow_pce - f.r.volume[r3[0]]) < 1e-9);
    /* closed: after 0, the change minus its volume */
    assert_true(closed->after.volume_pce == 0 && closed->after.pieces == 0);
    assert_true(fabs(closed->d_flow_pce + f.r.volume[r3[0]]) < 1e-9);
    /* split: lengths and times summed, volume the length-weighted mean */
    {
        double l1 = f.a.res_length_m[r3[1]], l2 = f.a.res_length_m[r3[2]];
        double v = (l1 * f.r.volume[r3[1]] + l2 * f.r.volume[r3[2]]) / (l1 + l2);
        double t1 =
            f.a.res_fft_s[0][r3[1]] * cr_vdf_factor(&f.a.problem.res, r3[1], f.r.volume[r3[1]]);
        double t2 =
            f.a.res_fft_s[0][r3[2]] * cr_vdf_factor(&f.a.problem.res, r3[2], f.r.volume[r3[2]]);
        assert_true(fabs(split->after.length_m - (l1 + l2)) < 1e-9);
        assert_true(fabs(split->after.volume_pce - v) < 1e-6 * (1 + v));
        if (!isnan(t1) && !isnan(t2))
            assert_true(fabs(split->after.time_s[0] - (t1 + t2)) < 1e-9 * (1 + t1 + t2));
        assert_true(fabs(split->before.volume_pce - f.r.volume[r3[1]]) < 1e-6);
    }
    remove(DIR "/change.gpkg");
    assert_int_equal(cr_assign_compare_write(&f.a, &after, &c, DIR "/change.gpkg", &err), CR_OK);
    cr_assign_compare_fini(&c);
    free(base);
    fixture_close(&f);
}

static void
bypass_attracts_flow(void **state)
{
    struct fixture b, a;
    struct cr_assign_compare c;
    struct cr_error err = { 0 };
    double on_new = 0, lost = 0;
    (void)state;

    fixture_open(&b);
    a.g = bypass_network();
    a.z = b.z;
    solve(&a);
    assert_true(a.a.scenario);
    assert_int_equal(cr_assign_compare(&b.a, &b.r, &a.a, &a.r, &c, &err), CR_OK);
    assert_true(c.added >= 2); /* both directions of the trunk */
    assert_int_equal(c.closed, 0);
    for (size_t i = 0; i < c.count; i++) {
        const struct cr_assign_compare_row *w = &c.rows[i];
        if (w->status == CR_CHANGE_NEW) {
            assert_true(w->before.volume_pce == 0 && w->d_flow_pce == w->after.volume_pce);
            on_new = fmax(on_new, w->after.volume_pce);
        } else if (w->d_flow_pce < lost) {
            lost = w->d_flow_pce;
        }
    }
    assert_true(on_new > 100); /* the bypass carries trips */
    assert_true(lost < -100);  /* taken from other roads */
    assert_true(c.after.vht_total < c.before.vht_total);
    remove(DIR "/bypass.gpkg");
    assert_int_equal(cr_assign_compare_write(&b.a, &a.a, &c, DIR "/bypass.gpkg", &err), CR_OK);
    cr_assign_compare_fini(&c);
    cr_assign_result_fini(&a.r, 1);
    cr_assign_osm_fini(&a.a);
    cr_graph_close(a.g);
    fixture_close(&b);
}

static void
classes_differ(void **state)
{
    struct fixture f;
    struct cr_assign_osm other;
    struct cr_assign_compare c;
    struct cr_error err = { 0 };
    struct cr_assign_class k;
    (void)state;

    fixture_open(&f);
    other = f.a;
    k = f.a.problem.classes[0];
    snprintf(k.name, sizeof k.name, "truck");
    other.problem.classes = &k;
    assert_int_equal(cr_assign_compare(&f.a, &f.r, &other, &f.r, &c, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "truck"));
    fixture_close(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(with_itself),
        cmocka_unit_test(join_by_base_edge),
        cmocka_unit_test(bypass_attracts_flow),
        cmocka_unit_test(classes_differ),
    };
    (void)next_rand; /* testnet.h's, not needed here */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
