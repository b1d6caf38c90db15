/*
 * How fast snapping is: builds the snap index over a network file, then snaps N seeded random
 * points inside the nodes' bounding box and prints microseconds per query.
 *
 *   build/release/bench/snap_bench NET.corr [N]     # N defaults to 100000
 *
 * Points from bench_util.h's generator (its default state), times on its CPU clock (this
 * thread's CPU time). Three runs over the same points: cr_snap_nearest with
 * prefer_lcc (max 1000 m, as a route's end points are snapped), without it, and cr_snap_k_nearest
 * with k = 5 (OSRM's /nearest).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench/bench_util.h"
#include "core/graph.h"
#include "core/snap.h"

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
    t0 = cpu_s();
    ix = cr_snap_index_create(v, &err);
    if (!ix) {
        fprintf(stderr, "%s\n", err.msg);
        cr_graph_close(g);
        return 1;
    }
    printf("%s: %u segments, %u shape points: index built in %.1f ms, %.2f MiB\n", argv[1],
           v->segment_count, v->shape_count, (cpu_s() - t0) * 1e3,
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
        lon[i] = min_lon + (int32_t)(rand_below((uint32_t)(max_lon - min_lon) + 1));
        lat[i] = min_lat + (int32_t)(rand_below((uint32_t)(max_lat - min_lat) + 1));
    }

    t0 = cpu_s();
    for (long i = 0; i < n; i++)
        found[0] += cr_snap_nearest(ix, lon[i], lat[i], 1000.0, 1, NULL, NULL, &s, NULL) == CR_OK;
    t[0] = cpu_s() - t0;
    t0 = cpu_s();
    for (long i = 0; i < n; i++)
        found[1] += cr_snap_nearest(ix, lon[i], lat[i], 1000.0, 0, NULL, NULL, &s, NULL) == CR_OK;
    t[1] = cpu_s() - t0;
    t0 = cpu_s();
    for (long i = 0; i < n; i++)
        found[2] += cr_snap_k_nearest(ix, lon[i], lat[i], 1000.0, NULL, NULL, k, 5) > 0;
    t[2] = cpu_s() - t0;

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
