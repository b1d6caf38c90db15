/* corridor render: print-ready plan maps. Option parsing only; drawing is in render/. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/cli_map.h"
#include "cli/session.h"
#include "cli/zoning_opts.h"
#include "core/csv.h"
#include "core/graph.h"
#include "importers/zoning/zoning.h"
#include "render/flowmap.h"
#include "render/map.h"
#include "render/overlay.h"
#include "render/page.h"
#include "render/style.h"
#include "render/zoneclass.h"

#define MAX_OVERLAYS 32

/* getopt_long codes of the flow-map options (long only) */
enum {
    O_FLOWS = CLI_O_ZONES_END,
    O_FLOW_LAYER,
    O_FLOW_FIELD,
    O_FLOW_COLOUR_FIELD,
    O_FLOW_COLOUR,
    O_FLOW_BREAKS,
    O_FLOW_MAX_WIDTH,
    O_FLOW_MIN_WIDTH,
    O_FLOW_UNIT,
    O_FLOW_COLOUR_UNIT,
    O_FLOW_DIR_FIELD,
    O_FLOW_OFFSET,
    O_FLOW_NO_OSM,
};

static const char usage_text[] =
    "usage: corridor render [--network NETWORK] [--zones ZONES --class-field F] [--name-field F]\n"
    "                       [--overlay FILE[:style] ...] [--bbox W,S,E,N] [--crs CRS]\n"
    "                       [--paper A4..A0] [--landscape] [--size WxH] [--dpi N]\n"
    "                       [--title T] [--subtitle S] [--org O] [--date D] [--style FILE]\n"
    "                       [--value-field F [--palette sequential|diverging] [--unit U]\n"
    "                        [--breaks symmetric|quantile|equal|B1,B2,...] [--classes N]]\n"
    "                       [--flows FILE [--flow-field F] [--flow-colour-field F]\n"
    "                        [--flow-colour classes|diverging|single] [--flow-breaks B1,...]\n"
    "                        [--flow-max-width MM] [--flow-offset] ...]\n"
    "                       -o MAP.png|MAP.pdf|MAP.svg\n\n"
    "A plan map: zoning fills by class, waterways, roads by class, railways, terminals and\n"
    "overlays, with labels, legend, scale bar, north arrow, grid and title block. PNG, PDF or SVG\n"
    "by the output's extension. docs/render.md and docs/styles.md describe it all.\n\n"
    "  --network FILE      a network file (corridor import)\n"
    "  --zones FILE        zoning polygons (Shapefile, GeoPackage, GeoJSON...) or OSM landuse\n"
    "                      (.osm.pbf), read with the options below (--zones-layer L: --layer "
    "L)\n" CLI_ZONING_HELP
    "  --class-map FILE    CSV of value,class[,label]: class a style class id or #rrggbb\n"
    "  --max-classes N     at most N zoning legend entries; the smallest values go to Other\n"
    "  --list-classes      print the zoning classes (value,class,label CSV, a --class-map\n"
    "                      file) on stdout and draw nothing\n"
    "  --overlay SPEC      FILE[:key=value,...]: name, colour, width, dash, fill, opacity,\n"
    "                      width-field, width-min, width-max, layer, point, where (repeatable)\n"
    "  --bbox W,S,E,N      the area to show, in degrees (default: all the data)\n"
    "  --crs CRS           map CRS: EPSG code or PROJ string (default: UTM zone of the centre)\n"
    "  --paper SIZE        A4 (default), A3, A2, A1, A0; portrait unless --landscape\n"
    "  --size WxH          a pixel size instead of paper (PNG; PDF/SVG get W x H at --dpi)\n"
    "  --dpi N             pixels per inch for PNG (default 150; 96 with --size)\n"
    "  --title, --subtitle, --org, --date   the title block (date default: today)\n"
    "  --style FILE        a style merged over styles/default.json\n\n"
    "A choropleth instead of zoning classes (docs/render.md):\n"
    "  --value-field F     colour each zone by its numeric field F (empty or not a number: no\n"
    "                      data, grey hatched)\n"
    "  --palette P         sequential (default; yellow to red) or diverging (blue below 0, red\n"
    "                      above, for changes)\n"
    "  --unit U            the legend's unit (\"minutes\", \"jobs\")\n"
    "  --breaks B          symmetric (diverging default: equal classes over -max|v|..max|v|),\n"
    "                      quantile (sequential default), equal, or ascending numbers B1,B2,...\n"
    "  --classes N         classes for a method (2 to 11, default 7; symmetric makes it odd)\n\n"
    "A flow map (docs/render.md, \"Flow maps\"): lines as wide as a field, coloured by another:\n"
    "  --flows FILE        a line layer (corridor assign's FLOWS.gpkg, GeoJSON, Shapefile...)\n"
    "  --flow-layer L      its layer (GeoPackage)\n"
    "  --flow-field F      the width field (default flow_pce; width by |value|)\n"
    "  --flow-max-width MM the largest value's width (default 6)\n"
    "  --flow-min-width MM the narrowest non-zero line (default 0.25)\n"
    "  --flow-colour M     classes (default: v/c <= 0.5 green, 0.5-0.8 yellow, 0.8-1.0 orange,\n"
    "                      above 1.0 red), diverging (a difference: blue decrease, red\n"
    "                      increase) or single\n"
    "  --flow-colour-field F  the colour field (default voc; diverging: the width field)\n"
    "  --flow-breaks B     ascending numbers B1,B2,... instead of 0.5,0.8,1.0 (classes) or the\n"
    "                      symmetric breaks (diverging)\n"
    "  --flow-unit U, --flow-colour-unit U   legend units (default: the fields' names)\n"
    "  --flow-offset       draw each line on the right of its direction (two-way roads side by\n"
    "                      side); on by itself when the layer has a direction field\n"
    "  --flow-dir-field F  the direction field (default dir: 1 as drawn, -1 reversed, 0 both)\n"
    "  --flow-no-osm       the lines are not OpenStreetMap data (no credit for them)\n";

