/*
 * The states of the time-dependent searches (routing/tdsearch.h): a turn-graph node, or, on an
 * edge of a way that is the via of conditional restrictions via a way, that node together with
 * the group of restrictions the route came under when it turned onto the via way from their
 * from way (routing/conditional.h). Leaving the via way is then checked against the group at
 * the time of that turn; staying on it keeps the group. Plain states are the nodes themselves
 * (0 .. n-1), so a network without such restrictions has no other.
 */
#ifndef CR_ROUTING_TDSEARCH_STATE_H
#define CR_ROUTING_TDSEARCH_STATE_H

#include <stdint.h>

#include "routing/conditional.h"

struct cr_engine;

struct cr_td_states {
    uint32_t n;             /* turn-graph nodes: the plain states */
    uint32_t extra;         /* states n .. n + extra - 1 */
    uint32_t *first;        /* [n + 1] or NULL: node y's other states, n + first[y] .. */
    uint32_t *node, *group; /* [extra] */
};

/* caller frees: cr_td_states_fini(). -1 when out of memory. */
int cr_td_states_init(struct cr_td_states *st, const struct cr_engine *e);
void cr_td_states_fini(struct cr_td_states *st);

static inline uint32_t
cr_td_real(const struct cr_td_states *st, uint32_t s)
{
    return s < st->n ? s : st->node[s - st->n];
}

static inline uint32_t
cr_td_group(const struct cr_td_states *st, uint32_t s)
{
    return s < st->n ? CR_COND_NO_GROUP : st->group[s - st->n];
}

/* The state of node Y under GROUP (CR_COND_NO_GROUP: Y itself). */
uint32_t cr_td_state_of(const struct cr_td_states *st, uint32_t y, uint32_t group);

/* The state after entering node Y's edge from state S (bans aside: they are costs). */
uint32_t cr_td_next(const struct cr_td_states *st, const struct cr_engine *e, uint32_t s,
                    uint32_t y);

#endif
