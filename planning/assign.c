/* Traffic assignment (planning/assign.h): the problem's check, the run's dispatch, and the one
 * place where gaps are measured. docs/assignment.md, "Algorithms and convergence". */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "planning/assign.h"
#include "planning/assign_bush.h"
#include "planning/assign_internal.h"

void
cr_assign_problem_fini(struct cr_assign_problem *p)
{
    if (!p)
        return;
    free(p->res.capacity);
    free(p->res.alpha);
    free(p->res.beta);
    free(p->res.vdf);
    for (size_t c = 0; p->classes && c < p->class_count; c++) {
        struct cr_assign_class *k = &p->classes[c];
        free(k->first_out);
        free(k->tail);
        free(k->head);
        free(k->resource);
        free(k->fft);
        free(k->fixed);
        free(k->demand);
    }
    free(p->classes);
    memset(p, 0, sizeof *p);
}

static enum cr_status
check_resources(const struct cr_assign_resources *res, struct cr_error *err)
{
    if (res->count && (!res->capacity || !res->alpha || !res->beta || !res->vdf))
        return cr_error_set(err, CR_EINVAL, "assignment: resources: missing arrays");
    for (uint32_t r = 0; r < res->count; r++) {
        if (!(res->capacity[r] > 0.0) || !isfinite(res->capacity[r]))
            return cr_error_set(err, CR_EINVAL, "assignment: resource %u: capacity %g not > 0",
                                (unsigned)r, res->capacity[r]);
        if (res->vdf[r] == CR_VDF_BPR) {
            if (!(res->alpha[r] >= 0.0) || !isfinite(res->alpha[r]) || !(res->beta[r] >= 0.0) ||
                !isfinite(res->beta[r]))
                return cr_error_set(err, CR_EINVAL,
                                    "assignment: resource %u: BPR alpha %g, beta %g not >= 0",
                                    (unsigned)r, res->alpha[r], res->beta[r]);
        } else if (res->vdf[r] == CR_VDF_CONICAL) {
            if (!(res->alpha[r] > 1.0) || !isfinite(res->alpha[r]))
                return cr_error_set(err, CR_EINVAL,
                                    "assignment: resource %u: conical alpha %g not > 1",
                                    (unsigned)r, res->alpha[r]);
        } else {
            return cr_error_set(err, CR_EINVAL, "assignment: resource %u: unknown function %u",
                                (unsigned)r, (unsigned)res->vdf[r]);
        }
    }
    return CR_OK;
}

static enum cr_status
check_links(const struct cr_assign_problem *p, const struct cr_assign_class *c,
            struct cr_error *err)
{
    for (uint32_t v = 0; v < c->node_count; v++) {
        if (c->first_out[v] > c->first_out[v + 1])
            return cr_error_set(err, CR_EINVAL,
                                "assignment: class %s: first_out not sorted at "
                                "node %u",
                                c->name, (unsigned)v);
        for (uint32_t l = c->first_out[v]; l < c->first_out[v + 1]; l++)
            if (c->tail[l] != v)
                return cr_error_set(err, CR_EINVAL,
                                    "assignment: class %s: link %u: tail %u, "
                                    "but it lies in node %u's links",
                                    c->name, (unsigned)l, (unsigned)c->tail[l], (unsigned)v);
    }
    for (uint32_t l = 0; l < c->link_count; l++) {
        if (c->head[l] >= c->node_count)
            return cr_error_set(err, CR_EINVAL,
                                "assignment: class %s: link %u: head %u of %u "
                                "nodes",
                                c->name, (unsigned)l, (unsigned)c->head[l],
                                (unsigned)c->node_count);
        if (c->resource[l] != CR_ASSIGN_NO_RESOURCE && c->resource[l] >= p->res.count)
            return cr_error_set(err, CR_EINVAL,
                                "assignment: class %s: link %u: resource %u of "
                                "%u",
                                c->name, (unsigned)l, (unsigned)c->resource[l],
                                (unsigned)p->res.count);
        if (!(c->fft[l] >= 0.0) || !isfinite(c->fft[l]) || !(c->fixed[l] >= 0.0) ||
            !isfinite(c->fixed[l]))
            return cr_error_set(err, CR_EINVAL,
                                "assignment: class %s: link %u: free-flow time "
                                "%g, fixed cost %g not finite >= 0",
                                c->name, (unsigned)l, c->fft[l], c->fixed[l]);
    }
    return CR_OK;
}

