/* The importer on OSM data in memory (cr_osm_build_buffer): the same network as from the file,
 * for XML and PBF; an empty buffer, an unknown format and a PBF tag holding a NUL byte (the
 * heap-buffer-overflow fuzz_osm_pbf found in libosmium's tag iterator) are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/graph.h"
#include "importers/osm/osm_import.h"

static unsigned char *
slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static void
same_as_file(const char *file, const char *format)
{
    struct cr_import_options opt = { 0 };
    struct cr_error err = { 0 };
    size_t size;
    unsigned char *data = slurp(file, &size);
    struct cr_netbuild *a = cr_osm_build(file, &opt, NULL, &err);
    struct cr_netbuild *b = cr_osm_build_buffer(data, size, format, "mem", &opt, NULL, &err);
    if (!a || !b)
        fail_msg("%s", err.msg);
    const struct cr_graph_view *va = cr_netbuild_view(a), *vb = cr_netbuild_view(b);
    assert_true(va->node_count > 0);
    assert_int_equal(va->node_count, vb->node_count);
    assert_int_equal(va->edge_count, vb->edge_count);
    assert_memory_equal(va->head, vb->head, va->edge_count * sizeof *va->head);
    cr_netbuild_destroy(a);
    cr_netbuild_destroy(b);
    free(data);
}

static void
xml_and_pbf(void **state)
{
    (void)state;
    same_as_file(CR_SOURCE_DIR "/tests/maps/route_rules.osm", "xml");
    same_as_file(CR_SOURCE_DIR "/tests/fuzz/corpus/osm_pbf/route_rules.osm.pbf", "pbf");
}

static void
refused(const void *data, size_t size, const char *format, enum cr_status want, const char *text)
{
    struct cr_import_options opt = { 0 };
    struct cr_error err = { 0 };
    assert_null(cr_osm_build_buffer(data, size, format, "mem", &opt, NULL, &err));
    assert_int_equal(err.code, want);
    if (!strstr(err.msg, text))
        fail_msg("\"%s\" does not say \"%s\"", err.msg, text);
    assert_non_null(strstr(err.msg, "mem: "));
}

static void
bad_buffers(void **state)
{
    size_t size;
    unsigned char *nul;
    (void)state;
    refused("", 0, "xml", CR_EEMPTY, "empty");
    refused("<osm", 4, "nonsense", CR_EFORMAT, "not a readable OSM file");
    refused("<osm version=\"0.6\"><node", 24, "xml", CR_EFORMAT, "not a readable OSM file");
    nul = slurp(CR_SOURCE_DIR "/tests/fuzz/crashes/osm_pbf/tag_with_nul.pbf", &size);
    refused(nul, size, "pbf", CR_EFORMAT, "a tag holds a NUL byte");
    free(nul);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xml_and_pbf),
        cmocka_unit_test(bad_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
