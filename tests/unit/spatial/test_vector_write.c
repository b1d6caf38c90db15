/*
 * spatial/vector_write: the GDAL writer through core/atomic, on its error paths as well as the
 * plain one. A committed GeoPackage holds its layer, fields, features and CRS; an unknown driver,
 * an unknown CRS, a missing folder and an abort leave the destination as it was and no temporary
 * file; cr_vector_multipolygon keeps only the polygonal parts of a collection (nested ones too);
 * cr_vector_writer_add frees what it is given when it fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "spatial/ctx.h"
#include "spatial/vector_write.h"

static char dir[64];
static char path_buf[256];

static const char *
in_dir(const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    return path_buf;
}

/* Files in the folder, "." and ".." aside. */
static int
count_files(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_vector_write.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(dir);
    return 0;
}

static void
write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *
read_text(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static OGRGeometryH
square(double x0, double y0, double side)
{
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    OGR_G_AddPoint_2D(ring, x0, y0);
    OGR_G_AddPoint_2D(ring, x0 + side, y0);
    OGR_G_AddPoint_2D(ring, x0 + side, y0 + side);
    OGR_G_AddPoint_2D(ring, x0, y0 + side);
    OGR_G_AddPoint_2D(ring, x0, y0);
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(poly, ring);
    return poly;
}

static void
test_commit_writes_layer(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("out.gpkg"));
    struct cr_vector_writer w;
    struct cr_error err = { 0 };
    assert_int_equal(cr_vector_writer_open(&w, path, "GPKG", "EPSG:32633", &err), CR_OK);
    const char *fields[] = { "name", "area", NULL };
    const OGRFieldType types[] = { OFTString, OFTReal };
    OGRLayerH l = cr_vector_writer_layer(&w, "zones", wkbMultiPolygon, fields, types, NULL, &err);
    assert_non_null(l);
    for (int i = 0; i < 3; i++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        OGR_F_SetFieldString(f, 0, i == 1 ? "b" : "a");
        OGR_F_SetFieldDouble(f, 1, 100.0 * (i + 1));
        OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon);
        OGR_G_AddGeometryDirectly(mp, square(500000 + 100 * i, 5000000, 10));
        assert_int_equal(cr_vector_writer_add(l, f, mp), 0);
    }
    assert_int_equal(cr_vector_writer_commit(&w, &err), CR_OK);
    assert_int_equal(count_files(), 1); /* no temporary file beside it */

    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH rl = GDALDatasetGetLayerByName(ds, "zones");
    assert_non_null(rl);
    assert_int_equal(OGR_L_GetFeatureCount(rl, TRUE), 3);
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(rl);
    assert_non_null(srs);
    assert_string_equal(OSRGetAuthorityCode(srs, NULL), "32633");
    OGRFeatureH f = OGR_L_GetNextFeature(rl);
    assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name")), "a");
    OGR_F_Destroy(f);
    GDALClose(ds);
    unlink(path);
}

static void
test_unknown_driver_keeps_old_file(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("keep.gpkg"));
    write_text(path, "the old contents");
    struct cr_vector_writer w;
    struct cr_error err = { 0 };
    assert_int_equal(cr_vector_writer_open(&w, path, "NoSuchDriver", NULL, &err), CR_EINTERNAL);
    assert_non_null(strstr(err.msg, "GDAL has no NoSuchDriver driver"));
    assert_non_null(strstr(err.msg, "keep.gpkg"));
    assert_string_equal(read_text(path), "the old contents");
    assert_int_equal(count_files(), 1);
    cr_vector_writer_abort(&w); /* a released writer is fine */
    unlink(path);
}

static void
test_unknown_crs(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("crs.gpkg"));
    struct cr_vector_writer w;
    struct cr_error err = { 0 };
    assert_int_equal(cr_vector_writer_open(&w, path, "GPKG", "EPSG:999999", &err), CR_EINTERNAL);
    assert_non_null(strstr(err.msg, "the CRS \"EPSG:999999\""));
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(count_files(), 0);
    err = (struct cr_error){ 0 };
    assert_int_equal(cr_vector_writer_open(&w, path, "GPKG", "not a crs at all", &err),
                     CR_EINTERNAL);
    assert_int_equal(count_files(), 0);
}

static void
test_missing_folder(void **state)
{
    (void)state;
    struct cr_vector_writer w;
    struct cr_error err = { 0 };
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("no/such/folder/out.gpkg"));
    assert_int_not_equal(cr_vector_writer_open(&w, path, "GPKG", NULL, &err), CR_OK);
    assert_non_null(strstr(err.msg, "out.gpkg"));
    assert_int_equal(count_files(), 0);
}

