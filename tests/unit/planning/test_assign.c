/*
 * Traffic assignment (planning/assign.h), on small networks drawn here (synthetic fixtures, every
 * figure worked out by hand in the comments):
 *   - the relative gap, AEC and objective of given flows on two parallel links;
 *   - two parallel links with a linear (BPR beta 1) and a quartic (beta 4) cost: every algorithm
 *     reaches the analytic equilibrium;
 *   - Braess's network with and without the shortcut;
 *   - a zone never passed through; two classes sharing a resource with PCE; unreachable trips;
 *   - 1 and 2 threads give the same bits; the problem check's messages;
 *   - SiouxFalls from ../shared (skipped when absent): BFW to relative gap 1e-4, link flows
 *     within 5% of the best-known ones; iterations and seconds of every algorithm to 1e-4 on
 *     SiouxFalls and ChicagoSketch printed (CR_ASSIGN_BENCH=1 for ChicagoSketch and 2 threads).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "importers/tntp/tntp.h"
#include "planning/assign.h"
#include "planning/assign_tntp.h"

#define TNTP CR_SOURCE_DIR "/../shared/datasets/tntp/"

/* ---- building problems ------------------------------------------------------------------- */

struct link_spec {
    uint32_t tail, head, resource;
    double fft, fixed;
};

struct res_spec {
    double capacity, alpha, beta;
};

#define NO CR_ASSIGN_NO_RESOURCE

static void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    assert_non_null(p);
    return p;
}

static void
set_resources(struct cr_assign_problem *p, const struct res_spec *rs, uint32_t n)
{
    p->res.count = n;
    p->res.capacity = xcalloc(n, sizeof(double));
    p->res.alpha = xcalloc(n, sizeof(double));
    p->res.beta = xcalloc(n, sizeof(double));
    p->res.vdf = xcalloc(n, 1);
    for (uint32_t r = 0; r < n; r++) {
        p->res.capacity[r] = rs[r].capacity;
        p->res.alpha[r] = rs[r].alpha;
        p->res.beta[r] = rs[r].beta;
        p->res.vdf[r] = CR_VDF_BPR;
    }
}

/* Class C of P from links LS (any order; kept in that order among the same tail). */
static void
set_class(struct cr_assign_problem *p, size_t ci, const char *name, double pce, uint32_t nodes,
          const struct link_spec *ls, uint32_t n)
{
    struct cr_assign_class *c = &p->classes[ci];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->pce = pce;
    c->node_count = nodes;
    c->link_count = n;
    c->first_out = xcalloc(nodes + 1, sizeof(uint32_t));
    c->tail = xcalloc(n, sizeof(uint32_t));
    c->head = xcalloc(n, sizeof(uint32_t));
    c->resource = xcalloc(n, sizeof(uint32_t));
    c->fft = xcalloc(n, sizeof(double));
    c->fixed = xcalloc(n, sizeof(double));
    c->demand = xcalloc((size_t)p->zone_count * p->zone_count, sizeof(double));
    uint32_t k = 0;
    for (uint32_t v = 0; v < nodes; v++) {
        c->first_out[v] = k;
        for (uint32_t i = 0; i < n; i++)
            if (ls[i].tail == v) {
                c->tail[k] = v;
                c->head[k] = ls[i].head;
                c->resource[k] = ls[i].resource;
                c->fft[k] = ls[i].fft;
                c->fixed[k] = ls[i].fixed;
                k++;
            }
    }
    c->first_out[nodes] = k;
    assert_int_equal(k, n);
}

static void
problem_new(struct cr_assign_problem *p, uint32_t zones, uint32_t through_from, size_t classes)
{
    memset(p, 0, sizeof *p);
    p->zone_count = zones;
    p->through_from = through_from;
    p->class_count = classes;
    p->classes = xcalloc(classes, sizeof *p->classes);
}

