/* Writing small input files from a unit test (cmocka asserts on failure). Header-only: each
 * test program includes it once. */
#ifndef CR_TESTS_UNIT_TESTFILE_H
#define CR_TESTS_UNIT_TESTFILE_H

#include <stdio.h>
#include <sys/stat.h>

/* Writes TEXT to DIR/NAME (DIR made when missing); returns the path, a static buffer that the
 * fifth call after this one reuses. */
static inline const char *
cr_test_write_file(const char *dir, const char *name, const char *text)
{
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    FILE *f;

    mkdir(dir, 0777);
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return p;
}

#endif
