/*
 * OMX through libhdf5's C API. HDF5 prints its error stack by default: every entry point turns
 * that off (H5Eset_auto2) and reports its own message naming the file and the matrix.
 */
#include "importers/omx/omx.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "core/atomic.h"

#define MAX_CELLS ((size_t)1 << 31) /* rows x cols a matrix may have */

struct cr_omx {
    char *path;
    hid_t file;
    uint32_t rows, cols;
    char **matrices, **lookups; /* names, each its own allocation */
    size_t matrix_count, lookup_count;
};

static void
quiet(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void
free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

void
cr_omx_close(struct cr_omx *o)
{
    if (!o)
        return;
    if (o->file >= 0)
        H5Fclose(o->file);
    free_names(o->matrices, o->matrix_count);
    free_names(o->lookups, o->lookup_count);
    free(o->path);
    free(o);
}

uint32_t
cr_omx_rows(const struct cr_omx *o)
{
    return o->rows;
}

uint32_t
cr_omx_cols(const struct cr_omx *o)
{
    return o->cols;
}

size_t
cr_omx_matrix_count(const struct cr_omx *o)
{
    return o->matrix_count;
}

const char *
cr_omx_matrix_name(const struct cr_omx *o, size_t i)
{
    return o->matrices[i];
}

size_t
cr_omx_lookup_count(const struct cr_omx *o)
{
    return o->lookup_count;
}

const char *
cr_omx_lookup_name(const struct cr_omx *o, size_t i)
{
    return o->lookups[i];
}

/* The names of group GROUP's members; a missing group gives none (*present = 0). -1 on error. */
static int
list_group(hid_t file, const char *group, char ***names, size_t *count, int *present)
{
    H5G_info_t info;
    hid_t g;

    *names = NULL;
    *count = 0;
    *present = H5Lexists(file, group, H5P_DEFAULT) > 0;
    if (!*present)
        return 0;
    if ((g = H5Gopen2(file, group, H5P_DEFAULT)) < 0)
        return -1;
    if (H5Gget_info(g, &info) < 0 || !(*names = calloc(info.nlinks + 1, sizeof **names))) {
        H5Gclose(g);
        return -1;
    }
    for (hsize_t i = 0; i < info.nlinks; i++) {
        ssize_t n = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, NULL, 0, H5P_DEFAULT);
        if (n < 0 || !((*names)[i] = malloc((size_t)n + 1)) ||
            H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, (*names)[i], (size_t)n + 1,
                               H5P_DEFAULT) < 0) {
            free_names(*names, (size_t)i + 1);
            *names = NULL;
            H5Gclose(g);
            return -1;
        }
        (*count)++;
    }
    H5Gclose(g);
    return 0;
}

/* The root attribute SHAPE: two integers >= 1. */
static enum cr_status
read_shape(struct cr_omx *o, struct cr_error *err)
{
    long long shape[2];
    hid_t a = H5Aopen(o->file, "SHAPE", H5P_DEFAULT), s = a >= 0 ? H5Aget_space(a) : -1;
    int ok =
        s >= 0 && H5Sget_simple_extent_npoints(s) == 2 && H5Aread(a, H5T_NATIVE_LLONG, shape) >= 0;

    if (s >= 0)
        H5Sclose(s);
    if (a >= 0)
        H5Aclose(a);
    if (!ok)
        return cr_error_set(err, CR_EFORMAT, "%s: not an OMX file: SHAPE is not two integers",
                            o->path);
    if (shape[0] < 1 || shape[1] < 1 || shape[0] > UINT32_MAX || shape[1] > UINT32_MAX ||
        (size_t)shape[0] * (size_t)shape[1] > MAX_CELLS)
        return cr_error_set(err, CR_EFORMAT, "%s: SHAPE %lldx%lld out of range", o->path, shape[0],
                            shape[1]);
    o->rows = (uint32_t)shape[0];
    o->cols = (uint32_t)shape[1];
    return CR_OK;
}

