#include "planning/landtake.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "spatial/vector.h"
#include "spatial/vector_write.h"

/* ---- the corridor and what it takes -------------------------------------------------------- */

struct candidates {
    uint8_t *seen; /* [zone count] */
    size_t *items;
    size_t count;
    int failed;
};

static void
candidate_cb(void *item, void *user)
{
    struct candidates *c = user;
    size_t i = (size_t)(uintptr_t)item;
    if (c->seen[i])
        return;
    c->seen[i] = 1;
    c->items[c->count++] = i; /* at most zone count items: sized for it */
}

/* Queries the index around every segment of LINES grown by HALF (a point of the corridor lies
 * within HALF of some segment, so in that segment's grown envelope). Much tighter than the
 * corridor's envelope for a long diagonal alignment. */
static int
query_segments(GEOSContextHandle_t ctx, GEOSSTRtree *index, const GEOSGeometry *lines, double half,
               struct candidates *c)
{
    int parts = GEOSGetNumGeometries_r(ctx, lines);
    for (int p = 0; p < parts; p++) {
        const GEOSGeometry *line = GEOSGetGeometryN_r(ctx, lines, p);
        const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx, line);
        unsigned n = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n))
            return -1;
        for (unsigned k = 0; k + 1 < n; k++) {
            double x0, y0, x1, y1;
            if (!GEOSCoordSeq_getXY_r(ctx, seq, k, &x0, &y0) ||
                !GEOSCoordSeq_getXY_r(ctx, seq, k + 1, &x1, &y1))
                return -1;
            GEOSGeometry *box =
                GEOSGeom_createRectangle_r(ctx, fmin(x0, x1) - half, fmin(y0, y1) - half,
                                           fmax(x0, x1) + half, fmax(y0, y1) + half);
            if (!box)
                return -1;
            GEOSSTRtree_query_r(ctx, index, box, candidate_cb, c);
            GEOSGeom_destroy_r(ctx, box);
        }
    }
    return 0;
}

static int
cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

struct taken {
    size_t zone;
    const char *cls; /* the zone's class, "" for none */
    double area_m2;
    GEOSGeometry *geom;
};

static int
cmp_taken_class(const void *a, const void *b)
{
    const struct taken *x = a, *y = b;
    int c = strcmp(x->cls, y->cls);
    return c ? c : (x->zone < y->zone ? -1 : x->zone > y->zone);
}

static int
cmp_class_area(const void *a, const void *b)
{
    const struct cr_landtake_class *x = a, *y = b;
    if (x->area_m2 != y->area_m2)
        return x->area_m2 > y->area_m2 ? -1 : 1;
    return strcmp(x->cls, y->cls);
}

void
cr_landtake_fini(struct cr_landtake *lt)
{
    if (!lt)
        return;
    if (lt->zones) {
        GEOSContextHandle_t ctx = lt->zones->geos;
        for (size_t i = 0; i < lt->piece_count; i++)
            GEOSGeom_destroy_r(ctx, lt->pieces[i].geom);
        if (lt->corridor)
            GEOSGeom_destroy_r(ctx, lt->corridor);
    }
    free(lt->pieces);
    free(lt->classes);
    memset(lt, 0, sizeof *lt);
}

/* Folds the pieces into classes (sorted by class name, then the zone index). */
static enum cr_status
sum_classes(struct taken *t, size_t n, struct cr_landtake *lt, struct cr_error *err)
{
    qsort(t, n, sizeof *t, cmp_taken_class);
    lt->classes = calloc(n ? n : 1, sizeof *lt->classes);
    if (!lt->classes)
        return cr_error_set(err, CR_ENOMEM, "land take: out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *cls = t[i].cls;
        struct cr_landtake_class *c = lt->class_count ? &lt->classes[lt->class_count - 1] : NULL;
        if (!c || strcmp(c->cls, cls)) {
            c = &lt->classes[lt->class_count++];
            c->cls = cls;
        }
        c->area_m2 += t[i].area_m2;
        c->parcels++;
        lt->taken_m2 += t[i].area_m2;
    }
    for (size_t k = 0; k < lt->class_count; k++)
        lt->classes[k].share = lt->classes[k].area_m2 / lt->corridor_area_m2;
    qsort(lt->classes, lt->class_count, sizeof *lt->classes, cmp_class_area);
    lt->parcels = n;
    return CR_OK;
}

