/* OSRM v1 options of issue 15 (server/osrm_extra.h). */
#include "server/osrm_extra.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "routing/alternatives.h"
#include "routing/guidance.h"
#include "server/osrm_json.h"
#include "server/text.h"

#define BAD_QUERY(e, pos)                                                                          \
    cr_osrm_error_set(e, "InvalidQuery", 400, "Query string malformed close to position %zu", pos)

/* A number > 0 (OSRM: InvalidValue otherwise); -1 when not one. */
static int
positive(const char *v, double *out)
{
    char *end;

    errno = 0;
    *out = strtod(v, &end);
    return end == v || *end || errno || !(*out > 0) || !isfinite(*out) ? -1 : 0;
}

/* hints=: one (ignored) element per coordinate, separated by ';'. */
static int
parse_hints(const char *v, struct cr_osrm_request *req, struct cr_osrm_error *e)
{
    size_t n = 1;

    for (const char *p = v; *p; p++)
        n += *p == ';';
    if (n != req->count)
        return cr_osrm_error_set(e, "InvalidOptions", 400,
                                 "Number of hints (%zu) does not match number of coordinates "
                                 "(%zu)",
                                 n, req->count);
    return 0;
}

/* exclude=toll,motorway: names of lower-case letters and '_', checked against the profile when
 * it is known (server.c: InvalidValue). */
static int
parse_exclude(size_t pos, const char *v, struct cr_osrm_request *req, struct cr_osrm_error *e)
{
    if (!*v || strlen(v) >= sizeof req->exclude ||
        v[strspn(v, "abcdefghijklmnopqrstuvwxyz_,")] != '\0' || v[0] == ',' ||
        v[strlen(v) - 1] == ',' || strstr(v, ",,"))
        return BAD_QUERY(e, pos);
    strcpy(req->exclude, v);
    return 0;
}

/* /route's alternatives=true|false|N. */
static int
parse_alternatives(size_t pos, const char *v, struct cr_osrm_request *req, struct cr_osrm_error *e)
{
    char *end;
    unsigned long n;

    if (!strcmp(v, "true") || !strcmp(v, "false")) {
        req->alternatives = v[0] == 't';
        return 0;
    }
    errno = 0;
    n = *v >= '0' && *v <= '9' ? strtoul(v, &end, 10) : ULONG_MAX;
    if (n == ULONG_MAX || *end || errno || n > 1000)
        return BAD_QUERY(e, pos);
    req->alternatives = (unsigned)n;
    return 0;
}

/* /table's own options of issue 15; 1 when KEY is not one of them. */
static int
parse_table_extra(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                  struct cr_osrm_error *e)
{
    if (!strcmp(key, "fallback_speed")) {
        if (positive(v, &req->fallback_speed))
            return cr_osrm_error_set(e, "InvalidValue", 400, "fallback_speed must be > 0");
        return 0;
    }
    if (!strcmp(key, "fallback_coordinate")) {
        if (strcmp(v, "input") && strcmp(v, "snapped"))
            return BAD_QUERY(e, pos);
        req->fallback_snapped = v[0] == 's';
        return 0;
    }
    if (!strcmp(key, "scale_factor")) {
        if (positive(v, &req->scale_factor))
            return cr_osrm_error_set(e, "InvalidValue", 400, "scale_factor must be > 0");
        return 0;
    }
    return 1;
}

/* /route's waypoints=0;2;...: indices separated by ';' (InvalidQuery otherwise), each below the
 * number of coordinates (InvalidOptions otherwise, as osrm-routed's parameter check). */
static int
parse_waypoints(size_t pos, const char *v, struct cr_osrm_request *req, struct cr_osrm_error *e)
{
    size_t cap = 1, k = 0;

    for (const char *p = v; *p; p++)
        cap += *p == ';';
    free(req->waypoints);
    req->waypoint_count = 0;
    if (!(req->waypoints = malloc(cap * sizeof *req->waypoints)))
        return cr_osrm_error_set(e, "InternalError", 500, "out of memory");
    for (const char *p = v;;) {
        char *end;
        unsigned long long x;
        if (*p < '0' || *p > '9')
            return BAD_QUERY(e, pos);
        errno = 0;
        x = strtoull(p, &end, 10);
        if (errno || (*end != ';' && *end != '\0'))
            return BAD_QUERY(e, pos);
        if (x >= req->count)
            return cr_osrm_error_set(e, "InvalidOptions", 400,
                                     "waypoints: index %llu is not below the number of "
                                     "coordinates (%zu)",
                                     x, req->count);
        req->waypoints[k++] = (size_t)x;
        if (!*end)
            break;
        p = end + 1;
    }
    req->waypoint_count = k;
    return 0;
}