/* What the command line asks for. */
struct render_args {
    const char *network, *bbox_text, *crs, *paper, *size_text, *title, *subtitle, *org, *date;
    const char *style_path, *output, *class_map_path, *overlay_text[MAX_OVERLAYS];
    size_t overlay_count;
    unsigned long max_classes;
    int landscape, list_classes;
    double dpi;
    struct cr_zones_options zo;
    const char *value_field, *unit, *value_fields[2];
    struct cr_choropleth choro;
    double breaks[CR_CHOROPLETH_MAX_CLASSES - 1];
    struct cr_flowmap flows; /* flows.path NULL: no flow layer */
    double flow_breaks[CR_CHOROPLETH_MAX_CLASSES - 1];
    int flow_option_given;
};

/* What it reads and draws with; render_fini releases it. */
struct render_inputs {
    struct cr_style style;
    struct cr_graph *graph;
    struct cr_zones *zones;
    struct cr_zoneclass_map *class_map;
    struct cr_overlay_spec specs[MAX_OVERLAYS];
    size_t spec_count;
    double *values; /* [zones->count] the --value-field of each zone */
    double bbox[4];
    char today[32], auto_title[256];
};

static int
parse_bbox(const char *text, double b[4])
{
    char *end;
    const char *p = text;
    for (int i = 0; i < 4; i++) {
        errno = 0;
        b[i] = strtod(p, &end);
        if (end == p || errno || !isfinite(b[i]))
            return -1;
        if (i < 3 && *end != ',')
            return -1;
        p = end + 1;
    }
    return *end ? -1 : 0;
}

static const char *
base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* --list-classes: every class value of ZONES, in legend order, as a --class-map file. */
static enum cr_status
print_classes(const struct cr_zones *zones, const struct cr_style *style,
              const struct cr_zoneclass_map *map, unsigned long max_classes, struct cr_error *err)
{
    struct cr_zoneclass_set set;
    struct cr_zoneclass_value *order;
    size_t count;
    enum cr_status st =
        cr_zoneclass_build(style, zones->classes, zones->class_count, map, max_classes, &set, err);

    if (st)
        return st;
    if (!(order = cr_zoneclass_legend_values(&set, &count))) {
        cr_zoneclass_fini(&set);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", zones->source_path);
    }
    printf("value,class,label\n");
    for (size_t i = 0; i < count; i++) {
        const struct cr_zoneclass *c = &set.classes[order[i].entry];
        cr_csv_field(stdout, order[i].value);
        if (c->how == CR_ZONECLASS_OTHER)
            printf(",other,");
        else
            printf(",#%02x%02x%02x,", (int)lround(c->fill.r * 255), (int)lround(c->fill.g * 255),
                   (int)lround(c->fill.b * 255));
        cr_csv_field(stdout, c->label);
        putchar('\n');
    }
    free(order);
    cr_zoneclass_fini(&set);
    return CR_OK;
}

