/*
 * Zoning and land-use polygon layers: Shapefile (honouring .cpg / SHAPE_ENCODING), GeoPackage
 * (one layer, chosen by name), GeoJSON, FlatGeobuf, read with GDAL/OGR through spatial/vector
 * (zoning_ogr.c); or OpenStreetMap landuse=* areas (multipolygons included) assembled with
 * libosmium (zoning_osm.c).
 *
 * Every zone is kept in a projected working CRS in metres, so areas and buffers are never
 * computed in degrees: the layer's own CRS when it is projected (UTM 48N, VN-2000 TM zones...),
 * otherwise the UTM zone of the layer's centre (spatial/crs.h). The CRS comes from the layer
 * (.prj, GeoPackage SRS) through PROJ, or from an override (EPSG code or PROJ string). Invalid
 * polygons are repaired with GEOS MakeValid and counted; empty and non-polygon features are
 * counted and skipped; nothing is dropped silently.
 *
 * The loader is cr_zones_load (corridor/zones.h); the set it makes is the plain zones type of
 * spatial/zones.h, which is what users of zones include.
 */
#ifndef CR_IMPORTERS_ZONING_ZONING_H
#define CR_IMPORTERS_ZONING_ZONING_H

#include "corridor/zones.h"
#include "spatial/zones.h"

#endif
