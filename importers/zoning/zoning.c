/*
 * Zoning layers: GDAL/OGR (Shapefile, GeoPackage, GeoJSON, FlatGeobuf...) or OSM landuse areas
 * (libosmium's area assembler, through the shim), reprojected with PROJ into a working CRS in
 * metres, built as GEOS geometries, repaired with MakeValid only when GEOSisValid says invalid,
 * and indexed once with a GEOS STRtree.
 *
 * The loader's hot loop per feature: OGR_L_GetNextFeature, the rings' points copied with
 * OGR_G_GetPoints into one scratch buffer, one proj_trans_generic per ring through a single
 * transformation made once per layer, GEOSCoordSeq_copyFromBuffer_r, GEOSisValid_r, GEOSArea_r.
 */
#ifndef _LARGEFILE64_SOURCE
#define _LARGEFILE64_SOURCE 1 /* VSIStatBufL is struct stat64 on Linux */
#endif
#include "importers/zoning/zoning.h"

#include <ctype.h>
#include <iconv.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <proj.h>

#include "importers/ogr_util.h"
#include "importers/osm/osm_reader.h"

struct cr_zones_proj {
    PJ_CONTEXT *ctx;
    PJ *wgs84_to_work; /* normalised: lon, lat in; x, y out */
    char geos_msg[CR_ERROR_SIZE];
    char **class_names; /* interned class strings, owned here */
    size_t class_name_count, class_name_cap;
    size_t *class_slots; /* open addressing: index + 1 into class_names, 0 = free */
    size_t slot_count;
    double *values; /* [count * value_count], zones[i].values point in here */
};

/* What a load carries besides the set: the scratch buffer and the source -> work transform. */
struct loader {
    struct cr_zones *z;
    const char *path; /* for messages */
    PJ *src_to_work;  /* NULL: the source CRS is the working CRS */
    double *xy;       /* interleaved x, y scratch */
    size_t xy_cap;    /* in points */
    GEOSGeometry **parts;
    size_t part_cap;
    size_t zone_cap;
    size_t value_cap; /* in doubles */
    iconv_t recode;   /* CP1258 .dbf -> UTF-8, done here; (iconv_t)-1: GDAL's own */
    double box[4];    /* the current feature's rings' bbox, working CRS */
    GEOSMakeValidParams *make_valid;
};

static void
reset_box(struct loader *L)
{
    L->box[0] = L->box[1] = INFINITY;
    L->box[2] = L->box[3] = -INFINITY;
}

/* ---- small helpers ----------------------------------------------------------------------- */

