/* Plan-map composition: layers bottom to top, labels, page furniture, output. */
#include "render/map.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/geo.h"
#include "render/furniture.h"
#include "render/label.h"
#include "render/legend.h"
#include "render/page.h"
#include "render/png.h"
#include "render/text.h"
#include "render/view.h"
#include "render/zoneclass.h"

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

struct zone_label {
    size_t zone;
    double x, y, radius_pt, area;
};

struct terminal_mark {
    uint32_t terminal;
    double x, y, size;
};

struct vis_seg {
    uint32_t segment;
    uint32_t first, count; /* into pts (pairs) */
};

struct map {
    const struct cr_map_options *o;
    const struct cr_style *s;
    struct cr_map_result *res;
    struct cr_error *err;
    PJ_CONTEXT *pj;
    PJ *map_crs, *from_wgs84;
    struct cr_page_layout page;
    struct cr_view v;
    double k, mm;
    double geo[4]; /* the view in WGS84, a little larger: west, south, east, north */
    cairo_t *cr;
    struct cr_text text;
    struct cr_label_set labels;
    struct cr_legend legend;
    int osm_drawn;
    struct cr_overlay **overlays;

    struct vis_seg *segs;
    size_t seg_count;
    double *pts;
    size_t pt_count;

    struct zone_label *zl;
    size_t zl_count;
    struct terminal_mark *tm;
    size_t tm_count;

    /* placed line labels, so the same name is not repeated nearby */
    struct placed {
        const char *name;
        double x, y;
    } * placed;
    size_t placed_count, placed_cap;
};

static enum cr_status
oom(struct map *m)
{
    return cr_error_set(m->err, CR_ENOMEM, "%s: out of memory", m->o->output);
}

static const char *
proj_message(PJ_CONTEXT *ctx)
{
    const char *msg = proj_context_errno_string(ctx, proj_context_errno(ctx));
    return msg ? msg : "unknown reason";
}

/* ---- CRS and extent ------------------------------------------------------------------------ */

static PJ *
normalized(PJ_CONTEXT *ctx, PJ *raw)
{
    PJ *n = raw ? proj_normalize_for_visualization(ctx, raw) : NULL;
    proj_destroy(raw);
    return n;
}

static PJ *
crs_transform(PJ_CONTEXT *ctx, const char *from, const PJ *to)
{
    PJ *src = proj_create(ctx, from), *t = NULL;
    if (src)
        t = normalized(ctx, proj_create_crs_to_crs_from_pj(ctx, src, to, NULL, NULL));
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
static enum cr_status
data_extent(struct map *m, double e[4])
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
        PJ *t = crs84 ? crs_transform(m->pj, o->zones->work_crs, crs84) : NULL;
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
            struct cr_overlay *ov = cr_overlay_open(&o->overlays[i], m->pj, crs84, m->err);
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
    if (!(e[0] <= e[2] && e[1] <= e[3]))
        return cr_error_set(m->err, CR_EEMPTY,
                            "%s: nothing to draw (no network, zones or "
                            "overlay features)",
                            o->output);
    return CR_OK;
}

static enum cr_status
choose_crs(struct map *m, const double e[4])
{
    char def[512];
    PJ *wgs84;

    if (m->o->crs) {
        const char *c = m->o->crs;
        if (strspn(c, "0123456789") == strlen(c))
            snprintf(def, sizeof def, "EPSG:%s", c);
        else if (c[0] == '+' && !strstr(c, "type=crs"))
            snprintf(def, sizeof def, "%s +type=crs", c);
        else
            snprintf(def, sizeof def, "%s", c);
    } else {
        double lon = (e[0] + e[2]) / 2, lat = (e[1] + e[3]) / 2;
        int zone = (int)floor((lon + 180) / 6) + 1;
        if (zone < 1)
            zone = 1;
        if (zone > 60)
            zone = 60;
        snprintf(def, sizeof def, "EPSG:%d", (lat >= 0 ? 32600 : 32700) + zone);
    }
    m->map_crs = proj_create(m->pj, def);
    if (!m->map_crs || !proj_is_crs(m->map_crs))
        return cr_error_set(m->err, CR_EINVAL, "--crs \"%s\": not a CRS PROJ knows (%s)",
                            m->o->crs ? m->o->crs : def, proj_message(m->pj));
    PJ_TYPE type = proj_get_type(m->map_crs);
    if (type != PJ_TYPE_PROJECTED_CRS && type != PJ_TYPE_COMPOUND_CRS)
        return cr_error_set(m->err, CR_EINVAL,
                            "--crs \"%s\": not a projected CRS (a map needs metres)",
                            m->o->crs ? m->o->crs : def);
    wgs84 = proj_create(m->pj, "EPSG:4326");
    if (wgs84)
        m->from_wgs84 =
            normalized(m->pj, proj_create_crs_to_crs_from_pj(m->pj, wgs84, m->map_crs, NULL, NULL));
    proj_destroy(wgs84);
    if (!m->from_wgs84)
        return cr_error_set(m->err, CR_EINVAL, "--crs \"%s\": no transformation from WGS84 (%s)",
                            def, proj_message(m->pj));
    const char *name = proj_get_name(m->map_crs), *auth = proj_get_id_auth_name(m->map_crs, 0);
    const char *code = proj_get_id_code(m->map_crs, 0);
    if (auth && code)
        snprintf(m->res->crs_name, sizeof m->res->crs_name, "%.100s (%.20s:%.20s)",
                 name ? name : "unnamed", auth, code);
    else
        snprintf(m->res->crs_name, sizeof m->res->crs_name, "%.150s",
                 name && strcmp(name, "unknown") ? name : def);
    return CR_OK;
}

