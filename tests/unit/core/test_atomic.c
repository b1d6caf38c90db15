/* core/atomic: the destination holds the old content or the whole new one, never a part, and no
 * temporary file is left behind on success, failure or abort. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/atomic.h"

static char dir[256];

static int
make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/atomic_XXXXXX", CR_BINARY_DIR);
    return mkdtemp(dir) ? 0 : -1;
}

static int
remove_dir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static size_t
entries(void)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static char *
slurp(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

static void
write_replaces_whole(void **state)
{
    (void)state;
    char path[300];
    struct cr_error err = { 0 };
    snprintf(path, sizeof path, "%s/out.csv", dir);
    assert_int_equal(cr_atomic_write(path, "old\n", 4, &err), CR_OK);
    assert_string_equal(slurp(path), "old\n");
    assert_int_equal(cr_atomic_write(path, "new text\n", 9, &err), CR_OK);
    assert_string_equal(slurp(path), "new text\n");
    assert_int_equal(entries(), 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mode & S_IRGRP); /* an ordinary file, not mkstemp's 0600 */
}

static void
abort_keeps_old(void **state)
{
    (void)state;
    char path[300];
    struct cr_error err = { 0 };
    struct cr_atomic_file a;
    snprintf(path, sizeof path, "%s/keep.json", dir);
    assert_int_equal(cr_atomic_write(path, "{}", 2, &err), CR_OK);
    size_t before = entries();
    assert_int_equal(cr_atomic_open(&a, path, &err), CR_OK);
    fputs("{\"half\":", a.f);
    assert_int_equal(entries(), before + 1); /* the temporary file sits beside it */
    cr_atomic_abort(&a);
    assert_string_equal(slurp(path), "{}");
    assert_int_equal(entries(), before);
    cr_atomic_abort(&a); /* a second abort is harmless */
}

static void
path_mode_keeps_extension(void **state)
{
    (void)state;
    char path[300];
    struct cr_error err = { 0 };
    struct cr_atomic_file a;
    snprintf(path, sizeof path, "%s/map.gpkg", dir);
    size_t before = entries();
    assert_int_equal(cr_atomic_open_path(&a, path, &err), CR_OK);
    assert_null(a.f);
    size_t n = strlen(a.tmp);
    assert_true(n > 5 && !strcmp(a.tmp + n - 5, ".gpkg"));
    assert_true(strncmp(a.tmp, dir, strlen(dir)) == 0);
    FILE *f = fopen(a.tmp, "wb");
    assert_non_null(f);
    fputs("made by a library", f);
    fclose(f);
    assert_int_equal(cr_atomic_commit(&a, &err), CR_OK);
    assert_string_equal(slurp(path), "made by a library");
    assert_int_equal(entries(), before + 1);
}

static void
missing_folder_is_an_error(void **state)
{
    (void)state;
    char path[300];
    struct cr_error err = { 0 };
    snprintf(path, sizeof path, "%s/no/such/folder/out.txt", dir);
    assert_int_equal(cr_atomic_write(path, "x", 1, &err), CR_EIO);
    assert_non_null(strstr(err.msg, "no/such/folder/out.txt"));
    assert_int_equal(cr_atomic_open_path(&(struct cr_atomic_file){ 0 }, "-", &err), CR_EINVAL);
}

static void
stdout_is_written_directly(void **state)
{
    (void)state;
    struct cr_error err = { 0 };
    assert_int_equal(cr_atomic_write("-", "", 0, &err), CR_OK);
    assert_int_equal(cr_atomic_write(NULL, "", 0, &err), CR_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_replaces_whole),       cmocka_unit_test(abort_keeps_old),
        cmocka_unit_test(path_mode_keeps_extension),  cmocka_unit_test(missing_folder_is_an_error),
        cmocka_unit_test(stdout_is_written_directly),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
