/*
 * The edge-based "turn graph" of a profile and metric: one node per network edge the profile
 * may use, one arc per allowed turn. Turn restrictions, U-turn rules, barriers and turn
 * penalties live in its arcs, so every search on it (Dijkstra, CH, many-to-many) honours them.
 *
 * Weight convention: the arc x -> y costs the node penalty at the shared node, the turn penalty,
 * and the whole weight of y's edge. A path therefore pays for every edge it enters; the first
 * edge is paid by the caller (the rest of it after the start point), see routing/route.h.
 *
 * For a multimodal profile with max_transfers, the graph is layered: node (x, k) is edge x with
 * k transfers made so far; leaving a terminal into another mode than the one that entered it
 * moves to layer k + 1. Layers = max_transfers + 1, node id = k * base_count + x.
 *
 * Copies: a network edge may have several nodes in a layer, each the edge in another state.
 * The first (node_of_edge) is the edge as a route may start on it; the others follow through
 * next_copy and are reached only by arcs:
 * - destination-only (cr_profile_edge_destination_only: access destination, private, ...): a
 *   copy means "entered from a road that is not destination-only". Its arcs lead only to the
 *   copies of other destination-only edges, never out; the first node leads anywhere (a route
 *   that starts inside such an area may leave it). So a route may start or end on such a
 *   street but never cross it.
 * - via-way restrictions (from A via way W to B): the edges of W entered from A are copies
 *   that remember it, one per edge along W from A's end towards B's. Leaving the last one into
 *   B is forbidden (no_*); with only_*, every way out but B (and the next edge of W) is.
 * Copies live in every layer, and edge_of maps each to its network edge: anything that turns a
 * node back into an edge must use edge_of, never assume one node per edge.
 */
#ifndef CR_ROUTING_TURNGRAPH_H
#define CR_ROUTING_TURNGRAPH_H

#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"
#include "routing/profile.h"
#include "routing/wgraph.h"

struct cr_turngraph {
    struct cr_wgraph g;  /* the searchable graph (all layers) */
    uint32_t base_count; /* nodes per layer */
    uint32_t layers;
    uint32_t *edge_of;      /* [base_count] network edge of each node */
    uint32_t *next_copy;    /* [base_count] or NULL: the next node that stands for the same
                               network edge in another state (a via-way restriction under
                               way, a destination-only street entered from outside), CR_INF
                               at the end of the chain; a search that ends on an edge must
                               accept every node of its chain (node_of_edge is the first) */
    uint32_t *node_of_edge; /* [network edge_count] node in layer 0, or CR_INF */
    uint32_t *edge_weight;  /* [base_count] weight of the edge itself */
    uint32_t *arc_penalty;  /* [arc_count] the penalty part of each arc (weight - edge) */
    uint32_t *edge_second;  /* [base_count] the edge's weight in the tie metric (cr_tie_metric) */
    uint32_t *second;       /* [arc_count] each arc's weight in the tie metric: g.second */
    uint32_t *node_second;  /* [node_count] each node's edge_second, all layers: g.node_second */
    uint32_t *first_out, *head, *weight; /* owned arrays behind g */
    uint8_t *in_lcc;                     /* [base_count] 1 when in the largest strongly connected
                                            component of this profile (by length), which snapping prefers */
    /* strongly connected components of the graph with each copy taken as its first node (so
     * a private road is in the component of the street it hangs off); transfers left out */
    uint32_t *comp;      /* [base_count] component of each node (copies: their edge's) */
    uint64_t *comp_size; /* [comp_count] 1 + length in cm of each edge, summed (each edge
                            once, whatever its copies) */
    uint32_t comp_count;
    uint32_t lcc;              /* the largest component; in_lcc[x] == (comp[x] == lcc) */
    uint64_t restricted_turns; /* turns removed by via-node turn restrictions (for tests, info) */
    uint32_t via_way_restrictions; /* via-way restrictions honoured (a copy chain built) */
    uint32_t destination_copies;   /* copies made for destination-only edges (per layer) */
};

/* Builds the turn graph of view V for profile P and METRIC.
 * caller frees: cr_turngraph_destroy() */
struct cr_turngraph *cr_turngraph_build(const struct cr_graph_view *v, const struct cr_profile *p,
                                        enum cr_metric metric, struct cr_error *err);
void cr_turngraph_destroy(struct cr_turngraph *tg);

/* Whether the turn from network edge IN to OUT at their shared node is forbidden by a turn
 * restriction for VEHICLE (enum cr_vehicle). */
int cr_turn_restricted(const struct cr_graph_view *v, uint32_t in, uint32_t out, uint8_t vehicle);

#endif
