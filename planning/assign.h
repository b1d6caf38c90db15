/*
 * Static traffic assignment: user-equilibrium link flows of an origin-destination demand on a
 * congestible network (Wardrop's first principle), by all-or-nothing, MSA, the Frank-Wolfe
 * family or Algorithm B (Dial 2006, bush-based). docs/assignment.md.
 *
 * The problem is plain arrays, whatever it came from (a TNTP test network, or an OSM network
 * file through its classes' turn graphs, planning/assign_osm.h):
 *
 * - Resources: what congests. Resource r has a capacity, a volume-delay function (BPR or
 *   conical) with its alpha and beta, and a volume v_r in passenger-car equivalents (PCE):
 *   v_r = sum over classes c of pce_c * (sum of class-c flow on the links that use r).
 * - Classes: each has its own network (its own nodes and links: a car and a truck may not use
 *   the same roads), its PCE and its demand matrix between the zones. Link l of class c costs
 *       t_l = fft_l * f_r(v_r / cap_r) + fixed_l        (r = resource[l])
 *   with f(x) = 1 + alpha x^beta (BPR) or the conical function (Spiess 1990), and
 *   t_l = fft_l + fixed_l for a link without resource. fixed_l carries what does not congest:
 *   tolls and distance times their generalised-cost factors, turn penalties.
 * - Zones: in every class network, zone z is node z (nodes 0 .. zone_count - 1). A node below
 *   through_from may start or end a path but never be passed through (TNTP's first thru
 *   node; OSM zone centroids).
 *
 * With one class (or all classes sharing fft per resource) this is the Beckmann program and
 * its objective is reported; with several classes of different free-flow times the problem is
 * a variational inequality, solved the same way (line searches find where the directional
 * derivative sum_c sum_l t_l(x + s d) d_l vanishes), and the objective is NAN.
 *
 * Convergence (the TNTP and AequilibraE definitions, over all classes, flows in vehicles):
 *   TSTT = sum_c sum_l x_l t_l                      total system travel cost
 *   SPTT = sum_c sum_od d_od pi_od                  demand on current shortest paths
 *   relative gap = (TSTT - SPTT) / TSTT,  average excess cost = (TSTT - SPTT) / sum d_od
 */
#ifndef CR_PLANNING_ASSIGN_H
#define CR_PLANNING_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define CR_ASSIGN_NO_RESOURCE UINT32_MAX

enum cr_vdf { CR_VDF_BPR = 0, CR_VDF_CONICAL = 1 };

struct cr_assign_resources {
    uint32_t count;
    double *capacity; /* [count] PCE per hour (or the network's unit); > 0 */
    double *alpha;    /* [count] BPR alpha; conical: alpha (> 1) */
    double *beta;     /* [count] BPR beta (power); conical: unused (beta derived) */
    uint8_t *vdf;     /* [count] enum cr_vdf */
};

struct cr_assign_class {
    char name[32];
    double pce;          /* passenger-car equivalents per vehicle; > 0 */
    uint32_t node_count; /* >= zone_count */
    uint32_t link_count;
    uint32_t *first_out; /* [node_count + 1] CSR: links leaving node v are first_out[v] .. */
    uint32_t *tail;      /* [link_count] (links sorted by tail) */
    uint32_t *head;      /* [link_count] */
    uint32_t *resource;  /* [link_count] resource index or CR_ASSIGN_NO_RESOURCE */
    double *fft;         /* [link_count] free-flow time, >= 0 */
    double *fixed;       /* [link_count] constant generalised cost, >= 0 */
    double *demand;      /* [zone_count * zone_count] trips (vehicles) from o to d at o*Z+d */
};

struct cr_assign_problem {
    uint32_t zone_count;
    uint32_t through_from; /* nodes below this are never passed through (0: all may be) */
    struct cr_assign_resources res;
    size_t class_count;
    struct cr_assign_class *classes; /* [class_count] */
};

/* Frees every array of P (each may be NULL) and zeroes it. */
void cr_assign_problem_fini(struct cr_assign_problem *p);

/* Checks P's shape: CSR order, indices in range, finite non-negative times and demand, positive
 * capacity, pce, BPR beta >= 0, conical alpha > 1. CR_EINVAL naming the first fault. */
