/* corridor: one command, many subcommands. No algorithm lives here. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/graph.h"
#include "corridor/version.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    { "import", cmd_import, "OpenStreetMap (.osm.pbf, .osm, .osm.bz2) into a network file" },
    { "info", cmd_info, "what a network file holds: nodes, edges by mode and class, terminals" },
    { "contract", cmd_contract, "contraction hierarchies for fast routes and matrices" },
    { "route", cmd_route,
      "the best route for a profile: car, motorcycle, truck, rail, barge, freight" },
    { "match", cmd_match, "map matching: a GPS trace (GPX, CSV) onto the network's roads" },
    { "matrix", cmd_matrix, "many-to-many travel times, distances, costs or CO2" },
    { "trip", cmd_trip,
      "the best order to visit points: round trip or fixed ends (as OSRM /trip)" },
    { "batch", cmd_batch, "routes for a file of OD pairs, on many threads, shardable" },
    { "serve", cmd_serve,
      "an HTTP server: the OSRM v1 API (route, table, nearest, trip) and isochrones" },
    { "zones", cmd_zones, "zoning / land-use polygon layers: what a layer holds" },
    { "landtake", cmd_landtake, "land taken by zoning class along a corridor" },
    { "skim", cmd_skim, "zone-to-zone travel times and distances" },
    { "demand", cmd_demand, "a SYNTHETIC gravity demand between land-use zones (OD CSV)" },
    { "assign", cmd_assign, "traffic assignment: user-equilibrium flows of an OD demand" },
    { "isochrone", cmd_isochrone, "areas reached within 10, 20, 30 minutes, as polygons" },
    { "compare", cmd_compare, "before and after: zone-to-zone changes between two networks" },
    { "access", cmd_access, "accessibility: opportunities reachable per zone, before and after" },
    { "render", cmd_render, "plan maps: PNG, PDF, SVG with legend, scale bar and title block" },
    { "tiles", cmd_tiles, "map tiles of a network (and zones) as an MBTiles file, offline" },
    { "scenario", cmd_scenario, "a network with proposed roads added and roads closed" },
};

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "corridor %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see corridor %s --help)\n", cmd);
    return CLI_EXIT_USAGE;
}

int
cli_fail(const char *cmd, const struct cr_error *err)
{
    fprintf(stderr, "corridor %s: %s\n", cmd, err->msg[0] ? err->msg : cr_status_name(err->code));
    return CLI_EXIT_INPUT;
}

unsigned
cli_parse_modes(const char *text)
{
    char buf[256];
    unsigned modes = 0;

    snprintf(buf, sizeof buf, "%s", text);
    for (char *save = NULL, *w = strtok_r(buf, ",; ", &save); w; w = strtok_r(NULL, ",; ", &save)) {
        if (!strcmp(w, "road"))
            modes |= 1u << CR_GROUP_ROAD;
        else if (!strcmp(w, "rail"))
            modes |= 1u << CR_GROUP_RAIL;
        else if (!strcmp(w, "water"))
            modes |= 1u << CR_GROUP_WATER;
        else
            return 0;
    }
    return modes;
}

int
cli_parse_count(const char *text, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long x;

    errno = 0;
    x = strtoul(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-' || x < min || x > max)
        return -1;
    *out = x;
    return 0;
}

int
cli_parse_max_snap(const char *cmd, const char *text, double *max_snap_m)
{
    char *end;
    double m = strtod(text, &end);

    if (end == text || *end || !(m > 0) || m > 1e7)
        return cli_usage_error(cmd, "--max-snap \"%s\": want metres, more than 0 and at most 1e7",
                               text);
    *max_snap_m = m;
    return 0;
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: corridor COMMAND [ARGS]\n\n"
                 "Spatial planning and logistics routing on OpenStreetMap data.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'corridor COMMAND --help' describes each command.\n"
                 "Exit status: 0 success, 1 bad input (one line on stderr), 2 usage error.\n");
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("corridor %s\n", CORRIDOR_VERSION_STRING);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "corridor: unknown command \"%s\" (see corridor --help)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
