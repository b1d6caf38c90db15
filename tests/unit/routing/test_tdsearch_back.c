/* routing/tdsearch_back: the latest departure that arrives by a time (arrive_by). On seeded
 * pairs of the drawn map tests/maps/conditional.osm (synthetic: peak-hour truck ban, a ban that
 * starts under way, a conditional turn restriction, a conditional speed) and of the District 3
 * extract (real: Điện Biên Phủ closed 30 April 00:00-14:00), at seeded deadlines around the
 * bans: the forward time-dependent search from the departure found arrives by the deadline, and
 * from one second later it arrives after it (the departure is the latest, to the second). */
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
#include "routing/tdsearch.h"

#include "testnet.h"

#define D3_MAP CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm"
#define DRAWN_MAP CR_SOURCE_DIR "/tests/maps/conditional.osm"
#define VIA_MAP CR_SOURCE_DIR "/tests/maps/conditional_via.osm"

#include "td_fixture.h"

/* The arrival (absolute deciseconds) of the forward search leaving at DEPART; INT64_MAX when
 * there is no route. */
static int64_t
forward(struct eng *g, const struct cr_place *p, int64_t depart)
{
    struct cr_error err = { 0 };
    struct cr_route r;
    assert_int_equal(cr_router_set_depart(g->r, 1, depart, NULL, 0, &err), CR_OK);
    if (cr_router_route_places(g->r, p, 2, &r, &err))
        return INT64_MAX;
    int64_t a = depart * 10 + (int64_t)r.weight;
    cr_route_fini(&r);
    return a;
}

/* PAIRS seeded pairs of nodes of N, deadlines in [T0, T0 + SPAN) seconds: returns how many had
 * a departure; fails on a departure that arrives late or is not the latest. */
static int
check_pairs(struct eng *g, const struct net *n, int pairs, int64_t t0, int64_t span)
{
    struct cr_error err = { 0 };
    int found = 0;
    for (int i = 0; i < pairs; i++) {
        uint32_t a = next_rand() % n->v->node_count, b = next_rand() % n->v->node_count;
        for (int k = 0; k < 50 && abs(n->v->lon_e7[a] - n->v->lon_e7[b]) > 200000; k++)
            b = next_rand() % n->v->node_count; /* the drawn map: the same scenario */
        int64_t by = t0 + next_rand() % span, depart;
        struct cr_place p[2];
        if (cr_engine_place_opts(&g->e, n->v->lon_e7[a], n->v->lat_e7[a], NULL, &p[0], &err) ||
            cr_engine_place_opts(&g->e, n->v->lon_e7[b], n->v->lat_e7[b], NULL, &p[1], &err))
            continue;
        enum cr_status st = cr_tdsearch_latest_depart(&g->e, p, 2, by, NULL, &depart, &err);
        if (st == CR_ENOTFOUND) { /* then no departure a day before arrives in time either */
            assert_true(forward(g, p, by - 86400) > by * 10);
            continue;
        }
        assert_int_equal(st, CR_OK);
        int64_t arr, later;
        arr = forward(g, p, depart);
        later = forward(g, p, depart + 1);
        if (arr > by * 10)
            fail_msg("pair %u -> %u by %lld: leaving at %lld arrives %lld ds late", a, b,
                     (long long)by, (long long)depart, (long long)(arr - by * 10));
        if (later <= by * 10)
            fail_msg("pair %u -> %u by %lld: leaving at %lld + 1 s still arrives in time", a, b,
                     (long long)by, (long long)depart);
        found++;
    }
    return found;
}

static void
latest_on_the_drawn_map(void **state)
{
    struct net n;
    struct eng truck, car;
    (void)state;
    net_open(&n, DRAWN_MAP);
    eng_open(&truck, &n, "truck", CR_METRIC_TIME);
    eng_open(&car, &n, "car", CR_METRIC_TIME);
    /* Thursday 30 April 06:50 - 10:10 and 15:50 - 19:10: the truck ban, the 08:00 market ban
     * and the 16:00-19:00 turn restriction start and end in these spans */
    int found = check_pairs(&truck, &n, 150, at("2026-04-30T06:50"), 200 * 60) +
                check_pairs(&car, &n, 150, at("2026-04-30T07:30"), 100 * 60) +
                check_pairs(&car, &n, 100, at("2026-04-30T15:50"), 200 * 60);
    printf("drawn map: %d pairs with a departure\n", found);
    assert_true(found > 200);
    eng_close(&truck);
    eng_close(&car);
    net_close(&n);
}

