/* The fixture test_tdsearch.c and test_tdsearch_back.c share: an engine and its router for a
 * profile and metric on a test network, and a naive local time from its ISO text. Include after
 * testnet.h and core/cond.h. */
#ifndef CORRIDOR_TEST_TD_FIXTURE_H
#define CORRIDOR_TEST_TD_FIXTURE_H

struct eng {
    struct cr_engine e;
    struct cr_router *r;
};

static void
eng_open(struct eng *g, const struct net *n, const char *profile, enum cr_metric m)
{
    struct cr_profile p;
    struct cr_error err = { 0 };
    if (cr_profile_load(profile, NULL, &p, &err) ||
        cr_engine_init(&g->e, n->v, n->snap, &p, m, &err))
        fail_msg("%s", err.msg);
    if (!(g->r = cr_router_create(&g->e, &err)))
        fail_msg("%s", err.msg);
}

static void
eng_close(struct eng *g)
{
    cr_router_destroy(g->r);
    cr_engine_fini(&g->e);
}

static int64_t
at(const char *iso)
{
    int64_t t;
    assert_int_equal(cr_cond_parse_time(iso, &t), 0);
    return t;
}

#endif
