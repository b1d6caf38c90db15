/*
 * A SYNTHETIC gravity demand: trips between zones made up from land use and travel times, for
 * testing and demonstrating assignment where no surveyed OD matrix exists. It is not a travel
 * survey and not a calibrated model; every table it writes says so. See docs/assignment.md,
 * "Synthetic gravity demand".
 *
 * Productions P_i and attractions A_j per zone: the zone's area (m2) times a weight per land-use
 * class (cr_gravity_default_weights: residential zones produce, commercial, retail, industrial
 * and education zones attract), or the area alone (both ends) for a layer without classes.
 * Both are scaled to sum to TOTAL trips.
 *
 * Doubly constrained: T_ij = a_i b_j P_i A_j f(t_ij) with f(t) = exp(-beta t), t in minutes
 * from the zone-to-zone skim (planning/skim.h). Pairs that are not reachable (or a zone not
 * placed on the network) get no trips, and intrazonal pairs (i = j) none either: those trips
 * would not load the network. Furness balancing (alternate row and column scaling) until every
 * row and column sum is within TOLERANCE (relative) of its target; a zone with production but no
 * reachable attraction (or the reverse) is dropped first and the rest scaled back to TOTAL.
 * The last step scales columns, so the trips add up to TOTAL (to rounding) even when the
 * iteration limit is reached first (the result says so).
 */
#ifndef CR_PLANNING_GRAVITY_H
#define CR_PLANNING_GRAVITY_H

#include <stddef.h>

#include "core/error.h"
#include "planning/skim.h"
#include "spatial/zones.h"

/* A land-use weight: zones whose class contains WORD (case-insensitive) produce PRODUCTION and
 * attract ATTRACTION trips per m2 (relative: only the ratios matter). The first match counts. */
struct cr_gravity_weight {
    const char *word;
    double production, attraction;
};

/* The documented defaults (docs/assignment.md), ending with { NULL, 0, 0 }: a class no word
 * matches neither produces nor attracts. */
extern const struct cr_gravity_weight cr_gravity_default_weights[];

struct cr_gravity_options {
    double total;     /* trips in all (> 0) */
    double beta;      /* per minute (> 0); 0: 0.1 */
    double tolerance; /* relative, 0: 1e-9 */
    size_t max_iter;  /* 0: 1000 */
};

struct cr_gravity {
    size_t count;                    /* zones */
    double *trips;                   /* [count * count]: from i to j at i * count + j */
    double *production, *attraction; /* [count]: the targets, scaled to total */
    size_t iterations;               /* Furness row-and-column steps */
    double max_error;                /* the largest relative row or column error at the end */
    int converged;                   /* max_error <= tolerance */
    size_t zones_dropped;            /* zones with weight but no reachable partner */
};

/* P and A of each zone of Z: area x the weight of its class in W (NULL-terminated list; NULL:
 * the defaults), or the area alone when BY_AREA. Errors: every zone weighs 0 (no class matched:
 * name the classes seen). */
enum cr_status cr_gravity_zone_weights(const struct cr_zones *z, const struct cr_gravity_weight *w,
                                       int by_area, double *production, double *attraction,
                                       struct cr_error *err);

/* The trips between N zones with PRODUCTION and ATTRACTION (>= 0, any scale) and TIME_MIN
 * ([n * n] minutes, NAN or < 0: not reachable). caller frees: cr_gravity_fini() */
enum cr_status cr_gravity_run(size_t n, const double *production, const double *attraction,
                              const double *time_min, const struct cr_gravity_options *o,
                              struct cr_gravity *out, struct cr_error *err);
void cr_gravity_fini(struct cr_gravity *g);

/* The minutes of skim S for cr_gravity_run (NAN where a cell is not ok). caller frees: free() */
double *cr_gravity_skim_minutes(const struct cr_skim *s);

#endif
