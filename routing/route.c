#include "routing/route.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "routing/dijkstra.h"


struct cr_router {
    const struct cr_engine *e;
    struct cr_dijkstra *dijkstra;
    struct cr_ch_query *chq;
    uint32_t *arcs;
    size_t arc_cap;
};

/* ---- engine and places -------------------------------------------------------------------- */

enum cr_status
cr_engine_init(struct cr_engine *e, const struct cr_graph_view *v,
               const struct cr_snap_index *snap, const struct cr_profile *profile,
               enum cr_metric metric, struct cr_error *err)
{
    const struct cr_turngraph *tg;

    memset(e, 0, sizeof *e);
    e->view = v;
    e->profile = *profile;
    e->metric = metric;
    e->snap = snap;
    e->max_snap_m = CR_DEFAULT_SNAP_M;
    e->small_component = CR_SMALL_COMPONENT;
    e->tg = cr_turngraph_build(v, profile, metric, err);
    if (!e->tg)
        return err ? err->code : CR_ENOMEM;
    /* the size of each component, in the nodes that stand for an edge (not their copies) */
    tg = e->tg;
    e->comp_nodes = calloc((size_t)tg->comp_count + 1, sizeof *e->comp_nodes);
    if (!e->comp_nodes) {
        cr_engine_fini(e);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", profile->name);
    }
    for (uint32_t x = 0; x < tg->base_count; x++)
        if (tg->node_of_edge[tg->edge_of[x]] == x)
            e->comp_nodes[tg->comp[x]]++;
    return CR_OK;
}

void
cr_engine_fini(struct cr_engine *e)
{
    cr_turngraph_destroy(e->tg);
    free(e->comp_nodes);
    e->tg = NULL;
    e->comp_nodes = NULL;
}

/* Where a point may snap: never onto a transfer link; and for profiles that drive (freight
 * included) only onto roads and ferries, since goods start and end at an address. */
static int
snap_mode_ok(const struct cr_engine *e, uint32_t segment)
{
    uint8_t mode = e->view->ways[e->view->segment_way[segment]].mode;

    if (mode == CR_MODE_TRANSFER)
        return 0;
    if (e->profile.modes & (1u << CR_MODE_ROAD))
        return mode == CR_MODE_ROAD || mode == CR_MODE_FERRY;
    return 1;
}

/* The turn-graph node of SEGMENT in direction D (0: a->b), or CR_INF. */
static uint32_t
segment_node(const struct cr_engine *e, uint32_t segment, int d)
{
    uint32_t edge = e->view->segment_edge[2 * segment + d];

    return edge == CR_NO_EDGE ? CR_INF : e->tg->node_of_edge[edge];
}

int
cr_engine_segment_usable(void *user, uint32_t segment)
{
    const struct cr_engine *e = user;

    return snap_mode_ok(e, segment) &&
           (segment_node(e, segment, 0) != CR_INF || segment_node(e, segment, 1) != CR_INF);
}

/* The size under which a component is small: the engine's small_component (OSRM's 1000), but
 * never more than half the largest component, so that on a small extract the network is not
 * "small" against its own stubs, and never less than CR_SMALL_COMPONENT_FLOOR (unless the
 * engine's own setting is lower), so that pieces of a few edges are all equally small. */
static uint32_t
small_threshold(const struct cr_engine *e)
{
    uint32_t t = e->comp_nodes[e->tg->lcc] / 2;

    if (t < CR_SMALL_COMPONENT_FLOOR)
        t = CR_SMALL_COMPONENT_FLOOR;
    return t < e->small_component ? t : e->small_component;
}

static int
node_in_big(const struct cr_engine *e, uint32_t x)
{
    return x != CR_INF && e->comp_nodes[e->tg->comp[x]] >= small_threshold(e);
}

/* Usable and in a big component (either direction). */
static int
segment_in_big(void *user, uint32_t segment)
{
    const struct cr_engine *e = user;

    return snap_mode_ok(e, segment) &&
           (node_in_big(e, segment_node(e, segment, 0)) ||
            node_in_big(e, segment_node(e, segment, 1)));
}

/* How far from ground level a segment's way lies: 0 on the ground, more on bridges, in tunnels
 * and on other layers. Two segments are on one level when their keys are equal. */
static int
level_key(const struct cr_graph_view *v, uint32_t segment)
{
    const struct cr_way_attr *w = &v->ways[v->segment_way[segment]];

    return w->layer * 4 + ((w->flags & CR_WAY_BRIDGE) ? 1 : 0) +
           ((w->flags & CR_WAY_TUNNEL) ? 2 : 0);
}

static int
level_rank(const struct cr_graph_view *v, uint32_t segment)
{
    const struct cr_way_attr *w = &v->ways[v->segment_way[segment]];

    return 2 * abs(w->layer) + ((w->flags & (CR_WAY_BRIDGE | CR_WAY_TUNNEL)) ? 1 : 0);
}

/* Whether the snapped point is one of the segment's graph nodes: the point is on a junction. */
static int
at_node(const struct cr_graph_view *v, const struct cr_snap *s)
{
    for (int k = 0; k < 2; k++) {
        uint32_t n = v->segment_node[2 * s->segment + k];
        if (v->lon_e7[n] == s->lon_e7 && v->lat_e7[n] == s->lat_e7)
            return 1;
    }
    return 0;
}

/* Direction of travel a->b on the snapped piece, degrees clockwise from north, and which side
 * of it the query point lies on (+1 left, -1 right, 0 on the line). */
