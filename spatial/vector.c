/*
 * The OGR vector reader (see vector.h): opening, layer choice, fields, points and CRS. GDAL's
 * error handler stack is per thread, so the quiet handler pushed here never silences another
 * thread.
 */
#ifndef _LARGEFILE64_SOURCE
#define _LARGEFILE64_SOURCE 1 /* VSIStatBufL is struct stat64 on Linux */
#endif
#include "spatial/vector.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <ogr_srs_api.h>

#include "spatial/crs.h"

void
cr_vector_quiet_begin(void)
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
}

void
cr_vector_quiet_end(void)
{
    CPLPopErrorHandler();
}

const char *
cr_vector_message(void)
{
    const char *msg = CPLGetLastErrorMsg();
    return msg && *msg ? msg : "no reason given";
}

/* The file exists, is readable and not a directory; an empty file holds nothing. */
enum cr_status
cr_vector_check_file(const char *path, const char *what, struct cr_error *err)
{
    VSIStatBufL st;
    errno = 0;
    if (VSIStatL(path, &st) != 0)
        return cr_error_set(err, CR_EIO, "%s: %s", path, strerror(errno ? errno : ENOENT));
    if (VSI_ISDIR(st.st_mode))
        return cr_error_set(err, CR_EIO, "%s: %s", path, strerror(EISDIR));
    errno = 0;
    VSILFILE *fp = VSIFOpenL(path, "rb");
    if (!fp)
        return cr_error_set(err, CR_EIO, "%s: %s", path, strerror(errno ? errno : EIO));
    VSIFCloseL(fp);
    if (st.st_size == 0)
        return cr_error_set(err, CR_EEMPTY, "%s: no %s", path, what);
    return CR_OK;
}

static bool
kind_matches(enum cr_vector_kind want, OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    switch (want) {
    case CR_VECTOR_POINTS:
        return t == wkbPoint || t == wkbMultiPoint;
    case CR_VECTOR_LINES:
        return cr_vector_is_linear(t);
    case CR_VECTOR_POLYGONS:
        return cr_vector_is_polygonal(t);
    default:
        return true;
    }
}

/* Whether layer L declares no type and its first geometry is of the kind wanted. */
static bool
first_geometry_matches(OGRLayerH l, enum cr_vector_kind want)
{
    if (wkbFlatten(OGR_L_GetGeomType(l)) != wkbUnknown)
        return false;
    OGR_L_ResetReading(l);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    OGRGeometryH g = f ? OGR_F_GetGeometryRef(f) : NULL;
    bool match = g && kind_matches(want, OGR_G_GetGeometryType(g));
    if (f)
        OGR_F_Destroy(f);
    OGR_L_ResetReading(l);
    return match;
}

static OGRLayerH
pick_layer(GDALDatasetH ds, const char *path, const struct cr_vector_options *o,
           struct cr_error *err)
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
        cr_error_set(err, CR_ENOTFOUND, "%s: no layer \"%s\" (layers: %s)", path, o->layer,
                     n ? names : "none");
        return NULL;
    }
    if (n == 0) {
        cr_error_set(err, CR_EEMPTY, "%s: no %s", path, o->no_layer ? o->no_layer : "layer");
        return NULL;
    }
    if (n == 1 || o->want == CR_VECTOR_ANY)
        return GDALDatasetGetLayer(ds, 0);
    for (int i = 0; i < n; i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        if (kind_matches(o->want, OGR_L_GetGeomType(l)))
            return l;
    }
    /* no layer says it holds that kind (GeoJSON and others may not say): look at each */
    for (int i = 0; i < n; i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        if (first_geometry_matches(l, o->want))
            return l;
    }
    return GDALDatasetGetLayer(ds, 0);
}

enum cr_status
cr_vector_open(struct cr_vector *v, const char *path, const struct cr_vector_options *o,
               struct cr_error *err)
{
    static const struct cr_vector_options defaults = { 0 };
    enum cr_status st;
    memset(v, 0, sizeof *v);
    v->path = path;
    if (!o)
        o = &defaults;
    if ((st = cr_vector_check_file(path, o->what ? o->what : "features", err)))
        return st;
    GDALAllRegister(); /* idempotent */
    cr_vector_quiet_begin();
    CPLErrorReset();
    v->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, o->drivers,
                       o->open_options, NULL);
    if (!v->ds) {
        st = cr_error_set(err, CR_EFORMAT, "%s: %s (%s)", path,
                          o->unreadable ? o->unreadable : "not a vector file GDAL can read",
                          cr_vector_message());
        goto done;
    }
    if (!(v->layer = pick_layer(v->ds, path, o, err))) {
        st = err ? err->code : CR_ENOTFOUND;
        goto done;
    }
    v->defn = OGR_L_GetLayerDefn(v->layer);
    GDALDriverH drv = GDALGetDatasetDriver(v->ds);
    v->csv = drv && strcmp(GDALGetDriverShortName(drv), "CSV") == 0;
