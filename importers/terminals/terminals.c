/*
 * Terminals from a GeoJSON or CSV file, read through spatial/vector (GDAL/OGR; no JSON or CSV
 * parsing of our own). GDAL's errors are copied into err, never printed.
 *
 * Places in messages: a CSV row is "line N" (the header is line 1, so feature i is line i + 2), a
 * GeoJSON feature is "feature N", counted from 1.
 */
#include "importers/terminals/terminals.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ogr_api.h>

#include "spatial/ctx.h"
#include "spatial/vector.h"

#define MAX_TERMINALS 1000000u    /* growth ceiling: input cannot raise it */
#define MAX_HANDLING 4294967294.0 /* largest value below CR_TERMINAL_DEFAULT */
#define SEPARATORS ",;| \t"
#define JSON_SEPARATORS SEPARATORS "[]\"\r\n" /* a JSON array as GDAL writes it: [ "rail" ] */

/* What one read needs to know about the open file. */
struct reader {
    const char *path;
    bool csv;
    int name, lon, lat, modes, kind, handling_time, handling_cost; /* field index or -1 */
    PJ *to_wgs84;                                                  /* NULL: already WGS84 */
    struct cr_terminal_list *list;
    size_t capacity;
};

static int
mode_bit(const char *word, size_t len)
{
    static const struct {
        const char *word;
        int group;
    } words[] = {
        { "road", CR_GROUP_ROAD },   { "truck", CR_GROUP_ROAD },  { "rail", CR_GROUP_RAIL },
        { "train", CR_GROUP_RAIL },  { "water", CR_GROUP_WATER }, { "barge", CR_GROUP_WATER },
        { "river", CR_GROUP_WATER }, { "ship", CR_GROUP_WATER },
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].word) == len && strncasecmp(words[i].word, word, len) == 0)
            return 1 << words[i].group;
    return 0;
}

/* ORs the modes of TEXT, words between SEPS, into *modes and counts its words into *words. */
static enum cr_status
add_modes(const char *text, const char *seps, uint8_t *modes, size_t *words, struct cr_error *err)
{
    const char *p = text;
    for (;;) {
        p += strspn(p, seps);
        if (*p == '\0')
            return CR_OK;
        size_t len = strcspn(p, seps);
        int bit = mode_bit(p, len);
        if (!bit)
            return cr_error_set(err, CR_EINVAL, "unknown mode \"%.*s\" (want road, rail, water)",
                                len > 40 ? 40 : (int)len, p);
        *modes |= (uint8_t)bit;
        (*words)++;
        p += len;
    }
}

enum cr_status
cr_terminals_parse_modes(const char *text, uint8_t *modes, struct cr_error *err)
{
    uint8_t m = 0;
    size_t words = 0;
    *modes = 0;
    if (!text)
        return cr_error_set(err, CR_EINVAL, "no modes");
    enum cr_status st = add_modes(text, SEPARATORS, &m, &words, err);
    if (st)
        return st;
    if (words == 0)
        return cr_error_set(err, CR_EINVAL, "no modes");
    *modes = (uint8_t)(m | 1u << CR_GROUP_ROAD);
    return CR_OK;
}

void
cr_terminal_list_fini(struct cr_terminal_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].name);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* Reads the modes field: text ("rail,water") or, in GeoJSON, an array of texts. */
static enum cr_status
read_modes(const struct reader *r, OGRFeatureH f, const char *where, uint8_t *modes,
           struct cr_error *err)
{
    struct cr_error e = { CR_OK, "" };
    uint8_t m = 0;
    size_t words = 0;
    if (!cr_vector_field_present(f, r->modes))
        return cr_error_set(err, CR_EINVAL, "%s: %s: no modes", r->path, where);
    OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(f, r->modes);
    if (OGR_Fld_GetType(fd) == OFTStringList) {
        char **list = OGR_F_GetFieldAsStringList(f, r->modes); /* owned by the feature */
        for (; list && *list; list++)
            if (add_modes(*list, SEPARATORS, &m, &words, &e))
                goto bad;
    } else if (OGR_Fld_GetType(fd) == OFTString) {
        /* GDAL keeps JSON text when the features disagree on the type, e.g. [] beside ["rail"] */
        const char *seps = OGR_Fld_GetSubType(fd) == OFSTJSON ? JSON_SEPARATORS : SEPARATORS;
        if (add_modes(OGR_F_GetFieldAsString(f, r->modes), seps, &m, &words, &e))
            goto bad;
    } else {
        return cr_error_set(err, CR_EINVAL, "%s: %s: modes %s is not text", r->path, where,
                            OGR_F_GetFieldAsString(f, r->modes));
    }
    if (words == 0)
        return cr_error_set(err, CR_EINVAL, "%s: %s: no modes", r->path, where);
    *modes = (uint8_t)(m | 1u << CR_GROUP_ROAD);
    return CR_OK;
bad:
    return cr_error_set(err, e.code, "%s: %s: %s", r->path, where, e.msg);
}

