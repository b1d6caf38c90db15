/* corridor demand gravity NETWORK --zones Z --profile P --total TRIPS [...] -o OD.csv: a
 * SYNTHETIC gravity demand (planning/gravity.h). Option parsing and printing only. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/planning_io.h"
#include "cli/session.h"
#include "cli/zoning_opts.h"
#include "core/csv.h"
#include "planning/compare.h"
#include "planning/gravity.h"
#include "planning/skim.h"
#include "spatial/zones.h"

#define MAX_WEIGHTS 32

static const char usage_text[] =
    "usage: corridor demand gravity NETWORK --zones ZONES --profile P --total TRIPS\n"
    "                       [--beta B] [--production class|area] [--weight WORD=P,A ...]\n"
    "                       [--tolerance T] [--max-iter N] [--name-field F] [--class-field F]\n"
    "                       [--layer L] [--s-srs CRS] [--work-crs CRS] [--encoding ENC]\n"
    "                       [--vehicle ...] [--no-ch] [--max-snap M] [-o OD.csv]\n\n"
    "A SYNTHETIC demand, made up from land use and travel times (not surveyed, not calibrated):\n"
    "for testing and demonstrating assignment where no real OD matrix exists. A doubly\n"
    "constrained gravity model: each zone produces and attracts trips in proportion to its area\n"
    "times a weight of its land-use class (residential produces; commercial, retail, industrial,\n"
    "education attract); trips T_ij = a_i b_j P_i A_j exp(-B t_ij), t_ij the zone-to-zone time\n"
    "in minutes as `corridor skim` measures it, Furness-balanced until rows and columns match\n"
    "(no trips within a zone, none between zones without a route). See docs/assignment.md,\n"
    "\"Synthetic gravity demand\".\n\n"
    "CSV output: from_zone,to_zone,trips, the pairs with trips, zone ids as corridor skim and\n"
    "corridor compare --demand name them (the --name-field value, else the feature id); the\n"
    "trips add up to TRIPS.\n\n"
    "  --total TRIPS        trips in all (for the period the demand stands for)\n"
    "  --beta B             the decay per minute (default 0.1)\n"
    "  --production M       class (default: area x class weight) or area (area at both ends)\n"
    "  --weight WORD=P,A    classes containing WORD produce P and attract A per m2 (before the\n"
    "                       defaults; repeatable)\n"
    "  --tolerance T        relative row and column error to stop at (default 1e-9)\n"
    "  --max-iter N         Furness iterations at most (default 1000)\n"
    "  --max-snap M, --vehicle, --no-ch: as for corridor skim\n\n"
    "The zones are read as every planning command reads them (docs/zoning.md):\n" CLI_ZONING_HELP;

struct demand_args {
    struct cli_session_options so;
    struct cr_zones_options zo;
    struct cr_gravity_options go;
    const char *output;
    int by_area;
    struct cr_gravity_weight weights[MAX_WEIGHTS + 64];
    char *weight_words[MAX_WEIGHTS];
    size_t weight_count;
};

/* WORD=P,A into A's weights: 0, or -1 when malformed. */
static int
parse_weight(const char *text, struct demand_args *a)
{
    const char *eq = strchr(text, '=');
    char *end, *end2;
    double p, at;

    if (!eq || eq == text || a->weight_count == MAX_WEIGHTS)
        return -1;
    errno = 0;
    p = strtod(eq + 1, &end);
    if (end == eq + 1 || *end != ',')
        return -1;
    at = strtod(end + 1, &end2);
    if (end2 == end + 1 || *end2 || errno || !(p >= 0) || !(at >= 0) || !isfinite(p) ||
        !isfinite(at))
        return -1;
    if (!(a->weight_words[a->weight_count] = strndup(text, (size_t)(eq - text))))
        return -1;
    a->weights[a->weight_count] =
        (struct cr_gravity_weight){ a->weight_words[a->weight_count], p, at };
    a->weight_count++;
    return 0;
}

/* A number above 0 from TEXT into *OUT: 0, or -1. */
static int
parse_positive(const char *text, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    return end != text && !*end && !errno && isfinite(*out) && *out > 0 ? 0 : -1;
}

enum {
    O_TOTAL = CLI_O_ZONES_END,
    O_BETA,
    O_PRODUCTION,
    O_WEIGHT,
    O_TOLERANCE,
    O_MAX_ITER,
};

/* One option: -1 to go on, else the exit code. */
static int
take_option(int c, char *arg, struct demand_args *a)
{
    unsigned long n;
    int rc;

    if (cli_zoning_option(c, arg, &a->zo))
        return -1;
    if ((rc = cli_session_option("demand", c, arg, &a->so)) >= 0)
        return rc ? rc : -1;
    switch (c) {
    case O_TOTAL:
    case O_BETA:
    case O_TOLERANCE:
        if (parse_positive(arg, c == O_TOTAL  ? &a->go.total
                                : c == O_BETA ? &a->go.beta
                                              : &a->go.tolerance))
            return cli_usage_error("demand", "%s \"%s\": want a number above 0",
                                   c == O_TOTAL  ? "--total"
                                   : c == O_BETA ? "--beta"
                                                 : "--tolerance",
                                   arg);
        break;
    case O_PRODUCTION:
        if (strcmp(arg, "class") && strcmp(arg, "area"))
            return cli_usage_error("demand", "--production \"%s\": want class or area", arg);
        a->by_area = !strcmp(arg, "area");
        break;
    case O_WEIGHT:
        if (parse_weight(arg, a))
            return cli_usage_error("demand",
                                   "--weight \"%s\": want WORD=P,A with P, A >= 0 (at most %d)",
                                   arg, MAX_WEIGHTS);
        break;
    case O_MAX_ITER:
        if (cli_parse_count(arg, 1, 1000000, &n))
            return cli_usage_error("demand", "--max-iter \"%s\": want 1 to 1000000", arg);
        a->go.max_iter = n;
        break;
    case 'o':
        a->output = arg;
        break;
    case 'h':
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    default:
        return cli_usage_error("demand", "bad option");
    }
    return -1;
}