static enum cr_status
check_class(const struct cr_assign_problem *p, const struct cr_assign_class *c,
            struct cr_error *err)
{
    if (!(c->pce > 0.0) || !isfinite(c->pce))
        return cr_error_set(err, CR_EINVAL, "assignment: class %s: pce %g not > 0", c->name,
                            c->pce);
    if (c->node_count < p->zone_count)
        return cr_error_set(err, CR_EINVAL,
                            "assignment: class %s: %u nodes, fewer than the %u "
                            "zones",
                            c->name, (unsigned)c->node_count, (unsigned)p->zone_count);
    if (!c->first_out || !c->demand ||
        (c->link_count && (!c->tail || !c->head || !c->resource || !c->fft || !c->fixed)))
        return cr_error_set(err, CR_EINVAL, "assignment: class %s: missing arrays", c->name);
    if (c->first_out[0] != 0 || c->first_out[c->node_count] != c->link_count)
        return cr_error_set(err, CR_EINVAL,
                            "assignment: class %s: first_out runs %u .. %u, not "
                            "0 .. %u links",
                            c->name, (unsigned)c->first_out[0],
                            (unsigned)c->first_out[c->node_count], (unsigned)c->link_count);
    if (check_links(p, c, err))
        return err ? err->code : CR_EINVAL;
    size_t z = p->zone_count;
    for (size_t i = 0; i < z * z; i++)
        if (!(c->demand[i] >= 0.0) || !isfinite(c->demand[i]))
            return cr_error_set(err, CR_EINVAL,
                                "assignment: class %s: demand from zone %zu to "
                                "zone %zu: %g trips, not finite >= 0",
                                c->name, i / z, i % z, c->demand[i]);
    return CR_OK;
}

enum cr_status
cr_assign_problem_check(const struct cr_assign_problem *p, struct cr_error *err)
{
    if (p->class_count == 0 || !p->classes)
        return cr_error_set(err, CR_EINVAL, "assignment: no classes");
    if (p->zone_count == 0)
        return cr_error_set(err, CR_EINVAL, "assignment: no zones");
    if (check_resources(&p->res, err))
        return err ? err->code : CR_EINVAL;
    for (size_t c = 0; c < p->class_count; c++)
        if (check_class(p, &p->classes[c], err))
            return err ? err->code : CR_EINVAL;
    return CR_OK;
}

static const char *const algorithm_names[CR_ASSIGN_ALGORITHM_COUNT] = { "aon", "msa", "fw",
                                                                        "cfw", "bfw", "b" };

const char *
cr_assign_algorithm_name(enum cr_assign_algorithm a)
{
    return (unsigned)a < CR_ASSIGN_ALGORITHM_COUNT ? algorithm_names[a] : "?";
}

int
cr_assign_algorithm_parse(const char *name)
{
    for (int a = 0; name && a < CR_ASSIGN_ALGORITHM_COUNT; a++)
        if (strcasecmp(name, algorithm_names[a]) == 0)
            return a;
    return -1;
}

double
cr_assign_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void
cr_assign_volumes(const struct cr_assign_problem *p, double *const *flow, double *volume)
{
    memset(volume, 0, p->res.count * sizeof *volume);
    for (size_t ci = 0; ci < p->class_count; ci++) {
        const struct cr_assign_class *c = &p->classes[ci];
        for (uint32_t l = 0; l < c->link_count; l++)
            if (c->resource[l] != CR_ASSIGN_NO_RESOURCE)
                volume[c->resource[l]] += c->pce * flow[ci][l];
    }
}

void
cr_assign_costs(const struct cr_assign_problem *p, const double *volume, double *const *cost)
{
    for (size_t ci = 0; ci < p->class_count; ci++) {
        const struct cr_assign_class *c = &p->classes[ci];
        for (uint32_t l = 0; l < c->link_count; l++) {
            uint32_t r = c->resource[l];
            double f = r == CR_ASSIGN_NO_RESOURCE ? 1.0 : cr_vdf_factor(&p->res, r, volume[r]);
            cost[ci][l] = c->fft[l] * f + c->fixed[l];
        }
    }
}

double
cr_assign_tstt(const struct cr_assign_problem *p, double *const *flow, double *const *cost)
{
    double s = 0.0;
    for (size_t ci = 0; ci < p->class_count; ci++)
        for (uint32_t l = 0; l < p->classes[ci].link_count; l++)
            s += flow[ci][l] * cost[ci][l];
    return s;
}

double
cr_assign_objective(const struct cr_assign_problem *p, double *const *flow, const double *volume)
{
    uint32_t nr = p->res.count;
    double *fft = malloc((nr ? nr : 1) * sizeof *fft);
    if (!fft)
        return NAN;
    for (uint32_t r = 0; r < nr; r++)
        fft[r] = NAN;
    double s = 0.0;
    for (size_t ci = 0; ci < p->class_count; ci++) {
        const struct cr_assign_class *c = &p->classes[ci];
        for (uint32_t l = 0; l < c->link_count; l++) {
            uint32_t r = c->resource[l];
            if (r == CR_ASSIGN_NO_RESOURCE) {
                s += c->pce * flow[ci][l] * (c->fft[l] + c->fixed[l]);
                continue;
            }
            if (isnan(fft[r]))
                fft[r] = c->fft[l];
            else if (fft[r] != c->fft[l])
                s = NAN; /* no potential: links of one resource with different times */
            s += c->pce * flow[ci][l] * c->fixed[l];
        }
    }
    for (uint32_t r = 0; r < nr; r++)
        if (!isnan(fft[r]))
            s += fft[r] * cr_vdf_integral(&p->res, r, volume[r]);
    free(fft);
    return s;
}