/* Reads an optional handling field: a number >= 0, rounded; absent or empty is the default. */
static enum cr_status
read_handling(const struct reader *r, OGRFeatureH f, int field, const char *label,
              const char *where, uint32_t *out, struct cr_error *err)
{
    double x;
    *out = CR_TERMINAL_DEFAULT;
    if (!cr_vector_field_present(f, field))
        return CR_OK;
    const char *text = OGR_F_GetFieldAsString(f, field);
    switch (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, field))) {
    case OFTInteger:
    case OFTInteger64:
        x = (double)OGR_F_GetFieldAsInteger64(f, field);
        break;
    case OFTReal:
        x = OGR_F_GetFieldAsDouble(f, field);
        if (isnan(x))
            goto not_number;
        break;
    case OFTString:
        if (cr_vector_is_blank(text))
            return CR_OK;
        if (!cr_vector_parse_number(text, &x))
            goto not_number;
        break;
    default:
        goto not_number;
    }
    if (x < 0)
        return cr_error_set(err, CR_EINVAL, "%s: %s: %s %s is negative", r->path, where, label,
                            text);
    if (!(x <= MAX_HANDLING))
        return cr_error_set(err, CR_EINVAL, "%s: %s: %s %s is too large", r->path, where, label,
                            text);
    *out = (uint32_t)llround(x);
    return CR_OK;
not_number:
    return cr_error_set(err, CR_EINVAL, "%s: %s: %s \"%s\" is not a number", r->path, where, label,
                        text);
}

static enum cr_status
read_kind(const struct reader *r, OGRFeatureH f, const char *where, uint8_t *kind,
          struct cr_error *err)
{
    static const struct {
        const char *word;
        enum cr_terminal_kind kind;
    } kinds[] = {
        { "station", CR_TERMINAL_RAIL_STATION },
        { "yard", CR_TERMINAL_RAIL_YARD },
        { "port", CR_TERMINAL_PORT },
        { "quay", CR_TERMINAL_QUAY },
        { "icd", CR_TERMINAL_ICD },
        { "other", CR_TERMINAL_OTHER },
    };
    *kind = CR_TERMINAL_ICD;
    if (!cr_vector_field_present(f, r->kind))
        return CR_OK;
    const char *text = OGR_F_GetFieldAsString(f, r->kind);
    const char *p = text + strspn(text, " \t\r\n");
    size_t len = strcspn(p, " \t\r\n");
    if (len == 0)
        return CR_OK;
    if (cr_vector_is_blank(p + len))
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (strlen(kinds[i].word) == len && strncasecmp(kinds[i].word, p, len) == 0) {
                *kind = (uint8_t)kinds[i].kind;
                return CR_OK;
            }
    return cr_error_set(err, CR_EINVAL,
                        "%s: %s: kind \"%.40s\" unknown (want station, yard, port, quay, icd, "
                        "other)",
                        r->path, where, text);
}

