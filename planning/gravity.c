/* A synthetic doubly constrained gravity demand, Furness-balanced (planning/gravity.h). */
#include "planning/gravity.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Relative weights per m2 of zone area. Sources of the shape, not of the numbers: the classic
 * home-based trip ends (homes produce, workplaces, shops and schools attract: Ortúzar & Willumsen,
 * Modelling Transport, ch. 4-5). The numbers are round and made up: this demand is synthetic. */
const struct cr_gravity_weight cr_gravity_default_weights[] = {
    { "residential", 1.0, 0.1 },   { "housing", 1.0, 0.1 },
    { "apartments", 1.0, 0.1 },    { "commercial", 0.1, 1.0 },
    { "retail", 0.1, 1.0 },        { "office", 0.1, 1.0 },
    { "mixed", 0.5, 0.5 },         { "industrial", 0.05, 0.6 },
    { "education", 0.0, 0.8 },     { "school", 0.0, 0.8 },
    { "university", 0.0, 0.8 },    { "college", 0.0, 0.8 },
    { "institutional", 0.0, 0.5 }, { "civic", 0.0, 0.5 },
    { "public", 0.0, 0.5 },        { NULL, 0, 0 },
};

/* Whether TEXT contains WORD, ignoring ASCII case. */
static int
contains(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)word[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

enum cr_status
cr_gravity_zone_weights(const struct cr_zones *z, const struct cr_gravity_weight *w, int by_area,
                        double *production, double *attraction, struct cr_error *err)
{
    double sp = 0, sa = 0;

    if (!w)
        w = cr_gravity_default_weights;
    for (size_t i = 0; i < z->count; i++) {
        const char *cls = z->zones[i].cls ? z->zones[i].cls : "";
        double area = z->zones[i].area_m2 > 0 ? z->zones[i].area_m2 : 0;
        production[i] = attraction[i] = by_area ? area : 0;
        for (size_t k = 0; !by_area && w[k].word; k++)
            if (contains(cls, w[k].word)) {
                production[i] = area * w[k].production;
                attraction[i] = area * w[k].attraction;
                break;
            }
        sp += production[i];
        sa += attraction[i];
    }
    if (sp > 0 && sa > 0)
        return CR_OK;
    char seen[160] = "";
    for (size_t c = 0; c < z->class_count && strlen(seen) < sizeof seen - 40; c++)
        snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s\"%s\"", c ? ", " : "",
                 z->classes[c].cls);
    return cr_error_set(err, CR_EINVAL,
                        "%s: no zone %s trips (classes: %s): give class weights or weigh "
                        "by area",
                        z->source_path, sp > 0 ? "attracts" : "produces", seen[0] ? seen : "none");
}

double *
cr_gravity_skim_minutes(const struct cr_skim *s)
{
    size_t n = s->count;
    double *t = malloc((n ? n * n : 1) * sizeof *t);

    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            t[i * n + j] = cr_skim_cell_status(s, i, j) == CR_SKIM_OK
                               ? s->cells[i * n + j].duration_s / 60
                               : NAN;
    return t;
}

void
cr_gravity_fini(struct cr_gravity *g)
{
    if (!g)
        return;
    free(g->trips);
    free(g->production);
    free(g->attraction);
    memset(g, 0, sizeof *g);
}

/* Scales P and A to TOTAL each; 0, or -1 when either is all zero. */
static int
scale_to(size_t n, double *p, double *a, double total)
{
    double sp = 0, sa = 0;
    for (size_t i = 0; i < n; i++) {
        sp += p[i];
        sa += a[i];
    }
    if (!(sp > 0) || !(sa > 0))
        return -1;
    for (size_t i = 0; i < n; i++) {
        p[i] *= total / sp;
        a[i] *= total / sa;
    }
    return 0;
}

/* Drops (zeroes) the production of rows with no reachable attraction and the attraction of
 * columns with no reachable production, until none is left; returns the zones dropped. */
