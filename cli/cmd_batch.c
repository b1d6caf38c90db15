/* corridor batch NETWORK --profile P --pairs FILE.csv [--threads N] [--shard I/N] -o OUT.csv */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/session.h"
#include "core/atomic.h"
#include "core/cond.h"
#include "core/csv.h"
#include "core/progress.h"
#include "importers/pairs/pairs.h"
#include "planning/batch.h"
#include "routing/measure.h"

#define MAX_SHARDS 1000000u
#define MAX_NOTES 5 /* per kind of problem; then a count */

static const char usage_text[] =
    "usage: corridor batch NETWORK --profile P --pairs FILE.csv -o OUT.csv\n"
    "                      [--metric time|distance|cost|co2] [--vehicle height=4.2,...]\n"
    "                      [--threads N] [--shard I/N] [--no-header] [--no-ch] [--max-snap M]\n"
    "                      [--quiet] [--depart|--arrive YYYY-MM-DDTHH:MM [--holidays D,...]]\n\n"
    "The route of every origin-destination pair in FILE.csv, on N threads, one output row per\n"
    "input row in the input's order (the same for any N). FILE.csv has a header line and the\n"
    "columns from_lon, from_lat, to_lon, to_lat (WGS84 degrees) and an optional id (aliases:\n"
    "orig_/origin_/o_ and dest_/destination_/d_ for from_ and to_; pair_id, od_id for id).\n\n"
    "OUT.csv columns: id,distance_m,duration_s,cost,co2_kg,status with distance in metres (0.1),\n"
    "duration in seconds (0.1), cost in the profile's currency (to its minor unit: whole dong for\n"
    "VND, cents for EUR) and CO2 in kg (0.001), as `corridor route` writes them; the route is\n"
    "optimal for --metric (default time). status is ok,\n"
    "bad_input (malformed row: a note on stderr names its line), no_segment (from or to is\n"
    "farther than --max-snap from a way the profile may use), unreachable (no route joins\n"
    "them) or failed; the four numbers are empty unless ok. A bad row never stops the batch.\n\n"
    "  --threads N      worker threads (default 0: one per CPU)\n"
    "  --shard I/N      only the I-th of N contiguous blocks of rows (1 <= I <= N); the header\n"
    "                   is written by shard 1 only, so `cat` of shards 1..N in order equals the\n"
    "                   unsharded output (for Slurm arrays, Kubernetes indexed jobs)\n"
    "  --no-header      no header line, whatever the shard\n"
    "  --vehicle LIST   the truck's size: height, width, length (m), weight, axleload (t)\n"
    "  --no-ch          plain Dijkstra even when the network holds a contraction hierarchy\n"
    "  --max-snap M     how far (m) a point may be from a usable way (default 1000)\n"
    "  --quiet          no progress bar, notes on bad rows or summary line on stderr\n"
    "  --depart T       every pair leaves at T (naive local time): conditional bans and speeds\n"
    "                   count as they hold when each route reaches them (time metric only)\n"
    "  --arrive T       each pair leaves at the latest time that still arrives by T; OUT.csv\n"
    "                   gets a last column depart (YYYY-MM-DDTHH:MM:SS)\n"
    "  --holidays LIST  the public holidays (PH) as YYYY-MM-DD dates, ',' between them\n\n"
    "OUT.csv is written to a temporary file beside it and renamed when complete (-o - writes to\n"
    "stdout).\n"
    "Exit 0 when the output is written, whatever the rows' statuses; 1 bad input; 2 usage.\n";

/* "I/N" with 1 <= I <= N <= MAX_SHARDS; -1 when malformed. */
static int
parse_shard(const char *text, unsigned *index, unsigned *count)
{
    char *end;
    unsigned long i, n;

    if (text[strspn(text, "0123456789/")] != '\0' || !strchr(text, '/'))
        return -1;
    errno = 0;
    i = strtoul(text, &end, 10);
    if (end == text || *end != '/' || errno)
        return -1;
    text = end + 1;
    n = strtoul(text, &end, 10);
    if (end == text || *end != '\0' || errno || i < 1 || i > n || n > MAX_SHARDS)
        return -1;
    *index = (unsigned)i;
    *count = (unsigned)n;
    return 0;
}