static enum cr_status
make_view(struct map *m, const double e[4])
{
    double x0, y0, x1, y1, pad, need, w_m, h_m;
    struct cr_view *v = &m->v;

    if (!proj_trans_bounds(m->pj, m->from_wgs84, PJ_FWD, e[0], e[1], e[2], e[3], &x0, &y0, &x1, &y1,
                           21))
        return cr_error_set(m->err, CR_EINVAL, "the map's area does not project into %s (%s)",
                            m->res->crs_name, proj_message(m->pj));
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

/* ---- zoning ---------------------------------------------------------------------------------- */

struct hits {
    size_t *ids;
    size_t count, cap;
    int failed;
};

static void
collect_hit(void *item, void *user)
{
    struct hits *h = user;
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 256;
        size_t *n = realloc(h->ids, cap * sizeof *n);
        if (!n) {
            h->failed = 1;
            return;
        }
        h->ids = n;
        h->cap = cap;
    }
    h->ids[h->count++] = (size_t)(uintptr_t)item;
}

struct by_area {
    double area;
    size_t id;
};

static int
by_area_desc(const void *a, const void *b)
{
    const struct by_area *x = a, *y = b;
    if (x->area != y->area)
        return x->area < y->area ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

struct ring_buf {
    PJ_COORD *c;
    size_t cap;
};

static int
ring_path(struct map *m, GEOSContextHandle_t gh, const GEOSGeometry *ring, PJ *t,
          struct ring_buf *rb)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(gh, ring);
    unsigned int n = 0;

    if (!seq || !GEOSCoordSeq_getSize_r(gh, seq, &n) || n < 3)
        return 0;
    if (n > rb->cap) {
        PJ_COORD *c = realloc(rb->c, n * sizeof *c);
        if (!c)
            return -1;
        rb->c = c;
        rb->cap = n;
    }
    for (unsigned int i = 0; i < n; i++) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(gh, seq, i, &x, &y);
        rb->c[i] = proj_coord(x, y, 0, 0);
    }
    if (t)
        proj_trans_array(t, PJ_FWD, n, rb->c);
    int started = 0;
    for (unsigned int i = 0; i < n; i++) {
        double px, py;
        if (!isfinite(rb->c[i].xy.x) || !isfinite(rb->c[i].xy.y))
            continue;
        cr_view_to_page(&m->v, rb->c[i].xy.x, rb->c[i].xy.y, &px, &py);
        if (started)
            cairo_line_to(m->cr, px, py);
        else
            cairo_move_to(m->cr, px, py);
        started = 1;
    }
    if (started)
        cairo_close_path(m->cr);
    return 0;
}

static int
polygon_path(struct map *m, GEOSContextHandle_t gh, const GEOSGeometry *g, PJ *t,
             struct ring_buf *rb)
{
    int type = GEOSGeomTypeId_r(gh, g);

    if (type == GEOS_POLYGON) {
        if (ring_path(m, gh, GEOSGetExteriorRing_r(gh, g), t, rb))
            return -1;
        int holes = GEOSGetNumInteriorRings_r(gh, g);
        for (int i = 0; i < holes; i++)
            if (ring_path(m, gh, GEOSGetInteriorRingN_r(gh, g, i), t, rb))
                return -1;
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(gh, g);
        for (int i = 0; i < n; i++)
            if (polygon_path(m, gh, GEOSGetGeometryN_r(gh, g, i), t, rb))
                return -1;
    }
    return 0;
}

int
cr_map_is_osm_path(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return (n > 4 && !strcasecmp(path + n - 4, ".osm")) ||
           (n > 4 && !strcasecmp(path + n - 4, ".pbf")) ||
           (n > 8 && !strcasecmp(path + n - 8, ".osm.bz2"));
}

