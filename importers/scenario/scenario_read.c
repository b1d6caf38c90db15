/*
 * The layers of a scenario: the new lines (--add) with their tags read as the OSM importer
 * reads them, the interchange points and the --close lines and polygons, all in WGS 84.
 */
#include <math.h>
#include <stdio.h>

#include "core/geo.h"
#include "importers/scenario/scenario_int.h"
#include "spatial/crs.h"
#include "spatial/vector.h"

/* The keys a feature's fields may give, as OSM tags (docs/scenario.md). */
static const char *const tag_keys[] = {
    "highway", "railway", "waterway",  "maxspeed",  "lanes",    "oneway", "name",
    "ref",     "toll",    "maxweight", "maxheight", "maxwidth", "hgv",    "motorcycle",
    "bridge",  "tunnel",  "layer",     "motorroad", "surface",  "access",
};
#define TAG_KEYS (sizeof tag_keys / sizeof tag_keys[0])
#define TAG_VALUE_MAX 256

struct reader {
    struct scen *s;
    const char *path;
    struct cr_ctx *ctx;
    PJ *to_wgs84;
    double *xy;
    size_t xy_cap;
    uint32_t next_polygon;
};

/* The transformation from the layer's CRS (or --s-srs) to WGS 84; NULL when none is needed. */
static enum cr_status
open_transform(struct reader *r, const struct cr_vector *v, struct cr_error *err)
{
    PJ *src, *wgs;
    enum cr_status st = CR_OK;

    if (!r->s->o->s_srs)
        return cr_vector_to_wgs84(v, r->ctx, &r->to_wgs84, err);
    if (!(src = cr_crs_parse(r->ctx, r->s->o->s_srs, "--s-srs", r->path, err)))
        return err ? err->code : CR_EINVAL;
    if (!(wgs = cr_crs_wgs84(r->ctx, err))) {
        proj_destroy(src);
        return err ? err->code : CR_EINTERNAL;
    }
    if (!cr_crs_same(src, wgs) && !(r->to_wgs84 = cr_crs_transform(r->ctx, src, wgs, r->path, err)))
        st = err ? err->code : CR_EFORMAT;
    proj_destroy(wgs);
    proj_destroy(src);
    return st;
}

static enum cr_status
reader_open(struct reader *r, struct scen *s, const char *path, struct cr_vector *v,
            const struct cr_vector_options *vo, struct cr_error *err)
{
    enum cr_status st;

    memset(r, 0, sizeof *r);
    r->s = s;
    r->path = path;
    if (!(r->ctx = cr_ctx_create(err)))
        return err ? err->code : CR_ENOMEM;
    if ((st = cr_vector_open(v, path, vo, err)))
        return st;
    return open_transform(r, v, err);
}

static void
reader_close(struct reader *r, struct cr_vector *v)
{
    cr_vector_close(v);
    proj_destroy(r->to_wgs84);
    cr_ctx_destroy(r->ctx);
    free(r->xy);
}

/* The N points of OGR line G, in WGS 84 degrees, into r->xy; -1 out of memory, -2 a point that
 * does not transform or is no coordinate. */
static int
line_points(struct reader *r, OGRGeometryH g, int n)
{
    if ((size_t)n > r->xy_cap) {
        double *xy = realloc(r->xy, 2 * (size_t)n * sizeof *xy);
        if (!xy)
            return -1;
        r->xy = xy;
        r->xy_cap = (size_t)n;
    }
    OGR_G_GetPoints(g, r->xy, 2 * sizeof(double), r->xy + 1, 2 * sizeof(double), NULL, 0);
    if (r->to_wgs84 && cr_crs_xy(r->to_wgs84, PJ_FWD, r->xy, (size_t)n))
        return -2;
    for (int i = 0; i < n; i++)
        if (!cr_geo_valid(r->xy[2 * i], r->xy[2 * i + 1]))
            return -2;
    return 0;
}

/* Calls FN for every LineString (or polygon ring when RINGS) of G; stops at a non-zero return. */
typedef int (*part_fn)(struct reader *r, OGRGeometryH line, int n, uint32_t polygon, void *user);

static int
each_part(struct reader *r, OGRGeometryH g, int rings, uint32_t polygon, part_fn fn, void *user)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int rc;

    if (t == wkbMultiLineString || t == wkbGeometryCollection || t == wkbMultiPolygon ||
        (t == wkbPolygon && rings)) {
        if (t == wkbPolygon)
            polygon = r->next_polygon++; /* its rings: one polygon, holes by the even-odd rule */
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            if ((rc = each_part(r, OGR_G_GetGeometryRef(g, i), rings, polygon, fn, user)))
                return rc;
        return 0;
    }
    if ((t != wkbLineString && t != wkbLinearRing) || OGR_G_IsEmpty(g) ||
        OGR_G_GetPointCount(g) < 2)
        return 0;
    return fn(r, g, OGR_G_GetPointCount(g), polygon, user);
}

