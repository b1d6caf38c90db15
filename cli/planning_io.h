/* What the planning commands (landtake, skim) share: output checks. The zoning options are in
 * cli/zoning_opts.h. */
#ifndef CR_CLI_PLANNING_IO_H
#define CR_CLI_PLANNING_IO_H

#include <jansson.h>

/* Whether the folder PATH would be written in is writable, checked before a long run: prints
 * "corridor CMD: PATH: reason" and returns CLI_EXIT_INPUT when it is not; 0 when it is or when
 * PATH is NULL or "-" (stdout). */
int cli_check_writable(const char *cmd, const char *path);

/* X rounded to DECIMALS decimals as a JSON number, or null when it is not finite: the summaries'
 * numbers. */
json_t *cli_json_number(double x, int decimals);

#endif
