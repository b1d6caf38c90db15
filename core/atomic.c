/* Files written whole or not at all: temporary file, fsync, rename, fsync of the folder. */
#include "core/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
is_stdout_path(const char *path)
{
    return !path || !strcmp(path, "-");
}

/* "dir/name.ext" -> "dir/.name.XXXXXX.ext" (mkstemps template); SUFFIX_LEN gets strlen(".ext"). */
static char *
temp_template(const char *path, int *suffix_len)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t dir_len = (size_t)(base - path);
    size_t stem_len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    const char *ext = dot && dot != base ? dot : "";
    size_t n = dir_len + 1 + stem_len + 8 + strlen(ext) + 1;
    char *t = malloc(n);
    if (!t)
        return NULL;
    snprintf(t, n, "%.*s.%.*s.XXXXXX%s", (int)dir_len, path, (int)stem_len, base, ext);
    *suffix_len = (int)strlen(ext);
    return t;
}

static enum cr_status
open_temp(struct cr_atomic_file *a, const char *path, int keep_fd_as_stream, struct cr_error *err)
{
    int suffix_len = 0;
    memset(a, 0, sizeof *a);
    if (is_stdout_path(path)) {
        a->is_stdout = 1;
        a->f = keep_fd_as_stream ? stdout : NULL;
        return CR_OK;
    }
    if (!*path)
        return cr_error_set(err, CR_EINVAL, "an empty output path");
    a->path = strdup(path);
    a->tmp = temp_template(path, &suffix_len);
    if (!a->path || !a->tmp) {
        cr_atomic_abort(a);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
    }
    int fd = mkstemps(a->tmp, suffix_len);
    if (fd < 0) {
        int saved = errno;
        free(a->tmp); /* nothing was created */
        a->tmp = NULL;
        cr_atomic_abort(a);
        return cr_error_set(err, CR_EIO, "%s: cannot create a file beside it: %s", path,
                            strerror(saved));
    }
    (void)fchmod(fd, 0644); /* mkstemps makes 0600; outputs are ordinary files */
    if (!keep_fd_as_stream) {
        close(fd);
        return CR_OK;
    }
    if (!(a->f = fdopen(fd, "wb"))) {
        int saved = errno;
        close(fd);
        cr_atomic_abort(a);
        return cr_error_set(err, CR_EIO, "%s: %s", path, strerror(saved));
    }
    return CR_OK;
}

enum cr_status
cr_atomic_open(struct cr_atomic_file *a, const char *path, struct cr_error *err)
{
    return open_temp(a, path, 1, err);
}

enum cr_status
cr_atomic_open_path(struct cr_atomic_file *a, const char *path, struct cr_error *err)
{
    if (is_stdout_path(path)) {
        memset(a, 0, sizeof *a);
        return cr_error_set(err, CR_EINVAL,
                            "this output cannot go to standard output; "
                            "give a file name");
    }
    return open_temp(a, path, 0, err);
}

static void
release(struct cr_atomic_file *a)
{
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
}

void
cr_atomic_abort(struct cr_atomic_file *a)
{
    if (!a)
        return;
    if (a->f && !a->is_stdout)
        fclose(a->f);
    if (a->tmp)
        unlink(a->tmp);
    release(a);
}

/* The folder holding PATH ("." when none), synced so a rename in it survives a crash. */
static void
sync_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd); /* a failure here loses nothing already written */
        close(dfd);
    }
    free(dir);
}

enum cr_status
cr_atomic_commit(struct cr_atomic_file *a, struct cr_error *err)
{
    const char *step = "cannot write";
    if (a->is_stdout) {
        int bad = a->f && fflush(a->f) != 0;
        release(a);
        return bad ? cr_error_set(err, CR_EIO, "cannot write to standard output") : CR_OK;
    }
    if (a->f) {
        FILE *f = a->f;
        a->f = NULL;
        int bad = ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0;
        int saved = errno;
        if (fclose(f) != 0 && !bad) {
            bad = 1;
            saved = errno;
        }
        if (bad) {
            errno = saved ? saved : EIO;
            goto fail;
        }
    } else {
        step = "cannot sync";
        int fd = open(a->tmp, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            goto fail;
        int bad = fsync(fd) != 0;
        int saved = errno;
        close(fd);
        if (bad) {
            errno = saved;
            goto fail;
        }
    }
    step = "cannot rename onto it";
    if (rename(a->tmp, a->path) != 0)
        goto fail;
    sync_folder(a->path);
    release(a);
    return CR_OK;
fail:;
    int saved = errno;
    enum cr_status st = cr_error_set(err, CR_EIO, "%s: %s: %s", a->path, step, strerror(saved));
    cr_atomic_abort(a);
    return st;
}

enum cr_status
cr_atomic_write(const char *path, const void *data, size_t len, struct cr_error *err)
{
    struct cr_atomic_file a;
    enum cr_status st = cr_atomic_open(&a, path, err);
    if (st)
        return st;
    if (len && fwrite(data, 1, len, a.f) != len) {
        int saved = errno;
        const char *what = a.is_stdout ? "standard output" : path;
        cr_atomic_abort(&a);
        return cr_error_set(err, CR_EIO, "%s: cannot write: %s", what, strerror(saved));
    }
    return cr_atomic_commit(&a, err);
}