/* The rows as CSV; returns non-zero on a write error. The measures are written as `corridor
 * route` and every other command writes them (routing/measure.h). */
static int
write_rows(FILE *f, const struct cr_pair_list *pairs, size_t first,
           const struct cr_batch_result *res, size_t n, int header, const char *currency, int by)
{
    char fields[256], when[32];

    if (header)
        fputs(by ? "id," CR_MEASURES_CSV_HEADER ",status,depart\n"
                 : "id," CR_MEASURES_CSV_HEADER ",status\n",
              f);
    for (size_t i = 0; i < n; i++) {
        const struct cr_batch_result *r = &res[i];
        const struct cr_measures v = { r->distance_m, r->duration_s, r->cost, r->co2_kg };
        cr_csv_field(f, cr_pair_id(pairs, first + i));
        cr_measures_csv(fields, sizeof fields, r->status == CR_BATCH_OK ? &v : NULL, currency);
        fprintf(f, ",%s,%s", fields, cr_batch_status_name((enum cr_batch_status)r->status));
        when[0] = '\0';
        if (by && r->status == CR_BATCH_OK) /* --arrive: when the pair leaves */
            cr_cond_format_time(r->depart, when, sizeof when);
        fprintf(f, by ? ",%s\n" : "%s\n", when);
    }
    return ferror(f);
}

/* Writes OUT whole or not at all (core/atomic.h; "-": stdout); 0 or the exit code after a
 * one-line message. */
static int
write_output(const char *path, const struct cr_pair_list *pairs, size_t first,
             const struct cr_batch_result *res, size_t n, int header, const char *currency, int by)
{
    struct cr_atomic_file a;
    struct cr_error err = { 0 };

    if (cr_atomic_open(&a, path, &err))
        return cli_fail("batch", &err);
    if (write_rows(a.f, pairs, first, res, n, header, currency, by)) {
        cr_atomic_abort(&a);
        if (!strcmp(path, "-")) {
            fprintf(stderr, "corridor batch: cannot write to standard output\n");
            return CLI_EXIT_INPUT;
        }
        fprintf(stderr, "corridor batch: %s: %s\n", path, strerror(errno ? errno : EIO));
        return CLI_EXIT_INPUT;
    }
    if (cr_atomic_commit(&a, &err))
        return cli_fail("batch", &err);
    return CLI_EXIT_OK;
}

/* --depart, --arrive and --holidays into W (the days into PH, room for 366, W->ph points at
 * it): 0 taken, the exit code of a usage error, -1 not one of them. */
static int
parse_when(int c, const char *arg, struct cr_batch_when *w, int32_t *ph)
{
    switch (c) {
    case 'D':
    case 'Y':
        if (cr_cond_parse_time(arg, c == 'D' ? &w->depart : &w->arrive))
            return cli_usage_error("batch", "--%s \"%s\": want YYYY-MM-DDTHH:MM",
                                   c == 'D' ? "depart" : "arrive", arg);
        *(c == 'D' ? &w->timed : &w->by) = 1;
        return 0;
    case 'W':
        w->ph_count = 366;
        if (cr_cond_parse_dates(arg, ph, &w->ph_count))
            return cli_usage_error("batch", "--holidays \"%s\": want YYYY-MM-DD,...", arg);
        return 0;
    default:
        return -1;
    }
}

/* Routes the N ROWS at WHEN on THREADS workers into RES with a progress bar (none when QUIET);
 * 0, or the exit code after a one-line message. */
