/* corridor skim NETWORK --zones ZONES --profile P [--metric M] [-o FILE.csv] [--points FILE] */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/planning_io.h"
#include "cli/session.h"
#include "cli/zoning_opts.h"
#include "core/cond.h"
#include "core/csv.h"
#include "core/geo.h"
#include "planning/skim.h"
#include "routing/measure.h"
#include "spatial/zones.h"

static const char usage_text[] =
    "usage: corridor skim NETWORK --zones ZONES --profile P [--metric time|distance|cost|co2]\n"
    "                     [-o FILE.csv] [--points FILE.csv] [--name-field F] [--class-field F]\n"
    "                     [--layer L] [--s-srs CRS] [--work-crs CRS] [--encoding ENC]\n"
    "                     [--vehicle ...] [--no-ch] [--max-snap M]\n"
    "                     [--depart YYYY-MM-DDTHH:MM [--holidays DATE,...]]\n\n"
    "Zone-to-zone skims: each zone of ZONES (any polygon layer GDAL reads, or an OSM file's\n"
    "landuse areas) is represented by a point on its surface, snapped to the nearest way the\n"
    "profile may use; then the route between every pair of zones, optimal for the metric\n"
    "(default time). See docs/skim.md.\n\n"
    "CSV output, one row per pair: from_zone,to_zone,distance_m,duration_s,cost,co2_kg,status,\n"
    "rounded as every command rounds them (0.1 m, 0.1 s, the currency's minor unit, 1 g);\n"
    "status is ok, unreachable, or no_segment (a zone farther than the snap radius from any\n"
    "usable way); the measures are empty when not ok. A zone's id is its --name-field value,\n"
    "else its feature id.\n\n"
    "  --points FILE.csv    also write each zone's point: zone,lon,lat,snap_lon,snap_lat,\n"
    "                       snap_distance_m,status\n"
    "  --max-snap M         how far (m) a zone's point may be from a usable way (default 1000)\n"
    "  --metric, --vehicle, --no-ch: as for corridor route\n"
    "  --depart T           every zone pair leaves at T (naive local time): conditional bans\n"
    "                       and speeds count as they hold when each route reaches them (time\n"
    "                       metric only; one time-dependent search per pair)\n"
    "  --holidays LIST      the public holidays (PH) as YYYY-MM-DD dates, ',' between them\n\n"
    "The zones are read as every planning command reads them (docs/zoning.md):\n" CLI_ZONING_HELP;

/* The id of zone I: its name when it has one, else its feature id. */
static void
zone_id(FILE *f, const struct cr_zones *z, size_t i)
{
    if (z->zones[i].name && z->zones[i].name[0])
        cr_csv_field(f, z->zones[i].name);
    else
        fprintf(f, "%" PRId64, z->zones[i].fid);
}

