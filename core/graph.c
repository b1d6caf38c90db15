#include "core/graph.h"

#include <stdlib.h>
#include <string.h>

#include "core/netfile.h"

struct cr_graph {
    struct cr_netfile file;
    struct cr_graph_view view;
};

/* ---- reading -------------------------------------------------------------------------------- */

/* Fetches section NAME into *OUT; a missing section means the file is no graph. ERR is not
 * NULL. */
static enum cr_status
fetch(const struct cr_netfile *f, const char *name, uint32_t elem_size, const void **out,
      uint64_t *count, struct cr_error *err)
{
    *out = cr_netfile_section(f, name, elem_size, count, err);
    if (*out)
        return CR_OK;
    if (err->code == CR_ENOTFOUND)
        return cr_error_set(err, CR_EFORMAT, "%s: no section %s: not a corridor graph", f->path,
                            name);
    return err->code;
}

/* A count that must fit an id with CR_NO_NODE / CR_NO_EDGE to spare. */
static enum cr_status
id_count(const struct cr_netfile *f, const char *name, uint64_t count, uint32_t *out,
         struct cr_error *err)
{
    if (count >= UINT32_MAX)
        return cr_error_set(err, CR_EFORMAT, "%s: section %s: %llu elements, at most %u", f->path,
                            name, (unsigned long long)count, UINT32_MAX - 1);
    *out = (uint32_t)count;
    return CR_OK;
}

static enum cr_status
want_count(const struct cr_netfile *f, const char *name, uint64_t have, uint64_t want,
           const char *what, struct cr_error *err)
{
    if (have == want)
        return CR_OK;
    return cr_error_set(err, CR_EFORMAT, "%s: section %s: %llu elements, expected %llu (%s)",
                        f->path, name, (unsigned long long)have, (unsigned long long)want, what);
}

/* Optional section NAME of ELEM-byte elements into *OUT (NULL when absent or empty) and *COUNT;
 * an error only when it is there but damaged. */
static enum cr_status
optional(const struct cr_netfile *f, const char *name, uint32_t elem, const void **out,
         uint32_t *count, struct cr_error *err)
{
    uint64_t c = 0;
    const void *p = cr_netfile_section(f, name, elem, &c, err);

    *out = NULL;
    *count = 0;
    if (!p && err->code != CR_ENOTFOUND)
        return err->code;
    if (p && id_count(f, name, c, count, err))
        return err->code;
    *out = p && c ? p : NULL;
    if (!*out)
        *count = 0;
    err->code = CR_OK;
    err->msg[0] = '\0';
    return CR_OK;
}