static double
piece_geometry(const struct cr_graph_view *v, const struct cr_snap *s, int32_t lon_e7,
               int32_t lat_e7, int *side)
{
    int32_t p[4];
    double m_lon, m_lat, dx, dy, qx, qy, cross, bearing;

    cr_snap_piece_ends(v, s->segment, s->piece, p);
    cr_geo_scale(cr_e7_to_deg(s->lat_e7), &m_lon, &m_lat);
    dx = (double)(p[2] - p[0]) / CR_E7 * m_lon;
    dy = (double)(p[3] - p[1]) / CR_E7 * m_lat;
    qx = (double)(lon_e7 - s->lon_e7) / CR_E7 * m_lon;
    qy = (double)(lat_e7 - s->lat_e7) / CR_E7 * m_lat;
    cross = dx * qy - dy * qx;
    *side = s->distance_m < 0.01 ? 0 : cross > 0 ? 1 : cross < 0 ? -1 : 0;
    bearing = atan2(dx, dy) * 180.0 / M_PI;
    return bearing < 0 ? bearing + 360.0 : bearing;
}

static int
bearing_ok(double travel, const struct cr_place_opts *o)
{
    double diff;

    if (o->bearing_deg < 0)
        return 1;
    diff = fabs(fmod(travel - o->bearing_deg + 540.0, 360.0) - 180.0);
    return diff <= o->bearing_range_deg + 1e-9;
}

/* Fills candidate C from snap S with the directions O allows; 0 when none is left. */
static int
fill_candidate(const struct cr_engine *e, const struct cr_snap *s, const struct cr_place_opts *o,
               int32_t lon_e7, int32_t lat_e7, struct cr_place_candidate *c)
{
    int side, usable = 0;
    double travel = piece_geometry(e->view, s, lon_e7, lat_e7, &side);
    int oneway = segment_node(e, s->segment, 0) == CR_INF ||
                 segment_node(e, s->segment, 1) == CR_INF;
    /* the side of direction a->b the kerb is on: right (-1) in right-hand traffic */
    int kerb = e->profile.left_hand_traffic ? 1 : -1;

    c->snap = *s;
    for (int d = 0; d < 2; d++) {
        uint32_t x = segment_node(e, s->segment, d), w;
        double along = d == 0 ? s->fraction : 1.0 - s->fraction;
        int point_side = d == 0 ? side : -side;
        c->node[d] = CR_INF;
        c->before[d] = c->after[d] = 0;
        if (x == CR_INF || !bearing_ok(d == 0 ? travel : fmod(travel + 180.0, 360.0), o))
            continue;
        if (!oneway && point_side != 0 &&
            ((o->approach == CR_APPROACH_CURB && point_side != kerb) ||
             (o->approach == CR_APPROACH_OPPOSITE && point_side == kerb)))
            continue;
        w = e->tg->edge_weight[x];
        c->node[d] = x;
        c->before[d] = (uint32_t)llround(w * along);
        if (c->before[d] > w)
            c->before[d] = w;
        c->after[d] = w - c->before[d];
        usable = 1;
    }
    return usable;
}

/* The order among equally near segments: on the junction first, then nearest ground level. */
static int
better_primary(const struct cr_graph_view *v, const struct cr_snap *a, const struct cr_snap *b)
{
    int na = at_node(v, a), nb = at_node(v, b), la, lb;

    if (na != nb)
        return na > nb;
    la = level_rank(v, a->segment);
    lb = level_rank(v, b->segment);
    if (la != lb)
        return la < lb;
    if (a->distance_m != b->distance_m)
        return a->distance_m < b->distance_m;
    return a->segment < b->segment;
}

#define PLACE_SEARCH 16          /* nearest segments looked at */
#define PLACE_SEARCH_BEARING 128 /* with a bearing, which may rule most of them out */

/* The nearest segment FILTER allows within RADIUS that O's bearing allows, and those tied with
 * it (within CR_PLACE_TIE_M), nearest first, into FOUND; returns how many. */
static size_t
nearest_allowed(const struct cr_engine *e, int32_t lon_e7, int32_t lat_e7, double radius,
                cr_snap_filter filter, const struct cr_place_opts *o, struct cr_snap *found)
{
    struct cr_place_candidate c;
    size_t n, m = 0;

    if (o->bearing_deg < 0) {
        /* the nearest alone first: the search for its ties is then bounded by its distance,
         * however sparse the network around the point */
        double limit;
        if (cr_snap_k_nearest(e->snap, lon_e7, lat_e7, radius, filter, (void *)e, found, 1) == 0)
            return 0;
        limit = found[0].distance_m + CR_PLACE_TIE_M;
        n = cr_snap_k_nearest(e->snap, lon_e7, lat_e7, limit < radius ? limit : radius, filter,
                              (void *)e, found, PLACE_SEARCH);
    } else {
        n = cr_snap_k_nearest(e->snap, lon_e7, lat_e7, radius, filter, (void *)e, found,
                              PLACE_SEARCH_BEARING);
    }
    for (size_t i = 0; i < n; i++)
        if (fill_candidate(e, &found[i], o, lon_e7, lat_e7, &c))
            found[m++] = found[i];
    return m;
}

