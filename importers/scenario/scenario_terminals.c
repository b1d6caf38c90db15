/*
 * --terminals FILE: new terminals (an ICD, a river port) joined as `corridor import --terminals`
 * joins them (importers/osm/osm_terminals.c): for each mode the terminal serves, the nearest
 * graph node or shape point of that mode's group within the transfer radius (the base's, from
 * its provenance; else the import defaults), preferring the group's largest component; a shape
 * point becomes a node (its segment is split); a terminal node and a transfer way record with
 * one two-way transfer segment per joined mode. Runs on the finished scenario network, so new
 * ways of the same scenario are joined too; closed segments are not.
 */
#include <jansson.h>
#include <math.h>

#include "core/geo.h"
#include "corridor/import.h"
#include "importers/scenario/scenario_int.h"
#include "importers/terminals/terminals.h"

/* The base's transfer radius of GROUP (provenance "transfer_radius_m"), or the default. */
static double
radius_for(const struct scen *s, int group)
{
    static const double defaults[CR_GROUP_COUNT] = { CR_TRANSFER_RADIUS_ROAD_M,
                                                     CR_TRANSFER_RADIUS_RAIL_M,
                                                     CR_TRANSFER_RADIUS_WATER_M, 0 };
    json_t *root = s->base->meta ? json_loads(s->base->meta, 0, NULL) : NULL;
    json_t *r = json_object_get(json_object_get(root, "transfer_radius_m"),
                                cr_group_name((enum cr_group)group));
    double m =
        json_is_number(r) && json_number_value(r) > 0 ? json_number_value(r) : defaults[group];
    json_decref(root);
    return m;
}

/* Per segment of the network being built: 1 when it has an edge and is not a transfer. */
static int
live_segments(const struct scen *s, uint8_t **live)
{
    size_t segs = s->seg_way.len;
    uint8_t *l = realloc(*live, segs + 1);

    if (!l)
        return -1;
    *live = l;
    memset(l, 0, segs + 1);
    for (size_t i = 0; i < s->edges.len; i++) {
        uint32_t seg = SC_AT(s->edges, struct sc_edge, i).segment & ~CR_SEGMENT_REVERSED;
        uint32_t w = SC_AT(s->seg_way, uint32_t, seg);
        if (SC_AT(s->ways, struct cr_way_attr, w).mode != CR_MODE_TRANSFER)
            l[seg] = 1;
    }
    return 0;
}

struct pick {
    double d;
    uint32_t node, seg, shape; /* a node, or a shape point (node CR_NO_NODE) of SEG */
};

static void
consider(struct pick *best, double d, uint32_t node, uint32_t seg, uint32_t shape)
{
    if (d < best->d)
        *best = (struct pick){ d, node, seg, shape };
}

/* The nearest node or shape point of GROUP within R of the terminal, in the largest component
 * if one is in reach (best[1]), else any (best[0]). */
static struct pick
nearest(const struct scen *s, const uint8_t *live, int32_t lon, int32_t lat, uint8_t group,
        double r)
{
    const uint8_t *grp = s->group.data, *flags = s->flags.data;
    const int32_t *nlon = s->lon.data, *nlat = s->lat.data;
    struct pick best[2] = { { r, CR_NO_NODE, 0, 0 }, { r, CR_NO_NODE, 0, 0 } };
    int found[2] = { 0, 0 };

    for (size_t seg = 0; seg < s->seg_way.len; seg++) {
        uint32_t a = SC_AT(s->seg_node, uint32_t, 2 * seg),
                 b = SC_AT(s->seg_node, uint32_t, 2 * seg + 1);
        uint32_t first = SC_AT(s->seg_sfirst, uint32_t, seg),
                 n = SC_AT(s->seg_scount, uint32_t, seg);
        int lcc = (flags[a] & flags[b] & CR_NODE_LCC) != 0;
        if (!live[seg] || grp[a] != group)
            continue;
        for (int e = 0; e < 2; e++) {
            uint32_t v = e ? b : a;
            double d = cr_geo_distance_m(lon, lat, nlon[v], nlat[v]);
            int l = (flags[v] & CR_NODE_LCC) != 0;
            if (d <= r) {
                found[l] = 1;
                consider(&best[l], d, v, 0, 0);
            }
        }
        for (uint32_t k = first; k < first + n; k++) {
            double d = cr_geo_distance_m(lon, lat, SC_AT(s->shape_lon, int32_t, k),
                                         SC_AT(s->shape_lat, int32_t, k));
            if (d <= r) {
                found[lcc] = 1;
                consider(&best[lcc], d, CR_NO_NODE, (uint32_t)seg, k);
            }
        }
    }
    if (found[1])
        return best[1];
    if (found[0])
        return best[0];
    best[0].d = -1;
    return best[0];
}

/* Splits segment SEG at its shape point K (pool index): the first piece keeps SEG, the second is
 * a new segment of the same way; both keep the directions and base edges. The new node, or
 * CR_NO_NODE when out of memory. */
