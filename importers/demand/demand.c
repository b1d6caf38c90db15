/* Demand between zones from a CSV file (importers/demand/demand.h gives the format), one line at
 * a time with getline, fields split in place as RFC 4180 quotes them. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "importers/demand/demand.h"

#define MAX_FIELDS 64

void
cr_demand_fini(struct cr_demand *d)
{
    if (!d)
        return;
    free(d->trips);
    memset(d, 0, sizeof *d);
}

/* LINE split in place into at most MAX_FIELDS fields (double quotes as CSV quotes them, a
 * trailing \r dropped); returns how many, or -1 for an unterminated quote. */
static int
split(char *line, char **f)
{
    int n = 0;
    char *p = line, *w;
    size_t len = strlen(line);

    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = 0;
    for (;;) {
        if (n == MAX_FIELDS)
            return n;
        f[n++] = w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            while (*p && *p != ',')
                p++; /* anything after the closing quote is dropped */
        } else {
            while (*p && *p != ',')
                *w++ = *p++;
        }
        int more = *p == ',';
        *w = 0;
        if (!more)
            return n;
        p++;
    }
}

/* The column of header fields F[N] named by one of NAMES; -1 when none. */
static int
column(char **f, int n, const char *const *names)
{
    for (int i = 0; i < n; i++) {
        const char *h = f[i];
        while (*h == ' ')
            h++;
        if (i == 0 && !strncmp(h, "\xef\xbb\xbf", 3))
            h += 3; /* a UTF-8 byte order mark */
        for (const char *const *k = names; *k; k++)
            if (!strcasecmp(h, *k))
                return i;
    }
    return -1;
}

/* The zones' ids sorted once (a scan per row would cost zones x rows). */
struct id_entry {
    const char *id;
    size_t zone;
};

struct id_index {
    struct id_entry *e;
    size_t count;
};

static int
by_id(const void *a, const void *b)
{
    return strcmp(((const struct id_entry *)a)->id, ((const struct id_entry *)b)->id);
}

