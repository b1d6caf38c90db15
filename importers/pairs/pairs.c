/*
 * Origin-destination pairs from a CSV file, read through GDAL/OGR's CSV driver as points.c reads
 * points: every column as text (AUTODETECT_TYPE=NO) so a bad number is named with its line, GDAL's
 * errors silenced for the length of the call and copied into err.
 *
 * Rows are line i + 2 (the header is line 1; GDAL skips blank lines, which are not counted). Ids and messages live in one growing text buffer
 * (offset 0 is the empty string), so a million pairs are not a million allocations.
 */
#include "importers/pairs/pairs.h"
#include "importers/ogr_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#define MAX_TEXT ((size_t)4 << 30) /* ids and messages: 4 GiB at most */

struct columns {
    int id, from_lon, from_lat, to_lon, to_lat; /* field index or -1 */
};

void
cr_pair_list_fini(struct cr_pair_list *l)
{
    if (!l)
        return;
    free(l->items);
    free(l->text);
    memset(l, 0, sizeof *l);
}

const char *
cr_pair_id(const struct cr_pair_list *l, size_t i)
{
    return l->text + l->items[i].id;
}

const char *
cr_pair_problem(const struct cr_pair_list *l, size_t i)
{
    return l->text + l->items[i].problem;
}

/* Appends the N bytes at S and a NUL to L's text; *at gets their offset. */
static enum cr_status
add_text(struct cr_pair_list *l, const char *path, const char *s, size_t n, size_t *at,
         struct cr_error *err)
{
    if (l->text_len + n + 1 > l->text_cap) {
        size_t cap = l->text_cap ? l->text_cap : 4096;
        while (cap < l->text_len + n + 1)
            cap *= 2;
        if (cap > MAX_TEXT)
            return cr_error_set(err, CR_ENOMEM, "%s: ids too long in all", path);
        char *text = realloc(l->text, cap);
        if (!text)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
        l->text = text;
        l->text_cap = cap;
    }
    memcpy(l->text + l->text_len, s, n);
    l->text[l->text_len + n] = '\0';
    *at = l->text_len;
    l->text_len += n + 1;
    return CR_OK;
}

/* The id text without surrounding blanks. */
static enum cr_status
add_trimmed(struct cr_pair_list *l, const char *path, const char *s, size_t *at,
            struct cr_error *err)
{
    size_t n;
    s += strspn(s, " \t\r\n");
    n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    return add_text(l, path, s, n, at, err);
}

/* One coordinate of a row: a number in range, or a message in PROBLEM. */
static bool
coordinate(OGRFeatureH f, int field, const char *label, double limit, const char *path,
           const char *where, double *out, char *problem, size_t size)
{
    struct cr_error e = { 0 };
    if (cr_ogr_number_field(f, field, label, path, where, out, &e)) {
        snprintf(problem, size, "%s", e.msg);
        return false;
    }
    if (!(*out >= -limit && *out <= limit)) {
        snprintf(problem, size, "%s: %s: %s %.10g out of range", path, where, label, *out);
        return false;
    }
    return true;
}

static enum cr_status
read_row(struct cr_pair_list *l, const char *path, const struct columns *c, OGRFeatureH f,
         struct cr_pair *p, struct cr_error *err)
{
    char where[40], problem[sizeof err->msg];
    double v[4] = { 0, 0, 0, 0 };
    enum cr_status st;
    bool good;

    snprintf(where, sizeof where, "line %u", p->line);
    problem[0] = '\0';
    good =
        coordinate(f, c->from_lon, "from_lon", 180, path, where, &v[0], problem, sizeof problem) &&
        coordinate(f, c->from_lat, "from_lat", 90, path, where, &v[1], problem, sizeof problem) &&
        coordinate(f, c->to_lon, "to_lon", 180, path, where, &v[2], problem, sizeof problem) &&
        coordinate(f, c->to_lat, "to_lat", 90, path, where, &v[3], problem, sizeof problem);
    if (c->id >= 0) {
        const char *id = cr_ogr_field_present(f, c->id) ? OGR_F_GetFieldAsString(f, c->id) : "";
        if ((st = add_trimmed(l, path, id, &p->id, err)))
            return st;
        if (good && l->text[p->id] == '\0') {
            snprintf(problem, sizeof problem, "%s: %s: no id", path, where);
            good = false;
        }
    } else {
        char row[24];
        snprintf(row, sizeof row, "%zu", l->count + 1);
        if ((st = add_text(l, path, row, strlen(row), &p->id, err)))
            return st;
    }
    if (!good) {
        p->bad = true;
        return add_text(l, path, problem, strlen(problem), &p->problem, err);
    }
    p->from_lon_e7 = (int32_t)llround(v[0] * 1e7);
    p->from_lat_e7 = (int32_t)llround(v[1] * 1e7);
    p->to_lon_e7 = (int32_t)llround(v[2] * 1e7);
    p->to_lat_e7 = (int32_t)llround(v[3] * 1e7);
    return CR_OK;
}

