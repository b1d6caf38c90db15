/*
 * What the two zoning loaders (zoning_ogr.c: GDAL/OGR layers; zoning_osm.c: OSM landuse areas)
 * share: the loader's scratch, rings and polygons built as GEOS geometries in the working CRS,
 * repair (MakeValid only when GEOSisValid says invalid), class interning, the working CRS's
 * choice. zoning.c holds these and cr_zones_load, which picks the loader by the file's name.
 */
#ifndef CR_IMPORTERS_ZONING_BUILD_H
#define CR_IMPORTERS_ZONING_BUILD_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <geos_c.h>
#include <proj.h>

#include "core/error.h"
#include "spatial/zones.h"

/* What a load carries besides the set. */
struct cr_zoning_loader {
    struct cr_zones *z;
    const char *path; /* for messages */
    PJ *src_to_work;  /* NULL: the source CRS is the working CRS */
    double *xy;       /* interleaved x, y scratch */
    size_t xy_cap;    /* in points */
    GEOSGeometry **parts;
    size_t part_cap;
    size_t zone_cap;
    size_t value_cap; /* in doubles */
    iconv_t recode;   /* CP1258 .dbf -> UTF-8, done here; (iconv_t)-1: GDAL's own */
    double box[4];    /* the current feature's rings' bbox, working CRS */
    GEOSMakeValidParams *make_valid;
};

/* Empties the current feature's bbox. */
void cr_zoning_reset_box(struct cr_zoning_loader *L);

/* A UTF-8 copy of S: recoded by CD when it is open; else as is when it is valid UTF-8, else
 * read as ISO-8859-1 (a .dbf whose encoding GDAL could not tell). caller frees: free() */
char *cr_zoning_utf8_copy(iconv_t cd, const char *s);

/* Room for POINTS points (+ 1 to close a ring) in L->xy, N parts in L->parts. */
enum cr_status cr_zoning_reserve_xy(struct cr_zoning_loader *L, size_t points,
                                    struct cr_error *err);
enum cr_status cr_zoning_reserve_parts(struct cr_zoning_loader *L, size_t n, struct cr_error *err);

/* A linear ring from the N points in L->xy (room for N + 1), transformed to the working CRS
 * with L->src_to_work and closed if open; NULL when fewer than 4 points remain or a coordinate
 * is not finite (*bad set), or out of memory (*bad not set). */
GEOSGeometry *cr_zoning_ring(struct cr_zoning_loader *L, size_t n, bool *bad);

/* Polygon or MultiPolygon from L->parts[0..n) (taken); NULL when n == 0. */
GEOSGeometry *cr_zoning_polygonal(struct cr_zoning_loader *L, size_t n);

/* Adds GEOM (taken; may be invalid) as a zone with class CLS and NAME (copied); VALUES are the
 * zone's numbers (copied). REPAIRED says the caller already changed the geometry (dropped a
 * degenerate ring). An invalid geometry is made valid; what keeps no area is skipped and
 * counted. */
enum cr_status cr_zoning_add_zone(struct cr_zoning_loader *L, GEOSGeometry *geom, const char *cls,
                                  const char *name, const double *values, int64_t fid,
                                  bool repaired, struct cr_error *err);

/* Chooses the working CRS for SRC (taken) given a point inside the data in SRC's axis order
 * (normalised: lon, lat or easting, northing), sets it in the set, and makes
 * L->src_to_work (NULL when the same). */
enum cr_status cr_zoning_choose_work_crs(struct cr_zoning_loader *L, PJ *src,
                                         const struct cr_zones_options *o, double cx, double cy,
                                         struct cr_error *err);

/* The two loaders: a GDAL/OGR layer, the landuse areas of an OSM file. */
enum cr_status cr_zoning_load_ogr(struct cr_zoning_loader *L, const struct cr_zones_options *o,
                                  struct cr_error *err);
enum cr_status cr_zoning_load_osm(struct cr_zoning_loader *L, const struct cr_zones_options *o,
                                  struct cr_error *err);

#endif
