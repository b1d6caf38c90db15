/* Batch routing: the pairs reader (columns, aliases, bad rows, errors), shards, and the parallel
 * engine (same rows for any thread count, each row = cr_router_route, statuses, cancelling). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../testfile.h"

#include "core/graph.h"
#include "core/snap.h"
#include "importers/osm/osm_import.h"
#include "importers/pairs/pairs.h"
#include "planning/batch.h"
#include "routing/profile.h"
#include "routing/route.h"

#define RULES CR_SOURCE_DIR "/tests/maps/route_rules.osm" /* drawn in route_rules.txt */
#define HCMC CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm.pbf"
#define HCMC_PAIRS CR_SOURCE_DIR "/datasets/pairs-hcmc-district3-example.csv"
#define DIR CR_BINARY_DIR "/test_batch_files"

#define write_file(name, text) cr_test_write_file(DIR, (name), (text))

/* ---- shards ------------------------------------------------------------------------------- */

static void
shards_are_contiguous_blocks(void **state)
{
    (void)state;
    for (size_t n = 0; n < 60; n++)
        for (unsigned count = 1; count <= 9; count++) {
            size_t next = 0;
            for (unsigned i = 1; i <= count; i++) {
                size_t first, end;
                cr_batch_shard(n, i, count, &first, &end);
                if (first != next || end < first || end - first > n / count + 1 ||
                    end - first < n / count)
                    fail_msg("n %zu shard %u/%u: [%zu, %zu), want it to start at %zu", n, i, count,
                             first, end, next);
                next = end;
            }
            if (next != n)
                fail_msg("n %zu in %u shards: they cover %zu rows", n, count, next);
        }
    {
        size_t first, end;
        cr_batch_shard((size_t)40000000000ull, 999999, 1000000, &first, &end);
        assert_true(first == 39999920000ull && end == 39999960000ull);
        cr_batch_shard(10, 0, 3, &first, &end); /* not a shard: nothing */
        assert_true(first == 0 && end == 0);
    }
}

/* ---- the pairs reader --------------------------------------------------------------------- */

