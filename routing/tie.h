/*
 * The tie rule every search shares (Dijkstra, the CH's contraction, queries and many-to-many,
 * the time-dependent search): paths are ordered by (weight, second), lexicographically, where
 * second is the path's weight in the tie metric (cr_tie_metric): its distance in decimetres when
 * the metric is time, its time in deciseconds otherwise. Each turn-graph arc carries both
 * (struct cr_wgraph's weight and second). Queues stay ordered by the weight alone: every arc
 * weighs at least 1, so a node taken out of a queue already has its least (weight, second).
 *
 * A label is the pair packed into 64 bits, weight high and second low, so comparing two labels
 * is comparing integers. Seconds are added saturating (cr_tie_add) below 2^32 - 1 (430 000 km,
 * or 13 years), so they never carry into the weight.
 */
#ifndef CR_ROUTING_TIE_H
#define CR_ROUTING_TIE_H

#include <stdint.h>

#include "corridor/routing.h"

#define CR_TIE_NONE UINT64_MAX /* no label */

/* The metric whose weight breaks ties of METRIC: distance for time, time for the others. */
enum cr_metric cr_tie_metric(enum cr_metric metric);

static inline uint64_t
cr_tie_key(uint32_t weight, uint32_t second)
{
    return (uint64_t)weight << 32 | second;
}

static inline uint32_t
cr_tie_weight(uint64_t key)
{
    return (uint32_t)(key >> 32);
}

/* A + B, at most UINT32_MAX - 1 (a second never carries into the weight). */
static inline uint32_t
cr_tie_add(uint32_t a, uint32_t b)
{
    uint64_t s = (uint64_t)a + b;
    return s >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)s;
}

/* Arc A's second of a graph's SECOND array (may be NULL: 0). */
static inline uint32_t
cr_tie_second(const uint32_t *second, uint32_t a)
{
    return second ? second[a] : 0;
}

#endif
