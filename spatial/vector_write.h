/*
 * A small vector writer: a new file by any GDAL vector driver (GeoPackage for QGIS...), written
 * whole or not at all through core/atomic.h's path mode (GDAL writes a temporary file beside
 * the destination, named with its extension; commit syncs and renames it). GDAL's errors are
 * copied into cr_error, never printed. Geometries and features are OGR's (ogr_api.h).
 */
#ifndef CR_SPATIAL_VECTOR_WRITE_H
#define CR_SPATIAL_VECTOR_WRITE_H

#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "core/atomic.h"
#include "core/error.h"

struct cr_vector_writer {
    const char *path; /* the destination, borrowed */
    struct cr_atomic_file file;
    GDALDatasetH ds;
    OGRSpatialReferenceH srs; /* every layer's CRS; NULL: none */
};

/* Starts PATH with DRIVER ("GPKG") in CRS (as PROJ/GDAL take it: "EPSG:32648", WKT; NULL:
 * none). Ends with cr_vector_writer_commit or cr_vector_writer_abort. */
enum cr_status cr_vector_writer_open(struct cr_vector_writer *w, const char *path,
                                     const char *driver, const char *crs, struct cr_error *err);

/* A layer NAME of geometry TYPE with FIELDS (NULL-terminated) of TYPES, GDAL layer creation
 * OPTIONS (or NULL); NULL with ERR filled when GDAL refuses. Owned by the writer. */
OGRLayerH cr_vector_writer_layer(struct cr_vector_writer *w, const char *name,
                                 OGRwkbGeometryType type, const char *const *fields,
                                 const OGRFieldType *types, const char *const *options,
                                 struct cr_error *err);

/* G (GEOS, made in H) as an OGR MultiPolygon of its polygonal parts only (an intersection may
 * add lines or points where shapes only touch; they are left out). NULL when out of memory or
 * GDAL refuses. caller frees: OGR_G_DestroyGeometry() */
OGRGeometryH cr_vector_multipolygon(GEOSContextHandle_t h, const GEOSGeometry *g);

/* Gives feature F the geometry G (taken) and adds it to L; F and G are freed either way (a NULL
 * one is a failure). 0, or -1 when GDAL refuses (cr_vector_message() says why). */
int cr_vector_writer_add(OGRLayerH l, OGRFeatureH f, OGRGeometryH g);

/* Closes the dataset and moves the file into place. Either way W is released. */
enum cr_status cr_vector_writer_commit(struct cr_vector_writer *w, struct cr_error *err);

/* Drops everything written; the destination is as it was. A released W is fine. */
void cr_vector_writer_abort(struct cr_vector_writer *w);

#endif
