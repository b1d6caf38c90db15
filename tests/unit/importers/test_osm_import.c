/* The importer's rules on tests/maps/import_basic.osm, drawn in tests/maps/import_basic.txt. */
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
#include "importers/osm/osm_import.h"

#define FIXTURE CR_SOURCE_DIR "/tests/maps/import_basic.osm"

static struct cr_netbuild *
build(unsigned modes, struct cr_import_stats *stats)
{
    struct cr_import_options opt = { 0 };
    struct cr_error err = { 0 };
    struct cr_netbuild *b;

    opt.modes = modes;
    b = cr_osm_build(FIXTURE, &opt, stats, &err);
    if (!b)
        fail_msg("%s", err.msg);
    return b;
}

static uint32_t
node_of(const struct cr_graph_view *v, int64_t osm_id, enum cr_group group)
{
    for (uint32_t n = 0; n < v->node_count; n++)
        if (v->osm_id[n] == osm_id && v->group[n] == group)
            return n;
    return CR_NO_NODE;
}

/* The edge tail -> head, or CR_NO_EDGE. */
static uint32_t
edge_between(const struct cr_graph_view *v, uint32_t tail, uint32_t head)
{
    if (tail == CR_NO_NODE || head == CR_NO_NODE)
        return CR_NO_EDGE;
    for (uint32_t e = v->first_out[tail]; e < v->first_out[tail + 1]; e++)
        if (v->head[e] == head)
            return e;
    return CR_NO_EDGE;
}

static void
counts(void **state)
{
    struct cr_import_stats stats;
    struct cr_netbuild *b = build(0, &stats);
    const struct cr_graph_view *v = cr_netbuild_view(b);
    uint32_t by_group[CR_GROUP_COUNT] = { 0 };
    struct cr_error err = { 0 };

    (void)state;
    for (uint32_t n = 0; n < v->node_count; n++)
        by_group[v->group[n]]++;
    assert_int_equal(by_group[CR_GROUP_ROAD], 9);
    assert_int_equal(by_group[CR_GROUP_RAIL], 2);
    assert_int_equal(by_group[CR_GROUP_WATER], 3);
    assert_int_equal(by_group[CR_GROUP_TERMINAL], 2);
    assert_int_equal(v->node_count, 16);
    assert_int_equal(v->segment_count, 8 + 1 + 2 + 4);
    assert_int_equal(v->edge_count, 15 + 2 + 4 + 8);
    assert_int_equal(stats.ways_by_mode[CR_MODE_ROAD], 4);
    assert_int_equal(stats.ways_by_mode[CR_MODE_RAIL], 1);
    assert_int_equal(stats.ways_by_mode[CR_MODE_WATER], 1);
    assert_int_equal(stats.missing_nodes, 1);
    assert_int_equal(stats.restrictions, 1);
    assert_int_equal(v->restriction_count, 1);
    assert_int_equal(v->terminal_count, 2);
    assert_int_equal(v->meta[0], '{'); /* provenance is JSON text */
    assert_non_null(strstr(v->meta, "\"newest_timestamp\":\"2020-05-06T07:08:09Z\""));
    if (cr_graph_validate(v, "import_basic", &err))
        fail_msg("%s", err.msg);
    cr_netbuild_destroy(b);
}

static void
junctions_shapes_and_oneway(void **state)
{
    struct cr_netbuild *b = build(0, NULL);
    const struct cr_graph_view *v = cr_netbuild_view(b);
    uint32_t a = node_of(v, 1, CR_GROUP_ROAD), bb = node_of(v, 2, CR_GROUP_ROAD);
    uint32_t e = node_of(v, 5, CR_GROUP_ROAD), ab, be, seg;
    double want;

    (void)state;
    assert_int_equal(node_of(v, 4, CR_GROUP_ROAD), CR_NO_NODE);  /* d: shape point */
    assert_int_equal(node_of(v, 19, CR_GROUP_ROAD), CR_NO_NODE); /* footway end */
    ab = edge_between(v, a, bb);
    assert_int_not_equal(ab, CR_NO_EDGE);
    assert_int_not_equal(edge_between(v, bb, a), CR_NO_EDGE);
    seg = v->edge_segment[ab] & ~CR_SEGMENT_REVERSED;
    want = cr_geo_geodesic_m(106.0, 10.0, 106.001, 10.0) * 100.0;
    assert_true(abs((int)v->segment_length_cm[seg] - (int)(want + 0.5)) <= 2);
    assert_string_equal(cr_graph_string(v, v->ways[v->segment_way[seg]].name), "Đường Võ Thị Sáu");
    be = edge_between(v, bb, e); /* oneway b -> e, through shape point d */
    assert_int_not_equal(be, CR_NO_EDGE);
    assert_int_equal(edge_between(v, e, bb), CR_NO_EDGE);
    seg = v->edge_segment[be] & ~CR_SEGMENT_REVERSED;
    assert_int_equal(v->segment_first_shape[seg + 1] - v->segment_first_shape[seg], 1);
    assert_int_equal(v->shape_lat_e7[v->segment_first_shape[seg]], 100010000);
    assert_int_equal(v->ways[v->segment_way[seg]].maxspeed_fwd_kmh, 50);
    cr_netbuild_destroy(b);
}