static enum cr_status
draw_zones(struct map *m)
{
    const struct cr_zones *z = m->o->zones;
    const struct cr_style *s = m->s;
    GEOSContextHandle_t gh = z->geos;
    struct hits h = { 0 };
    struct ring_buf rb = { 0 };
    PJ *t = NULL;
    double bx0, by0, bx1, by1;
    struct cr_zoneclass_set set = { 0 };
    unsigned char *used = NULL;
    enum cr_status st;

    if ((st = cr_zoneclass_build(s, z->classes, z->class_count, m->o->class_map, m->o->max_classes,
                                 &set, m->err)))
        return st;
    if (!(used = calloc(set.count, 1))) {
        st = oom(m);
        goto done;
    }
    t = crs_transform(m->pj, z->work_crs, m->map_crs);
    if (!t) {
        st = cr_error_set(m->err, CR_EINVAL, "%s: no transformation from %s to the map CRS (%s)",
                          z->source_path ? z->source_path : "zones", z->work_crs,
                          proj_message(m->pj));
        goto done;
    }
    /* features outside the view: the STRtree query in the zones' own CRS skips them */
    if (!proj_trans_bounds(m->pj, t, PJ_INV, m->v.x0, m->v.y0, m->v.x1, m->v.y1, &bx0, &by0, &bx1,
                           &by1, 21))
        goto done;
    if (z->index) {
        GEOSGeometry *env = GEOSGeom_createRectangle_r(gh, bx0, by0, bx1, by1);
        if (env) {
            GEOSSTRtree_query_r(gh, z->index, env, collect_hit, &h);
            GEOSGeom_destroy_r(gh, env);
        }
    } else {
        for (size_t i = 0; i < z->count; i++)
            collect_hit((void *)(uintptr_t)i, &h);
    }
    if (h.failed) {
        st = oom(m);
        goto done;
    }
    /* large zones first, so small ones inside them stay visible */
    {
        struct by_area *order = malloc((h.count ? h.count : 1) * sizeof *order);
        if (!order) {
            st = oom(m);
            goto done;
        }
        for (size_t i = 0; i < h.count; i++)
            order[i] = (struct by_area){ z->zones[h.ids[i]].area_m2, h.ids[i] };
        qsort(order, h.count, sizeof *order, by_area_desc);
        for (size_t i = 0; i < h.count; i++)
            h.ids[i] = order[i].id;
        free(order);
    }
    cairo_save(m->cr);
    cairo_set_fill_rule(m->cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(m->cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_width(m->cr, s->zone_outline_mm * m->mm);
    for (size_t i = 0; i < h.count; i++) {
        const struct cr_zone *zone = &z->zones[h.ids[i]];
        size_t cls = cr_zoneclass_of(&set, zone->cls);
        struct cr_rgba c = set.classes[cls].fill;
        cairo_new_path(m->cr);
        if (polygon_path(m, gh, zone->geom, t, &rb)) {
            st = oom(m);
            break;
        }
        cairo_set_source_rgba(m->cr, c.r, c.g, c.b, c.a * s->zone_opacity);
        cairo_fill_preserve(m->cr);
        cairo_set_source_rgba(m->cr, s->zone_outline.r, s->zone_outline.g, s->zone_outline.b,
                              s->zone_outline.a);
        cairo_stroke(m->cr);
        used[cls] = 1;
        m->res->zones_drawn++;
        /* a name goes where the polygon is widest: its largest inscribed circle */
        if (zone->name && *zone->name && s->zone_label_pt > 0 &&
            zone->area_m2 * m->v.s * m->v.s > 400) {
            GEOSGeometry *mic = GEOSMaximumInscribedCircle_r(gh, zone->geom, 1.0 / m->v.s);
            double cx = 0, cy = 0, ex = 0, ey = 0;
            GEOSGeometry *p0 = mic ? GEOSGeomGetStartPoint_r(gh, mic) : NULL;
            GEOSGeometry *p1 = mic ? GEOSGeomGetEndPoint_r(gh, mic) : NULL;
            int got = p0 && p1 && GEOSGeomGetX_r(gh, p0, &cx) == 1 &&
                      GEOSGeomGetY_r(gh, p0, &cy) == 1 && GEOSGeomGetX_r(gh, p1, &ex) == 1 &&
                      GEOSGeomGetY_r(gh, p1, &ey) == 1;
            if (p0)
                GEOSGeom_destroy_r(gh, p0);
            if (p1)
                GEOSGeom_destroy_r(gh, p1);
            if (got) {
                PJ_COORD c0 = proj_trans(t, PJ_FWD, proj_coord(cx, cy, 0, 0));
                PJ_COORD c1 = proj_trans(t, PJ_FWD, proj_coord(ex, ey, 0, 0));
                if (isfinite(c0.xy.x) && isfinite(c1.xy.x)) {
                    struct zone_label *zl = realloc(m->zl, (m->zl_count + 1) * sizeof *zl);
                    if (zl) {
                        m->zl = zl;
                        zl += m->zl_count++;
                        zl->zone = h.ids[i];
                        zl->area = zone->area_m2;
                        cr_view_to_page(&m->v, c0.xy.x, c0.xy.y, &zl->x, &zl->y);
                        zl->radius_pt = hypot(c1.xy.x - c0.xy.x, c1.xy.y - c0.xy.y) * m->v.s;
                    }
                }
            }
            if (mic)
                GEOSGeom_destroy_r(gh, mic);
        }
    }
    cairo_restore(m->cr);
    for (size_t c = 0; c < set.count && !st; c++) {
        struct cr_legend_entry e = { .kind = CR_LEGEND_FILL,
                                     .width_pt = s->zone_outline_mm * m->mm };
        if (!used[c])
            continue;
        snprintf(e.label, sizeof e.label, "%s", set.classes[c].label);
        e.fill = set.classes[c].fill;
        e.stroke = s->zone_outline;
        if (cr_legend_add(&m->legend, &e))
            st = oom(m);
    }
    if (h.count && cr_map_is_osm_path(z->source_path))
        m->osm_drawn = 1;
done:
    cr_zoneclass_fini(&set);
    free(used);
    free(h.ids);
    free(rb.c);
    proj_destroy(t);
    return st;
}

/* ---- network --------------------------------------------------------------------------------- */

static enum cr_status
collect_segments(struct map *m)
{
    const struct cr_graph_view *g = m->o->graph;
    int32_t w = (int32_t)lround(m->geo[0] * 1e7), s = (int32_t)lround(m->geo[1] * 1e7);
    int32_t e = (int32_t)lround(m->geo[2] * 1e7), n = (int32_t)lround(m->geo[3] * 1e7);
    PJ_COORD *c = NULL;
    size_t cap_pts = 0, cap_segs = 0;

    for (uint32_t i = 0; i < g->segment_count; i++) {
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
    return oom(m);
}

static const struct cr_way_attr *
seg_way(const struct map *m, const struct vis_seg *vs)
{
    const struct cr_graph_view *g = m->o->graph;
    return &g->ways[g->segment_way[vs->segment]];
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
            const struct cr_way_attr *w = seg_way(m, &m->segs[i]);
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
                const struct cr_way_attr *w = seg_way(m, &m->segs[i]);
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
        if (seg_way(m, &m->segs[i])->mode == CR_MODE_FERRY) {
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
            const struct cr_way_attr *w = seg_way(m, &m->segs[i]);
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
            const struct cr_way_attr *w = seg_way(m, &m->segs[i]);
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
        return oom(m);
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

/* ---- labels ---------------------------------------------------------------------------------- */

static struct cr_text_style
label_style(const struct map *m, double size_pt)
{
    struct cr_text_style ts = {
        m->s->font,      size_pt * m->k, 0, 0, m->s->label_colour, m->s->label_halo_mm * m->mm,
        m->s->label_halo
    };
    return ts;
}

static int
inside_frame(const struct map *m, const struct cr_label_box *b, size_t n)
{
    const struct cr_rect *f = &m->v.frame;
    for (size_t i = 0; i < n; i++)
        if (b[i].x0 < f->x || b[i].y0 < f->y || b[i].x1 > f->x + f->w || b[i].y1 > f->y + f->h)
            return 0;
    return 1;
}

static int
near_same_name(const struct map *m, const char *name, double x, double y, double dist)
{
    for (size_t i = 0; i < m->placed_count; i++)
        if (!strcmp(m->placed[i].name, name) &&
            hypot(m->placed[i].x - x, m->placed[i].y - y) < dist)
            return 1;
    return 0;
}

static void
remember(struct map *m, const char *name, double x, double y)
{
    if (m->placed_count == m->placed_cap) {
        size_t cap = m->placed_cap ? m->placed_cap * 2 : 64;
        struct placed *p = realloc(m->placed, cap * sizeof *p);
        if (!p)
            return;
        m->placed = p;
        m->placed_cap = cap;
    }
    m->placed[m->placed_count++] = (struct placed){ name, x, y };
    m->res->labels_placed++;
}

static void
label_terminals(struct map *m)
{
    const struct cr_graph_view *g = m->o->graph;
    struct cr_text_style ts = label_style(m, m->s->terminal_label_pt);

    ts.bold = 1;
    if (m->s->terminal_label_pt <= 0)
        return;
    for (size_t i = 0; i < m->tm_count; i++) {
        const struct terminal_mark *t = &m->tm[i];
        const char *name = cr_graph_string(g, g->terminals[t->terminal].name);
        double tw, th;
        if (!*name)
            continue;
        cr_text_measure(&m->text, name, &ts, &tw, &th);
        double off = t->size * 0.8 + 0.5 * m->mm;
        /* right, left, above, below */
        double cand[4][3] = { { t->x + off, t->y, CR_TEXT_LEFT },
                              { t->x - off, t->y, CR_TEXT_RIGHT },
                              { t->x, t->y - off - th / 2, CR_TEXT_CENTRE },
                              { t->x, t->y + off + th / 2, CR_TEXT_CENTRE } };
        for (int c = 0; c < 4; c++) {
            enum cr_text_align al = (enum cr_text_align)(int)cand[c][2];
            double x0 = al == CR_TEXT_LEFT    ? cand[c][0]
                        : al == CR_TEXT_RIGHT ? cand[c][0] - tw
                                              : cand[c][0] - tw / 2;
            struct cr_label_box b = { x0, cand[c][1] - th / 2, x0 + tw, cand[c][1] + th / 2 };
            if (!inside_frame(m, &b, 1) || !cr_label_set_place(&m->labels, &b, 1))
                continue;
            cr_text_draw(&m->text, name, &ts, cand[c][0], cand[c][1], 0, al);
            remember(m, name, cand[c][0], cand[c][1]);
            break;
        }
    }
}

/* A polyline in page points with its cumulative lengths. */
struct line {
    double *xy, *len;
    size_t n, cap;
};

static int
line_push(struct line *l, double x, double y)
{
    if (l->n && fabs(l->xy[2 * l->n - 2] - x) < 1e-6 && fabs(l->xy[2 * l->n - 1] - y) < 1e-6)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        double *xy = realloc(l->xy, 2 * cap * sizeof *xy);
        if (!xy)
            return -1;
        l->xy = xy;
        double *len = realloc(l->len, cap * sizeof *len);
        if (!len)
            return -1;
        l->len = len;
        l->cap = cap;
    }
    l->xy[2 * l->n] = x;
    l->xy[2 * l->n + 1] = y;
    l->len[l->n] =
        l->n ? l->len[l->n - 1] + hypot(x - l->xy[2 * l->n - 2], y - l->xy[2 * l->n - 1]) : 0;
    l->n++;
    return 0;
}

static void
line_at(const struct line *l, double d, double *x, double *y, size_t *seg)
{
    size_t i = 1;
    while (i < l->n - 1 && l->len[i] < d)
        i++;
    double sl = l->len[i] - l->len[i - 1], t = sl > 0 ? (d - l->len[i - 1]) / sl : 0;
    t = fmin(fmax(t, 0), 1);
    *x = l->xy[2 * (i - 1)] + t * (l->xy[2 * i] - l->xy[2 * (i - 1)]);
    *y = l->xy[2 * (i - 1) + 1] + t * (l->xy[2 * i + 1] - l->xy[2 * (i - 1) + 1]);
    *seg = i;
}

/* Tries to place NAME along L centred at distance D; 1 when placed. */
static int
try_line_label(struct map *m, const struct line *l, const char *name,
               const struct cr_text_style *ts, double tw, double th, double d)
{
    double ax, ay, bx, by, cx, cy;
    size_t sa, sb, sc;
    struct cr_label_box boxes[64];

    if (d - tw / 2 < 0 || d + tw / 2 > l->len[l->n - 1])
        return 0;
    line_at(l, d - tw / 2, &ax, &ay, &sa);
    line_at(l, d + tw / 2, &bx, &by, &sb);
    line_at(l, d, &cx, &cy, &sc);
    double chord = hypot(bx - ax, by - ay);
    if (chord < tw * 0.92)
        return 0; /* too curved */
    double ux = (bx - ax) / chord, uy = (by - ay) / chord;
    /* every vertex between the ends stays close to the chord */
    for (size_t i = sa; i < sb; i++) {
        double vx = l->xy[2 * i] - ax, vy = l->xy[2 * i + 1] - ay;
        if (fabs(vx * uy - vy * ux) > th * 0.35)
            return 0;
    }
    double angle = atan2(uy, ux);
    if (ux < 0)
        angle += M_PI; /* never upside down */
    double mx = (ax + bx) / 2, my = (ay + by) / 2;
    size_t nb = cr_label_strip_boxes(mx, my, tw, th * 0.9, angle, boxes, 64);
    if (!inside_frame(m, boxes, nb))
        return 0;
    if (near_same_name(m, name, mx, my, m->s->label_spacing_mm * m->mm * 0.6))
        return 0;
    if (!cr_label_set_place(&m->labels, boxes, nb))
        return 0;
    (void)cx;
    (void)cy;
    cr_text_draw(&m->text, name, ts, mx, my, angle, CR_TEXT_CENTRE);
    remember(m, name, mx, my);
    return 1;
}

static void
label_line(struct map *m, const struct line *l, const char *name, const struct cr_text_style *ts)
{
    double tw, th, total;

    if (l->n < 2)
        return;
    total = l->len[l->n - 1];
    cr_text_measure(&m->text, name, ts, &tw, &th);
    if (total < tw * 1.1)
        return;
    double spacing = m->s->label_spacing_mm * m->mm;
    /* from the middle outwards, every spacing; near each spot a few shifts */
    for (int step = 0;; step++) {
        double off = spacing * ((step + 1) / 2) * (step % 2 ? 1 : -1);
        double d = total / 2 + off;
        if (step && fabs(off) > total / 2)
            break;
        for (int shift = 0; shift < 5; shift++) {
            double sd = d + tw * 0.3 * ((shift + 1) / 2) * (shift % 2 ? 1 : -1);
            if (try_line_label(m, l, name, ts, tw, th, sd))
                break;
        }
    }
}

struct named {
    uint32_t name;
    int group;
    size_t vis;
};

static int
by_group_name(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    if (x->group != y->group)
        return x->group - y->group;
    return x->name < y->name ? -1 : x->name > y->name;
}

/* Road names: segments of one name joined into chains, labelled along straight stretches. */
static enum cr_status
label_roads(struct map *m, int group_lo, int group_hi)
{
    const struct cr_graph_view *g = m->o->graph;
    struct named *nm = calloc(m->seg_count ? m->seg_count : 1, sizeof *nm);
    unsigned char *used = calloc(m->seg_count ? m->seg_count : 1, 1);
    struct line l = { 0 };
    size_t count = 0;

    if (!nm || !used) {
        free(nm);
        free(used);
        return oom(m);
    }
    for (size_t i = 0; i < m->seg_count; i++) {
        const struct cr_way_attr *w = seg_way(m, &m->segs[i]);
        int gi;
        if (w->mode != CR_MODE_ROAD || !w->name || w->klass >= CR_ROAD_CLASS_COUNT)
            continue;
        gi = m->s->road_group_of[w->klass];
        if (gi < group_lo || gi > group_hi || m->s->roads[gi].label_pt <= 0)
            continue;
        nm[count++] = (struct named){ w->name, gi, i };
    }
    qsort(nm, count, sizeof *nm, by_group_name);
    for (size_t a = 0; a < count;) {
        size_t b = a;
        while (b < count && nm[b].name == nm[a].name && nm[b].group == nm[a].group)
            b++;
        const char *name = cr_graph_string(g, nm[a].name);
        struct cr_text_style ts = label_style(m, m->s->roads[nm[a].group].label_pt);
        for (size_t seed = a; seed < b; seed++) {
            if (used[seed - a + a])
                continue;
            /* chain: grow at the tail, then at the head, through shared graph nodes */
            size_t order[512];
            int rev[512];
            size_t n = 0;
            order[n] = seed;
            rev[n++] = 0;
            used[seed] = 1;
            for (int side = 0; side < 2; side++) {
                for (;;) {
                    size_t end = side ? order[0] : order[n - 1];
                    int end_rev = side ? rev[0] : rev[n - 1];
                    uint32_t seg = m->segs[nm[end].vis].segment;
                    uint32_t node = side ? g->segment_node[2 * seg + (end_rev ? 1 : 0)]
                                         : g->segment_node[2 * seg + (end_rev ? 0 : 1)];
                    size_t found = SIZE_MAX;
                    int frev = 0;
                    for (size_t j = a; j < b && n < 512; j++) {
                        uint32_t sj = m->segs[nm[j].vis].segment;
                        if (used[j])
                            continue;
                        if (g->segment_node[2 * sj] == node) {
                            found = j;
                            frev = side ? 1 : 0;
                            break;
                        }
                        if (g->segment_node[2 * sj + 1] == node) {
                            found = j;
                            frev = side ? 0 : 1;
                            break;
                        }
                    }
                    if (found == SIZE_MAX)
                        break;
                    used[found] = 1;
                    if (side) {
                        memmove(order + 1, order, n * sizeof *order);
                        memmove(rev + 1, rev, n * sizeof *rev);
                        order[0] = found;
                        rev[0] = frev;
                        n++;
                    } else {
                        order[n] = found;
                        rev[n++] = frev;
                    }
                }
            }
            l.n = 0;
            for (size_t c = 0; c < n; c++) {
                const struct vis_seg *vs = &m->segs[nm[order[c]].vis];
                const double *p = m->pts + 2 * (size_t)vs->first;
                for (uint32_t k = 0; k < vs->count; k++) {
                    uint32_t q = rev[c] ? vs->count - 1 - k : k;
                    if (line_push(&l, p[2 * q], p[2 * q + 1]))
                        goto fail;
                }
            }
            label_line(m, &l, name, &ts);
        }
        a = b;
    }
    free(l.xy);
    free(l.len);
    free(nm);
    free(used);
    return CR_OK;
fail:
    free(l.xy);
    free(l.len);
    free(nm);
    free(used);
    return oom(m);
}

static int
by_zone_area(const void *a, const void *b)
{
    const struct zone_label *x = a, *y = b;
    return x->area < y->area ? 1 : x->area > y->area ? -1 : 0;
}

static void
label_zones(struct map *m)
{
    const struct cr_zones *z = m->o->zones;
    struct cr_text_style ts = label_style(m, m->s->zone_label_pt);

    ts.italic = 1;
    ts.colour = m->s->zone_label_colour;
    if (m->zl_count) /* qsort's array may not be NULL, even when empty */
        qsort(m->zl, m->zl_count, sizeof *m->zl, by_zone_area);
    for (size_t i = 0; i < m->zl_count; i++) {
        const struct zone_label *zl = &m->zl[i];
        const char *name = z->zones[zl->zone].name;
        double tw, th;
        cr_text_measure(&m->text, name, &ts, &tw, &th);
        if (tw > 2.2 * zl->radius_pt || th > 2 * zl->radius_pt)
            continue;
        struct cr_label_box b = { zl->x - tw / 2, zl->y - th / 2, zl->x + tw / 2, zl->y + th / 2 };
        if (!inside_frame(m, &b, 1) || near_same_name(m, name, zl->x, zl->y, tw))
            continue;
        if (!cr_label_set_place(&m->labels, &b, 1))
            continue;
        cr_text_draw(&m->text, name, &ts, zl->x, zl->y, 0, CR_TEXT_CENTRE);
        remember(m, name, zl->x, zl->y);
    }
}

/* ---- overlays -------------------------------------------------------------------------------- */

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

/* ---- output ---------------------------------------------------------------------------------- */

static enum cr_status
check_writable(const char *path, const char *tmp, struct cr_error *err)
{
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return cr_error_set(err, CR_EIO, "%s: cannot write: %s", path, strerror(errno));
    fclose(f);
    return CR_OK;
}

/* SVG: the recorded <text> elements go before the closing tag. */
static enum cr_status
svg_insert_text(const char *tmp, const char *elements, const char *path, struct cr_error *err)
{
    FILE *f = fopen(tmp, "rb");
    char *buf = NULL, *end;
    long size;
    enum cr_status st = CR_OK;

    if (!f)
        return cr_error_set(err, CR_EIO, "%s: cannot read back: %s", path, strerror(errno));
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fclose(f);
        return cr_error_set(err, CR_EIO, "%s: cannot read back", path);
    }
    buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(buf);
        return cr_error_set(err, CR_EIO, "%s: cannot read back", path);
    }
    fclose(f);
    buf[size] = 0;
    end = strstr(buf, "</svg>");
    for (char *next = end; next; next = strstr(next + 1, "</svg>"))
        end = next;
    if (!end) {
        free(buf);
        return cr_error_set(err, CR_EINTERNAL, "%s: cairo wrote no </svg>", path);
    }
    f = fopen(tmp, "wb");
    if (!f) {
        free(buf);
        return cr_error_set(err, CR_EIO, "%s: cannot write: %s", path, strerror(errno));
    }
    fwrite(buf, 1, (size_t)(end - buf), f);
    fputs("<g id=\"text\">\n", f);
    fputs(elements, f);
    fputs("</g>\n", f);
    fputs(end, f);
    if (fclose(f))
        st = cr_error_set(err, CR_EIO, "%s: cannot write: %s", path, strerror(errno));
    free(buf);
    return st;
}

/* ---- composition ----------------------------------------------------------------------------- */

static enum cr_status
compose(struct map *m)
{
    const struct cr_map_options *o = m->o;
    const struct cr_style *s = m->s;
    cairo_t *cr = m->cr;
    struct cr_rect f = m->v.frame;
    enum cr_status st;

    cairo_set_source_rgba(cr, s->paper.r, s->paper.g, s->paper.b, 1);
    cairo_paint(cr);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_set_source_rgba(cr, s->map_background.r, s->map_background.g, s->map_background.b, 1);
    cairo_fill(cr);

    /* the map, clipped to its frame; furniture boxes first so labels keep off them */
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_clip(cr);
    if (o->zones && o->zones->count && (st = draw_zones(m)))
        goto fail;
    if (o->graph) {
        if ((st = collect_segments(m)))
            goto fail;
        draw_water(m);
        draw_roads(m);
        draw_rail(m);
        if ((st = draw_terminals(m)))
            goto fail;
        if (m->seg_count || m->tm_count)
            m->osm_drawn = 1;
    }
    if ((st = draw_overlays(m)))
        goto fail;
    cairo_restore(cr);
    cr_furniture_grid(&m->text, &m->v, s, m->k); /* lines clipped to the frame, labels outside */
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_clip(cr);
    {
        PJ_COORD c0 = proj_trans(m->from_wgs84, PJ_INV, proj_coord(m->v.cx, m->v.cy, 0, 0));
        PJ_COORD c1 = proj_trans(m->from_wgs84, PJ_FWD,
                                 proj_coord(c0.xy.x, fmin(c0.xy.y + 0.01, 89.9), 0, 0));
        double conv = atan2(c1.xy.x - m->v.cx, c1.xy.y - m->v.cy);
        cr_furniture_north_arrow(&m->text, &m->v, s, m->k, isfinite(conv) ? conv : 0, &m->labels);
    }
    cr_furniture_scale_bar(&m->text, &m->v, s, m->k, &m->labels);
    if (m->osm_drawn)
        cr_furniture_attribution(&m->text, &m->v, s, m->k, s->attribution, &m->labels);
    if (o->graph) {
        label_terminals(m);
        if ((st = label_roads(m, 0, 2)))
            goto fail;
    }
    if (o->zones)
        label_zones(m);
    if (o->graph && (st = label_roads(m, 3, CR_STYLE_MAX_ROAD_GROUPS)))
        goto fail;
    cairo_restore(cr);

    /* frames, legend, title block */
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
    return CR_OK;
fail:
    cairo_restore(cr);
    return st;
}

enum cr_status
cr_map_render(const struct cr_map_options *o, struct cr_map_result *res, struct cr_error *err)
{
    struct map m = { 0 };
    enum cr_map_format fmt = cr_map_format_of(o->output);
    char *tmp = NULL;
    cairo_surface_t *surface = NULL;
    enum cr_status st = CR_OK;
    double e[4];

    memset(res, 0, sizeof *res);
    m.o = o;
    m.s = o->style;
    m.res = res;
    m.err = err;
    if (fmt == CR_MAP_UNKNOWN)
        return cr_error_set(err, CR_EINVAL, "%s: the output must end in .png, .pdf or .svg",
                            o->output);
    if (!(o->width_pt > 0 && o->height_pt > 0))
        return cr_error_set(err, CR_EINVAL, "%s: empty page", o->output);
    tmp = malloc(strlen(o->output) + 5);
    if (!tmp)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->output);
    sprintf(tmp, "%s.tmp", o->output);
    if ((st = check_writable(o->output, tmp, err)))
        goto done;
    m.pj = proj_context_create();
    if (!m.pj) {
        st = cr_error_set(err, CR_ENOMEM, "%s: cannot start PROJ", o->output);
        goto done;
    }
    proj_log_level(m.pj, PJ_LOG_NONE);
    if ((st = data_extent(&m, e)) || (st = choose_crs(&m, e)))
        goto done;
    m.overlays = calloc(o->overlay_count ? o->overlay_count : 1, sizeof *m.overlays);
    if (!m.overlays) {
        st = oom(&m);
        goto done;
    }
    for (size_t i = 0; i < o->overlay_count; i++)
        if (!(m.overlays[i] = cr_overlay_open(&o->overlays[i], m.pj, m.map_crs, err))) {
            st = err ? err->code : CR_EIO;
            goto done;
        }
    cr_page_layout_compute(o->width_pt, o->height_pt, m.s->margin_mm, &m.page);
    m.k = m.page.k;
    m.mm = CR_PT_PER_MM * m.k;
    if ((st = make_view(&m, e)))
        goto done;

    if (fmt == CR_MAP_PNG) {
        int w = o->width_px > 0 ? o->width_px : (int)lround(o->width_pt / 72 * o->dpi);
        int h = o->height_px > 0 ? o->height_px : (int)lround(o->height_pt / 72 * o->dpi);
        if (w < 1 || h < 1 || (double)w * h > 400e6) {
            st = cr_error_set(err, CR_EINVAL, "%s: %d x %d pixels is not a size to draw", o->output,
                              w, h);
            goto done;
        }
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        res->width_px = w;
        res->height_px = h;
    } else if (fmt == CR_MAP_PDF) {
        surface = cairo_pdf_surface_create(tmp, o->width_pt, o->height_pt);
        if (o->title)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, o->title);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                       "corridor " CR_VERSION_STRING);
    } else {
        surface = cairo_svg_surface_create(tmp, o->width_pt, o->height_pt);
        cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT);
    }
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        st = cr_error_set(err, CR_EIO, "%s: cannot draw: %s", o->output,
                          cairo_status_to_string(cairo_surface_status(surface)));
        goto done;
    }
    m.cr = cairo_create(surface);
    if (fmt == CR_MAP_PNG)
        cairo_scale(m.cr, (double)res->width_px / o->width_pt,
                    (double)res->height_px / o->height_pt);
    cr_text_init(&m.text, m.cr, fmt == CR_MAP_SVG);
    cr_legend_init(&m.legend);
    if (cr_label_set_init(&m.labels, o->width_pt, o->height_pt, 24)) {
        st = oom(&m);
        goto done;
    }
    if ((st = compose(&m)))
        goto done;
    if (cairo_status(m.cr) != CAIRO_STATUS_SUCCESS) {
        st = cr_error_set(err, CR_EINTERNAL, "%s: cairo: %s", o->output,
                          cairo_status_to_string(cairo_status(m.cr)));
        goto done;
    }
    cairo_destroy(m.cr);
    m.cr = NULL;
    if (fmt == CR_MAP_PNG) {
        if ((st = cr_png_write(surface, tmp, o->output, err)))
            goto done;
    } else {
        cairo_surface_finish(surface);
        if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
            st = cr_error_set(err, CR_EIO, "%s: cannot write: %s", o->output,
                              cairo_status_to_string(cairo_surface_status(surface)));
            goto done;
        }
    }
    if (fmt == CR_MAP_SVG) {
        if (m.text.failed) {
            st = oom(&m);
            goto done;
        }
        if ((st = svg_insert_text(tmp, cr_text_svg_elements(&m.text), o->output, err)))
            goto done;
    }
    if (rename(tmp, o->output)) {
        st = cr_error_set(err, CR_EIO, "%s: cannot write: %s", o->output, strerror(errno));
        goto done;
    }
done:
    if (m.cr)
        cairo_destroy(m.cr);
    if (surface)
        cairo_surface_destroy(surface);
    if (st && tmp)
        unlink(tmp);
    free(tmp);
    cr_text_fini(&m.text);
    cr_label_set_fini(&m.labels);
    cr_legend_fini(&m.legend);
    if (m.overlays)
        for (size_t i = 0; i < o->overlay_count; i++)
            cr_overlay_close(m.overlays[i]);
    free(m.overlays);
    free(m.segs);
    free(m.pts);
    free(m.zl);
    free(m.tm);
    free(m.placed);
    proj_destroy(m.from_wgs84);
    proj_destroy(m.map_crs);
    if (m.pj)
        proj_context_destroy(m.pj);
    return st;
}
