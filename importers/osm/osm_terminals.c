/*
 * The OSM import's terminals: the candidates' representative points (duplicates removed), the
 * point of each mode where each joins (a grid over every graph node and shape point), the
 * terminals from a --terminals file, and their nodes and transfer edges.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "importers/osm/osm_build.h"
#include "importers/osm/osm_tags.h"
#include "importers/terminals/terminals.h"

/* ---- terminals ---------------------------------------------------------------------------- */

/* Where a terminal may join a mode: every graph node and shape point, so a terminal on the bank
 * of a river drawn with few junctions still finds the river's line. */
struct point {
    int32_t lon, lat;
    uint32_t need; /* need index */
    uint8_t group;
    uint8_t lcc; /* on the group's largest component */
};

struct grid {
    int32_t lon0, lat0, cell_e7;
    uint32_t nx, ny;
    uint32_t *first;      /* [nx*ny + 1] */
    struct point *points; /* sorted by cell */
    size_t count;
};

static void
grid_fini(struct grid *g)
{
    free(g->first);
    free(g->points);
}

static uint32_t
grid_cell(const struct grid *g, int64_t lon, int64_t lat, uint32_t *cx, uint32_t *cy)
{
    int64_t x = (lon - g->lon0) / g->cell_e7, y = (lat - g->lat0) / g->cell_e7;
    x = x < 0 ? 0 : x >= g->nx ? g->nx - 1 : x;
    y = y < 0 ? 0 : y >= g->ny ? g->ny - 1 : y;
    *cx = (uint32_t)x;
    *cy = (uint32_t)y;
    return (uint32_t)(y * g->nx + x);
}

/* Takes POINTS (heap, COUNT of them) and sorts them into cells. */
static int
grid_init(struct grid *g, struct point *points, size_t count)
{
    int32_t w = INT32_MAX, so = INT32_MAX, e = INT32_MIN, no = INT32_MIN;
    struct point *sorted;
    uint32_t *pos, cx, cy;
    size_t cells;

    memset(g, 0, sizeof *g);
    for (size_t i = 0; i < count; i++) {
        w = points[i].lon < w ? points[i].lon : w;
        e = points[i].lon > e ? points[i].lon : e;
        so = points[i].lat < so ? points[i].lat : so;
        no = points[i].lat > no ? points[i].lat : no;
    }
    if (count == 0)
        w = e = so = no = 0;
    g->lon0 = w;
    g->lat0 = so;
    g->cell_e7 = 50000; /* 0.005 degrees, about 550 m of latitude */
    while (((int64_t)e - w) / g->cell_e7 >= 2048 || ((int64_t)no - so) / g->cell_e7 >= 2048)
        g->cell_e7 *= 2;
    g->nx = (uint32_t)(((int64_t)e - w) / g->cell_e7 + 1);
    g->ny = (uint32_t)(((int64_t)no - so) / g->cell_e7 + 1);
    cells = (size_t)g->nx * g->ny;
    g->first = calloc(cells + 1, sizeof *g->first);
    sorted = malloc((count ? count : 1) * sizeof *sorted);
    pos = malloc((cells + 1) * sizeof *pos);
    if (!g->first || !sorted || !pos) {
        free(points);
        free(sorted);
        free(pos);
        return -1;
    }
    for (size_t i = 0; i < count; i++)
        g->first[grid_cell(g, points[i].lon, points[i].lat, &cx, &cy) + 1]++;
    for (size_t c = 0; c < cells; c++)
        g->first[c + 1] += g->first[c];
    memcpy(pos, g->first, cells * sizeof *pos);
    for (size_t i = 0; i < count; i++)
        sorted[pos[grid_cell(g, points[i].lon, points[i].lat, &cx, &cy)]++] = points[i];
    free(pos);
    free(points);
    g->points = sorted;
    g->count = count;
    return 0;
}

/* The nearest point of GROUP within RADIUS_M of (lon, lat), preferring the group's largest
 * component; NULL when none. Ties go to the lower need index, so the answer is stable. */
static const struct point *
grid_nearest(const struct grid *g, int32_t lon, int32_t lat, uint8_t group, double radius_m)
{
    double kx, ky, best_d[2] = { radius_m, radius_m };
    const struct point *best[2] = { NULL, NULL };
    uint32_t x0, y0, x1, y1;
    int64_t dlon, dlat;

    cr_geo_scale(cr_e7_to_deg(lat), &kx, &ky);
    dlon = (int64_t)(radius_m / kx * CR_E7) + 1;
    dlat = (int64_t)(radius_m / ky * CR_E7) + 1;
    grid_cell(g, (int64_t)lon - dlon, (int64_t)lat - dlat, &x0, &y0);
    grid_cell(g, (int64_t)lon + dlon, (int64_t)lat + dlat, &x1, &y1);
    for (uint32_t y = y0; y <= y1; y++) {
        for (uint32_t x = x0; x <= x1; x++) {
            uint32_t c = y * g->nx + x;
            for (uint32_t i = g->first[c]; i < g->first[c + 1]; i++) {
                const struct point *p = &g->points[i];
                double d;
                if (p->group != group)
                    continue;
                d = cr_geo_distance_m(lon, lat, p->lon, p->lat);
                if (d < best_d[p->lcc] ||
                    (d == best_d[p->lcc] && best[p->lcc] && p->need < best[p->lcc]->need)) {
                    best_d[p->lcc] = d;
                    best[p->lcc] = p;
                }
            }
        }
    }
    return best[1] ? best[1] : best[0];
}

