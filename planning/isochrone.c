#include "planning/isochrone.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "routing/session.h"
#include "spatial/crs.h"
#include "spatial/vector.h"
#include "spatial/vector_write.h"

static double
now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

enum cr_status
cr_iso_minutes_parse(const char *text, double *out, size_t *n, struct cr_error *err)
{
    const char *p = text;

    *n = 0;
    if (!text || !*text)
        return cr_error_set(err, CR_EINVAL, "minutes: empty list (want e.g. 10,20,30)");
    for (;;) {
        char *end;
        double m;
        errno = 0;
        m = strtod(p, &end);
        if (end == p || errno || !(m > 0) || m > CR_ISO_MAX_MINUTES || (*end && *end != ','))
            return cr_error_set(err, CR_EINVAL,
                                "minutes \"%s\": \"%.*s\" is not a number of minutes in (0, %g]",
                                text, (int)strcspn(p, ","), p, CR_ISO_MAX_MINUTES);
        if (*n == CR_ISO_MAX_BANDS)
            return cr_error_set(err, CR_EINVAL, "minutes \"%s\": more than %d bands", text,
                                CR_ISO_MAX_BANDS);
        out[(*n)++] = m;
        if (!*end)
            break;
        p = end + 1;
    }
    qsort(out, *n, sizeof *out, cmp_double);
    for (size_t i = 1; i < *n; i++)
        if (out[i] == out[i - 1])
            return cr_error_set(err, CR_EINVAL, "minutes \"%s\": %g given twice", text, out[i]);
    return CR_OK;
}

/* ---- reached stretches of segments ---------------------------------------------------------- */

struct span {
    uint32_t segment;
    double a, b; /* fractions along the segment, a -> b direction, a < b */
};

static int
cmp_span(const void *x, const void *y)
{
    const struct span *p = x, *q = y;
    if (p->segment != q->segment)
        return p->segment < q->segment ? -1 : 1;
    return p->a < q->a ? -1 : p->a > q->a;
}

/* The stretches of every segment whose time lies in [LO_S, HI_S], each segment's merged. */
static enum cr_status
collect(const struct cr_graph_view *v, const struct cr_isochrone *iso, double lo_s, double hi_s,
        struct span **out, size_t *count, struct cr_error *err)
{
    struct span *s = malloc((iso->count + 1) * sizeof *s);
    size_t n = 0, m = 0;

    if (!s)
        return cr_error_set(err, CR_ENOMEM, "isochrone: out of memory (%zu pieces)", iso->count);
    for (size_t i = 0; i < iso->count; i++) {
        const struct cr_iso_piece *p = &iso->pieces[i];
        uint32_t seg = v->edge_segment[p->edge];
        double a, b;
        if (!cr_iso_piece_window(p, lo_s, hi_s, &a, &b))
            continue;
        if (seg & CR_SEGMENT_REVERSED)
            s[n++] = (struct span){ seg & ~CR_SEGMENT_REVERSED, 1.0 - b, 1.0 - a };
        else
            s[n++] = (struct span){ seg, a, b };
    }
    qsort(s, n, sizeof *s, cmp_span);
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && s[m - 1].segment == s[i].segment && s[i].a <= s[m - 1].b + 1e-9) {
            if (s[i].b > s[m - 1].b)
                s[m - 1].b = s[i].b;
            continue;
        }
        s[m++] = s[i];
    }
    *out = s;
    *count = m;
    return CR_OK;
}

static double
spans_km(const struct cr_graph_view *v, const struct span *s, size_t n)
{
    double km = 0;
    for (size_t i = 0; i < n; i++)
        km += (s[i].b - s[i].a) * v->segment_length_cm[s[i].segment] / 1e5;
    return km;
}

/* ---- geometry ----------------------------------------------------------------------------- */

struct geo {
    GEOSContextHandle_t h;
    PJ *to_work; /* WGS 84 -> working CRS */
    double *xy, *cum;
    size_t cap;
};

