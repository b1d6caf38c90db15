/* The travelling-salesman solver of routing/trip.h: Held-Karp up to a limit, a deterministic
 * heuristic beyond (docs/trip.md). */
#include <stdlib.h>
#include <string.h>

#include "routing/trip.h"

/* Inside, every trip is a cycle through M cities starting at city 0 (see to_cycle), costs are
 * int64 and BIG stands for "no route": sums of up to CR_TRIP_MAX_POINTS + 1 BIGs still fit. */
#define BIG ((int64_t)1 << 40)
#define MAX_WEIGHT (BIG / 4) /* a finite table weight above this is refused */
#define EXACT_CEILING 20     /* 2^19 x 19 x 8 bytes = 80 MB of table: no further */
#define NN_ALL_STARTS 200    /* nearest neighbour tries every start up to this many cities */
#define MAX_PASSES 200       /* local search: a ceiling on improving passes */
#define MULTI_START_MAX 100  /* up to this many cities, local search from every start */

struct cycle {
    size_t m;       /* cities */
    int64_t *c;     /* [m * m] */
    size_t n;       /* the points (m == n + 1 when the last city is a free end) */
    int free_ends;  /* city n is a dummy joining a free end to a free start */
    int rotate_end; /* rotate so that point n - 1 is visited last */
};

static int64_t
cost(const struct cycle *cy, size_t i, size_t j)
{
    return cy->c[i * cy->m + j];
}

/* The table and the options as a cycle problem: see routing/trip.h for what each trip is. A
 * fixed start (point 0) of a path: arcs into point 0 cost nothing, so the cycle is the path
 * plus a free return. A fixed end (point n-1): arcs out of it cost nothing. Both fixed (also
 * with roundtrip, as OSRM's fixed start and end): leaving n-1 goes only to 0, for free. Neither
 * (a path): a dummy city with free arcs to and from every point. */
static enum cr_status
to_cycle(const uint64_t *w, size_t n, const struct cr_trip_options *o, struct cycle *cy,
         struct cr_error *err)
{
    int first = o->source_first, last = o->destination_last, path = !o->roundtrip;

    memset(cy, 0, sizeof *cy);
    cy->n = n;
    cy->free_ends = path && !first && !last && n > 1;
    cy->rotate_end = last && !first;
    cy->m = n + (size_t)cy->free_ends;
    if (!(cy->c = malloc(cy->m * cy->m * sizeof *cy->c)))
        return cr_error_set(err, CR_ENOMEM, "trip: out of memory for a %zu x %zu table", n, n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            uint64_t x = w[i * n + j];
            if (x != CR_TRIP_NONE && x > (uint64_t)MAX_WEIGHT) {
                free(cy->c);
                cy->c = NULL;
                return cr_error_set(err, CR_EINVAL,
                                    "trip: weight %llu from point %zu to %zu is too large",
                                    (unsigned long long)x, i, j);
            }
            cy->c[i * cy->m + j] = i == j ? 0 : x == CR_TRIP_NONE ? BIG : (int64_t)x;
        }
    if (n > 1 && first && last) {
        for (size_t i = 0; i < n; i++) {
            cy->c[i * cy->m + 0] = BIG;
            cy->c[(n - 1) * cy->m + i] = BIG;
        }
        cy->c[(n - 1) * cy->m + 0] = 0;
    } else if (n > 1 && first && path) {
        for (size_t i = 0; i < n; i++)
            cy->c[i * cy->m + 0] = 0;
    } else if (n > 1 && last && path) {
        for (size_t j = 0; j < n; j++)
            cy->c[(n - 1) * cy->m + j] = 0;
    }
    if (cy->free_ends)
        for (size_t i = 0; i <= n; i++)
            cy->c[i * cy->m + n] = cy->c[n * cy->m + i] = 0;
    return CR_OK;
}

static int64_t
tour_cost(const struct cycle *cy, const size_t *t)
{
    int64_t sum = 0;
    for (size_t k = 0; k < cy->m; k++)
        sum += cost(cy, t[k], t[(k + 1) % cy->m]);
    return sum;
}

