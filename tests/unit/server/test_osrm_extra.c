/* The OSRM options of server/osrm_extra.c as the parser takes them (alternatives, exclude,
 * snapping, hints, generate_hints, fallback_speed, fallback_coordinate, scale_factor), and the
 * answers to the options corridor does not support (as osrm-routed's to an unknown option). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/osrm.h"

static const struct cr_osrm_limits limits = {
    .max_url_bytes = 2000, .max_route_points = 5, .max_table_size = 3, .max_nearest = 10
};

static void
parse_ok(const char *url, struct cr_osrm_request *req)
{
    struct cr_osrm_error e = { 0 };
    if (cr_osrm_parse(url, &limits, req, &e))
        fail_msg("%s: %s %s", url, e.code, e.message);
}

static void
options_parsed(void **state)
{
    struct cr_osrm_request r;
    (void)state;

    parse_ok("/route/v1/car/1,1;2,2", &r);
    assert_int_equal(r.alternatives, 0);
    assert_string_equal(r.exclude, "");
    assert_int_equal(r.snapping_any, 0);
    assert_int_equal(r.no_hints, 0);
    cr_osrm_request_fini(&r);

    parse_ok("/route/v1/car/1,1;2,2?alternatives=true&exclude=toll,motorway&snapping=any"
             "&hints=abc;&generate_hints=false&continue_straight=true"
             "&annotations=nodes,datasources",
             &r);
    assert_int_equal(r.alternatives, 1);
    assert_string_equal(r.exclude, "toll,motorway");
    assert_int_equal(r.snapping_any, 1);
    assert_int_equal(r.no_hints, 1);
    assert_int_equal(r.annotations, CR_OSRM_ANN_NODES | CR_OSRM_ANN_DATASOURCES);
    cr_osrm_request_fini(&r);

    parse_ok("/route/v1/car/1,1;2,2?alternatives=3&alternatives=false&alternatives=2", &r);
    assert_int_equal(r.alternatives, 2);
    cr_osrm_request_fini(&r);

    parse_ok("/table/v1/car/1,1;2,2?fallback_speed=12.5&fallback_coordinate=snapped"
             "&scale_factor=0.5&exclude=ferry&snapping=default",
             &r);
    assert_true(fabs(r.fallback_speed - 12.5) < 1e-12);
    assert_int_equal(r.fallback_snapped, 1);
    assert_true(fabs(r.scale_factor - 0.5) < 1e-12);
    assert_string_equal(r.exclude, "ferry");
    cr_osrm_request_fini(&r);

    /* snapping=any reaches every service through the points' options, radiuses kept */
    static const char *const any[] = {
        "/table/v1/car/1,1;2,2?snapping=any&radiuses=30;",
        "/table/v1/car/1,1;2,2?radiuses=30;&snapping=any",
        "/nearest/v1/car/1,1?snapping=any&number=3",
        "/trip/v1/car/1,1;2,2?snapping=any",
        "/match/v1/car/1,1;2,2?radiuses=30;&snapping=any",
        "/route/v1/car/1,1;2,2?snapping=any",
    };
    for (size_t i = 0; i < sizeof any / sizeof any[0]; i++) {
        parse_ok(any[i], &r);
        assert_non_null(r.point_opts);
        for (size_t k = 0; k < r.count; k++)
            assert_int_equal(r.point_opts[k].snap_any, 1);
        if (strstr(any[i], "radiuses"))
            assert_true(r.point_opts[0].radius_m == 30.0 && isnan(r.point_opts[1].radius_m));
        cr_osrm_request_fini(&r);
    }
    parse_ok("/table/v1/car/1,1;2,2?snapping=default&radiuses=30;", &r);
    assert_int_equal(r.point_opts[0].snap_any, 0);
    cr_osrm_request_fini(&r);

    parse_ok("/table/v1/car/1,1;2,2", &r);
    assert_true(r.scale_factor == 1.0);
    assert_true(r.fallback_speed == 0.0);
    cr_osrm_request_fini(&r);

    parse_ok("/nearest/v1/car/1,1?exclude=toll&hints=x&generate_hints=true", &r);
    assert_string_equal(r.exclude, "toll");
    cr_osrm_request_fini(&r);
}

static void
bad_values_answered_as_osrm(void **state)
{
    static const struct {
        const char *url, *code;
    } cases[] = {
        { "/route/v1/car/1,1;2,2?alternatives=yes", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?alternatives=1001", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?alternatives=-1", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?exclude=", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?exclude=Toll", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?exclude=toll,", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?snapping=nearest", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?hints=a", "InvalidOptions" },
        { "/route/v1/car/1,1;2,2?hints=a;b;c", "InvalidOptions" },
        { "/route/v1/car/1,1;2,2?generate_hints=no", "InvalidQuery" },
        { "/table/v1/car/1,1;2,2?fallback_speed=0", "InvalidValue" },
        { "/table/v1/car/1,1;2,2?fallback_speed=-3", "InvalidValue" },
        { "/table/v1/car/1,1;2,2?fallback_speed=fast", "InvalidValue" },
        { "/table/v1/car/1,1;2,2?fallback_coordinate=both", "InvalidQuery" },
        { "/table/v1/car/1,1;2,2?scale_factor=0", "InvalidValue" },
        /* another service's options, unsupported ones and unknown ones: as osrm-routed */
        { "/route/v1/car/1,1;2,2?fallback_speed=10", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?scale_factor=2", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?number=2", "InvalidQuery" },
        { "/table/v1/car/1,1;2,2?alternatives=true", "InvalidQuery" },
        { "/table/v1/car/1,1;2,2?overview=full", "InvalidQuery" },
        { "/nearest/v1/car/1,1?alternatives=true", "InvalidQuery" },
        { "/trip/v1/car/1,1;2,2?waypoints=0;1", "InvalidQuery" },
        { "/nearest/v1/car/1,1?waypoints=0", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?format=json", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?gaps=split", "InvalidQuery" },
        { "/route/v1/car/1,1;2,2?avoid=toll", "InvalidQuery" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_osrm_request r;
        struct cr_osrm_error e = { 0 };
        int rc = cr_osrm_parse(cases[i].url, &limits, &r, &e);
        cr_osrm_request_fini(&r);
        if (rc == 0)
            fail_msg("%s: accepted, want %s", cases[i].url, cases[i].code);
        if (strcmp(e.code, cases[i].code) || e.http_status != 400)
            fail_msg("%s: %s %d (%s), want %s", cases[i].url, e.code, e.http_status, e.message,
                     cases[i].code);
        if (!strcmp(e.code, "InvalidQuery") &&
            strncmp(e.message, "Query string malformed close to position ", 41))
            fail_msg("%s: message \"%s\"", cases[i].url, e.message);
    }
}

/* The position an unknown option is reported at is where its key starts, as osrm-routed. */
static void
unknown_option_position(void **state)
{
    const char *url = "/route/v1/car/1,1;2,2?overview=full&foo=bar";
    struct cr_osrm_request r;
    struct cr_osrm_error e = { 0 };
    char want[96];

    (void)state;
    assert_int_equal(cr_osrm_parse(url, &limits, &r, &e), -1);
    cr_osrm_request_fini(&r);
    snprintf(want, sizeof want, "Query string malformed close to position %zu",
             (size_t)(strstr(url, "foo") - url));
    assert_string_equal(e.message, want);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_parsed),
        cmocka_unit_test(bad_values_answered_as_osrm),
        cmocka_unit_test(unknown_option_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