/* The point at distance D along the NP projected points. */
static void
at_distance(const struct geo *g, uint32_t np, double d, double *x, double *y)
{
    uint32_t i = 0;
    double l, t;

    while (i + 2 < np && g->cum[i + 1] < d)
        i++;
    l = g->cum[i + 1] - g->cum[i];
    t = l > 0 ? (d - g->cum[i]) / l : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    *x = g->xy[2 * i] + t * (g->xy[2 * i + 2] - g->xy[2 * i]);
    *y = g->xy[2 * i + 1] + t * (g->xy[2 * i + 3] - g->xy[2 * i + 1]);
}

/* Span S as a line in the working CRS (NULL when shorter than a millimetre or on failure:
 * *FAILED tells which). */
static GEOSGeometry *
span_line(struct geo *g, const struct cr_graph_view *v, const struct span *s, int *failed)
{
    uint32_t first = v->segment_first_shape[s->segment];
    uint32_t shapes = v->segment_first_shape[s->segment + 1] - first, np = shapes + 2, k = 0;
    uint32_t na = v->segment_node[2 * s->segment], nb = v->segment_node[2 * s->segment + 1];
    double da, db, x, y;
    GEOSCoordSequence *cs;

    *failed = 0;
    if (np > g->cap) {
        double *xy = realloc(g->xy, 2 * np * sizeof *xy), *cum;
        if (xy)
            g->xy = xy;
        cum = realloc(g->cum, np * sizeof *cum);
        if (cum)
            g->cum = cum;
        if (!xy || !cum)
            return *failed = 1, NULL;
        g->cap = np;
    }
    g->xy[0] = v->lon_e7[na] / 1e7;
    g->xy[1] = v->lat_e7[na] / 1e7;
    for (uint32_t i = 0; i < shapes; i++) {
        g->xy[2 * (i + 1)] = v->shape_lon_e7[first + i] / 1e7;
        g->xy[2 * (i + 1) + 1] = v->shape_lat_e7[first + i] / 1e7;
    }
    g->xy[2 * (np - 1)] = v->lon_e7[nb] / 1e7;
    g->xy[2 * (np - 1) + 1] = v->lat_e7[nb] / 1e7;
    if (cr_crs_xy(g->to_work, PJ_FWD, g->xy, np))
        return *failed = 1, NULL;
    g->cum[0] = 0;
    for (uint32_t i = 1; i < np; i++)
        g->cum[i] = g->cum[i - 1] +
                    hypot(g->xy[2 * i] - g->xy[2 * i - 2], g->xy[2 * i + 1] - g->xy[2 * i - 1]);
    da = s->a * g->cum[np - 1];
    db = s->b * g->cum[np - 1];
    if (db - da < 1e-3)
        return NULL;
    for (uint32_t i = 1; i + 1 < np; i++) /* the interior vertices strictly inside */
        if (g->cum[i] > da && g->cum[i] < db)
            k++;
    if (!(cs = GEOSCoordSeq_create_r(g->h, k + 2, 2)))
        return *failed = 1, NULL;
    at_distance(g, np, da, &x, &y);
    GEOSCoordSeq_setXY_r(g->h, cs, 0, x, y);
    k = 1;
    for (uint32_t i = 1; i + 1 < np; i++)
        if (g->cum[i] > da && g->cum[i] < db)
            GEOSCoordSeq_setXY_r(g->h, cs, k++, g->xy[2 * i], g->xy[2 * i + 1]);
    at_distance(g, np, db, &x, &y);
    GEOSCoordSeq_setXY_r(g->h, cs, k, x, y);
    return GEOSGeom_createLineString_r(g->h, cs);
}

