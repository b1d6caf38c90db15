/* The OSRM v1 request parser, polylines, simplification and error answers (server/osrm.h),
 * without sockets. */
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

static const struct cr_osrm_limits limits = { .max_url_bytes = 200,
                                              .max_route_points = 5,
                                              .max_table_size = 3,
                                              .max_nearest = 10,
                                              .max_trip_size = 4 };

static void
parse_ok(const char *url, struct cr_osrm_request *req)
{
    struct cr_osrm_error e = { 0 };
    if (cr_osrm_parse(url, &limits, req, &e))
        fail_msg("%s: %s %s", url, e.code, e.message);
}

static void
route_defaults_and_options(void **state)
{
    struct cr_osrm_request r;
    (void)state;

    parse_ok("/route/v1/driving/7.4197,43.7311;7.423,43.7375", &r);
    assert_int_equal(r.service, CR_OSRM_ROUTE);
    assert_string_equal(r.profile, "driving");
    assert_int_equal(r.count, 2);
    assert_int_equal(r.lon_e7[0], 74197000);
    assert_int_equal(r.lat_e7[1], 437375000);
    assert_int_equal(r.overview, CR_OSRM_OVERVIEW_SIMPLIFIED);
    assert_int_equal(r.geometries, CR_OSRM_POLYLINE);
    assert_int_equal(r.annotations, 0);
    assert_string_equal(r.vehicle, "");
    cr_osrm_request_fini(&r);

    parse_ok("/route/v1/truck/-0.5,-1.25;1,2;3,4.json?overview=full&geometries=geojson&steps=false"
             "&alternatives=false&annotations=duration,distance&height=4.2&weight=30"
             "&generate_hints=false",
             &r);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.lon_e7[0], -5000000);
    assert_int_equal(r.lat_e7[0], -12500000);
    assert_int_equal(r.overview, CR_OSRM_OVERVIEW_FULL);
    assert_int_equal(r.geometries, CR_OSRM_GEOJSON);
    assert_int_equal(r.annotations, CR_OSRM_ANN_DURATION | CR_OSRM_ANN_DISTANCE);
    assert_string_equal(r.vehicle, "height=4.2,weight=30");
    assert_int_equal(r.steps, 0);
    cr_osrm_request_fini(&r);

    parse_ok("/route/v1/car/1,1;2,2?steps=true", &r); /* turn-by-turn: server/osrm_steps.h */
    assert_int_equal(r.steps, 1);
    cr_osrm_request_fini(&r);

    /* percent-encoded separators, as some clients send them */
    parse_ok("/route/v1/car/7.4197%2C43.7311%3B7.423%2C43.7375?overview=false&geometries=polyline6"
             "&vehicle=height%3D4%2Chazmat%3Dyes",
             &r);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.overview, CR_OSRM_OVERVIEW_FALSE);
    assert_int_equal(r.geometries, CR_OSRM_POLYLINE6);
    assert_string_equal(r.vehicle, "height=4,hazmat=yes");
    cr_osrm_request_fini(&r);
}

/* Coordinates as polyline(...) and polyline6(...), as osrm-routed reads them: Google's example
 * (38.5, -120.2), (40.7, -120.95), (43.252, -126.453), with '?', '`' and '|' inside, raw or
 * percent-encoded; the query string after the ')' and a ".json" suffix. */
