/* corridor info NETWORK.corr [--json] */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/geo.h"
#include "core/graph.h"
#include "routing/ch_store.h"

static const char usage_text[] =
    "usage: corridor info NETWORK.corr [--json]\n\n"
    "Prints what a network file holds: nodes and edges by mode and by road class, terminals and\n"
    "transfer edges, turn restrictions, bounding box and provenance (input, newest OSM\n"
    "timestamp, options). Edges are directed: a two-way street segment counts twice.\n\n"
    "  --json   one JSON object (keys nodes, edges, segments, edges_by_mode, ways_by_mode,\n"
    "           terminals, bbox, provenance, ...)\n";

struct summary {
    uint64_t nodes_by_group[CR_GROUP_COUNT], lcc_by_group[CR_GROUP_COUNT];
    uint64_t edges_by_mode[CR_MODE_COUNT], segments_by_mode[CR_MODE_COUNT];
    uint64_t ways_by_mode[CR_MODE_COUNT];
    double length_m_by_mode[CR_MODE_COUNT];
    uint64_t edges_by_road_class[CR_ROAD_CLASS_COUNT], ways_by_road_class[CR_ROAD_CLASS_COUNT];
    double length_m_by_road_class[CR_ROAD_CLASS_COUNT];
    uint64_t ways_by_rail_class[CR_RAIL_CLASS_COUNT], ways_by_water_class[CR_WATER_CLASS_COUNT];
    uint64_t barriers, traffic_signals, oneway_ways, restrictions_via_way;
    uint64_t access_closed_nodes;   /* nodes whose access tags close them to some vehicle */
    uint64_t direction_closed_ways; /* ways with a direction closed to some vehicles only */
    int32_t bbox[4]; /* W S E N, e7 */
};

static void
grow_bbox(int32_t *bbox, int32_t lon, int32_t lat)
{
    bbox[0] = lon < bbox[0] ? lon : bbox[0];
    bbox[1] = lat < bbox[1] ? lat : bbox[1];
    bbox[2] = lon > bbox[2] ? lon : bbox[2];
    bbox[3] = lat > bbox[3] ? lat : bbox[3];
}

static void
summarize(const struct cr_graph_view *v, struct summary *s)
{
    memset(s, 0, sizeof *s);
    s->bbox[0] = s->bbox[1] = INT32_MAX;
    s->bbox[2] = s->bbox[3] = INT32_MIN;
    for (uint32_t n = 0; n < v->node_count; n++) {
        s->nodes_by_group[v->group[n]]++;
        if (v->node_flags[n] & CR_NODE_LCC)
            s->lcc_by_group[v->group[n]]++;
        if (v->barrier[n] != CR_BARRIER_NONE)
            s->barriers++;
        if (v->node_flags[n] & CR_NODE_TRAFFIC_SIGNALS)
            s->traffic_signals++;
        if (v->node_closed && v->node_closed[n])
            s->access_closed_nodes++;
        grow_bbox(s->bbox, v->lon_e7[n], v->lat_e7[n]);
    }
    for (uint32_t i = 0; i < v->shape_count; i++)
        grow_bbox(s->bbox, v->shape_lon_e7[i], v->shape_lat_e7[i]);
    for (uint32_t w = 0; w < v->way_count; w++) {
        const struct cr_way_attr *a = &v->ways[w];
        s->ways_by_mode[a->mode]++;
        if (a->mode == CR_MODE_ROAD && a->klass < CR_ROAD_CLASS_COUNT)
            s->ways_by_road_class[a->klass]++;
        if (a->mode == CR_MODE_RAIL && a->klass < CR_RAIL_CLASS_COUNT)
            s->ways_by_rail_class[a->klass]++;
        if (a->mode == CR_MODE_WATER && a->klass < CR_WATER_CLASS_COUNT)
            s->ways_by_water_class[a->klass]++;
        if (a->flags & CR_WAY_ONEWAY)
            s->oneway_ways++;
        if (a->closed_fwd || a->closed_bwd)
            s->direction_closed_ways++;
    }
    for (uint32_t g = 0; g < v->segment_count; g++) {
        const struct cr_way_attr *a = &v->ways[v->segment_way[g]];
        double len = v->segment_length_cm[g] / 100.0;
        s->segments_by_mode[a->mode]++;
        s->length_m_by_mode[a->mode] += len;
        if (a->mode == CR_MODE_ROAD && a->klass < CR_ROAD_CLASS_COUNT)
            s->length_m_by_road_class[a->klass] += len;
    }
    for (uint32_t e = 0; e < v->edge_count; e++) {
        const struct cr_way_attr *a = &v->ways[v->segment_way[v->edge_segment[e] &
                                                                ~CR_SEGMENT_REVERSED]];
        s->edges_by_mode[a->mode]++;
        if (a->mode == CR_MODE_ROAD && a->klass < CR_ROAD_CLASS_COUNT)
            s->edges_by_road_class[a->klass]++;
    }
    for (uint32_t r = 0; r < v->restriction_count; r++)
        s->restrictions_via_way += v->restrictions[r].via_is_way;
    if (v->node_count == 0)
        memset(s->bbox, 0, sizeof s->bbox);
}

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

