/*
 * route_bench: how fast corridor routes on one network file, in process (libcorridor, static).
 *
 *   route_bench NETWORK.corr [PAIRS [SEED]] [--profiles car,motorcycle,truck]
 *               [--dijkstra-seconds S] [--ch-max-seconds S] [--name NAME] [--progress]
 *   route_bench --header          # prints the table's two header lines
 *
 * For each profile (default car, motorcycle, truck) and the time metric:
 *
 * 1. builds the turn graph (cr_engine_init; timed) and the contraction hierarchy on it
 *    (cr_ch_build; timed; its memory as the size of its arrays, and the growth of the process's
 *    peak resident memory while building, from getrusage ru_maxrss before and after, the peak
 *    being reset first through /proc/self/clear_refs where Linux allows it; --progress prints
 *    each tenth of the build on standard error). --ch-max-seconds S stops a build that takes
 *    longer: the row then shows ">S(P%)" (P: nodes contracted), no CH figures, and still the
 *    snapping and Dijkstra ones;
 * 2. makes max(2 * PAIRS, 1000) seeded random places: a random edge the profile may use, a
 *    random point along its shape, moved up to about 11 m, snapped with cr_engine_place (timed
 *    on its own: "snap us" is the mean per place, kept out of the query times);
 * 3. routes PAIRS pairs of places with cr_router_weight on a router with the CH and on one
 *    without (plain Dijkstra on the turn graph), timing each call (mean and median; and the
 *    thread's CPU time over all calls divided by their number, "CH cpu" and "Dij cpu", which
 *    leave out the time slices other processes take on a busy machine), and checks
 *    that both give the same weight: every mismatch is printed as an ERROR and the program exits
 *    1. --dijkstra-seconds S stops the Dijkstra side once it has spent S seconds (on networks
 *    where a Dijkstra query takes a second); the "pairs" column then says CH/Dijkstra pairs;
 * 4. times cr_router_matrix with the CH, 100x100 (the first 100 places to themselves; fastest
 *    of 3 runs) and 1000x1000 (the first 1000; one run), checking every 100x100 cell and 1000
 *    random 1000x1000 cells against cr_router_weight with the CH (a mismatch is an ERROR too).
 *
 * The mapped network file is read through once first (a byte a page), so the times are those of
 * a warm process, not of page faults on first touch (which tripled "snap us" on 1M nodes).
 *
 * Prints one table row per profile on standard output (times: CLOCK_MONOTONIC), notes and
 * errors on standard error. bench/run reads the rows by column number: keep the order.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_util.h"
#include "core/graph.h"
#include "core/netfile.h"
#include "core/snap.h"
#include "routing/ch.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "routing/turngraph.h"

#define MAX_PROFILES 8
#define MATRIX_SMALL 100
#define MATRIX_LARGE 1000
#define MATRIX_SAMPLES 1000
#define JITTER_E7 100       /* places are moved up to about 11 m off their edge */
#define MAX_ERRORS_SHOWN 50 /* mismatches printed one by one; the rest only counted */

static const char row_format[] =
    "%-28s %-10s %9s %9s %9s %10s %6s %9s %7s %8s %7s %8s %8s %9s %9s %11s %10s %10s %8s %9s\n";

static void
print_header(void)
{
    printf(row_format, "network", "profile", "nodes", "edges", "tg nodes", "tg arcs", "tg s",
           "CH s", "CH MiB", "peak+MiB", "snap us", "CH mean", "CH med", "Dij mean", "Dij med",
           "pairs", "100x100 ms", "1000^2 s", "CH cpu", "Dij cpu");
    printf(row_format, "----------------------------", "----------", "---------", "---------",
           "---------", "----------", "------", "---------", "-------", "--------", "-------",
           "--------", "--------", "---------", "---------", "-----------", "----------",
           "----------", "--------", "---------");
}

/* CPU time of the whole process (every thread), user and system. */
static double
process_cpu_s(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru))
        return 0;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* Peak resident memory of this process so far, in KiB (Linux: ru_maxrss is in KiB). */