static int
run_rows(const struct cli_session *s, const struct cr_batch_when *when,
         const struct cr_batch_pair *rows, size_t n, unsigned threads, int quiet,
         struct cr_batch_result *res, unsigned *used)
{
    struct cr_progress bar;
    struct cr_error err = { 0 };
    cr_progress_init(&bar, quiet);
    cr_progress_phase(&bar, "routing pairs");
    cr_progress_set_total(&bar, (double)n, "pairs");
    enum cr_status st = cr_batch_run_at(when, s->engine, rows, n, 0, n, threads, cr_progress_update,
                                        &bar, res, used, &err);
    cr_progress_done(&bar);
    if (st) /* a metric that cannot carry the time: a usage error, before any row */
        return err.code == CR_EINVAL ? cli_usage_error("batch", "%s", err.msg)
                                     : cli_fail("batch", &err);
    return 0;
}

/* Rows [FIRST, FIRST + N) of the pair list as the batch engine takes them; NULL when out of
 * memory. caller frees: free() */
static struct cr_batch_pair *
batch_pairs(const struct cr_pair_list *l, size_t first, size_t n)
{
    struct cr_batch_pair *p = malloc((n + 1) * sizeof *p);

    for (size_t i = 0; p && i < n; i++) {
        const struct cr_pair *q = &l->items[first + i];
        p[i] = (struct cr_batch_pair){ q->from_lon_e7, q->from_lat_e7, q->to_lon_e7, q->to_lat_e7,
                                       q->bad };
    }
    return p;
}

/* Notes on stderr for the first few rows of each problem, then counts. */
static void
notes(const struct cr_pair_list *pairs, size_t first, const struct cr_batch_result *res, size_t n,
      const char *profile, size_t counts[CR_BATCH_STATUS_COUNT])
{
    static const char *const ends[] = { "from", "to", "from and to" };
    for (size_t i = 0; i < n; i++) {
        const struct cr_pair *p = &pairs->items[first + i];
        size_t k = ++counts[res[i].status];
        if (res[i].status == CR_BATCH_OK || k > MAX_NOTES)
            continue;
        if (res[i].status == CR_BATCH_BAD_INPUT)
            fprintf(stderr, "corridor batch: note: bad_input: %s\n",
                    cr_pair_problem(pairs, first + i));
        else if (res[i].status == CR_BATCH_NO_SEGMENT)
            fprintf(stderr,
                    "corridor batch: note: no_segment: line %u (id %s): %s more than "
                    "--max-snap from any way the %s profile may use\n",
                    p->line, cr_pair_id(pairs, first + i), ends[res[i].end > 2 ? 2 : res[i].end],
                    profile);
        else
            fprintf(stderr, "corridor batch: note: %s: line %u (id %s)\n",
                    cr_batch_status_name((enum cr_batch_status)res[i].status), p->line,
                    cr_pair_id(pairs, first + i));
    }
    for (int s = 1; s < CR_BATCH_STATUS_COUNT; s++)
        if (counts[s] > MAX_NOTES)
            fprintf(stderr, "corridor batch: note: %zu rows in all are %s\n", counts[s],
                    cr_batch_status_name((enum cr_batch_status)s));
}

/* The line on stderr after the output is written; SHARD 0 when not sharded. */
static void
summary(const struct cli_session *s, const char *output, unsigned shard, unsigned shards,
        size_t first, size_t end, size_t total, const size_t counts[CR_BATCH_STATUS_COUNT],
        double seconds, unsigned used)
{
    fprintf(stderr, "%s: ", strcmp(output, "-") ? output : "stdout");
    if (shard)
        fprintf(stderr, "shard %u/%u, rows %zu-%zu of %zu: ", shard, shards, first + 1, end, total);
    fprintf(stderr,
            "%zu pairs (%zu ok, %zu unreachable, %zu no_segment, %zu bad_input) "
            "in %.2f s, %.0f pairs/s on %u thread%s (%s, %s)\n",
            end - first, counts[CR_BATCH_OK], counts[CR_BATCH_UNREACHABLE],
            counts[CR_BATCH_NO_SEGMENT], counts[CR_BATCH_BAD_INPUT], seconds,
            seconds > 0 ? (double)(end - first) / seconds : 0.0, used, used == 1 ? "" : "s",
            s->profile.name, cr_session_uses_ch(s->session) ? "contraction hierarchy" : "Dijkstra");
    if (counts[CR_BATCH_FAILED])
        fprintf(stderr, "%s: %zu rows failed (out of memory?)\n",
                strcmp(output, "-") ? output : "stdout", counts[CR_BATCH_FAILED]);
}

