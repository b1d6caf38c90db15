/*
 * The states of the time-dependent searches (routing/tdsearch_state.h).
 */
#include "routing/tdsearch_state.h"

#include <stdlib.h>
#include <string.h>

#include "routing/route.h"

static uint32_t
way_of_node(const struct cr_engine *e, uint32_t y)
{
    const struct cr_graph_view *v = e->view;
    uint32_t edge = e->tg->edge_of[y % e->tg->base_count];
    return v->segment_way[v->edge_segment[edge] & ~CR_SEGMENT_REVERSED];
}

/* Calls (or counts, ST->node NULL) each state (Y, group) Y needs into ST from slot *AT. */
static void
node_states(struct cr_td_states *st, const struct cr_condset *cs, uint32_t y, uint32_t way,
            uint32_t *at)
{
    for (uint32_t k = 0; k < cs->vturn_count; k++) {
        const struct cr_cond_turn *t = &cs->vturns[k];
        if (t->via != way ||
            (k > 0 && t->from_way == cs->vturns[k - 1].from_way && t->via == cs->vturns[k - 1].via))
            continue; /* not a group of this way (a group starts at its first turn) */
        if (st->node) {
            st->node[*at] = y;
            st->group[*at] = k;
        }
        (*at)++;
    }
}

int
cr_td_states_init(struct cr_td_states *st, const struct cr_engine *e)
{
    const struct cr_condset *cs = e->cond;
    uint32_t n = e->tg->g.node_count, at = 0;

    memset(st, 0, sizeof *st);
    st->n = n;
    if (!cs || !cs->vturn_count)
        return 0;
    if (!(st->first = calloc((size_t)n + 1, sizeof *st->first)))
        return -1;
    for (uint32_t y = 0; y < n; y++) { /* count */
        uint32_t way = way_of_node(e, y);
        if (cs->via_way[way])
            node_states(st, cs, y, way, &at);
    }
    st->extra = at;
    st->node = malloc(((size_t)at + 1) * sizeof *st->node);
    st->group = malloc(((size_t)at + 1) * sizeof *st->group);
    if (!st->node || !st->group) {
        cr_td_states_fini(st);
        return -1;
    }
    at = 0;
    for (uint32_t y = 0; y < n; y++) { /* fill */
        uint32_t way = way_of_node(e, y);
        st->first[y] = at;
        if (cs->via_way[way])
            node_states(st, cs, y, way, &at);
    }
    st->first[n] = at;
    return 0;
}

void
cr_td_states_fini(struct cr_td_states *st)
{
    free(st->first);
    free(st->node);
    free(st->group);
    memset(st, 0, sizeof *st);
}

uint32_t
cr_td_state_of(const struct cr_td_states *st, uint32_t y, uint32_t group)
{
    if (group == CR_COND_NO_GROUP || !st->first)
        return y;
    for (uint32_t k = st->first[y]; k < st->first[y + 1]; k++)
        if (st->group[k] == group)
            return st->n + k;
    return y;
}

uint32_t
cr_td_next(const struct cr_td_states *st, const struct cr_engine *e, uint32_t s, uint32_t y)
{
    if (!st->first)
        return y;
    uint32_t x = cr_td_real(st, s), g = cr_td_group(st, s);
    uint32_t in_way = way_of_node(e, x), y_way = way_of_node(e, y);
    if (g != CR_COND_NO_GROUP && y_way == e->cond->vturns[g].via)
        return cr_td_state_of(st, y, g); /* still on the via way */
    return cr_td_state_of(st, y, cr_condset_via_group(e->cond, in_way, y_way));
}
