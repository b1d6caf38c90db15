/*
 * render/overlay: the FILE[:key=value,...] spec (every key, bad values, unknown keys, a path
 * with colons in it) and drawing a small GeoJSON written here (two lines, a polygon, a point,
 * a line with no flow) over a map in UTM 33N: counts by kind, a graduated width from a numeric
 * field over its range, an attribute filter, and the refusals (no such field, a text field, a
 * bad filter, a missing file), each one line naming the file.
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

#include "render/overlay.h"
#include "render/style.h"
#include "spatial/crs.h"
#include "spatial/ctx.h"

static char dir[64];
static char geojson[128];

static const char *const features =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"route\",\"flow\":100,\"label\":\"a\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[15.0,48.0],[15.01,48.01]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"route\",\"flow\":400,\"label\":\"b\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[15.0,48.01],[15.01,48.0]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"route\",\"flow\":null,\"label\":\"c\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[15.0,48.005],[15.01,48.005]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"area\",\"flow\":1,\"label\":\"d\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[15.002,48.002],[15.004,48.002],"
    "[15.004,48.004],[15.002,48.002]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"stop\",\"flow\":2,\"label\":\"e\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[15.005,48.005]}}]}";

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_overlay.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(geojson, sizeof geojson, "%s/routes.geojson", dir);
    FILE *f = fopen(geojson, "wb");
    if (!f)
        return -1;
    fputs(features, f);
    return fclose(f);
}

static int
teardown(void **state)
{
    (void)state;
    unlink(geojson);
    rmdir(dir);
    return 0;
}

static void
spec_every_key(void **state)
{
    (void)state;
    struct cr_overlay_spec s;
    struct cr_error err = { 0 };
    assert_int_equal(cr_overlay_spec_parse("a.geojson:name=Car route,colour=#d62728,width=1.2,"
                                           "dash=3/1.5,fill=#ff000040,opacity=0.8,"
                                           "width-field=flow,width-min=0.5,width-max=6,"
                                           "layer=routes,point=2,where=kind='route'",
                                           &s, &err),
                     CR_OK);
    assert_string_equal(s.path, "a.geojson");
    assert_string_equal(s.name, "Car route");
    assert_string_equal(s.layer, "routes");
    assert_string_equal(s.width_field, "flow");
    assert_string_equal(s.where, "kind='route'");
    assert_true(s.has_colour && s.has_fill);
    assert_true(s.width_mm == 1.2 && s.opacity == 0.8 && s.point_mm == 2);
    assert_true(s.width_min_mm == 0.5 && s.width_max_mm == 6);
    assert_int_equal(s.dash_count, 2);
    assert_true(s.dash_mm[0] == 3 && s.dash_mm[1] == 1.5);
    cr_overlay_spec_fini(&s);

    /* no style: defaults (< 0); colons in the path that do not start key=value stay in it */
    assert_int_equal(cr_overlay_spec_parse("/data/x:y/C:routes.gpkg", &s, &err), CR_OK);
    assert_string_equal(s.path, "/data/x:y/C:routes.gpkg");
    assert_true(s.width_mm < 0 && s.opacity < 0 && !s.has_colour && !s.name);
    cr_overlay_spec_fini(&s);
    assert_int_equal(cr_overlay_spec_parse("/data/x:y.gpkg:color=#0000ff", &s, &err), CR_OK);
    assert_string_equal(s.path, "/data/x:y.gpkg");
    assert_true(s.has_colour);
    cr_overlay_spec_fini(&s);
}

static void
spec_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        { ":name=x", "no file name" },
        { "a.geojson:size=3", "unknown style key \"size\"" },
        { "a.geojson:name=x,width", "\"width\" is not key=value" },
        { "a.geojson:width=-1", "width: bad value" },
        { "a.geojson:width=1mm", "width: bad value" },
        { "a.geojson:opacity=1.5", "opacity: bad value" },
        { "a.geojson:colour=nocolour", "colour: bad value" },
        { "a.geojson:fill=#12", "fill: bad value" },
        { "a.geojson:dash=1/2/3/4/5/6/7/8/9", "dash: bad value" },
        { "a.geojson:dash=0/1", "dash: bad value" },
        { "a.geojson:dash=/", "dash: bad value" },
        { "a.geojson:point=nan", "point: bad value" },
        { "a.geojson:width-min=x", "width-min: bad value" },
        { "a.geojson:width-max=101", "width-max: bad value" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_overlay_spec s;
        struct cr_error err = { 0 };
        assert_int_equal(cr_overlay_spec_parse(cases[i].text, &s, &err), CR_EINVAL);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].text, err.msg, cases[i].want);
        assert_null(s.path); /* released */
    }
}

