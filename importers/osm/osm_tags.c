/*
 * What OSM tags mean for corridor: way classification (access, speeds, limits, directions),
 * node barriers and access, terminals. The value parsers are in osm_values.c, turn restrictions
 * in osm_restriction_tags.c; the rules are described in docs/tags.md. Nothing here allocates.
 */
#include "importers/osm/osm_tags.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "importers/osm/osm_tags_text.h"

#define GROUP_BIT(g) (1u << (g))
#define ROAD_BIT GROUP_BIT(CR_GROUP_ROAD)
#define RAIL_BIT GROUP_BIT(CR_GROUP_RAIL)
#define WATER_BIT GROUP_BIT(CR_GROUP_WATER)

const char *
cr_osm_tag_get(const struct cr_osm_tag *tags, size_t n, const char *key)
{
    if (!tags || !key)
        return NULL;
    for (size_t i = 0; i < n; i++) /* the first byte first: most keys differ there */
        if (tags[i].key && tags[i].key[0] == key[0] && strcmp(tags[i].key, key) == 0)
            return tags[i].value;
    return NULL;
}

/* Whether any of the tags could make a way corridor imports (highway, route, railway,
 * waterway), so buildings and the like are dismissed before their attributes are parsed. */
static bool
may_be_imported(const struct cr_osm_tag *tags, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *k = tags[i].key;
        if (!k)
            continue;
        if ((k[0] == 'h' && !strcmp(k, "highway")) || (k[0] == 'r' && !strcmp(k, "route")) ||
            (k[0] == 'r' && !strcmp(k, "railway")) || (k[0] == 'w' && !strcmp(k, "waterway")))
            return true;
    }
    return false;
}

/* ---- ways --------------------------------------------------------------------------------- */

/* How strict an access value is, for choosing between motorboat and ship. */
static int
strictness(enum cr_access a)
{
    switch (a) {
    case CR_ACCESS_YES:
        return 1;
    case CR_ACCESS_DESTINATION:
        return 2;
    case CR_ACCESS_PRIVATE:
        return 3;
    case CR_ACCESS_AGRICULTURAL:
        return 4;
    case CR_ACCESS_NO:
        return 5;
    case CR_ACCESS_UNKNOWN:
        break;
    }
    return 0;
}

/* Walks KEYS from the most general to the most specific: each value understood replaces the one
 * before, values not understood leave it. */
static enum cr_access
access_chain(const struct cr_osm_tag *tags, size_t n, const char *const *keys)
{
    enum cr_access a = CR_ACCESS_UNKNOWN;
    for (; *keys; keys++) {
        enum cr_access b = cr_osm_parse_access(cr_osm_tag_get(tags, n, *keys));
        if (b != CR_ACCESS_UNKNOWN)
            a = b;
    }
    return a;
}

/* The access keys of each road vehicle, general -> specific (docs/tags.md section 5). */
static const char *const car_keys[] = { "access", "vehicle", "motor_vehicle", "motorcar", NULL };
static const char *const motorcycle_keys[] = { "access", "vehicle", "motor_vehicle", "motorcycle",
                                               NULL };
static const char *const hgv_keys[] = {
    "access", "vehicle", "motor_vehicle", "goods", "hgv", NULL
};
static const char *const *const road_keys[] = { [CR_VEHICLE_CAR] = car_keys,
                                                [CR_VEHICLE_MOTORCYCLE] = motorcycle_keys,
                                                [CR_VEHICLE_HGV] = hgv_keys };
#define ROAD_VEHICLES 3 /* CAR, MOTORCYCLE, HGV: the slots with road access keys */
#define ROAD_VEHICLE_BITS                                                                          \
    ((1u << CR_VEHICLE_CAR) | (1u << CR_VEHICLE_MOTORCYCLE) | (1u << CR_VEHICLE_HGV))

/* As access_chain, in one direction: after each key, KEY:SUFFIX ("forward", "backward") at the
 * same level, so motorcar=no beats access:forward=yes and motorcar:forward=yes beats
 * motorcar=no (OSRM's car profile reads them in this order too). */
