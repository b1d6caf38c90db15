/*
 * ch_bench: contraction hierarchies on a DIMACS road graph.
 *
 *   ch_bench GRAPH.gr[.gz] [PAIRS [SEED]] [--turn]
 *
 * Reads the graph ("p sp N M", then "a u v w", 1-based; gzip or plain, through zlib), builds the
 * CH, then times PAIRS seeded random pairs (default 1000) with Dijkstra and with the CH (and
 * checks they agree), and many-to-many 100x100 and 1000x1000. --turn contracts the edge-based
 * turn graph instead (a node per arc, an arc per turn between consecutive arcs, U-turns left
 * out), the shape corridor routes on. Prints one markdown table row per graph.
 *
 * Built by CMake with the benchmarks (build/release/bench/ch_bench). Pairs from bench_util.h's
 * generator (seed SEED, default 1), times on its monotonic clock.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <zlib.h>

#include "bench/bench_util.h"
#include "routing/ch.h"
#include "routing/dijkstra.h"

struct graph {
    uint32_t n, m;
    uint32_t *first_out, *head, *weight;
};

static double
peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
}

static const char *
parse_u32(const char *p, uint32_t *out)
{
    uint64_t v = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p < '0' || *p > '9')
        return NULL;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (uint64_t)(*p++ - '0');
        if (v > UINT32_MAX)
            return NULL;
    }
    *out = (uint32_t)v;
    return p;
}

/* CSR from arc triples (tail sorted by counting). */
static int
to_csr(struct graph *g, uint32_t n, uint32_t m, const uint32_t *tail, const uint32_t *head,
       const uint32_t *weight)
{
    uint32_t *pos;
    g->n = n;
    g->m = m;
    g->first_out = calloc((size_t)n + 1, sizeof *g->first_out);
    g->head = malloc(((size_t)m + 1) * sizeof *g->head);
    g->weight = malloc(((size_t)m + 1) * sizeof *g->weight);
    pos = malloc(((size_t)n + 1) * sizeof *pos);
    if (!g->first_out || !g->head || !g->weight || !pos) {
        free(pos);
        return -1;
    }
    for (uint32_t i = 0; i < m; i++)
        g->first_out[tail[i] + 1]++;
    for (uint32_t x = 0; x < n; x++)
        g->first_out[x + 1] += g->first_out[x];
    memcpy(pos, g->first_out, ((size_t)n + 1) * sizeof *pos);
    for (uint32_t i = 0; i < m; i++) {
        uint32_t a = pos[tail[i]]++;
        g->head[a] = head[i];
        g->weight[a] = weight[i];
    }
    free(pos);
    return 0;
}

static int
read_dimacs(const char *path, struct graph *g)
{
    gzFile f = gzopen(path, "rb");
    char line[512];
    uint32_t n = 0, m = 0, k = 0, *tail = NULL, *head = NULL, *weight = NULL;
    unsigned long lineno = 0;
    int rc = -1;

    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return -1;
    }
    gzbuffer(f, 1 << 20);
    while (gzgets(f, line, sizeof line)) {
        lineno++;
        if (line[0] == 'p') {
            const char *p = strstr(line, "sp");
            if (!p || !(p = parse_u32(p + 2, &n)) || !parse_u32(p, &m)) {
                fprintf(stderr, "%s:%lu: bad problem line\n", path, lineno);
                goto done;
            }
            tail = malloc(((size_t)m + 1) * sizeof *tail);
            head = malloc(((size_t)m + 1) * sizeof *head);
            weight = malloc(((size_t)m + 1) * sizeof *weight);
            if (!tail || !head || !weight) {
                fprintf(stderr, "%s: out of memory\n", path);
                goto done;
            }
        } else if (line[0] == 'a') {
            uint32_t u, v, w;
            const char *p = line + 1;
            if (!tail || !(p = parse_u32(p, &u)) || !(p = parse_u32(p, &v)) || !parse_u32(p, &w) ||
                u < 1 || u > n || v < 1 || v > n || k >= m || w == UINT32_MAX) {
                fprintf(stderr, "%s:%lu: bad arc line\n", path, lineno);
                goto done;
            }
            tail[k] = u - 1;
            head[k] = v - 1;
            weight[k] = w;
            k++;
        }
    }
    if (!tail || k != m) {
        fprintf(stderr, "%s: %u arcs, problem line says %u\n", path, k, m);
        goto done;
    }
    if (to_csr(g, n, m, tail, head, weight)) {
        fprintf(stderr, "%s: out of memory\n", path);
        goto done;
    }
    rc = 0;
