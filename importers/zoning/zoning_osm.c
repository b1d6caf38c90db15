/*
 * Zones from the landuse=* (or another key's) areas of an OpenStreetMap file: libosmium's area
 * assembler (through importers/osm/osm_reader.h) hands over each closed way and multipolygon;
 * they are copied (rings of lon/lat e7), the working CRS is chosen from their extent's centre,
 * and each is built as a GEOS polygon in it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/osm/osm_reader.h"
#include "importers/zoning/build.h"
#include "spatial/crs.h"
#include "spatial/vector.h"

struct osm_area_copy {
    int64_t id;
    size_t first_ring, ring_count; /* into rings */
    char *cls, *name;
    size_t first_value; /* into values */
};

struct osm_collect {
    const struct cr_zones_options *o;
    struct cr_zones *z;
    const char *key, *name_key;
    struct osm_area_copy *areas;
    size_t area_count, area_cap;
    struct {
        size_t first_point, point_count;
        int outer;
    } * rings;
    size_t ring_count, ring_cap;
    int32_t *points; /* lon, lat e7 pairs */
    size_t point_count, point_cap;
    double *values;
    size_t value_len, value_cap;
    int32_t min_lon, min_lat, max_lon, max_lat;
    struct cr_error *err;
};

#define GROW(arr, len, cap, add)                                                                   \
    do {                                                                                           \
        if ((len) + (add) > (cap)) {                                                               \
            size_t n_ = (cap) ? 2 * (cap) : 256;                                                   \
            while (n_ < (len) + (add))                                                             \
                n_ *= 2;                                                                           \
            void *p_ = realloc((arr), n_ * sizeof *(arr));                                         \
            if (!p_)                                                                               \
                goto oom;                                                                          \
            (arr) = p_;                                                                            \
            (cap) = n_;                                                                            \
        }                                                                                          \
    } while (0)

static int
osm_area(void *user, const struct cr_osm_area *a)
{
    struct osm_collect *c = user;
    struct cr_zones *z = c->z;
    const char *cls = cr_osm_tag_get(a->tags, a->tag_count, c->key);
    if (!cls)
        return 0;
    z->features_read++;
    if (a->ring_count == 0) {
        z->skipped_degenerate++; /* libosmium could not assemble it */
        return 0;
    }
    GROW(c->areas, c->area_count, c->area_cap, 1);
    GROW(c->rings, c->ring_count, c->ring_cap, a->ring_count);
    GROW(c->points, c->point_count, c->point_cap, 2 * a->point_count);
    GROW(c->values, c->value_len, c->value_cap, z->value_count + 1);
    struct osm_area_copy *ac = &c->areas[c->area_count];
    memset(ac, 0, sizeof *ac);
    ac->id = a->id;
    ac->first_ring = c->ring_count;
    ac->ring_count = a->ring_count;
    ac->first_value = c->value_len;
    for (size_t i = 0; i < a->ring_count; i++) {
        c->rings[c->ring_count + i].first_point = c->point_count / 2 + a->ring_first[i];
        c->rings[c->ring_count + i].point_count = a->ring_first[i + 1] - a->ring_first[i];
        c->rings[c->ring_count + i].outer = a->ring_outer[i];
    }
    c->ring_count += a->ring_count;
    for (size_t i = 0; i < a->point_count; i++) {
        int32_t lon = a->lon_lat_e7[2 * i], lat = a->lon_lat_e7[2 * i + 1];
        c->min_lon = lon < c->min_lon ? lon : c->min_lon;
        c->max_lon = lon > c->max_lon ? lon : c->max_lon;
        c->min_lat = lat < c->min_lat ? lat : c->min_lat;
        c->max_lat = lat > c->max_lat ? lat : c->max_lat;
    }
    memcpy(c->points + c->point_count, a->lon_lat_e7, 2 * a->point_count * sizeof(int32_t));
    c->point_count += 2 * a->point_count;
    for (size_t i = 0; i < z->value_count; i++) {
        const char *v = cr_osm_tag_get(a->tags, a->tag_count, z->value_names[i]);
        double x = NAN;
        if (v && !cr_vector_parse_number(v, &x)) {
            x = NAN;
            z->values_not_numeric++;
        }
        c->values[c->value_len++] = x;
    }
    const char *name = c->name_key ? cr_osm_tag_get(a->tags, a->tag_count, c->name_key) : NULL;
    ac->cls = strdup(cls);
    ac->name = name ? strdup(name) : NULL;
    c->area_count++;
    if (!ac->cls || (name && !ac->name))
        goto oom;
    return 0;
oom:
    cr_error_set(c->err, CR_ENOMEM, "%s: out of memory", c->o->path);
    return 1;
}

