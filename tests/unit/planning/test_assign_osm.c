/* planning/assign_osm and assign_write on tests/maps/assign.osm (synthetic, drawn in
 * assign.txt: a ring of four roads with lanes tags and a living street across it):
 * - the problem's shape: zones as nodes 0..Z-1 never passed through, one node per turn-graph
 *   node, one link per turn, connectors where the zones' points snap;
 * - capacities from lanes (both directions on a two-way road) and road class;
 * - the truck class has no link on the living street, which trucks may not use;
 * - class specs ("motorcycle:pce=0.3"), profile "assignment" blocks;
 * - the writer on hand-made flows: CSV columns and values, GeoPackage written, VKT and VHT. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../testfile.h"
#include <gdal.h>
#include <ogr_api.h>

#include "core/graph.h"
#include "planning/assign_osm.h"
#include "planning/assign_write.h"
#include "routing/profile.h"

#include "../routing/testnet.h"

#define DIR CR_BINARY_DIR "/test_assign_osm_files"
#define MAP CR_SOURCE_DIR "/tests/maps/assign.osm"
#define PROFILES CR_SOURCE_DIR "/profiles"

#define write_file(name, text) cr_test_write_file(DIR, (name), (text))

/* Zones "S" around (1, 0.1) and "N" around (3, 4.1) (units of assign.txt), 0.0002 deg wide. */
static const char *
zones_file(void)
{
    static const double at[2][2] = { { 1, 0.1 }, { 3, 4.1 } };
    char text[2048];
    size_t n = 0;

    n += (size_t)snprintf(text, sizeof text, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < 2; i++) {
        double x0 = 106 + at[i][0] / 1000 - 0.0001, x1 = x0 + 0.0002;
        double y0 = 10 + at[i][1] / 1000 - 0.0001, y1 = y0 + 0.0002;
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "%s{\"type\":\"Feature\",\"properties\":{\"name\":\"%c\"},"
                              "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.5f,%.5f],"
                              "[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f]]]}}",
                              i ? "," : "", "SN"[i], x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
    }
    snprintf(text + n, sizeof text - n, "]}");
    return write_file("zones.geojson", text);
}

static struct cr_graph *
network(void)
{
    struct cr_error err = { 0 };
    struct net n;
    struct cr_graph *g;
    const char *corr = DIR "/assign.corr";

    mkdir(DIR, 0777);
    net_open(&n, MAP);
    if (cr_graph_write(n.v, corr, &err))
        fail_msg("%s", err.msg);
    net_close(&n);
    if (!(g = cr_graph_open(corr, &err)))
        fail_msg("%s", err.msg);
    return g;
}

static struct cr_zones *
zones(void)
{
    struct cr_zones_options zo = { .path = zones_file(), .name_field = "name" };
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };

    if (cr_zones_load(&zo, &z, &err))
        fail_msg("%s", err.msg);
    return z;
}

/* The network edge of OSM way WAY from node (osm id) FROM to TO, or CR_NO_EDGE. */
static uint32_t
edge_of_way(const struct cr_graph_view *v, int64_t way, int64_t from, int64_t to)
{
    for (uint32_t e = 0; e < v->edge_count; e++) {
        uint32_t seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
        int rev = (v->edge_segment[e] & CR_SEGMENT_REVERSED) != 0;
        uint32_t a = v->segment_node[2 * seg + rev], b = v->segment_node[2 * seg + !rev];
        if (v->ways[v->segment_way[seg]].osm_id == way && v->osm_id[a] == from &&
            v->osm_id[b] == to)
            return e;
    }
    return CR_NO_EDGE;
}

struct fixture {
    struct cr_graph *g;
    struct cr_zones *z;
    struct cr_profile prof[3]; /* car, motorcycle, truck */
    struct cr_assign_osm a;
};

static void
fixture_open(struct fixture *f)
{
    static const char *const specs[3] = { "car", "motorcycle:pce=0.3", "truck" };
    struct cr_error err = { 0 };

    f->g = network();
    f->z = zones();
    for (int c = 0; c < 3; c++)
        if (cr_assign_class_parse(specs[c], PROFILES, &f->prof[c], &err))
            fail_msg("%s", err.msg);
    if (cr_assign_osm_build(f->g, f->z, f->prof, 3, NULL, &f->a, &err))
        fail_msg("%s", err.msg);
}

