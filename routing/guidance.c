/* Turn-by-turn guidance (routing/guidance.h): steps from a route's pieces. */
#include "routing/guidance.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "core/snap.h"
#include "routing/measure.h"

#define LOOKAHEAD_M 10.0  /* a way's bearing at a node: towards its point this far along */
#define STRAIGHT_DEV 35.0 /* a way within this many degrees of straight on "goes straight" */

const char *
cr_maneuver_name(enum cr_maneuver m)
{
    static const char *const names[CR_MAN_COUNT] = {
        "depart",          "arrive",      "turn",         "new name",        "continue",   "merge",
        "on ramp",         "off ramp",    "fork",         "end of road",     "roundabout", "rotary",
        "exit roundabout", "exit rotary", "notification", "roundabout turn",
    };
    return (unsigned)m < CR_MAN_COUNT ? names[m] : "turn";
}

const char *
cr_modifier_name(enum cr_modifier m)
{
    static const char *const names[CR_MOD_COUNT] = {
        "",         "uturn",       "sharp right", "right",      "slight right",
        "straight", "slight left", "left",        "sharp left",
    };
    return (unsigned)m < CR_MOD_COUNT ? names[m] : "";
}

enum cr_modifier
cr_modifier_of(double bearing_before, double bearing_after)
{
    double a = cr_turn_angle(bearing_before, bearing_after);

    if (a > 0 && a < 60)
        return CR_MOD_SHARP_RIGHT;
    if (a >= 60 && a < 140)
        return CR_MOD_RIGHT;
    if (a >= 140 && a < 160)
        return CR_MOD_SLIGHT_RIGHT;
    if (a >= 160 && a <= 200)
        return CR_MOD_STRAIGHT;
    if (a > 200 && a <= 220)
        return CR_MOD_SLIGHT_LEFT;
    if (a > 220 && a <= 300)
        return CR_MOD_LEFT;
    if (a > 300 && a < 360)
        return CR_MOD_SHARP_LEFT;
    return CR_MOD_UTURN;
}

/* ---- geometry ---------------------------------------------------------------------------- */

static uint32_t
edge_seg(const struct cr_graph_view *v, uint32_t e)
{
    return v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
}

static uint32_t
edge_way(const struct cr_graph_view *v, uint32_t e)
{
    return v->segment_way[edge_seg(v, e)];
}

/* Bearing from (lon1, lat1) to (lon2, lat2), degrees 0..360. */
static double
bearing(int32_t lon1, int32_t lat1, int32_t lon2, int32_t lat2)
{
    double mx, my, b;

    cr_geo_scale(cr_e7_to_deg(lat1), &mx, &my);
    b = atan2((lon2 - lon1) * 1e-7 * mx, (lat2 - lat1) * 1e-7 * my) * 180.0 / M_PI;
    return b < 0 ? b + 360.0 : b;
}

/* Point I (0 = node a, n-1 = node b) of segment S, N its point count. */
static void
seg_point(const struct cr_graph_view *v, uint32_t s, uint32_t i, int32_t *lon, int32_t *lat)
{
    uint32_t first = v->segment_first_shape[s], n = v->segment_first_shape[s + 1] - first + 2;

    if (i == 0 || i == n - 1) {
        uint32_t node = v->segment_node[2 * s + (i != 0)];
        *lon = v->lon_e7[node];
        *lat = v->lat_e7[node];
    } else {
        *lon = v->shape_lon_e7[first + i - 1];
        *lat = v->shape_lat_e7[first + i - 1];
    }
}

/* The bearing of segment S leaving its node a (FROM_B 0) or b (FROM_B 1), towards its point
 * LOOKAHEAD_M along (or its far end). */