static void
geos_message(const char *message, void *user)
{
    struct cr_zones_proj *p = user;
    snprintf(p->geos_msg, sizeof p->geos_msg, "%s", message);
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

static const char *
proj_message(PJ_CONTEXT *ctx)
{
    int e = proj_context_errno(ctx);
    const char *m = e ? proj_context_errno_string(ctx, e) : NULL;
    return m && *m ? m : "not a CRS PROJ knows";
}

static uint64_t
hash_string(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The interned copy of CLS (one string per distinct class), or NULL when out of memory. */
static const char *
intern_class(struct cr_zones_proj *p, const char *cls)
{
    if (2 * (p->class_name_count + 1) > p->slot_count) {
        size_t n = p->slot_count ? 2 * p->slot_count : 64;
        size_t *slots = calloc(n, sizeof *slots);
        if (!slots)
            return NULL;
        for (size_t i = 0; i < p->class_name_count; i++) {
            size_t s = hash_string(p->class_names[i]) & (n - 1);
            while (slots[s])
                s = (s + 1) & (n - 1);
            slots[s] = i + 1;
        }
        free(p->class_slots);
        p->class_slots = slots;
        p->slot_count = n;
    }
    size_t s = hash_string(cls) & (p->slot_count - 1);
    while (p->class_slots[s]) {
        const char *have = p->class_names[p->class_slots[s] - 1];
        if (strcmp(have, cls) == 0)
            return have;
        s = (s + 1) & (p->slot_count - 1);
    }
    if (p->class_name_count == p->class_name_cap) {
        size_t n = p->class_name_cap ? 2 * p->class_name_cap : 16;
        char **names = realloc(p->class_names, n * sizeof *names);
        if (!names)
            return NULL;
        p->class_names = names;
        p->class_name_cap = n;
    }
    char *copy = strdup(cls);
    if (!copy)
        return NULL;
    p->class_names[p->class_name_count++] = copy;
    p->class_slots[s] = p->class_name_count;
    return copy;
}

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

/* A UTF-8 copy of S: recoded by CD when it is open; else as is when it is valid UTF-8, else
 * read as ISO-8859-1 (a .dbf whose encoding GDAL could not tell). caller frees: free() */
static char *
utf8_copy_with(iconv_t cd, const char *s)
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

static char *
utf8_copy(const char *s)
{
    return utf8_copy_with((iconv_t)-1, s);
}

/* ---- CRS --------------------------------------------------------------------------------- */

/* A PROJ CRS from what a user types: "EPSG:3405", "3405", a PROJ string, WKT or any other
 * string proj_create knows. */
static PJ *
crs_from_user(PJ_CONTEXT *ctx, const char *text, const char *what, const char *path,
              struct cr_error *err)
{
    char buf[2048];
    const char *s = text + strspn(text, " \t");
    PJ *crs = NULL;
    if (*s == '\0') {
        cr_error_set(err, CR_EINVAL, "%s: %s is empty", path, what);
        return NULL;
    }
    if (strspn(s, "0123456789") == strlen(s)) {
        snprintf(buf, sizeof buf, "EPSG:%s", s);
        s = buf;
    } else if (s[0] == '+' && !strstr(s, "type=crs")) {
        if ((size_t)snprintf(buf, sizeof buf, "%s +type=crs", s) >= sizeof buf) {
            cr_error_set(err, CR_EINVAL, "%s: %s is too long", path, what);
            return NULL;
        }
        s = buf;
    }
    crs = proj_create(ctx, s);
    if (!crs || !proj_is_crs(crs)) {
        cr_error_set(err, CR_EINVAL, "%s: unknown CRS \"%.60s\" (%s): %s", path, text,
                     crs ? "not a CRS" : proj_message(ctx), what);
        proj_destroy(crs);
        return NULL;
    }
    return crs;
}

/* The horizontal part of CRS (a bound CRS's source, a compound CRS's first part).
 * caller frees: proj_destroy() */
static PJ *
horizontal_crs(PJ_CONTEXT *ctx, const PJ *crs)
{
    PJ_TYPE t = proj_get_type(crs);
    if (t == PJ_TYPE_BOUND_CRS) {
        PJ *src = proj_get_source_crs(ctx, crs);
        PJ *h = src ? horizontal_crs(ctx, src) : NULL;
        proj_destroy(src);
        return h;
    }
    if (t == PJ_TYPE_COMPOUND_CRS) {
        PJ *sub = proj_crs_get_sub_crs(ctx, crs, 0);
        PJ *h = sub ? horizontal_crs(ctx, sub) : NULL;
        proj_destroy(sub);
        return h;
    }
    return proj_clone(ctx, crs);
}

/* Whether CRS is projected with axes in metres (so areas are m^2 as they stand). */
static bool
is_projected_metres(PJ_CONTEXT *ctx, const PJ *crs)
{
    bool ok = false;
    PJ *h = horizontal_crs(ctx, crs);
    PJ *cs = NULL;
    if (!h || proj_get_type(h) != PJ_TYPE_PROJECTED_CRS)
        goto done;
    cs = proj_crs_get_coordinate_system(ctx, h);
    if (!cs || proj_cs_get_axis_count(ctx, cs) < 2)
        goto done;
    ok = true;
    for (int i = 0; i < 2; i++) {
        double factor = 0;
        if (!proj_cs_get_axis_info(ctx, cs, i, NULL, NULL, NULL, &factor, NULL, NULL, NULL) ||
            fabs(factor - 1.0) > 1e-12)
            ok = false;
    }
done:
    proj_destroy(cs);
    proj_destroy(h);
    return ok;
}

/* "AUTH:CODE" when CRS has an identifier, else its WKT. caller frees: free() */
static char *
crs_text(PJ_CONTEXT *ctx, const PJ *crs)
{
    const char *auth = proj_get_id_auth_name(crs, 0), *code = proj_get_id_code(crs, 0);
    if (auth && code) {
        size_t n = strlen(auth) + strlen(code) + 2;
        char *s = malloc(n);
        if (s)
            snprintf(s, n, "%s:%s", auth, code);
        return s;
    }
    const char *wkt = proj_as_wkt(ctx, crs, PJ_WKT2_2019, NULL);
    if (wkt)
        return strdup(wkt);
    const char *p4 = proj_as_proj_string(ctx, crs, PJ_PROJ_5, NULL);
    return p4 ? strdup(p4) : NULL;
}

/* A transformation FROM -> TO with lon/lat (east/north) axis order on both sides. */
static PJ *
transformation(PJ_CONTEXT *ctx, const PJ *from, const PJ *to)
{
    PJ *raw = proj_create_crs_to_crs_from_pj(ctx, from, to, NULL, NULL);
    if (!raw)
        return NULL;
    PJ *norm = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);
    return norm;
}

/* The UTM zone (WGS 84) holding lon, lat: EPSG:326zz north, 327zz south. */
static int
utm_epsg(double lon, double lat)
{
    int zone = (int)floor((lon + 180.0) / 6.0) + 1;
    zone = zone < 1 ? 1 : zone > 60 ? 60 : zone;
    return (lat >= 0 ? 32600 : 32700) + zone;
}

/* Sets the working CRS (takes WORK) and the WGS84 <-> work transformation. */
static enum cr_status
set_work_crs(struct cr_zones *z, PJ *work, const char *path, struct cr_error *err)
{
    PJ_CONTEXT *ctx = z->proj->ctx;
    enum cr_status st = CR_OK;
    PJ *wgs84 = proj_create(ctx, "EPSG:4326");
    z->work_crs = crs_text(ctx, work);
    const char *name = proj_get_name(work);
    if (!name || !*name || strcmp(name, "unknown") == 0)
        name = "a CRS without a name (PROJ string or WKT)";
    z->work_crs_name = strdup(name);
    if (!wgs84 || !z->work_crs || !z->work_crs_name) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory (or no PROJ database)", path);
        goto done;
    }
    z->proj->wgs84_to_work = transformation(ctx, wgs84, work);
    if (!z->proj->wgs84_to_work)
        st = cr_error_set(err, CR_EINVAL, "%s: no transformation between WGS 84 and %s (%s)", path,
                          z->work_crs_name, proj_message(ctx));
done:
    proj_destroy(wgs84);
    proj_destroy(work);
    return st;
}

/* ---- building zones ---------------------------------------------------------------------- */

static enum cr_status
reserve_xy(struct loader *L, size_t points, struct cr_error *err)
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

static enum cr_status
reserve_parts(struct loader *L, size_t n, struct cr_error *err)
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

/* A linear ring from the N points in L->xy (room for N + 1), transformed to the working CRS
 * when TRANSFORM and closed if open; NULL when fewer than 4 points remain or a coordinate is
 * not finite (*bad set). */
static GEOSGeometry *
ring_from_xy(struct loader *L, size_t n, PJ *transform, bool *bad)
{
    GEOSContextHandle_t g = L->z->geos;
    double *xy = L->xy;
    if (transform && n > 0)
        proj_trans_generic(transform, PJ_FWD, xy, 2 * sizeof(double), n, xy + 1, 2 * sizeof(double),
                           n, NULL, 0, 0, NULL, 0, 0);
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

/* Collects the polygonal parts of G (any type) into L->parts[*n...]; takes nothing. */
static enum cr_status
collect_polygons(struct loader *L, const GEOSGeometry *geom, size_t *n, struct cr_error *err)
{
    GEOSContextHandle_t g = L->z->geos;
    int type = GEOSGeomTypeId_r(g, geom);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(g, geom) == 1)
            return CR_OK;
        if (reserve_parts(L, *n + 1, err))
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

/* Polygon or MultiPolygon from L->parts[0..n) (taken); NULL when n == 0. */
static GEOSGeometry *
polygonal_from_parts(struct loader *L, size_t n)
{
    if (n == 0)
        return NULL;
    if (n == 1)
        return L->parts[0];
    return GEOSGeom_createCollection_r(L->z->geos, GEOS_MULTIPOLYGON, L->parts, (unsigned)n);
}

static enum cr_status
grow_zones(struct loader *L, struct cr_error *err)
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
        double *v = realloc(z->proj->values, n * sizeof *v);
        if (!v)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
        z->proj->values = v;
        L->value_cap = n;
    }
    return CR_OK;
}

