/*
 * A scenario network: the base network copied (ids of nodes, segments, ways, terminals and
 * restrictions kept), closures applied, new lines added with their joins, the edges sorted into
 * a new CSR with the mapping to the base edges, the largest components marked again as the
 * importer marks them, provenance added, and the whole written through cr_graph_write_extra.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>

#include "core/geo.h"
#include "core/netfile.h"
#include "core/scc.h"
#include "corridor/version.h"
#include "importers/scenario/scenario_int.h"

static enum cr_status
oom(const struct scen *s, struct cr_error *err)
{
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->output);
}

uint32_t
cr_sc_intern(struct scen *s, const char *str)
{
    size_t at = s->strings.len;

    if (!str || !*str)
        return 0;
    if (at >= UINT32_MAX || cr_vec_append(&s->strings, str, strlen(str) + 1))
        return UINT32_MAX;
    return (uint32_t)at;
}

uint32_t
cr_sc_add_node(struct scen *s, int32_t lon, int32_t lat, uint8_t group)
{
    int64_t id = -(int64_t)(s->lon.len - s->base->node_count + 1);
    uint8_t zero = 0;

    if (s->lon.len >= UINT32_MAX - 1 || cr_vec_append(&s->lon, &lon, 1) ||
        cr_vec_append(&s->lat, &lat, 1) || cr_vec_append(&s->osm_id, &id, 1) ||
        cr_vec_append(&s->group, &group, 1) || cr_vec_append(&s->barrier, &zero, 1) ||
        cr_vec_append(&s->flags, &zero, 1) || cr_vec_append(&s->closed, &zero, 1))
        return CR_NO_NODE;
    s->stats->nodes_added++;
    return (uint32_t)(s->lon.len - 1);
}

int
cr_sc_add_segment(struct scen *s, uint32_t way, uint32_t a, uint32_t b, const int32_t *lon,
                  const int32_t *lat, size_t n, double length_m, uint8_t oneway)
{
    uint32_t seg = (uint32_t)s->seg_way.len, nodes[2] = { a, b };
    uint32_t shape = (uint32_t)s->shape_lon.len, count = (uint32_t)n;
    double cm = length_m * 100.0;
    uint32_t len = cm >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)llround(cm);
    struct sc_edge e[2] = { { a, b, seg, CR_NO_EDGE },
                            { b, a, seg | CR_SEGMENT_REVERSED, CR_NO_EDGE } };

    if (cr_vec_append(&s->seg_way, &way, 1) || cr_vec_append(&s->seg_len, &len, 1) ||
        cr_vec_append(&s->seg_node, nodes, 2) || cr_vec_append(&s->seg_sfirst, &shape, 1) ||
        cr_vec_append(&s->seg_scount, &count, 1) || cr_vec_append(&s->shape_lon, lon, n) ||
        cr_vec_append(&s->shape_lat, lat, n))
        return -1;
    if (oneway != CR_ONEWAY_BACKWARD && cr_vec_append(&s->edges, &e[0], 1))
        return -1;
    if (oneway != CR_ONEWAY_FORWARD && cr_vec_append(&s->edges, &e[1], 1))
        return -1;
    s->stats->segments_added++;
    s->stats->edges_added += (oneway == CR_ONEWAY_FORWARD || oneway == CR_ONEWAY_BACKWARD) ? 1 : 2;
    s->stats->km_added += length_m / 1000.0;
    return 0;
}

/* ---- the base, copied -------------------------------------------------------------------- */

