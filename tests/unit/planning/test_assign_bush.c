/*
 * Algorithm B (planning/assign_bush.h) on networks drawn by hand, with equilibria solved by hand:
 *
 * - two parallel links t = 1 + x and t = 2 + x, 10 trips: 5.5 and 4.5 (both cost 6.5);
 * - Braess: s-a 1+10x, a-t 50+x, s-b 50+x, b-t 1+10x, a-b 10+x, 6 trips: the outer paths carry
 *   27/13 each, the inner one 24/13, all cost 92 4/13;
 * - a zone on the short way (0 -> 2 -> 1 costs 2, 0 -> 3 -> 1 costs 10): never passed through;
 * - zero-cost links both ways between two nodes (a 2-cycle of ties) in front of parallel links;
 * - two classes sharing two resources: cars (pce 1) may use both parallel links, trucks (pce 2,
 *   2 vehicles) only the first: cars split 3.5 / 6.5, all at cost 8.5; and again with trucks of
 *   twice the free-flow time allowed on both links but tolled 1 on the second: they keep to the
 *   first (17 < 18), cars split as before, and the objective is NAN (no Beckmann potential);
 * - SiouxFalls of ../shared (skipped when absent) to relative gap 1e-10: every link flow within
 *   0.1% of the best-known flow (relative to max(best, 1)), Beckmann's objective within 1e-6.
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

#include "planning/assign.h"
#include "planning/assign_bush.h"
#include "planning/assign_tntp.h"

#define TNTP CR_SOURCE_DIR "/../shared/datasets/tntp/"

#define MAXL 16
#define MAXN 8

struct net {
    struct cr_assign_problem p;
    struct cr_assign_class cls[2];
    double cap[MAXL], alpha[MAXL], beta[MAXL];
    uint8_t vdf[MAXL];
    uint32_t first_out[2][MAXN + 1], tail[2][MAXL], head[2][MAXL], res[2][MAXL];
    double fft[2][MAXL], fixed[2][MAXL], demand[2][MAXN * MAXN];
    double *flow[2], *cost[2], volume[MAXL];
    struct cr_assign_result out;
};

/* Resource r: t = fft (1 + alpha v / cap), BPR of power 1. */
static void
resource(struct net *n, uint32_t r, double alpha, double cap)
{
    n->cap[r] = cap;
    n->alpha[r] = alpha;
    n->beta[r] = 1.0;
    n->vdf[r] = CR_VDF_BPR;
    if (r + 1 > n->p.res.count)
        n->p.res.count = r + 1;
}

/* Link of class k from TAIL to HEAD (added in tail order) on resource R. */
static void
link(struct net *n, size_t k, uint32_t tail, uint32_t head, uint32_t r, double fft)
{
    struct cr_assign_class *c = &n->cls[k];
    uint32_t l = c->link_count++;
    n->tail[k][l] = tail;
    n->head[k][l] = head;
    n->res[k][l] = r;
    n->fft[k][l] = fft;
    n->fixed[k][l] = 0.0;
    for (uint32_t v = tail + 1; v <= MAXN; v++)
        n->first_out[k][v] = l + 1;
}

static void
setup(struct net *n, uint32_t zones, uint32_t through_from, uint32_t nodes, size_t classes)
{
    memset(n, 0, sizeof *n);
    n->p.zone_count = zones;
    n->p.through_from = through_from;
    n->p.res = (struct cr_assign_resources){ 0, n->cap, n->alpha, n->beta, n->vdf };
    n->p.class_count = classes;
    n->p.classes = n->cls;
    for (size_t k = 0; k < classes; k++) {
        struct cr_assign_class *c = &n->cls[k];
        snprintf(c->name, sizeof c->name, "class%zu", k);
        c->pce = 1.0;
        c->node_count = nodes;
        c->first_out = n->first_out[k];
        c->tail = n->tail[k];
        c->head = n->head[k];
        c->resource = n->res[k];
        c->fft = n->fft[k];
        c->fixed = n->fixed[k];
        c->demand = n->demand[k];
    }
}

static void
solve(struct net *n, double gap)
{
    static double flows[2][MAXL], costs[2][MAXL];
    struct cr_assign_options o = CR_ASSIGN_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    o.algorithm = CR_ASSIGN_B;
    o.gap = gap;
    o.max_iter = 100;
    memset(flows, 0, sizeof flows);
    memset(costs, 0, sizeof costs);
    for (size_t k = 0; k < 2; k++) {
        n->flow[k] = flows[k];
        n->cost[k] = costs[k];
    }
    memset(&n->out, 0, sizeof n->out);
    n->out.flow = n->flow;
    n->out.cost = n->cost;
    n->out.volume = n->volume;
    if (cr_assign_bush(&n->p, &o, &n->out, &err))
        fail_msg("%s", err.msg);
    if (!n->out.converged)
        fail_msg("gap %g after %u iterations", n->out.rgap, n->out.iterations);
}

