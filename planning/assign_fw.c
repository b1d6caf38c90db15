/*
 * The linear-approximation algorithms of traffic assignment (planning/assign_internal.h):
 * all-or-nothing, MSA, Frank-Wolfe, conjugate and bi-conjugate Frank-Wolfe (Mitradjieva and
 * Lindberg 2013, with the direction rules AequilibraE uses). docs/assignment.md.
 *
 * Every iteration is one all-or-nothing pass at the costs of the current flows x: it gives both
 * the gap of x (reported, and the stop test) and the auxiliary flows y; the next flows are
 * x + lambda (s - x) with s the step direction (y for FW, a combination of y and the previous
 * directions for CFW and BFW) and lambda from an exact line search (1/(k+1) for MSA).
 *
 * The conjugacy products use the Jacobian J of the link costs at x: for class vectors a and b,
 *   <a, b> = sum_r f_r'(v_r) T_r(a) V_r(b),   T_r(a) = sum_{l on r} fft_l a_l,
 *                                             V_r(b) = sum_{l on r} pce_c(l) b_l,
 * which is a^T J b, the Hessian of the Beckmann objective for one class with one link per
 * resource.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "planning/assign_internal.h"

enum { VX, VY, VS, VP, VEC_COUNT }; /* the class vectors x, y, s, s_prev */

struct fw {
    const struct cr_assign_problem *p;
    const struct cr_assign_options *o;
    struct cr_assign_result *out;
    struct cr_assign_aon aon;
    double **vec[VEC_COUNT];             /* vec[VX] is out->flow */
    double *t[VEC_COUNT], *v[VEC_COUNT]; /* [res.count] T_r and V_r of each vector */
    double *deriv;                       /* [res.count] f_r'(v_r) at x */
    double *ls_a, *ls_v;                 /* [res.count] the line search's T_r(d), V_r(d) */
    double ls_c;                         /* its constant part: sum (fixed + fft without r) d */
    double step;                         /* the last lambda */
    int do_fw, do_cfw;
};

static double **
class_arrays(const struct cr_assign_problem *p)
{
    double **a = calloc(p->class_count, sizeof *a);
    for (size_t c = 0; a && c < p->class_count; c++)
        if (!(a[c] = calloc(p->classes[c].link_count ? p->classes[c].link_count : 1, sizeof **a)))
            return a; /* fw_fini frees the partial set */
    return a;
}

static int
class_arrays_ok(const struct cr_assign_problem *p, double **a)
{
    for (size_t c = 0; a && c < p->class_count; c++)
        if (!a[c])
            return 0;
    return a != NULL;
}

static void
fw_fini(struct fw *w)
{
    for (int i = VY; i < VEC_COUNT; i++) {
        for (size_t c = 0; w->vec[i] && c < w->p->class_count; c++)
            free(w->vec[i][c]);
        free(w->vec[i]);
    }
    for (int i = 0; i < VEC_COUNT; i++) {
        free(w->t[i]);
        free(w->v[i]);
    }
    free(w->deriv);
    free(w->ls_a);
    free(w->ls_v);
    cr_assign_aon_fini(&w->aon);
}

static enum cr_status
fw_init(struct fw *w, const struct cr_assign_problem *p, const struct cr_assign_options *o,
        struct cr_assign_result *out, struct cr_error *err)
{
    memset(w, 0, sizeof *w);
    w->p = p;
    w->o = o;
    w->out = out;
    w->vec[VX] = out->flow;
    size_t nr = p->res.count ? p->res.count : 1;
    int ok = 1;
    for (int i = VY; i < VEC_COUNT; i++)
        ok &= class_arrays_ok(p, w->vec[i] = class_arrays(p));
    for (int i = 0; i < VEC_COUNT; i++) {
        ok &= (w->t[i] = calloc(nr, sizeof(double))) != NULL;
        ok &= (w->v[i] = calloc(nr, sizeof(double))) != NULL;
    }
    ok &= (w->deriv = calloc(nr, sizeof(double))) != NULL;
    ok &= (w->ls_a = calloc(nr, sizeof(double))) != NULL;
    ok &= (w->ls_v = calloc(nr, sizeof(double))) != NULL;
    if (!ok) {
        fw_fini(w);
        return cr_error_set(err, CR_ENOMEM, "assignment: out of memory for the step directions");
    }
    if (cr_assign_aon_init(&w->aon, p, o->threads, err)) {
        fw_fini(w);
        return err ? err->code : CR_ENOMEM;
    }
    return CR_OK;
}

