/* The route writers (routing/output.h: JSON, GeoJSON read back by OGR, GPX parsed by expat) on
 * tests/maps/output_names.osm, and the network summary (corridor/network.h) of
 * tests/maps/import_basic.osm against what `corridor info` printed before it moved. */
#include <expat.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/atomic.h"
#include "corridor/network.h"
#include "corridor/output.h"
#include "importers/osm/osm_import.h"
#include "routing/measure.h"
#include "routing/output.h"
#include "routing/route.h"
#include "testnet.h"

#define MAP CR_SOURCE_DIR "/tests/maps/output_names.osm"
#define QUAY1 "Quay <1> & 'A'"
#define QUAY2 "Quay \"2\""

/* freight from b (on Rue "A"...) to d (on Phố Đông): road, transfer, water, transfer, road */
struct fixture {
    struct net n;
    struct cr_profile p;
    struct cr_engine e;
    struct cr_router *router;
    struct cr_route r;
};

static int
setup(void **state)
{
    static struct fixture f;
    const int32_t lon[] = { 1060010000, 1060090000 }, lat[] = { 100000000, 100000000 };
    struct cr_error err = { 0 };

    (void)next_rand; /* testnet.h's; no random pairs here */
    memset(&f, 0, sizeof f);
    net_open(&f.n, MAP);
    if (cr_profile_load("freight", NULL, &f.p, &err) ||
        cr_engine_init(&f.e, f.n.v, f.n.snap, &f.p, CR_METRIC_TIME, &err) ||
        !(f.router = cr_router_create(&f.e, &err)) ||
        cr_router_route(f.router, lon, lat, 2, &f.r, &err))
        fail_msg("%s", err.msg);
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    cr_route_fini(&f->r);
    cr_router_destroy(f->router);
    cr_engine_fini(&f->e);
    net_close(&f->n);
    return 0;
}

static json_t *
parse(const char *text)
{
    json_error_t jerr;
    json_t *o = json_loads(text, 0, &jerr);
    if (!o)
        fail_msg("not JSON (line %d: %s): %.200s", jerr.line, jerr.text, text);
    return o;
}

static double
num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        fail_msg("\"%s\" is not a number", key);
    return json_number_value(v);
}

/* The route has the shape the map promises: five parts, two of them transfers. */
static void
route_has_transfers(void **state)
{
    const struct fixture *f = *state;
    static const enum cr_mode want[] = { CR_MODE_ROAD, CR_MODE_TRANSFER, CR_MODE_WATER,
                                         CR_MODE_TRANSFER, CR_MODE_ROAD };

    assert_int_equal(f->r.part_count, 5);
    for (uint32_t k = 0; k < 5; k++)
        assert_int_equal(f->r.parts[k].mode, want[k]);
    assert_true(f->r.parts[1].terminal != CR_INF && f->r.parts[3].terminal != CR_INF);
}

static void
json_keys_and_rounding(void **state)
{
    const struct fixture *f = *state;
    static const char *const keys[] = { "status",     "profile",   "metric",    "distance_m",
                                        "duration_s", "cost",      "co2_kg",    "currency",
                                        "weight",     "algorithm", "waypoints", "geometry",
                                        "legs",       "segments" };
    struct cr_error err = { 0 };
    size_t len = 0, i = 0;
    char *text = cr_output_route_text(&f->e, &f->r, CR_ROUTE_JSON, &len, &err);
    const char *key;
    json_t *o, *v, *segs;

    assert_non_null(text);
    assert_int_equal(len, strlen(text));
    assert_int_equal(text[len - 1], '\n');
    o = parse(text);
    json_object_foreach(o, key, v)
    {
        assert_true(i < sizeof keys / sizeof keys[0]);
        assert_string_equal(key, keys[i++]);
    }
    assert_int_equal(i, sizeof keys / sizeof keys[0]);
    assert_string_equal(json_string_value(json_object_get(o, "status")), "ok");
    assert_string_equal(json_string_value(json_object_get(o, "currency")), f->p.currency);
    assert_true(num(o, "distance_m") == round(f->r.distance_m * 10) / 10);
    assert_true(num(o, "duration_s") == round(f->r.duration_s * 10) / 10);
    assert_true(num(o, "cost") ==
                cr_measure_round(CR_MEASURE_COST, f->r.cost, f->p.currency)); /* whole dong */
    assert_true(num(o, "co2_kg") == round(f->r.co2_kg * 1000) / 1000);
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(o, "geometry"), "coordinates")),
        f->r.point_count);
    segs = json_object_get(o, "segments");
    assert_int_equal(json_array_size(segs), 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(segs, 1), "mode")),
                        "transfer");
    assert_string_equal(json_string_value(json_object_get(json_array_get(segs, 1), "terminal")),
                        QUAY1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(segs, 3), "terminal")),
                        QUAY2);
    assert_null(json_object_get(json_array_get(segs, 2), "terminal"));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(segs, 4), "to_point")),
                     f->r.point_count - 1);
    assert_non_null(strstr(text, "\"terminal\": \"Quay \\\"2\\\"\""));
    json_decref(o);
    free(text);
}

