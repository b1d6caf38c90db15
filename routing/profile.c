/*
 * Profiles: JSON files read with jansson into struct cr_profile (defaults, "base" chains, the
 * profile folder) and vehicle dimensions from the command line. The per-edge, per-node and
 * per-turn rules that turn a graph view into weights are in profile_rules.c. docs/profiles.md is
 * the reference for the keys and their defaults; change both together.
 */
#include "routing/profile.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "routing/exclude.h"

#define MAX_BASE_DEPTH 4 /* "base" chains: one level is the common case; 4 catches loops */
#define PATH_SIZE 4096

/* Vehicle size limits (shared by "vehicle_dims" and cr_profile_set_vehicle), metres / tonnes. */
#define MAX_HEIGHT_M 10.0
#define MAX_WIDTH_M 10.0
#define MAX_LENGTH_M 100.0
#define MAX_WEIGHT_T 1000.0
#define MAX_AXLELOAD_T 100.0

static const char *const access_names[] = { "unknown",     "yes",     "no",
                                            "destination", "private", "agricultural" };
static const char *const barrier_names[] = { "none",          "gate",  "lift_gate", "bollard",
                                             "cycle_barrier", "chain", "other" };
static const char *const vehicle_names[] = { "car", "motorcycle", "hgv", "boat" };

_Static_assert(sizeof access_names / sizeof access_names[0] == 6, "one name per enum cr_access");
_Static_assert(sizeof barrier_names / sizeof barrier_names[0] == 7, "one name per cr_barrier");
_Static_assert(sizeof vehicle_names / sizeof vehicle_names[0] == CR_VEHICLE_COUNT,
               "one name per enum cr_vehicle");

/* ---- defaults ------------------------------------------------------------------------------ */