static void
fixture_close(struct fixture *f)
{
    cr_assign_osm_fini(&f->a);
    cr_zones_destroy(f->z);
    cr_graph_close(f->g);
}

static void
profiles_and_specs(void **state)
{
    struct cr_profile p;
    struct cr_error err = { 0 };

    (void)state;
    assert_int_equal(cr_assign_class_parse("car", PROFILES, &p, &err), CR_OK);
    assert_true(p.assign.pce == 1 && p.assign.capacity_factor == 1);
    assert_true(p.assign.capacity_pcu_per_lane_h[CR_ROAD_MOTORWAY] == 1800);
    assert_true(p.assign.capacity_pcu_per_lane_h[CR_ROAD_TRUNK] == 1500);
    assert_true(p.assign.capacity_pcu_per_lane_h[CR_ROAD_PRIMARY] == 1000);
    assert_true(p.assign.bpr_alpha[CR_ROAD_PRIMARY] == 0.15 && p.assign.bpr_beta[0] == 4);
    assert_int_equal(cr_assign_class_parse("motorcycle", PROFILES, &p, &err), CR_OK);
    assert_true(p.assign.pce == 0.3);                                     /* its own */
    assert_true(p.assign.capacity_pcu_per_lane_h[CR_ROAD_TRUNK] == 1500); /* from car (base) */
    assert_int_equal(cr_assign_class_parse("truck:pce=2,alpha=0.5,beta=5", PROFILES, &p, &err),
                     CR_OK);
    assert_true(p.assign.pce == 2 && p.assign.bpr_alpha[CR_ROAD_ROAD] == 0.5 &&
                p.assign.bpr_beta[CR_ROAD_MOTORWAY] == 5);
    assert_int_equal(cr_assign_class_parse("truck", PROFILES, &p, &err), CR_OK);
    assert_true(p.assign.pce == 2.5);
    assert_int_equal(cr_assign_class_parse("car:pce=0", PROFILES, &p, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "pce"));
    assert_int_equal(cr_assign_class_parse("car:speed=3", PROFILES, &p, &err), CR_EINVAL);
    assert_int_equal(cr_assign_class_parse("car:pce", PROFILES, &p, &err), CR_EINVAL);
    assert_int_not_equal(cr_assign_class_parse("nosuchprofile", PROFILES, &p, &err), CR_OK);
    /* a profile with transfers is refused */
    {
        struct fixture f = { 0 };
        struct cr_assign_osm a;
        f.g = network();
        f.z = zones();
        assert_int_equal(cr_assign_class_parse("freight", PROFILES, &p, &err), CR_OK);
        assert_int_equal(cr_assign_osm_build(f.g, f.z, &p, 1, NULL, &a, &err), CR_EINVAL);
        assert_non_null(strstr(err.msg, "transfers"));
        cr_zones_destroy(f.z);
        cr_graph_close(f.g);
    }
}