/* GeoJSON as a file OGR opens: the route, one line per part, one point per waypoint. */
static void
geojson_read_by_ogr(void **state)
{
    const struct fixture *f = *state;
    const char *path = CR_BINARY_DIR "/test_output_route.geojson";
    struct cr_error err = { 0 };
    size_t len = 0;
    char *text = cr_output_route_text(&f->e, &f->r, CR_ROUTE_GEOJSON, &len, &err);
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureH feat;
    int n = 0, lines = 0, points = 0;

    assert_non_null(text);
    if (cr_atomic_write(path, text, len, &err))
        fail_msg("%s", err.msg);
    free(text);
    GDALAllRegister();
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    assert_int_equal(GDALDatasetGetLayerCount(ds), 1);
    layer = GDALDatasetGetLayer(ds, 0);
    OGR_L_ResetReading(layer);
    while ((feat = OGR_L_GetNextFeature(layer))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        const char *kind = OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "kind"));
        OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
        if (n == 0) {
            assert_string_equal(kind, "route");
            assert_true(OGR_F_GetFieldAsDouble(feat, OGR_F_GetFieldIndex(feat, "distance_m")) ==
                        round(f->r.distance_m * 10) / 10);
            assert_int_equal(OGR_G_GetPointCount(g), (int)f->r.point_count);
        } else if (n == 2) {
            assert_string_equal(kind, "segment");
            assert_string_equal(OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "terminal")),
                                QUAY1);
        }
        lines += t == wkbLineString;
        points += t == wkbPoint;
        n++;
        OGR_F_Destroy(feat);
    }
    GDALClose(ds);
    assert_int_equal(lines, 1 + (int)f->r.part_count);
    assert_int_equal(points, (int)f->r.place_count);
    remove(path);
}

struct gpx_read {
    int depth, trkpts, in_name;
    char name[256];
};

static void XMLCALL
gpx_start(void *user, const XML_Char *el, const XML_Char **attr)
{
    struct gpx_read *g = user;
    (void)attr;
    g->depth++;
    g->trkpts += !strcmp(el, "trkpt");
    g->in_name = !strcmp(el, "name");
}

static void XMLCALL
gpx_end(void *user, const XML_Char *el)
{
    struct gpx_read *g = user;
    (void)el;
    g->depth--;
    g->in_name = 0;
}

static void XMLCALL
gpx_text(void *user, const XML_Char *s, int len)
{
    struct gpx_read *g = user;
    size_t have = strlen(g->name);
    if (g->in_name && have + (size_t)len < sizeof g->name)
        memcpy(g->name + have, s, (size_t)len), g->name[have + (size_t)len] = '\0';
}

