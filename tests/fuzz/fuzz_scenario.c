/*
 * Fuzz target for the scenario inputs (importers/scenario, the read part and what follows it):
 * the input, as a GeoJSON file in GDAL's memory file system, given to cr_scenario_build over
 * tests/maps/route_rules.osm (imported once in LLVMFuzzerInitialize) as the --add layer, then as
 * the --close and --interchanges layers. The scenario network is written to a scratch file in
 * /dev/shm and must open.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "corridor/import.h"
#include "corridor/network.h"
#include "fuzz_util.h"
#include "importers/scenario/scenario.h"

static char base[256], output[256];

static void
cleanup(void)
{
    unlink(base);
    unlink(output);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct cr_error err;
    struct cr_import_options opt = { 0 };

    (void)argc;
    (void)argv;
    if (!fuzz_scratch(NULL, 0, "-base.corr", base, sizeof base) ||
        !fuzz_scratch(NULL, 0, "-out.corr", output, sizeof output) ||
        cr_osm_import(CR_SOURCE_DIR "/tests/maps/route_rules.osm", base, &opt, NULL, &err)) {
        fprintf(stderr, "fuzz_scenario: cannot import the base network\n");
        exit(1);
    }
    atexit(cleanup);
    return 0;
}

static void
build(const struct cr_scenario_options *o)
{
    struct cr_scenario_stats stats;
    struct cr_error err;
    if (cr_scenario_build(o, &stats, &err) == CR_OK) {
        struct cr_graph *g = cr_graph_open(o->output, &err);
        if (!g)
            abort();
        cr_graph_close(g);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    struct cr_scenario_options o;

    fuzz_vsimem(data, size, ".geojson", path, sizeof path);
    memset(&o, 0, sizeof o);
    o.base = base;
    o.output = output;
    o.add = path;
    build(&o);
    o.add = NULL;
    o.close = path;
    o.interchanges = path;
    build(&o);
    fuzz_vsimem_drop(path);
    return 0;
}
