/* Turn-by-turn guidance (routing/guidance.h, routing/guidance_text.h) on the drawn map
 * tests/maps/guidance.osm (tests/maps/guidance.txt): a T junction, a roundabout with four exits,
 * a motorway with an on and an off ramp, and a name change; the steps' maneuvers, names, exits,
 * intersections and measures (adding up to the leg's), and their sentences in en and vi. */
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

#define MAP CR_SOURCE_DIR "/tests/maps/guidance.osm"
#define LON(x) ((int32_t)(1060000000 + (x)*10000))
#define LAT(y) ((int32_t)(100000000 + (y)*10000))

#include "guidance_fixture.h"

static void
test_t_junction(void **state)
{
    struct cr_route r;
    struct cr_guidance g;

    (void)state;
    guide(0.5, 0, 2, 2.5, &r, &g);
    expect_count(&g, 3);
    expect(&g, 0, CR_MAN_DEPART, CR_MOD_NONE, "Võ Thị Sáu");
    assert_int_equal(g.steps[0].bearing_after, 90);
    expect(&g, 1, CR_MAN_TURN, CR_MOD_LEFT, "Đường Pasteur");
    assert_int_equal(g.steps[1].bearing_before, 90);
    assert_int_equal(g.steps[1].bearing_after, 0);
    expect(&g, 2, CR_MAN_ARRIVE, CR_MOD_NONE, NULL);
    /* the intersection of the turn: three ways, come in from the west, out to the north */
    {
        const struct cr_intersection *x = &g.xs[g.steps[1].first_intersection];
        assert_int_equal(g.steps[1].intersection_count, 1);
        assert_int_equal(x->count, 3);
        assert_int_equal(x->bearings[0], 0);
        assert_int_equal(x->bearings[1], 90);
        assert_int_equal(x->bearings[2], 270);
        assert_int_equal(x->in, 2);
        assert_int_equal(x->out, 0);
        assert_true(x->entry[0] && x->entry[1]);
    }
    expect_sentence(&g, 0, CR_LANG_EN, "Head east on Võ Thị Sáu");
    expect_sentence(&g, 1, CR_LANG_EN, "Turn left onto Đường Pasteur");
    expect_sentence(&g, 1, CR_LANG_VI, "Rẽ trái vào Đường Pasteur"); /* not "đường Đường" */
    expect_sentence(&g, 2, CR_LANG_VI, "Bạn đã đến nơi");
    cr_guidance_fini(&g);
    cr_route_fini(&r);

    guide(2, 2.5, 0.5, 0, &r, &g); /* down Pasteur to the end: right onto Võ Thị Sáu */
    expect_count(&g, 3);
    expect(&g, 1, CR_MAN_END_OF_ROAD, CR_MOD_RIGHT, "Võ Thị Sáu");
    expect_sentence(&g, 1, CR_LANG_VI, "Cuối đường, rẽ phải vào đường Võ Thị Sáu");
    expect_sentence(&g, 1, CR_LANG_EN, "Turn right at the end of the road onto Võ Thị Sáu");
    cr_guidance_fini(&g);
    cr_route_fini(&r);

    guide(0.5, 0, 3.5, 0, &r, &g); /* straight through on the same name: no step */
    expect_count(&g, 2);
    expect(&g, 0, CR_MAN_DEPART, CR_MOD_NONE, "Võ Thị Sáu");
    expect(&g, 1, CR_MAN_ARRIVE, CR_MOD_NONE, NULL);
    assert_int_equal(g.steps[0].intersection_count, 2); /* depart, and the T passed */
    cr_guidance_fini(&g);
    cr_route_fini(&r);
}

