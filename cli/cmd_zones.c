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
#include "importers/zoning/zoning.h"

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
    const char *sort;
    const char *class_field;
    int list;
    size_t *order; /* classes in the order to print: indices into z->classes */
};

struct class_key {
    size_t index;
    const struct cr_zone_class *c;
};

static int
by_area_desc(const void *a, const void *b)
{
    const struct cr_zone_class *x = ((const struct class_key *)a)->c;
    const struct cr_zone_class *y = ((const struct class_key *)b)->c;
    if (x->area_m2 != y->area_m2)
        return x->area_m2 < y->area_m2 ? 1 : -1;
    return strcmp(x->cls, y->cls);
}

/* IO->order: by name (z->classes' own order) or by area, largest first. 0 on success. */
static int
order_classes(const struct cr_zones *z, struct info_options *io)
{
    struct class_key *keys = calloc(z->class_count + 1, sizeof *keys);
    io->order = calloc(z->class_count + 1, sizeof *io->order);
    if (!keys || !io->order) {
        free(keys);
        return -1;
    }
    for (size_t i = 0; i < z->class_count; i++)
        keys[i] = (struct class_key){ .index = i, .c = &z->classes[i] };
    if (strcmp(io->sort, "name"))
        qsort(keys, z->class_count, sizeof *keys, by_area_desc);
    for (size_t i = 0; i < z->class_count; i++)
        io->order[i] = keys[i].index;
    free(keys);
    return 0;
}

/* Per class sums of the value fields: [class * value_count + v], and the zones missing each. */
static void
value_sums(const struct cr_zones *z, double *per_class, double *total, size_t *missing)
{
    for (size_t v = 0; v < z->value_count; v++) {
        total[v] = 0;
        missing[v] = 0;
    }
    for (size_t c = 0; c < z->class_count * z->value_count; c++)
        per_class[c] = 0;
    for (size_t i = 0; i < z->count; i++) {
        const struct cr_zone *zone = &z->zones[i];
        size_t c = 0;
        while (c < z->class_count && z->classes[c].cls != zone->cls)
            c++;
        for (size_t v = 0; v < z->value_count; v++) {
            double x = zone->values[v];
            if (isnan(x)) {
                missing[v]++;
                continue;
            }
            total[v] += x;
            if (c < z->class_count)
                per_class[c * z->value_count + v] += x;
        }
    }
}

static void
wgs84_bbox(const struct cr_zones *z, double out[4])
{
    double xs[4] = { z->bbox[0], z->bbox[2], z->bbox[0], z->bbox[2] };
    double ys[4] = { z->bbox[1], z->bbox[1], z->bbox[3], z->bbox[3] };
    out[0] = out[1] = INFINITY;
    out[2] = out[3] = -INFINITY;
    for (int i = 0; i < 4; i++) {
        double lon, lat;
        if (cr_zones_to_wgs84(z, xs[i], ys[i], &lon, &lat) == 0) {
            out[0] = fmin(out[0], lon);
            out[1] = fmin(out[1], lat);
            out[2] = fmax(out[2], lon);
            out[3] = fmax(out[3], lat);
        }
    }
    if (!isfinite(out[0]))
        out[0] = out[1] = out[2] = out[3] = NAN;
}

static double
round_to(double x, double unit)
{
    return round(x / unit) * unit;
}

