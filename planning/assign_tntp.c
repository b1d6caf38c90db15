/*
 * TNTP network and trips to an assignment problem; best-known flows to a comparison.
 */
#include "planning/assign_tntp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
allocate(struct cr_assign_problem *p, uint32_t nodes, uint32_t links, uint32_t zones)
{
    struct cr_assign_resources *r = &p->res;
    struct cr_assign_class *c;

    if (!(p->classes = calloc(1, sizeof *p->classes)))
        return -1;
    p->class_count = 1;
    c = &p->classes[0];
    r->count = links;
    r->capacity = malloc(links * sizeof *r->capacity);
    r->alpha = malloc(links * sizeof *r->alpha);
    r->beta = malloc(links * sizeof *r->beta);
    r->vdf = calloc(links, sizeof *r->vdf);
    c->first_out = calloc((size_t)nodes + 1, sizeof *c->first_out);
    c->tail = malloc(links * sizeof *c->tail);
    c->head = malloc(links * sizeof *c->head);
    c->resource = malloc(links * sizeof *c->resource);
    c->fft = malloc(links * sizeof *c->fft);
    c->fixed = malloc(links * sizeof *c->fixed);
    c->demand = malloc((size_t)zones * zones * sizeof *c->demand);
    return r->capacity && r->alpha && r->beta && r->vdf && c->first_out && c->tail && c->head &&
                   c->resource && c->fft && c->fixed && c->demand
               ? 0
               : -1;
}

enum cr_status
cr_assign_tntp_build(const struct cr_tntp_net *net, const struct cr_tntp_trips *trips,
                     double toll_factor, double distance_factor, struct cr_assign_problem *out,
                     struct cr_error *err)
{
    struct cr_assign_problem p = { 0 };
    struct cr_assign_class *c;
    uint32_t *next;

    memset(out, 0, sizeof *out);
    if (net->zone_count != trips->zone_count)
        return cr_error_set(err, CR_EINVAL,
                            "TNTP net has %u zones but its trips file %u: not the same network",
                            net->zone_count, trips->zone_count);
    if (isnan(toll_factor))
        toll_factor = net->toll_factor;
    if (isnan(distance_factor))
        distance_factor = net->distance_factor;
    if (!(toll_factor >= 0 && distance_factor >= 0 && isfinite(toll_factor) &&
          isfinite(distance_factor)))
        return cr_error_set(err, CR_EINVAL, "toll factor %g and distance factor %g must be >= 0",
                            toll_factor, distance_factor);
    if (allocate(&p, net->node_count, net->link_count, net->zone_count))
        goto nomem;
    p.zone_count = net->zone_count;
    p.through_from = net->first_thru_node - 1;
    c = &p.classes[0];
    snprintf(c->name, sizeof c->name, "tntp");
    c->pce = 1;
    c->node_count = net->node_count;
    c->link_count = net->link_count;
    memcpy(c->demand, trips->trips, (size_t)p.zone_count * p.zone_count * sizeof *c->demand);
    /* CSR by a stable counting sort on init_node */
    for (uint32_t l = 0; l < net->link_count; l++)
        c->first_out[net->links[l].init_node]++;
    for (uint32_t v = 0; v < net->node_count; v++)
        c->first_out[v + 1] += c->first_out[v];
    if (!(next = malloc(((size_t)net->node_count + 1) * sizeof *next)))
        goto nomem;
    memcpy(next, c->first_out, ((size_t)net->node_count + 1) * sizeof *next);
    for (uint32_t l = 0; l < net->link_count; l++) {
        const struct cr_tntp_link *t = &net->links[l];
        uint32_t k = next[t->init_node - 1]++;
        c->tail[k] = t->init_node - 1;
        c->head[k] = t->term_node - 1;
        c->resource[k] = k;
        c->fft[k] = t->free_flow_time;
        c->fixed[k] = toll_factor * t->toll + distance_factor * t->length;
        p.res.capacity[k] = t->capacity;
        p.res.alpha[k] = t->b;
        p.res.beta[k] = t->power;
        p.res.vdf[k] = CR_VDF_BPR;
    }
    free(next);
    *out = p;
    return CR_OK;
nomem:
    cr_assign_problem_fini(&p);
    return cr_error_set(err, CR_ENOMEM, "TNTP network of %u links: out of memory", net->link_count);
}

enum cr_status
cr_assign_tntp_load(const char *net_path, const char *trips_path, double toll_factor,
                    double distance_factor, struct cr_assign_problem *out, struct cr_error *err)
{
    struct cr_tntp_net net = { 0 };
    struct cr_tntp_trips trips = { 0 };
    enum cr_status st;

    memset(out, 0, sizeof *out);
    if (!(st = cr_tntp_net_read(net_path, &net, err)) &&
        !(st = cr_tntp_trips_read(trips_path, &trips, err))) {
        if (net.zone_count != trips.zone_count)
            st = cr_error_set(err, CR_EINVAL, "%s: %u zones but %s has %u", trips_path,
                              trips.zone_count, net_path, net.zone_count);
        else
            st = cr_assign_tntp_build(&net, &trips, toll_factor, distance_factor, out, err);
    }
    cr_tntp_net_fini(&net);
    cr_tntp_trips_fini(&trips);
    return st;
}

/* The cost of link L of P's class 0 at flow X (PCE 1: volume = flow). */
static double
link_cost(const struct cr_assign_problem *p, uint32_t l, double x)
{
    const struct cr_assign_class *c = &p->classes[0];
    uint32_t r = c->resource[l];
    if (r == CR_ASSIGN_NO_RESOURCE)
        return c->fft[l] + c->fixed[l];
    return c->fft[l] * cr_vdf_factor(&p->res, r, x * c->pce) + c->fixed[l];
}

