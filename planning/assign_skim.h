/*
 * Congested skims of an assignment: for one class, the zone-to-zone cost of the shortest path at
 * the final link costs (the assignment's own generalised cost: congested time plus the fixed
 * part: turn penalties, tolls x factors) and the length of that same path. What `corridor
 * assign --skims` writes as OpenMatrix (docs/assignment.md, "Skims").
 */
#ifndef CR_PLANNING_ASSIGN_SKIM_H
#define CR_PLANNING_ASSIGN_SKIM_H

#include "core/error.h"
#include "planning/assign.h"
#include "planning/assign_osm.h"

/* Class C of P at link costs COST[link]: TIME[o * Z + d] the cost of the shortest path from zone
 * o to zone d and, when LENGTH (per link, may be NULL) and DIST are given, DIST[o * Z + d] the
 * sum of LENGTH over that path. NAN where d cannot be reached from o, 0 on the diagonal.
 * Origins on THREADS threads (0: one). Errors: out of memory. */
enum cr_status cr_assign_skim(const struct cr_assign_problem *p, size_t c, const double *cost,
                              const double *length, unsigned threads, double *time, double *dist,
                              struct cr_error *err);

/* Metres covered by each link of class C of A into LENGTH[link_count]: the length of the edge a
 * link enters (its resource), the part after the zone's point for an origin connector, 0 for a
 * destination connector. */
void cr_assign_osm_link_lengths(const struct cr_assign_osm *a, size_t c, double *length);

#endif
