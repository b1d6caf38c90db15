/* corridor access NETWORK --zones Z --opportunities FIELD --minutes 30,45,60 --profile P
 *                 [--decay exp:0.05] [--compare SCENARIO.corr] [-o ACCESS.csv|.gpkg]
 *                 [--map ACCESS.png|pdf|svg [--map-field F] [--title T]] */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_map.h"
#include "cli/planning_io.h"
#include "cli/session.h"
#include "cli/zoning_opts.h"
#include "planning/access.h"
#include "planning/skim.h"
#include "render/map.h"
#include "spatial/zones.h"

static const char usage_text[] =
    "usage: corridor access NETWORK --zones ZONES --opportunities FIELD|area:CLASS[,CLASS...]\n"
    "                       --minutes 30,45,60 --profile P [--metric M] [--decay exp:B|power:A]\n"
    "                       [--compare SCENARIO.corr] [-o ACCESS.csv|ACCESS.gpkg]\n"
    "                       [--map ACCESS.png|pdf|svg [--map-field F] [--title T]]\n"
    "                       [zoning options] [--vehicle ...] [--no-ch] [--max-snap M]\n\n"
    "Accessibility: for every zone, the opportunities of every zone reachable from it within\n"
    "each threshold (cumulative opportunities), from the zone-to-zone skim of corridor skim;\n"
    "with --decay also the gravity measure sum_j O_j * f(t_ij). A zone reaches its own\n"
    "opportunities at 0 minutes; unreachable pairs count nothing. See docs/access.md.\n\n"
    "  --opportunities F    a numeric field of the zones (jobs, population...); or area:CLASS,...\n"
    "                       the area in ha of the zones of those classes (area:* every class):\n"
    "                       for OSM landuse, a proxy, not jobs, and labelled so in the output\n"
    "  --minutes LIST       thresholds in minutes, (0, 1440], at most 16\n"
    "  --decay exp:BETA     also f(t) = exp(-BETA * t); power:ALPHA: f(t) = max(t, 1)^-ALPHA\n"
    "                       (t in minutes)\n"
    "  --compare FILE       the same on a second network (a scenario): each measure as\n"
    "                       _before, _after and _change (after - before)\n"
    "  -o FILE              .gpkg: the zone polygons with the measures (layer access, for\n"
    "                       corridor render --zones FILE --value-field within_30min); else CSV\n"
    "                       (default: CSV on stdout)\n"
    "  --map FILE           a choropleth plan map of one measure per zone (.png, .pdf, .svg):\n"
    "                       sequential; with --compare diverging, of its _change\n"
    "  --map-field F        the measure mapped (within_45min, gravity_exp; default: the first\n"
    "                       threshold's)\n"
    "  --title T            the map's title\n"
    "  --metric, --vehicle, --no-ch, --max-snap: as for corridor skim\n\n"
    "The zones are read as every planning command reads them (docs/zoning.md):\n" CLI_ZONING_HELP;

struct access_args {
    struct cli_session_options so;
    struct cr_zones_options zo;
    struct cr_access_source source;
    struct cr_access_options options;
    const char *output, *compare, *opportunities, *minutes, *decay, *map, *map_field, *title;
};

/* The measure --map draws: the threshold index (>= 0) or -1 - 0 for gravity, into *K; the
 * suffix (NULL: a plain run; else "_change", "_before", "_after") into *SUFFIX. Returns 0, or -1
 * when F names no measure of this run. */
static int
map_column(const struct access_args *a, int *k, const char **suffix)
{
    const char *f = a->map_field;
    static const char *const suffixes[] = { "_change", "_before", "_after" };
    char name[64];
    size_t n;

    if (k)
        *k = 0;
    if (suffix)
        *suffix = a->compare ? "_change" : NULL;
    if (!f)
        return 0;
    n = strlen(f);
    for (size_t i = 0; a->compare && i < 3; i++) {
        size_t m = strlen(suffixes[i]);
        if (n > m && !strcmp(f + n - m, suffixes[i])) {
            n -= m;
            if (suffix)
                *suffix = suffixes[i];
        }
    }
    for (size_t t = 0; t < a->options.threshold_count; t++) {
        char want[96];
        cr_access_threshold_name(a->options.minutes[t], name, sizeof name);
        snprintf(want, sizeof want, "within_%s", name);
        if (strlen(want) == n && !strncmp(f, want, n)) {
            if (k)
                *k = (int)t;
            return 0;
        }
    }
    if (a->options.decay.kind) {
        const char *want = a->options.decay.kind == CR_DECAY_EXP ? "gravity_exp" : "gravity_power";
        if (strlen(want) == n && !strncmp(f, want, n)) {
            if (k)
                *k = -1;
            return 0;
        }
    }
    return -1;
}

