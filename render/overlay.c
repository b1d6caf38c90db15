/* Overlays: vector files read with GDAL/OGR, transformed with PROJ, drawn with Cairo. */
#include "render/overlay.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <ctype.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/crs.h"
#include "spatial/vector.h"

struct cr_overlay {
    const struct cr_overlay_spec *spec;
    struct cr_vector v; /* the file, opened quietly */
    OGRLayerH layer;    /* v.layer */
    PJ_CONTEXT *ctx;
    PJ *to_map; /* layer CRS -> map CRS, x/y (lon/lat) order */
    char name[128];
    int width_field; /* field index, or -1 */
};

static int
parse_number(const char *s, double lo, double hi, double *out)
{
    char *end;
    double d = strtod(s, &end);
    if (end == s || *end || !(d >= lo && d <= hi))
        return -1;
    *out = d;
    return 0;
}

static enum cr_status
spec_value(struct cr_overlay_spec *s, const char *text, const char *key, char *value,
           struct cr_error *err)
{
    char **target = NULL;

    if (!strcmp(key, "name"))
        target = &s->name;
    else if (!strcmp(key, "layer"))
        target = &s->layer;
    else if (!strcmp(key, "width-field"))
        target = &s->width_field;
    else if (!strcmp(key, "where"))
        target = &s->where;
    if (target) {
        free(*target);
        *target = strdup(value);
        return *target ? CR_OK : cr_error_set(err, CR_ENOMEM, "out of memory");
    }
    if (!strcmp(key, "colour") || !strcmp(key, "color")) {
        s->has_colour = !cr_style_parse_colour(value, &s->colour);
        if (!s->has_colour)
            goto bad;
    } else if (!strcmp(key, "fill")) {
        s->has_fill = !cr_style_parse_colour(value, &s->fill);
        if (!s->has_fill)
            goto bad;
    } else if (!strcmp(key, "width")) {
        if (parse_number(value, 0, 100, &s->width_mm))
            goto bad;
    } else if (!strcmp(key, "opacity")) {
        if (parse_number(value, 0, 1, &s->opacity))
            goto bad;
    } else if (!strcmp(key, "width-min")) {
        if (parse_number(value, 0, 100, &s->width_min_mm))
            goto bad;
    } else if (!strcmp(key, "width-max")) {
        if (parse_number(value, 0, 100, &s->width_max_mm))
            goto bad;
    } else if (!strcmp(key, "point")) {
        if (parse_number(value, 0, 100, &s->point_mm))
            goto bad;
    } else if (!strcmp(key, "dash")) {
        s->dash_count = 0;
        for (char *save = NULL, *w = strtok_r(value, "/ ", &save); w;
             w = strtok_r(NULL, "/ ", &save)) {
            if (s->dash_count == 8 || parse_number(w, 0.01, 100, &s->dash_mm[s->dash_count]))
                goto bad;
            s->dash_count++;
        }
        if (!s->dash_count)
            goto bad;
    } else {
        return cr_error_set(
            err, CR_EINVAL,
            "overlay \"%s\": unknown style key \"%s\" (name, colour, width, dash, "
            "fill, opacity, width-field, width-min, width-max, layer, point, where)",
            text, key);
    }
    return CR_OK;
bad:
    return cr_error_set(err, CR_EINVAL, "overlay \"%s\": %s: bad value", text, key);
}

enum cr_status
cr_overlay_spec_parse(const char *text, struct cr_overlay_spec *s, struct cr_error *err)
{
    const char *style = NULL;
    char *buf = NULL;
    enum cr_status st = CR_OK;

    memset(s, 0, sizeof *s);
    s->width_mm = s->opacity = s->width_min_mm = s->width_max_mm = s->point_mm = -1;
    /* the style starts at the first ':' whose rest begins with a key and '=' */
    for (const char *c = strchr(text, ':'); c; c = strchr(c + 1, ':')) {
        const char *k = c + 1;
        while (isalpha((unsigned char)*k) || *k == '-')
            k++;
        if (k > c + 1 && *k == '=') {
            style = c;
            break;
        }
    }
    s->path = style ? strndup(text, (size_t)(style - text)) : strdup(text);
    if (!s->path)
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    if (!*s->path) {
        st = cr_error_set(err, CR_EINVAL, "overlay \"%s\": no file name", text);
        goto done;
    }
    if (!style)
        return CR_OK;
    buf = strdup(style + 1);
    if (!buf)
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item && !st;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq) {
            st =
                cr_error_set(err, CR_EINVAL, "overlay \"%s\": \"%s\" is not key=value", text, item);
            break;
        }
        *eq = 0;
        st = spec_value(s, text, item, eq + 1, err);
    }