static enum cr_status
find_columns(const char *path, OGRLayerH layer, struct columns *c, struct cr_error *err)
{
    static const char *const id_names[] = { "id", "pair_id", "od_id", NULL };
    static const char *const names[4][6] = {
        { "from_lon", "orig_lon", "origin_lon", "o_lon", "from_x", NULL },
        { "from_lat", "orig_lat", "origin_lat", "o_lat", "from_y", NULL },
        { "to_lon", "dest_lon", "destination_lon", "d_lon", "to_x", NULL },
        { "to_lat", "dest_lat", "destination_lat", "d_lat", "to_y", NULL },
    };
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int *cols[4] = { &c->from_lon, &c->from_lat, &c->to_lon, &c->to_lat };

    c->id = cr_ogr_find_field(defn, id_names);
    for (int k = 0; k < 4; k++)
        *cols[k] = cr_ogr_find_field(defn, names[k]);
    for (int k = 0; k < 4; k++) {
        if (*cols[k] >= 0)
            continue;
        if (cr_ogr_header_is_numeric(defn))
            return cr_error_set(err, CR_EINVAL,
                                "%s: line 1: want a header line with id,from_lon,from_lat,"
                                "to_lon,to_lat columns",
                                path);
        return cr_error_set(err, CR_EINVAL, "%s: no %s column (want %s, %s, %s, %s or %s)", path,
                            names[k][0], names[k][0], names[k][1], names[k][2], names[k][3],
                            names[k][4]);
    }
    return CR_OK;
}

static enum cr_status
read_pairs(const char *path, struct cr_pair_list *out, struct cr_error *err)
{
    static const char *const drivers[] = { "CSV", NULL };
    static const char *const options[] = { "AUTODETECT_TYPE=NO", "HEADERS=YES", NULL };
    struct cr_pair_list l = { 0 };
    struct columns c;
    size_t capacity = 0, empty;
    GDALDatasetH ds = NULL;
    OGRFeatureH f = NULL;
    OGRLayerH layer;
    enum cr_status st;

    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    if (!dot || strcasecmp(dot, ".csv") != 0)
        return cr_error_set(err, CR_EINVAL, "%s: pairs must be a .csv file", path);
    if ((st = cr_ogr_check_file(path, "pairs", err)))
        return st;
    if ((st = add_text(&l, path, "", 0, &empty, err))) /* offset 0: "" */
        return st;

    GDALAllRegister(); /* idempotent */
    CPLErrorReset();
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, drivers,
                    options, NULL);
    if (!ds) {
        st = cr_error_set(err, CR_EFORMAT, "%s: not a CSV file GDAL can read (%s)", path,
                          cr_ogr_message());
        goto fail;
    }
    layer = GDALDatasetGetLayerCount(ds) > 0 ? GDALDatasetGetLayer(ds, 0) : NULL;
    if (!layer) {
        st = cr_error_set(err, CR_EEMPTY, "%s: no pairs", path);
        goto fail;
    }
    if ((st = find_columns(path, layer, &c, err)))
        goto fail;

    OGR_L_ResetReading(layer);
    CPLErrorReset();
    while ((f = OGR_L_GetNextFeature(layer))) {
        if (l.count == capacity) {
            if (capacity >= CR_PAIRS_MAX) {
                st = cr_error_set(err, CR_ENOMEM, "%s: more than %u pairs", path, CR_PAIRS_MAX);
                goto fail;
            }
            size_t grown = capacity ? 2 * capacity : 256;
            if (grown > CR_PAIRS_MAX)
                grown = CR_PAIRS_MAX;
            struct cr_pair *items = realloc(l.items, grown * sizeof *items);
            if (!items) {
                st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
                goto fail;
            }
            l.items = items;
            capacity = grown;
        }
        struct cr_pair *p = &l.items[l.count];
        memset(p, 0, sizeof *p);
        p->line = (uint32_t)(l.count + 2);
        if ((st = read_row(&l, path, &c, f, p, err)))
            goto fail;
        l.count++;
        OGR_F_Destroy(f);
        f = NULL;
        CPLErrorReset();
    }
    if (CPLGetLastErrorType() >= CE_Failure) {
        st = cr_error_set(err, CR_EFORMAT, "%s: after line %zu: %s", path, l.count + 1,
                          cr_ogr_message());
        goto fail;
    }
    if (l.count == 0) {
        st = cr_error_set(err, CR_EEMPTY, "%s: no pairs", path);
        goto fail;
    }
    GDALClose(ds);
    *out = l;
    return CR_OK;
fail:
    if (f)
        OGR_F_Destroy(f);
    if (ds)
        GDALClose(ds);
    cr_pair_list_fini(&l);
    return st;
}

enum cr_status
cr_pairs_read(const char *path, struct cr_pair_list *out, struct cr_error *err)
{
    memset(out, 0, sizeof *out);
    CPLPushErrorHandler(CPLQuietErrorHandler); /* errors go into err, not to stderr */
    enum cr_status st = read_pairs(path, out, err);
    CPLPopErrorHandler();
    return st;
}
