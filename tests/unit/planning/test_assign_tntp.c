/* A TNTP network as an assignment problem: a small synthetic network (written by the test) for
 * exact values, the comparison with a flow file and its errors, the link CSV; SiouxFalls,
 * Barcelona and ChicagoSketch from ../shared when present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "planning/assign_tntp.h"

#define SHARED CR_SOURCE_DIR "/../shared/datasets/tntp/"

static char dir[64];

static const char *
write_tmp(const char *name, const char *text)
{
    static char path[8][128];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return p;
}

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_assign_tntp.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Synthetic: links out of file order by init node, factors in the metadata. */
static const char net_text[] = "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 3\n"
                               "<NUMBER OF LINKS> 4\n<TOLL FACTOR> 0.5\n<DISTANCE FACTOR> 0.25\n"
                               "<END OF METADATA>\n"
                               "2 3 200 4 2 0.15 4 0 2 1;\n"
                               "1 3 100 2 1 0.15 4 0 0 1;\n"
                               "3 2 200 4 2 0.15 4 0 0 1;\n"
                               "3 1 100 2 1 0.5 2 0 0 1;\n";
static const char trips_text[] = "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 150\n<END OF METADATA>\n"
                                 "Origin 1\n 2 : 100;\nOrigin 2\n 1 : 50;\n";