/* The buffer of the N spans S (an empty polygon when none). */
static GEOSGeometry *
spans_buffer(struct geo *g, const struct cr_graph_view *v, const struct span *s, size_t n,
             double buffer_m)
{
    GEOSGeometry **lines = malloc((n + 1) * sizeof *lines), *all, *buf;
    GEOSBufferParams *bp;
    unsigned k = 0;
    int failed = 0;

    if (!lines)
        return NULL;
    bp = GEOSBufferParams_create_r(g->h);
    if (!bp || !GEOSBufferParams_setQuadrantSegments_r(g->h, bp, CR_ISO_QUADSEGS))
        failed = 1;
    for (size_t i = 0; i < n && !failed; i++) { /* each stretch buffered alone, then one union */
        GEOSGeometry *l = span_line(g, v, &s[i], &failed), *b;
        if (!l)
            continue;
        b = GEOSBufferWithParams_r(g->h, l, bp, buffer_m);
        GEOSGeom_destroy_r(g->h, l);
        if (!b)
            failed = 1;
        else
            lines[k++] = b;
    }
    if (bp)
        GEOSBufferParams_destroy_r(g->h, bp);
    if (failed) {
        for (unsigned i = 0; i < k; i++)
            GEOSGeom_destroy_r(g->h, lines[i]);
        free(lines);
        return NULL;
    }
    if (k == 0) {
        free(lines);
        return GEOSGeom_createEmptyPolygon_r(g->h);
    }
    all = GEOSGeom_createCollection_r(g->h, GEOS_MULTIPOLYGON, lines, k);
    free(lines);
    if (!all)
        return NULL;
    buf = GEOSUnaryUnion_r(g->h, all);
    GEOSGeom_destroy_r(g->h, all);
    return buf;
}

static int
to_wgs84(double *x, double *y, void *user)
{
    return cr_crs_point(user, PJ_INV, x, y) == 0;
}

/* Band K's polygon in the working CRS into *WORK (band K-1's united with what was reached since)
 * and its km. */
static enum cr_status
band(struct cr_ctx *c, struct geo *g, const struct cr_graph_view *v, const struct cr_isochrone *iso,
     double lo_s, double hi_s, double buffer_m, GEOSGeometry **work, double *km,
     struct cr_error *err)
{
    struct span *s;
    size_t n;
    GEOSGeometry *buf, *u;
    enum cr_status st;

    if ((st = collect(v, iso, -1.0, hi_s, &s, &n, err)))
        return st;
    *km = spans_km(v, s, n);
    free(s);
    if ((st = collect(v, iso, lo_s, hi_s, &s, &n, err)))
        return st;
    cr_ctx_reset(c);
    buf = spans_buffer(g, v, s, n, buffer_m);
    free(s);
    if (!buf)
        return cr_ctx_geos_error(c, err, CR_EINTERNAL, "isochrone: buffer of %zu stretches", n);
    if (!*work) {
        *work = buf;
        return CR_OK;
    }
    u = GEOSUnion_r(g->h, *work, buf);
    GEOSGeom_destroy_r(g->h, buf);
    if (!u)
        return cr_ctx_geos_error(c, err, CR_EINTERNAL, "isochrone: union of two bands");
    GEOSGeom_destroy_r(g->h, *work);
    *work = u;
    return CR_OK;
}

enum cr_status
cr_iso_polygons(struct cr_ctx *c, const struct cr_graph_view *v, const struct cr_isochrone *iso,
                const double *minutes, size_t n, double buffer_m, double lon, double lat,
                struct cr_iso_result *out, struct cr_error *err)
{
    struct geo g = { cr_ctx_geos(c), NULL, NULL, NULL, 0 };
    GEOSGeometry *work = NULL;
    PJ *crs = NULL;
    char name[32];
    enum cr_status st = CR_OK;
    double t0 = now_s();

