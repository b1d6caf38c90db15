/*
 * Algorithm B (Dial 2006): bush-based user equilibrium, the algorithm of traffic assignment that
 * reaches relative gaps of 1e-8 and below (planning/assign.h, CR_ASSIGN_B). docs/assignment.md.
 */
#ifndef CR_PLANNING_ASSIGN_BUSH_H
#define CR_PLANNING_ASSIGN_BUSH_H

#include "core/error.h"
#include "planning/assign.h"

/* Solves P with Algorithm B under O (gap, max_iter, threads, progress). OUT was set up by
 * cr_assign_run: its flow, volume and cost arrays are allocated and zero. Fills out->flow with
 * the final class link flows, out->iterations, out->stopped, and, through cr_assign_measure after
 * each iteration, the gap fields; calls O's progress after each iteration as cr_assign_run
 * documents. */
enum cr_status cr_assign_bush(const struct cr_assign_problem *p, const struct cr_assign_options *o,
                              struct cr_assign_result *out, struct cr_error *err);

#endif
