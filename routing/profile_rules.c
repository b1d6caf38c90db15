/*
 * Profiles, the rules: what a profile makes of a graph view, edge by edge (allowed, time, cost,
 * weight, destination-only), node by node and turn by turn (penalties), and the metric names.
 * profile.c reads the profiles. docs/profiles.md is the reference for the formulas below;
 * change both together.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "routing/profile.h"

#define PI 3.14159265358979323846
#define RAIL_REVERSE_DEG 120.0 /* a rail turn sharper than this is a reversal */

static const char *const metric_names[] = { "time", "distance", "cost", "co2" };

_Static_assert(sizeof metric_names / sizeof metric_names[0] == CR_METRIC_COUNT,
               "one name per enum cr_metric");

/* ---- edges ---------------------------------------------------------------------------------- */

static inline uint32_t
seg_of(const struct cr_graph_view *v, uint32_t e)
{
    return v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
}

static inline int
reversed(const struct cr_graph_view *v, uint32_t e)
{
    return (v->edge_segment[e] & CR_SEGMENT_REVERSED) != 0;
}

static inline const struct cr_way_attr *
way_of(const struct cr_graph_view *v, uint32_t e)
{
    return &v->ways[v->segment_way[seg_of(v, e)]];
}

static inline uint32_t
tail_of(const struct cr_graph_view *v, uint32_t e)
{
    return v->segment_node[2 * seg_of(v, e) + (reversed(v, e) ? 1 : 0)];
}

/* Access of VEHICLE to way W. A truck is never let in where a car is not: with no access tag
 * that reaches the HGV slot, the car slot (motorcar=*) decides. Vietnamese alleys (hem) are
 * tagged motorcar=no + motorcycle=yes and nothing for hgv. */
static int
access_ok(const struct cr_profile *p, const struct cr_way_attr *w, int vehicle)
{
    unsigned a = vehicle >= 0 && vehicle < CR_VEHICLE_COUNT ? w->access[vehicle] : 0;
    if (vehicle == CR_VEHICLE_HGV && a == CR_ACCESS_UNKNOWN)
        a = w->access[CR_VEHICLE_CAR];
    return a == CR_ACCESS_UNKNOWN || (a < 6 && p->access_allowed[a]);
}

/* Whether VEHICLE may travel edge E's direction: the way's closed_fwd / closed_bwd bits
 * (oneway:motorcar, access:backward=no, ...). A truck with no access tag of its own follows the
 * car, as in access_ok. */
static int
direction_ok(const struct cr_graph_view *v, uint32_t e, const struct cr_way_attr *w, int vehicle)
{
    unsigned closed = reversed(v, e) ? w->closed_bwd : w->closed_fwd;
    if (vehicle < 0 || vehicle >= CR_VEHICLE_COUNT)
        return 1;
    if (closed & (1u << vehicle))
        return 0;
    if (vehicle == CR_VEHICLE_HGV && w->access[CR_VEHICLE_HGV] == CR_ACCESS_UNKNOWN &&
        (closed & (1u << CR_VEHICLE_CAR)))
        return 0;
    return 1;
}

static int
limits_ok(const struct cr_vehicle_dims *d, const struct cr_way_attr *w)
{
    if (d->height_cm && w->maxheight_cm && d->height_cm > w->maxheight_cm)
        return 0;
    if (d->width_cm && w->maxwidth_cm && d->width_cm > w->maxwidth_cm)
        return 0;
    if (d->length_cm && w->maxlength_cm && d->length_cm > w->maxlength_cm)
        return 0;
    if (d->weight_kg && w->maxweight_kg && d->weight_kg > w->maxweight_kg)
        return 0;
    if (d->axleload_kg && w->maxaxleload_kg && d->axleload_kg > w->maxaxleload_kg)
        return 0;
    if (d->hazmat && (w->flags & CR_WAY_HAZMAT_NO))
        return 0;
    return 1;
}

