/* Map tiles: tile math, the segment grid index, and one tile drawn by the plan map's layers on
 * its metatile (render/tile.h). */
#include "render/tile.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "render/map_internal.h"
#include "render/png.h"
#include "spatial/crs.h"

/* ---- tile math ---------------------------------------------------------------------------- */

int
cr_tile_valid(unsigned z, uint64_t x, uint64_t y)
{
    return z <= CR_TILE_MAX_ZOOM && x < (UINT64_C(1) << z) && y < (UINT64_C(1) << z);
}

static double
lat_of_row(double row, double n)
{
    return atan(sinh(M_PI * (1 - 2 * row / n))) * 180 / M_PI;
}

void
cr_tile_of_lonlat(double lon, double lat, unsigned z, uint32_t *x, uint32_t *y)
{
    double n = ldexp(1, (int)z);
    double phi = fmax(-CR_TILE_MAX_LAT, fmin(CR_TILE_MAX_LAT, lat)) * M_PI / 180;
    double fx = (lon + 180) / 360 * n, fy = (1 - log(tan(phi) + 1 / cos(phi)) / M_PI) / 2 * n;

    fx = fmax(0, fmin(n - 1, floor(fx)));
    fy = fmax(0, fmin(n - 1, floor(fy)));
    *x = (uint32_t)fx;
    *y = (uint32_t)fy;
}

void
cr_tile_bounds_lonlat(unsigned z, uint32_t x, uint32_t y, double b[4])
{
    double n = ldexp(1, (int)z);

    b[0] = x / n * 360 - 180;
    b[2] = (x + 1.0) / n * 360 - 180;
    b[1] = lat_of_row(y + 1.0, n);
    b[3] = lat_of_row(y, n);
}

void
cr_tile_bounds_merc(unsigned z, uint32_t x, uint32_t y, double b[4])
{
    double size = 2 * CR_TILE_MERC_ORIGIN / ldexp(1, (int)z);

    b[0] = -CR_TILE_MERC_ORIGIN + x * size;
    b[2] = b[0] + size;
    b[3] = CR_TILE_MERC_ORIGIN - y * size;
    b[1] = b[3] - size;
}

void
cr_tile_range(const double bbox[4], unsigned z, uint32_t *x0, uint32_t *y0, uint32_t *x1,
              uint32_t *y1)
{
    cr_tile_of_lonlat(bbox[0], bbox[3], z, x0, y0);
    cr_tile_of_lonlat(bbox[2], bbox[1], z, x1, y1);
}

/* ---- the source: layers, extent, a grid index of the segments ------------------------------ */

struct cr_tile_source {
    struct cr_tile_layers l;
    struct cr_map_options mo; /* what the map's layers read: graph, zones, style, name */
    double extent[4];
    int has_data;
    pthread_mutex_t zones_mu; /* the zones' GEOS context is one: their drawing takes turns */
    /* the grid: cells of the network's lon/lat box (1e-7 degrees), CSR of segment ids */
    int64_t gx0, gy0, cell_w, cell_h;
    uint32_t cols, rows;
    uint32_t *first, *ids;
};

static void
seg_box(const struct cr_graph_view *g, uint32_t i, int32_t b[4])
{
    uint32_t a = g->segment_node[2 * i], c = g->segment_node[2 * i + 1];
    b[0] = b[2] = g->lon_e7[a];
    b[1] = b[3] = g->lat_e7[a];
#define GROW(X, Y)                                                                                 \
    do {                                                                                           \
        b[0] = (X) < b[0] ? (X) : b[0];                                                            \
        b[2] = (X) > b[2] ? (X) : b[2];                                                            \
        b[1] = (Y) < b[1] ? (Y) : b[1];                                                            \
        b[3] = (Y) > b[3] ? (Y) : b[3];                                                            \
    } while (0)
    GROW(g->lon_e7[c], g->lat_e7[c]);
    for (uint32_t k = g->segment_first_shape[i]; k < g->segment_first_shape[i + 1]; k++)
        GROW(g->shape_lon_e7[k], g->shape_lat_e7[k]);
#undef GROW
}

