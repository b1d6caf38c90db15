/* corridor serve NETWORK [--host H] [--port P] [--threads N] [--max-table-size N] ... */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/tile_opts.h"
#include "server/server.h"

static const char usage_text[] =
    "usage: corridor serve NETWORK [--host 127.0.0.1] [--port 5000] [--threads N]\n"
    "                      [--max-table-size 100] [--max-via 500] [--max-nearest 100]\n"
    "                      [--max-trip-size 100]\n"
    "                      [--max-url 16384] [--timeout 30] [--max-connections 1024]\n"
    "                      [--max-per-ip 0]\n"
    "                      [--profiles car,motorcycle,truck,freight] [--max-snap M]\n"
    "                      [--vehicle-cache 4] [--quiet]\n"
    "                      [--zones Z --class-field F] [--style S] [--tile-cache-mb 64]\n\n"
    "An HTTP server with OSRM's v1 API (route, table, nearest; docs/server.md) over NETWORK,\n"
    "mapped once and shared by all threads. The profile in the URL is one of --profiles, or\n"
    "driving (= car). Truck sizes go in the query: ?height=4.2&weight=30 or\n"
    "?vehicle=height=4.2,weight=30. SIGHUP opens NETWORK again (replace it by rename first):\n"
    "requests being answered finish on the old one. SIGINT or SIGTERM stop it once requests\n"
    "being answered are done. GET /health tells status, network, generation and profiles.\n"
    "One line per request on stderr: method, URL, status, microseconds (--quiet: none).\n\n"
    "  --port P            0 picks a free port; the line \"listening on http://HOST:PORT\" on\n"
    "                      stderr says which\n"
    "  --threads N         worker threads (default: the number of CPUs)\n"
    "  --max-table-size N  a table may have at most N x N cells (OSRM's default 100)\n"
    "  --max-via N         a route at most N coordinates (OSRM's default 500)\n"
    "  --max-nearest N     nearest: number at most N\n"
    "  --max-trip-size N   trip: at most N coordinates (OSRM's default 100)\n"
    "  --max-url BYTES     longer URLs get TooBig (HTTP 414)\n"
    "  --timeout S         an idle or stalled connection is closed after S seconds; also the\n"
    "                      longest wait for requests being answered at SIGTERM\n"
    "  --max-connections N open connections at once; more wait until one closes\n"
    "  --max-per-ip N      open connections from one address at once (0: no limit)\n"
    "  --vehicle-cache N   engines kept for non-default truck sizes (each built on first use)\n"
    "\nMap tiles (GET /tiles/{z}/{x}/{y}.png and @2x.png; docs/tiles.md):\n"
    "  --tile-cache-mb N   the tiles kept in memory (default 64 MiB; 0: none)\n" CLI_TILE_HELP;

/* The access log: worker threads append lines to a buffer under a mutex; one writer thread
 * writes it to stderr every 50 ms (or when it fills), so a request costs no write system call. */
struct log_buffer {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *text;
    size_t len, cap;
    int stop;
};

#define LOG_CAP (1u << 20)

static void
log_flush_locked(struct log_buffer *b)
{
    if (b->len) {
        fwrite(b->text, 1, b->len, stderr);
        fflush(stderr);
        b->len = 0;
    }
}

static void
log_line(void *user, const char *line)
{
    struct log_buffer *b = user;
    size_t n = strlen(line);

    pthread_mutex_lock(&b->mu);
    if (b->len + n + 1 > b->cap)
        log_flush_locked(b);
    if (n + 1 > b->cap) {
        fprintf(stderr, "%s\n", line);
    } else {
        memcpy(b->text + b->len, line, n);
        b->text[b->len + n] = '\n';
        b->len += n + 1;
    }
    pthread_mutex_unlock(&b->mu);
}

