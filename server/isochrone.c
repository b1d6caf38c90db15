#include "server/isochrone.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planning/isochrone.h"
#include "spatial/ctx.h"

#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
#define PREFIX "/isochrone/v1/"

/* Mapbox's playground colours for up to four contours, smallest first. */
static const char *const default_colors[CR_ISO_SERVER_MAX_CONTOURS] = { "#6706ce", "#04e813",
                                                                        "#4286f4", "#f44242" };

int
cr_iso_url_is(const char *url)
{
    return !strncmp(url, "/isochrone/", 11);
}

/* Percent-decodes the N bytes at S into OUT (of CAP); -1 when too long or malformed. */
static int
decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        if (ch == '%') {
            char hex[3];
            if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
                !isxdigit((unsigned char)s[i + 2]))
                return -1;
            hex[0] = s[i + 1];
            hex[1] = s[i + 2];
            hex[2] = '\0';
            ch = (int)strtol(hex, NULL, 16);
            i += 2;
        } else if (ch == '+') {
            ch = ' ';
        }
        if (k + 1 >= cap)
            return -1;
        out[k++] = (char)ch;
    }
    out[k] = '\0';
    return 0;
}

static int
parse_colors(const char *v, struct cr_iso_request *req, struct cr_osrm_error *e)
{
    size_t n = 0;
    const char *p = v;

    while (*p) {
        size_t len = strcspn(p, ",");
        if (n == CR_ISO_SERVER_MAX_CONTOURS || len != 6 || strspn(p, "0123456789abcdefABCDEF") < 6)
            return cr_osrm_error_set(e, "InvalidInput", 400,
                                     "contours_colors \"%s\": want up to %d hex colours like "
                                     "ff0000, separated by commas",
                                     v, CR_ISO_SERVER_MAX_CONTOURS);
        snprintf(req->colors[n++], sizeof req->colors[0], "#%.6s", p);
        p += len + (p[len] == ',');
    }
    return 0;
}

static int
parse_minutes(const char *v, struct cr_iso_request *req, struct cr_osrm_error *e)
{
    double m[CR_ISO_MAX_BANDS];
    size_t n = 0;
    struct cr_error err = { 0 };

    if (cr_iso_minutes_parse(v, m, &n, &err))
        return cr_osrm_error_set(e, "InvalidInput", 400, "contours_%s", err.msg);
    if (n > CR_ISO_SERVER_MAX_CONTOURS || m[n - 1] > CR_ISO_SERVER_MAX_MINUTES)
        return cr_osrm_error_set(e, "InvalidInput", 400,
                                 "contours_minutes \"%s\": at most %d contours of at most %g "
                                 "minutes",
                                 v, CR_ISO_SERVER_MAX_CONTOURS, CR_ISO_SERVER_MAX_MINUTES);
    memcpy(req->minutes, m, n * sizeof *m);
    req->count = n;
    return 0;
}

static int
parse_param(const char *key, const char *v, struct cr_iso_request *req, struct cr_osrm_error *e)
{
    if (!strcmp(key, "contours_minutes"))
        return parse_minutes(v, req, e);
    if (!strcmp(key, "contours_colors"))
        return parse_colors(v, req, e);
    if (!strcmp(key, "polygons")) {
        if (strcmp(v, "true") && strcmp(v, "false"))
            return cr_osrm_error_set(e, "InvalidInput", 400, "polygons \"%s\": want true or false",
                                     v);
        req->polygons = !strcmp(v, "true");
        return 0;
    }
    if (!strcmp(key, "buffer")) {
        char *end;
        req->buffer_m = strtod(v, &end);
        if (end == v || *end || !(req->buffer_m > 0) || req->buffer_m > 1000)
            return cr_osrm_error_set(e, "InvalidInput", 400,
                                     "buffer \"%s\": want metres in (0, 1000]", v);
        return 0;
    }
    if (!strcmp(key, "contours_meters"))
        return cr_osrm_error_set(e, "InvalidInput", 400,
                                 "contours_meters: only contours_minutes is supported");
    /* Mapbox's denoise, generalize, access_token and anything else: accepted, ignored */
    return 0;
}

static int
parse_query(const char *q, struct cr_iso_request *req, struct cr_osrm_error *e)
{
    while (q && *q) {
        size_t len = strcspn(q, "&"), klen = strcspn(q, "=&");
        char key[64], val[512];
        if (klen >= len || decode(q, klen, key, sizeof key) ||
            decode(q + klen + 1, len - klen - 1, val, sizeof val))
            return cr_osrm_error_set(e, "InvalidUrl", 400, "query \"%.*s\": want key=value",
                                     (int)(len > 80 ? 80 : len), q);
        if (parse_param(key, val, req, e))
            return -1;
        q += len + (q[len] == '&');
    }
    return 0;
}