double
cr_assign_tntp_objective(const struct cr_assign_problem *p, const double *flow)
{
    const struct cr_assign_class *c = &p->classes[0];
    double z = 0;
    for (uint32_t l = 0; l < c->link_count; l++) {
        uint32_t r = c->resource[l];
        double t = r == CR_ASSIGN_NO_RESOURCE ? c->fft[l] * flow[l]
                                              : c->fft[l] * cr_vdf_integral(&p->res, r, flow[l]);
        z += t + c->fixed[l] * flow[l];
    }
    return z;
}

/* The link of P from TAIL to HEAD (0-based), UINT32_MAX when none. */
static uint32_t
find_link(const struct cr_assign_class *c, uint32_t tail, uint32_t head)
{
    if (tail >= c->node_count)
        return UINT32_MAX;
    for (uint32_t l = c->first_out[tail]; l < c->first_out[tail + 1]; l++)
        if (c->head[l] == head)
            return l;
    return UINT32_MAX;
}

static enum cr_status
check_simple(const struct cr_assign_class *c, struct cr_error *err)
{
    for (uint32_t v = 0; v < c->node_count; v++)
        for (uint32_t a = c->first_out[v]; a < c->first_out[v + 1]; a++)
            for (uint32_t b = a + 1; b < c->first_out[v + 1]; b++)
                if (c->head[a] == c->head[b])
                    return cr_error_set(err, CR_EINVAL,
                                        "two links from %u to %u: cannot match flows by "
                                        "init/term node",
                                        v + 1, c->head[a] + 1);
    return CR_OK;
}

static enum cr_status
match_rows(const struct cr_assign_class *c, const struct cr_tntp_flow *ref, const char *ref_path,
           double *ref_flow, uint32_t *row_of, struct cr_error *err)
{
    for (uint32_t l = 0; l < c->link_count; l++)
        row_of[l] = UINT32_MAX;
    for (size_t i = 0; i < ref->count; i++) {
        const struct cr_tntp_flow_row *r = &ref->rows[i];
        uint32_t l = find_link(c, r->from - 1, r->to - 1);
        if (l == UINT32_MAX)
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: no link %u -> %u in the network",
                                ref_path, r->line, r->from, r->to);
        if (row_of[l] != UINT32_MAX)
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: link %u -> %u given twice", ref_path,
                                r->line, r->from, r->to);
        row_of[l] = r->line;
        ref_flow[l] = r->volume;
    }
    for (uint32_t l = 0; l < c->link_count; l++)
        if (row_of[l] == UINT32_MAX)
            return cr_error_set(err, CR_EFORMAT, "%s: no row for link %u -> %u", ref_path,
                                c->tail[l] + 1, c->head[l] + 1);
    return CR_OK;
}

enum cr_status
cr_assign_tntp_compare(const struct cr_assign_problem *p, const double *flow,
                       const struct cr_tntp_flow *ref, const char *ref_path,
                       struct cr_assign_tntp_comparison *out, struct cr_error *err)
{
    const struct cr_assign_class *c;
    double *ref_flow = NULL, sq = 0;
    uint32_t *row_of = NULL;
    enum cr_status st;

    memset(out, 0, sizeof *out);
    if (p->class_count != 1)
        return cr_error_set(err, CR_EINVAL, "%s: comparison needs a one-class problem, not %zu",
                            ref_path, p->class_count);
    c = &p->classes[0];
    if ((st = check_simple(c, err)))
        return st;
    ref_flow = malloc(((size_t)c->link_count + 1) * sizeof *ref_flow);
    row_of = malloc(((size_t)c->link_count + 1) * sizeof *row_of);
    if (!ref_flow || !row_of) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", ref_path);
        goto done;
    }
    if ((st = match_rows(c, ref, ref_path, ref_flow, row_of, err)))
        goto done;
    out->links = c->link_count;
    for (uint32_t l = 0; l < c->link_count; l++) {
        double d = fabs(flow[l] - ref_flow[l]), rel = d / fmax(ref_flow[l], 1);
        sq += d * d;
        if (d > out->max_abs_diff)
            out->max_abs_diff = d;
        if (rel > out->max_rel_diff || l == 0) {
            out->max_rel_diff = rel;
            out->max_init = c->tail[l] + 1;
            out->max_term = c->head[l] + 1;
        }
    }
    out->rmse = c->link_count ? sqrt(sq / c->link_count) : 0;
    out->objective = cr_assign_tntp_objective(p, flow);
    out->objective_reference = cr_assign_tntp_objective(p, ref_flow);
    out->objective_rel_diff =
        (out->objective - out->objective_reference) / fmax(fabs(out->objective_reference), 1e-300);
done:
    free(ref_flow);
    free(row_of);
    return st;
}

void
cr_assign_tntp_write_csv(FILE *f, const struct cr_assign_problem *p, const double *flow,
                         const double *cost)
{
    const struct cr_assign_class *c = &p->classes[0];
    fprintf(f, "init_node,term_node,flow,cost,volume_capacity\n");
    for (uint32_t l = 0; l < c->link_count; l++) {
        uint32_t r = c->resource[l];
        double t = cost ? cost[l] : link_cost(p, l, flow[l]);
        double voc = r == CR_ASSIGN_NO_RESOURCE ? 0 : flow[l] * c->pce / p->res.capacity[r];
        fprintf(f, "%u,%u,%.10g,%.10g,%.6g\n", c->tail[l] + 1, c->head[l] + 1, flow[l], t, voc);
    }
}
