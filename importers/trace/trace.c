/*
 * GPS traces from GPX or CSV through spatial/vector (importers/trace/trace.h).
 */
#include "importers/trace/trace.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ogr_api.h>

#include "spatial/vector.h"

#define MAX_TRACE 10000000u /* growth ceiling: input cannot raise it */

struct reader {
    const char *path;
    bool gpx;
    int lon, lat, time; /* field index or -1 */
    size_t timed;       /* points with a time so far */
    struct cr_trace *t;
    size_t cap;
};

void
cr_trace_fini(struct cr_trace *t)
{
    if (!t)
        return;
    free(t->lon_e7);
    free(t->lat_e7);
    free(t->time_s);
    memset(t, 0, sizeof *t);
}

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
    long long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

int
cr_trace_parse_time(const char *text, double *out)
{
    int y, mo, d, h, mi, n = 0, zh = 0, zm = 0;
    double s = 0;
    const char *p;
    char sep;

    if (sscanf(text, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &n) != 6 ||
        (sep != 'T' && sep != ' '))
        return -1;
    p = text + n;
    if (*p == ':') {
        char *end;
        s = strtod(p + 1, &end);
        if (end == p + 1 || !(s >= 0 && s < 61))
            return -1;
        p = end;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, k = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &zh, &zm, &k) != 2 &&
            sscanf(p + 1, "%2d%2d%n", &zh, &zm, &k) != 2)
            return -1;
        zh *= sign;
        zm *= sign;
        p += 1 + k;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || h < 0 || mi < 0 || mi > 59)
        return -1;
    *out = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + h * 3600.0 +
           mi * 60.0 + s - zh * 3600.0 - zm * 60.0;
    return 0;
}

static enum cr_status
grow(struct reader *r, struct cr_error *err)
{
    struct cr_trace *t = r->t;
    size_t cap;
    void *a, *b, *c;

    if (t->count < r->cap)
        return CR_OK;
    if (r->cap >= MAX_TRACE)
        return cr_error_set(err, CR_ENOMEM, "%s: more than %u points", r->path, MAX_TRACE);
    cap = r->cap ? 2 * r->cap : 256;
    a = realloc(t->lon_e7, cap * sizeof *t->lon_e7);
    if (a)
        t->lon_e7 = a;
    b = realloc(t->lat_e7, cap * sizeof *t->lat_e7);
    if (b)
        t->lat_e7 = b;
    c = realloc(t->time_s, cap * sizeof *t->time_s);
    if (c)
        t->time_s = c;
    if (!a || !b || !c)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    r->cap = cap;
    return CR_OK;
}

/* The point's time into *T (NAN when it has none). */
static enum cr_status
read_time(struct reader *r, OGRFeatureH f, const char *where, double *t, struct cr_error *err)
{
    const char *text;
    double v;

    *t = NAN;
    if (r->time < 0 || !cr_vector_field_present(f, r->time))
        return CR_OK;
    if (r->gpx) {
        int y, mo, d, h, mi, tz;
        float s;
        if (!OGR_F_GetFieldAsDateTimeEx(f, r->time, &y, &mo, &d, &h, &mi, &s, &tz))
            return CR_OK;
        /* tz: 0 unknown, 1 local, 100 UTC, 100 + k: k quarter hours east */
        *t = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + h * 3600.0 +
             mi * 60.0 + s - (tz > 1 ? (tz - 100) * 900.0 : 0.0);
        return CR_OK;
    }
    text = OGR_F_GetFieldAsString(f, r->time);
    if (cr_vector_is_blank(text))
        return CR_OK;
    if (cr_vector_parse_number(text, &v) || !cr_trace_parse_time(text, &v)) {
        *t = v;
        return CR_OK;
    }
    return cr_error_set(err, CR_EINVAL, "%s: %s: time \"%.40s\" is not seconds or an ISO 8601 time",
                        r->path, where, text);
}