/* Adds GEOM (taken; may be invalid) as a zone with class CLS and NAME (copied); VALUES are the
 * zone's numbers (copied). REPAIRED says the caller already changed the geometry (dropped a
 * degenerate ring). An invalid geometry is made valid; what keeps no area is skipped and
 * counted. */
static enum cr_status
add_zone(struct loader *L, GEOSGeometry *geom, const char *cls, const char *name,
         const double *values, int64_t fid, bool repaired, struct cr_error *err)
{
    struct cr_zones *z = L->z;
    GEOSContextHandle_t g = z->geos;
    enum cr_status st = CR_OK;
    char *name_copy = NULL;
    double area = 0;

    char valid = GEOSisValid_r(g, geom);
    if (valid != 1) {
        GEOSGeometry *fixed = GEOSMakeValidWithParams_r(g, geom, L->make_valid);
        if (!fixed) {
            st = cr_error_set(err, CR_EINTERNAL, "%s: feature %lld: GEOS MakeValid failed: %s",
                              L->path, (long long)fid, z->proj->geos_msg);
            goto fail;
        }
        GEOSGeom_destroy_r(g, geom);
        geom = NULL;
        size_t n = 0;
        st = collect_polygons(L, fixed, &n, err);
        GEOSGeom_destroy_r(g, fixed);
        if (st) {
            for (size_t i = 0; i < n; i++)
                GEOSGeom_destroy_r(g, L->parts[i]);
            goto fail;
        }
        geom = polygonal_from_parts(L, n);
        repaired = true;
    }
    if (!geom || GEOSArea_r(g, geom, &area) != 1 || !(area > 0)) {
        z->skipped_degenerate++;
        goto fail; /* not an error: counted */
    }
    if ((st = grow_zones(L, err)))
        goto fail;
    const char *interned = intern_class(z->proj, cls ? cls : "");
    if (name) {
        name_copy = utf8_copy(name);
        if (!name_copy) {
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
            goto fail;
        }
    }
    if (!interned) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
        goto fail;
    }
    struct cr_zone *zone = &z->zones[z->count];
    memset(zone, 0, sizeof *zone);
    zone->geom = geom;
    zone->cls = (char *)interned;
    zone->name = name_copy;
    zone->area_m2 = area;
    zone->fid = fid;
    zone->repaired = repaired;
    if (z->value_count)
        memcpy(z->proj->values + z->count * z->value_count, values,
               z->value_count * sizeof *values);
    z->repaired += repaired;
    z->count++;
    /* the rings' bbox; a repaired zone may have lost a ring: ask GEOS */
    double b[4] = { L->box[0], L->box[1], L->box[2], L->box[3] };
    if (repaired)
        GEOSGeom_getExtent_r(g, geom, &b[0], &b[1], &b[2], &b[3]);
    z->bbox[0] = fmin(z->bbox[0], b[0]);
    z->bbox[1] = fmin(z->bbox[1], b[1]);
    z->bbox[2] = fmax(z->bbox[2], b[2]);
    z->bbox[3] = fmax(z->bbox[3], b[3]);
    return CR_OK;
fail:
    if (geom)
        GEOSGeom_destroy_r(g, geom);
    free(name_copy);
    return st;
}

static int
compare_class(const void *a, const void *b)
{
    const struct cr_zone_class *x = a, *y = b;
    return strcmp(x->cls, y->cls);
}

static void
noop_visit(void *item, void *user)
{
    (void)item;
    (void)user;
}

/* After the last zone: values pointers, classes, bbox, STRtree (built now, not at the first
 * query, so queries from several readers never race to build it). */
static enum cr_status
finish(struct loader *L, struct cr_error *err)
{
    struct cr_zones *z = L->z;
    GEOSContextHandle_t g = z->geos;
    struct cr_zones_proj *p = z->proj;

    z->classes = calloc(p->class_name_count ? p->class_name_count : 1, sizeof *z->classes);
    if (!z->classes)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
    for (size_t i = 0; i < p->class_name_count; i++)
        z->classes[i].cls = p->class_names[i];
    z->class_count = p->class_name_count;
    /* a zone's class number: find its interned string's index by address order */
    for (size_t i = 0; i < z->count; i++) {
        struct cr_zone *zone = &z->zones[i];
        if (z->value_count)
            zone->values = p->values + i * z->value_count;
    }
    qsort(z->classes, z->class_count, sizeof *z->classes, compare_class);
    for (size_t i = 0; i < z->count; i++) {
        struct cr_zone_class key = { .cls = z->zones[i].cls };
        struct cr_zone_class *c =
            bsearch(&key, z->classes, z->class_count, sizeof key, compare_class);
        if (c) {
            c->count++;
            c->area_m2 += z->zones[i].area_m2;
        }
    }

    z->index = GEOSSTRtree_create_r(g, 10);
    if (!z->index)
        return cr_error_set(err, CR_ENOMEM, "%s: cannot make a GEOS STRtree: %s", L->path,
                            p->geos_msg);
    for (size_t i = 0; i < z->count; i++)
        GEOSSTRtree_insert_r(g, z->index, z->zones[i].geom, (void *)(uintptr_t)i);
    if (z->count == 0)
        memset(z->bbox, 0, sizeof z->bbox);
    /* one query builds the tree */
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g, z->bbox[0], z->bbox[1]);
    if (pt) {
        GEOSSTRtree_query_r(g, z->index, pt, noop_visit, NULL);
        GEOSGeom_destroy_r(g, pt);
    }
    return CR_OK;
}

/* ---- a set, empty ------------------------------------------------------------------------ */

