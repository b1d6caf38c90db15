/* corridor compare --assign: assignments before and after, compared (cli/compare_assign.h). */
#include "cli/compare_assign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/assign_run.h"
#include "cli/cli.h"
#include "cli/cli_map.h"
#include "corridor/network.h"
#include "planning/assign_compare.h"
#include "planning/assign_write.h"

struct side {
    struct cr_graph *g;
    struct cr_assign_osm osm;
    struct cr_assign_result res;
    int solved;
};

static void
side_close(struct side *s)
{
    if (s->solved) {
        cr_assign_result_fini(&s->res, s->osm.problem.class_count);
        cr_assign_osm_fini(&s->osm);
    }
    if (s->g)
        cr_graph_close(s->g);
}

/* Opens PATH and solves the assignment on it: 0 or the exit code. */
static int
side_run(const struct cli_compare_assign *o, const struct cr_zones *z, const char *path,
         struct side *s)
{
    struct cr_error err = { 0 };
    int rc;

    if (!(s->g = cr_graph_open(path, &err)))
        return cli_fail("compare", &err);
    if ((rc = cli_assign_osm_run("compare", s->g, z, o->demand, o->classes, o->class_count, NULL,
                                 &o->ao, 0, &s->osm, &s->res)))
        return rc;
    s->solved = 1;
    return 0;
}

static void
print_totals(const struct cli_compare_assign *o, const struct side *b, const struct side *a,
             const struct cr_assign_compare *c)
{
    const struct cr_assign_totals *tb = &c->before, *ta = &c->after;

    printf("assignment (%s): relative gap %.3g before (%u iterations), %.3g after (%u "
           "iterations)\n",
           cr_assign_algorithm_name(o->ao.algorithm), b->res.rgap, b->res.iterations, a->res.rgap,
           a->res.iterations);
    printf("%-16s %14s %14s %14s %12s %12s %12s\n", "class", "VKT before", "VKT after",
           "VKT change", "VHT before", "VHT after", "VHT change");
    for (size_t k = 0; k <= tb->class_count; k++) {
        int all = k == tb->class_count;
        double vb = all ? tb->vkt_total : tb->vkt[k], va = all ? ta->vkt_total : ta->vkt[k];
        double hb = all ? tb->vht_total : tb->vht[k], ha = all ? ta->vht_total : ta->vht[k];
        if (all && tb->class_count == 1)
            break;
        printf("%-16s %14.1f %14.1f %+14.1f %12.2f %12.2f %+12.2f\n", all ? "total" : tb->name[k],
               vb, va, va - vb, hb, ha, ha - hb);
    }
    printf("edges: %zu same (%zu split by the scenario), %zu new, %zu closed\n", c->same, c->split,
           c->added, c->closed);
}

/* A temporary .gpkg path for the map when there is no --flows-out: 0 or -1. */
static int
temp_gpkg(char *buf, size_t size)
{
    const char *dir = getenv("TMPDIR");
    int fd;

    snprintf(buf, size, "%s/corridor-compare-XXXXXX.gpkg", dir && *dir ? dir : "/tmp");
    if ((fd = mkstemps(buf, 5)) < 0)
        return -1;
    close(fd);
    unlink(buf); /* GDAL creates it */
    return 0;
}

/* The change written to --flows-out and drawn to --map: 0 or the exit code. */
static int
write_change(const struct cli_compare_assign *o, const struct side *b, const struct side *a,
             const struct cr_assign_compare *c)
{
    struct cr_error err = { 0 };
    char tmp[4096], title[512], subtitle[512];
    const char *path = o->flows_out;
    char *name;
    int rc = 0;

    if (!path && !o->map)
        return 0;
    if (!path && temp_gpkg(tmp, sizeof tmp))
        return fprintf(stderr, "corridor compare: cannot make a temporary file\n"), CLI_EXIT_INPUT;
    if (cr_assign_compare_write(&b->osm, &a->osm, c, path ? path : tmp, &err))
        return cli_fail("compare", &err);
    if (o->map) {
        name = cli_map_network_name(cr_graph_view(a->g));
        snprintf(title, sizeof title, "%s",
                 o->title ? o->title
                 : name   ? name
                          : cli_map_base_name(o->scenario));
        snprintf(subtitle, sizeof subtitle, "Change in assigned volume (PCE/h, %s): %s against %s",
                 cr_assign_algorithm_name(o->ao.algorithm), cli_map_base_name(o->scenario),
                 cli_map_base_name(o->base));
        free(name);
        if (cli_map_flows(cr_graph_view(a->g), path ? path : tmp, "d_flow_pce", 1, title, subtitle,
                          o->map, &err))
            rc = cli_fail("compare", &err);
    }
    if (!path)
        unlink(tmp);
    return rc;
}

int
cli_compare_assign_run(const struct cli_compare_assign *o, const struct cr_zones *z)
{
    struct side b = { 0 }, a = { 0 };
    struct cr_assign_compare c = { 0 };
    struct cr_error err = { 0 };
    int rc;

    if (!(rc = side_run(o, z, o->base, &b)) && !(rc = side_run(o, z, o->scenario, &a))) {
        if (cr_assign_compare(&b.osm, &b.res, &a.osm, &a.res, &c, &err))
            rc = cli_fail("compare", &err);
        else if (!(rc = write_change(o, &b, &a, &c)))
            print_totals(o, &b, &a, &c);
    }
    cr_assign_compare_fini(&c);
    side_close(&a);
    side_close(&b);
    return rc;
}
