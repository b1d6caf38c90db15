/* The --map helpers of isochrone, access, assign and compare (cli/cli_map.h). */
#include "cli/cli_map.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/flowmap.h"
#include "render/map.h"
#include "render/style.h"

char *
cli_map_network_name(const struct cr_graph_view *v)
{
    json_t *root = v && v->meta ? json_loads(v->meta, 0, NULL) : NULL;
    json_t *sc = root ? json_object_get(root, "scenario") : NULL;
    json_t *name = json_is_object(sc) ? json_object_get(sc, "name") : NULL;
    const char *text;
    char *out;

    if (!json_is_string(name))
        name = root ? json_object_get(root, "scenario_name") : NULL;
    if (!json_is_string(name))
        name = root ? json_object_get(root, "name") : NULL;
    text = json_is_string(name) ? json_string_value(name) : NULL;
    out = text && *text ? strdup(text) : NULL;
    json_decref(root);
    return out;
}

const char *
cli_map_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void
cli_map_date(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%d", &tm);
}

void
cli_map_grow(double bbox[4], const double *lonlat, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        double lon = lonlat[2 * k], lat = lonlat[2 * k + 1];
        if (!isfinite(lon) || !isfinite(lat))
            continue;
        bbox[0] = fmin(bbox[0], lon);
        bbox[1] = fmin(bbox[1], lat);
        bbox[2] = fmax(bbox[2], lon);
        bbox[3] = fmax(bbox[3], lat);
    }
}

int
cli_map_pad(double bbox[4], double fraction)
{
    double w, h;

    if (!(bbox[0] <= bbox[2] && bbox[1] <= bbox[3]))
        return -1;
    w = fmax((bbox[2] - bbox[0]) * fraction, 0.001);
    h = fmax((bbox[3] - bbox[1]) * fraction, 0.001);
    bbox[0] = fmax(bbox[0] - w, -180);
    bbox[2] = fmin(bbox[2] + w, 180);
    bbox[1] = fmax(bbox[1] - h, -89.9);
    bbox[3] = fmin(bbox[3] + h, 89.9);
    return 0;
}

int
cli_map_zones_extent(const struct cr_zones *z, double b[4])
{
    double w = z->bbox[2] - z->bbox[0], h = z->bbox[3] - z->bbox[1];
    double x0 = z->bbox[0] - w / 20, y0 = z->bbox[1] - h / 20;
    double x1 = z->bbox[2] + w / 20, y1 = z->bbox[3] + h / 20;
    const double xs[4] = { x0, x1, x0, x1 }, ys[4] = { y0, y0, y1, y1 };

    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (int i = 0; i < 4; i++) {
        double lonlat[2];
        if (cr_zones_to_wgs84(z, xs[i], ys[i], &lonlat[0], &lonlat[1]))
            return -1;
        cli_map_grow(b, lonlat, 1);
    }
    return b[0] < b[2] && b[1] < b[3] ? 0 : -1;
}

/* The extent (WGS84, with a 5% margin) of the lines of F carrying at least 1% of the largest
 * value: where the flows are, not the whole network. 0 and B set, -1 when there is none. */
static int
flows_extent(const struct cr_flowmap *f, double b[4], struct cr_error *err)
{
    struct cr_flowmap_layer l;
    int found = 0;
    if (cr_flowmap_load(f, &l, err))
        return -1;
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (size_t i = 0; i < l.count; i++) {
        if (!(fabs(l.value[i]) >= 0.01 * l.max_abs) || l.max_abs <= 0)
            continue;
        for (size_t k = l.first[i]; k < l.first[i] + l.n[i]; k++) {
            b[0] = fmin(b[0], l.lonlat[2 * k]);
            b[1] = fmin(b[1], l.lonlat[2 * k + 1]);
            b[2] = fmax(b[2], l.lonlat[2 * k]);
            b[3] = fmax(b[3], l.lonlat[2 * k + 1]);
            found = 1;
        }
    }
    cr_flowmap_layer_fini(&l);
    if (!found)
        return -1;
    double mx = fmax((b[2] - b[0]) * 0.05, 0.002), my = fmax((b[3] - b[1]) * 0.05, 0.002);
    b[0] -= mx;
    b[1] -= my;
    b[2] += mx;
    b[3] += my;
    return 0;
}

enum cr_status
cli_map_flows(const struct cr_graph_view *g, const char *flows, const char *field, int difference,
              const char *title, const char *subtitle, const char *output, struct cr_error *err)
{
    struct cr_flowmap f = {
        .path = flows,
        .width_field = field        ? field
                       : difference ? "d_flow_pce"
                                    : CR_FLOW_DEFAULT_WIDTH_FIELD,
        .colour = difference ? CR_FLOW_DIVERGING : CR_FLOW_CLASSES,
        .min_width_mm = -1,
        .unit = difference ? "PCE/h change" : "PCE/h",
        .colour_unit = difference ? "change" : "v/c",
        .osm = 1,
    };
    struct cr_map_options mo = { 0 };
    struct cr_map_result res;
    struct cr_style style;
    char date[32];
    double bbox[4];
    enum cr_status st;

    if (flows_extent(&f, bbox, err) == 0)
        mo.bbox = bbox; /* else the renderer says what is wrong with the layer, or draws all */
    if ((st = cr_style_load(NULL, &style, err)))
        return st;
    cli_map_date(date, sizeof date);
    if (!(st = cr_map_set_page(&mo, "A4", 1, 0, 0, 0, err))) {
        mo.graph = g;
        mo.flows = &f;
        mo.title = title ? title : cli_map_base_name(flows);
        mo.subtitle = subtitle;
        mo.date = date;
        mo.style = &style;
        mo.output = output;
        st = cr_map_render(&mo, &res, err);
    }
    cr_style_fini(&style);
    return st;
}