/* Fills g->view from g->file's sections and checks the lengths agree. ERR is not NULL. */
static enum cr_status
fill_view(struct cr_graph *g, struct cr_error *err)
{
    const struct cr_netfile *f = &g->file;
    struct cr_graph_view *v = &g->view;
    uint64_t n, c;
    const void *p;
#define FETCH(name, type, field, want, what)                                                       \
    do {                                                                                           \
        if (fetch(f, name, sizeof(type), &p, &c, err) || want_count(f, name, c, want, what, err))  \
            return err->code;                                                                      \
        v->field = p;                                                                              \
    } while (0)

    if (fetch(f, "node.lon_e7", sizeof(int32_t), &p, &n, err) ||
        id_count(f, "node.lon_e7", n, &v->node_count, err))
        return err->code;
    v->lon_e7 = p;
    FETCH("node.lat_e7", int32_t, lat_e7, n, "node count");
    FETCH("node.osm_id", int64_t, osm_id, n, "node count");
    FETCH("node.group", uint8_t, group, n, "node count");
    FETCH("node.barrier", uint8_t, barrier, n, "node count");
    FETCH("node.flags", uint8_t, node_flags, n, "node count");
    FETCH("node.first_out", uint32_t, first_out, n + 1, "node count + 1");
    /* optional: files written before node access was read have no node.closed */
    p = cr_netfile_section(f, "node.closed", 1, &c, err);
    if (!p && err->code != CR_ENOTFOUND)
        return err->code;
    if (p && want_count(f, "node.closed", c, n, "node count", err))
        return err->code;
    v->node_closed = p;
    err->code = CR_OK;
    err->msg[0] = '\0';

    if (fetch(f, "edge.head", sizeof(uint32_t), &p, &n, err) ||
        id_count(f, "edge.head", n, &v->edge_count, err))
        return err->code;
    v->head = p;
    FETCH("edge.segment", uint32_t, edge_segment, n, "edge count");

    if (fetch(f, "segment.way", sizeof(uint32_t), &p, &n, err) ||
        id_count(f, "segment.way", n, &v->segment_count, err))
        return err->code;
    v->segment_way = p;
    FETCH("segment.length_cm", uint32_t, segment_length_cm, n, "segment count");
    FETCH("segment.node", uint32_t, segment_node, 2 * n, "2 x segment count");
    FETCH("segment.edge", uint32_t, segment_edge, 2 * n, "2 x segment count");
    FETCH("segment.first_shape", uint32_t, segment_first_shape, n + 1, "segment count + 1");

    if (fetch(f, "shape.lon_e7", sizeof(int32_t), &p, &n, err) ||
        id_count(f, "shape.lon_e7", n, &v->shape_count, err))
        return err->code;
    v->shape_lon_e7 = p;
    FETCH("shape.lat_e7", int32_t, shape_lat_e7, n, "shape count");

    if (fetch(f, "way.attr", sizeof(struct cr_way_attr), &p, &n, err) ||
        id_count(f, "way.attr", n, &v->way_count, err))
        return err->code;
    v->ways = p;
    if (fetch(f, "terminal", sizeof(struct cr_terminal), &p, &n, err) ||
        id_count(f, "terminal", n, &v->terminal_count, err))
        return err->code;
    v->terminals = p;
    if (fetch(f, "restriction", sizeof(struct cr_restriction), &p, &n, err) ||
        id_count(f, "restriction", n, &v->restriction_count, err))
        return err->code;
    v->restrictions = p;
    if (fetch(f, "strings", 1, &p, &n, err))
        return err->code;
    v->strings = p;
    v->strings_size = n;
    if (fetch(f, "meta", 1, &p, &n, err))
        return err->code;
    if (n > 0 && ((const char *)p)[n - 1] != '\0')
        return cr_error_set(err, CR_EFORMAT, "%s: section meta: not NUL-terminated", f->path);
    v->meta = n > 0 ? p : "";
    /* optional: files written before several via ways were kept have no restriction.via */
    p = cr_netfile_section(f, "restriction.via", sizeof(uint32_t), &c, err);
    if (!p && err->code != CR_ENOTFOUND)
        return err->code;
    if (p && id_count(f, "restriction.via", c, &v->restriction_via_size, err))
        return err->code;
    v->restriction_via = p && c ? p : NULL;
    if (!v->restriction_via)
        v->restriction_via_size = 0;
    err->code = CR_OK;
    err->msg[0] = '\0';
    /* optional: conditional tags and restrictions (files written before them have none) */
    if (optional(f, "way.cond", sizeof(struct cr_cond_way), &p, &v->cond_way_count, err))
        return err->code;
    v->cond_ways = p;
    if (optional(f, "restriction.cond", sizeof(struct cr_cond_restriction), &p,
                 &v->cond_restriction_count, err))
        return err->code;
    v->cond_restrictions = p;
    /* and via a way (restriction.cond_way, newer files only) */
    if (optional(f, "restriction.cond_way", sizeof(struct cr_cond_restriction), &p,
                 &v->cond_via_way_count, err))
        return err->code;
    v->cond_via_ways = p;
    /* optional: files written before guidance read destinations have no way.destination */
    p = cr_netfile_section(f, "way.destination", 2 * sizeof(uint32_t), &c, err);
    if (!p && err->code != CR_ENOTFOUND)
        return err->code;
    if (p && id_count(f, "way.destination", c, &v->way_destination_count, err))
        return err->code;
    v->way_destination = p && c ? p : NULL;
    if (!v->way_destination)
        v->way_destination_count = 0;
    err->code = CR_OK;
    err->msg[0] = '\0';
    /* optional: files written before steps had exits and lanes have no way.guide */
    if (optional(f, "way.guide", sizeof(struct cr_way_guide), &p, &v->way_guide_count, err))
        return err->code;
    v->way_guide = p;
#undef FETCH
    return CR_OK;
}

struct cr_graph *
cr_graph_open(const char *path, struct cr_error *err)
{
    struct cr_error local;
    if (!err)
        err = &local; /* fill_view reads the code back */
    struct cr_graph *g = calloc(1, sizeof *g);
    if (!g) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", path ? path : "graph");
        return NULL;
    }
    if (cr_netfile_map(&g->file, path, err) || fill_view(g, err) ||
        cr_graph_validate(&g->view, g->file.path, err))
        goto fail; /* err already names file and why */
    return g;