static char *
info_json(const struct cr_zones *z, const struct info_options *io, const double *per_class,
          const double *total, const size_t *missing)
{
    json_t *root = json_object(), *classes = json_array(), *values = json_object();
    double total_m2 = 0, wb[4];
    for (size_t c = 0; c < z->class_count; c++)
        total_m2 += z->classes[c].area_m2;
    wgs84_bbox(z, wb);
    json_object_set_new(root, "path", json_string(z->source_path));
    json_object_set_new(root, "layer", json_string(z->layer_name ? z->layer_name : ""));
    json_object_set_new(root, "class_field",
                        io->class_field ? json_string(io->class_field) : json_null());
    json_object_set_new(root, "features_read", json_integer((json_int_t)z->features_read));
    json_object_set_new(root, "zones", json_integer((json_int_t)z->count));
    json_object_set_new(root, "repaired", json_integer((json_int_t)z->repaired));
    json_object_set_new(root, "skipped",
                        json_pack("{s:I,s:I,s:I}", "empty", (json_int_t)z->skipped_empty,
                                  "non_polygon", (json_int_t)z->skipped_non_polygon, "no_area",
                                  (json_int_t)z->skipped_degenerate));
    json_object_set_new(root, "source_crs", json_string(z->source_crs ? z->source_crs : ""));
    json_object_set_new(root, "work_crs", json_string(z->work_crs ? z->work_crs : ""));
    json_object_set_new(root, "work_crs_name",
                        json_string(z->work_crs_name ? z->work_crs_name : ""));
    json_object_set_new(root, "bbox",
                        json_pack("[f,f,f,f]", round_to(z->bbox[0], 0.01),
                                  round_to(z->bbox[1], 0.01), round_to(z->bbox[2], 0.01),
                                  round_to(z->bbox[3], 0.01)));
    json_object_set_new(root, "bbox_wgs84",
                        isnan(wb[0])
                            ? json_null()
                            : json_pack("[f,f,f,f]", round_to(wb[0], 1e-7), round_to(wb[1], 1e-7),
                                        round_to(wb[2], 1e-7), round_to(wb[3], 1e-7)));
    json_object_set_new(root, "sort", json_string(io->sort));
    for (size_t k = 0; k < z->class_count; k++) {
        size_t c = io->order[k];
        json_t *o = json_pack("{s:s,s:I,s:f}", "class", z->classes[c].cls, "count",
                              (json_int_t)z->classes[c].count, "area_ha",
                              round_to(z->classes[c].area_m2 / 1e4, 1e-4));
        if (z->value_count) {
            json_t *vs = json_object();
            for (size_t v = 0; v < z->value_count; v++)
                json_object_set_new(vs, z->value_names[v],
                                    json_real(per_class[c * z->value_count + v]));
            json_object_set_new(o, "values", vs);
        }
        json_array_append_new(classes, o);
    }
    json_object_set_new(root, "classes", classes);
    json_object_set_new(root, "total_area_ha", json_real(round_to(total_m2 / 1e4, 1e-4)));
    for (size_t v = 0; v < z->value_count; v++)
        json_object_set_new(
            values, z->value_names[v],
            json_pack("{s:f,s:I}", "sum", total[v], "missing", (json_int_t)missing[v]));
    json_object_set_new(root, "values", values);
    json_object_set_new(root, "values_not_numeric",
                        json_integer((json_int_t)z->values_not_numeric));
    if (io->list) {
        json_t *zones = json_array();
        for (size_t i = 0; i < z->count; i++) {
            const struct cr_zone *zone = &z->zones[i];
            json_array_append_new(
                zones,
                json_pack("{s:I,s:s,s:o,s:f,s:b}", "fid", (json_int_t)zone->fid, "class", zone->cls,
                          "name", zone->name ? json_string(zone->name) : json_null(), "area_ha",
                          round_to(zone->area_m2 / 1e4, 1e-6), "repaired", zone->repaired));
        }
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

static char *
info_text(const struct cr_zones *z, const struct info_options *io, const double *per_class,
          const double *total, const size_t *missing, size_t *out_len)
{
    char *b = NULL;
    size_t len = 0, cap = 0;
    double total_m2 = 0, wb[4];
    int bad = 0;
    for (size_t c = 0; c < z->class_count; c++)
        total_m2 += z->classes[c].area_m2;
    wgs84_bbox(z, wb);
#define P(...) bad |= text_append(&b, &len, &cap, __VA_ARGS__)
    P("%s (layer %s)\n", z->source_path, z->layer_name ? z->layer_name : "");
    P("  features     %zu read, %zu zones kept, %zu repaired (made valid)\n", z->features_read,
      z->count, z->repaired);
    P("  skipped      %zu empty, %zu not polygons, %zu with no area left\n", z->skipped_empty,
      z->skipped_non_polygon, z->skipped_degenerate);
    P("  source CRS   %s\n", z->source_crs ? z->source_crs : "?");
    if (z->work_crs && strlen(z->work_crs) < 40)
        P("  working CRS  %s (%s)\n", z->work_crs, z->work_crs_name ? z->work_crs_name : "");
    else
        P("  working CRS  %s (given as WKT or a PROJ string)\n",
          z->work_crs_name ? z->work_crs_name : "?");
    P("  bbox         %.2f %.2f %.2f %.2f (working CRS, m)\n", z->bbox[0], z->bbox[1], z->bbox[2],
      z->bbox[3]);
    if (!isnan(wb[0]))
        P("               %.6f %.6f %.6f %.6f (WGS 84 lon/lat)\n", wb[0], wb[1], wb[2], wb[3]);
    P("\n  classes      %zu (field %s), by %s\n", z->class_count,
      io->class_field ? io->class_field : "none",
      strcmp(io->sort, "name") ? "area, largest first" : "name");
    P("    %-40s %7s %12s %7s", "class", "zones", "area ha", "share");
    for (size_t v = 0; v < z->value_count; v++)
        P(" %14.14s", z->value_names[v]);
    P("\n");
    for (size_t k = 0; k < z->class_count; k++) {
        size_t c = io->order[k];
        const char *name = z->classes[c].cls[0] ? z->classes[c].cls : "(none)";
        P("    %-*s %7zu %12.4f %6.2f%%", pad(name, 40), name, z->classes[c].count,
          z->classes[c].area_m2 / 1e4,
          total_m2 > 0 ? 100.0 * z->classes[c].area_m2 / total_m2 : 0.0);
        for (size_t v = 0; v < z->value_count; v++)
            P(" %14.2f", per_class[c * z->value_count + v]);
        P("\n");
    }
    P("    %-40s %7zu %12.4f %6.2f%%", "total", z->count, total_m2 / 1e4, 100.0);
    for (size_t v = 0; v < z->value_count; v++)
        P(" %14.2f", total[v]);
    P("\n");
    for (size_t v = 0; v < z->value_count; v++)
        if (missing[v])
            P("  %s: %zu zones without a value\n", z->value_names[v], missing[v]);
    if (z->values_not_numeric)
        P("  %zu values were text, not numbers (left out)\n", z->values_not_numeric);
    if (io->list) {
        P("\n  zones (feature id; OSM: way id * 2, relation id * 2 + 1)\n");
        P("    %12s %-30s %-30s %12s %s\n", "fid", "class", "name", "area ha", "repaired");
        for (size_t i = 0; i < z->count; i++) {
            const struct cr_zone *zone = &z->zones[i];
            const char *name = zone->name ? zone->name : "";
            P("    %12lld %-*s %-*s %12.6f %s\n", (long long)zone->fid, pad(zone->cls, 30),
              zone->cls, pad(name, 30), name, zone->area_m2 / 1e4, zone->repaired ? "yes" : "");
        }
    }
#undef P
    if (bad) {
        free(b);
        return NULL;
    }
    *out_len = len;
    return b;
}

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
    struct info_options io = { .sort = "area" };
    const char *values[MAX_VALUES + 1] = { 0 };
    size_t value_count = 0;
    const char *output = NULL;
    int c, json = 0, rc = CLI_EXIT_INPUT;
    struct cr_error err = { 0 };
    struct cr_zones *z = NULL;
    double *per_class = NULL, *total = NULL;
    size_t *missing = NULL, len = 0;
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
            io.sort = optarg;
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
    io.class_field = z->class_field; /* OSM: the tag key, landuse unless given */

    per_class = calloc(z->class_count * z->value_count + 1, sizeof *per_class);
    total = calloc(z->value_count + 1, sizeof *total);
    missing = calloc(z->value_count + 1, sizeof *missing);
    if (order_classes(z, &io) || !per_class || !total || !missing) {
        fprintf(stderr, "corridor zones: out of memory\n");
        goto done;
    }
    value_sums(z, per_class, total, missing);
    if (json) {
        text = info_json(z, &io, per_class, total, missing);
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
        text = info_text(z, &io, per_class, total, missing, &len);
    }
    if (!text) {
        fprintf(stderr, "corridor zones: out of memory\n");
        goto done;
    }
    rc = cli_write_output("zones", output, text, len) ? CLI_EXIT_INPUT : CLI_EXIT_OK;
done:
    free(text);
    free(io.order);
    free(per_class);
    free(total);
    free(missing);
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
