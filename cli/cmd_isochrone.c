/* corridor isochrone NETWORK --from LON,LAT [--from ...] [--origins POINTS] --profile P ...
 *                   [--compare SCENARIO.corr] [--map ISO.png|pdf|svg [--title T]] */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_map.h"
#include "cli/planning_io.h"
#include "cli/session.h"
#include "importers/points/points.h"
#include "planning/isochrone.h"
#include "render/map.h"
#include "spatial/ctx.h"

#define MAX_FROM 1000

static const char usage_text[] =
    "usage: corridor isochrone NETWORK --profile P --from LON,LAT [--from ...] [--origins FILE]\n"
    "                          [--minutes 10,20,30] [--reverse] [--buffer M] [--metric time]\n"
    "                          [--vehicle LIST] [--max-snap M] [--compare SCENARIO.corr]\n"
    "                          [--map ISO.png|pdf|svg [--title T]] -o ISO.geojson|ISO.gpkg\n\n"
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
    "  --max-snap M     how far (m) an origin may be from a usable way (default 1000)\n"
    "  --compare FILE   the same origins' bands also on FILE (a scenario): every band twice,\n"
    "                   field network = before (NETWORK) or after (FILE), in one layer\n"
    "  --map FILE       a plan map (.png, .pdf, .svg) of the bands over the network (with\n"
    "                   --compare: before dashed, after filled, over the scenario network)\n"
    "  --title T        the map's title (default: the scenario's name, else the files')\n";

struct iso_args {
    const char *from[MAX_FROM];
    size_t nfrom;
    const char *origins, *minutes, *output, *buffer, *compare, *map, *title;
    const char *network;
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
        { "compare", required_argument, NULL, 'C' },
        { "map", required_argument, NULL, 'P' },
        { "title", required_argument, NULL, 'T' },
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
        case 'C':
            a->compare = optarg;
            break;
        case 'P':
            a->map = optarg;
            break;
        case 'T':
            a->title = optarg;
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
    if (a->map && cr_map_format_of(a->map) == CR_MAP_UNKNOWN)
        return cli_usage_error("isochrone", "--map %s: want a .png, .pdf or .svg file", a->map);
    if (a->title && !a->map)
        return cli_usage_error("isochrone", "--title needs --map");
    if (so->metric && strcmp(so->metric, "time"))
        return cli_usage_error("isochrone", "--metric \"%s\": isochrones are in time only",
                               so->metric);
    so->network = a->network = argv[optind];
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

/* One set of bands as map layers: band k of N (0 the smallest) coloured along a ramp from NEAR
 * to FAR; AFTER styles (filled) or BEFORE (dashed outline, no fill). */
struct iso_map {
    struct cr_map_shapes shapes[2 * CR_ISO_MAX_BANDS + 1];
    char labels[2 * CR_ISO_MAX_BANDS][64];
    double *xy[2 * CR_ISO_MAX_BANDS];
    size_t *rings[2 * CR_ISO_MAX_BANDS];
    size_t count;
    double bbox[4];
};

static struct cr_rgba
ramp(struct cr_rgba near, struct cr_rgba far, double t, double alpha)
{
    return (struct cr_rgba){ near.r + (far.r - near.r) * t, near.g + (far.g - near.g) * t,
                             near.b + (far.b - near.b) * t, alpha };
}

static enum cr_status
add_bands(struct cr_ctx *c, const struct cr_iso_result *r, const char *which, int before,
          struct iso_map *im, struct cr_error *err)
{
    static const struct cr_rgba red = { 0.33, 0.15, 0.56, 1 }, orange = { 0.62, 0.60, 0.78, 1 };
    static const struct cr_rgba blue = { 0.03, 0.27, 0.58, 1 }, sky = { 0.42, 0.68, 0.84, 1 };

