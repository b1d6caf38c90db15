/*
 * The legend, built from what was drawn: each layer adds an entry for what it put on the map
 * (zone classes that appear, road groups, railway, waterways, terminal kinds, overlays by name),
 * and the legend draws them in the order added, in as many columns as its box needs.
 */
#ifndef CR_RENDER_LEGEND_H
#define CR_RENDER_LEGEND_H

#include <stddef.h>

#include <cairo.h>

#include "render/page.h"
#include "render/text.h"

enum cr_legend_kind {
    CR_LEGEND_FILL,      /* a polygon fill with an outline */
    CR_LEGEND_ROAD,      /* a cased line */
    CR_LEGEND_RAIL,      /* black and white alternating line */
    CR_LEGEND_LINE,      /* a plain line, maybe dashed */
    CR_LEGEND_SYMBOL,    /* a terminal symbol */
    CR_LEGEND_POINT,     /* an overlay point */
    CR_LEGEND_GRADUATED, /* a line of growing width */
    CR_LEGEND_BAND       /* a line of its true width (flow maps): the row grows to hold it */
};

#define CR_LEGEND_LABEL_SIZE 160

struct cr_legend_entry {
    enum cr_legend_kind kind;
    char label[CR_LEGEND_LABEL_SIZE];
    struct cr_rgba fill, stroke;
    double width_pt, casing_pt; /* lines; SYMBOL: size */
    double dash_pt[8];
    int dash_count;
    char shape[16]; /* SYMBOL: circle, square, diamond, triangle */
    int hatch;      /* FILL: diagonal hatch in the stroke colour over the fill (no data) */
};

struct cr_legend {
    struct cr_legend_entry *entries;
    size_t count, cap;
};

void cr_legend_init(struct cr_legend *l);
void cr_legend_fini(struct cr_legend *l);
/* Adds a copy of E (its label cut to fit); returns -1 out of memory. */
int cr_legend_add(struct cr_legend *l, const struct cr_legend_entry *e);

/* Draws a terminal symbol of SIZE points centred at (X, Y). */
void cr_legend_symbol(cairo_t *cr, const char *shape, double x, double y, double size,
                      struct cr_rgba fill, struct cr_rgba stroke);

/* Draws the legend into BOX: a TITLE, then the entries in columns. K is the page size factor. */
void cr_legend_draw(const struct cr_legend *l, struct cr_text *t, struct cr_rect box,
                    const char *title, const struct cr_text_style *text, struct cr_rgba ink,
                    double k);

#endif
