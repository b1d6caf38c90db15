/* The zones type: making an empty set, finishing it (classes, STRtree), queries and summary. */
#include "spatial/zones.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/crs.h"

struct cr_zones *
cr_zones_create(const char *path, const char *const *value_fields, struct cr_error *err)
{
    struct cr_zones *z = calloc(1, sizeof *z);
    if (!z) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
        return NULL;
    }
    if (!(z->ctx = cr_ctx_create(err)))
        goto fail;
    z->geos = cr_ctx_geos(z->ctx);
    if (!(z->source_path = strdup(path)) || cr_strpool_init(&z->class_pool))
        goto oom;
    z->bbox[0] = z->bbox[1] = INFINITY;
    z->bbox[2] = z->bbox[3] = -INFINITY;
    size_t n = 0;
    while (value_fields && value_fields[n])
        n++;
    if (n) {
        if (!(z->value_names = calloc(n, sizeof *z->value_names)))
            goto oom;
        for (size_t i = 0; i < n; i++)
            if (!(z->value_names[z->value_count++] = strdup(value_fields[i])))
                goto oom;
    }
    return z;
oom:
    cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
fail:
    cr_zones_destroy(z);
    return NULL;
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
    cr_strpool_fini(&z->class_pool);
    free(z->value_block);
    proj_destroy(z->wgs84_to_work);
    cr_ctx_destroy(z->ctx);
    free(z);
}

enum cr_status
cr_zones_set_work_crs(struct cr_zones *z, PJ *work, const char *path, struct cr_error *err)
{
    enum cr_status st = CR_OK;
    const char *name = cr_crs_name(work);
    z->work_crs = cr_crs_text(z->ctx, work);
    z->work_crs_name = strdup(name ? name : "a CRS without a name (PROJ string or WKT)");
    if (!z->work_crs || !z->work_crs_name) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory (or no PROJ database)", path);
        goto done;
    }
    if (!(z->wgs84_to_work = cr_crs_from_wgs84(z->ctx, work, path, err)))
        st = err ? err->code : CR_EINVAL;
done:
    proj_destroy(work);
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

enum cr_status
cr_zones_finish(struct cr_zones *z, const char *path, struct cr_error *err)
{
    GEOSContextHandle_t g = z->geos;
    const struct cr_strpool *pool = &z->class_pool;
    bool unclassed = false; /* a zone without a class value: "" is a class then */
    for (size_t i = 0; i < z->count; i++) {
        z->zones[i].cls = (char *)cr_strpool_str(pool, z->zones[i].cls_off);
        unclassed |= z->zones[i].cls_off == 0;
        if (z->value_count)
            z->zones[i].values = z->value_block + i * z->value_count;
    }
    z->classes = calloc(pool->count + 1, sizeof *z->classes);
    if (!z->classes)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
    for (uint32_t off = unclassed ? 0 : 1; off < pool->len; off = cr_strpool_next(pool, off))
        z->classes[z->class_count++].cls = cr_strpool_str(pool, off);
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
    cr_ctx_reset(z->ctx);
    z->index = GEOSSTRtree_create_r(g, 10);
    if (!z->index)
        return cr_ctx_geos_error(z->ctx, err, CR_ENOMEM, "%s: cannot make a GEOS STRtree", path);
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

/* ---- queries ------------------------------------------------------------------------------- */

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
    if (!z || !z->wgs84_to_work || cr_crs_point(z->wgs84_to_work, PJ_FWD, &lon, &lat))
        return -1;
    *x = lon;
    *y = lat;
    return 0;
}

int
cr_zones_to_wgs84(const struct cr_zones *z, double x, double y, double *lon, double *lat)
{
    if (!z || !z->wgs84_to_work || cr_crs_point(z->wgs84_to_work, PJ_INV, &x, &y))
        return -1;
    *lon = x;
    *lat = y;
    return 0;
}

size_t
cr_zones_count(const struct cr_zones *z)
{
    return z ? z->count : 0;
}

const struct cr_zone_class *
cr_zones_classes(const struct cr_zones *z, size_t *count)
{
    *count = z ? z->class_count : 0;
    return z ? z->classes : NULL;
}

int
cr_zones_zone(const struct cr_zones *z, size_t i, struct cr_zone_info *out)
{
    if (!z || i >= z->count)
        return -1;
    const struct cr_zone *zone = &z->zones[i];
    *out = (struct cr_zone_info){ .fid = zone->fid,
                                  .cls = zone->cls,
                                  .name = zone->name,
                                  .area_m2 = zone->area_m2,
                                  .repaired = zone->repaired,
                                  .values = zone->values };
    return 0;
}