    memset(out->bands, 0, sizeof out->bands);
    out->count = 0;
    out->origin_count = iso->origin_count;
    out->reverse = iso->reverse;
    out->buffer_m = buffer_m;
    if (n == 0 || n > CR_ISO_MAX_BANDS || !(buffer_m > 0) || buffer_m > 10000)
        return cr_error_set(err, CR_EINVAL,
                            "isochrone: %zu bands, buffer %g m (want 1..%d, 0..10000]", n, buffer_m,
                            CR_ISO_MAX_BANDS);
    if (!(out->work_epsg = cr_crs_utm_epsg(lon, lat)))
        return cr_error_set(err, CR_EINVAL, "isochrone: %g,%g is not a coordinate", lon, lat);
    snprintf(name, sizeof name, "EPSG:%d", out->work_epsg);
    if (!(crs = cr_crs_parse(c, name, "working CRS", "isochrone", err)) ||
        !(g.to_work = cr_crs_from_wgs84(c, crs, "isochrone", err))) {
        st = err ? err->code : CR_EINTERNAL;
        goto done;
    }
    for (size_t k = 0; k < n && !st; k++) {
        double lo = k ? minutes[k - 1] * 60.0 : -1.0, hi = minutes[k] * 60.0;
        out->bands[k].minutes = minutes[k];
        if ((st = band(c, &g, v, iso, lo, hi, buffer_m, &work, &out->bands[k].reached_km, err)))
            break;
        if (!(out->bands[k].polygon = GEOSGeom_transformXY_r(g.h, work, to_wgs84, g.to_work)))
            st = cr_ctx_geos_error(c, err, CR_EINTERNAL, "isochrone: band %g min to WGS 84",
                                   minutes[k]);
        out->count = k + 1;
    }
done:
    if (work)
        GEOSGeom_destroy_r(g.h, work);
    free(g.xy);
    free(g.cum);
    if (g.to_work)
        proj_destroy(g.to_work);
    if (crs)
        proj_destroy(crs);
    out->polygon_s = now_s() - t0;
    if (st)
        cr_iso_result_fini(c, out);
    return st;
}

void
cr_iso_result_fini(struct cr_ctx *c, struct cr_iso_result *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->count; k++)
        if (r->bands[k].polygon)
            GEOSGeom_destroy_r(cr_ctx_geos(c), r->bands[k].polygon);
    memset(r->bands, 0, sizeof r->bands);
    r->count = 0;
}

enum cr_status
cr_iso_run(struct cr_ctx *c, const struct cr_session *s, const int32_t *lon_e7,
           const int32_t *lat_e7, size_t n, const double *minutes, size_t nm, int reverse,
           double buffer_m, struct cr_iso_result *out, struct cr_error *err)
{
    const struct cr_engine *e = cr_session_engine(s);
    struct cr_place *places;
    struct cr_isochrone iso;
    enum cr_status st;
    double lon = 0, lat = 0, t0 = now_s(), search_s;

    memset(out, 0, sizeof *out);
    if (n == 0 || nm == 0)
        return cr_error_set(err, CR_EINVAL, "isochrone: no %s", n ? "minutes" : "origin");
    if (!(places = calloc(n, sizeof *places)))
        return cr_error_set(err, CR_ENOMEM, "isochrone: out of memory (%zu origins)", n);
    for (size_t i = 0; i < n; i++) {
        if ((st = cr_engine_place(e, lon_e7[i], lat_e7[i], &places[i], err))) {
            free(places);
            return st;
        }
        lon += lon_e7[i] / 1e7 / (double)n;
        lat += lat_e7[i] / 1e7 / (double)n;
    }
    st = cr_isochrone_compute(e, places, n, minutes[nm - 1] * 60.0, reverse, &iso, err);
    free(places);
    if (st)
        return st;
    search_s = now_s() - t0;
    st = cr_iso_polygons(c, e->view, &iso, minutes, nm, buffer_m, lon, lat, out, err);
    out->search_s = search_s;
    cr_isochrone_fini(&iso);
    return st;
}

