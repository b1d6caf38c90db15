/*
 * Land take along a corridor: which zoning classes a proposed alignment (a ring road, a railway)
 * would take, and how much of each.
 *
 * The corridor is the alignment buffered by width / 2 on each side, in the zones' projected
 * working CRS (metres), with FLAT end caps (the corridor stops where the alignment stops) and
 * ROUND joins (8 segments a quarter circle, GEOS's default) at bends. The alignment's lines are
 * merged end to end first (GEOSLineMerge), so an alignment drawn in several pieces gives one
 * continuous corridor with no notch where two pieces meet. Overlapping buffers are unioned:
 * ground is counted once.
 *
 * Each zone the corridor's envelope meets (the zones' STRtree) is tested with the prepared
 * corridor: zones inside it are taken whole, the others are intersected (GEOS OverlayNG). A
 * zone is "touched" when the intersection has an area > 0 (a shared edge is not a take). Areas
 * are summed per class; share = class area / corridor area. Where zones overlap each other the
 * overlap counts for each, so shares may then sum to more than 1; where the corridor crosses
 * unzoned land (streets, water without a parcel) they sum to less.
 */
#ifndef CR_PLANNING_LANDTAKE_H
#define CR_PLANNING_LANDTAKE_H

#include <stddef.h>

#include <geos_c.h>

#include "core/error.h"
#include "spatial/zones.h"

#define CR_LANDTAKE_QUADSEGS 8 /* segments a quarter circle in round joins */

/* An alignment read from a line layer, in the zones' working CRS. */
struct cr_landtake_alignment {
    GEOSGeometry *lines; /* MultiLineString in the zones' GEOS context */
    size_t line_count;   /* features that gave a line */
    size_t skipped;      /* features with no line (points, polygons, empty geometry) */
    double length_m;     /* total length in the working CRS */
    char *layer_name;
    char *crs; /* the alignment's CRS as read or given (a short name) */
};

struct cr_landtake_alignment_options {
    const char *path;  /* any vector file GDAL opens */
    const char *layer; /* NULL: the only layer, else the first layer of lines, else the first */
    const char *s_srs; /* NULL: the layer's CRS; else EPSG:n, a bare number, WKT or PROJ */
};

/*
 * Reads every LineString and MultiLineString (curves are linearised, Z is dropped) of the
 * layer through spatial/vector and transforms them with PROJ into Z's working CRS, in Z's GEOS
 * context (z->ctx). Errors (one line naming the file): GDAL cannot open it, no such layer (the
 * layers are listed), a layer with no CRS when no s_srs is given ("give --alignment-srs"), a
 * CRS PROJ does not know, a layer with no lines.
 * caller frees: cr_landtake_alignment_fini()
 */
enum cr_status cr_landtake_read_alignment(const struct cr_zones *z,
                                          const struct cr_landtake_alignment_options *o,
                                          struct cr_landtake_alignment *out, struct cr_error *err);
void cr_landtake_alignment_fini(const struct cr_zones *z, struct cr_landtake_alignment *a);

struct cr_landtake_class {
    const char *cls; /* borrowed from the zones */
    double area_m2;
    size_t parcels; /* zones of this class the corridor takes land from */
    double share;   /* area_m2 / corridor_area_m2 */
};

struct cr_landtake_piece {
    size_t zone;        /* index into zones */
    GEOSGeometry *geom; /* the land taken: Polygon or MultiPolygon */
    double area_m2;
};

struct cr_landtake {
    const struct cr_zones *zones; /* borrowed */
    double width_m;
    double corridor_area_m2;
    double taken_m2;                   /* sum over the classes */
    GEOSGeometry *corridor;            /* the buffered alignment */
    struct cr_landtake_class *classes; /* largest area first, then by class name */
    size_t class_count;
    size_t parcels;                   /* zones touched in all */
    struct cr_landtake_piece *pieces; /* by zone index; only when asked for */
    size_t piece_count;
};

/*
 * The land take of the corridor of WIDTH_M (> 0, finite) around LINES (linear geometry in Z's
 * context and working CRS). With KEEP_PIECES the pieces are kept for
 * cr_landtake_write_pieces. caller frees: cr_landtake_fini()
 */
enum cr_status cr_landtake_compute(const struct cr_zones *z, const GEOSGeometry *lines,
                                   double width_m, int keep_pieces, struct cr_landtake *out,
                                   struct cr_error *err);
void cr_landtake_fini(struct cr_landtake *lt);

/*
 * A GeoPackage for QGIS at PATH: layer "pieces" (class, name, fid, area_m2 and the piece's
 * polygon) and layer "corridor" (width_m, area_m2 and the corridor), both in the working CRS.
 * Written whole or not at all (core/atomic.h, path mode): a failure leaves PATH as it was.
 */
enum cr_status cr_landtake_write_pieces(const struct cr_landtake *lt, const char *path,
                                        struct cr_error *err);

#endif
