/*
 * Zones from a GDAL/OGR layer, opened through spatial/vector. The hot loop per feature:
 * OGR_L_GetNextFeature, the rings' points copied with OGR_G_GetPoints into one scratch buffer,
 * one PROJ transformation per ring (made once per layer), GEOSCoordSeq_copyFromBuffer_r,
 * GEOSisValid_r, GEOSArea_r.
 */
#ifndef _LARGEFILE64_SOURCE
#define _LARGEFILE64_SOURCE 1 /* VSIStatBufL is struct stat64 on Linux */
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>

#include "importers/zoning/build.h"
#include "spatial/crs.h"
#include "spatial/vector.h"

/* What reading one layer needs beyond the loader. */
struct ogr_read {
    struct cr_vector v;
    int class_idx, name_idx;
    int *value_idx; /* [value_count] */
    double *values; /* [value_count] one feature's */
    size_t skipped_lines;
};

static bool
is_other_type(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPoint || t == wkbLineString || t == wkbMultiPoint || t == wkbMultiLineString ||
           t == wkbCircularString || t == wkbCompoundCurve || t == wkbMultiCurve;
}

/* The index of field NAME (case-insensitive; names recoded as the values are), or -1 with an
 * error listing the fields. */
static int
find_field(const struct cr_zoning_loader *L, OGRFeatureDefnH defn, const char *name,
           const char *what, struct cr_error *err)
{
    const struct cr_zones *z = L->z;
    int i = -1, n = OGR_FD_GetFieldCount(defn);
    char names[140] = "";
    if (L->recode == (iconv_t)-1 && (i = OGR_FD_GetFieldIndex(defn, name)) >= 0)
        return i;
    for (int k = 0; k < n; k++) {
        char *field =
            cr_zoning_utf8_copy(L->recode, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k)));
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

/* Whether PATH is a shapefile with a .prj (or .PRJ) beside it. */
static bool
has_prj(const char *path)
{
    size_t n = strlen(path);
    VSIStatBufL st;
    if (n < 4 || strcasecmp(path + n - 4, ".shp") != 0)
        return false;
    char *prj = strdup(path);
    if (!prj)
        return false;
    memcpy(prj + n - 4, ".prj", 4);
    bool found = VSIStatL(prj, &st) == 0;
    if (!found) {
        memcpy(prj + n - 4, ".PRJ", 4);
        found = VSIStatL(prj, &st) == 0;
    }
    free(prj);
    return found;
}

/* The source CRS of the layer (or the override) as a PROJ object; sets z->source_crs. */
static PJ *
layer_crs(struct cr_zoning_loader *L, const struct cr_vector *v, const struct cr_zones_options *o,
          struct cr_error *err)
{
    struct cr_zones *z = L->z;
    PJ *crs = NULL;
    if (o->s_srs) {
        crs = cr_crs_parse(z->ctx, o->s_srs, "--s-srs", o->path, err);
        if (crs && !(z->source_crs = strdup(o->s_srs))) {
            cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
            proj_destroy(crs);
            return NULL;
        }
        return crs;
    }
    if (cr_vector_crs(v, z->ctx, "give --s-srs", &crs, &z->source_crs, err))
        return NULL;
    if (crs)
        return crs;
    if (has_prj(o->path)) /* a shapefile whose .prj GDAL could not read */
        cr_error_set(err, CR_EINVAL,
                     "%s: unknown CRS: its .prj is not a CRS GDAL/PROJ knows (give --s-srs)",
                     o->path);
    else
        cr_error_set(err, CR_EINVAL, "%s: layer %s has no CRS (no .prj?): give --s-srs", o->path,
                     z->layer_name);
    return NULL;
}

/* One OGR polygon's rings into L->parts[*n] (added), transformed. Degenerate rings are left
 * out and flagged in *changed; a degenerate exterior drops the part. */
static enum cr_status
ogr_polygon(struct cr_zoning_loader *L, OGRGeometryH poly, size_t *n, bool *changed,
            struct cr_error *err)
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
        if ((st = cr_zoning_reserve_xy(L, (size_t)pts + 1, err)))
            goto done;
        if (pts > 0)
            OGR_G_GetPoints(ring, L->xy, 2 * sizeof(double), L->xy + 1, 2 * sizeof(double), NULL,
                            0);
        bool bad = false;
        GEOSGeometry *lr = cr_zoning_ring(L, (size_t)pts, &bad);
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
    if ((st = cr_zoning_reserve_parts(L, *n + 1, err)))
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
ogr_feature_parts(struct cr_zoning_loader *L, OGRGeometryH geom, size_t *n, bool *changed,
                  int *kind, struct cr_error *err)
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
            else if (pt == wkbMultiPolygon || pt == wkbGeometryCollection ||
                     cr_vector_is_polygonal(pt))
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
ignore_other_fields(struct cr_zoning_loader *L, const struct ogr_read *r, struct cr_error *err)
{
    OGRFeatureDefnH defn = r->v.defn;
    int n = OGR_FD_GetFieldCount(defn), k = 0;
    const char **names = calloc((size_t)n + 2, sizeof *names);
    if (!names)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
    for (int i = 0; i < n; i++) {
        bool used = i == r->class_idx || i == r->name_idx;
        for (size_t v = 0; v < L->z->value_count && !used; v++)
            used = r->value_idx[v] == i;
        if (!used)
            names[k++] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    }
    names[k++] = "OGR_STYLE";
    OGR_L_SetIgnoredFields(r->v.layer, names); /* a driver that cannot ignore reads them all */
    free(names);
    return CR_OK;
}

