/* render/page: paper sizes, layout, round scale bars and nominal scales. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "render/page.h"

static void
paper_sizes(void **state)
{
    static const struct {
        const char *name;
        int landscape;
        double w, h;
    } cases[] = {
        { "A4", 0, 210, 297 }, { "a4", 1, 297, 210 }, { "A3", 0, 297, 420 },
        { "A2", 1, 594, 420 }, { "A1", 0, 594, 841 }, { "A0", 0, 841, 1189 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double w = 0, h = 0;
        struct cr_error err = { 0 };
        if (cr_page_paper(cases[i].name, cases[i].landscape, &w, &h, &err) != CR_OK)
            fail_msg("%s: %s", cases[i].name, err.msg);
        if (w != cases[i].w || h != cases[i].h)
            fail_msg("%s: %g x %g, want %g x %g", cases[i].name, w, h, cases[i].w, cases[i].h);
    }
}

static void
unknown_paper(void **state)
{
    double w = 0, h = 0;
    struct cr_error err = { 0 };
    (void)state;
    assert_int_equal(cr_page_paper("A5", 0, &w, &h, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "A5"));
    assert_int_equal(cr_page_paper("letter", 0, &w, &h, &err), CR_EINVAL);
}

static void
scale_bar_rounding(void **state)
{
    static const struct {
        double max, want;
    } cases[] = {
        { 1234, 1000 }, { 999, 500 }, { 2000, 2000 }, { 4999, 2000 },   { 5001, 5000 },
        { 0.7, 0.5 },   { 73, 50 },   { 180, 100 },   { 26000, 20000 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double got = cr_page_scale_bar_m(cases[i].max);
        if (fabs(got - cases[i].want) > 1e-9 * cases[i].want)
            fail_msg("max %g: got %g, want %g", cases[i].max, got, cases[i].want);
    }
    assert_true(cr_page_nice_floor(0) == 0);
    assert_true(cr_page_nice_floor(-5) == 0);
}

static void
distance_labels(void **state)
{
    char buf[32];
    (void)state;
    cr_page_distance_label(500, buf, sizeof buf);
    assert_string_equal(buf, "500 m");
    cr_page_distance_label(1000, buf, sizeof buf);
    assert_string_equal(buf, "1 km");
    cr_page_distance_label(2500, buf, sizeof buf);
    assert_string_equal(buf, "2.5 km");
    cr_page_distance_label(50, buf, sizeof buf);
    assert_string_equal(buf, "50 m");
}

static void
nominal_scales(void **state)
{
    static const struct {
        double need, want;
    } cases[] = {
        { 9000, 10000 },  { 10000, 10000 }, { 10001, 12500 }, { 7400, 7500 },
        { 52000, 60000 }, { 2100, 2500 },   { 480, 500 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double got = cr_page_nice_scale(cases[i].need);
        if (fabs(got - cases[i].want) > 1e-6)
            fail_msg("need 1:%g: got 1:%g, want 1:%g", cases[i].need, got, cases[i].want);
    }
}

static int
inside(struct cr_rect in, struct cr_rect out)
{
    return in.x >= out.x - 1e-9 && in.y >= out.y - 1e-9 && in.x + in.w <= out.x + out.w + 1e-9 &&
           in.y + in.h <= out.y + out.h + 1e-9;
}

static int
disjoint(struct cr_rect a, struct cr_rect b)
{
    return a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
}

static void
layouts(void **state)
{
    (void)state;
    for (int landscape = 0; landscape < 2; landscape++) {
        double w_mm, h_mm;
        struct cr_page_layout l;
        assert_int_equal(cr_page_paper("A3", landscape, &w_mm, &h_mm, NULL), CR_OK);
        cr_page_layout_compute(w_mm * CR_PT_PER_MM, h_mm * CR_PT_PER_MM, 8, &l);
        assert_int_equal(l.side_panel, landscape);
        assert_true(fabs(l.k - sqrt(2)) < 0.01); /* A3 is twice A4 */
        assert_true(inside(l.map, l.outer));
        assert_true(inside(l.legend, l.outer));
        assert_true(inside(l.title, l.outer));
        assert_true(disjoint(l.map, l.legend));
        assert_true(disjoint(l.map, l.title));
        assert_true(disjoint(l.legend, l.title));
        assert_true(l.map.w * l.map.h > 0.4 * l.outer.w * l.outer.h);
        assert_true(fabs(l.outer.x - 8 * CR_PT_PER_MM * l.k) < 1e-6);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paper_sizes),        cmocka_unit_test(unknown_paper),
        cmocka_unit_test(scale_bar_rounding), cmocka_unit_test(distance_labels),
        cmocka_unit_test(nominal_scales),     cmocka_unit_test(layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
