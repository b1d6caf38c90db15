/* corridor isochrone NETWORK --from LON,LAT [--from ...] [--origins POINTS] --profile P ... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/session.h"
#include "importers/points/points.h"
#include "planning/isochrone.h"
#include "spatial/ctx.h"

#define MAX_FROM 1000

static const char usage_text[] =
    "usage: corridor isochrone NETWORK --profile P --from LON,LAT [--from ...] [--origins FILE]\n"
    "                          [--minutes 10,20,30] [--reverse] [--buffer M] [--metric time]\n"
    "                          [--vehicle LIST] [--max-snap M] -o ISO.geojson|ISO.gpkg\n\n"
    "The area reached within each number of minutes from the origins (all at once: the\n"
    "nearest one counts), or with --reverse the area from which one of them is reached, as\n"
    "polygons that follow the network: every road reached within the band, buffered by\n"
    "--buffer metres (default 50) and unioned, with holes where no road is reached. One\n"
    "(Multi)Polygon per band (largest first), fields minutes, origins, reached_km; GeoJSON is\n"
    "RFC 7946 (WGS 84). The rule and its resolution: docs/isochrone.md.\n\n"
    "  --from LON,LAT   an origin (repeat for several)\n"
    "  --origins FILE   origins from a CSV (lon,lat columns) or GeoJSON points file\n"
    "  --minutes LIST   increasing bands in minutes, at most 10, each up to 1440 (default "
    "10,20,30)\n"
    "  --reverse        who reaches the origins within each band, instead of whom they reach\n"
    "  --buffer M       metres around every reached road (default 50, up to 10000)\n"
    "  --vehicle LIST   the truck's size (height, width, length, weight, axleload, hazmat)\n"
    "  --max-snap M     how far (m) an origin may be from a usable way (default 1000)\n";

struct iso_args {
    const char *from[MAX_FROM];
    size_t nfrom;
    const char *origins, *minutes, *output, *buffer;
    int reverse;
};

static int
parse_args(int argc, char **argv, struct cli_session_options *so, struct iso_args *a)
{
    static const struct option longopts[] = {
        CLI_SESSION_LONGOPTS,
        { "from", required_argument, NULL, 'f' },
        { "origins", required_argument, NULL, 'O' },
        { "minutes", required_argument, NULL, 'M' },
        { "reverse", no_argument, NULL, 'r' },
        { "buffer", required_argument, NULL, 'b' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if ((rc = cli_session_option("isochrone", c, optarg, so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case 'f':
            if (a->nfrom == MAX_FROM)
                return cli_usage_error("isochrone", "at most %d --from (use --origins FILE)",
                                       MAX_FROM);
            a->from[a->nfrom++] = optarg;
            break;
        case 'O':
            a->origins = optarg;
            break;
        case 'M':
            a->minutes = optarg;
            break;
        case 'r':
            a->reverse = 1;
            break;
        case 'b':
            a->buffer = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return -1;
        default:
            return cli_usage_error("isochrone", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("isochrone", "want exactly one NETWORK file");
    if (!a->nfrom && !a->origins)
        return cli_usage_error("isochrone", "want --from LON,LAT or --origins FILE");
    if (!a->output)
        return cli_usage_error("isochrone", "want -o ISO.geojson or ISO.gpkg");
    if (so->metric && strcmp(so->metric, "time"))
        return cli_usage_error("isochrone", "--metric \"%s\": isochrones are in time only",
                               so->metric);
    so->network = argv[optind];
    return 0;
}

/* The --from points, then the --origins file's, into *LON, *LAT (malloc'd) and *N. */
static int
gather_origins(const struct iso_args *a, int32_t **lon, int32_t **lat, size_t *n)
{
    struct cr_point_list pl = { 0 };
    struct cr_error err = { 0 };

    if (a->origins && cr_points_read(a->origins, &pl, &err))
        return cli_fail("isochrone", &err);
    *n = 0;
    *lon = malloc((a->nfrom + pl.count + 1) * sizeof **lon);
    *lat = malloc((a->nfrom + pl.count + 1) * sizeof **lat);
    if (!*lon || !*lat) {
        cr_point_list_fini(&pl);
        fprintf(stderr, "corridor isochrone: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    for (size_t i = 0; i < a->nfrom; i++, (*n)++)
        if (cli_parse_lonlat(a->from[i], &(*lon)[*n], &(*lat)[*n])) {
            cr_point_list_fini(&pl);
            return cli_usage_error("isochrone",
                                   "--from \"%s\": want LON,LAT in degrees (lon -180..180, "
                                   "lat -90..90)",
                                   a->from[i]);
        }
    for (size_t i = 0; i < pl.count; i++, (*n)++) {
        (*lon)[*n] = pl.items[i].lon_e7;
        (*lat)[*n] = pl.items[i].lat_e7;
    }
    cr_point_list_fini(&pl);
    return 0;
}

static int
run(const struct cli_session *s, const struct iso_args *a, const int32_t *lon, const int32_t *lat,
    size_t n, const double *minutes, size_t nm, double buffer_m)
{
    struct cr_error err = { 0 };
    struct cr_iso_result r;
    struct cr_ctx *c = cr_ctx_create(&err);
    int rc = 0;

    if (!c)
        return cli_fail("isochrone", &err);
    if (cr_iso_run(c, s->session, lon, lat, n, minutes, nm, a->reverse, buffer_m, &r, &err) ||
        cr_iso_write(c, &r, a->output, &err)) {
        rc = cli_fail("isochrone", &err);
    } else {
        fprintf(stderr, "%s: %zu bands from %zu origin%s (%s, %s)", a->output, r.count, n,
                n == 1 ? "" : "s", s->profile.name, a->reverse ? "reverse" : "forward");
        for (size_t k = 0; k < r.count; k++)
            fprintf(stderr, "%s %g min %.1f km", k ? "," : ":", r.bands[k].minutes,
                    r.bands[k].reached_km);
        fprintf(stderr, "; search %.3f s, polygons %.3f s\n", r.search_s, r.polygon_s);
    }
    cr_iso_result_fini(c, &r);
    cr_ctx_destroy(c);
    return rc;
}

int
cmd_isochrone(int argc, char **argv)
{
    struct cli_session_options so = { 0 };
    struct iso_args a = { .minutes = "10,20,30" };
    struct cli_session s;
    struct cr_error err = { 0 };
    double minutes[CR_ISO_MAX_BANDS], buffer_m = CR_ISO_BUFFER_M;
    int32_t *lon = NULL, *lat = NULL;
    size_t n = 0, nm = 0;
    int rc;

    if ((rc = parse_args(argc, argv, &so, &a)))
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (cr_iso_minutes_parse(a.minutes, minutes, &nm, &err))
        return cli_usage_error("isochrone", "--%s", err.msg);
    if (a.buffer) {
        char *end;
        buffer_m = strtod(a.buffer, &end);
        if (end == a.buffer || *end || !(buffer_m > 0) || buffer_m > 10000)
            return cli_usage_error("isochrone", "--buffer \"%s\": want metres in (0, 10000]",
                                   a.buffer);
    }
    if ((rc = gather_origins(&a, &lon, &lat, &n)) == 0 &&
        (rc = cli_session_open(&s, "isochrone", &so)) == 0) {
        rc = run(&s, &a, lon, lat, n, minutes, nm, buffer_m);
        cli_session_close(&s);
    }
    free(lon);
    free(lat);
    return rc;
}
