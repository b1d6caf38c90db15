/* routing/tdsearch: the time-dependent Dijkstra. With no condition in force it finds what plain
 * Dijkstra finds (seeded pairs of the District 3 extract, whose conditional tags hold on 30 April
 * and 06:00-22:00 only); arrival times are non-decreasing in the departure (FIFO, waiting
 * allowed) across a closure; a departure needs the time metric. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/cond.h"
#include "routing/profile.h"
#include "routing/route.h"

#include "testnet.h"

#define D3_MAP CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm"

struct eng {
    struct cr_engine e;
    struct cr_router *r;
};

static void
eng_open(struct eng *g, const struct net *n, const char *profile, enum cr_metric m)
{
    struct cr_profile p;
    struct cr_error err = { 0 };
    if (cr_profile_load(profile, NULL, &p, &err) ||
        cr_engine_init(&g->e, n->v, n->snap, &p, m, &err))
        fail_msg("%s", err.msg);
    if (!(g->r = cr_router_create(&g->e, &err)))
        fail_msg("%s", err.msg);
}

static void
eng_close(struct eng *g)
{
    cr_router_destroy(g->r);
    cr_engine_fini(&g->e);
}

static int64_t
at(const char *iso)
{
    int64_t t;
    assert_int_equal(cr_cond_parse_time(iso, &t), 0);
    return t;
}

static void
untimed_equals_timed_when_nothing_holds(void **state)
{
    struct net n;
    struct eng g;
    struct cr_error err = { 0 };
    size_t compared = 0;
    (void)state;
    net_open(&n, D3_MAP);
    assert_true(n.v->cond_way_count == 3 && n.v->cond_restriction_count == 10);
    eng_open(&g, &n, "car", CR_METRIC_TIME);
    for (int i = 0; i < 200; i++) {
        uint32_t a = next_rand() % n.v->node_count, b = next_rand() % n.v->node_count;
        int32_t lon[2] = { n.v->lon_e7[a], n.v->lon_e7[b] },
                lat[2] = { n.v->lat_e7[a], n.v->lat_e7[b] };
        struct cr_route r0, r1;
        assert_int_equal(cr_router_set_depart(g.r, 0, 0, NULL, 0, &err), CR_OK);
        enum cr_status s0 = cr_router_route(g.r, lon, lat, 2, &r0, &err);
        /* 1 May 03:00: no closure, no turn restriction (06:00-22:00) in force */
        assert_int_equal(cr_router_set_depart(g.r, 1, at("2026-05-01T03:00"), NULL, 0, &err),
                         CR_OK);
        enum cr_status s1 = cr_router_route(g.r, lon, lat, 2, &r1, &err);
        assert_int_equal(s0, s1);
        if (s0 == CR_OK) {
            if (r0.weight != r1.weight || r0.distance_m != r1.distance_m)
                fail_msg("pair %u -> %u: untimed %llu ds %.1f m, timed %llu ds %.1f m", a, b,
                         (unsigned long long)r0.weight, r0.distance_m,
                         (unsigned long long)r1.weight, r1.distance_m);
            assert_int_equal(r1.conditional, CR_ROUTE_COND_TIMED);
            compared++;
            cr_route_fini(&r0);
            cr_route_fini(&r1);
        }
    }
    assert_true(compared > 100);
    eng_close(&g);
    net_close(&n);
}

static void
fifo_across_the_closure(void **state)
{
    struct net n;
    struct eng g;
    struct cr_error err = { 0 };
    int32_t lon[2] = { 1066902975, 1066943122 }, lat[2] = { 107910861, 107874737 };
    int64_t last = INT64_MIN, t0 = at("2026-04-29T22:00");
    (void)state;
    net_open(&n, D3_MAP);
    eng_open(&g, &n, "car", CR_METRIC_TIME);
    for (int64_t t = t0; t < t0 + 20 * 3600; t += 7 * 60) {
        struct cr_route r;
        assert_int_equal(cr_router_set_depart(g.r, 1, t, NULL, 0, &err), CR_OK);
        assert_int_equal(cr_router_route(g.r, lon, lat, 2, &r, &err), CR_OK);
        int64_t arrive = t * 10 + (int64_t)r.weight;
        if (arrive < last)
            fail_msg("leaving at +%lld s arrives before leaving earlier did", (long long)(t - t0));
        last = arrive;
        cr_route_fini(&r);
    }
    eng_close(&g);
    net_close(&n);
}

static void
time_metric_only(void **state)
{
    struct net n;
    struct eng g;
    struct cr_error err = { 0 };
    (void)state;
    net_open(&n, D3_MAP);
    eng_open(&g, &n, "car", CR_METRIC_DISTANCE);
    assert_int_equal(cr_router_set_depart(g.r, 1, at("2026-04-30T08:00"), NULL, 0, &err),
                     CR_EINVAL);
    assert_non_null(strstr(err.msg, "time metric"));
    eng_close(&g);
    net_close(&n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(untimed_equals_timed_when_nothing_holds),
        cmocka_unit_test(fifo_across_the_closure),
        cmocka_unit_test(time_metric_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
