/* All-or-nothing loading of traffic assignment (planning/assign_internal.h): every class's demand
 * on its shortest paths at given link costs, origins on threads. Each origin's tree is loaded by
 * walking its settled nodes backwards (a node's trips, plus what passes through it, go onto the
 * link into it), so loading costs one pass over the tree. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "planning/assign_internal.h"

#define MAX_THREADS 64

enum cr_status
cr_assign_aon_init(struct cr_assign_aon *a, const struct cr_assign_problem *p, unsigned threads,
                   struct cr_error *err)
{
    memset(a, 0, sizeof *a);
    a->p = p;
    a->threads = threads == 0 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    uint32_t nodes = 1, links = 1;
    for (size_t c = 0; c < p->class_count; c++) {
        if (p->classes[c].node_count > nodes)
            nodes = p->classes[c].node_count;
        if (p->classes[c].link_count > links)
            links = p->classes[c].link_count;
    }
    a->sp = calloc(a->threads, sizeof *a->sp);
    a->node_load = calloc(a->threads, sizeof *a->node_load);
    a->chunk_flow = calloc(CR_ASSIGN_AON_CHUNKS, sizeof *a->chunk_flow);
    a->origins = malloc(((size_t)p->zone_count + 1) * sizeof *a->origins);
    if (!a->sp || !a->node_load || !a->chunk_flow || !a->origins)
        goto nomem;
    for (unsigned t = 0; t < a->threads; t++) {
        if (cr_assign_sp_init(&a->sp[t], nodes, err))
            goto fail;
        if (!(a->node_load[t] = calloc(nodes, sizeof **a->node_load)))
            goto nomem;
    }
    for (unsigned k = 0; k < CR_ASSIGN_AON_CHUNKS; k++)
        if (!(a->chunk_flow[k] = malloc(links * sizeof **a->chunk_flow)))
            goto nomem;
    return CR_OK;
nomem:
    cr_error_set(err, CR_ENOMEM, "assignment: out of memory for %u nodes, %u links",
                 (unsigned)nodes, (unsigned)links);
fail:
    cr_assign_aon_fini(a);
    return err ? err->code : CR_ENOMEM;
}

void
cr_assign_aon_fini(struct cr_assign_aon *a)
{
    if (!a)
        return;
    for (unsigned t = 0; a->sp && t < a->threads; t++)
        cr_assign_sp_fini(&a->sp[t]);
    for (unsigned t = 0; a->node_load && t < a->threads; t++)
        free(a->node_load[t]);
    for (unsigned k = 0; a->chunk_flow && k < CR_ASSIGN_AON_CHUNKS; k++)
        free(a->chunk_flow[k]);
    free(a->sp);
    free(a->node_load);
    free(a->chunk_flow);
    free(a->origins);
    memset(a, 0, sizeof *a);
}

/* One class's pass, shared by its threads. */
struct pass {
    struct cr_assign_aon *a;
    const struct cr_assign_class *c;
    const double *cost;
    int load;
    uint32_t origin_count;
    atomic_uint next_chunk;
    double sptt[CR_ASSIGN_AON_CHUNKS], demand[CR_ASSIGN_AON_CHUNKS],
        unassigned[CR_ASSIGN_AON_CHUNKS];
};

struct worker {
    struct pass *pass;
    unsigned thread;
};