enum cr_status
cr_engine_place_opts(const struct cr_engine *e, int32_t lon_e7, int32_t lat_e7,
                     const struct cr_place_opts *opts, struct cr_place *out, struct cr_error *err)
{
    const struct cr_graph_view *v = e->view;
    struct cr_place_opts o = opts ? *opts : CR_PLACE_OPTS_DEFAULT;
    struct cr_snap found[PLACE_SEARCH_BEARING];
    double radius = isnan(o.radius_m) ? e->max_snap_m : o.radius_m;
    size_t n, primary = 0, ties;

    memset(out, 0, sizeof *out);
    out->lon_e7 = lon_e7;
    out->lat_e7 = lat_e7;
    out->small_comp = CR_INF;
    if (!(radius >= 0) || o.bearing_deg > 359 || o.bearing_deg < -1 ||
        (o.bearing_deg >= 0 && (o.bearing_range_deg < 0 || o.bearing_range_deg > 180)) ||
        o.approach < CR_APPROACH_UNRESTRICTED || o.approach > CR_APPROACH_OPPOSITE)
        return cr_error_set(err, CR_EINVAL, "%.6f,%.6f: bad radius, bearing or approach",
                            cr_e7_to_deg(lon_e7), cr_e7_to_deg(lat_e7));
    n = nearest_allowed(e, lon_e7, lat_e7, radius, cr_engine_segment_usable, &o, found);
    /* a point nearest to a small piece of network (a parking-lot island, a gated compound)
     * starts in a big component within the radius when there is one, as OSRM does */
    if (n > 0 && !segment_in_big((void *)e, found[0].segment)) {
        struct cr_snap big[PLACE_SEARCH_BEARING];
        size_t m = nearest_allowed(e, lon_e7, lat_e7, radius, segment_in_big, &o, big);
        if (m > 0) {
            /* kept, for a route whose every point lies nearest to this same small piece */
            uint32_t x = segment_node(e, found[0].segment, 0);
            if (x == CR_INF)
                x = segment_node(e, found[0].segment, 1);
            out->small_comp = e->tg->comp[x];
            fill_candidate(e, &found[0], &o, lon_e7, lat_e7, &out->nearest);
            memcpy(found, big, m * sizeof *big);
            n = m;
        }
    }
    if (n == 0) {
        if (isinf(radius))
            return cr_error_set(err, CR_ENOTFOUND, "%.6f,%.6f: no way the %s profile may use",
                                cr_e7_to_deg(lon_e7), cr_e7_to_deg(lat_e7), e->profile.name);
        return cr_error_set(err, CR_ENOTFOUND,
                            "%.6f,%.6f: no way the %s profile may use within %.0f m",
                            cr_e7_to_deg(lon_e7), cr_e7_to_deg(lat_e7), e->profile.name,
                            radius);
    }
    for (ties = 1; ties < n && found[ties].distance_m <= found[0].distance_m + CR_PLACE_TIE_M;
         ties++)
        if (better_primary(v, &found[ties], &found[primary]))
            primary = ties;
    fill_candidate(e, &found[primary], &o, lon_e7, lat_e7, &out->cand[out->count++]);
    for (size_t i = 0; i < ties && out->count < CR_PLACE_CANDIDATES; i++)
        if (i != primary && level_key(v, found[i].segment) == level_key(v, found[primary].segment))
            fill_candidate(e, &found[i], &o, lon_e7, lat_e7, &out->cand[out->count++]);
    out->snap = out->cand[0].snap;
    return CR_OK;
}

enum cr_status
cr_engine_place(const struct cr_engine *e, int32_t lon_e7, int32_t lat_e7, struct cr_place *out,
                struct cr_error *err)
{
    return cr_engine_place_opts(e, lon_e7, lat_e7, NULL, out, err);
}

/* One element of a per-point list (P..END, not empty) into O. */
static int
parse_place_item(int kind, const char *p, const char *end, struct cr_place_opts *o)
{
    char buf[64], *stop;
    size_t len = (size_t)(end - p);

    if (len >= sizeof buf)
        return -1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    if (kind == 'r') { /* a non-negative number of metres, or "unlimited" */
        double r;
        if (!strcmp(buf, "unlimited")) {
            o->radius_m = INFINITY;
            return 0;
        }
        if ((*buf < '0' || *buf > '9') && *buf != '.')
            return -1;
        errno = 0;
        r = strtod(buf, &stop);
        if (*stop || errno || !(r >= 0) || isinf(r))
            return -1;
        o->radius_m = r;
        return 0;
    }
    if (kind == 'b') { /* value,range in whole degrees */
        long b, range;
        if (*buf < '0' || *buf > '9')
            return -1;
        errno = 0;
        b = strtol(buf, &stop, 10);
        if (*stop != ',' || stop[1] < '0' || stop[1] > '9')
            return -1;
        range = strtol(stop + 1, &stop, 10);
        if (*stop || errno || b > 360 || range > 180)
            return -1;
        o->bearing_deg = (int)(b % 360);
        o->bearing_range_deg = (int)range;
        return 0;
    }
    if (!strcmp(buf, "unrestricted"))
        o->approach = CR_APPROACH_UNRESTRICTED;
    else if (!strcmp(buf, "curb"))
        o->approach = CR_APPROACH_CURB;
    else if (!strcmp(buf, "opposite"))
        o->approach = CR_APPROACH_OPPOSITE;
    else
        return -1;
    return 0;
}

