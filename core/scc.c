#include "core/scc.h"

#include "core/graph.h"

#include <stdlib.h>

struct frame {
    uint32_t v, e;
};

uint32_t
cr_scc(uint32_t n, const uint32_t *first_out, const uint32_t *head, uint32_t head_mod,
       uint32_t *comp)
{
    uint32_t *index = malloc(((size_t)n + 1) * sizeof *index);
    uint32_t *low = malloc(((size_t)n + 1) * sizeof *low);
    uint32_t *stack = malloc(((size_t)n + 1) * sizeof *stack);
    struct frame *frames = malloc(((size_t)n + 1) * sizeof *frames);
    uint8_t *on_stack = calloc((size_t)n + 1, 1);
    uint32_t counter = 0, sp = 0, comps = 0;

    if (!index || !low || !stack || !frames || !on_stack) {
        comps = UINT32_MAX;
        goto done;
    }
    for (uint32_t v = 0; v < n; v++)
        index[v] = UINT32_MAX;
    for (uint32_t root = 0; root < n; root++) {
        uint32_t fp = 0;
        if (index[root] != UINT32_MAX)
            continue;
        frames[fp++] = (struct frame){ root, first_out[root] };
        index[root] = low[root] = counter++;
        stack[sp++] = root;
        on_stack[root] = 1;
        while (fp) {
            struct frame *f = &frames[fp - 1];
            uint32_t v = f->v;
            if (f->e < first_out[v + 1]) {
                uint32_t w = head[f->e++];
                if (head_mod)
                    w %= head_mod;
                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = counter++;
                    stack[sp++] = w;
                    on_stack[w] = 1;
                    frames[fp++] = (struct frame){ w, first_out[w] };
                } else if (on_stack[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            fp--;
            if (fp && low[v] < low[frames[fp - 1].v])
                low[frames[fp - 1].v] = low[v];
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on_stack[w] = 0;
                    comp[w] = comps;
                } while (w != v);
                comps++;
            }
        }
    }
done:
    free(index);
    free(low);
    free(stack);
    free(frames);
    free(on_stack);
    return comps;
}

int
cr_scc_mark_largest(uint32_t n, const uint32_t *first_out, const uint32_t *head,
                    const uint32_t *edge_segment, const uint32_t *seg_len, const uint8_t *group,
                    uint8_t *flags)
{
    uint32_t *comp = malloc(((size_t)n + 1) * sizeof *comp), comps;
    uint64_t *sizes = NULL; /* per component: length of its inner edges in cm, + 1 per node */
    uint32_t best[CR_GROUP_COUNT] = { UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX };
    uint64_t best_size[CR_GROUP_COUNT] = { 0 };

    if (!comp || (comps = cr_scc(n, first_out, head, 0, comp)) == UINT32_MAX ||
        !(sizes = calloc((size_t)comps + 1, sizeof *sizes))) {
        free(comp);
        return -1;
    }
    for (uint32_t v = 0; v < n; v++) {
        sizes[comp[v]]++;
        for (uint32_t e = first_out[v]; e < first_out[v + 1]; e++)
            if (comp[head[e]] == comp[v])
                sizes[comp[v]] += seg_len[edge_segment[e] & ~CR_SEGMENT_REVERSED];
    }
    for (uint32_t v = 0; v < n; v++) {
        uint64_t size = sizes[comp[v]];
        if (size > best_size[group[v]] ||
            (size == best_size[group[v]] && comp[v] < best[group[v]])) {
            best_size[group[v]] = size;
            best[group[v]] = comp[v];
        }
    }
    for (uint32_t v = 0; v < n; v++) {
        if (group[v] == CR_GROUP_TERMINAL)
            continue;
        flags[v] &= (uint8_t)~CR_NODE_LCC;
        if (best_size[group[v]] && comp[v] == best[group[v]])
            flags[v] |= CR_NODE_LCC;
    }
    free(comp);
    free(sizes);
    return 0;
}
