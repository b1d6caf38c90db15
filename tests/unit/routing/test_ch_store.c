/* routing/ch_store: hierarchies kept in the network file across `contract` runs. A second run
 * for other profiles and metrics keeps (and renumbers) the first's, a run for the same ones
 * replaces them, every kept hierarchy still answers as Dijkstra does; a hierarchy whose arrays
 * disagree is refused with one line, an unreadable index counts as no hierarchy, and one stored
 * before the tie rule (no "tie" key) still routes. Network
 * files written from tests/maps/route_rules.osm (small: the whole test takes well under a
 * second). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/graph.h"
#include "core/netfile.h"
#include "corridor/routing.h"
#include "importers/osm/osm_import.h"
#include "routing/ch_store.h"

#include "testnet.h"

#define RULES CR_SOURCE_DIR "/tests/maps/route_rules.osm"
#define DIR CR_BINARY_DIR "/test_ch_store_files"

static const char *
network_file(const char *name)
{
    static char path[2][512];
    static int next;
    char *p = path[next++ % 2];
    struct cr_error err = { 0 };
    struct net n;

    net_open(&n, RULES);
    if (system("mkdir -p " DIR) != 0)
        fail_msg("cannot make %s", DIR);
    snprintf(p, sizeof path[0], "%s/%s", DIR, name);
    if (cr_graph_write(n.v, p, &err))
        fail_msg("%s", err.msg);
    net_close(&n);
    return p;
}

static void
contract(const char *path, const char *profile, enum cr_metric metric)
{
    const char *const profiles[] = { profile };
    const enum cr_metric metrics[] = { metric };
    struct cr_contract_options o = CR_CONTRACT_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };

    o.profiles = profiles;
    o.profile_count = 1;
    o.metrics = metrics;
    o.metric_count = 1;
    if (cr_contract(path, &o, &err))
        fail_msg("%s", err.msg);
}

static enum cr_ch_state
ch_state(const struct cr_graph *g, const char *profile, enum cr_metric metric)
{
    struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    struct cr_session *s;
    enum cr_ch_state st;

    o.profile = profile;
    o.metric = metric;
    if (!(s = cr_session_open(g, &o, &err)))
        fail_msg("%s", err.msg);
    st = cr_session_ch_state(s);
    cr_session_close(s);
    return st;
}

/* The hierarchy list of PATH ("car/time, car/distance") into BUF; returns how many. */
static size_t
list(const char *path, char *buf, size_t size)
{
    struct cr_netfile f;
    struct cr_error err = { 0 };
    size_t n;

    if (cr_netfile_map(&f, path, &err))
        fail_msg("%s", err.msg);
    n = cr_ch_store_list(&f, buf, size);
    cr_netfile_unmap(&f);
    return n;
}

/* Routes between 8 random nodes, both ways: CH and Dijkstra alike, for PROFILE/METRIC. */
static void
ch_equals_dijkstra(const struct cr_graph *g, const char *profile, enum cr_metric metric)
{
    const struct cr_graph_view *v = cr_graph_view(g);
    struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    struct cr_session *s[2];
    struct cr_router *r[2];
    int32_t lon[8], lat[8];
    size_t n = v->node_count < 8 ? v->node_count : 8;
    int used = 0;

    for (size_t i = 0; i < n; i++) {
        uint32_t k = next_rand() % v->node_count;
        lon[i] = v->lon_e7[k];
        lat[i] = v->lat_e7[k];
    }
    o.profile = profile;
    o.metric = metric;
    for (int k = 0; k < 2; k++) {
        o.ch = k ? CR_CH_NEVER : CR_CH_AUTO;
        assert_non_null(s[k] = cr_session_open(g, &o, &err));
        assert_non_null(r[k] = cr_session_router_create(s[k], &err));
    }
    assert_int_equal(cr_session_ch_state(s[0]), CR_CH_USED);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int32_t plon[2] = { lon[i], lon[j] }, plat[2] = { lat[i], lat[j] };
            struct cr_route *a = NULL, *b = NULL;
            enum cr_status sa = cr_route_compute(r[0], plon, plat, 2, NULL, &a, &err);
            enum cr_status sb = cr_route_compute(r[1], plon, plat, 2, NULL, &b, &err);
            assert_int_equal(sa, sb);
            if (sa == CR_OK) {
                assert_true(cr_route_weight(a) == cr_route_weight(b));
                used += cr_route_used_ch(a);
            }
            cr_route_destroy(a);
            cr_route_destroy(b);
        }
    assert_true(used > 0);
    for (int k = 0; k < 2; k++) {
        cr_router_destroy(r[k]);
        cr_session_close(s[k]);
    }
}

