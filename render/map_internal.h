/*
 * What the files of one plan map share while it is drawn (not for callers of render/map.h):
 * struct map, the state of one cr_map_render call, and the steps each file does for it.
 *
 *   map.c          the public calls, layer order (compose), overlays, cleanup
 *   map_view.c     data extent, map CRS (PROJ), the view on the page, page size, convergence
 *   map_zones.c    zoning fills by class, their legend entries, spots for zone names
 *   map_network.c  the network's visible segments, water, roads, ferries, rail, terminals
 *   map_labels.c   terminal, road and zone names, placed without overlaps
 *   map_flows.c    the flow layer (render/flowmap.h): widths, colours, offsets, its legend
 *   map_shapes.c   in-memory polygons and points of the caller (isochrone bands, origins)
 *   map_output.c   the surface for PNG, PDF or SVG and writing it through core/atomic.h
 */
#ifndef CR_RENDER_MAP_INTERNAL_H
#define CR_RENDER_MAP_INTERNAL_H

#include <cairo.h>
#include <proj.h>
#include <stddef.h>
#include <stdint.h>

#include "core/atomic.h"
#include "render/label.h"
#include "render/legend.h"
#include "render/map.h"
#include "render/page.h"
#include "render/text.h"
#include "render/view.h"
#include "spatial/ctx.h"

/* A zone whose name may go at (x, y) on the page, inside a circle of radius_pt. */
struct zone_label {
    size_t zone;
    double x, y, radius_pt, area;
};

struct terminal_mark {
    uint32_t terminal;
    double x, y, size;
};

/* A network segment in view: its points (page coordinates) are pts[2 * first ..]. */
struct vis_seg {
    uint32_t segment;
    uint32_t first, count; /* into pts (pairs) */
};

struct map {
    const struct cr_map_options *o;
    const struct cr_style *s;
    struct cr_map_result *res;
    struct cr_error *err;
    struct cr_ctx *ctx; /* GEOS and PROJ (spatial/ctx.h) */
    PJ_CONTEXT *pj;     /* its PROJ context */
    PJ *map_crs, *from_wgs84;
    struct cr_page_layout page;
    struct cr_view v;
    double k, mm;
    double geo[4]; /* the view in WGS84, a little larger: west, south, east, north */
    cairo_t *cr;
    struct cr_text text;
    struct cr_label_set labels;
    struct cr_legend legend;
    int osm_drawn;
    struct cr_overlay **overlays;
    struct cr_flowmap_layer flows; /* o->flows, read in prepare */

    struct vis_seg *segs;
    size_t seg_count;
    double *pts;
    size_t pt_count;

    struct zone_label *zl;
    size_t zl_count;
    struct terminal_mark *tm;
    size_t tm_count;

    /* map tiles (render/tile.c): the only segments to consider, ascending (NULL: all), and the
     * zones' transformation to the map CRS, kept from tile to tile (NULL: made for this map) */
    const uint32_t *cand;
    size_t cand_count;
    PJ *zones_to_map;

    /* placed line labels, so the same name is not repeated nearby */
    struct placed {
        const char *name;
        double x, y;
    } * placed;
    size_t placed_count, placed_cap;
};

/* The output file while the map is drawn: a temporary file beside o->output, and the surface. */
struct map_out {
    enum cr_map_format fmt;
    struct cr_atomic_file file;
    cairo_surface_t *surface;
};

/* map.c */
enum cr_status cr_map_oom(struct map *m); /* "OUTPUT: out of memory" */

static inline const struct cr_way_attr *
cr_map_seg_way(const struct map *m, const struct vis_seg *vs)
{
    const struct cr_graph_view *g = m->o->graph;
    return &g->ways[g->segment_way[vs->segment]];
}

/* map_view.c */
/* FROM (a CRS definition) to TO, in lon/lat-x/y order; NULL when PROJ has none. */
PJ *cr_map_crs_transform(struct map *m, const char *from, const PJ *to);
/* E: the data's extent in WGS84 (o->bbox, or the network, zones and overlays). */
enum cr_status cr_map_data_extent(struct map *m, double e[4]);
/* m->map_crs, m->from_wgs84, res->crs_name: o->crs, or the UTM zone of E's centre. */
enum cr_status cr_map_choose_crs(struct map *m, const double e[4]);
/* m->v (centre, nominal scale, frame bounds) fitting E into m->page.map, and m->geo. */
enum cr_status cr_map_make_view(struct map *m, const double e[4]);
/* The angle of grid north to true north at the view's centre (radians; 0 when unknown). */
double cr_map_convergence(const struct map *m);

/* map_zones.c: fills, legend entries, m->zl (name spots) */
enum cr_status cr_map_draw_zones(struct map *m);

/* map_network.c: m->segs and m->pts, then water, roads, ferries, rail, terminals (m->tm) */
enum cr_status cr_map_draw_network(struct map *m);

/* map_shapes.c: the caller's in-memory layers (o->shapes), and their legend entries */
void cr_map_shapes_extent(const struct cr_map_options *o, double e[4]);
enum cr_status cr_map_draw_shapes(struct map *m);

/* map_flows.c: the flow lines in view, widest on top, and their legend entries */
void cr_map_flows_extent(const struct map *m, double e[4]);
enum cr_status cr_map_draw_flows(struct map *m);

/* map_labels.c */
void cr_map_label_terminals(struct map *m);
/* names of the roads of style groups GROUP_LO..GROUP_HI */
enum cr_status cr_map_label_roads(struct map *m, int group_lo, int group_hi);
void cr_map_label_zones(struct map *m);

/* map_output.c: open reserves the temporary file (before any work, so an unwritable folder
 * fails at once); surface makes the Cairo surface for the page (res->width_px for PNG);
 * finish writes the file and commits it; abort removes what open made. */
enum cr_status cr_map_output_open(struct map *m, struct map_out *out);
enum cr_status cr_map_output_surface(struct map *m, struct map_out *out);
enum cr_status cr_map_output_finish(struct map *m, struct map_out *out);
void cr_map_output_abort(struct map_out *out);

#endif