enum cr_status
cr_place_opts_parse(const char *kind, const char *text, size_t n, struct cr_place_opts *out,
                    struct cr_error *err)
{
    int k = !strcmp(kind, "radiuses")     ? 'r'
            : !strcmp(kind, "bearings")   ? 'b'
            : !strcmp(kind, "approaches") ? 'a'
                                          : 0;
    size_t count = 1, i = 0;

    if (!k)
        return cr_error_set(err, CR_EINVAL, "%s: not radiuses, bearings or approaches", kind);
    for (const char *p = text; *p; p++)
        count += *p == ';';
    if (count != n && count != 1)
        return cr_error_set(err, CR_EINVAL, "%s: %zu elements for %zu points", kind, count, n);
    for (const char *p = text;; i++) {
        const char *end = p + strcspn(p, ";");
        if (end > p) {
            for (size_t j = count == 1 ? 0 : i; j < (count == 1 ? n : i + 1); j++)
                if (parse_place_item(k, p, end, &out[j]))
                    return cr_error_set(err, CR_EINVAL, "%s: element %zu \"%.*s\" is not %s",
                                        kind, i + 1, (int)(end - p > 40 ? 40 : end - p), p,
                                        k == 'r'   ? "a radius in metres or unlimited"
                                        : k == 'b' ? "a bearing value,range (0..360,0..180)"
                                                   : "curb, opposite or unrestricted");
        }
        if (!*end)
            break;
        p = end + 1;
    }
    return CR_OK;
}

/* ---- routers ------------------------------------------------------------------------------ */

struct cr_router *
cr_router_create(const struct cr_engine *e, struct cr_error *err)
{
    struct cr_router *r = calloc(1, sizeof *r);

    if (!r)
        goto oom;
    r->e = e;
    r->dijkstra = cr_dijkstra_create(&e->tg->g);
    if (!r->dijkstra)
        goto oom;
    if (e->ch && !(r->chq = cr_ch_query_create(e->ch)))
        goto oom;
    return r;
oom:
    cr_router_destroy(r);
    cr_error_set(err, CR_ENOMEM, "%s: out of memory", e->profile.name);
    return NULL;
}

void
cr_router_destroy(struct cr_router *r)
{
    if (!r)
        return;
    cr_dijkstra_destroy(r->dijkstra);
    cr_ch_query_destroy(r->chq);
    free(r->arcs);
    free(r);
}

/* Search endpoints of a place. Sources start on the edges that follow the place's edge, paying
 * the rest of that edge and the turn; targets end on the place's edge, paying it whole, so each
 * target gets the constant C minus what lies after the point. */
#define MAX_ENDPOINTS (CR_PLACE_CANDIDATES * 2 * 16)

struct ends {
    struct cr_endpoint ep[MAX_ENDPOINTS];
    uint8_t cand[MAX_ENDPOINTS], dir[MAX_ENDPOINTS]; /* which candidate and direction */
    size_t n;
    uint32_t offset;                                 /* targets: C */
};

static void
source_ends(const struct cr_engine *e, const struct cr_place *p, struct ends *s)
{
    const struct cr_wgraph *g = &e->tg->g;

    s->n = 0;
    s->offset = 0;
    for (uint32_t c = 0; c < p->count; c++) {
        for (int d = 0; d < 2; d++) {
            uint32_t x = p->cand[c].node[d];
            if (x == CR_INF)
                continue;
            for (uint32_t a = g->first_out[x]; a < g->first_out[x + 1] && s->n < MAX_ENDPOINTS;
                 a++) {
                uint64_t w = (uint64_t)p->cand[c].after[d] + g->weight[a];
                if (w >= CR_INF)
                    continue;
                s->ep[s->n] = (struct cr_endpoint){ g->head[a], (uint32_t)w };
                s->cand[s->n] = (uint8_t)c;
                s->dir[s->n] = (uint8_t)d;
                s->n++;
            }
        }
    }
}

static void
target_ends(const struct cr_engine *e, const struct cr_place *p, struct ends *t)
{
    uint32_t off = 0, base = e->tg->base_count;

    t->n = 0;
    for (uint32_t c = 0; c < p->count; c++)
        for (int d = 0; d < 2; d++)
            if (p->cand[c].node[d] != CR_INF && p->cand[c].after[d] > off)
                off = p->cand[c].after[d];
    t->offset = off;
    for (uint32_t c = 0; c < p->count; c++) {
        for (int d = 0; d < 2; d++) {
            /* every node of the edge's chain: the edge reached in any state */
            for (uint32_t x = p->cand[c].node[d]; x != CR_INF;
                 x = e->tg->next_copy ? e->tg->next_copy[x] : CR_INF) {
                for (uint32_t k = 0; k < e->tg->layers && t->n < MAX_ENDPOINTS; k++) {
                    t->ep[t->n] =
                        (struct cr_endpoint){ k * base + x, off - p->cand[c].after[d] };
                    t->cand[t->n] = (uint8_t)c;
                    t->dir[t->n] = (uint8_t)d;
                    t->n++;
                }
            }
        }
    }
}

/* Along one edge from a place to another on the same edge, ahead of it. */
struct direct {
    uint8_t ca, cb, dir;
};

static uint64_t
direct_weight(const struct cr_place *a, const struct cr_place *b, struct direct *how)
{
    uint64_t best = UINT64_MAX;

    for (uint32_t i = 0; i < a->count; i++)
        for (uint32_t j = 0; j < b->count; j++)
            for (int d = 0; d < 2; d++) {
                const struct cr_place_candidate *x = &a->cand[i], *y = &b->cand[j];
                if (x->node[d] == CR_INF || x->node[d] != y->node[d] ||
                    y->before[d] < x->before[d])
                    continue;
                if (y->before[d] - x->before[d] < best) {
                    best = y->before[d] - x->before[d];
                    *how = (struct direct){ (uint8_t)i, (uint8_t)j, (uint8_t)d };
                }
            }
    return best;
}

