/*
 * The alignment of a land take: every line of a layer read through spatial/vector, its points
 * transformed with PROJ (spatial/crs) from the layer's CRS (or the one given) into the zones'
 * working CRS, and built as GEOS lines in the zones' context.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ogr_api.h>

#include "planning/landtake.h"
#include "spatial/crs.h"
#include "spatial/vector.h"

struct line_list {
    GEOSGeometry **items;
    size_t count, capacity;
};

/* What reading the alignment's features carries. */
struct align_read {
    const struct cr_zones *z;
    const char *path;
    PJ *to_work;   /* NULL: the layer is in the working CRS already */
    double *xy;    /* interleaved scratch */
    size_t xy_cap; /* in points */
    size_t features;
    struct line_list lines;
    struct cr_landtake_alignment *out;
};

static void
line_list_free(GEOSContextHandle_t ctx, struct line_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        GEOSGeom_destroy_r(ctx, l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int
line_list_push(struct line_list *l, GEOSGeometry *g)
{
    if (l->count == l->capacity) {
        size_t cap = l->capacity ? l->capacity * 2 : 16;
        GEOSGeometry **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return -1;
        l->items = items;
        l->capacity = cap;
    }
    l->items[l->count++] = g;
    return 0;
}

/* A CRS's short label: "AUTH:CODE", else its name. caller frees: free() */
static char *
crs_label(const PJ *crs)
{
    const char *auth = proj_get_id_auth_name(crs, 0), *code = proj_get_id_code(crs, 0);
    const char *name = cr_crs_name(crs);
    char buf[256];
    if (auth && code)
        snprintf(buf, sizeof buf, "%s:%s", auth, code);
    else
        snprintf(buf, sizeof buf, "%s", name ? name : "unnamed CRS");
    return strdup(buf);
}

/* The layer's CRS (or the one given) and the transformation into the zones' working CRS. */
static enum cr_status
align_transform(struct align_read *r, const struct cr_vector *v,
                const struct cr_landtake_alignment_options *o, struct cr_error *err)
{
    struct cr_ctx *c = r->z->ctx;
    PJ *src = NULL, *work = NULL;
    enum cr_status st = CR_OK;
    if (o->s_srs) {
        if (!(src = cr_crs_parse(c, o->s_srs, "--alignment-srs", r->path, err)))
            return err ? err->code : CR_EINVAL;
    } else if ((st = cr_vector_crs(v, c, "give --alignment-srs", &src, NULL, err))) {
        return st;
    } else if (!src) {
        return cr_error_set(err, CR_EINVAL,
                            "%s: layer %s has no CRS; say which it is (--alignment-srs EPSG:n)",
                            r->path, OGR_L_GetName(v->layer));
    }
    if (!(r->out->crs = crs_label(src))) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
        goto done;
    }
    if (!(work = cr_crs_parse(c, r->z->work_crs ? r->z->work_crs : "", "the zones' working CRS",
                              r->path, err))) {
        st = err ? err->code : CR_EINTERNAL;
        goto done;
    }
    if (!cr_crs_same(src, work) && !(r->to_work = cr_crs_transform(c, src, work, r->path, err)))
        st = err ? err->code : CR_EFORMAT;
done:
    proj_destroy(work);
    proj_destroy(src);
    return st;
}

/* One OGR LineString (2D, linear) as a GEOS line in the working CRS; NULL when it has fewer than
 * 2 points; *bad when a point does not transform. */
static GEOSGeometry *
geos_line(struct align_read *r, OGRGeometryH g, bool *bad, bool *oom)
{
    int n = OGR_G_GetPointCount(g);
    if (n < 2)
        return NULL;
    if ((size_t)n > r->xy_cap) {
        double *xy = realloc(r->xy, 2 * (size_t)n * sizeof *xy);
        if (!xy) {
            *oom = true;
            return NULL;
        }
        r->xy = xy;
        r->xy_cap = (size_t)n;
    }
    OGR_G_GetPoints(g, r->xy, 2 * sizeof(double), r->xy + 1, 2 * sizeof(double), NULL, 0);
    if (r->to_work && cr_crs_xy(r->to_work, PJ_FWD, r->xy, (size_t)n)) {
        *bad = true;
        return NULL;
    }
    GEOSContextHandle_t ctx = r->z->geos;
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(ctx, r->xy, (unsigned)n, 0, 0);
    GEOSGeometry *line = seq ? GEOSGeom_createLineString_r(ctx, seq) : NULL; /* takes seq */
    *oom = !line;
    return line;
}

/* Adds every LineString in G (linear, 2D) to the list. Returns the number added, -1 when out of
 * memory, -2 when a point does not transform. */
static long
collect_lines(struct align_read *r, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    long added = 0;
    if (t == wkbMultiLineString || t == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            long n = collect_lines(r, OGR_G_GetGeometryRef(g, i));
            if (n < 0)
                return n;
            added += n;
        }
        return added;
    }
    if (t != wkbLineString || OGR_G_IsEmpty(g))
        return 0;
    bool bad = false, oom = false;
    GEOSGeometry *line = geos_line(r, g, &bad, &oom);
    if (bad || oom)
        return bad ? -2 : -1;
    if (!line)
        return 0;
    if (line_list_push(&r->lines, line)) {
        GEOSGeom_destroy_r(r->z->geos, line);
        return -1;
    }
    return 1;
}

