/* Collision boxes in a uniform grid. */
#include "render/label.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int
cr_label_set_init(struct cr_label_set *s, double width, double height, double cell)
{
    memset(s, 0, sizeof *s);
    s->cell = cell > 0 ? cell : 20;
    s->cols = (int)(width / s->cell) + 1;
    s->rows = (int)(height / s->cell) + 1;
    if (s->cols < 1)
        s->cols = 1;
    if (s->rows < 1)
        s->rows = 1;
    s->cells = calloc((size_t)s->cols * (size_t)s->rows, sizeof *s->cells);
    if (!s->cells) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

void
cr_label_set_fini(struct cr_label_set *s)
{
    if (s->cells)
        for (size_t i = 0; i < (size_t)s->cols * (size_t)s->rows; i++)
            free(s->cells[i]);
    free(s->cells);
    free(s->boxes);
    memset(s, 0, sizeof *s);
}

static int
clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void
cell_range(const struct cr_label_set *s, const struct cr_label_box *b, int *c0, int *r0, int *c1,
           int *r1)
{
    *c0 = clampi((int)floor(b->x0 / s->cell), 0, s->cols - 1);
    *c1 = clampi((int)floor(b->x1 / s->cell), 0, s->cols - 1);
    *r0 = clampi((int)floor(b->y0 / s->cell), 0, s->rows - 1);
    *r1 = clampi((int)floor(b->y1 / s->cell), 0, s->rows - 1);
}

static int
overlap(const struct cr_label_box *a, const struct cr_label_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

int
cr_label_set_hits(const struct cr_label_set *s, const struct cr_label_box *boxes, size_t n)
{
    if (s->failed)
        return 1;
    for (size_t i = 0; i < n; i++) {
        int c0, r0, c1, r1;
        cell_range(s, &boxes[i], &c0, &r0, &c1, &r1);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++) {
                const size_t *list = s->cells[(size_t)r * (size_t)s->cols + (size_t)c];
                if (!list)
                    continue;
                for (size_t k = 0; k < list[0]; k++)
                    if (overlap(&boxes[i], &s->boxes[list[2 + k]]))
                        return 1;
            }
    }
    return 0;
}

static int
cell_push(size_t **slot, size_t index)
{
    size_t *list = *slot;
    if (!list || list[0] == list[1]) {
        size_t cap = list ? list[1] * 2 : 8;
        size_t *grown = realloc(list, (cap + 2) * sizeof *grown);
        if (!grown)
            return -1;
        if (!list)
            grown[0] = 0;
        grown[1] = cap;
        *slot = list = grown;
    }
    list[2 + list[0]++] = index;
    return 0;
}

void
cr_label_set_add(struct cr_label_set *s, const struct cr_label_box *boxes, size_t n)
{
    if (s->failed)
        return;
    if (s->count + n > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        while (cap < s->count + n)
            cap *= 2;
        struct cr_label_box *b = realloc(s->boxes, cap * sizeof *b);
        if (!b) {
            s->failed = 1;
            return;
        }
        s->boxes = b;
        s->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        int c0, r0, c1, r1;
        size_t index = s->count++;
        s->boxes[index] = boxes[i];
        cell_range(s, &boxes[i], &c0, &r0, &c1, &r1);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++)
                if (cell_push(&s->cells[(size_t)r * (size_t)s->cols + (size_t)c], index)) {
                    s->failed = 1;
                    return;
                }
    }
}

int
cr_label_set_place(struct cr_label_set *s, const struct cr_label_box *boxes, size_t n)
{
    if (cr_label_set_hits(s, boxes, n))
        return 0;
    cr_label_set_add(s, boxes, n);
    return !s->failed;
}

size_t
cr_label_strip_boxes(double cx, double cy, double length, double height, double angle,
                     struct cr_label_box *out, size_t max)
{
    double ux = cos(angle), uy = sin(angle);
    size_t n = (size_t)ceil(length / (height > 0 ? height : 1));

    if (max == 0)
        return 0;
    if (n < 1)
        n = 1;
    if (n > max)
        n = max;
    double step = length / (double)n;
    for (size_t i = 0; i < n; i++) {
        double t = -length / 2 + step * ((double)i + 0.5);
        double px = cx + ux * t, py = cy + uy * t;
        /* the piece's corners: half step along, half height across */
        double ax = fabs(ux) * step / 2 + fabs(uy) * height / 2;
        double ay = fabs(uy) * step / 2 + fabs(ux) * height / 2;
        out[i] = (struct cr_label_box){ px - ax, py - ay, px + ax, py + ay };
    }
    return n;
}