static void
small_problem(void **state)
{
    struct cr_error err = { CR_OK, "" };
    struct cr_assign_problem p;
    (void)state;
    const char *net = write_tmp("s_net.tntp", net_text);
    const char *trips = write_tmp("s_trips.tntp", trips_text);

    if (cr_assign_tntp_load(net, trips, NAN, NAN, &p, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(p.zone_count, 2);
    assert_int_equal(p.through_from, 2);
    assert_int_equal(p.class_count, 1);
    const struct cr_assign_class *c = &p.classes[0];
    assert_string_equal(c->name, "tntp");
    assert_true(c->pce == 1);
    assert_int_equal(c->node_count, 3);
    assert_int_equal(c->link_count, 4);
    static const uint32_t first_out[] = { 0, 1, 2, 4 }, tail[] = { 0, 1, 2, 2 },
                          head[] = { 2, 2, 1, 0 };
    static const double fixed[] = { 0.5, 1 + 1, 1, 0.5 }; /* 0.5 toll + 0.25 length */
    for (int i = 0; i < 4; i++) {
        assert_int_equal(c->first_out[i], first_out[i]);
        assert_int_equal(c->tail[i], tail[i]);
        assert_int_equal(c->head[i], head[i]);
        assert_int_equal(c->resource[i], i);
        assert_true(fabs(c->fixed[i] - fixed[i]) < 1e-15);
    }
    assert_true(c->fft[3] == 1 && p.res.capacity[3] == 100 && p.res.alpha[3] == 0.5 &&
                p.res.beta[3] == 2 && p.res.vdf[3] == CR_VDF_BPR);
    assert_true(c->demand[0] == 0 && c->demand[1] == 100 && c->demand[2] == 50 &&
                c->demand[3] == 0);
    cr_assign_problem_fini(&p);

    /* the caller's factors win */
    if (cr_assign_tntp_load(net, trips, 0, 1, &p, &err))
        fail_msg("%s", err.msg);
    assert_true(p.classes[0].fixed[1] == 4 && p.classes[0].fixed[0] == 2);
    cr_assign_problem_fini(&p);
}

static void
compare_and_csv(void **state)
{
    struct cr_error err = { CR_OK, "" };
    struct cr_assign_problem p;
    struct cr_tntp_flow ref;
    struct cr_assign_tntp_comparison cmp;
    (void)state;
    const char *net = write_tmp("c_net.tntp", net_text);
    const char *trips = write_tmp("c_trips.tntp", trips_text);
    const char *flow = write_tmp("c_flow.tntp", "From To Volume Cost\n1 3 100 0\n2 3 50 0\n"
                                                "3 2 100 0\n3 1 0.5 0\n");
    if (cr_assign_tntp_load(net, trips, 0, 0, &p, &err) || cr_tntp_flow_read(flow, &ref, &err))
        fail_msg("%s", err.msg);
    /* ours, in CSR order: 1->3, 2->3, 3->2, 3->1 */
    double x[4] = { 100, 50, 99, 0 };
    if (cr_assign_tntp_compare(&p, x, &ref, flow, &cmp, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(cmp.links, 4);
    /* 3->2: 1/100 = 0.01; 3->1: 0.5 / max(0.5, 1) = 0.5 */
    assert_true(fabs(cmp.max_rel_diff - 0.5) < 1e-15);
    assert_int_equal(cmp.max_init, 3);
    assert_int_equal(cmp.max_term, 1);
    assert_true(cmp.max_abs_diff == 1);
    assert_true(fabs(cmp.rmse - sqrt((1 + 0.25) / 4)) < 1e-15);
    /* Beckmann by hand: fft * (x + alpha cap x^(b+1) / ((b+1) cap^(b+1))) */
    double z = 1 * (100 + 0.15 * 100 / 5) + 2 * (50 + 0.15 * 50 * pow(50.0 / 200, 4) / 5) +
               2 * (99 + 0.15 * 99 * pow(99.0 / 200, 4) / 5) + 0;
    assert_true(fabs(cmp.objective - z) < 1e-9 * z);
    assert_true(cmp.objective_reference > cmp.objective);

    FILE *f = tmpfile();
    char buf[512];
    assert_non_null(f);
    cr_assign_tntp_write_csv(f, &p, x, NULL);
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_string_equal(buf, "init_node,term_node,flow,cost,volume_capacity\n"
                             "1,3,100,1.15,1\n"
                             "2,3,50,2.001171875,0.25\n"
                             "3,2,99,2.018011175,0.495\n"
                             "3,1,0,1,0\n");
    cr_tntp_flow_fini(&ref);
    cr_assign_problem_fini(&p);
}

static void
compare_errors(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "From To Volume Cost\n1 3 1 0\n2 3 1 0\n3 2 1 0\n", "no row for link 3 -> 1" },
        { "From To Volume Cost\n1 3 1 0\n2 3 1 0\n3 2 1 0\n3 1 1 0\n1 2 1 0\n",
          "line 6: no link 1 -> 2 in the network" },
        { "From To Volume Cost\n1 3 1 0\n2 3 1 0\n1 3 1 0\n", "line 4: link 1 -> 3 given twice" },
    };
    struct cr_error err = { CR_OK, "" };
    struct cr_assign_problem p;
    double x[4] = { 0, 0, 0, 0 };
    (void)state;
    if (cr_assign_tntp_load(write_tmp("e_net.tntp", net_text),
                            write_tmp("e_trips.tntp", trips_text), NAN, NAN, &p, &err))
        fail_msg("%s", err.msg);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct cr_tntp_flow ref;
        struct cr_assign_tntp_comparison cmp;
        char want[300];
        const char *path = write_tmp("e_flow.tntp", cases[i].text);
        if (cr_tntp_flow_read(path, &ref, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(cr_assign_tntp_compare(&p, x, &ref, path, &cmp, &err), CR_EFORMAT);
        snprintf(want, sizeof want, "%s: %s", path, cases[i].want);
        assert_string_equal(err.msg, want);
        cr_tntp_flow_fini(&ref);
    }
    cr_assign_problem_fini(&p);

    /* zone counts of net and trips that differ */
    const char *trips3 = write_tmp("e3_trips.tntp", "<NUMBER OF ZONES> 3\n<TOTAL OD FLOW> 0\n"
                                                    "<END OF METADATA>\n");
    assert_int_equal(
        cr_assign_tntp_load(write_tmp("e_net.tntp", net_text), trips3, NAN, NAN, &p, &err),
        CR_EINVAL);
    assert_non_null(strstr(err.msg, "e3_trips.tntp: 3 zones but"));
    assert_null(p.classes);
}

/* A published network built and compared with its own best-known flows. */
static void
published(const char *name, double distance_factor, uint32_t links, double total,
          uint32_t through_from)
{
    char net[512], trips[512], flow[512];
    struct cr_error err = { CR_OK, "" };
    struct cr_assign_problem p;
    struct cr_tntp_flow ref;
    struct cr_assign_tntp_comparison cmp;

    snprintf(net, sizeof net, SHARED "%s_net.tntp", name);
    snprintf(trips, sizeof trips, SHARED "%s_trips.tntp", name);
    snprintf(flow, sizeof flow, SHARED "%s_flow.tntp", name);
    if (access(net, R_OK) != 0) {
        print_message("skipped: %s absent (the team's shared data)\n", net);
        skip();
    }
    if (cr_assign_tntp_load(net, trips, NAN, distance_factor, &p, &err) ||
        cr_tntp_flow_read(flow, &ref, &err))
        fail_msg("%s", err.msg);
    const struct cr_assign_class *c = &p.classes[0];
    assert_int_equal(c->link_count, links);
    assert_int_equal(p.res.count, links);
    assert_int_equal(p.through_from, through_from);
    double sum = 0;
    for (size_t i = 0; i < (size_t)p.zone_count * p.zone_count; i++)
        sum += c->demand[i];
    assert_true(fabs(sum - total) <= 1e-9 * total);

    /* the reference against itself: no difference; costs the file's Cost column */
    double *x = calloc(links, sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < ref.count; i++)
        for (uint32_t l = c->first_out[ref.rows[i].from - 1]; l < c->first_out[ref.rows[i].from];
             l++)
            if (c->head[l] == ref.rows[i].to - 1) {
                x[l] = ref.rows[i].volume;
                double t = c->fft[l] * cr_vdf_factor(&p.res, l, x[l]) + c->fixed[l];
                if (!(fabs(t - ref.rows[i].cost) <= 1e-9 * fmax(ref.rows[i].cost, 1e-9)))
                    fail_msg("%s: link %u -> %u costs %.17g, the file %.17g", name,
                             ref.rows[i].from, ref.rows[i].to, t, ref.rows[i].cost);
            }
    if (cr_assign_tntp_compare(&p, x, &ref, flow, &cmp, &err))
        fail_msg("%s", err.msg);
    assert_true(cmp.max_rel_diff == 0 && cmp.rmse == 0 && cmp.objective_rel_diff == 0);
    assert_true(cmp.objective > 0);
    print_message("%s: %u links, demand %.10g, Beckmann objective of the best-known flows "
                  "%.12g\n",
                  name, links, sum, cmp.objective_reference);
    free(x);
    cr_tntp_flow_fini(&ref);
    cr_assign_problem_fini(&p);
}

static void
sioux_falls(void **state)
{
    (void)state;
    published("SiouxFalls", NAN, 76, 360600, 0);
}

static void
barcelona(void **state)
{
    (void)state;
    published("Barcelona", NAN, 2522, 184679.561, 110);
}

static void
chicago_sketch(void **state)
{
    (void)state;
    published("ChicagoSketch", 0.04, 2950, 1260907.4400005303, 0);
}

static void
anaheim(void **state)
{
    (void)state;
    published("Anaheim", NAN, 914, 104694.40, 38);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_problem),  cmocka_unit_test(compare_and_csv),
        cmocka_unit_test(compare_errors), cmocka_unit_test(sioux_falls),
        cmocka_unit_test(barcelona),      cmocka_unit_test(chicago_sketch),
        cmocka_unit_test(anaheim),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
