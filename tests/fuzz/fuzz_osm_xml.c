/*
 * Fuzz target for the OSM importer on OSM XML, in memory: the input through cr_osm_build_buffer
 * (libosmium's XML parser, the three reads, the graph build), every mode. A network built must
 * pass cr_graph_validate.
 */
#define CR_FUZZ_OSM_FORMAT "xml"
#include "fuzz_osm.h"
