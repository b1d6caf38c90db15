/*
 * The turn graph's via-way restrictions, shared by turngraph.c (which follows them while it
 * makes the turn graph) and turngraph_via.c (which builds their trie). Not for callers.
 */
#ifndef CR_ROUTING_TURNGRAPH_VIA_H
#define CR_ROUTING_TURNGRAPH_VIA_H

#include <stdint.h>

#include "core/graph.h"
#include "routing/turngraph.h"

/* The paths of the via-way restrictions, as a trie of copies: a trie node is a from way A and
 * the edges taken since leaving it, along via way 1, then via way 2, ..., each from where the
 * one before ends, up to the node where the restriction's to-way leaves; its copy of its last
 * edge means "came this way". A top node is A and one first edge. The rules (to-ways) of a
 * restriction sit on the node of its whole path. As in Aho-Corasick, each node's fail is the
 * node of the longest proper suffix of its path (a suffix starting after an edge of way B
 * counts as from way B) that is in the trie, so a restriction whose path begins inside
 * another's (its from way one of the other's via ways) is followed as well: the rules of a
 * node and of its fail chain all hold there. */
struct tnode {
    uint32_t from_way, parent; /* parent CR_INF: a top node */
    uint32_t child, sibling;   /* first child, next sibling, or CR_INF */
    uint32_t fail;             /* or CR_INF */
    uint32_t rule_first, rule_count;
    uint8_t has_only;
};

struct rule {
    uint32_t chain, to_way; /* chain: the trie node */
    uint8_t kind;
};

struct way_edge {
    uint32_t way, edge;
};

struct chains {
    struct tnode *c;
    uint32_t count, cap;
    uint32_t *edges;               /* [count] the last edge of each trie node */
    uint32_t edge_count, edge_cap; /* edge_count == count */
    struct rule *rules;
    uint32_t rule_count, rule_cap;
    struct way_edge *start; /* (first edge, top node) sorted, for the lookup at entry */
    uint32_t start_count;
    struct way_edge *tops; /* while building: (first edge, top node) of one from way */
    uint32_t top_count;
    uint32_t *node; /* [2 * count] node id or CR_INF (2 * trie node + destination) */
    uint32_t honoured;
};

/* The way of network edge E. */
static inline uint32_t
edge_way(const struct cr_graph_view *v, uint32_t e)
{
    return v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED];
}

/* The segment of network edge E. */
static inline uint32_t
seg_of(const struct cr_graph_view *v, uint32_t e)
{
    return v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
}

/* Whether restriction R holds for VEHICLE. */
static inline int
applies_to(const struct cr_restriction *r, uint8_t vehicle)
{
    if (r->except & (1u << vehicle))
        return 0;
    return r->only_vehicle == 0 || r->only_vehicle == vehicle + 1;
}

/* The trie of the via-way restrictions that apply to VEHICLE, over usable edges. -1: out of
 * memory. */
int cr_turngraph_chains_build(struct chains *cs, const struct cr_graph_view *v,
                              const uint32_t *node_of_edge, const uint32_t *tail, uint8_t vehicle);
void cr_turngraph_chains_fini(struct chains *cs);

/* Whether leaving trie node T (a place on the paths of some via-way restrictions) into way TO
 * is forbidden by the rules there or on its fail chain. */
int cr_turngraph_chain_forbids(const struct chains *cs, uint32_t t, uint32_t to);

/* The trie node reached from node T (CR_INF: none) of edge E1 by turning into E2: a child of T
 * or of a node on its fail chain, else the top node of E1's way and E2, or CR_INF. */
uint32_t cr_turngraph_chain_next(const struct chains *cs, const struct cr_graph_view *v, uint32_t t,
                                 uint32_t e1, uint32_t e2);

#endif