static size_t
drop_unreachable(size_t n, double *p, double *a, const double *f)
{
    size_t dropped = 0, changed = 1;

    while (changed) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            double row = 0, col = 0;
            for (size_t j = 0; j < n; j++) {
                row += f[i * n + j] * a[j];
                col += f[j * n + i] * p[j];
            }
            if (p[i] > 0 && !(row > 0)) {
                p[i] = 0;
                changed = 1;
                dropped++;
            }
            if (a[i] > 0 && !(col > 0)) {
                a[i] = 0;
                changed = 1;
                dropped++;
            }
        }
    }
    return dropped;
}

/* Furness: T = P_i A_j f_ij scaled by rows then columns until both fit; the error left. */
static double
furness(size_t n, const double *p, const double *a, const double *f, double tol, size_t max_iter,
        double *t, size_t *iterations)
{
    double err = INFINITY;

    for (size_t k = 0; k < n * n; k++)
        t[k] = p[k / n] * a[k % n] * f[k];
    for (*iterations = 0; *iterations < max_iter && err > tol; (*iterations)++) {
        for (size_t i = 0; i < n; i++) {
            double row = 0;
            for (size_t j = 0; j < n; j++)
                row += t[i * n + j];
            for (size_t j = 0; row > 0 && j < n; j++)
                t[i * n + j] *= p[i] / row;
        }
        for (size_t j = 0; j < n; j++) {
            double col = 0;
            for (size_t i = 0; i < n; i++)
                col += t[i * n + j];
            for (size_t i = 0; col > 0 && i < n; i++)
                t[i * n + j] *= a[j] / col;
        }
        err = 0; /* columns fit now; the rows tell how far from both */
        for (size_t i = 0; i < n; i++) {
            double row = 0;
            for (size_t j = 0; j < n; j++)
                row += t[i * n + j];
            if (p[i] > 0)
                err = fmax(err, fabs(row - p[i]) / p[i]);
        }
    }
    return err;
}

enum cr_status
cr_gravity_run(size_t n, const double *production, const double *attraction, const double *time_min,
               const struct cr_gravity_options *o, struct cr_gravity *out, struct cr_error *err)
{
    double beta = o->beta > 0 ? o->beta : 0.1, tol = o->tolerance > 0 ? o->tolerance : 1e-9;
    size_t max_iter = o->max_iter ? o->max_iter : 1000;
    double *f = NULL;

    memset(out, 0, sizeof *out);
    if (!(o->total > 0) || !isfinite(o->total))
        return cr_error_set(err, CR_EINVAL, "gravity: total trips %g: want a number above 0",
                            o->total);
    for (size_t i = 0; i < n; i++)
        if (!(production[i] >= 0) || !(attraction[i] >= 0) || !isfinite(production[i]) ||
            !isfinite(attraction[i]))
            return cr_error_set(err, CR_EINVAL, "gravity: zone %zu: weights must be >= 0", i + 1);
    out->count = n;
    out->trips = calloc(n ? n * n : 1, sizeof *out->trips);
    out->production = malloc((n ? n : 1) * sizeof *out->production);
    out->attraction = malloc((n ? n : 1) * sizeof *out->attraction);
    f = malloc((n ? n * n : 1) * sizeof *f);
    if (!out->trips || !out->production || !out->attraction || !f) {
        free(f);
        cr_gravity_fini(out);
        return cr_error_set(err, CR_ENOMEM, "gravity of %zu zones: out of memory", n);
    }
    memcpy(out->production, production, n * sizeof *production);
    memcpy(out->attraction, attraction, n * sizeof *attraction);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double t = time_min[i * n + j];
            f[i * n + j] = i != j && t >= 0 && isfinite(t) ? exp(-beta * t) : 0;
        }
    out->zones_dropped = drop_unreachable(n, out->production, out->attraction, f);
    if (scale_to(n, out->production, out->attraction, o->total)) {
        free(f);
        cr_gravity_fini(out);
        return cr_error_set(err, CR_EINVAL,
                            "gravity: no pair of zones with production at one end, attraction "
                            "at the other and a route between them");
    }
    out->max_error = furness(n, out->production, out->attraction, f, tol, max_iter, out->trips,
                             &out->iterations);
    out->converged = out->max_error <= tol;
    free(f);
    return CR_OK;
}
