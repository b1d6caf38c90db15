/*
 * Where new lines meet the base network: a grid over the base nodes a line may join (ends of
 * open segments of its mode group), the nearest such node within a radius, and the three kinds
 * of join (docs/scenario.md): a vertex within 1 m of a node is that node; each line end links to
 * the nearest node within the join radius; each interchange links the nearest new vertex to the
 * nearest node, both within the radius.
 */
#include <math.h>

#include "core/geo.h"
#include "importers/scenario/scenario_int.h"

#define CELL_E7 20000 /* 0.002 degrees: about 220 m of latitude */
#define CELL_BIAS 200000

static uint64_t
cell_key(int64_t cx, int64_t cy)
{
    return (uint64_t)(cy + CELL_BIAS) * (2 * CELL_BIAS) + (uint64_t)(cx + CELL_BIAS);
}

static int64_t
cell_of(int32_t e7)
{
    return (int64_t)floor((double)e7 / CELL_E7);
}

static const struct scen *sort_scen;

/* Where candidate REF lies: a base node (REF < node_count) or a base shape point. */
static void
ref_pos(const struct scen *s, uint32_t ref, int32_t *lon, int32_t *lat)
{
    const struct cr_graph_view *v = s->base;

    if (ref < v->node_count) {
        *lon = v->lon_e7[ref];
        *lat = v->lat_e7[ref];
    } else {
        *lon = v->shape_lon_e7[ref - v->node_count];
        *lat = v->shape_lat_e7[ref - v->node_count];
    }
}

static uint64_t
ref_key(const struct scen *s, uint32_t ref)
{
    int32_t lon, lat;

    ref_pos(s, ref, &lon, &lat);
    return cell_key(cell_of(lon), cell_of(lat));
}

static int
cmp_grid(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    uint64_t ka = ref_key(sort_scen, a), kb = ref_key(sort_scen, b);
    return ka < kb ? -1 : ka > kb ? 1 : (a > b) - (a < b);
}

/* Whether base segment I is open to joins: not closed, not a transfer, with an edge. */
static int
segment_usable(const struct scen *s, uint32_t i)
{
    const struct cr_graph_view *v = s->base;

    return !s->seg_closed[i] && v->ways[v->segment_way[i]].mode != CR_MODE_TRANSFER &&
           (v->segment_edge[2 * i] != CR_NO_EDGE || v->segment_edge[2 * i + 1] != CR_NO_EDGE);
}

/* Marks the usable base nodes (ends of segments open to joins), and the candidates of joins:
 * those nodes and the shape points of those segments (OSM nodes too), sorted by cell. */
enum cr_status
cr_sc_grid_build(struct scen *s, struct cr_error *err)
{
    const struct cr_graph_view *v = s->base;
    size_t n = 0;

    s->usable = calloc((size_t)v->node_count + v->shape_count + 1, 1);
    s->shape_seg = malloc(((size_t)v->shape_count + 1) * sizeof *s->shape_seg);
    s->split_node = malloc(((size_t)v->shape_count + 1) * sizeof *s->split_node);
    if (!s->usable || !s->shape_seg || !s->split_node)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->base);
    for (uint32_t i = 0; i < v->segment_count; i++) {
        int ok = segment_usable(s, i);
        for (uint32_t k = v->segment_first_shape[i]; k < v->segment_first_shape[i + 1]; k++) {
            s->shape_seg[k] = i;
            s->split_node[k] = CR_NO_NODE;
            s->usable[v->node_count + k] = (uint8_t)ok;
        }
        if (ok)
            s->usable[v->segment_node[2 * i]] = s->usable[v->segment_node[2 * i + 1]] = 1;
    }
    for (uint32_t i = 0; i < v->node_count; i++)
        s->usable[i] &= v->group[i] != CR_GROUP_TERMINAL;
    for (size_t i = 0; i < (size_t)v->node_count + v->shape_count; i++)
        n += s->usable[i];
    s->grid = malloc((n + 1) * sizeof *s->grid);
    s->grid_key = malloc((n + 1) * sizeof *s->grid_key);
    if (!s->grid || !s->grid_key)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->base);
    n = 0;
    for (size_t i = 0; i < (size_t)v->node_count + v->shape_count; i++)
        if (s->usable[i])
            s->grid[n++] = (uint32_t)i;
    sort_scen = s;
    qsort(s->grid, n, sizeof *s->grid, cmp_grid);
    for (size_t i = 0; i < n; i++)
        s->grid_key[i] = ref_key(s, s->grid[i]);
    s->grid_count = n;
    return CR_OK;
}

