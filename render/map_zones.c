/* The zoning layer: fills by class (the largest zones first), outlines, legend entries, and
 * where each zone's name could go (its largest inscribed circle). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/map_internal.h"
#include "render/zoneclass.h"

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

/* H: the zones in view (the STRtree query in the zones' own CRS skips the rest), the largest
 * first so small ones inside them stay visible. T goes from the zones' CRS to the map's. */
static enum cr_status
zones_in_view(struct map *m, PJ *t, struct hits *h)
{
    const struct cr_zones *z = m->o->zones;
    GEOSContextHandle_t gh = z->geos;
    double bx0, by0, bx1, by1;

    if (!proj_trans_bounds(m->pj, t, PJ_INV, m->v.x0, m->v.y0, m->v.x1, m->v.y1, &bx0, &by0, &bx1,
                           &by1, 21))
        return CR_OK;
    if (z->index) {
        GEOSGeometry *env = GEOSGeom_createRectangle_r(gh, bx0, by0, bx1, by1);
        if (env) {
            GEOSSTRtree_query_r(gh, z->index, env, collect_hit, h);
            GEOSGeom_destroy_r(gh, env);
        }
    } else {
        for (size_t i = 0; i < z->count; i++)
            collect_hit((void *)(uintptr_t)i, h);
    }
    if (h->failed)
        return cr_map_oom(m);
    struct by_area *order = malloc((h->count ? h->count : 1) * sizeof *order);
    if (!order)
        return cr_map_oom(m);
    for (size_t i = 0; i < h->count; i++)
        order[i] = (struct by_area){ z->zones[h->ids[i]].area_m2, h->ids[i] };
    qsort(order, h->count, sizeof *order, by_area_desc);
    for (size_t i = 0; i < h->count; i++)
        h->ids[i] = order[i].id;
    free(order);
    return CR_OK;
}

/* A name goes where the polygon is widest: its largest inscribed circle, into m->zl. */
static void
zone_name_spot(struct map *m, PJ *t, size_t id)
{
    const struct cr_zones *z = m->o->zones;
    const struct cr_zone *zone = &z->zones[id];
    GEOSContextHandle_t gh = z->geos;
    GEOSGeometry *mic = GEOSMaximumInscribedCircle_r(gh, zone->geom, 1.0 / m->v.s);
    double cx = 0, cy = 0, ex = 0, ey = 0;
    GEOSGeometry *p0 = mic ? GEOSGeomGetStartPoint_r(gh, mic) : NULL;
    GEOSGeometry *p1 = mic ? GEOSGeomGetEndPoint_r(gh, mic) : NULL;
    int got = p0 && p1 && GEOSGeomGetX_r(gh, p0, &cx) == 1 && GEOSGeomGetY_r(gh, p0, &cy) == 1 &&
              GEOSGeomGetX_r(gh, p1, &ex) == 1 && GEOSGeomGetY_r(gh, p1, &ey) == 1;
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
                zl->zone = id;
                zl->area = zone->area_m2;
                cr_view_to_page(&m->v, c0.xy.x, c0.xy.y, &zl->x, &zl->y);
                zl->radius_pt = hypot(c1.xy.x - c0.xy.x, c1.xy.y - c0.xy.y) * m->v.s;
            }
        }
    }
    if (mic)
        GEOSGeom_destroy_r(gh, mic);
}

/* Zone ID's fill: by its value's class in K (USED[class], USED[classes]: no data, *HATCH),
 * else by its zoning class in SET (USED[entry]). */
static struct cr_rgba
zone_fill(struct map *m, size_t id, const struct cr_zoneclass_set *set,
          const struct cr_choropleth_classes *k, unsigned char *used, int *hatch)
{
    const struct cr_zones *z = m->o->zones;
    *hatch = 0;
    if (k) {
        double v = m->o->choropleth->values[id];
        size_t c = isfinite(v) ? cr_choropleth_class_of(k, v) : k->break_count + 1;
        used[c] = 1;
        *hatch = !isfinite(v);
        return isfinite(v) ? k->fill[c] : cr_choropleth_no_data;
    }
    size_t cls = cr_zoneclass_of(set, z->zones[id].cls);
    used[cls] = 1;
    return set->classes[cls].fill;
}