/* Rings [first, end) of one area, in order: each outer ring with the inner rings after it. */
struct area_build {
    GEOSGeometry *shell;
    GEOSGeometry **holes;
    size_t hole_count, hole_cap;
    size_t n; /* polygons made into L->parts */
    bool changed;
};

static void
area_build_free(struct cr_zoning_loader *L, struct area_build *b)
{
    GEOSContextHandle_t g = L->z->geos;
    if (b->shell)
        GEOSGeom_destroy_r(g, b->shell);
    for (size_t i = 0; i < b->hole_count; i++)
        GEOSGeom_destroy_r(g, b->holes[i]);
    free(b->holes);
    for (size_t i = 0; i < b->n; i++)
        GEOSGeom_destroy_r(g, L->parts[i]);
}

/* The shell and holes so far as one polygon in L->parts. */
static enum cr_status
close_polygon(struct cr_zoning_loader *L, struct area_build *b, struct cr_error *err)
{
    if (!b->shell)
        return CR_OK;
    if (cr_zoning_reserve_parts(L, b->n + 1, err))
        return err->code;
    L->parts[b->n] =
        GEOSGeom_createPolygon_r(L->z->geos, b->shell, b->holes, (unsigned)b->hole_count);
    if (!L->parts[b->n])
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
    b->n++;
    b->shell = NULL;
    b->hole_count = 0;
    return CR_OK;
}

static enum cr_status
add_hole(struct cr_zoning_loader *L, struct area_build *b, GEOSGeometry *lr, struct cr_error *err)
{
    if (!b->shell) {
        GEOSGeom_destroy_r(L->z->geos, lr); /* an inner ring before any outer: cannot be */
        b->changed = true;
        return CR_OK;
    }
    if (b->hole_count == b->hole_cap) {
        size_t cap = b->hole_cap ? 2 * b->hole_cap : 8;
        GEOSGeometry **h = realloc(b->holes, cap * sizeof *h);
        if (!h) {
            GEOSGeom_destroy_r(L->z->geos, lr);
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
        }
        b->holes = h;
        b->hole_cap = cap;
    }
    b->holes[b->hole_count++] = lr;
    return CR_OK;
}

/* One ring of the area from the copied points, transformed; degenerate rings are left out. */
static enum cr_status
add_ring(struct cr_zoning_loader *L, const struct osm_collect *c, size_t ring, struct area_build *b,
         struct cr_error *err)
{
    size_t first = c->rings[ring].first_point, pts = c->rings[ring].point_count;
    enum cr_status st;
    if ((st = cr_zoning_reserve_xy(L, pts + 1, err)))
        return st;
    for (size_t i = 0; i < pts; i++) {
        L->xy[2 * i] = c->points[2 * (first + i)] / 1e7;
        L->xy[2 * i + 1] = c->points[2 * (first + i) + 1] / 1e7;
    }
    bool bad = false;
    GEOSGeometry *lr = cr_zoning_ring(L, pts, &bad);
    if (!lr) {
        b->changed = true;
        return bad ? CR_OK : cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
    }
    if (!c->rings[ring].outer)
        return add_hole(L, b, lr, err);
    b->shell = lr;
    return CR_OK;
}

