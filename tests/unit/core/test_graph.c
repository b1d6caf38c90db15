/*
 * The graph: write a hand-made view, open it, get the same arrays back; validate refuses views
 * that point outside their arrays or whose edges and segments disagree.
 *
 *   a ---- b          road, 4 nodes: ab, bc (way 0 "Main Street", two-way)
 *   |      |                          cd   (way 1 "Oneway Lane", oneway c->d)
 *   d <--- c                          da   (way 2, service, two-way)
 *
 *   r1 ==== r2        rail (way 3), two-way, 2 shape points
 *
 *   T                 terminal "Yard" (node 6): transfer edges (way 4) T-b and T-r1
 *
 *   restriction: no turn from way 0 via c to way 1
 *
 * nodes  a0 b1 c2 d3 r1=4 r2=5 T6      segments s0 a-b  s1 b-c  s2 c-d  s3 d-a
 *                                                s4 r1-r2  s5 T-b  s6 T-r1
 * edges (by tail)  0 a->b (s0)   1 a->d (s3 rev)  2 b->a (s0 rev)  3 b->c (s1)  4 b->T (s5 rev)
 *                  5 c->b (s1 rev)  6 c->d (s2)   7 d->a (s3)      8 r1->r2 (s4)
 *                  9 r1->T (s6 rev)  10 r2->r1 (s4 rev)  11 T->b (s5)  12 T->r1 (s6)
 */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/graph.h"
#include "core/netfile.h"

#define R CR_SEGMENT_REVERSED
#define N 7
#define M 13
#define S 7
#define K 3

#define assert_error(rc, err, want_code, want_text)                                                \
    do {                                                                                           \
        assert_int_equal((rc), (want_code));                                                       \
        assert_int_equal((err).code, (want_code));                                                 \
        if (!strstr((err).msg, (want_text)))                                                       \
            fail_msg("message \"%s\" lacks \"%s\"", (err).msg, (want_text));                       \
    } while (0)

static char dir[64];

/* Writable arrays behind a view, so a test can damage one. */
struct fixture {
    int32_t lon_e7[N], lat_e7[N];
    int64_t osm_id[N];
    uint8_t group[N], barrier[N], node_flags[N];
    uint32_t first_out[N + 1];
    uint32_t head[M], edge_segment[M];
    uint32_t segment_way[S], segment_length_cm[S], segment_node[2 * S], segment_edge[2 * S];
    uint32_t segment_first_shape[S + 1];
    int32_t shape_lon_e7[K], shape_lat_e7[K];
    struct cr_way_attr ways[5];
    struct cr_terminal terminals[1];
    struct cr_restriction restrictions[1];
    char strings[32];
    struct cr_graph_view view;
};

static const char strings[] = "\0Main Street\0Oneway Lane\0Yard"; /* 1, 13, 25; 30 bytes */

