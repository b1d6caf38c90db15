/*
 * The server's sessions in use: pools of routers (per-request scratch) per routing session, and
 * the cache of sessions opened for request vehicle sizes other than a profile's default.
 *
 * A pool hands out routers of one session under a mutex, making a new one when none is free.
 * The vehicle cache keeps up to CAP sessions (each a turn graph for that size, plain Dijkstra),
 * found by profile name and size; a session in use is never evicted, and one that does not fit
 * is used once and dropped.
 */
#ifndef CR_SERVER_POOL_H
#define CR_SERVER_POOL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"
#include "corridor/routing.h"
#include "routing/profile.h"

struct cr_pool {
    pthread_mutex_t mu;
    const struct cr_session *session;
    struct cr_router **free_list;
    size_t nfree, cap;
};

/* 0, or -1 when a mutex cannot be had. caller frees: cr_pool_fini() */
int cr_pool_init(struct cr_pool *p, const struct cr_session *session);
void cr_pool_fini(struct cr_pool *p);

/* A free router, or a new one. Give it back with cr_pool_give. */
struct cr_router *cr_pool_take(struct cr_pool *p, struct cr_error *err);
void cr_pool_give(struct cr_pool *p, struct cr_router *r);

struct cr_vehicle_session { /* a profile with a request's own vehicle size */
    struct cr_profile profile;
    struct cr_session *session;
    struct cr_pool routers;
    enum cr_metric metric; /* what its routes are optimal for (time unless /route's metric=) */
    int refs, cached;
    uint64_t used;
};

struct cr_vehicles {
    pthread_mutex_t mu;
    const struct cr_graph *graph;
    struct cr_session_options options; /* how each session is opened (snap_from included) */
    struct cr_vehicle_session **items;
    size_t count, cap;
    uint64_t clock;
};

/* A cache of at most CAP sessions over GRAPH, each opened with O. 0, or -1 when out of memory.
 * caller frees: cr_vehicles_fini() */
int cr_vehicles_init(struct cr_vehicles *c, const struct cr_graph *graph, size_t cap,
                     const struct cr_session_options *o);
void cr_vehicles_fini(struct cr_vehicles *c);

/* The session for profile P (a served profile with its dims replaced), from the cache or
 * opened. Give it back with cr_vehicles_release. */
struct cr_vehicle_session *cr_vehicles_acquire(struct cr_vehicles *c, const struct cr_profile *p,
                                               struct cr_error *err);
/* As cr_vehicles_acquire, for routes optimal for METRIC (the /route option metric=): P's size
 * and METRIC are the cache's key. */
struct cr_vehicle_session *cr_vehicles_acquire_metric(struct cr_vehicles *c,
                                                      const struct cr_profile *p,
                                                      enum cr_metric metric, struct cr_error *err);
void cr_vehicles_release(struct cr_vehicles *c, struct cr_vehicle_session *v);

/* Whether two vehicles have the same size. */
int cr_vehicle_dims_equal(const struct cr_vehicle_dims *a, const struct cr_vehicle_dims *b);

#endif