int
cr_iso_url_parse(const char *url, struct cr_iso_request *req, struct cr_osrm_error *e)
{
    const char *p = url + strlen(PREFIX), *slash, *q = strchr(url, '?');
    size_t plen;
    char coord[128], *end;
    double lon, lat;

    memset(req, 0, sizeof *req);
    req->buffer_m = CR_ISO_BUFFER_M;
    if (strncmp(url, PREFIX, strlen(PREFIX)))
        return cr_osrm_error_set(e, "InvalidUrl", 400,
                                 "want /isochrone/v1/{profile}/{lon},{lat}?contours_minutes=...");
    if (!strncmp(p, "mapbox/", 7)) /* Mapbox's own profile names: mapbox/driving */
        p += 7;
    if (!(slash = strchr(p, '/')) || (q && slash > q) || slash == p ||
        (size_t)(slash - p) >= sizeof req->profile)
        return cr_osrm_error_set(e, "InvalidUrl", 400, "no profile in \"%.100s\"", url);
    memcpy(req->profile, p, (size_t)(slash - p));
    p = slash + 1;
    plen = q ? (size_t)(q - p) : strlen(p);
    if (plen > 5 && !strncmp(p + plen - 5, ".json", 5))
        plen -= 5;
    if (decode(p, plen, coord, sizeof coord))
        return cr_osrm_error_set(e, "InvalidUrl", 400, "bad coordinate in \"%.100s\"", url);
    errno = 0;
    lon = strtod(coord, &end);
    if (end == coord || *end != ',')
        return cr_osrm_error_set(e, "InvalidInput", 400, "coordinate \"%s\": want lon,lat", coord);
    lat = strtod(end + 1, &end);
    if (*end || errno || !(fabs(lon) <= 180) || !(fabs(lat) <= 90))
        return cr_osrm_error_set(e, "InvalidInput", 400,
                                 "coordinate \"%s\": want lon,lat (lon -180..180, lat -90..90)",
                                 coord);
    req->lon_e7 = (int32_t)lround(lon * 1e7);
    req->lat_e7 = (int32_t)lround(lat * 1e7);
    if (parse_query(q ? q + 1 : NULL, req, e))
        return -1;
    if (req->count == 0)
        return cr_osrm_error_set(e, "InvalidInput", 400,
                                 "contours_minutes is required (e.g. contours_minutes=10,20)");
    return 0;
}

static json_t *
feature(struct cr_ctx *c, const struct cr_iso_request *req, const struct cr_iso_band *b, size_t k)
{
    const char *color = req->colors[k][0] ? req->colors[k] : default_colors[k];
    json_t *props = json_object(), *f = json_object();

    json_object_set_new(props, "contour",
                        b->minutes == floor(b->minutes) ? json_integer((json_int_t)b->minutes)
                                                        : json_real(b->minutes));
    json_object_set_new(props, "color", json_string(color));
    json_object_set_new(props, "opacity", json_real(0.33));
    json_object_set_new(props, "metric", json_string("time"));
    if (req->polygons) {
        json_object_set_new(props, "fill", json_string(color));
        json_object_set_new(props, "fill-opacity", json_real(0.33));
        json_object_set_new(props, "fillColor", json_string(color));
        json_object_set_new(props, "fillOpacity", json_real(0.33));
    }
    json_object_set_new(props, "reached_km", json_real(round(b->reached_km * 1000.0) / 1000.0));
    json_object_set_new(f, "type", json_string("Feature"));
    json_object_set_new(f, "properties", props);
    json_object_set_new(f, "geometry", cr_iso_band_geojson(c, b, !req->polygons));
    return f;
}

static char *
fail(const struct cr_osrm_error *e, int *status)
{
    *status = e->http_status;
    return cr_osrm_error_json(e);
}

char *
cr_iso_answer(const char *url, cr_iso_lookup lookup, void *user, int *status)
{
    struct cr_iso_request req;
    struct cr_osrm_error oe = { 0 };
    struct cr_error err = { 0 };
    const struct cr_session *s;
    struct cr_iso_result r;
    struct cr_ctx *c;
    json_t *o, *features;
    char *body;

    if (cr_iso_url_parse(url, &req, &oe))
        return fail(&oe, status);
    if (!(s = lookup(user, req.profile))) {
        cr_osrm_error_set(&oe, "ProfileNotFound", 404, "profile \"%s\" is not served", req.profile);
        return fail(&oe, status);
    }
    if (!(c = cr_ctx_create(&err))) {
        cr_osrm_error_set(&oe, "InternalError", 500, "%s", err.msg);
        return fail(&oe, status);
    }
    if (cr_iso_run(c, s, &req.lon_e7, &req.lat_e7, 1, req.minutes, req.count, 0, req.buffer_m, &r,
                   &err)) {
        if (err.code == CR_ENOTFOUND)
            cr_osrm_error_set(&oe, "NoSegment", 422, "%s", err.msg);
        else
            cr_osrm_error_set(&oe, err.code == CR_ENOMEM ? "InternalError" : "InvalidInput",
                              err.code == CR_ENOMEM ? 500 : 400, "%s", err.msg);
        cr_ctx_destroy(c);
        return fail(&oe, status);
    }
    o = json_object();
    features = json_array();
    for (size_t k = r.count; k-- > 0;) /* largest first, as Mapbox */
        json_array_append_new(features, feature(c, &req, &r.bands[k], k));
    json_object_set_new(o, "features", features);
    json_object_set_new(o, "type", json_string("FeatureCollection"));
    body = json_dumps(o, JSON_FLAGS);
    json_decref(o);
    cr_iso_result_fini(c, &r);
    cr_ctx_destroy(c);
    *status = 200;
    return body;
}
