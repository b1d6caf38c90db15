/*
 * table_bench: cells per second of cr_table_compute with every measure (durations and distances,
 * as /table?annotations=duration,distance and `corridor skim` ask), in process.
 *
 *   table_bench NETWORK.corr [--profile car] [--sizes 100,1000,10000] [--threads 1,2]
 *               [--seed S] [--no-ch] [--name NAME] [--max-seconds S]
 *   table_bench --header
 *
 * Makes max(SIZES) seeded random points (a random edge the profile may use, near one of its
 * nodes, moved up to about 11 m), then for each size N and thread count T computes the N x N
 * table of the first N points (fill CR_TABLE_MEASURES, options.threads = T; T > 1 needs a
 * hierarchy: without one a table runs on one thread) and prints one row: network, profile,
 * search (ch or dijkstra), N, T, seconds (CLOCK_MONOTONIC, snapping included), cells per second,
 * microseconds per cell, the cells reached, and a checksum of their durations and distances
 * (equal checksums across thread counts: the same answers). --max-seconds S skips a size whose
 * estimate (from the last size's time per cell) exceeds S. A 2 x 2 table first (timed on
 * standard error) leaves out of the rows the once-per-session summing of the arcs' measures.
 *
 * Built from the public API plus the session's engine (for the random points); compiled with
 * -DTABLE_BENCH_NO_THREADS it builds against a tree whose cr_table_options has no thread count
 * (the "before" figures of bench/README.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench_util.h"
#include "corridor/network.h"
#include "corridor/routing.h"
#include "routing/route.h"
#include "routing/session.h"

static size_t
parse_list(const char *s, size_t *out, size_t cap)
{
    size_t n = 0;
    while (*s && n < cap) {
        char *end;
        out[n++] = strtoul(s, &end, 10);
        s = *end == ',' ? end + 1 : end;
        if (end == s && *s != '\0')
            break;
    }
    return n;
}

int
main(int argc, char **argv)
{
    const char *path = NULL, *profile = "car", *name = NULL;
    size_t sizes[8] = { 100, 1000, 10000 }, nsizes = 3, threads[8] = { 1, 2 }, nthreads = 2;
    double max_seconds = 600, last_us = 0;
    int no_ch = 0;
    struct cr_error err = { 0 };

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--header")) {
            printf("| network | profile | search | N x N | threads | seconds | cells/s | us/cell "
                   "| reached | checksum |\n|---|---|---|---|---|---|---|---|---|---|\n");
            return 0;
        } else if (!strcmp(argv[i], "--profile") && i + 1 < argc)
            profile = argv[++i];
        else if (!strcmp(argv[i], "--sizes") && i + 1 < argc)
            nsizes = parse_list(argv[++i], sizes, 8);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            nthreads = parse_list(argv[++i], threads, 8);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            rng = strtoull(argv[++i], NULL, 10) | 1;
        else if (!strcmp(argv[i], "--name") && i + 1 < argc)
            name = argv[++i];
        else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc)
            max_seconds = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "--no-ch"))
            no_ch = 1;
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else {
            fprintf(stderr, "usage: table_bench NETWORK.corr [--profile P] [--sizes N,..] "
                            "[--threads T,..] [--seed S] [--no-ch] [--name NAME] "
                            "[--max-seconds S] | --header\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "table_bench: no network file\n");
        return 2;
    }
    struct cr_graph *g = cr_graph_open(path, &err);
    struct cr_session_options so = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_session *s;
    struct cr_router *r;
    const struct cr_engine *e;
    size_t nmax = 0;
    int32_t *lon, *lat;

    if (!g) {
        fprintf(stderr, "table_bench: %s\n", err.msg);
        return 1;
    }
    so.profile = profile;
    so.ch = no_ch ? CR_CH_NEVER : CR_CH_AUTO;
    if (!(s = cr_session_open(g, &so, &err)) || !(r = cr_session_router_create(s, &err))) {
        fprintf(stderr, "table_bench: %s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < nsizes; i++)
        nmax = sizes[i] > nmax ? sizes[i] : nmax;
    lon = malloc((nmax + 1) * sizeof *lon);
    lat = malloc((nmax + 1) * sizeof *lat);
    if (!lon || !lat)
        return 1;
    e = cr_session_engine(s);
    for (size_t k = 0; k < nmax; k++) {
        uint32_t x = next_rand() % e->tg->base_count;
        uint32_t seg = e->view->edge_segment[e->tg->edge_of[x]] & ~CR_SEGMENT_REVERSED;
        uint32_t a = e->view->segment_node[2 * seg + (next_rand() & 1)];
        lon[k] = e->view->lon_e7[a] + (int32_t)(next_rand() % 200) - 100;
        lat[k] = e->view->lat_e7[a] + (int32_t)(next_rand() % 200) - 100;
    }
    { /* the first table with measures sums the arcs once per session: timed apart */
        struct cr_table_options o = CR_TABLE_OPTIONS_DEFAULT;
        struct cr_table *t;
        double t0 = now_s();
        o.fill = CR_TABLE_MEASURES;
        if (cr_table_compute(r, lon, lat, nmax < 2 ? nmax : 2, NULL, 0, NULL, 0, &o, &t, &err)) {
            fprintf(stderr, "table_bench: %s\n", err.msg);
            return 1;
        }
        cr_table_destroy(t);
        fprintf(stderr, "table_bench: %s: first table (the arcs' measures summed) %.3f s\n",
                name ? name : path, now_s() - t0);
    }
    for (size_t si = 0; si < nsizes; si++) {
        size_t n = sizes[si];
        if (last_us > 0 && last_us * (double)n * (double)n / 1e6 > max_seconds) {
            fprintf(stderr, "table_bench: %zu x %zu skipped (estimate %.0f s > %.0f s)\n", n, n,
                    last_us * (double)n * (double)n / 1e6, max_seconds);
            continue;
        }
        for (size_t ti = 0; ti < nthreads; ti++) {
            struct cr_table_options o = CR_TABLE_OPTIONS_DEFAULT;
            struct cr_table *t;
            double t0, sec, sum = 0;
            size_t reached = 0;
            o.fill = CR_TABLE_MEASURES;
#ifndef TABLE_BENCH_NO_THREADS
            o.threads = (unsigned)threads[ti];
#else
            if (threads[ti] != 1)
                continue;
#endif
            if (!cr_session_uses_ch(s) && threads[ti] != 1)
                continue;
            t0 = now_s();
            if (cr_table_compute(r, lon, lat, n, NULL, 0, NULL, 0, &o, &t, &err)) {
                fprintf(stderr, "table_bench: %s\n", err.msg);
                return 1;
            }
            sec = now_s() - t0;
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++) {
                    struct cr_measures m;
                    if (cr_table_status(t, i, j) != CR_CELL_OK)
                        continue;
                    cr_table_measures(t, i, j, &m);
                    sum += m.duration_s + m.distance_m;
                    reached++;
                }
            cr_table_destroy(t);
            last_us = sec * 1e6 / ((double)n * (double)n);
            printf("| %s | %s | %s | %zu | %zu | %.2f | %.3g | %.3f | %zu | %.6e |\n",
                   name ? name : path, profile, cr_session_uses_ch(s) ? "ch" : "dijkstra", n,
                   threads[ti], sec, (double)n * (double)n / sec, last_us, reached, sum);
            fflush(stdout);
        }
    }
    free(lon);
    free(lat);
    cr_router_destroy(r);
    cr_session_close(s);
    cr_graph_close(g);
    return 0;
}
