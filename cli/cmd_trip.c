/* corridor trip NETWORK POINTS --profile P [--roundtrip|--no-roundtrip] [--source any|first]
 *               [--destination any|last] [--format text|json|geojson] [-o FILE] */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/session.h"
#include "core/geo.h"
#include "importers/points/points.h"
#include "routing/measure.h"
#include "routing/output.h"
#include "routing/trip.h"

static const char usage_text[] =
    "usage: corridor trip NETWORK POINTS --profile P [--roundtrip | --no-roundtrip]\n"
    "                     [--source any|first] [--destination any|last]\n"
    "                     [--format text|json|geojson] [-o FILE.json|.geojson|.txt]\n"
    "                     [--metric time|distance|cost|co2] [--vehicle ...] [--no-ch]\n"
    "                     [--max-snap M] [--radius R] [--bearing DEG,RANGE] [--approach A]\n\n"
    "The order in which to visit every point of POINTS (a CSV with lon,lat and an optional id\n"
    "column, or GeoJSON points) that makes the trip best by the metric (the travelling\n"
    "salesman, as OSRM's /trip), and the route through them in that order. By default a round\n"
    "trip back to the first point visited, starting at the file's first point. --source first\n"
    "starts at the first point, --destination last ends at the last; either of them without\n"
    "--roundtrip makes an open trip (a path), as does --no-roundtrip (then any start and end\n"
    "unless fixed). Exact up to 16 points (15 for an open trip with a free end), a heuristic\n"
    "beyond (docs/trip.md). Text output: one line per visit with the leg that reaches it, then\n"
    "the totals; json: corridor route's JSON with a \"trip\" member (order, visits, solver);\n"
    "geojson: the route's features with each waypoint's visit and id. The format follows -o's\n"
    "extension unless --format says. A point too far from any usable way, or no trip through\n"
    "all of them (a point nothing reaches): exit 1 naming it.\n";

struct trip_args {
    const char *format, *output;
    struct cr_trip_options o;
    int roundtrip_given, open_given;
};

static int
ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

/* Text: one line per visit and the totals. caller frees: free() */
static char *
trip_text(const struct cli_session *s, const struct cr_trip *t, const struct cr_point_list *pts,
          size_t *len)
{
    const struct cr_route *r = &t->route;
    char *buf = NULL, cost[64];
    FILE *f = open_memstream(&buf, len);

    if (!f)
        return NULL;
    fprintf(f, "trip through %zu points (%s, %s; %s; %s; %s)\n", t->n, s->profile.name,
            cr_metric_name(s->metric), t->roundtrip ? "round trip" : "open trip",
            t->exact ? "exact" : "heuristic", t->used_ch ? "contraction hierarchy" : "Dijkstra");
    fprintf(f, "%5s  %-16s %12s %12s %10s %10s\n", "visit", "id", "lon", "lat", "leg_km",
            "leg_min");
    for (size_t k = 0; k < r->place_count; k++) {
        const struct cr_point *p = &pts->items[t->order[k % t->n]];
        char visit[16];
        snprintf(visit, sizeof visit, k < t->n ? "%zu" : "back", k + 1);
        fprintf(f, "%5s  %-16s %12.7f %12.7f", visit, p->id, cr_e7_to_deg(p->lon_e7),
                cr_e7_to_deg(p->lat_e7));
        if (k > 0)
            fprintf(f, " %10.2f %10.1f", r->legs[k - 1].distance_m / 1000.0,
                    r->legs[k - 1].duration_s / 60.0);
        fputc('\n', f);
    }
    cr_measure_format(cost, sizeof cost, CR_MEASURE_COST, r->cost, s->profile.currency);
    fprintf(f, "total: %.2f km, %.1f min, cost %s %s, %.3f kg CO2\n", r->distance_m / 1000.0,
            r->duration_s / 60.0, cost, s->profile.currency, r->co2_kg);
    fclose(f);
    return buf;
}

