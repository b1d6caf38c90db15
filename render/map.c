/* Plan-map composition: layers bottom to top, labels, page furniture; the steps live in
 * map_view.c, map_zones.c, map_network.c, map_labels.c and map_output.c (map_internal.h). */
#include "render/map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/furniture.h"
#include "render/map_internal.h"

enum cr_map_format
cr_map_format_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;

    if (!dot || strchr(dot, '/'))
        return CR_MAP_UNKNOWN;
    if (!strcasecmp(dot, ".png"))
        return CR_MAP_PNG;
    if (!strcasecmp(dot, ".pdf"))
        return CR_MAP_PDF;
    if (!strcasecmp(dot, ".svg"))
        return CR_MAP_SVG;
    return CR_MAP_UNKNOWN;
}

int
cr_map_is_osm_path(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return (n > 4 && !strcasecmp(path + n - 4, ".osm")) ||
           (n > 4 && !strcasecmp(path + n - 4, ".pbf")) ||
           (n > 8 && !strcasecmp(path + n - 8, ".osm.bz2"));
}

enum cr_status
cr_map_oom(struct map *m)
{
    return cr_error_set(m->err, CR_ENOMEM, "%s: out of memory", m->o->output);
}

static enum cr_status
draw_overlays(struct map *m)
{
    for (size_t i = 0; i < m->o->overlay_count; i++) {
        struct cr_overlay_drawn d;
        struct cr_legend_entry e = { 0 };
        if (cr_overlay_draw(m->overlays[i], m->cr, &m->v, m->s, m->k, i, &d, m->err))
            return m->err ? m->err->code : CR_EIO;
        m->res->overlay_features += (size_t)(d.lines + d.polygons + d.points);
        snprintf(e.label, sizeof e.label, "%s", cr_overlay_name(m->overlays[i]));
        e.stroke = d.colour;
        e.fill = d.fill;
        e.dash_count = d.dash_count;
        memcpy(e.dash_pt, d.dash_pt, sizeof e.dash_pt);
        if (m->o->overlays[i].width_field && d.lines && d.field_max >= d.field_min) {
            e.kind = CR_LEGEND_GRADUATED;
            e.casing_pt = d.width_min_pt;
            e.width_pt = d.width_max_pt;
            snprintf(e.label, sizeof e.label, "%s (%s %g–%g)", cr_overlay_name(m->overlays[i]),
                     m->o->overlays[i].width_field, d.field_min, d.field_max);
        } else if (d.polygons) {
            e.kind = CR_LEGEND_FILL;
            e.width_pt = d.width_pt * 0.5;
        } else if (d.lines) {
            e.kind = CR_LEGEND_LINE;
            e.width_pt = d.width_pt;
        } else if (d.points) {
            e.kind = CR_LEGEND_POINT;
            e.width_pt = d.point_pt;
        } else {
            continue; /* nothing of it in view */
        }
        cr_legend_add(&m->legend, &e);
    }
    return CR_OK;
}

/* The map inside its frame, clipped to it: zones, network, overlays. */
static enum cr_status
draw_layers(struct map *m)
{
    const struct cr_map_options *o = m->o;
    enum cr_status st;

    if (o->zones && o->zones->count && (st = cr_map_draw_zones(m)))
        return st;
    if (o->graph && (st = cr_map_draw_network(m)))
        return st;
    if (o->flows && (st = cr_map_draw_flows(m)))
        return st;
    if ((st = draw_overlays(m)))
        return st;
    return cr_map_draw_shapes(m);
}

/* Furniture in the frame (north arrow, scale bar, attribution) first, so labels keep off it;
 * then terminal and major road names, zone names, minor road names. */
static enum cr_status
draw_labels(struct map *m)
{
    const struct cr_map_options *o = m->o;
    const struct cr_style *s = m->s;
    enum cr_status st;

    cr_furniture_north_arrow(&m->text, &m->v, s, m->k, cr_map_convergence(m), &m->labels);
    cr_furniture_scale_bar(&m->text, &m->v, s, m->k, &m->labels);
    if (m->osm_drawn)
        cr_furniture_attribution(&m->text, &m->v, s, m->k, s->attribution, &m->labels);
    if (o->graph) {
        cr_map_label_terminals(m);
        if ((st = cr_map_label_roads(m, 0, 2)))
            return st;
    }
    if (o->zones)
        cr_map_label_zones(m);
    if (o->graph && (st = cr_map_label_roads(m, 3, CR_STYLE_MAX_ROAD_GROUPS)))
        return st;
    return CR_OK;
}

