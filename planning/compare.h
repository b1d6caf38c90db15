/*
 * Before and after: the zone-to-zone skims of the same zones on two networks (BASE and
 * SCENARIO, the same profile and metric; planning/skim.h) compared pair by pair and zone by zone,
 * optionally weighted by a demand table of trips between the zones. See docs/compare.md.
 *
 * Per ordered pair (i, j): the duration and distance before and after, the change (after minus
 * before), and the skim status on each network. A pair "counts" when it is ok on both.
 * Per zone i: the mean change of duration over the pairs (i, j), j != i, that count (weighted by
 * the trips from i to j when demand is given; a zone with no such pair, or no trips on them, has
 * no mean: NAN), and how many of its pairs were lost (ok before, not after) or gained.
 * Totals: over the pairs j != i that count, the mean change (weighted likewise), the smallest and
 * largest, pairs faster and slower; with demand, the trips on pairs that count, lost or gained,
 * and the vehicle-hours and vehicle-km of the trips on pairs that count (intrazonal trips, i = j,
 * included with the skim's diagonal), before and after: sum of trips x duration / 3600 and
 * trips x distance / 1000.
 */
#ifndef CR_PLANNING_COMPARE_H
#define CR_PLANNING_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "importers/demand/demand.h"
#include "planning/skim.h"
#include "spatial/zones.h"

/* The demand table (struct cr_demand, cr_demand_load): importers/demand/demand.h, with zone ids
 * as cr_compare_zone_id gives them. */

/* Zone I's id: its name when it has a non-empty one, else its feature id, into BUF. */
void cr_compare_zone_id(const struct cr_zones *z, size_t i, char *buf, size_t size);

/* A zone's point is snapped on each network by itself: where the scenario closes or adds roads
 * near it (or changes which roads are connected), it may snap elsewhere, and its changes then
 * include the other access. Zones whose snapped points lie farther apart than this are counted. */
#define CR_COMPARE_MOVED_M 1.0

struct cr_compare_zone {
    double mean_change_s; /* NAN: no pair counts (or no trips on them) */
    double weight;        /* pairs (or trips) the mean is over */
    size_t pairs_ok, pairs_lost, pairs_gained;
    double snap_moved_m; /* between the zone's snapped point on BASE and on SCENARIO; NAN when
                            not placed on one of them */
};

struct cr_compare {
    size_t count;                  /* zones */
    struct cr_compare_zone *zones; /* [count] */
    /* ordered pairs j != i */
    size_t pairs, pairs_ok, pairs_lost, pairs_gained, pairs_neither;
    size_t pairs_faster, pairs_slower;                /* of those ok: change < -0.05 s, > 0.05 s */
    double mean_change_s, min_change_s, max_change_s; /* over those ok; NAN when none */
    size_t zones_placed_before, zones_placed_after;
    size_t zones_moved; /* snapped more than CR_COMPARE_MOVED_M apart on the two networks */
    /* with demand */
    int with_demand;
    double trips, trips_ok, trips_lost, trips_gained, trips_neither; /* i = j in trips_ok */
    double vht_before_h, vht_after_h, vkt_before_km, vkt_after_km;   /* trips on pairs ok */
};

/* BEFORE and AFTER: skims of the same zones (the same count); DEMAND of as many zones, or NULL.
 * Errors: the counts differ, out of memory. caller frees: cr_compare_fini() */
enum cr_status cr_compare_skims(const struct cr_skim *before, const struct cr_skim *after,
                                const struct cr_demand *demand, struct cr_compare *out,
                                struct cr_error *err);
void cr_compare_fini(struct cr_compare *c);

#endif