static enum cr_status
add_point(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    struct reader *r = user;
    struct cr_trace *t = r->t;
    double lon, lat, time;
    enum cr_status st;

    if ((st = grow(r, err)))
        return st;
    if (r->gpx) {
        if ((st = cr_vector_point(f, NULL, r->path, where, &lon, &lat, err)))
            return st;
    } else if ((st = cr_vector_number_field(f, r->lon, "lon", r->path, where, &lon, err)) ||
               (st = cr_vector_number_field(f, r->lat, "lat", r->path, where, &lat, err))) {
        return st;
    }
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
        return cr_error_set(err, CR_EINVAL, "%s: %s: %.10g,%.10g is not a lon,lat", r->path, where,
                            lon, lat);
    if ((st = read_time(r, f, where, &time, err)))
        return st;
    r->timed += !isnan(time);
    if (r->timed && r->timed != index + 1)
        return cr_error_set(err, CR_EINVAL, "%s: %s: %s (every point or none must have a time)",
                            r->path, where,
                            isnan(time) ? "no time" : "a time where the points before have none");
    if (index && !isnan(time) && time < t->time_s[index - 1])
        return cr_error_set(err, CR_EINVAL, "%s: %s: time goes backwards", r->path, where);
    t->lon_e7[t->count] = (int32_t)llround(lon * 1e7);
    t->lat_e7[t->count] = (int32_t)llround(lat * 1e7);
    t->time_s[t->count] = time;
    t->count++;
    return CR_OK;
}

static enum cr_status
open_file(struct cr_vector *v, const char *path, bool gpx, const char *layer, struct cr_error *err)
{
    static const char *const gpx_drivers[] = { "GPX", NULL };
    static const char *const csv_drivers[] = { "CSV", NULL };
    static const char *const csv_options[] = { "AUTODETECT_TYPE=NO", "HEADERS=YES", NULL };
    struct cr_vector_options vo = {
        .what = "points",
        .no_layer = gpx ? "track or route points" : "points",
        .unreadable = gpx ? "not a GPX file GDAL can read" : "not a CSV file GDAL can read",
        .drivers = gpx ? gpx_drivers : csv_drivers,
        .open_options = gpx ? NULL : csv_options,
        .layer = layer,
    };
    return cr_vector_open(v, path, &vo, err);
}

static enum cr_status
read_layer(struct reader *r, struct cr_vector *v, struct cr_error *err)
{
    static const char *const lon_names[] = { "lon", "longitude", "x", NULL };
    static const char *const lat_names[] = { "lat", "latitude", "y", NULL };
    static const char *const time_names[] = { "time", "timestamp", NULL };

    r->time = cr_vector_find_field(v->defn, time_names);
    if (!r->gpx) {
        r->lon = cr_vector_find_field(v->defn, lon_names);
        r->lat = cr_vector_find_field(v->defn, lat_names);
        if (r->lon < 0 || r->lat < 0)
            return cr_error_set(err, CR_EINVAL,
                                "%s: want a header line with lon,lat[,time] columns", r->path);
    }
    return cr_vector_each(v, add_point, r, err);
}

enum cr_status
cr_trace_read(const char *path, struct cr_trace *out, struct cr_error *err)
{
    const char *base = strrchr(path, '/'), *dot;
    struct reader r = { .path = path, .t = out };
    struct cr_vector v;
    enum cr_status st;

    memset(out, 0, sizeof *out);
    memset(&v, 0, sizeof v);
    dot = strrchr(base ? base + 1 : path, '.');
    r.gpx = dot && !strcasecmp(dot, ".gpx");
    if (!r.gpx && !(dot && !strcasecmp(dot, ".csv")))
        return cr_error_set(err, CR_EINVAL, "%s: a trace must be .gpx or .csv", path);
    if ((st = open_file(&v, path, r.gpx, r.gpx ? "track_points" : NULL, err)))
        return st;
    st = read_layer(&r, &v, err);
    cr_vector_close(&v);
    if (!st && r.gpx && out->count == 0) { /* no track: the route's points */
        if ((st = open_file(&v, path, true, "route_points", err)))
            goto done;
        st = read_layer(&r, &v, err);
        cr_vector_close(&v);
    }
    if (!st && out->count == 0)
        st = cr_error_set(err, CR_EEMPTY, "%s: no points", path);
done:
    if (!st && r.timed == 0) {
        free(out->time_s);
        out->time_s = NULL;
    }
    if (st)
        cr_trace_fini(out);
    return st;
}
