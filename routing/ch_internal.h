/*
 * The contraction hierarchy's own layout, shared by the files that build, query and load it
 * (ch.c, ch_contract.c, ch_build.c, ch_query.c, ch_m2m.c); callers use routing/ch.h.
 */
#ifndef CR_ROUTING_CH_INTERNAL_H
#define CR_ROUTING_CH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "routing/ch.h"

#define NO_ARC UINT32_MAX

enum {
    OWN_RANK,
    OWN_UP_FIRST,
    OWN_UP_HEAD,
    OWN_UP_WEIGHT,
    OWN_UP_MIDDLE,
    OWN_UP_ARC,
    OWN_DOWN_FIRST,
    OWN_DOWN_HEAD,
    OWN_DOWN_WEIGHT,
    OWN_DOWN_MIDDLE,
    OWN_DOWN_ARC,
    OWN_COUNT
};

/* The search graph: each rank's up arcs then its down arcs, heads and weights side by side, so
 * a settled node's relaxed and stall-checked arcs share cache lines. Built from the arrays; the
 * seconds (the tie-break, routing/tie.h) summed from the input graph's by cr_ch_set_second. */
struct sarc {
    uint32_t head, weight, second;
};

struct snode {
    uint32_t begin, split; /* up arcs [begin, split), down arcs [split, next begin) */
};

struct cr_ch {
    struct cr_ch_arrays a;
    struct snode *snode;      /* [node_count + 1] */
    struct sarc *sarc;        /* [up_count + down_count] */
    uint32_t *own[OWN_COUNT]; /* what this CH allocated (NULL for borrowed arrays) */
    int tie;                  /* built with the (weight, second) witnesses: cr_ch_tie_rule */
    uint32_t *node_second;    /* [node_count] by input node, or NULL: a source's first second */
};

/* Builds ch->snode and ch->sarc from ch->a. Returns -1 when out of memory. */
int cr_ch_make_search_graph(struct cr_ch *ch);

/* Grows *P (of *CAP elements of ELEM bytes) to hold at least NEED, doubling. -1: out of memory. */
int cr_ch_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