fail:
    cr_graph_close(g);
    return NULL;
}

struct cr_graph *
cr_graph_open_mem(const void *data, size_t len, const char *name, struct cr_error *err)
{
    struct cr_error local;
    if (!err)
        err = &local; /* fill_view reads the code back */
    struct cr_graph *g = calloc(1, sizeof *g);
    if (!g) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", name ? name : "graph");
        return NULL;
    }
    if (cr_netfile_init_mem(&g->file, data, len, name, err) || fill_view(g, err) ||
        cr_graph_validate(&g->view, g->file.path, err))
        goto fail;
    return g;
fail:
    cr_graph_close(g);
    return NULL;
}

void
cr_graph_close(struct cr_graph *g)
{
    if (!g)
        return;
    cr_netfile_unmap(&g->file);
    free(g);
}

const struct cr_graph_view *
cr_graph_view(const struct cr_graph *g)
{
    return &g->view;
}

/* ---- writing -------------------------------------------------------------------------------- */

enum cr_status
cr_graph_write(const struct cr_graph_view *v, const char *path, struct cr_error *err)
{
    return cr_graph_write_extra(v, NULL, 0, path, err);
}

enum cr_status
cr_graph_write_extra(const struct cr_graph_view *v, const struct cr_graph_section *extra,
                     size_t extra_count, const char *path, struct cr_error *err)
{
    const uint64_t n = v->node_count, m = v->edge_count, s = v->segment_count;
    const struct {
        const char *name;
        const void *data;
        uint32_t elem_size;
        uint64_t count;
    } sections[] = {
        { "node.lon_e7", v->lon_e7, sizeof *v->lon_e7, n },
        { "node.lat_e7", v->lat_e7, sizeof *v->lat_e7, n },
        { "node.osm_id", v->osm_id, sizeof *v->osm_id, n },
        { "node.group", v->group, sizeof *v->group, n },
        { "node.barrier", v->barrier, sizeof *v->barrier, n },
        { "node.flags", v->node_flags, sizeof *v->node_flags, n },
        { "node.first_out", v->first_out, sizeof *v->first_out, n + 1 },
        { "edge.head", v->head, sizeof *v->head, m },
        { "edge.segment", v->edge_segment, sizeof *v->edge_segment, m },
        { "segment.way", v->segment_way, sizeof *v->segment_way, s },
        { "segment.length_cm", v->segment_length_cm, sizeof *v->segment_length_cm, s },
        { "segment.node", v->segment_node, sizeof *v->segment_node, 2 * s },
        { "segment.edge", v->segment_edge, sizeof *v->segment_edge, 2 * s },
        { "segment.first_shape", v->segment_first_shape, sizeof *v->segment_first_shape, s + 1 },
        { "shape.lon_e7", v->shape_lon_e7, sizeof *v->shape_lon_e7, v->shape_count },
        { "shape.lat_e7", v->shape_lat_e7, sizeof *v->shape_lat_e7, v->shape_count },
        { "way.attr", v->ways, sizeof *v->ways, v->way_count },
        { "terminal", v->terminals, sizeof *v->terminals, v->terminal_count },
        { "restriction", v->restrictions, sizeof *v->restrictions, v->restriction_count },
        { "strings", v->strings, 1, v->strings_size },
        { "meta", v->meta, 1, v->meta ? strlen(v->meta) + 1 : 0 },
    };
    enum cr_status rc = cr_graph_validate(v, path, err); /* a file that would not open: refuse */
    if (rc != CR_OK)
        return rc;
    struct cr_netfile_writer *w = cr_netfile_writer_create(path, err);
    if (!w)
        return err ? err->code : CR_EIO;
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        rc = cr_netfile_writer_add(w, sections[i].name, sections[i].data, sections[i].elem_size,
                                   sections[i].count, err);
        if (rc != CR_OK)
            goto done;
    }
    if (v->node_closed && (rc = cr_netfile_writer_add(w, "node.closed", v->node_closed, 1, n, err)))
        goto done;
    if (v->restriction_via_size &&
        (rc = cr_netfile_writer_add(w, "restriction.via", v->restriction_via,
                                    sizeof *v->restriction_via, v->restriction_via_size, err)))
        goto done;
    if (v->cond_way_count &&
        (rc = cr_netfile_writer_add(w, "way.cond", v->cond_ways, sizeof *v->cond_ways,
                                    v->cond_way_count, err)))
        goto done;
    if (v->cond_restriction_count &&
        (rc = cr_netfile_writer_add(w, "restriction.cond", v->cond_restrictions,
                                    sizeof *v->cond_restrictions, v->cond_restriction_count, err)))
        goto done;
    if (v->cond_via_way_count &&
        (rc = cr_netfile_writer_add(w, "restriction.cond_way", v->cond_via_ways,
                                    sizeof *v->cond_via_ways, v->cond_via_way_count, err)))
        goto done;
    if (v->way_destination_count &&
        (rc = cr_netfile_writer_add(w, "way.destination", v->way_destination,
                                    2 * sizeof *v->way_destination, v->way_destination_count, err)))
        goto done;
    if (v->way_guide_count &&
        (rc = cr_netfile_writer_add(w, "way.guide", v->way_guide, sizeof *v->way_guide,
                                    v->way_guide_count, err)))
        goto done;
    for (size_t i = 0; i < extra_count; i++)
        if (!(extra[i].if_absent && cr_netfile_writer_has(w, extra[i].name)) &&
            (rc = cr_netfile_writer_add(w, extra[i].name, extra[i].data, extra[i].elem_size,
                                        extra[i].count, err)))
            goto done;
    rc = cr_netfile_writer_commit(w, err);
