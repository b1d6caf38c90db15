/* corridor contract NETWORK [--profiles car,motorcycle,truck] [--metrics time,distance] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/graph.h"
#include "core/progress.h"
#include "routing/ch.h"
#include "routing/ch_store.h"
#include "routing/profile.h"
#include "routing/turngraph.h"

static const char usage_text[] =
    "usage: corridor contract NETWORK [--profiles car,motorcycle,truck] [--metrics time,distance]\n"
    "                         [--quiet]\n\n"
    "Builds contraction hierarchies for the road profiles and metrics asked (default: car,\n"
    "motorcycle and truck with its default size; time and distance) and stores them in the\n"
    "network file, which is rewritten through a temporary file. Routes and matrices then use them\n"
    "when the request's vehicle is the profile's default. Each hierarchy is built on the\n"
    "edge-based turn graph, so turn restrictions and penalties hold.\n\n"
    "  --profiles LIST  comma-separated profile names or .json files, any number (each once)\n"
    "  --metrics LIST   comma-separated: time, distance, cost, co2 (each once)\n"
    "  --quiet          no progress bar and no line per hierarchy on stderr\n";

/* Splits TEXT (modified) at commas into *OUT (caller frees: free()); the count, or -1 when out of
 * memory. Empty words are left out. */
static int
split(char *text, char ***out)
{
    int n = 0, cap = 0;
    char **words = NULL;

    for (char *save = NULL, *w = strtok_r(text, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        if (n == cap) {
            char **more = realloc(words, (size_t)(cap = cap ? 2 * cap : 8) * sizeof *more);
            if (!more) {
                free(words);
                return -1;
            }
            words = more;
        }
        words[n++] = w;
    }
    *out = words;
    return n;
}

/* The first word of WORDS[0..n-1] given twice, or NULL. */
static const char *
repeated(char *const *words, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
            if (!strcmp(words[i], words[j]))
                return words[i];
    return NULL;
}

int
cmd_contract(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "profiles", required_argument, NULL, 'p' },
        { "metrics", required_argument, NULL, 'm' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *profiles_arg = "car,motorcycle,truck", *metrics_arg = "time,distance";
    char *profiles_buf = NULL, *metrics_buf = NULL, **profiles = NULL, **metrics = NULL;
    struct cr_ch_entry *entries = NULL;
    struct cr_ch **chs = NULL;
    struct cr_profile *profs = NULL;
    char(*names)[32] = NULL;
    struct cr_error err = { 0 };
    struct cr_progress progress;
    struct cr_graph *g = NULL;
    const char *twice;
    int quiet = 0, c, np, nm, n = 0, rc = CLI_EXIT_OK;

    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            profiles_arg = optarg;
            break;
        case 'm':
            metrics_arg = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("contract", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("contract", "want exactly one NETWORK file");
    profiles_buf = strdup(profiles_arg);
    metrics_buf = strdup(metrics_arg);
    if (!profiles_buf || !metrics_buf || (np = split(profiles_buf, &profiles)) < 0 ||
        (nm = split(metrics_buf, &metrics)) < 0) {
        fprintf(stderr, "corridor contract: out of memory\n");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    for (int j = 0; j < nm; j++)
        if (cr_metric_parse(metrics[j]) < 0) {
            rc = cli_usage_error("contract", "--metrics: \"%s\": want time, distance, cost or co2",
                                 metrics[j]);
            goto done;
        }
    if (np == 0 || nm == 0) {
        rc = cli_usage_error("contract", "nothing to contract");
        goto done;
    }
    if ((twice = repeated(metrics, nm))) {
        rc = cli_usage_error("contract", "--metrics: \"%s\" given twice", twice);
        goto done;
    }
    entries = calloc((size_t)np * (size_t)nm, sizeof *entries);
    chs = calloc((size_t)np * (size_t)nm, sizeof *chs);
    names = calloc((size_t)np * (size_t)nm, sizeof *names);
    profs = calloc((size_t)np, sizeof *profs);
    if (!entries || !chs || !names || !profs) {
        fprintf(stderr, "corridor contract: out of memory\n");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    for (int i = 0; i < np; i++) {
        if (cr_profile_load(profiles[i], NULL, &profs[i], &err)) {
            rc = cli_fail("contract", &err);
            goto done;
        }
        for (int k = 0; k < i; k++)
            if (!strcmp(profs[k].name, profs[i].name)) { /* one hierarchy per name and metric */
                rc = strcmp(profiles[k], profiles[i])
                         ? cli_usage_error("contract",
                                           "--profiles: \"%s\" and \"%s\" are both profile %s",
                                           profiles[k], profiles[i], profs[i].name)
                         : cli_usage_error("contract", "--profiles: \"%s\" given twice",
                                           profiles[i]);
                goto done;
            }
    }
    if (!(g = cr_graph_open(argv[optind], &err))) {
        rc = cli_fail("contract", &err);
        goto done;
    }
    cr_progress_init(&progress, quiet);
    for (int i = 0; i < np && rc == CLI_EXIT_OK; i++) {
        for (int j = 0; j < nm && rc == CLI_EXIT_OK; j++) {
            enum cr_metric m = (enum cr_metric)cr_metric_parse(metrics[j]);
            struct cr_turngraph *tg = cr_turngraph_build(cr_graph_view(g), &profs[i], m, &err);
            char phase[64];
            double t0 = cr_now();
            if (!tg) {
                rc = cli_fail("contract", &err);
                break;
            }
            snprintf(phase, sizeof phase, "contract %.31s/%.15s", profs[i].name, metrics[j]);
            cr_progress_phase(&progress, phase);
            chs[n] = cr_ch_build(&tg->g, cr_progress_update, &progress, &err);
            cr_progress_done(&progress);
            if (!chs[n]) {
                cr_turngraph_destroy(tg);
                rc = cli_fail("contract", &err);
                break;
            }
            snprintf(names[n], sizeof names[n], "%.31s", profs[i].name);
            entries[n] =
                (struct cr_ch_entry){ names[n], cr_metric_name(m), cr_wgraph_crc(&tg->g), chs[n] };
            if (!quiet)
                fprintf(stderr, "%s/%s: %u turn-graph nodes, %u arcs, contracted in %.2f s\n",
                        profs[i].name, cr_metric_name(m), tg->g.node_count, tg->g.arc_count,
                        cr_now() - t0);
            cr_turngraph_destroy(tg);
            n++;
        }
    }
    if (rc == CLI_EXIT_OK && cr_ch_store_save(argv[optind], entries, (size_t)n, &err))
        rc = cli_fail("contract", &err);
done:
    for (int k = 0; k < n; k++)
        cr_ch_destroy(chs[k]);
    cr_graph_close(g);
    free(entries);
    free(chs);
    free(names);
    free(profs);
    free(profiles);
    free(metrics);
    free(profiles_buf);
    free(metrics_buf);
    return rc;
}
