/*
 * Land take on zones drawn by hand, with areas known exactly:
 *
 *   y=2000 +--------+
 *          |   C    |             A, B, C: 1 km squares (classes residential, industrial, park)
 *   y=1000 +--------+--------+    D: a 100 m square inside B's corridor strip (class water)
 *          |   A    |   B  D |
 *   y=0    +--------+--------+
 *          x=0      x=1000   x=2000
 *
 * A corridor 100 m wide along y=500 takes a 100 m strip of A and B; flat end caps stop it where
 * the alignment stops; an alignment in two pieces meeting at a right angle gets a round join
 * (no notch); a corridor that only touches a zone along an edge takes nothing from it.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gdal.h>
#include <ogr_api.h>

#include "planning/landtake.h"
#include "spatial/ctx.h"

struct fixture {
    struct cr_zones z;
};

static const struct {
    const char *wkt, *cls, *name;
} shapes[] = {
    { "POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))", "residential", "A" },
    { "POLYGON((1000 0,2000 0,2000 1000,1000 1000,1000 0))", "industrial", "B" },
    { "POLYGON((0 1000,1000 1000,1000 2000,0 2000,0 1000))", "park", "C" },
    { "POLYGON((1700 450,1800 450,1800 550,1700 550,1700 450))", "water", "D" },
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    struct cr_zones *z = &fx->z;
    GEOSWKTReader *r;

    z->ctx = cr_ctx_create(NULL);
    z->geos = cr_ctx_geos(z->ctx);
    r = GEOSWKTReader_create_r(z->geos);
    z->zones = calloc(NSHAPES, sizeof *z->zones);
    z->count = NSHAPES;
    z->index = GEOSSTRtree_create_r(z->geos, 10);
    z->work_crs = strdup("EPSG:32648");
    for (size_t i = 0; i < NSHAPES; i++) {
        z->zones[i].geom = GEOSWKTReader_read_r(z->geos, r, shapes[i].wkt);
        z->zones[i].cls = strdup(shapes[i].cls);
        z->zones[i].name = strdup(shapes[i].name);
        z->zones[i].fid = (int64_t)i + 1;
        GEOSArea_r(z->geos, z->zones[i].geom, &z->zones[i].area_m2);
        GEOSSTRtree_insert_r(z->geos, z->index, z->zones[i].geom, (void *)(uintptr_t)i);
    }
    GEOSWKTReader_destroy_r(z->geos, r);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    struct cr_zones *z = &fx->z;
    GEOSSTRtree_destroy_r(z->geos, z->index);
    for (size_t i = 0; i < z->count; i++) {
        GEOSGeom_destroy_r(z->geos, z->zones[i].geom);
        free(z->zones[i].cls);
        free(z->zones[i].name);
    }
    free(z->zones);
    free(z->work_crs);
    cr_ctx_destroy(z->ctx);
    free(fx);
    return 0;
}

static GEOSGeometry *
wkt(const struct cr_zones *z, const char *text)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(z->geos);
    GEOSGeometry *g = GEOSWKTReader_read_r(z->geos, r, text);
    GEOSWKTReader_destroy_r(z->geos, r);
    assert_non_null(g);
    return g;
}

static const struct cr_landtake_class *
find_class(const struct cr_landtake *lt, const char *cls)
{
    for (size_t i = 0; i < lt->class_count; i++)
        if (!strcmp(lt->classes[i].cls, cls))
            return &lt->classes[i];
    return NULL;
}

static void
expect_class(const struct cr_landtake *lt, const char *cls, double area_m2, size_t parcels)
{
    const struct cr_landtake_class *c = find_class(lt, cls);
    if (!c)
        fail_msg("class %s: not in the land take", cls);
    if (fabs(c->area_m2 - area_m2) > 1e-6 || c->parcels != parcels)
        fail_msg("class %s: %.6f m2 in %zu parcels, want %.6f in %zu", cls, c->area_m2, c->parcels,
                 area_m2, parcels);
    if (fabs(c->share - area_m2 / lt->corridor_area_m2) > 1e-12)
        fail_msg("class %s: share %.9f, want %.9f", cls, c->share, area_m2 / lt->corridor_area_m2);
}

/* Through A and B, past both ends: 2200 m x 100 m. D lies inside the strip. */
static void
straight_through(void **state)
{
    struct fixture *fx = *state;
    struct cr_landtake lt;
    struct cr_error err = { 0 };
    GEOSGeometry *line = wkt(&fx->z, "MULTILINESTRING((-100 500,2100 500))");

    assert_int_equal(cr_landtake_compute(&fx->z, line, 100, 0, &lt, &err), CR_OK);
    assert_true(fabs(lt.corridor_area_m2 - 220000) < 1e-6);
    expect_class(&lt, "residential", 100000, 1);
    expect_class(&lt, "industrial", 100000, 1);
    expect_class(&lt, "water", 10000, 1);
    assert_null(find_class(&lt, "park"));
    assert_int_equal(lt.class_count, 3);
    assert_int_equal(lt.parcels, 3);
    assert_true(fabs(lt.taken_m2 - 210000) < 1e-6);
    /* largest first, ties by name */
    assert_string_equal(lt.classes[0].cls, "industrial");
    assert_string_equal(lt.classes[1].cls, "residential");
    assert_string_equal(lt.classes[2].cls, "water");
    assert_null(lt.pieces);
    cr_landtake_fini(&lt);
    GEOSGeom_destroy_r(fx->z.geos, line);
}

