/* corridor info NETWORK.corr [--json] */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/geo.h"
#include "corridor/network.h"

static const char usage_text[] =
    "usage: corridor info NETWORK.corr [--json]\n\n"
    "Prints what a network file holds: nodes and edges by mode and by road class, terminals and\n"
    "transfer edges, turn restrictions, bounding box and provenance (input, newest OSM\n"
    "timestamp, options). Edges are directed: a two-way street segment counts twice.\n\n"
    "  --json   one JSON object (keys nodes, edges, segments, edges_by_mode, ways_by_mode,\n"
    "           terminals, bbox, provenance, ...)\n";

static json_t *
count_object(const uint64_t *counts, int n, const char *(*name)(int))
{
    json_t *o = json_object();
    for (int i = 0; i < n; i++)
        json_object_set_new(o, name(i), json_integer((json_int_t)counts[i]));
    return o;
}

static const char *
mode_name(int i)
{
    return cr_mode_name((enum cr_mode)i);
}
static const char *
group_name(int i)
{
    return cr_group_name((enum cr_group)i);
}
static const char *
road_name(int i)
{
    return cr_road_class_name((enum cr_road_class)i);
}
static const char *
rail_name(int i)
{
    return cr_rail_class_name((enum cr_rail_class)i);
}
static const char *
water_name(int i)
{
    return cr_water_class_name((enum cr_water_class)i);
}

static json_t *
groups_array(uint8_t bits)
{
    json_t *a = json_array();
    for (int g = 0; g < CR_GROUP_TERMINAL; g++)
        if (bits & (1u << g))
            json_array_append_new(a, json_string(cr_group_name((enum cr_group)g)));
    return a;
}

static json_t *
terminal_json(const struct cr_network_terminal *tm)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(tm->name));
    json_object_set_new(o, "kind",
                        json_string(cr_terminal_kind_name((enum cr_terminal_kind)tm->kind)));
    json_object_set_new(o, "osm_id", json_integer(tm->osm_id));
    json_object_set_new(o, "lon", json_real(cr_e7_to_deg(tm->lon_e7)));
    json_object_set_new(o, "lat", json_real(cr_e7_to_deg(tm->lat_e7)));
    json_object_set_new(o, "modes", groups_array(tm->modes));
    json_object_set_new(o, "linked", groups_array(tm->linked));
    json_object_set_new(o, "node", json_integer(tm->node));
    return o;
}

static void
print_json(const char *path, const struct cr_network_summary *s)
{
    json_t *root = json_object(), *km = json_object(), *km_class = json_object();
    json_t *terms = json_array(), *bbox = json_array(), *prov;
    json_error_t jerr;

    json_object_set_new(root, "file", json_string(path));
    json_object_set_new(root, "file_bytes", json_integer((json_int_t)s->file_bytes));
    json_object_set_new(root, "nodes", json_integer(s->nodes));
    json_object_set_new(root, "edges", json_integer(s->edges));
    json_object_set_new(root, "segments", json_integer(s->segments));
    json_object_set_new(root, "shape_points", json_integer(s->shape_points));
    json_object_set_new(root, "nodes_by_group",
                        count_object(s->nodes_by_group, CR_GROUP_COUNT, group_name));
    json_object_set_new(root, "largest_component_nodes",
                        count_object(s->lcc_by_group, CR_GROUP_COUNT, group_name));
    json_object_set_new(root, "edges_by_mode",
                        count_object(s->edges_by_mode, CR_MODE_COUNT, mode_name));
    json_object_set_new(root, "segments_by_mode",
                        count_object(s->segments_by_mode, CR_MODE_COUNT, mode_name));
    json_object_set_new(root, "ways_by_mode",
                        count_object(s->ways_by_mode, CR_MODE_COUNT, mode_name));
    for (int m = 0; m < CR_MODE_COUNT; m++)
        json_object_set_new(km, cr_mode_name((enum cr_mode)m),
                            json_real(s->length_m_by_mode[m] / 1000.0));
    json_object_set_new(root, "length_km_by_mode", km);
    json_object_set_new(root, "edges_by_road_class",
                        count_object(s->edges_by_road_class, CR_ROAD_CLASS_COUNT, road_name));
    json_object_set_new(root, "ways_by_road_class",
                        count_object(s->ways_by_road_class, CR_ROAD_CLASS_COUNT, road_name));
    for (int c = 0; c < CR_ROAD_CLASS_COUNT; c++)
        json_object_set_new(km_class, cr_road_class_name((enum cr_road_class)c),
                            json_real(s->length_m_by_road_class[c] / 1000.0));
    json_object_set_new(root, "length_km_by_road_class", km_class);
    json_object_set_new(root, "ways_by_rail_class",
                        count_object(s->ways_by_rail_class, CR_RAIL_CLASS_COUNT, rail_name));
    json_object_set_new(root, "ways_by_water_class",
                        count_object(s->ways_by_water_class, CR_WATER_CLASS_COUNT, water_name));
    json_object_set_new(root, "terminals", json_integer(s->terminal_count));
    json_object_set_new(root, "transfer_edges", json_integer((json_int_t)s->transfer_edges));
    for (uint32_t t = 0; t < s->terminal_count; t++)
        json_array_append_new(terms, terminal_json(&s->terminals[t]));
    json_object_set_new(root, "terminal_list", terms);
    json_object_set_new(root, "restrictions", json_integer(s->restrictions));
    json_object_set_new(root, "restrictions_via_way",
                        json_integer((json_int_t)s->restrictions_via_way));
    json_object_set_new(root, "barriers", json_integer((json_int_t)s->barriers));
    json_object_set_new(root, "traffic_signals", json_integer((json_int_t)s->traffic_signals));
    json_object_set_new(root, "access_closed_nodes",
                        json_integer((json_int_t)s->access_closed_nodes));
    json_object_set_new(root, "direction_closed_ways",
                        json_integer((json_int_t)s->direction_closed_ways));
    for (int i = 0; i < 4; i++)
        json_array_append_new(bbox, json_real(cr_e7_to_deg(s->bbox_e7[i])));
    json_object_set_new(root, "bbox", bbox);
    json_object_set_new(root, "contraction_hierarchies", json_string(s->ch_list));
    prov = json_loads(s->provenance_json, 0, &jerr);
    json_object_set_new(root, "provenance", prov ? prov : json_object());
    if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)))
        fprintf(stderr, "corridor info: cannot write to standard output\n");
    fputc('\n', stdout);
    json_decref(root);
}

