/* A map matching's result as JSON, GeoPackage or GeoJSON (planning/match_write.h). */
#include "planning/match_write.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "core/graph.h"
#include "routing/measure.h"
#include "routing/output.h"
#include "spatial/vector.h"
#include "spatial/vector_write.h"

static double
round6(double x)
{
    return round(x * 1e6) / 1e6;
}

static const char *
point_name(const struct cr_engine *e, const struct cr_match_point *p)
{
    const struct cr_graph_view *v = e->view;
    return cr_graph_string(v, v->ways[v->segment_way[p->snap.segment]].name);
}

static json_t *
point_json(const struct cr_engine *e, const struct cr_match *m, const struct cr_match_input *in,
           size_t i)
{
    const struct cr_match_point *p = &m->points[i];
    json_t *o = json_object();

    json_object_set_new(o, "point", json_integer((json_int_t)i));
    json_object_set_new(o, "location_given", cr_output_lonlat(in->lon_e7[i], in->lat_e7[i]));
    if (in->time_s)
        json_object_set_new(o, "time", json_real(in->time_s[i]));
    json_object_set_new(o, "matched", json_boolean(p->matching >= 0));
    if (p->matching < 0)
        return o;
    json_object_set_new(o, "matching", json_integer(p->matching));
    json_object_set_new(o, "waypoint", json_integer(p->waypoint));
    json_object_set_new(o, "location", cr_output_lonlat(p->snap.lon_e7, p->snap.lat_e7));
    json_object_set_new(o, "distance_m",
                        json_real(cr_measure_round(CR_MEASURE_DISTANCE, p->snap.distance_m, NULL)));
    json_object_set_new(o, "name", cr_output_string(point_name(e, p)));
    json_object_set_new(o, "alternatives", json_integer(p->alternatives));
    return o;
}

char *
cr_match_json_text(const struct cr_engine *e, const struct cr_match *m,
                   const struct cr_match_input *in, size_t *len)
{
    json_t *o = json_object(), *ms = json_array(), *ps = json_array();
    char *text;

    json_object_set_new(o, "profile", json_string(e->profile.name));
    json_object_set_new(o, "metric", json_string(cr_metric_name(e->metric)));
    for (size_t k = 0; k < m->matching_count; k++) {
        const struct cr_matching *mt = &m->matchings[k];
        json_t *j = json_object();
        json_object_set_new(j, "confidence", json_real(round6(mt->confidence)));
        json_object_set_new(j, "first_point", json_integer(mt->first));
        json_object_set_new(j, "last_point", json_integer(mt->last));
        json_object_set_new(j, "route", cr_output_route_json(e, &mt->route));
        json_array_append_new(ms, j);
    }
    json_object_set_new(o, "matchings", ms);
    for (size_t i = 0; i < m->point_count; i++)
        json_array_append_new(ps, point_json(e, m, in, i));
    json_object_set_new(o, "points", ps);
    text = json_dumps(o, CR_OUTPUT_JSON_FLAGS);
    json_decref(o);
    if (text) {
        size_t n = strlen(text);
        char *t = realloc(text, n + 2);
        if (!t) {
            free(text);
            return NULL;
        }
        t[n] = '\n';
        t[n + 1] = '\0';
        text = t;
        *len = n + 1;
    }
    return text;
}

/* ---- GDAL ----------------------------------------------------------------------------------- */

static const char *const line_fields[] = { "kind",       "matching",   "confidence", "first_point",
                                           "last_point", "distance_m", "duration_s", "cost",
                                           "currency",   "co2_kg",     NULL };
static const OGRFieldType line_types[] = { OFTString, OFTInteger, OFTReal, OFTInteger, OFTInteger,
                                           OFTReal,   OFTReal,    OFTReal, OFTString,  OFTReal };
static const char *const point_fields[] = { "kind",      "point",      "matched", "matching",
                                            "waypoint",  "distance_m", "time",    "lon_given",
                                            "lat_given", "name",       NULL };
static const OGRFieldType point_types[] = { OFTString,  OFTInteger, OFTInteger, OFTInteger,
                                            OFTInteger, OFTReal,    OFTReal,    OFTReal,
                                            OFTReal,    OFTString };
/* GeoJSON: one layer with every field */
static const char *const all_fields[] = { "kind",       "matching",   "confidence", "first_point",
                                          "last_point", "distance_m", "duration_s", "cost",
                                          "currency",   "co2_kg",     "point",      "matched",
                                          "waypoint",   "time",       "lon_given",  "lat_given",
                                          "name",       NULL };
static const OGRFieldType all_types[] = { OFTString,  OFTInteger, OFTReal,    OFTInteger,
                                          OFTInteger, OFTReal,    OFTReal,    OFTReal,
                                          OFTString,  OFTReal,    OFTInteger, OFTInteger,
                                          OFTInteger, OFTReal,    OFTReal,    OFTReal,
                                          OFTString };

static void
set_real(OGRFeatureH f, const char *name, double v)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i >= 0)
        OGR_F_SetFieldDouble(f, i, v);
}