void
cr_profile_defaults(struct cr_profile *p)
{
    /* A car in Vietnam; docs/profiles.md gives the source of each figure. */
    static const double car_kmh[CR_ROAD_CLASS_COUNT] = {
        [CR_ROAD_MOTORWAY] = 90,      [CR_ROAD_MOTORWAY_LINK] = 50,  [CR_ROAD_TRUNK] = 65,
        [CR_ROAD_TRUNK_LINK] = 40,    [CR_ROAD_PRIMARY] = 50,        [CR_ROAD_PRIMARY_LINK] = 35,
        [CR_ROAD_SECONDARY] = 45,     [CR_ROAD_SECONDARY_LINK] = 35, [CR_ROAD_TERTIARY] = 40,
        [CR_ROAD_TERTIARY_LINK] = 30, [CR_ROAD_UNCLASSIFIED] = 35,   [CR_ROAD_RESIDENTIAL] = 25,
        [CR_ROAD_LIVING_STREET] = 10, [CR_ROAD_SERVICE] = 15,        [CR_ROAD_TRACK] = 15,
        [CR_ROAD_ROAD] = 30,
    };
    /* assignment: TCVN 4054:2005 maximum capacities per lane where they apply (motorway: median
     * and separated slow traffic 1800; trunk: median only 1500; undivided mixed traffic 1000),
     * corridor estimates below tertiary; docs/profiles.md "assignment" */
    static const double cap_pcu[CR_ROAD_CLASS_COUNT] = {
        [CR_ROAD_MOTORWAY] = 1800,     [CR_ROAD_MOTORWAY_LINK] = 1500,
        [CR_ROAD_TRUNK] = 1500,        [CR_ROAD_TRUNK_LINK] = 1000,
        [CR_ROAD_PRIMARY] = 1000,      [CR_ROAD_PRIMARY_LINK] = 1000,
        [CR_ROAD_SECONDARY] = 1000,    [CR_ROAD_SECONDARY_LINK] = 1000,
        [CR_ROAD_TERTIARY] = 1000,     [CR_ROAD_TERTIARY_LINK] = 1000,
        [CR_ROAD_UNCLASSIFIED] = 800,  [CR_ROAD_RESIDENTIAL] = 600,
        [CR_ROAD_LIVING_STREET] = 300, [CR_ROAD_SERVICE] = 400,
        [CR_ROAD_TRACK] = 300,         [CR_ROAD_ROAD] = 800,
    };
    memset(p, 0, sizeof *p);
    strcpy(p->name, "default");
    strcpy(p->currency, "VND");
    p->modes = (uint8_t)(1u << CR_MODE_ROAD | 1u << CR_MODE_FERRY);
    p->vehicle = CR_VEHICLE_CAR;
    for (int c = 0; c < CR_ROAD_CLASS_COUNT; c++) {
        p->road_class_allowed[c] = 1;
        p->road_speed_kmh[c] = car_kmh[c];
        p->assign.capacity_pcu_per_lane_h[c] = cap_pcu[c];
        p->assign.default_lanes[c] = 1;
        p->assign.bpr_alpha[c] = 0.15; /* Bureau of Public Roads (1964) */
        p->assign.bpr_beta[c] = 4;
    }
    p->assign.default_lanes[CR_ROAD_MOTORWAY] = 2;
    p->assign.default_lanes[CR_ROAD_TRUNK] = 2;
    p->assign.capacity_factor = 1;
    p->assign.pce = 1;
    p->maxspeed_factor = 0.8;
    p->max_speed_kmh = 120;
    p->ferry_speed_kmh = 5;
    p->rail_speed_kmh[CR_RAIL_RAIL] = 40;
    p->rail_speed_kmh[CR_RAIL_LIGHT_RAIL] = 0;
    p->rail_speed_kmh[CR_RAIL_NARROW_GAUGE] = 30;
    p->water_speed_kmh[CR_WATER_RIVER] = 10;
    p->water_speed_kmh[CR_WATER_CANAL] = 8;
    p->water_speed_kmh[CR_WATER_FAIRWAY] = 12;
    p->unpaved_factor = 0.6;
    p->access_allowed[CR_ACCESS_UNKNOWN] = 1;
    p->access_allowed[CR_ACCESS_YES] = 1;
    /* destination and private: reachable, never crossed (cr_profile_edge_destination_only) */
    p->access_allowed[CR_ACCESS_DESTINATION] = 1;
    p->access_allowed[CR_ACCESS_PRIVATE] = 1;
    p->barrier_passable[CR_BARRIER_NONE] = 1;
    p->barrier_passable[CR_BARRIER_GATE] = 1;
    p->barrier_passable[CR_BARRIER_LIFT_GATE] = 1;
    p->barrier_penalty_s = 10;
    p->traffic_signal_s = 12;
    p->turn_penalty_s = 7.5;
    p->u_turn_s = 20;
    p->rail_reverse_s = 1800;
    p->lock_s = 1800;
    p->left_hand_traffic = 0;
    p->cost_per_km[CR_MODE_ROAD] = 2500;
    p->cost_per_km[CR_MODE_FERRY] = 30000;
    p->co2_kg_per_tkm[CR_MODE_ROAD] = 0.2;
    p->co2_kg_per_tkm[CR_MODE_FERRY] = 0.2;
    p->payload_t = 1;
    p->transfer_time_s = 7200;
    p->transfer_cost = 1000000;
    p->max_transfers = 0;
}

/* ---- reading JSON --------------------------------------------------------------------------- */

typedef const char *(*name_fn)(int i);

static const char *
road_name(int i)
{
    return cr_road_class_name((enum cr_road_class)i);
}

static const char *
rail_name(int i)
{
    return cr_rail_class_name((enum cr_rail_class)i);
}

static const char *
water_name(int i)
{
    return cr_water_class_name((enum cr_water_class)i);
}

static const char *
vehicle_name(int i)
{
    return i >= 0 && i < CR_VEHICLE_COUNT ? vehicle_names[i] : "";
}

static const char *
mode_name(int i)
{
    return cr_mode_name((enum cr_mode)i);
}

/* access and barrier tables skip slot 0 (unknown / none): those are always allowed. */
static const char *
access_name(int i)
{
    return i >= 1 && i < 6 ? access_names[i] : "";
}

static const char *
barrier_name(int i)
{
    return i >= 1 && i < 7 ? barrier_names[i] : "";
}