static enum cr_status
zones_new(const struct cr_zones_options *o, struct cr_zones **out, struct cr_error *err)
{
    struct cr_zones *z = calloc(1, sizeof *z);
    *out = z;
    if (!z || !(z->proj = calloc(1, sizeof *z->proj)))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
    z->geos = GEOS_init_r();
    z->proj->ctx = proj_context_create();
    z->source_path = strdup(o->path);
    if (!z->geos || !z->proj->ctx || !z->source_path)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
    GEOSContext_setErrorMessageHandler_r(z->geos, geos_message, z->proj);
    z->bbox[0] = z->bbox[1] = INFINITY;
    z->bbox[2] = z->bbox[3] = -INFINITY;
    proj_log_level(z->proj->ctx, PJ_LOG_NONE);
    size_t n = 0;
    while (o->value_fields && o->value_fields[n])
        n++;
    if (n) {
        z->value_names = calloc(n, sizeof *z->value_names);
        if (!z->value_names)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
        for (size_t i = 0; i < n; i++)
            if (!(z->value_names[z->value_count++] = strdup(o->value_fields[i])))
                return cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
    }
    return CR_OK;
}

void
cr_zones_destroy(struct cr_zones *z)
{
    if (!z)
        return;
    if (z->index)
        GEOSSTRtree_destroy_r(z->geos, z->index);
    for (size_t i = 0; i < z->count; i++) {
        GEOSGeom_destroy_r(z->geos, z->zones[i].geom);
        free(z->zones[i].name);
    }
    free(z->zones);
    free(z->classes);
    for (size_t i = 0; i < z->value_count; i++)
        free(z->value_names[i]);
    free(z->value_names);
    free(z->source_path);
    free(z->layer_name);
    free(z->class_field);
    free(z->source_crs);
    free(z->work_crs);
    free(z->work_crs_name);
    if (z->proj) {
        for (size_t i = 0; i < z->proj->class_name_count; i++)
            free(z->proj->class_names[i]);
        free(z->proj->class_names);
        free(z->proj->class_slots);
        free(z->proj->values);
        proj_destroy(z->proj->wgs84_to_work);
        if (z->proj->ctx)
            proj_context_destroy(z->proj->ctx);
        free(z->proj);
    }
    if (z->geos)
        GEOS_finish_r(z->geos);
    free(z);
}

/* ---- GDAL/OGR layers --------------------------------------------------------------------- */

static bool
is_polygonal_type(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
           t == wkbMultiSurface || t == wkbPolyhedralSurface || t == wkbTIN;
}

static bool
is_other_type(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPoint || t == wkbLineString || t == wkbMultiPoint || t == wkbMultiLineString ||
           t == wkbCircularString || t == wkbCompoundCurve || t == wkbMultiCurve;
}

static OGRLayerH
pick_layer(GDALDatasetH ds, const struct cr_zones_options *o, struct cr_error *err)
{
    int n = GDALDatasetGetLayerCount(ds);
    if (o->layer) {
        OGRLayerH l = GDALDatasetGetLayerByName(ds, o->layer);
        if (l)
            return l;
        char names[160] = "";
        for (int i = 0; i < n; i++) {
            const char *nm = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", nm);
        }
        cr_error_set(err, CR_ENOTFOUND, "%s: no layer \"%s\" (layers: %s)", o->path, o->layer,
                     n ? names : "none");
        return NULL;
    }
    if (n == 0) {
        cr_error_set(err, CR_EEMPTY, "%s: no layer", o->path);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        if (is_polygonal_type(OGR_L_GetGeomType(l)))
            return l;
    }
    /* no layer says it holds polygons: the first whose first geometry is one */
    for (int i = 0; i < n; i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        if (wkbFlatten(OGR_L_GetGeomType(l)) != wkbUnknown)
            continue;
        OGR_L_ResetReading(l);
        OGRFeatureH f = OGR_L_GetNextFeature(l);
        OGRGeometryH g = f ? OGR_F_GetGeometryRef(f) : NULL;
        bool polygonal = g && is_polygonal_type(OGR_G_GetGeometryType(g));
        if (f)
            OGR_F_Destroy(f);
        OGR_L_ResetReading(l);
        if (polygonal)
            return l;
    }
    return GDALDatasetGetLayer(ds, 0);
}

/* The index of field NAME (case-insensitive; names recoded as the values are), or -1 with an
 * error listing the fields. */
static int
find_field(const struct loader *L, OGRFeatureDefnH defn, const char *name, const char *what,
           struct cr_error *err)
{
    const struct cr_zones *z = L->z;
    int i = -1, n = OGR_FD_GetFieldCount(defn);
    char names[140] = "";
    if (L->recode == (iconv_t)-1 && (i = OGR_FD_GetFieldIndex(defn, name)) >= 0)
        return i;
    for (int k = 0; k < n; k++) {
        char *field = utf8_copy_with(L->recode, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k)));
        if (field && strcasecmp(field, name) == 0)
            i = k;
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "", field ? field : "?");
        free(field);
        if (i >= 0)
            return i;
    }
    cr_error_set(err, CR_ENOTFOUND, "%s: layer %s has no %s field \"%s\" (fields: %s)",
                 z->source_path, z->layer_name, what, name, n ? names : "none");
    return -1;
}

