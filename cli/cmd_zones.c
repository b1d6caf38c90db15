/* PLACEHOLDER while the zones command is being written: replaced by its real implementation. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_zones(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "corridor zones: not built yet\n");
    return CLI_EXIT_USAGE;
}
