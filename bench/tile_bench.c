/*
 * tile_bench: how long one map tile takes, cold (drawn: render/tile.h) and cached (the server's
 * LRU cache, server/tile_cache.h), at each zoom asked, over a network file.
 *
 *   tile_bench NETWORK.corr [--name NAME] [--zooms 12,14,16] [--tiles N] [--scale 1|2]
 *              [--out DIR]
 *   tile_bench --header
 *
 * For each zoom: the tiles covering the network's extent, in row order, every k-th so that at
 * most N (default 150) are drawn; each is drawn once on one thread (one renderer, as a server
 * worker) and timed (CLOCK_MONOTONIC, PNG encoding included), then put in a cache and fetched
 * from it 20 times. One row per zoom: network, zoom, tiles, empty tiles, p50 and p99 ms cold,
 * p50 and p99 microseconds cached, mean KiB per PNG. --out DIR writes every tile drawn as
 * DIR/Z-X-Y.png (to look at them).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/graph.h"
#include "corridor/network.h"
#include "render/style.h"
#include "render/tile.h"
#include "server/tile_cache.h"

static double
now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static double
cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static int
by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
quantile(double *v, size_t n, double q)
{
    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, by_double);
    size_t i = (size_t)ceil(q * n) - 1;
    return v[i < n ? i : n - 1];
}

struct sink_ctx {
    struct cr_tile_cache *cache;
    size_t tiles, bytes;
    const char *out;
};

static int
to_cache(void *user, unsigned z, uint32_t x, uint32_t y, const unsigned char *png, size_t len)
{
    struct sink_ctx *c = user;
    struct cr_tile_key key = { 1, z, x, y, 1 };
    cr_tile_blob_release(cr_tile_cache_put(c->cache, &key, png, len));
    c->tiles++;
    c->bytes += len;
    if (c->out) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%u-%u-%u.png", c->out, z, x, y);
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(png, 1, len, f);
            fclose(f);
        }
    }
    return 0;
}

/* Up to MAX_TILES tiles of zoom Z where the network is: the tiles of evenly spaced segments'
 * first nodes, each metatile once. Every one is drawn (its metatile) and timed, then fetched
 * from the cache 20 times. */
static int
bench_zoom(struct cr_tile_renderer *r, const struct cr_graph_view *g, unsigned z, size_t max_tiles,
           unsigned scale, const char *name, const char *out)
{
    struct cr_error err = { 0 };
    struct sink_ctx sc = { cr_tile_cache_create((size_t)1 << 30), 0, 0, out };
    double *cold = malloc(max_tiles * sizeof *cold), *hot = malloc(20 * max_tiles * sizeof *hot);
    double *cpu = malloc(max_tiles * sizeof *cpu);
    uint32_t *done = malloc(2 * max_tiles * sizeof *done);
    size_t n = 0, nh = 0, nd = 0, empty = 0;

    if (!cold || !hot || !cpu || !done || !sc.cache)
        return 1;
    for (size_t k = 0; k < max_tiles * 4 && n < max_tiles && g->segment_count; k++) {
        uint32_t seg = (uint32_t)((uint64_t)k * g->segment_count / (max_tiles * 4));
        uint32_t node = g->segment_node[2 * seg], x, y, mx0, my0, meta;
        struct cr_tile_stats st;
        size_t d;
        cr_tile_of_lonlat(g->lon_e7[node] * 1e-7, g->lat_e7[node] * 1e-7, z, &x, &y);
        cr_tile_metatile(z, x, y, &mx0, &my0, &meta);
        for (d = 0; d < nd && !(done[2 * d] == mx0 && done[2 * d + 1] == my0); d++)
            ;
        if (d < nd)
            continue;
        done[2 * nd] = mx0;
        done[2 * nd++ + 1] = my0;
        double t0 = now_ms(), c0 = cpu_ms();
        if (cr_tile_render_metatile(r, z, x, y, scale, to_cache, &sc, &st, &err)) {
            fprintf(stderr, "tile_bench: %s\n", err.msg);
            return 1;
        }
        cpu[n] = cpu_ms() - c0;
        cold[n++] = now_ms() - t0;
        empty += st.empty;
        for (int i = 0; i < 20; i++) {
            struct cr_tile_key key = { 1, z, x, y, 1 };
            t0 = now_ms();
            struct cr_tile_blob *b = cr_tile_cache_get(sc.cache, &key);
            hot[nh++] = (now_ms() - t0) * 1000;
            cr_tile_blob_release(b);
        }
    }
    double tiles_per_meta = n ? (double)sc.tiles / n : 1;
    double p50 = quantile(cold, n, 0.5), p99 = quantile(cold, n, 0.99);
    double c50 = quantile(cpu, n, 0.5), c99 = quantile(cpu, n, 0.99);
    printf("| %s | %u | %zu | %.0f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.2f "
           "| %.1f |\n",
           name, z, n, tiles_per_meta, p50, c50, p99, c99, p50 / tiles_per_meta,
           c50 / tiles_per_meta, p99 / tiles_per_meta, c99 / tiles_per_meta, quantile(hot, nh, 0.5),
           sc.tiles ? sc.bytes / 1024.0 / sc.tiles : 0);
    (void)empty;
    free(cold);
    free(cpu);
    free(hot);
    free(done);
    cr_tile_cache_destroy(sc.cache);
    return 0;
}

int
main(int argc, char **argv)
{
    const char *path = NULL, *name = NULL, *zooms = "12,14,16", *out = NULL;
    size_t max_tiles = 150;
    unsigned scale = 1;
    struct cr_error err = { 0 };
    struct cr_style style;

    if (argc == 2 && !strcmp(argv[1], "--header")) {
        printf("| network | zoom | metatiles | tiles each | metatile p50 ms (wall / cpu) | "
               "metatile p99 ms | per tile p50 ms | per tile p99 ms | cached p50 µs | "
               "KiB/tile |\n"
               "|---|---|---|---|---|---|---|---|---|---|\n");
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--name") && i + 1 < argc)
            name = argv[++i];
        else if (!strcmp(argv[i], "--zooms") && i + 1 < argc)
            zooms = argv[++i];
        else if (!strcmp(argv[i], "--tiles") && i + 1 < argc)
            max_tiles = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--scale") && i + 1 < argc)
            scale = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "usage: tile_bench NETWORK.corr [--name NAME] [--zooms 12,14,16] "
                            "[--tiles N] [--scale 1|2] [--out DIR]\n");
            return 2;
        }
    }
    if (!path || !max_tiles)
        return 2;
    struct cr_graph *g = cr_graph_open(path, &err);
    if (!g || cr_style_load(NULL, &style, &err)) {
        fprintf(stderr, "tile_bench: %s\n", err.msg);
        return 1;
    }
    struct cr_tile_layers l = { cr_graph_view(g), NULL, NULL, &style };
    struct cr_tile_source *src = cr_tile_source_create(&l, &err);
    struct cr_tile_renderer *r = src ? cr_tile_renderer_create(src, &err) : NULL;
    int rc = 0;
    if (!r) {
        fprintf(stderr, "tile_bench: %s\n", err.msg);
        return 1;
    }
    for (const char *p = zooms; *p && !rc;) {
        unsigned z = (unsigned)strtoul(p, NULL, 10);
        rc = bench_zoom(r, l.graph, z, max_tiles, scale, name ? name : path, out);
        p += strcspn(p, ",");
        if (*p == ',')
            p++;
    }
    cr_tile_renderer_destroy(r);
    cr_tile_source_destroy(src);
    cr_style_fini(&style);
    cr_graph_close(g);
    return rc;
}
