/* Grid, scale bar, north arrow, attribution and title block. */
#include "render/furniture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "corridor/version.h"

void
cr_furniture_group_digits(double value, char *buf, unsigned size)
{
    char digits[40], out[64];
    long long v = llround(fabs(value));
    int n, o = 0;

    n = snprintf(digits, sizeof digits, "%lld", v);
    if (value < 0 && v)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ' ';
        out[o++] = digits[i];
    }
    out[o] = 0;
    snprintf(buf, size, "%s", out);
}

static struct cr_text_style
text_style(const struct cr_style *s, double size_pt, struct cr_rgba colour)
{
    struct cr_text_style ts = { s->font, size_pt, 0, 0, colour, 0, s->label_halo };
    return ts;
}

void
cr_furniture_grid(struct cr_text *t, const struct cr_view *v, const struct cr_style *s, double k)
{
    cairo_t *cr = t->cr;
    struct cr_rect f = v->frame;
    struct cr_text_style ts = text_style(s, s->grid_label_pt * k, s->ink);
    double step, tick = 1.2 * CR_PT_PER_MM * k, off = 1.5 * CR_PT_PER_MM * k;
    char label[48];

    if (s->grid_lines <= 0)
        return;
    step = cr_page_nice_floor(fmax(v->x1 - v->x0, v->y1 - v->y0) / s->grid_lines);
    if (!(step > 0))
        return;
    /* labels must not touch: widen the step (1, 2, 5 x 10^n) until the widest fits */
    {
        double tw, th;
        cr_furniture_group_digits(fmax(fabs(v->x1), fabs(v->y1)), label, sizeof label);
        cr_text_measure(t, label, &ts, &tw, &th);
        while (step * v->s < tw * 1.8) {
            double lead = step / pow(10, floor(log10(step)));
            step *= lead < 1.5 ? 2 : lead < 3 ? 2.5 : 2;
        }
    }
    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_clip(cr);
    cairo_set_source_rgba(cr, s->grid_colour.r, s->grid_colour.g, s->grid_colour.b,
                          s->grid_colour.a);
    cairo_set_line_width(cr, s->grid_width_mm * CR_PT_PER_MM * k);
    for (double x = ceil(v->x0 / step) * step; x <= v->x1; x += step) {
        double px, py;
        cr_view_to_page(v, x, v->y0, &px, &py);
        cairo_move_to(cr, px, f.y);
        cairo_line_to(cr, px, f.y + f.h);
    }
    for (double y = ceil(v->y0 / step) * step; y <= v->y1; y += step) {
        double px, py;
        cr_view_to_page(v, v->x0, y, &px, &py);
        cairo_move_to(cr, f.x, py);
        cairo_line_to(cr, f.x + f.w, py);
    }
    cairo_stroke(cr);
    cairo_restore(cr);

    /* ticks and labels outside the frame: eastings above and below, northings left and right */
    cairo_save(cr);
    cairo_set_source_rgba(cr, s->ink.r, s->ink.g, s->ink.b, s->ink.a);
    cairo_set_line_width(cr, 0.2 * CR_PT_PER_MM * k);
    for (double x = ceil(v->x0 / step) * step; x <= v->x1; x += step) {
        double px, py;
        cr_view_to_page(v, x, v->y0, &px, &py);
        cairo_move_to(cr, px, f.y);
        cairo_line_to(cr, px, f.y - tick);
        cairo_move_to(cr, px, f.y + f.h);
        cairo_line_to(cr, px, f.y + f.h + tick);
        cairo_stroke(cr);
        cr_furniture_group_digits(x, label, sizeof label);
        cr_text_draw(t, label, &ts, px, f.y - tick - off, 0, CR_TEXT_CENTRE);
        cr_text_draw(t, label, &ts, px, f.y + f.h + tick + off, 0, CR_TEXT_CENTRE);
    }
    for (double y = ceil(v->y0 / step) * step; y <= v->y1; y += step) {
        double px, py;
        cr_view_to_page(v, v->x0, y, &px, &py);
        cairo_move_to(cr, f.x, py);
        cairo_line_to(cr, f.x - tick, py);
        cairo_move_to(cr, f.x + f.w, py);
        cairo_line_to(cr, f.x + f.w + tick, py);
        cairo_stroke(cr);
        cr_furniture_group_digits(y, label, sizeof label);
        cr_text_draw(t, label, &ts, f.x - tick - off, py, -M_PI / 2, CR_TEXT_CENTRE);
        cr_text_draw(t, label, &ts, f.x + f.w + tick + off, py, M_PI / 2, CR_TEXT_CENTRE);
    }
    cairo_restore(cr);
}

