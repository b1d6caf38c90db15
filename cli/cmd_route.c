/* corridor route NETWORK --profile P --from LON,LAT --to LON,LAT [--via LON,LAT ...] ... */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/session.h"
#include "core/geo.h"
#include "routing/measure.h"

#define MAX_POINTS 1000

static const char usage_text[] =
    "usage: corridor route NETWORK --profile P --from LON,LAT --to LON,LAT [--via LON,LAT ...]\n"
    "                      [--metric time|distance|cost|co2] [--vehicle height=4.2,weight=30,...]\n"
    "                      [--format json|geojson|gpx] [-o FILE] [--no-ch] [--max-snap M]\n"
    "                      [--radius R] [--bearing DEG,RANGE] [--approach curb|opposite]\n\n"
    "The best route for a profile (car, motorcycle, truck, rail, barge, freight, or a .json file)\n"
    "by the metric asked (default time), through the via points in order. JSON gives distance_m,\n"
    "duration_s, cost (in the profile's currency, named beside), co2_kg, geometry, legs and\n"
    "segments by mode (with the terminal of each transfer), rounded as every command rounds them\n"
    "(0.1 m, 0.1 s, the currency's minor unit, 1 g). Unreachable: exit 1 (JSON: \"status\":\n"
    "\"unreachable\" or \"no_segment\").\n\n"
    "  --vehicle LIST   the truck's size for this request: height, width, length (m), weight,\n"
    "                   axleload (t), hazmat=yes|no; routes never break its limits\n"
    "  --no-ch          plain Dijkstra even when the network holds a contraction hierarchy\n"
    "  --max-snap M     how far (m) a point may be from a usable way (default 1000)\n"
    "  --radius R       how far (m, or unlimited) a point may snap, instead of --max-snap\n"
    "  --bearing D,R    start/end only in a direction within R degrees of D (clockwise from north)\n"
    "  --approach A     curb: the point on the driver's kerb side; opposite; unrestricted\n"
    "                   Each of the last three: one value for every point, or one per point in\n"
    "                   order (from, vias, to) separated by ';', empty for the default.\n"
    "A point snaps to the nearest usable segment (docs/routing.md, \"Snapping\").\n";

static json_t *
coords(const struct cr_route *r, uint32_t first, uint32_t last)
{
    json_t *a = json_array();
    for (uint32_t i = first; i <= last && i < r->point_count; i++) {
        json_t *p = json_array();
        json_array_append_new(p, json_real(cr_e7_to_deg(r->lon_e7[i])));
        json_array_append_new(p, json_real(cr_e7_to_deg(r->lat_e7[i])));
        json_array_append_new(a, p);
    }
    return a;
}

static json_t *
line(const struct cr_route *r, uint32_t first, uint32_t last)
{
    json_t *g = json_object();
    json_object_set_new(g, "type", json_string("LineString"));
    json_object_set_new(g, "coordinates", coords(r, first, last));
    return g;
}

static json_t *
lonlat(int32_t lon, int32_t lat)
{
    json_t *p = json_array();
    json_array_append_new(p, json_real(cr_e7_to_deg(lon)));
    json_array_append_new(p, json_real(cr_e7_to_deg(lat)));
    return p;
}

static void
set_amounts(json_t *o, const struct cli_session *s, double distance, double duration, double cost,
            double co2)
{
    const struct cr_measures v = { distance, duration, cost, co2 };
    cr_measures_json(o, &v, s->profile.currency);
}

static json_t *
part_json(const struct cli_session *s, const struct cr_route *r, const struct cr_route_part *p)
{
    json_t *o = json_object();
    const char *name = cr_graph_string(s->view, p->name);
    json_object_set_new(o, "mode", json_string(cr_mode_name((enum cr_mode)p->mode)));
    set_amounts(o, s, p->distance_m, p->duration_s, p->cost, p->co2_kg);
    if (p->terminal != CR_INF) {
        const struct cr_terminal *t = &s->view->terminals[p->terminal];
        json_object_set_new(o, "terminal", json_string(cr_graph_string(s->view, t->name)));
        json_object_set_new(o, "terminal_location", lonlat(t->lon_e7, t->lat_e7));
    }
    (void)name;
    json_object_set_new(o, "from_point", json_integer(p->first_point));
    json_object_set_new(o, "to_point", json_integer(p->last_point));
    (void)r;
    return o;
}