static void
fixture_init(struct fixture *x)
{
    static const int32_t lon[N] = { 1050000000, 1050010000, 1050010000, 1050000000,
                                    1050020000, 1050030000, 1050015000 };
    static const int32_t lat[N] = { 210010000, 210010000, 210000000, 210000000,
                                    210000000, 210000000, 209995000 };
    static const int64_t osm[N] = { 101, 102, 103, 104, 201, 202, 0 };
    static const uint8_t group[N] = { CR_GROUP_ROAD, CR_GROUP_ROAD, CR_GROUP_ROAD,    CR_GROUP_ROAD,
                                      CR_GROUP_RAIL, CR_GROUP_RAIL, CR_GROUP_TERMINAL };
    static const uint32_t first_out[N + 1] = { 0, 2, 5, 7, 8, 10, 11, 13 };
    static const uint32_t head[M] = { 1, 3, 0, 2, 6, 1, 3, 0, 5, 6, 4, 1, 4 };
    static const uint32_t edge_segment[M] = { 0, 3 | R, 0 | R, 1,     5 | R, 1 | R, 2,
                                              3, 4,     6 | R, 4 | R, 5,     6 };
    static const uint32_t segment_way[S] = { 0, 0, 1, 2, 3, 4, 4 };
    static const uint32_t segment_length_cm[S] = { 10800, 11100, 10800, 11100, 10800, 5000, 6000 };
    static const uint32_t segment_node[2 * S] = { 0, 1, 1, 2, 2, 3, 3, 0, 4, 5, 6, 1, 6, 4 };
    static const uint32_t segment_edge[2 * S] = { 0, 2, 3,  5,  6, CR_NO_EDGE, 7,
                                                  1, 8, 10, 11, 4, 12,         9 };
    static const uint32_t first_shape[S + 1] = { 0, 1, 1, 1, 1, 3, 3, 3 };
    static const int32_t shape_lon[K] = { 1050005000, 1050023000, 1050027000 };
    static const int32_t shape_lat[K] = { 210011000, 210001000, 210001000 };

    memset(x, 0, sizeof *x);
    memcpy(x->lon_e7, lon, sizeof lon);
    memcpy(x->lat_e7, lat, sizeof lat);
    memcpy(x->osm_id, osm, sizeof osm);
    memcpy(x->group, group, sizeof group);
    x->barrier[3] = CR_BARRIER_GATE;
    x->node_flags[0] = CR_NODE_LCC | CR_NODE_TRAFFIC_SIGNALS;
    memcpy(x->first_out, first_out, sizeof first_out);
    memcpy(x->head, head, sizeof head);
    memcpy(x->edge_segment, edge_segment, sizeof edge_segment);
    memcpy(x->segment_way, segment_way, sizeof segment_way);
    memcpy(x->segment_length_cm, segment_length_cm, sizeof segment_length_cm);
    memcpy(x->segment_node, segment_node, sizeof segment_node);
    memcpy(x->segment_edge, segment_edge, sizeof segment_edge);
    memcpy(x->segment_first_shape, first_shape, sizeof first_shape);
    memcpy(x->shape_lon_e7, shape_lon, sizeof shape_lon);
    memcpy(x->shape_lat_e7, shape_lat, sizeof shape_lat);

    x->ways[0] = (struct cr_way_attr){ .osm_id = 1001,
                                       .name = 1,
                                       .mode = CR_MODE_ROAD,
                                       .klass = CR_ROAD_RESIDENTIAL,
                                       .maxspeed_fwd_kmh = 50,
                                       .maxspeed_bwd_kmh = 50,
                                       .lanes = 2 };
    x->ways[1] = (struct cr_way_attr){ .osm_id = 1002,
                                       .name = 13,
                                       .mode = CR_MODE_ROAD,
                                       .klass = CR_ROAD_TERTIARY,
                                       .flags = CR_WAY_ONEWAY,
                                       .maxweight_kg = 12000 };
    x->ways[2] = (struct cr_way_attr){ .osm_id = 1003,
                                       .mode = CR_MODE_ROAD,
                                       .klass = CR_ROAD_SERVICE,
                                       .access = { [CR_VEHICLE_HGV] = CR_ACCESS_NO } };
    x->ways[3] = (struct cr_way_attr){ .osm_id = 2001,
                                       .mode = CR_MODE_RAIL,
                                       .klass = CR_RAIL_RAIL,
                                       .gauge_mm = 1000,
                                       .rail_usage = CR_USAGE_MAIN };
    x->ways[4] = (struct cr_way_attr){ .mode = CR_MODE_TRANSFER, .duration_s = 1800 };
    x->terminals[0] = (struct cr_terminal){ .osm_id = 3001,
                                            .lon_e7 = 1050015000,
                                            .lat_e7 = 209995000,
                                            .node = 6,
                                            .name = 25,
                                            .handling_time_s = CR_TERMINAL_DEFAULT,
                                            .handling_cost = 40,
                                            .modes = 1u << CR_GROUP_ROAD | 1u << CR_GROUP_RAIL,
                                            .linked = 1u << CR_GROUP_ROAD | 1u << CR_GROUP_RAIL,
                                            .source = CR_TERMINAL_OSM_NODE,
                                            .kind = CR_TERMINAL_RAIL_YARD };
    x->restrictions[0] = (struct cr_restriction){
        .from_way = 0, .via = 2, .to_way = 1, .kind = CR_RESTRICT_NO, .osm_id = 9001
    };
    memcpy(x->strings, strings, sizeof strings);

    x->view = (struct cr_graph_view){
        .node_count = N,
        .edge_count = M,
        .segment_count = S,
        .way_count = 5,
        .shape_count = K,
        .terminal_count = 1,
        .restriction_count = 1,
        .strings_size = sizeof strings,
        .lon_e7 = x->lon_e7,
        .lat_e7 = x->lat_e7,
        .osm_id = x->osm_id,
        .group = x->group,
        .barrier = x->barrier,
        .node_flags = x->node_flags,
        .first_out = x->first_out,
        .head = x->head,
        .edge_segment = x->edge_segment,
        .segment_way = x->segment_way,
        .segment_length_cm = x->segment_length_cm,
        .segment_node = x->segment_node,
        .segment_edge = x->segment_edge,
        .segment_first_shape = x->segment_first_shape,
        .shape_lon_e7 = x->shape_lon_e7,
        .shape_lat_e7 = x->shape_lat_e7,
        .ways = x->ways,
        .terminals = x->terminals,
        .restrictions = x->restrictions,
        .strings = x->strings,
        .meta = "{\"source\":\"test\",\"nodes\":7}",
    };
}

