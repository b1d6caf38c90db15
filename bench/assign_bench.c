/*
 * assign_bench: how fast corridor's traffic assignment converges on the TNTP test networks
 * (planning/assign.h, planning/assign_tntp.h), in process (libcorridor, static).
 *
 *   assign_bench [--tntp DIR] [--networks A,B] [--algorithms msa,fw,cfw,bfw,b]
 *                [--threads 1,2] [--max-seconds S] [--max-iter N]
 *   assign_bench --header          # prints the table's two header lines
 *
 * Defaults come from the environment when set (ASSIGN_TNTP, ASSIGN_NETWORKS, ASSIGN_ALGORITHMS,
 * ASSIGN_THREADS, ASSIGN_MAX_SECONDS, ASSIGN_MAX_ITER), else: DIR ../shared/datasets/tntp (the
 * team's shared data beside the repository: without it the program says so and exits 0),
 * networks SiouxFalls, Anaheim, ChicagoSketch (distance factor 0.04, planning/assign_tntp.h),
 * Barcelona; all five algorithms; 1 and 2 threads.
 *
 * Each case (network, algorithm, threads) runs in a forked child, so that its peak resident
 * memory is its own (ru_maxrss from wait4; the parent holds nothing but its arguments). The
 * child reads the files (timed: "load s"), runs cr_assign_run once and, through the progress
 * callback, records the iteration and the seconds since the start of the run (the library's
 * clock) at which the relative gap first reached each target: 1e-4 and 1e-6 (and 1e-8 for
 * Algorithm B; MSA only 1e-4). The run stops at the smallest target or at the case's cap
 * (--max-seconds, default per algorithm: msa 10 s, fw 5 s, cfw 10 s, bfw 15 s, b 20 s;
 * --max-iter, default 100000), and a target not reached by then is printed as "n/r" with the
 * row ending "not reached (gap X after N it, T s)". At the end the flows are compared with the
 * network's best-known flows (cr_assign_tntp_compare): largest relative link-flow difference,
 * RMSE (vehicles) and the relative objective difference (ours - best-known).
 *
 * Columns: network, algorithm, threads, load s, then per target "it" and "s/cpu": wall seconds
 * since the start of the run, a slash and the CPU seconds of all the process's threads over
 * the same span (a loaded machine stretches the first, hardly the second), then "cpu s" (user
 * + system CPU time of the child: reading and the run; on a loaded machine the wall times grow,
 * this much less), "peak MiB", "maxdiff %", "RMSE", "obj diff", and the end of the run.
 * One row per case on standard output as soon as it is done; bench/run prints the targets.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "importers/tntp/tntp.h"
#include "planning/assign.h"
#include "planning/assign_tntp.h"

#define MAX_TARGETS 3
#define MAX_LIST 16

#define ROW_FORMAT "%-13s %-4s %3s %6s %6s %15s %6s %15s %6s %15s %7s %8s %9s %8s %9s  %s\n"

struct network {
    const char *name;
    double distance_factor;
};

static const struct network all_networks[] = {
    { "SiouxFalls", 0.0 },
    { "Anaheim", 0.0 },
    { "ChicagoSketch", 0.04 },
    { "Barcelona", 0.0 },
};

static const double targets_of[CR_ASSIGN_ALGORITHM_COUNT][MAX_TARGETS] = {
    [CR_ASSIGN_MSA] = { 1e-4 },           [CR_ASSIGN_FW] = { 1e-4, 1e-6 },
    [CR_ASSIGN_CFW] = { 1e-4, 1e-6 },     [CR_ASSIGN_BFW] = { 1e-4, 1e-6 },
    [CR_ASSIGN_B] = { 1e-4, 1e-6, 1e-8 },
};
static const double default_cap_s[CR_ASSIGN_ALGORITHM_COUNT] = {
    [CR_ASSIGN_MSA] = 10, [CR_ASSIGN_FW] = 5, [CR_ASSIGN_CFW] = 10,
    [CR_ASSIGN_BFW] = 15, [CR_ASSIGN_B] = 20,
};
static const double column_targets[MAX_TARGETS] = { 1e-4, 1e-6, 1e-8 };

/* What a child sends back through its pipe. */
struct record {
    int ok;
    char msg[240];
    double load_s;
    int reached[MAX_TARGETS];
    unsigned reached_it[MAX_TARGETS];
    double reached_s[MAX_TARGETS];
    double reached_cpu[MAX_TARGETS]; /* process CPU seconds since the start of the run */
    unsigned iterations;
    double rgap, seconds;
    int compared;
    struct cr_assign_tntp_comparison cmp;
};