/* conditional_via.osm: the turn off the via way Link is banned Mo-Fr 16:00-19:00 */
static void
latest_via_a_way(void **state)
{
    struct net n;
    struct eng car;
    (void)state;
    net_open(&n, VIA_MAP);
    assert_int_equal(n.v->cond_via_way_count, 1);
    eng_open(&car, &n, "car", CR_METRIC_TIME);
    int found = check_pairs(&car, &n, 150, at("2026-04-30T15:55"), 10 * 60) +
                check_pairs(&car, &n, 150, at("2026-04-30T18:55"), 10 * 60);
    printf("via-way map: %d pairs with a departure\n", found);
    assert_true(found > 200);
    eng_close(&car);
    net_close(&n);
}

/* The route w -> n of conditional_via.osm: through Link at noon, round by South road at 17:00
 * (forward), and arriving by 17:00 too (backward). */
static void
via_way_restriction_applies_in_its_window(void **state)
{
    struct net n;
    struct eng car;
    struct cr_error err = { 0 };
    int32_t lon[2] = { 1060000000, 1060040000 }, lat[2] = { 100000000, 100020000 };
    struct cr_route noon, peak, *by;
    (void)state;
    net_open(&n, VIA_MAP);
    eng_open(&car, &n, "car", CR_METRIC_TIME);
    assert_int_equal(cr_router_set_depart(car.r, 1, at("2026-04-30T12:00"), NULL, 0, &err), CR_OK);
    assert_int_equal(cr_router_route(car.r, lon, lat, 2, &noon, &err), CR_OK);
    assert_int_equal(cr_router_set_depart(car.r, 1, at("2026-04-30T17:00"), NULL, 0, &err), CR_OK);
    assert_int_equal(cr_router_route(car.r, lon, lat, 2, &peak, &err), CR_OK);
    assert_true(noon.distance_m < 700 && peak.distance_m > 1000); /* 660 m, 1102 m */
    assert_int_equal(cr_route_compute_arrive(car.r, lon, lat, 2, NULL, at("2026-04-30T17:00"), NULL,
                                             0, &by, &err),
                     CR_OK);
    assert_true(by->distance_m > 1000);
    cr_route_destroy(by);
    cr_route_fini(&noon);
    cr_route_fini(&peak);
    eng_close(&car);
    net_close(&n);
}

static void
latest_in_district3(void **state)
{
    struct net n;
    struct eng car;
    (void)state;
    net_open(&n, D3_MAP);
    eng_open(&car, &n, "car", CR_METRIC_TIME);
    /* 30 April 13:30 - 14:30 (the closure ends at 14:00) and 29 April 22:50 - 23:50 */
    int found = check_pairs(&car, &n, 60, at("2026-04-30T13:30"), 3600) +
                check_pairs(&car, &n, 40, at("2026-04-29T22:50"), 3600);
    printf("District 3: %d pairs with a departure\n", found);
    assert_true(found > 50);
    eng_close(&car);
    net_close(&n);
}

/* The drawn map's truck s -> t (scenario 1): arriving by 07:30 it goes round on the ring road
 * (the centre street is closed 07:00-09:00); by 10:00 it takes the centre street. */
static void
arrive_by_differs_across_the_ban(void **state)
{
    struct net n;
    struct eng truck;
    struct cr_error err = { 0 };
    int32_t lon[2] = { 1059980000, 1060100000 }, lat[2] = { 100000000, 100000000 };
    struct cr_route *peak, *late;
    (void)state;
    net_open(&n, DRAWN_MAP);
    eng_open(&truck, &n, "truck", CR_METRIC_TIME);
    assert_int_equal(cr_route_compute_arrive(truck.r, lon, lat, 2, NULL, at("2026-04-30T07:30"),
                                             NULL, 0, &peak, &err),
                     CR_OK);
    assert_int_equal(cr_route_compute_arrive(truck.r, lon, lat, 2, NULL, at("2026-04-30T10:00"),
                                             NULL, 0, &late, &err),
                     CR_OK);
    assert_true(peak->distance_m > late->distance_m + 300); /* the ring road: 1758 m, 1316 m */
    assert_true(peak->arrive_by == at("2026-04-30T07:30"));
    assert_true(peak->depart * 10 + (int64_t)peak->weight <= peak->arrive_by * 10);
    assert_true(late->depart * 10 + (int64_t)late->weight <= late->arrive_by * 10);
    cr_route_destroy(peak);
    cr_route_destroy(late);
    /* a departure needs the time metric, as --depart does */
    eng_close(&truck);
    eng_open(&truck, &n, "truck", CR_METRIC_DISTANCE);
    assert_int_equal(cr_route_compute_arrive(truck.r, lon, lat, 2, NULL, at("2026-04-30T10:00"),
                                             NULL, 0, &late, &err),
                     CR_EINVAL);
    eng_close(&truck);
    net_close(&n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(latest_on_the_drawn_map),
        cmocka_unit_test(latest_via_a_way),
        cmocka_unit_test(via_way_restriction_applies_in_its_window),
        cmocka_unit_test(latest_in_district3),
        cmocka_unit_test(arrive_by_differs_across_the_ban),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
