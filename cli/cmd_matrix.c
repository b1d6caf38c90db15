/* corridor matrix NETWORK --profile P --sources FILE [--targets FILE] [--metric M] [-o FILE] */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/session.h"
#include "core/cond.h"
#include "core/csv.h"
#include "core/geo.h"
#include "importers/omx/omx.h"
#include "importers/points/points.h"
#include "routing/measure.h"
#include "routing/table.h"

static const char usage_text[] =
    "usage: corridor matrix NETWORK --profile P --sources FILE [--targets FILE]\n"
    "                       [--metric time|distance|cost|co2] [--vehicle ...] [-o FILE.csv|.json]\n"
    "                       [--no-ch] [--max-snap M] [--radius R] [--bearing DEG,RANGE]\n"
    "                       [--approach curb|opposite|unrestricted] [--threads N]\n"
    "                       [--annotations duration,distance,cost,co2] [-o FILE.omx]\n"
    "                       [--depart YYYY-MM-DDTHH:MM [--holidays DATE,...]]\n\n"
    "Many-to-many: the metric value from every source to every target (targets default to the\n"
    "sources). FILE is a CSV with lon,lat (and an optional id) columns, or GeoJSON points.\n"
    "CSV output has one row per pair: source,target,KEY,status where KEY names the metric's\n"
    "measure and unit (duration_s, distance_m, cost or co2_kg); status is ok, unreachable or\n"
    "no_segment (a point too far from any usable way). JSON output (-o FILE.json): profile,\n"
    "metric, unit (that KEY), currency, sources, targets and a values matrix with null where\n"
    "there is no value. Values are rounded as every command rounds them: 0.1 s, 0.1 m, the\n"
    "currency's minor unit, 0.001 kg. --radius, --bearing and --approach apply to every point\n"
    "(as in corridor route; docs/routing.md, \"Snapping\"). --threads N (1..16, default 1)\n"
    "splits the rows over N threads when the network file has a hierarchy for the profile and\n"
    "metric (the same output; without one the rows run on one thread). --annotations adds the\n"
    "measures named (of the same routes) after the metric's value: CSV columns and JSON\n"
    "matrices named duration_s, distance_m, cost, co2_kg (the metric's own measure is its\n"
    "column already). -o FILE.omx (sources only, no\n"
    "--targets) writes an OpenMatrix file: the metric's matrix and each annotation's, named\n"
    "by their keys, NaN where there is no value, with the lookup \"ids\" of the points' ids.\n"
    "--depart and --holidays as in corridor route: every cell leaves at that time and is\n"
    "searched by the time-dependent Dijkstra (one search per cell).\n";

/* A weight in the metric's unit, rounded as every command rounds that measure. */
static double
value(const struct cli_session *s, uint64_t weight)
{
    return cr_measure_round(cr_metric_measure(s->metric), cr_metric_value(s->metric, weight),
                            s->profile.currency);
}

/* Cell (I, J) in measure M's unit, rounded (M == CR_MEASURE_COUNT: the metric's weight); NaN
 * when the cell has no value. */
static double
cell_value(const struct cli_session *s, const struct cr_table *t, size_t i, size_t j, int m)
{
    struct cr_measures v;
    double x;

    if (cr_table_status(t, i, j) != CR_CELL_OK)
        return NAN;
    if (m == CR_MEASURE_COUNT && cr_metric_weight_is_measure(s->metric))
        return value(s, cr_table_weight(t, i, j));
    if (m == CR_MEASURE_COUNT) /* cost, CO2: the route's measure, not the rounded weights */
        m = (int)cr_metric_measure(s->metric);
    cr_table_measures(t, i, j, &v);
    x = m == CR_MEASURE_DISTANCE   ? v.distance_m
        : m == CR_MEASURE_DURATION ? v.duration_s
        : m == CR_MEASURE_COST     ? v.cost
                                   : v.co2_kg;
    return cr_measure_round((enum cr_measure)m, x, s->profile.currency);
}