static int
print_json(const char *path, const struct cr_graph *g, const struct cr_graph_view *v,
           const struct summary *s)
{
    char hierarchies[512];
    json_t *root = json_object(), *km = json_object(), *km_class = json_object();
    json_t *terms = json_array(), *bbox = json_array(), *prov;
    json_error_t jerr;
    struct stat st;
    uint64_t transfer_edges = s->edges_by_mode[CR_MODE_TRANSFER];

    json_object_set_new(root, "file", json_string(path));
    json_object_set_new(root, "file_bytes",
                        json_integer(stat(path, &st) == 0 ? (json_int_t)st.st_size : 0));
    json_object_set_new(root, "nodes", json_integer(v->node_count));
    json_object_set_new(root, "edges", json_integer(v->edge_count));
    json_object_set_new(root, "segments", json_integer(v->segment_count));
    json_object_set_new(root, "shape_points", json_integer(v->shape_count));
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
    json_object_set_new(root, "terminals", json_integer(v->terminal_count));
    json_object_set_new(root, "transfer_edges", json_integer((json_int_t)transfer_edges));
    for (uint32_t t = 0; t < v->terminal_count; t++) {
        const struct cr_terminal *tm = &v->terminals[t];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(cr_graph_string(v, tm->name)));
        json_object_set_new(o, "kind",
                            json_string(cr_terminal_kind_name((enum cr_terminal_kind)tm->kind)));
        json_object_set_new(o, "osm_id", json_integer(tm->osm_id));
        json_object_set_new(o, "lon", json_real(cr_e7_to_deg(tm->lon_e7)));
        json_object_set_new(o, "lat", json_real(cr_e7_to_deg(tm->lat_e7)));
        json_object_set_new(o, "modes", groups_array(tm->modes));
        json_object_set_new(o, "linked", groups_array(tm->linked));
        json_object_set_new(o, "node", json_integer(tm->node));
        json_array_append_new(terms, o);
    }
    json_object_set_new(root, "terminal_list", terms);
    json_object_set_new(root, "restrictions", json_integer(v->restriction_count));
    json_object_set_new(root, "restrictions_via_way",
                        json_integer((json_int_t)s->restrictions_via_way));
    json_object_set_new(root, "barriers", json_integer((json_int_t)s->barriers));
    json_object_set_new(root, "traffic_signals", json_integer((json_int_t)s->traffic_signals));
    json_object_set_new(root, "access_closed_nodes",
                        json_integer((json_int_t)s->access_closed_nodes));
    json_object_set_new(root, "direction_closed_ways",
                        json_integer((json_int_t)s->direction_closed_ways));
    for (int i = 0; i < 4; i++)
        json_array_append_new(bbox, json_real(cr_e7_to_deg(s->bbox[i])));
    json_object_set_new(root, "bbox", bbox);
    cr_ch_store_list(cr_graph_file(g), hierarchies, sizeof hierarchies);
    json_object_set_new(root, "contraction_hierarchies", json_string(hierarchies));
    prov = json_loads(v->meta, 0, &jerr);
    json_object_set_new(root, "provenance", prov ? prov : json_object());
    if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)))
        fprintf(stderr, "corridor info: cannot write to standard output\n");
    fputc('\n', stdout);
    json_decref(root);
    return CLI_EXIT_OK;
}