done:
    cr_netfile_writer_destroy(w);
    return rc;
}

/* ---- validation ----------------------------------------------------------------------------- */

static int
class_is_valid(const struct cr_way_attr *a)
{
    switch (a->mode) {
    case CR_MODE_ROAD:
        return a->klass < CR_ROAD_CLASS_COUNT;
    case CR_MODE_RAIL:
        return a->klass < CR_RAIL_CLASS_COUNT;
    case CR_MODE_WATER:
        return a->klass < CR_WATER_CLASS_COUNT;
    default:
        return 1; /* ferry and transfer ways: klass unused */
    }
}

/* Arrays a view must have (NULL allowed only for an empty array). */
static enum cr_status
check_present(const struct cr_graph_view *v, const char *name, struct cr_error *err)
{
    const struct {
        const char *what;
        const void *p;
        uint64_t count;
    } arrays[] = {
        { "lon_e7", v->lon_e7, v->node_count },
        { "lat_e7", v->lat_e7, v->node_count },
        { "osm_id", v->osm_id, v->node_count },
        { "group", v->group, v->node_count },
        { "barrier", v->barrier, v->node_count },
        { "node_flags", v->node_flags, v->node_count },
        { "first_out", v->first_out, 1 },
        { "head", v->head, v->edge_count },
        { "edge_segment", v->edge_segment, v->edge_count },
        { "segment_way", v->segment_way, v->segment_count },
        { "segment_length_cm", v->segment_length_cm, v->segment_count },
        { "segment_node", v->segment_node, v->segment_count },
        { "segment_edge", v->segment_edge, v->segment_count },
        { "segment_first_shape", v->segment_first_shape, 1 },
        { "shape_lon_e7", v->shape_lon_e7, v->shape_count },
        { "shape_lat_e7", v->shape_lat_e7, v->shape_count },
        { "ways", v->ways, v->way_count },
        { "terminals", v->terminals, v->terminal_count },
        { "restrictions", v->restrictions, v->restriction_count },
        { "strings", v->strings, 1 },
    };
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        if (arrays[i].count > 0 && !arrays[i].p)
            return cr_error_set(err, CR_EFORMAT, "%s: %s missing", name, arrays[i].what);
    if (v->node_count == CR_NO_NODE || v->edge_count == CR_NO_EDGE)
        return cr_error_set(err, CR_EFORMAT, "%s: %u nodes, %u edges: too many", name,
                            v->node_count, v->edge_count);
    return CR_OK;
}