static void
cell_range(const struct cr_tile_source *s, const int64_t b[4], uint32_t c[4])
{
    int64_t v[4] = { (b[0] - s->gx0) / s->cell_w, (b[1] - s->gy0) / s->cell_h,
                     (b[2] - s->gx0) / s->cell_w, (b[3] - s->gy0) / s->cell_h };
    int64_t hi[4] = { s->cols - 1, s->rows - 1, s->cols - 1, s->rows - 1 };
    for (int k = 0; k < 4; k++)
        c[k] = (uint32_t)(v[k] < 0 ? 0 : v[k] > hi[k] ? hi[k] : v[k]);
}

/* The grid over the segments' box: about 8 segments a cell, each segment in every cell its box
 * meets. */
static enum cr_status
build_index(struct cr_tile_source *s, struct cr_error *err)
{
    const struct cr_graph_view *g = s->l.graph;
    int64_t x0 = INT64_MAX, y0 = INT64_MAX, x1 = INT64_MIN, y1 = INT64_MIN;
    int32_t b[4];
    uint32_t c[4];

    for (uint32_t i = 0; i < g->segment_count; i++) {
        seg_box(g, i, b);
        x0 = b[0] < x0 ? b[0] : x0;
        y0 = b[1] < y0 ? b[1] : y0;
        x1 = b[2] > x1 ? b[2] : x1;
        y1 = b[3] > y1 ? b[3] : y1;
    }
    double side = ceil(sqrt(g->segment_count / 8.0));
    s->cols = s->rows = (uint32_t)fmax(1, fmin(2048, side));
    s->gx0 = x0;
    s->gy0 = y0;
    s->cell_w = (x1 - x0) / s->cols + 1;
    s->cell_h = (y1 - y0) / s->rows + 1;
    size_t cells = (size_t)s->cols * s->rows;
    if (!(s->first = calloc(cells + 1, sizeof *s->first)))
        return cr_error_set(err, CR_ENOMEM, "tiles: out of memory");
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < g->segment_count; i++) {
            seg_box(g, i, b);
            cell_range(s, (int64_t[4]){ b[0], b[1], b[2], b[3] }, c);
            for (uint32_t r = c[1]; r <= c[3]; r++)
                for (uint32_t q = c[0]; q <= c[2]; q++) {
                    size_t cell = (size_t)r * s->cols + q;
                    if (pass == 0)
                        s->first[cell + 1]++;
                    else
                        s->ids[s->first[cell]++] = i;
                }
        }
        if (pass == 0) {
            for (size_t k = 0; k < cells; k++)
                s->first[k + 1] += s->first[k];
            if (!(s->ids = malloc((s->first[cells] ? s->first[cells] : 1) * sizeof *s->ids)))
                return cr_error_set(err, CR_ENOMEM, "tiles: out of memory");
        }
    }
    /* the fill pass moved every first[cell] to the next cell's start */
    memmove(s->first + 1, s->first, cells * sizeof *s->first);
    s->first[0] = 0;
    s->extent[0] = x0 * 1e-7;
    s->extent[1] = y0 * 1e-7;
    s->extent[2] = x1 * 1e-7;
    s->extent[3] = y1 * 1e-7;
    s->has_data = g->segment_count > 0;
    return CR_OK;
}

static void
grow_extent(struct cr_tile_source *s, const double e[4])
{
    if (!s->has_data) {
        memcpy(s->extent, e, sizeof s->extent);
        s->has_data = 1;
        return;
    }
    s->extent[0] = fmin(s->extent[0], e[0]);
    s->extent[1] = fmin(s->extent[1], e[1]);
    s->extent[2] = fmax(s->extent[2], e[2]);
    s->extent[3] = fmax(s->extent[3], e[3]);
}

/* The zones' box in lon/lat, through PROJ. */
static enum cr_status
zones_extent(struct cr_tile_source *s, struct cr_error *err)
{
    const struct cr_zones *z = s->l.zones;
    struct cr_ctx *ctx = cr_ctx_create(err);
    PJ *crs84 = NULL, *from = NULL, *t = NULL;
    double e[4];
    enum cr_status st = CR_OK;

    if (!ctx)
        return err ? err->code : CR_ENOMEM;
    crs84 = cr_crs_parse(ctx, "OGC:CRS84", NULL, "tiles", err);
    from = crs84 ? cr_crs_parse(ctx, z->work_crs, NULL, "tiles: zones", err) : NULL;
    t = from ? cr_crs_transform(ctx, from, crs84, "tiles: zones", err) : NULL;
    if (!t)
        st = err ? err->code : CR_EINVAL;
    else if (proj_trans_bounds(cr_ctx_proj(ctx), t, PJ_FWD, z->bbox[0], z->bbox[1], z->bbox[2],
                               z->bbox[3], &e[0], &e[1], &e[2], &e[3], 21))
        grow_extent(s, e);
    proj_destroy(t);
    proj_destroy(from);
    proj_destroy(crs84);
    cr_ctx_destroy(ctx);
    return st;
}