static int
name_index(name_fn names, int first, int count, const char *s)
{
    for (int i = first; i < count; i++)
        if (strcmp(names(i), s) == 0)
            return i;
    return -1;
}

/* "a, b, c" into BUF, for "unknown ... (known: ...)" messages. */
static const char *
name_list(name_fn names, int first, int count, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = first; i < count && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i > first ? ", " : "", names(i));
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

static int
is_comment(const char *key)
{
    return key[0] == '_';
}

static enum cr_status
get_number(const char *file, const char *key, const json_t *v, double min, double max, double *out,
           struct cr_error *err)
{
    if (!json_is_number(v))
        return cr_error_set(err, CR_EINVAL, "%s: \"%s\" must be a number", file, key);
    double x = json_number_value(v);
    if (!isfinite(x) || x < min || x > max)
        return cr_error_set(err, CR_EINVAL, "%s: \"%s\" is %g, must be between %g and %g", file,
                            key, x, min, max);
    *out = x;
    return CR_OK;
}

static enum cr_status
get_bool(const char *file, const char *key, const json_t *v, int *out, struct cr_error *err)
{
    if (!json_is_boolean(v))
        return cr_error_set(err, CR_EINVAL, "%s: \"%s\" must be true or false", file, key);
    *out = json_is_true(v);
    return CR_OK;
}

static enum cr_status
get_string(const char *file, const char *key, const json_t *v, char *out, size_t size,
           struct cr_error *err)
{
    if (!json_is_string(v))
        return cr_error_set(err, CR_EINVAL, "%s: \"%s\" must be a string", file, key);
    const char *s = json_string_value(v);
    if (s[0] == '\0' || strlen(s) >= size)
        return cr_error_set(err, CR_EINVAL, "%s: \"%s\" must be 1 to %zu characters, not \"%s\"",
                            file, key, size - 1, s);
    memcpy(out, s, strlen(s) + 1);
    return CR_OK;
}

/* An object naming some of COUNT items: {"motorway": 80, ...}. Numbers go into NUMS (when not
 * NULL, within min..max), booleans into FLAGS. Keys not named keep their value (so a profile or
 * its base sets only what differs). */
static enum cr_status
get_table(const char *file, const char *key, const json_t *obj, name_fn names, int first, int count,
          const char *what, double *nums, double min, double max, uint8_t *flags,
          struct cr_error *err)
{
    const char *sub;
    json_t *val;
    char full[128], known[256];

    if (!json_is_object(obj))
        return cr_error_set(err, CR_EINVAL, "%s: \"%s\" must be an object of %s", file, key, what);
    json_object_foreach((json_t *)obj, sub, val)
    {
        if (is_comment(sub))
            continue;
        int i = name_index(names, first, count, sub);
        if (i < 0)
            return cr_error_set(err, CR_EINVAL, "%s: \"%s\": unknown %s \"%s\" (%s%s)", file, key,
                                what, sub, count - first <= 7 ? "known: " : "",
                                count - first <= 7
                                    ? name_list(names, first, count, known, sizeof known)
                                    : "docs/profiles.md lists the names");
        snprintf(full, sizeof full, "%s.%s", key, sub);
        enum cr_status rc;
        if (nums) {
            rc = get_number(file, full, val, min, max, &nums[i], err);
        } else {
            int b = 0;
            rc = get_bool(file, full, val, &b, err);
            flags[i] = (uint8_t)b;
        }
        if (rc)
            return rc;
    }
    return CR_OK;
}

static enum cr_status
get_modes(const char *file, const json_t *arr, uint8_t *modes, struct cr_error *err)
{
    size_t i;
    json_t *val;
    char known[128];
    uint8_t m = 0;

    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return cr_error_set(err, CR_EINVAL, "%s: \"modes\" must be a non-empty array of %s", file,
                            name_list(mode_name, 0, CR_MODE_COUNT, known, sizeof known));
    json_array_foreach((json_t *)arr, i, val)
    {
        int k = json_is_string(val)
                    ? name_index(mode_name, 0, CR_MODE_COUNT, json_string_value(val))
                    : -1;
        if (k < 0)
            return cr_error_set(err, CR_EINVAL, "%s: \"modes\"[%zu]: not a mode (known: %s)", file,
                                i, name_list(mode_name, 0, CR_MODE_COUNT, known, sizeof known));
        m |= (uint8_t)(1u << k);
    }
    *modes = m;
    return CR_OK;
}

