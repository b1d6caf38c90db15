/*
 * Internals of traffic assignment shared by assign.c, assign_aon.c and assign_fw.c (and open to
 * Algorithm B in assign_bush.c): link costs from volumes, all-or-nothing loading on threads, and
 * the Frank-Wolfe family's driver. Not part of the contract (planning/assign.h).
 */
#ifndef CR_PLANNING_ASSIGN_INTERNAL_H
#define CR_PLANNING_ASSIGN_INTERNAL_H

#include <stddef.h>

#include "core/error.h"
#include "planning/assign.h"
#include "planning/assign_sp.h"

/* Origins of one class are dealt to this many chunks (origin i of the class's origins with
 * demand goes to chunk i % CR_ASSIGN_AON_CHUNKS), each loaded into its own accumulator and the
 * chunks summed in chunk order: the flows are the same bits whatever the thread count and
 * whichever thread took which chunk. */
#define CR_ASSIGN_AON_CHUNKS 8

/* The PCE volume of every resource from class flows FLOW. */
void cr_assign_volumes(const struct cr_assign_problem *p, double *const *flow, double *volume);
/* Every class's link costs at resource volumes VOLUME into COST[c][l]. */
void cr_assign_costs(const struct cr_assign_problem *p, const double *volume, double *const *cost);
/* sum_c sum_l flow * cost. */
double cr_assign_tstt(const struct cr_assign_problem *p, double *const *flow, double *const *cost);
/* The objective (planning/assign.h, docs/assignment.md) at FLOW with volumes VOLUME: NAN when
 * some resource is used by links of different free-flow times. */
double cr_assign_objective(const struct cr_assign_problem *p, double *const *flow,
                           const double *volume);

/* All-or-nothing loading: one shortest-path search per thread, CR_ASSIGN_AON_CHUNKS link-flow
 * accumulators. */
struct cr_assign_aon {
    const struct cr_assign_problem *p;
    unsigned threads;
    struct cr_assign_sp *sp; /* [threads] */
    double **node_load;      /* [threads][max node count] */
    double **chunk_flow;     /* [CR_ASSIGN_AON_CHUNKS][max link count] */
    uint32_t *origins;       /* [zone_count] origins with demand of the class being loaded */
};

/* What one all-or-nothing pass found, over all classes. */
struct cr_assign_aon_totals {
    double sptt;       /* sum of demand times shortest-path cost */
    double demand;     /* trips that have a path */
    double unassigned; /* trips that have none */
};

/* caller frees: cr_assign_aon_fini() */
enum cr_status cr_assign_aon_init(struct cr_assign_aon *a, const struct cr_assign_problem *p,
                                  unsigned threads, struct cr_error *err);
void cr_assign_aon_fini(struct cr_assign_aon *a);
/* Shortest paths of every class at link costs COST from every origin with demand; when FLOW is
 * not NULL, every trip with a path is loaded on its path into FLOW[c] (overwritten). */
enum cr_status cr_assign_aon_run(struct cr_assign_aon *a, double *const *cost, double *const *flow,
                                 struct cr_assign_aon_totals *t, struct cr_error *err);

/* AON, MSA, FW, CFW, BFW (assign_fw.c): OUT as cr_assign_run set it up (arrays zero). */
enum cr_status cr_assign_fw(const struct cr_assign_problem *p, const struct cr_assign_options *o,
                            struct cr_assign_result *out, struct cr_error *err);

/* Seconds of a monotonic clock. */
double cr_assign_now(void);

#endif
