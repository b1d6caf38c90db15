/* A directed graph with uint32 weights as plain CSR arrays: what the search algorithms run on. */
#ifndef CR_ROUTING_WGRAPH_H
#define CR_ROUTING_WGRAPH_H

#include <stddef.h>
#include <stdint.h>

#define CR_INF UINT32_MAX /* unreachable / no weight */

/* Arcs sorted by tail; parallel arcs and loops allowed; every weight < CR_INF. */
struct cr_wgraph {
    uint32_t node_count, arc_count;
    const uint32_t *first_out;   /* [node_count + 1] */
    const uint32_t *head;        /* [arc_count] */
    const uint32_t *weight;      /* [arc_count] */
    const uint32_t *second;      /* [arc_count] or NULL (all 0): the tie-break, compared only
                                    between equal weights (routing/tie.h) */
    const uint32_t *node_second; /* [node_count] or NULL (all 0): the second a search starting
                                    at the node counts first (the turn graph's: the node's own
                                    edge's, as every arc into it counts it) */
};

/* A search start or end: a node with an initial weight (e.g. the rest of a snapped edge). */
struct cr_endpoint {
    uint32_t node;
    uint32_t weight;
};

/* Copies N endpoints from SRC into *DST (of *CAP, grown when short): what a search keeps of its
 * last run's sources or targets to say which one a path used. -1 when out of memory. */
int cr_endpoints_keep(struct cr_endpoint **dst, size_t *cap, const struct cr_endpoint *src,
                      size_t n);

#endif
