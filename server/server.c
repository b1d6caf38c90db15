#include "server/server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/geo.h"
#include "core/snap.h"
#include "routing/ch_store.h"
#include "routing/measure.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "server/osrm_json.h"

#define MAX_PROFILES 8
#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* Routers of one engine, created on demand and reused. */
struct pool {
    pthread_mutex_t mu;
    const struct cr_engine *engine;
    struct cr_router **free_list;
    size_t nfree, cap;
};

struct slot { /* a served profile with its default vehicle */
    struct cr_profile profile;
    struct cr_engine engine;
    int engine_ready;
    struct cr_ch *ch;
    struct pool routers;
};

struct vehicle_engine { /* a profile with a request's own vehicle size */
    struct cr_profile profile;
    struct cr_engine engine;
    struct pool routers;
    int refs, cached;
    uint64_t used;
};

struct cr_server {
    const struct cr_graph *graph;
    const struct cr_graph_view *view;
    struct cr_snap_index *snap;
    struct cr_server_options opt;
    struct slot slots[MAX_PROFILES];
    size_t slot_count;
    pthread_mutex_t cache_mu;
    struct vehicle_engine **cache;
    size_t cache_count;
    uint64_t clock;
    struct MHD_Daemon *daemon;
    unsigned port;
    int starting; /* libmicrohttpd's messages go to start_msg, not the log */
    char start_msg[160];
};

static void note(const struct cr_server *s, const char *fmt, ...) CR_PRINTF(2, 3);

