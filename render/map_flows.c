/* The flow layer of a plan map (render/flowmap.h): lines by width and colour class, the widest
 * drawn last so they stay on top, each on the right of its direction of travel when offset, and
 * the legend: width samples in the width field's unit, then the colour classes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/map_internal.h"

/* The gap between the two directions of a road, in mm. */
#define FLOW_GAP_MM 0.15

void
cr_map_flows_extent(const struct map *m, double e[4])
{
    const struct cr_flowmap_layer *l = &m->flows;

    for (size_t k = 0; k < l->point_count; k++) {
        double lon = l->lonlat[2 * k], lat = l->lonlat[2 * k + 1];
        if (!isfinite(lon) || !isfinite(lat))
            continue;
        e[0] = fmin(e[0], lon);
        e[1] = fmin(e[1], lat);
        e[2] = fmax(e[2], lon);
        e[3] = fmax(e[3], lat);
    }
}

/* A line and the key it is drawn in order of: |value|, then its place in the file. */
struct by_flow {
    double key;
    size_t line;
};

static int
by_abs_value(const void *a, const void *b)
{
    const struct by_flow *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->line > y->line) - (x->line < y->line);
}

/* Every point of the layer on the page into XY; -1 out of memory. */
static int
points_to_page(struct map *m, double *xy)
{
    const struct cr_flowmap_layer *l = &m->flows;
    PJ_COORD *c = malloc((l->point_count ? l->point_count : 1) * sizeof *c);

    if (!c)
        return -1;
    for (size_t k = 0; k < l->point_count; k++)
        c[k] = proj_coord(l->lonlat[2 * k], l->lonlat[2 * k + 1], 0, 0);
    if (l->point_count)
        proj_trans_array(m->from_wgs84, PJ_FWD, l->point_count, c);
    for (size_t k = 0; k < l->point_count; k++) {
        if (isfinite(c[k].xy.x) && isfinite(c[k].xy.y))
            cr_view_to_page(&m->v, c[k].xy.x, c[k].xy.y, &xy[2 * k], &xy[2 * k + 1]);
        else
            xy[2 * k] = xy[2 * k + 1] = NAN;
    }
    free(c);
    return 0;
}

/* Whether the N points XY touch the frame (grown by PAD). */
static int
in_frame(const struct map *m, const double *xy, size_t n, double pad)
{
    const struct cr_rect *f = &m->v.frame;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;

    for (size_t i = 0; i < n; i++) {
        if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1]))
            return 0;
        x0 = fmin(x0, xy[2 * i]);
        x1 = fmax(x1, xy[2 * i]);
        y0 = fmin(y0, xy[2 * i + 1]);
        y1 = fmax(y1, xy[2 * i + 1]);
    }
    return x1 >= f->x - pad && x0 <= f->x + f->w + pad && y1 >= f->y - pad &&
           y0 <= f->y + f->h + pad;
}

/* Line I (page points XY of the whole layer) WIDTH points wide in COLOUR, offset when asked;
 * SCRATCH holds 4 x the line's points. */
static void
draw_line(struct map *m, size_t i, const double *xy, double width, struct cr_rgba colour,
          double *scratch)
{
    const struct cr_flowmap_layer *l = &m->flows;
    size_t n = l->n[i];
    const double *p = xy + 2 * l->first[i];
    cairo_t *cr = m->cr;

    if ((m->o->flows->offset || l->has_dir) && l->dir[i] != 0) {
        double *fwd = scratch, *out = scratch + 2 * n;
        for (size_t k = 0; k < n; k++) { /* in the direction of travel */
            size_t from = l->dir[i] > 0 ? k : n - 1 - k;
            fwd[2 * k] = p[2 * from];
            fwd[2 * k + 1] = p[2 * from + 1];
        }
        cr_flowmap_offset(fwd, n, width / 2 + FLOW_GAP_MM * m->mm / 2, out);
        p = out;
    }
    cairo_new_path(cr);
    cairo_move_to(cr, p[0], p[1]);
    for (size_t k = 1; k < n; k++)
        cairo_line_to(cr, p[2 * k], p[2 * k + 1]);
    cairo_set_source_rgba(cr, colour.r, colour.g, colour.b, colour.a);
    cairo_set_line_width(cr, width);
    cairo_stroke(cr);
}

/* The legend: width samples, then colour classes (all of them for v/c, the ones holding
 * lines otherwise). */
