/* The map view: the data's extent, the map CRS (PROJ), where that CRS lands on the page, and the
 * page's size. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/geo.h"
#include "render/map_internal.h"
#include "spatial/crs.h"

/* The transformation from the CRS FROM (as PROJ reads it: "EPSG:32648", WKT...) to TO, lon/lat
 * order; NULL when PROJ knows no such CRS or no transformation. */
PJ *
cr_map_crs_transform(struct map *m, const char *from, const PJ *to)
{
    PJ *src = cr_crs_parse(m->ctx, from, NULL, NULL, NULL), *t = NULL;
    if (src)
        t = cr_crs_transform(m->ctx, src, to, NULL, NULL);
    proj_destroy(src);
    return t;
}

static void
grow(double e[4], double x0, double y0, double x1, double y1)
{
    if (!(x0 <= x1 && y0 <= y1) || !isfinite(x0) || !isfinite(x1) || !isfinite(y0) || !isfinite(y1))
        return;
    e[0] = fmin(e[0], x0);
    e[1] = fmin(e[1], y0);
    e[2] = fmax(e[2], x1);
    e[3] = fmax(e[3], y1);
}

/* The data's extent in WGS84 (lon/lat). */
enum cr_status
cr_map_data_extent(struct map *m, double e[4])
{
    const struct cr_map_options *o = m->o;

    e[0] = e[1] = INFINITY;
    e[2] = e[3] = -INFINITY;
    if (o->bbox) {
        memcpy(e, o->bbox, 4 * sizeof *e);
        return CR_OK;
    }
    if (o->graph) {
        const struct cr_graph_view *g = o->graph;
        for (uint32_t i = 0; i < g->node_count; i++) {
            double lon = cr_e7_to_deg(g->lon_e7[i]), lat = cr_e7_to_deg(g->lat_e7[i]);
            grow(e, lon, lat, lon, lat);
        }
    }
    if (o->zones && o->zones->count) {
        PJ *crs84 = proj_create(m->pj, "OGC:CRS84");
        PJ *t = crs84 ? cr_map_crs_transform(m, o->zones->work_crs, crs84) : NULL;
        double x0, y0, x1, y1;
        proj_destroy(crs84);
        if (t && proj_trans_bounds(m->pj, t, PJ_FWD, o->zones->bbox[0], o->zones->bbox[1],
                                   o->zones->bbox[2], o->zones->bbox[3], &x0, &y0, &x1, &y1, 21))
            grow(e, x0, y0, x1, y1);
        proj_destroy(t);
    }
    if (o->overlay_count) {
        PJ *crs84 = proj_create(m->pj, "OGC:CRS84");
        for (size_t i = 0; i < o->overlay_count; i++) {
            struct cr_overlay *ov = cr_overlay_open(&o->overlays[i], m->ctx, crs84, m->err);
            double x0, y0, x1, y1;
            if (!ov) {
                proj_destroy(crs84);
                return m->err ? m->err->code : CR_EIO;
            }
            if (!cr_overlay_extent(ov, &x0, &y0, &x1, &y1))
                grow(e, x0, y0, x1, y1);
            cr_overlay_close(ov);
        }
        proj_destroy(crs84);
    }
    cr_map_shapes_extent(o, e);
    cr_map_flows_extent(m, e);
    if (!(e[0] <= e[2] && e[1] <= e[3]))
        return cr_error_set(m->err, CR_EEMPTY,
                            "%s: nothing to draw (no network, zones, flow "
                            "lines or overlay features)",
                            o->output);
    return CR_OK;
}

enum cr_status
cr_map_choose_crs(struct map *m, const double e[4])
{
    char def[32];
    const char *crs = m->o->crs;

    if (!crs) { /* the UTM zone of the data's centre */
        snprintf(def, sizeof def, "EPSG:%d", cr_crs_utm_epsg((e[0] + e[2]) / 2, (e[1] + e[3]) / 2));
        crs = def;
    }
    if (!(m->map_crs = cr_crs_parse(m->ctx, crs, "--crs", NULL, m->err)))
        return m->err ? m->err->code : CR_EINVAL;
    PJ_TYPE type = proj_get_type(m->map_crs);
    if (type != PJ_TYPE_PROJECTED_CRS && type != PJ_TYPE_COMPOUND_CRS)
        return cr_error_set(m->err, CR_EINVAL,
                            "--crs \"%s\": not a projected CRS (a map needs metres)", crs);
    if (!(m->from_wgs84 = cr_crs_from_wgs84(m->ctx, m->map_crs, "--crs", m->err)))
        return m->err ? m->err->code : CR_EINVAL;
    const char *name = proj_get_name(m->map_crs), *auth = proj_get_id_auth_name(m->map_crs, 0);
    const char *code = proj_get_id_code(m->map_crs, 0);
    if (auth && code)
        snprintf(m->res->crs_name, sizeof m->res->crs_name, "%.100s (%.20s:%.20s)",
                 name ? name : "unnamed", auth, code);
    else
        snprintf(m->res->crs_name, sizeof m->res->crs_name, "%.150s",
                 name && strcmp(name, "unknown") ? name : crs);
    return CR_OK;
}

