/*
 * Profiles: the shipped JSON files, the reader's errors, and the edge/node/turn rules on a tiny
 * hand-made graph (drawn below) and on the imported Krems extract.
 *
 *              X            100 m grid around J (Ho Chi Minh City coordinates); J has signals
 *              |  s4 tertiary, maxspeed 30 forward (N->X), 50 backward; X is a bollard
 *              N
 *              |  s1 primary, maxheight 3.5 m (stored N->J with two shape points)
 *     W ------ J ------ E ---- T    s3 motorway J-W; s2 residential hgv=no J-E;
 *              |        |           s5 transfer E-T (T a terminal)
 *              |  s0    F           s6 ferry E-F, duration 10 min
 *              S  primary (stored J->S, shape bends east so only the last piece points north)
 *
 *   R1 --- R2 --- R4     rail s7, s9; s8 R2-R3 doubles back (a reversal)
 *            \_ R3
 *   W1 ==== W2           river s10; W2 is a lock gate
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/graph.h"
#include "importers/osm/osm_import.h"
#include "routing/profile.h"

#ifndef CR_SOURCE_PROFILE_DIR
#define CR_SOURCE_PROFILE_DIR CR_SOURCE_DIR "/profiles"
#endif
#define KREMS CR_SOURCE_DIR "/datasets/graphhopper-krems.osm.pbf"

static char tmpdir[64];

/* ---- helpers -------------------------------------------------------------------------------- */

static void
load(const char *name, struct cr_profile *p)
{
    struct cr_error err = { 0 };
    if (cr_profile_load(name, CR_SOURCE_PROFILE_DIR, p, &err) != CR_OK)
        fail_msg("profile %s: %s", name, err.msg);
}

static void
write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("%s: cannot write", path);
    fputs(text, f);
    fclose(f);
}

/* Loads NAME from the temporary folder; returns the status and leaves the message in ERR. */
static enum cr_status
load_tmp(const char *name, struct cr_profile *p, struct cr_error *err)
{
    memset(err, 0, sizeof *err);
    return cr_profile_load(name, tmpdir, p, err);
}

static void
expect_error(const char *name, enum cr_status code, const char *needle)
{
    struct cr_profile p;
    struct cr_error err;
    enum cr_status rc = load_tmp(name, &p, &err);
    if (rc != code)
        fail_msg("%s: status %d (%s), want %d", name, rc, err.msg, code);
    if (!strstr(err.msg, needle))
        fail_msg("%s: message \"%s\" does not contain \"%s\"", name, err.msg, needle);
}

/* ---- the tiny graph ------------------------------------------------------------------------- */

enum { J, N, S, E, W, X, T, F, R1, R2, R3, R4, W1, W2, NODES };
enum { SEGS = 11, WAYS = 9, MAX_EDGES = 2 * SEGS, MAX_SHAPE = 8 };

struct tiny {
    int32_t lon[NODES], lat[NODES];
    int64_t osm[NODES];
    uint8_t group[NODES], barrier[NODES], flags[NODES];
    uint32_t first_out[NODES + 1], head[MAX_EDGES], edge_segment[MAX_EDGES];
    uint32_t seg_way[SEGS], seg_len[SEGS], seg_node[2 * SEGS], seg_edge[2 * SEGS];
    uint32_t first_shape[SEGS + 1];
    int32_t shape_lon[MAX_SHAPE], shape_lat[MAX_SHAPE];
    struct cr_way_attr ways[WAYS];
    struct cr_terminal terminal;
    char strings[1];
    struct cr_graph_view v;
};

static struct tiny g;

#define LAT0 10.77
static int32_t
lon_at(double x_m)
{
    return (int32_t)lround((106.69 + x_m / (111320.0 * cos(LAT0 * 3.14159265358979 / 180))) * 1e7);
}

static int32_t
lat_at(double y_m)
{
    return (int32_t)lround((LAT0 + y_m / 110574.0) * 1e7);
}

