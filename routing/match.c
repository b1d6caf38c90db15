/*
 * Map matching with a hidden Markov model (routing/match.h, docs/match.md): candidates per trace
 * point, emission and transition log-probabilities, Viterbi with breaks, and each sub-matching
 * assembled as a route through its matched points.
 */
#include "routing/match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "routing/match_search.h"

#define NONE (-1)

/* The Viterbi state of every trace point, its candidates included. */
struct hmm {
    size_t n;
    unsigned k;                      /* candidates a point may have */
    struct cr_place_candidate *cand; /* [n * k] */
    uint8_t *count;                  /* [n] candidates of each point */
    double *score;                   /* [n * k] best log-probability of ending there */
    int8_t *back;                    /* [n * k] candidate of the previous point, NONE: start */
    uint8_t *hold;                   /* [n * k] 1: stays where the previous point matched */
    size_t *prev;                    /* [n] previous point of its chain, SIZE_MAX: chain start */
    double *sigma;                   /* [n] accuracy used */
    uint8_t *kept;                   /* [n] 0: tidied away */
    struct cr_place *pa, *pb;        /* [k] scratch places for the transitions */
    uint64_t *w;                     /* [k * k] */
    double *meas;                    /* [k * k] distances */
    struct cr_match_search *search;
};

double
cr_match_radius_m(double sigma_m)
{
    return sigma_m * CR_MATCH_RADIUS_K;
}

static void
hmm_fini(struct hmm *h)
{
    free(h->cand);
    free(h->count);
    free(h->score);
    free(h->back);
    free(h->hold);
    free(h->prev);
    free(h->sigma);
    free(h->kept);
    free(h->pa);
    free(h->pb);
    free(h->w);
    free(h->meas);
    cr_match_search_destroy(h->search);
}

static int
hmm_init(struct hmm *h, size_t n, unsigned k)
{
    memset(h, 0, sizeof *h);
    h->n = n;
    h->k = k;
    h->cand = calloc(n * k, sizeof *h->cand);
    h->count = calloc(n, 1);
    h->score = calloc(n * k, sizeof *h->score);
    h->back = calloc(n * k, 1);
    h->hold = calloc(n * k, 1);
    h->prev = calloc(n, sizeof *h->prev);
    h->sigma = calloc(n, sizeof *h->sigma);
    h->kept = calloc(n, 1);
    h->pa = calloc(k, sizeof *h->pa);
    h->pb = calloc(k, sizeof *h->pb);
    h->w = calloc((size_t)k * k, sizeof *h->w);
    h->meas = calloc((size_t)k * k, sizeof *h->meas);
    return h->cand && h->count && h->score && h->back && h->hold && h->prev && h->sigma &&
                   h->kept && h->pa && h->pb && h->w && h->meas
               ? 0
               : -1;
}

/* OSRM's tidy: a point closer than CR_MATCH_TIDY_M to the last point kept, or sooner than
 * CR_MATCH_TIDY_S after it, is dropped; the first point is always kept. */
static void
tidy(struct hmm *h, const int32_t *lon, const int32_t *lat, const double *time_s, int on)
{
    size_t last = 0;

    for (size_t i = 0; i < h->n; i++) {
        if (!on || i == 0) {
            h->kept[i] = 1;
            continue;
        }
        if (cr_geo_distance_m(lon[last], lat[last], lon[i], lat[i]) < CR_MATCH_TIDY_M ||
            (time_s && time_s[i] - time_s[last] < CR_MATCH_TIDY_S))
            continue;
        h->kept[i] = 1;
        last = i;
    }
}

/* How many of the first M segments of FOUND are in a big component, unless PO snaps anywhere. */
static size_t
big_count(const struct cr_engine *e, const struct cr_place_opts *po, const struct cr_snap *found,
          size_t m)
{
    size_t big = 0;

    for (size_t j = 0; (!po || !po->snap_any) && j < m; j++)
        big += cr_engine_segment_in_big(e, found[j].segment) != 0;
    return big;
}

/* The candidates of point I: the nearest usable segments within 3 sigma that its bearing and
 * approach allow (PO: its options, or NULL), those in small components left out when one in a
 * big component is there (unless PO snaps anywhere), at most h->k. */
