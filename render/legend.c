/* The legend: entries gathered while drawing, laid out in columns. */
#include "render/legend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cr_legend_init(struct cr_legend *l)
{
    memset(l, 0, sizeof *l);
}

void
cr_legend_fini(struct cr_legend *l)
{
    free(l->entries);
    memset(l, 0, sizeof *l);
}

int
cr_legend_add(struct cr_legend *l, const struct cr_legend_entry *e)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct cr_legend_entry *n = realloc(l->entries, cap * sizeof *n);
        if (!n)
            return -1;
        l->entries = n;
        l->cap = cap;
    }
    l->entries[l->count++] = *e;
    return 0;
}

void
cr_legend_symbol(cairo_t *cr, const char *shape, double x, double y, double size,
                 struct cr_rgba fill, struct cr_rgba stroke)
{
    double r = size / 2;

    cairo_save(cr);
    cairo_new_path(cr);
    if (!strcmp(shape, "square")) {
        cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r);
    } else if (!strcmp(shape, "diamond")) {
        cairo_move_to(cr, x, y - r * 1.1);
        cairo_line_to(cr, x + r * 1.1, y);
        cairo_line_to(cr, x, y + r * 1.1);
        cairo_line_to(cr, x - r * 1.1, y);
        cairo_close_path(cr);
    } else if (!strcmp(shape, "triangle")) {
        cairo_move_to(cr, x, y - r * 1.1);
        cairo_line_to(cr, x + r, y + r * 0.7);
        cairo_line_to(cr, x - r, y + r * 0.7);
        cairo_close_path(cr);
    } else {
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    }
    /* a dark rim outside a light stroke keeps the symbol readable on any fill */
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_source_rgba(cr, 0.1, 0.1, 0.1, 1);
    cairo_set_line_width(cr, size * 0.32);
    cairo_stroke_preserve(cr);
    cairo_set_source_rgba(cr, stroke.r, stroke.g, stroke.b, stroke.a);
    cairo_set_line_width(cr, size * 0.16);
    cairo_stroke_preserve(cr);
    cairo_set_source_rgba(cr, fill.r, fill.g, fill.b, fill.a);
    cairo_fill(cr);
    if (!strcmp(shape, "circle") && fill.r > 0.9 && fill.g > 0.9 && fill.b > 0.9) {
        /* a station: half black, as on railway maps */
        cairo_arc(cr, x, y, r * 0.92, M_PI / 2, 3 * M_PI / 2);
        cairo_close_path(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

static void
swatch(cairo_t *cr, const struct cr_legend_entry *e, double x, double y, double w, double h,
       double k)
{
    double cy = y + h / 2;

    cairo_save(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    switch (e->kind) {
    case CR_LEGEND_FILL:
        cairo_rectangle(cr, x, y + h * 0.1, w, h * 0.8);
        cairo_set_source_rgba(cr, e->fill.r, e->fill.g, e->fill.b, e->fill.a);
        cairo_fill_preserve(cr);
        cairo_set_source_rgba(cr, e->stroke.r, e->stroke.g, e->stroke.b, e->stroke.a);
        cairo_set_line_width(cr, fmax(e->width_pt, 0.4 * k));
        cairo_set_dash(cr, e->dash_pt, e->dash_count, 0);
        cairo_stroke(cr);
        break;
    case CR_LEGEND_ROAD:
        cairo_move_to(cr, x, cy);
        cairo_line_to(cr, x + w, cy);
        cairo_set_source_rgba(cr, e->stroke.r, e->stroke.g, e->stroke.b, e->stroke.a);
        cairo_set_line_width(cr, e->width_pt + 2 * e->casing_pt);
        cairo_stroke_preserve(cr);
        cairo_set_source_rgba(cr, e->fill.r, e->fill.g, e->fill.b, e->fill.a);
        cairo_set_line_width(cr, e->width_pt);
        cairo_stroke(cr);
        break;
    case CR_LEGEND_RAIL:
        cairo_move_to(cr, x, cy);
        cairo_line_to(cr, x + w, cy);
        cairo_set_source_rgba(cr, e->stroke.r, e->stroke.g, e->stroke.b, e->stroke.a);
        cairo_set_line_width(cr, e->width_pt);
        cairo_stroke_preserve(cr);
        cairo_set_source_rgba(cr, e->fill.r, e->fill.g, e->fill.b, e->fill.a);
        cairo_set_line_width(cr, e->width_pt * 0.55);
        cairo_set_dash(cr, e->dash_pt, 1, 0);
        cairo_stroke(cr);
        break;
    case CR_LEGEND_LINE:
        cairo_move_to(cr, x, cy);
        cairo_line_to(cr, x + w, cy);
        cairo_set_source_rgba(cr, e->stroke.r, e->stroke.g, e->stroke.b, e->stroke.a);
        cairo_set_line_width(cr, fmin(e->width_pt, h));
        cairo_set_dash(cr, e->dash_pt, e->dash_count, 0);
        cairo_stroke(cr);
        break;
    case CR_LEGEND_GRADUATED:
        cairo_move_to(cr, x, cy - fmin(e->casing_pt, h) / 2);
        cairo_line_to(cr, x + w, cy - fmin(e->width_pt, h) / 2);
        cairo_line_to(cr, x + w, cy + fmin(e->width_pt, h) / 2);
        cairo_line_to(cr, x, cy + fmin(e->casing_pt, h) / 2);
        cairo_close_path(cr);
        cairo_set_source_rgba(cr, e->stroke.r, e->stroke.g, e->stroke.b, e->stroke.a);
        cairo_fill(cr);
        break;
    case CR_LEGEND_SYMBOL:
        cr_legend_symbol(cr, e->shape, x + w / 2, cy, fmin(e->width_pt, h), e->fill, e->stroke);
        break;
    case CR_LEGEND_POINT:
        cairo_arc(cr, x + w / 2, cy, fmin(e->width_pt, h) / 2, 0, 2 * M_PI);
        cairo_set_source_rgba(cr, e->stroke.r, e->stroke.g, e->stroke.b, e->stroke.a);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, fmin(e->width_pt, h) * 0.2);
        cairo_stroke(cr);
        break;
    }
    cairo_restore(cr);
}

void
cr_legend_draw(const struct cr_legend *l, struct cr_text *t, struct cr_rect box, const char *title,
               const struct cr_text_style *text, struct cr_rgba ink, double k)
{
    cairo_t *cr = t->cr;
    struct cr_text_style ts = *text, hs = *text;
    double pad = 3 * CR_PT_PER_MM * k, sw = 9 * CR_PT_PER_MM * k, gap = 2 * CR_PT_PER_MM * k;
    double tw, th, widest = 0, row_h, header_h;
    size_t rows_fit, cols, rows;

    cairo_save(cr);
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    cairo_set_source_rgba(cr, ink.r, ink.g, ink.b, ink.a);
    cairo_set_line_width(cr, 0.35 * CR_PT_PER_MM * k);
    cairo_stroke(cr);
    hs.bold = 1;
    hs.size_pt = text->size_pt * 1.25;
    hs.halo_pt = ts.halo_pt = 0;
    cr_text_measure(t, title, &hs, &tw, &th);
    cr_text_draw(t, title, &hs, box.x + pad, box.y + pad + th / 2, 0, CR_TEXT_LEFT);
    header_h = pad + th * 1.5;
    if (!l->count) {
        cairo_restore(cr);
        return;
    }
    /* rows that fit, columns needed, then the text size that lets the widest label fit */
    for (;;) {
        row_h = ts.size_pt * 1.9;
        rows_fit = (size_t)fmax(1, floor((box.h - header_h - pad) / row_h));
        cols = (l->count + rows_fit - 1) / rows_fit;
        if (cols <= 1 || ts.size_pt <= text->size_pt * 0.7)
            break;
        ts.size_pt *= 0.93; /* shrink a little before adding a column */
    }
    rows = (l->count + cols - 1) / cols;
    for (size_t i = 0; i < l->count; i++) {
        cr_text_measure(t, l->entries[i].label, &ts, &tw, &th);
        widest = fmax(widest, tw);
    }
    double col_w = (box.w - 2 * pad) / (double)cols;
    if (widest + sw + gap > col_w - gap)
        ts.size_pt = fmax(text->size_pt * 0.6, ts.size_pt * (col_w - sw - 2 * gap) / widest);
    for (size_t i = 0; i < l->count; i++) {
        size_t c = i / rows, r = i % rows;
        double x = box.x + pad + (double)c * col_w, y = box.y + header_h + (double)r * row_h;
        swatch(cr, &l->entries[i], x, y + row_h * 0.15, sw, row_h * 0.7, k);
        cr_text_draw(t, l->entries[i].label, &ts, x + sw + gap, y + row_h / 2, 0, CR_TEXT_LEFT);
    }
    cairo_restore(cr);
}
