/*
 * Contraction hierarchies on a generic directed graph with uint32 weights (RoutingKit's shape):
 * corridor builds them on the edge-based "turn graph" of a road profile and metric, so turn
 * restrictions and turn penalties hold inside the CH.
 *
 * Shared data apart from per-thread scratch: one const struct cr_ch for all threads, one
 * struct cr_ch_query per thread, reset by bumping a timestamp.
 */
#ifndef CR_ROUTING_CH_H
#define CR_ROUTING_CH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "routing/wgraph.h"

struct cr_ch;

/* Contracts the graph (node order by edge difference, hop counts of shortcuts and level; bounded
 * witness searches; priorities and the witness searches of big nodes on one thread per CPU, up to
 * 8, with the same result whatever the count). PROGRESS may be NULL; it gets the fraction of nodes
 * contracted at least once per percent and every few dozen contractions or some thousands of
 * priorities, and a non-zero return stops the build (CR_ECANCELLED). caller frees: cr_ch_destroy()
 */
struct cr_ch *cr_ch_build(const struct cr_wgraph *in, int (*progress)(void *, double),
                          void *progress_user, struct cr_error *err);
void cr_ch_destroy(struct cr_ch *ch);

/* The CH as flat arrays, for writing into the network file and mapping back. All arrays are
 * owned by the CH (after build) or borrowed (after cr_ch_from_arrays). */
struct cr_ch_arrays {
    uint32_t node_count;
    uint32_t up_count, down_count;
    const uint32_t *rank;       /* [node_count] input node -> rank */
    const uint32_t *up_first;   /* [node_count + 1] by rank: arcs to higher ranks (forward) */
    const uint32_t *up_head;    /* [up_count] rank of head */
    const uint32_t *up_weight;  /* [up_count] */
    const uint32_t *up_middle;  /* [up_count] rank of the middle node of a shortcut, or
                                   CR_INF for an input arc */
    const uint32_t *up_arc;     /* [up_count] input arc id when not a shortcut */
    const uint32_t *down_first; /* [node_count + 1] by rank: backward arcs to higher ranks */
    const uint32_t *down_head, *down_weight, *down_middle, *down_arc;
};

void cr_ch_arrays(const struct cr_ch *ch, struct cr_ch_arrays *out);

/* A CH over borrowed arrays (e.g. mmap'd sections), after checking ids are in range.
 * caller frees: cr_ch_destroy() (frees only what it allocated) */
struct cr_ch *cr_ch_from_arrays(const struct cr_ch_arrays *a, const char *name,
                                struct cr_error *err);

/* Per-thread query scratch. caller frees: cr_ch_query_destroy() */
struct cr_ch_query *cr_ch_query_create(const struct cr_ch *ch);
void cr_ch_query_destroy(struct cr_ch_query *q);

/* Shortest path weight from any source to any target (each with its initial weight);
 * CR_INF when none. */
uint32_t cr_ch_query_run(struct cr_ch_query *q, const struct cr_endpoint *sources, size_t ns,
                         const struct cr_endpoint *targets, size_t nt);

/* After a successful run: the input arcs of the path in order (unpacked shortcuts), and which
 * source and target it used. Returns the arc count; writes at most cap arcs (call again with a
 * bigger buffer when the count exceeds cap). */
size_t cr_ch_query_path(struct cr_ch_query *q, uint32_t *arcs, size_t cap, size_t *source_index,
                        size_t *target_index);

/* Many-to-many with buckets: out[i * nt + j] = weight from sources[i] to targets[j] (each given
 * as a list of endpoints: sources[i] is src[src_first[i] .. src_first[i+1]-1]).
 * CR_INF where unreachable. */
enum cr_status cr_ch_many_to_many(const struct cr_ch *ch, const struct cr_endpoint *src,
                                  const uint32_t *src_first, size_t ns,
                                  const struct cr_endpoint *dst, const uint32_t *dst_first,
                                  size_t nt, uint32_t *out, struct cr_error *err);

/* Gives the CH the tie-break of routing/tie.h from input graph G (the one it was built on): each
 * arc's second is the sum of G's seconds over its unpacked path, and a copy of G's node seconds
 * starts the forward searches. cr_ch_build does it with its input; a stored CH needs it once
 * loaded. 0, or -1 when out of memory or on bad data (G smaller than the CH's input). */
int cr_ch_set_second(struct cr_ch *ch, const struct cr_wgraph *g);

/* Whether CH was contracted with the tie rule (witnesses compared by (weight, second)): then its
 * queries and Dijkstra pick the same path between equal weights. A hierarchy stored before the
 * rule (no "tie" in the network file's index) still gives the least weight, and the least second
 * among the paths it holds, which may be another path than Dijkstra's on a tie. */
int cr_ch_tie_rule(const struct cr_ch *ch);
void cr_ch_set_tie_rule(struct cr_ch *ch, int tie);

/* The arcs of the search graph (up and down arcs of every rank): the index space of the parents
 * of struct cr_ch_query and of cr_ch_arc_sums. */
size_t cr_ch_search_arc_count(const struct cr_ch *ch);

/* For every search-graph arc s: OUT[s * K .. + K - 1] the sums of INPUT[arc * K ..] over the
 * input arcs its unpacked path is made of (the same path cr_ch_query_path unpacks), and
 * OWNER[s] the rank it leaves in the search (the settled node that relaxes it). -1 on bad data
 * (an input arc id >= INPUT_COUNT, a missing half). */
int cr_ch_arc_sums(const struct cr_ch *ch, const int64_t *input, size_t input_count, size_t k,
                   int64_t *out, uint32_t *owner);

/* Many-to-many that also sums K values along each cell's path (cr_ch_many_to_many_sums). */
struct cr_ch_sums {
    size_t k;
    const int64_t *arc;       /* [k * search arcs] from cr_ch_arc_sums */
    const uint32_t *owner;    /* [search arcs] from cr_ch_arc_sums */
    const int64_t *src, *dst; /* [k * endpoints]: the values at each source and target endpoint */
    int64_t *out;             /* [k * ns * nt]: each reachable cell's sums (others untouched) */
};

/* cr_ch_many_to_many, and with SUMS (may be NULL) each cell's sums: those of the source
 * endpoint the path starts at, of its arcs and of its target endpoint. Sources are split over
 * THREADS threads (0 or 1: this one). Ties: the path of a cell is the one of least (weight,
 * second) (routing/tie.h), and among those the one through the first node, in the forward
 * search's settling order, where it was found; at the endpoints, the first endpoint of the list
 * with the node's distance. */
enum cr_status cr_ch_many_to_many_sums(const struct cr_ch *ch, const struct cr_endpoint *src,
                                       const uint32_t *src_first, size_t ns,
                                       const struct cr_endpoint *dst, const uint32_t *dst_first,
                                       size_t nt, uint32_t *out, const struct cr_ch_sums *sums,
                                       unsigned threads, struct cr_error *err);

#endif
