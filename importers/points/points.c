/*
 * Points from a CSV or GeoJSON file, read through spatial/vector (GDAL/OGR, quietly: GDAL's
 * errors are copied into err), as terminals.c reads terminals.
 *
 * Places in messages: a CSV row is "line N" (the header is line 1, so feature i is line i + 2), a
 * GeoJSON feature is "feature N", counted from 1. Row numbers used as ids count from 1 in both.
 *
 * A GeoJSON feature's numeric "id" member is not a field in OGR (GDAL makes it the FID, and
 * truncates 2.5 to 2), so it is taken from the feature's JSON text that GDAL keeps with
 * NATIVE_DATA=YES: the top level of that object is scanned for "id" and a number after it.
 */
#include "importers/points/points.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ogr_api.h>

#include "spatial/ctx.h"
#include "spatial/vector.h"

#define MAX_POINTS 10000000u /* growth ceiling: input cannot raise it */
#define BLANKS " \t\r\n"

/* What one read needs to know about the open file. */
struct reader {
    const char *path;
    bool csv;
    int id, name, lon, lat; /* field index or -1 */
    PJ *to_wgs84;           /* NULL: already WGS84 */
    size_t with_id;         /* rows that had an id so far */
    size_t first_without;   /* index + 1 of the first row without one, or 0 */
    struct cr_point_list *list;
    size_t capacity;
};

/* Copies the N bytes at S; NULL if out of memory. */
static char *
copy_text(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

void
cr_point_list_fini(struct cr_point_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i].id);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

/* Skips the JSON string whose opening quote is at P; returns its closing quote, or NULL. */
static const char *
skip_string(const char *p)
{
    for (p++; *p != '"'; p++) {
        if (*p == '\0')
            return NULL;
        if (*p == '\\' && p[1] != '\0')
            p++;
    }
    return p;
}

/* In JSON, the text of a number that is the value of the top-level member "id"; NULL if there is
 * no such member or its value is not a number. */
static const char *
json_number_id(const char *json, size_t *len)
{
    int depth = 0;
    bool key = false; /* the next string at depth 1 is a member name */
    for (const char *p = json; *p; p++) {
        switch (*p) {
        case '{':
        case '[':
            key = ++depth == 1;
            break;
        case '}':
        case ']':
            if (--depth < 1)
                return NULL;
            break;
        case ',':
            key = depth == 1;
            break;
        case '"': {
            const char *name = p + 1;
            if (!(p = skip_string(p)))
                return NULL;
            if (depth != 1 || !key)
                break;
            key = false;
            if (p - name != 2 || memcmp(name, "id", 2) != 0)
                break;
            const char *v = p + 1 + strspn(p + 1, BLANKS);
            if (*v != ':')
                return NULL;
            v += 1 + strspn(v + 1, BLANKS);
            size_t n = strspn(v, "+-0123456789.eE");
            if (n == 0) /* text (GDAL made it a field), null, an object... */
                return NULL;
            *len = n;
            return v;
        }
        default:
            break;
        }
    }
    return NULL;
}

/* Finds the text of field I if it is present and not blank; NULL if it is absent or blank. */
static enum cr_status
id_field(const struct reader *r, OGRFeatureH f, int i, const char *where, const char **text,
         struct cr_error *err)
{
    *text = NULL;
    if (!cr_vector_field_present(f, i) || cr_vector_is_blank(OGR_F_GetFieldAsString(f, i)))
        return CR_OK;
    OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(f, i);
    switch (OGR_Fld_GetType(fd)) {
    case OFTString:
    case OFTInteger:
    case OFTInteger64:
    case OFTReal:
        *text = OGR_F_GetFieldAsString(f, i);
        return CR_OK;
    default:
        return cr_error_set(err, CR_EINVAL, "%s: %s: %s %.40s is not text or a number", r->path,
                            where, OGR_Fld_GetNameRef(fd), OGR_F_GetFieldAsString(f, i));
    }
}

/* The point's id: in a CSV the id or else the name column, in GeoJSON property id, the feature's
 * numeric id, property name; without any, the row number. */
static enum cr_status
read_id(struct reader *r, OGRFeatureH f, size_t index, const char *where, char **id,
        struct cr_error *err)
{
    const char *text = NULL, *number = NULL;
    size_t number_len = 0;
    enum cr_status st;
    if ((st = id_field(r, f, r->id, where, &text, err)))
        return st;
    if (!text && !r->csv) {
        const char *json = OGR_F_GetNativeData(f); /* owned by the feature */
        number = json ? json_number_id(json, &number_len) : NULL;
    }
    if (!text && !number && (st = id_field(r, f, r->name, where, &text, err)))
        return st;

    if (text || number) {
        r->with_id++;
        *id = text ? cr_vector_trimmed_copy(text) : copy_text(number, number_len);
    } else {
        char row[24];
        if (!r->first_without)
            r->first_without = index + 1;
        snprintf(row, sizeof row, "%zu", index + 1);
        *id = copy_text(row, strlen(row));
    }
    if (!*id)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    return CR_OK;
}