int
cr_profile_edge_allowed(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t e)
{
    const struct cr_way_attr *w = way_of(v, e);

    if (w->mode >= CR_MODE_COUNT || !(p->modes & (1u << w->mode)))
        return 0;
    if (p->exclude && cr_profile_edge_excluded(p, v, e))
        return 0;
    switch (w->mode) {
    case CR_MODE_ROAD:
        return w->klass < CR_ROAD_CLASS_COUNT && p->road_class_allowed[w->klass] &&
               p->road_speed_kmh[w->klass] > 0 && !(w->flags & CR_WAY_REVERSIBLE) &&
               access_ok(p, w, p->vehicle) && direction_ok(v, e, w, p->vehicle) &&
               limits_ok(&p->dims, w);
    case CR_MODE_FERRY:
        return access_ok(p, w, p->vehicle) && direction_ok(v, e, w, p->vehicle) &&
               limits_ok(&p->dims, w);
    case CR_MODE_RAIL:
        return w->klass < CR_RAIL_CLASS_COUNT && p->rail_speed_kmh[w->klass] > 0;
    case CR_MODE_WATER:
        return w->klass < CR_WATER_CLASS_COUNT && p->water_speed_kmh[w->klass] > 0 &&
               access_ok(p, w, CR_VEHICLE_BOAT);
    default: /* CR_MODE_TRANSFER */
        return 1;
    }
}

/* The way's maxspeed in the edge's direction; 0 when none applies (untagged or "none"). */
static double
tagged_kmh(const struct cr_graph_view *v, uint32_t e, const struct cr_way_attr *w)
{
    uint16_t m = reversed(v, e) ? w->maxspeed_bwd_kmh : w->maxspeed_fwd_kmh;
    return m == CR_SPEED_UNKNOWN || m == CR_SPEED_NONE ? 0 : m;
}

/* The terminal whose node is NODE, or NULL. Terminals are written in node order, so binary
 * search first; a linear scan keeps any other order correct. */
static const struct cr_terminal *
terminal_at(const struct cr_graph_view *v, uint32_t node)
{
    uint32_t lo = 0, hi = v->terminal_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v->terminals[mid].node < node)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < v->terminal_count && v->terminals[lo].node == node)
        return &v->terminals[lo];
    for (uint32_t i = 0; i < v->terminal_count; i++)
        if (v->terminals[i].node == node)
            return &v->terminals[i];
    return NULL;
}

/* Whether transfer edge E leaves its terminal (and so carries the handling time and cost). */
static int
leaves_terminal(const struct cr_graph_view *v, uint32_t e)
{
    return v->group[tail_of(v, e)] == CR_GROUP_TERMINAL;
}

static double
time_at(double length_m, double kmh)
{
    return kmh > 0 ? length_m * 3.6 / kmh : HUGE_VAL;
}

double
cr_profile_edge_time_s(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t e)
{
    const struct cr_way_attr *w = way_of(v, e);
    const double length_m = v->segment_length_cm[seg_of(v, e)] / 100.0;
    double kmh, tagged;

    switch (w->mode) {
    case CR_MODE_ROAD:
        if (w->klass >= CR_ROAD_CLASS_COUNT)
            return HUGE_VAL;
        kmh = p->road_speed_kmh[w->klass];
        tagged = tagged_kmh(v, e, w);
        if (tagged > 0 && p->maxspeed_factor > 0)
            kmh = fmin(kmh, tagged * p->maxspeed_factor);
        if (p->max_speed_kmh > 0)
            kmh = fmin(kmh, p->max_speed_kmh);
        if (w->flags & CR_WAY_UNPAVED)
            kmh *= p->unpaved_factor;
        return time_at(length_m, kmh);
    case CR_MODE_FERRY:
        /* duration=* is for the whole crossing; a ferry way split at a graph node gets it for
         * each part (approximate; almost every ferry way is one segment). */
        return w->duration_s > 0 ? (double)w->duration_s : time_at(length_m, p->ferry_speed_kmh);
    case CR_MODE_RAIL:
        if (w->klass >= CR_RAIL_CLASS_COUNT)
            return HUGE_VAL;
        kmh = p->rail_speed_kmh[w->klass];
        tagged = tagged_kmh(v, e, w);
        return time_at(length_m, tagged > 0 ? fmin(kmh, tagged) : kmh);
    case CR_MODE_WATER:
        if (w->klass >= CR_WATER_CLASS_COUNT)
            return HUGE_VAL;
        kmh = p->water_speed_kmh[w->klass];
        tagged = tagged_kmh(v, e, w);
        return time_at(length_m, tagged > 0 ? fmin(kmh, tagged) : kmh);
    case CR_MODE_TRANSFER:
        if (!leaves_terminal(v, e))
            return 0;
        return w->duration_s > 0 ? (double)w->duration_s : p->transfer_time_s;
    default:
        return HUGE_VAL;
    }
}

