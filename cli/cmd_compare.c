/* corridor compare BASE SCENARIO --zones Z --profile P [--demand OD.csv] -o CHANGES.csv
 * [--summary S.json] [--per-zone Z.csv] [--map MAP.png|pdf|svg]: option parsing and printing;
 * the comparison is planning/compare.h, the map render/map.h. */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_map.h"
#include "cli/compare_assign.h"
#include "cli/planning_io.h"
#include "cli/session.h"
#include "cli/zoning_opts.h"
#include "core/csv.h"
#include "planning/compare.h"
#include "planning/skim.h"
#include "render/map.h"
#include "render/overlay.h"
#include "routing/measure.h"
#include "spatial/zones.h"

#define MAX_OVERLAYS 16
#define ID_SIZE 256

static const char usage_text[] =
    "usage: corridor compare BASE SCENARIO --zones ZONES --profile P [--metric time|distance|...]\n"
    "                        [--demand OD.csv] -o CHANGES.csv [--summary SUMMARY.json]\n"
    "                        [--per-zone ZONES.csv] [--map MAP.png|pdf|svg] [--title T]\n"
    "                        [--overlay FILE[:style] ...] [--name-field F] [--layer L] ...\n\n"
    "Before and after: zone-to-zone skims (as corridor skim makes them) of the same zones on\n"
    "the network BASE and the network SCENARIO, with the same profile and metric, compared.\n"
    "See docs/compare.md.\n\n"
    "CHANGES.csv, one row per ordered pair: from_zone,to_zone,time_before_s,time_after_s,\n"
    "time_change_s,distance_before_m,distance_after_m,distance_change_m,status_before,\n"
    "status_after[,trips]; change = after - before, empty unless both are ok; status ok,\n"
    "unreachable or no_segment as in corridor skim.\n\n"
    "  --demand OD.csv      trips between zones: a header with origin, destination, trips\n"
    "                       (aliases from/to/flow...), zone ids as the skim names them; weights\n"
    "                       the per-zone means and gives vehicle-hours and vehicle-km\n"
    "  --summary FILE.json  totals: pairs faster/slower/lost/gained, mean change, VHT, VKT\n"
    "  --per-zone FILE.csv  zone,mean_change_s,mean_change_min,weight,pairs_ok,pairs_lost,\n"
    "                       pairs_gained,snap_moved_m (a table to join to the zones and map)\n"
    "  --map FILE           the per-zone mean change in minutes as a diverging choropleth over\n"
    "                       the scenario network, with --overlay layers (the new road) on top\n"
    "  --title T            the map's title (default: the scenario's name, else the files')\n"
    "  --overlay SPEC       as for corridor render (repeatable)\n"
    "  --profile, --metric, --vehicle, --no-ch, --max-snap: as for corridor skim\n\n"
    "Assignments (docs/compare.md, \"Comparing assignments\"):\n"
    "  --assign ALGORITHM   also assign --demand (CSV, an optional class column) on both\n"
    "                       networks (aon, msa, fw, cfw, bfw, b) and compare the edges' volumes\n"
    "                       and congested times; -o is then optional (no skims without it)\n"
    "  --classes SPEC       PROFILE[:pce=..,capacity_factor=..,alpha=..,beta=..] (repeatable;\n"
    "                       default: the --profile)\n"
    "  --gap G, --max-iter N, --threads N   stop at relative gap G (1e-4) or after N\n"
    "                       iterations (500); shortest paths on N threads\n"
    "  --flows-out FILE     the change per edge: .gpkg (lines) or .csv\n"
    "  --map FILE           with --assign: the change in volume as a flow map (blue less,\n"
    "                       red more)\n\n"
    "The zones are read as every planning command reads them (docs/zoning.md):\n" CLI_ZONING_HELP;

struct compare_args {
    const char *base, *scenario, *demand, *output, *summary, *per_zone, *map, *title;
    const char *overlay_text[MAX_OVERLAYS];
    size_t overlay_count;
    struct cli_session_options so;
    struct cr_zones_options zo;
    int assign;
    struct cli_compare_assign ca;
};

struct compare_run {
    struct cr_zones *z;
    char **ids; /* [z->count] */
    struct cli_session base, scen;
    int base_open, scen_open;
    struct cr_skim before, after;
    struct cr_demand demand;
    int with_demand;
    struct cr_compare cmp;
};