static void
tiny_build(void)
{
    static const struct {
        int node;
        double x, y;
        uint8_t group;
    } nodes[] = {
        { J, 0, 0, CR_GROUP_ROAD },       { N, 0, 150, CR_GROUP_ROAD },
        { S, 0, -150, CR_GROUP_ROAD },    { E, 150, 0, CR_GROUP_ROAD },
        { W, -150, 0, CR_GROUP_ROAD },    { X, 0, 300, CR_GROUP_ROAD },
        { T, 300, 0, CR_GROUP_TERMINAL }, { F, 150, -300, CR_GROUP_ROAD },
        { R1, 0, -1000, CR_GROUP_RAIL },  { R2, 1000, -1000, CR_GROUP_RAIL },
        { R3, 10, -1020, CR_GROUP_RAIL }, { R4, 2000, -1000, CR_GROUP_RAIL },
        { W1, 0, -3000, CR_GROUP_WATER }, { W2, 2000, -3000, CR_GROUP_WATER },
    };
    /* segment: a, b, way, length m, shape points (x, y) from a to b */
    static const struct {
        int a, b, way;
        double len;
        int shapes;
        double sx[2], sy[2];
    } segs[SEGS] = {
        { J, S, 0, 150, 2, { 0, 80 }, { -50, -80 } }, /* s0: S->J ends heading north */
        { N, J, 1, 150, 2, { -60, 0 }, { 90, 40 } },  /* s1: J->N starts heading north */
        { J, E, 2, 150, 0, { 0 }, { 0 } },            /* s2 */
        { J, W, 3, 150, 0, { 0 }, { 0 } },            /* s3 */
        { N, X, 4, 100, 0, { 0 }, { 0 } },            /* s4: exactly 100 m for speed checks */
        { T, E, 5, 150, 0, { 0 }, { 0 } },            /* s5 transfer */
        { E, F, 6, 300, 0, { 0 }, { 0 } },            /* s6 ferry */
        { R1, R2, 7, 1000, 0, { 0 }, { 0 } },         /* s7 */
        { R2, R3, 7, 1000, 0, { 0 }, { 0 } },         /* s8 doubles back */
        { R2, R4, 7, 1000, 0, { 0 }, { 0 } },         /* s9 */
        { W1, W2, 8, 2000, 0, { 0 }, { 0 } },         /* s10 */
    };
    uint32_t tails[MAX_EDGES], segof[MAX_EDGES], back[MAX_EDGES], m = 0, shape = 0;

    memset(&g, 0, sizeof g);
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        g.lon[nodes[i].node] = lon_at(nodes[i].x);
        g.lat[nodes[i].node] = lat_at(nodes[i].y);
        g.group[nodes[i].node] = nodes[i].group;
        g.osm[nodes[i].node] = 1000 + nodes[i].node;
    }
    g.flags[J] = CR_NODE_TRAFFIC_SIGNALS;
    g.barrier[X] = CR_BARRIER_BOLLARD;
    g.flags[W2] = CR_NODE_LOCK_GATE;

    /* ways */
    for (int w = 0; w < WAYS; w++)
        g.ways[w].osm_id = 100 + w;
    g.ways[0].mode = CR_MODE_ROAD, g.ways[0].klass = CR_ROAD_PRIMARY;
    g.ways[1].mode = CR_MODE_ROAD, g.ways[1].klass = CR_ROAD_PRIMARY;
    g.ways[1].maxheight_cm = 350;
    g.ways[2].mode = CR_MODE_ROAD, g.ways[2].klass = CR_ROAD_RESIDENTIAL;
    g.ways[2].access[CR_VEHICLE_HGV] = CR_ACCESS_NO;
    g.ways[3].mode = CR_MODE_ROAD, g.ways[3].klass = CR_ROAD_MOTORWAY;
    g.ways[4].mode = CR_MODE_ROAD, g.ways[4].klass = CR_ROAD_TERTIARY;
    g.ways[4].maxspeed_fwd_kmh = 30, g.ways[4].maxspeed_bwd_kmh = 50;
    g.ways[5].mode = CR_MODE_TRANSFER, g.ways[5].osm_id = 0;
    g.ways[6].mode = CR_MODE_FERRY, g.ways[6].duration_s = 600;
    g.ways[7].mode = CR_MODE_RAIL, g.ways[7].klass = CR_RAIL_RAIL;
    g.ways[8].mode = CR_MODE_WATER, g.ways[8].klass = CR_WATER_RIVER;

    g.terminal.node = T;
    g.terminal.lon_e7 = g.lon[T], g.terminal.lat_e7 = g.lat[T];
    g.terminal.handling_time_s = CR_TERMINAL_DEFAULT;
    g.terminal.handling_cost = CR_TERMINAL_DEFAULT;
    g.terminal.modes = g.terminal.linked = 1u << CR_GROUP_ROAD;

    /* segments and both edges of each, then edges sorted by tail (counting sort) */
    for (uint32_t s = 0; s < SEGS; s++) {
        g.seg_node[2 * s] = (uint32_t)segs[s].a;
        g.seg_node[2 * s + 1] = (uint32_t)segs[s].b;
        g.seg_way[s] = (uint32_t)segs[s].way;
        g.seg_len[s] = (uint32_t)lround(segs[s].len * 100);
        g.first_shape[s] = shape;
        for (int k = 0; k < segs[s].shapes; k++, shape++) {
            g.shape_lon[shape] = lon_at(segs[s].sx[k]);
            g.shape_lat[shape] = lat_at(segs[s].sy[k]);
        }
        for (uint32_t d = 0; d < 2; d++) {
            tails[m] = g.seg_node[2 * s + d];
            segof[m] = s;
            back[m] = d;
            m++;
        }
    }
    g.first_shape[SEGS] = shape;
    for (uint32_t e = 0; e < m; e++)
        g.first_out[tails[e] + 1]++;
    for (int n = 0; n < NODES; n++)
        g.first_out[n + 1] += g.first_out[n];
    uint32_t next[NODES];
    memcpy(next, g.first_out, sizeof next);
    for (uint32_t i = 0; i < m; i++) {
        uint32_t e = next[tails[i]]++, s = segof[i];
        g.head[e] = g.seg_node[2 * s + (back[i] ? 0 : 1)];
        g.edge_segment[e] = s | (back[i] ? CR_SEGMENT_REVERSED : 0);
        g.seg_edge[2 * s + back[i]] = e;
    }

    struct cr_graph_view *v = &g.v;
    v->node_count = NODES, v->edge_count = m, v->segment_count = SEGS, v->way_count = WAYS;
    v->shape_count = shape, v->terminal_count = 1, v->restriction_count = 0;
    v->strings_size = 1;
    v->lon_e7 = g.lon, v->lat_e7 = g.lat, v->osm_id = g.osm;
    v->group = g.group, v->barrier = g.barrier, v->node_flags = g.flags;
    v->first_out = g.first_out, v->head = g.head, v->edge_segment = g.edge_segment;
    v->segment_way = g.seg_way, v->segment_length_cm = g.seg_len;
    v->segment_node = g.seg_node, v->segment_edge = g.seg_edge;
    v->segment_first_shape = g.first_shape;
    v->shape_lon_e7 = g.shape_lon, v->shape_lat_e7 = g.shape_lat;
    v->ways = g.ways, v->terminals = &g.terminal, v->strings = g.strings, v->meta = "{}";

    struct cr_error err = { 0 };
    if (cr_graph_validate(v, "tiny", &err))
        fail_msg("hand-made graph: %s", err.msg);
}

/* The edge from A to B. */
static uint32_t
edge(int a, int b)
{
    for (uint32_t e = g.first_out[a]; e < g.first_out[a + 1]; e++)
        if (g.head[e] == (uint32_t)b)
            return e;
    fail_msg("no edge %d->%d", a, b);
    return CR_NO_EDGE;
}

/* ---- shipped profiles ----------------------------------------------------------------------- */

static void
shipped_profiles_load(void **state)
{
    static const struct {
        const char *name;
        unsigned modes;
        int vehicle;
    } cases[] = {
        { "car", 1u << CR_MODE_ROAD | 1u << CR_MODE_FERRY, CR_VEHICLE_CAR },
        { "motorcycle", 1u << CR_MODE_ROAD | 1u << CR_MODE_FERRY, CR_VEHICLE_MOTORCYCLE },
        { "truck", 1u << CR_MODE_ROAD | 1u << CR_MODE_FERRY, CR_VEHICLE_HGV },
        { "rail", 1u << CR_MODE_RAIL, -1 },
        { "barge", 1u << CR_MODE_WATER, CR_VEHICLE_BOAT },
        { "freight", 0x1f, CR_VEHICLE_HGV },
    };
    struct cr_profile p;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        load(cases[i].name, &p);
        if (strcmp(p.name, cases[i].name) != 0 || p.modes != cases[i].modes ||
            (cases[i].vehicle >= 0 && p.vehicle != cases[i].vehicle))
            fail_msg("%s: name %s, modes %#x, vehicle %d", cases[i].name, p.name, p.modes,
                     p.vehicle);
        assert_string_equal(p.currency, "VND");
        assert_false(cr_profile_dims_changed(&p));
        assert_false(p.left_hand_traffic);
    }
    load("motorcycle", &p); /* base car: what it does not set comes from car.json */
    assert_false(p.road_class_allowed[CR_ROAD_MOTORWAY]);
    assert_false(p.road_class_allowed[CR_ROAD_MOTORWAY_LINK]);
    assert_true(p.road_class_allowed[CR_ROAD_TRUNK]);
    assert_true(p.barrier_passable[CR_BARRIER_BOLLARD]);
    assert_true(p.maxspeed_factor == 0.8);
    assert_true(p.max_speed_kmh == 70);
    load("truck", &p);
    assert_int_equal(p.dims.height_cm, 400);
    assert_int_equal(p.dims.width_cm, 250);
    assert_int_equal(p.dims.length_cm, 1650);
    assert_int_equal(p.dims.weight_kg, 40000);
    assert_int_equal(p.dims.axleload_kg, 10000);
    assert_int_equal(p.dims.hazmat, 0);
    load("freight", &p); /* base truck */
    assert_int_equal(p.max_transfers, 2);
    assert_int_equal(p.dims.height_cm, 400);
    assert_true(p.transfer_time_s == 7200);
    assert_true(p.transfer_cost > 0);
    assert_true(p.cost_per_km[CR_MODE_WATER] < p.cost_per_km[CR_MODE_RAIL]);
    assert_true(p.co2_kg_per_tkm[CR_MODE_RAIL] < p.co2_kg_per_tkm[CR_MODE_ROAD]);
    /* by path, too */
    struct cr_error err = { 0 };
    assert_int_equal(cr_profile_load(CR_SOURCE_PROFILE_DIR "/barge.json", NULL, &p, &err), CR_OK);
    assert_string_equal(p.name, "barge");
}