static void
note(const struct cr_server *s, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    if (!s->opt.log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->opt.log(s->opt.log_user, line);
}

void
cr_server_options_defaults(struct cr_server_options *o)
{
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->port = 5000;
    o->threads = 2;
    o->max_connections = 1024;
    o->timeout_s = 30;
    o->limits.max_url_bytes = 16384;
    o->limits.max_route_points = 500;
    o->limits.max_table_size = 100;
    o->limits.max_nearest = 100;
    o->profiles = "car,motorcycle,truck,freight";
    o->vehicle_cache = 4;
    o->access_log = 1;
}

/* ---- router pools --------------------------------------------------------------------------- */

static int
pool_init(struct pool *p, const struct cr_engine *e)
{
    memset(p, 0, sizeof *p);
    p->engine = e;
    return pthread_mutex_init(&p->mu, NULL) ? -1 : 0;
}

static void
pool_fini(struct pool *p)
{
    for (size_t i = 0; i < p->nfree; i++)
        cr_router_destroy(p->free_list[i]);
    free(p->free_list);
    pthread_mutex_destroy(&p->mu);
}

static struct cr_router *
pool_take(struct pool *p, struct cr_error *err)
{
    struct cr_router *r = NULL;

    pthread_mutex_lock(&p->mu);
    if (p->nfree)
        r = p->free_list[--p->nfree];
    pthread_mutex_unlock(&p->mu);
    return r ? r : cr_router_create(p->engine, err);
}

static void
pool_give(struct pool *p, struct cr_router *r)
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

/* ---- engines for other vehicle sizes ------------------------------------------------------ */

static int
same_dims(const struct cr_vehicle_dims *a, const struct cr_vehicle_dims *b)
{
    return a->weight_kg == b->weight_kg && a->axleload_kg == b->axleload_kg &&
           a->height_cm == b->height_cm && a->width_cm == b->width_cm &&
           a->length_cm == b->length_cm && a->hazmat == b->hazmat;
}

static void
vehicle_engine_destroy(struct vehicle_engine *v)
{
    if (!v)
        return;
    pool_fini(&v->routers);
    cr_engine_fini(&v->engine);
    free(v);
}

/* The engine for profile P (a served profile with its dims replaced), from the cache or built
 * (Dijkstra on the turn graph for that size). Give it back with vehicle_release. */
static struct vehicle_engine *
vehicle_acquire(struct cr_server *s, const struct cr_profile *p, struct cr_error *err)
{
    struct vehicle_engine *v = NULL;

    pthread_mutex_lock(&s->cache_mu);
    for (size_t i = 0; i < s->cache_count; i++)
        if (!strcmp(s->cache[i]->profile.name, p->name) &&
            same_dims(&s->cache[i]->profile.dims, &p->dims)) {
            v = s->cache[i];
            v->refs++;
            v->used = ++s->clock;
            break;
        }
    pthread_mutex_unlock(&s->cache_mu);
    if (v)
        return v;
    if (!(v = calloc(1, sizeof *v))) {
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return NULL;
    }
    v->profile = *p;
    if (cr_engine_init(&v->engine, s->view, s->snap, &v->profile, CR_METRIC_TIME, err)) {
        free(v);
        return NULL;
    }
    if (s->opt.max_snap_m > 0)
        v->engine.max_snap_m = s->opt.max_snap_m;
    if (pool_init(&v->routers, &v->engine)) {
        cr_engine_fini(&v->engine);
        free(v);
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return NULL;
    }
    v->refs = 1;
    pthread_mutex_lock(&s->cache_mu);
    v->used = ++s->clock;
    for (size_t i = 0; i < s->cache_count; i++) /* built meanwhile by another request? */
        if (!strcmp(s->cache[i]->profile.name, p->name) &&
            same_dims(&s->cache[i]->profile.dims, &p->dims)) {
            pthread_mutex_unlock(&s->cache_mu);
            return v; /* then ours is used once and dropped */
        }
    if (s->opt.vehicle_cache > 0) {
        size_t at = s->cache_count;
        if (s->cache_count == s->opt.vehicle_cache) { /* evict the least recently used idle */
            at = SIZE_MAX;
            for (size_t i = 0; i < s->cache_count; i++)
                if (s->cache[i]->refs == 0 &&
                    (at == SIZE_MAX || s->cache[i]->used < s->cache[at]->used))
                    at = i;
            if (at != SIZE_MAX) {
                vehicle_engine_destroy(s->cache[at]);
                s->cache[at] = NULL;
            }
        }
        if (at != SIZE_MAX) {
            s->cache[at] = v;
            v->cached = 1;
            if (at == s->cache_count)
                s->cache_count++;
        }
    }
    pthread_mutex_unlock(&s->cache_mu);
    return v;
}

static void
vehicle_release(struct cr_server *s, struct vehicle_engine *v)
{
    int drop;

    pthread_mutex_lock(&s->cache_mu);
    v->refs--;
    drop = !v->cached;
    pthread_mutex_unlock(&s->cache_mu);
    if (drop)
        vehicle_engine_destroy(v);
}

/* ---- JSON pieces -------------------------------------------------------------------------- */

static double
now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* ---- services ----------------------------------------------------------------------------- */

/* The radius, bearing and approach asked for coordinate I. */
static struct cr_place_opts
point_opts(const struct cr_osrm_request *req, size_t i)
{
    return req->point_opts ? req->point_opts[i] : CR_PLACE_OPTS_DEFAULT;
}

/* Snaps every coordinate; NoSegment naming the first that fails. */
static int
place_all(const struct cr_engine *e, const struct cr_osrm_request *req, struct cr_place *out,
          struct cr_osrm_error *oe)
{
    for (size_t i = 0; i < req->count; i++) {
        struct cr_error err = { 0 };
        struct cr_place_opts o = point_opts(req, i);
        if (cr_engine_place_opts(e, req->lon_e7[i], req->lat_e7[i], &o, &out[i], &err))
            return cr_osrm_error_set(oe, "NoSegment", 400,
                                     "Could not find a matching segment for coordinate %zu", i);
    }
    return 0;
}

static json_t *
serve_route(const struct cr_osrm_request *req, const struct cr_engine *e, struct cr_router *rt,
            struct cr_osrm_error *oe)
{
    struct cr_route route;
    struct cr_error err = { 0 };
    struct cr_place *places = malloc(req->count * sizeof *places);
    json_t *o = NULL;

    if (!places) {
        cr_osrm_error_set(oe, "InternalError", 500, "out of memory");
        return NULL;
    }
    if (place_all(e, req, places, oe))
        goto done;
    if (cr_router_route_places(rt, places, req->count, &route, &err)) {
        if (err.code == CR_ENOTFOUND)
            cr_osrm_error_set(oe, "NoRoute", 400, "Impossible route between points");
        else
            cr_osrm_error_set(oe, "InternalError", 500, "%s", err.msg);
        goto done;
    }
    o = cr_osrm_json_route(req, e, &route);
    cr_route_fini(&route);
done:
    free(places);
    return o;
}

/* A growing text (the table answer is written by hand: its numbers are tenths, printed
 * exactly and ten times faster than through printf's floating point). */
struct text {
    char *p;
    size_t len, cap;
    int oom;
};

static void
text_add(struct text *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        char *p;
        while (cap < t->len + n + 1)
            cap *= 2;
        if (!(p = realloc(t->p, cap))) {
            t->oom = 1;
            return;
        }
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void
text_str(struct text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

/* TENTHS / 10 with one decimal ("245.0", "0.3"), as JSON_REAL_PRECISION prints those values. */
static void
text_tenths(struct text *t, uint64_t tenths)
{
    char buf[32], *q = buf + sizeof buf;
    uint64_t whole = tenths / 10;

    *--q = (char)('0' + tenths % 10);
    *--q = '.';
    do {
        *--q = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    text_add(t, q, (size_t)(buf + sizeof buf - q));
}

/* Appends "KEY":JSON and frees J. */
static void
text_json(struct text *t, const char *key, json_t *j)
{
    char *dump = json_dumps(j, JSON_FLAGS);
    json_decref(j);
    if (!dump) {
        t->oom = 1;
        return;
    }
    text_str(t, ",\"");
    text_str(t, key);
    text_str(t, "\":");
    text_str(t, dump);
    free(dump);
}

/* Rows of tenths, UINT64_MAX as null. */
static void
text_matrix(struct text *t, const char *key, const uint64_t *v, size_t ns, size_t nd)
{
    text_str(t, ",\"");
    text_str(t, key);
    text_str(t, "\":[");
    for (size_t i = 0; i < ns; i++) {
        text_str(t, i ? ",[" : "[");
        for (size_t j = 0; j < nd; j++) {
            uint64_t x = v[i * nd + j];
            if (j)
                text_add(t, ",", 1);
            if (x == UINT64_MAX)
                text_add(t, "null", 4);
            else
                text_tenths(t, x);
        }
        text_add(t, "]", 1);
    }
    text_add(t, "]", 1);
}

static char *
serve_table(const struct cr_osrm_request *req, const struct cr_engine *e, struct cr_router *rt,
            double deadline, struct cr_osrm_error *oe)
{
    size_t ns = req->sources ? req->source_count : req->count;
    size_t nd = req->destinations ? req->destination_count : req->count;
    struct cr_place *places = malloc(req->count * sizeof *places);
    struct cr_place *sp = malloc((ns + 1) * sizeof *sp), *dp = malloc((nd + 1) * sizeof *dp);
    uint64_t *w = malloc((ns * nd + 1) * sizeof *w);
    struct cr_cell *cells = req->table_distances ? malloc((ns * nd + 1) * sizeof *cells) : NULL;
    struct cr_error err = { 0 };
    struct text t = { NULL, 0, 0, 0 };

    if (!places || !sp || !dp || !w || (req->table_distances && !cells)) {
        cr_osrm_error_set(oe, "InternalError", 500, "out of memory");
        goto done;
    }
    if (place_all(e, req, places, oe))
        goto done;
    for (size_t i = 0; i < ns; i++)
        sp[i] = places[req->sources ? req->sources[i] : i];
    for (size_t j = 0; j < nd; j++)
        dp[j] = places[req->destinations ? req->destinations[j] : j];
    /* with a CH all rows at once (buckets); with Dijkstra (one search per source anyway) row by
     * row, so a table too slow for the --timeout stops with TooBig instead of running on */
    for (size_t i = 0, rows = e->ch ? ns : 1; i < ns; i += rows) {
        if ((req->table_durations &&
             cr_router_matrix(rt, sp + i, rows, dp, nd, w + i * nd, &err)) ||
            (req->table_distances &&
             cr_router_table(rt, sp + i, rows, dp, nd, cells + i * nd, &err))) {
            cr_osrm_error_set(oe, "InternalError", 500, "%s", err.msg);
            goto done;
        }
        if (i + rows < ns && deadline > 0 && now_s() > deadline) {
            cr_osrm_error_set(oe, "TooBig", 400,
                              "table stopped after %zu of %zu rows: longer than the server's "
                              "time limit; ask for fewer cells",
                              i + rows, ns);
            goto done;
        }
    }
    text_str(&t, "{\"code\":\"Ok\"");
    if (req->table_durations) /* time weights are deciseconds: tenths of a second */
        text_matrix(&t, "durations", w, ns, nd);
    if (req->table_distances) {
        for (size_t k = 0; k < ns * nd; k++)
            w[k] = cells[k].weight == UINT64_MAX ? UINT64_MAX
                                                 : (uint64_t)llround(cells[k].distance_m * 10);
        text_matrix(&t, "distances", w, ns, nd);
    }
    if (!req->skip_waypoints) {
        json_t *a = json_array(), *b = json_array();
        for (size_t i = 0; i < ns; i++)
            json_array_append_new(a, cr_osrm_json_waypoint(e->view, &sp[i].snap));
        for (size_t j = 0; j < nd; j++)
            json_array_append_new(b, cr_osrm_json_waypoint(e->view, &dp[j].snap));
        text_json(&t, "sources", a);
        text_json(&t, "destinations", b);
    }
    text_add(&t, "}", 1);
    if (t.oom) {
        free(t.p);
        t.p = NULL;
        cr_osrm_error_set(oe, "InternalError", 500, "out of memory");
    }
done:
    free(places);
    free(sp);
    free(dp);
    free(w);
    free(cells);
    return t.p;
}

static json_t *
nearest_waypoint(const struct cr_graph_view *v, const struct cr_snap *snap)
{
    json_t *w = cr_osrm_json_waypoint(v, snap), *nodes = json_array();
    json_array_append_new(nodes, json_integer(v->osm_id[v->segment_node[2 * snap->segment]]));
    json_array_append_new(nodes, json_integer(v->osm_id[v->segment_node[2 * snap->segment + 1]]));
    json_object_set_new(w, "nodes", nodes);
    return w;
}

static json_t *
serve_nearest(const struct cr_osrm_request *req, const struct cr_engine *e,
              struct cr_osrm_error *oe)
{
    struct cr_place place;
    struct cr_snap *more = NULL;
    size_t n = 0;
    json_t *o, *wps;

    if (place_all(e, req, &place, oe))
        return NULL;
    if (req->number > 1) {
        more = malloc(req->number * sizeof *more);
        if (!more) {
            cr_osrm_error_set(oe, "InternalError", 500, "out of memory");
            return NULL;
        }
        struct cr_place_opts po = point_opts(req, 0);
        n = cr_snap_k_nearest(e->snap, req->lon_e7[0], req->lat_e7[0],
                              isnan(po.radius_m) ? e->max_snap_m : po.radius_m,
                              cr_engine_segment_usable, (void *)e, more, req->number);
    }
    o = json_object();
    wps = json_array();
    json_object_set_new(o, "code", json_string("Ok"));
    /* the first is where a route from this point starts; then the next nearest others */
    json_array_append_new(wps, nearest_waypoint(e->view, &place.snap));
    for (size_t i = 0, k = 1; i < n && k < req->number; i++)
        if (more[i].segment != place.snap.segment) {
            json_array_append_new(wps, nearest_waypoint(e->view, &more[i]));
            k++;
        }
    json_object_set_new(o, "waypoints", wps);
    free(more);
    return o;
}

static struct slot *
find_slot(struct cr_server *s, const char *name)
{
    if (!strcmp(name, "driving"))
        name = "car";
    for (size_t i = 0; i < s->slot_count; i++)
        if (!strcmp(s->slots[i].profile.name, name))
            return &s->slots[i];
    return NULL;
}

static char *
error_body(const struct cr_osrm_error *e, int *status)
{
    *status = e->http_status;
    return cr_osrm_error_json(e);
}

char *
cr_server_answer(struct cr_server *s, const char *url, int *status)
{
    struct cr_osrm_request req;
    struct cr_osrm_error oe = { 0 };
    struct cr_error err = { 0 };
    struct slot *slot;
    struct vehicle_engine *ve = NULL;
    struct pool *pool;
    const struct cr_engine *engine;
    struct cr_router *rt = NULL;
    json_t *o = NULL;
    char *body = NULL;
    double t0 = now_s();

    if (cr_osrm_parse(url, &s->opt.limits, &req, &oe)) {
        cr_osrm_request_fini(&req);
        return error_body(&oe, status);
    }
    if (!(slot = find_slot(s, req.profile))) {
        char served[256] = "driving";
        for (size_t i = 0; i < s->slot_count; i++) {
            size_t len = strlen(served);
            snprintf(served + len, sizeof served - len, ", %s", s->slots[i].profile.name);
        }
        cr_osrm_error_set(&oe, "InvalidOptions", 400, "profile \"%s\" is not served (served: %s)",
                          req.profile, served);
        goto fail;
    }
    pool = &slot->routers;
    engine = &slot->engine;
    if (req.vehicle[0]) {
        struct cr_profile p = slot->profile;
        if (cr_profile_set_vehicle(&p, req.vehicle, &err)) {
            cr_osrm_error_set(&oe, "InvalidValue", 400, "%s", err.msg);
            goto fail;
        }
        if (cr_profile_dims_changed(&p) && !same_dims(&p.dims, &slot->profile.dims)) {
            if (!(ve = vehicle_acquire(s, &p, &err))) {
                cr_osrm_error_set(&oe, "InternalError", 500, "%s", err.msg);
                goto fail;
            }
            pool = &ve->routers;
            engine = &ve->engine;
        }
    }
    if (req.service != CR_OSRM_NEAREST && !(rt = pool_take(pool, &err))) {
        cr_osrm_error_set(&oe, "InternalError", 500, "%s", err.msg);
        goto fail;
    }
    switch (req.service) {
    case CR_OSRM_ROUTE:
        o = serve_route(&req, engine, rt, &oe);
        break;
    case CR_OSRM_TABLE:
        body = serve_table(&req, engine, rt, s->opt.timeout_s ? t0 + s->opt.timeout_s : 0, &oe);
        break;
    case CR_OSRM_NEAREST:
        o = serve_nearest(&req, engine, &oe);
        break;
    }
    if (rt)
        pool_give(pool, rt);
    if (o) {
        body = json_dumps(o, JSON_FLAGS);
        json_decref(o);
        if (!body)
            cr_osrm_error_set(&oe, "InternalError", 500, "out of memory");
    }
    if (!body)
        goto fail;
    *status = 200;
    if (ve)
        vehicle_release(s, ve);
    cr_osrm_request_fini(&req);
    return body;
fail:
    if (ve)
        vehicle_release(s, ve);
    cr_osrm_request_fini(&req);
    return error_body(&oe, status);
}

/* ---- the HTTP side ------------------------------------------------------------------------ */

struct request_ctx {
    struct timespec start;
    char *uri;
    char method[16];
    int status;
    int called; /* the handler has seen the headers: answer on the next call */
};

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    struct request_ctx *c = calloc(1, sizeof *c);

    (void)cls;
    (void)con;
    if (!c)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &c->start);
    c->uri = strdup(uri ? uri : "");
    return c;
}

static void
on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct cr_server *s = cls;
    struct request_ctx *c = *con_cls;

    (void)con;
    (void)toe;
    if (!c)
        return;
    if (c->method[0] && s->opt.log && s->opt.access_log) {
        struct timespec now;
        long long us;
        clock_gettime(CLOCK_MONOTONIC, &now);
        us = (now.tv_sec - c->start.tv_sec) * 1000000LL + (now.tv_nsec - c->start.tv_nsec) / 1000;
        note(s, "%s %.300s%s %d %lldus", c->method, c->uri ? c->uri : "",
             c->uri && strlen(c->uri) > 300 ? "..." : "", c->status, us);
    }
    free(c->uri);
    free(c);
    *con_cls = NULL;
}

static enum MHD_Result
reply(struct MHD_Connection *con, int status, char *body)
{
    static const char oom[] = "{\"code\":\"InternalError\",\"message\":\"out of memory\"}";
    struct MHD_Response *resp;
    enum MHD_Result ret;

    if (body)
        resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    else
        resp = MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=UTF-8");
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
    MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET");
    ret = MHD_queue_response(con, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *con, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    struct cr_server *s = cls;
    struct request_ctx *c = *con_cls;
    int status = 500;
    char *body;

    (void)url;
    (void)version;
    (void)upload_data;
    if (!c)
        return MHD_NO;
    /* answering on the first call (headers only) would make libmicrohttpd close the connection
     * ("Connection: close"), so keep-alive clients reconnected for every request */
    if (!c->called) {
        c->called = 1;
        return MHD_YES;
    }
    if (*upload_data_size) { /* a body: not read */
        *upload_data_size = 0;
        return MHD_YES;
    }
    snprintf(c->method, sizeof c->method, "%s", method);
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        struct cr_osrm_error e;
        cr_osrm_error_set(&e, "InvalidUrl", 405, "method %.15s: only GET is served", method);
        body = cr_osrm_error_json(&e);
        status = 405;
    } else {
        body = cr_server_answer(s, c->uri ? c->uri : "", &status);
    }
    c->status = body ? status : 500;
    return reply(con, body ? status : 500, body);
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct cr_server *s = cls;
    char line[512];
    size_t len;

    if (!s->opt.log && !s->starting)
        return;
    vsnprintf(line, sizeof line, fmt, ap);
    len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == '.'))
        line[--len] = '\0';
    if (s->starting) { /* the first says why the start failed; cr_server_start reports it */
        if (!s->start_msg[0])
            snprintf(s->start_msg, sizeof s->start_msg, "%.150s", line);
        return;
    }
    note(s, "libmicrohttpd: %s", line);
}

