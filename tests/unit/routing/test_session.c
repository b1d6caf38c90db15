/* The routing session (corridor/routing.h) on network files written from the bundled maps:
 * opening, notes on the contraction hierarchy, CH = Dijkstra through the session, table
 * statuses per cell, and contracting as a library call (progress, cancel). */
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
#include "corridor/routing.h"
#include "importers/osm/osm_import.h"
#include "routing/session.h"

#include "testnet.h"

#define RULES CR_SOURCE_DIR "/tests/maps/route_rules.osm"
#define HCMC CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm.pbf"
#define DIR CR_BINARY_DIR "/test_session_files"
#define U 10000 /* 0.001 degrees in e7 */

/* OSM file SRC written as network file NAME under DIR; returns its path. */
static const char *
network_file(const char *src, const char *name)
{
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    struct cr_error err = { 0 };
    struct net n;

    net_open(&n, src);
    if (system("mkdir -p " DIR) != 0)
        fail_msg("cannot make %s", DIR);
    snprintf(p, sizeof path[0], "%s/%s", DIR, name);
    if (cr_graph_write(n.v, p, &err))
        fail_msg("%s", err.msg);
    net_close(&n);
    return p;
}

/* The whole of file PATH (caller frees: free()), its size in *LEN. */
static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return data;
}

static void
contract_car_time(const char *path)
{
    static const char *const car[] = { "car" };
    static const enum cr_metric time[] = { CR_METRIC_TIME };
    struct cr_contract_options o = CR_CONTRACT_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };

    o.profiles = car;
    o.profile_count = 1;
    o.metrics = time;
    o.metric_count = 1;
    if (cr_contract(path, &o, &err))
        fail_msg("%s", err.msg);
}

static struct cr_session *
open_session(const struct cr_graph *g, const char *profile, const char *vehicle, enum cr_ch_use ch)
{
    struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    struct cr_session *s;

    o.profile = profile;
    o.vehicle = vehicle;
    o.ch = ch;
    if (!(s = cr_session_open(g, &o, &err)))
        fail_msg("%s", err.msg);
    return s;
}

static void
session_open_close(void **state)
{
    const char *path = network_file(RULES, "rules.corr");
    struct cr_error err = { 0 };
    struct cr_graph *g = cr_graph_open(path, &err);
    struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_session *s, *t;

    (void)state;
    assert_non_null(g);
    s = open_session(g, NULL, NULL, CR_CH_AUTO);
    assert_string_equal(cr_session_profile(s), "car");
    assert_int_equal(cr_session_metric(s), CR_METRIC_TIME);
    assert_string_equal(cr_session_currency(s), "VND");
    assert_true(cr_session_max_snap_m(s) == CR_DEFAULT_SNAP_M);
    assert_int_equal(cr_session_uses_ch(s), 0);
    assert_int_equal(cr_session_ch_state(s), CR_CH_ABSENT);
    assert_int_equal(cr_session_note_count(s), 0);
    /* a second session borrows the first's snapping index */
    o.profile = "truck";
    o.metric = CR_METRIC_DISTANCE;
    o.max_snap_m = 250;
    o.snap_from = s;
    assert_non_null(t = cr_session_open(g, &o, &err));
    assert_true(cr_session_engine(t)->snap == cr_session_engine(s)->snap);
    assert_true(cr_session_max_snap_m(t) == 250);
    cr_session_close(t);
    /* errors name what was given */
    o = CR_SESSION_OPTIONS_DEFAULT;
    o.profile = "no-such-profile";
    assert_null(cr_session_open(g, &o, &err));
    assert_non_null(strstr(err.msg, "no-such-profile"));
    o = CR_SESSION_OPTIONS_DEFAULT;
    o.profile = "truck";
    o.vehicle = "height=abc";
    assert_null(cr_session_open(g, &o, &err));
    assert_non_null(strstr(err.msg, "height"));
    o = CR_SESSION_OPTIONS_DEFAULT;
    o.max_snap_m = -1;
    assert_null(cr_session_open(g, &o, &err));
    assert_int_equal(err.code, CR_EINVAL);
    cr_session_close(s);
    cr_session_close(NULL);
    cr_graph_close(g);
}

/* A copy of the car profile with residential streets at 26 km/h instead of 25. */
static const char *
changed_car_profile(void)
{
    static char path[512];
    size_t len;
    char *text = slurp(CR_SOURCE_DIR "/profiles/car.json", &len), *at;
    FILE *f;

    at = strstr(text, "\"residential\": 25");
    assert_non_null(at);
    at[strlen("\"residential\": 2")] = '6';
    snprintf(path, sizeof path, "%s/car-changed.json", DIR);
    assert_non_null(f = fopen(path, "wb"));
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    free(text);
    return path;
}