static void
default_dir(void **state)
{
    (void)state;
    setenv("CORRIDOR_PROFILES", "/somewhere/profiles", 1);
    assert_string_equal(cr_profile_default_dir(), "/somewhere/profiles");
    unsetenv("CORRIDOR_PROFILES");
    const char *dir = cr_profile_default_dir();
    assert_non_null(dir);
    assert_true(dir[0] != '\0');
#ifndef CR_PROFILE_DIR
    assert_string_equal(dir, CR_SOURCE_PROFILE_DIR);
#endif
}

static void
metric_names(void **state)
{
    (void)state;
    for (int m = 0; m < CR_METRIC_COUNT; m++)
        assert_int_equal(cr_metric_parse(cr_metric_name((enum cr_metric)m)), m);
    assert_int_equal(cr_metric_parse("speed"), -1);
    assert_int_equal(cr_metric_parse(NULL), -1);
}

/* ---- reading errors ------------------------------------------------------------------------- */

static void
syntax_error_names_line(void **state)
{
    (void)state;
    write_file("bad.json", "{\n  \"modes\": [\"road\",\n  ]\n}\n");
    expect_error("bad", CR_EFORMAT, "bad.json:3:");
    write_file("dup.json", "{\n  \"payload_t\": 1,\n  \"payload_t\": 2\n}\n");
    expect_error("dup", CR_EFORMAT, "dup.json:3:");
    write_file("array.json", "[1, 2]\n");
    expect_error("array", CR_EFORMAT, "array.json: a profile must be a JSON object");
    expect_error("nonexistent", CR_ENOTFOUND, "nonexistent.json");
}

static void
unknown_and_wrong_keys(void **state)
{
    static const struct {
        const char *text, *needle;
    } cases[] = {
        { "{\"max_sped_kmh\": 50}", "unknown key \"max_sped_kmh\"" },
        { "{\"road_speed_kmh\": {\"motorwy\": 80}}", "unknown road class \"motorwy\"" },
        { "{\"rail_speed_kmh\": {\"tram\": 20}}", "unknown rail class \"tram\"" },
        { "{\"cost_per_km\": {\"truck\": 1}}", "unknown mode \"truck\"" },
        { "{\"access_allowed\": {\"unknown\": false}}", "unknown access value \"unknown\"" },
        { "{\"barrier_passable\": {\"wall\": true}}", "unknown barrier \"wall\"" },
        { "{\"vehicle_dims\": {\"height\": 4}}", "unknown key \"height\"" },
        { "{\"payload_t\": \"20\"}", "\"payload_t\" must be a number" },
        { "{\"left_hand_traffic\": 0}", "\"left_hand_traffic\" must be true or false" },
        { "{\"road_class_allowed\": {\"track\": 1}}", "\"road_class_allowed.track\" must be true" },
        { "{\"road_speed_kmh\": {\"primary\": -5}}", "\"road_speed_kmh.primary\" is -5" },
        { "{\"road_speed_kmh\": [50]}", "\"road_speed_kmh\" must be an object" },
        { "{\"modes\": [\"road\", \"air\"]}", "\"modes\"[1]: not a mode" },
        { "{\"modes\": []}", "\"modes\" must be a non-empty array" },
        { "{\"vehicle\": \"bus\"}", "\"vehicle\" must be one of" },
        { "{\"max_transfers\": 1.5}", "\"max_transfers\" must be a whole number" },
        { "{\"vehicle_dims\": {\"height_m\": 40}}", "\"vehicle_dims.height_m\" is 40" },
        { "{\"name\": \"a-name-much-longer-than-thirty-one-chars\"}", "\"name\" must be 1 to 31" },
        { "{\"base\": 7}", "\"base\" must be a string" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file("wrong.json", cases[i].text);
        struct cr_profile p;
        struct cr_error err;
        if (load_tmp("wrong", &p, &err) != CR_EINVAL || !strstr(err.msg, cases[i].needle) ||
            !strstr(err.msg, "wrong.json"))
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].text, err.msg, cases[i].needle);
    }
}