static void
polyline_coordinates(void **state)
{
    static const char *const urls[] = {
        "/route/v1/car/polyline(_p~iF~ps|U_ulLnnqC_mqNvxq`@)?overview=false",
        "/route/v1/car/polyline(_p~iF~ps%7CU_ulLnnqC_mqNvxq%60%40).json?overview=false",
        "/route/v1/car/polyline%28_p~iF~ps|U_ulLnnqC_mqNvxq`@%29?overview=false",
    };
    struct cr_osrm_request r;
    (void)state;

    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        parse_ok(urls[i], &r);
        assert_int_equal(r.count, 3);
        assert_int_equal(r.lat_e7[0], 385000000);
        assert_int_equal(r.lon_e7[0], -1202000000);
        assert_int_equal(r.lat_e7[1], 407000000);
        assert_int_equal(r.lon_e7[1], -1209500000);
        assert_int_equal(r.lat_e7[2], 432520000);
        assert_int_equal(r.lon_e7[2], -1264530000);
        assert_int_equal(r.overview, CR_OSRM_OVERVIEW_FALSE);
        cr_osrm_request_fini(&r);
    }
    /* polyline6 of (7.4197, 43.7311), (7.423, 43.7375), as corridor encodes a geometry */
    char *enc = cr_osrm_polyline((const int32_t[]){ 74197000, 74230000 },
                                 (const int32_t[]){ 437311000, 437375000 }, 2, 6);
    char url[256];
    snprintf(url, sizeof url, "/table/v1/car/polyline6(%s)?annotations=distance", enc);
    free(enc);
    parse_ok(url, &r);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.lon_e7[1], 74230000);
    assert_int_equal(r.lat_e7[1], 437375000);
    assert_int_equal(r.table_distances, 1);
    cr_osrm_request_fini(&r);
    /* "?" is the value 0: "??" the point (0, 0) */
    parse_ok("/nearest/v1/car/polyline(?\?)?number=2", &r);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.lon_e7[0], 0);
    assert_int_equal(r.number, 2);
    cr_osrm_request_fini(&r);
}

/* /route's waypoints=: the listed coordinates split legs; first and last must be listed. */
static void
route_waypoints(void **state)
{
    struct cr_osrm_request r;
    (void)state;

    parse_ok("/route/v1/car/1,1;2,2;3,3;4,4?waypoints=0;2;3", &r);
    assert_int_equal(r.waypoint_count, 3);
    assert_int_equal(r.waypoints[1], 2);
    cr_osrm_request_fini(&r);
    parse_ok("/route/v1/car/1,1;2,2", &r);
    assert_null(r.waypoints);
    cr_osrm_request_fini(&r);
}

/* corridor's metric= on /route (the web map's "Optimise"): time by default; an unknown metric is
 * InvalidValue; other services do not take it. */
static void
route_metric(void **state)
{
    struct cr_osrm_request r;
    struct cr_osrm_error e = { 0 };
    (void)state;

    parse_ok("/route/v1/car/1,2;3,4", &r);
    assert_int_equal(r.metric, CR_METRIC_TIME);
    cr_osrm_request_fini(&r);
    parse_ok("/route/v1/freight/1,2;3,4?metric=co2&overview=full", &r);
    assert_int_equal(r.metric, CR_METRIC_CO2);
    cr_osrm_request_fini(&r);
    parse_ok("/route/v1/truck/1,2;3,4?height=3&metric=distance", &r);
    assert_int_equal(r.metric, CR_METRIC_DISTANCE);
    assert_string_equal(r.vehicle, "height=3");
    cr_osrm_request_fini(&r);
    assert_int_equal(cr_osrm_parse("/route/v1/car/1,2;3,4?metric=fast", &limits, &r, &e), -1);
    assert_string_equal(e.code, "InvalidValue");
    cr_osrm_request_fini(&r);
    assert_int_equal(cr_osrm_parse("/table/v1/car/1,2;3,4?metric=cost", &limits, &r, &e), -1);
    assert_string_equal(e.code, "InvalidQuery");
    cr_osrm_request_fini(&r);
}

/* radiuses, bearings and approaches: one element per coordinate, empty ones left at the
 * default, as VROOM and other OSRM clients send them. */
