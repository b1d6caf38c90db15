/*
 * corridor assign: static traffic assignment (planning/assign.h), on an OSM network file with
 * zones and a demand, or on a published TNTP test network. Option parsing and printing only;
 * the OSM run is cli/assign_run.c's, shared with corridor compare --assign.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/assign_run.h"
#include "cli/cli.h"
#include "cli/cli_map.h"
#include "cli/planning_io.h"
#include "cli/session.h"
#include "cli/zoning_opts.h"
#include "core/graph.h"
#include "importers/omx/omx.h"
#include "importers/tntp/tntp.h"
#include "planning/assign_skim.h"
#include "planning/assign_tntp.h"
#include "planning/assign_write.h"
#include "planning/compare.h"
#include "spatial/zones.h"

static const char usage_text[] =
    "usage: corridor assign NETWORK --zones ZONES --demand OD.csv|OD.omx --profile P\n"
    "                       [--classes car,motorcycle:pce=0.3,truck:pce=2.5]\n"
    "                       [--algorithm aon|msa|fw|cfw|bfw|b] [--gap G] [--max-iter N]\n"
    "                       [--threads N] [--vdf bpr|conical] [--conical-alpha A]\n"
    "                       -o FLOWS.gpkg|FLOWS.csv [--skims SKIMS.omx] [--summary S.json]\n"
    "                       [--map MAP.png|pdf|svg] [--title T] [zoning options]\n"
    "       corridor assign --tntp-net X_net.tntp --tntp-trips X_trips.tntp\n"
    "                       [--reference X_flow.tntp] [--toll-factor F] [--distance-factor F]\n"
    "                       [--algorithm ...] [--gap G] [--max-iter N] [--threads N]\n"
    "                       [-o FLOWS.csv] [--summary S.json]\n\n"
    "User-equilibrium traffic assignment (Wardrop): the demand between zones loaded on the\n"
    "network until no trip can save cost by changing route, link costs rising with volume\n"
    "(BPR or conical volume-delay functions, capacities from road class and OSM lanes). Each\n"
    "iteration prints the relative gap and average excess cost (AEC). See docs/assignment.md.\n\n"
    "  --demand FILE         CSV from_zone,to_zone,trips[,class] (zone ids as corridor skim names\n"
    "                        them) or an OpenMatrix file with one matrix per class, by its name\n"
    "  --profile P           the class when --classes is not given\n"
    "  --classes LIST        classes, each PROFILE[:pce=X,capacity_factor=X,alpha=X,beta=X];\n"
    "                        capacities and alpha/beta come from the first class's profile\n"
    "  --algorithm A         aon, msa, fw, cfw, bfw (default), b (Algorithm B: gaps to 1e-10)\n"
    "  --gap G               stop at this relative gap (default 1e-4)\n"
    "  --max-iter N          stop after N iterations (default 500)\n"
    "  --threads N           shortest-path trees on N threads (default: the online cores)\n"
    "  --vdf bpr|conical     volume-delay function of every road (default bpr, the profile's\n"
    "                        alpha and beta); --conical-alpha A (> 1, default 4)\n"
    "  -o FILE               per-edge flows: .gpkg (lines) or .csv; TNTP: init_node,term_node\n"
    "                        rows (default: standard output)\n"
    "  --skims FILE.omx      congested skims per class: time_s_CLASS (cost at the final link\n"
    "                        costs, s) and distance_m_CLASS (m) of the same paths, NaN when\n"
    "                        unreachable, lookup \"zone\" with the zone ids\n"
    "  --summary FILE.json   algorithm, iterations, gap, AEC, objective, VKT and VHT per class\n"
    "  --map FILE            a flow map (width by PCE volume, colour by v/c); needs -o .gpkg\n"
    "  --reference FILE      TNTP: compare with best-known flows (largest link-flow difference,\n"
    "                        RMSE, objective)\n"
    "  --toll-factor F, --distance-factor F  TNTP generalised cost (default: the file's\n"
    "                        metadata, else 0; ChicagoSketch's best-known costs use distance "
    "0.04)\n"
    "  --quiet               no progress lines\n\n"
    "The zones are read as every planning command reads them (docs/zoning.md):\n" CLI_ZONING_HELP;

struct assign_args {
    struct cr_zones_options zo;
    const char *network, *demand, *profile, *classes, *output, *skims, *summary, *map, *title;
    const char *tntp_net, *tntp_trips, *reference;
    double toll_factor, distance_factor, conical_alpha;
    struct cr_assign_options ao;
    enum cr_vdf vdf;
    int quiet;
};

enum {
    O_DEMAND = CLI_O_ZONES_END,
    O_PROFILE,
    O_CLASSES,
    O_ALGORITHM,
    O_GAP,
    O_MAX_ITER,
    O_THREADS,
    O_VDF,
    O_CONICAL_ALPHA,
    O_SKIMS,
    O_SUMMARY,
    O_MAP,
    O_TITLE,
    O_TNTP_NET,
    O_TNTP_TRIPS,
    O_REFERENCE,
    O_TOLL_FACTOR,
    O_DISTANCE_FACTOR,
    O_QUIET
};

static const struct option longopts[] = {
    CLI_ZONES_LONGOPTS,
    { "demand", required_argument, NULL, O_DEMAND },
    { "profile", required_argument, NULL, O_PROFILE },
    { "classes", required_argument, NULL, O_CLASSES },
    { "algorithm", required_argument, NULL, O_ALGORITHM },
    { "gap", required_argument, NULL, O_GAP },
    { "max-iter", required_argument, NULL, O_MAX_ITER },
    { "threads", required_argument, NULL, O_THREADS },
    { "vdf", required_argument, NULL, O_VDF },
    { "conical-alpha", required_argument, NULL, O_CONICAL_ALPHA },
    { "skims", required_argument, NULL, O_SKIMS },
    { "summary", required_argument, NULL, O_SUMMARY },
    { "map", required_argument, NULL, O_MAP },
    { "title", required_argument, NULL, O_TITLE },
    { "tntp-net", required_argument, NULL, O_TNTP_NET },
    { "tntp-trips", required_argument, NULL, O_TNTP_TRIPS },
    { "reference", required_argument, NULL, O_REFERENCE },
    { "toll-factor", required_argument, NULL, O_TOLL_FACTOR },
    { "distance-factor", required_argument, NULL, O_DISTANCE_FACTOR },
    { "quiet", no_argument, NULL, O_QUIET },
    { "output", required_argument, NULL, 'o' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* All of TEXT as a finite number in [MIN, MAX]; 0 and *OUT set, else a usage error. */
