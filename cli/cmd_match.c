/* corridor match NETWORK TRACE.gpx|TRACE.csv --profile P [-o OUT.geojson|.json|.gpkg] ... */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/session.h"
#include "importers/trace/trace.h"
#include "planning/match_write.h"
#include "routing/match.h"

static const char usage_text[] =
    "usage: corridor match NETWORK TRACE.gpx|TRACE.csv [--profile P] [--metric M]\n"
    "                      [--vehicle SPEC] [--no-ch] [--accuracy M] [--gaps split|ignore]\n"
    "                      [--tidy] [-o OUT.json|OUT.geojson|OUT.gpkg]\n\n"
    "Map matching: the GPS trace onto the network as the profile drives it (a hidden Markov\n"
    "model as OSRM's /match, docs/match.md). TRACE is a GPX file (its track points, with their\n"
    "times) or a CSV file with a header and lon,lat[,time] columns (time: seconds or ISO 8601).\n"
    "The trace is split into matchings where nothing joins two points or the times pause for\n"
    "more than 60 s. Out: each matching's route with its measures (as corridor route writes\n"
    "them) and its confidence, and every point with where it matched (JSON on stdout or -o\n"
    "FILE.json; -o FILE.geojson or FILE.gpkg: the lines and the points through GDAL).\n"
    "Nothing matched: exit 1.\n\n"
    "  --accuracy M     GPS accuracy, one standard deviation in metres (default 5): candidates\n"
    "                   are searched within 3 of them\n"
    "  --gaps G         split (default) at pauses over 60 s, or ignore them\n"
    "  --tidy           drop points within 15 m or 5 s of the last one kept first\n";

struct match_args {
    const char *trace, *output;
    struct cr_match_options o;
};

static int
parse_args(int argc, char **argv, struct cli_session_options *so, struct match_args *a)
{
    static const struct option longopts[] = {
        CLI_SESSION_LONGOPTS,
        { "accuracy", required_argument, NULL, 'a' },
        { "gaps", required_argument, NULL, 'g' },
        { "tidy", no_argument, NULL, 'T' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, rc;
    char *end;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if ((rc = cli_session_option("match", c, optarg, so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case 'a':
            a->o.sigma_m = strtod(optarg, &end);
            if (*end || !(a->o.sigma_m > 0 && a->o.sigma_m <= 1000))
                return cli_usage_error("match", "--accuracy \"%s\": want metres, 0 to 1000",
                                       optarg);
            break;
        case 'g':
            if (strcmp(optarg, "split") && strcmp(optarg, "ignore"))
                return cli_usage_error("match", "--gaps \"%s\": want split or ignore", optarg);
            a->o.gap_s = strcmp(optarg, "ignore") ? CR_MATCH_GAP_S : 0;
            break;
        case 'T':
            a->o.tidy = 1;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return -1;
        default:
            return cli_usage_error("match", "bad option");
        }
    }
    if (optind != argc - 2)
        return cli_usage_error("match", "want a NETWORK file and a TRACE file");
    so->network = argv[optind];
    a->trace = argv[optind + 1];
    return 0;
}

/* The extension of PATH ("" when none). */
static const char *
extension(const char *path)
{
    const char *base = strrchr(path, '/'), *dot = strrchr(base ? base + 1 : path, '.');
    return dot ? dot : "";
}

static int
write_result(const struct cli_session *s, const struct match_args *a, const struct cr_match *m,
             const struct cr_match_input *in)
{
    const char *ext = a->output ? extension(a->output) : ".json";
    struct cr_error err = { 0 };
    size_t len = 0, matched = 0;
    double km = 0;
    int rc;

    if (!strcasecmp(ext, ".geojson") || !strcasecmp(ext, ".gpkg")) {
        if (cr_match_write_vector(a->output, strcasecmp(ext, ".gpkg") ? "GeoJSON" : "GPKG",
                                  s->engine, m, in, &err))
            return cli_fail("match", &err);
        rc = 0;
    } else {
        char *text = cr_match_json_text(s->engine, m, in, &len);
        if (!text) {
            fprintf(stderr, "corridor match: out of memory\n");
            return CLI_EXIT_INPUT;
        }
        rc = cli_write_output("match", a->output, text, len);
        free(text);
    }
    for (size_t i = 0; i < m->point_count; i++)
        matched += m->points[i].matching >= 0;
    for (size_t k = 0; k < m->matching_count; k++)
        km += m->matchings[k].route.distance_m / 1000.0;
    if (!rc && a->output)
        fprintf(stderr, "%s: %zu matching(s), %zu of %zu points matched, %.2f km (%s)\n", a->output,
                m->matching_count, matched, m->point_count, km, s->profile.name);
    return rc;
}

int
cmd_match(int argc, char **argv)
{
    struct cli_session_options so = { 0 };
    struct match_args a = { NULL, NULL, CR_MATCH_OPTIONS_DEFAULT };
    struct cli_session s;
    struct cr_trace t;
    struct cr_match m;
    struct cr_error err = { 0 };
    const char *ext;
    int rc;

    if ((rc = parse_args(argc, argv, &so, &a)))
        return rc < 0 ? CLI_EXIT_OK : rc;
    ext = a.output ? extension(a.output) : ".json";
    if (strcasecmp(ext, ".json") && strcasecmp(ext, ".geojson") && strcasecmp(ext, ".gpkg") &&
        strcmp(a.output, "-"))
        return cli_usage_error("match", "-o \"%s\": want .json, .geojson or .gpkg", a.output);
    if (cr_trace_read(a.trace, &t, &err))
        return cli_fail("match", &err);
    if ((rc = cli_session_open(&s, "match", &so))) {
        cr_trace_fini(&t);
        return rc;
    }
    if (cr_match_run(s.router, t.lon_e7, t.lat_e7, t.time_s, NULL, t.count, &a.o, &m, &err)) {
        rc = cli_fail("match", &err);
    } else {
        struct cr_match_input in = { t.lon_e7, t.lat_e7, t.time_s, t.count };
        rc = write_result(&s, &a, &m, &in);
    }
    cr_match_fini(&m);
    cli_session_close(&s);
    cr_trace_fini(&t);
    return rc;
}