static void
session_notes_on_the_hierarchy(void **state)
{
    const char *path = network_file(HCMC, "hcmc-notes.corr");
    struct cr_error err = { 0 };
    struct cr_graph *g;
    struct cr_session *s;

    (void)state;
    contract_car_time(path);
    assert_non_null(g = cr_graph_open(path, &err));
    s = open_session(g, "car", NULL, CR_CH_AUTO);
    assert_int_equal(cr_session_ch_state(s), CR_CH_USED);
    assert_int_equal(cr_session_uses_ch(s), 1);
    assert_int_equal(cr_session_note_count(s), 0);
    cr_session_close(s);
    /* asked not to */
    s = open_session(g, "car", NULL, CR_CH_NEVER);
    assert_int_equal(cr_session_ch_state(s), CR_CH_OFF);
    assert_int_equal(cr_session_note_count(s), 0);
    cr_session_close(s);
    /* another vehicle: Dijkstra, with a note */
    s = open_session(g, "car", "height=1.5", CR_CH_AUTO);
    assert_int_equal(cr_session_ch_state(s), CR_CH_VEHICLE);
    assert_int_equal(cr_session_uses_ch(s), 0);
    assert_int_equal(cr_session_note_count(s), 1);
    assert_non_null(strstr(cr_session_note(s, 0), "vehicle differs"));
    assert_null(cr_session_note(s, 1));
    cr_session_close(s);
    /* the profile edited since `corridor contract`: stale, with a note naming the network */
    s = open_session(g, changed_car_profile(), NULL, CR_CH_AUTO);
    assert_int_equal(cr_session_ch_state(s), CR_CH_STALE);
    assert_int_equal(cr_session_uses_ch(s), 0);
    assert_int_equal(cr_session_note_count(s), 1);
    assert_non_null(strstr(cr_session_note(s, 0), "car/time"));
    assert_non_null(strstr(cr_session_note(s, 0), path));
    assert_non_null(strstr(cr_session_note(s, 0), "run corridor contract again"));
    cr_session_close(s);
    /* no hierarchy for motorcycle: no note */
    s = open_session(g, "motorcycle", NULL, CR_CH_AUTO);
    assert_int_equal(cr_session_ch_state(s), CR_CH_ABSENT);
    assert_int_equal(cr_session_note_count(s), 0);
    cr_session_close(s);
    cr_graph_close(g);
}

static void
session_ch_equals_dijkstra(void **state)
{
    const char *path = network_file(HCMC, "hcmc-ch.corr");
    struct cr_error err = { 0 };
    struct cr_graph *g;
    struct cr_session *ch, *dij;
    struct cr_router *rc, *rd;
    const struct cr_graph_view *v;
    int32_t lon0 = INT32_MAX, lon1 = INT32_MIN, lat0 = INT32_MAX, lat1 = INT32_MIN;
    int compared = 0;

    (void)state;
    contract_car_time(path);
    assert_non_null(g = cr_graph_open(path, &err));
    v = cr_graph_view(g);
    for (uint32_t i = 0; i < v->node_count; i++) {
        lon0 = v->lon_e7[i] < lon0 ? v->lon_e7[i] : lon0;
        lon1 = v->lon_e7[i] > lon1 ? v->lon_e7[i] : lon1;
        lat0 = v->lat_e7[i] < lat0 ? v->lat_e7[i] : lat0;
        lat1 = v->lat_e7[i] > lat1 ? v->lat_e7[i] : lat1;
    }
    ch = open_session(g, "car", NULL, CR_CH_AUTO);
    dij = open_session(g, "car", NULL, CR_CH_NEVER);
    assert_true(cr_session_uses_ch(ch) && !cr_session_uses_ch(dij));
    assert_non_null(rc = cr_session_router_create(ch, &err));
    assert_non_null(rd = cr_session_router_create(dij, &err));
    for (int k = 0; k < 60; k++) {
        int32_t lon[2], lat[2];
        struct cr_route *a = NULL, *b = NULL;
        enum cr_status sa, sb;
        for (int e = 0; e < 2; e++) {
            lon[e] = lon0 + (int32_t)(next_rand() % (uint32_t)(lon1 - lon0 + 1));
            lat[e] = lat0 + (int32_t)(next_rand() % (uint32_t)(lat1 - lat0 + 1));
        }
        sa = cr_route_compute(rc, lon, lat, 2, NULL, &a, &err);
        sb = cr_route_compute(rd, lon, lat, 2, NULL, &b, &err);
        assert_int_equal(sa, sb);
        if (sa == CR_OK) {
            if (cr_route_weight(a) != cr_route_weight(b))
                fail_msg("pair %d: CH %.1f, Dijkstra %.1f", k, cr_route_weight(a),
                         cr_route_weight(b));
            assert_true(cr_route_used_ch(a) && !cr_route_used_ch(b));
            assert_true(cr_route_point_count(a) >= 2 && cr_route_leg_count(a) == 1);
            compared++;
        }
        cr_route_destroy(a);
        cr_route_destroy(b);
    }
    assert_true(compared >= 30);
    cr_router_destroy(rc);
    cr_router_destroy(rd);
    cr_session_close(ch);
    cr_session_close(dij);
    cr_graph_close(g);
}