/* Per-class arrays of LINK_COUNT doubles, zeroed. */
static double **
class_arrays(const struct cr_assign_problem *p)
{
    double **a = calloc(p->class_count, sizeof *a);
    if (!a)
        return NULL;
    for (size_t c = 0; c < p->class_count; c++)
        if (!(a[c] = calloc(p->classes[c].link_count ? p->classes[c].link_count : 1, sizeof **a))) {
            for (size_t k = 0; k < c; k++)
                free(a[k]);
            free(a);
            return NULL;
        }
    return a;
}

static void
class_arrays_free(double **a, size_t class_count)
{
    for (size_t c = 0; a && c < class_count; c++)
        free(a[c]);
    free(a);
}

void
cr_assign_result_fini(struct cr_assign_result *r, size_t class_count)
{
    if (!r)
        return;
    class_arrays_free(r->flow, class_count);
    class_arrays_free(r->cost, class_count);
    free(r->volume);
    memset(r, 0, sizeof *r);
}

enum cr_status
cr_assign_measure(const struct cr_assign_problem *p, double *const *flow, unsigned threads,
                  struct cr_assign_result *r, struct cr_error *err)
{
    struct cr_assign_aon aon;
    double **cost = class_arrays(p);
    double *volume = malloc((p->res.count ? p->res.count : 1) * sizeof *volume);
    if (!cost || !volume) {
        class_arrays_free(cost, p->class_count);
        free(volume);
        return cr_error_set(err, CR_ENOMEM, "assignment: out of memory measuring the gap");
    }
    enum cr_status st = cr_assign_aon_init(&aon, p, threads, err);
    if (st == CR_OK) {
        struct cr_assign_aon_totals t;
        cr_assign_volumes(p, flow, volume);
        cr_assign_costs(p, volume, cost);
        st = cr_assign_aon_run(&aon, cost, NULL, &t, err);
        r->tstt = cr_assign_tstt(p, flow, cost);
        r->sptt = t.sptt;
        r->rgap = r->tstt > 0.0 ? (r->tstt - r->sptt) / r->tstt : 0.0;
        r->aec = t.demand > 0.0 ? (r->tstt - r->sptt) / t.demand : 0.0;
        r->unassigned = t.unassigned;
        r->objective = cr_assign_objective(p, flow, volume);
        for (size_t c = 0; r->cost && c < p->class_count; c++)
            memcpy(r->cost[c], cost[c], p->classes[c].link_count * sizeof **cost);
        if (r->volume)
            memcpy(r->volume, volume, p->res.count * sizeof *volume);
        cr_assign_aon_fini(&aon);
    }
    class_arrays_free(cost, p->class_count);
    free(volume);
    return st;
}

enum cr_status
cr_assign_run(const struct cr_assign_problem *p, const struct cr_assign_options *o,
              struct cr_assign_result *out, struct cr_error *err)
{
    memset(out, 0, sizeof *out);
    if (cr_assign_problem_check(p, err))
        return err ? err->code : CR_EINVAL;
    if ((unsigned)o->algorithm >= CR_ASSIGN_ALGORITHM_COUNT)
        return cr_error_set(err, CR_EINVAL, "assignment: unknown algorithm %d", (int)o->algorithm);
    out->flow = class_arrays(p);
    out->cost = class_arrays(p);
    out->volume = calloc(p->res.count ? p->res.count : 1, sizeof *out->volume);
    if (!out->flow || !out->cost || !out->volume) {
        cr_assign_result_fini(out, p->class_count);
        return cr_error_set(err, CR_ENOMEM, "assignment: out of memory for the link flows");
    }
    double start = cr_assign_now();
    enum cr_status st;
    if (o->algorithm == CR_ASSIGN_B) {
        st = cr_assign_bush(p, o, out, err);
        if (st == CR_OK) { /* volumes and costs at the final flows, whatever the solver left */
            cr_assign_volumes(p, out->flow, out->volume);
            cr_assign_costs(p, out->volume, out->cost);
        }
    } else {
        st = cr_assign_fw(p, o, out, err);
    }
    if (st != CR_OK) {
        cr_assign_result_fini(out, p->class_count);
        return st;
    }
    out->converged = out->rgap <= o->gap;
    out->seconds = cr_assign_now() - start;
    return CR_OK;
}
