/* TNTP net, trips and flow files: small synthetic files written by the test (exact values and
 * every bad-input case), and the four published networks of ../shared when present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "importers/tntp/tntp.h"

#define MAX_FILES 64
#define FOLDER_TEMPLATE "/tmp/test_tntp.XXXXXX"

#include "folder.h"

#define SHARED CR_SOURCE_DIR "/../shared/datasets/tntp/"

/* Synthetic: 2 zones, 4 nodes, zones not passed through, factors in the metadata. */
static const char small_net[] =
    "<NUMBER OF ZONES> 2\n"
    "<NUMBER OF NODES>\t4\n"
    "<FIRST THRU NODE> 3\r\n"
    "<NUMBER OF LINKS> 4\n"
    "<TOLL FACTOR> 0.5\n"
    "<DISTANCE FACTOR> 0.25\n"
    "<ORIGINAL HEADER>~ anything ; at all\n"
    "<END OF METADATA>\n"
    "\n"
    "~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower"
    "\tspeed\ttoll\tlink_type\t;\n"
    "\t1\t3\t100\t2\t1.5\t0.15\t4\t60\t0\t1\t;\n"
    "3 4 200.5 1e1 2 0 0 0 3 2;\n"
    "  ~ a comment between rows\n"
    "4 2 100 2 1.5 0.15 4 60 0 1 ;\r\n"
    "3 1 1 0 0 0 0 0 0 9 ;\n";

static const char small_trips[] = "<NUMBER OF ZONES> 2\n"
                                  "<TOTAL OD FLOW> 150.5\n"
                                  "<END OF METADATA>\n\n"
                                  "~ comment\n"
                                  "Origin \t1\n"
                                  "    1 :      0.0;     2 :    100.0;\n"
                                  "Origin 2\n"
                                  " 1 : 50.5 ;\n";

static const char small_flow[] = "From \tTo \tVolume \tCost \n"
                                 "1\t3\t150.25\t1.75\n"
                                 "3 4 0 2\n";

