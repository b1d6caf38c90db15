/* The two rules the turn graph carries with copies of edges (routing/turngraph.h): destination-
 * only streets (tests/maps/destination.txt) and restrictions with a via way
 * (tests/maps/via_way.txt, and a real one in Liechtenstein), checked with Dijkstra, the CH,
 * matrices and tables, and CH = Dijkstra on graphs with copies. */
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
#include "core/snap.h"
#include "routing/ch.h"
#include "routing/dijkstra.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "routing/turngraph.h"

#include "testnet.h"

#define DEST_MAP CR_SOURCE_DIR "/tests/maps/destination.osm"
#define VIA_MAP CR_SOURCE_DIR "/tests/maps/via_way.osm"
#define REAL_MAP CR_SOURCE_DIR "/tests/maps/real_via_way.osm.pbf"
#define MULTI_MAP CR_SOURCE_DIR "/tests/maps/multi_via.osm"
#define U 10000 /* 0.001 degrees in e7 */

/* An engine for PROFILE (a name, or a .json path) by time, with its CH when WITH_CH. */
struct eng {
    struct cr_engine e;
    struct cr_ch *ch;
    struct cr_router *r;
};

static void
eng_open(struct eng *g, const struct net *n, const char *profile, int with_ch)
{
    struct cr_profile p;
    struct cr_error err = { 0 };

    if (cr_profile_load(profile, NULL, &p, &err) ||
        cr_engine_init(&g->e, n->v, n->snap, &p, CR_METRIC_TIME, &err))
        fail_msg("%s", err.msg);
    g->e.max_snap_m = 200;
    g->ch = NULL;
    if (with_ch) {
        if (!(g->ch = cr_ch_build(&g->e.tg->g, NULL, NULL, &err)))
            fail_msg("%s", err.msg);
        g->e.ch = g->ch;
    }
    if (!(g->r = cr_router_create(&g->e, &err)))
        fail_msg("%s", err.msg);
}

static void
eng_close(struct eng *g)
{
    cr_router_destroy(g->r);
    cr_ch_destroy(g->ch);
    cr_engine_fini(&g->e);
}

static const char *
edge_name(const struct cr_graph_view *v, uint32_t e)
{
    return cr_graph_string(v,
                           v->ways[v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED]].name);
}

/* Appends NAME to OUT ("a,b,c") unless it is the last one there. */
static void
add_name(char *out, size_t size, const char *name)
{
    const char *last = strrchr(out, ',');
    last = last ? last + 1 : out;
    if (out[0] && strcmp(last, name) == 0)
        return;
    if (out[0])
        strncat(out, ",", size - strlen(out) - 1);
    strncat(out, name, size - strlen(out) - 1);
}

/* The length in map units (0.001 degree, about 110 m) of the route between grid points (x0,y0)
 * and (x1,y1) of a map at lon 106, lat 10, or -1 when there is none. */
static double
route_units(const struct eng *g, double x0, double y0, double x1, double y1)
{
    int32_t lon[2] = { 1060000000 + (int32_t)lround(x0 * U), 1060000000 + (int32_t)lround(x1 * U) };
    int32_t lat[2] = { 100000000 + (int32_t)lround(y0 * U), 100000000 + (int32_t)lround(y1 * U) };
    struct cr_route rt;
    struct cr_error err = { 0 };
    double d = -1;

    if (cr_router_route(g->r, lon, lat, 2, &rt, &err) == CR_OK) {
        d = rt.distance_m / 110.0;
        cr_route_fini(&rt);
    } else {
        assert_int_equal(err.code, CR_ENOTFOUND);
    }
    return d;
}

/* A route of LO to HI units, or none when HI < 0. */
static void
expect_route(const struct eng *g, double x0, double y0, double x1, double y1, double lo, double hi)
{
    double d = route_units(g, x0, y0, x1, y1);

    if (hi < 0 ? d >= 0 : !(d >= lo && d <= hi))
        fail_msg("%s (%s): (%g,%g) -> (%g,%g): %.2f units, want %.1f to %.1f", g->e.profile.name,
                 g->ch ? "ch" : "dijkstra", x0, y0, x1, y1, d, lo, hi);
}

/* The network edge from the graph node of OSM node A to that of B, or CR_NO_EDGE. */
static uint32_t
edge_by_osm(const struct cr_graph_view *v, int64_t a, int64_t b)
{
    for (uint32_t u = 0; u < v->node_count; u++)
        if (v->osm_id[u] == a && v->group[u] == CR_GROUP_ROAD)
            for (uint32_t e = v->first_out[u]; e < v->first_out[u + 1]; e++)
                if (v->osm_id[v->head[e]] == b)
                    return e;
    return CR_NO_EDGE;
}