/* Flat caps: the corridor ends where the alignment ends (round caps would add 7854 m2). */
static void
flat_end_caps(void **state)
{
    struct fixture *fx = *state;
    struct cr_landtake lt;
    struct cr_error err = { 0 };
    GEOSGeometry *line = wkt(&fx->z, "LINESTRING(500 500,1500 500)");

    assert_int_equal(cr_landtake_compute(&fx->z, line, 100, 0, &lt, &err), CR_OK);
    assert_true(fabs(lt.corridor_area_m2 - 100000) < 1e-6);
    expect_class(&lt, "residential", 50000, 1);
    expect_class(&lt, "industrial", 50000, 1);
    assert_int_equal(lt.class_count, 2);
    cr_landtake_fini(&lt);
    GEOSGeom_destroy_r(fx->z.geos, line);
}

/* Two pieces meeting at (1500, 500) at a right angle: merged, so the outer corner gets a round
 * join (a quarter circle of radius 50 drawn with 8 segments) and the inner corner is counted
 * once: 1000*100 + 400*100 - 50*50 + 0.5*50^2*8*sin(pi/16). */
static void
pieces_merged_round_join(void **state)
{
    struct fixture *fx = *state;
    struct cr_landtake lt;
    struct cr_error err = { 0 };
    GEOSGeometry *line = wkt(&fx->z, "MULTILINESTRING((500 500,1500 500),(1500 500,1500 900))");
    double join = 0.5 * 50 * 50 * CR_LANDTAKE_QUADSEGS * sin(M_PI / (2 * CR_LANDTAKE_QUADSEGS));
    double want = 100000 + 40000 - 2500 + join;

    assert_int_equal(cr_landtake_compute(&fx->z, line, 100, 1, &lt, &err), CR_OK);
    if (fabs(lt.corridor_area_m2 - want) > 1e-6)
        fail_msg("corridor %.6f m2, want %.6f", lt.corridor_area_m2, want);
    expect_class(&lt, "residential", 50000, 1);
    expect_class(&lt, "industrial", want - 50000, 1);
    /* pieces, by zone index: A, B */
    assert_int_equal(lt.piece_count, 2);
    assert_int_equal(lt.pieces[0].zone, 0);
    assert_int_equal(lt.pieces[1].zone, 1);
    double a = 0;
    GEOSArea_r(fx->z.geos, lt.pieces[1].geom, &a);
    assert_true(fabs(a - (want - 50000)) < 1e-6);
    cr_landtake_fini(&lt);
    GEOSGeom_destroy_r(fx->z.geos, line);
}

/* Along y=1050, 100 m wide: the corridor's lower edge is A's top edge. A is touched but loses
 * no land, so it is not counted; C loses a 100 m strip. */
static void
edge_touch_takes_nothing(void **state)
{
    struct fixture *fx = *state;
    struct cr_landtake lt;
    struct cr_error err = { 0 };
    GEOSGeometry *line = wkt(&fx->z, "LINESTRING(0 1050,1000 1050)");

    assert_int_equal(cr_landtake_compute(&fx->z, line, 100, 0, &lt, &err), CR_OK);
    expect_class(&lt, "park", 100000, 1);
    assert_null(find_class(&lt, "residential"));
    assert_int_equal(lt.parcels, 1);
    cr_landtake_fini(&lt);
    GEOSGeom_destroy_r(fx->z.geos, line);
}

static void
bad_width(void **state)
{
    struct fixture *fx = *state;
    struct cr_landtake lt;
    struct cr_error err = { 0 };
    GEOSGeometry *line = wkt(&fx->z, "LINESTRING(0 500,1000 500)");
    static const double widths[] = { 0, -5, NAN, INFINITY };

    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        assert_int_equal(cr_landtake_compute(&fx->z, line, widths[i], 0, &lt, &err), CR_EINVAL);
        assert_non_null(strstr(err.msg, "width"));
    }
    GEOSGeom_destroy_r(fx->z.geos, line);
}

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* An alignment read from GeoJSON (in UTM 48N, said so by its crs member), then the pieces
 * written as a GeoPackage and read back. */
