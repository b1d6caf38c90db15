/* Demand CSV with vehicle classes (the reader without classes is tested with corridor compare,
 * tests/unit/planning/test_compare.c): small files written to a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "importers/demand/demand.h"

#define MAX_FILES 16
#define FOLDER_TEMPLATE "/tmp/test_demand.XXXXXX"

#include "folder.h"

static const char *const ids[] = { "1", "2", "3" };
static const char *const classes[] = { "car", "motorcycle", "truck" };

static void
with_classes(void **state)
{
    struct folder *f = *state;
    struct cr_demand d[3];
    struct cr_error err = { CR_OK, "" };
    const char *path = write_file(f, "od.csv",
                                  "from_zone,to_zone,trips,class\n"
                                  "1,2,10,car\n"
                                  "1,2,100,Motorcycle\n"
                                  "2,3,5, truck\n"
                                  "2,3,1,\n" /* empty class: the default */
                                  "3,1,2\n"  /* no class field: the default */
                                  "1,2,7,car\n");
    if (cr_demand_load_classes(path, ids, 3, classes, 3, d, &err))
        fail_msg("%s", err.msg);
    assert_true(d[0].count == 3 && d[0].rows == 4 && d[0].total == 20);
    assert_true(d[0].trips[0 * 3 + 1] == 17 && d[0].trips[1 * 3 + 2] == 1 &&
                d[0].trips[2 * 3 + 0] == 2);
    assert_true(d[1].rows == 1 && d[1].total == 100 && d[1].trips[1] == 100);
    assert_true(d[2].rows == 1 && d[2].total == 5 && d[2].trips[5] == 5);
    for (int c = 0; c < 3; c++)
        cr_demand_fini(&d[c]);

    /* without classes the class column is one more column, ignored */
    if (cr_demand_load(path, ids, 3, d, &err))
        fail_msg("%s", err.msg);
    assert_true(d[0].rows == 6 && d[0].total == 125 && d[0].trips[1] == 117);
    cr_demand_fini(d);
}

static void
no_class_column(void **state)
{
    struct folder *f = *state;
    struct cr_demand d[2];
    struct cr_error err = { CR_OK, "" };
    const char *path = write_file(f, "plain.csv", "o,d,trips\n1,3,4\n");
    if (cr_demand_load_classes(path, ids, 3, classes, 2, d, &err))
        fail_msg("%s", err.msg);
    assert_true(d[0].rows == 1 && d[0].trips[2] == 4);
    assert_true(d[1].rows == 0 && d[1].total == 0 && d[1].trips[2] == 0);
    cr_demand_fini(&d[0]);
    cr_demand_fini(&d[1]);
}

static void
bad_class(void **state)
{
    struct folder *f = *state;
    struct cr_demand d[3];
    struct cr_error err = { CR_OK, "" };
    char want[256];
    const char *path =
        write_file(f, "bad.csv", "from_zone,to_zone,trips,class\n1,2,1,car\n2,1,1,bus\n");
    assert_int_equal(cr_demand_load_classes(path, ids, 3, classes, 3, d, &err), CR_EINVAL);
    snprintf(want, sizeof want, "%s: line 3: no class \"bus\" (the classes are car, ...)", path);
    assert_string_equal(err.msg, want);
    for (int c = 0; c < 3; c++)
        assert_null(d[c].trips);

    path = write_file(f, "neg.csv", "from_zone,to_zone,trips,class\n1,2,-1,car\n");
    assert_int_equal(cr_demand_load_classes(path, ids, 3, classes, 3, d, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "line 2: trips \"-1\": not a number >= 0"));
    path = write_file(f, "zone.csv", "from_zone,to_zone,trips,class\n1,9,1,car\n");
    assert_int_equal(cr_demand_load_classes(path, ids, 3, classes, 3, d, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "line 2: no zone \"9\""));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(with_classes, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(no_class_column, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(bad_class, make_folder, remove_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
