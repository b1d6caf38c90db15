/*
 * The batch engine: pthreads workers, each with its own router over the shared engine, claiming
 * CHUNK rows at a time from an atomic counter; results go to the row's own slot, so the order
 * and the values do not depend on the number of threads. The calling thread waits on a condition
 * variable and reports progress between waits.
 */
#include "planning/batch.h"

#include "routing/tdsearch.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 16 /* rows claimed at once: small enough to balance a few slow rows */
#define MAX_THREADS 256
#define PROGRESS_NS 100000000L /* progress every 0.1 s */

struct shared {
    const struct cr_engine *e;
    const struct cr_batch_when *when; /* NULL: untimed */
    const struct cr_batch_pair *pairs;
    size_t first, n;
    struct cr_batch_result *out;
    atomic_size_t next; /* next row to claim, relative to first */
    atomic_size_t done; /* rows finished */
    atomic_bool stop;   /* cancelled */
    pthread_mutex_t lock;
    pthread_cond_t finished_cond;
    unsigned finished; /* workers that have returned (under lock) */
};

struct worker {
    struct shared *sh;
    struct cr_router *router;
    pthread_t thread;
    bool started;
};

const char *
cr_batch_status_name(enum cr_batch_status s)
{
    static const char *const names[CR_BATCH_STATUS_COUNT] = {
        [CR_BATCH_OK] = "ok",
        [CR_BATCH_BAD_INPUT] = "bad_input",
        [CR_BATCH_NO_SEGMENT] = "no_segment",
        [CR_BATCH_UNREACHABLE] = "unreachable",
        [CR_BATCH_FAILED] = "failed",
    };
    return (unsigned)s < CR_BATCH_STATUS_COUNT ? names[s] : "failed";
}

/* floor(n * k / count) without overflow */
static size_t
shard_start(size_t n, unsigned k, unsigned count)
{
    uint64_t q = (uint64_t)n / count, r = (uint64_t)n % count;
    return (size_t)(q * k + r * k / count);
}

void
cr_batch_shard(size_t n, unsigned index, unsigned count, size_t *first, size_t *end)
{
    if (count == 0 || index == 0 || index > count) {
        *first = *end = 0;
        return;
    }
    *first = shard_start(n, index - 1, count);
    *end = shard_start(n, index, count);
}

/* The route of LON/LAT arriving by WHEN's time into *R (routing/tdsearch.h). */
static enum cr_status
route_by(struct cr_router *router, const struct cr_batch_when *when, const int32_t *lon,
         const int32_t *lat, struct cr_route *r, struct cr_error *err)
{
    struct cr_route *got;
    enum cr_status st = cr_route_compute_arrive(router, lon, lat, 2, NULL, when->arrive, when->ph,
                                                when->ph_count, &got, err);
    if (st == CR_OK) {
        *r = *got;
        free(got);
    }
    return st;
}

static void
route_one(const struct cr_engine *e, struct cr_router *router, const struct cr_batch_when *when,
          const struct cr_batch_pair *p, struct cr_batch_result *res)
{
    int32_t lon[2] = { p->from_lon_e7, p->to_lon_e7 }, lat[2] = { p->from_lat_e7, p->to_lat_e7 };
    struct cr_route r;
    struct cr_error err = { 0 };
    enum cr_status st;

    res->distance_m = res->duration_s = res->cost = res->co2_kg = NAN;
    res->end = 0;
    if (p->bad) {
        res->status = CR_BATCH_BAD_INPUT;
        return;
    }
    st = when && when->by ? route_by(router, when, lon, lat, &r, &err)
                          : cr_router_route(router, lon, lat, 2, &r, &err);
    if (st == CR_OK) {
        res->status = CR_BATCH_OK;
        res->depart = r.depart;
        res->distance_m = r.distance_m;
        res->duration_s = r.duration_s;
        res->cost = r.cost;
        res->co2_kg = r.co2_kg;
        cr_route_fini(&r);
        return;
    }
    if (st == CR_ENOTFOUND) {
        /* which end, if any, is far from the network (only on this rare path) */
        struct cr_place place;
        bool from_ok = cr_engine_place(e, lon[0], lat[0], &place, NULL) == CR_OK;
        bool to_ok = cr_engine_place(e, lon[1], lat[1], &place, NULL) == CR_OK;
        if (from_ok && to_ok) {
            res->status = CR_BATCH_UNREACHABLE;
        } else {
            res->status = CR_BATCH_NO_SEGMENT;
            res->end = (uint8_t)(!from_ok && !to_ok ? 2 : from_ok ? 1 : 0);
        }
        return;
    }
    res->status = CR_BATCH_FAILED;
}

