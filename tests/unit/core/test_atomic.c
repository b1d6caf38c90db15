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
#include <sys/wait.h>
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

/* A temporary of PATH left by a process that died before its commit (as SIGKILL would); its name
 * goes to TMP. COMPANION, when given, is made beside it too (as SQLite's "-journal"). */
static void
dead_writer_leaves(const char *path, char *tmp, size_t size, const char *companion)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct cr_atomic_file a;
        struct cr_error err = { 0 };
        if (cr_atomic_open(&a, path, &err))
            _exit(1);
        fputs("half", a.f);
        fflush(a.f);
        if (write(fds[1], a.tmp, strlen(a.tmp) + 1) < 0)
            _exit(1);
        _exit(0); /* no commit, no abort: the temporary stays */
    }
    close(fds[1]);
    ssize_t n = read(fds[0], tmp, size - 1);
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(n > 0);
    tmp[n] = 0;
    assert_int_equal(access(tmp, F_OK), 0);
    if (companion) {
        char side[400];
        snprintf(side, sizeof side, "%s%s", tmp, companion);
        FILE *f = fopen(side, "wb");
        assert_non_null(f);
        fclose(f);
    }
}

static void
commit_sweeps_dead_writers_temporaries(void **state)
{
    (void)state;
    char path[300], other[300], tmp[300], tmp2[300], other_tmp[300], side[400];
    struct cr_error err = { 0 };
    struct cr_atomic_file live;
    snprintf(path, sizeof path, "%s/swept.gpkg", dir);
    snprintf(other, sizeof other, "%s/swept.1.gpkg", dir); /* another destination, same start */
    assert_int_equal(cr_atomic_write(path, "old", 3, &err), CR_OK);
    size_t before = entries();
    dead_writer_leaves(path, tmp, sizeof tmp, NULL);
    dead_writer_leaves(path, tmp2, sizeof tmp2, "-journal");
    dead_writer_leaves(other, other_tmp, sizeof other_tmp, NULL);
    assert_int_equal(cr_atomic_open_path(&live, path, &err), CR_OK); /* a writer still running */
    assert_int_equal(entries(), before + 5);
    assert_string_equal(slurp(path), "old"); /* the dead writers never touched it */

    assert_int_equal(cr_atomic_write(path, "new", 3, &err), CR_OK);
    assert_string_equal(slurp(path), "new");
    assert_int_not_equal(access(tmp, F_OK), 0);
    assert_int_not_equal(access(tmp2, F_OK), 0);
    snprintf(side, sizeof side, "%s-journal", tmp2);
    assert_int_not_equal(access(side, F_OK), 0);
    assert_int_equal(access(live.tmp, F_OK), 0);  /* alive: kept */
    assert_int_equal(access(other_tmp, F_OK), 0); /* another destination's: kept */
    cr_atomic_abort(&live);
    assert_int_equal(cr_atomic_write(other, "x", 1, &err), CR_OK); /* its own commit sweeps it */
    assert_int_not_equal(access(other_tmp, F_OK), 0);
    assert_int_equal(entries(), before + 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_replaces_whole),
        cmocka_unit_test(abort_keeps_old),
        cmocka_unit_test(path_mode_keeps_extension),
        cmocka_unit_test(missing_folder_is_an_error),
        cmocka_unit_test(stdout_is_written_directly),
        cmocka_unit_test(commit_sweeps_dead_writers_temporaries),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