static void
near(double got, double want, const char *what)
{
    if (fabs(got - want) > 1e-6 * (1.0 + fabs(want)))
        fail_msg("%s: got %.12g, want %.12g", what, got, want);
}

static void
parallel_links(void **state)
{
    struct net n;
    (void)state;
    setup(&n, 2, 2, 2, 1);
    resource(&n, 0, 1.0, 1.0);
    resource(&n, 1, 1.0, 2.0);
    link(&n, 0, 0, 1, 0, 1.0);
    link(&n, 0, 0, 1, 1, 2.0);
    n.demand[0][0 * 2 + 1] = 10.0;
    solve(&n, 1e-12);
    near(n.flow[0][0], 5.5, "link 1");
    near(n.flow[0][1], 4.5, "link 2");
    near(n.cost[0][0], 6.5, "cost 1");
    near(n.out.tstt, 65.0, "TSTT");
}

static void
braess(void **state)
{
    struct net n;
    (void)state;
    /* 0 = s, 1 = t, 2 = a, 3 = b; everything may be passed through */
    setup(&n, 2, 0, 4, 1);
    resource(&n, 0, 10.0, 1.0); /* s-a: 1 + 10x */
    resource(&n, 1, 1.0, 50.0); /* s-b: 50 + x */
    resource(&n, 2, 1.0, 50.0); /* a-t: 50 + x */
    resource(&n, 3, 1.0, 10.0); /* a-b: 10 + x */
    resource(&n, 4, 10.0, 1.0); /* b-t: 1 + 10x */
    link(&n, 0, 0, 2, 0, 1.0);
    link(&n, 0, 0, 3, 1, 50.0);
    link(&n, 0, 2, 1, 2, 50.0);
    link(&n, 0, 2, 3, 3, 10.0);
    link(&n, 0, 3, 1, 4, 1.0);
    n.demand[0][0 * 2 + 1] = 6.0;
    solve(&n, 1e-12);
    near(n.flow[0][0], 51.0 / 13.0, "s-a");
    near(n.flow[0][1], 27.0 / 13.0, "s-b");
    near(n.flow[0][2], 27.0 / 13.0, "a-t");
    near(n.flow[0][3], 24.0 / 13.0, "a-b");
    near(n.flow[0][4], 51.0 / 13.0, "b-t");
    near(n.out.sptt, 6.0 * (92.0 + 4.0 / 13.0), "SPTT");
}

static void
zones_not_passed_through(void **state)
{
    struct net n;
    (void)state;
    /* zones 0, 1, 2; node 3 a junction; no congestion at all */
    setup(&n, 3, 3, 4, 1);
    link(&n, 0, 0, 2, CR_ASSIGN_NO_RESOURCE, 1.0);
    link(&n, 0, 0, 3, CR_ASSIGN_NO_RESOURCE, 5.0);
    link(&n, 0, 2, 1, CR_ASSIGN_NO_RESOURCE, 1.0);
    link(&n, 0, 3, 1, CR_ASSIGN_NO_RESOURCE, 5.0);
    n.demand[0][0 * 3 + 1] = 10.0;
    n.demand[0][0 * 3 + 2] = 1.0;
    solve(&n, 1e-12);
    near(n.flow[0][0], 1.0, "0-2 (to zone 2 only)");
    near(n.flow[0][1], 10.0, "0-3");
    near(n.flow[0][2], 0.0, "2-1 (through zone 2)");
    near(n.flow[0][3], 10.0, "3-1");
}

static void
zero_cost_cycle(void **state)
{
    struct net n;
    (void)state;
    /* 0 -> 2 free, 2 <-> 3 free both ways, 2 -> 1: 1 + x, 3 -> 1: 2 + x */
    setup(&n, 2, 2, 4, 1);
    resource(&n, 0, 1.0, 1.0);
    resource(&n, 1, 1.0, 2.0);
    link(&n, 0, 0, 2, CR_ASSIGN_NO_RESOURCE, 0.0);
    link(&n, 0, 2, 1, 0, 1.0);
    link(&n, 0, 2, 3, CR_ASSIGN_NO_RESOURCE, 0.0);
    link(&n, 0, 3, 1, 1, 2.0);
    link(&n, 0, 3, 2, CR_ASSIGN_NO_RESOURCE, 0.0);
    n.demand[0][0 * 2 + 1] = 10.0;
    solve(&n, 1e-12);
    near(n.flow[0][1], 5.5, "2-1");
    near(n.flow[0][3], 4.5, "3-1");
    near(n.flow[0][2], 4.5, "2-3");
    near(n.flow[0][4], 0.0, "3-2");
}