static void
test_abort_leaves_destination(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("abort.gpkg"));
    write_text(path, "before");
    struct cr_vector_writer w;
    struct cr_error err = { 0 };
    assert_int_equal(cr_vector_writer_open(&w, path, "GPKG", NULL, &err), CR_OK);
    OGRLayerH l = cr_vector_writer_layer(&w, "x", wkbPolygon, NULL, NULL, NULL, &err);
    assert_non_null(l);
    assert_int_equal(cr_vector_writer_add(l, OGR_F_Create(OGR_L_GetLayerDefn(l)), square(0, 0, 1)),
                     0);
    cr_vector_writer_abort(&w);
    cr_vector_writer_abort(&w); /* twice is fine */
    assert_string_equal(read_text(path), "before");
    assert_int_equal(count_files(), 1);
    unlink(path);
}

static void
test_layer_refused(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("dup.gpkg"));
    struct cr_vector_writer w;
    struct cr_error err = { 0 };
    assert_int_equal(cr_vector_writer_open(&w, path, "GPKG", NULL, &err), CR_OK);
    assert_non_null(cr_vector_writer_layer(&w, "same", wkbPolygon, NULL, NULL, NULL, &err));
    /* the same name twice: GeoPackage refuses the second */
    assert_null(cr_vector_writer_layer(&w, "same", wkbPolygon, NULL, NULL, NULL, &err));
    assert_int_equal(err.code, CR_EIO);
    assert_non_null(strstr(err.msg, "cannot create layer same"));
    cr_vector_writer_abort(&w);
    assert_int_equal(count_files(), 0);
}

static void
test_add_frees_on_failure(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("add.gpkg"));
    struct cr_vector_writer w;
    struct cr_error err = { 0 };
    assert_int_equal(cr_vector_writer_open(&w, path, "GPKG", NULL, &err), CR_OK);
    OGRLayerH l = cr_vector_writer_layer(&w, "x", wkbPolygon, NULL, NULL, NULL, &err);
    assert_non_null(l);
    /* a NULL feature or geometry is a failure, and what was given is freed (ASan's leak check) */
    assert_int_equal(cr_vector_writer_add(l, NULL, square(0, 0, 1)), -1);
    assert_int_equal(cr_vector_writer_add(l, OGR_F_Create(OGR_L_GetLayerDefn(l)), NULL), -1);
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 0);
    cr_vector_writer_abort(&w);
}

static void
test_multipolygon_keeps_polygons(void **state)
{
    (void)state;
    struct cr_error err = { 0 };
    struct cr_ctx *c = cr_ctx_create(&err);
    assert_non_null(c);
    GEOSContextHandle_t h = cr_ctx_geos(c);
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(
        h, r,
        "GEOMETRYCOLLECTION(POLYGON((0 0,1 0,1 1,0 0)), LINESTRING(0 0,5 5), POINT(3 3),"
        " POLYGON EMPTY, MULTIPOLYGON(((10 0,11 0,11 1,10 0)),((20 0,21 0,21 1,20 0))),"
        " GEOMETRYCOLLECTION(POLYGON((30 0,31 0,31 1,30 0)), POINT(1 1)))");
    assert_non_null(g);
    OGRGeometryH mp = cr_vector_multipolygon(h, g);
    assert_non_null(mp);
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(mp)), wkbMultiPolygon);
    assert_int_equal(OGR_G_GetGeometryCount(mp), 4);
    assert_float_equal(OGR_G_Area(mp), 2.0, 1e-9);
    OGR_G_DestroyGeometry(mp);
    GEOSGeom_destroy_r(h, g);

    /* nothing polygonal: an empty MultiPolygon, not a failure */
    g = GEOSWKTReader_read_r(h, r, "GEOMETRYCOLLECTION(LINESTRING(0 0,1 1), POINT(2 2))");
    mp = cr_vector_multipolygon(h, g);
    assert_non_null(mp);
    assert_int_equal(OGR_G_GetGeometryCount(mp), 0);
    OGR_G_DestroyGeometry(mp);
    GEOSGeom_destroy_r(h, g);
    GEOSWKTReader_destroy_r(h, r);
    cr_ctx_destroy(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_writes_layer),
        cmocka_unit_test(test_unknown_driver_keeps_old_file),
        cmocka_unit_test(test_unknown_crs),
        cmocka_unit_test(test_missing_folder),
        cmocka_unit_test(test_abort_leaves_destination),
        cmocka_unit_test(test_layer_refused),
        cmocka_unit_test(test_add_frees_on_failure),
        cmocka_unit_test(test_multipolygon_keeps_polygons),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