static int
group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cr_test_graph_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int
group_teardown(void **state)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    (void)state;
    while (d && (de = readdir(d))) { /* what a failed test left behind */
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    return rmdir(dir);
}

static void
path_in_dir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

#define SAME_ARRAY(field, count)                                                                   \
    do {                                                                                           \
        if ((count) > 0)                                                                           \
            assert_memory_equal(got->field, want->field, (count) * sizeof *want->field);           \
        else                                                                                       \
            assert_non_null(got->field);                                                           \
    } while (0)

static void
assert_same_view(const struct cr_graph_view *got, const struct cr_graph_view *want)
{
    assert_int_equal(got->node_count, want->node_count);
    assert_int_equal(got->edge_count, want->edge_count);
    assert_int_equal(got->segment_count, want->segment_count);
    assert_int_equal(got->way_count, want->way_count);
    assert_int_equal(got->shape_count, want->shape_count);
    assert_int_equal(got->terminal_count, want->terminal_count);
    assert_int_equal(got->restriction_count, want->restriction_count);
    assert_int_equal(got->strings_size, want->strings_size);
    const size_t n = want->node_count, m = want->edge_count, s = want->segment_count;
    SAME_ARRAY(lon_e7, n);
    SAME_ARRAY(lat_e7, n);
    SAME_ARRAY(osm_id, n);
    SAME_ARRAY(group, n);
    SAME_ARRAY(barrier, n);
    SAME_ARRAY(node_flags, n);
    SAME_ARRAY(first_out, n + 1);
    SAME_ARRAY(head, m);
    SAME_ARRAY(edge_segment, m);
    SAME_ARRAY(segment_way, s);
    SAME_ARRAY(segment_length_cm, s);
    SAME_ARRAY(segment_node, 2 * s);
    SAME_ARRAY(segment_edge, 2 * s);
    SAME_ARRAY(segment_first_shape, s + 1);
    SAME_ARRAY(shape_lon_e7, want->shape_count);
    SAME_ARRAY(shape_lat_e7, want->shape_count);
    SAME_ARRAY(ways, want->way_count);
    SAME_ARRAY(terminals, want->terminal_count);
    SAME_ARRAY(restrictions, want->restriction_count);
    SAME_ARRAY(strings, want->strings_size);
    assert_string_equal(got->meta, want->meta ? want->meta : "");
}

/* ---- round trip ----------------------------------------------------------------------------- */