/* Frames, legend, title block. */
static void
draw_page(struct map *m)
{
    const struct cr_map_options *o = m->o;
    const struct cr_style *s = m->s;
    cairo_t *cr = m->cr;
    struct cr_rect f = m->v.frame;

    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_set_source_rgba(cr, s->ink.r, s->ink.g, s->ink.b, 1);
    cairo_set_line_width(cr, s->frame_mm * m->mm);
    cairo_stroke(cr);
    cairo_rectangle(cr, m->page.outer.x, m->page.outer.y, m->page.outer.w, m->page.outer.h);
    cairo_set_line_width(cr, s->frame_mm * 1.6 * m->mm);
    cairo_stroke(cr);
    {
        struct cr_text_style ts = { s->font, s->legend_pt * m->k, 0, 0, s->ink, 0, s->label_halo };
        cr_legend_draw(&m->legend, &m->text, m->page.legend, s->legend_title, &ts, s->ink, m->k);
    }
    {
        struct cr_title_block tb = {
            o->title,  o->subtitle,      o->organisation ? o->organisation : s->organisation,
            o->date,   m->res->crs_name, m->osm_drawn ? s->attribution : NULL,
            m->v.denom
        };
        cr_furniture_title_block(&m->text, m->page.title, s, m->k, &tb);
    }
}

static enum cr_status
compose(struct map *m)
{
    const struct cr_style *s = m->s;
    cairo_t *cr = m->cr;
    struct cr_rect f = m->v.frame;
    enum cr_status st;

    cairo_set_source_rgba(cr, s->paper.r, s->paper.g, s->paper.b, 1);
    cairo_paint(cr);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_set_source_rgba(cr, s->map_background.r, s->map_background.g, s->map_background.b, 1);
    cairo_fill(cr);

    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_clip(cr);
    st = draw_layers(m);
    cairo_restore(cr);
    if (st)
        return st;
    cr_furniture_grid(&m->text, &m->v, s, m->k); /* lines clipped to the frame, labels outside */
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_clip(cr);
    st = draw_labels(m);
    cairo_restore(cr);
    if (st)
        return st;
    draw_page(m);
    return CR_OK;
}

/* The map CRS, the overlays opened in it, the page layout and the view. */
static enum cr_status
prepare(struct map *m)
{
    const struct cr_map_options *o = m->o;
    enum cr_status st;
    double e[4];

    if (!(m->ctx = cr_ctx_create(m->err)))
        return m->err ? m->err->code : CR_ENOMEM;
    m->pj = cr_ctx_proj(m->ctx);
    if (o->flows && (st = cr_flowmap_load(o->flows, &m->flows, m->err)))
        return st;
    if ((st = cr_map_data_extent(m, e)) || (st = cr_map_choose_crs(m, e)))
        return st;
    m->overlays = calloc(o->overlay_count ? o->overlay_count : 1, sizeof *m->overlays);
    if (!m->overlays)
        return cr_map_oom(m);
    for (size_t i = 0; i < o->overlay_count; i++)
        if (!(m->overlays[i] = cr_overlay_open(&o->overlays[i], m->ctx, m->map_crs, m->err)))
            return m->err ? m->err->code : CR_EIO;
    cr_page_layout_compute(o->width_pt, o->height_pt, m->s->margin_mm, &m->page);
    m->k = m->page.k;
    m->mm = CR_PT_PER_MM * m->k;
    return cr_map_make_view(m, e);
}

static void
map_fini(struct map *m)
{
    cr_text_fini(&m->text);
    cr_label_set_fini(&m->labels);
    cr_legend_fini(&m->legend);
    if (m->overlays)
        for (size_t i = 0; i < m->o->overlay_count; i++)
            cr_overlay_close(m->overlays[i]);
    free(m->overlays);
    cr_flowmap_layer_fini(&m->flows);
    free(m->segs);
    free(m->pts);
    free(m->zl);
    free(m->tm);
    free(m->placed);
    proj_destroy(m->from_wgs84);
    proj_destroy(m->map_crs);
    cr_ctx_destroy(m->ctx);
}

enum cr_status
cr_map_render(const struct cr_map_options *o, struct cr_map_result *res, struct cr_error *err)
{
    struct map m = { 0 };
    struct map_out out = { 0 };
    enum cr_status st = CR_OK;

    memset(res, 0, sizeof *res);
    m.o = o;
    m.s = o->style;
    m.res = res;
    m.err = err;
    if (cr_map_format_of(o->output) == CR_MAP_UNKNOWN)
        return cr_error_set(err, CR_EINVAL, "%s: the output must end in .png, .pdf or .svg",
                            o->output);
    if (!(o->width_pt > 0 && o->height_pt > 0))
        return cr_error_set(err, CR_EINVAL, "%s: empty page", o->output);
    if ((st = cr_map_output_open(&m, &out)) || (st = prepare(&m)) ||
        (st = cr_map_output_surface(&m, &out)))
        goto done;
    cr_text_init(&m.text, m.cr, out.fmt == CR_MAP_SVG);
    cr_legend_init(&m.legend);
    if (cr_label_set_init(&m.labels, o->width_pt, o->height_pt, 24)) {
        st = cr_map_oom(&m);
        goto done;
    }
    if ((st = compose(&m)))
        goto done;
    st = cr_map_output_finish(&m, &out);
done:
    if (m.cr)
        cairo_destroy(m.cr);
    cr_map_output_abort(&out); /* after a commit: nothing left to remove */
    map_fini(&m);
    return st;
}
