/* Demand from OpenMatrix files, and the choice between OMX and CSV by the file's extension. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "importers/demand/demand.h"
#include "importers/omx/omx.h"

/* The matrix to read: MATRIX, or the file's only one. */
static enum cr_status
choose_matrix(const struct cr_omx *o, const char *path, const char *matrix, const char **out,
              struct cr_error *err)
{
    size_t n = cr_omx_matrix_count(o);
    *out = matrix;
    if (matrix)
        return CR_OK;
    if (n == 1) {
        *out = cr_omx_matrix_name(o, 0);
        return CR_OK;
    }
    if (n == 0)
        return cr_error_set(err, CR_EEMPTY, "%s: no matrix in /data", path);
    return cr_error_set(err, CR_EINVAL, "%s: %zu matrices (%s, %s, ...): say which is the demand",
                        path, n, cr_omx_matrix_name(o, 0), cr_omx_matrix_name(o, 1));
}

/* Trips finite and >= 0; the totals. */
static enum cr_status
check_trips(const char *path, const char *matrix, const char *const *ids, struct cr_demand *d,
            struct cr_error *err)
{
    for (size_t i = 0; i < d->count; i++)
        for (size_t j = 0; j < d->count; j++) {
            double t = d->trips[i * d->count + j];
            if (!isfinite(t) || t < 0)
                return cr_error_set(err, CR_EINVAL,
                                    "%s: matrix \"%s\": trips %g from zone \"%s\" to \"%s\": not "
                                    "a number >= 0",
                                    path, matrix, t, ids[i], ids[j]);
            d->total += t;
            d->rows += t != 0;
        }
    return CR_OK;
}

static enum cr_status
load_open(const struct cr_omx *o, const char *path, const char *matrix, const char *const *ids,
          size_t count, struct cr_demand *out, struct cr_error *err)
{
    enum cr_status st;

    memset(out, 0, sizeof *out);
    if ((st = choose_matrix(o, path, matrix, &matrix, err)))
        return st;
    out->count = count;
    if (count && count > (size_t)-1 / sizeof *out->trips / count)
        return cr_error_set(err, CR_ENOMEM, "%s: %zu zones: too many", path, count);
    if (!(out->trips = calloc(count ? count * count : 1, sizeof *out->trips)))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
    if ((st = cr_omx_read_zones(o, matrix, NULL, ids, count, out->trips, err)) ||
        (st = check_trips(path, matrix, ids, out, err)))
        cr_demand_fini(out);
    return st;
}

enum cr_status
cr_demand_load_omx(const char *path, const char *matrix, const char *const *ids, size_t count,
                   struct cr_demand *out, struct cr_error *err)
{
    struct cr_omx *o = cr_omx_open(path, err);
    enum cr_status st;

    memset(out, 0, sizeof *out);
    if (!o)
        return err ? err->code : CR_EFORMAT;
    st = load_open(o, path, matrix, ids, count, out, err);
    cr_omx_close(o);
    return st;
}

/* The matrix of class NAME: its own, or with one class the only matrix. */
static const char *
class_matrix(const struct cr_omx *o, const char *name, size_t class_count)
{
    for (size_t i = 0; i < cr_omx_matrix_count(o); i++)
        if (!strcmp(cr_omx_matrix_name(o, i), name))
            return name;
    return class_count == 1 ? NULL : name; /* NULL: the only one; else "no matrix NAME" */
}

enum cr_status
cr_demand_load_file(const char *path, const char *const *ids, size_t count,
                    const char *const *classes, size_t class_count, struct cr_demand *out,
                    struct cr_error *err)
{
    const char *base = strrchr(path, '/'), *dot;
    struct cr_omx *o;
    enum cr_status st = CR_OK;

    dot = strrchr(base ? base + 1 : path, '.');
    if (!dot || strcasecmp(dot, ".omx") != 0)
        return cr_demand_load_classes(path, ids, count, classes, class_count, out, err);
    memset(out, 0, class_count * sizeof *out);
    if (!(o = cr_omx_open(path, err)))
        return err ? err->code : CR_EFORMAT;
    for (size_t c = 0; c < class_count && !st; c++)
        st = load_open(o, path, class_matrix(o, classes[c], class_count), ids, count, &out[c], err);
    cr_omx_close(o);
    for (size_t c = 0; st && c < class_count; c++)
        cr_demand_fini(&out[c]);
    return st;
}
