/* Strongly connected components of a CSR graph (iterative Tarjan: no recursion, any size). */
#ifndef CR_CORE_SCC_H
#define CR_CORE_SCC_H

#include <stdint.h>

/* Fills comp[v] (N entries) with a component id in 0 .. count-1 and returns count, or
 * UINT32_MAX when out of memory. Arcs of v are first_out[v] .. first_out[v+1]-1; each head is
 * taken modulo HEAD_MOD when HEAD_MOD is not 0 (for layered graphs searched as one layer). */
uint32_t cr_scc(uint32_t n, const uint32_t *first_out, const uint32_t *head, uint32_t head_mod,
                uint32_t *comp);

#endif