static int
parse_number(const char *opt, const char *text, double min, double max, double *out)
{
    char *end = NULL;
    double x = strtod(text, &end);
    if (!text[0] || *end || !isfinite(x) || x < min || x > max)
        return cli_usage_error("assign", "%s \"%s\": want a number from %g to %g", opt, text, min,
                               max);
    *out = x;
    return 0;
}

static int
parse_count(const char *opt, const char *text, unsigned long max, unsigned *out)
{
    unsigned long n;
    if (cli_parse_count(text, 1, max, &n))
        return cli_usage_error("assign", "%s \"%s\": want a whole number from 1 to %lu", opt, text,
                               max);
    *out = (unsigned)n;
    return 0;
}

/* One option of corridor assign's own; 0, or the exit code of a bad value. */
static int
assign_option(int c, const char *arg, struct assign_args *a)
{
    int alg;
    switch (c) {
    case O_DEMAND:
        a->demand = arg;
        return 0;
    case O_PROFILE:
        a->profile = arg;
        return 0;
    case O_CLASSES:
        a->classes = arg;
        return 0;
    case O_ALGORITHM:
        if ((alg = cr_assign_algorithm_parse(arg)) < 0)
            return cli_usage_error("assign", "--algorithm \"%s\": want aon, msa, fw, cfw, bfw or b",
                                   arg);
        a->ao.algorithm = (enum cr_assign_algorithm)alg;
        return 0;
    case O_GAP:
        return parse_number("--gap", arg, 0.0, 1.0, &a->ao.gap);
    case O_MAX_ITER:
        return parse_count("--max-iter", arg, 1000000, &a->ao.max_iter);
    case O_THREADS:
        return parse_count("--threads", arg, 256, &a->ao.threads);
    case O_VDF:
        if (strcmp(arg, "bpr") && strcmp(arg, "conical"))
            return cli_usage_error("assign", "--vdf \"%s\": want bpr or conical", arg);
        a->vdf = strcmp(arg, "bpr") ? CR_VDF_CONICAL : CR_VDF_BPR;
        return 0;
    case O_CONICAL_ALPHA:
        return parse_number("--conical-alpha", arg, 1.0001, 1000.0, &a->conical_alpha);
    case O_SKIMS:
        a->skims = arg;
        return 0;
    case O_SUMMARY:
        a->summary = arg;
        return 0;
    case O_MAP:
        a->map = arg;
        return 0;
    case O_TITLE:
        a->title = arg;
        return 0;
    case O_TNTP_NET:
        a->tntp_net = arg;
        return 0;
    case O_TNTP_TRIPS:
        a->tntp_trips = arg;
        return 0;
    case O_REFERENCE:
        a->reference = arg;
        return 0;
    case O_TOLL_FACTOR:
        return parse_number("--toll-factor", arg, 0.0, 1e9, &a->toll_factor);
    case O_DISTANCE_FACTOR:
        return parse_number("--distance-factor", arg, 0.0, 1e9, &a->distance_factor);
    case O_QUIET:
        a->quiet = 1;
        return 0;
    case 'o':
        a->output = arg;
        return 0;
    default:
        return cli_usage_error("assign", "bad option");
    }
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* What the options say together: one mode, what it needs, outputs it can write. */
static int
check_args(struct assign_args *a, int nargs)
{
    if (a->tntp_net || a->tntp_trips) {
        if (!a->tntp_net || !a->tntp_trips)
            return cli_usage_error("assign", "want both --tntp-net and --tntp-trips");
        if (nargs != 0 || a->zo.path || a->demand || a->skims || a->map || a->classes)
            return cli_usage_error("assign", "a TNTP run takes no NETWORK, --zones, --demand, "
                                             "--classes, --skims or --map");
        if (a->output && !ends_with(a->output, ".csv") && strcmp(a->output, "-"))
            return cli_usage_error("assign", "-o %s: a TNTP run writes CSV", a->output);
        return 0;
    }
    if (a->reference)
        return cli_usage_error("assign", "--reference is for TNTP networks");
    if (nargs != 1)
        return cli_usage_error("assign", "want exactly one NETWORK file (or --tntp-net)");
    if (!a->zo.path || !a->demand)
        return cli_usage_error("assign", "want --zones FILE and --demand FILE");
    if (!a->profile && !a->classes)
        return cli_usage_error("assign", "want --profile P or --classes LIST");
    if (!a->output)
        return cli_usage_error("assign", "want -o FLOWS.gpkg or FLOWS.csv");
    if (!ends_with(a->output, ".gpkg") && !ends_with(a->output, ".csv"))
        return cli_usage_error("assign", "-o %s: want a .gpkg or .csv file", a->output);
    if (a->map && !ends_with(a->output, ".gpkg"))
        return cli_usage_error("assign", "--map draws the flows of -o FLOWS.gpkg: want .gpkg");
    if (a->skims && !ends_with(a->skims, ".omx"))
        return cli_usage_error("assign", "--skims %s: want an .omx file", a->skims);
    return 0;
}

/* --classes "car,motorcycle:pce=0.3,capacity_factor=1,truck:pce=2.5" -> one spec per class: an
 * element with '=' and no ':' continues the class before it. SPECS[] point into BUF. */
static int
split_classes(const char *list, char *buf, size_t size, char **specs, size_t *n)
{
    if (strlen(list) >= size)
        return cli_usage_error("assign", "--classes: too long");
    strcpy(buf, list);
    *n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (strchr(tok, '=') && !strchr(tok, ':') && *n > 0) {
            tok[-1] = ','; /* join it back to the class before */
            continue;
        }
        if (*n == CR_ASSIGN_OSM_MAX_CLASSES)
            return cli_usage_error("assign", "--classes: at most %d classes",
                                   CR_ASSIGN_OSM_MAX_CLASSES);
        specs[(*n)++] = tok;
    }
    if (*n == 0)
        return cli_usage_error("assign", "--classes \"%s\": no class", list);
    return 0;
}