static void
kept_renumbered_and_replaced(void **state)
{
    const char *path = network_file("kept.corr");
    struct cr_error err = { 0 };
    struct cr_graph *g;
    char buf[256];

    (void)state;
    assert_int_equal(list(path, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    contract(path, "car", CR_METRIC_TIME);
    contract(path, "car", CR_METRIC_DISTANCE);
    contract(path, "motorcycle", CR_METRIC_TIME);
    assert_int_equal(list(path, buf, sizeof buf), 3);
    assert_string_equal(buf, "car/time, car/distance, motorcycle/time");
    /* the same profile and metric again: replaced, not added */
    contract(path, "car", CR_METRIC_DISTANCE);
    assert_int_equal(list(path, buf, sizeof buf), 3);
    assert_string_equal(buf, "car/time, motorcycle/time, car/distance");
    /* a buffer too small for the list: what fits, whole names only */
    assert_int_equal(list(path, buf, 12), 3);
    assert_string_equal(buf, "car/time");

    assert_non_null(g = cr_graph_open(path, &err));
    ch_equals_dijkstra(g, "car", CR_METRIC_TIME);
    ch_equals_dijkstra(g, "car", CR_METRIC_DISTANCE);
    ch_equals_dijkstra(g, "motorcycle", CR_METRIC_TIME);
    assert_int_equal(ch_state(g, "truck", CR_METRIC_TIME), CR_CH_ABSENT);
    cr_graph_close(g);
}

/* PATH rewritten as OUT with section NAME replaced by COUNT elements of DATA (ELEM bytes). */
static void
rewrite(const char *path, const char *out, const char *name, const void *data, uint32_t elem,
        uint64_t count)
{
    struct cr_netfile f;
    struct cr_netfile_writer *w;
    struct cr_error err = { 0 };

    if (cr_netfile_map(&f, path, &err) || !(w = cr_netfile_writer_create(out, &err)))
        fail_msg("%s", err.msg);
    for (uint32_t i = 0; i < f.header->section_count; i++) {
        const struct cr_netfile_section *s = &f.sections[i];
        enum cr_status st;
        if (!strcmp(s->name, name))
            st = cr_netfile_writer_add(w, s->name, data, elem, count, &err);
        else
            st = cr_netfile_writer_add(w, s->name, f.data + s->offset, s->elem_size,
                                       s->size / s->elem_size, &err);
        if (st)
            fail_msg("%s", err.msg);
    }
    if (cr_netfile_writer_commit(w, &err))
        fail_msg("%s", err.msg);
    cr_netfile_writer_destroy(w);
    cr_netfile_unmap(&f);
}

static void
damaged_hierarchy_refused(void **state)
{
    const char *path = network_file("damaged.corr");
    char out[600];
    struct cr_netfile f;
    struct cr_error err = { 0 };
    struct cr_graph *g;
    struct cr_session *s;
    struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT;
    const uint32_t *head;
    uint64_t count;

    (void)state;
    contract(path, "car", CR_METRIC_TIME);
    contract(path, "car", CR_METRIC_DISTANCE);
    /* ch0.up_head one element short: the lengths of car/time's arrays disagree */
    assert_int_equal(cr_netfile_map(&f, path, &err), CR_OK);
    assert_non_null(head = cr_netfile_section(&f, "ch0.up_head", sizeof(uint32_t), &count, &err));
    assert_true(count > 0);
    snprintf(out, sizeof out, "%s.short", path);
    rewrite(path, out, "ch0.up_head", head, sizeof(uint32_t), count - 1);
    cr_netfile_unmap(&f);

    assert_non_null(g = cr_graph_open(out, &err));
    assert_null(s = cr_session_open(g, &o, &err));
    assert_int_equal(err.code, CR_EFORMAT);
    assert_non_null(strstr(err.msg, "hierarchy car/time: array lengths disagree"));
    assert_non_null(strstr(err.msg, "damaged.corr.short"));
    assert_null(strchr(err.msg, '\n'));
    /* the other hierarchy is whole and used */
    assert_int_equal(ch_state(g, "car", CR_METRIC_DISTANCE), CR_CH_USED);
    cr_graph_close(g);
}

static void
unreadable_index_is_none(void **state)
{
    const char *path = network_file("index.corr");
    static const char garbage[] = "{\"not\": \"an array\"}";
    static const char open_text[] = { '[', '{' }; /* no closing NUL */
    char out[600];
    struct cr_error err = { 0 };
    struct cr_graph *g;
    char buf[64];

    (void)state;
    contract(path, "car", CR_METRIC_TIME);
    snprintf(out, sizeof out, "%s.garbage", path);
    rewrite(path, out, "ch.index", garbage, 1, sizeof garbage);
    assert_int_equal(list(out, buf, sizeof buf), 0);
    assert_non_null(g = cr_graph_open(out, &err));
    assert_int_equal(ch_state(g, "car", CR_METRIC_TIME), CR_CH_ABSENT);
    cr_graph_close(g);

    rewrite(path, out, "ch.index", open_text, 1, sizeof open_text);
    assert_int_equal(list(out, buf, sizeof buf), 0);
    assert_non_null(g = cr_graph_open(out, &err));
    assert_int_equal(ch_state(g, "car", CR_METRIC_TIME), CR_CH_ABSENT);
    cr_graph_close(g);

    /* a later contract on such a file starts a fresh index and works */
    contract(out, "car", CR_METRIC_TIME);
    assert_int_equal(list(out, buf, sizeof buf), 1);
    assert_non_null(g = cr_graph_open(out, &err));
    ch_equals_dijkstra(g, "car", CR_METRIC_TIME);
    cr_graph_close(g);
}

/* The ch.index text of PATH into BUF. */
static void
index_text(const char *path, char *buf, size_t size)
{
    struct cr_netfile f;
    struct cr_error err = { 0 };
    const char *text;
    uint64_t n;

    if (cr_netfile_map(&f, path, &err) || !(text = cr_netfile_section(&f, "ch.index", 1, &n, &err)))
        fail_msg("%s", err.msg);
    assert_true(n > 0 && n < size);
    memcpy(buf, text, n);
    cr_netfile_unmap(&f);
}

/* A hierarchy contracted with the tie rule says so in its index entry; one stored before the
 * rule (the same entry without the key) still loads and routes as Dijkstra does by weight, and
 * a later contract puts the key back. */
static void
hierarchy_before_tie_rule(void **state)
{
    const char *path = network_file("tie.corr");
    static const char key[] = ",\"tie\":\"weight,second\"";
    char text[4096], out[600], *at;
    struct cr_error err = { 0 };
    struct cr_graph *g;

    (void)state;
    contract(path, "car", CR_METRIC_TIME);
    index_text(path, text, sizeof text);
    assert_non_null(at = strstr(text, key));
    memmove(at, at + strlen(key), strlen(at + strlen(key)) + 1);
    snprintf(out, sizeof out, "%s.old", path);
    rewrite(path, out, "ch.index", text, 1, strlen(text) + 1);
    index_text(out, text, sizeof text);
    assert_null(strstr(text, "tie"));
    assert_non_null(g = cr_graph_open(out, &err));
    assert_int_equal(ch_state(g, "car", CR_METRIC_TIME), CR_CH_USED);
    ch_equals_dijkstra(g, "car", CR_METRIC_TIME);
    cr_graph_close(g);
    contract(out, "car", CR_METRIC_TIME);
    index_text(out, text, sizeof text);
    assert_non_null(strstr(text, key));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kept_renumbered_and_replaced),
        cmocka_unit_test(damaged_hierarchy_refused),
        cmocka_unit_test(unreadable_index_is_none),
        cmocka_unit_test(hierarchy_before_tie_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
