/* OSRM v1's /match (server/osrm_match.h). */
#include "server/osrm_match.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routing/match.h"
#include "routing/session.h"
#include "server/osrm_extra.h"
#include "server/osrm_json.h"

#define BAD_QUERY(e, pos)                                                                          \
    cr_osrm_error_set(e, "InvalidQuery", 400, "Query string malformed close to position %zu", pos)

void
cr_osrm_match_opts_free(struct cr_osrm_match_opts *m)
{
    if (!m)
        return;
    free(m->timestamps);
    free(m->waypoints);
    free(m);
}

static int
parse_flag(const char *v, int *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "false")) {
        *out = v[0] == 't';
        return 0;
    }
    return -1;
}

/* "a;b;c" of non-negative numbers (integers when INTEGERS) into a new array. */
static int
parse_numbers(const char *v, int integers, double **out, size_t *n)
{
    size_t cap = 1, k = 0;
    double *a;

    for (const char *p = v; *p; p++)
        cap += *p == ';';
    if (!(a = malloc(cap * sizeof *a)))
        return -1;
    for (const char *p = v;; k++) {
        char *end;
        if (*p < '0' || *p > '9') {
            free(a);
            return -1;
        }
        errno = 0;
        a[k] = integers ? (double)strtoull(p, &end, 10) : strtod(p, &end);
        if (errno || (*end && *end != ';') || !isfinite(a[k])) {
            free(a);
            return -1;
        }
        if (!*end)
            break;
        p = end + 1;
    }
    free(*out);
    *out = a;
    *n = k + 1;
    return 0;
}

int
cr_osrm_match_option(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                     struct cr_osrm_error *e)
{
    struct cr_osrm_match_opts *m = req->match;
    int b;

    if (!m && !(m = req->match = calloc(1, sizeof *m)))
        return cr_osrm_error_set(e, "InternalError", 500, "out of memory");
    if (!strcmp(key, "timestamps"))
        return parse_numbers(v, 1, &m->timestamps, &m->timestamp_count) ? BAD_QUERY(e, pos) : 0;
    if (!strcmp(key, "gaps")) {
        if (strcmp(v, "split") && strcmp(v, "ignore"))
            return BAD_QUERY(e, pos);
        m->gaps_ignore = !strcmp(v, "ignore");
        return 0;
    }
    if (!strcmp(key, "tidy"))
        return parse_flag(v, &m->tidy) ? BAD_QUERY(e, pos) : 0;
    if (!strcmp(key, "steps")) { /* every leg's steps, as /route writes them */
        if (parse_flag(v, &b))
            return BAD_QUERY(e, pos);
        req->steps = b;
        return 0;
    }
    if (!strcmp(key, "waypoints")) {
        double *w = NULL;
        size_t n = 0;
        if (parse_numbers(v, 1, &w, &n))
            return BAD_QUERY(e, pos);
        free(m->waypoints);
        m->waypoints = malloc(n * sizeof *m->waypoints);
        if (!m->waypoints) {
            free(w);
            return cr_osrm_error_set(e, "InternalError", 500, "out of memory");
        }
        for (size_t i = 0; i < n; i++)
            m->waypoints[i] = w[i] < 1e15 ? (size_t)w[i] : SIZE_MAX;
        m->waypoint_count = n;
        free(w);
        return 0;
    }
    if (!strcmp(key, "alternatives") || !strcmp(key, "continue_straight"))
        return BAD_QUERY(e, pos); /* /route's, not /match's */
    return 1;
}

