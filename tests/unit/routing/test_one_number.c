/* One number for one trip: a route's duration and distance are sums of the integers the search
 * adds (routing/route_ends.h, cr_engine_piece), so by time its duration is its weight and by
 * distance its distance is, for every leg and the whole route, from points anywhere along an
 * edge (the first and last pieces split as places split them), with a CH and with Dijkstra; and
 * the parts (mode runs) add up to the leg. On seeded random points of the bundled Monaco and
 * Krems extracts, car and truck. */
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
#include "routing/profile.h"
#include "routing/route.h"
#include "routing/route_ends.h"
#include "routing/turngraph.h"

#include "testnet.h"

#define PAIRS 150

/* The route's metric measure in the metric's integer unit (deciseconds or decimetres). */
static uint64_t
own_units(enum cr_metric m, double duration_s, double distance_m)
{
    return (uint64_t)llround((m == CR_METRIC_TIME ? duration_s : distance_m) * 10);
}

static int
routes_measure_their_weight(struct cr_router *r, const struct net *n, const char *what)
{
    const struct cr_engine *e = cr_router_engine(r);
    int routed = 0;

    for (int k = 0; k < PAIRS; k++) {
        int32_t lon[3], lat[3];
        struct cr_route rt;
        struct cr_error err = { 0 };
        size_t np = k % 5 == 0 ? 3 : 2; /* some with a via point */
        for (size_t i = 0; i < np; i++) {
            uint32_t x = next_rand() % e->tg->base_count;
            uint32_t seg = n->v->edge_segment[e->tg->edge_of[x]] & ~CR_SEGMENT_REVERSED;
            uint32_t a = n->v->segment_node[2 * seg], b = n->v->segment_node[2 * seg + 1];
            double f = (next_rand() % 1000) / 1000.0; /* anywhere between the segment's ends */
            lon[i] = (int32_t)lround(n->v->lon_e7[a] + f * (n->v->lon_e7[b] - n->v->lon_e7[a]));
            lat[i] = (int32_t)lround(n->v->lat_e7[a] + f * (n->v->lat_e7[b] - n->v->lat_e7[a]));
        }
        if (cr_router_route(r, lon, lat, np, &rt, &err))
            continue;
        if (own_units(e->metric, rt.duration_s, rt.distance_m) != rt.weight)
            fail_msg("%s pair %d: duration %.3f s, distance %.3f m, weight %llu", what, k,
                     rt.duration_s, rt.distance_m, (unsigned long long)rt.weight);
        for (uint32_t l = 0; l < rt.leg_count; l++) {
            const struct cr_route_leg *leg = &rt.legs[l];
            double dur = 0, dist = 0;
            if (own_units(e->metric, leg->duration_s, leg->distance_m) != leg->weight)
                fail_msg("%s pair %d leg %u: duration %.3f, distance %.3f, weight %llu", what, k, l,
                         leg->duration_s, leg->distance_m, (unsigned long long)leg->weight);
            /* whole deciseconds and decimetres: multiples of 0.1 */
            assert_true(fabs(leg->duration_s * 10 - round(leg->duration_s * 10)) < 1e-6);
            assert_true(fabs(leg->distance_m * 10 - round(leg->distance_m * 10)) < 1e-6);
            for (uint32_t p = leg->first_part; p < leg->first_part + leg->part_count; p++) {
                dur += rt.parts[p].duration_s;
                dist += rt.parts[p].distance_m;
            }
            assert_true(fabs(dur - leg->duration_s) < 1e-6);
            assert_true(fabs(dist - leg->distance_m) < 1e-6);
        }
        routed++;
        cr_route_fini(&rt);
    }
    return routed;
}

static void
one_number_on(const char *dataset)
{
    static const char *const profiles[] = { "car", "truck" };
    char path[512];
    struct net n;

    snprintf(path, sizeof path, "%s/datasets/%s", CR_SOURCE_DIR, dataset);
    net_open(&n, path);
    for (int pi = 0; pi < 2; pi++)
        for (int m = CR_METRIC_TIME; m <= CR_METRIC_DISTANCE; m++) {
            struct cr_profile p;
            struct cr_engine plain, fast;
            struct cr_router *rp, *rf;
            struct cr_error err = { 0 };
            struct cr_ch *ch;
            char what[128];

            if (cr_profile_load(profiles[pi], NULL, &p, &err) ||
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
            snprintf(what, sizeof what, "%s %s %s dijkstra", dataset, profiles[pi],
                     cr_metric_name((enum cr_metric)m));
            assert_true(routes_measure_their_weight(rp, &n, what) > PAIRS / 3);
            snprintf(what, sizeof what, "%s %s %s ch", dataset, profiles[pi],
                     cr_metric_name((enum cr_metric)m));
            assert_true(routes_measure_their_weight(rf, &n, what) > PAIRS / 3);
            cr_router_destroy(rp);
            cr_router_destroy(rf);
            cr_ch_destroy(ch);
            cr_engine_fini(&plain);
            cr_engine_fini(&fast);
        }
    net_close(&n);
}

static void
one_number_monaco(void **state)
{
    (void)state;
    one_number_on("osrm-monaco.osm.pbf");
}

static void
one_number_krems(void **state)
{
    (void)state;
    one_number_on("graphhopper-krems.osm.pbf");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_number_monaco),
        cmocka_unit_test(one_number_krems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