static void
point_options(void **state)
{
    struct cr_osrm_request r;
    (void)state;

    parse_ok("/route/v1/car/1,1;2,2;3,3?radiuses=35000;unlimited;&bearings=90,20;;0,180"
             "&approaches=curb;;opposite",
             &r);
    assert_non_null(r.point_opts);
    assert_true(r.point_opts[0].radius_m == 35000.0);
    assert_true(isinf(r.point_opts[1].radius_m));
    assert_true(isnan(r.point_opts[2].radius_m));
    assert_int_equal(r.point_opts[0].bearing_deg, 90);
    assert_int_equal(r.point_opts[0].bearing_range_deg, 20);
    assert_int_equal(r.point_opts[1].bearing_deg, -1);
    assert_int_equal(r.point_opts[2].bearing_deg, 0);
    assert_int_equal(r.point_opts[2].bearing_range_deg, 180);
    assert_int_equal(r.point_opts[0].approach, CR_APPROACH_CURB);
    assert_int_equal(r.point_opts[1].approach, CR_APPROACH_UNRESTRICTED);
    assert_int_equal(r.point_opts[2].approach, CR_APPROACH_OPPOSITE);
    cr_osrm_request_fini(&r);

    parse_ok("/route/v1/car/1,1;2,2", &r);
    assert_null(r.point_opts);
    cr_osrm_request_fini(&r);

    /* bearing 360 is north, as 0 */
    parse_ok("/table/v1/car/1,1;2,2?bearings=360,45;&radiuses=35000;35000", &r);
    assert_int_equal(r.point_opts[0].bearing_deg, 0);
    assert_true(r.point_opts[1].radius_m == 35000.0);
    cr_osrm_request_fini(&r);
}

static void
table_and_nearest(void **state)
{
    struct cr_osrm_request r;
    (void)state;

    parse_ok("/table/v1/car/1,1;2,2;3,3?sources=0;2&destinations=all&annotations=distance", &r);
    assert_int_equal(r.service, CR_OSRM_TABLE);
    assert_int_equal(r.count, 3);
    assert_non_null(r.sources);
    assert_int_equal(r.source_count, 2);
    assert_int_equal(r.sources[1], 2);
    assert_null(r.destinations);
    assert_int_equal(r.table_durations, 0);
    assert_int_equal(r.table_distances, 1);
    cr_osrm_request_fini(&r);

    parse_ok("/table/v1/car/1,1;2,2", &r);
    assert_int_equal(r.table_durations, 1);
    assert_int_equal(r.table_distances, 0);
    cr_osrm_request_fini(&r);

    parse_ok("/nearest/v1/motorcycle/106.688,10.781?number=3", &r);
    assert_int_equal(r.service, CR_OSRM_NEAREST);
    assert_int_equal(r.number, 3);
    cr_osrm_request_fini(&r);
}