static void
round_trip(void **state)
{
    struct fixture x;
    struct cr_error err = { 0 };
    char path[PATH_MAX], tmp[PATH_MAX];
    (void)state;
    fixture_init(&x);
    assert_int_equal(cr_graph_validate(&x.view, "fixture", &err), CR_OK);
    path_in_dir(path, sizeof path, "square.corr");
    path_in_dir(tmp, sizeof tmp, "square.corr.tmp");
    if (cr_graph_write(&x.view, path, &err))
        fail_msg("%s", err.msg);
    assert_int_not_equal(access(path, F_OK), -1);
    assert_int_equal(access(tmp, F_OK), -1);

    struct cr_graph *g = cr_graph_open(path, &err);
    if (!g)
        fail_msg("%s", err.msg);
    const struct cr_graph_view *v = cr_graph_view(g);
    assert_same_view(v, &x.view);

    /* the view's helpers on the loaded graph */
    assert_string_equal(cr_graph_string(v, v->ways[0].name), "Main Street");
    assert_string_equal(cr_graph_string(v, v->terminals[0].name), "Yard");
    assert_string_equal(cr_graph_string(v, 9999), "");
    assert_int_equal(cr_graph_edge_mode(v, 6), CR_MODE_ROAD);
    assert_int_equal(cr_graph_edge_mode(v, 10), CR_MODE_RAIL);
    assert_int_equal(cr_graph_edge_mode(v, 12), CR_MODE_TRANSFER);
    cr_graph_close(g);

    /* the same bytes through memory */
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    unsigned char *buf = malloc(8192);
    assert_non_null(buf);
    size_t len = fread(buf, 1, 8192, fp);
    fclose(fp);
    assert_true(len > 0 && len < 8192);
    g = cr_graph_open_mem(buf, len, "mem.corr", &err);
    if (!g)
        fail_msg("%s", err.msg);
    assert_same_view(cr_graph_view(g), &x.view);
    cr_graph_close(g);
    free(buf);
    cr_graph_close(NULL);
    unlink(path);
}

static void
empty_graph(void **state)
{
    static const uint32_t zero = 0;
    struct cr_graph_view e = {
        .first_out = &zero, .segment_first_shape = &zero, .strings = "", .strings_size = 1
    };
    struct cr_error err = { 0 };
    char path[PATH_MAX];
    (void)state;
    path_in_dir(path, sizeof path, "empty.corr");
    if (cr_graph_write(&e, path, &err)) /* NULL arrays become empty sections; meta NULL too */
        fail_msg("%s", err.msg);
    struct cr_graph *g = cr_graph_open(path, &err);
    if (!g)
        fail_msg("%s", err.msg);
    const struct cr_graph_view *v = cr_graph_view(g);
    assert_same_view(v, &e);
    assert_string_equal(v->meta, "");
    cr_graph_close(g);
    unlink(path);
}

/* ---- validate ------------------------------------------------------------------------------- */

static void
expect_invalid(struct fixture *x, const char *want_text)
{
    struct cr_error err = { 0 };
    assert_error(cr_graph_validate(&x->view, "bad.corr", &err), err, CR_EFORMAT, want_text);
    if (strncmp(err.msg, "bad.corr: ", 10) != 0)
        fail_msg("message \"%s\" does not name the file", err.msg);
}