static enum cr_status
copy_base(struct scen *s, struct cr_error *err)
{
    const struct cr_graph_view *v = s->base;
    uint32_t n = v->node_count, m = v->segment_count;

    cr_vec_init(&s->lon, 4);
    cr_vec_init(&s->lat, 4);
    cr_vec_init(&s->osm_id, 8);
    cr_vec_init(&s->group, 1);
    cr_vec_init(&s->barrier, 1);
    cr_vec_init(&s->flags, 1);
    cr_vec_init(&s->closed, 1);
    cr_vec_init(&s->seg_way, 4);
    cr_vec_init(&s->seg_len, 4);
    cr_vec_init(&s->seg_node, 4);
    cr_vec_init(&s->seg_sfirst, 4);
    cr_vec_init(&s->seg_scount, 4);
    cr_vec_init(&s->shape_lon, 4);
    cr_vec_init(&s->shape_lat, 4);
    cr_vec_init(&s->ways, sizeof(struct cr_way_attr));
    cr_vec_init(&s->strings, 1);
    cr_vec_init(&s->edges, sizeof(struct sc_edge));
    cr_vec_init(&s->terms, sizeof(struct cr_terminal));
    if (cr_vec_append(&s->lon, v->lon_e7, n) || cr_vec_append(&s->lat, v->lat_e7, n) ||
        cr_vec_append(&s->osm_id, v->osm_id, n) || cr_vec_append(&s->group, v->group, n) ||
        cr_vec_append(&s->barrier, v->barrier, n) || cr_vec_append(&s->flags, v->node_flags, n) ||
        cr_vec_append(&s->closed, v->node_closed, n) ||
        cr_vec_append(&s->seg_way, v->segment_way, m) ||
        cr_vec_append(&s->seg_len, v->segment_length_cm, m) ||
        cr_vec_append(&s->seg_node, v->segment_node, 2 * (size_t)m) ||
        cr_vec_append(&s->seg_sfirst, v->segment_first_shape, m) ||
        cr_vec_append(&s->seg_scount, NULL, m) ||
        cr_vec_append(&s->shape_lon, v->shape_lon_e7, v->shape_count) ||
        cr_vec_append(&s->shape_lat, v->shape_lat_e7, v->shape_count) ||
        cr_vec_append(&s->ways, v->ways, v->way_count) ||
        cr_vec_append(&s->terms, v->terminals, v->terminal_count) ||
        cr_vec_append(&s->strings, v->strings, v->strings_size) ||
        !(s->seg_closed = calloc((size_t)m + 1, 1)))
        return oom(s, err);
    if (!v->strings_size && cr_vec_append(&s->strings, "", 1))
        return oom(s, err);
    for (uint32_t i = 0; i < m; i++)
        SC_AT(s->seg_scount, uint32_t, i) =
            v->segment_first_shape[i + 1] - v->segment_first_shape[i];
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t e = v->first_out[u]; e < v->first_out[u + 1]; e++) {
            struct sc_edge rec = { u, v->head[e], v->edge_segment[e], e };
            if (cr_vec_append(&s->edges, &rec, 1))
                return oom(s, err);
        }
    return CR_OK;
}

/* Drops the edges of the closed base segments (base edges come first in s->edges). */
static void
drop_closed_edges(struct scen *s)
{
    size_t out = 0;

    for (size_t i = 0; i < s->edges.len; i++) {
        struct sc_edge e = SC_AT(s->edges, struct sc_edge, i);
        uint32_t seg = e.segment & ~CR_SEGMENT_REVERSED;
        if (e.base != CR_NO_EDGE && seg < s->base->segment_count && s->seg_closed[seg])
            continue;
        SC_AT(s->edges, struct sc_edge, out++) = e;
    }
    s->edges.len = out;
}

/* ---- the new lines' segments -------------------------------------------------------------- */

static int
emit(struct scen *s, const struct sc_line *l, size_t from, size_t to)
{
    const int32_t *lon = s->pt_lon.data, *lat = s->pt_lat.data;
    const uint32_t *node = s->pt_node.data;
    double len = 0;

    if (node[from] == node[to]) { /* a loop: split it at its middle vertex */
        size_t mid = from + (to - from) / 2;
        if (to - from < 2)
            return 0; /* nothing between: no segment */
        if ((SC_AT(s->pt_node, uint32_t, mid) = cr_sc_add_node(s, lon[mid], lat[mid], l->group)) ==
            CR_NO_NODE)
            return -1;
        return emit(s, l, from, mid) || emit(s, l, mid, to);
    }
    for (size_t p = from; p < to; p++)
        len += cr_geo_distance_m(lon[p], lat[p], lon[p + 1], lat[p + 1]);
    return cr_sc_add_segment(s, l->way, node[from], node[to], lon + from + 1, lat + from + 1,
                             to - from - 1, len, l->oneway);
}

