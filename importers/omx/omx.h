/*
 * OpenMatrix (OMX 0.2) files, the HDF5 matrix format that AequilibraE, Emme, TransCAD, Visum and
 * Cube exchange (github.com/osPlanning/omx, "Specification" and "Data Structure 0.2"), read and
 * written with libhdf5. docs/assignment.md, "Input formats".
 *
 * Layout: root attributes OMX_VERSION (the string "0.2") and SHAPE (two integers: rows,
 * columns); group /data with the matrices, each a 2-D dataset of that shape (any integer or
 * float type when read; float64, chunked, deflate-compressed when written); group /lookup
 * (optional) with 1-D datasets, the zone ids of the rows/columns (integers or strings).
 *
 * Reading maps a file's zones onto ours through a lookup: file zone k is the zone whose id
 * (as text, "17" for the integer 17) equals the lookup's k-th entry. Without a lookup the file
 * must be square with exactly our zone count, in our order.
 * Errors (CR_EFORMAT unless said) name the file and the matrix: not an HDF5 file, not an OMX file
 * (no OMX_VERSION or SHAPE, no /data), a matrix that is missing (CR_ENOTFOUND) or of another
 * shape, a lookup of another length than the matrix, a lookup id that is none of our zones.
 */
#ifndef CR_IMPORTERS_OMX_H
#define CR_IMPORTERS_OMX_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct cr_omx; /* an open file */

/* Opens PATH for reading and checks it is OMX. caller frees: cr_omx_close() */
struct cr_omx *cr_omx_open(const char *path, struct cr_error *err);
void cr_omx_close(struct cr_omx *o);

/* SHAPE. */
uint32_t cr_omx_rows(const struct cr_omx *o);
uint32_t cr_omx_cols(const struct cr_omx *o);

/* The matrices of /data and the lookups of /lookup, by name in HDF5's name order. */
size_t cr_omx_matrix_count(const struct cr_omx *o);
const char *cr_omx_matrix_name(const struct cr_omx *o, size_t i);
size_t cr_omx_lookup_count(const struct cr_omx *o);
const char *cr_omx_lookup_name(const struct cr_omx *o, size_t i);

/* Matrix NAME as doubles into OUT[rows * cols] (row-major). */
enum cr_status cr_omx_read(const struct cr_omx *o, const char *name, double *out,
                           struct cr_error *err);

/* Lookup NAME as text ids: *ids[*count], each NUL-terminated, in one allocation (free(*ids)
 * frees all). */
enum cr_status cr_omx_read_lookup(const struct cr_omx *o, const char *name, char ***ids,
                                  size_t *count, struct cr_error *err);

/* Matrix NAME of a square file mapped onto our zones IDS[count]: OUT[count * count], from i to j
 * at i * count + j; our zones missing from the file get 0. LOOKUP names the lookup to map with;
 * NULL: the only lookup if there is exactly one, none if there is none (then the file must have
 * our zone count, in our order), an error if there are several. */
enum cr_status cr_omx_read_zones(const struct cr_omx *o, const char *name, const char *lookup,
                                 const char *const *ids, size_t count, double *out,
                                 struct cr_error *err);

struct cr_omx_matrix {
    const char *name;
    const double *data; /* [zones * zones], row-major */
};

/* Writes an OMX file of ZONES x ZONES matrices M[n] and (when IDS is not NULL) the lookup
 * LOOKUP of ids IDS[zones] (written as integers when every id is one, else as strings), whole
 * or not at all (core/atomic.h: a temporary file beside PATH, renamed over it). */
enum cr_status cr_omx_write(const char *path, uint32_t zones, const struct cr_omx_matrix *m,
                            size_t n, const char *lookup, const char *const *ids,
                            struct cr_error *err);

#endif
