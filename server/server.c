#include "server/server.h"

#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/geo.h"
#include "core/snap.h"
#include "routing/measure.h"
#include "routing/profile.h"
#include "routing/route.h"
#include "routing/session.h"
#include "routing/table.h"
#include "server/isochrone.h"
#include "server/osrm_depart.h"
#include "server/osrm_extra.h"
#include "server/osrm_json.h"
#include "server/osrm_match.h"
#include "server/osrm_trip.h"
#include "server/pool.h"
#include "server/server_internal.h"
#include "server/text.h"
#include "server/tiles.h"
#include "server/web.h"

#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

void
cr_server_note(const struct cr_server *s, const char *fmt, ...)
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
    o->limits.max_trip_size = 100;
    o->profiles = "car,motorcycle,truck,freight";
    o->vehicle_cache = 4;
    o->access_log = 1;
    o->tile_cache_bytes = (size_t)64 << 20;
}

/* How the server opens sessions: time, its snap limit, on the first served profile's snapping
 * index once there is one. */
static struct cr_session_options
session_options(const struct cr_server *s, const struct generation *g)
{
    struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT;

    o.metric = CR_METRIC_TIME;
    o.max_snap_m = s->opt.max_snap_m;
    o.snap_from = g->slot_count ? g->slots[0].session : NULL;
    return o;
}

struct generation *
cr_server_gen_acquire(struct cr_server *s)
{
    struct generation *g;

    pthread_mutex_lock(&s->mu);
    g = s->gen;
    g->refs++;
    pthread_mutex_unlock(&s->mu);
    return g;
}

static void
gen_free(struct generation *g)
{
    if (!g)
        return;
    cr_tile_service_destroy(g->tiles);
    if (g->vehicles_ready)
        cr_vehicles_fini(&g->vehicles);
    for (size_t i = g->slot_count; i-- > 0;) { /* the first owns the snapping index */
        cr_pool_fini(&g->slots[i].routers);
        cr_session_close(g->slots[i].session);
    }
    cr_graph_close(g->owned);
    free(g);
}

void
cr_server_gen_release(struct cr_server *s, struct generation *g)
{
    int last;

    pthread_mutex_lock(&s->mu);
    last = --g->refs == 0;
    pthread_mutex_unlock(&s->mu);
    if (last)
        gen_free(g);
}

/* ---- JSON pieces -------------------------------------------------------------------------- */

