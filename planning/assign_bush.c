/*
 * Algorithm B (Dial 2006; the details as Bar-Gera 2002 and Nie 2010 describe them), multi-class
 * (planning/assign_bush.h). Each class keeps one bush per origin zone with demand: an acyclic
 * subnetwork rooted at the origin carrying all of the origin's trips, with the flow of each link.
 *
 * - Start: the bush is the shortest-path tree at free flow, loaded all-or-nothing.
 * - Shift: in reverse topological order, at each node j the longest used path and the shortest
 *   path on the bush (labels U and L) meet at a divergence node a; a Newton step moves
 *   dx = (C_long - C_short) / sum of dt/dx over both segments from the long segment a..j to the
 *   short one (at most the least flow on the long segment). Link flows, resource volumes and
 *   costs are updated at once (Gauss-Seidel), so later steps see them.
 * - Improve: links without bush flow leave the bush (except the shortest-path tree link into each
 *   node, so every node stays reachable); links (i, j) off the bush join when U_i + t < U_j, or
 *   when they are a shortcut L_i + t < L_j and U_i < U_j. U (the longest path over all bush links)
 *   is a potential every bush link respects (t >= 0), and each added link climbs it strictly, so
 *   the bush stays acyclic also with zero-cost links (TNTP connectors of fft 0 or b 0).
 *
 * Link costs t_l = fft_l f(v_r) + fixed_l are shared between classes through the resource
 * volumes v_r; the derivative a class sees is fft_l f'(v_r) pce_c. Nodes below through_from are
 * never passed through (the origin excepted): links leaving them never enter a bush.
 */
#include "planning/assign_bush.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/progress.h"
#include "planning/assign_sp.h"

#define NONE UINT32_MAX
#define SWEEPS 8 /* rounds of shifts over all bushes per iteration, after the improvement */

struct bush {
    uint32_t cls, origin;
    uint32_t order_count; /* nodes the bush reaches, in topological order */
    uint32_t *order;      /* [node_count] */
    uint32_t *first;      /* [node_count + 1] by position in order: into_links[first[k] ..] */
    uint32_t *into;       /* [link_count] the bush's links, by head in topological order */
    uint8_t *in;          /* [link_count] link in the bush */
    double *flow;         /* [link_count] the origin's flow on the link */
    double eps;           /* flows below this are zero: 1e-12 of the origin's trips */
};

struct state {
    const struct cr_assign_problem *p;
    double *vol, *fac, *der;        /* [res.count] volume, f(v), f'(v) */
    double **flow;                  /* [class][link] class flows (the result's arrays) */
    uint32_t **rev_first, **rev_of; /* [class] links into each node: rev_of[rev_first[v] ..] */
    struct bush *bushes;
    size_t bush_count;
    /* scratch for one bush at a time, sized for the largest class network */
    double *lmin, *lmax;
    uint32_t *pmin, *pmax, *pos, *deg, *seg_min, *seg_max;
};

static inline const struct cr_assign_class *
c_of(const struct state *s, const struct bush *b)
{
    return &s->p->classes[b->cls];
}

static inline double
link_cost(const struct state *s, const struct cr_assign_class *c, uint32_t l)
{
    uint32_t r = c->resource[l];
    if (r == CR_ASSIGN_NO_RESOURCE)
        return c->fft[l] + c->fixed[l];
    return c->fft[l] * s->fac[r] + c->fixed[l];
}

static inline double
link_derivative(const struct state *s, const struct cr_assign_class *c, uint32_t l)
{
    uint32_t r = c->resource[l];
    return r == CR_ASSIGN_NO_RESOURCE ? 0.0 : c->fft[l] * s->der[r] * c->pce;
}

static void
resource_update(struct state *s, uint32_t r)
{
    const struct cr_assign_resources *res = &s->p->res;
    if (s->vol[r] < 0.0)
        s->vol[r] = 0.0;
    s->fac[r] = cr_vdf_factor(res, r, s->vol[r]);
    s->der[r] = cr_vdf_derivative(res, r, s->vol[r]);
}

/* Adds DX to bush B's flow on link L of class C (and so to the class flow and the volume); a
 * bush flow that would fall below B's eps becomes zero. */