static void
small_files(void **state)
{
    struct folder *f = *state;
    struct cr_error err = { CR_OK, "" };
    struct cr_tntp_net net;
    struct cr_tntp_trips trips;
    struct cr_tntp_flow flow;

    if (cr_tntp_net_read(write_file(f, "s_net.tntp", small_net), &net, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(net.zone_count, 2);
    assert_int_equal(net.node_count, 4);
    assert_int_equal(net.first_thru_node, 3);
    assert_int_equal(net.link_count, 4);
    assert_true(net.toll_factor == 0.5 && net.distance_factor == 0.25);
    const struct cr_tntp_link *l = &net.links[1];
    assert_int_equal(l->init_node, 3);
    assert_int_equal(l->term_node, 4);
    assert_int_equal(l->line, 12);
    assert_int_equal(l->link_type, 2);
    assert_true(l->capacity == 200.5 && l->length == 10 && l->free_flow_time == 2 && l->b == 0 &&
                l->power == 0 && l->speed == 0 && l->toll == 3);
    assert_int_equal(net.links[2].line, 14);
    assert_true(net.links[3].capacity == 1 && net.links[3].link_type == 9);
    cr_tntp_net_fini(&net);
    assert_null(net.links);
    cr_tntp_net_fini(&net);

    if (cr_tntp_trips_read(write_file(f, "s_trips.tntp", small_trips), &trips, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(trips.zone_count, 2);
    assert_true(trips.total_od_flow == 150.5 && trips.sum == 150.5);
    assert_true(trips.trips[0] == 0 && !signbit(trips.trips[0]));
    assert_true(trips.trips[1] == 100 && trips.trips[2] == 50.5 && trips.trips[3] == 0);
    cr_tntp_trips_fini(&trips);

    if (cr_tntp_flow_read(write_file(f, "s_flow.tntp", small_flow), &flow, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(flow.count, 2);
    assert_true(flow.rows[0].from == 1 && flow.rows[0].to == 3 && flow.rows[0].volume == 150.25 &&
                flow.rows[0].cost == 1.75 && flow.rows[0].line == 2);
    assert_true(flow.rows[1].from == 3 && flow.rows[1].to == 4 && flow.rows[1].volume == 0);
    cr_tntp_flow_fini(&flow);
}

struct bad {
    char kind; /* 'n' net, 't' trips, 'f' flow */
    const char *text;
    const char *want; /* in the message, after "<path>: " */
};

#define NET_HEAD                                                                                   \
    "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 2\n"         \
    "<END OF METADATA>\n"
#define TRIPS_HEAD "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 10\n<END OF METADATA>\n"

static const struct bad bad_cases[] = {
    { 'n', "1 2 1 1 1 1 1 1 1 1;\n", "line 1: want a <KEY> value metadata line" },
    { 'n', "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n1 2 1 1 1 1 1 1 1 1;\n",
      "line 3: want a <KEY> value" },
    { 'n', "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n",
      "no <END OF METADATA>" },
    { 'n', "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n<END OF METADATA>\n",
      "no <NUMBER OF LINKS> in the metadata" },
    { 'n', "<NUMBER OF ZONES> two\n<END OF METADATA>\n",
      "line 1: <NUMBER OF ZONES> \"two\" is not" },
    { 'n', "<NUMBER OF ZONES> 5\n<NUMBER OF NODES> 3\n<END OF METADATA>\n",
      "<NUMBER OF NODES> 3 is not a whole number in 5.." },
    { 'n', NET_HEAD "1 2 1 1 1 1 1 1 1 1;\n1 3 1 1 1 1 1 1 1;\n",
      "line 7: no link_type field (9 of 10)" },
    { 'n', NET_HEAD "1 2 1 1 1 1 1 1 1 1;\n1 3 ;\n", "line 7: no capacity field (2 of 10)" },
    { 'n', NET_HEAD "1 2 1 1 1 1 1 1 1 1;\n1 3 1 1 1 1 1 1 1 1 1;\n",
      "line 7: more than 10 fields" },
    { 'n', NET_HEAD "1 2 1 1 1 1 1 1 1 1\n", "line 6: row does not end with ';'" },
    { 'n', NET_HEAD "1 4 1 1 1 1 1 1 1 1;\n", "line 6: term_node \"4\" not a node in 1..3" },
    { 'n', NET_HEAD "0 2 1 1 1 1 1 1 1 1;\n", "line 6: init_node \"0\" not a node in 1..3" },
    { 'n', NET_HEAD "1 2 0 1 1 1 1 1 1 1;\n", "line 6: capacity 0 must be > 0" },
    { 'n', NET_HEAD "1 2 1 1 -1 1 1 1 1 1;\n", "line 6: free_flow_time -1 must be >= 0" },
    { 'n', NET_HEAD "1 2 1 1 1 x 1 1 1 1;\n", "line 6: b \"x\" is not a number" },
    { 'n', NET_HEAD "1 2 1 1 1 1 1 1 1 1;\n", "1 links but <NUMBER OF LINKS> is 2" },
    { 'n', NET_HEAD "1 2 1 1 1 1 1 1 1 1;\n2 3 1 1 1 1 1 1 1 1;\n3 1 1 1 1 1 1 1 1 1;\n",
      "line 8: more links than <NUMBER OF LINKS> 2" },
    { 't', TRIPS_HEAD "Origin 1\n 2 : -10;\n", "line 5: negative trips -10 from 1 to 2" },
    { 't', TRIPS_HEAD "Origin 1\n 3 : 10;\n", "line 5: destination \"3\" not a zone in 1..2" },
    { 't', TRIPS_HEAD "Origin 3\n 1 : 10;\n", "line 4: origin \"3\" not a zone in 1..2" },
    { 't', TRIPS_HEAD " 1 : 10;\n", "line 4: trips before any \"Origin\" line" },
    { 't', TRIPS_HEAD "Origin 1\n 2 : 10\n", "line 5: want \"destination : trips;\" items" },
    { 't', TRIPS_HEAD "Origin 1\n 2 : ;\n", "line 5: trips to 2 \"\" not a number" },
    { 't', TRIPS_HEAD "Origin 1\n 2 : 5; 2 : 5;\n", "line 5: trips from 1 to 2 given twice" },
    { 't', TRIPS_HEAD "Origin 1\n 2 : 9;\n", "trips add up to 9 but <TOTAL OD FLOW> is 10" },
    { 't', "<NUMBER OF ZONES> 2\n<END OF METADATA>\n", "no <TOTAL OD FLOW> in the metadata" },
    { 'f', "From To Volume\n1 2 3\n", "line 1: want the header \"From To Volume Cost\"" },
    { 'f', "1 2 3 4\n", "line 1: want the header" },
    { 'f', "From To Volume Cost\n1 2 3\n", "line 2: missing fields" },
    { 'f', "From To Volume Cost\n1 2 x 4\n", "line 2: Volume \"x\" is not a number" },
    { 'f', "From To Volume Cost\n", "no flow rows" },
    { 'f', "", "empty" },
};

static void
bad_inputs(void **state)
{
    struct folder *f = *state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const struct bad *b = &bad_cases[i];
        struct cr_error err = { CR_OK, "" };
        char name[32], want[300];
        enum cr_status st;
        snprintf(name, sizeof name, "bad%zu.tntp", i);
        const char *path = write_file(f, name, b->text);
        if (b->kind == 'n') {
            struct cr_tntp_net n;
            st = cr_tntp_net_read(path, &n, &err);
            assert_null(n.links);
        } else if (b->kind == 't') {
            struct cr_tntp_trips t;
            st = cr_tntp_trips_read(path, &t, &err);
            assert_null(t.trips);
        } else {
            struct cr_tntp_flow fl;
            st = cr_tntp_flow_read(path, &fl, &err);
            assert_null(fl.rows);
        }
        snprintf(want, sizeof want, "%s: %s", path, b->want);
        if (st == CR_OK || strncmp(err.msg, want, strlen(want)) != 0)
            fail_msg("case %zu: status %d, message \"%s\", want \"%s...\"", i, st, err.msg, want);
    }
}

static void
missing_file(void **state)
{
    struct cr_error err = { CR_OK, "" };
    struct cr_tntp_net n;
    (void)state;
    assert_int_equal(cr_tntp_net_read("/nonexistent/x_net.tntp", &n, &err), CR_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/x_net.tntp: cannot open"));
}

struct published {
    const char *name;
    uint32_t zones, nodes, thru, links;
    double total;
};

static void
published_networks(void **state)
{
    static const struct published nets[] = {
        { "SiouxFalls", 24, 24, 1, 76, 360600.0 },
        { "Anaheim", 38, 416, 39, 914, 104694.40 },
        { "ChicagoSketch", 387, 933, 1, 2950, 1260907.4400005303 },
        { "Barcelona", 110, 1020, 111, 2522, 184679.561 },
    };
    char path[512];
    struct stat sb;
    int found = 0;
    (void)state;
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++) {
        const struct published *w = &nets[i];
        struct cr_error err = { CR_OK, "" };
        struct cr_tntp_net net;
        struct cr_tntp_trips trips;
        struct cr_tntp_flow flow;
        snprintf(path, sizeof path, SHARED "%s_net.tntp", w->name);
        if (stat(path, &sb) != 0)
            continue;
        found++;
        if (cr_tntp_net_read(path, &net, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(net.zone_count, w->zones);
        assert_int_equal(net.node_count, w->nodes);
        assert_int_equal(net.first_thru_node, w->thru);
        assert_int_equal(net.link_count, w->links);
        cr_tntp_net_fini(&net);
        snprintf(path, sizeof path, SHARED "%s_trips.tntp", w->name);
        if (cr_tntp_trips_read(path, &trips, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(trips.zone_count, w->zones);
        assert_true(trips.total_od_flow == w->total);
        assert_true(fabs(trips.sum - w->total) < 1e-6 * w->total);
        cr_tntp_trips_fini(&trips);
        snprintf(path, sizeof path, SHARED "%s_flow.tntp", w->name);
        if (cr_tntp_flow_read(path, &flow, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(flow.count, w->links);
        cr_tntp_flow_fini(&flow);
    }
    if (!found) {
        print_message("skipped: no TNTP networks in " SHARED "\n");
        skip();
    }
}

/* SiouxFalls values checked by hand against the file. */
static void
sioux_falls_values(void **state)
{
    struct cr_error err = { CR_OK, "" };
    struct cr_tntp_net net;
    struct stat sb;
    (void)state;
    if (stat(SHARED "SiouxFalls_net.tntp", &sb) != 0) {
        print_message("skipped: " SHARED "SiouxFalls_net.tntp absent\n");
        skip();
    }
    if (cr_tntp_net_read(SHARED "SiouxFalls_net.tntp", &net, &err))
        fail_msg("%s", err.msg);
    assert_true(net.links[0].init_node == 1 && net.links[0].term_node == 2);
    assert_true(net.links[0].capacity == 25900.20064 && net.links[0].free_flow_time == 6);
    assert_true(net.links[0].b == 0.15 && net.links[0].power == 4);
    assert_true(net.toll_factor == 0 && net.distance_factor == 0);
    cr_tntp_net_fini(&net);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(small_files, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(bad_inputs, make_folder, remove_folder),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(published_networks),
        cmocka_unit_test(sioux_falls_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
