/*
 * The session's many-to-many table (corridor/routing.h, cr_table_compute) as corridor's own code
 * reads it: every point snapped once, a status per cell, the weights (and with
 * CR_TABLE_MEASURES every measure) of the cells between snapped points. `corridor matrix`,
 * `corridor skim` and the server's /table all read their answers from it.
 */
#ifndef CR_ROUTING_TABLE_H
#define CR_ROUTING_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "corridor/routing.h"
#include "routing/route.h"

struct cr_table {
    size_t n, ns, nt;             /* points given, rows, columns */
    size_t *src, *dst;            /* [ns], [nt]: the point of each row and column */
    struct cr_place *places;      /* [n] each point placed (when snapped) */
    uint8_t *snapped;             /* [n] 1 when placed */
    char **error;                 /* [n] why a point did not snap, else NULL */
    uint8_t *status;              /* [ns * nt] enum cr_cell_status, row by row */
    uint64_t *weight;             /* [ns * nt] the metric weight between snapped points (the
                                     many-to-many search's), UINT64_MAX where there is none */
    struct cr_measures *measures; /* [ns * nt] with CR_TABLE_MEASURES, else NULL */
};

/* Point K as placed (valid when t->snapped[k]). */
const struct cr_place *cr_table_place(const struct cr_table *t, size_t k);

#endif
