/* corridor scenario as a library call (importers/scenario/scenario.h) on the bundled Krems
 * extract: adding a road never makes a shortest time longer, closing roads never makes one
 * shorter (seeded pairs of road nodes through the routing session), the new road is joined at
 * its ends and interchanges and nowhere else, the edge mapping, components, terminals and
 * restrictions, and bad input leaving no file. The bypass and the closure area are drawn here
 * for the test (labelled synthetic: no real plan). */
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

#include "core/graph.h"
#include "core/netfile.h"
#include "corridor/import.h"
#include "corridor/routing.h"
#include "importers/scenario/scenario.h"

#define KREMS CR_SOURCE_DIR "/datasets/graphhopper-krems.osm.pbf"
#define DIR CR_BINARY_DIR "/test_scenario_files"
#define BASE DIR "/krems.corr"
#define PAIRS 150
#define NO_TURNS DIR "/car_no_turns.json"

/* A bypass south of the centre of Krems: from a primary junction in the west to the east,
 * crossing roads on the way; two interchanges (near OSM nodes 148337263 and 83637432). */
static const char bypass[] =
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
    "{\"name\":\"Test bypass\",\"highway\":\"trunk\",\"maxspeed\":100,\"oneway\":\"no\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[15.5995,48.4080],[15.610,48.399],"
    "[15.625,48.400],[15.645,48.401],[15.6565,48.4056]]}}]}";
static const char interchanges[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[15.6248,48.4000]}},"
    "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[15.6481,48.4022]}}]}";
static const char closure[] =
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[15.605,48.405],[15.615,48.405],"
    "[15.615,48.412],[15.605,48.412],[15.605,48.405]]]}}]}";

static void
write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* profiles/car.json with "turn_penalty_s": 0. */
static void
write_no_turns(void)
{
    FILE *f = fopen(CR_SOURCE_DIR "/profiles/car.json", "r"), *g = fopen(NO_TURNS, "w");
    char line[1024];

    assert_non_null(f);
    assert_non_null(g);
    while (fgets(line, sizeof line, f))
        fputs(strstr(line, "\"turn_penalty_s\"") ? "  \"turn_penalty_s\": 0,\n" : line, g);
    fclose(f);
    fclose(g);
}

