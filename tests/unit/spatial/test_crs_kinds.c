/*
 * spatial/crs on the kinds of CRS users bring besides plain EPSG codes: US survey feet (not
 * metres), a compound CRS (UTM + a height), a PROJ string with +towgs84 (a bound CRS), a CRS
 * with no identifier (its text is WKT, its name none), an engineering CRS (no transformation to
 * WGS 84: one line naming it), an over-long PROJ string, points a transformation cannot take.
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

#include "spatial/crs.h"
#include "spatial/ctx.h"

static struct cr_ctx *c;

static int
setup(void **state)
{
    (void)state;
    struct cr_error err = { 0 };
    c = cr_ctx_create(&err);
    return c ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    cr_ctx_destroy(c);
    return 0;
}

static PJ *
parse(const char *text)
{
    struct cr_error err = { 0 };
    PJ *crs = cr_crs_parse(c, text, NULL, NULL, &err);
    if (!crs)
        fail_msg("%s: %s", text, err.msg);
    return crs;
}

static void
projected_metres_or_not(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool metres;
    } cases[] = {
        { "EPSG:32633", true },      /* UTM 33N */
        { "EPSG:2263", false },      /* New York Long Island, US feet */
        { "EPSG:4326", false },      /* geographic */
        { "EPSG:32633+5773", true }, /* compound: UTM + EGM96 height */
        { "+proj=utm +zone=33 +ellps=intl +towgs84=-87,-98,-121", true }, /* bound */
        { "+proj=merc +units=ft", false },
        { "+proj=longlat +datum=WGS84", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PJ *crs = parse(cases[i].text);
        if (cr_crs_is_projected_metres(c, crs) != cases[i].metres)
            fail_msg("%s: projected in metres should be %d", cases[i].text, cases[i].metres);
        proj_destroy(crs);
    }
}

static void
text_and_name_without_identifier(void **state)
{
    (void)state;
    PJ *crs = parse("+proj=tmerc +lat_0=0 +lon_0=15 +k=0.9996 +x_0=500000 +ellps=GRS80");
    assert_null(cr_crs_name(crs)); /* PROJ strings are "unknown" */
    assert_null(cr_crs_name(NULL));
    char *text = cr_crs_text(c, crs);
    assert_non_null(text);
    /* no AUTH:CODE to give: WKT, which parses back to the same CRS */
    assert_null(strstr(text, "EPSG:"));
    PJ *back = parse(text);
    assert_true(cr_crs_same(crs, back));
    assert_true(cr_crs_is_projected_metres(c, back));
    free(text);
    proj_destroy(back);
    proj_destroy(crs);
}

static void
no_transformation_named(void **state)
{
    (void)state;
    struct cr_error err = { 0 };
    PJ *local = parse("ENGCRS[\"site grid\",EDATUM[\"site\"],CS[Cartesian,2],"
                      "AXIS[\"x\",east,LENGTHUNIT[\"metre\",1]],"
                      "AXIS[\"y\",north,LENGTHUNIT[\"metre\",1]]]");
    PJ *t = cr_crs_from_wgs84(c, local, "site.gpkg", &err);
    if (t) {
        /* a PROJ that offers a (null) transformation: it must at least not invent coordinates */
        double x = 15, y = 48;
        (void)cr_crs_point(t, PJ_FWD, &x, &y);
        proj_destroy(t);
        skip();
    }
    assert_int_equal(err.code, CR_EINVAL);
    assert_non_null(strstr(err.msg, "site.gpkg: no transformation from WGS 84 to site grid"));
    assert_null(strchr(err.msg, '\n'));
    proj_destroy(local);
}

static void
long_proj_string_refused(void **state)
{
    (void)state;
    char text[3000]; /* past cr_crs_parse's 2048-byte buffer once "+type=crs" is added */
    struct cr_error err = { 0 };
    strcpy(text, "+proj=utm +zone=33");
    while (strlen(text) < sizeof text - 20)
        strcat(text, " +no_defs");
    assert_null(cr_crs_parse(c, text, "--work-crs", NULL, &err));
    assert_int_equal(err.code, CR_EINVAL);
    assert_non_null(strstr(err.msg, "--work-crs is too long"));
}

static void
points_out_of_reach(void **state)
{
    (void)state;
    struct cr_error err = { 0 };
    PJ *utm = parse("EPSG:32633");
    PJ *t = cr_crs_from_wgs84(c, utm, NULL, &err);
    assert_non_null(t);
    double x = 15, y = 100; /* latitude 100: not on Earth */
    assert_int_equal(cr_crs_point(t, PJ_FWD, &x, &y), -1);
    assert_true(x == 15 && y == 100); /* left as it was */
    double xy[] = { 15, 48, NAN, 48, 15, 48.5, 15, 95 };
    assert_int_equal(cr_crs_xy(t, PJ_FWD, xy, 4), 2);
    assert_true(isfinite(xy[0]) && isfinite(xy[4]));
    assert_int_equal(cr_crs_xy(t, PJ_FWD, xy, 0), 0);
    proj_destroy(t);
    proj_destroy(utm);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(projected_metres_or_not),
        cmocka_unit_test(text_and_name_without_identifier),
        cmocka_unit_test(no_transformation_named),
        cmocka_unit_test(long_proj_string_refused),
        cmocka_unit_test(points_out_of_reach),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