/* "B1,B2,..." (ascending) into OUT, their count into *COUNT: 0, or -1 when malformed. */
static int
parse_numbers(const char *text, double *out, size_t *count)
{
    const char *p = text;
    char *end;
    size_t n = 0;

    while (*p) {
        if (n == CR_CHOROPLETH_MAX_CLASSES - 1)
            return -1;
        errno = 0;
        out[n] = strtod(p, &end);
        if (end == p || errno || !isfinite(out[n]) || (n && out[n] <= out[n - 1]))
            return -1;
        n++;
        if (*end == ',' && end[1])
            end++;
        else if (*end)
            return -1;
        p = end;
    }
    *count = n;
    return n ? 0 : -1;
}

/* "B1,B2,..." (ascending) into A's fixed breaks: 0, or -1 when malformed. */
static int
parse_breaks(const char *text, struct render_args *a)
{
    if (parse_numbers(text, a->breaks, &a->choro.break_count))
        return -1;
    a->choro.breaks = a->breaks;
    return 0;
}

/* A width in mm from 0 to 100 into *OUT: 0, or -1. */
static int
parse_mm(const char *text, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || !(v >= 0 && v <= 100))
        return -1;
    *out = v;
    return 0;
}

/* The flow-map options: -1 to go on, else the exit code. */
static int
flow_option(int c, char *arg, struct render_args *a)
{
    struct cr_flowmap *f = &a->flows;

    a->flow_option_given |= c != O_FLOWS;
    switch (c) {
    case O_FLOWS:
        f->path = arg;
        break;
    case O_FLOW_LAYER:
        f->layer = arg;
        break;
    case O_FLOW_FIELD:
        f->width_field = arg;
        break;
    case O_FLOW_COLOUR_FIELD:
        f->colour_field = arg;
        break;
    case O_FLOW_COLOUR:
        if (cr_flowmap_colour_parse(arg, &f->colour))
            return cli_usage_error("render",
                                   "--flow-colour \"%s\": want classes, diverging or single", arg);
        break;
    case O_FLOW_BREAKS:
        if (parse_numbers(arg, a->flow_breaks, &f->break_count))
            return cli_usage_error("render",
                                   "--flow-breaks \"%s\": want at most %d ascending numbers "
                                   "B1,B2,...",
                                   arg, CR_CHOROPLETH_MAX_CLASSES - 1);
        f->breaks = a->flow_breaks;
        break;
    case O_FLOW_MAX_WIDTH:
    case O_FLOW_MIN_WIDTH:
        if (parse_mm(arg, c == O_FLOW_MAX_WIDTH ? &f->max_width_mm : &f->min_width_mm) ||
            (c == O_FLOW_MAX_WIDTH && f->max_width_mm <= 0))
            return cli_usage_error("render", "%s \"%s\": want millimetres from 0 to 100",
                                   c == O_FLOW_MAX_WIDTH ? "--flow-max-width" : "--flow-min-width",
                                   arg);
        break;
    case O_FLOW_UNIT:
        f->unit = arg;
        break;
    case O_FLOW_COLOUR_UNIT:
        f->colour_unit = arg;
        break;
    case O_FLOW_DIR_FIELD:
        f->dir_field = arg;
        break;
    case O_FLOW_OFFSET:
        f->offset = 1;
        break;
    default: /* O_FLOW_NO_OSM */
        f->osm = 0;
        break;
    }
    return -1;
}

/* The choropleth options: -1 to go on, else the exit code. */
static int
choropleth_option(int c, char *arg, struct render_args *a)
{
    unsigned long n;

    switch (c) {
    case 'v':
        a->value_field = arg;
        break;
    case 'P':
        if (cr_palette_parse(arg, &a->choro.palette))
            return cli_usage_error("render", "--palette \"%s\": want sequential or diverging", arg);
        break;
    case 'u':
        a->choro.unit = arg;
        break;
    case 'k':
        if (cr_breaks_parse(arg, &a->choro.method) && parse_breaks(arg, a))
            return cli_usage_error("render",
                                   "--breaks \"%s\": want symmetric, quantile, equal or at most "
                                   "%d ascending numbers B1,B2,...",
                                   arg, CR_CHOROPLETH_MAX_CLASSES - 1);
        break;
    default: /* 'c' */
        if (cli_parse_count(arg, 2, CR_CHOROPLETH_MAX_CLASSES, &n))
            return cli_usage_error("render", "--classes \"%s\": want a whole number from 2 to %d",
                                   arg, CR_CHOROPLETH_MAX_CLASSES);
        a->choro.classes = n;
        break;
    }
    return -1;
}