static enum cr_access
access_chain_dir(const struct cr_osm_tag *tags, size_t n, const char *const *keys,
                 const char *suffix)
{
    enum cr_access a = CR_ACCESS_UNKNOWN;
    char key[48];
    for (; *keys; keys++) {
        enum cr_access b = cr_osm_parse_access(cr_osm_tag_get(tags, n, *keys));
        if (b != CR_ACCESS_UNKNOWN)
            a = b;
        snprintf(key, sizeof key, "%s:%s", *keys, suffix);
        b = cr_osm_parse_access(cr_osm_tag_get(tags, n, key));
        if (b != CR_ACCESS_UNKNOWN)
            a = b;
    }
    return a;
}

/* Access per road vehicle and direction: the slot gets the open direction's value, and a
 * direction whose value is NO while the other's is not sets the vehicle's bit in *closed_fwd /
 * *closed_bwd. Two different values that are not NO: the stricter goes in the slot. */
static void
resolve_road_access(const struct cr_osm_tag *tags, size_t n, uint8_t access[CR_VEHICLE_COUNT],
                    unsigned *closed_fwd, unsigned *closed_bwd)
{
    for (int v = 0; v < ROAD_VEHICLES; v++) {
        enum cr_access f = access_chain_dir(tags, n, road_keys[v], "forward");
        enum cr_access b = access_chain_dir(tags, n, road_keys[v], "backward");
        if (f == b) {
            access[v] = (uint8_t)f;
        } else if (f == CR_ACCESS_NO) {
            access[v] = (uint8_t)b;
            *closed_fwd |= 1u << v;
        } else if (b == CR_ACCESS_NO) {
            access[v] = (uint8_t)f;
            *closed_bwd |= 1u << v;
        } else {
            access[v] = (uint8_t)(strictness(f) >= strictness(b) ? f : b);
        }
    }
}

static void
resolve_access(const struct cr_osm_tag *tags, size_t n, uint8_t access[CR_VEHICLE_COUNT])
{
    static const char *const boat[] = { "access", "boat", NULL };
    for (int v = 0; v < ROAD_VEHICLES; v++)
        access[v] = (uint8_t)access_chain(tags, n, road_keys[v]);

    /* motorboat and ship are both more specific than boat; when both say something, the
     * stricter wins */
    enum cr_access b = access_chain(tags, n, boat);
    enum cr_access motorboat = cr_osm_parse_access(cr_osm_tag_get(tags, n, "motorboat"));
    enum cr_access ship = cr_osm_parse_access(cr_osm_tag_get(tags, n, "ship"));
    enum cr_access specific = strictness(ship) > strictness(motorboat) ? ship : motorboat;
    if (specific != CR_ACCESS_UNKNOWN)
        b = specific;
    access[CR_VEHICLE_BOAT] = (uint8_t)b;
}

/* A maxspeed value as stored: CR_SPEED_NONE, km/h, or CR_SPEED_UNKNOWN. */
static uint16_t
speed_field(int64_t kmh)
{
    if (kmh == CR_PARSE_NONE)
        return CR_SPEED_NONE;
    return kmh >= 1 ? (uint16_t)kmh : CR_SPEED_UNKNOWN;
}

/* The lower of two parsed limits, ignoring "invalid" and "none"; 0 when neither is a limit. */
static int64_t
lower_limit(int64_t a, int64_t b)
{
    if (a < 1)
        return b < 1 ? 0 : b;
    if (b < 1)
        return a;
    return a < b ? a : b;
}

static int64_t
length_tag(const struct cr_osm_tag *tags, size_t n, const char *key)
{
    return cr_osm_parse_length_cm(cr_osm_tag_get(tags, n, key));
}

static int64_t
weight_tag(const struct cr_osm_tag *tags, size_t n, const char *key)
{
    return cr_osm_parse_weight_kg(cr_osm_tag_get(tags, n, key));
}

/* Whether a tag value is present and not "no". */
static bool
present_not_no(const char *v)
{
    return v && strcmp(v, "no") != 0;
}

/* hazmat=no or hazmat:<anything>=no */
static bool
hazmat_no(const struct cr_osm_tag *tags, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tags[i].key && strncmp(tags[i].key, "hazmat", 6) == 0 &&
            (tags[i].key[6] == '\0' || tags[i].key[6] == ':') && streq(tags[i].value, "no"))
            return true;
    return false;
}