static enum cr_status
get_dims(const char *file, const json_t *obj, struct cr_vehicle_dims *d, struct cr_error *err)
{
    static const struct {
        const char *key;
        double max, scale;
    } keys[] = {
        { "height_m", MAX_HEIGHT_M, 100 },      { "width_m", MAX_WIDTH_M, 100 },
        { "length_m", MAX_LENGTH_M, 100 },      { "weight_t", MAX_WEIGHT_T, 1000 },
        { "axleload_t", MAX_AXLELOAD_T, 1000 },
    };
    const char *sub;
    json_t *val;
    char full[64];

    if (!json_is_object(obj))
        return cr_error_set(err, CR_EINVAL, "%s: \"vehicle_dims\" must be an object", file);
    json_object_foreach((json_t *)obj, sub, val)
    {
        if (is_comment(sub))
            continue;
        snprintf(full, sizeof full, "vehicle_dims.%s", sub);
        if (strcmp(sub, "hazmat") == 0) {
            int b = 0;
            if (get_bool(file, full, val, &b, err))
                return err ? err->code : CR_EINVAL;
            d->hazmat = (uint8_t)b;
            continue;
        }
        size_t k = 0;
        while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k].key, sub) != 0)
            k++;
        if (k == sizeof keys / sizeof keys[0])
            return cr_error_set(err, CR_EINVAL,
                                "%s: \"vehicle_dims\": unknown key \"%s\" (known: height_m, "
                                "width_m, length_m, weight_t, axleload_t, hazmat)",
                                file, sub);
        double x = 0.0;
        if (get_number(file, full, val, 0, keys[k].max, &x, err))
            return err ? err->code : CR_EINVAL;
        uint32_t u = (uint32_t)lround(x * keys[k].scale); /* 0 = not given */
        switch (k) {
        case 0:
            d->height_cm = (uint16_t)u;
            break;
        case 1:
            d->width_cm = (uint16_t)u;
            break;
        case 2:
            d->length_cm = (uint16_t)u;
            break;
        case 3:
            d->weight_kg = u;
            break;
        default:
            d->axleload_kg = u;
            break;
        }
    }
    return CR_OK;
}

/* "assignment": {"capacity_pcu_per_lane_h": {...}, "default_lanes": {...}, "bpr_alpha": {...},
 * "bpr_beta": {...}, "capacity_factor": x, "pce": x}; road classes named as in road_speed_kmh. */
static enum cr_status
get_assign(const char *file, const json_t *obj, struct cr_profile_assign *a, struct cr_error *err)
{
    const struct {
        const char *key;
        double *field;
        double min, max;
    } tables[] = {
        { "capacity_pcu_per_lane_h", a->capacity_pcu_per_lane_h, 1, 10000 },
        { "default_lanes", a->default_lanes, 1, 16 },
        { "bpr_alpha", a->bpr_alpha, 0, 100 },
        { "bpr_beta", a->bpr_beta, 0, 20 },
    };
    const char *sub;
    json_t *val;
    char full[64];

    if (!json_is_object(obj))
        return cr_error_set(err, CR_EINVAL, "%s: \"assignment\" must be an object", file);
    json_object_foreach((json_t *)obj, sub, val)
    {
        enum cr_status rc = CR_EINVAL;
        size_t k = 0;
        if (is_comment(sub))
            continue;
        snprintf(full, sizeof full, "assignment.%s", sub);
        while (k < sizeof tables / sizeof tables[0] && strcmp(tables[k].key, sub) != 0)
            k++;
        if (k < sizeof tables / sizeof tables[0])
            rc = get_table(file, full, val, road_name, 0, CR_ROAD_CLASS_COUNT, "road class",
                           tables[k].field, tables[k].min, tables[k].max, NULL, err);
        else if (strcmp(sub, "capacity_factor") == 0)
            rc = get_number(file, full, val, 0.01, 2, &a->capacity_factor, err);
        else if (strcmp(sub, "pce") == 0)
            rc = get_number(file, full, val, 0.01, 100, &a->pce, err);
        else
            return cr_error_set(err, CR_EINVAL,
                                "%s: \"assignment\": unknown key \"%s\" (known: "
                                "capacity_pcu_per_lane_h, default_lanes, bpr_alpha, bpr_beta, "
                                "capacity_factor, pce)",
                                file, sub);
        if (rc)
            return rc;
    }
    return CR_OK;
}

