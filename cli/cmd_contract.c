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

#define MAX_ENTRIES 32

static const char usage_text[] =
    "usage: corridor contract NETWORK [--profiles car,motorcycle,truck] [--metrics time,distance]\n"
    "                         [--quiet]\n\n"
    "Builds contraction hierarchies for the road profiles and metrics asked (default: car,\n"
    "motorcycle and truck with its default size; time and distance) and stores them in the\n"
    "network file, which is rewritten through a temporary file. Routes and matrices then use them\n"
    "when the request's vehicle is the profile's default. Each hierarchy is built on the\n"
    "edge-based turn graph, so turn restrictions and penalties hold.\n";

static int
split(char *text, char **out, int max)
{
    int n = 0;
    for (char *save = NULL, *w = strtok_r(text, ",", &save); w && n < max;
         w = strtok_r(NULL, ",", &save))
        out[n++] = w;
    return n;
}

int
cmd_contract(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "profiles", required_argument, NULL, 'p' }, { "metrics", required_argument, NULL, 'm' },
        { "quiet", no_argument, NULL, 'q' },          { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    char profiles_buf[256] = "car,motorcycle,truck", metrics_buf[256] = "time,distance";
    char *profiles[8], *metrics[CR_METRIC_COUNT];
    struct cr_ch_entry entries[MAX_ENTRIES];
    struct cr_ch *chs[MAX_ENTRIES] = { 0 };
    struct cr_profile profs[MAX_ENTRIES];
    char names[MAX_ENTRIES][32];
    struct cr_error err = { 0 };
    struct cr_progress progress;
    struct cr_graph *g;
    int quiet = 0, c, np, nm, n = 0, rc = CLI_EXIT_OK;

    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            snprintf(profiles_buf, sizeof profiles_buf, "%s", optarg);
            break;
        case 'm':
            snprintf(metrics_buf, sizeof metrics_buf, "%s", optarg);
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
    np = split(profiles_buf, profiles, 8);
    nm = split(metrics_buf, metrics, CR_METRIC_COUNT);
    for (int j = 0; j < nm; j++)
        if (cr_metric_parse(metrics[j]) < 0)
            return cli_usage_error("contract", "--metrics: \"%s\": want time, distance, cost or co2",
                                   metrics[j]);
    if (np == 0 || nm == 0)
        return cli_usage_error("contract", "nothing to contract");
    for (int i = 0; i < np; i++)
        if (cr_profile_load(profiles[i], NULL, &profs[i], &err))
            return cli_fail("contract", &err);
    if (!(g = cr_graph_open(argv[optind], &err)))
        return cli_fail("contract", &err);
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
            entries[n] = (struct cr_ch_entry){ names[n], cr_metric_name(m),
                                               cr_wgraph_crc(&tg->g), chs[n] };
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
    for (int k = 0; k < n; k++)
        cr_ch_destroy(chs[k]);
    cr_graph_close(g);
    return rc;
}