/* The source CRS of a GDAL layer (or the override) as a PROJ object. */
static PJ *
layer_crs(struct cr_zones *z, OGRLayerH layer, const struct cr_zones_options *o,
          struct cr_error *err)
{
    PJ_CONTEXT *ctx = z->proj->ctx;
    if (o->s_srs) {
        PJ *crs = crs_from_user(ctx, o->s_srs, "--s-srs", o->path, err);
        if (crs && !(z->source_crs = strdup(o->s_srs)))
            cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
        return crs;
    }
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    if (!srs) {
        /* a shapefile whose .prj GDAL could not read says so */
        size_t n = strlen(o->path);
        if (ends_with(o->path, ".shp")) {
            char *prj = strdup(o->path);
            if (prj) {
                memcpy(prj + n - 4, ".prj", 4);
                VSIStatBufL st;
                int has_prj = VSIStatL(prj, &st) == 0;
                if (!has_prj) {
                    memcpy(prj + n - 4, ".PRJ", 4);
                    has_prj = VSIStatL(prj, &st) == 0;
                }
                free(prj);
                if (has_prj) {
                    cr_error_set(err, CR_EINVAL,
                                 "%s: unknown CRS: its .prj is not a CRS GDAL/PROJ knows "
                                 "(give --s-srs)",
                                 o->path);
                    return NULL;
                }
            }
        }
        cr_error_set(err, CR_EINVAL, "%s: layer %s has no CRS (no .prj?): give --s-srs", o->path,
                     z->layer_name);
        return NULL;
    }
    const char *auth = OSRGetAuthorityName(srs, NULL), *code = OSRGetAuthorityCode(srs, NULL);
    const char *name = OSRGetName(srs);
    PJ *crs = NULL;
    char buf[64];
    if (auth && code && strlen(auth) + strlen(code) < 40) {
        snprintf(buf, sizeof buf, "%.20s:%.19s", auth, code);
        crs = proj_create(ctx, buf);
        z->source_crs = strdup(buf);
    }
    if (!crs) {
        char *wkt = NULL;
        const char *options[] = { "FORMAT=WKT2_2019", NULL };
        if (OSRExportToWktEx(srs, &wkt, options) == OGRERR_NONE && wkt) {
            crs = proj_create(ctx, wkt);
        }
        CPLFree(wkt);
        free(z->source_crs);
        z->source_crs = strdup(name ? name : "unnamed CRS");
    }
    if (!crs || !proj_is_crs(crs)) {
        cr_error_set(err, CR_EINVAL, "%s: unknown CRS \"%s\" (%s): give --s-srs", o->path,
                     name ? name : "unnamed", proj_message(ctx));
        proj_destroy(crs);
        return NULL;
    }
    if (!z->source_crs) {
        proj_destroy(crs);
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
        return NULL;
    }
    return crs;
}

/* Chooses the working CRS for SRC (taken) given a point inside the data in SRC's axis order,
 * and makes the source -> work transformation (NULL when the same). */
static enum cr_status
choose_work_crs(struct loader *L, PJ *src, const struct cr_zones_options *o, double cx, double cy,
                struct cr_error *err)
{
    struct cr_zones *z = L->z;
    PJ_CONTEXT *ctx = z->proj->ctx;
    enum cr_status st = CR_OK;
    PJ *work = NULL, *wgs84 = NULL, *to_wgs84 = NULL;
    const char *src_name = proj_get_name(src);

    if (o->work_crs) {
        if (!(work = crs_from_user(ctx, o->work_crs, "working CRS", o->path, err))) {
            st = err ? err->code : CR_EINVAL;
            goto done;
        }
    } else if (is_projected_metres(ctx, src)) {
        work = proj_clone(ctx, src);
    } else {
        wgs84 = proj_create(ctx, "EPSG:4326");
        to_wgs84 = wgs84 ? transformation(ctx, src, wgs84) : NULL;
        if (!to_wgs84) {
            st = cr_error_set(err, CR_EINVAL, "%s: no transformation from %s to WGS 84 (%s)",
                              o->path, src_name ? src_name : "its CRS", proj_message(ctx));
            goto done;
        }
        PJ_COORD c = proj_trans(to_wgs84, PJ_FWD, proj_coord(cx, cy, 0, 0));
        if (!isfinite(c.lp.lam) || !isfinite(c.lp.phi) || fabs(c.lp.lam) > 180 ||
            fabs(c.lp.phi) > 90) {
            st = cr_error_set(err, CR_EINVAL,
                              "%s: coordinates (%.6g, %.6g) do not fit its CRS %s (wrong .prj? "
                              "give --s-srs)",
                              o->path, cx, cy, src_name ? src_name : "");
            goto done;
        }
        char code[32];
        snprintf(code, sizeof code, "EPSG:%d", utm_epsg(c.lp.lam, c.lp.phi));
        work = proj_create(ctx, code);
    }
    if (!work) {
        st = cr_error_set(err, CR_EINTERNAL, "%s: cannot make the working CRS (%s)", o->path,
                          proj_message(ctx));
        goto done;
    }
    if (!proj_is_equivalent_to(src, work, PJ_COMP_EQUIVALENT)) {
        L->src_to_work = transformation(ctx, src, work);
        if (!L->src_to_work) {
            st = cr_error_set(err, CR_EINVAL, "%s: no transformation from %s to %s (%s)", o->path,
                              src_name ? src_name : "its CRS", proj_get_name(work),
                              proj_message(ctx));
            goto done;
        }
    }
    st = set_work_crs(z, work, o->path, err);
    work = NULL;
done:
    proj_destroy(work);
    proj_destroy(to_wgs84);
    proj_destroy(wgs84);
    proj_destroy(src);
    return st;
}

/* One OGR polygon's rings into L->parts[*n] (added), transformed. Degenerate rings are left
 * out and flagged in *changed; a degenerate exterior drops the part. */
static enum cr_status
ogr_polygon(struct loader *L, OGRGeometryH poly, size_t *n, bool *changed, struct cr_error *err)
{
    GEOSContextHandle_t g = L->z->geos;
    int rings = OGR_G_GetGeometryCount(poly);
    GEOSGeometry *shell = NULL, **holes = NULL;
    int hole_count = 0;
    enum cr_status st = CR_OK;
    if (rings <= 0)
        return CR_OK;
    if (rings > 1 && !(holes = malloc((size_t)(rings - 1) * sizeof *holes)))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
    for (int r = 0; r < rings; r++) {
        OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
        int pts = OGR_G_GetPointCount(ring);
        if (pts < 0)
            pts = 0;
        if ((st = reserve_xy(L, (size_t)pts + 1, err)))
            goto done;
        if (pts > 0)
            OGR_G_GetPoints(ring, L->xy, 2 * sizeof(double), L->xy + 1, 2 * sizeof(double), NULL,
                            0);
        bool bad = false;
        GEOSGeometry *lr = ring_from_xy(L, (size_t)pts, L->src_to_work, &bad);
        if (!lr) {
            if (!bad) {
                st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
                goto done;
            }
            *changed = true;
            if (r == 0)
                goto done; /* no shell: the whole part goes */
            continue;
        }
        if (r == 0)
            shell = lr;
        else
            holes[hole_count++] = lr;
    }
    if ((st = reserve_parts(L, *n + 1, err)))
        goto done;
    L->parts[*n] = GEOSGeom_createPolygon_r(g, shell, holes, (unsigned)hole_count);
    if (!L->parts[*n]) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
        goto done;
    }
    (*n)++;
    shell = NULL;
    hole_count = 0;