static void
move_flow(struct state *s, const struct cr_assign_class *c, struct bush *b, uint32_t l, double dx)
{
    double f = b->flow[l] + dx;
    if (f < b->eps) {
        dx = -b->flow[l];
        f = 0.0;
    }
    b->flow[l] = f;
    double *cf = &s->flow[b->cls][l];
    *cf += dx;
    if (*cf < 0.0)
        *cf = 0.0;
    uint32_t r = c->resource[l];
    if (r != CR_ASSIGN_NO_RESOURCE) {
        s->vol[r] += c->pce * dx;
        resource_update(s, r);
    }
}

/* Kahn's algorithm on the bush's links: B's order, and s->pos of each node in it. */
static void
topo_order(struct state *s, const struct cr_assign_class *c, struct bush *b)
{
    uint32_t n = c->node_count, *deg = s->deg, *order = b->order;
    memset(deg, 0, n * sizeof *deg);
    for (uint32_t l = 0; l < c->link_count; l++)
        if (b->in[l])
            deg[c->head[l]]++;
    uint32_t done = 0, count = 0;
    order[count++] = b->origin;
    while (done < count) {
        uint32_t v = order[done++];
        for (uint32_t l = c->first_out[v]; l < c->first_out[v + 1]; l++)
            if (b->in[l] && --deg[c->head[l]] == 0)
                order[count++] = c->head[l];
    }
    b->order_count = count;
    const uint32_t *rf = s->rev_first[b->cls], *ro = s->rev_of[b->cls];
    uint32_t m = 0;
    for (uint32_t k = 0; k < count; k++) {
        uint32_t v = order[k];
        s->pos[v] = k;
        b->first[k] = m;
        for (uint32_t e = rf[v]; e < rf[v + 1]; e++)
            if (b->in[ro[e]])
                b->into[m++] = ro[e];
    }
    b->first[count] = m;
}

/* s->pos of the nodes of B's topological order. */
static void
set_pos(struct state *s, const struct bush *b)
{
    for (uint32_t k = 0; k < b->order_count; k++)
        s->pos[b->order[k]] = k;
}

/* Shortest (lmin, pmin) and longest (lmax, pmax) path labels on bush B in topological order; the
 * longest over the links with flow only when USED (NONE and -INFINITY where no used link leads),
 * else over every bush link. */
static void
labels(struct state *s, const struct cr_assign_class *c, const struct bush *b, int used)
{
    s->lmin[b->origin] = s->lmax[b->origin] = 0.0;
    s->pmin[b->origin] = s->pmax[b->origin] = NONE;
    for (uint32_t k = 1; k < b->order_count; k++) {
        uint32_t j = b->order[k], bmin = NONE, bmax = NONE;
        double lo = INFINITY, hi = -INFINITY;
        for (uint32_t e = b->first[k]; e < b->first[k + 1]; e++) {
            uint32_t l = b->into[e], i = c->tail[l];
            double t = link_cost(s, c, l);
            if (s->lmin[i] + t < lo) {
                lo = s->lmin[i] + t;
                bmin = l;
            }
            if ((!used || b->flow[l] > 0.0) && s->lmax[i] + t > hi) {
                hi = s->lmax[i] + t;
                bmax = l;
            }
        }
        s->lmin[j] = lo;
        s->pmin[j] = bmin;
        s->lmax[j] = hi;
        s->pmax[j] = hi > -INFINITY ? bmax : NONE;
    }
}

/* One sweep of Newton flow shifts over bush B (labels of used links first). */
static void
shift_sweep(struct state *s, const struct cr_assign_class *c, struct bush *b)
{
    labels(s, c, b, 1);
    for (uint32_t k = b->order_count; k-- > 1;) {
        uint32_t j = b->order[k];
        if (s->pmax[j] == NONE || s->pmax[j] == s->pmin[j] || !(s->lmax[j] > s->lmin[j]))
            continue;
        uint32_t a = c->tail[s->pmin[j]], z = c->tail[s->pmax[j]];
        while (a != z) { /* step back the later of the two: they meet at the divergence node */
            if (s->pos[a] > s->pos[z])
                a = c->tail[s->pmin[a]];
            else
                z = c->tail[s->pmax[z]];
        }
        uint32_t nmin = 0, nmax = 0;
        double cmin = 0.0, cmax = 0.0, deriv = 0.0, room = INFINITY;
        for (uint32_t v = j; v != a; v = c->tail[s->pmin[v]]) {
            uint32_t l = s->pmin[v];
            s->seg_min[nmin++] = l;
            cmin += link_cost(s, c, l);
            deriv += link_derivative(s, c, l);
        }
        for (uint32_t v = j; v != a; v = c->tail[s->pmax[v]]) {
            uint32_t l = s->pmax[v];
            s->seg_max[nmax++] = l;
            cmax += link_cost(s, c, l);
            deriv += link_derivative(s, c, l);
            if (b->flow[l] < room)
                room = b->flow[l];
        }
        double diff = cmax - cmin;
        if (!(diff > 0.0) || !(room > 0.0))
            continue;
        double dx = deriv > 0.0 ? diff / deriv : room;
        if (dx > room)
            dx = room;
        for (uint32_t e = 0; e < nmin; e++)
            move_flow(s, c, b, s->seg_min[e], dx);
        for (uint32_t e = 0; e < nmax; e++)
            move_flow(s, c, b, s->seg_max[e], -dx);
    }
}

