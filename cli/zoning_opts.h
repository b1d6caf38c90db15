/*
 * The options every command that reads a zoning layer takes (zones info, landtake, skim; render
 * may use them too), parsed in one place so they mean the same everywhere:
 *
 *   --zones FILE       the layer (commands that take it as an option; zones info takes it as
 *                      its argument)
 *   --layer L          the layer of a multi-layer file (--zones-layer L: the same)
 *   --class-field F    the zoning class
 *   --name-field F     a name per zone
 *   --s-srs CRS        the layer's CRS, overriding its own
 *   --work-crs CRS     the projected CRS to measure in
 *   --encoding ENC     a Shapefile's .dbf encoding when it has no .cpg
 *
 * A command puts CLI_ZONES_LONGOPTS (or CLI_ZONING_LONGOPTS) in its struct option table, numbers
 * its own long-only options from CLI_O_ZONES_END, calls cli_zoning_option() first for each
 * option getopt_long returns, and prints CLI_ZONING_HELP in its --help.
 */
#ifndef CR_CLI_ZONING_OPTS_H
#define CR_CLI_ZONING_OPTS_H

#include <getopt.h>

#include "corridor/zones.h"

/* getopt_long codes of the zoning options; a command numbers its own from CLI_O_ZONES_END. */
enum {
    CLI_O_ZONES = 256,
    CLI_O_CLASS_FIELD,
    CLI_O_NAME_FIELD,
    CLI_O_LAYER,
    CLI_O_S_SRS,
    CLI_O_WORK_CRS,
    CLI_O_ENCODING,
    CLI_O_ZONES_END
};

/* How to read the layer, for a struct option table: --class-field, --name-field, --layer,
 * --s-srs, --work-crs, --encoding. */
/* clang-format off */
#define CLI_ZONING_LONGOPTS                                        \
    { "class-field", required_argument, NULL, CLI_O_CLASS_FIELD }, \
    { "name-field", required_argument, NULL, CLI_O_NAME_FIELD },   \
    { "layer", required_argument, NULL, CLI_O_LAYER },             \
    { "s-srs", required_argument, NULL, CLI_O_S_SRS },             \
    { "work-crs", required_argument, NULL, CLI_O_WORK_CRS },       \
    { "encoding", required_argument, NULL, CLI_O_ENCODING }

/* The same with --zones FILE and --zones-layer L (= --layer), for commands that take the layer as
 * an option. */
#define CLI_ZONES_LONGOPTS                                         \
    { "zones", required_argument, NULL, CLI_O_ZONES },             \
    { "zones-layer", required_argument, NULL, CLI_O_LAYER },       \
    CLI_ZONING_LONGOPTS
/* clang-format on */

/* The help lines of CLI_ZONING_LONGOPTS, for a command's --help. */
#define CLI_ZONING_HELP                                                                            \
    "  --layer L            the layer of a multi-layer file (default: the first polygon layer)\n"  \
    "  --class-field F      the zoning class (OSM: the tag key, default landuse)\n"                \
    "  --name-field F       a name per zone (OSM default: name)\n"                                 \
    "  --s-srs CRS          the layer's CRS, overriding its own: EPSG:3405, 3405, a PROJ string\n" \
    "                       (a VN-2000 zone with +towgs84) or WKT\n"                               \
    "  --work-crs CRS       the projected CRS to measure in (default: the layer's own when it\n"   \
    "                       is projected in metres, else the UTM zone of its centre)\n"            \
    "  --encoding ENC       a Shapefile's .dbf encoding when it has no .cpg (e.g. CP1258)\n"

/* When C (from getopt_long) is a zoning option, stores ARG in ZO and returns 1; else 0. */
int cli_zoning_option(int c, const char *arg, struct cr_zones_options *zo);

#endif