static json_t *
run_json(const struct assign_args *a, const struct cr_assign_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "algorithm", json_string(cr_assign_algorithm_name(a->ao.algorithm)));
    json_object_set_new(o, "gap_target", json_real(a->ao.gap));
    json_object_set_new(o, "iterations", json_integer(r->iterations));
    json_object_set_new(o, "converged", json_boolean(r->converged));
    json_object_set_new(o, "relative_gap", isfinite(r->rgap) ? json_real(r->rgap) : json_null());
    json_object_set_new(o, "aec", isfinite(r->aec) ? json_real(r->aec) : json_null());
    json_object_set_new(o, "objective", cli_json_number(r->objective, 6));
    json_object_set_new(o, "tstt", cli_json_number(r->tstt, 6));
    json_object_set_new(o, "sptt", cli_json_number(r->sptt, 6));
    json_object_set_new(o, "unassigned_trips", cli_json_number(r->unassigned, 6));
    json_object_set_new(o, "seconds", cli_json_number(r->seconds, 3));
    json_object_set_new(o, "threads", json_integer(a->ao.threads));
    return o;
}

/* ROOT (consumed) as indented JSON with a final newline, whole or not at all. */
static int
write_json(const char *path, json_t *root)
{
    char *json = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    size_t len = json ? strlen(json) : 0;
    char *text = json ? malloc(len + 2) : NULL;
    json_decref(root);
    if (!text) {
        free(json);
        fprintf(stderr, "corridor assign: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    memcpy(text, json, len);
    text[len] = '\n';
    text[len + 1] = '\0';
    free(json);
    int rc = cli_write_output("assign", path, text, len + 1);
    free(text);
    return rc;
}

static void
print_run(const struct assign_args *a, const struct cr_assign_result *r)
{
    printf("assignment: %s, %u iterations, relative gap %.3e (target %.0e%s), AEC %.4g, %.2f s\n",
           cr_assign_algorithm_name(a->ao.algorithm), r->iterations, r->rgap, a->ao.gap,
           r->converged ? "" : ", NOT reached", r->aec, r->seconds);
    if (isfinite(r->objective))
        printf("  Beckmann objective %.6f\n", r->objective);
    if (r->unassigned > 0)
        printf("  %.6g trips have no path and are not assigned\n", r->unassigned);
}

/* ---- TNTP networks ------------------------------------------------------------------------ */

static int
tntp_compare(const struct assign_args *a, const struct cr_assign_problem *p,
             const struct cr_assign_result *r, json_t *root)
{
    struct cr_tntp_flow ref = { 0 };
    struct cr_assign_tntp_comparison cmp;
    struct cr_error err = { 0 };
    if (cr_tntp_flow_read(a->reference, &ref, &err) ||
        cr_assign_tntp_compare(p, r->flow[0], &ref, a->reference, &cmp, &err)) {
        cr_tntp_flow_fini(&ref);
        return cli_fail("assign", &err);
    }
    cr_tntp_flow_fini(&ref);
    printf("against %s (%u links): largest link-flow difference %.4f%% (link %u-%u, %.4g "
           "vehicles), RMSE %.4g, objective %.6f vs %.6f (%+.2e relative)\n",
           a->reference, cmp.links, 100.0 * cmp.max_rel_diff, cmp.max_init, cmp.max_term,
           cmp.max_abs_diff, cmp.rmse, cmp.objective, cmp.objective_reference,
           cmp.objective_rel_diff);
    if (root) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(a->reference));
        json_object_set_new(o, "links", json_integer(cmp.links));
        json_object_set_new(o, "max_rel_flow_diff", json_real(cmp.max_rel_diff));
        json_object_set_new(o, "max_abs_flow_diff", json_real(cmp.max_abs_diff));
        json_object_set_new(o, "rmse", json_real(cmp.rmse));
        json_object_set_new(o, "objective", json_real(cmp.objective));
        json_object_set_new(o, "objective_reference", json_real(cmp.objective_reference));
        json_object_set_new(o, "objective_rel_diff", json_real(cmp.objective_rel_diff));
        json_object_set_new(root, "reference", o);
    }
    return 0;
}

