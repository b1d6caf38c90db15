/* PLACEHOLDER while the landtake command is being written: replaced by its real implementation. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_landtake(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "corridor landtake: not built yet\n");
    return CLI_EXIT_USAGE;
}