/* ---- exact: Held-Karp ----------------------------------------------------------------------- */

/* The best cycle through every city, from city 0, into T. dp[S][j]: the cheapest path from 0
 * through exactly the cities of S (a subset of 1..m-1, bit j-1 for city j) ending at j. */
static enum cr_status
held_karp(const struct cycle *cy, size_t *t, struct cr_error *err)
{
    size_t m = cy->m, k = m - 1, full = ((size_t)1 << k) - 1;
    int64_t *dp;

    if (m <= 2) {
        for (size_t i = 0; i < m; i++)
            t[i] = i;
        return CR_OK;
    }
    if (!(dp = malloc(((size_t)1 << k) * k * sizeof *dp)))
        return cr_error_set(err, CR_ENOMEM, "trip: out of memory for the exact search (%zu)", m);
    for (size_t s = 1; s <= full; s++)
        for (size_t js = s; js; js &= js - 1) {
            size_t j = (size_t)__builtin_ctzll(js), prev = s & ~((size_t)1 << j);
            const int64_t *row = dp + prev * k;
            int64_t best = BIG * (int64_t)m;
            if (!prev)
                best = cost(cy, 0, j + 1);
            for (size_t is = prev; is; is &= is - 1) { /* the cities of prev */
                size_t i = (size_t)__builtin_ctzll(is);
                int64_t x = row[i] + cy->c[(i + 1) * m + j + 1];
                if (x < best)
                    best = x;
            }
            dp[s * k + j] = best;
        }
    /* walk back from the best last city, choosing the lowest index among equals */
    {
        size_t s = full, last = 0;
        int64_t best = 0;
        for (size_t j = 0; j < k; j++) {
            int64_t x = dp[full * k + j] + cost(cy, j + 1, 0);
            if (j == 0 || x < best) {
                best = x;
                last = j;
            }
        }
        t[0] = 0;
        for (size_t pos = m - 1; pos >= 1; pos--) {
            size_t prev = s & ~((size_t)1 << last), next = last;
            t[pos] = last + 1;
            if (prev)
                for (size_t i = 0; i < k; i++)
                    if (prev >> i & 1 &&
                        dp[prev * k + i] + cost(cy, i + 1, last + 1) == dp[s * k + last]) {
                        next = i;
                        break;
                    }
            s = prev;
            last = next;
        }
    }
    free(dp);
    return CR_OK;
}

/* ---- heuristic ---------------------------------------------------------------------------- */

/* Nearest neighbour from city START, as a tour rotated to begin at city 0. */
static void
nearest_from(const struct cycle *cy, size_t start, size_t *t, uint8_t *seen)
{
    size_t m = cy->m, cur = start, at0 = 0;
    memset(seen, 0, m);
    for (size_t k = 0; k < m; k++) {
        t[k] = cur;
        seen[cur] = 1;
        if (cur == 0)
            at0 = k;
        size_t best = m;
        for (size_t j = 0; j < m; j++)
            if (!seen[j] && (best == m || cost(cy, cur, j) < cost(cy, cur, best)))
                best = j;
        cur = best;
    }
    /* rotate so that t[0] == 0 */
    for (size_t r = 0; r < at0; r++) {
        size_t x = t[0];
        memmove(t, t + 1, (m - 1) * sizeof *t);
        t[m - 1] = x;
    }
}

/* The best nearest-neighbour tour over the starts tried (every city up to NN_ALL_STARTS). */
static void
nearest_neighbour(const struct cycle *cy, size_t *t, size_t *tmp, uint8_t *seen)
{
    size_t starts = cy->m <= NN_ALL_STARTS ? cy->m : 1;
    int64_t best = 0;
    for (size_t s = 0; s < starts; s++) {
        nearest_from(cy, s, tmp, seen);
        int64_t x = tour_cost(cy, tmp);
        if (s == 0 || x < best) {
            best = x;
            memcpy(t, tmp, cy->m * sizeof *t);
        }
    }
}