enum cr_status
cr_map_make_view(struct map *m, const double e[4])
{
    double x0, y0, x1, y1, pad, need, w_m, h_m;
    struct cr_view *v = &m->v;

    if (!proj_trans_bounds(m->pj, m->from_wgs84, PJ_FWD, e[0], e[1], e[2], e[3], &x0, &y0, &x1, &y1,
                           21))
        return cr_error_set(m->err, CR_EINVAL, "the map's area does not project into %s (%s)",
                            m->res->crs_name, cr_ctx_proj_message(m->ctx, "unknown reason"));
    pad = m->o->bbox ? 0 : 0.03;
    w_m = fmax(x1 - x0, 50);
    h_m = fmax(y1 - y0, 50);
    v->cx = (x0 + x1) / 2;
    v->cy = (y0 + y1) / 2;
    v->frame = m->page.map;
    w_m *= 1 + 2 * pad;
    h_m *= 1 + 2 * pad;
    /* the scale that fits, rounded up to a nominal one */
    need = fmax(w_m * 1000 * CR_PT_PER_MM / v->frame.w, h_m * 1000 * CR_PT_PER_MM / v->frame.h);
    v->denom = cr_page_nice_scale(need);
    v->s = 1000 * CR_PT_PER_MM / v->denom;
    v->x0 = v->cx - v->frame.w / 2 / v->s;
    v->x1 = v->cx + v->frame.w / 2 / v->s;
    v->y0 = v->cy - v->frame.h / 2 / v->s;
    v->y1 = v->cy + v->frame.h / 2 / v->s;
    m->res->scale_denom = v->denom;
    if (!proj_trans_bounds(m->pj, m->from_wgs84, PJ_INV, v->x0, v->y0, v->x1, v->y1, &m->geo[0],
                           &m->geo[1], &m->geo[2], &m->geo[3], 21))
        return cr_error_set(m->err, CR_EINVAL, "the map's frame does not project back to WGS84");
    double dx = (m->geo[2] - m->geo[0]) * 0.02, dy = (m->geo[3] - m->geo[1]) * 0.02;
    m->geo[0] -= dx;
    m->geo[2] += dx;
    m->geo[1] -= dy;
    m->geo[3] += dy;
    return CR_OK;
}

double
cr_map_convergence(const struct map *m)
{
    PJ_COORD c0 = proj_trans(m->from_wgs84, PJ_INV, proj_coord(m->v.cx, m->v.cy, 0, 0));
    PJ_COORD c1 =
        proj_trans(m->from_wgs84, PJ_FWD, proj_coord(c0.xy.x, fmin(c0.xy.y + 0.01, 89.9), 0, 0));
    double conv = atan2(c1.xy.x - m->v.cx, c1.xy.y - m->v.cy);
    return isfinite(conv) ? conv : 0;
}

enum cr_status
cr_map_set_page(struct cr_map_options *o, const char *paper, int landscape, int width_px,
                int height_px, double dpi, struct cr_error *err)
{
    o->dpi = dpi > 0 ? dpi : width_px > 0 ? 96 : 150;
    if (width_px > 0) {
        o->width_pt = (double)width_px * 72 / o->dpi;
        o->height_pt = (double)height_px * 72 / o->dpi;
        o->width_px = width_px;
        o->height_px = height_px;
    } else {
        double w_mm, h_mm;
        enum cr_status st = cr_page_paper(paper, landscape, &w_mm, &h_mm, err);
        if (st)
            return st;
        o->width_pt = w_mm * CR_PT_PER_MM;
        o->height_pt = h_mm * CR_PT_PER_MM;
    }
    return CR_OK;
}
