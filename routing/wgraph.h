/* A directed graph with uint32 weights as plain CSR arrays: what the search algorithms run on. */
#ifndef CR_ROUTING_WGRAPH_H
#define CR_ROUTING_WGRAPH_H

#include <stdint.h>

#define CR_INF UINT32_MAX /* unreachable / no weight */

/* Arcs sorted by tail; parallel arcs and loops allowed; every weight < CR_INF. */
struct cr_wgraph {
    uint32_t node_count, arc_count;
    const uint32_t *first_out; /* [node_count + 1] */
    const uint32_t *head;      /* [arc_count] */
    const uint32_t *weight;    /* [arc_count] */
};

/* A search start or end: a node with an initial weight (e.g. the rest of a snapped edge). */
struct cr_endpoint {
    uint32_t node;
    uint32_t weight;
};

#endif
