/*
 * The OSM importer on a SYNTHETIC map written by this test: a port drawn as a multipolygon
 * relation (outer and inner ways, no tags of their own) beside a road and a navigable river
 * becomes one terminal placed at the mean of its outer ways' nodes, joined to both; a disused
 * one does not. And the files the importer must refuse with one line naming them: missing,
 * empty, truncated XML, not OSM at all.
 *
 *   lat 10.003  14 ---- 15 ---- 16        river (CEMT IV)
 *   lat 10.002      23 ------ 22          outer ring of relation 500 (landuse=port)
 *   lat 10.001      20 ------ 21          inner ring 24-27 near 20
 *   lat 10.000   1 ----- 2 ----- 3        road (primary)
 *                lon 106.000 .. 106.002
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/graph.h"
#include "importers/osm/osm_import.h"

static char dir[64];
static char path_buf[256];

static const char *const head_xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<osm version=\"0.6\" generator=\"test_osm_area_terminal (synthetic)\">\n"
    " <node id=\"1\" version=\"1\" lat=\"10.000\" lon=\"106.000\"/>\n"
    " <node id=\"2\" version=\"1\" lat=\"10.000\" lon=\"106.001\"/>\n"
    " <node id=\"3\" version=\"1\" lat=\"10.000\" lon=\"106.002\"/>\n"
    " <node id=\"14\" version=\"1\" lat=\"10.003\" lon=\"106.000\"/>\n"
    " <node id=\"15\" version=\"1\" lat=\"10.003\" lon=\"106.001\"/>\n"
    " <node id=\"16\" version=\"1\" lat=\"10.003\" lon=\"106.002\"/>\n"
    " <node id=\"20\" version=\"1\" lat=\"10.001\" lon=\"106.0005\"/>\n"
    " <node id=\"21\" version=\"1\" lat=\"10.001\" lon=\"106.0015\"/>\n"
    " <node id=\"22\" version=\"1\" lat=\"10.002\" lon=\"106.0015\"/>\n"
    " <node id=\"23\" version=\"1\" lat=\"10.002\" lon=\"106.0005\"/>\n"
    " <node id=\"24\" version=\"1\" lat=\"10.0011\" lon=\"106.0006\"/>\n"
    " <node id=\"25\" version=\"1\" lat=\"10.0011\" lon=\"106.0007\"/>\n"
    " <node id=\"26\" version=\"1\" lat=\"10.0012\" lon=\"106.0007\"/>\n"
    " <node id=\"27\" version=\"1\" lat=\"10.0012\" lon=\"106.0006\"/>\n"
    " <way id=\"101\" version=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><nd ref=\"3\"/>"
    "<tag k=\"highway\" v=\"primary\"/></way>\n"
    " <way id=\"107\" version=\"1\"><nd ref=\"14\"/><nd ref=\"15\"/><nd ref=\"16\"/>"
    "<tag k=\"waterway\" v=\"river\"/><tag k=\"CEMT\" v=\"IV\"/></way>\n"
    " <way id=\"201\" version=\"1\"><nd ref=\"20\"/><nd ref=\"21\"/><nd ref=\"22\"/>"
    "<nd ref=\"23\"/><nd ref=\"20\"/></way>\n"
    " <way id=\"202\" version=\"1\"><nd ref=\"24\"/><nd ref=\"25\"/><nd ref=\"26\"/>"
    "<nd ref=\"27\"/><nd ref=\"24\"/></way>\n";

static const char *
in_dir(const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    return path_buf;
}

static const char *
write_file(const char *name, const char *a, const char *b)
{
    const char *path = in_dir(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(a, f);
    fputs(b, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_osm_area_terminal.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    static const char *const names[] = { "port.osm", "disused.osm", "empty.osm",
                                         "cut.osm",  "text.osm",    NULL };
    for (int i = 0; names[i]; i++)
        unlink(in_dir(names[i]));
    rmdir(dir);
    return 0;
}

static const char *
relation(const char *extra)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             " <relation id=\"500\" version=\"1\">"
             "<member type=\"way\" ref=\"201\" role=\"outer\"/>"
             "<member type=\"way\" ref=\"202\" role=\"inner\"/>"
             "<member type=\"way\" ref=\"999\" role=\"outer\"/>" /* not in the file */
             "<member type=\"node\" ref=\"2\" role=\"\"/>"
             "<tag k=\"type\" v=\"multipolygon\"/><tag k=\"landuse\" v=\"port\"/>"
             "<tag k=\"name\" v=\"Port P\"/>%s</relation>\n</osm>\n",
             extra);
    return buf;
}

