/* Flow maps (render/flowmap.h) on hand-made values: widths in proportion to |value| with the
 * largest at the maximum and a floor, round legend samples, the v/c classes and their four
 * colours, other breaks, the diverging classes of a difference, one colour, the offset of a
 * line to the right of its direction, and a synthetic GeoJSON file read back. */
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

#include "render/flowmap.h"

static void
widths(void **state)
{
    struct cr_flowmap f = { .max_width_mm = 5, .min_width_mm = 0.5 };

    (void)state;
    assert_true(fabs(cr_flowmap_width_mm(&f, 2000, 2000) - 5) < 1e-12);
    assert_true(fabs(cr_flowmap_width_mm(&f, 2000, 1000) - 2.5) < 1e-12);
    assert_true(fabs(cr_flowmap_width_mm(&f, 2000, -1000) - 2.5) < 1e-12); /* |value| */
    assert_true(fabs(cr_flowmap_width_mm(&f, 2000, 1) - 0.5) < 1e-12);     /* the floor */
    assert_true(cr_flowmap_width_mm(&f, 2000, 0) == 0);
    assert_true(cr_flowmap_width_mm(&f, 2000, NAN) == 0);
    assert_true(cr_flowmap_width_mm(&f, 0, 5) == 0);
    f.max_width_mm = 0; /* the defaults */
    f.min_width_mm = -1;
    assert_true(fabs(cr_flowmap_width_mm(&f, 10, 10) - CR_FLOW_DEFAULT_MAX_WIDTH_MM) < 1e-12);
    assert_true(fabs(cr_flowmap_width_mm(&f, 1e6, 1) - CR_FLOW_DEFAULT_MIN_WIDTH_MM) < 1e-12);
}

static void
samples(void **state)
{
    double s[CR_FLOW_MAX_SAMPLES];
    size_t n;

    (void)state;
    n = cr_flowmap_samples(2300, s);
    assert_int_equal(n, 4);
    assert_true(s[0] == 200 && s[1] == 500 && s[2] == 1000 && s[3] == 2000);
    n = cr_flowmap_samples(0.9, s);
    assert_int_equal(n, 4);
    assert_true(fabs(s[3] - 0.5) < 1e-12 && fabs(s[2] - 0.25) < 1e-12 && fabs(s[1] - 0.1) < 1e-12 &&
                fabs(s[0] - 0.05) < 1e-12);
    n = cr_flowmap_samples(1000, s);
    assert_true(s[n - 1] == 1000 && s[n - 2] == 500);
    for (size_t i = 1; i < n; i++)
        assert_true(s[i - 1] < s[i]);
    assert_int_equal(cr_flowmap_samples(0, s), 0);
    assert_int_equal(cr_flowmap_samples(NAN, s), 0);
}

static void
voc_classes(void **state)
{
    const double v[] = { 0.2, 0.5, 0.6, 0.8, 0.95, 1.0, 1.4, NAN };
    struct cr_flowmap f = { .colour = CR_FLOW_CLASSES };
    struct cr_choropleth_classes k;
    struct cr_error err = { 0 };

    (void)state;
    assert_int_equal(cr_flowmap_classify(&f, v, 8, &k, &err), CR_OK);
    assert_int_equal(k.break_count, 3);
    assert_true(k.breaks[0] == 0.5 && k.breaks[1] == 0.8 && k.breaks[2] == 1.0);
    const size_t want[] = { 0, 0, 1, 1, 2, 2, 3 }; /* b[i-1] < v <= b[i] */
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(cr_choropleth_class_of(&k, v[i]), want[i]);
    assert_int_equal(k.no_data, 1);
    for (size_t i = 0; i < 4; i++)
        assert_memory_equal(&k.fill[i], &cr_flow_voc_colours[i], sizeof k.fill[i]);
    assert_true(k.fill[0].g > k.fill[0].r);              /* green */
    assert_true(k.fill[3].r > 0.8 && k.fill[3].g < 0.2); /* red */

    /* three other breaks keep the four colours; two take the sequential palette */
    const double b3[] = { 0.6, 0.9, 1.2 }, b2[] = { 0.7, 1.0 }, bad[] = { 1.0, 0.7 };
    f.breaks = b3;
    f.break_count = 3;
    assert_int_equal(cr_flowmap_classify(&f, v, 8, &k, &err), CR_OK);
    assert_int_equal(cr_choropleth_class_of(&k, 1.0), 2);
    assert_memory_equal(&k.fill[3], &cr_flow_voc_colours[3], sizeof k.fill[3]);
    f.breaks = b2;
    f.break_count = 2;
    assert_int_equal(cr_flowmap_classify(&f, v, 8, &k, &err), CR_OK);
    assert_int_equal(k.break_count, 2);
    assert_true(memcmp(&k.fill[0], &cr_flow_voc_colours[0], sizeof k.fill[0]) != 0);
    f.breaks = bad;
    assert_int_equal(cr_flowmap_classify(&f, v, 8, &k, &err), CR_EINVAL);
}

