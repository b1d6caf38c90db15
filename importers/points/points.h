/*
 * Points given by the user (`corridor matrix --sources FILE`, batch jobs): a CSV file or a
 * GeoJSON file of Point features, read with GDAL.
 *
 * CSV: a header line is required. Columns (names case-insensitive, in any order):
 *   lon, lat        WGS84 degrees; also longitude/latitude or x/y
 *   id              optional text; or a column "name"
 * GeoJSON (.geojson/.json): the feature's Point, transformed to WGS84 if the file has another CRS.
 *   The id is the first of: property "id" (GDAL also puts a text feature id there), the feature's
 *   numeric "id" member, property "name".
 * A file where no row has an id numbers its rows from 1 ("1", "2", ...); in a file where some rows
 * have one, every row needs one.
 */
#ifndef CR_IMPORTERS_POINTS_H
#define CR_IMPORTERS_POINTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct cr_point {
    char *id; /* owned; without ids in the file, the 1-based row number as text */
    int32_t lon_e7, lat_e7;
};

struct cr_point_list {
    struct cr_point *items; /* in file order */
    size_t count;
};

/* Reads PATH (.csv, .geojson or .json). Errors name the file and the line or feature:
 * "pts.csv: line 4: lat \"abc\" is not a number", "pts.geojson: feature 2: no geometry".
 * A missing or unreadable file is CR_EIO, one GDAL cannot read CR_EFORMAT, bad columns or values
 * CR_EINVAL, no points CR_EEMPTY, more than 10,000,000 points CR_ENOMEM. On error *out is empty.
 * caller frees: cr_point_list_fini() */
enum cr_status cr_points_read(const char *path, struct cr_point_list *out, struct cr_error *err);

/* Frees the ids and the array and empties L; a zeroed or already finished list is fine. */
void cr_point_list_fini(struct cr_point_list *l);

#endif