enum cr_status
cr_server_start(struct cr_server *s, struct cr_error *err)
{
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;
    struct sockaddr *addr;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
    const union MHD_DaemonInfo *info;
    size_t memory = s->opt.limits.max_url_bytes + 65536;

    if (s->opt.port > 65535)
        return cr_error_set(err, CR_EINVAL, "port %u: want 0..65535", s->opt.port);
    memset(&in4, 0, sizeof in4);
    memset(&in6, 0, sizeof in6);
    if (inet_pton(AF_INET, s->opt.host, &in4.sin_addr) == 1) {
        in4.sin_family = AF_INET;
        in4.sin_port = htons((uint16_t)s->opt.port);
        addr = (struct sockaddr *)&in4;
    } else if (inet_pton(AF_INET6, s->opt.host, &in6.sin6_addr) == 1) {
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons((uint16_t)s->opt.port);
        addr = (struct sockaddr *)&in6;
        flags |= MHD_USE_IPv6;
    } else {
        return cr_error_set(err, CR_EINVAL, "host \"%s\": want an IPv4 or IPv6 address",
                            s->opt.host);
    }
    {
        struct MHD_OptionItem items[] = {
            { MHD_OPTION_SOCK_ADDR, 0, addr },
            { MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)s->opt.timeout_s, NULL },
            { MHD_OPTION_CONNECTION_LIMIT, (intptr_t)s->opt.max_connections, NULL },
            { MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)memory, NULL },
            { MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, s },
            { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s },
            { MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)s->opt.threads, NULL }, /* last: if > 1 */
            { MHD_OPTION_END, 0, NULL },
        };
        if (s->opt.threads <= 1)
            items[6].option = MHD_OPTION_END;
        s->starting = 1;
        s->start_msg[0] = '\0';
        s->daemon = MHD_start_daemon(flags, (uint16_t)s->opt.port, NULL, NULL, on_request, s,
                                     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s, MHD_OPTION_ARRAY,
                                     items, MHD_OPTION_END);
        s->starting = 0;
    }
    if (!s->daemon)
        return cr_error_set(err, CR_EIO, "%s port %u: cannot listen: %s", s->opt.host, s->opt.port,
                            s->start_msg[0] ? s->start_msg : "address in use, or not allowed");
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : s->opt.port;
    return CR_OK;
}