static void
problem_shape(void **state)
{
    struct fixture f;
    struct cr_error err = { 0 };
    const struct cr_assign_problem *p;

    (void)state;
    fixture_open(&f);
    p = &f.a.problem;
    assert_int_equal(p->zone_count, 2);
    assert_int_equal(p->through_from, 2);
    assert_int_equal(p->class_count, 3);
    assert_string_equal(p->classes[0].name, "car");
    assert_string_equal(p->classes[1].name, "motorcycle");
    assert_true(p->classes[1].pce == 0.3 && p->classes[2].pce == 2.5);
    assert_int_equal(f.a.scenario, 0);
    /* 9 directed edges: a<->b, b<->c, c->d, d<->a, a<->c (Market lane; e is a shape point) */
    assert_int_equal(p->res.count, 9);
    for (uint32_t r = 0; r < p->res.count; r++) {
        assert_int_equal(f.a.res_base_edge[r], f.a.res_edge[r]);
        assert_int_equal(f.a.edge_res[f.a.res_edge[r]], r);
    }
    for (size_t c = 0; c < 3; c++) {
        const struct cr_assign_class *k = &p->classes[c];
        assert_int_equal(f.a.placed[c], 2);
        for (uint32_t v = 0; v < k->node_count; v++)
            for (uint32_t l = k->first_out[v]; l < k->first_out[v + 1]; l++) {
                assert_int_equal(k->tail[l], v);
                if (v < 2) { /* an origin connector: onto an edge node */
                    assert_true(k->head[l] >= 2);
                    assert_int_not_equal(k->resource[l], CR_ASSIGN_NO_RESOURCE);
                    assert_true(k->fixed[l] == 0);
                } else if (k->head[l] < 2) { /* a destination connector: free */
                    assert_int_equal(k->resource[l], CR_ASSIGN_NO_RESOURCE);
                    assert_true(k->fft[l] == 0 && k->fixed[l] == 0);
                } else { /* a turn: the entered edge's time */
                    assert_int_not_equal(k->resource[l], CR_ASSIGN_NO_RESOURCE);
                    assert_true(k->fft[l] > 0);
                    assert_true(k->fft[l] == f.a.res_fft_s[c][k->resource[l]]);
                }
            }
    }
    /* S (a quarter of the way from a to b) starts on a->b with 3/4 of it left, on b->a with 1/4;
     * N (on the oneway c->d, a quarter from c) on c->d only, with 3/4 left */
    {
        const struct cr_graph_view *v = f.a.view;
        const struct cr_assign_class *k = &p->classes[0];
        uint32_t ab = f.a.edge_res[edge_of_way(v, 100, 1, 2)];
        uint32_t ba = f.a.edge_res[edge_of_way(v, 100, 2, 1)];
        uint32_t cd = f.a.edge_res[edge_of_way(v, 102, 3, 4)];
        double t_ab = f.a.res_fft_s[0][ab], t_cd = f.a.res_fft_s[0][cd];
        int seen = 0;
        assert_int_equal(k->first_out[1] - k->first_out[0], 2);
        assert_int_equal(k->first_out[2] - k->first_out[1], 1);
        for (uint32_t l = k->first_out[0]; l < k->first_out[1]; l++) {
            double want = k->resource[l] == ab ? 0.75 * t_ab : 0.25 * t_ab;
            assert_true(k->resource[l] == ab || k->resource[l] == ba);
            assert_true(fabs(k->fft[l] - want) <= 0.15);
            seen |= k->resource[l] == ab ? 1 : 2;
        }
        assert_int_equal(seen, 3);
        assert_int_equal(k->resource[k->first_out[1]], cd);
        assert_true(fabs(k->fft[k->first_out[1]] - 0.75 * t_cd) <= 0.15);
    }
    {
        struct cr_assign_osm none;
        assert_int_equal(cr_assign_osm_build(f.g, f.z, f.prof, 0, NULL, &none, &err), CR_EINVAL);
        assert_non_null(strstr(err.msg, "0 classes"));
    }
    fixture_close(&f);
}

static void
capacities(void **state)
{
    struct fixture f;
    const struct cr_graph_view *v;
    const struct cr_assign_resources *res;
    struct {
        int64_t way, from, to;
        double lanes, cap;
    } want[] = {
        { 100, 1, 2, 2, 2000 }, { 100, 2, 1, 2, 2000 }, /* primary, lanes=4 two-way */
        { 101, 2, 3, 1, 1000 }, { 101, 3, 2, 1, 1000 }, /* secondary, untagged: 1 */
        { 102, 3, 4, 3, 4500 },                         /* trunk oneway lanes=3 */
        { 103, 4, 1, 1, 600 },  { 103, 1, 4, 1, 600 },  /* residential lanes=1 */
        { 104, 1, 3, 1, 300 },  { 104, 3, 1, 1, 300 },  /* living street */
    };

    (void)state;
    fixture_open(&f);
    v = f.a.view;
    res = &f.a.problem.res;
    assert_int_equal(edge_of_way(v, 102, 4, 3), CR_NO_EDGE);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint32_t e = edge_of_way(v, want[i].way, want[i].from, want[i].to), r;
        assert_int_not_equal(e, CR_NO_EDGE);
        r = f.a.edge_res[e];
        assert_int_not_equal(r, CR_ASSIGN_NO_RESOURCE);
        assert_true(f.a.res_lanes[r] == want[i].lanes);
        assert_true(fabs(res->capacity[r] - want[i].cap) < 1e-9);
        assert_true(res->alpha[r] == 0.15 && res->beta[r] == 4 && res->vdf[r] == CR_VDF_BPR);
    }
    fixture_close(&f);
}

