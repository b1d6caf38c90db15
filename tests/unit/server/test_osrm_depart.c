/* server/osrm_depart: depart_at= and holidays= on /route and /table, arrive_by= on /route
 * (refused with depart_at as InvalidOptions, on /table and with alternatives as
 * NotImplemented), bad values as InvalidValue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/cond.h"
#include "server/osrm.h"

static const struct cr_osrm_limits limits = {
    .max_url_bytes = 400, .max_route_points = 5, .max_table_size = 3, .max_nearest = 10
};

static void
depart_and_holidays(void **state)
{
    struct cr_osrm_request req;
    struct cr_osrm_error e = { 0 };
    (void)state;
    memset(&req, 0, sizeof req);
    assert_int_equal(cr_osrm_parse("/route/v1/car/1,1;2,2?depart_at=2026-04-30T08:00&holidays="
                                   "2026-04-30,2026-05-01",
                                   &limits, &req, &e),
                     0);
    assert_true(req.depart_set);
    assert_true(req.depart == (int64_t)cr_cond_days(2026, 4, 30) * 86400 + 8 * 3600);
    assert_int_equal(req.holiday_count, 2);
    assert_int_equal(req.holidays[1], cr_cond_days(2026, 5, 1));
    cr_osrm_request_fini(&req);
    memset(&req, 0, sizeof req);
    assert_int_equal(
        cr_osrm_parse("/table/v1/car/1,1;2,2?depart_at=2026-04-30T08:00", &limits, &req, &e), 0);
    assert_true(req.depart_set);
    cr_osrm_request_fini(&req);
    memset(&req, 0, sizeof req);
    assert_int_equal(cr_osrm_parse("/route/v1/car/1,1;2,2", &limits, &req, &e), 0);
    assert_false(req.depart_set);
    cr_osrm_request_fini(&req);
    memset(&req, 0, sizeof req);
    assert_int_equal(
        cr_osrm_parse("/route/v1/car/1,1;2,2?arrive_by=2026-04-30T08:00", &limits, &req, &e), 0);
    assert_true(req.arrive_set && !req.depart_set);
    assert_true(req.arrive == (int64_t)cr_cond_days(2026, 4, 30) * 86400 + 8 * 3600);
    cr_osrm_request_fini(&req);
}

static void
refused(void **state)
{
    static const struct {
        const char *url, *code;
    } cases[] = {
        { "/table/v1/car/1,1;2,2?arrive_by=2026-04-30T08:00", "NotImplemented" },
        { "/route/v1/car/1,1;2,2?arrive_by=2026-04-30T08:00&alternatives=2", "NotImplemented" },
        { "/route/v1/car/1,1;2,2?arrive_by=2026-04-30T08:00&depart_at=2026-04-30T07:00",
          "InvalidOptions" },
        { "/route/v1/car/1,1;2,2?depart_at=2026-04-30T07:00&arrive_by=2026-04-30T08:00",
          "InvalidOptions" },
        { "/route/v1/car/1,1;2,2?arrive_by=2026-04-30T25:00", "InvalidValue" },
        { "/route/v1/car/1,1;2,2?depart_at=2026-04-31T08:00", "InvalidValue" },
        { "/route/v1/car/1,1;2,2?depart_at=08:00", "InvalidValue" },
        { "/table/v1/car/1,1;2,2?holidays=2026-4-30", "InvalidValue" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct cr_osrm_request req;
        struct cr_osrm_error e = { 0 };
        memset(&req, 0, sizeof req);
        assert_int_equal(cr_osrm_parse(cases[i].url, &limits, &req, &e), -1);
        assert_string_equal(e.code, cases[i].code);
        cr_osrm_request_fini(&req);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(depart_and_holidays),
        cmocka_unit_test(refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
