/* corridor matrix NETWORK --profile P --sources FILE [--targets FILE] [--metric M] [-o FILE] */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/session.h"
#include "core/geo.h"
#include "importers/points/points.h"
#include "routing/measure.h"

static const char usage_text[] =
    "usage: corridor matrix NETWORK --profile P --sources FILE [--targets FILE]\n"
    "                       [--metric time|distance|cost|co2] [--vehicle ...] [-o FILE.csv|.json]\n"
    "                       [--no-ch] [--max-snap M] [--radius R] [--bearing DEG,RANGE]\n"
    "                       [--approach curb|opposite|unrestricted]\n\n"
    "Many-to-many: the metric value from every source to every target (targets default to the\n"
    "sources). FILE is a CSV with lon,lat (and an optional id) columns, or GeoJSON points.\n"
    "CSV output has one row per pair: source,target,KEY,status where KEY names the metric's\n"
    "measure and unit (duration_s, distance_m, cost or co2_kg); status is ok, unreachable or\n"
    "no_segment (a point too far from any usable way). JSON output (-o FILE.json): profile,\n"
    "metric, unit (that KEY), currency, sources, targets and a values matrix with null where\n"
    "there is no value. Values are rounded as every command rounds them: 0.1 s, 0.1 m, the\n"
    "currency's minor unit, 0.001 kg. --radius, --bearing and --approach apply to every point\n"
    "(as in corridor route; docs/routing.md, \"Snapping\").\n";

/* A weight in the metric's unit, rounded as every command rounds that measure. */
static double
value(const struct cli_session *s, uint64_t weight)
{
    return cr_measure_round(cr_metric_measure(s->metric), cr_metric_value(s->metric, weight),
                            s->profile.currency);
}

/* Snaps each point; *ok[i] is 0 where a point is too far from any usable way. */
static int
place_all(const struct cli_session *s, const struct cr_point_list *pts,
          const struct cr_place_opts *opts, struct cr_place *out, uint8_t *ok, const char *what)
{
    size_t bad = 0;
    for (size_t i = 0; i < pts->count; i++) {
        struct cr_error err = { 0 };
        ok[i] = cr_engine_place_opts(&s->engine, pts->items[i].lon_e7, pts->items[i].lat_e7,
                                     opts, &out[i], &err) == CR_OK;
        if (!ok[i] && bad++ < 5)
            fprintf(stderr, "corridor matrix: note: %s %s: %s\n", what, pts->items[i].id,
                    err.msg);
    }
    if (bad > 5)
        fprintf(stderr, "corridor matrix: note: %zu %s in all are too far from any usable way\n",
                bad, what);
    return 0;
}

static json_t *
points_json(const struct cr_point_list *pts, const struct cr_place *places, const uint8_t *ok)
{
    json_t *a = json_array();
    for (size_t i = 0; i < pts->count; i++) {
        json_t *o = json_object(), *loc = json_array();
        json_object_set_new(o, "id", json_string(pts->items[i].id));
        json_array_append_new(loc, json_real(cr_e7_to_deg(pts->items[i].lon_e7)));
        json_array_append_new(loc, json_real(cr_e7_to_deg(pts->items[i].lat_e7)));
        json_object_set_new(o, "location", loc);
        if (ok[i]) {
            json_t *sn = json_array();
            json_array_append_new(sn, json_real(cr_e7_to_deg(places[i].snap.lon_e7)));
            json_array_append_new(sn, json_real(cr_e7_to_deg(places[i].snap.lat_e7)));
            json_object_set_new(o, "snapped", sn);
        } else {
            json_object_set_new(o, "snapped", json_null());
        }
        json_array_append_new(a, o);
    }
    return a;
}