/* T_r and V_r of class vector I. */
static void
resource_sums(struct fw *w, int i)
{
    const struct cr_assign_problem *p = w->p;
    double *t = w->t[i], *v = w->v[i];
    memset(t, 0, p->res.count * sizeof *t);
    memset(v, 0, p->res.count * sizeof *v);
    for (size_t ci = 0; ci < p->class_count; ci++) {
        const struct cr_assign_class *c = &p->classes[ci];
        const double *a = w->vec[i][ci];
        for (uint32_t l = 0; l < c->link_count; l++) {
            uint32_t r = c->resource[l];
            if (r == CR_ASSIGN_NO_RESOURCE)
                continue;
            t[r] += c->fft[l] * a[l];
            v[r] += c->pce * a[l];
        }
    }
}

/* <a, b> of the combinations a = sum_i KA[i] vec[i], b = sum_i KB[i] vec[i]. */
static double
product(const struct fw *w, const double ka[VEC_COUNT], const double kb[VEC_COUNT])
{
    double s = 0.0;
    for (uint32_t r = 0; r < w->p->res.count; r++) {
        double ta = 0.0, vb = 0.0;
        for (int i = 0; i < VEC_COUNT; i++) {
            ta += ka[i] * w->t[i][r];
            vb += kb[i] * w->v[i][r];
        }
        s += w->deriv[r] * ta * vb;
    }
    return s;
}

static void
derivatives(struct fw *w)
{
    for (uint32_t r = 0; r < w->p->res.count; r++)
        w->deriv[r] = cr_vdf_derivative(&w->p->res, r, w->out->volume[r]);
}

/* vec[DST] = sum_i K[i] vec[i] (DST may be among them). */
static void
combine(struct fw *w, int dst, const double k[VEC_COUNT])
{
    const struct cr_assign_problem *p = w->p;
    for (size_t ci = 0; ci < p->class_count; ci++) {
        double *d = w->vec[dst][ci];
        for (uint32_t l = 0; l < p->classes[ci].link_count; l++) {
            double s = 0.0;
            for (int i = 0; i < VEC_COUNT; i++)
                if (k[i] != 0.0)
                    s += k[i] * w->vec[i][ci][l];
            d[l] = s;
        }
    }
}

static void
swap_vec(struct fw *w, int a, int b)
{
    double **t = w->vec[a];
    w->vec[a] = w->vec[b];
    w->vec[b] = t;
}

/* The conjugate direction: s = alpha s + (1 - alpha) y, J-conjugate to the previous one. */
static void
direction_cfw(struct fw *w)
{
    resource_sums(w, VY);
    resource_sums(w, VS);
    double num = product(w, (double[]){ -1, 0, 1, 0 }, (double[]){ -1, 1, 0, 0 });
    double den = product(w, (double[]){ -1, 0, 1, 0 }, (double[]){ 0, 1, -1, 0 });
    double alpha = den != 0.0 ? num / den : 0.0;
    if (!(alpha > 0.0))
        alpha = 0.0;
    if (alpha > 0.99999)
        alpha = 0.99999;
    /* s_prev = s; s = alpha s + (1 - alpha) y */
    combine(w, VP, (double[]){ 0, 0, 1, 0 });
    combine(w, VS, (double[]){ 0, 1 - alpha, alpha, 0 });
}

