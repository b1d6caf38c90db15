/*
 * --close: the base road segments a closure line runs along or a closure polygon covers lose
 * their edges. The rule (docs/scenario.md): 10 points spread evenly along the segment's length
 * (at 5 %, 15 %, ... 95 %); a segment is closed when at least 6 of them lie within 5 m of one
 * closure line, or inside one closure polygon (even-odd rule over its rings, so holes count).
 */
#include <math.h>

#include "core/geo.h"
#include "importers/scenario/scenario_int.h"

#define SAMPLES 10
#define SAMPLES_NEEDED 6

/* The point at fraction F of the polyline X/Y (N points, degrees), by length in local metres. */
static void
along(const double *x, const double *y, size_t n, double total_m, double f, double *ox, double *oy)
{
    double want = total_m * f, mlon, mlat;

    cr_geo_scale(y[0], &mlon, &mlat);
    for (size_t i = 0; i + 1 < n; i++) {
        double d = hypot((x[i + 1] - x[i]) * mlon, (y[i + 1] - y[i]) * mlat);
        if (want <= d || i + 2 == n) {
            double t = d > 0 ? fmin(want / d, 1.0) : 0.0;
            *ox = x[i] + t * (x[i + 1] - x[i]);
            *oy = y[i] + t * (y[i + 1] - y[i]);
            return;
        }
        want -= d;
    }
    *ox = x[0];
    *oy = y[0];
}

/* Distance in metres from (PX, PY) to shape SH (a line), in the local frame at PY. */
static double
line_distance_m(const struct scen *s, const struct sc_shape *sh, double px, double py)
{
    const double *x = &SC_AT(s->cl_lon, double, sh->first),
                 *y = &SC_AT(s->cl_lat, double, sh->first);
    double mlon, mlat, best = INFINITY;

    cr_geo_scale(py, &mlon, &mlat);
    for (size_t i = 0; i + 1 < sh->count; i++) {
        double ax = (x[i] - px) * mlon, ay = (y[i] - py) * mlat;
        double bx = (x[i + 1] - px) * mlon, by = (y[i + 1] - py) * mlat;
        double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0.0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        best = fmin(best, hypot(ax + t * dx, ay + t * dy));
    }
    return best;
}

/* Whether (PX, PY) is inside ring SH (crossing number); polygons xor their rings. */
static int
in_ring(const struct scen *s, const struct sc_shape *sh, double px, double py)
{
    const double *x = &SC_AT(s->cl_lon, double, sh->first),
                 *y = &SC_AT(s->cl_lat, double, sh->first);
    int in = 0;

    for (size_t i = 0, j = sh->count - 1; i < sh->count; j = i++)
        if ((y[i] > py) != (y[j] > py) && px < (x[j] - x[i]) * (py - y[i]) / (y[j] - y[i]) + x[i])
            in = !in;
    return in;
}

/* Whether the point is near a closure line or inside a closure polygon. */
static int
point_closed(const struct scen *s, double px, double py)
{
    const struct sc_shape *sh = s->shapes.data;
    size_t n = s->shapes.len;

    for (size_t i = 0; i < n; i++)
        if (sh[i].is_line && line_distance_m(s, &sh[i], px, py) <= CR_SCENARIO_CLOSE_M)
            return 1;
    for (size_t i = 0; i < n;) {
        int in = 0;
        size_t j = i;
        if (sh[i].is_line) {
            i++;
            continue;
        }
        for (; j < n && !sh[j].is_line && sh[j].polygon == sh[i].polygon; j++)
            in ^= in_ring(s, &sh[j], px, py);
        if (in)
            return 1;
        i = j;
    }
    return 0;
}

static int
segment_closed(const struct scen *s, uint32_t seg, double *x, double *y)
{
    const struct cr_graph_view *v = s->base;
    uint32_t first = v->segment_first_shape[seg], last = v->segment_first_shape[seg + 1];
    uint32_t a = v->segment_node[2 * seg], b = v->segment_node[2 * seg + 1];
    size_t n = 0;
    double total = 0, mlon, mlat;
    int hits = 0;

    x[n] = v->lon_e7[a] * 1e-7;
    y[n++] = v->lat_e7[a] * 1e-7;
    for (uint32_t i = first; i < last; i++) {
        x[n] = v->shape_lon_e7[i] * 1e-7;
        y[n++] = v->shape_lat_e7[i] * 1e-7;
    }
    x[n] = v->lon_e7[b] * 1e-7;
    y[n++] = v->lat_e7[b] * 1e-7;
    cr_geo_scale(y[0], &mlon, &mlat);
    for (size_t i = 0; i + 1 < n; i++)
        total += hypot((x[i + 1] - x[i]) * mlon, (y[i + 1] - y[i]) * mlat);
    for (int k = 0; k < SAMPLES && hits + (SAMPLES - k) >= SAMPLES_NEEDED; k++) {
        double px, py;
        along(x, y, n, total, (k + 0.5) / SAMPLES, &px, &py);
        hits += point_closed(s, px, py);
    }
    return hits >= SAMPLES_NEEDED;
}

/* Room for the points of the longest base segment: 0, or -1 when out of memory. */
static int
seg_buffers(const struct scen *s, double **x, double **y)
{
    const struct cr_graph_view *v = s->base;
    uint32_t most = 0;

    for (uint32_t i = 0; i < v->segment_count; i++)
        if (v->segment_first_shape[i + 1] - v->segment_first_shape[i] > most)
            most = v->segment_first_shape[i + 1] - v->segment_first_shape[i];
    *x = malloc((most + 2) * sizeof **x);
    *y = malloc((most + 2) * sizeof **y);
    if (*x && *y)
        return 0;
    free(*x);
    free(*y);
    return -1;
}

enum cr_status
cr_sc_covered(const struct scen *s, uint8_t *hit, struct cr_error *err)
{
    const struct cr_graph_view *v = s->base;
    double *x, *y;

    if (seg_buffers(s, &x, &y))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->output);
    for (uint32_t i = 0; i < v->segment_count; i++) {
        uint32_t w = v->segment_way[i];
        if (v->ways[w].mode == CR_MODE_ROAD && !hit[w] &&
            (v->segment_edge[2 * i] != CR_NO_EDGE || v->segment_edge[2 * i + 1] != CR_NO_EDGE) &&
            segment_closed(s, i, x, y))
            hit[w] = 1;
    }
    free(x);
    free(y);
    return CR_OK;
}

enum cr_status
cr_sc_apply_close(struct scen *s, struct cr_error *err)
{
    const struct cr_graph_view *v = s->base;
    double *x, *y;

    if (seg_buffers(s, &x, &y))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->close);
    for (uint32_t i = 0; i < v->segment_count; i++) {
        if (v->ways[v->segment_way[i]].mode != CR_MODE_ROAD || !segment_closed(s, i, x, y))
            continue;
        s->seg_closed[i] = 1;
        s->stats->segments_closed++;
        s->stats->km_closed += v->segment_length_cm[i] / 1e5;
    }
    free(x);
    free(y);
    return CR_OK;
}