static enum cr_status
check_nodes(const struct cr_graph_view *v, const char *name, struct cr_error *err)
{
    const uint32_t n = v->node_count, m = v->edge_count;
    if (v->first_out[0] != 0)
        return cr_error_set(err, CR_EFORMAT, "%s: first_out[0] is %u, not 0", name,
                            v->first_out[0]);
    for (uint32_t u = 0; u < n; u++) {
        if (v->first_out[u + 1] < v->first_out[u])
            return cr_error_set(err, CR_EFORMAT, "%s: node %u: first_out goes down (%u after %u)",
                                name, u, v->first_out[u + 1], v->first_out[u]);
        if (v->group[u] >= CR_GROUP_COUNT)
            return cr_error_set(err, CR_EFORMAT, "%s: node %u: group %u unknown", name, u,
                                v->group[u]);
        if (v->barrier[u] > CR_BARRIER_OTHER)
            return cr_error_set(err, CR_EFORMAT, "%s: node %u: barrier %u unknown", name, u,
                                v->barrier[u]);
    }
    if (v->first_out[n] != m)
        return cr_error_set(err, CR_EFORMAT, "%s: first_out[%u] is %u, edge count is %u", name, n,
                            v->first_out[n], m);
    return CR_OK;
}

/* Edges and segments agree: each edge is the a->b or b->a edge of its segment, with tail and
 * head the segment's ends, and each edge a segment names points back at it. */
static enum cr_status
check_edges(const struct cr_graph_view *v, const char *name, struct cr_error *err)
{
    const uint32_t n = v->node_count, m = v->edge_count, s = v->segment_count;
    for (uint32_t u = 0; u < n; u++) {
        for (uint32_t e = v->first_out[u]; e < v->first_out[u + 1]; e++) {
            const uint32_t head = v->head[e], es = v->edge_segment[e];
            const uint32_t seg = es & ~CR_SEGMENT_REVERSED, back = (es & CR_SEGMENT_REVERSED) != 0;
            if (head >= n)
                return cr_error_set(err, CR_EFORMAT, "%s: edge %u: head %u out of range (%u nodes)",
                                    name, e, head, n);
            if (seg >= s)
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: edge %u: segment %u out of range (%u segments)", name, e,
                                    seg, s);
            const uint32_t a = v->segment_node[2 * seg], b = v->segment_node[2 * seg + 1];
            const uint32_t tail_want = back ? b : a, head_want = back ? a : b;
            if (v->segment_edge[2 * seg + back] != e || u != tail_want || head != head_want)
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: edge %u (%u->%u) disagrees with its segment %u "
                                    "(%u-%u, edges %u, %u)%s",
                                    name, e, u, head, seg, a, b, v->segment_edge[2 * seg],
                                    v->segment_edge[2 * seg + 1], back ? ", reversed" : "");
        }
    }
    for (uint32_t i = 0; i < s; i++) {
        for (uint32_t k = 0; k < 2; k++) {
            const uint32_t node = v->segment_node[2 * i + k], e = v->segment_edge[2 * i + k];
            if (node >= n)
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: segment %u: node %u out of range (%u nodes)", name, i,
                                    node, n);
            if (e == CR_NO_EDGE)
                continue;
            if (e >= m)
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: segment %u: edge %u out of range (%u edges)", name, i, e,
                                    m);
            if (v->edge_segment[e] != (i | (k ? CR_SEGMENT_REVERSED : 0)))
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: segment %u names edge %u, which belongs to segment %u%s",
                                    name, i, e, v->edge_segment[e] & ~CR_SEGMENT_REVERSED,
                                    v->edge_segment[e] & CR_SEGMENT_REVERSED ? " (reversed)" : "");
        }
        if (v->segment_way[i] >= v->way_count)
            return cr_error_set(err, CR_EFORMAT, "%s: segment %u: way %u out of range (%u ways)",
                                name, i, v->segment_way[i], v->way_count);
        if (v->segment_first_shape[i + 1] < v->segment_first_shape[i])
            return cr_error_set(err, CR_EFORMAT,
                                "%s: segment %u: first_shape goes down (%u after %u)", name, i,
                                v->segment_first_shape[i + 1], v->segment_first_shape[i]);
    }
    if (v->segment_first_shape[0] != 0 || v->segment_first_shape[s] != v->shape_count)
        return cr_error_set(
            err, CR_EFORMAT, "%s: segment_first_shape runs %u..%u, expected 0..%u (shape count)",
            name, v->segment_first_shape[0], v->segment_first_shape[s], v->shape_count);
    return CR_OK;
}