static int
tntp_write(const struct assign_args *a, const struct cr_assign_problem *p,
           const struct cr_assign_result *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        fprintf(stderr, "corridor assign: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    cr_assign_tntp_write_csv(f, p, r->flow[0], r->cost[0]);
    if (fclose(f)) {
        free(text);
        fprintf(stderr, "corridor assign: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    int rc = cli_write_output("assign", a->output, text, len);
    free(text);
    return rc;
}

static int
run_tntp(struct assign_args *a)
{
    struct cr_assign_problem p = { 0 };
    struct cr_assign_result r = { 0 };
    struct cr_error err = { 0 };
    json_t *root = a->summary ? json_object() : NULL;
    int rc;
    if (cr_assign_tntp_load(a->tntp_net, a->tntp_trips, a->toll_factor, a->distance_factor, &p,
                            &err)) {
        json_decref(root);
        return cli_fail("assign", &err);
    }
    if ((rc = cli_assign_solve("assign", &p, &a->ao, a->quiet, &r)))
        goto done;
    print_run(a, &r);
    if (root) {
        json_object_set_new(root, "network", json_string(a->tntp_net));
        json_object_set_new(root, "trips", json_string(a->tntp_trips));
        json_object_set_new(root, "run", run_json(a, &r));
    }
    if (a->reference && (rc = tntp_compare(a, &p, &r, root)))
        goto done;
    if ((a->output || !a->summary) && (rc = tntp_write(a, &p, &r)))
        goto done;
    if (root) {
        rc = write_json(a->summary, root);
        root = NULL;
    }
done:
    json_decref(root);
    cr_assign_result_fini(&r, p.class_count);
    cr_assign_problem_fini(&p);
    return rc;
}

/* ---- OSM networks ------------------------------------------------------------------------- */

/* Congested skims of every class as one OMX file, with the zone ids as lookup "zone". */
static int
write_skims(const struct assign_args *a, const struct cr_assign_osm *osm,
            const struct cr_assign_result *r, const struct cr_zones *z)
{
    const struct cr_assign_problem *p = &osm->problem;
    size_t zz = (size_t)p->zone_count * p->zone_count, n = p->class_count;
    struct cr_omx_matrix m[2 * CR_ASSIGN_OSM_MAX_CLASSES];
    char names[2 * CR_ASSIGN_OSM_MAX_CLASSES][48], (*ids)[256] = calloc(z->count + 1, 256);
    const char **idp = calloc(z->count + 1, sizeof *idp);
    double *data = malloc((2 * n * zz + 1) * sizeof *data);
    struct cr_error err = { 0 };
    int rc = 0;
    if (!ids || !idp || !data) {
        rc = cli_fail("assign", &(struct cr_error){ CR_ENOMEM, "out of memory for the skims" });
        goto done;
    }
    for (size_t i = 0; i < z->count; i++) {
        cr_compare_zone_id(z, i, ids[i], sizeof ids[i]);
        idp[i] = ids[i];
    }
    for (size_t c = 0; c < n && !rc; c++) {
        double *length = malloc(((size_t)p->classes[c].link_count + 1) * sizeof *length);
        double *time = data + 2 * c * zz, *dist = time + zz;
        if (!length) {
            rc = cli_fail("assign", &(struct cr_error){ CR_ENOMEM, "out of memory" });
            break;
        }
        cr_assign_osm_link_lengths(osm, c, length);
        if (cr_assign_skim(p, c, r->cost[c], length, a->ao.threads, time, dist, &err))
            rc = cli_fail("assign", &err);
        free(length);
        snprintf(names[2 * c], sizeof names[0], "time_s_%s", p->classes[c].name);
        snprintf(names[2 * c + 1], sizeof names[0], "distance_m_%s", p->classes[c].name);
        m[2 * c] = (struct cr_omx_matrix){ names[2 * c], time };
        m[2 * c + 1] = (struct cr_omx_matrix){ names[2 * c + 1], dist };
    }
    if (!rc && cr_omx_write(a->skims, p->zone_count, m, 2 * n, "zone", idp, &err))
        rc = cli_fail("assign", &err);
done:
    free(ids);
    free(idp);
    free(data);
    return rc;
}

static json_t *
totals_json(const struct cr_assign_totals *t)
{
    json_t *o = json_object(), *cls = json_object();
    for (size_t c = 0; c < t->class_count; c++) {
        json_t *k = json_object();
        json_object_set_new(k, "vkt_km", cli_json_number(t->vkt[c], 3));
        json_object_set_new(k, "vht_h", cli_json_number(t->vht[c], 3));
        json_object_set_new(cls, t->name[c], k);
    }
    json_object_set_new(o, "classes", cls);
    json_object_set_new(o, "vkt_km", cli_json_number(t->vkt_total, 3));
    json_object_set_new(o, "vht_h", cli_json_number(t->vht_total, 3));
    return o;
}

static void
print_totals(const struct cr_assign_osm *osm, const struct cr_assign_totals *t)
{
    for (size_t c = 0; c < t->class_count; c++) {
        const struct cr_assign_class *k = &osm->problem.classes[c];
        double trips = 0.0;
        for (size_t i = 0; i < (size_t)osm->problem.zone_count * osm->problem.zone_count; i++)
            trips += k->demand[i];
        printf("  %-12s %12.1f trips  %12.1f veh-km  %10.2f veh-h  (pce %g, %zu of %u zones "
               "placed)\n",
               t->name[c], trips, t->vkt[c], t->vht[c], k->pce, osm->placed[c],
               osm->problem.zone_count);
    }
    printf("  %-12s %12s        %12.1f veh-km  %10.2f veh-h\n", "total", "", t->vkt_total,
           t->vht_total);
}

/* The outputs of a solved OSM assignment: flows, skims, map, summary. */
static int
osm_outputs(const struct assign_args *a, const struct cr_graph *g, const struct cr_zones *z,
            const struct cr_assign_osm *osm, const struct cr_assign_result *r)
{
    struct cr_assign_totals t;
    struct cr_error err = { 0 };
    int rc;
    if (cr_assign_osm_write(osm, r, a->output, &t, &err))
        return cli_fail("assign", &err);
    print_run(a, r);
    print_totals(osm, &t);
    if (a->skims && (rc = write_skims(a, osm, r, z)))
        return rc;
    if (a->map) {
        char sub[160];
        snprintf(sub, sizeof sub, "%s assignment, relative gap %.1e; width: PCE/h, colour: v/c",
                 cr_assign_algorithm_name(a->ao.algorithm), r->rgap);
        if (cli_map_flows(cr_graph_view(g), a->output, NULL, 0,
                          a->title ? a->title : "Assigned traffic", sub, a->map, &err))
            return cli_fail("assign", &err);
    }
    if (a->summary) {
        json_t *root = json_object();
        json_object_set_new(root, "network", json_string(a->network));
        json_object_set_new(root, "zones_file", json_string(a->zo.path));
        json_object_set_new(root, "zones", json_integer(osm->problem.zone_count));
        json_object_set_new(root, "demand", json_string(a->demand));
        json_object_set_new(root, "run", run_json(a, r));
        json_object_set_new(root, "totals", totals_json(&t));
        return write_json(a->summary, root);
    }
    return 0;
}

static int
run_osm(struct assign_args *a)
{
    char buf[2048], *specs[CR_ASSIGN_OSM_MAX_CLASSES];
    size_t n = 1;
    struct cr_error err = { 0 };
    struct cr_graph *g = NULL;
    struct cr_zones *z = NULL;
    struct cr_assign_osm osm;
    struct cr_assign_result r;
    struct cr_assign_osm_options oo = CR_ASSIGN_OSM_OPTIONS_DEFAULT;
    int rc;
    if (a->classes) {
        if ((rc = split_classes(a->classes, buf, sizeof buf, specs, &n)))
            return rc;
    } else {
        specs[0] = (char *)a->profile;
    }
    if ((rc = cli_check_writable("assign", a->output)) ||
        (rc = cli_check_writable("assign", a->skims)) ||
        (rc = cli_check_writable("assign", a->summary)) ||
        (rc = cli_check_writable("assign", a->map)))
        return rc;
    if (!(g = cr_graph_open(a->network, &err)))
        return cli_fail("assign", &err);
    if (cr_zones_load(&a->zo, &z, &err)) {
        cr_graph_close(g);
        return cli_fail("assign", &err);
    }
    oo.vdf = a->vdf;
    oo.conical_alpha = a->conical_alpha;
    rc = cli_assign_osm_run("assign", g, z, a->demand, (const char *const *)specs, n, &oo, &a->ao,
                            a->quiet, &osm, &r);
    if (rc == 0) {
        rc = osm_outputs(a, g, z, &osm, &r);
        cr_assign_result_fini(&r, osm.problem.class_count);
        cr_assign_osm_fini(&osm);
    }
    cr_zones_destroy(z);
    cr_graph_close(g);
    return rc;
}

int
cmd_assign(int argc, char **argv)
{
    struct assign_args a = { 0 };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int c, rc;
    a.ao = CR_ASSIGN_OPTIONS_DEFAULT;
    a.ao.threads = cores > 0 && cores < 256 ? (unsigned)cores : 1;
    a.toll_factor = a.distance_factor = NAN;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (cli_zoning_option(c, optarg, &a.zo))
            continue;
        if (c == 'h') {
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        }
        if ((rc = assign_option(c, optarg, &a)))
            return rc;
    }
    if ((rc = check_args(&a, argc - optind)))
        return rc;
    if (a.tntp_net)
        return run_tntp(&a);
    a.network = argv[optind];
    return run_osm(&a);
}
