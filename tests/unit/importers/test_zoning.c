/*
 * Zoning layers: a GeoJSON written by the test in WGS 84 (a square with a kiosk inside it, a
 * bow-tie, a multipolygon, an empty geometry, a point), loaded into UTM 48N; repair and skip
 * counts, areas, cr_zones_at, the WGS 84 <-> work transformation; the errors; OSM landuse.
 *
 * The fixture's corners are laid out in UTM 48N metres and turned into lon/lat here with PROJ
 * directly (not through the loader), so the expected areas are exact squares and triangles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <proj.h>

#include "importers/zoning/zoning.h"

#define X0 686000.0 /* UTM 48N, District 3 of Ho Chi Minh City */
#define Y0 1192000.0

struct fixture {
    char dir[64];
    char path[128], lines[128], empty[128], nocrs[128];
};

/* Appends "[lon, lat]" of UTM (X0 + dx, Y0 + dy). */
static void
corner(PJ *utm_to_wgs, FILE *fp, double dx, double dy, int last)
{
    PJ_COORD c = proj_trans(utm_to_wgs, PJ_FWD, proj_coord(X0 + dx, Y0 + dy, 0, 0));
    fprintf(fp, "[%.10f, %.10f]%s", c.lp.lam, c.lp.phi, last ? "" : ", ");
}

/* A ring through the N offsets in XY (closed by repeating the first). */
static void
ring(PJ *t, FILE *fp, const double *xy, int n)
{
    fputc('[', fp);
    for (int i = 0; i < n; i++)
        corner(t, fp, xy[2 * i], xy[2 * i + 1], 0);
    corner(t, fp, xy[0], xy[1], 1);
    fputc(']', fp);
}