static int
write_trip(const struct cli_session *s, const struct cr_trip *t, const struct cr_point_list *pts,
           const struct trip_args *a)
{
    const char **ids = malloc(pts->count * sizeof *ids);
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (!ids)
        return cli_usage_error("trip", "out of memory");
    for (size_t i = 0; i < pts->count; i++)
        ids[i] = pts->items[i].id;
    if (!strcmp(a->format, "text")) {
        text = trip_text(s, t, pts, &len);
    } else {
        json_t *j = !strcmp(a->format, "json") ? cr_trip_json(s->engine, t, &a->o, ids)
                                               : cr_trip_geojson(s->engine, t, ids);
        text = j ? json_dumps(j, CR_OUTPUT_JSON_FLAGS) : NULL;
        len = text ? strlen(text) : 0;
        json_decref(j);
        if (text && (text = realloc(text, len + 2))) {
            text[len++] = '\n';
            text[len] = '\0';
        }
    }
    free(ids);
    if (!text) {
        fprintf(stderr, "corridor trip: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    rc = cli_write_output("trip", a->output, text, len);
    free(text);
    if (!rc && a->output)
        fprintf(stderr, "%s: %zu points, %.2f km, %.1f min (%s)\n", a->output, t->n,
                t->route.distance_m / 1000.0, t->route.duration_s / 60.0,
                t->exact ? "exact" : "heuristic");
    return rc;
}

static int
run_trip(const struct cli_session *s, const char *points_path, const struct cr_point_list *pts,
         const struct cr_place_opts *popts, const struct trip_args *a)
{
    int32_t *lon = malloc(pts->count * sizeof *lon), *lat = malloc(pts->count * sizeof *lat);
    struct cr_trip t;
    struct cr_error err = { 0 };
    int rc;

    if (!lon || !lat) {
        free(lon);
        free(lat);
        fprintf(stderr, "corridor trip: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    for (size_t i = 0; i < pts->count; i++) {
        lon[i] = pts->items[i].lon_e7;
        lat[i] = pts->items[i].lat_e7;
    }
    if (cr_trip_compute(s->router, lon, lat, pts->count, popts, &a->o, &t, &err)) {
        if (t.unsnapped != SIZE_MAX)
            fprintf(stderr, "corridor trip: %s: point %s (row %zu): %s\n", points_path,
                    pts->items[t.unsnapped].id, t.unsnapped + 1, err.msg);
        else
            fprintf(stderr, "corridor trip: %s: %s\n", points_path, err.msg);
        rc = CLI_EXIT_INPUT;
    } else {
        rc = write_trip(s, &t, pts, a);
    }
    cr_trip_fini(&t);
    free(lon);
    free(lat);
    return rc;
}

/* One of trip's own options; 0 when taken, else the exit code (-1: not one of them). */
static int
trip_option(int c, const char *arg, struct trip_args *a)
{
    switch (c) {
    case 'r':
    case 'N':
        a->o.roundtrip = c == 'r';
        a->roundtrip_given = 1;
        return 0;
    case 'S':
        if (strcmp(arg, "any") && strcmp(arg, "first"))
            return cli_usage_error("trip", "--source \"%s\": want any or first", arg);
        a->o.source_first = !strcmp(arg, "first");
        a->open_given = 1;
        return 0;
    case 'D':
        if (strcmp(arg, "any") && strcmp(arg, "last"))
            return cli_usage_error("trip", "--destination \"%s\": want any or last", arg);
        a->o.destination_last = !strcmp(arg, "last");
        a->open_given = 1;
        return 0;
    case 'F':
        if (strcmp(arg, "text") && strcmp(arg, "json") && strcmp(arg, "geojson"))
            return cli_usage_error("trip", "--format \"%s\": want text, json or geojson", arg);
        a->format = arg;
        return 0;
    case 'o':
        a->output = arg;
        return 0;
    }
    return -1;
}

int
cmd_trip(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_SESSION_LONGOPTS,
        CLI_PLACE_LONGOPTS,
        { "roundtrip", no_argument, NULL, 'r' },
        { "no-roundtrip", no_argument, NULL, 'N' },
        { "source", required_argument, NULL, 'S' },
        { "destination", required_argument, NULL, 'D' },
        { "format", required_argument, NULL, 'F' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct trip_args a = { NULL, NULL, CR_TRIP_OPTIONS_DEFAULT, 0, 0 };
    struct cli_session_options so = { 0 };
    struct cli_place_options po = { 0 };
    struct cr_place_opts *popts = NULL;
    struct cli_session s;
    struct cr_point_list pts = { 0 };
    struct cr_error err = { 0 };
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if ((rc = cli_session_option("trip", c, optarg, &so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        if (cli_place_option(c, optarg, &po) == 0)
            continue;
        if (c == 'h') {
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        }
        if ((rc = trip_option(c, optarg, &a)) == -1)
            return cli_usage_error("trip", "bad option");
        if (rc)
            return rc;
    }
    if (optind != argc - 2)
        return cli_usage_error("trip", "want a NETWORK file and a POINTS file");
    if (a.open_given && !a.roundtrip_given)
        a.o.roundtrip = 0;
    if (!a.format)
        a.format = a.output && ends_with(a.output, ".geojson") ? "geojson"
                   : a.output && ends_with(a.output, ".json")  ? "json"
                                                               : "text";
    if (cr_points_read(argv[optind + 1], &pts, &err))
        return cli_fail("trip", &err);
    if (pts.count < 2 || pts.count > CR_TRIP_MAX_POINTS) {
        fprintf(stderr, "corridor trip: %s: %zu points: want 2 to %d\n", argv[optind + 1],
                pts.count, CR_TRIP_MAX_POINTS);
        cr_point_list_fini(&pts);
        return CLI_EXIT_INPUT;
    }
    if (!(popts = malloc(pts.count * sizeof *popts)) ||
        (rc = cli_place_opts("trip", &po, pts.count, popts))) {
        rc = popts ? rc : cli_usage_error("trip", "out of memory");
        goto done;
    }
    so.network = argv[optind];
    if ((rc = cli_session_open(&s, "trip", &so)))
        goto done;
    rc = run_trip(&s, argv[optind + 1], &pts, popts, &a);
    cli_session_close(&s);
done:
    free(popts);
    cr_point_list_fini(&pts);
    return rc;
}