unsigned
cr_server_port(const struct cr_server *s)
{
    return s->port;
}

void
cr_server_destroy(struct cr_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    for (size_t i = 0; i < s->cache_count; i++)
        vehicle_engine_destroy(s->cache[i]);
    free(s->cache);
    pthread_mutex_destroy(&s->cache_mu);
    for (size_t i = 0; i < s->slot_count; i++) {
        struct slot *sl = &s->slots[i];
        pool_fini(&sl->routers);
        if (sl->engine_ready)
            cr_engine_fini(&sl->engine);
        cr_ch_destroy(sl->ch);
    }
    cr_snap_index_destroy(s->snap);
    free(s);
}

static enum cr_status
slot_open(struct cr_server *s, struct slot *sl, const char *name, struct cr_error *err)
{
    int stale = 0;

    if (cr_profile_load(name, NULL, &sl->profile, err))
        return err->code;
    if (cr_engine_init(&sl->engine, s->view, s->snap, &sl->profile, CR_METRIC_TIME, err))
        return err->code;
    sl->engine_ready = 1;
    if (s->opt.max_snap_m > 0)
        sl->engine.max_snap_m = s->opt.max_snap_m;
    if (cr_ch_store_find(cr_graph_file(s->graph), sl->profile.name, "time",
                         cr_wgraph_crc(&sl->engine.tg->g), &sl->ch, &stale, err))
        return err->code;
    if (stale && !sl->ch)
        note(s,
             "note: the contraction hierarchy for %s/time was built with another profile or "
             "network; using Dijkstra (run corridor contract again)",
             sl->profile.name);
    sl->engine.ch = sl->ch;
    if (pool_init(&sl->routers, &sl->engine))
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    return CR_OK;
}

