/*
 * Assignment results per network edge: GeoPackage or CSV, and VKT / VHT (planning/assign_write.h).
 */
#include "planning/assign_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planning/assign_table.h"

#define FIXED_COLUMNS 11
#define MAX_COLUMNS (FIXED_COLUMNS + 3 * CR_ASSIGN_OSM_MAX_CLASSES)

/* Per class and resource flows (vehicles), [class][res.count]. */
struct flows {
    double *v[CR_ASSIGN_OSM_MAX_CLASSES];
};

static void
flows_fini(struct flows *f)
{
    for (size_t c = 0; c < CR_ASSIGN_OSM_MAX_CLASSES; c++)
        free(f->v[c]);
}

static enum cr_status
flows_make(const struct cr_assign_osm *a, const struct cr_assign_result *r, struct flows *f,
           struct cr_error *err)
{
    const struct cr_assign_problem *p = &a->problem;

    memset(f, 0, sizeof *f);
    for (size_t c = 0; c < p->class_count; c++) {
        const struct cr_assign_class *k = &p->classes[c];
        if (!(f->v[c] = calloc((size_t)p->res.count + 1, sizeof(double)))) {
            flows_fini(f);
            return cr_error_set(err, CR_ENOMEM, "out of memory");
        }
        for (uint32_t l = 0; l < k->link_count; l++)
            if (k->resource[l] != CR_ASSIGN_NO_RESOURCE)
                f->v[c][k->resource[l]] += r->flow[c][l];
    }
    return CR_OK;
}

void
cr_assign_osm_totals(const struct cr_assign_osm *a, const struct cr_assign_result *r,
                     struct cr_assign_totals *t)
{
    const struct cr_assign_problem *p = &a->problem;

    memset(t, 0, sizeof *t);
    t->class_count = p->class_count;
    for (size_t c = 0; c < p->class_count; c++) {
        const struct cr_assign_class *k = &p->classes[c];
        snprintf(t->name[c], sizeof t->name[c], "%s", k->name);
        for (uint32_t l = 0; l < k->link_count; l++) {
            uint32_t res = k->resource[l];
            double x = r->flow[c][l], cost = k->fft[l] + k->fixed[l], share;
            if (x == 0)
                continue;
            if (res != CR_ASSIGN_NO_RESOURCE) {
                double full = a->res_fft_s[c][res];
                cost = k->fft[l] * cr_vdf_factor(&p->res, res, r->volume[res]) + k->fixed[l];
                share = full > 0 ? k->fft[l] / full : 1;
                t->vkt[c] += x * a->res_length_m[res] * (share > 1 ? 1 : share) / 1000;
            }
            t->vht[c] += x * cost / 3600;
        }
        t->vkt_total += t->vkt[c];
        t->vht_total += t->vht[c];
    }
}

/* ---- the table (planning/assign_table.h) -------------------------------------------------- */

struct writing {
    const struct cr_assign_osm *a;
    const struct cr_assign_result *r;
    const struct flows *f;
};

/* Resource RES's row: the fixed columns, then flow_, fft_s_ and time_s_ per class. */
static void
write_row(void *user, size_t i, struct cr_assign_cell *cells, const struct cr_graph_view **view,
          uint32_t *edge)
{
    const struct writing *wr = user;
    const struct cr_assign_osm *a = wr->a;
    const struct cr_assign_resources *rs = &a->problem.res;
    uint32_t res = (uint32_t)i, e = a->res_edge[res];
    double vol = wr->r->volume[res];
    struct cr_assign_edge_way way;
    size_t k = 0;

    cr_assign_edge_way_of(a->view, e, &way);
    *view = a->view;
    *edge = e;
    cells[k++].i = e;
    cells[k].null = a->res_base_edge[res] == CR_ASSIGN_OSM_NO_BASE;
    cells[k++].i = a->res_base_edge[res];
    cells[k++].i = way.osm_way;
    cells[k++].s = way.name;
    cells[k++].s = way.road_class;
    cells[k++].d = a->res_length_m[res];
    cells[k++].d = way.road ? a->res_lanes[res] : NAN;
    cells[k++].d = way.road ? rs->capacity[res] : NAN;
    cells[k++].d = vol;
    cells[k++].d = way.road ? vol / rs->capacity[res] : NAN;
    cells[k++].i =
        1; /* the line runs in the direction of travel (flow maps draw it on its right) */
    for (size_t c = 0; c < a->problem.class_count; c++) {
        double fft = a->res_fft_s[c][res];
        cells[k++].d = wr->f->v[c][res];
        cells[k++].d = fft;
        cells[k++].d = isnan(fft) ? NAN : fft * cr_vdf_factor(rs, res, vol);
    }
}

/* Column names and types: the fixed ones, then flow_, fft_s_ and time_s_ per class (into BUF). */
static size_t
columns(const struct cr_assign_osm *a, char buf[][48], const char **names,
        enum cr_assign_cell_type *types)
{
    static const char *const fixed[FIXED_COLUMNS] = { "edge",  "base_edge",  "osm_way",
                                                      "name",  "road_class", "length_m",
                                                      "lanes", "capacity",   "flow_pce",
                                                      "voc",   "dir" };
    size_t n = 0;

    for (size_t i = 0; i < FIXED_COLUMNS; i++) {
        types[n] = i < 3 || i == FIXED_COLUMNS - 1 ? CR_CELL_INT
                   : i < 5                         ? CR_CELL_TEXT
                                                   : CR_CELL_REAL;
        names[n++] = fixed[i];
    }
    for (size_t c = 0; c < a->problem.class_count; c++) {
        const char *k = a->problem.classes[c].name;
        snprintf(buf[3 * c], 48, "flow_%s", k);
        snprintf(buf[3 * c + 1], 48, "fft_s_%s", k);
        snprintf(buf[3 * c + 2], 48, "time_s_%s", k);
        for (size_t j = 0; j < 3; j++) {
            types[n] = CR_CELL_REAL;
            names[n++] = buf[3 * c + j];
        }
    }
    return n;
}

enum cr_status
cr_assign_osm_write(const struct cr_assign_osm *a, const struct cr_assign_result *r,
                    const char *path, struct cr_assign_totals *t, struct cr_error *err)
{
    char buf[3 * CR_ASSIGN_OSM_MAX_CLASSES][48];
    const char *names[MAX_COLUMNS];
    enum cr_assign_cell_type types[MAX_COLUMNS];
    struct flows fl;
    struct writing wr = { a, r, &fl };
    size_t n;
    enum cr_status st;

    if (!cr_assign_table_kind(path))
        return cr_error_set(err, CR_EINVAL, "%s: want a .gpkg or .csv file", path);
    if ((st = flows_make(a, r, &fl, err)))
        return st;
    n = columns(a, buf, names, types);
    st = cr_assign_table_write(path, "flows", names, types, n, a->problem.res.count, write_row, &wr,
                               err);
    flows_fini(&fl);
    if (st == CR_OK && t)
        cr_assign_osm_totals(a, r, t);
    return st;
}
