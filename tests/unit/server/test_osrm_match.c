/* /match/v1 (server/osrm_match.c) without sockets, on tests/maps/match.osm (drawn in match.txt):
 * the answer's shape (matchings with confidence, geometry, legs, distance, duration, weight;
 * tracepoints with matchings_index, waypoint_index, alternatives_count, location, name,
 * distance), null for a point far off, a split at a time gap and not with gaps=ignore,
 * waypoints= joining legs, NoMatch, and the options' errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/graph.h"
#include "importers/osm/osm_import.h"
#include "server/osrm.h"
#include "server/server.h"

#define MAP CR_SOURCE_DIR "/tests/maps/match.osm"
#define DIR CR_BINARY_DIR "/test_osrm_match_files"

/* Main road of match.txt from x 0.5 to 4.5 units, every 0.5, one point nudged north; point 4
 * 2 units south when FAR. */
static void
trace_url(char *url, size_t size, const char *query, int far)
{
    size_t len = (size_t)snprintf(url, size, "/match/v1/driving/");
    for (int k = 1; k <= 9; k++) {
        double y = k == 4 ? (far ? -0.002 : 0.00012) : -0.00002;
        len += (size_t)snprintf(url + len, size - len, "%s%.7f,%.7f", k > 1 ? ";" : "",
                                106 + k * 0.0005, 10 + y);
    }
    snprintf(url + len, size - len, "%s", query);
}

static json_t *
ask(struct cr_server *s, const char *url, int want_status)
{
    int status = 0;
    char *body = cr_server_answer(s, url, &status);
    json_error_t je;
    json_t *o;

    assert_non_null(body);
    o = json_loads(body, 0, &je);
    if (!o || status != want_status)
        fail_msg("%s: status %d: %s", url, status, body);
    free(body);
    return o;
}

static struct cr_server *
open_server(void)
{
    struct cr_error err = { 0 };
    struct cr_netbuild *b = cr_osm_build(MAP, NULL, NULL, &err);
    struct cr_server_options o;
    struct cr_server *s;

    if (!b || system("mkdir -p " DIR) != 0 ||
        cr_graph_write(cr_netbuild_view(b), DIR "/match.corr", &err))
        fail_msg("%s", err.msg);
    cr_netbuild_destroy(b);
    cr_server_options_defaults(&o);
    o.profiles = "car";
    if (!(s = cr_server_open(DIR "/match.corr", &o, &err)))
        fail_msg("%s", err.msg);
    return s;
}

static void
match_shape(void **state)
{
    struct cr_server *s = open_server();
    char url[2048];
    json_t *o, *m, *tp, *leg;

    (void)state;
    trace_url(url, sizeof url, "?geometries=geojson&overview=full&steps=true", 0);
    o = ask(s, url, 200);
    assert_string_equal(json_string_value(json_object_get(o, "code")), "Ok");
    assert_int_equal(json_array_size(json_object_get(o, "matchings")), 1);
    m = json_array_get(json_object_get(o, "matchings"), 0);
    assert_true(json_real_value(json_object_get(m, "confidence")) > 0.9);
    assert_true(json_is_object(json_object_get(m, "geometry")));
    assert_true(json_number_value(json_object_get(m, "distance")) > 430);
    assert_true(json_number_value(json_object_get(m, "distance")) < 450);
    assert_non_null(json_object_get(m, "duration"));
    assert_non_null(json_object_get(m, "weight"));
    assert_int_equal(json_array_size(json_object_get(m, "legs")), 8);
    leg = json_array_get(json_object_get(m, "legs"), 0);
    assert_true(json_is_array(json_object_get(leg, "steps")));
    assert_int_equal(json_array_size(json_object_get(o, "tracepoints")), 9);
    tp = json_array_get(json_object_get(o, "tracepoints"), 3);
    assert_int_equal(json_integer_value(json_object_get(tp, "matchings_index")), 0);
    assert_int_equal(json_integer_value(json_object_get(tp, "waypoint_index")), 3);
    assert_true(json_integer_value(json_object_get(tp, "alternatives_count")) >= 1);
    assert_string_equal(json_string_value(json_object_get(tp, "name")), "Main road");
    assert_int_equal(json_array_size(json_object_get(tp, "location")), 2);
    assert_true(json_number_value(json_object_get(tp, "distance")) > 12);
    json_decref(o);

    /* a point 220 m off: null, and the legs go round it */
    trace_url(url, sizeof url, "", 1);
    o = ask(s, url, 200);
    assert_true(json_is_null(json_array_get(json_object_get(o, "tracepoints"), 3)));
    m = json_array_get(json_object_get(o, "matchings"), 0);
    assert_int_equal(json_array_size(json_object_get(m, "legs")), 7);
    json_decref(o);

    /* waypoints: legs joined between 0, 4 and 8 */
    trace_url(url, sizeof url, "?waypoints=0;4;8&annotations=distance", 0);
    o = ask(s, url, 200);
    m = json_array_get(json_object_get(o, "matchings"), 0);
    assert_int_equal(json_array_size(json_object_get(m, "legs")), 2);
    leg = json_array_get(json_object_get(m, "legs"), 0);
    assert_true(json_number_value(json_object_get(leg, "distance")) > 210);
    assert_true(json_is_null(
        json_object_get(json_array_get(json_object_get(o, "tracepoints"), 2), "waypoint_index")));
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(o, "tracepoints"), 4), "waypoint_index")),
                     1);
    json_decref(o);

    /* waypoints with steps: one arrival per joined leg, as osrm-routed's collapsed legs */
    trace_url(url, sizeof url, "?waypoints=0;4;8&steps=true", 0);
    o = ask(s, url, 200);
    m = json_array_get(json_object_get(o, "matchings"), 0);
    for (size_t k = 0; k < 2; k++) {
        json_t *steps = json_object_get(json_array_get(json_object_get(m, "legs"), k), "steps");
        size_t arrivals = 0, i;
        json_t *st;
        json_array_foreach(steps, i, st)
        {
            arrivals +=
                !strcmp(json_string_value(json_object_get(json_object_get(st, "maneuver"), "type")),
                        "arrive");
        }
        assert_int_equal(arrivals, 1);
    }
    json_decref(o);
    /* a listed point that is not matched: NoMatch, as osrm-routed */
    trace_url(url, sizeof url, "?waypoints=0;3;8", 1);
    o = ask(s, url, 400);
    assert_string_equal(json_string_value(json_object_get(o, "code")), "NoMatch");
    json_decref(o);
    cr_server_destroy(s);
}

