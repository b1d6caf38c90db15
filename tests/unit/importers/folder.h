/* A temporary folder of small input files for the point-file readers' tests (points,
 * terminals): make_folder / remove_folder as cmocka setup and teardown, write_file to fill it.
 * Include after <cmocka.h>; define FOLDER_TEMPLATE ("/tmp/test_x.XXXXXX") and MAX_FILES first. */
#ifndef CR_TESTS_IMPORTERS_FOLDER_H
#define CR_TESTS_IMPORTERS_FOLDER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct folder {
    char dir[64];
    char *files[MAX_FILES];
    size_t file_count;
};

static int
make_folder(void **state)
{
    struct folder *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "%s", FOLDER_TEMPLATE);
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int
remove_folder(void **state)
{
    struct folder *f = *state;
    for (size_t i = 0; i < f->file_count; i++) {
        unlink(f->files[i]);
        free(f->files[i]);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Writes TEXT to NAME in the folder and returns its path (owned by the folder). */
static const char *
write_file(struct folder *f, const char *name, const char *text)
{
    char *path = malloc(strlen(f->dir) + strlen(name) + 2);
    assert_non_null(path);
    sprintf(path, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
    assert_true(f->file_count < MAX_FILES);
    f->files[f->file_count++] = path;
    return path;
}

#endif