static void *
log_writer(void *arg)
{
    struct log_buffer *b = arg;

    pthread_mutex_lock(&b->mu);
    while (!b->stop) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_nsec += 50 * 1000000L;
        if (t.tv_nsec >= 1000000000L) {
            t.tv_sec++;
            t.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&b->cv, &b->mu, &t);
        log_flush_locked(b);
    }
    log_flush_locked(b);
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static int
parse_count(const char *opt, const char *text, unsigned long min, unsigned long max,
            unsigned long *out)
{
    if (cli_parse_count(text, min, max, out))
        return cli_usage_error("serve", "%s \"%s\": want a whole number %lu..%lu", opt, text, min,
                               max);
    return 0;
}

/* Option C (from getopt_long) with ARG into O or *QUIET; 0, or the exit code after a message. */
static int
serve_option(int c, const char *arg, struct cr_server_options *o, int *quiet)
{
    unsigned long x;

    switch (c) {
    case 'H':
        o->host = arg;
        return 0;
    case 'p':
        if (parse_count("--port", arg, 0, 65535, &x))
            return CLI_EXIT_USAGE;
        o->port = (unsigned)x;
        return 0;
    case 't':
        if (parse_count("--threads", arg, 1, 1024, &x))
            return CLI_EXIT_USAGE;
        o->threads = (unsigned)x;
        return 0;
    case 'T':
        if (parse_count("--max-table-size", arg, 1, 10000, &x))
            return CLI_EXIT_USAGE;
        o->limits.max_table_size = x;
        return 0;
    case 'V':
        if (parse_count("--max-via", arg, 2, 100000, &x))
            return CLI_EXIT_USAGE;
        o->limits.max_route_points = x;
        return 0;
    case 'N':
        if (parse_count("--max-nearest", arg, 1, 100000, &x))
            return CLI_EXIT_USAGE;
        o->limits.max_nearest = x;
        return 0;
    case 'Z':
        if (parse_count("--max-trip-size", arg, 2, 10000, &x))
            return CLI_EXIT_USAGE;
        o->limits.max_trip_size = x;
        return 0;
    case 'U':
        if (parse_count("--max-url", arg, 64, 1048576, &x))
            return CLI_EXIT_USAGE;
        o->limits.max_url_bytes = x;
        return 0;
    case 'o':
        if (parse_count("--timeout", arg, 1, 86400, &x))
            return CLI_EXIT_USAGE;
        o->timeout_s = (unsigned)x;
        return 0;
    case 'C':
        if (parse_count("--max-connections", arg, 1, 1000000, &x))
            return CLI_EXIT_USAGE;
        o->max_connections = (unsigned)x;
        return 0;
    case 'I':
        if (parse_count("--max-per-ip", arg, 0, 1000000, &x))
            return CLI_EXIT_USAGE;
        o->max_per_ip = (unsigned)x;
        return 0;
    case 'P':
        o->profiles = arg;
        return 0;
    case 's':
        if (cli_parse_max_snap("serve", arg, &o->max_snap_m))
            return CLI_EXIT_USAGE;
        return 0;
    case 'c':
        if (parse_count("--vehicle-cache", arg, 0, 1000, &x))
            return CLI_EXIT_USAGE;
        o->vehicle_cache = x;
        return 0;
    case 'q':
        *quiet = 1;
        return 0;
    case 'M':
        if (parse_count("--tile-cache-mb", arg, 0, 1048576, &x))
            return CLI_EXIT_USAGE;
        o->tile_cache_bytes = (size_t)x << 20;
        return 0;
    default:
        return cli_usage_error("serve", "bad option");
    }
}

/* Until SIGINT or SIGTERM: SIGHUP reloads the network file (a failed reload keeps the old). */
static void
wait_signals(struct cr_server *server, const sigset_t *sigs, struct log_buffer *lb)
{
    int sig = 0;

    while (sigwait(sigs, &sig) == 0) {
        struct cr_error err = { 0 };
        char line[CR_ERROR_SIZE + 64];
        if (sig != SIGHUP) {
            log_line(lb, sig == SIGINT ? "corridor serve: SIGINT, stopping"
                                       : "corridor serve: SIGTERM, stopping");
            return;
        }
        if (cr_server_reload(server, NULL, &err)) {
            snprintf(line, sizeof line, "corridor serve: SIGHUP: reload failed, serving on: %s",
                     err.msg);
            log_line(lb, line);
        }
    }
}