/* GPX well-formed (expat reads it) with the profile's name escaped. */
static void
gpx_well_formed(void **state)
{
    struct fixture *f = *state;
    static const char odd[] = "a&<b>\"c\"'d";
    struct gpx_read g = { 0 };
    char saved[sizeof f->e.profile.name], want[256];
    size_t len = 0;
    char *text;
    XML_Parser xp = XML_ParserCreate("UTF-8");

    memcpy(saved, f->e.profile.name, sizeof saved);
    snprintf(f->e.profile.name, sizeof f->e.profile.name, "%s", odd);
    text = cr_output_route_gpx(&f->e, &f->r, &len);
    memcpy(f->e.profile.name, saved, sizeof saved);
    assert_non_null(text);
    assert_int_equal(len, strlen(text));
    assert_non_null(strstr(text, "<name>a&amp;&lt;b&gt;&quot;c&quot;&apos;d route, "));
    XML_SetUserData(xp, &g);
    XML_SetElementHandler(xp, gpx_start, gpx_end);
    XML_SetCharacterDataHandler(xp, gpx_text);
    if (XML_Parse(xp, text, (int)len, 1) != XML_STATUS_OK)
        fail_msg("GPX not well-formed: %s", XML_ErrorString(XML_GetErrorCode(xp)));
    XML_ParserFree(xp);
    assert_int_equal(g.depth, 0);
    assert_int_equal(g.trkpts, (int)f->r.point_count);
    snprintf(want, sizeof want, "%s route, %.1f km, %.0f min", odd, f->r.distance_m / 1000.0,
             f->r.duration_s / 60.0);
    assert_string_equal(g.name, want);
    free(text);
}

static void
failure_and_formats(void **state)
{
    struct cr_error err = { 0 };
    enum cr_route_format fmt;
    size_t len = 0;
    char *text;
    json_t *o;
    (void)state;

    cr_error_set(&err, CR_ENOTFOUND, "no route from 1,2 to 3,4 for the \"car\" profile");
    text = cr_output_route_failure(&err, &len);
    assert_non_null(text);
    assert_int_equal(text[len - 1], '\n');
    o = parse(text);
    assert_string_equal(json_string_value(json_object_get(o, "status")), "unreachable");
    assert_string_equal(json_string_value(json_object_get(o, "message")), err.msg);
    json_decref(o);
    free(text);
    cr_error_set(&err, CR_ENOTFOUND, "1,2: no way the car profile may use within 1000 m");
    text = cr_output_route_failure(&err, NULL);
    assert_non_null(strstr(text, "\"no_segment\""));
    free(text);
    assert_int_equal(cr_route_format_parse("geojson", &fmt), 0);
    assert_int_equal(fmt, CR_ROUTE_GEOJSON);
    assert_int_equal(cr_route_format_parse("gpx", &fmt), 0);
    assert_int_equal(fmt, CR_ROUTE_GPX);
    assert_int_equal(cr_route_format_parse("kml", &fmt), -1);
}

