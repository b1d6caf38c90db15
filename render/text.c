/* Pango text with halos; <text> capture for SVG. */
#include "render/text.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void
cr_text_init(struct cr_text *t, cairo_t *cr, int svg)
{
    memset(t, 0, sizeof *t);
    t->cr = cr;
    t->svg = svg;
}

void
cr_text_fini(struct cr_text *t)
{
    free(t->svg_buf);
    memset(t, 0, sizeof *t);
}

static PangoLayout *
make_layout(cairo_t *cr, const char *text, const struct cr_text_style *s)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(s->font ? s->font : "Sans");
    PangoContext *pc = pango_layout_get_context(layout);
    cairo_font_options_t *fo = cairo_font_options_create();

    /* Metrics independent of the device scale, so PNG, PDF and SVG lay out alike. */
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    pango_context_set_round_glyph_positions(pc, FALSE);
    cairo_font_options_destroy(fo);
    pango_font_description_set_absolute_size(fd, s->size_pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, s->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, s->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(layout, text, -1);
    return layout;
}

void
cr_text_measure(struct cr_text *t, const char *text, const struct cr_text_style *s, double *width,
                double *height)
{
    PangoLayout *layout = make_layout(t->cr, text, s);
    PangoRectangle logical;

    pango_layout_get_extents(layout, NULL, &logical);
    *width = (double)logical.width / PANGO_SCALE;
    *height = (double)logical.height / PANGO_SCALE;
    g_object_unref(layout);
}

static void append(struct cr_text *t, const char *fmt, ...) CR_PRINTF(2, 3);

static void
append(struct cr_text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (t->failed)
        return;
    for (;;) {
        size_t room = t->svg_cap - t->svg_len;
        va_start(ap, fmt);
        n = vsnprintf(t->svg_buf ? t->svg_buf + t->svg_len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
            return;
        }
        if ((size_t)n < room) {
            t->svg_len += (size_t)n;
            return;
        }
        size_t cap = t->svg_cap ? t->svg_cap * 2 : 4096;
        while (cap < t->svg_len + (size_t)n + 1)
            cap *= 2;
        char *b = realloc(t->svg_buf, cap);
        if (!b) {
            t->failed = 1;
            return;
        }
        t->svg_buf = b;
        t->svg_cap = cap;
    }
}

static void
append_escaped(struct cr_text *t, const char *text)
{
    for (; *text; text++) {
        switch (*text) {
        case '&':
            append(t, "&amp;");
            break;
        case '<':
            append(t, "&lt;");
            break;
        case '>':
            append(t, "&gt;");
            break;
        case '"':
            append(t, "&quot;");
            break;
        default:
            append(t, "%c", *text);
        }
    }
}

static int
byte(double v)
{
    return (int)lround(fmin(fmax(v, 0), 1) * 255);
}

static void
record_svg(struct cr_text *t, const char *text, const struct cr_text_style *s, double x0,
           double baseline)
{
    double x = x0, y = baseline, ux = 1, uy = 0;
    char family[128];
    const char *comma;

    /* Device space of the SVG surface is points, as its viewBox. */
    cairo_user_to_device(t->cr, &x, &y);
    cairo_user_to_device_distance(t->cr, &ux, &uy);
    double angle_deg = atan2(uy, ux) * 180 / M_PI;
    double scale = hypot(ux, uy);
    comma = strchr(s->font ? s->font : "sans-serif", ',');
    snprintf(family, sizeof family, "%.*s", comma ? (int)(comma - s->font) : 100,
             s->font ? s->font : "sans-serif");
    append(t, "<text x=\"%.2f\" y=\"%.2f\" font-family=\"", x, y);
    append_escaped(t, family);
    append(t, ", DejaVu Sans, sans-serif\" font-size=\"%.2f\"%s%s fill=\"#%02x%02x%02x\"",
           s->size_pt * scale, s->bold ? " font-weight=\"bold\"" : "",
           s->italic ? " font-style=\"italic\"" : "", byte(s->colour.r), byte(s->colour.g),
           byte(s->colour.b));
    if (s->colour.a < 1)
        append(t, " fill-opacity=\"%.2f\"", s->colour.a);
    if (s->halo_pt > 0)
        append(t,
               " stroke=\"#%02x%02x%02x\" stroke-width=\"%.2f\" stroke-linejoin=\"round\" "
               "paint-order=\"stroke\"",
               byte(s->halo.r), byte(s->halo.g), byte(s->halo.b), 2 * s->halo_pt * scale);
    if (fabs(angle_deg) > 0.01)
        append(t, " transform=\"rotate(%.2f %.2f %.2f)\"", angle_deg, x, y);
    append(t, ">");
    append_escaped(t, text);
    append(t, "</text>\n");
}

void
cr_text_draw(struct cr_text *t, const char *text, const struct cr_text_style *s, double x, double y,
             double angle, enum cr_text_align align)
{
    cairo_t *cr = t->cr;
    PangoLayout *layout;
    PangoRectangle logical;
    double w, h, dx;

    if (!text || !*text)
        return;
    layout = make_layout(cr, text, s);
    pango_layout_get_extents(layout, NULL, &logical);
    w = (double)logical.width / PANGO_SCALE;
    h = (double)logical.height / PANGO_SCALE;
    dx = align == CR_TEXT_LEFT ? 0 : align == CR_TEXT_CENTRE ? -w / 2 : -w;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, angle);
    if (t->svg) {
        double baseline = (double)pango_layout_get_baseline(layout) / PANGO_SCALE;
        record_svg(t, text, s, dx, -h / 2 + baseline);
    } else {
        cairo_move_to(cr, dx - (double)logical.x / PANGO_SCALE, -h / 2);
        if (s->halo_pt > 0) {
            pango_cairo_layout_path(cr, layout);
            cairo_set_source_rgba(cr, s->halo.r, s->halo.g, s->halo.b, s->halo.a);
            cairo_set_line_width(cr, 2 * s->halo_pt);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            cairo_stroke(cr);
            cairo_move_to(cr, dx - (double)logical.x / PANGO_SCALE, -h / 2);
        }
        cairo_set_source_rgba(cr, s->colour.r, s->colour.g, s->colour.b, s->colour.a);
        pango_cairo_show_layout(cr, layout);
    }
    cairo_restore(cr);
    g_object_unref(layout);
}

const char *
cr_text_svg_elements(const struct cr_text *t)
{
    return t->svg_buf ? t->svg_buf : "";
}