/* From the end of edge FROM to anywhere on edge TO (every copy of it, every layer), by the
 * engine's CH or by Dijkstra: the weight (CR_INF when unreachable) and the way names. Sources
 * start on FROM's first node only, as routing/route.c does. */
static uint32_t
edge_path(const struct eng *g, uint32_t from, uint32_t to, char *names, size_t size)
{
    const struct cr_turngraph *tg = g->e.tg;
    const struct cr_wgraph *wg = &tg->g;
    struct cr_endpoint s[64], t[64];
    size_t ns = 0, nt = 0, si = 0, ti = 0, count;
    uint32_t x = tg->node_of_edge[from], w, arcs[256];
    struct cr_dijkstra *dj = NULL;
    struct cr_ch_query *q = NULL;

    if (names)
        names[0] = '\0';
    assert_true(x != CR_INF && tg->node_of_edge[to] != CR_INF);
    for (uint32_t a = wg->first_out[x]; a < wg->first_out[x + 1] && ns < 64; a++)
        s[ns++] = (struct cr_endpoint){ wg->head[a], wg->weight[a] };
    for (uint32_t k = 0; k < tg->layers; k++)
        for (uint32_t y = tg->node_of_edge[to]; y != CR_INF && nt < 64;
             y = tg->next_copy ? tg->next_copy[y] : CR_INF)
            t[nt++] = (struct cr_endpoint){ k * tg->base_count + y, 0 };
    if (g->ch) {
        assert_non_null(q = cr_ch_query_create(g->ch));
        w = cr_ch_query_run(q, s, ns, t, nt);
    } else {
        assert_non_null(dj = cr_dijkstra_create(wg));
        w = cr_dijkstra_run(dj, s, ns, t, nt);
    }
    if (w != CR_INF && names) {
        count = q ? cr_ch_query_path(q, arcs, 256, &si, &ti)
                  : cr_dijkstra_path(dj, arcs, 256, &si, &ti);
        assert_true(count <= 256);
        add_name(names, size, edge_name(g->e.view, from));
        add_name(names, size, edge_name(g->e.view, tg->edge_of[s[si].node % tg->base_count]));
        for (size_t i = 0; i < count; i++)
            add_name(names, size,
                     edge_name(g->e.view, tg->edge_of[wg->head[arcs[i]] % tg->base_count]));
    }
    cr_ch_query_destroy(q);
    cr_dijkstra_destroy(dj);
    return w;
}

static void
expect_edge_path(const struct eng *g, int64_t a0, int64_t b0, int64_t a1, int64_t b1,
                 const char *want)
{
    const struct cr_graph_view *v = g->e.view;
    uint32_t from = edge_by_osm(v, a0, b0), to = edge_by_osm(v, a1, b1), w;
    char names[512];

    assert_true(from != CR_NO_EDGE && to != CR_NO_EDGE);
    w = edge_path(g, from, to, names, sizeof names);
    if (want == NULL ? w != CR_INF : (w == CR_INF || strcmp(names, want) != 0))
        fail_msg("%s (%s): edge %lld-%lld to %lld-%lld: got \"%s\", want \"%s\"", g->e.profile.name,
                 g->ch ? "ch" : "dijkstra", (long long)a0, (long long)b0, (long long)a1,
                 (long long)b1, w == CR_INF ? "none" : names, want ? want : "none");
}

/* ---- destination-only ------------------------------------------------------------------- */

