/* corridor contract NETWORK [--profiles car,motorcycle,truck] [--metrics time,distance] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/progress.h"
#include "routing/contract.h"
#include "routing/profile.h"

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

/* The progress bar per hierarchy and a line after each (unless quiet). */
struct report {
    struct cr_progress bar;
    size_t index, count;
    int quiet;
};

static int
report_progress(void *user, double done)
{
    struct report *r = user;
    double part = done * (double)r->count - (double)r->index; /* this hierarchy's fraction */

    return cr_progress_update(&r->bar, part < 0 ? 0 : part > 1 ? 1 : part);
}

static void
report_step(void *user, const struct cr_contract_step *step, int done)
{
    struct report *r = user;
    char phase[64];

    r->index = step->index;
    if (!done) {
        snprintf(phase, sizeof phase, "contract %.31s/%.15s", step->profile, step->metric);
        cr_progress_phase(&r->bar, phase);
        return;
    }
    cr_progress_done(&r->bar);
    if (!r->quiet)
        fprintf(stderr, "%s/%s: %u turn-graph nodes, %u arcs, contracted in %.2f s\n",
                step->profile, step->metric, step->nodes, step->arcs, step->seconds);
}

/* Loads PROFILES[0 .. NP-1] into PROFS, one per name; 0, or the exit code after a message. */
static int
load_profiles(char *const *profiles, int np, struct cr_profile *profs)
{
    struct cr_error err = { 0 };

    for (int i = 0; i < np; i++) {
        if (cr_profile_load(profiles[i], NULL, &profs[i], &err))
            return cli_fail("contract", &err);
        for (int k = 0; k < i; k++)
            if (!strcmp(profs[k].name, profs[i].name)) /* one hierarchy per name and metric */
                return strcmp(profiles[k], profiles[i])
                           ? cli_usage_error("contract",
                                             "--profiles: \"%s\" and \"%s\" are both profile %s",
                                             profiles[k], profiles[i], profs[i].name)
                           : cli_usage_error("contract", "--profiles: \"%s\" given twice",
                                             profiles[i]);
    }
    return CLI_EXIT_OK;
}

/* METRICS[0 .. NM-1] as metrics into OUT; 0, or the exit code after a message. */
static int
parse_metrics(char *const *metrics, int nm, int np, enum cr_metric *out)
{
    const char *twice;

    for (int j = 0; j < nm; j++) {
        int m = cr_metric_parse(metrics[j]);
        if (m < 0)
            return cli_usage_error(
                "contract", "--metrics: \"%s\": want time, distance, cost or co2", metrics[j]);
        out[j] = (enum cr_metric)m;
    }
    if (np == 0 || nm == 0)
        return cli_usage_error("contract", "nothing to contract");
    if ((twice = repeated(metrics, nm)))
        return cli_usage_error("contract", "--metrics: \"%s\" given twice", twice);
    return CLI_EXIT_OK;
}

/* Contracts NETWORK for the comma-separated PROFILES_ARG and METRICS_ARG. */
static int
contract(const char *network, const char *profiles_arg, const char *metrics_arg, int quiet)
{
    char *profiles_buf = strdup(profiles_arg), *metrics_buf = strdup(metrics_arg);
    char **profiles = NULL, **metrics = NULL;
    struct cr_profile *profs = NULL;
    enum cr_metric *ms = NULL;
    struct cr_contract_options o = CR_CONTRACT_OPTIONS_DEFAULT;
    struct report rep = { .quiet = quiet };
    struct cr_error err = { 0 };
    int np, nm, rc = CLI_EXIT_OK;

    if (!profiles_buf || !metrics_buf || (np = split(profiles_buf, &profiles)) < 0 ||
        (nm = split(metrics_buf, &metrics)) < 0 || !(ms = calloc((size_t)nm + 1, sizeof *ms)) ||
        !(profs = calloc((size_t)np + 1, sizeof *profs))) {
        fprintf(stderr, "corridor contract: out of memory\n");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    if ((rc = parse_metrics(metrics, nm, np, ms)) || (rc = load_profiles(profiles, np, profs)))
        goto done;
    cr_progress_init(&rep.bar, quiet);
    rep.count = (size_t)np * (size_t)nm;
    o.progress = report_progress;
    o.step = report_step;
    o.user = &rep;
    if (cr_contract_profiles(network, profs, (size_t)np, ms, (size_t)nm, &o, &err)) {
        cr_progress_done(&rep.bar);
        rc = cli_fail("contract", &err);
    }
done:
    free(ms);
    free(profs);
    free(profiles);
    free(metrics);
    free(profiles_buf);
    free(metrics_buf);
    return rc;
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
    int quiet = 0, c;

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
    return contract(argv[optind], profiles_arg, metrics_arg, quiet);
}
