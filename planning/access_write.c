/* The accessibility report as CSV and as a GeoPackage (planning/access.h). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "planning/access.h"
#include "spatial/vector.h"
#include "spatial/vector_write.h"

#define MAX_COLUMNS (4 + 3 * (CR_ACCESS_MAX_THRESHOLDS + 1) + 2)

/* The report's columns: fixed ones, then one per measure (times three with AFTER). */
struct columns {
    char names[MAX_COLUMNS][48];
    size_t count;
    size_t measures; /* thresholds, + 1 with a decay */
};

static const char *
decay_name(const struct cr_access_decay *d)
{
    return d->kind == CR_DECAY_EXP ? "gravity_exp" : "gravity_power";
}

static void
make_columns(const struct cr_access_report *r, struct columns *c)
{
    static const char *const fixed[] = { "zone", "fid", "status", "opportunities_of",
                                         "opportunities" };
    static const char *const parts[] = { "_before", "_after", "_change" };
    const struct cr_access_options *o = r->options;
    size_t per = r->after ? 3 : 1;

    c->count = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        snprintf(c->names[c->count++], sizeof c->names[0], "%s", fixed[i]);
        if (i == 2 && r->after)
            snprintf(c->names[c->count++], sizeof c->names[0], "status_after");
    }
    c->measures = o->threshold_count + (o->decay.kind != CR_DECAY_NONE);
    for (size_t m = 0; m < c->measures; m++) {
        char base[40];
        if (m < o->threshold_count) {
            char t[24];
            cr_access_threshold_name(o->minutes[m], t, sizeof t);
            snprintf(base, sizeof base, "within_%s", t);
        } else
            snprintf(base, sizeof base, "%s", decay_name(&o->decay));
        for (size_t p = 0; p < per; p++)
            snprintf(c->names[c->count++], sizeof c->names[0], "%s%s", base,
                     r->after ? parts[p] : "");
    }
}

/* Measure M of zone I in A: a threshold's sum, or the gravity. */
static double
measure(const struct cr_access_result *a, size_t m, size_t i)
{
    return m < a->thresholds ? a->within[i * a->thresholds + m] : a->gravity[i];
}

/* The values of zone I's measures in column order into V; returns how many. */
static size_t
measure_values(const struct cr_access_report *r, const struct columns *c, size_t i, double *v)
{
    size_t n = 0;
    for (size_t m = 0; m < c->measures; m++) {
        double b = measure(r->before, m, i);
        v[n++] = b;
        if (r->after) {
            double a = measure(r->after, m, i);
            v[n++] = a;
            v[n++] = a - b;
        }
    }
    return n;
}

/* Zone I's id: its name when it has one, else its feature id (as corridor skim names it). */
static void
zone_id(const struct cr_zone *z, char *buf, size_t size)
{
    if (z->name && z->name[0])
        snprintf(buf, size, "%s", z->name);
    else
        snprintf(buf, size, "%" PRId64, z->fid);
}

static const char *
status_name(const struct cr_access_result *a, size_t i)
{
    return a->placed[i] ? "ok" : "no_segment";
}

char *
cr_access_csv(const struct cr_access_report *r, size_t *len)
{
    struct columns c;
    char *text = NULL, id[512];
    double v[MAX_COLUMNS];
    FILE *f = open_memstream(&text, len);

    if (!f)
        return NULL;
    make_columns(r, &c);
    for (size_t k = 0; k < c.count; k++)
        fprintf(f, "%s%s", k ? "," : "", c.names[k]);
    fputc('\n', f);
    for (size_t i = 0; i < r->before->count; i++) {
        zone_id(&r->zones->zones[i], id, sizeof id);
        cr_csv_field(f, id);
        fprintf(f, ",%" PRId64 ",%s", r->zones->zones[i].fid, status_name(r->before, i));
        if (r->after)
            fprintf(f, ",%s", status_name(r->after, i));
        fputc(',', f);
        cr_csv_field(f, r->source->label);
        fprintf(f, ",%.10g", r->before->opportunities[i]);
        size_t n = measure_values(r, &c, i, v);
        for (size_t k = 0; k < n; k++)
            fprintf(f, ",%.10g", v[k]);
        fputc('\n', f);
    }
    if (fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

/* Zone I as a feature of L with the report's fields. */
static int
add_zone(const struct cr_access_report *r, const struct columns *c, OGRLayerH l, size_t i)
{
    const struct cr_zone *zone = &r->zones->zones[i];
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGRGeometryH g = zone->geom ? cr_vector_multipolygon(r->zones->geos, zone->geom) : NULL;
    double v[MAX_COLUMNS];
    char id[512];
    size_t k = 0, n;

    if (f && g) {
        zone_id(zone, id, sizeof id);
        OGR_F_SetFieldString(f, (int)k++, id);
        OGR_F_SetFieldInteger64(f, (int)k++, zone->fid);
        OGR_F_SetFieldString(f, (int)k++, status_name(r->before, i));
        if (r->after)
            OGR_F_SetFieldString(f, (int)k++, status_name(r->after, i));
        OGR_F_SetFieldString(f, (int)k++, r->source->label);
        OGR_F_SetFieldDouble(f, (int)k++, r->before->opportunities[i]);
        n = measure_values(r, c, i, v);
        for (size_t m = 0; m < n; m++)
            OGR_F_SetFieldDouble(f, (int)k++, v[m]);
    }
    return cr_vector_writer_add(l, f, g); /* frees both, and fails when either is NULL */
}

/* Every zone in one transaction. */
static enum cr_status
write_zones(const struct cr_access_report *r, const struct columns *c, const char *path,
            GDALDatasetH ds, OGRLayerH l, struct cr_error *err)
{
    enum cr_status st = CR_OK;
    cr_vector_quiet_begin();
    GDALDatasetStartTransaction(ds, FALSE);
    for (size_t i = 0; i < r->before->count && !st; i++)
        if (add_zone(r, c, l, i))
            st = cr_error_set(err, CR_EIO, "%s: cannot write zone %lld (%s)", path,
                              (long long)r->zones->zones[i].fid, cr_vector_message());
    if (!st && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
        st = cr_error_set(err, CR_EIO, "%s: %s", path, cr_vector_message());
    cr_vector_quiet_end();
    return st;
}

enum cr_status
cr_access_write_gpkg(const struct cr_access_report *r, const char *path, struct cr_error *err)
{
    static const char *const options[] = { "FID=feature", NULL };
    const char *fields[MAX_COLUMNS + 1];
    OGRFieldType types[MAX_COLUMNS];
    struct cr_vector_writer w;
    struct columns c;
    OGRLayerH l;
    enum cr_status st;

    if (!r->zones->work_crs)
        return cr_error_set(err, CR_EINTERNAL, "%s: the zones have no working CRS", path);
    make_columns(r, &c);
    for (size_t k = 0; k < c.count; k++) {
        fields[k] = c.names[k];
        types[k] = k == 1 ? OFTInteger64 : k < (size_t)(r->after ? 5 : 4) ? OFTString : OFTReal;
    }
    fields[c.count] = NULL;
    if ((st = cr_vector_writer_open(&w, path, "GPKG", r->zones->work_crs, err)))
        return st;
    if (!(l = cr_vector_writer_layer(&w, "access", wkbMultiPolygon, fields, types, options, err)) ||
        (st = write_zones(r, &c, path, w.ds, l, err))) {
        cr_vector_writer_abort(&w);
        return st ? st : err ? err->code : CR_EIO;
    }
    return cr_vector_writer_commit(&w, err);
}
