/* Shared pieces of the corridor command: usage errors, option parsing helpers. */
#ifndef CR_CLI_CLI_H
#define CR_CLI_CLI_H

#include "core/error.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_INPUT 1 /* bad input: one line on stderr naming what and where */
#define CLI_EXIT_USAGE 2 /* bad command line */

/* Prints "corridor CMD: message" and a hint to run --help; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CR_PRINTF(2, 3);

/* Prints "corridor CMD: err->msg"; returns CLI_EXIT_INPUT. */
int cli_fail(const char *cmd, const struct cr_error *err);

/* "road,rail,water" -> bit mask of (1u << enum cr_group). 0 on an unknown word. */
unsigned cli_parse_modes(const char *text);

/* All of TEXT as a whole number from MIN to MAX (no sign, nothing after it); 0 and *OUT set, or
 * -1 when it is not. */
int cli_parse_count(const char *text, unsigned long min, unsigned long max, unsigned long *out);

/* --max-snap TEXT as metres, a number in (0, 1e7]; 0 and *MAX_SNAP_M set, or prints a
 * usage error naming --max-snap and TEXT and returns CLI_EXIT_USAGE. */
int cli_parse_max_snap(const char *cmd, const char *text, double *max_snap_m);

int cmd_import(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_route(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_contract(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_zones(int argc, char **argv);
int cmd_landtake(int argc, char **argv);
int cmd_skim(int argc, char **argv);
int cmd_demand(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_access(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_tiles(int argc, char **argv);
int cmd_isochrone(int argc, char **argv);
int cmd_scenario(int argc, char **argv);
int cmd_trip(int argc, char **argv);

#endif