static void
run(const struct cr_assign_problem *p, enum cr_assign_algorithm a, double gap, unsigned max_iter,
    unsigned threads, struct cr_assign_result *r)
{
    struct cr_assign_options o = CR_ASSIGN_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    o.algorithm = a;
    o.gap = gap;
    o.max_iter = max_iter;
    o.threads = threads;
    if (cr_assign_run(p, &o, r, &err))
        fail_msg("%s: %s", cr_assign_algorithm_name(a), err.msg);
}

/* ---- (a) the gap by hand ----------------------------------------------------------------- */

/* Two parallel links from zone 0 to zone 1, 10 trips:
 *   link 0: fft 10, BPR alpha 1 beta 1, capacity 10:  t0 = 10 (1 + x0 / 10) = 10 + x0
 *   link 1: fft 20, no resource:                       t1 = 20
 * At x0 = 8, x1 = 2: t0 = 18, t1 = 20.
 *   TSTT = 8 * 18 + 2 * 20 = 184, SPTT = 10 * 18 = 180,
 *   relative gap = 4 / 184 = 1 / 46, AEC = 4 / 10 = 0.4,
 *   objective = 10 * integral_0^8 (1 + v / 10) dv + 20 * 2 = 10 * (8 + 3.2) + 40 = 152. */
static void
parallel_fixed(struct cr_assign_problem *p)
{
    const struct res_spec rs[] = { { 10, 1, 1 } };
    const struct link_spec ls[] = { { 0, 1, 0, 10, 0 }, { 0, 1, NO, 20, 0 } };
    problem_new(p, 2, 0, 1);
    set_resources(p, rs, 1);
    set_class(p, 0, "car", 1.0, 2, ls, 2);
    p->classes[0].demand[0 * 2 + 1] = 10;
}

static void
test_gap_by_hand(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    parallel_fixed(&p);
    double f[2] = { 8, 2 }, c[2], v[1];
    double *flow[1] = { f }, *cost[1] = { c };
    struct cr_assign_result r = { 0 };
    struct cr_error err = { 0 };
    r.cost = cost;
    r.volume = v;
    if (cr_assign_measure(&p, flow, 1, &r, &err))
        fail_msg("%s", err.msg);
    assert_true(fabs(r.tstt - 184.0) < 1e-12);
    assert_true(fabs(r.sptt - 180.0) < 1e-12);
    assert_true(fabs(r.rgap - 1.0 / 46.0) < 1e-12);
    assert_true(fabs(r.aec - 0.4) < 1e-12);
    assert_true(fabs(r.objective - 152.0) < 1e-12);
    assert_true(fabs(c[0] - 18.0) < 1e-12 && fabs(c[1] - 20.0) < 1e-12);
    assert_true(fabs(v[0] - 8.0) < 1e-12);
    assert_true(r.unassigned == 0.0);
    cr_assign_problem_fini(&p);
}

/* ---- (b) parallel links: the analytic equilibrium ---------------------------------------- */

/* Zone 0 to zone 1, 30 trips on
 *   link 0: fft 10, alpha 1, beta B, capacity 20
 *   link 1: fft 15, alpha 1, beta B, capacity 15
 * B = 1: 10 + 0.5 x0 = 15 + (30 - x0)  =>  x0 = 70/3, x1 = 20/3, both cost 65/3. */
static void
parallel_bpr(struct cr_assign_problem *p, double beta)
{
    const struct res_spec rs[] = { { 20, 1, beta }, { 15, 1, beta } };
    const struct link_spec ls[] = { { 0, 1, 0, 10, 0 }, { 0, 1, 1, 15, 0 } };
    problem_new(p, 2, 0, 1);
    set_resources(p, rs, 2);
    set_class(p, 0, "car", 1.0, 2, ls, 2);
    p->classes[0].demand[1] = 30;
}