/* Drops links without flow (keeping the shortest-path link into each node) and adds the links
 * that shorten paths without closing a cycle; B's topological order afterwards. */
static void
improve(struct state *s, const struct cr_assign_class *c, struct bush *b)
{
    const struct cr_assign_problem *p = s->p;
    set_pos(s, b); /* the order of the last improvement holds: shifts add or drop no links */
    labels(s, c, b, 0);
    uint32_t removed = 0;
    for (uint32_t e = 0; e < b->first[b->order_count]; e++) {
        uint32_t l = b->into[e];
        if (b->flow[l] <= 0.0 && s->pmin[c->head[l]] != l) {
            b->in[l] = 0;
            removed++;
        }
    }
    if (removed)
        topo_order(s, c, b);
    labels(s, c, b, 0); /* U over the links left: the potential the added links must climb */
    for (uint32_t l = 0; l < c->link_count; l++) {
        uint32_t i = c->tail[l], j = c->head[l];
        if (b->in[l] || j == b->origin || (i < p->through_from && i != b->origin))
            continue;
        if (s->pos[i] >= b->order_count || b->order[s->pos[i]] != i)
            continue; /* tail not on the bush */
        if (s->pos[j] >= b->order_count || b->order[s->pos[j]] != j)
            continue;
        double t = link_cost(s, c, l);
        double li = s->lmin[i], lj = s->lmin[j], ui = s->lmax[i], uj = s->lmax[j];
        if (ui + t < uj || (li + t < lj - 1e-13 * lj && ui < uj))
            b->in[l] = 1;
    }
    topo_order(s, c, b);
}

/* Class flows and volumes summed again from the bushes (no drift of the incremental updates). */
static void
recompute_volumes(struct state *s)
{
    const struct cr_assign_problem *p = s->p;
    for (size_t k = 0; k < p->class_count; k++)
        memset(s->flow[k], 0, p->classes[k].link_count * sizeof **s->flow);
    for (size_t bi = 0; bi < s->bush_count; bi++) {
        const struct bush *b = &s->bushes[bi];
        double *f = s->flow[b->cls];
        for (uint32_t l = 0; l < p->classes[b->cls].link_count; l++)
            f[l] += b->flow[l];
    }
    memset(s->vol, 0, p->res.count * sizeof *s->vol);
    for (size_t k = 0; k < p->class_count; k++) {
        const struct cr_assign_class *c = &p->classes[k];
        for (uint32_t l = 0; l < c->link_count; l++)
            if (c->resource[l] != CR_ASSIGN_NO_RESOURCE)
                s->vol[c->resource[l]] += c->pce * s->flow[k][l];
    }
    for (uint32_t r = 0; r < p->res.count; r++)
        resource_update(s, r);
}

static double
origin_demand(const struct cr_assign_problem *p, const struct cr_assign_class *c, uint32_t o)
{
    double sum = 0.0;
    for (uint32_t d = 0; d < p->zone_count; d++)
        if (d != o)
            sum += c->demand[(size_t)o * p->zone_count + d];
    return sum;
}

