/* OSRM v1's route and waypoint JSON (server/osrm_json.h), moved from server.c. */
#include "server/osrm_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "routing/measure.h"
#include "routing/output.h"
#include "server/osrm_extra.h"
#include "server/osrm_steps.h"

/* X rounded to 1/SCALE (1e6: six decimals), half away from zero as routing/measure.h rounds. */
static double
round_to(double x, double scale)
{
    return round(x * scale) / scale;
}

/* OSRM's waypoint object for a snapped point. */
json_t *
cr_osrm_json_waypoint(const struct cr_graph_view *v, const struct cr_snap *snap)
{
    json_t *w = json_object();

    json_object_set_new(w, "hint", json_string(""));
    json_object_set_new(w, "distance", json_real(round_to(snap->distance_m, 1e6)));
    json_object_set_new(w, "name", cr_output_name(v, v->ways[v->segment_way[snap->segment]].name));
    json_object_set_new(w, "location", cr_output_lonlat(snap->lon_e7, snap->lat_e7));
    return w;
}

json_t *
cr_osrm_json_geometry(const struct cr_osrm_request *req, const int32_t *lon, const int32_t *lat,
                      size_t n)
{
    json_t *g;

    if (req->geometries == CR_OSRM_GEOJSON) {
        g = json_object();
        json_object_set_new(g, "coordinates", cr_output_coords(lon, lat, n));
        json_object_set_new(g, "type", json_string("LineString"));
        return g;
    }
    {
        char *text = cr_osrm_polyline(lon, lat, n, req->geometries == CR_OSRM_POLYLINE6 ? 6 : 5);
        g = text ? json_string(text) : json_null();
        free(text);
        return g;
    }
}

static json_t *
route_geometry(const struct cr_osrm_request *req, const struct cr_route *r)
{
    int32_t *lon, *lat;
    uint8_t *keep;
    size_t k = 0;
    json_t *g;

    if (req->overview == CR_OSRM_OVERVIEW_FULL || r->point_count <= 2)
        return cr_osrm_json_geometry(req, r->lon_e7, r->lat_e7, r->point_count);
    lon = malloc(r->point_count * sizeof *lon);
    lat = malloc(r->point_count * sizeof *lat);
    keep = malloc(r->point_count);
    if (!lon || !lat || !keep) {
        free(lon);
        free(lat);
        free(keep);
        return cr_osrm_json_geometry(req, r->lon_e7, r->lat_e7, r->point_count);
    }
    cr_osrm_simplify(r->lon_e7, r->lat_e7, r->point_count, CR_OSRM_SIMPLIFY_M, keep);
    for (uint32_t i = 0; i < r->point_count; i++)
        if (keep[i]) {
            lon[k] = r->lon_e7[i];
            lat[k] = r->lat_e7[i];
            k++;
        }
    g = cr_osrm_json_geometry(req, lon, lat, k);
    free(lon);
    free(lat);
    free(keep);
    return g;
}

/* Per pair of consecutive points of a leg: the length, and the time of its mode run shared out
 * by length (to 0.1 m and 0.1 s as every measure), and the speed (to 0.1 m/s). */
static json_t *
leg_annotation(const struct cr_osrm_request *req, const struct cr_route *r,
               const struct cr_route_leg *leg)
{
    json_t *a = json_object(), *dist = json_array(), *dur = json_array(), *spd = json_array();
    uint32_t part = leg->first_part, end_part = leg->first_part + leg->part_count;

    for (uint32_t i = leg->first_point; i < leg->last_point; i++) {
        double d =
            cr_geo_distance_m(r->lon_e7[i], r->lat_e7[i], r->lon_e7[i + 1], r->lat_e7[i + 1]);
        double t = 0;
        while (part + 1 < end_part && r->parts[part].last_point <= i)
            part++;
        if (part < end_part && r->parts[part].distance_m > 0)
            t = r->parts[part].duration_s * d / r->parts[part].distance_m;
        json_array_append_new(dist, json_real(cr_measure_round(CR_MEASURE_DISTANCE, d, NULL)));
        json_array_append_new(dur, json_real(cr_measure_round(CR_MEASURE_DURATION, t, NULL)));
        json_array_append_new(spd, json_real(t > 0 ? round_to(d / t, 10) : 0.0));
    }
    if (req->annotations & CR_OSRM_ANN_DISTANCE)
        json_object_set(a, "distance", dist);
    if (req->annotations & CR_OSRM_ANN_DURATION)
        json_object_set(a, "duration", dur);
    if (req->annotations & CR_OSRM_ANN_SPEED)
        json_object_set(a, "speed", spd);
    if (req->annotations & CR_OSRM_ANN_WEIGHT)
        json_object_set(a, "weight", dur);    /* the weight is the time */
    if (req->annotations & CR_OSRM_ANN_NODES) /* server/osrm_extra.c */
        json_object_set_new(a, "nodes", cr_osrm_json_leg_nodes(r, leg));
    if (req->annotations & CR_OSRM_ANN_DATASOURCES) { /* one source: the network file */
        json_t *src = json_array();
        for (size_t i = 0; i < json_array_size(dist); i++)
            json_array_append_new(src, json_integer(0));
        json_object_set_new(a, "datasources", src);
    }
    json_decref(dist);
    json_decref(dur);
    json_decref(spd);
    return a;
}

/* OSRM's distance and duration of a route or leg: metres and seconds to 0.1, as corridor writes
 * every distance and duration (routing/measure.h). */