static bool
unpaved(const struct cr_osm_tag *tags, size_t n)
{
    static const char *const surfaces[] = { "unpaved", "gravel",    "fine_gravel", "dirt",
                                            "ground",  "earth",     "sand",        "mud",
                                            "grass",   "compacted", NULL };
    static const char *const grades[] = { "grade3", "grade4", "grade5", NULL };
    return str_is_any(cr_osm_tag_get(tags, n, "surface"), surfaces) ||
           str_is_any(cr_osm_tag_get(tags, n, "tracktype"), grades);
}

/* layer=* as a whole number clamped to -5..5; untagged or not understood: +1 on a bridge, -1
 * in a tunnel, else 0. */
static int
way_layer(const struct cr_osm_tag *tags, size_t n, unsigned flags)
{
    const char *v = cr_osm_tag_get(tags, n, "layer");
    struct span s = trim(span_of(v));
    int64_t x;
    int neg = 0;
    if (s.n > 0 && (s.p[0] == '-' || s.p[0] == '+')) {
        neg = s.p[0] == '-';
        skip(&s, 1);
    }
    if (v && take_uint(&s, &x) && s.n == 0) {
        x = neg ? -x : x;
        return x < -5 ? -5 : x > 5 ? 5 : (int)x;
    }
    if (flags & CR_WAY_BRIDGE)
        return 1;
    if (flags & CR_WAY_TUNNEL)
        return -1;
    return 0;
}

/* What every kind of way may carry: speeds, access, limits, flags, lanes, names. */
static void
common_attrs(const struct cr_osm_tag *tags, size_t n, struct cr_way_info *w)
{
    struct cr_way_attr *a = &w->attr;
    static const char *const circular[] = { "roundabout", "circular", NULL };
    int64_t both = cr_osm_parse_maxspeed(cr_osm_tag_get(tags, n, "maxspeed"));
    int64_t fwd = cr_osm_parse_maxspeed(cr_osm_tag_get(tags, n, "maxspeed:forward"));
    int64_t bwd = cr_osm_parse_maxspeed(cr_osm_tag_get(tags, n, "maxspeed:backward"));
    a->maxspeed_fwd_kmh = speed_field(fwd == CR_PARSE_INVALID ? both : fwd);
    a->maxspeed_bwd_kmh = speed_field(bwd == CR_PARSE_INVALID ? both : bwd);

    a->maxweight_kg = (uint32_t)lower_limit(weight_tag(tags, n, "maxweight"),
                                            weight_tag(tags, n, "maxweight:hgv"));
    a->maxaxleload_kg = (uint32_t)lower_limit(weight_tag(tags, n, "maxaxleload"), 0);
    a->maxheight_cm = (uint16_t)lower_limit(length_tag(tags, n, "maxheight"),
                                            length_tag(tags, n, "maxheight:physical"));
    a->maxwidth_cm = (uint16_t)lower_limit(length_tag(tags, n, "maxwidth"), 0);
    a->maxlength_cm = (uint16_t)lower_limit(length_tag(tags, n, "maxlength"), 0);

    int lanes = cr_osm_parse_lanes(cr_osm_tag_get(tags, n, "lanes"));
    a->lanes = lanes >= 1 ? (uint8_t)lanes : 0;

    unsigned flags = 0;
    if (streq(cr_osm_tag_get(tags, n, "toll"), "yes") ||
        streq(cr_osm_tag_get(tags, n, "toll:hgv"), "yes"))
        flags |= CR_WAY_TOLL;
    if (present_not_no(cr_osm_tag_get(tags, n, "bridge")))
        flags |= CR_WAY_BRIDGE;
    if (present_not_no(cr_osm_tag_get(tags, n, "tunnel")))
        flags |= CR_WAY_TUNNEL;
    if (hazmat_no(tags, n))
        flags |= CR_WAY_HAZMAT_NO;
    if (streq(cr_osm_tag_get(tags, n, "motorroad"), "yes"))
        flags |= CR_WAY_MOTORROAD;
    if (streq(cr_osm_tag_get(tags, n, "hgv"), "designated"))
        flags |= CR_WAY_HGV_DESIGNATED;
    if (unpaved(tags, n))
        flags |= CR_WAY_UNPAVED;
    if (str_is_any(cr_osm_tag_get(tags, n, "junction"), circular))
        flags |= CR_WAY_ROUNDABOUT;
    a->flags = (uint16_t)flags;

    resolve_access(tags, n, a->access);
    {
        unsigned closed_f = 0, closed_b = 0; /* open one way is not "no" (road_usable) */
        resolve_road_access(tags, n, a->access, &closed_f, &closed_b);
    }
    a->layer = (int8_t)way_layer(tags, n, flags);
    w->name = cr_osm_tag_get(tags, n, "name");
    w->ref = cr_osm_tag_get(tags, n, "ref");
}