/* The command line into A; -1 when all is well, else the exit code. */
static int
parse_args(int argc, char **argv, struct access_args *a)
{
    enum { O_OPP = CLI_O_ZONES_END, O_MINUTES, O_DECAY, O_COMPARE, O_MAP, O_MAP_FIELD, O_TITLE };
    static const struct option longopts[] = {
        CLI_ZONES_LONGOPTS,
        CLI_SESSION_LONGOPTS,
        { "opportunities", required_argument, NULL, O_OPP },
        { "minutes", required_argument, NULL, O_MINUTES },
        { "decay", required_argument, NULL, O_DECAY },
        { "compare", required_argument, NULL, O_COMPARE },
        { "map", required_argument, NULL, O_MAP },
        { "map-field", required_argument, NULL, O_MAP_FIELD },
        { "title", required_argument, NULL, O_TITLE },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cr_error err = { 0 };
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (cli_zoning_option(c, optarg, &a->zo))
            continue;
        if ((rc = cli_session_option("access", c, optarg, &a->so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case O_OPP:
            a->opportunities = optarg;
            break;
        case O_MINUTES:
            a->minutes = optarg;
            break;
        case O_DECAY:
            a->decay = optarg;
            break;
        case O_COMPARE:
            a->compare = optarg;
            break;
        case O_MAP:
            a->map = optarg;
            break;
        case O_MAP_FIELD:
            a->map_field = optarg;
            break;
        case O_TITLE:
            a->title = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("access", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("access", "want exactly one NETWORK file");
    if (!a->zo.path)
        return cli_usage_error("access", "want --zones FILE");
    if (!a->so.profile)
        return cli_usage_error("access", "want --profile P");
    if (!a->opportunities)
        return cli_usage_error("access", "want --opportunities FIELD or area:CLASS");
    if (!a->minutes)
        return cli_usage_error("access", "want --minutes LIST");
    if (a->map && cr_map_format_of(a->map) == CR_MAP_UNKNOWN)
        return cli_usage_error("access", "--map %s: want a .png, .pdf or .svg file", a->map);
    if ((a->map_field || a->title) && !a->map)
        return cli_usage_error("access", "--%s needs --map", a->title ? "title" : "map-field");
    if (cr_access_source_parse(a->opportunities, &a->source, &err) ||
        cr_access_parse_minutes(a->minutes, &a->options, &err) ||
        (a->decay && cr_access_parse_decay(a->decay, &a->options.decay, &err)))
        return cli_usage_error("access", "%s", err.msg);
    a->so.network = argv[optind];
    if (a->map_field && map_column(a, NULL, NULL) < 0)
        return cli_usage_error("access",
                               "--map-field %s: not a measure of this run (want e.g. "
                               "within_%smin%s)",
                               a->map_field, "<T>",
                               a->options.decay.kind ? " or gravity_<kind>" : "");
    return -1;
}

/* The skim of Z on NETWORK and the accessibility from it into OUT. */
static int
run_network(const struct access_args *a, const char *network, const struct cr_zones *z,
            const double *opp, struct cr_access_result *out, struct cli_session *keep)
{
    struct cli_session_options so = a->so;
    struct cli_session s;
    struct cr_skim skim = { 0 };
    struct cr_error err = { 0 };
    int rc;

    so.network = network;
    if ((rc = cli_session_open(&s, "access", &so)))
        return rc;
    if (cr_skim_run(z, s.router, &skim, &err) ||
        cr_access_compute(&skim, opp, &a->options, out, &err)) {
        rc = cli_fail("access", &err);
    } else if (skim.placed < skim.count) {
        fprintf(stderr,
                "corridor access: note: %s: %zu of %zu zones lie farther than %.0f m from any "
                "way the %s profile may use (status no_segment: they reach only themselves)\n",
                network, skim.count - skim.placed, skim.count, cr_session_max_snap_m(s.session),
                s.profile.name);
    }
    cr_skim_fini(&skim);
    if (keep && !rc)
        *keep = s; /* for the map: the caller closes it */
    else
        cli_session_close(&s);
    return rc;
}

/* The value of zone I in R for the measure K (a threshold, or -1: gravity). */
static double
measure(const struct cr_access_result *r, size_t i, int k)
{
    return k < 0 ? r->gravity[i] : r->within[i * r->thresholds + (size_t)k];
}

/* The legend's unit: the field's name, or "ha of industrial land (a proxy)". */
static void
map_unit(const struct cr_access_source *src, char *buf, size_t size)
{
    size_t w;

    if (!src->area) {
        snprintf(buf, size, "%s", src->field);
        return;
    }
    w = (size_t)snprintf(buf, size, "ha of ");
    for (size_t i = 0; i < src->class_count && w < size; i++)
        w += (size_t)snprintf(buf + w, size - w, "%s%s", i ? ", " : "", src->classes[i]);
    if (w < size)
        snprintf(buf + w, size - w, "%sland (a proxy)", src->class_count ? " " : "");
}

/* The --map: one measure per zone as a choropleth (sequential; diverging for a _change) over the
 * network NET (the scenario's with --compare), framed on the zones. */
static enum cr_status
draw_map(const struct access_args *a, const struct cr_access_report *r,
         const struct cli_session *net, struct cr_error *err)
{
    struct cr_map_options mo = { 0 };
    struct cr_map_result res;
    struct cr_style style;
    struct cr_choropleth ch = { .palette = CR_PALETTE_SEQUENTIAL };
    char unit[200], title[512], subtitle[768], date[32], col[96], *name = NULL;
    const char *suffix;
    double bbox[4], *values = malloc((r->zones->count ? r->zones->count : 1) * sizeof *values);
    int k;
    enum cr_status st;

    if (!values)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", a->map);
    map_column(a, &k, &suffix);
    for (size_t i = 0; i < r->zones->count; i++) {
        double b = measure(r->before, i, k), f = r->after ? measure(r->after, i, k) : b;
        values[i] = !suffix || !strcmp(suffix, "_before") ? b
                    : !strcmp(suffix, "_after")           ? f
                                                          : f - b;
    }
    if (k < 0)
        snprintf(col, sizeof col, "gravity_%s%s",
                 a->options.decay.kind == CR_DECAY_EXP ? "exp" : "power", suffix ? suffix : "");
    else {
        char t[32];
        cr_access_threshold_name(a->options.minutes[k], t, sizeof t);
        snprintf(col, sizeof col, "within_%s%s", t, suffix ? suffix : "");
    }
    map_unit(r->source, unit, sizeof unit);
    ch.values = values;
    ch.unit = unit;
    if (suffix && !strcmp(suffix, "_change"))
        ch.palette = CR_PALETTE_DIVERGING;
    if ((st = cr_style_load(NULL, &style, err))) {
        free(values);
        return st;
    }
    name = a->compare ? cli_map_network_name(net->view) : NULL;
    if (name)
        snprintf(title, sizeof title, "%s: accessibility", name);
    else if (a->compare)
        snprintf(title, sizeof title, "Accessibility: %s against %s", cli_map_base_name(a->compare),
                 cli_map_base_name(a->so.network));
    else
        snprintf(title, sizeof title, "Accessibility on %s", cli_map_base_name(a->so.network));
    if (k < 0)
        snprintf(subtitle, sizeof subtitle, "%s: gravity measure (%s), %s (%s)%s", col, a->decay,
                 unit, net->profile.name,
                 !suffix            ? ""
                 : suffix[1] == 'c' ? "; change, after - before"
                 : suffix[1] == 'b' ? "; before"
                                    : "; after");
    else
        snprintf(subtitle, sizeof subtitle, "%s: %s within %g min (%s)%s", col, unit,
                 a->options.minutes[k], net->profile.name,
                 !suffix            ? ""
                 : suffix[1] == 'c' ? "; change, after - before"
                 : suffix[1] == 'b' ? "; before"
                                    : "; after");
    cli_map_date(date, sizeof date);
    if (!(st = cr_map_set_page(&mo, "A4", 1, 0, 0, 0, err))) {
        mo.graph = net->view;
        mo.zones = r->zones;
        mo.choropleth = &ch;
        mo.bbox = cli_map_zones_extent(r->zones, bbox) ? NULL : bbox;
        mo.title = a->title ? a->title : title;
        mo.subtitle = subtitle;
        mo.date = date;
        mo.style = &style;
        mo.output = a->map;
        st = cr_map_render(&mo, &res, err);
    }
    cr_style_fini(&style);
    free(name);
    free(values);
    return st;
}

static int
is_gpkg(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 5 && !strcasecmp(path + n - 5, ".gpkg");
}

/* The report to -o (GeoPackage or CSV). */
static int
write_report(const struct access_args *a, const struct cr_access_report *r)
{
    struct cr_error err = { 0 };
    size_t len = 0;
    char *text;
    int rc;

    if (is_gpkg(a->output))
        return cr_access_write_gpkg(r, a->output, &err) ? cli_fail("access", &err) : CLI_EXIT_OK;
    if (!(text = cr_access_csv(r, &len))) {
        fprintf(stderr, "corridor access: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    rc = cli_write_output("access", a->output, text, len);
    free(text);
    return rc;
}

int
cmd_access(int argc, char **argv)
{
    struct access_args a = { 0 };
    const char *fields[2] = { NULL, NULL };
    struct cr_zones *z = NULL;
    struct cr_access_result before = { 0 }, after = { 0 };
    struct cr_access_report report;
    struct cli_session net;
    struct cr_error err = { 0 };
    double *opp = NULL;
    int kept = 0;
    size_t missing = 0;
    int rc;

    if ((rc = parse_args(argc, argv, &a)) >= 0)
        return rc;
    if ((rc = cli_check_writable("access", a.output)) || (rc = cli_check_writable("access", a.map)))
        return rc;
    if (a.compare && access(a.compare, R_OK) != 0) { /* before the first network's long run */
        fprintf(stderr, "corridor access: %s: %s\n", a.compare, strerror(errno));
        return CLI_EXIT_INPUT;
    }
    if (!a.source.area) {
        fields[0] = a.source.field;
        a.zo.value_fields = fields;
    }
    if (cr_zones_load(&a.zo, &z, &err))
        return cli_fail("access", &err);
    if (!(opp = calloc(z->count ? z->count : 1, sizeof *opp))) {
        cr_zones_destroy(z);
        fprintf(stderr, "corridor access: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    if (cr_access_opportunities(z, &a.source, opp, &missing, &err)) {
        rc = cli_fail("access", &err);
        goto done;
    }
    if (a.source.area) {
        double total = 0;
        for (size_t i = 0; i < z->count; i++)
            total += opp[i];
        if (total == 0)
            fprintf(stderr, "corridor access: note: no zone of %s has class %s: every count is 0\n",
                    z->source_path, a.opportunities + 5);
    }
    if (missing)
        fprintf(stderr, "corridor access: note: %zu of %zu zones have no number in %s (0 there)\n",
                missing, z->count, a.source.field);
    if ((rc = run_network(&a, a.so.network, z, opp, &before, a.map && !a.compare ? &net : NULL)))
        goto done;
    kept = a.map && !a.compare;
    if (a.compare && (rc = run_network(&a, a.compare, z, opp, &after, a.map ? &net : NULL)))
        goto done;
    kept = a.map != NULL;
    report =
        (struct cr_access_report){ z, &a.source, &a.options, &before, a.compare ? &after : NULL };
    if (a.map && draw_map(&a, &report, &net, &err)) {
        rc = cli_fail("access", &err);
        goto done;
    }
    rc = write_report(&a, &report);
done:
    if (kept)
        cli_session_close(&net);
    cr_access_fini(&before);
    cr_access_fini(&after);
    free(opp);
    cr_zones_destroy(z);
    return rc;
}
