/*
 * The engine of a profile and metric, and places: a coordinate snapped to the segments a route
 * may start or end on (routing/route.h, "A place on the network"), with OSRM's per-point
 * radiuses, bearings and approaches.
 */
#include "routing/route.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "routing/route_ends.h"

/* ---- engine and places -------------------------------------------------------------------- */

enum cr_status
cr_engine_init(struct cr_engine *e, const struct cr_graph_view *v, const struct cr_snap_index *snap,
               const struct cr_profile *profile, enum cr_metric metric, struct cr_error *err)
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
    if (!(e->cond = malloc(sizeof *e->cond))) {
        cr_engine_fini(e);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", profile->name);
    }
    if (cr_condset_init(e->cond, v, &e->profile, err)) {
        free(e->cond);
        e->cond = NULL;
        cr_engine_fini(e);
        return err ? err->code : CR_ENOMEM;
    }
    return CR_OK;
}

void
cr_engine_fini(struct cr_engine *e)
{
    cr_engine_sums_free(e);
    cr_turngraph_destroy(e->tg);
    free(e->comp_nodes);
    if (e->cond)
        cr_condset_fini(e->cond);
    free(e->cond);
    e->cond = NULL;
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

    return snap_mode_ok(e, segment) && (node_in_big(e, segment_node(e, segment, 0)) ||
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
    int oneway =
        segment_node(e, s->segment, 0) == CR_INF || segment_node(e, s->segment, 1) == CR_INF;
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

int
cr_engine_candidate(const struct cr_engine *e, const struct cr_snap *s, int32_t lon_e7,
                    int32_t lat_e7, struct cr_place_candidate *c)
{
    struct cr_place_opts o = CR_PLACE_OPTS_DEFAULT;

    return fill_candidate(e, s, &o, lon_e7, lat_e7, c);
}

int
cr_engine_candidate_opts(const struct cr_engine *e, const struct cr_snap *s,
                         const struct cr_place_opts *opts, int32_t lon_e7, int32_t lat_e7,
                         struct cr_place_candidate *c)
{
    struct cr_place_opts o = opts ? *opts : CR_PLACE_OPTS_DEFAULT;

    return fill_candidate(e, s, &o, lon_e7, lat_e7, c);
}

int
cr_engine_segment_in_big(const struct cr_engine *e, uint32_t segment)
{
    return segment_in_big((void *)e, segment);
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
    if (n > 0 && !o.snap_any && !segment_in_big((void *)e, found[0].segment)) {
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
                            cr_e7_to_deg(lon_e7), cr_e7_to_deg(lat_e7), e->profile.name, radius);
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
                    return cr_error_set(err, CR_EINVAL, "%s: element %zu \"%.*s\" is not %s", kind,
                                        i + 1, (int)(end - p > 40 ? 40 : end - p), p,
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