int
cmd_batch(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_SESSION_LONGOPTS,
        { "pairs", required_argument, NULL, 'P' },
        { "threads", required_argument, NULL, 'j' },
        { "shard", required_argument, NULL, 'S' },
        { "output", required_argument, NULL, 'o' },
        { "no-header", no_argument, NULL, 'H' },
        { "quiet", no_argument, NULL, 'q' },
        { "depart", required_argument, NULL, 'D' },
        { "arrive", required_argument, NULL, 'Y' },
        { "holidays", required_argument, NULL, 'W' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct cli_session_options so = { 0 };
    struct cli_session s;
    struct cr_pair_list pairs = { 0 };
    struct cr_batch_result *res = NULL;
    struct cr_batch_pair *rows = NULL;
    struct cr_error err = { 0 };
    const char *pairs_path = NULL, *output = NULL;
    unsigned shard = 1, shards = 1, threads = 0, used = 0;
    int c, rc, no_header = 0, quiet = 0, sharded = 0;
    size_t first = 0, end = 0, counts[CR_BATCH_STATUS_COUNT] = { 0 };
    int32_t ph[366];
    struct cr_batch_when when = { .ph = ph };
    double started;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:qh", longopts, NULL)) != -1) {
        if ((rc = cli_session_option("batch", c, optarg, &so)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        if ((rc = parse_when(c, optarg, &when, ph)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case 'P':
            pairs_path = optarg;
            break;
        case 'j': {
            unsigned long t;
            if (cli_parse_count(optarg, 0, 256, &t))
                return cli_usage_error("batch", "--threads \"%s\": want 0..256 (0: one per CPU)",
                                       optarg);
            threads = (unsigned)t;
            break;
        }
        case 'S':
            if (parse_shard(optarg, &shard, &shards))
                return cli_usage_error("batch",
                                       "--shard \"%s\": want I/N with 1 <= I <= N <= %u "
                                       "(e.g. 2/8)",
                                       optarg, MAX_SHARDS);
            sharded = 1;
            break;
        case 'o':
            output = optarg;
            break;
        case 'H':
            no_header = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error("batch", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("batch", "want exactly one NETWORK file");
    if (!pairs_path)
        return cli_usage_error("batch", "want --pairs FILE.csv");
    if (when.timed && when.by)
        return cli_usage_error("batch", "--depart and --arrive: give one of them");
    if (!output || !*output)
        return cli_usage_error("batch", "want -o OUT.csv (or -o - for standard output)");
    if (cr_pairs_read(pairs_path, &pairs, &err))
        return cli_fail("batch", &err);
    so.network = argv[optind];
    if ((rc = cli_session_open(&s, "batch", &so))) {
        cr_pair_list_fini(&pairs);
        return rc;
    }
    cr_batch_shard(pairs.count, shard, shards, &first, &end);
    res = calloc(end - first + 1, sizeof *res);
    rows = batch_pairs(&pairs, first, end - first);
    if (!res || !rows) {
        fprintf(stderr, "corridor batch: out of memory for %zu results\n", end - first);
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    started = cr_now();
    if ((rc = run_rows(&s, &when, rows, end - first, threads, quiet, res, &used)))
        goto done;
    if (quiet)
        for (size_t i = 0; i < end - first; i++)
            counts[res[i].status]++;
    else
        notes(&pairs, first, res, end - first, s.profile.name, counts);
    rc = write_output(output, &pairs, first, res, end - first, !no_header && shard == 1,
                      s.profile.currency, when.by);
    if (!rc && !quiet)
        summary(&s, output, sharded ? shard : 0, shards, first, end, pairs.count, counts,
                cr_now() - started, used);
done:
    free(res);
    free(rows);
    cr_pair_list_fini(&pairs);
    cli_session_close(&s);
    return rc;
}