static void
comments_and_defaults(void **state)
{
    struct cr_profile p, d;
    struct cr_error err;

    (void)state;
    write_file("empty.json", "{}");
    assert_int_equal(load_tmp("empty", &p, &err), CR_OK);
    cr_profile_defaults(&d);
    assert_string_equal(p.name, "empty"); /* the file's name when "name" is not given */
    assert_int_equal(p.modes, d.modes);
    assert_int_equal(p.vehicle, d.vehicle);
    assert_memory_equal(p.road_class_allowed, d.road_class_allowed, sizeof p.road_class_allowed);
    assert_memory_equal(p.road_speed_kmh, d.road_speed_kmh, sizeof p.road_speed_kmh);
    assert_memory_equal(p.cost_per_km, d.cost_per_km, sizeof p.cost_per_km);
    assert_true(p.turn_penalty_s == d.turn_penalty_s && p.u_turn_s == d.u_turn_s);
    /* car.json restates the built-in defaults (docs/profiles.md says "{}" is a car) */
    struct cr_profile car;
    load("car", &car);
    assert_int_equal(car.modes, d.modes);
    assert_int_equal(car.vehicle, d.vehicle);
    assert_memory_equal(car.road_class_allowed, d.road_class_allowed, sizeof d.road_class_allowed);
    assert_memory_equal(car.access_allowed, d.access_allowed, sizeof d.access_allowed);
    assert_memory_equal(car.barrier_passable, d.barrier_passable, sizeof d.barrier_passable);
    for (int c = 0; c < CR_ROAD_CLASS_COUNT; c++)
        assert_true(car.road_speed_kmh[c] == d.road_speed_kmh[c]);
    for (int m = 0; m < CR_MODE_COUNT; m++)
        assert_true(car.cost_per_km[m] == d.cost_per_km[m] &&
                    car.cost_per_hour[m] == d.cost_per_hour[m] &&
                    car.co2_kg_per_tkm[m] == d.co2_kg_per_tkm[m]);
    assert_true(car.maxspeed_factor == d.maxspeed_factor && car.max_speed_kmh == d.max_speed_kmh &&
                car.ferry_speed_kmh == d.ferry_speed_kmh &&
                car.unpaved_factor == d.unpaved_factor &&
                car.barrier_penalty_s == d.barrier_penalty_s &&
                car.traffic_signal_s == d.traffic_signal_s &&
                car.turn_penalty_s == d.turn_penalty_s && car.u_turn_s == d.u_turn_s &&
                car.payload_t == d.payload_t && car.max_transfers == d.max_transfers);
    write_file("commented.json",
               "{\"_source\": \"somewhere\", \"_n\": 3, \"road_speed_kmh\": {\"_why\": [1], "
               "\"primary\": 55}, \"name\": \"mine\"}");
    assert_int_equal(load_tmp("commented", &p, &err), CR_OK);
    assert_string_equal(p.name, "mine");
    assert_true(p.road_speed_kmh[CR_ROAD_PRIMARY] == 55);
    assert_true(p.road_speed_kmh[CR_ROAD_SECONDARY] == d.road_speed_kmh[CR_ROAD_SECONDARY]);
    /* a failed load leaves the profile untouched */
    write_file("half.json", "{\"payload_t\": 9, \"oops\": 1}");
    assert_int_equal(load_tmp("half", &p, &err), CR_EINVAL);
    assert_string_equal(p.name, "mine");
    assert_true(p.payload_t == d.payload_t);
}

static void
base_inheritance(void **state)
{
    struct cr_profile p;
    struct cr_error err;

    (void)state;
    write_file("parent.json", "{\"max_speed_kmh\": 70, \"turn_penalty_s\": 3, \"road_speed_kmh\": "
                              "{\"primary\": 44, \"secondary\": 33}, \"modes\": [\"road\"]}");
    write_file("child.json", "{\"base\": \"parent\", \"max_speed_kmh\": 50, \"road_speed_kmh\": "
                             "{\"primary\": 40}}");
    assert_int_equal(load_tmp("child", &p, &err), CR_OK);
    assert_string_equal(p.name, "child");
    assert_true(p.max_speed_kmh == 50);                   /* child wins */
    assert_true(p.turn_penalty_s == 3);                   /* from the base */
    assert_true(p.road_speed_kmh[CR_ROAD_PRIMARY] == 40); /* tables merge per key */
    assert_true(p.road_speed_kmh[CR_ROAD_SECONDARY] == 33);
    assert_int_equal(p.modes, 1u << CR_MODE_ROAD);

    write_file("orphan.json", "{\"base\": \"no_such_parent\"}");
    expect_error("orphan", CR_ENOTFOUND, "orphan.json: base \"no_such_parent\": no ");
    write_file("bad_parent.json", "{\"tyop\": 1}");
    write_file("bad_child.json", "{\"base\": \"bad_parent.json\"}");
    expect_error("bad_child", CR_EINVAL, "bad_parent.json: unknown key \"tyop\"");
    write_file("loop_a.json", "{\"base\": \"loop_b\"}");
    write_file("loop_b.json", "{\"base\": \"loop_a\"}");
    expect_error("loop_a", CR_EINVAL, "a loop?");
}

/* ---- cr_profile_set_vehicle ----------------------------------------------------------------- */

static void
set_vehicle_table(void **state)
{
    static const struct {
        const char *spec;
        enum cr_status rc;
        uint16_t height_cm, width_cm, length_cm;
        uint32_t weight_kg, axleload_kg;
        uint8_t hazmat;
        const char *needle; /* in the message, for errors */
    } cases[] = {
        { "height=4.2,width=2.55,length=16.5,weight=30,axleload=10,hazmat=yes", CR_OK, 420, 255,
          1650, 30000, 10000, 1, NULL },
        { "height=3", CR_OK, 300, 250, 1650, 40000, 10000, 0, NULL },
        { "weight=7.5, hazmat=no", CR_OK, 400, 250, 1650, 7500, 10000, 0, NULL },
        { "", CR_OK, 400, 250, 1650, 40000, 10000, 0, NULL },
        { "height=4,2", CR_EINVAL, 0, 0, 0, 0, 0, 0, "\"2\" is not key=value" },
        { "height=4,5", CR_EINVAL, 0, 0, 0, 0, 0, 0, "not key=value" },
        { "heigth=4", CR_EINVAL, 0, 0, 0, 0, 0, 0, "unknown key \"heigth\"" },
        { "height=-4", CR_EINVAL, 0, 0, 0, 0, 0, 0, "height \"-4\" is not a number" },
        { "height=+4", CR_EINVAL, 0, 0, 0, 0, 0, 0, "is not a number" },
        { "height=4m", CR_EINVAL, 0, 0, 0, 0, 0, 0, "height \"4m\" is not a number in m" },
        { "height=.5", CR_EINVAL, 0, 0, 0, 0, 0, 0, "is not a number" },
        { "height=5.", CR_EINVAL, 0, 0, 0, 0, 0, 0, "is not a number" },
        { "height=1e1", CR_EINVAL, 0, 0, 0, 0, 0, 0, "is not a number" },
        { "height=", CR_EINVAL, 0, 0, 0, 0, 0, 0, "is not a number" },
        { "height=0", CR_EINVAL, 0, 0, 0, 0, 0, 0, "height 0 m out of range" },
        { "height=12", CR_EINVAL, 0, 0, 0, 0, 0, 0, "height 12 m out of range" },
        { "weight=0.0001", CR_EINVAL, 0, 0, 0, 0, 0, 0, "out of range" },
        { "weight=2000", CR_EINVAL, 0, 0, 0, 0, 0, 0, "weight 2000 t out of range" },
        { "axleload=101", CR_EINVAL, 0, 0, 0, 0, 0, 0, "axleload 101 t" },
        { "hazmat=maybe", CR_EINVAL, 0, 0, 0, 0, 0, 0, "hazmat \"maybe\": want yes or no" },
        { "height=4,height=3", CR_EINVAL, 0, 0, 0, 0, 0, 0, "\"height\" given twice" },
        { "height=4,", CR_EINVAL, 0, 0, 0, 0, 0, 0, "not key=value" },
        { "height", CR_EINVAL, 0, 0, 0, 0, 0, 0, "\"height\" is not key=value" },
    };
    struct cr_profile truck, p;

    (void)state;
    load("truck", &truck);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_error err = { 0 };
        p = truck;
        enum cr_status rc = cr_profile_set_vehicle(&p, cases[i].spec, &err);
        if (rc != cases[i].rc)
            fail_msg("\"%s\": status %d (%s), want %d", cases[i].spec, rc, err.msg, cases[i].rc);
        if (rc != CR_OK) {
            if (!strstr(err.msg, cases[i].needle))
                fail_msg("\"%s\": message \"%s\" lacks \"%s\"", cases[i].spec, err.msg,
                         cases[i].needle);
            assert_memory_equal(&p.dims, &truck.dims, sizeof p.dims); /* untouched */
            continue;
        }
        if (p.dims.height_cm != cases[i].height_cm || p.dims.width_cm != cases[i].width_cm ||
            p.dims.length_cm != cases[i].length_cm || p.dims.weight_kg != cases[i].weight_kg ||
            p.dims.axleload_kg != cases[i].axleload_kg || p.dims.hazmat != cases[i].hazmat)
            fail_msg("\"%s\": got %u cm %u cm %u cm %u kg %u kg hazmat %u", cases[i].spec,
                     p.dims.height_cm, p.dims.width_cm, p.dims.length_cm, p.dims.weight_kg,
                     p.dims.axleload_kg, p.dims.hazmat);
        assert_int_equal(cr_profile_dims_changed(&p), cases[i].spec[0] != '\0');
    }
}

