/* OpenMatrix files: written by cr_omx_write and read back (matrices, integer and text lookups,
 * zones mapped onto ours), and files that are not OMX (text, plain HDF5 made here with libhdf5,
 * a matrix of the wrong shape). All synthetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "importers/omx/omx.h"

#define MAX_FILES 16
#define FOLDER_TEMPLATE "/tmp/test_omx.XXXXXX"

#include "folder.h"

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

static struct cr_omx *
open_ok(const char *path)
{
    struct cr_error err = { CR_OK, "" };
    struct cr_omx *o = cr_omx_open(path, &err);
    if (!o)
        fail_msg("%s", err.msg);
    return o;
}

static void
write_read_integer_lookup(void **state)
{
    struct folder *f = *state;
    struct cr_error err = { CR_OK, "" };
    const double trips[9] = { 0, 1.5, 2, 3, 0, 4.25, 5, 6, 0 };
    const double time[9] = { 0, 10, 20, 10, 0, 30, 20, 30, 0 };
    const struct cr_omx_matrix m[2] = { { "trips", trips }, { "time", time } };
    const char *const ids[3] = { "10", "20", "30" };
    const char *path = path_in(f, "od.omx");
    double out[16];

    if (cr_omx_write(path, 3, m, 2, "zone", ids, &err))
        fail_msg("%s", err.msg);
    struct cr_omx *o = open_ok(path);
    assert_int_equal(cr_omx_rows(o), 3);
    assert_int_equal(cr_omx_cols(o), 3);
    assert_int_equal(cr_omx_matrix_count(o), 2);
    assert_string_equal(cr_omx_matrix_name(o, 0), "time"); /* HDF5's name order */
    assert_string_equal(cr_omx_matrix_name(o, 1), "trips");
    assert_int_equal(cr_omx_lookup_count(o), 1);
    assert_string_equal(cr_omx_lookup_name(o, 0), "zone");
    if (cr_omx_read(o, "trips", out, &err))
        fail_msg("%s", err.msg);
    assert_memory_equal(out, trips, sizeof trips);

    char **got;
    size_t n;
    if (cr_omx_read_lookup(o, "zone", &got, &n, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(n, 3);
    assert_string_equal(got[0], "10");
    assert_string_equal(got[2], "30");
    free(got);

    /* onto our zones: another order, and one zone the file lacks */
    const char *const ours[4] = { "30", "40", "10", "20" };
    if (cr_omx_read_zones(o, "trips", NULL, ours, 4, out, &err))
        fail_msg("%s", err.msg);
    /* ours 2 = file 0 ("10"), ours 3 = file 1, ours 0 = file 2 */
    assert_true(out[2 * 4 + 3] == 1.5 && out[2 * 4 + 0] == 2 && out[3 * 4 + 2] == 3 &&
                out[3 * 4 + 0] == 4.25 && out[0 * 4 + 2] == 5 && out[0 * 4 + 3] == 6);
    for (int j = 0; j < 4; j++)
        assert_true(out[1 * 4 + j] == 0 && out[j * 4 + 1] == 0);

    /* a file zone that is none of ours */
    const char *const few[2] = { "10", "20" };
    assert_int_equal(cr_omx_read_zones(o, "trips", "zone", few, 2, out, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "od.omx: lookup \"zone\": zone \"30\" is none of ours"));
    /* a missing matrix, a missing lookup */
    assert_int_equal(cr_omx_read(o, "walk", out, &err), CR_ENOTFOUND);
    assert_non_null(strstr(err.msg, "od.omx: no matrix \"walk\""));
    assert_int_equal(cr_omx_read_zones(o, "trips", "taz", ours, 4, out, &err), CR_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no lookup \"taz\""));
    cr_omx_close(o);
}

