/* What route, matrix, skim and batch need open: the network and a routing session on it
 * (corridor/routing.h), with one router for the command's own thread. */
#ifndef CR_CLI_SESSION_H
#define CR_CLI_SESSION_H

#include <stddef.h>
#include <stdio.h>

#include "core/graph.h"
#include "corridor/routing.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "routing/session.h"

struct cli_session {
    struct cr_graph *graph;
    struct cr_session *session;
    struct cr_router *router;
    const struct cr_engine *engine;   /* cr_session_engine(session) */
    const struct cr_graph_view *view; /* the network's */
    struct cr_profile profile;        /* the session's, for printing (name, currency) */
    enum cr_metric metric;
};

struct cli_session_options {
    const char *network, *profile, *metric, *vehicle;
    int no_ch;           /* force plain Dijkstra */
    double max_snap_m;   /* 0: default */
    const char *exclude; /* classes of ways left out ("toll,motorway"), NULL: none */
};

/* The options that fill cli_session_options (but the network), for a struct option table:
 * --profile P, --metric M, --vehicle SPEC, --no-ch, --max-snap M. */
#define CLI_SESSION_LONGOPTS                                                                       \
    { "profile", required_argument, NULL, 'p' }, { "metric", required_argument, NULL, 'm' },       \
        { "vehicle", required_argument, NULL, 'V' }, { "no-ch", no_argument, NULL, 'n' },          \
    {                                                                                              \
        "max-snap", required_argument, NULL, 's'                                                   \
    }

/* When C (from getopt_long) is one of CLI_SESSION_LONGOPTS, stores ARG in SO and returns 0, or
 * CLI_EXIT_USAGE after "corridor CMD: ..." when ARG is bad; -1 when C is not one of them. */
int cli_session_option(const char *cmd, int c, const char *arg, struct cli_session_options *so);

/* Where points may snap: OSRM's radiuses, bearings and approaches on the command line, as
 * --radius R, --bearing DEG,RANGE and --approach curb|opposite|unrestricted. Each takes one value
 * for every point, or a ';'-separated list with one element per point (empty: the default). */
struct cli_place_options {
    const char *radius, *bearing, *approach; /* NULL: not given */
};

#define CLI_PLACE_LONGOPTS                                                                         \
    { "radius", required_argument, NULL, 'R' }, { "bearing", required_argument, NULL, 'B' },       \
    {                                                                                              \
        "approach", required_argument, NULL, 'A'                                                   \
    }

/* When C is one of CLI_PLACE_LONGOPTS, stores ARG in PO and returns 0; -1 otherwise. */
int cli_place_option(int c, const char *arg, struct cli_place_options *po);

/* The options of N points into OUT[0..N-1]; CLI_EXIT_USAGE after "corridor CMD: ..." when one
 * is malformed or a list has another count than N; 0 otherwise. */
int cli_place_opts(const char *cmd, const struct cli_place_options *po, size_t n,
                   struct cr_place_opts *out);

/* Opens the network and a session on it (cr_session_open) and prints the session's notes as
 * "corridor CMD: note: ..." on stderr; on failure prints one line "corridor CMD: ..." and returns
 * the exit code (1 bad input, 2 usage); 0 on success. */
int cli_session_open(struct cli_session *s, const char *cmd, const struct cli_session_options *o);
void cli_session_close(struct cli_session *s);

/* "LON,LAT" in degrees -> e7; 0 on success, -1 when malformed or out of range. */
int cli_parse_lonlat(const char *text, int32_t *lon_e7, int32_t *lat_e7);

/* Writes TEXT to PATH whole or not at all (core/atomic.h; PATH NULL or "-": stdout).
 * Prints a one-line error and returns 1 on failure. */
int cli_write_output(const char *cmd, const char *path, const char *text, size_t len);

#endif