/* destination.txt maps 1-3: node ids BASE + 0..6 are a b c d e x y, at x offset X0. */
static void
destination_map(const struct net *n, const char *profile, int64_t base, double x0, int through)
{
    for (int with_ch = 0; with_ch < 2; with_ch++) {
        struct eng g;
        eng_open(&g, n, profile, with_ch);
        /* a -> e: around (7.6 to 8.6 units, as the start snaps to axye or ab), never across
         * bcd (4.3), unless the street is not destination-only for this vehicle */
        if (through)
            expect_route(&g, x0 + 0.2, 1.8, x0 + 3.8, 1.8, 4.0, 4.5);
        else
            expect_route(&g, x0 + 0.2, 1.8, x0 + 3.8, 1.8, 7.4, 8.9);
        expect_edge_path(&g, base + 0, base + 1, base + 3, base + 4,
                         through ? "ab,bcd,de" : "ab,axye,de");
        /* may start inside and leave, either way (1 + 1.1 units) */
        expect_route(&g, x0 + 2, 1, x0 + 3.8, 1.8, 1.9, 2.4);
        expect_route(&g, x0 + 2, 1, x0 + 0.2, 1.8, 1.9, 2.4);
        expect_edge_path(&g, base + 1, base + 3, base + 3, base + 4, "bcd,de");
        expect_edge_path(&g, base + 3, base + 1, base + 1, base + 0, "bcd,ab");
        /* may enter and end inside (edge to edge: every copy of the target edge counts) */
        expect_edge_path(&g, base + 0, base + 1, base + 1, base + 3, "ab,bcd");
        expect_edge_path(&g, base + 4, base + 3, base + 3, base + 1, "de,bcd");
        if (!through)
            assert_true(g.e.tg->destination_copies > 0);
        eng_close(&g);
    }
}

static void
destination_car_truck(void **state)
{
    struct net n;

    (void)state;
    net_open(&n, DEST_MAP);
    destination_map(&n, "car", 10, 0, 0);
    destination_map(&n, "truck", 10, 0, 0);
    destination_map(&n, "motorcycle", 10, 0, 0);
    /* access=delivery is destination-only too */
    destination_map(&n, "car", 30, 80, 0);
    destination_map(&n, "truck", 30, 80, 0);
    net_close(&n);
}

static void
destination_motorcycle(void **state)
{
    struct net n;

    (void)state;
    net_open(&n, DEST_MAP);
    destination_map(&n, "motorcycle", 20, 40, 0); /* motorcycle=destination */
    destination_map(&n, "car", 20, 40, 1);        /* a car is not concerned */
    net_close(&n);
}

/* destination.txt map 4: a truck reaches a factory on a private road, and leaves it, but never
 * drives through the factory; a profile may keep private roads closed. */
static void
private_factory_road(void **state)
{
    char path[512];
    struct net n;
    FILE *f;

    (void)state;
    net_open(&n, DEST_MAP);
    for (int with_ch = 0; with_ch < 2; with_ch++) {
        struct eng g;
        eng_open(&g, &n, "truck", with_ch);
        /* w (40) m (41) e (42) k (43) t (44), g (45) is a shape point of the factory road */
        expect_edge_path(&g, 40, 41, 41, 43, "Park avenue,Factory road");
        expect_edge_path(&g, 40, 41, 43, 44, "Park avenue,Link road,Back street");
        expect_edge_path(&g, 41, 43, 43, 44, "Factory road,Back street");
        expect_edge_path(&g, 43, 41, 41, 40, "Factory road,Park avenue");
        expect_route(&g, 120.2, 0, 122.5, 2, 11.0, 11.6); /* around, not through (4.3) */
        expect_route(&g, 122, 1, 122.5, 2, 1.3, 1.7);     /* from the gate out: 1.5 */
        expect_route(&g, 122, 1, 120.2, 0, 2.6, 3.0);     /* 2.8 */
        eng_close(&g);
    }
    snprintf(path, sizeof path, "%s/test_turnrules_private.json", CR_BINARY_DIR);
    assert_non_null(f = fopen(path, "w"));
    fprintf(f,
            "{ \"base\": \"%s/profiles/truck.json\", \"name\": \"truck-no-private\",\n"
            "  \"access_allowed\": { \"private\": false } }\n",
            CR_SOURCE_DIR);
    fclose(f);
    {
        struct eng g;
        eng_open(&g, &n, path, 0);
        assert_int_equal(g.e.tg->node_of_edge[edge_by_osm(n.v, 41, 43)], CR_INF);
        expect_route(&g, 120.2, 0, 122.5, 2, 11.0, 11.6);
        eng_close(&g);
    }
    remove(path);
    net_close(&n);
}

/* ---- via-way restrictions -------------------------------------------------------------- */