/* ---- the rules on the tiny graph ------------------------------------------------------------ */

static void
tiny_limits_and_access(void **state)
{
    struct cr_profile car, moto, truck;
    struct cr_error err = { 0 };

    (void)state;
    tiny_build();
    load("car", &car);
    load("motorcycle", &moto);
    load("truck", &truck);

    /* maxheight 3.5 m on J-N: a 4.0 m truck may not pass, a 3.0 m one may */
    assert_false(cr_profile_edge_allowed(&truck, &g.v, edge(J, N)));
    assert_false(cr_profile_edge_allowed(&truck, &g.v, edge(N, J)));
    assert_int_equal(cr_profile_edge_weight(&truck, &g.v, edge(J, N), CR_METRIC_TIME),
                     CR_WEIGHT_INF);
    assert_int_equal(cr_profile_set_vehicle(&truck, "height=3.0", &err), CR_OK);
    assert_true(cr_profile_edge_allowed(&truck, &g.v, edge(J, N)));
    assert_true(cr_profile_dims_changed(&truck));
    assert_int_equal(cr_profile_set_vehicle(&truck, "height=3.5", &err), CR_OK); /* equal: ok */
    assert_true(cr_profile_edge_allowed(&truck, &g.v, edge(J, N)));
    assert_int_equal(cr_profile_set_vehicle(&truck, "height=3.51", &err), CR_OK);
    assert_false(cr_profile_edge_allowed(&truck, &g.v, edge(J, N)));
    assert_true(cr_profile_edge_allowed(&car, &g.v, edge(J, N))); /* car has no height */

    /* hgv=no on J-E */
    assert_false(cr_profile_edge_allowed(&truck, &g.v, edge(J, E)));
    assert_true(cr_profile_edge_allowed(&car, &g.v, edge(J, E)));
    assert_true(cr_profile_edge_allowed(&moto, &g.v, edge(J, E)));

    /* motorway J-W: no motorcycles in Vietnam */
    assert_false(cr_profile_edge_allowed(&moto, &g.v, edge(J, W)));
    assert_true(cr_profile_edge_allowed(&car, &g.v, edge(J, W)));
    assert_true(cr_profile_edge_allowed(&truck, &g.v, edge(J, W)));

    /* other modes: a road profile uses ferries but no rail, water or transfer edges */
    assert_true(cr_profile_edge_allowed(&car, &g.v, edge(E, F)));
    assert_false(cr_profile_edge_allowed(&car, &g.v, edge(R1, R2)));
    assert_false(cr_profile_edge_allowed(&car, &g.v, edge(W1, W2)));
    assert_false(cr_profile_edge_allowed(&car, &g.v, edge(E, T)));

    /* flags and limits set on the way records one at a time */
    struct cr_way_attr *w0 = &g.ways[0], saved = *w0;
    struct cr_profile t2;
    load("truck", &t2);
    uint32_t e = edge(S, J);
    assert_true(cr_profile_edge_allowed(&t2, &g.v, e));
    w0->maxweight_kg = 30000;
    assert_false(cr_profile_edge_allowed(&t2, &g.v, e));
    assert_true(cr_profile_edge_allowed(&car, &g.v, e));
    *w0 = saved, w0->maxaxleload_kg = 8000;
    assert_false(cr_profile_edge_allowed(&t2, &g.v, e));
    *w0 = saved, w0->maxwidth_cm = 240;
    assert_false(cr_profile_edge_allowed(&t2, &g.v, e));
    *w0 = saved, w0->maxlength_cm = 1200;
    assert_false(cr_profile_edge_allowed(&t2, &g.v, e));
    *w0 = saved, w0->flags = CR_WAY_HAZMAT_NO;
    assert_true(cr_profile_edge_allowed(&t2, &g.v, e));
    assert_int_equal(cr_profile_set_vehicle(&t2, "hazmat=yes", &err), CR_OK);
    assert_false(cr_profile_edge_allowed(&t2, &g.v, e));
    *w0 = saved, w0->flags = CR_WAY_REVERSIBLE;
    assert_false(cr_profile_edge_allowed(&car, &g.v, e));
    *w0 = saved, w0->access[CR_VEHICLE_CAR] = CR_ACCESS_DESTINATION;
    assert_true(cr_profile_edge_allowed(&car, &g.v, e));
    assert_true(cr_profile_edge_destination_only(&car, &g.v, e));
    /* private: allowed, but only to reach (the turn graph keeps through traffic out) */
    w0->access[CR_VEHICLE_CAR] = CR_ACCESS_PRIVATE;
    assert_true(cr_profile_edge_allowed(&car, &g.v, e));
    assert_true(cr_profile_edge_destination_only(&car, &g.v, e));
    assert_true(cr_profile_edge_allowed(&moto, &g.v, e)); /* the motorcycle slot is unknown */
    assert_false(cr_profile_edge_destination_only(&moto, &g.v, e));
    load("truck", &t2);
    assert_true(cr_profile_edge_allowed(&t2, &g.v, e)); /* hgv unknown: the car slot decides */
    assert_true(cr_profile_edge_destination_only(&t2, &g.v, e));
    w0->access[CR_VEHICLE_HGV] = CR_ACCESS_YES;
    assert_true(cr_profile_edge_allowed(&t2, &g.v, e));
    assert_false(cr_profile_edge_destination_only(&t2, &g.v, e));
    *w0 = saved;
}

