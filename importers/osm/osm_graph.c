/*
 * The OSM import's graph: which needed nodes become graph nodes in each group (ends of pieces,
 * nodes used twice, barriers), the segments between them with their shape points and edges,
 * the CSR arrays, and each group's largest strongly connected component.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "core/scc.h"
#include "importers/osm/osm_build.h"
#include "importers/osm/osm_tags.h"

/* ---- graph nodes and segments ------------------------------------------------------------ */

static int
is_graph_node_forced(const struct state *s, size_t i, uint8_t group)
{
    if (s->forced[group] && s->forced[group][i])
        return 1;
    if (group == CR_GROUP_ROAD)
        return s->need_barrier[i] != CR_BARRIER_NONE || s->need_closed[i] ||
               (s->need_flags[i] & (CR_NODE_TRAFFIC_SIGNALS | CR_NODE_STOP));
    if (group == CR_GROUP_WATER)
        return (s->need_flags[i] & CR_NODE_LOCK_GATE) != 0;
    return 0;
}

uint32_t
cr_osm_add_node(struct cr_netbuild *b, int32_t lon, int32_t lat, int64_t osm_id, uint8_t group,
                uint8_t barrier, uint8_t flags, uint8_t closed)
{
    int32_t *plon = cr_vec_push(&b->lon), *plat = cr_vec_push(&b->lat);
    int64_t *pid = cr_vec_push(&b->osm_id);
    uint8_t *pg = cr_vec_push(&b->group), *pb = cr_vec_push(&b->barrier),
            *pf = cr_vec_push(&b->flags);
    uint8_t *pc = cr_vec_push(&b->closed);

    if (!plon || !plat || !pid || !pg || !pb || !pf || !pc || b->lon.len >= UINT32_MAX)
        return CR_NO_NODE;
    *pc = closed;
    *plon = lon;
    *plat = lat;
    *pid = osm_id;
    *pg = group;
    *pb = barrier;
    *pf = flags;
    return (uint32_t)(b->lon.len - 1);
}

/* A graph node for needed node K, remembering K. */
static uint32_t
add_need_node(struct state *s, uint32_t k, uint8_t group, uint8_t barrier, uint8_t flags,
              uint8_t closed)
{
    uint32_t *slot = cr_vec_push(&s->node_need);
    uint32_t v;

    if (!slot)
        return CR_NO_NODE;
    *slot = k;
    v = cr_osm_add_node(s->b, s->need_lon[k], s->need_lat[k], s->need[k], group, barrier, flags,
                        closed);
    return v;
}

/* Each way ref as an index into need, or NOT_FOUND32 when the file lacks the node. */
enum cr_status
cr_osm_index_refs(struct state *s, struct cr_error *err)
{
    s->ridx = malloc((s->refs.len ? s->refs.len : 1) * sizeof *s->ridx);
    if (!s->ridx)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    for (size_t i = 0; i < s->refs.len; i++) {
        size_t k = cr_osm_find_need(s, AT(s->refs, int64_t, i));
        s->ridx[i] = (k == NOT_FOUND || !s->need_have[k]) ? NOT_FOUND32 : (uint32_t)k;
        if (s->ridx[i] == NOT_FOUND32)
            s->stats->missing_nodes++;
    }
    return CR_OK;
}

/* Marks which needed nodes are graph nodes in each group: piece ends, nodes used twice. */
enum cr_status
cr_osm_choose_graph_nodes(struct state *s, struct cr_error *err)
{
    uint8_t *count[CR_GROUP_COUNT] = { 0 };
    enum cr_status st = CR_OK;

    for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
        free(s->node_of[g]);
        count[g] = calloc(s->need_count + 1, 1);
        s->node_of[g] = malloc((s->need_count + 1) * sizeof(uint32_t));
        if (!count[g] || !s->node_of[g]) {
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
            goto done;
        }
    }
    for (size_t w = 0; w < s->wrecs.len; w++) {
        const struct way_rec *r = &AT(s->wrecs, struct way_rec, w);
        uint8_t *c = count[r->group];
        uint32_t prev = NOT_FOUND32;
        for (uint64_t i = r->first_ref; i < r->first_ref + r->ref_count; i++) {
            uint32_t k = s->ridx[i];
            if (k == NOT_FOUND32) {
                if (prev != NOT_FOUND32)
                    c[prev] = 2; /* piece ends before a missing node */
                prev = NOT_FOUND32;
                continue;
            }
            if (k == prev)
                continue; /* the same node twice in a row */
            if (prev == NOT_FOUND32)
                c[k] = 2; /* piece starts */
            else if (c[k] < 2)
                c[k]++;
            prev = k;
        }
        if (prev != NOT_FOUND32)
            c[prev] = 2;
    }
    for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
        for (size_t k = 0; k < s->need_count; k++) {
            s->node_of[g][k] = CR_NO_NODE;
            if (count[g][k] == 0)
                continue;
            if (count[g][k] >= 2 || is_graph_node_forced(s, k, (uint8_t)g)) {
                uint8_t barrier = g == CR_GROUP_ROAD ? s->need_barrier[k] : CR_BARRIER_NONE;
                uint8_t flags = s->need_flags[k];
                if (g != CR_GROUP_ROAD)
                    flags &= (uint8_t) ~(CR_NODE_TRAFFIC_SIGNALS | CR_NODE_STOP |
                                         CR_NODE_BARRIER_OPEN | CR_NODE_BARRIER_CLOSED);
                if (g != CR_GROUP_WATER)
                    flags &= (uint8_t)~CR_NODE_LOCK_GATE;
                s->node_of[g][k] = add_need_node(s, (uint32_t)k, (uint8_t)g, barrier, flags,
                                                 g == CR_GROUP_ROAD ? s->need_closed[k] : 0);
                if (s->node_of[g][k] == CR_NO_NODE) {
                    st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
                    goto done;
                }
            }
        }
    }