static enum cr_status
line_segments(struct scen *s, struct cr_error *err)
{
    for (size_t i = 0; i < s->lines.len; i++) {
        const struct sc_line *l = &SC_AT(s->lines, struct sc_line, i);
        size_t start = l->first, end = l->first + l->count - 1;
        for (size_t p = l->first + 1; p <= end; p++) {
            if (SC_AT(s->pt_node, uint32_t, p) == CR_NO_NODE)
                continue;
            if (emit(s, l, start, p))
                return oom(s, err);
            start = p;
        }
    }
    return CR_OK;
}

/* ---- base segments split where a join took one of their shape points ---------------------- */

/* Length in cm of the polyline A, shape points FIRST .. FIRST+N-1 of the pool, B. */
uint32_t
cr_sc_piece_cm(const struct scen *s, uint32_t a, uint32_t b, uint32_t first, uint32_t n)
{
    const int32_t *lon = s->lon.data, *lat = s->lat.data;
    const int32_t *sx = s->shape_lon.data, *sy = s->shape_lat.data;
    int32_t px = lon[a], py = lat[a];
    double m = 0;

    for (uint32_t i = first; i < first + n; i++) {
        m += cr_geo_distance_m(px, py, sx[i], sy[i]);
        px = sx[i];
        py = sy[i];
    }
    m += cr_geo_distance_m(px, py, lon[b], lat[b]);
    return m * 100.0 >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)llround(m * 100.0);
}

/* Splits base segment SEG at its shape points that became nodes: the first piece keeps SEG's id,
 * the others are new segments of the same way; each keeps the base segment's directions, and
 * their edges map to the base edges (scenario.base_edge). */
static int
split_one(struct scen *s, uint32_t seg)
{
    const struct cr_graph_view *v = s->base;
    uint32_t first = v->segment_first_shape[seg], last = v->segment_first_shape[seg + 1];
    uint32_t b = v->segment_node[2 * seg + 1], fwd = v->segment_edge[2 * seg];
    uint32_t bwd = v->segment_edge[2 * seg + 1], cur = seg, from = v->segment_node[2 * seg];
    uint32_t start = first;

    for (uint32_t k = first; k <= last; k++) {
        uint32_t to = k < last ? s->split_node[k] : b, end = k;
        if (to == CR_NO_NODE)
            continue;
        if (cur != seg) { /* a new segment for this piece */
            uint32_t nodes[2] = { from, to }, zero = 0;
            if (cr_vec_append(&s->seg_way, &v->segment_way[seg], 1) ||
                cr_vec_append(&s->seg_len, &zero, 1) || cr_vec_append(&s->seg_node, nodes, 2) ||
                cr_vec_append(&s->seg_sfirst, &start, 1) || cr_vec_append(&s->seg_scount, &zero, 1))
                return -1;
            if (fwd != CR_NO_EDGE) {
                struct sc_edge e = { from, to, cur, fwd };
                if (cr_vec_append(&s->edges, &e, 1))
                    return -1;
            }
            if (bwd != CR_NO_EDGE) {
                struct sc_edge e = { to, from, cur | CR_SEGMENT_REVERSED, bwd };
                if (cr_vec_append(&s->edges, &e, 1))
                    return -1;
            }
        } else { /* the first piece: the base edges now end at TO */
            SC_AT(s->seg_node, uint32_t, 2 * seg + 1) = to;
            if (fwd != CR_NO_EDGE)
                SC_AT(s->edges, struct sc_edge, fwd).head = to;
            if (bwd != CR_NO_EDGE)
                SC_AT(s->edges, struct sc_edge, bwd).tail = to;
        }
        SC_AT(s->seg_sfirst, uint32_t, cur) = start;
        SC_AT(s->seg_scount, uint32_t, cur) = end - start;
        SC_AT(s->seg_len, uint32_t, cur) = cr_sc_piece_cm(s, from, to, start, end - start);
        from = to;
        start = k + 1;
        cur = (uint32_t)s->seg_way.len; /* the next piece's id */
    }
    return 0;
}