static void
two_classes(void **state)
{
    struct net n;
    (void)state;
    setup(&n, 2, 2, 2, 2);
    resource(&n, 0, 1.0, 1.0);
    resource(&n, 1, 1.0, 2.0);
    link(&n, 0, 0, 1, 0, 1.0);
    link(&n, 0, 0, 1, 1, 2.0);
    link(&n, 1, 0, 1, 0, 1.0); /* trucks: the first link only */
    n.cls[1].pce = 2.0;
    n.demand[0][0 * 2 + 1] = 10.0;
    n.demand[1][0 * 2 + 1] = 2.0;
    solve(&n, 1e-12);
    near(n.flow[0][0], 3.5, "cars on link 1");
    near(n.flow[0][1], 6.5, "cars on link 2");
    near(n.flow[1][0], 2.0, "trucks");
    near(n.volume[0], 7.5, "PCE on link 1");
    near(n.cost[1][0], 8.5, "truck cost");
}

static void
two_classes_asymmetric(void **state)
{
    struct net n;
    (void)state;
    setup(&n, 2, 2, 2, 2);
    resource(&n, 0, 1.0, 1.0);
    resource(&n, 1, 1.0, 2.0);
    link(&n, 0, 0, 1, 0, 1.0);
    link(&n, 0, 0, 1, 1, 2.0);
    link(&n, 1, 0, 1, 0, 2.0); /* trucks: twice the free-flow time, and a toll of 1 on link 2 */
    link(&n, 1, 0, 1, 1, 4.0);
    n.fixed[1][1] = 1.0;
    n.cls[1].pce = 2.0;
    n.demand[0][0 * 2 + 1] = 10.0;
    n.demand[1][0 * 2 + 1] = 2.0;
    solve(&n, 1e-12);
    near(n.flow[0][0], 3.5, "cars on link 1");
    near(n.flow[0][1], 6.5, "cars on link 2");
    near(n.flow[1][0], 2.0, "trucks on link 1");
    near(n.flow[1][1], 0.0, "trucks on link 2");
    near(n.cost[1][0], 17.0, "truck cost on link 1");
    near(n.cost[1][1], 18.0, "truck cost on link 2");
    assert_true(isnan(n.out.objective));
}

static int
file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static void
sioux_falls_best_known(void **state)
{
    const char *net = TNTP "SiouxFalls_net.tntp", *trips = TNTP "SiouxFalls_trips.tntp";
    const char *best = TNTP "SiouxFalls_flow.tntp";
    (void)state;
    if (!file_exists(net) || !file_exists(trips) || !file_exists(best)) {
        print_message("skipped: %s absent (the team's shared data)\n", net);
        skip();
    }
    struct cr_assign_problem p;
    struct cr_assign_result r;
    struct cr_tntp_flow ref;
    struct cr_assign_tntp_comparison cmp;
    struct cr_error err = { 0 };
    struct cr_assign_options o = CR_ASSIGN_OPTIONS_DEFAULT;
    o.algorithm = CR_ASSIGN_B;
    o.gap = 1e-10;
    o.max_iter = 200;
    if (cr_assign_tntp_load(net, trips, NAN, NAN, &p, &err))
        fail_msg("%s", err.msg);
    if (cr_assign_run(&p, &o, &r, &err) || cr_tntp_flow_read(best, &ref, &err) ||
        cr_assign_tntp_compare(&p, r.flow[0], &ref, best, &cmp, &err))
        fail_msg("%s", err.msg);
    print_message("SiouxFalls: gap %.3g after %u iterations (%.3f s), largest link difference "
                  "%.3g (%u-%u), objective %.12g (best-known %.12g)\n",
                  r.rgap, r.iterations, r.seconds, cmp.max_rel_diff, cmp.max_init, cmp.max_term,
                  cmp.objective, cmp.objective_reference);
    assert_true(r.converged);
    assert_true(r.rgap <= 1e-10);
    assert_int_equal(cmp.links, 76);
    if (cmp.max_rel_diff > 1e-3)
        fail_msg("link %u-%u differs by %g", cmp.max_init, cmp.max_term, cmp.max_rel_diff);
    if (fabs(cmp.objective_rel_diff) > 1e-6)
        fail_msg("objective differs by %g", cmp.objective_rel_diff);
    cr_tntp_flow_fini(&ref);
    cr_assign_result_fini(&r, p.class_count);
    cr_assign_problem_fini(&p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parallel_links),
        cmocka_unit_test(braess),
        cmocka_unit_test(zones_not_passed_through),
        cmocka_unit_test(zero_cost_cycle),
        cmocka_unit_test(two_classes),
        cmocka_unit_test(two_classes_asymmetric),
        cmocka_unit_test(sioux_falls_best_known),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