static void
multipolygon_port_is_a_terminal(void **state)
{
    (void)state;
    const char *path = write_file("port.osm", head_xml, relation(""));
    struct cr_error err = { 0 };
    struct cr_netbuild *b = cr_osm_build(path, NULL, NULL, &err);
    if (!b)
        fail_msg("%s", err.msg);
    const struct cr_graph_view *v = cr_netbuild_view(b);
    assert_int_equal(v->terminal_count, 1);
    const struct cr_terminal *t = &v->terminals[0];
    assert_true(t->osm_id == -500); /* relations are negative */
    assert_int_equal(t->source, CR_TERMINAL_OSM_AREA);
    assert_int_equal(t->kind, CR_TERMINAL_PORT);
    assert_string_equal(cr_graph_string(v, t->name), "Port P");
    /* the mean of the outer ring's nodes (the inner ring, near node 20, is not counted) */
    assert_true(t->lon_e7 > 1060008000 && t->lon_e7 < 1060012000);
    assert_true(t->lat_e7 > 100013000 && t->lat_e7 < 100017000);
    /* joined to the road and to the river */
    assert_int_equal(t->linked, (1u << CR_GROUP_ROAD) | (1u << CR_GROUP_WATER));
    assert_int_equal(v->group[t->node], CR_GROUP_TERMINAL);
    assert_true(v->first_out[t->node + 1] - v->first_out[t->node] == 2);
    cr_netbuild_destroy(b);
}

static void
disused_port_is_not(void **state)
{
    (void)state;
    const char *path =
        write_file("disused.osm", head_xml, relation("<tag k=\"disused\" v=\"yes\"/>"));
    struct cr_error err = { 0 };
    struct cr_netbuild *b = cr_osm_build(path, NULL, NULL, &err);
    if (!b)
        fail_msg("%s", err.msg);
    assert_int_equal(cr_netbuild_view(b)->terminal_count, 0);
    cr_netbuild_destroy(b);
}

/* PATH refused: NULL, an error naming the file, on one line. */
static void
refused(const char *path)
{
    struct cr_error err = { 0 };
    struct cr_netbuild *b = cr_osm_build(path, NULL, NULL, &err);
    assert_null(b);
    assert_int_not_equal(err.code, CR_OK);
    if (!strstr(err.msg, strrchr(path, '/') + 1))
        fail_msg("\"%s\" does not name %s", err.msg, path);
    assert_null(strchr(err.msg, '\n'));
}

static void
bad_files_refused(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("missing.osm"));
    refused(path);
    snprintf(path, sizeof path, "%s", write_file("empty.osm", "", ""));
    refused(path);
    /* cut inside the ways, as a download that stopped */
    char cut[2048];
    snprintf(cut, sizeof cut, "%s", head_xml);
    cut[strlen(cut) * 2 / 3] = '\0';
    snprintf(path, sizeof path, "%s", write_file("cut.osm", cut, ""));
    refused(path);
    snprintf(path, sizeof path, "%s", write_file("text.osm", "name,lon,lat\nA,1,2\n", ""));
    refused(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(multipolygon_port_is_a_terminal),
        cmocka_unit_test(disused_port_is_not),
        cmocka_unit_test(bad_files_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