static enum cr_status
split_segments(struct scen *s, struct cr_error *err)
{
    const struct cr_graph_view *v = s->base;

    for (uint32_t seg = 0; seg < v->segment_count; seg++) {
        int split = 0;
        for (uint32_t k = v->segment_first_shape[seg]; k < v->segment_first_shape[seg + 1]; k++)
            split |= s->split_node[k] != CR_NO_NODE;
        if (split && split_one(s, seg))
            return oom(s, err);
    }
    return CR_OK;
}

/* ---- CSR, components ----------------------------------------------------------------------- */

/* Sorts the edges by tail, stably (base edges keep their order, new ones follow them). */
static enum cr_status
build_csr(struct scen *s, struct cr_error *err)
{
    size_t n = s->lon.len, m = s->edges.len, segs = s->seg_way.len;
    uint32_t *pos;

    s->first_out = calloc(n + 1, sizeof *s->first_out);
    s->head = malloc((m + 1) * sizeof *s->head);
    s->edge_segment = malloc((m + 1) * sizeof *s->edge_segment);
    s->base_edge = malloc((m + 1) * sizeof *s->base_edge);
    s->seg_edge = malloc((2 * segs + 1) * sizeof *s->seg_edge);
    pos = malloc((n + 1) * sizeof *pos);
    if (!s->first_out || !s->head || !s->edge_segment || !s->base_edge || !s->seg_edge || !pos) {
        free(pos);
        return oom(s, err);
    }
    for (size_t i = 0; i < m; i++)
        s->first_out[SC_AT(s->edges, struct sc_edge, i).tail + 1]++;
    for (size_t v = 0; v < n; v++)
        s->first_out[v + 1] += s->first_out[v];
    memcpy(pos, s->first_out, n * sizeof *pos);
    for (size_t i = 0; i < 2 * segs; i++)
        s->seg_edge[i] = CR_NO_EDGE;
    for (size_t i = 0; i < m; i++) {
        const struct sc_edge *e = &SC_AT(s->edges, struct sc_edge, i);
        uint32_t at = pos[e->tail]++, seg = e->segment & ~CR_SEGMENT_REVERSED;
        s->head[at] = e->head;
        s->edge_segment[at] = e->segment;
        s->base_edge[at] = e->base;
        s->seg_edge[2 * seg + ((e->segment & CR_SEGMENT_REVERSED) ? 1 : 0)] = at;
    }
    free(pos);
    return CR_OK;
}

/* The largest strongly connected component of each group (road, rail, water), by the length of
 * its inner edges plus one per node, as the importer marks it; terminals keep their flags. */
static enum cr_status
mark_components(struct scen *s, struct cr_error *err)
{
    if (cr_scc_mark_largest((uint32_t)s->lon.len, s->first_out, s->head, s->edge_segment,
                            s->seg_len.data, s->group.data, s->flags.data))
        return oom(s, err);
    return CR_OK;
}

static void
free_csr(struct scen *s)
{
    free(s->first_out);
    free(s->head);
    free(s->edge_segment);
    free(s->seg_edge);
    free(s->base_edge);
    s->first_out = s->head = s->edge_segment = s->seg_edge = s->base_edge = NULL;
}

/* ---- provenance, writing --------------------------------------------------------------------- */