static int
parse_args(int argc, char **argv, struct demand_args *a)
{
    static const struct option longopts[] = {
        CLI_ZONES_LONGOPTS,
        CLI_SESSION_LONGOPTS,
        { "total", required_argument, NULL, O_TOTAL },
        { "beta", required_argument, NULL, O_BETA },
        { "production", required_argument, NULL, O_PRODUCTION },
        { "weight", required_argument, NULL, O_WEIGHT },
        { "tolerance", required_argument, NULL, O_TOLERANCE },
        { "max-iter", required_argument, NULL, O_MAX_ITER },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1)
        if ((rc = take_option(c, optarg, a)) >= 0)
            return rc;
    if (optind != argc - 1)
        return cli_usage_error("demand gravity", "want exactly one NETWORK file");
    if (!a->zo.path)
        return cli_usage_error("demand gravity", "want --zones FILE");
    if (!a->so.profile)
        return cli_usage_error("demand gravity", "want --profile P");
    if (!(a->go.total > 0))
        return cli_usage_error("demand gravity", "want --total TRIPS");
    a->so.network = argv[optind];
    /* the caller's weights first, then the defaults */
    size_t k = a->weight_count;
    for (size_t i = 0; cr_gravity_default_weights[i].word; i++)
        a->weights[k++] = cr_gravity_default_weights[i];
    a->weights[k] = (struct cr_gravity_weight){ NULL, 0, 0 };
    return cli_check_writable("demand", a->output) ? CLI_EXIT_INPUT : -1;
}

/* The CSV of G's pairs with trips. caller frees: free() */
static char *
format_trips(const struct cr_zones *z, const struct cr_gravity *g, size_t *len)
{
    char *text = NULL, from[256], to[256];
    FILE *f = open_memstream(&text, len);
    size_t n = g->count;

    if (!f)
        return NULL;
    fputs("from_zone,to_zone,trips\n", f);
    for (size_t i = 0; i < n; i++) {
        cr_compare_zone_id(z, i, from, sizeof from);
        for (size_t j = 0; j < n; j++) {
            double t = g->trips[i * n + j];
            if (!(t > 0))
                continue;
            cr_compare_zone_id(z, j, to, sizeof to);
            cr_csv_field(f, from);
            fputc(',', f);
            cr_csv_field(f, to);
            fprintf(f, ",%.10g\n", t);
        }
    }
    if (fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

/* Weights, skim, gravity, CSV: the exit code. */
static int
run(struct demand_args *a, const struct cr_zones *z, struct cli_session *s)
{
    struct cr_skim skim = { 0 };
    struct cr_gravity g = { 0 };
    struct cr_error err = { 0 };
    double *p = malloc((z->count ? z->count : 1) * sizeof *p);
    double *at = malloc((z->count ? z->count : 1) * sizeof *at), *t = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = CLI_EXIT_INPUT;

    if (!p || !at) {
        cr_error_set(&err, CR_ENOMEM, "out of memory");
        goto fail;
    }
    if (cr_gravity_zone_weights(z, a->weights, a->by_area, p, at, &err) ||
        cr_skim_run(z, s->router, &skim, &err))
        goto fail;
    if (!(t = cr_gravity_skim_minutes(&skim))) {
        cr_error_set(&err, CR_ENOMEM, "out of memory");
        goto fail;
    }
    if (cr_gravity_run(z->count, p, at, t, &a->go, &g, &err))
        goto fail;
    fprintf(stderr,
            "corridor demand: SYNTHETIC gravity demand: %g trips between %zu zones (%zu placed, "
            "%zu dropped without a reachable partner), beta %g/min, Furness %zu iterations, "
            "largest error %.2g%s\n",
            a->go.total, z->count, skim.placed, g.zones_dropped, a->go.beta > 0 ? a->go.beta : 0.1,
            g.iterations, g.max_error, g.converged ? "" : " (NOT converged)");
    if (!(text = format_trips(z, &g, &len))) {
        cr_error_set(&err, CR_ENOMEM, "out of memory");
        goto fail;
    }
    rc = cli_write_output("demand", a->output, text, len);
    goto done;
fail:
    rc = cli_fail("demand", &err);
done:
    free(text);
    free(t);
    free(p);
    free(at);
    cr_gravity_fini(&g);
    cr_skim_fini(&skim);
    return rc;
}

int
cmd_demand(int argc, char **argv)
{
    struct demand_args a;
    struct cli_session s;
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };
    int rc;

    memset(&a, 0, sizeof a);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "gravity"))
        return cli_usage_error("demand", "unknown method \"%s\" (want gravity)", argv[1]);
    if ((rc = parse_args(argc - 1, argv + 1, &a)) >= 0)
        goto done;
    if (cr_zones_load(&a.zo, &z, &err)) {
        rc = cli_fail("demand", &err);
        goto done;
    }
    if ((rc = cli_session_open(&s, "demand", &a.so)))
        goto done;
    rc = run(&a, z, &s);
    cli_session_close(&s);
done:
    cr_zones_destroy(z);
    for (size_t i = 0; i < a.weight_count; i++)
        free(a.weight_words[i]);
    return rc;
}
