/*
 * How fast snapping is: builds the snap index over a network file, then snaps N seeded random
 * points inside the nodes' bounding box and prints microseconds per query.
 *
 *   cc -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -I. bench/snap_bench.c \
 *      build/release/libcorridor.a $(pkg-config --libs jansson gdal proj geos) -lstdc++ -lm \
 *      -o /tmp/snap_bench
 *   /tmp/snap_bench NET.corr [N]                     # N defaults to 100000
 *
 * Times are this thread's CPU time. Three runs over the same points: cr_snap_nearest with
 * prefer_lcc (max 1000 m, as a route's end points are snapped), without it, and cr_snap_k_nearest
 * with k = 5 (OSRM's /nearest).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/graph.h"
#include "core/snap.h"

/* CPU seconds of this thread: other work on a busy machine does not count. */
static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t
next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

int
main(int argc, char **argv)
{
    struct cr_error err = { 0 };
    struct cr_graph *g;
    const struct cr_graph_view *v;
    struct cr_snap_index *ix;
    struct cr_snap s, k[5];
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 100000;
    int32_t min_lon = INT32_MAX, max_lon = INT32_MIN, min_lat = INT32_MAX, max_lat = INT32_MIN;
    int32_t *lon, *lat;
    long found[3] = { 0, 0, 0 };
    double t0, t[3];

    if (argc < 2 || n <= 0) {
        fprintf(stderr, "usage: %s NET.corr [N]\n", argv[0]);
        return 2;
    }
    if (!(g = cr_graph_open(argv[1], &err))) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    v = cr_graph_view(g);
    t0 = now_s();
    ix = cr_snap_index_create(v, &err);
    if (!ix) {
        fprintf(stderr, "%s\n", err.msg);
        cr_graph_close(g);
        return 1;
    }
    printf("%s: %u segments, %u shape points: index built in %.1f ms, %.2f MiB\n", argv[1],
           v->segment_count, v->shape_count, (now_s() - t0) * 1e3,
           (double)cr_snap_index_memory(ix) / (1024.0 * 1024.0));

    for (uint32_t i = 0; i < v->node_count; i++) {
        min_lon = v->lon_e7[i] < min_lon ? v->lon_e7[i] : min_lon;
        max_lon = v->lon_e7[i] > max_lon ? v->lon_e7[i] : max_lon;
        min_lat = v->lat_e7[i] < min_lat ? v->lat_e7[i] : min_lat;
        max_lat = v->lat_e7[i] > max_lat ? v->lat_e7[i] : max_lat;
    }
    lon = malloc((size_t)n * sizeof *lon);
    lat = malloc((size_t)n * sizeof *lat);
    if (!lon || !lat || v->node_count == 0) {
        fprintf(stderr, "out of memory or empty network\n");
        return 1;
    }
    for (long i = 0; i < n; i++) {
        lon[i] = min_lon + (int32_t)(next_random() % ((uint32_t)(max_lon - min_lon) + 1));
        lat[i] = min_lat + (int32_t)(next_random() % ((uint32_t)(max_lat - min_lat) + 1));
    }

    t0 = now_s();
    for (long i = 0; i < n; i++)
        found[0] += cr_snap_nearest(ix, lon[i], lat[i], 1000.0, 1, NULL, NULL, &s, NULL) == CR_OK;
    t[0] = now_s() - t0;
    t0 = now_s();
    for (long i = 0; i < n; i++)
        found[1] += cr_snap_nearest(ix, lon[i], lat[i], 1000.0, 0, NULL, NULL, &s, NULL) == CR_OK;
    t[1] = now_s() - t0;
    t0 = now_s();
    for (long i = 0; i < n; i++)
        found[2] += cr_snap_k_nearest(ix, lon[i], lat[i], 1000.0, NULL, NULL, k, 5) > 0;
    t[2] = now_s() - t0;

    printf("nearest, prefer_lcc: %.3f us/query (%ld of %ld found)\n", t[0] * 1e6 / (double)n,
           found[0], n);
    printf("nearest:             %.3f us/query (%ld found)\n", t[1] * 1e6 / (double)n, found[1]);
    printf("5 nearest:           %.3f us/query (%ld found)\n", t[2] * 1e6 / (double)n, found[2]);
    free(lon);
    free(lat);
    cr_snap_index_destroy(ix);
    cr_graph_close(g);
    return 0;
}
