/* Files written whole or not at all: temporary file, fsync, rename, fsync of the folder; after a
 * commit, the temporaries of the same destination left by writers that died (SIGKILL, power cut)
 * are removed. */
#include "core/atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
is_stdout_path(const char *path)
{
    return !path || !strcmp(path, "-");
}

/* This host's tag in temporary names: FNV-1a of its name, so a writer on another machine sharing
 * the folder (NFS) is never taken for a dead one here. */
static uint32_t
host_tag(void)
{
    char name[256] = "";
    uint32_t h = 2166136261u;
    (void)gethostname(name, sizeof name - 1);
    for (const char *c = name; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    return h;
}

/* PATH's parts: the folder prefix (with its slash), the stem and the extension (with its dot). */
struct parts {
    size_t dir_len, stem_len;
    const char *base, *ext;
};

static struct parts
split(const char *path)
{
    const char *slash = strrchr(path, '/');
    struct parts p = { 0, 0, slash ? slash + 1 : path, "" };
    const char *dot = strrchr(p.base, '.');
    p.dir_len = (size_t)(p.base - path);
    p.stem_len = dot && dot != p.base ? (size_t)(dot - p.base) : strlen(p.base);
    p.ext = dot && dot != p.base ? dot : "";
    return p;
}

/* "dir/name.ext" -> "dir/.name.HOSTTAG-PID.XXXXXX.ext" (mkstemps template); SUFFIX_LEN gets
 * strlen(".ext"). The host and process in the name let a later writer tell a dead one's. */
static char *
temp_template(const char *path, int *suffix_len)
{
    struct parts p = split(path);
    size_t n = p.dir_len + 1 + p.stem_len + 1 + 8 + 1 + 20 + 8 + strlen(p.ext) + 1;
    char *t = malloc(n);
    if (!t)
        return NULL;
    snprintf(t, n, "%.*s.%.*s.%08x-%ld.XXXXXX%s", (int)p.dir_len, path, (int)p.stem_len, p.base,
             (unsigned)host_tag(), (long)getpid(), p.ext);
    *suffix_len = (int)strlen(p.ext);
    return t;
}

/* Whether NAME (an entry of the destination's folder) is a temporary file of the destination
 * split as P, made on this host (TAG) by a process that no longer runs. SQLite's companions of a
 * GeoPackage (-journal, -wal, -shm) count with it. */
static int
is_stale_temp(const char *name, const struct parts *p, uint32_t tag)
{
    char tag_text[9];
    const char *c = name;
    long pid = 0;
    if (*c++ != '.' || strncmp(c, p->base, p->stem_len) != 0 || c[p->stem_len] != '.')
        return 0;
    c += p->stem_len + 1;
    snprintf(tag_text, sizeof tag_text, "%08x", (unsigned)tag);
    if (strncmp(c, tag_text, 8) != 0 || c[8] != '-')
        return 0;
    c += 9;
    if (*c < '1' || *c > '9')
        return 0;
    for (; *c >= '0' && *c <= '9' && pid < 100000000; c++)
        pid = pid * 10 + (*c - '0');
    if (*c++ != '.')
        return 0;
    for (int i = 0; i < 6; i++, c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
            return 0;
    size_t ext_len = strlen(p->ext);
    if (strncmp(c, p->ext, ext_len) != 0)
        return 0;
    c += ext_len;
    if (*c && strcmp(c, "-journal") && strcmp(c, "-wal") && strcmp(c, "-shm"))
        return 0;
    if ((pid_t)pid == getpid())
        return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH; /* EPERM: alive, someone else's */
}

/* Removes the temporaries of PATH that writers which died before their commit left beside it. */
static void
sweep_stale(const char *path)
{
    struct parts p = split(path);
    char *dir = p.dir_len ? strndup(path, p.dir_len) : strdup(".");
    uint32_t tag = host_tag();
    DIR *d = dir ? opendir(dir) : NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!is_stale_temp(e->d_name, &p, tag))
            continue;
        size_t n = p.dir_len + strlen(e->d_name) + 1;
        char *full = malloc(n);
        if (full) {
            snprintf(full, n, "%.*s%s", (int)p.dir_len, path, e->d_name);
            (void)unlink(full); /* gone already (another sweep) is fine */
            free(full);
        }
    }
    if (d)
        closedir(d);
    free(dir);
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
    sweep_stale(a->path);
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