static uint32_t
split_at(struct scen *s, uint32_t seg, uint32_t k)
{
    uint32_t a = SC_AT(s->seg_node, uint32_t, 2 * seg),
             b = SC_AT(s->seg_node, uint32_t, 2 * seg + 1);
    uint32_t first = SC_AT(s->seg_sfirst, uint32_t, seg), n = SC_AT(s->seg_scount, uint32_t, seg);
    uint32_t way = SC_AT(s->seg_way, uint32_t, seg), piece = (uint32_t)s->seg_way.len;
    uint32_t node, zero = 0, after = k + 1, rest = first + n - (k + 1);
    size_t m = s->edges.len;

    node = cr_sc_add_node(s, SC_AT(s->shape_lon, int32_t, k), SC_AT(s->shape_lat, int32_t, k),
                          SC_AT(s->group, uint8_t, a));
    if (node == CR_NO_NODE)
        return CR_NO_NODE;
    s->stats->nodes_added--; /* a split, not an addition */
    s->stats->splits++;
    SC_AT(s->flags, uint8_t, node) =
        SC_AT(s->flags, uint8_t, a) & SC_AT(s->flags, uint8_t, b) & CR_NODE_LCC;
    {
        uint32_t nodes[2] = { node, b };
        if (cr_vec_append(&s->seg_way, &way, 1) || cr_vec_append(&s->seg_len, &zero, 1) ||
            cr_vec_append(&s->seg_node, nodes, 2) || cr_vec_append(&s->seg_sfirst, &after, 1) ||
            cr_vec_append(&s->seg_scount, &rest, 1))
            return CR_NO_NODE;
    }
    SC_AT(s->seg_node, uint32_t, 2 * seg + 1) = node;
    SC_AT(s->seg_scount, uint32_t, seg) = k - first;
    SC_AT(s->seg_len, uint32_t, seg) = cr_sc_piece_cm(s, a, node, first, k - first);
    SC_AT(s->seg_len, uint32_t, piece) = cr_sc_piece_cm(s, node, b, after, rest);
    for (size_t i = 0; i < m; i++) {
        struct sc_edge e = SC_AT(s->edges, struct sc_edge, i), add;
        if ((e.segment & ~CR_SEGMENT_REVERSED) != seg)
            continue;
        if (e.segment & CR_SEGMENT_REVERSED) {
            SC_AT(s->edges, struct sc_edge, i).tail = node;
            add = (struct sc_edge){ b, node, piece | CR_SEGMENT_REVERSED, e.base };
        } else {
            SC_AT(s->edges, struct sc_edge, i).head = node;
            add = (struct sc_edge){ node, b, piece, e.base };
        }
        if (cr_vec_append(&s->edges, &add, 1))
            return CR_NO_NODE;
    }
    return node;
}

/* One terminal: its node, transfer way, segments and record; -1 when out of memory. */
static int
add_terminal(struct scen *s, const struct cr_terminal_input *in, uint8_t **live)
{
    struct cr_scenario_stats keep;
    struct cr_way_attr a = { 0 };
    struct cr_terminal t = { 0 };
    uint32_t node, way = (uint32_t)s->ways.len, target[CR_GROUP_TERMINAL];
    double dist[CR_GROUP_TERMINAL];

    for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
        struct pick p;
        target[g] = CR_NO_NODE;
        if (!(in->modes & (1u << g)))
            continue;
        if (live_segments(s, live))
            return -1;
        p = nearest(s, *live, in->lon_e7, in->lat_e7, (uint8_t)g, radius_for(s, g));
        if (p.d < 0)
            continue;
        if (p.node == CR_NO_NODE && (p.node = split_at(s, p.seg, p.shape)) == CR_NO_NODE)
            return -1;
        target[g] = p.node;
        dist[g] = p.d;
    }
    keep = *s->stats;
    if ((node = cr_sc_add_node(s, in->lon_e7, in->lat_e7, CR_GROUP_TERMINAL)) == CR_NO_NODE)
        return -1;
    SC_AT(s->osm_id, int64_t, node) = 0;
    SC_AT(s->flags, uint8_t, node) = CR_NODE_LCC;
    a.mode = CR_MODE_TRANSFER;
    if ((a.name = cr_sc_intern(s, in->name)) == UINT32_MAX)
        return -1;
    a.duration_s = in->handling_time_s == CR_TERMINAL_DEFAULT ? 0 : in->handling_time_s;
    if (cr_vec_append(&s->ways, &a, 1))
        return -1;
    for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
        if (target[g] == CR_NO_NODE)
            continue;
        if (cr_sc_add_segment(s, way, node, target[g], &in->lon_e7, &in->lat_e7, 0, dist[g],
                              CR_ONEWAY_NO))
            return -1;
        t.linked |= (uint8_t)(1u << g);
    }
    *s->stats = keep; /* a terminal is not a road added */
    t.lon_e7 = in->lon_e7;
    t.lat_e7 = in->lat_e7;
    t.node = node;
    t.name = a.name;
    t.handling_time_s = in->handling_time_s;
    t.handling_cost = in->handling_cost;
    t.modes = in->modes;
    t.source = CR_TERMINAL_FILE;
    t.kind = in->kind;
    s->stats->terminals_added++;
    if (t.linked != in->modes)
        s->stats->terminals_partly_linked++;
    return cr_vec_append(&s->terms, &t, 1);
}

enum cr_status
cr_sc_terminals(struct scen *s, struct cr_error *err)
{
    struct cr_terminal_list list = { 0 };
    enum cr_status st = cr_terminals_read(s->o->terminals, &list, err);
    uint8_t *live = NULL;

    if (st)
        return st;
    for (size_t i = 0; i < list.count && !st; i++)
        if (add_terminal(s, &list.items[i], &live))
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->terminals);
    free(live);
    cr_terminal_list_fini(&list);
    return st;
}
