/* The summary of a zones set (corridor zones info prints it): per-class counts, areas and value
 * sums, totals, the bounding box in WGS 84. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial/zones.h"

static int
by_area_desc(const void *a, const void *b)
{
    const struct cr_zones_summary_class *x = a, *y = b;
    if (x->area_m2 != y->area_m2)
        return x->area_m2 < y->area_m2 ? 1 : -1;
    return strcmp(x->cls, y->cls);
}

/* The corners of the working bbox in WGS 84, their envelope; NAN when none transforms. */
static void
wgs84_bbox(const struct cr_zones *z, double out[4])
{
    double xs[4] = { z->bbox[0], z->bbox[2], z->bbox[0], z->bbox[2] };
    double ys[4] = { z->bbox[1], z->bbox[1], z->bbox[3], z->bbox[3] };
    out[0] = out[1] = INFINITY;
    out[2] = out[3] = -INFINITY;
    for (int i = 0; i < 4; i++) {
        double lon, lat;
        if (cr_zones_to_wgs84(z, xs[i], ys[i], &lon, &lat) == 0) {
            out[0] = fmin(out[0], lon);
            out[1] = fmin(out[1], lat);
            out[2] = fmax(out[2], lon);
            out[3] = fmax(out[3], lat);
        }
    }
    if (!isfinite(out[0]))
        out[0] = out[1] = out[2] = out[3] = NAN;
}

/* Per class sums of the value fields (classes still in name order, as z->classes), the totals
 * and the zones missing each. */
static void
value_sums(const struct cr_zones *z, struct cr_zones_summary *s)
{
    for (size_t i = 0; i < z->count; i++) {
        const struct cr_zone *zone = &z->zones[i];
        size_t c = 0;
        while (c < z->class_count && z->classes[c].cls != zone->cls)
            c++;
        for (size_t v = 0; v < z->value_count; v++) {
            double x = zone->values[v];
            if (isnan(x)) {
                s->value_missing[v]++;
                continue;
            }
            s->value_totals[v] += x;
            if (c < z->class_count)
                s->class_values[c * z->value_count + v] += x;
        }
    }
}

enum cr_status
cr_zones_summarize(const struct cr_zones *z, enum cr_zones_sort sort, struct cr_zones_summary *s,
                   struct cr_error *err)
{
    size_t nc = z->class_count, nv = z->value_count;
    memset(s, 0, sizeof *s);
    s->classes = calloc(nc + 1, sizeof *s->classes);
    s->class_values = calloc(nc * nv + 1, sizeof *s->class_values);
    s->value_totals = calloc(nv + 1, sizeof *s->value_totals);
    s->value_missing = calloc(nv + 1, sizeof *s->value_missing);
    if (!s->classes || !s->class_values || !s->value_totals || !s->value_missing) {
        cr_zones_summary_fini(s);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", z->source_path);
    }
    s->path = z->source_path;
    s->layer = z->layer_name ? z->layer_name : "";
    s->class_field = z->class_field;
    s->source_crs = z->source_crs;
    s->work_crs = z->work_crs;
    s->work_crs_name = z->work_crs_name;
    s->features_read = z->features_read;
    s->zones = z->count;
    s->repaired = z->repaired;
    s->skipped_empty = z->skipped_empty;
    s->skipped_non_polygon = z->skipped_non_polygon;
    s->skipped_no_area = z->skipped_degenerate;
    s->values_not_numeric = z->values_not_numeric;
    memcpy(s->bbox, z->bbox, sizeof s->bbox);
    wgs84_bbox(z, s->bbox_wgs84);
    s->value_names = (const char *const *)z->value_names;
    s->value_count = nv;
    value_sums(z, s);
    for (size_t c = 0; c < nc; c++) {
        s->total_area_m2 += z->classes[c].area_m2; /* in name order, always */
        s->classes[c] = (struct cr_zones_summary_class){ .cls = z->classes[c].cls,
                                                         .count = z->classes[c].count,
                                                         .area_m2 = z->classes[c].area_m2,
                                                         .values = s->class_values + c * nv };
    }
    s->class_count = nc;
    s->sort = sort;
    if (sort == CR_ZONES_BY_AREA)
        qsort(s->classes, nc, sizeof *s->classes, by_area_desc);
    return CR_OK;
}

void
cr_zones_summary_fini(struct cr_zones_summary *s)
{
    if (!s)
        return;
    free(s->classes);
    free(s->class_values);
    free(s->value_totals);
    free(s->value_missing);
    memset(s, 0, sizeof *s);
}
