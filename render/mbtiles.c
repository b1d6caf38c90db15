/* MBTiles 1.3 through libsqlite3: metatiles drawn on threads, one writer (render/mbtiles.h). */
#include "render/mbtiles.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"

struct job { /* one metatile: its first tile and the zoom */
    unsigned z;
    uint32_t x, y;
};

struct writer {
    const struct cr_tile_source *src;
    const struct cr_mbtiles_options *o;
    const double *bbox;
    sqlite3 *db;
    sqlite3_stmt *insert;
    struct job *jobs;
    size_t job_count;
    atomic_size_t next;
    pthread_mutex_t mu; /* db, insert, counts, err, progress */
    struct cr_mbtiles_result *res;
    uint64_t total;
    int failed;
    struct cr_error *err;
};

uint64_t
cr_mbtiles_count(const double bbox[4], unsigned min_zoom, unsigned max_zoom)
{
    uint64_t n = 0;
    for (unsigned z = min_zoom; z <= max_zoom; z++) {
        uint32_t x0, y0, x1, y1;
        cr_tile_range(bbox, z, &x0, &y0, &x1, &y1);
        n += (uint64_t)(x1 - x0 + 1) * (y1 - y0 + 1);
    }
    return n;
}

static enum cr_status
sql_fail(struct writer *w, const char *what)
{
    return cr_error_set(w->err, CR_EIO, "%s: %s: %s", w->o->path, what,
                        w->db ? sqlite3_errmsg(w->db) : "cannot open");
}

