/*
 * Isochrones: the search (routing/isochrone.h) and the band polygons (planning/isochrone.h).
 *
 * - On tests/maps/isochrone.osm (drawn in isochrone.txt: a two-way street a-b-c and a one-way
 *   lane b -> d): the reached times are the route times, the start piece is exact, and a point
 *   at the end of the one-way lane reaches almost nothing forward but is reached from the whole
 *   street in reverse.
 * - On Krems (real OSM data, datasets/): for 300 seeded points on drivable roads, the time the
 *   isochrone gives the point equals the router's weight to it (forward) and from it (reverse).
 * - On Monaco: containment, the rule of docs/isochrone.md, on 400 seeded road points: a point
 *   reached within T lies inside band T; a point not reached within T and farther than the
 *   buffer from every road reached within T lies outside it. And the bands are nested.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <geos_c.h>

#include "core/geo.h"
#include "planning/isochrone.h"
#include "routing/isochrone.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "spatial/ctx.h"

#include "../routing/testnet.h"

#define DRAWN CR_SOURCE_DIR "/tests/maps/isochrone.osm"
#define E7(d) ((int32_t)lround((d)*1e7))

struct world {
    struct net n;
    struct cr_engine e;
    struct cr_router *r;
};

static void
world_open(struct world *w, const char *path)
{
    struct cr_profile p;
    struct cr_error err = { 0 };

    net_open(&w->n, path);
    if (cr_profile_load("car", NULL, &p, &err) ||
        cr_engine_init(&w->e, w->n.v, w->n.snap, &p, CR_METRIC_TIME, &err))
        fail_msg("%s", err.msg);
    w->e.max_snap_m = 1000;
    if (!(w->r = cr_router_create(&w->e, &err)))
        fail_msg("%s", err.msg);
}

static void
world_close(struct world *w)
{
    cr_router_destroy(w->r);
    cr_engine_fini(&w->e);
    net_close(&w->n);
}

static struct cr_place
place(const struct world *w, double lon, double lat)
{
    struct cr_place p;
    struct cr_error err = { 0 };
    if (cr_engine_place(&w->e, E7(lon), E7(lat), &p, &err))
        fail_msg("%s", err.msg);
    return p;
}

static struct cr_isochrone
search(const struct world *w, const struct cr_place *p, double limit_s, int reverse)
{
    struct cr_isochrone iso;
    struct cr_error err = { 0 };
    if (cr_isochrone_compute(&w->e, p, 1, limit_s, reverse, &iso, &err))
        fail_msg("%s", err.msg);
    return iso;
}

/* The isochrone's time at place P: the least over its candidates and directions. */
static double
time_at_place(const struct world *w, const struct cr_isochrone *iso, const struct cr_place *p)
{
    double best = INFINITY;
    for (uint32_t c = 0; c < p->count; c++)
        for (int d = 0; d < 2; d++) {
            uint32_t x = p->cand[c].node[d];
            double f = d == 0 ? p->cand[c].snap.fraction : 1.0 - p->cand[c].snap.fraction, t;
            if (x == CR_INF)
                continue;
            t = cr_isochrone_time_at(iso, w->e.tg->edge_of[x], f);
            if (t < best)
                best = t;
        }
    return best;
}

/* The network edge of way NAME running from node A (graph ids by coordinates). */
static uint32_t
named_edge(const struct world *w, const char *name)
{
    const struct cr_graph_view *v = w->n.v;
    for (uint32_t e = 0; e < v->edge_count; e++) {
        uint32_t s = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
        if (!strcmp(cr_graph_string(v, v->ways[v->segment_way[s]].name), name))
            return e;
    }
    fail_msg("no edge on %s", name);
    return CR_INF;
}