/* The graph node of candidate REF: the base node, or a new node splitting the shape point's
 * segment there (made once); CR_NO_NODE when out of memory. */
uint32_t
cr_sc_ref_node(struct scen *s, uint32_t ref)
{
    const struct cr_graph_view *v = s->base;
    uint32_t k, seg;

    if (ref < v->node_count)
        return ref;
    k = ref - v->node_count;
    if (s->split_node[k] == CR_NO_NODE) {
        seg = s->shape_seg[k];
        s->split_node[k] = cr_sc_add_node(s, v->shape_lon_e7[k], v->shape_lat_e7[k],
                                          v->group[v->segment_node[2 * seg]]);
        if (s->split_node[k] != CR_NO_NODE) {
            s->stats->nodes_added--; /* a split, not an addition */
            s->stats->splits++;
        }
    }
    return s->split_node[k];
}

/* The nearest candidate (usable base node or shape point) of GROUP within RADIUS_M of the point
 * (ties: the lower ref, so nodes first), or CR_NO_NODE; *DIST gets its distance. */
uint32_t
cr_sc_nearest(const struct scen *s, int32_t lon, int32_t lat, uint8_t group, double radius_m,
              double *dist)
{
    const struct cr_graph_view *v = s->base;
    double mlon, mlat, best = INFINITY;
    uint32_t found = CR_NO_NODE;
    int64_t rx, ry, cx = cell_of(lon), cy = cell_of(lat);

    cr_geo_scale(lat * 1e-7, &mlon, &mlat);
    rx = (int64_t)ceil(radius_m / mlon * 1e7 / CELL_E7);
    ry = (int64_t)ceil(radius_m / mlat * 1e7 / CELL_E7);
    for (int64_t y = cy - ry; y <= cy + ry; y++) {
        uint64_t lo = cell_key(cx - rx, y), hi = cell_key(cx + rx, y);
        size_t a = 0, b = s->grid_count;
        while (a < b) { /* first key >= lo */
            size_t mid = a + (b - a) / 2;
            if (s->grid_key[mid] < lo)
                a = mid + 1;
            else
                b = mid;
        }
        for (; a < s->grid_count && s->grid_key[a] <= hi; a++) {
            uint32_t node = s->grid[a];
            int32_t nx, ny;
            double d;
            uint32_t owner = node < v->node_count
                                 ? node
                                 : v->segment_node[2 * s->shape_seg[node - v->node_count]];
            if (v->group[owner] != group)
                continue;
            ref_pos(s, node, &nx, &ny);
            d = cr_geo_distance_m(lon, lat, nx, ny);
            if (d <= radius_m && (d < best || (d == best && node < found))) {
                best = d;
                found = node;
            }
        }
    }
    *dist = best;
    return found;
}

/* Gives vertex P of line L a graph node (a new one unless it has one) and returns it. */
static uint32_t
vertex_node(struct scen *s, const struct sc_line *l, size_t p)
{
    uint32_t *node = &SC_AT(s->pt_node, uint32_t, p);

    if (*node == CR_NO_NODE)
        *node =
            cr_sc_add_node(s, SC_AT(s->pt_lon, int32_t, p), SC_AT(s->pt_lat, int32_t, p), l->group);
    return *node;
}

/* A link of line L (its link way record, made on first use) between A (new) and B (base). */
static int
link(struct scen *s, struct sc_line *l, uint32_t a, uint32_t b)
{
    const int32_t *lon = s->lon.data, *lat = s->lat.data;

    if (l->link_way == CR_NO_EDGE) {
        l->link_way = (uint32_t)s->ways.len;
        if (cr_vec_append(&s->ways, &l->link_attr, 1))
            return -1;
        s->stats->ways_added++;
        /* the other lines of the same feature share it */
        for (size_t i = 0; i < s->lines.len; i++)
            if (SC_AT(s->lines, struct sc_line, i).way == l->way)
                SC_AT(s->lines, struct sc_line, i).link_way = l->link_way;
    }
    s->stats->links++;
    return cr_sc_add_segment(s, l->link_way, a, b, NULL, NULL, 0,
                             cr_geo_distance_m(lon[a], lat[a], lon[b], lat[b]), CR_ONEWAY_NO);
}

