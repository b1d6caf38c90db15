/*
 * Traffic assignment on a TNTP test network (importers/tntp/tntp.h): the problem of planning/
 * assign.h built from a net and a trips file, the comparison of flows with a best-known flow
 * file, and link results as CSV rows named by init_node and term_node. docs/assignment.md,
 * "Input formats".
 *
 * The problem has one class "tntp" of PCE 1 whose network is the file's: node n of the file is
 * node n - 1, so zone z (1-based) is node z - 1; link l has its own resource (capacity, BPR with
 * alpha = b and beta = power), fft = free_flow_time and
 *     fixed = toll_factor * toll + distance_factor * length,
 * and through_from = first_thru_node - 1 (Barcelona's zones 1..110 are never passed through).
 * Links are in CSR order (stably sorted by init_node, which keeps the file order of the
 * published networks, all sorted already).
 *
 * Generalised-cost factors: the published files carry no <TOLL FACTOR> or <DISTANCE FACTOR>
 * metadata, but ChicagoSketch's best-known costs are BPR time + 0.04 * length (to 4e-16 on all
 * 2950 links); its toll column is all zero, so its toll factor cannot be told from the files
 * (0.02 in the collection's README has no effect). Pass 0.04 for ChicagoSketch.
 */
#ifndef CR_PLANNING_ASSIGN_TNTP_H
#define CR_PLANNING_ASSIGN_TNTP_H

#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "importers/tntp/tntp.h"
#include "planning/assign.h"

/* The problem of NET and TRIPS with these factors (NAN: the net's metadata, 0 when absent).
 * Errors: zone counts that differ (naming both files), out of memory.
 * caller frees: cr_assign_problem_fini() */
enum cr_status cr_assign_tntp_build(const struct cr_tntp_net *net,
                                    const struct cr_tntp_trips *trips, double toll_factor,
                                    double distance_factor, struct cr_assign_problem *out,
                                    struct cr_error *err);

/* Reads NET_PATH and TRIPS_PATH and builds their problem (errors name the file and line).
 * caller frees: cr_assign_problem_fini() */
enum cr_status cr_assign_tntp_load(const char *net_path, const char *trips_path, double toll_factor,
                                   double distance_factor, struct cr_assign_problem *out,
                                   struct cr_error *err);

/* Our flows against a best-known flow file, link by link (matched by init/term node).
 * Relative link-flow difference: |x - x*| / max(x*, 1) (vehicles: links of zero best-known
 * flow count their absolute difference). Objectives are Beckmann's,
 *     sum_l fft_l * integral_0^{x_l} f(v / cap_l) dv + fixed_l * x_l,
 * from our flows and from the reference volumes, on the same problem. */
struct cr_assign_tntp_comparison {
    uint32_t links;
    double max_rel_diff;         /* largest relative difference */
    uint32_t max_init, max_term; /* the link where it is (1-based nodes) */
    double max_abs_diff;         /* largest |x - x*| */
    double rmse;                 /* sqrt(mean (x - x*)^2) */
    double objective, objective_reference;
    double objective_rel_diff; /* (objective - objective_reference) / |objective_reference| */
};

/* Compares FLOW (of P's single class, in P's link order) with REF read from REF_PATH. Errors
 * (CR_EFORMAT, naming REF_PATH and the line): a row naming a link P lacks, a link given twice,
 * a link of P with no row; P with several classes or two links between the same nodes is
 * CR_EINVAL. */
enum cr_status cr_assign_tntp_compare(const struct cr_assign_problem *p, const double *flow,
                                      const struct cr_tntp_flow *ref, const char *ref_path,
                                      struct cr_assign_tntp_comparison *out, struct cr_error *err);

/* Beckmann's objective of FLOW on P's single class (as above). */
double cr_assign_tntp_objective(const struct cr_assign_problem *p, const double *flow);

/* Link results of P's single class as CSV: a header
 *     init_node,term_node,flow,cost,volume_capacity
 * then one row per link (nodes 1-based as in the TNTP files) with FLOW, COST (the link cost at
 * those flows, may be NULL: then computed from FLOW) and volume / capacity. */
void cr_assign_tntp_write_csv(FILE *f, const struct cr_assign_problem *p, const double *flow,
                              const double *cost);

#endif
