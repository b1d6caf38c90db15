/* An OSM network's assignment from the command line's options (cli/assign_run.h). */
#include "cli/assign_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "importers/demand/demand.h"
#include "planning/compare.h"

#define ID_SIZE 256
#define PROGRESS_EVERY 10

struct progress {
    int tty;
    unsigned printed; /* the iteration last printed */
    struct cr_assign_iteration last;
};

static void
progress_print(struct progress *p, const struct cr_assign_iteration *it)
{
    fprintf(stderr, "%siteration %u  relative gap %.3e  AEC %.4g%s", p->tty ? "\r" : "",
            it->iteration, it->rgap, it->aec, p->tty ? "   " : "\n");
    fflush(stderr);
    p->printed = it->iteration;
}

static int
progress_cb(const struct cr_assign_iteration *it, void *user)
{
    struct progress *p = user;

    p->last = *it;
    if (p->tty || it->iteration % PROGRESS_EVERY == 0 || it->iteration == 1)
        progress_print(p, it);
    return 0;
}

/* The last iteration's line when it was not printed, and the terminal's line ended. */
static void
progress_end(struct progress *p)
{
    if (p->last.iteration && p->printed != p->last.iteration)
        progress_print(p, &p->last);
    if (p->tty && p->printed)
        fputc('\n', stderr);
}

static void
free_ids(char **ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
}

/* The zones' ids as cr_compare_zone_id gives them, or NULL when out of memory. */
static char **
zone_ids(const struct cr_zones *z)
{
    char **ids = calloc(z->count ? z->count : 1, sizeof *ids);

    for (size_t i = 0; ids && i < z->count; i++) {
        char id[ID_SIZE];
        cr_compare_zone_id(z, i, id, sizeof id);
        if (!(ids[i] = strdup(id))) {
            free_ids(ids, z->count);
            return NULL;
        }
    }
    return ids;
}

/* The demand of PATH into the classes of A (by their names). */
static enum cr_status
load_demand(struct cr_assign_osm *a, const struct cr_zones *z, const char *path,
            struct cr_error *err)
{
    struct cr_assign_problem *p = &a->problem;
    struct cr_demand d[CR_ASSIGN_OSM_MAX_CLASSES];
    const char *names[CR_ASSIGN_OSM_MAX_CLASSES];
    char **ids = zone_ids(z);
    size_t zz = (size_t)p->zone_count * p->zone_count;
    enum cr_status st;

    if (!ids)
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    memset(d, 0, sizeof d);
    for (size_t c = 0; c < p->class_count; c++)
        names[c] = p->classes[c].name;
    st = cr_demand_load_file(path, (const char *const *)ids, z->count, names, p->class_count, d,
                             err);
    free_ids(ids, z->count);
    if (st)
        return st;
    for (size_t c = 0; c < p->class_count; c++) {
        if (zz)
            memcpy(p->classes[c].demand, d[c].trips, zz * sizeof(double));
        cr_demand_fini(&d[c]);
    }
    return CR_OK;
}

/* Zones some class could not place, and the trips they hold. */
static void
warn_placement(const char *cmd, const struct cr_assign_osm *a)
{
    const struct cr_assign_problem *p = &a->problem;

    for (size_t c = 0; c < p->class_count; c++) {
        const struct cr_assign_class *k = &p->classes[c];
        if (a->placed[c] < p->zone_count)
            fprintf(stderr,
                    "corridor %s: warning: class %s: %zu of %u zones are out of reach of any "
                    "road it may use: their trips are not assigned\n",
                    cmd, k->name, (size_t)p->zone_count - a->placed[c], p->zone_count);
    }
}

int
cli_assign_solve(const char *cmd, const struct cr_assign_problem *p,
                 const struct cr_assign_options *ao, int quiet, struct cr_assign_result *res_out)
{
    struct cr_assign_options o = *ao;
    struct progress pr = { .tty = isatty(STDERR_FILENO) };
    struct cr_error err = { 0 };

    if (!quiet) {
        o.progress = progress_cb;
        o.user = &pr;
    } else {
        o.progress = NULL;
        o.user = NULL;
    }
    if (cr_assign_run(p, &o, res_out, &err)) {
        progress_end(&pr);
        cr_assign_result_fini(res_out, p->class_count);
        return cli_fail(cmd, &err);
    }
    progress_end(&pr);
    if (res_out->unassigned > 0)
        fprintf(stderr,
                "corridor %s: warning: %.6g trips have no path between their zones and are not "
                "assigned\n",
                cmd, res_out->unassigned);
    return 0;
}

int
cli_assign_osm_run(const char *cmd, const struct cr_graph *g, const struct cr_zones *z,
                   const char *demand_path, const char *const *class_specs, size_t n,
                   const struct cr_assign_osm_options *oo, const struct cr_assign_options *ao,
                   int quiet, struct cr_assign_osm *osm_out, struct cr_assign_result *res_out)
{
    struct cr_profile prof[CR_ASSIGN_OSM_MAX_CLASSES];
    struct cr_error err = { 0 };
    int rc;

    memset(osm_out, 0, sizeof *osm_out);
    memset(res_out, 0, sizeof *res_out);
    if (n == 0 || n > CR_ASSIGN_OSM_MAX_CLASSES)
        return cli_usage_error(cmd, "want 1 to %d classes", CR_ASSIGN_OSM_MAX_CLASSES);
    for (size_t c = 0; c < n; c++)
        if (cr_assign_class_parse(class_specs[c], NULL, &prof[c], &err)) {
            fprintf(stderr, "corridor %s: %s\n", cmd, err.msg);
            return CLI_EXIT_USAGE;
        }
    if (cr_assign_osm_build(g, z, prof, n, oo, osm_out, &err))
        return cli_fail(cmd, &err);
    if (load_demand(osm_out, z, demand_path, &err)) {
        cr_assign_osm_fini(osm_out);
        return cli_fail(cmd, &err);
    }
    warn_placement(cmd, osm_out);
    if ((rc = cli_assign_solve(cmd, &osm_out->problem, ao, quiet, res_out)))
        cr_assign_osm_fini(osm_out);
    return rc;
}