/* Opens the file and picks the layer. A CP1258 .dbf: GDAL's recoding drops each string's last
 * letter, so it is opened again raw and recoded here. */
static enum cr_status
open_layer(struct cr_zoning_loader *L, struct ogr_read *r, const struct cr_zones_options *o,
           struct cr_error *err)
{
    char encoding[80];
    const char *open_options[] = { encoding, NULL };
    struct cr_vector_options vo = {
        .what = "zones",
        .unreadable = "not a vector file GDAL can open",
        .open_options = o->encoding ? open_options : NULL,
        .layer = o->layer,
        .want = CR_VECTOR_POLYGONS,
    };
    enum cr_status st;
    if (o->encoding)
        snprintf(encoding, sizeof encoding, "ENCODING=%s", o->encoding);
    if ((st = cr_vector_open(&r->v, o->path, &vo, err)))
        return st;
    const char *source_encoding =
        GDALGetMetadataItem((GDALMajorObjectH)r->v.layer, "SOURCE_ENCODING", "SHAPEFILE");
    if (source_encoding && strstr(source_encoding, "1258")) {
        L->recode = iconv_open("UTF-8", "CP1258");
        if (L->recode != (iconv_t)-1) {
            char layer_name[256];
            snprintf(layer_name, sizeof layer_name, "%s", OGR_L_GetName(r->v.layer));
            cr_vector_close(&r->v);
            snprintf(encoding, sizeof encoding, "ENCODING=");
            vo.open_options = open_options;
            vo.layer = layer_name;
            if (cr_vector_open(&r->v, o->path, &vo, err))
                return cr_error_set(err, CR_EFORMAT, "%s: cannot open it again (%s)", o->path,
                                    cr_vector_message());
        }
    }
    if (!(L->z->layer_name = strdup(OGR_L_GetName(r->v.layer))))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
    return CR_OK;
}

/* The class, name and value fields' indices (errors list the layer's fields). */
static enum cr_status
find_fields(struct cr_zoning_loader *L, struct ogr_read *r, const struct cr_zones_options *o,
            struct cr_error *err)
{
    struct cr_zones *z = L->z;
    OGRFeatureDefnH defn = r->v.defn;
    r->class_idx = r->name_idx = -1;
    if (o->class_field && (r->class_idx = find_field(L, defn, o->class_field, "class", err)) < 0)
        return err ? err->code : CR_ENOTFOUND;
    if (r->class_idx >= 0 &&
        !(z->class_field = strdup(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, r->class_idx)))))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
    if (o->name_field && (r->name_idx = find_field(L, defn, o->name_field, "name", err)) < 0)
        return err ? err->code : CR_ENOTFOUND;
    if (!z->value_count)
        return ignore_other_fields(L, r, err);
    r->value_idx = calloc(z->value_count, sizeof *r->value_idx);
    r->values = calloc(z->value_count, sizeof *r->values);
    if (!r->value_idx || !r->values)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
    for (size_t i = 0; i < z->value_count; i++)
        if ((r->value_idx[i] = find_field(L, defn, z->value_names[i], "value", err)) < 0)
            return err ? err->code : CR_ENOTFOUND;
    return ignore_other_fields(L, r, err);
}

/* The layer is not empty and may hold polygons; its CRS and the working CRS. */
static enum cr_status
check_layer(struct cr_zoning_loader *L, struct ogr_read *r, const struct cr_zones_options *o,
            struct cr_error *err)
{
    struct cr_zones *z = L->z;
    OGRLayerH layer = r->v.layer;
    OGRwkbGeometryType layer_type = OGR_L_GetGeomType(layer);
    if (OGR_L_GetFeatureCount(layer, TRUE) == 0)
        return cr_error_set(err, CR_EEMPTY, "%s: layer %s is empty", o->path, z->layer_name);
    if (is_other_type(layer_type))
        return cr_error_set(err, CR_EFORMAT, "%s: layer %s holds %s features, not polygons",
                            o->path, z->layer_name, cr_vector_type_name(layer_type));
    PJ *src = layer_crs(L, &r->v, o, err);
    if (!src)
        return err ? err->code : CR_EINVAL;
    OGREnvelope env;
    if (OGR_L_GetExtent(layer, &env, TRUE) != OGRERR_NONE) {
        proj_destroy(src);
        return cr_error_set(err, CR_EEMPTY,
                            "%s: layer %s holds no polygon (every geometry is empty or null)",
                            o->path, z->layer_name);
    }
    return cr_zoning_choose_work_crs(L, src, o, (env.MinX + env.MaxX) / 2,
                                     (env.MinY + env.MaxY) / 2, err);
}