static enum cr_status
read_feature(const struct reader *r, OGRFeatureH f, const char *where, struct cr_terminal_input *t,
             struct cr_error *err)
{
    double lon = 0.0, lat = 0.0;
    enum cr_status st;
    if (!cr_vector_field_present(f, r->name) ||
        cr_vector_is_blank(OGR_F_GetFieldAsString(f, r->name)))
        return cr_error_set(err, CR_EINVAL, "%s: %s: no name", r->path, where);
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
    if ((st = read_modes(r, f, where, &t->modes, err)) ||
        (st = read_kind(r, f, where, &t->kind, err)) ||
        (st = read_handling(r, f, r->handling_time, "handling_time", where, &t->handling_time_s,
                            err)) ||
        (st =
             read_handling(r, f, r->handling_cost, "handling_cost", where, &t->handling_cost, err)))
        return st;
    t->lon_e7 = (int32_t)llround(lon * 1e7);
    t->lat_e7 = (int32_t)llround(lat * 1e7);
    t->name = cr_vector_trimmed_copy(OGR_F_GetFieldAsString(f, r->name));
    if (!t->name)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
    return CR_OK;
}

/* Looks up the columns; CSV needs name, lon and lat. */
static enum cr_status
find_fields(struct reader *r, OGRFeatureDefnH defn, struct cr_error *err)
{
    static const char *const name_names[] = { "name", NULL };
    static const char *const lon_names[] = { "lon", "longitude", "x", NULL };
    static const char *const lat_names[] = { "lat", "latitude", "y", NULL };
    static const char *const modes_names[] = { "modes", NULL };
    static const char *const kind_names[] = { "kind", NULL };
    static const char *const time_names[] = { "handling_time", NULL };
    static const char *const cost_names[] = { "handling_cost", NULL };
    r->name = cr_vector_find_field(defn, name_names);
    r->lon = cr_vector_find_field(defn, lon_names);
    r->lat = cr_vector_find_field(defn, lat_names);
    r->modes = cr_vector_find_field(defn, modes_names);
    r->kind = cr_vector_find_field(defn, kind_names);
    r->handling_time = cr_vector_find_field(defn, time_names);
    r->handling_cost = cr_vector_find_field(defn, cost_names);
    if (!r->csv)
        return CR_OK;
    if (r->name < 0)
        return cr_error_set(err, CR_EINVAL, "%s: no name column", r->path);
    if (r->lon < 0)
        return cr_error_set(err, CR_EINVAL, "%s: no lon column (want lon, longitude or x)",
                            r->path);
    if (r->lat < 0)
        return cr_error_set(err, CR_EINVAL, "%s: no lat column (want lat, latitude or y)", r->path);
    return CR_OK;
}

/* One feature: room for it (up to MAX_TERMINALS), then the terminal. */
static enum cr_status
add_terminal(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    struct reader *r = user;
    struct cr_terminal_list *list = r->list;
    (void)index;
    if (list->count == r->capacity) {
        if (r->capacity >= MAX_TERMINALS)
            return cr_error_set(err, CR_ENOMEM, "%s: more than %u terminals", r->path,
                                MAX_TERMINALS);
        size_t grown = r->capacity ? 2 * r->capacity : 16;
        struct cr_terminal_input *items = realloc(list->items, grown * sizeof *items);
        if (!items)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", r->path);
        list->items = items;
        r->capacity = grown;
    }
    struct cr_terminal_input *t = &list->items[list->count];
    memset(t, 0, sizeof *t);
    enum cr_status st = read_feature(r, f, where, t, err);
    if (!st)
        list->count++;
    return st;
}

enum cr_status
cr_terminals_read(const char *path, struct cr_terminal_list *out, struct cr_error *err)
{
    static const struct cr_point_file_options po = {
        .what = "terminals",
        .extensions = "terminals must be .geojson, .json or .csv",
        .unreadable_csv = "not a GeoJSON or CSV file GDAL can read",
        .unreadable_geojson = "not a GeoJSON or CSV file GDAL can read",
    };
    struct cr_terminal_list list = { NULL, 0 };
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
        !(st = cr_vector_each(&pf.v, add_terminal, &r, err)) && list.count == 0)
        st = cr_error_set(err, CR_EEMPTY, "%s: no terminals", path);
    cr_point_file_close(&pf);
    if (st)
        cr_terminal_list_fini(&list);
    else
        *out = list;
    return st;
}
