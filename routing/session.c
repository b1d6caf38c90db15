/*
 * The routing session (corridor/routing.h): a profile's engine over a network, with the
 * contraction hierarchy the network file holds for it when that hierarchy fits, the notes saying
 * why when it does not, and the public side of places and routes.
 */
#include "routing/session.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/netfile.h"
#include "routing/ch.h"
#include "routing/ch_store.h"
#include "routing/output.h"
#include "routing/tdsearch.h"

#define MAX_NOTES 8

struct cr_session {
    const struct cr_graph *graph;
    struct cr_snap_index *own_snap; /* NULL when borrowed */
    struct cr_engine engine;
    int engine_ready;
    struct cr_ch *ch;
    enum cr_ch_state ch_state;
    char *notes[MAX_NOTES];
    size_t note_count;
};

static void add_note(struct cr_session *s, const char *fmt, ...) CR_PRINTF(2, 3);

static void
add_note(struct cr_session *s, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (s->note_count == MAX_NOTES)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if ((s->notes[s->note_count] = strdup(line)))
        s->note_count++;
}

void
cr_session_close(struct cr_session *s)
{
    if (!s)
        return;
    if (s->engine_ready)
        cr_engine_fini(&s->engine);
    cr_ch_destroy(s->ch);
    cr_snap_index_destroy(s->own_snap);
    for (size_t i = 0; i < s->note_count; i++)
        free(s->notes[i]);
    free(s);
}

/* Whether the network file holds a hierarchy for NAME and METRIC, whatever it was built on. */
static int
has_hierarchy(const struct cr_netfile *f, const char *name, const char *metric, uint32_t crc)
{
    struct cr_ch *ch = NULL;
    int stale = 0;

    /* with a checksum it cannot have, a stored hierarchy shows as stale */
    if (cr_ch_store_find(f, name, metric, ~crc, &ch, &stale, NULL))
        return 0;
    cr_ch_destroy(ch);
    return stale || ch;
}

/* Finds the hierarchy for the session's profile and metric, or notes why there is none. */
static enum cr_status
find_hierarchy(struct cr_session *s, const struct cr_session_options *o, struct cr_error *err)
{
    const struct cr_netfile *f = cr_graph_file(s->graph);
    const struct cr_profile *p = &s->engine.profile;
    const char *metric = cr_metric_name(s->engine.metric);
    const char *network = o->network_name ? o->network_name : f->path;
    uint32_t crc = cr_wgraph_crc(&s->engine.tg->g);
    int stale = 0;

    s->ch_state = o->ch == CR_CH_NEVER ? CR_CH_OFF : CR_CH_ABSENT;
    if (o->ch == CR_CH_NEVER)
        return CR_OK;
    if (p->exclude) { /* the hierarchy holds every class: plain Dijkstra without them */
        s->ch_state = CR_CH_VEHICLE;
        return CR_OK;
    }
    if (cr_profile_dims_changed(p)) {
        if (!has_hierarchy(f, p->name, metric, crc))
            return CR_OK;
        s->ch_state = CR_CH_VEHICLE;
        add_note(s,
                 "the vehicle differs from the %s profile's default: using Dijkstra (the "
                 "contraction hierarchy for %s/%s in %s holds for the default only)",
                 p->name, p->name, metric, network);
        return CR_OK;
    }
    if (cr_ch_store_find(f, p->name, metric, crc, &s->ch, &stale, err))
        return err ? err->code : CR_EFORMAT;
    if (s->ch && cr_ch_set_second(s->ch, &s->engine.tg->g))
        return cr_error_set(err, CR_ENOMEM, "%s: hierarchy %s/%s: out of memory or bad data",
                            network, p->name, metric);
    if (s->ch)
        s->ch_state = CR_CH_USED;
    if (stale && !s->ch) {
        s->ch_state = CR_CH_STALE;
        add_note(s,
                 "the contraction hierarchy for %s/%s in %s was built with another profile or "
                 "network; using Dijkstra (run corridor contract again)",
                 p->name, metric, network);
    }
    s->engine.ch = s->ch;
    return CR_OK;
}