done:
    free(buf);
    if (st)
        cr_overlay_spec_fini(s);
    return st;
}

void
cr_overlay_spec_fini(struct cr_overlay_spec *s)
{
    free(s->path);
    free(s->layer);
    free(s->name);
    free(s->width_field);
    free(s->where);
    memset(s, 0, sizeof *s);
}

void
cr_overlay_close(struct cr_overlay *o)
{
    if (!o)
        return;
    if (o->to_map)
        proj_destroy(o->to_map);
    cr_vector_close(&o->v);
    free(o);
}

static void
base_name(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    const char *dot = strchr(b, '.');
    snprintf(out, size, "%.*s", dot && dot > b ? (int)(dot - b) : (int)strlen(b), b);
}

static PJ *
layer_crs(PJ_CONTEXT *ctx, OGRLayerH layer)
{
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    char code[64];

    if (!srs)
        return proj_create(ctx, "OGC:CRS84");
    return cr_vector_srs_to_proj(ctx, srs, code, sizeof code);
}

struct cr_overlay *
cr_overlay_open(const struct cr_overlay_spec *spec, struct cr_ctx *c, const PJ *map_crs,
                struct cr_error *err)
{
    struct cr_overlay *o = calloc(1, sizeof *o);
    PJ_CONTEXT *ctx = cr_ctx_proj(c);
    PJ *src = NULL;

    if (!o) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", spec->path);
        return NULL;
    }
    o->spec = spec;
    o->ctx = ctx;
    o->width_field = -1;
    if (spec->name)
        snprintf(o->name, sizeof o->name, "%s", spec->name);
    else
        base_name(spec->path, o->name, sizeof o->name);
    struct cr_vector_options vo = {
        .what = "features",
        .no_layer = "layer at all",
        .unreadable = "cannot read the overlay",
        .layer = spec->layer,
    };
    if (cr_vector_open(&o->v, spec->path, &vo, err))
        goto fail;
    o->layer = o->v.layer;
    if (spec->where) {
        cr_vector_quiet_begin(); /* GDAL would print its SQL error on stderr */
        CPLErrorReset();
        OGRErr e = OGR_L_SetAttributeFilter(o->layer, spec->where);
        if (e != OGRERR_NONE)
            cr_error_set(err, CR_EINVAL, "%s: bad where \"%s\" (%s)", spec->path, spec->where,
                         cr_vector_message());
        cr_vector_quiet_end();
        if (e != OGRERR_NONE)
            goto fail;
    }
    if (spec->width_field) {
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(o->layer);
        const char *names[] = { spec->width_field, NULL };
        o->width_field = cr_vector_find_field(defn, names);
        if (o->width_field < 0) {
            cr_error_set(err, CR_ENOTFOUND, "%s: no field \"%s\" for width-field", spec->path,
                         spec->width_field);
            goto fail;
        }
        OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, o->width_field));
        if (t != OFTInteger && t != OFTInteger64 && t != OFTReal) {
            cr_error_set(err, CR_EFORMAT, "%s: field \"%s\" is not numeric", spec->path,
                         spec->width_field);
            goto fail;
        }
    }
    src = layer_crs(ctx, o->layer);
    if (!src) {
        cr_error_set(err, CR_EFORMAT, "%s: a CRS PROJ does not know (%s)", spec->path,
                     cr_ctx_proj_message(c, "no reason given"));
        goto fail;
    }
    if (!(o->to_map = cr_crs_transform(c, src, map_crs, spec->path, err)))
        goto fail;
    proj_destroy(src);
    return o;
fail:
    proj_destroy(src);
    cr_overlay_close(o);
    return NULL;
}

const char *
cr_overlay_name(const struct cr_overlay *o)
{
    return o->name;
}