/* The feature's value fields into r->values: numbers, NAN when null or not a number. */
static void
read_values(struct cr_zoning_loader *L, struct ogr_read *r, OGRFeatureH f)
{
    struct cr_zones *z = L->z;
    for (size_t i = 0; i < z->value_count; i++) {
        int k = r->value_idx[i];
        r->values[i] = NAN;
        if (!OGR_F_IsFieldSetAndNotNull(f, k))
            continue;
        OGRFieldType ft = OGR_Fld_GetType(OGR_FD_GetFieldDefn(r->v.defn, k));
        if (ft == OFTInteger || ft == OFTInteger64 || ft == OFTReal)
            r->values[i] = OGR_F_GetFieldAsDouble(f, k);
        else if (!cr_vector_parse_number(OGR_F_GetFieldAsString(f, k), &r->values[i])) {
            r->values[i] = NAN;
            z->values_not_numeric++;
        }
    }
}

/* One feature: its polygons, class, name and values as a zone, or counted as skipped. */
static enum cr_status
read_feature(struct cr_zoning_loader *L, struct ogr_read *r, OGRFeatureH f, struct cr_error *err)
{
    struct cr_zones *z = L->z;
    GEOSContextHandle_t g = z->geos;
    enum cr_status st;
    int64_t fid = OGR_F_GetFID(f);
    OGRGeometryH geom = OGR_F_GetGeometryRef(f);
    z->features_read++;
    if (!geom || OGR_G_IsEmpty(geom)) {
        z->skipped_empty++;
        return CR_OK;
    }
    size_t n = 0;
    bool changed = false;
    int kind = 0;
    cr_zoning_reset_box(L);
    if ((st = ogr_feature_parts(L, geom, &n, &changed, &kind, err))) {
        for (size_t i = 0; i < n; i++)
            GEOSGeom_destroy_r(g, L->parts[i]);
        return st;
    }
    if (kind == 2 && n == 0) {
        OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(geom));
        z->skipped_non_polygon++;
        r->skipped_lines += t == wkbLineString || t == wkbMultiLineString;
        return CR_OK;
    }
    GEOSGeometry *zg = cr_zoning_polygonal(L, n);
    if (!zg) {
        z->skipped_degenerate++;
        return CR_OK;
    }
    const char *cls = r->class_idx >= 0 && OGR_F_IsFieldSetAndNotNull(f, r->class_idx)
                          ? OGR_F_GetFieldAsString(f, r->class_idx)
                          : "";
    const char *raw_name = r->name_idx >= 0 && OGR_F_IsFieldSetAndNotNull(f, r->name_idx)
                               ? OGR_F_GetFieldAsString(f, r->name_idx)
                               : NULL;
    char *cls_utf8 = cr_zoning_utf8_copy(L->recode, cls);
    char *name = raw_name ? cr_zoning_utf8_copy(L->recode, raw_name) : NULL;
    read_values(L, r, f);
    if (!cls_utf8 || (raw_name && !name)) {
        GEOSGeom_destroy_r(g, zg);
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", L->path);
    } else {
        st = cr_zoning_add_zone(L, zg, cls_utf8, name, r->values, fid, changed, err);
    }
    free(cls_utf8);
    free(name);
    return st;
}

enum cr_status
cr_zoning_load_ogr(struct cr_zoning_loader *L, const struct cr_zones_options *o,
                   struct cr_error *err)
{
    struct cr_zones *z = L->z;
    struct ogr_read r = { .class_idx = -1, .name_idx = -1 };
    OGRFeatureH f;
    enum cr_status st;

    if ((st = open_layer(L, &r, o, err)) || (st = find_fields(L, &r, o, err)) ||
        (st = check_layer(L, &r, o, err)))
        goto done;
    OGR_L_ResetReading(r.v.layer);
    while ((f = OGR_L_GetNextFeature(r.v.layer))) {
        st = read_feature(L, &r, f, err);
        OGR_F_Destroy(f);
        if (st)
            goto done;
    }
    if (z->features_read == 0)
        st = cr_error_set(err, CR_EEMPTY, "%s: layer %s is empty", o->path, z->layer_name);
    else if (z->count == 0)
        st = cr_error_set(err, CR_EFORMAT,
                          "%s: layer %s holds no polygon (%zu features: %zu empty, %zu not "
                          "polygons%s, %zu without area)",
                          o->path, z->layer_name, z->features_read, z->skipped_empty,
                          z->skipped_non_polygon, r.skipped_lines ? ", lines among them" : "",
                          z->skipped_degenerate);
done:
    free(r.value_idx);
    free(r.values);
    cr_vector_close(&r.v);
    return st;
}
