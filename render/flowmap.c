/* Flow maps: the line layer read into memory, widths, legend samples, colour classes, offsets
 * (render/flowmap.h). Drawing on the page is render/map_flows.c. */
#include "render/flowmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spatial/ctx.h"
#include "spatial/vector.h"

const double cr_flow_voc_breaks[3] = { 0.5, 0.8, 1.0 };
/* green, yellow, orange, red: the traffic-light reading of v/c every flow map uses
 * (#1a9641, #f5d000, #fd8d3c, #d7191c: ColorBrewer RdYlGn's ends, a stronger yellow) */
#define RGB(hex)                                                                                   \
    {                                                                                              \
        ((hex) >> 16) / 255.0, (((hex) >> 8) & 0xff) / 255.0, ((hex)&0xff) / 255.0, 1              \
    }
const struct cr_rgba cr_flow_voc_colours[4] = { RGB(0x1a9641), RGB(0xf5d000), RGB(0xfd8d3c),
                                                RGB(0xd7191c) };
#undef RGB

int
cr_flowmap_colour_parse(const char *text, enum cr_flow_colour *out)
{
    if (!strcasecmp(text, "classes") || !strcasecmp(text, "voc"))
        *out = CR_FLOW_CLASSES;
    else if (!strcasecmp(text, "diverging"))
        *out = CR_FLOW_DIVERGING;
    else if (!strcasecmp(text, "single"))
        *out = CR_FLOW_SINGLE;
    else
        return -1;
    return 0;
}

double
cr_flowmap_width_mm(const struct cr_flowmap *f, double max_abs, double value)
{
    double max_w = f->max_width_mm > 0 ? f->max_width_mm : CR_FLOW_DEFAULT_MAX_WIDTH_MM;
    double min_w = f->min_width_mm >= 0 ? f->min_width_mm : CR_FLOW_DEFAULT_MIN_WIDTH_MM;
    double a = fabs(value);

    if (!(max_abs > 0) || !isfinite(a) || a == 0)
        return 0;
    return fmax(fmin(a / max_abs, 1) * max_w, fmin(min_w, max_w));
}

/* The greatest round number (1, 2, 2.5, 5 x 10^k) not above V (> 0). */
static double
round_below(double v)
{
    static const double steps[] = { 5, 2.5, 2, 1 };
    double p = pow(10, floor(log10(v)));

    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (steps[i] * p <= v * (1 + 1e-12))
            return steps[i] * p;
    return p;
}

size_t
cr_flowmap_samples(double max_abs, double out[CR_FLOW_MAX_SAMPLES])
{
    double top, prev;
    size_t n = 0, k;
    double tmp[CR_FLOW_MAX_SAMPLES];

    if (!(max_abs > 0) || !isfinite(max_abs))
        return 0;
    top = round_below(max_abs);
    tmp[n++] = top;
    prev = top;
    /* then the round numbers near a half, a quarter and a tenth of it, each below the last */
    static const double fractions[] = { 0.5, 0.25, 0.1 };
    for (k = 0; k < 3 && n < CR_FLOW_MAX_SAMPLES; k++) {
        double r = round_below(top * fractions[k]);
        if (r < prev * (1 - 1e-9)) {
            tmp[n++] = r;
            prev = r;
        }
    }
    for (k = 0; k < n; k++)
        out[k] = tmp[n - 1 - k];
    return n;
}

enum cr_status
cr_flowmap_classify(const struct cr_flowmap *f, const double *values, size_t n,
                    struct cr_choropleth_classes *out, struct cr_error *err)
{
    struct cr_choropleth c = { .values = values,
                               .breaks = f->breaks,
                               .break_count = f->breaks ? f->break_count : 0 };
    enum cr_status st;

    if (f->colour == CR_FLOW_SINGLE) {
        c.breaks = NULL;
        c.break_count = 0;
        c.classes = 1;
    } else if (f->colour == CR_FLOW_DIVERGING) {
        c.palette = CR_PALETTE_DIVERGING;
        c.method = CR_BREAKS_SYMMETRIC;
    } else if (!c.breaks || !c.break_count) {
        c.breaks = cr_flow_voc_breaks;
        c.break_count = 3;
    }
    if ((st = cr_choropleth_classify(&c, n, out, err)))
        return st;
    if (f->colour == CR_FLOW_CLASSES && out->break_count == 3)
        memcpy(out->fill, cr_flow_voc_colours, sizeof cr_flow_voc_colours);
    return CR_OK;
}