static void
print_terminals(const struct cr_network_summary *s)
{
    printf("\n  terminals  %u, transfer edges %llu\n", s->terminal_count,
           (unsigned long long)s->transfer_edges);
    for (uint32_t t = 0; t < s->terminal_count; t++) {
        const struct cr_network_terminal *tm = &s->terminals[t];
        const char *name = tm->name;
        int width = 28; /* pad by characters, not bytes: names are UTF-8 */
        for (const char *c = name; *c; c++)
            width += ((unsigned char)*c & 0xC0) == 0x80;
        printf("    %-*s %-12s %10.6f %10.6f  joins", width, name[0] ? name : "(unnamed)",
               cr_terminal_kind_name((enum cr_terminal_kind)tm->kind), cr_e7_to_deg(tm->lon_e7),
               cr_e7_to_deg(tm->lat_e7));
        for (int g = 0; g < CR_GROUP_TERMINAL; g++)
            if (tm->linked & (1u << g))
                printf(" %s", cr_group_name((enum cr_group)g));
        printf("\n");
    }
}

/* The "scenario" object corridor scenario adds to the provenance (docs/scenario.md), if any. */
static void
print_scenario(const char *provenance_json)
{
    json_t *prov = json_loads(provenance_json, 0, NULL), *sc = json_object_get(prov, "scenario");
    json_t *in = json_object_get(sc, "inputs"), *ch = json_object_get(sc, "changes");

    if (json_is_object(sc)) {
        printf("  scenario   %s: base %s (%lld bytes, CRC-32 %s)\n",
               json_string_value(json_object_get(sc, "name")) ?: "?",
               json_string_value(json_object_get(sc, "base")) ?: "?",
               (long long)json_integer_value(json_object_get(sc, "base_bytes")),
               json_string_value(json_object_get(sc, "base_crc32")) ?: "?");
        printf("             add %s, interchanges %s, close %s, join radius %g m\n",
               json_string_value(json_object_get(in, "add")) ?: "-",
               json_string_value(json_object_get(in, "interchanges")) ?: "-",
               json_string_value(json_object_get(in, "close")) ?: "-",
               json_number_value(json_object_get(in, "join_radius_m")));
        printf("             %.2f km added, %lld interchanges, %lld ends joined, %.2f km closed\n",
               json_number_value(json_object_get(ch, "km_added")),
               (long long)json_integer_value(json_object_get(ch, "interchanges")),
               (long long)json_integer_value(json_object_get(ch, "end_joins")),
               json_number_value(json_object_get(ch, "km_closed")));
        if (json_string_value(json_object_get(in, "terminals")))
            printf("             terminals %s: %lld added\n",
                   json_string_value(json_object_get(in, "terminals")),
                   (long long)json_integer_value(json_object_get(ch, "terminals_added")));
        for (size_t i = 0; i < json_array_size(json_object_get(sc, "set")); i++) {
            json_t *e = json_array_get(json_object_get(sc, "set"), i);
            printf("             set %s: %lld ways, %.2f km\n",
                   json_string_value(json_object_get(e, "spec")) ?: "?",
                   (long long)json_integer_value(json_object_get(e, "ways")),
                   json_number_value(json_object_get(e, "km")));
        }
    }
    json_decref(prov);
}

