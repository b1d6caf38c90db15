/* Output helpers the planning commands (landtake, skim) share. */
#ifndef CR_CLI_PLANNING_IO_H
#define CR_CLI_PLANNING_IO_H

#include <stdio.h>

/* Whether the folder PATH would be written in is writable, checked before a long run: prints
 * "corridor CMD: PATH: reason" and returns CLI_EXIT_INPUT when it is not; 0 when it is or when
 * PATH is NULL or "-" (stdout). */
int cli_check_writable(const char *cmd, const char *path);

/* S as one CSV field: quoted (with "" for ") when it holds a comma, a quote or a line break. */
void cli_csv_field(FILE *f, const char *s);

#endif
