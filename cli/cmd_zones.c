/* corridor zones info ZONES [--layer L] [--class-field F] [--name-field F] [--value-field F ...]
 *                           [--s-srs CRS] [--work-crs CRS] [--sort area|name] [--json] */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/session.h"
#include "cli/zoning_opts.h"
#include "corridor/zones.h"

static const char usage_text[] =
    "usage: corridor zones info ZONES [--layer L] [--class-field F] [--name-field F]\n"
    "                           [--value-field F ...] [--s-srs CRS] [--work-crs CRS]\n"
    "                           [--encoding ENC] [--sort area|name] [--list] [--json] [-o FILE]\n\n"
    "Loads a zoning layer as every planning command does and says what it holds: features read,\n"
    "zones kept, polygons repaired (GEOS MakeValid), features skipped (empty, not polygons, no\n"
    "area left), the source and working CRS, the bounding box, and per class the zones and their\n"
    "area in hectares, computed in the projected working CRS (never in degrees).\n\n"
    "ZONES is any polygon layer GDAL reads (Shapefile, GeoPackage, GeoJSON, FlatGeobuf...) or an\n"
    "OpenStreetMap file (.osm, .osm.pbf, .osm.bz2): its landuse=* areas, multipolygons "
    "included.\n\n" CLI_ZONING_HELP
    "  --value-field F      a numeric field to carry and sum (population, jobs); repeatable\n"
    "  --sort area|name     classes by area, largest first (default), or by name\n"
    "  --list               also list every zone kept: feature id, class, name, area, repaired\n"
    "  --json               one JSON object (see docs/zoning.md)\n"
    "  -o FILE              write there instead of stdout\n";

#define MAX_VALUES 16

struct info_options {
    int list;
};

static double
round_to(double x, double unit)
{
    return round(x / unit) * unit;
}

static char *
info_json(const struct cr_zones *z, const struct cr_zones_summary *s, const struct info_options *io)
{
    json_t *root = json_object(), *classes = json_array(), *values = json_object();
    const double *wb = s->bbox_wgs84;
    json_object_set_new(root, "path", json_string(s->path));
    json_object_set_new(root, "layer", json_string(s->layer));
    json_object_set_new(root, "class_field",
                        s->class_field ? json_string(s->class_field) : json_null());
    json_object_set_new(root, "features_read", json_integer((json_int_t)s->features_read));
    json_object_set_new(root, "zones", json_integer((json_int_t)s->zones));
    json_object_set_new(root, "repaired", json_integer((json_int_t)s->repaired));
    json_object_set_new(root, "skipped",
                        json_pack("{s:I,s:I,s:I}", "empty", (json_int_t)s->skipped_empty,
                                  "non_polygon", (json_int_t)s->skipped_non_polygon, "no_area",
                                  (json_int_t)s->skipped_no_area));
    json_object_set_new(root, "source_crs", json_string(s->source_crs ? s->source_crs : ""));
    json_object_set_new(root, "work_crs", json_string(s->work_crs ? s->work_crs : ""));
    json_object_set_new(root, "work_crs_name",
                        json_string(s->work_crs_name ? s->work_crs_name : ""));
    json_object_set_new(root, "bbox",
                        json_pack("[f,f,f,f]", round_to(s->bbox[0], 0.01),
                                  round_to(s->bbox[1], 0.01), round_to(s->bbox[2], 0.01),
                                  round_to(s->bbox[3], 0.01)));
    json_object_set_new(root, "bbox_wgs84",
                        isnan(wb[0])
                            ? json_null()
                            : json_pack("[f,f,f,f]", round_to(wb[0], 1e-7), round_to(wb[1], 1e-7),
                                        round_to(wb[2], 1e-7), round_to(wb[3], 1e-7)));
    json_object_set_new(root, "sort", json_string(s->sort == CR_ZONES_BY_NAME ? "name" : "area"));
    for (size_t k = 0; k < s->class_count; k++) {
        const struct cr_zones_summary_class *c = &s->classes[k];
        json_t *o = json_pack("{s:s,s:I,s:f}", "class", c->cls, "count", (json_int_t)c->count,
                              "area_ha", round_to(c->area_m2 / 1e4, 1e-4));
        if (s->value_count) {
            json_t *vs = json_object();
            for (size_t v = 0; v < s->value_count; v++)
                json_object_set_new(vs, s->value_names[v], json_real(c->values[v]));
            json_object_set_new(o, "values", vs);
        }
        json_array_append_new(classes, o);
    }
    json_object_set_new(root, "classes", classes);
    json_object_set_new(root, "total_area_ha", json_real(round_to(s->total_area_m2 / 1e4, 1e-4)));
    for (size_t v = 0; v < s->value_count; v++)
        json_object_set_new(values, s->value_names[v],
                            json_pack("{s:f,s:I}", "sum", s->value_totals[v], "missing",
                                      (json_int_t)s->value_missing[v]));
    json_object_set_new(root, "values", values);
    json_object_set_new(root, "values_not_numeric",
                        json_integer((json_int_t)s->values_not_numeric));
    if (io->list) {
        json_t *zones = json_array();
        struct cr_zone_info zone;
        for (size_t i = 0; cr_zones_zone(z, i, &zone) == 0; i++)
            json_array_append_new(zones, json_pack("{s:I,s:s,s:o,s:f,s:b}", "fid",
                                                   (json_int_t)zone.fid, "class", zone.cls, "name",
                                                   zone.name ? json_string(zone.name) : json_null(),
                                                   "area_ha", round_to(zone.area_m2 / 1e4, 1e-6),
                                                   "repaired", zone.repaired));
        json_object_set_new(root, "zones_list", zones);
    }
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return text;
}

