/*
 * The plain zones type: what a loaded zoning layer is, without the loading (that is
 * importers/zoning). Public calls are in corridor/zones.h; this header opens the struct for the
 * library's own users (planning, render, the CLI) and gives the loaders what they build with.
 *
 * Geometries are GEOS geometries in the set's own context (z->ctx, whose GEOS handle is also
 * z->geos), indexed with a GEOS STRtree built once by cr_zones_finish, so queries from several
 * readers never race to build it.
 */
#ifndef CR_SPATIAL_ZONES_H
#define CR_SPATIAL_ZONES_H

#include <stddef.h>
#include <stdint.h>

#include <geos_c.h>
#include <proj.h>

#include "core/error.h"
#include "core/strpool.h"
#include "corridor/zones.h"
#include "spatial/ctx.h"

struct cr_zone {
    GEOSGeometry *geom; /* Polygon or MultiPolygon in the working CRS (metres), valid */
    char *cls;          /* the class field's value as UTF-8 ("" when null), in class_pool */
    char *name;         /* the name field's value as UTF-8, or NULL */
    double *values;     /* [value_count] the numeric fields asked for; NAN when null */
    double area_m2;     /* area in the working CRS */
    int64_t fid;        /* feature id in the source (OSM: way id * 2 or relation id * 2 + 1) */
    int repaired;       /* MakeValid changed it */
    uint32_t cls_off;   /* cls's offset in class_pool (cls is set by cr_zones_finish) */
};

struct cr_zones {
    struct cr_ctx *ctx;       /* owned: the GEOS and PROJ context the zones were made in */
    GEOSContextHandle_t geos; /* cr_ctx_geos(ctx) */
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

    GEOSSTRtree *index;           /* over zones[i].geom, items are (void *)(uintptr_t)i */
    PJ *wgs84_to_work;            /* normalised: lon, lat in; x, y out */
    struct cr_strpool class_pool; /* the distinct class strings, once each (core/strpool) */
    double *value_block;          /* [count * value_count]: zones[i].values point in here */
};

/* An empty set for PATH with its own context, carrying VALUE_FIELDS (NULL-terminated, or NULL)
 * and a bbox ready to grow. caller frees: cr_zones_destroy() */
struct cr_zones *cr_zones_create(const char *path, const char *const *value_fields,
                                 struct cr_error *err);

/* Sets the working CRS (takes WORK) and the WGS84 <-> work transformation; errors name PATH. */
enum cr_status cr_zones_set_work_crs(struct cr_zones *z, PJ *work, const char *path,
                                     struct cr_error *err);

/* After the last zone: the class and values pointers (zones[i].cls from cls_off), the class
 * list (sorted, with counts and areas), the STRtree (built now). Errors name PATH. */
enum cr_status cr_zones_finish(struct cr_zones *z, const char *path, struct cr_error *err);

#endif