static uint64_t
search(struct cr_router *r, const struct ends *s, const struct ends *t)
{
    uint32_t w;

    if (s->n == 0 || t->n == 0)
        return UINT64_MAX;
    if (r->chq)
        w = cr_ch_query_run(r->chq, s->ep, s->n, t->ep, t->n);
    else
        w = cr_dijkstra_run(r->dijkstra, s->ep, s->n, t->ep, t->n);
    if (w == CR_INF || w < t->offset)
        return UINT64_MAX;
    return (uint64_t)w - t->offset;
}

uint64_t
cr_router_weight(struct cr_router *r, const struct cr_place *from, const struct cr_place *to)
{
    struct ends s, t;
    struct direct how = { 0, 0, 0 };
    uint64_t direct = direct_weight(from, to, &how), via;

    source_ends(r->e, from, &s);
    target_ends(r->e, to, &t);
    via = search(r, &s, &t);
    return direct < via ? direct : via;
}

/* ---- route assembly ----------------------------------------------------------------------- */

struct growing {
    struct cr_route *r;
    uint32_t point_cap, part_cap;
    int measures_only;             /* tables: sum the measures, skip the geometry */
};

static int
push_point(struct growing *gr, int32_t lon, int32_t lat)
{
    struct cr_route *r = gr->r;

    if (r->point_count && r->lon_e7[r->point_count - 1] == lon &&
        r->lat_e7[r->point_count - 1] == lat)
        return 0;
    if (r->point_count == gr->point_cap) {
        uint32_t cap = gr->point_cap ? gr->point_cap * 2 : 256;
        int32_t *a = realloc(r->lon_e7, cap * sizeof *a), *b;
        if (!a)
            return -1;
        r->lon_e7 = a;
        b = realloc(r->lat_e7, cap * sizeof *b);
        if (!b)
            return -1;
        r->lat_e7 = b;
        gr->point_cap = cap;
    }
    r->lon_e7[r->point_count] = lon;
    r->lat_e7[r->point_count] = lat;
    r->point_count++;
    return 0;
}

/* The polyline of edge E (in its direction) between fractions F0 and F1 of its length. */
static int
push_edge_geometry(struct growing *gr, const struct cr_graph_view *v, uint32_t e, double f0,
                   double f1)
{
    uint32_t seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
    int reversed = (v->edge_segment[e] & CR_SEGMENT_REVERSED) != 0;
    uint32_t first = v->segment_first_shape[seg], last = v->segment_first_shape[seg + 1];
    uint32_t n = last - first + 2;
    int32_t lon[2], lat[2];
    double total = 0.0, at = 0.0, d0, d1;

    lon[0] = v->lon_e7[v->segment_node[2 * seg]];
    lat[0] = v->lat_e7[v->segment_node[2 * seg]];
    lon[1] = v->lon_e7[v->segment_node[2 * seg + 1]];
    lat[1] = v->lat_e7[v->segment_node[2 * seg + 1]];
#define PT_LON(i) ((i) == 0 ? lon[0] : (i) == n - 1 ? lon[1] : v->shape_lon_e7[first + (i) - 1])
#define PT_LAT(i) ((i) == 0 ? lat[0] : (i) == n - 1 ? lat[1] : v->shape_lat_e7[first + (i) - 1])
#define DIR(i) (reversed ? n - 1 - (i) : (i))
    if (f0 <= 0.0 && f1 >= 1.0) { /* the whole edge, as most of a route is: no measuring */
        for (uint32_t i = 0; i < n; i++)
            if (push_point(gr, PT_LON(DIR(i)), PT_LAT(DIR(i))))
                return -1;
        return 0;
    }
    for (uint32_t i = 0; i + 1 < n; i++)
        total += cr_geo_distance_m(PT_LON(i), PT_LAT(i), PT_LON(i + 1), PT_LAT(i + 1));
    d0 = f0 * total;
    d1 = f1 * total;
    for (uint32_t i = 0; i + 1 < n; i++) {
        uint32_t p = DIR(i), q = DIR(i + 1);
        double len = cr_geo_distance_m(PT_LON(p), PT_LAT(p), PT_LON(q), PT_LAT(q));
        double next = at + len;
        if (next >= d0 && at <= d1) {
            double t0 = len > 0 ? (d0 - at) / len : 0.0, t1 = len > 0 ? (d1 - at) / len : 1.0;
            t0 = t0 < 0 ? 0 : t0;
            t1 = t1 > 1 ? 1 : t1;
            if (push_point(gr, (int32_t)lround(PT_LON(p) + t0 * (PT_LON(q) - PT_LON(p))),
                           (int32_t)lround(PT_LAT(p) + t0 * (PT_LAT(q) - PT_LAT(p)))) ||
                push_point(gr, (int32_t)lround(PT_LON(p) + t1 * (PT_LON(q) - PT_LON(p))),
                           (int32_t)lround(PT_LAT(p) + t1 * (PT_LAT(q) - PT_LAT(p)))))
                return -1;
        }
        at = next;
    }
#undef PT_LON
#undef PT_LAT
#undef DIR
    return 0;
}

