/* What the planning commands (landtake, skim) share: the zones options, output checks. */
#ifndef CR_CLI_PLANNING_IO_H
#define CR_CLI_PLANNING_IO_H

#include <getopt.h>

#include "importers/zoning/zoning.h"

/* getopt_long codes of the zones options; a command numbers its own from CLI_O_ZONES_END. */
enum {
    CLI_O_ZONES = 256,
    CLI_O_CLASS_FIELD,
    CLI_O_NAME_FIELD,
    CLI_O_LAYER,
    CLI_O_S_SRS,
    CLI_O_WORK_CRS,
    CLI_O_ZONES_END
};

/* The zones options, for a struct option table: --zones FILE, --class-field F, --name-field F,
 * --layer L, --s-srs CRS, --work-crs CRS. */
#define CLI_ZONES_LONGOPTS                                           \
    { "zones", required_argument, NULL, CLI_O_ZONES },               \
    { "class-field", required_argument, NULL, CLI_O_CLASS_FIELD },   \
    { "name-field", required_argument, NULL, CLI_O_NAME_FIELD },     \
    { "layer", required_argument, NULL, CLI_O_LAYER },               \
    { "s-srs", required_argument, NULL, CLI_O_S_SRS },               \
    { "work-crs", required_argument, NULL, CLI_O_WORK_CRS }

/* When C (from getopt_long) is a zones option, stores ARG in ZO and returns 1; else 0. */
int cli_zones_option(int c, const char *arg, struct cr_zones_options *zo);

/* Whether the folder PATH would be written in is writable, checked before a long run: prints
 * "corridor CMD: PATH: reason" and returns CLI_EXIT_INPUT when it is not; 0 when it is or when
 * PATH is NULL or "-" (stdout). */
int cli_check_writable(const char *cmd, const char *path);

#endif