/* One option C (from getopt_long) with ARG into A: -1 to go on, else the exit code. */
static int
take_option(int c, char *arg, struct render_args *a)
{
    char *end;

    if (cli_zoning_option(c, arg, &a->zo))
        return -1;
    switch (c) {
    case 'n':
        a->network = arg;
        break;
    case 'M':
        a->class_map_path = arg;
        break;
    case 'K':
        a->list_classes = 1;
        break;
    case 'b':
        a->bbox_text = arg;
        break;
    case 'C':
        a->crs = arg;
        break;
    case 'p':
        a->paper = arg;
        break;
    case 'l':
        a->landscape = 1;
        break;
    case 's':
        a->size_text = arg;
        break;
    case 't':
        a->title = arg;
        break;
    case 'S':
        a->subtitle = arg;
        break;
    case 'g':
        a->org = arg;
        break;
    case 'D':
        a->date = arg;
        break;
    case 'y':
        a->style_path = arg;
        break;
    case 'o':
        a->output = arg;
        break;
    case 'x':
        if (cli_parse_count(arg, 1, 10000, &a->max_classes))
            return cli_usage_error(
                "render", "--max-classes \"%s\": want a whole number from 1 to 10000", arg);
        break;
    case 'O':
        if (a->overlay_count == MAX_OVERLAYS)
            return cli_usage_error("render", "at most %d overlays", MAX_OVERLAYS);
        a->overlay_text[a->overlay_count++] = arg;
        break;
    case 'd':
        a->dpi = strtod(arg, &end);
        if (end == arg || *end || !(a->dpi >= 10 && a->dpi <= 2400))
            return cli_usage_error("render", "--dpi \"%s\": not a number from 10 to 2400", arg);
        break;
    case 'v':
    case 'P':
    case 'u':
    case 'k':
    case 'c':
        return choropleth_option(c, arg, a);
    case O_FLOWS:
    case O_FLOW_LAYER:
    case O_FLOW_FIELD:
    case O_FLOW_COLOUR_FIELD:
    case O_FLOW_COLOUR:
    case O_FLOW_BREAKS:
    case O_FLOW_MAX_WIDTH:
    case O_FLOW_MIN_WIDTH:
    case O_FLOW_UNIT:
    case O_FLOW_COLOUR_UNIT:
    case O_FLOW_DIR_FIELD:
    case O_FLOW_OFFSET:
    case O_FLOW_NO_OSM:
        return flow_option(c, arg, a);
    case 'h':
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    default:
        return cli_usage_error("render", "unknown option");
    }
    return -1;
}

/* The command line into A, and whether its options fit together: -1 to go on, else the exit
 * code. */