int
cr_osrm_match_check(const struct cr_osrm_request *req, struct cr_osrm_error *e)
{
    const struct cr_osrm_match_opts *m = req->match;
    size_t n = req->count;

    if (n < 2)
        return cr_osrm_error_set(e, "InvalidOptions", 400,
                                 "Number of coordinates needs to be at least two.");
    if (n > CR_OSRM_MATCH_MAX)
        return cr_osrm_error_set(e, "TooBig", 400,
                                 "Number of entries %zu is higher than current maximum (%d)", n,
                                 CR_OSRM_MATCH_MAX);
    if (m && m->timestamps) {
        if (m->timestamp_count != n)
            return cr_osrm_error_set(e, "InvalidOptions", 400,
                                     "Number of timestamps does not match number of coordinates");
        for (size_t i = 1; i < n; i++)
            if (m->timestamps[i] < m->timestamps[i - 1])
                return cr_osrm_error_set(e, "InvalidValue", 400,
                                         "Timestamps need to be monotonically increasing");
    }
    for (size_t i = 0; req->point_opts && i < n; i++)
        if (isinf(req->point_opts[i].radius_m) || req->point_opts[i].radius_m == 0)
            return cr_osrm_error_set(e, "InvalidValue", 400,
                                     "radiuses: a GPS accuracy in metres above 0 is needed for "
                                     "/match (coordinate %zu)",
                                     i);
    if (m && m->waypoints) {
        if (m->tidy)
            return cr_osrm_error_set(e, "InvalidOptions", 400,
                                     "Tidy and waypoints cannot be used together");
        if (m->waypoint_count < 2 || m->waypoints[0] != 0 ||
            m->waypoints[m->waypoint_count - 1] != n - 1) /* osrm-routed's code and message */
            return cr_osrm_error_set(e, "InvalidValue", 400,
                                     "First and last coordinates must be specified as waypoints.");
        for (size_t i = 1; i < m->waypoint_count; i++)
            if (m->waypoints[i] <= m->waypoints[i - 1] || m->waypoints[i] >= n)
                return cr_osrm_error_set(e, "InvalidValue", 400,
                                         "Waypoints must be increasing indices of coordinates");
    }
    return 0;
}

/* ---- the answer --------------------------------------------------------------------------- */

static int
is_waypoint(const struct cr_osrm_match_opts *o, size_t i)
{
    if (!o || !o->waypoints)
        return 1;
    for (size_t k = 0; k < o->waypoint_count; k++)
        if (o->waypoints[k] == i)
            return 1;
    return 0;
}

/* With waypoints=, the legs of matching MI joined so that each runs between two waypoints (or
 * an end of the matching). */
static void
join_legs(const struct cr_osrm_request *req, const struct cr_match *m, size_t mi, json_t *route)
{
    json_t *legs = json_object_get(route, "legs"), *out = json_array(), *cur = NULL;
    size_t leg = 0, last = 0;

    for (size_t i = 0; i < m->point_count; i++)
        if (m->points[i].matching == (int32_t)mi)
            last = i;
    for (size_t i = 0; i < m->point_count; i++) {
        json_t *l;
        if (m->points[i].matching != (int32_t)mi || m->points[i].waypoint == 0)
            continue;
        l = json_array_get(legs, leg++);
        if (!cur)
            cur = json_deep_copy(l);
        else
            cr_osrm_merge_leg(req, cur, l, 1);
        if (is_waypoint(req->match, i) || i == last) {
            json_array_append_new(out, cur);
            cur = NULL;
        }
    }
    json_object_set_new(route, "legs", out);
}

static json_t *
tracepoint(const struct cr_osrm_request *req, const struct cr_engine *e, const struct cr_match *m,
           size_t i)
{
    const struct cr_match_point *p = &m->points[i];
    json_t *t;
    size_t wp = 0;

    if (p->matching < 0)
        return json_null();
    t = cr_osrm_json_waypoint(e->view, &p->snap);
    json_object_set_new(t, "matchings_index", json_integer(p->matching));
    for (size_t k = 0; k < i; k++) /* among the matching's points that are waypoints */
        wp += m->points[k].matching == p->matching &&
              (is_waypoint(req->match, k) || m->points[k].waypoint == 0);
    json_object_set_new(t, "waypoint_index",
                        is_waypoint(req->match, i) || p->waypoint == 0 ||
                                (int32_t)i == (int32_t)m->matchings[p->matching].last
                            ? json_integer((json_int_t)wp)
                            : json_null());
    json_object_set_new(t, "alternatives_count", json_integer(p->alternatives));
    return t;
}