static void
drawn_times(void **state)
{
    struct world w;
    struct cr_place a, near_d;
    struct cr_isochrone iso;
    uint32_t lane;
    double t;

    (void)state;
    world_open(&w, DRAWN);
    lane = named_edge(&w, "One-way lane");
    a = place(&w, 16.0002, 48.0);        /* on a-b, a tenth of the way from a */
    near_d = place(&w, 16.002, 47.9982); /* on the lane, 90 % of the way to d */
    iso = search(&w, &a, 600, 0);
    /* the start piece: from the point to b at the candidate's own weight */
    for (uint32_t d = 0; d < 2; d++) {
        uint32_t x = a.cand[0].node[d];
        double f = d == 0 ? a.cand[0].snap.fraction : 1 - a.cand[0].snap.fraction;
        assert_true(x != CR_INF);
        t = cr_isochrone_time_at(&iso, w.e.tg->edge_of[x], 1.0);
        assert_true(fabs(t - a.cand[0].after[d] / 10.0) < 1e-9);
        assert_true(cr_isochrone_time_at(&iso, w.e.tg->edge_of[x], f) < 1e-9);
    }
    /* along the street and down the lane: the route's time */
    t = time_at_place(&w, &iso, &near_d);
    assert_true(fabs(t - cr_router_weight(w.r, &a, &near_d) / 10.0) <= 0.11);
    cr_isochrone_fini(&iso);

    /* forward from near d: the rest of the lane only */
    iso = search(&w, &near_d, 600, 0);
    for (size_t i = 0; i < iso.count; i++)
        assert_int_equal(iso.pieces[i].edge, lane);
    assert_true(isinf(time_at_place(&w, &iso, &a)));
    cr_isochrone_fini(&iso);
    /* reversed: the whole street reaches it, in the route's time */
    iso = search(&w, &near_d, 600, 1);
    t = time_at_place(&w, &iso, &a);
    assert_true(fabs(t - cr_router_weight(w.r, &a, &near_d) / 10.0) <= 0.11);
    assert_true(iso.count > 3);
    cr_isochrone_fini(&iso);
    /* a budget too small to leave the lane */
    iso = search(&w, &near_d, 1, 1);
    for (size_t i = 0; i < iso.count; i++)
        assert_int_equal(iso.pieces[i].edge, lane);
    cr_isochrone_fini(&iso);
    world_close(&w);
}

/* A seeded point on a drivable segment at fraction F of its length, into LON, LAT. */
static uint32_t
road_point(const struct world *w, double *lon, double *lat)
{
    const struct cr_graph_view *v = w->n.v;
    for (;;) {
        uint32_t s = next_rand() % v->segment_count, e0 = v->segment_edge[2 * s];
        uint32_t e1 = v->segment_edge[2 * s + 1], first = v->segment_first_shape[s];
        uint32_t np = v->segment_first_shape[s + 1] - first + 2;
        double f = (next_rand() % 1000 + 0.5) / 1000.0, want, done = 0, mx, my;
        int usable = (e0 != CR_NO_EDGE && w->e.tg->node_of_edge[e0] != CR_INF &&
                      w->e.tg->in_lcc[w->e.tg->node_of_edge[e0]]) ||
                     (e1 != CR_NO_EDGE && w->e.tg->node_of_edge[e1] != CR_INF &&
                      w->e.tg->in_lcc[w->e.tg->node_of_edge[e1]]);
        if (!usable)
            continue;
        cr_geo_scale(v->lat_e7[v->segment_node[2 * s]] / 1e7, &mx, &my);
        want = f * v->segment_length_cm[s] / 100.0;
        for (uint32_t i = 0; i + 1 < np; i++) {
            uint32_t pi = i == 0 ? CR_INF : first + i - 1, qi = i + 2 == np ? CR_INF : first + i;
            double x0 = pi == CR_INF ? v->lon_e7[v->segment_node[2 * s]] : v->shape_lon_e7[pi];
            double y0 = pi == CR_INF ? v->lat_e7[v->segment_node[2 * s]] : v->shape_lat_e7[pi];
            double x1 = qi == CR_INF ? v->lon_e7[v->segment_node[2 * s + 1]] : v->shape_lon_e7[qi];
            double y1 = qi == CR_INF ? v->lat_e7[v->segment_node[2 * s + 1]] : v->shape_lat_e7[qi];
            double l = hypot((x1 - x0) / 1e7 * mx, (y1 - y0) / 1e7 * my);
            if (done + l >= want || i + 2 == np) {
                double t = l > 0 ? (want - done) / l : 0;
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                *lon = (x0 + t * (x1 - x0)) / 1e7;
                *lat = (y0 + t * (y1 - y0)) / 1e7;
                return s;
            }
            done += l;
        }
    }
}