static int
parse_args(int argc, char **argv, struct render_args *a)
{
    static const struct option options[] = {
        { "network", required_argument, NULL, 'n' },
        CLI_ZONES_LONGOPTS,
        { "class-map", required_argument, NULL, 'M' },
        { "max-classes", required_argument, NULL, 'x' },
        { "list-classes", no_argument, NULL, 'K' },
        { "overlay", required_argument, NULL, 'O' },
        { "bbox", required_argument, NULL, 'b' },
        { "crs", required_argument, NULL, 'C' },
        { "paper", required_argument, NULL, 'p' },
        { "landscape", no_argument, NULL, 'l' },
        { "size", required_argument, NULL, 's' },
        { "dpi", required_argument, NULL, 'd' },
        { "title", required_argument, NULL, 't' },
        { "subtitle", required_argument, NULL, 'S' },
        { "org", required_argument, NULL, 'g' },
        { "date", required_argument, NULL, 'D' },
        { "style", required_argument, NULL, 'y' },
        { "value-field", required_argument, NULL, 'v' },
        { "palette", required_argument, NULL, 'P' },
        { "unit", required_argument, NULL, 'u' },
        { "breaks", required_argument, NULL, 'k' },
        { "classes", required_argument, NULL, 'c' },
        { "flows", required_argument, NULL, O_FLOWS },
        { "flow-layer", required_argument, NULL, O_FLOW_LAYER },
        { "flow-field", required_argument, NULL, O_FLOW_FIELD },
        { "flow-colour-field", required_argument, NULL, O_FLOW_COLOUR_FIELD },
        { "flow-colour", required_argument, NULL, O_FLOW_COLOUR },
        { "flow-breaks", required_argument, NULL, O_FLOW_BREAKS },
        { "flow-max-width", required_argument, NULL, O_FLOW_MAX_WIDTH },
        { "flow-min-width", required_argument, NULL, O_FLOW_MIN_WIDTH },
        { "flow-unit", required_argument, NULL, O_FLOW_UNIT },
        { "flow-colour-unit", required_argument, NULL, O_FLOW_COLOUR_UNIT },
        { "flow-dir-field", required_argument, NULL, O_FLOW_DIR_FIELD },
        { "flow-offset", no_argument, NULL, O_FLOW_OFFSET },
        { "flow-no-osm", no_argument, NULL, O_FLOW_NO_OSM },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1)
        if ((rc = take_option(c, optarg, a)) >= 0)
            return rc;
    if (optind < argc)
        return cli_usage_error("render", "unexpected argument \"%s\"", argv[optind]);
    if (a->list_classes && !a->zo.path)
        return cli_usage_error("render", "--list-classes needs --zones");
    if ((a->class_map_path || a->max_classes) && !a->zo.path)
        return cli_usage_error("render", "%s needs --zones",
                               a->class_map_path ? "--class-map" : "--max-classes");
    if (a->value_field && !a->zo.path)
        return cli_usage_error("render", "--value-field needs --zones");
    if (!a->value_field && (a->choro.unit || a->choro.breaks || a->choro.classes ||
                            a->choro.method || a->choro.palette))
        return cli_usage_error("render", "--palette, --unit, --breaks and --classes need "
                                         "--value-field");
    if (!a->output && !a->list_classes)
        return cli_usage_error("render", "no output: give -o MAP.png, MAP.pdf or MAP.svg");
    if (a->flow_option_given && !a->flows.path)
        return cli_usage_error("render", "the --flow-... options need --flows");
    if (!a->network && !a->zo.path && !a->overlay_count && !a->flows.path)
        return cli_usage_error("render",
                               "nothing to draw: give --network, --zones, --flows or --overlay");
    if (a->output && cr_map_format_of(a->output) == CR_MAP_UNKNOWN) {
        fprintf(stderr, "corridor render: %s: the output must end in .png, .pdf or .svg\n",
                a->output);
        return CLI_EXIT_INPUT;
    }
    return -1;
}

/* --size and --paper into MO's page, --bbox into IN->bbox: -1 to go on, else the exit code. */
static int
parse_page(const struct render_args *a, struct render_inputs *in, struct cr_map_options *mo)
{
    struct cr_error err = { 0 };
    long w = 0, h = 0;

    if (a->size_text) {
        char *end, *x;
        w = strtol(a->size_text, &x, 10);
        if (x != a->size_text && (*x == 'x' || *x == 'X'))
            h = strtol(x + 1, &end, 10);
        if (x == a->size_text || (*x != 'x' && *x != 'X') || *end || w < 16 || h < 16 ||
            w > 20000 || h > 20000)
            return cli_usage_error(
                "render", "--size \"%s\": not WIDTHxHEIGHT in pixels (16 to 20000)", a->size_text);
    }
    if (cr_map_set_page(mo, a->paper, a->landscape, (int)w, (int)h, a->dpi, &err))
        return cli_fail("render", &err);
    if (a->bbox_text) {
        double *b = in->bbox;
        if (parse_bbox(a->bbox_text, b))
            return cli_usage_error("render", "--bbox \"%s\": not four numbers W,S,E,N",
                                   a->bbox_text);
        if (b[0] >= b[2] || b[1] >= b[3] || b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90)
            return cli_usage_error("render", "--bbox \"%s\": %s", a->bbox_text,
                                   b[0] >= b[2]   ? "west is not less than east"
                                   : b[1] >= b[3] ? "south is not less than north"
                                                  : "outside -180..180, -90..90");
        mo->bbox = b;
    }
    return -1;
}