/* --annotations: a bit per enum cr_measure. -1 when a name is unknown. */
static int
parse_annotations(const char *text)
{
    static const char *const names[CR_MEASURE_COUNT] = { "distance", "duration", "cost", "co2" };
    int bits = 0;

    while (*text) {
        size_t len = strcspn(text, ","), m;
        for (m = 0; m < CR_MEASURE_COUNT; m++)
            if (strlen(names[m]) == len && !strncmp(text, names[m], len))
                break;
        if (m == CR_MEASURE_COUNT)
            return -1;
        bits |= 1 << m;
        text += len + (text[len] == ',');
    }
    return bits;
}

/* The measures asked, in the order they are written: duration, distance, cost, CO2. */
static const int annotation_order[CR_MEASURE_COUNT] = { CR_MEASURE_DURATION, CR_MEASURE_DISTANCE,
                                                        CR_MEASURE_COST, CR_MEASURE_CO2 };

/* The points of a matrix: the sources, then the targets when they are another list. */
struct points {
    const struct cr_point_list *src, *dst; /* dst == src without --targets */
    size_t n, ns, nt;
    int32_t *lon, *lat;
    size_t *sources, *targets; /* NULL: every point */
    struct cr_place_opts *opts;
};

static void
points_fini(struct points *p)
{
    free(p->lon);
    free(p->lat);
    free(p->sources);
    free(p->targets);
    free(p->opts);
}

static int
points_init(struct points *p, const struct cr_point_list *src, const struct cr_point_list *dst,
            const struct cr_place_opts *popts)
{
    memset(p, 0, sizeof *p);
    p->src = src;
    p->dst = dst ? dst : src;
    p->ns = src->count;
    p->nt = p->dst->count;
    p->n = dst ? p->ns + p->nt : p->ns;
    p->lon = malloc((p->n + 1) * sizeof *p->lon);
    p->lat = malloc((p->n + 1) * sizeof *p->lat);
    p->opts = malloc((p->n + 1) * sizeof *p->opts);
    if (dst) {
        p->sources = malloc((p->ns + 1) * sizeof *p->sources);
        p->targets = malloc((p->nt + 1) * sizeof *p->targets);
    }
    if (!p->lon || !p->lat || !p->opts || (dst && (!p->sources || !p->targets)))
        return -1;
    for (size_t k = 0; k < p->n; k++) {
        const struct cr_point *pt = k < p->ns ? &src->items[k] : &dst->items[k - p->ns];
        p->lon[k] = pt->lon_e7;
        p->lat[k] = pt->lat_e7;
        p->opts[k] = *popts;
    }
    for (size_t i = 0; dst && i < p->ns; i++)
        p->sources[i] = i;
    for (size_t j = 0; dst && j < p->nt; j++)
        p->targets[j] = p->ns + j;
    return 0;
}

/* The point of row I (SIDE 0) or column I (SIDE 1). */
static size_t
point_of(const struct points *p, int side, size_t i)
{
    const size_t *index = side ? p->targets : p->sources;
    return index ? index[i] : i;
}

/* A note for each of the first few points of SIDE too far from any usable way. */
static void
snap_notes(const struct points *p, const struct cr_table *t, int side)
{
    const struct cr_point_list *list = side ? p->dst : p->src;
    const char *what = side ? "target" : "source";
    size_t bad = 0;

    for (size_t i = 0; i < list->count; i++) {
        size_t k = point_of(p, side, i);
        if (!cr_table_point(t, k, NULL) && bad++ < 5)
            fprintf(stderr, "corridor matrix: note: %s %s: %s\n", what, list->items[i].id,
                    cr_table_point_error(t, k));
    }
    if (bad > 5)
        fprintf(stderr, "corridor matrix: note: %zu %s in all are too far from any usable way\n",
                bad, what);
}

