/*
 * What the GDAL/OGR readers of small point files (terminals, points, pairs) share: quiet GDAL
 * errors copied into err, field lookup, strict numbers (and CSV header lines made of them),
 * Points transformed to WGS84, file checks.
 * Messages start with the file's path and name the row or feature ("line 4", "feature 2").
 */
#ifndef CR_IMPORTERS_OGR_UTIL_H
#define CR_IMPORTERS_OGR_UTIL_H

#include <stdbool.h>

#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "core/error.h"

/* GDAL's last error message, or "no reason given". */
const char *cr_ogr_message(void);

/* "Point", "LineString", "MultiPolygon"... (GeoJSON's spelling) for a geometry type. */
const char *cr_ogr_type_name(OGRwkbGeometryType type);

/* The first of NAMES (NULL-terminated) that the layer has, or -1. Case-insensitive. */
int cr_ogr_find_field(OGRFeatureDefnH defn, const char *const *names);

/* Whether S holds only blanks. */
bool cr_ogr_is_blank(const char *s);

/* Parses all of S (surrounding blanks allowed) as a number, locale-independent; false when
 * anything else is there. */
bool cr_ogr_parse_number(const char *s, double *out);

/* Whether one of DEFN's field names is a number: in a CSV file, a header line of numbers is a
 * first data row that lost its way ("106.7,10.7,depot"). */
bool cr_ogr_header_is_numeric(OGRFeatureDefnH defn);

/* A copy of S without surrounding blanks; NULL if out of memory. caller frees: free() */
char *cr_ogr_trimmed_copy(const char *s);

/* Whether field I exists and is set (not null) in F. */
bool cr_ogr_field_present(OGRFeatureH f, int i);

/* The number in FIELD of F ("PATH: WHERE: no LABEL", "... LABEL \"x\" is not a number"). */
enum cr_status cr_ogr_number_field(OGRFeatureH f, int field, const char *label, const char *path,
                                   const char *where, double *out, struct cr_error *err);

/* F's Point geometry as lon, lat in WGS84, through TO_WGS84 when not NULL. */
enum cr_status cr_ogr_point(OGRFeatureH f, OGRCoordinateTransformationH to_wgs84, const char *path,
                            const char *where, double *lon, double *lat, struct cr_error *err);

/* *OUT becomes the transformation from LAYER's CRS to WGS84 (lon, lat order), or NULL when the
 * layer has none or is already WGS84. caller frees: OCTDestroyCoordinateTransformation() */
enum cr_status cr_ogr_to_wgs84(OGRLayerH layer, const char *path, OGRCoordinateTransformationH *out,
                               struct cr_error *err);

/* PATH exists, is a readable file, and is not empty ("PATH: no WHAT" when it is). */
enum cr_status cr_ogr_check_file(const char *path, const char *what, struct cr_error *err);

#endif