/* Overlay specs, the style, the class map, the network and the zones A names, into IN. */
static enum cr_status
load_inputs(struct render_args *a, struct render_inputs *in, struct cr_error *err)
{
    enum cr_status st;

    for (size_t i = 0; i < a->overlay_count; i++) {
        if ((st = cr_overlay_spec_parse(a->overlay_text[i], &in->specs[in->spec_count], err)))
            return st;
        in->spec_count++;
    }
    if ((st = cr_style_load(a->style_path, &in->style, err)))
        return st;
    if (a->class_map_path &&
        (st = cr_zoneclass_map_load(a->class_map_path, &in->style, &in->class_map, err)))
        return st;
    if (a->network && !(in->graph = cr_graph_open(a->network, err)))
        return err->code ? err->code : CR_EIO;
    if (a->zo.path) {
        int osm = cr_map_is_osm_path(a->zo.path);
        if (!a->zo.class_field && osm)
            a->zo.class_field = "landuse";
        if (!a->zo.name_field && osm)
            a->zo.name_field = "name";
        if (a->value_field) {
            a->value_fields[0] = a->value_field;
            a->zo.value_fields = a->value_fields;
        }
        if ((st = cr_zones_load(&a->zo, &in->zones, err)))
            return st;
    }
    if (a->value_field) {
        const struct cr_zones *z = in->zones;
        if (!(in->values = malloc((z->count ? z->count : 1) * sizeof *in->values)))
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", a->zo.path);
        for (size_t i = 0; i < z->count; i++)
            in->values[i] = z->zones[i].values[0];
        a->choro.values = in->values;
    }
    return CR_OK;
}

/* The map: the rest of MO from A and IN (the title block's defaults: the first input's file
 * name, today's date), drawn, and a line saying what was written. */
static enum cr_status
draw(const struct render_args *a, struct render_inputs *in, struct cr_map_options *mo,
     struct cr_error *err)
{
    struct cr_map_result res;
    const char *date = a->date, *title = a->title;

    if (!date) {
        cli_map_date(in->today, sizeof in->today);
        date = in->today;
    }
    if (!title) {
        snprintf(in->auto_title, sizeof in->auto_title, "%s",
                 base_of(a->network      ? a->network
                         : a->zo.path    ? a->zo.path
                         : a->flows.path ? a->flows.path
                                         : in->specs[0].path));
        title = in->auto_title;
    }
    mo->graph = in->graph ? cr_graph_view(in->graph) : NULL;
    mo->zones = in->zones;
    mo->class_map = in->class_map;
    mo->max_classes = a->max_classes;
    mo->choropleth = a->value_field ? &a->choro : NULL;
    mo->flows = a->flows.path ? &a->flows : NULL;
    mo->overlays = in->specs;
    mo->overlay_count = in->spec_count;
    mo->crs = a->crs;
    mo->title = title;
    mo->subtitle = a->subtitle;
    mo->date = date;
    mo->organisation = a->org;
    mo->style = &in->style;
    mo->output = a->output;
    enum cr_status st = cr_map_render(mo, &res, err);
    if (st)
        return st;
    if (mo->flows)
        fprintf(stderr, "corridor render: %s: %zu flow lines drawn, largest %g %s\n", a->flows.path,
                res.flow_lines, res.flow_max,
                a->flows.unit          ? a->flows.unit
                : a->flows.width_field ? a->flows.width_field
                                       : "flow_pce");
    if (res.width_px)
        fprintf(stderr, "corridor render: %s: %d x %d px, 1:%.0f, %s\n", a->output, res.width_px,
                res.height_px, res.scale_denom, res.crs_name);
    else
        fprintf(stderr, "corridor render: %s: %.0f x %.0f mm, 1:%.0f, %s\n", a->output,
                mo->width_pt / CR_PT_PER_MM, mo->height_pt / CR_PT_PER_MM, res.scale_denom,
                res.crs_name);
    return CR_OK;
}

static void
render_fini(struct render_inputs *in)
{
    for (size_t i = 0; i < in->spec_count; i++)
        cr_overlay_spec_fini(&in->specs[i]);
    cr_style_fini(&in->style);
    cr_zones_destroy(in->zones);
    free(in->values);
    cr_zoneclass_map_destroy(in->class_map);
    cr_graph_close(in->graph);
}

int
cmd_render(int argc, char **argv)
{
    struct render_args a = { .paper = "A4", .flows = { .min_width_mm = -1, .osm = 1 } };
    struct render_inputs in;
    struct cr_map_options mo = { 0 };
    struct cr_error err = { 0 };
    enum cr_status st;
    int rc;

    memset(&in, 0, sizeof in);
    if ((rc = parse_args(argc, argv, &a)) >= 0 || (rc = parse_page(&a, &in, &mo)) >= 0)
        return rc;
    if (!(st = load_inputs(&a, &in, &err)))
        st = a.list_classes ? print_classes(in.zones, &in.style, in.class_map, a.max_classes, &err)
                            : draw(&a, &in, &mo, &err);
    rc = st ? cli_fail("render", &err) : CLI_EXIT_OK;
    render_fini(&in);
    return rc;
}
