/*
 * Files written whole or not at all. Every output corridor writes (network files, tables, maps,
 * GeoPackages, JSON) goes to a temporary file in the destination's folder, is flushed to disk
 * (fsync), renamed over the destination, and the folder is synced so the rename itself lasts.
 * Until the commit succeeds the destination is untouched; a failure or an abort removes the
 * temporary file. PATH "-" (or NULL) means standard output, which is written directly.
 *
 * The temporary file is "DIR/.STEM.HOST-PID.XXXXXX.EXT" for "DIR/STEM.EXT": HOST is 8 hex digits
 * naming this machine, PID the writing process. A writer killed before its commit (SIGKILL, power
 * cut) cannot remove its own; the next successful commit to the same destination removes every
 * temporary of that destination whose process (on this host) no longer runs, with the -journal,
 * -wal and -shm files SQLite may leave beside a GeoPackage. Writers still running, on this host
 * or another, are never touched.
 *
 * Two ways to use it:
 *   - a stream: cr_atomic_open, write to a->f, cr_atomic_commit (or cr_atomic_abort);
 *   - a path for libraries that open files themselves (GDAL, Cairo, libpng): cr_atomic_open_path
 *     gives a->tmp, a name in the same folder ending in PATH's own extension (GDAL picks a driver
 *     by it), then cr_atomic_commit syncs and renames that file.
 * cr_atomic_write does the whole thing for one buffer.
 */
#ifndef CR_CORE_ATOMIC_H
#define CR_CORE_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

struct cr_atomic_file {
    FILE *f;    /* the stream to write (stdout for "-"); NULL in path mode */
    char *path; /* the destination (NULL for stdout) */
    char *tmp;  /* the temporary file beside it (NULL for stdout) */
    int is_stdout;
};

/* Opens a temporary file beside PATH for writing through a->f. Errors name PATH.
 * caller ends with: cr_atomic_commit() or cr_atomic_abort() */
enum cr_status cr_atomic_open(struct cr_atomic_file *a, const char *path, struct cr_error *err);

/* Reserves a temporary name beside PATH (created empty, so no one else takes it) for a library
 * to write to by name: a->tmp. caller ends with: cr_atomic_commit() or cr_atomic_abort() */
enum cr_status cr_atomic_open_path(struct cr_atomic_file *a, const char *path,
                                   struct cr_error *err);

/* Flushes and closes a->f (stream mode), fsyncs the temporary file, renames it over the
 * destination and fsyncs the folder. On failure the temporary file is removed and the
 * destination left as it was. Either way a is released. */
enum cr_status cr_atomic_commit(struct cr_atomic_file *a, struct cr_error *err);

/* Removes the temporary file and releases a. Accepts a released or zeroed a. */
void cr_atomic_abort(struct cr_atomic_file *a);

/* LEN bytes at DATA into PATH ("-" or NULL: standard output), whole or not at all. */
enum cr_status cr_atomic_write(const char *path, const void *data, size_t len,
                               struct cr_error *err);

#endif