double
cr_server_now_s(void)
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
serve_route(const struct cr_osrm_request *req, const struct cr_session *session,
            struct cr_router *rt, struct cr_osrm_error *oe)
{
    const struct cr_engine *e = cr_session_engine(session);
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
    if (req->alternatives && req->count == 2) { /* server/osrm_extra.c */
        o = cr_osrm_route_alternatives(req, rt, places, oe);
        goto done;
    }
    if (req->arrive_set ? cr_osrm_route_arrive(req, rt, places, &route, &err) /* osrm_depart.c */
                        : cr_router_route_places(rt, places, req->count, &route, &err)) {
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

/* The table's progress callback: stop once past the deadline (0: none), noting how far. */
struct table_clock {
    double deadline, done;
};

static int
table_progress(void *user, double done)
{
    struct table_clock *c = user;

    c->done = done;
    return c->deadline > 0 && cr_server_now_s() > c->deadline;
}

/* A large table's rows are split over the server's threads (CR_TABLE_THREADED_CELLS cells and
 * more); a small one stays on the request's thread. */
#define CR_TABLE_THREADED_CELLS 10000

static unsigned
table_threads(const struct cr_server *s, const struct cr_osrm_request *req)
{
    size_t ns = req->sources ? req->source_count : req->count;
    size_t nd = req->destinations ? req->destination_count : req->count;
    return ns * nd >= CR_TABLE_THREADED_CELLS && s->opt.threads > 1 ? s->opt.threads : 1;
}

static char *
serve_table(const struct cr_osrm_request *req, const struct cr_session *session,
            struct cr_router *rt, double deadline, unsigned threads, struct cr_osrm_error *oe)
{
    struct cr_table_options o = CR_TABLE_OPTIONS_DEFAULT;
    struct cr_place_opts *popts = malloc((req->count + 1) * sizeof *popts);
    struct table_clock clock = { deadline, 0 };
    struct cr_table *t = NULL;
    struct cr_error err = { 0 };
    char *body = NULL;

    if (!popts) {
        cr_osrm_error_set(oe, "InternalError", 500, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < req->count; i++)
        popts[i] = point_opts(req, i);
    o.fill = req->table_distances ? CR_TABLE_MEASURES : CR_TABLE_WEIGHT;
    o.place = popts;
    o.progress = table_progress;
    o.progress_user = &clock;
    o.threads = threads;
    if (cr_table_compute(rt, req->lon_e7, req->lat_e7, req->count, req->sources, req->source_count,
                         req->destinations, req->destination_count, &o, &t, &err)) {
        size_t ns = req->sources ? req->source_count : req->count;
        if (err.code == CR_ECANCELLED)
            cr_osrm_error_set(oe, "TooBig", 400,
                              "table stopped after %zu of %zu rows: longer than the server's "
                              "time limit; ask for fewer cells",
                              (size_t)llround(clock.done * (double)ns), ns);
        else
            cr_osrm_error_set(oe, "InternalError", 500, "%s", err.msg);
        goto done;
    }
    for (size_t k = 0; k < req->count; k++)
        if (!cr_table_point(t, k, NULL)) {
            cr_osrm_error_set(oe, "NoSegment", 400,
                              "Could not find a matching segment for coordinate %zu", k);
            goto done;
        }
    body = cr_osrm_table_text(req, cr_session_engine(session), t, oe);
done:
    cr_table_destroy(t);
    free(popts);
    return body;
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
serve_nearest(const struct cr_osrm_request *req, const struct cr_session *session,
              struct cr_osrm_error *oe)
{
    const struct cr_graph_view *v = cr_session_engine(session)->view;
    struct cr_place_opts po = point_opts(req, 0);
    size_t k = req->number > 1 ? req->number : 1, n;
    struct cr_snap *snaps = malloc(k * sizeof *snaps);
    struct cr_error err = { 0 };
    json_t *o, *wps;

    if (!snaps) {
        cr_osrm_error_set(oe, "InternalError", 500, "out of memory");
        return NULL;
    }
    n = cr_session_nearest_snaps(session, req->lon_e7[0], req->lat_e7[0], &po, k, snaps, &err);
    if (n == 0) {
        if (err.code == CR_ENOMEM)
            cr_osrm_error_set(oe, "InternalError", 500, "out of memory");
        else
            cr_osrm_error_set(oe, "NoSegment", 400,
                              "Could not find a matching segment for coordinate %zu", (size_t)0);
        free(snaps);
        return NULL;
    }
    o = json_object();
    wps = json_array();
    json_object_set_new(o, "code", json_string("Ok"));
    /* the first is where a route from this point starts; then the next nearest others */
    for (size_t i = 0; i < n; i++)
        json_array_append_new(wps, nearest_waypoint(v, &snaps[i]));
    json_object_set_new(o, "waypoints", wps);
    free(snaps);
    return o;
}

static struct slot *
find_slot(struct generation *g, const char *name)
{
    if (!strcmp(name, "driving"))
        name = "car";
    for (size_t i = 0; i < g->slot_count; i++)
        if (!strcmp(g->slots[i].profile->name, name))
            return &g->slots[i];
    return NULL;
}

/* The session serving profile NAME in generation G, for server/isochrone.c. */
static const struct cr_session *
served_session(void *g, const char *name)
{
    struct slot *slot = find_slot(g, name);
    return slot ? slot->session : NULL;
}

static char *
error_body(const struct cr_osrm_error *e, int *status)
{
    *status = e->http_status;
    return cr_osrm_error_json(e);
}

/* The answer to URL from generation G (see cr_server_answer). */
static char *
answer(struct cr_server *s, struct generation *g, const char *url, int *status)
{
    struct cr_osrm_request req;
    struct cr_osrm_error oe = { 0 };
    struct cr_error err = { 0 };
    struct slot *slot;
    struct cr_vehicle_session *ve = NULL;
    struct cr_pool *pool;
    const struct cr_session *session;
    struct cr_router *rt = NULL;
    json_t *o = NULL;
    char *body = NULL;
    double t0 = cr_server_now_s();

    if (cr_iso_url_is(url)) /* Mapbox's isochrone API: server/isochrone.c */
        return cr_iso_answer(url, served_session, g, status);
    if (cr_osrm_parse(url, &s->opt.limits, &req, &oe)) {
        cr_osrm_request_fini(&req);
        return error_body(&oe, status);
    }
    if (!(slot = find_slot(g, req.profile))) {
        char served[256] = "driving";
        for (size_t i = 0; i < g->slot_count; i++) {
            size_t len = strlen(served);
            snprintf(served + len, sizeof served - len, ", %s", g->slots[i].profile->name);
        }
        cr_osrm_error_set(&oe, "InvalidOptions", 400, "profile \"%s\" is not served (served: %s)",
                          req.profile, served);
        goto fail;
    }
    pool = &slot->routers;
    session = slot->session;
    if (req.vehicle[0] || req.exclude[0]) {
        struct cr_profile p = *slot->profile;
        if (req.vehicle[0] && cr_profile_set_vehicle(&p, req.vehicle, &err)) {
            cr_osrm_error_set(&oe, "InvalidValue", 400, "%s", err.msg);
            goto fail;
        }
        if (req.exclude[0] && cr_profile_set_exclude(&p, req.exclude, &err)) {
            cr_osrm_error_set(&oe, "InvalidValue", 400,
                              "Exclude flag combination is not supported: %s", err.msg);
            goto fail;
        }
        if (p.exclude || (cr_profile_dims_changed(&p) &&
                          !cr_vehicle_dims_equal(&p.dims, &slot->profile->dims))) {
            if (!(ve = cr_vehicles_acquire_metric(&g->vehicles, &p, req.metric, &err))) {
                cr_osrm_error_set(&oe, "InternalError", 500, "%s", err.msg);
                goto fail;
            }
            pool = &ve->routers;
            session = ve->session;
        }
    }
    if (req.metric != CR_METRIC_TIME && !ve) { /* /route's metric=: a session of its own */
        if (!(ve = cr_vehicles_acquire_metric(&g->vehicles, slot->profile, req.metric, &err))) {
            cr_osrm_error_set(&oe, "InternalError", 500, "%s", err.msg);
            goto fail;
        }
        pool = &ve->routers;
        session = ve->session;
    }
    if (req.service != CR_OSRM_NEAREST && !(rt = cr_pool_take(pool, &err))) {
        cr_osrm_error_set(&oe, "InternalError", 500, "%s", err.msg);
        goto fail;
    }
    if (rt && (req.depart_set || req.arrive_set || req.holiday_count) &&
        cr_router_set_depart(rt, req.depart_set || req.arrive_set,
                             req.arrive_set ? req.arrive : req.depart, req.holidays,
                             req.holiday_count, &err)) {
        cr_pool_give(pool, rt);
        cr_osrm_error_set(&oe, "InvalidOptions", 400, "%s", err.msg);
        goto fail;
    }
    if (rt && req.continue_straight)
        cr_router_set_straight(rt, 1);
    switch (req.service) {
    case CR_OSRM_ROUTE:
        o = serve_route(&req, session, rt, &oe);
        break;
    case CR_OSRM_TABLE:
        body = serve_table(&req, session, rt, s->opt.timeout_s ? t0 + s->opt.timeout_s : 0,
                           table_threads(s, &req), &oe);
        break;
    case CR_OSRM_NEAREST:
        o = serve_nearest(&req, session, &oe);
        break;
    case CR_OSRM_TRIP:
        o = cr_osrm_trip_answer(&req, session, rt, s->opt.timeout_s ? t0 + s->opt.timeout_s : 0,
                                &oe);
        break;
    case CR_OSRM_MATCH: /* server/osrm_match.c */
        o = cr_osrm_match_answer(&req, session, rt, &oe);
        break;
    }
    if (rt && (req.depart_set || req.arrive_set || req.holiday_count)) /* start untimed */
        cr_router_set_depart(rt, 0, 0, NULL, 0, NULL);
    if (rt && req.continue_straight)
        cr_router_set_straight(rt, 0);
    if (rt)
        cr_pool_give(pool, rt);
    if (o && req.no_hints)
        cr_osrm_strip_hints(o, "waypoints");
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
        cr_vehicles_release(&g->vehicles, ve);
    cr_osrm_request_fini(&req);
    return body;
fail:
    if (ve)
        cr_vehicles_release(&g->vehicles, ve);
    cr_osrm_request_fini(&req);
    return error_body(&oe, status);
}

/* Whether URL is /health (any query string ignored). */
static int
is_health(const char *url)
{
    return !strncmp(url, "/health", 7) && (url[7] == '\0' || url[7] == '?');
}

/* /health: what an orchestrator checks (docs/server.md, "Health"). */
static char *
health_body(struct cr_server *s, struct generation *g, int *status)
{
    json_t *o = json_object(), *profiles = json_array();
    char loaded[32], network[sizeof s->network];
    struct tm tm;
    char *body;

    pthread_mutex_lock(&s->mu);
    memcpy(network, s->network, sizeof network);
    pthread_mutex_unlock(&s->mu);
    gmtime_r(&g->loaded, &tm);
    strftime(loaded, sizeof loaded, "%Y-%m-%dT%H:%M:%SZ", &tm);
    for (size_t i = 0; i < g->slot_count; i++)
        json_array_append_new(profiles, json_string(g->slots[i].profile->name));
    json_object_set_new(o, "code", json_string("Ok"));
    json_object_set_new(o, "status", json_string(s->draining ? "stopping" : "ok"));
    json_object_set_new(o, "network", json_string(network));
    json_object_set_new(o, "generation", json_integer((json_int_t)g->number));
    json_object_set_new(o, "loaded", json_string(loaded));
    json_object_set_new(o, "uptime_s", json_integer((json_int_t)(time(NULL) - s->started)));
    json_object_set_new(o, "in_flight", json_integer((json_int_t)atomic_load(&s->inflight)));
    json_object_set_new(o, "profiles", profiles);
    if (s->after)
        json_object_set_new(o, "compare", json_string(s->after->network));
    json_object_set_new(o, "bbox",
                        json_pack("[ffff]", g->bbox[0], g->bbox[1], g->bbox[2], g->bbox[3]));
    body = json_dumps(o, JSON_FLAGS);
    json_decref(o);
    *status = s->draining ? 503 : 200;
    return body;
}

char *
cr_server_answer(struct cr_server *s, const char *url, int *status)
{
    struct generation *g = cr_server_gen_acquire(s);
    char *body = is_health(url) ? health_body(s, g, status) : answer(s, g, url, status);

    cr_server_gen_release(s, g);
    return body;
}

void
cr_server_destroy(struct cr_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    if (s->gen) /* no request holds it once the daemon has stopped */
        gen_free(s->gen);
    cr_tile_cache_destroy(s->tile_cache);
    cr_server_destroy(s->after);
    pthread_mutex_destroy(&s->reload_mu);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

/* Opens the session of served profile NAME into SL of G, logging its notes. */
static enum cr_status
slot_open(struct cr_server *s, struct generation *g, struct slot *sl, const char *name,
          struct cr_error *err)
{
    struct cr_session_options so = session_options(s, g);
    struct cr_profile p;

    if (cr_profile_load(name, NULL, &p, err))
        return err->code;
    if (!(sl->session = cr_session_open_profile(g->graph, &p, &so, err)))
        return err->code;
    sl->profile = &cr_session_engine(sl->session)->profile;
    for (size_t i = 0; i < cr_session_note_count(sl->session); i++)
        cr_server_note(s, "note: %s", cr_session_note(sl->session, i));
    if (cr_pool_init(&sl->routers, sl->session)) {
        cr_session_close(sl->session);
        sl->session = NULL;
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    }
    return CR_OK;
}

/* Opens every served profile's session of G. */
static enum cr_status
gen_open_slots(struct cr_server *s, struct generation *g, struct cr_error *err)
{
    const char *p, *list = s->opt.profiles;

    for (p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        char name[CR_OSRM_PROFILE_SIZE];
        if (len == 0 || len >= sizeof name)
            return cr_error_set(err, CR_EINVAL, "profiles \"%s\": want names such as car,truck",
                                list);
        memcpy(name, p, len);
        name[len] = '\0';
        if (g->slot_count == MAX_PROFILES)
            return cr_error_set(err, CR_EINVAL, "profiles: at most %d", MAX_PROFILES);
        if (!strcmp(name, "driving"))
            strcpy(name, "car");
        if (!find_slot(g, name)) {
            if (slot_open(s, g, &g->slots[g->slot_count], name, err))
                return err->code;
            g->slot_count++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    if (g->slot_count == 0)
        return cr_error_set(err, CR_EINVAL, "profiles: none given");
    return CR_OK;
}

/* A new generation over GRAPH (closed with it when OWNED). On failure an owned graph is closed. */
static struct generation *
gen_create(struct cr_server *s, const struct cr_graph *graph, struct cr_graph *owned,
           struct cr_error *err)
{
    struct generation *g = calloc(1, sizeof *g);
    struct cr_session_options vo;

    if (!g) {
        cr_graph_close(owned);
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return NULL;
    }
    g->graph = graph;
    g->owned = owned;
    g->refs = 1;
    g->loaded = time(NULL);
    cr_web_bbox(graph, g->bbox);
    if (gen_open_slots(s, g, err))
        goto fail;
    vo = session_options(s, g);
    if (cr_vehicles_init(&g->vehicles, graph, s->opt.vehicle_cache, &vo)) {
        cr_error_set(err, CR_ENOMEM, "out of memory");
        goto fail;
    }
    g->vehicles_ready = 1;
    if (s->opt.tiles) {
        struct cr_tile_layers l = *s->opt.tiles;
        l.graph = cr_graph_view(graph);
        if (!(g->tiles = cr_tile_service_create(&l, err)))
            goto fail;
    }
    return g;
fail:
    gen_free(g);
    return NULL;
}

static struct cr_server *
server_new(const struct cr_server_options *o, struct cr_error *err)
{
    struct cr_server *s = calloc(1, sizeof *s);

    if (!s) {
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&s->mu, NULL)) {
        free(s);
        cr_error_set(err, CR_ENOMEM, "cannot make a mutex");
        return NULL;
    }
    if (pthread_mutex_init(&s->reload_mu, NULL)) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        cr_error_set(err, CR_ENOMEM, "cannot make a mutex");
        return NULL;
    }
    s->opt = *o;
    s->started = time(NULL);
    if (!(s->tile_cache = cr_tile_cache_create(o->tile_cache_bytes))) {
        cr_server_destroy(s);
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return NULL;
    }
    return s;
}

/* --compare: the server of O->compare, answering /after/... for S; on failure S is destroyed. */
static int
open_compare(struct cr_server *s, const struct cr_server_options *o, struct cr_error *err)
{
    struct cr_server_options ao = *o;

    ao.compare = NULL;
    if (!(s->after = cr_server_open(o->compare, &ao, err))) {
        cr_server_destroy(s);
        return -1;
    }
    return 0;
}

struct cr_server *
cr_server_create(const struct cr_graph *graph, const struct cr_server_options *o,
                 struct cr_error *err)
{
    struct cr_server *s = server_new(o, err);

    if (!s)
        return NULL;
    if (!(s->gen = gen_create(s, graph, NULL, err))) {
        cr_server_destroy(s);
        return NULL;
    }
    s->gen->number = ++s->generations;
    if (o->compare && open_compare(s, o, err))
        return NULL;
    return s;
}

struct cr_server *
cr_server_open(const char *path, const struct cr_server_options *o, struct cr_error *err)
{
    struct cr_server *s;
    struct cr_graph *graph;

    if (strlen(path) >= sizeof s->network) {
        cr_error_set(err, CR_EINVAL, "%.100s...: path too long", path);
        return NULL;
    }
    if (!(graph = cr_graph_open(path, err)))
        return NULL;
    if (!(s = server_new(o, err))) {
        cr_graph_close(graph);
        return NULL;
    }
    snprintf(s->network, sizeof s->network, "%s", path);
    if (!(s->gen = gen_create(s, graph, graph, err))) {
        cr_server_destroy(s);
        return NULL;
    }
    s->gen->number = ++s->generations;
    if (o->compare && open_compare(s, o, err))
        return NULL;
    return s;
}

enum cr_status
cr_server_reload(struct cr_server *s, const char *path, struct cr_error *err)
{
    struct cr_graph *graph;
    struct generation *g, *old;

    if (!path || !*path)
        path = s->network;
    if (!*path)
        return cr_error_set(err, CR_EINVAL,
                            "reload: no network file (the server was given a graph)");
    if (strlen(path) >= sizeof s->network)
        return cr_error_set(err, CR_EINVAL, "%.100s...: path too long", path);
    pthread_mutex_lock(&s->reload_mu);
    if (!(graph = cr_graph_open(path, err)) || !(g = gen_create(s, graph, graph, err))) {
        pthread_mutex_unlock(&s->reload_mu);
        return err->code;
    }
    pthread_mutex_lock(&s->mu);
    g->number = ++s->generations;
    old = s->gen;
    s->gen = g;
    if (path != s->network)
        snprintf(s->network, sizeof s->network, "%s", path);
    pthread_mutex_unlock(&s->mu);
    cr_tile_cache_clear(s->tile_cache); /* the old generation's tiles: never asked for again */
    cr_server_note(s, "reloaded %s: generation %lu", path, g->number);
    cr_server_gen_release(s, old); /* freed here, or by its last request */
    pthread_mutex_unlock(&s->reload_mu);
    return CR_OK;
}