struct watch {
    const double *targets; /* the algorithm's, 0-terminated */
    struct record *rec;
    double cap_s;
    double cpu0; /* process CPU seconds when the run started */
    unsigned last_it;
    double last_gap, last_s;
};

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this process (all its threads). */
static double
cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
target_count(const double *t)
{
    int n = 0;
    while (n < MAX_TARGETS && t[n] > 0)
        n++;
    return n;
}

/* The progress callback: records where each target is first reached; stops at the last target
 * or the cap. */
static int
on_iteration(const struct cr_assign_iteration *it, void *user)
{
    struct watch *w = user;
    int n = target_count(w->targets);
    w->last_it = it->iteration;
    w->last_gap = it->rgap;
    w->last_s = it->seconds;
    for (int i = 0; i < n; i++) {
        if (!w->rec->reached[i] && it->rgap <= w->targets[i]) {
            w->rec->reached[i] = 1;
            w->rec->reached_it[i] = it->iteration;
            w->rec->reached_s[i] = it->seconds;
            w->rec->reached_cpu[i] = cpu_s() - w->cpu0;
        }
    }
    return w->rec->reached[n - 1] || it->seconds >= w->cap_s;
}

/* The child's work: one case into REC. */
static void
run_case(const char *dir, const struct network *net, enum cr_assign_algorithm alg, unsigned threads,
         double cap_s, unsigned max_iter, struct record *rec)
{
    char net_path[1024], trips_path[1024], flow_path[1024];
    struct cr_assign_problem p = { 0 };
    struct cr_tntp_flow ref = { 0 };
    struct cr_assign_result r;
    struct cr_error err = { 0 };
    snprintf(net_path, sizeof net_path, "%s/%s_net.tntp", dir, net->name);
    snprintf(trips_path, sizeof trips_path, "%s/%s_trips.tntp", dir, net->name);
    snprintf(flow_path, sizeof flow_path, "%s/%s_flow.tntp", dir, net->name);

    double t0 = now_s();
    if (cr_assign_tntp_load(net_path, trips_path, 0.0, net->distance_factor, &p, &err)) {
        snprintf(rec->msg, sizeof rec->msg, "%.200s", err.msg);
        return;
    }
    int have_ref = access(flow_path, R_OK) == 0;
    if (have_ref && cr_tntp_flow_read(flow_path, &ref, &err)) {
        snprintf(rec->msg, sizeof rec->msg, "%.200s", err.msg);
        cr_assign_problem_fini(&p);
        return;
    }
    rec->load_s = now_s() - t0;

    const double *targets = targets_of[alg];
    struct watch w = { targets, rec, cap_s, cpu_s(), 0, NAN, 0 };
    struct cr_assign_options o = CR_ASSIGN_OPTIONS_DEFAULT;
    o.algorithm = alg;
    o.gap = targets[target_count(targets) - 1];
    o.max_iter = max_iter;
    o.threads = threads;
    o.progress = on_iteration;
    o.user = &w;
    if (cr_assign_run(&p, &o, &r, &err)) {
        snprintf(rec->msg, sizeof rec->msg, "%.200s", err.msg);
    } else {
        rec->ok = 1;
        rec->iterations = r.iterations;
        rec->rgap = r.rgap;
        rec->seconds = w.last_it ? w.last_s : r.seconds;
        if (have_ref) {
            if (cr_assign_tntp_compare(&p, r.flow[0], &ref, flow_path, &rec->cmp, &err))
                snprintf(rec->msg, sizeof rec->msg, "compare: %.200s", err.msg);
            else
                rec->compared = 1;
        }
        cr_assign_result_fini(&r, p.class_count);
    }
    cr_tntp_flow_fini(&ref);
    cr_assign_problem_fini(&p);
}

static void
print_header(void)
{
    printf(ROW_FORMAT, "network", "alg", "thr", "load s", "1e-4 it", "1e-4 s/cpu", "1e-6 it",
           "1e-6 s/cpu", "1e-8 it", "1e-8 s/cpu", "cpu s", "peak MiB", "maxdiff %", "RMSE",
           "obj diff", "end");
    printf(ROW_FORMAT, "-------------", "----", "---", "------", "------", "---------------",
           "------", "---------------", "------", "---------------", "-------", "--------",
           "---------", "--------", "---------", "---");
}

