/*
 * Choropleth maps: each zone coloured by a number (a zones value field, or one value per zone a
 * library caller passes), in classes, with a legend in the values' unit.
 *
 * Palettes: SEQUENTIAL (light yellow to dark red, low to high) or DIVERGING (blue below zero,
 * near-white around zero, red above: for changes, where a negative change in minutes is a gain).
 *
 * Class breaks b[0] < b[1] < ... < b[n-1] make n + 1 classes: class 0 holds v <= b[0], class i
 * holds b[i-1] < v <= b[i], class n holds v > b[n-1]. They are the caller's, or computed from the
 * values with data (NAN means no data):
 *   CR_BREAKS_SYMMETRIC  (diverging default) M = max |v|; K classes (K made odd) of equal width
 *                        2M/K over [-M, M], so the middle class straddles 0 symmetrically;
 *                        every value 0 (M = 0): one class.
 *   CR_BREAKS_QUANTILE   (sequential default) K classes holding as many zones each as ties
 *                        allow: breaks at the values of rank ceil(i * m / K) (i = 1..K-1) of the
 *                        m sorted values, repeated breaks dropped.
 *   CR_BREAKS_EQUAL      K classes of equal width between the smallest and largest value.
 * Zones without data are drawn light grey with a hatch, under a legend entry "no data".
 */
#ifndef CR_RENDER_CHOROPLETH_H
#define CR_RENDER_CHOROPLETH_H

#include <stddef.h>

#include <cairo.h>

#include "core/error.h"
#include "render/style.h"

enum cr_palette { CR_PALETTE_SEQUENTIAL, CR_PALETTE_DIVERGING };
enum cr_breaks { CR_BREAKS_AUTO, CR_BREAKS_SYMMETRIC, CR_BREAKS_QUANTILE, CR_BREAKS_EQUAL };

#define CR_CHOROPLETH_MAX_CLASSES 11
#define CR_CHOROPLETH_DEFAULT_CLASSES 7

/* What a caller asks for (struct cr_map_options.choropleth). */
struct cr_choropleth {
    const double *values; /* [zones->count]: the value of each zone, NAN: no data */
    enum cr_palette palette;
    enum cr_breaks method; /* AUTO: SYMMETRIC when diverging, else QUANTILE */
    size_t classes;        /* wanted classes, 0: CR_CHOROPLETH_DEFAULT_CLASSES; at most MAX */
    const double *breaks;  /* fixed breaks (ascending) instead of a method, or NULL */
    size_t break_count;    /* at most CR_CHOROPLETH_MAX_CLASSES - 1 */
    const char *unit;      /* "minutes", "jobs"; NULL: none */
};

/* The classes worked out for a set of values. */
struct cr_choropleth_classes {
    double breaks[CR_CHOROPLETH_MAX_CLASSES - 1];
    size_t break_count;                             /* classes = break_count + 1 */
    struct cr_rgba fill[CR_CHOROPLETH_MAX_CLASSES]; /* by class */
    double lo, hi;                                  /* the smallest and largest value */
    size_t with_data, no_data;                      /* values counted */
};

/* The no-data fill (light grey; the hatch is drawn over it). */
extern const struct cr_rgba cr_choropleth_no_data;

/* The classes of C's N values: breaks (C's own or by its method) and a colour per class. Errors:
 * fixed breaks not ascending, too many, or not finite; too many classes. */
enum cr_status cr_choropleth_classify(const struct cr_choropleth *c, size_t n,
                                      struct cr_choropleth_classes *out, struct cr_error *err);

/* The class of V (not NAN). */
size_t cr_choropleth_class_of(const struct cr_choropleth_classes *k, double v);

/* Class I's legend label: "-2.5 to 0.5 minutes" (the outer classes from the smallest and to the
 * largest value, or "below -6 minutes", "above 6 minutes" when no value lies there; a class of
 * one value "0 minutes"). */
void cr_choropleth_label(const struct cr_choropleth_classes *k, size_t i, const char *unit,
                         char *buf, size_t size);

/* "sequential", "diverging" -> *OUT; -1 when neither. */
int cr_palette_parse(const char *text, enum cr_palette *out);
/* "symmetric", "quantile", "equal" -> *OUT; -1 otherwise. */
int cr_breaks_parse(const char *text, enum cr_breaks *out);

/* Diagonal hatch lines SPACING points apart over the current path of CR (which it keeps), in
 * COLOUR, WIDTH points wide. */
void cr_choropleth_hatch(cairo_t *cr, double spacing, double width, struct cr_rgba colour);

#endif
