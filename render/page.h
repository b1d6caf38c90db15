/*
 * The printed page: paper sizes (ISO 216 A0..A4), the layout of a plan map on the page (outer
 * frame, map frame, side or bottom panel for the legend and the title block), and the round
 * numbers a map needs (scale bar lengths, nominal scales, grid steps).
 *
 * All layout is in points (1/72 inch): PDF and SVG surfaces use points; a PNG is drawn on an
 * image surface scaled by dpi / 72.
 */
#ifndef CR_RENDER_PAGE_H
#define CR_RENDER_PAGE_H

#include "core/error.h"

#define CR_PT_PER_MM (72.0 / 25.4)

struct cr_rect {
    double x, y, w, h; /* top-left corner, width and height (points) */
};

/* Paper NAME ("A4".."A0", any case) in millimetres, portrait unless LANDSCAPE. */
enum cr_status cr_page_paper(const char *name, int landscape, double *width_mm, double *height_mm,
                             struct cr_error *err);

struct cr_page_layout {
    double width_pt, height_pt;
    double k;              /* size factor: sqrt(area / A4 area), from 0.8 to 4 */
    struct cr_rect outer;  /* the outer frame, inside the margins */
    struct cr_rect map;    /* the map frame (grid labels sit between map and outer) */
    struct cr_rect legend; /* the legend's box */
    struct cr_rect title;  /* the title block's box */
    int side_panel;        /* 1: panel on the right (landscape), 0: at the bottom */
};

/* Places the frames on a page of WIDTH x HEIGHT points with MARGIN_MM margins. */
void cr_page_layout_compute(double width_pt, double height_pt, double margin_mm,
                            struct cr_page_layout *out);

/* The largest 1, 2 or 5 x 10^n not above MAX (MAX > 0): a scale bar or grid step. */
double cr_page_nice_floor(double max);

/* The smallest nominal scale denominator of the series 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5
 * x 10^n (1:1 000, 1:1 250, 1:1 500, 1:2 000, 1:2 500 ... 1:7 500, 1:10 000) not below DENOM. */
double cr_page_nice_scale(double denom);

/* Scale bar: the total length (metres) of a bar at most MAX_M long, round in m or km; the
 * label of a distance ("500 m", "2 km", "1.5 km") into BUF. */
double cr_page_scale_bar_m(double max_m);
void cr_page_distance_label(double m, char *buf, unsigned size);

#endif
