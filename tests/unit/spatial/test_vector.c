/*
 * spatial/vector: the one OGR reader on small files written here: GeoJSON points, CSV rows (and
 * a CSV whose header is a row of numbers), a shapefile whose .prj says UTM 48N (transformed to
 * WGS 84 with PROJ), a GeoPackage of two layers (picked by geometry; a missing name lists them),
 * and the file checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "spatial/crs.h"
#include "spatial/ctx.h"
#include "spatial/vector.h"

struct folder {
    char dir[64];
    char path[256];
};

static int
make_folder(void **state)
{
    struct folder *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_vector.XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

static int
remove_folder(void **state)
{
    struct folder *f = *state;
    DIR *d = opendir(f->dir);
    struct dirent *e;
    char path[512];
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", f->dir, e->d_name);
            unlink(path);
        }
    if (d)
        closedir(d);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* NAME's path in the folder (valid until the next call). */
static const char *
in_folder(struct folder *f, const char *name)
{
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    return f->path;
}

static const char *
write_file(struct folder *f, const char *name, const char *text)
{
    const char *path = in_folder(f, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    return path;
}

/* ---- GeoJSON points -------------------------------------------------------------------------- */

struct collected {
    double lon[8], lat[8];
    char where[8][16];
    size_t n;
    PJ *to_wgs84;
    const char *path;
};

static enum cr_status
collect_point(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    struct collected *c = user;
    assert_int_equal(index, c->n);
    snprintf(c->where[c->n], sizeof c->where[0], "%s", where);
    enum cr_status st =
        cr_vector_point(f, c->to_wgs84, c->path, where, &c->lon[c->n], &c->lat[c->n], err);
    if (!st)
        c->n++;
    return st;
}

static void
geojson_points(void **state)
{
    struct folder *f = *state;
    const char *path =
        write_file(f, "p.geojson",
                   "{\"type\":\"FeatureCollection\",\"features\":["
                   "{\"type\":\"Feature\",\"properties\":{\"Name\":\"a\"},"
                   "\"geometry\":{\"type\":\"Point\",\"coordinates\":[106.7,10.78]}},"
                   "{\"type\":\"Feature\",\"properties\":{\"Name\":\"b\"},"
                   "\"geometry\":{\"type\":\"Point\",\"coordinates\":[105.85,21.03]}}]}");
    struct cr_vector v;
    struct cr_error err = { CR_OK, "" };
    struct cr_ctx *ctx = cr_ctx_create(&err);
    struct collected c = { .path = path };
    if (cr_vector_open(&v, path, NULL, &err))
        fail_msg("%s", err.msg);
    assert_false(v.csv);
    assert_int_equal(cr_vector_to_wgs84(&v, ctx, &c.to_wgs84, &err), CR_OK);
    assert_null(c.to_wgs84); /* GeoJSON is WGS 84 already */
    static const char *const names[] = { "title", "NAME", NULL };
    assert_int_equal(cr_vector_find_field(v.defn, names), 0); /* case-insensitive */
    if (cr_vector_each(&v, collect_point, &c, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.where[1], "feature 2");
    assert_true(fabs(c.lon[0] - 106.7) < 1e-12 && fabs(c.lat[1] - 21.03) < 1e-12);
    cr_vector_close(&v);
    cr_vector_close(&v); /* twice is fine */
    cr_ctx_destroy(ctx);
}

/* ---- CSV ------------------------------------------------------------------------------------- */

static enum cr_status
csv_row(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    const struct cr_vector *v = user;
    static const char *const lon_names[] = { "lon", "longitude", "x", NULL };
    double lon;
    (void)index;
    return cr_vector_number_field(f, cr_vector_find_field(v->defn, lon_names), "lon", v->path,
                                  where, &lon, err);
}

static void
csv_rows_and_numeric_header(void **state)
{
    static const char *const csv_options[] = { "AUTODETECT_TYPE=NO", "HEADERS=YES", NULL };
    struct cr_vector_options o = { .what = "points", .open_options = csv_options };
    struct folder *f = *state;
    struct cr_vector v;
    struct cr_error err = { CR_OK, "" };

    const char *path = write_file(f, "ok.csv", "id,Longitude,lat\na,106.7,10.7\nb,12abc,10.8\n");
    if (cr_vector_open(&v, path, &o, &err))
        fail_msg("%s", err.msg);
    assert_true(v.csv);
    assert_false(cr_vector_header_is_numeric(v.defn));
    /* strict numbers: "12abc" is not one, and the row is named by its line (header = line 1) */
    assert_int_equal(cr_vector_each(&v, csv_row, &v, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "ok.csv: line 3: lon \"12abc\" is not a number"));
    cr_vector_close(&v);

    path = write_file(f, "nohead.csv", "106.7,10.7,depot\n106.8,10.8,yard\n");
    if (cr_vector_open(&v, path, &o, &err))
        fail_msg("%s", err.msg);
    assert_true(cr_vector_header_is_numeric(v.defn));
    cr_vector_close(&v);

    double x;
    assert_true(cr_vector_parse_number(" 1.5e3 ", &x) && x == 1500);
    assert_false(cr_vector_parse_number("1,5", &x));
    assert_false(cr_vector_parse_number("nan", &x));
    assert_false(cr_vector_parse_number("  ", &x));
    char *t = cr_vector_trimmed_copy("  a b \t\n");
    assert_string_equal(t, "a b");
    free(t);
}

/* ---- a shapefile in UTM 48N ------------------------------------------------------------------ */

/* A layer NAME of TYPE in DS with CRS EPSG, holding the WKT geometries. */
static void
add_layer(GDALDatasetH ds, const char *name, OGRwkbGeometryType type, int epsg,
          const char *const *wkts)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    assert_int_equal(OSRImportFromEPSG(srs, epsg), OGRERR_NONE);
    OGRLayerH l = GDALDatasetCreateLayer(ds, name, srs, type, NULL);
    assert_non_null(l);
    for (; *wkts; wkts++) {
        OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(l));
        OGRGeometryH g = NULL;
        char *text = (char *)*wkts;
        assert_int_equal(OGR_G_CreateFromWkt(&text, NULL, &g), OGRERR_NONE);
        OGR_F_SetGeometryDirectly(feat, g);
        assert_int_equal(OGR_L_CreateFeature(l, feat), OGRERR_NONE);
        OGR_F_Destroy(feat);
    }
    OSRDestroySpatialReference(srs);
}

