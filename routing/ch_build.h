/*
 * The CH build's state, shared by ch_contract.c (the remaining graph, witness searches,
 * contraction in rounds) and ch_build.c (input, cache renumbering, the CH's arrays).
 */
#ifndef CR_ROUTING_CH_BUILD_H
#define CR_ROUTING_CH_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "core/heap.h"
#include "routing/ch_internal.h"

#define HOPS_MAX (1u << 30)
/* Node order: priority = LEVEL_WEIGHT * level + ED_WEIGHT * added / removed arcs
 * + HOPS_WEIGHT * added / removed hops. The weights were picked on DIMACS NY/Rome graphs and
 * their turn graphs, then the limits on the synthetic 1M-node network's turn graph (640 070
 * nodes, car): a contracted-neighbours term (50 per neighbour) and 60-node simulations gave
 * 5 815 arcs relaxed and 840 nodes settled a query; without the term and with 200-node
 * simulations (fewer shortcuts wrongly counted as needed), 3 582 and 880, for about the same
 * build work (61-62 s of CPU). */
#define LEVEL_WEIGHT 300
#define ED_WEIGHT 1000
#define HOPS_WEIGHT 1000
#define SIMULATE_SETTLED 200      /* witness search limit while estimating a priority */
#define CONTRACT_SETTLED 1000     /* witness search limit when contracting */
#define CH_MAX_THREADS 8          /* priorities are simulated on up to this many threads */
#define PARALLEL_MIN 16           /* fewer priorities than this: on one thread */
#define PARALLEL_NODES 2048       /* smaller graphs: one thread */
#define PRIORITY_CHUNK 16384      /* priorities between two progress reports */
#define CONTRACT_CHUNK 64         /* contractions between two progress reports */
#define CONTRACT_PARALLEL_MIN 256 /* in-arcs x out-arcs from which a contraction uses threads */

/* An arc of the remaining graph as seen from one end. A shortcut has hops >= 2 and id = rank of
 * its middle node; an input arc has hops == 1 and id = its input arc id. SECOND is the tie-break
 * beside the weight (routing/tie.h): arcs and witnesses compare (weight, second). */
struct darc {
    uint32_t node, weight, id, hops, second;
};

/* The pool stores a darc in two parallel arrays, the searches' half apart. */
struct nw {
    uint32_t node, weight, second;
};

struct idhops {
    uint32_t id, hops;
};

struct dlist {
    uint32_t begin, len, cap;
};

/* Witness search state per node. */
struct wstate {
    uint32_t stamp, dist, second;
};

/* Witness search targets per node, apart from the hot state. */
struct wtarget {
    uint32_t target; /* == wnow while an unresolved target of the search */
    uint32_t via;    /* a target's weight through the node being contracted */
    uint32_t via_second;
};

/* One witness search's scratch; each thread has its own. */
struct witness {
    struct wstate *ws;
    struct wtarget *wt;
    uint32_t *wpos; /* heap positions */
    struct cr_heap wh;
    uint32_t wnow;
    uint32_t *t_node; /* the current search's targets */
    uint32_t t_len;
    struct shortcut *sc; /* the shortcuts a contraction needs, found by this thread */
    size_t sc_len, sc_cap;
};

/* A growing output side (up or down) of the CH, heads still as node ids. */
struct side_out {
    uint32_t *head, *weight, *middle, *arc;
    size_t len, cap;
};

struct shortcut {
    uint32_t from, to, weight, hops, second;
    uint32_t in_index; /* which in-arc of the contracted node it starts with */
};

struct builder {
    uint32_t n;
    struct dlist *out, *in;               /* per node: its out- and in-list in the pool */
    struct nw *pool;                      /* what searches read: node and weight */
    struct idhops *pinfo;                 /* beside it, what only contraction reads */
    size_t pool_len, pool_cap, pool_live; /* live = sum of list capacities */

    uint32_t *rank;  /* CR_INF until contracted */
    uint32_t *level; /* for the priority */
    uint32_t *prio;  /* rounds: current priority */
    uint8_t *dirty;  /* rounds: priority to recompute after this round */
    uint32_t *dirty_list, dirty_len;
    uint32_t *cand_round; /* rounds: the round a node is a candidate in */

    /* reorder_for_cache's queue */
    struct cr_heap q;
    uint32_t *q_pos;

    /* witness searches: one per thread (w[0] also contracts) */
    struct witness w[CH_MAX_THREADS];
    uint32_t threads;
    uint32_t sc_threads; /* the threads that found the current contraction's shortcuts */

    /* scratch */
    uint32_t *mark; /* neighbour marks, by stamp */
    uint32_t mark_now;
    uint32_t *neighbours;

    struct side_out up, down;
    uint32_t *up_first, *down_first;
};

static inline struct darc
pool_get(const struct builder *b, uint32_t i)
{
    return (struct darc){ .node = b->pool[i].node,
                          .weight = b->pool[i].weight,
                          .id = b->pinfo[i].id,
                          .hops = b->pinfo[i].hops,
                          .second = b->pool[i].second };
}

static inline void
pool_set(struct builder *b, uint32_t i, struct darc a)
{
    b->pool[i] = (struct nw){ .node = a.node, .weight = a.weight, .second = a.second };
    b->pinfo[i] = (struct idhops){ .id = a.id, .hops = a.hops };
}

/* Contracts every node (see ch_contract.c). Returns 0, 1 when cancelled, -1 when out of memory. */
int cr_ch_contract_in_rounds(struct builder *b, int (*progress)(void *, double),
                             void *progress_user);

/* One witness search's scratch for N nodes, and its release. -1: out of memory. */
int cr_ch_witness_init(struct witness *w, size_t n);
void cr_ch_witness_fini(struct witness *w);

/* Appends arc A to an output side (a shortcut when A.hops >= 2). -1: out of memory. */
int cr_ch_side_push(struct side_out *s, struct darc a);

#endif
