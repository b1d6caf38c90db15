/*
 * continue_straight (OSRM's option of that name): a route through via points that leaves each
 * via point in the direction it reached it, with no U-turn there, the legs chosen together so
 * the whole route is the lightest under that constraint (docs/routing.md "Via points and
 * continue_straight").
 */
#ifndef CORRIDOR_ROUTING_ROUTE_STRAIGHT_H
#define CORRIDOR_ROUTING_ROUTE_STRAIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "corridor/error.h"
#include "routing/route.h"

/* A place not kept to one candidate and direction (the first and last places). */
#define CR_STRAIGHT_ANY UINT32_MAX

/* For each of the N >= 3 PLACES, the candidate and direction (candidate * 2 + direction) at
 * which the lightest route through them reaches and leaves it without turning back,
 * STATES[0] and STATES[N - 1] being CR_STRAIGHT_ANY: a dynamic programme over the legs, each
 * leg's weights between the states of its two ends from one cr_router_matrix call. CR_ENOTFOUND
 * when no route goes straight on through every via point. */
enum cr_status cr_route_straight_states(struct cr_router *r, const struct cr_place *places,
                                        size_t n, uint32_t *states, struct cr_error *err);

/* PLACE kept to its candidate and direction STATE into OUT (a copy of PLACE when STATE is
 * CR_STRAIGHT_ANY): as a leg's target, arrived at along that direction; as a source, left along
 * it. */
void cr_place_restrict(const struct cr_place *place, uint32_t state, struct cr_place *out);

#endif
