/* The legend: entries gathered while drawing, laid out in columns. */
#include "render/legend.h"
#include "render/choropleth.h"

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
    struct cr_legend_entry *c = &l->entries[l->count++];
    *c = *e;
    /* a label cut at its size may end inside a UTF-8 sequence: drop that piece */
    size_t n = strnlen(c->label, sizeof c->label - 1), lead = n;
    c->label[n] = 0;
    while (lead > 0 && ((unsigned char)c->label[lead - 1] & 0xc0) == 0x80)
        lead--;
    if (lead > 0 && (unsigned char)c->label[lead - 1] >= 0xc0) {
        unsigned char b = (unsigned char)c->label[lead - 1];
        size_t want = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
        if (n - (lead - 1) < want)
            c->label[lead - 1] = 0;
    }
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
        if (e->hatch)
            cr_choropleth_hatch(cr, h * 0.25, 0.4 * k, e->stroke);
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
    case CR_LEGEND_BAND:
        cairo_move_to(cr, x, cy);
        cairo_line_to(cr, x + w, cy);
        cairo_set_source_rgba(cr, e->stroke.r, e->stroke.g, e->stroke.b, e->stroke.a);
        cairo_set_line_width(cr, e->width_pt);
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

/* One entry's label as words, measured once at the legend's text size: widths at another size
 * are in proportion (hinting is off, see text.c). */
struct measured {
    size_t *start, *len; /* each word's bytes in the label */
    double *width;       /* each word's width */
    size_t words;
    double whole; /* the label on one line */
};

#define MAX_LINES 3

/* The lines of M at scale F in WIDTH: their first words in FIRST[0..n-1] (FIRST[n] = words);
 * the number of lines, or 0 when they would be more than MAX_LINES or a word is too long.
 * A label that needs two lines breaks before a word opening with '(' first. */
static size_t
wrap(const struct measured *m, const char *label, double f, double space, double width,
     size_t first[MAX_LINES + 1])
{
    size_t n = 0;
    double used = 0;

    first[0] = 0;
    if (m->whole * f <= width || !m->words) {
        first[1] = m->words;
        return 1;
    }
    for (size_t w = 0; w < m->words; w++) {
        double ww = m->width[w] * f;
        int paren = label[m->start[w]] == '(';
        if (ww > width)
            return 0;
        if (w > first[n] && (used + space * f + ww > width || paren)) {
            if (++n == MAX_LINES)
                return 0;
            first[n] = w;
            used = 0;
        }
        used += (w > first[n] ? space * f : 0) + ww;
    }
    first[n + 1] = m->words;
    return n + 1;
}

static void
measured_fini(struct measured *m)
{
    free(m->start);
    free(m->len);
    free(m->width);
}

static int
measure_words(struct cr_text *t, const char *label, const struct cr_text_style *ts,
              struct measured *m)
{
    size_t n = 1, len = strlen(label);
    char word[CR_LEGEND_LABEL_SIZE];
    double h;

    memset(m, 0, sizeof *m);
    for (const char *p = label; *p; p++)
        n += *p == ' ';
    m->start = malloc(n * sizeof *m->start);
    m->len = malloc(n * sizeof *m->len);
    m->width = malloc(n * sizeof *m->width);
    if (!m->start || !m->len || !m->width)
        return -1;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && label[j] != ' ')
            j++;
        if (j > i) {
            snprintf(word, sizeof word, "%.*s", (int)(j - i), label + i);
            m->start[m->words] = i;
            m->len[m->words] = j - i;
            cr_text_measure(t, word, ts, &m->width[m->words], &h);
            m->words++;
        }
        i = j + 1;
    }
    cr_text_measure(t, label, ts, &m->whole, &h);
    return 0;
}

/* Places the entries in COLS columns of height AVAIL at scale F (text F * base size): each
 * entry's column, top and lines. Returns how many fit. */
struct placed {
    size_t col, lines, first[MAX_LINES + 1];
    double y;
};

static size_t
flow(const struct cr_legend *l, const struct measured *m, double f, double size, size_t cols,
     double label_w, double avail, double space, struct placed *out)
{
    double y = 0;
    size_t col = 0, i;

    for (i = 0; i < l->count; i++) {
        size_t lines = wrap(&m[i], l->entries[i].label, f, space, label_w, out[i].first);
        double h;
        if (!lines)
            return i;
        h = size * f * (1.9 + 1.25 * (double)(lines - 1));
        if (l->entries[i].kind == CR_LEGEND_BAND)
            h = fmax(h, l->entries[i].width_pt * 1.5);
        if (y > 0 && y + h > avail) {
            if (++col == cols)
                return i;
            y = 0;
        }
        if (h > avail)
            return i;
        out[i].col = col;
        out[i].lines = lines;
        out[i].y = y;
        y += h;
    }
    return i;
}

