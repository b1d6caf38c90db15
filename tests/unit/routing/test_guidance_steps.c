/* Turn-by-turn steps after collapsing, with exits, lanes and roundabout kinds
 * (routing/guidance.h) on the drawn map tests/maps/steps.osm (tests/maps/steps.txt): a staggered
 * junction, a dual carriageway crossed and turned on, a sliproad, a motorway exit with
 * junction:ref and exit_to, turn lanes, a small roundabout and a rotary. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/graph.h"
#include "core/snap.h"
#include "routing/guidance.h"
#include "routing/guidance_text.h"
#include "routing/measure.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "routing/turngraph.h"

#include "testnet.h"

#define MAP CR_SOURCE_DIR "/tests/maps/steps.osm"
#define LON(x) ((int32_t)(1065000000 + (x)*100))
#define LAT(y) ((int32_t)(105000000 + (y)*100))

#include "guidance_fixture.h"

/* A: a right and a left 2.2 m apart, back onto Lý Tự Trọng: no maneuver at all. */
static void
test_staggered(void **state)
{
    struct cr_route r;
    struct cr_guidance g;

    (void)state;
    guide(10, 0, 190, -2, &r, &g);
    expect_count(&g, 2);
    expect(&g, 0, CR_MAN_DEPART, CR_MOD_NONE, "Lý Tự Trọng");
    expect(&g, 1, CR_MAN_ARRIVE, CR_MOD_NONE, NULL);
    /* the intersections of the two steps merged are kept, in order */
    assert_int_equal(g.steps[0].intersection_count, 3);
    cr_guidance_fini(&g);
    cr_route_fini(&r);
}

/* B: left over the unnamed middle, left back: one U-turn; crossing the middle then left: one
 * turn. */
static void
test_dual_carriageway(void **state)
{
    struct cr_route r;
    struct cr_guidance g;

    (void)state;
    guide(480, 10, 480, -10, &r, &g);
    expect_count(&g, 3);
    expect(&g, 1, CR_MAN_CONTINUE, CR_MOD_UTURN, "Võ Văn Kiệt");
    expect_sentence(&g, 1, CR_LANG_EN, "Make a U-turn to stay on Võ Văn Kiệt");
    cr_guidance_fini(&g);
    cr_route_fini(&r);

    guide(440, -70, 380, 10, &r, &g);
    expect_count(&g, 3);
    expect(&g, 0, CR_MAN_DEPART, CR_MOD_NONE, "Hàm Nghi");
    expect(&g, 1, CR_MAN_TURN, CR_MOD_LEFT, "Võ Văn Kiệt");
    cr_guidance_fini(&g);
    cr_route_fini(&r);
}

/* C: the sliproad and the turn off it are one right turn at the sliproad's start. */
static void
test_sliproad(void **state)
{
    struct cr_route r;
    struct cr_guidance g;

    (void)state;
    guide(620, 0, 800, -180, &r, &g);
    expect_count(&g, 3);
    expect(&g, 1, CR_MAN_TURN, CR_MOD_RIGHT, "Lê Văn Lương");
    assert_int_equal(g.steps[1].lon_e7, LON(770));
    assert_int_equal(g.steps[1].bearing_before, 90);
    assert_int_equal(g.steps[1].bearing_after, 180);
    expect_sentence(&g, 1, CR_LANG_VI, "Rẽ phải vào đường Lê Văn Lương");
    cr_guidance_fini(&g);
    cr_route_fini(&r);
}

/* D: the off ramp's exit number (junction:ref) and, with no destination tags, exit_to as its
 * destinations; said in en and vi. */
static void
test_exit(void **state)
{
    struct cr_route r;
    struct cr_guidance g;
    char d[64];

    (void)state;
    guide(1020, 0, 1380, -60, &r, &g);
    expect_count(&g, 4);
    expect(&g, 1, CR_MAN_OFF_RAMP, CR_MOD_SLIGHT_RIGHT, "");
    assert_string_equal(cr_guidance_exits(net.v, g.steps[1].way), "5A");
    assert_string_equal(cr_guidance_destinations(net.v, g.steps[1].way, d, sizeof d), "Tân Tạo");
    assert_string_equal(cr_guidance_exits(net.v, g.steps[0].way), "");
    expect_sentence(&g, 1, CR_LANG_EN, "Take exit 5A on the right towards Tân Tạo");
    expect_sentence(&g, 1, CR_LANG_VI, "Đi vào lối ra 5A bên phải hướng Tân Tạo");
    cr_guidance_fini(&g);
    cr_route_fini(&r);
}