static enum cr_status
check_records(const struct cr_graph_view *v, const char *name, struct cr_error *err)
{
    const uint64_t strings = v->strings_size;
    if (strings == 0 || v->strings[0] != '\0' || v->strings[strings - 1] != '\0')
        return cr_error_set(err, CR_EFORMAT, "%s: strings must start and end with NUL (%llu bytes)",
                            name, (unsigned long long)strings);
    for (uint32_t i = 0; i < v->way_count; i++) {
        const struct cr_way_attr *a = &v->ways[i];
        if (a->mode >= CR_MODE_COUNT)
            return cr_error_set(err, CR_EFORMAT, "%s: way record %u: mode %u unknown", name, i,
                                a->mode);
        if (!class_is_valid(a))
            return cr_error_set(err, CR_EFORMAT, "%s: way record %u: class %u unknown for %s", name,
                                i, a->klass, cr_mode_name((enum cr_mode)a->mode));
        if (a->name >= strings || a->ref >= strings)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: way record %u: string offset out of range (%llu bytes)", name,
                                i, (unsigned long long)strings);
        for (int k = 0; k < CR_VEHICLE_COUNT; k++)
            if (a->access[k] > CR_ACCESS_AGRICULTURAL)
                return cr_error_set(err, CR_EFORMAT, "%s: way record %u: access %u unknown", name,
                                    i, a->access[k]);
    }
    for (uint32_t i = 0; i < v->terminal_count; i++) {
        const struct cr_terminal *t = &v->terminals[i];
        if (t->node >= v->node_count)
            return cr_error_set(err, CR_EFORMAT, "%s: terminal %u: node %u out of range (%u nodes)",
                                name, i, t->node, v->node_count);
        if (t->name >= strings)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: terminal %u: name offset %u out of range (%llu bytes)", name,
                                i, t->name, (unsigned long long)strings);
    }
    for (uint32_t i = 0; i < v->restriction_count; i++) {
        const struct cr_restriction *r = &v->restrictions[i];
        const uint32_t via_limit = r->via_is_way ? v->way_count : v->node_count;
        if (r->from_way >= v->way_count || r->to_way >= v->way_count || r->via >= via_limit ||
            r->kind > CR_RESTRICT_ONLY || r->via_is_way > 1 || r->only_vehicle > CR_VEHICLE_COUNT)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: restriction %u (relation %lld): way, node or kind out of "
                                "range",
                                name, i, (long long)r->osm_id);
    }
    if (v->restriction_via_size && !v->restriction_via)
        return cr_error_set(err, CR_EFORMAT, "%s: restriction_via missing", name);
    for (uint32_t at = 0, last = 0; at < v->restriction_via_size;) {
        const uint32_t *x = v->restriction_via + at;
        if (v->restriction_via_size - at < 3 || x[0] >= v->restriction_count ||
            (at > 0 && x[0] <= last) || !v->restrictions[x[0]].via_is_way || x[1] == 0 ||
            x[1] > v->restriction_via_size - at - 2)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: restriction.via at %u: bad record (restriction, count)", name,
                                at);
        for (uint32_t k = 0; k < x[1]; k++)
            if (x[2 + k] >= v->way_count)
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: restriction.via at %u: way %u out of range (%u ways)",
                                    name, at, x[2 + k], v->way_count);
        last = x[0];
        at += 2 + x[1];
    }
    return CR_OK;
}

/* The optional conditional sections: ids in range, via nodes only, text inside the strings. */
static enum cr_status
check_cond(const struct cr_graph_view *v, const char *name, struct cr_error *err)
{
    if ((v->cond_way_count && !v->cond_ways) ||
        (v->cond_restriction_count && !v->cond_restrictions) ||
        (v->cond_via_way_count && !v->cond_via_ways))
        return cr_error_set(err, CR_EFORMAT, "%s: conditional section missing", name);
    for (uint32_t i = 0; i < v->cond_way_count; i++) {
        const struct cr_cond_way *c = &v->cond_ways[i];
        if (c->way >= v->way_count || c->text >= v->strings_size || c->tag >= CR_COND_TAG_COUNT ||
            (i > 0 && c->way < v->cond_ways[i - 1].way))
            return cr_error_set(err, CR_EFORMAT,
                                "%s: way.cond %u: way, text or tag out of range or unsorted", name,
                                i);
    }
    for (uint32_t i = 0; i < v->cond_restriction_count; i++) {
        const struct cr_cond_restriction *c = &v->cond_restrictions[i];
        if (c->r.from_way >= v->way_count || c->r.to_way >= v->way_count ||
            c->r.via >= v->node_count || c->r.via_is_way || c->r.kind > CR_RESTRICT_ONLY ||
            c->r.only_vehicle > CR_VEHICLE_COUNT || c->text >= v->strings_size)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: restriction.cond %u (relation %lld): out of range", name, i,
                                (long long)c->r.osm_id);
    }
    for (uint32_t i = 0; i < v->cond_via_way_count; i++) {
        const struct cr_cond_restriction *c = &v->cond_via_ways[i];
        if (c->r.from_way >= v->way_count || c->r.to_way >= v->way_count ||
            c->r.via >= v->way_count || c->r.via_is_way != 1 || c->r.kind > CR_RESTRICT_ONLY ||
            c->r.only_vehicle > CR_VEHICLE_COUNT || c->text >= v->strings_size)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: restriction.cond_way %u (relation %lld): out of range", name,
                                i, (long long)c->r.osm_id);
    }
    return CR_OK;
}