static double
seg_bearing(const struct cr_graph_view *v, uint32_t s, int from_b)
{
    uint32_t n = v->segment_first_shape[s + 1] - v->segment_first_shape[s] + 2;
    int32_t lon0, lat0, lon, lat, plon, plat;
    double along = 0;

    seg_point(v, s, from_b ? n - 1 : 0, &lon0, &lat0);
    plon = lon = lon0;
    plat = lat = lat0;
    for (uint32_t k = 1; k < n; k++) {
        seg_point(v, s, from_b ? n - 1 - k : k, &lon, &lat);
        along += cr_geo_distance_m(plon, plat, lon, lat);
        if (along >= LOOKAHEAD_M)
            break;
        plon = lon;
        plat = lat;
    }
    return bearing(lon0, lat0, lon, lat);
}

/* ---- intersections ------------------------------------------------------------------------- */

struct way_at {
    uint32_t seg;
    double bearing; /* leaving the node along it */
    uint32_t out;   /* the edge leaving the node along it, or CR_NO_EDGE */
};

struct node_ways {
    uint32_t node, count;
    struct way_at w[CR_GUIDE_MAX_WAYS];
};

struct touch {
    const struct cr_graph_view *v;
    uint32_t node;
};

static int
touches(void *user, uint32_t s)
{
    const struct touch *t = user;
    uint8_t mode = t->v->ways[t->v->segment_way[s]].mode;

    return (t->v->segment_node[2 * s] == t->node || t->v->segment_node[2 * s + 1] == t->node) &&
           mode != CR_MODE_TRANSFER;
}

/* The ways meeting at NODE (found through the snapping index, so no reverse adjacency is kept). */
static void
ways_at(const struct cr_engine *e, uint32_t node, struct node_ways *out)
{
    const struct cr_graph_view *v = e->view;
    struct cr_snap found[CR_GUIDE_MAX_WAYS];
    struct touch t = { v, node };
    size_t n = 0;

    out->node = node;
    out->count = 0;
    if (e->snap)
        n = cr_snap_k_nearest(e->snap, v->lon_e7[node], v->lat_e7[node], 0.5, touches, &t, found,
                              CR_GUIDE_MAX_WAYS);
    for (size_t i = 0; i < n; i++) {
        uint32_t s = found[i].segment;
        int from_b = v->segment_node[2 * s] != node;
        struct way_at *w = &out->w[out->count++];
        w->seg = s;
        w->bearing = seg_bearing(v, s, from_b);
        w->out = v->segment_edge[2 * s + from_b];
    }
}

static int
way_index(const struct node_ways *nw, uint32_t seg)
{
    for (uint32_t i = 0; i < nw->count; i++)
        if (nw->w[i].seg == seg)
            return (int)i;
    return -1;
}

/* Whether the profile's turn graph has the turn from network edge IN to OUT (IN CR_NO_EDGE: OUT
 * is usable at all). */
static int
turn_allowed(const struct cr_engine *e, uint32_t in, uint32_t out)
{
    const struct cr_turngraph *tg = e->tg;
    uint32_t x;

    if (out == CR_NO_EDGE || tg->node_of_edge[out] == CR_INF)
        return 0;
    if (in == CR_NO_EDGE)
        return 1;
    for (x = tg->node_of_edge[in]; x != CR_INF; x = tg->next_copy ? tg->next_copy[x] : CR_INF)
        for (uint32_t a = tg->g.first_out[x]; a < tg->g.first_out[x + 1]; a++)
            if (tg->edge_of[tg->g.head[a] % tg->base_count] == out)
                return 1;
    return 0;
}

static uint16_t
deg(double b)
{
    long d = lround(b);
    return (uint16_t)(((d % 360) + 360) % 360);
}

/* The turn lanes at X (of NW, come in by edge IN_EDGE) when the way come in on ends there and has
 * turn lanes in the direction travelled (way.guide), with those that allow the turn taken. */
static void
set_lanes(const struct cr_engine *e, const struct node_ways *nw, uint32_t in_edge,
          struct cr_intersection *x)
{
    const struct cr_graph_view *v = e->view;
    const struct cr_way_guide *gd;
    uint32_t way, text, ends = 0;