int
cr_overlay_extent(struct cr_overlay *o, double *x0, double *y0, double *x1, double *y1)
{
    OGREnvelope env;
    int points = 21;

    if (OGR_L_GetExtent(o->layer, &env, 1) != OGRERR_NONE)
        return -1;
    if (env.MinX > env.MaxX || env.MinY > env.MaxY)
        return -1;
    if (env.MinX == env.MaxX && env.MinY == env.MaxY) {
        PJ_COORD c = proj_coord(env.MinX, env.MinY, 0, 0);
        c = proj_trans(o->to_map, PJ_FWD, c);
        if (!isfinite(c.xy.x) || !isfinite(c.xy.y))
            return -1;
        *x0 = *x1 = c.xy.x;
        *y0 = *y1 = c.xy.y;
        return 0;
    }
    if (!proj_trans_bounds(o->ctx, o->to_map, PJ_FWD, env.MinX, env.MinY, env.MaxX, env.MaxY, x0,
                           y0, x1, y1, points))
        return -1;
    return 0;
}

struct draw_ctx {
    struct cr_overlay *o;
    cairo_t *cr;
    const struct cr_view *v;
    PJ_COORD *buf;
    size_t cap;
    int failed;
};

/* Appends the geometry's lines (or rings) to the current path; points collected apart. */
static void
path_points(struct draw_ctx *d, OGRGeometryH g, int close)
{
    int n = OGR_G_GetPointCount(g);
    if (n <= 0)
        return;
    if ((size_t)n > d->cap) {
        PJ_COORD *b = realloc(d->buf, (size_t)n * sizeof *b);
        if (!b) {
            d->failed = 1;
            return;
        }
        d->buf = b;
        d->cap = (size_t)n;
    }
    for (int i = 0; i < n; i++)
        d->buf[i] = proj_coord(OGR_G_GetX(g, i), OGR_G_GetY(g, i), 0, 0);
    proj_trans_array(d->o->to_map, PJ_FWD, (size_t)n, d->buf);
    int started = 0;
    for (int i = 0; i < n; i++) {
        double px, py;
        if (!isfinite(d->buf[i].xy.x) || !isfinite(d->buf[i].xy.y))
            continue;
        cr_view_to_page(d->v, d->buf[i].xy.x, d->buf[i].xy.y, &px, &py);
        if (started)
            cairo_line_to(d->cr, px, py);
        else
            cairo_move_to(d->cr, px, py);
        started = 1;
    }
    if (close && started)
        cairo_close_path(d->cr);
}

enum kind { K_NONE, K_POINT, K_LINE, K_POLYGON };

static enum kind
add_geometry(struct draw_ctx *d, OGRGeometryH g, double *pts, int *npts, int max_pts)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    enum kind k = K_NONE;

    switch (t) {
    case wkbPoint:
        if (*npts < max_pts) {
            PJ_COORD c = proj_trans(d->o->to_map, PJ_FWD,
                                    proj_coord(OGR_G_GetX(g, 0), OGR_G_GetY(g, 0), 0, 0));
            if (isfinite(c.xy.x) && isfinite(c.xy.y)) {
                cr_view_to_page(d->v, c.xy.x, c.xy.y, &pts[2 * *npts], &pts[2 * *npts + 1]);
                (*npts)++;
            }
        }
        return K_POINT;
    case wkbLineString:
    case wkbLinearRing:
    case wkbCircularString:
    case wkbCompoundCurve:
        path_points(d, g, 0);
        return K_LINE;
    case wkbPolygon:
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            path_points(d, OGR_G_GetGeometryRef(g, i), 1);
        return K_POLYGON;
    default:
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            enum kind sub = add_geometry(d, OGR_G_GetGeometryRef(g, i), pts, npts, max_pts);
            if (sub > k)
                k = sub;
        }
        return k;
    }
}

static void
set_rgba(cairo_t *cr, struct cr_rgba c, double opacity)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity);
}

enum cr_status
cr_overlay_draw(struct cr_overlay *o, cairo_t *cr, const struct cr_view *v,
                const struct cr_style *style, double k, size_t index,
                struct cr_overlay_drawn *drawn, struct cr_error *err)
{
    const struct cr_overlay_spec *sp = o->spec;
    struct draw_ctx d = { o, cr, v, NULL, 0, 0 };
    double mm = CR_PT_PER_MM * k, bx0, by0, bx1, by1, fmin = INFINITY, fmax = -INFINITY;
    double opacity = sp->opacity >= 0 ? sp->opacity : style->overlay_opacity;
    OGRFeatureH f;

