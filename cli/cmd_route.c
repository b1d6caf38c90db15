/* corridor route NETWORK --profile P --from LON,LAT --to LON,LAT [--via LON,LAT ...] ... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/session.h"
#include "core/cond.h"
#include "routing/alternatives.h"
#include "routing/guidance.h"
#include "routing/guidance_text.h"
#include "routing/measure.h"
#include "routing/output.h"
#include "routing/tdsearch.h"

#define MAX_POINTS 1000
#define MAX_HOLIDAYS 366

static const char usage_text[] =
    "usage: corridor route NETWORK --profile P --from LON,LAT --to LON,LAT [--via LON,LAT ...]\n"
    "                      [--metric time|distance|cost|co2] [--vehicle height=4.2,weight=30,...]\n"
    "                      [--format json|geojson|gpx|text] [-o FILE] [--no-ch] [--max-snap M]\n"
    "                      [--steps] [--lang en|vi] [--continue-straight]\n"
    "                      [--radius R] [--bearing DEG,RANGE] [--approach curb|opposite]\n"
    "                      [--alternatives N] [--exclude toll,motorway,ferry]\n"
    "                      [--depart|--arrive YYYY-MM-DDTHH:MM [--holidays DATE,...]]\n\n"
    "The best route for a profile (car, motorcycle, truck, rail, barge, freight, or a .json file)\n"
    "by the metric asked (default time), through the via points in order. JSON gives distance_m,\n"
    "duration_s, cost (in the profile's currency, named beside), co2_kg, geometry, legs and\n"
    "segments by mode (with the terminal of each transfer), rounded as every command rounds them\n"
    "(0.1 m, 0.1 s, the currency's minor unit, 1 g). Unreachable: exit 1 (JSON: \"status\":\n"
    "\"unreachable\" or \"no_segment\").\n\n"
    "  --steps          turn-by-turn steps: a steps array in JSON (with each instruction);\n"
    "                   --format text prints them numbered (\"3. Turn right onto ...\")\n"
    "  --lang L         the instructions' language: en (default) or vi\n"
    "  --continue-straight  leave each via point in the direction the route reached it (no\n"
    "                   U-turn there; OSRM's continue_straight=true; untimed routes)\n"
    "  --vehicle LIST   the truck's size for this request: height, width, length (m), weight,\n"
    "                   axleload (t), hazmat=yes|no; routes never break its limits\n"
    "  --no-ch          plain Dijkstra even when the network holds a contraction hierarchy\n"
    "  --max-snap M     how far (m) a point may be from a usable way (default 1000)\n"
    "  --radius R       how far (m, or unlimited) a point may snap, instead of --max-snap\n"
    "  --bearing D,R    start/end only in a direction within R degrees of D (clockwise from "
    "north)\n"
    "  --approach A     curb: the point on the driver's kerb side; opposite; unrestricted\n"
    "                   Each of the last three: one value for every point, or one per point in\n"
    "                   order (from, vias, to) separated by ';', empty for the default.\n"
    "  --depart T       leave at T, naive local time of the region (no time zone): each\n"
    "                   conditional ban and speed (hgv:conditional=no @ (Mo-Fr 07:00-09:00),\n"
    "                   ...) counts as it holds when the route reaches it (time metric only)\n"
    "  --arrive T       arrive by T instead: leave at the latest time that still arrives by T\n"
    "                   under the same bans (the JSON says depart, arrive and arrive_by)\n"
    "  --holidays LIST  the public holidays (PH) as YYYY-MM-DD dates, ',' between them\n"
    "  --alternatives N up to N alternative routes besides the best (at most 5; --from and --to\n"
    "                   only, JSON only): {\"routes\":[best, ...]} (docs/routing.md,\n"
    "                   \"Alternative routes\")\n"
    "  --exclude LIST   leave out classes of ways the profile declares (car: toll, motorway,\n"
    "                   ferry); routes with Dijkstra\n"
    "A point snaps to the nearest usable segment (docs/routing.md, \"Snapping\").\n";

/* The JSON of a failed route (format json only), after the error line cli_fail printed. */
static void
write_failure(const char *format, const char *output, const struct cr_error *err)
{
    size_t len = 0;
    char *text;

    if (strcmp(format, "json") || err->code != CR_ENOTFOUND)
        return;
    if ((text = cr_output_route_failure(err, &len)))
        cli_write_output("route", output, text, len);
    free(text);
}

