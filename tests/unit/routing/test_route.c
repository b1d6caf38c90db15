/* Routing rules on tests/maps/route_rules.osm (drawn in route_rules.txt), and CH = Dijkstra on
 * the bundled networks. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/geo.h"
#include "core/graph.h"
#include "core/snap.h"
#include "importers/osm/osm_import.h"
#include "routing/ch.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "routing/turngraph.h"

#include "testnet.h"

#define RULES CR_SOURCE_DIR "/tests/maps/route_rules.osm"
#define U 10000 /* 0.001 degrees in e7 */

/* The route from grid point (x0,y0) to (x1,y1) of route_rules.osm; returns its distance, or -1
 * when unreachable. NAMES gets the way names along it. */
static double
route(const struct net *n, const char *profile, const char *vehicle, double x0, double y0,
      double x1, double y1, char *names, size_t size)
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
    if (vehicle && cr_profile_set_vehicle(&p, vehicle, &err))
        fail_msg("%s", err.msg);
    if (cr_engine_init(&e, n->v, n->snap, &p, CR_METRIC_TIME, &err))
        fail_msg("%s", err.msg);
    e.max_snap_m = 200;
    r = cr_router_create(&e, &err);
    assert_non_null(r);
    if (names)
        names[0] = '\0';
    if (cr_router_route(r, lon, lat, 2, &rt, &err) == CR_OK) {
        d = rt.distance_m;
        for (uint32_t i = 0; names && i < rt.part_count; i++) {
            strncat(names, cr_graph_string(n->v, rt.parts[i].name), size - strlen(names) - 2);
            strncat(names, ";", size - strlen(names) - 1);
        }
        cr_route_fini(&rt);
    } else {
        assert_int_equal(err.code, CR_ENOTFOUND);
    }
    cr_router_destroy(r);
    cr_engine_fini(&e);
    return d;
}

static void
turn_restriction_forces_detour(void **state)
{
    struct net n;
    double d;

    (void)state;
    net_open(&n, RULES);
    /* from just north of c to just south of d... on the edges c->j and f->d */
    d = route(&n, "car", NULL, 1, 0.2, 0, 1.2, NULL, 0);
    /* the direct way would be 0.8 + 1 units; the detour goes j-a-f-d: 0.8 + 1 + 1 + 0.8 */
    if (!(d > 3.4 * 110 && d < 3.8 * 111))
        fail_msg("car c->d: %.1f m, want the detour of about %.0f m", d, 3.6 * 110.6);
    net_close(&n);
}

static void
truck_height_limit(void **state)
{
    struct net n;
    char names[256];
    double d;

    (void)state;
    net_open(&n, RULES);
    d = route(&n, "truck", NULL, 40, 0, 42, 0, names, sizeof names);
    assert_true(d > 300);
    assert_non_null(strstr(names, "High road"));
    assert_null(strstr(names, "Low bridge"));
    d = route(&n, "truck", "height=3.0", 40, 0, 42, 0, names, sizeof names);
    assert_true(d < 250);
    assert_non_null(strstr(names, "Low bridge road"));
    d = route(&n, "car", NULL, 40, 0, 42, 0, names, sizeof names);
    assert_non_null(strstr(names, "Low bridge road"));
    net_close(&n);
}

static void
truck_hgv_no(void **state)
{
    struct net n;
    char names[256];

    (void)state;
    net_open(&n, RULES);
    route(&n, "truck", NULL, 80, 0, 82, 0, names, sizeof names);
    assert_non_null(strstr(names, "Truck route"));
    assert_null(strstr(names, "No trucks"));
    route(&n, "car", NULL, 80, 0, 82, 0, names, sizeof names);
    assert_non_null(strstr(names, "No trucks street"));
    net_close(&n);
}

static void
motorcycles_stay_off_motorways(void **state)
{
    struct net n;
    char names[256];

    (void)state;
    net_open(&n, RULES);
    route(&n, "car", NULL, 120, 0, 122, 0, names, sizeof names);
    assert_non_null(strstr(names, "Expressway"));
    route(&n, "motorcycle", NULL, 120, 0, 122, 0, names, sizeof names);
    assert_non_null(strstr(names, "Old road"));
    assert_null(strstr(names, "Expressway"));
    net_close(&n);
}

static void
far_from_road(void **state)
{
    struct net n;

    (void)state;
    net_open(&n, RULES);
    assert_true(route(&n, "car", NULL, 20, 20, 1, 0.2, NULL, 0) < 0);
    net_close(&n);
}

/* ---- CH = Dijkstra on real networks ------------------------------------------------------- */