static void
set_int(OGRFeatureH f, const char *name, long long v)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i >= 0)
        OGR_F_SetFieldInteger64(f, i, v);
}

static void
set_text(OGRFeatureH f, const char *name, const char *v)
{
    int i = OGR_F_GetFieldIndex(f, name);
    if (i >= 0)
        OGR_F_SetFieldString(f, i, v);
}

static int
add_line(const struct cr_engine *e, const struct cr_matching *mt, size_t k, OGRLayerH l)
{
    const struct cr_route *r = &mt->route;
    const char *cur = e->profile.currency;
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);

    if (f && g) {
        for (uint32_t i = 0; i < r->point_count; i++)
            OGR_G_AddPoint_2D(g, cr_e7_to_deg(r->lon_e7[i]), cr_e7_to_deg(r->lat_e7[i]));
        set_text(f, "kind", "matching");
        set_int(f, "matching", (long long)k);
        set_real(f, "confidence", round6(mt->confidence));
        set_int(f, "first_point", mt->first);
        set_int(f, "last_point", mt->last);
        set_real(f, "distance_m", cr_measure_round(CR_MEASURE_DISTANCE, r->distance_m, cur));
        set_real(f, "duration_s", cr_measure_round(CR_MEASURE_DURATION, r->duration_s, cur));
        set_real(f, "cost", cr_measure_round(CR_MEASURE_COST, r->cost, cur));
        set_text(f, "currency", cur);
        set_real(f, "co2_kg", cr_measure_round(CR_MEASURE_CO2, r->co2_kg, cur));
    }
    return cr_vector_writer_add(l, f, g);
}

static int
add_point(const struct cr_engine *e, const struct cr_match *m, const struct cr_match_input *in,
          size_t i, OGRLayerH l)
{
    const struct cr_match_point *p = &m->points[i];
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    int matched = p->matching >= 0;

    if (f && g) {
        OGR_G_SetPoint_2D(g, 0, cr_e7_to_deg(matched ? p->snap.lon_e7 : in->lon_e7[i]),
                          cr_e7_to_deg(matched ? p->snap.lat_e7 : in->lat_e7[i]));
        set_text(f, "kind", "point");
        set_int(f, "point", (long long)i);
        set_int(f, "matched", matched);
        set_real(f, "lon_given", cr_e7_to_deg(in->lon_e7[i]));
        set_real(f, "lat_given", cr_e7_to_deg(in->lat_e7[i]));
        if (in->time_s)
            set_real(f, "time", in->time_s[i]);
        if (matched) {
            set_int(f, "matching", p->matching);
            set_int(f, "waypoint", p->waypoint);
            set_real(f, "distance_m",
                     cr_measure_round(CR_MEASURE_DISTANCE, p->snap.distance_m, NULL));
            set_text(f, "name", point_name(e, p));
        }
    }
    return cr_vector_writer_add(l, f, g);
}

static enum cr_status
add_all(const char *path, const struct cr_engine *e, const struct cr_match *m,
        const struct cr_match_input *in, GDALDatasetH ds, OGRLayerH lines, OGRLayerH points,
        struct cr_error *err)
{
    enum cr_status st = CR_OK;
    int tx; /* GeoJSON has no transactions */
    cr_vector_quiet_begin();
    tx = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    for (size_t k = 0; k < m->matching_count && !st; k++)
        if (add_line(e, &m->matchings[k], k, lines))
            st = cr_error_set(err, CR_EIO, "%s: cannot write matching %zu (%s)", path, k,
                              cr_vector_message());
    for (size_t i = 0; i < m->point_count && !st; i++)
        if (add_point(e, m, in, i, points))
            st = cr_error_set(err, CR_EIO, "%s: cannot write point %zu (%s)", path, i,
                              cr_vector_message());
    if (!st && tx && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
        st = cr_error_set(err, CR_EIO, "%s: %s", path, cr_vector_message());
    cr_vector_quiet_end();
    return st;
}

enum cr_status
cr_match_write_vector(const char *path, const char *driver, const struct cr_engine *e,
                      const struct cr_match *m, const struct cr_match_input *in,
                      struct cr_error *err)
{
    struct cr_vector_writer w;
    OGRLayerH lines, points;
    enum cr_status st;
    int one = strcmp(driver, "GPKG") != 0;

    if ((st = cr_vector_writer_open(&w, path, driver, "EPSG:4326", err)))
        return st;
    if (one) {
        lines = points =
            cr_vector_writer_layer(&w, "match", wkbUnknown, all_fields, all_types, NULL, err);
    } else {
        lines = cr_vector_writer_layer(&w, "matchings", wkbLineString, line_fields, line_types,
                                       NULL, err);
        points = lines ? cr_vector_writer_layer(&w, "points", wkbPoint, point_fields, point_types,
                                                NULL, err)
                       : NULL;
    }
    if (!lines || !points || (st = add_all(path, e, m, in, w.ds, lines, points, err))) {
        cr_vector_writer_abort(&w);
        return st ? st : err ? err->code : CR_EIO;
    }
    return cr_vector_writer_commit(&w, err);
}