/* Farthest insertion: start from city 0; again and again take the city farthest from the tour
 * (by its nearer direction to the nearest tour city) and insert it where it adds least. */
static enum cr_status
farthest_insertion(const struct cycle *cy, size_t *t, struct cr_error *err)
{
    size_t m = cy->m, len = 1;
    int64_t *near = malloc(m * sizeof *near);
    uint8_t *in = calloc(m, 1);

    if (!near || !in) {
        free(near);
        free(in);
        return cr_error_set(err, CR_ENOMEM, "trip: out of memory");
    }
    t[0] = 0;
    in[0] = 1;
    for (size_t j = 0; j < m; j++)
        near[j] = cost(cy, 0, j) < cost(cy, j, 0) ? cost(cy, 0, j) : cost(cy, j, 0);
    while (len < m) {
        size_t far = m, at = 0;
        int64_t best = 0;
        for (size_t j = 0; j < m; j++)
            if (!in[j] && (far == m || near[j] > near[far]))
                far = j;
        for (size_t p = 0; p < len; p++) {
            size_t a = t[p], b = t[(p + 1) % len];
            int64_t x = cost(cy, a, far) + cost(cy, far, b) - (len > 1 ? cost(cy, a, b) : 0);
            if (p == 0 || x < best) {
                best = x;
                at = p + 1;
            }
        }
        memmove(t + at + 1, t + at, (len - at) * sizeof *t);
        t[at] = far;
        in[far] = 1;
        len++;
        for (size_t j = 0; j < m; j++) {
            int64_t d = cost(cy, far, j) < cost(cy, j, far) ? cost(cy, far, j) : cost(cy, j, far);
            if (d < near[j])
                near[j] = d;
        }
    }
    free(near);
    free(in);
    return CR_OK;
}

/* One pass of 2-opt for asymmetric costs: reversing t[i+1..j] turns its inner arcs around, so
 * the change needs the inner arcs' costs both ways (prefix sums F forward, B backward). First
 * improvement; returns whether the tour changed. City 0 stays at t[0]. */
static int
two_opt(const struct cycle *cy, size_t *t, int64_t *f, int64_t *b)
{
    size_t m = cy->m;
    int changed = 0;

    if (m < 4)
        return 0;
    f[0] = b[0] = 0;
    for (size_t k = 0; k + 1 < m; k++) {
        f[k + 1] = f[k] + cost(cy, t[k], t[k + 1]);
        b[k + 1] = b[k] + cost(cy, t[k + 1], t[k]);
    }
    for (size_t i = 0; i + 2 < m; i++)
        for (size_t j = i + 2; j < m; j++) {
            size_t a = t[i], s = t[i + 1], e = t[j], nx = t[(j + 1) % m];
            int64_t old = cost(cy, a, s) + (f[j] - f[i + 1]) + cost(cy, e, nx);
            int64_t neu = cost(cy, a, e) + (b[j] - b[i + 1]) + cost(cy, s, nx);
            if (neu >= old)
                continue;
            for (size_t lo = i + 1, hi = j; lo < hi; lo++, hi--) {
                size_t x = t[lo];
                t[lo] = t[hi];
                t[hi] = x;
            }
            for (size_t k = i; k + 1 < m; k++) {
                f[k + 1] = f[k] + cost(cy, t[k], t[k + 1]);
                b[k + 1] = b[k] + cost(cy, t[k + 1], t[k]);
            }
            changed = 1;
        }
    return changed;
}

/* Moves t[i..i+len-1] to between t[p] and t[p+1] (p outside the run), keeping its direction. */
static void
move_run(size_t *t, size_t m, size_t i, size_t len, size_t p, size_t *tmp)
{
    size_t k = 0;
    for (size_t q = 0; q < m; q++) {
        if (q >= i && q < i + len)
            continue;
        tmp[k++] = t[q];
        if (q == p)
            for (size_t r = 0; r < len; r++)
                tmp[k++] = t[i + r];
    }
    memcpy(t, tmp, m * sizeof *t);
}