struct cr_session *
cr_session_open_profile(const struct cr_graph *g, const struct cr_profile *p,
                        const struct cr_session_options *opts, struct cr_error *err)
{
    struct cr_session_options o = opts ? *opts : CR_SESSION_OPTIONS_DEFAULT;
    const struct cr_graph_view *v = cr_graph_view(g);
    const struct cr_snap_index *snap;
    struct cr_session *s;

    if ((unsigned)o.metric >= CR_METRIC_COUNT)
        return cr_error_set(err, CR_EINVAL, "metric %d: want time, distance, cost or co2",
                            (int)o.metric),
               NULL;
    if (!(o.max_snap_m >= 0) || isinf(o.max_snap_m))
        return cr_error_set(err, CR_EINVAL, "max_snap_m %g: want a distance in metres",
                            o.max_snap_m),
               NULL;
    if ((unsigned)o.ch > CR_CH_NEVER)
        return cr_error_set(err, CR_EINVAL, "ch %d: want auto or never", (int)o.ch), NULL;
    if (!(s = calloc(1, sizeof *s)))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", p->name), NULL;
    s->graph = g;
    if (o.snap_from) {
        snap = o.snap_from->engine.snap;
    } else if (!(snap = s->own_snap = cr_snap_index_create(v, err))) {
        goto fail;
    }
    if (cr_engine_init(&s->engine, v, snap, p, o.metric, err))
        goto fail;
    s->engine_ready = 1;
    if (o.max_snap_m > 0)
        s->engine.max_snap_m = o.max_snap_m;
    if (find_hierarchy(s, &o, err))
        goto fail;
    return s;
fail:
    cr_session_close(s);
    return NULL;
}

struct cr_session *
cr_session_open(const struct cr_graph *g, const struct cr_session_options *opts,
                struct cr_error *err)
{
    struct cr_session_options o = opts ? *opts : CR_SESSION_OPTIONS_DEFAULT;
    struct cr_profile p;

    if (!g)
        return cr_error_set(err, CR_EINVAL, "no network given"), NULL;
    if (cr_profile_load(o.profile ? o.profile : "car", NULL, &p, err))
        return NULL;
    if (o.vehicle && cr_profile_set_vehicle(&p, o.vehicle, err))
        return NULL;
    if (o.exclude && cr_profile_set_exclude(&p, o.exclude, err))
        return NULL;
    return cr_session_open_profile(g, &p, &o, err);
}

const struct cr_engine *
cr_session_engine(const struct cr_session *s)
{
    return &s->engine;
}

const struct cr_graph *
cr_session_graph(const struct cr_session *s)
{
    return s->graph;
}

size_t
cr_session_note_count(const struct cr_session *s)
{
    return s->note_count;
}

const char *
cr_session_note(const struct cr_session *s, size_t i)
{
    return i < s->note_count ? s->notes[i] : NULL;
}

int
cr_session_uses_ch(const struct cr_session *s)
{
    return s->engine.ch != NULL;
}

enum cr_ch_state
cr_session_ch_state(const struct cr_session *s)
{
    return s->ch_state;
}

const char *
cr_session_profile(const struct cr_session *s)
{
    return s->engine.profile.name;
}

enum cr_metric
cr_session_metric(const struct cr_session *s)
{
    return s->engine.metric;
}

const char *
cr_session_currency(const struct cr_session *s)
{
    return s->engine.profile.currency;
}

double
cr_session_max_snap_m(const struct cr_session *s)
{
    return s->engine.max_snap_m;
}

struct cr_router *
cr_session_router_create(const struct cr_session *s, struct cr_error *err)
{
    return cr_router_create(&s->engine, err);
}

/* ---- nearest -------------------------------------------------------------------------------- */

