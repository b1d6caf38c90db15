/*
 * Coordinate reference systems and transformations, through PROJ only.
 *
 * Every transformation made here is normalised for visualisation: longitude (or easting) first,
 * latitude (or northing) second, whatever axis order the CRS's authority defines, so that
 * "EPSG:4326" takes lon, lat like GeoJSON and OGR's traditional GIS order. CRS objects and
 * transformations are PROJ's PJ, made in a cr_ctx's PROJ context and used by that context's
 * thread only. caller frees every PJ returned here: proj_destroy()
 */
#ifndef CR_SPATIAL_CRS_H
#define CR_SPATIAL_CRS_H

#include <stdbool.h>
#include <stddef.h>

#include <proj.h>

#include "core/error.h"
#include "spatial/ctx.h"

/*
 * A CRS from what a user types: "EPSG:3405", a bare number ("3405", EPSG's), a PROJ string
 * ("+proj=utm +zone=48 +datum=WGS84"; "+type=crs" is added), WKT, or any name PROJ knows
 * ("OGC:CRS84"). Errors are one line naming it:
 * 'WHERE: unknown CRS "EPSG:99999" (crs not found): WHAT' (WHERE and WHAT may be NULL).
 */
PJ *cr_crs_parse(struct cr_ctx *c, const char *text, const char *what, const char *where,
                 struct cr_error *err);

/* EPSG:4326, WGS 84 (used lon, lat through the transformations below). */
PJ *cr_crs_wgs84(struct cr_ctx *c, struct cr_error *err);

/*
 * The UTM zone (1..60) of LON, LAT in degrees, and whether it is the northern one (LAT >= 0).
 * Zones are 6 degrees wide from 180 W, with the two exceptions of the MGRS grid: southwest
 * Norway (56..64 N, 3..12 E) is zone 32, and Svalbard (72..84 N) has zones 31, 33, 35, 37
 * only (0..9, 9..21, 21..33, 33..42 E). Longitude 180 is zone 60. Returns 0, or -1 when LON or
 * LAT is not a finite coordinate (|lon| > 180, |lat| > 90).
 */
int cr_crs_utm_zone(double lon, double lat, int *zone, bool *north);

/* The EPSG code of that zone on WGS 84: 326zz north, 327zz south; 0 when not a coordinate. */
int cr_crs_utm_epsg(double lon, double lat);

/* Whether CRS (or its horizontal part) is projected with both axes in metres. */
bool cr_crs_is_projected_metres(struct cr_ctx *c, const PJ *crs);

/* "AUTH:CODE" when CRS has an identifier, else its WKT (or PROJ string). caller frees: free() */
char *cr_crs_text(struct cr_ctx *c, const PJ *crs);

/* CRS's name, or NULL when it has none ("unknown", as PROJ strings have). */
const char *cr_crs_name(const PJ *crs);

/* Whether A and B are the same CRS (PROJ's "equivalent"). */
bool cr_crs_same(const PJ *a, const PJ *b);

/* The transformation FROM -> TO, normalised (lon/lat, easting/northing order). Errors:
 * "WHERE: no transformation from A to B (reason)". */
PJ *cr_crs_transform(struct cr_ctx *c, const PJ *from, const PJ *to, const char *where,
                     struct cr_error *err);

/* The transformation WGS 84 lon/lat -> TO (PJ_INV goes back), as cr_crs_transform. */
PJ *cr_crs_from_wgs84(struct cr_ctx *c, const PJ *to, const char *where, struct cr_error *err);

/* Transforms one point in place with T (PJ_FWD or PJ_INV). Returns 0, or -1 when the result is
 * not finite (the point is then left as it was). */
int cr_crs_point(PJ *t, PJ_DIRECTION dir, double *x, double *y);

/* Transforms N interleaved x, y pairs in place with T. Returns how many came out not finite. */
size_t cr_crs_xy(PJ *t, PJ_DIRECTION dir, double *xy, size_t n);

#endif