static void
krems_times_are_route_times(void **state)
{
    struct world w;
    struct cr_place o;
    struct cr_isochrone fwd, rev;
    double lon, lat;
    int compared = 0;

    (void)state;
    rng = 0x9E3779B97F4A7C15ull;
    world_open(&w, CR_SOURCE_DIR "/datasets/graphhopper-krems.osm.pbf");
    road_point(&w, &lon, &lat);
    o = place(&w, lon, lat);
    fwd = search(&w, &o, 900, 0);
    rev = search(&w, &o, 900, 1);
    for (int i = 0; i < 300; i++) {
        struct cr_place p;
        double there, back;
        uint64_t wt, wb;
        road_point(&w, &lon, &lat);
        p = place(&w, lon, lat);
        wt = cr_router_weight(w.r, &o, &p);
        wb = cr_router_weight(w.r, &p, &o);
        there = time_at_place(&w, &fwd, &p);
        back = time_at_place(&w, &rev, &p);
        if (wt != CR_INF && wt <= 8900) {
            if (fabs(there - wt / 10.0) > 0.11)
                fail_msg("point %d (%.7f,%.7f): isochrone %.2f s, route %.1f s", i, lon, lat, there,
                         wt / 10.0);
            compared++;
        } else if (wt == CR_INF || wt > 9010) {
            assert_true(isinf(there) || there > 899.9);
        }
        if (wb != CR_INF && wb <= 8900 && fabs(back - wb / 10.0) > 0.11)
            fail_msg("point %d reversed: isochrone %.2f s, route %.1f s", i, back, wb / 10.0);
    }
    assert_true(compared > 50);
    cr_isochrone_fini(&fwd);
    cr_isochrone_fini(&rev);
    world_close(&w);
}

/* Distance in metres from (LON, LAT) to the road reached within T_S (sampled every metre). */
static double
reached_distance(const struct world *w, const struct cr_isochrone *iso, double t_s, double lon,
                 double lat)
{
    const struct cr_graph_view *v = w->n.v;
    double best = INFINITY, mx, my;

    cr_geo_scale(lat, &mx, &my);
    for (size_t i = 0; i < iso->count; i++) {
        uint32_t e = iso->pieces[i].edge, s = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
        uint32_t first = v->segment_first_shape[s], np = v->segment_first_shape[s + 1] - first + 2;
        double a, b, len = 0;
        if (!cr_iso_piece_window(&iso->pieces[i], -1, t_s, &a, &b))
            continue;
        if (v->edge_segment[e] & CR_SEGMENT_REVERSED) {
            double t = a;
            a = 1 - b;
            b = 1 - t;
        }
        for (int pass = 0; pass < 2; pass++) { /* total length, then samples within [a, b] */
            double done = 0;
            for (uint32_t k = 0; k + 1 < np; k++) {
                double x0 =
                    k == 0 ? v->lon_e7[v->segment_node[2 * s]] : v->shape_lon_e7[first + k - 1];
                double y0 =
                    k == 0 ? v->lat_e7[v->segment_node[2 * s]] : v->shape_lat_e7[first + k - 1];
                double x1 = k + 2 == np ? v->lon_e7[v->segment_node[2 * s + 1]]
                                        : v->shape_lon_e7[first + k];
                double y1 = k + 2 == np ? v->lat_e7[v->segment_node[2 * s + 1]]
                                        : v->shape_lat_e7[first + k];
                double l = hypot((x1 - x0) / 1e7 * mx, (y1 - y0) / 1e7 * my);
                for (double d = 0; pass == 1 && d <= l; d += 1.0) {
                    double at = (done + d) / len, px, py;
                    if (at < a - 1e-9 || at > b + 1e-9)
                        continue;
                    px = (x0 + (x1 - x0) * (l > 0 ? d / l : 0)) / 1e7;
                    py = (y0 + (y1 - y0) * (l > 0 ? d / l : 0)) / 1e7;
                    px = hypot((px - lon) * mx, (py - lat) * my);
                    if (px < best)
                        best = px;
                }
                done += l;
            }
            len = done;
            if (len <= 0)
                break;
        }
    }
    return best;
}

static int
covers(GEOSContextHandle_t h, const GEOSGeometry *poly, double lon, double lat)
{
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, lon, lat);
    char r = GEOSCovers_r(h, poly, pt);
    GEOSGeom_destroy_r(h, pt);
    return r == 1;
}