void
cr_legend_draw(const struct cr_legend *l, struct cr_text *t, struct cr_rect box, const char *title,
               const struct cr_text_style *text, struct cr_rgba ink, double k)
{
    cairo_t *cr = t->cr;
    struct cr_text_style ts = *text, hs = *text;
    double pad = 3 * CR_PT_PER_MM * k, sw = 9 * CR_PT_PER_MM * k, gap = 2 * CR_PT_PER_MM * k;
    double tw, th, header_h, avail, space, f = 1, col_w = 0;
    double min_col = sw + 2 * gap + 24 * CR_PT_PER_MM * k; /* room for a few words */
    struct measured *m = NULL;
    struct placed *at = NULL;
    size_t cols = 1, max_cols, fit = 0, shown;
    char more[64], line[CR_LEGEND_LABEL_SIZE];

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
    avail = box.h - header_h - pad;
    m = calloc(l->count ? l->count : 1, sizeof *m);
    at = calloc(l->count ? l->count : 1, sizeof *at);
    if (!l->count || !m || !at || avail <= 0)
        goto done;
    for (size_t i = 0; i < l->count; i++)
        if (measure_words(t, l->entries[i].label, &ts, &m[i]))
            goto done;
    cr_text_measure(t, " ", &ts, &space, &th);
    /* the fewest columns, then the largest text (down to 0.7 of it), that show every entry,
     * long labels on up to three lines; else as many entries as fit at 0.6 in the most
     * columns, and a last line saying how many more there are */
    max_cols = (size_t)fmax(1, floor((box.w - 2 * pad) / min_col));
    for (cols = 1; cols <= max_cols && fit < l->count; cols++) {
        col_w = (box.w - 2 * pad) / (double)cols;
        for (f = 1; f >= 0.7 && fit < l->count; f *= 0.93)
            fit = flow(l, m, f, ts.size_pt, cols, col_w - sw - 2 * gap, avail, space * f, at);
        if (fit == l->count)
            break;
    }
    if (fit < l->count) {
        cols = max_cols;
        col_w = (box.w - 2 * pad) / (double)cols;
        f = 0.6;
        /* keep a row for the "more" line */
        fit = flow(l, m, f, ts.size_pt, cols, col_w - sw - 2 * gap, avail - ts.size_pt * f * 1.9,
                   space * f, at);
    }
    shown = fit;
    ts.size_pt *= f;
    for (size_t i = 0; i < shown; i++) {
        const struct placed *p = &at[i];
        double x = box.x + pad + (double)p->col * col_w, y = box.y + header_h + p->y;
        double row_h = ts.size_pt * 1.9;
        if (l->entries[i].kind == CR_LEGEND_BAND)
            row_h = fmax(row_h, l->entries[i].width_pt * 1.5);
        swatch(cr, &l->entries[i], x, y + row_h * 0.15, sw, row_h * 0.7, k);
        for (size_t n = 0; n < p->lines; n++) {
            const struct measured *mi = &m[i];
            size_t a = p->first[n], b = p->first[n + 1];
            size_t from = mi->words ? mi->start[a] : 0;
            size_t to = mi->words ? mi->start[b - 1] + mi->len[b - 1] : 0;
            snprintf(line, sizeof line, "%.*s", (int)(to - from), l->entries[i].label + from);
            cr_text_draw(t, p->lines == 1 ? l->entries[i].label : line, &ts, x + sw + gap,
                         y + row_h / 2 + ts.size_pt * 1.25 * (double)n, 0, CR_TEXT_LEFT);
        }
    }
    if (shown < l->count) {
        double y = 0;
        size_t col = 0;
        for (size_t i = 0; i < shown; i++) {
            col = at[i].col;
            y = at[i].y + ts.size_pt * (1.9 + 1.25 * (double)(at[i].lines - 1));
        }
        snprintf(more, sizeof more, "… %zu more", l->count - shown);
        cr_text_draw(t, more, &ts, box.x + pad + (double)col * col_w + sw + gap,
                     box.y + header_h + y + ts.size_pt * 0.95, 0, CR_TEXT_LEFT);
    }
done:
    for (size_t i = 0; m && i < l->count; i++)
        measured_fini(&m[i]);
    free(m);
    free(at);
    cairo_restore(cr);
}
