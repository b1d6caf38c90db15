/*
 * Zoning layers: GDAL/OGR (Shapefile, GeoPackage, GeoJSON, FlatGeobuf...; zoning_ogr.c) or OSM
 * landuse areas (libosmium's area assembler, through the shim; zoning_osm.c), reprojected with
 * PROJ into a working CRS in metres, built as GEOS geometries, repaired with MakeValid only when
 * GEOSisValid says invalid, and indexed once with a GEOS STRtree (spatial/zones.c).
 *
 * This file: what both loaders share (build.h) and cr_zones_load.
 */
#include "importers/zoning/zoning.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_string.h>

#include "importers/zoning/build.h"
#include "spatial/crs.h"
#include "spatial/vector.h"

void
cr_zoning_reset_box(struct cr_zoning_loader *L)
{
    L->box[0] = L->box[1] = INFINITY;
    L->box[2] = L->box[3] = -INFINITY;
}

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static bool
is_osm_path(const char *path)
{
    return ends_with(path, ".osm") || ends_with(path, ".osm.pbf") || ends_with(path, ".pbf") ||
           ends_with(path, ".osm.bz2") || ends_with(path, ".osm.gz");
}

/* ---- text: UTF-8 ---------------------------------------------------------------------------- */

/* S recoded by CD with the shift state flushed at the end; NULL when S does not decode.
 * (GDAL 3.6's CPLRecode leaves the state unflushed and drops the last letter of every CP1258
 * string, a stateful encoding: "Sáu" -> "Sá".) caller frees: free() */
static char *
iconv_copy(iconv_t cd, const char *s)
{
    size_t in_left = strlen(s), cap = 4 * in_left + 16, out_left = cap - 1;
    char *out = malloc(cap), *in = (char *)s, *op = out;
    if (!out)
        return NULL;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &in, &in_left, &op, &out_left) == (size_t)-1 ||
        iconv(cd, NULL, NULL, &op, &out_left) == (size_t)-1) {
        free(out);
        return NULL;
    }
    *op = '\0';
    return out;
}

char *
cr_zoning_utf8_copy(iconv_t cd, const char *s)
{
    if (cd != (iconv_t)-1) {
        char *r = iconv_copy(cd, s);
        if (r)
            return r;
    }
    if (CPLIsUTF8(s, -1))
        return strdup(s);
    char *r = CPLRecode(s, CPL_ENC_ISO8859_1, CPL_ENC_UTF8);
    char *copy = r ? strdup(r) : NULL;
    CPLFree(r);
    return copy;
}

/* ---- the working CRS ----------------------------------------------------------------------- */

/* The UTM zone of the point (CX, CY) of SRC. */
static PJ *
utm_of(struct cr_zoning_loader *L, PJ *src, const struct cr_zones_options *o, double cx, double cy,
       struct cr_error *err)
{
    struct cr_ctx *ctx = L->z->ctx;
    PJ *wgs84 = cr_crs_wgs84(ctx, err);
    PJ *to_wgs84 = wgs84 ? cr_crs_transform(ctx, src, wgs84, o->path, err) : NULL;
    PJ *work = NULL;
    double lon = cx, lat = cy;
    if (!to_wgs84)
        goto done;
    if (cr_crs_point(to_wgs84, PJ_FWD, &lon, &lat) || fabs(lon) > 180 || fabs(lat) > 90) {
        const char *name = cr_crs_name(src);
        cr_error_set(err, CR_EINVAL,
                     "%s: coordinates (%.6g, %.6g) do not fit its CRS %s (wrong .prj? give "
                     "--s-srs)",
                     o->path, cx, cy, name ? name : "");
        goto done;
    }
    char code[32];
    snprintf(code, sizeof code, "EPSG:%d", cr_crs_utm_epsg(lon, lat));
    if (!(work = proj_create(cr_ctx_proj(ctx), code)))
        cr_ctx_proj_error(ctx, err, CR_EINTERNAL, "%s: cannot make the working CRS %s", o->path,
                          code);
done:
    proj_destroy(to_wgs84);
    proj_destroy(wgs84);
    return work;
}

enum cr_status
cr_zoning_choose_work_crs(struct cr_zoning_loader *L, PJ *src, const struct cr_zones_options *o,
                          double cx, double cy, struct cr_error *err)
{
    struct cr_ctx *ctx = L->z->ctx;
    enum cr_status st = CR_OK;
    PJ *work = NULL;

    if (o->work_crs)
        work = cr_crs_parse(ctx, o->work_crs, "working CRS", o->path, err);
    else if (cr_crs_is_projected_metres(ctx, src))
        work = proj_clone(cr_ctx_proj(ctx), src);
    else
        work = utm_of(L, src, o, cx, cy, err);
    if (!work) {
        st = err && err->code ? err->code : CR_EINVAL;
        goto done;
    }
    if (!cr_crs_same(src, work) &&
        !(L->src_to_work = cr_crs_transform(ctx, src, work, o->path, err))) {
        st = err ? err->code : CR_EINVAL;
        goto done;
    }
    st = cr_zones_set_work_crs(L->z, work, o->path, err);
    work = NULL;
done:
    proj_destroy(work);
    proj_destroy(src);
    return st;
}

