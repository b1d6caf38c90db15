/* core/cond: the conditional tag grammar (VALUE @ (CONDITION); ...), every opening_hours form
 * it reads (weekdays, months, dates and their ranges across the new year, times and ranges past
 * midnight, "," and ";" lists, PH), vehicle conditions, AND, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/cond.h"

/* 2026-04-30 (a Thursday) at HH:MM, naive local */
static int64_t
at(int y, int m, int d, int hh, int mm)
{
    return (int64_t)cr_cond_days(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

static int
holds(const char *cond, int64_t t)
{
    struct cr_cond_expr e;
    char why[128] = "";
    if (cr_cond_parse_expr(cond, &e, why, sizeof why)) {
        fail_msg("%s: %s", cond, why);
    }
    return cr_cond_time_holds(&e, t, NULL);
}

static void
calendar(void **state)
{
    int y, m, d;
    int64_t t;
    (void)state;
    assert_int_equal(cr_cond_days(1970, 1, 1), 0);
    assert_int_equal(cr_cond_days(2026, 4, 30), 20573);
    cr_cond_civil(20573, &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 20260430);
    assert_int_equal(cr_cond_parse_time("2026-04-30T08:00", &t), 0);
    assert_true(t == at(2026, 4, 30, 8, 0));
    assert_int_equal(cr_cond_parse_time("2026-04-30 08:00:30", &t), 0);
    assert_true(t == at(2026, 4, 30, 8, 0) + 30);
    assert_int_equal(cr_cond_parse_time("2026-05-01", &t), 0);
    assert_true(t == at(2026, 5, 1, 0, 0));
    assert_int_equal(cr_cond_parse_time("2026-02-30T08:00", &t), -1);
    assert_int_equal(cr_cond_parse_time("2026-04-30T25:00", &t), -1);
    assert_int_equal(cr_cond_parse_time("30/04/2026", &t), -1);
    assert_int_equal(cr_cond_parse_time("2026-04-30T08:00Z", &t), -1);
    int32_t days[4];
    size_t n = 4;
    assert_int_equal(cr_cond_parse_dates("2026-04-30,2026-05-01;2026-09-02", days, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(days[1], cr_cond_days(2026, 5, 1));
    n = 4;
    assert_int_equal(cr_cond_parse_dates("2026-04-31", days, &n), -1);
}

static void
weekdays_and_times(void **state)
{
    (void)state;
    /* 2026-04-30 is a Thursday, 2026-05-02 a Saturday */
    assert_true(holds("Mo-Fr 07:00-09:00", at(2026, 4, 30, 7, 30)));
    assert_false(holds("Mo-Fr 07:00-09:00", at(2026, 4, 30, 9, 0)));
    assert_false(holds("Mo-Fr 07:00-09:00", at(2026, 5, 2, 7, 30)));
    assert_true(holds("Sa,Su", at(2026, 5, 2, 12, 0)));
    assert_true(holds("Fr-Mo", at(2026, 5, 3, 12, 0))); /* a range over the week's end */
    assert_false(holds("Fr-Mo", at(2026, 4, 30, 12, 0)));
    assert_true(holds("(06:00-22:00)", at(2026, 4, 30, 6, 0)));
    assert_false(holds("(06:00-22:00)", at(2026, 4, 30, 22, 0)));
    /* a time list */
    assert_true(holds("06:00-09:00,16:00-19:00", at(2026, 4, 30, 17, 0)));
    assert_false(holds("06:00-09:00,16:00-19:00", at(2026, 4, 30, 12, 0)));
    /* past midnight: Friday night runs into Saturday morning, not into Friday morning */
    assert_true(holds("Fr 22:00-06:00", at(2026, 5, 1, 23, 0)));
    assert_true(holds("Fr 22:00-06:00", at(2026, 5, 2, 5, 59)));
    assert_false(holds("Fr 22:00-06:00", at(2026, 5, 1, 5, 0)));
    assert_true(holds("22:00-24:00", at(2026, 5, 1, 23, 59)));
    /* several rules: ";" and "," before a new day selector */
    assert_true(holds("Mo-Fr 07:00-09:00; Sa 10:00-12:00", at(2026, 5, 2, 11, 0)));
    assert_true(holds("Mo-Fr 07:00-09:00, Sa 10:00-12:00", at(2026, 5, 2, 11, 0)));
    assert_false(holds("Mo-Fr 07:00-09:00, Sa 10:00-12:00", at(2026, 5, 2, 8, 0)));
}

static void
months_and_dates(void **state)
{
    (void)state;
    assert_true(holds("Apr", at(2026, 4, 1, 0, 0)));
    assert_false(holds("Apr", at(2026, 5, 1, 0, 0)));
    assert_true(holds("Apr-Jun", at(2026, 6, 30, 12, 0)));
    assert_true(holds("Nov-Feb", at(2026, 1, 15, 12, 0)));
    assert_true(holds("Apr 30", at(2026, 4, 30, 23, 0)));
    assert_false(holds("Apr 30", at(2026, 5, 1, 0, 0)));
    assert_true(holds("Apr 29-30", at(2026, 4, 29, 1, 0)));
    assert_true(holds("Dec 24-Jan 02", at(2026, 1, 2, 1, 0)));
    assert_true(holds("Dec 24-Jan 02", at(2026, 12, 31, 1, 0)));
    assert_false(holds("Dec 24-Jan 02", at(2026, 1, 3, 1, 0)));
    assert_true(holds("Apr Mo-Fr 07:00-09:00", at(2026, 4, 30, 8, 0)));
    assert_false(holds("May Mo-Fr 07:00-09:00", at(2026, 4, 30, 8, 0)));
    /* District 3's closure for 30 April */
    const char *d3 = "(Apr 29 23:00-23:59; Apr 30 00:00-14:00)";
    assert_true(holds(d3, at(2026, 4, 30, 8, 0)));
    assert_true(holds(d3, at(2026, 4, 29, 23, 30)));
    assert_false(holds(d3, at(2026, 4, 30, 14, 0)));
    assert_false(holds(d3, at(2026, 5, 1, 8, 0)));
    assert_true(holds("Apr 30,May 01", at(2026, 5, 1, 8, 0)));
}

static void
public_holidays(void **state)
{
    struct cr_cond_expr e;
    int32_t days[1] = { cr_cond_days(2026, 4, 30) };
    struct cr_cond_holidays ph = { days, 1 };
    (void)state;
    assert_int_equal(cr_cond_parse_expr("Mo-Fr,PH 07:00-09:00", &e, NULL, 0), 0);
    assert_true(cr_cond_time_holds(&e, at(2026, 4, 29, 8, 0), &ph));
    assert_int_equal(cr_cond_parse_expr("PH", &e, NULL, 0), 0);
    assert_true(cr_cond_time_holds(&e, at(2026, 4, 30, 8, 0), &ph));
    assert_false(cr_cond_time_holds(&e, at(2026, 4, 30, 8, 0), NULL)); /* no list: none */
    assert_false(cr_cond_time_holds(&e, at(2026, 5, 1, 8, 0), &ph));
    assert_int_equal(cr_cond_parse_expr("Sa,PH 10:00-12:00", &e, NULL, 0), 0);
    assert_true(cr_cond_time_holds(&e, at(2026, 4, 30, 11, 0), &ph));
    assert_true(cr_cond_time_holds(&e, at(2026, 5, 2, 11, 0), &ph));
}

static void
values_and_vehicles(void **state)
{
    struct cr_cond_alt a[CR_COND_MAX_ALTS];
    size_t n;
    char why[128];
    struct cr_cond_vehicle heavy = { 12, 0, 0, 0, 0 }, light = { 3.5, 0, 0, 0, 0 };
    (void)state;
    assert_int_equal(
        cr_cond_parse("no @ (Apr 29 23:00-23:59; Apr 30 00:00-14:00)", a, &n, why, sizeof why), 0);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].value, "no");
    assert_int_equal(a[0].expr.nrules, 2);
    assert_int_equal(
        cr_cond_parse("30 @ (22:00-06:00); 50 @ Mo-Fr 07:00-09:00", a, &n, why, sizeof why), 0);
    assert_int_equal(n, 2);
    assert_string_equal(a[1].value, "50");
    assert_int_equal(cr_cond_parse("no @ weight>7", a, &n, why, sizeof why), 0);
    assert_int_equal(a[0].expr.nrules, 0);
    assert_int_equal(a[0].expr.ncmp, 1);
    assert_true(cr_cond_vehicle_holds(&a[0].expr, &heavy));
    assert_false(cr_cond_vehicle_holds(&a[0].expr, &light));
    assert_false(cr_cond_vehicle_holds(&a[0].expr, NULL));
    assert_true(cr_cond_time_holds(&a[0].expr, 0, NULL)); /* no time part */
    assert_int_equal(
        cr_cond_parse("no @ (weight > 3.5 t AND Mo-Fr 06:00-20:00)", a, &n, why, sizeof why), 0);
    assert_int_equal(a[0].expr.ncmp, 1);
    assert_int_equal(a[0].expr.nrules, 1);
    assert_true(cr_cond_vehicle_holds(&a[0].expr, &heavy));
    assert_int_equal(cr_cond_parse("no_left_turn @ (06:00-22:00)", a, &n, why, sizeof why), 0);
    assert_string_equal(a[0].value, "no_left_turn");
    assert_int_equal(cr_cond_parse("no @ (height>=4.2)", a, &n, why, sizeof why), 0);
    assert_int_equal(a[0].expr.cmp[0].op, CR_COND_GE);
}

static void
refused(void **state)
{
    static const char *const bad[] = {
        "no",                              /* no condition */
        "no @ (sunset-sunrise)",           /* sun times */
        "no @ (Mo-Fr 07:00-09:00",         /* unbalanced */
        "no @ (2026 Apr 30)",              /* years */
        "no @ (Mo-Fr 07:00+)",             /* open end */
        "no @ (SH)",                       /* school holidays */
        "no @ (Mo-Fr off)",                /* off */
        "no @ (wet)",                      /* road conditions */
        "no @ (Mo[1])",                    /* weekday index */
        "no @ (25:00-26:00)",              /* bad time */
        "@ (Mo)",                          /* no value */
        "no @ (Mo-Fr 07:00-09:00 AND Sa)", /* two times */
        "no @ ()",
        "",
    };
    struct cr_cond_alt a[CR_COND_MAX_ALTS];
    size_t n;
    char why[128];
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why[0] = '\0';
        if (cr_cond_parse(bad[i], a, &n, why, sizeof why) == 0)
            fail_msg("accepted: %s", bad[i]);
        assert_true(why[0] != '\0');
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar),
        cmocka_unit_test(weekdays_and_times),
        cmocka_unit_test(months_and_dates),
        cmocka_unit_test(public_holidays),
        cmocka_unit_test(values_and_vehicles),
        cmocka_unit_test(refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