/* The bi-conjugate direction: s = b0 y + b1 s + b2 s_prev (Mitradjieva and Lindberg 2013). */
static void
direction_bfw(struct fw *w)
{
    resource_sums(w, VY);
    resource_sums(w, VS);
    resource_sums(w, VP);
    double tau = w->step;
    const double xk[VEC_COUNT] = { -1, 0, tau, 1 - tau }, yk[VEC_COUNT] = { -1, 1, 0, 0 },
                 zk[VEC_COUNT] = { -1, 0, 1, 0 }, wk[VEC_COUNT] = { 0, 0, -1, 1 };
    double mu_den = product(w, xk, wk), nu_den = product(w, zk, zk);
    double mu = mu_den != 0.0 ? -product(w, xk, yk) / mu_den : 0.0;
    if (!(mu > 0.0))
        mu = 0.0;
    double nu = nu_den != 0.0 ? -product(w, zk, yk) / nu_den + mu * tau / (1.0 - tau) : 0.0;
    if (!(nu > 0.0))
        nu = 0.0;
    double b0 = 1.0 / (1.0 + nu + mu), b1 = nu * b0, b2 = mu * b0;
    /* s_new = b0 y + b1 s + b2 s_prev into the y arrays, then rotate: s_prev = s, s = s_new */
    combine(w, VY, (double[]){ 0, b0, b1, b2 });
    swap_vec(w, VP, VS);
    swap_vec(w, VS, VY);
}

/* The line search's sums along d = s - x. */
static void
line_prepare(struct fw *w)
{
    const struct cr_assign_problem *p = w->p;
    memset(w->ls_a, 0, p->res.count * sizeof *w->ls_a);
    memset(w->ls_v, 0, p->res.count * sizeof *w->ls_v);
    double cst = 0.0;
    for (size_t ci = 0; ci < p->class_count; ci++) {
        const struct cr_assign_class *c = &p->classes[ci];
        const double *x = w->vec[VX][ci], *s = w->vec[VS][ci];
        for (uint32_t l = 0; l < c->link_count; l++) {
            double d = s[l] - x[l];
            uint32_t r = c->resource[l];
            cst += c->fixed[l] * d;
            if (r == CR_ASSIGN_NO_RESOURCE) {
                cst += c->fft[l] * d;
                continue;
            }
            w->ls_a[r] += c->fft[l] * d;
            w->ls_v[r] += c->pce * d;
        }
    }
    w->ls_c = cst;
}

/* g(lambda) = sum_c sum_l t_l(x + lambda d) d_l, and its derivative into *DG. */
static double
line_g(const struct fw *w, double lambda, double *dg)
{
    const struct cr_assign_resources *res = &w->p->res;
    double g = w->ls_c, h = 0.0;
    for (uint32_t r = 0; r < res->count; r++) {
        if (w->ls_a[r] == 0.0)
            continue;
        double v = w->out->volume[r] + lambda * w->ls_v[r];
        g += w->ls_a[r] * cr_vdf_factor(res, r, v);
        h += w->ls_a[r] * w->ls_v[r] * cr_vdf_derivative(res, r, v);
    }
    *dg = h;
    return g;
}

/* The lambda in [0, 1] where g vanishes (g increases: the costs are monotone), by Newton's
 * method kept inside a bisection bracket, to 1e-12 in lambda. -1 when g(0) >= 0 (no descent). */
static double
line_search(struct fw *w)
{
    line_prepare(w);
    double dg, g0 = line_g(w, 0.0, &dg);
    if (!(g0 < 0.0))
        return -1.0;
    double g1 = line_g(w, 1.0, &dg);
    if (g1 <= 0.0)
        return 1.0;
    double lo = 0.0, hi = 1.0, lambda = g0 / (g0 - g1); /* secant start */
    for (int it = 0; it < 100 && hi - lo > 1e-12; it++) {
        double g = line_g(w, lambda, &dg);
        if (g == 0.0)
            return lambda;
        if (g < 0.0)
            lo = lambda;
        else
            hi = lambda;
        double next = dg > 0.0 ? lambda - g / dg : -1.0;
        if (!(next > lo && next < hi) || fabs(next - lambda) < 1e-15)
            next = 0.5 * (lo + hi);
        if (fabs(next - lambda) < 1e-15)
            break;
        lambda = next;
    }
    return lambda;
}