static void
truck_avoids_living_street(void **state)
{
    struct fixture f;
    const struct cr_graph_view *v;
    uint32_t ls[2];

    (void)state;
    fixture_open(&f);
    v = f.a.view;
    ls[0] = f.a.edge_res[edge_of_way(v, 104, 1, 3)]; /* e is a shape point, not a node */
    ls[1] = f.a.edge_res[edge_of_way(v, 104, 3, 1)];
    assert_int_not_equal(ls[0], CR_ASSIGN_NO_RESOURCE);
    assert_int_not_equal(ls[1], CR_ASSIGN_NO_RESOURCE);
    for (size_t c = 0; c < 3; c++) {
        const struct cr_assign_class *k = &f.a.problem.classes[c];
        size_t on = 0;
        for (uint32_t l = 0; l < k->link_count; l++)
            for (int i = 0; i < 2; i++)
                on += k->resource[l] == ls[i];
        if (c == 2) {
            assert_int_equal(on, 0);
            assert_true(isnan(f.a.res_fft_s[2][ls[0]]));
        } else {
            assert_true(on > 0);
            assert_false(isnan(f.a.res_fft_s[c][ls[0]]));
        }
    }
    /* fewer nodes for the truck: no living street */
    assert_true(f.a.problem.classes[2].node_count < f.a.problem.classes[0].node_count);
    fixture_close(&f);
}

/* Hand-made flows: one vehicle of each class on every link; the volumes that implies. */
static void
unit_flows(const struct cr_assign_osm *a, struct cr_assign_result *r)
{
    const struct cr_assign_problem *p = &a->problem;

    memset(r, 0, sizeof *r);
    r->flow = calloc(p->class_count, sizeof *r->flow);
    r->volume = calloc(p->res.count, sizeof *r->volume);
    assert_non_null(r->flow);
    assert_non_null(r->volume);
    for (size_t c = 0; c < p->class_count; c++) {
        const struct cr_assign_class *k = &p->classes[c];
        r->flow[c] = calloc(k->link_count, sizeof *r->flow[c]);
        assert_non_null(r->flow[c]);
        for (uint32_t l = 0; l < k->link_count; l++) {
            r->flow[c][l] = 1;
            if (k->resource[l] != CR_ASSIGN_NO_RESOURCE)
                r->volume[k->resource[l]] += k->pce;
        }
    }
}

static void
unit_flows_free(struct cr_assign_result *r, size_t n)
{
    for (size_t c = 0; c < n; c++)
        free(r->flow[c]);
    free(r->flow);
    free(r->volume);
}

static void
writer(void **state)
{
    struct fixture f;
    struct cr_assign_result r;
    struct cr_assign_totals t, t2;
    struct cr_error err = { 0 };
    char line[2048];
    FILE *in;
    size_t rows = 0;
    const char *csv = DIR "/flows.csv", *gpkg = DIR "/flows.gpkg";

    (void)state;
    fixture_open(&f);
    unit_flows(&f.a, &r);
    remove(csv);
    remove(gpkg);
    assert_int_equal(cr_assign_osm_write(&f.a, &r, csv, &t, &err), CR_OK);
    assert_non_null(in = fopen(csv, "r"));
    assert_non_null(fgets(line, sizeof line, in));
    assert_string_equal(line, "edge,base_edge,osm_way,name,road_class,length_m,lanes,capacity,"
                              "flow_pce,voc,dir,flow_car,fft_s_car,time_s_car,flow_motorcycle,"
                              "fft_s_motorcycle,time_s_motorcycle,flow_truck,fft_s_truck,"
                              "time_s_truck\n");
    while (fgets(line, sizeof line, in)) {
        rows++;
        if (strstr(line, "Market lane")) /* trucks: empty times */
            assert_non_null(strstr(line, ",0,,\n"));
    }
    fclose(in);
    assert_int_equal(rows, f.a.problem.res.count);
    assert_int_equal(t.class_count, 3);
    assert_string_equal(t.name[2], "truck");
    assert_true(t.vkt[0] > 0 && t.vht[0] > 0 && t.vkt[2] < t.vkt[0]);
    assert_true(fabs(t.vkt_total - (t.vkt[0] + t.vkt[1] + t.vkt[2])) < 1e-9);
    cr_assign_osm_totals(&f.a, &r, &t2);
    assert_true(t2.vht_total == t.vht_total);

    assert_int_equal(cr_assign_osm_write(&f.a, &r, gpkg, NULL, &err), CR_OK);
    {
        struct stat st;
        assert_int_equal(stat(gpkg, &st), 0);
        assert_true(st.st_size > 0);
    }
    /* another extension: refused, nothing written */
    assert_int_equal(cr_assign_osm_write(&f.a, &r, DIR "/flows.txt", NULL, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "flows.txt"));
    unit_flows_free(&r, f.a.problem.class_count);
    fixture_close(&f);
}

