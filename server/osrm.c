#include "server/osrm.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"

#include "server/osrm_depart.h"
#include "server/osrm_extra.h"
#include "server/osrm_match.h"
#include "server/osrm_trip.h"

#define MAX_COORDINATES 100000 /* a ceiling no limit option can raise */

int
cr_osrm_error_set(struct cr_osrm_error *e, const char *code, int status, const char *fmt, ...)
{
    va_list ap;

    e->code = code;
    e->http_status = status > 0 ? status : 400;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    for (char *p = e->message; *p; p++) /* user text may be anything: keep the JSON valid */
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
    return -1;
}

void
cr_osrm_request_fini(struct cr_osrm_request *req)
{
    free(req->lon_e7);
    free(req->lat_e7);
    free(req->sources);
    free(req->destinations);
    free(req->point_opts);
    free(req->waypoints);
    cr_osrm_match_opts_free(req->match);
    memset(req, 0, sizeof *req);
}

static int
hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes LEN bytes of S into a new string; NULL on a bad escape or a NUL byte. */
static char *
decode(const char *s, size_t len)
{
    char *out = malloc(len + 1), *o = out;

    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%') {
            int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
            int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                free(out);
                return NULL;
            }
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

static int
malformed_url(struct cr_osrm_error *e, const char *url, size_t pos)
{
    size_t len = strlen(url), from = pos < 3 ? 0 : pos - 3, to = pos + 3 < len ? pos + 3 : len;
    return cr_osrm_error_set(e, "InvalidUrl", 400,
                             "URL string malformed close to position %zu: \"%.*s\"", pos,
                             (int)(to - from), url + from);
}

/* "lon,lat" between S and END: 0 ok, -1 malformed, -2 out of range. */
static int
parse_coordinate(const char *s, const char *end, int32_t *lon_e7, int32_t *lat_e7)
{
    char buf[64], *p;
    double lon, lat;
    size_t len = (size_t)(end - s);

    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (buf[strspn(buf, "0123456789.,+-eE")] != '\0')
        return -1;
    errno = 0;
    lon = strtod(buf, &p);
    if (p == buf || *p != ',' || errno)
        return -1;
    s = p + 1;
    lat = strtod(s, &p);
    if (p == s || *p != '\0' || errno)
        return -1;
    if (!cr_geo_valid(lon, lat))
        return -2;
    *lon_e7 = cr_deg_to_e7(lon);
    *lat_e7 = cr_deg_to_e7(lat);
    return 0;
}

static int
parse_bool(const char *v, int *out)
{
    if (!strcmp(v, "true")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(v, "false")) {
        *out = 0;
        return 0;
    }
    return -1;
}