/* One top-level key. */
static enum cr_status
apply_key(const char *file, const char *key, const json_t *v, struct cr_profile *p,
          struct cr_error *err)
{
    /* plain numbers: key, field, min, max */
    const struct {
        const char *key;
        double *field;
        double min, max;
    } nums[] = {
        { "maxspeed_factor", &p->maxspeed_factor, 0, 2 },
        { "max_speed_kmh", &p->max_speed_kmh, 0, 500 },
        { "ferry_speed_kmh", &p->ferry_speed_kmh, 0.1, 200 },
        { "unpaved_factor", &p->unpaved_factor, 0.01, 1 },
        { "barrier_penalty_s", &p->barrier_penalty_s, 0, 86400 },
        { "traffic_signal_s", &p->traffic_signal_s, 0, 3600 },
        { "turn_penalty_s", &p->turn_penalty_s, 0, 3600 },
        { "u_turn_s", &p->u_turn_s, -1, 86400 },
        { "rail_reverse_s", &p->rail_reverse_s, -1, 86400 },
        { "lock_s", &p->lock_s, 0, 86400 },
        { "payload_t", &p->payload_t, 0, 100000 },
        { "transfer_time_s", &p->transfer_time_s, 0, 30 * 86400.0 },
        { "transfer_cost", &p->transfer_cost, 0, 1e12 },
    };
    /* per-mode money and emissions */
    const struct {
        const char *key;
        double *field;
        double max;
    } per_mode[] = {
        { "cost_per_km", p->cost_per_km, 1e9 },
        { "cost_per_hour", p->cost_per_hour, 1e10 },
        { "co2_kg_per_tkm", p->co2_kg_per_tkm, 100 },
    };

    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (strcmp(key, nums[i].key) == 0)
            return get_number(file, key, v, nums[i].min, nums[i].max, nums[i].field, err);
    for (size_t i = 0; i < sizeof per_mode / sizeof per_mode[0]; i++)
        if (strcmp(key, per_mode[i].key) == 0)
            return get_table(file, key, v, mode_name, 0, CR_MODE_COUNT, "mode", per_mode[i].field,
                             0, per_mode[i].max, NULL, err);
    if (strcmp(key, "name") == 0)
        return get_string(file, key, v, p->name, sizeof p->name, err);
    if (strcmp(key, "currency") == 0)
        return get_string(file, key, v, p->currency, sizeof p->currency, err);
    if (strcmp(key, "modes") == 0)
        return get_modes(file, v, &p->modes, err);
    if (strcmp(key, "exclude") == 0)
        return cr_profile_exclude_json(file, v, p, err);
    if (strcmp(key, "vehicle") == 0) {
        int k = json_is_string(v)
                    ? name_index(vehicle_name, 0, CR_VEHICLE_COUNT, json_string_value(v))
                    : -1;
        if (k < 0)
            return cr_error_set(err, CR_EINVAL,
                                "%s: \"vehicle\" must be one of car, motorcycle, hgv, boat", file);
        p->vehicle = (uint8_t)k;
        return CR_OK;
    }
    if (strcmp(key, "conditional") == 0) {
        const char *c = json_is_string(v) ? json_string_value(v) : "";
        if (strcmp(c, "ignore") && strcmp(c, "always"))
            return cr_error_set(err, CR_EINVAL,
                                "%s: \"conditional\" must be \"ignore\" or \"always\"", file);
        p->conditional = strcmp(c, "always") == 0 ? CR_CONDITIONAL_ALWAYS : CR_CONDITIONAL_IGNORE;
        return CR_OK;
    }
    if (strcmp(key, "road_class_allowed") == 0)
        return get_table(file, key, v, road_name, 0, CR_ROAD_CLASS_COUNT, "road class", NULL, 0, 0,
                         p->road_class_allowed, err);
    if (strcmp(key, "road_speed_kmh") == 0)
        return get_table(file, key, v, road_name, 0, CR_ROAD_CLASS_COUNT, "road class",
                         p->road_speed_kmh, 0, 500, NULL, err);
    if (strcmp(key, "rail_speed_kmh") == 0)
        return get_table(file, key, v, rail_name, 0, CR_RAIL_CLASS_COUNT, "rail class",
                         p->rail_speed_kmh, 0, 500, NULL, err);
    if (strcmp(key, "water_speed_kmh") == 0)
        return get_table(file, key, v, water_name, 0, CR_WATER_CLASS_COUNT, "water class",
                         p->water_speed_kmh, 0, 100, NULL, err);
    if (strcmp(key, "access_allowed") == 0)
        return get_table(file, key, v, access_name, 1, 6, "access value", NULL, 0, 0,
                         p->access_allowed, err);
    if (strcmp(key, "barrier_passable") == 0)
        return get_table(file, key, v, barrier_name, 1, 7, "barrier", NULL, 0, 0,
                         p->barrier_passable, err);
    if (strcmp(key, "left_hand_traffic") == 0)
        return get_bool(file, key, v, &p->left_hand_traffic, err);
    if (strcmp(key, "max_transfers") == 0) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 16)
            return cr_error_set(err, CR_EINVAL,
                                "%s: \"max_transfers\" must be a whole number "
                                "from 0 to 16",
                                file);
        p->max_transfers = (int)json_integer_value(v);
        return CR_OK;
    }
    if (strcmp(key, "assignment") == 0)
        return get_assign(file, v, &p->assign, err);
    if (strcmp(key, "vehicle_dims") == 0) {
        struct cr_vehicle_dims d = p->default_dims;
        enum cr_status rc = get_dims(file, v, &d, err);
        if (rc == CR_OK)
            p->dims = p->default_dims = d;
        return rc;
    }
    return cr_error_set(err, CR_EINVAL,
                        "%s: unknown key \"%s\" (see docs/profiles.md; keys starting with _ are "
                        "comments)",
                        file, key);
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The file name without folder and ".json", truncated to fit NAME. */
static void
stem_of(const char *path, char *name, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && ends_with(base, ".json"))
        n -= 5;
    if (n >= size)
        n = size - 1;
    memcpy(name, base, n);
    name[n] = '\0';
}