/* (c): every vertex within 1 m of a usable node of its group is that node. */
static int
vertex_joins(struct scen *s)
{
    for (size_t i = 0; i < s->lines.len; i++) {
        const struct sc_line *l = &SC_AT(s->lines, struct sc_line, i);
        for (size_t p = l->first; p < l->first + l->count; p++) {
            double d;
            uint32_t n =
                cr_sc_nearest(s, SC_AT(s->pt_lon, int32_t, p), SC_AT(s->pt_lat, int32_t, p),
                              l->group, CR_SCENARIO_VERTEX_JOIN_M, &d);
            if (n != CR_NO_NODE) {
                if ((n = cr_sc_ref_node(s, n)) == CR_NO_NODE)
                    return -1;
                SC_AT(s->pt_node, uint32_t, p) = n;
                SC_AT(s->pt_joined, uint8_t, p) = 1;
                s->stats->vertex_joins++;
            }
        }
    }
    return 0;
}

/* Another line's end at exactly P's position, in P's group, that has its node; or SIZE_MAX. */
static size_t
shared_end(const struct scen *s, size_t line, size_t p)
{
    int32_t lon = SC_AT(s->pt_lon, int32_t, p), lat = SC_AT(s->pt_lat, int32_t, p);
    uint8_t group = SC_AT(s->lines, struct sc_line, line).group;

    for (size_t i = 0; i < s->lines.len; i++) {
        const struct sc_line *o = &SC_AT(s->lines, struct sc_line, i);
        size_t ends[2] = { o->first, o->first + o->count - 1 };
        if (i == line || o->group != group)
            continue;
        for (int k = 0; k < 2; k++)
            if (SC_AT(s->pt_lon, int32_t, ends[k]) == lon &&
                SC_AT(s->pt_lat, int32_t, ends[k]) == lat)
                return ends[k];
    }
    return SIZE_MAX;
}

/* (a): each end of each line, unless on a node or on another new line's end, links to the
 * nearest usable node of its group within the join radius. */
static int
end_joins(struct scen *s)
{
    for (size_t i = 0; i < s->lines.len; i++) {
        struct sc_line *l = &SC_AT(s->lines, struct sc_line, i);
        size_t ends[2] = { l->first, l->first + l->count - 1 };
        for (int k = 0; k < 2; k++) {
            size_t p = ends[k], o;
            uint32_t node, base;
            double d;
            if (SC_AT(s->pt_joined, uint8_t, p)) {
                s->stats->end_joins++; /* on a network node */
                continue;
            }
            if ((o = shared_end(s, i, p)) != SIZE_MAX) {
                s->stats->ends_shared++;
                if (SC_AT(s->pt_node, uint32_t, o) != CR_NO_NODE) {
                    SC_AT(s->pt_node, uint32_t, p) = SC_AT(s->pt_node, uint32_t, o);
                    continue;
                }
            }
            if ((node = vertex_node(s, l, p)) == CR_NO_NODE)
                return -1;
            if (o != SIZE_MAX) {
                SC_AT(s->pt_node, uint32_t, o) = node;
                continue;
            }
            base = cr_sc_nearest(s, SC_AT(s->pt_lon, int32_t, p), SC_AT(s->pt_lat, int32_t, p),
                                 l->group, s->radius_m, &d);
            if (base == CR_NO_NODE) {
                s->stats->ends_open++;
                continue;
            }
            if ((base = cr_sc_ref_node(s, base)) == CR_NO_NODE || link(s, l, node, base))
                return -1;
            s->stats->end_joins++;
        }
    }
    return 0;
}

/* The nearest point of any new line to (LON, LAT) within the radius: *LINE and *PIECE (from
 * vertex first + piece to the next), *T along it; -1 when none. */
static int
nearest_on_lines(const struct scen *s, int32_t lon, int32_t lat, size_t *line, size_t *piece,
                 double *t_out)
{
    double mlon, mlat, best = s->radius_m;
    int found = -1;

    cr_geo_scale(lat * 1e-7, &mlon, &mlat);
    mlon *= 1e-7;
    mlat *= 1e-7;
    for (size_t i = 0; i < s->lines.len; i++) {
        const struct sc_line *l = &SC_AT(s->lines, struct sc_line, i);
        for (size_t p = l->first; p + 1 < l->first + l->count; p++) {
            double ax = (SC_AT(s->pt_lon, int32_t, p) - lon) * mlon;
            double ay = (SC_AT(s->pt_lat, int32_t, p) - lat) * mlat;
            double dx = (SC_AT(s->pt_lon, int32_t, p + 1) - lon) * mlon - ax;
            double dy = (SC_AT(s->pt_lat, int32_t, p + 1) - lat) * mlat - ay;
            double len2 = dx * dx + dy * dy, t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0, d;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            d = hypot(ax + t * dx, ay + t * dy);
            if (d <= best && (found < 0 || d < best)) {
                best = d;
                *line = i;
                *piece = p - l->first;
                *t_out = t;
                found = 0;
            }
        }
    }
    return found;
}

