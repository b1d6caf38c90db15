/* corridor access NETWORK --zones Z --opportunities FIELD --minutes 30,45,60 --profile P
 *                 [--decay exp:0.05] [--compare SCENARIO.corr] [-o ACCESS.csv|.gpkg] */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/planning_io.h"
#include "cli/session.h"
#include "cli/zoning_opts.h"
#include "planning/access.h"
#include "planning/skim.h"
#include "spatial/zones.h"

static const char usage_text[] =
    "usage: corridor access NETWORK --zones ZONES --opportunities FIELD|area:CLASS[,CLASS...]\n"
    "                       --minutes 30,45,60 --profile P [--metric M] [--decay exp:B|power:A]\n"
    "                       [--compare SCENARIO.corr] [-o ACCESS.csv|ACCESS.gpkg]\n"
    "                       [zoning options] [--vehicle ...] [--no-ch] [--max-snap M]\n\n"
    "Accessibility: for every zone, the opportunities of every zone reachable from it within\n"
    "each threshold (cumulative opportunities), from the zone-to-zone skim of corridor skim;\n"
    "with --decay also the gravity measure sum_j O_j * f(t_ij). A zone reaches its own\n"
    "opportunities at 0 minutes; unreachable pairs count nothing. See docs/access.md.\n\n"
    "  --opportunities F    a numeric field of the zones (jobs, population...); or area:CLASS,...\n"
    "                       the area in ha of the zones of those classes (area:* every class):\n"
    "                       for OSM landuse, a proxy, not jobs, and labelled so in the output\n"
    "  --minutes LIST       thresholds in minutes, (0, 1440], at most 16\n"
    "  --decay exp:BETA     also f(t) = exp(-BETA * t); power:ALPHA: f(t) = max(t, 1)^-ALPHA\n"
    "                       (t in minutes)\n"
    "  --compare FILE       the same on a second network (a scenario): each measure as\n"
    "                       _before, _after and _change (after - before)\n"
    "  -o FILE              .gpkg: the zone polygons with the measures (layer access, for\n"
    "                       corridor render --zones FILE --value-field within_30min); else CSV\n"
    "                       (default: CSV on stdout)\n"
    "  --metric, --vehicle, --no-ch, --max-snap: as for corridor skim\n\n"
    "The zones are read as every planning command reads them (docs/zoning.md):\n" CLI_ZONING_HELP;

struct access_args {
    struct cli_session_options so;
    struct cr_zones_options zo;
    struct cr_access_source source;
    struct cr_access_options options;
    const char *output, *compare, *opportunities, *minutes, *decay;
};

