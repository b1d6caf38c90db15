/* The fixture test_guidance.c and test_guidance_steps.c share: a car router on the drawn map
 * MAP (each test defines MAP, LON(x) and LAT(y) before including this), a route between two
 * points in map units with its guidance (its steps checked to add up to each leg), and checks of
 * the steps by maneuver, name and sentence. Include once, after testnet.h. */
#ifndef CORRIDOR_TEST_GUIDANCE_FIXTURE_H
#define CORRIDOR_TEST_GUIDANCE_FIXTURE_H

static struct net net;
static struct cr_engine eng;
static struct cr_router *router;

static int
setup(void **state)
{
    struct cr_profile p;
    struct cr_error err = { 0 };

    (void)state;
    (void)next_rand; /* testnet.h's, unused here */
    net_open(&net, MAP);
    if (cr_profile_load("car", NULL, &p, &err) ||
        cr_engine_init(&eng, net.v, net.snap, &p, CR_METRIC_TIME, &err))
        fail_msg("%s", err.msg);
    eng.max_snap_m = 200;
    if (!(router = cr_router_create(&eng, &err)))
        fail_msg("%s", err.msg);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    cr_router_destroy(router);
    cr_engine_fini(&eng);
    net_close(&net);
    return 0;
}

/* The route from (x0, y0) to (x1, y1) in map units, and its guidance. */
static void
guide(double x0, double y0, double x1, double y1, struct cr_route *r, struct cr_guidance *g)
{
    int32_t lon[2] = { LON(x0), LON(x1) }, lat[2] = { LAT(y0), LAT(y1) };
    struct cr_error err = { 0 };

    if (cr_router_route(router, lon, lat, 2, r, &err))
        fail_msg("%s", err.msg);
    if (cr_guidance_build(&eng, r, g, &err))
        fail_msg("%s", err.msg);
    /* the steps add up to the leg, to 0.1 */
    for (uint32_t l = 0; l < r->leg_count; l++) {
        double d = 0, t = 0, w = 0;
        for (uint32_t i = g->leg_first_step[l]; i < g->leg_first_step[l + 1]; i++) {
            d += g->steps[i].distance_m;
            t += g->steps[i].duration_s;
            w += g->steps[i].weight;
        }
        assert_true(fabs(d - cr_measure_round(CR_MEASURE_DISTANCE, r->legs[l].distance_m, NULL)) <
                    1e-6);
        assert_true(fabs(t - cr_measure_round(CR_MEASURE_DURATION, r->legs[l].duration_s, NULL)) <
                    1e-6);
        assert_true(fabs(w - round(cr_metric_value(eng.metric, r->legs[l].weight) * 10) / 10) <
                    1e-6);
    }
}

static const char *
step_name(const struct cr_step *s)
{
    return cr_graph_string(net.v, net.v->ways[s->way].name);
}

/* G's step count, or a failure that lists the steps. */
static void
expect_count(const struct cr_guidance *g, uint32_t n)
{
    if (g->step_count == n)
        return;
    for (uint32_t i = 0; i < g->step_count; i++)
        print_message("step %u: %s %s %s\n", i, cr_maneuver_name(g->steps[i].type),
                      cr_modifier_name(g->steps[i].modifier), step_name(&g->steps[i]));
    fail_msg("%u steps, want %u", g->step_count, n);
}

static void
expect(const struct cr_guidance *g, uint32_t i, enum cr_maneuver type, enum cr_modifier mod,
       const char *name)
{
    assert_true(i < g->step_count);
    if (g->steps[i].type != type || g->steps[i].modifier != mod)
        fail_msg("step %u: %s %s, want %s %s", i, cr_maneuver_name(g->steps[i].type),
                 cr_modifier_name(g->steps[i].modifier), cr_maneuver_name(type),
                 cr_modifier_name(mod));
    if (name)
        assert_string_equal(step_name(&g->steps[i]), name);
}

static void
expect_sentence(const struct cr_guidance *g, uint32_t i, enum cr_lang lang, const char *want)
{
    char buf[256];
    cr_guidance_sentence(net.v, &g->steps[i], lang, 1, buf, sizeof buf);
    assert_string_equal(buf, want);
}

#endif