/* BASE of a profile at FROM: a name ("truck") or a .json path, relative to FROM's folder. */
static enum cr_status
base_path(const char *from, const char *base, char *out, struct cr_error *err)
{
    const char *slash = strrchr(from, '/');
    int dir_len = slash ? (int)(slash - from) : 1;
    const char *dir = slash ? from : ".";
    const char *ext = ends_with(base, ".json") ? "" : ".json";
    int n;

    if (base[0] == '/')
        n = snprintf(out, PATH_SIZE, "%s%s", base, ext);
    else
        n = snprintf(out, PATH_SIZE, "%.*s/%s%s", dir_len, dir, base, ext);
    if (n < 0 || n >= PATH_SIZE)
        return cr_error_set(err, CR_EINVAL, "%s: base \"%s\": path too long", from, base);
    return CR_OK;
}

/* Reads PATH onto P (after its base, if any). NAME is what the user asked for when PATH was
 * built from a profile name at depth 0, for a friendlier "not found". */
static enum cr_status
load_file(const char *path, const char *name, struct cr_profile *p, int depth, struct cr_error *err)
{
    json_error_t jerr;
    json_t *root = NULL, *val;
    const char *key;
    enum cr_status rc = CR_OK;
    FILE *f = fopen(path, "r");

    if (!f && errno == ENOENT && name)
        return cr_error_set(err, CR_ENOTFOUND,
                            "profile \"%s\": no %s (set $CORRIDOR_PROFILES or give a .json path)",
                            name, path);
    if (!f)
        return cr_error_set(err, errno == ENOENT ? CR_ENOTFOUND : CR_EIO, "%s: %s", path,
                            strerror(errno));
    root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!root)
        return cr_error_set(err, CR_EFORMAT, "%s:%d:%d: %s", path, jerr.line, jerr.column,
                            jerr.text);
    if (!json_is_object(root)) {
        rc = cr_error_set(err, CR_EFORMAT, "%s: a profile must be a JSON object { ... }", path);
        goto done;
    }
    val = json_object_get(root, "base");
    if (val) {
        char bpath[PATH_SIZE];
        if (!json_is_string(val)) {
            rc = cr_error_set(err, CR_EINVAL, "%s: \"base\" must be a string (a profile name)",
                              path);
            goto done;
        }
        if (depth + 1 >= MAX_BASE_DEPTH) {
            rc =
                cr_error_set(err, CR_EINVAL, "%s: \"base\" chain deeper than %d profiles (a loop?)",
                             path, MAX_BASE_DEPTH);
            goto done;
        }
        if ((rc = base_path(path, json_string_value(val), bpath, err)))
            goto done;
        rc = load_file(bpath, NULL, p, depth + 1, err);
        if (rc == CR_ENOTFOUND)
            rc = cr_error_set(err, rc, "%s: base \"%s\": no %s", path, json_string_value(val),
                              bpath);
        if (rc)
            goto done; /* err names the base file */
    }
    stem_of(path, p->name, sizeof p->name);
    json_object_foreach(root, key, val)
    {
        if (is_comment(key) || strcmp(key, "base") == 0)
            continue;
        if ((rc = apply_key(path, key, val, p, err)))
            goto done;
    }
