/* corridor render: print-ready plan maps. Option parsing only; drawing is in render/. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/zoning_opts.h"
#include "cli/session.h"
#include "core/graph.h"
#include "importers/zoning/zoning.h"
#include "render/map.h"
#include "render/overlay.h"
#include "render/page.h"
#include "render/style.h"
#include "render/zoneclass.h"

#define MAX_OVERLAYS 32

static const char usage_text[] =
    "usage: corridor render [--network NETWORK] [--zones ZONES --class-field F] [--name-field F]\n"
    "                       [--overlay FILE[:style] ...] [--bbox W,S,E,N] [--crs CRS]\n"
    "                       [--paper A4..A0] [--landscape] [--size WxH] [--dpi N]\n"
    "                       [--title T] [--subtitle S] [--org O] [--date D] [--style FILE]\n"
    "                       -o MAP.png|MAP.pdf|MAP.svg\n\n"
    "A plan map: zoning fills by class, waterways, roads by class, railways, terminals and\n"
    "overlays, with labels, legend, scale bar, north arrow, grid and title block. PNG, PDF or SVG\n"
    "by the output's extension. docs/render.md and docs/styles.md describe it all.\n\n"
    "  --network FILE      a network file (corridor import)\n"
    "  --zones FILE        zoning polygons (Shapefile, GeoPackage, GeoJSON...) or OSM landuse\n"
    "                      (.osm.pbf), read with the options below (--zones-layer L: --layer L)\n"
    CLI_ZONING_HELP
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
    "  --style FILE        a style merged over styles/default.json\n";

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

static int
by_entry(const void *a, const void *b)
{
    const struct cr_zoneclass_value *x = a, *y = b;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* --list-classes: every class value of ZONES, in legend order, as a --class-map file. */
static enum cr_status
print_classes(const struct cr_zones *zones, const struct cr_style *style,
              const struct cr_zoneclass_map *map, unsigned long max_classes, struct cr_error *err)
{
    struct cr_zoneclass_set set;
    struct cr_zoneclass_value *order;
    enum cr_status st =
        cr_zoneclass_build(style, zones->classes, zones->class_count, map, max_classes, &set, err);

    if (st)
        return st;
    order = malloc((set.value_count ? set.value_count : 1) * sizeof *order);
    if (!order) {
        cr_zoneclass_fini(&set);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", zones->source_path);
    }
    memcpy(order, set.values, set.value_count * sizeof *order);
    qsort(order, set.value_count, sizeof *order, by_entry);
    printf("value,class,label\n");
    for (size_t i = 0; i < set.value_count; i++) {
        const struct cr_zoneclass *c = &set.classes[order[i].entry];
        if (!*order[i].value) /* zones without a class value: Other, nothing to map */
            continue;
        cli_csv_field(stdout, order[i].value);
        if (c->how == CR_ZONECLASS_OTHER)
            printf(",other,");
        else
            printf(",#%02x%02x%02x,", (int)lround(c->fill.r * 255), (int)lround(c->fill.g * 255),
                   (int)lround(c->fill.b * 255));
        cli_csv_field(stdout, c->label);
        putchar('\n');
    }
    free(order);
    cr_zoneclass_fini(&set);
    return CR_OK;
}