static void
test_parallel_linear(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    parallel_bpr(&p, 1.0);
    for (int a = CR_ASSIGN_MSA; a <= CR_ASSIGN_BFW; a++) {
        struct cr_assign_result r;
        double gap = a == CR_ASSIGN_MSA ? 1e-5 : 1e-10;
        run(&p, (enum cr_assign_algorithm)a, gap, 100000, 1, &r);
        double tol = a == CR_ASSIGN_MSA ? 1e-3 : 1e-6;
        if (fabs(r.flow[0][0] - 70.0 / 3.0) > tol || fabs(r.flow[0][1] - 20.0 / 3.0) > tol)
            fail_msg("%s: flows %.9f %.9f after %u iterations (gap %g)",
                     cr_assign_algorithm_name(a), r.flow[0][0], r.flow[0][1], r.iterations, r.rgap);
        assert_true(r.converged);
        assert_true(fabs(r.cost[0][0] - 65.0 / 3.0) < 10 * tol);
        cr_assign_result_fini(&r, p.class_count);
    }
    /* AON: everything on the free-flow shortest link, one iteration */
    struct cr_assign_result r;
    run(&p, CR_ASSIGN_AON, 1e-4, 10, 1, &r);
    assert_int_equal(r.iterations, 1);
    assert_true(r.flow[0][0] == 30.0 && r.flow[0][1] == 0.0);
    cr_assign_result_fini(&r, p.class_count);
    cr_assign_problem_fini(&p);
}

/* B = 4: equal costs 10 (1 + (x0/20)^4) = 15 (1 + ((30 - x0)/15)^4); its root by bisection here
 * (the function of x0 is increasing), then every algorithm near it. */
static void
test_parallel_quartic(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    parallel_bpr(&p, 4.0);
    double lo = 0, hi = 30;
    for (int i = 0; i < 200; i++) {
        double m = 0.5 * (lo + hi);
        double g = 10 * (1 + pow(m / 20, 4)) - 15 * (1 + pow((30 - m) / 15, 4));
        if (g < 0)
            lo = m;
        else
            hi = m;
    }
    double x0 = 0.5 * (lo + hi);
    for (int a = CR_ASSIGN_MSA; a <= CR_ASSIGN_BFW; a++) {
        struct cr_assign_result r;
        double gap = a == CR_ASSIGN_MSA ? 1e-5 : 1e-10;
        run(&p, (enum cr_assign_algorithm)a, gap, 100000, 1, &r);
        double tol = a == CR_ASSIGN_MSA ? 1e-2 : 1e-5;
        if (fabs(r.flow[0][0] - x0) > tol || fabs(r.flow[0][1] - (30 - x0)) > tol)
            fail_msg("%s: flow %.9f, equilibrium %.9f after %u iterations (gap %g)",
                     cr_assign_algorithm_name(a), r.flow[0][0], x0, r.iterations, r.rgap);
        assert_true(r.converged);
        cr_assign_result_fini(&r, p.class_count);
    }
    cr_assign_problem_fini(&p);
}

/* ---- (c) Braess ---------------------------------------------------------------------------- */

/* Zones s = 0, t = 1; nodes A = 2, B = 3; 4000 trips s -> t.
 *   s->A: 1 + x/100 (fft 1, alpha 1, beta 1, capacity 100 / ... see below), A->t: 45,
 *   s->B: 45, B->t: 1 + x/100, and with the shortcut A->B: 0.
 * With t = fft (1 + alpha x / cap), fft 1 and alpha 1: cap 100 gives 1 + x / 100.
 * Without the shortcut: 2000 each way, cost 1 + 20 + 45 = 66, TSTT 264000.
 * With it: all 4000 on s-A-B-t, cost 41 + 0 + 41 = 82 (s-A-t and s-B-t cost 86), TSTT 328000. */