/* tests/maps/import_basic.osm: the numbers `corridor info` printed before the summary moved. */
static void
summary_import_basic(void **state)
{
    const char *path = CR_BINARY_DIR "/test_output_basic.corr";
    struct cr_error err = { 0 };
    struct cr_network_summary s;
    struct cr_graph *g = NULL;
    struct stat st;
    (void)state;

    if (cr_osm_import(CR_SOURCE_DIR "/tests/maps/import_basic.osm", path, NULL, NULL, &err) ||
        !(g = cr_graph_open(path, &err)) || cr_network_summary_init(&s, g, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(s.file_bytes, (uint64_t)st.st_size);
    assert_int_equal(s.nodes, 16);
    assert_int_equal(s.edges, 29);
    assert_int_equal(s.segments, 15);
    assert_int_equal(s.shape_points, 3);
    assert_int_equal(s.nodes_by_group[CR_GROUP_ROAD], 9);
    assert_int_equal(s.nodes_by_group[CR_GROUP_RAIL], 2);
    assert_int_equal(s.nodes_by_group[CR_GROUP_WATER], 3);
    assert_int_equal(s.nodes_by_group[CR_GROUP_TERMINAL], 2);
    assert_int_equal(s.lcc_by_group[CR_GROUP_ROAD], 5);
    {
        static const uint64_t edges[] = { 15, 2, 4, 0, 8 }, segs[] = { 8, 1, 2, 0, 4 },
                              ways[] = { 4, 1, 1, 0, 2 };
        static const double km[] = { 1.01369, 0.21928, 0.21928, 0, 0.42575 };
        for (int m = 0; m < CR_MODE_COUNT; m++) {
            assert_int_equal(s.edges_by_mode[m], edges[m]);
            assert_int_equal(s.segments_by_mode[m], segs[m]);
            assert_int_equal(s.ways_by_mode[m], ways[m]);
            assert_true(fabs(s.length_m_by_mode[m] / 1000.0 - km[m]) < 1e-9);
        }
    }
    assert_int_equal(s.ways_by_road_class[CR_ROAD_PRIMARY], 1);
    assert_int_equal(s.edges_by_road_class[CR_ROAD_PRIMARY], 1);
    assert_int_equal(s.ways_by_road_class[CR_ROAD_RESIDENTIAL], 2);
    assert_int_equal(s.edges_by_road_class[CR_ROAD_RESIDENTIAL], 8);
    assert_int_equal(s.edges_by_road_class[CR_ROAD_SERVICE], 6);
    assert_true(fabs(s.length_m_by_road_class[CR_ROAD_SERVICE] - 440.5) < 1e-6);
    assert_int_equal(s.ways_by_rail_class[CR_RAIL_RAIL], 1);
    assert_int_equal(s.ways_by_water_class[CR_WATER_RIVER], 1);
    assert_int_equal(s.transfer_edges, 8);
    assert_int_equal(s.restrictions, 1);
    assert_int_equal(s.restrictions_via_way, 0);
    assert_int_equal(s.barriers, 1);
    assert_int_equal(s.traffic_signals, 0);
    assert_int_equal(s.access_closed_nodes, 0);
    assert_int_equal(s.direction_closed_ways, 0);
    assert_int_equal(s.bbox_e7[0], 1060000000);
    assert_int_equal(s.bbox_e7[1], 99985000);
    assert_int_equal(s.bbox_e7[2], 1060030000);
    assert_int_equal(s.bbox_e7[3], 100030000);
    assert_int_equal(s.terminal_count, 2);
    assert_string_equal(s.terminals[0].name, "Quay T");
    assert_int_equal(s.terminals[0].kind, CR_TERMINAL_QUAY);
    assert_int_equal(s.terminals[0].lat_e7, 100029500);
    assert_int_equal(s.terminals[0].linked, (1u << CR_GROUP_ROAD) | (1u << CR_GROUP_WATER));
    assert_string_equal(s.terminals[1].name, "Station U");
    assert_int_equal(s.terminals[1].kind, CR_TERMINAL_RAIL_STATION);
    assert_int_equal(s.ch_count, 0);
    assert_string_equal(s.ch_list, "");
    assert_true(s.has_provenance);
    assert_string_equal(s.input, "import_basic.osm");
    assert_int_equal(s.input_bytes, 3847);
    assert_string_equal(s.newest_timestamp, "2020-05-06T07:08:09Z");
    assert_null(s.terminals_file);
    assert_int_equal(s.mode_count, 3);
    assert_string_equal(s.modes[2], "water");
    assert_int_equal(s.invalid_count, 4);
    assert_string_equal(s.restrictions_invalid[0].key, "members");
    assert_int_equal(s.restrictions_invalid[0].count, 0);
    assert_non_null(s.corridor_version);
    assert_non_null(strstr(s.provenance_json, "\"newest_timestamp\""));
    cr_network_summary_fini(&s);
    cr_network_summary_fini(&s); /* twice: harmless */
    cr_graph_close(g);
    remove(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(route_has_transfers),
        cmocka_unit_test(json_keys_and_rounding),
        cmocka_unit_test(geojson_read_by_ogr),
        cmocka_unit_test(gpx_well_formed),
    };
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(failure_and_formats),
        cmocka_unit_test(summary_import_basic),
    };
    int bad = cmocka_run_group_tests(tests, setup, teardown);
    return bad + cmocka_run_group_tests(plain, NULL, NULL);
}