/* The tree of one origin into chunk K's accumulators. */
static void
origin_load(struct pass *ps, unsigned thread, unsigned k, uint32_t o)
{
    const struct cr_assign_problem *p = ps->a->p;
    const struct cr_assign_class *c = ps->c;
    struct cr_assign_sp *sp = &ps->a->sp[thread];
    const double *row = c->demand + (size_t)o * p->zone_count;
    cr_assign_sp_run(sp, p, c, ps->cost, o);
    double sptt = 0.0, demand = 0.0, unassigned = 0.0;
    for (uint32_t d = 0; d < p->zone_count; d++) {
        if (row[d] <= 0.0 || d == o)
            continue;
        if (isinf(sp->dist[d])) {
            unassigned += row[d];
            continue;
        }
        sptt += row[d] * sp->dist[d];
        demand += row[d];
    }
    ps->sptt[k] += sptt;
    ps->demand[k] += demand;
    ps->unassigned[k] += unassigned;
    if (!ps->load)
        return;
    double *node_load = ps->a->node_load[thread], *flow = ps->a->chunk_flow[k];
    for (uint32_t i = 0; i < sp->settled; i++) {
        uint32_t v = sp->order[i];
        node_load[v] = v < p->zone_count && v != o ? row[v] : 0.0;
    }
    for (uint32_t i = sp->settled; i-- > 1;) {
        uint32_t v = sp->order[i];
        double x = node_load[v];
        if (x == 0.0)
            continue;
        uint32_t l = sp->pred[v];
        flow[l] += x;
        node_load[c->tail[l]] += x;
    }
}

static void *
worker_run(void *arg)
{
    struct worker *w = arg;
    struct pass *ps = w->pass;
    unsigned k;
    while ((k = atomic_fetch_add(&ps->next_chunk, 1)) < CR_ASSIGN_AON_CHUNKS) {
        if (ps->load)
            memset(ps->a->chunk_flow[k], 0, ps->c->link_count * sizeof(double));
        for (uint32_t i = k; i < ps->origin_count; i += CR_ASSIGN_AON_CHUNKS)
            origin_load(ps, w->thread, k, ps->a->origins[i]);
    }
    return NULL;
}

/* The origins of class C with demand into a->origins; their count. */
static uint32_t
origins_with_demand(struct cr_assign_aon *a, const struct cr_assign_class *c)
{
    uint32_t z = a->p->zone_count, n = 0;
    for (uint32_t o = 0; o < z; o++) {
        const double *row = c->demand + (size_t)o * z;
        for (uint32_t d = 0; d < z; d++)
            if (row[d] > 0.0 && d != o) {
                a->origins[n++] = o;
                break;
            }
    }
    return n;
}

static void
class_pass(struct pass *ps)
{
    struct cr_assign_aon *a = ps->a;
    struct worker w[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    unsigned started = 0;
    atomic_init(&ps->next_chunk, 0);
    for (unsigned t = 1; t < a->threads && ps->origin_count > CR_ASSIGN_AON_CHUNKS / 2; t++) {
        w[t] = (struct worker){ ps, t };
        if (pthread_create(&tid[started + 1], NULL, worker_run, &w[t]) != 0)
            break; /* fewer threads: the chunks still all get done */
        started++;
    }
    w[0] = (struct worker){ ps, 0 };
    worker_run(&w[0]);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
}

enum cr_status
cr_assign_aon_run(struct cr_assign_aon *a, double *const *cost, double *const *flow,
                  struct cr_assign_aon_totals *t, struct cr_error *err)
{
    (void)err;
    const struct cr_assign_problem *p = a->p;
    memset(t, 0, sizeof *t);
    for (size_t ci = 0; ci < p->class_count; ci++) {
        const struct cr_assign_class *c = &p->classes[ci];
        struct pass ps = { .a = a, .c = c, .cost = cost[ci], .load = flow != NULL };
        ps.origin_count = origins_with_demand(a, c);
        class_pass(&ps);
        for (unsigned k = 0; k < CR_ASSIGN_AON_CHUNKS; k++) {
            t->sptt += ps.sptt[k];
            t->demand += ps.demand[k];
            t->unassigned += ps.unassigned[k];
        }
        if (!flow)
            continue;
        double *x = flow[ci];
        memcpy(x, a->chunk_flow[0], c->link_count * sizeof *x);
        for (unsigned k = 1; k < CR_ASSIGN_AON_CHUNKS; k++) {
            const double *y = a->chunk_flow[k];
            for (uint32_t l = 0; l < c->link_count; l++)
                x[l] += y[l];
        }
    }
    return CR_OK;
}