static void
braess(struct cr_assign_problem *p, int shortcut)
{
    const struct res_spec rs[] = { { 100, 1, 1 }, { 100, 1, 1 } };
    const struct link_spec ls[] = { { 0, 2, 0, 1, 0 },
                                    { 2, 1, NO, 45, 0 },
                                    { 0, 3, NO, 45, 0 },
                                    { 3, 1, 1, 1, 0 },
                                    { 2, 3, NO, 0, 0 } };
    problem_new(p, 2, 2, 1);
    set_resources(p, rs, 2);
    set_class(p, 0, "car", 1.0, 4, ls, shortcut ? 5 : 4);
    p->classes[0].demand[1] = 4000;
}

static void
test_braess(void **state)
{
    (void)state;
    for (int shortcut = 0; shortcut < 2; shortcut++) {
        struct cr_assign_problem p;
        braess(&p, shortcut);
        for (int a = CR_ASSIGN_FW; a <= CR_ASSIGN_BFW; a++) {
            struct cr_assign_result r;
            run(&p, (enum cr_assign_algorithm)a, 1e-9, 10000, 1, &r);
            double want = shortcut ? 328000 : 264000;
            if (fabs(r.tstt - want) > 1e-3 * want)
                fail_msg("%s, shortcut %d: TSTT %.6f, want %.0f", cr_assign_algorithm_name(a),
                         shortcut, r.tstt, want);
            /* the s->A link carries 2000 or 4000 */
            uint32_t sa = 0; /* node 0's only link to node 2 comes first */
            double xa = r.flow[0][sa];
            assert_true(fabs(xa - (shortcut ? 4000 : 2000)) < 1.0);
            cr_assign_result_fini(&r, p.class_count);
        }
        cr_assign_problem_fini(&p);
    }
}

/* ---- (d) zones are not passed through ---------------------------------------------------- */

/* Zones 0, 1, 2 (through_from 3), node 3. 0 -> 2 -> 1 costs 1 + 1, 0 -> 3 -> 1 costs 5 + 5:
 * trips 0 -> 1 go through node 3, never through zone 2; trips 0 -> 2 end at zone 2. */
static void
test_through_zones(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    const struct link_spec ls[] = {
        { 0, 2, NO, 1, 0 }, { 2, 1, NO, 1, 0 }, { 0, 3, NO, 5, 0 }, { 3, 1, NO, 5, 0 }
    };
    problem_new(&p, 3, 3, 1);
    set_class(&p, 0, "car", 1.0, 4, ls, 4);
    p.classes[0].demand[0 * 3 + 1] = 7;
    p.classes[0].demand[0 * 3 + 2] = 2;
    struct cr_assign_result r;
    run(&p, CR_ASSIGN_AON, 1e-4, 1, 1, &r);
    /* CSR order: node 0's links (0->2, 0->3), node 2's (2->1), node 3's (3->1) */
    assert_true(r.flow[0][0] == 2.0); /* 0 -> 2: only the trips to zone 2 */
    assert_true(r.flow[0][1] == 7.0); /* 0 -> 3 */
    assert_true(r.flow[0][2] == 0.0); /* 2 -> 1: never through zone 2 */
    assert_true(r.flow[0][3] == 7.0); /* 3 -> 1 */
    assert_true(fabs(r.sptt - (7 * 10 + 2 * 1)) < 1e-12);
    assert_true(r.unassigned == 0.0);
    cr_assign_result_fini(&r, p.class_count);
    /* with through_from 0 every node may be passed through: the zone-2 path wins */
    p.through_from = 0;
    run(&p, CR_ASSIGN_AON, 1e-4, 1, 1, &r);
    assert_true(r.flow[0][0] == 9.0 && r.flow[0][2] == 7.0 && r.flow[0][1] == 0.0);
    cr_assign_result_fini(&r, p.class_count);
    cr_assign_problem_fini(&p);
}

/* ---- (e) two classes, own networks, PCE on a shared resource ----------------------------- */

