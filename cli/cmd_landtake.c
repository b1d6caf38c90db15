/* corridor landtake --zones ZONES --class-field F --alignment LINES --width M [-o FILE] ... */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/planning_io.h"
#include "cli/session.h"
#include "cli/zoning_opts.h"
#include "core/csv.h"
#include "planning/landtake.h"
#include "spatial/zones.h"

static const char usage_text[] =
    "usage: corridor landtake --zones ZONES --class-field F --alignment LINES --width METRES\n"
    "                         [--format csv|json] [-o FILE] [--pieces PIECES.gpkg]\n"
    "                         [--layer L] [--name-field F] [--s-srs CRS] [--work-crs CRS]\n"
    "                         [--encoding ENC] [--alignment-layer L] [--alignment-srs CRS]\n"
    "                         [--timings]\n\n"
    "The land a proposed alignment would take, by zoning class. The corridor is the alignment\n"
    "buffered by METRES/2 on each side in the zones' projected working CRS, with flat end caps\n"
    "and round joins (docs/landtake.md). ZONES is any polygon layer GDAL reads (Shapefile,\n"
    "GeoPackage, GeoJSON, FlatGeobuf...) or an OSM file's landuse areas; LINES any line layer.\n\n"
    "CSV output: class,area_m2,area_ha,parcels,share (largest first); share = the class's area /\n"
    "the corridor's area. JSON: {\"corridor_area_m2\", \"classes\": [{class, area_m2, area_ha,\n"
    "parcels, share}], ...}. The format follows -o's extension (.json) unless --format says.\n\n"
    "The zones are read as every planning command reads them (docs/zoning.md); --class-field is\n"
    "required here, --name-field names each zone in the pieces:\n" CLI_ZONING_HELP
    "  --alignment-layer L  the alignment's layer (default: the first line layer)\n"
    "  --alignment-srs CRS  the alignment's CRS when its file has none, or to override it\n"
    "  --pieces FILE.gpkg   a GeoPackage for QGIS: layer pieces (class, name, fid, area_m2) and\n"
    "                       layer corridor\n"
    "  --timings            say on stderr how long loading, the alignment, the corridor and the\n"
    "                       output took\n";