static uint8_t
rail_usage(const char *v)
{
    static const char *const names[] = { "main", "branch", "industrial", "military", "tourism" };
    if (!v)
        return CR_USAGE_NONE;
    int i = index_of(v, names, sizeof names / sizeof names[0]);
    return (uint8_t)(i >= 0 ? CR_USAGE_MAIN + i : CR_USAGE_OTHER);
}

static uint8_t
rail_service(const char *v)
{
    static const char *const names[] = { "yard", "siding", "spur", "crossover" };
    if (!v)
        return CR_SERVICE_NONE;
    int i = index_of(v, names, sizeof names / sizeof names[0]);
    return (uint8_t)(i >= 0 ? CR_SERVICE_YARD + i : CR_SERVICE_OTHER);
}

/* Whether a road with these tags is one corridor routes on (the class is already known). */
static bool
road_usable(const struct cr_osm_tag *tags, size_t n, const uint8_t access[CR_VEHICLE_COUNT])
{
    /* works on a road that stays open: widening, minor repairs (OSRM's list); proposed=* on a
     * road of a real class is a planned upgrade of a road in use, not a closure */
    static const char *const open_construction[] = { "no", "minor", "widening", NULL };
    const char *construction = cr_osm_tag_get(tags, n, "construction");
    if (streq(cr_osm_tag_get(tags, n, "area"), "yes"))
        return false;
    if (construction && !str_is_any(construction, open_construction))
        return false;
    /* a fire lane or emergency access road: closed to the vehicles corridor routes */
    if (streq(cr_osm_tag_get(tags, n, "highway"), "service") &&
        streq(cr_osm_tag_get(tags, n, "service"), "emergency_access"))
        return false;
    return !(access[CR_VEHICLE_CAR] == CR_ACCESS_NO &&
             access[CR_VEHICLE_MOTORCYCLE] == CR_ACCESS_NO &&
             access[CR_VEHICLE_HGV] == CR_ACCESS_NO);
}

/* One road vehicle's oneway: the way's (implied included), then oneway:<key> for KEYS from the
 * general to the specific; a value other than yes/-1/no leaves the one before. */
static enum cr_oneway
vehicle_oneway(const struct cr_osm_tag *tags, size_t n, enum cr_oneway base,
               const char *const *keys)
{
    enum cr_oneway o = base;
    for (; *keys; keys++) {
        enum cr_oneway x = cr_osm_parse_oneway(cr_osm_tag_get(tags, n, *keys));
        if (x == CR_ONEWAY_FORWARD || x == CR_ONEWAY_BACKWARD || x == CR_ONEWAY_NO)
            o = x;
    }
    return o;
}

/* Per-vehicle directions of a road or ferry (docs/tags.md section 6): directional access
 * (access:forward, motorcar:backward, ...) and oneway:<vehicle> close a direction for some
 * vehicles; W->oneway becomes the direction(s) any road vehicle may use (so the edges exist),
 * and attr.closed_fwd / closed_bwd keep, per vehicle, the directions it may not use where an
 * edge exists. Returns 0 when no road vehicle may use either direction. */