static enum cr_status
read_feature(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    struct align_read *r = user;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    (void)index;
    (void)where;
    r->features++;
    if (!g || OGR_G_IsEmpty(g)) {
        r->out->skipped++;
        return CR_OK;
    }
    OGRGeometryH copy = OGR_G_GetLinearGeometry(g, 0, NULL); /* curves to lines; a copy */
    if (!copy)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    OGR_G_FlattenTo2D(copy);
    long added = collect_lines(r, copy);
    OGR_G_DestroyGeometry(copy);
    if (added == -2)
        return cr_error_set(err, CR_EFORMAT, "%s: feature %lld: cannot transform it to %s", r->path,
                            (long long)OGR_F_GetFID(f), r->z->work_crs);
    if (added < 0)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    if (added > 0)
        r->out->line_count++;
    else
        r->out->skipped++;
    return CR_OK;
}

void
cr_landtake_alignment_fini(const struct cr_zones *z, struct cr_landtake_alignment *a)
{
    if (!a)
        return;
    if (a->lines && z)
        GEOSGeom_destroy_r(z->geos, a->lines);
    free(a->layer_name);
    free(a->crs);
    memset(a, 0, sizeof *a);
}

/* The lines read as one MultiLineString and its length. */
static enum cr_status
make_lines(struct align_read *r, const struct cr_vector *v, struct cr_error *err)
{
    GEOSContextHandle_t ctx = r->z->geos;
    struct cr_landtake_alignment *out = r->out;
    if (r->lines.count == 0)
        return cr_error_set(err, CR_EEMPTY, "%s: layer %s has no lines (%zu features, none a line)",
                            r->path, OGR_L_GetName(v->layer), r->features);
    out->lines = GEOSGeom_createCollection_r(ctx, GEOS_MULTILINESTRING, r->lines.items,
                                             (unsigned)r->lines.count);
    if (!out->lines)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    free(r->lines.items); /* the collection owns the lines now */
    memset(&r->lines, 0, sizeof r->lines);
    if (!GEOSLength_r(ctx, out->lines, &out->length_m))
        out->length_m = NAN;
    return CR_OK;
}

enum cr_status
cr_landtake_read_alignment(const struct cr_zones *z, const struct cr_landtake_alignment_options *o,
                           struct cr_landtake_alignment *out, struct cr_error *err)
{
    struct cr_vector_options vo = {
        .what = "alignment",
        .layer = o->layer,
        .want = CR_VECTOR_LINES,
    };
    struct align_read r = { .z = z, .path = o->path, .out = out };
    struct cr_vector v = { 0 };
    enum cr_status st;

    memset(out, 0, sizeof *out);
    if ((st = cr_vector_open(&v, o->path, &vo, err)))
        return st;
    if (!(out->layer_name = strdup(OGR_L_GetName(v.layer)))) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
        goto done;
    }
    if ((st = align_transform(&r, &v, o, err)) || (st = cr_vector_each(&v, read_feature, &r, err)))
        goto done;
    st = make_lines(&r, &v, err);
done:
    line_list_free(z->geos, &r.lines);
    free(r.xy);
    proj_destroy(r.to_work);
    cr_vector_close(&v);
    if (st)
        cr_landtake_alignment_fini(z, out);
    return st;
}
