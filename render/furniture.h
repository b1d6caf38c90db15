/*
 * What a printed plan map carries around the drawing: the grid with its coordinate labels in
 * the map CRS, the scale bar, the north arrow, the attribution and the title block.
 */
#ifndef CR_RENDER_FURNITURE_H
#define CR_RENDER_FURNITURE_H

#include "render/label.h"
#include "render/style.h"
#include "render/text.h"
#include "render/view.h"

/* "1 192 000": an integer with a space between groups of three digits. */
void cr_furniture_group_digits(double value, char *buf, unsigned size);

/* Grid lines across the map frame every round step, their labels outside the frame. */
void cr_furniture_grid(struct cr_text *t, const struct cr_view *v, const struct cr_style *s,
                       double k);

/* The scale bar in the frame's lower left corner; its box goes into LABELS. */
void cr_furniture_scale_bar(struct cr_text *t, const struct cr_view *v, const struct cr_style *s,
                            double k, struct cr_label_set *labels);

/* The north arrow in the upper right corner, turned by CONVERGENCE (radians, true north's
 * angle from grid north, clockwise positive); its box goes into LABELS. */
void cr_furniture_north_arrow(struct cr_text *t, const struct cr_view *v, const struct cr_style *s,
                              double k, double convergence, struct cr_label_set *labels);

/* TEXT at the frame's lower right corner, small, with a halo; its box goes into LABELS. */
void cr_furniture_attribution(struct cr_text *t, const struct cr_view *v, const struct cr_style *s,
                              double k, const char *text, struct cr_label_set *labels);

struct cr_title_block {
    const char *title, *subtitle, *organisation, *date, *crs_name, *attribution;
    double scale_denom;
};

void cr_furniture_title_block(struct cr_text *t, struct cr_rect box, const struct cr_style *s,
                              double k, const struct cr_title_block *tb);

#endif