/* Area K as a zone (or counted as without area). */
static enum cr_status
build_area(struct cr_zoning_loader *L, const struct osm_collect *c, size_t k, struct cr_error *err)
{
    const struct osm_area_copy *ac = &c->areas[k];
    struct area_build b = { 0 };
    enum cr_status st = CR_OK;
    cr_zoning_reset_box(L);
    for (size_t r = 0; r < ac->ring_count && !st; r++) {
        if (c->rings[ac->first_ring + r].outer)
            st = close_polygon(L, &b, err);
        if (!st)
            st = add_ring(L, c, ac->first_ring + r, &b, err);
    }
    if (!st)
        st = close_polygon(L, &b, err);
    if (st) {
        area_build_free(L, &b);
        return st;
    }
    free(b.holes);
    GEOSGeometry *zg = cr_zoning_polygonal(L, b.n);
    if (!zg) {
        L->z->skipped_degenerate++;
        return CR_OK;
    }
    return cr_zoning_add_zone(L, zg, ac->cls, ac->name, c->values + ac->first_value, ac->id,
                              b.changed, err);
}

static void
collect_free(struct osm_collect *c)
{
    for (size_t i = 0; i < c->area_count; i++) {
        free(c->areas[i].cls);
        free(c->areas[i].name);
    }
    free(c->areas);
    free(c->rings);
    free(c->points);
    free(c->values);
}

enum cr_status
cr_zoning_load_osm(struct cr_zoning_loader *L, const struct cr_zones_options *o,
                   struct cr_error *err)
{
    struct cr_zones *z = L->z;
    enum cr_status st = CR_OK;
    struct osm_collect c = {
        .o = o,
        .z = z,
        .err = err,
        .key = o->class_field ? o->class_field : "landuse",
        .name_key = o->name_field ? o->name_field : "name",
        .min_lon = INT32_MAX,
        .min_lat = INT32_MAX,
        .max_lon = INT32_MIN,
        .max_lat = INT32_MIN,
    };
    const char *keys[] = { c.key, NULL };
    struct cr_osm_area_handler handler = { .user = &c, .area = osm_area, .stop_err = err };
    PJ *wgs84 = NULL;

    if (!(z->layer_name = strdup(c.key)) || !(z->class_field = strdup(c.key)) ||
        !(z->source_crs = strdup("EPSG:4326"))) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
        goto done;
    }
    if (o->s_srs) {
        st = cr_error_set(err, CR_EINVAL, "%s: OSM data is always WGS 84: no --s-srs", o->path);
        goto done;
    }
    if (err)
        err->code = CR_OK;
    if ((st = cr_osm_read_areas(o->path, keys, &handler, err)))
        goto done;
    if (z->features_read == 0) {
        st = cr_error_set(err, CR_EEMPTY, "%s: no %s=* area (closed way or multipolygon)", o->path,
                          c.key);
        goto done;
    }
    if (!(wgs84 = cr_crs_wgs84(z->ctx, err))) {
        st = err ? err->code : CR_EINTERNAL;
        goto done;
    }
    double clon = ((double)c.min_lon + c.max_lon) / 2e7,
           clat = ((double)c.min_lat + c.max_lat) / 2e7;
    /* the point in the source's own axis order: normalised lon, lat */
    if ((st = cr_zoning_choose_work_crs(L, wgs84, o, clon, clat, err)))
        goto done;
    for (size_t k = 0; k < c.area_count && !st; k++)
        st = build_area(L, &c, k, err);
    if (!st && z->count == 0)
        st = cr_error_set(err, CR_EEMPTY, "%s: no %s=* area with a surface (%zu without area)",
                          o->path, c.key, z->skipped_degenerate);
done:
    collect_free(&c);
    return st;
}