/* Fills and outlines the zones H (in that order); USED marks the classes drawn (zone_fill). */
static enum cr_status
paint_zones(struct map *m, PJ *t, const struct hits *h, const struct cr_zoneclass_set *set,
            const struct cr_choropleth_classes *k, unsigned char *used)
{
    const struct cr_zones *z = m->o->zones;
    const struct cr_style *s = m->s;
    struct ring_buf rb = { 0 };
    enum cr_status st = CR_OK;

    cairo_save(m->cr);
    cairo_set_fill_rule(m->cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(m->cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_width(m->cr, s->zone_outline_mm * m->mm);
    for (size_t i = 0; i < h->count; i++) {
        const struct cr_zone *zone = &z->zones[h->ids[i]];
        int hatch;
        struct cr_rgba c = zone_fill(m, h->ids[i], set, k, used, &hatch);
        cairo_new_path(m->cr);
        if (polygon_path(m, z->geos, zone->geom, t, &rb)) {
            st = cr_map_oom(m);
            break;
        }
        cairo_set_source_rgba(m->cr, c.r, c.g, c.b, c.a * s->zone_opacity);
        cairo_fill_preserve(m->cr);
        if (hatch)
            cr_choropleth_hatch(m->cr, 1.2 * m->mm, 0.15 * m->mm, s->zone_outline);
        cairo_set_source_rgba(m->cr, s->zone_outline.r, s->zone_outline.g, s->zone_outline.b,
                              s->zone_outline.a);
        cairo_stroke(m->cr);
        m->res->zones_drawn++;
        if (zone->name && *zone->name && s->zone_label_pt > 0 &&
            zone->area_m2 * m->v.s * m->v.s > 400)
            zone_name_spot(m, t, h->ids[i]);
    }
    cairo_restore(m->cr);
    free(rb.c);
    return st;
}

/* A legend entry for each class drawn, in legend order. */
static enum cr_status
zones_legend(struct map *m, const struct cr_zoneclass_set *set, const unsigned char *used)
{
    const struct cr_style *s = m->s;
    for (size_t c = 0; c < set->count; c++) {
        struct cr_legend_entry e = { .kind = CR_LEGEND_FILL,
                                     .width_pt = s->zone_outline_mm * m->mm };
        if (!used[c])
            continue;
        snprintf(e.label, sizeof e.label, "%s", set->classes[c].label);
        e.fill = set->classes[c].fill;
        e.stroke = s->zone_outline;
        if (cr_legend_add(&m->legend, &e))
            return cr_map_oom(m);
    }
    return CR_OK;
}

/* The choropleth's legend: every class (low to high) in the unit, then "no data" when a zone
 * without a value was drawn. */
static enum cr_status
choropleth_legend(struct map *m, const struct cr_choropleth_classes *k, const unsigned char *used)
{
    const struct cr_style *s = m->s;
    for (size_t c = 0; c <= k->break_count + 1; c++) {
        struct cr_legend_entry e = { .kind = CR_LEGEND_FILL,
                                     .width_pt = s->zone_outline_mm * m->mm };
        if (c == k->break_count + 1 && !used[c])
            break;
        if (c <= k->break_count && !k->with_data)
            continue;
        if (c <= k->break_count)
            cr_choropleth_label(k, c, m->o->choropleth->unit, e.label, sizeof e.label);
        else
            snprintf(e.label, sizeof e.label, "no data");
        e.fill = c <= k->break_count ? k->fill[c] : cr_choropleth_no_data;
        e.hatch = c > k->break_count;
        e.stroke = s->zone_outline;
        if (cr_legend_add(&m->legend, &e))
            return cr_map_oom(m);
    }
    return CR_OK;
}

enum cr_status
cr_map_draw_zones(struct map *m)
{
    const struct cr_zones *z = m->o->zones;
    struct hits h = { 0 };
    PJ *t = NULL;
    struct cr_zoneclass_set set = { 0 };
    struct cr_choropleth_classes k;
    const struct cr_choropleth_classes *kp = m->o->choropleth ? &k : NULL;
    unsigned char *used = NULL;
    enum cr_status st;

    if (kp && (st = cr_choropleth_classify(m->o->choropleth, z->count, &k, m->err)))
        return st;
    if (!kp && (st = cr_zoneclass_build(m->s, z->classes, z->class_count, m->o->class_map,
                                        m->o->max_classes, &set, m->err)))
        return st;
    if (!(used = calloc(kp ? CR_CHOROPLETH_MAX_CLASSES + 1 : set.count + 1, 1))) {
        st = cr_map_oom(m);
        goto done;
    }
    t = m->zones_to_map ? m->zones_to_map : cr_map_crs_transform(m, z->work_crs, m->map_crs);
    if (!t) {
        st = cr_error_set(m->err, CR_EINVAL, "%s: no transformation from %s to the map CRS (%s)",
                          z->source_path ? z->source_path : "zones", z->work_crs,
                          cr_ctx_proj_message(m->ctx, "unknown reason"));
        goto done;
    }
    if ((st = zones_in_view(m, t, &h)))
        goto done;
    st = paint_zones(m, t, &h, &set, kp, used);
    if (!st)
        st = kp ? choropleth_legend(m, kp, used) : zones_legend(m, &set, used);
    if (h.count && cr_map_is_osm_path(z->source_path))
        m->osm_drawn = 1;
done:
    cr_zoneclass_fini(&set);
    free(used);
    free(h.ids);
    if (t != m->zones_to_map)
        proj_destroy(t);
    return st;
}
