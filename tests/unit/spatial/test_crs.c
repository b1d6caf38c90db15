/* spatial/crs and spatial/ctx: UTM zones, CRS parsing and its errors, PROJ round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/crs.h"
#include "spatial/ctx.h"

static void
utm_zones(void **state)
{
    static const struct {
        double lon, lat;
        int epsg;
    } cases[] = {
        { 106.70, 10.78, 32648 },   /* Ho Chi Minh City */
        { 105.85, 21.03, 32648 },   /* Hanoi */
        { 102.00, 10.00, 32648 },   /* the western edge of zone 48 belongs to it */
        { 101.9999, 10.00, 32647 }, /* just west of it: zone 47 */
        { 108.00, 16.00, 32649 },   /* Da Nang's meridian: zone 49 starts at 108 E */
        { -46.63, -23.55, 32723 },  /* Sao Paulo: south */
        { 151.21, -33.87, 32756 },  /* Sydney: south */
        { 18.42, -33.92, 32734 },   /* Cape Town */
        { 0.0, 0.0, 32631 },        /* the equator counts as north */
        { -180.0, 5.0, 32601 },     { 180.0, 5.0, 32660 }, /* longitude 180: zone 60, not 61 */
        { 5.32, 60.39, 32632 },  /* Bergen: Norway's exception (31 by the rule) */
        { 2.0, 60.0, 32631 },    /* west of the exception */
        { 15.63, 78.22, 32633 }, /* Longyearbyen, Svalbard */
        { 8.0, 79.0, 32631 },    /* Svalbard: 0..9 E is 31 */
        { 25.0, 80.0, 32635 },   /* Svalbard: 21..33 E is 35 */
        { 40.0, 80.0, 32637 },   /* Svalbard: 33..42 E is 37 */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int epsg = cr_crs_utm_epsg(cases[i].lon, cases[i].lat);
        if (epsg != cases[i].epsg)
            fail_msg("(%g, %g): EPSG:%d, want EPSG:%d", cases[i].lon, cases[i].lat, epsg,
                     cases[i].epsg);
    }
    int zone;
    bool north;
    assert_int_equal(cr_crs_utm_zone(-70.0, -33.0, &zone, &north), 0);
    assert_int_equal(zone, 19);
    assert_false(north);
    assert_int_equal(cr_crs_utm_zone(181.0, 0.0, &zone, &north), -1);
    assert_int_equal(cr_crs_utm_zone(0.0, NAN, &zone, &north), -1);
    assert_int_equal(cr_crs_utm_epsg(0.0, 91.0), 0);
}

static void
parse_forms(void **state)
{
    static const char *const good[] = {
        "EPSG:32648",
        "32648",
        " 4326",
        "+proj=utm +zone=48 +datum=WGS84 +units=m",
        "OGC:CRS84",
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],"
        "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]",
    };
    struct cr_error err = { CR_OK, "" };
    struct cr_ctx *c = cr_ctx_create(&err);
    (void)state;
    assert_non_null(c);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        PJ *crs = cr_crs_parse(c, good[i], "--s-srs", "zones.shp", &err);
        if (!crs)
            fail_msg("\"%s\": %s", good[i], err.msg);
        proj_destroy(crs);
    }
    PJ *utm = cr_crs_parse(c, "32648", NULL, NULL, &err);
    assert_non_null(utm);
    assert_true(cr_crs_is_projected_metres(c, utm));
    char *text = cr_crs_text(c, utm);
    assert_string_equal(text, "EPSG:32648");
    free(text);
    assert_string_equal(cr_crs_name(utm), "WGS 84 / UTM zone 48N");
    PJ *wgs84 = cr_crs_wgs84(c, &err);
    assert_false(cr_crs_is_projected_metres(c, wgs84));
    assert_false(cr_crs_same(utm, wgs84));
    proj_destroy(wgs84);
    proj_destroy(utm);
    cr_ctx_destroy(c);
}