static void
text_lookup_and_none(void **state)
{
    struct folder *f = *state;
    struct cr_error err = { CR_OK, "" };
    const double a[4] = { 1, 2, 3, 4 };
    const struct cr_omx_matrix m[1] = { { "demand car", a } };
    const char *const ids[2] = { "Quận 1", "007" };
    const char *path = path_in(f, "text.omx");
    double out[4];
    char **got;
    size_t n;

    if (cr_omx_write(path, 2, m, 1, "name", ids, &err))
        fail_msg("%s", err.msg);
    struct cr_omx *o = open_ok(path);
    if (cr_omx_read_lookup(o, "name", &got, &n, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(n, 2);
    assert_string_equal(got[0], "Quận 1");
    assert_string_equal(got[1], "007");
    free(got);
    const char *const ours[2] = { "007", "Quận 1" };
    if (cr_omx_read_zones(o, "demand car", NULL, ours, 2, out, &err))
        fail_msg("%s", err.msg);
    assert_true(out[0] == 4 && out[1] == 3 && out[2] == 2 && out[3] == 1);
    cr_omx_close(o);

    /* no lookup: our order, and our zone count */
    path = path_in(f, "plain.omx");
    if (cr_omx_write(path, 2, m, 1, NULL, NULL, &err))
        fail_msg("%s", err.msg);
    o = open_ok(path);
    assert_int_equal(cr_omx_lookup_count(o), 0);
    if (cr_omx_read_zones(o, "demand car", NULL, ours, 2, out, &err))
        fail_msg("%s", err.msg);
    assert_memory_equal(out, a, sizeof a);
    assert_int_equal(cr_omx_read_zones(o, "demand car", NULL, ours, 1, out, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "2 zones and no lookup, but we have 1"));
    cr_omx_close(o);
}

/* An HDF5 file made here: SHAPE_ATTR adds OMX_VERSION and SHAPE 3x3, DATA a 2x2 matrix "m". */
static void
make_hdf5(const char *path, int omx_attrs, int data)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(f >= 0);
    if (omx_attrs) {
        int32_t shape[2] = { 3, 3 };
        hsize_t two = 2;
        hid_t s = H5Screate_simple(1, &two, NULL), v = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(f, "SHAPE", H5T_STD_I32LE, s, H5P_DEFAULT, H5P_DEFAULT);
        assert_true(H5Awrite(a, H5T_NATIVE_INT32, shape) >= 0);
        H5Aclose(a);
        a = H5Acreate2(f, "OMX_VERSION", H5T_STD_I32LE, v, H5P_DEFAULT, H5P_DEFAULT);
        H5Aclose(a);
        H5Sclose(s);
        H5Sclose(v);
    }
    if (data) {
        hsize_t dims[2] = { 2, 2 };
        double x[4] = { 1, 2, 3, 4 };
        hid_t g = H5Gcreate2(f, "data", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        hid_t s = H5Screate_simple(2, dims, NULL);
        hid_t d = H5Dcreate2(g, "m", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        assert_true(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) >= 0);
        H5Dclose(d);
        H5Sclose(s);
        H5Gclose(g);
    }
    assert_true(H5Fclose(f) >= 0);
}

static void
not_omx(void **state)
{
    struct folder *f = *state;
    struct cr_error err = { CR_OK, "" };
    double out[9];

    const char *text = write_file(f, "od.omx", "from_zone,to_zone,trips\n1,2,3\n");
    assert_null(cr_omx_open(text, &err));
    assert_int_equal(err.code, CR_EFORMAT);
    assert_non_null(strstr(err.msg, "od.omx: not an HDF5 file"));

    const char *plain = path_in(f, "plain.h5");
    make_hdf5(plain, 0, 1);
    assert_null(cr_omx_open(plain, &err));
    assert_non_null(strstr(err.msg, "plain.h5: not an OMX file (HDF5 without OMX_VERSION)"));

    const char *nodata = path_in(f, "nodata.omx");
    make_hdf5(nodata, 1, 0);
    assert_null(cr_omx_open(nodata, &err));
    assert_non_null(strstr(err.msg, "nodata.omx: not an OMX file: no /data group"));

    const char *shape = path_in(f, "shape.omx");
    make_hdf5(shape, 1, 1);
    struct cr_omx *o = open_ok(shape);
    assert_int_equal(cr_omx_read(o, "m", out, &err), CR_EFORMAT);
    assert_non_null(strstr(err.msg, "shape.omx: matrix \"m\" is 2x2, SHAPE 3x3"));
    cr_omx_close(o);

    assert_null(cr_omx_open(path_in(f, "absent.omx"), &err));
    assert_int_equal(err.code, CR_EIO);
}

static void
write_errors(void **state)
{
    struct folder *f = *state;
    struct cr_error err = { CR_OK, "" };
    const double a[1] = { 1 };
    const struct cr_omx_matrix twice[2] = { { "x", a }, { "x", a } };
    struct stat sb;
    const char *path = path_in(f, "never.omx");

    assert_int_equal(cr_omx_write(path, 1, twice, 2, NULL, NULL, &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "two matrices named \"x\""));
    assert_int_equal(stat(path, &sb), -1);
    assert_int_equal(cr_omx_write("/nonexistent/dir/x.omx", 1, twice, 1, NULL, NULL, &err), CR_EIO);
    assert_int_equal(cr_omx_write("-", 1, twice, 1, NULL, NULL, &err), CR_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(write_read_integer_lookup, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(text_lookup_and_none, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(not_omx, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(write_errors, make_folder, remove_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
