/* corridor import INPUT -o NETWORK.corr [--modes road,rail,water] [--terminals FILE] ... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/graph.h"
#include "core/progress.h"
#include "importers/osm/osm_import.h"

static const char usage_text[] =
    "usage: corridor import INPUT -o NETWORK.corr [--modes road,rail,water] [--terminals FILE]\n"
    "                       [--transfer-radius road=500,rail=500,water=1000] [--quiet]\n\n"
    "Reads OpenStreetMap data (.osm.pbf, .osm, .osm.bz2, .osm.gz) into one multimodal network\n"
    "file: roads and ferries, railways, navigable waterways, and terminals (rail stations and\n"
    "yards, ports and quays, and those in --terminals) joined to each mode by transfer edges.\n\n"
    "  -o, --output FILE        the network file to write (written whole or not at all)\n"
    "  --modes LIST             modes to import (default road,rail,water)\n"
    "  --terminals FILE         extra terminals: GeoJSON points or CSV with name,lon,lat,modes\n"
    "                           [,handling_time,handling_cost,kind]\n"
    "  --transfer-radius LIST   how far (m) a terminal may be from each mode's nearest node\n"
    "  -q, --quiet              no progress bar, no summary\n";

static int
parse_radius(const char *text, struct cr_import_options *opt)
{
    char buf[256];

    snprintf(buf, sizeof buf, "%s", text);
    for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(w, '='), *end;
        double r;
        unsigned g;
        if (!eq)
            return -1;
        *eq = '\0';
        g = cli_parse_modes(w);
        r = strtod(eq + 1, &end);
        if (!g || (g & (g - 1)) || *end || !(r > 0) || r > 100000)
            return -1;
        for (int i = 0; i < CR_GROUP_COUNT; i++)
            if (g == 1u << i)
                opt->radius_m[i] = r;
    }
    return 0;
}

static void
on_phase(void *user, const char *name)
{
    cr_progress_phase(user, name);
}

int
cmd_import(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "modes", required_argument, NULL, 'm' },
        { "terminals", required_argument, NULL, 't' },
        { "transfer-radius", required_argument, NULL, 'r' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cr_import_options opt = { 0 };
    struct cr_import_stats stats;
    struct cr_progress progress;
    struct cr_error err = { 0 };
    const char *output = NULL, *input;
    int quiet = 0, c;
    double started = cr_now();

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'm':
            opt.modes = cli_parse_modes(optarg);
            if (!opt.modes)
                return cli_usage_error("import", "--modes \"%s\": want a list of road, rail, water",
                                       optarg);
            break;
        case 't':
            opt.terminals_path = optarg;
            break;
        case 'r':
            if (parse_radius(optarg, &opt))
                return cli_usage_error(
                    "import", "--transfer-radius \"%s\": want e.g. road=500,water=1000", optarg);
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("import", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("import", "want exactly one INPUT file");
    if (!output)
        return cli_usage_error("import", "missing -o NETWORK.corr");
    input = argv[optind];

    cr_progress_init(&progress, quiet);
    opt.phase = on_phase;
    opt.progress = cr_progress_update;
    opt.progress_user = &progress;
    if (cr_osm_import(input, output, &opt, &stats, &err)) {
        cr_progress_done(&progress);
        return cli_fail("import", &err);
    }
    cr_progress_done(&progress);
    if (!quiet) {
        fprintf(stderr,
                "%s -> %s: ways road %llu, rail %llu, water %llu, ferry %llu; %llu terminals; "
                "%llu turn restrictions; %.2f s\n",
                input, output, (unsigned long long)stats.ways_by_mode[CR_MODE_ROAD],
                (unsigned long long)stats.ways_by_mode[CR_MODE_RAIL],
                (unsigned long long)stats.ways_by_mode[CR_MODE_WATER],
                (unsigned long long)stats.ways_by_mode[CR_MODE_FERRY],
                (unsigned long long)stats.ways_by_mode[CR_MODE_TRANSFER],
                (unsigned long long)stats.restrictions, cr_now() - started);
        if (stats.missing_nodes)
            fprintf(stderr,
                    "note: %llu way node references are not in the file (ways cut at "
                    "the extract's edge); those ways were split there\n",
                    (unsigned long long)stats.missing_nodes);
        if (stats.cond_tags || stats.cond_restrictions || stats.cond_unparsed || stats.cond_other)
            fprintf(stderr,
                    "conditional: %llu way tags and %llu turn restrictions kept, %llu not "
                    "parsed, %llu other *:conditional keys not read%s%s\n",
                    (unsigned long long)stats.cond_tags,
                    (unsigned long long)stats.cond_restrictions,
                    (unsigned long long)stats.cond_unparsed, (unsigned long long)stats.cond_other,
                    stats.cond_first_unparsed[0] ? "; first not parsed: " : "",
                    stats.cond_first_unparsed);
    }
    return CLI_EXIT_OK;
}