static void
test_roundabout(void **state)
{
    static const struct {
        double x, y;
        unsigned exit;
        const char *name, *vi;
    } cases[] = {
        { 12, -2.5, 1, "Pasteur Nam", "Tại vòng xuyến, đi lối ra thứ nhất vào đường Pasteur Nam" },
        { 14.5, 0, 2, "Nguyễn Huệ", "Tại vòng xuyến, đi lối ra thứ 2 vào đường Nguyễn Huệ" },
        { 12, 2.5, 3, "Hai Bà Trưng", "Tại vòng xuyến, đi lối ra thứ 3 vào đường Hai Bà Trưng" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_route r;
        struct cr_guidance g;
        char en[128];
        guide(9.5, 0, cases[i].x, cases[i].y, &r, &g);
        expect_count(&g, 3);
        expect(&g, 0, CR_MAN_DEPART, CR_MOD_NONE, "Lê Lợi");
        assert_int_equal(g.steps[1].type, CR_MAN_ROUNDABOUT);
        assert_int_equal(g.steps[1].exit, cases[i].exit);
        assert_string_equal(step_name(&g.steps[1]), cases[i].name);
        expect_sentence(&g, 1, CR_LANG_VI, cases[i].vi);
        snprintf(en, sizeof en, "At the roundabout, take the %s exit onto %s",
                 cases[i].exit == 1   ? "1st"
                 : cases[i].exit == 2 ? "2nd"
                                      : "3rd",
                 cases[i].name);
        expect_sentence(&g, 1, CR_LANG_EN, en);
        cr_guidance_fini(&g);
        cr_route_fini(&r);
    }
}

static void
test_ramps(void **state)
{
    struct cr_route r;
    struct cr_guidance g;

    (void)state;
    guide(20.5, -2, 24, 0, &r, &g); /* Trần Phú, up the ramp, onto the motorway */
    expect_count(&g, 4);
    expect(&g, 0, CR_MAN_DEPART, CR_MOD_NONE, "Trần Phú");
    assert_int_equal(g.steps[1].type, CR_MAN_ON_RAMP);
    assert_int_equal(g.steps[2].type, CR_MAN_MERGE);
    assert_int_equal(g.steps[2].modifier, CR_MOD_SLIGHT_LEFT); /* joins from the right */
    assert_string_equal(step_name(&g.steps[2]), "Cao tốc Long Thành");
    expect_sentence(&g, 2, CR_LANG_VI, "Nhập làn bên trái vào Cao tốc Long Thành");
    cr_guidance_fini(&g);
    cr_route_fini(&r);

    guide(21, 0, 27, -2, &r, &g); /* along the motorway, off at the ramp */
    expect_count(&g, 4);
    expect(&g, 0, CR_MAN_DEPART, CR_MOD_NONE, "Cao tốc Long Thành");
    assert_int_equal(g.steps[1].type, CR_MAN_OFF_RAMP);
    assert_int_equal(g.steps[1].modifier, CR_MOD_SLIGHT_RIGHT);
    expect_sentence(&g, 1, CR_LANG_EN, "Take the ramp on the right towards QL51: Vũng Tàu");
    expect_sentence(&g, 1, CR_LANG_VI, "Đi vào lối ra bên phải hướng QL51: Vũng Tàu");
    {
        char d[64];
        assert_string_equal(cr_guidance_destinations(net.v, g.steps[1].way, d, sizeof d),
                            "QL51: Vũng Tàu");
        assert_string_equal(cr_guidance_destinations(net.v, g.steps[0].way, d, sizeof d), "");
    }
    assert_string_equal(step_name(&g.steps[2]), "Lý Thường Kiệt");
    cr_guidance_fini(&g);
    cr_route_fini(&r);
}

static void
test_name_change(void **state)
{
    struct cr_route r;
    struct cr_guidance g;

    (void)state;
    guide(40.5, 0, 43.5, 0, &r, &g);
    expect_count(&g, 3);
    expect(&g, 1, CR_MAN_NEW_NAME, CR_MOD_STRAIGHT, "Cách Mạng Tháng Tám");
    expect_sentence(&g, 1, CR_LANG_EN, "Continue onto Cách Mạng Tháng Tám");
    expect_sentence(&g, 1, CR_LANG_VI, "Đi tiếp vào đường Cách Mạng Tháng Tám");
    cr_guidance_fini(&g);
    cr_route_fini(&r);
}

/* The optional section way.destination survives a network file, and a file without it (as
 * written before it existed) still opens, with no destinations. */
static void
test_destination_section(void **state)
{
    const char *path = CR_BINARY_DIR "/test_guidance.corr";
    struct cr_graph_view old = *net.v;
    struct cr_error err = { 0 };
    struct cr_graph *g;
    uint32_t ramp = CR_INF;

    (void)state;
    for (uint32_t w = 0; w < net.v->way_count; w++)
        if (net.v->ways[w].osm_id == 304)
            ramp = w;
    assert_int_not_equal(ramp, CR_INF);
    assert_int_equal(net.v->way_destination_count, 1);
    assert_int_equal(cr_graph_write(net.v, path, &err), CR_OK);
    assert_non_null(g = cr_graph_open(path, &err));
    assert_string_equal(
        cr_graph_string(cr_graph_view(g), cr_graph_way_destination(cr_graph_view(g), ramp)),
        "QL51: Vũng Tàu");
    assert_int_equal(cr_graph_way_destination(cr_graph_view(g), ramp + 1), 0);
    cr_graph_close(g);
    old.way_destination = NULL;
    old.way_destination_count = 0;
    assert_int_equal(cr_graph_write(&old, path, &err), CR_OK);
    assert_non_null(g = cr_graph_open(path, &err));
    assert_null(cr_graph_view(g)->way_destination);
    assert_int_equal(cr_graph_way_destination(cr_graph_view(g), ramp), 0);
    cr_graph_close(g);
    remove(path);
}

static void
test_words(void **state)
{
    char buf[128];
    enum cr_lang l;

    (void)state;
    assert_string_equal(cr_vi_road("Võ Thị Sáu", buf, sizeof buf), "đường Võ Thị Sáu");
    assert_string_equal(cr_vi_road("Đường 3 Tháng 2", buf, sizeof buf), "Đường 3 Tháng 2");
    assert_string_equal(cr_vi_road("Quốc lộ 1A", buf, sizeof buf), "Quốc lộ 1A");
    assert_string_equal(cr_vi_road("Cầu Sài Gòn", buf, sizeof buf), "Cầu Sài Gòn");
    assert_string_equal(cr_vi_road("Phố Huế", buf, sizeof buf), "Phố Huế");
    assert_string_equal(cr_vi_road("Cầuđất", buf, sizeof buf), "đường Cầuđất");
    assert_int_equal(cr_modifier_of(0, 90), CR_MOD_RIGHT);
    assert_int_equal(cr_modifier_of(0, 270), CR_MOD_LEFT);
    assert_int_equal(cr_modifier_of(0, 5), CR_MOD_STRAIGHT);
    assert_int_equal(cr_modifier_of(0, 30), CR_MOD_SLIGHT_RIGHT);
    assert_int_equal(cr_modifier_of(0, 150), CR_MOD_SHARP_RIGHT);
    assert_int_equal(cr_modifier_of(0, 180), CR_MOD_UTURN);
    assert_int_equal(cr_modifier_of(350, 325), CR_MOD_SLIGHT_LEFT);
    assert_string_equal(cr_maneuver_name(CR_MAN_END_OF_ROAD), "end of road");
    assert_int_equal(cr_lang_parse("vi", &l), 0);
    assert_int_equal(l, CR_LANG_VI);
    assert_int_equal(cr_lang_parse("fr", &l), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_junction),
        cmocka_unit_test(test_roundabout),
        cmocka_unit_test(test_ramps),
        cmocka_unit_test(test_name_change),
        cmocka_unit_test(test_destination_section),
        cmocka_unit_test(test_words),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