/* Vertex at fraction T of piece PIECE of line LINE: an existing one within 1 m, else a new one
 * inserted there. Returns its index in pt_*, or SIZE_MAX when out of memory. */
static size_t
vertex_at(struct scen *s, size_t line, size_t piece, double t)
{
    struct sc_line *l = &SC_AT(s->lines, struct sc_line, line);
    size_t p = l->first + piece, q;
    int32_t *lon = s->pt_lon.data, *lat = s->pt_lat.data;
    int32_t x = (int32_t)lround(lon[p] + t * (lon[p + 1] - lon[p]));
    int32_t y = (int32_t)lround(lat[p] + t * (lat[p + 1] - lat[p]));

    if (cr_geo_distance_m(x, y, lon[p], lat[p]) <= CR_SCENARIO_VERTEX_JOIN_M)
        return p;
    if (cr_geo_distance_m(x, y, lon[p + 1], lat[p + 1]) <= CR_SCENARIO_VERTEX_JOIN_M)
        return p + 1;
    if (cr_vec_append(&s->pt_lon, NULL, 1) || cr_vec_append(&s->pt_lat, NULL, 1) ||
        cr_vec_append(&s->pt_node, NULL, 1) || cr_vec_append(&s->pt_joined, NULL, 1))
        return SIZE_MAX;
    q = p + 1;
    lon = s->pt_lon.data;
    lat = s->pt_lat.data;
    memmove(lon + q + 1, lon + q, (s->pt_lon.len - q - 1) * sizeof *lon);
    memmove(lat + q + 1, lat + q, (s->pt_lat.len - q - 1) * sizeof *lat);
    memmove(&SC_AT(s->pt_node, uint32_t, q + 1), &SC_AT(s->pt_node, uint32_t, q),
            (s->pt_node.len - q - 1) * sizeof(uint32_t));
    memmove(&SC_AT(s->pt_joined, uint8_t, q + 1), &SC_AT(s->pt_joined, uint8_t, q),
            s->pt_joined.len - q - 1);
    SC_AT(s->pt_joined, uint8_t, q) = 0;
    lon[q] = x;
    lat[q] = y;
    SC_AT(s->pt_node, uint32_t, q) = CR_NO_NODE;
    l->count++;
    for (size_t i = line + 1; i < s->lines.len; i++)
        SC_AT(s->lines, struct sc_line, i).first++;
    return q;
}

/* (b): each interchange links the nearest point of a new line to the nearest usable node. */
static enum cr_status
interchanges(struct scen *s, struct cr_error *err)
{
    for (size_t i = 0; i < s->ic_lon.len; i++) {
        int32_t lon = SC_AT(s->ic_lon, int32_t, i), lat = SC_AT(s->ic_lat, int32_t, i);
        size_t line = 0, piece = 0, p;
        double t = 0, d;
        struct sc_line *l;
        uint32_t base, node;
        if (nearest_on_lines(s, lon, lat, &line, &piece, &t))
            return cr_error_set(err, CR_EINVAL, "%s: feature %zu: no new road within %g m",
                                s->o->interchanges, i + 1, s->radius_m);
        l = &SC_AT(s->lines, struct sc_line, line);
        base = cr_sc_nearest(s, lon, lat, l->group, s->radius_m, &d);
        if (base == CR_NO_NODE)
            return cr_error_set(
                err, CR_EINVAL, "%s: feature %zu: no node of the network's %s within %g m",
                s->o->interchanges, i + 1, cr_group_name((enum cr_group)l->group), s->radius_m);
        if ((base = cr_sc_ref_node(s, base)) == CR_NO_NODE ||
            (p = vertex_at(s, line, piece, t)) == SIZE_MAX)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->interchanges);
        l = &SC_AT(s->lines, struct sc_line, line);
        if ((node = vertex_node(s, l, p)) == CR_NO_NODE)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->interchanges);
        if (node != base && link(s, l, node, base))
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->interchanges);
        s->stats->interchanges++;
    }
    return CR_OK;
}

enum cr_status
cr_sc_joins(struct scen *s, struct cr_error *err)
{
    if (vertex_joins(s) || end_joins(s))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->add);
    return interchanges(s, err);
}