/* Width for printf's %-*s so UTF-8 names pad by characters, not bytes. */
static int
pad(const char *s, int width)
{
    for (; *s; s++)
        width += ((unsigned char)*s & 0xC0) == 0x80;
    return width;
}

static int text_append(char **buf, size_t *len, size_t *cap, const char *fmt, ...) CR_PRINTF(4, 5);

static int
text_append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(*buf ? *buf + *len : NULL, *buf ? *cap - *len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return -1;
        if (*buf && *len + (size_t)n < *cap) {
            *len += (size_t)n;
            return 0;
        }
        size_t ncap = *cap ? *cap : 4096;
        while (ncap <= *len + (size_t)n)
            ncap *= 2;
        char *b = realloc(*buf, ncap);
        if (!b)
            return -1;
        *buf = b;
        *cap = ncap;
    }
}

#define P(...) bad |= text_append(&b, &len, &cap, __VA_ARGS__)

/* The class table: one row per class, then the total and the value notes. */
static int
class_table(char **bp, size_t *lenp, size_t *capp, const struct cr_zones_summary *s)
{
    char *b = *bp;
    size_t len = *lenp, cap = *capp;
    int bad = 0;
    P("    %-40s %7s %12s %7s", "class", "zones", "area ha", "share");
    for (size_t v = 0; v < s->value_count; v++)
        P(" %14.14s", s->value_names[v]);
    P("\n");
    for (size_t k = 0; k < s->class_count; k++) {
        const struct cr_zones_summary_class *c = &s->classes[k];
        const char *name = c->cls[0] ? c->cls : "(none)";
        P("    %-*s %7zu %12.4f %6.2f%%", pad(name, 40), name, c->count, c->area_m2 / 1e4,
          s->total_area_m2 > 0 ? 100.0 * c->area_m2 / s->total_area_m2 : 0.0);
        for (size_t v = 0; v < s->value_count; v++)
            P(" %14.2f", c->values[v]);
        P("\n");
    }
    P("    %-40s %7zu %12.4f %6.2f%%", "total", s->zones, s->total_area_m2 / 1e4, 100.0);
    for (size_t v = 0; v < s->value_count; v++)
        P(" %14.2f", s->value_totals[v]);
    P("\n");
    for (size_t v = 0; v < s->value_count; v++)
        if (s->value_missing[v])
            P("  %s: %zu zones without a value\n", s->value_names[v], s->value_missing[v]);
    if (s->values_not_numeric)
        P("  %zu values were text, not numbers (left out)\n", s->values_not_numeric);
    *bp = b;
    *lenp = len;
    *capp = cap;
    return bad;
}