static void
diverging_and_single(void **state)
{
    const double d[] = { -600, -100, 0, 50, 300 };
    struct cr_flowmap f = { .colour = CR_FLOW_DIVERGING };
    struct cr_choropleth_classes k;
    struct cr_error err = { 0 };
    enum cr_flow_colour c;

    (void)state;
    assert_int_equal(cr_flowmap_classify(&f, d, 5, &k, &err), CR_OK);
    size_t lo = cr_choropleth_class_of(&k, -600), mid = cr_choropleth_class_of(&k, 0);
    size_t hi = cr_choropleth_class_of(&k, 600);
    assert_true(k.fill[lo].b > k.fill[lo].r); /* decrease: blue */
    assert_true(k.fill[hi].r > k.fill[hi].b); /* increase: red */
    assert_true(k.fill[mid].r > 0.9 && k.fill[mid].b > 0.9);
    assert_true(fabs(k.breaks[0] + k.breaks[k.break_count - 1]) < 1e-9); /* symmetric */

    f.colour = CR_FLOW_SINGLE;
    assert_int_equal(cr_flowmap_classify(&f, d, 5, &k, &err), CR_OK);
    assert_int_equal(k.break_count, 0);

    assert_int_equal(cr_flowmap_colour_parse("voc", &c), 0);
    assert_int_equal(c, CR_FLOW_CLASSES);
    assert_int_equal(cr_flowmap_colour_parse("diverging", &c), 0);
    assert_int_equal(c, CR_FLOW_DIVERGING);
    assert_int_equal(cr_flowmap_colour_parse("rainbow", &c), -1);
}

static void
offset_right(void **state)
{
    /* page y points down: going east, the right is south (+y); a right-angle turn mitres */
    const double east[] = { 0, 0, 10, 0 }, turn[] = { 0, 0, 10, 0, 10, 10 };
    double out[6];

    (void)state;
    cr_flowmap_offset(east, 2, 2, out);
    assert_true(fabs(out[0]) < 1e-12 && fabs(out[1] - 2) < 1e-12);
    assert_true(fabs(out[2] - 10) < 1e-12 && fabs(out[3] - 2) < 1e-12);
    cr_flowmap_offset(turn, 3, 1, out); /* east then south: the right is inside the turn */
    assert_true(fabs(out[2] - 9) < 1e-9 && fabs(out[3] - 1) < 1e-9);
    assert_true(fabs(out[4] - 9) < 1e-9 && fabs(out[5] - 10) < 1e-9);
}

static void
load_synthetic(void **state)
{
    char path[] = "/tmp/corridor-flowmap-XXXXXX.geojson";
    int fd = mkstemps(path, 8);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    struct cr_flowmap f = { .path = path };
    struct cr_flowmap_layer l;
    struct cr_error err = { 0 };

    (void)state;
    assert_non_null(fp);
    /* SYNTHETIC: two made-up links, one a MultiLineString, one without a flow */
    fputs("{\"type\":\"FeatureCollection\",\"features\":["
          "{\"type\":\"Feature\",\"properties\":{\"flow_pce\":100,\"voc\":0.4,\"dir\":-1},"
          "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[15.6,48.4],[15.61,48.4]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"flow_pce\":-250,\"voc\":1.1,\"dir\":0},"
          "\"geometry\":{\"type\":\"MultiLineString\",\"coordinates\":"
          "[[[15.6,48.4],[15.6,48.41]],[[15.6,48.41],[15.61,48.41],[15.62,48.41]]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"flow_pce\":null,\"voc\":0.1,\"dir\":1},"
          "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[15.6,48.4],[15.6,48.5]]}}]}",
          fp);
    fclose(fp);
    assert_int_equal(cr_flowmap_load(&f, &l, &err), CR_OK);
    assert_int_equal(l.count, 3); /* the MultiLineString's two parts */
    assert_int_equal(l.point_count, 7);
    assert_int_equal(l.skipped, 1);
    assert_true(l.max_abs == 250);
    assert_true(l.has_dir);
    assert_int_equal(l.dir[0], -1);
    assert_int_equal(l.dir[1], 0);
    assert_true(l.colour_value[2] == 1.1 && l.value[2] == -250);
    assert_true(fabs(l.lonlat[0] - 15.6) < 1e-9 && fabs(l.lonlat[1] - 48.4) < 1e-9);
    assert_string_equal(l.width_name, "flow_pce");
    assert_string_equal(l.colour_name, "voc");
    cr_flowmap_layer_fini(&l);

    f.width_field = "nope";
    assert_int_equal(cr_flowmap_load(&f, &l, &err), CR_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no field \"nope\""));
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(widths),       cmocka_unit_test(samples),
        cmocka_unit_test(voc_classes),  cmocka_unit_test(diverging_and_single),
        cmocka_unit_test(offset_right), cmocka_unit_test(load_synthetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