static void
tiny_times_and_weights(void **state)
{
    struct cr_profile car, freight, rail, barge;
    struct cr_edge_cost c;

    (void)state;
    tiny_build();
    load("car", &car);
    load("freight", &freight);
    load("rail", &rail);
    load("barge", &barge);

    /* N->X is 100 m of tertiary with maxspeed 30 forward, 50 backward */
    const uint32_t nx = edge(N, X), xn = edge(X, N);
    double fwd = fmin(car.road_speed_kmh[CR_ROAD_TERTIARY], 30 * car.maxspeed_factor);
    double bwd = fmin(car.road_speed_kmh[CR_ROAD_TERTIARY], 50 * car.maxspeed_factor);
    assert_true(fabs(cr_profile_edge_time_s(&car, &g.v, nx) - 360 / fwd) < 1e-9);
    assert_true(fabs(cr_profile_edge_time_s(&car, &g.v, xn) - 360 / bwd) < 1e-9);
    car.maxspeed_factor = 1; /* min(class 40, maxspeed 30) = 30 km/h: 12 s */
    car.road_speed_kmh[CR_ROAD_TERTIARY] = 40;
    assert_true(fabs(cr_profile_edge_time_s(&car, &g.v, nx) - 12) < 1e-9);
    assert_int_equal(cr_profile_edge_weight(&car, &g.v, nx, CR_METRIC_TIME), 120);
    assert_true(fabs(cr_profile_edge_time_s(&car, &g.v, xn) - 9) < 1e-9); /* 40 km/h */
    car.maxspeed_factor = 0;                                              /* 0 ignores maxspeed */
    assert_true(fabs(cr_profile_edge_time_s(&car, &g.v, nx) - 9) < 1e-9);
    car.max_speed_kmh = 20; /* the vehicle's own cap */
    assert_true(fabs(cr_profile_edge_time_s(&car, &g.v, nx) - 18) < 1e-9);
    car.max_speed_kmh = 0;
    g.ways[4].maxspeed_fwd_kmh = CR_SPEED_NONE; /* "none": class speed */
    car.maxspeed_factor = 1;
    assert_true(fabs(cr_profile_edge_time_s(&car, &g.v, nx) - 9) < 1e-9);
    g.ways[4].flags = CR_WAY_UNPAVED; /* 40 km/h * 0.5 */
    car.unpaved_factor = 0.5;
    assert_true(fabs(cr_profile_edge_time_s(&car, &g.v, nx) - 18) < 1e-9);
    tiny_build();
    load("car", &car);

    /* integer weights: 100 m = 1000 dm; cost and co2 rounded */
    cr_profile_edge_cost(&car, &g.v, nx, &c);
    assert_true(fabs(c.distance_m - 100) < 1e-9);
    assert_true(fabs(c.cost - car.cost_per_km[CR_MODE_ROAD] * 0.1 -
                     car.cost_per_hour[CR_MODE_ROAD] * c.time_s / 3600) < 1e-6);
    assert_true(fabs(c.co2_kg - car.co2_kg_per_tkm[CR_MODE_ROAD] * car.payload_t * 0.1) < 1e-12);
    assert_int_equal(cr_profile_edge_weight(&car, &g.v, nx, CR_METRIC_DISTANCE), 1000);
    assert_int_equal(cr_profile_edge_weight(&car, &g.v, nx, CR_METRIC_TIME),
                     (uint32_t)lround(c.time_s * 10));
    assert_int_equal(cr_profile_edge_weight(&car, &g.v, nx, CR_METRIC_COST),
                     (uint32_t)lround(c.cost));
    assert_int_equal(cr_profile_edge_weight(&car, &g.v, nx, CR_METRIC_CO2),
                     (uint32_t)lround(c.co2_kg * 1000));
    struct cr_profile tiny_cost = car; /* small values round up to 1, never 0 */
    tiny_cost.cost_per_km[CR_MODE_ROAD] = 0.001;
    tiny_cost.co2_kg_per_tkm[CR_MODE_ROAD] = 0;
    assert_int_equal(cr_profile_edge_weight(&tiny_cost, &g.v, nx, CR_METRIC_COST), 1);
    assert_int_equal(cr_profile_edge_weight(&tiny_cost, &g.v, nx, CR_METRIC_CO2), 1);
    g.seg_len[4] = 3; /* 3 cm: 0.3 dm -> 1 */
    assert_int_equal(cr_profile_edge_weight(&car, &g.v, nx, CR_METRIC_DISTANCE), 1);
    assert_int_equal(cr_profile_edge_weight(&car, &g.v, nx, CR_METRIC_TIME), 1);
    g.seg_len[4] = 10000;
    for (int m = 0; m < CR_METRIC_COUNT; m++) /* not allowed: INF for every metric */
        assert_int_equal(cr_profile_edge_weight(&car, &g.v, edge(R1, R2), (enum cr_metric)m),
                         CR_WEIGHT_INF);

    /* ferry with duration=10 min: 600 s whatever its length */
    assert_true(cr_profile_edge_time_s(&car, &g.v, edge(E, F)) == 600);
    g.ways[6].duration_s = 0; /* 300 m at ferry_speed_kmh */
    assert_true(fabs(cr_profile_edge_time_s(&car, &g.v, edge(E, F)) -
                     300 * 3.6 / car.ferry_speed_kmh) < 1e-9);
    g.ways[6].duration_s = 600;

    /* rail and water */
    assert_true(cr_profile_edge_allowed(&rail, &g.v, edge(R1, R2)));
    assert_false(cr_profile_edge_allowed(&rail, &g.v, edge(S, J)));
    assert_true(fabs(cr_profile_edge_time_s(&rail, &g.v, edge(R1, R2)) -
                     1000 * 3.6 / rail.rail_speed_kmh[CR_RAIL_RAIL]) < 1e-9);
    g.ways[7].maxspeed_fwd_kmh = 20;
    assert_true(fabs(cr_profile_edge_time_s(&rail, &g.v, edge(R1, R2)) - 180) < 1e-9);
    g.ways[7].maxspeed_fwd_kmh = 0;
    g.ways[7].klass = CR_RAIL_LIGHT_RAIL; /* speed 0 in rail.json: no freight on light rail */
    assert_false(cr_profile_edge_allowed(&rail, &g.v, edge(R1, R2)));
    g.ways[7].klass = CR_RAIL_RAIL;
    assert_true(cr_profile_edge_allowed(&barge, &g.v, edge(W1, W2)));
    assert_false(cr_profile_edge_allowed(&barge, &g.v, edge(R1, R2)));
    assert_true(fabs(cr_profile_edge_time_s(&barge, &g.v, edge(W2, W1)) -
                     2000 * 3.6 / barge.water_speed_kmh[CR_WATER_RIVER]) < 1e-9);
    g.ways[8].access[CR_VEHICLE_BOAT] = CR_ACCESS_NO;
    assert_false(cr_profile_edge_allowed(&barge, &g.v, edge(W1, W2)));
    g.ways[8].access[CR_VEHICLE_BOAT] = CR_ACCESS_UNKNOWN;
    cr_profile_edge_cost(&barge, &g.v, edge(W1, W2), &c);
    assert_true(fabs(c.co2_kg - 0.03 * 20 * 2) < 1e-9);

    /* transfer: handling time and cost once, on the edge leaving the terminal */
    const uint32_t in = edge(E, T), out = edge(T, E);
    assert_true(cr_profile_edge_allowed(&freight, &g.v, in));
    assert_true(cr_profile_edge_time_s(&freight, &g.v, in) == 0);
    assert_int_equal(cr_profile_edge_weight(&freight, &g.v, in, CR_METRIC_TIME), 1);
    assert_int_equal(cr_profile_edge_weight(&freight, &g.v, in, CR_METRIC_COST), 1);
    assert_true(cr_profile_edge_time_s(&freight, &g.v, out) == freight.transfer_time_s);
    cr_profile_edge_cost(&freight, &g.v, out, &c);
    assert_true(fabs(c.cost - freight.transfer_cost -
                     freight.cost_per_hour[CR_MODE_TRANSFER] * freight.transfer_time_s / 3600) <
                1e-6);
    g.ways[5].duration_s = 1800; /* the terminal's own handling time and cost */
    g.terminal.handling_cost = 250000;
    assert_true(cr_profile_edge_time_s(&freight, &g.v, out) == 1800);
    cr_profile_edge_cost(&freight, &g.v, out, &c);
    assert_true(fabs(c.cost - 250000 - freight.cost_per_hour[CR_MODE_TRANSFER] / 2) < 1e-6);
    g.ways[5].duration_s = 0;
    g.terminal.handling_cost = CR_TERMINAL_DEFAULT;
}

