/*
 * cr_contract: the hierarchies of every profile and metric asked, built one after the other on
 * the network's turn graphs and written into the network file together (a temporary file
 * beside it, renamed over it), so a failure or a cancel leaves the file as it was.
 */
#include "routing/contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/graph.h"
#include "core/progress.h"
#include "routing/ch.h"
#include "routing/ch_store.h"
#include "routing/turngraph.h"

static const char *const default_profiles[] = { "car", "motorcycle", "truck" };
static const enum cr_metric default_metrics[] = { CR_METRIC_TIME, CR_METRIC_DISTANCE };

/* What the build's progress callback needs to report the whole run's. */
struct run {
    const struct cr_contract_options *o;
    size_t index, count;
};

static int
build_progress(void *user, double done)
{
    const struct run *run = user;

    return run->o->progress(run->o->user, ((double)run->index + done) / (double)run->count);
}

/* One hierarchy: the turn graph of P and M, contracted; ENTRY gets it (caller frees ->ch). */
static enum cr_status
build_one(const struct cr_graph_view *v, const struct cr_profile *p, enum cr_metric m,
          struct run *run, struct cr_ch_entry *entry, struct cr_error *err)
{
    const struct cr_contract_options *o = run->o;
    struct cr_contract_step step = { p->name, cr_metric_name(m), run->index, run->count, 0, 0, 0 };
    struct cr_turngraph *tg = cr_turngraph_build(v, p, m, err);
    struct cr_ch *ch;
    double t0 = cr_now();

    if (!tg)
        return err ? err->code : CR_ENOMEM;
    step.nodes = tg->g.node_count;
    step.arcs = tg->g.arc_count;
    if (o->step)
        o->step(o->user, &step, 0);
    ch = cr_ch_build(&tg->g, o->progress ? build_progress : NULL, run, err);
    step.seconds = cr_now() - t0;
    if (!ch) {
        cr_turngraph_destroy(tg);
        return err ? err->code : CR_ENOMEM;
    }
    if (o->step)
        o->step(o->user, &step, 1);
    *entry = (struct cr_ch_entry){ p->name, cr_metric_name(m), cr_wgraph_crc(&tg->g), ch };
    cr_turngraph_destroy(tg);
    return CR_OK;
}

enum cr_status
cr_contract_profiles(const char *path, const struct cr_profile *profiles, size_t np,
                     const enum cr_metric *metrics, size_t nm,
                     const struct cr_contract_options *opts, struct cr_error *err)
{
    struct cr_contract_options o = opts ? *opts : CR_CONTRACT_OPTIONS_DEFAULT;
    struct run run = { &o, 0, np * nm };
    struct cr_ch_entry *entries = calloc(np * nm + 1, sizeof *entries);
    struct cr_graph *g = NULL;
    enum cr_status st = CR_OK;
    size_t n = 0;

    if (!entries)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
    for (size_t j = 0; j < nm; j++)
        if ((unsigned)metrics[j] >= CR_METRIC_COUNT) {
            st = cr_error_set(err, CR_EINVAL, "metric %d: want time, distance, cost or co2",
                              (int)metrics[j]);
            goto done;
        }
    if (!(g = cr_graph_open(path, err))) {
        st = err ? err->code : CR_EIO;
        goto done;
    }
    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j < nm; j++, n++) {
            run.index = n;
            if ((st =
                     build_one(cr_graph_view(g), &profiles[i], metrics[j], &run, &entries[n], err)))
                goto done;
        }
    st = cr_ch_store_save(path, entries, n, err);
done:
    for (size_t k = 0; k < n; k++)
        cr_ch_destroy((struct cr_ch *)entries[k].ch);
    cr_graph_close(g);
    free(entries);
    return st;
}

enum cr_status
cr_contract(const char *path, const struct cr_contract_options *opts, struct cr_error *err)
{
    struct cr_contract_options o = opts ? *opts : CR_CONTRACT_OPTIONS_DEFAULT;
    const char *const *names = o.profiles ? o.profiles : default_profiles;
    size_t np = o.profiles ? o.profile_count : 3;
    const enum cr_metric *metrics = o.metrics ? o.metrics : default_metrics;
    size_t nm = o.metrics ? o.metric_count : 2;
    struct cr_profile *profiles = calloc(np + 1, sizeof *profiles);
    enum cr_status st = CR_OK;

    if (!profiles)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
    if (np == 0 || nm == 0) {
        st = cr_error_set(err, CR_EINVAL, "%s: nothing to contract", path);
        goto done;
    }
    for (size_t i = 0; i < np && st == CR_OK; i++) {
        if ((st = cr_profile_load(names[i], NULL, &profiles[i], err)))
            goto done;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(profiles[k].name, profiles[i].name)) { /* one hierarchy per name */
                st = cr_error_set(err, CR_EINVAL, "profiles \"%s\" and \"%s\" are both profile %s",
                                  names[k], names[i], profiles[i].name);
                goto done;
            }
    }
    for (size_t j = 0; j < nm; j++)
        for (size_t k = 0; k < j; k++)
            if (metrics[k] == metrics[j]) {
                st = cr_error_set(err, CR_EINVAL, "metric %s given twice",
                                  cr_metric_name(metrics[j]));
                goto done;
            }
    st = cr_contract_profiles(path, profiles, np, metrics, nm, &o, err);
done:
    free(profiles);
    return st;
}