void
cr_flowmap_offset(const double *xy, size_t n, double d, double *out)
{
    for (size_t i = 0; i < n; i++) {
        double nx = 0, ny = 0, sx = 0, sy = 0;
        int segs = 0;
        /* the right-hand unit normals of the segments before and after point i */
        for (int side = 0; side < 2; side++) {
            size_t a = side ? i : i - 1, b = side ? i + 1 : i;
            if ((side == 0 && i == 0) || (side == 1 && i + 1 >= n))
                continue;
            double dx = xy[2 * b] - xy[2 * a], dy = xy[2 * b + 1] - xy[2 * a + 1];
            double len = hypot(dx, dy);
            if (len <= 0)
                continue;
            sx = -dy / len; /* page y points down: right of (dx, dy) is (-dy, dx) */
            sy = dx / len;
            nx += sx;
            ny += sy;
            segs++;
        }
        double len = hypot(nx, ny), scale = d;
        if (segs == 0 || len < 1e-9) {
            out[2 * i] = xy[2 * i];
            out[2 * i + 1] = xy[2 * i + 1];
            continue;
        }
        nx /= len;
        ny /= len;
        /* the mitre: d / cos(half the turn), limited so sharp turns stay near the line */
        double cosh = nx * sx + ny * sy;
        scale = cosh > 1.0 / 3 ? d / cosh : 3 * d;
        out[2 * i] = xy[2 * i] + nx * scale;
        out[2 * i + 1] = xy[2 * i + 1] + ny * scale;
    }
}

void
cr_flowmap_layer_fini(struct cr_flowmap_layer *l)
{
    if (!l)
        return;
    free(l->lonlat);
    free(l->first);
    free(l->n);
    free(l->value);
    free(l->colour_value);
    free(l->dir);
    memset(l, 0, sizeof *l);
}

/* The reading of one file: the layer, its fields, the transformation to WGS 84. */
struct reader {
    const struct cr_flowmap *f;
    struct cr_flowmap_layer *l;
    struct cr_vector v;
    PJ *to_wgs84;
    int width_field, colour_field, dir_field;
    size_t cap_lines, cap_points;
};

static enum cr_status
oom(struct reader *r, struct cr_error *err)
{
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->f->path);
}

static int
grow_lines(struct reader *r)
{
    struct cr_flowmap_layer *l = r->l;
    size_t cap = r->cap_lines ? 2 * r->cap_lines : 256;
    void *p;

    if (l->count < r->cap_lines)
        return 0;
#define GROW(field)                                                                                \
    if (!(p = realloc(l->field, cap * sizeof *l->field)))                                          \
        return -1;                                                                                 \
    l->field = p;
    GROW(first)
    GROW(n)
    GROW(value)
    GROW(colour_value)
    GROW(dir)
#undef GROW
    r->cap_lines = cap;
    return 0;
}

/* One LineString G as line number l->count with the feature's values. */
static enum cr_status
add_line(struct reader *r, OGRGeometryH g, double value, double colour, int8_t dir,
         struct cr_error *err)
{
    struct cr_flowmap_layer *l = r->l;
    int n = OGR_G_GetPointCount(g);
    size_t need;

    if (n < 2)
        return CR_OK;
    need = l->point_count + (size_t)n;
    if (need > r->cap_points) {
        size_t cap = r->cap_points ? 2 * r->cap_points : 4096;
        while (cap < need)
            cap *= 2;
        double *p = realloc(l->lonlat, 2 * cap * sizeof *p);
        if (!p)
            return oom(r, err);
        l->lonlat = p;
        r->cap_points = cap;
    }
    if (grow_lines(r))
        return oom(r, err);
    double *pt = l->lonlat + 2 * l->point_count;
    for (int i = 0; i < n; i++) {
        PJ_COORD c = proj_coord(OGR_G_GetX(g, i), OGR_G_GetY(g, i), 0, 0);
        if (r->to_wgs84)
            c = proj_trans(r->to_wgs84, PJ_FWD, c);
        pt[2 * i] = c.xy.x;
        pt[2 * i + 1] = c.xy.y;
    }
    l->first[l->count] = l->point_count;
    l->n[l->count] = (size_t)n;
    l->value[l->count] = value;
    l->colour_value[l->count] = colour;
    l->dir[l->count] = dir;
    l->count++;
    l->point_count = need;
    if (fabs(value) > l->max_abs)
        l->max_abs = fabs(value);
    return CR_OK;
}

