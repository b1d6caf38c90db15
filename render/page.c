/* Paper sizes, page layout and round numbers for plan maps. */
#include "render/page.h"

#include <math.h>
#include <stdio.h>
#include <strings.h>

static const struct {
    const char *name;
    double w_mm, h_mm;
} papers[] = {
    { "A0", 841, 1189 }, { "A1", 594, 841 }, { "A2", 420, 594 },
    { "A3", 297, 420 },  { "A4", 210, 297 },
};

enum cr_status
cr_page_paper(const char *name, int landscape, double *width_mm, double *height_mm,
              struct cr_error *err)
{
    for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++) {
        if (strcasecmp(name, papers[i].name))
            continue;
        *width_mm = landscape ? papers[i].h_mm : papers[i].w_mm;
        *height_mm = landscape ? papers[i].w_mm : papers[i].h_mm;
        return CR_OK;
    }
    return cr_error_set(err, CR_EINVAL, "paper \"%s\": unknown size (A4, A3, A2, A1 or A0)", name);
}

static double
clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void
cr_page_layout_compute(double width_pt, double height_pt, double margin_mm,
                       struct cr_page_layout *out)
{
    const double a4_area = 210.0 * 297.0 * CR_PT_PER_MM * CR_PT_PER_MM;
    double k = clamp(sqrt(width_pt * height_pt / a4_area), 0.8, 4.0);
    double margin = margin_mm * CR_PT_PER_MM * (k > 1 ? k : 1);
    double gutter = 6.0 * CR_PT_PER_MM * k; /* room for the grid labels */
    double gap = 4.0 * CR_PT_PER_MM * k;
    struct cr_rect o = { margin, margin, width_pt - 2 * margin, height_pt - 2 * margin };

    out->width_pt = width_pt;
    out->height_pt = height_pt;
    out->k = k;
    out->outer = o;
    out->side_panel = width_pt >= height_pt;
    if (out->side_panel) {
        double panel_w = clamp(0.25 * o.w, 55.0 * CR_PT_PER_MM * k, 0.4 * o.w);
        double title_h = clamp(0.34 * o.h, 50.0 * CR_PT_PER_MM * k, 0.6 * o.h);
        double px = o.x + o.w - panel_w;
        out->map =
            (struct cr_rect){ o.x + gutter, o.y + gutter, px - o.x - 2 * gutter, o.h - 2 * gutter };
        out->title = (struct cr_rect){ px, o.y + o.h - title_h, panel_w, title_h };
        out->legend = (struct cr_rect){ px, o.y, panel_w, o.h - title_h - gap };
    } else {
        double panel_h = clamp(0.24 * o.h, 50.0 * CR_PT_PER_MM * k, 0.4 * o.h);
        double title_w = clamp(0.42 * o.w, 60.0 * CR_PT_PER_MM * k, 0.6 * o.w);
        double py = o.y + o.h - panel_h;
        out->map =
            (struct cr_rect){ o.x + gutter, o.y + gutter, o.w - 2 * gutter, py - o.y - 2 * gutter };
        out->legend = (struct cr_rect){ o.x, py, o.w - title_w - gap, panel_h };
        out->title = (struct cr_rect){ o.x + o.w - title_w, py, title_w, panel_h };
    }
    if (out->map.w < 1)
        out->map.w = 1;
    if (out->map.h < 1)
        out->map.h = 1;
}

double
cr_page_nice_floor(double max)
{
    double p, steps[] = { 5, 2, 1 };

    if (!(max > 0) || !isfinite(max))
        return 0;
    p = pow(10, floor(log10(max)));
    for (int i = 0; i < 3; i++)
        if (steps[i] * p <= max * (1 + 1e-9))
            return steps[i] * p;
    return p;
}

double
cr_page_nice_scale(double denom)
{
    double p, steps[] = { 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10 };

    if (!(denom > 0) || !isfinite(denom))
        return 1;
    p = pow(10, floor(log10(denom)));
    for (int i = 0; i < 11; i++)
        if (steps[i] * p >= denom * (1 - 1e-9))
            return steps[i] * p;
    return 10 * p;
}

double
cr_page_scale_bar_m(double max_m)
{
    return cr_page_nice_floor(max_m);
}

void
cr_page_distance_label(double m, char *buf, unsigned size)
{
    if (m >= 1000)
        snprintf(buf, size, "%g km", m / 1000);
    else
        snprintf(buf, size, "%g m", m);
}
