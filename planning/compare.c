/* Before and after: two skims of the same zones compared pair by pair, zone by zone, with the
 * totals of a demand table. */
#include "planning/compare.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"

#define SAME_S 0.05 /* a change within this many seconds is no change (the skim rounds to 0.1) */

void
cr_compare_zone_id(const struct cr_zones *z, size_t i, char *buf, size_t size)
{
    if (z->zones[i].name && z->zones[i].name[0])
        snprintf(buf, size, "%s", z->zones[i].name);
    else
        snprintf(buf, size, "%" PRId64, z->zones[i].fid);
}

void
cr_compare_fini(struct cr_compare *c)
{
    if (!c)
        return;
    free(c->zones);
    memset(c, 0, sizeof *c);
}

/* Pair (i, j) into the totals and zone i's sums (SUM, weight in zone->weight). */
static void
count_pair(struct cr_compare *out, const struct cr_skim *b, const struct cr_skim *a,
           const struct cr_demand *d, size_t i, size_t j, double *sum, double *total_sum,
           double *total_w)
{
    size_t n = out->count;
    int ok_b = cr_skim_cell_status(b, i, j) == CR_SKIM_OK;
    int ok_a = cr_skim_cell_status(a, i, j) == CR_SKIM_OK;
    double trips = d ? d->trips[i * n + j] : 1;
    const struct cr_cell *cb = &b->cells[i * n + j], *ca = &a->cells[i * n + j];
    struct cr_compare_zone *z = &out->zones[i];

    if (d && ok_b && ok_a) {
        out->trips_ok += trips;
        out->vht_before_h += trips * cb->duration_s / 3600;
        out->vht_after_h += trips * ca->duration_s / 3600;
        out->vkt_before_km += trips * cb->distance_m / 1000;
        out->vkt_after_km += trips * ca->distance_m / 1000;
    } else if (d && i != j) {
        if (ok_b)
            out->trips_lost += trips;
        else if (ok_a)
            out->trips_gained += trips;
        else
            out->trips_neither += trips;
    }
    if (i == j)
        return;
    out->pairs++;
    if (!ok_b || !ok_a) {
        if (ok_b) {
            out->pairs_lost++;
            z->pairs_lost++;
        } else if (ok_a) {
            out->pairs_gained++;
            z->pairs_gained++;
        } else {
            out->pairs_neither++;
        }
        return;
    }
    double change = ca->duration_s - cb->duration_s;
    out->pairs_ok++;
    z->pairs_ok++;
    out->pairs_faster += change < -SAME_S;
    out->pairs_slower += change > SAME_S;
    if (isnan(out->min_change_s) || change < out->min_change_s)
        out->min_change_s = change;
    if (isnan(out->max_change_s) || change > out->max_change_s)
        out->max_change_s = change;
    *sum += trips * change;
    z->weight += trips;
    *total_sum += trips * change;
    *total_w += trips;
}

enum cr_status
cr_compare_skims(const struct cr_skim *before, const struct cr_skim *after,
                 const struct cr_demand *demand, struct cr_compare *out, struct cr_error *err)
{
    size_t n = before->count;
    double total_sum = 0, total_w = 0;

    memset(out, 0, sizeof *out);
    if (after->count != n)
        return cr_error_set(err, CR_EINVAL, "before and after: %zu and %zu zones", n, after->count);
    if (demand && demand->count != n)
        return cr_error_set(err, CR_EINVAL, "demand of %zu zones for %zu zones", demand->count, n);
    out->count = n;
    if (!(out->zones = calloc(n ? n : 1, sizeof *out->zones)))
        return cr_error_set(err, CR_ENOMEM, "%zu zones: out of memory", n);
    out->min_change_s = out->max_change_s = NAN;
    out->with_demand = demand != NULL;
    out->trips = demand ? demand->total : 0;
    out->zones_placed_before = before->placed;
    out->zones_placed_after = after->placed;
    for (size_t i = 0; i < n; i++) {
        double sum = 0;
        for (size_t j = 0; j < n; j++)
            count_pair(out, before, after, demand, i, j, &sum, &total_sum, &total_w);
        out->zones[i].mean_change_s = out->zones[i].weight > 0 ? sum / out->zones[i].weight : NAN;
        out->zones[i].snap_moved_m = NAN;
        if (before->points[i].placed && after->points[i].placed) {
            const struct cr_snap *p = &before->points[i].place.snap,
                                 *q = &after->points[i].place.snap;
            out->zones[i].snap_moved_m =
                cr_geo_distance_m(p->lon_e7, p->lat_e7, q->lon_e7, q->lat_e7);
            out->zones_moved += out->zones[i].snap_moved_m > CR_COMPARE_MOVED_M;
        }
    }
    out->mean_change_s = total_w > 0 ? total_sum / total_w : NAN;
    return CR_OK;
}
