/* Where the map CRS lands on the page: a uniform scale about the map frame's centre. */
#ifndef CR_RENDER_VIEW_H
#define CR_RENDER_VIEW_H

#include "render/page.h"

struct cr_view {
    double cx, cy;         /* map-CRS point at the frame's centre (metres) */
    double s;              /* page points per map metre */
    double denom;          /* nominal scale 1:denom */
    struct cr_rect frame;  /* the map frame on the page */
    double x0, y0, x1, y1; /* map-CRS bounds of the frame */
};

static inline void
cr_view_to_page(const struct cr_view *v, double x, double y, double *px, double *py)
{
    *px = v->frame.x + v->frame.w / 2 + (x - v->cx) * v->s;
    *py = v->frame.y + v->frame.h / 2 - (y - v->cy) * v->s;
}

#endif