/* One pass of Or-opt: each run of 1 to 3 cities moved elsewhere when that is cheaper, same
 * direction. Returns whether the tour changed. City 0 stays at t[0]. */
static int
or_opt(const struct cycle *cy, size_t *t, size_t *tmp)
{
    size_t m = cy->m;
    int changed = 0;

    for (size_t len = 1; len <= 3 && len + 3 <= m; len++)
        for (size_t i = 1; i + len <= m; i++) {
            size_t prev = t[i - 1], s = t[i], e = t[i + len - 1], nx = t[(i + len) % m];
            int64_t gain = cost(cy, prev, s) + cost(cy, e, nx) - cost(cy, prev, nx);
            for (size_t p = 0; p < m; p++) {
                if (p + 1 >= i && p < i + len)
                    continue; /* p is the run or just before it */
                size_t a = t[p], b = t[(p + 1) % m];
                if (cost(cy, a, s) + cost(cy, e, b) - cost(cy, a, b) < gain) {
                    move_run(t, m, i, len, p, tmp);
                    changed = 1;
                    break;
                }
            }
        }
    return changed;
}

/* Rotates T so that city 0 comes first. */
static void
rotate_to_zero(size_t *t, size_t m, size_t *tmp)
{
    size_t at = 0;
    while (at < m && t[at] != 0)
        at++;
    for (size_t k = 0; k < m; k++)
        tmp[k] = t[(at + k) % m];
    memcpy(t, tmp, m * sizeof *t);
}

/* 2-opt and Or-opt passes until neither helps; between passes the tour is turned by half, so
 * that the runs the passes leave alone (those through t[0]) get their turn. */
static void
improve(const struct cycle *cy, size_t *t, int64_t *f, int64_t *b, size_t *tmp)
{
    size_t m = cy->m;
    for (int pass = 0, quiet = 0; pass < MAX_PASSES && quiet < 2; pass++) {
        int a = two_opt(cy, t, f, b);
        int o = or_opt(cy, t, tmp);
        quiet = a || o ? 0 : quiet + 1;
        for (size_t k = 0; k < m; k++)
            tmp[k] = t[(k + m / 2) % m];
        memcpy(t, tmp, m * sizeof *t);
    }
    rotate_to_zero(t, m, tmp);
}

/* The heuristic into T: the better of farthest insertion and nearest neighbour, each improved. */
static enum cr_status
heuristic(const struct cycle *cy, size_t *t, struct cr_error *err)
{
    size_t m = cy->m;
    size_t *u = malloc(m * sizeof *u), *tmp = malloc(m * sizeof *tmp);
    int64_t *f = malloc(m * sizeof *f), *b = malloc(m * sizeof *b);
    uint8_t *seen = malloc(m);
    enum cr_status rc = CR_OK;

    if (!u || !tmp || !f || !b || !seen) {
        rc = cr_error_set(err, CR_ENOMEM, "trip: out of memory");
        goto done;
    }
    if ((rc = farthest_insertion(cy, t, err)))
        goto done;
    improve(cy, t, f, b, tmp);
    nearest_neighbour(cy, u, tmp, seen);
    improve(cy, u, f, b, tmp);
    if (tour_cost(cy, u) < tour_cost(cy, t))
        memcpy(t, u, m * sizeof *t);
    /* small trips: every nearest-neighbour start, improved */
    for (size_t s = 0; m <= MULTI_START_MAX && s < m; s++) {
        nearest_from(cy, s, u, seen);
        improve(cy, u, f, b, tmp);
        if (tour_cost(cy, u) < tour_cost(cy, t))
            memcpy(t, u, m * sizeof *t);
    }
done:
    free(u);
    free(tmp);
    free(f);
    free(b);
    free(seen);
    return rc;
}

/* ---- the trip from the cycle ---------------------------------------------------------------- */

/* The cycle T (from city 0) as the trip's order: without the dummy, from the city after it;
 * else from point 0, or ending at point n-1 when only the end is fixed. */