static uint32_t
terminal_at(const struct cr_graph_view *v, uint32_t node)
{
    for (uint32_t t = 0; t < v->terminal_count; t++)
        if (v->terminals[t].node == node)
            return t;
    return CR_INF;
}

/* Adds edge E from fraction F0 to F1, with PENALTY_S seconds spent before entering it. */
static int
add_piece(struct growing *gr, const struct cr_engine *en, uint32_t e, double f0, double f1,
          double penalty_s, struct cr_route_leg *leg)
{
    const struct cr_graph_view *v = en->view;
    struct cr_route *r = gr->r;
    struct cr_edge_cost c;
    uint8_t mode = (uint8_t)cr_graph_edge_mode(v, e);
    uint32_t terminal = CR_INF, way = v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED];
    struct cr_route_part *part;
    double frac = f1 - f0, dist, dur, cost, co2;

    cr_profile_edge_cost(&en->profile, v, e, &c);
    dist = c.distance_m * frac;
    dur = c.time_s * frac + penalty_s;
    cost = c.cost * frac + penalty_s / 3600.0 * en->profile.cost_per_hour[mode];
    co2 = c.co2_kg * frac;
    if (mode == CR_MODE_TRANSFER) {
        uint32_t tail_group_terminal = v->group[v->head[e]] == CR_GROUP_TERMINAL;
        terminal = terminal_at(v, tail_group_terminal ? v->head[e] : CR_INF);
        if (terminal == CR_INF) { /* the edge leaving the terminal: its tail is the terminal */
            for (uint32_t t = 0; t < v->terminal_count; t++) {
                uint32_t tn = v->terminals[t].node;
                for (uint32_t x = v->first_out[tn]; x < v->first_out[tn + 1]; x++)
                    if (x == e)
                        terminal = t;
            }
        }
    }
    part = r->part_count ? &r->parts[r->part_count - 1] : NULL;
    if (!part || r->part_count <= leg->first_part || part->mode != mode ||
        (mode == CR_MODE_TRANSFER && part->terminal != terminal)) {
        if (r->part_count == gr->part_cap) {
            uint32_t cap = gr->part_cap ? gr->part_cap * 2 : 16;
            struct cr_route_part *p = realloc(r->parts, cap * sizeof *p);
            if (!p)
                return -1;
            r->parts = p;
            gr->part_cap = cap;
        }
        part = &r->parts[r->part_count++];
        memset(part, 0, sizeof *part);
        part->mode = mode;
        part->terminal = terminal;
        part->first_point = r->point_count ? r->point_count - 1 : 0;
        part->name = v->ways[way].name;
        leg->part_count++;
    }
    if (!gr->measures_only && push_edge_geometry(gr, v, e, f0, f1))
        return -1;
    part->distance_m += dist;
    part->duration_s += dur;
    part->cost += cost;
    part->co2_kg += co2;
    part->last_point = r->point_count ? r->point_count - 1 : 0;
    if (!part->name && v->ways[way].name)
        part->name = v->ways[way].name;
    leg->distance_m += dist;
    leg->duration_s += dur;
    leg->cost += cost;
    leg->co2_kg += co2;
    return 0;
}

static double
position(const struct cr_place *p, int c, int d)
{
    return d == 0 ? p->cand[c].snap.fraction : 1.0 - p->cand[c].snap.fraction;
}

/* The route of one leg into OUT (appending geometry and parts). A and B are not const: the
 * candidate used becomes their snap. */
static enum cr_status
route_leg(struct cr_router *r, struct cr_place *a, struct cr_place *b, struct growing *gr,
          struct cr_route_leg *leg, struct cr_error *err)
{
    const struct cr_engine *en = r->e;
    const struct cr_graph_view *v = en->view;
    const struct cr_turngraph *tg = en->tg;
    struct ends s, t;
    struct direct how = { 0, 0, 0 };
    uint64_t direct = direct_weight(a, b, &how), via;
    size_t si = 0, ti = 0, count;
    uint32_t base = tg->base_count;