done:
    cr_vector_quiet_end();
    if (st)
        cr_vector_close(v);
    return st;
}

void
cr_vector_close(struct cr_vector *v)
{
    if (!v)
        return;
    if (v->ds) {
        cr_vector_quiet_begin();
        GDALClose(v->ds);
        cr_vector_quiet_end();
    }
    v->ds = NULL;
    v->layer = NULL;
    v->defn = NULL;
}

void
cr_vector_where(const struct cr_vector *v, size_t index, char *buf, size_t size)
{
    if (v->csv)
        snprintf(buf, size, "line %zu", index + 2);
    else
        snprintf(buf, size, "feature %zu", index + 1);
}

enum cr_status
cr_vector_each(struct cr_vector *v, cr_vector_feature_fn fn, void *user, struct cr_error *err)
{
    enum cr_status st = CR_OK;
    OGRFeatureH f;
    size_t n = 0;
    char where[40];
    cr_vector_quiet_begin();
    OGR_L_ResetReading(v->layer);
    CPLErrorReset();
    while ((f = OGR_L_GetNextFeature(v->layer))) {
        cr_vector_where(v, n, where, sizeof where);
        st = fn(user, f, n, where, err);
        OGR_F_Destroy(f);
        if (st)
            goto done;
        n++;
        CPLErrorReset();
    }
    if (CPLGetLastErrorType() >= CE_Failure)
        st = cr_error_set(err, CR_EFORMAT, "%s: after %s %zu: %s", v->path,
                          v->csv ? "line" : "feature", v->csv ? n + 1 : n, cr_vector_message());
done:
    cr_vector_quiet_end();
    return st;
}

/* ---- fields -------------------------------------------------------------------------------- */

int
cr_vector_find_field(OGRFeatureDefnH defn, const char *const *names)
{
    for (; *names; names++) {
        int i = OGR_FD_GetFieldIndex(defn, *names); /* case-insensitive */
        if (i >= 0)
            return i;
    }
    return -1;
}

bool
cr_vector_is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

bool
cr_vector_parse_number(const char *s, double *out)
{
    char *end;
    s += strspn(s, " \t\r\n");
    if (*s == '\0')
        return false;
    double x = CPLStrtod(s, &end); /* locale-independent strtod */
    if (end == s || !cr_vector_is_blank(end) || isnan(x))
        return false;
    *out = x;
    return true;
}

bool
cr_vector_header_is_numeric(OGRFeatureDefnH defn)
{
    double x;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++)
        if (cr_vector_parse_number(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), &x))
            return true;
    return false;
}

char *
cr_vector_trimmed_copy(const char *s)
{
    s += strspn(s, " \t\r\n");
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

bool
cr_vector_field_present(OGRFeatureH f, int i)
{
    return i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i);
}

/* CSV: lon or lat as text, parsed whole. */
enum cr_status
cr_vector_number_field(OGRFeatureH f, int field, const char *label, const char *path,
                       const char *where, double *out, struct cr_error *err)
{
    if (!cr_vector_field_present(f, field) || cr_vector_is_blank(OGR_F_GetFieldAsString(f, field)))
        return cr_error_set(err, CR_EINVAL, "%s: %s: no %s", path, where, label);
    const char *text = OGR_F_GetFieldAsString(f, field);
    if (!cr_vector_parse_number(text, out))
        return cr_error_set(err, CR_EINVAL, "%s: %s: %s \"%.40s\" is not a number", path, where,
                            label, text);
    return CR_OK;
}

/* ---- geometry and CRS ---------------------------------------------------------------------- */

const char *
cr_vector_type_name(OGRwkbGeometryType type)
{
    static const char *const names[] = {
        [wkbPoint] = "Point",
        [wkbLineString] = "LineString",
        [wkbPolygon] = "Polygon",
        [wkbMultiPoint] = "MultiPoint",
        [wkbMultiLineString] = "MultiLineString",
        [wkbMultiPolygon] = "MultiPolygon",
        [wkbGeometryCollection] = "GeometryCollection",
    };
    type = wkbFlatten(type);
    return (size_t)type < sizeof names / sizeof names[0] && names[type]
               ? names[type]
               : OGRGeometryTypeToName(type);
}

