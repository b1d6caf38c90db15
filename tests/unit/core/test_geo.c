/* cr_geo_distance_m against PROJ's geodesic (Karney) on seeded random pairs. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/geo.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static double
uniform(double lo, double hi)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

static void
short_pairs_within_0_01_percent(void **state)
{
    (void)state;
    for (int i = 0; i < 100000; i++) {
        double lat = uniform(-80, 80), lon = uniform(-179.9, 179.9);
        double dist = uniform(1, 10000), bearing = uniform(0, 2 * M_PI);
        double kx, ky, lon2, lat2, want, got;
        cr_geo_scale(lat, &kx, &ky);
        lon2 = lon + dist * sin(bearing) / kx;
        lat2 = lat + dist * cos(bearing) / ky;
        if (lat2 > 85 || lat2 < -85)
            continue;
        want = cr_geo_geodesic_m(lon, lat, lon2, lat2);
        got = cr_geo_distance_m(cr_deg_to_e7(lon), cr_deg_to_e7(lat), cr_deg_to_e7(lon2),
                                cr_deg_to_e7(lat2));
        if (fabs(got - want) > 1e-4 * want + 0.02) /* 0.01 %, plus e7 rounding (1.1 cm) */
            fail_msg("(%.7f,%.7f)-(%.7f,%.7f): %.4f m, geodesic %.4f m", lon, lat, lon2, lat2, got,
                     want);
    }
}

static void
known_distances(void **state)
{
    (void)state;
    /* one degree of latitude at the equator (the meridian arc, 110574.389 m on WGS84) */
    assert_true(fabs(cr_geo_geodesic_m(0, 0, 0, 1) - 110574.389) < 0.01);
    /* one degree along the 60N parallel is an arc of 55800.0016 m; the geodesic is a little
     * shorter, within 0.01 % */
    assert_true(cr_geo_geodesic_m(0, 60, 1, 60) < 55800.0016);
    assert_true(cr_geo_geodesic_m(0, 60, 1, 60) > 55800.0016 * (1 - 1e-4));
    /* long pairs fall back to the geodesic */
    assert_true(fabs(cr_geo_distance_m(0, 0, 0, 10000000) - 110574.389) < 0.01);
    /* across the antimeridian */
    assert_true(fabs(cr_geo_distance_m(1799990000, 0, -1799990000, 0) - 222.639) < 0.01);
    assert_true(cr_geo_valid(106.7, 10.8));
    assert_false(cr_geo_valid(181, 0));
    assert_false(cr_geo_valid(0, NAN));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_pairs_within_0_01_percent),
        cmocka_unit_test(known_distances),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