static enum cr_status
each_feature(void *user, OGRFeatureH feat, size_t index, const char *where, struct cr_error *err)
{
    struct reader *r = user;
    OGRGeometryH g = OGR_F_GetGeometryRef(feat);
    double value, colour = NAN;
    int8_t dir = 1;
    enum cr_status st = CR_OK;

    (void)index;
    (void)where;
    if (!g || !cr_vector_field_present(feat, r->width_field)) {
        r->l->skipped++;
        return CR_OK;
    }
    value = OGR_F_GetFieldAsDouble(feat, r->width_field);
    if (!isfinite(value)) {
        r->l->skipped++;
        return CR_OK;
    }
    if (r->colour_field >= 0 && cr_vector_field_present(feat, r->colour_field))
        colour = OGR_F_GetFieldAsDouble(feat, r->colour_field);
    if (r->dir_field >= 0 && cr_vector_field_present(feat, r->dir_field)) {
        double d = OGR_F_GetFieldAsDouble(feat, r->dir_field);
        dir = d > 0 ? 1 : d < 0 ? -1 : 0;
    }
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbLineString)
        return add_line(r, g, value, colour, dir, err);
    if (t == wkbMultiLineString)
        for (int i = 0; i < OGR_G_GetGeometryCount(g) && !st; i++)
            st = add_line(r, OGR_G_GetGeometryRef(g, i), value, colour, dir, err);
    else
        r->l->skipped++; /* not a line: a flow map draws links */
    return st;
}

/* Field NAME of the layer (numeric), into *OUT; a missing one is an error when REQUIRED. */
static enum cr_status
numeric_field(struct reader *r, const char *name, const char *what, int required, int *out,
              struct cr_error *err)
{
    const char *names[] = { name, NULL };
    int i = cr_vector_find_field(r->v.defn, names);

    *out = -1;
    if (i < 0)
        return required ? cr_error_set(err, CR_ENOTFOUND, "%s: no field \"%s\" for %s", r->f->path,
                                       name, what)
                        : CR_OK;
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(r->v.defn, i));
    if (t != OFTInteger && t != OFTInteger64 && t != OFTReal)
        return cr_error_set(err, CR_EFORMAT, "%s: field \"%s\" (%s) is not numeric", r->f->path,
                            name, what);
    *out = i;
    return CR_OK;
}

/* The fields F asks for, into R. */
static enum cr_status
find_fields(struct reader *r, struct cr_error *err)
{
    const struct cr_flowmap *f = r->f;
    const char *wf = f->width_field ? f->width_field : CR_FLOW_DEFAULT_WIDTH_FIELD;
    const char *cf = f->colour_field;
    enum cr_status st;

    if (!cf && f->colour == CR_FLOW_CLASSES)
        cf = CR_FLOW_DEFAULT_COLOUR_FIELD;
    if (!cf && f->colour == CR_FLOW_DIVERGING)
        cf = wf;
    if ((st = numeric_field(r, wf, "the flow width", 1, &r->width_field, err)))
        return st;
    r->colour_field = -1;
    if (f->colour != CR_FLOW_SINGLE &&
        (st = numeric_field(r, cf, "the flow colour", 1, &r->colour_field, err)))
        return st;
    if ((st = numeric_field(r, f->dir_field ? f->dir_field : CR_FLOW_DEFAULT_DIR_FIELD,
                            "the direction", f->dir_field != NULL, &r->dir_field, err)))
        return st;
    r->l->has_dir = r->dir_field >= 0;
    snprintf(r->l->width_name, sizeof r->l->width_name, "%s", wf);
    snprintf(r->l->colour_name, sizeof r->l->colour_name, "%s", cf ? cf : "");
    return CR_OK;
}

enum cr_status
cr_flowmap_load(const struct cr_flowmap *f, struct cr_flowmap_layer *out, struct cr_error *err)
{
    struct reader r = { .f = f, .l = out };
    struct cr_ctx *ctx = NULL;
    struct cr_vector_options vo = {
        .what = "flow lines",
        .no_layer = "layer at all",
        .unreadable = "cannot read the flow layer",
        .layer = f->layer,
        .want = CR_VECTOR_LINES,
    };
    enum cr_status st;

    memset(out, 0, sizeof *out);
    if (!f->path)
        return cr_error_set(err, CR_EINVAL, "flow map: no file");
    if (!(ctx = cr_ctx_create(err)))
        return err && err->code ? err->code : CR_ENOMEM;
    if ((st = cr_vector_open(&r.v, f->path, &vo, err)) || (st = find_fields(&r, err)) ||
        (st = cr_vector_to_wgs84(&r.v, ctx, &r.to_wgs84, err)))
        goto done;
    st = cr_vector_each(&r.v, each_feature, &r, err);
    if (!st && out->count == 0)
        st = cr_error_set(err, CR_EEMPTY, "%s: no lines with a value in \"%s\"", f->path,
                          out->width_name);
done:
    proj_destroy(r.to_wgs84);
    cr_vector_close(&r.v);
    cr_ctx_destroy(ctx);
    if (st)
        cr_flowmap_layer_fini(out);
    return st;
}
