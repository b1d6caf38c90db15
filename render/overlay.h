/*
 * Overlays: any vector file GDAL reads (GeoJSON, GeoPackage, Shapefile...) drawn over the map
 * with a style given on the command line: FILE[:key=value,key=value...].
 *
 *   name=Car route       legend entry (default: the file name without extension)
 *   colour=#d62728       line and point colour (default: the style's palette in turn)
 *   width=1.2            line width in mm
 *   dash=3/1.5           dash pattern in mm
 *   fill=#ff000040       polygon fill (default: the colour at the style's fill opacity)
 *   opacity=0.8          of the whole overlay
 *   width-field=flow     graduated width by a numeric field, from width-min to width-max (mm)
 *   width-min=0.5  width-max=6
 *   layer=routes         the layer of a multi-layer file (GeoPackage)
 *   point=2              point symbol diameter in mm
 *   where=kind='route'   an OGR attribute filter
 */
#ifndef CR_RENDER_OVERLAY_H
#define CR_RENDER_OVERLAY_H

#include <cairo.h>
#include <proj.h>

#include "core/error.h"
#include "render/style.h"
#include "render/view.h"
#include "spatial/ctx.h"

struct cr_overlay_spec {
    char *path, *layer, *name, *width_field, *where;
    struct cr_rgba colour, fill;
    int has_colour, has_fill;
    double width_mm, opacity, width_min_mm, width_max_mm, point_mm; /* < 0: style default */
    double dash_mm[8];
    int dash_count;
};

/* Parses FILE[:style]. The style part starts at the first ':' followed by key=value. */
enum cr_status cr_overlay_spec_parse(const char *text, struct cr_overlay_spec *out,
                                     struct cr_error *err);
void cr_overlay_spec_fini(struct cr_overlay_spec *s);

struct cr_overlay;

/* Opens the file and its layer, and the transformation (spatial/crs) from the layer's CRS
 * (WGS84 when it names none) to MAP_CRS, in C's PROJ context, which must outlive the overlay,
 * as must SPEC (borrowed: drawing reads its style).
 * caller frees: cr_overlay_close() */
struct cr_overlay *cr_overlay_open(const struct cr_overlay_spec *spec, struct cr_ctx *c,
                                   const PJ *map_crs, struct cr_error *err);
void cr_overlay_close(struct cr_overlay *o);

/* The layer's extent in the map CRS; 0 on success, -1 when empty or unknown. */
int cr_overlay_extent(struct cr_overlay *o, double *x0, double *y0, double *x1, double *y1);

/* What was drawn, for the legend. */
struct cr_overlay_drawn {
    int lines, polygons, points; /* counts of features drawn by kind */
    struct cr_rgba colour, fill;
    double width_pt, point_pt;
    double dash_pt[8];
    int dash_count;
    double field_min, field_max; /* graduated: the field's range */
    double width_min_pt, width_max_pt;
};

/* Draws the features inside the view (a spatial filter skips the rest), with K the page's size
 * factor and INDEX the overlay's place (for the palette). */
enum cr_status cr_overlay_draw(struct cr_overlay *o, cairo_t *cr, const struct cr_view *v,
                               const struct cr_style *style, double k, size_t index,
                               struct cr_overlay_drawn *drawn, struct cr_error *err);

/* The legend name: the spec's name, or the file name without folders and extension. */
const char *cr_overlay_name(const struct cr_overlay *o);

#endif