static void
match_gaps(void **state)
{
    struct cr_server *s = open_server();
    char url[2048];
    json_t *o;

    (void)state;
    trace_url(url, sizeof url, "?timestamps=0;10;20;30;200;210;220;230;240", 0);
    o = ask(s, url, 200);
    assert_int_equal(json_array_size(json_object_get(o, "matchings")), 2);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(o, "tracepoints"), 4), "matchings_index")),
                     1);
    json_decref(o);
    trace_url(url, sizeof url, "?timestamps=0;10;20;30;200;210;220;230;240&gaps=ignore", 0);
    o = ask(s, url, 200);
    assert_int_equal(json_array_size(json_object_get(o, "matchings")), 1);
    json_decref(o);
    /* waypoints over a split trace: NoMatch, as osrm-routed */
    trace_url(url, sizeof url, "?timestamps=0;10;20;30;200;210;220;230;240&waypoints=0;8", 0);
    o = ask(s, url, 400);
    assert_string_equal(json_string_value(json_object_get(o, "code")), "NoMatch");
    json_decref(o);
    /* nothing near: NoMatch */
    o = ask(s, "/match/v1/driving/106.001,9.99;106.002,9.99", 400);
    assert_string_equal(json_string_value(json_object_get(o, "code")), "NoMatch");
    json_decref(o);
    cr_server_destroy(s);
}

static void
match_options(void **state)
{
    static const struct {
        const char *query, *code;
    } bad[] = {
        { "?timestamps=1;2", "InvalidOptions" },
        { "?timestamps=5;4;6;7;8;9;10;11;12", "InvalidValue" },
        { "?timestamps=a", "InvalidQuery" },
        { "?gaps=maybe", "InvalidQuery" },
        { "?tidy=1", "InvalidQuery" },
        { "?waypoints=1;8", "InvalidValue" }, /* osrm-routed's code */
        { "?waypoints=0;8&tidy=true", "InvalidOptions" },
        { "?radiuses=5;5;5;unlimited;5;5;5;5;5", "InvalidValue" },
        { "?alternatives=true", "InvalidQuery" },
    };
    struct cr_osrm_limits lim = { .max_url_bytes = 0 };
    char url[2048];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cr_osrm_request req;
        struct cr_osrm_error e = { 0 };
        trace_url(url, sizeof url, bad[i].query, 0);
        if (cr_osrm_parse(url, &lim, &req, &e) == 0)
            fail_msg("%s: accepted", bad[i].query);
        if (strcmp(e.code, bad[i].code))
            fail_msg("%s: %s (%s), want %s", bad[i].query, e.code, e.message, bad[i].code);
        cr_osrm_request_fini(&req);
    }
    {
        struct cr_osrm_request req;
        struct cr_osrm_error e = { 0 };
        trace_url(url, sizeof url,
                  "?radiuses=10;10;10;10;10;10;10;10;10&tidy=true&gaps=ignore&timestamps=1;2;3;4;5;"
                  "6;7;8;9",
                  0);
        if (cr_osrm_parse(url, &lim, &req, &e))
            fail_msg("%s", e.message);
        assert_int_equal(req.service, CR_OSRM_MATCH);
        cr_osrm_request_fini(&req);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(match_shape),
        cmocka_unit_test(match_gaps),
        cmocka_unit_test(match_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