static void
via_way_drawn(void **state)
{
    struct net n;

    (void)state;
    net_open(&n, VIA_MAP);
    for (int with_ch = 0; with_ch < 2; with_ch++) {
        struct eng g;
        eng_open(&g, &n, "car", with_ch);
        assert_int_equal(g.e.tg->via_way_restrictions, 5);
        /* 1: no_right_turn from ab via be to de: a -> d by a U-turn at f, 4.6 units */
        expect_route(&g, 0, 0.2, 1, 0.2, 4.4, 4.8);
        expect_route(&g, 0, 2.8, 1, 0.2, 3.4, 3.8); /* c -> d: 1.8 + 1 + 0.8 */
        expect_route(&g, 0.5, 1, 1, 0.2, 1.1, 1.5); /* starting on be: not from ab */
        expect_edge_path(&g, 10, 11, 14, 13, "ab,be,ef,de");
        expect_edge_path(&g, 12, 11, 14, 13, "bc,be,de");
        /* 2: only_left_on from ab via be to ef */
        expect_route(&g, 40, 0.2, 41, 0.2, 4.4, 4.8);
        expect_route(&g, 40, 0.2, 41, 1.8, 2.4, 2.8);
        expect_route(&g, 40, 2.8, 41, 0.2, 3.4, 3.8);
        expect_edge_path(&g, 20, 21, 24, 23, "ab,be,ef,de");
        expect_edge_path(&g, 20, 21, 24, 25, "ab,be,ef");
        expect_edge_path(&g, 22, 21, 24, 23, "bc,be,de");
        /* 3: the via way is two edges (signals at g), a restriction from each side */
        expect_route(&g, 80, 0.2, 81, 0.2, 4.4, 4.8);
        expect_route(&g, 80, 0.2, 81, 1.8, 2.4, 2.8);
        expect_route(&g, 80, 2.8, 81, 0.2, 3.4, 3.8);
        expect_route(&g, 80, 2.8, 81, 1.8, 5.4, 5.8); /* c -> f by a U-turn at d */
        expect_edge_path(&g, 30, 31, 34, 33, "ab,be,ef,de");
        expect_edge_path(&g, 30, 31, 34, 35, "ab,be,ef");
        expect_edge_path(&g, 32, 31, 34, 33, "bc,be,de");
        expect_edge_path(&g, 32, 31, 34, 35, "bc,be,de,ef");
        /* 4: no dodging the ban by turning round twice on the via way */
        expect_route(&g, 120, 0.2, 121, 0.2, 12.4, 12.8);
        eng_close(&g);
    }
    net_close(&n);
}

/* multi_via.txt: restrictions through several via ways, on ENG (built from the OSM file or
 * from a network file written and read back). */
static void
multi_via_checks(const struct eng *g)
{
    /* 1: a restriction inside another: from ab neither eh nor fi; from bc not eh */
    expect_edge_path(g, 100, 101, 107, 110, "ab,bc,cd,de,ef,fg,gj,ji,ih,hx");
    expect_edge_path(g, 101, 102, 107, 110, "bc,cd,de,ef,fi,ih,hx");
    expect_edge_path(g, 102, 103, 107, 110, "cd,de,eh,hx");
    expect_edge_path(g, 103, 104, 107, 110, "de,eh,hx");
    expect_route(g, 0.2, 2, 3.2, 0, 14.4, 14.8); /* round by g: 14.6 units, not 6.6 */
    /* 2: no U-turn across the dual carriageway through dh, hi (or ie, ed) */
    expect_edge_path(g, 200, 203, 204, 201, NULL);
    expect_edge_path(g, 211, 208, 207, 210, NULL);
    expect_edge_path(g, 206, 207, 204, 201, "gh,hi,ie,eb");
    expect_edge_path(g, 206, 207, 203, 202, "gh,hi,ie,ed,dc");
    expect_edge_path(g, 205, 204, 208, 209, "fe,ed,dh,hi,ij");
    expect_edge_path(g, 200, 203, 208, 209, "ad,dh,hi,ij");
    expect_edge_path(g, 200, 203, 203, 202, "ad,dc");
    expect_edge_path(g, 211, 208, 208, 209, "li,ij");
    /* 3: via ways sharing nodes with the from and to ways: round twice */
    expect_edge_path(g, 300, 304, 302, 300, "enter,right,up,left,down,right,up,left,exit");
    expect_edge_path(g, 304, 305, 302, 300, "enter,right,up,left,down,right,up,left,exit");
    expect_edge_path(g, 302, 305, 302, 300, "down,right,up,left,exit");
    /* 4: two only_ restrictions, one beginning on the other's last via way */
    expect_edge_path(g, 400, 401, 404, 405, NULL);
    expect_edge_path(g, 400, 401, 404, 406, NULL);
    expect_edge_path(g, 400, 401, 408, 409, NULL);
    expect_edge_path(g, 400, 401, 408, 410, NULL);
    expect_edge_path(g, 400, 401, 408, 411, "ab,bd,de,ei,ik,km");
    expect_edge_path(g, 402, 401, 404, 405, "cb,bd,de,ef");
    expect_edge_path(g, 402, 401, 408, 409, NULL);
    expect_edge_path(g, 402, 401, 408, 411, "cb,bd,de,ei,ik,km");
    expect_edge_path(g, 407, 408, 408, 409, "ik,kj");
    expect_route(g, 120, 1.8, 124.8, 1, 5.4, 5.8);
    /* 5: via ways of several edges entered at their last node */
    expect_edge_path(g, 500, 501, 506, 507, "ab,bcd,defg,gh");
    expect_edge_path(g, 500, 501, 506, 510, NULL);
    expect_edge_path(g, 500, 501, 502, 508, "ab,bcd,ci");
    assert_int_equal(g->e.tg->via_way_restrictions, 8);
}