static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static json_t *
text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The base's provenance with a "scenario" object added (docs/scenario.md). */
static enum cr_status
make_meta(struct scen *s, struct cr_error *err)
{
    const struct cr_scenario_options *o = s->o;
    const struct cr_scenario_stats *st = s->stats;
    json_t *root = s->base->meta ? json_loads(s->base->meta, 0, NULL) : NULL, *sc, *in, *ch;
    char crc[16];

    if (!json_is_object(root)) {
        json_decref(root);
        root = json_object();
    }
    sc = json_object();
    in = json_object();
    ch = json_object();
    snprintf(crc, sizeof crc, "%08x", st->base_crc32);
    json_object_set_new(sc, "name", json_string(o->name ? o->name : base_name(o->output)));
    json_object_set_new(sc, "base", json_string(o->base));
    json_object_set_new(sc, "base_bytes", json_integer((json_int_t)st->base_bytes));
    json_object_set_new(sc, "base_crc32", json_string(crc));
    json_object_set_new(in, "add", text_or_null(o->add));
    json_object_set_new(in, "interchanges", text_or_null(o->interchanges));
    json_object_set_new(in, "close", text_or_null(o->close));
    json_object_set_new(in, "join_radius_m", json_real(s->radius_m));
    json_object_set_new(in, "s_srs", text_or_null(o->s_srs));
    json_object_set_new(in, "terminals", text_or_null(o->terminals));
    json_object_set_new(sc, "inputs", in);
    json_object_set_new(ch, "km_added", json_real(round(st->km_added * 1000.0) / 1000.0));
    json_object_set_new(ch, "km_closed", json_real(round(st->km_closed * 1000.0) / 1000.0));
    json_object_set_new(ch, "features", json_integer(st->features));
    json_object_set_new(ch, "ways_added", json_integer(st->ways_added));
    json_object_set_new(ch, "nodes_added", json_integer(st->nodes_added));
    json_object_set_new(ch, "segments_added", json_integer(st->segments_added));
    json_object_set_new(ch, "segments_closed", json_integer(st->segments_closed));
    json_object_set_new(ch, "interchanges", json_integer(st->interchanges));
    json_object_set_new(ch, "links", json_integer(st->links));
    json_object_set_new(ch, "segments_split", json_integer(st->splits));
    json_object_set_new(ch, "end_joins", json_integer(st->end_joins));
    json_object_set_new(ch, "ends_open", json_integer(st->ends_open));
    json_object_set_new(ch, "vertex_joins", json_integer(st->vertex_joins));
    json_object_set_new(ch, "terminals_added", json_integer(st->terminals_added));
    json_object_set_new(ch, "terminals_partly_linked", json_integer(st->terminals_partly_linked));
    json_object_set_new(ch, "ways_set", json_integer(st->ways_set));
    json_object_set_new(ch, "km_set", json_real(round(st->km_set * 1000.0) / 1000.0));
    json_object_set_new(sc, "changes", ch);
    json_object_set_new(sc, "set", cr_sc_set_json(s));
    json_object_set_new(sc, "corridor_version", json_string(CORRIDOR_VERSION_STRING));
    if (json_is_object(json_object_get(root, "scenario"))) /* a scenario of a scenario */
        json_object_set(sc, "base_scenario", json_object_get(root, "scenario"));
    json_object_set_new(root, "scenario", sc);
    s->meta = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    return s->meta ? CR_OK : oom(s, err);
}

/* Whether the base's section NAME is carried into the scenario byte for byte: the optional
 * sections keyed by node, way record, restriction or terminal, whose ids (and string offsets) the
 * scenario keeps, new ones coming after the base's (docs/network-file.md, "Optional sections and
 * corridor scenario"). Sections the view holds are written from the view instead (if_absent);
 * edges, segments, shapes and contraction hierarchies are rebuilt or dropped. */
static int
carried(const char *name)
{
    static const char *const prefixes[] = { "node.", "way.", "restriction.", "terminal." };

    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
            return 1;
    return 0;
}

/* The sections written besides the graph's: scenario.base_edge, then each carried section of
 * the base (at most CAP in all); their count. */
static size_t
extra_sections(const struct scen *s, struct cr_graph_section *out, size_t cap)
{
    const struct cr_netfile *f = s->base_file;
    size_t n = 0;

    out[n++] = (struct cr_graph_section){ .name = CR_SCENARIO_SECTION,
                                          .data = s->base_edge,
                                          .elem_size = sizeof(uint32_t),
                                          .count = s->edges.len };
    for (uint32_t i = 0; f && i < f->header->section_count && n < cap; i++) {
        const struct cr_netfile_section *sec = &f->sections[i];
        char name[CR_NETFILE_NAME_MAX + 1] = { 0 };
        memcpy(name, sec->name, CR_NETFILE_NAME_MAX);
        if (!carried(name) || sec->elem_size == 0)
            continue;
        out[n++] = (struct cr_graph_section){ .name = sec->name,
                                              .data = f->data + sec->offset,
                                              .elem_size = sec->elem_size,
                                              .count = sec->size / sec->elem_size,
                                              .if_absent = 1 };
    }
    return n;
}