static enum cr_status
read_feature(struct reader *r, OGRFeatureH f, size_t index, const char *where, struct cr_point *p,
             struct cr_error *err)
{
    double lon = 0.0, lat = 0.0;
    enum cr_status st;
    if (r->csv) {
        if ((st = cr_vector_number_field(f, r->lon, "lon", r->path, where, &lon, err)) ||
            (st = cr_vector_number_field(f, r->lat, "lat", r->path, where, &lat, err)))
            return st;
    } else if ((st = cr_vector_point(f, r->to_wgs84, r->path, where, &lon, &lat, err))) {
        return st;
    }
    if (!(lon >= -180 && lon <= 180))
        return cr_error_set(err, CR_EINVAL, "%s: %s: lon %.10g out of range", r->path, where, lon);
    if (!(lat >= -90 && lat <= 90))
        return cr_error_set(err, CR_EINVAL, "%s: %s: lat %.10g out of range", r->path, where, lat);
    if ((st = read_id(r, f, index, where, &p->id, err)))
        return st;
    p->lon_e7 = (int32_t)llround(lon * 1e7);
    p->lat_e7 = (int32_t)llround(lat * 1e7);
    return CR_OK;
}

/* Looks up the columns; CSV needs lon and lat. */
static enum cr_status
find_fields(struct reader *r, OGRFeatureDefnH defn, struct cr_error *err)
{
    static const char *const id_names[] = { "id", NULL };
    static const char *const name_names[] = { "name", NULL };
    static const char *const lon_names[] = { "lon", "longitude", "x", NULL };
    static const char *const lat_names[] = { "lat", "latitude", "y", NULL };
    r->id = cr_vector_find_field(defn, id_names);
    r->name = cr_vector_find_field(defn, name_names);
    r->lon = cr_vector_find_field(defn, lon_names);
    r->lat = cr_vector_find_field(defn, lat_names);
    if (!r->csv || (r->lon >= 0 && r->lat >= 0))
        return CR_OK;
    if (cr_vector_header_is_numeric(defn))
        return cr_error_set(err, CR_EINVAL, "%s: line 1: want a header line with lon,lat columns",
                            r->path);
    if (r->lon < 0)
        return cr_error_set(err, CR_EINVAL, "%s: no lon column (want lon, longitude or x)",
                            r->path);
    return cr_error_set(err, CR_EINVAL, "%s: no lat column (want lat, latitude or y)", r->path);
}

/* Makes room for one more point: the list doubles up to MAX_POINTS. */
static enum cr_status
grow(const char *path, struct cr_point_list *list, size_t *capacity, struct cr_error *err)
{
    if (list->count < *capacity)
        return CR_OK;
    if (*capacity >= MAX_POINTS)
        return cr_error_set(err, CR_ENOMEM, "%s: more than %u points", path, MAX_POINTS);
    size_t grown = *capacity ? 2 * *capacity : 64;
    if (grown > MAX_POINTS)
        grown = MAX_POINTS;
    struct cr_point *items = realloc(list->items, grown * sizeof *items);
    if (!items)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
    list->items = items;
    *capacity = grown;
    return CR_OK;
}

/* One feature: room for it, then the point; a file where only some rows have ids fails. */
static enum cr_status
add_point(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    struct reader *r = user;
    struct cr_point_list *list = r->list;
    enum cr_status st;
    if ((st = grow(r->path, list, &r->capacity, err)))
        return st;
    struct cr_point *p = &list->items[list->count];
    memset(p, 0, sizeof *p);
    if ((st = read_feature(r, f, index, where, p, err)))
        return st;
    list->count++;
    if (r->with_id && r->first_without)
        return cr_error_set(err, CR_EINVAL, "%s: %s %zu: no id (want %s)", r->path,
                            r->csv ? "line" : "feature",
                            r->csv ? r->first_without + 1 : r->first_without,
                            r->csv ? "id or name" : "property id or name, or a feature id");
    return CR_OK;
}

enum cr_status
cr_points_read(const char *path, struct cr_point_list *out, struct cr_error *err)
{
    static const struct cr_point_file_options po = {
        .what = "points",
        .extensions = "points must be .csv, .geojson or .json",
        .unreadable_csv = "not a CSV file GDAL can read",
        .unreadable_geojson = "not a GeoJSON file GDAL can read",
    };
    struct cr_point_list list = { NULL, 0 };
    struct reader r = { .path = path, .list = &list };
    struct cr_point_file pf;
    enum cr_status st;

    out->items = NULL;
    out->count = 0;
    if ((st = cr_point_file_open(&pf, path, &po, err)))
        return st;
    r.csv = pf.v.csv;
    r.to_wgs84 = pf.to_wgs84;
    if (!(st = find_fields(&r, pf.v.defn, err)) &&
        !(st = cr_vector_each(&pf.v, add_point, &r, err)) && list.count == 0)
        st = cr_error_set(err, CR_EEMPTY, "%s: no points", path);
    cr_point_file_close(&pf);
    if (st)
        cr_point_list_fini(&list);
    else
        *out = list;
    return st;
}