static void
ch_equals_dijkstra_on(const char *dataset, int pairs)
{
    static const char *const profiles[] = { "car", "motorcycle", "truck" };
    char path[512];
    struct net n;

    snprintf(path, sizeof path, "%s/datasets/%s", CR_SOURCE_DIR, dataset);
    net_open(&n, path);
    for (size_t pi = 0; pi < 3; pi++) {
        for (int m = CR_METRIC_TIME; m <= CR_METRIC_DISTANCE; m++) {
            struct cr_profile p;
            struct cr_engine plain, fast;
            struct cr_router *rp, *rf;
            struct cr_error err = { 0 };
            struct cr_ch *ch;
            int compared = 0, reachable = 0;

            if (cr_profile_load(profiles[pi], NULL, &p, &err) ||
                cr_engine_init(&plain, n.v, n.snap, &p, (enum cr_metric)m, &err) ||
                cr_engine_init(&fast, n.v, n.snap, &p, (enum cr_metric)m, &err))
                fail_msg("%s", err.msg);
            ch = cr_ch_build(&fast.tg->g, NULL, NULL, &err);
            if (!ch)
                fail_msg("%s", err.msg);
            fast.ch = ch;
            rp = cr_router_create(&plain, &err);
            rf = cr_router_create(&fast, &err);
            assert_non_null(rp);
            assert_non_null(rf);
            for (int i = 0; i < pairs * 4 && compared < pairs; i++) {
                /* random places: random edges of the profile, at a random point along them */
                uint32_t x = next_rand() % plain.tg->base_count,
                         y = next_rand() % plain.tg->base_count;
                uint32_t ex = plain.tg->edge_of[x], ey = plain.tg->edge_of[y];
                uint32_t sx = n.v->edge_segment[ex] & ~CR_SEGMENT_REVERSED;
                uint32_t sy = n.v->edge_segment[ey] & ~CR_SEGMENT_REVERSED;
                int32_t lon[2], lat[2];
                struct cr_place a, b;
                uint64_t wp, wf;
                lon[0] = n.v->lon_e7[n.v->segment_node[2 * sx]];
                lat[0] = n.v->lat_e7[n.v->segment_node[2 * sx]];
                lon[1] = n.v->lon_e7[n.v->segment_node[2 * sy + 1]];
                lat[1] = n.v->lat_e7[n.v->segment_node[2 * sy + 1]];
                lon[0] += (int32_t)(next_rand() % 200) - 100;
                lat[1] += (int32_t)(next_rand() % 200) - 100;
                if (cr_engine_place(&plain, lon[0], lat[0], &a, &err) ||
                    cr_engine_place(&plain, lon[1], lat[1], &b, &err))
                    continue;
                wp = cr_router_weight(rp, &a, &b);
                wf = cr_router_weight(rf, &a, &b);
                if (wp != wf)
                    fail_msg("%s %s/%s pair %d (%.7f,%.7f)->(%.7f,%.7f): dijkstra %llu, ch %llu",
                             dataset, profiles[pi], cr_metric_name((enum cr_metric)m), i,
                             lon[0] / 1e7, lat[0] / 1e7, lon[1] / 1e7, lat[1] / 1e7,
                             (unsigned long long)wp, (unsigned long long)wf);
                compared++;
                reachable += wp != UINT64_MAX;
            }
            assert_true(compared >= pairs);
            if (reachable < compared / 2) /* the comparison means little on unreachable pairs */
                fail_msg("%s %s/%s: only %d of %d pairs reachable", dataset, profiles[pi],
                         cr_metric_name((enum cr_metric)m), reachable, compared);
            cr_router_destroy(rp);
            cr_router_destroy(rf);
            cr_ch_destroy(ch);
            cr_engine_fini(&plain);
            cr_engine_fini(&fast);
        }
    }
    net_close(&n);
}

static void
ch_equals_dijkstra_hcmc(void **state)
{
    (void)state;
    ch_equals_dijkstra_on("hcmc-district3-multi-tl-map.osm.pbf", 1000);
}

static void
ch_equals_dijkstra_small(void **state)
{
    (void)state;
    ch_equals_dijkstra_on("hcmc-district3-map.osm.pbf", 1000);
    ch_equals_dijkstra_on("osmnx-West-Oakland.osm.bz2", 1000);
}

static void
ch_equals_dijkstra_krems(void **state)
{
    (void)state;
    ch_equals_dijkstra_on("graphhopper-krems.osm.pbf", 1000);
}

static void
ch_equals_dijkstra_monaco(void **state)
{
    (void)state;
    ch_equals_dijkstra_on("osrm-monaco.osm.pbf", 1000);
}