/* The lanes of the maneuver's intersection of step I of G: their count and valid bits. */
static void
expect_lanes(const struct cr_guidance *g, uint32_t i, unsigned count, unsigned valid)
{
    const struct cr_intersection *x = &g->xs[g->steps[i].first_intersection];
    assert_int_equal(x->lane_count, count);
    assert_int_equal(x->lane_valid, valid);
}

/* E: turn:lanes at the end of a one-way way, and turn:lanes:backward of a two-way one. */
static void
test_lanes(void **state)
{
    struct cr_route r;
    struct cr_guidance g;

    (void)state;
    guide(1620, 0, 1700, 80, &r, &g); /* left: the left lane */
    expect(&g, 1, CR_MAN_TURN, CR_MOD_LEFT, "Hai Bà Trưng");
    expect_lanes(&g, 1, 3, 1u << 0);
    {
        const struct cr_intersection *x = &g.xs[g.steps[1].first_intersection];
        assert_int_equal(x->lanes[0], CR_LANE_LEFT);
        assert_int_equal(x->lanes[2], CR_LANE_STRAIGHT | CR_LANE_RIGHT);
    }
    assert_int_equal(g.xs[g.steps[0].first_intersection].lane_count, 0); /* depart: none */
    cr_guidance_fini(&g);
    cr_route_fini(&r);

    guide(1620, 0, 1700, -80, &r, &g); /* right: the through;right lane */
    expect(&g, 1, CR_MAN_TURN, CR_MOD_RIGHT, "Hai Bà Trưng");
    expect_lanes(&g, 1, 3, 1u << 2);
    cr_guidance_fini(&g);
    cr_route_fini(&r);

    guide(1700, 80, 1780, 0, &r, &g); /* against Hai Bà Trưng's node order: its backward lanes */
    expect(&g, 1, CR_MAN_TURN, CR_MOD_LEFT, "Điện Biên Phủ");
    expect_lanes(&g, 1, 2, 1u << 0);
    cr_guidance_fini(&g);
    cr_route_fini(&r);
}

static void
test_lane_words(void **state)
{
    uint16_t l[CR_GUIDE_MAX_LANES];

    (void)state;
    assert_int_equal(cr_lanes_parse("left;through||slight_right;bogus|", l), 4);
    assert_int_equal(l[0], CR_LANE_LEFT | CR_LANE_STRAIGHT);
    assert_int_equal(l[1], CR_LANE_NONE);
    assert_int_equal(l[2], CR_LANE_SLIGHT_RIGHT | CR_LANE_NONE);
    assert_int_equal(l[3], CR_LANE_NONE);
    assert_int_equal(cr_lanes_valid(l, 4, 180.0), 0xF);     /* none is straight */
    assert_int_equal(cr_lanes_valid(l, 4, 150.0), 1u << 2); /* slight right: exact */
    assert_int_equal(cr_lanes_valid(l, 4, 320.0), 1u << 0); /* sharp left; near: left */
    assert_int_equal(cr_lanes_valid(l, 4, 30.0), 1u << 2);  /* sharp right: the right side */
    assert_int_equal(cr_lanes_parse("left|right", l), 2);
    assert_int_equal(cr_lanes_valid(l, 2, 183.0), 1u << 0); /* a fork a little left */
    assert_int_equal(cr_lanes_valid(l, 2, 180.0), 0);       /* straight on: neither */
    assert_int_equal(cr_lanes_parse("", l), 0);
    assert_string_equal(cr_lane_name(CR_LANE_STRAIGHT), "straight");
    assert_string_equal(cr_lane_name(CR_LANE_UTURN), "uturn");
    assert_string_equal(cr_lane_name(CR_LANE_MERGE_TO_LEFT), "merge to left");
}