static json_t *
points_json(const struct points *p, const struct cr_table *t, int side)
{
    const struct cr_point_list *pts = side ? p->dst : p->src;
    json_t *a = json_array();
    for (size_t i = 0; i < pts->count; i++) {
        json_t *o = json_object(), *loc = json_array();
        struct cr_waypoint w;
        json_object_set_new(o, "id", json_string(pts->items[i].id));
        json_array_append_new(loc, json_real(cr_e7_to_deg(pts->items[i].lon_e7)));
        json_array_append_new(loc, json_real(cr_e7_to_deg(pts->items[i].lat_e7)));
        json_object_set_new(o, "location", loc);
        if (cr_table_point(t, point_of(p, side, i), &w)) {
            json_t *sn = json_array();
            json_array_append_new(sn, json_real(cr_e7_to_deg(w.snap_lon_e7)));
            json_array_append_new(sn, json_real(cr_e7_to_deg(w.snap_lat_e7)));
            json_object_set_new(o, "snapped", sn);
        } else {
            json_object_set_new(o, "snapped", json_null());
        }
        json_array_append_new(a, o);
    }
    return a;
}

/* The rows of measure M (cell_value) as a JSON array of arrays, null where there is none. */
static json_t *
rows_json(const struct cli_session *s, const struct points *p, const struct cr_table *t, int m)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < p->ns; i++) {
        json_t *row = json_array();
        for (size_t j = 0; j < p->nt; j++) {
            double x = cell_value(s, t, i, j, m);
            json_array_append_new(row, isnan(x) ? json_null() : json_real(x));
        }
        json_array_append_new(rows, row);
    }
    return rows;
}

static char *
matrix_json(const struct cli_session *s, const struct points *p, const struct cr_table *t, int ann,
            size_t *len)
{
    json_t *o = json_object();
    char *text;

    json_object_set_new(o, "profile", json_string(s->profile.name));
    json_object_set_new(o, "metric", json_string(cr_metric_name(s->metric)));
    json_object_set_new(o, "unit", json_string(cr_measure_key(cr_metric_measure(s->metric))));
    json_object_set_new(o, "currency", json_string(s->profile.currency));
    json_object_set_new(o, "algorithm",
                        json_string(cr_session_uses_ch(s->session) ? "ch" : "dijkstra"));
    json_object_set_new(o, "sources", points_json(p, t, 0));
    json_object_set_new(o, "targets", points_json(p, t, 1));
    json_object_set_new(o, "values", rows_json(s, p, t, CR_MEASURE_COUNT));
    for (int k = 0; k < CR_MEASURE_COUNT; k++)
        if (ann & (1 << annotation_order[k]))
            json_object_set_new(o, cr_measure_key((enum cr_measure)annotation_order[k]),
                                rows_json(s, p, t, annotation_order[k]));
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(o);
    *len = text ? strlen(text) : 0;
    return text;
}