int
cr_osrm_route_check_waypoints(const struct cr_osrm_request *req, struct cr_osrm_error *e)
{
    if (req->waypoints &&
        (req->waypoints[0] != 0 || req->waypoints[req->waypoint_count - 1] != req->count - 1))
        return cr_osrm_error_set(e, "InvalidValue", 400,
                                 "First and last coordinates must be specified as waypoints.");
    return 0;
}

int
cr_osrm_parse_extra(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                    struct cr_osrm_error *e)
{
    if (!strcmp(key, "hints"))
        return parse_hints(v, req, e);
    if (!strcmp(key, "exclude"))
        return parse_exclude(pos, v, req, e);
    if (!strcmp(key, "snapping")) {
        if (strcmp(v, "default") && strcmp(v, "any"))
            return BAD_QUERY(e, pos);
        req->snapping_any = v[0] == 'a';
        return 0;
    }
    if (!strcmp(key, "generate_hints")) {
        if (strcmp(v, "true") && strcmp(v, "false"))
            return BAD_QUERY(e, pos);
        req->no_hints = v[0] == 'f';
        return 0;
    }
    if (req->service == CR_OSRM_ROUTE && !strcmp(key, "alternatives"))
        return parse_alternatives(pos, v, req, e);
    if (req->service == CR_OSRM_ROUTE && !strcmp(key, "waypoints"))
        return parse_waypoints(pos, v, req, e);
    if (req->service == CR_OSRM_TABLE)
        return parse_table_extra(pos, key, v, req, e);
    return 1;
}

json_t *
cr_osrm_route_alternatives(const struct cr_osrm_request *req, struct cr_router *rt,
                           const struct cr_place *places, struct cr_osrm_error *oe)
{
    const struct cr_engine *e = cr_router_engine(rt);
    struct cr_alt_options o = CR_ALT_OPTIONS_DEFAULT;
    struct cr_route out[1 + CR_ALT_MAX];
    struct cr_error err = { 0 };
    size_t n = 0;
    json_t *answer, *routes;

    o.alternatives = req->alternatives < CR_ALT_MAX ? req->alternatives : CR_ALT_MAX;
    if (cr_router_alternatives(rt, &places[0], &places[1], &o, out, &n, &err)) {
        if (err.code == CR_ENOTFOUND)
            cr_osrm_error_set(oe, "NoRoute", 400, "Impossible route between points");
        else
            cr_osrm_error_set(oe, "InternalError", 500, "%s", err.msg);
        return NULL;
    }
    answer = cr_osrm_json_route(req, e, &out[0]);
    routes = json_object_get(answer, "routes");
    for (size_t i = 1; i < n; i++) {
        json_t *one = cr_osrm_json_route(req, e, &out[i]);
        json_array_append(routes, json_array_get(json_object_get(one, "routes"), 0));
        json_decref(one);
    }
    for (size_t i = 0; i < n; i++)
        cr_route_fini(&out[i]);
    return answer;
}

json_t *
cr_osrm_json_leg_nodes(const struct cr_route *r, const struct cr_route_leg *leg)
{
    const struct cr_graph_view *v = r->view;
    json_t *a = json_array();

    for (uint32_t k = 0; k < leg->edge_count; k++) {
        uint32_t e = r->edges[leg->first_edge + k];
        if (k == 0) {
            uint32_t seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
            int rev = (v->edge_segment[e] & CR_SEGMENT_REVERSED) != 0;
            json_array_append_new(a, json_integer(v->osm_id[v->segment_node[2 * seg + rev]]));
        }
        json_array_append_new(a, json_integer(v->osm_id[v->head[e]]));
    }
    return a;
}

void
cr_osrm_strip_hints(json_t *o, const char *key)
{
    size_t i;
    json_t *w;

    json_array_foreach(json_object_get(o, key), i, w) json_object_del(w, "hint");
}