/* ---- real turn restrictions -------------------------------------------------------------- */

/* A place in the middle of network edge E (its direction only). */
static void
place_on_edge(const struct cr_engine *e, uint32_t edge, struct cr_place *p)
{
    const struct cr_graph_view *v = e->view;
    uint32_t x = e->tg->node_of_edge[edge], w = e->tg->edge_weight[x];
    int d = (v->edge_segment[edge] & CR_SEGMENT_REVERSED) ? 1 : 0;

    memset(p, 0, sizeof *p);
    p->count = 1;
    p->cand[0].snap.segment = v->edge_segment[edge] & ~CR_SEGMENT_REVERSED;
    p->cand[0].snap.fraction = 0.5;
    p->cand[0].node[0] = p->cand[0].node[1] = CR_INF;
    p->cand[0].node[d] = x;
    p->cand[0].before[d] = w / 2;
    p->cand[0].after[d] = w - w / 2;
    p->snap = p->cand[0].snap;
}

/* Every no_* restriction of Monaco's data, routed from the middle of its from-edge to the middle
 * of its to-edge: the forbidden turn would cost `direct`; the route must cost more (a detour)
 * or be impossible, and at least one real restriction must force a detour. */
static void
real_restrictions_force_detours(void **state)
{
    char path[512];
    struct net n;
    struct cr_profile p;
    struct cr_engine e;
    struct cr_router *r;
    struct cr_error err = { 0 };
    int checked = 0, detours = 0;

    (void)state;
    snprintf(path, sizeof path, "%s/datasets/osrm-monaco.osm.pbf", CR_SOURCE_DIR);
    net_open(&n, path);
    if (cr_profile_load("car", NULL, &p, &err) ||
        cr_engine_init(&e, n.v, n.snap, &p, CR_METRIC_TIME, &err))
        fail_msg("%s", err.msg);
    r = cr_router_create(&e, &err);
    assert_true(e.tg->restricted_turns > 0);
    for (uint32_t i = 0; i < n.v->restriction_count; i++) {
        const struct cr_restriction *rs = &n.v->restrictions[i];
        uint32_t via = rs->via;
        if (rs->via_is_way || rs->kind != CR_RESTRICT_NO || rs->only_vehicle)
            continue;
        for (uint32_t u = 0; u < n.v->node_count; u++) {
            for (uint32_t e1 = n.v->first_out[u]; e1 < n.v->first_out[u + 1]; e1++) {
                if (n.v->head[e1] != via || e.tg->node_of_edge[e1] == CR_INF ||
                    n.v->segment_way[n.v->edge_segment[e1] & ~CR_SEGMENT_REVERSED] != rs->from_way)
                    continue;
                for (uint32_t e2 = n.v->first_out[via]; e2 < n.v->first_out[via + 1]; e2++) {
                    struct cr_place a, b;
                    uint64_t w, direct;
                    double pen;
                    if (e.tg->node_of_edge[e2] == CR_INF ||
                        n.v->segment_way[n.v->edge_segment[e2] & ~CR_SEGMENT_REVERSED] !=
                            rs->to_way ||
                        (n.v->edge_segment[e1] & ~CR_SEGMENT_REVERSED) ==
                            (n.v->edge_segment[e2] & ~CR_SEGMENT_REVERSED))
                        continue;
                    place_on_edge(&e, e1, &a);
                    place_on_edge(&e, e2, &b);
                    pen = cr_profile_node_penalty_s(&p, n.v, via) +
                          cr_profile_turn_penalty_s(&p, n.v, e1, e2);
                    direct = (uint64_t)a.cand[0].after[(a.cand[0].node[0] == CR_INF)] +
                             cr_profile_penalty_weight(&p, pen < 0 ? 0 : pen, CR_METRIC_TIME) +
                             b.cand[0].before[(b.cand[0].node[0] == CR_INF)];
                    w = cr_router_weight(r, &a, &b);
                    if (w != UINT64_MAX && w <= direct)
                        fail_msg("restriction %lld: the forbidden turn was taken (%llu <= %llu)",
                                 (long long)rs->osm_id, (unsigned long long)w,
                                 (unsigned long long)direct);
                    checked++;
                    detours += w != UINT64_MAX;
                }
            }
        }
    }
    if (checked == 0 || detours == 0)
        fail_msg("checked %d restricted turns, %d detours: want some of each", checked, detours);
    cr_router_destroy(r);
    cr_engine_fini(&e);
    net_close(&n);
}

/* ---- freight: the documented Krems cases (docs/routing.md) ------------------------------- */

struct freight_result {
    int ok;
    double co2, cost;
    int modes; /* bit per enum cr_mode used */
    int transfers;
    char terminals[256];
};

