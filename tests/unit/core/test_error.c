/* core/error: cr_error_set fills the error on one line (an outside library's message may hold
 * newlines and tabs: they become spaces), truncates to CR_ERROR_SIZE, takes a NULL error, and
 * every status has a name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"

static void
one_line(void **state)
{
    (void)state;
    struct cr_error err = { 0 };
    const char *gdal = "SQL Expression Parsing Error: syntax error. Occurred around :\nkind=\n\t^";
    assert_int_equal(cr_error_set(&err, CR_EINVAL, "a.geojson: bad where (%s)", gdal), CR_EINVAL);
    assert_int_equal(err.code, CR_EINVAL);
    assert_null(strpbrk(err.msg, "\n\r\t"));
    assert_string_equal(err.msg, "a.geojson: bad where (SQL Expression Parsing Error: syntax error."
                                 " Occurred around : kind=  ^)");
}

static void
truncated_and_null(void **state)
{
    (void)state;
    struct cr_error err = { 0 };
    char long_text[1000];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    assert_int_equal(cr_error_set(&err, CR_EFORMAT, "%s", long_text), CR_EFORMAT);
    assert_int_equal(strlen(err.msg), CR_ERROR_SIZE - 1);
    assert_int_equal(cr_error_set(NULL, CR_EIO, "nobody reads %s", "this"), CR_EIO);
}

static void
every_status_named(void **state)
{
    (void)state;
    for (int c = CR_OK; c <= CR_EINTERNAL; c++)
        assert_string_not_equal(cr_status_name((enum cr_status)c), "unknown status");
    assert_string_equal(cr_status_name(CR_ECHECKSUM), "checksum mismatch");
    assert_string_equal(cr_status_name((enum cr_status)999), "unknown status");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_line),
        cmocka_unit_test(truncated_and_null),
        cmocka_unit_test(every_status_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