static void
read_alignment_and_write_pieces(void **state)
{
    struct fixture *fx = *state;
    struct cr_landtake_alignment a;
    struct cr_landtake lt;
    struct cr_error err = { 0 };
    char path[1024], gpkg[1024];

    snprintf(path, sizeof path, "%s/landtake_align.geojson", CR_BINARY_DIR);
    snprintf(gpkg, sizeof gpkg, "%s/landtake_pieces.gpkg", CR_BINARY_DIR);
    write_file(path, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
                     "{\"name\":\"urn:ogc:def:crs:EPSG::32648\"}},\"features\":["
                     "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
                     "\"coordinates\":[5,5]}},"
                     "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
                     "\"LineString\",\"coordinates\":[[-100,500],[1000,500]]}},"
                     "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
                     "\"MultiLineString\",\"coordinates\":[[[1000,500],[2100,500]]]}}]}");
    struct cr_landtake_alignment_options o = { .path = path };
    assert_int_equal(cr_landtake_read_alignment(&fx->z, &o, &a, &err), CR_OK);
    assert_int_equal(a.line_count, 2);
    assert_int_equal(a.skipped, 1);
    assert_true(fabs(a.length_m - 2200) < 1e-9);
    assert_string_equal(a.crs, "EPSG:32648");

    assert_int_equal(cr_landtake_compute(&fx->z, a.lines, 100, 1, &lt, &err), CR_OK);
    assert_true(fabs(lt.corridor_area_m2 - 220000) < 1e-6); /* merged: no notch at x=1000 */
    assert_int_equal(lt.piece_count, 3);
    remove(gpkg);
    assert_int_equal(cr_landtake_write_pieces(&lt, gpkg, &err), CR_OK);

    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "pieces");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 3);
    double sum = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        double field = OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "area_m2"));
        assert_true(fabs(OGR_G_Area(g) - field) < 1e-6);
        sum += field;
        if (!strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name")), "D")) {
            assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "class")),
                                "water");
            assert_int_equal(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "fid")), 4);
        }
        OGR_F_Destroy(f);
    }
    assert_true(fabs(sum - 210000) < 1e-6);
    l = GDALDatasetGetLayerByName(ds, "corridor");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 1);
    GDALClose(ds);
    remove(gpkg);

    cr_landtake_fini(&lt);
    cr_landtake_alignment_fini(&fx->z, &a);
}

static void
alignment_errors(void **state)
{
    struct fixture *fx = *state;
    struct cr_landtake_alignment a;
    struct cr_error err = { 0 };
    char points[1024], nocrs[1024], garbage[1024];

    snprintf(points, sizeof points, "%s/landtake_points.geojson", CR_BINARY_DIR);
    snprintf(nocrs, sizeof nocrs, "%s/landtake_nocrs.csv", CR_BINARY_DIR);
    snprintf(garbage, sizeof garbage, "%s/landtake_garbage.shp", CR_BINARY_DIR);
    write_file(points, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                       "\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                       "[106.7,10.7]}}]}");
    write_file(nocrs, "WKT,id\n\"LINESTRING(0 500,1000 500)\",1\n");
    write_file(garbage, "this is not a shapefile\n");

    struct cr_landtake_alignment_options o = { .path = points };
    assert_int_equal(cr_landtake_read_alignment(&fx->z, &o, &a, &err), CR_EEMPTY);
    assert_non_null(strstr(err.msg, "no lines"));
    assert_non_null(strstr(err.msg, points));

    o.path = nocrs;
    assert_int_equal(cr_landtake_read_alignment(&fx->z, &o, &a, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "no CRS"));
    o.s_srs = "EPSG:32648"; /* stated: now it reads */
    assert_int_equal(cr_landtake_read_alignment(&fx->z, &o, &a, &err), CR_OK);
    assert_true(fabs(a.length_m - 1000) < 1e-9);
    cr_landtake_alignment_fini(&fx->z, &a);
    o.s_srs = "EPSG:999999";
    assert_int_not_equal(cr_landtake_read_alignment(&fx->z, &o, &a, &err), CR_OK);
    assert_non_null(strstr(err.msg, "EPSG:999999"));

    o = (struct cr_landtake_alignment_options){ .path = garbage };
    assert_int_equal(cr_landtake_read_alignment(&fx->z, &o, &a, &err), CR_EFORMAT);
    assert_non_null(strstr(err.msg, garbage));
    o.path = "/nonexistent/align.gpkg";
    assert_int_equal(cr_landtake_read_alignment(&fx->z, &o, &a, &err), CR_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/align.gpkg"));
    o.path = points;
    o.layer = "nope";
    assert_int_equal(cr_landtake_read_alignment(&fx->z, &o, &a, &err), CR_ENOTFOUND);
    assert_non_null(strstr(err.msg, "nope"));
    remove(points);
    remove(nocrs);
    remove(garbage);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(straight_through, setup, teardown),
        cmocka_unit_test_setup_teardown(flat_end_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(pieces_merged_round_join, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_touch_takes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_width, setup, teardown),
        cmocka_unit_test_setup_teardown(read_alignment_and_write_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(alignment_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