static char *
format_csv(const struct cr_landtake *lt, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    fputs("class,area_m2,area_ha,parcels,share\n", f);
    for (size_t i = 0; i < lt->class_count; i++) {
        const struct cr_landtake_class *c = &lt->classes[i];
        cr_csv_field(f, c->cls);
        fprintf(f, ",%.2f,%.4f,%zu,%.6f\n", c->area_m2, c->area_m2 / 1e4, c->parcels, c->share);
    }
    if (fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

static json_t *
round_to(double x, double unit)
{
    return json_real(round(x / unit) * unit);
}

static char *
format_json(const struct cr_landtake *lt, const struct cr_zones *z,
            const struct cr_landtake_alignment *a, size_t *len)
{
    json_t *o = json_object(), *classes = json_array();
    char *text;

    json_object_set_new(o, "corridor_area_m2", round_to(lt->corridor_area_m2, 0.01));
    json_object_set_new(o, "corridor_area_ha", round_to(lt->corridor_area_m2 / 1e4, 1e-4));
    json_object_set_new(o, "width_m", json_real(lt->width_m));
    json_object_set_new(o, "alignment_length_m", round_to(a->length_m, 0.01));
    json_object_set_new(o, "taken_m2", round_to(lt->taken_m2, 0.01));
    json_object_set_new(o, "parcels", json_integer((json_int_t)lt->parcels));
    json_object_set_new(o, "crs", json_string(z->work_crs ? z->work_crs : ""));
    json_object_set_new(o, "end_caps", json_string("flat"));
    for (size_t i = 0; i < lt->class_count; i++) {
        const struct cr_landtake_class *c = &lt->classes[i];
        json_t *cj = json_object();
        json_object_set_new(cj, "class", json_string(c->cls));
        json_object_set_new(cj, "area_m2", round_to(c->area_m2, 0.01));
        json_object_set_new(cj, "area_ha", round_to(c->area_m2 / 1e4, 1e-4));
        json_object_set_new(cj, "parcels", json_integer((json_int_t)c->parcels));
        json_object_set_new(cj, "share", round_to(c->share, 1e-6));
        json_array_append_new(classes, cj);
    }
    json_object_set_new(o, "classes", classes);
    text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(o);
    if (!text)
        return NULL;
    *len = strlen(text);
    /* a final newline */
    char *t = realloc(text, *len + 2);
    if (!t) {
        free(text);
        return NULL;
    }
    t[(*len)++] = '\n';
    t[*len] = '\0';
    return t;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* WIDTH as metres: all of it a finite number > 0. */
static int
parse_width(const char *text, double *out)
{
    char *end;
    errno = 0;
    double w = strtod(text, &end);
    if (end == text || *end != '\0' || errno || !isfinite(w) || !(w > 0))
        return -1;
    *out = w;
    return 0;
}

enum { O_ALIGN = CLI_O_ZONES_END, O_ALAYER, O_ASRS, O_WIDTH, O_FORMAT, O_PIECES, O_TIMINGS };

struct landtake_args {
    struct cr_zones_options zo;
    struct cr_landtake_alignment_options ao;
    const char *output, *format, *pieces, *width_text;
    double width_m;
    int json, timings;
};

/* Stores one option of landtake's own in A; 0, or a usage error's exit code. */
static int
landtake_option(int c, const char *arg, struct landtake_args *a)
{
    switch (c) {
    case O_ALIGN:
        a->ao.path = arg;
        break;
    case O_ALAYER:
        a->ao.layer = arg;
        break;
    case O_ASRS:
        a->ao.s_srs = arg;
        break;
    case O_WIDTH:
        a->width_text = arg;
        break;
    case O_FORMAT:
        a->format = arg;
        break;
    case O_TIMINGS:
        a->timings = 1;
        break;
    case O_PIECES:
        a->pieces = arg;
        break;
    case 'o':
        a->output = arg;
        break;
    default:
        return cli_usage_error("landtake", "bad option");
    }
    return CLI_EXIT_OK;
}

/* The options into A; -1 to go on, else the exit code (--help, a usage error). */
static int
landtake_parse(int argc, char **argv, struct landtake_args *a)
{
    static const struct option longopts[] = {
        CLI_ZONES_LONGOPTS,
        { "alignment", required_argument, NULL, O_ALIGN },
        { "alignment-layer", required_argument, NULL, O_ALAYER },
        { "alignment-srs", required_argument, NULL, O_ASRS },
        { "width", required_argument, NULL, O_WIDTH },
        { "format", required_argument, NULL, O_FORMAT },
        { "pieces", required_argument, NULL, O_PIECES },
        { "timings", no_argument, NULL, O_TIMINGS },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (cli_zoning_option(c, optarg, &a->zo))
            continue;
        if (c == 'h') {
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        }
        if ((rc = landtake_option(c, optarg, a)))
            return rc;
    }
    if (optind != argc)
        return cli_usage_error("landtake", "unexpected argument \"%s\"", argv[optind]);
    if (!a->zo.path)
        return cli_usage_error("landtake", "want --zones FILE");
    if (!a->zo.class_field)
        return cli_usage_error("landtake", "want --class-field FIELD");
    if (!a->ao.path)
        return cli_usage_error("landtake", "want --alignment FILE");
    if (!a->width_text)
        return cli_usage_error("landtake", "want --width METRES");
    if (parse_width(a->width_text, &a->width_m))
        return cli_usage_error("landtake", "--width \"%s\": want a number of metres > 0",
                               a->width_text);
    if (a->format && strcmp(a->format, "csv") && strcmp(a->format, "json"))
        return cli_usage_error("landtake", "--format \"%s\": want csv or json", a->format);
    const char *out = a->output;
    a->json = a->format ? !strcmp(a->format, "json")
                        : out && strlen(out) > 5 && !strcmp(out + strlen(out) - 5, ".json");
    if ((rc = cli_check_writable("landtake", a->output)))
        return rc;
    if ((rc = cli_check_writable("landtake", a->pieces)))
        return rc;
    return -1;
}

int
cmd_landtake(int argc, char **argv)
{
    struct landtake_args args = { 0 };
    struct cr_zones *z = NULL;
    struct cr_landtake_alignment a = { 0 };
    struct cr_landtake lt = { 0 };
    struct cr_error err = { 0 };
    int rc, have_a = 0, have_lt = 0;
    double t[5] = { 0 };
    char *text = NULL;
    size_t len = 0;

    if ((rc = landtake_parse(argc, argv, &args)) >= 0)
        return rc;
    rc = CLI_EXIT_OK;
    t[0] = now_s();
    if (cr_zones_load(&args.zo, &z, &err)) {
        rc = cli_fail("landtake", &err);
        goto done;
    }
    t[1] = now_s();
    if (cr_landtake_read_alignment(z, &args.ao, &a, &err)) {
        rc = cli_fail("landtake", &err);
        goto done;
    }
    have_a = 1;
    if (a.skipped)
        fprintf(stderr, "corridor landtake: note: %s: %zu features with no line left out\n",
                args.ao.path, a.skipped);
    t[2] = now_s();
    if (cr_landtake_compute(z, a.lines, args.width_m, args.pieces != NULL, &lt, &err)) {
        rc = cli_fail("landtake", &err);
        goto done;
    }
    have_lt = 1;
    t[3] = now_s();
    if (args.pieces && cr_landtake_write_pieces(&lt, args.pieces, &err)) {
        rc = cli_fail("landtake", &err);
        goto done;
    }
    text = args.json ? format_json(&lt, z, &a, &len) : format_csv(&lt, &len);
    if (!text) {
        fprintf(stderr, "corridor landtake: out of memory\n");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    rc = cli_write_output("landtake", args.output, text, len);
    t[4] = now_s();
    if (args.timings && rc == CLI_EXIT_OK)
        fprintf(stderr,
                "corridor landtake: timings: load %.3f s (%zu zones), alignment %.3f s, "
                "corridor %.3f s (%zu parcels touched), output %.3f s\n",
                t[1] - t[0], z->count, t[2] - t[1], t[3] - t[2], lt.parcels, t[4] - t[3]);
done:
    free(text);
    if (have_lt)
        cr_landtake_fini(&lt);
    if (have_a)
        cr_landtake_alignment_fini(z, &a);
    cr_zones_destroy(z);
    return rc;
}