static bool
road_directions(const struct cr_osm_tag *tags, size_t n, struct cr_way_info *w)
{
    static const char *const car[] = { "oneway:vehicle", "oneway:motor_vehicle", "oneway:motorcar",
                                       NULL };
    static const char *const motorcycle[] = { "oneway:vehicle", "oneway:motor_vehicle",
                                              "oneway:moped", "oneway:motorcycle", NULL };
    static const char *const hgv[] = { "oneway:vehicle", "oneway:motor_vehicle", NULL };
    static const char *const *const keys[ROAD_VEHICLES] = {
        [CR_VEHICLE_CAR] = car, [CR_VEHICLE_MOTORCYCLE] = motorcycle, [CR_VEHICLE_HGV] = hgv
    };
    struct cr_way_attr *a = &w->attr;
    unsigned fwd = 0, bwd = 0; /* vehicles closed in each direction */
    bool fwd_open, bwd_open;

    resolve_road_access(tags, n, a->access, &fwd, &bwd);
    if (w->oneway != CR_ONEWAY_REVERSIBLE) {
        for (int v = 0; v < ROAD_VEHICLES; v++) {
            enum cr_oneway o = vehicle_oneway(tags, n, w->oneway, keys[v]);
            if (o == CR_ONEWAY_FORWARD)
                bwd |= 1u << v;
            else if (o == CR_ONEWAY_BACKWARD)
                fwd |= 1u << v;
        }
    }
    for (int v = 0; v < ROAD_VEHICLES; v++) /* a slot that says no closes both directions */
        if (a->access[v] == CR_ACCESS_NO)
            fwd |= 1u << v, bwd |= 1u << v;
    fwd_open = (fwd & ROAD_VEHICLE_BITS) != ROAD_VEHICLE_BITS;
    bwd_open = (bwd & ROAD_VEHICLE_BITS) != ROAD_VEHICLE_BITS;
    if (!fwd_open && !bwd_open)
        return a->mode == CR_MODE_FERRY; /* a foot ferry stays: the profile leaves it out */
    if (w->oneway != CR_ONEWAY_REVERSIBLE)
        w->oneway = fwd_open && bwd_open ? CR_ONEWAY_NO
                    : fwd_open           ? CR_ONEWAY_FORWARD
                                         : CR_ONEWAY_BACKWARD;
    /* a direction without an edge needs no bits; a slot that says no needs none either */
    for (int v = 0; v < ROAD_VEHICLES; v++)
        if (a->access[v] == CR_ACCESS_NO)
            fwd &= ~(1u << v), bwd &= ~(1u << v);
    a->closed_fwd = (uint8_t)(fwd_open ? fwd : 0);
    a->closed_bwd = (uint8_t)(bwd_open ? bwd : 0);
    return true;
}

int
cr_osm_way_classify(const struct cr_osm_tag *tags, size_t n, unsigned modes,
                    struct cr_way_info *info)
{
    struct cr_way_info w;
    int klass;
    memset(&w, 0, sizeof w);
    if (info)
        *info = w;
    if (!tags)
        n = 0;
    if (!may_be_imported(tags, n))
        return 0;
    common_attrs(tags, n, &w);

    struct cr_way_attr *a = &w.attr;
    const char *route = cr_osm_tag_get(tags, n, "route");
    if ((modes & ROAD_BIT) &&
        (klass = cr_osm_road_class(cr_osm_tag_get(tags, n, "highway"))) >= 0 &&
        road_usable(tags, n, a->access)) {
        a->mode = CR_MODE_ROAD;
        a->klass = (uint8_t)klass;
    } else if ((modes & ROAD_BIT) && streq(route, "ferry")) {
        int duration = cr_osm_parse_duration_s(cr_osm_tag_get(tags, n, "duration"));
        a->mode = CR_MODE_FERRY;
        a->klass = 0;
        a->duration_s = duration >= 1 ? (uint32_t)duration : 0;
    } else if ((modes & RAIL_BIT) &&
               (klass = cr_osm_rail_class(cr_osm_tag_get(tags, n, "railway"))) >= 0) {
        int gauge = cr_osm_parse_gauge_mm(cr_osm_tag_get(tags, n, "gauge"));
        a->mode = CR_MODE_RAIL;
        a->klass = (uint8_t)klass;
        a->rail_usage = rail_usage(cr_osm_tag_get(tags, n, "usage"));
        a->rail_service = rail_service(cr_osm_tag_get(tags, n, "service"));
        a->gauge_mm = gauge >= 1 ? (uint16_t)gauge : 0;
        if (present_not_no(cr_osm_tag_get(tags, n, "electrified")))
            a->flags |= CR_WAY_ELECTRIFIED;
    } else if ((modes & WATER_BIT) &&
               (klass = cr_osm_water_class(cr_osm_tag_get(tags, n, "waterway"))) >= 0) {
        const char *cemt = cr_osm_tag_get(tags, n, "CEMT");
        int c = cr_osm_parse_cemt(cemt ? cemt : cr_osm_tag_get(tags, n, "cemt"));
        a->mode = CR_MODE_WATER;
        a->klass = (uint8_t)klass;
        a->cemt = c >= 0 ? (uint8_t)c : 0;
        if (streq(cr_osm_tag_get(tags, n, "lock"), "yes"))
            a->flags |= CR_WAY_LOCK;
    } else {
        return 0;
    }