static struct freight_result
freight(const struct net *n, enum cr_metric metric, double lon0, double lat0, double lon1,
        double lat1)
{
    struct freight_result fr = { 0 };
    struct cr_profile p;
    struct cr_engine e;
    struct cr_router *r;
    struct cr_route rt;
    struct cr_error err = { 0 };
    int32_t lon[2] = { cr_deg_to_e7(lon0), cr_deg_to_e7(lon1) };
    int32_t lat[2] = { cr_deg_to_e7(lat0), cr_deg_to_e7(lat1) };

    if (cr_profile_load("freight", NULL, &p, &err) ||
        cr_engine_init(&e, n->v, n->snap, &p, metric, &err))
        fail_msg("%s", err.msg);
    r = cr_router_create(&e, &err);
    assert_non_null(r);
    if (cr_router_route(r, lon, lat, 2, &rt, &err) == CR_OK) {
        fr.ok = 1;
        fr.co2 = rt.co2_kg;
        fr.cost = rt.cost;
        for (uint32_t i = 0; i < rt.part_count; i++) {
            fr.modes |= 1 << rt.parts[i].mode;
            if (rt.parts[i].mode == CR_MODE_TRANSFER) {
                fr.transfers++;
                strncat(fr.terminals,
                        cr_graph_string(n->v, n->v->terminals[rt.parts[i].terminal].name),
                        sizeof fr.terminals - strlen(fr.terminals) - 2);
                strncat(fr.terminals, ";", sizeof fr.terminals - strlen(fr.terminals) - 1);
            }
        }
        cr_route_fini(&rt);
    }
    cr_router_destroy(r);
    cr_engine_fini(&e);
    return fr;
}

/* From Krems station to the B37a by the Danube east of the town, where its two carriageways
 * run 16 m apart and both leave the extract. 15.6760,48.3795 lies on the inbound one, which no
 * road in the extract leads onto: a container gets there by barge only (road, Hafen Krems, the
 * Danube, the example landing, road), whatever the metric, and a truck not at all. The outbound
 * one (15.67605,48.3793365) is reached by road, by every metric. The barge emits less CO2 and
 * costs more (two terminals' handling) than the road to the other carriageway. */
static void
freight_barge_or_road(void **state)
{
    struct cr_import_options opt = { 0 };
    struct cr_error err = { 0 };
    struct freight_result by_co2, by_cost, road_co2, road_cost, road_time;
    struct net n;

    (void)state;
    opt.terminals_path = CR_SOURCE_DIR "/datasets/terminals-krems-example.csv";
    n.b = cr_osm_build(CR_SOURCE_DIR "/datasets/graphhopper-krems.osm.pbf", &opt, NULL, &err);
    if (!n.b)
        fail_msg("%s", err.msg);
    n.v = cr_netbuild_view(n.b);
    n.snap = cr_snap_index_create(n.v, &err);
    assert_non_null(n.snap);
    by_co2 = freight(&n, CR_METRIC_CO2, 15.6049, 48.4089, 15.6760, 48.3795);
    by_cost = freight(&n, CR_METRIC_COST, 15.6049, 48.4089, 15.6760, 48.3795);
    road_co2 = freight(&n, CR_METRIC_CO2, 15.6049, 48.4089, 15.67605, 48.3793365);
    road_cost = freight(&n, CR_METRIC_COST, 15.6049, 48.4089, 15.67605, 48.3793365);
    road_time = freight(&n, CR_METRIC_TIME, 15.6049, 48.4089, 15.67605, 48.3793365);
    assert_true(by_co2.ok && by_cost.ok && road_co2.ok && road_cost.ok && road_time.ok);
    assert_true(by_co2.modes & (1 << CR_MODE_WATER));
    assert_int_equal(by_co2.transfers, 2);
    assert_non_null(strstr(by_co2.terminals, "Danube landing east (example)"));
    assert_true(by_cost.modes & (1 << CR_MODE_WATER)); /* no road leads there */
    assert_int_equal(road_co2.modes, 1 << CR_MODE_ROAD);
    assert_int_equal(road_cost.modes, 1 << CR_MODE_ROAD);
    assert_int_equal(road_time.modes, 1 << CR_MODE_ROAD);
    assert_true(by_co2.co2 < road_co2.co2);
    assert_true(road_cost.cost < by_co2.cost);
    net_close(&n);
}

