/* The network layer: waterways, roads by class with casings (tunnels dashed), ferries, railways
 * and terminal symbols, each with its legend entry. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/geo.h"
#include "render/map_internal.h"

/* The segments in view (culled on their lon/lat box), their points projected to the page. */
static enum cr_status
collect_segments(struct map *m)
{
    const struct cr_graph_view *g = m->o->graph;
    int32_t w = (int32_t)lround(m->geo[0] * 1e7), s = (int32_t)lround(m->geo[1] * 1e7);
    int32_t e = (int32_t)lround(m->geo[2] * 1e7), n = (int32_t)lround(m->geo[3] * 1e7);
    PJ_COORD *c = NULL;
    size_t cap_pts = 0, cap_segs = 0;

    size_t n_cand = m->cand ? m->cand_count : g->segment_count;
    for (size_t ci = 0; ci < n_cand; ci++) {
        uint32_t i = m->cand ? m->cand[ci] : (uint32_t)ci;
        const struct cr_way_attr *way = &g->ways[g->segment_way[i]];
        uint32_t a = g->segment_node[2 * i], b = g->segment_node[2 * i + 1];
        uint32_t f0 = g->segment_first_shape[i], f1 = g->segment_first_shape[i + 1];
        int32_t x0 = g->lon_e7[a], x1 = x0, y0 = g->lat_e7[a], y1 = y0;
        if (way->mode == CR_MODE_TRANSFER)
            continue;
            /* cull on the segment's lon/lat box before any point is transformed */
#define GROW_E7(X, Y)                                                                              \
    do {                                                                                           \
        x0 = (X) < x0 ? (X) : x0;                                                                  \
        x1 = (X) > x1 ? (X) : x1;                                                                  \
        y0 = (Y) < y0 ? (Y) : y0;                                                                  \
        y1 = (Y) > y1 ? (Y) : y1;                                                                  \
    } while (0)
        GROW_E7(g->lon_e7[b], g->lat_e7[b]);
        for (uint32_t k = f0; k < f1; k++)
            GROW_E7(g->shape_lon_e7[k], g->shape_lat_e7[k]);
#undef GROW_E7
        if (x1 < w || x0 > e || y1 < s || y0 > n)
            continue;
        size_t count = 2 + (size_t)(f1 - f0);
        if (m->seg_count == cap_segs) {
            cap_segs = cap_segs ? cap_segs * 2 : 1024;
            struct vis_seg *ns = realloc(m->segs, cap_segs * sizeof *ns);
            if (!ns)
                goto fail;
            m->segs = ns;
        }
        if (m->pt_count + count > cap_pts) {
            cap_pts = cap_pts ? cap_pts * 2 : 8192;
            while (cap_pts < m->pt_count + count)
                cap_pts *= 2;
            PJ_COORD *nc = realloc(c, cap_pts * sizeof *nc);
            if (!nc)
                goto fail;
            c = nc;
        }
        m->segs[m->seg_count++] = (struct vis_seg){ i, (uint32_t)m->pt_count, (uint32_t)count };
        c[m->pt_count++] = proj_coord(cr_e7_to_deg(g->lon_e7[a]), cr_e7_to_deg(g->lat_e7[a]), 0, 0);
        for (uint32_t k = f0; k < f1; k++)
            c[m->pt_count++] = proj_coord(cr_e7_to_deg(g->shape_lon_e7[k]),
                                          cr_e7_to_deg(g->shape_lat_e7[k]), 0, 0);
        c[m->pt_count++] = proj_coord(cr_e7_to_deg(g->lon_e7[b]), cr_e7_to_deg(g->lat_e7[b]), 0, 0);
    }
    if (m->pt_count) {
        proj_trans_array(m->from_wgs84, PJ_FWD, m->pt_count, c);
        m->pts = malloc(2 * m->pt_count * sizeof *m->pts);
        if (!m->pts)
            goto fail;
        for (size_t i = 0; i < m->pt_count; i++)
            cr_view_to_page(&m->v, c[i].xy.x, c[i].xy.y, &m->pts[2 * i], &m->pts[2 * i + 1]);
    }
    free(c);
    m->res->segments_drawn = m->seg_count;
    return CR_OK;
fail:
    free(c);
    return cr_map_oom(m);
}

