/* corridor scenario carries the base network's optional sections (importers/scenario/scenario.c,
 * docs/network-file.md "Optional sections and corridor scenario"): on the bundled District 3
 * extract (real OSM data with destination tags and *:conditional tags), the scenario's
 * way.destination, way.cond and restriction.cond are the base's, byte for byte, and the new ways
 * get none; an optional section the graph does not know (way.test_keyed, written here into a
 * copy of the base: synthetic) is carried byte for byte; one keyed by edge (edge.test) and the
 * base's contraction hierarchy sections are not. The new road is drawn here (synthetic). */
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
#include "importers/scenario/scenario.h"

#define D3 CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm"
#define DIR CR_BINARY_DIR "/test_scenario_carry_files"
#define IMPORTED DIR "/d3.corr"
#define BASE DIR "/d3_extra.corr"
#define OUT DIR "/d3_scenario.corr"
#define ROAD DIR "/road.geojson"

/* A road across the extract, from near Võ Thị Sáu to near Điện Biên Phủ (synthetic). */
static const char road[] =
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
    "{\"name\":\"Test road\",\"highway\":\"primary\",\"destination\":\"Nowhere\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[106.6912152,10.7871442],"
    "[106.6925,10.7866],[106.6937362,10.7865155]]}}]}";

/* way.test_keyed: records "way, value" (the shape lanes or exits would have); edge.test: one
 * u32 per edge (the base's edge ids change in a scenario, so it must not be carried) */
static uint32_t keyed[6] = { 0, 11, 3, 22, 5, 33 };

static int
setup(void **state)
{
    struct cr_import_options opt = { 0 };
    struct cr_error err = { 0 };
    struct cr_graph *g;
    FILE *f;

    (void)state;
    if (system("mkdir -p " DIR) != 0)
        return -1;
    if (cr_osm_import(D3, IMPORTED, &opt, NULL, &err) || !(g = cr_graph_open(IMPORTED, &err))) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    {
        const struct cr_graph_view *v = cr_graph_view(g);
        uint32_t *per_edge = calloc(v->edge_count, sizeof *per_edge);
        const struct cr_graph_section extra[] = {
            { .name = "way.test_keyed", .data = keyed, .elem_size = 8, .count = 3 },
            { .name = "edge.test", .data = per_edge, .elem_size = 4, .count = v->edge_count },
            { .name = "ch0.rank", .data = per_edge, .elem_size = 4, .count = v->edge_count },
        };
        enum cr_status st = per_edge ? cr_graph_write_extra(v, extra, 3, BASE, &err) : CR_ENOMEM;
        free(per_edge);
        cr_graph_close(g);
        if (st) {
            fprintf(stderr, "%s\n", err.msg);
            return -1;
        }
    }
    if (!(f = fopen(ROAD, "w")))
        return -1;
    fputs(road, f);
    fclose(f);
    return 0;
}

static void
test_sections_carried(void **state)
{
    struct cr_scenario_options o = { .base = BASE, .output = OUT, .add = ROAD, .name = "carry" };
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };
    struct cr_graph *gb, *gs;
    const struct cr_graph_view *b, *s;
    const void *p;
    uint64_t count;

    (void)state;
    unlink(OUT);
    if (cr_scenario_build(&o, &st, &err))
        fail_msg("%s", err.msg);
    assert_true(st.ways_added > 0);
    assert_non_null(gb = cr_graph_open(BASE, &err));
    if (!(gs = cr_graph_open(OUT, &err))) /* a section written twice would not open */
        fail_msg("%s", err.msg);
    b = cr_graph_view(gb);
    s = cr_graph_view(gs);
    assert_true(s->way_count > b->way_count);

    /* the sections the graph knows: the base's, unchanged */
    assert_true(b->way_destination_count > 0 && b->cond_way_count > 0 &&
                b->cond_restriction_count > 0);
    assert_int_equal(s->way_destination_count, b->way_destination_count);
    assert_memory_equal(s->way_destination, b->way_destination,
                        2 * sizeof(uint32_t) * b->way_destination_count);
    assert_int_equal(s->cond_way_count, b->cond_way_count);
    assert_memory_equal(s->cond_ways, b->cond_ways, sizeof *b->cond_ways * b->cond_way_count);
    assert_int_equal(s->cond_restriction_count, b->cond_restriction_count);
    assert_memory_equal(s->cond_restrictions, b->cond_restrictions,
                        sizeof *b->cond_restrictions * b->cond_restriction_count);
    /* the texts they point at: the base's strings are the scenario's first ones */
    assert_true(s->strings_size >= b->strings_size);
    assert_memory_equal(s->strings, b->strings, b->strings_size);
    /* new ways: none (the road's destination tag is not read for new ways) */
    for (uint32_t w = b->way_count; w < s->way_count; w++)
        assert_int_equal(cr_graph_way_destination(s, w), 0);
    for (uint32_t i = 0; i < s->cond_way_count; i++)
        assert_true(s->cond_ways[i].way < b->way_count);

    /* a section the graph does not know, keyed by way: carried byte for byte */
    p = cr_netfile_section(cr_graph_file(gs), "way.test_keyed", 8, &count, &err);
    assert_non_null(p);
    assert_int_equal(count, 3);
    assert_memory_equal(p, keyed, sizeof keyed);
    /* keyed by edge, or a contraction hierarchy: not carried */
    assert_null(cr_netfile_section(cr_graph_file(gs), "edge.test", 4, &count, &err));
    assert_null(cr_netfile_section(cr_graph_file(gs), "ch0.rank", 4, &count, &err));
    /* the scenario's own mapping is there once, for the scenario's edges */
    assert_non_null(cr_netfile_section(cr_graph_file(gs), CR_SCENARIO_SECTION, 4, &count, &err));
    assert_int_equal(count, s->edge_count);
    cr_graph_close(gs);
    cr_graph_close(gb);
}

/* A scenario of a scenario carries them again (the scenario.base_edge of the first is replaced). */
static void
test_scenario_of_scenario(void **state)
{
    struct cr_scenario_options o = {
        .base = OUT, .output = DIR "/again.corr", .close = ROAD, .name = "again"
    };
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };
    struct cr_graph *g;
    const void *p;
    uint64_t count;

    (void)state;
    unlink(DIR "/again.corr");
    if (cr_scenario_build(&o, &st, &err))
        fail_msg("%s", err.msg);
    if (!(g = cr_graph_open(DIR "/again.corr", &err)))
        fail_msg("%s", err.msg);
    assert_true(cr_graph_view(g)->way_destination_count > 0);
    p = cr_netfile_section(cr_graph_file(g), "way.test_keyed", 8, &count, &err);
    assert_non_null(p);
    assert_memory_equal(p, keyed, sizeof keyed);
    assert_non_null(cr_netfile_section(cr_graph_file(g), CR_SCENARIO_SECTION, 4, &count, &err));
    assert_int_equal(count, cr_graph_view(g)->edge_count);
    cr_graph_close(g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections_carried),
        cmocka_unit_test(test_scenario_of_scenario),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