static void
multi_via_drawn(void **state)
{
    struct cr_import_stats stats;
    struct cr_error err = { 0 };
    struct net n;

    (void)state;
    memset(&stats, 0, sizeof stats);
    assert_non_null(n.b = cr_osm_build(MULTI_MAP, NULL, &stats, &err));
    n.v = cr_netbuild_view(n.b);
    assert_non_null(n.snap = cr_snap_index_create(n.v, &err));
    assert_int_equal(stats.restrictions, 8);
    assert_int_equal(stats.restrictions_invalid[CR_RESTRICTION_VIA_APART], 2);
    assert_non_null(strstr(n.v->meta, "\"via_ways_apart\":2"));
    /* the extra via ways: 1 (3 more), 1 (1), 2 (1), 2 (1), 3 (2), 4 (1), 4 (1), 5 (1) */
    assert_int_equal(n.v->restriction_via_size, 2 * 8 + 3 + 1 + 1 + 1 + 2 + 1 + 1 + 1);
    for (int with_ch = 0; with_ch < 2; with_ch++) {
        struct eng g;
        eng_open(&g, &n, "car", with_ch);
        multi_via_checks(&g);
        eng_close(&g);
    }
    net_close(&n);
}

/* The extra via ways go through a network file (section restriction.via); a file without the
 * section (written before it) still opens, its restrictions cut to their first via way. */
static void
multi_via_file(void **state)
{
    char path[512];
    struct cr_error err = { 0 };
    struct net n, f;
    struct cr_graph *gr;
    struct cr_graph_view old;

    (void)state;
    net_open(&n, MULTI_MAP);
    snprintf(path, sizeof path, "%s/test_turnrules_multi_via.corr", CR_BINARY_DIR);
    if (cr_graph_write(n.v, path, &err) || !(gr = cr_graph_open(path, &err)))
        fail_msg("%s", err.msg);
    f.b = NULL;
    f.v = cr_graph_view(gr);
    assert_int_equal(f.v->restriction_via_size, n.v->restriction_via_size);
    assert_memory_equal(f.v->restriction_via, n.v->restriction_via,
                        n.v->restriction_via_size * sizeof *n.v->restriction_via);
    assert_non_null(f.snap = cr_snap_index_create(f.v, &err));
    for (int with_ch = 0; with_ch < 2; with_ch++) {
        struct eng g;
        eng_open(&g, &f, "car", with_ch);
        multi_via_checks(&g);
        eng_close(&g);
    }
    cr_snap_index_destroy(f.snap);
    cr_graph_close(gr);
    old = *n.v;
    old.restriction_via = NULL;
    old.restriction_via_size = 0;
    if (cr_graph_write(&old, path, &err) || !(gr = cr_graph_open(path, &err)))
        fail_msg("%s", err.msg);
    assert_null(cr_graph_view(gr)->restriction_via);
    assert_int_equal(cr_graph_view(gr)->restriction_via_size, 0);
    assert_int_equal(cr_graph_view(gr)->restriction_count, 8);
    cr_graph_close(gr);
    remove(path);
    net_close(&n);
}