struct cr_tile_source *
cr_tile_source_create(const struct cr_tile_layers *l, struct cr_error *err)
{
    struct cr_tile_source *s = calloc(1, sizeof *s);

    if (!s) {
        cr_error_set(err, CR_ENOMEM, "tiles: out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&s->zones_mu, NULL)) {
        free(s);
        cr_error_set(err, CR_ENOMEM, "tiles: cannot make a mutex");
        return NULL;
    }
    s->l = *l;
    s->mo.graph = l->graph;
    s->mo.zones = l->zones;
    s->mo.class_map = l->class_map;
    s->mo.style = l->style;
    s->mo.output = "tile";
    if (!l->style) {
        cr_error_set(err, CR_EINVAL, "tiles: no style");
        goto fail;
    }
    if (l->graph && l->graph->segment_count && build_index(s, err))
        goto fail;
    if (l->zones && l->zones->count && zones_extent(s, err))
        goto fail;
    return s;
fail:
    cr_tile_source_destroy(s);
    return NULL;
}

void
cr_tile_source_destroy(struct cr_tile_source *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->zones_mu);
    free(s->first);
    free(s->ids);
    free(s);
}

int
cr_tile_source_extent(const struct cr_tile_source *s, double e[4])
{
    memcpy(e, s->extent, sizeof s->extent);
    return s->has_data;
}

/* ---- the renderer ------------------------------------------------------------------------- */

struct cr_tile_renderer {
    const struct cr_tile_source *src;
    struct cr_ctx *ctx;
    PJ *merc, *from_wgs84, *zones_to_map;
    uint32_t *stamp, now; /* [segment_count]: the query that last took each segment */
    uint32_t *cand;
    size_t cand_count, cand_cap;
};

void
cr_tile_renderer_destroy(struct cr_tile_renderer *r)
{
    if (!r)
        return;
    proj_destroy(r->zones_to_map);
    proj_destroy(r->from_wgs84);
    proj_destroy(r->merc);
    cr_ctx_destroy(r->ctx);
    free(r->stamp);
    free(r->cand);
    free(r);
}

struct cr_tile_renderer *
cr_tile_renderer_create(const struct cr_tile_source *s, struct cr_error *err)
{
    struct cr_tile_renderer *r = calloc(1, sizeof *r);
    const struct cr_graph_view *g = s->l.graph;

    if (!r) {
        cr_error_set(err, CR_ENOMEM, "tiles: out of memory");
        return NULL;
    }
    r->src = s;
    if (g && g->segment_count && !(r->stamp = calloc(g->segment_count, sizeof *r->stamp))) {
        cr_error_set(err, CR_ENOMEM, "tiles: out of memory");
        goto fail;
    }
    if (!(r->ctx = cr_ctx_create(err)) ||
        !(r->merc = cr_crs_parse(r->ctx, "EPSG:3857", NULL, "tiles", err)) ||
        !(r->from_wgs84 = cr_crs_from_wgs84(r->ctx, r->merc, "tiles", err)))
        goto fail;
    if (s->l.zones && s->l.zones->count) {
        PJ *from = cr_crs_parse(r->ctx, s->l.zones->work_crs, NULL, "tiles: zones", err);
        r->zones_to_map =
            from ? cr_crs_transform(r->ctx, from, r->merc, "tiles: zones", err) : NULL;
        proj_destroy(from);
        if (!r->zones_to_map)
            goto fail;
    }
    return r;
fail:
    cr_tile_renderer_destroy(r);
    return NULL;
}

static int
by_id(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether segment I is drawn at zoom Z: roads of the style's thinnest groups (service roads and
 * tracks under 0.4 mm, then local streets under 0.6 mm) are left out where a tile covers a town
 * or more, as on any web map; everything else always. */