/* Where point K of T stands for the fallback: the coordinate given or where it snapped. */
static void
fallback_point(const struct cr_osrm_request *req, const struct cr_table *t, size_t k, int32_t *lon,
               int32_t *lat)
{
    if (req->fallback_snapped && t->snapped[k]) {
        *lon = cr_table_place(t, k)->snap.lon_e7;
        *lat = cr_table_place(t, k)->snap.lat_e7;
    } else {
        *lon = req->lon_e7[k];
        *lat = req->lat_e7[k];
    }
}

void
cr_osrm_table_values(const struct cr_osrm_request *req, const struct cr_table *t, uint64_t *dur,
                     uint64_t *dist, json_t **fallback_cells)
{
    *fallback_cells = NULL;
    for (size_t i = 0; i < t->ns; i++)
        for (size_t j = 0; j < t->nt; j++) {
            size_t k = i * t->nt + j;
            int32_t lon0, lat0, lon1, lat1;
            double d;
            dur[k] = t->status[k] == CR_CELL_OK ? t->weight[k] : UINT64_MAX;
            if (dist)
                dist[k] = t->status[k] != CR_CELL_OK
                              ? UINT64_MAX
                              : (uint64_t)llround(t->measures[k].distance_m * 10);
            if (t->status[k] == CR_CELL_OK || !(req->fallback_speed > 0))
                continue;
            fallback_point(req, t, t->src[i], &lon0, &lat0);
            fallback_point(req, t, t->dst[j], &lon1, &lat1);
            d = cr_geo_distance_m(lon0, lat0, lon1, lat1);
            dur[k] = (uint64_t)llround(d / req->fallback_speed * 10);
            if (dist)
                dist[k] = (uint64_t)llround(d * 10);
            if (!*fallback_cells)
                *fallback_cells = json_array();
            json_array_append_new(*fallback_cells,
                                  json_pack("[I,I]", (json_int_t)i, (json_int_t)j));
        }
    if (req->scale_factor > 0 && req->scale_factor != 1)
        for (size_t k = 0; k < t->ns * t->nt; k++)
            if (dur[k] != UINT64_MAX)
                dur[k] = (uint64_t)llround((double)dur[k] * req->scale_factor);
}

char *
cr_osrm_table_text(const struct cr_osrm_request *req, const struct cr_engine *e,
                   const struct cr_table *t, struct cr_osrm_error *oe)
{
    size_t ns = t->ns, nd = t->nt;
    uint64_t *w = req->table_distances ? malloc((ns * nd + 1) * sizeof *w) : NULL;
    struct cr_text x = { NULL, 0, 0, req->table_distances && !w };

    uint64_t *dur = malloc((ns * nd + 1) * sizeof *dur);
    json_t *fallback = NULL;

    x.oom |= !dur;
    cr_text_str(&x, "{\"code\":\"Ok\"");
    if (dur) /* fallback_speed, scale_factor: server/osrm_extra.c */
        cr_osrm_table_values(req, t, dur, w, &fallback);
    if (req->table_durations && dur) /* time weights are deciseconds: tenths of a second */
        cr_text_matrix(&x, "durations", dur, ns, nd);
    if (req->table_distances && w && dur)
        cr_text_matrix(&x, "distances", w, ns, nd);
    if (fallback)
        cr_text_json(&x, "fallback_speed_cells", fallback, CR_OSRM_TABLE_JSON_FLAGS);
    if (!req->skip_waypoints) {
        json_t *a = json_array(), *b = json_array();
        for (size_t i = 0; i < ns; i++)
            json_array_append_new(
                a, cr_osrm_json_waypoint(e->view, &cr_table_place(t, t->src[i])->snap));
        for (size_t j = 0; j < nd; j++)
            json_array_append_new(
                b, cr_osrm_json_waypoint(e->view, &cr_table_place(t, t->dst[j])->snap));
        for (size_t i = 0; req->no_hints && i < ns + nd; i++)
            json_object_del(json_array_get(i < ns ? a : b, i < ns ? i : i - ns), "hint");
        cr_text_json(&x, "sources", a, CR_OSRM_TABLE_JSON_FLAGS);
        cr_text_json(&x, "destinations", b, CR_OSRM_TABLE_JSON_FLAGS);
    }
    cr_text_add(&x, "}", 1);
    free(w);
    free(dur);
    if (x.oom) {
        free(x.p);
        x.p = NULL;
        cr_osrm_error_set(oe, "InternalError", 500, "out of memory");
    }
    return x.p;
}