enum cr_status cr_assign_problem_check(const struct cr_assign_problem *p, struct cr_error *err);

/* ---- volume-delay functions (assign_vdf.c) ---------------------------------------------- */

/* f(v / cap): the factor on free-flow time at volume V. */
double cr_vdf_factor(const struct cr_assign_resources *res, uint32_t r, double v);
/* d f / d v at V (per PCE). */
double cr_vdf_derivative(const struct cr_assign_resources *res, uint32_t r, double v);
/* integral of f from 0 to V (so fft * this is the Beckmann term of a link with fft). */
double cr_vdf_integral(const struct cr_assign_resources *res, uint32_t r, double v);

/* ---- running an assignment (assign.c) ---------------------------------------------------- */

enum cr_assign_algorithm {
    CR_ASSIGN_AON = 0, /* all-or-nothing at free-flow costs: one iteration */
    CR_ASSIGN_MSA,     /* method of successive averages, step 1/(k+1) */
    CR_ASSIGN_FW,      /* Frank-Wolfe with exact line search */
    CR_ASSIGN_CFW,     /* conjugate Frank-Wolfe (Mitradjieva and Lindberg 2013) */
    CR_ASSIGN_BFW,     /* bi-conjugate Frank-Wolfe (Mitradjieva and Lindberg 2013) */
    CR_ASSIGN_B,       /* Algorithm B (Dial 2006): bush-based, to gaps of 1e-8 and below */
    CR_ASSIGN_ALGORITHM_COUNT
};

/* "aon", "msa", "fw", "cfw", "bfw", "b". */
const char *cr_assign_algorithm_name(enum cr_assign_algorithm a);
/* Name -> algorithm ("B" and "b" both), -1 when unknown. */
int cr_assign_algorithm_parse(const char *name);

struct cr_assign_iteration {
    unsigned iteration; /* 1-based */
    double rgap, aec;   /* after this iteration */
    double objective;   /* Beckmann objective, NAN with asymmetric classes */
    double seconds;     /* since the start */
};

/* Called after each iteration; return nonzero to stop (the result is then what was reached,
 * status CR_OK, stopped = 1). */
typedef int (*cr_assign_progress_fn)(const struct cr_assign_iteration *it, void *user);

struct cr_assign_options {
    enum cr_assign_algorithm algorithm;
    double gap;        /* stop at relative gap <= this */
    unsigned max_iter; /* stop after this many iterations */
    unsigned threads;  /* shortest-path trees on this many threads; 0: one */
    cr_assign_progress_fn progress;
    void *user;
};

#define CR_ASSIGN_OPTIONS_DEFAULT                                                                  \
    ((struct cr_assign_options){ CR_ASSIGN_BFW, 1e-4, 500, 1, NULL, NULL })

struct cr_assign_result {
    double **flow;  /* [class_count][link_count of the class] vehicles */
    double *volume; /* [res.count] PCE */
    double **cost;  /* [class_count][link_count] t_l at the final volumes */
    unsigned iterations;
    int stopped;   /* the progress callback stopped it */
    int converged; /* rgap <= options.gap */
    double rgap, aec, objective, tstt, sptt, seconds;
    double unassigned; /* trips with no path (origin cannot reach destination), all classes */
};

/* Runs O's algorithm on P. Trips between zones with no path are left out and counted in
 * result.unassigned (not an error). Errors: P malformed (cr_assign_problem_check), out of memory.
 * caller frees: cr_assign_result_fini() */
enum cr_status cr_assign_run(const struct cr_assign_problem *p, const struct cr_assign_options *o,
                             struct cr_assign_result *out, struct cr_error *err);
void cr_assign_result_fini(struct cr_assign_result *r, size_t class_count);

/* The measures of flows FLOW (per class, vehicles) on P: link costs into COST (per class, may be
 * NULL), volumes into VOLUME (may be NULL), and TSTT, SPTT, relative gap, AEC and objective
 * into R's fields of those names, and the trips with no path into R->unassigned (shortest
 * paths on THREADS threads). What every algorithm reports goes through this one function. */
enum cr_status cr_assign_measure(const struct cr_assign_problem *p, double *const *flow,
                                 unsigned threads, struct cr_assign_result *r,
                                 struct cr_error *err);

#endif