static void
modes_stay_apart(void **state)
{
    struct cr_netbuild *b = build(0, NULL);
    const struct cr_graph_view *v = cr_netbuild_view(b);
    uint32_t h = node_of(v, 6, CR_GROUP_RAIL), g = node_of(v, 7, CR_GROUP_RAIL);

    (void)state;
    /* e is a road node; on the railway it is only a shape point */
    assert_int_not_equal(node_of(v, 5, CR_GROUP_ROAD), CR_NO_NODE);
    assert_int_equal(node_of(v, 5, CR_GROUP_RAIL), CR_NO_NODE);
    assert_int_not_equal(edge_between(v, h, g), CR_NO_EDGE);
    assert_int_not_equal(edge_between(v, g, h), CR_NO_EDGE);
    for (uint32_t n = 0; n < v->node_count; n++)
        for (uint32_t e = v->first_out[n]; e < v->first_out[n + 1]; e++)
            if (v->group[n] != v->group[v->head[e]])
                assert_int_equal(cr_graph_edge_mode(v, e), CR_MODE_TRANSFER);
    cr_netbuild_destroy(b);
}

static void
loop_split_gap_and_barrier(void **state)
{
    struct cr_netbuild *b = build(0, NULL);
    const struct cr_graph_view *v = cr_netbuild_view(b);
    uint32_t c = node_of(v, 3, CR_GROUP_ROAD), j = node_of(v, 9, CR_GROUP_ROAD);
    uint32_t l = node_of(v, 11, CR_GROUP_ROAD), n = node_of(v, 12, CR_GROUP_ROAD);
    uint32_t m = node_of(v, 13, CR_GROUP_ROAD);

    (void)state;
    assert_int_not_equal(j, CR_NO_NODE); /* the loop's middle point */
    assert_int_not_equal(edge_between(v, c, j), CR_NO_EDGE);
    assert_int_not_equal(edge_between(v, j, c), CR_NO_EDGE);
    assert_int_equal(node_of(v, 8, CR_GROUP_ROAD), CR_NO_NODE);
    /* k is a shape point of the loop, made a node because Quay T joins the road there */
    assert_int_not_equal(node_of(v, 10, CR_GROUP_ROAD), CR_NO_NODE);
    assert_int_not_equal(node_of(v, 15, CR_GROUP_WATER), CR_NO_NODE); /* q, likewise */
    assert_int_not_equal(n, CR_NO_NODE);
    assert_int_equal(v->barrier[n], CR_BARRIER_BOLLARD);
    assert_int_not_equal(edge_between(v, l, n), CR_NO_EDGE);
    assert_int_not_equal(edge_between(v, n, m), CR_NO_EDGE);
    assert_int_equal(edge_between(v, node_of(v, 1, CR_GROUP_ROAD), l), CR_NO_EDGE); /* the gap */
    cr_netbuild_destroy(b);
}

static void
largest_component(void **state)
{
    struct cr_netbuild *b = build(0, NULL);
    const struct cr_graph_view *v = cr_netbuild_view(b);
    static const int64_t in[] = { 1, 2, 3, 9 }, out[] = { 5, 11, 12, 13 };

    (void)state;
    for (size_t i = 0; i < 4; i++) {
        assert_true(v->node_flags[node_of(v, in[i], CR_GROUP_ROAD)] & CR_NODE_LCC);
        assert_false(v->node_flags[node_of(v, out[i], CR_GROUP_ROAD)] & CR_NODE_LCC);
    }
    assert_true(v->node_flags[node_of(v, 6, CR_GROUP_RAIL)] & CR_NODE_LCC);
    cr_netbuild_destroy(b);
}

