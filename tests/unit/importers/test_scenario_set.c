/* corridor scenario --set and --terminals as library calls (importers/scenario/scenario.h):
 *  - a lower maxspeed on a Krems way makes routes slower and never faster (seeded pairs);
 *  - oneway=yes removes the reverse edges: a route against the way goes round;
 *  - a way set by id routes as the same way re-tagged in OSM and imported (HCMC District 3, an
 *    OSM XML extract: the way's tags edited in a copy of the file here);
 *  - a new river landing on the Danube (a row of datasets/terminals-krems-example.csv) gives a
 *    freight route a mode change there that did not exist, as import --terminals does; a new
 *    terminal joins a new road of the same scenario;
 *  - errors: an unknown way id, a polygon matching nothing, a key that cannot be set. */
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
#include "corridor/import.h"
#include "corridor/routing.h"
#include "importers/scenario/scenario.h"

#define KREMS_PBF CR_SOURCE_DIR "/datasets/graphhopper-krems.osm.pbf"
#define HCMC_OSM CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm"
#define DIR CR_BINARY_DIR "/test_scenario_set_files"
#define KREMS DIR "/krems.corr"
#define HCMC DIR "/hcmc.corr"
#define CAR CR_SOURCE_DIR "/profiles/car.json"
#define PAIRS 120