/* Every graph node and shape point of the road, rail and water groups, with its component. */
static int
collect_points(const struct state *s, struct grid *grid)
{
    const struct cr_netbuild *b = s->b;
    size_t n = b->lon.len, count = 0;
    struct point *points = malloc((n + s->shape_need.len + 1) * sizeof *points);

    if (!points)
        return -1;
    for (size_t v = 0; v < n; v++) {
        uint32_t k = AT(s->node_need, uint32_t, v);
        if (k == NOT_FOUND32)
            continue;
        points[count++] = (struct point){ AT(b->lon, int32_t, v), AT(b->lat, int32_t, v), k,
                                          AT(b->group, uint8_t, v),
                                          (AT(b->flags, uint8_t, v) & CR_NODE_LCC) ? 1 : 0 };
    }
    for (size_t seg = 0; seg < b->seg_way.len; seg++) {
        uint32_t a = AT(b->seg_node, uint32_t, 2 * seg), z = AT(b->seg_node, uint32_t, 2 * seg + 1);
        uint8_t lcc = (AT(b->flags, uint8_t, a) & AT(b->flags, uint8_t, z) & CR_NODE_LCC) ? 1 : 0;
        uint32_t first = AT(b->seg_first_shape, uint32_t, seg);
        uint32_t last = seg + 1 < b->seg_first_shape.len ? AT(b->seg_first_shape, uint32_t, seg + 1)
                                                         : (uint32_t)b->shape_lon.len;
        for (uint32_t i = first; i < last; i++) {
            uint32_t k = AT(s->shape_need, uint32_t, i);
            points[count++] =
                (struct point){ s->need_lon[k], s->need_lat[k], k, AT(b->group, uint8_t, a), lcc };
        }
    }
    return grid_init(grid, points, count);
}

/* Representative points of area candidates, duplicates removed (same name and kind, close). */
void
cr_osm_place_candidates(struct state *s)
{
    size_t n = s->cands.len;

    for (size_t i = 0; i < s->cand_refs.len; i++) {
        const struct cand_ref *cr = &AT(s->cand_refs, struct cand_ref, i);
        size_t k = cr_osm_find_need(s, cr->ref);
        struct cand *c = &AT(s->cands, struct cand, cr->cand);
        if (k == NOT_FOUND || !s->need_have[k] || c->source == CR_TERMINAL_OSM_NODE)
            continue;
        c->lon_sum += s->need_lon[k];
        c->lat_sum += s->need_lat[k];
        c->points++;
    }
    for (size_t i = 0; i < n; i++) {
        struct cand *c = &AT(s->cands, struct cand, i);
        c->keep = c->points > 0;
        if (c->keep && c->source == CR_TERMINAL_OSM_AREA) {
            c->lon_e7 = (int32_t)(c->lon_sum / (int64_t)c->points);
            c->lat_e7 = (int32_t)(c->lat_sum / (int64_t)c->points);
        }
    }
    for (size_t i = 0; i < n && n <= 20000; i++) {
        struct cand *c = &AT(s->cands, struct cand, i);
        if (!c->keep || !c->name)
            continue;
        for (size_t j = i + 1; j < n; j++) {
            struct cand *d = &AT(s->cands, struct cand, j);
            if (d->keep && d->name == c->name && d->kind == c->kind &&
                cr_geo_distance_m(c->lon_e7, c->lat_e7, d->lon_e7, d->lat_e7) < DEDUPE_RADIUS_M)
                d->keep = 0;
        }
    }
}

double
cr_osm_radius_for(const struct cr_import_options *opt, int group)
{
    static const double defaults[CR_GROUP_COUNT] = { CR_TRANSFER_RADIUS_ROAD_M,
                                                     CR_TRANSFER_RADIUS_RAIL_M,
                                                     CR_TRANSFER_RADIUS_WATER_M, 0 };
    return (opt && opt->radius_m[group] > 0) ? opt->radius_m[group] : defaults[group];
}

/* For each kept candidate, the point of each mode it serves where it joins. Sets *split when a
 * point is a shape point, so the graph must be built again with it as a node. */