static void
write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/test_zoning.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/zones.geojson", f->dir);
    snprintf(f->lines, sizeof f->lines, "%s/lines.geojson", f->dir);
    snprintf(f->empty, sizeof f->empty, "%s/empty.geojson", f->dir);
    snprintf(f->nocrs, sizeof f->nocrs, "%s/nocrs.csv", f->dir);

    PJ_CONTEXT *ctx = proj_context_create();
    PJ *raw = proj_create_crs_to_crs(ctx, "EPSG:32648", "EPSG:4326", NULL);
    PJ *t = proj_normalize_for_visualization(ctx, raw);
    FILE *fp = fopen(f->path, "w");
    if (!raw || !t || !fp)
        return -1;
    static const double square[] = { 0, 0, 100, 0, 100, 100, 0, 100 };         /* 1 ha */
    static const double kiosk[] = { 40, 40, 60, 40, 60, 60, 40, 60 };          /* 400 m2, inside */
    static const double bowtie[] = { 200, 0, 300, 100, 300, 0, 200, 100 };     /* 2 x 2500 m2 */
    static const double park_a[] = { 0, 200, 50, 200, 50, 250, 0, 250 };       /* 2500 m2 */
    static const double park_b[] = { 100, 200, 200, 200, 200, 300, 100, 300 }; /* 1 ha */
    fputs("{\"type\": \"FeatureCollection\", \"features\": [\n", fp);
    fputs("{\"type\": \"Feature\", \"properties\": {\"class\": \"residential\", \"name\": "
          "\"Phường Võ Thị Sáu\", \"pop\": 120}, \"geometry\": {\"type\": \"Polygon\", "
          "\"coordinates\": [",
          fp);
    ring(t, fp, square, 4);
    fputs("]}},\n{\"type\": \"Feature\", \"properties\": {\"class\": \"kiosk\", \"pop\": "
          "\"n/a\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [",
          fp);
    ring(t, fp, kiosk, 4);
    fputs("]}},\n{\"type\": \"Feature\", \"properties\": {\"class\": \"commercial\", \"pop\": "
          "null}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [",
          fp);
    ring(t, fp, bowtie, 4);
    fputs("]}},\n{\"type\": \"Feature\", \"properties\": {\"class\": \"park\", \"pop\": 0}, "
          "\"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": [[",
          fp);
    ring(t, fp, park_a, 4);
    fputs("], [", fp);
    ring(t, fp, park_b, 4);
    fputs("]]}},\n{\"type\": \"Feature\", \"properties\": {\"class\": \"park\"}, \"geometry\": "
          "null},\n{\"type\": \"Feature\", \"properties\": {\"class\": \"bus stop\"}, "
          "\"geometry\": {\"type\": \"Point\", \"coordinates\": [106.69, 10.78]}}\n]}\n",
          fp);
    fclose(fp);
    proj_destroy(t);
    proj_destroy(raw);
    proj_context_destroy(ctx);

    write_text(f->lines, "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": "
                         "\"Feature\", \"properties\": {\"class\": \"road\"}, \"geometry\": "
                         "{\"type\": \"LineString\", \"coordinates\": [[106.69, 10.78], "
                         "[106.70, 10.79]]}}]}\n");
    write_text(f->empty, "{\"type\": \"FeatureCollection\", \"features\": []}\n");
    write_text(f->nocrs, "id,class,WKT\n1,a,\"POLYGON((0 0,100 0,100 100,0 100,0 0))\"\n");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    unlink(f->path);
    unlink(f->lines);
    unlink(f->empty);
    unlink(f->nocrs);
    rmdir(f->dir);
    free(f);
    return 0;
}

static const struct cr_zone *
by_class(const struct cr_zones *z, const char *cls)
{
    for (size_t i = 0; i < z->count; i++)
        if (strcmp(z->zones[i].cls, cls) == 0)
            return &z->zones[i];
    fail_msg("no zone of class %s", cls);
    return NULL;
}

static void
geojson_in_utm(void **state)
{
    struct fixture *f = *state;
    const char *values[] = { "pop", NULL };
    struct cr_zones_options o = {
        .path = f->path, .class_field = "class", .name_field = "name", .value_fields = values
    };
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };
    if (cr_zones_load(&o, &z, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(z->features_read, 6);
    assert_int_equal(z->count, 4);
    assert_int_equal(z->repaired, 1);
    assert_int_equal(z->skipped_empty, 1);
    assert_int_equal(z->skipped_non_polygon, 1);
    assert_int_equal(z->skipped_degenerate, 0);
    assert_int_equal(z->values_not_numeric, 1);
    assert_string_equal(z->work_crs, "EPSG:32648");
    assert_string_equal(z->source_crs, "EPSG:4326");
    assert_string_equal(z->class_field, "class");

    const struct cr_zone *res = by_class(z, "residential");
    assert_true(fabs(res->area_m2 - 10000) < 0.5);
    assert_string_equal(res->name, "Phường Võ Thị Sáu");
    assert_true(res->values[0] == 120);
    assert_false(res->repaired);
    const struct cr_zone *bow = by_class(z, "commercial");
    assert_true(bow->repaired);
    assert_true(fabs(bow->area_m2 - 5000) < 0.5);
    assert_true(isnan(bow->values[0]));
    assert_null(bow->name);
    const struct cr_zone *park = by_class(z, "park");
    assert_true(fabs(park->area_m2 - 12500) < 0.5);
    assert_int_equal(GEOSGeomTypeId_r(z->geos, park->geom), GEOS_MULTIPOLYGON);
    assert_true(park->values[0] == 0);
    assert_true(isnan(by_class(z, "kiosk")->values[0]));
    for (size_t i = 0; i < z->count; i++)
        assert_int_equal(GEOSisValid_r(z->geos, z->zones[i].geom), 1);

    /* classes sorted by name, with counts and areas */
    assert_int_equal(z->class_count, 4);
    const char *names[] = { "commercial", "kiosk", "park", "residential" };
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(z->classes[i].cls, names[i]);
        assert_int_equal(z->classes[i].count, 1);
    }
    assert_true(fabs(z->classes[2].area_m2 - 12500) < 0.5);

    /* bbox in metres, within a few cm of the layout */
    assert_true(fabs(z->bbox[0] - X0) < 0.05 && fabs(z->bbox[1] - Y0) < 0.05);
    assert_true(fabs(z->bbox[2] - (X0 + 300)) < 0.05 && fabs(z->bbox[3] - (Y0 + 300)) < 0.05);

    /* point in zone: the smallest of overlapping zones; none outside; the bow-tie's halves */
    size_t at = cr_zones_at(z, X0 + 50, Y0 + 50);
    assert_true(at != SIZE_MAX);
    assert_string_equal(z->zones[at].cls, "kiosk");
    at = cr_zones_at(z, X0 + 10, Y0 + 10);
    assert_true(at != SIZE_MAX);
    assert_string_equal(z->zones[at].cls, "residential");
    at = cr_zones_at(z, X0 + 210, Y0 + 50);
    assert_true(at != SIZE_MAX);
    assert_string_equal(z->zones[at].cls, "commercial");
    assert_true(cr_zones_at(z, X0 + 250, Y0 + 20) == SIZE_MAX); /* under the bow-tie's knot */
    assert_true(cr_zones_at(z, X0 + 75, Y0 + 225) == SIZE_MAX); /* between the park's parts */
    assert_true(cr_zones_at(z, X0 - 500, Y0) == SIZE_MAX);
    at = cr_zones_at(z, X0 + 150, Y0 + 250);
    assert_true(at != SIZE_MAX);
    assert_string_equal(z->zones[at].cls, "park");

    /* WGS 84 <-> working CRS, lon first */
    double x, y, lon, lat;
    assert_int_equal(cr_zones_to_wgs84(z, X0, Y0, &lon, &lat), 0);
    assert_true(lon > 106.6 && lon < 106.8 && lat > 10.7 && lat < 10.9);
    assert_int_equal(cr_zones_to_work(z, lon, lat, &x, &y), 0);
    assert_true(fabs(x - X0) < 1e-3 && fabs(y - Y0) < 1e-3);
    cr_zones_destroy(z);
}

static void
explicit_work_crs(void **state)
{
    struct fixture *f = *state;
    /* VN-2000 / TM-3 zone 106-NE (Ho Chi Minh City's own zone, k = 0.9999) */
    struct cr_zones_options o = { .path = f->path,
                                  .class_field = "class",
                                  .work_crs = "EPSG:9210" };
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };
    if (cr_zones_load(&o, &z, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(z->work_crs, "EPSG:9210");
    /* the same square, measured in another TM: scale factors differ by < 0.1 % */
    assert_true(fabs(by_class(z, "residential")->area_m2 / 10000 - 1) < 1e-3);
    cr_zones_destroy(z);
}

static void
expect_error(const struct cr_zones_options *o, enum cr_status code, const char *needle)
{
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };
    enum cr_status st = cr_zones_load(o, &z, &err);
    if (st != code)
        fail_msg("%s: want status %d, got %d (%s)", o->path, code, st, err.msg);
    assert_null(z);
    if (!strstr(err.msg, needle))
        fail_msg("message \"%s\" does not say \"%s\"", err.msg, needle);
    assert_null(strchr(err.msg, '\n'));
}

static void
errors(void **state)
{
    struct fixture *f = *state;
    struct cr_zones_options o = { .path = f->path, .class_field = "zoning" };
    expect_error(&o, CR_ENOTFOUND, "\"zoning\"");
    o = (struct cr_zones_options){ .path = f->path,
                                   .value_fields = (const char *[]){ "jobs", NULL } };
    expect_error(&o, CR_ENOTFOUND, "\"jobs\"");
    o = (struct cr_zones_options){ .path = f->path, .s_srs = "EPSG:999999" };
    expect_error(&o, CR_EINVAL, "unknown CRS \"EPSG:999999\"");
    o = (struct cr_zones_options){ .path = f->path, .s_srs = "+proj=nonsense" };
    expect_error(&o, CR_EINVAL, "unknown CRS");
    o = (struct cr_zones_options){ .path = f->lines, .class_field = "class" };
    expect_error(&o, CR_EFORMAT, "LineString");
    o = (struct cr_zones_options){ .path = f->empty };
    expect_error(&o, CR_EEMPTY, "empty");
    o = (struct cr_zones_options){ .path = f->nocrs };
    expect_error(&o, CR_EINVAL, "no CRS");
    o = (struct cr_zones_options){ .path = "/nonexistent/zones.shp" };
    expect_error(&o, CR_EIO, "/nonexistent/zones.shp");
    o = (struct cr_zones_options){ .path = CR_SOURCE_DIR "/README.md" };
    expect_error(&o, CR_EFORMAT, "GDAL");
    o = (struct cr_zones_options){ .path = f->path, .layer = "parcels" };
    expect_error(&o, CR_ENOTFOUND, "no layer \"parcels\"");
}

static void
s_srs_overrides(void **state)
{
    struct fixture *f = *state;
    /* the CSV's WKT square has no CRS; given as UTM 48N it is 1 ha as it stands */
    struct cr_zones_options o = { .path = f->nocrs, .class_field = "class", .s_srs = "32648" };
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };
    if (cr_zones_load(&o, &z, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(z->count, 1);
    assert_string_equal(z->work_crs, "EPSG:32648");
    assert_true(fabs(z->zones[0].area_m2 - 10000) < 1e-6);
    cr_zones_destroy(z);
}

/* Repairs in a layer already in UTM 48N (a GeoJSON "crs" member), so areas are exact. */
static void
repairs_in_metres(void **state)
{
    struct fixture *f = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/utm.geojson", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
          "{\"name\": \"urn:ogc:def:crs:EPSG::32648\"}}, \"features\": [\n"
          /* an unclosed square: closed, not counted as a repair */
          "{\"type\": \"Feature\", \"properties\": {\"c\": \"open\"}, \"geometry\": "
          "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [100, 0], [100, 100], [0, 100]]]}},\n"
          /* two squares overlapping by half: merged, 1.5 ha */
          "{\"type\": \"Feature\", \"properties\": {\"c\": \"overlap\"}, \"geometry\": "
          "{\"type\": \"MultiPolygon\", \"coordinates\": [[[[0, 200], [100, 200], [100, 300], "
          "[0, 300], [0, 200]]], [[[50, 200], [150, 200], [150, 300], [50, 300], [50, 200]]]]}},\n"
          /* a square with a two-point hole: the hole goes, 1 ha */
          "{\"type\": \"Feature\", \"properties\": {\"c\": \"badhole\"}, \"geometry\": "
          "{\"type\": \"Polygon\", \"coordinates\": [[[0, 400], [100, 400], [100, 500], "
          "[0, 500], [0, 400]], [[10, 410], [20, 420]]]}},\n"
          /* a ring folded onto a line: nothing left */
          "{\"type\": \"Feature\", \"properties\": {\"c\": \"flat\"}, \"geometry\": "
          "{\"type\": \"Polygon\", \"coordinates\": [[[0, 600], [100, 600], [50, 600], "
          "[0, 600]]]}},\n"
          /* a three-point ring: nothing left */
          "{\"type\": \"Feature\", \"properties\": {\"c\": \"tiny\"}, \"geometry\": "
          "{\"type\": \"Polygon\", \"coordinates\": [[[0, 700], [1, 701], [0, 700]]]}}\n"
          "]}\n",
          fp);
    fclose(fp);
    struct cr_zones_options o = { .path = path, .class_field = "c" };
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };
    if (cr_zones_load(&o, &z, &err))
        fail_msg("%s", err.msg);
    unlink(path);
    assert_string_equal(z->source_crs, "EPSG:32648");
    assert_string_equal(z->work_crs, "EPSG:32648");
    assert_int_equal(z->features_read, 5);
    assert_int_equal(z->count, 3);
    assert_int_equal(z->skipped_degenerate, 2);
    assert_int_equal(z->repaired, 2);
    assert_true(fabs(by_class(z, "open")->area_m2 - 10000) < 1e-6);
    assert_false(by_class(z, "open")->repaired);
    const struct cr_zone *overlap = by_class(z, "overlap");
    assert_true(overlap->repaired);
    assert_true(fabs(overlap->area_m2 - 15000) < 1e-6);
    assert_int_equal(GEOSGeomTypeId_r(z->geos, overlap->geom), GEOS_POLYGON);
    assert_true(by_class(z, "badhole")->repaired);
    assert_true(fabs(by_class(z, "badhole")->area_m2 - 10000) < 1e-6);
    assert_true(z->bbox[0] == 0 && z->bbox[1] == 0 && z->bbox[2] == 150 && z->bbox[3] == 500);
    cr_zones_destroy(z);
}

