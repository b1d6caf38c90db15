/* Choropleth classes: breaks, colours and legend labels for one number per zone. */
#include "render/choropleth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cr_rgba cr_choropleth_no_data = { 0.86, 0.86, 0.86, 1 };

/* ColorBrewer ramps (Cynthia Brewer, colorbrewer2.org): RdBu's two halves and YlOrRd. */
static const unsigned ramp_blue[] = { 0xf7f7f7, 0xd1e5f0, 0x92c5de, 0x4393c3, 0x2166ac };
static const unsigned ramp_red[] = { 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b };
static const unsigned ramp_seq[] = { 0xffffb2, 0xfecc5c, 0xfd8d3c, 0xf03b20, 0xbd0026 };

/* The colour at T (0..1) along the five stops of RAMP, linearly between them. */
static struct cr_rgba
ramp_at(const unsigned ramp[5], double t)
{
    double p = fmin(fmax(t, 0), 1) * 4;
    int i = p >= 4 ? 3 : (int)p;
    double f = p - i;
    unsigned a = ramp[i], b = ramp[i + 1];
    struct cr_rgba c;

    c.r = (((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f) / 255.0;
    c.g = (((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f) / 255.0;
    c.b = ((a & 0xff) * (1 - f) + (b & 0xff) * f) / 255.0;
    c.a = 1;
    return c;
}

static int
by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

size_t
cr_choropleth_class_of(const struct cr_choropleth_classes *k, double v)
{
    size_t i = 0;
    while (i < k->break_count && v > k->breaks[i])
        i++;
    return i;
}

/* Breaks by METHOD for the M sorted values S into K->breaks, K classes wanted. */
static void
computed_breaks(enum cr_breaks method, const double *s, size_t m, size_t classes,
                struct cr_choropleth_classes *k)
{
    k->break_count = 0;
    if (m == 0 || classes < 2)
        return;
    if (method == CR_BREAKS_SYMMETRIC) {
        double big = fmax(fabs(s[0]), fabs(s[m - 1]));
        if (classes % 2 == 0)
            classes = classes + 1 > CR_CHOROPLETH_MAX_CLASSES ? classes - 1 : classes + 1;
        if (big == 0)
            return;
        for (size_t i = 1; i < classes; i++)
            k->breaks[k->break_count++] = -big + (double)i * 2 * big / (double)classes;
        return;
    }
    for (size_t i = 1; i < classes; i++) {
        double b;
        if (method == CR_BREAKS_EQUAL) {
            if (s[m - 1] == s[0])
                return;
            b = s[0] + (double)i * (s[m - 1] - s[0]) / (double)classes;
        } else {
            size_t rank = (i * m + classes - 1) / classes; /* ceil(i * m / K) */
            b = s[rank ? rank - 1 : 0];
        }
        if (b >= s[m - 1] || (k->break_count && b <= k->breaks[k->break_count - 1]))
            continue; /* a repeated break, or one leaving the last class empty */
        k->breaks[k->break_count++] = b;
    }
}

/* A colour per class: diverging from the class holding 0 outwards, else along the ramp. */
static void
class_colours(enum cr_palette palette, struct cr_choropleth_classes *k)
{
    size_t n = k->break_count;

    if (palette == CR_PALETTE_SEQUENTIAL) {
        for (size_t i = 0; i <= n; i++)
            k->fill[i] = ramp_at(ramp_seq, n ? (double)i / (double)n : 0.5);
        return;
    }
    /* negative classes 0..last_neg, the neutral one (holding 0 inside it) if any, positive ones
     * from first_pos */
    size_t c0 = cr_choropleth_class_of(k, 0);
    int exact = c0 < n && k->breaks[c0] == 0;
    size_t neg = exact ? c0 + 1 : c0, first_pos = c0 + 1, pos = n + 1 - first_pos;
    double most = (double)(neg > pos ? neg : pos);
    for (size_t i = 0; i <= n; i++) {
        if (i < neg)
            k->fill[i] = ramp_at(ramp_blue, (double)(neg - i) / most);
        else if (i >= first_pos)
            k->fill[i] = ramp_at(ramp_red, (double)(i - first_pos + 1) / most);
        else
            k->fill[i] = ramp_at(ramp_blue, 0);
    }
}

enum cr_status
cr_choropleth_classify(const struct cr_choropleth *c, size_t n, struct cr_choropleth_classes *out,
                       struct cr_error *err)
{
    size_t classes = c->classes ? c->classes : CR_CHOROPLETH_DEFAULT_CLASSES, m = 0;
    enum cr_breaks method = c->method;
    double *s;

    memset(out, 0, sizeof *out);
    if (classes > CR_CHOROPLETH_MAX_CLASSES)
        return cr_error_set(err, CR_EINVAL, "%zu classes: at most %d", classes,
                            CR_CHOROPLETH_MAX_CLASSES);
    if (c->break_count > CR_CHOROPLETH_MAX_CLASSES - 1)
        return cr_error_set(err, CR_EINVAL, "%zu breaks: at most %d", c->break_count,
                            CR_CHOROPLETH_MAX_CLASSES - 1);
    for (size_t i = 0; c->breaks && i < c->break_count; i++)
        if (!isfinite(c->breaks[i]) || (i && c->breaks[i] <= c->breaks[i - 1]))
            return cr_error_set(err, CR_EINVAL,
                                "break %zu (%g): the breaks must be finite and "
                                "ascending",
                                i + 1, c->breaks[i]);
    if (!(s = malloc((n ? n : 1) * sizeof *s)))
        return cr_error_set(err, CR_ENOMEM, "choropleth of %zu values: out of memory", n);
    for (size_t i = 0; i < n; i++)
        if (isfinite(c->values[i]))
            s[m++] = c->values[i];
    qsort(s, m, sizeof *s, by_value);
    out->with_data = m;
    out->no_data = n - m;
    out->lo = m ? s[0] : NAN;
    out->hi = m ? s[m - 1] : NAN;
    if (method == CR_BREAKS_AUTO)
        method = c->palette == CR_PALETTE_DIVERGING ? CR_BREAKS_SYMMETRIC : CR_BREAKS_QUANTILE;
    if (c->breaks && c->break_count) {
        memcpy(out->breaks, c->breaks, c->break_count * sizeof *c->breaks);
        out->break_count = c->break_count;
    } else {
        computed_breaks(method, s, m, classes, out);
    }
    free(s);
    class_colours(c->palette, out);
    return CR_OK;
}

/* V with as many decimals as its size deserves, trailing zeros dropped. */
static void
number(char *buf, size_t size, double v)
{
    double a = fabs(v);
    int dec = a >= 100 ? 0 : a >= 10 ? 1 : 2;
    char *dot;

    if (fabs(v) < 0.005)
        v = 0; /* no "-0" */
    snprintf(buf, size, "%.*f", dec, v);
    if ((dot = strchr(buf, '.'))) {
        char *end = buf + strlen(buf);
        while (end > dot + 1 && end[-1] == '0')
            *--end = 0;
        if (end == dot + 1)
            *dot = 0;
    }
}

void
cr_choropleth_label(const struct cr_choropleth_classes *k, size_t i, const char *unit, char *buf,
                    size_t size)
{
    double lo = i == 0 ? k->lo : k->breaks[i - 1];
    double hi = i == k->break_count ? k->hi : k->breaks[i];
    char a[32], b[32];
    const char *sp = unit && *unit ? " " : "";

    number(a, sizeof a, lo);
    number(b, sizeof b, hi);
    if (k->break_count && i == 0 && !(lo <= hi)) /* no value that low: an empty class */
        snprintf(buf, size, "below %s%s%s", b, sp, unit ? unit : "");
    else if (k->break_count && i == k->break_count && !(hi > lo))
        snprintf(buf, size, "above %s%s%s", a, sp, unit ? unit : "");
    else if (!strcmp(a, b))
        snprintf(buf, size, "%s%s%s", a, sp, unit ? unit : "");
    else
        snprintf(buf, size, "%s to %s%s%s", a, b, sp, unit ? unit : "");
}

int
cr_palette_parse(const char *text, enum cr_palette *out)
{
    if (!strcmp(text, "sequential"))
        *out = CR_PALETTE_SEQUENTIAL;
    else if (!strcmp(text, "diverging"))
        *out = CR_PALETTE_DIVERGING;
    else
        return -1;
    return 0;
}

int
cr_breaks_parse(const char *text, enum cr_breaks *out)
{
    if (!strcmp(text, "symmetric"))
        *out = CR_BREAKS_SYMMETRIC;
    else if (!strcmp(text, "quantile"))
        *out = CR_BREAKS_QUANTILE;
    else if (!strcmp(text, "equal"))
        *out = CR_BREAKS_EQUAL;
    else
        return -1;
    return 0;
}

void
cr_choropleth_hatch(cairo_t *cr, double spacing, double width, struct cr_rgba colour)
{
    double x0, y0, x1, y1;

    if (!(spacing > 0))
        return;
    cairo_save(cr);
    cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
    cairo_clip_preserve(cr);
    cairo_path_t *path = cairo_copy_path(cr);
    cairo_new_path(cr);
    for (double d = -(y1 - y0); d < x1 - x0; d += spacing) {
        cairo_move_to(cr, x0 + d, y1);
        cairo_line_to(cr, x0 + d + (y1 - y0), y0);
    }
    cairo_set_source_rgba(cr, colour.r, colour.g, colour.b, colour.a);
    cairo_set_line_width(cr, width);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_new_path(cr);
    cairo_append_path(cr, path);
    cairo_path_destroy(path);
}