void
cr_profile_edge_cost(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t e,
                     struct cr_edge_cost *out)
{
    const struct cr_way_attr *w = way_of(v, e);
    const unsigned mode = w->mode < CR_MODE_COUNT ? w->mode : CR_MODE_ROAD;
    const double km = v->segment_length_cm[seg_of(v, e)] / 100000.0;

    out->time_s = cr_profile_edge_time_s(p, v, e);
    out->distance_m = km * 1000;
    out->cost = p->cost_per_km[mode] * km + p->cost_per_hour[mode] * out->time_s / 3600;
    out->co2_kg = p->co2_kg_per_tkm[mode] * p->payload_t * km;
    if (mode == CR_MODE_TRANSFER && leaves_terminal(v, e)) {
        const struct cr_terminal *t = terminal_at(v, tail_of(v, e));
        out->cost += t && t->handling_cost != CR_TERMINAL_DEFAULT ? (double)t->handling_cost
                                                                  : p->transfer_cost;
    }
}

double
cr_profile_edge_time_maxspeed_s(const struct cr_profile *p, const struct cr_graph_view *v,
                                uint32_t e, double tagged)
{
    const struct cr_way_attr *w = way_of(v, e);
    double kmh;

    if (w->mode != CR_MODE_ROAD || w->klass >= CR_ROAD_CLASS_COUNT)
        return cr_profile_edge_time_s(p, v, e);
    kmh = p->road_speed_kmh[w->klass];
    if (tagged > 0 && p->maxspeed_factor > 0)
        kmh = fmin(kmh, tagged * p->maxspeed_factor);
    if (p->max_speed_kmh > 0)
        kmh = fmin(kmh, p->max_speed_kmh);
    if (w->flags & CR_WAY_UNPAVED)
        kmh *= p->unpaved_factor;
    return time_at(v->segment_length_cm[seg_of(v, e)] / 100.0, kmh);
}

/* X rounded to a weight: at least 1, below CR_WEIGHT_INF. */
static uint32_t
to_weight(double x)
{
    if (!(x < (double)(CR_WEIGHT_INF - 1)))
        return CR_WEIGHT_INF - 1;
    double r = round(x);
    return r < 1 ? 1 : (uint32_t)r;
}

uint32_t
cr_profile_edge_weight(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t e,
                       enum cr_metric metric)
{
    struct cr_edge_cost c;

    if (!cr_profile_edge_allowed(p, v, e))
        return CR_WEIGHT_INF;
    if (metric == CR_METRIC_DISTANCE)
        return to_weight(v->segment_length_cm[seg_of(v, e)] / 10.0);
    cr_profile_edge_cost(p, v, e, &c);
    switch (metric) {
    case CR_METRIC_TIME:
        return isfinite(c.time_s) ? to_weight(c.time_s * 10) : CR_WEIGHT_INF;
    case CR_METRIC_COST:
        return isfinite(c.cost) ? to_weight(c.cost) : CR_WEIGHT_INF;
    case CR_METRIC_CO2:
        return to_weight(c.co2_kg * 1000);
    default:
        return CR_WEIGHT_INF;
    }
}

/* ---- nodes and turns ------------------------------------------------------------------------ */

double
cr_profile_node_penalty_s(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t node)
{
    const unsigned barrier = v->barrier[node], flags = v->node_flags[node];
    const unsigned closed = v->node_closed ? v->node_closed[node] : 0;
    double s = 0;

    /* access=no (motorcar=no, ...) on the node, with or without barrier=* */
    if (p->vehicle < CR_VEHICLE_COUNT && v->group[node] == CR_GROUP_ROAD &&
        (closed & (1u << p->vehicle)))
        return -1;

    if (barrier != CR_BARRIER_NONE) {
        if (flags & CR_NODE_BARRIER_CLOSED)
            return -1;
        if (!(flags & CR_NODE_BARRIER_OPEN) && !(barrier < 7 && p->barrier_passable[barrier]))
            return -1;
        s += p->barrier_penalty_s;
    }
    if (flags & CR_NODE_TRAFFIC_SIGNALS)
        s += p->traffic_signal_s;
    if (flags & CR_NODE_LOCK_GATE)
        s += p->lock_s;
    return s;
}