size_t
cr_session_nearest_snaps(const struct cr_session *s, int32_t lon_e7, int32_t lat_e7,
                         const struct cr_place_opts *opts, size_t k, struct cr_snap *out,
                         struct cr_error *err)
{
    const struct cr_engine *e = &s->engine;
    struct cr_place_opts o = opts ? *opts : CR_PLACE_OPTS_DEFAULT;
    struct cr_place place;
    struct cr_snap *more;
    size_t m, n = 1;

    if (k == 0)
        return 0;
    if (cr_engine_place_opts(e, lon_e7, lat_e7, &o, &place, err))
        return 0;
    /* the first is where a route from this point starts; then the next nearest others */
    out[0] = place.snap;
    if (k == 1)
        return 1;
    if (!(more = malloc(k * sizeof *more))) {
        cr_error_set(err, CR_ENOMEM, "out of memory");
        return 0;
    }
    m = cr_snap_k_nearest(e->snap, lon_e7, lat_e7, isnan(o.radius_m) ? e->max_snap_m : o.radius_m,
                          cr_engine_segment_usable, (void *)e, more, k);
    for (size_t i = 0; i < m && n < k; i++)
        if (more[i].segment != place.snap.segment)
            out[n++] = more[i];
    free(more);
    return n;
}

size_t
cr_session_nearest(const struct cr_session *s, int32_t lon_e7, int32_t lat_e7,
                   const struct cr_place_opts *opts, size_t k, struct cr_nearest *out,
                   struct cr_error *err)
{
    const struct cr_graph_view *v = s->engine.view;
    struct cr_snap *snaps = k ? malloc(k * sizeof *snaps) : NULL;
    size_t n;

    if (k && !snaps)
        return cr_error_set(err, CR_ENOMEM, "out of memory"), 0;
    n = cr_session_nearest_snaps(s, lon_e7, lat_e7, opts, k, snaps, err);
    for (size_t i = 0; i < n; i++) {
        const struct cr_snap *p = &snaps[i];
        out[i] = (struct cr_nearest){
            .lon_e7 = p->lon_e7,
            .lat_e7 = p->lat_e7,
            .distance_m = p->distance_m,
            .name = cr_graph_string(v, v->ways[v->segment_way[p->segment]].name),
            .osm_node = { v->osm_id[v->segment_node[2 * p->segment]],
                          v->osm_id[v->segment_node[2 * p->segment + 1]] },
        };
    }
    free(snaps);
    return n;
}

/* ---- routes --------------------------------------------------------------------------------- */

/* The route through the N points, arriving by *ARRIVE (with the PH_COUNT holidays PH_DAYS) when
 * ARRIVE is given: cr_route_compute and cr_route_compute_arrive. */