static int
cmp_taken_zone(const void *a, const void *b)
{
    const struct taken *x = a, *y = b;
    return x->zone < y->zone ? -1 : x->zone > y->zone;
}

/* The corridor: LINES merged end to end (pieces drawn end to end become one line, so flat caps
 * leave no notch where they meet: *MERGED), buffered by WIDTH_M / 2, and prepared. */
static enum cr_status
make_corridor(GEOSContextHandle_t ctx, const GEOSGeometry *lines, struct cr_landtake *out,
              GEOSGeometry **merged, const GEOSPreparedGeometry **prep, struct cr_error *err)
{
    enum cr_status st = CR_OK;
    GEOSBufferParams *params = GEOSBufferParams_create_r(ctx);
    *merged = GEOSLineMerge_r(ctx, lines);
    if (!*merged || !params || !GEOSBufferParams_setEndCapStyle_r(ctx, params, GEOSBUF_CAP_FLAT) ||
        !GEOSBufferParams_setJoinStyle_r(ctx, params, GEOSBUF_JOIN_ROUND) ||
        !GEOSBufferParams_setQuadrantSegments_r(ctx, params, CR_LANDTAKE_QUADSEGS)) {
        st = cr_error_set(err, CR_EINTERNAL, "corridor: GEOS could not merge the alignment");
        goto done;
    }
    out->corridor = GEOSBufferWithParams_r(ctx, *merged, params, out->width_m / 2);
    if (!out->corridor || !GEOSArea_r(ctx, out->corridor, &out->corridor_area_m2)) {
        st = cr_error_set(err, CR_EINTERNAL, "corridor: GEOS could not buffer the alignment");
        goto done;
    }
    if (!(out->corridor_area_m2 > 0)) {
        st = cr_error_set(err, CR_EEMPTY, "corridor: empty (the alignment has no length)");
        goto done;
    }
    if (!(*prep = GEOSPrepare_r(ctx, out->corridor)))
        st = cr_error_set(err, CR_EINTERNAL, "corridor: GEOS could not prepare the corridor");
done:
    if (params)
        GEOSBufferParams_destroy_r(ctx, params);
    return st;
}

/* What the corridor takes of zone I: *AREA (0 when it only touches) and, with KEEP, *PIECE. */
static enum cr_status
take_zone(const struct cr_zones *z, size_t i, const struct cr_landtake *lt,
          const GEOSPreparedGeometry *prep, int keep, double *area, GEOSGeometry **piece,
          struct cr_error *err)
{
    GEOSContextHandle_t ctx = z->geos;
    const GEOSGeometry *g = z->zones[i].geom;
    char hit = g ? GEOSPreparedIntersects_r(ctx, prep, g) : 0;
    *area = 0;
    *piece = NULL;
    if (hit == 2)
        return cr_error_set(err, CR_EINTERNAL, "zone %lld: GEOS intersects failed",
                            (long long)z->zones[i].fid);
    if (!hit)
        return CR_OK;
    if (GEOSPreparedContains_r(ctx, prep, g) == 1) {
        *area = z->zones[i].area_m2;
        if (!(*area > 0) && !GEOSArea_r(ctx, g, area))
            *area = 0;
        if (keep && !(*piece = GEOSGeom_clone_r(ctx, g)))
            return cr_error_set(err, CR_ENOMEM, "land take: out of memory");
    } else {
        *piece = GEOSIntersection_r(ctx, lt->corridor, g);
        if (!*piece || !GEOSArea_r(ctx, *piece, area)) {
            if (*piece)
                GEOSGeom_destroy_r(ctx, *piece);
            *piece = NULL;
            return cr_error_set(err, CR_EINTERNAL, "zone %lld: GEOS intersection failed",
                                (long long)z->zones[i].fid);
        }
    }
    if (!(*area > 0) || !keep) { /* touches along an edge or at a point: no land taken */
        if (*piece)
            GEOSGeom_destroy_r(ctx, *piece);
        *piece = NULL;
    }
    return CR_OK;
}