static void
seg_path(struct map *m, const struct vis_seg *vs)
{
    const double *p = m->pts + 2 * (size_t)vs->first;
    cairo_move_to(m->cr, p[0], p[1]);
    for (uint32_t i = 1; i < vs->count; i++)
        cairo_line_to(m->cr, p[2 * i], p[2 * i + 1]);
}

static void
stroke_rgba(cairo_t *cr, struct cr_rgba c, double width)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
    cairo_set_line_width(cr, width);
    cairo_stroke(cr);
}

static void
draw_water(struct map *m)
{
    const struct cr_style *s = m->s;
    for (int c = 0; c < CR_WATER_CLASS_COUNT; c++) {
        size_t n = 0;
        cairo_new_path(m->cr);
        for (size_t i = 0; i < m->seg_count; i++) {
            const struct cr_way_attr *w = cr_map_seg_way(m, &m->segs[i]);
            if (w->mode == CR_MODE_WATER && w->klass == c) {
                seg_path(m, &m->segs[i]);
                n++;
            }
        }
        if (!n)
            continue;
        double width = s->water_width_mm[c] * m->mm;
        cairo_save(m->cr);
        cairo_set_line_cap(m->cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_join(m->cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_source_rgba(m->cr, s->water_casing.r, s->water_casing.g, s->water_casing.b,
                              s->water_casing.a);
        cairo_set_line_width(m->cr, width + 0.2 * m->mm);
        cairo_stroke_preserve(m->cr);
        stroke_rgba(m->cr, s->water_colour, width);
        cairo_restore(m->cr);
        struct cr_legend_entry e = { .kind = CR_LEGEND_ROAD,
                                     .fill = s->water_colour,
                                     .stroke = s->water_casing,
                                     .width_pt = width,
                                     .casing_pt = 0.1 * m->mm };
        snprintf(e.label, sizeof e.label, "%s", s->water_label[c]);
        cr_legend_add(&m->legend, &e);
    }
}

static void
draw_roads(struct map *m)
{
    const struct cr_style *s = m->s;
    int groups = (int)s->road_group_count;
    size_t count[CR_STYLE_MAX_ROAD_GROUPS] = { 0 };

    cairo_save(m->cr);
    cairo_set_line_cap(m->cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(m->cr, CAIRO_LINE_JOIN_ROUND);
    /* tunnels first (dashed casing, paler fill), then all casings under all fills, minor classes
     * under major ones */
    for (int pass = 0; pass < 4; pass++)
        for (int gi = groups - 1; gi >= 0; gi--) {
            const struct cr_style_road_group *rg = &s->roads[gi];
            int tunnel = pass < 2;
            size_t n = 0;
            cairo_new_path(m->cr);
            for (size_t i = 0; i < m->seg_count; i++) {
                const struct cr_way_attr *w = cr_map_seg_way(m, &m->segs[i]);
                if (w->mode == CR_MODE_ROAD && w->klass < CR_ROAD_CLASS_COUNT &&
                    s->road_group_of[w->klass] == gi && !(w->flags & CR_WAY_TUNNEL) == !tunnel) {
                    seg_path(m, &m->segs[i]);
                    n++;
                }
            }
            count[gi] += n;
            if (!n)
                continue;
            double dash[2] = { 1.0 * m->mm, 0.6 * m->mm };
            struct cr_rgba fill = rg->fill;
            if (tunnel) {
                cairo_set_line_cap(m->cr, CAIRO_LINE_CAP_BUTT);
                cairo_set_dash(m->cr, dash, pass == 0 ? 2 : 0, 0);
                fill = (struct cr_rgba){ 1 - (1 - fill.r) * 0.4, 1 - (1 - fill.g) * 0.4,
                                         1 - (1 - fill.b) * 0.4, fill.a };
            }
            if (pass % 2 == 0)
                stroke_rgba(m->cr, rg->casing, (rg->width_mm + 2 * rg->casing_mm) * m->mm);
            else
                stroke_rgba(m->cr, fill, rg->width_mm * m->mm);
            cairo_set_dash(m->cr, NULL, 0, 0);
            cairo_set_line_cap(m->cr, CAIRO_LINE_CAP_ROUND);
        }
    /* ferries: dashed */
    cairo_new_path(m->cr);
    size_t ferries = 0;
    for (size_t i = 0; i < m->seg_count; i++)
        if (cr_map_seg_way(m, &m->segs[i])->mode == CR_MODE_FERRY) {
            seg_path(m, &m->segs[i]);
            ferries++;
        }
    double dash[2] = { s->ferry_dash_mm[0] * m->mm, s->ferry_dash_mm[1] * m->mm };
    if (ferries) {
        cairo_set_dash(m->cr, dash, 2, 0);
        stroke_rgba(m->cr, s->ferry_colour, s->ferry_width_mm * m->mm);
        cairo_set_dash(m->cr, NULL, 0, 0);
    }
    cairo_restore(m->cr);
    for (int gi = 0; gi < groups; gi++) {
        const struct cr_style_road_group *rg = &s->roads[gi];
        if (!count[gi])
            continue;
        struct cr_legend_entry e = { .kind = CR_LEGEND_ROAD,
                                     .fill = rg->fill,
                                     .stroke = rg->casing,
                                     .width_pt = rg->width_mm * m->mm,
                                     .casing_pt = rg->casing_mm * m->mm };
        snprintf(e.label, sizeof e.label, "%s", rg->label);
        cr_legend_add(&m->legend, &e);
    }
    if (ferries) {
        struct cr_legend_entry e = { .kind = CR_LEGEND_LINE,
                                     .stroke = s->ferry_colour,
                                     .width_pt = s->ferry_width_mm * m->mm,
                                     .dash_count = 2 };
        e.dash_pt[0] = dash[0];
        e.dash_pt[1] = dash[1];
        snprintf(e.label, sizeof e.label, "%s", s->ferry_label);
        cr_legend_add(&m->legend, &e);
    }
}

static void
draw_rail(struct map *m)
{
    const struct cr_style *s = m->s;
    size_t total = 0;

    cairo_save(m->cr);
    cairo_set_line_join(m->cr, CAIRO_LINE_JOIN_ROUND);
    /* tunnels: a thin dashed line */
    {
        size_t n = 0;
        double dash[2] = { 1.2 * m->mm, 0.8 * m->mm };
        cairo_new_path(m->cr);
        for (size_t i = 0; i < m->seg_count; i++) {
            const struct cr_way_attr *w = cr_map_seg_way(m, &m->segs[i]);
            if (w->mode == CR_MODE_RAIL && (w->flags & CR_WAY_TUNNEL)) {
                seg_path(m, &m->segs[i]);
                n++;
            }
        }
        if (n) {
            cairo_set_dash(m->cr, dash, 2, 0);
            stroke_rgba(m->cr, s->rail_colour, s->rail_width_mm * 0.45 * m->mm);
            cairo_set_dash(m->cr, NULL, 0, 0);
            total += n;
        }
    }
    /* main lines, then the thinner light rail, narrow gauge, yards and sidings */
    for (int thin = 1; thin >= 0; thin--) {
        size_t n = 0;
        cairo_new_path(m->cr);
        for (size_t i = 0; i < m->seg_count; i++) {
            const struct cr_way_attr *w = cr_map_seg_way(m, &m->segs[i]);
            int is_thin = w->klass != CR_RAIL_RAIL || w->rail_service != CR_SERVICE_NONE;
            if (w->mode == CR_MODE_RAIL && is_thin == thin && !(w->flags & CR_WAY_TUNNEL)) {
                seg_path(m, &m->segs[i]);
                n++;
            }
        }
        if (!n)
            continue;
        total += n;
        double width = s->rail_width_mm * m->mm * (thin ? s->light_rail_factor : 1);
        double dash = s->rail_dash_mm * m->mm * (thin ? s->light_rail_factor : 1);
        cairo_set_line_cap(m->cr, CAIRO_LINE_CAP_BUTT);
        cairo_set_source_rgba(m->cr, s->rail_colour.r, s->rail_colour.g, s->rail_colour.b,
                              s->rail_colour.a);
        cairo_set_line_width(m->cr, width);
        cairo_stroke_preserve(m->cr);
        cairo_set_dash(m->cr, &dash, 1, 0);
        stroke_rgba(m->cr, s->rail_gap, width * 0.55);
        cairo_set_dash(m->cr, NULL, 0, 0);
    }
    cairo_restore(m->cr);
    if (total) {
        struct cr_legend_entry e = { .kind = CR_LEGEND_RAIL,
                                     .fill = s->rail_gap,
                                     .stroke = s->rail_colour,
                                     .width_pt = s->rail_width_mm * m->mm };
        e.dash_pt[0] = s->rail_dash_mm * m->mm;
        e.dash_count = 1;
        snprintf(e.label, sizeof e.label, "%s", s->rail_label);
        cr_legend_add(&m->legend, &e);
    }
}

static enum cr_status
draw_terminals(struct map *m)
{
    const struct cr_graph_view *g = m->o->graph;
    const struct cr_style *s = m->s;
    unsigned char used[CR_TERMINAL_OTHER + 1] = { 0 };
    double size = s->terminal_mm * m->mm;

    if (!g->terminal_count || size <= 0)
        return CR_OK;
    m->tm = calloc(g->terminal_count, sizeof *m->tm);
    if (!m->tm)
        return cr_map_oom(m);
    for (uint32_t i = 0; i < g->terminal_count; i++) {
        const struct cr_terminal *t = &g->terminals[i];
        double lon = cr_e7_to_deg(t->lon_e7), lat = cr_e7_to_deg(t->lat_e7), px, py;
        int kind = t->kind <= CR_TERMINAL_OTHER ? t->kind : CR_TERMINAL_OTHER;
        if (lon < m->geo[0] || lon > m->geo[2] || lat < m->geo[1] || lat > m->geo[3])
            continue;
        PJ_COORD c = proj_trans(m->from_wgs84, PJ_FWD, proj_coord(lon, lat, 0, 0));
        if (!isfinite(c.xy.x) || !isfinite(c.xy.y))
            continue;
        cr_view_to_page(&m->v, c.xy.x, c.xy.y, &px, &py);
        cr_legend_symbol(m->cr, s->terminals[kind].shape, px, py, size, s->terminals[kind].fill,
                         s->terminals[kind].stroke);
        used[kind] = 1;
        m->tm[m->tm_count++] = (struct terminal_mark){ i, px, py, size };
        struct cr_label_box b = { px - size * 0.7, py - size * 0.7, px + size * 0.7,
                                  py + size * 0.7 };
        cr_label_set_add(&m->labels, &b, 1);
    }
    for (int k = 0; k <= CR_TERMINAL_OTHER; k++) {
        if (!used[k])
            continue;
        struct cr_legend_entry e = { .kind = CR_LEGEND_SYMBOL,
                                     .fill = s->terminals[k].fill,
                                     .stroke = s->terminals[k].stroke,
                                     .width_pt = size };
        snprintf(e.shape, sizeof e.shape, "%s", s->terminals[k].shape);
        snprintf(e.label, sizeof e.label, "%s", s->terminals[k].label);
        cr_legend_add(&m->legend, &e);
    }
    return CR_OK;
}

enum cr_status
cr_map_draw_network(struct map *m)
{
    enum cr_status st;

    if ((st = collect_segments(m)))
        return st;
    draw_water(m);
    draw_roads(m);
    draw_rail(m);
    if ((st = draw_terminals(m)))
        return st;
    if (m->seg_count || m->tm_count)
        m->osm_drawn = 1;
    return CR_OK;
}