/* The table as CSV, the measures as every command writes them (routing/measure.h). */
static char *
format_cells(const struct cr_zones *z, const struct cr_skim *s, const char *currency, size_t *len)
{
    char *text = NULL, fields[256];
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    fputs("from_zone,to_zone," CR_MEASURES_CSV_HEADER ",status\n", f);
    for (size_t i = 0; i < s->count; i++)
        for (size_t j = 0; j < s->count; j++) {
            enum cr_skim_status st = cr_skim_cell_status(s, i, j);
            const struct cr_cell *c = &s->cells[i * s->count + j];
            const struct cr_measures v = { c->distance_m, c->duration_s, c->cost, c->co2_kg };
            zone_id(f, z, i);
            fputc(',', f);
            zone_id(f, z, j);
            cr_measures_csv(fields, sizeof fields, st == CR_SKIM_OK ? &v : NULL, currency);
            fprintf(f, ",%s,%s\n", fields, cr_skim_status_name(st));
        }
    if (fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

static char *
format_points(const struct cr_zones *z, const struct cr_skim *s, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    fputs("zone,lon,lat,snap_lon,snap_lat,snap_distance_m,status\n", f);
    for (size_t i = 0; i < s->count; i++) {
        const struct cr_skim_point *p = &s->points[i];
        zone_id(f, z, i);
        fprintf(f, ",%.7f,%.7f", cr_e7_to_deg(p->lon_e7), cr_e7_to_deg(p->lat_e7));
        if (p->placed)
            fprintf(f, ",%.7f,%.7f,%.1f,ok\n", cr_e7_to_deg(p->place.snap.lon_e7),
                    cr_e7_to_deg(p->place.snap.lat_e7),
                    cr_measure_round(CR_MEASURE_DISTANCE, p->place.snap.distance_m, NULL));
        else
            fputs(",,,,no_segment\n", f);
    }
    if (fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

int
cmd_skim(int argc, char **argv)
{
    enum { O_POINTS = CLI_O_ZONES_END, O_DEPART, O_HOLIDAYS };
    static const struct option longopts[] = {
        CLI_ZONES_LONGOPTS,
        CLI_SESSION_LONGOPTS,
        { "points", required_argument, NULL, O_POINTS },
        { "depart", required_argument, NULL, O_DEPART },
        { "holidays", required_argument, NULL, O_HOLIDAYS },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cli_session_options so = { 0 };
    struct cli_session s;
    struct cr_zones_options zo = { 0 };
    struct cr_zones *z = NULL;
    struct cr_skim skim = { 0 };
    struct cr_error err = { 0 };
    const char *output = NULL, *points = NULL;
    char *text = NULL;
    size_t len = 0;
    int c, rc, timed = 0;
    int64_t depart = 0;
    int32_t ph[366];
    size_t nph = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (cli_zoning_option(c, optarg, &zo))
            continue;
        if ((rc = cli_session_option("skim", c, optarg, &so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case O_POINTS:
            points = optarg;
            break;
        case O_DEPART:
            if (cr_cond_parse_time(optarg, &depart))
                return cli_usage_error("skim", "--depart \"%s\": want YYYY-MM-DDTHH:MM", optarg);
            timed = 1;
            break;
        case O_HOLIDAYS:
            nph = sizeof ph / sizeof *ph;
            if (cr_cond_parse_dates(optarg, ph, &nph))
                return cli_usage_error("skim", "--holidays \"%s\": want YYYY-MM-DD,...", optarg);
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("skim", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("skim", "want exactly one NETWORK file");
    if (!zo.path)
        return cli_usage_error("skim", "want --zones FILE");
    if (!so.profile)
        return cli_usage_error("skim", "want --profile P");
    so.network = argv[optind];
    if ((rc = cli_check_writable("skim", output)) || (rc = cli_check_writable("skim", points)))
        return rc;
    if (cr_zones_load(&zo, &z, &err))
        return cli_fail("skim", &err);
    if ((rc = cli_session_open(&s, "skim", &so))) {
        cr_zones_destroy(z);
        return rc;
    }
    if ((timed || nph) && cr_router_set_depart(s.router, timed, depart, ph, nph, &err)) {
        rc = cli_usage_error("skim", "%s", err.msg);
        goto done;
    }
    if (cr_skim_run(z, s.router, &skim, &err)) {
        rc = cli_fail("skim", &err);
        goto done;
    }
    if (skim.placed < skim.count)
        fprintf(stderr,
                "corridor skim: note: %zu of %zu zones lie farther than %.0f m from any way the "
                "%s profile may use (status no_segment)\n",
                skim.count - skim.placed, skim.count, cr_session_max_snap_m(s.session),
                s.profile.name);
    if (points) {
        if (!(text = format_points(z, &skim, &len))) {
            fprintf(stderr, "corridor skim: out of memory\n");
            rc = CLI_EXIT_INPUT;
            goto done;
        }
        if ((rc = cli_write_output("skim", points, text, len)))
            goto done;
        free(text);
        text = NULL;
    }
    if (!(text = format_cells(z, &skim, s.profile.currency, &len))) {
        fprintf(stderr, "corridor skim: out of memory\n");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    rc = cli_write_output("skim", output, text, len);
done:
    free(text);
    cr_skim_fini(&skim);
    cli_session_close(&s);
    cr_zones_destroy(z);
    return rc;
}