static json_t *
route_json(const struct cli_session *s, const struct cr_route *r)
{
    json_t *o = json_object(), *legs = json_array(), *parts = json_array(), *wps = json_array();

    json_object_set_new(o, "status", json_string("ok"));
    json_object_set_new(o, "profile", json_string(s->profile.name));
    json_object_set_new(o, "metric", json_string(cr_metric_name(s->metric)));
    set_amounts(o, s, r->distance_m, r->duration_s, r->cost, r->co2_kg);
    json_object_set_new(o, "currency", json_string(s->profile.currency));
    json_object_set_new(o, "weight", json_real(cr_metric_value(s->metric, r->weight)));
    json_object_set_new(o, "algorithm", json_string(r->used_ch ? "ch" : "dijkstra"));
    for (uint32_t i = 0; i < r->place_count; i++) {
        json_t *w = json_object();
        json_object_set_new(w, "location", lonlat(r->places[i].lon_e7, r->places[i].lat_e7));
        json_object_set_new(w, "snapped",
                            lonlat(r->places[i].snap.lon_e7, r->places[i].snap.lat_e7));
        double snap_m = r->places[i].snap.distance_m;
        json_object_set_new(w, "snap_distance_m",
                            json_real(cr_measure_round(CR_MEASURE_DISTANCE, snap_m, NULL)));
        json_array_append_new(wps, w);
    }
    json_object_set_new(o, "waypoints", wps);
    json_object_set_new(o, "geometry", line(r, 0, r->point_count ? r->point_count - 1 : 0));
    for (uint32_t i = 0; i < r->leg_count; i++) {
        const struct cr_route_leg *l = &r->legs[i];
        json_t *lj = json_object(), *lp = json_array();
        set_amounts(lj, s, l->distance_m, l->duration_s, l->cost, l->co2_kg);
        for (uint32_t k = l->first_part; k < l->first_part + l->part_count; k++)
            json_array_append_new(lp, part_json(s, r, &r->parts[k]));
        json_object_set_new(lj, "segments", lp);
        json_array_append_new(legs, lj);
    }
    json_object_set_new(o, "legs", legs);
    for (uint32_t k = 0; k < r->part_count; k++)
        json_array_append_new(parts, part_json(s, r, &r->parts[k]));
    json_object_set_new(o, "segments", parts);
    return o;
}

static json_t *
route_geojson(const struct cli_session *s, const struct cr_route *r)
{
    json_t *fc = json_object(), *features = json_array(), *f, *props;

    json_object_set_new(fc, "type", json_string("FeatureCollection"));
    f = json_object();
    props = json_object();
    json_object_set_new(f, "type", json_string("Feature"));
    json_object_set_new(props, "kind", json_string("route"));
    json_object_set_new(props, "profile", json_string(s->profile.name));
    json_object_set_new(props, "metric", json_string(cr_metric_name(s->metric)));
    set_amounts(props, s, r->distance_m, r->duration_s, r->cost, r->co2_kg);
    json_object_set_new(f, "properties", props);
    json_object_set_new(f, "geometry", line(r, 0, r->point_count ? r->point_count - 1 : 0));
    json_array_append_new(features, f);
    for (uint32_t k = 0; k < r->part_count; k++) {
        f = json_object();
        props = part_json(s, r, &r->parts[k]);
        json_object_set_new(props, "kind", json_string("segment"));
        json_object_set_new(f, "type", json_string("Feature"));
        json_object_set_new(f, "properties", props);
        json_object_set_new(f, "geometry", line(r, r->parts[k].first_point, r->parts[k].last_point));
        json_array_append_new(features, f);
    }
    for (uint32_t i = 0; i < r->place_count; i++) {
        json_t *g = json_object();
        f = json_object();
        props = json_object();
        json_object_set_new(props, "kind", json_string("waypoint"));
        json_object_set_new(props, "index", json_integer(i));
        json_object_set_new(g, "type", json_string("Point"));
        json_object_set_new(g, "coordinates",
                            lonlat(r->places[i].snap.lon_e7, r->places[i].snap.lat_e7));
        json_object_set_new(f, "type", json_string("Feature"));
        json_object_set_new(f, "properties", props);
        json_object_set_new(f, "geometry", g);
        json_array_append_new(features, f);
    }
    json_object_set_new(fc, "features", features);
    return fc;
}

/* TEXT with XML's five special characters escaped. */
static void
xml_text(FILE *f, const char *text)
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

static char *
route_gpx(const struct cli_session *s, const struct cr_route *r, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);

    if (!f)
        return NULL;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<gpx version=\"1.1\" creator=\"corridor\" "
               "xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
               "  <metadata><copyright author=\"OpenStreetMap contributors\">"
               "<license>https://opendatacommons.org/licenses/odbl/</license></copyright>"
               "</metadata>\n"
               "  <trk><name>");
    xml_text(f, s->profile.name);
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
    return buf;
}

