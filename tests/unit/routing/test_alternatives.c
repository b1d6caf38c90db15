/* Alternative routes (routing/alternatives.c) and exclude= (routing/exclude.c) on
 * tests/maps/alternatives.osm (drawn in alternatives.txt): three roads between two junctions. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/geo.h"
#include "core/graph.h"
#include "core/snap.h"
#include "importers/osm/osm_import.h"
#include "routing/alternatives.h"
#include "routing/profile.h"
#include "routing/route.h"

#include "testnet.h"

#define MAP CR_SOURCE_DIR "/tests/maps/alternatives.osm"
#define U 10000 /* 0.001 degrees in e7 */

struct fixture {
    struct net n;
    struct cr_engine e;
    struct cr_router *r;
    struct cr_place a, b;
};

static void
open_fixture(struct fixture *f, const char *exclude)
{
    struct cr_profile p;
    struct cr_error err = { 0 };

    net_open(&f->n, MAP);
    if (cr_profile_load("car", NULL, &p, &err))
        fail_msg("%s", err.msg);
    if (exclude && cr_profile_set_exclude(&p, exclude, &err))
        fail_msg("%s", err.msg);
    if (cr_engine_init(&f->e, f->n.v, f->n.snap, &p, CR_METRIC_TIME, &err))
        fail_msg("%s", err.msg);
    f->e.max_snap_m = 200;
    f->r = cr_router_create(&f->e, &err);
    assert_non_null(f->r);
    if (cr_engine_place(&f->e, 1060000000 + 1 * U, 100000000, &f->a, &err) ||
        cr_engine_place(&f->e, 1060000000 + 13 * U, 100000000, &f->b, &err))
        fail_msg("%s", err.msg);
}

static void
close_fixture(struct fixture *f)
{
    cr_router_destroy(f->r);
    cr_engine_fini(&f->e);
    net_close(&f->n);
}

/* Whether route R passes an edge of the way named NAME. */
static int
uses(const struct fixture *f, const struct cr_route *r, const char *name)
{
    const struct cr_graph_view *v = f->n.v;
    for (uint32_t i = 0; i < r->edge_count; i++) {
        uint32_t way = v->segment_way[v->edge_segment[r->edges[i]] & ~CR_SEGMENT_REVERSED];
        if (!strcmp(cr_graph_string(v, v->ways[way].name), name))
            return 1;
    }
    return 0;
}

/* Consecutive edges of R meet: the head of one is the tail of the next (a valid path). */
static void
assert_connected(const struct fixture *f, const struct cr_route *r)
{
    const struct cr_graph_view *v = f->n.v;
    for (uint32_t i = 0; i + 1 < r->edge_count; i++) {
        uint32_t e = r->edges[i + 1], seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
        uint32_t tail =
            v->segment_node[2 * seg + ((v->edge_segment[e] & CR_SEGMENT_REVERSED) != 0)];
        assert_int_equal(v->head[r->edges[i]], tail);
    }
}

static void
two_alternatives_differ_and_obey_the_criteria(void **state)
{
    struct fixture f;
    struct cr_route out[1 + CR_ALT_MAX];
    struct cr_alt_options o = CR_ALT_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    size_t n = 0;

    (void)state;
    open_fixture(&f, NULL);
    o.alternatives = 2;
    assert_int_equal(cr_router_alternatives(f.r, &f.a, &f.b, &o, out, &n, &err), CR_OK);
    assert_int_equal(n, 3);
    assert_true(uses(&f, &out[0], "Toll road"));
    assert_true(uses(&f, &out[1], "Expressway")); /* faster than the North road */
    assert_true(uses(&f, &out[2], "North road"));
    for (size_t i = 0; i < n; i++) {
        assert_true(out[i].weight >= out[0].weight);
        assert_true((double)out[i].weight <= o.max_stretch * (double)out[0].weight);
        assert_true(i < 1 || out[i].weight >= out[i - 1].weight);
        assert_true(out[i].edge_count >= 3);
        assert_connected(&f, &out[i]);
        /* the same places, and the measures add up as every route's */
        assert_true(fabs(out[i].duration_s - out[i].legs[0].duration_s) < 1e-9);
        assert_true(out[i].distance_m > 0);
    }
    /* alternatives are not copies: they share no edge between the junctions */
    for (uint32_t i = 1; i + 1 < out[1].edge_count; i++)
        for (uint32_t j = 1; j + 1 < out[0].edge_count; j++)
            assert_int_not_equal(out[1].edges[i], out[0].edges[j]);
    for (size_t i = 0; i < n; i++)
        cr_route_fini(&out[i]);
    close_fixture(&f);
}