/* route_rules.osm map 1 (lon 106 + x/1000, lat 10 + y/1000): from a point on c -> j, c is
 * reached by nothing, so no point reaches it; (20, 20) lies about 2 km from any way. */
static void
session_table_statuses(void **state)
{
    const char *path = network_file(RULES, "rules-table.corr");
    /* 0: on c -> j, 1: near d, 2: far away, 3: as 0 but in no row nor column */
    const int32_t lon[] = { 1060000000 + 1 * U, 1060000000, 1060000000 + 20 * U,
                            1060000000 + 1 * U };
    const int32_t lat[] = { 100000000 + 2 * U / 10, 100000000 + 12 * U / 10, 100000000 + 20 * U,
                            100000000 + 2 * U / 10 };
    const size_t sources[] = { 0, 2, 1 }, targets[] = { 1, 2, 0 };
    struct cr_table_options to = CR_TABLE_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    struct cr_graph *g;
    struct cr_session *s;
    struct cr_router *r;
    struct cr_table *t;
    struct cr_waypoint w;
    struct cr_measures m;

    (void)state;
    assert_non_null(g = cr_graph_open(path, &err));
    s = open_session(g, "car", NULL, CR_CH_AUTO);
    assert_non_null(r = cr_session_router_create(s, &err));
    for (int fill = CR_TABLE_WEIGHT; fill <= CR_TABLE_MEASURES; fill++) {
        to.fill = (enum cr_table_fill)fill;
        if (cr_table_compute(r, lon, lat, 4, sources, 3, targets, 3, &to, &t, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(cr_table_source_count(t), 3);
        assert_int_equal(cr_table_target_count(t), 3);
        /* c -> d: ok; the far point: not snapped in its row and its column */
        assert_int_equal(cr_table_status(t, 0, 0), CR_CELL_OK);
        assert_true(cr_table_weight(t, 0, 0) != UINT64_MAX);
        assert_int_equal(cr_table_status(t, 0, 1), CR_CELL_TARGET_NOT_SNAPPED);
        assert_int_equal(cr_table_status(t, 1, 0), CR_CELL_SOURCE_NOT_SNAPPED);
        assert_int_equal(cr_table_status(t, 1, 1), CR_CELL_SOURCE_NOT_SNAPPED);
        assert_int_equal(cr_table_status(t, 1, 2), CR_CELL_SOURCE_NOT_SNAPPED);
        assert_int_equal(cr_table_status(t, 2, 1), CR_CELL_TARGET_NOT_SNAPPED);
        /* d -> c: unreachable; a point to itself: ok, nothing */
        assert_int_equal(cr_table_status(t, 2, 2), CR_CELL_UNREACHABLE);
        assert_true(cr_table_weight(t, 2, 2) == UINT64_MAX);
        assert_int_equal(cr_table_status(t, 0, 2), CR_CELL_OK);
        assert_true(cr_table_weight(t, 0, 2) == 0);
        cr_table_measures(t, 0, 0, &m);
        if (fill == CR_TABLE_MEASURES)
            assert_true(m.distance_m > 300 && m.distance_m < 500 && m.duration_s > 0);
        else
            assert_true(isnan(m.distance_m));
        cr_table_measures(t, 2, 2, &m);
        assert_true(isnan(m.distance_m) && isnan(m.duration_s));
        /* per point */
        assert_int_equal(cr_table_point(t, 0, &w), 1);
        assert_true(w.snap_distance_m < 10);
        assert_null(cr_table_point_error(t, 0));
        assert_int_equal(cr_table_point(t, 2, &w), 0);
        assert_non_null(strstr(cr_table_point_error(t, 2), "no way the car profile may use"));
        assert_int_equal(cr_table_point(t, 3, NULL), 1);
        cr_table_destroy(t);
    }
    /* an index out of range */
    {
        const size_t bad[] = { 4 };
        assert_int_equal(cr_table_compute(r, lon, lat, 4, bad, 1, NULL, 0, NULL, &t, &err),
                         CR_EINVAL);
        assert_null(t);
    }
    cr_router_destroy(r);
    cr_session_close(s);
    cr_graph_close(g);
}

static void
session_nearest(void **state)
{
    const char *path = network_file(RULES, "rules-nearest.corr");
    struct cr_error err = { 0 };
    struct cr_nearest near[3];
    struct cr_graph *g;
    struct cr_session *s;
    size_t n;

    (void)state;
    assert_non_null(g = cr_graph_open(path, &err));
    s = open_session(g, "car", NULL, CR_CH_AUTO);
    n = cr_session_nearest(s, 1060000000 + U, 100000000 + 2 * U / 10, NULL, 3, near, &err);
    assert_true(n >= 1 && n <= 3);
    assert_true(near[0].distance_m < 10);
    for (size_t i = 1; i < n; i++)
        assert_true(near[i].distance_m >= near[0].distance_m);
    assert_non_null(near[0].name);
    assert_int_equal(
        cr_session_nearest(s, 1060000000 + 20 * U, 100000000 + 20 * U, NULL, 3, near, &err), 0);
    assert_int_equal(err.code, CR_ENOTFOUND);
    cr_session_close(s);
    cr_graph_close(g);
}

struct calls {
    int progress, steps, stop_after;
    double last;
};

static int
count_progress(void *user, double done)
{
    struct calls *c = user;

    assert_true(done >= 0 && done <= 1 && done >= c->last - 1e-12);
    c->last = done;
    c->progress++;
    return c->stop_after && c->progress >= c->stop_after;
}

static void
count_steps(void *user, const struct cr_contract_step *step, int done)
{
    struct calls *c = user;

    assert_true(step->index < step->count && step->nodes > 0);
    assert_true(!done || step->seconds >= 0);
    c->steps++;
}

static void
session_contract_progress_and_cancel(void **state)
{
    const char *path = network_file(HCMC, "hcmc-contract.corr");
    static const char *const profiles[] = { "car", "motorcycle" };
    static const enum cr_metric metrics[] = { CR_METRIC_TIME };
    struct cr_contract_options o = CR_CONTRACT_OPTIONS_DEFAULT;
    struct calls c = { 0, 0, 0, 0 };
    struct cr_error err = { 0 };
    struct cr_graph *g;
    struct cr_session *s;
    char *before, *after;
    size_t before_len, after_len;

    (void)state;
    o.profiles = profiles;
    o.profile_count = 2;
    o.metrics = metrics;
    o.metric_count = 1;
    o.progress = count_progress;
    o.step = count_steps;
    o.user = &c;
    /* cancelled: CR_ECANCELLED, and the file byte for byte as it was */
    before = slurp(path, &before_len);
    c.stop_after = 3;
    assert_int_equal(cr_contract(path, &o, &err), CR_ECANCELLED);
    after = slurp(path, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    free(after);
    /* to the end: progress called throughout, a step before and after each hierarchy */
    c = (struct calls){ 0, 0, 0, 0 };
    if (cr_contract(path, &o, &err))
        fail_msg("%s", err.msg);
    assert_true(c.progress >= 2);
    assert_int_equal(c.steps, 4);
    assert_non_null(g = cr_graph_open(path, &err));
    s = open_session(g, "motorcycle", NULL, CR_CH_AUTO);
    assert_int_equal(cr_session_uses_ch(s), 1);
    cr_session_close(s);
    cr_graph_close(g);
    /* errors: a profile given twice under two names, a metric twice */
    {
        static const char *const twice[] = { "car", CR_SOURCE_DIR "/profiles/car.json" };
        static const enum cr_metric m2[] = { CR_METRIC_TIME, CR_METRIC_TIME };
        o.profiles = twice;
        assert_int_equal(cr_contract(path, &o, &err), CR_EINVAL);
        o.profiles = profiles;
        o.metrics = m2;
        o.metric_count = 2;
        assert_int_equal(cr_contract(path, &o, &err), CR_EINVAL);
    }
    after = slurp(path, &after_len);
    assert_true(after_len > before_len); /* the two hierarchies are in */
    free(after);
    free(before);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(session_open_close),
        cmocka_unit_test(session_notes_on_the_hierarchy),
        cmocka_unit_test(session_ch_equals_dijkstra),
        cmocka_unit_test(session_table_statuses),
        cmocka_unit_test(session_nearest),
        cmocka_unit_test(session_contract_progress_and_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
