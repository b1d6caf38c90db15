/* What a network file holds (corridor/network.h): counts by mode, group and class, lengths,
 * terminals, restrictions, bounding box, contraction hierarchies and provenance. `corridor info`
 * prints it. In routing/ because the hierarchies stored in the file are routing's. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/graph.h"
#include "corridor/network.h"
#include "routing/ch_store.h"

static void
grow_bbox(int32_t *bbox, int32_t lon, int32_t lat)
{
    bbox[0] = lon < bbox[0] ? lon : bbox[0];
    bbox[1] = lat < bbox[1] ? lat : bbox[1];
    bbox[2] = lon > bbox[2] ? lon : bbox[2];
    bbox[3] = lat > bbox[3] ? lat : bbox[3];
}

static void
count_nodes(const struct cr_graph_view *v, struct cr_network_summary *s)
{
    s->bbox_e7[0] = s->bbox_e7[1] = INT32_MAX;
    s->bbox_e7[2] = s->bbox_e7[3] = INT32_MIN;
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
        grow_bbox(s->bbox_e7, v->lon_e7[n], v->lat_e7[n]);
    }
    for (uint32_t i = 0; i < v->shape_count; i++)
        grow_bbox(s->bbox_e7, v->shape_lon_e7[i], v->shape_lat_e7[i]);
    if (v->node_count == 0)
        memset(s->bbox_e7, 0, sizeof s->bbox_e7);
}

static void
count_ways(const struct cr_graph_view *v, struct cr_network_summary *s)
{
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
        const struct cr_way_attr *a =
            &v->ways[v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED]];
        s->edges_by_mode[a->mode]++;
        if (a->mode == CR_MODE_ROAD && a->klass < CR_ROAD_CLASS_COUNT)
            s->edges_by_road_class[a->klass]++;
    }
    s->transfer_edges = s->edges_by_mode[CR_MODE_TRANSFER];
    for (uint32_t r = 0; r < v->restriction_count; r++)
        s->restrictions_via_way += v->restrictions[r].via_is_way;
}

static int
list_terminals(const struct cr_graph_view *v, struct cr_network_summary *s)
{
    if (v->terminal_count && !(s->terminals = calloc(v->terminal_count, sizeof *s->terminals)))
        return -1;
    s->terminal_count = v->terminal_count;
    for (uint32_t t = 0; t < v->terminal_count; t++) {
        const struct cr_terminal *tm = &v->terminals[t];
        s->terminals[t] = (struct cr_network_terminal){
            .name = cr_graph_string(v, tm->name),
            .kind = tm->kind,
            .osm_id = tm->osm_id,
            .lon_e7 = tm->lon_e7,
            .lat_e7 = tm->lat_e7,
            .node = tm->node,
            .modes = tm->modes,
            .linked = tm->linked,
        };
    }
    return 0;
}

/* The provenance record's fields, borrowed from the parsed record kept in s->internal_. */
static int
read_provenance(const struct cr_graph_view *v, struct cr_network_summary *s)
{
    json_error_t jerr;
    json_t *prov = json_loads(v->meta, 0, &jerr), *modes, *invalid, *val;
    const char *key;
    size_t i = 0;

    s->provenance_json = v->meta;
    if (!prov)
        return 0;
    s->internal_ = prov;
    s->has_provenance = json_is_object(prov);
    s->input = json_string_value(json_object_get(prov, "input"));
    s->input_bytes = json_integer_value(json_object_get(prov, "input_bytes"));
    s->newest_timestamp = json_string_value(json_object_get(prov, "newest_timestamp"));
    s->terminals_file = json_string_value(json_object_get(prov, "terminals_file"));
    s->corridor_version = json_string_value(json_object_get(prov, "corridor_version"));
    modes = json_object_get(prov, "modes");
    if (json_array_size(modes)) {
        if (!(s->modes = calloc(json_array_size(modes), sizeof *s->modes)))
            return -1;
        s->mode_count = json_array_size(modes);
        for (i = 0; i < s->mode_count; i++)
            s->modes[i] = json_string_value(json_array_get(modes, i));
    }
    invalid = json_object_get(prov, "restrictions_invalid");
    if (json_is_object(invalid)) {
        /* one more than the keys: an object of none still gives a non-NULL list */
        size_t n = json_object_size(invalid) + 1;
        if (!(s->restrictions_invalid = calloc(n, sizeof *s->restrictions_invalid)))
            return -1;
        i = 0;
        json_object_foreach(invalid, key, val) s->restrictions_invalid[i++] =
            (struct cr_network_count){ key, json_integer_value(val) };
        s->invalid_count = i;
    }
    return 0;
}

enum cr_status
cr_network_summary_init(struct cr_network_summary *s, const struct cr_graph *g,
                        struct cr_error *err)
{
    const struct cr_graph_view *v = cr_graph_view(g);
    const struct cr_netfile *f = cr_graph_file(g);

    memset(s, 0, sizeof *s);
    s->file_bytes = f ? f->size : 0;
    s->nodes = v->node_count;
    s->edges = v->edge_count;
    s->segments = v->segment_count;
    s->ways = v->way_count;
    s->shape_points = v->shape_count;
    s->restrictions = v->restriction_count;
    count_nodes(v, s);
    count_ways(v, s);
    s->ch_count = f ? cr_ch_store_list(f, s->ch_list, sizeof s->ch_list) : 0;
    if (list_terminals(v, s) || read_provenance(v, s)) {
        cr_network_summary_fini(s);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", f ? f->path : "network");
    }
    return 0;
}

void
cr_network_summary_fini(struct cr_network_summary *s)
{
    if (!s)
        return;
    free(s->terminals);
    free(s->modes);
    free(s->restrictions_invalid);
    json_decref(s->internal_);
    memset(s, 0, sizeof *s);
}