    source_ends(en, a, &s);
    target_ends(en, b, &t);
    via = search(r, &s, &t);
    leg->first_point = gr->r->point_count ? gr->r->point_count - 1 : 0;
    leg->first_part = gr->r->part_count;
    if (direct == UINT64_MAX && via == UINT64_MAX)
        return cr_error_set(err, CR_ENOTFOUND,
                            "no route from %.6f,%.6f to %.6f,%.6f for the %s profile",
                            cr_e7_to_deg(a->lon_e7), cr_e7_to_deg(a->lat_e7),
                            cr_e7_to_deg(b->lon_e7), cr_e7_to_deg(b->lat_e7), en->profile.name);
    if (direct <= via) {
        leg->weight = direct;
        a->snap = a->cand[how.ca].snap;
        b->snap = b->cand[how.cb].snap;
        if (add_piece(gr, en, tg->edge_of[a->cand[how.ca].node[how.dir]],
                      position(a, how.ca, how.dir), position(b, how.cb, how.dir), 0, leg))
            goto oom;
        leg->last_point = gr->r->point_count ? gr->r->point_count - 1 : 0;
        return CR_OK;
    }
    leg->weight = via;
    if (r->chq)
        count = cr_ch_query_path(r->chq, r->arcs, r->arc_cap, &si, &ti);
    else
        count = cr_dijkstra_path(r->dijkstra, r->arcs, r->arc_cap, &si, &ti);
    if (count > r->arc_cap) {
        uint32_t *arcs = realloc(r->arcs, count * sizeof *arcs);
        if (!arcs)
            goto oom;
        r->arcs = arcs;
        r->arc_cap = count;
        if (r->chq)
            count = cr_ch_query_path(r->chq, r->arcs, r->arc_cap, &si, &ti);
        else
            count = cr_dijkstra_path(r->dijkstra, r->arcs, r->arc_cap, &si, &ti);
    }
    /* several endpoints may share a node (both directions of a place lead to the same next
     * edge); the search used the cheapest of them */
    for (size_t i = 0; i < s.n; i++)
        if (s.ep[i].node == s.ep[si].node && s.ep[i].weight < s.ep[si].weight)
            si = i;
    for (size_t i = 0; i < t.n; i++)
        if (t.ep[i].node == t.ep[ti].node && t.ep[i].weight < t.ep[ti].weight)
            ti = i;
    {
        /* edges: the source place's edge, the first arc's head, then each arc's head */
        int ca = s.cand[si], da = s.dir[si], cb = t.cand[ti], db = t.dir[ti];
        uint32_t prev_edge = tg->edge_of[a->cand[ca].node[da]];
        uint32_t node = s.ep[si].node % base;
        size_t total = count + 1;
        a->snap = a->cand[ca].snap;
        b->snap = b->cand[cb].snap;
        if (add_piece(gr, en, prev_edge, position(a, ca, da), 1.0, 0, leg))
            goto oom;
        for (size_t i = 0; i < total; i++) {
            uint32_t edge = tg->edge_of[node];
            double pen = cr_profile_node_penalty_s(&en->profile, v, v->head[prev_edge]) +
                         cr_profile_turn_penalty_s(&en->profile, v, prev_edge, edge);
            double end = i + 1 == total ? position(b, cb, db) : 1.0;
            if (add_piece(gr, en, edge, 0.0, end, pen < 0 ? 0 : pen, leg))
                goto oom;
            prev_edge = edge;
            if (i < count)
                node = tg->g.head[r->arcs[i]] % base;
        }
    }
    leg->last_point = gr->r->point_count ? gr->r->point_count - 1 : 0;
    return CR_OK;
oom:
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", en->profile.name);
}

void
cr_route_fini(struct cr_route *r)
{
    free(r->lon_e7);
    free(r->lat_e7);
    free(r->legs);
    free(r->parts);
    free(r->places);
    memset(r, 0, sizeof *r);
}

/* As OSRM: when every point lies nearest to one and the same small component (a route inside
 * a gated compound), the route stays there instead of starting and ending in a big one. */
static void
keep_small_component(struct cr_place *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].small_comp == CR_INF || p[i].small_comp != p[0].small_comp)
            return;
    for (size_t i = 0; i < n; i++) {
        p[i].cand[0] = p[i].nearest;
        p[i].count = 1;
        p[i].snap = p[i].nearest.snap;
        p[i].small_comp = CR_INF;
    }
}

static enum cr_status
route_through(struct cr_router *r, struct cr_route *out, struct cr_error *err)
{
    struct growing gr = { out, 0, 0, 0 };
    enum cr_status st;

    keep_small_component(out->places, out->place_count);
    out->used_ch = r->chq != NULL;
    for (size_t i = 0; i + 1 < out->place_count; i++) {
        struct cr_route_leg *leg = &out->legs[i];
        if ((st = route_leg(r, &out->places[i], &out->places[i + 1], &gr, leg, err)))
            return st;
        out->leg_count++;
        out->distance_m += leg->distance_m;
        out->duration_s += leg->duration_s;
        out->cost += leg->cost;
        out->co2_kg += leg->co2_kg;
        out->weight += leg->weight;
    }
    return CR_OK;
}

static enum cr_status
route_alloc(struct cr_route *out, size_t n, struct cr_error *err)
{
    memset(out, 0, sizeof *out);
    if (n < 2)
        return cr_error_set(err, CR_EINVAL, "a route needs at least two points");
    out->places = calloc(n, sizeof *out->places);
    out->legs = calloc(n - 1, sizeof *out->legs);
    if (!out->places || !out->legs) {
        cr_route_fini(out);
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    }
    out->place_count = (uint32_t)n;
    return CR_OK;
}

enum cr_status
cr_router_route(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7, size_t n,
                struct cr_route *out, struct cr_error *err)
{
    enum cr_status st;

    if ((st = route_alloc(out, n, err)))
        return st;
    for (size_t i = 0; i < n; i++)
        if ((st = cr_engine_place(r->e, lon_e7[i], lat_e7[i], &out->places[i], err)))
            goto fail;
    if ((st = route_through(r, out, err)))
        goto fail;
    return CR_OK;
fail:
    cr_route_fini(out);
    return st;
}

enum cr_status
cr_router_route_places(struct cr_router *r, const struct cr_place *places, size_t n,
                       struct cr_route *out, struct cr_error *err)
{
    enum cr_status st;

    if ((st = route_alloc(out, n, err)))
        return st;
    memcpy(out->places, places, n * sizeof *places);
    if ((st = route_through(r, out, err)))
        cr_route_fini(out);
    return st;
}

/* ---- matrices ----------------------------------------------------------------------------- */

