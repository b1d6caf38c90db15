/*
 * One many-to-many table for every caller (routing/table.h): snap each point once, compute the
 * weights between the points that snapped (buckets on a hierarchy, all rows at once; with
 * Dijkstra one search per row, reporting progress between rows), with, when asked, each
 * reachable cell's measures summed along the same searches (routing/route_matrix.c: no path
 * unpacked per cell), and give every cell its status.
 */
#include "routing/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NO_MEASURES ((struct cr_measures){ NAN, NAN, NAN, NAN })

void
cr_table_destroy(struct cr_table *t)
{
    if (!t)
        return;
    for (size_t k = 0; t->error && k < t->n; k++)
        free(t->error[k]);
    free(t->error);
    free(t->src);
    free(t->dst);
    free(t->places);
    free(t->snapped);
    free(t->status);
    free(t->weight);
    free(t->measures);
    free(t);
}

/* The table's arrays, rows and columns; cells start as "no value". */
static enum cr_status
table_alloc(struct cr_table *t, size_t n, const size_t *sources, size_t ns, const size_t *targets,
            size_t nt, enum cr_table_fill fill, struct cr_error *err)
{
    size_t cells;

    t->n = n;
    t->ns = sources ? ns : n;
    t->nt = targets ? nt : n;
    if (t->nt && t->ns > SIZE_MAX / sizeof(struct cr_measures) / t->nt)
        return cr_error_set(err, CR_ENOMEM, "a table of %zu x %zu is too large", t->ns, t->nt);
    cells = t->ns * t->nt;
    t->src = malloc((t->ns + 1) * sizeof *t->src);
    t->dst = malloc((t->nt + 1) * sizeof *t->dst);
    t->places = calloc(n + 1, sizeof *t->places);
    t->snapped = calloc(n + 1, 1);
    t->error = calloc(n + 1, sizeof *t->error);
    t->status = malloc(cells + 1);
    t->weight = malloc((cells + 1) * sizeof *t->weight);
    t->measures = fill == CR_TABLE_MEASURES ? malloc((cells + 1) * sizeof *t->measures) : NULL;
    if (!t->src || !t->dst || !t->places || !t->snapped || !t->error || !t->status || !t->weight ||
        (fill == CR_TABLE_MEASURES && !t->measures))
        return cr_error_set(err, CR_ENOMEM, "out of memory for a %zu x %zu table", t->ns, t->nt);
    for (size_t i = 0; i < t->ns; i++) {
        t->src[i] = sources ? sources[i] : i;
        if (t->src[i] >= n)
            return cr_error_set(err, CR_EINVAL, "table: source %zu is point %zu of %zu", i,
                                t->src[i], n);
    }
    for (size_t j = 0; j < t->nt; j++) {
        t->dst[j] = targets ? targets[j] : j;
        if (t->dst[j] >= n)
            return cr_error_set(err, CR_EINVAL, "table: target %zu is point %zu of %zu", j,
                                t->dst[j], n);
    }
    for (size_t c = 0; c < cells; c++) {
        t->weight[c] = UINT64_MAX;
        if (t->measures)
            t->measures[c] = NO_MEASURES;
    }
    return CR_OK;
}