    if (in_edge == CR_NO_EDGE || x->in == CR_GUIDE_NONE || x->out == CR_GUIDE_NONE)
        return;
    way = edge_way(v, in_edge);
    if (!(gd = cr_graph_way_guide(v, way)))
        return;
    text = v->edge_segment[in_edge] & CR_SEGMENT_REVERSED ? gd->lanes_bwd : gd->lanes_fwd;
    for (uint32_t i = 0; i < nw->count; i++)
        ends += v->segment_way[nw->w[i].seg] == way;
    if (!text || ends != 1) /* the way goes on: its lanes are those at its end */
        return;
    x->lane_count = (uint8_t)cr_lanes_parse(cr_graph_string(v, text), x->lanes);
    x->lane_valid = cr_lanes_valid(x->lanes, x->lane_count,
                                   cr_turn_angle(x->bearings[x->in] + 180.0, x->bearings[x->out]));
}

/* The intersection object of NW, come in along segment IN_SEG by edge IN_EDGE (CR_NO_EDGE:
 * depart) and left along OUT_SEG (CR_INF: arrive); bearings sorted as OSRM lists them. */
static void
make_intersection(const struct cr_engine *e, const struct node_ways *nw, uint32_t in_seg,
                  uint32_t in_edge, uint32_t out_seg, struct cr_intersection *x)
{
    const struct cr_graph_view *v = e->view;
    uint32_t order[CR_GUIDE_MAX_WAYS];

    memset(x, 0, sizeof *x);
    x->lon_e7 = v->lon_e7[nw->node];
    x->lat_e7 = v->lat_e7[nw->node];
    x->in = x->out = CR_GUIDE_NONE;
    for (uint32_t i = 0; i < nw->count; i++)
        order[i] = i;
    for (uint32_t i = 1; i < nw->count; i++) /* insertion sort by bearing */
        for (uint32_t j = i; j > 0 && nw->w[order[j]].bearing < nw->w[order[j - 1]].bearing; j--) {
            uint32_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (uint32_t i = 0; i < nw->count; i++) {
        const struct way_at *w = &nw->w[order[i]];
        x->bearings[i] = deg(w->bearing);
        x->entry[i] = (uint8_t)turn_allowed(e, in_edge, w->out);
        if (w->seg == in_seg)
            x->in = (uint8_t)i;
        if (w->seg == out_seg)
            x->out = (uint8_t)i;
    }
    x->count = (uint8_t)nw->count;
    set_lanes(e, nw, in_edge, x);
}

/* ---- steps --------------------------------------------------------------------------------- */

struct builder {
    const struct cr_engine *e;
    const struct cr_route *r;
    struct cr_guidance *g;
    uint32_t step_cap, x_cap;
    int round_state; /* 1: in a roundabout step, counting exits */
    uint32_t exits;
};

static struct cr_step *
new_step(struct builder *b)
{
    struct cr_guidance *g = b->g;

    if (g->step_count == b->step_cap) {
        uint32_t cap = b->step_cap ? b->step_cap * 2 : 16;
        struct cr_step *s = realloc(g->steps, cap * sizeof *s);
        if (!s)
            return NULL;
        g->steps = s;
        b->step_cap = cap;
    }
    memset(&g->steps[g->step_count], 0, sizeof g->steps[0]);
    g->steps[g->step_count].first_intersection = g->x_count;
    return &g->steps[g->step_count++];
}

static struct cr_intersection *
new_intersection(struct builder *b)
{
    struct cr_guidance *g = b->g;

    if (g->x_count == b->x_cap) {
        uint32_t cap = b->x_cap ? b->x_cap * 2 : 32;
        struct cr_intersection *x = realloc(g->xs, cap * sizeof *x);
        if (!x)
            return NULL;
        g->xs = x;
        b->x_cap = cap;
    }
    g->steps[g->step_count - 1].intersection_count++;
    return &g->xs[g->x_count++];
}

static int
is_ramp(const struct cr_way_attr *w)
{
    return w->mode == CR_MODE_ROAD &&
           (w->klass == CR_ROAD_MOTORWAY_LINK || w->klass == CR_ROAD_TRUNK_LINK);
}

static int
is_highway(const struct cr_way_attr *w)
{
    return w->mode == CR_MODE_ROAD && (w->klass == CR_ROAD_MOTORWAY || w->klass == CR_ROAD_TRUNK);
}

static int
same_name(const struct cr_graph_view *v, const struct cr_way_attr *a, const struct cr_way_attr *b)
{
    const char *na = cr_graph_string(v, a->name), *nb = cr_graph_string(v, b->name);
    const char *ra = cr_graph_string(v, a->ref), *rb = cr_graph_string(v, b->ref);

    if (!*na && !*nb && !*ra && !*rb)
        return 0; /* two unnamed ways: nothing says they are one road */
    return !strcmp(na, nb) && !strcmp(ra, rb);
}

static double
deviation(double before, double after)
{
    return fabs(cr_turn_angle(before, after) - 180.0);
}

/* A slight modifier for a fork or merge: M itself unless straight, then by the side. */
static enum cr_modifier
slight(enum cr_modifier m, double before, double after)
{
    if (m != CR_MOD_STRAIGHT)
        return m;
    return cr_turn_angle(before, after) < 180.0 ? CR_MOD_SLIGHT_RIGHT : CR_MOD_SLIGHT_LEFT;
}

struct turn {
    enum cr_maneuver type;
    enum cr_modifier modifier;
    int none; /* no step: the road goes on */
};

/* What happens at NW coming in along piece edge IN and leaving by OUT (neither on a roundabout). */
static struct turn
classify(const struct cr_engine *e, const struct node_ways *nw, uint32_t in, uint32_t out,
         double before, double after)
{
    const struct cr_graph_view *v = e->view;
    const struct cr_way_attr *w1 = &v->ways[edge_way(v, in)], *w2 = &v->ways[edge_way(v, out)];
    int iin = way_index(nw, edge_seg(v, in)), iout = way_index(nw, edge_seg(v, out));
    enum cr_modifier m = cr_modifier_of(before, after);
    uint32_t options = 0, straight = 0, ahead = 0, left = 0, right = 0;
    double closest = 360.0; /* the smallest deviation from straight of the other ways allowed */
    int same = same_name(v, w1, w2);
    struct turn t = { CR_MAN_TURN, m, 0 };

    if (iin == iout)
        return (struct turn){ CR_MAN_CONTINUE, CR_MOD_UTURN, 0 };
    for (uint32_t i = 0; i < nw->count; i++) {
        double a;
        if ((int)i == iin)
            continue;
        a = cr_turn_angle(before, nw->w[i].bearing);
        if (fabs(a - 180.0) <= STRAIGHT_DEV)
            ahead++;
        if (!turn_allowed(e, in, nw->w[i].out))
            continue;
        options++;
        if ((int)i != iout && fabs(a - 180.0) < closest)
            closest = fabs(a - 180.0);
        straight += fabs(a - 180.0) <= STRAIGHT_DEV;
        right += a < 180.0 - STRAIGHT_DEV;
        left += a > 180.0 + STRAIGHT_DEV;
    }
    if (w1->mode != w2->mode)
        return (struct turn){ m == CR_MOD_STRAIGHT ? CR_MAN_NOTIFICATION : CR_MAN_TURN, m, 0 };
    if (!is_ramp(w1) && !is_highway(w1) && is_ramp(w2))
        return (struct turn){ CR_MAN_ON_RAMP, m, 0 };
    if (is_highway(w1) && is_ramp(w2))
        return (struct turn){ CR_MAN_OFF_RAMP, slight(m, before, after), 0 };
    if (is_ramp(w1) && is_highway(w2)) { /* from the right side: merge (slight) left */
        double rel = fmod(before + 180.0 - after + 720.0, 360.0);
        return (struct turn){ CR_MAN_MERGE, rel < 180.0 ? CR_MOD_SLIGHT_LEFT : CR_MOD_SLIGHT_RIGHT,
                              0 };
    }
    if (options <= 1) { /* the road bends or changes name: nothing to choose */
        t.none = same || (!*cr_graph_string(v, w1->name) && !*cr_graph_string(v, w2->name));
        t.type = CR_MAN_NEW_NAME;
        return t;
    }
    if (deviation(before, after) <= STRAIGHT_DEV && straight >= 2 && !same) {
        t.type = CR_MAN_FORK;
        t.modifier = slight(m, before, after);
        return t;
    }
    if (ahead == 0 && left && right && m != CR_MOD_UTURN) {
        t.type = CR_MAN_END_OF_ROAD;
        return t;
    }
    if (same) { /* the same road bending slightly, and the most straight way: it goes on */
        t.none = m == CR_MOD_STRAIGHT || ((m == CR_MOD_SLIGHT_LEFT || m == CR_MOD_SLIGHT_RIGHT) &&
                                          deviation(before, after) + STRAIGHT_DEV / 2 < closest);
        t.type = CR_MAN_CONTINUE;
        return t;
    }
    if (m == CR_MOD_STRAIGHT && straight == 1) {
        t.none = !*cr_graph_string(v, w1->name) && !*cr_graph_string(v, w2->name) &&
                 w1->klass == w2->klass;
        t.type = CR_MAN_NEW_NAME;
    }
    return t;
}

/* Starts a step of TYPE/MODIFIER at node-side point POINT (the route's point index) travelling
 * piece P. */
static struct cr_step *
begin_step(struct builder *b, const struct cr_route_piece *p, uint8_t type, uint8_t modifier,
           double before, double after)
{
    const struct cr_graph_view *v = b->e->view;
    struct cr_step *s;

    if (b->g->step_count) {
        struct cr_step *prev = &b->g->steps[b->g->step_count - 1];
        prev->last_point = p->first_point;
    }
    if (!(s = new_step(b)))
        return NULL;
    s->type = type;
    s->modifier = modifier;
    s->bearing_before = type == CR_MAN_DEPART ? 0 : deg(before);
    s->bearing_after = deg(after);
    s->lon_e7 = b->r->lon_e7[p->first_point];
    s->lat_e7 = b->r->lat_e7[p->first_point];
    s->way = edge_way(v, p->edge);
    s->mode = v->ways[s->way].mode;
    s->first_point = s->last_point = p->first_point;
    return s;
}

static double
weight_part(const struct cr_engine *e, const struct cr_measures *m)
{
    switch (cr_metric_measure(e->metric)) {
    case CR_MEASURE_DISTANCE:
        return m->distance_m;
    case CR_MEASURE_COST:
        return m->cost;
    case CR_MEASURE_CO2:
        return m->co2_kg;
    default:
        return m->duration_s;
    }
}

/* Shares the leg's totals (to 0.1) out over steps FIRST .. END-1 (their raw sums in place) so
 * that each is a multiple of 0.1 and they add up to the leg's exactly: step i gets the rounded
 * cumulative share up to it minus the one before it. */
static void
share_out(struct cr_step *steps, uint32_t n, double total, size_t field)
{
    double sum = 0, cum = 0;
    long long prev = 0, goal = llround(total * 10.0);

    for (uint32_t i = 0; i < n; i++)
        sum += *(double *)((char *)&steps[i] + field);
    for (uint32_t i = 0; i < n; i++) {
        double *x = (double *)((char *)&steps[i] + field);
        long long k;
        cum += *x;
        k = sum > 0 ? llround((double)goal * (cum / sum)) : (i + 1 == n ? goal : 0);
        if (i + 1 == n)
            k = goal;
        *x = (double)(k - prev) / 10.0;
        prev = k;
    }
}

/* Adds the intersection at the node between pieces A and B to the current step when it is one
 * (three ways or more) or MUST. */
static int
add_node(struct builder *b, const struct node_ways *nw, const struct cr_route_piece *a,
         const struct cr_route_piece *p, int must)
{
    const struct cr_graph_view *v = b->e->view;
    struct cr_intersection *x;

    if (nw->count < 3 && !must)
        return 0;
    if (!(x = new_intersection(b)))
        return -1;
    make_intersection(b->e, nw, edge_seg(v, a->edge), a->edge, edge_seg(v, p->edge), x);
    return 0;
}

/* Counts the exits of a roundabout at NW (ways off the circle that may be taken from IN). */
static int
roundabout_exit_here(const struct cr_engine *e, const struct node_ways *nw, uint32_t in)
{
    const struct cr_graph_view *v = e->view;

    for (uint32_t i = 0; i < nw->count; i++)
        if (!(v->ways[v->segment_way[nw->w[i].seg]].flags & CR_WAY_ROUNDABOUT) &&
            turn_allowed(e, in, nw->w[i].out))
            return 1;
    return 0;
}

#define ROUND_TURN_M                                                                               \
    15.0              /* OSRM: a roundabout this small (radius) with four arms or fewer is         \
                        a "roundabout turn"; a named one larger than this a rotary */
#define ROUND_MAX 256 /* nodes walked round one roundabout at most */

/* The kind of the roundabout entered at NODE by edge EDGE, as OSRM tells them: a rotary when it
 * has a name (NAME) that none of its arms has and a radius over ROUND_TURN_M; a roundabout
 * intersection ("roundabout turn") when its radius is below that and it has four arms at most;
 * else a roundabout (also when the ring cannot be walked: it forks or does not close). */
static enum cr_maneuver
roundabout_kind(const struct cr_engine *e, uint32_t node, uint32_t edge, uint32_t name)
{
    const struct cr_graph_view *v = e->view;
    double length_m = 0, radius;
    uint32_t at = node, arms = 0, steps = 0;
    int named_arm = 0;

    do {
        uint32_t next = CR_NO_EDGE;
        struct node_ways nw;
        length_m += v->segment_length_cm[edge_seg(v, edge)] / 100.0;
        at = v->head[edge];
        ways_at(e, at, &nw);
        for (uint32_t i = 0; i < nw.count; i++) {
            const struct cr_way_attr *w = &v->ways[v->segment_way[nw.w[i].seg]];
            if (w->flags & CR_WAY_ROUNDABOUT) {
                if (nw.w[i].out != CR_NO_EDGE && nw.w[i].seg != edge_seg(v, edge))
                    next = nw.w[i].out;
                continue;
            }
            arms++;
            named_arm |= name && w->name == name;
        }
        if (next == CR_NO_EDGE || ++steps > ROUND_MAX)
            return CR_MAN_ROUNDABOUT;
        edge = next;
    } while (at != node);
    radius = length_m / (2.0 * M_PI);
    if (name && !named_arm && radius > ROUND_TURN_M)
        return CR_MAN_ROTARY;
    if (radius < ROUND_TURN_M && arms <= 4)
        return CR_MAN_ROUNDABOUT_TURN;
    return CR_MAN_ROUNDABOUT;
}

/* The bearing of piece P of route R at its end (AT_END 1: arriving) or start (0: leaving). */
static double
piece_bearing(const struct cr_route *r, const struct cr_route_piece *p, int at_end)
{
    uint32_t i = at_end ? p->last_point : p->first_point;

    if (p->last_point == p->first_point)
        return 0;
    if (at_end)
        return bearing(r->lon_e7[i - 1], r->lat_e7[i - 1], r->lon_e7[i], r->lat_e7[i]);
    return bearing(r->lon_e7[i], r->lat_e7[i], r->lon_e7[i + 1], r->lat_e7[i + 1]);
}

/* The maneuver at the node between pieces A and P, and a new step for it. */
static int
at_node(struct builder *b, const struct cr_route_piece *a, const struct cr_route_piece *p)
{
    const struct cr_engine *e = b->e;
    const struct cr_graph_view *v = e->view;
    const struct cr_way_attr *w1 = &v->ways[edge_way(v, a->edge)];
    const struct cr_way_attr *w2 = &v->ways[edge_way(v, p->edge)];
    int r1 = (w1->flags & CR_WAY_ROUNDABOUT) != 0, r2 = (w2->flags & CR_WAY_ROUNDABOUT) != 0;
    struct node_ways nw;
    double before, after;
    int iin, iout;
    struct turn t;

    ways_at(e, v->head[a->edge], &nw);
    iin = way_index(&nw, edge_seg(v, a->edge));
    iout = way_index(&nw, edge_seg(v, p->edge));
    before = iin >= 0 ? fmod(nw.w[iin].bearing + 180.0, 360.0) : piece_bearing(b->r, a, 1);
    after = iout >= 0 ? nw.w[iout].bearing : piece_bearing(b->r, p, 0);
    if (w1->mode == CR_MODE_TRANSFER && w2->mode == CR_MODE_TRANSFER)
        return 0; /* through the terminal: one transfer step */
    if (w1->mode != w2->mode && (w1->mode == CR_MODE_TRANSFER || w2->mode == CR_MODE_TRANSFER))
        return begin_step(b, p, CR_MAN_NOTIFICATION, CR_MOD_STRAIGHT, before, after) ? 0 : -1;
    if (iin < 0 || iout < 0) /* more ways than listed: the step still starts */
        return begin_step(b, p, CR_MAN_TURN, cr_modifier_of(before, after), before, after) ? 0 : -1;
    if (!r1 && r2) { /* into a roundabout: one step to its exit */
        uint8_t type = (uint8_t)roundabout_kind(e, v->head[a->edge], p->edge, w2->name);
        struct cr_step *s = begin_step(b, p, type, CR_MOD_STRAIGHT, before, after);
        if (!s)
            return -1;
        s->rotary_name = type == CR_MAN_ROTARY ? w2->name : 0;
        b->round_state = 1;
        b->exits = 0;
        return add_node(b, &nw, a, p, 1);
    }
    if (r1 && r2) {
        if (b->round_state && roundabout_exit_here(e, &nw, a->edge))
            b->exits++;
        return add_node(b, &nw, a, p, 0);
    }
    if (r1 && !r2 && b->round_state) { /* out of it: the step goes on along the exit road */
        struct cr_step *s = &b->g->steps[b->g->step_count - 1];
        s->exit = (uint8_t)(b->exits + 1 > 255 ? 255 : b->exits + 1);
        s->modifier = (uint8_t)cr_modifier_of(s->bearing_before, after);
        s->way = edge_way(v, p->edge);
        b->round_state = 0;
        return add_node(b, &nw, a, p, 0);
    }
    t = classify(e, &nw, a->edge, p->edge, before, after);
    if (t.none)
        return add_node(b, &nw, a, p, 0);
    if (!begin_step(b, p, (uint8_t)t.type, (uint8_t)t.modifier, before, after))
        return -1;
    return add_node(b, &nw, a, p, 1);
}

/* The steps of leg L: pieces FIRST .. END-1. */
static int
leg_steps(struct builder *b, uint32_t l, uint32_t first, uint32_t end)
{
    const struct cr_engine *e = b->e;
    const struct cr_route *r = b->r;
    const struct cr_route_leg *leg = &r->legs[l];
    uint32_t first_step = b->g->step_count;
    struct cr_intersection *x;
    struct cr_step *s;
    double after;

    b->round_state = 0;
    after = r->pieces[first].last_point > r->pieces[first].first_point
                ? bearing(r->lon_e7[r->pieces[first].first_point],
                          r->lat_e7[r->pieces[first].first_point],
                          r->lon_e7[r->pieces[first].first_point + 1],
                          r->lat_e7[r->pieces[first].first_point + 1])
                : 0;
    if (!(s = begin_step(b, &r->pieces[first], CR_MAN_DEPART, CR_MOD_NONE, 0, after)) ||
        !(x = new_intersection(b)))
        return -1;
    memset(x, 0, sizeof *x);
    x->lon_e7 = s->lon_e7;
    x->lat_e7 = s->lat_e7;
    x->count = 1;
    x->bearings[0] = s->bearing_after;
    x->entry[0] = 1;
    x->in = CR_GUIDE_NONE;
    for (uint32_t i = first; i < end; i++) {
        const struct cr_route_piece *p = &r->pieces[i];
        if (i > first && at_node(b, &r->pieces[i - 1], p))
            return -1;
        s = &b->g->steps[b->g->step_count - 1];
        s->distance_m += p->m.distance_m;
        s->duration_s += p->m.duration_s;
        s->weight += weight_part(e, &p->m);
    }
    s = &b->g->steps[b->g->step_count - 1];
    s->last_point = leg->last_point;
    {
        double before = 0;
        uint32_t lp = leg->last_point;
        struct cr_step *arr;
        if (lp > leg->first_point)
            before = bearing(r->lon_e7[lp - 1], r->lat_e7[lp - 1], r->lon_e7[lp], r->lat_e7[lp]);
        if (!(arr = new_step(b)))
            return -1;
        arr->type = CR_MAN_ARRIVE;
        arr->bearing_before = deg(before);
        arr->lon_e7 = r->lon_e7[lp];
        arr->lat_e7 = r->lat_e7[lp];
        arr->way = b->g->steps[b->g->step_count - 2].way;
        arr->mode = b->g->steps[b->g->step_count - 2].mode;
        arr->first_point = arr->last_point = lp;
        if (!(x = new_intersection(b)))
            return -1;
        memset(x, 0, sizeof *x);
        x->lon_e7 = arr->lon_e7;
        x->lat_e7 = arr->lat_e7;
        x->count = 1;
        x->bearings[0] = deg(before + 180.0);
        x->entry[0] = 1;
        x->out = CR_GUIDE_NONE;
    }
    cr_guidance_collapse(e->view, b->g, first_step);
    {
        uint32_t n = b->g->step_count - first_step;
        struct cr_step *st = &b->g->steps[first_step];
        share_out(st, n, leg->distance_m, offsetof(struct cr_step, distance_m));
        share_out(st, n, leg->duration_s, offsetof(struct cr_step, duration_s));
        share_out(st, n, cr_metric_value(e->metric, leg->weight), offsetof(struct cr_step, weight));
    }
    return 0;
}

enum cr_status
cr_guidance_build(const struct cr_engine *e, const struct cr_route *r, struct cr_guidance *out,
                  struct cr_error *err)
{
    struct builder b;
    uint32_t piece = 0;

    memset(out, 0, sizeof *out);
    memset(&b, 0, sizeof b);
    b.e = e;
    b.r = r;
    b.g = out;
    if (!(out->leg_first_step = calloc(r->leg_count + 1, sizeof *out->leg_first_step)))
        goto oom;
    out->leg_count = r->leg_count;
    for (uint32_t l = 0; l < r->leg_count; l++) {
        uint32_t end = piece;
        while (end < r->piece_count && r->pieces[end].leg == l)
            end++;
        out->leg_first_step[l] = out->step_count;
        if (end > piece && leg_steps(&b, l, piece, end))
            goto oom;
        piece = end;
    }
    out->leg_first_step[r->leg_count] = out->step_count;
    return CR_OK;
oom:
    cr_guidance_fini(out);
    return cr_error_set(err, CR_ENOMEM, "guidance: out of memory");
}

void
cr_guidance_fini(struct cr_guidance *g)
{
    free(g->steps);
    free(g->xs);
    free(g->leg_first_step);
    memset(g, 0, sizeof *g);
}

const char *
cr_guidance_destinations(const struct cr_graph_view *v, uint32_t way, char *buf, size_t size)
{
    if (size)
        snprintf(buf, size, "%s", cr_graph_string(v, cr_graph_way_destination(v, way)));
    return buf;
}