enum cr_status
cr_router_matrix(struct cr_router *r, const struct cr_place *sources, size_t ns,
                 const struct cr_place *targets, size_t nt, uint64_t *out, struct cr_error *err)
{
    const struct cr_engine *en = r->e;
    struct ends *tends = malloc((nt ? nt : 1) * sizeof *tends);
    struct ends s;
    enum cr_status st = CR_OK;

    if (!tends)
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    for (size_t j = 0; j < nt; j++)
        target_ends(en, &targets[j], &tends[j]);
    if (en->ch) {
        struct cr_endpoint *src = malloc((ns * MAX_ENDPOINTS + 1) * sizeof *src);
        struct cr_endpoint *dst = malloc((nt * MAX_ENDPOINTS + 1) * sizeof *dst);
        uint32_t *src_first = malloc((ns + 1) * sizeof *src_first);
        uint32_t *dst_first = malloc((nt + 1) * sizeof *dst_first);
        uint32_t *w = malloc((ns * nt + 1) * sizeof *w);
        size_t k = 0;
        if (!src || !dst || !src_first || !dst_first || !w) {
            st = cr_error_set(err, CR_ENOMEM, "out of memory");
            goto ch_done;
        }
        for (size_t i = 0; i < ns; i++) {
            src_first[i] = (uint32_t)k;
            source_ends(en, &sources[i], &s);
            memcpy(src + k, s.ep, s.n * sizeof *src);
            k += s.n;
        }
        src_first[ns] = (uint32_t)k;
        k = 0;
        for (size_t j = 0; j < nt; j++) {
            dst_first[j] = (uint32_t)k;
            memcpy(dst + k, tends[j].ep, tends[j].n * sizeof *dst);
            k += tends[j].n;
        }
        dst_first[nt] = (uint32_t)k;
        if ((st = cr_ch_many_to_many(en->ch, src, src_first, ns, dst, dst_first, nt, w, err)))
            goto ch_done;
        for (size_t i = 0; i < ns; i++)
            for (size_t j = 0; j < nt; j++) {
                uint32_t x = w[i * nt + j];
                struct direct how = { 0, 0, 0 };
                uint64_t via = (x == CR_INF || x < tends[j].offset) ? UINT64_MAX
                                                                     : x - tends[j].offset;
                uint64_t direct = direct_weight(&sources[i], &targets[j], &how);
                out[i * nt + j] = direct < via ? direct : via;
            }
    ch_done:
        free(src);
        free(dst);
        free(src_first);
        free(dst_first);
        free(w);
        free(tends);
        return st;
    }
    for (size_t i = 0; i < ns; i++) {
        source_ends(en, &sources[i], &s);
        if (s.n)
            cr_dijkstra_run(r->dijkstra, s.ep, s.n, NULL, 0);
        for (size_t j = 0; j < nt; j++) {
            uint64_t best = UINT64_MAX;
            struct direct how = { 0, 0, 0 };
            for (size_t k = 0; s.n && k < tends[j].n; k++) {
                uint32_t d = cr_dijkstra_distance(r->dijkstra, tends[j].ep[k].node);
                uint64_t total;
                if (d == CR_INF)
                    continue;
                total = (uint64_t)d + tends[j].ep[k].weight;
                if (total >= tends[j].offset && total - tends[j].offset < best)
                    best = total - tends[j].offset;
            }
            {
                uint64_t direct = direct_weight(&sources[i], &targets[j], &how);
                out[i * nt + j] = direct < best ? direct : best;
            }
        }
    }
    free(tends);
    return st;
}

double
cr_metric_value(enum cr_metric m, uint64_t weight)
{
    switch (m) {
    case CR_METRIC_TIME:
        return (double)weight / 10.0;   /* deciseconds */
    case CR_METRIC_DISTANCE:
        return (double)weight / 10.0;   /* decimetres */
    case CR_METRIC_COST:
        return (double)weight;          /* currency units */
    case CR_METRIC_CO2:
        return (double)weight / 1000.0; /* grams */
    default:
        return (double)weight;
    }
}

enum cr_status
cr_router_table(struct cr_router *r, const struct cr_place *sources, size_t ns,
                const struct cr_place *targets, size_t nt, struct cr_cell *out,
                struct cr_error *err)
{
    uint64_t *w = malloc((ns * nt + 1) * sizeof *w);
    struct cr_route scratch;
    struct growing gr = { &scratch, 0, 0, 1 };
    enum cr_status st;

    memset(&scratch, 0, sizeof scratch);
    if (!w)
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    /* the weights first, with buckets: an unreachable cell then costs no search of its own */
    if ((st = cr_router_matrix(r, sources, ns, targets, nt, w, err)))
        goto done;
    for (size_t i = 0; i < ns; i++) {
        for (size_t j = 0; j < nt; j++) {
            struct cr_cell *c = &out[i * nt + j];
            struct cr_place a = sources[i], b = targets[j];
            struct cr_route_leg leg;
            *c = (struct cr_cell){ UINT64_MAX, NAN, NAN, NAN, NAN };
            if (w[i * nt + j] == UINT64_MAX)
                continue;
            memset(&leg, 0, sizeof leg);
            scratch.part_count = 0;
            st = route_leg(r, &a, &b, &gr, &leg, err);
            if (st == CR_ENOTFOUND) {
                st = CR_OK;
                continue;
            }
            if (st)
                goto done;
            *c = (struct cr_cell){ leg.weight, leg.distance_m, leg.duration_s, leg.cost,
                                   leg.co2_kg };
        }
    }
done:
    cr_route_fini(&scratch);
    free(w);
    return st;
}