    w.oneway = cr_osm_parse_oneway(cr_osm_tag_get(tags, n, "oneway"));
    if (w.oneway == CR_ONEWAY_UNKNOWN) {
        bool implied = a->mode == CR_MODE_ROAD &&
                       (a->klass == CR_ROAD_MOTORWAY || a->klass == CR_ROAD_MOTORWAY_LINK ||
                        (a->flags & CR_WAY_ROUNDABOUT));
        w.oneway = implied ? CR_ONEWAY_FORWARD : CR_ONEWAY_NO;
    }
    if ((a->mode == CR_MODE_ROAD || a->mode == CR_MODE_FERRY) && !road_directions(tags, n, &w))
        return 0; /* closed to every road vehicle in both directions */
    if (w.oneway == CR_ONEWAY_FORWARD || w.oneway == CR_ONEWAY_BACKWARD)
        a->flags |= CR_WAY_ONEWAY;
    else if (w.oneway == CR_ONEWAY_REVERSIBLE)
        a->flags |= CR_WAY_REVERSIBLE;

    if (info)
        *info = w;
    return 1;
}

/* ---- nodes -------------------------------------------------------------------------------- */

static enum cr_barrier
barrier_kind(const char *v)
{
    static const char *const none[] = { "no",          "kerb", "entrance", "height_restrictor",
                                        "cattle_grid", "arch", NULL };
    static const char *const gate[] = { "gate", "swing_gate", "sliding_gate", "sally_port", NULL };
    static const char *const lift_gate[] = { "lift_gate", "toll_booth", "border_control", NULL };
    static const char *const bollard[] = { "bollard", "block", "jersey_barrier", NULL };
    static const char *const cycle[] = { "cycle_barrier", "kissing_gate", "stile", "turnstile",
                                         NULL };
    static const char *const chain[] = { "chain", "rope", NULL };
    if (!v || str_is_any(v, none))
        return CR_BARRIER_NONE;
    if (str_is_any(v, gate))
        return CR_BARRIER_GATE;
    if (str_is_any(v, lift_gate))
        return CR_BARRIER_LIFT_GATE;
    if (str_is_any(v, bollard))
        return CR_BARRIER_BOLLARD;
    if (str_is_any(v, cycle))
        return CR_BARRIER_CYCLE_BARRIER;
    if (str_is_any(v, chain))
        return CR_BARRIER_CHAIN;
    return CR_BARRIER_OTHER;
}

enum cr_barrier
cr_osm_node_barrier(const struct cr_osm_tag *tags, size_t n, uint8_t *node_flags)
{
    static const char *const stop[] = { "stop", "give_way", NULL };
    unsigned flags = 0;
    if (!tags)
        n = 0;
    enum cr_barrier b = barrier_kind(cr_osm_tag_get(tags, n, "barrier"));
    /* a rising bollard is lowered for the vehicles it lets through: a gate, not a post */
    if (b == CR_BARRIER_BOLLARD && streq(cr_osm_tag_get(tags, n, "bollard"), "rising"))
        b = CR_BARRIER_GATE;
    if (b != CR_BARRIER_NONE) {
        enum cr_access access = cr_osm_parse_access(cr_osm_tag_get(tags, n, "access"));
        enum cr_access motor = cr_osm_parse_access(cr_osm_tag_get(tags, n, "motor_vehicle"));
        if (motor != CR_ACCESS_UNKNOWN)
            access = motor;
        /* private (permit, residents) and destination leave the barrier to its kind, as in
         * OSRM's car profile: a factory's gate tagged access=private must let a truck in to its
         * loading bay, and the road behind it is destination-only already */
        if (access == CR_ACCESS_YES)
            flags |= CR_NODE_BARRIER_OPEN;
        else if (access == CR_ACCESS_NO)
            flags |= CR_NODE_BARRIER_CLOSED;
    }
    const char *highway = cr_osm_tag_get(tags, n, "highway");
    if (streq(highway, "traffic_signals"))
        flags |= CR_NODE_TRAFFIC_SIGNALS;
    else if (str_is_any(highway, stop))
        flags |= CR_NODE_STOP;
    if (streq(cr_osm_tag_get(tags, n, "waterway"), "lock_gate"))
        flags |= CR_NODE_LOCK_GATE;
    if (node_flags)
        *node_flags = (uint8_t)flags;
    return b;
}