/* The zone whose id is ID; SIZE_MAX when none. */
static size_t
find_id(const struct id_index *x, const char *id)
{
    size_t lo = 0, hi = x->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(x->e[mid].id, id);
        if (!c)
            return x->e[mid].zone;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* What a file is read against: the zones, the classes (none for cr_demand_load), the columns
 * (origin, destination, trips, class: -1 when there is no class column). */
struct reading {
    const char *path;
    struct id_index x;
    const char *const *classes;
    size_t class_count;
    size_t n_out; /* demands filled: class_count, or 1 without classes */
    int col[4];
};

/* The class of a row's text C: the default (0) when empty. */
static enum cr_status
row_class(const struct reading *r, size_t line, const char *c, size_t *out, struct cr_error *err)
{
    while (*c == ' ')
        c++;
    if (!*c) {
        *out = 0;
        return CR_OK;
    }
    for (size_t i = 0; i < r->class_count; i++)
        if (!strcasecmp(c, r->classes[i])) {
            *out = i;
            return CR_OK;
        }
    return cr_error_set(err, CR_EINVAL, "%s: line %zu: no class \"%s\" (the classes are %s%s)",
                        r->path, line, c, r->classes[0], r->class_count > 1 ? ", ..." : "");
}

/* One data row (fields F[N], line LINE) into OUT. */
static enum cr_status
take_row(const struct reading *r, size_t line, char **f, int n, struct cr_demand *out,
         struct cr_error *err)
{
    const char *path = r->path;
    const int *col = r->col;
    const struct id_index *x = &r->x;
    size_t at[2], cls = 0;
    char *end;
    double trips;
    enum cr_status st;

    for (int k = 0; k < 3; k++)
        if (col[k] >= n)
            return cr_error_set(err, CR_EINVAL, "%s: line %zu: %d fields, want at least %d", path,
                                line, n, col[k] + 1);
    for (int k = 0; k < 2; k++)
        if ((at[k] = find_id(x, f[col[k]])) == SIZE_MAX)
            return cr_error_set(err, CR_EINVAL, "%s: line %zu: no zone \"%s\" in the zones layer",
                                path, line, f[col[k]]);
    errno = 0;
    trips = strtod(f[col[2]], &end);
    while (*end == ' ')
        end++;
    if (end == f[col[2]] || *end || errno || !isfinite(trips) || trips < 0)
        return cr_error_set(err, CR_EINVAL, "%s: line %zu: trips \"%s\": not a number >= 0", path,
                            line, f[col[2]]);
    /* a short row without the class field is of the default class */
    if (col[3] >= 0 && col[3] < n && (st = row_class(r, line, f[col[3]], &cls, err)))
        return st;
    out += cls;
    out->trips[at[0] * out->count + at[1]] += trips;
    out->total += trips;
    out->rows++;
    return CR_OK;
}

/* The header of FP into COL (origin, destination, trips, class when classes are read). */
static enum cr_status
read_header(FILE *fp, const char *path, char **line, size_t *cap, int col[4], int with_class,
            struct cr_error *err)
{
    static const char *const cls[] = { "class", "vehicle_class", "mode", NULL };
    static const char *const origin[] = { "origin", "from", "o", "from_zone", "orig", NULL };
    static const char *const dest[] = { "destination", "to", "d", "to_zone", "dest", NULL };
    static const char *const trips[] = { "trips", "flow", "demand", "count", NULL };
    static const char *const *names[3] = { origin, dest, trips };
    char *f[MAX_FIELDS];
    int n;

    if (getline(line, cap, fp) < 0)
        return cr_error_set(err, CR_EEMPTY, "%s: empty file", path);
    if ((n = split(*line, f)) < 0)
        return cr_error_set(err, CR_EINVAL, "%s: line 1: a quote is not closed", path);
    for (int k = 0; k < 3; k++)
        if ((col[k] = column(f, n, names[k])) < 0)
            return cr_error_set(err, CR_EINVAL, "%s: line 1: no %s column (want %s)", path,
                                names[k][0],
                                k == 0   ? "origin, from, o or from_zone"
                                : k == 1 ? "destination, to, d or to_zone"
                                         : "trips, flow, demand or count");
    col[3] = with_class ? column(f, n, cls) : -1;
    return CR_OK;
}

static enum cr_status
read_rows(FILE *fp, struct reading *r, struct cr_demand *out, struct cr_error *err)
{
    const char *path = r->path;
    char *line = NULL, *f[MAX_FIELDS];
    size_t cap = 0, no = 1;
    int n;
    enum cr_status st = read_header(fp, path, &line, &cap, r->col, r->class_count > 0, err);

    while (!st && getline(&line, &cap, fp) >= 0) {
        no++;
        if (line[strspn(line, " \t\r\n")] == 0)
            continue; /* a blank line */
        if ((n = split(line, f)) < 0)
            st = cr_error_set(err, CR_EINVAL, "%s: line %zu: a quote is not closed", path, no);
        else
            st = take_row(r, no, f, n, out, err);
    }
    if (!st && ferror(fp))
        st = cr_error_set(err, CR_EIO, "%s: %s", path, strerror(errno));
    size_t rows = 0;
    for (size_t c = 0; c < r->n_out; c++)
        rows += out[c].rows;
    if (!st && rows == 0)
        st = cr_error_set(err, CR_EEMPTY, "%s: no trips (a header and no rows)", path);
    free(line);
    return st;
}

enum cr_status
cr_demand_load_classes(const char *path, const char *const *ids, size_t count,
                       const char *const *classes, size_t class_count, struct cr_demand *out,
                       struct cr_error *err)
{
    struct reading r = { path,
                         { NULL, count },
                         classes,
                         class_count,
                         class_count ? class_count : 1,
                         { -1, -1, -1, -1 } };
    struct id_index *x = &r.x;
    enum cr_status st = CR_OK;
    int nomem = 0;
    FILE *fp;

    memset(out, 0, r.n_out * sizeof *out);
    if (count && count > SIZE_MAX / sizeof *out->trips / count)
        return cr_error_set(err, CR_ENOMEM, "%s: %zu zones: too many", path, count);
    for (size_t c = 0; c < r.n_out; c++) {
        out[c].count = count;
        out[c].trips = calloc(count ? count * count : 1, sizeof *out->trips);
        nomem |= !out[c].trips;
    }
    x->e = malloc((count ? count : 1) * sizeof *x->e);
    if (nomem || !x->e) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    for (size_t i = 0; i < count; i++)
        x->e[i] = (struct id_entry){ ids[i], i };
    qsort(x->e, count, sizeof *x->e, by_id);
    for (size_t i = 1; i < count; i++)
        if (!strcmp(x->e[i].id, x->e[i - 1].id)) {
            st = cr_error_set(err, CR_EINVAL,
                              "%s: two zones have the id \"%s\": a demand table cannot say which "
                              "(give --name-field a field unique per zone)",
                              path, x->e[i].id);
            goto done;
        }
    if (!(fp = fopen(path, "r"))) {
        st = cr_error_set(err, CR_EIO, "%s: %s", path, strerror(errno));
        goto done;
    }
    st = read_rows(fp, &r, out, err);
    fclose(fp);
done:
    free(x->e);
    for (size_t c = 0; st && c < r.n_out; c++)
        cr_demand_fini(&out[c]);
    return st;
}

enum cr_status
cr_demand_load(const char *path, const char *const *ids, size_t count, struct cr_demand *out,
               struct cr_error *err)
{
    return cr_demand_load_classes(path, ids, count, NULL, 0, out, err);
}