/* The pieces kept, by zone index (takes their geometries from T). */
static enum cr_status
keep_pieces(struct taken *t, size_t n, struct cr_landtake *out, struct cr_error *err)
{
    qsort(t, n, sizeof *t, cmp_taken_zone);
    out->pieces = calloc(n ? n : 1, sizeof *out->pieces);
    if (!out->pieces)
        return cr_error_set(err, CR_ENOMEM, "land take: out of memory");
    for (size_t k = 0; k < n; k++) {
        out->pieces[k] = (struct cr_landtake_piece){ .zone = t[k].zone,
                                                     .geom = t[k].geom,
                                                     .area_m2 = t[k].area_m2 };
        t[k].geom = NULL;
    }
    out->piece_count = n;
    return CR_OK;
}

enum cr_status
cr_landtake_compute(const struct cr_zones *z, const GEOSGeometry *lines, double width_m, int keep,
                    struct cr_landtake *out, struct cr_error *err)
{
    GEOSContextHandle_t ctx = z->geos;
    GEOSGeometry *merged = NULL;
    const GEOSPreparedGeometry *prep = NULL;
    struct candidates cand = { 0 };
    struct taken *taken = NULL;
    size_t taken_count = 0;
    enum cr_status st = CR_OK;

    memset(out, 0, sizeof *out);
    out->zones = z;
    out->width_m = width_m;
    if (!(width_m > 0) || !isfinite(width_m))
        return cr_error_set(err, CR_EINVAL, "corridor width %g m: want a number of metres > 0",
                            width_m);
    if ((st = make_corridor(ctx, lines, out, &merged, &prep, err)))
        goto done;
    cand.seen = calloc(z->count ? z->count : 1, 1);
    cand.items = malloc((z->count ? z->count : 1) * sizeof *cand.items);
    taken = calloc(z->count ? z->count : 1, sizeof *taken);
    if (!cand.seen || !cand.items || !taken) {
        st = cr_error_set(err, CR_ENOMEM, "land take: out of memory for %zu zones", z->count);
        goto done;
    }
    if (z->count && z->index && query_segments(ctx, z->index, merged, width_m / 2, &cand)) {
        st = cr_error_set(err, CR_EINTERNAL, "corridor: GEOS could not read the alignment");
        goto done;
    }
    qsort(cand.items, cand.count, sizeof *cand.items, cmp_size);
    for (size_t k = 0; k < cand.count; k++) {
        size_t i = cand.items[k];
        double area;
        GEOSGeometry *piece;
        if ((st = take_zone(z, i, out, prep, keep, &area, &piece, err)))
            goto done;
        if (area > 0)
            taken[taken_count++] = (struct taken){ .zone = i,
                                                   .cls = z->zones[i].cls ? z->zones[i].cls : "",
                                                   .area_m2 = area,
                                                   .geom = piece };
    }
    if ((st = sum_classes(taken, taken_count, out, err)))
        goto done;
    if (keep)
        st = keep_pieces(taken, taken_count, out, err);
done:
    if (taken)
        for (size_t k = 0; k < taken_count; k++)
            if (taken[k].geom)
                GEOSGeom_destroy_r(ctx, taken[k].geom);
    free(taken);
    free(cand.seen);
    free(cand.items);
    if (prep)
        GEOSPreparedGeom_destroy_r(ctx, prep);
    if (merged)
        GEOSGeom_destroy_r(ctx, merged);
    if (st)
        cr_landtake_fini(out);
    return st;
}

/* ---- the pieces as a GeoPackage ------------------------------------------------------------ */