static enum cr_status
exec(struct writer *w, const char *sql)
{
    if (sqlite3_exec(w->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sql_fail(w, "SQLite");
    return CR_OK;
}

static enum cr_status
meta(struct writer *w, const char *name, const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(w->db, "INSERT INTO metadata (name, value) VALUES (?, ?)", -1, &st,
                                NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? CR_OK : sql_fail(w, "metadata");
}

static enum cr_status
write_metadata(struct writer *w)
{
    const struct cr_mbtiles_options *o = w->o;
    const double *b = w->bbox;
    char name[256], bounds[128], center[128], minz[16], maxz[16];
    const char *base = strrchr(o->path, '/') ? strrchr(o->path, '/') + 1 : o->path;
    enum cr_status st;

    snprintf(name, sizeof name, "%.*s", (int)strcspn(base, "."), base);
    snprintf(bounds, sizeof bounds, "%.7f,%.7f,%.7f,%.7f", b[0], b[1], b[2], b[3]);
    snprintf(center, sizeof center, "%.7f,%.7f,%u", (b[0] + b[2]) / 2, (b[1] + b[3]) / 2,
             (o->min_zoom + o->max_zoom + 1) / 2);
    snprintf(minz, sizeof minz, "%u", o->min_zoom);
    snprintf(maxz, sizeof maxz, "%u", o->max_zoom);
    if ((st = meta(w, "name", o->name ? o->name : name)) || (st = meta(w, "format", "png")) ||
        (st = meta(w, "bounds", bounds)) || (st = meta(w, "center", center)) ||
        (st = meta(w, "minzoom", minz)) || (st = meta(w, "maxzoom", maxz)) ||
        (st = meta(w, "attribution",
                   o->attribution ? o->attribution : "© OpenStreetMap contributors")) ||
        (st = meta(w, "type", "baselayer")) || (st = meta(w, "version", "1.3")) ||
        (st = meta(w, "description", "corridor plan-map tiles (docs/tiles.md)")))
        return st;
    return CR_OK;
}

/* Receives each tile of a metatile: those inside the box asked are inserted. */
static int
sink(void *user, unsigned z, uint32_t x, uint32_t y, const unsigned char *png, size_t len)
{
    struct writer *w = user;
    uint32_t x0, y0, x1, y1;
    int stop = 0;

    cr_tile_range(w->bbox, z, &x0, &y0, &x1, &y1);
    if (x < x0 || x > x1 || y < y0 || y > y1)
        return 0;
    pthread_mutex_lock(&w->mu);
    if (w->failed) {
        stop = 1;
    } else {
        sqlite3_reset(w->insert);
        sqlite3_bind_int(w->insert, 1, (int)z);
        sqlite3_bind_int64(w->insert, 2, x);
        sqlite3_bind_int64(w->insert, 3, (int64_t)((UINT64_C(1) << z) - 1 - y));
        sqlite3_bind_blob(w->insert, 4, png, (int)len, SQLITE_STATIC);
        if (sqlite3_step(w->insert) != SQLITE_DONE) {
            sql_fail(w, "tiles");
            w->failed = stop = 1;
        } else {
            w->res->tiles++;
            w->res->bytes += len;
            if (w->o->progress &&
                w->o->progress(w->o->progress_user, (double)w->res->tiles / (double)w->total)) {
                cr_error_set(w->err, CR_ECANCELLED, "%s: stopped by caller", w->o->path);
                w->failed = stop = 1;
            }
        }
    }
    pthread_mutex_unlock(&w->mu);
    return stop;
}

static void *
worker(void *arg)
{
    struct writer *w = arg;
    struct cr_error err = { 0 };
    struct cr_tile_renderer *r = cr_tile_renderer_create(w->src, &err);
    size_t i;

    while (r && !w->failed && (i = atomic_fetch_add(&w->next, 1)) < w->job_count) {
        const struct job *j = &w->jobs[i];
        if (cr_tile_render_metatile(r, j->z, j->x, j->y, w->o->scale ? w->o->scale : 1, sink, w,
                                    NULL, &err))
            break;
        pthread_mutex_lock(&w->mu);
        w->res->metatiles++;
        pthread_mutex_unlock(&w->mu);
    }
    pthread_mutex_lock(&w->mu);
    if ((!r || err.code) && !w->failed) {
        *w->err = err;
        w->failed = 1;
    }
    pthread_mutex_unlock(&w->mu);
    cr_tile_renderer_destroy(r);
    return NULL;
}

/* Every metatile meeting the box at each zoom. */
static enum cr_status
make_jobs(struct writer *w)
{
    size_t cap = 0;
    for (unsigned z = w->o->min_zoom; z <= w->o->max_zoom; z++) {
        uint32_t x0, y0, x1, y1, mx0, my0, meta, ex, ey;
        cr_tile_range(w->bbox, z, &x0, &y0, &x1, &y1);
        cr_tile_metatile(z, x0, y0, &mx0, &my0, &meta);
        for (uint64_t y = my0; y <= y1; y += meta)
            for (uint64_t x = mx0; x <= x1; x += meta) {
                if (w->job_count == cap) {
                    cap = cap ? 2 * cap : 256;
                    struct job *n = realloc(w->jobs, cap * sizeof *n);
                    if (!n)
                        return cr_error_set(w->err, CR_ENOMEM, "%s: out of memory", w->o->path);
                    w->jobs = n;
                }
                cr_tile_metatile(z, (uint32_t)x, (uint32_t)y, &ex, &ey, &meta);
                w->jobs[w->job_count++] = (struct job){ z, ex, ey };
            }
    }
    return CR_OK;
}

static enum cr_status
run_threads(struct writer *w)
{
    unsigned n = w->o->threads ? w->o->threads : 1;
    pthread_t th[64];

    if (n > 64)
        n = 64;
    unsigned started = 0;
    for (; started < n; started++)
        if (pthread_create(&th[started], NULL, worker, w))
            break;
    if (!started)
        worker(w);
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return w->failed ? (w->err->code ? w->err->code : CR_EIO) : CR_OK;
}

enum cr_status
cr_mbtiles_write(const struct cr_tile_source *src, const struct cr_mbtiles_options *o,
                 struct cr_mbtiles_result *res, struct cr_error *err)
{
    struct writer w = { .src = src, .o = o, .res = res, .err = err };
    struct cr_atomic_file af = { 0 };
    double extent[4];
    enum cr_status st;

    memset(res, 0, sizeof *res);
    if (o->min_zoom > o->max_zoom || o->max_zoom > CR_TILE_MAX_ZOOM)
        return cr_error_set(err, CR_EINVAL, "%s: zooms %u-%u: want 0 <= min <= max <= %d", o->path,
                            o->min_zoom, o->max_zoom, CR_TILE_MAX_ZOOM);
    if (o->bbox) {
        memcpy(extent, o->bbox, sizeof extent);
    } else if (!cr_tile_source_extent(src, extent)) {
        return cr_error_set(err, CR_EEMPTY, "%s: nothing to draw (no network or zones)", o->path);
    }
    extent[1] = fmax(extent[1], -CR_TILE_MAX_LAT);
    extent[3] = fmin(extent[3], CR_TILE_MAX_LAT);
    if (!(extent[0] < extent[2] && extent[1] < extent[3]) || extent[0] < -180 || extent[2] > 180)
        return cr_error_set(err, CR_EINVAL, "%s: bbox %g,%g,%g,%g: want W,S,E,N with W < E, S < N",
                            o->path, extent[0], extent[1], extent[2], extent[3]);
    memcpy(res->bounds, extent, sizeof extent);
    w.bbox = extent;
    w.total = cr_mbtiles_count(extent, o->min_zoom, o->max_zoom);
    if (pthread_mutex_init(&w.mu, NULL))
        return cr_error_set(err, CR_ENOMEM, "%s: cannot make a mutex", o->path);
    if ((st = cr_atomic_open_path(&af, o->path, err)))
        goto done;
    remove(af.tmp); /* SQLite makes its own file */
    if (sqlite3_open_v2(af.tmp, &w.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        st = sql_fail(&w, "cannot create");
        goto done;
    }
    if ((st = exec(&w, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
                       "CREATE TABLE metadata (name TEXT, value TEXT);"
                       "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                       " tile_row INTEGER, tile_data BLOB);")) ||
        (st = write_metadata(&w)) || (st = make_jobs(&w)))
        goto done;
    if (sqlite3_prepare_v2(w.db,
                           "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data)"
                           " VALUES (?, ?, ?, ?)",
                           -1, &w.insert, NULL) != SQLITE_OK) {
        st = sql_fail(&w, "SQLite");
        goto done;
    }
    if ((st = run_threads(&w)))
        goto done;
    sqlite3_finalize(w.insert);
    w.insert = NULL;
    if ((st = exec(&w, "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column,"
                       " tile_row); COMMIT;")))
        goto done;
    if (sqlite3_close(w.db) != SQLITE_OK) {
        st = sql_fail(&w, "closing");
        w.db = NULL;
        goto done;
    }
    w.db = NULL;
    st = cr_atomic_commit(&af, err);
done:
    sqlite3_finalize(w.insert);
    if (w.db)
        sqlite3_close(w.db);
    if (st)
        cr_atomic_abort(&af);
    free(w.jobs);
    pthread_mutex_destroy(&w.mu);
    return st;
}