enum cr_status
cr_graph_validate(const struct cr_graph_view *v, const char *name, struct cr_error *err)
{
    if (!name)
        name = "graph";
    enum cr_status rc;
    if ((rc = check_present(v, name, err)) || (rc = check_nodes(v, name, err)) ||
        (rc = check_edges(v, name, err)) || (rc = check_records(v, name, err)) ||
        (rc = check_cond(v, name, err)))
        return rc;
    for (uint32_t i = 0; v->way_destination && i < v->way_destination_count; i++) {
        const uint32_t *d = v->way_destination + 2 * i;
        if (d[0] >= v->way_count || d[1] >= v->strings_size || (i && d[0] <= d[-2]))
            return cr_error_set(err, CR_EFORMAT,
                                "%s: way.destination %u: way %u or string %u out of range or "
                                "order",
                                name, i, d[0], d[1]);
    }
    for (uint32_t i = 0; v->way_guide && i < v->way_guide_count; i++) {
        const struct cr_way_guide *d = &v->way_guide[i];
        if (d->way >= v->way_count || d->exits >= v->strings_size ||
            d->lanes_fwd >= v->strings_size || d->lanes_bwd >= v->strings_size ||
            (i && d->way <= d[-1].way))
            return cr_error_set(err, CR_EFORMAT,
                                "%s: way.guide %u: way %u or a string out of range or order", name,
                                i, d->way);
    }
    return CR_OK;
}

/* ---- names ---------------------------------------------------------------------------------- */

static const char *
name_of(const char *const *names, size_t count, int i)
{
    return i >= 0 && (size_t)i < count ? names[i] : "unknown";
}

#define NAME_OF(names, i) name_of(names, sizeof names / sizeof names[0], (int)(i))

const char *
cr_mode_name(enum cr_mode m)
{
    static const char *const names[] = { "road", "rail", "water", "ferry", "transfer" };
    return NAME_OF(names, m);
}

const char *
cr_group_name(enum cr_group g)
{
    static const char *const names[] = { "road", "rail", "water", "terminal" };
    return NAME_OF(names, g);
}

const char *
cr_road_class_name(enum cr_road_class c)
{
    static const char *const names[] = {
        "motorway",      "motorway_link", "trunk",        "trunk_link",
        "primary",       "primary_link",  "secondary",    "secondary_link",
        "tertiary",      "tertiary_link", "unclassified", "residential",
        "living_street", "service",       "track",        "road",
    };
    _Static_assert(sizeof names / sizeof names[0] == CR_ROAD_CLASS_COUNT, "one name per class");
    return NAME_OF(names, c);
}

const char *
cr_rail_class_name(enum cr_rail_class c)
{
    static const char *const names[] = { "rail", "light_rail", "narrow_gauge" };
    _Static_assert(sizeof names / sizeof names[0] == CR_RAIL_CLASS_COUNT, "one name per class");
    return NAME_OF(names, c);
}

const char *
cr_water_class_name(enum cr_water_class c)
{
    static const char *const names[] = { "river", "canal", "fairway" };
    _Static_assert(sizeof names / sizeof names[0] == CR_WATER_CLASS_COUNT, "one name per class");
    return NAME_OF(names, c);
}

const char *
cr_terminal_kind_name(enum cr_terminal_kind k)
{
    static const char *const names[] = {
        "rail_station", "rail_yard", "port", "quay", "icd", "other"
    };
    _Static_assert(sizeof names / sizeof names[0] == CR_TERMINAL_OTHER + 1, "one name per kind");
    return NAME_OF(names, k);
}

const struct cr_netfile *
cr_graph_file(const struct cr_graph *g)
{
    return &g->file;
}
