/*
 * Fuzz target for the OSM importer on OSM PBF, in memory: the input through cr_osm_build_buffer
 * (libosmium's PBF decoder, the three reads, the graph build), every mode. A network built must
 * pass cr_graph_validate.
 */
#define CR_FUZZ_OSM_FORMAT "pbf"
#include "fuzz_osm.h"