static void
add_legend(struct map *m, const struct cr_choropleth_classes *k, const size_t *per_class)
{
    const struct cr_flowmap *f = m->o->flows;
    const struct cr_flowmap_layer *l = &m->flows;
    const char *unit = f->unit ? f->unit : l->width_name;
    const char *cunit = f->colour_unit ? f->colour_unit : l->colour_name;
    double samples[CR_FLOW_MAX_SAMPLES];
    size_t n = cr_flowmap_samples(l->max_abs, samples);
    struct cr_rgba grey = { 0.35, 0.35, 0.35, 1 };

    for (size_t i = 0; i < n; i++) {
        struct cr_legend_entry e = { .kind = CR_LEGEND_BAND };
        e.stroke = f->colour == CR_FLOW_SINGLE ? k->fill[0] : grey;
        e.width_pt = cr_flowmap_width_mm(f, l->max_abs, samples[i]) * m->mm;
        snprintf(e.label, sizeof e.label, "%s%g %s", f->colour == CR_FLOW_DIVERGING ? "±" : "",
                 samples[i], unit);
        cr_legend_add(&m->legend, &e);
    }
    if (f->colour == CR_FLOW_SINGLE)
        return;
    for (size_t i = 0; i <= k->break_count; i++) {
        struct cr_legend_entry e = { .kind = CR_LEGEND_BAND, .width_pt = 1.6 * m->mm };
        char label[96];
        if (f->colour == CR_FLOW_DIVERGING && !per_class[i])
            continue;
        e.stroke = k->fill[i];
        cr_choropleth_label(k, i, NULL, label, sizeof label);
        snprintf(e.label, sizeof e.label, "%s %s", cunit, label);
        cr_legend_add(&m->legend, &e);
    }
    if (per_class[k->break_count + 1]) {
        struct cr_legend_entry e = { .kind = CR_LEGEND_BAND, .width_pt = 1.6 * m->mm };
        e.stroke = cr_choropleth_no_data;
        snprintf(e.label, sizeof e.label, "%s: no data", cunit);
        cr_legend_add(&m->legend, &e);
    }
}

enum cr_status
cr_map_draw_flows(struct map *m)
{
    const struct cr_flowmap *f = m->o->flows;
    const struct cr_flowmap_layer *l = &m->flows;
    struct cr_choropleth_classes k;
    size_t per_class[CR_CHOROPLETH_MAX_CLASSES + 1] = { 0 }, max_n = 0;
    struct by_flow *order = malloc((l->count ? l->count : 1) * sizeof *order);
    double *xy = malloc((l->point_count ? 2 * l->point_count : 1) * sizeof *xy), *scratch = NULL;
    enum cr_status st = CR_OK;

    for (size_t i = 0; i < l->count; i++)
        max_n = l->n[i] > max_n ? l->n[i] : max_n;
    scratch = malloc((max_n ? 4 * max_n : 1) * sizeof *scratch);
    if (!order || !xy || !scratch || points_to_page(m, xy)) {
        st = cr_map_oom(m);
        goto done;
    }
    if ((st = cr_flowmap_classify(f, l->colour_value, l->count, &k, m->err)))
        goto done;
    for (size_t i = 0; i < l->count; i++)
        order[i] = (struct by_flow){ fabs(l->value[i]), i };
    qsort(order, l->count, sizeof *order, by_abs_value);
    cairo_save(m->cr);
    cairo_set_line_cap(m->cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(m->cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t j = 0; j < l->count; j++) {
        size_t i = order[j].line, cls;
        double w = cr_flowmap_width_mm(f, l->max_abs, l->value[i]) * m->mm;
        if (w <= 0 || !in_frame(m, xy + 2 * l->first[i], l->n[i], w * 2))
            continue;
        cls = isfinite(l->colour_value[i]) ? cr_choropleth_class_of(&k, l->colour_value[i])
                                           : k.break_count + 1;
        per_class[cls]++;
        draw_line(m, i, xy, w, cls <= k.break_count ? k.fill[cls] : cr_choropleth_no_data, scratch);
        m->res->flow_lines++;
    }
    cairo_restore(m->cr);
    m->res->flow_max = l->max_abs;
    if (f->osm)
        m->osm_drawn = 1;
    add_legend(m, &k, per_class);
done:
    free(order);
    free(xy);
    free(scratch);
    return st;
}