/* O[KEY] += MORE, rounded to 1e-3 (the values are rounded already; this keeps the sum clean). */
static void
add_amount(json_t *o, const char *key, const json_t *more)
{
    json_t *a = json_object_get(o, key);
    if (a && json_is_number(more))
        json_object_set_new(
            o, key, json_real(round((json_number_value(a) + json_number_value(more)) * 1e3) / 1e3));
}

/* The string of O, "" when it is not one. */
static const char *
text_of(const json_t *o)
{
    const char *t = json_string_value(o);
    return t ? t : "";
}

/* The points of a step's geometry G (an encoded polyline at PRECISION, or GeoJSON) appended to
 * LON, LAT (1e-7 degrees; room for *N more); -1 when G is neither. */
static int
geometry_points(const json_t *g, int precision, int32_t *lon, int32_t *lat, size_t cap, size_t *n)
{
    const char *p = json_string_value(g);
    long long scale = precision == 6 ? 10 : 100, v[2] = { 0, 0 };
    size_t i;
    json_t *c;

    if (json_is_object(g)) {
        json_array_foreach(json_object_get(g, "coordinates"), i, c)
        {
            if (*n == cap)
                return -1;
            lon[*n] = cr_deg_to_e7(json_number_value(json_array_get(c, 0)));
            lat[(*n)++] = cr_deg_to_e7(json_number_value(json_array_get(c, 1)));
        }
        return 0;
    }
    while (p && *p) {
        for (int k = 0; k < 2; k++) { /* latitude, then longitude */
            unsigned long long u = 0;
            unsigned shift = 0;
            int b;
            do {
                if (!*p || shift > 35)
                    return -1;
                b = (unsigned char)*p++ - 63;
                u |= (unsigned long long)(b & 0x1f) << shift;
                shift += 5;
            } while (b >= 0x20);
            v[k] += (u & 1) ? -(long long)(u >> 1) - 1 : (long long)(u >> 1);
        }
        if (*n == cap)
            return -1;
        lat[*n] = (int32_t)(v[0] * scale);
        lon[(*n)++] = (int32_t)(v[1] * scale);
    }
    return p ? 0 : -1;
}

/* Step SRC's geometry, amounts and intersections joined to step DST (a straight pass through a
 * via point on the same road: one step, as osrm-routed's). 0, or -1 when the geometries could
 * not be read (the steps are then left apart). */
static int
join_step(const struct cr_osrm_request *req, json_t *dst, json_t *src)
{
    json_t *gd = json_object_get(dst, "geometry"), *gs = json_object_get(src, "geometry");
    size_t cap = (json_is_string(gd) ? strlen(json_string_value(gd)) : 0) +
                 (json_is_string(gs) ? strlen(json_string_value(gs)) : 0) +
                 json_array_size(json_object_get(gd, "coordinates")) +
                 json_array_size(json_object_get(gs, "coordinates")) + 2;
    int32_t *lon = malloc(cap * sizeof *lon), *lat = malloc(cap * sizeof *lat);
    int precision = req->geometries == CR_OSRM_POLYLINE6 ? 6 : 5;
    size_t n = 0, m;
    int rc = -1;

    if (lon && lat && !geometry_points(gd, precision, lon, lat, cap, &n) && (m = n) > 0 &&
        !geometry_points(gs, precision, lon, lat, cap, &n)) {
        if (n > m && lon[m] == lon[m - 1] && lat[m] == lat[m - 1]) { /* the via point, twice */
            memmove(lon + m, lon + m + 1, (n - m - 1) * sizeof *lon);
            memmove(lat + m, lat + m + 1, (n - m - 1) * sizeof *lat);
            n--;
        }
        json_object_set_new(dst, "geometry", cr_osrm_json_geometry(req, lon, lat, n));
        add_amount(dst, "distance", json_object_get(src, "distance"));
        add_amount(dst, "duration", json_object_get(src, "duration"));
        add_amount(dst, "weight", json_object_get(src, "weight"));
        for (size_t k = 1; k < json_array_size(json_object_get(src, "intersections")); k++)
            json_array_append(json_object_get(dst, "intersections"), /* the via point's is none */
                              json_array_get(json_object_get(src, "intersections"), k));
        rc = 0;
    }
    free(lon);
    free(lat);
    return rc;
}

