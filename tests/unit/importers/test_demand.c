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
#include "importers/omx/omx.h"

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

/* NAME in the folder, removed with it. */
static const char *
path_in(struct folder *f, const char *name)
{
    char *p = malloc(strlen(f->dir) + strlen(name) + 2);
    assert_non_null(p);
    sprintf(p, "%s/%s", f->dir, name);
    assert_true(f->file_count < MAX_FILES);
    f->files[f->file_count++] = p;
    return p;
}

static void
from_omx(void **state)
{
    struct folder *f = *state;
    struct cr_demand d[2];
    struct cr_error err = { CR_OK, "" };
    const double car[4] = { 0, 10, 20, 0 }, truck[4] = { 0, 1, 2, 0 }, bad[4] = { 0, -1, 0, 0 };
    const struct cr_omx_matrix m[2] = { { "car", car }, { "truck", truck } };
    const char *const file_ids[2] = { "2", "1" }; /* the file's order is not ours */
    const char *path = path_in(f, "od.omx");

    if (cr_omx_write(path, 2, m, 2, "zone", file_ids, &err))
        fail_msg("%s", err.msg);
    /* one class "car" of a file with two matrices: the car matrix */
    if (cr_demand_load_file(path, ids, 3, classes, 1, d, &err))
        fail_msg("%s", err.msg);
    assert_true(d[0].total == 30 && d[0].trips[1 * 3 + 0] == 10);
    cr_demand_fini(&d[0]);
    if (cr_demand_load_file(path, ids, 3, (const char *const[]){ "truck", "car" }, 2, d, &err))
        fail_msg("%s", err.msg);
    /* file zone 0 is our "2" (index 1) */
    assert_true(d[0].trips[1 * 3 + 0] == 1 && d[0].trips[0 * 3 + 1] == 2 && d[0].total == 3);
    assert_true(d[1].trips[1 * 3 + 0] == 10 && d[1].trips[0 * 3 + 1] == 20 && d[1].rows == 2);
    cr_demand_fini(&d[0]);
    cr_demand_fini(&d[1]);

    assert_int_equal(cr_demand_load_omx(path, NULL, ids, 3, d, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "od.omx: 2 matrices (car, truck, ...): say which"));
    assert_int_equal(cr_demand_load_file(path, ids, 3, classes, 2, d, &err), CR_ENOTFOUND);
    assert_non_null(strstr(err.msg, "od.omx: no matrix \"motorcycle\""));
    assert_null(d[0].trips);

    const struct cr_omx_matrix neg[1] = { { "demand", bad } };
    path = path_in(f, "neg.omx");
    if (cr_omx_write(path, 2, neg, 1, "zone", file_ids, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(cr_demand_load_file(path, ids, 3, classes, 1, d, &err), CR_EINVAL);
    assert_non_null(
        strstr(err.msg, "neg.omx: matrix \"demand\": trips -1 from zone \"2\" to \"1\""));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(with_classes, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(no_class_column, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(bad_class, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(from_omx, make_folder, remove_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
