/*
 * What server.c (generations, sessions, answers) and server_http.c (libmicrohttpd: requests,
 * replies, and the dispatch of the web map, /tiles and --compare's /after/) share: the server's
 * and a generation's layout, and the few calls between the two. Internal to server/.
 */
#ifndef CR_SERVER_SERVER_INTERNAL_H
#define CR_SERVER_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "core/graph.h"
#include "server/pool.h"
#include "server/server.h"

struct MHD_Daemon;      /* microhttpd.h */
struct cr_tile_service; /* server/tiles.h */
struct cr_tile_cache;   /* server/tile_cache.h */

#define MAX_PROFILES 8

struct slot { /* a served profile with its default vehicle */
    struct cr_session *session;
    const struct cr_profile *profile; /* the session's */
    struct cr_pool routers;
};

/* A generation: one loaded network file with the sessions over it. Each request takes a
 * reference to the current one; a reload makes a new one current, and the old one is freed when
 * its last request gives its reference back. */
struct generation {
    struct cr_graph *owned; /* closed with the generation (NULL: the graph is borrowed) */
    const struct cr_graph *graph;
    struct slot slots[MAX_PROFILES];
    size_t slot_count;
    struct cr_vehicles vehicles; /* sessions for other vehicle sizes */
    int vehicles_ready;
    struct cr_tile_service *tiles; /* NULL: no tiles */
    unsigned long number;          /* 1, 2, ...: one more per reload */
    time_t loaded;                 /* wall clock */
    double bbox[4];                /* W S E N of the nodes, for the web map (/health) */
    int refs;                      /* under cr_server.mu: the server's own, plus one per request */
};

struct cr_server {
    struct cr_server_options opt;
    pthread_mutex_t mu;        /* guards gen, network and every generation's refs */
    pthread_mutex_t reload_mu; /* one reload at a time */
    struct generation *gen;    /* the current one */
    unsigned long generations;
    char network[1024];   /* the network file's path ("" when given as a graph) */
    atomic_long inflight; /* requests received and not yet completed */
    atomic_int draining;  /* stopping: answers carry Connection: close */
    time_t started;
    struct MHD_Daemon *daemon;
    unsigned port;
    struct cr_tile_cache *tile_cache; /* tiles of every generation, the number in the key */
    struct cr_server *after;          /* --compare: answers /after/... (no daemon of its own) */
    int starting;                     /* libmicrohttpd's messages go to start_msg, not the log */
    char start_msg[160];
};

/* The current generation, with a reference taken. Give it back with cr_server_gen_release. */
struct generation *cr_server_gen_acquire(struct cr_server *s);
/* Gives G back; the last reference frees it. */
void cr_server_gen_release(struct cr_server *s, struct generation *g);
/* A line to the server's log (none without opt.log). */
void cr_server_note(const struct cr_server *s, const char *fmt, ...) CR_PRINTF(2, 3);
/* Seconds on the monotonic clock. */
double cr_server_now_s(void);

#endif