/* multi_via.txt maps 1 and 4 in a matrix and a table: each cell as the route says. */
static void
multi_via_matrix(void **state)
{
    static const double pts[4][2] = { { 0.2, 2 }, { 1.5, 2 }, { 120, 1.8 }, { 120, 0.2 } };
    static const double tps[4][2] = { { 3.2, 0 }, { 124.8, 1 }, { 122, 1.8 }, { 124, 1.8 } };
    struct net n;

    (void)state;
    net_open(&n, MULTI_MAP);
    for (int with_ch = 0; with_ch < 2; with_ch++) {
        struct eng g;
        struct cr_place src[4], dst[4];
        struct cr_error err = { 0 };
        uint64_t w[16];
        struct cr_cell cells[16];
        eng_open(&g, &n, "car", with_ch);
        for (int i = 0; i < 4; i++)
            if (cr_engine_place(&g.e, 1060000000 + (int32_t)lround(pts[i][0] * U),
                                100000000 + (int32_t)lround(pts[i][1] * U), &src[i], &err) ||
                cr_engine_place(&g.e, 1060000000 + (int32_t)lround(tps[i][0] * U),
                                100000000 + (int32_t)lround(tps[i][1] * U), &dst[i], &err))
                fail_msg("%s", err.msg);
        if (cr_router_matrix(g.r, src, 4, dst, 4, w, &err) ||
            cr_router_cells(g.r, src, 4, dst, 4, cells, &err))
            fail_msg("%s", err.msg);
        for (int i = 0; i < 16; i++) {
            uint64_t one = cr_router_weight(g.r, &src[i / 4], &dst[i % 4]);
            if (w[i] != one || cells[i].weight != one)
                fail_msg("%s cell %d,%d: matrix %llu, table %llu, route %llu",
                         with_ch ? "ch" : "dijkstra", i / 4, i % 4, (unsigned long long)w[i],
                         (unsigned long long)cells[i].weight, (unsigned long long)one);
        }
        /* from ab round by g (14.6 units), from bc by fi (9.3), a -> m 5.6; c -> j none */
        if (!(cells[0].distance_m > 14.4 * 110 && cells[0].distance_m < 14.8 * 110) ||
            !(cells[4].distance_m > 9.1 * 110 && cells[4].distance_m < 9.5 * 110) ||
            !(cells[2 * 4 + 1].distance_m > 5.4 * 110 && cells[2 * 4 + 1].distance_m < 5.8 * 110))
            fail_msg("%s: %.0f m, %.0f m, %.0f m", with_ch ? "ch" : "dijkstra", cells[0].distance_m,
                     cells[4].distance_m, cells[2 * 4 + 1].distance_m);
        assert_true(w[3 * 4 + 3] == UINT64_MAX);
        eng_close(&g);
    }
    net_close(&n);
}

/* Matrices and tables: each cell as the route says, with the CH and with Dijkstra. */
static void
via_way_and_destination_matrix(void **state)
{
    static const char *const maps[] = { VIA_MAP, DEST_MAP };
    static const double pts[2][4][2] = {
        { { 0, 0.2 }, { 0, 2.8 }, { 80, 0.2 }, { 80, 2.8 } }, /* sources */
        { { 0.2, 1.8 }, { 2, 1 }, { 120.2, 0 }, { 122, 1 } },
    };
    static const double tps[2][4][2] = {
        { { 1, 0.2 }, { 1, 1.8 }, { 81, 0.2 }, { 81, 1.8 } }, /* targets */
        { { 3.8, 1.8 }, { 0.2, 1.8 }, { 122.5, 2 }, { 120.2, 0 } },
    };
    (void)state;
    for (int m = 0; m < 2; m++) {
        struct net n;
        net_open(&n, maps[m]);
        for (int with_ch = 0; with_ch < 2; with_ch++) {
            struct eng g;
            struct cr_place src[4], dst[4];
            struct cr_error err = { 0 };
            uint64_t w[16];
            struct cr_cell cells[16];
            eng_open(&g, &n, m ? "truck" : "car", with_ch);
            for (int i = 0; i < 4; i++) {
                if (cr_engine_place(&g.e, 1060000000 + (int32_t)lround(pts[m][i][0] * U),
                                    100000000 + (int32_t)lround(pts[m][i][1] * U), &src[i], &err) ||
                    cr_engine_place(&g.e, 1060000000 + (int32_t)lround(tps[m][i][0] * U),
                                    100000000 + (int32_t)lround(tps[m][i][1] * U), &dst[i], &err))
                    fail_msg("%s", err.msg);
            }
            if (cr_router_matrix(g.r, src, 4, dst, 4, w, &err) ||
                cr_router_cells(g.r, src, 4, dst, 4, cells, &err))
                fail_msg("%s", err.msg);
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) {
                    uint64_t one = cr_router_weight(g.r, &src[i], &dst[j]);
                    if (w[i * 4 + j] != one || cells[i * 4 + j].weight != one)
                        fail_msg(
                            "%s %s cell %d,%d: matrix %llu, table %llu, route %llu", maps[m],
                            with_ch ? "ch" : "dijkstra", i, j, (unsigned long long)w[i * 4 + j],
                            (unsigned long long)cells[i * 4 + j].weight, (unsigned long long)one);
                }
            if (m == 0) {
                /* a -> d goes round by f (5 units of about 110 m, not 3) */
                assert_true(cells[0].distance_m > 4.5 * 110);
                if (!(cells[1 * 4 + 0].distance_m < 3.8 * 110)) /* c -> d: bc, be, de */
                    fail_msg("c -> d: %.0f m", cells[1 * 4 + 0].distance_m);
                assert_true(cells[2 * 4 + 2].distance_m > 4.5 * 110);
            } else {
                /* a -> e: round by x and y, not across the destination street */
                assert_true(cells[0].distance_m > 7.5 * 110);
                assert_true(cells[2 * 4 + 2].distance_m > 11 * 110); /* round the factory */
                assert_true(cells[3 * 4 + 3].weight != UINT64_MAX);  /* out of it */
            }
            eng_close(&g);
        }
        net_close(&n);
    }
}