enum cr_status
cr_osm_choose_targets(struct state *s, struct cr_vec *targets, int *split, struct cr_error *err)
{
    struct grid grid;

    *split = 0;
    if (collect_points(s, &grid))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    for (size_t i = 0; i < s->cands.len; i++) {
        struct cand *c = &AT(s->cands, struct cand, i);
        struct target *t;
        int linked = 0;

        if (!c->keep)
            continue;
        t = cr_vec_push(targets);
        if (!t) {
            grid_fini(&grid);
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
        }
        t->cand = (uint32_t)i;
        for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
            const struct point *p = NULL;
            t->need[g] = NOT_FOUND32;
            if (c->modes & (1u << g))
                p = grid_nearest(&grid, c->lon_e7, c->lat_e7, (uint8_t)g,
                                 cr_osm_radius_for(s->opt, g));
            if (!p)
                continue;
            t->need[g] = p->need;
            linked++;
        }
        if (linked < 2 && c->source != CR_TERMINAL_FILE) {
            s->stats->terminals_unlinked++; /* no mode change possible here */
            targets->len--;
            continue;
        }
        for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
            uint32_t k = t->need[g];
            if (k == NOT_FOUND32)
                continue;
            /* forced even when already a node: a node made by splitting a loop may not be one
             * when the graph is built again */
            if (!s->forced[g] && !(s->forced[g] = calloc(s->need_count + 1, 1))) {
                grid_fini(&grid);
                return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
            }
            s->forced[g][k] = 1;
            if (s->node_of[g][k] == CR_NO_NODE)
                *split = 1;
        }
    }
    grid_fini(&grid);
    return CR_OK;
}

/* Adds each terminal's node, its transfer way record and its transfer edges. */
enum cr_status
cr_osm_add_terminals(struct state *s, const struct cr_vec *targets, struct cr_error *err)
{
    struct cr_netbuild *b = s->b;

    for (size_t i = 0; i < targets->len; i++) {
        const struct target *tg = &AT(*targets, struct target, i);
        const struct cand *c = &AT(s->cands, struct cand, tg->cand);
        struct cr_terminal *t;
        struct cr_way_attr *a;
        uint32_t node, way, *nn;
        uint8_t linked = 0;

        node =
            cr_osm_add_node(b, c->lon_e7, c->lat_e7, c->source == CR_TERMINAL_FILE ? 0 : c->osm_id,
                            CR_GROUP_TERMINAL, CR_BARRIER_NONE, CR_NODE_LCC, 0);
        nn = cr_vec_push(&s->node_need);
        a = cr_vec_push(&b->ways);
        t = cr_vec_push(&b->terminals);
        if (node == CR_NO_NODE || !nn || !a || !t)
            goto oom;
        *nn = NOT_FOUND32;
        way = (uint32_t)(b->ways.len - 1);
        a->mode = CR_MODE_TRANSFER;
        a->name = c->name;
        a->duration_s = c->handling_time_s == CR_TERMINAL_DEFAULT ? 0 : c->handling_time_s;
        for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
            uint32_t k = tg->need[g], v;
            if (k == NOT_FOUND32)
                continue;
            v = s->node_of[g][k];
            if (v == CR_NO_NODE)
                return cr_error_set(err, CR_EINTERNAL, "%s: terminal target is not a node",
                                    s->input);
            if (cr_osm_add_segment(
                    s, way, node, v, NULL, 0,
                    cr_geo_distance_m(c->lon_e7, c->lat_e7, s->need_lon[k], s->need_lat[k]),
                    CR_ONEWAY_NO))
                goto oom;
            linked |= (uint8_t)(1u << g);
        }
        t->osm_id = c->source == CR_TERMINAL_FILE ? 0 : c->osm_id;
        t->lon_e7 = c->lon_e7;
        t->lat_e7 = c->lat_e7;
        t->node = node;
        t->name = c->name;
        t->handling_time_s = c->handling_time_s;
        t->handling_cost = c->handling_cost;
        t->modes = c->modes;
        t->linked = linked;
        t->source = c->source;
        t->kind = c->kind;
        s->stats->ways_by_mode[CR_MODE_TRANSFER]++;
        if (c->source == CR_TERMINAL_FILE && linked != c->modes)
            s->stats->file_terminals_partly_linked++;
    }
    return CR_OK;
oom:
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
}

enum cr_status
cr_osm_read_terminal_file(struct state *s, struct cr_error *err)
{
    struct cr_terminal_list list = { 0 };
    enum cr_status st = cr_terminals_read(s->opt->terminals_path, &list, err);

    if (st)
        return st;
    for (size_t i = 0; i < list.count; i++) {
        const struct cr_terminal_input *in = &list.items[i];
        struct cand *c = cr_vec_push(&s->cands);
        if (!c) {
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->opt->terminals_path);
            break;
        }
        c->lon_e7 = in->lon_e7;
        c->lat_e7 = in->lat_e7;
        c->points = 1;
        c->keep = 1;
        c->modes = in->modes;
        c->kind = in->kind;
        c->source = CR_TERMINAL_FILE;
        c->handling_time_s = in->handling_time_s;
        c->handling_cost = in->handling_cost;
        c->name = cr_strpool_intern(&s->b->strings, in->name);
        if (c->name == UINT32_MAX) {
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->opt->terminals_path);
            break;
        }
    }
    cr_terminal_list_fini(&list);
    return st;
}