/* ---- output ------------------------------------------------------------------------------- */

static int
has_suffix(const char *path, const char *ext)
{
    size_t n = strlen(path), m = strlen(ext);
    return n > m && !strcasecmp(path + n - m, ext);
}

static enum cr_status
write_bands(struct cr_ctx *c, const struct cr_iso_result *r, const char *network, const char *path,
            OGRLayerH l, struct cr_error *err)
{
    for (size_t k = r->count; k-- > 0;) { /* largest first */
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        OGRGeometryH g = cr_vector_multipolygon(cr_ctx_geos(c), r->bands[k].polygon);
        if (f && g) {
            OGR_F_SetFieldDouble(f, 0, r->bands[k].minutes);
            OGR_F_SetFieldInteger(f, 1, (int)r->origin_count);
            OGR_F_SetFieldDouble(f, 2, round(r->bands[k].reached_km * 1000.0) / 1000.0);
            if (network)
                OGR_F_SetFieldString(f, 3, network);
        }
        if (cr_vector_writer_add(l, f, g)) /* frees both, and fails when either is NULL */
            return cr_error_set(err, CR_EIO, "%s: cannot write the %g min band%s%s (%s)", path,
                                r->bands[k].minutes, network ? " " : "", network ? network : "",
                                cr_vector_message());
    }
    return CR_OK;
}

enum cr_status
cr_iso_write_compare(struct cr_ctx *c, const struct cr_iso_result *before,
                     const struct cr_iso_result *after, const char *path, struct cr_error *err)
{
    static const char *const fields[] = { "minutes", "origins", "reached_km", "network", NULL };
    static const OGRFieldType types[] = { OFTReal, OFTInteger, OFTReal, OFTString };
    static const char *const geojson[] = { "RFC7946=YES", "COORDINATE_PRECISION=7", NULL };
    const char *const *names = fields;
    const char *const plain[] = { "minutes", "origins", "reached_km", NULL };
    int is_json = has_suffix(path, ".geojson") || has_suffix(path, ".json");
    struct cr_vector_writer w;
    OGRLayerH l;
    enum cr_status st;

    if (!after)
        names = plain;
    if (!is_json && !has_suffix(path, ".gpkg"))
        return cr_error_set(err, CR_EINVAL, "%s: want a .geojson or .gpkg file", path);
    if ((st = cr_vector_writer_open(&w, path, is_json ? "GeoJSON" : "GPKG", "EPSG:4326", err)))
        return st;
    if (!(l = cr_vector_writer_layer(&w, "isochrone", wkbMultiPolygon, names, types,
                                     is_json ? geojson : NULL, err)) ||
        (st = write_bands(c, before, after ? "before" : NULL, path, l, err)) ||
        (after && (st = write_bands(c, after, "after", path, l, err)))) {
        cr_vector_writer_abort(&w);
        return st ? st : err ? err->code : CR_EIO;
    }
    return cr_vector_writer_commit(&w, err);
}

enum cr_status
cr_iso_write(struct cr_ctx *c, const struct cr_iso_result *r, const char *path,
             struct cr_error *err)
{
    return cr_iso_write_compare(c, r, NULL, path, err);
}

/* ---- rings for a map ------------------------------------------------------------------------ */

struct rings {
    double *xy;
    size_t n, cap;
    size_t *size;
    size_t count, size_cap;
};

static int
add_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, struct rings *r)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;

    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n))
        return -1;
    if (r->count == r->size_cap) {
        size_t cap = r->size_cap ? 2 * r->size_cap : 16;
        size_t *p = realloc(r->size, cap * sizeof *p);
        if (!p)
            return -1;
        r->size = p;
        r->size_cap = cap;
    }
    if (r->n + n > r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        double *p;
        while (cap < r->n + n)
            cap *= 2;
        if (!(p = realloc(r->xy, 2 * cap * sizeof *p)))
            return -1;
        r->xy = p;
        r->cap = cap;
    }
    for (unsigned int i = 0; i < n; i++, r->n++)
        GEOSCoordSeq_getXY_r(h, cs, i, &r->xy[2 * r->n], &r->xy[2 * r->n + 1]);
    r->size[r->count++] = n;
    return 0;
}