/* The command line into A; -1 when all is well, else the exit code. */
static int
parse_args(int argc, char **argv, struct access_args *a)
{
    enum { O_OPP = CLI_O_ZONES_END, O_MINUTES, O_DECAY, O_COMPARE };
    static const struct option longopts[] = {
        CLI_ZONES_LONGOPTS,
        CLI_SESSION_LONGOPTS,
        { "opportunities", required_argument, NULL, O_OPP },
        { "minutes", required_argument, NULL, O_MINUTES },
        { "decay", required_argument, NULL, O_DECAY },
        { "compare", required_argument, NULL, O_COMPARE },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cr_error err = { 0 };
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (cli_zoning_option(c, optarg, &a->zo))
            continue;
        if ((rc = cli_session_option("access", c, optarg, &a->so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case O_OPP:
            a->opportunities = optarg;
            break;
        case O_MINUTES:
            a->minutes = optarg;
            break;
        case O_DECAY:
            a->decay = optarg;
            break;
        case O_COMPARE:
            a->compare = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("access", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("access", "want exactly one NETWORK file");
    if (!a->zo.path)
        return cli_usage_error("access", "want --zones FILE");
    if (!a->so.profile)
        return cli_usage_error("access", "want --profile P");
    if (!a->opportunities)
        return cli_usage_error("access", "want --opportunities FIELD or area:CLASS");
    if (!a->minutes)
        return cli_usage_error("access", "want --minutes LIST");
    if (cr_access_source_parse(a->opportunities, &a->source, &err) ||
        cr_access_parse_minutes(a->minutes, &a->options, &err) ||
        (a->decay && cr_access_parse_decay(a->decay, &a->options.decay, &err)))
        return cli_usage_error("access", "%s", err.msg);
    a->so.network = argv[optind];
    return -1;
}

/* The skim of Z on NETWORK and the accessibility from it into OUT. */
static int
run_network(const struct access_args *a, const char *network, const struct cr_zones *z,
            const double *opp, struct cr_access_result *out)
{
    struct cli_session_options so = a->so;
    struct cli_session s;
    struct cr_skim skim = { 0 };
    struct cr_error err = { 0 };
    int rc;

    so.network = network;
    if ((rc = cli_session_open(&s, "access", &so)))
        return rc;
    if (cr_skim_run(z, s.router, &skim, &err) ||
        cr_access_compute(&skim, opp, &a->options, out, &err)) {
        rc = cli_fail("access", &err);
    } else if (skim.placed < skim.count) {
        fprintf(stderr,
                "corridor access: note: %s: %zu of %zu zones lie farther than %.0f m from any "
                "way the %s profile may use (status no_segment: they reach only themselves)\n",
                network, skim.count - skim.placed, skim.count, cr_session_max_snap_m(s.session),
                s.profile.name);
    }
    cr_skim_fini(&skim);
    cli_session_close(&s);
    return rc;
}

static int
is_gpkg(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 5 && !strcasecmp(path + n - 5, ".gpkg");
}

/* The report to -o (GeoPackage or CSV). */
static int
write_report(const struct access_args *a, const struct cr_access_report *r)
{
    struct cr_error err = { 0 };
    size_t len = 0;
    char *text;
    int rc;

    if (is_gpkg(a->output))
        return cr_access_write_gpkg(r, a->output, &err) ? cli_fail("access", &err) : CLI_EXIT_OK;
    if (!(text = cr_access_csv(r, &len))) {
        fprintf(stderr, "corridor access: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    rc = cli_write_output("access", a->output, text, len);
    free(text);
    return rc;
}

int
cmd_access(int argc, char **argv)
{
    struct access_args a = { 0 };
    const char *fields[2] = { NULL, NULL };
    struct cr_zones *z = NULL;
    struct cr_access_result before = { 0 }, after = { 0 };
    struct cr_error err = { 0 };
    double *opp = NULL;
    size_t missing = 0;
    int rc;

    if ((rc = parse_args(argc, argv, &a)) >= 0)
        return rc;
    if ((rc = cli_check_writable("access", a.output)))
        return rc;
    if (a.compare && access(a.compare, R_OK) != 0) { /* before the first network's long run */
        fprintf(stderr, "corridor access: %s: %s\n", a.compare, strerror(errno));
        return CLI_EXIT_INPUT;
    }
    if (!a.source.area) {
        fields[0] = a.source.field;
        a.zo.value_fields = fields;
    }
    if (cr_zones_load(&a.zo, &z, &err))
        return cli_fail("access", &err);
    if (!(opp = calloc(z->count ? z->count : 1, sizeof *opp))) {
        cr_zones_destroy(z);
        fprintf(stderr, "corridor access: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    if (cr_access_opportunities(z, &a.source, opp, &missing, &err)) {
        rc = cli_fail("access", &err);
        goto done;
    }
    if (a.source.area) {
        double total = 0;
        for (size_t i = 0; i < z->count; i++)
            total += opp[i];
        if (total == 0)
            fprintf(stderr, "corridor access: note: no zone of %s has class %s: every count is 0\n",
                    z->source_path, a.opportunities + 5);
    }
    if (missing)
        fprintf(stderr, "corridor access: note: %zu of %zu zones have no number in %s (0 there)\n",
                missing, z->count, a.source.field);
    if ((rc = run_network(&a, a.so.network, z, opp, &before)) ||
        (a.compare && (rc = run_network(&a, a.compare, z, opp, &after))))
        goto done;
    rc = write_report(&a, &(struct cr_access_report){ z, &a.source, &a.options, &before,
                                                      a.compare ? &after : NULL });
done:
    cr_access_fini(&before);
    cr_access_fini(&after);
    free(opp);
    cr_zones_destroy(z);
    return rc;
}
