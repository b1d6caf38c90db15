/* Strongly connected components of a CSR graph (iterative Tarjan: no recursion, any size). */
#ifndef CR_CORE_SCC_H
#define CR_CORE_SCC_H

#include <stdint.h>

/* Fills comp[v] (N entries) with a component id in 0 .. count-1 and returns count, or
 * UINT32_MAX when out of memory. Arcs of v are first_out[v] .. first_out[v+1]-1; each head is
 * taken modulo HEAD_MOD when HEAD_MOD is not 0 (for layered graphs searched as one layer). */
uint32_t cr_scc(uint32_t n, const uint32_t *first_out, const uint32_t *head, uint32_t head_mod,
                uint32_t *comp);

/*
 * CR_NODE_LCC in FLAGS[v] for the nodes of the largest strongly connected component of each
 * mode group (GROUP[v]), cleared on the others; terminal-group nodes are left as they are.
 * "Largest" by length, not node count: the length in cm of a component's inner edges (SEG_LEN
 * of each edge's EDGE_SEGMENT, CR_SEGMENT_REVERSED masked) plus one per node, so a long river
 * drawn with few nodes outweighs a short stream with many; ties go to the lower component id.
 * 0, or -1 when out of memory.
 */
int cr_scc_mark_largest(uint32_t n, const uint32_t *first_out, const uint32_t *head,
                        const uint32_t *edge_segment, const uint32_t *seg_len, const uint8_t *group,
                        uint8_t *flags);

#endif