/* Zones 0 -> 1. Resources 0 and 1: capacity 100, alpha 1, beta 1.
 *   car (pce 1, 100 trips): link A on resource 0 (fft 10), link B on resource 1 (fft 20)
 *   truck (pce 2.5, 20 trips): only link A' on resource 0 (fft 12)
 * v0 = xA + 2.5 * 20 = xA + 50, v1 = xB = 100 - xA. Car equilibrium:
 *   10 (1 + (xA + 50)/100) = 20 (1 + (100 - xA)/100)  =>  0.3 xA = 25, xA = 250/3,
 *   car cost 10 * (1 + (250/3 + 50)/100) = 70/3, truck cost 12 * 7/3 = 28; objective NAN
 *   (resource 0 carries links of fft 10 and 12). */
static void
test_two_classes(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    const struct res_spec rs[] = { { 100, 1, 1 }, { 100, 1, 1 } };
    const struct link_spec car[] = { { 0, 1, 0, 10, 0 }, { 0, 1, 1, 20, 0 } };
    const struct link_spec truck[] = { { 0, 1, 0, 12, 0 } };
    problem_new(&p, 2, 0, 2);
    set_resources(&p, rs, 2);
    set_class(&p, 0, "car", 1.0, 2, car, 2);
    set_class(&p, 1, "truck", 2.5, 2, truck, 1);
    p.classes[0].demand[1] = 100;
    p.classes[1].demand[1] = 20;
    for (int a = CR_ASSIGN_FW; a <= CR_ASSIGN_BFW; a++) {
        struct cr_assign_result r;
        run(&p, (enum cr_assign_algorithm)a, 1e-10, 10000, 1, &r);
        assert_true(fabs(r.flow[0][0] - 250.0 / 3.0) < 1e-5);
        assert_true(fabs(r.flow[1][0] - 20.0) < 1e-12);
        assert_true(fabs(r.volume[0] - (250.0 / 3.0 + 50.0)) < 1e-5);
        assert_true(fabs(r.cost[0][0] - 70.0 / 3.0) < 1e-5);
        assert_true(fabs(r.cost[1][0] - 28.0) < 1e-5);
        assert_true(isnan(r.objective));
        cr_assign_result_fini(&r, p.class_count);
    }
    cr_assign_problem_fini(&p);
}

/* ---- (f) unreachable trips ----------------------------------------------------------------- */

static void
test_unreachable(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    const struct res_spec rs[] = { { 10, 0.15, 4 } };
    const struct link_spec ls[] = { { 0, 1, 0, 3, 0 } };
    problem_new(&p, 3, 0, 1);
    set_resources(&p, rs, 1);
    set_class(&p, 0, "car", 1.0, 3, ls, 1);
    p.classes[0].demand[0 * 3 + 1] = 5; /* has a path */
    p.classes[0].demand[0 * 3 + 2] = 7; /* zone 2 has no links in */
    p.classes[0].demand[2 * 3 + 0] = 3; /* nor out */
    struct cr_assign_result r;
    run(&p, CR_ASSIGN_BFW, 1e-8, 50, 1, &r);
    assert_true(r.unassigned == 10.0);
    assert_true(r.flow[0][0] == 5.0);
    assert_true(fabs(r.rgap) < 1e-12);
    double t = 3 * (1 + 0.15 * pow(0.5, 4));
    assert_true(fabs(r.aec) < 1e-12 && fabs(r.tstt - 5 * t) < 1e-12);
    cr_assign_result_fini(&r, p.class_count);
    cr_assign_problem_fini(&p);
}

/* ---- (g) threads ------------------------------------------------------------------------ */

/* A 7 x 7 grid, every node a zone, links both ways (fft 1 + (i % 5) / 4, capacity 300 + 20 (i %
 * 7)), demand 1 + (o * 7 + d * 3) % 11 between every pair: a synthetic fixture. */