done:
    if (shell)
        GEOSGeom_destroy_r(g, shell);
    for (int i = 0; i < hole_count; i++)
        GEOSGeom_destroy_r(g, holes[i]);
    free(holes);
    return st;
}

/* A feature's geometry as GEOS parts: polygons of a Polygon, MultiPolygon or a collection;
 * curves made linear. *kind: 0 polygonal, 1 empty, 2 not polygonal. */
static enum cr_status
ogr_feature_parts(struct loader *L, OGRGeometryH geom, size_t *n, bool *changed, int *kind,
                  struct cr_error *err)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(geom));
    OGRGeometryH linear = NULL;
    enum cr_status st = CR_OK;
    if (t == wkbCurvePolygon || t == wkbMultiSurface || t == wkbPolyhedralSurface || t == wkbTIN) {
        linear = OGR_G_ForceTo(OGR_G_Clone(geom), wkbMultiPolygon, NULL);
        if (!linear)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
        geom = linear;
        t = wkbFlatten(OGR_G_GetGeometryType(geom));
    }
    if (t == wkbPolygon) {
        st = ogr_polygon(L, geom, n, changed, err);
    } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        int count = OGR_G_GetGeometryCount(geom);
        for (int i = 0; i < count && !st; i++) {
            OGRGeometryH part = OGR_G_GetGeometryRef(geom, i);
            OGRwkbGeometryType pt = wkbFlatten(OGR_G_GetGeometryType(part));
            if (pt == wkbPolygon)
                st = ogr_polygon(L, part, n, changed, err);
            else if (pt == wkbMultiPolygon || pt == wkbGeometryCollection)
                st = ogr_feature_parts(L, part, n, changed, kind, err);
            else if (is_polygonal_type(pt))
                st = ogr_feature_parts(L, part, n, changed, kind, err);
        }
        if (!st && *n == 0 && t == wkbGeometryCollection && !*changed)
            *kind = 2;
    } else {
        *kind = 2;
    }
    if (linear)
        OGR_G_DestroyGeometry(linear);
    return st;
}

/* Tells GDAL to leave out the fields no one asked for (and the style string): less to parse
 * and copy per feature in layers with many attributes. */
static enum cr_status
ignore_other_fields(struct loader *L, OGRLayerH layer, OGRFeatureDefnH defn, int class_idx,
                    int name_idx, const int *value_idx, struct cr_error *err)
{
    int n = OGR_FD_GetFieldCount(defn), k = 0;
    const char **names = calloc((size_t)n + 2, sizeof *names);
    if (!names)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
    for (int i = 0; i < n; i++) {
        bool used = i == class_idx || i == name_idx;
        for (size_t v = 0; v < L->z->value_count && !used; v++)
            used = value_idx[v] == i;
        if (!used)
            names[k++] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    }
    names[k++] = "OGR_STYLE";
    OGR_L_SetIgnoredFields(layer, names); /* a driver that cannot ignore reads them all */
    free(names);
    return CR_OK;
}

