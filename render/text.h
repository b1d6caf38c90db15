/*
 * Text on a map through Pango (so Vietnamese diacritics shape right), with an optional halo.
 *
 * Cairo's SVG surface writes glyphs as outlines, never as <text>. So that an SVG map keeps its
 * text as text (searchable, editable), a text context made with cr_text_init(.., svg = 1) does
 * not draw glyphs; it records each string with its page position, and cr_text_svg_elements()
 * gives the <text> elements to put before the SVG's closing tag.
 */
#ifndef CR_RENDER_TEXT_H
#define CR_RENDER_TEXT_H

#include <stddef.h>

#include <cairo.h>

struct cr_rgba {
    double r, g, b, a;
};

enum cr_text_align { CR_TEXT_LEFT = 0, CR_TEXT_CENTRE, CR_TEXT_RIGHT };

struct cr_text_style {
    const char *font; /* Pango family list, e.g. "Noto Sans, DejaVu Sans" */
    double size_pt;
    int bold, italic;
    struct cr_rgba colour;
    double halo_pt; /* 0: no halo */
    struct cr_rgba halo;
};

struct cr_text {
    cairo_t *cr;
    int svg;       /* record text for <text> elements instead of drawing glyphs */
    char *svg_buf; /* the recorded elements */
    size_t svg_len, svg_cap;
    int failed; /* out of memory while recording */
};

void cr_text_init(struct cr_text *t, cairo_t *cr, int svg);
void cr_text_fini(struct cr_text *t);

/* Width and height (points) TEXT takes in STYLE. */
void cr_text_measure(struct cr_text *t, const char *text, const struct cr_text_style *s,
                     double *width, double *height);

/* Draws TEXT with its vertical middle at Y and its left, centre or right at X (user space),
 * rotated by ANGLE radians about (X, Y). */
void cr_text_draw(struct cr_text *t, const char *text, const struct cr_text_style *s, double x,
                  double y, double angle, enum cr_text_align align);

/* The recorded <text> elements (NUL-terminated, "" when none). */
const char *cr_text_svg_elements(const struct cr_text *t);

#endif