int
cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "host", required_argument, NULL, 'H' },
        { "port", required_argument, NULL, 'p' },
        { "threads", required_argument, NULL, 't' },
        { "max-table-size", required_argument, NULL, 'T' },
        { "max-via", required_argument, NULL, 'V' },
        { "max-nearest", required_argument, NULL, 'N' },
        { "max-trip-size", required_argument, NULL, 'Z' },
        { "max-url", required_argument, NULL, 'U' },
        { "timeout", required_argument, NULL, 'o' },
        { "max-connections", required_argument, NULL, 'C' },
        { "max-per-ip", required_argument, NULL, 'I' },
        { "profiles", required_argument, NULL, 'P' },
        { "max-snap", required_argument, NULL, 's' },
        { "vehicle-cache", required_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "tile-cache-mb", required_argument, NULL, 'M' },
        CLI_TILE_LONGOPTS,
        { NULL, 0, NULL, 0 },
    };
    struct cli_tiles tiles = { .style_path = NULL };
    struct cr_server_options o;
    struct cr_error err = { 0 };
    struct cr_server *server = NULL;
    sigset_t sigs;
    struct log_buffer lb = { .text = NULL };
    pthread_t writer;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int c, quiet = 0, rc = CLI_EXIT_INPUT;

    cr_server_options_defaults(&o);
    o.threads = cpus > 0 ? (unsigned)cpus : 2;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        }
        if (cli_tiles_option(c, optarg, &tiles))
            continue;
        if ((rc = serve_option(c, optarg, &o, &quiet)))
            return rc;
    }
    if (optind != argc - 1)
        return cli_usage_error("serve", "want exactly one NETWORK file");
    if (!(lb.text = malloc(LOG_CAP))) {
        fprintf(stderr, "corridor serve: out of memory\n");
        return CLI_EXIT_INPUT;
    }
    lb.cap = LOG_CAP;
    pthread_mutex_init(&lb.mu, NULL);
    pthread_cond_init(&lb.cv, NULL);
    /* every thread started from here on (the log writer, libmicrohttpd's workers) inherits this
     * mask, so only sigwait below sees SIGINT and SIGTERM */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    if (pthread_create(&writer, NULL, log_writer, &lb)) {
        fprintf(stderr, "corridor serve: cannot start a thread\n");
        free(lb.text);
        return CLI_EXIT_INPUT;
    }
    o.log = log_line;
    o.log_user = &lb;
    o.access_log = !quiet;
    if (cli_tiles_load(&tiles, &err)) {
        rc = cli_fail("serve", &err);
        goto done;
    }
    o.tiles = &tiles.layers;
    if (!(server = cr_server_open(argv[optind], &o, &err)) || cr_server_start(server, &err)) {
        rc = cli_fail("serve", &err);
        goto done;
    }
    {
        char line[512];
        int v6 = strchr(o.host, ':') != NULL;
        snprintf(line, sizeof line,
                 "corridor serve: listening on http://%s%s%s:%u (%u threads; %s)", v6 ? "[" : "",
                 o.host, v6 ? "]" : "", cr_server_port(server), o.threads, argv[optind]);
        log_line(&lb, line);
    }
    pthread_cond_signal(&lb.cv);
    wait_signals(server, &sigs, &lb);
    cr_server_drain(server, o.timeout_s);
    log_line(&lb, "corridor serve: stopped");
    rc = CLI_EXIT_OK;
done:
    cr_server_destroy(server);
    cli_tiles_fini(&tiles);
    pthread_mutex_lock(&lb.mu);
    lb.stop = 1;
    pthread_cond_signal(&lb.cv);
    pthread_mutex_unlock(&lb.mu);
    pthread_join(writer, NULL);
    pthread_cond_destroy(&lb.cv);
    pthread_mutex_destroy(&lb.mu);
    free(lb.text);
    return rc;
}
