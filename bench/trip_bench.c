/*
 * trip_bench: how long a trip takes (routing/trip.h), in process.
 *
 *   trip_bench --solver                 the solver alone on SYNTHETIC road-like tables: Held-Karp
 *                                       by number of cities (to choose CR_TRIP_EXACT_MAX), the
 *                                       heuristic at 25, 100, 1000 and its gap to exact at 12
 *   trip_bench NETWORK.corr [--profile car] [--sizes 10,25,100] [--seed S] [--name NAME]
 *   trip_bench --header
 *
 * On a network: max(SIZES) seeded random points (a random edge of the profile's turn graph,
 * near one of its nodes, as table_bench), then for each size N one round trip through the first
 * N (cr_trip_compute: snapping, the N x N table, the solver, the route in order) and one row:
 * network, profile, search, N, exact or heuristic, total seconds, the solver's share, the trip's
 * duration and distance.
 */
#include <math.h>
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
#include "routing/trip.h"

/* Points in a 10 km square, straight distances stretched by 10 to 40 % each way (SYNTHETIC). */
static uint64_t *
road_table(size_t n)
{
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    uint64_t *w = malloc(n * n * sizeof *w);
    for (size_t i = 0; i < n; i++) {
        x[i] = next_rand() % 10000;
        y[i] = next_rand() % 10000;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j], r = sqrt(dx * dx + dy * dy);
            w[i * n + j] = i == j ? 0 : (uint64_t)(r * (1.1 + (next_rand() % 300) / 1000.0)) + 1;
        }
    free(x);
    free(y);
    return w;
}

static double
solve_seconds(const uint64_t *w, size_t n, int heuristic, uint64_t *weight)
{
    struct cr_trip_options o = CR_TRIP_OPTIONS_DEFAULT;
    size_t *order = malloc(n * sizeof *order);
    struct cr_trip_order out = { order, 0, 0 };
    struct cr_error err = { 0 };
    double t0 = now_s();
    o.exact_max = 20;
    o.heuristic_only = heuristic;
    if (cr_trip_solve(w, n, &o, &out, &err))
        fprintf(stderr, "trip_bench: %s\n", err.msg);
    *weight = out.weight;
    free(order);
    return now_s() - t0;
}

static int
solver_bench(void)
{
    static const size_t hk[] = { 10, 12, 14, 16, 17, 18, 19, 20 };
    static const size_t he[] = { 12, 25, 100, 1000 };
    uint64_t wt, we;

    printf("| solver | cities | seconds | table memory | weight |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof hk / sizeof hk[0]; i++) {
        uint64_t *w = road_table(hk[i]);
        double s = solve_seconds(w, hk[i], 0, &wt);
        printf("| Held-Karp | %zu | %.4f | %.1f MB | %llu |\n", hk[i], s,
               (double)((size_t)1 << (hk[i] - 1)) * (double)(hk[i] - 1) * 8 / 1e6,
               (unsigned long long)wt);
        free(w);
    }
    for (size_t i = 0; i < sizeof he / sizeof he[0]; i++) {
        uint64_t *w = road_table(he[i]);
        double s = solve_seconds(w, he[i], 1, &wt);
        printf("| heuristic | %zu | %.4f | - | %llu", he[i], s, (unsigned long long)wt);
        if (he[i] <= 20) {
            solve_seconds(w, he[i], 0, &we);
            printf(" (exact %llu: +%.2f %%)", (unsigned long long)we,
                   100.0 * (double)(wt - we) / (double)we);
        }
        printf(" |\n");
        free(w);
    }
    return 0;
}

static int
network_bench(const char *path, const char *profile, const char *name, const size_t *sizes,
              size_t nsizes)
{
    struct cr_error err = { 0 };
    struct cr_graph *g = cr_graph_open(path, &err);
    struct cr_session_options so = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_session *s;
    struct cr_router *r;
    const struct cr_engine *e;
    size_t nmax = 0;
    int32_t *lon, *lat;

    if (!g) {
        fprintf(stderr, "trip_bench: %s\n", err.msg);
        return 1;
    }
    so.profile = profile;
    if (!(s = cr_session_open(g, &so, &err)) || !(r = cr_session_router_create(s, &err))) {
        fprintf(stderr, "trip_bench: %s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < nsizes; i++)
        nmax = sizes[i] > nmax ? sizes[i] : nmax;
    lon = malloc((nmax + 1) * sizeof *lon);
    lat = malloc((nmax + 1) * sizeof *lat);
    e = cr_session_engine(s);
    for (size_t k = 0; k < nmax; k++) {
        uint32_t x = next_rand() % e->tg->base_count;
        uint32_t seg = e->view->edge_segment[e->tg->edge_of[x]] & ~CR_SEGMENT_REVERSED;
        uint32_t a = e->view->segment_node[2 * seg + (next_rand() & 1)];
        lon[k] = e->view->lon_e7[a] + (int32_t)(next_rand() % 200) - 100;
        lat[k] = e->view->lat_e7[a] + (int32_t)(next_rand() % 200) - 100;
    }
    for (size_t i = 0; i < nsizes; i++) {
        struct cr_trip trip;
        struct cr_trip_options o = CR_TRIP_OPTIONS_DEFAULT;
        double t0 = now_s(), t1;
        enum cr_status rc = cr_trip_compute(r, lon, lat, sizes[i], NULL, &o, &trip, &err);
        t1 = now_s();
        if (rc)
            printf("| %s | %s | %s | %zu | - | %.3f | - | %s |\n", name, profile,
                   cr_session_uses_ch(s) ? "ch" : "dijkstra", sizes[i], t1 - t0, err.msg);
        else
            printf("| %s | %s | %s | %zu | %s | %.3f | %.1f min | %.1f km |\n", name, profile,
                   cr_session_uses_ch(s) ? "ch" : "dijkstra", sizes[i],
                   trip.exact ? "exact" : "heuristic", t1 - t0, trip.route.duration_s / 60,
                   trip.route.distance_m / 1000);
        cr_trip_fini(&trip);
    }
    free(lon);
    free(lat);
    cr_router_destroy(r);
    cr_session_close(s);
    cr_graph_close(g);
    return 0;
}

int
main(int argc, char **argv)
{
    const char *path = NULL, *profile = "car", *name = "network";
    size_t sizes[8] = { 10, 25, 100 }, nsizes = 3;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--header")) {
            printf("| network | profile | search | points | solver | seconds | duration | "
                   "distance |\n|---|---|---|---|---|---|---|---|\n");
            return 0;
        } else if (!strcmp(argv[i], "--solver")) {
            return solver_bench();
        } else if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
            profile = argv[++i];
        } else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
            name = argv[++i];
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            rng = strtoull(argv[++i], NULL, 10) | 1;
        } else if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
            char *p = argv[++i], *end;
            nsizes = 0;
            while (*p && nsizes < 8) {
                sizes[nsizes++] = strtoul(p, &end, 10);
                p = *end == ',' ? end + 1 : end;
                if (end == p && *p)
                    break;
            }
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            fprintf(stderr, "usage: trip_bench NETWORK.corr [--profile P] [--sizes N,..] "
                            "[--seed S] [--name NAME] | --solver | --header\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "trip_bench: no network file (or --solver)\n");
        return 2;
    }
    return network_bench(path, profile, name, sizes, nsizes);
}