static void
write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int
setup(void **state)
{
    struct cr_import_options opt = { 0 };
    struct cr_error err = { 0 };

    (void)state;
    if (system("mkdir -p " DIR) != 0)
        return -1;
    if (cr_osm_import(KREMS_PBF, KREMS, &opt, NULL, &err) ||
        cr_osm_import(HCMC_OSM, HCMC, &opt, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    /* the second row of datasets/terminals-krems-example.csv */
    write_text(DIR "/landing.csv", "name,lon,lat,modes,handling_time,handling_cost,kind\n"
                                   "\"Danube landing east (example)\",15.685100,48.381800,"
                                   "\"road,water\",3600,250000,quay\n");
    write_text(DIR "/far.geojson",
               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
               "\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
               "[[[15.70,48.30],[15.71,48.30],[15.71,48.31],[15.70,48.30]]]}}]}");
    return 0;
}

static enum cr_status
build_opts(struct cr_scenario_options *o, struct cr_scenario_stats *st, struct cr_error *err)
{
    unlink(o->output);
    return cr_scenario_build(o, st, err);
}

static void
build_set(const char *base, const char *out, const char *spec, struct cr_scenario_stats *st)
{
    const char *sets[1] = { spec };
    struct cr_scenario_options o = { .base = base, .output = out, .set = sets, .set_count = 1 };
    struct cr_error err = { 0 };

    if (build_opts(&o, st, &err))
        fail_msg("%s", err.msg);
}

struct side {
    struct cr_graph *g;
    struct cr_session *s;
    struct cr_router *r;
};

static void
side_open(struct side *x, const char *path, const char *profile, enum cr_metric metric)
{
    struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };

    o.ch = CR_CH_NEVER;
    o.profile = profile;
    o.metric = metric;
    assert_non_null(x->g = cr_graph_open(path, &err));
    if (!(x->s = cr_session_open(x->g, &o, &err)))
        fail_msg("%s", err.msg);
    assert_non_null(x->r = cr_session_router_create(x->s, &err));
}

static void
side_close(struct side *x)
{
    cr_router_destroy(x->r);
    cr_session_close(x->s);
    cr_graph_close(x->g);
}

/* The route from A to B, or NULL. caller frees: cr_route_destroy() */
static double duration(struct side *x, int32_t alon, int32_t alat, int32_t blon, int32_t blat);

static struct cr_route *
route(struct side *x, int32_t alon, int32_t alat, int32_t blon, int32_t blat)
{
    int32_t lon[2] = { alon, blon }, lat[2] = { alat, blat };
    struct cr_route *r = NULL;

    return cr_route_compute(x->r, lon, lat, 2, NULL, &r, NULL) ? NULL : r;
}

/* Whether (LON, LAT) snaps right there (a change that takes a node out of the largest
 * component makes it snap elsewhere: such a pair is not compared). */
static int
snaps_in_place(struct side *x, int32_t lon, int32_t lat)
{
    struct cr_nearest near;

    return cr_session_nearest(x->s, lon, lat, NULL, 1, &near, NULL) == 1 && near.distance_m < 0.01;
}

static double
duration_at_nodes(struct side *x, int32_t alon, int32_t alat, int32_t blon, int32_t blat)
{
    if (!snaps_in_place(x, alon, alat) || !snaps_in_place(x, blon, blat))
        return NAN;
    return duration(x, alon, alat, blon, blat);
}

static double
duration(struct side *x, int32_t alon, int32_t alat, int32_t blon, int32_t blat)
{
    struct cr_route *r = route(x, alon, alat, blon, blat);
    double t = r ? cr_route_duration_s(r) : NAN;

    cr_route_destroy(r);
    return t;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t
next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

/* The RANK-th longest (from 0) two-way road way usable by cars, of class at most MAX_CLASS,
 * with no maxspeed tag when UNTAGGED, one way record per OSM way; its OSM id, or 0. */
static int64_t
pick_way(const struct cr_graph_view *v, int max_class, int untagged, int rank)
{
    double *len = calloc(v->way_count + 1, sizeof *len);
    uint8_t *taken = calloc(v->way_count + 1, 1);
    int64_t id = 0;

    for (uint32_t s = 0; s < v->segment_count; s++)
        if (v->segment_edge[2 * s] != CR_NO_EDGE && v->segment_edge[2 * s + 1] != CR_NO_EDGE &&
            (v->node_flags[v->segment_node[2 * s]] & CR_NODE_LCC))
            len[v->segment_way[s]] += v->segment_length_cm[s];
    for (int r = 0; r <= rank; r++) {
        double best = 0;
        uint32_t bw = UINT32_MAX;
        for (uint32_t w = 0; w < v->way_count; w++) {
            const struct cr_way_attr *a = &v->ways[w];
            int repeated = 0;
            if (taken[w] || a->mode != CR_MODE_ROAD || a->klass > max_class ||
                (a->flags & CR_WAY_ONEWAY) || a->access[CR_VEHICLE_CAR] == CR_ACCESS_NO ||
                a->osm_id <= 0 || (untagged && a->maxspeed_fwd_kmh != CR_SPEED_UNKNOWN) ||
                len[w] <= best)
                continue;
            for (uint32_t k = 0; k < v->way_count; k++) /* one record per OSM way */
                repeated += k != w && v->ways[k].osm_id == a->osm_id;
            if (repeated)
                continue;
            best = len[w];
            bw = w;
        }
        if (bw == UINT32_MAX) {
            id = 0;
            break;
        }
        taken[bw] = 1;
        id = v->ways[bw].osm_id;
    }
    free(len);
    free(taken);
    return id;
}

/* Routes seeded pairs of LCC road nodes on both; returns how many differ; fails when AFTER is
 * faster than BEFORE (SLOWER) or when they differ at all (!SLOWER: EQUAL). */
static int
compare(const char *before_path, const char *after_path, int slower)
{
    struct side a, b;
    const struct cr_graph_view *v;
    uint32_t *nodes;
    size_t n = 0;
    int changed = 0, compared = 0;

    side_open(&a, before_path, CAR, CR_METRIC_TIME);
    side_open(&b, after_path, CAR, CR_METRIC_TIME);
    v = cr_graph_view(a.g);
    nodes = malloc(v->node_count * sizeof *nodes);
    for (uint32_t i = 0; i < v->node_count; i++)
        if (v->group[i] == CR_GROUP_ROAD && (v->node_flags[i] & CR_NODE_LCC))
            nodes[n++] = i;
    assert_true(n > 100);
    for (int i = 0; i < PAIRS; i++) {
        uint32_t p = nodes[next_rand() % n], q = nodes[next_rand() % n];
        double t0 = duration_at_nodes(&a, v->lon_e7[p], v->lat_e7[p], v->lon_e7[q], v->lat_e7[q]);
        double t1 = duration_at_nodes(&b, v->lon_e7[p], v->lat_e7[p], v->lon_e7[q], v->lat_e7[q]);
        if (isnan(t0) && isnan(t1))
            continue;
        compared++;
        if (slower && !isnan(t0) && !isnan(t1) && t1 < t0 - 1e-6)
            fail_msg("pair %d (nodes %u, %u): %.3f s before, %.3f s after (faster)", i, p, q, t0,
                     t1);
        if (!slower && !(fabs(t1 - t0) <= 1e-6))
            fail_msg("pair %d (nodes %u, %u): %.3f s re-tagged in OSM, %.3f s by --set", i, p, q,
                     t0, t1);
        changed += isnan(t0) != isnan(t1) || fabs(t1 - t0) > 1e-6;
    }
    assert_true(compared > PAIRS / 2);
    free(nodes);
    side_close(&a);
    side_close(&b);
    return changed;
}

static void
test_maxspeed_slower(void **state)
{
    struct cr_scenario_stats st;
    struct cr_graph *g;
    struct cr_error err = { 0 };
    char spec[64];
    int64_t id;

    (void)state;
    assert_non_null(g = cr_graph_open(KREMS, &err));
    id = pick_way(cr_graph_view(g), CR_ROAD_SECONDARY_LINK, 0, 0);
    cr_graph_close(g);
    assert_true(id > 0);
    snprintf(spec, sizeof spec, "way/%lld:maxspeed=10", (long long)id);
    build_set(KREMS, DIR "/slow.corr", spec, &st);
    assert_int_equal(st.ways_set, 1);
    assert_true(st.km_set > 0.2);
    assert_true(compare(KREMS, DIR "/slow.corr", 1) > 3); /* some use it */
}

/* The longest straight segment (no shape points) of way ID with both edges, in the largest
 * component, or CR_NO_EDGE. */
static uint32_t
segment_of(const struct cr_graph_view *v, int64_t id)
{
    uint32_t best = CR_NO_EDGE;

    for (uint32_t s = 0; s < v->segment_count; s++)
        if (v->ways[v->segment_way[s]].osm_id == id && v->segment_edge[2 * s] != CR_NO_EDGE &&
            v->segment_edge[2 * s + 1] != CR_NO_EDGE &&
            v->segment_first_shape[s + 1] == v->segment_first_shape[s] &&
            (v->node_flags[v->segment_node[2 * s]] & CR_NODE_LCC) &&
            (best == CR_NO_EDGE || v->segment_length_cm[s] > v->segment_length_cm[best]))
            best = s;
    return best;
}

static void
test_oneway_removes_reverse(void **state)
{
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };
    struct cr_graph *g, *gs;
    const struct cr_graph_view *v, *s;
    struct side before, after;
    char spec[64];
    int64_t id;
    uint32_t seg, a, b;
    int32_t plon, plat, qlon, qlat;
    double back0, back1, fwd0, fwd1;

    (void)state;
    assert_non_null(g = cr_graph_open(KREMS, &err));
    v = cr_graph_view(g);
    /* the longest way whose ends stay in the largest component once one-way (a dead end made
     * one-way leaves it, and then nothing snaps there) */
    for (int rank = 0;; rank++) {
        assert_true(rank < 20);
        id = pick_way(v, CR_ROAD_TERTIARY_LINK, 0, rank);
        assert_true(id > 0);
        if ((seg = segment_of(v, id)) == CR_NO_EDGE || v->segment_length_cm[seg] < 5000)
            continue;
        a = v->segment_node[2 * seg];
        b = v->segment_node[2 * seg + 1];
        snprintf(spec, sizeof spec, "way/%lld:oneway=yes", (long long)id);
        build_set(KREMS, DIR "/oneway.corr", spec, &st);
        assert_non_null(gs = cr_graph_open(DIR "/oneway.corr", &err));
        s = cr_graph_view(gs);
        if (s->node_flags[a] & s->node_flags[b] & CR_NODE_LCC)
            break;
        cr_graph_close(gs);
    }
    for (uint32_t i = 0; i < s->segment_count; i++) /* along the way only */
        if (s->ways[s->segment_way[i]].osm_id == id && s->segment_edge[2 * i] != CR_NO_EDGE) {
            assert_int_equal(s->segment_edge[2 * i + 1], CR_NO_EDGE);
            assert_true(s->ways[s->segment_way[i]].flags & CR_WAY_ONEWAY);
        }
    cr_graph_close(gs);
    side_open(&before, KREMS, CAR, CR_METRIC_TIME);
    side_open(&after, DIR "/oneway.corr", CAR, CR_METRIC_TIME);
    /* points at a quarter and three quarters of the (straight) segment */
    plon = v->lon_e7[a] + (v->lon_e7[b] - v->lon_e7[a]) / 4;
    plat = v->lat_e7[a] + (v->lat_e7[b] - v->lat_e7[a]) / 4;
    qlon = v->lon_e7[b] - (v->lon_e7[b] - v->lon_e7[a]) / 4;
    qlat = v->lat_e7[b] - (v->lat_e7[b] - v->lat_e7[a]) / 4;
    fwd0 = duration(&before, plon, plat, qlon, qlat);
    fwd1 = duration(&after, plon, plat, qlon, qlat);
    back0 = duration(&before, qlon, qlat, plon, plat);
    back1 = duration(&after, qlon, qlat, plon, plat);
    if (!(fabs(fwd0 - fwd1) < 1e-6))
        fail_msg("way %lld: along %.3f s before, %.3f s after; against %.3f, %.3f; a %d,%d b %d,%d",
                 (long long)id, fwd0, fwd1, back0, back1, v->lon_e7[a], v->lat_e7[a], v->lon_e7[b],
                 v->lat_e7[b]);
    assert_false(isnan(back0));
    assert_true(isnan(back1) || back1 > back0 + 1.0); /* against: round, or not at all */
    side_close(&before);
    side_close(&after);
    cr_graph_close(g);
}

/* HCMC_OSM with way ID's tags TAGS added (it has none of them), written to PATH. */
static void
retag_osm(int64_t id, const char *tags, const char *path)
{
    FILE *f = fopen(HCMC_OSM, "rb"), *g;
    char head[64], *text, *at, *end;
    long size;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = 0;
    fclose(f);
    snprintf(head, sizeof head, "<way id=\"%lld\"", (long long)id);
    assert_non_null(at = strstr(text, head));
    assert_non_null(end = strstr(at, "</way>"));
    g = fopen(path, "wb");
    assert_non_null(g);
    fwrite(text, 1, (size_t)(end - text), g);
    fputs(tags, g);
    fputs(end, g);
    fclose(g);
    free(text);
}

/* The way's XML block holds none of KEYS (so adding them is a re-tagging, not a duplicate). */
static int
untagged_in_osm(int64_t id, const char *const *keys)
{
    FILE *f = fopen(HCMC_OSM, "rb");
    char head[64], line[2048];
    int in = 0, clean = 1;

    snprintf(head, sizeof head, "<way id=\"%lld\"", (long long)id);
    while (f && fgets(line, sizeof line, f)) {
        if (strstr(line, head))
            in = 1;
        else if (in && strstr(line, "</way>"))
            break;
        for (const char *const *k = keys; in && *k; k++)
            clean &= !strstr(line, *k);
    }
    if (f)
        fclose(f);
    return in && clean;
}

static void
test_same_as_retagged_in_osm(void **state)
{
    static const char *const keys[] = { "k=\"maxspeed", "k=\"oneway", "k=\"lanes", NULL };
    struct cr_import_options opt = { 0 };
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };
    struct cr_graph *g;
    char spec[96];
    int64_t id;

    (void)state;
    assert_non_null(g = cr_graph_open(HCMC, &err));
    for (int rank = 0; (id = pick_way(cr_graph_view(g), CR_ROAD_RESIDENTIAL, 1, rank)) > 0 &&
                       !untagged_in_osm(id, keys);
         rank++)
        ;
    cr_graph_close(g);
    assert_true(id > 0);
    retag_osm(id,
              "  <tag k=\"maxspeed\" v=\"20\"/>\n  <tag k=\"oneway\" v=\"yes\"/>\n"
              "  <tag k=\"lanes\" v=\"1\"/>\n ",
              DIR "/hcmc_retagged.osm");
    if (cr_osm_import(DIR "/hcmc_retagged.osm", DIR "/hcmc_retagged.corr", &opt, NULL, &err))
        fail_msg("%s", err.msg);
    snprintf(spec, sizeof spec, "way/%lld:maxspeed=20,oneway=yes,lanes=1", (long long)id);
    build_set(HCMC, DIR "/hcmc_set.corr", spec, &st);
    assert_int_equal(st.ways_set, 1);
    compare(DIR "/hcmc_retagged.corr", DIR "/hcmc_set.corr", 0); /* every pair equal */
    assert_true(compare(HCMC, DIR "/hcmc_set.corr", 1) > 0);     /* and it changed something */
}