struct map {
    struct cr_ctx *c;
    PJ *crs;
    struct cr_style style;
    cairo_surface_t *surface;
    cairo_t *cr;
};

static void
map_open(struct map *m)
{
    struct cr_error err = { 0 };
    assert_non_null(m->c = cr_ctx_create(&err));
    assert_non_null(m->crs = cr_crs_parse(m->c, "EPSG:32633", NULL, NULL, &err));
    assert_int_equal(cr_style_load(NULL, &m->style, &err), CR_OK);
    m->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 200, 200);
    m->cr = cairo_create(m->surface);
}

static void
map_close(struct map *m)
{
    cairo_destroy(m->cr);
    cairo_surface_destroy(m->surface);
    cr_style_fini(&m->style);
    proj_destroy(m->crs);
    cr_ctx_destroy(m->c);
}

/* Opens SPEC_TEXT's overlay and draws it on the whole of its extent; returns the status. */
static enum cr_status
draw(struct map *m, const char *spec_text, struct cr_overlay_drawn *d, struct cr_error *err)
{
    struct cr_overlay_spec spec;
    struct cr_overlay *o;
    struct cr_view v = { 0 };
    enum cr_status st;

    assert_int_equal(cr_overlay_spec_parse(spec_text, &spec, err), CR_OK);
    o = cr_overlay_open(&spec, m->c, m->crs, err); /* SPEC must outlive it */
    if (!o) {
        cr_overlay_spec_fini(&spec);
        return err->code;
    }
    assert_int_equal(cr_overlay_extent(o, &v.x0, &v.y0, &v.x1, &v.y1), 0);
    assert_true(v.x1 > v.x0 && v.y1 > v.y0);
    assert_true(v.x0 > 500000 && v.x0 < 520000); /* lon 15 is UTM 33's central meridian */
    v.cx = (v.x0 + v.x1) / 2;
    v.cy = (v.y0 + v.y1) / 2;
    v.s = 200 / (v.x1 - v.x0);
    v.frame.w = v.frame.h = 200;
    memset(d, 0, sizeof *d);
    st = cr_overlay_draw(o, m->cr, &v, &m->style, 1.0, 0, d, err);
    cr_overlay_close(o);
    cr_overlay_spec_fini(&spec);
    return st;
}

static void
draw_kinds_width_and_filter(void **state)
{
    (void)state;
    struct map m;
    struct cr_overlay_drawn d;
    struct cr_error err = { 0 };
    char text[256];

    map_open(&m);
    snprintf(text, sizeof text, "%s:point=3,dash=2/1", geojson);
    if (draw(&m, text, &d, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(d.lines, 3);
    assert_int_equal(d.polygons, 1);
    assert_int_equal(d.points, 1);
    assert_int_equal(d.dash_count, 2);
    assert_true(d.point_pt > 0);

    /* graduated by flow: the range of the drawn features, the widths as asked */
    snprintf(text, sizeof text, "%s:width-field=flow,width-min=0.5,width-max=6,where=kind='route'",
             geojson);
    if (draw(&m, text, &d, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(d.polygons + d.points, 0);
    assert_true(d.field_min == 100 && d.field_max == 400);
    assert_true(d.width_min_pt < d.width_max_pt);
    assert_float_equal(d.width_max_pt / d.width_min_pt, 12.0, 1e-6);
    map_close(&m);
}

static void
draw_refused(void **state)
{
    (void)state;
    static const struct {
        const char *style, *want;
    } cases[] = {
        { "width-field=nosuch", "nosuch" },
        { "width-field=label", "label" }, /* text, not a number */
        { "where=kind=", "bad where" },   /* OGR refuses the filter */
        { "layer=nosuch", "nosuch" },
    };
    struct map m;
    struct cr_overlay_drawn d;
    char text[256];

    map_open(&m);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_error err = { 0 };
        snprintf(text, sizeof text, "%s:%s", geojson, cases[i].style);
        assert_int_not_equal(draw(&m, text, &d, &err), CR_OK);
        if (!strstr(err.msg, cases[i].want) || !strstr(err.msg, "routes"))
            fail_msg("%s: \"%s\" lacks \"%s\" or the file", cases[i].style, err.msg, cases[i].want);
        assert_null(strchr(err.msg, '\n'));
    }
    struct cr_error err = { 0 };
    snprintf(text, sizeof text, "%s/missing.geojson", dir);
    assert_int_not_equal(draw(&m, text, &d, &err), CR_OK);
    assert_non_null(strstr(err.msg, "missing.geojson"));
    map_close(&m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spec_every_key),
        cmocka_unit_test(spec_refused),
        cmocka_unit_test(draw_kinds_width_and_filter),
        cmocka_unit_test(draw_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