/* ---- --add ------------------------------------------------------------------------------- */

struct feature_tags {
    struct cr_osm_tag tags[TAG_KEYS + 2]; /* + the default highway, + the links' oneway */
    size_t n;
    char values[TAG_KEYS + 2][TAG_VALUE_MAX];
};

/* The feature's fields named as OSM keys, as tags; highway=trunk when no highway, railway or
 * waterway is given. Numbers are written without a trailing ".0". */
static void
feature_tags(OGRFeatureH f, OGRFeatureDefnH defn, struct feature_tags *t)
{
    int kind = 0;

    t->n = 0;
    for (size_t k = 0; k < TAG_KEYS; k++) {
        const char *names[] = { tag_keys[k], NULL };
        int i = cr_vector_find_field(defn, names);
        if (i < 0 || !cr_vector_field_present(f, i))
            continue;
        OGRFieldType type = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i));
        if (type == OFTInteger || type == OFTInteger64 || type == OFTReal)
            snprintf(t->values[t->n], TAG_VALUE_MAX, "%.15g", OGR_F_GetFieldAsDouble(f, i));
        else
            snprintf(t->values[t->n], TAG_VALUE_MAX, "%s", OGR_F_GetFieldAsString(f, i));
        if (cr_vector_is_blank(t->values[t->n]))
            continue;
        kind |= k < 3;
        t->tags[t->n].key = tag_keys[k];
        t->tags[t->n].value = t->values[t->n];
        t->n++;
    }
    if (!kind) {
        t->tags[t->n].key = "highway";
        t->tags[t->n].value = "trunk";
        t->n++;
    }
}

/* The tags of the line's links: highway=X_link for the classes that have one, oneway=no. */
static void
link_tags(const struct feature_tags *t, struct feature_tags *out)
{
    static const char *const linked[] = { "motorway", "trunk", "primary", "secondary", "tertiary" };
    int has_oneway = 0;

    *out = *t;
    for (size_t i = 0; i < out->n; i++) {
        if (t->tags[i].value == t->values[i])
            out->tags[i].value = out->values[i]; /* point into the copy */
        if (!strcmp(out->tags[i].key, "oneway")) {
            out->tags[i].value = "no";
            has_oneway = 1;
        } else if (!strcmp(out->tags[i].key, "highway")) {
            for (size_t c = 0; c < sizeof linked / sizeof linked[0]; c++)
                if (!strcmp(t->tags[i].value, linked[c])) {
                    snprintf(out->values[i], TAG_VALUE_MAX, "%s_link", linked[c]);
                    out->tags[i].value = out->values[i];
                }
        }
    }
    if (!has_oneway) {
        out->tags[out->n].key = "oneway";
        out->tags[out->n].value = "no";
        out->n++;
    }
}

static uint8_t
mode_group(uint8_t mode)
{
    return mode == CR_MODE_RAIL    ? CR_GROUP_RAIL
           : mode == CR_MODE_WATER ? CR_GROUP_WATER
                                   : CR_GROUP_ROAD;
}

struct add_feature {
    const char *where;
    uint32_t feature, way;
    struct cr_way_info info;
    struct cr_way_attr link_attr;
    size_t inside; /* vertices inside the base's area */
};

