/* The synthetic gravity demand (planning/gravity.h) on hand-made examples: Furness balancing
 * makes row sums equal the productions and column sums the attractions (both scaled to the
 * total), trips fall with time, unreachable pairs and intrazonal pairs get none, a zone without a
 * reachable partner is dropped, and bad input is refused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "planning/gravity.h"

static void
sums(const struct cr_gravity *g, double *rows, double *cols, double *total)
{
    size_t n = g->count;
    *total = 0;
    for (size_t i = 0; i < n; i++)
        rows[i] = cols[i] = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            rows[i] += g->trips[i * n + j];
            cols[j] += g->trips[i * n + j];
            *total += g->trips[i * n + j];
        }
}

static void
balanced(void **state)
{
    /* four zones: P 1:2:0:1, A 1:1:2:0 (any scale), times in minutes */
    const double p[] = { 10, 20, 0, 10 }, a[] = { 5, 5, 10, 0 };
    const double t[] = { 0, 5, 10, 20, 5, 0, 5, 15, 10, 5, 0, 10, 20, 15, 10, 0 };
    struct cr_gravity_options o = { .total = 1000, .beta = 0.1, .tolerance = 1e-10 };
    struct cr_gravity g;
    struct cr_error err = { 0 };
    double rows[4], cols[4], total;

    (void)state;
    assert_int_equal(cr_gravity_run(4, p, a, t, &o, &g, &err), CR_OK);
    assert_true(g.converged);
    assert_true(g.max_error <= 1e-10);
    sums(&g, rows, cols, &total);
    assert_true(fabs(total - 1000) < 1e-6);
    const double want_rows[] = { 250, 500, 0, 250 }, want_cols[] = { 250, 250, 500, 0 };
    for (size_t i = 0; i < 4; i++) {
        assert_true(fabs(rows[i] - want_rows[i]) < 1e-6);
        assert_true(fabs(cols[i] - want_cols[i]) < 1e-6);
        assert_true(g.trips[i * 4 + i] == 0); /* no intrazonal trips */
    }
    /* from zone 4, zone 3 (10 min) draws more than zone 1 (20 min) per unit of attraction */
    assert_true(g.trips[3 * 4 + 2] / 500 > g.trips[3 * 4 + 0] / 250);
    cr_gravity_fini(&g);
}

static void
unreachable_and_dropped(void **state)
{
    /* zone 3 produces but reaches nobody: dropped; the rest still add up to the total */
    const double p[] = { 1, 1, 5 }, a[] = { 1, 1, 1 };
    const double t[] = { 0, 3, NAN, 3, 0, NAN, NAN, NAN, 0 };
    struct cr_gravity_options o = { .total = 60 };
    struct cr_gravity g;
    struct cr_error err = { 0 };
    double rows[3], cols[3], total;

    (void)state;
    assert_int_equal(cr_gravity_run(3, p, a, t, &o, &g, &err), CR_OK);
    assert_int_equal(g.zones_dropped, 2); /* zone 3's production and its attraction */
    sums(&g, rows, cols, &total);
    assert_true(fabs(total - 60) < 1e-9);
    assert_true(fabs(g.trips[0 * 3 + 1] - 30) < 1e-9 && fabs(g.trips[1 * 3 + 0] - 30) < 1e-9);
    assert_true(g.trips[2 * 3 + 0] == 0 && g.trips[0 * 3 + 2] == 0);
    cr_gravity_fini(&g);
}

static void
errors(void **state)
{
    const double p[] = { 1, 1 }, a[] = { 1, 1 }, neg[] = { -1, 1 };
    const double none[] = { 0, NAN, NAN, 0 };
    struct cr_gravity_options o = { .total = 10 };
    struct cr_gravity g;
    struct cr_error err = { 0 };

    (void)state;
    assert_int_equal(cr_gravity_run(2, p, a, none, &o, &g, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "no pair"));
    assert_int_equal(cr_gravity_run(2, neg, a, none, &o, &g, &err), CR_EINVAL);
    o.total = 0;
    assert_int_equal(cr_gravity_run(2, p, a, none, &o, &g, &err), CR_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(balanced),
        cmocka_unit_test(unreachable_and_dropped),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