static void
state_fini(struct state *s)
{
    const struct cr_assign_problem *p = s->p;
    for (size_t bi = 0; s->bushes && bi < s->bush_count; bi++) {
        free(s->bushes[bi].order);
        free(s->bushes[bi].first);
        free(s->bushes[bi].into);
        free(s->bushes[bi].in);
        free(s->bushes[bi].flow);
    }
    free(s->bushes);
    for (size_t k = 0; k < p->class_count; k++) {
        if (s->rev_first)
            free(s->rev_first[k]);
        if (s->rev_of)
            free(s->rev_of[k]);
    }
    free(s->rev_first);
    free(s->rev_of);
    free(s->vol);
    free(s->fac);
    free(s->der);
    free(s->lmin);
    free(s->lmax);
    free(s->pmin);
    free(s->pmax);
    free(s->pos);
    free(s->deg);
    free(s->seg_min);
    free(s->seg_max);
}

/* The reverse star of every class and the scratch arrays; bushes counted but not yet made. */
static int
state_init(struct state *s, const struct cr_assign_problem *p, double **flow)
{
    memset(s, 0, sizeof *s);
    s->p = p;
    s->flow = flow;
    size_t nr = p->res.count ? p->res.count : 1, nmax = 1;
    s->vol = calloc(nr, sizeof *s->vol);
    s->fac = calloc(nr, sizeof *s->fac);
    s->der = calloc(nr, sizeof *s->der);
    s->rev_first = calloc(p->class_count + 1, sizeof *s->rev_first);
    s->rev_of = calloc(p->class_count + 1, sizeof *s->rev_of);
    if (!s->vol || !s->fac || !s->der || !s->rev_first || !s->rev_of)
        return -1;
    for (size_t k = 0; k < p->class_count; k++) {
        const struct cr_assign_class *c = &p->classes[k];
        if (c->node_count > nmax)
            nmax = c->node_count;
        uint32_t *rf = calloc((size_t)c->node_count + 1, sizeof *rf);
        uint32_t *ro = malloc(((size_t)c->link_count + 1) * sizeof *ro);
        s->rev_first[k] = rf;
        s->rev_of[k] = ro;
        if (!rf || !ro)
            return -1;
        for (uint32_t l = 0; l < c->link_count; l++)
            rf[c->head[l] + 1]++;
        for (uint32_t v = 0; v < c->node_count; v++)
            rf[v + 1] += rf[v];
        for (uint32_t l = 0; l < c->link_count; l++)
            ro[rf[c->head[l]]++] = l;
        for (uint32_t v = c->node_count; v > 0; v--)
            rf[v] = rf[v - 1];
        rf[0] = 0;
        for (uint32_t o = 0; o < p->zone_count && o < c->node_count; o++)
            if (origin_demand(p, c, o) > 0.0)
                s->bush_count++;
    }
    s->lmin = malloc(nmax * sizeof *s->lmin);
    s->lmax = malloc(nmax * sizeof *s->lmax);
    s->pmin = malloc(nmax * sizeof *s->pmin);
    s->pmax = malloc(nmax * sizeof *s->pmax);
    s->pos = malloc(nmax * sizeof *s->pos);
    s->deg = malloc(nmax * sizeof *s->deg);
    s->seg_min = malloc(nmax * sizeof *s->seg_min);
    s->seg_max = malloc(nmax * sizeof *s->seg_max);
    s->bushes = calloc(s->bush_count + 1, sizeof *s->bushes);
    if (!s->lmin || !s->lmax || !s->pmin || !s->pmax || !s->pos || !s->deg || !s->seg_min ||
        !s->seg_max || !s->bushes)
        return -1;
    memset(s->pos, 0xff, nmax * sizeof *s->pos); /* on no bush yet */
    return 0;
}

/* Every bush as the free-flow shortest-path tree of its origin, loaded all-or-nothing; trips to
 * destinations the origin cannot reach into *UNASSIGNED. */