static void
osm_landuse(void **state)
{
    (void)state;
    struct cr_zones_options o = { .path = CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm.pbf" };
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };
    if (cr_zones_load(&o, &z, &err))
        fail_msg("%s", err.msg);
    /* datasets/README: landuse ways+relations = 3 (commercial 2, religious 1) */
    assert_int_equal(z->features_read, 3);
    assert_int_equal(z->count + z->skipped_degenerate, 3);
    assert_string_equal(z->work_crs, "EPSG:32648");
    assert_string_equal(z->class_field, "landuse");
    for (size_t i = 0; i < z->count; i++) {
        assert_true(z->zones[i].area_m2 > 0);
        assert_true(strcmp(z->zones[i].cls, "commercial") == 0 ||
                    strcmp(z->zones[i].cls, "religious") == 0);
    }
    cr_zones_destroy(z);

    o.path = CR_SOURCE_DIR "/datasets/osrm-monaco.osm.pbf";
    if (cr_zones_load(&o, &z, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(z->work_crs, "EPSG:32632");
    assert_true(z->count > 10);
    cr_zones_destroy(z);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(geojson_in_utm),
        cmocka_unit_test(explicit_work_crs),
        cmocka_unit_test(errors),
        cmocka_unit_test(s_srs_overrides),
        cmocka_unit_test(repairs_in_metres),
        cmocka_unit_test(osm_landuse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