/* FROM, VIAS[0 .. NVIA-1] and TO into LON, LAT and *N; 0, or the exit code after a message. */
static int
parse_points(const char *from, const char *const *vias, size_t nvia, const char *to, int32_t *lon,
             int32_t *lat, size_t *n)
{
    const char *pts[MAX_POINTS];

    *n = 0;
    pts[(*n)++] = from;
    for (size_t i = 0; i < nvia; i++)
        pts[(*n)++] = vias[i];
    pts[(*n)++] = to;
    for (size_t i = 0; i < *n; i++)
        if (cli_parse_lonlat(pts[i], &lon[i], &lat[i]))
            return cli_usage_error("route",
                                   "\"%s\": want LON,LAT in degrees (lon -180..180, "
                                   "lat -90..90)",
                                   pts[i]);
    return 0;
}

/* JSON saying why there is no route ("unreachable" or "no_segment"), to OUTPUT. */
static void
write_failure(const char *output, const struct cr_error *err)
{
    json_t *o = json_object();
    char *text;

    json_object_set_new(o, "status",
                        json_string(strstr(err->msg, "no route") ? "unreachable" : "no_segment"));
    json_object_set_new(o, "message", json_string(err->msg));
    text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (text) {
        size_t tl = strlen(text);
        char *t = realloc(text, tl + 2);
        if (t) {
            text = t;
            text[tl++] = '\n';
            text[tl] = '\0';
        }
        cli_write_output("route", output, text, tl);
    }
    free(text);
}

int
cmd_route(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_SESSION_LONGOPTS,
        CLI_PLACE_LONGOPTS,
        { "from", required_argument, NULL, 'f' },   { "to", required_argument, NULL, 't' },
        { "via", required_argument, NULL, 'v' },    { "format", required_argument, NULL, 'F' },
        { "output", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cli_session_options so = { 0 };
    struct cli_place_options po = { 0 };
    struct cr_place_opts popts[MAX_POINTS];
    struct cli_session s;
    struct cr_route *route = NULL;
    struct cr_error err = { 0 };
    const char *from = NULL, *to = NULL, *format = "json", *output = NULL;
    const char *vias[MAX_POINTS];
    int32_t lon[MAX_POINTS], lat[MAX_POINTS];
    size_t nvia = 0, n = 0;
    int c, rc;
    char *text = NULL;
    size_t len = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if ((rc = cli_session_option("route", c, optarg, &so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        if (cli_place_option(c, optarg, &po) == 0)
            continue;
        switch (c) {
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'v':
            if (nvia + 2 >= MAX_POINTS)
                return cli_usage_error("route", "at most %d via points", MAX_POINTS - 2);
            vias[nvia++] = optarg;
            break;
        case 'F':
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("route", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("route", "want exactly one NETWORK file");
    if (!from || !to)
        return cli_usage_error("route", "want --from LON,LAT and --to LON,LAT");
    if (strcmp(format, "json") && strcmp(format, "geojson") && strcmp(format, "gpx"))
        return cli_usage_error("route", "--format \"%s\": want json, geojson or gpx", format);
    if ((rc = parse_points(from, vias, nvia, to, lon, lat, &n)))
        return rc;
    if ((rc = cli_place_opts("route", &po, n, popts)))
        return rc;
    so.network = argv[optind];
    if ((rc = cli_session_open(&s, "route", &so)))
        return rc;
    if (cr_route_compute(s.router, lon, lat, n, popts, &route, &err)) {
        rc = cli_fail("route", &err);
        if (!strcmp(format, "json") && err.code == CR_ENOTFOUND)
            write_failure(output, &err);
        cli_session_close(&s);
        return rc;
    }
    if (!strcmp(format, "gpx")) {
        text = route_gpx(&s, route, &len);
    } else {
        json_t *o = !strcmp(format, "json") ? route_json(&s, route) : route_geojson(&s, route);
        text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
        json_decref(o);
        len = text ? strlen(text) : 0;
    }
    if (!text) {
        fprintf(stderr, "corridor route: out of memory\n");
        rc = CLI_EXIT_INPUT;
    } else {
        if (text[len - 1] != '\n' && strcmp(format, "gpx")) {
            char *t = realloc(text, len + 2);
            if (t) {
                text = t;
                text[len++] = '\n';
                text[len] = '\0';
            }
        }
        rc = cli_write_output("route", output, text, len);
    }
    if (!rc && output) {
        char cost[64];
        cr_measure_format(cost, sizeof cost, CR_MEASURE_COST, route->cost, s.profile.currency);
        fprintf(stderr, "%s: %.2f km, %.1f min, cost %s %s, %.3f kg CO2 (%s, %s)\n", output,
                route->distance_m / 1000.0, route->duration_s / 60.0, cost, s.profile.currency,
                route->co2_kg, s.profile.name,
                route->used_ch ? "contraction hierarchy" : "Dijkstra");
    }
    free(text);
    cr_route_destroy(route);
    cli_session_close(&s);
    return rc;
}