static enum cr_status
initial_bushes(struct state *s, double *unassigned, struct cr_error *err)
{
    const struct cr_assign_problem *p = s->p;
    uint32_t nmax = 1, lmax = 1;
    for (size_t k = 0; k < p->class_count; k++) {
        if (p->classes[k].node_count > nmax)
            nmax = p->classes[k].node_count;
        if (p->classes[k].link_count > lmax)
            lmax = p->classes[k].link_count;
    }
    for (uint32_t r = 0; r < p->res.count; r++)
        resource_update(s, r); /* volumes are zero: free flow */
    struct cr_assign_sp sp;
    if (cr_assign_sp_init(&sp, nmax, err))
        return err ? err->code : CR_ENOMEM;
    double *cost = malloc((size_t)lmax * sizeof *cost), *node_flow = s->lmin;
    if (!cost) {
        cr_assign_sp_fini(&sp);
        return cr_error_set(err, CR_ENOMEM, "assignment: out of memory for bushes");
    }
    size_t bi = 0;
    *unassigned = 0.0;
    for (size_t k = 0; k < p->class_count; k++) {
        const struct cr_assign_class *c = &p->classes[k];
        for (uint32_t l = 0; l < c->link_count; l++)
            cost[l] = link_cost(s, c, l);
        for (uint32_t o = 0; o < p->zone_count && o < c->node_count; o++) {
            double total = origin_demand(p, c, o);
            if (!(total > 0.0))
                continue;
            struct bush *b = &s->bushes[bi++];
            b->cls = (uint32_t)k;
            b->origin = o;
            b->eps = 1e-12 * total;
            b->order = malloc((size_t)c->node_count * sizeof *b->order);
            b->first = malloc(((size_t)c->node_count + 1) * sizeof *b->first);
            b->into = malloc(((size_t)c->link_count + 1) * sizeof *b->into);
            b->in = calloc((size_t)c->link_count + 1, 1);
            b->flow = calloc((size_t)c->link_count + 1, sizeof *b->flow);
            if (!b->order || !b->first || !b->into || !b->in || !b->flow) {
                free(cost);
                cr_assign_sp_fini(&sp);
                return cr_error_set(err, CR_ENOMEM, "assignment: out of memory for bushes");
            }
            cr_assign_sp_run(&sp, p, c, cost, o);
            for (uint32_t v = 0; v < c->node_count; v++)
                node_flow[v] = 0.0;
            for (uint32_t d = 0; d < p->zone_count && d < c->node_count; d++) {
                double trips = d == o ? 0.0 : c->demand[(size_t)o * p->zone_count + d];
                if (isinf(sp.dist[d]))
                    *unassigned += trips;
                else
                    node_flow[d] = trips;
            }
            for (uint32_t q = sp.settled; q-- > 1;) {
                uint32_t v = sp.order[q], l = sp.pred[v];
                b->in[l] = 1;
                b->flow[l] = node_flow[v];
                node_flow[c->tail[l]] += node_flow[v];
            }
            topo_order(s, c, b);
        }
    }
    free(cost);
    cr_assign_sp_fini(&sp);
    recompute_volumes(s);
    return CR_OK;
}

/* One iteration: every bush improved and its flows shifted once, then SWEEPS more rounds of
 * shifts over all bushes (bushes see each other's flows sooner than one bush at a time run to
 * its own equilibrium would let them). */
static void
iterate(struct state *s)
{
    for (size_t bi = 0; bi < s->bush_count; bi++) {
        struct bush *b = &s->bushes[bi];
        const struct cr_assign_class *c = c_of(s, b);
        improve(s, c, b);
        shift_sweep(s, c, b);
    }
    for (int k = 0; k < SWEEPS; k++)
        for (size_t bi = 0; bi < s->bush_count; bi++) {
            struct bush *b = &s->bushes[bi];
            set_pos(s, b);
            shift_sweep(s, c_of(s, b), b);
        }
}

enum cr_status
cr_assign_bush(const struct cr_assign_problem *p, const struct cr_assign_options *o,
               struct cr_assign_result *out, struct cr_error *err)
{
    double start = cr_now();
    struct state s;
    enum cr_status st = CR_OK;
    if (state_init(&s, p, out->flow)) {
        st = cr_error_set(err, CR_ENOMEM, "assignment: out of memory for Algorithm B");
        goto done;
    }
    if ((st = initial_bushes(&s, &out->unassigned, err)))
        goto done;
    out->iterations = 0;
    out->stopped = out->converged = 0;
    unsigned max_iter = o->max_iter ? o->max_iter : 1;
    for (unsigned it = 1; it <= max_iter; it++) {
        iterate(&s);
        recompute_volumes(&s);
        if ((st = cr_assign_measure(p, out->flow, o->threads, out, err)))
            goto done;
        out->iterations = it;
        out->seconds = cr_now() - start;
        struct cr_assign_iteration rep = { it, out->rgap, out->aec, out->objective, out->seconds };
        out->converged = out->rgap <= o->gap;
        if (o->progress && o->progress(&rep, o->user)) {
            out->stopped = 1;
            break;
        }
        if (out->converged)
            break;
    }
done:
    state_fini(&s);
    return st;
}