static void
candidates(struct hmm *h, const struct cr_engine *e, const struct cr_place_opts *po, size_t i,
           int32_t lon, int32_t lat)
{
    struct cr_snap found[CR_MATCH_SEARCH];
    double radius = cr_match_radius_m(h->sigma[i]);
    size_t m = cr_snap_k_nearest(e->snap, lon, lat, radius, cr_engine_segment_usable, (void *)e,
                                 found, h->k);
    size_t big = big_count(e, po, found, m);
    uint8_t c = 0;

    /* some of the nearest ruled out: look farther for as many as allowed */
    if (m == h->k && ((po && po->bearing_deg >= 0) || (big > 0 && big < m))) {
        m = cr_snap_k_nearest(e->snap, lon, lat, radius, cr_engine_segment_usable, (void *)e, found,
                              CR_MATCH_SEARCH);
        big = big_count(e, po, found, m);
    }
    for (size_t j = 0; j < m && c < h->k; j++) {
        if (big > 0 && !cr_engine_segment_in_big(e, found[j].segment))
            continue;
        if (cr_engine_candidate_opts(e, &found[j], po, lon, lat, &h->cand[i * h->k + c]))
            c++;
    }
    h->count[i] = c;
}

static double
emission(const struct hmm *h, size_t i, unsigned j)
{
    double z = h->cand[i * h->k + j].snap.distance_m / h->sigma[i];
    return -0.5 * z * z;
}

static void
place_of(struct cr_place *p, const struct cr_place_candidate *c, int32_t lon, int32_t lat)
{
    memset(p, 0, sizeof *p);
    p->lon_e7 = lon;
    p->lat_e7 = lat;
    p->snap = c->snap;
    p->count = 1;
    p->cand[0] = *c;
    p->small_comp = CR_INF;
}

struct trace {
    const int32_t *lon, *lat;
    const double *time_s;
    const struct cr_match_options *o;
};

/* Transitions from point A to point B into B's scores (B's chain continues A's); returns how
 * many of B's candidates are reachable (0: none). */
static int
transit(struct hmm *h, const struct trace *t, size_t a, size_t b)
{
    unsigned na = h->count[a], nb = h->count[b];
    double gc = cr_geo_distance_m(t->lon[a], t->lat[a], t->lon[b], t->lat[b]);
    double limit = INFINITY;
    int reached = 0;

    if (t->time_s && t->o->max_speed > 0)
        limit =
            t->o->max_speed * (t->time_s[b] - t->time_s[a]) + 2 * cr_match_radius_m(h->sigma[b]);
    for (unsigned i = 0; i < na; i++)
        place_of(&h->pa[i], &h->cand[a * h->k + i], t->lon[a], t->lat[a]);
    for (unsigned j = 0; j < nb; j++)
        place_of(&h->pb[j], &h->cand[b * h->k + j], t->lon[b], t->lat[b]);
    cr_match_search_run(h->search, h->pa, na, h->pb, nb, fmin(gc + t->o->max_delta_m, limit) + 1.0,
                        h->w, h->meas);
    for (unsigned j = 0; j < nb; j++) {
        const struct cr_snap *sb = &h->cand[b * h->k + j].snap;
        double best = -INFINITY;
        int from = NONE, hold = 0;
        for (unsigned i = 0; i < na; i++) {
            const struct cr_snap *sa = &h->cand[a * h->k + i].snap;
            double d = h->w[i * nb + j] == UINT64_MAX ? INFINITY : h->meas[i * nb + j];
            double back = fabs(sb->offset_m - sa->offset_m), s;
            int held = 0;
            /* a point a little behind the previous one on the same segment (GPS noise on a
             * one-way road) stays where that one matched rather than driving a loop */
            if (sa->segment == sb->segment && back <= 2 * h->sigma[b] && d > back + 1.0) {
                d = 0;
                held = 1;
            }
            if (!(h->score[a * h->k + i] > -INFINITY) || isinf(d) ||
                fabs(d - gc) > t->o->max_delta_m || d > limit)
                continue;
            s = h->score[a * h->k + i] - fabs(d - gc) / t->o->beta_m;
            if (s > best) {
                best = s;
                from = (int)i;
                hold = held;
            }
        }
        h->score[b * h->k + j] = from == NONE ? -INFINITY : best + emission(h, b, j);
        h->back[b * h->k + j] = (int8_t)from;
        h->hold[b * h->k + j] = (uint8_t)hold;
        reached += from != NONE;
    }
    return reached;
}