/* Transfers at the landing and whether the route runs on water; -1 when there is no route. */
static int
landing_transfers(const char *path, int *water)
{
    struct side x;
    struct cr_route *r;
    int n = 0;

    side_open(&x, path, "freight", CR_METRIC_CO2);
    r = route(&x, 156049000, 484089000, 156760000, 483795000);
    *water = 0;
    if (!r) {
        side_close(&x);
        return -1;
    }
    for (size_t i = 0; i < cr_route_part_count(r); i++) {
        struct cr_route_part_info p;
        cr_route_part(r, i, &p);
        *water |= !strcmp(p.mode, "water");
        n += p.terminal && !strcmp(p.terminal, "Danube landing east (example)");
    }
    cr_route_destroy(r);
    side_close(&x);
    return n;
}

static void
test_new_terminal_mode_change(void **state)
{
    struct cr_scenario_options o = { .base = KREMS,
                                     .output = DIR "/landing.corr",
                                     .terminals = DIR "/landing.csv" };
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };
    struct cr_graph *g;
    const struct cr_graph_view *v;
    int water;

    (void)state;
    if (build_opts(&o, &st, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(st.terminals_added, 1);
    assert_int_equal(st.terminals_partly_linked, 0);
    assert_int_equal(landing_transfers(KREMS, &water), -1); /* no route before */
    assert_int_equal(landing_transfers(DIR "/landing.corr", &water), 1);
    assert_true(water);
    assert_non_null(g = cr_graph_open(DIR "/landing.corr", &err));
    v = cr_graph_view(g);
    assert_int_equal(v->terminals[v->terminal_count - 1].linked,
                     (1u << CR_GROUP_ROAD) | (1u << CR_GROUP_WATER));
    cr_graph_close(g);
}

/* A terminal beside the middle of a new road (50 m off, away from every base road) joins it. */
static void
test_terminal_on_new_road(void **state)
{
    struct cr_scenario_options o = { .base = KREMS,
                                     .output = DIR "/road_term.corr",
                                     .add = DIR "/road.geojson",
                                     .terminals = DIR "/icd.csv" };
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };
    struct cr_graph *gb, *g;
    const struct cr_graph_view *b, *v;
    const struct cr_terminal *t;
    int joined_new = 0;

    (void)state;
    write_text(DIR "/road.geojson",
               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
               "{\"highway\":\"primary\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
               "[[15.5995,48.4080],[15.610,48.399],[15.625,48.400]]}}]}");
    write_text(DIR "/icd.csv",
               "name,lon,lat,modes\n\"Test ICD (synthetic)\",15.6100,48.3985,road\n");
    if (build_opts(&o, &st, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(st.terminals_added, 1);
    assert_non_null(gb = cr_graph_open(KREMS, &err));
    assert_non_null(g = cr_graph_open(DIR "/road_term.corr", &err));
    b = cr_graph_view(gb);
    v = cr_graph_view(g);
    t = &v->terminals[v->terminal_count - 1];
    assert_int_equal(t->linked, 1u << CR_GROUP_ROAD);
    for (uint32_t e = v->first_out[t->node]; e < v->first_out[t->node + 1]; e++) {
        uint32_t head = v->head[e];
        for (uint32_t f = v->first_out[head]; f < v->first_out[head + 1]; f++) {
            uint32_t w = v->segment_way[v->edge_segment[f] & ~CR_SEGMENT_REVERSED];
            joined_new |= w >= b->way_count && v->ways[w].mode == CR_MODE_ROAD;
        }
    }
    assert_true(joined_new);
    cr_graph_close(g);
    cr_graph_close(gb);
}

static void
expect_set_error(const char *spec, const char *want)
{
    const char *sets[1] = { spec };
    struct cr_scenario_options o = {
        .base = KREMS, .output = DIR "/bad.corr", .set = sets, .set_count = 1
    };
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };

    assert_int_not_equal(build_opts(&o, &st, &err), CR_OK);
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" does not say \"%s\"", err.msg, want);
    assert_int_not_equal(access(DIR "/bad.corr", F_OK), 0);
}

static void
test_set_errors(void **state)
{
    (void)state;
    expect_set_error("way/1:maxspeed=50", "no way/1 in");
    expect_set_error(DIR "/far.geojson:maxspeed=50", "no road way inside");
    expect_set_error("way/1:name=x", "key \"name\" cannot be set");
    expect_set_error("way/1", "want TARGET:key=value");
    expect_set_error("way/x:maxspeed=5", "is not way/ID");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maxspeed_slower),
        cmocka_unit_test(test_oneway_removes_reverse),
        cmocka_unit_test(test_same_as_retagged_in_osm),
        cmocka_unit_test(test_new_terminal_mode_change),
        cmocka_unit_test(test_terminal_on_new_road),
        cmocka_unit_test(test_set_errors),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