static int
shown(const struct cr_tile_source *s, uint32_t i, unsigned z)
{
    const struct cr_graph_view *g = s->l.graph;
    const struct cr_way_attr *w = &g->ways[g->segment_way[i]];
    if (z > 12 || w->mode != CR_MODE_ROAD || w->klass >= CR_ROAD_CLASS_COUNT)
        return 1;
    int gi = s->l.style->road_group_of[w->klass];
    if (gi < 0)
        return 1;
    return s->l.style->roads[gi].width_mm >= (z <= 10 ? 0.6 : 0.4);
}

/* r->cand: the segments shown at zoom Z whose cells meet GEO (lon/lat), ascending, so every tile
 * of a metatile sees them in the order a full scan would. */
static enum cr_status
query(struct cr_tile_renderer *r, const double geo[4], unsigned z, struct cr_error *err)
{
    const struct cr_tile_source *s = r->src;
    uint32_t c[4];

    r->cand_count = 0;
    if (!s->first)
        return CR_OK;
    if (++r->now == 0) { /* wrapped: forget every mark */
        memset(r->stamp, 0, s->l.graph->segment_count * sizeof *r->stamp);
        r->now = 1;
    }
    cell_range(s,
               (int64_t[4]){ llround(geo[0] * 1e7), llround(geo[1] * 1e7), llround(geo[2] * 1e7),
                             llround(geo[3] * 1e7) },
               c);
    for (uint32_t row = c[1]; row <= c[3]; row++)
        for (uint32_t q = c[0]; q <= c[2]; q++) {
            size_t cell = (size_t)row * s->cols + q;
            for (uint32_t k = s->first[cell]; k < s->first[cell + 1]; k++) {
                uint32_t id = s->ids[k];
                if (r->stamp[id] == r->now)
                    continue;
                r->stamp[id] = r->now;
                if (!shown(s, id, z))
                    continue;
                if (r->cand_count == r->cand_cap) {
                    size_t cap = r->cand_cap ? 2 * r->cand_cap : 4096;
                    uint32_t *n = realloc(r->cand, cap * sizeof *n);
                    if (!n)
                        return cr_error_set(err, CR_ENOMEM, "tiles: out of memory");
                    r->cand = n;
                    r->cand_cap = cap;
                }
                r->cand[r->cand_count++] = id;
            }
        }
    if (r->cand_count)
        qsort(r->cand, r->cand_count, sizeof *r->cand, by_id);
    return CR_OK;
}

/* How much the style's millimetres grow with the zoom: thin lines and small type when a tile
 * covers a whole region, lines wider than on paper in a street (a screen pixel is coarse). */
static double
zoom_factor(unsigned z)
{
    static const double k[] = { 0.6, 0.75, 0.9, 1.1, 1.3, 1.6, 1.9, 2.2, 2.5 }; /* z 10..18 */
    if (z < 10)
        return k[0];
    return z - 10 < sizeof k / sizeof k[0] ? k[z - 10] : k[sizeof k / sizeof k[0] - 1];
}

/* The last road style group whose names are drawn at zoom Z: the major roads only when a tile
 * covers a town, every street from zoom 15. */
static int
labelled_groups(unsigned z)
{
    return z <= 12 ? 2 : z == 13 ? 3 : z == 14 ? 4 : CR_STYLE_MAX_ROAD_GROUPS;
}

