/* Dijkstra for traffic assignment (planning/assign_sp.h): a binary heap of doubles with
 * decrease-key, since link costs are real numbers and 1e-8 gaps need every digit. */
#include "planning/assign_sp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NOT_IN_HEAP UINT32_MAX
#define SETTLED (UINT32_MAX - 1)

enum cr_status
cr_assign_sp_init(struct cr_assign_sp *sp, uint32_t node_count, struct cr_error *err)
{
    memset(sp, 0, sizeof *sp);
    size_t n = node_count ? node_count : 1;
    sp->node_count = node_count;
    sp->dist = malloc(n * sizeof *sp->dist);
    sp->pred = malloc(n * sizeof *sp->pred);
    sp->order = malloc(n * sizeof *sp->order);
    sp->heap = malloc(n * sizeof *sp->heap);
    sp->pos = malloc(n * sizeof *sp->pos);
    sp->key = malloc(n * sizeof *sp->key);
    if (!sp->dist || !sp->pred || !sp->order || !sp->heap || !sp->pos || !sp->key) {
        cr_assign_sp_fini(sp);
        return cr_error_set(err, CR_ENOMEM, "assignment: out of memory for %u nodes",
                            (unsigned)node_count);
    }
    return CR_OK;
}

void
cr_assign_sp_fini(struct cr_assign_sp *sp)
{
    if (!sp)
        return;
    free(sp->dist);
    free(sp->pred);
    free(sp->order);
    free(sp->heap);
    free(sp->pos);
    free(sp->key);
    memset(sp, 0, sizeof *sp);
}

static void
heap_up(struct cr_assign_sp *sp, uint32_t i)
{
    uint32_t v = sp->heap[i];
    double k = sp->key[v];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        uint32_t u = sp->heap[parent];
        if (sp->key[u] <= k)
            break;
        sp->heap[i] = u;
        sp->pos[u] = i;
        i = parent;
    }
    sp->heap[i] = v;
    sp->pos[v] = i;
}

static uint32_t
heap_pop(struct cr_assign_sp *sp)
{
    uint32_t top = sp->heap[0];
    uint32_t last = sp->heap[--sp->heap_size];
    uint32_t i = 0, n = sp->heap_size;
    double k = sp->key[last];
    while (n > 0) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && sp->key[sp->heap[c + 1]] < sp->key[sp->heap[c]])
            c++;
        if (sp->key[sp->heap[c]] >= k)
            break;
        sp->heap[i] = sp->heap[c];
        sp->pos[sp->heap[i]] = i;
        i = c;
    }
    if (n > 0) {
        sp->heap[i] = last;
        sp->pos[last] = i;
    }
    sp->pos[top] = SETTLED;
    return top;
}

void
cr_assign_sp_run(struct cr_assign_sp *sp, const struct cr_assign_problem *p,
                 const struct cr_assign_class *c, const double *cost, uint32_t origin)
{
    uint32_t n = c->node_count;
    for (uint32_t v = 0; v < n; v++) {
        sp->dist[v] = INFINITY;
        sp->pred[v] = UINT32_MAX;
        sp->pos[v] = NOT_IN_HEAP;
    }
    sp->settled = 0;
    sp->heap_size = 0;
    sp->dist[origin] = 0.0;
    sp->key[origin] = 0.0;
    sp->heap[sp->heap_size++] = origin;
    sp->pos[origin] = 0;
    while (sp->heap_size > 0) {
        uint32_t u = heap_pop(sp);
        sp->order[sp->settled++] = u;
        if (u != origin && u < p->through_from)
            continue; /* a zone or a centroid: reached, never passed through */
        double du = sp->dist[u];
        for (uint32_t l = c->first_out[u]; l < c->first_out[u + 1]; l++) {
            uint32_t w = c->head[l];
            double dw = du + cost[l];
            if (dw < sp->dist[w] && sp->pos[w] != SETTLED) {
                sp->dist[w] = dw;
                sp->pred[w] = l;
                sp->key[w] = dw;
                if (sp->pos[w] == NOT_IN_HEAP) {
                    sp->heap[sp->heap_size] = w;
                    sp->pos[w] = sp->heap_size++;
                }
                heap_up(sp, sp->pos[w]);
            }
        }
    }
}