static void
grid(struct cr_assign_problem *p)
{
    enum { N = 7, V = N * N };
    struct link_spec ls[4 * V];
    struct res_spec rs[4 * V];
    uint32_t n = 0;
    for (uint32_t y = 0; y < N; y++)
        for (uint32_t x = 0; x < N; x++) {
            uint32_t v = y * N + x;
            int nb[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };
            for (int k = 0; k < 4; k++) {
                int nx = (int)x + nb[k][0], ny = (int)y + nb[k][1];
                if (nx < 0 || ny < 0 || nx >= N || ny >= N)
                    continue;
                ls[n] = (struct link_spec){ v, (uint32_t)(ny * N + nx), n, 1 + (n % 5) / 4.0, 0 };
                rs[n] = (struct res_spec){ 300 + 20 * (n % 7), 0.15, 4 };
                n++;
            }
        }
    problem_new(p, V, 0, 1);
    set_resources(p, rs, n);
    set_class(p, 0, "car", 1.0, V, ls, n);
    for (uint32_t o = 0; o < V; o++)
        for (uint32_t d = 0; d < V; d++)
            p->classes[0].demand[o * V + d] = o == d ? 0 : 1 + (o * 7 + d * 3) % 11;
}

static void
test_threads(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    grid(&p);
    for (int a = CR_ASSIGN_AON; a <= CR_ASSIGN_BFW; a++) {
        struct cr_assign_result r1, r2;
        run(&p, (enum cr_assign_algorithm)a, 1e-12, 30, 1, &r1);
        run(&p, (enum cr_assign_algorithm)a, 1e-12, 30, 2, &r2);
        assert_int_equal(r1.iterations, r2.iterations);
        assert_memory_equal(r1.flow[0], r2.flow[0], p.classes[0].link_count * sizeof(double));
        assert_true(r1.rgap == r2.rgap);
        if (a >= CR_ASSIGN_CFW) /* a congested grid: 30 iterations of CFW, BFW reach 0.4% */
            assert_true(r1.rgap < 5e-3);
        cr_assign_result_fini(&r1, p.class_count);
        cr_assign_result_fini(&r2, p.class_count);
    }
    cr_assign_problem_fini(&p);
}

/* ---- (h) the problem check ---------------------------------------------------------------- */

static void
check_fails(const struct cr_assign_problem *p, const char *want)
{
    struct cr_error err = { 0 };
    assert_int_equal(cr_assign_problem_check(p, &err), CR_EINVAL);
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
    struct cr_assign_options o = CR_ASSIGN_OPTIONS_DEFAULT;
    struct cr_assign_result r;
    assert_int_equal(cr_assign_run(p, &o, &r, &err), CR_EINVAL);
    assert_null(r.flow);
}

static void
test_check(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    struct cr_error err = { 0 };
    parallel_fixed(&p);
    assert_int_equal(cr_assign_problem_check(&p, &err), CR_OK);
    p.res.capacity[0] = 0;
    check_fails(&p, "resource 0: capacity 0");
    p.res.capacity[0] = 10;
    p.res.vdf[0] = CR_VDF_CONICAL; /* alpha 1 is not a conical alpha */
    check_fails(&p, "resource 0: conical alpha 1");
    p.res.vdf[0] = CR_VDF_BPR;
    p.classes[0].pce = -1;
    check_fails(&p, "class car: pce -1");
    p.classes[0].pce = 1;
    p.classes[0].head[1] = 5;
    check_fails(&p, "class car: link 1: head 5 of 2 nodes");
    p.classes[0].head[1] = 1;
    p.classes[0].resource[1] = 3;
    check_fails(&p, "class car: link 1: resource 3 of 1");
    p.classes[0].resource[1] = NO;
    p.classes[0].fft[0] = NAN;
    check_fails(&p, "class car: link 0: free-flow time nan");
    p.classes[0].fft[0] = 10;
    p.classes[0].demand[1] = -2;
    check_fails(&p, "class car: demand from zone 0 to zone 1: -2 trips");
    p.classes[0].demand[1] = 10;
    p.classes[0].tail[1] = 1;
    check_fails(&p, "class car: link 1: tail 1, but it lies in node 0's links");
    p.classes[0].tail[1] = 0;
    p.classes[0].first_out[2] = 1;
    check_fails(&p, "class car: first_out runs 0 .. 1, not 0 .. 2 links");
    p.classes[0].first_out[2] = 2;
    assert_int_equal(cr_assign_problem_check(&p, &err), CR_OK);
    cr_assign_problem_fini(&p);
    cr_assign_problem_fini(&p); /* twice: fini zeroes */
}

