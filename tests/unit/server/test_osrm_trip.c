/* /trip's options in the OSRM request parser (server/osrm.c, server/osrm_trip.c): defaults,
 * each option, the route options it shares, and OSRM's refusals; no sockets (the answers are
 * tested end to end by tests/cli/test_trip.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/osrm.h"

static const struct cr_osrm_limits limits = { .max_url_bytes = 1000, .max_trip_size = 4 };

#define P3 "7.42,43.735;7.425,43.74;7.416,43.731"

static void
defaults_and_options(void **state)
{
    struct cr_osrm_request r;
    struct cr_osrm_error e = { 0 };
    (void)state;
    assert_int_equal(cr_osrm_parse("/trip/v1/driving/" P3, &limits, &r, &e), 0);
    assert_int_equal(r.service, CR_OSRM_TRIP);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.trip_roundtrip, 1);
    assert_int_equal(r.trip_source_first, 0);
    assert_int_equal(r.trip_destination_last, 0);
    assert_int_equal(r.overview, CR_OSRM_OVERVIEW_SIMPLIFIED);
    cr_osrm_request_fini(&r);
    assert_int_equal(cr_osrm_parse("/trip/v1/car/" P3 ".json?roundtrip=false&source=first"
                                   "&destination=last&steps=true&overview=full"
                                   "&geometries=geojson&annotations=duration,distance"
                                   "&radiuses=50;;unlimited",
                                   &limits, &r, &e),
                     0);
    assert_int_equal(r.trip_roundtrip, 0);
    assert_int_equal(r.trip_source_first, 1);
    assert_int_equal(r.trip_destination_last, 1);
    assert_int_equal(r.steps, 1);
    assert_int_equal(r.overview, CR_OSRM_OVERVIEW_FULL);
    assert_int_equal(r.geometries, CR_OSRM_GEOJSON);
    assert_int_equal(r.annotations, CR_OSRM_ANN_DURATION | CR_OSRM_ANN_DISTANCE);
    assert_non_null(r.point_opts);
    cr_osrm_request_fini(&r);
}

static void
refusals(void **state)
{
    static const struct {
        const char *url, *code;
    } cases[] = {
        { "/trip/v1/car/" P3 "?roundtrip=false", "NotImplemented" },
        { "/trip/v1/car/" P3 "?roundtrip=false&source=first", "NotImplemented" },
        { "/trip/v1/car/" P3 "?roundtrip=false&destination=last", "NotImplemented" },
        { "/trip/v1/car/7.42,43.735", "InvalidOptions" },
        { "/trip/v1/car/" P3 ";1,2;3,4", "TooBig" },
        { "/trip/v1/car/" P3 "?roundtrip=yes", "InvalidQuery" },
        { "/trip/v1/car/" P3 "?source=last", "InvalidQuery" },
        { "/trip/v1/car/" P3 "?destination=first", "InvalidQuery" },
        { "/trip/v1/car/" P3 "?alternatives=true", "InvalidQuery" },
        { "/trip/v1/car/" P3 "?continue_straight=true", "InvalidQuery" },
        { "/trip/v1/car/" P3 "?sources=0", "InvalidQuery" },
        { "/trip/v2/car/" P3, "InvalidVersion" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_osrm_request r;
        struct cr_osrm_error e = { 0 };
        int rc = cr_osrm_parse(cases[i].url, &limits, &r, &e);
        cr_osrm_request_fini(&r);
        if (rc != -1 || strcmp(e.code, cases[i].code))
            fail_msg("%s: want %s, got %d %s %s", cases[i].url, cases[i].code, rc, rc ? e.code : "",
                     rc ? e.message : "");
    }
}

/* With source and destination fixed a round trip is fine, as osrm-routed answers it. */
static void
roundtrip_with_fixed_ends(void **state)
{
    struct cr_osrm_request r;
    struct cr_osrm_error e = { 0 };
    (void)state;
    assert_int_equal(
        cr_osrm_parse("/trip/v1/car/" P3 "?source=first&destination=last", &limits, &r, &e), 0);
    assert_int_equal(r.trip_roundtrip, 1);
    cr_osrm_request_fini(&r);
    assert_int_equal(cr_osrm_parse("/trip/v1/car/" P3 "?destination=last", &limits, &r, &e), 0);
    cr_osrm_request_fini(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_and_options),
        cmocka_unit_test(refusals),
        cmocka_unit_test(roundtrip_with_fixed_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
