/* corridor scenario BASE.corr -o SCENARIO.corr [--add LINES] [--interchanges POINTS] ... */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "importers/scenario/scenario.h"

static const char usage_text[] =
    "usage: corridor scenario BASE.corr -o SCENARIO.corr [--add LINES] [--interchanges POINTS]\n"
    "                         [--close LINES|POLYGONS] [--join-radius M] [--name NAME]\n"
    "                         [--set SPEC]... [--terminals FILE] [--s-srs CRS]\n\n"
    "A new network file: BASE with proposed ways added and roads closed (docs/scenario.md).\n"
    "Every command reads it as it reads an imported network.\n\n"
    "  --add LINES          any line layer GDAL reads; each feature is a new way whose fields\n"
    "                       are read as OSM tags: highway (default trunk), maxspeed, lanes,\n"
    "                       oneway (yes, no, -1), name, ref, toll, maxweight, maxheight, hgv,\n"
    "                       motorcycle, ...; railway=rail or waterway=canal for rail and water\n"
    "  --interchanges PTS   a point layer: each links the nearest point of a new way to the\n"
    "                       nearest node of the network, both within the join radius\n"
    "  --close GEOMS        lines or polygons: road segments along the lines (6 of 10 points\n"
    "                       within 5 m) or inside the polygons (6 of 10 points) are closed\n"
    "  --set SPEC           change tags of existing road ways (repeatable):\n"
    "                       'way/ID:maxspeed=80,lanes=4' (every record of OSM way ID) or\n"
    "                       'LAYER:maxspeed=40' (every road way with a segment inside the\n"
    "                       layer's polygons, 6 of 10 points); keys: "
    "maxspeed[:forward|:backward],\n"
    "                       lanes, oneway, access, vehicle, motor_vehicle, motorcar, motorcycle,\n"
    "                       hgv, maxweight, maxaxleload, maxheight, maxwidth, maxlength, toll\n"
    "  --terminals FILE     new terminals (CSV or GeoJSON, as import --terminals): each joins the\n"
    "                       nearest node of each mode it serves within the transfer radius,\n"
    "                       new ways of the scenario included\n"
    "  --join-radius M      how far ends and interchanges may join (default 50)\n"
    "  --name NAME          the scenario's name in the provenance (default: the output's name)\n"
    "  --s-srs CRS          the layers' CRS when they have none, or to override theirs\n\n"
    "New ways join the network only at their ends, at the interchanges and where a vertex lies\n"
    "within 1 m of a network node; everywhere else they cross without joining (bridges).\n";

static int
run(const struct cr_scenario_options *o)
{
    struct cr_scenario_stats st;
    struct cr_error err = { 0 };

    if (cr_scenario_build(o, &st, &err))
        return cli_fail("scenario", &err);
    printf("%s: %.2f km added (%u ways, %u segments), %u interchanges joined, %u ends joined",
           o->output, st.km_added, st.ways_added, st.segments_added, st.interchanges, st.end_joins);
    if (st.ends_open)
        printf(" (%u ends found no road within the join radius)", st.ends_open);
    printf(", %.2f km closed (%u segments)", st.km_closed, st.segments_closed);
    if (o->set_count)
        printf(", %.2f km re-tagged (%u ways)", st.km_set, st.ways_set);
    if (o->terminals)
        printf(", %u terminals added", st.terminals_added);
    if (st.terminals_partly_linked)
        printf(" (%u not joined to every mode they serve)", st.terminals_partly_linked);
    printf("\n");
    return CLI_EXIT_OK;
}

/* Parses the options into O (SETS has room for argc specs); -1, or the exit code. */
static int
parse(int argc, char **argv, struct cr_scenario_options *po, const char **sets)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "add", required_argument, NULL, 'a' },
        { "interchanges", required_argument, NULL, 'i' },
        { "close", required_argument, NULL, 'c' },
        { "join-radius", required_argument, NULL, 'r' },
        { "name", required_argument, NULL, 'n' },
        { "s-srs", required_argument, NULL, 's' },
        { "set", required_argument, NULL, 'S' },
        { "terminals", required_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cr_scenario_options o = { 0 };
    char *end;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o.output = optarg;
            break;
        case 'a':
            o.add = optarg;
            break;
        case 'i':
            o.interchanges = optarg;
            break;
        case 'c':
            o.close = optarg;
            break;
        case 'r':
            o.join_radius_m = strtod(optarg, &end);
            if (end == optarg || *end || !isfinite(o.join_radius_m) || o.join_radius_m <= 0 ||
                o.join_radius_m > 10000)
                return cli_usage_error("scenario",
                                       "--join-radius: \"%s\" is not metres in (0, 10000]", optarg);
            break;
        case 'n':
            o.name = optarg;
            break;
        case 's':
            o.s_srs = optarg;
            break;
        case 'T':
            o.terminals = optarg;
            break;
        case 'S':
            sets[o.set_count++] = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("scenario", "bad option");
        }
    }
    o.set = sets;
    if (optind != argc - 1)
        return cli_usage_error("scenario", "want exactly one BASE network file");
    if (!o.output)
        return cli_usage_error("scenario", "-o SCENARIO.corr is required");
    if (!o.add && !o.close && !o.set_count && !o.terminals)
        return cli_usage_error("scenario",
                               "nothing to change: give --add, --close, --set or --terminals");
    if (o.interchanges && !o.add)
        return cli_usage_error("scenario", "--interchanges needs --add");
    o.base = argv[optind];
    *po = o;
    return -1;
}

int
cmd_scenario(int argc, char **argv)
{
    struct cr_scenario_options o;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    int rc;

    if (!sets)
        return cli_usage_error("scenario", "out of memory");
    if ((rc = parse(argc, argv, &o, sets)) < 0)
        rc = run(&o);
    free(sets);
    return rc;
}