static void
tiny_turns(void **state)
{
    struct cr_profile car, rail, barge;

    (void)state;
    tiny_build();
    load("car", &car);
    load("rail", &rail);
    load("barge", &barge);

    const uint32_t sj = edge(S, J);
    double straight = cr_profile_turn_penalty_s(&car, &g.v, sj, edge(J, N));
    double left = cr_profile_turn_penalty_s(&car, &g.v, sj, edge(J, W));
    double right = cr_profile_turn_penalty_s(&car, &g.v, sj, edge(J, E));
    double uturn = cr_profile_turn_penalty_s(&car, &g.v, sj, edge(J, S));

    /* S->J ends heading north (its last shape point is due south of J) and J->N starts north:
     * walking either shape the wrong way would bend this by about 45 degrees */
    if (!(straight >= 0 && straight < 0.05 * car.turn_penalty_s))
        fail_msg("straight on costs %g s", straight);
    /* right-hand traffic: left (across traffic) dearer than right; 90 degrees left = full */
    assert_true(fabs(left - car.turn_penalty_s) < 0.05 * car.turn_penalty_s);
    assert_true(right > straight && right < 0.5 * left);
    assert_true(uturn == car.u_turn_s);
    car.u_turn_s = -1;
    assert_true(cr_profile_turn_penalty_s(&car, &g.v, sj, edge(J, S)) < 0);

    car.left_hand_traffic = 1; /* mirrored */
    double lh_left = cr_profile_turn_penalty_s(&car, &g.v, sj, edge(J, W));
    double lh_right = cr_profile_turn_penalty_s(&car, &g.v, sj, edge(J, E));
    assert_true(fabs(lh_left - right) < 1e-9 && fabs(lh_right - left) < 1e-9);

    /* at N only two roads meet (J-N, N-X): no junction, no turn penalty */
    assert_true(cr_profile_turn_penalty_s(&car, &g.v, edge(J, N), edge(N, X)) == 0);

    /* rail: straight on free, doubling back through a switch is a reversal */
    assert_true(cr_profile_turn_penalty_s(&rail, &g.v, edge(R1, R2), edge(R2, R4)) == 0);
    assert_true(cr_profile_turn_penalty_s(&rail, &g.v, edge(R1, R2), edge(R2, R3)) ==
                rail.rail_reverse_s);
    assert_true(cr_profile_turn_penalty_s(&rail, &g.v, edge(R1, R2), edge(R2, R1)) ==
                rail.rail_reverse_s);
    rail.rail_reverse_s = -1;
    assert_true(cr_profile_turn_penalty_s(&rail, &g.v, edge(R1, R2), edge(R2, R3)) < 0);
    /* water U-turn */
    assert_true(cr_profile_turn_penalty_s(&barge, &g.v, edge(W1, W2), edge(W2, W1)) ==
                barge.u_turn_s);

    /* penalties as weights */
    assert_int_equal(cr_profile_penalty_weight(&car, 7.5, CR_METRIC_TIME), 75);
    assert_int_equal(cr_profile_penalty_weight(&car, 7.5, CR_METRIC_DISTANCE), 0);
    assert_int_equal(cr_profile_penalty_weight(&car, -1, CR_METRIC_TIME), CR_WEIGHT_INF);
    struct cr_profile truck;
    load("truck", &truck);
    assert_int_equal(cr_profile_penalty_weight(&truck, 36, CR_METRIC_COST),
                     (uint32_t)lround(truck.cost_per_hour[CR_MODE_ROAD] / 100));
}