done:
    json_decref(root);
    return rc;
}

#ifdef CR_PROFILE_DIR
static int
is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
#endif

const char *
cr_profile_default_dir(void)
{
    const char *env = getenv("CORRIDOR_PROFILES");
    if (env && env[0])
        return env;
#ifdef CR_PROFILE_DIR
    if (is_dir(CR_PROFILE_DIR))
        return CR_PROFILE_DIR;
#endif
#ifdef CR_SOURCE_PROFILE_DIR
    return CR_SOURCE_PROFILE_DIR;
#else
    return "profiles";
#endif
}

enum cr_status
cr_profile_load(const char *name_or_path, const char *dir, struct cr_profile *p,
                struct cr_error *err)
{
    char path[PATH_SIZE];
    struct cr_profile tmp;
    enum cr_status rc;

    if (!name_or_path || !name_or_path[0])
        return cr_error_set(err, CR_EINVAL, "profile: no name given");
    const int by_name = !strchr(name_or_path, '/') && !ends_with(name_or_path, ".json");
    if (!by_name) {
        if (strlen(name_or_path) >= sizeof path)
            return cr_error_set(err, CR_EINVAL, "profile \"%.64s...\": path too long",
                                name_or_path);
        strcpy(path, name_or_path);
    } else {
        if (!dir)
            dir = cr_profile_default_dir();
        int n = snprintf(path, sizeof path, "%s/%s.json", dir, name_or_path);
        if (n < 0 || (size_t)n >= sizeof path)
            return cr_error_set(err, CR_EINVAL, "profile \"%s\": path too long", name_or_path);
    }
    cr_profile_defaults(&tmp);
    rc = load_file(path, by_name ? name_or_path : NULL, &tmp, 0, err);
    if (rc == CR_OK)
        *p = tmp;
    return rc;
}

/* ---- vehicle dimensions --------------------------------------------------------------------- */

/* Digits, optionally '.' and more digits: no sign, no exponent, no locale. -1 when not that. */
static double
parse_decimal(const char *s, size_t len)
{
    double x = 0, scale = 1;
    size_t i = 0;
    int digits = 0, frac = 0;

    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
        x = x * 10 + (s[i] - '0');
    if (digits == 0 || digits > 9)
        return -1;
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, frac++)
            if (frac < 9)
                x += (s[i] - '0') * (scale /= 10);
        if (frac == 0)
            return -1;
    }
    return i == len ? x : -1;
}

