/* render/label: collision boxes; a label is placed only where it meets no other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "render/label.h"

static void
overlaps_refused(void **state)
{
    struct cr_label_set s;
    struct cr_label_box a = { 10, 10, 50, 20 }, b = { 45, 15, 90, 25 }, c = { 50, 10, 90, 20 };
    struct cr_label_box far = { 500, 500, 520, 510 };
    (void)state;
    assert_int_equal(cr_label_set_init(&s, 600, 600, 24), 0);
    assert_int_equal(cr_label_set_place(&s, &a, 1), 1);
    assert_int_equal(cr_label_set_place(&s, &b, 1), 0); /* overlaps a */
    assert_int_equal(cr_label_set_place(&s, &c, 1), 1); /* touches a's edge only */
    assert_int_equal(cr_label_set_place(&s, &far, 1), 1);
    assert_int_equal(cr_label_set_place(&s, &far, 1), 0); /* the same spot twice */
    assert_int_equal(s.count, 3);
    cr_label_set_fini(&s);
}

static void
all_or_nothing(void **state)
{
    struct cr_label_set s;
    struct cr_label_box taken = { 100, 100, 110, 110 };
    struct cr_label_box chain[3] = { { 0, 0, 10, 10 }, { 50, 50, 60, 60 }, { 105, 105, 115, 115 } };
    struct cr_label_box first = { 0, 0, 10, 10 };
    (void)state;
    assert_int_equal(cr_label_set_init(&s, 200, 200, 16), 0);
    cr_label_set_add(&s, &taken, 1);
    assert_int_equal(cr_label_set_place(&s, chain, 3), 0);  /* its last box meets "taken" */
    assert_int_equal(cr_label_set_place(&s, &first, 1), 1); /* so nothing of it was added */
    cr_label_set_fini(&s);
}

static void
boxes_off_the_page(void **state)
{
    struct cr_label_set s;
    struct cr_label_box a = { -50, -50, -40, -40 }, b = { -45, -45, -30, -30 };
    struct cr_label_box big = { -10, -10, 1000, 1000 }, inner = { 300, 300, 310, 310 };
    (void)state;
    assert_int_equal(cr_label_set_init(&s, 100, 100, 10), 0);
    assert_int_equal(cr_label_set_place(&s, &a, 1), 1);
    assert_int_equal(cr_label_set_place(&s, &b, 1), 0);
    cr_label_set_fini(&s);
    assert_int_equal(cr_label_set_init(&s, 100, 100, 10), 0);
    assert_int_equal(cr_label_set_place(&s, &big, 1), 1);
    assert_int_equal(cr_label_set_place(&s, &inner, 1), 0);
    cr_label_set_fini(&s);
}

/* A diagonal label blocks its own strip, not its whole bounding square. */
static void
diagonal_strips(void **state)
{
    struct cr_label_set s;
    struct cr_label_box a[64], b[64];
    size_t na = cr_label_strip_boxes(100, 100, 120, 8, M_PI / 4, a, 64);
    /* a parallel label 30 points away across the first one's direction */
    size_t nb = cr_label_strip_boxes(100 + 30 * cos(3 * M_PI / 4), 100 + 30 * sin(3 * M_PI / 4),
                                     120, 8, M_PI / 4, b, 64);
    struct cr_label_box crossing[64];
    size_t nc = cr_label_strip_boxes(100, 100, 120, 8, -M_PI / 4, crossing, 64);
    (void)state;
    assert_true(na >= 10);
    assert_int_equal(cr_label_set_init(&s, 400, 400, 20), 0);
    assert_int_equal(cr_label_set_place(&s, a, na), 1);
    assert_int_equal(cr_label_set_place(&s, b, nb), 1);
    assert_int_equal(cr_label_set_place(&s, crossing, nc), 0);
    cr_label_set_fini(&s);
    /* horizontal: the boxes tile the strip exactly */
    size_t n = cr_label_strip_boxes(50, 20, 40, 10, 0, a, 64);
    assert_int_equal(n, 4);
    assert_true(fabs(a[0].x0 - 30) < 1e-9 && fabs(a[3].x1 - 70) < 1e-9);
    assert_true(fabs(a[0].y0 - 15) < 1e-9 && fabs(a[0].y1 - 25) < 1e-9);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overlaps_refused),
        cmocka_unit_test(all_or_nothing),
        cmocka_unit_test(boxes_off_the_page),
        cmocka_unit_test(diagonal_strips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
