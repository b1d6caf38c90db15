/*
 * What each arc of a hierarchy's search graph stands for, summed (the measures of a table's
 * cells, and the tie-break's seconds, cr_ch_set_second): K integers per input arc (the
 * measures of a turn-graph arc in fixed point, so sums are exact whatever their order) added up
 * along every shortcut's unpacked path, once, bottom-up. A shortcut at rank u via middle m is the
 * arcs at m into and out of m (ch_query.c's unpacking: the lightest on a tie), and m ranks below u,
 * so taking the owners in rank order finds both halves already summed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "routing/ch_internal.h"

size_t
cr_ch_search_arc_count(const struct cr_ch *ch)
{
    return (size_t)ch->a.up_count + ch->a.down_count;
}

/* The search-graph index of the arc of rank M in direction DIR (0 up, 1 down) whose head is
 * OTHER, the lightest on a tie (as ch_query.c's find_at_middle); UINT32_MAX when none. */
static uint32_t
at_middle(const struct cr_ch *ch, uint32_t m, uint32_t other, int dir)
{
    const struct cr_ch_arrays *a = &ch->a;
    const uint32_t *first = dir == 0 ? a->up_first : a->down_first;
    const uint32_t *head = dir == 0 ? a->up_head : a->down_head;
    const uint32_t *weight = dir == 0 ? a->up_weight : a->down_weight;
    uint32_t found = NO_ARC;
    for (uint32_t i = first[m]; i < first[m + 1]; i++)
        if (head[i] == other && (found == NO_ARC || weight[i] < weight[found]))
            found = i;
    if (found == NO_ARC)
        return NO_ARC;
    return (dir == 0 ? ch->snode[m].begin : ch->snode[m].split) + (found - first[m]);
}

int
cr_ch_arc_sums(const struct cr_ch *ch, const int64_t *input, size_t input_count, size_t k,
               int64_t *out, uint32_t *owner)
{
    const struct cr_ch_arrays *a = &ch->a;

    for (uint32_t u = 0; u < a->node_count; u++) {
        for (int dir = 0; dir < 2; dir++) {
            const uint32_t *first = dir == 0 ? a->up_first : a->down_first;
            const uint32_t *head = dir == 0 ? a->up_head : a->down_head;
            const uint32_t *middle = dir == 0 ? a->up_middle : a->down_middle;
            const uint32_t *arc = dir == 0 ? a->up_arc : a->down_arc;
            uint32_t s = dir == 0 ? ch->snode[u].begin : ch->snode[u].split;
            for (uint32_t i = first[u]; i < first[u + 1]; i++, s++) {
                uint32_t m = middle[i], x, y;
                int64_t *o = out + (size_t)s * k;
                owner[s] = u;
                if (m == CR_INF) {
                    if (arc[i] >= input_count)
                        return -1;
                    memcpy(o, input + (size_t)arc[i] * k, k * sizeof *o);
                    continue;
                }
                /* up arc u->head: (u->m) then (m->head); down arc head->u: (head->m), (m->u) */
                if (m >= u || (x = at_middle(ch, m, dir == 0 ? u : head[i], 1)) == NO_ARC ||
                    (y = at_middle(ch, m, dir == 0 ? head[i] : u, 0)) == NO_ARC)
                    return -1;
                for (size_t c = 0; c < k; c++)
                    o[c] = out[(size_t)x * k + c] + out[(size_t)y * k + c];
            }
        }
    }
    return 0;
}

int
cr_ch_set_second(struct cr_ch *ch, const struct cr_wgraph *g)
{
    size_t m = cr_ch_search_arc_count(ch), n = ch->a.node_count;
    int64_t *in = malloc(((size_t)g->arc_count + 1) * sizeof *in);
    int64_t *out = malloc((m + 1) * sizeof *out);
    uint32_t *owner = malloc((m + 1) * sizeof *owner);
    int rc = -1;

    if (!in || !out || !owner || g->node_count < n)
        goto done;
    for (size_t a = 0; a < g->arc_count; a++)
        in[a] = g->second ? g->second[a] : 0;
    if (cr_ch_arc_sums(ch, in, g->arc_count, 1, out, owner))
        goto done;
    for (size_t s = 0; s < m; s++)
        ch->sarc[s].second = out[s] >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)out[s];
    free(ch->node_second);
    ch->node_second = NULL;
    if (g->node_second) {
        if (!(ch->node_second = malloc((n + 1) * sizeof *ch->node_second)))
            goto done;
        memcpy(ch->node_second, g->node_second, n * sizeof *ch->node_second);
    }
    rc = 0;
done:
    free(in);
    free(out);
    free(owner);
    return rc;
}

int
cr_ch_tie_rule(const struct cr_ch *ch)
{
    return ch->tie;
}

void
cr_ch_set_tie_rule(struct cr_ch *ch, int tie)
{
    ch->tie = tie;
}
