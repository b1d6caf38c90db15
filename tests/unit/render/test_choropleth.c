/* Choropleth classes (render/choropleth.h) on hand-made values: symmetric breaks around 0,
 * quantiles, equal widths, fixed breaks, colours (diverging: blue below 0, neutral around it, red
 * above), labels in the unit, no data, and bad breaks. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "render/choropleth.h"

static void
symmetric_breaks_straddle_zero(void **state)
{
    const double v[] = { -10, -2, 0, NAN, 3, 4 };
    struct cr_choropleth c = { .values = v, .palette = CR_PALETTE_DIVERGING, .classes = 5 };
    struct cr_choropleth_classes k;
    struct cr_error err = { 0 };
    char label[64];

    (void)state;
    assert_int_equal(cr_choropleth_classify(&c, 6, &k, &err), CR_OK);
    assert_int_equal(k.break_count, 4);
    const double want[] = { -6, -2, 2, 6 }; /* M = 10, width 4 */
    for (size_t i = 0; i < 4; i++)
        assert_true(fabs(k.breaks[i] - want[i]) < 1e-9);
    assert_int_equal(k.with_data, 5);
    assert_int_equal(k.no_data, 1);
    assert_int_equal(cr_choropleth_class_of(&k, 0), 2);
    assert_int_equal(cr_choropleth_class_of(&k, -2), 1); /* (-6, -2] */
    assert_int_equal(cr_choropleth_class_of(&k, 100), 4);
    /* the middle class is near-white, blue below, red above, darker outwards */
    assert_true(k.fill[2].r > 0.9 && k.fill[2].g > 0.9 && k.fill[2].b > 0.9);
    assert_true(k.fill[0].b > k.fill[0].r && k.fill[1].b > k.fill[1].r);
    assert_true(k.fill[3].r > k.fill[3].b && k.fill[4].r > k.fill[4].b);
    assert_true(k.fill[0].r < k.fill[1].r && k.fill[4].b < k.fill[3].b);
    cr_choropleth_label(&k, 0, "minutes", label, sizeof label);
    assert_string_equal(label, "-10 to -6 minutes");
    cr_choropleth_label(&k, 2, "minutes", label, sizeof label);
    assert_string_equal(label, "-2 to 2 minutes");
    cr_choropleth_label(&k, 4, NULL, label, sizeof label);
    assert_string_equal(label, "above 6"); /* no value above 6: the class is empty */

    /* an even count is made odd, so 0 is never a break */
    c.classes = 4;
    assert_int_equal(cr_choropleth_classify(&c, 6, &k, &err), CR_OK);
    assert_int_equal(k.break_count, 4);
}

static void
all_zero_is_one_class(void **state)
{
    const double v[] = { 0, 0, 0 };
    struct cr_choropleth c = { .values = v, .palette = CR_PALETTE_DIVERGING };
    struct cr_choropleth_classes k;
    struct cr_error err = { 0 };
    char label[64];

    (void)state;
    assert_int_equal(cr_choropleth_classify(&c, 3, &k, &err), CR_OK);
    assert_int_equal(k.break_count, 0);
    cr_choropleth_label(&k, 0, "minutes", label, sizeof label);
    assert_string_equal(label, "0 minutes");
    assert_true(k.fill[0].r > 0.9 && k.fill[0].b > 0.9);
}

static void
quantiles_and_equal(void **state)
{
    const double v[] = { 8, 1, 2, 3, 4, 5, 6, 7 };
    struct cr_choropleth c = { .values = v, .palette = CR_PALETTE_SEQUENTIAL, .classes = 4 };
    struct cr_choropleth_classes k;
    struct cr_error err = { 0 };

    (void)state;
    assert_int_equal(cr_choropleth_classify(&c, 8, &k, &err), CR_OK); /* quantile by default */
    assert_int_equal(k.break_count, 3);
    assert_true(k.breaks[0] == 2 && k.breaks[1] == 4 && k.breaks[2] == 6);
    assert_true(k.fill[0].g > k.fill[3].g); /* lighter to darker */
    c.method = CR_BREAKS_EQUAL;
    assert_int_equal(cr_choropleth_classify(&c, 8, &k, &err), CR_OK);
    assert_int_equal(k.break_count, 3);
    assert_true(fabs(k.breaks[0] - 2.75) < 1e-9 && fabs(k.breaks[2] - 6.25) < 1e-9);

    /* ties: repeated quantile breaks are dropped */
    const double t[] = { 1, 1, 1, 1, 1, 1, 2, 3 };
    c.values = t;
    c.method = CR_BREAKS_QUANTILE;
    assert_int_equal(cr_choropleth_classify(&c, 8, &k, &err), CR_OK);
    assert_int_equal(k.break_count, 1);
    assert_true(k.breaks[0] == 1);
}

static void
fixed_breaks_and_errors(void **state)
{
    const double v[] = { -3, 0.5, 7 };
    const double b[] = { -1, 0, 1 };
    const double bad[] = { 1, 0 };
    struct cr_choropleth c = {
        .values = v, .palette = CR_PALETTE_DIVERGING, .breaks = b, .break_count = 3
    };
    struct cr_choropleth_classes k;
    struct cr_error err = { 0 };

    (void)state;
    assert_int_equal(cr_choropleth_classify(&c, 3, &k, &err), CR_OK);
    assert_int_equal(k.break_count, 3);
    /* 0 is a break: classes (.., -1] and (-1, 0] blue, (0, 1] and (1, ..) red */
    assert_true(k.fill[1].b > k.fill[1].r && k.fill[2].r > k.fill[2].b);
    c.breaks = bad;
    c.break_count = 2;
    assert_int_equal(cr_choropleth_classify(&c, 3, &k, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "ascending"));
    c.breaks = NULL;
    c.break_count = 0;
    c.classes = 12;
    assert_int_equal(cr_choropleth_classify(&c, 3, &k, &err), CR_EINVAL);
}

static void
no_data_only(void **state)
{
    const double v[] = { NAN, NAN };
    struct cr_choropleth c = { .values = v };
    struct cr_choropleth_classes k;
    struct cr_error err = { 0 };
    enum cr_palette p;
    enum cr_breaks m;

    (void)state;
    assert_int_equal(cr_choropleth_classify(&c, 2, &k, &err), CR_OK);
    assert_int_equal(k.with_data, 0);
    assert_int_equal(k.no_data, 2);
    assert_int_equal(cr_palette_parse("diverging", &p), 0);
    assert_int_equal(p, CR_PALETTE_DIVERGING);
    assert_int_equal(cr_palette_parse("rainbow", &p), -1);
    assert_int_equal(cr_breaks_parse("quantile", &m), 0);
    assert_int_equal(m, CR_BREAKS_QUANTILE);
    assert_int_equal(cr_breaks_parse("jenks", &m), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(symmetric_breaks_straddle_zero),
        cmocka_unit_test(all_zero_is_one_class),
        cmocka_unit_test(quantiles_and_equal),
        cmocka_unit_test(fixed_breaks_and_errors),
        cmocka_unit_test(no_data_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
