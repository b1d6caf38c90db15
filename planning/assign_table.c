/* Per-edge tables of assignments: an edge's way and shape, GeoPackage or CSV
 * (planning/assign_table.h). */
#include "planning/assign_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"
#include "core/csv.h"
#include "spatial/vector.h"
#include "spatial/vector_write.h"

void
cr_assign_edge_way_of(const struct cr_graph_view *v, uint32_t e, struct cr_assign_edge_way *w)
{
    uint32_t seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
    const struct cr_way_attr *way = &v->ways[v->segment_way[seg]];

    w->road = way->mode == CR_MODE_ROAD;
    w->osm_way = way->osm_id;
    w->name = v->strings + way->name;
    w->road_class = w->road ? cr_road_class_name((enum cr_road_class)way->klass)
                            : cr_mode_name((enum cr_mode)way->mode);
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int
cr_assign_table_kind(const char *path)
{
    return ends_with(path, ".gpkg") ? 1 : ends_with(path, ".csv") ? 2 : 0;
}

/* Edge E's shape along its direction of travel, lon/lat. */
static OGRGeometryH
edge_line(const struct cr_graph_view *v, uint32_t e)
{
    uint32_t seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
    int rev = (v->edge_segment[e] & CR_SEGMENT_REVERSED) != 0;
    uint32_t first = v->segment_first_shape[seg], shapes = v->segment_first_shape[seg + 1] - first;
    uint32_t na = v->segment_node[2 * seg], nb = v->segment_node[2 * seg + 1];
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);

    if (!g)
        return NULL;
    OGR_G_AddPoint_2D(g, (rev ? v->lon_e7[nb] : v->lon_e7[na]) / 1e7,
                      (rev ? v->lat_e7[nb] : v->lat_e7[na]) / 1e7);
    for (uint32_t i = 0; i < shapes; i++) {
        uint32_t s = first + (rev ? shapes - 1 - i : i);
        OGR_G_AddPoint_2D(g, v->shape_lon_e7[s] / 1e7, v->shape_lat_e7[s] / 1e7);
    }
    OGR_G_AddPoint_2D(g, (rev ? v->lon_e7[na] : v->lon_e7[nb]) / 1e7,
                      (rev ? v->lat_e7[na] : v->lat_e7[nb]) / 1e7);
    return g;
}

static int
is_null(enum cr_assign_cell_type t, const struct cr_assign_cell *c)
{
    return c->null || (t == CR_CELL_REAL && isnan(c->d)) || (t == CR_CELL_TEXT && !c->s);
}

static void
csv_row(FILE *f, const enum cr_assign_cell_type *types, const struct cr_assign_cell *cells,
        size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (k)
            fputc(',', f);
        if (is_null(types[k], &cells[k]))
            continue;
        if (types[k] == CR_CELL_INT)
            fprintf(f, "%lld", (long long)cells[k].i);
        else if (types[k] == CR_CELL_TEXT)
            cr_csv_field(f, cells[k].s);
        else
            fprintf(f, "%.10g", cells[k].d + 0.0);
    }
    fputc('\n', f);
}

static enum cr_status
write_csv(const char *path, const char *const *names, const enum cr_assign_cell_type *types,
          size_t n, size_t rows, cr_assign_row_fn row, void *user, struct cr_error *err)
{
    struct cr_assign_cell cells[CR_ASSIGN_TABLE_MAX_COLUMNS];
    struct cr_atomic_file af;
    enum cr_status st;

    if ((st = cr_atomic_open(&af, path, err)))
        return st;
    for (size_t k = 0; k < n; k++) {
        if (k)
            fputc(',', af.f);
        cr_csv_field(af.f, names[k]);
    }
    fputc('\n', af.f);
    for (size_t i = 0; i < rows; i++) {
        const struct cr_graph_view *v;
        uint32_t e;
        memset(cells, 0, n * sizeof cells[0]);
        row(user, i, cells, &v, &e);
        csv_row(af.f, types, cells, n);
    }
    if (ferror(af.f)) {
        cr_atomic_abort(&af);
        return cr_error_set(err, CR_EIO, "%s: write error", path);
    }
    return cr_atomic_commit(&af, err);
}

static int
gpkg_row(OGRLayerH l, const enum cr_assign_cell_type *types, const struct cr_assign_cell *cells,
         size_t n, const struct cr_graph_view *v, uint32_t e)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));

    if (!f)
        return -1;
    for (size_t k = 0; k < n; k++) {
        int fk = (int)k;
        if (is_null(types[k], &cells[k]))
            OGR_F_SetFieldNull(f, fk);
        else if (types[k] == CR_CELL_INT)
            OGR_F_SetFieldInteger64(f, fk, cells[k].i);
        else if (types[k] == CR_CELL_TEXT)
            OGR_F_SetFieldString(f, fk, cells[k].s);
        else
            OGR_F_SetFieldDouble(f, fk, cells[k].d);
    }
    return cr_vector_writer_add(l, f, edge_line(v, e));
}

static enum cr_status
write_gpkg(const char *path, const char *layer, const char *const *names,
           const enum cr_assign_cell_type *types, size_t n, size_t rows, cr_assign_row_fn row,
           void *user, struct cr_error *err)
{
    static const char *const options[] = { "SPATIAL_INDEX=YES", NULL };
    struct cr_assign_cell cells[CR_ASSIGN_TABLE_MAX_COLUMNS];
    const char *nm[CR_ASSIGN_TABLE_MAX_COLUMNS + 1];
    OGRFieldType ot[CR_ASSIGN_TABLE_MAX_COLUMNS];
    struct cr_vector_writer w;
    OGRLayerH l;
    enum cr_status st;

    for (size_t k = 0; k < n; k++) {
        nm[k] = names[k];
        ot[k] = types[k] == CR_CELL_INT    ? OFTInteger64
                : types[k] == CR_CELL_TEXT ? OFTString
                                           : OFTReal;
    }
    nm[n] = NULL;
    if ((st = cr_vector_writer_open(&w, path, "GPKG", "EPSG:4326", err)))
        return st;
    if (!(l = cr_vector_writer_layer(&w, layer, wkbLineString, nm, ot, options, err))) {
        cr_vector_writer_abort(&w);
        return err ? err->code : CR_EIO;
    }
    for (size_t i = 0; i < rows; i++) {
        const struct cr_graph_view *v;
        uint32_t e;
        memset(cells, 0, n * sizeof cells[0]);
        row(user, i, cells, &v, &e);
        if (gpkg_row(l, types, cells, n, v, e)) {
            cr_vector_writer_abort(&w);
            return cr_error_set(err, CR_EIO, "%s: edge %u: %s", path, e, cr_vector_message());
        }
    }
    return cr_vector_writer_commit(&w, err);
}

enum cr_status
cr_assign_table_write(const char *path, const char *layer, const char *const *names,
                      const enum cr_assign_cell_type *types, size_t count, size_t rows,
                      cr_assign_row_fn row, void *user, struct cr_error *err)
{
    int kind = cr_assign_table_kind(path);

    if (!kind)
        return cr_error_set(err, CR_EINVAL, "%s: want a .gpkg or .csv file", path);
    if (count > CR_ASSIGN_TABLE_MAX_COLUMNS)
        return cr_error_set(err, CR_EINVAL, "%s: too many columns", path);
    return kind == 1 ? write_gpkg(path, layer, names, types, count, rows, row, user, err)
                     : write_csv(path, names, types, count, rows, row, user, err);
}
