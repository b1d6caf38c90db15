/* Plain Dijkstra: the reference every speed-up technique is checked against. */
#ifndef CR_ROUTING_DIJKSTRA_H
#define CR_ROUTING_DIJKSTRA_H

#include <stddef.h>
#include <stdint.h>

#include "routing/wgraph.h"

/* Per-thread search state over a borrowed graph. caller frees: cr_dijkstra_destroy() */
struct cr_dijkstra *cr_dijkstra_create(const struct cr_wgraph *g);
void cr_dijkstra_destroy(struct cr_dijkstra *d);

/* Shortest path weight from any source to any target (each with its initial weight, which is
 * added at the source / at the target); CR_INF when none. With nt == 0, a full one-to-all search
 * whose distances cr_dijkstra_distance gives. */
uint32_t cr_dijkstra_run(struct cr_dijkstra *d, const struct cr_endpoint *sources, size_t ns,
                         const struct cr_endpoint *targets, size_t nt);

/* After a run that found a path: its arcs in order; returns the count, writes at most cap, and
 * which source and target it used (either pointer may be NULL). */
size_t cr_dijkstra_path(const struct cr_dijkstra *d, uint32_t *arcs, size_t cap,
                        size_t *source_index, size_t *target_index);

/* After a run: the distance of NODE from the sources (CR_INF when not reached). */
uint32_t cr_dijkstra_distance(const struct cr_dijkstra *d, uint32_t node);

/* After a run: the second of NODE's label, the tie-break beside its distance (routing/tie.h);
 * meaningful only where cr_dijkstra_distance is not CR_INF. */
uint32_t cr_dijkstra_second(const struct cr_dijkstra *d, uint32_t node);

/* After a run: the nodes it settled, in the order it settled them (a node at most once; the
 * parents of each lie before it). *COUNT gets their number. Valid until the next run. */
const uint32_t *cr_dijkstra_settled(const struct cr_dijkstra *d, size_t *count);

/* After a run: the arc by which NODE was reached (UINT32_MAX at a source or when not reached). */
uint32_t cr_dijkstra_parent(const struct cr_dijkstra *d, uint32_t node);

#endif