static enum cr_status
write_out(struct scen *s, struct cr_error *err)
{
    const struct cr_graph_view *b = s->base;
    struct cr_graph_view v = *b;
    struct cr_graph_section extra[CR_NETFILE_MAX_SECTIONS];
    size_t segs = s->seg_way.len, at = 0,
           nextra = extra_sections(s, extra, CR_NETFILE_MAX_SECTIONS);
    enum cr_status st;

    /* the shape points in segment order (split pieces share their base segment's points) */
    s->out_first = malloc((segs + 1) * sizeof *s->out_first);
    s->out_lon = malloc((s->shape_lon.len + 1) * sizeof *s->out_lon);
    s->out_lat = malloc((s->shape_lon.len + 1) * sizeof *s->out_lat);
    if (!s->out_first || !s->out_lon || !s->out_lat)
        return oom(s, err);
    for (size_t i = 0; i < segs; i++) {
        uint32_t first = SC_AT(s->seg_sfirst, uint32_t, i), n = SC_AT(s->seg_scount, uint32_t, i);
        s->out_first[i] = (uint32_t)at;
        memcpy(s->out_lon + at, &SC_AT(s->shape_lon, int32_t, first), n * sizeof(int32_t));
        memcpy(s->out_lat + at, &SC_AT(s->shape_lat, int32_t, first), n * sizeof(int32_t));
        at += n;
    }
    s->out_first[segs] = (uint32_t)at;
    v.node_count = (uint32_t)s->lon.len;
    v.edge_count = (uint32_t)s->edges.len;
    v.segment_count = (uint32_t)s->seg_way.len;
    v.way_count = (uint32_t)s->ways.len;
    v.shape_count = (uint32_t)at;
    v.strings_size = s->strings.len;
    v.lon_e7 = s->lon.data;
    v.lat_e7 = s->lat.data;
    v.osm_id = s->osm_id.data;
    v.group = s->group.data;
    v.barrier = s->barrier.data;
    v.node_flags = s->flags.data;
    v.node_closed = s->closed.data;
    v.first_out = s->first_out;
    v.head = s->head;
    v.edge_segment = s->edge_segment;
    v.segment_way = s->seg_way.data;
    v.segment_length_cm = s->seg_len.data;
    v.segment_node = s->seg_node.data;
    v.segment_edge = s->seg_edge;
    v.segment_first_shape = s->out_first;
    v.shape_lon_e7 = s->out_lon;
    v.shape_lat_e7 = s->out_lat;
    v.ways = s->ways.data;
    v.terminals = s->terms.data;
    v.terminal_count = (uint32_t)s->terms.len;
    v.strings = s->strings.data;
    v.meta = s->meta;
    st = cr_graph_write_extra(&v, extra, nextra, s->o->output, err);
    return st;
}

static void
base_bbox(struct scen *s)
{
    const struct cr_graph_view *v = s->base;
    double *bb = s->bbox;

    bb[0] = bb[1] = INFINITY;
    bb[2] = bb[3] = -INFINITY;
    for (uint32_t i = 0; i < v->node_count; i++) {
        bb[0] = fmin(bb[0], v->lon_e7[i] * 1e-7);
        bb[1] = fmin(bb[1], v->lat_e7[i] * 1e-7);
        bb[2] = fmax(bb[2], v->lon_e7[i] * 1e-7);
        bb[3] = fmax(bb[3], v->lat_e7[i] * 1e-7);
    }
}