static void
tiny_nodes(void **state)
{
    struct cr_profile car, moto, truck, barge;

    (void)state;
    tiny_build();
    load("car", &car);
    load("motorcycle", &moto);
    load("truck", &truck);
    load("barge", &barge);

    /* bollard at X: cars no, motorcycles yes (Vietnamese alleys) */
    assert_true(cr_profile_node_penalty_s(&car, &g.v, X) < 0);
    assert_true(cr_profile_node_penalty_s(&truck, &g.v, X) < 0);
    assert_true(cr_profile_node_penalty_s(&moto, &g.v, X) == moto.barrier_penalty_s);
    g.flags[X] = CR_NODE_BARRIER_OPEN; /* motor_vehicle=yes on the bollard */
    assert_true(cr_profile_node_penalty_s(&car, &g.v, X) == car.barrier_penalty_s);
    g.flags[X] = CR_NODE_BARRIER_CLOSED;
    assert_true(cr_profile_node_penalty_s(&moto, &g.v, X) < 0);
    g.barrier[X] = CR_BARRIER_GATE, g.flags[X] = 0;
    assert_true(cr_profile_node_penalty_s(&car, &g.v, X) == car.barrier_penalty_s);
    g.barrier[X] = CR_BARRIER_CHAIN;
    assert_true(cr_profile_node_penalty_s(&moto, &g.v, X) < 0);
    /* signals at J, lock gate at W2, nothing at N */
    assert_true(cr_profile_node_penalty_s(&car, &g.v, J) == car.traffic_signal_s);
    assert_true(cr_profile_node_penalty_s(&car, &g.v, N) == 0);
    assert_true(cr_profile_node_penalty_s(&barge, &g.v, W2) == barge.lock_s);
}

/* ---- the imported Krems extract ------------------------------------------------------------- */

static void
krems_allowed_edges(void **state)
{
    static const char *const names[] = { "car", "motorcycle", "truck", "rail", "barge", "freight" };
    char out[128];
    struct cr_import_options opt = { 0 };
    struct cr_import_stats stats;
    struct cr_error err = { 0 };
    uint32_t allowed[6][CR_MODE_COUNT] = { { 0 } };

    (void)state;
    snprintf(out, sizeof out, "%s/krems.corr", tmpdir);
    if (cr_osm_import(KREMS, out, &opt, &stats, &err) != CR_OK)
        fail_msg("%s", err.msg);
    struct cr_graph *graph = cr_graph_open(out, &err);
    if (!graph)
        fail_msg("%s", err.msg);
    const struct cr_graph_view *v = cr_graph_view(graph);

    for (size_t i = 0; i < 6; i++) {
        struct cr_profile p;
        load(names[i], &p);
        for (uint32_t e = 0; e < v->edge_count; e++) {
            uint32_t mode = cr_graph_edge_mode(v, e);
            int ok = cr_profile_edge_allowed(&p, v, e);
            if (!ok)
                continue;
            allowed[i][mode]++;
            for (int m = 0; m < CR_METRIC_COUNT; m++) {
                uint32_t w = cr_profile_edge_weight(&p, v, e, (enum cr_metric)m);
                if (w == 0 || w == CR_WEIGHT_INF)
                    fail_msg("%s: edge %u (%s): %s weight %u", names[i], e,
                             cr_mode_name((enum cr_mode)mode), cr_metric_name((enum cr_metric)m),
                             w);
            }
        }
        /* every turn at every node has a defined penalty (no NaN) */
        for (uint32_t u = 0; u < v->node_count; u++) {
            double np = cr_profile_node_penalty_s(&p, v, u);
            assert_false(isnan(np));
            for (uint32_t in = v->first_out[u]; in < v->first_out[u + 1]; in++) {
                uint32_t via = v->head[in];
                for (uint32_t o = v->first_out[via]; o < v->first_out[via + 1]; o++) {
                    double t = cr_profile_turn_penalty_s(&p, v, in, o);
                    if (isnan(t) || t > 86400)
                        fail_msg("%s: turn %u->%u: %g", names[i], in, o, t);
                }
            }
        }
        print_message("krems %-10s road %u ferry %u rail %u water %u transfer %u\n", names[i],
                      allowed[i][CR_MODE_ROAD], allowed[i][CR_MODE_FERRY], allowed[i][CR_MODE_RAIL],
                      allowed[i][CR_MODE_WATER], allowed[i][CR_MODE_TRANSFER]);
    }
    /* car, motorcycle, truck: roads only */
    for (int i = 0; i < 3; i++) {
        assert_true(allowed[i][CR_MODE_ROAD] > 0);
        assert_int_equal(
            allowed[i][CR_MODE_RAIL] + allowed[i][CR_MODE_WATER] + allowed[i][CR_MODE_TRANSFER], 0);
    }
    /* rail: only rail edges */
    assert_true(allowed[3][CR_MODE_RAIL] > 0);
    assert_int_equal(allowed[3][CR_MODE_ROAD] + allowed[3][CR_MODE_FERRY] +
                         allowed[3][CR_MODE_WATER] + allowed[3][CR_MODE_TRANSFER],
                     0);
    /* barge: only water edges */
    assert_true(allowed[4][CR_MODE_WATER] > 0);
    assert_int_equal(allowed[4][CR_MODE_ROAD] + allowed[4][CR_MODE_FERRY] +
                         allowed[4][CR_MODE_RAIL] + allowed[4][CR_MODE_TRANSFER],
                     0);
    /* freight: truck roads plus rail, water and the terminals' transfer edges */
    assert_int_equal(allowed[5][CR_MODE_ROAD], allowed[2][CR_MODE_ROAD]);
    assert_int_equal(allowed[5][CR_MODE_RAIL], allowed[3][CR_MODE_RAIL]);
    assert_int_equal(allowed[5][CR_MODE_WATER], allowed[4][CR_MODE_WATER]);
    assert_true(allowed[5][CR_MODE_TRANSFER] > 0);

    cr_graph_close(graph);
    unlink(out);
}

/* ---- main ----------------------------------------------------------------------------------- */

static const char *const tmp_files[] = {
    "bad.json",        "dup.json",       "array.json",  "wrong.json",  "empty.json",
    "commented.json",  "half.json",      "parent.json", "child.json",  "orphan.json",
    "bad_parent.json", "bad_child.json", "loop_a.json", "loop_b.json",
};

static int
setup(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/cr_test_profile_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
    char path[256];
    (void)state;
    for (size_t i = 0; i < sizeof tmp_files / sizeof tmp_files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, tmp_files[i]);
        unlink(path);
    }
    return rmdir(tmpdir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_profiles_load),
        cmocka_unit_test(default_dir),
        cmocka_unit_test(metric_names),
        cmocka_unit_test(syntax_error_names_line),
        cmocka_unit_test(unknown_and_wrong_keys),
        cmocka_unit_test(comments_and_defaults),
        cmocka_unit_test(base_inheritance),
        cmocka_unit_test(set_vehicle_table),
        cmocka_unit_test(tiny_limits_and_access),
        cmocka_unit_test(tiny_times_and_weights),
        cmocka_unit_test(tiny_turns),
        cmocka_unit_test(tiny_nodes),
        cmocka_unit_test(krems_allowed_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