/* Prints one row from REC (status of the child in RU). */
static void
print_row(const struct network *net, enum cr_assign_algorithm alg, unsigned threads,
          const struct record *rec, const struct rusage *ru, double cap_s)
{
    char cell[MAX_TARGETS][2][24], load[16], cpu[16], peak[16], diff[16] = "-", rmse[16] = "-",
                                                                obj[16] = "-", thr[16], end[320];
    const double *targets = targets_of[alg];
    int n = target_count(targets);
    snprintf(thr, sizeof thr, "%u", threads);
    snprintf(load, sizeof load, "%.3f", rec->load_s);
    snprintf(cpu, sizeof cpu, "%.2f",
             (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) +
                 (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) * 1e-6);
    snprintf(peak, sizeof peak, "%.1f", (double)ru->ru_maxrss / 1024.0);
    for (int c = 0; c < MAX_TARGETS; c++) {
        int i = 0;
        while (i < n && targets[i] != column_targets[c])
            i++;
        if (i == n) {
            snprintf(cell[c][0], sizeof cell[c][0], "-");
            snprintf(cell[c][1], sizeof cell[c][1], "-");
        } else if (!rec->ok) {
            snprintf(cell[c][0], sizeof cell[c][0], "-");
            snprintf(cell[c][1], sizeof cell[c][1], "-");
        } else if (rec->reached[i]) {
            snprintf(cell[c][0], sizeof cell[c][0], "%u", rec->reached_it[i]);
            snprintf(cell[c][1], sizeof cell[c][1], "%.3f/%.3f", rec->reached_s[i],
                     rec->reached_cpu[i]);
        } else {
            snprintf(cell[c][0], sizeof cell[c][0], "n/r");
            snprintf(cell[c][1], sizeof cell[c][1], "n/r");
        }
    }
    if (!rec->ok) {
        snprintf(end, sizeof end, "%s: %s", strstr(rec->msg, "not built") ? "not built" : "FAILED",
                 rec->msg[0] ? rec->msg : "the child died");
    } else {
        if (rec->compared) {
            snprintf(diff, sizeof diff, "%.3g", 100 * rec->cmp.max_rel_diff);
            snprintf(rmse, sizeof rmse, "%.3g", rec->cmp.rmse);
            snprintf(obj, sizeof obj, "%.2e", rec->cmp.objective_rel_diff);
        }
        if (rec->reached[n - 1])
            snprintf(end, sizeof end, "gap %.2e at %u it", rec->rgap, rec->iterations);
        else
            snprintf(end, sizeof end, "%.0e not reached (gap %.2e after %u it, %.1f s; cap %.0f s)",
                     targets[n - 1], rec->rgap, rec->iterations, rec->seconds, cap_s);
        if (rec->msg[0]) /* a failed comparison */
            snprintf(end + strlen(end), sizeof end - strlen(end), "; %s", rec->msg);
    }
    printf(ROW_FORMAT, net->name, cr_assign_algorithm_name(alg), thr, load, cell[0][0], cell[0][1],
           cell[1][0], cell[1][1], cell[2][0], cell[2][1], cpu, peak, diff, rmse, obj, end);
    fflush(stdout);
}

/* Runs one case in a child; prints its row. 0, or -1 when it failed. */
static int
bench_case(const char *dir, const struct network *net, enum cr_assign_algorithm alg,
           unsigned threads, double cap_s, unsigned max_iter)
{
    int fd[2];
    struct record rec;
    memset(&rec, 0, sizeof rec);
    if (pipe(fd)) {
        fprintf(stderr, "assign_bench: pipe: %s\n", strerror(errno));
        return -1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "assign_bench: fork: %s\n", strerror(errno));
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        run_case(dir, net, alg, threads, cap_s, max_iter, &rec);
        ssize_t w = write(fd[1], &rec, sizeof rec);
        _exit(w == (ssize_t)sizeof rec ? 0 : 1);
    }
    close(fd[1]);
    size_t got = 0;
    while (got < sizeof rec) {
        ssize_t k = read(fd[0], (char *)&rec + got, sizeof rec - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd[0]);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    if (got != sizeof rec) {
        memset(&rec, 0, sizeof rec);
        if (WIFSIGNALED(status))
            snprintf(rec.msg, sizeof rec.msg, "the child died of signal %d", WTERMSIG(status));
    }
    print_row(net, alg, threads, &rec, &ru, cap_s);
    return rec.ok || strstr(rec.msg, "not built") ? 0
                                                  : -1; /* B before it lands: said, not failed */
}