static void
chain_start(struct hmm *h, size_t b)
{
    h->prev[b] = SIZE_MAX;
    for (unsigned j = 0; j < h->count[b]; j++) {
        h->score[b * h->k + j] = emission(h, b, j);
        h->back[b * h->k + j] = NONE;
        h->hold[b * h->k + j] = 0;
    }
}

/* The matching whose chain ends at point END: its points backwards, the route through them. */
static enum cr_status
finish_chain(struct hmm *h, struct cr_router *r, const struct trace *t, size_t end,
             struct cr_match *m, struct cr_error *err)
{
    size_t len = 0, i;
    unsigned j = 0;
    struct cr_place *places = NULL;
    size_t *pts = NULL;
    uint8_t *held = NULL;
    struct cr_matching *mt;
    enum cr_status st = CR_OK;
    double trace_m = 0;

    for (i = end; i != SIZE_MAX; i = h->prev[i])
        len++;
    if (len < 2)
        return CR_OK;
    for (unsigned c = 1; c < h->count[end]; c++)
        if (h->score[end * h->k + c] > h->score[end * h->k + j])
            j = c;
    places = calloc(len, sizeof *places);
    pts = calloc(len, sizeof *pts);
    held = calloc(len, 1);
    if (!places || !pts || !held) {
        st = cr_error_set(err, CR_ENOMEM, "out of memory for a matching of %zu points", len);
        goto done;
    }
    i = end;
    for (size_t k = len; k-- > 0;) {
        int b = h->back[i * h->k + j];
        pts[k] = i;
        place_of(&places[k], &h->cand[i * h->k + j], t->lon[i], t->lat[i]);
        held[k] = h->hold[i * h->k + j];
        j = b == NONE ? 0 : (unsigned)b;
        i = h->prev[i];
    }
    /* a held point takes the previous point's position */
    for (size_t k = 1; k < len; k++) {
        if (held[k]) {
            places[k].cand[0] = places[k - 1].cand[0];
            places[k].cand[0].snap.distance_m =
                cr_geo_distance_m(t->lon[pts[k]], t->lat[pts[k]], places[k - 1].snap.lon_e7,
                                  places[k - 1].snap.lat_e7);
            places[k].snap = places[k].cand[0].snap;
        }
    }
    mt = &m->matchings[m->matching_count];
    if ((st = cr_router_route_places(r, places, len, &mt->route, err)))
        goto done;
    for (size_t k = 0; k < len; k++) {
        struct cr_match_point *p = &m->points[pts[k]];
        p->matching = (int32_t)m->matching_count;
        p->waypoint = (uint32_t)k;
        p->snap = mt->route.places[k].snap;
        p->alternatives = 0;
        for (unsigned c = 0; c < h->count[pts[k]]; c++)
            p->alternatives += h->score[pts[k] * h->k + c] > -INFINITY;
        p->alternatives = p->alternatives ? p->alternatives - 1 : 0;
        if (k)
            trace_m += cr_geo_distance_m(t->lon[pts[k - 1]], t->lat[pts[k - 1]], t->lon[pts[k]],
                                         t->lat[pts[k]]);
    }
    /* confidence: how alike the trace's length and the matched route's are */
    {
        double a = trace_m, b = mt->route.distance_m;
        mt->confidence = a < 1e-6 && b < 1e-6 ? 1.0 : (a < b ? a / b : b / a);
    }
    mt->first = (uint32_t)pts[0];
    mt->last = (uint32_t)pts[len - 1];
    m->matching_count++;
done:
    free(places);
    free(pts);
    free(held);
    return st;
}

static enum cr_status
check_input(const double *time_s, const struct cr_match_options *o, size_t n, struct cr_error *err)
{
    if (n < 2)
        return cr_error_set(err, CR_EINVAL, "a trace needs at least two points (%zu given)", n);
    if (!(o->sigma_m > 0) || !(o->beta_m > 0) || !(o->max_delta_m > 0) || !(o->gap_s >= 0) ||
        !(o->max_speed >= 0) || o->max_cand < 1 || o->max_cand > CR_MATCH_CANDIDATES)
        return cr_error_set(err, CR_EINVAL, "map matching: an option is out of range");
    for (size_t i = 0; time_s && i < n; i++)
        if (!isfinite(time_s[i]) || (i && time_s[i] < time_s[i - 1]))
            return cr_error_set(err, CR_EINVAL,
                                "trace point %zu: time %.3f is not after the point before", i + 1,
                                time_s[i]);
    return CR_OK;
}