static char *
info_text(const struct cr_zones *z, const struct cr_zones_summary *s, const struct info_options *io,
          size_t *out_len)
{
    char *b = NULL;
    size_t len = 0, cap = 0;
    const double *wb = s->bbox_wgs84;
    int bad = 0;
    P("%s (layer %s)\n", s->path, s->layer);
    P("  features     %zu read, %zu zones kept, %zu repaired (made valid)\n", s->features_read,
      s->zones, s->repaired);
    P("  skipped      %zu empty, %zu not polygons, %zu with no area left\n", s->skipped_empty,
      s->skipped_non_polygon, s->skipped_no_area);
    P("  source CRS   %s\n", s->source_crs ? s->source_crs : "?");
    if (s->work_crs && strlen(s->work_crs) < 40)
        P("  working CRS  %s (%s)\n", s->work_crs, s->work_crs_name ? s->work_crs_name : "");
    else
        P("  working CRS  %s (given as WKT or a PROJ string)\n",
          s->work_crs_name ? s->work_crs_name : "?");
    P("  bbox         %.2f %.2f %.2f %.2f (working CRS, m)\n", s->bbox[0], s->bbox[1], s->bbox[2],
      s->bbox[3]);
    if (!isnan(wb[0]))
        P("               %.6f %.6f %.6f %.6f (WGS 84 lon/lat)\n", wb[0], wb[1], wb[2], wb[3]);
    P("\n  classes      %zu (field %s), by %s\n", s->class_count,
      s->class_field ? s->class_field : "none",
      s->sort == CR_ZONES_BY_NAME ? "name" : "area, largest first");
    bad |= class_table(&b, &len, &cap, s);
    if (io->list) {
        struct cr_zone_info zone;
        P("\n  zones (feature id; OSM: way id * 2, relation id * 2 + 1)\n");
        P("    %12s %-30s %-30s %12s %s\n", "fid", "class", "name", "area ha", "repaired");
        for (size_t i = 0; cr_zones_zone(z, i, &zone) == 0; i++) {
            const char *name = zone.name ? zone.name : "";
            P("    %12lld %-*s %-*s %12.6f %s\n", (long long)zone.fid, pad(zone.cls, 30), zone.cls,
              pad(name, 30), name, zone.area_m2 / 1e4, zone.repaired ? "yes" : "");
        }
    }
    if (bad) {
        free(b);
        return NULL;
    }
    *out_len = len;
    return b;
}
#undef P

static int
zones_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_ZONING_LONGOPTS,
        { "value-field", required_argument, NULL, 'v' },
        { "sort", required_argument, NULL, 'S' },
        { "list", no_argument, NULL, 'l' },
        { "json", no_argument, NULL, 'j' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cr_zones_options zo = { 0 };
    struct info_options io = { 0 };
    enum cr_zones_sort sort = CR_ZONES_BY_AREA;
    struct cr_zones_summary sum = { 0 };
    const char *values[MAX_VALUES + 1] = { 0 };
    size_t value_count = 0;
    const char *output = NULL;
    int c, json = 0, rc = CLI_EXIT_INPUT;
    struct cr_error err = { 0 };
    struct cr_zones *z = NULL;
    size_t len = 0;
    char *text = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (cli_zoning_option(c, optarg, &zo))
            continue;
        switch (c) {
        case 'v':
            if (value_count == MAX_VALUES)
                return cli_usage_error("zones", "at most %d --value-field", MAX_VALUES);
            values[value_count++] = optarg;
            break;
        case 'S':
            if (strcmp(optarg, "area") && strcmp(optarg, "name"))
                return cli_usage_error("zones", "--sort \"%s\": want area or name", optarg);
            sort = strcmp(optarg, "name") ? CR_ZONES_BY_AREA : CR_ZONES_BY_NAME;
            break;
        case 'l':
            io.list = 1;
            break;
        case 'j':
            json = 1;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("zones", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("zones", "want exactly one ZONES file");
    zo.path = argv[optind];
    zo.value_fields = value_count ? values : NULL;
    if (cr_zones_load(&zo, &z, &err))
        return cli_fail("zones", &err);
    if (cr_zones_summarize(z, sort, &sum, &err)) {
        rc = cli_fail("zones", &err);
        goto done;
    }
    if (json) {
        text = info_json(z, &sum, &io);
        len = text ? strlen(text) : 0;
        if (text) {
            char *t = realloc(text, len + 2);
            if (t) {
                text = t;
                text[len++] = '\n';
                text[len] = '\0';
            }
        }
    } else {
        text = info_text(z, &sum, &io, &len);
    }
    if (!text) {
        fprintf(stderr, "corridor zones: out of memory\n");
        goto done;
    }
    rc = cli_write_output("zones", output, text, len) ? CLI_EXIT_INPUT : CLI_EXIT_OK;
done:
    free(text);
    cr_zones_summary_fini(&sum);
    cr_zones_destroy(z);
    return rc;
}

int
cmd_zones(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (!strcmp(argv[1], "info"))
        return zones_info(argc - 1, argv + 1);
    return cli_usage_error("zones", "unknown subcommand \"%s\" (want info)", argv[1]);
}