static void
set_osrm_amounts(json_t *o, double distance, double duration)
{
    json_object_set_new(o, "duration",
                        json_real(cr_measure_round(CR_MEASURE_DURATION, duration, NULL)));
    json_object_set_new(o, "distance",
                        json_real(cr_measure_round(CR_MEASURE_DISTANCE, distance, NULL)));
}

/* The measures OSRM has no field for, in a `corridor` object: cost and co2_kg, named and rounded
 * as every corridor command writes them (routing/measure.h). */
static void
set_corridor_amounts(json_t *o, double cost, double co2, const char *currency)
{
    json_object_set_new(o, cr_measure_key(CR_MEASURE_COST),
                        json_real(cr_measure_round(CR_MEASURE_COST, cost, currency)));
    json_object_set_new(o, cr_measure_key(CR_MEASURE_CO2),
                        json_real(cr_measure_round(CR_MEASURE_CO2, co2, currency)));
}

/* Leg summary as OSRM: the names of (up to) the two longest named mode runs, in route order. */
static json_t *
leg_summary(const struct cr_graph_view *v, const struct cr_route *r, const struct cr_route_leg *leg)
{
    uint32_t best[2] = { CR_INF, CR_INF };
    char text[256] = "";

    for (uint32_t k = leg->first_part; k < leg->first_part + leg->part_count; k++) {
        const char *name = cr_graph_string(v, r->parts[k].name);
        if (!*name)
            continue;
        if (best[0] != CR_INF && !strcmp(cr_graph_string(v, r->parts[best[0]].name), name))
            continue;
        if (best[0] == CR_INF || r->parts[k].distance_m > r->parts[best[0]].distance_m) {
            best[1] = best[0];
            best[0] = k;
        } else if (best[1] == CR_INF || r->parts[k].distance_m > r->parts[best[1]].distance_m) {
            best[1] = k;
        }
    }
    if (best[0] != CR_INF && best[1] != CR_INF) {
        uint32_t a = best[0] < best[1] ? best[0] : best[1], b = best[0] ^ best[1] ^ a;
        snprintf(text, sizeof text, "%s, %s", cr_graph_string(v, r->parts[a].name),
                 cr_graph_string(v, r->parts[b].name));
    } else if (best[0] != CR_INF) {
        snprintf(text, sizeof text, "%s", cr_graph_string(v, r->parts[best[0]].name));
    }
    return cr_output_string(text);
}

json_t *
cr_osrm_json_route(const struct cr_osrm_request *req, const struct cr_engine *e,
                   const struct cr_route *r)
{
    const struct cr_graph_view *v = e->view;
    json_t *o = json_object(), *route = json_object(), *routes = json_array(), *legs = json_array();
    json_t *corr = json_object(), *segs = json_array();
    struct cr_guidance guide, *g = NULL;
    struct cr_error gerr = { 0 };

    json_object_set_new(o, "code", json_string("Ok"));
    if (req->overview != CR_OSRM_OVERVIEW_FALSE)
        json_object_set_new(route, "geometry", route_geometry(req, r));
    if (req->steps && cr_guidance_build(e, r, &guide, &gerr) == CR_OK)
        g = &guide; /* out of memory: no steps, as jansson drops what it cannot make */
    for (uint32_t i = 0; i < r->leg_count; i++) {
        const struct cr_route_leg *l = &r->legs[i];
        json_t *lj = json_object(), *lc = json_object();
        json_object_set_new(lj, "steps", cr_osrm_json_leg_steps(req, e, r, g, i));
        json_object_set_new(lj, "summary", leg_summary(v, r, l));
        json_object_set_new(lj, "weight", json_real(cr_metric_value(e->metric, l->weight)));
        set_osrm_amounts(lj, l->distance_m, l->duration_s);
        if (req->annotations)
            json_object_set_new(lj, "annotation", leg_annotation(req, r, l));
        set_corridor_amounts(lc, l->cost, l->co2_kg, e->profile.currency);
        json_object_set_new(lj, "corridor", lc);
        json_array_append_new(legs, lj);
    }
    if (g)
        cr_guidance_fini(g);
    json_object_set_new(route, "legs", legs);
    json_object_set_new(route, "weight_name", json_string(cr_metric_name(e->metric)));
    json_object_set_new(route, "weight", json_real(cr_metric_value(e->metric, r->weight)));
    set_osrm_amounts(route, r->distance_m, r->duration_s);
    json_object_set_new(corr, "profile", json_string(e->profile.name));
    json_object_set_new(corr, "metric", json_string(cr_metric_name(e->metric)));
    set_corridor_amounts(corr, r->cost, r->co2_kg, e->profile.currency);
    json_object_set_new(corr, "currency", json_string(e->profile.currency));
    json_object_set_new(corr, "algorithm", json_string(cr_route_algorithm(r)));
    cr_output_times(corr, r); /* depart, arrive (and arrive_by) when timed */
    for (uint32_t k = 0; k < r->part_count; k++)
        json_array_append_new(segs, cr_output_part(e, &r->parts[k]));
    json_object_set_new(corr, "segments", segs);
    json_object_set_new(route, "corridor", corr);
    json_array_append_new(routes, route);
    json_object_set_new(o, "routes", routes);
    if (!req->skip_waypoints) {
        json_t *wps = json_array();
        for (uint32_t i = 0; i < r->place_count; i++)
            json_array_append_new(wps, cr_osrm_json_waypoint(v, &r->places[i].snap));
        json_object_set_new(o, "waypoints", wps);
    }
    cr_osrm_route_waypoints(req, o); /* waypoints=: legs only between them (osrm_extra.c) */
    return o;
}