static void
print_provenance(const struct cr_network_summary *s)
{
    printf("  input      %s (%lld bytes), newest OSM timestamp %s\n", s->input,
           (long long)s->input_bytes, s->newest_timestamp ? s->newest_timestamp : "unknown");
    if (s->terminals_file)
        printf("  terminals  from %s\n", s->terminals_file);
    printf("  options    modes");
    for (size_t i = 0; i < s->mode_count; i++)
        printf(" %s", s->modes[i]);
    printf("; corridor %s\n", s->corridor_version ?: "?");
    print_scenario(s->provenance_json);
}

static void
print_text(const char *path, const struct cr_network_summary *s)
{
    printf("%s\n", path);
    printf("  nodes      %10u  (road %llu, rail %llu, water %llu, terminal %llu)\n", s->nodes,
           (unsigned long long)s->nodes_by_group[CR_GROUP_ROAD],
           (unsigned long long)s->nodes_by_group[CR_GROUP_RAIL],
           (unsigned long long)s->nodes_by_group[CR_GROUP_WATER],
           (unsigned long long)s->nodes_by_group[CR_GROUP_TERMINAL]);
    printf("  edges      %10u  directed; %u segments, %u shape points\n", s->edges, s->segments,
           s->shape_points);
    printf("\n  %-16s %8s %8s %8s %12s\n", "mode", "ways", "segments", "edges", "length km");
    for (int m = 0; m < CR_MODE_COUNT; m++)
        printf("  %-16s %8llu %8llu %8llu %12.2f\n", cr_mode_name((enum cr_mode)m),
               (unsigned long long)s->ways_by_mode[m], (unsigned long long)s->segments_by_mode[m],
               (unsigned long long)s->edges_by_mode[m], s->length_m_by_mode[m] / 1000.0);
    printf("\n  %-16s %8s %8s %12s\n", "road class", "ways", "edges", "length km");
    for (int c = 0; c < CR_ROAD_CLASS_COUNT; c++)
        if (s->ways_by_road_class[c])
            printf("  %-16s %8llu %8llu %12.2f\n", cr_road_class_name((enum cr_road_class)c),
                   (unsigned long long)s->ways_by_road_class[c],
                   (unsigned long long)s->edges_by_road_class[c],
                   s->length_m_by_road_class[c] / 1000.0);
    printf("\n  largest component: road %llu nodes, rail %llu, water %llu\n",
           (unsigned long long)s->lcc_by_group[CR_GROUP_ROAD],
           (unsigned long long)s->lcc_by_group[CR_GROUP_RAIL],
           (unsigned long long)s->lcc_by_group[CR_GROUP_WATER]);
    printf("  turn restrictions %u (%llu via a way), barriers %llu, traffic signals %llu\n",
           s->restrictions, (unsigned long long)s->restrictions_via_way,
           (unsigned long long)s->barriers, (unsigned long long)s->traffic_signals);
    printf("  nodes closed by access tags %llu; ways closed one way to some vehicles only %llu\n",
           (unsigned long long)s->access_closed_nodes,
           (unsigned long long)s->direction_closed_ways);
    if (s->restrictions_invalid) {
        printf("  turn restrictions ignored as invalid:");
        for (size_t i = 0; i < s->invalid_count; i++)
            printf(" %s %lld", s->restrictions_invalid[i].key,
                   (long long)s->restrictions_invalid[i].count);
        printf("\n");
    }
    print_terminals(s);
    printf("\n  contraction hierarchies: %s\n",
           s->ch_count ? s->ch_list : "none (corridor contract builds them)");
    printf("  bbox       %.7f,%.7f,%.7f,%.7f (W,S,E,N)\n", cr_e7_to_deg(s->bbox_e7[0]),
           cr_e7_to_deg(s->bbox_e7[1]), cr_e7_to_deg(s->bbox_e7[2]), cr_e7_to_deg(s->bbox_e7[3]));
    if (s->has_provenance)
        print_provenance(s);
}

int
cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cr_error err = { 0 };
    struct cr_graph *g;
    struct cr_network_summary s;
    int json = 0, c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("info", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("info", "want exactly one NETWORK file");
    g = cr_graph_open(argv[optind], &err);
    if (!g)
        return cli_fail("info", &err);
    if (cr_network_summary_init(&s, g, &err)) {
        cr_graph_close(g);
        return cli_fail("info", &err);
    }
    if (json)
        print_json(argv[optind], &s);
    else
        print_text(argv[optind], &s);
    cr_network_summary_fini(&s);
    cr_graph_close(g);
    return CLI_EXIT_OK;
}
