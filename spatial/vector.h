/*
 * The one OGR vector reader: every file of points, pairs, terminals, zones, alignments and
 * overlays is opened, checked and read through here.
 *
 *   - open quietly: GDAL's errors are caught (CPLQuietErrorHandler for the length of each call
 *     here) and copied into cr_error with CPLGetLastErrorMsg(), never printed;
 *   - check the file first (exists, readable, not a folder, not empty);
 *   - pick a layer: by name, else the only one, else the first declaring the geometry wanted
 *     (for polygons also the first of unknown type whose first geometry is one), else the
 *     first; a missing name is an error listing the layers;
 *   - fields by a list of candidate names (case-insensitive), strict numbers, the CSV check for
 *     a header line made of numbers;
 *   - the layer's CRS as a PROJ object, and the transformation to WGS 84 (spatial/crs.h).
 *
 * Messages start with the file's path and name the row or feature: a CSV row is "line N" (the
 * header is line 1, so feature i is line i + 2), any other feature is "feature N", from 1.
 */
#ifndef CR_SPATIAL_VECTOR_H
#define CR_SPATIAL_VECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <proj.h>

#include "core/error.h"
#include "spatial/ctx.h"

enum cr_vector_kind { CR_VECTOR_ANY, CR_VECTOR_POINTS, CR_VECTOR_LINES, CR_VECTOR_POLYGONS };

struct cr_vector_options {
    const char *what;                /* an empty file is "PATH: no WHAT" (NULL: "features") */
    const char *no_layer;            /* a file without layers is "PATH: no NO_LAYER" ("layer") */
    const char *unreadable;          /* "PATH: UNREADABLE (GDAL's reason)"; NULL: "not a vector
                                        file GDAL can read" */
    const char *const *drivers;      /* GDAL driver names; NULL: any */
    const char *const *open_options; /* GDAL open options ("HEADERS=YES"); NULL: none */
    const char *layer;               /* the layer's name; NULL: picked by WANT */
    enum cr_vector_kind want;        /* the geometry a picked layer should hold */
};

/* An open file and its chosen layer (caller's storage: cr_vector_open / cr_vector_close). */
struct cr_vector {
    const char *path; /* borrowed from the caller */
    GDALDatasetH ds;
    OGRLayerH layer;      /* owned by ds */
    OGRFeatureDefnH defn; /* the layer's fields */
    bool csv;             /* opened by GDAL's CSV driver: places are "line N" */
};

/* Checks PATH, opens it and picks the layer. On error V is closed. */
enum cr_status cr_vector_open(struct cr_vector *v, const char *path,
                              const struct cr_vector_options *o, struct cr_error *err);
/* Closes the file; a zeroed or closed V is fine. */
void cr_vector_close(struct cr_vector *v);

/* Silences GDAL's error printing on this thread until cr_vector_quiet_end (they nest); for
 * callers that read features themselves. */
void cr_vector_quiet_begin(void);
void cr_vector_quiet_end(void);

/* GDAL's last error message, or "no reason given". */
const char *cr_vector_message(void);

/* PATH exists, is a readable file, and is not empty ("PATH: no WHAT" when it is). */
enum cr_status cr_vector_check_file(const char *path, const char *what, struct cr_error *err);

/* "line N" (CSV: INDEX + 2) or "feature N" (INDEX + 1) into BUF. */
void cr_vector_where(const struct cr_vector *v, size_t index, char *buf, size_t size);

/* Called for each feature in order with its INDEX (from 0) and WHERE ("line 4"); a non-zero
 * status stops the loop and is returned. F is destroyed after the call. */
typedef enum cr_status (*cr_vector_feature_fn)(void *user, OGRFeatureH f, size_t index,
                                               const char *where, struct cr_error *err);

/* Reads every feature of the layer through FN. A GDAL failure while reading is
 * "PATH: after line N: reason" (CR_EFORMAT). */
enum cr_status cr_vector_each(struct cr_vector *v, cr_vector_feature_fn fn, void *user,
                              struct cr_error *err);

/* ---- fields -------------------------------------------------------------------------------- */

/* The first of NAMES (NULL-terminated) that DEFN has, or -1. Case-insensitive. */
int cr_vector_find_field(OGRFeatureDefnH defn, const char *const *names);

/* Whether S holds only blanks. */
bool cr_vector_is_blank(const char *s);

/* Parses all of S (surrounding blanks allowed) as a number, locale-independent; false when
 * anything else is there. */