static size_t
trim(const char **s, size_t len)
{
    while (len && (**s == ' ' || **s == '\t'))
        (*s)++, len--;
    while (len && ((*s)[len - 1] == ' ' || (*s)[len - 1] == '\t'))
        len--;
    return len;
}

enum cr_status
cr_profile_set_vehicle(struct cr_profile *p, const char *spec, struct cr_error *err)
{
    static const struct {
        const char *key, *unit;
        double max, scale;
    } keys[] = {
        { "height", "m", MAX_HEIGHT_M, 100 },      { "width", "m", MAX_WIDTH_M, 100 },
        { "length", "m", MAX_LENGTH_M, 100 },      { "weight", "t", MAX_WEIGHT_T, 1000 },
        { "axleload", "t", MAX_AXLELOAD_T, 1000 },
    };
    struct cr_vehicle_dims d = p->dims;
    unsigned seen = 0;
    const char *s = spec;

    if (!spec || !spec[0])
        return CR_OK;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *eq = memchr(s, '=', len);
        const char *k = s, *val;
        size_t klen, vlen;
        int idx = -1;

        if (!eq)
            return cr_error_set(err, CR_EINVAL, "vehicle \"%s\": \"%.*s\" is not key=value", spec,
                                (int)len, s);
        klen = trim(&k, (size_t)(eq - s));
        val = eq + 1;
        vlen = trim(&val, len - (size_t)(eq + 1 - s));
        for (int i = 0; i < 6; i++) {
            const char *name = i < 5 ? keys[i].key : "hazmat";
            if (strlen(name) == klen && strncmp(name, k, klen) == 0)
                idx = i;
        }
        if (idx < 0)
            return cr_error_set(err, CR_EINVAL,
                                "vehicle \"%s\": unknown key \"%.*s\" (height, width, length "
                                "in m; weight, axleload in t; hazmat=yes|no)",
                                spec, (int)klen, k);
        if (seen & (1u << idx))
            return cr_error_set(err, CR_EINVAL, "vehicle \"%s\": \"%.*s\" given twice", spec,
                                (int)klen, k);
        seen |= 1u << idx;
        if (idx == 5) {
            if (vlen == 3 && strncmp(val, "yes", 3) == 0)
                d.hazmat = 1;
            else if (vlen == 2 && strncmp(val, "no", 2) == 0)
                d.hazmat = 0;
            else
                return cr_error_set(err, CR_EINVAL, "vehicle: hazmat \"%.*s\": want yes or no",
                                    (int)vlen, val);
        } else {
            double x = parse_decimal(val, vlen);
            if (x < 0)
                return cr_error_set(err, CR_EINVAL,
                                    "vehicle: %s \"%.*s\" is not a number in %s (like 4.2)",
                                    keys[idx].key, (int)vlen, val, keys[idx].unit);
            double scaled = round(x * keys[idx].scale);
            if (x > keys[idx].max || scaled < 1)
                return cr_error_set(
                    err, CR_EINVAL, "vehicle: %s %.*s %s out of range (above 0, at most %g %s)",
                    keys[idx].key, (int)vlen, val, keys[idx].unit, keys[idx].max, keys[idx].unit);
            switch (idx) {
            case 0:
                d.height_cm = (uint16_t)scaled;
                break;
            case 1:
                d.width_cm = (uint16_t)scaled;
                break;
            case 2:
                d.length_cm = (uint16_t)scaled;
                break;
            case 3:
                d.weight_kg = (uint32_t)scaled;
                break;
            default:
                d.axleload_kg = (uint32_t)scaled;
                break;
            }
        }
        if (!end)
            break;
        s = end + 1;
    }
    p->dims = d;
    return CR_OK;
}

int
cr_profile_dims_changed(const struct cr_profile *p)
{
    const struct cr_vehicle_dims *a = &p->dims, *b = &p->default_dims;
    return a->weight_kg != b->weight_kg || a->axleload_kg != b->axleload_kg ||
           a->height_cm != b->height_cm || a->width_cm != b->width_cm ||
           a->length_cm != b->length_cm || a->hazmat != b->hazmat;
}