static long
peak_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* Resets the peak to the current resident size (Linux >= 4.0, "5" to clear_refs); 0 when done. */
static int
reset_peak(void)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY);
    int ok;
    if (fd < 0)
        return -1;
    ok = write(fd, "5", 1) == 1;
    close(fd);
    return ok ? 0 : -1;
}

/* Reads one byte of every page of the mapped network file, so the timings that follow measure
 * a warm process (a server that has run a while), not the first touch of each page. */
static void
warm_mapping(const struct cr_graph *g)
{
    const struct cr_netfile *f = cr_graph_file(g);
    volatile unsigned char sink = 0;
    for (size_t i = 0; f && i < f->size; i += 4096)
        sink ^= f->data[i];
    (void)sink;
}

static uint64_t rng_state;

static uint64_t
next_random(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t
random_below(uint32_t n)
{
    return (uint32_t)((next_random() >> 32) * n >> 32);
}

static double
random_unit(void)
{
    return (double)(next_random() >> 11) * (1.0 / 9007199254740992.0);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double
mean_of(const double *t, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += t[i];
    return n ? s / (double)n : 0;
}

/* Sorts T. */
static double
median_of(double *t, size_t n)
{
    if (!n)
        return 0;
    qsort(t, n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static void
weight_text(uint64_t w, char *buf, size_t size)
{
    if (w == UINT64_MAX)
        snprintf(buf, size, "unreachable");
    else
        snprintf(buf, size, "%" PRIu64, w);
}

/* Point K of segment S: node a, its shape points, node b. */
static void
segment_point(const struct cr_graph_view *v, uint32_t s, uint32_t k, int32_t *lon, int32_t *lat)
{
    uint32_t first = v->segment_first_shape[s], count = v->segment_first_shape[s + 1] - first;
    uint32_t node;

    if (k == 0 || k == count + 1) {
        node = v->segment_node[2 * s + (k ? 1 : 0)];
        *lon = v->lon_e7[node];
        *lat = v->lat_e7[node];
    } else {
        *lon = v->shape_lon_e7[first + k - 1];
        *lat = v->shape_lat_e7[first + k - 1];
    }
}

/* A random place on an edge the engine's profile may use. Times the snapping into *snap_s. */
static enum cr_status
random_place(const struct cr_engine *e, struct cr_place *out, double *snap_s, struct cr_error *err)
{
    const struct cr_graph_view *v = e->view;
    uint32_t x = random_below(e->tg->base_count), edge = e->tg->edge_of[x];
    uint32_t s = v->edge_segment[edge] & ~CR_SEGMENT_REVERSED;
    uint32_t shapes = v->segment_first_shape[s + 1] - v->segment_first_shape[s];
    uint32_t k = random_below(shapes + 1);
    int32_t lon0, lat0, lon1, lat1, lon, lat;
    double t = random_unit(), t0;
    enum cr_status st;

    segment_point(v, s, k, &lon0, &lat0);
    segment_point(v, s, k + 1, &lon1, &lat1);
    lon = (int32_t)((double)lon0 + t * ((double)lon1 - lon0)) +
          (int32_t)random_below(2 * JITTER_E7 + 1) - JITTER_E7;
    lat = (int32_t)((double)lat0 + t * ((double)lat1 - lat0)) +
          (int32_t)random_below(2 * JITTER_E7 + 1) - JITTER_E7;
    t0 = now_s();
    st = cr_engine_place(e, lon, lat, out, err);
    *snap_s += now_s() - t0;
    return st;
}

struct progress {
    const char *name, *profile;
    double start, max_seconds, done;
    int show, next_tenth;
};

/* The CH build's progress: --progress prints a line on standard error at every tenth; past
 * --ch-max-seconds the build is stopped (the callback returns non-zero). */
static int
ch_progress(void *user, double done)
{
    struct progress *p = user;
    double elapsed = now_s() - p->start;
    p->done = done;
    if (p->show && done * 10 >= p->next_tenth) {
        fprintf(stderr, "route_bench: %s %s: CH build %3d%% after %.1f s\n", p->name, p->profile,
                p->next_tenth * 10, elapsed);
        p->next_tenth = (int)(done * 10) + 1;
    }
    return p->max_seconds > 0 && elapsed > p->max_seconds;
}

static size_t
ch_bytes(const struct cr_ch *ch)
{
    struct cr_ch_arrays a;
    cr_ch_arrays(ch, &a);
    return sizeof(uint32_t) * ((size_t)a.node_count + 2 * ((size_t)a.node_count + 1) +
                               4 * ((size_t)a.up_count + a.down_count));
}

struct options {
    const char *network, *name;
    size_t pairs;
    uint64_t seed;
    double dijkstra_seconds; /* 0: no limit */
    int progress;            /* --progress */
    double ch_max_seconds;   /* 0: no limit */
    char profiles[256];
};

struct result {
    double tg_s, ch_s, ch_mib, peak_mib, snap_us;
    double ch_mean_us, ch_median_us, dij_mean_us, dij_median_us;
    double ch_cpu_us, dij_cpu_us; /* thread CPU time per query, mean */
    double small_ms, large_s;
    uint32_t tg_nodes, tg_arcs;
    size_t dij_pairs;
    int peak_reset;
    int ch_stopped; /* by --ch-max-seconds */
    double ch_done; /* then: the fraction contracted */
};

static void mismatch(size_t *count, const char *fmt, ...) CR_PRINTF(2, 3);

/* Counts a mismatch and prints it while few have been. */
static void
mismatch(size_t *count, const char *fmt, ...)
{
    va_list ap;
    if (++*count <= MAX_ERRORS_SHOWN) {
        va_start(ap, fmt);
        fputs("route_bench: ERROR: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    } else if (*count == MAX_ERRORS_SHOWN + 1) {
        fputs("route_bench: ERROR: more mismatches, only counted from here on\n", stderr);
    }
}

/* Runs every measurement for one profile. Returns 0, 1 on a mismatch, -1 on an error. */
static int
bench_profile(const struct options *o, const struct cr_graph_view *v,
              const struct cr_snap_index *snap, const char *profile_name, struct result *res)
{
    struct cr_error err = { 0 };
    struct cr_profile profile;
    struct cr_engine engine, engine_ch;
    struct cr_ch *ch = NULL;
    struct cr_router *router_ch = NULL, *router_dij = NULL;
    struct cr_place *places = NULL;
    uint64_t *weights = NULL, *matrix = NULL;
    double *times = NULL, t0, cpu0, snap_s = 0;
    size_t place_count = 2 * o->pairs > MATRIX_LARGE ? 2 * o->pairs : MATRIX_LARGE;
    size_t mismatches = 0, unreachable = 0, snap_failures = 0;
    struct progress prog;
    long kib0, kib1;
    int engine_ready = 0, rc = -1;
    char a[32], b[32];

    memset(res, 0, sizeof *res);
    if (cr_profile_load(profile_name, NULL, &profile, &err))
        goto fail;

    t0 = now_s();
    if (cr_engine_init(&engine, v, snap, &profile, CR_METRIC_TIME, &err))
        goto fail;
    engine_ready = 1;
    res->tg_s = now_s() - t0;
    res->tg_nodes = engine.tg->g.node_count;
    res->tg_arcs = engine.tg->g.arc_count;
    if (engine.tg->base_count == 0) {
        cr_error_set(&err, CR_EEMPTY, "no edge the %s profile may use", profile_name);
        goto fail;
    }

    res->peak_reset = reset_peak() == 0;
    kib0 = peak_kib();
    t0 = now_s();
    prog = (struct progress){ .name = o->name,
                              .profile = profile_name,
                              .start = t0,
                              .max_seconds = o->ch_max_seconds,
                              .show = o->progress,
                              .next_tenth = 1 };
    cpu0 = process_cpu_s();
    ch = cr_ch_build(&engine.tg->g, ch_progress, &prog, &err);
    res->ch_s = now_s() - t0;
    fprintf(stderr, "route_bench: %s %s: CH build %.2f s wall, %.2f s CPU in all threads\n",
            o->name, profile_name, res->ch_s, process_cpu_s() - cpu0);
    kib1 = peak_kib();
    res->peak_mib = (double)(kib1 > kib0 ? kib1 - kib0 : 0) / 1024.0;
    if (!ch && err.code == CR_ECANCELLED && o->ch_max_seconds > 0) {
        res->ch_stopped = 1;
        res->ch_done = prog.done;
        fprintf(stderr,
                "route_bench: %s %s: CH build stopped after %.1f s (--ch-max-seconds %g) with "
                "%.0f%% of the nodes contracted; the CH columns stay empty\n",
                o->name, profile_name, res->ch_s, o->ch_max_seconds, 100 * prog.done);
    } else if (!ch) {
        goto fail;
    } else {
        res->ch_mib = (double)ch_bytes(ch) / 1048576.0;
    }

    engine_ch = engine;
    engine_ch.ch = ch;
    engine.ch = NULL;
    if ((ch && !(router_ch = cr_router_create(&engine_ch, &err))) ||
        !(router_dij = cr_router_create(&engine, &err)))
        goto fail;

    places = malloc(place_count * sizeof *places);
    weights = malloc(o->pairs * sizeof *weights + 1);
    times = malloc(o->pairs * sizeof *times + 1);
    matrix = malloc((size_t)MATRIX_LARGE * MATRIX_LARGE * sizeof *matrix);
    if (!places || !weights || !times || !matrix) {
        cr_error_set(&err, CR_ENOMEM, "out of memory");
        goto fail;
    }
    rng_state = o->seed;
    for (size_t i = 0; i < place_count;) {
        enum cr_status st = random_place(&engine, &places[i], &snap_s, &err);
        if (st == CR_OK) {
            i++;
        } else if (st != CR_ENOTFOUND || ++snap_failures > 100 + place_count) {
            goto fail;
        }
    }
    res->snap_us = snap_s * 1e6 / (double)(place_count + snap_failures);

    /* point to point, CH */
    cpu0 = cpu_s();
    for (size_t i = 0; ch && i < o->pairs; i++) {
        t0 = now_s();
        weights[i] = cr_router_weight(router_ch, &places[2 * i], &places[2 * i + 1]);
        times[i] = (now_s() - t0) * 1e6;
        unreachable += weights[i] == UINT64_MAX;
    }
    if (ch) {
        res->ch_cpu_us = (cpu_s() - cpu0) * 1e6 / (double)(o->pairs ? o->pairs : 1);
        res->ch_mean_us = mean_of(times, o->pairs);
        res->ch_median_us = median_of(times, o->pairs);
    }

    /* point to point, Dijkstra, checked against the CH */
    {
        double spent = 0;
        size_t i;
        cpu0 = cpu_s();
        for (i = 0; i < o->pairs; i++) {
            uint64_t w;
            if (o->dijkstra_seconds > 0 && spent >= o->dijkstra_seconds)
                break;
            t0 = now_s();
            w = cr_router_weight(router_dij, &places[2 * i], &places[2 * i + 1]);
            times[i] = now_s() - t0;
            spent += times[i];
            times[i] *= 1e6;
            if (!ch) {
                unreachable += w == UINT64_MAX;
            } else if (w != weights[i]) {
                const struct cr_place *p = &places[2 * i], *q = &places[2 * i + 1];
                weight_text(weights[i], a, sizeof a);
                weight_text(w, b, sizeof b);
                mismatch(&mismatches,
                         "%s %s: pair %zu, %.7f,%.7f -> %.7f,%.7f: CH %s, Dijkstra %s (ds)",
                         o->name, profile_name, i, p->lon_e7 * 1e-7, p->lat_e7 * 1e-7,
                         q->lon_e7 * 1e-7, q->lat_e7 * 1e-7, a, b);
            }
        }
        res->dij_pairs = i;
        res->dij_mean_us = mean_of(times, i);
        res->dij_cpu_us = (cpu_s() - cpu0) * 1e6 / (double)(i ? i : 1);
        res->dij_median_us = median_of(times, i);
    }

    /* matrices with the CH, checked against point to point with the CH */
    if (!ch)
        goto summary;
    for (int run = 0; run < 3; run++) { /* fastest of 3: one run is only milliseconds */
        double ms;
        t0 = now_s();
        if (cr_router_matrix(router_ch, places, MATRIX_SMALL, places, MATRIX_SMALL, matrix, &err))
            goto fail;
        ms = (now_s() - t0) * 1e3;
        if (run == 0 || ms < res->small_ms)
            res->small_ms = ms;
    }
    for (size_t i = 0; i < MATRIX_SMALL; i++)
        for (size_t j = 0; j < MATRIX_SMALL; j++) {
            uint64_t w = cr_router_weight(router_ch, &places[i], &places[j]);
            if (w != matrix[i * MATRIX_SMALL + j]) {
                weight_text(matrix[i * MATRIX_SMALL + j], a, sizeof a);
                weight_text(w, b, sizeof b);
                mismatch(&mismatches, "%s %s: 100x100 matrix [%zu][%zu] %s, route %s (ds)", o->name,
                         profile_name, i, j, a, b);
            }
        }
    t0 = now_s();
    if (cr_router_matrix(router_ch, places, MATRIX_LARGE, places, MATRIX_LARGE, matrix, &err))
        goto fail;
    res->large_s = now_s() - t0;
    for (size_t k = 0; k < MATRIX_SAMPLES; k++) {
        size_t i = random_below(MATRIX_LARGE), j = random_below(MATRIX_LARGE);
        uint64_t w = cr_router_weight(router_ch, &places[i], &places[j]);
        if (w != matrix[i * MATRIX_LARGE + j]) {
            weight_text(matrix[i * MATRIX_LARGE + j], a, sizeof a);
            weight_text(w, b, sizeof b);
            mismatch(&mismatches, "%s %s: 1000x1000 matrix [%zu][%zu] %s, route %s (ds)", o->name,
                     profile_name, i, j, a, b);
        }
    }

summary:
    fprintf(stderr,
            "route_bench: %s %s: %zu places (%zu snaps found no road), %zu of %zu pairs "
            "unreachable, %zu mismatches%s\n",
            o->name, profile_name, place_count, snap_failures, unreachable, o->pairs, mismatches,
            res->peak_reset ? "" : "; peak memory not reset before the CH build");
    rc = mismatches ? 1 : 0;
    goto done;
fail:
    fprintf(stderr, "route_bench: %s %s: %s\n", o->network, profile_name, err.msg);
done:
    free(places);
    free(weights);
    free(times);
    free(matrix);
    cr_router_destroy(router_ch);
    cr_router_destroy(router_dij);
    cr_ch_destroy(ch);
    if (engine_ready)
        cr_engine_fini(&engine);
    return rc;
}

static int
usage(void)
{
    fputs("usage: route_bench NETWORK.corr [PAIRS [SEED]] [--profiles car,motorcycle,truck]\n"
          "                   [--dijkstra-seconds S] [--ch-max-seconds S] [--name NAME]\n"
          "                   [--progress]\n"
          "       route_bench --header\n",
          stderr);
    return 2;
}

/* NAME: the file's base name without ".corr". */
static void
default_name(const char *path, char *buf, size_t size)
{
    const char *base = strrchr(path, '/');
    size_t n;
    snprintf(buf, size, "%s", base ? base + 1 : path);
    n = strlen(buf);
    if (n > 5 && !strcmp(buf + n - 5, ".corr"))
        buf[n - 5] = '\0';
}

int
main(int argc, char **argv)
{
    struct options o = { .pairs = 10000, .seed = 1 };
    struct cr_error err = { 0 };
    struct cr_graph *g = NULL;
    const struct cr_graph_view *v;
    struct cr_snap_index *snap = NULL;
    char name[128], *save = NULL;
    int positional = 0, status = 0;
    double t0;

    snprintf(o.profiles, sizeof o.profiles, "car,motorcycle,truck");
    for (int i = 1; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--header")) {
            print_header();
            return 0;
        } else if (!strcmp(argv[i], "--profiles") && i + 1 < argc) {
            snprintf(o.profiles, sizeof o.profiles, "%s", argv[++i]);
        } else if (!strcmp(argv[i], "--dijkstra-seconds") && i + 1 < argc) {
            o.dijkstra_seconds = strtod(argv[++i], &end);
            if (*end || o.dijkstra_seconds < 0)
                return usage();
        } else if (!strcmp(argv[i], "--ch-max-seconds") && i + 1 < argc) {
            o.ch_max_seconds = strtod(argv[++i], &end);
            if (*end || o.ch_max_seconds < 0)
                return usage();
        } else if (!strcmp(argv[i], "--progress")) {
            o.progress = 1;
        } else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
            o.name = argv[++i];
        } else if (argv[i][0] == '-') {
            return usage();
        } else if (positional == 0) {
            o.network = argv[i];
            positional++;
        } else if (positional == 1) {
            errno = 0;
            o.pairs = strtoul(argv[i], &end, 10);
            if (errno || *end || o.pairs == 0 || o.pairs > 100000000)
                return usage();
            positional++;
        } else if (positional == 2) {
            o.seed = strtoull(argv[i], &end, 10);
            if (*end)
                return usage();
            positional++;
        } else {
            return usage();
        }
    }
    if (!o.network)
        return usage();
    if (!o.name) {
        default_name(o.network, name, sizeof name);
        o.name = name;
    }

    if (!(g = cr_graph_open(o.network, &err)))
        goto fail;
    v = cr_graph_view(g);
    warm_mapping(g);
    t0 = now_s();
    if (!(snap = cr_snap_index_create(v, &err)))
        goto fail;
    fprintf(stderr, "route_bench: %s: %u nodes, %u edges; snapping index built in %.3f s\n", o.name,
            v->node_count, v->edge_count, now_s() - t0);

    for (char *p = strtok_r(o.profiles, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        struct result r;
        char cols[18][32];
        int rc = bench_profile(&o, v, snap, p, &r);
        if (rc < 0) {
            status = 1;
            continue;
        }
        if (rc > 0)
            status = 1;
        snprintf(cols[0], 32, "%u", v->node_count);
        snprintf(cols[1], 32, "%u", v->edge_count);
        snprintf(cols[2], 32, "%u", r.tg_nodes);
        snprintf(cols[3], 32, "%u", r.tg_arcs);
        snprintf(cols[4], 32, "%.2f", r.tg_s);
        snprintf(cols[5], 32, "%.2f", r.ch_s);
        snprintf(cols[6], 32, "%.1f", r.ch_mib);
        snprintf(cols[7], 32, "%.1f", r.peak_mib);
        snprintf(cols[8], 32, "%.2f", r.snap_us);
        snprintf(cols[9], 32, "%.2f", r.ch_mean_us);
        snprintf(cols[10], 32, "%.2f", r.ch_median_us);
        snprintf(cols[11], 32, "%.1f", r.dij_mean_us);
        snprintf(cols[12], 32, "%.1f", r.dij_median_us);
        if (r.dij_pairs == o.pairs)
            snprintf(cols[13], 32, "%zu", o.pairs);
        else
            snprintf(cols[13], 32, "%zu/%zu", o.pairs, r.dij_pairs);
        snprintf(cols[14], 32, "%.1f", r.small_ms);
        snprintf(cols[15], 32, "%.3f", r.large_s);
        snprintf(cols[16], 32, "%.2f", r.ch_cpu_us);
        snprintf(cols[17], 32, "%.1f", r.dij_cpu_us);
        if (r.ch_stopped) { /* keep peak, snapping and Dijkstra; no CH figure */
            static const int ch_cols[] = { 6, 9, 10, 14, 15, 16 };
            snprintf(cols[5], 32, ">%.0f(%.0f%%)", o.ch_max_seconds, 100 * r.ch_done);
            for (size_t k = 0; k < sizeof ch_cols / sizeof ch_cols[0]; k++)
                snprintf(cols[ch_cols[k]], 32, "-");
        }
        printf(row_format, o.name, p, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6],
               cols[7], cols[8], cols[9], cols[10], cols[11], cols[12], cols[13], cols[14],
               cols[15], cols[16], cols[17]);
        fflush(stdout);
    }
    fprintf(stderr, "route_bench: %s: peak resident memory of the whole run %.1f MiB\n", o.name,
            (double)peak_kib() / 1024.0);
    cr_snap_index_destroy(snap);
    cr_graph_close(g);
    return status;
fail:
    fprintf(stderr, "route_bench: %s\n", err.msg);
    cr_snap_index_destroy(snap);
    cr_graph_close(g);
    return 1;
}