/* With waypoints=, as osrm-routed: NoMatch when the trace is split into several matchings or a
 * listed point is not matched. */
static int
waypoints_unmatched(const struct cr_osrm_request *req, const struct cr_match *m,
                    struct cr_osrm_error *oe)
{
    if (!req->match || !req->match->waypoints)
        return 0;
    if (m->matching_count > 1)
        return cr_osrm_error_set(oe, "NoMatch", 400,
                                 "Could not match the trace with the given waypoints.");
    for (size_t k = 0; k < req->match->waypoint_count; k++)
        if (m->points[req->match->waypoints[k]].matching < 0)
            return cr_osrm_error_set(oe, "NoMatch", 400,
                                     "Requested waypoint parameter could not be matched.");
    return 0;
}

json_t *
cr_osrm_match_answer(const struct cr_osrm_request *req, const struct cr_session *session,
                     struct cr_router *rt, struct cr_osrm_error *oe)
{
    const struct cr_engine *e = cr_session_engine(session);
    struct cr_match_options o = CR_MATCH_OPTIONS_DEFAULT;
    struct cr_match m;
    struct cr_error err = { 0 };
    double *sigma = NULL;
    json_t *ans, *matchings, *tps;

    if (req->point_opts && !(sigma = malloc(req->count * sizeof *sigma))) {
        cr_osrm_error_set(oe, "InternalError", 500, "out of memory");
        return NULL;
    }
    for (size_t i = 0; sigma && i < req->count; i++)
        sigma[i] = req->point_opts[i].radius_m;
    o.place = req->point_opts; /* bearings, approaches, snapping */
    if (req->match) {
        o.gap_s = req->match->gaps_ignore ? 0 : CR_MATCH_GAP_S;
        o.tidy = req->match->tidy;
    }
    if (cr_match_run(rt, req->lon_e7, req->lat_e7, req->match ? req->match->timestamps : NULL,
                     sigma, req->count, &o, &m, &err)) {
        if (err.code == CR_ENOTFOUND)
            cr_osrm_error_set(oe, "NoMatch", 400, "Could not match the trace.");
        else if (err.code == CR_EINVAL)
            cr_osrm_error_set(oe, "InvalidValue", 400, "%s", err.msg);
        else
            cr_osrm_error_set(oe, "InternalError", 500, "%s", err.msg);
        cr_match_fini(&m);
        free(sigma);
        return NULL;
    }
    free(sigma);
    if (waypoints_unmatched(req, &m, oe)) {
        cr_match_fini(&m);
        return NULL;
    }
    ans = json_object();
    matchings = json_array();
    json_object_set_new(ans, "code", json_string("Ok"));
    for (size_t k = 0; k < m.matching_count; k++) {
        json_t *one = cr_osrm_json_route(req, e, &m.matchings[k].route);
        json_t *route = json_incref(json_array_get(json_object_get(one, "routes"), 0));
        json_decref(one);
        json_object_set_new(route, "confidence",
                            json_real(round(m.matchings[k].confidence * 1e6) / 1e6));
        if (req->match && req->match->waypoints)
            join_legs(req, &m, k, route);
        json_array_append_new(matchings, route);
    }
    json_object_set_new(ans, "matchings", matchings);
    if (!req->skip_waypoints) {
        tps = json_array();
        for (size_t i = 0; i < m.point_count; i++)
            json_array_append_new(tps, tracepoint(req, e, &m, i));
        json_object_set_new(ans, "tracepoints", tps);
    }
    cr_match_fini(&m);
    return ans;
}