/* Every matrix cell equals the point-to-point answer, with the CH and with Dijkstra. */
static void
matrix_cells_equal_routes(void **state)
{
    char path[512];
    struct net n;
    struct cr_profile p;
    struct cr_engine plain, fast;
    struct cr_router *rp, *rf;
    struct cr_error err = { 0 };
    struct cr_place places[40];
    uint64_t mp[40 * 40], mf[40 * 40];
    struct cr_ch *ch;
    size_t np = 0;

    (void)state;
    snprintf(path, sizeof path, "%s/datasets/osrm-monaco.osm.pbf", CR_SOURCE_DIR);
    net_open(&n, path);
    if (cr_profile_load("car", NULL, &p, &err) ||
        cr_engine_init(&plain, n.v, n.snap, &p, CR_METRIC_TIME, &err) ||
        cr_engine_init(&fast, n.v, n.snap, &p, CR_METRIC_TIME, &err))
        fail_msg("%s", err.msg);
    ch = cr_ch_build(&fast.tg->g, NULL, NULL, &err);
    assert_non_null(ch);
    fast.ch = ch;
    rp = cr_router_create(&plain, &err);
    rf = cr_router_create(&fast, &err);
    while (np < 40) {
        uint32_t x = next_rand() % plain.tg->base_count;
        uint32_t seg = n.v->edge_segment[plain.tg->edge_of[x]] & ~CR_SEGMENT_REVERSED;
        uint32_t a = n.v->segment_node[2 * seg];
        if (cr_engine_place(&plain, n.v->lon_e7[a] + 30, n.v->lat_e7[a] - 20, &places[np], &err) ==
            CR_OK)
            np++;
    }
    assert_int_equal(cr_router_matrix(rp, places, 40, places, 40, mp, &err), CR_OK);
    assert_int_equal(cr_router_matrix(rf, places, 40, places, 40, mf, &err), CR_OK);
    for (size_t i = 0; i < 40; i++)
        for (size_t j = 0; j < 40; j++) {
            uint64_t w = cr_router_weight(rp, &places[i], &places[j]);
            if (mp[i * 40 + j] != w || mf[i * 40 + j] != w)
                fail_msg("cell %zu,%zu: dijkstra matrix %llu, ch matrix %llu, route %llu", i, j,
                         (unsigned long long)mp[i * 40 + j], (unsigned long long)mf[i * 40 + j],
                         (unsigned long long)w);
        }
    /* a table's measures are those of the route between the same two points, by the same
     * search (Dijkstra and the CH may choose different routes of equal weight) */
    for (int k = 0; k < 2; k++) {
        static struct cr_cell cells[12 * 12];
        struct cr_router *rt = k ? rp : rf;
        assert_int_equal(cr_router_cells(rt, places, 12, places + 12, 12, cells, &err), CR_OK);
        for (size_t i = 0; i < 12; i++)
            for (size_t j = 0; j < 12; j++) {
                const struct cr_cell *c = &cells[i * 12 + j];
                int32_t lon[2] = { places[i].lon_e7, places[12 + j].lon_e7 };
                int32_t lat[2] = { places[i].lat_e7, places[12 + j].lat_e7 };
                struct cr_route r;
                assert_int_equal(c->weight, mf[i * 40 + 12 + j]);
                if (cr_router_route(rt, lon, lat, 2, &r, &err)) {
                    assert_int_equal(c->weight, UINT64_MAX);
                    continue;
                }
                assert_int_equal(c->weight, r.weight);
                assert_true(fabs(c->distance_m - r.distance_m) < 1e-6 * (1 + r.distance_m));
                assert_true(fabs(c->duration_s - r.duration_s) < 1e-6 * (1 + r.duration_s));
                assert_true(fabs(c->cost - r.cost) < 1e-6 * (1 + r.cost));
                assert_true(fabs(c->co2_kg - r.co2_kg) < 1e-6 * (1 + r.co2_kg));
                cr_route_fini(&r);
            }
    }
    cr_router_destroy(rp);
    cr_router_destroy(rf);
    cr_ch_destroy(ch);
    cr_engine_fini(&plain);
    cr_engine_fini(&fast);
    net_close(&n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(turn_restriction_forces_detour),
        cmocka_unit_test(truck_height_limit),
        cmocka_unit_test(truck_hgv_no),
        cmocka_unit_test(motorcycles_stay_off_motorways),
        cmocka_unit_test(far_from_road),
        cmocka_unit_test(ch_equals_dijkstra_hcmc),
        cmocka_unit_test(ch_equals_dijkstra_small),
        cmocka_unit_test(ch_equals_dijkstra_krems),
        cmocka_unit_test(ch_equals_dijkstra_monaco),
        cmocka_unit_test(real_restrictions_force_detours),
        cmocka_unit_test(freight_barge_or_road),
        cmocka_unit_test(matrix_cells_equal_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