static int
add_part(struct reader *r, OGRGeometryH g, int n, uint32_t polygon, void *user)
{
    struct add_feature *a = user;
    struct scen *s = r->s;
    struct sc_line *l;
    int rc = line_points(r, g, n);
    double mlon, mlat, mx, my;

    (void)polygon;
    if (rc)
        return rc;
    if (cr_vec_reserve(&s->pt_lon, (size_t)n) || cr_vec_reserve(&s->pt_lat, (size_t)n) ||
        cr_vec_reserve(&s->pt_node, (size_t)n) || cr_vec_reserve(&s->pt_joined, (size_t)n) ||
        !(l = (cr_vec_append(&s->lines, NULL, 1)
                   ? NULL
                   : &SC_AT(s->lines, struct sc_line, s->lines.len - 1))))
        return -1;
    *l = (struct sc_line){ .feature = a->feature,
                           .way = a->way,
                           .link_way = CR_NO_EDGE,
                           .first = s->pt_lon.len,
                           .group = mode_group(a->info.attr.mode),
                           .oneway = (uint8_t)a->info.oneway,
                           .link_attr = a->link_attr };
    cr_geo_scale(r->xy[1], &mlon, &mlat);
    mx = s->radius_m / mlon;
    my = s->radius_m / mlat;
    for (int i = 0; i < n; i++) {
        double lon = r->xy[2 * i], lat = r->xy[2 * i + 1];
        int32_t lon_e7 = (int32_t)lround(lon * 1e7), lat_e7 = (int32_t)lround(lat * 1e7);
        if (l->count && SC_AT(s->pt_lon, int32_t, s->pt_lon.len - 1) == lon_e7 &&
            SC_AT(s->pt_lat, int32_t, s->pt_lat.len - 1) == lat_e7)
            continue; /* the same point twice in a row */
        SC_AT(s->pt_lon, int32_t, s->pt_lon.len++) = lon_e7;
        SC_AT(s->pt_lat, int32_t, s->pt_lat.len++) = lat_e7;
        SC_AT(s->pt_node, uint32_t, s->pt_node.len++) = CR_NO_NODE;
        SC_AT(s->pt_joined, uint8_t, s->pt_joined.len++) = 0;
        l->count++;
        if (lon >= s->bbox[0] - mx && lon <= s->bbox[2] + mx && lat >= s->bbox[1] - my &&
            lat <= s->bbox[3] + my)
            a->inside++;
    }
    if (l->count < 2) { /* a line of one point: nothing to route */
        s->pt_lon.len -= l->count;
        s->pt_lat.len -= l->count;
        s->pt_node.len -= l->count;
        s->pt_joined.len -= l->count;
        s->lines.len--;
    }
    return 0;
}

/* Classifies the tags as the OSM importer does; 0 when the tags describe no way corridor uses. */
static int
classify(struct scen *s, const struct feature_tags *t, struct cr_way_info *info)
{
    unsigned modes = (1u << CR_GROUP_ROAD) | (1u << CR_GROUP_RAIL) | (1u << CR_GROUP_WATER);

    (void)s;
    memset(info, 0, sizeof *info);
    return cr_osm_way_classify(t->tags, t->n, modes, info);
}

static enum cr_status
tags_error(const char *path, const char *where, const struct feature_tags *t, struct cr_error *err)
{
    char what[128] = "";
    for (size_t i = 0; i < t->n && !what[0]; i++)
        if (!strcmp(t->tags[i].key, "highway") || !strcmp(t->tags[i].key, "railway") ||
            !strcmp(t->tags[i].key, "waterway"))
            snprintf(what, sizeof what, "%s=%s", t->tags[i].key, t->tags[i].value);
    return cr_error_set(err, CR_EFORMAT,
                        "%s: %s: %s is not a way corridor routes on (docs/tags.md)", path, where,
                        what[0] ? what : "its tags");
}

static enum cr_status
add_feature_cb(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    struct reader *r = user;
    struct scen *s = r->s;
    OGRGeometryH g = OGR_F_GetGeometryRef(f), copy;
    struct feature_tags t, lt;
    struct cr_way_info link;
    struct add_feature a = { .where = where, .feature = (uint32_t)index };
    int rc;

    s->stats->features++;
    if (!g || OGR_G_IsEmpty(g) || !cr_vector_is_linear(OGR_G_GetGeometryType(g)))
        return cr_error_set(err, CR_EFORMAT, "%s: %s: %s, not a line", r->path, where,
                            g ? cr_vector_type_name(OGR_G_GetGeometryType(g)) : "no geometry");
    feature_tags(f, OGR_F_GetDefnRef(f), &t);
    if (!classify(s, &t, &a.info))
        return tags_error(r->path, where, &t, err);
    link_tags(&t, &lt);
    if (!classify(s, &lt, &link))
        link = a.info;
    a.link_attr = link.attr;
    a.info.attr.osm_id = -(int64_t)(index + 1);
    if ((a.info.attr.name = cr_sc_intern(s, a.info.name)) == UINT32_MAX ||
        (a.info.attr.ref = cr_sc_intern(s, a.info.ref)) == UINT32_MAX)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    a.link_attr.osm_id = a.info.attr.osm_id;
    a.link_attr.name = a.info.attr.name;
    a.link_attr.ref = a.info.attr.ref;
    a.way = (uint32_t)s->ways.len;
    if (cr_vec_append(&s->ways, &a.info.attr, 1))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    s->stats->ways_added++;
    if (!(copy = OGR_G_GetLinearGeometry(g, 0, NULL)))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    OGR_G_FlattenTo2D(copy);
    rc = each_part(r, copy, 0, 0, add_part, &a);
    OGR_G_DestroyGeometry(copy);
    if (rc == -2)
        return cr_error_set(err, CR_EFORMAT, "%s: %s: a point does not transform to WGS 84",
                            r->path, where);
    if (rc)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    if (!a.inside)
        return cr_error_set(err, CR_EINVAL,
                            "%s: %s: outside the base network's area (%.5f,%.5f,%.5f,%.5f W,S,E,N)",
                            r->path, where, s->bbox[0], s->bbox[1], s->bbox[2], s->bbox[3]);
    return CR_OK;
}

