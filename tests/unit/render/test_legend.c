/* render/legend: entries keep whole UTF-8 characters when their label is cut to fit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "render/legend.h"

static void
label_cut_on_a_character(void **state)
{
    struct cr_legend l;
    struct cr_legend_entry e = { .kind = CR_LEGEND_FILL };
    char text[400] = "a";
    (void)state;
    for (int i = 0; i < 80; i++)
        strcat(text, "ở");                     /* 3 bytes each */
    memcpy(e.label, text, sizeof e.label - 1); /* 159 bytes: "a", 52 of them and 2 bytes */
    e.label[sizeof e.label - 1] = 0;
    cr_legend_init(&l);
    assert_int_equal(cr_legend_add(&l, &e), 0);
    assert_int_equal(strlen(l.entries[0].label), 1 + 52 * 3);
    strcpy(e.label, "Mặt nước · Water");
    assert_int_equal(cr_legend_add(&l, &e), 0);
    assert_string_equal(l.entries[1].label, "Mặt nước · Water");
    cr_legend_fini(&l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(label_cut_on_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