/* Splits the comma-separated TEXT into at most MAX_LIST words (TEXT is modified). */
static int
split(char *text, char **words)
{
    int n = 0;
    for (char *s = strtok(text, ","); s && n < MAX_LIST; s = strtok(NULL, ","))
        words[n++] = s;
    return n;
}

static const char *
env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

static int
usage(void)
{
    fprintf(stderr, "usage: assign_bench [--tntp DIR] [--networks A,B] [--algorithms msa,fw,cfw,"
                    "bfw,b]\n                    [--threads 1,2] [--max-seconds S] [--max-iter N]"
                    "\n       assign_bench --header\n");
    return 2;
}

int
main(int argc, char **argv)
{
    const char *dir = env_or("ASSIGN_TNTP", "../shared/datasets/tntp");
    const char *nets = env_or("ASSIGN_NETWORKS", "SiouxFalls,Anaheim,ChicagoSketch,Barcelona");
    const char *algs = env_or("ASSIGN_ALGORITHMS", "msa,fw,cfw,bfw,b");
    const char *thrs = env_or("ASSIGN_THREADS", "1,2");
    const char *max_s = env_or("ASSIGN_MAX_SECONDS", "");
    const char *max_it = env_or("ASSIGN_MAX_ITER", "100000");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--header")) {
            print_header();
            return 0;
        }
        if (!v)
            return usage();
        if (!strcmp(a, "--tntp"))
            dir = v;
        else if (!strcmp(a, "--networks"))
            nets = v;
        else if (!strcmp(a, "--algorithms"))
            algs = v;
        else if (!strcmp(a, "--threads"))
            thrs = v;
        else if (!strcmp(a, "--max-seconds"))
            max_s = v;
        else if (!strcmp(a, "--max-iter"))
            max_it = v;
        else
            return usage();
        i++;
    }
    char net_buf[512], alg_buf[256], thr_buf[64], *net_w[MAX_LIST], *alg_w[MAX_LIST],
        *thr_w[MAX_LIST];
    snprintf(net_buf, sizeof net_buf, "%s", nets);
    snprintf(alg_buf, sizeof alg_buf, "%s", algs);
    snprintf(thr_buf, sizeof thr_buf, "%s", thrs);
    int nn = split(net_buf, net_w), na = split(alg_buf, alg_w), nt = split(thr_buf, thr_w);
    double cap_all = *max_s ? atof(max_s) : 0;
    long iter_cap = atol(max_it);
    if (iter_cap < 1 || cap_all < 0)
        return usage();

    if (access(dir, R_OK) != 0) {
        printf("assign_bench: %s not found (the team's shared TNTP networks): skipped\n", dir);
        return 0;
    }
    print_header();
    int status = 0;
    for (int i = 0; i < nn; i++) {
        const struct network *net = NULL;
        for (size_t k = 0; k < sizeof all_networks / sizeof *all_networks; k++)
            if (!strcmp(net_w[i], all_networks[k].name))
                net = &all_networks[k];
        if (!net) {
            fprintf(stderr,
                    "assign_bench: unknown network \"%s\" (SiouxFalls, Anaheim, "
                    "ChicagoSketch, Barcelona)\n",
                    net_w[i]);
            return 2;
        }
        for (int j = 0; j < na; j++) {
            int alg = cr_assign_algorithm_parse(alg_w[j]);
            if (alg < CR_ASSIGN_MSA) {
                fprintf(stderr, "assign_bench: unknown algorithm \"%s\"\n", alg_w[j]);
                return 2;
            }
            for (int k = 0; k < nt; k++) {
                unsigned threads = (unsigned)atoi(thr_w[k]);
                if (threads < 1)
                    return usage();
                double cap = cap_all > 0 ? cap_all : default_cap_s[alg];
                if (bench_case(dir, net, (enum cr_assign_algorithm)alg, threads, cap,
                               (unsigned)iter_cap))
                    status = 1;
            }
        }
    }
    return status;
}
