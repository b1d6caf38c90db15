/*
 * Zoning and land-use layers: polygons with a class (and a name, and numbers) each, kept in a
 * projected working CRS in metres so that areas are never computed in degrees.
 *
 * A layer is any polygon file GDAL reads (Shapefile, GeoPackage, GeoJSON, FlatGeobuf...) or the
 * landuse=* areas of an OpenStreetMap file. Its CRS comes from the file or from s_srs; the
 * working CRS is work_crs when given, else the layer's own when it is projected in metres, else
 * the UTM zone of the layer's centre. Invalid polygons are repaired (GEOS MakeValid) and
 * counted, empty and non-polygon features are counted and skipped: nothing is dropped silently.
 * See docs/zoning.md.
 *
 * A set is made in its own GEOS and PROJ context: one thread at a time may use it.
 */
#ifndef CORRIDOR_ZONES_H
#define CORRIDOR_ZONES_H

#include <stddef.h>
#include <stdint.h>

#include "corridor/error.h"
#include "corridor/export.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cr_zones; /* a loaded layer: opaque */

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
CR_API enum cr_status cr_zones_load(const struct cr_zones_options *o, struct cr_zones **out,
                                    struct cr_error *err);
CR_API void cr_zones_destroy(struct cr_zones *z);

/* One per distinct class value, sorted by class name (strcmp). */
struct cr_zone_class {
    const char *cls; /* "" for zones without a class value */
    size_t count;
    double area_m2;
};

/* One zone, borrowed from the set. */
struct cr_zone_info {
    int64_t fid;          /* feature id in the source (OSM: way id * 2, relation id * 2 + 1) */
    const char *cls;      /* the class value ("" when none) */
    const char *name;     /* or NULL */
    double area_m2;       /* in the working CRS */
    int repaired;         /* GEOS MakeValid changed it */
    const double *values; /* [value count] the numeric fields asked for; NAN when missing */
};

/* How many zones the set holds. */
CR_API size_t cr_zones_count(const struct cr_zones *z);

/* The class list (*COUNT entries, sorted by name), valid while Z lives. */
CR_API const struct cr_zone_class *cr_zones_classes(const struct cr_zones *z, size_t *count);

/* Zone I (< cr_zones_count) into *OUT; returns 0, or -1 when I is out of range. */
CR_API int cr_zones_zone(const struct cr_zones *z, size_t i, struct cr_zone_info *out);

/* The zone containing the point (x, y) in the working CRS; SIZE_MAX when none (the smallest
 * zone when several overlap). */
CR_API size_t cr_zones_at(const struct cr_zones *z, double x, double y);

/* Between WGS84 lon/lat (degrees, lon first) and the working CRS. Return 0 on success. */
CR_API int cr_zones_to_work(const struct cr_zones *z, double lon, double lat, double *x, double *y);
CR_API int cr_zones_to_wgs84(const struct cr_zones *z, double x, double y, double *lon,
                             double *lat);

/* ---- the summary (corridor zones info) ---------------------------------------------------- */

enum cr_zones_sort { CR_ZONES_BY_AREA, CR_ZONES_BY_NAME };

struct cr_zones_summary_class {
    const char *cls; /* "" for zones without a class value */
    size_t count;    /* zones */
    double area_m2;
    const double *values; /* [value_count] sums of the value fields over the class's zones */
};

/* What a set holds, as plain data. Strings are borrowed from the set: valid while it lives. */
struct cr_zones_summary {
    const char *path, *layer;  /* the file and layer read ("" when no layer name) */
    const char *class_field;   /* the field (OSM: tag key) classes come from, or NULL */
    const char *source_crs;    /* as detected or given, "EPSG:32648" or a name; NULL: unknown */
    const char *work_crs;      /* as PROJ understands it ("EPSG:32648"), maybe WKT */
    const char *work_crs_name; /* "WGS 84 / UTM zone 48N" */
    size_t features_read, zones, repaired;
    size_t skipped_empty, skipped_non_polygon, skipped_no_area;
    size_t values_not_numeric; /* value fields holding text that is not a number */
    double bbox[4];            /* xmin, ymin, xmax, ymax in the working CRS */
    double bbox_wgs84[4];      /* west, south, east, north; all NAN when not computable */
    double total_area_m2;      /* over the classes */
    enum cr_zones_sort sort;   /* the order of classes below */
    struct cr_zones_summary_class *classes; /* by area, largest first (ties by name), or name */
    size_t class_count;
    const char *const *value_names; /* [value_count] the value fields */
    size_t value_count;
    double *value_totals;  /* [value_count] sums over every zone */
    size_t *value_missing; /* [value_count] zones without a number there */
    double *class_values;  /* [class_count * value_count]: classes[i].values point in here */
};

/* The summary of Z with classes in SORT's order. caller frees: cr_zones_summary_fini() */
CR_API enum cr_status cr_zones_summarize(const struct cr_zones *z, enum cr_zones_sort sort,
                                         struct cr_zones_summary *out, struct cr_error *err);
CR_API void cr_zones_summary_fini(struct cr_zones_summary *s);

#ifdef __cplusplus
}
#endif

#endif