/* A real via-way restriction: relation 10837377 in Liechtenstein (Balzers), no_u_turn from
 * Landstrasse (way 902086908, one carriageway) via Ramschwagweg (781496949, a few metres across
 * the median) to Landstrasse (119017327, the other carriageway). Without it, the U-turn
 * through Ramschwagweg is the way back; with it, the route goes elsewhere. */
static void
via_way_real(void **state)
{
    struct net n;
    struct cr_graph_view bare;

    (void)state;
    net_open(&n, REAL_MAP);
    bare = *n.v;
    bare.restriction_count = 0;
    for (int with_ch = 0; with_ch < 2; with_ch++) {
        struct eng g, plain;
        struct net nb = n;
        uint32_t from = CR_NO_EDGE, to = CR_NO_EDGE, w, w0;
        char names[1024], names0[1024];
        eng_open(&g, &n, "car", with_ch);
        nb.v = &bare;
        eng_open(&plain, &nb, "car", with_ch);
        assert_true(g.e.tg->via_way_restrictions >= 1);
        assert_int_equal(plain.e.tg->via_way_restrictions, 0);
        /* the edge of way 902086908 into node 6342043061, and the edge of 119017327 out of
         * node 50029740 */
        for (uint32_t e = 0; e < n.v->edge_count; e++) {
            const struct cr_way_attr *wa =
                &n.v->ways[n.v->segment_way[n.v->edge_segment[e] & ~CR_SEGMENT_REVERSED]];
            if (wa->osm_id == 902086908 && n.v->osm_id[n.v->head[e]] == 6342043061)
                from = e;
            if (wa->osm_id == 119017327) {
                for (uint32_t u = 0; u < n.v->node_count; u++)
                    if (n.v->osm_id[u] == 50029740 && e >= n.v->first_out[u] &&
                        e < n.v->first_out[u + 1])
                        to = e;
            }
        }
        assert_true(from != CR_NO_EDGE && to != CR_NO_EDGE);
        w0 = edge_path(&plain, from, to, names0, sizeof names0);
        w = edge_path(&g, from, to, names, sizeof names);
        /* without the restriction: straight across the median */
        if (w0 == CR_INF || strcmp(names0, "Landstrasse,Ramschwagweg,Landstrasse") != 0)
            fail_msg("without the restriction: \"%s\"", names0);
        /* with it: a longer way, not through Ramschwagweg */
        if (w == CR_INF || w <= w0 || strstr(names, "Ramschwagweg"))
            fail_msg("with the restriction: \"%s\" (%u, was %u)", names, w, w0);
        eng_close(&g);
        eng_close(&plain);
    }
    net_close(&n);
}

/* ---- CH = Dijkstra with copies ---------------------------------------------------------- */