static void
white_box(cairo_t *cr, double x, double y, double w, double h, double k)
{
    cairo_rectangle(cr, x, y, w, h);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, 0.3, 0.3, 0.3, 1);
    cairo_set_line_width(cr, 0.15 * CR_PT_PER_MM * k);
    cairo_stroke(cr);
}

void
cr_furniture_scale_bar(struct cr_text *t, const struct cr_view *v, const struct cr_style *s,
                       double k, struct cr_label_set *labels)
{
    cairo_t *cr = t->cr;
    double mm = CR_PT_PER_MM * k, pad = 2.5 * mm, bar_h = 1.6 * mm;
    double len_m = cr_page_scale_bar_m(v->frame.w * 0.25 / v->s), len_pt = len_m * v->s;
    struct cr_text_style ts = text_style(s, s->body_pt * 0.9 * k, s->ink);
    char label[48], scale[64];
    double tw, th, x0, y0, box_w, box_h;

    if (!(len_m > 0))
        return;
    cr_furniture_group_digits(v->denom, label, sizeof label);
    snprintf(scale, sizeof scale, "1:%s", label);
    cr_text_measure(t, scale, &ts, &tw, &th);
    box_w = len_pt + 2 * pad + 6 * mm;
    box_h = th * 2.6 + bar_h + 2 * pad;
    x0 = v->frame.x + 3 * mm;
    y0 = v->frame.y + v->frame.h - 3 * mm - box_h;
    cairo_save(cr);
    white_box(cr, x0, y0, box_w, box_h, k);
    double bx = x0 + pad + 1 * mm, by = y0 + pad + th * 1.2;
    cr_text_draw(t, scale, &ts, x0 + box_w / 2, y0 + pad + th / 2, 0, CR_TEXT_CENTRE);
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, bx + len_pt * i / 4, by, len_pt / 4, bar_h);
        if (i % 2)
            cairo_set_source_rgb(cr, 1, 1, 1);
        else
            cairo_set_source_rgba(cr, s->ink.r, s->ink.g, s->ink.b, 1);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, bx, by, len_pt, bar_h);
    cairo_set_source_rgba(cr, s->ink.r, s->ink.g, s->ink.b, 1);
    cairo_set_line_width(cr, 0.15 * mm);
    cairo_stroke(cr);
    double ly = by + bar_h + th * 0.75;
    cr_text_draw(t, "0", &ts, bx, ly, 0, CR_TEXT_CENTRE);
    cr_page_distance_label(len_m / 2, label, sizeof label);
    cr_text_draw(t, label, &ts, bx + len_pt / 2, ly, 0, CR_TEXT_CENTRE);
    cr_page_distance_label(len_m, label, sizeof label);
    cr_text_draw(t, label, &ts, bx + len_pt, ly, 0, CR_TEXT_CENTRE);
    cairo_restore(cr);
    struct cr_label_box b = { x0, y0, x0 + box_w, y0 + box_h };
    cr_label_set_add(labels, &b, 1);
}

void
cr_furniture_north_arrow(struct cr_text *t, const struct cr_view *v, const struct cr_style *s,
                         double k, double convergence, struct cr_label_set *labels)
{
    cairo_t *cr = t->cr;
    double mm = CR_PT_PER_MM * k, size = 11 * mm, pad = 1.5 * mm;
    double x0 = v->frame.x + v->frame.w - 3 * mm - size, y0 = v->frame.y + 3 * mm;
    double cx = x0 + size / 2, cy = y0 + size * 0.58, r = size * 0.36;
    struct cr_text_style ts = text_style(s, s->body_pt * 1.2 * k, s->ink);

    ts.bold = 1;
    cairo_save(cr);
    white_box(cr, x0, y0, size, size * 1.05, k);
    cairo_translate(cr, cx, cy);
    cairo_rotate(cr, convergence);
    /* a split arrow: left half filled, right half open */
    cairo_move_to(cr, 0, -r);
    cairo_line_to(cr, -r * 0.45, r * 0.75);
    cairo_line_to(cr, 0, r * 0.4);
    cairo_close_path(cr);
    cairo_set_source_rgba(cr, s->ink.r, s->ink.g, s->ink.b, 1);
    cairo_fill(cr);
    cairo_move_to(cr, 0, -r);
    cairo_line_to(cr, r * 0.45, r * 0.75);
    cairo_line_to(cr, 0, r * 0.4);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, s->ink.r, s->ink.g, s->ink.b, 1);
    cairo_set_line_width(cr, 0.15 * mm);
    cairo_stroke(cr);
    cairo_restore(cr);
    cr_text_draw(t, "N", &ts, cx, y0 + pad + ts.size_pt * 0.45, 0, CR_TEXT_CENTRE);
    struct cr_label_box b = { x0, y0, x0 + size, y0 + size * 1.05 };
    cr_label_set_add(labels, &b, 1);
}

