/*
 * Origin-destination pairs from a CSV file, read through spatial/vector (GDAL/OGR's CSV driver) as
 * points.c reads points: every column as text (AUTODETECT_TYPE=NO) so a bad number is named with
 * its line, GDAL's errors copied into err.
 *
 * Rows are line i + 2 (the header is line 1; GDAL skips blank lines, which are not counted). Ids
 * and messages live in one growing text buffer (offset 0 is the empty string), so a million pairs
 * are not a million allocations.
 */
#include "importers/pairs/pairs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ogr_api.h>

#include "spatial/vector.h"

#define MAX_TEXT ((size_t)4 << 30) /* ids and messages: 4 GiB at most */

struct columns {
    int id, from_lon, from_lat, to_lon, to_lat; /* field index or -1 */
    const char *path;
    struct cr_pair_list *list;
    size_t capacity;
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
    if (cr_vector_number_field(f, field, label, path, where, out, &e)) {
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
        const char *id = cr_vector_field_present(f, c->id) ? OGR_F_GetFieldAsString(f, c->id) : "";
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
find_columns(const char *path, OGRFeatureDefnH defn, struct columns *c, struct cr_error *err)
{
    static const char *const id_names[] = { "id", "pair_id", "od_id", NULL };
    static const char *const names[4][6] = {
        { "from_lon", "orig_lon", "origin_lon", "o_lon", "from_x", NULL },
        { "from_lat", "orig_lat", "origin_lat", "o_lat", "from_y", NULL },
        { "to_lon", "dest_lon", "destination_lon", "d_lon", "to_x", NULL },
        { "to_lat", "dest_lat", "destination_lat", "d_lat", "to_y", NULL },
    };
    int *cols[4] = { &c->from_lon, &c->from_lat, &c->to_lon, &c->to_lat };

    c->id = cr_vector_find_field(defn, id_names);
    for (int k = 0; k < 4; k++)
        *cols[k] = cr_vector_find_field(defn, names[k]);
    for (int k = 0; k < 4; k++) {
        if (*cols[k] >= 0)
            continue;
        if (cr_vector_header_is_numeric(defn))
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

/* One row: room for it (up to CR_PAIRS_MAX), then the pair, good or bad. */
static enum cr_status
add_pair(void *user, OGRFeatureH f, size_t index, const char *where, struct cr_error *err)
{
    struct columns *c = user;
    struct cr_pair_list *l = c->list;
    (void)where;
    if (l->count == c->capacity) {
        if (c->capacity >= CR_PAIRS_MAX)
            return cr_error_set(err, CR_ENOMEM, "%s: more than %u pairs", c->path, CR_PAIRS_MAX);
        size_t grown = c->capacity ? 2 * c->capacity : 256;
        if (grown > CR_PAIRS_MAX)
            grown = CR_PAIRS_MAX;
        struct cr_pair *items = realloc(l->items, grown * sizeof *items);
        if (!items)
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", c->path);
        l->items = items;
        c->capacity = grown;
    }
    struct cr_pair *p = &l->items[l->count];
    memset(p, 0, sizeof *p);
    p->line = (uint32_t)(index + 2);
    enum cr_status st = read_row(l, c->path, c, f, p, err);
    if (!st)
        l->count++;
    return st;
}

enum cr_status
cr_pairs_read(const char *path, struct cr_pair_list *out, struct cr_error *err)
{
    static const char *const drivers[] = { "CSV", NULL };
    static const char *const options[] = { "AUTODETECT_TYPE=NO", "HEADERS=YES", NULL };
    static const struct cr_vector_options vo = {
        .what = "pairs",
        .no_layer = "pairs",
        .unreadable = "not a CSV file GDAL can read",
        .drivers = drivers,
        .open_options = options,
    };
    struct cr_pair_list l = { 0 };
    struct columns c = { .path = path, .list = &l };
    struct cr_vector v = { 0 };
    size_t empty;
    enum cr_status st;

    memset(out, 0, sizeof *out);
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    if (!dot || strcasecmp(dot, ".csv") != 0)
        return cr_error_set(err, CR_EINVAL, "%s: pairs must be a .csv file", path);
    if ((st = cr_vector_check_file(path, "pairs", err)))
        return st;
    if ((st = add_text(&l, path, "", 0, &empty, err))) /* offset 0: "" */
        return st;
    if ((st = cr_vector_open(&v, path, &vo, err)) || (st = find_columns(path, v.defn, &c, err)) ||
        (st = cr_vector_each(&v, add_pair, &c, err)))
        goto done;
    if (l.count == 0)
        st = cr_error_set(err, CR_EEMPTY, "%s: no pairs", path);
done:
    cr_vector_close(&v);
    if (st)
        cr_pair_list_fini(&l);
    else
        *out = l;
    return st;
}
