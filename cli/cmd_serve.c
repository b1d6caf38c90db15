/* PLACEHOLDER while the serve command is being written: replaced by its real implementation. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_serve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "corridor serve: not built yet\n");
    return CLI_EXIT_USAGE;
}