/* The optional section way.guide survives a network file, and a file without it (as written
 * before it existed) still opens, with no exits. */
static void
test_guide_section(void **state)
{
    const char *path = CR_BINARY_DIR "/test_guidance_steps.corr";
    struct cr_graph_view old = *net.v;
    struct cr_error err = { 0 };
    struct cr_graph *g;
    uint32_t ramp = CR_INF;

    (void)state;
    for (uint32_t w = 0; w < net.v->way_count; w++)
        if (net.v->ways[w].osm_id == 402)
            ramp = w;
    assert_int_not_equal(ramp, CR_INF);
    assert_int_equal(net.v->way_guide_count, 3); /* the ramp, Điện Biên Phủ, Hai Bà Trưng */
    assert_int_equal(cr_graph_write(net.v, path, &err), CR_OK);
    assert_non_null(g = cr_graph_open(path, &err));
    assert_string_equal(cr_guidance_exits(cr_graph_view(g), ramp), "5A");
    assert_null(cr_graph_way_guide(cr_graph_view(g), ramp + 1));
    cr_graph_close(g);
    old.way_guide = NULL;
    old.way_guide_count = 0;
    assert_int_equal(cr_graph_write(&old, path, &err), CR_OK);
    assert_non_null(g = cr_graph_open(path, &err));
    assert_null(cr_graph_view(g)->way_guide);
    assert_string_equal(cr_guidance_exits(cr_graph_view(g), ramp), "");
    cr_graph_close(g);
    remove(path);
}

/* F: the small roundabout is a "roundabout turn" with the turn's modifier (and the exit);
 * G: the large one named Vòng xoay Dân Chủ, a name no arm has, is a rotary with rotary_name. */
static void
test_roundabout_kinds(void **state)
{
    struct cr_route r;
    struct cr_guidance g;

    (void)state;
    guide(1960, 0, 2050, 90, &r, &g);
    expect_count(&g, 3);
    expect(&g, 1, CR_MAN_ROUNDABOUT_TURN, CR_MOD_LEFT, "Lý Chính Thắng");
    assert_int_equal(g.steps[1].exit, 3);
    assert_int_equal(g.steps[1].rotary_name, 0);
    assert_string_equal(cr_maneuver_name(CR_MAN_ROUNDABOUT_TURN), "roundabout turn");
    expect_sentence(&g, 1, CR_LANG_EN, "At the roundabout, turn left onto Lý Chính Thắng");
    expect_sentence(&g, 1, CR_LANG_VI, "Tại vòng xuyến, rẽ trái vào đường Lý Chính Thắng");
    cr_guidance_fini(&g);
    cr_route_fini(&r);

    guide(1960, 0, 2140, 0, &r, &g);
    expect(&g, 1, CR_MAN_ROUNDABOUT_TURN, CR_MOD_STRAIGHT, "Trần Quốc Thảo");
    expect_sentence(&g, 1, CR_LANG_VI, "Tại vòng xuyến, đi thẳng vào đường Trần Quốc Thảo");
    cr_guidance_fini(&g);
    cr_route_fini(&r);

    guide(2310, 0, 2400, 130, &r, &g);
    expect_count(&g, 3);
    assert_int_equal(g.steps[1].type, CR_MAN_ROTARY);
    assert_int_equal(g.steps[1].exit, 2);
    assert_string_equal(cr_graph_string(net.v, g.steps[1].rotary_name), "Vòng xoay Dân Chủ");
    expect_sentence(&g, 1, CR_LANG_EN, "At Vòng xoay Dân Chủ, take the 2nd exit onto Ba Tháng Hai");
    cr_guidance_fini(&g);
    cr_route_fini(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staggered),     cmocka_unit_test(test_dual_carriageway),
        cmocka_unit_test(test_sliproad),      cmocka_unit_test(test_exit),
        cmocka_unit_test(test_lanes),         cmocka_unit_test(test_lane_words),
        cmocka_unit_test(test_guide_section), cmocka_unit_test(test_roundabout_kinds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