static enum cr_status
check_omx(struct cr_omx *o, struct cr_error *err)
{
    enum cr_status st;
    int present;

    if (H5Aexists(o->file, "OMX_VERSION") <= 0)
        return cr_error_set(err, CR_EFORMAT, "%s: not an OMX file (HDF5 without OMX_VERSION)",
                            o->path);
    if (H5Aexists(o->file, "SHAPE") <= 0)
        return cr_error_set(err, CR_EFORMAT, "%s: not an OMX file: no SHAPE attribute", o->path);
    if ((st = read_shape(o, err)))
        return st;
    if (list_group(o->file, "data", &o->matrices, &o->matrix_count, &present))
        return cr_error_set(err, CR_EFORMAT, "%s: cannot list /data", o->path);
    if (!present)
        return cr_error_set(err, CR_EFORMAT, "%s: not an OMX file: no /data group", o->path);
    if (list_group(o->file, "lookup", &o->lookups, &o->lookup_count, &present))
        return cr_error_set(err, CR_EFORMAT, "%s: cannot list /lookup", o->path);
    return CR_OK;
}

struct cr_omx *
cr_omx_open(const char *path, struct cr_error *err)
{
    struct cr_omx *o;
    FILE *f;

    quiet();
    if (!(f = fopen(path, "rb"))) {
        cr_error_set(err, CR_EIO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    fclose(f);
    if (H5Fis_hdf5(path) <= 0) {
        cr_error_set(err, CR_EFORMAT, "%s: not an HDF5 file (an OMX file is HDF5)", path);
        return NULL;
    }
    if (!(o = calloc(1, sizeof *o)) || !(o->path = strdup(path))) {
        free(o);
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
        return NULL;
    }
    o->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (o->file < 0) {
        cr_error_set(err, CR_EFORMAT, "%s: HDF5 cannot open it", path);
        goto fail;
    }
    if (check_omx(o, err))
        goto fail;
    return o;
fail:
    cr_omx_close(o);
    return NULL;
}

/* Opens GROUP/NAME as a dataset of RANK dimensions into *d (dims into DIMS). */
static enum cr_status
open_dataset(const struct cr_omx *o, const char *group, const char *name, int rank, hid_t *d,
             hsize_t *dims, struct cr_error *err)
{
    const char *what = rank == 2 ? "matrix" : "lookup";
    char full[512];
    hid_t s;
    int ok;

    if (strchr(name, '/') || snprintf(full, sizeof full, "/%s/%s", group, name) >= (int)sizeof full)
        return cr_error_set(err, CR_ENOTFOUND, "%s: no %s \"%s\"", o->path, what, name);
    if (H5Lexists(o->file, group, H5P_DEFAULT) <= 0 || H5Lexists(o->file, full, H5P_DEFAULT) <= 0)
        return cr_error_set(err, CR_ENOTFOUND, "%s: no %s \"%s\" (in /%s)", o->path, what, name,
                            group);
    if ((*d = H5Dopen2(o->file, full, H5P_DEFAULT)) < 0)
        return cr_error_set(err, CR_EFORMAT, "%s: %s \"%s\" is not a dataset", o->path, what, name);
    s = H5Dget_space(*d);
    ok = s >= 0 && H5Sget_simple_extent_ndims(s) == rank &&
         H5Sget_simple_extent_dims(s, dims, NULL) == rank;
    if (s >= 0)
        H5Sclose(s);
    if (!ok) {
        H5Dclose(*d);
        return cr_error_set(err, CR_EFORMAT, "%s: %s \"%s\" is not %d-dimensional", o->path, what,
                            name, rank);
    }
    return CR_OK;
}

enum cr_status
cr_omx_read(const struct cr_omx *o, const char *name, double *out, struct cr_error *err)
{
    hsize_t dims[2];
    hid_t d, t;
    H5T_class_t c;
    enum cr_status st;

    quiet();
    if ((st = open_dataset(o, "data", name, 2, &d, dims, err)))
        return st;
    if (dims[0] != o->rows || dims[1] != o->cols) {
        H5Dclose(d);
        return cr_error_set(err, CR_EFORMAT, "%s: matrix \"%s\" is %llux%llu, SHAPE %ux%u", o->path,
                            name, (unsigned long long)dims[0], (unsigned long long)dims[1], o->rows,
                            o->cols);
    }
    t = H5Dget_type(d);
    c = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    if (t >= 0)
        H5Tclose(t);
    if (c != H5T_INTEGER && c != H5T_FLOAT)
        st = cr_error_set(err, CR_EFORMAT, "%s: matrix \"%s\" is not numbers", o->path, name);
    else if (H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
        st = cr_error_set(err, CR_EFORMAT, "%s: matrix \"%s\": HDF5 cannot read it", o->path, name);
    H5Dclose(d);
    return st;
}

/* N strings of TEXT (each NUL-terminated, LEN bytes in all) as one allocation of pointers
 * followed by the text. */
static char **
pack(const char *text, size_t len, size_t n)
{
    char **ids = malloc(n * sizeof *ids + len + 1), *p;
    if (!ids)
        return NULL;
    p = memcpy((char *)(ids + n), text, len);
    for (size_t i = 0; i < n; i++) {
        ids[i] = p;
        p += strlen(p) + 1;
    }
    return ids;
}

/* Appends S (surrounding blanks trimmed) and a NUL to BUF at *len. */
static int
append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\0'))
        n--;
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 256;
        while (c < *len + n + 1)
            c *= 2;
        char *b = realloc(*buf, c);
        if (!b)
            return -1;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    (*buf)[*len + n] = '\0';
    *len += n + 1;
    return 0;
}

/* Dataset D of N entries and class C as text into *text (LEN bytes). -1 on failure. */
static int
lookup_text(hid_t d, H5T_class_t c, size_t n, char **text, size_t *len)
{
    size_t cap = 0;
    char num[32];
    int rc = -1;

    *text = NULL;
    *len = 0;
    if (c == H5T_INTEGER || c == H5T_FLOAT) {
        int integer = c == H5T_INTEGER;
        void *v = malloc((n ? n : 1) * 8);
        if (v && H5Dread(d, integer ? H5T_NATIVE_LLONG : H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                         H5P_DEFAULT, v) >= 0) {
            rc = 0;
            for (size_t i = 0; i < n && !rc; i++) {
                int k = integer ? snprintf(num, sizeof num, "%lld", ((long long *)v)[i])
                                : snprintf(num, sizeof num, "%.17g", ((double *)v)[i]);
                rc = append(text, len, &cap, num, (size_t)k);
            }
        }
        free(v);
        return rc;
    }
    hid_t ft = H5Dget_type(d), mt = H5Tcopy(H5T_C_S1);
    if (ft >= 0 && mt >= 0 && H5Tis_variable_str(ft) > 0) {
        char **v = calloc(n ? n : 1, sizeof *v);
        hid_t s = H5Dget_space(d);
        if (v && s >= 0 && H5Tset_size(mt, H5T_VARIABLE) >= 0 &&
            H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
            rc = 0;
            for (size_t i = 0; i < n && !rc; i++)
                rc = append(text, len, &cap, v[i] ? v[i] : "", v[i] ? strlen(v[i]) : 0);
            H5Dvlen_reclaim(mt, s, H5P_DEFAULT, v);
        }
        if (s >= 0)
            H5Sclose(s);
        free(v);
    } else if (ft >= 0 && mt >= 0) {
        size_t w = H5Tget_size(ft);
        char *v = malloc((n ? n : 1) * (w + 1));
        if (v && w > 0 && H5Tset_size(mt, w + 1) >= 0 && H5Tset_strpad(mt, H5T_STR_NULLTERM) >= 0 &&
            H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
            rc = 0;
            for (size_t i = 0; i < n && !rc; i++)
                rc = append(text, len, &cap, v + i * (w + 1), strnlen(v + i * (w + 1), w));
        }
        free(v);
    }
    if (ft >= 0)
        H5Tclose(ft);
    if (mt >= 0)
        H5Tclose(mt);
    return rc;
}

enum cr_status
cr_omx_read_lookup(const struct cr_omx *o, const char *name, char ***ids, size_t *count,
                   struct cr_error *err)
{
    hsize_t dims[1];
    hid_t d, t;
    H5T_class_t c;
    enum cr_status st;
    char *text = NULL;
    size_t len = 0;

    quiet();
    *ids = NULL;
    *count = 0;
    if ((st = open_dataset(o, "lookup", name, 1, &d, dims, err)))
        return st;
    t = H5Dget_type(d);
    c = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    if (t >= 0)
        H5Tclose(t);
    if (c != H5T_INTEGER && c != H5T_FLOAT && c != H5T_STRING)
        st = cr_error_set(err, CR_EFORMAT, "%s: lookup \"%s\" is neither numbers nor text", o->path,
                          name);
    else if (lookup_text(d, c, (size_t)dims[0], &text, &len))
        st = cr_error_set(err, CR_EFORMAT, "%s: lookup \"%s\": HDF5 cannot read it", o->path, name);
    else if (!(*ids = pack(text, len, (size_t)dims[0])))
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
    else
        *count = (size_t)dims[0];
    free(text);
    H5Dclose(d);
    return st;
}

struct zone_entry {
    const char *id;
    size_t zone;
};

static int
by_id(const void *a, const void *b)
{
    return strcmp(((const struct zone_entry *)a)->id, ((const struct zone_entry *)b)->id);
}

/* MAP[k]: our zone of the file's zone k, through lookup LOOKUP (FILE_IDS[n]). */
static enum cr_status
map_zones(const struct cr_omx *o, const char *lookup, char **file_ids, size_t n,
          const char *const *ids, size_t count, size_t *map, struct cr_error *err)
{
    struct zone_entry *e = malloc((count ? count : 1) * sizeof *e);
    char *used = calloc(count ? count : 1, 1);
    enum cr_status st = CR_OK;

    if (!e || !used) {
        free(e);
        free(used);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
    }
    for (size_t i = 0; i < count; i++)
        e[i] = (struct zone_entry){ ids[i], i };
    qsort(e, count, sizeof *e, by_id);
    for (size_t k = 0; k < n && !st; k++) {
        struct zone_entry key = { file_ids[k], 0 };
        const struct zone_entry *hit = bsearch(&key, e, count, sizeof *e, by_id);
        if (!hit)
            st = cr_error_set(err, CR_EINVAL, "%s: lookup \"%s\": zone \"%s\" is none of ours",
                              o->path, lookup, file_ids[k]);
        else if (used[hit->zone]++)
            st = cr_error_set(err, CR_EFORMAT, "%s: lookup \"%s\": zone \"%s\" twice", o->path,
                              lookup, file_ids[k]);
        else
            map[k] = hit->zone;
    }
    free(e);
    free(used);
    return st;
}

/* Which lookup maps the file: LOOKUP, or the only one, or none (*out NULL). */
static enum cr_status
choose_lookup(const struct cr_omx *o, const char *lookup, const char **out, struct cr_error *err)
{
    *out = lookup;
    if (lookup)
        return CR_OK;
    if (o->lookup_count > 1)
        return cr_error_set(err, CR_EINVAL, "%s: %zu lookups (%s, %s, ...): say which maps zones",
                            o->path, o->lookup_count, o->lookups[0], o->lookups[1]);
    *out = o->lookup_count ? o->lookups[0] : NULL;
    return CR_OK;
}

enum cr_status
cr_omx_read_zones(const struct cr_omx *o, const char *name, const char *lookup,
                  const char *const *ids, size_t count, double *out, struct cr_error *err)
{
    size_t n = o->rows, *map = NULL, file_count = 0;
    char **file_ids = NULL;
    double *m = NULL;
    enum cr_status st;

    if (o->rows != o->cols)
        return cr_error_set(err, CR_EFORMAT, "%s: SHAPE %ux%u is not square", o->path, o->rows,
                            o->cols);
    if ((st = choose_lookup(o, lookup, &lookup, err)))
        return st;
    if (!lookup) {
        if (n != count)
            return cr_error_set(err, CR_EINVAL, "%s: %zu zones and no lookup, but we have %zu",
                                o->path, n, count);
        return cr_omx_read(o, name, out, err);
    }
    if ((st = cr_omx_read_lookup(o, lookup, &file_ids, &file_count, err)))
        return st;
    if (file_count != n) {
        st = cr_error_set(err, CR_EFORMAT, "%s: lookup \"%s\" has %zu ids, SHAPE %zu", o->path,
                          lookup, file_count, n);
        goto done;
    }
    map = malloc((n ? n : 1) * sizeof *map);
    m = malloc(n * n * sizeof *m);
    if (!map || !m) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", o->path);
        goto done;
    }
    if ((st = map_zones(o, lookup, file_ids, n, ids, count, map, err)) ||
        (st = cr_omx_read(o, name, m, err)))
        goto done;
    memset(out, 0, count * count * sizeof *out);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            out[map[i] * count + map[j]] = m[i * n + j];
done:
    free(file_ids);
    free(map);
    free(m);
    return st;
}

/* ---- writing -------------------------------------------------------------------------- */

static int
write_root_attributes(hid_t f, uint32_t zones)
{
    int32_t shape[2] = { (int32_t)zones, (int32_t)zones };
    hsize_t two = 2;
    hid_t st = H5Tcopy(H5T_C_S1), s1 = H5Screate(H5S_SCALAR), s2 = H5Screate_simple(1, &two, NULL);
    hid_t a1 = -1, a2 = -1;
    int ok = st >= 0 && s1 >= 0 && s2 >= 0 && H5Tset_size(st, 3) >= 0 &&
             H5Tset_strpad(st, H5T_STR_NULLPAD) >= 0 &&
             (a1 = H5Acreate2(f, "OMX_VERSION", st, s1, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Awrite(a1, st, "0.2") >= 0 &&
             (a2 = H5Acreate2(f, "SHAPE", H5T_STD_I32LE, s2, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Awrite(a2, H5T_NATIVE_INT32, shape) >= 0;
    if (a1 >= 0)
        H5Aclose(a1);
    if (a2 >= 0)
        H5Aclose(a2);
    if (s1 >= 0)
        H5Sclose(s1);
    if (s2 >= 0)
        H5Sclose(s2);
    if (st >= 0)
        H5Tclose(st);
    return ok ? 0 : -1;
}

/* Matrix M in group G: float64, chunked by rows (about 1 MiB a chunk), deflate level 1. */
static int
write_matrix(hid_t g, uint32_t zones, const struct cr_omx_matrix *m)
{
    hsize_t dims[2] = { zones, zones }, chunk[2] = { 1, zones };
    hid_t s = H5Screate_simple(2, dims, NULL), p = H5Pcreate(H5P_DATASET_CREATE), d = -1;
    int ok;

    chunk[0] = zones < 131072 ? 131072 / zones : 1;
    if (chunk[0] > zones)
        chunk[0] = zones;
    ok = s >= 0 && p >= 0 && H5Pset_chunk(p, 2, chunk) >= 0 &&
         (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0 || H5Pset_deflate(p, 1) >= 0) &&
         (d = H5Dcreate2(g, m->name, H5T_IEEE_F64LE, s, H5P_DEFAULT, p, H5P_DEFAULT)) >= 0 &&
         H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m->data) >= 0;
    if (d >= 0)
        H5Dclose(d);
    if (p >= 0)
        H5Pclose(p);
    if (s >= 0)
        H5Sclose(s);
    return ok ? 0 : -1;
}

/* Every id an integer that fits int64: then *v holds them. */
static int
integer_ids(const char *const *ids, uint32_t n, long long *v)
{
    for (uint32_t i = 0; i < n; i++) {
        char *end;
        errno = 0;
        v[i] = strtoll(ids[i], &end, 10);
        if (!*ids[i] || *end || errno || (ids[i][0] == '0' && ids[i][1]) || ids[i][0] == '+')
            return 0; /* "007" or "+7" would not read back as written */
    }
    return 1;
}

static int
write_lookup(hid_t g, const char *name, const char *const *ids, uint32_t n)
{
    hsize_t dims[1] = { n };
    hid_t s = H5Screate_simple(1, dims, NULL), t = -1, d = -1;
    long long *v = malloc((size_t)n * sizeof *v);
    char *text = NULL;
    int ok = 0;

    if (s >= 0 && v && integer_ids(ids, n, v)) {
        ok = (d = H5Dcreate2(g, name, H5T_STD_I64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) >=
                 0 &&
             H5Dwrite(d, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
    } else if (s >= 0 && v) {
        size_t w = 1;
        for (uint32_t i = 0; i < n; i++)
            if (strlen(ids[i]) > w)
                w = strlen(ids[i]);
        if ((text = calloc(n, w)))
            for (uint32_t i = 0; i < n; i++)
                memcpy(text + (size_t)i * w, ids[i], strlen(ids[i]));
        ok = text && (t = H5Tcopy(H5T_C_S1)) >= 0 && H5Tset_size(t, w) >= 0 &&
             H5Tset_strpad(t, H5T_STR_NULLPAD) >= 0 &&
             (d = H5Dcreate2(g, name, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) >= 0;
    }
    if (d >= 0)
        H5Dclose(d);
    if (t >= 0)
        H5Tclose(t);
    if (s >= 0)
        H5Sclose(s);
    free(v);
    free(text);
    return ok ? 0 : -1;
}

/* The whole file at TMP; a message into ERR naming PATH on failure. */
static enum cr_status
write_file(const char *tmp, const char *path, uint32_t zones, const struct cr_omx_matrix *m,
           size_t n, const char *lookup, const char *const *ids, struct cr_error *err)
{
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), g = -1;
    enum cr_status st = CR_OK;

    if (f < 0)
        return cr_error_set(err, CR_EIO, "%s: HDF5 cannot create %s", path, tmp);
    if (write_root_attributes(f, zones) ||
        (g = H5Gcreate2(f, "data", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        st = cr_error_set(err, CR_EIO, "%s: HDF5 cannot write the OMX header", path);
    for (size_t i = 0; i < n && !st; i++)
        if (write_matrix(g, zones, &m[i]))
            st = cr_error_set(err, CR_EIO, "%s: HDF5 cannot write matrix \"%s\"", path, m[i].name);
    if (g >= 0)
        H5Gclose(g);
    g = -1;
    if (!st && ids &&
        ((g = H5Gcreate2(f, "lookup", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
         write_lookup(g, lookup, ids, zones)))
        st = cr_error_set(err, CR_EIO, "%s: HDF5 cannot write lookup \"%s\"", path, lookup);
    if (g >= 0)
        H5Gclose(g);
    if (H5Fclose(f) < 0 && !st)
        st = cr_error_set(err, CR_EIO, "%s: HDF5 cannot close %s", path, tmp);
    return st;
}

static enum cr_status
check_names(const char *path, const struct cr_omx_matrix *m, size_t n, const char *lookup,
            const char *const *ids, struct cr_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!m[i].name || !*m[i].name || strchr(m[i].name, '/') || !strcmp(m[i].name, "."))
            return cr_error_set(err, CR_EINVAL, "%s: matrix name \"%s\" not allowed", path,
                                m[i].name ? m[i].name : "");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(m[i].name, m[j].name))
                return cr_error_set(err, CR_EINVAL, "%s: two matrices named \"%s\"", path,
                                    m[i].name);
    }
    if (ids && (!lookup || !*lookup || strchr(lookup, '/')))
        return cr_error_set(err, CR_EINVAL, "%s: lookup name \"%s\" not allowed", path,
                            lookup ? lookup : "");
    return CR_OK;
}

enum cr_status
cr_omx_write(const char *path, uint32_t zones, const struct cr_omx_matrix *m, size_t n,
             const char *lookup, const char *const *ids, struct cr_error *err)
{
    struct cr_atomic_file a;
    enum cr_status st;

    quiet();
    if (!path || !strcmp(path, "-"))
        return cr_error_set(err, CR_EINVAL, "an OMX file cannot go to standard output");
    if (zones < 1 || zones > INT32_MAX || (size_t)zones * zones > MAX_CELLS)
        return cr_error_set(err, CR_EINVAL, "%s: %u zones out of range", path, zones);
    if ((st = check_names(path, m, n, lookup, ids, err)) ||
        (st = cr_atomic_open_path(&a, path, err)))
        return st;
    if ((st = write_file(a.tmp, path, zones, m, n, lookup, ids, err))) {
        cr_atomic_abort(&a);
        return st;
    }
    return cr_atomic_commit(&a, err);
}