static void
print_text(const char *path, const struct cr_graph *graph, const struct cr_graph_view *v,
           const struct summary *s)
{
    char hierarchies[512];
    json_error_t jerr;
    json_t *prov = json_loads(v->meta, 0, &jerr);

    printf("%s\n", path);
    printf("  nodes      %10u  (road %llu, rail %llu, water %llu, terminal %llu)\n",
           v->node_count, (unsigned long long)s->nodes_by_group[CR_GROUP_ROAD],
           (unsigned long long)s->nodes_by_group[CR_GROUP_RAIL],
           (unsigned long long)s->nodes_by_group[CR_GROUP_WATER],
           (unsigned long long)s->nodes_by_group[CR_GROUP_TERMINAL]);
    printf("  edges      %10u  directed; %u segments, %u shape points\n", v->edge_count,
           v->segment_count, v->shape_count);
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
           v->restriction_count, (unsigned long long)s->restrictions_via_way,
           (unsigned long long)s->barriers, (unsigned long long)s->traffic_signals);
    printf("  nodes closed by access tags %llu; ways closed one way to some vehicles only %llu\n",
           (unsigned long long)s->access_closed_nodes,
           (unsigned long long)s->direction_closed_ways);
    if (prov && json_is_object(json_object_get(prov, "restrictions_invalid"))) {
        const char *key;
        json_t *val;
        printf("  turn restrictions ignored as invalid:");
        json_object_foreach(json_object_get(prov, "restrictions_invalid"), key, val)
            printf(" %s %lld", key, (long long)json_integer_value(val));
        printf("\n");
    }
    printf("\n  terminals  %u, transfer edges %llu\n", v->terminal_count,
           (unsigned long long)s->edges_by_mode[CR_MODE_TRANSFER]);
    for (uint32_t t = 0; t < v->terminal_count; t++) {
        const struct cr_terminal *tm = &v->terminals[t];
        const char *name = cr_graph_string(v, tm->name);
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
    printf("\n  contraction hierarchies: %s\n",
           cr_ch_store_list(cr_graph_file(graph), hierarchies, sizeof hierarchies)
               ? hierarchies
               : "none (corridor contract builds them)");
    printf("  bbox       %.7f,%.7f,%.7f,%.7f (W,S,E,N)\n", cr_e7_to_deg(s->bbox[0]),
           cr_e7_to_deg(s->bbox[1]), cr_e7_to_deg(s->bbox[2]), cr_e7_to_deg(s->bbox[3]));
    if (prov) {
        json_t *ts = json_object_get(prov, "newest_timestamp");
        printf("  input      %s (%lld bytes), newest OSM timestamp %s\n",
               json_string_value(json_object_get(prov, "input")),
               (long long)json_integer_value(json_object_get(prov, "input_bytes")),
               json_is_string(ts) ? json_string_value(ts) : "unknown");
        if (json_is_string(json_object_get(prov, "terminals_file")))
            printf("  terminals  from %s\n",
                   json_string_value(json_object_get(prov, "terminals_file")));
        printf("  options    modes");
        for (size_t i = 0; i < json_array_size(json_object_get(prov, "modes")); i++)
            printf(" %s", json_string_value(json_array_get(json_object_get(prov, "modes"), i)));
        printf("; corridor %s\n",
               json_string_value(json_object_get(prov, "corridor_version")) ?: "?");
        json_decref(prov);
    }
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
    struct summary s;
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
    summarize(cr_graph_view(g), &s);
    if (json)
        print_json(argv[optind], g, cr_graph_view(g), &s);
    else
        print_text(argv[optind], g, cr_graph_view(g), &s);
    cr_graph_close(g);
    return CLI_EXIT_OK;
}