int
cmd_matrix(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_SESSION_LONGOPTS,
        CLI_PLACE_LONGOPTS,
        { "sources", required_argument, NULL, 'S' }, { "targets", required_argument, NULL, 'T' },
        { "output", required_argument, NULL, 'o' },  { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cli_session_options so = { 0 };
    struct cli_place_options po = { 0 };
    struct cr_place_opts popts;
    struct cli_session s;
    struct cr_point_list src = { 0 }, dst = { 0 };
    struct cr_error err = { 0 };
    const char *sources = NULL, *targets = NULL, *output = NULL;
    struct cr_place *sp = NULL, *tp = NULL, *sp_ok = NULL, *tp_ok = NULL;
    uint8_t *sok = NULL, *tok = NULL;
    uint64_t *w = NULL;
    size_t *si = NULL, *ti = NULL, ns_ok = 0, nt_ok = 0;
    int c, rc, json;
    char *text = NULL;
    size_t len = 0;

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
    {
        const struct cr_point_list *t = targets ? &dst : &src;
        size_t ns = src.count, nt = t->count;
        sp = calloc(ns, sizeof *sp);
        tp = calloc(nt, sizeof *tp);
        sok = calloc(ns, 1);
        tok = calloc(nt, 1);
        sp_ok = calloc(ns, sizeof *sp_ok);
        tp_ok = calloc(nt, sizeof *tp_ok);
        si = calloc(ns, sizeof *si);
        ti = calloc(nt, sizeof *ti);
        if (!sp || !tp || !sok || !tok || !sp_ok || !tp_ok || !si || !ti) {
            fprintf(stderr, "corridor matrix: out of memory\n");
            rc = CLI_EXIT_INPUT;
            goto done;
        }
        place_all(&s, &src, &popts, sp, sok, "source");
        place_all(&s, t, &popts, tp, tok, "target");
        for (size_t i = 0; i < ns; i++)
            if (sok[i]) {
                si[i] = ns_ok;
                sp_ok[ns_ok++] = sp[i];
            }
        for (size_t j = 0; j < nt; j++)
            if (tok[j]) {
                ti[j] = nt_ok;
                tp_ok[nt_ok++] = tp[j];
            }
        w = malloc((ns_ok * nt_ok + 1) * sizeof *w);
        if (!w) {
            fprintf(stderr, "corridor matrix: out of memory for a %zu x %zu matrix\n", ns, nt);
            rc = CLI_EXIT_INPUT;
            goto done;
        }
        if (cr_router_matrix(s.router, sp_ok, ns_ok, tp_ok, nt_ok, w, &err)) {
            rc = cli_fail("matrix", &err);
            goto done;
        }
        if (json) {
            json_t *o = json_object(), *rows = json_array();
            json_object_set_new(o, "profile", json_string(s.profile.name));
            json_object_set_new(o, "metric", json_string(cr_metric_name(s.metric)));
            json_object_set_new(o, "unit",
                                json_string(cr_measure_key(cr_metric_measure(s.metric))));
            json_object_set_new(o, "currency", json_string(s.profile.currency));
            json_object_set_new(o, "algorithm", json_string(s.ch ? "ch" : "dijkstra"));
            json_object_set_new(o, "sources", points_json(&src, sp, sok));
            json_object_set_new(o, "targets", points_json(t, tp, tok));
            for (size_t i = 0; i < ns; i++) {
                json_t *row = json_array();
                for (size_t j = 0; j < nt; j++) {
                    uint64_t x = (sok[i] && tok[j]) ? w[si[i] * nt_ok + ti[j]] : UINT64_MAX;
                    json_array_append_new(row,
                                          x == UINT64_MAX ? json_null() : json_real(value(&s, x)));
                }
                json_array_append_new(rows, row);
            }
            json_object_set_new(o, "values", rows);
            text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
            json_decref(o);
            len = text ? strlen(text) : 0;
        } else {
            FILE *f = open_memstream(&text, &len);
            if (!f) {
                rc = CLI_EXIT_INPUT;
                goto done;
            }
            fprintf(f, "source,target,%s,status\n", cr_measure_key(cr_metric_measure(s.metric)));
            for (size_t i = 0; i < ns; i++)
                for (size_t j = 0; j < nt; j++) {
                    uint64_t x = (sok[i] && tok[j]) ? w[si[i] * nt_ok + ti[j]] : UINT64_MAX;
                    cli_csv_field(f, src.items[i].id);
                    fputc(',', f);
                    cli_csv_field(f, t->items[j].id);
                    if (!sok[i] || !tok[j])
                        fputs(",,no_segment\n", f);
                    else if (x == UINT64_MAX)
                        fputs(",,unreachable\n", f);
                    else {
                        char v[64];
                        cr_measure_format(v, sizeof v, cr_metric_measure(s.metric),
                                          cr_metric_value(s.metric, x), s.profile.currency);
                        fprintf(f, ",%s,ok\n", v);
                    }
                }
            if (fclose(f)) {
                rc = CLI_EXIT_INPUT;
                goto done;
            }
        }
        if (!text) {
            fprintf(stderr, "corridor matrix: out of memory\n");
            rc = CLI_EXIT_INPUT;
            goto done;
        }
        rc = cli_write_output("matrix", output, text, len);
        if (json && !rc && !output)
            putchar('\n');
    }
done:
    free(text);
    free(w);
    free(sp);
    free(tp);
    free(sok);
    free(tok);
    free(sp_ok);
    free(tp_ok);
    free(si);
    free(ti);
    cr_point_list_fini(&src);
    cr_point_list_fini(&dst);
    cli_session_close(&s);
    return rc;
}