enum cr_status
cr_iso_band_rings(struct cr_ctx *c, const struct cr_iso_band *b, double **lonlat, size_t *points,
                  size_t **ring_size, size_t *rings, struct cr_error *err)
{
    GEOSContextHandle_t h = cr_ctx_geos(c);
    int n = b->polygon ? GEOSGetNumGeometries_r(h, b->polygon) : 0;
    struct rings r = { 0 };
    int bad = 0;

    for (int i = 0; i < n && !bad; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, b->polygon, i);
        if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON || GEOSisEmpty_r(h, p) == 1)
            continue;
        bad = add_ring(h, GEOSGetExteriorRing_r(h, p), &r);
        for (int k = 0; k < GEOSGetNumInteriorRings_r(h, p) && !bad; k++)
            bad = add_ring(h, GEOSGetInteriorRingN_r(h, p, k), &r);
    }
    if (bad) {
        free(r.xy);
        free(r.size);
        return cr_error_set(err, CR_ENOMEM, "the %g min band: out of memory", b->minutes);
    }
    *lonlat = r.xy;
    *points = r.n;
    *ring_size = r.size;
    *rings = r.count;
    return CR_OK;
}

/* ---- GeoJSON geometry for the server ------------------------------------------------------- */

static json_t *
ring_json(GEOSContextHandle_t h, const GEOSGeometry *ring, int want_ccw)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    char ccw = 0;
    json_t *a = json_array();

    if (!a || !cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || !GEOSCoordSeq_isCCW_r(h, cs, &ccw))
        return a;
    for (unsigned int i = 0; i < n; i++) {
        unsigned int k = (ccw != 0) == (want_ccw != 0) ? i : n - 1 - i;
        double x, y;
        GEOSCoordSeq_getXY_r(h, cs, k, &x, &y);
        json_array_append_new(a, json_pack("[ff]", round(x * 1e6) / 1e6, round(y * 1e6) / 1e6));
    }
    return a;
}

static json_t *
polygon_json(GEOSContextHandle_t h, const GEOSGeometry *p, int lines)
{
    json_t *rings = json_array();
    int holes = lines ? 0 : GEOSGetNumInteriorRings_r(h, p);

    json_array_append_new(rings, ring_json(h, GEOSGetExteriorRing_r(h, p), 1));
    for (int i = 0; i < holes; i++)
        json_array_append_new(rings, ring_json(h, GEOSGetInteriorRingN_r(h, p, i), 0));
    return rings;
}

json_t *
cr_iso_band_geojson(struct cr_ctx *c, const struct cr_iso_band *b, int lines)
{
    GEOSContextHandle_t h = cr_ctx_geos(c);
    int n = b->polygon ? GEOSGetNumGeometries_r(h, b->polygon) : 0;
    json_t *parts = json_array(), *o;

    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, b->polygon, i);
        json_t *rings;
        if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON || GEOSisEmpty_r(h, p) == 1)
            continue;
        rings = polygon_json(h, p, lines);
        if (lines) { /* the outer ring alone */
            json_array_append(parts, json_array_get(rings, 0));
            json_decref(rings);
        } else {
            json_array_append_new(parts, rings);
        }
    }
    if (json_array_size(parts) == 1) {
        o = json_pack("{s:s,s:O}", "type", lines ? "LineString" : "Polygon", "coordinates",
                      json_array_get(parts, 0));
        json_decref(parts);
        return o;
    }
    return json_pack("{s:s,s:o}", "type", lines ? "MultiLineString" : "MultiPolygon", "coordinates",
                     parts);
}