done:
    for (int g = 0; g < CR_GROUP_COUNT; g++)
        free(count[g]);
    return st;
}

/* Adds a segment A-B of way W with shape points SHAPE (need indices) and its edges. */
int
cr_osm_add_segment(struct state *s, uint32_t way, uint32_t a, uint32_t b_node,
                   const uint32_t *shape, size_t shape_n, double length_m, uint8_t oneway)
{
    struct cr_netbuild *b = s->b;
    uint32_t seg = (uint32_t)b->seg_way.len;
    uint32_t *pw = cr_vec_push(&b->seg_way), *pl = cr_vec_push(&b->seg_len);
    double cm = length_m * 100.0;

    if (!pw || !pl || cr_vec_reserve(&b->seg_node, 2) || cr_vec_reserve(&b->seg_first_shape, 1) ||
        cr_vec_reserve(&b->shape_lon, shape_n) || cr_vec_reserve(&b->shape_lat, shape_n) ||
        cr_vec_append(&s->shape_need, shape, shape_n))
        return -1;
    *pw = way;
    *pl = cm >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)llround(cm);
    AT(b->seg_node, uint32_t, b->seg_node.len++) = a;
    AT(b->seg_node, uint32_t, b->seg_node.len++) = b_node;
    AT(b->seg_first_shape, uint32_t, b->seg_first_shape.len++) = (uint32_t)b->shape_lon.len;
    for (size_t i = 0; i < shape_n; i++) {
        AT(b->shape_lon, int32_t, b->shape_lon.len++) = s->need_lon[shape[i]];
        AT(b->shape_lat, int32_t, b->shape_lat.len++) = s->need_lat[shape[i]];
    }
    if (oneway != CR_ONEWAY_BACKWARD) {
        struct edge_rec *e = cr_vec_push(&s->edges);
        if (!e)
            return -1;
        *e = (struct edge_rec){ .tail = a, .head = b_node, .segment = seg };
    }
    if (oneway != CR_ONEWAY_FORWARD) {
        struct edge_rec *e = cr_vec_push(&s->edges);
        if (!e)
            return -1;
        *e = (struct edge_rec){ .tail = b_node, .head = a, .segment = seg | CR_SEGMENT_REVERSED };
    }
    return 0;
}

static double
need_distance(const struct state *s, uint32_t i, uint32_t j)
{
    return cr_geo_distance_m(s->need_lon[i], s->need_lat[i], s->need_lon[j], s->need_lat[j]);
}

/* Emits the segment ending at need index K; splits a loop (a == b) at its middle point. */
static int
end_segment(struct state *s, uint32_t w, const struct way_rec *r, uint32_t a_k, uint32_t b_k,
            const uint32_t *shape, size_t shape_n)
{
    const uint32_t *node_of = s->node_of[r->group];
    uint32_t a = node_of[a_k], b_node = node_of[b_k];
    double len = 0.0;
    uint32_t prev = a_k;

    if (a == b_node) {
        size_t mid;
        uint32_t m_k, m;
        if (shape_n == 0)
            return 0; /* a point: nothing to route */
        mid = shape_n / 2;
        m_k = shape[mid];
        m = add_need_node(s, m_k, r->group, CR_BARRIER_NONE, 0, 0);
        if (m == CR_NO_NODE)
            return -1;
        s->node_of[r->group][m_k] = m;
        return end_segment(s, w, r, a_k, m_k, shape, mid) ||
               end_segment(s, w, r, m_k, b_k, shape + mid + 1, shape_n - mid - 1);
    }
    for (size_t i = 0; i < shape_n; i++) {
        len += need_distance(s, prev, shape[i]);
        prev = shape[i];
    }
    len += need_distance(s, prev, b_k);
    return cr_osm_add_segment(s, w, a, b_node, shape, shape_n, len, r->oneway);
}