    memset(drawn, 0, sizeof *drawn);
    drawn->colour = sp->has_colour
                        ? sp->colour
                        : style->palette[index % (style->palette_count ? style->palette_count : 1)];
    drawn->fill = sp->has_fill ? sp->fill : drawn->colour;
    if (!sp->has_fill)
        drawn->fill.a = style->overlay_fill_opacity;
    drawn->width_pt = (sp->width_mm >= 0 ? sp->width_mm : style->overlay_width_mm) * mm;
    drawn->point_pt = (sp->point_mm >= 0 ? sp->point_mm : style->overlay_point_mm) * mm;
    drawn->dash_count = sp->dash_count;
    for (int i = 0; i < sp->dash_count; i++)
        drawn->dash_pt[i] = sp->dash_mm[i] * mm;
    drawn->width_min_pt = (sp->width_min_mm >= 0 ? sp->width_min_mm : 0.4) * mm;
    drawn->width_max_pt = (sp->width_max_mm >= 0 ? sp->width_max_mm : 5.0) * mm;

    /* features outside the view are skipped by a spatial filter in the layer's own CRS */
    if (proj_trans_bounds(o->ctx, o->to_map, PJ_INV, v->x0, v->y0, v->x1, v->y1, &bx0, &by0, &bx1,
                          &by1, 21))
        OGR_L_SetSpatialFilterRect(o->layer, bx0, by0, bx1, by1);
    if (o->width_field >= 0) {
        OGR_L_ResetReading(o->layer);
        while ((f = OGR_L_GetNextFeature(o->layer))) {
            if (OGR_F_IsFieldSetAndNotNull(f, o->width_field)) {
                double val = OGR_F_GetFieldAsDouble(f, o->width_field);
                fmin = fmin < val ? fmin : val;
                fmax = fmax > val ? fmax : val;
            }
            OGR_F_Destroy(f);
        }
        drawn->field_min = fmin;
        drawn->field_max = fmax;
    }

    cairo_save(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if (opacity < 1)
        cairo_push_group(cr);
    /* polygons first, then lines, then points: two passes keep the file read order simple */
    for (int pass = 0; pass < 2; pass++) {
        OGR_L_ResetReading(o->layer);
        while (!d.failed && (f = OGR_L_GetNextFeature(o->layer))) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            double pts[2 * 64];
            int npts = 0;
            double width = drawn->width_pt;
            enum kind kind;
            if (!g) {
                OGR_F_Destroy(f);
                continue;
            }
            if (o->width_field >= 0) {
                if (!OGR_F_IsFieldSetAndNotNull(f, o->width_field)) {
                    OGR_F_Destroy(f);
                    continue;
                }
                double val = OGR_F_GetFieldAsDouble(f, o->width_field);
                double t = fmax > fmin ? (val - fmin) / (fmax - fmin) : 1;
                width = drawn->width_min_pt + t * (drawn->width_max_pt - drawn->width_min_pt);
            }
            cairo_new_path(cr);
            kind = add_geometry(&d, g, pts, &npts, 64);
            OGR_F_Destroy(f);
            if (kind == K_POLYGON && pass == 0) {
                cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
                set_rgba(cr, drawn->fill, 1);
                cairo_fill_preserve(cr);
                set_rgba(cr, drawn->colour, 1);
                cairo_set_line_width(cr, width * 0.5);
                cairo_set_dash(cr, drawn->dash_pt, drawn->dash_count, 0);
                cairo_stroke(cr);
                drawn->polygons++;
            } else if (kind == K_LINE && pass == 0) {
                set_rgba(cr, drawn->colour, 1);
                cairo_set_line_width(cr, width);
                cairo_set_dash(cr, drawn->dash_pt, drawn->dash_count, 0);
                cairo_stroke(cr);
                drawn->lines++;
            } else if (kind == K_POINT && pass == 1) {
                cairo_new_path(cr);
                cairo_set_dash(cr, NULL, 0, 0);
                for (int i = 0; i < npts; i++) {
                    cairo_new_sub_path(cr);
                    cairo_arc(cr, pts[2 * i], pts[2 * i + 1], drawn->point_pt / 2, 0, 2 * M_PI);
                }
                set_rgba(cr, drawn->colour, 1);
                cairo_fill_preserve(cr);
                cairo_set_source_rgb(cr, 1, 1, 1);
                cairo_set_line_width(cr, drawn->point_pt * 0.2);
                cairo_stroke(cr);
                drawn->points++;
            }
            cairo_new_path(cr);
        }
    }
    if (opacity < 1) {
        cairo_pop_group_to_source(cr);
        cairo_paint_with_alpha(cr, opacity);
    }
    cairo_restore(cr);
    OGR_L_SetSpatialFilter(o->layer, NULL);
    free(d.buf);
    if (d.failed)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", sp->path);
    return CR_OK;
}