/* Places every point; one that does not snap keeps its reason. */
static enum cr_status
snap_points(const struct cr_engine *e, struct cr_table *t, const int32_t *lon_e7,
            const int32_t *lat_e7, const struct cr_place_opts *opts, struct cr_error *err)
{
    for (size_t k = 0; k < t->n; k++) {
        struct cr_error perr = { 0 };
        enum cr_status st = cr_engine_place_opts(e, lon_e7[k], lat_e7[k], opts ? &opts[k] : NULL,
                                                 &t->places[k], &perr);
        if (st == CR_ENOMEM)
            return cr_error_set(err, st, "%s", perr.msg);
        t->snapped[k] = st == CR_OK;
        if (st != CR_OK && !(t->error[k] = strdup(perr.msg)))
            return cr_error_set(err, CR_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->ns; i++)
        for (size_t j = 0; j < t->nt; j++)
            t->status[i * t->nt + j] = !t->snapped[t->src[i]]   ? CR_CELL_SOURCE_NOT_SNAPPED
                                       : !t->snapped[t->dst[j]] ? CR_CELL_TARGET_NOT_SNAPPED
                                                                : CR_CELL_OK;
    return CR_OK;
}

/* The rows and columns whose points snapped, compacted. */
struct compact {
    size_t *row, *col; /* compact index -> table row, column */
    size_t ns, nt;
    struct cr_place *sp, *tp;
    uint64_t *w; /* [ns * nt]: t->weight itself when nothing was left out */
    double *m;   /* [4 * ns * nt] with measures: t->measures itself when nothing was left out */
};

static void
compact_fini(struct compact *c, const struct cr_table *t)
{
    free(c->row);
    free(c->col);
    free(c->sp);
    free(c->tp);
    if (c->w != t->weight)
        free(c->w);
    if (c->m != (double *)t->measures)
        free(c->m);
}

static enum cr_status
compact_init(struct compact *c, const struct cr_table *t, struct cr_error *err)
{
    memset(c, 0, sizeof *c);
    c->row = malloc((t->ns + 1) * sizeof *c->row);
    c->col = malloc((t->nt + 1) * sizeof *c->col);
    c->sp = malloc((t->ns + 1) * sizeof *c->sp);
    c->tp = malloc((t->nt + 1) * sizeof *c->tp);
    if (!c->row || !c->col || !c->sp || !c->tp)
        return cr_error_set(err, CR_ENOMEM, "out of memory for a %zu x %zu table", t->ns, t->nt);
    for (size_t i = 0; i < t->ns; i++)
        if (t->snapped[t->src[i]]) {
            c->row[c->ns] = i;
            c->sp[c->ns++] = t->places[t->src[i]];
        }
    for (size_t j = 0; j < t->nt; j++)
        if (t->snapped[t->dst[j]]) {
            c->col[c->nt] = j;
            c->tp[c->nt++] = t->places[t->dst[j]];
        }
    if (c->ns == t->ns && c->nt == t->nt) {
        c->w = t->weight;
        c->m = (double *)t->measures;
    } else if (!(c->w = malloc((c->ns * c->nt + 1) * sizeof *c->w)) ||
               (t->measures && !(c->m = malloc((c->ns * c->nt + 1) * sizeof *t->measures))))
        return cr_error_set(err, CR_ENOMEM, "out of memory for a %zu x %zu table", c->ns, c->nt);
    for (size_t k = 0; c->m && c->m != (double *)t->measures && k < c->ns * c->nt * 4; k++)
        c->m[k] = NAN;
    return CR_OK;
}

/* The weights (and measures) between the snapped points, then each cell's status. */
static enum cr_status
fill_cells(struct cr_router *r, struct cr_table *t, const struct cr_table_options *o,
           struct cr_error *err)
{
    struct compact c;
    enum cr_status st;
    /* with a CH all rows at once (buckets); with Dijkstra (one search per source anyway), and
     * with conditional restrictions (one search per cell), row by row, so a caller may stop a
     * table that takes too long */
    size_t step = cr_router_engine(r)->ch && !cr_router_conditional(r) ? 0 : 1;

    if ((st = compact_init(&c, t, err)))
        goto done;
    for (size_t i = 0, rows; i < c.ns; i += rows) {
        rows = step && step < c.ns - i ? step : c.ns - i;
        if ((st = cr_router_matrix_measures(r, c.sp + i, rows, c.tp, c.nt, c.w + i * c.nt,
                                            c.m ? c.m + i * c.nt * 4 : NULL, o->threads, err)))
            goto done;
        if (i + rows < c.ns && o->progress &&
            o->progress(o->progress_user, (double)(i + rows) / (double)c.ns)) {
            st = cr_error_set(err, CR_ECANCELLED, "table: stopped after %zu of %zu rows", i + rows,
                              c.ns);
            goto done;
        }
    }
    for (size_t i = 0; i < c.ns; i++)
        for (size_t j = 0; j < c.nt; j++) {
            size_t at = c.row[i] * t->nt + c.col[j];
            uint64_t w = c.w[i * c.nt + j];
            t->weight[at] = w;
            if (c.m && c.m != (double *)t->measures)
                memcpy(&t->measures[at], c.m + (i * c.nt + j) * 4, sizeof *t->measures);
            if (w == UINT64_MAX)
                t->status[at] = CR_CELL_UNREACHABLE;
        }
done:
    compact_fini(&c, t);
    return st;
}

enum cr_status
cr_table_compute(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7, size_t n,
                 const size_t *sources, size_t ns, const size_t *targets, size_t nt,
                 const struct cr_table_options *opts, struct cr_table **out, struct cr_error *err)
{
    struct cr_table_options o = opts ? *opts : CR_TABLE_OPTIONS_DEFAULT;
    struct cr_table *t = calloc(1, sizeof *t);
    enum cr_status st;

    *out = NULL;
    if (!t)
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    if ((unsigned)o.fill > CR_TABLE_MEASURES) {
        st = cr_error_set(err, CR_EINVAL, "table: fill %d: want weight or measures", (int)o.fill);
        goto fail;
    }
    if ((st = table_alloc(t, n, sources, ns, targets, nt, o.fill, err)) ||
        (st = snap_points(cr_router_engine(r), t, lon_e7, lat_e7, o.place, err)) ||
        (st = fill_cells(r, t, &o, err)))
        goto fail;
    *out = t;
    return CR_OK;
fail:
    cr_table_destroy(t);
    return st;
}

size_t
cr_table_source_count(const struct cr_table *t)
{
    return t->ns;
}

size_t
cr_table_target_count(const struct cr_table *t)
{
    return t->nt;
}

enum cr_cell_status
cr_table_status(const struct cr_table *t, size_t i, size_t j)
{
    return (enum cr_cell_status)t->status[i * t->nt + j];
}

uint64_t
cr_table_weight(const struct cr_table *t, size_t i, size_t j)
{
    return t->status[i * t->nt + j] == CR_CELL_OK ? t->weight[i * t->nt + j] : UINT64_MAX;
}

void
cr_table_measures(const struct cr_table *t, size_t i, size_t j, struct cr_measures *out)
{
    *out = t->measures && t->status[i * t->nt + j] == CR_CELL_OK ? t->measures[i * t->nt + j]
                                                                 : NO_MEASURES;
}

int
cr_table_point(const struct cr_table *t, size_t k, struct cr_waypoint *out)
{
    const struct cr_place *p = &t->places[k];

    if (out)
        *out = (struct cr_waypoint){ p->lon_e7, p->lat_e7, p->snap.lon_e7, p->snap.lat_e7,
                                     t->snapped[k] ? p->snap.distance_m : NAN };
    return t->snapped[k];
}

const char *
cr_table_point_error(const struct cr_table *t, size_t k)
{
    return t->error[k];
}

const struct cr_place *
cr_table_place(const struct cr_table *t, size_t k)
{
    return &t->places[k];
}