static void *
work(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;

    for (;;) {
        if (atomic_load_explicit(&sh->stop, memory_order_relaxed))
            break;
        size_t start = atomic_fetch_add_explicit(&sh->next, CHUNK, memory_order_relaxed);
        if (start >= sh->n)
            break;
        size_t end = start + CHUNK < sh->n ? start + CHUNK : sh->n;
        for (size_t i = start; i < end; i++)
            route_one(sh->e, w->router, sh->when, &sh->pairs[sh->first + i], &sh->out[i]);
        atomic_fetch_add_explicit(&sh->done, end - start, memory_order_relaxed);
    }
    pthread_mutex_lock(&sh->lock);
    sh->finished++;
    pthread_cond_signal(&sh->finished_cond);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

/* Waits until all STARTED workers have returned, calling PROGRESS every PROGRESS_NS. */
static void
wait_workers(struct shared *sh, unsigned started, int (*progress)(void *, double), void *user)
{
    pthread_mutex_lock(&sh->lock);
    while (sh->finished < started) {
        if (!progress) {
            pthread_cond_wait(&sh->finished_cond, &sh->lock);
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += PROGRESS_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int rc = pthread_cond_timedwait(&sh->finished_cond, &sh->lock, &until);
        if (rc == ETIMEDOUT && sh->finished < started && !atomic_load(&sh->stop)) {
            size_t done = atomic_load(&sh->done);
            pthread_mutex_unlock(&sh->lock);
            if (progress(user, (double)done / (double)sh->n))
                atomic_store(&sh->stop, true);
            pthread_mutex_lock(&sh->lock);
        }
    }
    pthread_mutex_unlock(&sh->lock);
}

enum cr_status
cr_batch_run(const struct cr_engine *e, const struct cr_batch_pair *pairs, size_t total,
             size_t first, size_t n, unsigned threads, int (*progress)(void *user, double done),
             void *user, struct cr_batch_result *out, unsigned *threads_used, struct cr_error *err)
{
    return cr_batch_run_at(NULL, e, pairs, total, first, n, threads, progress, user, out,
                           threads_used, err);
}

enum cr_status
cr_batch_run_at(const struct cr_batch_when *when, const struct cr_engine *e,
                const struct cr_batch_pair *pairs, size_t total, size_t first, size_t n,
                unsigned threads, int (*progress)(void *user, double done), void *user,
                struct cr_batch_result *out, unsigned *threads_used, struct cr_error *err)
{
    struct shared sh = { .e = e, .when = when, .pairs = pairs, .first = first, .n = n, .out = out };
    struct worker *workers = NULL;
    unsigned count = threads, started = 0;
    enum cr_status st = CR_OK;

    if (threads_used)
        *threads_used = 0;
    if (first > total || n > total - first)
        return cr_error_set(err, CR_EINVAL, "rows %zu..%zu: the list has %zu", first + 1, first + n,
                            total);
    if (n == 0)
        return CR_OK;
    if (count == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        count = cpus > 0 ? (unsigned)cpus : 1;
    }
    if (count > MAX_THREADS)
        count = MAX_THREADS;
    if ((size_t)count > (n + CHUNK - 1) / CHUNK) /* no idle workers */
        count = (unsigned)((n + CHUNK - 1) / CHUNK);
    atomic_init(&sh.next, 0);
    atomic_init(&sh.done, 0);
    atomic_init(&sh.stop, false);
    if (pthread_mutex_init(&sh.lock, NULL))
        return cr_error_set(err, CR_EINTERNAL, "batch: cannot make a mutex");
    if (pthread_cond_init(&sh.finished_cond, NULL)) {
        pthread_mutex_destroy(&sh.lock);
        return cr_error_set(err, CR_EINTERNAL, "batch: cannot make a condition variable");
    }
    workers = calloc(count, sizeof *workers);
    if (!workers) {
        st = cr_error_set(err, CR_ENOMEM, "batch: out of memory");
        goto done;
    }
    for (unsigned i = 0; i < count; i++) {
        workers[i].sh = &sh;
        if (!(workers[i].router = cr_router_create(e, err))) {
            st = err ? err->code : CR_ENOMEM;
            goto done;
        }
        if (when && (when->timed || when->by || when->ph_count) &&
            (st = cr_router_set_depart(workers[i].router, when->timed || when->by,
                                       when->by ? when->arrive : when->depart, when->ph,
                                       when->ph_count, err)))
            goto done;
    }
    for (unsigned i = 0; i < count; i++) {
        int rc = pthread_create(&workers[i].thread, NULL, work, &workers[i]);
        if (rc) {
            st = cr_error_set(err, CR_EINTERNAL, "batch: cannot start thread %u of %u (%s)", i + 1,
                              count, strerror(rc));
            atomic_store(&sh.stop, true);
            break;
        }
        workers[i].started = true;
        started++;
    }
    wait_workers(&sh, started, progress, user);
    for (unsigned i = 0; i < count; i++)
        if (workers[i].started)
            pthread_join(workers[i].thread, NULL);
    if (st == CR_OK && atomic_load(&sh.stop))
        st = cr_error_set(err, CR_ECANCELLED, "batch: stopped by caller after %zu of %zu pairs",
                          atomic_load(&sh.done), n);
    if (st == CR_OK && progress)
        progress(user, 1.0);
    if (st == CR_OK && threads_used)
        *threads_used = count;
done:
    if (workers)
        for (unsigned i = 0; i < count; i++)
            cr_router_destroy(workers[i].router);
    free(workers);
    pthread_cond_destroy(&sh.finished_cond);
    pthread_mutex_destroy(&sh.lock);
    return st;
}