/* ROUTE in FORMAT to OUTPUT (NULL: stdout), and with -o a one-line summary on stderr. */
static int
write_route(const struct cr_engine *e, const struct cr_route *route, const char *format,
            const char *output)
{
    enum cr_route_format f = CR_ROUTE_JSON;
    struct cr_error err = { 0 };
    size_t len = 0;
    char *text;
    int rc;

    cr_route_format_parse(format, &f);
    if (!(text = cr_output_route_text(e, route, f, &len, &err))) {
        fprintf(stderr, "corridor route: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    rc = cli_write_output("route", output, text, len);
    free(text);
    if (!rc && output) {
        char cost[64];
        cr_measure_format(cost, sizeof cost, CR_MEASURE_COST, route->cost, e->profile.currency);
        fprintf(stderr, "%s: %.2f km, %.1f min, cost %s %s, %.3f kg CO2 (%s, %s)\n", output,
                route->distance_m / 1000.0, route->duration_s / 60.0, cost, e->profile.currency,
                route->co2_kg, e->profile.name,
                route->used_ch ? "contraction hierarchy" : "Dijkstra");
    }
    return rc;
}

/* ROUTE with its turn-by-turn steps: JSON with a steps array, or numbered text. */
static int
write_steps(const struct cr_engine *e, const struct cr_route *route, const char *format,
            enum cr_lang lang, const char *output)
{
    struct cr_guidance g;
    struct cr_error err = { 0 };
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (cr_guidance_build(e, route, &g, &err))
        return cli_fail("route", &err);
    if (!strcmp(format, "text")) {
        text = cr_guidance_text(e, route, &g, lang, &len);
    } else {
        json_t *j = cr_output_route_json(e, route);
        json_object_set_new(j, "steps", cr_guidance_json(e, route, &g, lang));
        if ((text = json_dumps(j, CR_OUTPUT_JSON_FLAGS))) {
            char *t = realloc(text, strlen(text) + 2);
            if (t)
                strcat(t, "\n");
            text = t ? t : text;
            len = strlen(text);
        }
        json_decref(j);
    }
    cr_guidance_fini(&g);
    if (!text) {
        fprintf(stderr, "corridor route: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    rc = cli_write_output("route", output, text, len);
    free(text);
    return rc;
}

/* The best route and up to ALT alternatives from point 0 to point 1, as {"routes":[...]}. */
static int
write_alternatives(const struct cli_session *s, const int32_t *lon, const int32_t *lat,
                   const struct cr_place_opts *popts, unsigned alt, const char *output)
{
    struct cr_alt_options o = CR_ALT_OPTIONS_DEFAULT;
    struct cr_route out[1 + CR_ALT_MAX];
    struct cr_place ab[2];
    struct cr_error err = { 0 };
    size_t n = 0, len = 0, cap = 64;
    char *text = malloc(cap);
    int rc = CLI_EXIT_OK;

    o.alternatives = alt;
    for (int i = 0; i < 2; i++)
        if (cr_engine_place_opts(s->engine, lon[i], lat[i], &popts[i], &ab[i], &err)) {
            free(text);
            return cli_fail("route", &err);
        }
    if (!text || cr_router_alternatives(s->router, &ab[0], &ab[1], &o, out, &n, &err)) {
        free(text);
        return text ? cli_fail("route", &err) : CLI_EXIT_INPUT;
    }
    len = (size_t)snprintf(text, cap, "{\"routes\":[");
    for (size_t i = 0; i < n && text; i++) {
        size_t one = 0;
        char *r = cr_output_route_text(s->engine, &out[i], CR_ROUTE_JSON, &one, &err), *grown;
        while (r && one && (r[one - 1] == '\n' || r[one - 1] == ' '))
            one--;
        grown = r ? realloc(text, len + one + 8) : NULL;
        if (grown) {
            memcpy(grown + len, i ? "," : "", i ? 1 : 0);
            len += i ? 1 : 0;
            memcpy(grown + len, r, one);
            len += one;
        } else {
            free(text);
        }
        text = grown;
        free(r);
    }
    for (size_t i = 0; i < n; i++)
        cr_route_fini(&out[i]);
    if (!text) {
        fprintf(stderr, "corridor route: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    memcpy(text + len, "]}\n", 3);
    rc = cli_write_output("route", output, text, len + 3);
    free(text);
    return rc;
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

/* --alternatives TEXT into *OUT (0..CR_ALT_MAX); 0, or the exit code after a message. */
static int
parse_alternatives(const char *text, long *out)
{
    char *end;

    *out = strtol(text, &end, 10);
    if (*end || end == text || *out < 0 || *out > CR_ALT_MAX)
        return cli_usage_error("route", "--alternatives \"%s\": want 0..%d", text, CR_ALT_MAX);
    return 0;
}

/* Whether FROM and TO are given and FORMAT, *STEPS (text implies it), ALTERNATIVES (-1: none)
 * and NVIA go together; 0, or the exit code after a message. */
static int
check_args(const char *from, const char *to, const char *format, int *steps, long alternatives,
           size_t nvia)
{
    if (!from || !to)
        return cli_usage_error("route", "want --from LON,LAT and --to LON,LAT");
    if (!strcmp(format, "text"))
        *steps = 1;
    if (strcmp(format, "json") && strcmp(format, "geojson") && strcmp(format, "gpx") && !*steps)
        return cli_usage_error("route", "--format \"%s\": want json, geojson or gpx", format);
    if (*steps && strcmp(format, "json") && strcmp(format, "text"))
        return cli_usage_error("route", "--steps: want --format json or text");
    if (alternatives >= 0 && (nvia || *steps || strcmp(format, "json")))
        return cli_usage_error("route",
                               "--alternatives: --from and --to only, JSON only, no --steps");
    return 0;
}

/* The route through the N points on session S (arriving by *ARRIVE when given, with the NPH
 * holidays PH), written in FORMAT (with STEPS in LANG) to OUTPUT; a failure as an error line (and
 * its JSON); the exit code. */
static int
route_and_write(const struct cli_session *s, const int32_t *lon, const int32_t *lat, size_t n,
                const struct cr_place_opts *popts, const int64_t *arrive, const int32_t *ph,
                size_t nph, const char *format, int steps, enum cr_lang lang, const char *output)
{
    struct cr_route *route = NULL;
    struct cr_error err = { 0 };
    int rc;

    if (arrive
            ? cr_route_compute_arrive(s->router, lon, lat, n, popts, *arrive, ph, nph, &route, &err)
            : cr_route_compute(s->router, lon, lat, n, popts, &route, &err)) {
        rc = cli_fail("route", &err);
        write_failure(format, output, &err);
        return rc;
    }
    rc = steps ? write_steps(s->engine, route, format, lang, output)
               : write_route(s->engine, route, format, output);
    cr_route_destroy(route);
    return rc;
}

/* When the route leaves or must arrive (--depart, --arrive, --holidays), and how it passes its
 * via points (--continue-straight). */
struct route_when {
    int timed, by, straight;
    int64_t depart, arrive;
    int32_t ph[MAX_HOLIDAYS];
    size_t nph;
};

/* Option C with ARG if it is one of the time options or --continue-straight, into W: 0, the exit
 * code of a usage error, or -1 when C is another option. */
static int
when_option(int c, const char *arg, struct route_when *w)
{
    switch (c) {
    case 'D':
        if (cr_cond_parse_time(arg, &w->depart))
            return cli_usage_error("route", "--depart \"%s\": want YYYY-MM-DDTHH:MM", arg);
        w->timed = 1;
        return 0;
    case 'Y':
        if (cr_cond_parse_time(arg, &w->arrive))
            return cli_usage_error("route", "--arrive \"%s\": want YYYY-MM-DDTHH:MM", arg);
        w->by = 1;
        return 0;
    case 'C':
        w->straight = 1;
        return 0;
    case 'H':
        w->nph = MAX_HOLIDAYS;
        if (cr_cond_parse_dates(arg, w->ph, &w->nph))
            return cli_usage_error("route", "--holidays \"%s\": want YYYY-MM-DD,...", arg);
        return 0;
    default:
        return -1;
    }
}

/* W set on the open session S's router (the time metric checked for --arrive); 0, or the exit
 * code after a message. */
static int
when_apply(const struct cli_session *s, const struct route_when *w)
{
    struct cr_error err = { 0 };

    if (w->by && s->engine->metric != CR_METRIC_TIME)
        return cli_usage_error("route", "--arrive needs the time metric (not %s)",
                               cr_metric_name(s->engine->metric));
    if ((w->timed || w->by || w->nph) &&
        cr_router_set_depart(s->router, w->timed || w->by, w->by ? w->arrive : w->depart, w->ph,
                             w->nph, &err))
        return cli_usage_error("route", "%s", err.msg);
    cr_router_set_straight(s->router, w->straight);
    return 0;
}

int
cmd_route(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_SESSION_LONGOPTS,
        CLI_PLACE_LONGOPTS,
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },
        { "via", required_argument, NULL, 'v' },
        { "format", required_argument, NULL, 'F' },
        { "steps", no_argument, NULL, 'S' },
        { "lang", required_argument, NULL, 'L' },
        { "output", required_argument, NULL, 'o' },
        { "depart", required_argument, NULL, 'D' },
        { "holidays", required_argument, NULL, 'H' },
        { "arrive", required_argument, NULL, 'Y' },
        { "continue-straight", no_argument, NULL, 'C' },
        { "alternatives", required_argument, NULL, 'N' },
        { "exclude", required_argument, NULL, 'X' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cli_session_options so = { 0 };
    struct cli_place_options po = { 0 };
    struct cr_place_opts popts[MAX_POINTS];
    struct cli_session s;
    struct route_when w = { 0 };
    const char *from = NULL, *to = NULL, *format = "json", *output = NULL;
    const char *vias[MAX_POINTS];
    int32_t lon[MAX_POINTS], lat[MAX_POINTS];
    size_t nvia = 0, n = 0;
    long alternatives = -1;
    int c, rc, steps = 0;
    enum cr_lang lang = CR_LANG_EN;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if ((rc = cli_session_option("route", c, optarg, &so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        if (cli_place_option(c, optarg, &po) == 0)
            continue;
        if ((rc = when_option(c, optarg, &w)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
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
        case 'S':
            steps = 1;
            break;
        case 'L':
            if (cr_lang_parse(optarg, &lang))
                return cli_usage_error("route", "--lang \"%s\": want en or vi", optarg);
            break;
        case 'N':
            if ((rc = parse_alternatives(optarg, &alternatives)))
                return rc;
            break;
        case 'X':
            so.exclude = optarg;
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
    if (w.timed && w.by)
        return cli_usage_error("route", "--depart and --arrive: give one of them");
    if (w.by && alternatives >= 0)
        return cli_usage_error("route", "--arrive: no --alternatives");
    if ((rc = check_args(from, to, format, &steps, alternatives, nvia)) ||
        (rc = parse_points(from, vias, nvia, to, lon, lat, &n)) ||
        (rc = cli_place_opts("route", &po, n, popts)))
        return rc;
    so.network = argv[optind];
    if ((rc = cli_session_open(&s, "route", &so)))
        return rc;
    if ((rc = when_apply(&s, &w))) {
        cli_session_close(&s);
        return rc;
    }
    if (alternatives >= 0)
        rc = write_alternatives(&s, lon, lat, popts, (unsigned)alternatives, output);
    else
        rc = route_and_write(&s, lon, lat, n, popts, w.by ? &w.arrive : NULL, w.ph, w.nph, format,
                             steps, lang, output);
    cli_session_close(&s);
    return rc;
}