/* ---- building zones ------------------------------------------------------------------------ */

enum cr_status
cr_zoning_reserve_xy(struct cr_zoning_loader *L, size_t points, struct cr_error *err)
{
    if (points <= L->xy_cap)
        return CR_OK;
    size_t n = L->xy_cap ? L->xy_cap : 1024;
    while (n < points)
        n *= 2;
    double *xy = realloc(L->xy, n * 2 * sizeof *xy);
    if (!xy)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
    L->xy = xy;
    L->xy_cap = n;
    return CR_OK;
}

enum cr_status
cr_zoning_reserve_parts(struct cr_zoning_loader *L, size_t n, struct cr_error *err)
{
    if (n <= L->part_cap)
        return CR_OK;
    size_t cap = L->part_cap ? 2 * L->part_cap : 16;
    while (cap < n)
        cap *= 2;
    GEOSGeometry **parts = realloc(L->parts, cap * sizeof *parts);
    if (!parts)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
    L->parts = parts;
    L->part_cap = cap;
    return CR_OK;
}

GEOSGeometry *
cr_zoning_ring(struct cr_zoning_loader *L, size_t n, bool *bad)
{
    GEOSContextHandle_t g = L->z->geos;
    double *xy = L->xy;
    if (L->src_to_work && cr_crs_xy(L->src_to_work, PJ_FWD, xy, n)) {
        *bad = true;
        return NULL;
    }
    double box[4] = { L->box[0], L->box[1], L->box[2], L->box[3] };
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y)) {
            *bad = true;
            return NULL;
        }
        box[0] = x < box[0] ? x : box[0];
        box[1] = y < box[1] ? y : box[1];
        box[2] = x > box[2] ? x : box[2];
        box[3] = y > box[3] ? y : box[3];
    }
    memcpy(L->box, box, sizeof box);
    if (n > 0 && (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1])) {
        xy[2 * n] = xy[0];
        xy[2 * n + 1] = xy[1];
        n++;
    }
    if (n < 4) {
        *bad = true;
        return NULL;
    }
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(g, xy, (unsigned)n, 0, 0);
    if (!seq)
        return NULL;
    GEOSGeometry *ring = GEOSGeom_createLinearRing_r(g, seq); /* takes seq */
    if (!ring)
        *bad = true;
    return ring;
}

/* Collects the polygonal parts of GEOM (any type) into L->parts[*n...]; takes nothing. */
static enum cr_status
collect_polygons(struct cr_zoning_loader *L, const GEOSGeometry *geom, size_t *n,
                 struct cr_error *err)
{
    GEOSContextHandle_t g = L->z->geos;
    int type = GEOSGeomTypeId_r(g, geom);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(g, geom) == 1)
            return CR_OK;
        if (cr_zoning_reserve_parts(L, *n + 1, err))
            return err->code;
        L->parts[*n] = GEOSGeom_clone_r(g, geom);
        if (!L->parts[*n])
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
        (*n)++;
        return CR_OK;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int count = GEOSGetNumGeometries_r(g, geom);
        for (int i = 0; i < count; i++)
            if (collect_polygons(L, GEOSGetGeometryN_r(g, geom, i), n, err))
                return err->code;
    }
    return CR_OK;
}

GEOSGeometry *
cr_zoning_polygonal(struct cr_zoning_loader *L, size_t n)
{
    if (n == 0)
        return NULL;
    if (n == 1)
        return L->parts[0];
    return GEOSGeom_createCollection_r(L->z->geos, GEOS_MULTIPOLYGON, L->parts, (unsigned)n);
}

static enum cr_status
grow_zones(struct cr_zoning_loader *L, struct cr_error *err)
{
    struct cr_zones *z = L->z;
    if (z->count == L->zone_cap) {
        size_t n = L->zone_cap ? 2 * L->zone_cap : 1024;
        struct cr_zone *zones = realloc(z->zones, n * sizeof *zones);
        if (!zones)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
        z->zones = zones;
        L->zone_cap = n;
    }
    size_t need = (z->count + 1) * z->value_count;
    if (need > L->value_cap) {
        size_t n = L->value_cap ? 2 * L->value_cap : 1024;
        while (n < need)
            n *= 2;
        double *v = realloc(z->value_block, n * sizeof *v);
        if (!v)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
        z->value_block = v;
        L->value_cap = n;
    }
    return CR_OK;
}

/* GEOM (taken) made valid: its polygonal parts after MakeValid ("structure"); *OUT is NULL when
 * none is left. */
