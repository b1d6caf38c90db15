/* Route writers: corridor's route JSON, GeoJSON and GPX (corridor/output.h, routing/output.h). */
#include "routing/output.h"

#include "core/cond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cond.h"
#include "core/geo.h"
#include "routing/measure.h"

/* ---- pieces --------------------------------------------------------------------------------- */

json_t *
cr_output_lonlat(int32_t lon_e7, int32_t lat_e7)
{
    json_t *p = json_array();
    json_array_append_new(p, json_real(cr_e7_to_deg(lon_e7)));
    json_array_append_new(p, json_real(cr_e7_to_deg(lat_e7)));
    return p;
}

json_t *
cr_output_coords(const int32_t *lon_e7, const int32_t *lat_e7, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, cr_output_lonlat(lon_e7[i], lat_e7[i]));
    return a;
}

json_t *
cr_output_string(const char *text)
{
    json_t *js = json_string(text);
    return js ? js : json_string("");
}

json_t *
cr_output_name(const struct cr_graph_view *v, uint32_t offset)
{
    return cr_output_string(cr_graph_string(v, offset));
}

json_t *
cr_output_part(const struct cr_engine *e, const struct cr_route_part *p)
{
    const struct cr_graph_view *v = e->view;
    const struct cr_measures m = { p->distance_m, p->duration_s, p->cost, p->co2_kg };
    json_t *o = json_object();

    json_object_set_new(o, "mode", json_string(cr_mode_name((enum cr_mode)p->mode)));
    cr_measures_json(o, &m, e->profile.currency);
    if (p->terminal != CR_INF) {
        const struct cr_terminal *t = &v->terminals[p->terminal];
        json_object_set_new(o, "terminal", cr_output_name(v, t->name));
        json_object_set_new(o, "terminal_location", cr_output_lonlat(t->lon_e7, t->lat_e7));
    }
    return o;
}

/* ---- corridor's route JSON and GeoJSON ------------------------------------------------------ */

/* Points FIRST..LAST of R as a GeoJSON LineString. */
static json_t *
line(const struct cr_route *r, uint32_t first, uint32_t last)
{
    json_t *g = json_object();
    uint32_t end = last < r->point_count ? last : r->point_count - 1;
    size_t n = r->point_count && first <= end ? end - first + 1 : 0;

    json_object_set_new(g, "type", json_string("LineString"));
    json_object_set_new(g, "coordinates",
                        n ? cr_output_coords(r->lon_e7 + first, r->lat_e7 + first, n)
                          : json_array());
    return g;
}

static json_t *
whole_line(const struct cr_route *r)
{
    return line(r, 0, r->point_count ? r->point_count - 1 : 0);
}

static void
set_measures(json_t *o, const struct cr_engine *e, double distance, double duration, double cost,
             double co2)
{
    const struct cr_measures v = { distance, duration, cost, co2 };
    cr_measures_json(o, &v, e->profile.currency);
}

/* A part as the route JSON's segments list it: cr_output_part, from_point, to_point. */
static json_t *
segment_json(const struct cr_engine *e, const struct cr_route_part *p)
{
    json_t *o = cr_output_part(e, p);
    json_object_set_new(o, "from_point", json_integer(p->first_point));
    json_object_set_new(o, "to_point", json_integer(p->last_point));
    return o;
}

static json_t *
waypoints_json(const struct cr_route *r)
{
    json_t *wps = json_array();

    for (uint32_t i = 0; i < r->place_count; i++) {
        const struct cr_place *p = &r->places[i];
        json_t *w = json_object();
        json_object_set_new(w, "location", cr_output_lonlat(p->lon_e7, p->lat_e7));
        json_object_set_new(w, "snapped", cr_output_lonlat(p->snap.lon_e7, p->snap.lat_e7));
        json_object_set_new(
            w, "snap_distance_m",
            json_real(cr_measure_round(CR_MEASURE_DISTANCE, p->snap.distance_m, NULL)));
        json_array_append_new(wps, w);
    }
    return wps;
}

