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
 */
#ifndef CR_ROUTING_TURNGRAPH_H
#define CR_ROUTING_TURNGRAPH_H

#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"
#include "routing/profile.h"
#include "routing/wgraph.h"

struct cr_turngraph {
    struct cr_wgraph g;        /* the searchable graph (all layers) */
    uint32_t base_count;       /* nodes per layer */
    uint32_t layers;
    uint32_t *edge_of;         /* [base_count] network edge of each node */
    uint32_t *node_of_edge;    /* [network edge_count] node in layer 0, or CR_INF */
    uint32_t *edge_weight;     /* [base_count] weight of the edge itself */
    uint32_t *arc_penalty;     /* [arc_count] the penalty part of each arc (weight - edge) */
    uint32_t *first_out, *head, *weight; /* owned arrays behind g */
    uint8_t *in_lcc;           /* [base_count] 1 when in the largest strongly connected
                                  component of this profile (by length), which snapping prefers */
    uint64_t restricted_turns; /* turns removed by turn restrictions (for tests and info) */
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