static enum cr_status
route_compute(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7, size_t n,
              const struct cr_place_opts *opts, const int64_t *arrive, const int32_t *ph_days,
              size_t ph_count, struct cr_route **out, struct cr_error *err)
{
    const struct cr_engine *e = cr_router_engine(r);
    struct cr_place *places = NULL;
    struct cr_route *route = NULL;
    enum cr_status st;

    *out = NULL;
    if (n < 2)
        return cr_error_set(err, CR_EINVAL, "a route needs at least two points");
    if (!(places = malloc(n * sizeof *places)) || !(route = calloc(1, sizeof *route))) {
        st = cr_error_set(err, CR_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++)
        if ((st = cr_engine_place_opts(e, lon_e7[i], lat_e7[i], opts ? &opts[i] : NULL, &places[i],
                                       err)))
            goto fail;
    if ((arrive && (st = cr_router_arrive_by(r, places, n, *arrive, ph_days, ph_count, err))) ||
        (st = cr_router_route_places(r, places, n, route, err)))
        goto fail;
    if (arrive)
        route->arrive_by = *arrive;
    free(places);
    *out = route;
    return CR_OK;
fail:
    free(places);
    free(route);
    return st;
}

enum cr_status
cr_route_compute(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7, size_t n,
                 const struct cr_place_opts *opts, struct cr_route **out, struct cr_error *err)
{
    return route_compute(r, lon_e7, lat_e7, n, opts, NULL, NULL, 0, out, err);
}

enum cr_status
cr_route_compute_arrive(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7, size_t n,
                        const struct cr_place_opts *opts, int64_t arrive, const int32_t *ph_days,
                        size_t ph_count, struct cr_route **out, struct cr_error *err)
{
    return route_compute(r, lon_e7, lat_e7, n, opts, &arrive, ph_days, ph_count, out, err);
}

void
cr_route_destroy(struct cr_route *route)
{
    if (!route)
        return;
    cr_route_fini(route);
    free(route);
}

double
cr_route_distance_m(const struct cr_route *route)
{
    return route->distance_m;
}

double
cr_route_duration_s(const struct cr_route *route)
{
    return route->duration_s;
}

double
cr_route_cost(const struct cr_route *route)
{
    return route->cost;
}

double
cr_route_co2_kg(const struct cr_route *route)
{
    return route->co2_kg;
}

int
cr_route_used_ch(const struct cr_route *route)
{
    return route->used_ch;
}

size_t
cr_route_point_count(const struct cr_route *route)
{
    return route->point_count;
}

void
cr_route_point(const struct cr_route *route, size_t i, int32_t *lon_e7, int32_t *lat_e7)
{
    *lon_e7 = i < route->point_count ? route->lon_e7[i] : 0;
    *lat_e7 = i < route->point_count ? route->lat_e7[i] : 0;
}

size_t
cr_route_waypoint_count(const struct cr_route *route)
{
    return route->place_count;
}

void
cr_route_waypoint(const struct cr_route *route, size_t i, struct cr_waypoint *out)
{
    const struct cr_place *p = &route->places[i < route->place_count ? i : 0];

    *out = (struct cr_waypoint){ p->lon_e7, p->lat_e7, p->snap.lon_e7, p->snap.lat_e7,
                                 p->snap.distance_m };
}

size_t
cr_route_leg_count(const struct cr_route *route)
{
    return route->leg_count;
}

void
cr_route_leg(const struct cr_route *route, size_t i, struct cr_route_leg_info *out)
{
    const struct cr_route_leg *l = &route->legs[i < route->leg_count ? i : 0];

    *out = (struct cr_route_leg_info){
        .m = { l->distance_m, l->duration_s, l->cost, l->co2_kg },
        .first_point = l->first_point,
        .last_point = l->last_point,
        .first_part = l->first_part,
        .part_count = l->part_count,
    };
}

size_t
cr_route_part_count(const struct cr_route *route)
{
    return route->part_count;
}

void
cr_route_part(const struct cr_route *route, size_t i, struct cr_route_part_info *out)
{
    const struct cr_graph_view *v = route->view;
    const struct cr_route_part *p = &route->parts[i < route->part_count ? i : 0];

    *out = (struct cr_route_part_info){
        .mode = cr_mode_name((enum cr_mode)p->mode),
        .m = { p->distance_m, p->duration_s, p->cost, p->co2_kg },
        .first_point = p->first_point,
        .last_point = p->last_point,
        .name = cr_graph_string(v, p->name),
    };
    if (p->terminal != CR_INF) {
        const struct cr_terminal *t = &v->terminals[p->terminal];
        out->terminal = cr_graph_string(v, t->name);
        out->terminal_lon_e7 = t->lon_e7;
        out->terminal_lat_e7 = t->lat_e7;
    }
}

double
cr_route_weight(const struct cr_route *route)
{
    return cr_metric_value((enum cr_metric)route->metric, route->weight);
}

char *
cr_output_route(const struct cr_session *s, const struct cr_route *r, enum cr_route_format f,
                size_t *len, struct cr_error *err)
{
    return cr_output_route_text(&s->engine, r, f, len, err);
}