static void
test_names(void **state)
{
    (void)state;
    for (int a = 0; a < CR_ASSIGN_ALGORITHM_COUNT; a++)
        assert_int_equal(cr_assign_algorithm_parse(cr_assign_algorithm_name(a)), a);
    assert_int_equal(cr_assign_algorithm_parse("B"), CR_ASSIGN_B);
    assert_int_equal(cr_assign_algorithm_parse("BFW"), CR_ASSIGN_BFW);
    assert_int_equal(cr_assign_algorithm_parse("tapas"), -1);
    assert_string_equal(cr_assign_algorithm_name(CR_ASSIGN_CFW), "cfw");
}

/* The progress callback sees every iteration and can stop the run. */
static int
stop_at_3(const struct cr_assign_iteration *it, void *user)
{
    unsigned *seen = user;
    assert_int_equal(it->iteration, *seen + 1);
    assert_true(it->rgap >= 0.0 && it->aec >= 0.0 && isfinite(it->objective));
    *seen = it->iteration;
    return it->iteration >= 3;
}

static void
test_progress(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    grid(&p);
    unsigned seen = 0;
    struct cr_assign_options o = CR_ASSIGN_OPTIONS_DEFAULT;
    struct cr_assign_result r;
    struct cr_error err = { 0 };
    o.gap = 1e-14;
    o.progress = stop_at_3;
    o.user = &seen;
    assert_int_equal(cr_assign_run(&p, &o, &r, &err), CR_OK);
    assert_int_equal(seen, 3);
    assert_int_equal(r.iterations, 3);
    assert_true(r.stopped && !r.converged);
    /* the reported gap is the gap of the returned flows */
    struct cr_assign_result m = { 0 };
    assert_int_equal(cr_assign_measure(&p, r.flow, 2, &m, &err), CR_OK);
    assert_true(fabs(m.rgap - r.rgap) < 1e-12 && fabs(m.objective - r.objective) < 1e-9);
    cr_assign_result_fini(&r, p.class_count);
    cr_assign_problem_fini(&p);
}

/* ---- published networks ------------------------------------------------------------------ */

static int
tntp_load(const char *name, double distance_factor, struct cr_assign_problem *p,
          struct cr_tntp_flow *ref)
{
    char net[512], trips[512], flow[512];
    struct cr_error err = { 0 };
    snprintf(net, sizeof net, TNTP "%s_net.tntp", name);
    snprintf(trips, sizeof trips, TNTP "%s_trips.tntp", name);
    snprintf(flow, sizeof flow, TNTP "%s_flow.tntp", name);
    FILE *f = fopen(net, "r");
    if (!f) {
        print_message("skipped: %s absent (the team's shared data)\n", net);
        return 0;
    }
    fclose(f);
    if (cr_assign_tntp_load(net, trips, 0.0, distance_factor, p, &err) ||
        cr_tntp_flow_read(flow, ref, &err))
        fail_msg("%s", err.msg);
    return 1;
}