static json_t *
legs_json(const struct cr_engine *e, const struct cr_route *r)
{
    json_t *legs = json_array();

    for (uint32_t i = 0; i < r->leg_count; i++) {
        const struct cr_route_leg *l = &r->legs[i];
        json_t *lj = json_object(), *lp = json_array();
        set_measures(lj, e, l->distance_m, l->duration_s, l->cost, l->co2_kg);
        for (uint32_t k = l->first_part; k < l->first_part + l->part_count; k++)
            json_array_append_new(lp, segment_json(e, &r->parts[k]));
        json_object_set_new(lj, "segments", lp);
        json_array_append_new(legs, lj);
    }
    return legs;
}

void
cr_output_times(json_t *o, const struct cr_route *r)
{
    char when[32];
    if (r->conditional != CR_ROUTE_COND_TIMED && !r->arrive_by)
        return;
    cr_cond_format_time(r->depart, when, sizeof when); /* naive local times of the region */
    json_object_set_new(o, "depart", json_string(when));
    cr_cond_format_time(r->depart + (int64_t)(r->duration_s + 0.5), when, sizeof when);
    json_object_set_new(o, "arrive", json_string(when));
    if (r->arrive_by) {
        cr_cond_format_time(r->arrive_by, when, sizeof when);
        json_object_set_new(o, "arrive_by", json_string(when));
    }
}

json_t *
cr_output_route_json(const struct cr_engine *e, const struct cr_route *r)
{
    json_t *o = json_object(), *parts = json_array();

    json_object_set_new(o, "status", json_string("ok"));
    json_object_set_new(o, "profile", json_string(e->profile.name));
    json_object_set_new(o, "metric", json_string(cr_metric_name(e->metric)));
    set_measures(o, e, r->distance_m, r->duration_s, r->cost, r->co2_kg);
    json_object_set_new(o, "currency", json_string(e->profile.currency));
    json_object_set_new(o, "weight", json_real(cr_metric_value(e->metric, r->weight)));
    json_object_set_new(o, "algorithm", json_string(cr_route_algorithm(r)));
    cr_output_times(o, r);
    json_object_set_new(o, "waypoints", waypoints_json(r));
    json_object_set_new(o, "geometry", whole_line(r));
    json_object_set_new(o, "legs", legs_json(e, r));
    for (uint32_t k = 0; k < r->part_count; k++)
        json_array_append_new(parts, segment_json(e, &r->parts[k]));
    json_object_set_new(o, "segments", parts);
    return o;
}

static json_t *
feature(json_t *props, json_t *geometry)
{
    json_t *f = json_object();
    json_object_set_new(f, "type", json_string("Feature"));
    json_object_set_new(f, "properties", props);
    json_object_set_new(f, "geometry", geometry);
    return f;
}

json_t *
cr_output_route_geojson(const struct cr_engine *e, const struct cr_route *r)
{
    json_t *fc = json_object(), *features = json_array(), *props = json_object();

    json_object_set_new(fc, "type", json_string("FeatureCollection"));
    json_object_set_new(props, "kind", json_string("route"));
    json_object_set_new(props, "profile", json_string(e->profile.name));
    json_object_set_new(props, "metric", json_string(cr_metric_name(e->metric)));
    set_measures(props, e, r->distance_m, r->duration_s, r->cost, r->co2_kg);
    json_array_append_new(features, feature(props, whole_line(r)));
    for (uint32_t k = 0; k < r->part_count; k++) {
        const struct cr_route_part *p = &r->parts[k];
        props = segment_json(e, p);
        json_object_set_new(props, "kind", json_string("segment"));
        json_array_append_new(features, feature(props, line(r, p->first_point, p->last_point)));
    }
    for (uint32_t i = 0; i < r->place_count; i++) {
        json_t *g = json_object();
        props = json_object();
        json_object_set_new(props, "kind", json_string("waypoint"));
        json_object_set_new(props, "index", json_integer(i));
        json_object_set_new(g, "type", json_string("Point"));
        json_object_set_new(g, "coordinates",
                            cr_output_lonlat(r->places[i].snap.lon_e7, r->places[i].snap.lat_e7));
        json_array_append_new(features, feature(props, g));
    }
    json_object_set_new(fc, "features", features);
    return fc;
}