static void
stretch_and_count_limit_the_answer(void **state)
{
    struct fixture f;
    struct cr_route out[1 + CR_ALT_MAX];
    struct cr_alt_options o = CR_ALT_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    size_t n = 0;

    (void)state;
    open_fixture(&f, NULL);
    o.alternatives = 1; /* one asked: the best alternative only */
    assert_int_equal(cr_router_alternatives(f.r, &f.a, &f.b, &o, out, &n, &err), CR_OK);
    assert_int_equal(n, 2);
    assert_true(uses(&f, &out[1], "Expressway"));
    for (size_t i = 0; i < n; i++)
        cr_route_fini(&out[i]);
    o.alternatives = 5;
    o.max_stretch = 1.0; /* nothing may be longer than the best */
    assert_int_equal(cr_router_alternatives(f.r, &f.a, &f.b, &o, out, &n, &err), CR_OK);
    assert_int_equal(n, 1);
    cr_route_fini(&out[0]);
    o.max_stretch = 1.25;
    o.alternatives = 0;
    assert_int_equal(cr_router_alternatives(f.r, &f.a, &f.b, &o, out, &n, &err), CR_OK);
    assert_int_equal(n, 1);
    cr_route_fini(&out[0]);
    close_fixture(&f);
}

static void
exclude_leaves_classes_out(void **state)
{
    struct fixture f;
    struct cr_route rt;
    struct cr_error err = { 0 };
    struct cr_place ab[2];
    struct cr_profile p;

    (void)state;
    open_fixture(&f, "toll");
    ab[0] = f.a;
    ab[1] = f.b;
    assert_int_equal(cr_router_route_places(f.r, ab, 2, &rt, &err), CR_OK);
    assert_false(uses(&f, &rt, "Toll road"));
    assert_true(uses(&f, &rt, "Expressway"));
    cr_route_fini(&rt);
    close_fixture(&f);

    open_fixture(&f, "toll,motorway");
    ab[0] = f.a;
    ab[1] = f.b;
    assert_int_equal(cr_router_route_places(f.r, ab, 2, &rt, &err), CR_OK);
    assert_true(uses(&f, &rt, "North road"));
    cr_route_fini(&rt);
    close_fixture(&f);

    /* classes the profile does not declare, and names that are no class */
    assert_int_equal(cr_profile_load("car", NULL, &p, &err), CR_OK);
    assert_int_equal(p.excludable, CR_EXCLUDE_TOLL | CR_EXCLUDE_MOTORWAY | CR_EXCLUDE_FERRY);
    assert_int_equal(cr_profile_set_exclude(&p, "tunnel", &err), CR_EINVAL);
    assert_non_null(strstr(err.msg, "tunnel"));
    assert_int_equal(cr_profile_set_exclude(&p, "toll,highway", &err), CR_EINVAL);
    assert_int_equal(cr_profile_set_exclude(&p, "ferry", &err), CR_OK);
    assert_int_equal(p.exclude, CR_EXCLUDE_FERRY);
    assert_int_equal(cr_profile_set_exclude(&p, "", &err), CR_OK);
    assert_int_equal(p.exclude, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_alternatives_differ_and_obey_the_criteria),
        cmocka_unit_test(stretch_and_count_limit_the_answer),
        cmocka_unit_test(exclude_leaves_classes_out),
    };
    (void)next_rand; /* testnet.h's, unused here */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