static void
to_order(const struct cycle *cy, const size_t *t, size_t *order)
{
    size_t m = cy->m, n = cy->n, from = 0;
    for (size_t k = 0; k < m; k++) {
        if (cy->free_ends && t[k] == n)
            from = k + 1;
        else if (!cy->free_ends && cy->rotate_end && t[k] == n - 1)
            from = k + 1;
    }
    for (size_t k = 0, q = 0; k < m; k++) {
        size_t city = t[(from + k) % m];
        if (city < n)
            order[q++] = city;
    }
}

uint64_t
cr_trip_weight(const uint64_t *w, size_t n, const size_t *order, int roundtrip)
{
    uint64_t sum = 0;
    for (size_t k = 0; k + 1 < n + (size_t)(roundtrip && n > 1); k++) {
        uint64_t x = w[order[k] * n + order[(k + 1) % n]];
        if (x == CR_TRIP_NONE || sum + x < sum)
            return CR_TRIP_NONE;
        sum += x;
    }
    return sum;
}

static enum cr_status
finish(const uint64_t *w, size_t n, const struct cr_trip_options *o, const struct cycle *cy,
       const size_t *t, struct cr_trip_order *out, struct cr_error *err)
{
    to_order(cy, t, out->order);
    out->weight = cr_trip_weight(w, n, out->order, o->roundtrip);
    if (out->weight == CR_TRIP_NONE)
        return cr_error_set(err, CR_ENOTFOUND,
                            "no trip visits all %zu points: some have no route between them", n);
    return CR_OK;
}

static enum cr_status
check(size_t n, const struct cr_trip_options *o, struct cr_error *err)
{
    if (n == 0 || n > CR_TRIP_MAX_POINTS)
        return cr_error_set(err, CR_EINVAL, "trip: %zu points: want 1 to %d", n,
                            CR_TRIP_MAX_POINTS);
    if (o->exact_max > EXACT_CEILING)
        return cr_error_set(err, CR_EINVAL, "trip: exact up to %zu points: at most %d",
                            o->exact_max, EXACT_CEILING);
    return CR_OK;
}

enum cr_status
cr_trip_solve(const uint64_t *w, size_t n, const struct cr_trip_options *o,
              struct cr_trip_order *out, struct cr_error *err)
{
    struct cr_trip_options d = CR_TRIP_OPTIONS_DEFAULT;
    struct cycle cy;
    size_t *t;
    enum cr_status rc;

    o = o ? o : &d;
    if ((rc = check(n, o, err)) || (rc = to_cycle(w, n, o, &cy, err)))
        return rc;
    if (!(t = malloc(cy.m * sizeof *t))) {
        free(cy.c);
        return cr_error_set(err, CR_ENOMEM, "trip: out of memory");
    }
    out->exact = !o->heuristic_only && cy.m <= (o->exact_max ? o->exact_max : CR_TRIP_EXACT_MAX);
    rc = out->exact ? held_karp(&cy, t, err) : heuristic(&cy, t, err);
    if (!rc)
        rc = finish(w, n, o, &cy, t, out, err);
    free(t);
    free(cy.c);
    return rc;
}

enum cr_status
cr_trip_nearest_neighbour(const uint64_t *w, size_t n, const struct cr_trip_options *o,
                          struct cr_trip_order *out, struct cr_error *err)
{
    struct cr_trip_options d = CR_TRIP_OPTIONS_DEFAULT;
    struct cycle cy;
    size_t *t, *tmp;
    uint8_t *seen;
    enum cr_status rc;

    o = o ? o : &d;
    if ((rc = check(n, o, err)) || (rc = to_cycle(w, n, o, &cy, err)))
        return rc;
    t = malloc(cy.m * sizeof *t);
    tmp = malloc(cy.m * sizeof *tmp);
    seen = malloc(cy.m);
    if (!t || !tmp || !seen) {
        rc = cr_error_set(err, CR_ENOMEM, "trip: out of memory");
    } else {
        nearest_neighbour(&cy, t, tmp, seen);
        out->exact = 0;
        rc = finish(w, n, o, &cy, t, out, err);
    }
    free(t);
    free(tmp);
    free(seen);
    free(cy.c);
    return rc;
}