static enum cr_status
load_ogr(struct loader *L, const struct cr_zones_options *o, struct cr_error *err)
{
    struct cr_zones *z = L->z;
    GEOSContextHandle_t g = z->geos;
    enum cr_status st = CR_OK;
    GDALDatasetH ds = NULL;
    OGRFeatureH f = NULL;
    int *value_idx = NULL;
    double *values = NULL;
    PJ *src = NULL;
    size_t skipped_lines = 0;

    if ((st = cr_ogr_check_file(o->path, "zones", err)))
        return st;
    GDALAllRegister(); /* idempotent */
    CPLErrorReset();
    char encoding[80];
    const char *open_options[] = { encoding, NULL };
    if (o->encoding)
        snprintf(encoding, sizeof encoding, "ENCODING=%s", o->encoding);
    ds = GDALOpenEx(o->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                    o->encoding ? open_options : NULL, NULL);
    if (!ds) {
        st = cr_error_set(err, CR_EFORMAT, "%s: not a vector file GDAL can open (%s)", o->path,
                          cr_ogr_message());
        goto done;
    }
    OGRLayerH layer = pick_layer(ds, o, err);
    if (!layer) {
        st = err ? err->code : CR_ENOTFOUND;
        goto done;
    }
    /* a CP1258 .dbf: GDAL's recoding drops each string's last letter, so read it raw and
     * recode here */
    const char *source_encoding =
        GDALGetMetadataItem((GDALMajorObjectH)layer, "SOURCE_ENCODING", "SHAPEFILE");
    if (source_encoding && strstr(source_encoding, "1258")) {
        L->recode = iconv_open("UTF-8", "CP1258");
        if (L->recode != (iconv_t)-1) {
            char layer_name[256];
            snprintf(layer_name, sizeof layer_name, "%s", OGR_L_GetName(layer));
            GDALClose(ds);
            snprintf(encoding, sizeof encoding, "ENCODING=");
            ds = GDALOpenEx(o->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, open_options, NULL);
            layer = ds ? GDALDatasetGetLayerByName(ds, layer_name) : NULL;
            if (!layer) {
                st = cr_error_set(err, CR_EFORMAT, "%s: cannot open it again (%s)", o->path,
                                  cr_ogr_message());
                goto done;
            }
        }
    }
    if (!(z->layer_name = strdup(OGR_L_GetName(layer)))) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
        goto done;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int class_idx = -1, name_idx = -1;
    if (o->class_field && (class_idx = find_field(L, defn, o->class_field, "class", err)) < 0) {
        st = err ? err->code : CR_ENOTFOUND;
        goto done;
    }
    if (class_idx >= 0 &&
        !(z->class_field = strdup(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, class_idx))))) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
        goto done;
    }
    if (o->name_field && (name_idx = find_field(L, defn, o->name_field, "name", err)) < 0) {
        st = err ? err->code : CR_ENOTFOUND;
        goto done;
    }
    if (z->value_count) {
        value_idx = calloc(z->value_count, sizeof *value_idx);
        values = calloc(z->value_count, sizeof *values);
        if (!value_idx || !values) {
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
            goto done;
        }
        for (size_t i = 0; i < z->value_count; i++)
            if ((value_idx[i] = find_field(L, defn, z->value_names[i], "value", err)) < 0) {
                st = err ? err->code : CR_ENOTFOUND;
                goto done;
            }
    }
    if ((st = ignore_other_fields(L, layer, defn, class_idx, name_idx, value_idx, err)))
        goto done;
    OGRwkbGeometryType layer_type = OGR_L_GetGeomType(layer);
    GIntBig feature_count = OGR_L_GetFeatureCount(layer, TRUE);
    if (feature_count == 0) {
        st = cr_error_set(err, CR_EEMPTY, "%s: layer %s is empty", o->path, z->layer_name);
        goto done;
    }
    if (is_other_type(layer_type)) {
        st = cr_error_set(err, CR_EFORMAT, "%s: layer %s holds %s features, not polygons", o->path,
                          z->layer_name, cr_ogr_type_name(layer_type));
        goto done;
    }
    if (!(src = layer_crs(z, layer, o, err))) {
        st = err ? err->code : CR_EINVAL;
        goto done;
    }
    OGREnvelope env;
    if (OGR_L_GetExtent(layer, &env, TRUE) != OGRERR_NONE) {
        st = cr_error_set(err, CR_EEMPTY,
                          "%s: layer %s holds no polygon (every geometry is empty or null)",
                          o->path, z->layer_name);
        goto done;
    }
    st = choose_work_crs(L, src, o, (env.MinX + env.MaxX) / 2, (env.MinY + env.MaxY) / 2, err);
    src = NULL;
    if (st)
        goto done;

    OGR_L_ResetReading(layer);
    while ((f = OGR_L_GetNextFeature(layer))) {
        z->features_read++;
        int64_t fid = OGR_F_GetFID(f);
        OGRGeometryH geom = OGR_F_GetGeometryRef(f);
        if (!geom || OGR_G_IsEmpty(geom)) {
            z->skipped_empty++;
            OGR_F_Destroy(f);
            f = NULL;
            continue;
        }
        size_t n = 0;
        bool changed = false;
        reset_box(L);
        int kind = 0;
        if ((st = ogr_feature_parts(L, geom, &n, &changed, &kind, err))) {
            for (size_t i = 0; i < n; i++)
                GEOSGeom_destroy_r(g, L->parts[i]);
            goto done;
        }
        if (kind == 2 && n == 0) {
            z->skipped_non_polygon++;
            if (wkbFlatten(OGR_G_GetGeometryType(geom)) == wkbLineString ||
                wkbFlatten(OGR_G_GetGeometryType(geom)) == wkbMultiLineString)
                skipped_lines++;
            OGR_F_Destroy(f);
            f = NULL;
            continue;
        }
        GEOSGeometry *zg = polygonal_from_parts(L, n);
        if (!zg) {
            z->skipped_degenerate++;
            OGR_F_Destroy(f);
            f = NULL;
            continue;
        }
        const char *cls = class_idx >= 0 && OGR_F_IsFieldSetAndNotNull(f, class_idx)
                              ? OGR_F_GetFieldAsString(f, class_idx)
                              : "";
        char *cls_utf8 = utf8_copy_with(L->recode, cls);
        const char *raw_name = name_idx >= 0 && OGR_F_IsFieldSetAndNotNull(f, name_idx)
                                   ? OGR_F_GetFieldAsString(f, name_idx)
                                   : NULL;
        char *name = raw_name ? utf8_copy_with(L->recode, raw_name) : NULL;
        for (size_t i = 0; i < z->value_count; i++) {
            int k = value_idx[i];
            values[i] = NAN;
            if (!OGR_F_IsFieldSetAndNotNull(f, k))
                continue;
            OGRFieldType ft = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, k));
            if (ft == OFTInteger || ft == OFTInteger64 || ft == OFTReal)
                values[i] = OGR_F_GetFieldAsDouble(f, k);
            else if (!cr_ogr_parse_number(OGR_F_GetFieldAsString(f, k), &values[i])) {
                values[i] = NAN;
                z->values_not_numeric++;
            }
        }
        if (!cls_utf8 || (raw_name && !name)) {
            free(cls_utf8);
            free(name);
            GEOSGeom_destroy_r(g, zg);
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
            goto done;
        }
        st = add_zone(L, zg, cls_utf8, name, values, fid, changed, err);
        free(cls_utf8);
        free(name);
        OGR_F_Destroy(f);
        f = NULL;
        if (st)
            goto done;
    }
    if (z->features_read == 0) {
        st = cr_error_set(err, CR_EEMPTY, "%s: layer %s is empty", o->path, z->layer_name);
        goto done;
    }
    if (z->count == 0) {
        st = cr_error_set(err, CR_EFORMAT,
                          "%s: layer %s holds no polygon (%zu features: %zu empty, %zu not "
                          "polygons%s, %zu without area)",
                          o->path, z->layer_name, z->features_read, z->skipped_empty,
                          z->skipped_non_polygon, skipped_lines ? ", lines among them" : "",
                          z->skipped_degenerate);
        goto done;
    }
    st = finish(L, err);
done:
    if (f)
        OGR_F_Destroy(f);
    proj_destroy(src);
    free(value_idx);
    free(values);
    if (ds)
        GDALClose(ds);
    return st;
}