bool
cr_vector_is_polygonal(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
           t == wkbMultiSurface || t == wkbPolyhedralSurface || t == wkbTIN;
}

bool
cr_vector_is_linear(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbLineString || t == wkbMultiLineString || t == wkbCircularString ||
           t == wkbCompoundCurve || t == wkbMultiCurve;
}

enum cr_status
cr_vector_point(OGRFeatureH f, PJ *to_wgs84, const char *path, const char *where, double *lon,
                double *lat, struct cr_error *err)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f); /* owned by the feature */
    if (!g)
        return cr_error_set(err, CR_EINVAL, "%s: %s: no geometry", path, where);
    OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type != wkbPoint)
        return cr_error_set(err, CR_EINVAL, "%s: %s: geometry is %s, want Point", path, where,
                            cr_vector_type_name(type));
    if (OGR_G_IsEmpty(g))
        return cr_error_set(err, CR_EINVAL, "%s: %s: empty Point", path, where);
    double x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0);
    if (to_wgs84 && cr_crs_point(to_wgs84, PJ_FWD, &x, &y))
        return cr_error_set(err, CR_EINVAL, "%s: %s: cannot transform (%.10g, %.10g) to WGS84",
                            path, where, x, y);
    *lon = x;
    *lat = y;
    return CR_OK;
}

PJ *
cr_vector_srs_to_proj(PJ_CONTEXT *ctx, OGRSpatialReferenceH srs, char *code_label, size_t size)
{
    const char *auth = OSRGetAuthorityName(srs, NULL), *code = OSRGetAuthorityCode(srs, NULL);
    PJ *crs = NULL;
    code_label[0] = '\0';
    if (auth && code && strlen(auth) + strlen(code) < 40) {
        snprintf(code_label, size, "%.20s:%.19s", auth, code);
        crs = proj_create(ctx, code_label);
    }
    if (!crs) {
        char *wkt = NULL;
        const char *options[] = { "FORMAT=WKT2_2019", NULL };
        code_label[0] = '\0';
        if (OSRExportToWktEx(srs, &wkt, options) == OGRERR_NONE && wkt)
            crs = proj_create(ctx, wkt);
        CPLFree(wkt);
    }
    return crs;
}

enum cr_status
cr_vector_crs(const struct cr_vector *v, struct cr_ctx *c, const char *hint, PJ **out, char **label,
              struct cr_error *err)
{
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(v->layer); /* owned by the layer */
    char code[64];
    *out = NULL;
    if (label)
        *label = NULL;
    if (!srs)
        return CR_OK;
    const char *name = OSRGetName(srs);
    PJ *crs = cr_vector_srs_to_proj(cr_ctx_proj(c), srs, code, sizeof code);
    if (!crs || !proj_is_crs(crs)) {
        proj_destroy(crs);
        return cr_error_set(err, CR_EINVAL, "%s: unknown CRS \"%s\" (%s)%s%s", v->path,
                            name ? name : "unnamed", cr_ctx_proj_message(c, "not a CRS PROJ knows"),
                            hint ? ": " : "", hint ? hint : "");
    }
    if (label && !(*label = strdup(code[0] ? code : name ? name : "unnamed CRS"))) {
        proj_destroy(crs);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", v->path);
    }
    *out = crs;
    return CR_OK;
}

enum cr_status
cr_vector_to_wgs84(const struct cr_vector *v, struct cr_ctx *c, PJ **out, struct cr_error *err)
{
    PJ *src = NULL, *wgs84 = NULL;
    enum cr_status st;
    *out = NULL;
    if ((st = cr_vector_crs(v, c, NULL, &src, NULL, err)) || !src)
        return st;
    if (!(wgs84 = cr_crs_wgs84(c, err))) {
        st = err ? err->code : CR_EINTERNAL;
        goto done;
    }
    if (proj_is_equivalent_to(src, wgs84, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS))
        goto done;
    if (!(*out = cr_crs_transform(c, src, wgs84, v->path, err)))
        st = err ? err->code : CR_EINVAL;
done:
    proj_destroy(wgs84);
    proj_destroy(src);
    return st;
}