enum {
    O_DEMAND = CLI_O_ZONES_END,
    O_SUMMARY,
    O_PER_ZONE,
    O_MAP,
    O_TITLE,
    O_OVERLAY,
    O_ASSIGN,
    O_CLASSES,
    O_GAP,
    O_MAX_ITER,
    O_THREADS,
    O_FLOWS_OUT
};

/* The --assign options: 0 stored, CLI_EXIT_USAGE bad, -1 not one of them. */
static int
assign_option(int c, const char *arg, struct compare_args *a)
{
    char *end;
    long n;

    switch (c) {
    case O_ASSIGN:
        if ((n = cr_assign_algorithm_parse(arg)) < 0)
            return cli_usage_error("compare", "--assign %s: want aon, msa, fw, cfw, bfw or b", arg);
        a->assign = 1;
        a->ca.ao.algorithm = (enum cr_assign_algorithm)n;
        return 0;
    case O_CLASSES:
        if (a->ca.class_count == CLI_COMPARE_MAX_CLASSES)
            return cli_usage_error("compare", "at most %d classes", CLI_COMPARE_MAX_CLASSES);
        a->ca.classes[a->ca.class_count++] = arg;
        return 0;
    case O_GAP:
        a->ca.ao.gap = strtod(arg, &end);
        if (end == arg || *end || !(a->ca.ao.gap >= 0))
            return cli_usage_error("compare", "--gap %s: want a number >= 0", arg);
        return 0;
    case O_MAX_ITER:
    case O_THREADS:
        n = strtol(arg, &end, 10);
        if (end == arg || *end || n < 1 || n > 1000000)
            return cli_usage_error("compare", "--%s %s: want a whole number >= 1",
                                   c == O_THREADS ? "threads" : "max-iter", arg);
        if (c == O_THREADS)
            a->ca.ao.threads = (unsigned)n;
        else
            a->ca.ao.max_iter = (unsigned)n;
        return 0;
    case O_FLOWS_OUT:
        a->ca.flows_out = arg;
        return 0;
    default:
        return -1;
    }
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* What --assign needs and forbids: CLI_EXIT_USAGE, or -1 when fine. */
static int
check_assign(struct compare_args *a)
{
    if (!a->assign) {
        if (a->ca.class_count || a->ca.flows_out)
            return cli_usage_error("compare", "--classes and --flows-out need --assign");
        return -1;
    }
    if (!a->demand)
        return cli_usage_error("compare", "--assign needs --demand OD.csv");
    if (a->overlay_count)
        return cli_usage_error("compare", "--overlay is not drawn on the --assign flow map");
    if (a->ca.flows_out && !ends_with(a->ca.flows_out, ".gpkg") &&
        !ends_with(a->ca.flows_out, ".csv"))
        return cli_usage_error("compare", "--flows-out %s: want a .gpkg or .csv file",
                               a->ca.flows_out);
    if (!a->ca.class_count && !a->so.profile)
        return cli_usage_error("compare", "--assign wants --profile P or --classes SPEC");
    if (a->output && !a->so.profile)
        return cli_usage_error("compare", "-o (the skims) wants --profile P");
    if (!a->ca.class_count)
        a->ca.classes[a->ca.class_count++] = a->so.profile;
    a->ca.base = a->base;
    a->ca.scenario = a->scenario;
    a->ca.demand = a->demand;
    a->ca.map = a->map;
    a->ca.title = a->title;
    return -1;
}

static int
parse_args(int argc, char **argv, struct compare_args *a)
{
    static const struct option longopts[] = {
        CLI_ZONES_LONGOPTS,
        CLI_SESSION_LONGOPTS,
        { "demand", required_argument, NULL, O_DEMAND },
        { "summary", required_argument, NULL, O_SUMMARY },
        { "per-zone", required_argument, NULL, O_PER_ZONE },
        { "map", required_argument, NULL, O_MAP },
        { "title", required_argument, NULL, O_TITLE },
        { "overlay", required_argument, NULL, O_OVERLAY },
        { "assign", required_argument, NULL, O_ASSIGN },
        { "classes", required_argument, NULL, O_CLASSES },
        { "gap", required_argument, NULL, O_GAP },
        { "max-iter", required_argument, NULL, O_MAX_ITER },
        { "threads", required_argument, NULL, O_THREADS },
        { "flows-out", required_argument, NULL, O_FLOWS_OUT },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, rc;

    a->ca.ao = CR_ASSIGN_OPTIONS_DEFAULT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (cli_zoning_option(c, optarg, &a->zo))
            continue;
        if ((rc = assign_option(c, optarg, a)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        if ((rc = cli_session_option("compare", c, optarg, &a->so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case O_DEMAND:
            a->demand = optarg;
            break;
        case O_SUMMARY:
            a->summary = optarg;
            break;
        case O_PER_ZONE:
            a->per_zone = optarg;
            break;
        case O_MAP:
            a->map = optarg;
            break;
        case O_TITLE:
            a->title = optarg;
            break;
        case O_OVERLAY:
            if (a->overlay_count == MAX_OVERLAYS)
                return cli_usage_error("compare", "at most %d overlays", MAX_OVERLAYS);
            a->overlay_text[a->overlay_count++] = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("compare", "bad option");
        }
    }
    if (optind != argc - 2)
        return cli_usage_error("compare", "want two network files, BASE and SCENARIO");
    a->base = argv[optind];
    a->scenario = argv[optind + 1];
    if (!a->zo.path)
        return cli_usage_error("compare", "want --zones FILE");
    if ((rc = check_assign(a)) >= 0)
        return rc;
    if (!a->so.profile && !a->ca.class_count)
        return cli_usage_error("compare", "want --profile P");
    if (!a->output && !a->assign)
        return cli_usage_error("compare", "want -o CHANGES.csv");
    if (a->overlay_count && !a->map)
        return cli_usage_error("compare", "--overlay needs --map");
    if (a->map && cr_map_format_of(a->map) == CR_MAP_UNKNOWN)
        return cli_usage_error("compare", "--map %s: want a .png, .pdf or .svg file", a->map);
    return -1;
}

/* A duration or distance rounded as every command rounds it, or "" when not ok. */
static void
measure(FILE *f, enum cr_measure m, int ok, double x)
{
    if (ok)
        fprintf(f, ",%.1f", cr_measure_round(m, x, NULL) + 0.0); /* + 0.0: no "-0.0" */
    else
        fputc(',', f);
}

static char *
format_pairs(const struct compare_run *r, size_t *len)
{
    const struct cr_skim *b = &r->before, *a = &r->after;
    size_t n = b->count;
    char *text = NULL;
    FILE *f = open_memstream(&text, len);

    if (!f)
        return NULL;
    fputs("from_zone,to_zone,time_before_s,time_after_s,time_change_s,distance_before_m,"
          "distance_after_m,distance_change_m,status_before,status_after",
          f);
    fputs(r->with_demand ? ",trips\n" : "\n", f);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            enum cr_skim_status sb = cr_skim_cell_status(b, i, j),
                                sa = cr_skim_cell_status(a, i, j);
            const struct cr_cell *cb = &b->cells[i * n + j], *ca = &a->cells[i * n + j];
            int okb = sb == CR_SKIM_OK, oka = sa == CR_SKIM_OK;
            double tb = cr_measure_round(CR_MEASURE_DURATION, cb->duration_s, NULL);
            double ta = cr_measure_round(CR_MEASURE_DURATION, ca->duration_s, NULL);
            double db = cr_measure_round(CR_MEASURE_DISTANCE, cb->distance_m, NULL);
            double da = cr_measure_round(CR_MEASURE_DISTANCE, ca->distance_m, NULL);
            cr_csv_field(f, r->ids[i]);
            fputc(',', f);
            cr_csv_field(f, r->ids[j]);
            measure(f, CR_MEASURE_DURATION, okb, tb);
            measure(f, CR_MEASURE_DURATION, oka, ta);
            measure(f, CR_MEASURE_DURATION, okb && oka, ta - tb);
            measure(f, CR_MEASURE_DISTANCE, okb, db);
            measure(f, CR_MEASURE_DISTANCE, oka, da);
            measure(f, CR_MEASURE_DISTANCE, okb && oka, da - db);
            fprintf(f, ",%s,%s", cr_skim_status_name(sb), cr_skim_status_name(sa));
            if (r->with_demand)
                fprintf(f, ",%.10g", r->demand.trips[i * n + j]);
            fputc('\n', f);
        }
    if (fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

static char *
format_zones(const struct compare_run *r, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);

    if (!f)
        return NULL;
    fputs("zone,mean_change_s,mean_change_min,weight,pairs_ok,pairs_lost,pairs_gained,"
          "snap_moved_m\n",
          f);
    for (size_t i = 0; i < r->cmp.count; i++) {
        const struct cr_compare_zone *z = &r->cmp.zones[i];
        cr_csv_field(f, r->ids[i]);
        if (isnan(z->mean_change_s))
            fputs(",,", f);
        else
            fprintf(f, ",%.1f,%.2f", z->mean_change_s + 0.0, z->mean_change_s / 60 + 0.0);
        fprintf(f, ",%.10g,%zu,%zu,%zu,", z->weight, z->pairs_ok, z->pairs_lost, z->pairs_gained);
        if (!isnan(z->snap_moved_m))
            fprintf(f, "%.1f", z->snap_moved_m);
        fputc('\n', f);
    }
    if (fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

static char *
format_summary(const struct compare_args *a, const struct compare_run *r, const char *name)
{
    const struct cr_compare *c = &r->cmp;
    json_t *root = json_object(), *pairs = json_object();
    char *text;

    json_object_set_new(root, "base", json_string(a->base));
    json_object_set_new(root, "scenario", json_string(a->scenario));
    json_object_set_new(root, "scenario_name", name ? json_string(name) : json_null());
    json_object_set_new(root, "zones_file", json_string(a->zo.path));
    json_object_set_new(root, "profile", json_string(r->base.profile.name));
    json_object_set_new(root, "metric", json_string(cr_metric_name(r->base.metric)));
    json_object_set_new(root, "zones", json_integer((json_int_t)c->count));
    json_object_set_new(root, "zones_placed_before",
                        json_integer((json_int_t)c->zones_placed_before));
    json_object_set_new(root, "zones_placed_after",
                        json_integer((json_int_t)c->zones_placed_after));
    json_object_set_new(root, "zones_snap_moved", json_integer((json_int_t)c->zones_moved));
    json_object_set_new(pairs, "total", json_integer((json_int_t)c->pairs));
    json_object_set_new(pairs, "ok_both", json_integer((json_int_t)c->pairs_ok));
    json_object_set_new(pairs, "faster", json_integer((json_int_t)c->pairs_faster));
    json_object_set_new(pairs, "slower", json_integer((json_int_t)c->pairs_slower));
    json_object_set_new(pairs, "lost", json_integer((json_int_t)c->pairs_lost));
    json_object_set_new(pairs, "gained", json_integer((json_int_t)c->pairs_gained));
    json_object_set_new(pairs, "neither", json_integer((json_int_t)c->pairs_neither));
    json_object_set_new(root, "pairs", pairs);
    json_object_set_new(root, "mean_change_s", cli_json_number(c->mean_change_s, 1));
    json_object_set_new(root, "min_change_s", cli_json_number(c->min_change_s, 1));
    json_object_set_new(root, "max_change_s", cli_json_number(c->max_change_s, 1));
    if (r->with_demand) {
        json_t *d = json_object();
        json_object_set_new(d, "file", json_string(a->demand));
        json_object_set_new(d, "rows", json_integer((json_int_t)r->demand.rows));
        json_object_set_new(d, "trips", cli_json_number(c->trips, 3));
        json_object_set_new(d, "trips_ok_both", cli_json_number(c->trips_ok, 3));
        json_object_set_new(d, "trips_lost", cli_json_number(c->trips_lost, 3));
        json_object_set_new(d, "trips_gained", cli_json_number(c->trips_gained, 3));
        json_object_set_new(d, "trips_neither", cli_json_number(c->trips_neither, 3));
        json_object_set_new(d, "vht_before_h", cli_json_number(c->vht_before_h, 3));
        json_object_set_new(d, "vht_after_h", cli_json_number(c->vht_after_h, 3));
        json_object_set_new(d, "vht_change_h",
                            cli_json_number(c->vht_after_h - c->vht_before_h, 3));
        json_object_set_new(d, "vkt_before_km", cli_json_number(c->vkt_before_km, 3));
        json_object_set_new(d, "vkt_after_km", cli_json_number(c->vkt_after_km, 3));
        json_object_set_new(d, "vkt_change_km",
                            cli_json_number(c->vkt_after_km - c->vkt_before_km, 3));
        json_object_set_new(root, "demand", d);
    } else {
        json_object_set_new(root, "demand", json_null());
    }
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return text;
}

/* The per-zone mean change in minutes as a diverging choropleth over the scenario network,
 * framed on the zones. */
static enum cr_status
draw_map(const struct compare_args *a, struct compare_run *r, const char *name,
         struct cr_error *err)
{
    struct cr_map_options mo = { 0 };
    struct cr_map_result res;
    struct cr_overlay_spec specs[MAX_OVERLAYS];
    struct cr_style style;
    struct cr_choropleth ch = { .palette = CR_PALETTE_DIVERGING, .unit = "minutes" };
    char title[512], subtitle[512], date[32];
    double bbox[4];
    double *values = malloc((r->z->count ? r->z->count : 1) * sizeof *values);
    size_t nspec = 0;
    enum cr_status st;

    if (!values)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", a->map);
    for (size_t i = 0; i < r->z->count; i++)
        values[i] = r->cmp.zones[i].mean_change_s / 60;
    ch.values = values;
    if ((st = cr_style_load(NULL, &style, err))) {
        free(values);
        return st;
    }
    for (; nspec < a->overlay_count && !st; nspec++)
        st = cr_overlay_spec_parse(a->overlay_text[nspec], &specs[nspec], err);
    if (st)
        nspec--;
    cli_map_date(date, sizeof date);
    if (name)
        snprintf(title, sizeof title, "%s", name);
    else
        snprintf(title, sizeof title, "%s vs %s", cli_map_base_name(a->scenario),
                 cli_map_base_name(a->base));
    snprintf(subtitle, sizeof subtitle,
             "Mean change in travel time to the other zones%s (%s, %s): %s against %s",
             r->with_demand ? ", weighted by trips" : "", r->base.profile.name,
             cr_metric_name(r->base.metric), cli_map_base_name(a->scenario),
             cli_map_base_name(a->base));
    if (!st)
        st = cr_map_set_page(&mo, "A4", 1, 0, 0, 0, err);
    if (!st) {
        mo.graph = r->scen.view;
        mo.zones = r->z;
        mo.bbox = cli_map_zones_extent(r->z, bbox) ? NULL : bbox;
        mo.choropleth = &ch;
        mo.overlays = specs;
        mo.overlay_count = nspec;
        mo.title = a->title ? a->title : title;
        mo.subtitle = subtitle;
        mo.date = date;
        mo.style = &style;
        mo.output = a->map;
        st = cr_map_render(&mo, &res, err);
    }
    for (size_t i = 0; i < nspec; i++)
        cr_overlay_spec_fini(&specs[i]);
    cr_style_fini(&style);
    free(values);
    return st;
}

/* The zones' ids, as the skim names them. */
static enum cr_status
zone_ids(struct compare_run *r, struct cr_error *err)
{
    if (!(r->ids = calloc(r->z->count ? r->z->count : 1, sizeof *r->ids)))
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->z->count; i++) {
        char id[ID_SIZE];
        cr_compare_zone_id(r->z, i, id, sizeof id);
        if (!(r->ids[i] = strdup(id)))
            return cr_error_set(err, CR_ENOMEM, "out of memory");
    }
    return CR_OK;
}

/* The zones and their ids: 0, or the exit code. */
static int
load_zones(struct compare_args *a, struct compare_run *r)
{
    struct cr_error err = { 0 };
    int osm = cr_map_is_osm_path(a->zo.path);

    if (!a->zo.name_field && osm)
        a->zo.name_field = "name";
    if (!a->zo.class_field && osm)
        a->zo.class_field = "landuse";
    if (cr_zones_load(&a->zo, &r->z, &err) || zone_ids(r, &err))
        return cli_fail("compare", &err);
    return 0;
}

/* Demand, both sessions and skims, the comparison: 0, or the exit code. */
static int
run(struct compare_args *a, struct compare_run *r)
{
    struct cr_error err = { 0 };
    int rc;

    if (a->demand) {
        if (cr_demand_load(a->demand, (const char *const *)r->ids, r->z->count, &r->demand, &err))
            return cli_fail("compare", &err);
        r->with_demand = 1;
    }
    a->so.network = a->base;
    if ((rc = cli_session_open(&r->base, "compare", &a->so)))
        return rc;
    r->base_open = 1;
    a->so.network = a->scenario;
    if ((rc = cli_session_open(&r->scen, "compare", &a->so)))
        return rc;
    r->scen_open = 1;
    if (cr_skim_run(r->z, r->base.router, &r->before, &err) ||
        cr_skim_run(r->z, r->scen.router, &r->after, &err) ||
        cr_compare_skims(&r->before, &r->after, r->with_demand ? &r->demand : NULL, &r->cmp, &err))
        return cli_fail("compare", &err);
    if (r->cmp.zones_moved)
        fprintf(stderr,
                "corridor compare: note: %zu zones snap to other roads on SCENARIO than on BASE "
                "(more than %.0f m apart; --per-zone shows how far): their changes include the "
                "other access\n",
                r->cmp.zones_moved, CR_COMPARE_MOVED_M);
    if (r->before.placed < r->before.count || r->after.placed < r->after.count)
        fprintf(stderr,
                "corridor compare: note: zones out of reach of any way the %s profile may use: "
                "%zu of %zu on BASE, %zu on SCENARIO (status no_segment)\n",
                r->base.profile.name, r->before.count - r->before.placed, r->before.count,
                r->after.count - r->after.placed);
    return 0;
}

/* The outputs A asks for, from R: 0, or the exit code. */
static int
write_outputs(const struct compare_args *a, struct compare_run *r)
{
    struct cr_error err = { 0 };
    char *owned = cli_map_network_name(cr_graph_view(r->scen.graph)), *text;
    const char *name = owned;
    size_t len = 0;
    int rc = 0;

    if (a->map && draw_map(a, r, name, &err)) {
        free(owned);
        return cli_fail("compare", &err);
    }
    if (!(text = format_pairs(r, &len)) || (rc = cli_write_output("compare", a->output, text, len)))
        goto done;
    free(text);
    if (a->per_zone && (!(text = format_zones(r, &len)) ||
                        (rc = cli_write_output("compare", a->per_zone, text, len))))
        goto done;
    if (a->per_zone)
        free(text);
    text = NULL;
    if (a->summary) {
        if (!(text = format_summary(a, r, name)))
            goto done;
        if ((rc = cli_write_output("compare", a->summary, text, strlen(text))))
            goto done;
        free(text);
        text = NULL;
    }
    free(owned);
    return rc;
done:
    if (!rc) {
        fprintf(stderr, "corridor compare: out of memory\n");
        rc = CLI_EXIT_INPUT;
    }
    free(text);
    free(owned);
    return rc;
}

int
cmd_compare(int argc, char **argv)
{
    struct compare_args a = { 0 };
    struct compare_run r;
    int rc;

    memset(&r, 0, sizeof r);
    if ((rc = parse_args(argc, argv, &a)) >= 0)
        return rc;
    if ((rc = cli_check_writable("compare", a.output)) ||
        (rc = cli_check_writable("compare", a.summary)) ||
        (rc = cli_check_writable("compare", a.per_zone)) ||
        (rc = cli_check_writable("compare", a.map)) ||
        (rc = cli_check_writable("compare", a.ca.flows_out)))
        return rc;
    if (a.assign) /* the flow map, not the skims' choropleth */
        a.map = NULL;
    if ((rc = load_zones(&a, &r)))
        ;
    else if (a.output && !(rc = run(&a, &r))) {
        const struct cr_compare *c = &r.cmp;
        rc = write_outputs(&a, &r);
        if (!rc)
            fprintf(stderr,
                    "corridor compare: %zu zones, %zu pairs: %zu faster, %zu slower, %zu lost, "
                    "%zu gained; mean change %.1f s\n",
                    c->count, c->pairs, c->pairs_faster, c->pairs_slower, c->pairs_lost,
                    c->pairs_gained, c->mean_change_s);
    }
    if (!rc && a.assign)
        rc = cli_compare_assign_run(&a.ca, r.z);
    cr_compare_fini(&r.cmp);
    cr_skim_fini(&r.before);
    cr_skim_fini(&r.after);
    cr_demand_fini(&r.demand);
    if (r.scen_open)
        cli_session_close(&r.scen);
    if (r.base_open)
        cli_session_close(&r.base);
    for (size_t i = 0; r.ids && i < r.z->count; i++)
        free(r.ids[i]);
    free(r.ids);
    cr_zones_destroy(r.z);
    return rc;
}