/* At a silent via point: the arrive step ending DST's steps goes, and the depart step starting
 * SRC's becomes what the turn there is, from the arrival's bearing to the departure's: joined to
 * the step before when straight on along the same road, else a new name (straight onto another
 * name), a continue (turning, same name) or a turn. */
static void
silence_via(const struct cr_osrm_request *req, json_t *dst_steps, json_t *src_steps)
{
    size_t n = json_array_size(dst_steps);
    json_t *arrive = n ? json_array_get(dst_steps, n - 1) : NULL;
    json_t *before_step = n > 1 ? json_array_get(dst_steps, n - 2) : NULL;
    json_t *depart = json_array_get(src_steps, 0);
    json_t *am = json_object_get(arrive, "maneuver"), *dm = json_object_get(depart, "maneuver");
    enum cr_modifier mod;
    const char *name;
    double before, after;
    int same;

    if (!am || !dm || strcmp(text_of(json_object_get(am, "type")), "arrive") ||
        strcmp(text_of(json_object_get(dm, "type")), "depart"))
        return;
    before = json_number_value(json_object_get(am, "bearing_before"));
    after = json_number_value(json_object_get(dm, "bearing_after"));
    mod = cr_modifier_of(before, after);
    name = cr_modifier_name(mod);
    same = before_step && !strcmp(text_of(json_object_get(before_step, "name")),
                                  text_of(json_object_get(depart, "name")));
    json_array_remove(dst_steps, n - 1);
    if (mod == CR_MOD_STRAIGHT && same && !join_step(req, before_step, depart)) {
        json_array_remove(src_steps, 0);
        return;
    }
    json_object_set_new(dm, "bearing_before", json_integer((json_int_t)llround(before)));
    json_object_set_new(dm, "type",
                        json_string(mod == CR_MOD_STRAIGHT ? "new name"
                                    : same                 ? "continue"
                                                           : "turn"));
    json_object_set_new(dm, "modifier", json_string(name ? name : "straight"));
}

void
cr_osrm_merge_leg(const struct cr_osrm_request *req, json_t *dst, json_t *src, int silent)
{
    const char *key;
    json_t *v;

    add_amount(dst, "distance", json_object_get(src, "distance"));
    add_amount(dst, "duration", json_object_get(src, "duration"));
    add_amount(dst, "weight", json_object_get(src, "weight"));
    if (silent)
        silence_via(req, json_object_get(dst, "steps"), json_object_get(src, "steps"));
    json_array_extend(json_object_get(dst, "steps"), json_object_get(src, "steps"));
    json_object_foreach(json_object_get(src, "annotation"), key, v)
    {
        json_array_extend(json_object_get(json_object_get(dst, "annotation"), key), v);
    }
    json_object_foreach(json_object_get(src, "corridor"), key, v)
    {
        add_amount(json_object_get(dst, "corridor"), key, v);
    }
    if (json_is_string(json_object_get(dst, "summary")) &&
        !*text_of(json_object_get(dst, "summary")))
        json_object_set(dst, "summary", json_object_get(src, "summary"));
}

static int
listed(const struct cr_osrm_request *req, size_t i)
{
    for (size_t k = 0; k < req->waypoint_count; k++)
        if (req->waypoints[k] == i)
            return 1;
    return 0;
}

void
cr_osrm_route_waypoints(const struct cr_osrm_request *req, json_t *answer)
{
    size_t r;
    json_t *route;

    if (req->service != CR_OSRM_ROUTE || !req->waypoints)
        return;
    json_array_foreach(json_object_get(answer, "routes"), r, route)
    {
        json_t *legs = json_object_get(route, "legs"), *out = json_array(), *cur = NULL;
        for (size_t i = 0; i < json_array_size(legs); i++) { /* leg I: coordinate I to I + 1 */
            json_t *leg = json_array_get(legs, i);
            if (!cur)
                cur = json_deep_copy(leg);
            else
                cr_osrm_merge_leg(req, cur, leg, 1);
            if (listed(req, i + 1) || i + 1 == json_array_size(legs)) {
                json_array_append_new(out, cur);
                cur = NULL;
            }
        }
        json_object_set_new(route, "legs", out);
    }
}
