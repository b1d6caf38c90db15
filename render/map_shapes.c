/* The caller's in-memory layers (struct cr_map_shapes): polygons as WGS 84 rings, filled
 * even-odd so a hole stays open, or point symbols; one legend entry each. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/map_internal.h"

void
cr_map_shapes_extent(const struct cr_map_options *o, double e[4])
{
    for (size_t i = 0; i < o->shape_count; i++) {
        const struct cr_map_shapes *sh = &o->shapes[i];
        for (size_t k = 0; k < sh->point_count; k++) {
            double lon = sh->lonlat[2 * k], lat = sh->lonlat[2 * k + 1];
            if (!isfinite(lon) || !isfinite(lat))
                continue;
            e[0] = fmin(e[0], lon);
            e[1] = fmin(e[1], lat);
            e[2] = fmax(e[2], lon);
            e[3] = fmax(e[3], lat);
        }
    }
}

/* SH's points on the page into PTS[2 * point_count]; -1 out of memory. */
static int
to_page(struct map *m, const struct cr_map_shapes *sh, double *pts)
{
    PJ_COORD *c = malloc((sh->point_count ? sh->point_count : 1) * sizeof *c);

    if (!c)
        return -1;
    for (size_t k = 0; k < sh->point_count; k++)
        c[k] = proj_coord(sh->lonlat[2 * k], sh->lonlat[2 * k + 1], 0, 0);
    if (sh->point_count)
        proj_trans_array(m->from_wgs84, PJ_FWD, sh->point_count, c);
    for (size_t k = 0; k < sh->point_count; k++)
        cr_view_to_page(&m->v, c[k].xy.x, c[k].xy.y, &pts[2 * k], &pts[2 * k + 1]);
    free(c);
    return 0;
}

static void
set_stroke(struct map *m, const struct cr_map_shapes *sh)
{
    double dash[2] = { sh->dash_mm * m->mm, sh->dash_mm * m->mm / 2 };

    cairo_set_source_rgba(m->cr, sh->stroke.r, sh->stroke.g, sh->stroke.b, sh->stroke.a);
    cairo_set_line_width(m->cr, sh->width_mm * m->mm);
    cairo_set_line_join(m->cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_dash(m->cr, dash, sh->dash_mm > 0 ? 2 : 0, 0);
}

static void
draw_polygons(struct map *m, const struct cr_map_shapes *sh, const double *pts)
{
    cairo_t *cr = m->cr;
    size_t at = 0;

    cairo_save(cr);
    cairo_new_path(cr);
    for (size_t r = 0; r < sh->ring_count && at < sh->point_count; r++) {
        size_t n = sh->ring_size[r];
        if (n > sh->point_count - at)
            n = sh->point_count - at;
        for (size_t k = 0; k < n; k++) {
            double x = pts[2 * (at + k)], y = pts[2 * (at + k) + 1];
            if (!isfinite(x) || !isfinite(y))
                continue;
            if (k == 0)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
        }
        if (n)
            cairo_close_path(cr);
        at += n;
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_source_rgba(cr, sh->fill.r, sh->fill.g, sh->fill.b, sh->fill.a);
    cairo_fill_preserve(cr);
    if (sh->hatch) {
        cairo_save(cr);
        cairo_clip_preserve(cr);
        cr_choropleth_hatch(cr, 2.0 * m->mm, 0.15 * m->mm, sh->stroke);
        cairo_restore(cr);
    }
    set_stroke(m, sh);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void
draw_points(struct map *m, const struct cr_map_shapes *sh, const double *pts)
{
    double size = sh->width_mm * m->mm;

    for (size_t k = 0; k < sh->point_count; k++) {
        double x = pts[2 * k], y = pts[2 * k + 1];
        struct cr_label_box b = { x - size * 0.7, y - size * 0.7, x + size * 0.7, y + size * 0.7 };
        if (!isfinite(x) || !isfinite(y))
            continue;
        cr_legend_symbol(m->cr, "circle", x, y, size, sh->fill, sh->stroke);
        cr_label_set_add(&m->labels, &b, 1); /* names keep off the marks */
    }
}

static int
add_legend(struct map *m, const struct cr_map_shapes *sh)
{
    struct cr_legend_entry e = { 0 };

    if (!sh->label)
        return 0;
    snprintf(e.label, sizeof e.label, "%s", sh->label);
    e.fill = sh->fill;
    e.stroke = sh->stroke;
    if (sh->kind == CR_MAP_POINTS) {
        e.kind = CR_LEGEND_SYMBOL;
        snprintf(e.shape, sizeof e.shape, "circle");
        e.width_pt = sh->width_mm * m->mm;
    } else {
        e.kind = CR_LEGEND_FILL;
        e.width_pt = sh->width_mm * m->mm;
        e.hatch = sh->hatch;
        if (sh->dash_mm > 0) {
            e.dash_pt[0] = sh->dash_mm * m->mm;
            e.dash_pt[1] = sh->dash_mm * m->mm / 2;
            e.dash_count = 2;
        }
    }
    return cr_legend_add(&m->legend, &e);
}

enum cr_status
cr_map_draw_shapes(struct map *m)
{
    for (size_t i = 0; i < m->o->shape_count; i++) {
        const struct cr_map_shapes *sh = &m->o->shapes[i];
        double *pts = malloc((sh->point_count ? sh->point_count : 1) * 2 * sizeof *pts);
        if (!pts || to_page(m, sh, pts)) {
            free(pts);
            return cr_map_oom(m);
        }
        if (sh->kind == CR_MAP_POINTS)
            draw_points(m, sh, pts);
        else
            draw_polygons(m, sh, pts);
        free(pts);
        m->res->overlay_features += sh->kind == CR_MAP_POINTS ? sh->point_count : sh->ring_count;
        if (add_legend(m, sh))
            return cr_map_oom(m);
    }
    return CR_OK;
}
