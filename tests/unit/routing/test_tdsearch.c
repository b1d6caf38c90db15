/* routing/tdsearch: the time-dependent Dijkstra. With no condition in force it finds what plain
 * Dijkstra finds (seeded pairs of the District 3 extract, whose conditional tags hold on 30 April
 * and 06:00-22:00 only); arrival times are non-decreasing in the departure (FIFO, waiting
 * allowed) across a closure; by distance with a departure the weight is the distance, the
 * same as untimed when nothing holds, and the duration the clock's; cost and CO2 refuse a
 * departure. */
#include <math.h>
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
#include "routing/route_ends.h"
#include "routing/tdsearch.h"

#include "testnet.h"

#define D3_MAP CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm"

#include "td_fixture.h"

/* The time-dependent search between R's two places at 1 May 03:00 (nothing holds): what it adds
 * to the untimed time of its path (waits, conditional speeds). */
static int64_t
no_wait(struct eng *g, const struct cr_route *r)
{
    struct cr_ends *s = malloc(sizeof *s), *t = malloc(sizeof *t);
    struct cr_td_source src[MAX_ENDPOINTS];
    struct cr_tdsearch *td = cr_tdsearch_create(&g->e);
    struct cr_cond_when w = { at("2026-05-01T03:00"), 1, 0, NULL };
    uint64_t static_w;
    assert_true(s && t && td);
    cr_source_ends(&g->e, &r->places[0], s);
    cr_target_ends(&g->e, &r->places[1], t);
    for (size_t i = 0; i < s->n; i++)
        src[i] = (struct cr_td_source){ s->arc[i], s->ep[i].weight - g->e.tg->g.weight[s->arc[i]] };
    cr_tdsearch_run(td, src, s->n, t->ep, t->n, &w, &static_w);
    int64_t d = cr_tdsearch_delta(td);
    cr_tdsearch_destroy(td);
    free(s);
    free(t);
    return d;
}

static void
untimed_equals_timed_metric(enum cr_metric metric)
{
    struct net n;
    struct eng g;
    struct cr_error err = { 0 };
    size_t compared = 0;
    net_open(&n, D3_MAP);
    assert_true(n.v->cond_way_count == 3 && n.v->cond_restriction_count == 10);
    eng_open(&g, &n, "car", metric);
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
            /* by distance two paths of one length may take different times (ties): the
             * durations are compared by time only, and by distance no wait is added */
            if (r0.weight != r1.weight || r0.distance_m != r1.distance_m ||
                (metric == CR_METRIC_TIME && fabs(r0.duration_s - r1.duration_s) > 0.05) ||
                no_wait(&g, &r1) != 0)
                fail_msg(
                    "pair %u -> %u: untimed %llu ds %.1f m %.1f s, timed %llu ds %.1f m %.1f s", a,
                    b, (unsigned long long)r0.weight, r0.distance_m, r0.duration_s,
                    (unsigned long long)r1.weight, r1.distance_m, r1.duration_s);
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
untimed_equals_timed_when_nothing_holds(void **state)
{
    (void)state;
    untimed_equals_timed_metric(CR_METRIC_TIME);
}

static void
by_distance_untimed_equals_timed_when_nothing_holds(void **state)
{
    (void)state;
    untimed_equals_timed_metric(CR_METRIC_DISTANCE);
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
    eng_open(&g, &n, "car", CR_METRIC_COST);
    assert_int_equal(cr_router_set_depart(g.r, 1, at("2026-04-30T08:00"), NULL, 0, &err),
                     CR_EINVAL);
    assert_non_null(strstr(err.msg, "time or distance metric"));
    eng_close(&g);
    net_close(&n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(untimed_equals_timed_when_nothing_holds),
        cmocka_unit_test(by_distance_untimed_equals_timed_when_nothing_holds),
        cmocka_unit_test(fifo_across_the_closure),
        cmocka_unit_test(time_metric_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