enum cr_status
cr_sc_read_add(struct scen *s, struct cr_error *err)
{
    struct cr_vector v = { 0 };
    struct cr_vector_options vo = { .what = "lines", .want = CR_VECTOR_LINES };
    struct reader r;
    enum cr_status st;

    if (!(st = reader_open(&r, s, s->o->add, &v, &vo, err)))
        st = cr_vector_each(&v, add_feature_cb, &r, err);
    if (!st && !s->lines.len)
        st = cr_error_set(err, CR_EEMPTY, "%s: no lines", s->o->add);
    reader_close(&r, &v);
    return st;
}

/* ---- --interchanges ------------------------------------------------------------------------ */

static enum cr_status
point_cb(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    struct reader *r = user;
    double lon, lat;
    enum cr_status st = cr_vector_point(f, r->to_wgs84, r->path, where, &lon, &lat, err);
    int32_t lon_e7 = (int32_t)lround(lon * 1e7), lat_e7 = (int32_t)lround(lat * 1e7);

    (void)index;
    if (st)
        return st;
    if (cr_vec_append(&r->s->ic_lon, &lon_e7, 1) || cr_vec_append(&r->s->ic_lat, &lat_e7, 1))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    return CR_OK;
}

enum cr_status
cr_sc_read_interchanges(struct scen *s, struct cr_error *err)
{
    struct cr_vector v = { 0 };
    struct cr_vector_options vo = { .what = "interchange points", .want = CR_VECTOR_POINTS };
    struct reader r;
    enum cr_status st;

    if (!(st = reader_open(&r, s, s->o->interchanges, &v, &vo, err)))
        st = cr_vector_each(&v, point_cb, &r, err);
    reader_close(&r, &v);
    return st;
}

/* ---- --close ------------------------------------------------------------------------------- */

static int
close_part(struct reader *r, OGRGeometryH g, int n, uint32_t polygon, void *user)
{
    struct scen *s = r->s;
    struct sc_shape sh = { .polygon = polygon,
                           .is_line = *(const uint8_t *)user,
                           .first = s->cl_lon.len,
                           .count = (size_t)n };
    int rc = line_points(r, g, n);

    if (rc)
        return rc;
    if (cr_vec_reserve(&s->cl_lon, (size_t)n) || cr_vec_reserve(&s->cl_lat, (size_t)n) ||
        cr_vec_append(&s->shapes, &sh, 1))
        return -1;
    for (int i = 0; i < n; i++) {
        SC_AT(s->cl_lon, double, s->cl_lon.len++) = r->xy[2 * i];
        SC_AT(s->cl_lat, double, s->cl_lat.len++) = r->xy[2 * i + 1];
    }
    return 0;
}

static enum cr_status
close_cb(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    struct reader *r = user;
    OGRGeometryH g = OGR_F_GetGeometryRef(f), copy;
    uint8_t is_line;
    int rc;

    (void)index;
    if (!g || OGR_G_IsEmpty(g))
        return CR_OK;
    if (cr_vector_is_linear(OGR_G_GetGeometryType(g)))
        is_line = 1;
    else if (cr_vector_is_polygonal(OGR_G_GetGeometryType(g)))
        is_line = 0;
    else
        return cr_error_set(err, CR_EFORMAT, "%s: %s: %s; --close takes lines or polygons", r->path,
                            where, cr_vector_type_name(OGR_G_GetGeometryType(g)));
    if (!(copy = OGR_G_GetLinearGeometry(g, 0, NULL)))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    OGR_G_FlattenTo2D(copy);
    rc = each_part(r, copy, !is_line, 0, close_part, &is_line);
    OGR_G_DestroyGeometry(copy);
    if (rc == -2)
        return cr_error_set(err, CR_EFORMAT, "%s: %s: a point does not transform to WGS 84",
                            r->path, where);
    if (rc)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    return CR_OK;
}

enum cr_status
cr_sc_read_shapes(struct scen *s, const char *path, struct cr_error *err)
{
    struct cr_vector v = { 0 };
    struct cr_vector_options vo = { .what = "lines or polygons", .want = CR_VECTOR_ANY };
    struct reader r;
    enum cr_status st;

    if (!(st = reader_open(&r, s, path, &v, &vo, err)))
        st = cr_vector_each(&v, close_cb, &r, err);
    if (!st && !s->shapes.len)
        st = cr_error_set(err, CR_EEMPTY, "%s: no lines or polygons", path);
    reader_close(&r, &v);
    return st;
}

enum cr_status
cr_sc_read_close(struct scen *s, struct cr_error *err)
{
    return cr_sc_read_shapes(s, s->o->close, err);
}
