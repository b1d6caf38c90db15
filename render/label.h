/*
 * Label placement without overlaps: every placed label (and every symbol that labels must not
 * cover) leaves collision boxes in a set; a new label is placed only when none of its boxes
 * meets a box already there. A label rotated along a road is a chain of small boxes along its
 * baseline, so a diagonal label blocks its own strip, not its whole bounding square.
 */
#ifndef CR_RENDER_LABEL_H
#define CR_RENDER_LABEL_H

#include <stddef.h>

struct cr_label_box {
    double x0, y0, x1, y1; /* page points, x0 <= x1, y0 <= y1 */
};

struct cr_label_set {
    double cell; /* grid cell size (points) */
    int cols, rows;
    size_t **cells; /* [cols * rows] lists of box indices: [0] count, [1] cap */
    struct cr_label_box *boxes;
    size_t count, cap;
    int failed; /* out of memory: nothing more is placed */
};

/* A set over a page of WIDTH x HEIGHT points. Returns 0, or -1 out of memory. */
int cr_label_set_init(struct cr_label_set *s, double width, double height, double cell);
void cr_label_set_fini(struct cr_label_set *s);

/* 1 when any of the N boxes meets a box of the set. */
int cr_label_set_hits(const struct cr_label_set *s, const struct cr_label_box *boxes, size_t n);

/* Adds the N boxes when none meets the set (returns 1), else adds nothing (returns 0). */
int cr_label_set_place(struct cr_label_set *s, const struct cr_label_box *boxes, size_t n);

/* Adds the N boxes whatever they meet (symbols, the legend's own room). */
void cr_label_set_add(struct cr_label_set *s, const struct cr_label_box *boxes, size_t n);

/* Boxes along a straight label: the strip of LENGTH x HEIGHT points centred on (CX, CY) and
 * rotated by ANGLE, as up to MAX squares-ish boxes (their axis-aligned bounds). Returns the count.
 */
size_t cr_label_strip_boxes(double cx, double cy, double length, double height, double angle,
                            struct cr_label_box *out, size_t max);

#endif
