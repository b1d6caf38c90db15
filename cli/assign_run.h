/* What `corridor assign` and `corridor compare --assign` share: an OSM network's assignment from
 * the command line's options (classes, demand file, algorithm), with its progress on stderr. */
#ifndef CR_CLI_ASSIGN_RUN_H
#define CR_CLI_ASSIGN_RUN_H

#include <stddef.h>

#include "core/graph.h"
#include "planning/assign.h"
#include "planning/assign_osm.h"
#include "spatial/zones.h"

/* Runs the assignment of the demand in DEMAND_PATH (a CSV file, importers/demand/demand.h, zone
 * ids as cr_compare_zone_id gives them, an optional class column naming the classes' profiles;
 * or an OpenMatrix file, one matrix per class named after its profile) between zones Z on
 * network G, with the classes CLASS_SPECS[0 .. N-1] (each "PROFILE[:key=value,...]",
 * cr_assign_class_parse; N >= 1: the caller passes its --profile when there is no --classes),
 * the network options OO (NULL: CR_ASSIGN_OSM_OPTIONS_DEFAULT) and the algorithm and stopping
 * rules of AO, through cli_assign_solve. Warns on stderr about zones a class could not place
 * and trips left unassigned. On success fills OSM_OUT and RES_OUT (caller frees:
 * cr_assign_result_fini(RES_OUT, OSM_OUT->problem.class_count), then cr_assign_osm_fini) and
 * returns 0; otherwise prints "corridor CMD: message" and returns the exit code (1 bad input, 2
 * a bad class spec), with nothing to free. */
int cli_assign_osm_run(const char *cmd, const struct cr_graph *g, const struct cr_zones *z,
                       const char *demand_path, const char *const *class_specs, size_t n,
                       const struct cr_assign_osm_options *oo, const struct cr_assign_options *ao,
                       int quiet, struct cr_assign_osm *osm_out, struct cr_assign_result *res_out);

/* cr_assign_run of P with AO's algorithm and stopping rules (its progress and user replaced:
 * unless QUIET, each iteration goes to stderr as "iteration N  relative gap G  AEC A", one line
 * updated in place on a terminal, every 10th iteration and the last otherwise), then a warning
 * for trips left unassigned. 0, or prints "corridor CMD: message" and returns 1 (RES_OUT then
 * holds nothing to free). caller frees: cr_assign_result_fini(RES_OUT, P->class_count) */
int cli_assign_solve(const char *cmd, const struct cr_assign_problem *p,
                     const struct cr_assign_options *ao, int quiet,
                     struct cr_assign_result *res_out);

#endif