/* Point K of edge E in its direction of travel: 0 is the tail, count+1 the head, between them
 * the segment's shape points (walked backwards on a reversed edge). */
struct edge_points {
    const struct cr_graph_view *v;
    uint32_t tail, head, first, count;
    int back;
};

static void
edge_points_init(struct edge_points *ep, const struct cr_graph_view *v, uint32_t e)
{
    const uint32_t s = seg_of(v, e);
    ep->v = v;
    ep->back = reversed(v, e);
    ep->tail = v->segment_node[2 * s + (ep->back ? 1 : 0)];
    ep->head = v->segment_node[2 * s + (ep->back ? 0 : 1)];
    ep->first = v->segment_first_shape[s];
    ep->count = v->segment_first_shape[s + 1] - ep->first;
}

static void
edge_point(const struct edge_points *ep, uint32_t k, int32_t *lon, int32_t *lat)
{
    if (k == 0 || k > ep->count) {
        uint32_t n = k == 0 ? ep->tail : ep->head;
        *lon = ep->v->lon_e7[n];
        *lat = ep->v->lat_e7[n];
        return;
    }
    uint32_t i = ep->back ? ep->first + ep->count - k : ep->first + k - 1;
    *lon = ep->v->shape_lon_e7[i];
    *lat = ep->v->shape_lat_e7[i];
}

/* Compass bearing from 1 to 2 in degrees (0 north, 90 east), on a local flat projection. */
static double
bearing_deg(int32_t lon1, int32_t lat1, int32_t lon2, int32_t lat2)
{
    double dlon = (double)lon2 - (double)lon1, dlat = (double)lat2 - (double)lat1;
    double mid_lat = ((double)lat1 + (double)lat2) / 2 * 1e-7 * PI / 180;
    if (dlon > 180e7)
        dlon -= 360e7;
    else if (dlon < -180e7)
        dlon += 360e7;
    return atan2(dlon * cos(mid_lat), dlat) * 180 / PI;
}

/* Bearing of the last piece of edge E into its head (the first point before the head that is
 * not on it). */
static double
bearing_in(const struct cr_graph_view *v, uint32_t e)
{
    struct edge_points ep;
    int32_t hx, hy, x, y;
    edge_points_init(&ep, v, e);
    edge_point(&ep, ep.count + 1, &hx, &hy);
    for (uint32_t k = ep.count + 1; k-- > 0;) {
        edge_point(&ep, k, &x, &y);
        if (x != hx || y != hy)
            return bearing_deg(x, y, hx, hy);
    }
    return 0;
}

/* Bearing of the first piece of edge E out of its tail. */
static double
bearing_out(const struct cr_graph_view *v, uint32_t e)
{
    struct edge_points ep;
    int32_t tx, ty, x, y;
    edge_points_init(&ep, v, e);
    edge_point(&ep, 0, &tx, &ty);
    for (uint32_t k = 1; k <= ep.count + 1; k++) {
        edge_point(&ep, k, &x, &y);
        if (x != tx || y != ty)
            return bearing_deg(tx, ty, x, y);
    }
    return 0;
}

/* Turn angle in (-180, 180]: 0 straight on, > 0 right, < 0 left. */
static double
turn_angle(const struct cr_graph_view *v, uint32_t in, uint32_t out)
{
    double a = bearing_out(v, out) - bearing_in(v, in);
    while (a > 180)
        a -= 360;
    while (a <= -180)
        a += 360;
    return a;
}

/* Roads meeting at VIA: the in-edge's segment plus the other segments leaving VIA (transfer
 * edges not counted). A node where only two meet is no junction and costs no turn. */
static unsigned
roads_at(const struct cr_graph_view *v, uint32_t via, uint32_t in_seg)
{
    unsigned n = 1;
    for (uint32_t e = v->first_out[via]; e < v->first_out[via + 1] && n < 3; e++)
        if (seg_of(v, e) != in_seg && cr_graph_edge_mode(v, e) != CR_MODE_TRANSFER)
            n++;
    return n;
}

/* OSRM's car.lua turn function (sigmoid in the angle, biased towards the kerb side), scaled so
 * that a 90-degree turn across traffic gives 1: straight on 0.001, 90 degrees with traffic
 * 0.39, a sharp turn across traffic approaches 1.39. */