/* The road node a terminal joins is the nearest one in the largest component. */
static void
terminals_join_nearest(void **state)
{
    struct cr_netbuild *b = build(0, NULL);
    const struct cr_graph_view *v = cr_netbuild_view(b);
    int seen = 0;

    (void)state;
    for (uint32_t t = 0; t < v->terminal_count; t++) {
        const struct cr_terminal *tm = &v->terminals[t];
        const char *name = cr_graph_string(v, tm->name);
        uint32_t best = CR_NO_NODE, joined_road = CR_NO_NODE;
        double best_d = 1e300;
        for (uint32_t n = 0; n < v->node_count; n++) {
            double d = cr_geo_distance_m(tm->lon_e7, tm->lat_e7, v->lon_e7[n], v->lat_e7[n]);
            if (v->group[n] == CR_GROUP_ROAD && (v->node_flags[n] & CR_NODE_LCC) && d < best_d) {
                best_d = d;
                best = n;
            }
        }
        for (uint32_t e = v->first_out[tm->node]; e < v->first_out[tm->node + 1]; e++) {
            assert_int_equal(cr_graph_edge_mode(v, e), CR_MODE_TRANSFER);
            assert_int_not_equal(edge_between(v, v->head[e], tm->node), CR_NO_EDGE);
            if (v->group[v->head[e]] == CR_GROUP_ROAD)
                joined_road = v->head[e];
        }
        assert_int_equal(joined_road, best);
        if (!strcmp(name, "Quay T")) {
            assert_int_equal(tm->kind, CR_TERMINAL_QUAY);
            assert_int_equal(tm->linked, (1u << CR_GROUP_ROAD) | (1u << CR_GROUP_WATER));
            seen |= 1;
        } else if (!strcmp(name, "Station U")) {
            assert_int_equal(tm->kind, CR_TERMINAL_RAIL_STATION);
            assert_int_equal(tm->linked, (1u << CR_GROUP_ROAD) | (1u << CR_GROUP_RAIL));
            assert_int_not_equal(edge_between(v, tm->node, node_of(v, 7, CR_GROUP_RAIL)),
                                 CR_NO_EDGE);
            seen |= 2;
        }
    }
    assert_int_equal(seen, 3);
    cr_netbuild_destroy(b);
}

static void
restriction_resolved(void **state)
{
    struct cr_netbuild *b = build(0, NULL);
    const struct cr_graph_view *v = cr_netbuild_view(b);
    const struct cr_restriction *r = &v->restrictions[0];

    (void)state;
    assert_int_equal(v->ways[r->from_way].osm_id, 101);
    assert_int_equal(v->ways[r->to_way].osm_id, 102);
    assert_int_equal(r->via_is_way, 0);
    assert_int_equal(r->via, node_of(v, 2, CR_GROUP_ROAD));
    assert_int_equal(r->kind, CR_RESTRICT_NO);
    assert_int_equal(r->osm_id, 201);
    cr_netbuild_destroy(b);
}

static void
modes_option(void **state)
{
    struct cr_import_stats stats;
    struct cr_netbuild *b = build(1u << CR_GROUP_RAIL, &stats);
    const struct cr_graph_view *v = cr_netbuild_view(b);
    struct cr_import_options opt = { 0 };
    struct cr_error err = { 0 };

    (void)state;
    assert_int_equal(stats.ways_by_mode[CR_MODE_ROAD], 0);
    assert_int_equal(v->terminal_count, 0); /* a station needs road and rail */
    for (uint32_t n = 0; n < v->node_count; n++)
        assert_int_equal(v->group[n], CR_GROUP_RAIL);
    cr_netbuild_destroy(b);
    /* a file with nothing for the modes asked is an error naming the file */
    opt.modes = 1u << CR_GROUP_WATER;
    b = cr_osm_build(CR_SOURCE_DIR "/tests/bad/no_ways.osm", &opt, NULL, &err);
    if (access(CR_SOURCE_DIR "/tests/bad/no_ways.osm", R_OK) == 0) {
        assert_null(b);
        assert_int_equal(err.code, CR_EEMPTY);
        assert_non_null(strstr(err.msg, "no_ways.osm"));
    }
    cr_netbuild_destroy(b);
}

/* Written, mapped and read back, the network equals the one built in memory. */
static void
file_round_trip(void **state)
{
    struct cr_netbuild *b = build(0, NULL);
    const struct cr_graph_view *v = cr_netbuild_view(b), *w;
    char dir[] = "/tmp/corridor-test-XXXXXX", path[64];
    struct cr_error err = { 0 };
    struct cr_graph *g;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/basic.corr", dir);
    if (cr_graph_write(v, path, &err))
        fail_msg("%s", err.msg);
    g = cr_graph_open(path, &err);
    if (!g)
        fail_msg("%s", err.msg);
    w = cr_graph_view(g);
    assert_int_equal(w->node_count, v->node_count);
    assert_int_equal(w->edge_count, v->edge_count);
    assert_memory_equal(w->lon_e7, v->lon_e7, v->node_count * sizeof *v->lon_e7);
    assert_memory_equal(w->first_out, v->first_out, (v->node_count + 1) * sizeof *v->first_out);
    assert_memory_equal(w->head, v->head, v->edge_count * sizeof *v->head);
    assert_memory_equal(w->ways, v->ways, v->way_count * sizeof *v->ways);
    assert_memory_equal(w->terminals, v->terminals, v->terminal_count * sizeof *v->terminals);
    assert_memory_equal(w->strings, v->strings, v->strings_size);
    assert_string_equal(w->meta, v->meta);
    cr_graph_close(g);
    unlink(path);
    rmdir(dir);
    cr_netbuild_destroy(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts),
        cmocka_unit_test(junctions_shapes_and_oneway),
        cmocka_unit_test(modes_stay_apart),
        cmocka_unit_test(loop_split_gap_and_barrier),
        cmocka_unit_test(largest_component),
        cmocka_unit_test(terminals_join_nearest),
        cmocka_unit_test(restriction_resolved),
        cmocka_unit_test(modes_option),
        cmocka_unit_test(file_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
