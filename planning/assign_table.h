/*
 * What the per-edge writers of assignments share (planning/assign_write.c, assign_compare.c): a
 * network edge's way and shape, and a table of typed cells written whole or not at all as a
 * GeoPackage of lines (WGS84) or a CSV without geometry. Internal to planning/.
 */
#ifndef CR_PLANNING_ASSIGN_TABLE_H
#define CR_PLANNING_ASSIGN_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"

/* Edge E's way: its OSM id, name, road class name (the mode's name for a way that is no road)
 * and whether it is a road. */
struct cr_assign_edge_way {
    int64_t osm_way;
    const char *name, *road_class;
    int road;
};
void cr_assign_edge_way_of(const struct cr_graph_view *v, uint32_t e, struct cr_assign_edge_way *w);

/* 1 when PATH ends in .gpkg, 2 when in .csv, 0 otherwise. */
int cr_assign_table_kind(const char *path);

enum cr_assign_cell_type { CR_CELL_INT, CR_CELL_TEXT, CR_CELL_REAL };

struct cr_assign_cell {
    int null;
    int64_t i;
    double d; /* NAN is null too */
    const char *s;
};

/* Row I of a table: its COUNT cells into CELLS and the network edge whose shape (in its
 * direction of travel) is the row's line into *EDGE (and its view into *VIEW). */
typedef void (*cr_assign_row_fn)(void *user, size_t i, struct cr_assign_cell *cells,
                                 const struct cr_graph_view **view, uint32_t *edge);

/* Writes ROWS rows of the COUNT columns NAMES / TYPES to PATH (.gpkg: layer LAYER of lines;
 * .csv: a header and the cells), whole or not at all. Errors: another extension (CR_EINVAL),
 * GDAL or the file system refusing (naming PATH), out of memory. */
enum cr_status cr_assign_table_write(const char *path, const char *layer, const char *const *names,
                                     const enum cr_assign_cell_type *types, size_t count,
                                     size_t rows, cr_assign_row_fn row, void *user,
                                     struct cr_error *err);

#define CR_ASSIGN_TABLE_MAX_COLUMNS 96

#endif