static enum cr_status
make_valid(struct cr_zoning_loader *L, GEOSGeometry *geom, int64_t fid, GEOSGeometry **out,
           struct cr_error *err)
{
    struct cr_zones *z = L->z;
    GEOSContextHandle_t g = z->geos;
    enum cr_status st;
    cr_ctx_reset(z->ctx);
    GEOSGeometry *fixed = GEOSMakeValidWithParams_r(g, geom, L->make_valid);
    GEOSGeom_destroy_r(g, geom);
    *out = NULL;
    if (!fixed)
        return cr_ctx_geos_error(z->ctx, err, CR_EINTERNAL,
                                 "%s: feature %lld: GEOS MakeValid failed", L->path,
                                 (long long)fid);
    size_t n = 0;
    st = collect_polygons(L, fixed, &n, err);
    GEOSGeom_destroy_r(g, fixed);
    if (st) {
        for (size_t i = 0; i < n; i++)
            GEOSGeom_destroy_r(g, L->parts[i]);
        return st;
    }
    *out = cr_zoning_polygonal(L, n);
    return CR_OK;
}

/* Grows the set's bbox by the zone's: the rings' bbox, or GEOS's for a repaired zone (it may
 * have lost a ring). */
static void
grow_bbox(struct cr_zoning_loader *L, const GEOSGeometry *geom, bool repaired)
{
    struct cr_zones *z = L->z;
    double b[4] = { L->box[0], L->box[1], L->box[2], L->box[3] };
    if (repaired)
        GEOSGeom_getExtent_r(z->geos, geom, &b[0], &b[1], &b[2], &b[3]);
    z->bbox[0] = fmin(z->bbox[0], b[0]);
    z->bbox[1] = fmin(z->bbox[1], b[1]);
    z->bbox[2] = fmax(z->bbox[2], b[2]);
    z->bbox[3] = fmax(z->bbox[3], b[3]);
}

enum cr_status
cr_zoning_add_zone(struct cr_zoning_loader *L, GEOSGeometry *geom, const char *cls,
                   const char *name, const double *values, int64_t fid, bool repaired,
                   struct cr_error *err)
{
    struct cr_zones *z = L->z;
    GEOSContextHandle_t g = z->geos;
    enum cr_status st = CR_OK;
    char *name_copy = NULL;
    double area = 0;

    if (GEOSisValid_r(g, geom) != 1) {
        if ((st = make_valid(L, geom, fid, &geom, err)))
            return st;
        repaired = true;
    }
    if (!geom || GEOSArea_r(g, geom, &area) != 1 || !(area > 0)) {
        z->skipped_degenerate++;
        goto fail; /* not an error: counted */
    }
    if ((st = grow_zones(L, err)))
        goto fail;
    uint32_t cls_off = cr_strpool_intern(&z->class_pool, cls); /* one copy per class */
    if (cls_off == CR_STRPOOL_NOMEM ||
        (name && !(name_copy = cr_zoning_utf8_copy((iconv_t)-1, name)))) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
        goto fail;
    }
    struct cr_zone *zone = &z->zones[z->count];
    *zone = (struct cr_zone){ .geom = geom,
                              .cls_off = cls_off,
                              .name = name_copy,
                              .area_m2 = area,
                              .fid = fid,
                              .repaired = repaired };
    if (z->value_count)
        memcpy(z->value_block + z->count * z->value_count, values, z->value_count * sizeof *values);
    z->repaired += repaired;
    z->count++;
    grow_bbox(L, geom, repaired);
    return CR_OK;
fail:
    if (geom)
        GEOSGeom_destroy_r(g, geom);
    free(name_copy);
    return st;
}

/* ---- the API ------------------------------------------------------------------------------- */

enum cr_status
cr_zones_load(const struct cr_zones_options *o, struct cr_zones **out, struct cr_error *err)
{
    struct cr_zoning_loader L = { .recode = (iconv_t)-1 };
    enum cr_status st;
    *out = NULL;
    if (!o || !o->path || !*o->path)
        return cr_error_set(err, CR_EINVAL, "zones: no file given");
    if (!(L.z = cr_zones_create(o->path, o->value_fields, err)))
        return err ? err->code : CR_ENOMEM;
    L.path = o->path;
    /* "structure": rings made valid, shells merged, holes subtracted: overlapping parts of a
     * multipolygon come out as one polygon, where "linework" leaves a collection of pieces */
    L.make_valid = GEOSMakeValidParams_create_r(L.z->geos);
    if (!L.make_valid ||
        !GEOSMakeValidParams_setMethod_r(L.z->geos, L.make_valid, GEOS_MAKE_VALID_STRUCTURE) ||
        !GEOSMakeValidParams_setKeepCollapsed_r(L.z->geos, L.make_valid, 0)) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
        goto done;
    }
    cr_vector_quiet_begin(); /* errors go into err, not to stderr */
    st = is_osm_path(o->path) ? cr_zoning_load_osm(&L, o, err) : cr_zoning_load_ogr(&L, o, err);
    cr_vector_quiet_end();
    if (!st)
        st = cr_zones_finish(L.z, o->path, err);
done:
    proj_destroy(L.src_to_work);
    if (L.make_valid)
        GEOSMakeValidParams_destroy_r(L.z->geos, L.make_valid);
    if (L.recode != (iconv_t)-1)
        iconv_close(L.recode);
    free(L.xy);
    free(L.parts);
    if (st) {
        cr_zones_destroy(L.z);
        return st;
    }
    *out = L.z;
    return CR_OK;
}