/* "all" or "0;3;5" (each < count) into a new array. 0 ok; -1 malformed; -2 out of range. */
static int
parse_indices(const char *v, size_t count, size_t **out, size_t *n)
{
    size_t cap = 1, k = 0;

    *out = NULL;
    *n = 0;
    if (!strcmp(v, "all"))
        return 0;
    for (const char *p = v; *p; p++)
        cap += *p == ';';
    if (!(*out = malloc(cap * sizeof **out)))
        return -1;
    for (const char *p = v;;) {
        char *end;
        unsigned long long x;
        if (*p < '0' || *p > '9')
            return -1;
        errno = 0;
        x = strtoull(p, &end, 10);
        if (errno || (*end != ';' && *end != '\0'))
            return -1;
        if (x >= count)
            return -2;
        (*out)[k++] = (size_t)x;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    *n = k;
    return 0;
}

/* Appends "key=value," to the vehicle spec; -1 when it does not fit or holds odd characters. */
static int
vehicle_add(char *spec, const char *key, const char *value)
{
    size_t len = strlen(spec);
    int w;

    if (value[strspn(value, "0123456789.=,abcdefghijklmnopqrstuvwxyz_")] != '\0' || !*value)
        return -1;
    if (key)
        w = snprintf(spec + len, CR_OSRM_VEHICLE_SIZE - len, "%s%s=%s", len ? "," : "", key, value);
    else
        w = snprintf(spec + len, CR_OSRM_VEHICLE_SIZE - len, "%s%s", len ? "," : "", value);
    return w < 0 || (size_t)w >= CR_OSRM_VEHICLE_SIZE - len ? -1 : 0;
}

static int
parse_route_annotations(const char *v, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {
        { "distance", CR_OSRM_ANN_DISTANCE }, { "duration", CR_OSRM_ANN_DURATION },
        { "speed", CR_OSRM_ANN_SPEED },       { "weight", CR_OSRM_ANN_WEIGHT },
        { "nodes", CR_OSRM_ANN_NODES },       { "datasources", CR_OSRM_ANN_DATASOURCES },
    };
    int b;

    if (!parse_bool(v, &b)) {
        *out = b ? (CR_OSRM_ANN_DISTANCE | CR_OSRM_ANN_DURATION | CR_OSRM_ANN_SPEED |
                    CR_OSRM_ANN_WEIGHT | CR_OSRM_ANN_NODES | CR_OSRM_ANN_DATASOURCES)
                 : 0;
        return 0;
    }
    *out = 0;
    for (const char *p = v;;) {
        size_t len = strcspn(p, ",");
        size_t i;
        for (i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].name) == len && !strncmp(names[i].name, p, len))
                break;
        if (i == sizeof names / sizeof names[0])
            return -1;
        *out |= names[i].bit;
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

/* req->point_opts, every point's at the defaults, unless there already. */
static int
point_opts_alloc(struct cr_osrm_request *req, const char *key, struct cr_osrm_error *e)
{
    if (req->point_opts)
        return 0;
    if (!(req->point_opts = malloc((req->count + 1) * sizeof *req->point_opts)))
        return cr_osrm_error_set(e, "TooBig", 400, "out of memory for %s", key);
    for (size_t i = 0; i < req->count; i++)
        req->point_opts[i] = CR_PLACE_OPTS_DEFAULT;
    return 0;
}

/* radiuses=, bearings= or approaches=: one element per coordinate, separated by ';', each
 * possibly empty (the default for that coordinate), as OSRM's API. */
static int
parse_point_list(const char *key, const char *v, struct cr_osrm_request *req,
                 struct cr_osrm_error *e)
{
    struct cr_error err = { 0 };
    size_t n = 1;

    for (const char *p = v; *p; p++)
        n += *p == ';';
    if (n != req->count)
        return cr_osrm_error_set(e, "InvalidOptions", 400,
                                 "Number of %s (%zu) does not match number of coordinates (%zu)",
                                 key, n, req->count);
    if (point_opts_alloc(req, key, e))
        return -1;
    if (cr_place_opts_parse(key, v, req->count, req->point_opts, &err))
        return cr_osrm_error_set(e, "InvalidValue", 400, "%s", err.msg);
    return 0;
}

#define BAD_QUERY(e, pos)                                                                          \
    cr_osrm_error_set(e, "InvalidQuery", 400, "Query string malformed close to position %zu", pos)

/* A truck dimension (height=4.2, hazmat=yes...) or vehicle=... spec; 1 when KEY is neither. */
static int
parse_vehicle_option(const char *key, const char *v, struct cr_osrm_request *req,
                     struct cr_osrm_error *e, int *vehicle_given)
{
    static const char *const truck_keys[] = { "height", "width",    "length",
                                              "weight", "axleload", "hazmat" };
    if (!strcmp(key, "vehicle")) {
        if (vehicle_add(req->vehicle, NULL, v))
            return cr_osrm_error_set(e, "InvalidValue", 400,
                                     "vehicle \"%s\": want height=4.2,weight=30,...", v);
        *vehicle_given = 1;
        return 0;
    }
    for (size_t i = 0; i < sizeof truck_keys / sizeof truck_keys[0]; i++)
        if (!strcmp(key, truck_keys[i])) {
            int hazmat = !strcmp(key, "hazmat");
            if ((hazmat ? strcmp(v, "yes") && strcmp(v, "no")
                        : v[strspn(v, "0123456789.")] != '\0') ||
                vehicle_add(req->vehicle, key, v))
                return cr_osrm_error_set(e, "InvalidValue", 400, "%s \"%s\": not a value", key, v);
            *vehicle_given = 1;
            return 0;
        }
    return 1;
}

/* The options every service takes; 1 when KEY is not one of them. */
static int
parse_common_option(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                    struct cr_osrm_error *e, int *vehicle_given)
{
    int b;
    if (!strcmp(key, "generate_hints") || !strcmp(key, "skip_waypoints")) {
        if (parse_bool(v, &b))
            return BAD_QUERY(e, pos);
        if (!strcmp(key, "skip_waypoints"))
            req->skip_waypoints = b;
        return 0;
    }
    if (!strcmp(key, "radiuses") || !strcmp(key, "bearings") || !strcmp(key, "approaches"))
        return parse_point_list(key, v, req, e);
    /* format= (not supported) and any other: as osrm-routed answers an unknown
     * option, InvalidQuery (parse_option) */
    int rc = cr_osrm_parse_depart_option(key, v, req, e); /* depart_at, arrive_by, holidays */
    if (rc <= 0)
        return rc;
    return parse_vehicle_option(key, v, req, e, vehicle_given);
}

/* /route's own options; 1 when KEY is not one of them. */
static int
parse_route_option(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                   struct cr_osrm_error *e)
{
    int b;
    if (!strcmp(key, "metric")) { /* corridor's own: what the route is optimal for */
        int m = cr_metric_parse(v);
        if (m < 0)
            return cr_osrm_error_set(e, "InvalidValue", 400,
                                     "metric \"%.40s\": want time, distance, cost or co2", v);
        req->metric = (enum cr_metric)m;
        return 0;
    }
    if (!strcmp(key, "overview")) {
        if (!strcmp(v, "full"))
            req->overview = CR_OSRM_OVERVIEW_FULL;
        else if (!strcmp(v, "simplified"))
            req->overview = CR_OSRM_OVERVIEW_SIMPLIFIED;
        else if (!strcmp(v, "false"))
            req->overview = CR_OSRM_OVERVIEW_FALSE;
        else
            return BAD_QUERY(e, pos);
        return 0;
    }
    if (!strcmp(key, "geometries")) {
        if (!strcmp(v, "polyline"))
            req->geometries = CR_OSRM_POLYLINE;
        else if (!strcmp(v, "polyline6"))
            req->geometries = CR_OSRM_POLYLINE6;
        else if (!strcmp(v, "geojson"))
            req->geometries = CR_OSRM_GEOJSON;
        else
            return BAD_QUERY(e, pos);
        return 0;
    }
    if (!strcmp(key, "steps")) {
        if (parse_bool(v, &b))
            return BAD_QUERY(e, pos);
        req->steps = b;
        return 0;
    }
    if (!strcmp(key, "alternatives")) { /* one route at most, which OSRM also allows */
        char *end;
        if (!parse_bool(v, &b))
            return 0;
        errno = 0;
        if (*v < '0' || *v > '9' || strtoul(v, &end, 10) > 1000 || *end || errno)
            return BAD_QUERY(e, pos);
        return 0;
    }
    if (!strcmp(key, "continue_straight")) {
        if (!strcmp(v, "default"))
            b = 0;
        else if (parse_bool(v, &b))
            return BAD_QUERY(e, pos);
        req->continue_straight = b;
        return 0;
    }
    if (!strcmp(key, "annotations")) {
        if (parse_route_annotations(v, &req->annotations))
            return BAD_QUERY(e, pos);
        return 0;
    }
    return 1;
}

/* /table's own options; 1 when KEY is not one of them. */
static int
parse_table_option(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                   struct cr_osrm_error *e)
{
    if (!strcmp(key, "sources") || !strcmp(key, "destinations")) {
        int src = !strcmp(key, "sources");
        size_t **arr = src ? &req->sources : &req->destinations;
        size_t *n = src ? &req->source_count : &req->destination_count;
        int rc;
        free(*arr);
        *arr = NULL;
        rc = parse_indices(v, req->count, arr, n);
        if (rc == -2)
            return cr_osrm_error_set(e, "InvalidOptions", 400,
                                     "%s: an index is not below the number of coordinates "
                                     "(%zu)",
                                     key, req->count);
        if (rc)
            return BAD_QUERY(e, pos);
        return 0;
    }
    if (!strcmp(key, "annotations")) {
        req->table_durations = req->table_distances = 0;
        for (const char *p = v;;) {
            size_t len = strcspn(p, ",");
            if (len == 8 && !strncmp(p, "duration", 8))
                req->table_durations = 1;
            else if (len == 8 && !strncmp(p, "distance", 8))
                req->table_distances = 1;
            else
                return BAD_QUERY(e, pos);
            if (!p[len])
                break;
            p += len + 1;
        }
        return 0;
    }
    return 1;
}

/* /nearest's own options; 1 when KEY is not one of them. */
static int
parse_nearest_option(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                     struct cr_osrm_error *e)
{
    if (!strcmp(key, "number")) {
        char *end;
        unsigned long x;
        errno = 0;
        x = *v >= '0' && *v <= '9' ? strtoul(v, &end, 10) : 0;
        if (x == 0 || *end || errno || x > 1000000)
            return BAD_QUERY(e, pos);
        req->number = (unsigned)x;
        return 0;
    }
    return 1;
}

/* One query option KEY=VALUE (both decoded); POS is where the key starts in the URL. */
static int
parse_option(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
             struct cr_osrm_error *e, int *vehicle_given)
{
    int rc = req->service == CR_OSRM_MATCH ? cr_osrm_match_option(pos, key, v, req, e) : 1;
    if (rc != 1)
        return rc;
    rc = cr_osrm_parse_extra(pos, key, v, req, e); /* server/osrm_extra.c */
    if (rc != 1)
        return rc;
    rc = parse_common_option(pos, key, v, req, e, vehicle_given);
    if (rc != 1)
        return rc;
    switch (req->service) {
    case CR_OSRM_ROUTE:
        rc = parse_route_option(pos, key, v, req, e);
        break;
    case CR_OSRM_TABLE:
        rc = parse_table_option(pos, key, v, req, e);
        break;
    case CR_OSRM_NEAREST:
        rc = parse_nearest_option(pos, key, v, req, e);
        break;
    case CR_OSRM_TRIP: /* its own options (server/osrm_trip.c), then those it shares with route */
        rc = cr_osrm_trip_option(pos, key, v, req, e);
        if (rc == 1 &&
            (!strcmp(key, "overview") || !strcmp(key, "geometries") || !strcmp(key, "annotations")))
            rc = parse_route_option(pos, key, v, req, e);
        break;
    case CR_OSRM_MATCH: /* overview, geometries, annotations as /route */
        rc = parse_route_option(pos, key, v, req, e);
        break;
    }
    return rc == 1 ? BAD_QUERY(e, pos) : rc;
}

static int
parse_query(const char *url, const char *query, struct cr_osrm_request *req,
            struct cr_osrm_error *e)
{
    int vehicle_given = 0;
    const char *p = query;

    while (*p) {
        size_t len = strcspn(p, "&"), klen = strcspn(p, "=&");
        size_t pos = (size_t)(p - url);
        char *key, *value;
        int rc;
        if (len == 0) { /* "a=1&&b=2" */
            p++;
            continue;
        }
        if (klen == len)
            return cr_osrm_error_set(e, "InvalidQuery", 400,
                                     "Query string malformed close to position %zu", pos);
        key = decode(p, klen);
        value = decode(p + klen + 1, len - klen - 1);
        if (!key || !value) {
            free(key);
            free(value);
            return cr_osrm_error_set(e, "InvalidQuery", 400,
                                     "Query string malformed close to position %zu", pos);
        }
        rc = parse_option(pos, key, value, req, e, &vehicle_given);
        free(key);
        free(value);
        if (rc)
            return rc;
        p += len;
        if (*p == '&')
            p++;
    }
    (void)vehicle_given;
    return 0;
}

/* service / version / profile / coordinates of the decoded PATH (split in place): fills
 * req->service and req->profile, and *COORDS with the coordinates part (".json" cut off). */
static int
parse_path(const char *url, size_t path_len, char *path, struct cr_osrm_request *req,
           struct cr_osrm_error *e, char **coords)
{
    static const char *const services[] = { "route", "table", "nearest", "trip", "match" };
    const size_t nservices = sizeof services / sizeof services[0];
    char *parts[4] = { NULL, NULL, NULL, NULL }, *p = path;
    size_t s;

    for (int i = 0; i < 4; i++) {
        parts[i] = p;
        if (i == 3)
            break;
        p = strchr(p, '/');
        if (!p)
            return malformed_url(e, url, path_len);
        *p++ = '\0';
    }
    for (s = 0; s < nservices; s++)
        if (!strcmp(parts[0], services[s]))
            break;
    if (s == nservices)
        return cr_osrm_error_set(e, "InvalidService", 400, "Service %.64s not found!", parts[0]);
    req->service = (enum cr_osrm_service)s;
    if (strcmp(parts[1], "v1"))
        return cr_osrm_error_set(e, "InvalidVersion", 400, "Service %s not found!", parts[0]);
    if (!*parts[2] || strlen(parts[2]) >= CR_OSRM_PROFILE_SIZE ||
        parts[2][strspn(parts[2], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                  "_-.")] != '\0')
        return malformed_url(e, url, (size_t)(parts[2] - path) + 1);
    strcpy(req->profile, parts[2]);
    *coords = parts[3];
    size_t len = strlen(*coords);
    if (len > 5 && !strcmp(*coords + len - 5, ".json"))
        (*coords)[len - 5] = '\0';
    return 0;
}

/* The most coordinates a request of REQ's service may hold (TooBig beyond), 0 when COUNT fits. */
static int
too_many_coordinates(size_t count, const struct cr_osrm_limits *limits,
                     const struct cr_osrm_request *req, struct cr_osrm_error *e)
{
    size_t max = req->service == CR_OSRM_ROUTE ? limits->max_route_points : 0;
    if (count > MAX_COORDINATES || (max && count > max))
        return cr_osrm_error_set(e, "TooBig", 400,
                                 "Number of entries %zu is higher than current maximum (%zu)",
                                 count, max ? max : (size_t)MAX_COORDINATES);
    return 0;
}

/* One value of Google's encoded polyline at *P (before END): 5-bit chunks, each a character
 * 63..126, the 0x20 bit set on all but the last, zig-zag signed. -1 when malformed. */
static int
polyline_value(const char **p, const char *end, long long *out)
{
    unsigned long long u = 0;
    unsigned shift = 0;

    for (;;) {
        int b;
        if (*p == end || shift > 35) /* 8 chunks hold far more than 180 degrees at 1e-6 */
            return -1;
        b = (unsigned char)*(*p)++ - 63;
        if (b < 0 || b > 63)
            return -1;
        u |= (unsigned long long)(b & 0x1f) << shift;
        shift += 5;
        if (b < 0x20)
            break;
    }
    *out = (u & 1) ? -(long long)(u >> 1) - 1 : (long long)(u >> 1);
    return 0;
}

/* COORDS "polyline(...)" (precision 5) or "polyline6(...)" (precision 6), inside the decoded
 * PATH, into req->lon_e7, lat_e7, count, as osrm-routed reads them: the URL decoded first,
 * latitude before longitude in each pair of deltas. */
static int
parse_polyline_coordinates(const char *url, const char *path, const char *coords,
                           const struct cr_osrm_limits *limits, struct cr_osrm_request *req,
                           struct cr_osrm_error *e)
{
    int six = !strncmp(coords, "polyline6(", 10);
    const char *p, *end;
    long long scale = six ? 10 : 100, lat = 0, lon = 0; /* 1e-6 or 1e-5 degrees to 1e-7 */
    size_t n = 0, cap;

    if (!six && strncmp(coords, "polyline(", 9)) /* "polyline", "polylineX(": no '(' to skip */
        return malformed_url(e, url, (size_t)(coords - path) + 1);
    p = coords + (six ? 10 : 9);
    end = strchr(p, ')');
    if (!end || end == p || end[1] != '\0')
        return malformed_url(e, url, (size_t)(coords - path) + 1);
    cap = (size_t)(end - p) / 2 + 1; /* each coordinate takes at least two characters */
    req->lon_e7 = malloc(cap * sizeof *req->lon_e7);
    req->lat_e7 = malloc(cap * sizeof *req->lat_e7);
    if (!req->lon_e7 || !req->lat_e7)
        return cr_osrm_error_set(e, "TooBig", 400, "out of memory for %zu coordinates", cap);
    while (p < end) {
        const char *at = p;
        long long dlat, dlon;
        double x, y;
        if (polyline_value(&p, end, &dlat) || polyline_value(&p, end, &dlon))
            return malformed_url(e, url, (size_t)(at - path) + 1);
        lat += dlat;
        lon += dlon;
        x = (double)lon * (double)scale / CR_E7;
        y = (double)lat * (double)scale / CR_E7;
        if (!cr_geo_valid(x, y))
            return cr_osrm_error_set(e, "InvalidValue", 400, "Invalid coordinate value.");
        req->lon_e7[n] = (int32_t)(lon * scale);
        req->lat_e7[n] = (int32_t)(lat * scale);
        n++;
    }
    req->count = n;
    return too_many_coordinates(n, limits, req, e);
}

/* "lon,lat;lon,lat..." (COORDS, inside the decoded PATH) into req->lon_e7, lat_e7, count. */
static int
parse_coordinates(const char *url, size_t path_len, const char *path, char *coords,
                  const struct cr_osrm_limits *limits, struct cr_osrm_request *req,
                  struct cr_osrm_error *e)
{
    size_t n = 0, cap = 1;
    char *p;

    if (!strncmp(coords, "polyline", 8))
        return parse_polyline_coordinates(url, path, coords, limits, req, e);
    if (!*coords || strchr(coords, '/'))
        return malformed_url(e, url, path_len);
    for (p = coords; *p; p++)
        cap += *p == ';';
    if (too_many_coordinates(cap, limits, req, e))
        return -1;
    req->lon_e7 = malloc(cap * sizeof *req->lon_e7);
    req->lat_e7 = malloc(cap * sizeof *req->lat_e7);
    if (!req->lon_e7 || !req->lat_e7)
        return cr_osrm_error_set(e, "TooBig", 400, "out of memory for %zu coordinates", cap);
    for (p = coords;;) {
        char *end = p + strcspn(p, ";");
        int c = parse_coordinate(p, end, &req->lon_e7[n], &req->lat_e7[n]);
        if (c == -1)
            return malformed_url(e, url, (size_t)(p - path) + 1);
        if (c == -2)
            return cr_osrm_error_set(e, "InvalidValue", 400, "Invalid coordinate value.");
        n++;
        if (!*end)
            break;
        p = end + 1;
    }
    req->count = n;
    return 0;
}

/* What each service needs of the parsed request: enough points, sizes within LIMITS. */
static int
check_request(const struct cr_osrm_limits *limits, struct cr_osrm_request *req,
              struct cr_osrm_error *e)
{
    size_t n = req->count;
    if (cr_osrm_check_depart(req, e)) /* arrive_by's limits (server/osrm_depart.c) */
        return -1;
    switch (req->service) {
    case CR_OSRM_ROUTE:
        if (n < 2)
            return cr_osrm_error_set(e, "InvalidOptions", 400,
                                     "Number of coordinates needs to be at least two.");
        return cr_osrm_route_check_waypoints(req, e); /* server/osrm_extra.c */
    case CR_OSRM_TABLE: {
        size_t ns = req->sources ? req->source_count : n;
        size_t nd = req->destinations ? req->destination_count : n;
        size_t max = limits->max_table_size;
        if (!req->table_durations && !req->table_distances)
            return cr_osrm_error_set(e, "InvalidOptions", 400,
                                     "annotations: want duration, "
                                     "distance or both");
        if (max && (n > max * 2 || ns * nd > max * max))
            return cr_osrm_error_set(e, "TooBig", 400, "Too many table coordinates");
        break;
    }
    case CR_OSRM_NEAREST:
        if (n != 1)
            return cr_osrm_error_set(e, "InvalidOptions", 400,
                                     "Only one input coordinate is supported");
        if (limits->max_nearest && req->number > limits->max_nearest)
            return cr_osrm_error_set(e, "TooBig", 400,
                                     "Number of results %u is higher than current maximum (%zu)",
                                     req->number, limits->max_nearest);
        break;
    case CR_OSRM_TRIP:
        return cr_osrm_trip_check(limits, req, e);
    case CR_OSRM_MATCH:
        return cr_osrm_match_check(req, e);
    }
    return 0;
}

/* Where the query string of URL starts: its first '?' outside polyline(...) or polyline6(...),
 * whose alphabet holds '?' (osrm-routed decodes the URL before it splits it); NULL: none. */
static const char *
query_start(const char *url)
{
    const char *p = url;

    for (;;) {
        const char *q = strchr(p, '?'), *pl = strstr(p, "/polyline"), *close;
        if (!q || !pl || pl > q || !(close = strchr(pl, ')')))
            return q;
        p = close + 1;
    }
}

int
cr_osrm_parse(const char *url, const struct cr_osrm_limits *limits, struct cr_osrm_request *req,
              struct cr_osrm_error *e)
{
    const char *q = query_start(url);
    size_t url_len = strlen(url), path_len = q ? (size_t)(q - url) : url_len;
    char *path, *coords = NULL;
    int rc;

    memset(req, 0, sizeof *req);
    req->number = 1;
    req->table_durations = 1;
    req->trip_roundtrip = 1;
    req->scale_factor = 1;
    if (limits->max_url_bytes && url_len > limits->max_url_bytes)
        return cr_osrm_error_set(e, "TooBig", 414,
                                 "URL of %zu bytes is longer than the maximum "
                                 "(%zu)",
                                 url_len, limits->max_url_bytes);
    if (url[0] != '/')
        return malformed_url(e, url, 0);
    if (!(path = decode(url + 1, path_len - 1)))
        return malformed_url(e, url, 1);
    rc = parse_path(url, path_len, path, req, e, &coords);
    if (!rc)
        rc = parse_coordinates(url, path_len, path, coords, limits, req, e);
    if (!rc && q)
        rc = parse_query(url, q + 1, req, e);
    if (!rc && req->snapping_any && !(rc = point_opts_alloc(req, "snapping", e)))
        for (size_t i = 0; i < req->count; i++) /* every service snaps through point_opts */
            req->point_opts[i].snap_any = 1;
    if (!rc)
        rc = check_request(limits, req, e);
    free(path);
    return rc;
}

/* ---- polylines ---------------------------------------------------------------------------- */

static void
encode_value(long long v, char **o)
{
    unsigned long long u = v < 0 ? ~((unsigned long long)v << 1) : (unsigned long long)v << 1;
    while (u >= 0x20) {
        *(*o)++ = (char)((0x20 | (u & 0x1f)) + 63);
        u >>= 5;
    }
    *(*o)++ = (char)(u + 63);
}

char *
cr_osrm_polyline(const int32_t *lon_e7, const int32_t *lat_e7, size_t n, int precision)
{
    double div = precision == 6 ? 10.0 : 100.0; /* e7 -> e6 or e5 */
    char *out = malloc(n * 2 * 12 + 1), *o = out;
    long long plat = 0, plon = 0;

    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        long long lat = llround(lat_e7[i] / div), lon = llround(lon_e7[i] / div);
        encode_value(lat - plat, &o);
        encode_value(lon - plon, &o);
        plat = lat;
        plon = lon;
    }
    *o = '\0';
    return out;
}

