/*
 * A plan map: the network (waterways, roads by class with casings, railways, terminals), zoning
 * fills by class, overlays, labels without overlaps, and the page around them (frame, grid in the
 * map CRS, scale bar, north arrow, legend from what was drawn, title block, attribution), written
 * as PNG, PDF or SVG by the output's extension, whole or not at all (core/atomic.h: a temporary
 * file beside it, synced and renamed over it).
 *
 * Every layer is transformed with PROJ into the map CRS: the one asked for, or the UTM zone of
 * the map's centre. Features outside the view are skipped before their points are transformed.
 */
#ifndef CR_RENDER_MAP_H
#define CR_RENDER_MAP_H

#include <stddef.h>

#include "core/error.h"
#include "core/graph.h"
#include "render/choropleth.h"
#include "render/flowmap.h"
#include "render/overlay.h"
#include "render/style.h"
#include "render/zoneclass.h"
#include "spatial/zones.h"

enum cr_map_format { CR_MAP_PNG, CR_MAP_PDF, CR_MAP_SVG, CR_MAP_UNKNOWN };

/* By the extension of PATH (any case). */
enum cr_map_format cr_map_format_of(const char *path);

/* Whether PATH names an OpenStreetMap file (.osm, .pbf, .osm.bz2): its data needs attribution. */
int cr_map_is_osm_path(const char *path);

/* A layer a library caller passes in memory (render/map_shapes.c), drawn over the overlays with
 * one legend entry: polygons as rings of WGS 84 lon/lat (filled even-odd, so holes stay open) or
 * point symbols. */
enum cr_map_shape_kind { CR_MAP_POLYGONS, CR_MAP_POINTS };

struct cr_map_shapes {
    enum cr_map_shape_kind kind;
    const char *label;       /* the legend entry, or NULL: none */
    const double *lonlat;    /* [2 * point_count]: lon, lat pairs */
    size_t point_count;      /* all rings' points together (POINTS: the points) */
    const size_t *ring_size; /* POLYGONS: [ring_count] points of each ring, in turn */
    size_t ring_count;
    struct cr_rgba fill, stroke; /* POINTS: the symbol's fill and outline */
    double width_mm;             /* outline width; POINTS: the symbol's diameter */
    double dash_mm;              /* > 0: the outline dashed, DASH_MM on, DASH_MM / 2 off */
    int hatch;                   /* POLYGONS: a diagonal hatch in the stroke colour */
};

struct cr_map_options {
    const struct cr_graph_view *graph;        /* or NULL */
    const struct cr_zones *zones;             /* or NULL */
    const struct cr_zoneclass_map *class_map; /* --class-map, or NULL */
    size_t max_classes;                       /* zoning legend entries besides "Other"; 0: all */
    const struct cr_choropleth *choropleth;   /* zones coloured by a value each instead of by
                                                 class (render/choropleth.h), or NULL */
    const struct cr_overlay_spec *overlays;
    size_t overlay_count;
    const struct cr_flowmap *flows;     /* a flow layer (render/flowmap.h), drawn over the
                                           network and under the overlays, or NULL */
    const struct cr_map_shapes *shapes; /* drawn in turn, over the overlays, or NULL */
    size_t shape_count;
    const double *bbox;         /* west, south, east, north (WGS84), or NULL: all data */
    const char *crs;            /* EPSG:n, a bare code, a PROJ string; NULL: UTM */
    double width_pt, height_pt; /* the page */
    double dpi;                 /* PNG pixels per inch */
    int width_px, height_px;    /* PNG: exact pixel size when > 0 */
    const char *title, *subtitle, *date, *organisation; /* organisation NULL: the style's */
    const struct cr_style *style;
    const char *output;
};

struct cr_map_result {
    int width_px, height_px; /* PNG only */
    double scale_denom;
    char crs_name[160];
    size_t zones_drawn, segments_drawn, labels_placed, overlay_features;
    size_t flow_lines; /* flow lines drawn (in view) */
    double flow_max;   /* the largest |width value| of the flow layer */
};

/* The page of O, in points: the paper PAPER ("A4".."A0", portrait unless LANDSCAPE) or, when
 * WIDTH_PX > 0, exactly WIDTH_PX x HEIGHT_PX pixels at DPI. DPI <= 0: 96 for a pixel size, 150
 * for paper. Sets o->width_pt, height_pt, dpi and, for a pixel size, width_px, height_px. */
enum cr_status cr_map_set_page(struct cr_map_options *o, const char *paper, int landscape,
                               int width_px, int height_px, double dpi, struct cr_error *err);

enum cr_status cr_map_render(const struct cr_map_options *o, struct cr_map_result *res,
                             struct cr_error *err);

#endif