/* Moves x to the next flows: x + lambda (s - x) along the algorithm's direction s. */
static void
step(struct fw *w, unsigned k)
{
    enum cr_assign_algorithm a = w->o->algorithm;
    double lambda;
    if (a == CR_ASSIGN_MSA) {
        lambda = 1.0 / (double)(k + 1);
        combine(w, VX, (double[]){ 1 - lambda, lambda, 0, 0 });
        return;
    }
    int fw_dir = a == CR_ASSIGN_FW || k == 1 || w->step >= 1.0 || w->do_fw;
    if (fw_dir) {
        combine(w, VS, (double[]){ 0, 1, 0, 0 });
        w->do_fw = 0;
        w->do_cfw = 1;
    } else {
        derivatives(w);
        resource_sums(w, VX);
        if (a == CR_ASSIGN_CFW || w->do_cfw) {
            w->do_cfw = 0;
            direction_cfw(w);
        } else {
            direction_bfw(w);
        }
    }
    lambda = line_search(w);
    if (lambda < 0.0 && !fw_dir) { /* the conjugate direction does not descend: restart */
        combine(w, VS, (double[]){ 0, 1, 0, 0 });
        w->do_cfw = 1;
        lambda = line_search(w);
    }
    if (lambda < 0.0)
        lambda = 0.0; /* no descent along y - x either: x is an equilibrium */
    combine(w, VX, (double[]){ 1 - lambda, 0, lambda, 0 });
    w->step = lambda;
}

/* The gap of x (and y, the AON flows at x's costs) into OUT; progress. Nonzero: stop. */
static enum cr_status
measure(struct fw *w, unsigned k, double start, int *stop, struct cr_error *err)
{
    const struct cr_assign_problem *p = w->p;
    struct cr_assign_result *out = w->out;
    struct cr_assign_aon_totals t;
    cr_assign_volumes(p, out->flow, out->volume);
    cr_assign_costs(p, out->volume, out->cost);
    enum cr_status st = cr_assign_aon_run(&w->aon, out->cost, w->vec[VY], &t, err);
    if (st)
        return st;
    out->iterations = k;
    out->tstt = cr_assign_tstt(p, out->flow, out->cost);
    out->sptt = t.sptt;
    out->rgap = out->tstt > 0.0 ? (out->tstt - out->sptt) / out->tstt : 0.0;
    out->aec = t.demand > 0.0 ? (out->tstt - out->sptt) / t.demand : 0.0;
    out->unassigned = t.unassigned;
    out->objective = cr_assign_objective(p, out->flow, out->volume);
    out->seconds = cr_assign_now() - start;
    *stop = out->rgap <= w->o->gap || k >= w->o->max_iter || w->o->algorithm == CR_ASSIGN_AON;
    if (w->o->progress) {
        struct cr_assign_iteration it = { k, out->rgap, out->aec, out->objective, out->seconds };
        if (w->o->progress(&it, w->o->user)) {
            out->stopped = 1;
            *stop = 1;
        }
    }
    return CR_OK;
}

enum cr_status
cr_assign_fw(const struct cr_assign_problem *p, const struct cr_assign_options *o,
             struct cr_assign_result *out, struct cr_error *err)
{
    struct fw w;
    double start = cr_assign_now();
    enum cr_status st = fw_init(&w, p, o, out, err);
    if (st)
        return st;
    /* iteration 1: all-or-nothing at free-flow costs (out->volume is zero) */
    struct cr_assign_aon_totals t;
    cr_assign_costs(p, out->volume, out->cost);
    st = cr_assign_aon_run(&w.aon, out->cost, out->flow, &t, err);
    int stop = 0;
    for (unsigned k = 1; st == CR_OK; k++) {
        st = measure(&w, k, start, &stop, err);
        if (st || stop)
            break;
        step(&w, k);
    }
    fw_fini(&w);
    return st;
}