/* ---- GPX ------------------------------------------------------------------------------------ */

void
cr_output_xml_text(FILE *f, const char *text)
{
    for (; *text; text++) {
        switch (*text) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&apos;", f);
            break;
        default:
            fputc(*text, f);
        }
    }
}

char *
cr_output_route_gpx(const struct cr_engine *e, const struct cr_route *r, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);

    if (!f)
        return NULL;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<gpx version=\"1.1\" creator=\"corridor\" "
               "xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
               "  <metadata><copyright author=\"OpenStreetMap contributors\">"
               "<license>https://opendatacommons.org/licenses/odbl/</license></copyright>"
               "</metadata>\n"
               "  <trk><name>");
    cr_output_xml_text(f, e->profile.name);
    fprintf(f, " route, %.1f km, %.0f min</name><trkseg>\n", r->distance_m / 1000.0,
            r->duration_s / 60.0);
    for (uint32_t i = 0; i < r->point_count; i++)
        fprintf(f, "    <trkpt lat=\"%.7f\" lon=\"%.7f\"/>\n", cr_e7_to_deg(r->lat_e7[i]),
                cr_e7_to_deg(r->lon_e7[i]));
    fprintf(f, "  </trkseg></trk>\n</gpx>\n");
    if (fclose(f)) {
        free(buf);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}

/* ---- text ----------------------------------------------------------------------------------- */

/* O dumped with FLAGS and a newline; O released. */
static char *
dump_line(json_t *o, size_t flags, size_t *len)
{
    char *text = o ? json_dumps(o, flags) : NULL, *t;
    size_t n;

    json_decref(o);
    if (!text)
        return NULL;
    n = strlen(text);
    if (!(t = realloc(text, n + 2))) {
        free(text);
        return NULL;
    }
    t[n++] = '\n';
    t[n] = '\0';
    if (len)
        *len = n;
    return t;
}

int
cr_route_format_parse(const char *name, enum cr_route_format *out)
{
    static const char *const names[] = { "json", "geojson", "gpx" };

    for (int i = 0; i < 3; i++)
        if (name && !strcmp(name, names[i])) {
            *out = (enum cr_route_format)i;
            return 0;
        }
    return -1;
}

char *
cr_output_route_text(const struct cr_engine *e, const struct cr_route *r, enum cr_route_format f,
                     size_t *len, struct cr_error *err)
{
    char *text;

    switch (f) {
    case CR_ROUTE_GPX:
        text = cr_output_route_gpx(e, r, len);
        break;
    case CR_ROUTE_GEOJSON:
        text = dump_line(cr_output_route_geojson(e, r), CR_OUTPUT_JSON_FLAGS, len);
        break;
    case CR_ROUTE_JSON:
        text = dump_line(cr_output_route_json(e, r), CR_OUTPUT_JSON_FLAGS, len);
        break;
    default:
        cr_error_set(err, CR_EINVAL, "route format %d: want json, geojson or gpx", (int)f);
        return NULL;
    }
    if (!text)
        cr_error_set(err, CR_ENOMEM, "route: out of memory");
    return text;
}

char *
cr_output_route_failure(const struct cr_error *route_err, size_t *len)
{
    json_t *o = json_object();
    const char *msg = route_err ? route_err->msg : "";

    json_object_set_new(o, "status",
                        json_string(strstr(msg, "no route") ? "unreachable" : "no_segment"));
    json_object_set_new(o, "message", json_string(msg));
    return dump_line(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER, len);
}