struct cr_server *
cr_server_create(const struct cr_graph *graph, const struct cr_server_options *o,
                 struct cr_error *err)
{
    struct cr_server *s = calloc(1, sizeof *s);
    const char *p;

    if (!s) {
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return NULL;
    }
    s->graph = graph;
    s->view = cr_graph_view(graph);
    s->opt = *o;
    if (pthread_mutex_init(&s->cache_mu, NULL)) {
        free(s);
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return NULL;
    }
    if (o->vehicle_cache && !(s->cache = calloc(o->vehicle_cache, sizeof *s->cache))) {
        cr_error_set(err, CR_ENOMEM, "out of memory");
        goto fail;
    }
    if (!(s->snap = cr_snap_index_create(s->view, err)))
        goto fail;
    for (p = o->profiles; p && *p;) {
        size_t len = strcspn(p, ",");
        char name[CR_OSRM_PROFILE_SIZE];
        if (len == 0 || len >= sizeof name) {
            cr_error_set(err, CR_EINVAL, "profiles \"%s\": want names such as car,truck",
                         o->profiles);
            goto fail;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        if (s->slot_count == MAX_PROFILES) {
            cr_error_set(err, CR_EINVAL, "profiles: at most %d", MAX_PROFILES);
            goto fail;
        }
        if (!strcmp(name, "driving"))
            strcpy(name, "car");
        if (!find_slot(s, name)) {
            struct slot *sl = &s->slots[s->slot_count++];
            if (slot_open(s, sl, name, err)) {
                /* slot_open may have half-built the slot: undo what it made */
                if (sl->engine_ready)
                    cr_engine_fini(&sl->engine);
                cr_ch_destroy(sl->ch);
                memset(sl, 0, sizeof *sl);
                s->slot_count--;
                goto fail;
            }
        }
        p += len;
        if (*p == ',')
            p++;
    }
    if (s->slot_count == 0) {
        cr_error_set(err, CR_EINVAL, "profiles: none given");
        goto fail;
    }
    return s;
fail:
    cr_server_destroy(s);
    return NULL;
}