static void
validate_rejects(void **state)
{
    struct fixture x;
    (void)state;

    fixture_init(&x);
    x.head[3] = N;
    expect_invalid(&x, "edge 3: head 7 out of range (7 nodes)");

    fixture_init(&x);
    x.first_out[2] = 1; /* 0, 2, 1, 7: goes down */
    expect_invalid(&x, "node 1: first_out goes down (1 after 2)");

    fixture_init(&x);
    x.first_out[N] = M - 1;
    expect_invalid(&x, "first_out[7] is 12, edge count is 13");

    fixture_init(&x);
    x.first_out[0] = 1;
    expect_invalid(&x, "first_out[0] is 1, not 0");

    fixture_init(&x);
    x.edge_segment[0] = 1; /* a->b claims to be b->c */
    expect_invalid(&x, "edge 0 (0->1) disagrees with its segment 1");

    fixture_init(&x);
    x.edge_segment[7] = 3 | R; /* d->a marked reversed */
    expect_invalid(&x, "edge 7 (3->0) disagrees with its segment 3");

    fixture_init(&x);
    x.edge_segment[3] = S;
    expect_invalid(&x, "edge 3: segment 7 out of range (7 segments)");

    fixture_init(&x);
    x.head[1] = 2; /* a->d now a->c, against segment 3 */
    expect_invalid(&x, "edge 1 (0->2) disagrees");

    fixture_init(&x);
    x.segment_edge[2 * 2 + 1] = 5; /* c-d names c->b as its d->c edge */
    expect_invalid(&x, "segment 2 names edge 5, which belongs to segment 1 (reversed)");

    fixture_init(&x);
    x.segment_edge[2 * 2 + 1] = M;
    expect_invalid(&x, "segment 2: edge 13 out of range (13 edges)");

    fixture_init(&x);
    x.segment_way[4] = 5;
    expect_invalid(&x, "segment 4: way 5 out of range (5 ways)");

    fixture_init(&x);
    x.segment_first_shape[3] = 0; /* 0, 1, 1, 0, 1: goes down */
    expect_invalid(&x, "segment 2: first_shape goes down");

    fixture_init(&x);
    x.segment_first_shape[S] = K + 1;
    x.view.shape_count = K; /* one more than there are */
    expect_invalid(&x, "segment_first_shape runs 0..4, expected 0..3");

    fixture_init(&x);
    x.group[2] = CR_GROUP_COUNT;
    expect_invalid(&x, "node 2: group 4 unknown");

    fixture_init(&x);
    x.barrier[2] = CR_BARRIER_OTHER + 1;
    expect_invalid(&x, "node 2: barrier 7 unknown");

    fixture_init(&x);
    x.ways[3].mode = CR_MODE_COUNT;
    expect_invalid(&x, "way record 3: mode 5 unknown");

    fixture_init(&x);
    x.ways[3].klass = CR_RAIL_CLASS_COUNT;
    expect_invalid(&x, "way record 3: class 3 unknown for rail");

    fixture_init(&x);
    x.ways[1].name = sizeof strings;
    expect_invalid(&x, "way record 1: string offset out of range");

    fixture_init(&x);
    x.terminals[0].node = N;
    expect_invalid(&x, "terminal 0: node 7 out of range (7 nodes)");

    fixture_init(&x);
    x.terminals[0].name = 1000;
    expect_invalid(&x, "terminal 0: name offset 1000 out of range");

    fixture_init(&x);
    x.restrictions[0].to_way = 5;
    expect_invalid(&x, "restriction 0 (relation 9001)");

    fixture_init(&x);
    x.restrictions[0].via = N; /* a via node */
    expect_invalid(&x, "restriction 0 (relation 9001)");

    fixture_init(&x);
    x.restrictions[0].via_is_way = 1; /* via 2 is a way record: fine */
    struct cr_error err = { 0 };
    assert_int_equal(cr_graph_validate(&x.view, "ok", &err), CR_OK);

    fixture_init(&x);
    x.strings[0] = 'X';
    expect_invalid(&x, "strings must start and end with NUL");

    fixture_init(&x);
    x.view.strings_size = sizeof strings - 1; /* last byte 'd' */
    expect_invalid(&x, "strings must start and end with NUL");

    fixture_init(&x);
    x.view.strings_size = 0;
    expect_invalid(&x, "strings must start and end with NUL");

    fixture_init(&x);
    x.view.head = NULL;
    expect_invalid(&x, "head missing");
}

static void
write_refuses_invalid(void **state)
{
    struct fixture x;
    struct cr_error err = { 0 };
    char path[PATH_MAX];
    (void)state;
    fixture_init(&x);
    x.head[0] = 99;
    path_in_dir(path, sizeof path, "never.corr");
    assert_error(cr_graph_write(&x.view, path, &err), err, CR_EFORMAT, "never.corr: edge 0");
    assert_int_equal(access(path, F_OK), -1);
}