static void
monaco_containment_and_nesting(void **state)
{
    static const double minutes[] = { 2, 4 };
    struct world w;
    struct cr_place o;
    struct cr_isochrone iso;
    struct cr_iso_result r;
    struct cr_error err = { 0 };
    struct cr_ctx *c = cr_ctx_create(&err);
    GEOSContextHandle_t h;
    double lon, lat;
    int inside = 0, outside = 0;

    (void)state;
    assert_non_null(c);
    h = cr_ctx_geos(c);
    rng = 0x2545F4914F6CDD1Dull;
    world_open(&w, CR_SOURCE_DIR "/datasets/osrm-monaco.osm.pbf");
    o = place(&w, 7.4197, 43.7311);
    iso = search(&w, &o, 240, 0);
    if (cr_iso_polygons(c, w.n.v, &iso, minutes, 2, 50, 7.4197, 43.7311, &r, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(r.count, 2);
    assert_true(r.bands[0].reached_km > 1 && r.bands[1].reached_km > r.bands[0].reached_km);
    for (int i = 0; i < 400; i++) {
        struct cr_place p;
        double t;
        road_point(&w, &lon, &lat);
        p = place(&w, lon, lat);
        if (p.snap.distance_m > 0.5)
            continue; /* the point is on a road no car may use; off-road points are not the rule's
                       */
        t = time_at_place(&w, &iso, &p);
        for (size_t k = 0; k < 2; k++) {
            double T = minutes[k] * 60;
            if (t <= T - 0.5) {
                if (!covers(h, r.bands[k].polygon, lon, lat))
                    fail_msg("point %d (%.7f,%.7f) reached in %.1f s is outside the %g min band", i,
                             lon, lat, t, minutes[k]);
                inside++;
            } else if (t > T + 0.5 && reached_distance(&w, &iso, T, lon, lat) > 50 + 2) {
                if (covers(h, r.bands[k].polygon, lon, lat))
                    fail_msg("point %d (%.7f,%.7f) not reached (%.1f s) lies in the %g min band", i,
                             lon, lat, t, minutes[k]);
                outside++;
            }
        }
    }
    assert_true(inside > 20 && outside > 20);
    { /* nested: nothing of band 2 min lies outside band 4 min (beyond rounding) */
        GEOSGeometry *d = GEOSDifference_r(h, r.bands[0].polygon, r.bands[1].polygon);
        double area = 1;
        assert_non_null(d);
        GEOSArea_r(h, d, &area);
        if (area >= 1e-10) /* about 1 m2: the noise of GEOS noding the union */
            fail_msg("band 2 min outside band 4 min: %g square degrees", area);
        GEOSGeom_destroy_r(h, d);
    }
    cr_iso_result_fini(c, &r);
    cr_isochrone_fini(&iso);
    world_close(&w);
    cr_ctx_destroy(c);
}

static void
reverse_differs_on_one_way(void **state)
{
    static const double minutes[] = { 5 };
    struct world w;
    struct cr_place p;
    struct cr_isochrone f, b;
    struct cr_iso_result rf, rb;
    struct cr_error err = { 0 };
    struct cr_ctx *c = cr_ctx_create(&err);

    (void)state;
    world_open(&w, DRAWN);
    p = place(&w, 16.002, 47.9982);
    f = search(&w, &p, 300, 0);
    b = search(&w, &p, 300, 1);
    if (cr_iso_polygons(c, w.n.v, &f, minutes, 1, 50, 16.002, 48.0, &rf, &err) ||
        cr_iso_polygons(c, w.n.v, &b, minutes, 1, 50, 16.002, 48.0, &rb, &err))
        fail_msg("%s", err.msg);
    /* forward: the last 22 m of the lane; reversed: the lane and the whole street */
    assert_true(rf.bands[0].reached_km < 0.03);
    assert_true(rb.bands[0].reached_km > 0.4);
    assert_false(covers(cr_ctx_geos(c), rf.bands[0].polygon, 16.0, 48.0));
    assert_true(covers(cr_ctx_geos(c), rb.bands[0].polygon, 16.0, 48.0));
    cr_iso_result_fini(c, &rf);
    cr_iso_result_fini(c, &rb);
    cr_isochrone_fini(&f);
    cr_isochrone_fini(&b);
    world_close(&w);
    cr_ctx_destroy(c);
}

/* |shoelace area| of ring N points XY (degrees squared). */
static double
ring_area(const double *xy, size_t n)
{
    double a = 0, x0 = n ? xy[0] : 0,
           y0 = n ? xy[1] : 0; /* about the first point: no cancellation */
    for (size_t i = 0; i + 1 < n; i++)
        a += (xy[2 * i] - x0) * (xy[2 * i + 3] - y0) - (xy[2 * i + 2] - x0) * (xy[2 * i + 1] - y0);
    return fabs(a) / 2;
}

/* cr_iso_band_rings (what a map draws) holds the band's polygons exactly: as many rings as outer
 * rings and holes, every point, and outer areas less hole areas = the band's area. */
static void
band_rings_match_polygon(void **state)
{
    static const double minutes[] = { 5 };
    struct world w;
    struct cr_place p;
    struct cr_isochrone b;
    struct cr_iso_result r;
    struct cr_iso_band empty = { 3, NULL, 0 };
    struct cr_error err = { 0 };
    struct cr_ctx *c = cr_ctx_create(&err);
    GEOSContextHandle_t h = cr_ctx_geos(c);
    double *xy, area = 0;
    size_t *size, points, rings, want_rings = 0, at = 0;

    (void)state;
    world_open(&w, DRAWN);
    p = place(&w, 16.002, 47.9982);
    b = search(&w, &p, 300, 1);
    if (cr_iso_polygons(c, w.n.v, &b, minutes, 1, 50, 16.002, 48.0, &r, &err) ||
        cr_iso_band_rings(c, &r.bands[0], &xy, &points, &size, &rings, &err))
        fail_msg("%s", err.msg);
    for (int i = 0; i < GEOSGetNumGeometries_r(h, r.bands[0].polygon); i++) {
        const GEOSGeometry *g = GEOSGetGeometryN_r(h, r.bands[0].polygon, i);
        int holes = GEOSGetNumInteriorRings_r(h, g);
        area += ring_area(xy + 2 * at, size[want_rings]);
        at += size[want_rings++];
        for (int k = 0; k < holes; k++) {
            area -= ring_area(xy + 2 * at, size[want_rings]);
            at += size[want_rings++];
        }
    }
    assert_true(rings > 0);
    assert_int_equal(rings, want_rings);
    assert_int_equal(points, at);
    {
        double want;
        assert_true(GEOSArea_r(h, r.bands[0].polygon, &want));
        if (!(fabs(area - want) <= 1e-9 * want))
            fail_msg("rings' area %.17g, the band's %.17g", area, want);
    }
    free(xy);
    free(size);
    assert_int_equal(cr_iso_band_rings(c, &empty, &xy, &points, &size, &rings, &err), CR_OK);
    assert_int_equal(rings, 0);
    assert_int_equal(points, 0);
    free(xy);
    free(size);
    cr_iso_result_fini(c, &r);
    cr_isochrone_fini(&b);
    world_close(&w);
    cr_ctx_destroy(c);
}

static void
minutes_and_budget_errors(void **state)
{
    double m[CR_ISO_MAX_BANDS];
    size_t n;
    struct cr_error err = { 0 };
    struct world w;
    struct cr_place p;
    struct cr_isochrone iso;

    (void)state;
    assert_int_equal(cr_iso_minutes_parse("30,10,20", m, &n, &err), CR_OK);
    assert_int_equal(n, 3);
    assert_true(m[0] == 10 && m[1] == 20 && m[2] == 30);
    assert_int_equal(cr_iso_minutes_parse("10,x", m, &n, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "\"x\""));
    assert_int_equal(cr_iso_minutes_parse("0", m, &n, &err), CR_EINVAL);
    assert_int_equal(cr_iso_minutes_parse("10,10", m, &n, &err), CR_EINVAL);
    assert_int_equal(cr_iso_minutes_parse("", m, &n, &err), CR_EINVAL);
    assert_int_equal(cr_iso_minutes_parse("1,2,3,4,5,6,7,8,9,10,11", m, &n, &err), CR_EINVAL);
    world_open(&w, DRAWN);
    p = place(&w, 16.0002, 48.0);
    assert_int_equal(cr_isochrone_compute(&w.e, &p, 1, 0, 0, &iso, &err), CR_EINVAL);
    assert_int_equal(cr_isochrone_compute(&w.e, &p, 0, 60, 0, &iso, &err), CR_EINVAL);
    world_close(&w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(drawn_times),
        cmocka_unit_test(krems_times_are_route_times),
        cmocka_unit_test(monaco_containment_and_nesting),
        cmocka_unit_test(reverse_differs_on_one_way),
        cmocka_unit_test(minutes_and_budget_errors),
        cmocka_unit_test(band_rings_match_polygon),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
