/*
 * Flow maps: a line layer (the links of an assignment: FLOWS.gpkg, or any GeoJSON, GeoPackage or
 * Shapefile of lines GDAL reads) drawn with each line's width proportional to a numeric field
 * and its colour by classes of another (or the same) field. See docs/render.md, "Flow maps".
 *
 * Width: |value| / max|value| x max_width_mm, so the largest flow is max_width_mm wide; a line
 * with a non-zero value is at least min_width_mm wide; a zero or missing value is not drawn.
 * The legend shows 3 or 4 width samples in the field's unit, at round numbers (1, 2, 2.5 or 5
 * times a power of ten) at or below the largest value.
 *
 * Colour, one of three modes:
 *   CR_FLOW_CLASSES    classes of COLOUR_FIELD (default: volume/capacity, "voc") by breaks, by
 *                      default 0.5, 0.8, 1.0: green (v/c <= 0.5), yellow (0.5 to 0.8), orange
 *                      (0.8 to 1.0), red (above 1.0). Other breaks (ascending): four classes
 *                      keep those four colours, any other count takes render/choropleth's
 *                      sequential palette.
 *   CR_FLOW_DIVERGING  a difference (after minus before: d_flow_pce): blue decrease, red
 *                      increase, width by the absolute value; colour classes from
 *                      render/choropleth's diverging palette and symmetric breaks (or BREAKS),
 *                      of COLOUR_FIELD, or of the width field when none is given.
 *   CR_FLOW_SINGLE     one colour (the style's first palette colour).
 * Classes follow render/choropleth: class i holds b[i-1] < v <= b[i]. A line without a colour
 * value is drawn in the choropleth's no-data grey.
 *
 * Two-way roads: with OFFSET (or when the layer has a direction field, "dir" by default), each
 * line is drawn beside its centre line, on the right of its direction of travel (as Emme, Visum
 * and AequilibraE draw them), by half its width plus a small gap, so the two directions of a road
 * (two features, or one feature per direction) sit side by side. The direction of travel is the
 * order of the line's points, reversed where the direction field is negative; a direction field
 * of 0 (both ways on one feature) draws the line on its centre.
 */
#ifndef CR_RENDER_FLOWMAP_H
#define CR_RENDER_FLOWMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "render/choropleth.h"
#include "render/style.h"

enum cr_flow_colour { CR_FLOW_CLASSES, CR_FLOW_DIVERGING, CR_FLOW_SINGLE };

#define CR_FLOW_DEFAULT_WIDTH_FIELD "flow_pce"
#define CR_FLOW_DEFAULT_COLOUR_FIELD "voc"
#define CR_FLOW_DEFAULT_DIR_FIELD "dir"
#define CR_FLOW_DEFAULT_MAX_WIDTH_MM 6.0
#define CR_FLOW_DEFAULT_MIN_WIDTH_MM 0.25
#define CR_FLOW_MAX_SAMPLES 4

/* The default v/c breaks and their four colours (green, yellow, orange, red). */
extern const double cr_flow_voc_breaks[3];
extern const struct cr_rgba cr_flow_voc_colours[4];

/* What a caller asks for (struct cr_map_options.flows). NULL strings take the defaults above. */
struct cr_flowmap {
    const char *path;         /* the line layer */
    const char *layer;        /* its layer (GeoPackage), or NULL: picked */
    const char *width_field;  /* NULL: "flow_pce" */
    const char *colour_field; /* NULL: "voc" for CLASSES, the width field for DIVERGING */
    const char *dir_field;    /* NULL: "dir" when the layer has it */
    enum cr_flow_colour colour;
    const double *breaks;    /* ascending, or NULL: the mode's default */
    size_t break_count;      /* at most CR_CHOROPLETH_MAX_CLASSES - 1 */
    double max_width_mm;     /* <= 0: CR_FLOW_DEFAULT_MAX_WIDTH_MM */
    double min_width_mm;     /* < 0: CR_FLOW_DEFAULT_MIN_WIDTH_MM */
    int offset;              /* draw each line on the right of its travel direction */
    const char *unit;        /* the width legend's unit ("PCE/h"); NULL: the width field's name */
    const char *colour_unit; /* the colour legend's label ("v/c"); NULL: the colour field's */
    int osm;                 /* the lines come from OpenStreetMap: the map credits it */
};

/* The lines read from the file, in WGS 84. caller frees: cr_flowmap_layer_fini() */
struct cr_flowmap_layer {
    size_t count;         /* lines */
    double *lonlat;       /* all points, lon, lat pairs */
    size_t point_count;   /* pairs in lonlat */
    size_t *first, *n;    /* [count]: line i is points first[i] .. first[i] + n[i] - 1 */
    double *value;        /* [count]: the width field (not NAN: lines without one are left out) */
    double *colour_value; /* [count]: the colour field, NAN: none */
    int8_t *dir;          /* [count]: +1 as drawn, -1 reversed, 0 both ways (no offset) */
    double max_abs;       /* the largest |value| */
    size_t skipped;       /* features without geometry or width value */
    int has_dir;          /* the layer had a direction field */
    char width_name[64], colour_name[64];
};

/* Reads F's file: every line (LineString or MultiLineString, each part a line) with its values,
 * transformed to WGS 84. Errors name the file: unreadable, no such field, a field that is not
 * numeric, out of memory. */
enum cr_status cr_flowmap_load(const struct cr_flowmap *f, struct cr_flowmap_layer *out,
                               struct cr_error *err);
void cr_flowmap_layer_fini(struct cr_flowmap_layer *l);

/* The width in mm of a line of VALUE when the largest |value| is MAX_ABS (0 when VALUE is 0 or
 * not finite, or MAX_ABS is not positive). */
double cr_flowmap_width_mm(const struct cr_flowmap *f, double max_abs, double value);

/* Up to CR_FLOW_MAX_SAMPLES round legend values, ascending, all at or below MAX_ABS and above 0,
 * the largest the greatest round number (1, 2, 2.5 or 5 x 10^k) not above MAX_ABS. Returns how
 * many (0 when MAX_ABS is not positive). */
size_t cr_flowmap_samples(double max_abs, double out[CR_FLOW_MAX_SAMPLES]);

/* The colour classes of F for the N colour values VALUES (NAN: none), through
 * cr_choropleth_classify; for CR_FLOW_SINGLE one class. Errors: bad breaks. */
enum cr_status cr_flowmap_classify(const struct cr_flowmap *f, const double *values, size_t n,
                                   struct cr_choropleth_classes *out, struct cr_error *err);

/* --flow-colour: "classes" (or "voc"), "diverging", "single" into *OUT; -1 otherwise. */
int cr_flowmap_colour_parse(const char *text, enum cr_flow_colour *out);

/* Offsets the N page points XY (pairs) by D points to the right of their order (page y points
 * down) into OUT, mitred at the joints (limited to 3 D). */
void cr_flowmap_offset(const double *xy, size_t n, double d, double *out);

#endif
