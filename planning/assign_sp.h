/*
 * Shortest-path trees of traffic assignment: Dijkstra on one class network of an assignment
 * problem (planning/assign.h) with real-valued link costs, from one origin zone, never passing
 * through a node below the problem's through_from (other than the origin itself). One
 * struct cr_assign_sp per thread; every algorithm (all-or-nothing loading, the gap, Algorithm B's
 * bush growth) uses this one search.
 */
#ifndef CR_PLANNING_ASSIGN_SP_H
#define CR_PLANNING_ASSIGN_SP_H

#include <stdint.h>

#include "core/error.h"
#include "planning/assign.h"

struct cr_assign_sp {
    uint32_t node_count;
    double *dist;     /* [node_count] cost from the origin; INFINITY when not reached */
    uint32_t *pred;   /* [node_count] link into the node on the tree; UINT32_MAX at the origin
                         and where not reached */
    uint32_t *order;  /* [node_count] nodes in the order they were settled (reached ones) */
    uint32_t settled; /* how many of order[] are valid */
    /* private: the heap */
    uint32_t *heap, *pos;
    double *key;
    uint32_t heap_size;
};

/* Room for NODE_COUNT nodes. caller frees: cr_assign_sp_fini() */
enum cr_status cr_assign_sp_init(struct cr_assign_sp *sp, uint32_t node_count,
                                 struct cr_error *err);
void cr_assign_sp_fini(struct cr_assign_sp *sp);

/* The tree of class network C (of problem P) from node ORIGIN with link costs COST[link]
 * (>= 0). */
void cr_assign_sp_run(struct cr_assign_sp *sp, const struct cr_assign_problem *p,
                      const struct cr_assign_class *c, const double *cost, uint32_t origin);

#endif