static int
boxes_meet(const double a[4], const double b[4])
{
    return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/* Every layer of the metatile, on a surface showing one tile of it (m->cr is translated). */
static enum cr_status
draw_metatile(struct cr_tile_renderer *r, struct map *m, unsigned z)
{
    const struct cr_tile_source *s = r->src;
    enum cr_status st = CR_OK;

    if (s->l.zones && s->l.zones->count) {
        pthread_mutex_lock((pthread_mutex_t *)&s->zones_mu);
        st = cr_map_draw_zones(m);
        pthread_mutex_unlock((pthread_mutex_t *)&s->zones_mu);
        if (st)
            return st;
    }
    if (s->l.graph) {
        if ((st = query(r, m->geo, z, m->err)))
            return st;
        m->cand = r->cand;
        m->cand_count = r->cand_count;
        if ((st = cr_map_draw_network(m)))
            return st;
        cr_map_label_terminals(m);
        if ((st = cr_map_label_roads(m, 0, 2)))
            return st;
    }
    if (s->l.zones && s->l.zones->count)
        cr_map_label_zones(m);
    if (s->l.graph && labelled_groups(z) >= 3 &&
        (st = cr_map_label_roads(m, 3, labelled_groups(z))))
        return st;
    return CR_OK;
}

static void
map_free(struct map *m)
{
    cr_text_fini(&m->text);
    cr_label_set_fini(&m->labels);
    cr_legend_fini(&m->legend);
    free(m->segs);
    free(m->pts);
    free(m->zl);
    free(m->tm);
    free(m->placed);
}

/* M: the state of one plan map whose page is metatile MX0, MY0 (META tiles a side, T pixels
 * each) at zoom Z. */
static void
map_setup(struct cr_tile_renderer *r, struct map *m, unsigned z, uint32_t mx0, uint32_t my0,
          uint32_t meta, double t, unsigned scale)
{
    double b0[4], b1[4], g0[4], g1[4];

    m->o = &r->src->mo;
    m->s = r->src->l.style;
    m->ctx = r->ctx;
    m->pj = cr_ctx_proj(r->ctx);
    m->map_crs = r->merc;
    m->from_wgs84 = r->from_wgs84;
    m->zones_to_map = r->zones_to_map;
    cr_tile_bounds_merc(z, mx0, my0, b0);
    cr_tile_bounds_merc(z, mx0 + meta - 1, my0 + meta - 1, b1);
    m->v.x0 = b0[0];
    m->v.y1 = b0[3];
    m->v.x1 = b1[2];
    m->v.y0 = b1[1];
    m->v.cx = (m->v.x0 + m->v.x1) / 2;
    m->v.cy = (m->v.y0 + m->v.y1) / 2;
    m->v.s = t / (b0[2] - b0[0]);
    m->v.denom = (b0[2] - b0[0]) / t / 0.00028; /* OGC's 0.28 mm pixel */
    m->v.frame = (struct cr_rect){ 0, 0, meta * t, meta * t };
    /* the metatile in lon/lat, with a sixteenth of a tile around it for line widths */
    cr_tile_bounds_lonlat(z, mx0, my0, g0);
    cr_tile_bounds_lonlat(z, mx0 + meta - 1, my0 + meta - 1, g1);
    double dx = (g0[2] - g0[0]) / 16, dy = (g0[3] - g0[1]) / 16;
    m->geo[0] = g0[0] - dx;
    m->geo[3] = g0[3] + dy;
    m->geo[2] = g1[2] + dx;
    m->geo[1] = g1[1] - dy;
    m->k = scale * zoom_factor(z);
    m->mm = CR_PT_PER_MM * m->k;
}

/* The surface of the background colour only. */
static cairo_surface_t *
background(const struct cr_style *s, int w, int h)
{
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, s->map_background.r, s->map_background.g, s->map_background.b);
    cairo_paint(cr);
    cairo_destroy(cr);
    return surface;
}

/* Each tile of the metatile SURFACE (META tiles a side of PX pixels, the first MX0, MY0) as a
 * PNG to SINK. */
static enum cr_status
slice(cairo_surface_t *surface, unsigned z, uint32_t mx0, uint32_t my0, uint32_t meta, int px,
      cr_tile_sink sink, void *user, struct cr_error *err)
{
    unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    enum cr_status st = CR_OK;

    cairo_surface_flush(surface);
    for (uint32_t j = 0; j < meta && !st; j++)
        for (uint32_t i = 0; i < meta && !st; i++) {
            unsigned char *png;
            size_t len;
            char name[64];
            cairo_surface_t *t = cairo_image_surface_create_for_data(
                data + (size_t)j * px * stride + (size_t)i * px * 4, CAIRO_FORMAT_RGB24, px, px,
                stride);
            snprintf(name, sizeof name, "tile %u/%u/%u", z, mx0 + i, my0 + j);
            st = cr_png_encode(t, &png, &len, name, err);
            cairo_surface_destroy(t);
            if (st)
                break;
            if (sink(user, z, mx0 + i, my0 + j, png, len))
                st = cr_error_set(err, CR_ECANCELLED, "%s: stopped by caller", name);
            free(png);
        }
    return st;
}