enum cr_status
cr_osm_build_segments(struct state *s, struct cr_error *err)
{
    struct cr_vec shape;
    enum cr_status st = CR_OK;

    cr_vec_init(&shape, sizeof(uint32_t));
    for (size_t w = 0; w < s->wrecs.len; w++) {
        const struct way_rec *r = &AT(s->wrecs, struct way_rec, w);
        const uint32_t *node_of = s->node_of[r->group];
        uint32_t start = NOT_FOUND32, prev = NOT_FOUND32;
        shape.len = 0;
        for (uint64_t i = r->first_ref; i < r->first_ref + r->ref_count; i++) {
            uint32_t k = s->ridx[i];
            if (k == NOT_FOUND32) {
                start = prev = NOT_FOUND32; /* the piece ended at prev, a graph node */
                shape.len = 0;
                continue;
            }
            if (k == prev)
                continue;
            prev = k;
            if (start == NOT_FOUND32) {
                start = k;
                continue;
            }
            if (node_of[k] == CR_NO_NODE) {
                uint32_t *p = cr_vec_push(&shape);
                if (!p)
                    goto oom;
                *p = k;
                continue;
            }
            if (end_segment(s, (uint32_t)w, r, start, k, shape.data, shape.len))
                goto oom;
            start = k;
            shape.len = 0;
        }
    }
    goto done;
oom:
    st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
done:
    cr_vec_fini(&shape);
    return st;
}

/* Sorts the edge records into CSR arrays (first_out, head, edge_segment) and fills
 * segment_edge. */
enum cr_status
cr_osm_build_csr(struct state *s, struct cr_error *err)
{
    struct cr_netbuild *b = s->b;
    size_t n = b->lon.len, m = s->edges.len;
    uint32_t *first_out, *pos;

    if (m >= UINT32_MAX)
        return cr_error_set(err, CR_ENOMEM, "%s: too many edges", s->input);
    cr_vec_fini(&b->first_out);
    cr_vec_fini(&b->head);
    cr_vec_fini(&b->edge_segment);
    cr_vec_fini(&b->seg_edge);
    if (cr_vec_reserve(&b->first_out, n + 1) || cr_vec_reserve(&b->head, m) ||
        cr_vec_reserve(&b->edge_segment, m) || cr_vec_reserve(&b->seg_edge, 2 * b->seg_way.len))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    first_out = b->first_out.data;
    memset(first_out, 0, (n + 1) * sizeof *first_out);
    for (size_t i = 0; i < m; i++)
        first_out[AT(s->edges, struct edge_rec, i).tail + 1]++;
    for (size_t v = 0; v < n; v++)
        first_out[v + 1] += first_out[v];
    pos = malloc((n ? n : 1) * sizeof *pos);
    if (!pos)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    memcpy(pos, first_out, n * sizeof *pos);
    for (size_t i = 0; i < 2 * b->seg_way.len; i++)
        AT(b->seg_edge, uint32_t, i) = CR_NO_EDGE;
    for (size_t i = 0; i < m; i++) {
        const struct edge_rec *e = &AT(s->edges, struct edge_rec, i);
        uint32_t at = pos[e->tail]++;
        uint32_t seg = e->segment & ~CR_SEGMENT_REVERSED;
        AT(b->head, uint32_t, at) = e->head;
        AT(b->edge_segment, uint32_t, at) = e->segment;
        AT(b->seg_edge, uint32_t, 2 * seg + ((e->segment & CR_SEGMENT_REVERSED) ? 1 : 0)) = at;
    }
    free(pos);
    b->first_out.len = n + 1;
    b->head.len = b->edge_segment.len = m;
    b->seg_edge.len = 2 * b->seg_way.len;
    return CR_OK;
}

/* ---- largest component per group: strongly connected ----------------------------------------- */

enum cr_status
cr_osm_mark_largest_components(struct state *s, struct cr_error *err)
{
    struct cr_netbuild *b = s->b;

    if (cr_scc_mark_largest((uint32_t)b->lon.len, b->first_out.data, b->head.data,
                            b->edge_segment.data, b->seg_len.data, b->group.data, b->flags.data))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    return CR_OK;
}