void
cr_furniture_attribution(struct cr_text *t, const struct cr_view *v, const struct cr_style *s,
                         double k, const char *text, struct cr_label_set *labels)
{
    struct cr_text_style ts = text_style(s, s->body_pt * 0.85 * k, s->ink);
    double mm = CR_PT_PER_MM * k, tw, th;
    double x = v->frame.x + v->frame.w - 1.5 * mm, y;

    ts.halo_pt = s->label_halo_mm * CR_PT_PER_MM * k;
    cr_text_measure(t, text, &ts, &tw, &th);
    y = v->frame.y + v->frame.h - 1 * mm - th / 2;
    cr_text_draw(t, text, &ts, x, y, 0, CR_TEXT_RIGHT);
    struct cr_label_box b = { x - tw, y - th / 2, x, y + th / 2 };
    cr_label_set_add(labels, &b, 1);
}

/* Draws TEXT left-aligned at (X, Y middle), shrunk until it fits MAX_W; returns its height. */
static double
fitted(struct cr_text *t, const char *text, struct cr_text_style ts, double x, double y,
       double max_w)
{
    double tw, th;

    cr_text_measure(t, text, &ts, &tw, &th);
    for (int i = 0; i < 4 && tw > max_w && tw > 0; i++) {
        ts.size_pt *= max_w / tw * 0.98;
        cr_text_measure(t, text, &ts, &tw, &th);
    }
    cr_text_draw(t, text, &ts, x, y + th / 2, 0, CR_TEXT_LEFT);
    return th;
}

void
cr_furniture_title_block(struct cr_text *t, struct cr_rect box, const struct cr_style *s, double k,
                         const struct cr_title_block *tb)
{
    cairo_t *cr = t->cr;
    double mm = CR_PT_PER_MM * k, pad = 3 * mm, x = box.x + pad, w = box.w - 2 * pad;
    double y = box.y + pad;
    struct cr_text_style body = text_style(s, s->body_pt * k, s->ink), small = body;
    struct cr_text_style title = text_style(s, s->title_pt * k, s->ink);
    struct cr_text_style sub = text_style(s, s->subtitle_pt * k, s->ink);
    char line[320], digits[48];

    title.bold = 1;
    small.size_pt *= 0.85;
    cairo_save(cr);
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    cairo_set_source_rgba(cr, s->ink.r, s->ink.g, s->ink.b, 1);
    cairo_set_line_width(cr, 0.35 * mm);
    cairo_stroke(cr);
    if (tb->organisation && *tb->organisation) {
        struct cr_text_style org = body;
        org.bold = 1;
        y += fitted(t, tb->organisation, org, x, y, w) + 1.5 * mm;
        cairo_move_to(cr, box.x, y);
        cairo_line_to(cr, box.x + box.w, y);
        cairo_set_line_width(cr, 0.2 * mm);
        cairo_stroke(cr);
        y += 2 * mm;
    }
    if (tb->title && *tb->title)
        y += fitted(t, tb->title, title, x, y, w) + 1 * mm;
    if (tb->subtitle && *tb->subtitle)
        y += fitted(t, tb->subtitle, sub, x, y, w) + 1 * mm;
    y += 1.5 * mm;
    cairo_move_to(cr, box.x, y);
    cairo_line_to(cr, box.x + box.w, y);
    cairo_set_line_width(cr, 0.2 * mm);
    cairo_stroke(cr);
    y += 2 * mm;
    cr_furniture_group_digits(tb->scale_denom, digits, sizeof digits);
    snprintf(line, sizeof line, "%s: 1:%s", s->scale_word, digits);
    y += fitted(t, line, body, x, y, w) + 1 * mm;
    snprintf(line, sizeof line, "%s: %s", s->crs_word, tb->crs_name ? tb->crs_name : "");
    y += fitted(t, line, body, x, y, w) + 1 * mm;
    if (tb->date && *tb->date) {
        snprintf(line, sizeof line, "%s: %s", s->date_word, tb->date);
        y += fitted(t, line, body, x, y, w) + 1 * mm;
    }
    if (tb->attribution && *tb->attribution)
        y += fitted(t, tb->attribution, small, x, y, w) + 1 * mm;
    if (y < box.y + box.h - pad - small.size_pt * 1.4)
        fitted(t, "corridor " CORRIDOR_VERSION_STRING, small, x,
               box.y + box.h - pad - small.size_pt * 1.4, w);
    cairo_restore(cr);
}
