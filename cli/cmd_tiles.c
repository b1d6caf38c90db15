/* corridor tiles NETWORK [--zones Z ...] [--style S] --zoom 10-16 [--bbox W,S,E,N] -o F.mbtiles */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/tile_opts.h"
#include "core/graph.h"
#include "core/progress.h"
#include "corridor/network.h"
#include "render/mbtiles.h"

static const char usage_text[] =
    "usage: corridor tiles NETWORK [--zones Z --class-field F] [--style S] --zoom 10-16\n"
    "                      [--bbox W,S,E,N] [--threads N] [--scale 1|2] [--name N] [--quiet]\n"
    "                      -o TILES.mbtiles\n\n"
    "The map tiles `corridor serve` answers at /tiles/{z}/{x}/{y}.png (Web Mercator, the plan\n"
    "map's style: zoning fills, water, roads by class, rail, terminals, labels), written as an\n"
    "MBTiles 1.3 file for offline use (QGIS, GDAL, phone apps), whole or not at all; a progress\n"
    "bar on a terminal. docs/tiles.md describes it all.\n\n"
    "  --zoom A-B          the zooms to write, 0..22 (one number: just that zoom)\n"
    "  --bbox W,S,E,N      the area, in degrees (default: the network's and zones' extent)\n"
    "  --threads N         drawing threads (default: the number of CPUs)\n"
    "  --scale 2           512-pixel tiles (the server's @2x) instead of 256\n"
    "  --name N            the tileset's name in the metadata (default: the file's stem)\n"
    "  -o, --output FILE   the .mbtiles file to write\n"
    "  -q, --quiet         no progress bar, no summary\n" CLI_TILE_HELP;

struct tiles_args {
    const char *network, *output, *name;
    unsigned min_zoom, max_zoom, scale, threads;
    int has_zoom, has_bbox, quiet;
    double bbox[4];
};

static int
parse_zoom(const char *text, struct tiles_args *a)
{
    char *end;
    long lo, hi;

    errno = 0;
    lo = strtol(text, &end, 10);
    hi = lo;
    if (end != text && *end == '-')
        hi = strtol(end + 1, &end, 10);
    if (end == text || *end || errno || lo < 0 || hi < lo || hi > CR_TILE_MAX_ZOOM)
        return cli_usage_error("tiles", "--zoom \"%s\": want A-B with 0 <= A <= B <= %d", text,
                               CR_TILE_MAX_ZOOM);
    a->min_zoom = (unsigned)lo;
    a->max_zoom = (unsigned)hi;
    a->has_zoom = 1;
    return 0;
}

static int
parse_bbox(const char *text, double b[4])
{
    const char *p = text;
    char *end = NULL;

    for (int i = 0; i < 4; i++) {
        errno = 0;
        b[i] = strtod(p, &end);
        if (end == p || errno || !isfinite(b[i]) || (i < 3 && *end != ','))
            return cli_usage_error("tiles", "--bbox \"%s\": want W,S,E,N in degrees", text);
        p = end + 1;
    }
    if (*end || !(b[0] < b[2] && b[1] < b[3]) || b[0] < -180 || b[2] > 180 || b[1] < -90 ||
        b[3] > 90)
        return cli_usage_error("tiles", "--bbox \"%s\": want W,S,E,N with W < E and S < N", text);
    return 0;
}

/* Option C with ARG into A; 0, or the exit code after a message. */
static int
tiles_option(int c, const char *arg, struct tiles_args *a)
{
    unsigned long x;

    switch (c) {
    case 'z':
        return parse_zoom(arg, a);
    case 'b':
        a->has_bbox = 1;
        return parse_bbox(arg, a->bbox);
    case 't':
        if (cli_parse_count(arg, 1, 64, &x))
            return cli_usage_error("tiles", "--threads \"%s\": want 1..64", arg);
        a->threads = (unsigned)x;
        return 0;
    case 's':
        if (cli_parse_count(arg, 1, 2, &x))
            return cli_usage_error("tiles", "--scale \"%s\": want 1 or 2", arg);
        a->scale = (unsigned)x;
        return 0;
    case 'n':
        a->name = arg;
        return 0;
    case 'o':
        a->output = arg;
        return 0;
    case 'q':
        a->quiet = 1;
        return 0;
    default:
        return cli_usage_error("tiles", "bad option");
    }
}

static int
write_tiles(const struct tiles_args *a, struct cli_tiles *t)
{
    struct cr_error err = { 0 };
    struct cr_graph *g = NULL;
    struct cr_tile_source *src = NULL;
    struct cr_progress bar;
    struct cr_mbtiles_options mo = { 0 };
    struct cr_mbtiles_result res;
    int rc = CLI_EXIT_INPUT;

    if (cli_tiles_load(t, &err) || !(g = cr_graph_open(a->network, &err)))
        goto done;
    t->layers.graph = cr_graph_view(g);
    if (!(src = cr_tile_source_create(&t->layers, &err)))
        goto done;
    cr_progress_init(&bar, a->quiet);
    cr_progress_phase(&bar, "tiles");
    mo.path = a->output;
    mo.name = a->name;
    mo.min_zoom = a->min_zoom;
    mo.max_zoom = a->max_zoom;
    mo.bbox = a->has_bbox ? a->bbox : NULL;
    mo.threads = a->threads;
    mo.scale = a->scale;
    mo.progress = cr_progress_update;
    mo.progress_user = &bar;
    if (cr_mbtiles_write(src, &mo, &res, &err))
        goto done;
    cr_progress_done(&bar);
    if (!a->quiet)
        fprintf(stderr,
                "corridor tiles: %s: %llu tiles (%llu metatiles) at zooms %u-%u, %.1f MB, "
                "bounds %.5f,%.5f,%.5f,%.5f\n",
                a->output, (unsigned long long)res.tiles, (unsigned long long)res.metatiles,
                a->min_zoom, a->max_zoom, res.bytes / 1e6, res.bounds[0], res.bounds[1],
                res.bounds[2], res.bounds[3]);
    rc = CLI_EXIT_OK;
done:
    if (rc)
        cli_fail("tiles", &err);
    cr_tile_source_destroy(src);
    cr_graph_close(g);
    return rc;
}

int
cmd_tiles(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "zoom", required_argument, NULL, 'z' },
        { "bbox", required_argument, NULL, 'b' },
        { "threads", required_argument, NULL, 't' },
        { "scale", required_argument, NULL, 's' },
        { "name", required_argument, NULL, 'n' },
        { "output", required_argument, NULL, 'o' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        CLI_TILE_LONGOPTS,
        { NULL, 0, NULL, 0 },
    };
    struct tiles_args a = { .scale = 1 };
    struct cli_tiles t = { .style_path = NULL };
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int c, rc;

    a.threads = cpus > 0 ? (unsigned)cpus : 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        }
        if (cli_tiles_option(c, optarg, &t))
            continue;
        if ((rc = tiles_option(c, optarg, &a)))
            return rc;
    }
    if (optind != argc - 1)
        return cli_usage_error("tiles", "want exactly one NETWORK file");
    a.network = argv[optind];
    if (!a.has_zoom)
        return cli_usage_error("tiles", "--zoom A-B is required (e.g. --zoom 10-16)");
    if (!a.output)
        return cli_usage_error("tiles", "-o FILE.mbtiles is required");
    rc = write_tiles(&a, &t);
    cli_tiles_fini(&t);
    return rc;
}
