/* OSRM's route and waypoint JSON (server/osrm_json.h) on tests/maps/output_names.osm: OSRM's
 * shapes, names from the network, corridor's measures and segments beside them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../routing/testnet.h"
#include "routing/route.h"
#include "server/osrm_json.h"

static void
route_answer(void **state)
{
    const int32_t lon[] = { 1060010000, 1060090000 }, lat[] = { 100000000, 100000000 };
    struct cr_osrm_request req = { 0 };
    struct cr_error err = { 0 };
    struct net n;
    struct cr_profile p;
    struct cr_engine e;
    struct cr_router *router = NULL;
    struct cr_route r;
    json_t *o, *route, *leg, *g, *wp, *segs, *ann;
    const char *key;
    json_t *v;
    int i = 0;
    (void)state;
    (void)next_rand;

    net_open(&n, CR_SOURCE_DIR "/tests/maps/output_names.osm");
    if (cr_profile_load("freight", NULL, &p, &err) ||
        cr_engine_init(&e, n.v, n.snap, &p, CR_METRIC_TIME, &err) ||
        !(router = cr_router_create(&e, &err)) || cr_router_route(router, lon, lat, 2, &r, &err))
        fail_msg("%s", err.msg);
    req.overview = CR_OSRM_OVERVIEW_FULL;
    req.geometries = CR_OSRM_GEOJSON;
    req.annotations = CR_OSRM_ANN_DISTANCE | CR_OSRM_ANN_DURATION | CR_OSRM_ANN_SPEED;
    o = cr_osrm_json_route(&req, &e, &r);
    assert_string_equal(json_string_value(json_object_get(o, "code")), "Ok");
    route = json_array_get(json_object_get(o, "routes"), 0);
    g = json_object_get(route, "geometry");
    json_object_foreach(g, key, v) /* OSRM's order */
        assert_string_equal(key, i++ ? "type" : "coordinates");
    assert_int_equal(json_array_size(json_object_get(g, "coordinates")), r.point_count);
    assert_true(json_real_value(json_object_get(route, "distance")) ==
                round(r.distance_m * 10) / 10);
    leg = json_array_get(json_object_get(route, "legs"), 0);
    ann = json_object_get(leg, "annotation");
    assert_int_equal(json_array_size(json_object_get(ann, "distance")), r.point_count - 1);
    assert_int_equal(json_array_size(json_object_get(ann, "speed")), r.point_count - 1);
    assert_null(json_object_get(ann, "weight"));
    segs = json_object_get(json_object_get(route, "corridor"), "segments");
    assert_int_equal(json_array_size(segs), 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(segs, 3), "terminal")),
                        "Quay \"2\"");
    assert_null(json_object_get(json_array_get(segs, 3), "from_point")); /* corridor route's */
    wp = json_array_get(json_object_get(o, "waypoints"), 0);
    assert_string_equal(json_string_value(json_object_get(wp, "name")), "Rue \"A\" & <B> 'C'");
    assert_string_equal(json_string_value(json_object_get(wp, "hint")), "");
    json_decref(o);
    req.skip_waypoints = 1;
    req.overview = CR_OSRM_OVERVIEW_FALSE;
    o = cr_osrm_json_route(&req, &e, &r);
    assert_null(json_object_get(o, "waypoints"));
    assert_null(json_object_get(json_array_get(json_object_get(o, "routes"), 0), "geometry"));
    json_decref(o);
    cr_route_fini(&r);
    cr_router_destroy(router);
    cr_engine_fini(&e);
    net_close(&n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(route_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
