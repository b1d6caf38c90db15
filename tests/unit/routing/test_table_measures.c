/* A table's measures (summed along the many-to-many search, no path unpacked) are those of
 * cr_router_route between the same two points, with a CH (1 and 2 threads) and with Dijkstra,
 * on seeded random points of the bundled Monaco and Krems extracts, for the time and distance
 * metrics. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "routing/ch.h"
#include "routing/measure.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "routing/table.h"
#include "routing/turngraph.h"

#include "testnet.h"

#define POINTS 24

/* Seeded random points near the nodes of random edges the profile may use. */
static void
random_points(const struct net *n, const struct cr_engine *e, int32_t *lon, int32_t *lat)
{
    for (size_t k = 0; k < POINTS; k++) {
        uint32_t x = next_rand() % e->tg->base_count;
        uint32_t seg = n->v->edge_segment[e->tg->edge_of[x]] & ~CR_SEGMENT_REVERSED;
        uint32_t a = n->v->segment_node[2 * seg + (next_rand() & 1)];
        lon[k] = n->v->lon_e7[a] + (int32_t)(next_rand() % 200) - 100;
        lat[k] = n->v->lat_e7[a] + (int32_t)(next_rand() % 200) - 100;
    }
}

/* Every cell of a table by R (THREADS) against the route between the same points. */
static void
table_equals_routes(struct cr_router *r, const int32_t *lon, const int32_t *lat, unsigned threads,
                    const char *what)
{
    const struct cr_engine *e = cr_router_engine(r);
    struct cr_table_options o = CR_TABLE_OPTIONS_DEFAULT;
    struct cr_table *t;
    struct cr_error err = { 0 };
    int routed = 0;

    o.fill = CR_TABLE_MEASURES;
    o.threads = threads;
    if (cr_table_compute(r, lon, lat, POINTS, NULL, 0, NULL, 0, &o, &t, &err))
        fail_msg("%s: %s", what, err.msg);
    for (size_t i = 0; i < POINTS; i++)
        for (size_t j = 0; j < POINTS; j++) {
            int32_t plon[2] = { lon[i], lon[j] }, plat[2] = { lat[i], lat[j] };
            struct cr_route rt;
            struct cr_measures m;
            double want[4], got[4];
            if (cr_table_status(t, i, j) != CR_CELL_OK)
                continue;
            if (cr_router_route(r, plon, plat, 2, &rt, &err))
                fail_msg("%s cell %zu,%zu: table has %llu, route: %s", what, i, j,
                         (unsigned long long)cr_table_weight(t, i, j), err.msg);
            cr_table_measures(t, i, j, &m);
            want[0] = rt.distance_m, want[1] = rt.duration_s, want[2] = rt.cost,
            want[3] = rt.co2_kg;
            got[0] = m.distance_m, got[1] = m.duration_s, got[2] = m.cost, got[3] = m.co2_kg;
            if (cr_table_weight(t, i, j) != rt.weight)
                fail_msg("%s cell %zu,%zu: weight %llu, route %llu (small %u %u)", what, i, j,
                         (unsigned long long)cr_table_weight(t, i, j),
                         (unsigned long long)rt.weight, cr_table_place(t, i)->small_comp,
                         cr_table_place(t, j)->small_comp);
            for (int k = 0; k < 4; k++) {
                enum cr_measure ms = (enum cr_measure)k;
                if (fabs(got[k] - want[k]) > 1e-6 * (1 + fabs(want[k])) ||
                    cr_measure_round(ms, got[k], e->profile.currency) !=
                        cr_measure_round(ms, want[k], e->profile.currency))
                    fail_msg("%s cell %zu,%zu (%.7f,%.7f -> %.7f,%.7f): %s %.9f, route %.9f", what,
                             i, j, lon[i] / 1e7, lat[i] / 1e7, lon[j] / 1e7, lat[j] / 1e7,
                             cr_measure_key(ms), got[k], want[k]);
            }
            routed++;
            cr_route_fini(&rt);
        }
    assert_true(routed > POINTS * POINTS / 2);
    cr_table_destroy(t);
}

static void
table_equals_routes_on(const char *dataset)
{
    char path[512];
    struct net n;

    snprintf(path, sizeof path, "%s/datasets/%s", CR_SOURCE_DIR, dataset);
    net_open(&n, path);
    for (int m = CR_METRIC_TIME; m <= CR_METRIC_DISTANCE; m++) {
        struct cr_profile p;
        struct cr_engine plain, fast;
        struct cr_router *rp, *rf;
        struct cr_error err = { 0 };
        struct cr_ch *ch;
        int32_t lon[POINTS], lat[POINTS];
        char what[128];

        if (cr_profile_load("car", NULL, &p, &err) ||
            cr_engine_init(&plain, n.v, n.snap, &p, (enum cr_metric)m, &err) ||
            cr_engine_init(&fast, n.v, n.snap, &p, (enum cr_metric)m, &err))
            fail_msg("%s", err.msg);
        if (!(ch = cr_ch_build(&fast.tg->g, NULL, NULL, &err)))
            fail_msg("%s", err.msg);
        fast.ch = ch;
        rp = cr_router_create(&plain, &err);
        rf = cr_router_create(&fast, &err);
        assert_non_null(rp);
        assert_non_null(rf);
        random_points(&n, &plain, lon, lat);
        snprintf(what, sizeof what, "%s %s dijkstra", dataset, cr_metric_name((enum cr_metric)m));
        table_equals_routes(rp, lon, lat, 1, what);
        snprintf(what, sizeof what, "%s %s ch", dataset, cr_metric_name((enum cr_metric)m));
        table_equals_routes(rf, lon, lat, 1, what);
        snprintf(what, sizeof what, "%s %s ch 2 threads", dataset,
                 cr_metric_name((enum cr_metric)m));
        table_equals_routes(rf, lon, lat, 2, what);
        cr_router_destroy(rp);
        cr_router_destroy(rf);
        cr_ch_destroy(ch);
        cr_engine_fini(&plain);
        cr_engine_fini(&fast);
    }
    net_close(&n);
}

static void
table_equals_routes_monaco(void **state)
{
    (void)state;
    table_equals_routes_on("osrm-monaco.osm.pbf");
}

static void
table_equals_routes_krems(void **state)
{
    (void)state;
    table_equals_routes_on("graphhopper-krems.osm.pbf");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_equals_routes_monaco),
        cmocka_unit_test(table_equals_routes_krems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
