/*
 * continue_straight: the states of the via points by dynamic programming over the legs
 * (routing/route_straight.h).
 */
#include "routing/route_straight.h"

#include <stdlib.h>

#define MAX_STATES (2 * CR_PLACE_CANDIDATES)

void
cr_place_restrict(const struct cr_place *place, uint32_t state, struct cr_place *out)
{
    *out = *place;
    if (state == CR_STRAIGHT_ANY)
        return;
    out->cand[0] = place->cand[state / 2];
    out->cand[0].node[1 - state % 2] = CR_INF;
    out->count = 1;
    out->snap = out->cand[0].snap;
}

/* The states of place I of N into ST (CR_STRAIGHT_ANY alone for the ends); their count. */
static size_t
place_states(const struct cr_place *places, size_t i, size_t n, uint32_t *st)
{
    size_t k = 0;

    if (i == 0 || i + 1 == n) {
        st[0] = CR_STRAIGHT_ANY;
        return 1;
    }
    for (uint32_t c = 0; c < places[i].count && c < CR_PLACE_CANDIDATES; c++)
        for (uint32_t d = 0; d < 2; d++)
            if (places[i].cand[c].node[d] != CR_INF)
                st[k++] = c * 2 + d;
    return k;
}

enum cr_status
cr_route_straight_states(struct cr_router *r, const struct cr_place *places, size_t n,
                         uint32_t *states, struct cr_error *err)
{
    uint64_t *best = malloc(n * MAX_STATES * sizeof *best); /* [place][state]: lightest so far */
    uint8_t *from = malloc(n * MAX_STATES * sizeof *from);  /* the previous place's state */
    struct cr_place src[MAX_STATES], dst[MAX_STATES];
    uint32_t st[2][MAX_STATES];
    uint64_t w[MAX_STATES * MAX_STATES];
    size_t kind[2], used[MAX_STATES];
    enum cr_status rc = CR_OK;

    if (!best || !from) {
        rc = cr_error_set(err, CR_ENOMEM, "out of memory");
        goto done;
    }
    kind[0] = place_states(places, 0, n, st[0]);
    best[0] = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        uint32_t *a = st[i % 2], *b = st[(i + 1) % 2];
        size_t na = 0, nb = place_states(places, i + 1, n, b);

        for (size_t s = 0; s < kind[i % 2]; s++)
            if (best[i * MAX_STATES + s] != UINT64_MAX) {
                cr_place_restrict(&places[i], a[s], &src[na]);
                used[na++] = s;
            }
        for (size_t t = 0; t < nb; t++) {
            cr_place_restrict(&places[i + 1], b[t], &dst[t]);
            best[(i + 1) * MAX_STATES + t] = UINT64_MAX;
        }
        kind[(i + 1) % 2] = nb;
        if (!na || !nb) {
            rc = cr_error_set(err, CR_ENOTFOUND, "no route goes straight on at via point %zu", i);
            goto done;
        }
        if ((rc = cr_router_matrix(r, src, na, dst, nb, w, err)))
            goto done;
        for (size_t s = 0; s < na; s++)
            for (size_t t = 0; t < nb; t++) {
                uint64_t here = best[i * MAX_STATES + used[s]], leg = w[s * nb + t];
                uint64_t *to = &best[(i + 1) * MAX_STATES + t];
                if (leg != UINT64_MAX && here + leg < *to) {
                    *to = here + leg;
                    from[(i + 1) * MAX_STATES + t] = (uint8_t)used[s];
                }
            }
    }
    if (best[(n - 1) * MAX_STATES] == UINT64_MAX) {
        rc = cr_error_set(err, CR_ENOTFOUND, "no route goes straight on through the via points");
        goto done;
    }
    /* back from the last place: each place's state index, then the state itself */
    for (size_t i = n - 1, s = 0; i > 0; i--) {
        uint32_t all[MAX_STATES];
        place_states(places, i, n, all);
        states[i] = all[s];
        s = from[i * MAX_STATES + s];
    }
    states[0] = CR_STRAIGHT_ANY;
done:
    free(best);
    free(from);
    return rc;
}