/* ---- open refuses netfiles that are no (good) graph ----------------------------------------- */

/* Writes X's sections like cr_graph_write, but without validating, leaving out section SKIP and
 * giving section SHORT one element less. */
static void
write_raw(const struct fixture *x, const char *path, const char *skip, const char *shorter)
{
    const struct cr_graph_view *v = &x->view;
    const struct {
        const char *name;
        const void *data;
        uint32_t elem_size;
        uint64_t count;
    } sections[] = {
        { "node.lon_e7", v->lon_e7, 4, N },
        { "node.lat_e7", v->lat_e7, 4, N },
        { "node.osm_id", v->osm_id, 8, N },
        { "node.group", v->group, 1, N },
        { "node.barrier", v->barrier, 1, N },
        { "node.flags", v->node_flags, 1, N },
        { "node.first_out", v->first_out, 4, N + 1 },
        { "edge.head", v->head, 4, M },
        { "edge.segment", v->edge_segment, 4, M },
        { "segment.way", v->segment_way, 4, S },
        { "segment.length_cm", v->segment_length_cm, 4, S },
        { "segment.node", v->segment_node, 4, 2 * S },
        { "segment.edge", v->segment_edge, 4, 2 * S },
        { "segment.first_shape", v->segment_first_shape, 4, S + 1 },
        { "shape.lon_e7", v->shape_lon_e7, 4, K },
        { "shape.lat_e7", v->shape_lat_e7, 4, K },
        { "way.attr", v->ways, sizeof(struct cr_way_attr), 5 },
        { "terminal", v->terminals, sizeof(struct cr_terminal), 1 },
        { "restriction", v->restrictions, sizeof(struct cr_restriction), 1 },
        { "strings", v->strings, 1, v->strings_size },
        { "meta", v->meta, 1, strlen(v->meta) }, /* no NUL: only read if "meta" is SHORT */
    };
    struct cr_error err = { 0 };
    struct cr_netfile_writer *w = cr_netfile_writer_create(path, &err);
    assert_non_null(w);
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        uint64_t count = sections[i].count;
        if (skip && strcmp(sections[i].name, skip) == 0)
            continue;
        if (strcmp(sections[i].name, "meta") == 0 && !(shorter && strcmp(shorter, "meta") == 0))
            count++; /* with its NUL */
        else if (shorter && strcmp(sections[i].name, shorter) == 0)
            count--;
        if (cr_netfile_writer_add(w, sections[i].name, sections[i].data, sections[i].elem_size,
                                  count, &err))
            fail_msg("%s", err.msg);
    }
    if (cr_netfile_writer_commit(w, &err))
        fail_msg("%s", err.msg);
    cr_netfile_writer_destroy(w);
}

