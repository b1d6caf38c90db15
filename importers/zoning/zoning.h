/*
 * Zoning and land-use polygon layers: Shapefile (honouring .cpg / SHAPE_ENCODING), GeoPackage
 * (one layer, chosen by name), GeoJSON, FlatGeobuf, read with GDAL/OGR; or OpenStreetMap
 * landuse=* areas (multipolygons included) assembled with libosmium.
 *
 * Every zone is kept in a projected working CRS in metres, so areas and buffers are never
 * computed in degrees: the layer's own CRS when it is projected (UTM 48N, VN-2000 TM zones...),
 * otherwise the UTM zone of the layer's centre. The CRS comes from the layer (.prj, GeoPackage
 * SRS) through PROJ, or from an override (EPSG code or PROJ string). Invalid polygons are
 * repaired with GEOS MakeValid and counted; empty and non-polygon features are counted and
 * skipped; nothing is dropped silently.
 *
 * Geometries are GEOS geometries in the set's own GEOS context (thread-safe _r API), indexed
 * with a GEOS STRtree. Nothing here is global: each set carries its contexts.
 */
#ifndef CR_IMPORTERS_ZONING_ZONING_H
#define CR_IMPORTERS_ZONING_ZONING_H

#include <stddef.h>
#include <stdint.h>

#include <geos_c.h>

#include "core/error.h"

struct cr_zone {
    GEOSGeometry *geom; /* Polygon or MultiPolygon in the working CRS (metres), valid */
    char *cls;          /* the class field's value as UTF-8 ("" when null) */
    char *name;         /* the name field's value as UTF-8, or NULL */
    double *values;     /* [value_count] the numeric fields asked for; NAN when null */
    double area_m2;     /* area in the working CRS */
    int64_t fid;        /* feature id in the source (OSM: way id * 2 or relation id * 2 + 1) */
    int repaired;       /* MakeValid changed it */
};

struct cr_zone_class { /* one per distinct class, sorted by class name */
    const char *cls;
    size_t count;
    double area_m2;
};

struct cr_zones {
    GEOSContextHandle_t geos;
    struct cr_zone *zones;
    size_t count;
    struct cr_zone_class *classes;
    size_t class_count;
    char **value_names; /* [value_count] numeric fields carried along */
    size_t value_count;

    char *source_path, *layer_name;
    char *class_field;   /* the field (OSM: tag key) classes come from, or NULL */
    char *source_crs;    /* the CRS as detected or given, e.g. "EPSG:32648" or a name */
    char *work_crs;      /* the working CRS as PROJ understands it ("EPSG:32648") */
    char *work_crs_name; /* human name ("WGS 84 / UTM zone 48N") */
    double bbox[4];      /* xmin, ymin, xmax, ymax in the working CRS */

    size_t features_read;       /* every feature in the layer */
    size_t repaired;            /* invalid polygons made valid */
    size_t skipped_empty;       /* empty or null geometry */
    size_t skipped_non_polygon; /* points, lines... */
    size_t skipped_degenerate;  /* no area left: collapsed rings, MakeValid leaving only lines,
                                   coordinates PROJ cannot transform; OSM: areas libosmium could
                                   not assemble (open rings, members outside the extract) */
    size_t values_not_numeric;  /* value fields holding text that is not a number (NAN) */

    GEOSSTRtree *index;         /* over zones[i].geom, items are (void *)(uintptr_t)i */
    struct cr_zones_proj *proj; /* private: PROJ context and the WGS84 <-> working transform */
};

struct cr_zones_options {
    const char *path;                /* any vector file GDAL opens, or .osm/.osm.pbf/.osm.bz2 */
    const char *layer;               /* NULL: the only (or first polygon) layer */
    const char *class_field;         /* NULL: no class (every zone has cls ""); OSM: "landuse" */
    const char *name_field;          /* NULL: none; OSM: "name" */
    const char *const *value_fields; /* NULL-terminated list of numeric fields, or NULL */
    const char *s_srs;               /* NULL: from the layer; else EPSG:n, a bare number, or PROJ */
    const char *work_crs;            /* NULL: chosen as above; else the working CRS to use */
    const char *encoding;            /* Shapefile: the .dbf's encoding ("CP1258"; GDAL's ENCODING
                                        open option); NULL: .cpg, SHAPE_ENCODING or GDAL's guess */
};

/* Loads a layer. Errors (one line naming the file, layer, field or feature): the file cannot be
 * opened, the layer or a field is missing, the layer has no CRS and none is given, a CRS PROJ
 * does not know, a layer with no polygon at all (a layer of lines), an empty layer.
 * caller frees: cr_zones_destroy() */
enum cr_status cr_zones_load(const struct cr_zones_options *o, struct cr_zones **out,
                             struct cr_error *err);
void cr_zones_destroy(struct cr_zones *z);

/* The zone containing the point (x, y) in the working CRS; SIZE_MAX when none (the smallest
 * zone when several overlap). */
size_t cr_zones_at(const struct cr_zones *z, double x, double y);

/* A transformation between WGS84 lon/lat (degrees, lon first) and the working CRS.
 * Returns 0 on success. */
int cr_zones_to_work(const struct cr_zones *z, double lon, double lat, double *x, double *y);
int cr_zones_to_wgs84(const struct cr_zones *z, double x, double y, double *lon, double *lat);

#endif