/* Every algorithm to 1e-4 on NAME: iterations and seconds printed. */
static void
tntp_table(const char *name, const struct cr_assign_problem *p, unsigned threads)
{
    for (int a = CR_ASSIGN_AON; a <= CR_ASSIGN_BFW; a++) {
        struct cr_assign_result r;
        unsigned max_iter = a == CR_ASSIGN_MSA || a == CR_ASSIGN_FW ? 2000 : 1000;
        run(p, (enum cr_assign_algorithm)a, 1e-4, max_iter, threads, &r);
        print_message("%s, %s, %u thread(s): %u iterations, %.3f s, rgap %.3g, AEC %.4g, "
                      "objective %.10g\n",
                      name, cr_assign_algorithm_name(a), threads, r.iterations, r.seconds, r.rgap,
                      r.aec, r.objective);
        cr_assign_result_fini(&r, p->class_count);
    }
}

static void
test_siouxfalls(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    struct cr_tntp_flow ref = { 0 };
    struct cr_error err = { 0 };
    if (!tntp_load("SiouxFalls", 0.0, &p, &ref))
        skip();
    struct cr_assign_result r;
    run(&p, CR_ASSIGN_BFW, 1e-4, 1000, 2, &r);
    assert_true(r.converged && r.rgap <= 1e-4);
    struct cr_assign_tntp_comparison c;
    if (cr_assign_tntp_compare(&p, r.flow[0], &ref, TNTP "SiouxFalls_flow.tntp", &c, &err))
        fail_msg("%s", err.msg);
    print_message("SiouxFalls, bfw to 1e-4: %u iterations; largest link-flow difference %.3g%% "
                  "(%u -> %u), RMSE %.3g, objective %.10g vs %.10g (%.3g)\n",
                  r.iterations, 100 * c.max_rel_diff, c.max_init, c.max_term, c.rmse, c.objective,
                  c.objective_reference, c.objective_rel_diff);
    assert_true(c.max_rel_diff < 0.05);
    assert_true(fabs(c.objective_rel_diff) < 1e-4);
    assert_true(fabs(r.objective - c.objective) < 1e-9 * c.objective);
    cr_assign_result_fini(&r, p.class_count);
    tntp_table("SiouxFalls", &p, 1);
    cr_tntp_flow_fini(&ref);
    cr_assign_problem_fini(&p);
}

/* ChicagoSketch (distance factor 0.04: assign_tntp.h) when CR_ASSIGN_BENCH is set: seconds. */
static void
test_chicago(void **state)
{
    (void)state;
    struct cr_assign_problem p;
    struct cr_tntp_flow ref = { 0 };
    if (!getenv("CR_ASSIGN_BENCH")) {
        print_message("skipped: set CR_ASSIGN_BENCH=1 for ChicagoSketch\n");
        skip();
    }
    if (!tntp_load("ChicagoSketch", 0.04, &p, &ref))
        skip();
    struct cr_assign_result r;
    struct cr_assign_tntp_comparison c;
    struct cr_error err = { 0 };
    run(&p, CR_ASSIGN_BFW, 1e-4, 1000, 2, &r);
    if (cr_assign_tntp_compare(&p, r.flow[0], &ref, TNTP "ChicagoSketch_flow.tntp", &c, &err))
        fail_msg("%s", err.msg);
    print_message("ChicagoSketch, bfw to 1e-4: %u iterations; largest link-flow difference "
                  "%.3g%% (%u -> %u), RMSE %.3g, objective %.10g vs %.10g (%.3g)\n",
                  r.iterations, 100 * c.max_rel_diff, c.max_init, c.max_term, c.rmse, c.objective,
                  c.objective_reference, c.objective_rel_diff);
    assert_true(r.converged);
    cr_assign_result_fini(&r, p.class_count);
    tntp_table("ChicagoSketch", &p, 2);
    tntp_table("ChicagoSketch", &p, 1);
    cr_tntp_flow_fini(&ref);
    cr_assign_problem_fini(&p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gap_by_hand),
        cmocka_unit_test(test_parallel_linear),
        cmocka_unit_test(test_parallel_quartic),
        cmocka_unit_test(test_braess),
        cmocka_unit_test(test_through_zones),
        cmocka_unit_test(test_two_classes),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_siouxfalls),
        cmocka_unit_test(test_chicago),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
