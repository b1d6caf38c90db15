/*
 * A 4-ary min-heap over (key, node) with decrease-key through a position array: the priority
 * queue of the CH's searches (query, many-to-many, witness searches, the cache renumbering) and
 * of Dijkstra's heap side. The functions are forced inline (they are the hot path of every
 * query), so each search gets a copy with its constant stride.
 *
 * A node's position lives at pos[node * stride]: stride 1 for a plain position array, 2 for two
 * searches interleaved (pos + side), or the width in uint32_t of a per-node state struct whose
 * position word POS points at in its first element. A popped node's position becomes
 * CR_HEAP_SETTLED. The caller owns the item array (room for every node) and sets size to 0.
 */
#ifndef CR_CORE_HEAP_H
#define CR_CORE_HEAP_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define CR_HOT_INLINE inline __attribute__((always_inline))
#define CR_PREFETCH(p) __builtin_prefetch(p)
#else
#define CR_HOT_INLINE inline
#define CR_PREFETCH(p) ((void)(p))
#endif

#define CR_HEAP_SETTLED UINT32_MAX /* position of a node popped from the heap */

struct cr_heap_item {
    uint32_t key, node;
};

struct cr_heap {
    struct cr_heap_item *h; /* caller's storage */
    uint32_t size;
};

/* Moves IT up from slot I (a new last slot, or its own slot after its key fell). */
static CR_HOT_INLINE void
cr_heap_up(struct cr_heap *hp, uint32_t *pos, size_t stride, uint32_t i, struct cr_heap_item it)
{
    struct cr_heap_item *h = hp->h;
    while (i > 0) {
        uint32_t p = (i - 1) / 4;
        if (h[p].key <= it.key)
            break;
        h[i] = h[p];
        pos[h[i].node * stride] = i;
        i = p;
    }
    h[i] = it;
    pos[it.node * stride] = i;
}

/* Moves IT down from slot I. */
static CR_HOT_INLINE void
cr_heap_down(struct cr_heap *hp, uint32_t *pos, size_t stride, uint32_t i, struct cr_heap_item it)
{
    struct cr_heap_item *h = hp->h;
    uint32_t size = hp->size;
    for (;;) {
        uint32_t c = 4 * i + 1, best;
        if (c + 3 < size) { /* all four children, without branches */
            uint32_t b01 = c + (h[c + 1].key < h[c].key);
            uint32_t b23 = c + 2 + (h[c + 3].key < h[c + 2].key);
            uint32_t take23 = h[b23].key < h[b01].key;
            best = b01 ^ ((b01 ^ b23) & (0u - take23));
        } else {
            if (c >= size)
                break;
            best = c;
            for (uint32_t k = c + 1; k < size; k++)
                if (h[k].key < h[best].key)
                    best = k;
        }
        if (h[best].key >= it.key)
            break;
        h[i] = h[best];
        pos[h[i].node * stride] = i;
        i = best;
    }
    h[i] = it;
    pos[it.node * stride] = i;
}

static CR_HOT_INLINE void
cr_heap_push(struct cr_heap *hp, uint32_t *pos, size_t stride, uint32_t node, uint32_t key)
{
    cr_heap_up(hp, pos, stride, hp->size++, (struct cr_heap_item){ .key = key, .node = node });
}

/* Lowers the key of NODE, which is in the heap, to KEY. */
static CR_HOT_INLINE void
cr_heap_decrease(struct cr_heap *hp, uint32_t *pos, size_t stride, uint32_t node, uint32_t key)
{
    cr_heap_up(hp, pos, stride, pos[node * stride],
               (struct cr_heap_item){ .key = key, .node = node });
}

/* Pops the minimum (the heap is not empty); its position becomes CR_HEAP_SETTLED. */
static CR_HOT_INLINE struct cr_heap_item
cr_heap_pop(struct cr_heap *hp, uint32_t *pos, size_t stride)
{
    struct cr_heap_item top = hp->h[0];
    hp->size--;
    if (hp->size > 0)
        cr_heap_down(hp, pos, stride, 0, hp->h[hp->size]);
    pos[top.node * stride] = CR_HEAP_SETTLED;
    return top;
}

#endif