static void
pairs_columns_in_any_order_with_aliases(void **state)
{
    struct cr_pair_list l;
    struct cr_error err = { 0 };
    const char *path = write_file("aliases.csv", "D_LAT,o_lon,note,OD_ID,o_lat,d_lon\n"
                                                 "10.5,106.25,x,\"a, b\",10.75,106.125\n"
                                                 "-1,2,,  c  ,3,4\n");
    (void)state;
    if (cr_pairs_read(path, &l, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(l.count, 2);
    assert_string_equal(cr_pair_id(&l, 0), "a, b");
    assert_string_equal(cr_pair_id(&l, 1), "c");
    assert_false(l.items[0].bad);
    assert_int_equal(l.items[0].from_lon_e7, 1062500000);
    assert_int_equal(l.items[0].from_lat_e7, 107500000);
    assert_int_equal(l.items[0].to_lon_e7, 1061250000);
    assert_int_equal(l.items[0].to_lat_e7, 105000000);
    assert_int_equal(l.items[1].to_lat_e7, -10000000);
    assert_int_equal(l.items[1].line, 3);
    cr_pair_list_fini(&l);

    path = write_file("noid.csv", "to_lat,to_lon,from_lat,from_lon\n1,2,3,4\n5,6,7,8\n");
    if (cr_pairs_read(path, &l, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(l.count, 2);
    assert_string_equal(cr_pair_id(&l, 1), "2"); /* rows numbered from 1 */
    assert_int_equal(l.items[1].from_lon_e7, 80000000);
    cr_pair_list_fini(&l);
}

static void
pairs_bad_rows_are_kept_with_a_reason(void **state)
{
    static const struct {
        const char *id, *problem; /* problem: a piece of the message; NULL: a good row */
    } want[] = {
        { "ok1", NULL },
        { "abc", "line 3: from_lat \"abc\" is not a number" },
        { "far", "line 4: to_lon 200 out of range" },
        { "blank", "line 5: no to_lat" },
        { "", "line 6: no id" },
        { "short", "line 7: no to_lon" },
        { "ok2", NULL },
    };
    struct cr_pair_list l;
    struct cr_error err = { 0 };
    const char *path = write_file("bad.csv", "id,from_lon,from_lat,to_lon,to_lat\n"
                                             "ok1,1,2,3,4\n"
                                             "abc,1,abc,3,4\n"
                                             "far,1,2,200,4\n"
                                             "blank,1,2,3,\n"
                                             ",1,2,3,4\n"
                                             "short,1,2\n"
                                             "ok2,5,6,7,8\n");
    (void)state;
    if (cr_pairs_read(path, &l, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(l.count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < l.count; i++) {
        assert_string_equal(cr_pair_id(&l, i), want[i].id);
        if (!want[i].problem) {
            assert_false(l.items[i].bad);
            assert_string_equal(cr_pair_problem(&l, i), "");
        } else if (!l.items[i].bad || !strstr(cr_pair_problem(&l, i), want[i].problem) ||
                   !strstr(cr_pair_problem(&l, i), "bad.csv")) {
            fail_msg("row %zu: \"%s\", want \"%s\"", i, cr_pair_problem(&l, i), want[i].problem);
        }
    }
    assert_int_equal(l.items[6].to_lat_e7, 80000000);
    cr_pair_list_fini(&l);
}

static void
pairs_file_errors(void **state)
{
    static const struct {
        const char *name, *text;
        enum cr_status code;
        const char *msg;
    } cases[] = {
        { "nocol.csv", "id,from_lon,from_lat,to_lon\n1,2,3,4\n", CR_EINVAL,
          "nocol.csv: no to_lat column (want to_lat, dest_lat" },
        { "nofrom.csv", "id,lon,lat,to_lon,to_lat\n1,2,3,4,5\n", CR_EINVAL, "no from_lon column" },
        { "numeric.csv", "1,106.1,10.1,106.2,10.2\n", CR_EINVAL, "line 1: want a header line" },
        { "header.csv", "id,from_lon,from_lat,to_lon,to_lat\n", CR_EEMPTY, "no pairs" },
        { "empty.csv", "", CR_EEMPTY, "empty.csv" },
        { "pairs.txt", "id,from_lon,from_lat,to_lon,to_lat\n1,2,3,4,5\n", CR_EINVAL,
          "must be a .csv file" },
    };
    struct cr_pair_list l;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_error err = { 0 };
        const char *path = write_file(cases[i].name, cases[i].text);
        enum cr_status st = cr_pairs_read(path, &l, &err);
        if (st != cases[i].code || !strstr(err.msg, cases[i].msg))
            fail_msg("%s: status %d \"%s\", want %d \"%s\"", cases[i].name, st, err.msg,
                     cases[i].code, cases[i].msg);
        assert_null(l.items);
        assert_int_equal(l.count, 0);
    }
    {
        struct cr_error err = { 0 };
        assert_int_equal(cr_pairs_read(DIR "/missing.csv", &l, &err), CR_EIO);
        assert_non_null(strstr(err.msg, "missing.csv"));
    }
}

/* ---- the engine --------------------------------------------------------------------------- */

struct net {
    struct cr_netbuild *b;
    const struct cr_graph_view *v;
    struct cr_snap_index *snap;
    struct cr_profile p;
    struct cr_engine e;
};

static void
net_open(struct net *n, const char *path, const char *profile)
{
    struct cr_error err = { 0 };

    if (!(n->b = cr_osm_build(path, NULL, NULL, &err)))
        fail_msg("%s", err.msg);
    n->v = cr_netbuild_view(n->b);
    if (!(n->snap = cr_snap_index_create(n->v, &err)))
        fail_msg("%s", err.msg);
    if (cr_profile_load(profile, NULL, &n->p, &err))
        fail_msg("%s", err.msg);
    if (cr_engine_init(&n->e, n->v, n->snap, &n->p, CR_METRIC_TIME, &err))
        fail_msg("%s", err.msg);
}

static void
net_close(struct net *n)
{
    cr_engine_fini(&n->e);
    cr_snap_index_destroy(n->snap);
    cr_netbuild_destroy(n->b);
}

/* cr_batch_run over the rows of a pair list read from CSV, as `corridor batch` gives them. */
static enum cr_status
batch_run(const struct cr_engine *e, const struct cr_pair_list *l, size_t first, size_t n,
          unsigned threads, int (*progress)(void *, double), void *user,
          struct cr_batch_result *out, unsigned *used, struct cr_error *err)
{
    struct cr_batch_pair *p = malloc((l->count + 1) * sizeof *p);
    enum cr_status st;

    assert_non_null(p);
    for (size_t i = 0; i < l->count; i++) {
        const struct cr_pair *q = &l->items[i];
        p[i] = (struct cr_batch_pair){ q->from_lon_e7, q->from_lat_e7, q->to_lon_e7, q->to_lat_e7,
                                       q->bad };
    }
    st = cr_batch_run(e, p, l->count, first, n, threads, progress, user, out, used, err);
    free(p);
    return st;
}

/* Every row equals cr_router_route's answer for its pair, or has the status route's error
 * implies. */
static void
check_rows_equal_routes(const struct cr_engine *e, const struct cr_pair_list *l, size_t first,
                        const struct cr_batch_result *res, size_t n)
{
    struct cr_error err = { 0 };
    struct cr_router *r = cr_router_create(e, &err);
    assert_non_null(r);
    for (size_t i = 0; i < n; i++) {
        const struct cr_pair *p = &l->items[first + i];
        int32_t lon[2] = { p->from_lon_e7, p->to_lon_e7 },
                lat[2] = { p->from_lat_e7, p->to_lat_e7 };
        struct cr_route rt;
        if (p->bad) {
            assert_int_equal(res[i].status, CR_BATCH_BAD_INPUT);
            continue;
        }
        if (cr_router_route(r, lon, lat, 2, &rt, &err)) {
            if (res[i].status != CR_BATCH_NO_SEGMENT && res[i].status != CR_BATCH_UNREACHABLE)
                fail_msg("row %zu: %s, but route says %s", first + i,
                         cr_batch_status_name(res[i].status), err.msg);
            assert_true(isnan(res[i].distance_m));
            continue;
        }
        if (res[i].status != CR_BATCH_OK || res[i].distance_m != rt.distance_m ||
            res[i].duration_s != rt.duration_s || res[i].cost != rt.cost ||
            res[i].co2_kg != rt.co2_kg)
            fail_msg("row %zu: %s %.3f m %.3f s, route %.3f m %.3f s", first + i,
                     cr_batch_status_name(res[i].status), res[i].distance_m, res[i].duration_s,
                     rt.distance_m, rt.duration_s);
        cr_route_fini(&rt);
    }
    cr_router_destroy(r);
}

static void
batch_statuses(void **state)
{
    /* route_rules.osm, map 1 (lon 106 + x/1000, lat 10 + y/1000): c -> d is the detour; (20,20)
     * is ~2 km from any way; from the one-way edge f -> d, d is a dead end, and nothing leads
     * into c, so a point on c -> j cannot be reached */
    const char *path = write_file("rules.csv", "id,from_lon,from_lat,to_lon,to_lat\n"
                                               "c-d,106.001,10.0002,106.0,10.0012\n"
                                               "far-from,106.02,10.02,106.0,10.0012\n"
                                               "far-to,106.001,10.0002,106.02,10.02\n"
                                               "far-both,106.02,10.02,106.02,10.021\n"
                                               "bad,106.001,north,106.0,10.0012\n"
                                               "dead-end,106.0,10.0012,106.001,10.0002\n");
    static const enum cr_batch_status want[] = {
        CR_BATCH_OK,         CR_BATCH_NO_SEGMENT, CR_BATCH_NO_SEGMENT,
        CR_BATCH_NO_SEGMENT, CR_BATCH_BAD_INPUT,  CR_BATCH_UNREACHABLE,
    };
    static const uint8_t want_end[] = { 0, 0, 1, 2, 0, 0 };
    struct cr_pair_list l;
    struct cr_batch_result res[6];
    struct cr_error err = { 0 };
    struct net n;
    unsigned used = 0;

    (void)state;
    net_open(&n, RULES, "car");
    n.e.max_snap_m = 200;
    if (cr_pairs_read(path, &l, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(l.count, 6);
    if (batch_run(&n.e, &l, 0, l.count, 3, NULL, NULL, res, &used, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(used, 1); /* six rows are one chunk: no idle workers */
    for (size_t i = 0; i < 6; i++)
        if (res[i].status != want[i] ||
            (want[i] == CR_BATCH_NO_SEGMENT && res[i].end != want_end[i]))
            fail_msg("row %zu (%s): %s end %u, want %s end %u", i, cr_pair_id(&l, i),
                     cr_batch_status_name(res[i].status), res[i].end, cr_batch_status_name(want[i]),
                     want_end[i]);
    assert_true(res[0].distance_m > 3.4 * 110 && res[0].distance_m < 3.8 * 111);
    check_rows_equal_routes(&n.e, &l, 0, res, l.count);
    /* a range past the end is refused */
    assert_int_equal(batch_run(&n.e, &l, 4, 3, 1, NULL, NULL, res, NULL, &err), CR_EINVAL);
    cr_pair_list_fini(&l);
    net_close(&n);
}

static int
count_calls(void *user, double done)
{
    int *calls = user;
    assert_true(done >= 0 && done <= 1);
    ++*calls;
    return 0;
}

static void
batch_threads_give_equal_rows(void **state)
{
    struct cr_pair_list l;
    struct cr_batch_result *one, *many;
    struct cr_error err = { 0 };
    struct net n;
    unsigned used = 0;
    int calls = 0;

    (void)state;
    net_open(&n, HCMC, "motorcycle");
    if (cr_pairs_read(HCMC_PAIRS, &l, &err))
        fail_msg("%s", err.msg);
    assert_true(l.count >= 100);
    one = calloc(l.count, sizeof *one);
    many = calloc(l.count, sizeof *many);
    assert_true(one && many);
    if (batch_run(&n.e, &l, 0, l.count, 1, NULL, NULL, one, &used, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(used, 1);
    for (unsigned t = 2; t <= 4; t++) {
        memset(many, 0xff, l.count * sizeof *many);
        if (batch_run(&n.e, &l, 0, l.count, t, count_calls, &calls, many, &used, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(used, t);
        for (size_t i = 0; i < l.count; i++)
            if (one[i].status != many[i].status ||
                (one[i].status == CR_BATCH_OK &&
                 (one[i].distance_m != many[i].distance_m ||
                  one[i].duration_s != many[i].duration_s || one[i].cost != many[i].cost ||
                  one[i].co2_kg != many[i].co2_kg)))
                fail_msg("%u threads, row %zu: differs from 1 thread", t, i);
    }
    assert_true(calls >= 3); /* at least the final 1.0 of each run */
    check_rows_equal_routes(&n.e, &l, 0, one, l.count);
    /* a shard's rows are the same rows of the whole */
    {
        size_t first, end;
        cr_batch_shard(l.count, 2, 3, &first, &end);
        if (batch_run(&n.e, &l, first, end - first, 2, NULL, NULL, many, NULL, &err))
            fail_msg("%s", err.msg);
        for (size_t i = first; i < end; i++)
            assert_true(
                many[i - first].status == one[i].status &&
                (one[i].status != CR_BATCH_OK || many[i - first].duration_s == one[i].duration_s));
    }
    free(one);
    free(many);
    cr_pair_list_fini(&l);
    net_close(&n);
}

static int
stop_at_once(void *user, double done)
{
    (void)done;
    ++*(int *)user;
    return 1;
}

static void
batch_cancel(void **state)
{
    /* the example pairs many times over, by Dijkstra: far longer than one 0.1 s progress tick */
    enum { TIMES = 400 };
    struct cr_pair_list base, l = { 0 };
    struct cr_batch_result *res;
    struct cr_error err = { 0 };
    struct net n;
    int calls = 0;

    (void)state;
    net_open(&n, HCMC, "car");
    if (cr_pairs_read(HCMC_PAIRS, &base, &err))
        fail_msg("%s", err.msg);
    l.count = base.count * TIMES;
    l.items = malloc(l.count * sizeof *l.items);
    assert_non_null(l.items);
    for (size_t i = 0; i < l.count; i++)
        l.items[i] = base.items[i % base.count];
    l.text = base.text;
    res = calloc(l.count, sizeof *res);
    assert_non_null(res);
    assert_int_equal(batch_run(&n.e, &l, 0, l.count, 2, stop_at_once, &calls, res, NULL, &err),
                     CR_ECANCELLED);
    assert_int_equal(calls, 1);
    assert_non_null(strstr(err.msg, "stopped"));
    free(res);
    free(l.items);
    cr_pair_list_fini(&base);
    net_close(&n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shards_are_contiguous_blocks),
        cmocka_unit_test(pairs_columns_in_any_order_with_aliases),
        cmocka_unit_test(pairs_bad_rows_are_kept_with_a_reason),
        cmocka_unit_test(pairs_file_errors),
        cmocka_unit_test(batch_statuses),
        cmocka_unit_test(batch_threads_give_equal_rows),
        cmocka_unit_test(batch_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