done:
    gzclose(f);
    free(tail);
    free(head);
    free(weight);
    return rc;
}

/* The edge-based graph: node a per arc a = u->v; arc a -> b per b = v->w with w != u, weighing
 * b's weight. */
static int
turn_graph(const struct graph *g, struct graph *t)
{
    uint64_t count = 0;
    uint32_t *tail, *head, *weight, k = 0, *arc_tail;
    int rc;
    arc_tail = malloc(((size_t)g->m + 1) * sizeof *arc_tail);
    if (!arc_tail)
        return -1;
    for (uint32_t u = 0; u < g->n; u++)
        for (uint32_t a = g->first_out[u]; a < g->first_out[u + 1]; a++) {
            arc_tail[a] = u;
            count += g->first_out[g->head[a] + 1] - g->first_out[g->head[a]];
        }
    if (count >= UINT32_MAX) {
        free(arc_tail);
        return -1;
    }
    tail = malloc((count + 1) * sizeof *tail);
    head = malloc((count + 1) * sizeof *head);
    weight = malloc((count + 1) * sizeof *weight);
    if (!tail || !head || !weight) {
        free(arc_tail);
        free(tail);
        free(head);
        free(weight);
        return -1;
    }
    for (uint32_t a = 0; a < g->m; a++) {
        uint32_t v = g->head[a];
        for (uint32_t b = g->first_out[v]; b < g->first_out[v + 1]; b++)
            if (g->head[b] != arc_tail[a]) {
                tail[k] = a;
                head[k] = b;
                weight[k] = g->weight[b];
                k++;
            }
    }
    rc = to_csr(t, g->m, k, tail, head, weight);
    free(arc_tail);
    free(tail);
    free(head);
    free(weight);
    return rc;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int
show_progress(void *user, double done)
{
    const double *start = user;
    fprintf(stderr, "\rcontracting: %3.0f %% after %.1f s", done * 100, now_s() - *start);
    if (done >= 1.0 || (int)(done * 100 + 0.5) % 10 == 0)
        fprintf(stderr, "\n");
    return 0;
}

static double
time_many_to_many(const struct cr_ch *ch, uint32_t n, uint32_t k)
{
    struct cr_endpoint *e = malloc(2 * (size_t)k * sizeof *e);
    uint32_t *first = malloc(((size_t)k + 1) * sizeof *first);
    uint32_t *out = malloc((size_t)k * k * sizeof *out);
    struct cr_error err = { 0 };
    double t = -1;
    if (e && first && out) {
        for (uint32_t i = 0; i < 2 * k; i++)
            e[i] = (struct cr_endpoint){ .node = rand_below(n), .weight = 0 };
        for (uint32_t i = 0; i <= k; i++)
            first[i] = i;
        t = now_s();
        if (cr_ch_many_to_many(ch, e, first, k, e + k, first, k, out, &err)) {
            fprintf(stderr, "many-to-many: %s\n", err.msg);
            t = -1;
        } else {
            t = (now_s() - t) * 1e3;
        }
    }
    free(e);
    free(first);
    free(out);
    return t;
}

int
main(int argc, char **argv)
{
    const char *path = NULL;
    unsigned long pairs = 1000, seed = 1;
    int turn = 0, npos = 0, quiet = 0;
    struct graph in = { 0 }, g = { 0 };
    struct cr_wgraph wg;
    struct cr_error err = { 0 };
    struct cr_ch *ch;
    struct cr_ch_query *q;
    struct cr_dijkstra *d;
    struct cr_ch_arrays arr;
    double t, build_s, rss, dij_total = 0, ch_total = 0, *ch_times;
    uint32_t *want;
    struct cr_endpoint *pair_s, *pair_t;
    unsigned long mismatches = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--turn") == 0)
            turn = 1;
        else if (strcmp(argv[i], "--quiet") == 0)
            quiet = 1;
        else if (npos == 0 && ++npos)
            path = argv[i];
        else if (npos == 1 && ++npos)
            pairs = strtoul(argv[i], NULL, 10);
        else if (npos == 2 && ++npos)
            seed = strtoul(argv[i], NULL, 10);
    }
    if (!path || pairs == 0) {
        fprintf(stderr, "usage: ch_bench GRAPH.gr[.gz] [PAIRS [SEED]] [--turn] [--quiet]\n");
        return 2;
    }
    bench_seed(seed);

    if (read_dimacs(path, &in))
        return 1;
    if (turn) {
        if (turn_graph(&in, &g)) {
            fprintf(stderr, "%s: turn graph too large\n", path);
            return 1;
        }
        free(in.first_out);
        free(in.head);
        free(in.weight);
    } else {
        g = in;
    }
    wg = (struct cr_wgraph){ .node_count = g.n,
                             .arc_count = g.m,
                             .first_out = g.first_out,
                             .head = g.head,
                             .weight = g.weight };

    t = now_s();
    ch = cr_ch_build(&wg, quiet ? NULL : show_progress, &t, &err);
    build_s = now_s() - t;
    if (!ch) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        return 1;
    }
    rss = peak_rss_mib();
    cr_ch_arrays(ch, &arr);

    q = cr_ch_query_create(ch);
    d = cr_dijkstra_create(&wg);
    ch_times = malloc(pairs * sizeof *ch_times);
    want = malloc(pairs * sizeof *want);
    pair_s = malloc(pairs * sizeof *pair_s);
    pair_t = malloc(pairs * sizeof *pair_t);
    if (!q || !d || !ch_times || !want || !pair_s || !pair_t) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    /* the pairs, then each method over all of them (so neither evicts the other's cache) */
    for (unsigned long i = 0; i < pairs; i++) {
        pair_s[i] = (struct cr_endpoint){ rand_below(g.n), 0 };
        pair_t[i] = (struct cr_endpoint){ rand_below(g.n), 0 };
    }
    for (unsigned long i = 0; i < pairs; i++) {
        t = now_s();
        want[i] = cr_dijkstra_run(d, &pair_s[i], 1, &pair_t[i], 1);
        dij_total += now_s() - t;
    }
    for (unsigned long i = 0; i < pairs; i++) {
        uint32_t w;
        t = now_s();
        w = cr_ch_query_run(q, &pair_s[i], 1, &pair_t[i], 1);
        ch_times[i] = now_s() - t;
        ch_total += ch_times[i];
        if (w != want[i])
            mismatches++;
    }
    qsort(ch_times, pairs, sizeof *ch_times, cmp_double);

    printf("| graph | nodes | arcs | CH up+down arcs | build s | peak RSS MiB | Dijkstra mean us "
           "| CH mean us | CH median us | m2m 100x100 ms | m2m 1000x1000 ms | CH != Dijkstra |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    {
        const char *base = strrchr(path, '/');
        double m100 = time_many_to_many(ch, g.n, 100);
        double m1000 = time_many_to_many(ch, g.n, 1000);
        printf("| %s%s | %u | %u | %u | %.1f | %.0f | %.0f | %.2f | %.2f | %.1f | %.0f | %lu of "
               "%lu |\n",
               base ? base + 1 : path, turn ? " (turn graph)" : "", g.n, g.m,
               arr.up_count + arr.down_count, build_s, rss, dij_total / (double)pairs * 1e6,
               ch_total / (double)pairs * 1e6, ch_times[pairs / 2] * 1e6, m100, m1000, mismatches,
               pairs);
    }
    free(ch_times);
    free(want);
    free(pair_s);
    free(pair_t);
    cr_dijkstra_destroy(d);
    cr_ch_query_destroy(q);
    cr_ch_destroy(ch);
    free(g.first_out);
    free(g.head);
    free(g.weight);
    return mismatches ? 1 : 0;
}
