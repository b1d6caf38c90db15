/* Congested skims of an assignment (planning/assign_skim.h). */
#include "planning/assign_skim.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "planning/assign_sp.h"

struct skim_job {
    const struct cr_assign_problem *p;
    const struct cr_assign_class *c;
    const double *cost, *length;
    double *time, *dist;
    unsigned first, step; /* origins first, first + step, ... */
    struct cr_assign_sp sp;
};

/* The path length to every node of the tree in SP's settling order (a node's predecessor link
 * starts at a node settled before it). */
static void
tree_lengths(const struct skim_job *j, double *node_len)
{
    const struct cr_assign_sp *sp = &j->sp;
    for (uint32_t k = 0; k < sp->settled; k++) {
        uint32_t v = sp->order[k], l = sp->pred[v];
        node_len[v] = l == UINT32_MAX ? 0.0 : node_len[j->c->tail[l]] + j->length[l];
    }
}

static void *
skim_worker(void *arg)
{
    struct skim_job *j = arg;
    uint32_t z = j->p->zone_count;
    double *node_len = j->length ? malloc((size_t)j->c->node_count * sizeof *node_len) : NULL;
    if (j->length && !node_len)
        return arg; /* reported by the caller: sp.node_count zeroed */
    for (uint32_t o = j->first; o < z; o += j->step) {
        cr_assign_sp_run(&j->sp, j->p, j->c, j->cost, o);
        if (node_len)
            tree_lengths(j, node_len);
        for (uint32_t d = 0; d < z; d++) {
            double t = d == o ? 0.0 : j->sp.dist[d];
            int reached = isfinite(t);
            j->time[(size_t)o * z + d] = reached ? t : NAN;
            if (j->dist)
                j->dist[(size_t)o * z + d] =
                    d == o ? 0.0 : (reached && node_len ? node_len[d] : NAN);
        }
    }
    free(node_len);
    return NULL;
}

enum cr_status
cr_assign_skim(const struct cr_assign_problem *p, size_t c, const double *cost,
               const double *length, unsigned threads, double *time, double *dist,
               struct cr_error *err)
{
    unsigned n = threads ? threads : 1;
    if (n > p->zone_count && p->zone_count > 0)
        n = p->zone_count;
    struct skim_job *jobs = calloc(n, sizeof *jobs);
    pthread_t *tid = calloc(n, sizeof *tid);
    enum cr_status st = CR_OK;
    unsigned made = 0, started = 0;
    if (!jobs || !tid) {
        st = cr_error_set(err, CR_ENOMEM, "assignment skims: out of memory");
        goto done;
    }
    for (; made < n; made++) {
        struct skim_job *j = &jobs[made];
        *j = (struct skim_job){ p, &p->classes[c], cost, length, time, dist, made, n, { 0 } };
        if ((st = cr_assign_sp_init(&j->sp, p->classes[c].node_count, err)))
            goto done;
    }
    for (; started < n; started++)
        if (pthread_create(&tid[started], NULL, skim_worker, &jobs[started]))
            break;
    if (started == 0) /* no thread at all: do it here */
        skim_worker(&jobs[0]);
    for (unsigned k = started ? started : 1; k < n; k++) /* threads that did not start */
        skim_worker(&jobs[k]);
    for (unsigned k = 0; k < started; k++) {
        void *ret = NULL;
        pthread_join(tid[k], &ret);
        if (ret)
            st = cr_error_set(err, CR_ENOMEM, "assignment skims: out of memory");
    }
done:
    for (unsigned k = 0; k < made; k++)
        cr_assign_sp_fini(&jobs[k].sp);
    free(jobs);
    free(tid);
    return st;
}

void
cr_assign_osm_link_lengths(const struct cr_assign_osm *a, size_t c, double *length)
{
    const struct cr_assign_class *k = &a->problem.classes[c];
    for (uint32_t l = 0; l < k->link_count; l++) {
        uint32_t r = k->resource[l];
        if (r == CR_ASSIGN_NO_RESOURCE) {
            length[l] = 0.0;
            continue;
        }
        double full = a->res_fft_s[c][r], len = a->res_length_m[r];
        /* an origin connector covers the part of its edge after the zone's point: its fft is
         * that part of the edge's free-flow time */
        int connector = k->tail[l] < a->problem.zone_count;
        length[l] = connector && full > 0.0 && isfinite(full) ? len * (k->fft[l] / full) : len;
    }
}