static void
open_rejects(void **state)
{
    static const struct {
        const char *skip, *shorter, *text;
    } cases[] = {
        { NULL, "node.lat_e7", "section node.lat_e7: 6 elements, expected 7 (node count)" },
        { NULL, "node.first_out", "section node.first_out: 7 elements, expected 8" },
        { NULL, "edge.segment", "section edge.segment: 12 elements, expected 13" },
        { NULL, "segment.node", "section segment.node: 13 elements, expected 14" },
        { NULL, "segment.first_shape", "section segment.first_shape: 7 elements, expected 8" },
        { NULL, "shape.lat_e7", "section shape.lat_e7: 2 elements, expected 3" },
        { NULL, "meta", "section meta: not NUL-terminated" },
        { NULL, "edge.head", "section edge.segment: 13 elements, expected 12" },
        { "node.group", NULL, "no section node.group: not a corridor graph" },
        { "meta", NULL, "no section meta" },
    };
    struct fixture x;
    struct cr_error err;
    char path[PATH_MAX];
    (void)state;
    fixture_init(&x);
    path_in_dir(path, sizeof path, "raw.corr");
    write_raw(&x, path, NULL, NULL); /* as is: opens */
    struct cr_graph *g = cr_graph_open(path, &err);
    if (!g)
        fail_msg("%s", err.msg);
    assert_same_view(cr_graph_view(g), &x.view);
    cr_graph_close(g);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err = (struct cr_error){ 0 };
        write_raw(&x, path, cases[i].skip, cases[i].shorter);
        assert_null(cr_graph_open(path, &err));
        assert_int_equal(err.code, CR_EFORMAT);
        if (!strstr(err.msg, cases[i].text) || !strstr(err.msg, "raw.corr: "))
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err.msg, cases[i].text);
    }

    /* a good container whose arrays point outside: validate runs on open */
    x.head[5] = 1000;
    write_raw(&x, path, NULL, NULL);
    assert_null(cr_graph_open(path, &err));
    assert_error(CR_EFORMAT, err, CR_EFORMAT, "raw.corr: edge 5: head 1000 out of range");

    /* a section of the wrong element size */
    struct cr_netfile_writer *w = cr_netfile_writer_create(path, &err);
    assert_non_null(w);
    assert_int_equal(cr_netfile_writer_add(w, "node.lon_e7", x.osm_id, 8, N, &err), CR_OK);
    assert_int_equal(cr_netfile_writer_commit(w, &err), CR_OK);
    cr_netfile_writer_destroy(w);
    assert_null(cr_graph_open(path, &err));
    assert_error(CR_EFORMAT, err, CR_EFORMAT, "section node.lon_e7: element size 8, expected 4");

    unlink(path);
    assert_null(cr_graph_open(path, &err));
    assert_error(CR_EIO, err, CR_EIO, "raw.corr: No such file or directory");
}

/* ---- names ---------------------------------------------------------------------------------- */

static void
names(void **state)
{
    (void)state;
    assert_string_equal(cr_mode_name(CR_MODE_ROAD), "road");
    assert_string_equal(cr_mode_name(CR_MODE_TRANSFER), "transfer");
    assert_string_equal(cr_mode_name(CR_MODE_COUNT), "unknown");
    assert_string_equal(cr_mode_name((enum cr_mode) - 1), "unknown");
    assert_string_equal(cr_group_name(CR_GROUP_TERMINAL), "terminal");
    assert_string_equal(cr_group_name(CR_GROUP_COUNT), "unknown");
    assert_string_equal(cr_road_class_name(CR_ROAD_MOTORWAY), "motorway");
    assert_string_equal(cr_road_class_name(CR_ROAD_MOTORWAY_LINK), "motorway_link");
    assert_string_equal(cr_road_class_name(CR_ROAD_LIVING_STREET), "living_street");
    assert_string_equal(cr_road_class_name(CR_ROAD_TRACK), "track");
    assert_string_equal(cr_road_class_name(CR_ROAD_ROAD), "road");
    assert_string_equal(cr_road_class_name(CR_ROAD_CLASS_COUNT), "unknown");
    assert_string_equal(cr_rail_class_name(CR_RAIL_NARROW_GAUGE), "narrow_gauge");
    assert_string_equal(cr_rail_class_name(CR_RAIL_CLASS_COUNT), "unknown");
    assert_string_equal(cr_water_class_name(CR_WATER_FAIRWAY), "fairway");
    assert_string_equal(cr_water_class_name(CR_WATER_CLASS_COUNT), "unknown");
    assert_string_equal(cr_terminal_kind_name(CR_TERMINAL_RAIL_STATION), "rail_station");
    assert_string_equal(cr_terminal_kind_name(CR_TERMINAL_ICD), "icd");
    assert_string_equal(cr_terminal_kind_name(CR_TERMINAL_OTHER), "other");
    assert_string_equal(cr_terminal_kind_name((enum cr_terminal_kind)6), "unknown");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),       cmocka_unit_test(empty_graph),
        cmocka_unit_test(validate_rejects), cmocka_unit_test(write_refuses_invalid),
        cmocka_unit_test(open_rejects),     cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