/* ---- simplification ----------------------------------------------------------------------- */

size_t
cr_osrm_simplify(const int32_t *lon_e7, const int32_t *lat_e7, size_t n, double tolerance_m,
                 uint8_t *keep)
{
    size_t *stack, top = 0, kept = 0;
    double mx, my;

    if (n == 0)
        return 0;
    memset(keep, 0, n);
    keep[0] = keep[n - 1] = 1;
    if (n <= 2)
        return n;
    cr_geo_scale(cr_e7_to_deg(lat_e7[0]), &mx, &my);
    mx /= CR_E7;
    my /= CR_E7;
    stack = malloc(2 * n * sizeof *stack);
    if (!stack) { /* keep everything */
        memset(keep, 1, n);
        return n;
    }
    stack[top++] = 0;
    stack[top++] = n - 1;
    while (top) {
        size_t b = stack[--top], a = stack[--top], far = a;
        double ax = lon_e7[a] * mx, ay = lat_e7[a] * my;
        double dx = lon_e7[b] * mx - ax, dy = lat_e7[b] * my - ay, len2 = dx * dx + dy * dy;
        double worst = -1;
        for (size_t i = a + 1; i < b; i++) {
            double px = lon_e7[i] * mx - ax, py = lat_e7[i] * my - ay, d2;
            double t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            d2 = (px - t * dx) * (px - t * dx) + (py - t * dy) * (py - t * dy);
            if (d2 > worst) {
                worst = d2;
                far = i;
            }
        }
        if (far != a && worst > tolerance_m * tolerance_m) {
            keep[far] = 1;
            stack[top++] = a;
            stack[top++] = far;
            stack[top++] = far;
            stack[top++] = b;
        }
    }
    free(stack);
    for (size_t i = 0; i < n; i++)
        kept += keep[i];
    return kept;
}

char *
cr_osrm_error_json(const struct cr_osrm_error *e)
{
    json_t *o = json_object();
    char *text;

    json_object_set_new(o, "code", json_string(e->code));
    json_object_set_new(o, "message", json_string(e->message));
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}