/* One feature with FIELDS' values (strings or doubles, by type) and G. */
static int
add_feature(GEOSContextHandle_t ctx, OGRLayerH l, const GEOSGeometry *g, const char *cls,
            const char *name, long long fid, double area_m2, double width_m)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGRGeometryH og = cr_vector_multipolygon(ctx, g);
    if (f && og) {
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
        int i;
        if ((i = OGR_FD_GetFieldIndex(d, "class")) >= 0)
            OGR_F_SetFieldString(f, i, cls ? cls : "");
        if ((i = OGR_FD_GetFieldIndex(d, "name")) >= 0 && name)
            OGR_F_SetFieldString(f, i, name);
        if ((i = OGR_FD_GetFieldIndex(d, "fid")) >= 0)
            OGR_F_SetFieldInteger64(f, i, fid);
        if ((i = OGR_FD_GetFieldIndex(d, "width_m")) >= 0)
            OGR_F_SetFieldDouble(f, i, width_m);
        if ((i = OGR_FD_GetFieldIndex(d, "area_m2")) >= 0)
            OGR_F_SetFieldDouble(f, i, area_m2);
    }
    return cr_vector_writer_add(l, f, og); /* frees both, and fails when either is NULL */
}

/* Every piece, then the corridor, in one transaction. */
static enum cr_status
write_features(const struct cr_landtake *lt, const char *path, GDALDatasetH ds, OGRLayerH pieces,
               OGRLayerH corridor, struct cr_error *err)
{
    const struct cr_zones *z = lt->zones;
    enum cr_status st = CR_OK;
    cr_vector_quiet_begin();
    GDALDatasetStartTransaction(ds, FALSE);
    for (size_t i = 0; i < lt->piece_count && !st; i++) {
        const struct cr_zone *zone = &z->zones[lt->pieces[i].zone];
        if (add_feature(z->geos, pieces, lt->pieces[i].geom, zone->cls, zone->name, zone->fid,
                        lt->pieces[i].area_m2, 0))
            st = cr_error_set(err, CR_EIO, "%s: cannot write the piece of zone %lld (%s)", path,
                              (long long)zone->fid, cr_vector_message());
    }
    if (!st && add_feature(z->geos, corridor, lt->corridor, NULL, NULL, 0, lt->corridor_area_m2,
                           lt->width_m))
        st = cr_error_set(err, CR_EIO, "%s: cannot write the corridor (%s)", path,
                          cr_vector_message());
    if (!st && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
        st = cr_error_set(err, CR_EIO, "%s: %s", path, cr_vector_message());
    cr_vector_quiet_end();
    return st;
}

enum cr_status
cr_landtake_write_pieces(const struct cr_landtake *lt, const char *path, struct cr_error *err)
{
    static const char *const piece_fields[] = { "class", "name", "fid", "area_m2", NULL };
    static const OGRFieldType piece_types[] = { OFTString, OFTString, OFTInteger64, OFTReal };
    static const char *const corridor_fields[] = { "width_m", "area_m2", NULL };
    static const OGRFieldType corridor_types[] = { OFTReal, OFTReal };
    static const char *const options[] = { "FID=piece", NULL };
    const struct cr_zones *z = lt->zones;
    struct cr_vector_writer w;
    OGRLayerH pieces, corridor;
    enum cr_status st;

    if (!z->work_crs)
        return cr_error_set(err, CR_EINTERNAL, "%s: the zones have no working CRS", path);
    if ((st = cr_vector_writer_open(&w, path, "GPKG", z->work_crs, err)))
        return st;
    if (!(pieces = cr_vector_writer_layer(&w, "pieces", wkbMultiPolygon, piece_fields, piece_types,
                                          options, err)) ||
        !(corridor = cr_vector_writer_layer(&w, "corridor", wkbMultiPolygon, corridor_fields,
                                            corridor_types, options, err)) ||
        (st = write_features(lt, path, w.ds, pieces, corridor, err))) {
        cr_vector_writer_abort(&w);
        return st ? st : err ? err->code : CR_EIO;
    }
    return cr_vector_writer_commit(&w, err);
}