static int
setup(void **state)
{
    struct cr_import_options opt = { 0 };
    struct cr_error err = { 0 };

    (void)state;
    if (system("mkdir -p " DIR) != 0)
        return -1;
    if (cr_osm_import(KREMS, BASE, &opt, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    write_no_turns();
    write_text(DIR "/bypass.geojson", bypass);
    write_text(DIR "/interchanges.geojson", interchanges);
    write_text(DIR "/closure.geojson", closure);
    write_text(DIR "/empty.geojson", "{\"type\":\"FeatureCollection\",\"features\":[]}");
    write_text(DIR "/far.geojson",
               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
               "\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
               "[[106.7,10.7],[106.8,10.8]]}}]}");
    write_text(DIR "/ic_far.geojson",
               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
               "\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":"
               "[15.70,48.38]}}]}");
    return 0;
}

static void
build(const char *out, const char *add, const char *ics, const char *close,
      struct cr_scenario_stats *st)
{
    struct cr_scenario_options o = {
        .base = BASE, .output = out, .add = add, .interchanges = ics, .close = close, .name = "test"
    };
    struct cr_error err = { 0 };

    unlink(out);
    if (cr_scenario_build(&o, st, &err))
        fail_msg("%s", err.msg);
}

struct side {
    struct cr_graph *g;
    struct cr_session *s;
    struct cr_router *r;
};

/* The car profile without turn penalties (written in setup): a new junction on a base road
 * gives a through route there the profile's turn penalty for its (small) angle, as the same
 * junction mapped in OSM would, so "never longer" holds exactly only without them
 * (docs/scenario.md, "Limits"). */

static void
side_open(struct side *x, const char *path)
{
    struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };

    o.ch = CR_CH_NEVER;
    o.profile = NO_TURNS;
    assert_non_null(x->g = cr_graph_open(path, &err));
    assert_non_null(x->s = cr_session_open(x->g, &o, &err));
    assert_non_null(x->r = cr_session_router_create(x->s, &err));
}

static void
side_close(struct side *x)
{
    cr_router_destroy(x->r);
    cr_session_close(x->s);
    cr_graph_close(x->g);
}

/* Whether a route from (LON, LAT) starts right there (not snapped to another road because the
 * closure took the roads there, or left them outside the largest component). */
static int
snaps_in_place(struct side *x, int32_t lon, int32_t lat)
{
    struct cr_nearest near;

    return cr_session_nearest(x->s, lon, lat, NULL, 1, &near, NULL) == 1 && near.distance_m < 0.01;
}

/* The route's duration from A to B (node coordinates), or NAN when there is none (or an end
 * no longer snaps in place). */
static double
duration(struct side *x, int32_t alon, int32_t alat, int32_t blon, int32_t blat)
{
    int32_t lon[2] = { alon, blon }, lat[2] = { alat, blat };
    struct cr_route *r = NULL;
    double t;

    if (!snaps_in_place(x, alon, alat) || !snaps_in_place(x, blon, blat))
        return NAN;
    if (cr_route_compute(x->r, lon, lat, 2, NULL, &r, NULL))
        return NAN;
    t = cr_route_duration_s(r);
    cr_route_destroy(r);
    return t;
}

/* xorshift64, seeded: the same pairs every run. */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t
next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

/* Road nodes of the base's largest component. caller frees: free() */
static uint32_t *
road_nodes(const struct cr_graph_view *v, size_t *n)
{
    uint32_t *out = malloc(v->node_count * sizeof *out);
    *n = 0;
    for (uint32_t i = 0; i < v->node_count; i++)
        if (v->group[i] == CR_GROUP_ROAD && (v->node_flags[i] & CR_NODE_LCC))
            out[(*n)++] = i;
    return out;
}

/* Routes PAIRS seeded pairs before and after; SIGN +1: after <= before (added roads), -1:
 * after >= before or unreachable (closures). Returns how many changed; *COMPARED gets how many
 * pairs had a time on both networks. */
static int
compare_pairs(const char *after_path, int sign, int *compared)
{
    struct side before, after;
    const struct cr_graph_view *v;
    uint32_t *nodes;
    size_t n;
    int changed = 0;

    side_open(&before, BASE);
    side_open(&after, after_path);
    v = cr_graph_view(before.g);
    nodes = road_nodes(v, &n);
    assert_true(n > 100);
    for (int i = 0; i < PAIRS; i++) {
        uint32_t a = nodes[next_rand() % n], b = nodes[next_rand() % n];
        double t0 = duration(&before, v->lon_e7[a], v->lat_e7[a], v->lon_e7[b], v->lat_e7[b]);
        double t1 = duration(&after, v->lon_e7[a], v->lat_e7[a], v->lon_e7[b], v->lat_e7[b]);
        if (isnan(t0))
            continue;
        if (sign > 0) {
            if (isnan(t1) || t1 > t0 + 1e-6)
                fail_msg("pair %d (nodes %u, %u): %.3f s before, %.3f s with the bypass", i, a, b,
                         t0, t1);
        } else if (!isnan(t1) && t1 < t0 - 1e-6) {
            fail_msg("pair %d (nodes %u, %u): %.3f s before, %.3f s after the closure", i, a, b, t0,
                     t1);
        }
        changed += isnan(t1) || fabs(t1 - t0) > 1e-6;
        *compared += !isnan(t1);
    }
    free(nodes);
    side_close(&before);
    side_close(&after);
    return changed;
}

static void
test_add_never_longer(void **state)
{
    struct cr_scenario_stats st;
    int compared = 0;

    (void)state;
    build(DIR "/add.corr", DIR "/bypass.geojson", DIR "/interchanges.geojson", NULL, &st);
    assert_int_equal(st.interchanges, 2);
    assert_int_equal(st.end_joins, 2);
    assert_true(st.km_added > 4.0 && st.km_added < 5.0);
    assert_true(compare_pairs(DIR "/add.corr", +1, &compared) > 5); /* the bypass helps some */
    assert_true(compared > PAIRS / 2);
}

static void
test_close_never_shorter(void **state)
{
    struct cr_scenario_stats st;
    int compared = 0;

    (void)state;
    build(DIR "/close.corr", NULL, NULL, DIR "/closure.geojson", &st);
    assert_true(st.segments_closed > 10);
    assert_true(compare_pairs(DIR "/close.corr", -1, &compared) > 5);
    assert_true(compared > PAIRS / 2);
}

/* The new edges of link ways (class trunk_link, added). */
static unsigned
count_links(const struct cr_graph_view *s, const uint32_t *map, uint32_t base_ways)
{
    unsigned n = 0;

    for (uint32_t e = 0; e < s->edge_count; e++) {
        uint32_t w = s->segment_way[s->edge_segment[e] & ~CR_SEGMENT_REVERSED];
        n += map[e] == CR_NO_EDGE && w >= base_ways && s->ways[w].klass == CR_ROAD_TRUNK_LINK;
    }
    return n;
}

/* Only the ends, the interchanges and vertices on nodes join: every new node's edges lead to
 * new segments or to the links; the links are the only new edges touching base nodes. */
static void
test_joins_and_mapping(void **state)
{
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };
    struct cr_graph *gb, *gs;
    const struct cr_graph_view *b, *s;
    const uint32_t *map;
    uint64_t count;

    (void)state;
    build(DIR "/add.corr", DIR "/bypass.geojson", DIR "/interchanges.geojson", NULL, &st);
    assert_non_null(gb = cr_graph_open(BASE, &err));
    assert_non_null(gs = cr_graph_open(DIR "/add.corr", &err));
    b = cr_graph_view(gb);
    s = cr_graph_view(gs);
    map = cr_netfile_section(cr_graph_file(gs), CR_SCENARIO_SECTION, 4, &count, &err);
    assert_non_null(map);
    assert_int_equal(count, s->edge_count);
    for (uint32_t u = 0; u < s->node_count; u++)
        for (uint32_t e = s->first_out[u]; e < s->first_out[u + 1]; e++) {
            uint32_t seg = s->edge_segment[e] & ~CR_SEGMENT_REVERSED, w = s->segment_way[seg];
            if (map[e] != CR_NO_EDGE) { /* a base edge (or a piece of one): the same way */
                uint32_t bseg = b->edge_segment[map[e]] & ~CR_SEGMENT_REVERSED;
                assert_int_equal(w, b->segment_way[bseg]);
                continue;
            }
            assert_true(w >= b->way_count); /* new edges are new ways' */
        }
    assert_int_equal(count_links(s, map, b->way_count), 2 * st.links); /* both ways of each */
    for (uint32_t u = b->node_count; u < s->node_count; u++) {
        int split = 0;
        if (s->group[u] == CR_GROUP_ROAD)
            assert_true(s->node_flags[u] & CR_NODE_LCC); /* joined both ways: one component */
        for (uint32_t e = s->first_out[u]; e < s->first_out[u + 1]; e++)
            split |= map[e] != CR_NO_EDGE;
        if (split)
            continue; /* a base road split where a link joins it */
        for (uint32_t e = s->first_out[u]; e < s->first_out[u + 1]; e++) {
            uint32_t w = s->segment_way[s->edge_segment[e] & ~CR_SEGMENT_REVERSED];
            const struct cr_way_attr *a = &s->ways[w];
            /* a new node: the bypass (trunk) on, or a link (trunk_link) off */
            assert_true(w >= b->way_count);
            assert_true(a->klass == CR_ROAD_TRUNK || a->klass == CR_ROAD_TRUNK_LINK);
        }
    }
    assert_int_equal(s->terminal_count, b->terminal_count);
    assert_memory_equal(s->terminals, b->terminals, b->terminal_count * sizeof *b->terminals);
    assert_int_equal(s->restriction_count, b->restriction_count);
    assert_memory_equal(s->restrictions, b->restrictions,
                        b->restriction_count * sizeof *b->restrictions);
    assert_non_null(strstr(s->meta, "\"scenario\""));
    assert_non_null(strstr(s->meta, "\"base_crc32\""));
    cr_graph_close(gs);
    cr_graph_close(gb);
}

static void
expect_error(const char *add, const char *ics, const char *base, const char *want)
{
    struct cr_scenario_options o = {
        .base = base, .output = DIR "/bad.corr", .add = add, .interchanges = ics
    };
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };

    unlink(DIR "/bad.corr");
    assert_int_not_equal(cr_scenario_build(&o, &st, &err), CR_OK);
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" does not say \"%s\"", err.msg, want);
    assert_int_not_equal(access(DIR "/bad.corr", F_OK), 0);
}

static void
test_bad_input(void **state)
{
    (void)state;
    expect_error(DIR "/empty.geojson", NULL, BASE, "no lines");
    expect_error(DIR "/far.geojson", NULL, BASE, "feature 1: outside the base network's area");
    expect_error(DIR "/bypass.geojson", DIR "/ic_far.geojson", BASE,
                 "ic_far.geojson: feature 1: no new road within 50 m");
    expect_error(DIR "/bypass.geojson", NULL, CR_SOURCE_DIR "/tests/bad/not_a_network.txt",
                 "not_a_network.txt");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_never_longer),
        cmocka_unit_test(test_close_never_shorter),
        cmocka_unit_test(test_joins_and_mapping),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