static void
unknown_crs(void **state)
{
    struct cr_error err = { CR_OK, "" };
    struct cr_ctx *c = cr_ctx_create(&err);
    (void)state;
    assert_null(cr_crs_parse(c, "EPSG:99999", "--s-srs", "zones.shp", &err));
    assert_int_equal(err.code, CR_EINVAL);
    assert_non_null(strstr(err.msg, "zones.shp: unknown CRS \"EPSG:99999\" ("));
    assert_non_null(strstr(err.msg, "): --s-srs"));
    assert_null(strchr(err.msg, '\n'));
    err = (struct cr_error){ CR_OK, "" };
    assert_null(cr_crs_parse(c, "no such thing", NULL, NULL, &err));
    assert_int_equal(strncmp(err.msg, "unknown CRS \"no such thing\" (", 29), 0);
    assert_null(cr_crs_parse(c, "  ", "--work-crs", "z.gpkg", &err));
    assert_string_equal(err.msg, "z.gpkg: --work-crs is empty");
    cr_ctx_destroy(c);
}

static void
round_trip_utm48(void **state)
{
    struct cr_error err = { CR_OK, "" };
    struct cr_ctx *c = cr_ctx_create(&err);
    PJ *utm = cr_crs_parse(c, "EPSG:32648", NULL, NULL, &err);
    PJ *t = utm ? cr_crs_from_wgs84(c, utm, "test", &err) : NULL;
    (void)state;
    if (!t)
        fail_msg("%s", err.msg);
    /* lon, lat order in, easting, northing out, even though EPSG:4326 says lat first */
    double x = 106.7, y = 10.78;
    assert_int_equal(cr_crs_point(t, PJ_FWD, &x, &y), 0);
    assert_true(x > 600000 && x < 800000);
    assert_true(y > 1100000 && y < 1300000);
    assert_int_equal(cr_crs_point(t, PJ_INV, &x, &y), 0);
    assert_true(fabs(x - 106.7) < 1e-9);
    assert_true(fabs(y - 10.78) < 1e-9);

    double xy[] = { 102.5, 8.5, 105.0, 0.5, 107.9, 23.0 };
    double orig[6];
    memcpy(orig, xy, sizeof xy);
    assert_int_equal(cr_crs_xy(t, PJ_FWD, xy, 3), 0);
    assert_int_equal(cr_crs_xy(t, PJ_INV, xy, 3), 0);
    for (int i = 0; i < 6; i++)
        if (fabs(xy[i] - orig[i]) > 1e-9)
            fail_msg("coordinate %d: %.12f, want %.12f", i, xy[i], orig[i]);
    proj_destroy(t);
    proj_destroy(utm);
    cr_ctx_destroy(c);
}

static void
geos_errors(void **state)
{
    struct cr_error err = { CR_OK, "" };
    struct cr_ctx *c = cr_ctx_create(&err);
    GEOSContextHandle_t g = cr_ctx_geos(c);
    (void)state;
    assert_string_equal(cr_ctx_geos_message(c), "no reason given");
    /* WKT that is not: GEOS refuses it and says why, into the context, not stderr */
    GEOSWKTReader *r = GEOSWKTReader_create_r(g);
    GEOSGeometry *bad = GEOSWKTReader_read_r(g, r, "POLYGON((0 0, 1");
    GEOSWKTReader_destroy_r(g, r);
    assert_null(bad);
    assert_string_not_equal(cr_ctx_geos_message(c), "no reason given");
    cr_ctx_geos_error(c, &err, CR_EINTERNAL, "zones.shp: feature %d", 3);
    assert_int_equal(strncmp(err.msg, "zones.shp: feature 3: ", 22), 0);
    cr_ctx_reset(c);
    assert_string_equal(cr_ctx_geos_message(c), "no reason given");
    cr_ctx_destroy(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utm_zones),   cmocka_unit_test(parse_forms),
        cmocka_unit_test(unknown_crs), cmocka_unit_test(round_trip_utm48),
        cmocka_unit_test(geos_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
