/*
 * The OSRM v1 compatible HTTP server behind `corridor serve`: libmicrohttpd with a pool of
 * threads over one network file mapped once. A routing session per served profile (turn graph
 * and, when the network file holds one that fits, its contraction hierarchy; corridor/routing.h)
 * is opened at start and shared read-only, all on the first one's snapping index; routers
 * (per-request scratch) come from a pool per session, taken and given back under a mutex. A
 * request with a non-default truck size gets a session of its own (turn graph for that size,
 * plain Dijkstra), kept in a small cache so repeated sizes are not built again.
 *
 * The network and its sessions form a generation: each request takes a reference to the current
 * one, cr_server_reload swaps in a new one (SIGHUP in `corridor serve`), and the old one is freed
 * when its last request ends.
 *
 * Endpoints, options, errors and the differences from OSRM: docs/server.md.
 */
#ifndef CR_SERVER_SERVER_H
#define CR_SERVER_SERVER_H

#include <stddef.h>

#include "core/error.h"
#include "core/graph.h"
#include "server/osrm.h"

struct cr_tile_layers; /* render/tile.h */

struct cr_server_options {
    const char *host;         /* address to listen on: "127.0.0.1", "0.0.0.0", "::1" */
    unsigned port;            /* 0: any free port (cr_server_port tells which) */
    unsigned threads;         /* worker threads (libmicrohttpd's thread pool) */
    unsigned max_connections; /* open connections at once */
    unsigned max_per_ip;      /* open connections from one address at once (0: no limit) */
    unsigned timeout_s;       /* an idle or stalled connection is closed after this */
    struct cr_osrm_limits limits;
    const char *profiles; /* "car,motorcycle,truck,freight": the profiles served */
    double max_snap_m;    /* 0: CR_DEFAULT_SNAP_M */
    size_t vehicle_cache; /* sessions kept for non-default vehicle sizes */
    /* access log and notes, one line each without a newline (NULL: none); called from any
     * worker thread */
    void (*log)(void *user, const char *line);
    void *log_user;
    int access_log; /* 1: a line per request (method, URL, status, microseconds) */
    /* map tiles (/tiles/{z}/{x}/{y}.png, server/tiles.h): zones, class map and style, drawn over
     * each generation's network (its graph field is ignored); NULL: no tiles */
    const struct cr_tile_layers *tiles;
    size_t tile_cache_bytes; /* the tiles' LRU cache (default 64 MiB; 0: none) */
};

/* Fills O with the defaults (127.0.0.1:5000, OSRM's limits: 500 route points, 100 x 100
 * tables, 100 nearest; 16 KiB URLs; 30 s timeout; access log on). */
void cr_server_options_defaults(struct cr_server_options *o);

struct cr_server;

/* Opens the sessions of every profile in O->profiles over GRAPH (borrowed: it must outlive the
 * server). caller frees: cr_server_destroy() */
struct cr_server *cr_server_create(const struct cr_graph *graph, const struct cr_server_options *o,
                                   struct cr_error *err);

/* As cr_server_create, on the network file at PATH, opened here and closed with the server;
 * its path is what cr_server_reload opens again and /health names. */
struct cr_server *cr_server_open(const char *path, const struct cr_server_options *o,
                                 struct cr_error *err);

/* Opens the network file at PATH (NULL: the one given to cr_server_open) and its sessions, then
 * makes them the ones new requests use, atomically; requests being answered finish on the old
 * ones, freed when the last of them ends. On failure (file missing, corrupt, from another
 * version) the server keeps answering from what it had. Safe to call while serving. */
enum cr_status cr_server_reload(struct cr_server *s, const char *path, struct cr_error *err);

/* Stops accepting connections and waits (at most MAX_S seconds) until every request received has
 * been answered; answers given meanwhile close their connection. Then cr_server_destroy. */
void cr_server_drain(struct cr_server *s, double max_s);

/* Starts listening and answering in the background. */
enum cr_status cr_server_start(struct cr_server *s, struct cr_error *err);

/* The port listened on (after cr_server_start). */
unsigned cr_server_port(const struct cr_server *s);

/* Answers URL (path and query string, as sent) without sockets: the JSON body and *status, the
 * HTTP status; "/health" gives the server's state (docs/server.md, "Health"). NULL only when out
 * of memory. caller frees: free() */
char *cr_server_answer(struct cr_server *s, const char *url, int *status);

/* Stops listening (waiting for requests being answered) and frees everything. */
void cr_server_destroy(struct cr_server *s);

#endif