    for (size_t k = r->count; k-- > 0;) { /* largest first: the smaller draw on top */
        struct cr_map_shapes *sh = &im->shapes[im->count];
        double t = r->count > 1 ? (double)k / (double)(r->count - 1) : 0;
        enum cr_status st = cr_iso_band_rings(c, &r->bands[k], &im->xy[im->count], &sh->point_count,
                                              &im->rings[im->count], &sh->ring_count, err);
        if (st)
            return st;
        snprintf(im->labels[im->count], sizeof im->labels[0], "%g min%s%s", r->bands[k].minutes,
                 which ? " " : "", which ? which : "");
        sh->kind = CR_MAP_POLYGONS;
        sh->label = im->labels[im->count];
        sh->lonlat = im->xy[im->count];
        sh->ring_size = im->rings[im->count];
        sh->stroke = before ? ramp(blue, sky, t, 1) : ramp(red, orange, t, 1);
        sh->fill = before ? ramp(blue, sky, t, 0) : ramp(red, orange, t, 0.22);
        sh->width_mm = before ? 0.45 : 0.3;
        sh->dash_mm = before ? 1.6 : 0;
        cli_map_grow(im->bbox, sh->lonlat, sh->point_count);
        im->count++;
    }
    return CR_OK;
}

static void
iso_map_fini(struct iso_map *im)
{
    for (size_t i = 0; i < im->count; i++) {
        free(im->xy[i]);
        free(im->rings[i]);
    }
}

/* The plan map: the (scenario) network, the bands (AFTER's filled, BEFORE's dashed over them, or
 * the one set filled), the origins, a title naming the comparison. */
static enum cr_status
draw_map(struct cr_ctx *c, const struct iso_args *a, const struct cli_session *net,
         const struct cr_iso_result *before, const struct cr_iso_result *after,
         const double *origins, size_t n, struct cr_error *err)
{
    struct iso_map im = { .bbox = { INFINITY, INFINITY, -INFINITY, -INFINITY } };
    struct cr_map_options mo = { 0 };
    struct cr_map_result res;
    struct cr_style style;
    char title[512], subtitle[512], date[32], *name = NULL;
    size_t w = 0;
    enum cr_status st;

    if ((st = add_bands(c, after ? after : before, after ? "after" : NULL, 0, &im, err)) ||
        (after && (st = add_bands(c, before, "before", 1, &im, err))))
        goto done;
    im.shapes[im.count++] = (struct cr_map_shapes){ CR_MAP_POINTS,
                                                    n == 1 ? "origin" : "origins",
                                                    origins,
                                                    n,
                                                    NULL,
                                                    0,
                                                    { 0.1, 0.1, 0.1, 1 },
                                                    { 1, 1, 1, 1 },
                                                    2.4,
                                                    0,
                                                    0 };
    cli_map_grow(im.bbox, origins, n);
    if ((st = cr_style_load(NULL, &style, err)))
        goto done;
    name = after ? cli_map_network_name(net->view) : NULL;
    if (name)
        snprintf(title, sizeof title, "%s: isochrones before and after", name);
    else if (after)
        snprintf(title, sizeof title, "Isochrones: %s against %s", cli_map_base_name(a->compare),
                 cli_map_base_name(a->network));
    else
        snprintf(title, sizeof title, "Isochrones on %s", cli_map_base_name(a->network));
    w = (size_t)snprintf(subtitle, sizeof subtitle, "%s within",
                         a->reverse ? "Reaching the origins" : "Reached from the origins");
    for (size_t k = 0; k < before->count && w < sizeof subtitle; k++)
        w += (size_t)snprintf(subtitle + w, sizeof subtitle - w, "%s %g", k ? "," : "",
                              before->bands[k].minutes);
    if (w < sizeof subtitle)
        snprintf(subtitle + w, sizeof subtitle - w, " min (%s)%s%s%s%s", net->profile.name,
                 after ? ": before " : "", after ? cli_map_base_name(a->network) : "",
                 after ? ", after " : "", after ? cli_map_base_name(a->compare) : "");
    cli_map_date(date, sizeof date);
    if (!(st = cr_map_set_page(&mo, "A4", 1, 0, 0, 0, err))) {
        mo.graph = net->view;
        mo.shapes = im.shapes;
        mo.shape_count = im.count;
        mo.bbox = cli_map_pad(im.bbox, 0.08) ? NULL : im.bbox;
        mo.title = a->title ? a->title : title;
        mo.subtitle = subtitle;
        mo.date = date;
        mo.style = &style;
        mo.output = a->map;
        st = cr_map_render(&mo, &res, err);
    }
    cr_style_fini(&style);
done:
    free(name);
    iso_map_fini(&im);
    return st;
}
static void
report(const struct iso_args *a, const struct cli_session *s, const struct cr_iso_result *r,
       const char *which, size_t n)
{
    fprintf(stderr, "%s: %zu bands%s%s from %zu origin%s (%s, %s)", a->output, r->count,
            which ? " " : "", which ? which : "", n, n == 1 ? "" : "s", s->profile.name,
            a->reverse ? "reverse" : "forward");
    for (size_t k = 0; k < r->count; k++)
        fprintf(stderr, "%s %g min %.1f km", k ? "," : ":", r->bands[k].minutes,
                r->bands[k].reached_km);
    fprintf(stderr, "; search %.3f s, polygons %.3f s\n", r->search_s, r->polygon_s);
}

/* The bands on S (and on S2, the --compare network, when given), the map, the file. */
static int
run(const struct cli_session *s, const struct cli_session *s2, const struct iso_args *a,
    const int32_t *lon, const int32_t *lat, size_t n, const double *minutes, size_t nm,
    double buffer_m)
{
    struct cr_error err = { 0 };
    struct cr_iso_result r = { 0 }, r2 = { 0 };
    struct cr_ctx *c = cr_ctx_create(&err);
    double *xy = malloc((n ? n : 1) * 2 * sizeof *xy);
    int rc = 0;

    if (!c || !xy) {
        free(xy);
        cr_ctx_destroy(c);
        return c ? (fprintf(stderr, "corridor isochrone: out of memory\n"), CLI_EXIT_INPUT)
                 : cli_fail("isochrone", &err);
    }
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] = lon[i] * 1e-7;
        xy[2 * i + 1] = lat[i] * 1e-7;
    }
    if (cr_iso_run(c, s->session, lon, lat, n, minutes, nm, a->reverse, buffer_m, &r, &err) ||
        (s2 &&
         cr_iso_run(c, s2->session, lon, lat, n, minutes, nm, a->reverse, buffer_m, &r2, &err)) ||
        (a->map && draw_map(c, a, s2 ? s2 : s, &r, s2 ? &r2 : NULL, xy, n, &err)) ||
        cr_iso_write_compare(c, &r, s2 ? &r2 : NULL, a->output, &err)) {
        rc = cli_fail("isochrone", &err);
    } else {
        report(a, s, &r, s2 ? "before" : NULL, n);
        if (s2)
            report(a, s2, &r2, "after", n);
        if (a->map)
            fprintf(stderr, "%s: the map\n", a->map);
    }
    cr_iso_result_fini(c, &r);
    cr_iso_result_fini(c, &r2);
    cr_ctx_destroy(c);
    free(xy);
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
    if ((rc = cli_check_writable("isochrone", a.output)) ||
        (rc = cli_check_writable("isochrone", a.map)))
        return rc;
    if ((rc = gather_origins(&a, &lon, &lat, &n)) == 0 &&
        (rc = cli_session_open(&s, "isochrone", &so)) == 0) {
        if (a.compare) {
            struct cli_session s2;
            struct cli_session_options so2 = so;
            so2.network = a.compare;
            if ((rc = cli_session_open(&s2, "isochrone", &so2)) == 0) {
                rc = run(&s, &s2, &a, lon, lat, n, minutes, nm, buffer_m);
                cli_session_close(&s2);
            }
        } else {
            rc = run(&s, NULL, &a, lon, lat, n, minutes, nm, buffer_m);
        }
        cli_session_close(&s);
    }
    free(lon);
    free(lat);
    return rc;
}