/* ---- OpenStreetMap landuse areas --------------------------------------------------------- */

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
        if (v && !cr_ogr_parse_number(v, &x)) {
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

static enum cr_status
load_osm(struct loader *L, const struct cr_zones_options *o, struct cr_error *err)
{
    struct cr_zones *z = L->z;
    GEOSContextHandle_t g = z->geos;
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
    wgs84 = proj_create(z->proj->ctx, "EPSG:4326");
    if (!wgs84) {
        st = cr_error_set(err, CR_EINTERNAL, "%s: no WGS 84 in PROJ (%s)", o->path,
                          proj_message(z->proj->ctx));
        goto done;
    }
    double clon = ((double)c.min_lon + c.max_lon) / 2e7,
           clat = ((double)c.min_lat + c.max_lat) / 2e7;
    /* choose_work_crs wants the point in the source's own axis order: normalised lon, lat */
    if ((st = choose_work_crs(L, wgs84, o, clon, clat, err))) {
        wgs84 = NULL;
        goto done;
    }
    wgs84 = NULL;
    for (size_t k = 0; k < c.area_count; k++) {
        struct osm_area_copy *ac = &c.areas[k];
        size_t n = 0;
        bool changed = false;
        reset_box(L);
        GEOSGeometry *shell = NULL;
        GEOSGeometry **holes = NULL;
        size_t hole_count = 0, hole_cap = 0;
        for (size_t r = 0; r <= ac->ring_count; r++) {
            bool is_outer = r == ac->ring_count || c.rings[ac->first_ring + r].outer;
            if (is_outer && shell) {
                if (reserve_parts(L, n + 1, err)) {
                    st = err->code;
                    goto area_fail;
                }
                L->parts[n] = GEOSGeom_createPolygon_r(g, shell, holes, (unsigned)hole_count);
                if (!L->parts[n]) {
                    st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
                    goto area_fail;
                }
                n++;
                shell = NULL;
                hole_count = 0;
            }
            if (r == ac->ring_count)
                break;
            size_t first = c.rings[ac->first_ring + r].first_point;
            size_t pts = c.rings[ac->first_ring + r].point_count;
            if ((st = reserve_xy(L, pts + 1, err)))
                goto area_fail;
            for (size_t i = 0; i < pts; i++) {
                L->xy[2 * i] = c.points[2 * (first + i)] / 1e7;
                L->xy[2 * i + 1] = c.points[2 * (first + i) + 1] / 1e7;
            }
            bool bad = false;
            GEOSGeometry *lr = ring_from_xy(L, pts, L->src_to_work, &bad);
            if (!lr) {
                if (!bad) {
                    st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
                    goto area_fail;
                }
                changed = true;
                continue;
            }
            if (is_outer) {
                shell = lr;
            } else if (!shell) {
                GEOSGeom_destroy_r(g, lr); /* an inner ring before any outer: cannot be */
                changed = true;
            } else {
                if (hole_count == hole_cap) {
                    size_t cap = hole_cap ? 2 * hole_cap : 8;
                    GEOSGeometry **h = realloc(holes, cap * sizeof *h);
                    if (!h) {
                        GEOSGeom_destroy_r(g, lr);
                        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
                        goto area_fail;
                    }
                    holes = h;
                    hole_cap = cap;
                }
                holes[hole_count++] = lr;
            }
        }
        free(holes);
        GEOSGeometry *zg = polygonal_from_parts(L, n);
        if (!zg) {
            z->skipped_degenerate++;
            continue;
        }
        st = add_zone(L, zg, ac->cls, ac->name, c.values + ac->first_value, ac->id, changed, err);
        if (st)
            goto done;
        continue;
    area_fail:
        if (shell)
            GEOSGeom_destroy_r(g, shell);
        for (size_t i = 0; i < hole_count; i++)
            GEOSGeom_destroy_r(g, holes[i]);
        free(holes);
        for (size_t i = 0; i < n; i++)
            GEOSGeom_destroy_r(g, L->parts[i]);
        goto done;
    }
    if (z->count == 0) {
        st = cr_error_set(err, CR_EEMPTY, "%s: no %s=* area with a surface (%zu without area)",
                          o->path, c.key, z->skipped_degenerate);
        goto done;
    }
    st = finish(L, err);
done:
    proj_destroy(wgs84);
    for (size_t i = 0; i < c.area_count; i++) {
        free(c.areas[i].cls);
        free(c.areas[i].name);
    }
    free(c.areas);
    free(c.rings);
    free(c.points);
    free(c.values);
    return st;
}

/* ---- the API ----------------------------------------------------------------------------- */

enum cr_status
cr_zones_load(const struct cr_zones_options *o, struct cr_zones **out, struct cr_error *err)
{
    struct loader L = { .recode = (iconv_t)-1 };
    enum cr_status st;
    *out = NULL;
    if (!o || !o->path || !*o->path)
        return cr_error_set(err, CR_EINVAL, "zones: no file given");
    if ((st = zones_new(o, &L.z, err)))
        goto done;
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
    CPLPushErrorHandler(CPLQuietErrorHandler); /* errors go into err, not to stderr */
    st = is_osm_path(o->path) ? load_osm(&L, o, err) : load_ogr(&L, o, err);
    CPLPopErrorHandler();
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

struct at_query {
    const struct cr_zones *z;
    const GEOSGeometry *point;
    size_t best;
};

static void
at_visit(void *item, void *user)
{
    struct at_query *q = user;
    size_t i = (size_t)(uintptr_t)item;
    const struct cr_zone *zone = &q->z->zones[i];
    if (q->best != SIZE_MAX && q->z->zones[q->best].area_m2 <= zone->area_m2)
        return;
    if (GEOSIntersects_r(q->z->geos, zone->geom, q->point) == 1)
        q->best = i;
}

size_t
cr_zones_at(const struct cr_zones *z, double x, double y)
{
    if (!z || !z->index || !isfinite(x) || !isfinite(y))
        return SIZE_MAX;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(z->geos, x, y);
    if (!pt)
        return SIZE_MAX;
    struct at_query q = { .z = z, .point = pt, .best = SIZE_MAX };
    GEOSSTRtree_query_r(z->geos, z->index, pt, at_visit, &q);
    GEOSGeom_destroy_r(z->geos, pt);
    return q.best;
}

int
cr_zones_to_work(const struct cr_zones *z, double lon, double lat, double *x, double *y)
{
    if (!z || !z->proj || !z->proj->wgs84_to_work)
        return -1;
    PJ_COORD c = proj_trans(z->proj->wgs84_to_work, PJ_FWD, proj_coord(lon, lat, 0, 0));
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y))
        return -1;
    *x = c.xy.x;
    *y = c.xy.y;
    return 0;
}

int
cr_zones_to_wgs84(const struct cr_zones *z, double x, double y, double *lon, double *lat)
{
    if (!z || !z->proj || !z->proj->wgs84_to_work)
        return -1;
    PJ_COORD c = proj_trans(z->proj->wgs84_to_work, PJ_INV, proj_coord(x, y, 0, 0));
    if (!isfinite(c.lp.lam) || !isfinite(c.lp.phi))
        return -1;
    *lon = c.lp.lam;
    *lat = c.lp.phi;
    return 0;
}
