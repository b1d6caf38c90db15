/* PLACEHOLDER while the skim command is being written: replaced by its real implementation. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_skim(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "corridor skim: not built yet\n");
    return CLI_EXIT_USAGE;
}
