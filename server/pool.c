#include "server/pool.h"

#include <stdlib.h>
#include <string.h>

#include "routing/session.h"

/* ---- router pools --------------------------------------------------------------------------- */

int
cr_pool_init(struct cr_pool *p, const struct cr_session *session)
{
    memset(p, 0, sizeof *p);
    p->session = session;
    return pthread_mutex_init(&p->mu, NULL) ? -1 : 0;
}

void
cr_pool_fini(struct cr_pool *p)
{
    for (size_t i = 0; i < p->nfree; i++)
        cr_router_destroy(p->free_list[i]);
    free(p->free_list);
    pthread_mutex_destroy(&p->mu);
}

struct cr_router *
cr_pool_take(struct cr_pool *p, struct cr_error *err)
{
    struct cr_router *r = NULL;

    pthread_mutex_lock(&p->mu);
    if (p->nfree)
        r = p->free_list[--p->nfree];
    pthread_mutex_unlock(&p->mu);
    return r ? r : cr_session_router_create(p->session, err);
}

void
cr_pool_give(struct cr_pool *p, struct cr_router *r)
{
    pthread_mutex_lock(&p->mu);
    if (p->nfree == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        struct cr_router **a = realloc(p->free_list, cap * sizeof *a);
        if (!a) {
            pthread_mutex_unlock(&p->mu);
            cr_router_destroy(r);
            return;
        }
        p->free_list = a;
        p->cap = cap;
    }
    p->free_list[p->nfree++] = r;
    pthread_mutex_unlock(&p->mu);
}

/* ---- sessions for other vehicle sizes ----------------------------------------------------- */

int
cr_vehicle_dims_equal(const struct cr_vehicle_dims *a, const struct cr_vehicle_dims *b)
{
    return a->weight_kg == b->weight_kg && a->axleload_kg == b->axleload_kg &&
           a->height_cm == b->height_cm && a->width_cm == b->width_cm &&
           a->length_cm == b->length_cm && a->hazmat == b->hazmat;
}

static void
vehicle_session_destroy(struct cr_vehicle_session *v)
{
    if (!v)
        return;
    cr_pool_fini(&v->routers);
    cr_session_close(v->session);
    free(v);
}

int
cr_vehicles_init(struct cr_vehicles *c, const struct cr_graph *graph, size_t cap,
                 const struct cr_session_options *o)
{
    memset(c, 0, sizeof *c);
    c->graph = graph;
    c->options = *o;
    c->cap = cap;
    if (cap && !(c->items = calloc(cap, sizeof *c->items)))
        return -1;
    if (pthread_mutex_init(&c->mu, NULL)) {
        free(c->items);
        c->items = NULL;
        return -1;
    }
    return 0;
}

void
cr_vehicles_fini(struct cr_vehicles *c)
{
    for (size_t i = 0; i < c->count; i++)
        vehicle_session_destroy(c->items[i]);
    free(c->items);
    pthread_mutex_destroy(&c->mu);
    memset(c, 0, sizeof *c);
}

/* The cached session of P, taken (under the lock), or NULL. */
static struct cr_vehicle_session *
find_locked(struct cr_vehicles *c, const struct cr_profile *p)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->items[i]->profile.name, p->name) &&
            cr_vehicle_dims_equal(&c->items[i]->profile.dims, &p->dims) &&
            c->items[i]->profile.exclude == p->exclude)
            return c->items[i];
    return NULL;
}

/* Keeps V in the cache when there is room or an idle one to evict (under the lock). */
static void
keep_locked(struct cr_vehicles *c, struct cr_vehicle_session *v)
{
    size_t at = c->count;

    if (c->cap == 0)
        return;
    if (c->count == c->cap) { /* evict the least recently used idle */
        at = SIZE_MAX;
        for (size_t i = 0; i < c->count; i++)
            if (c->items[i]->refs == 0 &&
                (at == SIZE_MAX || c->items[i]->used < c->items[at]->used))
                at = i;
        if (at == SIZE_MAX)
            return;
        vehicle_session_destroy(c->items[at]);
        c->items[at] = NULL;
    }
    c->items[at] = v;
    v->cached = 1;
    if (at == c->count)
        c->count++;
}

struct cr_vehicle_session *
cr_vehicles_acquire(struct cr_vehicles *c, const struct cr_profile *p, struct cr_error *err)
{
    struct cr_vehicle_session *v;

    pthread_mutex_lock(&c->mu);
    if ((v = find_locked(c, p))) {
        v->refs++;
        v->used = ++c->clock;
    }
    pthread_mutex_unlock(&c->mu);
    if (v)
        return v;
    if (!(v = calloc(1, sizeof *v))) {
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return NULL;
    }
    v->profile = *p;
    if (!(v->session = cr_session_open_profile(c->graph, p, &c->options, err))) {
        free(v);
        return NULL;
    }
    if (cr_pool_init(&v->routers, v->session)) {
        cr_session_close(v->session);
        free(v);
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return NULL;
    }
    v->refs = 1;
    pthread_mutex_lock(&c->mu);
    v->used = ++c->clock;
    if (!find_locked(c, p)) /* else built meanwhile by another request: ours is used once */
        keep_locked(c, v);
    pthread_mutex_unlock(&c->mu);
    return v;
}

void
cr_vehicles_release(struct cr_vehicles *c, struct cr_vehicle_session *v)
{
    int drop;

    pthread_mutex_lock(&c->mu);
    v->refs--;
    drop = !v->cached;
    pthread_mutex_unlock(&c->mu);
    if (drop)
        vehicle_session_destroy(v);
}