void
cr_tile_metatile(unsigned z, uint32_t x, uint32_t y, uint32_t *mx0, uint32_t *my0, uint32_t *meta)
{
    uint32_t n = z >= 31 ? UINT32_MAX : (uint32_t)1 << z;
    *meta = n < CR_TILE_META ? n : CR_TILE_META;
    *mx0 = x - x % *meta;
    *my0 = y - y % *meta;
}

enum cr_status
cr_tile_render_metatile(struct cr_tile_renderer *r, unsigned z, uint32_t x, uint32_t y,
                        unsigned scale, cr_tile_sink sink, void *user, struct cr_tile_stats *stats,
                        struct cr_error *err)
{
    const struct cr_tile_source *s = r->src;
    struct cr_tile_stats local = { 0 };
    struct cr_map_result res = { 0 };
    struct map m = { 0 };
    enum cr_status st = CR_OK;
    uint32_t mx0, my0, meta;
    double b0[4], b1[4];

    stats = stats ? stats : &local;
    memset(stats, 0, sizeof *stats);
    if (!cr_tile_valid(z, x, y) || (scale != 1 && scale != 2))
        return cr_error_set(err, CR_EINVAL, "tile %u/%u/%u@%ux: no such tile", z, x, y, scale);
    cr_tile_metatile(z, x, y, &mx0, &my0, &meta);
    int px = CR_TILE_SIZE * (int)scale;
    cairo_surface_t *surface = background(s->l.style, (int)meta * px, (int)meta * px);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return cr_error_set(err, CR_ENOMEM, "tile %u/%u/%u: out of memory", z, x, y);
    }
    /* outside the data and half a tile around it (labels reach out of their roads' boxes) */
    cr_tile_bounds_lonlat(z, mx0, my0, b0);
    cr_tile_bounds_lonlat(z, mx0 + meta - 1, my0 + meta - 1, b1);
    double hx = (b0[2] - b0[0]) / 2, hy = (b0[3] - b0[1]) / 2;
    double near[4] = { b0[0] - hx, b1[1] - hy, b1[2] + hx, b0[3] + hy };
    stats->empty = !s->has_data || !boxes_meet(near, s->extent);
    if (!stats->empty) {
        m.res = &res;
        m.err = err;
        map_setup(r, &m, z, mx0, my0, meta, px, scale);
        m.cr = cairo_create(surface);
        cairo_set_tolerance(m.cr, 0.3); /* round joins and caps in fewer pieces: a pixel grid */
        cr_text_init(&m.text, m.cr, 0);
        cr_legend_init(&m.legend);
        if (cr_label_set_init(&m.labels, m.v.frame.w, m.v.frame.h, 24))
            st = cr_error_set(err, CR_ENOMEM, "tile %u/%u/%u: out of memory", z, x, y);
        else
            st = draw_metatile(r, &m, z);
        stats->segments = res.segments_drawn;
        stats->labels = res.labels_placed;
        cairo_destroy(m.cr);
        map_free(&m);
    }
    if (!st)
        st = slice(surface, z, mx0, my0, meta, px, sink, user, err);
    cairo_surface_destroy(surface);
    return st;
}

struct one_tile {
    uint32_t x, y;
    unsigned char *png;
    size_t len;
};

static int
keep_one(void *user, unsigned z, uint32_t x, uint32_t y, const unsigned char *png, size_t len)
{
    struct one_tile *o = user;
    (void)z;
    if (x != o->x || y != o->y || o->png)
        return 0;
    if (!(o->png = malloc(len ? len : 1)))
        return 1;
    memcpy(o->png, png, len);
    o->len = len;
    return 0;
}

enum cr_status
cr_tile_render(struct cr_tile_renderer *r, unsigned z, uint32_t x, uint32_t y, unsigned scale,
               unsigned char **png, size_t *len, struct cr_tile_stats *stats, struct cr_error *err)
{
    struct one_tile o = { x, y, NULL, 0 };
    enum cr_status st = cr_tile_render_metatile(r, z, x, y, scale, keep_one, &o, stats, err);

    if (st) {
        free(o.png);
        o.png = NULL;
        o.len = 0;
    }
    *png = o.png;
    *len = o.len;
    return st;
}