/* The next point after I that may join a chain (kept, with a candidate), or SIZE_MAX. */
static size_t
next_usable(const struct hmm *h, size_t i)
{
    for (size_t k = i + 1; k < h->n; k++)
        if (h->kept[k] && h->count[k])
            return k;
    return SIZE_MAX;
}

static int
gap_between(const struct trace *t, size_t a, size_t b)
{
    return t->time_s && t->o->gap_s > 0 && t->time_s[b] - t->time_s[a] > t->o->gap_s;
}

/* Viterbi over the usable points, chains broken where nothing reaches a point (unless it is a
 * lone outlier: the point after it is reachable, so it alone is dropped) or at a time gap. */
static enum cr_status
viterbi(struct hmm *h, struct cr_router *r, const struct trace *t, struct cr_match *m,
        struct cr_error *err)
{
    size_t last = SIZE_MAX;
    enum cr_status st;

    for (size_t i = next_usable(h, (size_t)-1); i != SIZE_MAX; i = next_usable(h, i)) {
        int rc;
        size_t nx;
        if (last != SIZE_MAX && !gap_between(t, last, i)) {
            if ((rc = transit(h, t, last, i)) > 0) {
                h->prev[i] = last;
                last = i;
                continue;
            }
            nx = next_usable(h, i);
            if (nx != SIZE_MAX && !gap_between(t, last, nx) && transit(h, t, last, nx) > 0) {
                h->count[i] = 0; /* an outlier: dropped */
                continue;
            }
        }
        if (last != SIZE_MAX && (st = finish_chain(h, r, t, last, m, err)))
            return st;
        chain_start(h, i);
        last = i;
    }
    return last == SIZE_MAX ? CR_OK : finish_chain(h, r, t, last, m, err);
}

enum cr_status
cr_match_run(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7,
             const double *time_s, const double *sigma_m, size_t n,
             const struct cr_match_options *o, struct cr_match *out, struct cr_error *err)
{
    struct cr_match_options opt = o ? *o : CR_MATCH_OPTIONS_DEFAULT;
    const struct cr_engine *e = cr_router_engine(r);
    struct trace t = { lon_e7, lat_e7, time_s, &opt };
    struct hmm h;
    enum cr_status st;

    memset(out, 0, sizeof *out);
    memset(&h, 0, sizeof h);
    if ((st = check_input(time_s, &opt, n, err)))
        return st;
    out->points = calloc(n, sizeof *out->points);
    out->matchings = calloc(n / 2 + 1, sizeof *out->matchings);
    if (!out->points || !out->matchings || hmm_init(&h, n, opt.max_cand)) {
        st = cr_error_set(err, CR_ENOMEM, "out of memory for a trace of %zu points", n);
        goto done;
    }
    out->point_count = n;
    for (size_t i = 0; i < n; i++) {
        h.sigma[i] = sigma_m && !isnan(sigma_m[i]) ? sigma_m[i] : opt.sigma_m;
        out->points[i].matching = -1;
        if (!(h.sigma[i] > 0) || isinf(h.sigma[i])) {
            st = cr_error_set(err, CR_EINVAL, "trace point %zu: accuracy %g m is not positive",
                              i + 1, h.sigma[i]);
            goto done;
        }
    }
    if (!(h.search = cr_match_search_create(e, err))) {
        st = err ? err->code : CR_ENOMEM;
        goto done;
    }
    tidy(&h, lon_e7, lat_e7, time_s, opt.tidy);
    for (size_t i = 0; i < n; i++)
        if (h.kept[i])
            candidates(&h, e, opt.place ? &opt.place[i] : NULL, i, lon_e7[i], lat_e7[i]);
    if ((st = viterbi(&h, r, &t, out, err)))
        goto done;
    if (out->matching_count == 0)
        st = cr_error_set(err, CR_ENOTFOUND,
                          "no two points of the trace match the %s network within their radius",
                          e->profile.name);
done:
    hmm_fini(&h);
    return st;
}

void
cr_match_fini(struct cr_match *m)
{
    for (size_t i = 0; m->matchings && i < m->matching_count; i++)
        cr_route_fini(&m->matchings[i].route);
    free(m->points);
    free(m->matchings);
    memset(m, 0, sizeof *m);
}