int
cmd_render(int argc, char **argv)
{
    static const struct option options[] = { { "network", required_argument, NULL, 'n' },
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
                                             { "output", required_argument, NULL, 'o' },
                                             { "help", no_argument, NULL, 'h' },
                                             { NULL, 0, NULL, 0 } };
    const char *network = NULL, *bbox_text = NULL, *crs = NULL, *paper = "A4";
    const char *size_text = NULL, *title = NULL, *subtitle = NULL, *org = NULL, *date = NULL;
    const char *style_path = NULL, *output = NULL, *overlay_text[MAX_OVERLAYS];
    const char *class_map_path = NULL;
    size_t overlay_count = 0;
    unsigned long max_classes = 0;
    int landscape = 0, list_classes = 0, c, rc = CLI_EXIT_INPUT;
    double dpi = 0, bbox[4];
    char today[32], auto_title[256];
    struct cr_error err = { 0 };
    struct cr_style style;
    struct cr_graph *graph = NULL;
    struct cr_zones *zones = NULL;
    struct cr_zoneclass_map *class_map = NULL;
    struct cr_overlay_spec specs[MAX_OVERLAYS];
    size_t spec_count = 0;
    struct cr_map_options mo = { 0 };
    struct cr_map_result res;
    struct cr_zones_options zo = { 0 };

    memset(&style, 0, sizeof style);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        if (cli_zoning_option(c, optarg, &zo))
            continue;
        switch (c) {
        case 'n':
            network = optarg;
            break;
        case 'M':
            class_map_path = optarg;
            break;
        case 'x':
            if (cli_parse_count(optarg, 1, 10000, &max_classes))
                return cli_usage_error("render",
                                       "--max-classes \"%s\": want a whole number from 1 "
                                       "to 10000",
                                       optarg);
            break;
        case 'K':
            list_classes = 1;
            break;
        case 'O':
            if (overlay_count == MAX_OVERLAYS)
                return cli_usage_error("render", "at most %d overlays", MAX_OVERLAYS);
            overlay_text[overlay_count++] = optarg;
            break;
        case 'b':
            bbox_text = optarg;
            break;
        case 'C':
            crs = optarg;
            break;
        case 'p':
            paper = optarg;
            break;
        case 'l':
            landscape = 1;
            break;
        case 's':
            size_text = optarg;
            break;
        case 'd': {
            char *end;
            dpi = strtod(optarg, &end);
            if (end == optarg || *end || !(dpi >= 10 && dpi <= 2400))
                return cli_usage_error("render", "--dpi \"%s\": not a number from 10 to 2400",
                                       optarg);
            break;
        }
        case 't':
            title = optarg;
            break;
        case 'S':
            subtitle = optarg;
            break;
        case 'g':
            org = optarg;
            break;
        case 'D':
            date = optarg;
            break;
        case 'y':
            style_path = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("render", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("render", "unexpected argument \"%s\"", argv[optind]);
    if (list_classes && !zo.path)
        return cli_usage_error("render", "--list-classes needs --zones");
    if ((class_map_path || max_classes) && !zo.path)
        return cli_usage_error("render", "%s needs --zones",
                               class_map_path ? "--class-map" : "--max-classes");
    if (!output && !list_classes)
        return cli_usage_error("render", "no output: give -o MAP.png, MAP.pdf or MAP.svg");
    if (!network && !zo.path && !overlay_count)
        return cli_usage_error("render", "nothing to draw: give --network, --zones or --overlay");
    if (output && cr_map_format_of(output) == CR_MAP_UNKNOWN) {
        fprintf(stderr, "corridor render: %s: the output must end in .png, .pdf or .svg\n", output);
        return CLI_EXIT_INPUT;
    }

    /* the page */
    mo.dpi = dpi > 0 ? dpi : size_text ? 96 : 150;
    if (size_text) {
        char *end, *x;
        long w = strtol(size_text, &x, 10), h = 0;
        if (x != size_text && (*x == 'x' || *x == 'X'))
            h = strtol(x + 1, &end, 10);
        if (x == size_text || (*x != 'x' && *x != 'X') || *end || w < 16 || h < 16 || w > 20000 ||
            h > 20000)
            return cli_usage_error("render",
                                   "--size \"%s\": not WIDTHxHEIGHT in pixels (16 to "
                                   "20000)",
                                   size_text);
        mo.width_pt = (double)w * 72 / mo.dpi;
        mo.height_pt = (double)h * 72 / mo.dpi;
        mo.width_px = (int)w;
        mo.height_px = (int)h;
    } else {
        double w_mm, h_mm;
        if (cr_page_paper(paper, landscape, &w_mm, &h_mm, &err))
            return cli_fail("render", &err);
        mo.width_pt = w_mm * CR_PT_PER_MM;
        mo.height_pt = h_mm * CR_PT_PER_MM;
    }
    if (bbox_text) {
        if (parse_bbox(bbox_text, bbox))
            return cli_usage_error("render", "--bbox \"%s\": not four numbers W,S,E,N", bbox_text);
        if (bbox[0] >= bbox[2] || bbox[1] >= bbox[3] || bbox[0] < -180 || bbox[2] > 180 ||
            bbox[1] < -90 || bbox[3] > 90)
            return cli_usage_error("render", "--bbox \"%s\": %s", bbox_text,
                                   bbox[0] >= bbox[2]   ? "west is not less than east"
                                   : bbox[1] >= bbox[3] ? "south is not less than north"
                                                        : "outside -180..180, -90..90");
        mo.bbox = bbox;
    }
    for (size_t i = 0; i < overlay_count; i++) {
        if (cr_overlay_spec_parse(overlay_text[i], &specs[spec_count], &err))
            goto fail;
        spec_count++;
    }
    if (cr_style_load(style_path, &style, &err))
        goto fail;
    if (class_map_path && cr_zoneclass_map_load(class_map_path, &style, &class_map, &err))
        goto fail;
    if (network && !(graph = cr_graph_open(network, &err)))
        goto fail;
    if (zo.path) {
        int osm = cr_map_is_osm_path(zo.path);
        if (!zo.class_field && osm)
            zo.class_field = "landuse";
        if (!zo.name_field && osm)
            zo.name_field = "name";
        if (cr_zones_load(&zo, &zones, &err))
            goto fail;
    }
    if (list_classes) {
        rc = print_classes(zones, &style, class_map, max_classes, &err);
        if (rc)
            goto fail;
        goto done;
    }
    if (!date) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        date = today;
    }
    if (!title) {
        snprintf(auto_title, sizeof auto_title, "%s",
                 base_of(network      ? network
                         : zo.path ? zo.path
                                      : specs[0].path));
        title = auto_title;
    }
    mo.graph = graph ? cr_graph_view(graph) : NULL;
    mo.zones = zones;
    mo.class_map = class_map;
    mo.max_classes = max_classes;
    mo.overlays = specs;
    mo.overlay_count = spec_count;
    mo.crs = crs;
    mo.title = title;
    mo.subtitle = subtitle;
    mo.date = date;
    mo.organisation = org;
    mo.style = &style;
    mo.output = output;
    if (cr_map_render(&mo, &res, &err))
        goto fail;
    if (res.width_px)
        fprintf(stderr, "corridor render: %s: %d x %d px, 1:%.0f, %s\n", output, res.width_px,
                res.height_px, res.scale_denom, res.crs_name);
    else
        fprintf(stderr, "corridor render: %s: %.0f x %.0f mm, 1:%.0f, %s\n", output,
                mo.width_pt / CR_PT_PER_MM, mo.height_pt / CR_PT_PER_MM, res.scale_denom,
                res.crs_name);
    rc = CLI_EXIT_OK;
    goto done;
fail:
    rc = cli_fail("render", &err);
done:
    for (size_t i = 0; i < spec_count; i++)
        cr_overlay_spec_fini(&specs[i]);
    cr_style_fini(&style);
    cr_zones_destroy(zones);
    cr_zoneclass_map_destroy(class_map);
    cr_graph_close(graph);
    return rc;
}