static double
turn_shape(double angle, int left_hand)
{
    const double bias = left_hand ? 1 / 1.075 : 1.075;
    const double across90 = 1 / (1 + exp(-(13 * 1.075 * 0.5 - 6.5 / 1.075)));
    double s;
    if (angle >= 0)
        s = 1 / (1 + exp(-((13 / bias) * angle / 180 - 6.5 * bias)));
    else
        s = 1 / (1 + exp(-((13 * bias) * -angle / 180 - 6.5 / bias)));
    return s / across90;
}

double
cr_profile_turn_penalty_s(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t in,
                          uint32_t out)
{
    const uint32_t in_seg = seg_of(v, in), out_seg = seg_of(v, out);
    const unsigned in_mode = way_of(v, in)->mode, out_mode = way_of(v, out)->mode;
    const int rail = in_mode == CR_MODE_RAIL && out_mode == CR_MODE_RAIL;

    if (in_mode == CR_MODE_TRANSFER || out_mode == CR_MODE_TRANSFER)
        return 0; /* handling is on the transfer edge */
    if (in_seg == out_seg) {
        double s = rail ? p->rail_reverse_s : p->u_turn_s;
        return s < 0 ? -1 : s;
    }
    double angle = turn_angle(v, in, out);
    if (rail) {
        if (fabs(angle) <= RAIL_REVERSE_DEG)
            return 0;
        return p->rail_reverse_s < 0 ? -1 : p->rail_reverse_s;
    }
    if (in_mode == CR_MODE_WATER || out_mode == CR_MODE_WATER || in_mode == CR_MODE_RAIL ||
        out_mode == CR_MODE_RAIL)
        return 0;
    if (roads_at(v, v->head[in], in_seg) <= 2)
        return 0;
    return p->turn_penalty_s * turn_shape(angle, p->left_hand_traffic);
}

static unsigned
primary_mode(const struct cr_profile *p)
{
    static const unsigned order[] = { CR_MODE_ROAD, CR_MODE_RAIL, CR_MODE_WATER, CR_MODE_FERRY,
                                      CR_MODE_TRANSFER };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (p->modes & (1u << order[i]))
            return order[i];
    return CR_MODE_ROAD;
}

uint32_t
cr_profile_penalty_weight(const struct cr_profile *p, double seconds, enum cr_metric m)
{
    double x;
    if (!(seconds >= 0))
        return CR_WEIGHT_INF;
    switch (m) {
    case CR_METRIC_TIME:
        x = seconds * 10;
        break;
    case CR_METRIC_COST:
        x = p->cost_per_hour[primary_mode(p)] * seconds / 3600;
        break;
    default: /* distance, co2: a wait covers no distance and is not counted per tonne-km */
        return 0;
    }
    if (!(x < (double)(CR_WEIGHT_INF - 1)))
        return CR_WEIGHT_INF - 1;
    return (uint32_t)round(x);
}

const char *
cr_metric_name(enum cr_metric m)
{
    return (unsigned)m < CR_METRIC_COUNT ? metric_names[m] : "unknown";
}

int
cr_metric_parse(const char *name)
{
    for (int i = 0; name && i < CR_METRIC_COUNT; i++)
        if (strcmp(name, metric_names[i]) == 0)
            return i;
    return -1;
}

/* ---- destination-only edges ----------------------------------------------------------------- */

int
cr_profile_edge_destination_only(const struct cr_profile *p, const struct cr_graph_view *v,
                                 uint32_t e)
{
    const struct cr_way_attr *w = way_of(v, e);
    unsigned a;

    if (w->mode != CR_MODE_ROAD && w->mode != CR_MODE_FERRY)
        return 0;
    if (p->vehicle >= CR_VEHICLE_COUNT || p->vehicle == CR_VEHICLE_BOAT)
        return 0;
    a = w->access[p->vehicle];
    if (p->vehicle == CR_VEHICLE_HGV && a == CR_ACCESS_UNKNOWN)
        a = w->access[CR_VEHICLE_CAR]; /* as access_ok: the car slot decides for an untagged hgv */
    return (a == CR_ACCESS_DESTINATION || a == CR_ACCESS_PRIVATE) && p->access_allowed[a];
}
