/*
 * The one rule for writing a route's measures (routing/measure.h): keys, decimals by measure and
 * by currency, rounding, CSV fields and JSON keys; and that every shipped profile's currency is
 * one the rule knows the minor unit of.
 */
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "routing/measure.h"
#include "routing/profile.h"

static void
keys_and_header(void **state)
{
    char header[128] = "";
    (void)state;
    for (int m = 0; m < CR_MEASURE_COUNT; m++) {
        if (m)
            strcat(header, ",");
        strcat(header, cr_measure_key((enum cr_measure)m));
    }
    assert_string_equal(header, CR_MEASURES_CSV_HEADER);
    assert_string_equal(cr_measure_key(CR_MEASURE_CO2), "co2_kg");
    assert_string_equal(cr_measure_key(CR_MEASURE_COUNT), "value");
    assert_int_equal(cr_metric_measure(CR_METRIC_TIME), CR_MEASURE_DURATION);
    assert_int_equal(cr_metric_measure(CR_METRIC_DISTANCE), CR_MEASURE_DISTANCE);
    assert_int_equal(cr_metric_measure(CR_METRIC_COST), CR_MEASURE_COST);
    assert_int_equal(cr_metric_measure(CR_METRIC_CO2), CR_MEASURE_CO2);
}

static void
currency_decimals(void **state)
{
    static const struct {
        const char *code;
        int decimals;
    } cases[] = {
        { "VND", 0 }, { "vnd", 0 }, { "JPY", 0 }, { "EUR", 2 }, { "USD", 2 },
        { "KWD", 3 }, { "CLF", 4 }, { "XYZ", 2 }, { "", 2 },    { NULL, 2 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (cr_currency_decimals(cases[i].code) != cases[i].decimals)
            fail_msg("currency %s: want %d decimals, got %d",
                     cases[i].code ? cases[i].code : "NULL", cases[i].decimals,
                     cr_currency_decimals(cases[i].code));
}

static void
format_each(void **state)
{
    static const struct {
        enum cr_measure m;
        double x;
        const char *currency, *want;
    } cases[] = {
        { CR_MEASURE_DISTANCE, 604.14, "VND", "604.1" },
        { CR_MEASURE_DISTANCE, 604.15, "VND", "604.2" }, /* half away from zero */
        { CR_MEASURE_DURATION, 88.06, "VND", "88.1" },
        { CR_MEASURE_DURATION, 0.0, "VND", "0.0" },
        { CR_MEASURE_COST, 422.9, "VND", "423" },
        { CR_MEASURE_COST, 422.904, "EUR", "422.90" },
        { CR_MEASURE_COST, 1.0005, "KWD", "1.001" },
        { CR_MEASURE_CO2, 0.0296, "VND", "0.030" },
        { CR_MEASURE_CO2, -0.0001, "VND", "0.000" }, /* never "-0.000" */
        { CR_MEASURE_CO2, NAN, "VND", "" },
        { CR_MEASURE_DISTANCE, INFINITY, "VND", "" },
    };
    char buf[64];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_measure_format(buf, sizeof buf, cases[i].m, cases[i].x, cases[i].currency);
        if (strcmp(buf, cases[i].want))
            fail_msg("%s %.6g %s: want \"%s\", got \"%s\"", cr_measure_key(cases[i].m), cases[i].x,
                     cases[i].currency, cases[i].want, buf);
    }
    assert_true(cr_measure_round(CR_MEASURE_COST, 422.9, "VND") == 423.0);
    assert_true(isnan(cr_measure_round(CR_MEASURE_COST, NAN, "VND")));
}

static void
csv_and_json(void **state)
{
    struct cr_measures v = { 604.14, 88.06, 422.9, 0.0296 };
    char buf[128];
    json_t *o = json_object();
    char *text;
    (void)state;

    cr_measures_csv(buf, sizeof buf, &v, "VND");
    assert_string_equal(buf, "604.1,88.1,423,0.030");
    cr_measures_csv(buf, sizeof buf, &v, "EUR");
    assert_string_equal(buf, "604.1,88.1,422.90,0.030");
    cr_measures_csv(buf, sizeof buf, NULL, "VND");
    assert_string_equal(buf, ",,,");

    assert_int_equal(cr_measures_json(o, &v, "VND"), 0);
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    assert_string_equal(
        text, "{\"distance_m\":604.1,\"duration_s\":88.1,\"cost\":423.0,\"co2_kg\":0.03}");
    free(text);
    v.cost = NAN;
    assert_int_equal(cr_measures_json(o, &v, "VND"), 0);
    assert_true(json_is_null(json_object_get(o, "cost")));
    json_decref(o);
}

/* Every shipped profile names an ISO 4217 code; VND ones print whole dong. */
static void
shipped_profiles_currency(void **state)
{
    static const char *const names[] = { "car", "motorcycle", "truck", "rail", "barge", "freight" };
    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct cr_profile p;
        struct cr_error err = { 0 };
        if (cr_profile_load(names[i], CR_SOURCE_DIR "/profiles", &p, &err))
            fail_msg("%s: %s", names[i], err.msg);
        assert_int_equal(strlen(p.currency), 3);
        if (!strcmp(p.currency, "VND"))
            assert_int_equal(cr_currency_decimals(p.currency), 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys_and_header),
        cmocka_unit_test(currency_decimals),
        cmocka_unit_test(format_each),
        cmocka_unit_test(csv_and_json),
        cmocka_unit_test(shipped_profiles_currency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