static char *
matrix_csv(const struct cli_session *s, const struct points *p, const struct cr_table *t, int ann,
           size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);

    if (!f)
        return NULL;
    fprintf(f, "source,target,%s", cr_measure_key(cr_metric_measure(s->metric)));
    for (int k = 0; k < CR_MEASURE_COUNT; k++)
        if (ann & (1 << annotation_order[k]))
            fprintf(f, ",%s", cr_measure_key((enum cr_measure)annotation_order[k]));
    fputs(",status\n", f);
    for (size_t i = 0; i < p->ns; i++)
        for (size_t j = 0; j < p->nt; j++) {
            enum cr_cell_status st = cr_table_status(t, i, j);
            cr_csv_field(f, p->src->items[i].id);
            fputc(',', f);
            cr_csv_field(f, p->dst->items[j].id);
            if (st != CR_CELL_OK) {
                fputc(',', f);
                for (int k = 0; k < CR_MEASURE_COUNT; k++)
                    if (ann & (1 << k))
                        fputc(',', f);
                fputs(st == CR_CELL_UNREACHABLE ? ",unreachable\n" : ",no_segment\n", f);
            } else {
                char v[64];
                cr_measure_format(v, sizeof v, cr_metric_measure(s->metric),
                                  cell_value(s, t, i, j, CR_MEASURE_COUNT), s->profile.currency);
                fprintf(f, ",%s", v);
                for (int k = 0; k < CR_MEASURE_COUNT; k++)
                    if (ann & (1 << annotation_order[k])) {
                        enum cr_measure m = (enum cr_measure)annotation_order[k];
                        cr_measure_format(v, sizeof v, m, cell_value(s, t, i, j, m),
                                          s->profile.currency);
                        fprintf(f, ",%s", v);
                    }
                fputs(",ok\n", f);
            }
        }
    if (fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

/* The square table of P as an OpenMatrix file (the metric's matrix and each annotation's). */
static int
matrix_omx(const struct cli_session *s, const struct points *p, const struct cr_table *t, int ann,
           const char *path)
{
    struct cr_omx_matrix m[CR_MEASURE_COUNT + 1];
    double *data[CR_MEASURE_COUNT + 1] = { NULL };
    const char **ids = malloc((p->ns + 1) * sizeof *ids);
    struct cr_error err = { 0 };
    size_t n = 0, cells = p->ns * p->nt;
    int rc = CLI_EXIT_OK;

    for (int k = -1; k < CR_MEASURE_COUNT; k++) {
        int measure = k < 0 ? CR_MEASURE_COUNT : annotation_order[k];
        if (k >= 0 && !(ann & (1 << measure)))
            continue;
        if (!(data[n] = malloc((cells + 1) * sizeof *data[n])) || !ids) {
            fprintf(stderr, "corridor matrix: out of memory\n");
            rc = CLI_EXIT_INPUT;
            goto done;
        }
        for (size_t i = 0; i < p->ns; i++)
            for (size_t j = 0; j < p->nt; j++)
                data[n][i * p->nt + j] = cell_value(s, t, i, j, measure);
        m[n].name = cr_measure_key(k < 0 ? cr_metric_measure(s->metric) : (enum cr_measure)measure);
        m[n].data = data[n];
        n++;
    }
    for (size_t i = 0; i < p->ns; i++)
        ids[i] = p->src->items[i].id;
    if (cr_omx_write(path, (uint32_t)p->ns, m, n, "ids", ids, &err))
        rc = cli_fail("matrix", &err);
done:
    for (size_t k = 0; k <= CR_MEASURE_COUNT; k++)
        free(data[k]);
    free(ids);
    return rc;
}

/* The table of P with S, written to OUTPUT as CSV or (JSON) JSON. */
static int
run_matrix(const struct cli_session *s, const struct points *p, const char *output, int json,
           unsigned threads, int ann)
{
    struct cr_table_options to = CR_TABLE_OPTIONS_DEFAULT;
    struct cr_table *t = NULL;
    struct cr_error err = { 0 };
    char *text = NULL;
    size_t len = 0;
    int rc;

    to.place = p->opts;
    to.threads = threads;
    ann &= ~(1 << cr_metric_measure(s->metric)); /* the metric's own column already */
    to.fill = ann || !cr_metric_weight_is_measure(s->metric) ? CR_TABLE_MEASURES : CR_TABLE_WEIGHT;
    if (cr_table_compute(s->router, p->lon, p->lat, p->n, p->sources, p->ns, p->targets, p->nt, &to,
                         &t, &err)) {
        if (err.code == CR_ENOMEM)
            fprintf(stderr, "corridor matrix: out of memory for a %zu x %zu matrix\n", p->ns,
                    p->nt);
        return err.code == CR_ENOMEM ? CLI_EXIT_INPUT : cli_fail("matrix", &err);
    }
    snap_notes(p, t, 0);
    snap_notes(p, t, 1);
    if (json == 2) {
        rc = matrix_omx(s, p, t, ann, output);
        cr_table_destroy(t);
        return rc;
    }
    text = json ? matrix_json(s, p, t, ann, &len) : matrix_csv(s, p, t, ann, &len);
    cr_table_destroy(t);
    if (!text) {
        fprintf(stderr, "corridor matrix: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    rc = cli_write_output("matrix", output, text, len);
    if (json && !rc && !output)
        putchar('\n');
    free(text);
    return rc;
}

int
cmd_matrix(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_SESSION_LONGOPTS,
        CLI_PLACE_LONGOPTS,
        { "sources", required_argument, NULL, 'S' },
        { "targets", required_argument, NULL, 'T' },
        { "output", required_argument, NULL, 'o' },
        { "threads", required_argument, NULL, 'j' },
        { "annotations", required_argument, NULL, 'a' },
        { "depart", required_argument, NULL, 'D' },
        { "holidays", required_argument, NULL, 'H' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cli_session_options so = { 0 };
    struct cli_place_options po = { 0 };
    struct cr_place_opts popts;
    struct cli_session s;
    struct cr_point_list src = { 0 }, dst = { 0 };
    struct cr_error err = { 0 };
    struct points pts;
    const char *sources = NULL, *targets = NULL, *output = NULL;
    unsigned long threads = 1;
    char *end;
    int c, rc, json, ann = 0, timed = 0, pts_ok = 1;
    int64_t depart = 0;
    int32_t ph[366];
    size_t nph = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if ((rc = cli_session_option("matrix", c, optarg, &so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        if (cli_place_option(c, optarg, &po) == 0)
            continue;
        switch (c) {
        case 'S':
            sources = optarg;
            break;
        case 'T':
            targets = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'j':
            threads = strtoul(optarg, &end, 10);
            if (*optarg < '1' || *optarg > '9' || *end || threads > 16)
                return cli_usage_error("matrix", "--threads wants a number from 1 to 16");
            break;
        case 'a':
            if ((ann = parse_annotations(optarg)) <= 0)
                return cli_usage_error("matrix", "--annotations wants duration,distance,cost,co2");
            break;
        case 'D':
            if ((timed = cr_cond_parse_time(optarg, &depart) == 0) == 0)
                return cli_usage_error("matrix", "--depart \"%s\": want YYYY-MM-DDTHH:MM", optarg);
            break;
        case 'H':
            if ((nph = 366, cr_cond_parse_dates(optarg, ph, &nph)))
                return cli_usage_error("matrix", "--holidays \"%s\": want YYYY-MM-DD,...", optarg);
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("matrix", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("matrix", "want exactly one NETWORK file");
    if (!sources)
        return cli_usage_error("matrix", "want --sources FILE");
    if ((rc = cli_place_opts("matrix", &po, 1, &popts))) /* one value for every point */
        return rc;
    json = output && strlen(output) > 5 && !strcmp(output + strlen(output) - 5, ".json");
    if (output && strlen(output) > 4 && !strcmp(output + strlen(output) - 4, ".omx")) {
        if (targets)
            return cli_usage_error("matrix", "-o FILE.omx wants a square matrix (no --targets)");
        json = 2;
    }
    if (cr_points_read(sources, &src, &err))
        return cli_fail("matrix", &err);
    if (targets && cr_points_read(targets, &dst, &err)) {
        cr_point_list_fini(&src);
        return cli_fail("matrix", &err);
    }
    so.network = argv[optind];
    if ((rc = cli_session_open(&s, "matrix", &so))) {
        cr_point_list_fini(&src);
        cr_point_list_fini(&dst);
        return rc;
    }
    if ((timed || nph) && cr_router_set_depart(s.router, timed, depart, ph, nph, &err)) {
        rc = cli_usage_error("matrix", "%s", err.msg);
        pts_ok = 0;
    } else if (points_init(&pts, &src, targets ? &dst : NULL, &popts)) {
        fprintf(stderr, "corridor matrix: out of memory\n");
        rc = CLI_EXIT_INPUT;
    } else {
        rc = run_matrix(&s, &pts, output, json, (unsigned)threads, ann);
    }
    if (pts_ok)
        points_fini(&pts);
    cr_point_list_fini(&src);
    cr_point_list_fini(&dst);
    cli_session_close(&s);
    return rc;
}