uint8_t
cr_osm_node_closed(const struct cr_osm_tag *tags, size_t n)
{
    unsigned bits = 0;
    enum cr_access a[ROAD_VEHICLES];
    if (!tags)
        return 0;
    for (int v = 0; v < ROAD_VEHICLES; v++)
        a[v] = access_chain(tags, n, road_keys[v]);
    if (a[CR_VEHICLE_HGV] == CR_ACCESS_UNKNOWN) /* a truck goes nowhere a car may not */
        a[CR_VEHICLE_HGV] = a[CR_VEHICLE_CAR];
    for (int v = 0; v < ROAD_VEHICLES; v++)
        if (a[v] == CR_ACCESS_NO || a[v] == CR_ACCESS_AGRICULTURAL)
            bits |= 1u << v;
    return (uint8_t)bits;
}

/* A station only subways, trams or light rail call at (train=yes says main-line trains do). */
static bool
urban_rail_only(const struct cr_osm_tag *tags, size_t n)
{
    static const char *const urban[] = { "subway",    "light_rail", "tram", "monorail",
                                         "funicular", "miniature",  NULL };
    if (streq(cr_osm_tag_get(tags, n, "train"), "yes"))
        return false;
    return str_is_any(cr_osm_tag_get(tags, n, "station"), urban) ||
           streq(cr_osm_tag_get(tags, n, "subway"), "yes") ||
           streq(cr_osm_tag_get(tags, n, "tram"), "yes") ||
           streq(cr_osm_tag_get(tags, n, "light_rail"), "yes");
}

int
cr_osm_terminal_kind(const struct cr_osm_tag *tags, size_t n, int area, enum cr_terminal_kind *kind,
                     uint8_t *modes)
{
    static const char *const station[] = { "station", "halt", NULL };
    static const char *const quay_waterway[] = { "dock", "mooring", NULL };
    enum cr_terminal_kind k;
    unsigned m = ROAD_BIT;
    if (!tags)
        n = 0;
    if (streq(cr_osm_tag_get(tags, n, "disused"), "yes") ||
        streq(cr_osm_tag_get(tags, n, "abandoned"), "yes"))
        return 0;
    const char *railway = cr_osm_tag_get(tags, n, "railway");
    const char *landuse = cr_osm_tag_get(tags, n, "landuse");
    if (str_is_any(railway, station) && !urban_rail_only(tags, n)) {
        k = CR_TERMINAL_RAIL_STATION;
        m |= RAIL_BIT;
    } else if (streq(railway, "yard") || (area && streq(landuse, "railway"))) {
        k = CR_TERMINAL_RAIL_YARD;
        m |= RAIL_BIT;
    } else if (streq(landuse, "port") || streq(cr_osm_tag_get(tags, n, "industrial"), "port") ||
               streq(cr_osm_tag_get(tags, n, "harbour"), "yes") ||
               streq(cr_osm_tag_get(tags, n, "seamark:type"), "harbour")) {
        k = CR_TERMINAL_PORT;
        m |= WATER_BIT;
    } else if (str_is_any(cr_osm_tag_get(tags, n, "waterway"), quay_waterway) ||
               present_not_no(cr_osm_tag_get(tags, n, "mooring")) ||
               streq(cr_osm_tag_get(tags, n, "man_made"), "pier")) {
        k = CR_TERMINAL_QUAY;
        m |= WATER_BIT;
    } else {
        return 0;
    }
    if (kind)
        *kind = k;
    if (modes)
        *modes = (uint8_t)m;
    return 1;
}