static void
shapefile_in_utm(void **state)
{
    struct folder *f = *state;
    struct cr_error err = { CR_OK, "" };
    struct cr_ctx *ctx = cr_ctx_create(&err);
    /* where (106.7, 10.78) lies in UTM 48N, by PROJ */
    double x = 106.7, y = 10.78;
    PJ *utm = cr_crs_parse(ctx, "EPSG:32648", NULL, NULL, &err);
    PJ *t = cr_crs_from_wgs84(ctx, utm, NULL, &err);
    assert_int_equal(cr_crs_point(t, PJ_FWD, &x, &y), 0);
    char wkt[80];
    snprintf(wkt, sizeof wkt, "POINT (%.6f %.6f)", x, y);
    const char *wkts[] = { wkt, NULL };

    GDALAllRegister();
    const char *path = in_folder(f, "utm.shp");
    GDALDatasetH ds =
        GDALCreate(GDALGetDriverByName("ESRI Shapefile"), path, 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    add_layer(ds, "utm", wkbPoint, 32648, wkts);
    GDALClose(ds);
    assert_int_equal(access(in_folder(f, "utm.prj"), R_OK), 0);

    struct cr_vector v;
    struct collected c = { .path = in_folder(f, "utm.shp") };
    if (cr_vector_open(&v, c.path, NULL, &err))
        fail_msg("%s", err.msg);
    PJ *crs;
    char *label;
    assert_int_equal(cr_vector_crs(&v, ctx, NULL, &crs, &label, &err), CR_OK);
    assert_non_null(crs);
    assert_true(cr_crs_same(crs, utm));
    assert_string_equal(label, "EPSG:32648");
    free(label);
    proj_destroy(crs);
    assert_int_equal(cr_vector_to_wgs84(&v, ctx, &c.to_wgs84, &err), CR_OK);
    assert_non_null(c.to_wgs84);
    if (cr_vector_each(&v, collect_point, &c, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(c.n, 1);
    if (fabs(c.lon[0] - 106.7) > 1e-7 || fabs(c.lat[0] - 10.78) > 1e-7)
        fail_msg("read back (%.9f, %.9f), want (106.7, 10.78)", c.lon[0], c.lat[0]);
    proj_destroy(c.to_wgs84);
    cr_vector_close(&v);
    proj_destroy(t);
    proj_destroy(utm);
    cr_ctx_destroy(ctx);
}

/* ---- layers ---------------------------------------------------------------------------------- */

static void
layers_picked_and_listed(void **state)
{
    struct folder *f = *state;
    struct cr_error err = { CR_OK, "" };
    static const char *const points[] = { "POINT (1 2)", NULL };
    static const char *const lines[] = { "LINESTRING (0 0,1 1)", NULL };
    char path[256];
    snprintf(path, sizeof path, "%s", in_folder(f, "two.gpkg"));
    GDALAllRegister();
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GPKG"), path, 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    add_layer(ds, "stops", wkbPoint, 4326, points);
    add_layer(ds, "roads", wkbLineString, 4326, lines);
    GDALClose(ds);

    struct cr_vector v;
    struct cr_vector_options o = { .want = CR_VECTOR_LINES };
    assert_int_equal(cr_vector_open(&v, path, &o, &err), CR_OK);
    assert_string_equal(OGR_L_GetName(v.layer), "roads");
    cr_vector_close(&v);
    o.want = CR_VECTOR_ANY;
    assert_int_equal(cr_vector_open(&v, path, &o, &err), CR_OK);
    assert_string_equal(OGR_L_GetName(v.layer), "stops");
    cr_vector_close(&v);
    o.layer = "roads";
    assert_int_equal(cr_vector_open(&v, path, &o, &err), CR_OK);
    assert_string_equal(OGR_L_GetName(v.layer), "roads");
    cr_vector_close(&v);

    o.layer = "parcels";
    assert_int_equal(cr_vector_open(&v, path, &o, &err), CR_ENOTFOUND);
    assert_null(v.ds);
    assert_non_null(strstr(err.msg, "two.gpkg: no layer \"parcels\" (layers: stops, roads)"));
}

static void
file_checks(void **state)
{
    struct folder *f = *state;
    struct cr_error err = { CR_OK, "" };
    struct cr_vector v;
    struct cr_vector_options o = { .what = "terminals", .unreadable = "not a GeoJSON file" };

    assert_int_equal(cr_vector_open(&v, in_folder(f, "none.geojson"), &o, &err), CR_EIO);
    assert_non_null(strstr(err.msg, "none.geojson: No such file"));
    const char *path = write_file(f, "empty.geojson", "");
    assert_int_equal(cr_vector_open(&v, path, &o, &err), CR_EEMPTY);
    assert_non_null(strstr(err.msg, "empty.geojson: no terminals"));
    assert_int_equal(cr_vector_open(&v, f->dir, &o, &err), CR_EIO);
    path = write_file(f, "junk.geojson", "{ this is not json");
    assert_int_equal(cr_vector_open(&v, path, &o, &err), CR_EFORMAT);
    assert_non_null(strstr(err.msg, "junk.geojson: not a GeoJSON file ("));
    assert_null(strchr(err.msg, '\n'));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(geojson_points, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(csv_rows_and_numeric_header, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(shapefile_in_utm, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(layers_picked_and_listed, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(file_checks, make_folder, remove_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