/* Edge to edge, every pair on the drawn maps and PAIRS random pairs on a real extract. */
static void
ch_equals_dijkstra_on(const char *path, int pairs, int want_copies, int min_reachable_pct)
{
    static const char *const profiles[] = { "car", "motorcycle", "truck" };
    struct net n;

    net_open(&n, path);
    for (size_t pi = 0; pi < 3; pi++) {
        struct eng plain, fast;
        uint32_t base, compared = 0, reachable = 0;
        eng_open(&plain, &n, profiles[pi], 0);
        eng_open(&fast, &n, profiles[pi], 1);
        base = plain.e.tg->base_count;
        if (want_copies && pi != 1)
            assert_true(plain.e.tg->destination_copies + plain.e.tg->via_way_restrictions > 0);
        for (uint32_t i = 0; pairs ? i < (uint32_t)pairs : i < base * base; i++) {
            uint32_t x = pairs ? next_rand() % base : i / base,
                     y = pairs ? next_rand() % base : i % base;
            uint32_t ex = plain.e.tg->edge_of[x], ey = plain.e.tg->edge_of[y], wp, wf;
            if (plain.e.tg->node_of_edge[ex] != x)
                continue; /* sources start on first nodes */
            wp = edge_path(&plain, ex, ey, NULL, 0);
            wf = edge_path(&fast, ex, ey, NULL, 0);
            if (wp != wf)
                fail_msg("%s %s: edge %u -> %u: dijkstra %u, ch %u", path, profiles[pi], ex, ey, wp,
                         wf);
            compared++;
            reachable += wp != CR_INF;
        }
        if (reachable * 100 < compared * (uint32_t)min_reachable_pct)
            fail_msg("%s %s: %u of %u pairs reachable", path, profiles[pi], reachable, compared);
        eng_close(&plain);
        eng_close(&fast);
    }
    net_close(&n);
}

static void
ch_equals_dijkstra_with_copies(void **state)
{
    char path[512];

    (void)state;
    ch_equals_dijkstra_on(DEST_MAP, 0, 1, 10);
    ch_equals_dijkstra_on(VIA_MAP, 0, 1, 10);
    ch_equals_dijkstra_on(MULTI_MAP, 0, 1, 5); /* five maps apart, mostly one-way */
    ch_equals_dijkstra_on(REAL_MAP, 2000, 1, 50);
    snprintf(path, sizeof path, "%s/datasets/osrm-monaco.osm.pbf", CR_SOURCE_DIR);
    ch_equals_dijkstra_on(path, 1000, 1, 50);
}

/* The components see a copy as its edge: a private road is in the component of the street it
 * hangs off, and sizes count each edge once. */
static void
components_map_copies(void **state)
{
    struct net n;
    struct eng g;
    const struct cr_turngraph *tg;
    uint64_t total = 0, lcc_size = 0;

    (void)state;
    net_open(&n, DEST_MAP);
    eng_open(&g, &n, "truck", 0);
    tg = g.e.tg;
    assert_true(tg->base_count > tg->node_of_edge[n.v->edge_count - 1] + 1 ||
                tg->destination_copies > 0);
    for (uint32_t x = 0; x < tg->base_count; x++) {
        uint32_t first = tg->node_of_edge[tg->edge_of[x]];
        assert_true(tg->comp[x] < tg->comp_count);
        assert_int_equal(tg->comp[x], tg->comp[first]);
        assert_int_equal(tg->in_lcc[x], tg->comp[x] == tg->lcc);
    }
    for (uint32_t c = 0; c < tg->comp_count; c++) {
        total += tg->comp_size[c];
        if (tg->comp_size[c] > lcc_size)
            lcc_size = tg->comp_size[c];
    }
    assert_int_equal(lcc_size, tg->comp_size[tg->lcc]);
    {
        uint64_t want = 0;
        for (uint32_t e = 0; e < n.v->edge_count; e++)
            if (tg->node_of_edge[e] != CR_INF)
                want += 1 + n.v->segment_length_cm[n.v->edge_segment[e] & ~CR_SEGMENT_REVERSED];
        assert_int_equal(total, want);
    }
    /* the factory road is in the park's component */
    assert_int_equal(tg->comp[tg->node_of_edge[edge_by_osm(n.v, 41, 43)]],
                     tg->comp[tg->node_of_edge[edge_by_osm(n.v, 40, 41)]]);
    eng_close(&g);
    net_close(&n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(destination_car_truck),
        cmocka_unit_test(destination_motorcycle),
        cmocka_unit_test(private_factory_road),
        cmocka_unit_test(via_way_drawn),
        cmocka_unit_test(via_way_and_destination_matrix),
        cmocka_unit_test(via_way_real),
        cmocka_unit_test(ch_equals_dijkstra_with_copies),
        cmocka_unit_test(components_map_copies),
        cmocka_unit_test(multi_via_drawn),
        cmocka_unit_test(multi_via_file),
        cmocka_unit_test(multi_via_matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
