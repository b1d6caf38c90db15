/*
 * spatial/zones through the public header: a small GeoJSON layer in WGS 84 loaded (measured in
 * UTM 48N), its class list, zones, point queries, conversions and summary.
 *
 *   three squares near (106.70, 10.78): two "R" (0.01 and 0.02 degrees wide), one "P" (0.03)
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

#include "corridor/zones.h"
#include "spatial/zones.h"

static char path[64];

static int
write_layer(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/test_zones.XXXXXX.geojson");
    int fd = mkstemps(path, 8);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    fputs("{\"type\":\"FeatureCollection\",\"features\":[", f);
    static const struct {
        const char *cls;
        double x, y, w;
        int pop;
    } sq[] = { { "R", 106.70, 10.78, 0.01, 10 },
               { "P", 106.75, 10.78, 0.03, 5 },
               { "R", 106.80, 10.78, 0.02, 20 } };
    for (int i = 0; i < 3; i++)
        fprintf(f,
                "%s{\"type\":\"Feature\",\"properties\":{\"zone\":\"%s\",\"pop\":%d},"
                "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],"
                "[%g,%g],[%g,%g]]]}}",
                i ? "," : "", sq[i].cls, sq[i].pop, sq[i].x, sq[i].y, sq[i].x + sq[i].w, sq[i].y,
                sq[i].x + sq[i].w, sq[i].y + sq[i].w, sq[i].x, sq[i].y + sq[i].w, sq[i].x, sq[i].y);
    fputs("]}\n", f);
    return fclose(f);
}

static int
remove_layer(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static void
load_and_query(void **state)
{
    static const char *const values[] = { "pop", NULL };
    struct cr_zones_options o = { .path = path, .class_field = "zone", .value_fields = values };
    struct cr_zones *z;
    struct cr_error err = { CR_OK, "" };
    (void)state;
    if (cr_zones_load(&o, &z, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(cr_zones_count(z), 3);
    assert_string_equal(z->work_crs, "EPSG:32648"); /* a WGS 84 layer is measured in its UTM */

    size_t n;
    const struct cr_zone_class *c = cr_zones_classes(z, &n);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].cls, "P"); /* by name */
    assert_string_equal(c[1].cls, "R");
    assert_int_equal(c[1].count, 2);
    /* 0.03 degrees square at 10.8 N: about 3.3 km x 3.3 km */
    assert_true(c[0].area_m2 > 1.0e7 && c[0].area_m2 < 1.2e7);

    struct cr_zone_info zi;
    assert_int_equal(cr_zones_zone(z, 2, &zi), 0);
    assert_string_equal(zi.cls, "R");
    assert_true(zi.values[0] == 20);
    assert_int_equal(cr_zones_zone(z, 3, &zi), -1);

    double x, y, lon, lat;
    assert_int_equal(cr_zones_to_work(z, 106.765, 10.795, &x, &y), 0);
    assert_int_equal(cr_zones_at(z, x, y), 1);
    assert_int_equal(cr_zones_to_wgs84(z, x, y, &lon, &lat), 0);
    assert_true(fabs(lon - 106.765) < 1e-9 && fabs(lat - 10.795) < 1e-9);
    assert_int_equal(cr_zones_to_work(z, 106.9, 10.9, &x, &y), 0);
    assert_true(cr_zones_at(z, x, y) == SIZE_MAX);

    struct cr_zones_summary s;
    assert_int_equal(cr_zones_summarize(z, CR_ZONES_BY_AREA, &s, &err), CR_OK);
    assert_int_equal(s.class_count, 2);
    assert_int_equal(s.zones, 3);
    assert_string_equal(s.classes[0].cls, "P"); /* 9 units of area against 1 + 4 */
    assert_true(s.classes[0].values[0] == 5);
    assert_true(s.classes[1].values[0] == 30);
    assert_true(s.value_totals[0] == 35);
    assert_int_equal(s.value_missing[0], 0);
    assert_true(fabs(s.total_area_m2 - (c[0].area_m2 + c[1].area_m2)) < 1e-6);
    /* the working bbox's corners in WGS 84: a little wider than the layer */
    assert_true(s.bbox_wgs84[0] <= 106.70 && s.bbox_wgs84[0] > 106.699);
    assert_true(s.bbox_wgs84[2] >= 106.82 && s.bbox_wgs84[2] < 106.821);
    assert_string_equal(s.class_field, "zone");
    cr_zones_summary_fini(&s);
    assert_int_equal(cr_zones_summarize(z, CR_ZONES_BY_NAME, &s, &err), CR_OK);
    assert_string_equal(s.classes[0].cls, "P");
    assert_string_equal(s.classes[1].cls, "R");
    cr_zones_summary_fini(&s);
    cr_zones_destroy(z);
    cr_zones_destroy(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(load_and_query, write_layer, remove_layer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
