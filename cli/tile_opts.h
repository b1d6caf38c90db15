/*
 * What the map tiles of `corridor serve` and `corridor tiles` draw, parsed in one place: the
 * zoning options of cli/zoning_opts.h (--zones, --class-field, ...), --class-map and --style;
 * then the style, class map and zones loaded into a struct cr_tile_layers (render/tile.h).
 * A command puts CLI_TILE_LONGOPTS in its struct option table and calls cli_tile_option() for
 * each option getopt_long returns before its own.
 */
#ifndef CR_CLI_TILE_OPTS_H
#define CR_CLI_TILE_OPTS_H

#include "cli/zoning_opts.h"
#include "core/error.h"
#include "render/style.h"
#include "render/tile.h"
#include "render/zoneclass.h"

enum { CLI_O_TILE_STYLE = CLI_O_ZONES_END + 40, CLI_O_TILE_CLASS_MAP };

/* clang-format off */
#define CLI_TILE_LONGOPTS                                            \
    CLI_ZONES_LONGOPTS,                                              \
    { "style", required_argument, NULL, CLI_O_TILE_STYLE },          \
    { "class-map", required_argument, NULL, CLI_O_TILE_CLASS_MAP }
/* clang-format on */

#define CLI_TILE_HELP                                                                              \
    "  --zones FILE         zoning polygons drawn under the network (Shapefile, GeoPackage,\n"     \
    "                       GeoJSON... or OSM landuse from a .osm.pbf)\n"                          \
    "  --class-map FILE     CSV of value,class[,label] (docs/render.md)\n"                         \
    "  --style FILE         a style merged over styles/default.json "                              \
    "(docs/styles.md)\n" CLI_ZONING_HELP

struct cli_tiles {
    struct cr_zones_options zo;
    const char *style_path, *class_map_path;
    struct cr_style style;
    int style_loaded;
    struct cr_zones *zones;
    struct cr_zoneclass_map *class_map;
    struct cr_tile_layers layers; /* after cli_tiles_load: zones, class map, style (no graph) */
};

/* When C is one of CLI_TILE_LONGOPTS, stores ARG in T and returns 1; else 0. */
int cli_tiles_option(int c, const char *arg, struct cli_tiles *t);

/* Loads the style, the class map and the zones T names into t->layers. */
enum cr_status cli_tiles_load(struct cli_tiles *t, struct cr_error *err);
void cli_tiles_fini(struct cli_tiles *t);

#endif
