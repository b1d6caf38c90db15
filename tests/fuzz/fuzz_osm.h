/*
 * The body of fuzz_osm_xml.c and fuzz_osm_pbf.c: CR_FUZZ_OSM_FORMAT names the format.
 */
#ifndef CR_TESTS_FUZZ_OSM_H
#define CR_TESTS_FUZZ_OSM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/graph.h"
#include "fuzz_util.h"
#include "importers/osm/osm_import.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cr_import_options opt = { 0 };
    struct cr_import_stats stats;
    struct cr_error err;
    struct cr_netbuild *b =
        cr_osm_build_buffer(data, size, CR_FUZZ_OSM_FORMAT, "fuzz", &opt, &stats, &err);
    if (b) {
        if (cr_graph_validate(cr_netbuild_view(b), "fuzz", &err) != CR_OK)
            abort();
        cr_netbuild_destroy(b);
    }
    return 0;
}

#endif