bool cr_vector_parse_number(const char *s, double *out);

/* Whether one of DEFN's field names is a number: in a CSV file, a header line of numbers is a
 * first data row that lost its way ("106.7,10.7,depot"). */
bool cr_vector_header_is_numeric(OGRFeatureDefnH defn);

/* A copy of S without surrounding blanks; NULL if out of memory. caller frees: free() */
char *cr_vector_trimmed_copy(const char *s);

/* Whether field I exists and is set (not null) in F. */
bool cr_vector_field_present(OGRFeatureH f, int i);

/* The number in FIELD of F ("PATH: WHERE: no LABEL", "... LABEL \"x\" is not a number"). */
enum cr_status cr_vector_number_field(OGRFeatureH f, int field, const char *label, const char *path,
                                      const char *where, double *out, struct cr_error *err);

/* ---- geometry and CRS ---------------------------------------------------------------------- */

/* "Point", "LineString", "MultiPolygon"... (GeoJSON's spelling) for a geometry type. */
const char *cr_vector_type_name(OGRwkbGeometryType type);

/* Whether T (flattened) is polygonal: Polygon, MultiPolygon, CurvePolygon, MultiSurface,
 * PolyhedralSurface, TIN. */
bool cr_vector_is_polygonal(OGRwkbGeometryType t);

/* Whether T (flattened) is linear: LineString, MultiLineString and their curved forms. */
bool cr_vector_is_linear(OGRwkbGeometryType t);

/* F's Point geometry as lon, lat in WGS84, through TO_WGS84 (PROJ, normalised) when not NULL. */
enum cr_status cr_vector_point(OGRFeatureH f, PJ *to_wgs84, const char *path, const char *where,
                               double *lon, double *lat, struct cr_error *err);

/* The layer's CRS as PROJ knows it, found by its identifier ("EPSG:32648") or else its WKT;
 * *OUT is NULL when the layer has none. *LABEL (when LABEL is not NULL) gets "AUTH:CODE" or the
 * CRS's name. A CRS PROJ does not know is 'PATH: unknown CRS "NAME" (reason)', then ": HINT"
 * when HINT is given. caller frees: proj_destroy(*out), free(*label) */
enum cr_status cr_vector_crs(const struct cr_vector *v, struct cr_ctx *c, const char *hint,
                             PJ **out, char **label, struct cr_error *err);

/* SRS (an OGR spatial reference) as a PROJ CRS in CTX: by "AUTH:CODE" when GDAL knows one, else
 * by its WKT; NULL when PROJ knows neither. CODE gets "AUTH:CODE" or "". For callers with a bare
 * PROJ context (render). caller frees: proj_destroy() */
PJ *cr_vector_srs_to_proj(PJ_CONTEXT *ctx, OGRSpatialReferenceH srs, char *code, size_t size);

/* *OUT becomes the transformation from the layer's CRS to WGS 84 lon/lat, or NULL when the layer
 * has none or is already WGS 84. caller frees: proj_destroy() */
enum cr_status cr_vector_to_wgs84(const struct cr_vector *v, struct cr_ctx *c, PJ **out,
                                  struct cr_error *err);

/*
 * A file of points, told apart by its extension: CSV (.csv: every column text, lon/lat columns
 * read by the caller with line numbers) or GeoJSON (.geojson, .json: Point features, whose CRS is
 * transformed to WGS 84). What the readers of points and terminals share: open it, then
 * cr_vector_each(&pf->v, ...), then close it.
 */
struct cr_point_file {
    struct cr_vector v;
    struct cr_ctx *ctx; /* GeoJSON: the PROJ context of to_wgs84 */
    PJ *to_wgs84;       /* GeoJSON: layer CRS -> WGS 84, or NULL when already WGS 84; CSV: NULL */
};

struct cr_point_file_options {
    const char *what;       /* "points": names the file in messages ("PATH: no points") */
    const char *extensions; /* when the extension is neither: "points must be .csv, .geojson
                               or .json" */
    const char *unreadable_csv, *unreadable_geojson; /* when GDAL cannot read it */
};

/* Opens PATH as above. On error PF is closed. caller frees: cr_point_file_close() */
enum cr_status cr_point_file_open(struct cr_point_file *pf, const char *path,
                                  const struct cr_point_file_options *o, struct cr_error *err);
/* Closes what cr_point_file_open opened; a zeroed or closed PF is fine. */
void cr_point_file_close(struct cr_point_file *pf);

#endif