static void
scen_fini(struct scen *s)
{
    struct cr_vec *vecs[] = { &s->lines,      &s->pt_lon,    &s->pt_lat,    &s->pt_node,
                              &s->ic_lon,     &s->ic_lat,    &s->shapes,    &s->cl_lon,
                              &s->cl_lat,     &s->lon,       &s->lat,       &s->osm_id,
                              &s->group,      &s->barrier,   &s->flags,     &s->closed,
                              &s->seg_way,    &s->seg_len,   &s->seg_node,  &s->seg_sfirst,
                              &s->seg_scount, &s->pt_joined, &s->shape_lon, &s->shape_lat,
                              &s->ways,       &s->strings,   &s->edges,     &s->terms };
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
        cr_vec_fini(vecs[i]);
    free(s->seg_closed);
    free(s->usable);
    free(s->shape_seg);
    free(s->split_node);
    free(s->out_first);
    free(s->out_lon);
    free(s->out_lat);
    free(s->grid);
    free(s->grid_key);
    free(s->first_out);
    free(s->head);
    free(s->edge_segment);
    free(s->seg_edge);
    free(s->base_edge);
    free(s->meta);
    free(s->set_closed);
    free(s->set_oneway);
    free(s->set_ways);
    free(s->set_km);
}

/* The steps after the base is open. */
static enum cr_status
build(struct scen *s, struct cr_error *err)
{
    enum cr_status st;

    cr_vec_init(&s->lines, sizeof(struct sc_line));
    cr_vec_init(&s->pt_lon, 4);
    cr_vec_init(&s->pt_lat, 4);
    cr_vec_init(&s->pt_node, 4);
    cr_vec_init(&s->pt_joined, 1);
    cr_vec_init(&s->ic_lon, 4);
    cr_vec_init(&s->ic_lat, 4);
    cr_vec_init(&s->shapes, sizeof(struct sc_shape));
    cr_vec_init(&s->cl_lon, sizeof(double));
    cr_vec_init(&s->cl_lat, sizeof(double));
    base_bbox(s);
    if ((st = copy_base(s, err)))
        return st;
    if ((s->o->add && (st = cr_sc_read_add(s, err))) ||
        (s->o->interchanges && (st = cr_sc_read_interchanges(s, err))) ||
        (s->o->close && (st = cr_sc_read_close(s, err))))
        return st;
    if (s->o->set_count && (st = cr_sc_apply_set(s, err)))
        return st;
    if (s->o->close && (st = cr_sc_apply_close(s, err)))
        return st;
    if ((st = cr_sc_grid_build(s, err)) || (st = cr_sc_joins(s, err)) ||
        (st = line_segments(s, err)) || (st = split_segments(s, err)) ||
        (st = cr_sc_set_edges(s, err)))
        return st;
    drop_closed_edges(s);
    if ((st = build_csr(s, err)) || (st = mark_components(s, err)))
        return st;
    if (s->o->terminals) { /* joined as the importer joins them: in the components found */
        free_csr(s);
        if ((st = cr_sc_terminals(s, err)) || (st = build_csr(s, err)) ||
            (st = mark_components(s, err)))
            return st;
    }
    if ((st = make_meta(s, err)))
        return st;
    return write_out(s, err);
}

enum cr_status
cr_scenario_build(const struct cr_scenario_options *o, struct cr_scenario_stats *stats,
                  struct cr_error *err)
{
    struct scen s;
    struct cr_graph *g;
    const struct cr_netfile *f;
    enum cr_status st;

    memset(&s, 0, sizeof s);
    memset(stats, 0, sizeof *stats);
    s.o = o;
    s.stats = stats;
    s.radius_m = o->join_radius_m > 0 ? o->join_radius_m : CR_SCENARIO_JOIN_RADIUS_M;
    if (!o->add && !o->close && !o->set_count && !o->terminals)
        return cr_error_set(err, CR_EINVAL,
                            "%s: nothing to change: give --add, --close, --set or --terminals",
                            o->base);
    if (o->interchanges && !o->add)
        return cr_error_set(err, CR_EINVAL, "%s: --interchanges needs --add", o->interchanges);
    if ((st = cr_netfile_check_folder(o->output, err)))
        return st;
    if (!(g = cr_graph_open(o->base, err)))
        return err ? err->code : CR_EFORMAT;
    s.base = cr_graph_view(g);
    f = cr_graph_file(g);
    s.base_file = f;
    stats->base_bytes = f->size;
    stats->base_crc32 = cr_crc32(0, f->data, f->size);
    st = build(&s, err);
    scen_fini(&s);
    cr_graph_close(g);
    return st;
}