/* The GeoPackage at PATH: its one layer's feature count, and whether it has field NAME. */
static long long
gpkg_features(const char *path, const char *name, int *has)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    OGRLayerH l;
    long long n;

    assert_non_null(ds);
    l = GDALDatasetGetLayerByName(ds, "flows");
    assert_non_null(l);
    n = (long long)OGR_L_GetFeatureCount(l, 1);
    *has = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), name) >= 0;
    GDALClose(ds);
    return n;
}

/* End to end: demand between S and N in three classes, Frank-Wolfe to a relative gap of 1e-4,
 * every trip assigned, the origin connectors carrying each zone's trips, files written. */
static void
end_to_end(void **state)
{
    static const double trips[3][2] = { { 1500, 1200 }, { 4000, 3500 }, { 120, 80 } };
    struct cr_assign_options o = CR_ASSIGN_OPTIONS_DEFAULT;
    struct cr_assign_result r;
    struct cr_assign_totals t;
    struct cr_error err = { 0 };
    struct fixture f;
    int has = 0;

    (void)state;
    fixture_open(&f);
    for (size_t c = 0; c < 3; c++) {
        f.a.problem.classes[c].demand[0 * 2 + 1] = trips[c][0]; /* S -> N */
        f.a.problem.classes[c].demand[1 * 2 + 0] = trips[c][1]; /* N -> S */
    }
    assert_int_equal(cr_assign_problem_check(&f.a.problem, &err), CR_OK);
    o.algorithm = CR_ASSIGN_FW;
    o.gap = 1e-4;
    o.max_iter = 2000;
    if (cr_assign_run(&f.a.problem, &o, &r, &err))
        fail_msg("%s", err.msg);
    assert_true(r.converged && r.rgap <= 1e-4);
    assert_true(r.unassigned == 0);
    for (size_t c = 0; c < 3; c++) {
        const struct cr_assign_class *k = &f.a.problem.classes[c];
        double out_s = 0, into_s = 0;
        for (uint32_t l = k->first_out[0]; l < k->first_out[1]; l++)
            out_s += r.flow[c][l];
        for (uint32_t l = 0; l < k->link_count; l++)
            if (k->head[l] == 0)
                into_s += r.flow[c][l];
        assert_true(fabs(out_s - trips[c][0]) < 1e-6 * trips[c][0]);
        assert_true(fabs(into_s - trips[c][1]) < 1e-6 * trips[c][1]);
    }
    remove(DIR "/e2e.csv");
    remove(DIR "/e2e.gpkg");
    assert_int_equal(cr_assign_osm_write(&f.a, &r, DIR "/e2e.csv", &t, &err), CR_OK);
    assert_int_equal(cr_assign_osm_write(&f.a, &r, DIR "/e2e.gpkg", NULL, &err), CR_OK);
    assert_int_equal(gpkg_features(DIR "/e2e.gpkg", "flow_truck", &has), f.a.problem.res.count);
    assert_true(has);
    gpkg_features(DIR "/e2e.gpkg", "base_edge", &has);
    assert_true(has);
    /* VHT: total cost of every class's flows, as TSTT counts it (seconds over vehicles) */
    assert_true(fabs(t.vht_total * 3600 - r.tstt) < 1e-6 * r.tstt);
    assert_true(t.vkt[1] > t.vkt[0] && t.vkt[0] > t.vkt[2]);
    cr_assign_result_fini(&r, f.a.problem.class_count);
    fixture_close(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(profiles_and_specs),
        cmocka_unit_test(problem_shape),
        cmocka_unit_test(capacities),
        cmocka_unit_test(truck_avoids_living_street),
        cmocka_unit_test(writer),
        cmocka_unit_test(end_to_end),
    };
    (void)next_rand; /* testnet.h's, not needed here */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