/* Each bad request gives OSRM's code and HTTP status. */
static void
errors(void **state)
{
    static const struct {
        const char *url, *code;
        int status;
    } cases[] = {
        { "route/v1/car/1,1;2,2", "InvalidUrl", 400 },
        { "/route/v1/car", "InvalidUrl", 400 },
        { "/route/v1/car/1,1;x,2", "InvalidUrl", 400 },
        { "/route/v1/car/1,1;;2,2", "InvalidUrl", 400 },
        { "/route/v1/car/1,1;2", "InvalidUrl", 400 },
        { "/route/v1/car/0x1,1;2,2", "InvalidUrl", 400 },
        { "/route/v1/car/nan,1;2,2", "InvalidUrl", 400 },
        { "/route/v1/car/1,1;2,2%zz", "InvalidUrl", 400 },
        { "/route/v1/car/1,1;2,2%00", "InvalidUrl", 400 },
        { "/route/v1/c a r/1,1;2,2", "InvalidUrl", 400 },
        { "/route/v1/car/1,1;2,2/extra", "InvalidUrl", 400 },
        { "/matching/v1/car/1,1;2,2", "InvalidService", 400 },
        { "/route/v5/car/1,1;2,2", "InvalidVersion", 400 },
        { "/route/v1/car/1,1;200,2", "InvalidValue", 400 },
        { "/route/v1/car/1,91;2,2", "InvalidValue", 400 },
        { "/route/v1/car/1,1", "InvalidOptions", 400 },
        { "/route/v1/car/1,1;2,2;3,3;4,4;5,5;6,6", "TooBig", 400 },
        { "/route/v1/car/1,1;2,2?overview=some", "InvalidQuery", 400 },
        { "/route/v1/car/1,1;2,2?unknown=1", "InvalidQuery", 400 },
        { "/route/v1/car/1,1;2,2?overview", "InvalidQuery", 400 },
        { "/route/v1/car/1,1;2,2?annotations=nodes,colour", "InvalidQuery", 400 },
        { "/route/v1/car/1,1;2,2?steps=maybe", "InvalidQuery", 400 },
        { "/route/v1/car/1,1;2,2?exclude=toll,,ferry", "InvalidQuery", 400 },
        { "/route/v1/car/1,1;2,2?bearings=10,10", "InvalidOptions", 400 },
        { "/route/v1/car/1,1;2,2?radiuses=5;5;5", "InvalidOptions", 400 },
        { "/route/v1/car/1,1;2,2?radiuses=-5;10", "InvalidValue", 400 },
        { "/route/v1/car/1,1;2,2?radiuses=abc;10", "InvalidValue", 400 },
        { "/route/v1/car/1,1;2,2?radiuses=inf;10", "InvalidValue", 400 },
        { "/route/v1/car/1,1;2,2?bearings=400,10;", "InvalidValue", 400 },
        { "/route/v1/car/1,1;2,2?bearings=10;", "InvalidValue", 400 },
        { "/route/v1/car/1,1;2,2?bearings=10,190;", "InvalidValue", 400 },
        { "/route/v1/car/1,1;2,2?approaches=kerb;curb", "InvalidValue", 400 },
        { "/table/v1/car/1,1;2,2?approaches=curb", "InvalidOptions", 400 },
        { "/route/v1/car/polyline(abc)", "InvalidUrl", 400 }, /* ends inside a value */
        { "/route/v1/car/polyline()", "InvalidUrl", 400 },
        { "/trip/v1/car/polyline", "InvalidUrl", 400 }, /* fuzz_osrm_url: read past the end */
        { "/route/v1/car/polyline6", "InvalidUrl", 400 },
        { "/route/v1/car/polylin", "InvalidUrl", 400 },
        { "/route/v1/car/polyline(_p~iF)", "InvalidUrl", 400 },     /* a latitude alone */
        { "/route/v1/car/polyline(_p~iF~ps|U", "InvalidUrl", 400 }, /* no ')' */
        { "/route/v1/car/polyline(_p~iF~ps|U)x", "InvalidUrl", 400 },
        { "/route/v1/car/polyline(_p~iF ps|U)", "InvalidUrl", 400 }, /* not the alphabet */
        { "/route/v1/car/polyline7(_p~iF~ps|U)", "InvalidUrl", 400 },
        { "/route/v1/car/polyline(_p~iF~ps|U_uybQ?)", "InvalidValue", 400 }, /* latitude 95 */
        { "/route/v1/car/polyline(???????????\?)", "TooBig", 400 },          /* six points, max 5 */
        { "/route/v1/car/1,1;2,2;3,3?waypoints=0;1", "InvalidValue", 400 },
        { "/route/v1/car/1,1;2,2;3,3?waypoints=1;2", "InvalidValue", 400 },
        { "/route/v1/car/1,1;2,2;3,3?waypoints=0;3", "InvalidOptions", 400 },
        { "/route/v1/car/1,1;2,2;3,3?waypoints=0;;2", "InvalidQuery", 400 },
        { "/route/v1/car/1,1;2,2;3,3?waypoints=all", "InvalidQuery", 400 },
        { "/table/v1/car/1,1;2,2?waypoints=0;1", "InvalidQuery", 400 },
        { "/route/v1/car/1,1;2,2?height=tall", "InvalidValue", 400 },
        { "/table/v1/car/1,1;2,2?sources=0;5", "InvalidOptions", 400 },
        { "/table/v1/car/1,1;2,2?sources=a", "InvalidQuery", 400 },
        { "/table/v1/car/1,1;2,2;3,3;4,4", "TooBig", 400 },
        { "/table/v1/car/1,1;2,2?annotations=speed", "InvalidQuery", 400 },
        { "/nearest/v1/car/1,1;2,2", "InvalidOptions", 400 },
        { "/nearest/v1/car/1,1?number=0", "InvalidQuery", 400 },
        { "/nearest/v1/car/1,1?number=11", "TooBig", 400 },
        { "/route/v1/car/1,1;2,2?x=0123456789012345678901234567890123456789012345678901234567890"
          "12345678901234567890123456789012345678901234567890123456789012345678901234567890123456"
          "78901234567890123456789012345678901234567890123456789",
          "TooBig", 414 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_osrm_request r;
        struct cr_osrm_error e = { 0 };
        int rc = cr_osrm_parse(cases[i].url, &limits, &r, &e);
        cr_osrm_request_fini(&r);
        if (rc == 0)
            fail_msg("%s: accepted, want %s", cases[i].url, cases[i].code);
        if (strcmp(e.code, cases[i].code) || e.http_status != cases[i].status)
            fail_msg("%s: %s %d (%s), want %s %d", cases[i].url, e.code, e.http_status, e.message,
                     cases[i].code, cases[i].status);
        if (!e.message[0])
            fail_msg("%s: empty message", cases[i].url);
    }
}

static void
error_json(void **state)
{
    struct cr_osrm_error e;
    char *text;
    (void)state;

    cr_osrm_error_set(&e, "InvalidService", 0, "Service %s not found!", "f\"o\xff");
    assert_int_equal(e.http_status, 400);
    text = cr_osrm_error_json(&e);
    assert_non_null(text);
    assert_string_equal(text, "{\"code\":\"InvalidService\",\"message\":\"Service f\\\"o? not "
                              "found!\"}");
    free(text);
}

/* Google's example: (38.5, -120.2), (40.7, -120.95), (43.252, -126.453). */
static void
polyline(void **state)
{
    const int32_t lat[] = { 385000000, 407000000, 432520000 };
    const int32_t lon[] = { -1202000000, -1209500000, -1264530000 };
    char *p5 = cr_osrm_polyline(lon, lat, 3, 5), *p6 = cr_osrm_polyline(lon, lat, 1, 6);
    char *empty = cr_osrm_polyline(lon, lat, 0, 5);
    (void)state;

    assert_string_equal(p5, "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
    assert_string_equal(p6, "_izlhA~rlgdF");
    assert_string_equal(empty, "");
    free(p5);
    free(p6);
    free(empty);
}

static void
simplify(void **state)
{
    /* a straight line with a 1 m wiggle and a 100 m corner: the wiggle goes, the corner stays */
    const int32_t lon[] = { 0, 10000, 20000, 30000, 30000 };
    const int32_t lat[] = { 0, 90, 0, 0, 9000 };
    uint8_t keep[5];
    (void)state;

    assert_int_equal(cr_osrm_simplify(lon, lat, 5, 5.0, keep), 3);
    assert_int_equal(keep[0], 1);
    assert_int_equal(keep[1], 0);
    assert_int_equal(keep[2], 0);
    assert_int_equal(keep[3], 1);
    assert_int_equal(keep[4], 1);
    assert_int_equal(cr_osrm_simplify(lon, lat, 5, 0.2, keep), 5);
    assert_int_equal(cr_osrm_simplify(lon, lat, 1, 5.0, keep), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(route_defaults_and_options),
        cmocka_unit_test(route_metric),
        cmocka_unit_test(point_options),
        cmocka_unit_test(table_and_nearest),
        cmocka_unit_test(errors),
        cmocka_unit_test(error_json),
        cmocka_unit_test(polyline),
        cmocka_unit_test(polyline_coordinates),
        cmocka_unit_test(route_waypoints),
        cmocka_unit_test(simplify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
